"""A problem found in the content, reported the way a compiler reports one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Position(NamedTuple):
    """Line and column, both counted from 1."""

    line: int
    column: int


@dataclass(frozen=True, order=True)
class Problem:
    """`content/evidence/x.yaml:12:5: quotes[0].license: unknown license 'nejm2'`

    An error stops publishing. A warning is published, but fails a strict build; it reads
    `path:line:col: field: warning: message [rule]`.
    """

    path: str
    position: Position
    field: str | None
    message: str
    rule: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.position.line}:{self.position.column}"
        text = f"warning: {self.message}" if self.warning else self.message
        if self.rule:
            text += f" [{self.rule}]"
        return f"{where}: {self.field}: {text}" if self.field else f"{where}: {text}"


class ContentError(Exception):
    """The content has problems; nothing may be published until they are fixed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        """The problems, one per line, then how many there were."""
        return "\n".join([*map(str, self.problems), f"{_count(self.problems)} found."])

    def headed_report(self) -> str:
        """The problems under a heading line, for logs that put a prefix on the first line."""
        return "\n".join([f"{_count(self.problems)} in the content:", *map(str, self.problems)])


def _count(problems: list[Problem]) -> str:
    return f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
