"""Consistency rules: each with an entry that passes and one that fails, with its message."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import Tag

from generator.checks.licensing import fingerprint
from generator.checks.numbers import numbers_in
from generator.checks.registry import RULES
from tests.conftest import (
    REPO,
    SEED_FILE,
    SEED_ID,
    SMALL_FILE,
    Project,
    html_page,
    text_of,
)

E = f"{SEED_FILE}:"  # every finding below is in the seed entry, changed one way or another

CERTAINTY = re.compile(r"^ {12}certainty:\n(?: {14,}.*\n)+", re.MULTILINE)


@pytest.fixture
def project(project: Project) -> Project:
    """The seed without its certainty ratings (tests/test_findings.py checks those), so that
    the lines and columns below are those of the seed these rules were written against."""
    seed = project.read(SEED_FILE)
    assert CERTAINTY.search(seed)
    project.write(SEED_FILE, CERTAINTY.sub("", seed))
    return project


FOUND = re.compile(
    r"(?:waived: )?(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): "
    r"(?:warning: )?(?P<message>.*)"
)
NUMBER = re.compile(r"'(?P<prose>[^' ]+)[^']*' is not in |the quote says (?P<quote>[^ ,]+)")


def check(
    project: Project, *edits: tuple[str, str], strict: bool = False, entry: str = SEED_FILE
) -> list[str]:
    """Apply `edits` to the seed entry (or `entry`), run `check`, return its lines (without the
    count). Every line that names a place is checked to name the value it is about (see
    `_points`)."""
    for old, new in edits:
        project.edit(entry, old, new)
    result = project.generator("check", *(["--strict"] if strict else []))
    lines = (result.stderr + result.stdout).splitlines()
    found = [line for line in lines if not line.endswith("found.") and " checked: " not in line]
    written = project.read(entry).splitlines()
    for line in found:
        _points(line, written, entry)
    return found


def _points(line: str, written: list[str], entry: str = SEED_FILE) -> None:
    """A finding's line and column are those of what it is about: the number a numbers rule
    names, the value of the field it names, the item of the list item it names."""
    place = FOUND.fullmatch(line)
    if place is None or place["path"] != entry:
        return
    text = written[int(place["line"]) - 1]
    before, at = text[: int(place["column"]) - 1], text[int(place["column"]) - 1 :]
    field, message = place["field"], place["message"]
    number = NUMBER.match(message)
    if number:
        assert at.startswith(number["prose"] or number["quote"]), (line, text)
    elif message.startswith("reference ") and " is cited before " in message:
        assert at.startswith("["), (line, text)  # the citation marker
    elif field.endswith("]"):
        assert before.endswith("- "), (line, text)  # the start of the list item
    else:
        assert before.endswith(field.rsplit(".", 1)[-1] + ": "), (line, text)


def quoted(line: int, column: int, number: str, quote: int = 0) -> str:
    """The finding for a number the seed's quote prints and its data no longer says."""
    return (
        f"{E}{line}:{column}: quotes[{quote}].text[0]: warning: the quote says {number}, which "
        "none of the results of reference 1 say: correct the results, or add the result the "
        "quote reports [quote-numbers]"
    )


def repeated(line: int, column: int, number: str, *, times: int, stated: int) -> str:
    """The finding for a number (one without a unit) the seed's quote prints more often than
    its data states it."""
    return (
        f"{E}{line}:{column}: quotes[0].text[0]: warning: the quote says {number} {times} times, "
        f"and the results of reference 1 state {number} only {stated} "
        f"time{'s' if stated != 1 else ''}: correct the results, or add the result the quote "
        "reports [quote-numbers]"
    )


CITED = "the results or quotes of reference 1"
"""What a number before summary[0]'s closing [1] is held to."""
UNCITED = "this entry's results or quotes"
"""What a number no citation marker follows is held to."""


def prose(
    line: int, column: int, number: str, field: str = "summary[0]", where: str = CITED
) -> str:
    """The finding for a number of the answer or summary that its data or quotes do not say:
    those of the references cited after it, or the whole entry's where no marker follows."""
    return (
        f"{E}{line}:{column}: {field}: warning: '{number}' is not in {where}: check the number, "
        "or add the result it comes from [prose-numbers]"
    )


