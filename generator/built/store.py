"""Pages MkDocs built before, taken as they are when nothing they were built from has changed.

A page's HTML depends on its Markdown, its file's place, its edit link, and on what is the same
for every page (the site key): the configuration, the theme's own files, the installed Python
packages, this generator's code, and the pages of the sidebar (their addresses and titles).
It depends on other pages only through its links, which MkDocs resolves by looking the targets
up among the site's files: each page's lookups are recorded as it is built, and a page whose
inputs are the same and whose lookups give the same answers is not built again.

What MkDocs does with a page after building it is given what was recorded of it instead: the
anchors other pages may link to, its own links to anchors (checked across pages at the end),
the warnings its building gave (repeated, so a strict build fails as a cold one would), and its
audit. Whatever cannot be judged (a setting of a type this does not know, a file changed under
it) makes the page, or the whole site, be built again: the result is always byte for byte what
a build from nothing writes (`tests/test_increment.py`).

How a build uses it: `increment`. On disk, the store is a pickle in .cache/evidence/ beside the
entries' cache: trusted like .venv/, never shared.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import pickle
import struct
import sysconfig
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import meta

from generator.built.page_audit import PageAudit
from generator.content import files
from generator.pages import pickled

_FILE = "built.pickle"
_CERTIFIED = "built-files.pickle"
_VERSION = 4  # of what is kept; another makes every page be built again


class Unjudgeable(Exception):
    """Something the pages are built from that this cannot compare: build everything."""


@dataclass(frozen=True)
class Built:
    """What is kept of one page built: enough to stand in for building it again."""

    key: bytes
    dest: str
    digest: bytes
    """Of the HTML written, as MkDocs encodes it."""
    lookups: tuple[tuple[str, str | None], ...]
    """Each file looked up while the page was built, and the address found (None: not found)."""
    anchors: frozenset[str]
    links: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    """Its links to anchors in other pages, by the file linked to: (anchor, link as written)."""
    logged: tuple[tuple[str, int, str], ...]
    """Warnings and errors its building logged: (logger, level, message)."""
    audit: PageAudit


@dataclass
class Store:
    """The pages of the last good build of one site folder."""

    site_key: bytes = b""
    folder: str = ""
    pages: dict[str, Built] = field(default_factory=dict)
    """By the page's path among the documentation files (`src_uri`)."""
    files_key: bytes = b""
    """Of every file of the site and its address (`files_key`): while it is the same, every
    link a page looked up finds what it found before."""


def load(cache_folder: Path | None) -> Store:
    if cache_folder is None:
        return Store()
    try:
        with (cache_folder / _FILE).open("rb") as stream:
            if pickled.load(stream) != _VERSION:
                return Store()
            kept = pickled.load(stream)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return Store()
    return kept if isinstance(kept, Store) else Store()


def save(store: Store, cache_folder: Path) -> None:
    pickled.save(cache_folder / _FILE, _VERSION, store)


Certified = dict[str, bytes]
"""By a page's path in the site: the status of its file when its bytes were known to have a
digest, with the digest (`certificate`). While the status is the same, so are the bytes, and
the file is not read again."""


def certificate(found: files.Status, digest: bytes) -> bytes:
    # Packed: 10,000 tuples of five large numbers took a tenth of a second to load.
    return struct.pack("<QQqqq", *found) + digest


def load_certified(cache_folder: Path | None) -> Certified:
    if cache_folder is None:
        return {}
    try:
        with (cache_folder / _CERTIFIED).open("rb") as stream:
            found = pickled.load(stream)
    except (OSError, TypeError, EOFError, pickle.UnpicklingError, ValueError, AttributeError):
        return {}
    return found if isinstance(found, dict) else {}


def save_certified(certified: Certified, cache_folder: Path) -> None:
    pickled.save(cache_folder / _CERTIFIED, certified)


# --- keys -----------------------------------------------------------------------------------


