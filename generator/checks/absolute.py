"""Absolute effects, computed from the results and never typed: each arm's risk per 1,000, the
difference with its CI, and the number needed to treat, as Cochrane summary-of-findings tables
give them. Each is labelled with how it was derived, and made only where the data allow:

- **risk ratio** or **odds ratio**: a published ratio, with its CI, applied to the comparator
  arm's own risk, as the Cochrane Handbook (5.1, sections 11.5.5 and 12.5.4.3) describes.
- **risk difference**: a published difference (in percentage points) and its CI, added to the
  comparator arm's own risk.
- **events**: both arms' events and totals. The risk ratio and its CI (on the log scale) are
  computed from them and applied in the same way.
- **rates**: both arms' percentages (a response rate, or a Kaplan-Meier rate at a time point).
  With both arms' CIs at one level, the difference's CI is recovered from them (the method of
  variance estimates recovery of Newcombe 1998 and Zou & Donner 2008); else no CI is shown.
- **hazard ratio**: a hazard ratio with the comparator's median. At its median, half the
  comparator arm has had the event, so under proportional hazards the intervention's risk is
  1 - (1 - 0.5)^HR, the conversion summary-of-findings tables use for time-to-event outcomes.

Computed in binary floating point and rounded once, half up, to whole numbers per 1,000.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from statistics import NormalDist
from typing import Literal

from generator.checks.quantities import NOT_REACHED
from generator.checks.trial import ArmResult, Cohort, Comparison, Outcome

Method = Literal["events", "rates", "risk ratio", "odds ratio", "risk difference", "hazard ratio"]
Interval = tuple[float, float]


@dataclass(frozen=True)
class Absolute:
    """One comparison's absolute effect; risks are proportions (0 to 1)."""

    method: Method
    comparator: float
    intervention: float
    intervention_ci: Interval | None
    difference_ci: Interval | None
    level: Decimal
    at: str | None = None
    """For a hazard ratio: the time the risks are at (the comparator's median)."""
    ratio: tuple[float, Interval | None] | None = None
    """For events: the risk ratio computed from them, with its CI."""

    @property
    def difference(self) -> float:
        return self.intervention - self.comparator

    def per_1000(self) -> tuple[int, int, tuple[int, int] | None]:
        """Comparator, intervention and its CI, per 1,000."""
        ci = self.intervention_ci
        return (
            per_1000(self.comparator),
            per_1000(self.intervention),
            (per_1000(ci[0]), per_1000(ci[1])) if ci else None,
        )

    def difference_per_1000(self) -> tuple[int, tuple[int, int] | None]:
        ci = self.difference_ci
        return per_1000(self.difference), (per_1000(ci[0]), per_1000(ci[1])) if ci else None

    def nnt(self) -> tuple[int, tuple[int, int] | None] | None:
        """Patients treated for one more (or one fewer) with the outcome, rounded up, with its
        CI where the difference's CI excludes no difference (Altman 1998); None when there is
        no difference."""
        if per_1000(self.difference) == 0:
            return None
        ci = self.difference_ci
        limits = None
        if ci is not None and (ci[0] > 0 or ci[1] < 0):
            near, far = sorted((abs(ci[0]), abs(ci[1])))
            limits = (_reciprocal(far), _reciprocal(near))
        return _reciprocal(abs(self.difference)), limits


def per_1000(risk: float) -> int:
    """Rounded half away from zero, as people round."""
    scaled = abs(risk) * 1000
    whole = math.floor(scaled + 0.5 + 1e-9)  # 0.1245 * 1000 is 124.49999... in binary
    return whole if risk >= 0 else -whole


def _reciprocal(difference: float) -> int:
    return math.ceil(1 / difference - 1e-9)


def z_for(level: Decimal) -> float:
    return NormalDist().inv_cdf(1 - (1 - float(level) / 100) / 2)


def from_events(events: tuple[int, int], totals: tuple[int, int]) -> Absolute | str:
    """Intervention first, then comparator. The risk ratio's CI is the usual one on the log
    scale, at 95%; with no events in an arm it has no CI (nor, in the comparator, a ratio)."""
    (e1, e0), (n1, n0) = events, totals
    if e0 == 0:
        return "the comparator arm has no events: there is no risk ratio to apply"
    comparator, ratio = e0 / n0, (e1 / n1) / (e0 / n0)
    level = Decimal(95)
    if e1 == 0:
        return Absolute("events", comparator, e1 / n1, None, None, level, ratio=(ratio, None))
    spread = z_for(level) * math.sqrt(1 / e1 - 1 / n1 + 1 / e0 - 1 / n0)
    low, high = ratio * math.exp(-spread), ratio * math.exp(spread)
    return applied("events", comparator, ratio, (low, high), level)