def test_the_seed_entry_passes_every_rule_without_a_waiver(project: Project) -> None:
    result = project.generator("check", "--strict", "--format", "json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["findings"] == []
    assert report["waived"] == []
    assert "waivers:" not in project.read(SEED_FILE)


def test_positions_are_checked_against_the_file(project: Project) -> None:
    """`check` holds every position to what it points at: a wrong column fails the test."""
    written = project.read(SEED_FILE).splitlines()
    _points(quoted(70, 57, "8.4 months"), written)
    _points(f"{E}38:27: results[0].cohorts[0].outcomes[0].comparisons[0].estimate: x", written)
    _points(f"{E}35:17: results[0].cohorts[0].outcomes[0].comparisons[0]: x", written)
    for wrong in (
        quoted(70, 56, "8.4 months"),
        quoted(71, 57, "8.4 months"),
        f"{E}38:26: results[0].cohorts[0].outcomes[0].comparisons[0].estimate: x",
        f"{E}37:27: results[0].cohorts[0].outcomes[0].comparisons[0].estimate: x",
        f"{E}36:17: results[0].cohorts[0].outcomes[0].comparisons[0]: x",
    ):
        with pytest.raises(AssertionError):
            _points(wrong, written)


# --- results -----------------------------------------------------------------------------------

COMPARISON = "results[0].cohorts[0].outcomes[0].comparisons[0]"
RATE_AT = "results[0].cohorts[0].outcomes[1]"

RATE = """\
          - endpoint: Alive without progression
            kind: rate
            time_point: month 12
            arms:
              - {arm: Cabozantinib, percent: 40.3, events: 54, total: 134}
              - {arm: Placebo, percent: 20.3, events: 14, total: 69}
            comparisons:
              - experimental: Cabozantinib
                control: Placebo
                measure: risk ratio
                estimate: 1.99
                ci_lower: 1.18
                ci_upper: 3.35
                p_value: 0.009
"""
"""A second outcome of cohort 0, a rate with counts and a risk ratio; it starts on line 43."""
WITH_RATE = ("      - population: Pancreatic", RATE + "      - population: Pancreatic")

THREE_ARMS = (
    "          - name: Cabozantinib\n          - name: Placebo\n",
    "          - name: Cabozantinib\n            patients: 100\n"
    "          - name: Cabozantinib plus octreotide\n            patients: 50\n"
    "          - name: Placebo\n            patients: 53\n",
)
"""Cohort 0 with three arms whose counts add up to its 203 patients."""


def test_the_inverted_hazard_ratio_seen_in_the_wild_is_flagged(project: Project) -> None:
    """One public summary of CABINET printed 'HR 2.6, 95% CI 1.7 to 4': the inverse of 0.38.
    The quote, which prints the true figures, no longer agrees with the data either."""
    assert check(
        project,
        ("estimate: 0.38", "estimate: 2.6"),
        ("ci_lower: 0.25", "ci_lower: 1.7"),
        ("ci_upper: 0.59", "ci_upper: 4"),
    ) == [
        f"{E}35:17: {COMPARISON}: a hazard ratio of 2.6 means more events on Cabozantinib than "
        "on Placebo, yet Cabozantinib has the longer median (8.4 months vs 3.9 months): check "
        "the values, and which arm is experimental [results-direction]",
        quoted(71, 73, "0.38"),
        quoted(72, 24, "0.25"),
        quoted(72, 32, "0.59"),
    ]


def test_a_hazard_ratio_below_1_needs_the_longer_median(project: Project) -> None:
    # The quote still says 8.4 months: it no longer agrees with the data, and says so; the
    # summary's "8.4 months" is still accounted for by the quote.
    assert check(project, ("median: 8.4", "median: 3.0")) == [
        f"{E}35:17: {COMPARISON}: a hazard ratio of 0.38 means fewer events on Cabozantinib than "
        "on Placebo, yet Cabozantinib has the shorter median (3.0 months vs 3.9 months): check "
        "the values, and which arm is experimental [results-direction]",
        quoted(70, 57, "8.4 months"),
    ]


@pytest.mark.parametrize(
    ("edits", "findings"),
    [
        (
            [("estimate: 0.38", "estimate: 0.7")],
            [f"38:27: {COMPARISON}.estimate: the estimate 0.7 lies outside its 95% confidence "
             "interval, 0.25 to 0.59 [results-estimate-in-ci]",
             quoted(71, 73, "0.38")],
        ),
        (
            [("ci_lower: 0.25", "ci_lower: 0.65")],
            [f"39:27: {COMPARISON}.ci_lower: the confidence interval runs from 0.65 to 0.59: its "
             "lower limit must be below its upper limit [results-ci-order]",
             quoted(72, 24, "0.25")],
        ),
        (
            [("estimate: 0.38", "estimate: -0.38")],
            # (the size of a negative ratio is no figure of it: the quote's 0.38 is not -0.38)
            [f"38:27: {COMPARISON}.estimate: a hazard ratio is greater than 0, and so are its "
             "confidence limits; estimate is -0.38 [results-ratio-positive]",
             quoted(71, 73, "0.38")],
        ),
        (
            [("ci_lower: 0.25", "ci_lower: 0")],
            [f"39:27: {COMPARISON}.ci_lower: a hazard ratio is greater than 0, and so are its "
             "confidence limits; ci_lower is 0 [results-ratio-positive]",
             quoted(72, 24, "0.25")],
        ),
        (
            # (the quote's two P<0.001 now stand against the one of cohort 1)
            [("p_value: <0.001", "p_value: 0.20")],
            [f"41:26: {COMPARISON}.p_value: warning: P 0.20 says the difference is not "
             "significant at 0.05, but the 95% confidence interval 0.25 to 0.59 excludes 1 "
             "[results-p-value]",
             repeated(75, 25, "0.001", times=2, stated=1)],
        ),
        (
            [("p_value: <0.001", "p_value: 0.03"), ("ci_upper: 0.59", "ci_upper: 1.02")],
            [f"41:26: {COMPARISON}.p_value: warning: P 0.03 says the difference is significant "
             "at 0.05, but the 95% confidence interval 0.25 to 1.02 includes 1 [results-p-value]",
             quoted(72, 32, "0.59"),
             repeated(75, 25, "0.001", times=2, stated=1)],
        ),
        (
            [("- name: Cabozantinib\n", "- name: Cabozantinib\n            patients: 134\n"),
             ("- name: Placebo\n", "- name: Placebo\n            patients: 60\n")],
            ["22:19: results[0].cohorts[0].patients: the arms hold 194 patients (134 + 60), the "
             "cohort 203 [results-arm-counts]"],
        ),
        (
            [("- name: Cabozantinib\n", "- name: Cabozantinib\n            patients: 210\n")],
            ["22:19: results[0].cohorts[0].patients: the arms that give counts already hold 210 "
             "patients; the cohort has 203 [results-arm-counts]"],
        ),
        (
            [THREE_ARMS, ("patients: 53", "patients: 52")],
            ["22:19: results[0].cohorts[0].patients: the arms hold 202 patients (100 + 50 + 52), "
             "the cohort 203 [results-arm-counts]"],
        ),
        (
            [("patients: 203", "patients: 0")],
            ["22:19: results[0].cohorts[0].patients: expected a whole number greater than 0, "
             "like 203, got '0' [results-patients]"],
        ),
        # The figures each kind of outcome calls for
        (
            [("median: 8.4}", "median: 8.4, percent: 40}")],
            ["32:59: results[0].cohorts[0].outcomes[0].arms[0].percent: a time to event outcome "
             "gives each arm's median (or 'not reached') or events, not a percent "
             "[results-kind]"],
        ),
        (
            [("{arm: Placebo, median: 3.9}", "{arm: Placebo}")],
            ["33:17: results[0].cohorts[0].outcomes[0].arms[1]: give this arm's median (or 'not "
             "reached') or events [results-kind]",
             quoted(70, 86, "3.9 months")],
        ),
        (
            [WITH_RATE, ("            time_point: month 12\n", "")],
            [f"44:19: {RATE_AT}.kind: a rate is measured at a time point: give time_point, e.g. "
             "'month 20' [results-kind]"],
        ),
        (
            [WITH_RATE, ("percent: 40.3, events: 54, total: 134", "events: 54")],
            [f"47:17: {RATE_AT}.arms[0]: give both events and total, or the percent "
             "[results-kind]"],
        ),
        (
            [WITH_RATE, ("percent: 40.3", "percent: 120")],
            [f"47:46: {RATE_AT}.arms[0].percent: a percentage of patients lies between 0 and "
             "100; percent is 120 [results-rate]"],
        ),
        (
            [WITH_RATE, ("events: 54", "events: 154")],
            [f"47:60: {RATE_AT}.arms[0].events: 154 events in 134 patients: events cannot be more "
             "than the patients they are counted in [results-events]"],
        ),
        (
            [WITH_RATE, ("percent: 40.3", "percent: 45.3")],
            [f"47:46: {RATE_AT}.arms[0].percent: 54 of 134 is 40.3%, not 45.3% [results-events]"],
        ),
        # Comparisons
        (
            [WITH_RATE, ("                measure: risk ratio\n", "")],
            [f"52:27: {RATE_AT}.comparisons[0].estimate: say what the estimate measures: give "
             "measure, e.g. hazard ratio [results-comparison]"],
        ),
        (
            [WITH_RATE, ("                measure: risk ratio\n                estimate: 1.99\n"
                         "                ci_lower: 1.18\n                ci_upper: 3.35\n"
                         "                p_value: 0.009\n", "")],
            [f"50:17: {RATE_AT}.comparisons[0]: give the comparison's effect, its P value, or "
             "both [results-comparison]"],
        ),
        (
            [WITH_RATE, ("estimate: 1.99", "estimate: 0.51"), ("ci_lower: 1.18", "ci_lower: 0.30"),
             ("ci_upper: 3.35", "ci_upper: 0.85")],
            [f"50:17: {RATE_AT}.comparisons[0]: a risk ratio of 0.51 says Cabozantinib has the "
             "lower percent, yet its percent is 40.3 against 20.3 on Placebo: check the values, "
             "and which arm is experimental [results-direction]"],
        ),
        (
            # Significant at 0.05, not at the 0.005 a 99.5% interval stands for.
            [WITH_RATE, ("p_value: 0.009", "p_value: 0.01\n                ci_level: 99.5")],
            [f"56:26: {RATE_AT}.comparisons[0].p_value: warning: P 0.01 says the difference is "
             "not significant at 0.005, but the 99.5% confidence interval 1.18 to 3.35 excludes "
             "1 [results-p-value]"],
        ),
    ],
)  # fmt: skip
def test_results_rules(project: Project, edits: list[tuple[str, str]], findings: list[str]) -> None:
    assert check(project, *edits) == [
        finding if finding.startswith(E) else E + finding for finding in findings
    ]


@pytest.mark.parametrize(
    "edits",
    [
        # arm counts that add up, for two arms and for three; a P value and interval that agree;
        # an odds ratio, which says nothing about medians; a bound that says nothing about 0.05;
        # a median not reached
        [("- name: Cabozantinib\n", "- name: Cabozantinib\n            patients: 134\n"),
         ("- name: Placebo\n", "- name: Placebo\n            patients: 69\n")],
        [THREE_ARMS],
        [("p_value: <0.001", "p_value: 0.20"), ("ci_upper: 0.59", "ci_upper: 1.02"),
         ("estimate: 0.38", "estimate: 0.6")],
        [("measure: hazard ratio", "measure: odds ratio"), ("median: 8.4", "median: 3.0")],
        [("p_value: <0.001", "p_value: <0.2")],
        [("median: 8.4", "median: not reached")],
        # a rate with its time point, counts that agree with its percents, a risk ratio that
        # points the way they do; P < 0.001 with a 99.5% interval that excludes 1
        [WITH_RATE],
        [WITH_RATE, ("p_value: 0.009", "p_value: <0.001\n                ci_level: 99.5")],
        # a risk ratio below 1 with the lower percent
        [WITH_RATE, ("percent: 40.3, events: 54", "percent: 10.4, events: 14"),
         ("estimate: 1.99", "estimate: 0.51"), ("ci_lower: 1.18", "ci_lower: 0.30"),
         ("ci_upper: 3.35", "ci_upper: 0.85")],
    ],
)  # fmt: skip
def test_results_that_agree(project: Project, edits: list[tuple[str, str]]) -> None:
    # Only the quote may disagree, where the data was changed under it; nothing else is said.
    lines = check(project, *edits)
    assert [line for line in lines if not line.endswith("[quote-numbers]")] == []


NO_UNIT = (
    f"{E}27:23: results[0].cohorts[0].outcomes[0].endpoint: give the unit of the figures, e.g. "
    "months [results-kind]"
)


def test_medians_need_their_unit(project: Project) -> None:
    lines = check(project, ("            unit: months\n", ""))
    assert [line for line in lines if line.endswith("[results-kind]")] == [NO_UNIT]


def test_a_missing_unit_is_reported_once(project: Project) -> None:
    assert check(project, ("            unit: months\n", "")) == [NO_UNIT]


# --- prose and quotes --------------------------------------------------------------------------

SENTENCE_AT = "months for extrapancreatic NETs and 13.8 months"
"""Where a sentence goes in summary[0]: on line 86, from column 54."""


def sentence(text: str) -> tuple[str, str]:
    return SENTENCE_AT, f"{SENTENCE_AT}. {text} And"


def test_a_number_in_the_prose_must_come_from_the_data(project: Project) -> None:
    assert check(project, ("median PFS was 8.4", "median PFS was 8.9")) == [
        prose(85, 93, "8.9 months")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "In the cohort of 203 patients the hazard ratio was 0.38 (95% CI, 0.25 to 0.59).",
        "This phase 3 trial was published in 2024 and its two cohorts are described above.",
        "The median was 8.40 months.",  # the same number, written with another zero
        "The medians were 8·4 and 13·8 months.",  # The Lancet's decimal point
        "That is a 62% reduction in the risk of progression or death.",  # 1 - 0.38
        "The risk of progression or death fell by 62 percent.",
        "The trial was run in 25 countries.",  # its design, not a result
        "Ki-67, NETTER-1 and 177Lu-Dotatate are names.",
    ],
)
def test_numbers_that_come_from_the_data(project: Project, text: str) -> None:
    assert check(project, sentence(text)) == []


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("The medians were 8·4 and 13·9 months.", prose(86, 79, "13·9 months")),
        ("That is a 52% reduction in the risk of progression or death.", prose(86, 64, "52%")),
        # 62 is what 0.38 implies only as a percent: without its unit it is no figure of it
        ("That is a reduction of 62 in the risk.", prose(86, 77, "62")),
        ("The trial was run in 25 cities.", prose(86, 75, "25")),
        ("Ki 67 was high.", prose(86, 57, "67")),
        ("The trial CheckMate 067 is not this entry's.", prose(86, 74, "067")),
    ],
)
def test_numbers_the_data_does_not_say(project: Project, text: str, finding: str) -> None:
    assert check(project, sentence(text)) == [finding]


