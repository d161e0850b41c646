"""The README's two set-up commands are the ones the scripts and CI really run."""

from __future__ import annotations

import re

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def commands_in_readme() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    return [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert commands == ["bash scripts/test.sh"]
    assert "bash scripts/test.sh" in commands_in_readme()


def test_readme_build_command_builds_into_site() -> None:
    assert "bash scripts/build.sh" in commands_in_readme()
    script = (REPO / "scripts" / "build.sh").read_text(encoding="utf-8")
    assert "python -m generator build" in script  # atomic and strict: see tests/test_build.py
    assert "site_dir: site\n" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
