"""The pages of the site and what the checks said about them: made from the content, or taken
from the last build when nothing they are made from has changed.

"Nothing changed" means the same bytes in every entry file, the license registry and every
template, the same settings, and the same code (see `cache.Cache`). Anything else makes the
pages again (a preview server re-reads only the entries that changed).

What is kept is a Python pickle in .cache/evidence/ (with its own .gitignore): trusted like
.venv/, never to be restored from anyone else.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from generator.checks import suite
from generator.checks.cache import Cache
from generator.checks.rules import Waived
from generator.content.change import Change
from generator.content.files import tree_key
from generator.content.problem import ContentError, Problem
from generator.content.project import Project
from generator.pages import plan
from generator.pages.render import render_site
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
    is made for the next build (a preview server, which makes pages at every save, leaves that
    out)."""
    snapshot = _Snapshot(cache, project, settings, drafts) if changes is None else None
    if snapshot is not None and (kept := snapshot.load()) is not None:
        return kept
    outcome = suite.collect(project, settings, cache)
    entries = len(outcome.site.entries) if outcome.site is not None else 0
    if outcome.errors or outcome.site is None:
        return Publication(
            {},
            tuple(sorted(outcome.errors)),
            tuple(outcome.warnings),
            tuple(outcome.waived),
            {},
            entries,
        )
    checked = suite.publishable(outcome, settings)
    try:
        pages = render_site(checked, project.templates_dir, drafts=drafts, changes=changes)
    except ContentError as error:  # a template's problems stop publishing too
        return Publication(
            {}, tuple(error.problems), checked.warnings, tuple(checked.rules.waived), {}, entries
        )
    publication = Publication(
        pages,
        (),
        checked.warnings,
        tuple(checked.rules.waived),
        {plan.entry_path(source.entry.id): source.path for source in checked.site.entries},
        entries,
    )
    if snapshot is not None and remember:
        snapshot.keep(publication)
    return publication


class _Snapshot:
    """The last publication made, on disk beside the entries' cache, under a key of all its
    inputs. Only a cache with a folder has one."""

    def __init__(
        self, cache: Cache | None, project: Project, settings: Settings, drafts: bool
    ) -> None:
        self.file = cache.folder / _SNAPSHOT_FILE if cache and cache.folder else None
        self.cache = cache
        self.key = _inputs_key(cache, project, settings, drafts) if self.file else b""

    def load(self) -> Publication | None:
        if self.file is None or self.cache is None:
            return None
        try:
            with self.file.open("rb") as stream:
                # The key comes first, on its own: after an edit it differs, and the pages
                # (100 MB at 10,000 entries) are not read at all.
                if pickle.load(stream) != self.key:
                    return None
                publication = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
            return None
        if not isinstance(publication, Publication):
            return None
        self.cache.reused += len(publication.sources)
        return publication

    def keep(self, publication: Publication) -> None:
        if self.file is None:
            return
        try:
            prepare(self.file.parent)
            work = self.file.with_name(f".{self.file.name}.{os.getpid()}")
            with work.open("wb") as stream:
                pickle.dump(self.key, stream, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(publication, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(work, self.file)
        except OSError:
            return  # only the next build is slower


def _inputs_key(cache: Cache | None, project: Project, settings: Settings, drafts: bool) -> bytes:
    digest = hashlib.blake2b(digest_size=32)
    digest.update(cache.salt if cache else b"")
    digest.update(repr((settings, drafts, str(project.root))).encode())
    digest.update(tree_key(project))
    return digest.digest()


def folder(project: Project) -> Path:
    """Where a project's cache lives (ignored by git: it writes its own .gitignore)."""
    return project.root / ".cache" / "evidence"


def prepare(cache_folder: Path) -> Path:
    """The cache folder, made if need be, with the .gitignore that keeps it out of commits."""
    cache_folder.mkdir(parents=True, exist_ok=True)
    gitignore = cache_folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")
    return cache_folder
