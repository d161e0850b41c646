"""Numbers in text, read as a reader reads them, and the two rules that hold prose and quotes to
the structured results: every number the answer or summary states is a number of the entry's
data or quotes, and every number a licensed quote prints is in the data of its reference.

A number is a token: digits with a decimal point or The Lancet's middle dot (`9·2`), thousands
separated by commas (`1,234`). Digits inside a name are not a number (`Ki-67`, `NETTER-1`,
`177Lu`, `NCT01578239`), and neither are the names the data gives (trial, arm and drug names,
tags), so `CheckMate 067` claims nothing. Doses, schedules and time points written in the data
are known numbers like any other.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from generator.checks import absolute
from generator.checks.finding import Finding
from generator.checks.models import Entry
from generator.checks.quantities import NOT_REACHED, p_bound
from generator.checks.trial import RATIOS, ArmResult, Cohort, Comparison, Outcome, Study
from generator.content import citation

TOKEN = re.compile(
    r"(?:(?<![^\s(\[])(?P<sign>[-−]))?"  # a minus sign after a space or an opening bracket
    r"(?<![\w.,·])(?<![^\W\d_][-‑])"  # not inside a number, a word, or a name like Ki-67
    r"(?:(?P<whole>\d{1,3}(?:[,\u2009\u202f\u00a0]\d{3})+|\d+)(?P<fraction>[.·]\d+)?"
    r"|(?P<bare>[.·]\d+))"  # JAMA's P = .04
    r"(?![^\W_]|[.·]\d|[,\u2009\u202f\u00a0]\d{3})"
)
UNIT = re.compile(
    r"\s?(?:-\s?)?(?:%|percent|percentage points?|patients?|participants?|people|subjects|"
    r"adults?|children|child|women|woman|men|man|infants?|persons?|"
    r"cases|deaths|events|months?|weeks?|years?|days?|hours?|points?|"
    r"mg|g|kg|ml|mmol|µg|mcg|mg/m2|mg/kg|GBq|MBq|mCi|Gy)(?![\w/])|%",
    re.IGNORECASE,
)
DESIGN = re.compile(
    r"\s(?:countries|centres|centers|sites|hospitals|institutions)\b", re.IGNORECASE
)
"""Where a trial was run: a fact of its design, not a result to check."""


class Number(NamedTuple):
    text: str  # as written, e.g. '9·2'
    value: Decimal  # normalised: 9.2
    start: int  # offset in the text it was read from
    unit: str  # what follows it, e.g. ' months', or ''


_SEPARATOR = re.compile(r"[,\u2009\u202f\u00a0]")


def numbers_in(text: str) -> Iterator[Number]:
    # Each entry holds a few hundred numbers, every one read here: hence the plain loop.
    unit_at = UNIT.match
    for match in TOKEN.finditer(text):
        sign, whole, fraction, bare = match.group("sign", "whole", "fraction", "bare")
        if whole is None:
            whole = "0"
        elif not whole.isdigit():  # digits only: no separator to take out
            whole = _SEPARATOR.sub("", whole)
        point = fraction or bare
        if point:
            whole += point.replace("·", ".")
        value = Decimal(whole).normalize()
        if sign:
            value = -value
        unit = unit_at(text, match.end())
        yield Number(match[0], value, match.start(), unit[0] if unit else "")


_PER = re.compile(r"\bper\s$", re.IGNORECASE)


def claims(text: str, names: Iterable[str], *, prose: bool = False) -> Iterator[Number]:
    """The numbers of `text` that state something: not in a name, not a year or a small count,
    not where a trial was run. In `prose`, a number per 1,000 or a number needed to treat is
    an absolute effect (its unit says so)."""
    text = _blank(citation.split(text), names)
    for number in numbers_in(text):
        if number.value == 1000 and _PER.search(text, max(0, number.start - 4), number.start):
            continue  # the denominator of "per 1,000"
        stated = absolute.unit_in(text, number.start, len(number.text)) if prose else None
        if stated is not None:
            unit, fewer = stated
            yield number._replace(unit=unit, value=-number.value if fewer else number.value)
            continue
        integer = "." not in number.text and "·" not in number.text  # 1,962 is no year
        year = 1900 <= number.value <= 2100 and number.text.isdigit()
        if integer and not number.unit and (year or number.value <= 10):
            continue
        if DESIGN.match(text, number.start + len(number.text)):
            continue
        yield number


def _blank(pieces: list[str | citation.Marker], names: Iterable[str]) -> str:
    """The text with its citation markers and the given names blanked, keeping every offset."""
    text = "".join(" " * len(p.raw) if isinstance(p, citation.Marker) else p for p in pieces)
    for pattern in _name_patterns(tuple(names)):
        text = pattern.sub(_spaces, text)
    return text


@functools.lru_cache(maxsize=64)
def _name_patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """What finds each name holding a digit, longest first: made once for all the paragraphs
    of an entry, which share its names."""
    return tuple(
        re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        for name in sorted(set(names), key=len, reverse=True)
        if any(character.isdigit() for character in name)  # ² too, which \d is not
    )


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match[0])


# --- what the data knows ----------------------------------------------------------------------

KINDS_OF_UNIT = (
    (
        "people",
        re.compile(
            r"\s?(?:patients?|participants?|people|subjects|adults?|children|child|women|woman|"
            r"men|man|infants?|persons?|deaths|events|cases)",
            re.IGNORECASE,
        ),
    ),
    ("dose", re.compile(r"\s?(?:mg|g|kg|ml|mmol|µg|mcg|mg/m2|mg/kg|GBq|MBq|mCi|Gy)", re.I)),
    ("time", re.compile(r"\s?(?:-\s?)?(?:months?|weeks?|years?|days?|hours?)", re.IGNORECASE)),
    ("percent", re.compile(r"\s?(?:%|percent|percentage points?)", re.IGNORECASE)),
    ("per 1,000 change", re.compile(r"\s(?:more|fewer)\s(?:\S+\s){0,2}per\s1,?000", re.I)),
    ("per 1,000", re.compile(r"\sper\s1,?000", re.IGNORECASE)),
    ("NNT", re.compile(r" \(NNT\)")),
)
"""What a number's unit says it counts: '203 patients' is a number of people and can only be
one of the data's numbers of people, '10 mg' only one of its doses."""


