"""Builds that redo only what changed (`generator/built/store.py`): after any sequence of edits,
the site an incremental build writes is byte for byte the site a build from nothing writes, and
an edit of one entry builds only the pages that show it."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content import files
from generator.settings import AS_OF_VARIABLE
from tests.conftest import SEED_FILE, SHIPPED_AS_OF, Project, copy_project

LANREOTIDE = "content/evidence/lanreotide-enteropancreatic-neuroendocrine-tumors.yaml"
EVEROLIMUS = "content/evidence/everolimus-lung-gastrointestinal-neuroendocrine-tumours.yaml"
ASIDE = "aside"  # entries taken out of the content, to be put back


class Site:
    """A project built again and again as an author would (`generator build`), and from
    nothing beside it, judged as of one day."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.as_of = SHIPPED_AS_OF.isoformat()

    def build(self) -> str:
        """An incremental build into site/: its closing line."""
        return self._run("build")

    def cold(self) -> Path:
        """A build from nothing, into cold-site/, with the caches out of its way."""
        cache, kept = self.project.path(".cache"), self.project.path(".cache-kept")
        cache.rename(kept)
        try:
            shutil.rmtree(self.project.path("cold-site"), ignore_errors=True)
            self._run("build", "--site-dir", "cold-site")
        finally:
            shutil.rmtree(cache, ignore_errors=True)
            kept.rename(cache)
        return self.project.path("cold-site")

    def _run(self, *arguments: str) -> str:
        done = self.project.generator(*arguments, environment={AS_OF_VARIABLE: self.as_of})
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout.splitlines()[-1]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def folders(folder: Path) -> list[str]:
    found = (path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_dir())
    return sorted(found)


def assert_same(site: Site) -> None:
    built, cold = tree(site.project.path("site")), tree(site.cold())
    assert sorted(built) == sorted(cold)
    assert folders(site.project.path("site")) == folders(site.project.path("cold-site"))
    different = [name for name in built if built[name] != cold[name]]
    assert different == [], f"differ from a build from nothing: {different[:10]}"


# --- the edits an author or a maintainer makes, each one way and back again -----------------


def toggle(site: Site, relative: str | Path, one: str, other: str) -> None:
    """`one` made `other`, or `other` made `one`: whichever the file holds."""
    path = site.project.path(str(relative))
    text = path.read_text(encoding="utf-8")
    found, instead = (one, other) if one in text else (other, one)
    assert found in text, f"neither {one!r} nor {other!r} is in {relative}"
    path.write_text(text.replace(found, instead, 1), encoding="utf-8")


def lanreotide(site: Site) -> Path:
    """The lanreotide entry's file, whatever `rename_entry` named it."""
    return sorted(site.project.path("content/evidence").glob("lanreotide*.yaml"))[0]


def edit_question(site: Site) -> None:
    toggle(site, lanreotide(site), "Does lanreotide really lengthen", "Does lanreotide lengthen")


def edit_review_date(site: Site) -> None:
    toggle(site, SEED_FILE, "last_reviewed: 2026-11-24", "last_reviewed: 2026-11-23")


def add_tag(site: Site) -> None:
    # The longer first: the shorter is in both.
    toggle(site, lanreotide(site), "  - lanreotide\n  - somatostatin analogs\n", "  - lanreotide\n")


def remove_entry(site: Site) -> None:
    source = site.project.path(EVEROLIMUS)
    if source.exists():
        site.project.path(ASIDE).mkdir(exist_ok=True)
        source.rename(site.project.path(f"{ASIDE}/{source.name}"))


def add_entry(site: Site) -> None:
    for kept in sorted(site.project.path(ASIDE).glob("*.yaml")):
        kept.rename(site.project.path(f"content/evidence/{kept.name}"))


def rename_entry(site: Site) -> None:
    """A new name for a file, and so for its entry and its page."""
    found = lanreotide(site)
    name = found.stem
    renamed = name.removesuffix("-renamed") if name.endswith("-renamed") else f"{name}-renamed"
    text = found.read_text(encoding="utf-8").replace(f"id: {name}\n", f"id: {renamed}\n", 1)
    found.with_name(f"{renamed}.yaml").write_text(text, encoding="utf-8")
    found.unlink()


def edit_license_registry(site: Site) -> None:
    toggle(
        site, "content/licenses.yml", "licensor: The Lancet\n", "licensor: The Lancet (Elsevier)\n"
    )


def edit_template(site: Site) -> None:
    template = site.project.path("site_templates/entry.md.jinja")
    template.write_text(
        template.read_text(encoding="utf-8") + "\nChecked by the editors.\n", encoding="utf-8"
    )


def edit_config(site: Site) -> None:
    toggle(site, "mkdocs.yml", "site_name: Clinical Evidence\n", "site_name: Evidence\n")


def edit_as_of(site: Site) -> None:
    # A year and more later every entry is due for review: a notice on each page.
    later = "2028-01-15"
    site.as_of = SHIPPED_AS_OF.isoformat() if site.as_of == later else later


def edit_hand_written_page(site: Site) -> None:
    site.project.edit("content/pages/about.md", "\n", "\nThis site is tested.\n")


