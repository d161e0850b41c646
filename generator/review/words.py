"""Which words of a text changed: two texts -> runs of words, each the same on both sides, only
before, or only after.

Words are compared with the spaces after them, so a word put in or taken out reads as one run,
and the spaces next to a change are shown outside its marks ('the {+current+} evidence'). A
value without spaces (a number, a date, an identifier) changes as a whole: '0.38' -> '0.39'
reads better whole than as '0.3[-8-]{+9+}'.
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

from generator.content.change import Segment

Kind = Literal["same", "removed", "added"]

# A date, a number (with its decimal point or middle dot), a word, or a run of punctuation;
# each with the spaces after it.
_TOKEN = re.compile(r"^\s+|\d{4}-\d\d-\d\d\s*|\d+(?:[.,·]\d+)*\s*|\w+\s*|[^\w\s]+\s*")
_CONTEXT = 8
"""Words kept on each side of a change when a long text is shortened for a terminal."""
MARKS: dict[Kind, tuple[str, str]] = {"removed": ("[-", "-]"), "added": ("{+", "+}")}
"""As `git diff --word-diff` marks words removed and added."""


def runs(before: str, after: str) -> list[tuple[Kind, str]]:
    """Both texts in one sequence of runs: the same, removed, added."""
    merged: list[tuple[Kind, str]] = []
    found = _runs(before, after)
    for number, (kind, old, new) in enumerate(found):
        # Unchanged words before words taken out keep the space that led to them.
        removal = number + 1 < len(found) and found[number + 1][0] == "removed"
        merged.append((kind, old if kind == "removed" or removal else new))
    return merged


def compare(before: str, after: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Each side's runs, the words only on that side marked as changed."""
    found = _runs(before, after)
    old = _side([(kind, text) for kind, text, _ in found if kind != "added"], "removed")
    new = _side([(kind, text) for kind, _, text in found if kind != "removed"], "added")
    return old, new


def _runs(before: str, after: str) -> list[tuple[Kind, str, str]]:
    """(kind, its text before, its text after): unchanged words may differ in their spaces."""
    if before == after:
        return [("same", before, after)] if before else []
    if not any(char.isspace() for char in before.strip() + after.strip()):
        both: list[tuple[Kind, str, str]] = [("removed", before, ""), ("added", "", after)]
        return [run for run in both if run[1] or run[2]]
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    found: list[tuple[Kind, str, str]] = []
    # Spaces do not make words differ: 'tumors.' at the end and 'tumors. ' before more.
    keys = [token.rstrip() for token in old], [token.rstrip() for token in new]
    matcher = difflib.SequenceMatcher(None, *keys, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        gone, put = "".join(old[a1:a2]), "".join(new[b1:b2])
        if tag == "equal":
            found.append(("same", gone, put))
            continue
        if gone:
            found.append(("removed", gone, ""))
        if put:
            found.append(("added", "", put))
    return found


def whole(text: str) -> tuple[Segment, ...]:
    """A text that is all new, or all gone."""
    return (Segment(text, True),)


def marked(before: str, after: str, *, shorten: bool) -> str:
    """One line with the words removed and added marked in it. `shorten` leaves out what is
    far from any change, for a terminal."""
    merged = runs(before, after)
    pieces = []
    for number, (kind, text) in enumerate(merged):
        replaced = (
            kind == "removed" and number + 1 < len(merged) and merged[number + 1][0] == "added"
        )
        if replaced:  # the words put in its place follow at once: '[-a-]{+b+} '
            pieces.append(mark(text.rstrip(), *MARKS[kind]))
        elif kind != "same":
            pieces.append(mark(text, *MARKS[kind]))
        elif shorten and len(merged) > 1:
            pieces.append(_shortened(text, first=number == 0, last=number == len(merged) - 1))
        else:
            pieces.append(text)
    return "".join(pieces)


def side(runs: tuple[Segment, ...], kind: Kind, *, shorten: bool) -> str:
    """One side of a change with its changed runs marked: only '[-...-]' on the side before,
    only '{+...+}' on the side after."""
    pieces = []
    for number, run in enumerate(runs):
        if run.changed:
            pieces.append(mark(run.text, *MARKS[kind]))
        elif shorten and len(runs) > 1:
            pieces.append(_shortened(run.text, first=number == 0, last=number == len(runs) - 1))
        else:
            pieces.append(run.text)
    return "".join(pieces)


def mark(text: str, opening: str, closing: str) -> str:
    """A changed run between its marks, the spaces after it outside them."""
    words = text.rstrip()
    return f"{opening}{words}{closing}{text[len(words) :]}" if words else text


def _side(merged: list[tuple[Kind, str]], changed: Kind) -> tuple[Segment, ...]:
    side: list[Segment] = []
    for kind, text in merged:
        if kind not in ("same", changed):
            continue
        is_changed = kind == changed
        if side and side[-1].changed == is_changed:
            side[-1] = Segment(side[-1].text + text, is_changed)
        else:
            side.append(Segment(text, is_changed))
    return tuple(side)


def _shortened(text: str, *, first: bool, last: bool) -> str:
    """Unchanged words between changes, with only those nearest to them."""
    words = _TOKEN.findall(text)
    if len(words) <= 3 * _CONTEXT:
        return text
    head = "" if first else "".join(words[:_CONTEXT])
    tail = "" if last else "".join(words[-_CONTEXT:])
    if head and tail:
        return f"{head}… {tail}"
    return f"… {tail}" if tail else f"{head.rstrip()} …"
