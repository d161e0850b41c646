"""The forest plot: its geometry follows from the numbers, read back from the built page.

The studies other than CABINET are imagined for these tests: their names say so, and none of
their numbers is a real result."""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from generator.pages.forest import PLOT_LEFT, PLOT_RIGHT
from tests.conftest import SEED_FILE, SEED_ID, Project, copy_project, html_page, text_of

# --- reading the plot back -------------------------------------------------------------------


def plots_on(page: Tag) -> list[Tag]:
    return page.select("article figure.evidence-forest svg")


def plot_of(page: Tag, number: int = 0) -> Tag:
    plots = plots_on(page)
    assert len(plots) > number, f"no forest plot {number}"
    return plots[number]


def plot_for(page: Tag, trial: str) -> Tag:
    """The one plot on the page whose title names `trial`."""
    (plot,) = [plot for plot in plots_on(page) if text_of(plot.find("title")).endswith(trial)]
    return plot


def number(element: Tag, name: str) -> float:
    return float(str(element[name]))


def texts(plot: Tag, kind: str) -> list[str]:
    return [text_of(element) for element in plot.select(f"text.evidence-forest__{kind}")]


def view_box(plot: Tag) -> tuple[float, float]:
    """The plot's width and height, in SVG units."""
    left, top, width, height = (float(value) for value in str(plot["viewbox"]).split())
    assert (left, top) == (0, 0)
    return width, height


class Axis:
    """The plot's scale as drawn: value <-> x from its tick marks, on a log scale."""

    def __init__(self, plot: Tag) -> None:
        ticks = [
            (float(text_of(tick)), number(tick, "x"))
            for tick in plot.select("text.evidence-forest__tick")
        ]
        assert len(ticks) >= 2
        (self.v0, self.x0), (v1, x1) = ticks[0], ticks[-1]
        self.per_log = (x1 - self.x0) / (math.log(v1) - math.log(self.v0))
        for value, x in ticks:  # every tick on the same log scale
            assert self.x(value) == pytest.approx(x, abs=0.02)
        line = plot.select("line.evidence-forest__axis")[0]  # the axis itself, then its ticks
        self.left, self.right, self.y = number(line, "x1"), number(line, "x2"), number(line, "y1")

    def x(self, value: float) -> float:
        return self.x0 + (math.log(value) - math.log(self.v0)) * self.per_log

    def value(self, x: float) -> float:
        return math.exp(math.log(self.v0) + (x - self.x0) / self.per_log)


@dataclass(frozen=True)
class Row:
    point: float  # x of the estimate's mark
    low: float  # x of the whisker's ends
    high: float
    y: float


def rows(plot: Tag) -> list[Row]:
    """Each row's whisker and mark, in SVG units."""
    found = []
    for whisker, point in zip(
        plot.select("line.evidence-forest__ci"),
        plot.select("rect.evidence-forest__point"),
        strict=True,
    ):
        centre = number(point, "x") + number(point, "width") / 2
        assert number(whisker, "y1") == number(whisker, "y2")
        assert number(point, "y") + number(point, "height") / 2 == number(whisker, "y1")
        found.append(
            Row(centre, number(whisker, "x1"), number(whisker, "x2"), number(whisker, "y1"))
        )
    return found


def classes(element: Tag) -> set[str]:
    value: str | list[str] = element.get("class") or []
    return {value} if isinstance(value, str) else set(value)


SMALL = {
    f"evidence-forest__{name}" for name in ("tick", "favours", "context", "axis-label", "header")
}
"""Classes the stylesheet sets at 12px; the rest of the plot's text is 13px."""
PER_PIXEL = 6.6 / 12  # estimated width of an average character, per pixel of font size
DESCENT = 4.0


