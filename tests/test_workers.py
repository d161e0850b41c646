"""Entry files examined on every core (`pages.workers`): the same pages and findings as one
process makes, in the order of the files, whoever examined each, even when the helpers die."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.content.project import Project as Paths
from generator.pages import publication, workers
from generator.pages.render import Renderer
from generator.settings import Settings
from tests.conftest import AS_OF, REPO, Project
from tests.test_load import minimal

SETTINGS = Settings(AS_OF)


@pytest.fixture
def entries(project: Project) -> Project:
    """Seven entries, the seed among them."""
    for name in "abcdef":
        project.write(f"content/evidence/{name}.yaml", minimal(name))
    return project


@pytest.fixture
def helpers(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """A helper for every batch of one file, on any machine; the files examined here."""
    monkeypatch.setattr(workers, "_allowed", {"helpers"})
    monkeypatch.setattr(workers, "_cores", lambda: 2)
    monkeypatch.setattr(workers, "MANY", 1)
    monkeypatch.setattr(workers, "_BATCH", 1)
    here: list[Path] = []
    examine = workers._examine

    def counted(*arguments: object) -> object:
        here.append(arguments[2])  # type: ignore[arg-type]
        return examine(*arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "_examine", counted)
    return here


def test_helpers_examine_what_one_process_would(entries: Project, helpers: list[Path]) -> None:
    paths = Paths.at(entries.root)
    workers._allowed.clear()
    alone = publication.make(paths, SETTINGS)
    assert len(alone.pages) > 7
    assert len(helpers) == 7
    helpers.clear()
    workers._allowed.add("helpers")
    assert publication.make(paths, SETTINGS) == alone
    # The first batches always go to the helper, whatever the speed of each process.
    assert len(helpers) < 7

    # Findings come back from the helpers as from this process.
    entries.write("content/evidence/g.yaml", minimal("g").replace("question:", "questoin:"))
    workers._allowed.clear()
    alone = publication.make(paths, SETTINGS)
    assert alone.errors
    workers._allowed.add("helpers")
    assert publication.make(paths, SETTINGS) == alone


def test_the_records_come_back_in_the_order_of_the_files(
    entries: Project, helpers: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "_BATCH", 2)  # so that order within a batch counts too
    paths = Paths.at(entries.root)
    files = sorted(paths.entries_dir.glob("*.yaml"), reverse=True)
    examination = workers.Examination(paths, None, SETTINGS, drafts=False)
    found = workers.examine_all(
        [(path, path.read_bytes()) for path in files],
        examination,
        Renderer(paths.templates_dir),
        lambda _: None,
    )
    assert [record.facts.id if record.facts else None for record in found] == [
        path.stem for path in files
    ]
    assert len(helpers) < len(files)


def test_with_a_helper_on_every_core_this_process_then_only_feeds_them(
    entries: Project, helpers: list[Path]
) -> None:
    """This process examines files only until the helpers' first batch comes back; from then on
    it hands batches out and takes the records back, and the cores are the helpers'."""
    for number in range(50):
        entries.write(f"content/evidence/n{number}.yaml", minimal(f"n{number}"))
    paths = Paths.at(entries.root)
    files = sorted(paths.entries_dir.glob("*.yaml"))
    events: list[str] = []
    collecting: list[bool] = []  # the records live to the build's end: no collection walks them
    examine = workers._examine

    def here(*arguments: object) -> object:
        events.append("here")
        collecting.append(gc.isenabled())
        time.sleep(0.05)  # slower here than in the helpers: the test is of what it is given
        return examine(*arguments)  # type: ignore[arg-type]

    workers._examine = here  # type: ignore[assignment]  # the fixture's monkeypatch undoes it
    found = workers.examine_all(
        [(path, path.read_bytes()) for path in files],
        workers.Examination(paths, None, SETTINGS, drafts=False),
        Renderer(paths.templates_dir),
        lambda count: events.append(f"done {count}"),
    )
    assert [record.facts.id if record.facts else None for record in found] == [
        path.stem for path in files
    ]
    # A batch examined here is "here", then "done 1"; one that came back from a helper, "done 1"
    # alone. After the first of those, nothing more is examined here.
    back = [i for i, event in enumerate(events) if event == "done 1" and events[i - 1] != "here"]
    assert back, events
    assert "here" not in events[back[0] :], events
    assert events.count("done 1") == len(files)
    assert collecting
    assert not any(collecting)
    assert gc.isenabled()


def test_a_script_calling_the_core_starts_no_helper(
    entries: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the command line and the plugin allow helpers: a started helper imports the main
    module again, which would run a script without a main guard once more."""
    monkeypatch.setattr(workers, "_allowed", set())
    monkeypatch.setattr(workers, "MANY", 1)
    started: list[object] = []
    monkeypatch.setattr(workers, "ProcessPoolExecutor", lambda *a, **k: started.append(a))
    publication.make(Paths.at(entries.root), SETTINGS)
    assert started == []


def test_one_core_starts_no_helper(entries: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a single core a helper would only add its start and the copying of batches."""
    monkeypatch.setattr(workers, "_allowed", {"helpers"})
    monkeypatch.setattr(workers, "_cores", lambda: 1)
    monkeypatch.setattr(workers, "MANY", 1)
    started: list[object] = []
    monkeypatch.setattr(workers, "ProcessPoolExecutor", lambda *a, **k: started.append(a))
    assert not publication.make(Paths.at(entries.root), SETTINGS).errors
    assert started == []


GUARDLESS = """
import sys
from pathlib import Path
from generator.content.project import Project
from generator.pages import publication, workers
from generator.settings import Settings
workers.allow()  # as the plugin does, for MkDocs run from this script
workers.MANY, workers._BATCH, workers._cores = 1, 1, lambda: 2
made = publication.make(Project.at(Path(sys.argv[1])), Settings.resolve(as_of=sys.argv[2]))
print(len(made.pages), len(made.errors), sorted(made.pages)[:3])
"""


def test_helpers_that_die_leave_the_work_to_this_process(entries: Project) -> None:
    """A script without an `if __name__ == "__main__":` guard: each helper it starts runs the
    script again and dies. The pages are made all the same, here."""
    script = entries.path("guardless.py")
    script.write_text(GUARDLESS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(entries.root), AS_OF.isoformat()],
        cwd=entries.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "bootstrapping phase" in done.stderr  # a helper started, and died
    alone = publication.make(Paths.at(entries.root), SETTINGS)
    assert done.stdout.strip() == f"{len(alone.pages)} 0 {sorted(alone.pages)[:3]}"
