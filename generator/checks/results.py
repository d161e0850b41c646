"""Rules for structured results: counts that add up, figures each outcome's kind calls for,
intervals that hold their estimates, effects that point the way the arms' figures do, and P
values that agree with their CI at its stated level."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from generator.checks.finding import Finding
from generator.checks.quantities import NOT_REACHED, p_bound
from generator.checks.trial import RATIOS, ArmResult, Cohort, Comparison, Outcome, Study
from generator.content.document import Location


def check(results: list[Study]) -> Iterator[Finding]:
    for s, study in enumerate(results):
        for c, cohort in enumerate(study.cohorts):
            here: Location = ("results", s, "cohorts", c)
            yield from _arm_counts(cohort, here)
            for o, outcome in enumerate(cohort.outcomes):
                yield from _outcome(outcome, (*here, "outcomes", o))
                yield from _within_arms(cohort, outcome, (*here, "outcomes", o))


def _within_arms(cohort: Cohort, outcome: Outcome, here: Location) -> Iterator[Finding]:
    """Events and totals are counted among the patients randomised to their arm."""
    randomised = {arm.name: arm.patients for arm in cohort.arms if arm.patients is not None}
    for r, result in enumerate(outcome.arms):
        patients = randomised.get(result.arm)
        for name in ("total", "events"):
            count = getattr(result, name)
            if patients is not None and count is not None and count > patients:
                yield Finding(
                    "results-events",
                    (*here, "arms", r, name),
                    f"{count} {'patients counted' if name == 'total' else 'events'} in the arm "
                    f"'{result.arm}', to which {patients} patients were randomised",
                )
                break


def _arm_counts(cohort: Cohort, here: Location) -> Iterator[Finding]:
    counts = [arm.patients for arm in cohort.arms if arm.patients is not None]
    if not counts:
        return
    total = sum(counts)
    if len(counts) == len(cohort.arms) and total != cohort.patients:
        yield Finding(
            "results-arm-counts",
            (*here, "patients"),
            f"the arms hold {total} patients ({' + '.join(map(str, counts))}), the cohort "
            f"{cohort.patients}",
        )
    elif len(counts) < len(cohort.arms) and total >= cohort.patients:
        yield Finding(
            "results-arm-counts",
            (*here, "patients"),
            f"the arms that give counts already hold {total} patients; the cohort has "
            f"{cohort.patients}",
        )


# What each kind of outcome reports per arm, besides a CI.
_FIGURES = {
    "time to event": ("median", "events"),
    "rate": ("percent", "events", "total"),
    "response": ("percent", "events", "total"),
    "continuous": ("mean", "sd", "median"),
}
_ALL_FIGURES = ("median", "mean", "sd", "percent", "events", "total")


def _outcome(outcome: Outcome, here: Location) -> Iterator[Finding]:
    kind = outcome.kind
    if kind == "rate" and outcome.time_point is None:
        yield Finding(
            "results-kind",
            (*here, "kind"),
            "a rate is measured at a time point: give time_point, e.g. 'month 20'",
        )
    for r, result in enumerate(outcome.arms):
        at = (*here, "arms", r)
        wrong = [name for name in _ALL_FIGURES
                 if getattr(result, name) is not None and name not in _FIGURES[kind]]  # fmt: skip
        if wrong:
            yield Finding(
                "results-kind",
                (*at, wrong[0]),
                f"a {kind} outcome gives each arm's {_wanted(kind)}, not a {wrong[0]}",
            )
            continue
        if all(getattr(result, name) is None for name in ("median", "mean", "percent", "events")):
            yield Finding("results-kind", at, f"give this arm's {_wanted(kind)}")
            continue
        yield from _arm_result(result, kind, at)
    figures = [r for r in outcome.arms if r.median not in (None, NOT_REACHED) or r.mean is not None]
    if figures and outcome.unit is None:
        yield Finding(
            "results-kind", (*here, "endpoint"), "give the unit of the figures, e.g. months"
        )
    for k, comparison in enumerate(outcome.comparisons):
        yield from _comparison(outcome, comparison, (*here, "comparisons", k))


def _wanted(kind: str) -> str:
    return {
        "time to event": "median (or 'not reached') or events",
        "rate": "percent, or events and total",
        "response": "percent, or events and total",
        "continuous": "mean (with sd) or median",
    }[kind]


def _figure(result: ArmResult) -> Decimal | None:
    """The arm's own figure, which its CI is about."""
    for value in (result.median, result.mean, result.percent):
        if value is not None:
            return None if value == NOT_REACHED else Decimal(value)
    return None


