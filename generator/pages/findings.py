"""An entry's summary of findings, laid out as Cochrane lays it out: one row for each
comparison of each outcome, with the risk per 1,000 with the comparator and with the
intervention, the difference and the number needed to treat (`checks.absolute`, each saying
how it was derived), the relative effect, the participants and studies, and the certainty of
the evidence by GRADE with its reasons as lettered footnotes."""

from __future__ import annotations

import string
from dataclasses import dataclass
from decimal import Decimal

from generator.checks import absolute
from generator.checks.absolute import Absolute
from generator.checks.models import Entry
from generator.checks.trial import DOWN, RATINGS, Certainty, Cohort, Comparison, Outcome
from generator.pages import fhir
from generator.pages.figures import NBSP

SYMBOLS = ("⊕◯◯◯", "⊕⊕◯◯", "⊕⊕⊕◯", "⊕⊕⊕⊕")
"""GRADE's circles, from very low to high."""
_LEVELS = ("one level", "two levels")


@dataclass(frozen=True)
class Note:
    letter: str
    text: str


@dataclass(frozen=True)
class Graded:
    symbols: str
    word: str
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Line:
    outcome: str
    trial: str
    population: str
    compared: str | None
    """'Cabozantinib vs Placebo'; None when no two arms are compared."""
    counts: str | None
    """What the figures per 1,000 count: an event, or the patients in a rate."""
    comparator: str
    intervention: str
    difference: str
    nnt: str | None
    comparison: Comparison | None
    """Its published effect, shown as the relative effect."""
    computed_ratio: str | None
    """A risk ratio computed from events, when none is published."""
    participants: str
    certainty: Graded | None
    comment: str


def rows(entry: Entry) -> tuple[list[Line], list[Note]]:
    """The rows of the table, and its footnotes, lettered in the order they are first cited."""
    notes: list[Note] = []
    found: list[Line] = []
    for study in entry.results:
        for cohort in study.cohorts:
            for outcome in cohort.outcomes:
                compared: list[absolute.Compared | None] = [*absolute.rows(cohort, outcome)]
                for row in compared or [None]:
                    certainty = outcome.certainty
                    if certainty is None and row is not None and row.comparison is not None:
                        certainty = row.comparison.certainty
                    graded = _graded(certainty, notes) if certainty else None
                    found.append(_row(study.trial, cohort, outcome, row, graded))
    return found, notes


def _row(
    trial: str,
    cohort: Cohort,
    outcome: Outcome,
    row: absolute.Compared | None,
    graded: Graded | None,
) -> Line:
    name = outcome.endpoint
    if outcome.time_point:
        name += f" at {outcome.time_point}" if outcome.kind == "rate" else f", {outcome.time_point}"
    made = row.absolute if row else None
    patients = absolute.participants(cohort, row)
    dash = "—"
    comparator = intervention = difference = dash
    nnt = ratio = counts = None
    if made is not None:
        counts = _counts(outcome, made)
        level = "" if made.level == 95 else f"{made.level}%{NBSP}CI "
        low, high, ci = made.per_1000()
        comparator = f"{low} per 1,000"
        intervention = f"{high} per 1,000" + (f" ({level}{ci[0]} to {ci[1]})" if ci else "")
        change, change_ci = made.difference_per_1000()
        difference = _change(change) + " per 1,000"
        if change_ci:
            difference += f" ({level}{_change(change_ci[0])} to {_change(change_ci[1])})"
        counted = made.nnt()
        if counted is not None:
            nnt = f"NNT {counted[0]}" + (
                f" ({level}{counted[1][0]} to {counted[1][1]})" if counted[1] else ""
            )
            if made.at or outcome.time_point:
                nnt += f", {'by ' + made.at if made.at else 'at ' + str(outcome.time_point)}"
        if made.method == "events" and made.ratio is not None:
            ratio = _ratio(made)
        comment = fhir.derivation(made)
    elif row is not None:
        comment = f"No absolute effect: {row.why_not}."
    else:
        comment = "No absolute effect: the results compare no two arms for this outcome."
    return Line(
        name,
        trial,
        cohort.population,
        f"{row.experimental} vs {row.control}" if row else None,
        counts,
        comparator,
        intervention,
        difference,
        nnt,
        row.comparison if row else None,
        ratio,
        f"{patients} (1 RCT)",
        graded,
        comment,
    )


def _counts(outcome: Outcome, made: Absolute) -> str:
    """What each per 1,000 counts: a rate may count patients free of an event, a hazard ratio's
    risks count those who had it, so that no reader takes one for the other."""
    if made.method == "hazard ratio":
        return f"Per 1,000: patients with an event by {made.at}, the comparator's median"
    if outcome.kind == "response":
        return "Per 1,000: patients who responded"
    return f"Per 1,000: patients counted in the rate at {outcome.time_point}"


def _change(per_1000: int) -> str:
    if per_1000 == 0:
        return "0"
    return f"{abs(per_1000)} {'more' if per_1000 > 0 else 'fewer'}"


def _ratio(made: Absolute) -> str:
    assert made.ratio is not None
    value, ci = made.ratio
    text = f"RR {_two(value)}"
    if ci is not None:
        text += f" (95%{NBSP}CI {_two(ci[0])}–{_two(ci[1])})"
    return text + ", computed from the events"


def _two(value: float) -> str:
    return str(Decimal(repr(value)).quantize(Decimal("0.01")))


def _graded(certainty: Certainty, notes: list[Note]) -> Graded:
    cited = []
    for reason in certainty.reasons:
        way = "down" if reason.domain in DOWN else "up"
        text = f"Rated {way} {_LEVELS[reason.levels - 1]} for {reason.domain}: {reason.explanation}"
        note = next((n for n in notes if n.text == text), None)
        if note is None:
            note = Note(_letter(len(notes)), text)
            notes.append(note)
        cited.append(note)
    level = RATINGS.index(certainty.rating)
    return Graded(SYMBOLS[level], certainty.rating.capitalize(), tuple(cited))


def _letter(index: int) -> str:
    letters = string.ascii_lowercase
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]