@dataclass(frozen=True)
class Line:
    """One line of text as drawn, with its estimated extent."""

    text: str
    x: float
    y: float  # baseline
    anchor: str
    size: float
    kinds: frozenset[str]

    @property
    def width(self) -> float:
        return len(self.text) * PER_PIXEL * self.size

    @property
    def left(self) -> float:
        shift = {"start": 0.0, "middle": 0.5, "end": 1.0}[self.anchor]
        return self.x - shift * self.width

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def top(self) -> float:
        return self.y - self.size

    @property
    def bottom(self) -> float:
        return self.y + DESCENT


def lines(plot: Tag) -> Iterator[Line]:
    """Every line of text in the plot: each tspan of a label, each other text element."""
    for element in plot.find_all("text"):
        anchor = str(element.get("text-anchor") or "start")
        for part in element.find_all("tspan") or [element]:
            kinds = classes(element) | classes(part)
            x = part.get("x") or element.get("x")
            y = part.get("y") or element.get("y")
            size = 12.0 if kinds & SMALL else 13.0
            yield Line(text_of(part), float(str(x)), float(str(y)), anchor, size, frozenset(kinds))


def label_lines(label: Tag) -> list[tuple[str, float, bool]]:
    """(text, baseline, is context) of each line of a row's label."""
    return [
        (text_of(span), number(span, "y"), "evidence-forest__context" in classes(span))
        for span in label.find_all("tspan")
    ]


# --- the seed's own plot ---------------------------------------------------------------------


def test_both_cabinet_cohorts_are_drawn_where_their_numbers_put_them(seed_site: Path) -> None:
    page = html_page(seed_site, f"evidence/{SEED_ID}/")
    plot = plot_of(page)
    axis = Axis(plot)
    assert texts(plot, "tick") == ["0.1", "0.2", "0.5", "1", "2", "5", "10"]  # centred on 1
    first, second = rows(plot)
    for row, (estimate, ci_lower, ci_upper) in zip(
        (first, second), ((0.38, 0.25, 0.59), (0.23, 0.12, 0.42)), strict=True
    ):
        assert row.point == pytest.approx(axis.x(estimate), abs=0.02)
        assert row.low == pytest.approx(axis.x(ci_lower), abs=0.02)
        assert row.high == pytest.approx(axis.x(ci_upper), abs=0.02)
        assert axis.value(row.point) == pytest.approx(estimate, abs=0.0005)
    assert first.y < second.y  # in the order of the tables
    # The line of no effect: one short segment at 1 beside each whisker
    nulls = plot.select("line.evidence-forest__null")
    assert len(nulls) == 2
    for null, row in zip(nulls, (first, second), strict=True):
        assert number(null, "x1") == number(null, "x2") == pytest.approx(axis.x(1), abs=0.02)
        assert number(null, "y1") < row.y < number(null, "y2")

    labels = [label_lines(label) for label in plot.select("text.evidence-forest__label")]
    assert [" ".join(text for text, _, _ in label) for label in labels] == [
        "Cabozantinib vs Placebo Extrapancreatic neuroendocrine tumors",
        "Cabozantinib vs Placebo Pancreatic neuroendocrine tumors",
    ]  # one endpoint, one measure, one level: only the cohort tells the rows apart
    for label in labels:  # the comparison on its own line, then its context
        assert [is_context for _, _, is_context in label] == [False] + [True] * (len(label) - 1)
    assert texts(plot, "value") == ["0.38 (0.25–0.59)", "0.23 (0.12–0.42)"]
    assert texts(plot, "header") == ["HR (95% CI)"]
    (header,) = plot.select("text.evidence-forest__header")
    for value in plot.select("text.evidence-forest__value"):  # a column under its header
        assert number(value, "x") == number(header, "x")
    assert texts(plot, "axis-label") == ["Hazard ratio (log scale)"]
    favours = plot.select("text.evidence-forest__favours")
    left = " ".join(text_of(t) for t in favours if t["text-anchor"] == "end")
    right = " ".join(text_of(t) for t in favours if t["text-anchor"] == "start")
    assert (left, right) == ("← favours Cabozantinib", "favours Placebo →")


