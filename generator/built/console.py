"""What a build prints for a person: one closing line (what was built, where, how long, how to
look at it) and the warnings counted by rule; none of MkDocs' lines that would mislead.

`generator build` runs MkDocs in a child process, into a work folder that is renamed when the
build passes. MkDocs' own lines there would name that folder, gone a moment later, so the child
leaves them out (`QUIET_VARIABLE`) and the builder prints the closing line once the site is in
place. A plain `mkdocs build` ends with the same line, in place of MkDocs' "Documentation built".
"""

from __future__ import annotations

import logging
import re
import shlex
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from generator.content.problem import Problem

QUIET_VARIABLE = "EVIDENCE_BUILT_BY_BUILDER"
"""Set by `builder` for its MkDocs process: the builder reports where the site went."""

BANNER_LINES = 20
"""A page shows this many of the problems of a refused save; the terminal shows them all."""

_BUILT = re.compile(r"Documentation built in (\d+(?:\.\d+)?) seconds")
_WORK_FOLDER_LINES = ("Cleaning site directory", "Building documentation to directory: ")


def closing_line(pages: int, shown: str, seconds: float, unchanged: int = 0) -> str:
    """The last line of a build. Opened from disk, a built page's links end in folders and
    search does not run, so the way to look at it is a server."""
    kept = f" ({unchanged:,} of them unchanged since the last build)" if unchanged else ""
    return (
        f"Built {pages} page{'s' if pages != 1 else ''} into {shown}/ in {seconds:.1f} s{kept}. "
        f"To look at it: bash scripts/serve.sh, or python3 -m http.server -d "
        f"{shlex.quote(shown)} and open http://localhost:8000/"
    )


def serving_line(pages: int, seconds: float, *, stale: bool, unchanged: int = 0) -> str:
    """The last line of a rebuild under `mkdocs serve`."""
    kept = f" ({unchanged:,} unchanged)" if unchanged else ""
    line = f"Rebuilt {pages} page{'s' if pages != 1 else ''}{kept} in {seconds:.1f} s"
    if stale:
        return f"{line}, showing the last good content until the problems above are fixed."
    return f"{line}."


def by_rule(problems: Iterable[Problem]) -> str:
    """'3 warnings (license-expiring 1, prose-numbers 2)': how many, and of which rules."""
    found = list(problems)
    text = f"{len(found)} warning{'s' if len(found) != 1 else ''}"
    if found:
        rules = Counter(problem.rule or "other" for problem in found)
        text += f" ({', '.join(f'{rule} {n}' for rule, n in sorted(rules.items()))})"
    return text


def banner(problems: Sequence[Problem], shown: int = BANNER_LINES) -> dict[str, object]:
    """What the banner of `mkdocs serve` says when a save is refused: the first problems, as
    the terminal prints them, and how many are left out. The theme escapes every line."""
    return {
        "count": f"{len(problems)} problem{'s' if len(problems) != 1 else ''}",
        "lines": [str(problem) for problem in problems[:shown]],
        "more": max(0, len(problems) - shown),
    }


class Closing(logging.Filter):
    """Put on MkDocs' build logger: its "Documentation built in N seconds" becomes the closing
    line that `describe(seconds)` returns (unless that is None), or is left out (with the lines
    naming the work folder) when the builder reports instead."""

    def __init__(self, describe: Callable[[float], str | None], *, quiet: bool) -> None:
        super().__init__()
        self.describe = describe
        self.quiet = quiet
        self.built = False  # MkDocs said the build is done: its very last step

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.quiet and message.startswith(_WORK_FOLDER_LINES):
            return False
        built = _BUILT.fullmatch(message)
        if built is None:
            return True
        self.built = True
        if self.quiet:
            return False
        line = self.describe(float(built.group(1)))
        if line is not None:
            record.msg, record.args = line, ()
        return True
