"""`python -m generator build`: all or nothing. A failed build leaves the previous site exactly as
it was, and no command touches files outside its own output."""

from __future__ import annotations

import fcntl
import gc
import gzip
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2.exceptions import UndefinedError

from benchmarks import synth
from generator.built import collection
from generator.settings import AS_OF_VARIABLE
from tests.conftest import SEED_FILE, Project, copy_project


def snapshot(folder: Path, *, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file below `folder` with its bytes (symbolic links by their target)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if name.split("/")[0] in skip or path.is_dir():
            continue
        files[name] = (
            b"-> " + str(path.readlink()).encode() if path.is_symlink() else path.read_bytes()
        )
    return files


HOOK = """\
def on_post_page(output, page, config):
    if page.file.src_uri.startswith("tags/"):
        raise RuntimeError("injected failure half-way through writing pages")
    return output
"""


def content_error(project: Project) -> None:
    project.edit(SEED_FILE, "license: nejm", "license: nejm2")


def exception_half_way(project: Project) -> None:
    project.write("hooks/fail.py", HOOK)
    project.edit("mkdocs.yml", "plugins:", "hooks:\n  - hooks/fail.py\n\nplugins:")


def broken_link(project: Project) -> None:
    project.write("content/pages/about.md", "# About\n\nSee [the list](missing.md).\n")


def unsafe_page(project: Project) -> None:
    project.write("content/pages/about.md", "# About\n\n<iframe src=x>\n")


def warning_in_a_strict_build(project: Project) -> None:
    project.edit(
        "content/licenses.yml",
        "    url: https://www.nejm.org/\n",
        "    url: https://www.nejm.org/\n    valid_until: 2027-01-10\n",
    )


FAILURES: dict[str, tuple[Callable[[Project], None], str, tuple[str, ...]]] = {
    # what breaks the build, what the build then says, and the options it is run with
    "content error": (
        content_error,
        "quotes[0].license: unknown license 'nejm2'; known: lancet, nejm [license-known]",
        (),
    ),
    "exception half-way": (
        exception_half_way,
        "RuntimeError: injected failure half-way through writing pages",
        (),
    ),
    "broken link": (
        broken_link,
        ": link to missing.md: there is no such page or file in the site",
        (),
    ),
    "unsafe page": (unsafe_page, ": <iframe> is not allowed", ()),
    "warning in a strict build": (
        warning_in_a_strict_build,
        "Aborted with 1 warnings in strict mode!",
        ("--strict",),
    ),
}


@pytest.mark.parametrize("failure", FAILURES)
def test_a_failed_build_leaves_the_previous_site_byte_for_byte(
    project: Project, failure: str
) -> None:
    # Twice: the third build then builds in the first one's folder, whose pages are the very
    # files of the site's pages (linked), and must not write into them.
    assert project.generator("build").returncode == 0
    assert project.generator("build").returncode == 0
    site = project.path("site")
    before = snapshot(site)
    assert "evidence/cabozantinib-neuroendocrine-tumors/index.html" in before
    project.edit(SEED_FILE, "question: What is", "question: Changed, what is")  # would show
    break_the_build, reason, options = FAILURES[failure]
    break_the_build(project)

    result = project.generator("build", *options)

    assert result.returncode == 1, result.stderr
    assert reason in result.stderr + result.stdout
    assert snapshot(site) == before
    assert not list(project.root.glob(".building-*")), "the work folder was left behind"


EXIT_HOOK = """\
import atexit
import threading
import time
from pathlib import Path

HERE = Path(__file__).parent.parent
atexit.register((HERE / "exited").write_text, "the handler ran")


def later():
    time.sleep(1)
    (HERE / "thread").write_text("the thread ended")


def on_post_build(config):
    threading.Thread(target=later).start()
"""


def test_the_builds_mkdocs_runs_exit_handlers_though_it_ends_at_once(
    project: Project,
) -> None:
    """It ends as soon as the site is written (`lifetime.end_done`), and what other code asked
    to run at exit still runs; a thread of other code still running is waited for."""
    project.write("hooks/exit.py", EXIT_HOOK)
    project.edit("mkdocs.yml", "plugins:", "hooks:\n  - hooks/exit.py\n\nplugins:")
    assert project.generator("build").returncode == 0
    assert project.path("exited").read_text() == "the handler ran"
    assert project.path("thread").read_text() == "the thread ended"  # waited for


def test_a_successful_build_replaces_the_whole_site(project: Project) -> None:
    assert project.generator("build").returncode == 0
    site = project.path("site")
    assert (site / "tags" / "neuroendocrine-tumors" / "index.html").is_file()
    project.edit(SEED_FILE, "  - neuroendocrine tumors\n", "")
    project.edit(SEED_FILE, "question: What is", "question: Changed, what is")

    assert project.generator("build").returncode == 0

    page = (site / "evidence" / "cabozantinib-neuroendocrine-tumors" / "index.html").read_text()
    assert "Changed, what is" in page
    assert not (site / "tags" / "neuroendocrine-tumors").exists()
    assert not list(project.root.glob(".building-*"))


def test_a_build_into_a_new_folder(project: Project, tmp_path: Path) -> None:
    target = tmp_path / "deploy" / "public"
    result = project.generator("build", "--site-dir", str(target))
    assert result.returncode == 0, result.stderr
    assert (target / "index.html").is_file()
    assert not project.path("site").exists()


OUTPUTS = ("site", ".cache")


def test_no_command_touches_files_outside_its_output(project: Project, tmp_path: Path) -> None:
    # A build writes the site, and its cache in .cache/evidence/; nothing else.
    before = snapshot(project.root, skip=OUTPUTS)
    out = tmp_path / "rendered"

    assert project.generator("check").returncode == 0
    assert project.generator("build").returncode == 0
    assert project.generator("render", str(out)).returncode == 0
    assert project.generator("audit", "site").returncode == 0
    assert project.generator("schema", "--check").returncode == 0
    project.write("content/pages/broken.md", "[x](missing.md)\n")
    with_broken_page = snapshot(project.root, skip=OUTPUTS)
    assert project.generator("build").returncode == 1
    assert project.generator("render", str(tmp_path / "elsewhere")).returncode == 0

    assert snapshot(project.root, skip=OUTPUTS) == with_broken_page
    project.path("content/pages/broken.md").unlink()
    assert snapshot(project.root, skip=OUTPUTS) == before


def test_the_cache_keeps_itself_out_of_git(project: Project) -> None:
    assert project.generator("build").returncode == 0
    cache = project.path(".cache/evidence")
    assert sorted(p.name for p in cache.iterdir()) == [
        ".gitignore",
        "build.lock",
        "built.pickle",
        "pages.pickle",
        "records.pickle",
    ]
    assert (cache / ".gitignore").read_text() == "*\n"


def test_audit_command_reports_each_finding(project: Project) -> None:
    assert project.generator("build").returncode == 0
    page = project.path("site/about/index.html")
    page.write_text(page.read_text().replace("</article>", "<iframe src=x></iframe></article>"))
    result = project.generator("audit", "site")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("site/about/index.html:")
    assert lines[0].endswith(": <iframe> is not allowed")
    assert lines[1] == "8 pages audited: problems found"


def test_a_link_to_a_missing_anchor_fails_the_build(project: Project) -> None:
    project.write("content/pages/about.md", "# About\n\nSee [the list](index.md#no-such-part).\n")
    result = project.generator("build")
    assert result.returncode == 1
    assert (
        "contains a link 'index.md#no-such-part', but the doc 'index.md' does not contain "
        "an anchor '#no-such-part'" in result.stderr
    )


ESCAPED_TITLE = "About &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"


def test_page_titles_stay_escaped_in_the_title_element(project: Project) -> None:
    """Material prints `page.title | striptags` into <title>, and striptags decodes entities: a
    title given in mkdocs.yml's nav would close <title> and start a script. The theme override
    escapes it again; without the override, the audit stops the build."""
    project.edit("mkdocs.yml", "  - About: about.md", f'  - "{ESCAPED_TITLE}": about.md')
    assert project.generator("build").returncode == 0
    page = project.path("site/about/index.html").read_text(encoding="utf-8")
    assert f"<title>{ESCAPED_TITLE} - Clinical Evidence</title>" in page

    project.path("site_templates/theme/main.html").unlink()
    result = project.generator("build")
    assert result.returncode == 1
    assert ": a script that is not part of the theme" in result.stderr


HAND_WRITTEN_DOCUMENTS = {
    "old.htm": "<p onclick=alert(1)>x</p>\n",
    "old.shtml": "<p>x</p><script>alert(1)</script>\n",
    "page.xhtml": '<html xmlns="http://www.w3.org/1999/xhtml"><body onload="x()"/></html>\n',
    "logo.svg": '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script></svg>\n',
    "logo.svgz": "",  # gzip of logo.svg
    "feed.xml": '<?xml-stylesheet type="text/xsl" href="x.xsl"?>\n<feed/>\n',
}


def test_hand_written_documents_of_every_kind_are_audited(project: Project) -> None:
    """Browsers run what these hold when a reader opens them, as they do for .html files."""
    for name, text in HAND_WRITTEN_DOCUMENTS.items():
        data = text.encode() or gzip.compress(HAND_WRITTEN_DOCUMENTS["logo.svg"].encode())
        project.path(f"content/pages/{name}").write_bytes(data)
    project.write("content/pages/sitemap-extra.xml", "<urlset><url><loc>x</loc></url></urlset>\n")
    result = project.generator("build")
    assert result.returncode == 1
    # Each document's own problem, and nothing else: a hand-written page's script does not make
    # the theme's scripts look foreign on every other page.
    assert "ERROR   -  6 problems in the built pages:" in result.stderr.splitlines(), result.stderr
    for line in [
        "feed.xml:1:1: an XSLT stylesheet (<?xml-stylesheet?>) is not allowed",
        "logo.svg:2:1: <script> is not allowed in an SVG or XML file",
        "logo.svgz:2:1: <script> is not allowed in an SVG or XML file",
        "old.htm:1:1: event handler attribute onclick= on <p>",
        "old.shtml:1:9: a script that is not part of the theme",
        "page.xhtml:1:44: event handler attribute onload= on <body>",
    ]:
        assert line in result.stderr.splitlines(), result.stderr
    assert not project.path("site").exists()


def _build_output(tmp_path: Path, count: int) -> list[str]:
    project = copy_project(tmp_path / f"with-{count}")
    shutil.rmtree(project.path("content/evidence"))
    project.path("content/licenses.yml").unlink()
    synth.write_content(project.path("content"), count)
    result = project.generator("build", environment={AS_OF_VARIABLE: synth.AS_OF.isoformat()})
    assert result.returncode == 0, result.stderr
    return (result.stderr + result.stdout).splitlines()


def test_a_build_ends_with_where_the_site_is_and_does_not_grow_with_it(tmp_path: Path) -> None:
    """No line lists every entry (MkDocs' list of pages not in the nav is off), so 30 entries
    print as many lines as 3: one, which names site/, the pages, the time and how to look. No
    line names the work folder that is gone when the build ends, and no upstream notice (MkDocs
    2, Material's end of life) concerns the people who run this build."""
    few, many = _build_output(tmp_path, 3), _build_output(tmp_path, 30)
    assert len(few) == len(many) == 1, (few, many)
    assert re.fullmatch(
        r"Built \d+ pages into site/ in \d+\.\d s\. To look at it: bash scripts/serve\.sh, "
        r"or python3 -m http\.server -d site and open http://localhost:8000/",
        many[-1],
    ), many[-1]


def test_long_work_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    """On a terminal, a bar redrawn in place counts the pages and the time left; the lines that
    stay are the same as in a log."""
    project = copy_project(tmp_path / "large")
    shutil.rmtree(project.path("content/evidence"))
    project.path("content/licenses.yml").unlink()
    synth.write_content(project.path("content"), 300)
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    with subprocess.Popen(
        [sys.executable, "-m", "generator", "build"],
        cwd=project.root,
        env={**os.environ, AS_OF_VARIABLE: synth.AS_OF.isoformat()},
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
    ) as build:
        os.close(secondary)
        screen = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed: the build is over
                break
            if not chunk:
                break
            screen += chunk
        assert build.wait(timeout=120) == 0, screen.decode()
    os.close(primary)
    text = screen.decode("utf-8")
    frames = text.replace("\r\n", "\n").split("\r")
    assert any(
        re.search(r"^(Reading|Writing) pages: +\d+%\|.*\| \d+/\d+ \[[\d:]+<[\d:]+", f)
        for f in frames
    )
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    assert len(lines) == 1, lines  # the bar's redraws are in place, on the line it wipes
    assert lines[0].split("\r")[-1].startswith("Built ")


def test_a_failed_build_says_the_site_is_unchanged(project: Project) -> None:
    project.edit(SEED_FILE, "patients: 203", "patients: none")
    result = project.generator("build")
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "The build failed: site/ is as it was."


class _Cycle:
    itself: object


def test_pages_read_are_frozen_a_thousand_at_a_time_until_the_build_ends() -> None:
    """In a build (not a preview server), what lives once MkDocs has read a thousand more
    pages is left out of the collections of cyclic garbage, which otherwise walked every page
    read so far again and again; all is thawed when the build ends."""
    collections = collection.Collections()
    collections.begins()
    collections.made(collect=False)
    try:
        pages = [[number] for number in range(collection._PAGES_FROZEN)]
        for _ in pages[:-1]:
            collections.page_read()
        assert id(pages) in {id(found) for found in gc.get_objects()}
        garbage = _Cycle()  # as a page's Markdown converter is, once the page is read
        garbage.itself = garbage
        gone = weakref.ref(garbage)
        del garbage
        collections.page_read()
        assert id(pages) not in {id(found) for found in gc.get_objects()}
        assert gone() is None  # collected, not frozen until the build ends
    finally:
        collections.ended()
    assert gc.get_freeze_count() == 0
    assert id(pages) in {id(found) for found in gc.get_objects()}


def test_a_build_leaves_pythons_collector_as_it_found_it(project: Project) -> None:
    """A build freezes what lives to its end out of Python's collections (see
    `generator.built.collection`), and thaws it when done, failed or not."""
    project.build()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    # A build that fails after the generator is done, as MkDocs puts the pages in the theme.
    project.edit(
        "site_templates/theme/main.html", "{% block content %}", "{% block content %}{{ no() }}"
    )
    with pytest.raises(UndefinedError, match="'no' is undefined"):
        project.build()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
