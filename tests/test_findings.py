"""The summary of findings: absolute effects computed by the standard methods, checked against
worked examples that published sources print; certainty rated as GRADE rates it; typed absolute
numbers held to the computed ones; and every entry as an HL7 FHIR R5 Bundle that a maintained
FHIR library validates and that carries every number its page shows."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.bundle import Bundle

from generator.checks import absolute
from generator.content.project import Project as Paths
from generator.pages import render
from generator.settings import AS_OF_VARIABLE
from tests.conftest import (
    REPO,
    SHIPPED_AS_OF,
    Project,
    checked,
    copy_project,
    html_page,
    text_of,
)

SEED = "content/evidence/cabozantinib-neuroendocrine-tumors.yaml"
NETTER = "content/evidence/lutetium-dotatate-midgut-neuroendocrine-tumors.yaml"


def _wilson(events: int, total: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = events / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return centre - half, centre + half


# --- absolute effects, against worked examples ----------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "intervention", "difference"), [(0.8, 600, -200), (0.2, 150, -50)]
)
def test_a_risk_ratio_applied_to_the_comparator_risk(
    comparator: float, intervention: int, difference: int
) -> None:
    """Cochrane Handbook for Systematic Reviews of Interventions 5.1.0 (Higgins JPT, Green S,
    eds; 2011), section 11.5.5: "if the risk ratio is consistently 0.75, then treatment would
    reduce a control group risk of 80% to 60% [...] but would reduce a control group risk of 20%
    to 15%" (handbook-5-1.cochrane.org/chapter_11/
    11_5_5_statistical_considerations_in_summary_of_findings.htm)."""
    made = absolute.applied("risk ratio", comparator, 0.75, (0.75, 0.75), Decimal(95))
    assert made.per_1000()[1] == intervention
    assert made.difference_per_1000()[0] == difference


def test_an_odds_ratio_applied_to_the_comparator_risk_and_its_nnt() -> None:
    """Cochrane Handbook 5.1.0, section 12.5.4.3: an odds ratio of 0.73 with a control risk of
    0.3 is 62 fewer per 1000, and an NNT of 17."""
    made = absolute.applied("odds ratio", 0.3, 0.73, None, Decimal(95))
    assert made.difference_per_1000() == (-62, None)
    assert made.nnt() == (17, None)


@pytest.mark.parametrize(
    ("first", "second", "interval"),
    [((56, 70), (48, 80), (0.0524, 0.3339)), ((9, 10), (3, 10), (0.1705, 0.8090))],
)
def test_the_ci_of_a_difference_is_recovered_from_the_arms_cis(
    first: tuple[int, int], second: tuple[int, int], interval: tuple[float, float]
) -> None:
    """Newcombe RG. Interval estimation for the difference between independent proportions:
    comparison of eleven methods. Stat Med 1998;17(8):873-890, doi
    10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I, method 10: from each
    arm's Wilson interval, these examples' intervals (as his Table II prints them). The same
    recovery takes the published CIs of two Kaplan-Meier rates (Zou & Donner, Stat Med
    2008;27(10):1693-1702, doi 10.1002/sim.3095)."""
    p1, p0 = first[0] / first[1], second[0] / second[1]
    low, high = absolute.recovered(p1, _wilson(*first), p0, _wilson(*second))
    assert (round(low, 4), round(high, 4)) == interval


def test_a_hazard_ratio_at_the_comparators_median() -> None:
    """At the comparator's median half its arm has had the event: with CABINET's hazard ratio
    of 0.38 (0.25 to 0.59), 1 - 0.5^0.38 = 0.2316, 1 - 0.5^0.25 = 0.1591, 1 - 0.5^0.59 = 0.3357:
    232 per 1,000 (159 to 336) against 500, 268 fewer (341 fewer to 164 fewer), NNT 1/0.268 =
    3.7, rounded up to 4, and 1/0.341 to 1/0.164: 3 to 7."""
    made = absolute.derive(*_cabinet())
    assert isinstance(made, absolute.Absolute)
    assert made.per_1000() == (500, 232, (159, 336))
    assert made.difference_per_1000() == (-268, (-341, -164))
    assert made.nnt() == (4, (3, 7))
    # With no difference, the risk is the comparator's, whatever the time.
    assert absolute.hazard_risk(0.3, 1.0) == pytest.approx(0.3)


def _cabinet() -> tuple[Any, str, str, Any]:
    entry = checked(Paths.at(REPO), as_of=SHIPPED_AS_OF).site.entries
    seed = next(source.entry for source in entry if source.entry.id.startswith("cabozantinib"))
    outcome = seed.results[0].cohorts[0].outcomes[0]
    return outcome, "Cabozantinib", "Placebo", outcome.comparisons[0]


def test_an_nnt_has_no_ci_when_the_difference_may_be_none() -> None:
    made = absolute.Absolute("rates", 0.3, 0.4, None, (-0.05, 0.25), Decimal(95))
    assert made.nnt() == (10, None)


# --- certainty --------------------------------------------------------------------------------


@pytest.fixture
def shipped(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project", everything=True)


SHIPPED_DAY = {AS_OF_VARIABLE: SHIPPED_AS_OF.isoformat()}


def findings(project: Project, path: str) -> list[str]:
    result = project.generator("check", "--strict", environment=SHIPPED_DAY)
    return [line for line in (result.stderr + result.stdout).splitlines() if line.startswith(path)]


@pytest.mark.parametrize(
    ("old", "new", "finding"),
    [
        (
            "rating: moderate\n              reasons:\n                - domain: risk of bias",
            "rating: high\n              reasons:\n                - domain: risk of bias",
            "44:23: results[0].cohorts[0].outcomes[0].certainty.rating: rated high, with a "
            "reason to rate it down: remove the reason, or rate it lower [results-certainty]",
        ),
        (
            "                  levels: 2\n",
            "",
            "77:23: results[0].cohorts[0].outcomes[2].certainty.rating: rated low, but "
            "its reasons rate randomised trials (which start high) down 1 level: moderate. Give "
            "a reason for each level rated down, or correct the rating [results-certainty]",
        ),
    ],
)
def test_a_rating_its_reasons_do_not_give_is_caught(
    shipped: Project, old: str, new: str, finding: str
) -> None:
    assert findings(shipped, NETTER) == []
    shipped.edit(NETTER, old, new)
    assert findings(shipped, NETTER) == [f"{NETTER}:{finding}"]


def test_a_rating_down_without_its_reason_is_caught(shipped: Project) -> None:
    shipped.edit(
        NETTER,
        "              reasons:\n                - domain: risk of bias\n                  "
        "explanation: >-\n                    Open label: patients",
        "              reasons:\n                - domain: large effect\n                  "
        "explanation: >-\n                    Open label: patients",
    )
    assert findings(shipped, NETTER) == [
        f"{NETTER}:44:23: results[0].cohorts[0].outcomes[0].certainty.rating: rated "
        "moderate, but its reasons rate randomised trials (which start high) up 1 level: high. "
        "Give a reason for each level rated down, or correct the rating [results-certainty]"
    ]


# --- typed absolute numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("told", "finding"),
    [
        ("268 fewer per 1,000 by 3.9 months (NNT 4)", None),
        (
            "250 fewer per 1,000 by 3.9 months",
            "'250 fewer per 1,000' is not an absolute effect computed from the results of "
            "reference 1 (the summary of findings shows them): write the computed number "
            "[prose-absolute]",
        ),
        (
            "an NNT of 9",
            "'9 (NNT)' is not an absolute effect computed from the results of reference 1 "
            "(the summary of findings shows them): write the computed number [prose-absolute]",
        ),
    ],
)
def test_an_absolute_effect_typed_in_prose_is_the_computed_one(
    project: Project, told: str, finding: str | None
) -> None:
    project.edit(
        SEED, "delaying disease progression.[1]", f"delaying disease progression, {told}.[1]"
    )
    found = findings(project, SEED)
    if finding is None:
        assert found == []
    else:
        assert len(found) == 1
        assert found[0].endswith(finding)


# --- FHIR -------------------------------------------------------------------------------------


def _rendered() -> dict[str, str]:
    paths = Paths.at(REPO)
    return render.render_site(checked(paths, as_of=SHIPPED_AS_OF), paths.templates_dir)


SHIPPED = sorted(path.stem for path in (REPO / "content" / "evidence").glob("*.yaml"))


@pytest.mark.parametrize("entry", SHIPPED)
def test_every_bundle_is_valid_fhir_r5(entry: str) -> None:
    """fhir.resources builds FHIR R5 models (its default release) on pydantic: every resource
    of the Bundle, every element and type, is validated."""
    text = _rendered()[f"evidence/{entry}.fhir.json"]
    bundle = Bundle.model_validate_json(text)
    kinds = [item.resource.get_resource_type() for item in bundle.entry or [] if item.resource]
    assert set(kinds) == {"Evidence", "Citation"}
    assert json.loads(bundle.model_dump_json()) == json.loads(text)  # nothing dropped


def _numbers(value: object) -> set[Decimal]:
    if isinstance(value, dict):
        return set().union(*(_numbers(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_numbers(v) for v in value)) if value else set()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {abs(Decimal(str(value))).normalize()}  # the page says "fewer" for a minus
    return set()


NUMBER = re.compile(r"(?<![\w.])\d+(?:[.·]\d+)?")


def test_every_number_of_the_results_and_findings_is_in_the_export(tmp_path: Path) -> None:
    """Round trip: each number the built page's results tables and summary of findings show
    (but the CI levels, which FHIR writes as fractions, and the words of names and time
    points) is a number of the Bundle, with the same value."""
    project = copy_project(tmp_path / "project", everything=True)
    site = project.build(environment=SHIPPED_DAY)
    for entry in SHIPPED:
        page = html_page(site, f"evidence/{entry}/")
        export = json.loads((site / "evidence" / f"{entry}.fhir.json").read_text())
        known = _numbers(export)
        shown: set[Decimal] = set()
        for cell in page.select("table.evidence-table td"):
            if cell.get("data-label") == "Treatment" or cell.get("colspan"):
                continue  # a regimen's doses; the notes under an outcome
            # Not the CI levels, the denominators, nor the time an NNT is at.
            text = re.sub(r"\d+(?:\.\d+)?%\s?CI|per 1,000|, (?:at|by) .*", "", text_of(cell))
            shown |= {Decimal(n.replace("·", ".")).normalize() for n in NUMBER.findall(text)}
        assert shown, entry
        assert shown - known == set(), entry
        link = page.select_one('link[rel="alternate"][type="application/fhir+json"]')
        assert link is not None
        assert link["href"] == f"../{entry}.fhir.json"


def test_a_changed_number_changes_the_export(project: Project) -> None:
    before = json.loads(_bundle(project))
    project.edit(SEED, "estimate: 0.38", "estimate: 0.39")
    after = json.loads(_bundle(project))
    assert Decimal("0.38") in _numbers(before) - _numbers(after)
    assert Decimal("0.39") in _numbers(after) - _numbers(before)


def _bundle(project: Project) -> str:
    out = project.root / "rendered"
    result = project.generator("render", str(out))
    assert result.returncode == 0, result.stderr
    return (out / "evidence" / "cabozantinib-neuroendocrine-tumors.fhir.json").read_text()
