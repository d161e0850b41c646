"""The certainty of evidence, rated as GRADE rates it: evidence from randomised trials starts
high, each reason to rate it down takes one level (a serious concern) or two (a very serious
one), and a reason to rate it up gives them back. A rating its reasons do not add up to is a
finding: a rating down without its reason, or "high" with a reason against it."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.finding import Finding
from generator.checks.trial import DOWN, RATINGS, Certainty, Study
from generator.content.document import Location


def check(results: list[Study]) -> Iterator[Finding]:
    for s, study in enumerate(results):
        for c, cohort in enumerate(study.cohorts):
            for o, outcome in enumerate(cohort.outcomes):
                here: Location = ("results", s, "cohorts", c, "outcomes", o)
                if outcome.certainty is not None:
                    yield from _rating(outcome.certainty, (*here, "certainty"))
                for k, comparison in enumerate(outcome.comparisons):
                    if comparison.certainty is None:
                        continue
                    at = (*here, "comparisons", k, "certainty")
                    if outcome.certainty is not None:
                        yield Finding(
                            "results-certainty",
                            at,
                            "the outcome has a certainty already: rate the outcome, or each "
                            "of its comparisons, not both",
                        )
                    yield from _rating(comparison.certainty, at)


def expected(certainty: Certainty) -> str:
    """The rating its reasons give evidence from randomised trials, which starts high."""
    down = sum(r.levels for r in certainty.reasons if r.domain in DOWN)
    up = sum(r.levels for r in certainty.reasons if r.domain not in DOWN)
    return RATINGS[max(0, min(3, 3 - down + up))]


def _rating(certainty: Certainty, here: Location) -> Iterator[Finding]:
    seen: set[str] = set()
    for r, reason in enumerate(certainty.reasons):
        if reason.domain in seen:
            yield Finding(
                "results-certainty",
                (*here, "reasons", r, "domain"),
                f"'{reason.domain}' is given twice: say both concerns in one reason, rated "
                "2 levels if together they are very serious",
            )
        seen.add(reason.domain)
    down = sum(r.levels for r in certainty.reasons if r.domain in DOWN)
    if certainty.rating == "high" and down:
        yield Finding(
            "results-certainty",
            (*here, "rating"),
            "rated high, with a reason to rate it down: remove the reason, or rate it lower",
        )
        return
    wanted = expected(certainty)
    if certainty.rating == wanted:
        return
    up = sum(r.levels for r in certainty.reasons if r.domain not in DOWN)
    moves = [f"down {_levels(down)}"] if down else []
    moves += [f"up {_levels(up)}"] if up else []
    said = " and ".join(moves) if moves else "neither down nor up"
    yield Finding(
        "results-certainty",
        (*here, "rating"),
        f"rated {certainty.rating}, but its reasons rate randomised trials (which start high) "
        f"{said}: {wanted}. Give a reason for each level rated down, or correct the rating",
    )


def _levels(count: int) -> str:
    return f"{count} level{'s' if count != 1 else ''}"
