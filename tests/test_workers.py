"""Entry files examined on every core (`pages.workers`): the same pages and findings as one
process makes, whoever examined each file, even when the helpers die."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.content.project import Project as Paths
from generator.pages import publication, workers
from generator.settings import Settings
from tests.conftest import AS_OF, REPO, Project
from tests.test_load import minimal

SETTINGS = Settings(AS_OF)

pytestmark = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2, reason="helpers start only on a machine with two cores or more"
)


@pytest.fixture
def entries(project: Project) -> Project:
    """Seven entries, the seed among them."""
    for name in "abcdef":
        project.write(f"content/evidence/{name}.yaml", minimal(name))
    return project


def made_by_helpers(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> tuple[publication.Publication, list[Path]]:
    """The pages made with a helper for every file; and the files examined in this process."""
    monkeypatch.setattr(workers, "MANY", 1)
    monkeypatch.setattr(workers, "_BATCH", 1)
    here: list[Path] = []
    examine = workers._examine

    def counted(*arguments: object) -> object:
        here.append(arguments[2])  # type: ignore[arg-type]
        return examine(*arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "_examine", counted)
    return publication.make(paths, SETTINGS), here


def test_helpers_examine_what_one_process_would(
    entries: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths.at(entries.root)
    alone = publication.make(paths, SETTINGS)
    assert len(alone.pages) > 7
    shared, here = made_by_helpers(paths, monkeypatch)
    assert shared == alone
    # The first batches always go to the helper, whatever the speed of each process.
    assert len(here) < 7

    # Findings come back from the helpers as from this process.
    entries.write("content/evidence/g.yaml", minimal("g").replace("question:", "questoin:"))
    alone = publication.make(paths, SETTINGS)
    assert alone.errors
    assert made_by_helpers(paths, monkeypatch)[0] == alone


GUARDLESS = """
import sys
from pathlib import Path
from generator.content.project import Project
from generator.pages import publication, workers
from generator.settings import Settings
workers.MANY, workers._BATCH = 1, 1
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
    alone = publication.make(Paths.at(entries.root), SETTINGS)
    assert done.stdout.strip() == f"{len(alone.pages)} 0 {sorted(alone.pages)[:3]}"
