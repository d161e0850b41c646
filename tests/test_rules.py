"""Consistency rules: each with an entry that passes and one that fails, with its message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import Tag

from generator.checks.registry import RULES
from tests.conftest import REPO, SEED_FILE, SEED_ID, Project, html_page, text_of

E = f"{SEED_FILE}:"  # every finding below is in the seed entry, changed one way or another


def check(project: Project, *edits: tuple[str, str], strict: bool = False) -> list[str]:
    """Apply `edits` to the seed entry, run `check`, return its lines (without the count)."""
    for old, new in edits:
        project.edit(SEED_FILE, old, new)
    result = project.generator("check", *(["--strict"] if strict else []))
    lines = (result.stderr + result.stdout).splitlines()
    return [line for line in lines if not line.endswith("found.") and " checked: " not in line]


def test_the_seed_entry_passes_every_rule_without_a_waiver(project: Project) -> None:
    result = project.generator("check", "--strict", "--format", "json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["findings"] == []
    assert report["waived"] == []
    assert "waivers:" not in project.read(SEED_FILE)


# --- results -----------------------------------------------------------------------------------


def test_the_inverted_hazard_ratio_seen_in_the_wild_is_flagged(project: Project) -> None:
    """One public summary of CABINET printed 'HR 2.6, 95% CI 1.7 to 4': the inverse of 0.38."""
    assert check(
        project,
        ("estimate: 0.38", "estimate: 2.6"),
        ("ci_lower: 0.25", "ci_lower: 1.7"),
        ("ci_upper: 0.59", "ci_upper: 4"),
    ) == [
        f"{E}32:11: results[0].cohorts[0].effect: a hazard ratio of 2.6 means more events on "
        "Cabozantinib than on Placebo, yet Cabozantinib has the longer median (8.4 months vs 3.9 "
        "months): check the values, and which arm is experimental [results-direction]"
    ]


def test_a_hazard_ratio_below_1_needs_the_longer_median(project: Project) -> None:
    # The quote still says 8.4 months, so the summary's "8.4 months" is still accounted for.
    assert check(project, ("median: 8.4", "median: 3.0")) == [
        f"{E}32:11: results[0].cohorts[0].effect: a hazard ratio of 0.38 means fewer events on "
        "Cabozantinib than on Placebo, yet Cabozantinib has the shorter median (3.0 months vs 3.9 "
        "months): check the values, and which arm is experimental [results-direction]"
    ]


@pytest.mark.parametrize(
    ("edits", "finding"),
    [
        (
            [("estimate: 0.38", "estimate: 0.7")],
            "35:21: results[0].cohorts[0].effect.estimate: the estimate 0.7 lies outside its 95% "
            "confidence interval, 0.25 to 0.59 [results-estimate-in-ci]",
        ),
        (
            [("ci_lower: 0.25", "ci_lower: 0.65")],
            "36:21: results[0].cohorts[0].effect.ci_lower: the confidence interval runs from 0.65 "
            "to 0.59: its lower limit must be below its upper limit [results-ci-order]",
        ),
        (
            [("estimate: 0.38", "estimate: -0.38")],
            "35:21: results[0].cohorts[0].effect.estimate: a hazard ratio is greater than 0, and "
            "so are its confidence limits; estimate is -0.38 [results-ratio-positive]",
        ),
        (
            [("ci_lower: 0.25", "ci_lower: 0")],
            "36:21: results[0].cohorts[0].effect.ci_lower: a hazard ratio is greater than 0, and "
            "so are its confidence limits; ci_lower is 0 [results-ratio-positive]",
        ),
        (
            [("p_value: <0.001", "p_value: 0.20")],
            "39:18: results[0].cohorts[0].p_value: warning: P 0.20 says the difference is not "
            "significant at 0.05, but the 95% confidence interval 0.25 to 0.59 excludes 1 "
            "[results-p-value]",
        ),
        (
            [("p_value: <0.001", "p_value: 0.03"), ("ci_upper: 0.59", "ci_upper: 1.02")],
            "39:18: results[0].cohorts[0].p_value: warning: P 0.03 says the difference is "
            "significant at 0.05, but the 95% confidence interval 0.25 to 1.02 includes 1 "
            "[results-p-value]",
        ),
        (
            [
                ("name: Cabozantinib\n            median: 8.4",
                 "name: Cabozantinib\n            patients: 134\n            median: 8.4"),
                ("name: Placebo\n            median: 3.9",
                 "name: Placebo\n            patients: 60\n            median: 3.9"),
            ],
            "22:19: results[0].cohorts[0].patients: the arms hold 194 patients (134 + 60), the "
            "cohort 203 [results-arm-counts]",
        ),
        (
            [("name: Cabozantinib\n            median: 8.4",
              "name: Cabozantinib\n            patients: 210\n            median: 8.4")],
            "22:19: results[0].cohorts[0].patients: the arms that give counts already hold 210 "
            "patients; the cohort has 203 [results-arm-counts]",
        ),
        (
            [("patients: 203", "patients: 0")],
            "22:19: results[0].cohorts[0].patients: expected a whole number greater than 0, like "
            "203, got '0' [results-patients]",
        ),
    ],
)  # fmt: skip
def test_results_rules(project: Project, edits: list[tuple[str, str]], finding: str) -> None:
    assert check(project, *edits) == [E + finding]


@pytest.mark.parametrize(
    "edits",
    [
        # arm counts that add up; a P value and interval that agree; an odds ratio, which says
        # nothing about medians; a bound that says nothing about 0.05
        [("name: Cabozantinib\n            median: 8.4",
          "name: Cabozantinib\n            patients: 134\n            median: 8.4"),
         ("name: Placebo\n            median: 3.9",
          "name: Placebo\n            patients: 69\n            median: 3.9")],
        [("p_value: <0.001", "p_value: 0.20"), ("ci_upper: 0.59", "ci_upper: 1.02"),
         ("estimate: 0.38", "estimate: 0.6")],
        [("measure: hazard ratio", "measure: odds ratio"), ("median: 8.4", "median: 3.0")],
        [("p_value: <0.001", "p_value: <0.2")],
        [("median: 8.4", "median: not reached")],
    ],
)  # fmt: skip
def test_results_that_agree(project: Project, edits: list[tuple[str, str]]) -> None:
    lines = check(project, *edits)
    assert [line for line in lines if "[results-" in line] == []


# --- prose ---------------------------------------------------------------------------------------


def test_a_number_in_the_prose_must_come_from_the_data(project: Project) -> None:
    assert check(project, ("median PFS was 8.4", "median PFS was 8.9")) == [
        f"{E}79:93: summary[0]: warning: '8.9 months' is not in this entry's results or quotes: "
        "check the number, or add the result it comes from [prose-numbers]",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "In the cohort of 203 patients the hazard ratio was 0.38 (95% CI, 0.25 to 0.59).",
        "This phase 3 trial was published in 2024 and its two cohorts are described above.",
        "The median was 8.40 months.",  # the same number, written with another zero
    ],
)
def test_numbers_that_come_from_the_data(project: Project, sentence: str) -> None:
    text = "months for extrapancreatic NETs and 13.8 months"
    assert check(project, (text, f"{text}. {sentence} And")) == []


# --- citations and identifiers ----------------------------------------------------------------


def test_references_are_numbered_in_the_order_first_cited(project: Project) -> None:
    lines = check(
        project,
        (
            "and those with pancreatic neuroendocrine",
            "and those [3] with pancreatic neuroendocrine",
        ),
    )
    assert lines == [
        f"{E}15:15: answer[0]: warning: reference 3 is cited before reference 1: number the "
        "references in the order the entry first cites them [citation-order]",
    ]


def test_a_reference_never_cited(project: Project) -> None:
    assert check(project, ("metastasis.[2-3]", "metastasis.[2]")) == [
        f"{E}121:5: references[2]: reference 3 is never cited: cite it where the entry relies on "
        "it, or move it to external_sources if it was not used [citation-unused]"
    ]


def test_a_reference_never_cited_may_stand_among_the_external_sources(project: Project) -> None:
    title = (
        "Suppression of tumor invasion and metastasis by concurrent inhibition of c-Met and "
        "VEGF signaling in pancreatic neuroendocrine tumors"
    )
    assert (
        check(
            project,
            ("metastasis.[2-3]", "metastasis.[2]"),
            ("external_sources:\n", f"external_sources:\n  - title: {title}\n"),
        )
        == []
    )


def test_the_same_work_listed_twice(project: Project) -> None:
    assert check(
        project, ("    pmcid: PMC3354652", "    pmcid: PMC3354652\n    pmid: 39282913")
    ) == [
        f"{E}134:11: references[2].pmid: reference 3 has the same PMID as reference 1: list each "
        "work once [citation-duplicate]"
    ]


def test_a_doi_url_must_name_the_doi(project: Project) -> None:
    url = "    nct_id: NCT03375320\n    url: https://doi.org/10.1056/NEJMoa2403992"
    assert check(project, ("    nct_id: NCT03375320", url)) == [
        f"{E}109:10: references[0].url: the address names DOI 10.1056/NEJMoa2403992, but the "
        "reference's doi is 10.1056/NEJMoa2403991 [identifier-doi-url]"
    ]
    # DOIs are case-insensitive: the same DOI in lower case agrees.
    project.edit(SEED_FILE, "doi.org/10.1056/NEJMoa2403992", "doi.org/10.1056/nejmoa2403991")
    assert check(project) == []


# --- freshness ---------------------------------------------------------------------------------


def test_an_entry_due_for_review_is_a_warning_and_says_so_on_its_page(project: Project) -> None:
    assert check(project, ("last_reviewed: 2026-11-24", "last_reviewed: 2025-11-01")) == [
        f"{E}4:16: last_reviewed: warning: last reviewed on 2025-11-01, more than 12 months "
        "before 2026-11-24: review the entry and update last_reviewed [review-due]",
    ]
    assert project.generator("check", "--review-months", "24").stdout.endswith("no problems\n")
    assert project.generator("build").returncode == 0  # published, with a notice
    page = html_page(project.path("site"), f"evidence/{SEED_ID}/")
    notice = page.find("div", class_="evidence-review-due")
    assert isinstance(notice, Tag)
    assert text_of(notice) == (
        "Review due This answer was last reviewed on November 1, 2025, more than 12 months "
        "ago. It may not include newer evidence."
    )
    assert project.generator("build", "--strict").returncode == 1


def test_a_review_date_in_the_future(project: Project) -> None:
    assert check(project, ("last_reviewed: 2026-11-24", "last_reviewed: 2026-12-01")) == [
        f"{E}4:16: last_reviewed: the entry cannot have been reviewed on 2026-12-01: that is "
        "after 2026-11-24 [review-in-future]"
    ]


def test_a_fresh_entry_has_no_notice(seed_site: Path) -> None:
    page = html_page(seed_site, f"evidence/{SEED_ID}/")
    assert page.find("div", class_="evidence-review-due") is None


# --- waivers ---------------------------------------------------------------------------------

WAIVER = """\
waivers:
  - rule: results-direction
    field: results[0].cohorts[0].effect
    # Written down so that every check report carries it.
    reason: The curves cross; the source reports both and explains the difference.
