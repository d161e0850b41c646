"""Where a site's content and templates live. Shared by the MkDocs plugin and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

DEFAULT_CONTENT = "content"
DEFAULT_TEMPLATES = "site_templates"
ENTRY_SUFFIX = ".yaml"


def ignored(name: str) -> bool:
    """Hidden files and editors' backup, autosave and lock files (Emacs' `.#entry.yaml` is a
    dangling link), which nothing reads or publishes: never entries, pages or templates."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp"))


def is_entry_path(relative: PurePath) -> bool:
    """Whether the file at `relative`, below the entries folder, is an entry: the one rule,
    for the working tree and for a git revision alike."""
    return relative.suffix == ENTRY_SUFFIX and not any(map(ignored, relative.parts))


@dataclass(frozen=True)
class Project:
    root: Path
    content_dir: Path
    templates_dir: Path

    @classmethod
    def at(
        cls, root: Path, content: str = DEFAULT_CONTENT, templates: str = DEFAULT_TEMPLATES
    ) -> Project:
        root = root.resolve()
        return cls(root, root / content, root / templates)

    @property
    def entries_dir(self) -> Path:
        return self.content_dir / "evidence"

    @property
    def licenses_file(self) -> Path:
        return self.content_dir / "licenses.yml"

    @property
    def synonyms_file(self) -> Path:
        """Other names readers search for; optional."""
        return self.content_dir / "synonyms.yml"

    @property
    def cache_dir(self) -> Path:
        """Where the project's cache lives (kept out of commits by `prepare_cache`)."""
        return self.root / ".cache" / "evidence"

    @property
    def pages_dir(self) -> Path:
        """Hand-written Markdown pages; MkDocs' `docs_dir`."""
        return self.content_dir / "pages"

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project, so editors can jump to it, with
        characters that cannot be shown (or could start a new line of output) escaped."""
        try:
            text = path.relative_to(self.root).as_posix()
        except ValueError:
            text = str(path)
        return "".join(char if char.isprintable() else _escaped(char) for char in text)


def printable_name(path: Path) -> bool:
    """Whether a file name is text that messages and web addresses can carry as it is."""
    return all(part.isprintable() for part in path.parts)


def _escaped(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def prepare_cache(folder: Path) -> Path:
    """The cache folder, made if need be, with the .gitignore that keeps it out of commits."""
    folder.mkdir(parents=True, exist_ok=True)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")
    return folder
