"""The workflows run what the README documents, so what is tested here is what runs there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
README = (REPO / "README.md").read_text(encoding="utf-8")


def readme_commands() -> set[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    return {line.split(" #")[0].strip() for block in blocks for line in block.splitlines()}


def test_there_are_workflows_for_pull_requests_and_publishing() -> None:
    assert [path.name for path in WORKFLOWS] == ["publish.yml", "pull-request.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_workflow_parses_and_runs_only_documented_commands(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow["jobs"]
    commands = [
        line.strip()
        for job in workflow["jobs"].values()
        for step in job["steps"]
        for line in str(step.get("run", "")).splitlines()
        if line.strip()
    ]
    assert commands, "a workflow that runs nothing of ours"
    documented = readme_commands()
    assert [command for command in commands if command not in documented] == []


def test_the_pull_request_workflow_checks_builds_strictly_and_previews() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pull-request.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    runs = [step.get("run") for step in steps if "run" in step]
    assert runs == [
        "bash scripts/test.sh",
        "bash scripts/build.sh --strict",
        "bash scripts/build.sh",
    ]
    preview = next(step for step in steps if step.get("name") == "Preview build")
    assert set(preview["env"]) == {
        "EVIDENCE_PREVIEW_PR",
        "EVIDENCE_PREVIEW_URL",
        "EVIDENCE_PREVIEW_BASE",
        "EVIDENCE_PUBLISHED_URL",
    }
    for variable in preview["env"]:
        assert f"`{variable}`" in README


def test_the_site_is_published_from_main_on_push_every_day_and_by_hand() -> None:
    """Licenses are judged as of the day of the build, so a site that is only rebuilt on push
    would go on showing a quote after its license ended."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]}
    # Every day, early in the UTC day (a failed run leaves the rest of it), as the README says.
    assert triggers["schedule"] == [{"cron": "30 0 * * *"}]
    assert "runs every day at 00:30 UTC" in README
    # Whatever starts it, only main is published: a run by hand may name another branch.
    job = workflow["jobs"]["publish"]
    assert job["if"] == "github.ref == 'refs/heads/main'"
    runs = [step.get("run") for step in job["steps"] if "run" in step]
    assert runs == ["bash scripts/test.sh", "bash scripts/build.sh"]
    # By hand, the quotes outside their license's dates can be withdrawn at once.
    policy = triggers["workflow_dispatch"]["inputs"]["license_policy"]
    assert policy["options"] == ["as configured", "withdraw"]
    assert policy["default"] == "as configured"
    build = next(step for step in job["steps"] if step.get("name") == "Build")
    assert build["env"]["EVIDENCE_LICENSE_POLICY"] == (
        "${{ inputs.license_policy == 'withdraw' && 'withdraw' || '' }}"
    )
