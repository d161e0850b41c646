"""Which pages the site has, decided as plain data before anything is rendered.

Page paths, tag slugs and the links between pages are decided here and nowhere else.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from generator.checks.models import Entry, License
from generator.checks.site import Site, Source
from generator.checks.suite import Checked
from generator.content import citation
from generator.content.change import Change, Part
from generator.content.slug import tag_slug
from generator.pages import metadata

HOME = "index.md"
TAGS_INDEX = "tags/index.md"
PERMISSIONS = "permissions.md"
CHANGES = "changes.md"
VOCABULARY = "search/vocabulary.json"
"""The names search knows (`vocabulary`): a file of the site beside its pages."""


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    path: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Page:
    """One page to render: where it goes, its title as plain text, its template and data."""

    path: str
    title: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    description: str | None = None
    """For search engines and link previews; plain text."""
    json_ld: Mapping[str, Any] | None = None
    """schema.org data about the page, for search engines."""
    keywords: tuple[str, ...] = ()
    """For the site's own search; plain text."""
    listing: bool = False
    """A page that lists entries: the site's search leaves it out and finds the entries."""


SAFE_PATH = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*/)*[a-z0-9]+(?:-[a-z0-9]+)*\.md")
"""Every generated page path: relative, no '..', nothing but lowercase letters, digits, hyphens."""
DESCRIPTION_MAX = 160


def entry_path(entry_id: str) -> str:
    return f"evidence/{entry_id}.md"


def entry_url(entry_id: str) -> str:
    """The entry page's address within the site, as readers see it."""
    return f"evidence/{entry_id}/"


def relative(from_path: str, to_path: str) -> str:
    """The link from one page's Markdown file to another's, as MkDocs resolves it."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


@dataclass(frozen=True)
class ChangeRow:
    """One entry on the page of changes. A draft's holds nothing written in the entry, not even
    its id or the names of its trials: drafts are never published, and the page cannot show
    what it is not given."""

    kind: str
    parts: tuple[Part, ...]
    """What changed, with the text before and after; none for a draft."""
    sections: tuple[str, ...]
    """The sections of the entry that changed ('Question', 'Results'), each once."""
    title: str | None
    """The entry's question (its id if it has none); None for a draft."""
    page: str | None
    """The entry's page in this preview, if it has one."""
    now_draft: bool = False
    """A published entry made a draft again: its page leaves the site."""
    first_published: bool = False
    """A draft published: what it said before was never published, so only its page shows."""


def change_rows(changes: Iterable[Change], planned: Iterable[str]) -> list[ChangeRow]:
    """The entries on the page of changes: published ones in the order given, then drafts."""
    planned = set(planned)
    shown, drafts = [], []
    for change in changes:
        sections = tuple(dict.fromkeys(part.section for part in change.parts))
        if change.draft:
            now_draft = change.kind == "changed" and not change.draft_before
            drafts.append(ChangeRow(change.kind, (), sections, None, None, now_draft))
        else:
            path = entry_path(change.entry_id)
            page = path if change.kind != "removed" and path in planned else None
            title = change.question or change.entry_id
            first = bool(change.draft_before)
            parts = () if first else change.parts
            shown.append(ChangeRow(change.kind, parts, sections, title, page, False, first))
    return shown + drafts


@dataclass(frozen=True)
class Licensor:
    """A license and the entries whose quotes it covers, for the permissions page."""

    key: str
    license: License
    sources: tuple[Source, ...]