@functools.lru_cache(maxsize=512)
def kind_of(unit: str) -> str:
    """'people', 'dose', 'percent', or for a time its unit ('time:month'): 8.4 weeks is not a
    median of 8.4 months. Units are few words, asked after hundreds of times an entry."""
    kind = next((kind for kind, pattern in KINDS_OF_UNIT if pattern.fullmatch(unit)), "")
    return f"time:{_time_unit(unit)}" if kind == "time" else kind


def _time_unit(text: str) -> str:
    found = _TIME_UNITS.search(text)
    return found[0].lower().removesuffix("s") if found else ""


@dataclass
class Known:
    """The numbers some results state: all of them, and by the kind of unit they go with."""

    values: Counter[Decimal] = field(default_factory=Counter)
    """Each value, with how many times the results state it."""
    kinds: dict[str, set[Decimal]] = field(default_factory=dict)
    counted: Counter[tuple[str, Decimal]] = field(default_factory=Counter)
    """How many times each value is stated as a number of its kind (95 patients, 95%)."""

    def add(self, value: Decimal, *kinds: str) -> None:
        value = value.normalize()
        self.values[value] += 1
        for kind in kinds:
            self.kinds.setdefault(kind, set()).add(value)
            self.counted[kind, value] += 1

    def times(self, number: Number) -> int:
        kind = kind_of(number.unit)
        if kind.startswith("time:"):
            return self.counted[kind, number.value] + self.counted["time:", number.value]
        return self.counted[kind, number.value] if kind else self.values[number.value]

    def add_text(self, text: str, *kinds: str) -> None:
        for number in numbers_in(text):
            self.add(number.value, *(kinds or [kind_of(number.unit)]))

    def __contains__(self, number: Number) -> bool:
        kind = kind_of(number.unit)
        if kind.startswith("time:"):  # or a time whose unit the data does not give
            return number.value in self.kinds.get(kind, set()) | self.kinds.get("time:", set())
        if kind:
            return number.value in self.kinds.get(kind, set())
        return number.value in self.values or number.value in self.kinds.get("implied", set())

    def __or__(self, other: Known) -> Known:
        union = Known(self.values + other.values, counted=self.counted + other.counted)
        for kind in {*self.kinds, *other.kinds}:
            union.kinds[kind] = self.kinds.get(kind, set()) | other.kinds.get(kind, set())
        return union