def site_key(config: MkDocsConfig, nav: Navigation, salt: bytes) -> bytes:
    """What every page is built from. Raises `Unjudgeable`."""
    digest = hashlib.blake2b(salt, digest_size=32)
    digest.update(_packages())
    _judgeable(config)
    for name, value in sorted(config.items()):
        if name in _NOT_INPUTS:
            continue
        digest.update(name.encode() + b"=")
        if name == "plugins":
            for plugin_name, plugin in config.plugins.items():
                if plugin_name not in _KNOWN_PLUGINS:
                    # Another plugin may change any page, or (Material's search) keep an index
                    # of only the pages built this time.
                    raise Unjudgeable(f"the plugin {plugin_name!r}")
                digest.update(plugin_name.encode() + b":")
                _feed(digest, dict(getattr(plugin, "config", {})))
        elif name == "theme":
            _feed(digest, value.name)
            _feed(digest, dict(value.items()))
            _feed(digest, [str(folder) for folder in value.dirs])
            _feed(digest, sorted(value.static_templates))
            for folder in value.dirs:
                digest.update(_folder(Path(folder)))
        else:
            _feed(digest, value)
    for item in _nav_pages(nav.items):
        _feed(digest, _nav_item(item))
    return digest.digest()


_KNOWN_PLUGINS = frozenset({"evidence"})
# Python-Markdown's own extensions that read nothing but the page (not `abbr` with a glossary
# file, nor pymdownx.snippets, which include other files).
_KNOWN_EXTENSIONS = frozenset(
    {"toc", "tables", "attr_list", "md_in_html", "admonition", "footnotes", "def_list",
     "sane_lists", "smarty", "fenced_code", "codehilite", "nl2br", "wikilinks", "meta",
     "legacy_attrs", "legacy_em", "extra"}
)  # fmt: skip


def _judgeable(config: MkDocsConfig) -> None:
    """What a page may read beyond its Markdown and the site key's inputs makes every page be
    built: other files (Markdown extensions that include them), other pages' content (extra
    templates listing pages), drafts (MkDocs' serve builds them by its own rules)."""
    for extension in config.markdown_extensions:
        name = str(extension).removeprefix("markdown.extensions.")
        if name not in _KNOWN_EXTENSIONS:
            raise Unjudgeable(f"the Markdown extension {name!r}")
    if config.extra_templates:
        raise Unjudgeable("extra_templates")
    if config.draft_docs:
        raise Unjudgeable("draft_docs")


# Settings that do not change what is written: where to, what to watch, how to serve.
_NOT_INPUTS = frozenset({"site_dir", "watch", "dev_addr", "strict", "config_file_path"})


def page_key(site: bytes, file: File, markdown: bytes, edit_url: str | None) -> bytes:
    """`markdown`: a digest of the page's Markdown (see `markdown_digest`)."""
    digest = hashlib.blake2b(site, digest_size=32)
    _feed(digest, [file.src_uri, file.dest_uri, file.url, str(file.inclusion), edit_url])
    digest.update(markdown)
    return digest.digest()


class MarkdownDigests:
    """Digests of pages' Markdown. Under `mkdocs serve` a page the generator did not make again
    is the same string object at the next save (see `publication`): its digest is not taken
    again, which at 10,000 pages is 100 MB not hashed at every save."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[object, bytes]] = {}

    def of(self, file: File) -> bytes:
        content = file._content  # MkDocs keeps a generated page's text there
        known = self._known.get(file.src_uri)
        if content is not None and known is not None and known[0] is content:
            return known[1]
        digest = file_digest(file.content_bytes)
        if content is not None:
            self._known[file.src_uri] = (content, digest)  # kept alive, so `is` stays true
        return digest

    def know(self, digests: dict[str, bytes], pages: dict[str, str]) -> None:
        """The digests the generator took of its `pages` (`publication.page_digest`, the same
        digest as `of` takes)."""
        for path, digest in digests.items():
            self._known[path] = (pages[path], digest)

    def forget_others(self, src_uris: set[str]) -> None:
        for gone in set(self._known) - src_uris:
            del self._known[gone]


def output_digest(html: str) -> bytes:
    """Of a page's HTML as MkDocs writes it."""
    return file_digest(html.encode("utf-8", errors="xmlcharrefreplace"))


def file_digest(data: bytes) -> bytes:
    # SHA-256: processors since about 2017 compute it in hardware, twice as fast as BLAKE2 here
    # (350 MB of pages at 10,000 entries).
    return hashlib.sha256(data).digest()


