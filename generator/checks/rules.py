"""Consistency rules: numbers, citations, identifiers and review dates that cannot contradict
themselves. Each finding names its rule (see `registry`); an entry may waive a waivable rule for
one of its fields, with a written reason that every check report lists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import unquote, urlsplit

from generator.checks import registry
from generator.checks.fields import NOT_REACHED
from generator.checks.models import Arm, Cohort, Entry, Waiver
from generator.checks.registry import RULES
from generator.checks.site import Site, Source
from generator.content import citation
from generator.content.document import Location, field_path
from generator.content.problem import Problem
from generator.settings import Settings


@dataclass(frozen=True)
class Finding:
    rule: str
    location: Location
    message: str
    written: str | None = None  # the text inside a long value the finding is about

    @property
    def field(self) -> str:
        return field_path(self.location)


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
        findings = list(check(source.entry, settings))
        if any(f.rule == "review-due" for f in findings):
            result.review_due.add(source.entry.id)
        used: set[int] = set()
        for finding in findings:
            problem = _problem(source, finding)
            waiver = _waiver_for(source.entry.waivers, finding)
            if waiver is not None:
                used.add(id(waiver))
                result.waived.append(Waived(problem, waiver.reason))
            elif RULES[finding.rule].severity == "warning":
                result.warnings.append(problem)
            else:
                result.errors.append(problem)
        for index, waiver in enumerate(source.entry.waivers):
            if id(waiver) not in used:
                result.warnings.append(
                    _problem(
                        source,
                        Finding(
                            "waiver-unused",
                            ("waivers", index),
                            f"nothing in {waiver.field} breaks rule {waiver.rule} now: "
                            "remove the waiver",
                        ),
                    )
                )
    return result


def check(entry: Entry, settings: Settings) -> Iterator[Finding]:
    """Every finding of every rule in one entry, waived or not."""
    yield from _results(entry)
    yield from _prose_numbers(entry)
    yield from _citations(entry)
    yield from _identifiers(entry)
    yield from _freshness(entry, settings)


def _problem(source: Source, finding: Finding) -> Problem:
    return registry.finding(
        source.document, finding.location, finding.rule, finding.message, written=finding.written
    )


def _waiver_for(waivers: list[Waiver], finding: Finding) -> Waiver | None:
    for waiver in waivers:
        inside = finding.field.startswith((waiver.field + ".", waiver.field + "["))
        if waiver.rule == finding.rule and (finding.field == waiver.field or inside):
            return waiver
    return None


# --- results -----------------------------------------------------------------------------------


def _results(entry: Entry) -> Iterator[Finding]:
    for s, study in enumerate(entry.results):
        for c, cohort in enumerate(study.cohorts):
            here: Location = ("results", s, "cohorts", c)
            yield from _arm_counts(cohort, here)
            if cohort.effect is not None:
                yield from _effect(cohort, here)


def _arm_counts(cohort: Cohort, here: Location) -> Iterator[Finding]:
    counts = [arm.patients for arm in cohort.arms if arm.patients is not None]
    if not counts:
        return
    total = sum(counts)
    if len(counts) == len(cohort.arms) and total != cohort.patients:
        yield Finding(
            "results-arm-counts",
            (*here, "patients"),
            f"the arms hold {total} patients ({' + '.join(map(str, counts))}), the cohort "
            f"{cohort.patients}",
        )
    elif len(counts) < len(cohort.arms) and total >= cohort.patients:
        yield Finding(
            "results-arm-counts",
            (*here, "patients"),
            f"the arms that give counts already hold {total} patients; the cohort has "
            f"{cohort.patients}",
        )


def _effect(cohort: Cohort, here: Location) -> Iterator[Finding]:
    effect = cohort.effect
    assert effect is not None
    at = (*here, "effect")
    bounds = (("estimate", effect.estimate), ("ci_lower", effect.ci_lower),
              ("ci_upper", effect.ci_upper))  # fmt: skip
    not_positive = [(name, value) for name, value in bounds if value <= 0]
    if not_positive:
        name, value = not_positive[0]
        yield Finding(
            "results-ratio-positive",
            (*at, name),
            f"a {effect.measure} is greater than 0, and so are its confidence limits; "
            f"{name} is {value}",
        )
        return  # nothing else about this effect can be judged
    if effect.ci_lower >= effect.ci_upper:
        yield Finding(
            "results-ci-order",
            (*at, "ci_lower"),
            f"the confidence interval runs from {effect.ci_lower} to {effect.ci_upper}: its "
            "lower limit must be below its upper limit",
        )
    elif not effect.ci_lower <= effect.estimate <= effect.ci_upper:
        yield Finding(
            "results-estimate-in-ci",
            (*at, "estimate"),
            f"the estimate {effect.estimate} lies outside its {effect.ci_level}% confidence "
            f"interval, {effect.ci_lower} to {effect.ci_upper}",
        )
    if effect.measure == "hazard ratio":
        yield from _direction(cohort, at)
    if cohort.p_value is not None and effect.ci_level == 95:
        yield from _p_value(cohort, here)


def _median(arm: Arm) -> Decimal:
    return Decimal("Infinity") if arm.median == NOT_REACHED else Decimal(arm.median)


def _direction(cohort: Cohort, at: Location) -> Iterator[Finding]:
    effect = cohort.effect
    assert effect is not None
    arms = {arm.name: arm for arm in cohort.arms}
    experimental, control = arms.get(effect.experimental), arms.get(effect.control)
    if experimental is None or control is None or experimental.unit != control.unit:
        return
    if _median(experimental) == _median(control) or effect.estimate == 1:
        return  # equal medians (or both not reached), or no difference to explain
    longer = _median(experimental) - _median(control)
    if (effect.estimate < 1) != (longer > 0):
        more, fewer = ("fewer", "shorter") if effect.estimate < 1 else ("more", "longer")
        yield Finding(
            "results-direction",
            at,
            f"a hazard ratio of {effect.estimate} means {more} events on {experimental.name} than "
            f"on {control.name}, yet {experimental.name} has the {fewer} median "
            f"({_median_text(experimental)} vs {_median_text(control)}): check the values, and "
            "which arm is experimental",
        )


def _median_text(arm: Arm) -> str:
    return NOT_REACHED if arm.median == NOT_REACHED else f"{arm.median} {arm.unit}"


def _p_value(cohort: Cohort, here: Location) -> Iterator[Finding]:
    effect = cohort.effect
    assert effect is not None
    assert cohort.p_value is not None
    operator = cohort.p_value[0] if cohort.p_value[0] in "<>≤≥=" else "="
    bound, threshold = Decimal(cohort.p_value.lstrip("<>≤≥= ")), Decimal("0.05")
    if operator == "=":
        significant = bound < threshold
    elif operator in "<≤" and (bound < threshold or (operator == "<" and bound == threshold)):
        significant = True
    elif operator in ">≥" and bound >= threshold:
        significant = False
    else:
        return  # a bound such as <0.2 says nothing about 0.05
    excludes_one = effect.ci_lower > 1 or effect.ci_upper < 1
    if significant != excludes_one:
        yield Finding(
            "results-p-value",
            (*here, "p_value"),
            f"P {cohort.p_value} says the difference is "
            f"{'' if significant else 'not '}significant at 0.05, but the 95% confidence "
            f"interval {effect.ci_lower} to {effect.ci_upper} "
            f"{'excludes' if excludes_one else 'includes'} 1",
        )


# --- numbers in prose --------------------------------------------------------------------------

_PROSE_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?!\w|\.\d)")
_ANY_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_UNIT = re.compile(
    r"\s?(?:-\s?)?(?:%|percent|patients?|participants?|people|subjects|cases|deaths|events|"
    r"months?|weeks?|years?|days?|hours?|mg|g|kg|ml|mmol|µg|mcg)\b|%",
    re.IGNORECASE,
)


def _prose_numbers(entry: Entry) -> Iterator[Finding]:
    known = _numbers_in_data(entry)
    for name in ("answer", "summary"):
        for index, paragraph in enumerate(getattr(entry, name)):
            text = _without_markers(paragraph)
            for match in _PROSE_NUMBER.finditer(text):
                number = Decimal(match.group(1).replace(",", "") + (match.group(2) or ""))
                unit = _UNIT.match(text, match.end())
                is_year = match.group(2) is None and 1900 <= number <= 2100 and not unit
                is_small_count = match.group(2) is None and number <= 10 and not unit
                if is_year or is_small_count or number.normalize() in known:
                    continue
                shown = match.group(0) + (unit.group(0) if unit else "")
                yield Finding(
                    "prose-numbers",
                    (name, index),
                    f"'{shown.strip()}' is not in this entry's results or quotes: check the "
                    "number, or add the result it comes from",
                    written=match.group(0),
                )


def _without_markers(paragraph: str) -> str:
    """The paragraph with its citation markers blanked out (keeping every offset)."""
    pieces = citation.split(paragraph)
    return "".join(" " * len(p.raw) if isinstance(p, citation.Marker) else p for p in pieces)


def _numbers_in_data(entry: Entry) -> set[Decimal]:
    numbers: set[Decimal] = set()
    for study in entry.results:
        for cohort in study.cohorts:
            numbers.add(Decimal(cohort.patients))
            for arm in cohort.arms:
                if arm.patients is not None:
                    numbers.add(Decimal(arm.patients))
                if arm.median != NOT_REACHED:
                    numbers.add(Decimal(arm.median))
            if cohort.effect is not None:
                effect = cohort.effect
                numbers.update((effect.estimate, effect.ci_lower, effect.ci_upper, effect.ci_level))
            if cohort.p_value is not None:
                numbers.add(Decimal(cohort.p_value.lstrip("<>≤≥= ")))
    for quote in entry.quotes:
        for paragraph in quote.text:
            numbers.update(Decimal(n) for n in _ANY_NUMBER.findall(paragraph.replace(",", "")))
    return {number.normalize() for number in numbers}


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
