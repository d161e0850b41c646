"""YAML syntax errors as an author can act on them: what went wrong in their words, where it
started (the quote or bracket that was never closed, not the end of the file), and what to do.

The YAML parser says "mapping values are not allowed here" for a colon inside a value and
"found unexpected end of stream" for a quote that is never closed, at the end of the file. Each
mistake authors commonly make is recognised from the parser's problem and the text around it;
anything else keeps the parser's words.
"""

from __future__ import annotations

import yaml

from generator.content.problem import Position


def explain(error: yaml.MarkedYAMLError, text: str) -> tuple[Position, str]:
    """Where the mistake is, and a message for the author."""
    problem, context = error.problem or "", error.context or ""
    at, opened = error.problem_mark, error.context_mark
    where = _position(at or opened)
    lines = text.splitlines()

    def line(mark: yaml.Mark | None) -> str:
        return lines[mark.line] if mark is not None and mark.line < len(lines) else ""

    if "cannot start any token" in problem and at is not None:
        character = line(at)[at.column : at.column + 1]
        if character == "\t":
            return where, "a tab can't indent YAML: indent with spaces"
        return where, (
            f"a value can't start with {character}: put the whole value in quotes, "
            f'like "{character}..."'
        )
    if "while scanning a quoted scalar" in context and opened is not None:
        quote = line(opened)[opened.column : opened.column + 1] or '"'
        return _position(opened), (
            f"this quote is never closed: end the value with {quote}, or, if the value holds "
            f"{quote} itself, put the value in the other kind of quotes"
        )
    if context.startswith("while parsing a flow") and opened is not None:
        closer = "]" if "sequence" in context else "}"
        kind = "list" if closer == "]" else "mapping"
        return _position(opened), (
            f"this {kind} in brackets is not closed with {closer} where it should end: close "
            f"it, or write it one item per line"
        )
    if problem.startswith("mapping values are not allowed") and at is not None:
        before = line(at)[: at.column]
        if ": " in before or before.strip().startswith("- "):
            return where, (
                "a colon followed by a space ends a key, so it can't stand inside a value: put "
                "the whole value in quotes"
            )
        return where, (
            "this line is indented further than the key above it, so it reads as part of that "
            "key's value: line up the keys of one mapping under each other"
        )
    if "could not find expected ':'" in problem and opened is not None:
        started = line(opened)
        key, colon, rest = started.partition(":")
        if colon and rest[:1] not in ("", " ") and " " not in key.strip():
            return _position(opened), (
                f"a key needs a colon and a space before its value: write "
                f"'{key.strip()}: {rest.strip()}'"
            )
        return _position(opened), (
            "this line is neither 'key: value' nor a list item '- ...': if it continues the text "
            "above, indent it further than that text's key or dash"
        )
    # libyaml: "did not find expected key" / "... '-' indicator"; PyYAML: "expected <block end>"
    ended = "did not find expected key" in problem or "expected <block end>" in problem
    listed = "did not find expected '-' indicator" in problem or "but found '?'" in problem
    if (ended or listed) and at is not None:
        if line(at)[: at.column].strip():
            return where, _value_cut_short(line(at), at.column)
        if listed:
            return where, (
                "a key stands among the items of a list: make it an item with '- ', or indent "
                "it under the item it belongs to"
            )
        return where, (
            "this line is indented differently from the lines around it: line up the items of "
            "a list (and the keys of a mapping) under each other, with spaces"
        )
    if "while scanning a block scalar" in context:
        return where, (
            "after | or > the text starts on the next line, indented; or put the value in quotes"
        )
    message = " ".join(part for part in (context, problem) if part)
    return where, f"YAML syntax error: {message}"


def _value_cut_short(text: str, column: int) -> str:
    """A value that ended before its text did: after its closing quote or bracket."""
    before = text[:column]
    start = before.find(": ") + 2 if ": " in before else before.find("- ") + 2
    first = before[start:].lstrip()[:1] if start >= 2 else ""
    if first in ('"', "'"):
        return (
            f"the value ended at its closing {first}, but the text goes on: put a {first} that "
            f"belongs to the text as {first * 2 if first == chr(39) else chr(92) + first}, or "
            "put the whole value in the other kind of quotes"
        )
    if first == "[":
        return (
            "a value that starts with [ is read as a list, so the text after ] can't follow: "
            "put the whole value in quotes (a citation marker can't open a paragraph unquoted)"
        )
    if first == "{":
        return (
            "a value that starts with { is read as a mapping, so the text after } can't "
            "follow: put the whole value in quotes"
        )
    return "the text goes on after the value ended: put the whole value in quotes"


def _position(mark: yaml.Mark | None) -> Position:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)
