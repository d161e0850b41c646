"""A change to one entry file between a git revision and the working tree, as reviewers read it:
which parts changed, named as a reader names them, with the text before and after and the
changed words marked. Made by `review.changes`; shown by the pages and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple


class Segment(NamedTuple):
    """A run of text on one side of a change; `changed` runs are the words removed (before) or
    added (after)."""

    text: str
    changed: bool


@dataclass(frozen=True)
class Part:
    """One changed part of an entry: 'Summary, paragraph 3' or 'CABINET, Pancreatic
    neuroendocrine tumors, Progression-free survival, Cabozantinib vs Placebo, hazard ratio'."""

    name: str
    """As a reader names it; it holds the entry's own words (trial, arm and outcome names)."""
    section: str
    """The top-level part it is in ('Results', 'Summary'), which holds none of them."""
    field: str
    """Where it is in the file, as messages name fields: 'summary[2]'."""
    before: tuple[Segment, ...] | None
    """The text before the change; None when the part is new."""
    after: tuple[Segment, ...] | None
    """The text after it; None when the part was removed."""

    @property
    def kind(self) -> Literal["added", "changed", "removed"]:
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"


@dataclass(frozen=True)
class Change:
    kind: Literal["added", "changed", "removed"]
    entry_id: str
    question: str
    path: str
    parts: tuple[Part, ...] = ()
    """For a changed entry, each part that changed, in the order of the file."""
    draft_before: bool | None = None
    """Whether the entry was a draft at the base revision; None for an added entry."""
    draft_after: bool | None = None
    """Whether the entry is a draft now; None for a removed entry."""

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(part.field for part in self.parts)

    @property
    def draft(self) -> bool:
        """The version this change is about (the new one; for a removed entry, the one removed)
        is a draft. Drafts are never published, so a preview must show none of their text."""
        return bool(self.draft_before if self.kind == "removed" else self.draft_after)
