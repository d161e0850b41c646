"""The files the plugin makes in memory that are not pages (each entry's FHIR export, the search
vocabulary), under `mkdocs serve --dirty`: written again only when their content changed.

MkDocs calls a file made in memory always modified, so every save wrote every export again:
10,000 files, 170 MB, most of a second of each save. Serve keeps its folder between saves,
and this remembers what the last build left in it.
"""

from __future__ import annotations

import os


class Exports:
    """Kept for all the builds of one `mkdocs serve`."""

    def __init__(self) -> None:
        self.written: dict[str, str] = {}  # path in the site -> content, as the last build left it
        self.now: dict[str, str] = {}  # this build's

    def unchanged(self, dest: str, content: str, path: str) -> bool:
        """Whether the file at `path` (`dest` in the site) holds `content` already."""
        self.now[dest] = content
        last = self.written.get(dest)
        # Unchanged entries keep their export, the very string: `==` then compares no bytes.
        return last is not None and last == content and os.path.isfile(path)

    def done(self) -> None:
        """This build's files were written, or were there already."""
        self.written, self.now = self.now, {}

    def unknown(self) -> set[str]:
        """After a failed build, what the folder holds is not known: every file either build
        made, for the next build to write again (or remove, if gone from the site)."""
        paths = set(self.written) | set(self.now)
        self.written, self.now = {}, {}
        return paths
