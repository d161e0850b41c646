"""What a rule reports about one entry, before it is placed in its file (see `rules.review`)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.document import Location, field_path


@dataclass(frozen=True)
class Finding:
    rule: str
    location: Location
    message: str
    written: str | None = None
    """The text inside a long value the finding is about, such as a number in a paragraph."""
    offset: int | None = None
    """Where `written` starts in the value, when the rule knows."""

    @property
    def field(self) -> str:
        return field_path(self.location)