def pages(
    checked: Checked, *, drafts: bool = False, changes: list[Change] | None = None
) -> list[Page]:
    """Every page of the site, in a fixed order: entries, tags, permissions, changes, the home
    page. Draft entries are left out, unless `drafts` (for a preview on an author's own machine);
    the page of `changes` is made only for a preview of a pull request."""
    site = published(checked.site, drafts=drafts)
    withdrawn = checked.licensing.withdrawn
    tags, tags_of = _tags(site)
    pages = [_entry_page(source, checked, tags_of, withdrawn) for source in site.entries]
    listing = sorted(site.entries, key=lambda source: source.entry.question.casefold())
    for tag in tags:
        tagged = {id(source) for source in tag.sources}
        pages.append(
            Page(
                tag.path,
                f"Tagged “{tag.name}”",
                "tag.md.jinja",
                {
                    "tag": tag,
                    "sources": [source for source in listing if id(source) in tagged],
                    "tags_of": tags_of,
                },
                listing=True,
            )
        )
    pages.append(Page(TAGS_INDEX, "Tags", "tags.md.jinja", {"tags": tags}, listing=True))
    pages.append(
        Page(
            PERMISSIONS,
            "Sources and permissions",
            "permissions.md.jinja",
            {"licensors": _licensors(checked)},
            listing=True,
        )
    )
    if changes is not None:
        rows = change_rows(changes, (page.path for page in pages))
        context = {"rows": rows}
        pages.append(
            Page(CHANGES, "Changes in this preview", "changes.md.jinja", context, listing=True)
        )
    home = {"sources": listing, "tags_of": tags_of}
    pages.append(Page(HOME, "Clinical questions", "home.md.jinja", home, listing=True))
    for page in pages:
        # Slugs are checked when content is loaded; this guards the guarantee itself.
        if not SAFE_PATH.fullmatch(page.path):
            raise RuntimeError(f"unsafe page path {page.path!r}")
    return pages


def _entry_page(
    source: Source,
    checked: Checked,
    tags_of: Mapping[str, list[Tag]],
    withdrawn: Iterable[tuple[str, int]],
) -> Page:
    entry = source.entry
    summary = description(entry)
    return Page(
        entry_path(entry.id),
        entry.question,
        "entry.md.jinja",
        {
            "entry": entry,
            "tags": tags_of[entry.id],
            "licenses": checked.site.licenses,
            "withdrawn": {i for entry_id, i in withdrawn if entry_id == entry.id},
            "review_due": entry.id in checked.rules.review_due,
            "review_months": checked.settings.review_months,
            "draft": entry.draft,
        },
        summary,
        metadata.json_ld(entry, summary),
        tuple(metadata.search_keywords(entry)),
    )


def published(site: Site, *, drafts: bool = False) -> Site:
    """The site without its draft entries (unless `drafts`)."""
    if drafts:
        return site
    return replace(site, entries=tuple(s for s in site.entries if not s.entry.draft))


def _licensors(checked: Checked) -> list[Licensor]:
    """Every license in the registry, with the published entries that show a quote under it."""
    shown: dict[str, list[Source]] = {}
    for use in checked.licensing.uses:
        if use.source.entry.draft:
            continue
        if use.shown and use.source not in shown.setdefault(use.license_key, []):
            shown[use.license_key].append(use.source)
    return sorted(
        (
            Licensor(key, license, tuple(shown.get(key, [])))
            for key, license in checked.site.licenses.licenses.items()
        ),
        key=lambda licensor: (licensor.license.licensor.casefold(), licensor.key),
    )


def description(entry: Entry) -> str:
    """The start of the answer, without citation markers, cut at a word near 160 characters."""
    text = "".join(
        piece for piece in citation.split(entry.answer[0]) if not isinstance(piece, citation.Marker)
    )
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_MAX:
        return text
    cut = text[: DESCRIPTION_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


def _tags(site: Site) -> tuple[list[Tag], dict[str, list[Tag]]]:
    """All tags, one page each, and each entry's tags in the order its author listed them.

    `load` has already refused tags that cannot have a page or would share one.
    """
    spelling: dict[str, str] = {}
    tagged: dict[str, list[Source]] = {}
    for source in site.entries:
        for name in source.entry.tags:
            slug = tag_slug(name)
            spelling.setdefault(slug, name)
            tagged.setdefault(slug, []).append(source)
    tags = sorted(
        (
            Tag(spelling[slug], slug, f"tags/{slug}.md", tuple(sources))
            for slug, sources in tagged.items()
        ),
        key=lambda tag: (tag.name.casefold(), tag.slug),
    )
    by_slug = {tag.slug: tag for tag in tags}
    tags_of = {
        source.entry.id: [by_slug[tag_slug(name)] for name in source.entry.tags]
        for source in site.entries
    }
    return tags, tags_of
