"""The content as the checks pass it on: each entry with the file it came from, in a fixed
order, the license registry and the synonyms registry."""

from __future__ import annotations

from dataclasses import dataclass

from generator.checks.models import Entry, LicenseRegistry, SynonymRegistry
from generator.content.document import Document


@dataclass(frozen=True, eq=False)
class Source:
    """A checked entry and the file it came from."""

    entry: Entry
    document: Document

    @property
    def path(self) -> str:
        return self.document.path


@dataclass(frozen=True)
class Site:
    """Everything the pages are made from, checked and in a fixed order."""

    entries: tuple[Source, ...]
    licenses: LicenseRegistry
    synonyms: SynonymRegistry
