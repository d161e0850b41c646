"""Consistency rules: results and numbers (see `results` and `numbers`), citations, identifiers
and review dates that cannot contradict themselves. Each finding names its rule (see `registry`);
an entry may waive a waivable rule for one of its fields, with a written reason that every check
report lists."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import unquote, urlsplit

from generator.checks import certainty, numbers, placeholder, registry, results
from generator.checks.finding import Finding
from generator.checks.models import Entry, Waiver
from generator.checks.registry import RULES
from generator.checks.site import Site, Source
from generator.content import citation, span
from generator.content.document import Location
from generator.content.problem import Problem
from generator.settings import Settings


@dataclass(frozen=True)
class Waived:
    problem: Problem
    reason: str


@dataclass
class RuleReview:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    waived: list[Waived] = field(default_factory=list)
    review_due: set[str] = field(default_factory=set)
    """Ids of the entries whose pages say their review is due."""


def review(site: Site, settings: Settings) -> RuleReview:
    result = RuleReview()
    for source in site.entries:
        one = review_entry(source, settings)
        result.errors += one.errors
        result.warnings += one.warnings
        result.waived += one.waived
        result.review_due |= one.review_due
    return result


def review_entry(source: Source, settings: Settings) -> RuleReview:
    """The rules of one entry: none looks at another entry."""
    result = RuleReview()
    findings = list(check(source.entry, settings, source.document.text))
    if any(f.rule == "review-due" for f in findings):
        result.review_due.add(source.entry.id)
    used: dict[int, set[str | None]] = {}
    for finding in findings:
        problem = _problem(source, finding)
        waiver = _waiver_for(source.entry.waivers, finding)
        if waiver is not None:
            used.setdefault(id(waiver), set()).add(finding.written)
            result.waived.append(Waived(problem, waiver.reason))
        elif RULES[finding.rule].severity == "warning":
            result.warnings.append(problem)
        else:
            result.errors.append(problem)
    for index, waiver in enumerate(source.entry.waivers):
        for message in _unused(waiver, used.get(id(waiver))):
            finding = Finding("waiver-unused", ("waivers", index), message)
            result.warnings.append(_problem(source, finding))
    return result


def _unused(waiver: Waiver, excused: set[str | None] | None) -> Iterator[str]:
    if excused is None:
        yield f"nothing in {waiver.field} breaks rule {waiver.rule} now: remove the waiver"
        return
    for number in waiver.numbers or []:
        if number not in excused:
            yield (
                f"nothing in {waiver.field} breaks rule {waiver.rule} with {number} now: "
                "remove it from the waiver's numbers"
            )


def check(entry: Entry, settings: Settings, written: str) -> Iterator[Finding]:
    """Every finding of every rule in one entry (written as the text `written`), waived or
    not."""
    yield from placeholder.check(entry, written)
    yield from results.check(entry.results)
    yield from certainty.check(entry.results)
    yield from numbers.check(entry)
    yield from _citations(entry)
    yield from _identifiers(entry)
    yield from _freshness(entry, settings)


def _problem(source: Source, finding: Finding) -> Problem:
    position = None
    if finding.offset is not None and finding.written is not None:
        value = _value_at(source.entry, finding.location)
        position = span.position_in(source.document, finding.location, value, finding.offset)
    return registry.finding(
        source.document,
        finding.location,
        finding.rule,
        finding.message,
        written=finding.written,
        position=position,
    )


def _value_at(entry: Entry, location: Location) -> str:
    value: object = entry
    for part in location:
        value = value[part] if isinstance(part, int) else getattr(value, part)  # type: ignore[index]
    assert isinstance(value, str)
    return value


def _waiver_for(waivers: list[Waiver], finding: Finding) -> Waiver | None:
    for waiver in waivers:
        inside = finding.field.startswith((waiver.field + ".", waiver.field + "["))
        if waiver.rule != finding.rule or not (finding.field == waiver.field or inside):
            continue
        if waiver.numbers is None or finding.written in waiver.numbers:
            return waiver
    return None


# --- citations and identifiers -----------------------------------------------------------------


def _citations(entry: Entry) -> Iterator[Finding]:
    # (number, where, marker as written) in the order the page shows them
    cited: list[tuple[int, Location, str | None]] = []
    for name in ("answer", "results", "quotes", "summary"):
        for index, item in enumerate(getattr(entry, name)):
            if isinstance(item, str):
                cited += [
                    (n, (name, index), m.raw) for m in citation.markers(item) for n in m.numbers
                ]
            else:
                cited.append((item.reference, (name, index, "reference"), None))

    first: dict[int, tuple[Location, str | None]] = {}
    for number, location, marker in cited:
        first.setdefault(number, (location, marker))
    for expected, (number, (location, marker)) in enumerate(first.items(), start=1):
        if number != expected:
            yield Finding(
                "citation-order",
                location,
                f"reference {number} is cited before reference {expected}: number the references "
                "in the order the entry first cites them",
                written=marker,
            )
            break

    external = {(source.url or "").lower() for source in entry.external_sources} | {
        " ".join((source.title or "").casefold().split()) for source in entry.external_sources
    }
    numbers = {number for number, _, _ in cited}
    for index, reference in enumerate(entry.references):
        title = " ".join(reference.title.casefold().split())
        listed = {(reference.url or "").lower() or None, title}
        if index + 1 not in numbers and not listed & external:
            yield Finding(
                "citation-unused",
                ("references", index),
                f"reference {index + 1} is never cited: cite it where the entry relies on it, or "
                "move it to external_sources if it was not used",
            )

    seen: dict[tuple[str, str], int] = {}
    for index, reference in enumerate(entry.references):
        for kind, value in (("doi", (reference.doi or "").lower()), ("pmid", reference.pmid or "")):
            if not value:
                continue
            earlier = seen.setdefault((kind, value), index)
            if earlier != index:
                yield Finding(
                    "citation-duplicate",
                    ("references", index, kind),
                    f"reference {index + 1} has the same {kind.upper()} as reference "
                    f"{earlier + 1}: list each work once",
                )


_DOI_HOSTS = frozenset({"doi.org", "dx.doi.org", "www.doi.org"})


def _identifiers(entry: Entry) -> Iterator[Finding]:
    for index, reference in enumerate(entry.references):
        if not (reference.url and reference.doi):
            continue
        parts = urlsplit(reference.url)
        if parts.hostname in _DOI_HOSTS:
            named = unquote(parts.path.lstrip("/"))
            if named.lower() != reference.doi.lower():
                yield Finding(
                    "identifier-doi-url",
                    ("references", index, "url"),
                    f"the address names DOI {named}, but the reference's doi is {reference.doi}",
                )


# --- freshness ---------------------------------------------------------------------------------


def _freshness(entry: Entry, settings: Settings) -> Iterator[Finding]:
    reviewed = entry.last_reviewed
    if reviewed > settings.as_of:
        yield Finding(
            "review-in-future",
            ("last_reviewed",),
            f"the entry cannot have been reviewed on {reviewed}: that is after {settings.as_of}",
        )
    elif _months_later(reviewed, settings.review_months) < settings.as_of:
        yield Finding(
            "review-due",
            ("last_reviewed",),
            f"last reviewed on {reviewed}, more than {settings.review_months} months before "
            f"{settings.as_of}: review the entry and update last_reviewed",
        )


def review_due_on(entry: Entry, settings: Settings) -> date:
    return _months_later(entry.last_reviewed, settings.review_months)


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
