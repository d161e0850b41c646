"""Files a built site shares with the last one, by hard link: a page taken unchanged, the search
index kept. A link costs no copy, and is safe because nothing writes such a file in place:
MkDocs writes only the pages it builds, Pagefind makes its index whole in an emptied folder, and
the builder puts a new site in place of the old one whole. Whatever folder a build writes into
holds, before it writes, only files it will not write (`sweep`).
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path


def link(source: str, target: str, data: bytes | None = None, *, made: bool = False) -> None:
    """`source` at `target` as well; copied where the system cannot link (across file systems),
    as `data` when given: the bytes that were checked. Its folder is made unless `made`.
    Raises `OSError`."""
    if not made:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        if data is None:
            shutil.copy2(source, target)
        else:
            with open(target, "wb") as stream:
                stream.write(data)


def sweep(
    folder: Path, other: Path, wanted: Callable[[str], bool], *, unswept: str | None = None
) -> set[str]:
    """Remove from `folder` every file but those `wanted` (by their path in it, with "/") that
    are the very file of the same path in `other`, and the folders that hold no file wanted;
    return the paths of the files left. A linked file or folder is removed, never followed.
    The folder `unswept` (a name in `folder`), if any, is left as it is, for its owner."""
    left: set[str] = set()
    device, theirs = os.stat(folder).st_dev, os.fspath(other)

    def visit(here: str, prefix: str) -> bool:
        """Sweep one folder; whether anything is left in it."""
        anything = False
        with os.scandir(here) as entries:
            for entry in entries:
                name = prefix + entry.name
                if name == unswept and entry.is_dir(follow_symlinks=False):
                    anything = True
                elif entry.is_dir(follow_symlinks=False):
                    if visit(entry.path, name + "/"):
                        anything = True
                    else:
                        os.rmdir(entry.path)
                elif not wanted(name):
                    os.unlink(entry.path)
                elif _same(entry, os.path.join(theirs, name), device):
                    left.add(name)
                    anything = True
                else:  # its folder stays, for the file that will be put in its place
                    os.unlink(entry.path)
                    anything = True
        return anything

    visit(os.fspath(folder), "")
    return left


def _same(entry: os.DirEntry[str], path: str, device: int) -> bool:
    if entry.is_symlink():
        return False
    try:
        theirs = os.stat(path, follow_symlinks=False)
        # Not the listing's inode number: on overlay file systems it can differ from stat's.
        mine = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    return (
        stat.S_ISREG(theirs.st_mode)
        and (mine.st_ino, mine.st_dev) == (theirs.st_ino, theirs.st_dev)
        and theirs.st_dev == device
    )


def tree(folder: Path, *, unlisted: str | None = None) -> tuple[set[str], set[str]]:
    """The paths of the folders and of the other files under `folder`, relative to it, with "/"
    between names; linked folders are listed, not entered, and the folder `unlisted` (a name in
    `folder`) neither. One `scandir` a folder and no more: at 10,000 pages `os.walk` took a
    quarter of a second, pathlib's `rglob` a second."""
    folders: set[str] = set()
    found: set[str] = set()
    waiting = [("", os.fspath(folder))]
    while waiting:
        prefix, here = waiting.pop()
        try:
            entries = os.scandir(here)
        except OSError:  # gone or unreadable, as `os.walk` skips it
            continue
        with entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(name)
                    if name != unlisted:
                        waiting.append((name + "/", entry.path))
                else:
                    found.add(name)
    return folders, found


def listing(folder: Path) -> set[str]:
    """The path of every file and folder under `folder`, as `tree` finds them."""
    folders, found = tree(folder)
    return folders | found


def nested(one: Path, other: Path) -> bool:
    """Whether two resolved paths are the same folder, or one holds the other."""
    return one == other or one.is_relative_to(other) or other.is_relative_to(one)
