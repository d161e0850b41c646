"""The built site in a real browser: search, privacy, accessibility, small screens, the plot.

Chromium is the system's (Debian's `chromium`; `CHROMIUM_PATH` names another), driven by
Playwright; nothing is downloaded at run time. axe-core comes from the npm registry through
tests/browser/package-lock.json (`scripts/test.sh` installs both). When either is missing the
tests are skipped on a developer's machine and fail in CI (the CI environment variable is set).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser import (
    DESKTOP,
    PHONE,
    SCHEMES,
    SCREENSHOTS,
    Scheme,
    Visit,
    axe,
    screenshot,
    search,
)
from tests.conftest import REPO, SEED_ID


@pytest.mark.parametrize("words", ["cabozantinib", "CABINET", "pancreatic", "Chan"])
def test_search_finds_the_entry_first(visit: Visit, base_url: str, words: str) -> None:
    page = visit.page(base_url)
    found = search(page, words)
    assert found, f"no results for {words!r}"
    assert found[0] == f"/evidence/{SEED_ID}/", found
    assert visit.elsewhere(base_url) == []


def test_sources_not_used_in_the_answer_are_not_searched(visit: Visit, base_url: str) -> None:
    page = visit.page(base_url)
    found = search(page, "pancreatic")
    assert "/evidence/metformin-type-2-diabetes/" not in found


def pages(site: Path) -> list[str]:
    """The address of every page of the built site, the 404 page included."""
    found = sorted(
        path.relative_to(site).parent.as_posix() + "/" for path in site.rglob("index.html")
    )
    return [("" if url == "./" else url) for url in found] + ["404.html"]


def test_no_page_and_no_search_asks_another_host(visit: Visit, base_url: str, site: Path) -> None:
    for url in pages(site):
        visit.page(base_url + url).close()
    search(visit.page(base_url), "cabozantinib")
    assert len(visit.requests) > len(pages(site))  # the recording works: pages, styles, scripts
    assert any(url.endswith("pagefind/pagefind.js") for url in visit.requests)
    assert any(url.endswith("search/vocabulary.json") for url in visit.requests)
    assert visit.elsewhere(base_url) == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize(
    "url",
    [
        "",
        f"evidence/{SEED_ID}/",
        "tags/neuroendocrine-tumors/",
        "evidence/metformin-type-2-diabetes/",
    ],
)
def test_no_serious_accessibility_problems(
    browser: Browser, base_url: str, url: str, scheme: Scheme
) -> None:
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(base_url + url, wait_until="networkidle")
        assert axe(page) == []
    finally:
        context.close()


def test_no_serious_accessibility_problems_in_search_results(visit: Visit, base_url: str) -> None:
    page = visit.page(base_url)
    search(page, "cabozantinib")
    assert axe(page) == []


def test_the_keyboard_reaches_search_and_its_results(visit: Visit, base_url: str) -> None:
    page = visit.page(base_url)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('input.md-search__input')"):
            break
    else:
        pytest.fail("Tab never reached the search box")
    page.keyboard.type("CABINET", delay=20)
    page.locator(".md-search-result__item").first.wait_for(state="visible")
    page.wait_for_timeout(300)
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.closest('.md-search-result__item') !== null")
    assert focused, "the arrow key did not move into the results"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/evidence/{SEED_ID}/**")
    assert page.locator("h1").inner_text().startswith("What is the evidence for the use")


def test_no_page_scrolls_sideways_on_a_phone(browser: Browser, base_url: str, site: Path) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    try:
        page = context.new_page()
        wide = {}
        for url in pages(site):
            page.goto(base_url + url, wait_until="networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide[url] = width
        assert wide == {}
    finally:
        context.close()


SHIPPED = sorted(path.stem for path in (REPO / "content" / "evidence").glob("*.yaml"))
OVERFLOW = """() => {
  const found = [];
  const right = document.documentElement.clientWidth;
  for (const element of document.querySelectorAll('article.md-content__inner *')) {
    const style = getComputedStyle(element);
    if (style.display === 'none' || element.closest('thead')) continue;
    const box = element.getBoundingClientRect();
    const name = element.tagName.toLowerCase() + '.' + [...element.classList].join('.');
    if (element.scrollWidth > element.clientWidth + 1 && style.overflowX !== 'visible'
        && element.clientWidth > 0)
      found.push(`${name} scrolls: ${element.scrollWidth} > ${element.clientWidth}`);
    if (box.width > 0 && (box.right > right + 1 || box.left < -1))
      found.push(`${name} is cut off: ${Math.round(box.left)}..${Math.round(box.right)}`);
  }
  for (const text of document.querySelectorAll('svg.evidence-forest__plot text')) {
    const svg = text.ownerSVGElement.viewBox.baseVal;
    const box = text.getBBox();
    if (box.x < -0.5 || box.x + box.width > svg.width + 0.5)
      found.push(`plot text '${text.textContent}' runs out of the plot`);
  }
  return found;
}"""


@pytest.mark.parametrize("entry", SHIPPED)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_every_part_of_a_shipped_entry_fits_the_screen(
    browser: Browser, base_url: str, entry: str, scheme: Scheme, width: str
) -> None:
    """No element of the page content scrolls sideways or is cut off, at 375 and 1280 px, in
    both palettes: every figure of the results, its CI level and P value are in view. A
    screenshot of each is left in test-output/screenshots/ for a person to look at."""
    viewport = PHONE if width == "phone" else DESKTOP
    context = browser.new_context(
        viewport=viewport,
        color_scheme=scheme,
        device_scale_factor=2 if width == "phone" else 1,
        is_mobile=width == "phone",
    )
    try:
        page = context.new_page()
        page.goto(base_url + f"evidence/{entry}/", wait_until="networkidle")
        assert page.evaluate(OVERFLOW) == []
        cells = page.locator("table.evidence-table td")
        assert cells.count() > 0
        for index in range(cells.count()):
            assert cells.nth(index).is_visible()
        if width == "phone":  # each row is a card: its cells stack, labelled
            label = page.evaluate(
                "getComputedStyle(document.querySelector('table.evidence-table td'), "
                "'::before').content"
            )
            assert label.endswith(': "')
        screenshot(page, f"{entry}-{width}-{scheme}")
    finally:
        context.close()


def test_the_plot_follows_the_palette(browser: Browser, base_url: str) -> None:
    colours = {}
    for scheme in SCHEMES:
        context = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(base_url + f"evidence/{SEED_ID}/", wait_until="networkidle")
            colours[scheme] = page.evaluate(
                """() => {
                  const style = (selector, property) =>
                    getComputedStyle(document.querySelector(selector))[property];
                  return {
                    whisker: style('.evidence-forest__ci', 'stroke'),
                    label: style('.evidence-forest__label', 'fill'),
                    text: style('article.md-typeset', 'color'),
                    background: getComputedStyle(document.body).backgroundColor,
                  };
                }"""
            )
        finally:
            context.close()
    for scheme in ("light", "dark"):
        assert colours[scheme]["whisker"] == colours[scheme]["label"] == colours[scheme]["text"]
    assert colours["light"]["whisker"] != colours["dark"]["whisker"]
    assert colours["light"]["background"] != colours["dark"]["background"]


def test_a_stale_entry_shows_that_its_review_is_due(visit: Visit, base_url: str) -> None:
    page = visit.page(base_url + "evidence/metformin-type-2-diabetes/")
    notice = page.locator(".evidence-review-due")
    assert notice.is_visible()
    expected = (
        "Review due This answer was last reviewed on January 10, 2024, more than 12 months ago. "
        "It may not include newer evidence."
    )
    assert notice.inner_text().split() == expected.split()
    fresh = visit.page(base_url + f"evidence/{SEED_ID}/")
    assert fresh.locator(".evidence-review-due").count() == 0
    assert fresh.get_by_text("Last reviewed November 24, 2026").is_visible()


LUTETIUM = "lutetium-dotatate-midgut-neuroendocrine-tumors"


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_summary_of_findings_reads_at_375_and_1280_px(
    browser: Browser, shipped_url: str, width: str
) -> None:
    """The summary of findings of a shipped entry with certainty and absolute effects: in
    view, axe clean, its footnotes linked; a screenshot of it at each width is left in
    test-output/screenshots/."""
    phone = width == "phone"
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP, device_scale_factor=2 if phone else 1, is_mobile=phone
    )
    try:
        page = context.new_page()
        page.goto(shipped_url + f"evidence/{LUTETIUM}/", wait_until="networkidle")
        findings = page.locator(".evidence-findings")
        assert page.evaluate(OVERFLOW) == []
        assert "⊕⊕⊕◯ Moderate" in findings.inner_text()
        assert "544 more per 1,000 (349 more to 681 more)" in findings.inner_text()
        page.locator(".evidence-findings sup a").first.click()
        assert page.evaluate("location.hash") == "#findings-note-a"
        assert axe(page) == []
        findings.scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        findings.screenshot(  # without the header, which would sit over its first row
            path=str(SCREENSHOTS / f"summary-of-findings-{width}.png"),
            style=".md-header { visibility: hidden; }",
        )
    finally:
        context.close()


def test_the_summary_of_findings_prints_alone_on_one_a4_page(
    browser: Browser, shipped_url: str
) -> None:
    """Its button (added by evidence-findings.js) prints the table alone: as Chromium prints
    it, on one A4 page, with the entry's question above it and none of its other sections."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(shipped_url + f"evidence/{LUTETIUM}/", wait_until="networkidle")
        page.evaluate("window.print = () => {}")  # the dialog: what it prints is checked below
        page.get_by_role("button", name="Print the summary of findings").click()
        page.emulate_media(media="print")
        assert page.locator(".evidence-findings table").is_visible()
        assert not page.locator("h2#trial-results").is_visible()
        assert page.locator("h1").is_visible()
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
    finally:
        context.close()
