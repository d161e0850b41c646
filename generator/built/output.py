"""Writing rendered pages to a folder on disk, touching only files whose content changed.

The folder keeps a manifest of what was written there, each file with its SHA-256, so that a
later run may replace or remove those files, and only while they are as written. The manifest
is judged whole before the first write: one that is not this tool's, names a path outside the
folder, or lists a file changed since (someone's edits, a link planted in its place) stops the
run with nothing written, and so does a file in the way of a new page.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST = ".rendered-pages"
_HEADER = "# evidence-pages render manifest 1: each file render wrote here, with its SHA-256\n"
_LINE = re.compile(r"([0-9a-f]{64})  (.+)")


class OutputError(Exception):
    """The output folder cannot be used; nothing was written."""


@dataclass(frozen=True)
class Report:
    written: int
    unchanged: int
    removed: int


def has_manifest(out: Path) -> bool:
    """Whether a folder says it was written by `render` (whether that is true is judged later,
    file by file, before anything is written)."""
    return (out / MANIFEST).is_file()


def write_folder(out: Path, files: Mapping[str, bytes]) -> Report:
    """Write `files` (relative path -> bytes) into `out`, a folder that is new, empty or written
    by an earlier run; remove what that run wrote and this one does not."""
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is not a folder")
    previous = _read_manifest(out)
    targets = {name: _inside(out, name) for name in files}
    for name, hashes in previous.items():
        _check_unchanged(out, name, hashes)
    for name, target in targets.items():
        if name not in previous and _in_the_way(target, files[name]):
            raise OutputError(
                f"{out / name} is in the way: render did not write it; move it elsewhere "
                "or choose a new folder"
            )
    new = {name: _digest(content) for name, content in files.items()}

    out.mkdir(parents=True, exist_ok=True)
    # Until every file is written, either version of each counts as render's own, so a run
    # that is stopped half-way leaves a folder the next run can take over.
    during = {name: set(hashes) for name, hashes in previous.items()}
    for name, digest in new.items():
        during.setdefault(name, set()).add(digest)
    _write_manifest(out, during)
    written = unchanged = removed = 0
    for name, content in files.items():
        target = targets[name]
        if target.is_file() and not target.is_symlink() and target.read_bytes() == content:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(target, content)
        written += 1
    for name in sorted(set(previous) - set(files)):
        stale = _inside(out, name)
        if stale.is_file():
            stale.unlink()
            removed += 1
            _remove_empty_parents(stale.parent, out)
    _write_manifest(out, {name: {digest} for name, digest in new.items()})
    return Report(written, unchanged, removed)


def _read_manifest(out: Path) -> dict[str, set[str]]:
    """What an earlier run wrote: path -> the SHA-256 each may have. Empty for a new or empty
    folder; `OutputError` for a folder with anything else in it."""
    manifest = out / MANIFEST
    if not out.is_dir() or not any(out.iterdir()):
        return {}
    refusal = f"{out} was not written by render"
    if manifest.is_symlink() or not manifest.is_file():
        raise OutputError(f"{refusal} (it has no {MANIFEST} file); choose a new folder")
    try:
        text = manifest.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0] != _HEADER:
        raise OutputError(
            f"{refusal}: {manifest} is not a manifest of this version of render; "
            "choose a new folder, or delete this one and render again"
        )
    found: dict[str, set[str]] = {}
    for number, line in enumerate(lines[1:], start=2):
        match = _LINE.fullmatch(line.rstrip("\n"))
        if match is None or not line.endswith("\n") or match.group(2) == MANIFEST:
            raise OutputError(f"{refusal}: {manifest}:{number} is not a line render writes")
        _inside(out, match.group(2))
        found.setdefault(match.group(2), set()).add(match.group(1))
    return found


def _check_unchanged(out: Path, name: str, hashes: set[str]) -> None:
    target = _inside(out, name)
    if not (target.exists() or target.is_symlink()):
        return  # removed since: nothing of anyone's is lost
    if target.is_symlink() or not target.is_file() or _digest(target.read_bytes()) not in hashes:
        raise OutputError(
            f"{out / name} was changed after render wrote it; move the changes elsewhere, or "
            "delete the file, and render again"
        )


def _in_the_way(target: Path, content: bytes) -> bool:
    """A file render did not write where it would write one, unless it is what would be written."""
    if not (target.exists() or target.is_symlink()):
        return False
    return target.is_symlink() or not target.is_file() or target.read_bytes() != content


def _write_manifest(out: Path, files: Mapping[str, set[str]]) -> None:
    lines = [_HEADER]
    lines += [f"{digest}  {name}\n" for name in sorted(files) for digest in sorted(files[name])]
    _replace(out / MANIFEST, "".join(lines).encode("utf-8"))


def _replace(target: Path, content: bytes) -> None:
    # A fresh, unpredictable name: a link planted in OUT cannot redirect the write.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".rendering-")
    with os.fdopen(handle, "wb") as stream:
        stream.write(content)
    os.replace(temporary, target)


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _inside(out: Path, name: str) -> Path:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts or "\\" in name:
        raise OutputError(f"refusing to write {name!r}: it would land outside {out}")
    target = out.joinpath(*relative.parts)
    if not target.resolve().is_relative_to(out) or target.resolve() == out:
        raise OutputError(f"refusing to write {name!r}: it would land outside {out}")
    return target


def _remove_empty_parents(folder: Path, out: Path) -> None:
    while folder != out and folder.is_relative_to(out) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
