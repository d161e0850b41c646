"""Citation markers in prose."""

from __future__ import annotations

import pytest

from generator.content import citation


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("a.[1]", [[1]]),
        ("a [2-3] b", [[2, 3]]),
        ("a [1,3]", [[1, 3]]),
        ("a [1, 3-5]", [[1, 3, 4, 5]]),
        ("a [2–4]", [[2, 3, 4]]),
        ("[1] and [2]", [[1], [2]]),
        ("95% confidence interval [CI], [a], [1a], [ 1 ], [1,]", []),
    ],
)
def test_markers_are_found_and_expanded(text: str, numbers: list[list[int]]) -> None:
    assert [marker.numbers for marker in citation.markers(text)] == numbers


def test_split_keeps_all_text() -> None:
    pieces = citation.split("one [1] two [2-3]")
    assert [p if isinstance(p, str) else p.raw for p in pieces] == ["one ", "[1]", " two ", "[2-3]"]


@pytest.mark.parametrize(
    ("marker", "count", "problem"),
    [
        ("[1]", 1, None),
        ("[2-3]", 3, None),
        ("[4]", 3, "citation [4] refers to reference 4, but entry 'e' has only 3 references"),
        ("[1-4]", 3, "citation [1-4] refers to reference 4, but entry 'e' has only 3 references"),
        ("[1]", 0, "citation [1] refers to reference 1, but entry 'e' has no references"),
        ("[0]", 3, "citation [0]: references are numbered from 1"),
        ("[3-3]", 3, "citation [3-3]: a range must go upward, like [2-3]"),
    ],
)
def test_marker_problems(marker: str, count: int, problem: str | None) -> None:
    (found,) = citation.markers(marker)
    assert found.problem(count, "e") == problem
