"""The content as the checks pass it on: each entry with the file it came from, in a fixed
order, the license registry and the synonyms registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.checks.models import Entry, LicenseRegistry, Reference, SynonymRegistry
from generator.content.document import Document, Location
from generator.content.problem import Position, Problem


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


@dataclass(frozen=True)
class Place:
    """Where a field was written, kept without its file so that a finding about it can be
    placed after the file itself is no longer in memory."""

    path: str
    position: Position
    field: str

    @classmethod
    def of(cls, document: Document, location: Location) -> Place:
        found = document.problem(location, "")
        return cls(found.path, found.position, found.field or "")

    def problem(self, message: str, rule: str | None = None, *, warning: bool = False) -> Problem:
        return Problem(self.path, self.position, self.field, message, rule, warning=warning)


@dataclass(frozen=True)
class Facts:
    """What the checks across entries and the pages that list entries need to know of one
    entry: small, plain data, kept for every entry between builds where its model is not."""

    path: str
    id: str
    question: str
    last_reviewed: date
    draft: bool
    tags: tuple[str, ...]
    trials: tuple[str, ...]
    references: tuple[tuple[str, ...], ...]
    """The identifiers of each reference's article (see `licensing.identifiers`)."""
    id_place: Place
    tag_places: tuple[Place, ...]

    @classmethod
    def of(cls, source: Source) -> Facts:
        entry, document = source.entry, source.document
        return cls(
            source.path,
            entry.id,
            entry.question,
            entry.last_reviewed,
            entry.draft,
            tuple(entry.tags),
            tuple(study.trial for study in entry.results),
            tuple(tuple(identifiers(reference)) for reference in entry.references),
            Place.of(document, ("id",)),
            tuple(Place.of(document, ("tags", index)) for index in range(len(entry.tags))),
        )


def identifiers(reference: Reference) -> list[str]:
    """The identifiers of the article a reference names, each one prefixed by its kind. DOIs are
    compared without regard to case, as the DOI system compares them."""
    found = []
    if reference.doi:
        found.append(f"doi:{reference.doi.lower()}")
    if reference.pmid:
        found.append(f"pmid:{reference.pmid}")
    if reference.pmcid:
        found.append(f"pmcid:{reference.pmcid}")
    return found
