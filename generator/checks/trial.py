"""The results of a trial as trials report them: arms listed once per cohort, outcomes of four
kinds, and any number of comparisons between two arms.

The shape follows the columns of a Cochrane summary-of-findings table (outcome, time point,
result per arm, relative effect, participants) and the statistic types of HL7 FHIR R5
`Evidence.statistic` (median, proportion, mean; hazard, odds and risk ratio, risk and mean
difference), so that one entry can carry any common phase 3 result without a made-up cohort.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

from generator.checks.fields import Text, shown
from generator.checks.quantities import Count0, Median, Number, PatientCount, PValue, RefNumber


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _percent_level(level: Decimal) -> Decimal:
    if 0 < level < 1:
        raise ValueError(
            f"a confidence level is a percentage, like 95 or 99.5, not a fraction: got {level}"
        )
    if not 50 <= level < 100:
        raise ValueError(
            f"a confidence level is a percentage from 50 up to (not including) 100, like 95 or "
            f"99.5; got {level}"
        )
    return level


Level = Annotated[Number, AfterValidator(_percent_level)]
LEVEL = Field(Decimal("95"), description="Confidence level in percent, e.g. 95 or 99.5.")

Kind = Literal["time to event", "rate", "response", "continuous"]
KINDS: tuple[str, ...] = ("time to event", "rate", "response", "continuous")
Measure = Literal["hazard ratio", "odds ratio", "risk ratio", "risk difference", "mean difference"]
RATIOS = frozenset({"hazard ratio", "odds ratio", "risk ratio"})
Source = Literal["abstract", "full text", "table", "figure"]


class Drug(Model):
    """One drug of an arm's regimen, with its dose and schedule as the trial gives them."""

    drug: Text = Field(description="E.g. '177Lu-Dotatate' or 'Octreotide LAR'.")
    dose: Text | None = Field(None, description="E.g. '7.4 GBq' or '30 mg'.")
    schedule: Text | None = Field(None, description="E.g. 'every 8 weeks, four infusions'.")


class Arm(Model):
    """One group of randomised patients, listed once however many outcomes it has."""

    name: Text = Field(description="How the results name this arm, e.g. 'Everolimus'.")
    patients: PatientCount | None = Field(None, description="Patients randomised to it.")
    regimen: list[Drug] = Field(default_factory=list, description="What the arm received.")


class ArmResult(Model):
    """One arm's own figure for one outcome: what the outcome's kind calls for, and its CI."""

    arm: Text = Field(description="Name of the arm, as in the cohort's `arms`.")
    median: Median | None = Field(
        None, description="Time to event or continuous: the median, or 'not reached'."
    )
    mean: Number | None = Field(None, description="Continuous: the mean.")
    sd: Number | None = Field(None, description="Continuous: the standard deviation of the mean.")
    percent: Number | None = Field(
        None, description="Rate or response: the percentage of patients, e.g. 65.2."
    )
    events: Count0 | None = Field(
        None, description="Patients with the event (or the response), when reported."
    )
    total: PatientCount | None = Field(None, description="Patients the events are counted in.")
    ci_lower: Number | None = None
    ci_upper: Number | None = None
    ci_level: Level = LEVEL


Rating = Literal["high", "moderate", "low", "very low"]
RATINGS: tuple[str, ...] = ("very low", "low", "moderate", "high")
"""Lowest first: a rating's place in this list, plus one, is its number of levels (GRADE's
four circles)."""
DOWN: tuple[str, ...] = (
    "risk of bias",
    "inconsistency",
    "indirectness",
    "imprecision",
    "publication bias",
)
UP: tuple[str, ...] = ("large effect", "dose response", "plausible confounding")
Domain = Literal[
    "risk of bias",
    "inconsistency",
    "indirectness",
    "imprecision",
    "publication bias",
    "large effect",
    "dose response",
    "plausible confounding",
]