def test_digits_inside_names_are_not_numbers() -> None:
    text = "Ki-67, NETTER-1, 177Lu-Dotatate and NCT01578239 in 67 patients at 9·2 months"
    assert [(n.text, n.value, n.start) for n in numbers_in(text)] == [
        ("67", 67, text.index(" 67 ") + 1),
        ("9·2", Decimal("9.2"), text.index("9·2")),
    ]


def test_a_trial_named_with_digits_claims_nothing(project: Project) -> None:
    assert (
        check(
            project,
            ("trial: CABINET (Alliance A021602)", "trial: CheckMate 067"),
            sentence("The trial CheckMate 067 is this entry's."),
        )
        == []
    )


def test_doses_and_schedules_of_a_regimen_are_known_numbers(project: Project) -> None:
    text = sentence("Patients took 60 mg once daily in 28-day cycles.")
    regimen = (
        "          - name: Cabozantinib\n",
        "          - name: Cabozantinib\n            regimen:\n"
        "              - {drug: Cabozantinib, dose: 60 mg, schedule: once daily in 28-day "
        "cycles}\n",
    )
    assert check(project, text) == [prose(86, 68, "60 mg"), prose(86, 88, "28-day")]
    assert check(project, regimen) == []


def test_a_ratio_accounts_for_its_relative_reduction(project: Project) -> None:
    # HR 0.48 is a 52% reduction; the quote's 0.38 is no longer in the data.
    assert check(
        project,
        ("estimate: 0.38", "estimate: 0.48"),
        sentence("That is a 52% reduction in the risk of progression or death."),
    ) == [quoted(71, 73, "0.38")]


