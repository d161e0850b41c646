"""A change to one entry file between a git revision and the working tree, as a preview of a
pull request lists it. Made by `review.changes`; shown by the pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Change:
    kind: Literal["added", "changed", "removed"]
    entry_id: str
    question: str
    path: str
    fields: tuple[str, ...] = ()
    draft_before: bool | None = None
    """Whether the entry was a draft at the base revision; None for an added entry."""
    draft_after: bool | None = None
    """Whether the entry is a draft now; None for a removed entry."""

    @property
    def draft(self) -> bool:
        """The version this change is about (the new one; for a removed entry, the one removed)
        is a draft. Drafts are never published, so a preview must show none of their text."""
        return bool(self.draft_before if self.kind == "removed" else self.draft_after)
