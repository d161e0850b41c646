"""`python -m generator check | render OUT` and the MkDocs command line around the plugin."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from mkdocs.config import load_config

from generator.settings import AS_OF_VARIABLE
from tests.conftest import (
    AS_OF,
    REPO,
    SEED_FILE,
    SHIPPED_AS_OF,
    SMALL_FILE,
    Project,
    copy_project,
    golden_text,
)

GOLDEN = Path(__file__).parent / "golden"


def test_check_passes_on_the_example_content(project: Project) -> None:
    result = project.generator("check")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "1 entry checked: no problems\n",
        "",
    )


def test_render_writes_a_complete_docs_folder(tmp_path: Path) -> None:
    # Every shipped entry, as of the day they were reviewed: the golden files are theirs.
    project = copy_project(tmp_path / "project", everything=True)
    out = tmp_path / "out"
    result = project.generator(
        "render", str(out), environment={AS_OF_VARIABLE: SHIPPED_AS_OF.isoformat()}
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        rf"Rendered 22 files into {re.escape(str(out))}/ in \d+\.\d s: 22 written, 0 unchanged, "
        r"0 removed\n",
        result.stdout,
    ), result.stdout
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        ".rendered-pages",
        "about.md",
        "evidence/cabozantinib-neuroendocrine-tumors.fhir.json",
        "evidence/cabozantinib-neuroendocrine-tumors.md",
        "evidence/everolimus-lung-gastrointestinal-neuroendocrine-tumours.fhir.json",
        "evidence/everolimus-lung-gastrointestinal-neuroendocrine-tumours.md",
        "evidence/lanreotide-enteropancreatic-neuroendocrine-tumors.fhir.json",
        "evidence/lanreotide-enteropancreatic-neuroendocrine-tumors.md",
        "evidence/lutetium-dotatate-midgut-neuroendocrine-tumors.fhir.json",
        "evidence/lutetium-dotatate-midgut-neuroendocrine-tumors.md",
        "evidence/nonfunctioning-neuroendocrine-tumors-placebo-controlled-trials.fhir.json",
        "evidence/nonfunctioning-neuroendocrine-tumors-placebo-controlled-trials.md",
        "index.md",
        "permissions.md",
        "search/vocabulary.json",
        "tags/177lu-dotatate.md",
        "tags/cabozantinib.md",
        "tags/everolimus.md",
        "tags/index.md",
        "tags/lanreotide.md",
        "tags/neuroendocrine-tumors.md",
        "tags/nonfunctioning-neuroendocrine-tumors.md",
        "tags/octreotide.md",
    ]
    for page in (path for path in GOLDEN.rglob("*") if path.is_file()):
        name = page.relative_to(GOLDEN)
        text = (out / name).read_text(encoding="utf-8")
        assert golden_text(name.as_posix(), text) == page.read_text(encoding="utf-8")


def test_render_touches_only_what_changed(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert project.generator("render", str(out)).returncode == 0
    about = out / "about.md"
    os.utime(about, (1, 1))
    assert project.generator("render", str(out)).stdout.endswith(
        " s: 0 written, 9 unchanged, 0 removed\n"
    )
    assert about.stat().st_mtime == 1

    project.edit("content/pages/about.md", "# About this site", "# About us")
    assert project.generator("render", str(out)).stdout.endswith(
        " s: 1 written, 8 unchanged, 0 removed\n"
    )
    assert (out / "about.md").read_text(encoding="utf-8").startswith("# About us")

    # Dropping a tag changes the entry, the other tag's listing, the tag index, the home page
    # and the names the search box knows; not the entry's results (FHIR).
    project.edit(SEED_FILE, "  - neuroendocrine tumors\n", "")
    line = project.generator("render", str(out)).stdout
    assert line.startswith(f"Rendered 8 files into {out}/ in "), line
    assert line.endswith(" s: 5 written, 3 unchanged, 1 removed\n"), line
    assert not (out / "tags" / "neuroendocrine-tumors.md").exists()
    manifest = (out / ".rendered-pages").read_text(encoding="utf-8").splitlines()
    assert manifest[0].startswith("# evidence-pages render manifest 1")
    assert [line.split("  ", 1)[1] for line in manifest[1:]] == [
        "about.md",
        "evidence/cabozantinib-neuroendocrine-tumors.fhir.json",
        "evidence/cabozantinib-neuroendocrine-tumors.md",
        "index.md",
        "permissions.md",
        "search/vocabulary.json",
        "tags/cabozantinib.md",
        "tags/index.md",
    ]


def test_render_refuses_folders_it_did_not_write(project: Project, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    result = project.generator("render", str(mine))
    assert result.returncode == 2
    assert result.stderr == (
        f"error: output folder {mine} is not empty and was not written by this command; "
        "choose a new or empty folder\n"
    )
    assert (mine / "notes.txt").read_text() == "keep me"
    result = project.generator("render", "content/out")
    assert result.returncode == 2
    assert result.stderr == (
        "error: output folder content/out is inside the project's content/ folder, whose files "
        "would be lost; choose a new or empty folder\n"
    )
    assert not project.path("content/out").exists()


@pytest.mark.parametrize(
    ("page", "published", "generated"),
    [
        ("index.md", "index.html", "index.md"),
        ("README.md", "index.html", "index.md"),
        ("tags.md", "tags/index.html", "tags/index.md"),
        ("tags/cabozantinib/index.md", "tags/cabozantinib/index.html", "tags/cabozantinib.md"),
    ],
)
def test_hand_written_page_cannot_take_a_generated_address(
    project: Project, page: str, published: str, generated: str
) -> None:
    project.write(f"content/pages/{page}", "# My own page\n")
    message = (
        f"content/pages/{page}:1:1: this page would be published at {published}, where the "
        f"generator puts {generated}; move or rename it"
    )
    result = project.generator("render", str(project.root.parent / "out"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [message, "1 problem found."]
    build = mkdocs_build(project)
    assert build.returncode == 1
    assert message in build.stderr.splitlines()


def test_symbolic_links_among_hand_written_pages_are_refused(project: Project) -> None:
    secret = project.root.parent / "secret"
    secret.mkdir()
    (secret / "passwords.md").write_text("# not for publishing\n")
    os.symlink(secret, project.path("content/pages/linked"))
    os.symlink(secret / "passwords.md", project.path("content/pages/page.md"))
    expected = [
        "content/pages/linked:1:1: symbolic link not allowed; copy what it points to here instead",
        "content/pages/page.md:1:1: symbolic link not allowed; copy what it points to here instead",
    ]
    build = mkdocs_build(project)
    assert build.returncode == 1
    assert build.stderr.splitlines()[-3:] == ["ERROR   -  2 problems in the content:", *expected]
    assert not project.path("site").exists()
    result = project.generator("render", str(project.root.parent / "out"))
    assert result.stderr.splitlines() == [*expected, "2 problems found."]


def mkdocs_build(project: Project) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.mark.usefixtures("small")
def test_mkdocs_build_reports_content_problems_without_a_traceback(project: Project) -> None:
    project.edit(SMALL_FILE, "license: nejm", "license: nejm2")
    project.edit(SMALL_FILE, "patients: 203", "patients: -95")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        f"{SMALL_FILE}:14:19: results[0].cohorts[0].patients: expected a whole number greater "
        "than 0, like 203, got '-95' [results-patients]"
    ) in result.stderr
    assert (
        f"{SMALL_FILE}:38:14: quotes[0].license: unknown license 'nejm2'; known: lancet, nejm "
        "[license-known]" in result.stderr
    )
    assert not project.path("site").exists()


def test_mkdocs_build_ends_with_where_the_site_is_and_the_warnings_by_rule(
    project: Project,
) -> None:
    project.edit(
        "content/licenses.yml",
        "    url: https://www.nejm.org/\n",
        "    url: https://www.nejm.org/\n    valid_until: 2027-01-10\n",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, AS_OF_VARIABLE: AS_OF.isoformat(), "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[-2] == "INFO    -  1 warning (license-expiring 1)"
    assert re.fullmatch(
        r"INFO    -  Built 7 pages into site/ in \d+\.\d s\. To look at it: bash "
        r"scripts/serve\.sh, or python3 -m http\.server -d site and open http://localhost:8000/",
        lines[-1],
    ), lines[-1]


def test_with_the_plugin_off_mkdocs_ends_as_it_always_does(project: Project) -> None:
    project.edit("mkdocs.yml", "  - evidence:\n", "  - evidence:\n      enabled: false\n")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    last = result.stderr.splitlines()[-1]
    assert re.fullmatch(r"INFO    -  Documentation built in \d+\.\d+ seconds", last), last


def test_plugin_is_registered_as_an_entry_point() -> None:
    (plugin,) = [e for e in entry_points(group="mkdocs.plugins") if e.name == "evidence"]
    assert plugin.value == "generator.plugin:EvidencePlugin"
    assert "  - evidence:\n" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")


def test_serve_watches_entries_the_registry_and_templates(project: Project) -> None:
    """`mkdocs serve` rebuilds on changes to watched paths; content/ holds entries and licenses."""
    config = load_config(config_file=str(project.path("mkdocs.yml")))
    config = config.plugins.on_config(config)
    assert str(project.path("content")) in config.watch
    assert str(project.path("site_templates")) in config.watch


def test_render_refuses_to_write_through_links_planted_in_its_folder(
    project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert project.generator("render", str(out)).returncode == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("not the generator's")
    (out / "index.md").unlink()
    os.symlink(victim, out / "index.md")
    result = project.generator("render", str(out))
    assert result.returncode == 2
    assert result.stderr == (
        f"error: refusing to write 'index.md': it would land outside {out.resolve()}\n"
    )
    assert victim.read_text() == "not the generator's"
    assert not list(out.rglob(".rendering-*"))