def edit_theme(site: Site) -> None:
    stylesheet = site.project.path("site_templates/theme/assets/stylesheets/evidence.css")
    stylesheet.write_text(
        stylesheet.read_text(encoding="utf-8") + "\n/* tested */\n", encoding="utf-8"
    )


def nothing(site: Site) -> None:
    pass


EDITS: list[Callable[[Site], None]] = [
    edit_question,
    edit_review_date,
    add_tag,
    remove_entry,
    add_entry,
    rename_entry,
    edit_license_registry,
    edit_template,
    edit_config,
    edit_as_of,
    edit_hand_written_page,
    edit_theme,
    nothing,
]


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(copy_project(tmp_path / "project", everything=True))


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(st.sampled_from(EDITS), min_size=1, max_size=4))
def test_after_any_edits_the_site_is_what_a_build_from_nothing_writes(
    tmp_path_factory: pytest.TempPathFactory, edits: list[Callable[[Site], None]]
) -> None:
    site = Site(copy_project(tmp_path_factory.mktemp("increment") / "project", everything=True))
    site.build()
    for edit in edits:
        edit(site)
        site.build()
        assert_same(site)


@pytest.mark.parametrize("edit", EDITS, ids=[edit.__name__ for edit in EDITS])
def test_each_edit_alone(site: Site, edit: Callable[[Site], None]) -> None:
    """Every kind of edit at least once, whatever the property test drew."""
    site.build()
    edit(site)
    site.build()
    assert_same(site)


def test_one_edited_entry_builds_only_the_pages_that_show_it(site: Site) -> None:
    first = site.build()
    assert "unchanged" not in first  # nothing to take from
    assert "(16 of them unchanged" in site.build()  # nothing changed: every page taken
    site.project.edit(SEED_FILE, "last_reviewed: 2026-11-24", "last_reviewed: 2026-11-23")
    # The entry's page, and the home page and the tag pages listing it with its date, again.
    line = site.build()
    assert "unchanged since the last build" in line
    assert_same(site)


def test_a_build_in_which_nothing_changed_leaves_the_record_of_pages_as_it_was(
    site: Site,
) -> None:
    site.build()
    record = site.project.path(".cache/evidence/built.pickle")
    before = record.stat()
    assert "(16 of them unchanged" in site.build()
    after = record.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    edit_question(site)
    site.build()
    assert record.stat().st_mtime_ns != before.st_mtime_ns
    assert_same(site)


def test_a_site_changed_by_hand_is_not_trusted(site: Site) -> None:
    site.build()
    page = site.project.path("site/about/index.html")
    page.write_text(page.read_text(encoding="utf-8") + "<!-- changed -->", encoding="utf-8")
    site.build()
    assert "<!-- changed -->" not in page.read_text(encoding="utf-8")
    assert_same(site)


def test_a_build_is_made_in_the_folder_of_the_site_before_the_last(site: Site) -> None:
    """Its page folders are there already, and its unchanged pages are the site's very files:
    at 10,000 pages, making the folders anew took seconds."""
    site.build()
    folder = site.project.path("site/about").stat().st_ino
    site.build()
    assert site.project.path(".cache/evidence/site-before-last/about/index.html").is_file()
    edit_question(site)
    site.build()
    assert site.project.path("site/about").stat().st_ino == folder
    assert_same(site)


def test_a_page_rewritten_in_place_with_its_size_and_time_kept_is_not_trusted(
    site: Site,
) -> None:
    """The bytes of the last site's pages are vouched for by their files' status once it has
    settled, and not read again; a change that keeps size and time shows in the change time."""
    site.build()
    site.build()
    time.sleep(files.SETTLED_NS / 1e9 + 0.1)  # what the second build linked has settled
    site.build()
    certified = pickle.loads(site.project.path(".cache/evidence/built-files.pickle").read_bytes())
    assert "about/index.html" in certified
    page = site.project.path("site/about/index.html")
    before, status = page.read_bytes(), page.stat()
    page.write_bytes(before.replace(b"<html", b"<HTML", 1))  # the same size
    os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))
    site.build()
    assert page.read_bytes() == before
    assert_same(site)


def test_a_site_built_by_other_means_is_not_taken_for_the_last_build(site: Site) -> None:
    """The record of the last build says what it wrote, but site/ may hold another build's
    pages since (a plain `mkdocs build`): pages and search index come from what is there."""
    site.build()
    edit_question(site)
    site.project.build(strict=False, environment={AS_OF_VARIABLE: site.as_of})  # plain MkDocs
    edit_question(site)  # back as the recorded build had it
    site.build()
    assert_same(site)


def test_the_builder_with_the_plugin_off_builds_strictly(site: Site) -> None:
    """The builder's MkDocs runs --dirty into an empty folder: MkDocs' warning about dirty
    builds would fail a strict build for nothing, with the plugin on or off."""
    site.project.edit("mkdocs.yml", "  - evidence:\n", "  - evidence:\n      enabled: false\n")
    done = site.project.generator("build", "--strict")
    assert "dirty" not in done.stdout + done.stderr
