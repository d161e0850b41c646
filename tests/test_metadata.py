"""What search engines and link previews read: description, canonical address, sitemap, JSON-LD."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import SEED_ID, Project, html_page

SITE_URL = "https://evidence.example.org/clinical/"


def json_ld(page: BeautifulSoup) -> Any:
    blocks = page.find_all("script", attrs={"type": "application/ld+json"})
    assert len(blocks) == 1
    return json.loads(blocks[0].get_text())


def test_entry_page_json_ld_describes_the_page_and_cites_its_sources(seed_site: Path) -> None:
    data = json_ld(html_page(seed_site, f"evidence/{SEED_ID}/"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert (
        data["name"] == "What is the evidence for the use of cabozantinib in neuroendocrine tumors?"
    )
    assert data["lastReviewed"] == "2026-11-24"
    assert data["keywords"] == ["cabozantinib", "neuroendocrine tumors"]
    first = data["citation"][0]
    assert first == {
        "@type": "ScholarlyArticle",
        "name": "Phase 3 Trial of Cabozantinib to Treat Advanced Neuroendocrine Tumors",
        "author": [
            {"@type": "Person", "name": "Chan JA"},
            {"@type": "Person", "name": "Geyer S"},
            {"@type": "Person", "name": "Zemla T"},
        ],
        "isPartOf": {"@type": "Periodical", "name": "N Engl J Med"},
        "datePublished": "2024-09-16",
        "identifier": [
            {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1056/NEJMoa2403991"},
            {"@type": "PropertyValue", "propertyID": "PMID", "value": "39282913"},
            {"@type": "PropertyValue", "propertyID": "PMCID", "value": "PMC11821447"},
            {"@type": "PropertyValue", "propertyID": "NCT", "value": "NCT03375320"},
        ],
        "sameAs": "https://doi.org/10.1056/NEJMoa2403991",
    }
    dois = [
        identifier["value"]
        for article in data["citation"]
        for identifier in article.get("identifier", [])
        if identifier["propertyID"] == "DOI"
    ]
    assert dois == ["10.1056/NEJMoa2403991", "10.1530/ERC-23-0232", "10.1158/2159-8290.CD-11-0240"]
    assert len(data["citation"]) == 3


def test_the_meta_description_is_the_start_of_the_answer(seed_site: Path) -> None:
    page = html_page(seed_site, f"evidence/{SEED_ID}/")
    description = page.find("meta", attrs={"name": "description"})
    assert isinstance(description, Tag)
    assert description["content"] == (
        "The evidence for the use of cabozantinib in neuroendocrine tumors (NETs) is supported by "
        "several clinical studies and trials. A pivotal study published in The…"
    )
    assert json_ld(page)["description"] == description["content"]


def test_other_pages_have_no_json_ld_and_the_site_description(seed_site: Path) -> None:
    for url in ("", "tags/cabozantinib/", "tags/", "permissions/", "about/"):
        page = html_page(seed_site, url)
        assert page.find_all("script", attrs={"type": "application/ld+json"}) == [], url
        description = page.find("meta", attrs={"name": "description"})
        assert isinstance(description, Tag)
        assert str(description["content"]).startswith("Answers to clinical questions"), url


def test_without_a_site_url_pages_name_no_canonical_address(seed_site: Path) -> None:
    page = html_page(seed_site, f"evidence/{SEED_ID}/")
    assert page.find("link", rel="canonical") is None


def test_the_site_url_gives_canonical_addresses_and_a_full_sitemap(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVIDENCE_SITE_URL", SITE_URL)
    site = project.build()
    page = html_page(site, f"evidence/{SEED_ID}/")
    canonical = page.find("link", rel="canonical")
    assert isinstance(canonical, Tag)
    assert canonical["href"] == f"{SITE_URL}evidence/{SEED_ID}/"
    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    addresses = sorted(str(loc.text) for loc in sitemap.findall("s:url/s:loc", namespace))
    assert addresses == [
        f"{SITE_URL}{path}"
        for path in (
            "",
            "about/",
            f"evidence/{SEED_ID}/",
            "permissions/",
            "tags/",
            "tags/cabozantinib/",
            "tags/neuroendocrine-tumors/",
        )
    ]


def material_search(project: Project) -> Path:
    """The site built with Material's search in place of the site's own (`search: material`)."""
    project.edit("mkdocs.yml", "plugins:\n", "plugins:\n  - search\n")
    project.edit("mkdocs.yml", "      search: pagefind\n", "      search: material\n")
    return project.build()


def test_search_keywords_sit_on_the_entry_once_not_on_each_section(project: Project) -> None:
    """With Material's search, kept for small sites: its index (which every page loads) holds
    an entry's keywords once, and no listing page."""
    site = material_search(project)
    assert not (site / "pagefind").exists()
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [doc for doc in index["docs"] if doc["location"].startswith(("tags/", "#"))]
    entry = [doc for doc in index["docs"] if doc["location"].startswith(f"evidence/{SEED_ID}/")]
    assert entry[0]["location"] == f"evidence/{SEED_ID}/"
    assert entry[0]["tags"][:4] == [
        "cabozantinib",
        "neuroendocrine tumors",
        "CABINET (Alliance A021602)",
        "Chan JA",
    ]
    assert len(entry) > 5
    assert [doc["location"] for doc in entry[1:] if "tags" in doc] == []


@pytest.mark.parametrize(
    ("site_url", "message"),
    [
        (
            "https://example.org/evidence%20site/",
            "site_url (EVIDENCE_SITE_URL) holds '%' in its path: "
            "'https://example.org/evidence%20site/'; write the path with letters, digits and "
            "- . _ ~ / only, without spaces or %-escapes",
        ),
        (
            "https://user@example.org/",
            "site_url (EVIDENCE_SITE_URL) must not hold a user name or password: "
            "'https://user@example.org/'",
        ),
    ],
)
def test_the_sites_address_is_checked_before_building(
    project: Project, site_url: str, message: str
) -> None:
    result = project.generator("build", environment={"EVIDENCE_SITE_URL": site_url})
    assert result.returncode == 1
    assert (result.stderr, result.stdout) == (
        f"ERROR   -  {message}\n",
        "\nAborted with a BuildError!\nThe build failed: site/ is as it was.\n",
    )
    assert not project.path("site").exists()
