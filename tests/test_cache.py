"""The on-disk cache (.cache/evidence/): reused only while nothing it was made from changed, and
never the reason a page differs from what an uncached build makes."""

from __future__ import annotations

import gc
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

import generator
from generator.content import files as content_files
from generator.content.project import Project as Paths
from generator.pages import pickled, plan, publication
from generator.pages.record import Cache
from generator.settings import Settings
from tests.conftest import AS_OF, SEED_FILE, SEED_ID, Project
from tests.test_load import minimal

SETTINGS = Settings(AS_OF)
ENTRY_PAGE = f"evidence/{SEED_ID}.md"
SECOND = "content/evidence/second-entry.yaml"


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def built(project: Project, name: str) -> dict[str, bytes]:
    """Build the site, keep a copy under `name`, and return its files."""
    site = project.build()
    kept = project.root.parent / name
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(site, kept)
    return files(kept)


@pytest.fixture
def two_entries(project: Project) -> Project:
    seed = project.read(SEED_FILE)
    project.write(
        SECOND,
        seed.replace(f"id: {SEED_ID}", "id: second-entry").replace(
            "What is the evidence for the use of cabozantinib", "Second, the evidence for"
        ),
    )
    return project


def test_a_cached_build_makes_the_same_pages_as_an_uncached_one(two_entries: Project) -> None:
    project = two_entries
    cache = project.path(".cache/evidence")
    first = built(project, "first")  # fills the cache
    assert (cache / "pages.pickle").is_file()
    assert built(project, "cached") == first  # everything taken from the cache

    project.edit(SECOND, "Second, the evidence", "Second, edited, the evidence")
    partly = built(project, "partly")
    assert partly != first
    project.edit("mkdocs.yml", "  - evidence:\n", "  - evidence:\n      cache: false\n")
    shutil.rmtree(cache)
    assert built(project, "uncached") == partly
    assert not cache.exists(), sorted(cache.rglob("*"))


def make(paths: Paths, settings: Settings = SETTINGS) -> tuple[publication.Publication, Cache]:
    """Pages made as a build makes them, with a cache read afresh from disk."""
    cache = Cache(paths.cache_dir)
    return publication.make(paths, settings, cache), cache


def test_nothing_changed_reuses_everything(two_entries: Project) -> None:
    paths = Paths.at(two_entries.root)
    first, _ = make(paths)
    again, cache = make(paths)
    assert again == first
    assert (cache.read, cache.reused) == (0, 2)


def test_an_edited_entry_makes_the_pages_again(two_entries: Project) -> None:
    paths = Paths.at(two_entries.root)
    make(paths)
    two_entries.edit(SECOND, "Second, the evidence", "Second, edited, the evidence")
    made, cache = make(paths)
    assert (cache.read, cache.reused) == (1, 1)  # the other entry's record is kept
    assert "Second, edited, the evidence" in made.pages["evidence/second-entry.md"]
    assert "Second, edited, the evidence" in made.pages["index.md"]  # the listing too
    assert made == publication.make(paths, SETTINGS)  # as if nothing had been kept


def test_a_changed_license_registry_makes_the_pages_again(two_entries: Project) -> None:
    paths = Paths.at(two_entries.root)
    make(paths)
    two_entries.edit(
        "content/licenses.yml",
        "credit_line: Used under license from The New England Journal of Medicine.",
        "credit_line: Used under a renewed license from The New England Journal of Medicine.",
    )
    made, cache = make(paths)
    assert (cache.read, cache.reused) == (2, 0)
    assert "Used under a renewed license" in made.pages[ENTRY_PAGE]


def test_a_changed_template_makes_the_pages_again(two_entries: Project) -> None:
    paths = Paths.at(two_entries.root)
    make(paths)
    two_entries.edit("site_templates/entry.md.jinja", "## Answer", "## The answer")
    made, cache = make(paths)
    assert "## The answer" in made.pages[ENTRY_PAGE]
    assert (cache.read, cache.reused) == (2, 0)