def test_the_plot_has_a_text_alternative_and_the_table_stays(seed_site: Path) -> None:
    page = html_page(seed_site, f"evidence/{SEED_ID}/")
    plot = plot_of(page)
    assert plot["role"] == "img"
    title, description = (page.find(id=name) for name in str(plot["aria-labelledby"]).split())
    assert text_of(title) == (
        "Forest plot: hazard ratios with 95% confidence intervals, CABINET (Alliance A021602)"
    )
    assert text_of(description) == (
        "Cabozantinib vs Placebo, Extrapancreatic neuroendocrine tumors: hazard ratio 0.38, 95% "
        "confidence interval 0.25 to 0.59. Cabozantinib vs Placebo, Pancreatic neuroendocrine "
        "tumors: hazard ratio 0.23, 95% confidence interval 0.12 to 0.42. Values below 1 favour "
        "Cabozantinib; values above 1 favour Placebo."
    )
    figure = plot.find_parent("figure")
    assert isinstance(figure, Tag)
    table = figure.find_previous("table", class_="evidence-comparisons")
    assert isinstance(table, Tag)
    assert "HR 0.23 (95% CI 0.12–0.42)" in text_of(table)
    # The plot is drawn with the page's palette, never with fixed colours
    assert not any(element.get("fill") or element.get("stroke") for element in plot.find_all())
    assert not any(element.get("style") for element in plot.find_all())
    assert plot.has_attr("viewbox")  # scales with the page
    assert not plot.has_attr("width")
    assert not plot.has_attr("height")
    assert view_box(plot)[0] == 360  # drawn for a phone


# --- imagined studies, in the results format -------------------------------------------------

SCALE_TRIAL = "Imagined scale trial (not a real study)"
THREE_ARM_TRIAL = "Imagined three-arm trial (not a real study)"
MIXED_TRIAL = "Imagined mixed-level trial (not a real study)"
LONG_NAMES_TRIAL = "Imagined long-names trial (not a real study)"
UNPLOTTABLE_TRIAL = "Imagined trial without a plottable effect (not a real study)"
LONG_POPULATION = "A cohort whose name is long enough to wrap onto a second line of the plot"


def response_cohort(population: str, measure: str, numbers: str, percents: str) -> str:
    """An imagined two-arm cohort with one response outcome and one ratio."""
    estimate, low, high = numbers.split()
    drug, placebo = percents.split()
    return f"""\
- population: {population}
  patients: 40
  arms:
    - name: Drug
    - name: Placebo
  outcomes:
    - endpoint: Response
      kind: response
      arms:
        - {{arm: Drug, percent: {drug}}}
        - {{arm: Placebo, percent: {placebo}}}
      comparisons:
        - {{experimental: Drug, control: Placebo, measure: {measure}, estimate: {estimate},
            ci_lower: {low}, ci_upper: {high}}}
"""


def study(trial: str, *cohorts: str) -> str:
    return f"""\
- trial: {trial}
  reference: 1
  cohorts:
{textwrap.indent("".join(cohorts), "    ")}"""


SCALE_STUDY = study(
    SCALE_TRIAL,
    response_cohort("Older adults", "odds ratio", "1.8 1.1 7.5", "40.0 27.0"),
    response_cohort(LONG_POPULATION, "risk ratio", "0.9 0.03 1.2", "30.0 33.0"),
    response_cohort("Younger adults", "odds ratio", "1.2 0.9 1.6", "35.0 31.0"),
)

