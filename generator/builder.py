"""Building the site all or nothing: into a fresh folder, swapped in only when the build passed.

`mkdocs build` empties site/ before it writes, so a build that fails half-way leaves a broken
site behind. Here MkDocs builds into a new folder beside site/; only if it succeeds does that
folder take site/'s place, in one atomic exchange where the system offers one.

Errors, broken links and unsafe pages fail every build. Warnings (a license about to end, an
entry due for review) are printed and published, so that time passing cannot stop corrections
from going out; a strict build fails on them too, for reviewing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

_WORK_PREFIX = ".building-"


def build(
    config_file: Path,
    site_dir: Path,
    *,
    strict: bool = False,
    environment: dict[str, str] | None = None,
) -> int:
    """Build with MkDocs into `site_dir`; return MkDocs' exit status. On failure, `site_dir` is
    exactly as it was."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for leftover in site_dir.parent.glob(f"{_WORK_PREFIX}{site_dir.name}-*"):
        shutil.rmtree(leftover, ignore_errors=True)  # from a build that was killed
    work = site_dir.parent / f"{_WORK_PREFIX}{site_dir.name}-{os.getpid()}"
    command = [sys.executable, "-m", "mkdocs", "build", "--config-file", str(config_file)]
    command += ["--site-dir", str(work), "--strict" if strict else "--no-strict"]
    # Material 9.8 prints a notice about MkDocs 2 on every run; this project pins MkDocs 1.
    variables = {**os.environ, **(environment or {}), "NO_MKDOCS_2_WARNING": "1"}
    try:
        status = subprocess.run(command, check=False, env=variables).returncode
        if status == 0:
            _put_in_place(work, site_dir)
        return status
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _put_in_place(new: Path, target: Path) -> None:
    if not target.exists():
        new.rename(target)
    elif _exchange(new, target):
        pass  # `new` now holds the old site, which the caller removes
    else:
        old = target.with_name(f"{_WORK_PREFIX}{target.name}-old-{os.getpid()}")
        target.rename(old)
        new.rename(target)
        shutil.rmtree(old, ignore_errors=True)


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
