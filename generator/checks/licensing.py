"""Licensed quotes: whether each quote may be shown, as of a date, under its license's terms.

Every build runs this review: a quote is never shown outside its license's dates, over its word
limits, without the link its license requires, or with text that differs from the text that was
checked against the source (its fingerprint).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from generator.checks import registry
from generator.checks.models import License, LicenseRegistry, Quote, Reference
from generator.checks.site import Place, Site, Source, identifiers
from generator.content.problem import Position, Problem
from generator.settings import Settings

Status = Literal["active", "expiring", "last day", "expired", "not yet valid", "withdrawn"]

WITHDRAWN_NOTICE = "The quoted passage is no longer available here; see reference"


@dataclass(frozen=True)
class Use:
    """One quote on the site and what its license says about it."""

    source: Source
    index: int
    license_key: str
    license: License
    words: int
    status: Status

    @property
    def quote(self) -> Quote:
        return self.source.entry.quotes[self.index]

    @property
    def reference(self) -> Reference:
        return self.source.entry.references[self.quote.reference - 1]

    @property
    def shown(self) -> bool:
        return self.status in ("active", "expiring")


@dataclass
class LicenseReview:
    uses: list[Use] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def withdrawn(self) -> frozenset[tuple[str, int]]:
        """(entry id, quote index) of every quote replaced by the withdrawal notice."""
        return frozenset(
            (use.source.entry.id, use.index) for use in self.uses if use.status == "withdrawn"
        )


def words(paragraphs: list[str]) -> int:
    """Words as a word processor counts them: runs of non-space holding a letter or digit."""
    return sum(1 for token in " ".join(paragraphs).split() if re.search(r"\w", token))


def fingerprint(paragraphs: list[str]) -> str:
    """SHA-256 of the text with Unicode composed and white space evened out, so that folding
    YAML lines differently keeps it, while any change to a character changes it."""
    text = "\n".join(" ".join(unicodedata.normalize("NFC", p).split()) for p in paragraphs)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


class Articles:
    """What 'one source article' means for a per-article word limit, over the whole site: two
    references sharing any identifier (DOI, PMID or PMCID) name one article, also when each gives
    only some of them, and also when only a third reference shows that they are the same.
    Otherwise citing an article by its PMID in one entry and by its DOI in another would start
    a second count of its words."""

    def __init__(self, references: Iterable[Sequence[str]]) -> None:
        """`references`: the identifiers of every reference (see `identifiers`)."""
        self._parent: dict[str, str] = {}
        for found in references:
            for other in found[1:]:
                self._parent[self._root(other)] = self._root(found[0])

    def _root(self, identifier: str) -> str:
        while self._parent.setdefault(identifier, identifier) != identifier:
            identifier = self._parent[identifier]
        return identifier

    def key(self, identifiers: Sequence[str], title: str) -> str:
        """The same text for every reference to one article; a reference without any identifier
        is known by its title alone."""
        if identifiers:
            return self._root(identifiers[0])
        return "title:" + _same(title)


def label(reference: Reference) -> str:
    """An article as the reference names it, for messages: its DOI as written, else its PMID,
    else its PMCID, else its title."""
    if reference.doi:
        return reference.doi
    if reference.pmid:
        return f"PMID {reference.pmid}"
    if reference.pmcid:
        return f"PMCID {reference.pmcid}"
    return reference.title


def status(license: License, settings: Settings) -> Status:
    """Whether a quote may be on pages built as of `settings.as_of`. A license covers the days
    from `valid_from` to `valid_until`, both included. But pages built on a day stay online into
    the next, until the next daily build replaces them, so they may show a quote only if its
    license covers that next day too: on the license's last day its quote comes off."""
    if license.valid_from and settings.as_of < license.valid_from:
        return "not yet valid"
    if license.valid_until:
        if settings.as_of > license.valid_until:
            return "expired"
        if settings.as_of == license.valid_until:
            return "last day"
        if (license.valid_until - settings.as_of).days <= settings.warning_days:
            return "expiring"
    return "active"


@dataclass(frozen=True)
class Quoted:
    """What the word limits per article need to know of one quote, kept between builds."""

    entry_id: str
    draft: bool
    index: int
    license_key: str
    words_per_article: int | None
    words: int
    shown: bool
    identifiers: tuple[str, ...]
    """Of the article its reference names (see `identifiers`)."""
    title: str
    label: str
    """The article as its reference names it (see `label`)."""
    doi: bool
    place: Place

    @classmethod
    def of(cls, use: Use) -> Quoted:
        reference = use.reference
        return cls(
            use.source.entry.id,
            use.source.entry.draft,
            use.index,
            use.license_key,
            use.license.words_per_article,
            use.words,
            use.shown,
            tuple(identifiers(reference)),
            reference.title,
            label(reference),
            bool(reference.doi),
            Place.of(use.source.document, ("quotes", use.index)),
        )


def review(site: Site, settings: Settings) -> LicenseReview:
    result = LicenseReview()
    for source in site.entries:
        one = review_entry(source, site.licenses, settings)
        result.uses += one.uses
        result.errors += one.errors
        result.warnings += one.warnings
    references = (identifiers(r) for source in site.entries for r in source.entry.references)
    result.errors += check_articles(map(Quoted.of, result.uses), references)
    return result