def _arm_result(result: ArmResult, kind: str, at: Location) -> Iterator[Finding]:
    if kind in ("rate", "response"):
        for name in ("percent", "ci_lower", "ci_upper"):
            value = getattr(result, name)
            if value is not None and not 0 <= value <= 100:
                yield Finding(
                    "results-rate",
                    (*at, name),
                    f"a percentage of patients lies between 0 and 100; {name} is {value}",
                )
                return
        if result.events is not None and result.total is not None:
            if result.events > result.total:
                yield Finding(
                    "results-events",
                    (*at, "events"),
                    f"{result.events} events in {result.total} patients: events cannot be more "
                    "than the patients they are counted in",
                )
                return
            if result.percent is not None:
                yield from _percent_of(result, at)
        elif (result.events is None) != (result.total is None) and result.percent is None:
            yield Finding("results-kind", at, "give both events and total, or the percent")
    yield from _interval(
        at, _figure(result), result.ci_lower, result.ci_upper, result.ci_level, "figure"
    )


def _percent_of(result: ArmResult, at: Location) -> Iterator[Finding]:
    assert result.events is not None
    assert result.total is not None
    assert result.percent is not None
    exact = Decimal(100 * result.events) / result.total
    places = -result.percent.as_tuple().exponent  # type: ignore[operator]
    tolerance = Decimal(1).scaleb(-places) / 2 + Decimal("0.0001")
    if abs(exact - result.percent) > tolerance:
        yield Finding(
            "results-events",
            (*at, "percent"),
            f"{result.events} of {result.total} is {exact:.1f}%, not {result.percent}%",
        )


def _interval(  # noqa: PLR0917 - an interval is these five things and what it is of
    at: Location,
    estimate: Decimal | None,
    lower: Decimal | None,
    upper: Decimal | None,
    level: Decimal,
    what: str,
) -> Iterator[Finding]:
    if (lower is None) != (upper is None):
        missing = "ci_upper" if upper is None else "ci_lower"
        yield Finding(
            "results-ci-order", (*at, missing), "a confidence interval needs both of its limits"
        )
        return
    if lower is None or upper is None:
        return
    if lower >= upper:
        yield Finding(
            "results-ci-order",
            (*at, "ci_lower"),
            f"the confidence interval runs from {lower} to {upper}: its lower limit must be "
            "below its upper limit",
        )
    elif estimate is not None and not lower <= estimate <= upper:
        name = "estimate" if what == "estimate" else "the arm's figure"
        yield Finding(
            "results-estimate-in-ci",
            (*at, "estimate") if what == "estimate" else at,
            f"{'the estimate' if what == 'estimate' else name} {estimate} lies outside its "
            f"{level}% confidence interval, {lower} to {upper}",
        )


def _comparison(outcome: Outcome, comparison: Comparison, at: Location) -> Iterator[Finding]:
    measure = comparison.measure
    numbers = {"estimate": comparison.estimate, "ci_lower": comparison.ci_lower,
               "ci_upper": comparison.ci_upper}  # fmt: skip
    if measure is None:
        given = [name for name, value in numbers.items() if value is not None]
        if given:
            yield Finding(
                "results-comparison",
                (*at, given[0]),
                "say what the estimate measures: give measure, e.g. hazard ratio",
            )
        elif comparison.p_value is None:
            yield Finding(
                "results-comparison", at, "give the comparison's effect, its P value, or both"
            )
        return
    if comparison.estimate is None:
        yield Finding("results-comparison", (*at, "measure"), f"give the {measure}'s estimate")
        return
    if measure in RATIOS:
        not_positive = [(name, value) for name, value in numbers.items()
                        if value is not None and value <= 0]  # fmt: skip
        if not_positive:
            name, value = not_positive[0]
            yield Finding(
                "results-ratio-positive",
                (*at, name),
                f"a {measure} is greater than 0, and so are its confidence limits; "
                f"{name} is {value}",
            )
            return  # nothing else about this effect can be judged
    yield from _interval(
        at,
        comparison.estimate,
        comparison.ci_lower,
        comparison.ci_upper,
        comparison.ci_level,
        "estimate",
    )
    yield from _direction(outcome, comparison, at)
    if comparison.p_value is not None and comparison.ci_lower is not None:
        yield from _p_value(comparison, at)


