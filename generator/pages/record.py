"""One entry file as a build needs it, made once and kept while nothing it depends on changes:
what the checks found in it, the few facts that the checks across entries and the listing pages
need, and its page's Markdown.

An entry's page depends on the entry alone (with the license registry, the settings and the
templates; see `plan.entry_page`), so an edit to one entry makes one record again, not 10,000.
What is kept is plain data, not the entry's model: read back from disk, models cost as much
as parsing the files again.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pydantic
import yaml

import generator
from generator.checks import licensing, load, rules
from generator.checks.models import LicenseRegistry
from generator.checks.rules import Waived
from generator.checks.site import Facts
from generator.content import files
from generator.content.problem import ContentError, Problem
from generator.content.project import Project
from generator.pages import credits, fhir, pickled, plan
from generator.pages.render import Renderer
from generator.settings import Settings

_FILE = "records.pickle"
_VERSION = 4


@dataclass(frozen=True)
class Record:
    errors: tuple[Problem, ...]
    """Its own: reading it, its rules and its quotes' licenses (not the checks across entries)."""
    warnings: tuple[Problem, ...]
    waived: tuple[Waived, ...]
    facts: Facts | None
    """None when the file could not be read as an entry."""
    quoted: tuple[licensing.Quoted, ...]
    page: str | None
    """Its page's Markdown: None for an entry with errors and for a draft left out."""
    failures: tuple[Problem, ...] = ()
    """What rendering its page found: a template's error, or a quote shown without what its
    license asks for. They stop publishing only when nothing else does, as the template's."""
    template_failed: bool = False
    export: str | None = None
    """Its data as an HL7 FHIR Bundle (`fhir`), published beside its page."""


def examine(
    project: Project,
    path: Path,
    raw: bytes,
    *,
    registry: LicenseRegistry | None,
    settings: Settings,
    renderer: Renderer,
    drafts: bool,
) -> Record:
    """One entry file read, checked on its own and, if it has no errors, rendered."""
    source, problems = load.load_entry(project, path, raw, registry)
    if source is None or registry is None:
        facts = Facts.of(source) if source is not None else None
        return Record(tuple(problems), (), (), facts, (), None)
    licensed = licensing.review_entry(source, registry, settings)
    ruled = rules.review_entry(source, settings)
    errors = (*licensed.errors, *ruled.errors)
    page, failures, template_failed, export = None, [], False, None
    if not errors and (drafts or not source.entry.draft):
        planned = plan.entry_page(
            source,
            registry,
            settings,
            withdrawn=frozenset(use.index for use in licensed.uses if use.status == "withdrawn"),
            review_due=bool(ruled.review_due),
        )
        try:
            page = renderer.render(planned)
        except ContentError as error:
            failures, template_failed = error.problems, True
        else:
            failures = credits.entry_problems(licensed.uses, page, renderer.templates_dir)
            export = fhir.bundle(source.entry)
    return Record(
        errors,
        (*licensed.warnings, *ruled.warnings),
        tuple(ruled.waived),
        Facts.of(source),
        tuple(licensing.Quoted.of(use) for use in licensed.uses),
        page,
        tuple(failures),
        template_failed,
        export,
    )


