"""The workflows run what the README documents, so what is tested here is what runs there; and
pull requests, from forks too, get previews without their code ever holding a write token.

Each security rule is a function of a parsed workflow that returns what breaks it, so that the
tests check the real workflows and, on mutated copies, that each rule catches what it is about.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
README = REPO / "README.md"

Workflow = dict[Any, Any]  # `on:` is read as the key True

PULL_REQUEST_TRIGGERS = {"pull_request", "pull_request_target"}
# The pull request's code runs in pull-request.yml; the trusted main branch's in publish.yml.
README_COMMAND_WORKFLOWS = ("pull-request.yml", "publish.yml", "zensical.yml")
PULL_REQUEST_COMMANDS = {
    "bash scripts/test.sh",
    "bash scripts/build.sh --strict",
    "bash scripts/build.sh",
}
PINNED = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}")
PINNED_LINE = re.compile(r"^\s*(- )?uses: \S+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
# What running this repository's code (or anything it installs) looks like in a shell step.
RUNS_REPOSITORY_CODE = re.compile(
    r"scripts/|\.sh\b|\bbash\b|\bsource\b|(^|[\s;&|(])\.{1,2}/|\bpython|\bpip\b|\bpytest\b"
    r"|\bmkdocs\b|\bnpm\b|\bnpx\b|\bnode\b|\bmake\b|\bsh\b|\beval\b"
)


def load(name: str) -> Workflow:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict), name
    return data


def workflow_names() -> list[str]:
    return sorted(p.name for p in WORKFLOWS.iterdir() if p.suffix in {".yml", ".yaml"})


def events(workflow: Workflow) -> dict[str, Any]:
    """`on:` as a mapping of event to its settings."""
    on = workflow.get("on", workflow.get(True))
    assert isinstance(on, dict), f"expected a mapping of events: {on!r}"
    return on


def triggers(workflow: Workflow) -> set[str]:
    """The events of `on:`, which PyYAML reads as the key True (YAML 1.1's boolean)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return {str(event) for event in on}
    assert isinstance(on, dict), f"no triggers: {on!r}"
    return {str(event) for event in on}


def jobs(workflow: Workflow) -> dict[str, dict[str, Any]]:
    found = workflow.get("jobs")
    assert isinstance(found, dict)
    return found


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    found = job.get("steps", [])
    assert isinstance(found, list)
    return found


def all_steps(workflow: Workflow) -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in jobs(workflow).items() for step in steps(job)]


def action(step: dict[str, Any]) -> str:
    """The action a step uses without its version, e.g. 'actions/checkout'; '' for a shell step."""
    uses = step.get("uses")
    return str(uses).split("@", 1)[0] if uses else ""


def writes(permissions: object) -> list[str]:
    """The scopes a `permissions:` value grants write access to; missing means write-all."""
    if permissions is None or permissions == "write-all":
        return ["write-all"]
    if permissions in ("read-all", {}):
        return []
    assert isinstance(permissions, dict), f"unexpected permissions: {permissions!r}"
    return sorted(scope for scope, level in permissions.items() if level == "write")


def pull_request_jobs_that_write(workflow: Workflow) -> list[str]:
    """Jobs that run shell steps (or a reusable workflow) on a pull request event and may write.

    A job without `permissions:` has the workflow's; a workflow without them has the
    repository's default, which may be write-all, so it counts as such.
    """
    if not triggers(workflow) & PULL_REQUEST_TRIGGERS:
        return []
    found = []
    for name, job in jobs(workflow).items():
        runs_code = "uses" in job or any("run" in step for step in steps(job))
        granted = writes(job.get("permissions", workflow.get("permissions")))
        if runs_code and granted:
            found.append(f"{name}: {', '.join(granted)}")
    return found


def unpinned_uses(workflow: Workflow) -> list[str]:
    """Actions and reusable workflows not pinned to a full commit SHA (local ones are fine)."""
    uses = [str(step["uses"]) for _, step in all_steps(workflow) if "uses" in step]
    uses += [str(job["uses"]) for job in jobs(workflow).values() if "uses" in job]
    return [u for u in uses if not u.startswith("./") and not PINNED.fullmatch(u)]


