"""Machine-readable metadata for search engines: an entry as schema.org JSON-LD.

The data goes into the page's front matter as a mapping; the theme writes it out with Jinja's
`tojson`, which escapes '<', '>', '&' and quotes, so no text can end the <script> element.
"""

from __future__ import annotations

from typing import Any

from generator.checks.models import Entry, Reference
from generator.pages import markup


def json_ld(entry: Entry, description: str) -> dict[str, Any]:
    """The entry as a schema.org MedicalWebPage citing its references."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": entry.question,
        "description": description,
        "lastReviewed": entry.last_reviewed.isoformat(),
    }
    if entry.tags:
        data["keywords"] = list(entry.tags)
    if entry.references:
        data["citation"] = [_citation(reference) for reference in entry.references]
    return data


def search_keywords(entry: Entry) -> list[str]:
    """What a reader may type to find the entry besides its words: its tags, its trials and the
    authors of its references. Material's search weighs these above any text, so typing an
    author's name finds the entries citing them before pages that merely contain 'change'."""
    found = [
        *entry.tags,
        *(study.trial for study in entry.results),
        *(author for reference in entry.references for author in reference.authors),
    ]
    return list(dict.fromkeys(found))


def _citation(reference: Reference) -> dict[str, Any]:
    article: dict[str, Any] = {
        "@type": "ScholarlyArticle",
        "name": reference.title,
        "author": [{"@type": "Person", "name": name} for name in reference.authors],
    }
    if reference.journal:
        article["isPartOf"] = {"@type": "Periodical", "name": reference.journal}
    if reference.published_online:
        article["datePublished"] = reference.published_online.isoformat()
    elif reference.issue:
        article["datePublished"] = str(reference.issue.date)
    identifiers = [
        {"@type": "PropertyValue", "propertyID": kind, "value": value}
        for kind, value in (
            ("DOI", reference.doi),
            ("PMID", reference.pmid),
            ("PMCID", reference.pmcid),
            ("NCT", reference.nct_id),
        )
        if value
    ]
    if identifiers:
        article["identifier"] = identifiers
    if reference.doi:
        article["sameAs"] = markup.doi_url(reference.doi)
    elif reference.url:
        article["sameAs"] = reference.url
    return article