def _nav_pages(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        if isinstance(item, Section):
            yield from _nav_pages(item.children)


def _nav_item(item: Any) -> object:
    """What every page shows of a sidebar item: its kind, title and address, and a page's
    metadata (read from its front matter, as MkDocs reads it)."""
    if isinstance(item, Section):
        return ["section", item.title]
    if isinstance(item, Link):
        return ["link", item.title, item.url]
    if isinstance(item, Page):
        source = item.file.content_bytes
        explicit = vars(item).get("title")  # given in mkdocs.yml's nav
        if explicit is None:  # then the page's own title, which its Markdown decides
            return ["page", item.file.src_uri, item.url, file_digest(source)]
        _, found = meta.get_data(source.decode("utf-8-sig", errors="replace"))
        return ["page", item.file.src_uri, item.url, explicit, found]
    raise Unjudgeable(f"a sidebar item of type {type(item).__name__}")


def _feed(digest: Any, value: object) -> None:
    """A value into `digest`, unambiguously: each kind tagged, each string's length given."""
    if value is None or isinstance(value, bool | int | float):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, str):
        data = value.encode("utf-8", errors="surrogatepass")
        digest.update(f"s{len(data)}:".encode() + data)
    elif isinstance(value, bytes):
        digest.update(f"b{len(value)}:".encode() + value)
    elif isinstance(value, Path):
        _feed(digest, ["path", str(value)])
    elif isinstance(value, Mapping):
        digest.update(f"m{len(value)}:".encode())
        for key in sorted(value, key=repr):
            _feed(digest, key)
            _feed(digest, value[key])
    elif isinstance(value, list | tuple):
        digest.update(f"l{len(value)}:".encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, set | frozenset):
        _feed(digest, sorted(value, key=repr))
    elif type(value).__module__.startswith("pathspec") and hasattr(value, "patterns"):
        _feed(digest, ["pathspec", [str(getattr(p, "pattern", p)) for p in value.patterns]])
    elif type(value).__module__.startswith(("mkdocs.", "babel.")) and hasattr(value, "__dict__"):
        # MkDocs' own values: an extra script's path and attributes, the theme's language
        _feed(digest, [type(value).__name__, str(value), _public(vars(value))])
    else:
        raise Unjudgeable(f"a setting of type {type(value).__name__}")


def _public(attributes: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in attributes.items() if not name.startswith("_")}


def _packages() -> bytes:
    """Every installed distribution and its version: the theme, MkDocs, Markdown's extensions."""
    names = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    return hashlib.blake2b("\n".join(names).encode(), digest_size=16).digest()


_INSTALLED = Path(sysconfig.get_paths()["purelib"]).resolve()


def _folder(folder: Path) -> bytes:
    """A theme folder's files. One inside an installed package is that package's version,
    already in the key; one of the project's own (`custom_dir`) is read whole."""
    folder = folder.resolve()
    if folder.is_relative_to(_INSTALLED):
        return b""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(file_digest(path.read_bytes()))
    return digest.digest()


# --- what one page's building looked up and logged ----------------------------------------


class Recorder(logging.Handler):
    """Watches one page at a time being built: the files its links looked up, and what it
    logged."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lookups: dict[str, str | None] | None = None
        self.logged: list[tuple[str, int, str]] = []

    def begin(self) -> None:
        self.lookups = {}
        self.logged = []

    def end(self) -> tuple[tuple[tuple[str, str | None], ...], tuple[tuple[str, int, str], ...]]:
        found = tuple(sorted((self.lookups or {}).items())), tuple(self.logged)
        self.lookups = None
        self.logged = []
        return found

    def emit(self, record: logging.LogRecord) -> None:
        if self.lookups is not None and record.name.startswith("mkdocs"):
            self.logged.append((record.name, record.levelno, record.getMessage()))


class RecordingFiles(Files):
    """The site's files, telling the recorder what a page's links look up."""

    def __init__(self, files: list[File], recorder: Recorder) -> None:
        super().__init__(files)
        self.recorder = recorder

    def get_file_from_path(self, path: str) -> File | None:
        found = super().get_file_from_path(path)
        if self.recorder.lookups is not None:
            self.recorder.lookups[path] = found.url if found is not None else None
        return found


def files_key(files: Files) -> bytes:
    digest = hashlib.blake2b(digest_size=32)
    _feed(digest, [part for file in files for part in (file.src_uri, file.url)])
    return digest.digest()


class Lookups:
    """Whether the links a page looked up find what they found before, among this build's
    files. Most pages look up the same few (the tag pages, the home page): each is asked once."""

    def __init__(self, files: Files) -> None:
        self.files = files
        self._urls: dict[str, str | None] = {}

    def answer(self, lookups: tuple[tuple[str, str | None], ...]) -> bool:
        for path, url in lookups:
            if path not in self._urls:
                found = Files.get_file_from_path(self.files, path)
                self._urls[path] = found.url if found is not None else None
            if self._urls[path] != url:
                return False
        return True
