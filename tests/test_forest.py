"""The forest plot: its geometry follows from the numbers, read back from the built page."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from bs4 import Tag

from tests.conftest import SEED_FILE, SEED_ID, Project, html_page, text_of


def plot_of(page: Tag, number: int = 0) -> Tag:
    plots = page.select("article figure.evidence-forest svg")
    assert len(plots) > number, f"no forest plot {number}"
    return plots[number]


def number(element: Tag, name: str) -> float:
    return float(str(element[name]))


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

    def x(self, value: float) -> float:
        return self.x0 + (math.log(value) - math.log(self.v0)) * self.per_log

    def value(self, x: float) -> float:
        return math.exp(math.log(self.v0) + (x - self.x0) / self.per_log)


def rows(plot: Tag) -> list[tuple[float, float, float, float]]:
    """(point, lower whisker end, upper whisker end, y) of each row, in SVG units."""
    found = []
    for whisker, point in zip(
        plot.select("line.evidence-forest__ci"),
        plot.select("rect.evidence-forest__point"),
        strict=True,
    ):
        centre = number(point, "x") + number(point, "width") / 2
        assert number(whisker, "y1") == number(whisker, "y2")
        assert number(point, "y") + number(point, "height") / 2 == number(whisker, "y1")
        found.append((centre, number(whisker, "x1"), number(whisker, "x2"), number(whisker, "y1")))
    return found


def test_both_cabinet_cohorts_are_drawn_where_their_numbers_put_them(seed_site: Path) -> None:
    page = html_page(seed_site, f"evidence/{SEED_ID}/")
    plot = plot_of(page)
    axis = Axis(plot)
    assert [text_of(t) for t in plot.select("text.evidence-forest__tick")] == [
        "0.1",
        "0.2",
        "0.5",
        "1",
        "2",
    ]
    (first, second) = rows(plot)
    for (point, low, high, _), (estimate, ci_lower, ci_upper) in zip(
        (first, second), ((0.38, 0.25, 0.59), (0.23, 0.12, 0.42)), strict=True
    ):
        assert point == pytest.approx(axis.x(estimate), abs=0.02)
        assert low == pytest.approx(axis.x(ci_lower), abs=0.02)
        assert high == pytest.approx(axis.x(ci_upper), abs=0.02)
        assert axis.value(point) == pytest.approx(estimate, abs=0.0005)
    assert first[3] < second[3]  # in the order of the table
    (null,) = plot.select("line.evidence-forest__null")
    assert number(null, "x1") == number(null, "x2") == pytest.approx(axis.x(1), abs=0.02)

    labels = [text_of(t) for t in plot.select("text.evidence-forest__label")]
    assert labels == [
        "Extrapancreatic neuroendocrine tumors (203 patients)",
        "Pancreatic neuroendocrine tumors (95 patients)",
    ]
    values = [text_of(t) for t in plot.select("text.evidence-forest__value")]
    assert values == ["HR 0.38 (0.25–0.59)", "HR 0.23 (0.12–0.42)"]
    favours = [text_of(t) for t in plot.select("text.evidence-forest__favours")]
    assert favours == ["← favours Cabozantinib", "favours Placebo →"]


def test_the_plot_has_a_text_alternative_and_the_table_stays(seed_site: Path) -> None:
    page = html_page(seed_site, f"evidence/{SEED_ID}/")
    plot = plot_of(page)
    assert plot["role"] == "img"
    title, description = (page.find(id=name) for name in str(plot["aria-labelledby"]).split())
    assert text_of(title) == (
        "Forest plot: hazard ratios with 95% confidence intervals, CABINET (Alliance A021602)"
    )
    assert text_of(description) == (
        "Extrapancreatic neuroendocrine tumors (203 patients): hazard ratio 0.38, 95% confidence "
        "interval 0.25 to 0.59. Pancreatic neuroendocrine tumors (95 patients): hazard ratio "
        "0.23, 95% confidence interval 0.12 to 0.42. Values below 1 favour Cabozantinib; values "
        "above 1 favour Placebo."
    )
    table = plot.find_parent("figure").find_previous_sibling("table")  # type: ignore[union-attr]
    assert isinstance(table, Tag)
    assert "HR 0.38 (95% CI 0.25–0.59)" in text_of(table)
    # The plot is drawn with the page's palette, never with fixed colours
    assert not any(element.get("fill") or element.get("stroke") for element in plot.find_all())
    assert plot.has_attr("viewbox")  # scales with the page
    assert not plot.has_attr("width")


STUDY = """\
results:
  - trial: Imagined trial (not a real study)
    reference: 1
    cohorts:
{cohorts}
"""


def cohort(population: str, estimate: str, low: str, high: str, measure: str) -> str:
    return f"""\
      - population: {population}
        patients: 40
        endpoint: Overall survival
        arms:
          - {{name: Drug, median: 10.0, unit: months}}
          - {{name: Placebo, median: 8.0, unit: months}}
        effect:
          measure: {measure}
          experimental: Drug
          control: Placebo
          estimate: {estimate}
          ci_lower: {low}
          ci_upper: {high}
