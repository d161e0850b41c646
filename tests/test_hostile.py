"""Hostile and malformed content: shown verbatim and inert everywhere, or refused with a precise
error. Includes the OWASP XSS filter evasion patterns (case, entity, whitespace and encoding
variants) and Markdown, Jinja and YAML tricks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import Tag

from generator.built import audit
from generator.checks import licensing
from generator.content import slug
from tests.conftest import SEED_FILE, Project, copy_project, html_page, search_pages, text_of

INERT = [
    # OWASP XSS filter evasion cheat sheet
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "javascript:/*--></title></style></textarea></script></xmp>"
    "<svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
    '&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=//xss.rocks/.j>",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<svg/onload=alert('XSS')>",
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">x</a>',
    # Markdown and its extensions
    "[click](javascript:alert(1)) [x]( JaVaScRiPt:alert(1)) [y](&#106;avascript:alert(1))",
    '![img](x" onerror="alert(1)) <https://example.org> <mailto:a@b.c>',
    '{: onclick="alert(1)" } *emphasis* **strong** _under_ `code` ~~del~~ ==mark==',
    '!!! note "<img src=x onerror=alert(1)>"',
    "# heading ## --- *** > quote | table | [^1]: note *[HTML]: abbr",
    "1. not a list",
    "    indented four spaces",
    "```python\nfence\n```",
    "line one\n\nline two after a blank line",
    # Templates, entities and odd text
    "{{ 7*7 }} {% raw %} {# comment #} ${7*7} #{7*7}",
    "&lt;script&gt; &amp;lt; &#60;b&#62; &nbsp; & &; &#; &#x;",
    "<!-- comment --> ]]> <![CDATA[x]]> <?php echo 1 ?>",
    "Dana–Farber ‘quotes’ “double” naïve café ß µg ± ≤ ≥ → 💊 مرحبا שלום 日本語",
    "see [1] and [1, 1] here",
    "\\ \\\\ \\* \\[ back\\slashes",
    "a" * 2000,
]

REGISTRY = """\
licenses:
  hostile:
    licensor: "<b>Licensor</b> & [co](x)"
    credit_line: "Used under <i>license</i> {{ 7*7 }} [x](javascript:alert(1))"
    url: https://example.org/
