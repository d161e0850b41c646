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
from pathlib import Path
from typing import Any

import jinja2

from generator.checks.site import Facts
from generator.checks.suite import Checked
from generator.content.change import Change
from generator.content.problem import ContentError, Position, Problem
from generator.pages import credits, fhir, figures, findings, forest, markup, plan, vocabulary
from generator.pages.filters import (
    changed_words,
    citation_line,
    cite,
    identifier_links,
    long_date,
    page_link,
    prose,
    reference_anchor,
    reference_text,
    search_filter,
    source_url,
)
from generator.pages.markup import Markup
from generator.progress import Progress


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
    rendered = {}
    with Progress("Making pages", len(pages), "pages") as progress:
        for page in pages:
            rendered[page.path] = renderer.render(page)
            progress.advance()
    problems = credits.problems(checked, rendered, renderer.templates_dir)
    if problems:
        raise ContentError(problems)
    site = plan.published(checked.site, drafts=drafts)
    entries = [Facts.of(source) for source in site.entries]
    for source in site.entries:
        rendered[plan.export_path(source.entry.id)] = fhir.bundle(source.entry)
    rendered[plan.VOCABULARY] = vocabulary.text(entries, site.synonyms)
    return rendered


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
            source_url=source_url,
            identifier_links=identifier_links,
            reference_text=reference_text,
            citation_line=citation_line,
            figure_heading=figures.heading,
            arm_figure=figures.arm_figure,
            effect=figures.effect,
            p_value=figures.p_value,
            regimen=figures.regimen,
            source=figures.source,
            attribute=markup.attribute,
            forest_plot=forest.svg,
            changed_words=changed_words,
            search_filter=search_filter,
        )
        self.env.globals.update(
            page_link=page_link, entry_path=plan.entry_path, summary_of_findings=findings.rows
        )

    def render(self, page: plan.Page) -> str:
        try:
            template = self.env.get_template(page.template)
            body = template.render(page=page, **page.context)
        except jinja2.TemplateError as error:
            raise ContentError([self._problem(error, page)]) from None
        metadata = front_matter(
            page.title,
            page.description,
            page.json_ld,
            page.keywords,
            listing=page.listing,
            export=page.export,
        )
        return metadata + body

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
    *,
    listing: bool = False,
    export: str | None = None,
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
    if export is not None:  # the theme links it: <link rel="alternate">
        data["fhir"] = export
    if listing:  # Material's own key: its search leaves the page out, and so does ours
        data["search"] = {"exclude": True}
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
