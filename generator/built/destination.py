"""The folders commands write into (the built site, `render`'s OUT), judged before the first write.

A build replaces its site folder whole and `render` removes pages it wrote earlier, so a wrong
`--site-dir` or OUT would lose files: `--site-dir content` once replaced every entry with the
built site. A folder is refused when it is, holds or lies inside the project's sources
(`content/`, the templates, `.git`) or its cache, when it is or holds the project folder
itself, and when it is not empty and was not made by this project (a site carries
`SITE_MARKER`; `render`'s folder its manifest, see `output`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.content.project import Project

SITE_MARKER = ".evidence-site"
"""Written into every site the plugin builds: a later build may replace such a folder."""

SITE_MARKER_TEXT = (
    "A site built by evidence-pages (python -m generator build); "
    "the next build replaces this folder whole.\n"
)


_ADVICE = "choose a new or empty folder"


class DestinationError(Exception):
    """An output folder that may not be written; nothing was written."""


def check(folder: Path, project: Project, *, what: str, ours: Callable[[Path], bool]) -> Path:
    """`folder` resolved, or `DestinationError` saying why it may not be written. `what` names
    the folder in messages ("site folder"); `ours` says whether a non-empty folder was made by
    this project, so that writing into it loses nothing of anyone else's."""
    target = folder.resolve()  # links followed: judged where the files would really go
    shown = f"{what} {folder}"
    if project.root.is_relative_to(target):
        relation = "is the project folder" if target == project.root else "holds the project folder"
        raise DestinationError(f"{shown} {relation}, whose files would be lost; {_ADVICE}")
    for source in _sources(project):
        resolved = source.resolve()
        name = f"the project's {source.relative_to(project.root).as_posix()}/ folder"
        if target == resolved:
            relation = f"is {name}"
        elif target.is_relative_to(resolved):
            relation = f"is inside {name}"
        elif resolved.is_relative_to(target):
            relation = f"holds {name}"
        else:
            continue
        raise DestinationError(f"{shown} {relation}, whose files would be lost; {_ADVICE}")
    if target.exists() and not target.is_dir():
        raise DestinationError(f"{shown} is not a folder; {_ADVICE}")
    if target.is_dir() and any(target.iterdir()) and not ours(target):
        raise DestinationError(
            f"{shown} is not empty and was not written by this command; {_ADVICE}"
        )
    return target


def is_site(folder: Path) -> bool:
    """Whether a folder is a site this project built (its marker is a file of ours)."""
    marker = folder / SITE_MARKER
    try:
        return not marker.is_symlink() and marker.read_text(encoding="utf-8") == SITE_MARKER_TEXT
    except (OSError, UnicodeDecodeError):
        return False


def mark_site(folder: Path) -> None:
    (folder / SITE_MARKER).write_text(SITE_MARKER_TEXT, encoding="utf-8")


def _sources(project: Project) -> tuple[Path, ...]:
    # The cache holds the site before the last, which builds move and empty.
    return (project.content_dir, project.templates_dir, project.root / ".git", project.cache_dir)