THREE_ARM_STUDY = study(
    THREE_ARM_TRIAL,
    """\
- population: Adults with imagined tumours
  patients: 300
  arms:
    - name: Drug A + Drug B
    - name: Drug A
    - name: Drug B
  outcomes:
    - endpoint: Progression-free survival
      kind: time to event
      unit: months
      arms:
        - {arm: Drug A + Drug B, median: 12.0}
        - {arm: Drug A, median: 9.0}
        - {arm: Drug B, median: 6.0}
      comparisons:
        - experimental: Drug A + Drug B
          control: Drug B
          measure: hazard ratio
          estimate: 0.50
          ci_lower: 0.35
          ci_upper: 0.72
          ci_level: 99.5
        - experimental: Drug A
          control: Drug B
          measure: hazard ratio
          estimate: 0.70
          ci_lower: 0.50
          ci_upper: 0.98
          ci_level: 99.5
""",
)


def hazard_outcome(endpoint: str, numbers: str, level: str) -> str:
    estimate, low, high = numbers.split()
    return f"""\
- endpoint: {endpoint}
  kind: time to event
  unit: months
  arms:
    - {{arm: Drug, median: 11.0}}
    - {{arm: Placebo, median: 7.0}}
  comparisons:
    - {{experimental: Drug, control: Placebo, measure: hazard ratio, estimate: {estimate},
        ci_lower: {low}, ci_upper: {high}, ci_level: {level}}}
"""


MIXED_STUDY = study(
    MIXED_TRIAL,
    f"""\
- population: Adults
  patients: 200
  arms:
    - name: Drug
    - name: Placebo
  outcomes:
{textwrap.indent(hazard_outcome("Progression-free survival", "0.62 0.45 0.86", "99.5"), "    ")}\
{textwrap.indent(hazard_outcome("Overall survival", "0.80 0.66 0.97", "95"), "    ")}\
    - endpoint: Quality of life score
      kind: continuous
      unit: points
      arms:
        - {{arm: Drug, mean: 4.2, sd: 1.1}}
        - {{arm: Placebo, mean: 3.9, sd: 1.2}}
      comparisons:  # not a ratio: no row
        - {{experimental: Drug, control: Placebo, measure: mean difference, estimate: 0.3,
            ci_lower: 0.1, ci_upper: 0.5}}
        - {{experimental: Drug, control: Placebo, p_value: "0.01"}}
""",
)

LONG_NAMES_STUDY = study(
    LONG_NAMES_TRIAL,
    """\
- population: Adults with an imagined cancer
  patients: 500
  arms:
    - name: Pembrolizumab plus chemotherapy
    - name: Chemotherapy alone
  outcomes:
    - endpoint: Overall survival
      kind: time to event
      unit: months
      arms:
        - {arm: Pembrolizumab plus chemotherapy, median: 15.0}
        - {arm: Chemotherapy alone, median: 11.0}
      comparisons:
        - {experimental: Pembrolizumab plus chemotherapy, control: Chemotherapy alone,
           measure: hazard ratio, estimate: 0.70, ci_lower: 0.58, ci_upper: 0.85}
""",
)

UNPLOTTABLE_STUDY = study(
    UNPLOTTABLE_TRIAL,
    """\
- population: Tiny effect
  patients: 40
  arms:
    - name: Drug
    - name: Placebo
  outcomes:
    - endpoint: Overall survival
      kind: time to event
      unit: months
      arms:
        - {arm: Drug, median: 10.0}
        - {arm: Placebo, median: 8.0}
      comparisons:  # a ratio beyond the scale's last tick, and a difference
        - {experimental: Drug, control: Placebo, measure: hazard ratio, estimate: 0.005,
           ci_lower: 0.001, ci_upper: 0.02}
        - {experimental: Drug, control: Placebo, measure: risk difference, estimate: 2.0,
           ci_lower: 1.0, ci_upper: 3.0}
""",
)


def with_studies(project: Project, *studies: str) -> None:
    """The seed entry with imagined studies before its own."""
    text = project.read(SEED_FILE)
    added = textwrap.indent("".join(studies), "  ")
    project.write(SEED_FILE, text.replace("results:\n", "results:\n" + added, 1))


