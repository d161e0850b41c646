"""Authors: a new entry from a skeleton, drafts, edit links and checks before each commit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.content.project import Project as Paths
from generator.pages.render import render_site
from tests.conftest import (
    REPO,
    SEED_FILE,
    SEED_ID,
    Project,
    checked,
    files_holding,
    html_page,
    text_of,
)

NEW = "content/evidence/pembrolizumab-melanoma.yaml"


def test_new_writes_a_draft_skeleton_that_passes_every_check(project: Project) -> None:
    result = project.generator(
        "new", "pembrolizumab-melanoma", "--question", "Does pembrolizumab help in melanoma?"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"wrote {NEW}: a draft, checked but not published until its draft line is removed\n"
    )
    text = project.read(NEW)
    assert text.startswith("# yaml-language-server: $schema=../../schema/entry.schema.json\n")
    assert 'question: "Does pembrolizumab help in melanoma?"\n' in text
    assert "last_reviewed: 2026-11-24\n" in text
    # Every field is explained by the comment just above it.
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if re.match(r"[a-z_]+:", line):
            assert lines[number - 1].startswith("# "), f"no comment above {line!r}"
    check = project.generator("check", "--strict")
    assert (check.returncode, check.stdout) == (0, "2 entries checked: no problems\n")


def test_new_never_overwrites(project: Project) -> None:
    project.write(NEW, "# my work\n")
    result = project.generator("new", "pembrolizumab-melanoma", "--question", "Q?")
    assert result.returncode == 2
    assert result.stderr == f"error: {NEW} already exists; it was left as it was\n"
    assert project.read(NEW) == "# my work\n"


@pytest.mark.parametrize(
    ("entry_id", "message"),
    [
        (
            "Melanoma",
            "error: 'Melanoma' is not a valid key: use lowercase letters, digits and single "
            "hyphens, like 'nejm' or 'cabozantinib-neuroendocrine-tumors'\n",
        ),
        ("index", "error: 'index' is reserved; choose another id\n"),
        (
            SEED_ID.replace("m", "rn", 1),  # 'rn' reads as 'm'
            f"error: '{SEED_ID.replace('m', 'rn', 1)}' looks like '{SEED_ID}' ({SEED_FILE}); "
            "choose another id\n",
        ),
    ],
)
def test_new_refuses_ids_that_cannot_be_pages(
    project: Project, entry_id: str, message: str
) -> None:
    result = project.generator("new", entry_id, "--question", "Q?")
    assert result.returncode == 2
    assert result.stderr == message
    assert not project.path(f"content/evidence/{entry_id}.yaml").exists()


@pytest.mark.parametrize(
    ("existing", "entry_id", "message"),
    [
        (
            "pembrolizumab-melanoma",
            "pembrolizumab-melanoma",
            "error: 'pembrolizumab-melanoma' is already used by "
            "content/evidence/oncology/pembrolizumab-melanoma.yaml; edit that entry or choose "
            "another id\n",
        ),
        (
            "modem-care",
            "modern-care",
            "error: 'modern-care' looks like 'modem-care' "
            "(content/evidence/oncology/modem-care.yaml); choose another id\n",
        ),
        (
            "c0vid",
            "covid",
            "error: 'covid' looks like 'c0vid' (content/evidence/oncology/c0vid.yaml); choose "
            "another id\n",
        ),
    ],
    ids=["same", "rn-m", "0-o"],
)
def test_new_refuses_an_id_an_entry_in_another_folder_has_or_resembles(
    project: Project, existing: str, entry_id: str, message: str
) -> None:
    # Entries may be sorted into folders, but an id is one page address: the loader refuses a
    # second entry with the same id, or one a reader could mistake for it, and so does `new`.
    assert project.generator("new", existing, "--question", "Q?").returncode == 0
    moved = project.path(f"content/evidence/oncology/{existing}.yaml")
    moved.parent.mkdir()
    project.path(f"content/evidence/{existing}.yaml").rename(moved)
    before = moved.read_bytes()
    result = project.generator("new", entry_id, "--question", "Q?")
    assert (result.returncode, result.stderr) == (2, message)
    assert not project.path(f"content/evidence/{entry_id}.yaml").exists()
    assert moved.read_bytes() == before


def test_new_compares_only_with_files_read_as_entries(project: Project) -> None:
    # An editor's hidden copy is no entry (the loader skips it), so it holds no id.
    project.write("content/evidence/.pembrolizumab-melanoma.yaml", "id: pembrolizumab-melanoma\n")
    result = project.generator("new", "pembrolizumab-melanoma", "--question", "Q?")
    assert result.returncode == 0, result.stderr
    assert project.path(NEW).is_file()


def test_drafts_are_previewed_but_never_published(project: Project) -> None:
    project.generator("new", "pembrolizumab-melanoma", "--question", "Does it help?")
    # With the site's address, the build writes a sitemap too.
    site_url = {"EVIDENCE_SITE_URL": "https://evidence.example/"}
    assert project.generator("build", environment=site_url).returncode == 0
    site = project.path("site")
    assert "sitemap.xml" in files_holding(site, f"evidence/{SEED_ID}/")
    # The search finds the published entry (the search can fail), never the draft.
    holding = files_holding(site, "What is the evidence for the use")
    assert any(name.startswith("pagefind/fragment/") for name in holding), holding
    assert files_holding(site, "Does it help?") == []
    assert files_holding(site, "pembrolizumab") == []

    previewed = render_site(
        checked(Paths.at(project.root)), project.path("site_templates"), drafts=True
    )
    page = previewed["evidence/pembrolizumab-melanoma.md"]
    assert '<p class="admonition-title">Draft</p>' in page
    # The notice says where a draft is shown, and where not (pull-request previews never show
    # drafts; authors must not expect reviewers to see one).
    assert (
        "<p>This entry is a draft. Only <code>mkdocs serve</code> on an author's own machine shows "
        "it: pull-request previews and the published site do not, until its draft line is "
        "removed.</p>"
    ) in page
    assert "Does it help?" in previewed["index.md"]


PLACEHOLDER = (
    f"{NEW}:23:5: answer[0]: 'Write the answer here, in plain sentences, then delete this "
    "placeholder.' is the new entry's placeholder: write this part, or put 'draft: true' back "
    "until it is written [placeholder]"
)


def test_a_skeleton_whose_draft_line_is_deleted_is_not_published(project: Project) -> None:
    """Deleting only the draft line of a new entry once published its placeholder text; now
    the check and every build fail, naming the placeholder where it is written."""
    project.generator("new", "pembrolizumab-melanoma", "--question", "Does it help?")
    project.edit(NEW, "draft: true\n", "")
    check = project.generator("check")
    assert (check.returncode, check.stderr.splitlines()) == (1, [PLACEHOLDER, "1 problem found."])
    assert project.read(NEW).splitlines()[22].startswith("    Write the answer here")
    build = project.generator("build")
    assert build.returncode == 1
    assert PLACEHOLDER in build.stderr.splitlines()
    assert not project.path("site").exists()
    # Every placeholder is named: one written again in the summary is a second finding
    project.edit(NEW, "summary: []", "summary:\n  - Write the answer here, in plain sentences, "
                 "then delete this placeholder.")  # fmt: skip
    lines = project.generator("check").stderr.splitlines()
    assert [line.split(": ", 2)[1] for line in lines[:-1]] == ["answer[0]", "summary[0]"]
    assert lines[-1] == "2 problems found."


def test_a_placeholder_spelled_with_an_escape_is_found(project: Project) -> None:
    """The check reads every value only in files that hold the placeholder's longest word as
    written, or a backslash: a placeholder spelled with an escape in double quotes, or folded
    over two lines, is found as surely as one written out."""
    project.generator("new", "pembrolizumab-melanoma", "--question", "Does it help?")
    project.edit(NEW, "draft: true\n", "")
    project.edit(
        NEW,
        ">-\n    Write the answer here, in plain sentences, then delete this placeholder.",
        '"Write the answer here, in plain sentences, then delete this place\\x68older."',
    )
    lines = project.generator("check").stderr.splitlines()
    assert [line.split(": ", 2)[1] for line in lines[:-1]] == ["answer[0]"]
    assert "this placeholder.' is the new entry's placeholder" in lines[0]
    project.edit(NEW, "place\\x68older", "place\\\n    holder")
    assert project.generator("check").stderr.splitlines()[-1] == "1 problem found."
    project.edit(NEW, "then delete this place\\\n    holder", "then delete this\n    placeholder")
    lines = project.generator("check").stderr.splitlines()
    assert [line.split(": ", 2)[1] for line in lines[:-1]] == ["answer[0]"]


def test_a_draft_may_hold_its_placeholder(project: Project) -> None:
    project.generator("new", "pembrolizumab-melanoma", "--question", "Does it help?")
    check = project.generator("check", "--strict")
    assert (check.returncode, check.stdout) == (0, "2 entries checked: no problems\n")


def test_edit_links_open_the_entry_file(project: Project) -> None:
    project.edit(
        "mkdocs.yml",
        "docs_dir: content/pages\n",
        "docs_dir: content/pages\nrepo_url: https://github.com/owner/evidence\n"
        "edit_uri: edit/main/content/pages/\n",
    )
    site = project.build()
    entry = html_page(site, f"evidence/{SEED_ID}/")
    edit = entry.find("a", title="Edit this page")
    assert edit is not None
    assert edit["href"] == (
        f"https://github.com/owner/evidence/edit/main/content/evidence/{SEED_ID}.yaml"
    )
    about = html_page(site, "about/")
    assert about.find("a", title="Edit this page")["href"] == (  # type: ignore[index]
        "https://github.com/owner/evidence/edit/main/content/pages/about.md"
    )
    # Generated listings have no single file to edit.
    assert html_page(site, "").find("a", title="Edit this page") is None
    # The repository link asks no other host for anything (Material's asks the forge's API).
    assert 'data-md-component="source"' not in (site / "index.html").read_text()
    assert text_of(entry.find("a", class_="md-source")) == "GitHub"  # MkDocs names the host


def test_pre_commit_runs_the_checks(project: Project) -> None:
    """The hooks run from the project's .venv; here, the one running these tests."""
    for part in (".pre-commit-config.yaml", "pyproject.toml", "generator"):
        source = REPO / part
        target = project.path(part)
        if source.is_dir():
            os.symlink(source, target)
        else:
            target.write_bytes(source.read_bytes())
    os.symlink(Path(sys.executable).parent.parent, project.path(".venv"))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=project.root, check=True)
    subprocess.run([*git, "add", "."], cwd=project.root, check=True)
    pre_commit = [str(Path(sys.executable).parent / "pre-commit"), "run", "--all-files"]
    environment = {**os.environ, "EVIDENCE_AS_OF": "2026-11-24"}

    passed = subprocess.run(pre_commit, cwd=project.root, capture_output=True, text=True,
                            env=environment, check=False)  # fmt: skip
    assert passed.returncode == 0, passed.stdout
    assert "check evidence entries, licenses and templates" in passed.stdout

    project.edit("content/evidence/cabozantinib-neuroendocrine-tumors.yaml", "nejm\n", "nejm2\n")
    subprocess.run([*git, "add", "."], cwd=project.root, check=True)
    failed = subprocess.run(pre_commit, cwd=project.root, capture_output=True, text=True,
                            env=environment, check=False)  # fmt: skip
    assert failed.returncode == 1
    assert "unknown license 'nejm2'" in failed.stdout
