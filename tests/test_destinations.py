"""Where builds and `render` may write, and what they may never lose: the project's sources,
folders they did not make, files they did not write. One build of a project at a time, and a
killed one leaves no process behind."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.content.files import LINK_NOT_ALLOWED
from tests.conftest import SEED_FILE, Project
from tests.test_build import snapshot

LINK = LINK_NOT_ALLOWED


def sources(project: Project) -> dict[str, bytes]:
    return snapshot(project.root, skip=("site", ".cache"))


@pytest.mark.parametrize(
    ("site_dir", "reason"),
    [
        ("content", "is the project's content/ folder"),
        ("content/pages", "is inside the project's content/ folder"),
        ("site_templates", "is the project's site_templates/ folder"),
        (".git", "is the project's .git/ folder"),
        (".", "is the project folder"),
        ("..", "holds the project folder"),
        ("content/..", "is the project folder"),
        (".cache/evidence/site-before-last", "is inside the project's .cache/evidence/ folder"),
        (".cache", "holds the project's .cache/evidence/ folder"),
    ],
)
def test_a_build_never_replaces_the_projects_sources(
    project: Project, site_dir: str, reason: str
) -> None:
    subprocess.run(["git", "init", "-q", str(project.root)], check=True)
    before = sources(project)
    result = project.generator("build", "--site-dir", site_dir)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: site folder {project.root / site_dir} {reason}, whose files would be lost; "
        "choose a new or empty folder\n"
    )
    assert sources(project) == before
    assert not list(project.root.parent.glob(".building-*"))
    assert not list(project.root.glob(".building-*"))


def test_plain_mkdocs_build_never_empties_the_templates(project: Project) -> None:
    before = sources(project)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", "site_templates"],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert (
        f"site_dir {project.root / 'site_templates'} is the project's site_templates/ folder, "
        "whose files would be lost; choose a new or empty folder"
    ) in result.stderr
    assert sources(project) == before


def test_a_build_never_replaces_a_folder_it_did_not_build(project: Project, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    result = project.generator("build", "--site-dir", str(mine))
    assert result.returncode == 2
    assert result.stderr == (
        f"error: site folder {mine} is not empty and was not written by this command; "
        "choose a new or empty folder\n"
    )
    assert snapshot(mine) == {"notes.txt": b"keep me"}
    # An empty folder, or one it built, it replaces.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert project.generator("build", "--site-dir", str(empty)).returncode == 0
    assert (empty / "index.html").is_file()
    assert project.generator("build", "--site-dir", str(empty)).returncode == 0


FORGED_HEADER = (
    "# evidence-pages render manifest 1: each file render wrote here, with its SHA-256\n"
)


def manifest_line(content: bytes, name: str) -> str:
    return f"{hashlib.sha256(content).hexdigest()}  {name}\n"


def test_render_refuses_a_forged_manifest_before_writing_anything(
    project: Project, tmp_path: Path
) -> None:
    """A manifest that lists a file render never wrote (its hash is not the file's) is not
    trusted: the file stays, and no page is written either."""
    out = tmp_path / "unrelated"
    out.mkdir()
    (out / "thesis.md").write_text("years of work")
    (out / ".rendered-pages").write_text(FORGED_HEADER + manifest_line(b"other", "thesis.md"))
    before = snapshot(out)
    result = project.generator("render", str(out))
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {out / 'thesis.md'} was changed after render wrote it; move the changes "
        "elsewhere, or delete the file, and render again\n"
    )
    assert snapshot(out) == before


@pytest.mark.parametrize(
    ("manifest", "problem"),
    [
        ("about.md\nindex.md\n", "is not a manifest of this version of render"),
        (FORGED_HEADER + manifest_line(b"x", "../outside.md"), "refusing to write"),
        (FORGED_HEADER + manifest_line(b"x", "/etc/passwd"), "refusing to write"),
        (FORGED_HEADER + "not a line\n", ".rendered-pages:2 is not a line render writes"),
    ],
)
def test_render_trusts_only_its_own_manifest(
    project: Project, tmp_path: Path, manifest: str, problem: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".rendered-pages").write_text(manifest)
    outside = tmp_path / "outside.md"
    outside.write_text("x")
    result = project.generator("render", str(out))
    assert result.returncode == 2
    assert problem in result.stderr
    assert snapshot(out) == {".rendered-pages": manifest.encode()}
    assert outside.read_text() == "x"


def test_render_keeps_a_page_someone_edited(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert project.generator("render", str(out)).returncode == 0
    (out / "about.md").write_text("my notes on the page")
    project.edit("content/pages/about.md", "# About this site", "# About us")
    result = project.generator("render", str(out))
    assert result.returncode == 2
    assert "about.md was changed after render wrote it" in result.stderr
    assert (out / "about.md").read_text() == "my notes on the page"


def test_render_never_overwrites_a_file_in_the_way(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert project.generator("render", str(out)).returncode == 0
    project.write("content/pages/new.md", "# New\n")
    (out / "new.md").write_text("someone else's")
    result = project.generator("render", str(out))
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {out / 'new.md'} is in the way: render did not write it; move it elsewhere or "
        "choose a new folder\n"
    )
    assert (out / "new.md").read_text() == "someone else's"


def test_render_stopped_half_way_is_taken_over_by_the_next_run(
    project: Project, tmp_path: Path
) -> None:
    """The manifest lists either version of each file while it writes them."""
    out = tmp_path / "out"
    assert project.generator("render", str(out)).returncode == 0
    manifest = (out / ".rendered-pages").read_text()
    project.edit("content/pages/about.md", "# About this site", "# About us")
    new_about = project.read("content/pages/about.md").encode()
    # What a run killed after writing about.md leaves: the manifest of the run in progress.
    (out / "about.md").write_bytes(new_about)
    (out / ".rendered-pages").write_text(manifest + manifest_line(new_about, "about.md"))
    result = project.generator("render", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(": 0 written, 9 unchanged, 0 removed\n")


@pytest.mark.parametrize("folder", ["content/pages", "content/evidence"])
def test_a_linked_content_folder_is_refused(project: Project, tmp_path: Path, folder: str) -> None:
    real = tmp_path / "elsewhere"
    project.path(folder).rename(real)
    (real / "secret.txt").write_text("not for publishing")
    os.symlink(real, project.path(folder))
    for command in (("build",), ("check",), ("render", str(tmp_path / "out"))):
        result = project.generator(*command)
        assert result.returncode == 1, command
        assert f"{folder}:1:1: {LINK}" in result.stderr.splitlines(), command
    assert not project.path("site").exists()
    assert not (tmp_path / "out").exists()


def test_links_in_the_templates_are_refused(project: Project, tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("/* not for publishing */")
    os.symlink(secret, project.path("site_templates/theme/assets/stylesheets/linked.css"))
    result = project.generator("build")
    assert result.returncode == 1
    assert (
        f"site_templates/theme/assets/stylesheets/linked.css:1:1: {LINK}"
        in result.stderr.splitlines()
    )
    assert not project.path("site").exists()


def bad_name(project: Project, name: str) -> None:
    (project.path("content/evidence") / name).write_text("id: x\n")


WARM_REFUSALS: dict[str, tuple[Callable[[Project], object], str]] = {
    "linked entry": (
        lambda p: os.symlink(p.path(SEED_FILE), p.path("content/evidence/copy.yaml")),
        f"content/evidence/copy.yaml:1:1: {LINK}",
    ),
    "line break in a name": (
        lambda p: bad_name(p, "a\nb.yaml"),
        "content/evidence/a\\u000ab.yaml:1:1: this file name has characters that cannot be "
        "shown; rename it",
    ),
    "escape sequence in a name": (
        lambda p: bad_name(p, "\x1b[31mred.yaml"),
        "content/evidence/\\u001b[31mred.yaml:1:1: this file name has characters that cannot "
        "be shown; rename it",
    ),
    "not YAML": (
        lambda p: p.write("content/evidence/notes.txt", "notes\n"),
        "content/evidence/notes.txt:1:1: only entries belong here, each in a file ending in .yaml",
    ),
}


@pytest.mark.parametrize("case", WARM_REFUSALS)
def test_a_warm_build_refuses_what_a_cold_one_refuses(project: Project, case: str) -> None:
    assert project.generator("build").returncode == 0
    assert project.path(".cache/evidence/pages.pickle").is_file()
    site = snapshot(project.path("site"))
    add, message = WARM_REFUSALS[case]
    add(project)
    result = project.generator("build")
    assert result.returncode == 1
    assert message in result.stderr.splitlines()
    assert snapshot(project.path("site")) == site
    check = project.generator("check")
    assert message in check.stderr.splitlines()


def test_a_hand_written_page_that_is_not_utf8(project: Project) -> None:
    project.path("content/pages/about.md").write_bytes(b"# About\n\nCaf\xe9\n")
    message = (
        "content/pages/about.md:3:4: file is not UTF-8 text (invalid byte at offset 12); "
        "save it as UTF-8"
    )
    build = project.generator("build")
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    assert message in build.stderr.splitlines()
    render = project.generator("render", str(project.root.parent / "out"))
    assert render.returncode == 1
    assert render.stderr.splitlines() == [message, "1 problem found."]


SLOW_HOOK = """\
import time

made = 0

def on_post_page(output, page, config):
    global made
    made += 1
    if made > 55:  # after the audit process has had its first pages
        time.sleep({seconds})
    return output
"""


def slow(project: Project, seconds: float) -> None:
    """Make a build take a while (its last dozen pages each `seconds` long), so that
    something can happen while it runs."""
    for number in range(60):
        project.write(f"content/pages/page-{number}.md", f"# Page {number}\n")
    project.write("hooks/slow.py", SLOW_HOOK.format(seconds=seconds))
    project.edit("mkdocs.yml", "plugins:", "hooks:\n  - hooks/slow.py\n\nplugins:")


def start_build(project: Project, *arguments: str) -> subprocess.Popen[bytes]:
    """A build in the background; what it prints goes to build.log beside the project."""
    with (project.root.parent / "build.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "generator", "build", *arguments],
            cwd=project.root,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "EVIDENCE_AS_OF": "2026-11-24"},
        )


def wait_for(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_second_build_at_once_fails_clearly_and_spoils_nothing(project: Project) -> None:
    slow(project, seconds=0.3)
    first = start_build(project)
    assert wait_for(lambda: list(project.root.glob(".building-site-*/*")), 60)
    second = project.generator("build")
    assert second.returncode == 2
    assert second.stderr == (
        f"error: another build of this project is running (process {first.pid}); wait for it "
        "to finish, then build again\n"
    )
    assert first.wait(timeout=120) == 0, (project.root.parent / "build.log").read_text()
    assert (project.path("site") / "page-59" / "index.html").is_file()


def children_of(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found |= {int(child) for child in task.read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


def test_a_killed_build_leaves_no_process_and_the_next_build_cleans_up(
    project: Project,
) -> None:
    slow(project, seconds=10)  # two minutes: it must be killed, not end by itself
    build = start_build(project)
    assert wait_for(lambda: list(project.root.glob(".building-site-*/*")), 60)
    everything: set[int] = set()

    def descendants() -> set[int]:
        found, todo = set(), [build.pid]
        while todo:
            for child in children_of(todo.pop()):
                found.add(child)
                todo.append(child)
        everything.update(found)
        return found

    # MkDocs and its audit process are running.
    assert wait_for(lambda: len(descendants()) >= 2, 60), descendants()
    os.kill(build.pid, signal.SIGKILL)
    build.wait(timeout=10)
    assert wait_for(lambda: not any(alive(pid) for pid in everything), 5), [
        pid for pid in everything if alive(pid)
    ]
    assert list(project.root.glob(".building-site-*")), "the killed build left no work folder"
    project.write("hooks/slow.py", SLOW_HOOK.format(seconds=0))

    result = project.generator("build")
    assert result.returncode == 0, result.stderr
    assert not list(project.root.glob(".building-*"))


def test_the_audit_process_ends_with_a_killed_mkdocs(project: Project) -> None:
    """Plain `mkdocs build`, killed: its audit process, started by the plugin, goes with it
    (before, it waited for work that never came, holding the build's files, for good)."""
    slow(project, seconds=10)
    with (project.root.parent / "mkdocs.log").open("wb") as log:
        mkdocs = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--site-dir", "../plain-site"],
            cwd=project.root,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "EVIDENCE_AS_OF": "2026-11-24"},
        )
    started: set[int] = set()

    def workers() -> set[int]:
        started.update(children_of(mkdocs.pid))
        return started

    try:
        assert wait_for(workers, 60), "no audit process"
        time.sleep(1)  # all of them started, and busy or waiting for pages
        assert all(alive(pid) for pid in workers())
    finally:
        os.kill(mkdocs.pid, signal.SIGKILL)
        mkdocs.wait(timeout=10)
    left = [] if wait_for(lambda: not any(map(alive, started)), 3) else list(started)
    for pid in filter(alive, left):  # so that a failure leaves nothing running either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running after their MkDocs was killed: {left}"