@pytest.fixture(scope="module")
def imagined(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    """The seed's page with every imagined study, built once."""
    project = copy_project(tmp_path_factory.mktemp("imagined") / "project")
    with_studies(
        project, SCALE_STUDY, THREE_ARM_STUDY, MIXED_STUDY, LONG_NAMES_STUDY, UNPLOTTABLE_STUDY
    )
    return html_page(project.build(strict=False), f"evidence/{SEED_ID}/")


def test_scale_grows_to_hold_every_interval_and_the_line_of_no_effect(
    imagined: BeautifulSoup,
) -> None:
    plot = plot_for(imagined, SCALE_TRIAL)
    axis = Axis(plot)
    # 0.02 to 10 leaves no room for 1, 2 and 5 of each decade: the decades and the low end
    assert texts(plot, "tick") == ["0.02", "0.1", "1", "10"]
    ticks = [number(t, "x") for t in plot.select("text.evidence-forest__tick")]
    assert all(b - a >= 28 for a, b in itertools.pairwise(ticks))
    first, second, _ = rows(plot)
    assert (first.low, first.high) == pytest.approx((axis.x(1.1), axis.x(7.5)), abs=0.02)
    assert second.low == pytest.approx(axis.x(0.03), abs=0.02)
    assert axis.left <= axis.x(0.03) < axis.x(7.5) <= axis.right
    # Two measures: no single "favours" reading, so no such caption, and each row's label
    # names its measure
    assert texts(plot, "favours") == []
    assert texts(plot, "header") == ["Ratio (95% CI)"]
    assert texts(plot, "axis-label") == ["Ratio (log scale)"]
    assert texts(plot, "value") == ["1.8 (1.1–7.5)", "0.9 (0.03–1.2)", "1.2 (0.9–1.6)"]
    contexts = [label_lines(label)[-1][0] for label in plot.select("text.evidence-forest__label")]
    assert [context.rsplit("·", 1)[-1].strip() for context in contexts] == ["OR", "RR", "OR"]
    assert text_of(plot.find("title")) == (
        f"Forest plot: odds ratios and risk ratios with 95% confidence intervals, {SCALE_TRIAL}"
    )
    # The seed's own study is still on the page, unchanged
    seed = plot_for(imagined, "CABINET (Alliance A021602)")
    assert texts(seed, "value") == ["0.38 (0.25–0.59)", "0.23 (0.12–0.42)"]


def test_wrapped_labels_move_the_rows_below_them_down(imagined: BeautifulSoup) -> None:
    plot = plot_for(imagined, SCALE_TRIAL)
    first, second, third = rows(plot)
    labels = [label_lines(label) for label in plot.select("text.evidence-forest__label")]
    assert [len(label) for label in labels] == [2, 3, 2]  # the long population wraps
    assert " ".join(text for text, _, _ in labels[1]) == (f"Drug vs Placebo {LONG_POPULATION} · RR")
    spacing = labels[0][1][1] - labels[0][0][1]
    assert spacing >= 13  # lines of 13px text do not overlap
    for label in labels:
        baselines = [y for _, y, _ in label]
        assert all(b - a == spacing for a, b in itertools.pairwise(baselines))
    # Each label lies between the whisker above it and its own, and the row with one more line
    # of label is one line further from the row above it
    for above, row, label in zip(
        (None, first, second), (first, second, third), labels, strict=True
    ):
        assert (above.y if above else 0) < label[0][1] < label[-1][1] < row.y
    assert (second.y - first.y) - (third.y - second.y) == spacing


def test_a_three_arm_trial_draws_one_row_per_comparison(imagined: BeautifulSoup) -> None:
    plot = plot_for(imagined, THREE_ARM_TRIAL)
    axis = Axis(plot)
    labels = [label_lines(label) for label in plot.select("text.evidence-forest__label")]
    assert [label[0] for label in labels] == [
        ("Drug A + Drug B vs Drug B", labels[0][0][1], False),
        ("Drug A vs Drug B", labels[1][0][1], False),
    ]
    for label in labels:  # one cohort, endpoint, measure and level: nothing else to tell
        assert len(label) == 1
    first, second = rows(plot)
    for row, (estimate, ci_lower, ci_upper) in zip(
        (first, second), ((0.50, 0.35, 0.72), (0.70, 0.50, 0.98)), strict=True
    ):
        assert (row.point, row.low, row.high) == pytest.approx(
            (axis.x(estimate), axis.x(ci_lower), axis.x(ci_upper)), abs=0.02
        )
    assert texts(plot, "header") == ["HR (99.5% CI)"]
    assert texts(plot, "value") == ["0.50 (0.35–0.72)", "0.70 (0.50–0.98)"]  # level in header
    assert text_of(plot.find("title")) == (
        f"Forest plot: hazard ratios with 99.5% confidence intervals, {THREE_ARM_TRIAL}"
    )
    description = text_of(plot.find("desc"))
    assert description.count("99.5% confidence interval") == 2
    assert "95% confidence" not in description
    assert description.startswith("Drug A + Drug B vs Drug B: hazard ratio 0.50, 99.5%")
    # Two experimental arms, one control: the captions say so
    favours = plot.select("text.evidence-forest__favours")
    left = " ".join(text_of(t) for t in favours if t["text-anchor"] == "end")
    right = " ".join(text_of(t) for t in favours if t["text-anchor"] == "start")
    assert (left, right) == ("← favours the first arm named", "favours Drug B →")
    # ... and the table gives the same level
    table = plot.find_parent("figure").find_previous("table", class_="evidence-comparisons")  # type: ignore[union-attr]
    assert isinstance(table, Tag)
    assert "HR 0.70 (99.5% CI 0.50–0.98)" in text_of(table)


def test_mixed_confidence_levels_show_each_level(imagined: BeautifulSoup) -> None:
    plot = plot_for(imagined, MIXED_TRIAL)
    # Only the two hazard ratios are rows: a mean difference and a bare P value are not
    assert len(rows(plot)) == 2
    assert texts(plot, "value") == ["0.62 (0.45–0.86)", "0.80 (0.66–0.97)"]
    contexts = [label_lines(label)[-1][0] for label in plot.select("text.evidence-forest__label")]
    assert [context.rsplit("·", 1)[-1].strip() for context in contexts] == ["99.5% CI", "95% CI"]
    assert texts(plot, "header") == ["HR (CI)"]  # no one level to name
    assert text_of(plot.find("title")) == (
        f"Forest plot: hazard ratios with 95%/99.5% confidence intervals, {MIXED_TRIAL}"
    )
    description = text_of(plot.find("desc"))
    assert "hazard ratio 0.62, 99.5% confidence interval 0.45 to 0.86" in description
    assert "hazard ratio 0.80, 95% confidence interval 0.66 to 0.97" in description
    labels = [label_lines(label)[0][0] for label in plot.select("text.evidence-forest__label")]
    assert labels == ["Drug vs Placebo", "Drug vs Placebo"]


def test_a_study_without_effects_a_log_scale_can_show_has_no_plot(
    imagined: BeautifulSoup,
) -> None:
    titles = [text_of(plot.find("title")) for plot in plots_on(imagined)]
    assert len(titles) == 5  # four imagined studies and the seed's, not the fifth
    assert not any(title.endswith(UNPLOTTABLE_TRIAL) for title in titles)
    (heading,) = [h3 for h3 in imagined.select("article h3") if text_of(h3) == UNPLOTTABLE_TRIAL]
    section = heading.find_next("section")
    assert isinstance(section, Tag)
    assert "HR 0.005 (95% CI 0.001–0.02)" in text_of(section)  # the table still has it
    following = heading.find_next(lambda tag: tag.name == "h3" or "evidence-forest" in classes(tag))
    assert isinstance(following, Tag)
    assert following.name == "h3"  # the next study's heading comes before any plot


# --- properties of every plot ----------------------------------------------------------------

PLOTS = {
    "seed": "CABINET (Alliance A021602)",
    "scale": SCALE_TRIAL,
    "three-arm": THREE_ARM_TRIAL,
    "mixed-levels": MIXED_TRIAL,
    "long-names": LONG_NAMES_TRIAL,
}
EVERY_PLOT = pytest.mark.parametrize("trial", list(PLOTS.values()), ids=list(PLOTS))


@EVERY_PLOT
def test_the_null_line_is_at_1_and_never_crosses_a_label(
    imagined: BeautifulSoup, trial: str
) -> None:
    plot = plot_for(imagined, trial)
    axis = Axis(plot)
    one = axis.x(1)
    nulls = plot.select("line.evidence-forest__null")
    assert len(nulls) == len(rows(plot))  # a segment beside each whisker, and only there
    drawn = list(lines(plot))
    for null, row in zip(nulls, rows(plot), strict=True):
        assert number(null, "x1") == number(null, "x2") == pytest.approx(one, abs=0.02)
        top, bottom = sorted((number(null, "y1"), number(null, "y2")))
        assert top < row.y < bottom < axis.y
        for line in drawn:
            label = "evidence-forest__label" in line.kinds
            if label or line.left <= one <= line.right:
                assert bottom < line.top or line.bottom < top, (line, top, bottom)


@pytest.mark.parametrize(
    "trial",
    [pytest.param(trial, id=name) for name, trial in PLOTS.items()],
)
def test_every_text_stays_inside_the_view_box(imagined: BeautifulSoup, trial: str) -> None:
    plot = plot_for(imagined, trial)
    width, height = view_box(plot)
    for line in lines(plot):
        assert 0 <= line.left <= line.right <= width, line
        assert 0 <= line.top <= line.bottom <= height, line


@pytest.mark.parametrize("trial", [PLOTS["seed"], THREE_ARM_TRIAL, LONG_NAMES_TRIAL])
def test_favours_captions_stay_on_their_side_of_1(imagined: BeautifulSoup, trial: str) -> None:
    plot = plot_for(imagined, trial)
    axis = Axis(plot)
    one = axis.x(1)
    assert (axis.left, axis.right) == (PLOT_LEFT, PLOT_RIGHT)
    assert one == pytest.approx((PLOT_LEFT + PLOT_RIGHT) / 2, abs=0.02)  # centred on 1
    captions = [line for line in lines(plot) if "evidence-forest__favours" in line.kinds]
    left = [line for line in captions if line.anchor == "end"]
    right = [line for line in captions if line.anchor == "start"]
    assert left
    assert right
    assert len(left) + len(right) == len(captions)
    for line in left:
        assert PLOT_LEFT <= line.left <= line.right <= one, line
    for line in right:
        assert one <= line.left <= line.right <= PLOT_RIGHT, line
    for side in (left, right):  # lines of a caption stack, under the axis label
        baselines = [line.y for line in side]
        assert baselines == sorted(baselines)
        assert all(b - a >= 12 for a, b in itertools.pairwise(baselines))
        assert baselines[0] - 12 > max(
            line.bottom for line in lines(plot) if "evidence-forest__axis-label" in line.kinds
        )


def test_long_arm_names_wrap_in_their_captions(imagined: BeautifulSoup) -> None:
    plot = plot_for(imagined, LONG_NAMES_TRIAL)
    favours = plot.select("text.evidence-forest__favours")
    left = [text_of(t) for t in favours if t["text-anchor"] == "end"]
    right = [text_of(t) for t in favours if t["text-anchor"] == "start"]
    assert len(left) > 1  # wrapped
    assert len(right) > 1
    assert " ".join(left) == "← favours Pembrolizumab plus chemotherapy"
    assert " ".join(right) == "favours Chemotherapy alone →"
    assert text_of(plot.find("desc")).endswith(
        "Values below 1 favour Pembrolizumab plus chemotherapy; values above 1 favour "
        "Chemotherapy alone."
    )
