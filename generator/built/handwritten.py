"""Hand-written pages in content/pages/ (MkDocs' docs_dir): what may be published from there.

A hand-written page must not take the address of a generated one, and nothing there may be a
symbolic link: MkDocs follows links and would publish whatever they point to.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from mkdocs.structure.files import File
from mkdocs.utils import is_markdown_file

from generator.content.document import utf8_problem
from generator.content.files import LINK_NOT_ALLOWED
from generator.content.problem import Position, Problem
from generator.content.project import Project, printable_name


@functools.cache  # a save under `mkdocs serve` asks again for every page and export
def destination(src_uri: str, *, use_directory_urls: bool = True) -> str:
    """Where MkDocs writes a docs file: 'tags.md' -> 'tags/index.html', README.md -> index.html."""
    return File(src_uri, None, "", use_directory_urls).dest_uri


def collect(project: Project) -> dict[str, Path]:
    """Every file under content/pages/ (symbolic links included, so they can be refused)."""
    root = project.pages_dir
    found: dict[str, Path] = {}
    for folder, folders, files in os.walk(root):  # does not descend into linked folders
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        here = Path(folder)
        for name in sorted(files) + [name for name in folders if (here / name).is_symlink()]:
            if not name.startswith("."):
                path = here / name
                found[path.relative_to(root).as_posix()] = path
    return found


def problems(
    project: Project,
    files: Mapping[str, Path],
    generated: Iterable[str],
    *,
    use_directory_urls: bool = True,
) -> list[Problem]:
    """Hand-written files (src_uri -> path) that may not be published next to `generated` pages."""
    taken = {destination(uri, use_directory_urls=use_directory_urls): uri for uri in generated}
    found = []
    for src_uri, path in files.items():
        shown, start = project.shown(path), Position(1, 1)
        if not printable_name(Path(src_uri)):
            message = "this file name has characters that cannot be shown; rename it"
            found.append(Problem(shown, start, None, message))
            continue
        if _linked(path, project.pages_dir):
            found.append(Problem(shown, start, None, LINK_NOT_ALLOWED))
            continue
        if is_markdown_file(src_uri):  # MkDocs reads these as UTF-8 and stops with a traceback
            try:
                not_utf8 = utf8_problem(path.read_bytes(), shown)
            except OSError as error:
                message = f"cannot be read: {error.strerror}"
                not_utf8 = Problem(shown, start, None, message)
            if not_utf8 is not None:
                found.append(not_utf8)
                continue
        published = destination(src_uri, use_directory_urls=use_directory_urls)
        if published in taken:
            message = (
                f"this page would be published at {published}, where the generator puts "
                f"{taken[published]}; move or rename it"
            )
            found.append(Problem(shown, start, None, message))
    return found


def _linked(path: Path, root: Path) -> bool:
    """Whether `path`, or a folder between `root` and it, is a symbolic link."""
    current = path
    while current != root and current.is_relative_to(root):
        if current.is_symlink():
            return True
        current = current.parent
    return False
