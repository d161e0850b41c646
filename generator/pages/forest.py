"""Forest plots: each comparison's ratio with its confidence interval, on a log scale, drawn at
build time as inline SVG. No script, no image service; colours come from the page's palette.

Drawn for a phone first: 360 units wide, so a 375 px screen shows it at about its own size.
Each row is labelled by its comparison (A vs B) above its whisker, the null line is drawn
only beside the whiskers so that it never crosses a label, the estimates sit in a column with
a header that names the measure and the CI level, and the "favours" captions wrap to stay
within their half of the axis, which is centred on 1 when they are drawn.

The geometry is a pure function of the numbers, so tests can compute where every mark must be.
"""

from __future__ import annotations

import itertools
import math
import textwrap
from dataclasses import dataclass
from decimal import Decimal

from generator.checks.trial import RATIOS, Comparison, Study
from generator.pages import markup
from generator.pages.figures import ABBREVIATIONS
from generator.pages.markup import Markup

WIDTH = 360
PLOT_LEFT, PLOT_RIGHT = 14.0, 216.0  # the scale; estimates are written to its right
TEXT_X = 226.0
TOP = 8.0
HEADER = 14.0  # the line over the estimates
LABEL_LINE = 15.0  # height of one line of a row's label
MARK_GAP = 14.0  # from the label's last baseline to the row's whisker
ROW_GAP = 12.0
NULL_REACH = 8.0  # how far above and below a whisker the null line is drawn
AXIS_GAP = 10.0
CHARACTER = 6.6  # average width of a character at the captions' size, in SVG units
TICKS = (Decimal("0.01"), Decimal("0.02"), Decimal("0.05"), Decimal("0.1"), Decimal("0.2"),
         Decimal("0.5"), Decimal("1"), Decimal("2"), Decimal("5"), Decimal("10"), Decimal("20"),
         Decimal("50"), Decimal("100"))  # fmt: skip
LABEL_CHARACTERS = 48
TICK_GAP = 28.0  # between labelled ticks: "0.05" is about 26 units wide


@dataclass(frozen=True)
class Row:
    label: str  # 'Drug vs Placebo'
    context: str  # 'Extrapancreatic NET · Progression-free survival'
    label_lines: tuple[str, ...]  # as drawn, label then context: long words may be broken
    context_from: int  # the first line of the context
    comparison: Comparison
    y: float  # of the whisker

    @property
    def measure(self) -> str:
        assert self.comparison.measure is not None
        return self.comparison.measure

    def bounds(self) -> tuple[Decimal, Decimal, Decimal]:
        limits = _limits(self.comparison)
        assert limits is not None
        return limits


def _limits(comparison: Comparison) -> tuple[Decimal, Decimal, Decimal] | None:
    c = comparison
    if c.estimate is None or c.ci_lower is None or c.ci_upper is None:
        return None
    return c.estimate, c.ci_lower, c.ci_upper


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
        """The round values labelled on the axis: 1, 2 and 5 of each decade when their labels
        have room, else the decades alone, with the ends of the scale where they fit."""
        inside = [tick for tick in TICKS if self.low <= tick <= self.high]
        if all(self.x(b) - self.x(a) >= TICK_GAP for a, b in itertools.pairwise(inside)):
            return inside
        kept = [tick for tick in inside if tick.log10() == tick.log10().to_integral_value()]
        for end in (self.low, self.high):
            if end not in kept and all(abs(self.x(end) - self.x(t)) >= TICK_GAP for t in kept):
                kept.append(end)
        return sorted(kept)


def scale_for(bounds: list[tuple[Decimal, Decimal, Decimal]], *, centred: bool) -> Scale:
    """The narrowest span of round ticks that holds every interval and the line of no effect;
    `centred` puts 1 in the middle, so that both sides have room for a caption."""
    low = min([lower for _, lower, _ in bounds] + [Decimal(1)])
    high = max([upper for _, _, upper in bounds] + [Decimal(1)])
    below = [tick for tick in TICKS if tick < low] or [TICKS[0]]
    above = [tick for tick in TICKS if tick > high] or [TICKS[-1]]
    low, high = below[-1], above[0]
    if centred:
        # 1/0.02 is Decimal("5E+1"): take the tick it equals, which prints as 50
        low, high = min(low, _tick(1 / high)), max(high, _tick(1 / low))
    return Scale(low, high)


