"""Trial results as readers see them in the results tables: each arm's figure with its CI, each
comparison's effect with its CI level, and the P value as published. Every CI carries its
level, so a 99.5% interval is never taken for a 95% one."""

from __future__ import annotations

from decimal import Decimal

from generator.checks.quantities import NOT_REACHED
from generator.checks.trial import Arm, ArmResult, Comparison, Outcome
from generator.pages import markup
from generator.pages.markup import Markup

ABBREVIATIONS = {
    "hazard ratio": "HR",
    "odds ratio": "OR",
    "risk ratio": "RR",
    "risk difference": "RD",
    "mean difference": "MD",
}
NBSP = "\u00a0"


def interval(lower: Decimal, upper: Decimal, level: Decimal) -> str:
    """'95% CI 0.25 to 0.59' with an en dash (or 'to' when a limit is negative, as a dash
    between minus signs misreads), kept on one line."""
    between = " to " if lower < 0 or upper < 0 else "–"
    return f"{level}% CI {lower}{between}{upper}".replace(" ", NBSP)


def heading(outcome: Outcome) -> str:
    """What the arms' column holds, e.g. 'Median, months' or 'Rate at month 20'."""
    if outcome.kind == "time to event":
        return f"Median, {outcome.unit}" if outcome.unit else "Events"
    if outcome.kind == "rate":
        return f"Rate at {outcome.time_point}"
    if outcome.kind == "response":
        return "Response rate"
    means = all(result.mean is not None for result in outcome.arms)
    name = (
        "Mean" if means else "Median" if not any(r.mean for r in outcome.arms) else "Mean or median"
    )
    return f"{name}, {outcome.unit}" if outcome.unit else name


def arm_figure(result: ArmResult, outcome: Outcome) -> str:
    """One arm's figure: '8.4 months (95% CI ...)', '65.2% (95% CI ...)', '18% (21 of 116)',
    'not reached', 'mean 4.2 points (SD 1.1)', or just the events: '14'."""
    parts = []
    if result.median is not None:
        parts.append(
            NOT_REACHED if result.median == NOT_REACHED else _with_unit(result.median, outcome)
        )
    elif result.mean is not None:
        mean = f"mean {_with_unit(result.mean, outcome)}"
        parts.append(mean + (f" (SD {result.sd})" if result.sd is not None else ""))
    elif result.percent is not None:
        parts.append(f"{result.percent}%")
    if result.ci_lower is not None and result.ci_upper is not None:
        parts.append(f"({interval(result.ci_lower, result.ci_upper, result.ci_level)})")
    if result.events is not None and result.total is not None:
        parts.append(f"({result.events} of {result.total})")
    elif result.events is not None:
        parts.append(f"({result.events} events)" if parts else str(result.events))
    return " ".join(parts)


def _with_unit(value: Decimal | str, outcome: Outcome) -> str:
    return f"{value}{NBSP}{outcome.unit}" if outcome.unit else str(value)


def effect(comparison: Comparison) -> Markup:
    """'HR 0.38 (95% CI ...)', the measure spelled out for screen readers and on hover;
    'not recorded' when the entry gives only a P value."""
    if comparison.measure is None or comparison.estimate is None:
        return Markup("not recorded")
    short = ABBREVIATIONS[comparison.measure]
    text = f"{comparison.estimate}"
    if comparison.ci_lower is not None and comparison.ci_upper is not None:
        ci = interval(comparison.ci_lower, comparison.ci_upper, comparison.ci_level)
        text += f" ({ci})"
    return Markup(
        f'<abbr title="{markup.attribute(comparison.measure)}">{short}</abbr> {markup.text(text)}'
    )


def p_value(comparison: Comparison) -> str:
    """The P value as published, with its test when given: '<0.001 (stratified log-rank)'."""
    if comparison.p_value is None:
        return "not recorded"
    return comparison.p_value + (f" ({comparison.test})" if comparison.test else "")


def regimen(arm: Arm) -> str:
    """'177Lu-Dotatate 7.4 GBq every 8 weeks; octreotide LAR 30 mg'."""
    return "; ".join(
        " ".join(part for part in (drug.drug, drug.dose, drug.schedule) if part)
        for drug in arm.regimen
    )


def source(outcome: Outcome) -> str:
    """'abstract', 'Table 2', 'full text': where a reader finds these numbers in the source."""
    if outcome.source_label:
        return outcome.source_label
    return outcome.source or ""
