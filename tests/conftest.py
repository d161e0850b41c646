"""Shared fixtures: a copy of the real project in a temporary folder, and real MkDocs builds."""

from __future__ import annotations

import copy
import gzip
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.checks import suite
from generator.checks.licensing import fingerprint
from generator.checks.suite import Checked
from generator.content.project import Project as Paths
from generator.settings import AS_OF_VARIABLE, Settings

REPO = Path(__file__).resolve().parent.parent
# The browser tests' fixtures (Chromium, the built site and its server): tests/browser.py.
pytest_plugins = ("tests.browser",)
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

    def build(self, *, strict: bool = True, environment: dict[str, str] | None = None) -> Path:
        """Build the site with MkDocs, as `mkdocs build` does; return the site folder.
        Licenses are judged as of AS_OF, unless `environment` says otherwise."""
        site = self.root / "site"
        config = load_config(
            config_file=str(self.root / "mkdocs.yml"), strict=strict, site_dir=str(site)
        )
        variables = {AS_OF_VARIABLE: AS_OF.isoformat(), **(environment or {})}
        saved = {name: os.environ.get(name) for name in variables}
        os.environ.update(variables)
        try:
            build(config)
        finally:
            for name, value in saved.items():
                if value is None:
                    del os.environ[name]
                else:
                    os.environ[name] = value
        return site

    def generator(
        self, *arguments: str, environment: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run `python -m generator ...` in the project folder."""
        environment = {AS_OF_VARIABLE: AS_OF.isoformat(), **(environment or {})}
        return subprocess.run(
            [sys.executable, "-m", "generator", *arguments],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **environment},
        )


AS_OF = date(2026, 11, 24)
"""The day tests judge licenses by, so that they mean the same on any day they run."""
SHIPPED_AS_OF = date(2026, 12, 3)
"""The day the shipped entries were last reviewed: tests of all of them judge them as of it."""


def checked(paths: Paths, as_of: date = AS_OF, **settings: object) -> Checked:
    """The content of a project, checked as the build checks it (licenses as of AS_OF)."""
    return suite.run(paths, Settings(as_of, **settings))  # type: ignore[arg-type]


def copy_project(target: Path, *, everything: bool = False) -> Project:
    """The repository's project in `target`: with every shipped entry if `everything`, else
    with the seed entry alone, which most tests change one way or another and count on."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=None if everything else _others)
        else:
            shutil.copy2(source, target / part)
    return Project(target)


def _others(folder: str, names: list[str]) -> list[str]:
    """Every entry file but the seed's."""
    if Path(folder).name != "evidence":
        return []
    return [name for name in names if name.endswith(".yaml") and name != f"{SEED_ID}.yaml"]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project")


SMALL_ID = "cabinet-trial"
SMALL_FILE = f"content/evidence/{SMALL_ID}.yaml"
SMALL_QUOTE = "The median progression-free survival with cabozantinib was 8.4 months."
SHOWN_QUOTE = "survival with cabozantinib was"
"""Words of the small entry's quote as they read on its page (no punctuation to escape)."""
SMALL = f"""\
id: {SMALL_ID}
question: Does cabozantinib lengthen progression-free survival?
last_reviewed: 2026-11-24
tags:
  - cabozantinib
  - neuroendocrine tumors
answer:
  - Cabozantinib lengthened progression-free survival.[1]
results:
  - trial: CABINET
    reference: 1
    cohorts:
      - population: Extrapancreatic neuroendocrine tumors
        patients: 203
        arms:
          - name: Cabozantinib
          - name: Placebo
        outcomes:
          - endpoint: Progression-free survival
            kind: time to event
            unit: months
            arms:
              - {{arm: Cabozantinib, median: 8.4}}
              - {{arm: Placebo, median: 3.9}}
            comparisons:
              - experimental: Cabozantinib
                control: Placebo
                measure: hazard ratio
                estimate: 0.38
                ci_lower: 0.25
                ci_upper: 0.59
                p_value: <0.001
quotes:
  - text:
      - {SMALL_QUOTE}
    attribution: Jennifer A. Chan, M.D., M.P.H., et al.
    reference: 1
    license: nejm
    fingerprint: {fingerprint([SMALL_QUOTE])}
summary:
  - The median was 8.4 months with cabozantinib and 3.9 with placebo.[1]
  - Preclinical studies agree.[2]
references:
  - title: Phase 3 Trial of Cabozantinib to Treat Advanced Neuroendocrine Tumors
    authors: [Chan JA]
    journal: N Engl J Med
    doi: 10.1056/NEJMoa2403991
    pmid: 39282913
    pmcid: PMC11821447
  - title: "Cabozantinib in neuroendocrine tumors: tackling drug activity and resistance mechanisms"
    authors: [Cella CA]
    doi: 10.1530/ERC-23-0232
"""
"""A small entry of its own for the tests that point at a line and column: each one reads its
position here, and the shipped example content can change without moving them."""


@pytest.fixture
def small(project: Project) -> Project:
    """The project, with the small entry (`SMALL`) in place of the example content."""
    project.path(SEED_FILE).unlink()
    project.write(SMALL_FILE, SMALL)
    return project


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own content, built once with `mkdocs build --strict`."""
    return copy_project(tmp_path_factory.mktemp("seed") / "project").build()


def html_page(site: Path, url: str) -> BeautifulSoup:
    """The built page at `url` (like 'evidence/x/'), parsed."""
    path = site / url / "index.html" if url.endswith("/") or not url else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def files_holding(site: Path, text: str) -> list[str]:
    """Every file of a built site that holds `text` in any letter case (compressed files too:
    sitemap.xml.gz, Pagefind's index), as paths within the site."""
    found = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":  # sitemap.xml.gz, and Pagefind's index and fragments
                data = gzip.decompress(data)
            if text.casefold() in data.decode("utf-8", "replace").casefold():
                found.append(path.relative_to(site).as_posix())
    return found


def search_pages(site: Path) -> list[dict[str, Any]]:
    """What Pagefind indexed of a built site, page by page: its `url`, `content` (the text it
    searches), `meta` (title, the answer shown as the snippet) and `filters` (the tags)."""
    found = []
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd"), fragment
        found.append(json.loads(data[len(b"pagefind_dcd") :]))
    return sorted(found, key=lambda page: str(page["url"]))


def text_of(element: object) -> str:
    """Text as a reader sees it: line breaks and whitespace runs as one space, no permalinks."""
    assert isinstance(element, Tag), f"expected an element, got {element!r}"
    element = copy.copy(element)
    for permalink in element.find_all("a", class_="headerlink"):
        permalink.decompose()
    for line_break in element.find_all("br"):
        line_break.replace_with(" ")
    return " ".join(element.get_text().split())


def golden_text(name: str, text: str) -> str:
    """A FHIR export, published on one line, kept here one value to a line for its diffs; its
    numbers as written (0.30 stays 0.30, in quotes)."""
    if not name.endswith(".fhir.json"):
        return text
    return json.dumps(json.loads(text, parse_float=str), ensure_ascii=False, indent=1) + "\n"