def test_another_version_of_the_generator_uses_nothing_cached(
    two_entries: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths.at(two_entries.root)
    make(paths)
    monkeypatch.setattr(generator, "__version__", "999.0")
    made, cache = make(paths)
    assert (cache.read, cache.reused) == (2, 0)
    assert made == make(paths)[0]


def test_other_settings_make_the_pages_again(two_entries: Project) -> None:
    paths = Paths.at(two_entries.root)
    make(paths)
    later = Settings(date(AS_OF.year + 2, AS_OF.month, AS_OF.day))
    made, _ = make(paths, later)
    assert "Review due" in made.pages[ENTRY_PAGE]
    assert "Review due" not in make(paths)[0].pages[ENTRY_PAGE]


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05N."])
def test_a_damaged_cache_is_ignored(two_entries: Project, damage: bytes) -> None:
    paths = Paths.at(two_entries.root)
    first, _ = make(paths)
    (paths.cache_dir / "pages.pickle").write_bytes(damage)
    made, cache = make(paths)
    assert made == first
    assert (cache.read, cache.reused) == (0, 2)  # from the records of the entries
    (paths.cache_dir / "pages.pickle").write_bytes(damage)
    (paths.cache_dir / "records.pickle").write_bytes(damage)
    made, cache = make(paths)
    assert made == first
    assert (cache.read, cache.reused) == (2, 0)


def test_records_of_other_code_are_never_read(
    two_entries: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths.at(two_entries.root)
    make(paths)
    (paths.cache_dir / "pages.pickle").unlink()

    def refuse(*_: object) -> None:
        raise AssertionError("records of other code were unpickled")

    monkeypatch.setattr(generator, "__version__", "999.0")
    monkeypatch.setattr("generator.pages.record.Record.__setstate__", refuse, raising=False)
    _, cache = make(paths)
    assert (cache.read, cache.reused) == (2, 0)


def test_a_cache_in_memory_reads_only_what_changed(project: Project) -> None:
    """As `mkdocs serve` keeps it between saves."""
    project.write("content/evidence/e.yaml", minimal("e"))
    cache = Cache()
    paths = Paths.at(project.root)
    first = publication.make(paths, SETTINGS, cache)
    assert (cache.read, cache.reused) == (2, 0)
    assert publication.make(paths, SETTINGS, cache) == first
    assert (cache.read, cache.reused) == (2, 2)

    project.edit("content/evidence/e.yaml", "Does it work?", "Does it still work?")
    assert "Does it still work?" in publication.make(paths, SETTINGS, cache).pages["index.md"]
    assert (cache.read, cache.reused) == (3, 3)

    # A changed registry can change what every entry means: all are read again.
    project.edit("content/licenses.yml", "licensor: The New", "licensor: The  New")
    publication.make(paths, SETTINGS, cache)
    assert (cache.read, cache.reused) == (5, 3)

    project.path("content/evidence/e.yaml").unlink()
    made = publication.make(paths, SETTINGS, cache)
    assert made.sources == {f"evidence/{SEED_ID}.md": SEED_FILE}
    assert made == publication.make(paths, SETTINGS)


def counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    """Each call of `module.name`, by its first argument."""
    calls: list[object] = []
    original = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_file_whose_status_is_unchanged_is_not_read_again(
    two_entries: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if every file had been written long ago (`files.SETTLED_NS`): a file is read only
    when its status (size, inode, change times) differs from when it was last read."""
    monkeypatch.setattr(content_files, "SETTLED_NS", -1)
    reads = counting(monkeypatch, publication, "read_bytes")
    paths = Paths.at(two_entries.root)
    first, _ = make(paths)
    assert len(reads) == 2
    reads.clear()
    assert make(paths)[0] == first  # from disk, in a new cache: the statuses are kept too
    assert publication.make(paths, SETTINGS, Cache()) == first
    reads.clear()
    assert make(paths)[0] == first
    assert reads == []

    # The same size: only the status's change times tell.
    two_entries.edit(SECOND, "Second, the evidence", "Second, thy evidence")
    made, cache = make(paths)
    assert [Path(str(read)).name for read in reads] == ["second-entry.yaml"]
    assert (cache.read, cache.reused) == (1, 1)
    assert "Second, thy evidence" in made.pages["evidence/second-entry.md"]
    assert made == publication.make(paths, SETTINGS)


def test_the_last_pages_are_taken_after_reading_only_the_files_changed_since(
    two_entries: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last pages made are taken while every file under the content and template folders
    is as it was; a file's status (size, inode, change times) stands for its bytes once it
    has settled, so only files whose status changed are read to tell."""
    monkeypatch.setattr(content_files, "SETTLED_NS", -1)
    digests = counting(monkeypatch, content_files, "_file_digest")
    paths = Paths.at(two_entries.root)
    first, _ = make(paths)
    assert make(paths)[0] == first  # the statuses were kept with the pages
    digests.clear()
    made, cache = make(paths)
    assert made == first
    assert (cache.read, digests) == (0, [])

    # The same size and modification time: only the change time tells.
    second = two_entries.path(SECOND)
    before = second.stat()
    two_entries.edit(SECOND, "Second, the evidence", "Second, thy evidence")
    os.utime(second, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert second.stat().st_size == before.st_size
    made, cache = make(paths)
    content = [Path(str(path)).name for path in digests if "content" in Path(str(path)).parts]
    assert content == ["second-entry.yaml"]
    assert cache.read == 1
    assert "Second, thy evidence" in made.pages["evidence/second-entry.md"]


def test_files_written_moments_ago_are_read_to_tell_whether_the_last_pages_stand(
    two_entries: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until a file has settled (here: not for years), its status says nothing of its bytes."""
    monkeypatch.setattr(content_files, "SETTLED_NS", 10**17)
    digests = counting(monkeypatch, content_files, "_file_digest")
    paths = Paths.at(two_entries.root)
    first, _ = make(paths)
    assert make(paths)[0] == first
    digests.clear()
    assert make(paths)[0] == first
    content = two_entries.path("content")
    read = {Path(str(path)) for path in digests if Path(str(path)).is_relative_to(content)}
    assert read == {path for path in content.rglob("*") if path.is_file()}


def test_a_file_written_moments_ago_is_read_at_every_build(
    two_entries: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its status may stay the same through another write within the same tick of the file
    system's clock, so it is not trusted until it has settled (here: not for years)."""
    monkeypatch.setattr(content_files, "SETTLED_NS", 10**17)
    reads = counting(monkeypatch, publication, "read_bytes")
    paths, cache = Paths.at(two_entries.root), Cache()  # as `mkdocs serve` keeps it
    publication.make(paths, SETTINGS, cache)
    publication.make(paths, SETTINGS, cache)
    assert len(reads) == 4
    assert (cache.read, cache.reused) == (2, 2)


def test_listings_are_planned_only_when_what_they_show_changed(
    two_entries: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    planned = counting(monkeypatch, plan, "listings")
    paths = Paths.at(two_entries.root)
    make(paths)
    assert len(planned) == 1
    two_entries.edit(SECOND, "The evidence for the use of", "The evidence for using")  # answer
    made, _ = make(paths)
    assert len(planned) == 1
    assert "The evidence for using" in made.pages["evidence/second-entry.md"]
    assert made == publication.make(paths, SETTINGS)

    two_entries.edit(SECOND, "Second, the evidence", "Second, other evidence")  # question
    made, _ = make(paths)
    assert len(planned) == 3  # (and once by the uncached make above)
    assert "Second, other evidence" in made.pages["index.md"]
    assert made == publication.make(paths, SETTINGS)


def test_what_a_cache_holds_goes_straight_to_the_oldest_generation(tmp_path: Path) -> None:
    """A cache read lives as long as the build: it is put with the oldest objects at once
    (`pickled.load`), not walked by two collections of young objects first; the collector is
    left on, nothing frozen, and what a build froze stays frozen."""
    pickled.save(tmp_path / "cache.pickle", [[number] for number in range(10_000)])
    with (tmp_path / "cache.pickle").open("rb") as stream:
        loaded = pickled.load(stream)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    oldest = {id(found) for found in gc.get_objects(generation=2)}
    assert id(loaded) in oldest
    assert all(id(item) in oldest for item in loaded)
    kept = [[1]]
    gc.freeze()
    try:
        with (tmp_path / "cache.pickle").open("rb") as stream:
            pickled.load(stream)
        assert gc.get_freeze_count() >= 2
        assert id(kept) not in {id(found) for found in gc.get_objects()}  # still frozen
    finally:
        gc.unfreeze()
