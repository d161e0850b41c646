"""The site's search index, made by Pagefind from the built pages (`python -m pagefind`, the
binary from the `pagefind[bin]` wheel: nothing is downloaded). A reader's browser loads only the
parts of the index a query needs, never the whole, and never with a page.

Pagefind indexes what the theme marks (main.html): the entry and hand-written pages, not the
listings; its permalink signs (¶) are left out. What the browser does not use of its output
(Pagefind's own ready-made interfaces) is removed, so the site holds only what it serves. Under
`mkdocs serve` the index is remade in the background after each save (`Reindexer`), so that a
save shows at once whatever the site's size.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2

from generator import lifetime
from generator.built import shared

FOLDER = "pagefind"
"""Where the index goes in the built site; the search box loads pagefind/pagefind.js."""
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
           "pagefind-modular-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-highlight.js")  # fmt: skip


class PagefindError(Exception):
    """Pagefind could not index the site."""


@dataclass(frozen=True)
class Indexed:
    seconds: float


def index(
    site_dir: Path, output: Path | None = None, *, cancel: threading.Event | None = None
) -> Indexed:
    """Index the built site in `site_dir` into `site_dir/pagefind` (or into `output`). Setting
    `cancel` stops Pagefind and raises `PagefindError`."""
    started = time.monotonic()
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"]
    command += ["--exclude-selectors", ".headerlink"]
    if output is not None:
        command += ["--output-path", str(output)]
    bundle = output if output is not None else site_dir / FOLDER
    # Made anew: an index there may share its files with another (`copy`), never written into.
    shutil.rmtree(bundle, ignore_errors=True)
    if bundle.exists():
        raise PagefindError(f"the old index in {bundle} could not be removed")
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    except OSError as error:
        raise PagefindError(f"Pagefind could not be started: {error}") from None
    with process:
        while True:
            try:  # reads what it says as it goes, so that a full pipe never stops it
                said = process.communicate(timeout=None if cancel is None else 0.05)[0]
                break
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.is_set():
                    process.kill()
                    process.communicate()
                    raise PagefindError("cancelled: the pages changed") from None
        last = (said.strip().splitlines() or ["failed"])[-1]
    if process.returncode != 0:
        raise PagefindError(f"Pagefind could not index the site: {last}")
    if cancel is not None and cancel.is_set():
        raise PagefindError("cancelled: the pages changed")
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)
    _canonical(bundle)
    return Indexed(time.monotonic() - started)


_SIGNATURE = b"pagefind_dcd"


def _canonical(bundle: Path) -> None:
    """Pagefind writes its filter indexes, and their list in the index's metadata, in the order
    of a hash map: two runs on the same pages give different files. Each is put in order here
    and named by its content, as Pagefind names files, so the same pages always give the same
    index (a build is then reproducible, and a cached one equal to a cold one)."""
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_file = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_file)
        for part in meta:
            if not _is_filter_list(part, bundle):
                continue
            for item in part:
                old = bundle / "filter" / f"{item[1]}.pf_filter"
                values = _read(old)
                values[1].sort(key=lambda value: value[0])
                item[1] = _write(values, bundle / "filter", item[1], ".pf_filter")
                old.unlink()
            part.sort(key=lambda item: item[0])
        meta_file.unlink()
        language["hash"] = _write(meta, bundle, language["hash"], ".pf_meta", prefix="pagefind.")
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _is_filter_list(part: object, bundle: Path) -> bool:
    return (
        isinstance(part, list)
        and bool(part)
        and all(
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[1], str)
            and (bundle / "filter" / f"{item[1]}.pf_filter").is_file()
            for item in part
        )
    )


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise PagefindError(f"Pagefind wrote {path.name} in a form this version cannot read")
    return cbor2.loads(data[len(_SIGNATURE) :])


def _write(value: Any, folder: Path, old_name: str, suffix: str, *, prefix: str = "") -> str:
    """Write `value` as Pagefind does; its new name keeps the old one's language and length."""
    data = _SIGNATURE + cbor2.dumps(value)
    language, _, digest = old_name.partition("_")
    name = f"{language}_{hashlib.sha256(data).hexdigest()[: len(digest)]}"
    (folder / f"{prefix}{name}{suffix}").write_bytes(gzip.compress(data, 9, mtime=0))
    return name


