"""The generated Markdown of each changed entry, at a git revision against now, for reviewers:
both sides are made by the one core, `publication.make`, as a build would make them.

It is shown to be read, not applied: characters the pages write as entities (`&#45;`) are shown
as the characters they are, the metadata at the top of a page is spread one value to a line (a
changed date is one short line, not a rewritten line of 3,000 characters), and in a changed
line the words removed and added are marked as `git diff --word-diff` marks them.
"""

from __future__ import annotations

import difflib
import html
import json
import tempfile
from pathlib import Path

from generator.content.project import Project
from generator.pages import plan, publication
from generator.review import words
from generator.review.changes import checkout, compare
from generator.review.terminal import visible
from generator.settings import Settings

_CONTEXT = 3
"""Unchanged lines shown around each change, as `diff -u` shows them."""


def diff(project: Project, base: str, settings: Settings) -> str:
    """A unified diff of the generated Markdown of each changed entry, `base` against now."""
    changed = compare(project, base)
    after = publication.make(project, settings).pages
    with tempfile.TemporaryDirectory() as folder:
        before = publication.make(checkout(project, base, Path(folder)), settings).pages
    lines: list[str] = []
    for change in changed:
        path = plan.entry_path(change.entry_id)
        lines += [
            f"--- a/{path}" if change.kind != "added" else "--- /dev/null",
            f"+++ b/{path}" if change.kind != "removed" else "+++ /dev/null",
        ]
        lines += _hunks(readable(before.get(path, "")), readable(after.get(path, "")))
    return "".join(f"{visible(line)}\n" for line in lines)


def readable(markdown: str) -> list[str]:
    """A page's Markdown as a reviewer reads it, line by line."""
    lines = markdown.splitlines()
    if lines[:2] == ["---", "{"] and "}" in lines:
        end = lines.index("}")
        if lines[end + 1 : end + 2] == ["---"]:
            metadata = json.loads("\n".join(lines[1 : end + 1]))
            spread = json.dumps(metadata, indent=2, ensure_ascii=False).splitlines()
            lines = ["---", *spread, *lines[end + 1 :]]
    return [html.unescape(line) for line in lines]


def _hunks(old: list[str], new: list[str]) -> list[str]:
    found: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(_CONTEXT):
        first, last = group[0], group[-1]
        found.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                found += [f" {line}" for line in old[a1:a2]]
                continue
            paired = min(a2 - a1, b2 - b1) if tag == "replace" else 0
            for before, after in zip(old[a1 : a1 + paired], new[b1 : b1 + paired], strict=True):
                runs_before, runs_after = words.compare(before, after)
                # A page's long lines (a plot, a table row) are cut to the words near a change.
                found.append("-" + words.side(runs_before, "removed", shorten=True))
                found.append("+" + words.side(runs_after, "added", shorten=True))
            found += [f"-{line}" for line in old[a1 + paired : a2]]
            found += [f"+{line}" for line in new[b1 + paired : b2]]
    return found


def _range(start: int, stop: int) -> str:
    """A hunk's lines as `diff -u` numbers them: first line (from 1) and count."""
    count = stop - start
    return f"{start + 1 if count else start},{count}"
