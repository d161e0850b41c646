"""The site's search (Pagefind, behind Material's search box), as readers use it in Chromium:
each shipped entry found first by its drug, condition, trial, a brand name and a misspelling,
with the start of its answer as the snippet; nothing loaded before the box is used; keyboard,
filters, axe. Also the synonyms registry's checks. See tests/browser.py for the site and its
decoys; and the index under `mkdocs serve`."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from generator.built import pagefind
from generator.built.pagefind import STATUS, Reindexer
from generator.content.project import Project as Paths
from generator.pages.plan import description
from tests.browser import DESKTOP, PHONE, SCHEMES, Scheme, Visit, answered, axe, screenshot, search
from tests.conftest import REPO, SEED_ID, SHIPPED_AS_OF, Project, checked, search_pages

# Each shipped entry, and what a clinician would type to find it. The two-trial entry is found
# by what sets it apart: both its drugs, both its trials.
QUERIES = {
    "cabozantinib-neuroendocrine-tumors": {
        "drug": "cabozantinib",
        "condition": "extrapancreatic neuroendocrine tumors",
        "trial": "CABINET",
        "brand": "Cabometyx",
        "misspelling": "cabozantanib",
    },
    "everolimus-lung-gastrointestinal-neuroendocrine-tumours": {
        "drug": "everolimus",
        "condition": "lung neuroendocrine tumours",
        "trial": "RADIANT-4",
        "brand": "Afinitor",
        "misspelling": "everolimsu",
    },
    "lanreotide-enteropancreatic-neuroendocrine-tumors": {
        "drug": "lanreotide",
        "condition": "enteropancreatic neuroendocrine tumors",
        "trial": "CLARINET",
        "brand": "Somatuline Depot",
        "misspelling": "lanreotyde",
    },
    "lutetium-dotatate-midgut-neuroendocrine-tumors": {
        "drug": "177Lu-Dotatate",
        "condition": "midgut neuroendocrine tumors",
        "trial": "NETTER-1",
        "brand": "Lutathera",
        "misspelling": "177Lu-Dotatete",
    },
    "nonfunctioning-neuroendocrine-tumors-placebo-controlled-trials": {
        "drug": "lanreotide everolimus",
        "condition": "nonfunctioning neuroendocrine tumors",
        "trial": "CLARINET RADIANT-4",
        "brand": "Somatuline Afinitor",
        "misspelling": "lanreotide everolimsu",
    },
}
CASES = [(entry, kind) for entry, kinds in QUERIES.items() for kind in kinds]


def answers() -> dict[str, str]:
    """Each shipped entry's snippet: the start of its answer, as its page describes it."""
    site = checked(Paths.at(REPO), SHIPPED_AS_OF).site
    return {source.entry.id: description(source.entry) for source in site.entries}


ANSWERS = answers()


def test_every_shipped_entry_has_queries() -> None:
    assert sorted(QUERIES) == sorted(ANSWERS)


@pytest.mark.parametrize(("entry", "kind"), CASES, ids=[f"{e[:20]}-{k}" for e, k in CASES])
def test_an_entry_comes_first_with_its_answer_as_the_snippet(
    visit: Visit, shipped_url: str, entry: str, kind: str
) -> None:
    page = visit.page(shipped_url)
    found = search(page, QUERIES[entry][kind])
    assert found, f"nothing found for {QUERIES[entry][kind]!r}"
    assert found[0] == f"/evidence/{entry}/", found
    snippet = page.locator(".md-search-result__item p").first.inner_text()
    assert " ".join(snippet.split()) == ANSWERS[entry]
    assert visit.elsewhere(shipped_url) == []


def test_a_brand_name_and_a_misspelling_say_what_was_searched(visit: Visit, base_url: str) -> None:
    page = visit.page(base_url)
    search(page, "Cabometyx")
    note = page.locator(".evidence-search__note")
    assert note.inner_text() == "Searching for cabozantinib (cabometyx → cabozantinib)."
    search(page, "cabozantanib")
    assert note.inner_text().startswith("Showing results for cabozantinib.")
    # The reader may insist on the words as typed.
    page.get_by_role("button", name="Search for cabozantanib instead").click()
    note.wait_for(state="hidden")


