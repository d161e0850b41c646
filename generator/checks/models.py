"""The content schema: evidence entries and the license registry, made of the field types in
`fields`. Written once, here; the JSON Schema that editors use is derived from these models (see
`review.schema`)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)

from generator.checks.fields import (
    MAX_TAGS,
    Doi,
    Flag,
    HttpsUrl,
    IsoDate,
    Label,
    NctId,
    PartialDate,
    Pmcid,
    Pmid,
    Slug,
    Text,
    as_text,
    context_of,
    shown,
)
from generator.checks.quantities import Count, RefNumber
from generator.checks.registry import NUMBER_RULES, WAIVABLE, broken
from generator.checks.trial import Model, Study


def _known_license(name: str, info: ValidationInfo) -> str:
    known = context_of(info).get("licenses")
    if known is not None and name not in known:
        known_names = ", ".join(sorted(known)) or "none"
        raise broken("license-known", f"unknown license '{name}'; known: {known_names}")
    return name


def _matches_file(entry_id: str, info: ValidationInfo) -> str:
    stem = context_of(info).get("file_stem")
    if stem is not None and stem != entry_id:
        raise ValueError(
            f"the id must match the file name: rename {stem}.yaml to {entry_id}.yaml, "
            "or change the id"
        )
    return entry_id


_FINGERPRINT = re.compile(r"sha256:[0-9a-f]{64}")


def _fingerprint(value: object) -> str:
    text = as_text(value)
    if not _FINGERPRINT.fullmatch(text):
        raise ValueError(
            "expected 'sha256:' and 64 hexadecimal digits; record it with "
            "python -m generator fingerprint FILE"
        )
    return text


Fingerprint = Annotated[
    str,
    PlainValidator(_fingerprint),
    WithJsonSchema({"type": "string", "pattern": f"^{_FINGERPRINT.pattern}$"}),
]


def _at_least_one(what: str) -> Any:
    return Field(min_length=1, description=f"At least one {what}.")


class Quote(Model):
    """A verbatim passage from a licensed source."""

    text: list[Text] = Field(
        min_length=1, description="The passage, paragraph by paragraph, verbatim."
    )
    attribution: Text = Field(description="Attribution line exactly as the licensor gives it.")
    reference: RefNumber = Field(description="Number of the reference the passage comes from.")
    license: Annotated[Slug, AfterValidator(_known_license)] = Field(
        description="Key of the license in content/licenses.yml."
    )
    fingerprint: Fingerprint | None = Field(
        None,
        description="Fingerprint of the text as checked against the source; recorded by "
        "python -m generator fingerprint FILE.",
    )


class IssueCitation(Model):
    """Where the article appears in print: date, volume, issue and pages."""

    date: PartialDate
    volume: Label | None = None
    number: Label | None = Field(None, description="The issue number.")
    pages: Label | None = None


class Reference(Model):
    title: Text
    authors: list[Text] = _at_least_one("author, written like 'Chan JA'")
    et_al: Flag = Field(False, description="True when the author list is cut short.")
    journal: Text | None = Field(None, description="Journal abbreviation, e.g. 'N Engl J Med'.")
    published_online: IsoDate | None = Field(None, description="Online publication date.")
    issue: IssueCitation | None = None
    doi: Doi | None = None
    pmid: Pmid | None = None
    pmcid: Pmcid | None = None
    nct_id: NctId | None = None
    url: HttpsUrl | None = None


class ExternalSource(Model):
    """A source that may be relevant but was not used in the answer."""

    title: Text | None = None
    source: Text | None = Field(None, description="Journal or site it comes from.")
    excerpt: Text | None = Field(None, description="Text shown for it, when it has no title.")
    url: HttpsUrl | None = None

    @model_validator(mode="after")
    def _has_text(self) -> ExternalSource:
        if self.title is None and self.excerpt is None:
            raise ValueError("give a title or an excerpt")
        return self


_FIELD_PATH = re.compile(r"[a-z_]+(?:\[[0-9]+\])*(?:\.[a-z_]+(?:\[[0-9]+\])*)*")


def _field_path(value: object) -> str:
    text = as_text(value)
    if not _FIELD_PATH.fullmatch(text):
        raise ValueError(
            f"{shown(value)} is not a field path; write it as messages show it, like "
            "results[0].cohorts[1].effect"
        )
    return text


def _reason(value: str) -> str:
    if len(value.split()) < 3:
        raise ValueError("say why the rule does not apply here, in a few words at least")
    return value


class Waiver(Model):
    """Silences one rule for one field of this entry, with the reason written down."""

    rule: Literal[WAIVABLE] = Field(description="The rule, as its id appears in messages.")  # type: ignore[valid-type]
    field: Annotated[str, PlainValidator(_field_path), WithJsonSchema({"type": "string"})] = Field(
        description="The field, as messages show it, e.g. results[0].cohorts[1].effect."
    )
    numbers: list[Text] | None = Field(
        None,
        description="For the numbers rules: each number it excuses, as written (e.g. '8.5'); "
        "a waiver never excuses a whole paragraph.",
    )
    reason: Annotated[Text, AfterValidator(_reason)] = Field(
        description="Why the rule does not apply here; shown in every check report."
    )

    @model_validator(mode="after")
    def _names_numbers(self) -> Waiver:
        if self.rule in NUMBER_RULES and not self.numbers:
            raise ValueError(
                f"a waiver of {self.rule} names the numbers it excuses, as written: "
                "numbers: ['8.5']"
            )
        if self.rule not in NUMBER_RULES and self.numbers is not None:
            raise ValueError(f"numbers are only for the waivers of {' and '.join(NUMBER_RULES)}")
        return self


class Entry(Model):
    """One clinical question and its evidence."""

    id: Annotated[Slug, AfterValidator(_matches_file)] = Field(
        description="Page address; the file must be named <id>.yaml."
    )
    draft: Flag = Field(
        False,
        description="True while the entry is being written: checked, shown by mkdocs serve, "
        "never published.",
    )
    question: Text
    last_reviewed: IsoDate
    tags: list[Text] = Field(
        default_factory=list,
        max_length=MAX_TAGS,
        description=f"E.g. the drug and the condition; at most {MAX_TAGS}.",
    )
    answer: list[Text] = Field(min_length=1, description="The answer lead, paragraph by paragraph.")
    results: list[Study] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    summary: list[Text] = Field(
        default_factory=list, description="Paragraphs; cite references with [1], [2-3] or [1,3]."
    )
    references: list[Reference] = Field(default_factory=list)
    external_sources: list[ExternalSource] = Field(
        default_factory=list,
        description="Sources that may be relevant but are not used in the answer.",
    )
    waivers: list[Waiver] = Field(
        default_factory=list,
        description="Rules that do not apply to a field of this entry, each with its reason.",
    )


class License(Model):
    """The terms a licensor set for quoting its articles."""

    licensor: Text
    credit_line: Text = Field(description="Printed with every quote, exactly as given.")
    url: HttpsUrl = Field(description="Link back to the licensor.")
    valid_from: IsoDate | None = Field(
        None, description="First day quotes may be shown; leave out if the license has no start."
    )
    valid_until: IsoDate | None = Field(
        None,
        description="Last day of the license, when its quotes come off the site (pages built on "
        "it would stay online into the next day); leave out if the license is open-ended.",
    )
    words_per_quote: Count | None = Field(None, description="Most words one quote may have.")
    words_per_article: Count | None = Field(
        None,
        description="Most words quoted from one article over the whole site; references sharing "
        "a DOI, PMID or PMCID are one article.",
    )
    link_required: Flag = Field(
        False, description="True if every quote must link to its source article."
    )

    @model_validator(mode="after")
    def _period(self) -> License:
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValueError("valid_from is after valid_until")
        return self


class LicenseRegistry(Model):
    licenses: dict[Slug, License]


class SynonymRegistry(Model):
    """Other names readers search for, each listed under the name the entries use."""

    synonyms: dict[Text, list[Text]] = Field(
        description="The name the entries use (usually a tag, e.g. 'cabozantinib') -> the other "
        "names readers may search for (brand names, other spellings, e.g. ['Cabometyx']). A "
        "search for any of them finds the entries about it."
    )