class Cache:
    """The record of each entry file, reused while its key is the same: the file's bytes and
    everything else its record is made from (see `publication`). It lives in memory for the
    builds of one process (a preview server re-reads only the entries that changed), and with a
    `folder`, on disk for the next process.

    On disk it is a Python pickle in .cache/evidence/ (with its own .gitignore): trusted like
    .venv/, restored only from what this project's own code made (in CI, from runs on main;
    see README, Publishing every day), never from anyone else. `salt` identifies the code that
    made it, so that a changed generator never reuses what an older one decided."""

    def __init__(self, folder: Path | None = None) -> None:
        self._records: dict[str, tuple[bytes, Record]] | None = None if folder else {}
        self._listings: dict[str, tuple[bytes, str]] = {}
        """Page path -> a key of the page's plan and its Markdown, for the pages that list
        entries: most edits change no listing, and the home page lists them all."""
        self._statuses: dict[str, tuple[files.Status, bytes, bytes]] = {}
        """Entry path -> its status when last read, the common part of its key then, and its
        key: a file whose status is the same is not read again (see `files.settled`)."""
        self._summary: object = None
        """What the listings in `_listings` were made from (`publication`), compared whole."""
        self.folder = folder
        self.salt = code_fingerprint() if folder is not None else b""
        self._renderer: tuple[Path, bytes, Renderer] | None = None
        self.read = 0
        self.reused = 0
        self._changed = False

    def renderer(self, templates_dir: Path, key: bytes) -> Renderer:
        """The renderer of the last build, while the templates' key (`files.folders_key`) is
        the same: its templates are compiled already (a twentieth of a save under serve)."""
        if self._renderer is None or self._renderer[:2] != (templates_dir, key):
            self._renderer = (templates_dir, key, Renderer(templates_dir))
        return self._renderer[2]

    def lookup(self, path: str, key: bytes) -> Record | None:
        found = self._loaded().get(path)
        if found is not None and found[0] == key:
            self.reused += 1
            return found[1]
        return None

    def store(self, path: str, key: bytes, record: Record) -> None:
        self.read += 1
        self._loaded()[path] = (key, record)
        self._changed = True

    def key_by_status(self, path: str, common: bytes, found: files.Status) -> bytes | None:
        """The key of a file read before, if its status and the common part are unchanged."""
        self._loaded()
        known = self._statuses.get(path)
        if known is not None and known[0] == found and known[1] == common:
            return known[2]
        return None

    def keep_status(self, path: str, common: bytes, found: files.Status, key: bytes) -> None:
        """After reading a file whose status was `found`, settled (`files.settled`)."""
        if self._statuses.get(path) != (found, common, key):
            self._statuses[path] = (found, common, key)
            self._changed = True

    def listings_made_from(self, summary: object) -> dict[str, str] | None:
        """The listings, if they were made from an equal `summary`."""
        self._loaded()
        if summary is None or summary != self._summary:
            return None
        return {path: markdown for path, (_, markdown) in self._listings.items()}

    def listing(self, path: str, key: bytes) -> str | None:
        self._loaded()
        found = self._listings.get(path)
        return found[1] if found is not None and found[0] == key else None

    def keep_listings(self, listings: dict[str, tuple[bytes, str]], summary: object) -> None:
        """The listings of this build, in place of those of the last, and what they were
        made from (None: not to be compared)."""
        if listings != self._listings or summary != self._summary:
            self._listings, self._summary = listings, summary
            self._changed = True

    def forget_others(self, paths: set[str]) -> None:
        """Drop files that are gone, so that the cache holds no more than the content."""
        records = self._loaded()
        for path in set(records) - paths:
            del records[path]
            self._changed = True
        for path in set(self._statuses) - paths:
            del self._statuses[path]
            self._changed = True

    def save(self, folder: Path) -> None:
        """Into `folder` (made, with its .gitignore, by `project.prepare_cache`), for the next
        build, if anything changed since it was read."""
        if self._records is None or not self._changed:
            return
        # The key first, on its own: records of other code are never unpickled.
        kept = (self._records, self._listings, self._statuses, self._summary)
        if pickled.save(folder / _FILE, (_VERSION, self.salt), kept):
            self._changed = False

    def _loaded(self) -> dict[str, tuple[bytes, Record]]:
        if self._records is None:
            self._records = self._read()
        return self._records

    def _read(self) -> dict[str, tuple[bytes, Record]]:
        assert self.folder is not None
        try:
            with (self.folder / _FILE).open("rb") as stream:
                if pickled.load(stream) != (_VERSION, self.salt):
                    return {}
                records, listings, statuses, summary = pickled.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            return {}
        if not (isinstance(records, dict) and isinstance(listings, dict)):
            return {}
        if not isinstance(statuses, dict):
            return {}
        self._listings, self._statuses, self._summary = listings, statuses, summary
        return records


def code_fingerprint() -> bytes:
    """This package's source and version, and those of the libraries that decide what it reads."""
    digest = hashlib.blake2b(digest_size=16)
    versions = (generator.__version__, pydantic.VERSION, yaml.__version__, jinja2.__version__)
    for part in (*versions, sys.version):  # Unicode's tables and `re` come with Python
        digest.update(part.encode() + b"\0")
    package = Path(generator.__file__).parent
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode() + b"\0")
        digest.update(module.read_bytes() + b"\0")
    return digest.digest()
