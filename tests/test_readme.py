"""Every command the README documents, run as written in a fresh copy of the project.

The copy holds what a clone would (tracked files, and new ones not yet committed), with no
.venv: the README's set-up commands make it, from the package registry, as for a new user. A
command added to the README without a run here fails `test_every_readme_command_is_run`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.content import document
from tests import test_hostile as hostile
from tests.conftest import REPO, SHIPPED_AS_OF, html_page, text_of

README = (REPO / "README.md").read_text(encoding="utf-8")
ENTRY = "content/evidence/cabozantinib-neuroendocrine-tumors.yaml"


def commands_in_readme() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    lines = [
        line.split("  #")[0].split(" # ")[0].strip() for b in blocks for line in b.splitlines()
    ]
    return [line for line in lines if line]


@dataclass(frozen=True)
class Fresh:
    """A fresh copy of the project, in which commands run as a user's shell runs them."""

    root: Path
    environment: dict[str, str]

    def run(self, command: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", command],
            cwd=self.root,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def ok(self, command: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        result = self.run(command, timeout)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        return result

    def path(self, name: str) -> Path:
        return self.root / name


def user_environment(home: Path) -> dict[str, str]:
    """This machine's environment without the test run's own .venv on PATH. Licenses are
    judged as of the tests' day, so that the outcome does not depend on the calendar."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}
    }
    environment["PATH"] = os.pathsep.join(
        part for part in os.environ["PATH"].split(os.pathsep) if "/.venv/" not in f"{part}/"
    )
    environment["EVIDENCE_AS_OF"] = SHIPPED_AS_OF.isoformat()
    environment["HOME"] = environment.get("HOME", str(home))
    return environment


def copy_of_the_project(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # listed but deleted in the working tree: not in a clone either
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=target, check=True)
    subprocess.run(["git", "add", "-A"], cwd=target, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "fresh copy"], cwd=target, check=True)
    # What `git clone` leaves: origin/main, which the review commands compare with.
    subprocess.run(
        ["git", "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=target, check=True
    )


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Fresh:
    """A copy set up by the README's two set-up commands, in its order: build, then test
    (collecting only: the suite that runs this is the test command already)."""
    base = tmp_path_factory.mktemp("fresh")
    root = base / "evidence-pages"
    copy_of_the_project(root)
    project = Fresh(root, user_environment(base))
    project.ok("bash scripts/build.sh")
    assert project.path("site/index.html").is_file()
    collected = project.ok("bash scripts/test.sh --collect-only -q")
    # (The Zensical tests are left out: "925/927 tests collected (2 deselected)".)
    assert re.search(r"^\d+/\d+ tests collected", collected.stdout, re.M), collected.stdout
    return project


def build(fresh: Fresh) -> None:
    fresh.path("site/index.html").unlink()
    result = fresh.ok("bash scripts/build.sh")
    assert fresh.path("site/index.html").is_file(), result.stderr
    assert result.stderr == "", result.stderr  # one line, on standard output
    last = result.stdout.splitlines()[-1]  # where the site went, and how to look at it
    assert re.match(r"Built \d+ pages into site/ in ", last), last
    assert last.endswith("python3 -m http.server -d site and open http://localhost:8000/"), last
    elsewhere = fresh.root.parent / "elsewhere" / "x"
    fresh.ok(f"bash scripts/build.sh --site-dir {elsewhere}")
    assert (elsewhere / "evidence" / "cabozantinib-neuroendocrine-tumors" / "index.html").is_file()


def strict_build(fresh: Fresh) -> None:
    fresh.path("site/index.html").unlink()
    fresh.ok("bash scripts/build.sh --strict")
    assert fresh.path("site/index.html").is_file()


def test_command(fresh: Fresh) -> None:
    """Run by `fresh`, which set up the test tools with it; CI runs it whole (.ci/run)."""
    assert fresh.path(".venv/bin/pytest").is_file()


def serve(fresh: Fresh) -> None:
    with (fresh.root.parent / "serve.log").open("wb") as log:
        server = subprocess.Popen(
            ["bash", "-c", "exec bash scripts/serve.sh"],
            cwd=fresh.root,
            env=fresh.environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        page = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "cabozantinib" not in page:
            try:
                with urllib.request.urlopen("http://127.0.0.1:8000/", timeout=5) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                assert server.poll() is None, (fresh.root.parent / "serve.log").read_text()
                time.sleep(0.5)
        assert "cabozantinib" in page.lower(), (fresh.root.parent / "serve.log").read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
    output = (fresh.root.parent / "serve.log").read_text()
    assert "end of life" not in output, output  # Material's notice concerns no author
    assert re.search(
        r"^INFO    -  \[\d\d:\d\d:\d\d\] Rebuilt \d+ pages in \d+\.\d s\.$", output, re.M
    ), output


def new_entry(fresh: Fresh) -> None:
    line = next(c for c in commands_in_readme() if " generator new " in c)
    fresh.ok(line)
    made = fresh.path("content/evidence/pembrolizumab-melanoma.yaml")
    try:
        assert "draft: true" in made.read_text(encoding="utf-8")
        fresh.ok(".venv/bin/python -m generator check")  # a skeleton passes every check
        again = fresh.run(line)
        assert again.returncode != 0  # it never overwrites a file
        assert "pembrolizumab-melanoma" in again.stderr
    finally:
        made.unlink()


def check(fresh: Fresh) -> None:
    result = fresh.ok(".venv/bin/python -m generator check")
    assert result.stdout.endswith("checked: no problems\n"), result.stdout


def pre_commit(fresh: Fresh) -> None:
    result = fresh.ok(".venv/bin/pre-commit install")
    assert "pre-commit installed at .git/hooks/pre-commit" in result.stdout
    assert fresh.path(".git/hooks/pre-commit").is_file()


def fingerprint(fresh: Fresh) -> None:
    fresh.ok(f".venv/bin/python -m generator fingerprint {ENTRY}")  # <id>, FILE: the example's
    fresh.ok(".venv/bin/python -m generator check")
    fresh.ok(f"git checkout -q -- {ENTRY}")


def licenses(fresh: Fresh) -> None:
    table = fresh.ok(".venv/bin/python -m generator licenses")
    assert "nejm" in table.stdout
    dated = fresh.ok(
        f".venv/bin/python -m generator licenses --as-of {SHIPPED_AS_OF} --format table"
    )
    assert dated.stdout == table.stdout
    csv = fresh.ok(".venv/bin/python -m generator licenses --format csv").stdout
    assert csv.splitlines()[0].count(",") >= 2
    assert json.loads(fresh.ok(".venv/bin/python -m generator licenses --format json").stdout)


def changes(fresh: Fresh) -> None:
    entry = fresh.path(ENTRY)
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("question: What", "question: Changed, what", 1), encoding="utf-8")
    try:
        listed = fresh.ok(".venv/bin/python -m generator changes origin/main")
        assert listed.stdout.splitlines() == [
            f"changed  cabozantinib-neuroendocrine-tumors ({ENTRY})",
            "  Question: [-What-]{+Changed, what+} is the evidence for the use of cabozantinib "
            "in neuroendocrine tumors?",
            "1 entry differs from origin/main: 0 added, 1 changed, 0 removed",
        ]
        shown = fresh.ok(".venv/bin/python -m generator diff origin/main")
        assert (
            "+# {+Changed, what+} is the evidence for the use of cabozantinib in neuroendocrine "
            "tumors?"
        ) in shown.stdout.splitlines()
    finally:
        entry.write_text(text, encoding="utf-8")


def render(fresh: Fresh, out: str = "rendered") -> None:
    first = fresh.ok(f".venv/bin/python -m generator render {out}")
    assert fresh.path(f"{out}/evidence/cabozantinib-neuroendocrine-tumors.md").is_file()
    again = fresh.ok(f".venv/bin/python -m generator render {out}")
    assert " 0 written" in again.stdout, (first.stdout, again.stdout)


def plain_mkdocs(fresh: Fresh) -> None:
    render(fresh)
    fresh.ok(".venv/bin/mkdocs build -f mkdocs.plain.yml")
    assert fresh.path("site/evidence/cabozantinib-neuroendocrine-tumors/index.html").is_file()


def properdocs(fresh: Fresh) -> None:
    fresh.path("site/index.html").unlink()
    fresh.ok(".venv/bin/properdocs build -f mkdocs.yml")
    assert fresh.path("site/evidence/cabozantinib-neuroendocrine-tumors/index.html").is_file()


def zensical(fresh: Fresh) -> None:
    """Zensical builds every page plain MkDocs builds from the same Markdown, with the same text,
    audited; author text stays text; and nothing else of the project is touched."""
    untouched = [fresh.path("site/index.html"), fresh.path(".cache/evidence/records.pickle")]
    before = [path.stat().st_mtime_ns for path in untouched]
    result = fresh.ok("bash scripts/zensical.sh")
    last = result.stdout.splitlines()[-1]
    assert re.fullmatch(r"Built site-zensical/ with Zensical 0\.0\.\d+; the audit passed\.", last)
    assert [path.stat().st_mtime_ns for path in untouched] == before
    assert sorted(p.name for p in fresh.path(".cache").iterdir()) == ["evidence"]
    assert fresh.run("bash scripts/zensical.sh site").returncode == 2

    plain = fresh.root.parent / "plain-site"
    fresh.ok(".venv/bin/python -m generator render rendered")
    fresh.ok(f".venv/bin/mkdocs build -q -f mkdocs.plain.yml --site-dir {plain}")
    built = articles(fresh.path("site-zensical"))
    assert built == articles(plain)
    assert len(built) == 16
    seed = html_page(fresh.path("site-zensical"), "evidence/cabozantinib-neuroendocrine-tumors/")
    assert not seed.select("nav.md-tags")  # its search keywords are not shown as tags

    # Hostile titles, as tests/test_hostile.py writes them: text under Zensical too.
    fresh.path("content/licenses.yml").write_text(hostile.REGISTRY, encoding="utf-8")
    for path in fresh.path("content/evidence").glob("*.yaml"):
        path.unlink()
    try:
        for index, payload in enumerate(hostile.INERT):
            fresh.path(f"content/evidence/case-{index}.yaml").write_text(
                hostile.hostile_entry(index, payload), encoding="utf-8"
            )
        fresh.ok("bash scripts/zensical.sh")
        for index, payload in enumerate(hostile.INERT):
            page = html_page(fresh.path("site-zensical"), f"evidence/case-{index}/")
            shown = hostile.norm(payload)
            assert text_of(page.find("title")) == f"{shown} - Clinical Evidence"
            assert text_of(page.select_one("article h1")) == shown
            assert text_of(page.select(".md-header__topic span.md-ellipsis")[-1]) == shown
            assert not page.select("nav.md-tags")  # the keywords are not shown as tags
    finally:
        fresh.ok("git checkout -q -- content && git clean -fdq -- content")


def articles(site: Path) -> dict[str, str]:
    """Each page's text as a reader reads it, by its address."""
    found = {}
    for path in sorted(site.rglob("index.html")):
        article = html_page(site, path.parent.relative_to(site).as_posix() + "/").find("article")
        if article is not None:
            found[path.parent.relative_to(site).as_posix()] = text_of(article)
    return found


def bench(fresh: Fresh) -> None:
    """The quick run the README offers; the half-hour one is `benchmarks/RESULTS.md`'s."""
    fresh.ok("bash scripts/bench.sh --sizes 100", timeout=1800)
    assert "| Entries | 100 |" in fresh.path("benchmarks/RESULTS.md").read_text(encoding="utf-8")
    fresh.ok("git checkout -q -- benchmarks/RESULTS.md")
    # The generator alone, as at 100,000 entries (benchmarks/RESULTS-100000.md).
    fresh.ok("bash scripts/bench.sh --sizes 100 --generator-only --out alone.md", timeout=600)
    alone = fresh.path("alone.md").read_text(encoding="utf-8")
    assert "| Generator, cached, one entry edited: total, s |" in alone
    fresh.path("alone.md").unlink()


def generator_build(fresh: Fresh) -> None:
    fresh.ok(".venv/bin/python -m generator build")
    refused = fresh.run(".venv/bin/python -m generator build --site-dir content")
    assert refused.returncode == 2, refused.stderr


def audit(fresh: Fresh) -> None:
    result = fresh.ok(".venv/bin/python -m generator audit site")
    assert result.stdout.splitlines()[-1].endswith("pages audited: no problems")


def migrate(fresh: Fresh) -> None:
    """The seed as the first release wrote it, migrated as the README says: the same data in
    today's shape, which passes a strict check."""
    first = (REPO / "tests" / "data" / "seed-first-shape.yaml").read_bytes()
    fresh.path(ENTRY).write_bytes(first)
    result = fresh.ok(f".venv/bin/python -m generator migrate {ENTRY}")
    assert result.stdout == f"{ENTRY}: rewrote 2 cohort(s) with arms, outcomes and comparisons\n"
    migrated, _ = document.read(fresh.path(ENTRY), ENTRY)
    shipped, _ = document.read(REPO / ENTRY, ENTRY)
    # The shipped seed also says where its numbers are printed, and how certain they are, which
    # the first shape could not.
    for study in shipped.data["results"]:
        for cohort in study["cohorts"]:
            for outcome in cohort["outcomes"]:
                assert outcome.pop("source") == "abstract"
                assert outcome.pop("certainty")["rating"] == "moderate"
    assert migrated.data == shipped.data
    fresh.ok(".venv/bin/python -m generator check --strict")
    fresh.ok(f"git checkout -q -- {ENTRY}")


def schema(fresh: Fresh) -> None:
    fresh.ok(".venv/bin/python -m generator schema")
    assert fresh.ok("git status --porcelain -- schema").stdout == ""  # it was up to date


def zensical_tests(fresh: Fresh) -> None:
    """Run by the Zensical job whole; here, that it runs the Zensical tests, and only those."""
    collected = fresh.ok("bash scripts/test.sh -m zensical --collect-only -q").stdout
    assert re.search(r"^2/\d+ tests collected \(\d+ deselected\)", collected, re.M), collected
    for command in ZENSICAL:
        assert f"test_readme_command_runs_as_written[{command}]" in collected


# Zensical is in beta: these run in its own CI job only (`bash scripts/test.sh -m zensical`).
ZENSICAL = {"bash scripts/zensical.sh", "bash scripts/test.sh -m zensical"}


RUNS: dict[str, Callable[[Fresh], None]] = {
    "bash scripts/build.sh": build,
    "bash scripts/build.sh --strict": strict_build,
    "bash scripts/test.sh": test_command,
    "bash scripts/bench.sh": bench,
    "bash scripts/serve.sh": serve,
    ".venv/bin/python -m generator new pembrolizumab-melanoma --question "
    '"Does pembrolizumab improve survival in advanced melanoma?"': new_entry,
    ".venv/bin/python -m generator check": check,
    ".venv/bin/pre-commit install": pre_commit,
    ".venv/bin/python -m generator fingerprint content/evidence/<id>.yaml": fingerprint,
    ".venv/bin/python -m generator fingerprint FILE": fingerprint,
    ".venv/bin/python -m generator licenses [--as-of DATE] [--format table|csv|json]": licenses,
    ".venv/bin/python -m generator licenses": licenses,
    ".venv/bin/python -m generator changes origin/main": changes,
    ".venv/bin/python -m generator diff origin/main": changes,
    ".venv/bin/python -m generator render rendered": render,
    ".venv/bin/mkdocs build -f mkdocs.plain.yml": plain_mkdocs,
    "bash scripts/zensical.sh": zensical,
    "bash scripts/test.sh -m zensical": zensical_tests,
    ".venv/bin/properdocs build -f mkdocs.yml": properdocs,
    ".venv/bin/python -m generator render OUT": lambda fresh: render(fresh, "out"),
    ".venv/bin/python -m generator build": generator_build,
    ".venv/bin/python -m generator audit SITE": audit,
    ".venv/bin/python -m generator schema": schema,
    ".venv/bin/python -m generator migrate content/evidence/<id>.yaml": migrate,
}


def test_every_readme_command_is_run() -> None:
    assert sorted(set(commands_in_readme())) == sorted(RUNS)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(command, marks=[pytest.mark.zensical] if command in ZENSICAL else [])
        for command in sorted(set(commands_in_readme()))
    ],
)
def test_readme_command_runs_as_written(fresh: Fresh, command: str) -> None:
    RUNS[command](fresh)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert commands == ["bash scripts/test.sh"]
    assert "bash scripts/test.sh" in commands_in_readme()