def _levels(value: object) -> int:
    if value in (1, 2, "1", "2") and not isinstance(value, bool):
        return int(str(value))
    raise ValueError(
        f"a reason moves the rating 1 level (serious; large) or 2 (very serious; very large), "
        f"got {shown(value)}"
    )


Levels = Annotated[int, PlainValidator(_levels), WithJsonSchema({"enum": [1, 2, "1", "2"]})]


class Reason(Model):
    """One reason GRADE names for rating the certainty of evidence down (or up)."""

    domain: Domain = Field(
        description="Down: risk of bias, inconsistency, indirectness, imprecision, publication "
        "bias. Up: large effect, dose response, plausible confounding."
    )
    levels: Levels = Field(
        1, description="1 for a serious concern (or a large effect), 2 for a very serious one."
    )
    explanation: Text = Field(
        description="Why, as a footnote of the summary of findings, e.g. 'Open label; "
        "progression assessed by the investigators.'"
    )


class Certainty(Model):
    """How sure we are of an effect, as GRADE rates it: randomised trials start high, and each
    reason rates them down (or up) one or two levels."""

    rating: Rating = Field(description="high, moderate, low or very low.")
    reasons: list[Reason] = Field(
        default_factory=list, description="Every reason the rating is not high (or is higher)."
    )


class Comparison(Model):
    """Two arms compared on one outcome: the effect with its CI, and the P value as published."""

    experimental: Text = Field(description="Name of the arm the effect is for.")
    control: Text = Field(description="Name of the arm it is compared with.")
    measure: Measure | None = Field(None, description="Leave out when only a P value is given.")
    estimate: Number | None = None
    ci_lower: Number | None = None
    ci_upper: Number | None = None
    ci_level: Level = LEVEL
    p_value: PValue | None = Field(None, description="Exactly as published, e.g. '<0.001'.")
    test: Text | None = Field(None, description="E.g. 'stratified log-rank test'.")
    description: Text | None = Field(
        None,
        description="How the source describes the estimate, e.g. 'stratified hazard ratio for "
        "progression or death'.",
    )
    certainty: Certainty | None = Field(
        None, description="Certainty of this comparison's evidence, when its outcome has none."
    )


class Outcome(Model):
    """One endpoint of a cohort, with each arm's figure and the comparisons made on it."""

    endpoint: Text = Field(description="What was measured, e.g. 'Progression-free survival'.")
    kind: Kind = Field(
        description="time to event (medians), rate (a percentage at a time point), response "
        "(a response rate) or continuous (means or medians of a measurement)."
    )
    unit: Text | None = Field(
        None, description="Unit of medians and means, e.g. 'months'; needed for those kinds."
    )
    time_point: Text | None = Field(
        None, description="When a rate was measured, e.g. 'month 20'; needed for a rate."
    )
    source: Source | None = Field(
        None, description="Where the numbers are printed: abstract, full text, table or figure."
    )
    source_label: Text | None = Field(None, description="E.g. 'Table 2' or 'Figure 1A'.")
    arms: list[ArmResult] = Field(default_factory=list, description="Each arm's own figure.")
    comparisons: list[Comparison] = Field(default_factory=list)
    certainty: Certainty | None = Field(
        None, description="Certainty of the evidence for this outcome (GRADE)."
    )


class Cohort(Model):
    """Patients randomised together: their arms, and the outcomes measured in them."""

    population: Text = Field(description="Who was studied, e.g. 'Extrapancreatic NET'.")
    patients: PatientCount = Field(description="Patients randomised in the cohort, all arms.")
    arms: list[Arm] = Field(min_length=2, description="Every arm, once.")
    outcomes: list[Outcome] = Field(min_length=1)


class Study(Model):
    """Structured results of one trial, cohort by cohort."""

    trial: Text = Field(description="Trial name as readers know it, e.g. 'CABINET'.")
    reference: RefNumber = Field(description="Number of the reference that reports the results.")
    cohorts: list[Cohort] = Field(min_length=1, description="At least one cohort.")
