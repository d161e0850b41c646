"""What a change does to the entries: added, changed (which parts, from what to what) or
removed, between a git revision and the working tree."""

from __future__ import annotations

import io
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from generator.content import files
from generator.content.change import Change, Segment
from generator.content.document import parse
from generator.content.project import Project, is_entry_path
from generator.review import parts


class ChangesError(Exception):
    """The comparison cannot be made (no git, an unknown revision); nothing was compared."""


def compare(project: Project, base: str) -> list[Change]:
    """Entries added, changed and removed from revision `base` to the working tree, by id."""
    before = dict(_at_revision(project, base))
    after = dict(_in_working_tree(project))
    found = []
    for entry_id in sorted(before.keys() | after.keys()):
        old, new = before.get(entry_id), after.get(entry_id)
        if old is None:
            assert new is not None
            found.append(
                Change("added", entry_id, _question(new[1]), new[0], draft_after=_draft(new[1]))
            )
        elif new is None:
            found.append(
                Change("removed", entry_id, _question(old[1]), old[0], draft_before=_draft(old[1]))
            )
        elif old[1] != new[1]:
            found.append(
                Change(
                    "changed",
                    entry_id,
                    _question(new[1]),
                    new[0],
                    tuple(parts.compare(old[1], new[1])),
                    draft_before=_draft(old[1]),
                    draft_after=_draft(new[1]),
                )
            )
    return found


def as_json(change: Change) -> dict[str, object]:
    """A change as the JSON of `changes --format json`, for tools."""

    def text(runs: tuple[Segment, ...] | None) -> str | None:
        return None if runs is None else "".join(run.text for run in runs)

    return {
        "change": change.kind,
        "id": change.entry_id,
        "path": change.path,
        "question": change.question,
        "fields": list(change.fields),
        "parts": [
            {
                "name": part.name,
                "field": part.field,
                "change": part.kind,
                "before": text(part.before),
                "after": text(part.after),
            }
            for part in change.parts
        ],
        "draft_before": change.draft_before,
        "draft_after": change.draft_after,
    }


def _question(data: Any) -> str:
    question = data.get("question") if isinstance(data, dict) else None
    return question if isinstance(question, str) else ""


def _draft(data: Any) -> bool:
    """Any `draft` value but false counts: these are files as written, not yet checked, and a
    value the checks would refuse must not let a draft's text be shown as if published."""
    flag = data.get("draft", False) if isinstance(data, dict) else False
    return flag not in (False, "false")


def _entry_id(data: Any, path: str) -> str:
    entry_id = data.get("id") if isinstance(data, dict) else None
    return entry_id if isinstance(entry_id, str) else Path(path).stem


def _in_working_tree(project: Project) -> Iterator[tuple[str, tuple[str, Any]]]:
    for path in files.entry_files(project, []):  # what is refused there is no entry here either
        shown = project.shown(path)
        document, _ = parse(path.read_bytes(), shown)
        yield _entry_id(document.data, shown), (shown, document.data)


def _at_revision(project: Project, base: str) -> Iterator[tuple[str, tuple[str, Any]]]:
    top = _top(project)
    folder = project.entries_dir.relative_to(top).as_posix()
    names = _git(project, "ls-tree", "-r", "-z", "--name-only", base, "--", folder)
    for name in sorted(filter(None, names.decode("utf-8", "surrogateescape").split("\0"))):
        if not is_entry_path(PurePosixPath(name).relative_to(folder)):
            continue
        shown = project.shown(top / name)
        document, _ = parse(_git(project, "cat-file", "blob", f"{base}:{name}"), shown)
        yield _entry_id(document.data, shown), (shown, document.data)


def checkout(project: Project, base: str, folder: Path) -> Project:
    """The project's content and templates as they were at `base`, written into `folder`."""
    top = _top(project)
    parts = [p.relative_to(top).as_posix() for p in (project.content_dir, project.templates_dir)]
    archive = _git(project, "archive", "--format=tar", base, "--", *parts)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")  # refuses links and paths leaving the folder
    root = folder / project.root.relative_to(top)
    return Project(
        root,
        folder / project.content_dir.relative_to(top),
        folder / project.templates_dir.relative_to(top),
    )


def _top(project: Project) -> Path:
    return Path(_git(project, "rev-parse", "--show-toplevel").decode().strip()).resolve()


def _git(project: Project, *arguments: str) -> bytes:
    try:
        result = subprocess.run(
            ["git", "-C", str(project.root), *arguments], capture_output=True, check=False
        )
    except FileNotFoundError:
        raise ChangesError("git is not installed") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangesError(f"git {arguments[0]}: {message[-1] if message else 'failed'}")
    return result.stdout
