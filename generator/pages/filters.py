"""The filters and functions templates call: citations, dates, references and results as text
for readers, each escaped or built as `Markup` here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

import jinja2

from generator.checks.fields import BibDate
from generator.checks.models import Reference
from generator.content import citation
from generator.content.change import Segment
from generator.pages import markup, plan
from generator.pages.markup import Markup

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def prose(paragraph: str) -> Markup:
    """A paragraph of author text with each citation marker linked to its reference."""
    parts = [
        _marker(piece.parts) if isinstance(piece, citation.Marker) else markup.escaped(piece)
        for piece in citation.split(paragraph)
    ]
    return markup.inline("".join(parts))


def cite(number: int) -> Markup:
    """A citation of one reference, as `[n]` linked to it."""
    return _marker((str(number),))


def _marker(parts: Iterable[str]) -> Markup:
    inner = "".join(
        f'<a class="citation" href="#{reference_anchor(int(part))}" '
        f'aria-label="Reference {int(part)}">{part}</a>'
        if part.isdigit()
        else markup.escaped(part)
        for part in parts
    )
    return Markup(f"&#91;{inner}&#93;")


def reference_anchor(number: int) -> Markup:
    """The id of a reference in the list. Heading ids never contain a dot, so none can take it."""
    return Markup(f"ref.{number}")


def long_date(value: date) -> str:
    """'September 16, 2024', the way the licensor's citations write dates."""
    return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"


def bib_date(value: BibDate) -> str:
    """'2025 Feb 13', '2023': dates in reference lists (NLM style)."""
    parts = [str(value.year)]
    if value.month:
        parts.append(_MONTHS[value.month - 1][:3])
    if value.day:
        parts.append(str(value.day))
    return " ".join(parts)


def sentence(value: str) -> str:
    """Text ending with a full stop, unless it already ends with one (or ? or !). Trailing
    white space goes: a browser would show it as a space before the stop."""
    value = value.rstrip()
    return value if value.endswith((".", "?", "!")) else value + "."


def reference_text(reference: Reference) -> str:
    """A reference in NLM (Vancouver) style, as medical journals list them."""
    authors = ", ".join(reference.authors) + (", et al" if reference.et_al else "")
    parts = [sentence(authors), sentence(reference.title)]
    if reference.journal:
        parts.append(sentence(reference.journal))
    if reference.issue:
        issue = reference.issue
        where = bib_date(issue.date)
        if issue.volume:
            where += f";{issue.volume}"
        if issue.number:
            where += f"({issue.number})"
        if issue.pages:
            where += f":{issue.pages}"
        parts.append(where + ".")
    if reference.published_online:
        parts.append(f"Published online {long_date(reference.published_online)}.")
    return " ".join(parts)


def citation_line(reference: Reference) -> str:
    """'Title. Journal. September 16, 2024.': the source under a quote, citing its first date."""
    parts = [sentence(reference.title)]
    if reference.journal:
        parts.append(sentence(reference.journal))
    if reference.published_online:
        parts.append(long_date(reference.published_online) + ".")
    elif reference.issue:
        parts.append(spelled_date(reference.issue.date) + ".")
    return " ".join(parts)


def spelled_date(value: BibDate) -> str:
    """'February 13, 2025', 'February 2025' or '2025', as precise as the record is."""
    if value.month and value.day:
        return long_date(date(value.year, value.month, value.day))
    if value.month:
        return f"{_MONTHS[value.month - 1]} {value.year}"
    return str(value.year)


def source_url(reference: Reference) -> str | None:
    """Where a reader can check the source: its DOI, else its own address, else PubMed."""
    if reference.doi:
        return markup.doi_url(reference.doi)
    if reference.url:
        return reference.url
    if reference.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/"
    return None


def identifier_links(reference: Reference) -> list[Markup]:
    """Links to the reference in the databases its identifiers point into."""
    links = []
    if reference.doi:
        links.append(markup.link(f"doi:{reference.doi}", markup.doi_url(reference.doi)))
    if reference.pmid:
        url = f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/"
        links.append(markup.link(f"PubMed {reference.pmid}", url))
    if reference.pmcid:
        url = f"https://pmc.ncbi.nlm.nih.gov/articles/{reference.pmcid}/"
        links.append(markup.link(reference.pmcid, url))
    if reference.nct_id:
        url = f"https://clinicaltrials.gov/study/{reference.nct_id}"
        links.append(markup.link(f"ClinicalTrials.gov {reference.nct_id}", url))
    if reference.url:
        links.append(markup.link(reference.url, reference.url))
    return links


@jinja2.pass_context
def page_link(context: Any, label: object, target: str) -> Markup:
    """A Markdown link from the page being rendered to another page of the site."""
    here: plan.Page = context["page"]
    return Markup(f"[{markup.text(label)}]({plan.relative(here.path, target)})")


def changed_words(runs: Iterable[Segment], tag: Literal["del", "ins"]) -> Markup:
    """One side of a change on the page of changes: its words removed in <del>, or added in
    <ins>, the spaces after them outside; all of it author text, escaped."""
    pieces = []
    for run in runs:
        words = run.text.rstrip() if run.changed else ""
        if words:
            rest = markup.escaped(run.text[len(words) :])
            pieces.append(f"<{tag}>{markup.escaped(words)}</{tag}>{rest}")
        else:
            pieces.append(markup.escaped(run.text))
    return markup.inline("".join(pieces))


def search_filter(value: str) -> Markup:
    """A value for Pagefind to filter by (a tag), as the content of an element. Pagefind
    decodes character references in filter values once more than the HTML parser has, so '&'
    is escaped twice: a tag written '&quot;' stays '&quot;' in the search box's filters."""
    return markup.text(value.replace("&", "&amp;"))
