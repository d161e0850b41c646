"""One build's use of the last one (see `store`): which pages MkDocs need not build again, what
it is told of those instead, and what this build leaves for the next.

MkDocs' `--dirty` mode does the skipping: it builds only the pages whose file says it is
modified, and this answers for every page. The builder (`generator build`) runs MkDocs --dirty
in a fresh folder and names the last site, from which the pages taken are linked (or copied)
after their bytes are checked; `mkdocs serve --dirty` keeps its folder between saves, and this
its store in memory. Without --dirty, every page is built, as MkDocs does.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import shutil
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.built import pagefind, shared, store
from generator.built.builder import PREVIOUS_VARIABLE, SPARE_VARIABLE
from generator.built.exports import Exports
from generator.built.page_audit import PageAudit
from generator.content import files

log = logging.getLogger("mkdocs.plugins.evidence")
_Recorded = tuple[tuple[tuple[str, str | None], ...], tuple[tuple[str, int, str], ...]]


class Increment:
    """Kept for all the builds of one process, as the plugin is."""

    def __init__(self) -> None:
        self.on = False
        self.serving = False
        self.previous: Path | None = None  # the last build's site, named by the builder
        self.indexed = False  # the site has a Pagefind index, which the last site's may be
        self.cache_folder: Path | None = None
        self.store = store.Store()  # what the last build left; then what this one makes
        self.last = store.Store()  # what the last build left, if this one can use it
        self.recorder = store.Recorder()
        self.keys: dict[str, bytes] = {}  # this build's pages and what each is made from
        self.kept: dict[str, store.Built] = {}  # taken from the last build
        self.made: dict[str, store.Built] = {}  # built now (their audits come at the end)
        self.recorded: dict[str, _Recorded] = {}  # what reading a page looked up and logged
        self.written: set[str] = set()  # every page and export the last build under serve wrote
        self.exports = Exports()
        self.digests = store.MarkdownDigests()
        self.certified: store.Certified = {}  # the last site's files, by their status

    def start(self) -> None:
        logging.getLogger("mkdocs.commands.build").addFilter(self._judged_dirty)
        logging.getLogger("mkdocs").addHandler(self.recorder)

    def stop(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self._judged_dirty)
        logging.getLogger("mkdocs").removeHandler(self.recorder)

    def _judged_dirty(self, record: logging.LogRecord) -> bool:
        """MkDocs warns that a dirty build may leave links and the sidebar wrong: not so when
        every page is judged here (and a strict build would fail on the warning)."""
        fresh = bool(os.environ.get(PREVIOUS_VARIABLE))  # the builder's folder starts empty
        return not ((self.on or fresh) and str(record.msg).startswith("A 'dirty' build"))

    def configure(
        self,
        *,
        dirty: bool,
        serving: bool,
        previous: Path | None,
        cache_folder: Path | None,
        indexed: bool,
    ) -> None:
        self.serving, self.previous, self.cache_folder = serving, previous, cache_folder
        self.indexed = indexed
        self.on = dirty and (serving or previous is not None)
        if self.on and not serving:
            self.store = store.load(cache_folder)
            self.certified = store.load_certified(cache_folder)

    def begin(self) -> None:
        self.keys, self.kept, self.made, self.recorded = {}, {}, {}, {}
        self.exports.now = {}

    def abandon(self, *, failed: bool) -> None:
        self.recorder.end()
        if failed:  # what the build left in the site folder is not known
            self.store = store.Store()
            self.written |= {built.dest for built in self.made.values()}
            self.written |= self.exports.unknown()

    def add_file(self, files: Files, file: File, content: str) -> None:
        """A file made in memory; under serve, one not a page is written only if it changed."""
        files.append(file)
        if not (self.on and self.serving) or file.is_documentation_page():
            return
        if self.exports.unchanged(file.dest_uri, content, file.abs_dest_path):
            _judge(file, modified=False)

    def files(self, files: Files) -> Files:
        """The site's files, recording what each page's links look up as it is built."""
        return store.RecordingFiles(list(files), self.recorder) if self.on else files

    def reuse(
        self,
        nav: Navigation,
        files: Files,
        config: MkDocsConfig,
        sources: dict[str, str],
        salt: bytes,
    ) -> int:
        """Decide, for every page, whether the last build's stands in for it; return how many
        pages MkDocs will build."""
        pages = files.documentation_pages()
        if not self.on:
            return len(pages)
        site_dir = Path(config.site_dir)
        try:
            site = store.site_key(config, nav, salt)
        except store.Unjudgeable as why:
            log.info(f"Building every page: {why} cannot be compared with the last build.")
            self.store, site = store.Store(), b""
        folder = str(self.previous or site_dir.resolve())
        same = site and self.store.site_key == site and self.store.folder == folder
        self.last = self.store if same else store.Store()
        in_nav = nav.pages
        files_now = store.files_key(files)
        lookups = store.Lookups(files)
        same_files = bool(self.last.files_key) and self.last.files_key == files_now
        standing: dict[str, store.Built] = {}  # pages the last build's may stand in for
        for file in pages:
            markdown = self.digests.of(file)
            key = store.page_key(site, file, markdown, str(sources.get(file.src_uri)))
            self.keys[file.src_uri] = key
            built = self.last.pages.get(file.src_uri)
            # A sidebar page titled by its own heading: MkDocs knows the title only once built.
            titled = file.page not in in_nav or vars(file.page).get("title") is not None
            if (
                site
                and titled
                and built is not None
                and built.key == key
                and (same_files or lookups.answer(built.lookups))
            ):
                standing[file.src_uri] = built
        brought = self._bring_all(list(standing.values()), site_dir)
        for file in pages:
            built = standing.get(file.src_uri)
            if built is not None and built.dest in brought:
                self._stand_in(built, file, files, config, in_nav=file.page in in_nav)
            else:
                _judge(file, modified=True)
        self.store = store.Store(site, folder, files_key=files_now)
        self.digests.forget_others({file.src_uri for file in pages})
        if self.serving:  # the pages and exports of entries gone, left by the last build
            for dest in self.written - {file.dest_uri for file in pages} - set(self.exports.now):
                _remove(site_dir, dest)
        return len(pages) - len(self.kept)

    def _bring_all(self, kept: list[store.Built], site_dir: Path) -> set[str]:
        """Those of the pages in `kept` that are in `site_dir` as the last build wrote them,
        by their path in the site. From the builder's last site, each is checked against the
        digest of what was written, then linked (or copied where a link cannot be made)."""
        previous = self.previous
        if previous is None:  # under `mkdocs serve`: the folder of its last build
            return {built.dest for built in kept if (site_dir / built.dest).is_file()}
        in_place = self._take_spare(site_dir, {built.dest for built in kept})
        folder, here = os.fspath(previous), os.fspath(site_dir)

        def checked(built: store.Built) -> bytes | None:
            """The page's bytes, or b"" when its file's status says they are those of the
            digest; None if changed since, or written by a build that failed later."""
            path = os.path.join(folder, built.dest)  # strings: Path objects took 0.3 s
            known, found = self.certified.get(built.dest), files.status(path)
            if found is not None and known == store.certificate(found, built.digest):
                return b""
            try:
                with open(path, "rb") as stream:
                    data = stream.read()
            except OSError:
                return None
            return data if store.file_digest(data) == built.digest else None

        brought = set()
        for built in kept:
            data = checked(built)
            if built.dest in in_place:
                if data is None:  # the very file, changed since
                    os.unlink(os.path.join(here, built.dest))
                else:
                    brought.add(built.dest)
            elif data is not None and _bring(
                os.path.join(folder, built.dest), os.path.join(here, built.dest), data
            ):
                brought.add(built.dest)
        return brought

    def _take_spare(self, site_dir: Path, kept: set[str]) -> set[str]:
        """Build in the site before the last, which the builder kept, rather than in an empty
        folder; return the pages of `kept` found in it already. Of its files only those that
        are the last site's own (linked when they were taken from it) are left, and only those
        of pages taken and of the search index: every other is removed first, so that MkDocs
        never writes into a file the site being served shares, and nothing stale stays."""
        spare, previous = os.environ.get(SPARE_VARIABLE), self.previous
        if not spare or previous is None or os.path.lexists(site_dir):
            return set()
        if shared.nested(Path(spare).resolve(), previous):
            return set()  # the builder offers no such folder; never the site being served
        try:
            os.rename(spare, site_dir)
        except OSError:
            return set()
        # The search index is made whole again, or swept as the last one's is put in place.
        index = pagefind.FOLDER if self.indexed else None
        try:
            return shared.sweep(site_dir, previous, kept.__contains__, unswept=index)
        except OSError as error:  # what is left of it may share files with the site served
            shutil.rmtree(site_dir, ignore_errors=True)
            if os.path.lexists(site_dir):
                raise PluginError(
                    f"the site before the last, moved to {site_dir} to build in, could not be "
                    f"emptied ({error}); delete that folder and build again"
                ) from None
            return set()

    def _stand_in(
        self, built: store.Built, file: File, files: Files, config: MkDocsConfig, *, in_nav: bool
    ) -> None:
        """What MkDocs knows of a page it built, for one it will not build."""
        self.kept[file.src_uri] = built
        _judge(file, modified=False)
        page = file.page
        assert page is not None
        page.present_anchor_ids = set(built.anchors)
        linked = {files.get_file_from_path(src): dict(anchors) for src, anchors in built.links}
        page.links_to_anchors = {target: anchors for target, anchors in linked.items() if target}
        if in_nav:
            page.read_source(config)  # its title and metadata, which the sidebar shows
        for name, level, message in built.logged:  # a strict build fails as a cold one would
            logging.getLogger(name).log(level, message)

    # --- as MkDocs builds a page: reading it (Markdown to HTML), then writing it -----------

    def reading(self) -> None:
        if self.on:
            self.recorder.begin()

    def read(self, page: Page) -> None:
        if self.on:
            self.recorded[page.file.src_uri] = self.recorder.end()

    def writing(self) -> None:
        if self.on:
            self.recorder.begin()

    def written_page(self, page: Page, output: str) -> None:
        if not self.on:
            return
        lookups, logged = self.recorded.pop(page.file.src_uri, ((), ()))
        later_lookups, later_logged = self.recorder.end()
        self.made[page.file.src_uri] = store.Built(
            key=self.keys.get(page.file.src_uri, b""),
            dest=page.file.dest_uri,
            digest=store.output_digest(output),
            lookups=tuple(sorted({*lookups, *later_lookups})),
            anchors=frozenset(page.present_anchor_ids or ()),
            links=tuple(
                sorted(
                    (target.src_uri, tuple(sorted(anchors.items())))
                    for target, anchors in (page.links_to_anchors or {}).items()
                )
            ),
            logged=(*logged, *later_logged),
            audit=_NOT_YET,
        )

    # --- once every page is written ---------------------------------------------------------

    def index_kept(self, site_dir: Path) -> bool:
        """Put in the last site's search index if every HTML file of this one is the same, byte
        for byte, as in the last: the index is made from those files alone (and Pagefind's
        version is in the site key). Pages are compared by digest, other files read."""
        last, previous = self.last, self.previous
        if not self.on or previous is None or not last.pages:
            return False
        if not (previous / pagefind.FOLDER / "pagefind.js").is_file():
            return False
        if set(self.keys) != set(last.pages):
            return False
        now, before = _html_files(site_dir), _html_files(previous)
        if now != before:
            return False
        # Pages taken were checked against the last site's files as they were linked; every
        # other file, a page built again included, is compared with the last site's file
        # itself (the record of a page may be of a build that was never put in place).
        kept = {built.dest for built in self.kept.values()}
        for name in now - kept:
            if (site_dir / name).read_bytes() != (previous / name).read_bytes():
                return False
        try:
            pagefind.copy(previous / pagefind.FOLDER, site_dir)
        except OSError:
            return False  # made anew, in a folder emptied first
        return True

    def audits(self) -> dict[str, PageAudit]:
        """The audits of the pages taken, by their path in the site."""
        return {built.dest: built.audit for built in self.kept.values()}

    def remember(self, audits: dict[str, PageAudit], site_dir: Path, *, failed: bool) -> None:
        """Keep what this build made, for the next: under serve in memory, else on disk."""
        if not self.on:
            return
        made = {
            src: dataclasses.replace(built, audit=audits[built.dest])
            for src, built in self.made.items()
            if built.key and built.dest in audits
        }
        self.store.pages = {} if failed else {**self.kept, **made}
        self.written = {built.dest for built in self.store.pages.values()}
        if self.serving:
            self.written |= set(self.exports.now)
            self.exports.done()
        else:
            if self.cache_folder is not None and not self._as_loaded():
                store.save(self.store, self.cache_folder)
            if self.cache_folder is not None and not failed:
                self._certify(site_dir, self.cache_folder)
            self.store = store.Store()

    def _certify(self, site_dir: Path, cache_folder: Path) -> None:
        """Vouch for the bytes of this site's pages by their files' status, for the next build,
        which takes them from here: at 10,000 pages, reading them again took half a second.
        Only a status that a later write must change is kept (`files.settled`): a file written
        or linked just now is read the next time."""
        now = time.time_ns()
        certified: store.Certified = {}
        folder = os.fspath(site_dir)
        for built in self.store.pages.values():
            found = files.status(os.path.join(folder, built.dest))
            if found is not None and files.settled(found, now):
                certified[built.dest] = store.certificate(found, built.digest)
        if certified != self.certified:
            store.save_certified(certified, cache_folder)

    def report(self, report: Path, files: set[str]) -> None:
        """Tell the builder how many pages the site has (its `files` listed, which the builder
        would otherwise list again), and how many were taken."""
        pages = sum(1 for name in files if name.rpartition("/")[2] == "index.html")
        told = {"pages": pages, "unchanged": len(self.kept)}
        with contextlib.suppress(OSError):
            report.write_text(json.dumps(told), "utf-8")

    def _as_loaded(self) -> bool:
        """Whether the store is the one on disk still: every page taken, none built. Saving it
        again took a second at 10,000 pages."""
        now, last = self.store, self.last
        return (
            not self.made
            and bool(now.pages)
            and (now.site_key, now.folder, now.files_key)
            == (last.site_key, last.folder, last.files_key)
            and now.pages == last.pages
        )


def _judge(file: File, *, modified: bool) -> None:
    """Building --dirty, MkDocs builds the pages whose file says it was modified. Its own answer
    compares times, and calls a page made in memory always modified."""
    file.is_modified = (lambda: True) if modified else (lambda: False)  # type: ignore[method-assign]


_NOT_YET = PageAudit([], [])


def _html_files(folder: Path) -> set[str]:
    _, files = shared.tree(folder, unlisted=pagefind.FOLDER)
    return {name for name in files if name.endswith(".html")}


def _bring(kept: str, target: str, data: bytes) -> bool:
    try:
        shared.link(kept, target, data or None)  # b"": its file's status vouched for it
    except OSError:
        return False  # then built again
    return True


def _remove(site_dir: Path, dest: str) -> None:
    """A page the last build under serve wrote, and the folders it leaves empty."""
    path = site_dir / dest
    path.unlink(missing_ok=True)
    for folder in path.parents:
        if folder == site_dir or not folder.is_relative_to(site_dir):
            break
        try:
            folder.rmdir()
        except OSError:
            break
