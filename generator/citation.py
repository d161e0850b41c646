"""Citation markers in author prose: `[1]`, `[2-3]`, `[1,3]`, `[1, 3-5]`.

A marker is found by its shape alone (digits, commas and hyphens in square brackets); whether its
numbers point at real references is for the loader to judge, so the two can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"\[([0-9]+(?:[ \t]*[-–,][ \t]*[0-9]+)*)\]")
_PART = re.compile(r"[0-9]+|[ \t]*[-–,][ \t]*")


@dataclass(frozen=True)
class Marker:
    """One bracketed marker, split into numbers and the separators between them."""

    raw: str
    parts: tuple[str | int, ...]
    start: int

    @property
    def numbers(self) -> list[int]:
        """Every reference number the marker cites, ranges expanded, in the order written."""
        cited: list[int] = []
        pending_range = False
        for part in self.parts:
            if isinstance(part, int):
                if pending_range and cited:
                    cited.extend(range(cited[-1] + 1, part + 1))
                else:
                    cited.append(part)
                pending_range = False
            else:
                pending_range = part.strip() in ("-", "–")
        return cited

    def problem(self, reference_count: int, entry_id: str) -> str | None:
        """Why this marker cannot be resolved in an entry with `reference_count` references."""
        numbers = [part for part in self.parts if isinstance(part, int)]
        for index, part in enumerate(self.parts):
            if isinstance(part, str) and part.strip() in ("-", "–"):
                low, high = self.parts[index - 1], self.parts[index + 1]
                assert isinstance(low, int)
                assert isinstance(high, int)
                if low >= high:
                    return f"citation {self.raw}: a range must go upward, like [2-3]"
                before = self.parts[index - 2] if index >= 2 else ""
                if isinstance(before, str) and before.strip() in ("-", "–"):
                    return f"citation {self.raw}: write one range at a time, like [1-3,5]"
        if 0 in numbers:
            return f"citation {self.raw}: references are numbered from 1"
        beyond = [number for number in numbers if number > reference_count]
        if beyond:
            return (
                f"citation {self.raw} refers to reference {beyond[0]}, "
                f"but entry '{entry_id}' {references_held(reference_count)}"
            )
        return None


def split(text: str) -> list[str | Marker]:
    """Text with its markers picked out: plain strings and `Marker`s, in order."""
    pieces: list[str | Marker] = []
    position = 0
    for match in _MARKER.finditer(text):
        if match.start() > position:
            pieces.append(text[position : match.start()])
        parts = tuple(
            int(part) if part.isdigit() else part for part in _PART.findall(match.group(1))
        )
        pieces.append(Marker(match.group(0), parts, match.start()))
        position = match.end()
    if position < len(text):
        pieces.append(text[position:])
    return pieces


def markers(text: str) -> list[Marker]:
    return [piece for piece in split(text) if isinstance(piece, Marker)]


def references_held(count: int) -> str:
    """'has only 3 references', as messages about missing references put it."""
    if count == 0:
        return "has no references"
    return f"has only {count} reference{'s' if count != 1 else ''}"
