"""`mkdocs serve` for authors: a saved entry shows up in seconds, and a mistake in it is reported
in the terminal while the server goes on showing the last good page."""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SEED_FILE, SEED_ID, Project
from tests.serving import Server, fetch, serving, wait_for

PAGE = f"evidence/{SEED_ID}/"


SECOND = """\
id: second
question: Does it work?
last_reviewed: 2026-01-05
answer: ["It does."]
"""


@pytest.fixture
def server(project: Project, tmp_path: Path) -> Iterator[Server]:
    project.write("content/evidence/second.yaml", SECOND)  # so that re-reading can be partial
    with serving(project, tmp_path / "serve.log") as running:
        yield running


def test_a_saved_entry_is_served_within_seconds(project: Project, server: Server) -> None:
    project.edit(
        SEED_FILE,
        "question: What is the evidence",
        "question: Edited: what is the evidence".replace(": what", " - what"),
    )
    wait_for(lambda: "Edited - what is the evidence" in server.page(), 10, "the edited question")
    # Only the changed file was read again.
    assert "Read 1 changed entry file(s); 1 unchanged." in server.output()


def test_a_broken_entry_keeps_the_last_good_page(project: Project, server: Server) -> None:
    project.edit(
        SEED_FILE, "question: What is the evidence", "question: Second - what is the evidence"
    )
    wait_for(lambda: "Second - what is the evidence" in server.page(), 10, "the edited question")
    project.edit(SEED_FILE, "license: nejm", "license: nejm2")
    project.edit(SEED_FILE, "question: Second", "question: Third")
    wait_for(
        lambda: "Showing the last good version of the content" in server.output(), 10, "the error"
    )
    output = server.output()
    assert (
        f"{SEED_FILE}:93:14: quotes[0].license: unknown license 'nejm2'; known: lancet, nejm "
        "[license-known]"
    ) in output.splitlines()
    page = server.page()  # answers at once, with the last good content
    assert "Second - what is the evidence" in page
    assert "Third - what is the evidence" not in page
    project.edit(SEED_FILE, "license: nejm2", "license: nejm")
    wait_for(lambda: "Third - what is the evidence" in server.page(), 10, "the fixed entry")


def test_a_changed_template_or_registry_rebuilds_the_page(project: Project, server: Server) -> None:
    template = project.path("site_templates/entry.md.jinja")
    before = template.stat()
    project.edit("site_templates/entry.md.jinja", "## Answer", "## The answer")
    # Its modification time as it was (a file system counting whole seconds, a tool that keeps
    # times): the server's compiled templates are judged by their bytes, not their times.
    os.utime(template, ns=(before.st_atime_ns, before.st_mtime_ns))
    wait_for(
        lambda: "The answer</h2>" in server.page() or 'id="the-answer"' in server.page(),
        10,
        "the template",
    )
    project.edit(
        "content/licenses.yml",
        "credit_line: Used under license",
        "credit_line: Reproduced under license",
    )
    # The quote's fingerprint is unaffected: only the credit line changes on the page.
    wait_for(lambda: "Reproduced under license" in server.page(), 10, "the registry")


def test_a_changed_theme_template_is_compiled_again(project: Project, server: Server) -> None:
    """The theme's compiled templates are kept between saves (MkDocs would compile them at
    every build): one edited shows at the next save, whatever its modification time."""
    template = project.path("site_templates/theme/main.html")
    before = template.stat()
    project.edit(
        "site_templates/theme/main.html",
        "{% block content %}",
        '{% block content %}<p class="edited-theme">Edited theme</p>',
    )
    os.utime(template, ns=(before.st_atime_ns, before.st_mtime_ns))
    wait_for(lambda: "Edited theme" in server.page(), 10, "the edited theme")


def test_search_is_served_and_says_when_it_is_up_to_date(project: Project, server: Server) -> None:
    """The preview has the site's search: its index is served, and after a save it is remade
    in the background, its status saying when it is up to date again."""
    assert "pagefind_version" in fetch(server.base + "pagefind/pagefind.js")
    assert json.loads(fetch(server.base + "search/status.json")) == {"stale": False}
    project.edit(SEED_FILE, "question: What is the evidence", "question: Zebrafinch evidence")
    wait_for(lambda: "Zebrafinch evidence" in server.page(), 10, "the edited question")
    wait_for(
        lambda: json.loads(fetch(server.base + "search/status.json")) == {"stale": False},
        20,
        "the search index remade",
    )


def test_a_save_rebuilds_only_the_pages_it_changes(project: Project, server: Server) -> None:
    """`scripts/serve.sh` serves --dirty: the edited entry's page and the listings showing it
    are built again, every other page is kept; an entry deleted takes its page with it."""
    project.edit(SEED_FILE, "last_reviewed: 2026-", "last_reviewed: 2025-")
    wait_for(lambda: "unchanged) in" in server.output(), 30, "a rebuild keeping pages")
    rebuilt = [line for line in server.output().splitlines() if "unchanged) in" in line]
    assert " Rebuilt " in rebuilt[-1], rebuilt
    project.path("content/evidence/second.yaml").unlink()
    wait_for(
        lambda: _missing(server.base + "evidence/second/"), 30, "the deleted entry's page gone"
    )
    assert "Does it work?" not in fetch(server.base)


