"""What the browser tests share: the system's Chromium, driven by Playwright, and axe-core.

Chromium is the system's (Debian's `chromium`; `CHROMIUM_PATH` names another); nothing is
downloaded at run time. axe-core comes from the npm registry through
tests/browser/package-lock.json (`scripts/test.sh` installs both). When either is missing the
tests are skipped on a developer's machine and fail in CI (the CI environment variable is set).
The fixtures `playwright` and `browser` are in conftest.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Page, ViewportSize

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
