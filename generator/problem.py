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
    """`content/evidence/x.yaml:12:5: quotes[0].license: unknown license 'nejm2'`"""

    path: str
    position: Position
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.position.line}:{self.position.column}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ContentError(Exception):
    """The content has problems; nothing may be published until they are fixed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(problem) for problem in self.problems]
        lines.append(f"{count} problem{'s' if count != 1 else ''} found.")
        return "\n".join(lines)