def uses_lines_without_version(text: str) -> list[str]:
    """`uses:` lines lacking the `# vX.Y.Z` comment that says which release the SHA is."""
    lines = [line for line in text.splitlines() if re.match(r"^\s*(- )?uses:", line)]
    return [line.strip() for line in lines if "./" not in line and not PINNED_LINE.match(line)]


def persisted_checkouts(workflow: Workflow) -> list[str]:
    """actions/checkout steps that leave the token in .git/config (the default)."""
    return [
        f"{job}: {step['uses']}"
        for job, step in all_steps(workflow)
        if action(step) == "actions/checkout"
        and (step.get("with") or {}).get("persist-credentials") not in (False, "false")
    ]


def workflow_run_dangers(workflow: Workflow) -> list[str]:
    """What would run a pull request's code in a workflow_run workflow, or trust its output."""
    found = []
    for job, step in all_steps(workflow):
        if action(step) == "actions/checkout":
            found.append(f"{job}: checks out code")
        run = step.get("run")
        if run is not None and RUNS_REPOSITORY_CODE.search(str(run)):
            found.append(f"{job}: runs code: {run!r}")
    if "pull_requests" in json.dumps(workflow):
        found.append("reads workflow_run.pull_requests (empty for forks)")
    return found


def interpolated_scripts(workflow: Workflow) -> list[str]:
    """Shell and github-script code with `${{ }}` in it, where a value becomes code."""
    found = []
    for job, step in all_steps(workflow):
        code = [str(step["run"])] if "run" in step else []
        if action(step) == "actions/github-script":
            code.append(str((step.get("with") or {}).get("script", "")))
        found += [f"{job}: {text!r}" for text in code if "${{" in text]
    return found


def readme_commands() -> set[str]:
    """Every line of the README's ```sh blocks, without a trailing comment."""
    blocks = re.findall(r"^```sh\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S)
    lines = (
        re.sub(r"\s+#.*$", "", line).strip() for block in blocks for line in block.splitlines()
    )
    return {line for line in lines if line}


def undocumented_runs(workflow: Workflow, commands: set[str]) -> list[str]:
    return [
        f"{job}: {step['run']!r}"
        for job, step in all_steps(workflow)
        if "run" in step and str(step["run"]).strip() not in commands
    ]


def workflow_run_workflows() -> list[str]:
    return [name for name in workflow_names() if "workflow_run" in triggers(load(name))]


def zizmor(folder: Path) -> subprocess.CompletedProcess[str]:
    """The test command's zizmor call, with its findings as JSON."""
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "zizmor"),
            "--offline",
            "--min-severity=low",
            "--format=json",
            "--no-progress",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


# The workflows as they are.


def test_there_are_workflows_for_pull_requests_previews_and_publishing() -> None:
    assert workflow_names() == ["preview.yml", "publish.yml", "pull-request.yml", "zensical.yml"]
    assert workflow_run_workflows() == ["preview.yml"]


@pytest.mark.parametrize("name", workflow_names())
def test_no_job_running_code_on_a_pull_request_may_write(name: str) -> None:
    assert pull_request_jobs_that_write(load(name)) == []