def applied(
    method: Method, comparator: float, ratio: float, ci: Interval | None, level: Decimal
) -> Absolute:
    """A risk ratio (or an odds ratio) and its CI applied to a comparator risk (Cochrane
    Handbook 5.1, 11.5.5 and 12.5.4.3): comparator x RR, at most 1; for odds,
    OR x ACR / (1 - ACR + OR x ACR)."""

    def risk(r: float) -> float:
        if method == "odds ratio":
            return r * comparator / (1 - comparator + r * comparator)
        return min(1.0, comparator * r)

    limits = (risk(ci[0]), risk(ci[1])) if ci else None
    return Absolute(
        method,
        comparator,
        risk(ratio),
        limits,
        (limits[0] - comparator, limits[1] - comparator) if limits else None,
        level,
        ratio=(ratio, ci),
    )


def from_rates(intervention: ArmResult, comparator: ArmResult) -> Absolute:
    """Two arms' percentages; with both CIs at one level, the difference's CI by the method of
    variance estimates recovery: each limit moves from the difference by the root of the
    squared distances from each estimate to the limits that bound it on that side."""
    p1, p0 = float(intervention.percent or 0) / 100, float(comparator.percent or 0) / 100
    ci1, ci0 = _ci(intervention), _ci(comparator)
    if ci1 is None or ci0 is None or intervention.ci_level != comparator.ci_level:
        return Absolute("rates", p0, p1, ci1, None, intervention.ci_level)
    return Absolute("rates", p0, p1, ci1, recovered(p1, ci1, p0, ci0), intervention.ci_level)


def recovered(p1: float, ci1: Interval, p0: float, ci0: Interval) -> Interval:
    """The CI of p1 - p0 from each estimate's own CI (Zou & Donner 2008; with Wilson score
    intervals this is Newcombe's hybrid score interval, his method 10)."""
    d = p1 - p0
    lower = d - math.sqrt((p1 - ci1[0]) ** 2 + (ci0[1] - p0) ** 2)
    upper = d + math.sqrt((ci1[1] - p1) ** 2 + (p0 - ci0[0]) ** 2)
    return lower, upper


def from_hazard_ratio(comparison: Comparison, median: Decimal, unit: str) -> Absolute:
    """Risks by the comparator's median, when half its arm has had the event."""
    assert comparison.estimate is not None
    hr = float(comparison.estimate)
    risk = hazard_risk(0.5, hr)
    ci = None
    if comparison.ci_lower is not None and comparison.ci_upper is not None:
        ci = (
            hazard_risk(0.5, float(comparison.ci_lower)),
            hazard_risk(0.5, float(comparison.ci_upper)),
        )
    return Absolute(
        "hazard ratio",
        0.5,
        risk,
        ci,
        (ci[0] - 0.5, ci[1] - 0.5) if ci else None,
        comparison.ci_level,
        at=f"{median} {unit}",
    )


def hazard_risk(comparator: float, hr: float) -> float:
    """The intervention's risk by a time at which the comparator's is `comparator`:
    1 - (1 - comparator)^HR, under proportional hazards."""
    return 1 - math.exp(hr * math.log(1 - comparator))


def _difference(comparison: Comparison, comparator: ArmResult) -> Absolute | str:
    """A published risk difference, in percentage points, from the comparator's own risk."""
    risk = _risk(comparator)
    if risk is None:
        return "no risk of the comparator (a percentage, or events and total) to add it to"
    assert comparison.estimate is not None
    ci = None
    if comparison.ci_lower is not None and comparison.ci_upper is not None:
        ci = (float(comparison.ci_lower) / 100, float(comparison.ci_upper) / 100)
    return Absolute(
        "risk difference",
        risk,
        risk + float(comparison.estimate) / 100,
        (max(0.0, risk + ci[0]), min(1.0, risk + ci[1])) if ci else None,
        ci,
        comparison.ci_level,
    )


def participants(cohort: Cohort, row: Compared | None) -> int:
    """Those randomised to the two arms compared (when the cohort has more, and each arm's count
    is given); else the cohort's."""
    if row is None or len(cohort.arms) <= 2:
        return cohort.patients
    counts = {arm.name: arm.patients for arm in cohort.arms}
    pair = (counts.get(row.experimental), counts.get(row.control))
    if pair[0] is not None and pair[1] is not None:
        return pair[0] + pair[1]
    return cohort.patients


_APPLIED: dict[str | None, Method] = {"risk ratio": "risk ratio", "odds ratio": "odds ratio"}


def _risk(result: ArmResult) -> float | None:
    if result.events is not None and result.total is not None:
        return result.events / result.total
    return float(result.percent) / 100 if result.percent is not None else None


def _ci(result: ArmResult) -> Interval | None:
    if result.ci_lower is None or result.ci_upper is None:
        return None
    return float(result.ci_lower) / 100, float(result.ci_upper) / 100


@dataclass(frozen=True)
class Compared:
    """One comparison of one outcome, with its absolute effect or why there is none."""

    experimental: str
    control: str
    comparison: Comparison | None
    """The comparison as the results give it; None when the cohort's only pair of arms is
    taken for an outcome that compares none."""
    absolute: Absolute | None
    why_not: str | None


