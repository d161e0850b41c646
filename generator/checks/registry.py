"""Every rule the checks apply: its id, its severity, whether an entry may waive it, and what it
asks of the content. A finding carries its rule's id as data (`Problem.rule`), and messages show
it at the end in brackets; the README's table is checked against this one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic_core import PydanticCustomError

from generator.content.document import Document, Location
from generator.content.problem import Position, Problem

if TYPE_CHECKING:
    from generator.checks.site import Place

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    waivable: bool
    asks: str


RULES = {
    rule.id: rule
    for rule in (
        # Search
        Rule(
            "synonyms-unique",
            "error",
            False,
            "each other name in the synonyms registry stands for one name only, and is not one "
            "of the names it stands for",
        ),
        # Drafts
        Rule(
            "placeholder",
            "error",
            False,
            "an entry that is not a draft holds none of the placeholder text of a new entry",
        ),
        # Results
        Rule("results-patients", "error", False, "patient counts are whole numbers greater than 0"),
        Rule(
            "results-arm-counts",
            "error",
            True,
            "the arms' patient counts, where given, add up to the cohort's",
        ),
        Rule(
            "results-kind",
            "error",
            False,
            "each arm's result gives what its outcome's kind calls for (a median or events for "
            "time to event, a percent or events and total for a rate or response, a mean or "
            "median for continuous), a rate its time point, a median or mean its unit",
        ),
        Rule("results-rate", "error", False, "a percentage of patients lies between 0 and 100"),
        Rule(
            "results-events",
            "error",
            False,
            "events are no more than the patients they are counted in (nor than the arm's), "
            "and agree with the percent",
        ),
        Rule(
            "results-comparison",
            "error",
            False,
            "a comparison gives an effect (measure and estimate) or a P value",
        ),
        Rule(
            "results-ratio-positive",
            "error",
            False,
            "a ratio (hazard, odds, risk) and its confidence limits are greater than 0",
        ),
        Rule(
            "results-ci-order",
            "error",
            True,
            "a confidence interval's lower limit is below its upper limit",
        ),
        Rule(
            "results-estimate-in-ci",
            "error",
            True,
            "the point estimate lies inside its confidence interval",
        ),
        Rule(
            "results-direction",
            "error",
            True,
            "an effect points the way the arms' figures do: a hazard ratio below 1 goes with a "
            "longer median in the experimental arm, a risk ratio or difference with its rates, "
            "a mean difference with its means",
        ),
        Rule(
            "results-p-value",
            "warning",
            True,
            "a P value below 1 - the CI's level (0.05 for a 95% CI) goes with a CI that "
            "excludes no effect (1 for a ratio, 0 for a difference), a larger one with a CI "
            "that includes it",
        ),
        Rule(
            "results-certainty",
            "error",
            False,
            "a certainty rating is what its reasons make of randomised trials, which GRADE "
            "starts high: each reason rates down (or up) one level or two, and no domain is "
            "given twice",
        ),
        # Prose
        Rule(
            "prose-numbers",
            "warning",
            True,
            "each number the answer or summary states is found in the results or a quote",
        ),
        Rule(
            "prose-absolute",
            "error",
            True,
            "an absolute effect the answer or summary states (per 1,000, or a number needed to "
            "treat) is one the results give when computed",
        ),
        Rule(
            "quote-numbers",
            "warning",
            True,
            "each number a quote prints is in the results of the reference it quotes",
        ),
        # Citations and identifiers
        Rule(
            "citation-resolves",
            "error",
            False,
            "each citation marker and reference number points at a reference of the entry",
        ),
        Rule(
            "citation-order",
            "warning",
            True,
            "references are numbered in the order they are first cited",
        ),
        Rule(
            "citation-unused",
            "error",
            False,
            "each reference is cited; a source not used belongs under external_sources",
        ),
        Rule(
            "citation-duplicate",
            "error",
            False,
            "no DOI or PMID appears twice among an entry's references",
        ),
        Rule(
            "identifier-format",
            "error",
            False,
            "DOIs, PMIDs, PMCIDs and ClinicalTrials.gov ids have their published formats",
        ),
        Rule(
            "identifier-doi-url",
            "error",
            False,
            "a reference's doi.org address names the same DOI as its doi field",
        ),
        # Freshness
        Rule(
            "review-due",
            "warning",
            False,
            "the entry was reviewed within the review interval (12 months unless set)",
        ),
        Rule("review-in-future", "error", False, "the last-reviewed date is not in the future"),
        # Licensed quotes
        Rule("license-known", "error", False, "a quote names a license in the registry"),
        Rule(
            "license-period",
            "error",
            False,
            "a quote is shown only within its license's dates (a warning when withdrawn)",
        ),
        Rule(
            "license-expiring",
            "warning",
            False,
            "a license does not end within the expiry warning (60 days unless set)",
        ),
        Rule("license-words-per-quote", "error", False, "a quote keeps to its license's limit"),
        Rule(
            "license-words-per-article",
            "error",
            False,
            "quotes from one article, over the whole site, keep to the license's limit",
        ),
        Rule(
            "license-link",
            "error",
            False,
            "a quote under a license that requires a link has a source to link to",
        ),
        Rule(
            "license-credit",
            "error",
            False,
            "a shown quote carries its text, attribution, credit line and required link",
        ),
        Rule(
            "quote-fingerprint",
            "error",
            False,
            "a quote's text matches the fingerprint recorded when it was checked",
        ),
        # Waivers
        Rule("waiver-unused", "warning", False, "each waiver silences a finding"),
    )
}

WAIVABLE = tuple(rule.id for rule in RULES.values() if rule.waivable)
NUMBER_RULES = ("prose-numbers", "quote-numbers")
"""Rules about one number in a paragraph: their waivers name the numbers they excuse."""


def broken(rule: str, message: str) -> PydanticCustomError:
    """What a schema validator raises when a value breaks one of the rules: the rule's id is
    the error's type, which the loader reads as it is (see `load`)."""
    assert rule in RULES, rule
    return PydanticCustomError(rule, "{message}", {"message": message})


def finding(
    document: Document,
    location: Location,
    rule: str,
    message: str,
    *,
    written: str | None = None,
    position: Position | None = None,
    warning: bool | None = None,
) -> Problem:
    """The one way a check reports a broken rule: at the field (or at the text `written` inside
    it, or at `position`), an error or a warning as the rule's severity says unless `warning`
    says otherwise (a withdrawn quote is a warning of a rule that is otherwise an error)."""
    if position is None and written:
        (position,) = document.positions_of(location, [written])
    severity = RULES[rule].severity == "warning" if warning is None else warning
    found = document.problem(location, message)
    return Problem(
        found.path, position or found.position, found.field, message, rule, warning=severity
    )


def finding_at(place: Place, rule: str, message: str) -> Problem:
    """A finding at a field whose file is no longer in memory (see `site.Place`)."""
    return place.problem(message, rule, warning=RULES[rule].severity == "warning")
