"""Reading one YAML file into plain data, strictly, remembering where every value was written.

PyYAML's loaders guess types (`NO` becomes false, `012` becomes 10), keep the last of two
duplicate keys and expand aliases. Here the event stream from libyaml is turned into dicts,
lists and *strings* by a loop (no recursion, so deep nesting cannot crash it), and the schema
decides what each string means. Anything YAML offers beyond plain data (tags, anchors, aliases,
merge keys, several documents) is refused with its position.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from generator.content import characters, syntax
from generator.content.characters import INVISIBLE
from generator.content.problem import Position, Problem

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml is ten times slower
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Location = tuple[str | int, ...]
"""Path of a value inside a document: keys and list indexes, e.g. ('quotes', 0, 'license')."""

MAX_BYTES = 256_000
"""An entry is about 5 KB; a file fifty times larger is a mistake, not an entry."""
MAX_DEPTH = 32
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass
class Document:
    """The data of one YAML file and where each part of it was written."""

    path: str
    data: Any = None
    values: dict[Location, Position] = field(default_factory=dict)
    keys: dict[Location, Position] = field(default_factory=dict)
    ends: dict[Location, Position] = field(default_factory=dict)
    """Where each scalar value ends, to tell which value a position falls in."""
    text: str = ""
    _line_starts: list[int] | None = field(default=None, repr=False)
    _scalars: list[tuple[Position, Position, Location]] | None = field(default=None, repr=False)

    def location_at(self, position: Position) -> Location | None:
        """The scalar value written at `position`, or the next one on its line, if any."""
        if self._scalars is None:
            self._scalars = sorted(
                (self.values[location], end, location) for location, end in self.ends.items()
            )
        starts = [start for start, _, _ in self._scalars]
        index = bisect.bisect_right(starts, position) - 1
        if index >= 0 and position < self._scalars[index][1]:
            return self._scalars[index][2]
        following = index + 1
        if following < len(starts) and starts[following].line == position.line:
            return self._scalars[following][2]
        return None

    def position_at(self, offset: int) -> Position:
        """The line and column of a character offset in the text."""
        if self._line_starts is None:
            self._line_starts = [0, *(match.end() for match in re.finditer("\n", self.text))]
        line = bisect.bisect_right(self._line_starts, offset)
        return Position(line, offset - self._line_starts[line - 1] + 1)

    def offset_of(self, position: Position) -> int:
        self.position_at(0)  # makes the line index
        assert self._line_starts is not None
        return self._line_starts[position.line - 1] + position.column - 1

    def positions_of(self, location: Location, needles: list[str]) -> list[Position]:
        """Where each of `needles` is written, searching in order from the value at `location`.

        For pointing at a part of a long value, such as one citation marker in a paragraph.
        A needle not found as written (split over lines, say) is placed at the value itself.
        """
        start = self.position(location)
        offset = self.offset_of(start)
        found = []
        for needle in needles:
            at = self.text.find(needle, offset)
            if at < 0:
                found.append(start)
                continue
            found.append(self.position_at(at))
            offset = at + len(needle)
        return found

    def position(self, location: Location, *, key: bool = False) -> Position:
        """Where `location` was written; for a value that is missing, where its parent was."""
        if key and location in self.keys:
            return self.keys[location]
        while location not in self.values and location:
            location = location[:-1]
        return self.values.get(location, Position(1, 1))

    def problem(self, location: Location, message: str, *, key: bool = False) -> Problem:
        return Problem(self.path, self.position(location, key=key), field_path(location), message)


def field_path(location: Location) -> str:
    """('quotes', 0, 'license') -> 'quotes[0].license', as authors see it in messages."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


class _Refused(Exception):
    """A problem after which the rest of the file cannot be read."""

    def __init__(self, problem: _Found) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(frozen=True)
class _Found:
    mark: Any
    message: str
    location: Location | None = None

    def problem(self, path: str) -> Problem:
        field_name = field_path(self.location) if self.location else None
        return Problem(path, _position(self.mark), field_name, self.message)