def _direction(outcome: Outcome, comparison: Comparison, at: Location) -> Iterator[Finding]:
    """An effect and the two arms' own figures must point the same way."""
    results = {result.arm: result for result in outcome.arms}
    experimental = results.get(comparison.experimental)
    control = results.get(comparison.control)
    estimate, measure = comparison.estimate, comparison.measure
    if experimental is None or control is None or estimate is None or measure is None:
        return
    if measure == "hazard ratio":
        if outcome.kind != "time to event":
            return
        mine, theirs = _median(experimental), _median(control)
        if mine is None or theirs is None or mine == theirs or estimate == 1:
            return  # equal medians (or both not reached), or no difference to explain
        if (estimate < 1) != (mine > theirs):
            more, fewer = ("fewer", "shorter") if estimate < 1 else ("more", "longer")
            yield Finding(
                "results-direction",
                at,
                f"a hazard ratio of {estimate} means {more} events on {comparison.experimental} "
                f"than on {comparison.control}, yet {comparison.experimental} has the {fewer} "
                f"median ({_median_text(experimental, outcome)} vs "
                f"{_median_text(control, outcome)}): check the values, and which arm is "
                "experimental",
            )
        return
    field = "mean" if measure == "mean difference" else "percent"
    mine, theirs = getattr(experimental, field), getattr(control, field)
    if mine is None or theirs is None or mine == theirs:
        return
    null = Decimal(1) if measure in RATIOS else Decimal(0)
    if estimate != null and (estimate > null) != (mine > theirs):
        yield Finding(
            "results-direction",
            at,
            f"a {measure} of {estimate} says {comparison.experimental} has the "
            f"{'higher' if estimate > null else 'lower'} {field}, yet its {field} is {mine} "
            f"against {theirs} on {comparison.control}: check the values, and which arm is "
            "experimental",
        )


def _median(result: ArmResult) -> Decimal | None:
    if result.median is None:
        return None
    return Decimal("Infinity") if result.median == NOT_REACHED else Decimal(result.median)


def _median_text(result: ArmResult, outcome: Outcome) -> str:
    if result.median == NOT_REACHED:
        return NOT_REACHED
    return f"{result.median} {outcome.unit}"


def _p_value(comparison: Comparison, at: Location) -> Iterator[Finding]:
    """P below 1 - level goes with a CI excluding the null, at the CI's own level."""
    assert comparison.p_value is not None
    assert comparison.ci_lower is not None
    assert comparison.ci_upper is not None
    operator, bound = p_bound(comparison.p_value)
    threshold = (100 - comparison.ci_level) / 100
    if operator == "=":
        significant = bound < threshold
    elif operator in "<≤" and (bound < threshold or (operator == "<" and bound == threshold)):
        significant = True
    elif operator in ">≥" and bound >= threshold:
        significant = False
    else:
        return  # a bound such as <0.2 says nothing about 0.05
    null = Decimal(1) if comparison.measure in RATIOS else Decimal(0)
    excludes = comparison.ci_lower > null or comparison.ci_upper < null
    if significant != excludes:
        yield Finding(
            "results-p-value",
            (*at, "p_value"),
            f"P {comparison.p_value} says the difference is "
            f"{'' if significant else 'not '}significant at {threshold.normalize()}, but the "
            f"{comparison.ci_level}% confidence interval {comparison.ci_lower} to "
            f"{comparison.ci_upper} {'excludes' if excludes else 'includes'} {null}",
        )
