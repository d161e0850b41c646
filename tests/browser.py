"""What the browser tests share: the system's Chromium, driven by Playwright, and axe-core.

Chromium is the system's (Debian's `chromium`; `CHROMIUM_PATH` names another); nothing is
downloaded at run time. axe-core comes from the npm registry through
tests/browser/package-lock.json (`scripts/test.sh` installs both). When either is missing the
tests are skipped on a developer's machine and fail in CI (the CI environment variable is set).
Its fixtures (conftest.py registers them): `playwright` and `browser`; `site`, every shipped
entry built with decoys that compete for their search words, and `base_url`, where it is served;
`visit`, a browser context that records every request.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)

from generator.settings import AS_OF_VARIABLE
from tests.conftest import SHIPPED_AS_OF, copy_project

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-output" / "screenshots"
"""What the browser tests leave for a person to look at."""
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PHONE: ViewportSize = {"width": 375, "height": 812}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
Scheme = Literal["light", "dark"]
SCHEMES: tuple[Scheme, ...] = ("light", "dark")


def chromium() -> str | None:
    named = os.environ.get("CHROMIUM_PATH")
    if named:
        return named
    return next(filter(None, map(shutil.which, BROWSERS)), None)


def missing(what: str) -> None:
    message = f"{what}: run `bash scripts/test.sh`, which installs it"
    if os.environ.get("CI"):
        pytest.fail(f"the browser tests cannot run in CI: {message}", pytrace=False)
    pytest.skip(message)


def axe(page: Page) -> list[dict[str, Any]]:
    """Serious and critical accessibility violations on the page, as axe-core reports them."""
    if not AXE.is_file():
        missing(f"axe-core is not installed ({AXE.relative_to(REPO)})")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "nodes": [node["target"] for node in violation["nodes"]],
        }
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def screenshot(page: Page, name: str) -> None:
    """A full-page screenshot in test-output/screenshots/, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """The system's Chromium, headless."""
    path = chromium()
    if path is None:
        missing("no Chromium found (chromium, chromium-browser, google-chrome or CHROMIUM_PATH)")
    assert path is not None
    browser = playwright.chromium.launch(
        executable_path=path,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    yield browser
    browser.close()


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


def built(folder: Path, *, decoys: bool) -> Path:
    project = copy_project(folder, everything=True)
    if decoys:
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


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped entry, and the decoys that compete with the seed for its words."""
    return built(tmp_path_factory.mktemp("browser") / "project", decoys=True)


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped entry, and nothing else."""
    return built(tmp_path_factory.mktemp("shipped") / "project", decoys=False)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def served(site: Path) -> Iterator[str]:
    """A built site, served on a loopback port as a static host would serve it."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    yield from served(site)


@pytest.fixture(scope="session")
def shipped_url(shipped_site: Path) -> Iterator[str]:
    yield from served(shipped_site)


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
    query.fill("")
    query.press_sequentially(words, delay=20)
    answered(page, words)
    results = page.locator(".md-search-result__item > a.md-search-result__link")
    hrefs = [str(href) for href in results.evaluate_all("links => links.map(a => a.href)")]
    return [urlsplit(href).path for href in hrefs]


def answered(page: Page, words: str) -> None:
    """Wait until the results shown are those of `words` (they update as each letter comes)."""
    page.wait_for_function(
        "words => document.querySelector('.md-search-result__list').dataset.query === words",
        arg=words.strip(),
    )
