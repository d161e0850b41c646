"""Fuzzing what could lose data: `render` and `build` pointed at generated folder layouts
(nested, overlapping, linked, holding files of their own or a forged manifest) never create,
change or delete a file outside the folder they were asked to write, and never touch the files
already in it that they did not write."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator import cli
from tests.conftest import AS_OF, REPO, copy_project

NAMES = ["project", "content", "pages", "evidence", "site_templates", "theme", "site", "out",
         "other", "..", ".", ".git", "link", ".cache"]  # fmt: skip
SOURCES = ["content", "site_templates", ".git"]
LINK_TARGETS = ["project", "project/content", "project/content/pages", "other", "..", "/"]


def tree(root: Path) -> dict[str, str]:
    """Every path below `root` with what it is: a file's hash, a link's target, or a folder."""
    found = {}
    for folder, folders, files in os.walk(root):
        here = Path(folder)
        for name in folders + files:
            path = here / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[key] = "link " + os.readlink(path)
            elif path.is_dir():
                found[key] = "folder"
            else:
                found[key] = "file " + hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def outside(files: dict[str, str], root: Path, folder: Path) -> dict[str, str]:
    """`files` (below `root`) without those in `folder` and the folders on the way to it."""
    kept = {}
    for key, value in files.items():
        path = root / key
        where = path if path.is_symlink() else path.resolve()
        if where.is_relative_to(folder) or (value == "folder" and folder.is_relative_to(where)):
            continue
        kept[key] = value
    return kept


@st.composite
def layouts(draw: st.DrawFn) -> dict[str, object]:
    return {
        "out": draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3)),
        "links": draw(
            st.dictionaries(
                st.sampled_from(["link", "other/link", "project/link"]),
                st.sampled_from(LINK_TARGETS),
                max_size=2,
            )
        ),
        "existing": draw(
            st.lists(
                st.sampled_from(["index.md", "notes.txt", "tags/x.md", "about.md"]), max_size=3
            )
        ),
        "manifest": draw(st.sampled_from([None, "forged", "outside", "old"])),
        "planted_link": draw(st.booleans()),
        "twice": draw(st.booleans()),
    }


HEADER = "# evidence-pages render manifest 1: each file render wrote here, with its SHA-256\n"
MANIFESTS = {
    "forged": f"{HEADER}{'0' * 64}  notes.txt\n{'0' * 64}  index.md\n",
    "outside": f"{HEADER}{'0' * 64}  ../other/keep.txt\n",
    "old": "index.md\nnotes.txt\n../other/keep.txt\n",
}


def world(base: Path, template: Path, layout: dict[str, Any]) -> tuple[Path, Path, Path] | None:
    """A folder holding a project, another folder of someone's files, the links of the layout,
    and the output folder with what someone put in it beforehand: (world, project, out).
    None when the output folder would lie outside that world."""
    if base.exists():
        shutil.rmtree(base)
    root = base / "world"
    shutil.copytree(template, root / "project", symlinks=True)
    (root / "other").mkdir()
    (root / "other" / "keep.txt").write_text("someone's file")
    for where, target in layout["links"].items():
        link = root / where
        if not link.exists() and not link.is_symlink():
            os.symlink(target if target.startswith(("/", "..")) else root / target, link)
    out = root.joinpath("project", *layout["out"])
    if not out.resolve().is_relative_to(root.resolve()):
        return None  # it would write somewhere on this machine, not in the world
    with contextlib.suppress(OSError):  # a layout may ask for a folder where a file is
        for name in layout["existing"]:
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.write_text(f"{name} of someone else")
        if layout["manifest"] is not None:
            out.mkdir(parents=True, exist_ok=True)
            (out / ".rendered-pages").write_text(MANIFESTS[layout["manifest"]])
        if layout["planted_link"]:
            out.mkdir(parents=True, exist_ok=True)
            if not (out / "about.md").exists():
                os.symlink(root / "other" / "keep.txt", out / "about.md")
    return root, root / "project", out


def render(project: Path, out: Path) -> int:
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        return cli.main(["--root", str(project), "render", "--as-of", AS_OF.isoformat(), str(out)])


def build(project: Path, out: Path) -> int:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--as-of",
            AS_OF.isoformat(),
            "--site-dir",
            str(out),
        ],
        cwd=project,
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    return result.returncode


def someones(out: Path) -> dict[str, str]:
    """What someone else put in the output folder: every file but a manifest."""
    target = out.resolve()
    if not target.is_dir():
        return {}
    return {k: v for k, v in tree(target).items() if v != "folder" and k != ".rendered-pages"}


def examples(size: int) -> settings:
    return settings(
        max_examples=size,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_project(tmp_path_factory.mktemp("fuzz") / "project").root
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return folder


def run_and_check(
    base: Path, template: Path, layout: dict[str, Any], command: Callable[[Path, Path], int]
) -> None:
    made = world(base, template, layout)
    assume(made is not None)
    assert made is not None
    root, project, out = made
    cache = (project / ".cache").resolve()  # a build keeps its cache and lock there
    before = outside(tree(root), root, cache)
    sources = {name: tree(project / name) for name in SOURCES}
    theirs = someones(out)
    status = command(project, out)
    after = outside(tree(root), root, cache)
    # The project's own sources are never an output folder, whatever the layout.
    assert {name: tree(project / name) for name in SOURCES} == sources
    if status != 0:
        assert after == before, "a refused run changed files"
        return
    target = out.resolve()
    assert outside(after, root, target) == outside(before, root, target)
    # Files someone else had put in the folder: as they were, or the run was refused.
    written = tree(target)
    assert {name: written.get(name) for name in theirs} == theirs
    if layout["twice"]:
        again = outside(tree(root), root, cache)
        assert command(project, out) == 0
        assert outside(tree(root), root, cache) == again or command is build


@examples(60)
@given(layout=layouts())
def test_render_never_touches_a_file_outside_its_folder(
    tmp_path_factory: pytest.TempPathFactory, template: Path, layout: dict[str, Any]
) -> None:
    base = tmp_path_factory.getbasetemp() / "render-fuzz"
    run_and_check(base, template, layout, render)


@examples(8)
@given(layout=layouts())
def test_build_never_touches_a_file_outside_its_folder(
    tmp_path_factory: pytest.TempPathFactory, template: Path, layout: dict[str, Any]
) -> None:
    base = tmp_path_factory.getbasetemp() / "build-fuzz"
    run_and_check(base, template, layout, build)
