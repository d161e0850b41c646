"""Which pages the site has, decided as plain data before anything is rendered.

Page paths, tag slugs and the links between pages are decided here and nowhere else.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.load import Site, Source
from generator.problem import ContentError, Problem

HOME = "index.md"
TAGS_INDEX = "tags/index.md"
GENERATED_FOLDERS = ("evidence/", "tags/")
"""Hand-written pages may not live here: these folders belong to the generator."""


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


def is_reserved(src_uri: str, generated: Mapping[str, str]) -> bool:
    """Whether a hand-written page sits where the generator puts its own pages."""
    return src_uri in generated or src_uri.startswith(GENERATED_FOLDERS)


def entry_path(entry_id: str) -> str:
    return f"evidence/{entry_id}.md"


def tag_slug(name: str) -> str:
    """'Neuroendocrine tumors' -> 'neuroendocrine-tumors'; '' when nothing URL-safe is left."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def relative(from_path: str, to_path: str) -> str:
    """The link from one page's Markdown file to another's, as MkDocs resolves it."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def plan(site: Site) -> list[Page]:
    """Every page of the site, in a fixed order: entries, then tags, then the home page."""
    tags, tags_of = _tags(site)
    pages = [
        Page(
            entry_path(source.entry.id),
            source.entry.question,
            "entry.md.jinja",
            {"entry": source.entry, "tags": tags_of[source.entry.id], "licenses": site.licenses},
        )
        for source in site.entries
    ]
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
            )
        )
    pages.append(Page(TAGS_INDEX, "Tags", "tags.md.jinja", {"tags": tags}))
    pages.append(
        Page(HOME, "Clinical questions", "home.md.jinja", {"sources": listing, "tags_of": tags_of})
    )
    return pages


def _tags(site: Site) -> tuple[list[Tag], dict[str, list[Tag]]]:
    """All tags, one per slug, and each entry's tags; two spellings of one slug are an error."""
    spelling: dict[str, tuple[str, Source]] = {}
    tagged: dict[str, list[Source]] = {}
    problems: list[Problem] = []
    for source in site.entries:
        seen: set[str] = set()
        for index, name in enumerate(source.entry.tags):
            slug = tag_slug(name)
            problem = None
            if not slug:
                problem = f"tag {name!r} needs at least one Latin letter or digit"
            elif slug == "index":
                problem = "'index' is reserved; choose another tag"
            elif slug in seen:
                problem = f"tag {name!r} is listed twice"
            elif slug in spelling and spelling[slug][0] != name:
                first, where = spelling[slug]
                problem = (
                    f"tag {name!r} would share a page with {first!r} (used in {where.path}); "
                    "spell them the same"
                )
            if problem:
                problems.append(source.document.problem(("tags", index), problem))
                continue
            seen.add(slug)
            spelling.setdefault(slug, (name, source))
            tagged.setdefault(slug, []).append(source)
    if problems:
        raise ContentError(problems)
    tags = sorted(
        (
            Tag(spelling[slug][0], slug, f"tags/{slug}.md", tuple(sources))
            for slug, sources in tagged.items()
        ),
        key=lambda tag: (tag.name.casefold(), tag.slug),
    )
    by_slug = {tag.slug: tag for tag in tags}
    tags_of = {  # in the order each author listed them
        source.entry.id: [by_slug[tag_slug(name)] for name in source.entry.tags]
        for source in site.entries
    }
    return tags, tags_of