def names_in(results: list[Study], tags: list[str]) -> list[str]:
    found = list(tags)
    for study in results:
        found.append(study.trial)
        for cohort in study.cohorts:
            for arm in cohort.arms:
                found.append(arm.name)
                found.extend(drug.drug for drug in arm.regimen)
    return found


_TIME_UNITS = re.compile(r"(?:months?|weeks?|years?|days?|hours?)", re.IGNORECASE)


def known(results: list[Study]) -> Known:
    """Every number the structured results state, as a field or inside a text field (a dose,
    a schedule, a time point), and what their ratios and rates imply (the 52% reduction of a
    hazard ratio of 0.48, the difference between two rates)."""
    found = Known()
    for study in results:
        found.add_text(study.trial)
        for cohort in study.cohorts:
            found.add(Decimal(cohort.patients), "people")
            found.add_text(cohort.population)
            for arm in cohort.arms:
                found.add_text(arm.name)
                if arm.patients is not None:
                    found.add(Decimal(arm.patients), "people")
                for drug in arm.regimen:
                    found.add_text(drug.drug)
                    if drug.dose:
                        found.add_text(drug.dose, "dose")
                    if drug.schedule:
                        found.add_text(drug.schedule)  # "every 4 weeks": times by their unit
            for outcome in cohort.outcomes:
                _outcome(found, outcome)
                _absolute(found, cohort, outcome)
    return found


def _absolute(found: Known, cohort: Cohort, outcome: Outcome) -> None:
    """Computed, as prose may state them; a limit said without its unit ('312 fewer to 103
    fewer') is a number of the results too."""
    for kind, value in absolute.stated(cohort, outcome):
        if kind == "per 1,000":
            found.add(value, kind)
        else:
            found.kinds.setdefault(kind, set()).add(value)


def _outcome(found: Known, outcome: Outcome) -> None:
    found.add_text(outcome.endpoint)
    if outcome.time_point:  # "month 20" or "24 months"
        found.add_text(outcome.time_point, f"time:{_time_unit(outcome.time_point)}")
    kinds = _kinds(outcome)
    for result in outcome.arms:
        for name in ("median", "mean", "sd", "percent", "ci_lower", "ci_upper"):
            value = getattr(result, name)
            if value is not None and value != NOT_REACHED:
                found.add(Decimal(value), *kinds)
        for count in (result.events, result.total):
            if count is not None:
                found.add(Decimal(count), "people")
        if result.ci_lower is not None:
            found.add(result.ci_level, "percent")
    for comparison in outcome.comparisons:
        _comparison(found, comparison, outcome.arms, kinds)
        for text in (comparison.description, comparison.test):
            if text:
                found.add_text(text)


def _kinds(outcome: Outcome) -> list[str]:
    """What the arms' figures of an outcome are: by its unit (months, %, kg), else a time for
    a time to event (even while its unit is missing) and a percentage for a rate."""
    kind = kind_of(f" {outcome.unit}") if outcome.unit else ""
    if not kind and outcome.kind == "time to event":
        kind = "time:"
    if not kind and outcome.kind in ("rate", "response"):
        kind = "percent"
    return [kind] if kind else []


def _comparison(
    found: Known, comparison: Comparison, arms: list[ArmResult], kinds: list[str]
) -> None:
    limits = [v for v in (comparison.estimate, comparison.ci_lower, comparison.ci_upper)
              if v is not None]  # fmt: skip
    difference = comparison.measure in ("risk difference", "mean difference")
    for limit in limits:  # a difference is in the unit of the figures it compares
        found.add(limit, *(kinds if difference else []))
    if comparison.ci_lower is not None:
        found.add(comparison.ci_level, "percent")
    if comparison.p_value is not None:
        found.add(p_bound(comparison.p_value)[1])
    implied = Known()  # said in words, never printed as such: not counted against quotes
    if comparison.measure in RATIOS and comparison.estimate is not None:
        # "a 52% reduction" for a hazard ratio of 0.48; never from a CI limit, which would let
        # a wrong reduction pass. A difference keeps its sign: "1.4 points lower" must be -1.4.
        implied.add((1 - comparison.estimate) * 100, "percent")
    by_arm = {result.arm: result for result in arms}
    mine, theirs = by_arm.get(comparison.experimental), by_arm.get(comparison.control)
    if mine and theirs and mine.percent is not None and theirs.percent is not None:
        implied.add(abs(mine.percent - theirs.percent), "percent")  # "54.4 percentage points"
    for kind, values in implied.kinds.items():  # only with the unit that says what they are
        found.kinds.setdefault(kind or "implied", set()).update(values)


