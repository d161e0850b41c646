"""Auditing a built site: every document in it (see `page_audit`), then what only the whole site
shows: a script that is not on every page did not come from the theme, and a link must lead to a
page or file of the site. Pages are audited in a second process while MkDocs makes the next."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from generator import lifetime
from generator.built.page_audit import AuditFinding, PageAudit, document, is_document, page
from generator.built.shared import listing


class SiteAudit:
    """Audits the pages of one site, then checks that each page runs only the theme's scripts:
    those on every page. A script on some pages only did not come from the theme."""

    def __init__(self, base_path: str = "/", *, beside: bool = False) -> None:
        """`beside`: audit in a second process, while the caller goes on making pages; on a
        machine with two cores the audit then adds almost nothing to the time of a build. The
        process is started only once a batch of pages is waiting: a save under `mkdocs serve`
        that rebuilds a page or two is audited here, sooner than a process could start."""
        self.base_path = base_path
        self.pages: dict[str, PageAudit] = {}
        self._batch: list[_Document] = []
        self._queued: set[str] = set()
        self._pending: list[tuple[list[_Document], Future[list[PageAudit]]]] = []
        self._beside = beside and (os.cpu_count() or 1) > 1
        self._pool: ProcessPoolExecutor | None = None
        self.judged: Judged | None = None
        """After `findings`: what it judged."""

    def add(self, path: str, text: str, *, standalone: bool = False) -> None:
        """`standalone`: an SVG or XML file, shown on its own, not a page in the theme."""
        if not self._beside:
            self.pages[path] = page(text, path, self.base_path, standalone=standalone)
            return
        self._batch.append((path, text, standalone))
        self._queued.add(path)
        if len(self._batch) >= _BATCH:
            self._send()

    def _send(self, *, last: bool = False) -> None:
        """Hand the pages gathered so far to the second process, in one go: one page at a
        time, the threads feeding it wait for the busy build and it sits idle. The `last`
        pages, with no process started, are audited here."""
        batch, self._batch = self._batch, []
        if not batch:
            return
        if self._pool is None and self._beside and not last:
            self._pool = ProcessPoolExecutor(
                1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=lifetime.watch_parent,  # a killed build leaves no audit running
                initargs=(os.getpid(),),
            )
        if self._pool is not None:
            try:
                self._pending.append((batch, self._pool.submit(_pages, batch, self.base_path)))
                return
            except BrokenProcessPool:
                self._pool, self._beside = None, False
        self._audit_here(batch)

    def reuse(self, path: str, audit: PageAudit) -> None:
        """A page's audit from the last build, which wrote the page as it is now."""
        self.pages[path] = audit

    def add_file(self, path: str, data: bytes) -> None:
        """A file of the built site, audited if a browser would show it as a document."""
        found = document(path, data)
        if found is not None:
            self.add(path, found[0], standalone=found[1])

    def add_folder(self, folder: Path) -> set[str]:
        """Every document in the built site `folder` that is not audited yet (the theme's 404
        page, hand-written HTML and SVG files); returns the path of every file in it."""
        files = listing(folder)
        for name in sorted(files):
            if is_document(name) and name not in self and (folder / name).is_file():
                self.add_file(name, (folder / name).read_bytes())
        return files

    def _audit_here(self, batch: list[_Document]) -> None:
        found = _pages(batch, self.base_path)
        self.pages.update(zip((path for path, _, _ in batch), found, strict=True))

    def __contains__(self, path: str) -> bool:
        return path in self.pages or path in self._queued

    def close(self) -> None:
        """Wait for the second process, if any, and stop it. What it could not audit (it dies
        when a script runs MkDocs without an `if __name__ == "__main__":` guard) is audited
        here."""
        self._send(last=True)
        for batch, pending in self._pending:
            try:
                results = pending.result()
                self.pages.update(zip((path for path, _, _ in batch), results, strict=True))
            except BrokenProcessPool:
                self._audit_here(batch)
        self._pending.clear()
        self._queued.clear()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def findings(
        self, files: set[str] | None = None, last: Judged | None = None
    ) -> dict[str, list[AuditFinding]]:
        """Everything found, by page. With `files` (every file of the built site), links to
        files and pages that do not exist are found too; links to anchors always are.

        With `last` (`judged` after the last build's audit, under `mkdocs serve`), only pages
        whose judgement can differ are judged again: those audited anew, and those linking to
        a page audited anew, or to a file come or gone."""
        self.close()
        # The theme's scripts are those on every page the theme framed: the pages holding the
        # script most pages hold. A page without it (a hand-written one, with or without a
        # script) says nothing about the theme's; its own scripts are judged like any other.
        scripted = [a.fingerprints for a in self.pages.values()]
        common = Counter(f for found in scripted for f in found).most_common(1)
        framed = [found for found in scripted if common and common[0][0] in found]
        shared = frozenset.intersection(*framed) if framed else frozenset()
        judged = Judged(dict(self.pages), files, shared, {}, {})
        if last is not None and last.shared == shared and (files is None) == (last.files is None):
            judged.found, judged.linking = last.found, last.linking  # `last` is not used again
            pages = self.pages.items()
            again = {path for path, audit in pages if last.pages.get(path) is not audit}
            again |= last.pages.keys() - self.pages.keys()
            if files is not None and last.files is not None:
                again |= files ^ last.files
            for target in list(again):
                again |= judged.linking.get(target, set())
            for path in again:
                before = last.pages.get(path)
                for link in before.links if before is not None else ():
                    linkers = judged.linking.get(link.target)
                    if linkers is not None:
                        linkers.discard(path)
                        if not linkers:  # a target no page links to any more
                            del judged.linking[link.target]
                judged.found.pop(path, None)
                if path in self.pages:
                    self._judge(path, self.pages[path], judged)
        else:
            for path, audit in self.pages.items():
                self._judge(path, audit, judged)
        self.judged = judged
        return {path: judged.found[path] for path in sorted(judged.found)}

    def _judge(self, path: str, audit: PageAudit, judged: Judged) -> None:
        extra = [
            AuditFinding(script.line, script.column, "a script that is not part of the theme")
            for script in audit.scripts
            if script.fingerprint not in judged.shared
        ]
        extra += self._broken(audit, judged.files)
        if audit.findings or extra:
            ordered = sorted(audit.findings + extra, key=lambda f: (f.line, f.column, f.message))
            judged.found[path] = ordered
        for link in audit.links:
            judged.linking.setdefault(link.target, set()).add(path)

    def _broken(self, audit: PageAudit, files: set[str] | None) -> list[AuditFinding]:
        broken = []
        for link in audit.links:
            target = self.pages.get(link.target)
            if target is None and files is not None and link.target not in files:
                problem = "there is no such page or file in the site"
            elif target is not None and link.fragment and link.fragment not in target.ids:
                problem = f"{link.target} has no anchor #{link.fragment}"
            else:
                continue
            broken.append(
                AuditFinding(link.line, link.column, f"link to {link.written}: {problem}")
            )
        return broken


@dataclass
class Judged:
    """What one audit's `findings` judged, for the next audit of the same site folder."""

    pages: dict[str, PageAudit]
    files: set[str] | None
    shared: frozenset[str]
    """The theme's scripts."""
    found: dict[str, list[AuditFinding]]
    linking: dict[str, set[str]]
    """A path in the site -> the pages linking to it."""


_BATCH = 50

_Document = tuple[str, str, bool]
"""(path in the site, text, whether it stands alone: an SVG or XML file)"""


def _pages(batch: list[_Document], base_path: str) -> list[PageAudit]:
    return [page(text, path, base_path, standalone=alone) for path, text, alone in batch]


def site(folder: Path, base_path: str = "/") -> dict[str, list[AuditFinding]]:
    """Findings for every document of a built site, by path relative to it."""
    audit = SiteAudit(base_path)
    return audit.findings(audit.add_folder(folder))


def report(findings: dict[str, list[AuditFinding]], folder: Path | None = None) -> list[str]:
    """One line per finding, `path:line:column: message`: the path within the site, or with
    `folder`, the path of the file."""
    return [
        f"{folder / name if folder else name}:{finding.line}:{finding.column}: {finding.message}"
        for name, page_findings in findings.items()
        for finding in page_findings
    ]