def test_a_finding_points_at_its_own_number(project: Project) -> None:
    """The '4' of '4 months' on line 86, not the '4' of '8.4' on line 85."""
    assert check(project, ("indicating a substantial", "a gain of 4 months, indicating a")) == [
        prose(86, 84, "4 months")
    ]


@pytest.mark.parametrize(
    ("edit", "finding"),
    [
        (("median: 8.4", "median: 8.7"), quoted(70, 57, "8.4 months")),
        (("median: 13.8", "median: 13.6"), quoted(73, 91, "13.8 months")),
        # The quote prints P<0.001 twice, and only cohort 1 still says it: the second is flagged.
        (("p_value: <0.001", "p_value: 0.002"), repeated(75, 25, "0.001", times=2, stated=1)),
        (("patients: 203", "patients: 204"), quoted(69, 26, "203 patients")),
    ],
)
def test_a_number_in_a_quote_must_be_in_the_results_it_quotes(
    project: Project, edit: tuple[str, str], finding: str | None
) -> None:
    assert check(project, edit) == ([finding] if finding else [])


# --- the kind of a number: its unit says what it counts ---------------------------------------


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # 95 is a number of patients (the pancreatic cohort) and a CI level, never a dose
        ("Patients took 95 mg daily.", prose(86, 68, "95 mg")),
        # 3.9 and 4.4 are medians in months: neither a percentage nor a count of events
        ("It was 3.9% of patients.", prose(86, 61, "3.9%")),
        ("There were 4.4 events.", prose(86, 65, "4.4 events")),
        # 203 is a number of patients, not a time
        ("Follow-up was 203 weeks.", prose(86, 68, "203 weeks")),
        # 8.4 is a median in months: in weeks it is another number
        ("It was 8.4 weeks.", prose(86, 61, "8.4 weeks")),
    ],
)
def test_a_number_with_a_unit_is_only_a_number_of_its_kind(
    project: Project, text: str, finding: str
) -> None:
    assert check(project, sentence(text)) == [finding]


