"""Where a character of a parsed YAML string was written in its file.

YAML folds line breaks and indentation of plain and block scalars into single spaces, so an
offset in the string the loader hands over is not an offset in the file. Walking both side by
side puts a finding on the character it is about, however the paragraph was folded."""

from __future__ import annotations

from generator.content.document import Document, Location
from generator.content.problem import Position

_SPACE = " \t\r\n"


def position_in(document: Document, location: Location, value: str, offset: int) -> Position:
    """The line and column of `value[offset]`, `value` being the string written at `location`;
    the value's own position when the two cannot be walked together (escapes in quotes)."""
    start = document.position(location)
    text = document.text
    j = document.offset_of(start)
    if text[j : j + 1] in (">", "|"):
        j = text.find("\n", j) + 1  # a block scalar's text starts on the next line
    elif text[j : j + 1] in ("'", '"'):
        j += 1
    i = 0
    while j < len(text) and i < len(value):
        if text[j] == value[i]:
            if i == offset:
                return document.position_at(j)
            i, j = i + 1, j + 1
        elif text[j] in _SPACE:
            j += 1
        elif value[i] == " ":
            i += 1  # a line break, folded into this space
        else:
            break
    return start