def copy(bundle: Path, site_dir: Path) -> None:
    """Put an index made before into a built site, in place of any there. Its files are linked
    where the system allows (copying 30,000 files took a second at 10,000 pages), and those
    there already as the very same files (in the site before the last, built in again) stay."""
    target = site_dir / FOLDER
    if target.is_symlink() or target.is_file():
        target.unlink()
    folders, names = shared.tree(bundle)
    there = shared.sweep(target, bundle, names.__contains__) if target.is_dir() else set()
    source, copied = os.fspath(bundle), os.fspath(target)
    for folder in sorted({"", *folders}):  # each before those it holds
        os.makedirs(os.path.join(copied, folder), exist_ok=True)
    for name in names - there:
        shared.link(os.path.join(source, name), os.path.join(copied, name), made=True)


STATUS = "search/status.json"
"""Under `mkdocs serve`: whether the search index is older than the pages ({"stale": true})."""


class Reindexer:
    """The search index under `mkdocs serve`, where a save must show at once: each rebuilt site
    gets the last index made at once, marked stale, and a new one is made in the background
    and put in when done, unless a newer save has begun meanwhile. The first build waits for
    its index, as there is no earlier one."""

    def __init__(self, keep: Path) -> None:
        self.keep = keep  # the last index made, beside the entries' cache
        self.lock = threading.Lock()
        self.generation = 0
        self.thread: threading.Thread | None = None
        self.cancel = threading.Event()  # of the index being made in the background
        self.swept = False
        self.pending: tuple[Path, int, threading.Event] | None = None

    def begin(self) -> None:
        """A build starts: an index still being made is for pages about to be replaced, and is
        stopped, so that it takes no processor from the build. Held while an index is put in
        place, so MkDocs cannot empty the folder meanwhile."""
        with self.lock:
            self.generation += 1
            self.cancel.set()
            self.cancel = threading.Event()

    def serve(self, site_dir: Path) -> None:
        self.ready(site_dir)
        self.remake()

    def ready(self, site_dir: Path) -> None:
        """The site gets an index at once: its own if it is the first build, else the last
        one, marked stale; `remake` then starts making its own in the background. Apart, so
        that the build can finish its own work before Pagefind takes both processors."""
        with self.lock:
            generation, cancel = self.generation, self.cancel
            if not self.swept:
                # Remakes a server stopped before they were done: removed now, while the first
                # build ends, not in the background while a save is being built.
                for stale in self.keep.parent.glob(f"{self.keep.name}.new-*"):
                    # Another server's, still at work, is left alone.
                    pid = stale.name.removeprefix(f"{self.keep.name}.new-").split("-")[0]
                    if not (pid.isdigit() and lifetime.alive(int(pid))):
                        shutil.rmtree(stale, ignore_errors=True)
                self.swept = True
            if not (self.keep / "pagefind.js").is_file():
                index(site_dir)
                _replace(site_dir / FOLDER, self.keep)
                _status(site_dir, stale=False)
                return
            if not (site_dir / FOLDER / "pagefind.js").is_file():
                # Emptied by MkDocs. Under --dirty it stays: the same index as `keep`, as both
                # are only ever replaced together, under the lock.
                copy(self.keep, site_dir)
            _status(site_dir, stale=True)
            self.pending = (site_dir, generation, cancel)

    def remake(self) -> None:
        """Start making the index of the site that `ready` gave the last one."""
        with self.lock:
            pending, self.pending = self.pending, None
        if pending is None:
            return
        self.thread = threading.Thread(target=self._remake, args=pending, daemon=True)
        self.thread.start()

    def _remake(self, site_dir: Path, generation: int, cancel: threading.Event) -> None:
        # A folder of its own: the remake for an earlier save may still be writing its own.
        made = self.keep.with_name(f"{self.keep.name}.new-{os.getpid()}-{generation}")
        shutil.rmtree(made, ignore_errors=True)
        try:
            index(site_dir, made, cancel=cancel)
        except PagefindError:
            shutil.rmtree(made, ignore_errors=True)
            return  # the pages changed under it: the next save makes another
        with self.lock:
            if generation != self.generation:
                shutil.rmtree(made, ignore_errors=True)
                return
            _replace(made, self.keep)
            copy(self.keep, site_dir)
            _status(site_dir, stale=False)


def _replace(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.parent == target.parent:
        source.rename(target)
    else:
        shutil.copytree(source, target)


def _status(site_dir: Path, *, stale: bool) -> None:
    path = site_dir / STATUS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"stale": stale}) + "\n", encoding="utf-8")
