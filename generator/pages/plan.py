"""Which pages the site has, decided as plain data before anything is rendered.

Page paths, tag slugs and the links between pages are decided here and nowhere else.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from generator.checks import licensing
from generator.checks.models import Entry, License, LicenseRegistry
from generator.checks.site import Facts, Site, Source
from generator.checks.suite import Checked
from generator.content import citation
from generator.content.change import Change, Part
from generator.content.slug import tag_slug
from generator.pages import metadata
from generator.settings import Settings

HOME = "index.md"
TAGS_INDEX = "tags/index.md"
PERMISSIONS = "permissions.md"
CHANGES = "changes.md"
VOCABULARY = "search/vocabulary.json"
"""The names search knows (`vocabulary`): a file of the site beside its pages."""


@dataclass(frozen=True)
class TagLink:
    """A tag as an entry shows it: a link to its page."""

    name: str
    slug: str
    path: str

    @classmethod
    def named(cls, name: str) -> TagLink:
        slug = tag_slug(name)
        return cls(name, slug, f"tags/{slug}.md")


@dataclass(frozen=True)
class Listed:
    """An entry as the pages that list entries show it: no more, so that a listing is made
    again only when what it shows changes (see `publication`)."""

    id: str
    question: str
    last_reviewed: date
    tags: tuple[TagLink, ...]


@dataclass(frozen=True)
class Tag(TagLink):
    """A tag's page, with the entries it lists."""

    sources: tuple[Listed, ...] = ()


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
    export: str | None = None
    """The path of the page's data as HL7 FHIR (`fhir`), which the page links to."""


SAFE_PATH = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*/)*[a-z0-9]+(?:-[a-z0-9]+)*\.md")
"""Every generated page path: relative, no '..', nothing but lowercase letters, digits, hyphens."""
DESCRIPTION_MAX = 160


def entry_path(entry_id: str) -> str:
    return f"evidence/{entry_id}.md"


def export_path(entry_id: str) -> str:
    """The entry as an HL7 FHIR R5 Bundle (JSON), beside its page."""
    return f"evidence/{entry_id}.fhir.json"


def entry_url(entry_id: str) -> str:
    """The entry page's address within the site, as readers see it."""
    return f"evidence/{entry_id}/"


def relative(from_path: str, to_path: str) -> str:
    """The link from one page's Markdown file to another's, as MkDocs resolves it."""
    here, there = from_path.split("/")[:-1], to_path.split("/")
    if not {"", ".", ".."}.isdisjoint(here + there):
        return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
    # As relpath, without asking the file system where "." is: the home page lists 10,000
    # entries, and the tag pages as many again.
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


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
    sources: tuple[Listed, ...]


def pages(
    checked: Checked, *, drafts: bool = False, changes: list[Change] | None = None
) -> list[Page]:
    """Every page of the site, in a fixed order: entries, tags, permissions, changes, the home
    page. Draft entries are left out, unless `drafts` (for a preview on an author's own machine);
    the page of `changes` is made only for a preview of a pull request."""
    site = published(checked.site, drafts=drafts)
    withdrawn = checked.licensing.withdrawn
    found = [
        entry_page(
            source,
            checked.site.licenses,
            checked.settings,
            withdrawn=frozenset(i for entry_id, i in withdrawn if entry_id == source.entry.id),
            review_due=source.entry.id in checked.rules.review_due,
        )
        for source in site.entries
    ]
    quoted = [licensing.Quoted.of(use) for use in checked.licensing.uses]
    entries = [Facts.of(source) for source in site.entries]
    return found + listings(entries, checked.site.licenses, quoted, changes)


