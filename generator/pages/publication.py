"""The pages of the site and what the checks said about them: made from the content, or taken
from the last build when nothing they are made from has changed.

"Nothing changed" means the same bytes in every entry file, the license registry and every
template, the same settings, and the same code (see `record.Cache`): then the whole publication
is read back at once. Otherwise each entry whose file, registry, templates, settings and code
are the same is taken from its record, and only the others are read again.

What is kept is a Python pickle in .cache/evidence/ (with its own .gitignore): trusted like
.venv/, never to be restored from anyone else.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic

from generator.checks import across, licensing, load, synonyms
from generator.checks.models import LicenseRegistry
from generator.checks.rules import Waived
from generator.checks.site import Facts
from generator.content import files
from generator.content.change import Change
from generator.content.files import (
    Digests,
    entry_files,
    folders_key,
    linked,
    read_bytes,
    tree_key,
)
from generator.content.problem import ContentError, Problem
from generator.content.project import Project, prepare_cache
from generator.pages import pickled, plan, record, vocabulary, workers
from generator.pages.record import Cache
from generator.pages.render import Renderer
from generator.progress import Progress
from generator.settings import Settings

_SNAPSHOT_FILE = "pages.pickle"


@dataclass(frozen=True)
class Publication:
    """What one run of the pipeline made: the pages, or the errors that stop them."""

    pages: dict[str, str]
    """Page path -> Markdown, in a fixed order; empty when there are errors."""
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    waived: tuple[Waived, ...]
    sources: dict[str, str]
    """Entry page path -> the entry's file, relative to the project."""
    entries: int
    """How many entries were read (all, when there are no errors)."""
    taken: bool = field(default=False, compare=False)
    """Taken whole from the last build (its snapshot): nothing was made."""
    digests: dict[str, bytes] = field(default_factory=dict, compare=False)
    """Page path -> `page_digest` of its Markdown, when kept for the next build (the plugin
    keys pages by it; under `mkdocs serve` it takes them itself, as pages change)."""

    def published(self) -> dict[str, str]:
        """The pages, if nothing stops them from being published; else `ContentError`."""
        if self.errors:
            raise ContentError(list(self.errors))
        return self.pages


def make(
    project: Project,
    settings: Settings,
    cache: Cache | None = None,
    *,
    drafts: bool = False,
    changes: list[Change] | None = None,
    remember: bool = True,
) -> Publication:
    """THE core: check everything, then render the pages, or take what the last build made
    from the same inputs. Every command and the plugin come through here. Errors (in any file,
    in a template) are returned, not raised: `published()` raises them. `remember` keeps what
    is made on disk for the next build (a preview server, which makes pages at every save,
    keeps them in memory only).

    Each entry file is made into a `record.Record` on its own, or its record is taken from the
    cache; only the checks across entries and the pages that list entries look at all of them."""
    # A preview server that has its records in memory loses more than it gains by a look at
    # the snapshot: its key takes the status of every file once more.
    warm = cache is not None and not remember and cache.read + cache.reused > 0
    snapshot = _Snapshot(cache, project, settings, drafts) if changes is None and not warm else None
    if snapshot is not None and (kept := snapshot.load()) is not None:
        return kept
    problems: list[Problem] = linked(project)
    registry, registry_raw = load.load_registry(project, problems)
    templates = folders_key(project.templates_dir)
    if cache is not None:
        renderer = cache.renderer(project.templates_dir, templates)
    else:
        renderer = Renderer(project.templates_dir)
    common = _common_key(cache, project, settings, drafts, registry_raw, templates=templates)
    paths = entry_files(project, problems)
    found: list[record.Record | None] = []
    unread: list[tuple[int, Path, bytes]] = []  # position, path, key
    raws: list[tuple[Path, bytes | None] | None] = []  # let go of as they are examined
    now = time.time_ns()
    with Progress("Reading entries", len(paths), "entries") as progress:
        for path in paths:
            name, raw = str(path), None
            # A file whose status is as when it was last read is not read again.
            found_status = files.status(path) if cache is not None else None
            key = None
            if cache is not None and found_status is not None:
                key = cache.key_by_status(name, common, found_status)
            if key is None and cache is not None:  # without a cache, a file is read once
                raw = read_bytes(path)
                key = _entry_key(common, name, raw)
                if found_status and files.settled(found_status, now):
                    cache.keep_status(name, common, found_status, key)
            cached = cache.lookup(name, key) if cache is not None and key is not None else None
            if cached is None:
                unread.append((len(found), path, key or b""))
                if cache is not None and raw is None:  # its record is kept under `key`
                    raw = read_bytes(path)
                raws.append((path, raw))  # without a cache, read when examined
            else:
                progress.advance()
            found.append(cached)
        examination = workers.Examination(project, registry, settings, drafts)
        examined = workers.examine_all(raws, examination, renderer, progress.advance)
    for (position, path, key), made in zip(unread, examined, strict=True):
        found[position] = made
        if cache is not None:
            cache.store(str(path), key, made)
    records = [made for made in found if made is not None]  # each, as `examine_all` checks
    if cache is not None:
        cache.forget_others({str(path) for path in paths})
    publication = _publish(
        project,
        records,
        registry,
        problems,
        renderer=renderer,
        drafts=drafts,
        changes=changes,
        cache=cache,
        common=common,
    )
    if cache is not None and remember and cache.folder is not None:
        with contextlib.suppress(OSError):  # without it, only the next build is slower
            cache.save(prepare_cache(cache.folder))
    if snapshot is not None and remember and not publication.errors:
        publication = snapshot.keep(publication)
    return publication


