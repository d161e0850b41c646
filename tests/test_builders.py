"""Not tied to one builder: the site builds with ProperDocs too, and the Markdown written by
`render` builds with plain MkDocs and no plugin of this project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mkdocs.config import load_config

from tests.conftest import AS_OF, SEED_ID, Project, html_page, text_of

QUESTION = "What is the evidence for the use of cabozantinib in neuroendocrine tumors?"


def run(project: Project, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "EVIDENCE_AS_OF": AS_OF.isoformat(), "NO_MKDOCS_2_WARNING": "1"},
    )


def assert_seed_page(site: Path) -> None:
    page = html_page(site, f"evidence/{SEED_ID}/")
    assert text_of(page.find("h1")) == QUESTION
    assert text_of(page.select_one(".evidence-quote__credit")) == (
        "Used under license from The New England Journal of Medicine."
    )


def test_properdocs_builds_the_site_strictly(project: Project) -> None:
    properdocs = str(Path(sys.executable).parent / "properdocs")
    result = run(project, properdocs, "build", "--strict", "-f", "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    assert_seed_page(project.path("site"))


def test_rendered_markdown_builds_with_plain_mkdocs(project: Project) -> None:
    (project.root / "mkdocs.plain.yml").write_bytes(
        (Path(__file__).parent.parent / "mkdocs.plain.yml").read_bytes()
    )
    rendered = project.generator("render", "rendered")
    assert rendered.returncode == 0, rendered.stderr
    result = run(
        project, sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.plain.yml"
    )
    assert result.returncode == 0, result.stderr
    assert_seed_page(project.path("site"))
    plain = load_config(config_file=str(project.path("mkdocs.plain.yml")))
    assert list(plain.plugins) == ["material/search"]  # no plugin of this project ran
