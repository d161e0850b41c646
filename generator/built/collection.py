"""Python's collections of cyclic garbage, kept out of the way of a build and of a save.

A build keeps every entry's record and every page's Markdown alive to its end; Python's full
collections would walk them again and again (15 s of a build of 10,000 entries), so once the
generator is done they are collected once and left out (`gc.freeze`) until the build ends.
Under `mkdocs serve` what the first build leaves alive (records, the last site's store, the
theme) is kept for the whole session, and is frozen once that build is done; then a save that
builds a few pages runs with no collection at all, which runs, in the background, a moment
after it: in the save, a full collection cost a tenth of a second or more.
"""

from __future__ import annotations

import gc
import threading

MANY_PAGES = 500
"""A save that reads more entries or builds more pages than this (a changed template, say) is
collected as it goes, as its garbage would otherwise pile up until it ends."""
_AFTER = 1.0  # seconds after a save, when its page has been served
_PAGES_FROZEN = 1000


class Collections:
    """One per plugin object, for every build of its process."""

    def __init__(self) -> None:
        self.building = False
        self.frozen = False
        self.serving = False
        self.paused = False
        self.read = 0

    def begins(self) -> None:
        """A build or a save begins."""
        self.building = True
        self.read = 0
        if self.serving and gc.isenabled():
            gc.disable()
            self.paused = True

    def made(self, *, collect: bool = True) -> None:
        """The generator is done; MkDocs builds the pages next. When it made nothing (the
        pages of the last build were taken whole) there is little garbage to collect, and a
        collection took half a second at 10,000 entries."""
        if not self.serving:
            if collect:
                gc.collect()
            gc.freeze()
            self.frozen = True

    def page_read(self) -> None:
        """MkDocs read one more page, which it keeps with the others to the build's end: every
        thousand, the garbage of those read since is collected (a walk of them alone, what was
        there before being frozen) and what lives is frozen too, so that no collection walks
        every page read so far again and again (4 s of a build of 10,000 entries from
        nothing). Converting a page leaves cyclic garbage (its Markdown converter), which the
        collection keeps from being frozen until the build ends."""
        if self.frozen:
            self.read += 1
            if self.read % _PAGES_FROZEN == 0:
                gc.collect()
                gc.freeze()

    def served(self) -> None:
        """`mkdocs serve`'s first build is done and kept for the session."""
        gc.collect()
        gc.freeze()
        self.serving = True

    def save_builds(self, count: int) -> None:
        """The save reads `count` entries, or builds `count` pages."""
        if self.paused and count > MANY_PAGES:
            self._resume()

    def ended(self) -> None:
        """A build or a save ended, done or not."""
        if not self.building:
            return
        self.building = False
        if self.frozen:
            gc.unfreeze()
            self.frozen = False
        if self.paused:
            self._resume()
        if self.serving:
            later = threading.Timer(_AFTER, gc.collect)
            later.daemon = True
            later.start()

    def _resume(self) -> None:
        gc.enable()
        self.paused = False
