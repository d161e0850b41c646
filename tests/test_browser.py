"""The built site in a real browser: search, privacy, accessibility, small screens, the plot.

Chromium is the system's (Debian's `chromium`; `CHROMIUM_PATH` names another), driven by
Playwright; nothing is downloaded at run time. axe-core comes from the npm registry through
tests/browser/package-lock.json (`scripts/test.sh` installs both). When either is missing the
tests are skipped on a developer's machine and fail in CI (the CI environment variable is set).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from generator.settings import AS_OF_VARIABLE
from tests.browser import DESKTOP, PHONE, SCHEMES, Scheme, axe, screenshot
from tests.conftest import REPO, SEED_ID, SHIPPED_AS_OF, copy_project

SITE_URL = "https://evidence.example.org/"  # canonical addresses only: never requested

# Fictional entries that compete with the seed for its search words: in the sources they did
# not use (left out of the index), or in passing, as ordinary prose would.
DECOYS = {
    "metformin-type-2-diabetes": """\
id: metformin-type-2-diabetes
question: "Fictional test entry: does metformin lower HbA1c in type 2 diabetes?"
last_reviewed: 2024-01-10
tags: [metformin, diabetes]
answer:
  - >-
    This entry is made up for the browser tests. It describes the change in HbA1c with
    metformin, and the chance of side effects that change the dose [1].
references:
  - title: A made-up reference for the browser tests
    authors: [Example A]
external_sources:
  - title: "Cabozantinib for pancreatic neuroendocrine tumors: the CABINET trial (Chan JA)"
    source: An external source not used in the answer
""",
    "everolimus-lung-carcinoids": """\
id: everolimus-lung-carcinoids
question: "Fictional test entry: is everolimus used for lung neuroendocrine tumors?"
last_reviewed: 2026-10-01
tags: [everolimus, neuroendocrine tumors]
answer:
  - >-
    This entry is made up for the browser tests. Everolimus tablets are kept in a locked
    cabinet on the ward; neuroendocrine tumors of the lung are discussed here [1].
references:
  - title: Another made-up reference for the browser tests
    authors: [Example B]
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("browser") / "project", everything=True)
    for name, text in DECOYS.items():
        project.write(f"content/evidence/{name}.yaml", text)
    saved = os.environ.get("EVIDENCE_SITE_URL")
    os.environ["EVIDENCE_SITE_URL"] = SITE_URL
    try:
        # strict=False: the stale decoy is a warning
        return project.build(strict=False, environment={AS_OF_VARIABLE: SHIPPED_AS_OF.isoformat()})
    finally:
        if saved is None:
            del os.environ["EVIDENCE_SITE_URL"]
        else:
            os.environ["EVIDENCE_SITE_URL"] = saved


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """The built site, served on a loopback port as a static host would serve it."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


class Visit:
    """A browser context that records every request its pages make."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.requests: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))

    def page(self, url: str) -> Page:
        page = self.context.new_page()
        page.goto(url, wait_until="networkidle")
        return page

    def elsewhere(self, base_url: str) -> list[str]:
        """Requests to any host but the site's own."""
        own = urlsplit(base_url).netloc
        return [url for url in self.requests if urlsplit(url).netloc != own]


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    yield Visit(context)
    context.close()


def search(page: Page, words: str) -> list[str]:
    """Type into the search box as a reader does; the addresses of the results, best first."""
    query = page.locator("input.md-search__input")
    query.click()
    query.press_sequentially(words, delay=20)
    results = page.locator(".md-search-result__item > a.md-search-result__link")
    results.first.wait_for(state="visible")
    page.wait_for_timeout(300)  # results update as each letter arrives
    hrefs = [str(href) for href in results.evaluate_all("links => links.map(a => a.href)")]
    return [urlsplit(href).path for href in hrefs]


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
    assert any(url.endswith("search/search_index.json") for url in visit.requests)
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