@pytest.mark.parametrize(
    "text",
    [
        # the pancreatic cohort's patients, by any word for people
        "The pancreatic cohort held 95 patients.",
        "The pancreatic cohort held 95 participants.",
        "The interval was a 95 percent one.",  # the CI level
        "The medians were 8.4 months, 3.9 months and 13.8 months.",
    ],
)
def test_a_number_with_a_unit_of_its_kind(project: Project, text: str) -> None:
    assert check(project, sentence(text)) == []


SMALL_AT = f"{SMALL_FILE}:"


def test_a_count_of_patients_is_not_a_ci_level(small: Project) -> None:
    """In the small entry 95 is only the 95% CI of the hazard ratio: '95 patients' is not in
    its data, where '203 patients' is."""
    assert (
        check(small, ("The median was", "In 203 patients the median was"), entry=SMALL_FILE) == []
    )
    small.edit(SMALL_FILE, "In 203 patients", "In 95 patients")
    assert check(small, entry=SMALL_FILE) == [
        f"{SMALL_AT}41:8: summary[0]: warning: '95 patients' is not in {CITED}: check the number, "
        "or add the result it comes from [prose-numbers]"
    ]


def test_a_quoted_count_of_patients_is_not_a_median(project: Project) -> None:
    """203 is now a median in months, and no longer the cohort's patients: the quote's
    '203 patients' is flagged (as is its 8.4 months, gone from the data)."""
    assert check(project, ("patients: 203", "patients: 204"), ("median: 8.4", "median: 203")) == [
        quoted(69, 26, "203 patients"),
        quoted(70, 57, "8.4 months"),
    ]