# --- the rules --------------------------------------------------------------------------------


def check(entry: Entry) -> Iterator[Finding]:
    names = names_in(entry.results, entry.tags)
    by_reference: dict[int, Known] = {}
    for study in entry.results:
        found, before = known([study]), by_reference.get(study.reference)
        by_reference[study.reference] = found if before is None else before | found
    quoted: dict[int, Known] = {}  # every quote of a reference, for the prose
    for q, quote in enumerate(entry.quotes):
        data = by_reference.get(quote.reference)
        said = Known()  # this quote alone: two quotes may each print the same result
        for p, paragraph in enumerate(quote.text):
            for number in claims(paragraph, names):
                kind = kind_of(number.unit)
                said.add(number.value, *([kind] if kind else []))
                quoted.setdefault(quote.reference, Known()).add(number.value, kind)
                problem = data is not None and _disagrees(number, data, said, quote.reference)
                if problem:
                    yield Finding(
                        "quote-numbers",
                        ("quotes", q, "text", p),
                        f"the quote says {_shown(number)}{problem}: correct the results, or "
                        "add the result the quote reports",
                        written=number.text,
                        offset=number.start,
                    )
    unions: dict[tuple[int, ...], tuple[Known, Known]] = {}  # per set of cited references
    for name in ("answer", "summary"):
        for index, paragraph in enumerate(getattr(entry, name)):
            told = list(claims(paragraph, names, prose=True))  # read once, held by stretch
            for start, end, cited in citation.segments(paragraph):
                scoped = [n for n in cited if n in by_reference or n in quoted]
                refs = tuple(scoped or sorted({*by_reference, *quoted}))
                if refs not in unions:
                    unions[refs] = _union(by_reference, refs), _union(quoted, refs)
                data, said = unions[refs]
                # Prose may tell a number as often as it likes (unlike a quote, which is held
                # to the count of its results): repeating a result is good writing.
                for number in told:
                    if not start <= number.start < end or number in data or number in said:
                        continue
                    where = _references(cited) if scoped else "this entry's results or quotes"
                    rule, told_wrong = (
                        "prose-numbers",
                        (
                            f"'{_shown(number)}' is not in {where}: check the number, or add the "
                            "result it comes from"
                        ),
                    )
                    kind = kind_of(number.unit)
                    if kind in absolute.KINDS and data.kinds.get(kind):
                        rule, told_wrong = (
                            "prose-absolute",
                            (
                                f"'{_shown(number)}' is not an absolute effect computed from "
                                f"{where.replace('the results or quotes', 'the results')} (the "
                                "summary of findings shows them): write the computed number"
                            ),
                        )
                    yield Finding(
                        rule, (name, index), told_wrong, written=number.text, offset=number.start
                    )


def _union(known_by_reference: dict[int, Known], references: Iterable[int]) -> Known:
    """What the given references know together: for one reference, what it knows itself
    (only read from here on), not a copy."""
    found = [known_by_reference[r] for r in references if r in known_by_reference]
    if len(found) == 1:
        return found[0]
    union = Known()
    for known_here in found:
        union = union | known_here
    return union


def _disagrees(number: Number, data: Known, said: Known, reference: int) -> str:
    """What is wrong with a number a quote prints, if anything: not in the results of its
    reference, or printed more often than they state it (two P<0.001 against one)."""
    if number not in data:
        return f", which none of the results of reference {reference} say"
    times, stated = said.times(number), data.times(number)
    if times > stated:
        return (
            f" {times} times, and the results of reference {reference} state "
            f"{_shown(number)} only {stated} time{'s' if stated != 1 else ''}"
        )
    return ""


def _references(cited: list[int]) -> str:
    numbered = ", ".join(str(n) for n in cited)
    return f"the results or quotes of reference{'s' if len(cited) > 1 else ''} {numbered}"


def _shown(number: Number) -> str:
    return (number.text + number.unit).strip()