def page_digest(markdown: str) -> bytes:
    """Of a page's Markdown as MkDocs reads it (UTF-8)."""
    return hashlib.sha256(markdown.encode()).digest()


def _publish(
    project: Project,
    records: list[record.Record],
    registry: LicenseRegistry | None,
    problems: list[Problem],
    *,
    renderer: Renderer,
    drafts: bool,
    changes: list[Change] | None,
    cache: Cache | None,
    common: bytes,
) -> Publication:
    """The checks across entries, then, if nothing stops them, the pages."""
    read = [found.facts for found in records if found.facts is not None]
    across.check_ids(read, problems)
    across.check_tags(read, problems)
    names, _ = synonyms.load(project, problems)
    for found in records:
        problems += found.errors
    if registry is None:
        return Publication({}, tuple(sorted(problems)), (), (), {}, 0)
    loaded = sorted(
        (found for found in records if found.facts is not None),
        key=lambda found: found.facts.id if found.facts else "",
    )
    quoted = [use for found in loaded for use in found.quoted]
    references = (r for found in loaded if found.facts for r in found.facts.references)
    problems += licensing.check_articles(quoted, references)
    warnings = tuple(sorted(warning for found in loaded for warning in found.warnings))
    waived = tuple(waiver for found in loaded for waiver in found.waived)
    if problems:
        return Publication({}, tuple(sorted(problems)), warnings, waived, {}, len(loaded))
    shown = [found for found in loaded if found.facts and (drafts or not found.facts.draft)]
    entries = [found.facts for found in shown if found.facts]
    try:
        failed = next((found.failures for found in shown if found.template_failed), ())
        if failed:
            raise ContentError(list(failed))
        # What the listings show of the entries: most saves change none of it, and then the
        # listings are not planned again (a plan of the home page lists every entry).
        summary = _listed_summary(common, entries, quoted) if changes is None else None
        made = cache.listings_made_from(summary) if cache is not None else None
        if made is None:
            listed = plan.listings(entries, registry, quoted, changes)
            made = _listings(listed, renderer, cache, common, summary)
        pages, exports = {}, {}
        for facts, found in zip(entries, shown, strict=True):
            assert found.page is not None  # an entry without errors, not left out, has a page
            assert found.export is not None  # and its data
            pages[plan.entry_path(facts.id)] = found.page
            exports[plan.export_path(facts.id)] = found.export
        pages.update(made)
        pages.update(exports)
        credited = [failure for found in shown for failure in found.failures]
        if credited:
            raise ContentError(credited)
    except ContentError as error:  # a template's problems stop publishing too
        return Publication({}, tuple(error.problems), warnings, waived, {}, len(loaded))
    pages[plan.VOCABULARY] = vocabulary.text(entries, names)
    sources = {plan.entry_path(f.id): f.path for f in (found.facts for found in loaded) if f}
    return Publication(pages, (), warnings, waived, sources, len(loaded))


def _listed_summary(
    common: bytes, entries: list[Facts], quoted: list[licensing.Quoted]
) -> tuple[object, ...]:
    """Everything of the entries that `plan.listings` reads (with `common`: the templates, the
    license registry, the settings and the code), as one value to compare."""
    return (
        common,
        tuple((e.id, e.question, e.last_reviewed, e.tags, e.draft) for e in entries),
        tuple((use.entry_id, use.license_key, use.shown) for use in quoted),
    )


def _entry_key(common: bytes, name: str, raw: bytes) -> bytes:
    return hashlib.blake2b(common + os.fsencode(name) + b"\0" + raw, digest_size=16).digest()