def test_a_quoted_count_of_patients_is_not_a_ci_level(project: Project) -> None:
    """With the pancreatic cohort at 96 patients, 95 is only the two CI levels: the quote's
    '95 patients' is flagged, and its two 95% CIs, which the data states twice, are not."""
    assert check(project, ("patients: 95", "patients: 96")) == [quoted(72, 65, "95 patients")]


# --- the references a number is held to: those its citation marker cites ---------------------

SECOND_STUDY = """\
  - trial: Phase 2 trial
    reference: 2
    cohorts:
      - population: Pancreatic neuroendocrine tumors
        patients: 40
        arms:
          - name: Cabozantinib
          - name: Observation
        outcomes:
          - endpoint: Progression-free survival
            kind: time to event
            unit: months
            arms:
              - {arm: Cabozantinib, median: 21.8}
              - {arm: Observation, median: 6.1}
"""
"""A study whose results reference 2 reports; its 15 lines follow CABINET's, from line 65."""
WITH_SECOND = (
    "                description: stratified hazard ratio\n\n",
    f"                description: stratified hazard ratio\n{SECOND_STUDY}\n",
)
SECOND_MEDIAN = "A phase 2 trial reported a median of 21.8 months."


def test_a_number_is_held_to_the_references_its_marker_cites(project: Project) -> None:
    """21.8 months is in the entry, but in reference 2's results: summary[0] cites [1]."""
    assert check(project, WITH_SECOND, sentence(SECOND_MEDIAN)) == [prose(101, 91, "21.8 months")]


@pytest.mark.parametrize(
    ("edit", "finding"),
    [
        # reference 1's 8.4 months, in text that cites [2-3] (reference 3 has no results)
        (("metastasis.[2-3]", "metastasis. The median was 8.4 months.[2-3]"),
         prose(106, 70, "8.4 months", "summary[1]",
               "the results or quotes of references 2, 3")),
        # after the last marker, a number no reference holds is held to the whole entry
        (("tumor growth and angiogenesis.", "tumor growth and angiogenesis. A median of 21.8 "
          "months and 8.4 months, not 21.9 months."),
         prose(108, 80, "21.9 months", "summary[1]", UNCITED)),
    ],
)  # fmt: skip
def test_a_number_the_cited_references_do_not_say(
    project: Project, edit: tuple[str, str], finding: str
) -> None:
    assert check(project, WITH_SECOND, edit) == [finding]


