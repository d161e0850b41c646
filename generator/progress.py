"""Progress of long work (reading thousands of entries, building thousands of pages) for a
person at a terminal: one bar, redrawn in place, with a count and the time left, gone when the
work is done. Where the output is not a terminal (CI logs, a file) nothing at all is printed,
so a log has the same lines whatever the size of the site.

tqdm draws the bar. Work that ends within `DELAY` seconds shows none, so small sites and single
saves under `mkdocs serve` print nothing extra either.
"""

from __future__ import annotations

import logging
import sys
from typing import Never, TextIO

from tqdm import tqdm

DELAY = 1.0
"""Seconds of work before a bar appears."""


class Progress:
    """A bar for `total` steps of one piece of work, on standard error if that is a terminal."""

    def __init__(
        self,
        label: str,
        total: int,
        unit: str,
        *,
        stream: TextIO | None = None,
        delay: float = DELAY,
    ) -> None:
        stream = stream if stream is not None else sys.stderr
        self.label = label
        self.bar: tqdm[Never] = tqdm(
            total=total,
            desc=label,
            unit=f" {unit}",
            file=stream,
            disable=not _is_terminal(stream),
            delay=delay,
            leave=False,  # a finished bar leaves no line behind
            dynamic_ncols=True,
            mininterval=0.2,
        )
        self._clearing = _Clearing(self.bar)
        if not self.bar.disable:
            for handler in _console_handlers():
                handler.addFilter(self._clearing)

    def advance(self, steps: int = 1) -> None:
        self.bar.update(steps)

    def close(self) -> None:
        for handler in _console_handlers():
            handler.removeFilter(self._clearing)
        self.bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()


class _Clearing(logging.Filter):
    """A line logged while a bar is shown must not be written after the bar, on its line: the
    bar is wiped first and drawn again at its next step."""

    def __init__(self, bar: tqdm[Never]) -> None:
        super().__init__()
        self.bar = bar

    def filter(self, record: logging.LogRecord) -> bool:
        self.bar.clear()
        return True


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed, or no such method
        return False


def _console_handlers() -> list[logging.Handler]:
    """The handlers that print MkDocs' log lines (and ours, which log under "mkdocs")."""
    return [
        handler
        for name in ("mkdocs", "")
        for handler in logging.getLogger(name).handlers
        if isinstance(handler, logging.StreamHandler)
    ]
