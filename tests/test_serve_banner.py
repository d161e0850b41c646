"""What an author sees in a real browser when `mkdocs serve` refuses a save: a banner on every
page, with the problems, until the save is fixed. Screenshots are left in
test-output/screenshots/ (see tests/browser.py for the browser and axe-core)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page

from tests.browser import DESKTOP, PHONE, SCHEMES, axe, screenshot
from tests.conftest import SEED_FILE, Project
from tests.serving import PAGE, Server, serving, wait_for

# Pages of `mkdocs serve` are loaded, never "network idle": live reload keeps a request open.
HOSTILE_LICENSE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def server(project: Project, tmp_path: Path) -> Iterator[Server]:
    with serving(project, tmp_path / "serve.log") as running:
        yield running


def banner_problems(page: Page) -> list[str]:
    return [text.strip() for text in page.locator(".evidence-rejected li").all_inner_texts()]


def test_a_refused_save_shows_a_banner_on_every_page_until_it_is_fixed(
    browser: Browser, project: Project, server: Server
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(server.base + PAGE, wait_until="load")
        assert page.locator(".evidence-rejected").count() == 0
        alerts: list[str] = []

        def dialog_opened(dialog: Dialog) -> None:
            alerts.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dialog_opened)

        # The save names a license that does not exist, in words that would be markup.
        saved = project.read(SEED_FILE)
        project.write(
            SEED_FILE,
            saved.replace("license: nejm", f'license: "{HOSTILE_LICENSE}"').replace(
                "question: What is", "question: Unsaved - what is"
            ),
        )
        # Live reload brings the banner without a click.
        page.locator(".evidence-rejected").wait_for(state="visible", timeout=20_000)
        assert banner_problems(page) == [
            f"{SEED_FILE}:93:14: quotes[0].license: '{HOSTILE_LICENSE}' is not a valid key: use "
            "lowercase letters, digits and single hyphens, like 'nejm' or "
            "'cabozantinib-neuroendocrine-tumors'"
        ]
        heading = page.locator(".evidence-rejected__title").inner_text()
        assert " ".join(heading.split()) == (
            "Your last save is not shown: 1 problem in the content. This page shows the last "
            "good version until they are fixed."
        )
        assert page.locator(".evidence-rejected img").count() == 0  # text, never markup
        assert page.get_by_role("alert").count() == 1  # read out by screen readers
        # The last good version stays: the question as it was before the save.
        assert page.locator("h1").inner_text().startswith("What is the evidence")
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            assert axe(page) == []
        page.emulate_media(color_scheme="light")
        screenshot(page, "serve-banner-desktop")

        # Every served page says so: the home page, and a hand-written one.
        for url in ("", "about/"):
            other = context.new_page()
            other.goto(server.base + url, wait_until="load")
            assert len(banner_problems(other)) == 1, url
            other.close()
        phone = browser.new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True)
        phone.goto(server.base + PAGE, wait_until="load")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]  # the long path wraps, the page does not scroll sideways
        screenshot(phone, "serve-banner-phone")
        phone.close()

        # Fixed: the banner goes, and the save shows, again without a click.
        project.edit(SEED_FILE, f'license: "{HOSTILE_LICENSE}"', "license: nejm")
        page.locator(".evidence-rejected").wait_for(state="detached", timeout=20_000)
        wait_for(
            lambda: page.locator("h1").inner_text().startswith("Unsaved - what is"),
            10,
            "the fixed save on the page",
        )
        assert alerts == []
    finally:
        context.close()