"""


def y(text: str) -> str:
    """A YAML double-quoted scalar holding `text` exactly."""
    return json.dumps(text, ensure_ascii=False)


def tag_for(index: int, payload: str) -> str:
    tag = f"{payload[:40]} {index}"
    return tag if slug.tag_problem(tag) is None else f"case {index}"


def hostile_entry(index: int, payload: str, *, every_field: bool = True) -> str:
    """An entry with `payload` in each of its text fields; without `every_field`, in those a
    file near the size limit still has room for (not an arm's regimen, an outcome's time point
    and source label, or a comparison's test)."""
    a, b = y(payload + " A"), y(payload + " B")
    p = y(payload)
    regimen = f", regimen: [{{drug: {p}, dose: {p}, schedule: {p}}}]" if every_field else ""
    outcome = (
        f"\n            time_point: {p}\n            source: table\n            source_label: {p}"
        if every_field
        else ""
    )
    test = f"\n                test: {p}" if every_field else ""
    return f"""\
id: case-{index}
question: {p}
last_reviewed: 2026-01-05
tags: [{y(tag_for(index, payload))}]
answer: [{p}]
results:
  - trial: {p}
    reference: 1
    cohorts:
      - population: {p}
        patients: 10
        arms:
          - {{name: {a}, patients: 5{regimen}}}
          - {{name: {b}, patients: 5}}
        outcomes:
          - endpoint: {p}
            kind: time to event
            unit: {p}{outcome}
            arms:
              - {{arm: {a}, median: 2.5}}
              - {{arm: {b}, median: 1.5}}
            comparisons:
              - experimental: {a}
                control: {b}
                measure: hazard ratio
                estimate: 0.5
                ci_lower: 0.3
                ci_upper: 0.9
                p_value: "<0.001"{test}
                description: {p}
quotes:
  - text: [{p}]
    attribution: {p}
    reference: 1
    license: hostile
    fingerprint: {licensing.fingerprint([payload])}
summary: [{y(payload + " [1]")}]
references:
  - title: {p}
    authors: [{p}]
    journal: {p}
    doi: "10.1000/<case-{index}>#\\"x"
external_sources:
  - title: {p}
    source: {p}
    excerpt: {p}
"""


def norm(text: str) -> str:
    return " ".join(text.split())


def solid(text: str) -> str:
    """The text without any whitespace: what wrapping it onto lines cannot change."""
    return "".join(text.split())


def rows(table: Tag) -> list[list[str]]:
    return [[text_of(cell) for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]


# Everything the templates may produce inside the page content; anything else came from text.
CONTENT_ELEMENTS = {
    *("h1", "h2", "h3", "p", "a", "br", "span", "abbr", "strong", "section", "div"),
    *("table", "caption", "thead", "tbody", "tr", "th", "td"),
    *("figure", "blockquote", "figcaption", "ol", "ul", "li"),
    *("svg", "title", "desc", "line", "rect", "text", "tspan"),  # the forest plot
    "sup",  # the summary of findings' footnote marks
}
CONTENT_ATTRIBUTES = {
    *("href", "class", "id", "title", "aria-label", "cite", "style", "data-search-exclude"),
    *("scope", "data-label"),
    *("viewbox", "role", "aria-labelledby", "text-anchor", "width", "height"),
    *("x", "y", "x1", "y1", "x2", "y2"),
    # The summary of findings: GRADE's circles, read by their word; footnotes lettered a, b, c;
    # the notes under each outcome, across the table
    *("aria-hidden", "type", "colspan"),
    # The site's search (Pagefind): what it indexes, ignores, weighs and filters by
    *("hidden", "data-pagefind-body", "data-pagefind-ignore", "data-pagefind-weight"),
    "data-pagefind-filter",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    project.write("content/licenses.yml", REGISTRY)
    for path in project.path("content/evidence").glob("*.yaml"):
        path.unlink()
    for index, payload in enumerate(INERT):
        project.write(f"content/evidence/case-{index}.yaml", hostile_entry(index, payload))
    # Not strict: the prose of some cases states numbers the results do not hold (a warning).
    return project, project.build(strict=False)


@pytest.mark.parametrize("index", range(len(INERT)))
def test_text_is_verbatim_and_inert_everywhere(
    hostile_site: tuple[Project, Path], index: int
) -> None:
    _, site = hostile_site
    payload = norm(INERT[index])
    page = html_page(site, f"evidence/case-{index}/")
    article = page.find("article")
    assert isinstance(article, Tag)

    # Page body, field by field
    assert text_of(article.find("h1")) == payload
    paragraphs = [text_of(p) for p in article.find_all("p")]
    assert payload in paragraphs  # the answer
    assert f"{payload} [1]" in paragraphs  # the summary, with its marker linked
    assert text_of(article.find("blockquote")) == payload
    assert f"— {payload}" in paragraphs  # attribution
    # Table cells, read as `text_of` reads them: leading and doubled spaces are shown as one.
    raw = INERT[index]
    (cohort,) = article.select("section.evidence-cohort")
    assert text_of(cohort.find("p")) == norm(f"{raw} · 10 patients randomised")
    arms, outcome, comparisons = cohort.find_all("table")
    assert rows(arms) == [
        ["Arm", "Treatment", "Patients"],
        [norm(f"{raw} A"), norm(f"{raw} {raw} {raw}"), "5"],  # drug, dose, schedule
        [norm(f"{raw} B"), "not recorded", "5"],
    ]
    # Endpoint, time point and where the numbers are printed
    assert text_of(outcome.find("caption")) == norm(f"{raw}, {raw} ({raw})")
    assert rows(outcome) == [
        ["Arm", norm(f"Median, {raw}")],
        [norm(f"{raw} A"), norm(f"2.5 {raw}")],
        [norm(f"{raw} B"), norm(f"1.5 {raw}")],
    ]
    # The column heading is repeated in an attribute, for narrow screens: as text, not markup
    labels = {norm(str(td["data-label"])) for td in outcome.find_all("td")}
    assert labels == {norm(f"Median, {raw}")}
    assert rows(comparisons) == [
        ["Comparison", "Effect", "P value"],
        [
            norm(f"{raw} A vs {raw} B"),
            norm(f"HR 0.5 (95% CI 0.3–0.9) {raw}"),  # with the comparison's description
            norm(f"<0.001 ({raw})"),  # with its test
        ],
    ]
    reference = text_of(article.find("li", id="ref.1"))
    assert reference.startswith(f"{payload}. {payload}. {payload}.")
    assert "doi:10.1000/<case-" in reference
    external = [text_of(li) for li in article.select("ul.evidence-external li")]
    assert external == [f"{payload}, {payload} {payload}"]
    credit = text_of(article.select_one(".evidence-quote__credit"))
    assert credit == "Used under <i>license</i> {{ 7*7 }} [x](javascript:alert(1))"
    plot = article.select_one("figure.evidence-forest svg")
    assert isinstance(plot, Tag)
    assert text_of(plot.find("title")).endswith(f" confidence intervals, {payload}")
    # One row, so it is told from no other by its cohort or endpoint: its arms name it.
    assert text_of(plot.find("desc")).startswith(f"{payload} A vs {payload} B: hazard ratio 0.5")
    # Labels and captions are wrapped to the plot's width, breaking long words anywhere: every
    # character is drawn, in order.
    (label,) = plot.select("text.evidence-forest__label")
    assert solid(label.get_text()) == solid(f"{raw} A vs {raw} B")
    favours = plot.select("text.evidence-forest__favours")
    left = "".join(t.get_text() for t in favours if t.get("text-anchor") == "end")
    right = "".join(t.get_text() for t in favours if t.get("text-anchor") == "start")
    assert (solid(left), solid(right)) == (solid(f"← favours {raw} A"), solid(f"favours {raw} B →"))

    # JSON-LD for search engines: the text as data, exactly as written
    (data,) = [s for s in page.find_all("script") if s.get("type") == "application/ld+json"]
    assert "<" not in data.get_text()
    linked = json.loads(data.get_text())
    assert linked["name"] == INERT[index]
    assert linked["citation"][0]["name"] == INERT[index]
    assert linked["citation"][0]["author"] == [{"@type": "Person", "name": INERT[index]}]

    # <title>, navigation (the header names the page), table of contents, meta description
    assert text_of(page.find("title")) == f"{payload} - Clinical Evidence"
    topic = page.select(".md-header__topic span.md-ellipsis")
    assert text_of(topic[-1]) == payload
    toc = page.select_one("nav.md-nav--secondary")
    assert isinstance(toc, Tag)
    assert payload in [text_of(a) for a in toc.find_all("a")]
    description = page.find("meta", attrs={"name": "description"})
    assert isinstance(description, Tag)
    without_markers = norm(re.sub(r"\[[0-9, ]+\]", "", INERT[index]))  # markers are left out
    assert without_markers.startswith(str(description["content"]).removesuffix("…"))

    # The search index (Pagefind's): the title, the snippet (the answer) and the text read as
    # written, and the tag filters by the tag as written
    (indexed,) = [doc for doc in search_pages(site) if doc["url"] == f"/evidence/case-{index}/"]
    assert norm(indexed["meta"]["title"]) == payload
    assert without_markers.startswith(norm(indexed["meta"]["answer"]).removesuffix("…"))
    assert payload in norm(indexed["content"])
    # (Pagefind runs the spaces in a filter value into one, as a page shows them.)
    assert [norm(tag) for tag in indexed["filters"]["tag"]] == [norm(tag_for(index, INERT[index]))]

    # Tag page and home listing
    tag = tag_for(index, INERT[index])
    tag_page = html_page(site, f"tags/{slug.tag_slug(tag)}/")
    assert text_of(tag_page.find("h1")) == norm(f"Tagged “{tag}”")
    assert payload in [text_of(a) for a in tag_page.find("article").find_all("a")]  # type: ignore[union-attr]
    home = html_page(site, "")
    assert payload in [text_of(a) for a in home.find("article").find_all("a")]  # type: ignore[union-attr]

    # Nothing in the text became an element or an attribute
    for element in article.find_all(True):
        assert element.name in CONTENT_ELEMENTS, element.name
        assert set(element.attrs) <= CONTENT_ATTRIBUTES, element.attrs
        assert not str(element.get("href", "")).lower().startswith(("javascript", "data"))


def test_the_hostile_site_passes_the_audit(hostile_site: tuple[Project, Path]) -> None:
    _, site = hostile_site
    assert audit.site(site) == {}
    assert len(list(site.glob("evidence/case-*/index.html"))) == len(INERT)


MINIMAL = """\
id: e
question: Does it work?
last_reviewed: 2026-01-05
tags: [drug]
answer:
  - It does. [1]
references:
  - title: A trial
    authors: [Doe J]
    url: https://example.org/trial
"""

# (what, old, new, expected problem line after "content/evidence/e.yaml:")
REFUSED = [
    (
        "javascript url",
        "https://example.org/trial",
        "javascript:alert(1)",
        "10:10: references[0].url: 'javascript:alert(1)' is not a usable link: only https:// "
        "addresses are allowed",
    ),
    (
        "data url",
        "https://example.org/trial",
        "data:text/html,x",
        "10:10: references[0].url: 'data:text/html,x' is not a usable link: only https:// "
        "addresses are allowed",
    ),
    (
        "quote in url",
        "https://example.org/trial",
        "'https://example.org/\" onmouseover=x'",
        "10:10: references[0].url: 'https://example.org/\" onmouseover=x' is not a usable link: it "
        "contains spaces, quotes or other characters a link cannot hold",
    ),
    (
        "userinfo",
        "https://example.org/trial",
        "https://user:pw@example.org/",
        "10:10: references[0].url: 'https://user:pw@example.org/' is not a usable link: it must "
        "not contain a user name or password",
    ),
    (
        "no host",
        "https://example.org/trial",
        "https:///path",
        "10:10: references[0].url: 'https:///path' is not a usable link: it needs a host name in "
        "lowercase, like https://www.nejm.org/",
    ),
    (
        "protocol relative",
        "https://example.org/trial",
        "//example.org/x",
        "10:10: references[0].url: '//example.org/x' is not a usable link: only https:// addresses "
        "are allowed",
    ),
    (
        "doi with space",
        "    url: https://example.org/trial",
        "    doi: 10.1000/a b",
        "10:10: references[0].doi: '10.1000/a b' is not a valid DOI; expected something like "
        "10.1056/NEJMoa2403991 [identifier-format]",
    ),
    (
        "octal-looking pmid",
        "    url: https://example.org/trial",
        "    pmid: 012345",
        "10:11: references[0].pmid: '012345' is not a valid PMID; expected something like "
        "39282913 [identifier-format]",
    ),
    (
        "nct",
        "    url: https://example.org/trial",
        "    nct_id: NCT1",
        "10:13: references[0].nct_id: 'NCT1' is not a valid ClinicalTrials.gov id; expected "
        "something like NCT03375320 [identifier-format]",
    ),
    (
        "path traversal id",
        "id: e",
        "id: ../e",
        "1:5: id: '../e' is not a valid key: use lowercase letters, digits and single hyphens, "
        "like 'nejm' or 'cabozantinib-neuroendocrine-tumors'",
    ),
    (
        "uppercase id",
        "id: e",
        "id: E",
        "1:5: id: 'E' is not a valid key: use lowercase letters, digits and single hyphens, like "
        "'nejm' or 'cabozantinib-neuroendocrine-tumors'",
    ),
    (
        "reserved id",
        "id: e",
        "id: con",
        "1:5: id: the id must match the file name: rename e.yaml to con.yaml, or change the id",
    ),
    (
        "bidi override",
        "Does it work?",
        "Does it \u202ework?",
        "2:19: question: invisible or control character U+202E (RIGHT-TO-LEFT OVERRIDE) is not "
        "allowed; delete it",
    ),
    (
        "zero width",
        "It does.",
        "It\u200b does.",
        "6:7: answer[0]: invisible or control character U+200B (ZERO WIDTH SPACE) is not allowed; "
        "delete it",
    ),
    (
        "escaped null",
        "question: Does it work?",
        'question: "Does\\x00 it work?"',
        "2:11: question: invisible or control character U+0000 (a control character), written "
        "as an escape, is not allowed; delete it",
    ),
    (
        "duplicate key",
        "tags: [drug]",
        "tags: [drug]\nquestion: Again?",
        "5:1: question: duplicate key: 'question' is already set on line 2",
    ),
    (
        "alias",
        "tags: [drug]",
        "tags: &t [drug]\nanswer2: *t",
        "4:7: tags: anchors (&name) are not allowed; write the value out",
    ),
    (
        "python tag",
        "tags: [drug]",
        "tags: !!python/object/apply:os.system [ls]",
        "4:7: tags: tags like tag:yaml.org,2002:python/object/apply:os.system are not allowed",
    ),
    (
        "merge key",
        "tags: [drug]",
        "<<: {tags: [x]}\ntags: [drug]",
        "4:1: merge keys (<<) are not allowed",
    ),
    (
        "second document",
        "tags: [drug]",
        "tags: [drug]\n---\nid: f",
        "5:1: only one YAML document per file; remove '---'",
    ),
    (
        "marker beyond the list",
        "It does. [1]",
        "It does. [1-9]",
        "6:14: answer[0]: citation [1-9] refers to reference 9, but entry 'e' has only 1 "
        "reference [citation-resolves]",
    ),
    (
        "cyrillic look-alike tag",
        "tags: [drug]",
        "tags: [drug, dru\u0433]",
        "4:14: tags[1]: tag 'druг' uses CYRILLIC SMALL LETTER GHE; tags use plain Latin letters "
        "(accents are fine) and Greek letters",
    ),
    (
        "mixed alphabets in a word",
        "tags: [drug]",
        "tags: [drug, dr\u03bfg]",
        "4:14: tags[1]: tag 'drοg' mixes Latin and Greek letters in 'drοg'; look-alike letters "
        "from another alphabet are not allowed",
    ),
    (
        "tag in two Unicode forms",
        "tags: [drug]",
        "tags: [caf\u00e9, cafe\u0301]",
        "4:14: tags[1]: tag 'cafe\u0301' looks the same as 'caf\u00e9' but its letters are encoded "
        "differently (Unicode normalization); retype it",
    ),
    (
        "tag that would share a page",
        "tags: [drug]",
        "tags: [Drug, drug]",
        "4:14: tags[1]: tag 'drug' would share a page with 'Drug'; spell them the same",
    ),
    (
        "look-alike tags",
        "tags: [drug]",
        "tags: [modern drug, modem drug]",
        "4:21: tags[1]: tag 'modem drug' looks like 'modern drug'; choose tags that cannot be "
        "mistaken for each other",
    ),
    (
        "greek capitals that read as latin",
        "tags: [drug]",
        "tags: [\u039c\u0395\u039a]",
        "4:8: tags[0]: tag 'ΜΕΚ' spells 'ΜΕΚ' in Greek letters that read as Latin ones; write it "
        "in Latin letters",
    ),
    (
        "capital I for small l",
        "tags: [drug]",
        "tags: [Iron, lron]",
        "4:14: tags[1]: tag 'lron' looks like 'Iron'; choose tags that cannot be mistaken for "
        "each other",
    ),
    (
        "latin letter with no plain form",
        "tags: [drug]",
        "tags: [\u0261efitinib]",
        "4:8: tags[0]: tag 'ɡefitinib' uses LATIN SMALL LETTER SCRIPT G; tags use plain Latin "
        "letters (accents are fine) and Greek letters",
    ),
    (
        "too many tags",
        "tags: [drug]",
        "tags: [" + ", ".join(f"t{n}" for n in range(13)) + "]",
        "4:7: tags: List should have at most 12 items after validation, not 13",
    ),
    (
        "very long text",
        "Does it work?",
        "x" * 10_001,
        "2:11: question: is 10,001 characters long; the limit is 10,000: split it into paragraphs",
    ),
    (
        "nested too deep",
        "tags: [drug]",
        "tags: " + "[" * 40 + "]" * 40,
        "4:38: tags[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
        "[0][0][0][0][0]: nesting is deeper than 32 levels",
    ),
    (
        "number that is not a count",
        "tags: [drug]",
        "tags: [drug]\nresults:\n  - trial: T\n    reference: 1\n    cohorts:\n"
        "      - {population: P, patients: 0x1F, arms: [{name: A}, {name: B}], outcomes: "
        "[{endpoint: E, kind: time to event, unit: m, "
        "arms: [{arm: A, median: .inf}, {arm: B, median: 1}]}]}",
        "9:35: results[0].cohorts[0].patients: expected a whole number greater than 0, like 203, "
        "got '0x1F' [results-patients]",
    ),
]


@pytest.mark.parametrize(("what", "old", "new", "expected"), REFUSED, ids=[r[0] for r in REFUSED])
def test_malformed_content_is_refused_precisely(
    project: Project, what: str, old: str, new: str, expected: str
) -> None:
    assert old in MINIMAL, what
    project.write("content/evidence/e.yaml", MINIMAL.replace(old, new, 1))
    result = project.generator("check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert f"content/evidence/e.yaml:{expected}" in lines, "\n".join(lines)


def test_corpus_size() -> None:
    assert len(INERT) + len(REFUSED) >= 40


def test_symlinked_entry_and_oversized_file_are_refused(project: Project) -> None:
    outside = project.root.parent / "outside.yaml"
    outside.write_text(MINIMAL.replace("id: e", "id: link"), encoding="utf-8")
    os.symlink(outside, project.path("content/evidence/link.yaml"))
    project.write("content/evidence/big.yaml", MINIMAL + "# " + "x" * 300_000 + "\n")
    assert project.generator("check").stderr.splitlines()[:2] == [
        "content/evidence/big.yaml:1:1: file is larger than 256,000 bytes; split it up",
        "content/evidence/link.yaml:1:1: symbolic link not allowed; "
        "copy what it points to here instead",
    ]


PATHOLOGICAL = ["[", "<", "&", "*", "_", "|", "`", "{", "]("]


def test_pathological_text_builds_in_bounded_time(project: Project) -> None:
    """Nearly ten thousand markup characters (the most one value may hold) in every text field
    of an entry: the build must finish, show them verbatim and pass the audit. The timeout
    guards against runaway cost; it is not a speed target."""
    project.path(SEED_FILE).unlink()
    project.write("content/licenses.yml", REGISTRY)
    texts = [character * (9_990 // len(character)) for character in PATHOLOGICAL]
    for index, text in enumerate(texts):
        entry = hostile_entry(index, text, every_field=False)
        project.write(f"content/evidence/case-{index}.yaml", entry)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for index, text in enumerate(texts):
        page = html_page(project.path("site"), f"evidence/case-{index}/")
        assert text_of(page.find("h1")) == text
    assert audit.site(project.path("site")) == {}


def test_html_in_a_hand_written_page_fails_the_build_audit(project: Project) -> None:
    """Hand-written pages are trusted Markdown, but what they publish is audited too."""
    project.write(
        "content/pages/about.md",
        "# About\n\n<img src=x onerror=alert(1)>\n\n<script>alert(1)</script>\n"
        '\n<a href="jav&#x09;ascript:alert(1)">x</a>\n',
    )
    result = project.generator("build")
    assert result.returncode == 1
    assert not project.path("site").exists()
    assert ".building-" not in result.stderr.split("ERROR")[-1], "findings name the work folder"
    lines = [line for line in result.stderr.splitlines() if line.startswith("about/index.html:")]
    assert [line.split(": ", 1)[1] for line in lines] == [
        "event handler attribute onerror= on <img>",
        "link to x: there is no such page or file in the site",
        "<script> is not allowed inside the page content",
        "javascript: URL in href= on <a>",
    ]


@pytest.mark.parametrize(
    ("what", "text"),
    [
        ("many paragraphs", "id: e\nquestion: q\nlast_reviewed: 2024-01-01\nanswer:\n"
         + "  - a [1]\n" * 40_000),
        ("many invisible characters", "id: e\nquestion: q\nlast_reviewed: 2024-01-01\nanswer:\n"
         + "  - a\u200b\n" * 25_000),
        ("many citation problems", "id: e\nquestion: q\nlast_reviewed: 2024-01-01\nanswer:\n"
         + "  - a [9]\n" * 25_000),
    ],
)  # fmt: skip
def test_large_files_are_read_in_bounded_time(project: Project, what: str, text: str) -> None:
    """Files near the size limit, made of the cheapest things to repeat. The timeout guards
    against work that grows with the square of the file; it is not a speed target."""
    project.write("content/evidence/e.yaml", text)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1  # none of them is a valid entry
    assert result.stderr.count("\n") < 100 or what == "many citation problems"


def test_file_names_that_cannot_be_shown_are_refused(project: Project) -> None:
    project.path("content/evidence/new\nline.yaml").write_text(MINIMAL)
    os.close(os.open(os.fsencode(project.path("content/evidence")) + b"/\xff.yaml", os.O_CREAT))
    os.close(os.open(os.fsencode(project.path("content/pages")) + b"/\xfe.md", os.O_CREAT))
    result = project.generator("check")
    assert result.stderr.splitlines() == [
        "content/evidence/\\xff.yaml:1:1: this file name has characters that cannot be shown; "
        "rename it",
        "content/evidence/new\\u000aline.yaml:1:1: this file name has characters that cannot be "
        "shown; rename it",
        "2 problems found.",
    ]
    for name in ("new\nline.yaml", "\udcff.yaml"):
        project.path(f"content/evidence/{name}").unlink()
    result = project.generator("render", str(project.root.parent / "out"))
    assert result.stderr.splitlines() == [
        "content/pages/\\xfe.md:1:1: this file name has characters that cannot be shown; rename it",
        "1 problem found.",
    ]