def review_entry(source: Source, licenses: LicenseRegistry, settings: Settings) -> LicenseReview:
    """The quotes of one entry, each on its own: its license's dates and limits, its link and its
    fingerprint. The limits per article look across entries (`check_articles`)."""
    result = LicenseReview()
    for index in range(len(source.entry.quotes)):
        result.uses.append(_review_quote(source, index, licenses, settings, result))
    return result


def _review_quote(
    source: Source,
    index: int,
    licenses: LicenseRegistry,
    settings: Settings,
    result: LicenseReview,
) -> Use:
    quote = source.entry.quotes[index]
    license = licenses.licenses[quote.license]
    key, reference = quote.license, source.entry.references[quote.reference - 1]
    here = ("quotes", index)

    def problem(
        location: tuple[str | int, ...], message: str, rule: str, *, warning: bool = False
    ) -> None:
        found = registry.finding(source.document, location, rule, message, warning=warning)
        (result.warnings if warning else result.errors).append(found)

    state = status(license, settings)
    if state in ("expired", "last day", "not yet valid"):
        when = {
            "not yet valid": f"starts on {license.valid_from}",
            "expired": f"ended on {license.valid_until}",
            "last day": f"ends on {license.valid_until}, and pages built that day stay online "
            "until the next day's build",
        }[state]
        if settings.policy == "withdraw":
            problem(
                here,
                f"license '{key}' ({license.licensor}) {when}: the quote is withdrawn from the "
                f"page as of {settings.as_of}",
                "license-period",
                warning=True,
            )
            state = "withdrawn"
        else:
            problem(
                here,
                f"license '{key}' ({license.licensor}) {when}; as of {settings.as_of} this quote "
                "may not be shown: renew the license or remove the quote",
                "license-period",
            )
    elif state == "expiring":
        assert license.valid_until is not None
        days = (license.valid_until - settings.as_of).days
        problem(
            here,
            f"license '{key}' ({license.licensor}) ends on {license.valid_until}, in {days} "
            f"day{'s' if days != 1 else ''}: renew it, or the quote must come off the site",
            "license-expiring",
            warning=True,
        )

    count = words(quote.text)
    if license.words_per_quote and count > license.words_per_quote:
        problem(
            (*here, "text"),
            f"the quote has {count} words; license '{key}' allows {license.words_per_quote} "
            "per quote",
            "license-words-per-quote",
        )
    if license.link_required and not (reference.doi or reference.url or reference.pmid):
        problem(
            (*here, "reference"),
            f"license '{key}' requires a link to the source, but reference {quote.reference} "
            "has no DOI, PMID or URL",
            "license-link",
        )
    if quote.fingerprint is None:
        problem(
            here,
            "this quote has no fingerprint: check its text against the source, then run "
            f"python -m generator fingerprint {source.path}",
            "quote-fingerprint",
        )
    elif quote.fingerprint != fingerprint(quote.text):
        problem(
            (*here, "text"),
            "the text differs from the text that was checked against the source (its "
            "fingerprint does not match): restore it, or re-check it and run "
            f"python -m generator fingerprint {source.path} --quote {index}",
            "quote-fingerprint",
        )
    return Use(source, index, key, license, count, state)


def check_articles(quoted: Iterable[Quoted], references: Iterable[Sequence[str]]) -> list[Problem]:
    """All quotes shown from one article under one license, added up over the whole site.
    `references`: the identifiers of every reference of every entry, which tell which articles
    are one (see `Articles`)."""
    return list(_over_limits(tuple(quoted), tuple(tuple(found) for found in references)))


# A preview server asks again at every save, mostly of the same quotes: remembered.
@functools.lru_cache(maxsize=2)
def _over_limits(
    quoted: tuple[Quoted, ...], references: tuple[tuple[str, ...], ...]
) -> tuple[Problem, ...]:
    articles = Articles(references)
    groups: dict[tuple[str, str], list[Quoted]] = {}
    for use in quoted:
        if use.shown and use.words_per_article and not use.draft:
            article = articles.key(use.identifiers, use.title)
            groups.setdefault((use.license_key, article), []).append(use)
    found = []
    for (key, _article), uses in groups.items():
        limit = uses[0].words_per_article
        total = sum(use.words for use in uses)
        assert limit is not None
        if total <= limit:
            continue
        entries = sorted({use.entry_id for use in uses})
        # Named as its references name it, so that each author finds the one they wrote.
        main = next((use.label for use in uses if use.doi), uses[0].label)
        others: dict[str, str] = {}
        for use in uses:
            if _same(use.label) != _same(main):
                others.setdefault(_same(use.label), use.label)
        also = f" (also cited as {', '.join(others.values())})" if others else ""
        article_name = main + also
        for use in uses:
            message = (
                f"quotes from {article_name} add up to {total} words in "
                f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} "
                f"({', '.join(entries)}); license '{key}' allows {limit} per article"
            )
            found.append(registry.finding_at(use.place, "license-words-per-article", message))
    return tuple(found)


def _same(name: str) -> str:
    """A name as compared: DOIs and titles differing only in case or spacing name one article."""
    return " ".join(name.casefold().split())


def credit_problem(where: str, message: str) -> Problem:
    """A template that shows a quote without what its license asks for (see `pages.credits`):
    the rule is the licensing's, though only the rendered pages can show it broken."""
    return Problem(where, Position(1, 1), None, message, "license-credit")
