"""Recording quote fingerprints in an entry file, and changing nothing else in it.

The file is edited as text: one `fingerprint:` line is added to a quote, or the value of an
existing one is replaced. Comments, layout, quoting and line endings, down to a missing line
break at the end, stay exactly as they were.
Before the file is replaced, the edited text is read again and must hold the same data plus the
fingerprint; otherwise nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.checks import licensing
from generator.content import document
from generator.content.document import Document, Location
from generator.content.problem import ContentError, Position
from generator.review import rewrite


class FingerprintError(Exception):
    """The fingerprint cannot be recorded; the file is unchanged."""


def record(path: Path, shown: str, only: int | None = None) -> list[str]:
    """Record the fingerprints of the quotes in `path` that lack one, or replace the one of
    quote `only` (after it was re-checked against its source). Returns what was done."""
    entry, problems = document.read(path, shown)
    if problems:
        raise ContentError(problems)
    quotes = entry.data.get("quotes") if isinstance(entry.data, dict) else None
    if not isinstance(quotes, list) or not quotes:
        raise FingerprintError(f"{shown} has no quotes")
    if only is not None and not 0 <= only < len(quotes):
        raise FingerprintError(f"{shown} has no quotes[{only}]; it has {len(quotes)} quote(s)")

    edits: list[tuple[int, int, str]] = []  # (start offset, end offset, new text)
    done = []
    for index in range(len(quotes)) if only is None else [only]:
        quote = quotes[index]
        text = quote.get("text") if isinstance(quote, dict) else None
        if not isinstance(text, list) or not all(isinstance(p, str) for p in text):
            raise FingerprintError(f"{shown}: quotes[{index}] has no text to fingerprint")
        value = licensing.fingerprint(text)
        current = quote.get("fingerprint")
        if current == value:
            done.append(f"quotes[{index}]: fingerprint already recorded")
        elif current is not None and only is None:
            done.append(
                f"quotes[{index}]: its fingerprint does not match its text; if you re-checked the "
                f"text against the source, run again with --quote {index}"
            )
        else:
            edits.append(_edit(entry, ("quotes", index), value, replace=current is not None))
            done.append(f"quotes[{index}]: recorded {value}")
    if edits:
        _write(path, entry, edits, quotes, only)
    return [f"{shown}: {line}" for line in done]


def _edit(entry: Document, quote: Location, value: str, *, replace: bool) -> tuple[int, int, str]:
    if replace:
        start = entry.offset_of(entry.values[(*quote, "fingerprint")])
        end = entry.offset_of(entry.ends[(*quote, "fingerprint")])
        return start, end, value
    opening = entry.values[quote]
    if entry.text[entry.offset_of(opening)] in "{[":
        raise FingerprintError(
            f"quotes[{quote[1]}] is written on one line in braces; write it one key per line "
            "to record its fingerprint"
        )
    # After the last line of the quote, indented like its keys.
    last = max(end for location, end in entry.ends.items() if location[:2] == quote)
    line = last.line if last.column == 1 else last.line + 1
    text = entry.text
    lines = text.count("\n") + 1
    at = entry.offset_of(Position(line, 1)) if line <= lines else len(text)
    added = f"{' ' * (opening.column - 1)}fingerprint: {value}"
    if at == len(text) and not text.endswith("\n"):
        # The quote ends a file whose last line has no line break: the fingerprint becomes the
        # last line, without one either, so that the file still ends as its author left it.
        return at, at, _line_break(text, text.rfind("\n")) + added
    return at, at, added + _line_break(text, at - 1)


def _line_break(text: str, end: int) -> str:
    """The line break (CRLF or LF) whose line feed is at offset `end`, so that a new line matches
    its neighbour even in a file that mixes both; LF when the file has none (`end` is -1)."""
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def _write(
    path: Path,
    entry: Document,
    edits: list[tuple[int, int, str]],
    quotes: list[Any],
    only: int | None,
) -> None:
    text = entry.text
    for start, end, new in sorted(edits, reverse=True):  # from the end, so offsets hold
        text = text[:start] + new + text[end:]
    rewrite.replace(path, text, lambda edited: _verify(edited, entry, quotes, only))


def _verify(edited: Path, entry: Document, quotes: list[Any], only: int | None) -> None:
    """The edited file must read as the same data, with each fingerprint in its place."""
    result, problems = document.read(edited, entry.path)
    expected = dict(entry.data)
    expected["quotes"] = [
        {**quote, "fingerprint": licensing.fingerprint(quote["text"])}
        if (only is None and "fingerprint" not in quote) or index == only
        else quote
        for index, quote in enumerate(quotes)
    ]
    if problems or result.data != expected:
        raise FingerprintError(
            f"{entry.path}: the fingerprint could not be placed automatically; add "
            "'fingerprint: <value>' to the quote by hand (the file is unchanged)"
        )
