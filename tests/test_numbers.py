"""Numbers as the number rules read them: the tokenizer on the ways journals print numbers, and
an imagined continuous-outcome entry that passes as written and is caught when any of its
numbers is told wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.checks.numbers import claims, numbers_in
from tests.conftest import Project


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("HR 0.38; 95% CI, 0.25 to 0.59", ["0.38", "95", "0.25", "0.59"]),
        ("P = .04, P<.001", ["0.04", "0.001"]),  # JAMA's leading dot
        ("11·0 months (95% CI 9·2–13·3)", ["11.0", "95", "9.2", "13.3"]),  # The Lancet's dot
        ("1,234 patients and 12\u2009345 patients", ["1234", "12345"]),  # thousands
        ("a difference of -1.4 (−2.1 to -0.7)", ["-1.4", "-2.1", "-0.7"]),  # minus signs
        ("0.25-0.59", ["0.25", "0.59"]),  # a range with a hyphen is two numbers, not a minus
    ],
)
def test_numbers_are_read_as_printed(text: str, read: list[str]) -> None:
    assert [str(number.value) for number in numbers_in(text)] == [
        str(Decimal(value).normalize()) for value in read
    ]


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        ("Ki-67 <10%, NETTER-1, 177Lu and NCT01578239", ["10%"]),
        ("a phase 3 trial of grade 1 or 2 tumours, randomised 2:1", []),
        ("run in 25 countries and 120 centres", []),
        ("published in 2019", []),  # a year
        ("in 1962 adults and 2,000 women", ["1962 adults", "2,000 women"]),  # not years
        ("CheckMate 067 enrolled 945 patients", ["945 patients"]),  # the trial's name is given
    ],
)
def test_what_is_a_claim(text: str, claimed: list[str]) -> None:
    found = [(number.text + number.unit).strip() for number in claims(text, ["CheckMate 067"])]
    assert found == claimed


def test_a_name_whose_only_digit_is_a_superscript_is_blanked_too() -> None:
    """Names holding any digit (by `str.isdigit`, which counts ² too) are blanked, so what
    follows one is read as it would be after a space."""
    found = [(number.text + number.unit).strip() for number in claims("CO²-1.5 mg", ["CO²"])]
    assert found == ["-1.5 mg"]


WEIGHT = """\
id: weight
question: "Imagined test entry: does drug W lower body weight?"
last_reviewed: 2026-11-20
answer:
  - >-
    Body weight changed by -14.9% with drug W and by -2.4% with placebo, a difference of
    -12.4 percentage points (95% CI -13.4 to -11.5); in kilograms, -15.3 kg against -2.6 kg.
    That is a 62% lower risk of the event (hazard ratio 0.38).[1]
results:
  - trial: Imagined trial W (not a real study)
    reference: 1
    cohorts:
      - population: Adults with imagined obesity
        patients: 1961
        arms:
          - {name: Drug W, patients: 1306}
          - {name: Placebo, patients: 655}
        outcomes:
          - endpoint: Change in body weight at week 68
            kind: continuous
            unit: "%"
            arms:
              - {arm: Drug W, mean: -14.9}
              - {arm: Placebo, mean: -2.4}
            comparisons:
              - {experimental: Drug W, control: Placebo, measure: mean difference,
                 estimate: -12.4, ci_lower: -13.4, ci_upper: -11.5}
          - endpoint: Change in body weight at week 68, in kilograms
            kind: continuous
            unit: kg
            arms:
              - {arm: Drug W, mean: -15.3}
              - {arm: Placebo, mean: -2.6}
          - endpoint: An imagined event
            kind: time to event
            unit: months
            arms:
              - {arm: Drug W, events: 40}
              - {arm: Placebo, events: 50}
            comparisons:
              - {experimental: Drug W, control: Placebo, measure: hazard ratio,
                 estimate: 0.38, ci_lower: 0.25, ci_upper: 0.59}
references:
  - {title: An imagined report of imagined trial W, authors: [Example W]}
"""
FILE = "content/evidence/weight.yaml"


@pytest.fixture
def weight(project: Project) -> Project:
    project.write(FILE, WEIGHT)
    return project


def findings(project: Project) -> list[str]:
    result = project.generator("check", "--strict")
    lines = (result.stderr + result.stdout).splitlines()
    return [line for line in lines if line.startswith(FILE)]


def test_a_continuous_outcome_in_percent_and_kilograms_passes_as_written(weight: Project) -> None:
    assert findings(weight) == []


@pytest.mark.parametrize(
    ("old", "new", "finding"),
    [
        # A flipped sign is another number: the difference is -12.4, not 12.4
        (
            "-12.4 percentage",
            "12.4 percentage",
            "7:5: answer[0]: warning: '12.4 percentage points'",
        ),
        # A reduction is read from the estimate, never from a CI limit (1 - 0.25 = 75%)
        ("a 62% lower", "a 75% lower", "8:15: answer[0]: warning: '75%'"),
        # A mean in kilograms is not a mean in percent
        ("-15.3 kg against", "-15.3% against", "7:68: answer[0]: warning: '-15.3%'"),
    ],
)
def test_a_number_told_wrong_is_caught(weight: Project, old: str, new: str, finding: str) -> None:
    weight.edit(FILE, old, new)
    (line,) = findings(weight)
    assert line.startswith(f"{FILE}:{finding}"), line
    assert line.endswith(
        "is not in the results or quotes of reference 1: check the number, or add the result "
        "it comes from [prose-numbers]"
    )


def test_a_confidence_level_is_a_percentage_not_a_fraction(weight: Project) -> None:
    weight.edit(FILE, "ci_upper: -11.5}", "ci_upper: -11.5, ci_level: 0.95}")
    result = weight.generator("check")
    assert result.stderr.splitlines()[0] == (
        f"{FILE}:27:79: results[0].cohorts[0].outcomes[0].comparisons[0].ci_level: a confidence "
        "level is a percentage, like 95 or 99.5, not a fraction: got 0.95"
    )


def test_events_are_counted_among_their_arm(weight: Project) -> None:
    weight.edit(FILE, "{arm: Placebo, events: 50}", "{arm: Placebo, events: 656}")
    assert findings(weight) == [
        f"{FILE}:39:40: results[0].cohorts[0].outcomes[2].arms[1].events: 656 events in the arm "
        "'Placebo', to which 655 patients were randomised [results-events]"
    ]
