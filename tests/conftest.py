"""Shared fixtures: a copy of the real project in a temporary folder, and real MkDocs builds."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from mkdocs.commands.build import build
from mkdocs.config import load_config

REPO = Path(__file__).resolve().parent.parent
SEED_ID = "cabozantinib-neuroendocrine-tumors"
SEED_FILE = f"content/evidence/{SEED_ID}.yaml"
PROJECT_PARTS = ("mkdocs.yml", "content", "site_templates", "schema")


@dataclass
class Project:
    """A project folder with the repository's content, templates and configuration."""

    root: Path

    def path(self, relative: str) -> Path:
        return self.root / relative

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str) -> Path:
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def edit(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert old in text, f"{old!r} is not in {relative}"
        self.write(relative, text.replace(old, new, 1))

    def build(self, *, strict: bool = True) -> Path:
        """Build the site with MkDocs, as `mkdocs build` does; return the site folder."""
        site = self.root / "site"
        config = load_config(
            config_file=str(self.root / "mkdocs.yml"), strict=strict, site_dir=str(site)
        )
        build(config)
        return site

    def generator(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        """Run `python -m generator ...` in the project folder."""
        return subprocess.run(
            [sys.executable, "-m", "generator", *arguments],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
        )


def copy_project(target: Path) -> Project:
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return Project(target)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own content, built once with `mkdocs build --strict`."""
    return copy_project(tmp_path_factory.mktemp("seed") / "project").build()


def html_page(site: Path, url: str) -> BeautifulSoup:
    """The built page at `url` (like 'evidence/x/'), parsed."""
    path = site / url / "index.html" if url.endswith("/") or not url else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(element: object) -> str:
    """Text as a reader sees it: line breaks and whitespace runs as one space, no permalinks."""
    assert isinstance(element, Tag), f"expected an element, got {element!r}"
    element = copy.copy(element)
    for permalink in element.find_all("a", class_="headerlink"):
        permalink.decompose()
    for line_break in element.find_all("br"):
        line_break.replace_with(" ")
    return " ".join(element.get_text().split())