"""


def with_study(project: Project, *cohorts: str) -> None:
    """The seed entry with one more study, of imagined cohorts."""
    text = project.read(SEED_FILE)
    study = STUDY.format(cohorts="".join(cohorts)).removeprefix("results:\n")
    project.write(SEED_FILE, text.replace("results:\n", "results:\n" + study, 1))


def test_scale_grows_to_hold_every_interval_and_the_line_of_no_effect(project: Project) -> None:
    with_study(
        project,
        cohort("Older adults", "1.8", "1.1", "7.5", "odds ratio"),
        cohort(
            "A cohort whose name is long enough to wrap onto a second line of the plot",
            "0.9",
            "0.03",
            "1.2",
            "risk ratio",
        ),
    )
    site = project.build(strict=False)
    plot = plot_of(html_page(site, f"evidence/{SEED_ID}/"))
    axis = Axis(plot)
    ticks = [text_of(t) for t in plot.select("text.evidence-forest__tick")]
    assert ticks == ["0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10"]
    (first, second) = rows(plot)
    assert first[1:3] == pytest.approx((axis.x(1.1), axis.x(7.5)), abs=0.02)
    assert second[1] == pytest.approx(axis.x(0.03), abs=0.02)
    label = plot.select("text.evidence-forest__label")[1]
    assert len(label.find_all("tspan")) == 2  # wrapped, and the row moved down to make room
    spans = [number(span, "y") for span in label.find_all("tspan")]
    assert first[3] < spans[0] < spans[1] < second[3]
    # Two measures: no single "favours" reading, so no such caption
    assert plot.select("text.evidence-forest__favours") == []
    assert text_of(plot.find("title")).startswith(
        "Forest plot: odds ratios and risk ratios with 95% confidence intervals"
    )
    # The seed's own study is still the second plot on the page, unchanged
    second_plot = plot_of(html_page(site, f"evidence/{SEED_ID}/"), 1)
    assert [text_of(t) for t in second_plot.select("text.evidence-forest__value")] == [
        "HR 0.38 (0.25–0.59)",
        "HR 0.23 (0.12–0.42)",
    ]


def test_a_study_without_effects_a_log_scale_can_show_has_no_plot(project: Project) -> None:
    with_study(project, cohort("Tiny effect", "0.005", "0.001", "0.02", "hazard ratio"))
    site = project.build(strict=False)
    page = html_page(site, f"evidence/{SEED_ID}/")
    plots = page.select("article figure.evidence-forest")
    assert len(plots) == 1  # only the seed's CABINET plot
    assert "HR 0.005 (95% CI 0.001–0.02)" in text_of(page.find("table"))  # the table still has it