@pytest.mark.parametrize(
    "edit",
    [
        ("metastasis.[2-3]", f"metastasis. {SECOND_MEDIAN}[2-3]"),  # cites reference 2
        ("metastasis.[2-3]", "metastasis. The median was 8.4 months.[1-3]"),  # and 1 too
        # each stretch of a paragraph to its own marker
        ("disease progression.[1]", f"disease progression.[1] {SECOND_MEDIAN}[2]"),
        # after the last marker, or with no marker at all: the whole entry
        ("tumor growth and angiogenesis.", "tumor growth and angiogenesis. The medians were "
         "21.8 months and 8.4 months."),
        ("The study included", "A phase 2 trial of 40 patients came first. The study included"),
    ],
)  # fmt: skip
def test_numbers_of_the_references_cited(project: Project, edit: tuple[str, str]) -> None:
    assert check(project, WITH_SECOND, edit) == []


# --- how often a quote may print a number -----------------------------------------------------

SECOND_QUOTE_TEXT = (
    "The hazard ratio for progression or death was 0.38 in the extrapancreatic cohort."
)
SEED_FINGERPRINT = (
    "    fingerprint: sha256:9a50e9c597eb6bed51f4ed592afe624bb6e80ad75a67dd9276967c37369609e5\n"
)
SECOND_QUOTE = (
    SEED_FINGERPRINT,
    f"""{SEED_FINGERPRINT}\
  - text:
      - {SECOND_QUOTE_TEXT}
    attribution: Jennifer A. Chan, M.D., M.P.H., et al.
    reference: 1
    license: nejm
    fingerprint: {fingerprint([SECOND_QUOTE_TEXT])}
""",
)
"""A second quote of reference 1, on line 82, that prints the hazard ratio the first does."""


def test_a_quote_prints_a_number_no_more_often_than_its_results_state_it(
    project: Project,
) -> None:
    # The seed's quote prints P<0.001 twice, and both cohorts state it.
    assert check(project) == []
    # Cohort 0 no longer does: the quote's second P<0.001 is the one too many.
    assert check(project, ("p_value: <0.001", "p_value: 0.002")) == [
        repeated(75, 25, "0.001", times=2, stated=1)
    ]


def test_two_quotes_may_each_print_the_same_result(project: Project) -> None:
    assert check(project, SECOND_QUOTE) == []


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
        f"{E}127:5: references[2]: reference 3 is never cited: cite it where the entry relies on "
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
        f"{E}140:11: references[2].pmid: reference 3 has the same PMID as reference 1: list each "
        "work once [citation-duplicate]"
    ]


