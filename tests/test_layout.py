"""The layout shows the pipeline: each layer imports only those below it, modules stay small,
names are not shared, the plugin only delegates, and the README's table names every module."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "generator"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    # --no-cache: the check writes nothing into the project.
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_each_layer_imports_only_the_layers_below_it() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_an_import_from_a_lower_layer_to_a_higher_one_is_caught(tmp_path: Path) -> None:
    shutil.copytree(PACKAGE, tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    upward = tmp_path / "generator" / "content" / "project.py"
    upward.write_text(upward.read_text() + "\nfrom generator.pages import plan  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert "generator.content is not allowed to import generator.pages" in result.stdout
    assert "generator.content.project -> generator.pages.plan" in result.stdout


def test_no_module_is_much_over_400_lines() -> None:
    long = {
        module.relative_to(REPO).as_posix(): lines
        for module in modules()
        if (lines := len(module.read_text(encoding="utf-8").splitlines())) > 410
    }
    assert long == {}


def test_no_two_classes_share_a_name() -> None:
    seen: dict[str, list[str]] = {}
    for module in modules():
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                seen.setdefault(node.name, []).append(module.relative_to(REPO).as_posix())
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}


def test_the_plugin_is_thin_and_each_event_is_one_call() -> None:
    source = (PACKAGE / "plugin.py").read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 100
    (plugin,) = (
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef) and node.name == "EvidencePlugin"
    )
    events = [
        node
        for node in plugin.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("on_")
    ]
    assert len(events) >= 8
    for event in events:
        calls = [n for part in event.body for n in ast.walk(part) if isinstance(n, ast.Call)]
        assert len(calls) == 1, f"{event.name} makes {len(calls)} calls"
        called = calls[0].func
        assert isinstance(called, ast.Attribute)
        assert ast.unparse(called.value) == "self.publisher", event.name


def test_the_readme_table_names_every_module_and_nothing_else() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Project layout", 1)[1].split("\n## ", 1)[0]
    named: set[str] = set()
    for row in re.findall(r"^\| (`generator/[^|]*) \|", section, re.M):
        paths = re.findall(r"`([^`]+)`", row)
        folder = paths[0].rsplit("/", 1)[0] if not paths[0].endswith("/") else paths[0][:-1]
        named.update(p if p.startswith("generator/") else f"{folder}/{p}" for p in paths)
    packages = {f"{p.parent.relative_to(REPO).as_posix()}/" for p in PACKAGE.rglob("__init__.py")}
    files = {
        m.relative_to(REPO).as_posix()
        for m in modules()
        if m.name not in ("__init__.py", "__main__.py")
    }
    assert named == files | (packages - {"generator/"})
