"""Entry files examined on every core: a build from nothing reads thousands, each on its own
(`record.examine`), and one process did that at 200 a second.

Helpers (one a core it may use, four at most; none on a single core) take batches from a list,
and so does this process, so each does as much as its speed allows; the records come back in
the order of the files. With a helper on every core, this process stops examining once their
first batch is back, and only hands batches out and takes records back. Helpers are started
afresh (never forked from a process whose threads may hold locks), ignore Ctrl-C (the build
stops them) and die with the build.

Only the command line and the MkDocs plugin turn helpers on (`allow`): a started helper imports
the program's main module again, and a script calling `publication.make` without an `if
__name__ == "__main__":` guard would run again in each. Should helpers die (MkDocs run from
such a script), this process examines what was left. Few files (a save under `mkdocs serve`, a
build with its cache filled) are examined here alone, sooner than a helper could start.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from generator import lifetime
from generator.checks.models import LicenseRegistry
from generator.content.files import read_bytes
from generator.content.project import Project
from generator.pages.record import Record, examine
from generator.pages.render import Renderer
from generator.settings import Settings

MANY = 400
"""Files to examine for each helper started (each takes about a second to start)."""
_MOST = 4  # helpers, whatever the machine: each holds its own copy of what is examined against
_BATCH = 50
_PATIENCE = 30.0
"""Seconds to wait for a batch once this process has nothing else to do (no file left, or only
feeding the helpers): a batch takes a quarter of a second, a helper a second or two to start;
one that never starts (it runs a script that never ends) then holds the build up no longer."""
_allowed: set[str] = set()


def allow() -> None:
    """Let builds of this process start helpers (the command line and the plugin do)."""
    _allowed.add("helpers")


@dataclass(frozen=True)
class Examination:
    """What every file is examined against."""

    project: Project
    registry: LicenseRegistry | None
    settings: Settings
    drafts: bool


_helper: list[tuple[Examination, Renderer]] = []  # in a helper, from its start


def examine_all(
    files: list[tuple[Path, bytes | None] | None],
    examination: Examination,
    renderer: Renderer,
    done: Callable[[int], None],
) -> list[Record]:
    """The record of each (path, bytes), in order; `done(n)` as each `n` more are examined.
    Bytes of None are read when the file's turn comes; each item of `files` is let go (set to
    None) once handed out, so that a build holds no more files' bytes than it examines."""
    records: list[Record | None] = [None] * len(files)
    starts = range(0, len(files), _BATCH)
    waiting = deque(range(start, min(start + _BATCH, len(files))) for start in starts)

    def taken(batch: range) -> list[tuple[Path, bytes]]:
        found = []
        for index in batch:
            item = files[index]
            files[index] = None
            if item is not None:
                path, raw = item
                found.append((path, read_bytes(path) if raw is None else raw))
        return found

    def here(batch: range, items: list[tuple[Path, bytes]]) -> None:
        for index, (path, raw) in zip(batch, items, strict=True):
            records[index] = _examine(examination, renderer, path, raw)
        done(len(batch))

    cores = _cores()
    # On one core a helper would only add its start and the copying of batches both ways.
    helpers = min(len(files) // MANY, cores if cores > 1 else 0, _MOST) if _allowed else 0
    if helpers < 1:
        while waiting:
            batch = waiting.popleft()
            here(batch, taken(batch))
        return _all(records)
    pool = ProcessPoolExecutor(
        helpers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start,
        initargs=(os.getpid(), examination),
    )
    sent: deque[tuple[range, list[tuple[Path, bytes]], Future[list[Record]]]] = deque()
    broken = False
    # With a helper on every core, this process examines files only until the first batch
    # comes back: from then on the helpers are started and feeding them is its work. Its own
    # examining took turns for Python's lock with the threads that carry batches to and fro,
    # and left the second core idle while it waited.
    feeding = False
    # The records that come back live to the build's end: collections of cyclic garbage here
    # would walk them again and again, and took a second of this process's time from the
    # helpers at 10,000 entries. The build collects once the pages are made.
    collecting = gc.isenabled()
    gc.disable()
    try:
        while waiting or sent:
            while not broken and waiting and len(sent) < 2 * helpers:
                batch = waiting.popleft()
                items = taken(batch)
                try:
                    sent.append((batch, items, pool.submit(_examine_batch, items)))
                except BrokenProcessPool:
                    broken = True
                    here(batch, items)
            if sent and (sent[0][2].done() or not waiting or feeding):
                batch, items, future = sent.popleft()
                try:
                    found = future.result(timeout=0 if broken else _PATIENCE)
                except (BrokenProcessPool, TimeoutError):
                    broken = True  # a helper that slow is no help: the rest is done here
                    here(batch, items)
                    continue
                for index, record in zip(batch, found, strict=True):
                    records[index] = record
                done(len(batch))
                feeding = helpers >= cores
            elif waiting:
                batch = waiting.popleft()
                here(batch, taken(batch))
    finally:
        _stop(pool)
        if collecting:
            gc.enable()
    return _all(records)


def _cores() -> int:
    """The cores this process may run on (a container may be given fewer than the machine
    has)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the helpers without waiting for one still at a batch taken over, or never ready."""
    processes = list(getattr(pool, "_processes", {}).values())  # no public way to end them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def _all(records: list[Record | None]) -> list[Record]:
    found = [record for record in records if record is not None]
    if len(found) != len(records):
        raise RuntimeError("an entry file was left unexamined")  # a defect here, never content
    return found


def _start(parent: int, examination: Examination) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the build, which stops these
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