def test_a_save_writes_only_the_exports_it_changes(project: Project, server: Server) -> None:
    """Each entry's FHIR export beside its page is written again only when it changed (MkDocs
    would write every one at every save), and an entry deleted takes its export with it."""
    seed, second = (
        server.site() / "evidence" / f"{name}.fhir.json" for name in (SEED_ID, "second")
    )
    written, builds = second.stat(), server.output().count("Reloading browsers")
    project.edit(SEED_FILE, "One trial, with 203 patients", "A single trial, with 203 patients")
    wait_for(lambda: server.output().count("Reloading browsers") > builds, 30, "the save built")
    assert "A single trial" in fetch(server.base + f"evidence/{SEED_ID}.fhir.json")
    assert "A single trial" in seed.read_text(encoding="utf-8")
    assert (second.stat().st_mtime_ns, second.stat().st_ctime_ns) == (
        written.st_mtime_ns,
        written.st_ctime_ns,
    )
    project.path("content/evidence/second.yaml").unlink()
    wait_for(
        lambda: _missing(server.base + "evidence/second.fhir.json"),
        30,
        "the deleted entry's export",
    )
    assert not second.exists()
    assert "A single trial" in fetch(server.base + f"evidence/{SEED_ID}.fhir.json")


def test_plain_mkdocs_serve_rebuilds_every_page(project: Project, tmp_path: Path) -> None:
    """Without --dirty, MkDocs empties its folder at every save: every page is built again,
    and the saved entry is served all the same."""
    with serving(project, tmp_path / "plain.log", dirty=False) as plain:
        project.edit(
            SEED_FILE, "question: What is the evidence", "question: Plainly, what is the evidence"
        )
        wait_for(lambda: "Plainly, what is the evidence" in plain.page(), 30, "the edited question")
        assert "unchanged)" not in plain.output()


def _missing(url: str) -> bool:
    try:
        fetch(url)
    except urllib.error.HTTPError as error:
        return error.code == 404
    return False


def test_saves_are_noticed_by_the_system_and_reading_starts_no_build(
    project: Project, server: Server
) -> None:
    """`watch: native` (the default): the operating system reports a save. A build opens and
    reads every watched file; that must not start another build, again and again."""
    project.edit(SEED_FILE, "question: What is the evidence", "question: Noticed - what is the")
    wait_for(lambda: "Noticed - what is the" in server.page(), 10, "the edited question")
    time.sleep(3)  # a build started by the reading of the last would have begun by now
    assert server.output().count("Building documentation") == 2, server.output()


def test_polling_still_notices_a_save(project: Project, tmp_path: Path) -> None:
    """`watch: polling`, for folders the system does not report on: MkDocs' own watching."""
    project.edit("mkdocs.yml", "  - evidence:\n", "  - evidence:\n      watch: polling\n")
    with serving(project, tmp_path / "polling.log") as polling:
        project.edit(SEED_FILE, "question: What is the evidence", "question: Polled - what is")
        wait_for(lambda: "Polled - what is" in polling.page(), 10, "the edited question")


def test_a_folder_of_entries_moved_away_takes_its_pages(
    project: Project, server: Server, tmp_path: Path
) -> None:
    """The system reports a folder moved out of `content/` as one event, not one per file."""
    project.write("content/evidence/group/third.yaml", SECOND.replace("second", "third"))
    wait_for(lambda: not _missing(server.base + "evidence/third/"), 30, "the new entry's page")
    shutil.move(project.path("content/evidence/group"), tmp_path / "moved-away")
    wait_for(lambda: _missing(server.base + "evidence/third/"), 30, "its page gone")


def test_a_page_not_built_again_is_judged_again_when_what_it_links_to_changed(
    project: Project, server: Server
) -> None:
    """The audit at a save judges again the pages linking to a page built again, though they
    were not: here a hand-written page's link to a section an entry did not have, then has."""
    project.write("content/pages/more.md", "# More\n\n[Its summary](evidence/second.md#summary)\n")
    problem = (
        "link to ../evidence/second/#summary: evidence/second/index.html has no anchor #summary"
    )
    wait_for(lambda: problem in server.output(), 30, "the broken link reported")
    builds = server.output().count("Reloading browsers")
    project.edit(
        "content/evidence/second.yaml",
        'answer: ["It does."]',
        'answer: ["It does."]\nsummary: ["It does."]',
    )
    wait_for(lambda: server.output().count("Reloading browsers") > builds, 30, "the save built")
    last = server.output().rsplit("Building documentation", 1)[-1]
    assert "Read 1 changed entry file(s); 1 unchanged." in last
    assert problem not in last
