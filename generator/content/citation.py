"""Citation markers in author prose: `[1]`, `[2-3]`, `[1,3]`, `[1, 3-5]`.

A marker is found by its shape alone (digits, commas and hyphens in square brackets); whether its
numbers point at real references is for the loader to judge, so the two can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_MARKER = re.compile(r"\[([0-9]+(?:[ \t]*[-–,][ \t]*[0-9]+)*)\]")
_PART = re.compile(r"[0-9]+|[ \t]*[-–,][ \t]*")
_RANGE = ("-", "–")


@dataclass(frozen=True)
class Marker:
    """One bracketed marker: its numbers and separators exactly as written."""

    raw: str
    parts: tuple[str, ...]

    @property
    def numbers(self) -> list[int]:
        """Every reference number the marker cites, ranges expanded, in the order written."""
        cited: list[int] = []
        in_range = False
        for part in self.parts:
            if part.isdigit():
                number = int(part)
                cited.extend(range(cited[-1] + 1, number + 1) if in_range else [number])
            else:
                in_range = part.strip() in _RANGE
        return cited

    def problem(self, reference_count: int, entry_id: str) -> str | None:
        """Why this marker cannot be resolved in an entry with `reference_count` references."""
        written = [int(part) for part in self.parts if part.isdigit()]
        separators = [part.strip() for part in self.parts if not part.isdigit()]
        for index, separator in enumerate(separators):
            if separator in _RANGE:
                if index and separators[index - 1] in _RANGE:
                    return f"citation {self.raw}: write one range at a time, like [1-3,5]"
                if written[index] >= written[index + 1]:
                    return f"citation {self.raw}: a range must go upward, like [2-3]"
        if 0 in written:
            return f"citation {self.raw}: references are numbered from 1"
        beyond = [number for number in written if number > reference_count]
        if beyond:
            return (
                f"citation {self.raw} refers to reference {beyond[0]}, "
                f"but entry '{entry_id}' {references_held(reference_count)}"
            )
        return None


def split(text: str) -> list[str | Marker]:
    """Text with its markers picked out: plain strings and `Marker`s, in order."""
    if "[" not in text:  # most paragraphs of quotes, read for their numbers a few times each
        return [text] if text else []
    pieces: list[str | Marker] = []
    position = 0
    for match in _MARKER.finditer(text):
        if match.start() > position:
            pieces.append(text[position : match.start()])
        pieces.append(Marker(match.group(0), tuple(_PART.findall(match.group(1)))))
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


def segments(paragraph: str) -> Iterator[tuple[int, int, list[int]]]:
    """(start, end, references) of each stretch of a paragraph: the text up to a citation
    marker is what the marker cites; text after the last marker, or in a paragraph without
    one, is held to the whole entry."""
    start = offset = 0
    for piece in split(paragraph):
        if isinstance(piece, Marker):
            yield start, offset, piece.numbers
            start = offset + len(piece.raw)
        offset += len(piece.raw) if isinstance(piece, Marker) else len(piece)
    if start < len(paragraph):
        yield start, len(paragraph), []
