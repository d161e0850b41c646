"""The field types of the content schema (see `models`): text, numbers, dates, identifiers and
links, each with its JSON Schema and its message for authors.

The loader hands every YAML scalar over as the string the author wrote, so each type below parses
that string itself: `8.40` stays `Decimal("8.40")`, a PMID keeps its digits, `NO` stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, TypedDict
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
)

from generator.checks.registry import broken


class Context(TypedDict, total=False):
    """What validating one entry may know beyond the entry: checks that need it run only with it."""

    licenses: frozenset[str]
    reference_count: int
    entry_id: str
    file_stem: str


def context_of(info: ValidationInfo) -> Context:
    return info.context if isinstance(info.context, dict) else {}  # type: ignore[return-value]


def shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError(f"expected text, got {type(value).__name__}")
    return str(value)


# --- text -------------------------------------------------------------------------------------


MAX_TAGS = 12
"""Tags per entry. Each tag page lists its entries with all their tags, so the work grows with
the square of this number."""
MAX_TEXT = 10_000
"""Characters in one value: a long paragraph is 1,500. Bounds the work any value can cause."""


def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    if len(value) > MAX_TEXT:
        raise ValueError(
            f"is {len(value):,} characters long; the limit is {MAX_TEXT:,}: "
            "split it into paragraphs"
        )
    return value


# Editors read YAML 1.2, where an unquoted 2024 or true is not a string; the generator reads
# every value as the text written, so the editor schema accepts those spellings too.
_TEXT_SCHEMA = {"type": ["string", "number", "boolean"], "minLength": 1}

Text = Annotated[str, AfterValidator(_check_text), WithJsonSchema(_TEXT_SCHEMA)]
"""Author prose or a name: any non-blank string, shown exactly as written."""


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 80


def _check_slug(value: str) -> str:
    if len(value) > SLUG_MAX:
        raise ValueError(f"{shown(value)} is longer than {SLUG_MAX} characters")
    if not _SLUG.fullmatch(value):
        raise ValueError(
            f"{shown(value)} is not a valid key: use lowercase letters, digits and single "
            "hyphens, like 'nejm' or 'cabozantinib-neuroendocrine-tumors'"
        )
    return value


Slug = Annotated[
    str,
    AfterValidator(_check_slug),
    WithJsonSchema({"type": "string", "pattern": f"^{_SLUG.pattern}$", "maxLength": SLUG_MAX}),
]


def _label(value: object) -> str:
    return _check_text(as_text(value))


Label = Annotated[str, PlainValidator(_label), WithJsonSchema(_TEXT_SCHEMA)]
"""A short bibliographic token such as a volume, issue number or page range (`392`, `e230232`)."""


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError(f"expected true or false, got {shown(value)}")


Flag = Annotated[bool, PlainValidator(_flag), WithJsonSchema({"type": "boolean"})]


# --- dates ------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _iso_date(value: object) -> date:
    if isinstance(value, date):
        return value
    text = as_text(value)
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"expected a date written YYYY-MM-DD, like 2024-09-16, got {shown(value)}")


IsoDate = Annotated[
    date,
    PlainValidator(_iso_date),
    PlainSerializer(date.isoformat, return_type=str),
    WithJsonSchema({"type": "string", "format": "date"}),
]


@dataclass(frozen=True)
class BibDate:
    """A publication date as precise as the record gives it: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


_BIB_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _bib_date(value: object) -> BibDate:
    if isinstance(value, BibDate):
        return value
    text = as_text(value)
    match = _BIB_DATE.fullmatch(text)
    if match:
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        try:
            date(year, month or 1, day or 1)
        except ValueError:
            pass
        else:
            return BibDate(year, month, day)
    raise ValueError(
        f"expected a year, year-month or full date, like 2025, 2025-02 or 2025-02-13, "
        f"got {shown(value)}"
    )


PartialDate = Annotated[
    BibDate,
    PlainValidator(_bib_date),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {"type": ["string", "integer"], "pattern": f"^{_BIB_DATE.pattern}$"},
    ),
]


# --- identifiers and links --------------------------------------------------------------------


class _Identifier:
    """Validates one kind of bibliographic identifier against its published format."""

    def __init__(self, pattern: str, what: str, example: str) -> None:
        self.pattern = re.compile(pattern)
        self.what = what
        self.example = example
        self.json_schema = {"type": ["string", "integer"], "pattern": f"^{pattern}$"}

    def __call__(self, value: object) -> str:
        text = as_text(value)
        if not self.pattern.fullmatch(text):
            raise broken(
                "identifier-format",
                f"{shown(value)} is not a valid {self.what}; expected something like "
                f"{self.example}",
            )
        return text


_DOI = _Identifier(r"10\.[0-9]{4,9}/[!-~]+", "DOI", "10.1056/NEJMoa2403991")
_PMID = _Identifier(r"[1-9][0-9]{0,8}", "PMID", "39282913")
_PMCID = _Identifier(r"PMC[1-9][0-9]{0,9}", "PMCID", "PMC11821447")
_NCT = _Identifier(r"NCT[0-9]{8}", "ClinicalTrials.gov id", "NCT03375320")
Doi = Annotated[str, PlainValidator(_DOI), WithJsonSchema(_DOI.json_schema)]
Pmid = Annotated[str, PlainValidator(_PMID), WithJsonSchema(_PMID.json_schema)]
Pmcid = Annotated[str, PlainValidator(_PMCID), WithJsonSchema(_PMCID.json_schema)]
NctId = Annotated[str, PlainValidator(_NCT), WithJsonSchema(_NCT.json_schema)]

_HOST = re.compile(
    r"(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+"
)
_URL_FORBIDDEN = re.compile(r"[\s\"'<>\\`{}|^]")


def _https_url(value: object) -> str:
    text = as_text(value)
    problem = None
    if _URL_FORBIDDEN.search(text) or not text.isascii():
        problem = "it contains spaces, quotes or other characters a link cannot hold"
    else:
        parts = urlsplit(text)
        if parts.scheme != "https":
            problem = "only https:// addresses are allowed"
        elif "@" in parts.netloc:
            problem = "it must not contain a user name or password"
        elif not _HOST.fullmatch(parts.hostname or "") or parts.netloc != parts.netloc.lower():
            problem = "it needs a host name in lowercase, like https://www.nejm.org/"
        else:
            try:
                parts.port  # noqa: B018 - raises on a malformed port
            except ValueError:
                problem = "its port is not a valid port number"
    if problem:
        raise ValueError(f"{shown(value)} is not a usable link: {problem}")
    return text


HttpsUrl = Annotated[
    str,
    PlainValidator(_https_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https://"}),
]
