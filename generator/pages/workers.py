"""Entry files examined on every core: a build from nothing reads thousands, each on its own
(`record.examine`), and one process did that at 200 a second.

This process and helpers (one fewer than the cores) take batches from the same list, so each
does as much as its speed allows, and the records come back in the order of the files. The
helpers are started afresh (never forked from a process whose threads may hold locks) and die
with the build. Should one die (a script that runs the build without an `if __name__ ==
"__main__":` guard kills each helper it starts), this process examines what was left. Few files
(a save under `mkdocs serve`, a build with its cache filled) are examined here alone, sooner
than a helper could start.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from generator import lifetime
from generator.checks.models import LicenseRegistry
from generator.content.project import Project
from generator.pages.record import Record, examine
from generator.pages.render import Renderer
from generator.settings import Settings

MANY = 400
"""Files to examine before helpers pay for their start (about a second of work)."""
_BATCH = 50


@dataclass(frozen=True)
class Examination:
    """What every file is examined against."""

    project: Project
    registry: LicenseRegistry | None
    settings: Settings
    drafts: bool


_helper: list[tuple[Examination, Renderer]] = []  # in a helper, from its start


def examine_all(
    files: list[tuple[Path, bytes]],
    examination: Examination,
    renderer: Renderer,
    done: Callable[[int], None],
) -> list[Record]:
    """The record of each (path, bytes), in order; `done(n)` as each `n` more are examined."""
    records: list[Record | None] = [None] * len(files)
    starts = range(0, len(files), _BATCH)
    waiting = deque(range(start, min(start + _BATCH, len(files))) for start in starts)

    def here(batch: range) -> None:
        for index in batch:
            records[index] = _examine(examination, renderer, *files[index])
        done(len(batch))

    helpers = min(len(files) // MANY, (os.cpu_count() or 1) - 1)
    if helpers < 1:
        while waiting:
            here(waiting.popleft())
        return _all(records)
    pool = ProcessPoolExecutor(
        helpers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start,
        initargs=(os.getpid(), examination),
    )
    sent: deque[tuple[range, Future[list[Record]]]] = deque()
    broken = False
    try:
        while waiting or sent:
            while not broken and waiting and len(sent) < 2 * helpers:
                batch = waiting.popleft()
                try:
                    sent.append((batch, pool.submit(_examine_batch, [files[i] for i in batch])))
                except BrokenProcessPool:
                    waiting.appendleft(batch)
                    broken = True
            if sent and (sent[0][1].done() or not waiting):
                batch, future = sent.popleft()
                try:
                    found = future.result()
                except BrokenProcessPool:
                    broken = True
                    here(batch)
                    continue
                for index, record in zip(batch, found, strict=True):
                    records[index] = record
                done(len(batch))
            elif waiting:
                here(waiting.popleft())
    finally:
        pool.shutdown(cancel_futures=True)
    return _all(records)


def _all(records: list[Record | None]) -> list[Record]:
    found = [record for record in records if record is not None]
    if len(found) != len(records):
        raise RuntimeError("an entry file was left unexamined")  # a defect here, never content
    return found


def _start(parent: int, examination: Examination) -> None:
    lifetime.watch_parent(parent)
    _helper.append((examination, Renderer(examination.project.templates_dir)))


def _examine_batch(batch: list[tuple[Path, bytes]]) -> list[Record]:
    examination, renderer = _helper[0]
    return [_examine(examination, renderer, path, raw) for path, raw in batch]


def _examine(examination: Examination, renderer: Renderer, path: Path, raw: bytes) -> Record:
    return examine(
        examination.project,
        path,
        raw,
        registry=examination.registry,
        settings=examination.settings,
        renderer=renderer,
        drafts=examination.drafts,
    )
