"""Forest plots: each cohort's ratio with its confidence interval, on a log scale, drawn at build
time as inline SVG. No script, no image service; colours come from the page's palette.

The geometry is a pure function of the numbers, so tests can compute where every mark must be.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from decimal import Decimal

from generator.checks.models import Effect, Study
from generator.pages import markup
from generator.pages.markup import Markup

WIDTH = 640
PLOT_LEFT, PLOT_RIGHT = 16.0, 452.0  # the scale; estimates are written to its right
TEXT_X = 468.0
TOP = 8.0
LABEL_LINE = 16.0  # height of one line of a cohort's label
MARK_GAP = 18.0  # from the label's last line to the row's whisker
ROW_GAP = 14.0
AXIS_GAP = 10.0
TICKS = (Decimal("0.01"), Decimal("0.02"), Decimal("0.05"), Decimal("0.1"), Decimal("0.2"),
         Decimal("0.5"), Decimal("1"), Decimal("2"), Decimal("5"), Decimal("10"), Decimal("20"),
         Decimal("50"), Decimal("100"))  # fmt: skip
LABEL_CHARACTERS = 64  # a label line, at the font size used for labels
ABBREVIATIONS = {"hazard ratio": "HR", "odds ratio": "OR", "risk ratio": "RR"}


@dataclass(frozen=True)
class Row:
    label: str
    label_lines: tuple[str, ...]  # as drawn: long words may be broken
    effect: Effect
    y: float  # of the whisker


@dataclass(frozen=True)
class Scale:
    low: Decimal
    high: Decimal

    def x(self, value: Decimal) -> float:
        """Where `value` lies on the scale, in SVG units."""
        span = math.log(self.high) - math.log(self.low)
        share = (math.log(value) - math.log(self.low)) / span
        return round(PLOT_LEFT + share * (PLOT_RIGHT - PLOT_LEFT), 2)

    @property
    def ticks(self) -> list[Decimal]:
        return [tick for tick in TICKS if self.low <= tick <= self.high]


def scale_for(effects: list[Effect]) -> Scale:
    """The narrowest span of round ticks that holds every interval and the line of no effect."""
    low = min([effect.ci_lower for effect in effects] + [Decimal(1)])
    high = max([effect.ci_upper for effect in effects] + [Decimal(1)])
    below = [tick for tick in TICKS if tick < low] or [TICKS[0]]
    above = [tick for tick in TICKS if tick > high] or [TICKS[-1]]
    return Scale(below[-1], above[0])


def plottable(study: Study) -> list[tuple[str, Effect]]:
    """The cohorts of a study that have an effect a log scale can show."""
    return [
        (f"{cohort.population} ({cohort.patients} patients)", cohort.effect)
        for cohort in study.cohorts
        if cohort.effect is not None
        and min(cohort.effect.estimate, cohort.effect.ci_lower) > 0
        and TICKS[0] <= cohort.effect.ci_lower
        and cohort.effect.ci_upper <= TICKS[-1]
    ]


def layout(study: Study) -> tuple[list[Row], Scale, float]:
    """The rows of the plot, its scale, and the y of its axis."""
    cohorts = plottable(study)
    scale = scale_for([effect for _, effect in cohorts])
    rows, y = [], TOP
    for label, effect in cohorts:
        lines = tuple(textwrap.wrap(label, LABEL_CHARACTERS, break_long_words=True)) or ("",)
        y += LABEL_LINE * len(lines)
        rows.append(Row(label, lines, effect, round(y + MARK_GAP - LABEL_LINE / 2, 2)))
        y += MARK_GAP + ROW_GAP
    return rows, scale, round(y + AXIS_GAP, 2)


def svg(study: Study, number: int) -> Markup:
    """The forest plot of one study (the `number`th of its entry), or nothing to plot."""
    rows, scale, axis = layout(study)
    if not rows:
        return Markup("")
    height = axis + 52
    one = scale.x(Decimal(1))
    measures: set[str] = {row.effect.measure for row in rows}
    arms = {(row.effect.experimental, row.effect.control) for row in rows}
    ident = f"forest-{number}"
    parts = [
        f'<svg class="evidence-forest__plot" viewBox="0 0 {WIDTH} {height:g}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">Forest plot: {_measure_names(measures)} with '
        f"{_levels(rows)} confidence intervals, {markup.text(study.trial)}</title>",
        f'<desc id="{ident}-desc">{_description(rows, measures, arms)}</desc>',
        f'<line class="evidence-forest__null" x1="{one:g}" y1="{TOP:g}" x2="{one:g}" '
        f'y2="{axis:g}"/>',
    ]
    for row in rows:
        parts += _row(row, scale)
    parts += _axis(scale, axis)
    if measures == {"hazard ratio"} and len(arms) == 1:
        ((experimental, control),) = arms
        parts += [
            f'<text class="evidence-forest__favours" x="{one - 6:g}" y="{axis + 42:g}" '
            f'text-anchor="end">← favours {markup.text(experimental)}</text>',
            f'<text class="evidence-forest__favours" x="{one + 6:g}" y="{axis + 42:g}">'
            f"favours {markup.text(control)} →</text>",
        ]
    parts.append("</svg>")
    return Markup("".join(parts))


def _row(row: Row, scale: Scale) -> list[str]:
    effect = row.effect
    first = row.y - MARK_GAP + LABEL_LINE / 2 - LABEL_LINE * (len(row.label_lines) - 1) - 4
    label = "".join(
        f'<tspan x="{PLOT_LEFT:g}" y="{first + LABEL_LINE * i:g}">{markup.text(line)}</tspan>'
        for i, line in enumerate(row.label_lines)
    )
    low, high, point = scale.x(effect.ci_lower), scale.x(effect.ci_upper), scale.x(effect.estimate)
    value = (
        f"{ABBREVIATIONS[effect.measure]} {effect.estimate} ({effect.ci_lower}–{effect.ci_upper})"
    )
    return [
        f'<text class="evidence-forest__label">{label}</text>',
        f'<line class="evidence-forest__ci" x1="{low:g}" y1="{row.y:g}" x2="{high:g}" '
        f'y2="{row.y:g}"/>',
        f'<rect class="evidence-forest__point" x="{point - 5:g}" y="{row.y - 5:g}" width="10" '
        'height="10"/>',
        f'<text class="evidence-forest__value" x="{TEXT_X:g}" y="{row.y + 4:g}">'
        f"{markup.text(value)}</text>",
    ]


def _axis(scale: Scale, axis: float) -> list[str]:
    parts = [
        f'<line class="evidence-forest__axis" x1="{PLOT_LEFT:g}" y1="{axis:g}" '
        f'x2="{PLOT_RIGHT:g}" y2="{axis:g}"/>'
    ]
    for tick in scale.ticks:
        x = scale.x(tick)
        parts += [
            f'<line class="evidence-forest__axis" x1="{x:g}" y1="{axis:g}" x2="{x:g}" '
            f'y2="{axis + 5:g}"/>',
            f'<text class="evidence-forest__tick" x="{x:g}" y="{axis + 19:g}" '
            f'text-anchor="middle">{markup.text(tick)}</text>',
        ]
    return parts


def _measure_names(measures: set[str]) -> str:
    return " and ".join(sorted(f"{measure}s" for measure in measures))


def _levels(rows: list[Row]) -> str:
    levels = sorted({row.effect.ci_level for row in rows})
    return "/".join(f"{level}%" for level in levels)


def _description(rows: list[Row], measures: set[str], arms: set[tuple[str, str]]) -> Markup:
    sentences = [
        f"{row.label}: {row.effect.measure} {row.effect.estimate}, "
        f"{row.effect.ci_level}% confidence interval {row.effect.ci_lower} to "
        f"{row.effect.ci_upper}."
        for row in rows
    ]
    if measures == {"hazard ratio"} and len(arms) == 1:
        ((experimental, control),) = arms
        sentences.append(f"Values below 1 favour {experimental}; values above 1 favour {control}.")
    return markup.text(" ".join(sentences))
