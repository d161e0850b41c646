"""Changes as a terminal shows them: a line for each changed entry, then one for each changed
part, named as a reader names it, with the words removed and added marked as `git diff
--word-diff` marks them ('[-removed-]{+added+}'); text far from any change is shortened.

Author text goes to a terminal here, so control characters (which could move the cursor,
change colours or rewrite what the reviewer sees) are shown as escapes, never sent as they are.
"""

from __future__ import annotations

import re

from generator.content.change import Change, Part, Segment
from generator.pages.plan import entry_url
from generator.review import words

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def visible(text: str) -> str:
    """Text safe to print: each control character as an escape ('\\x1b', '\\n')."""
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


def change_lines(change: Change) -> list[str]:
    """'changed  id (path)' and, indented below it, what changed."""
    entry, page, question = (
        visible(text) for text in (change.entry_id, entry_url(change.entry_id), change.question)
    )
    lines = [f"{change.kind:<8} {entry} ({visible(change.path)}){_draft_note(change)}"]
    if change.kind == "added":
        lines.append(f"  New page {page}: {question}")
    elif change.kind == "removed":
        lines.append(f"  Page {page} removed; its title was: {question}")
    lines += [f"  {part_line(part)}" for part in change.parts]
    return lines


def closing_line(changes: list[Change], base: str) -> str:
    """The last line: '3 entries differ from origin/main: 1 added, 1 changed, 1 removed'."""
    if not changes:
        return f"no entry changed since {base}"
    counts = {
        kind: sum(c.kind == kind for c in changes) for kind in ("added", "changed", "removed")
    }
    drafts = sum(change.draft for change in changes)
    line = f"{len(changes)} entr{'y differs' if len(changes) == 1 else 'ies differ'} from {base}: "
    line += ", ".join(f"{count} {kind}" for kind, count in counts.items())
    return line + (f" ({drafts} of them draft{'s' if drafts != 1 else ''})" if drafts else "")


def part_line(part: Part) -> str:
    """'Question: What is the {+current+} evidence ...'"""
    label = {"added": " (new)", "removed": " (removed)", "changed": ""}[part.kind]
    text = words.marked(_text(part.before), _text(part.after), shorten=True)
    return f"{visible(part.name)}{label}: {visible(text)}"


def _text(runs: tuple[Segment, ...] | None) -> str:
    return "".join(run.text for run in runs) if runs else ""


def _draft_note(change: Change) -> str:
    """Drafts are marked: a preview of the pull request lists them without their text."""
    if change.draft_before == change.draft_after or change.kind != "changed":
        return " [draft]" if change.draft else ""
    return " [now a draft]" if change.draft_after else " [no longer a draft]"
