"""The generated Markdown of each changed entry, at a git revision against now, for reviewers:
both sides are made by the one core, `publication.make`, as a build would make them."""

from __future__ import annotations

import difflib
import tempfile
from pathlib import Path

from generator.content.project import Project
from generator.pages import plan, publication
from generator.review.changes import checkout, compare
from generator.settings import Settings


def diff(project: Project, base: str, settings: Settings) -> str:
    """A unified diff of the generated Markdown of each changed entry, `base` against now."""
    changed = compare(project, base)
    after = publication.make(project, settings).pages
    with tempfile.TemporaryDirectory() as folder:
        before = publication.make(checkout(project, base, Path(folder)), settings).pages
    lines: list[str] = []
    for change in changed:
        path = plan.entry_path(change.entry_id)
        lines += difflib.unified_diff(
            before.get(path, "").splitlines(keepends=True),
            after.get(path, "").splitlines(keepends=True),
            fromfile=f"a/{path}" if change.kind != "added" else "/dev/null",
            tofile=f"b/{path}" if change.kind != "removed" else "/dev/null",
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
