"""Each kind of result a trial reports, in an imagined test entry: it loads, passes a strict
check, and renders to the Markdown of its golden file (through `render OUT`, the contract that
outlives the plugin); the three-arm trial also as a built page."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bs4 import Tag

from tests.conftest import SEED_FILE, Project, copy_project, html_page, text_of

ENTRIES = Path(__file__).parent / "data" / "outcomes"
GOLDEN = ENTRIES  # each golden page beside its entry
KINDS = sorted(path.stem for path in ENTRIES.glob("*.yaml"))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("outcomes") / "project")
    project.path(SEED_FILE).unlink()
    for path in ENTRIES.glob("*.yaml"):
        project.write(f"content/evidence/{path.name}", path.read_text(encoding="utf-8"))
    return project


def test_every_kind_passes_a_strict_check(outcomes: Project) -> None:
    assert KINDS == ["continuous", "rate", "response", "three-arms", "time-to-event"]
    result = outcomes.generator("check", "--strict", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert (report["findings"], report["waived"]) == ([], [])


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_renders_as_its_golden_file(outcomes: Project, kind: str) -> None:
    """Set UPDATE_GOLDEN=1 to rewrite the files after an intended change; review the diff."""
    result = outcomes.generator("render", "out")
    assert result.returncode == 0, result.stderr
    text = outcomes.read(f"out/evidence/{kind}.md")
    golden = GOLDEN / f"{kind}.md"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"differs from {golden}"


def rows(table: Tag) -> list[list[str]]:
    return [[text_of(cell) for cell in row.find_all(["th", "td"])] for row in table("tr")]


def test_a_three_arm_trial_lists_each_arm_once_and_shows_its_99_5_percent_cis(
    outcomes: Project,
) -> None:
    page = html_page(outcomes.build(), "evidence/three-arms/")
    (cohort,) = page.select("section.evidence-cohort")
    assert text_of(cohort.find("p")) == "Adults with imagined tumours · 945 patients randomised"
    arms, figures, comparisons = cohort.select("table")
    assert rows(arms) == [
        ["Arm", "Patients"],  # no regimen given: no column for it
        ["A plus B", "314"],
        ["A", "316"],
        ["B", "315"],
    ]
    assert rows(figures)[1:] == [["A plus B", "11.5 months"], ["A", "6.9 months"],
                                 ["B", "2.9 months"]]  # fmt: skip
    assert rows(comparisons)[1:] == [
        ["A plus B vs B", "HR 0.42 (99.5% CI 0.31–0.57)", "<0.001"],
        ["A vs B", "HR 0.57 (99.5% CI 0.43–0.76)", "<0.001"],
    ]
    plot = page.select_one("figure.evidence-forest svg")
    assert plot is not None
    assert text_of(plot.select_one("text.evidence-forest__header")) == "HR (99.5% CI)"


def test_each_kind_shows_its_own_figures(outcomes: Project) -> None:
    site = outcomes.build()
    shown = {}
    for kind in ("time-to-event", "rate", "response", "continuous"):
        page = html_page(site, f"evidence/{kind}/")
        shown[kind] = [rows(table)[1:] for table in page.select("table.evidence-outcome")]
    assert shown == {
        "time-to-event": [
            [
                ["Drug A", "11.0 months (95% CI 9.2–13.3)"],
                ["Placebo", "3.9 months (95% CI 3.6–7.4)"],
            ],
            [["Drug A", "not reached (40 events)"], ["Placebo", "20.1 months (35 events)"]],
        ],
        "rate": [[["Drug B", "65.1% (95% CI 54.0–74.1)"], ["Placebo", "33.0% (95% CI 23.0–43.3)"]]],
        "response": [[["Drug C", "18% (21 of 116)"], ["Control drug", "3% (3 of 113)"]]],
        "continuous": [
            [["Drug D", "mean 4.2 points (SD 1.1)"], ["Placebo", "mean 5.6 points (SD 1.3)"]]
        ],
    }