def test_a_trial_name_with_a_number_is_one_name(visit: Visit, base_url: str) -> None:
    """'NETTER 1' is NETTER-1, and its '1' alone does not match every page with a 1."""
    page = visit.page(base_url)
    for words in ("NETTER-1", "netter 1", "NETTER1"):
        found = search(page, words)
        assert found == ["/evidence/lutetium-dotatate-midgut-neuroendocrine-tumors/"], words


def test_listing_pages_are_never_results(visit: Visit, shipped_url: str) -> None:
    page = visit.page(shipped_url)
    found = search(page, "neuroendocrine tumors")
    assert len(found) == len(ANSWERS)  # every entry, and nothing else
    assert all(url.startswith("/evidence/") for url in found), found


def test_filters_by_tag(visit: Visit, base_url: str) -> None:
    page = visit.page(base_url)
    search(page, "neuroendocrine")
    chips = page.locator(".evidence-search__filter")
    assert chips.count() >= 2
    page.get_by_role("button", name=re.compile(r"^cabozantinib \(\d+\)$")).click()
    page.wait_for_function(
        "() => document.querySelectorAll('.md-search-result__item').length === 1"
    )
    chip = page.get_by_role("button", name=re.compile(r"^cabozantinib"))
    assert chip.get_attribute("aria-pressed") == "true"
    hrefs = page.locator(".md-search-result__link").evaluate_all("a => a.map(l => l.pathname)")
    assert hrefs == ["/evidence/cabozantinib-neuroendocrine-tumors/"]


def test_a_page_view_loads_no_search_index(browser: Browser, base_url: str) -> None:
    """Nothing of the index, Pagefind's script or the vocabulary comes with a page; the search
    box's own script is small. Opening the box loads Pagefind, from this site only."""
    context = browser.new_context(viewport=DESKTOP)
    sizes: dict[str, int] = {}
    context.on(
        "response",
        lambda response: sizes.__setitem__(response.url, len(response.body() or b"")),
    )
    try:
        page = context.new_page()
        page.goto(base_url + "evidence/cabozantinib-neuroendocrine-tumors/", wait_until="load")
        page.wait_for_timeout(500)
        search_urls = [url for url in sizes if "/pagefind/" in url or "vocabulary" in url]
        assert search_urls == []
        script = [n for url, n in sizes.items() if url.endswith("evidence-search.js")]
        assert script
        assert script[0] <= 50_000
        page.keyboard.press("/")
        page.wait_for_function("() => performance.getEntriesByType('resource')"
                               ".some(r => r.name.includes('/pagefind/pagefind.js'))")  # fmt: skip
    finally:
        context.close()


def test_the_keyboard_alone(visit: Visit, base_url: str) -> None:
    page = visit.page(base_url + "about/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.type("Lutathera", delay=20)
    answered(page, "Lutathera")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.matches('a.md-search-result__link')")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("s")  # Material's other key for search
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    page.keyboard.press("Enter")  # the first result
    page.wait_for_url("**/evidence/lutetium-dotatate-midgut-neuroendocrine-tumors/")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_results_open_are_accessible_at_both_widths(
    browser: Browser, base_url: str, scheme: Scheme, width: str
) -> None:
    phone = width == "phone"
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP,
        color_scheme=scheme,
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
    )
    try:
        page: Page = context.new_page()
        page.goto(base_url, wait_until="networkidle")
        if phone:  # the search icon in the header opens the box
            page.locator("label.md-header__button[for='__search']").click()
        search(page, "neuroendocrine")
        assert page.locator(".md-search-result__item").first.is_visible()
        page.wait_for_timeout(400)  # the box widens as it opens (Material's transition)
        assert axe(page) == []
        assert (
            page.evaluate("document.documentElement.scrollWidth")
            <= (PHONE if phone else DESKTOP)["width"]
        )
        screenshot(page, f"search-{width}-{scheme}")
    finally:
        context.close()


# --- the synonyms registry --------------------------------------------------------------------