def _position(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def read(path: Path, shown_as: str) -> tuple[Document, list[Problem]]:
    """Read `path` (reported as `shown_as`); on any problem, the document holds no data."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        message = f"cannot read file: {error.strerror}"
        return Document(shown_as), [Problem(shown_as, Position(1, 1), None, message)]
    return parse(raw, shown_as)


def utf8_problem(raw: bytes, shown_as: str) -> Problem | None:
    """Where a file's bytes stop being UTF-8 text (a byte order mark is fine), if they do."""
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"file is not UTF-8 text (invalid byte at offset {error.start}); save it as UTF-8"
        return Problem(shown_as, Position(line, column), None, message)
    return None


def parse(raw: bytes, shown_as: str) -> tuple[Document, list[Problem]]:
    """Read the bytes of a YAML file (reported as `shown_as`), as `read` does."""
    document = Document(shown_as)
    start = Position(1, 1)
    if len(raw) > MAX_BYTES:
        return document, [
            Problem(shown_as, start, None, f"file is larger than {MAX_BYTES:,} bytes; split it up")
        ]
    not_utf8 = utf8_problem(raw, shown_as)
    if not_utf8 is not None:
        return document, [not_utf8]
    text = raw.decode("utf-8-sig")
    document.text = text
    if characters.any_invisible(raw, text):
        # Read a copy with each such character blanked: positions stay the same, so each can be
        # placed in its field, and other problems of the file are found in the same run.
        others = _parse(INVISIBLE.sub(" ", text), document)
        document.data = None
        return document, _invisible(text, document) + others
    problems = _parse(text, document)
    if problems:
        document.data = None
        return document, problems
    if document.data is None:
        return document, [Problem(shown_as, start, None, "file is empty")]
    return document, []


def _parse(text: str, document: Document) -> list[Problem]:
    found: list[_Found] = []
    try:
        document.data = _build(text, document, found)
    except _Refused as refused:
        found.append(refused.problem)
    except yaml.MarkedYAMLError as error:
        position, message = syntax.explain(error, text)
        return [Problem(document.path, position, None, message)]
    except yaml.YAMLError as error:  # the reader's errors carry no line; INVISIBLE catches those
        return [Problem(document.path, Position(1, 1), None, f"YAML error: {error}")]
    return [problem.problem(document.path) for problem in found]


class _Node:
    """A mapping or sequence being filled while its events arrive."""

    __slots__ = ("key_lines", "location", "mapping", "pending_key", "value")

    def __init__(self, value: dict[str, Any] | list[Any], location: Location) -> None:
        self.value = value
        self.location = location
        self.mapping = isinstance(value, dict)
        self.pending_key: tuple[str, Position] | None = None
        self.key_lines: dict[str, int] = {}


_PASSED = frozenset({yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent})
_OPENED = frozenset({yaml.MappingStartEvent, yaml.SequenceStartEvent})
_CLOSED = frozenset({yaml.MappingEndEvent, yaml.SequenceEndEvent})


def _build(text: str, document: Document, found: list[_Found]) -> Any:
    loader = _Loader(text)
    try:
        return _fill(loader.get_event, document, found)
    finally:
        loader.dispose()


def _fill(next_event: Any, document: Document, found: list[_Found]) -> Any:
    # Every event of every entry passes through this loop (some 300 a file), so it dispatches
    # on the event's exact type and makes each position once.
    values, keys, ends = document.values, document.keys, document.ends
    new_position = partial(tuple.__new__, Position)  # Position(...) goes through a lambda
    stack: list[_Node] = []
    parent: _Node | None = None
    root: Any = None
    documents = 0
    skip_next = False  # leave out the next value (that of a duplicate key)...
    skip_depth = 0  # ...and, when it is a list or mapping, everything inside it
    while (event := next_event()) is not None:
        kind = type(event)
        if kind in _PASSED:
            continue
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Refused(
                    _Found(event.start_mark, "only one YAML document per file; remove '---'")
                )
            continue
        if skip_depth:
            if kind in _OPENED:
                skip_depth += 1
            elif kind in _CLOSED:
                skip_depth -= 1
            continue
        if skip_next:
            skip_next = False
            skip_depth = 1 if kind in _OPENED else 0
            continue
        if kind in _CLOSED:
            stack.pop()
            parent = stack[-1] if stack else None
            continue
        here = _next_location(parent)
        mark = event.start_mark
        scalar = kind is yaml.ScalarEvent
        if kind is yaml.AliasEvent:
            found.append(_Found(mark, "aliases (*name) are not allowed; write the value out", here))
        else:
            if event.anchor is not None:
                found.append(
                    _Found(mark, "anchors (&name) are not allowed; write the value out", here)
                )
            if event.tag is not None:
                found.append(_Found(mark, f"tags like {event.tag} are not allowed", here))
        if scalar and event.style == '"':
            # Escapes such as "\u202e" or "\x00" make characters the raw-text scan cannot see.
            escaped = INVISIBLE.search(event.value)
            if escaped:
                char = escaped.group()
                found.append(
                    _Found(
                        mark,
                        f"invisible or control character U+{ord(char):04X} "
                        f"({unicodedata.name(char, 'a control character')}), written as an "
                        "escape, is not allowed; delete it",
                        here,
                    )
                )
        position = new_position((mark.line + 1, mark.column + 1))
        if parent is not None and parent.mapping and parent.pending_key is None:
            # This event is a key of the mapping on top of the stack.
            if not scalar:
                raise _Refused(_Found(mark, "keys must be plain text", parent.location))
            key = event.value
            if key == "<<" and not event.style:
                found.append(_Found(mark, "merge keys (<<) are not allowed", parent.location))
                skip_next = True  # its value would only add a second, confusing problem
                continue
            if key in parent.key_lines:
                found.append(
                    _Found(
                        mark,
                        f"duplicate key: '{key}' is already set on line {parent.key_lines[key]}",
                        (*parent.location, key),
                    )
                )
                skip_next = True  # the first value stays; the second is left out
                continue
            parent.key_lines[key] = position.line
            parent.pending_key = (key, position)
            continue

        if parent is not None and parent.pending_key is not None:
            keys[here] = parent.pending_key[1]
        values[here] = position

        value: Any
        if scalar:
            # libyaml reports a plain scalar's style as '', PyYAML's own parser as None.
            value = None if not event.style and event.value in _NULLS else event.value
            end = event.end_mark
            ends[here] = new_position((end.line + 1, end.column + 1))
        elif kind is yaml.MappingStartEvent:
            value = {}
        elif kind is yaml.SequenceStartEvent:
            value = []
        else:  # an alias, already reported
            value = None

        if parent is None:
            root = value
        elif parent.mapping:
            parent.value[here[-1]] = value  # type: ignore[index]
            parent.pending_key = None
        else:
            parent.value.append(value)  # type: ignore[union-attr]

        if value.__class__ is dict or value.__class__ is list:
            if len(stack) >= MAX_DEPTH:
                raise _Refused(_Found(mark, f"nesting is deeper than {MAX_DEPTH} levels", here))
            parent = _Node(value, here)
            stack.append(parent)
    return root


MAX_REPORTED = 20
"""Invisible characters reported one by one per file; the rest are counted."""


def _invisible(text: str, document: Document) -> list[Problem]:
    found = []
    matches = list(INVISIBLE.finditer(text))
    for match in matches[:MAX_REPORTED]:
        position = document.position_at(match.start())
        char = match.group()
        name = unicodedata.name(char, "a control character")
        location = document.location_at(position)
        found.append(
            Problem(
                document.path,
                position,
                field_path(location) if location else None,
                f"invisible or control character U+{ord(char):04X} ({name}) is not allowed; "
                "delete it",
            )
        )
    if len(matches) > MAX_REPORTED:
        found.append(
            Problem(
                document.path,
                document.position_at(matches[MAX_REPORTED].start()),
                None,
                f"and {len(matches) - MAX_REPORTED:,} more invisible or control characters in "
                "this file",
            )
        )
    return found


def _next_location(parent: _Node | None) -> Location:
    """Where the next value goes: the parent's pending key, or the end of the parent list."""
    if parent is None:
        return ()
    if parent.mapping:
        if parent.pending_key is None:  # the next event is a key, which sits at the parent
            return parent.location
        return (*parent.location, parent.pending_key[0])
    return (*parent.location, len(parent.value))
