"""Pages -> Markdown, through the Jinja2 templates in `site_templates/`.

Every `{{ ... }}` in a template is escaped by `markup.text` unless it is `Markup` the generator
built itself, so a template cannot forget to escape author text. Author text is only ever a value:
it is never compiled or evaluated as a template.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import traceback
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from generator.checks.fields import NOT_REACHED, BibDate
from generator.checks.models import Arm, Reference
from generator.checks.suite import Checked
from generator.content import citation
from generator.content.change import Change
from generator.content.problem import ContentError, Position, Problem
from generator.pages import forest, markup, plan
from generator.pages.markup import Markup

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_ABBREVIATIONS = {"hazard ratio": "HR", "odds ratio": "OR", "risk ratio": "RR"}


def render_site(
    checked: Checked,
    templates_dir: Path,
    *,
    drafts: bool = False,
    changes: list[Change] | None = None,
) -> dict[str, str]:
    """The heart of the generator: checked content -> {page path: Markdown}, in a fixed order.
    Drafts are rendered only when asked for (by a preview on an author's machine), and a page of
    `changes` only for a preview of a pull request."""
    renderer = Renderer(templates_dir)
    pages = plan.pages(checked, drafts=drafts, changes=changes)
    rendered = {page.path: renderer.render(page) for page in pages}
    problems = _licensed_quotes_problems(checked, rendered, renderer.templates_dir)
    if problems:
        raise ContentError(problems)
    return rendered


_QUOTE_BLOCK = re.compile(
    r'<figure class="evidence-quote" id="quote\.([0-9]+)">(.*?)</figure>', re.S
)


def _licensed_quotes_problems(
    checked: Checked, rendered: dict[str, str], templates_dir: Path
) -> list[Problem]:
    """Whatever the templates say, each quote shown carries its attribution, its license's
    credit line and, where the license requires one, the link to its source; and a withdrawn
    quote appears nowhere. Licensing is kept by the build, not by the care of template authors."""
    found = []
    where = Path(templates_dir, "entry.md.jinja")
    for use in checked.licensing.uses:
        page = rendered.get(plan.entry_path(use.source.entry.id))
        if page is None:
            continue  # a draft, not rendered
        blocks = {int(n): block for n, block in _QUOTE_BLOCK.findall(page)}
        text = markup.text(" ".join(use.quote.text))
        what = f"quote {use.index} of {use.source.entry.id} (license '{use.license_key}')"
        if not use.shown:
            if use.index in blocks or markup.text(use.quote.text[0]) in page:
                found.append(f"{what}, which is withdrawn")
            continue
        block = blocks.get(use.index, "")
        url = source_url(use.reference)
        required = {
            'the quote in a <figure class="evidence-quote" id="quote.N"> block': bool(block),
            "the quoted text": all(markup.text(p) in block for p in use.quote.text),
            "the attribution": markup.text(use.quote.attribution) in block,
            "the credit line": markup.text(use.license.credit_line) in block,
            "the link to the source": not use.license.link_required
            or (url is not None and f'href="{markup.attribute(url)}"' in block),
        }
        missing = [name for name, present in required.items() if not present]
        if missing and text:
            found.append(f"{what} without {', '.join(missing)}")
    return [
        Problem(
            _shown(where), Position(1, 1), None, f"the template shows {message}", "license-credit"
        )
        for message in found
    ]


def _shown(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return path.resolve().relative_to(Path.cwd()).as_posix()
    return path.as_posix()


class Renderer:
    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir.resolve()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.templates_dir),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # the escaping Markdown needs is done by `_finalize`, not HTML's
            finalize=_finalize,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            prose=prose,
            cite=cite,
            link=markup.link,
            long_date=long_date,
            reference_anchor=reference_anchor,
            abbreviation=abbreviation,
            source_url=source_url,
            identifier_links=identifier_links,
            reference_text=reference_text,
            citation_line=citation_line,
            median=median,
            attribute=markup.attribute,
            forest_plot=forest.svg,
        )
        self.env.globals.update(page_link=page_link, entry_path=plan.entry_path)

    def render(self, page: plan.Page) -> str:
        try:
            template = self.env.get_template(page.template)
            body = template.render(page=page, **page.context)
        except jinja2.TemplateError as error:
            raise ContentError([self._problem(error, page)]) from None
        return front_matter(page.title, page.description, page.json_ld, page.keywords) + body

    def _problem(self, error: jinja2.TemplateError, page: plan.Page) -> Problem:
        filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
        if filename is None:
            for frame in reversed(traceback.extract_tb(error.__traceback__)):
                if Path(frame.filename).resolve().is_relative_to(self.templates_dir):
                    filename, line = frame.filename, frame.lineno
                    break
        shown = Path(filename or self.templates_dir / page.template)
        with contextlib.suppress(ValueError):
            shown = shown.resolve().relative_to(Path.cwd())
        message = f"template error while rendering {page.path}: {error.message or error}"
        return Problem(shown.as_posix(), Position(line or 1, 1), None, message)


def front_matter(
    title: str,
    description: str | None = None,
    json_ld: Mapping[str, Any] | None = None,
    keywords: Iterable[str] = (),
) -> str:
    """MkDocs metadata, written by a serializer, never pasted together. Material prints the
    title and the meta description into HTML unescaped, and its search shows `tags` (the search
    keywords) as HTML, so these are escaped here; the theme writes `json_ld` out itself, through
    `tojson`.

    It is written as JSON, which YAML reads as it is: a YAML serializer took most of the time
    of rendering a page. The few characters YAML may not hold unescaped are escaped."""
    data: dict[str, Any] = {"title": html.escape(title, quote=True)}
    if description is not None:
        data["description"] = html.escape(description, quote=True)
    if keywords:
        data["tags"] = [html.escape(keyword, quote=True) for keyword in keywords]
    if json_ld is not None:
        data["json_ld"] = dict(json_ld)
    # One key to a line, for readable diffs; each value compact (json's fast C encoder).
    lines = ",\n".join(
        f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in data.items()
    )
    dumped = _NOT_YAML.sub(lambda found: f"\\u{ord(found.group()):04x}", lines)
    return f"---\n{{\n{dumped}\n}}\n---\n\n"


# What JSON leaves as it is but YAML would not read back as written: characters outside YAML's
# "printable" set, and the line breaks YAML knows beyond JSON's (folded into spaces in a string).
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _finalize(value: object) -> object:
    if isinstance(value, Markup):
        return value
    if value is None:
        raise jinja2.TemplateRuntimeError("a template printed a missing (None) value")
    return markup.text(value)


# --- filters ----------------------------------------------------------------------------------


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


def median(arm: Arm) -> str:
    """'8.4 months' (kept on one line), or 'not reached'."""
    return NOT_REACHED if arm.median == NOT_REACHED else f"{arm.median}\u00a0{arm.unit}"


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


def abbreviation(measure: str) -> Markup:
    short = _ABBREVIATIONS[measure]
    return Markup(f'<abbr title="{markup.attribute(measure)}">{short}</abbr>')


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