def rows(cohort: Cohort, outcome: Outcome) -> Iterator[Compared]:
    """Each comparison of an outcome; an outcome with none is compared as the cohort's other
    outcomes compare its arms, when they all compare the same two."""
    if outcome.comparisons:
        for comparison in outcome.comparisons:
            yield _row(outcome, comparison.experimental, comparison.control, comparison)
        return
    pairs = {(c.experimental, c.control) for other in cohort.outcomes for c in other.comparisons}
    if len(pairs) == 1:
        experimental, control = pairs.pop()
        yield _row(outcome, experimental, control, None)


def _row(
    outcome: Outcome, experimental: str, control: str, comparison: Comparison | None
) -> Compared:
    made = derive(outcome, experimental, control, comparison)
    if isinstance(made, str):
        return Compared(experimental, control, comparison, None, made)
    return Compared(experimental, control, comparison, made, None)


def derive(
    outcome: Outcome, experimental: str, control: str, comparison: Comparison | None
) -> Absolute | str:
    """The absolute effect of one comparison, or why it cannot be derived."""
    by_arm = {result.arm: result for result in outcome.arms}
    mine, theirs = by_arm.get(experimental), by_arm.get(control)
    if outcome.kind == "continuous":
        return "a continuous outcome: its difference in means or medians is its absolute effect"
    if outcome.kind == "time to event":
        if (
            comparison is None
            or comparison.measure != "hazard ratio"
            or comparison.estimate is None
        ):
            return "no hazard ratio to apply to a risk of the comparator"
        median = theirs.median if theirs is not None else None
        if median is None or median == NOT_REACHED or not outcome.unit:
            return "the comparator's median is not reached or not given, so no risk at a known time"
        assert isinstance(median, Decimal)
        return from_hazard_ratio(comparison, median, outcome.unit)
    if theirs is None:
        return "the comparator arm has no result for this outcome"
    ratio = comparison.measure if comparison is not None else None
    if comparison is not None and comparison.estimate is not None and ratio in _APPLIED:
        risk = _risk(theirs)
        if risk is None:
            return "no risk of the comparator (a percentage, or events and total) to apply it to"
        ci = None
        if comparison.ci_lower is not None and comparison.ci_upper is not None:
            ci = (float(comparison.ci_lower), float(comparison.ci_upper))
        return applied(_APPLIED[ratio], risk, float(comparison.estimate), ci, comparison.ci_level)
    if comparison is not None and comparison.estimate is not None and ratio == "risk difference":
        return _difference(comparison, theirs)
    if mine is None:
        return "the intervention arm has no result for this outcome"
    if mine.total and theirs.total and mine.events is not None and theirs.events is not None:
        return from_events((mine.events, theirs.events), (mine.total, theirs.total))
    if mine.percent is not None and theirs.percent is not None:
        return from_rates(mine, theirs)
    return "no percentages, nor events and totals, in both arms"


# --- absolute effects in prose ----------------------------------------------------------------

KINDS = ("per 1,000", "per 1,000 change", "NNT")
"""The kinds of unit (`numbers.kind_of`) of the absolute effects prose may state: a risk or the
size of a difference ('652 per 1,000'), a difference with its direction ('268 fewer per 1,000',
read as -268) and a number needed to treat ('NNT 4')."""
PER_1000 = re.compile(
    r"\s(?:(?P<way>more|fewer)\s(?:[^\W\d]+\s){0,2})?per\s1,?000\b"
    r"(?![\s-]*(?:patient|person|people|population|live|births|years))",  # incidence rates
    re.IGNORECASE,
)
_NNT = re.compile(
    r"(?:\bNNT|number needed to treat)(?:\s*\(NNT\))?(?:\s*(?:of|was|is|=|:))?\s*$",
    re.IGNORECASE,
)


def unit_in(text: str, start: int, length: int) -> tuple[str, bool] | None:
    """What makes a number of prose an absolute effect: ' fewer per 1,000' after it (and
    whether it is fewer), or 'NNT' (or 'number needed to treat') before it, as ' (NNT)'."""
    per = PER_1000.match(text, start + length)
    if per:
        return per[0], (per["way"] or "").lower() == "fewer"
    return (" (NNT)", False) if _NNT.search(text, max(0, start - 40), start) else None


def stated(cohort: Cohort, outcome: Outcome) -> Iterator[tuple[str, Decimal]]:
    """The absolute effects of an outcome as prose may state them, by kind (see KINDS)."""
    for row in rows(cohort, outcome):
        made = row.absolute
        if made is None:
            continue
        comparator, intervention, ci = made.per_1000()
        difference, difference_ci = made.difference_per_1000()
        for value in (comparator, intervention, abs(difference), *(ci or ())):
            yield "per 1,000", Decimal(value)
        for value in (difference, *(difference_ci or ())):
            yield "per 1,000 change", Decimal(value)
            yield "per 1,000", Decimal(abs(value))
        nnt = made.nnt()
        if nnt is not None:
            for value in (nnt[0], *(nnt[1] or ())):
                yield "NNT", Decimal(value)