def test_a_registry_that_would_mislead_is_refused(project: Project) -> None:
    project.write(
        "content/synonyms.yml",
        "synonyms:\n  cabozantinib: [Cabometyx, everolimus]\n  everolimus: [Afinitor, cabometyx]\n",
    )
    result = project.generator("check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/synonyms.yml:2:29: synonyms.cabozantinib[1]: 'everolimus' is a name of its own "
        "in this registry ('everolimus'): a search for it cannot also mean 'cabozantinib' "
        "[synonyms-unique]",
        "content/synonyms.yml:3:26: synonyms.everolimus[1]: 'cabometyx' is listed under both "
        "'cabozantinib' and 'everolimus': a search for it could not tell which is meant "
        "[synonyms-unique]",
        "2 problems found.",
    ]


def test_a_registry_is_checked_like_any_content(project: Project) -> None:
    project.write("content/synonyms.yml", "synonyms:\n  cabozantinib: Cabometyx\n")
    result = project.generator("check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(
        "content/synonyms.yml:2:17: synonyms.cabozantinib: "
    )


def test_without_a_registry_search_still_works(project: Project) -> None:
    project.path("content/synonyms.yml").unlink()
    assert project.generator("check").returncode == 0
    site = project.build()
    assert (site / "search" / "vocabulary.json").read_text(encoding="utf-8") == (
        '{"names":["CABINET (Alliance A021602)","cabozantinib","neuroendocrine tumors"],'
        '"synonyms":{}}\n'
    )


def test_a_draft_adds_no_name_to_the_vocabulary(project: Project) -> None:
    project.generator("new", "quixotrane-melanoma", "--question", "Does quixotrane help?")
    project.edit("content/evidence/quixotrane-melanoma.yaml", "tags: []", "tags: [quixotrane]")
    site = project.build()
    assert "quixotrane" not in (site / "search" / "vocabulary.json").read_text(encoding="utf-8")


# --- under `mkdocs serve` ----------------------------------------------------------------------


def status(site: Path) -> object:
    return json.loads((site / STATUS).read_text(encoding="utf-8"))["stale"]


def test_a_save_is_searchable_at_once_and_its_index_follows(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `mkdocs serve` a rebuilt site gets the last index at once, marked stale, while a new
    one is made beside it; then the new one replaces it. An index made for pages that a newer
    save has replaced meanwhile is thrown away."""
    site = project.build()
    reindexer = Reindexer(tmp_path / "kept")
    reindexer.begin()
    reindexer.serve(site)  # the first build waits for its index
    assert status(site) is False
    first = {doc["url"] for doc in search_pages(site)}

    release = threading.Event()
    real_index = pagefind.index
    cancels: list[threading.Event] = []

    def slow_index(
        site_dir: Path, output: Path | None = None, *, cancel: threading.Event | None = None
    ) -> pagefind.Indexed:
        assert cancel is not None
        cancels.append(cancel)
        release.wait(timeout=30)
        return real_index(site_dir, output)

    monkeypatch.setattr(pagefind, "index", slow_index)
    page = site / "evidence" / SEED_ID / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", " zebrafinch</h1>", 1))
    reindexer.begin()
    reindexer.serve(site)
    assert status(site) is True  # served at once, with the index of the save before
    assert {doc["url"] for doc in search_pages(site)} == first
    release.set()
    assert reindexer.thread is not None
    reindexer.thread.join(timeout=30)
    assert status(site) is False
    assert any("zebrafinch" in doc["content"] for doc in search_pages(site))

    # A newer save began while the index was being made: that index is for old pages.
    release.clear()
    reindexer.begin()
    asked = len(cancels)
    reindexer.serve(site)
    deadline = time.monotonic() + 30
    while len(cancels) == asked and time.monotonic() < deadline:  # the remake has begun
        time.sleep(0.01)
    assert not cancels[-1].is_set()
    reindexer.begin()  # the next save: the index being made is stopped
    assert cancels[-1].is_set()
    release.set()
    reindexer.thread.join(timeout=30)
    assert status(site) is True  # left for the next save's index to put right


def test_a_stopped_index_stops_pagefind(project: Project, tmp_path: Path) -> None:
    """What `Reindexer.begin` does to an index still being made when a newer save begins."""
    site = project.build()
    cancel = threading.Event()
    cancel.set()  # the small site would be indexed before a timer fired
    started = time.monotonic()
    with pytest.raises(pagefind.PagefindError, match="cancelled"):
        pagefind.index(site, tmp_path / "stopped", cancel=cancel)
    assert time.monotonic() - started < 5
    assert not (tmp_path / "stopped" / "pagefind.js").exists()
