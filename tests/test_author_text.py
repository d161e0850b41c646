"""Author text reaches the page exactly as written and never as HTML, Markdown or template code."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from tests.conftest import Project, html_page, text_of

QUESTION = "<b>x</b> [y](z) {{ 7*7 }} *a* _b_ `c` &amp; <script>alert(1)</script>?"
TAG = "<i>tag</i> & [t](u)"
PROSE = "1. *not* a list {: onclick=alert(1) } <img src=x onerror=alert(1)> {% raw %} | pipe |"

ENTRY = f"""\
id: hostile
question: '{QUESTION}'
last_reviewed: 2026-01-05
tags: ['{TAG}']
answer:
  - '{PROSE} [1]'
references:
  - title: '{QUESTION}'
    authors: ['{TAG}']
"""


def test_hostile_text_shows_literally_everywhere(project: Project) -> None:
    project.write("content/evidence/hostile.yaml", ENTRY)
    site = project.build()
    page = html_page(site, "evidence/hostile/")

    assert text_of(page.find("h1")) == QUESTION
    assert text_of(page.find("title")) == f"{QUESTION} - Clinical Evidence"
    article = page.find("article")
    paragraphs = [text_of(p) for p in article.find_all("p")]  # type: ignore[union-attr]
    assert f"{PROSE} [1]" in paragraphs
    assert text_of(page.find("li", id="ref.1")).startswith(f"{TAG}. {QUESTION}")
    # Nothing in the author text became an element or an attribute.
    for name in ("b", "i", "img", "script", "em", "code", "strong"):
        assert article.find_all(name) == [], name  # type: ignore[union-attr]
    handlers = [
        (element.name, name)
        for element in article.find_all(True)  # type: ignore[union-attr]
        for name in element.attrs
        if name.startswith("on")
    ]
    assert handlers == []
    assert "49" not in text_of(article)  # {{ 7*7 }} was not evaluated

    home = html_page(site, "")
    questions = [text_of(a) for a in home.find("article").find_all("a")]  # type: ignore[union-attr]
    assert QUESTION in questions
    assert TAG in questions

    tag_page = html_page(site, "tags/i-tag-i-t-u/")
    assert text_of(tag_page.find("h1")) == f"Tagged “{TAG}”"
    assert text_of(tag_page.find("title")) == f"Tagged “{TAG}” - Clinical Evidence"
    assert tag_page.find("article").find_all("i") == []  # type: ignore[union-attr]


def test_generated_pages_stay_in_memory(project: Project) -> None:
    before = sorted(p.relative_to(project.root) for p in project.root.rglob("*"))
    site = project.build()
    cache = project.path(".cache")  # checked entries and pages, for the next build: not Markdown
    after = sorted(
        p.relative_to(project.root)
        for p in project.root.rglob("*")
        if not p.is_relative_to(site) and not p.is_relative_to(cache)
    )
    assert after == before, "the build wrote files outside site/ and .cache/"
    assert sorted(p.name for p in (cache / "evidence").iterdir()) == [
        ".gitignore",
        "pages.pickle",
        "records.pickle",
    ]
    assert (site / "evidence" / "cabozantinib-neuroendocrine-tumors" / "index.html").is_file()
    assert not any(site.rglob("*.md")), "Markdown sources were copied into the site"
    assert not any(site.rglob("*.yaml")), "entry files were published"


def test_title_of_every_page_is_escaped_html(project: Project) -> None:
    """Material prints page titles unescaped; the generator hands them over escaped."""
    project.write("content/evidence/hostile.yaml", ENTRY)
    site = project.build()
    raw = (site / "evidence" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    soup = BeautifulSoup(raw, "html.parser")
    scripts = [s for s in soup.find_all("script") if "alert" in s.get_text()]
    # The page's JSON-LD holds the question as data, with '<' and '>' escaped.
    assert [s["type"] for s in scripts] == ["application/ld+json"]
    assert json.loads(scripts[0].get_text())["name"] == QUESTION
    assert "<" not in scripts[0].get_text()