def _tick(value: Decimal) -> Decimal:
    return next((tick for tick in TICKS if tick == value), value)


def plottable(study: Study) -> list[tuple[str, str, Comparison]]:
    """The comparisons of a study that have a ratio and an interval a log scale can show, each
    with its label and what tells it from the other rows: its cohort when the study has more
    than one, its endpoint when the rows have more than one, and its measure and CI level when
    those differ between rows (the header over the estimates names them otherwise)."""
    found = []
    for cohort in study.cohorts:
        for outcome in cohort.outcomes:
            for comparison in outcome.comparisons:
                limits = _limits(comparison)
                if comparison.measure not in RATIOS or limits is None:
                    continue
                estimate, lower, upper = limits
                if min(estimate, lower) > 0 and TICKS[0] <= lower and upper <= TICKS[-1]:
                    found.append((cohort.population, outcome.endpoint, comparison))
    endpoints = {endpoint for _, endpoint, _ in found}
    measures = {comparison.measure for _, _, comparison in found}
    levels = {comparison.ci_level for _, _, comparison in found}
    rows = []
    for population, endpoint, comparison in found:
        told = [population] if len(study.cohorts) > 1 else []
        told += [endpoint] if len(endpoints) > 1 else []
        assert comparison.measure is not None
        marks = [ABBREVIATIONS[comparison.measure]] if len(measures) > 1 else []
        marks += [f"{comparison.ci_level}% CI"] if len(levels) > 1 else []
        told += [" ".join(marks)] if marks else []
        label = f"{comparison.experimental} vs {comparison.control}"
        # The separator goes with the words after it, so no line ends with one.
        rows.append((label, " ".join(f"·\u00a0{part}" for part in told)[2:], comparison))
    return rows


def layout(study: Study) -> tuple[list[Row], Scale, float]:
    """The rows of the plot, its scale, and the y of its axis."""
    found = plottable(study)
    rows, y = [], TOP + HEADER
    for label, context, comparison in found:
        named = _wrap(label)
        lines = (*named, *(_wrap(context) if context else []))
        y += LABEL_LINE * len(lines)
        rows.append(Row(label, context, lines, len(named), comparison, round(y + MARK_GAP, 2)))
        y += MARK_GAP + ROW_GAP
    scale = scale_for([row.bounds() for row in rows], centred=_favours(rows) is not None)
    return rows, scale, round(y + AXIS_GAP, 2)


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, LABEL_CHARACTERS, break_on_hyphens=False) or [""]


def _favours(rows: list[Row]) -> tuple[str, str] | None:
    """Which way each side of 1 reads, when one reading holds for every row: hazard ratios of
    events, below 1 favouring the experimental arm."""
    if not rows or any(row.measure != "hazard ratio" for row in rows):
        return None
    experimental = {row.comparison.experimental for row in rows}
    control = {row.comparison.control for row in rows}
    left = experimental.pop() if len(experimental) == 1 else "the first arm named"
    right = control.pop() if len(control) == 1 else "the second arm named"
    return left, right


