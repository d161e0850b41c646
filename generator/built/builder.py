"""Building the site all or nothing: into a fresh folder, swapped in only when the build passed.

`mkdocs build` empties site/ before it writes, so a build that fails half-way leaves a broken
site behind. Here MkDocs builds into a new folder beside site/; only if it succeeds does that
folder take site/'s place, in one atomic exchange where the system offers one.

Before anything is written, the site folder is judged (`destination`): never the project's
sources, never a folder this project did not build. One build of a project runs at a time
(a lock in its cache folder); a build that was killed leaves a work folder, which the next one
removes, and no process: MkDocs and its audit die with the build.

Errors, broken links and unsafe pages fail every build. Warnings (a license about to end, an
entry due for review) are printed and published, so that time passing cannot stop corrections
from going out; a strict build fails on them too, for reviewing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator import lifetime
from generator.built import console, destination, shared
from generator.content.project import Project, prepare_cache

PREVIOUS_VARIABLE = "EVIDENCE_PREVIOUS_SITE"
"""The site folder the last build made, for the plugin to take the pages that did not change."""
REPORT_VARIABLE = "EVIDENCE_BUILD_REPORT"
"""A file the plugin writes when the build is done: how many pages it took unchanged."""
SPARE_VARIABLE = "EVIDENCE_SPARE_SITE"
"""The site before the last, kept in the cache folder: the plugin may build in it (`increment`)
rather than in an empty folder, where making 10,000 page folders took seconds."""
_WORK_PREFIX = ".building-"
_LOCK_FILE = "build.lock"
_SPARE = "site-before-last"


class BuildError(Exception):
    """The build cannot start; nothing was written."""


def build(
    project: Project,
    config_file: Path,
    site_dir: Path,
    *,
    strict: bool = False,
    environment: dict[str, str] | None = None,
) -> int:
    """Build with MkDocs into `site_dir`; return MkDocs' exit status. On failure, `site_dir` is
    exactly as it was. Raises `DestinationError` or `BuildError`, having written nothing, when
    `site_dir` may not be replaced or another build of the project is running."""
    target = destination.check(site_dir, project, what="site folder", ours=destination.is_site)
    with _lock(project):
        spare = _spare(project, target)
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target)
        work = target.parent / f"{_WORK_PREFIX}{target.name}-{os.getpid()}"
        command = [sys.executable, "-m", "mkdocs", "build", "--config-file", str(config_file)]
        command += ["--site-dir", str(work), "--strict" if strict else "--no-strict"]
        # --dirty: MkDocs builds only the pages the plugin finds changed; it links the others
        # from the last build's site, after checking each is as that build wrote it.
        command += ["--dirty"]
        # Material 9.8 prints a notice about MkDocs 2 on every run; this project pins MkDocs 1.
        variables = {**os.environ, **(environment or {}), "NO_MKDOCS_2_WARNING": "1"}
        variables[PREVIOUS_VARIABLE] = str(target.resolve())
        report = work.with_name(f"{work.name}.json")
        variables[REPORT_VARIABLE] = str(report)
        variables[SPARE_VARIABLE] = str(spare) if spare and _is_spare(spare) else ""
        variables[console.QUIET_VARIABLE] = "1"  # its lines would name the work folder
        started = time.monotonic()
        try:
            status = subprocess.run(
                command, check=False, env=variables, preexec_fn=lifetime.die_with_parent
            ).returncode
            if status == 0:
                destination.mark_site(work)
                _keep_spare(_put_in_place(work, target), spare)
            told = _report(report)
            seconds = time.monotonic() - started
            print(_last_line(project, target, status, seconds, told), flush=True)
            return status
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)
            report.unlink(missing_ok=True)


def _last_line(
    project: Project, target: Path, status: int, seconds: float, told: dict[str, int]
) -> str:
    shown = project.shown(target)
    if status != 0:
        return f"The build failed: {shown}/ is as it was."
    pages = told.get("pages")
    if pages is None:  # a project without the plugin
        pages = sum(1 for _ in target.rglob("index.html"))
    return console.closing_line(pages, shown, seconds, told.get("unchanged", 0))


def _report(report: Path) -> dict[str, int]:
    """What the plugin told of the build: its pages, and how many it took unchanged."""
    try:
        found = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {name: value for name, value in found.items() if isinstance(value, int)}


def _spare(project: Project, target: Path) -> Path | None:
    """Where the site a build replaces is kept, for the next to build in; None when that is the
    site folder itself, inside it or around it (a `--site-dir` into the cache folder)."""
    spare = project.cache_dir.resolve() / _SPARE
    return None if shared.nested(spare, target) else spare


def _is_spare(folder: Path) -> bool:
    return not folder.is_symlink() and folder.is_dir() and destination.is_site(folder)


def _keep_spare(old: Path | None, spare: Path | None) -> None:
    """Keep the site just replaced as the spare for the next build. One the plugin did not take
    (a build without it, or into another folder) is removed first; a folder there that is not
    a site of ours is left alone, and the old site removed instead."""
    if old is None:
        return
    try:
        if spare is None or not destination.is_site(old):
            raise OSError("not kept")
        if spare.is_symlink() or spare.exists():
            if not _is_spare(spare):
                raise OSError("not ours")
            shutil.rmtree(spare)
        old.rename(spare)  # on another file system, it is not kept
    except OSError:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _lock(project: Project) -> Iterator[None]:
    """Hold the project's build lock; the system lets go of it when the process ends, however."""
    path = prepare_cache(project.cache_dir) / _LOCK_FILE
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise BuildError(
                f"another build of this project is running (process {holder}); "
                "wait for it to finish, then build again"
            ) from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)


def _remove_leftovers(target: Path) -> None:
    """Work folders of builds into `target` that were killed: named by a process that is gone."""
    pattern = re.compile(re.escape(f"{_WORK_PREFIX}{target.name}-") + r"(?:old-)?(\d+)")
    for leftover in target.parent.iterdir():
        found = pattern.fullmatch(leftover.name)
        if found is None or lifetime.alive(int(found.group(1))):
            continue
        if leftover.is_symlink() or not leftover.is_dir():
            leftover.unlink(missing_ok=True)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _put_in_place(new: Path, target: Path) -> Path | None:
    """Put `new` in place of `target`; return where the old site now is, if there was one."""
    if not target.exists():
        new.rename(target)
        return None
    if _exchange(new, target):
        return new  # `new` now holds the old site
    old = target.with_name(f"{_WORK_PREFIX}{target.name}-old-{os.getpid()}")
    target.rename(old)
    new.rename(target)
    return old


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return bool(result == 0)
