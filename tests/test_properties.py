"""Property tests: any text an author can write in any text field comes out verbatim and inert."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.utils import meta

from generator.built import audit, page_audit
from generator.content import citation
from generator.content.change import Change, Part
from generator.content.characters import INVISIBLE
from generator.content.project import Project as Paths
from generator.pages import plan
from generator.pages.render import render_site
from generator.review import words
from tests.conftest import (
    SEED_FILE,
    Project,
    checked,
    copy_project,
    html_page,
    search_pages,
    text_of,
)
from tests.test_hostile import (
    CONTENT_ATTRIBUTES,
    CONTENT_ELEMENTS,
    REGISTRY,
    hostile_entry,
    norm,
    rows,
)


def writable(text: str) -> bool:
    """Text the loader accepts: not blank, nothing invisible, markers only citing reference 1."""
    return bool(
        text.strip()
        and not INVISIBLE.search(text)
        and all(marker.problem(1, "case-0") is None for marker in citation.markers(text))
    )


TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=120).filter(writable)


def entry(text: str) -> str:
    return hostile_entry(0, text)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("properties") / "project")
    project.path(SEED_FILE).unlink()
    project.write("content/licenses.yml", REGISTRY)
    return project


def to_html(page_markdown: str, config_file: Path) -> str:
    """Markdown -> HTML exactly as MkDocs converts a page, with the site's extensions."""
    config = load_config(config_file=str(config_file))
    body, _ = meta.get_data(page_markdown)
    converter = markdown.Markdown(
        extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"]
    )
    return str(converter.convert(body))


def table(article: Tag, name: str) -> Tag:
    """The one results table of the page with the class `name`."""
    (found,) = article.find_all("table", class_=name)
    assert isinstance(found, Tag)
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_any_text_reads_back_exactly_in_the_page_body(workspace: Project, text: str) -> None:
    workspace.write("content/evidence/case-0.yaml", entry(text))
    paths = Paths.at(workspace.root)
    page = render_site(checked(paths), paths.templates_dir)["evidence/case-0.md"]
    body = to_html(page, workspace.path("mkdocs.yml"))
    article = BeautifulSoup(f"<article>{body}</article>", "html.parser")

    expected = norm(text)
    assert expected  # `writable` guarantees something visible
    assert text_of(article.find("h1")) == expected
    assert text_of(article.find("h3")) == expected
    paragraphs = [text_of(p) for p in article.find_all("p")]
    assert paragraphs.count(expected) >= 2  # answer and summary
    assert text_of(article.find("blockquote")) == expected
    # The results: each text field of the cohort, its arms, its outcome and its comparison.
    population = article.find("p", class_="evidence-cohort__population")
    assert text_of(population.find("strong") if population else None) == expected
    assert text_of(table(article, "evidence-outcome").find("caption")) == norm(
        f"{text}, {text} ({text})"
    )
    # The summary of findings: its caption is the question, its first row the outcome.
    summary = table(article, "evidence-findings__table")
    assert text_of(summary.find("caption")) == expected
    first = summary.select_one("tbody th")
    assert text_of(first).startswith(norm(f"{text}, {text}"))
    assert rows(table(article, "evidence-arms")) == [
        ["Arm", "Treatment", "Patients"],
        [norm(f"{text} A"), norm(f"{text} {text} {text}"), "5"],
        [norm(f"{text} B"), "not recorded", "5"],
    ]
    assert rows(table(article, "evidence-outcome"))[1:] == [
        [norm(f"{text} A"), norm(f"2.5 {text}")],
        [norm(f"{text} B"), norm(f"1.5 {text}")],
    ]
    (comparison,) = rows(table(article, "evidence-comparisons"))[1:]
    assert comparison == [
        norm(f"{text} A vs {text} B"),
        norm(f"HR 0.5 (95% CI 0.3–0.9) {text}"),
        norm(f"<0.001 ({text})"),
    ]
    assert text_of(article.find("li", id="ref.1")).startswith(expected)

    for element in article.find_all(True):
        if element.name == "article":
            continue
        assert element.name in CONTENT_ELEMENTS, element.name
        assert set(element.attrs) <= CONTENT_ATTRIBUTES, element.attrs
    assert page_audit.page(f"<article>{body}</article>").findings == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_any_text_reads_back_in_title_description_and_search(workspace: Project, text: str) -> None:
    workspace.write("content/evidence/case-0.yaml", entry(text))
    site = workspace.build(strict=False)  # arbitrary text may state numbers: a warning
    expected = norm(text)
    page = html_page(site, "evidence/case-0/")

    assert text_of(page.find("title")) == f"{expected} - Clinical Evidence"
    assert text_of(page.select(".md-header__topic span.md-ellipsis")[-1]) == expected
    description = str(page.find("meta", attrs={"name": "description"})["content"])  # type: ignore[index]
    without_markers = norm(re.sub(r"\[[0-9, \t–-]+\]", "", text))
    assert without_markers.startswith(description.removesuffix("…"))
    (indexed,) = [doc for doc in search_pages(site) if doc["url"] == "/evidence/case-0/"]
    assert norm(indexed["meta"]["title"]) == expected
    assert without_markers.startswith(norm(indexed["meta"]["answer"]).removesuffix("…"))
    assert audit.site(site) == {}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=TEXT, after=TEXT, name=TEXT)
def test_any_change_reads_back_exactly_on_the_page_of_changes(
    workspace: Project, before: str, after: str, name: str
) -> None:
    """Each side of a changed part reads exactly as written, its marked words are the words
    of that side, and nothing of it is markup."""
    workspace.write("content/evidence/case-0.yaml", entry("plain"))
    paths = Paths.at(workspace.root)
    old, new = words.compare(before, after)
    change = Change(
        "changed",
        "case-0",
        name,
        "content/evidence/case-0.yaml",
        (Part(name, "Summary", "summary[0]", old, new),),
    )
    pages = render_site(checked(paths), paths.templates_dir, changes=[change])
    body = to_html(pages["changes.md"], workspace.path("mkdocs.yml"))
    article = BeautifulSoup(f"<article>{body}</article>", "html.parser")

    assert text_of(article.select_one("h3")) == norm(name)
    shown_before = article.select_one(".evidence-change__before")
    shown_after = article.select_one(".evidence-change__after")
    assert text_of(shown_before) == norm(f"Before: {before}")
    assert text_of(shown_after) == norm(f"After: {after}")
    marked = [norm(run.text) for run in old if run.changed and run.text.strip()]
    assert [text_of(d) for d in article("del")] == marked
    marked = [norm(run.text) for run in new if run.changed and run.text.strip()]
    assert [text_of(i) for i in article("ins")] == marked
    for element in article.find_all(True):
        if element.name == "article":
            continue
        assert element.name in {*CONTENT_ELEMENTS, "div", "del", "ins"}, element.name
        assert set(element.attrs) <= CONTENT_ATTRIBUTES, element.attrs
    assert page_audit.page(f"<article>{body}</article>").findings == []


_PAGE_PATH = st.lists(st.sampled_from(["a", "b", "tags", "evidence", "x-1"]), max_size=3).map(
    lambda folders: "/".join([*folders, "page.md"])
)


@given(_PAGE_PATH, _PAGE_PATH)
def test_links_between_pages_are_those_relpath_makes(here: str, there: str) -> None:
    """`plan.relative` skips the file system that `posixpath.relpath` asks; it must agree."""
    assert plan.relative(here, there) == posixpath.relpath(there, posixpath.dirname(here) or ".")