def svg(study: Study, number: int) -> Markup:
    """The forest plot of one study (the `number`th of its entry), or nothing to plot."""
    rows, scale, axis = layout(study)
    if not rows:
        return Markup("")
    one = scale.x(Decimal(1))
    measures = {row.measure for row in rows}
    levels = sorted({row.comparison.ci_level for row in rows})
    ident = f"forest-{number}"
    favours = _favours(rows)
    captions = _captions(favours, one) if favours else ([], [])
    caption_lines = max(len(captions[0]), len(captions[1]))
    height = axis + 40 + 14 * caption_lines + (6 if caption_lines else 0)
    parts = [
        f'<svg class="evidence-forest__plot" viewBox="0 0 {WIDTH} {height:g}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">Forest plot: {_measure_names(measures)} with '
        f"{_levels(levels)} confidence intervals, {markup.text(study.trial)}</title>",
        f'<desc id="{ident}-desc">{_description(rows, favours)}</desc>',
        f'<text class="evidence-forest__header" x="{TEXT_X:g}" y="{TOP + 10:g}">'
        f"{markup.text(_header(measures, levels))}</text>",
    ]
    for row in rows:
        parts += _row(row, scale, one)
    parts += _axis(scale, axis, measures)
    y = axis + 52
    for side, anchor, x in ((0, "end", one - 6), (1, "start", one + 6)):
        for i, line in enumerate(captions[side]):
            parts.append(
                f'<text class="evidence-forest__favours" x="{x:g}" y="{y + 14 * i:g}" '
                f'text-anchor="{anchor}">{markup.text(line)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _captions(favours: tuple[str, str], one: float) -> tuple[list[str], list[str]]:
    """'← favours A' and 'favours B →', each wrapped to fit between 1 and its end of the axis."""
    left, right = favours
    room = (
        max(int((one - 6 - PLOT_LEFT) / CHARACTER), 8),
        max(int((PLOT_RIGHT - one - 6) / CHARACTER), 8),
    )
    return (
        textwrap.wrap(f"← favours {left}", room[0], break_on_hyphens=False),
        textwrap.wrap(f"favours {right} →", room[1], break_on_hyphens=False),
    )


def _header(measures: set[str], levels: list[Decimal]) -> str:
    measure = ABBREVIATIONS[next(iter(measures))] if len(measures) == 1 else "Ratio"
    level = f"{levels[0]}% CI" if len(levels) == 1 else "CI"
    return f"{measure} ({level})"


def _row(row: Row, scale: Scale, one: float) -> list[str]:
    estimate, lower, upper = row.bounds()
    first = row.y - MARK_GAP - LABEL_LINE * (len(row.label_lines) - 1)
    label = "".join(
        f'<tspan x="{PLOT_LEFT:g}" y="{first + LABEL_LINE * i:g}"'
        + (' class="evidence-forest__context"' if i >= row.context_from else "")
        + f">{markup.text(line)}</tspan>"
        for i, line in enumerate(row.label_lines)
    )
    low, high, point = scale.x(lower), scale.x(upper), scale.x(estimate)
    value = f"{estimate} ({lower}–{upper})"
    return [
        f'<text class="evidence-forest__label">{label}</text>',
        f'<line class="evidence-forest__null" x1="{one:g}" y1="{row.y - NULL_REACH:g}" '
        f'x2="{one:g}" y2="{row.y + NULL_REACH:g}"/>',
        f'<line class="evidence-forest__ci" x1="{low:g}" y1="{row.y:g}" x2="{high:g}" '
        f'y2="{row.y:g}"/>',
        f'<rect class="evidence-forest__point" x="{point - 4:g}" y="{row.y - 4:g}" width="8" '
        'height="8"/>',
        f'<text class="evidence-forest__value" x="{TEXT_X:g}" y="{row.y + 4:g}">'
        f"{markup.text(value)}</text>",
    ]


def _axis(scale: Scale, axis: float, measures: set[str]) -> list[str]:
    parts = [
        f'<line class="evidence-forest__axis" x1="{PLOT_LEFT:g}" y1="{axis:g}" '
        f'x2="{PLOT_RIGHT:g}" y2="{axis:g}"/>'
    ]
    for tick in scale.ticks:
        x = scale.x(tick)
        parts += [
            f'<line class="evidence-forest__axis" x1="{x:g}" y1="{axis:g}" x2="{x:g}" '
            f'y2="{axis + 5:g}"/>',
            f'<text class="evidence-forest__tick" x="{x:g}" y="{axis + 18:g}" '
            f'text-anchor="middle">{markup.text(tick)}</text>',
        ]
    name = next(iter(measures)).capitalize() if len(measures) == 1 else "Ratio"
    middle = (PLOT_LEFT + PLOT_RIGHT) / 2
    parts.append(
        f'<text class="evidence-forest__axis-label" x="{middle:g}" y="{axis + 34:g}" '
        f'text-anchor="middle">{markup.text(name)} (log scale)</text>'
    )
    return parts


def _measure_names(measures: set[str]) -> str:
    return " and ".join(sorted(f"{measure}s" for measure in measures))


def _levels(levels: list[Decimal]) -> str:
    return "/".join(f"{level}%" for level in levels)


def _description(rows: list[Row], favours: tuple[str, str] | None) -> Markup:
    sentences = []
    for row in rows:
        estimate, lower, upper = row.bounds()
        context = f", {row.context.replace(chr(0xA0), ' ')}" if row.context else ""
        sentences.append(
            f"{row.label}{context}: {row.measure} {estimate}, "
            f"{row.comparison.ci_level}% confidence interval {lower} to {upper}."
        )
    if favours:
        sentences.append(f"Values below 1 favour {favours[0]}; values above 1 favour {favours[1]}.")
    return markup.text(" ".join(sentences))