def _listings(
    listed: list[plan.Page],
    renderer: Renderer,
    cache: Cache | None,
    common: bytes,
    summary: object,
) -> dict[str, str]:
    """The pages that list entries, each rendered again only if its plan changed."""
    if cache is None:
        return {page.path: renderer.render(page) for page in listed}
    made, kept = {}, {}
    for page in listed:
        # The plan's pickle holds every value the template can reach; with `common`, the
        # templates, the settings and the code. A value pickled differently only costs a render.
        key = hashlib.blake2b(common + _plan_bytes(page)).digest()
        markdown = cache.listing(page.path, key)
        if markdown is None:
            markdown = renderer.render(page)
        made[page.path] = markdown
        kept[page.path] = (key, markdown)
    cache.keep_listings(kept, summary)
    return made


def _plan_bytes(page: plan.Page) -> bytes:
    stream = io.BytesIO()
    _PlanPickler(stream, pickle.HIGHEST_PROTOCOL).dump(page)
    return stream.getvalue()


class _PlanPickler(pickle.Pickler):
    """Pickles a page's plan the same way in every process: a pydantic model keeps the names of
    its fields set as a set, whose order changes with string hashing. (A set in a plan itself
    would still pickle in that order, as the pickler writes sets before asking here: it would
    only make its page be rendered again.)"""

    def reducer_override(self, obj: object) -> Any:
        if isinstance(obj, pydantic.BaseModel):
            return str, (f"{type(obj).__qualname__}:{obj.model_dump_json()}",)
        return NotImplemented


def _common_key(
    cache: Cache | None,
    project: Project,
    settings: Settings,
    drafts: bool,
    registry_raw: bytes,
    *,
    templates: bytes,
) -> bytes:
    """What every entry's record depends on besides its own file."""
    digest = hashlib.blake2b(digest_size=32)
    digest.update(cache.salt if cache else b"")
    digest.update(repr((settings, drafts, str(project.root), str(Path.cwd()))).encode() + b"\0")
    digest.update(hashlib.blake2b(registry_raw).digest())
    digest.update(templates)
    return digest.digest()


class _Snapshot:
    """The last publication made, on disk beside the entries' cache, under a key of all its
    inputs. Only a cache with a folder has one. The file holds, in turn: the status and digest
    of each file under the content and template folders (so that the key reads only files
    changed since), the key, and the publication."""

    def __init__(
        self, cache: Cache | None, project: Project, settings: Settings, drafts: bool
    ) -> None:
        self.file = cache.folder / _SNAPSHOT_FILE if cache and cache.folder else None
        self.cache = cache
        self.known: Digests = {}
        self.start = 0  # where the key is in the file, after the statuses
        if self.file is not None:
            with contextlib.suppress(*_UNREADABLE):
                with self.file.open("rb") as stream:
                    known = pickled.load(stream)
                    self.start = stream.tell()
                if isinstance(known, dict):
                    self.known = known
        self.key = _inputs_key(cache, project, settings, drafts, self.known) if self.file else b""

    def load(self) -> Publication | None:
        if self.file is None or self.cache is None or not self.start:
            return None
        try:
            with self.file.open("rb") as stream:
                stream.seek(self.start)  # the statuses were read for the key
                # The key comes first, on its own: after an edit it differs, and the pages
                # (100 MB at 10,000 entries) are not read at all.
                if pickled.load(stream) != self.key:
                    return None
                publication = pickled.load(stream)
        except _UNREADABLE:
            return None
        if not isinstance(publication, Publication):
            return None
        self.cache.reused += len(publication.sources)
        return dataclasses.replace(publication, taken=True)

    def keep(self, publication: Publication) -> Publication:
        """Keep it for the next build, with the digests of its pages: taken with it, they are
        not taken again (a third of a second at 10,000 entries)."""
        if self.file is None:
            return publication
        digests = {path: page_digest(markdown) for path, markdown in publication.pages.items()}
        publication = dataclasses.replace(publication, digests=digests)
        with contextlib.suppress(OSError):  # only the next build is slower
            prepare_cache(self.file.parent)
            pickled.save(self.file, self.known, self.key, publication)
        return publication


_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError)


def _inputs_key(
    cache: Cache | None, project: Project, settings: Settings, drafts: bool, known: Digests
) -> bytes:
    digest = hashlib.blake2b(digest_size=32)
    digest.update(cache.salt if cache else b"")
    digest.update(repr((settings, drafts, str(project.root))).encode())
    digest.update(tree_key(project, known))
    return digest.digest()