@pytest.mark.parametrize("name", workflow_names())
def test_every_action_is_pinned_to_a_commit(name: str) -> None:
    assert unpinned_uses(load(name)) == []
    assert uses_lines_without_version((WORKFLOWS / name).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("name", workflow_names())
def test_checkouts_do_not_keep_the_token(name: str) -> None:
    assert persisted_checkouts(load(name)) == []


@pytest.mark.parametrize("name", workflow_names())
def test_no_expression_is_pasted_into_code(name: str) -> None:
    assert interpolated_scripts(load(name)) == []


@pytest.mark.parametrize("name", workflow_names())
def test_workflow_permissions_are_none_and_each_job_names_its_own(name: str) -> None:
    workflow = load(name)
    assert workflow.get("permissions") == {}
    for job_name, job in jobs(workflow).items():
        assert "permissions" in job, job_name


def test_the_pull_request_workflow_runs_only_reads_and_keeps_the_preview() -> None:
    workflow = load("pull-request.yml")
    assert triggers(workflow) == {"pull_request"}
    on = events(workflow)
    assert "closed" in on["pull_request"]["types"], "closing must reach preview.yml"
    for name, job in jobs(workflow).items():
        assert job["permissions"] == {"contents": "read"}, name
        assert "secrets." not in json.dumps(job), name
        runs = [str(step["run"]) for step in steps(job) if "run" in step]
        assert set(runs) <= PULL_REQUEST_COMMANDS, name
        uploads = {
            (step["with"]["name"], step["with"]["path"])
            for step in steps(job)
            if action(step) == "actions/upload-artifact"
        }
        assert {("preview-site", "site/"), ("screenshots", "test-output/screenshots/")} <= uploads
        checkout = next(step for step in steps(job) if action(step) == "actions/checkout")
        # The preview's page of changes compares with origin/<base>: the history is needed.
        assert checkout["with"]["fetch-depth"] == 0


@pytest.mark.parametrize("name", workflow_run_workflows())
def test_the_workflow_run_workflow_never_runs_pull_request_code(name: str) -> None:
    workflow = load(name)
    assert workflow_run_dangers(workflow) == []
    on = events(workflow)
    # The name must be the pull-request workflow's exactly, or it never runs.
    assert on["workflow_run"]["workflows"] == [load("pull-request.yml")["name"]]
    assert on["workflow_run"]["types"] == ["completed"]
    downloads = [step for _, step in all_steps(workflow) if "download-artifact" in action(step)]
    assert downloads, "the preview is not downloaded"
    for step in downloads:
        assert step["with"]["name"] == "preview-site"
        assert step["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    for job_name, job in jobs(workflow).items():
        granted = set(writes(job["permissions"]))
        assert granted <= {"contents", "pull-requests"}, job_name
        if any("download-artifact" in action(step) for step in steps(job)):
            assert job["permissions"].get("actions") == "read", job_name


@pytest.mark.parametrize("name", README_COMMAND_WORKFLOWS)
def test_workflows_run_only_commands_the_readme_documents(name: str) -> None:
    commands = readme_commands()
    assert commands >= PULL_REQUEST_COMMANDS
    assert any("run" in step for _, step in all_steps(load(name))), "runs nothing of ours"
    assert undocumented_runs(load(name), commands) == []


def test_the_pull_request_workflow_checks_builds_strictly_and_previews() -> None:
    steps_ = jobs(load("pull-request.yml"))["check"]["steps"]
    runs = [step.get("run") for step in steps_ if "run" in step]
    assert runs == [
        "bash scripts/test.sh",
        "bash scripts/build.sh --strict",
        "bash scripts/build.sh",
    ]
    preview = next(step for step in steps_ if step.get("name") == "Preview build")
    assert set(preview["env"]) == {
        "EVIDENCE_PREVIEW_PR",
        "EVIDENCE_PREVIEW_URL",
        "EVIDENCE_PREVIEW_BASE",
        "EVIDENCE_PUBLISHED_URL",
    }
    readme = README.read_text(encoding="utf-8")
    for variable in preview["env"]:
        assert f"`{variable}`" in readme


def test_the_site_is_published_from_main_on_push_every_day_and_by_hand() -> None:
    """Licenses are judged as of the day of the build, so a site that is only rebuilt on push
    would go on showing a quote after its license ended."""
    workflow = load("publish.yml")
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(on) == {"push", "schedule", "workflow_dispatch"}
    assert on["push"] == {"branches": ["main"]}
    # Every day, early in the UTC day (a failed run leaves the rest of it), as the README says.
    assert on["schedule"] == [{"cron": "30 0 * * *"}]
    assert "runs every day at 00:30 UTC" in README.read_text(encoding="utf-8")
    # Whatever starts it, only main is published: a run by hand may name another branch.
    job = jobs(workflow)["publish"]
    assert job["if"] == "github.ref == 'refs/heads/main'"
    runs = [step.get("run") for step in job["steps"] if "run" in step]
    assert runs == ["bash scripts/test.sh", "bash scripts/build.sh"]
    # By hand, the quotes outside their license's dates can be withdrawn at once.
    policy = on["workflow_dispatch"]["inputs"]["license_policy"]
    assert policy["options"] == ["as configured", "withdraw"]
    assert policy["default"] == "as configured"
    # The whole site is replaced, except the previews of open pull requests.
    deploy = next(s for s in job["steps"] if action(s) == "JamesIves/github-pages-deploy-action")
    assert deploy["with"]["branch"] == "gh-pages"
    assert deploy["with"]["clean-exclude"] == "pr-preview/"


def test_the_zensical_job_builds_with_zensical_and_may_fail_saying_so() -> None:
    """Zensical is in beta: its job shows whether moving to it works, without blocking."""
    workflow = load("zensical.yml")
    assert set(events(workflow)) == {"push", "pull_request", "schedule", "workflow_dispatch"}
    (job,) = jobs(workflow).values()
    assert job["continue-on-error"] is True
    assert job["name"] == "Build with Zensical (beta, allowed to fail)"
    assert [step["run"] for step in job["steps"] if "run" in step] == [
        "bash scripts/test.sh -m zensical",
        "bash scripts/zensical.sh",
    ]
    assert writes(job["permissions"]) == []
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert "Zensical is in beta, so its job is allowed to fail" in readme


BUILD_CACHE = ["site", ".cache/evidence"]
CODE_KEY = (
    "build-${{ runner.os }}-${{ hashFiles('pyproject.toml', 'generator/**/*.py', "
    "'site_templates/**', 'mkdocs.yml') }}-"
)


def cache_steps(workflow: Workflow) -> list[tuple[str, dict[str, Any]]]:
    return [
        (action(step), step)
        for _, step in all_steps(workflow)
        if action(step).startswith("actions/cache")
    ]


def test_the_build_is_cached_by_main_for_the_same_code_only() -> None:
    """The daily build starts from the last one; a cache is restored only for the same code,
    and saved only by runs on main, so nothing a pull request's code made is ever published."""
    steps_ = jobs(load("publish.yml"))["publish"]["steps"]
    names = [step.get("name") or action(step) for step in steps_]
    restore = steps_[names.index("The last build of this code")]
    save = steps_[names.index("Keep this build for the next run")]
    assert names.index("Build") - 1 == names.index("The last build of this code")
    assert names.index("Build") < names.index("Keep this build for the next run")
    assert names.index("Keep this build for the next run") < names.index("Publish")
    assert action(restore) == "actions/cache/restore"
    assert action(save) == "actions/cache/save"
    assert restore["with"]["path"].split() == save["with"]["path"].split() == BUILD_CACHE
    assert restore["with"]["key"] == CODE_KEY + "${{ github.run_id }}"
    assert restore["with"]["restore-keys"] == CODE_KEY
    assert save["with"]["key"] == "${{ steps.last-build.outputs.cache-primary-key }}"
    assert restore["id"] == "last-build"

    pull_request = cache_steps(load("pull-request.yml"))
    assert [uses for uses, _ in pull_request] == ["actions/cache/restore"]
    assert pull_request[0][1]["with"]["restore-keys"] == CODE_KEY
    assert pull_request[0][1]["with"]["path"].split() == BUILD_CACHE
    assert cache_steps(load("preview.yml")) == cache_steps(load("zensical.yml")) == []


def test_zizmor_reports_nothing_above_informational() -> None:
    result = zizmor(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


# Each rule catches what it is about.


def test_a_write_permission_on_a_pull_request_is_caught() -> None:
    workflow = load("pull-request.yml")
    granted = copy.deepcopy(workflow)
    granted["jobs"]["check"]["permissions"]["contents"] = "write"
    assert pull_request_jobs_that_write(granted) == ["check: contents"]

    inherited = copy.deepcopy(workflow)
    del inherited["jobs"]["check"]["permissions"]
    inherited["permissions"] = {"contents": "read", "pull-requests": "write"}
    assert pull_request_jobs_that_write(inherited) == ["check: pull-requests"]

    default = copy.deepcopy(inherited)
    del default["permissions"]
    assert pull_request_jobs_that_write(default) == ["check: write-all"]

    target = copy.deepcopy(default)
    target[True] = {"pull_request_target": None}
    assert pull_request_jobs_that_write(target) == ["check: write-all"]

    # A job that runs nothing of the pull request's may write, as may one off pull requests.
    no_runs = copy.deepcopy(default)
    no_runs["jobs"]["check"]["steps"] = [{"uses": "actions/github-script@" + "0" * 40}]
    assert pull_request_jobs_that_write(no_runs) == []
    assert pull_request_jobs_that_write(load("publish.yml")) == []


def test_an_unpinned_action_is_caught() -> None:
    workflow = copy.deepcopy(load("publish.yml"))
    workflow["jobs"]["publish"]["steps"][0]["uses"] = "actions/checkout@v4"
    assert unpinned_uses(workflow) == ["actions/checkout@v4"]
    workflow["jobs"]["publish"]["steps"][0]["uses"] = "actions/checkout@" + "a" * 39
    assert len(unpinned_uses(workflow)) == 1

    text = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    without_version = re.sub(r"(actions/checkout@[0-9a-f]{40}) # v[\d.]+", r"\1", text)
    assert without_version != text
    assert len(uses_lines_without_version(without_version)) == 1


def test_a_checkout_keeping_the_token_is_caught() -> None:
    workflow = copy.deepcopy(load("publish.yml"))
    del workflow["jobs"]["publish"]["steps"][0]["with"]["persist-credentials"]
    assert len(persisted_checkouts(workflow)) == 1
    workflow["jobs"]["publish"]["steps"][0]["with"]["persist-credentials"] = True
    assert len(persisted_checkouts(workflow)) == 1


def test_running_code_in_the_workflow_run_workflow_is_caught() -> None:
    (name,) = workflow_run_workflows()
    workflow = load(name)
    job = next(iter(jobs(workflow)))
    for step in [
        {"uses": "actions/checkout@" + "0" * 40, "with": {"persist-credentials": False}},
        {"run": "bash scripts/build.sh"},
        {"run": "cd preview-site && ./install"},
        {"run": "python -m generator build"},
        {"run": "npm ci"},
    ]:
        mutated = copy.deepcopy(workflow)
        mutated["jobs"][job]["steps"].append(step)
        assert len(workflow_run_dangers(mutated)) == 1, step

    trusting = copy.deepcopy(workflow)
    trusting["jobs"][job]["env"] = {
        "PR": "${{ github.event.workflow_run.pull_requests[0].number }}"
    }
    assert workflow_run_dangers(trusting) == ["reads workflow_run.pull_requests (empty for forks)"]


def test_an_expression_in_code_is_caught() -> None:
    (name,) = workflow_run_workflows()
    workflow = copy.deepcopy(load(name))
    job = next(iter(jobs(workflow)))
    workflow["jobs"][job]["steps"] += [
        {"run": 'echo "${{ github.event.workflow_run.head_branch }}"'},
        {
            "uses": "actions/github-script@" + "0" * 40,
            "with": {"script": "core.info('${{ github.event.workflow_run.head_branch }}')"},
        },
    ]
    assert len(interpolated_scripts(workflow)) == 2


def test_an_undocumented_command_is_caught() -> None:
    commands = readme_commands()
    # Trailing comments are not part of the command.
    assert ".venv/bin/python -m generator check" in commands
    workflow = copy.deepcopy(load("pull-request.yml"))
    workflow["jobs"]["check"]["steps"].append({"run": "bash scripts/test.sh -k browser"})
    assert undocumented_runs(workflow, commands) == ["check: 'bash scripts/test.sh -k browser'"]


def test_zizmor_fails_on_an_insecure_workflow(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    shutil.copytree(WORKFLOWS, folder)
    text = (folder / "pull-request.yml").read_text(encoding="utf-8")
    insecure = text.replace("          persist-credentials: false\n", "")
    insecure = re.sub(r"actions/checkout@[0-9a-f]{40} # v[\d.]+", "actions/checkout@v4", insecure)
    assert "persist-credentials" not in insecure
    assert "checkout@v4" in insecure
    (folder / "pull-request.yml").write_text(insecure, encoding="utf-8")
    result = zizmor(folder)
    assert result.returncode != 0
    found = {finding["ident"] for finding in json.loads(result.stdout)}
    assert found == {"unpinned-uses", "artipacked"}