def test_a_doi_url_must_name_the_doi(project: Project) -> None:
    url = "    nct_id: NCT03375320\n    url: https://doi.org/10.1056/NEJMoa2403992"
    assert check(project, ("    nct_id: NCT03375320", url)) == [
        f"{E}115:10: references[0].url: the address names DOI 10.1056/NEJMoa2403992, but the "
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

WAIVER = f"""\
waivers:
  - rule: results-direction
    field: {COMPARISON}
    # Written down so that every check report carries it.
    reason: The curves cross; the source reports both and explains the difference.
"""
"""A waiver, which goes before external_sources: its lines are 141 to 145."""
INVERTED = [
    ("estimate: 0.38", "estimate: 2.6"),
    ("ci_lower: 0.25", "ci_lower: 1.7"),
    ("ci_upper: 0.59", "ci_upper: 4"),
]


def waiver(text: str) -> tuple[str, str]:
    return "external_sources:\n", f"{text}external_sources:\n"


def test_a_waiver_silences_one_rule_for_one_field_and_is_listed(project: Project) -> None:
    assert check(project, *INVERTED, waiver(WAIVER)) == [
        quoted(71, 73, "0.38"),  # the waiver is for its rule only
        quoted(72, 24, "0.25"),
        quoted(72, 32, "0.59"),
        f"waived: {E}35:17: {COMPARISON}: a hazard ratio of 2.6 means more events on "
        "Cabozantinib than on Placebo, yet Cabozantinib has the longer median (8.4 months vs 3.9 "
        "months): check the values, and which arm is experimental [results-direction] "
        "(reason: The curves cross; the source reports both and explains the difference.)",
    ]
    assert project.generator("check").stdout.endswith(
        "1 entry checked: no errors, 3 warnings (quote-numbers 3), 1 waived\n"
    )
    report = json.loads(project.generator("check", "--format", "json").stdout)
    assert [finding["rule"] for finding in report["findings"]] == ["quote-numbers"] * 3
    assert report["waived"] == [
        {
            "path": SEED_FILE,
            "line": 35,
            "column": 17,
            "field": COMPARISON,
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
    assert f"{E}57:17: {COMPARISON.replace('cohorts[0]', 'cohorts[1]')}: a hazard ratio of 2.3" in [
        line.split(" means ")[0] for line in check(project)
    ]


def test_a_waiver_that_waives_nothing_is_a_warning(project: Project) -> None:
    assert check(project, waiver(WAIVER)) == [
        f"{E}142:5: waivers[0]: warning: nothing in {COMPARISON} breaks rule results-direction "
        "now: remove the waiver [waiver-unused]",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (WAIVER.replace("results-direction", "citation-unused"),
         "142:11: waivers[0].rule: Input should be"),
        (WAIVER.replace("    reason: The curves cross; the source reports both and explains the "
                        "difference.\n", "    reason: ok\n"),
         "145:13: waivers[0].reason: say why the rule does not apply here, in a few words at "
         "least"),
        (WAIVER.replace(COMPARISON, "'results 0'"),
         "143:12: waivers[0].field: 'results 0' is not a field path"),
        (WAIVER.replace("    reason:", "    numbers: ['2.6']\n    reason:"),
         "142:5: waivers[0]: numbers are only for the waivers of prose-numbers and quote-numbers"),
    ],
)  # fmt: skip
def test_waivers_are_explicit(project: Project, text: str, message: str) -> None:
    lines = check(project, waiver(text))
    assert len(lines) == 1
    assert lines[0].startswith(E + message)


# A number the summary states that the data does not hold, excused by name.
OVERALL = sentence("Median overall survival was 21.9 months.")
PROSE_WAIVER = """\
waivers:
  - rule: prose-numbers
    field: summary[0]
    numbers: ['21.9']
    reason: Overall survival is reported only in the supplementary appendix.
"""
OVERALL_WAIVED = (
    f"waived: {prose(86, 82, '21.9 months')} (reason: Overall survival is reported only in the "
    "supplementary appendix.)"
)


def test_a_waiver_of_a_number_excuses_that_number_only(project: Project) -> None:
    assert check(project, OVERALL) == [prose(86, 82, "21.9 months")]
    assert check(project, waiver(PROSE_WAIVER)) == [OVERALL_WAIVED]
    # A typo elsewhere in the same paragraph is not excused by the waiver.
    assert check(project, ("median PFS was 8.4", "median PFS was 8.5")) == [
        prose(85, 93, "8.5 months"),
        OVERALL_WAIVED,
    ]


def test_a_waiver_of_a_quoted_number(project: Project) -> None:
    text = PROSE_WAIVER.replace("prose-numbers", "quote-numbers").replace(
        "summary[0]", "quotes[0].text[0]"
    )
    assert check(
        project, ("median: 8.4", "median: 8.7"), waiver(text.replace("'21.9'", "'8.4'"))
    ) == [
        f"waived: {quoted(70, 57, '8.4 months')} (reason: Overall survival is reported only in "
        "the supplementary appendix.)"
    ]


@pytest.mark.parametrize("numbers", ["", "    numbers: []\n"])
def test_a_waiver_of_prose_numbers_names_its_numbers(project: Project, numbers: str) -> None:
    text = PROSE_WAIVER.replace("    numbers: ['21.9']\n", numbers)
    assert check(project, OVERALL, waiver(text)) == [
        f"{E}142:5: waivers[0]: a waiver of prose-numbers names the numbers it excuses, as "
        "written: numbers: ['8.5']"
    ]


def test_a_waived_number_that_excuses_nothing_is_a_warning(project: Project) -> None:
    text = PROSE_WAIVER.replace("['21.9']", "['21.9', '13.9']")
    assert check(project, OVERALL, waiver(text)) == [
        f"{E}142:5: waivers[0]: warning: nothing in summary[0] breaks rule prose-numbers with 13.9 "
        "now: remove it from the waiver's numbers [waiver-unused]",
        OVERALL_WAIVED,
    ]


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
            "line": 79,
            "column": 14,
            "field": "quotes[0].license",
            "rule": "license-known",
            "severity": "error",
            "message": "unknown license 'nejm2'; known: lancet, nejm",
        }
    ]
    assert project.read(SEED_FILE).splitlines()[78][13:] == "nejm2"


# --- the README lists every rule -------------------------------------------------------------


def test_readme_lists_every_rule_with_its_severity_and_waiver() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        row = f"| `{rule.id}` | {rule.severity} | {'yes' if rule.waivable else 'no'} |"
        assert row in readme, f"README lacks the row for {rule.id}: {row}"
