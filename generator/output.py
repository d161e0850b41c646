"""Writing rendered pages to a folder on disk, touching only files whose content changed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST = ".rendered-pages"
"""Lists the files a previous run wrote, so a later run may remove those (and only those)."""


class OutputError(Exception):
    """The output folder cannot be used; nothing was written."""


@dataclass(frozen=True)
class Report:
    written: int
    unchanged: int
    removed: int


def write_folder(out: Path, files: Mapping[str, bytes], *, protected: Iterable[Path]) -> Report:
    out = out.resolve()
    for folder in (path.resolve() for path in protected):
        if out.is_relative_to(folder) or folder.is_relative_to(out):
            raise OutputError(f"{out} overlaps {folder}; choose an output folder outside it")
    manifest = out / MANIFEST
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is not a folder")
    if out.is_dir() and any(out.iterdir()) and not manifest.is_file():
        raise OutputError(
            f"{out} is not empty and was not written by this command; choose a new folder"
        )
    targets = {name: _inside(out, name) for name in files}
    previous = manifest.read_text(encoding="utf-8").splitlines() if manifest.is_file() else []

    written = unchanged = removed = 0
    for name, content in files.items():
        target = targets[name]
        if target.is_file() and target.read_bytes() == content:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # A fresh, unpredictable name: a link planted in OUT cannot redirect the write.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".rendering-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, target)
        written += 1
    for name in previous:
        if name in files or not name:
            continue
        stale = _inside(out, name)
        if stale.is_file():
            stale.unlink()
            removed += 1
            _remove_empty_parents(stale.parent, out)
    manifest.write_text("".join(f"{name}\n" for name in sorted(files)), encoding="utf-8")
    return Report(written, unchanged, removed)


def _inside(out: Path, name: str) -> Path:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise OutputError(f"refusing to write {name!r}: it would land outside {out}")
    target = out.joinpath(*relative.parts)
    if not target.resolve().is_relative_to(out):
        raise OutputError(f"refusing to write {name!r}: it would land outside {out}")
    return target


def _remove_empty_parents(folder: Path, out: Path) -> None:
    while folder != out and folder.is_relative_to(out) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
