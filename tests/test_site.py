"""The built site: what a reader of the seed entry sees, checked in the HTML MkDocs wrote."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import REPO, SEED_ID, html_page, search_pages, text_of

ENTRY_URL = f"evidence/{SEED_ID}/"
SEED = (Path(__file__).parent / "data" / "seed-answer.txt").read_text(encoding="utf-8")
SEED_LINES = SEED.splitlines()


@pytest.fixture(scope="module")
def entry(seed_site: Path) -> BeautifulSoup:
    return html_page(seed_site, ENTRY_URL)


def article(page: BeautifulSoup) -> Tag:
    found = page.find("article")
    assert isinstance(found, Tag)
    return found


def section(page: BeautifulSoup, heading_id: str) -> list[Tag]:
    """The elements after the <h2 id=...> up to the next h2."""
    heading = page.find("h2", id=heading_id)
    assert isinstance(heading, Tag), f"no section {heading_id}"
    elements = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        elements.append(sibling)
    return elements


def test_title_and_review_date(entry: BeautifulSoup) -> None:
    question = "What is the evidence for the use of cabozantinib in neuroendocrine tumors?"
    assert text_of(entry.find("h1")) == question
    assert text_of(entry.find("title")) == f"{question} - Clinical Evidence"
    meta = text_of(article(entry).find("p"))
    assert meta == "Last reviewed November 24, 2026 · Tags: cabozantinib, neuroendocrine tumors"


def test_both_cohorts_numbers_in_the_results_table(entry: BeautifulSoup) -> None:
    elements = section(entry, "trial-results")
    assert text_of(elements[0]) == "CABINET (Alliance A021602)"
    assert elements[0].name == "h3"
    assert text_of(elements[1]) == "Reported in reference [1]."
    assert elements[1].find("a")["href"] == "#ref.1"  # type: ignore[index]
    cohorts = [element for element in elements if element.name == "section"]
    assert len(cohorts) == 2

    def rows(table: Tag) -> list[list[str]]:
        return [[text_of(cell) for cell in row.find_all(["th", "td"])] for row in table("tr")]

    shown = []
    for cohort in cohorts:
        outcome, comparisons = cohort.select("table")  # no arms table: no regimen or counts
        assert text_of(outcome.find("caption")) == "Progression-free survival (abstract)"
        shown.append((text_of(cohort.find("p")), rows(outcome), rows(comparisons)))
    assert shown == [
        (
            "Extrapancreatic neuroendocrine tumors · 203 patients randomised",
            [["Arm", "Median, months"], ["Cabozantinib", "8.4 months"], ["Placebo", "3.9 months"]],
            [
                ["Comparison", "Effect", "P value"],
                [
                    "Cabozantinib vs Placebo",
                    "HR 0.38 (95% CI 0.25–0.59) stratified hazard ratio for progression or death",
                    "<0.001",
                ],
            ],
        ),
        (
            "Pancreatic neuroendocrine tumors · 95 patients randomised",
            [["Arm", "Median, months"], ["Cabozantinib", "13.8 months"], ["Placebo", "4.4 months"]],
            [
                ["Comparison", "Effect", "P value"],
                [
                    "Cabozantinib vs Placebo",
                    "HR 0.23 (95% CI 0.12–0.42) stratified hazard ratio",
                    "<0.001",
                ],
            ],
        ),
    ]
    table = cohorts[0].select("table")[1]
    assert table.find("abbr")["title"] == "hazard ratio"  # type: ignore[index]


def test_licensed_quote_block(entry: BeautifulSoup) -> None:
    figure = entry.find("figure", class_="evidence-quote")
    assert isinstance(figure, Tag)
    assert text_of(figure.find("blockquote")) == SEED_LINES[1]
    caption = [text_of(p) for p in figure.find("figcaption").find_all("p")]  # type: ignore[union-attr]
    assert caption == [
        "— Jennifer A. Chan, M.D., M.P.H., et al., Dana–Farber Cancer Institute and other "
        "institutions",
        "Phase 3 Trial of Cabozantinib to Treat Advanced Neuroendocrine Tumors. N Engl J Med. "
        "September 16, 2024. [1]",
        "Used under license from The New England Journal of Medicine.",
    ]
    assert SEED_LINES[2] == caption[0]
    assert SEED_LINES[4] == caption[2]
    links = {a.get_text(): a["href"] for a in figure.find_all("a")}
    assert links == {
        "Phase 3 Trial of Cabozantinib to Treat Advanced Neuroendocrine Tumors. N Engl J Med. "
        "September 16, 2024.": "https://doi.org/10.1056/NEJMoa2403991",
        "1": "#ref.1",
        "Used under license from The New England Journal of Medicine.": "https://www.nejm.org/",
    }
    assert figure.find("blockquote")["cite"] == "https://doi.org/10.1056/NEJMoa2403991"  # type: ignore[index]


def test_summary_markers_link_to_numbered_references(entry: BeautifulSoup) -> None:
    paragraphs = section(entry, "summary")
    assert [text_of(p) for p in paragraphs] == SEED_LINES[5:8]
    cited = [a["href"] for p in paragraphs for a in p.find_all("a", class_="citation")]
    assert cited == ["#ref.1", "#ref.2", "#ref.3"]
    assert "progression.[1]" in text_of(paragraphs[0])
    assert "metastasis.[2-3] These" in text_of(paragraphs[1])

    references = entry.find("ol", class_="evidence-references")
    assert isinstance(references, Tag)
    items = references.find_all("li")
    assert [item["id"] for item in items] == ["ref.1", "ref.2", "ref.3"]
    assert text_of(items[0]) == (
        "Chan JA, Geyer S, Zemla T, et al. Phase 3 Trial of Cabozantinib to Treat Advanced "
        "Neuroendocrine Tumors. N Engl J Med. 2025 Feb 13;392(7):653-665. Published online "
        "September 16, 2024. doi:10.1056/NEJMoa2403991 · PubMed 39282913 · PMC11821447 · "
        "ClinicalTrials.gov NCT03375320"
    )
    assert [a["href"] for a in items[0].find_all("a")] == [
        "https://doi.org/10.1056/NEJMoa2403991",
        "https://pubmed.ncbi.nlm.nih.gov/39282913/",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC11821447/",
        "https://clinicaltrials.gov/study/NCT03375320",
    ]
    assert text_of(items[1]).startswith("Cella CA, Cazzoli R, Fazio N, et al. Cabozantinib in")
    assert "Endocr Relat Cancer. 2023;30(12):e230232." in text_of(items[1])
    assert "Cancer Discov. 2012;2(3):270-287." in text_of(items[2])


def test_external_sources_under_the_not_used_disclaimer(entry: BeautifulSoup) -> None:
    elements = section(entry, "external-sources")
    assert text_of(elements[0]) == SEED_LINES[8]
    assert SEED_LINES[8] == (
        "These external web sources may be relevant to your question. "
        "They are not used in the answer."
    )
    items = [text_of(li) for li in elements[1].find_all("li")]
    assert len(items) == 2
    # The seed cut the first title short with "..."; the entry holds it in full.
    assert items[0].startswith(SEED_LINES[9].removesuffix("..."))
    assert items[0].endswith("Clinics and Research in Hepatology and Gastroenterology")
    assert items[1] == SEED_LINES[10]


def test_nothing_in_the_seed_answer_is_lost(entry: BeautifulSoup) -> None:
    page_text = text_of(article(entry))
    for line in SEED_LINES:
        assert line.removesuffix("...").strip() in page_text


def test_home_page_lists_the_entry(seed_site: Path) -> None:
    home = html_page(seed_site, "")
    table = article(home).find("table")
    assert isinstance(table, Tag)
    rows = [[text_of(cell) for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]
    assert rows == [
        ["Question", "Tags", "Last reviewed"],
        [
            "What is the evidence for the use of cabozantinib in neuroendocrine tumors?",
            "cabozantinib, neuroendocrine tumors",
            "November 24, 2026",
        ],
    ]
    links = [a["href"] for a in table.find_all("a")]
    assert links == [ENTRY_URL, "tags/cabozantinib/", "tags/neuroendocrine-tumors/"]


def test_tag_pages(seed_site: Path) -> None:
    tags = html_page(seed_site, "tags/")
    table = article(tags).find("table")
    assert isinstance(table, Tag)
    assert [text_of(a) for a in table.find_all("a")] == [
        "cabozantinib",
        "neuroendocrine tumors",
    ]
    tag = html_page(seed_site, "tags/neuroendocrine-tumors/")
    assert text_of(tag.find("h1")) == "Tagged “neuroendocrine tumors”"
    assert [a["href"] for a in article(tag).find_all("a") if "evidence/" in a["href"]] == [
        f"../../{ENTRY_URL}"
    ]


def test_entry_pages_are_not_in_the_sidebar(seed_site: Path, entry: BeautifulSoup) -> None:
    sidebar = entry.find("nav", class_="md-nav--primary")
    assert isinstance(sidebar, Tag)
    titles = [text_of(a) for a in sidebar.find_all("a", class_="md-nav__link")]
    assert titles == ["Clinical questions", "Tags", "Sources and permissions", "About"]


FETCHED = {"script": "src", "img": "src", "iframe": "src", "source": "src", "link": "href"}
NOT_FETCHED_LINKS = {"canonical", "alternate"}


def test_no_request_to_another_host_is_written_into_pages(seed_site: Path) -> None:
    """Loading a page fetches nothing from other hosts: no fonts, scripts, styles or images."""
    fetched = []
    for page in seed_site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for name, attribute in FETCHED.items():
            for element in soup.find_all(name):
                if name == "link" and NOT_FETCHED_LINKS & set(element.get("rel") or []):
                    continue
                url = element.get(attribute)
                if url:
                    fetched.append(str(url))
    assert fetched, "found no resources at all: the check is not looking at the pages"
    assert [url for url in fetched if re.match(r"(https?:)?//", url)] == []


@pytest.mark.parametrize("word", ["cabozantinib", "CABINET", "neuroendocrine"])
def test_the_search_index_finds_the_entry(seed_site: Path, word: str) -> None:
    (entry,) = [page for page in search_pages(seed_site) if page["url"] == f"/{ENTRY_URL}"]
    assert re.search(rf"\b{word}\b", entry["content"], re.IGNORECASE)


def test_the_search_index_holds_pages_not_listings(seed_site: Path) -> None:
    """A search finds the entries themselves, never the home or tag pages that list them; the
    snippet shown for an entry is the start of its answer, its tags are its filters."""
    pages = search_pages(seed_site)
    assert [page["url"] for page in pages] == ["/about/", f"/{ENTRY_URL}"]
    entry = pages[1]
    assert entry["meta"]["title"] == (
        "What is the evidence for the use of cabozantinib in neuroendocrine tumors?"
    )
    assert entry["meta"]["answer"].startswith("The evidence for the use of cabozantinib in")
    assert entry["filters"] == {
        "tag": ["cabozantinib", "neuroendocrine tumors"],
        "trial": ["CABINET (Alliance A021602)"],
        "author": [
            "Chan JA", "Geyer S", "Zemla T", "Cella CA", "Cazzoli R", "Fazio N", "Sennino B",
            "Ishiguro-Oonuma T", "Wei Y",
        ],
    }  # fmt: skip
    assert "¶" not in entry["content"]  # the headings' permalink signs
    assert "Mixed neuroendocrine non-neuroendocrine neoplasm" not in entry["content"]


def test_the_search_overrides_are_materials_own_but_for_their_changes(seed_site: Path) -> None:
    ours = (REPO / "site_templates" / "theme" / "partials" / "search.html").read_text("utf-8")
    theirs = (Path(material.__file__).parent / "templates" / "partials" / "search.html").read_text(
        "utf-8"
    )
    strip_comment = re.compile(r"\A\{#-.*?-#\}\n", re.DOTALL)
    named = ' role="dialog" aria-label="{{ lang.t(\'search\') }}">'
    assert strip_comment.sub("", ours) == strip_comment.sub("", theirs).replace(
        ' role="dialog">', named, 1
    )
    # The header: Material's, but that with the site's own search it holds that search box.
    header = Path(material.__file__).parent / "templates" / "partials" / "header.html"
    ours = (REPO / "site_templates" / "theme" / "partials" / "header.html").read_text("utf-8")
    own_search = re.compile(r"    \{% if config\.extra\.evidence_search %\}.*?\{% elif ", re.DOTALL)
    assert strip_comment.sub("", own_search.sub("    {% if ", ours, count=1)) == (
        strip_comment.sub("", header.read_text("utf-8"))
    )
    dialog = html_page(seed_site, "").find("div", attrs={"data-evidence-search": True})
    assert isinstance(dialog, Tag)
    assert dialog["aria-label"] == "Search"