"""


def test_a_waiver_silences_one_rule_for_one_field_and_is_listed(project: Project) -> None:
    inverted = [
        ("estimate: 0.38", "estimate: 2.6"),
        ("ci_lower: 0.25", "ci_lower: 1.7"),
        ("ci_upper: 0.59", "ci_upper: 4"),
        ("external_sources:\n", f"{WAIVER}external_sources:\n"),
    ]
    assert check(project, *inverted) == [
        f"waived: {E}32:11: results[0].cohorts[0].effect: a hazard ratio of 2.6 means more events "
        "on Cabozantinib than on Placebo, yet Cabozantinib has the longer median (8.4 months vs "
        "3.9 months): check the values, and which arm is experimental [results-direction] "
        "(reason: The curves cross; the source reports both and explains the difference.)",
    ]
    assert project.generator("check").stdout.endswith(
        "1 entry checked: no errors, 0 warnings, 1 waived\n"
    )
    report = json.loads(project.generator("check", "--format", "json").stdout)
    assert report["findings"] == []
    assert report["waived"] == [
        {
            "path": SEED_FILE,
            "line": 32,
            "column": 11,
            "field": "results[0].cohorts[0].effect",
            "rule": "results-direction",
            "severity": "error",
            "message": "a hazard ratio of 2.6 means more events on Cabozantinib than on Placebo, "
            "yet Cabozantinib has the longer median (8.4 months vs 3.9 months): check the values, "
            "and which arm is experimental",
            "reason": "The curves cross; the source reports both and explains the difference.",
        }
    ]
    # The waiver is for that field only: the same contradiction in cohort 1 is still an error.
    project.edit(SEED_FILE, "estimate: 0.23", "estimate: 2.3")
    project.edit(SEED_FILE, "ci_lower: 0.12", "ci_lower: 1.2")
    project.edit(SEED_FILE, "ci_upper: 0.42", "ci_upper: 4.2")
    assert any("results[0].cohorts[1].effect" in line and "[results-direction]" in line
               for line in check(project))  # fmt: skip


def test_a_waiver_that_waives_nothing_is_a_warning(project: Project) -> None:
    lines = check(project, ("external_sources:\n", f"{WAIVER}external_sources:\n"))
    assert lines == [
        f"{E}136:5: waivers[0]: warning: nothing in results[0].cohorts[0].effect breaks rule "
        "results-direction now: remove the waiver [waiver-unused]",
    ]


@pytest.mark.parametrize(
    ("waiver", "message"),
    [
        (WAIVER.replace("results-direction", "citation-unused"),
         "136:11: waivers[0].rule: Input should be"),
        (WAIVER.replace("    reason: The curves cross; the source reports both and explains the "
                        "difference.\n", "    reason: ok\n"),
         "139:13: waivers[0].reason: say why the rule does not apply here, in a few words at "
         "least"),
        (WAIVER.replace("results[0].cohorts[0].effect", "'results 0'"),
         "137:12: waivers[0].field: 'results 0' is not a field path"),
    ],
)  # fmt: skip
def test_waivers_are_explicit(project: Project, waiver: str, message: str) -> None:
    lines = check(project, ("external_sources:\n", f"{waiver}external_sources:\n"))
    assert len(lines) == 1
    assert lines[0].startswith(E + message)


def test_check_reports_every_finding_as_json(project: Project) -> None:
    project.edit(SEED_FILE, "median PFS was 8.4", "median PFS was 8.9")
    project.edit(SEED_FILE, "license: nejm", "license: nejm2")
    result = project.generator("check", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["as_of"] == "2026-11-24"
    assert (report["errors"], report["warnings"]) == (1, 0)  # the entry with an error is not
    assert report["findings"] == [  # checked further: one thing at a time for it
        {
            "path": SEED_FILE,
            "line": 73,
            "column": 14,
            "field": "quotes[0].license",
            "rule": "license-known",
            "severity": "error",
            "message": "unknown license 'nejm2'; known: nejm",
        }
    ]


# --- the README lists every rule -------------------------------------------------------------


def test_readme_lists_every_rule_with_its_severity_and_waiver() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        row = f"| `{rule.id}` | {rule.severity} | {'yes' if rule.waivable else 'no'} |"
        assert row in readme, f"README lacks the row for {rule.id}: {row}"
