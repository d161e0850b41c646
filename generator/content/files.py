"""Which files are content, read as bytes: the one finder of entry files that every command
uses, the refusal of symbolic links, and a key of everything under the content and templates
folders. Nothing here knows what an entry holds."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.content.problem import Position, Problem
from generator.content.project import ENTRY_SUFFIX, Project, ignored, printable_name


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""  # reported when the file is parsed: it reads as empty


Status = tuple[int, int, int, int, int]
"""What the system says of a file without reading it: device, inode, size, change times."""

SETTLED_NS = 2_000_000_000
"""How long a file must have stayed as it is before its status stands for its bytes: a write
within the same tick of the file system's clock can leave size and times as they were."""


def status(path: str | os.PathLike[str]) -> Status | None:
    """The file's status (of a link itself, not its target), or None if it cannot be had.
    Take it before reading: a change after that gives another status."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def settled(found: Status, now_ns: int) -> bool:
    """Unchanged long enough before `now_ns` for any later write to change its status."""
    return now_ns - max(found[3], found[4]) > SETTLED_NS


LINK_NOT_ALLOWED = "symbolic link not allowed; copy what it points to here instead"


def linked(project: Project) -> list[Problem]:
    """Every symbolic link in the content and the templates, folders and the folders themselves
    included: MkDocs, Jinja and the theme follow links and would publish what they point to."""
    found = []
    for root in (project.content_dir, project.templates_dir):
        paths = [root] if root.is_symlink() else []
        if not paths:
            for _, entries, _ in _tree(root):
                paths += sorted(Path(entry.path) for entry in entries if entry.is_symlink())
        found += [
            Problem(project.shown(path), Position(1, 1), None, LINK_NOT_ALLOWED)
            for path in paths
            if not _lock_file(path)
        ]
    return found


def _tree(
    root: Path, skip: Callable[[str], bool] = lambda name: False
) -> Iterator[tuple[Path, list[os.DirEntry[str]], list[str]]]:
    """Each folder under `root`, from the top, never into a linked one: its entries, and the
    names of the folders below it in order (those `skip` names are left out, and not entered).
    As `os.walk`, but with the entries themselves, which know whether they are links without
    asking the system once more: at 10,000 entries, that was a tenth of a save under serve."""
    waiting = [root]
    while waiting:
        here = waiting.pop()
        try:
            with os.scandir(here) as listed:
                entries = list(listed)
        except OSError:
            continue
        folders = sorted(e.name for e in entries if _is_folder(e) and not skip(e.name))
        yield here, entries, folders
        inside = {e.name for e in entries if not e.is_symlink()}
        waiting += [here / name for name in reversed(folders) if name in inside]


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _lock_file(path: Path) -> bool:
    """An editor's lock file, like Emacs' `.#entry.yaml`: a link to nothing (its target names
    who edits the file), under a name nothing reads. It points nowhere, so nothing can be
    published through it."""
    return ignored(path.name) and not path.exists()


def tree_key(project: Project, known: Digests | None = None) -> bytes:
    """A key of everything under the content and template folders: every name (shown or not,
    read as an entry or refused), its kind, a link's target and a file's bytes. Whatever a
    cold build would judge, a changed key makes it judge again. `known`: see `folders_key`."""
    return folders_key(project.content_dir, project.templates_dir, known=known)


Digests = dict[str, tuple[Status, bytes]]
"""File path -> its status and the digest of its bytes, when it was last read."""


def folders_key(*roots: Path, known: Digests | None = None) -> bytes:
    """A key of everything under `roots`, as `tree_key` describes it. With `known`, a file
    whose status is as when it was read last is not read again (at 10,000 entries, reading
    them all took a second), and `known` is brought up to date."""
    digest = hashlib.blake2b(digest_size=32)
    now = time.time_ns()
    before = dict(known or {})
    if known is not None:
        known.clear()  # of the files there now only
    for root in roots:
        digest.update(os.fsencode(root) + b"\0" + _kind(root, before, known, now))
        if root.is_symlink() or not root.is_dir():
            continue
        for here, entries, _ in _tree(root):
            for entry in sorted(entries, key=lambda entry: entry.name):
                digest.update(os.fsencode(here / entry.name) + b"\0")
                digest.update(_kind(entry, before, known, now))
    return digest.digest()


def _kind(path: Path | os.DirEntry[str], before: Digests, known: Digests | None, now: int) -> bytes:
    """What a name is, for `folders_key`; a file's bytes by their digest."""
    try:
        if path.is_symlink():
            return b"link\0" + os.fsencode(os.readlink(path)) + b"\0"
        if path.is_dir():
            return b"folder\0"
        if not path.is_file():
            return b"other\0" if os.path.lexists(path) else b"missing\0"
    except OSError:
        return b"missing\0"
    name = os.fspath(path)
    if known is None:
        return b"file\0" + _file_digest(Path(name))
    found = status(Path(name))
    last = before.get(name)
    if found is not None and last is not None and last[0] == found:
        known[name] = last
        return b"file\0" + last[1]
    taken = _file_digest(Path(name))
    if found is not None and settled(found, now):
        known[name] = (found, taken)
    return b"file\0" + taken


def _file_digest(path: Path) -> bytes:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return b"unreadable"


def entry_files(project: Project, problems: list[Problem]) -> list[Path]:
    """The files read as entries, in order; files that do not belong are added to `problems`."""
    root = project.entries_dir
    if root.is_symlink():
        return []  # refused by `linked`
    if not root.is_dir():
        problems.append(
            Problem(project.shown(root), Position(1, 1), None, "the folder of entries is missing")
        )
        return []
    files = []
    for here, entries, folders in _tree(root, skip=ignored):
        # Names as strings, and a folder's own name judged once: at 10,000 entries, a path
        # object made and taken apart for each file cost a tenth of a save under serve.
        shown = printable_name(here.relative_to(root))
        links = {entry.name for entry in entries if entry.is_symlink()}
        names = sorted(e.name for e in entries if not _is_folder(e))
        for name in names + [name for name in folders if name in links]:
            if ignored(name) or name in links:
                continue  # a link is refused by `linked`, with the folders
            problem = None
            if not (shown and name.isprintable()):
                problem = "this file name has characters that cannot be shown; rename it"
            elif os.path.splitext(name)[1] != ENTRY_SUFFIX:
                problem = f"only entries belong here, each in a file ending in {ENTRY_SUFFIX}"
            if problem:
                problems.append(Problem(project.shown(here / name), Position(1, 1), None, problem))
            else:
                files.append(here / name)
    return sorted(files)