def listings(
    entries: Sequence[Facts],
    licenses: LicenseRegistry,
    quoted: Iterable[licensing.Quoted],
    changes: list[Change] | None = None,
) -> list[Page]:
    """The pages that list entries, from the published `entries` in the order of their ids
    (their own pages are made by `entry_page`): tags, permissions, changes, the home page."""
    links: dict[str, TagLink] = {}
    rows = {
        facts.id: Listed(
            facts.id,
            facts.question,
            facts.last_reviewed,
            tuple(links.setdefault(name, TagLink.named(name)) for name in facts.tags),
        )
        for facts in entries
    }
    tags = _tags(entries, rows)
    listing = sorted(rows.values(), key=lambda row: row.question.casefold())
    order = {row.id: place for place, row in enumerate(listing)}
    pages = [
        Page(
            tag.path,
            f"Tagged “{tag.name}”",
            "tag.md.jinja",
            {"tag": tag, "sources": sorted(tag.sources, key=lambda row: order[row.id])},
            listing=True,
        )
        for tag in tags
    ]
    pages.append(Page(TAGS_INDEX, "Tags", "tags.md.jinja", {"tags": tags}, listing=True))
    pages.append(
        Page(
            PERMISSIONS,
            "Sources and permissions",
            "permissions.md.jinja",
            {"licensors": _licensors(entries, rows, licenses, quoted)},
            listing=True,
        )
    )
    if changes is not None:
        planned = [entry_path(facts.id) for facts in entries] + [page.path for page in pages]
        context = {"rows": change_rows(changes, planned)}
        pages.append(
            Page(CHANGES, "Changes in this preview", "changes.md.jinja", context, listing=True)
        )
    home = {"sources": listing}
    pages.append(Page(HOME, "Clinical questions", "home.md.jinja", home, listing=True))
    for page in pages:
        _guard(page)
    return pages


def _guard(page: Page) -> None:
    # Slugs are checked when content is loaded; this guards the guarantee itself.
    if not SAFE_PATH.fullmatch(page.path):
        raise RuntimeError(f"unsafe page path {page.path!r}")


def entry_page(
    source: Source,
    licenses: LicenseRegistry,
    settings: Settings,
    *,
    withdrawn: frozenset[int],
    review_due: bool,
) -> Page:
    """An entry's own page: made from the entry alone (with the license registry and the
    settings), so that it can be kept while other entries change. Its tags are links only."""
    entry = source.entry
    summary = description(entry)
    page = Page(
        entry_path(entry.id),
        entry.question,
        "entry.md.jinja",
        {
            "entry": entry,
            "tags": [TagLink.named(name) for name in entry.tags],
            "licenses": licenses,
            "withdrawn": withdrawn,
            "review_due": review_due,
            "review_months": settings.review_months,
            "draft": entry.draft,
            "export": export_path(entry.id),
        },
        summary,
        metadata.json_ld(entry, summary),
        tuple(metadata.search_keywords(entry)),
        export=export_path(entry.id),
    )
    _guard(page)
    return page


def published(site: Site, *, drafts: bool = False) -> Site:
    """The site without its draft entries (unless `drafts`)."""
    if drafts:
        return site
    return replace(site, entries=tuple(s for s in site.entries if not s.entry.draft))


def _licensors(
    entries: Sequence[Facts],
    rows: Mapping[str, Listed],
    licenses: LicenseRegistry,
    quoted: Iterable[licensing.Quoted],
) -> list[Licensor]:
    """Every license in the registry, with the published entries that show a quote under it."""
    published = {facts.id for facts in entries if not facts.draft}
    shown: dict[str, dict[str, Listed]] = {}  # license -> entry id -> entry, in order of use
    for use in quoted:
        if use.shown and use.entry_id in published:
            shown.setdefault(use.license_key, {}).setdefault(use.entry_id, rows[use.entry_id])
    return sorted(
        (
            Licensor(key, license, tuple(shown.get(key, {}).values()))
            for key, license in licenses.licenses.items()
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


def _tags(entries: Iterable[Facts], rows: Mapping[str, Listed]) -> list[Tag]:
    """All tags, one page each, with the entries that carry them.

    `load` has already refused tags that cannot have a page or would share one.
    """
    spelling: dict[str, str] = {}
    tagged: dict[str, list[Listed]] = {}
    for facts in entries:
        for name in facts.tags:
            slug = tag_slug(name)
            spelling.setdefault(slug, name)
            tagged.setdefault(slug, []).append(rows[facts.id])
    return sorted(
        (
            Tag(spelling[slug], slug, f"tags/{slug}.md", tuple(found))
            for slug, found in tagged.items()
        ),
        key=lambda tag: (tag.name.casefold(), tag.slug),
    )
