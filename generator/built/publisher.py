"""What the MkDocs plugin does, event by event: it hands MkDocs the pages the core made, in
memory, and audits what MkDocs built from them. It lives for all the builds of one process, so
that `mkdocs serve` keeps the cache of entries and the last good pages between saves."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator import lifetime
from generator.built import (
    audit,
    builder,
    collection,
    console,
    destination,
    handwritten,
    pagefind,
    preview,
    search,
    watcher,
)
from generator.built.compiled import Compiled
from generator.built.increment import Increment
from generator.built.options import Options
from generator.built.preview import Preview, PreviewError
from generator.content.problem import ContentError, Problem
from generator.content.project import Project
from generator.pages import plan, publication, workers
from generator.pages.record import Cache, code_fingerprint
from generator.progress import Progress
from generator.review import changes
from generator.settings import Settings, SettingsError

log = logging.getLogger("mkdocs.plugins.evidence")  # under "mkdocs", so --strict counts it
REJECTED = "evidence_rejected"
"""The theme's variable (`config.extra`) holding why `mkdocs serve` shows an older version."""


class Publisher:
    """One per plugin object: MkDocs keeps that for every build in one process, of any project."""

    def __init__(self) -> None:
        self.serving = False
        self.collections = collection.Collections()  # Python's, out of the way of builds
        self.judged: audit.Judged | None = None
        self.cache = Cache()
        self.last_good: dict[str, str] | None = None
        self.sources: dict[str, str] = {}  # generated page -> the entry file it is made from
        self.preview: Preview | None = None
        self.audit: audit.SiteAudit | None = None
        self.project = Project.at(Path.cwd())
        self.settings: Settings | None = None
        self.search = "pagefind"
        self.watch = "native"
        self.reindexer = pagefind.Reindexer(self.project.cache_dir / "pagefind-serve")
        self.site_dir: Path | None = None
        self.pages_planned = 0
        self.pages = 0  # built in this build
        self.warnings: tuple[Problem, ...] = ()
        self.progress: Progress | None = None  # of the pages MkDocs builds, on a terminal
        self.rejected: tuple[Problem, ...] = ()  # why `mkdocs serve` shows an older version
        self.closing = console.Closing(
            self._closing_line, quiet=os.environ.get(console.QUIET_VARIABLE) == "1"
        )
        self.dirty = False
        self.increment = Increment()  # only what changed is built (with MkDocs' --dirty)
        self.compiled = Compiled()

    def start(self, command: str, dirty: bool = False) -> None:
        workers.allow()  # MkDocs' own entry points guard their main module
        self.serving = command == "serve"
        self.dirty = dirty
        # First: MkDocs' own filter of that logger drops a line equal to an earlier one, and
        # under `mkdocs serve` two rebuilds can take the same time.
        logging.getLogger("mkdocs.commands.build").filters.insert(0, self.closing)
        self.increment.start()

    def stop(self) -> None:
        self._step(None)  # a build stopped by Ctrl-C left its bar open
        logging.getLogger("mkdocs.commands.build").removeFilter(self.closing)
        self.increment.stop()
        if self.closing.built and os.environ.get(builder.REPORT_VARIABLE):  # the builder's
            lifetime.end_done()  # MkDocs, which builds once: site and report are written

    def _closing_line(self, seconds: float) -> str | None:
        if self.site_dir is None:
            return None  # the plugin is off (`enabled: false`): MkDocs' own line stays
        if self.serving:
            # Timed like MkDocs' other lines under `mkdocs serve`, and so never a repeat.
            line = console.serving_line(
                self.pages, seconds, stale=bool(self.rejected), unchanged=len(self.increment.kept)
            )
            return time.strftime("[%H:%M:%S] ") + line
        return console.closing_line(self.pages, self.project.shown(self.site_dir), seconds)

    def configure(self, config: MkDocsConfig, options: Options) -> MkDocsConfig:
        """Settings, the preview's addresses and the folders to watch and to write, all checked
        before anything is built."""
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.project = Project.at(root, options.content_dir, options.templates_dir)
        kept = self.project.cache_dir / "pagefind-serve"
        if self.reindexer.keep != kept:
            self.reindexer = pagefind.Reindexer(kept)
        folder = self.project.cache_dir if options.cache else None
        if self.cache.folder != folder:
            self.cache = Cache(folder)
        # `mkdocs serve` rebuilds when entries, the license registry or a template change.
        for watched in (self.project.content_dir, self.project.templates_dir):
            if str(watched) not in config.watch:
                config.watch.append(str(watched))
        try:
            self.settings = Settings.resolve(
                config={
                    "as_of": options.as_of,
                    "policy": options.license_policy,
                    "warning_days": options.expiry_warning_days,
                    "review_months": options.review_interval_months,
                }
            )
            self.preview = Preview.from_environment()
            # The published address is checked as a preview's is: a space or a %-escape in it
            # would otherwise surface as puzzling broken links in the audit.
            preview.address(config.site_url or "", "site_url (EVIDENCE_SITE_URL)")
            if not self.serving:
                # MkDocs empties site_dir before it builds: never the sources, nor another's.
                destination.check(
                    Path(config.site_dir), self.project, what="site_dir", ours=destination.is_site
                )
        except (SettingsError, PreviewError, destination.DestinationError) as error:
            raise PluginError(str(error)) from None
        if self.preview is not None:
            self._configure_preview(config, self.preview)
        if self.serving:
            # No search engine reads a preview on the author's machine, and at 10,000 entries
            # the sitemap, which lists every page, took a tenth of a second of every save.
            config.theme.static_templates.discard("sitemap.xml")
        previous = os.environ.get(builder.PREVIOUS_VARIABLE)
        self.increment.configure(
            dirty=self.dirty,
            serving=self.serving,
            previous=Path(previous).resolve() if previous else None,
            cache_folder=folder,
            indexed=options.search == "pagefind",
        )
        self.search, self.watch = options.search, options.watch
        if options.search == "pagefind":
            material = config.plugins.get("material/search")
            if material is not None and material.config.get("enabled", True):
                raise PluginError(
                    "Material's search plugin is on as well as the site's own search (the "
                    "evidence plugin's `search: pagefind`): remove `- search` from the plugins "
                    "in mkdocs.yml, or set `search: material` to keep Material's"
                )
            config.extra["evidence_search"] = "pagefind"
            if self.serving:  # the search box says when the index is older than the pages
                config.extra["evidence_search_status"] = pagefind.STATUS
        return config

    def _configure_preview(self, config: MkDocsConfig, preview: Preview) -> None:
        """Addresses under the preview's path, a banner, no indexing and no sitemap: previews
        must not compete with the published site in search engines."""
        published = config.site_url or preview.published
        config.site_url = preview.url
        config.extra["evidence_preview"] = {"number": preview.number, "published": published}
        config.theme.static_templates.discard("sitemap.xml")
        if preview.base is not None and config.nav is not None:
            config.nav.append({"Changes in this preview": plan.CHANGES})

    def begin(self, config: MkDocsConfig) -> None:
        self.abandon(failed=False)  # a build that stopped half-way left its audit running
        self.collections.begins()
        self.reindexer.begin()
        self.pages = 0
        self.increment.begin()
        self.site_dir = Path(config.site_dir)
        self.audit = audit.SiteAudit(urlsplit(config.site_url or "/").path or "/", beside=True)

    def abandon(self, *, failed: bool = True) -> None:
        self.collections.ended()
        if failed:  # what it judged may not be what is in the site folder
            self.judged = None
        self._step(None)
        self.increment.abandon(failed=failed)
        if self.audit is not None:
            self.audit.close()

    def _step(self, phase: str | None) -> None:
        """One more page through `phase` of MkDocs' build: reading (Markdown to HTML), then
        writing (into the theme, audited); None: the build is over."""
        if self.progress is not None and self.progress.label != phase:
            self.progress.close()
            self.progress = None
        if phase is None:
            return
        if self.progress is None:
            self.progress = Progress(phase, self.pages_planned, "pages")
        self.progress.advance()

    def converted(self, html: str, page: Page) -> str:
        self._step("Reading pages")
        self.increment.read(page)
        self.collections.page_read()
        return html

    def add_pages(self, files: Files, config: MkDocsConfig) -> Files:
        """The core's pages, in memory, beside the hand-written ones. Under `mkdocs serve`, a
        save that breaks the content keeps the last good pages, and says why."""
        try:
            made = self._make()
            hand_written = {
                file.src_uri: Path(file.abs_src_path)
                for file in files
                if file.abs_src_path and Path(file.abs_src_path).is_relative_to(config.docs_dir)
            }
            rendered = made.published()
            found = handwritten.problems(
                self.project, hand_written, rendered, use_directory_urls=config.use_directory_urls
            )
            if found:
                raise ContentError(found)
        except ContentError as error:
            if not (self.serving and self.last_good is not None):
                raise PluginError(error.headed_report()) from None
            # A preview server that stopped at every typo would be no use to authors.
            log.error(
                f"{error.headed_report()}\n"
                "Showing the last good version of the content until this is fixed."
            )
            self.rejected = tuple(error.problems)
            rendered = self.last_good
        else:
            self.rejected = ()
            self.last_good = rendered
            self.increment.digests.know(made.digests, rendered)
            self.collections.made(collect=not made.taken)
        if self.rejected:  # every page says so too, until the content is fixed (main.html)
            config.extra[REJECTED] = console.banner(self.rejected)
        else:
            config.extra.pop(REJECTED, None)
            root = str(self.project.root)  # strings: 10,000 Path objects cost a second a save
            self.sources = {
                page: os.path.join(root, source) for page, source in made.sources.items()
            }
        for path, text in rendered.items():
            self.increment.add_file(files, File.generated(config, path, content=text), text)
        if not self.increment.on:  # else `reuse` counts them, which it must go through anyway
            self.pages_planned = len(files.documentation_pages())
        files = self.increment.files(files)
        if self.preview is not None or self.serving:
            # No longer rendered as a template (see _configure_preview and `configure`), the
            # theme's sitemap would otherwise be copied as it is.
            sitemap = files.get_file_from_path("sitemap.xml")
            if sitemap is not None and sitemap.generated_by is None:
                files.remove(sitemap)
        return files

    def _make(self) -> publication.Publication:
        assert self.settings is not None
        preview_changes = None
        if self.preview is not None and self.preview.base is not None:
            try:
                preview_changes = changes.compare(self.project, self.preview.base)
            except changes.ChangesError as error:
                raise PluginError(f"the page of changes cannot be made: {error}") from None
        self.warnings = ()
        read_before, reused_before = self.cache.read, self.cache.reused
        made = publication.make(
            self.project,
            self.settings,
            self.cache,
            drafts=self.serving,
            changes=preview_changes,
            remember=not self.serving,  # its pages change at every save
        )
        if made.errors:
            return made
        if self.serving:
            read, reused = self.cache.read - read_before, self.cache.reused - reused_before
            log.info(f"Read {read} changed entry file(s); {reused} unchanged.")
            self.collections.save_builds(read)
        self.warnings = made.warnings
        for warning in made.warnings:
            log.warning(str(warning))
        for waived in made.waived:
            log.info(f"waived: {waived.problem} (reason: {waived.reason})")
        return made

    def theme(self, env: jinja2.Environment) -> jinja2.Environment:
        """This build's theme, given the templates compiled by the builds before it."""
        self.compiled.attach(env)
        return env

    def edit_link(self, page: Page, config: MkDocsConfig) -> Page:
        """'Edit this page' on an entry opens its YAML file; generated pages with no single
        source file have no such link."""
        self.increment.reading()
        if self.last_good is None or page.file.src_uri not in self.last_good:
            return page  # a hand-written page: MkDocs' own edit link is right
        source = self.sources.get(page.file.src_uri)
        page.edit_url = _edit_url(config, source) if source is not None else None
        return page

    def watching(self, server: LiveReloadServer) -> LiveReloadServer:
        """How `mkdocs serve` notices a save (see `watcher`), once its first build is done."""
        self.collections.served()
        return watcher.native(server) if self.watch == "native" else server

    def reuse(self, nav: Navigation, files: Files, config: MkDocsConfig) -> None:
        """Which pages the last build's stand in for (see `increment`)."""
        salt = self.cache.salt or code_fingerprint()
        self.pages_planned = self.increment.reuse(nav, files, config, self.sources, salt)
        self.collections.save_builds(self.pages_planned)

    def building(self) -> None:
        self.increment.writing()

    def audit_page(self, page: Page, output: str) -> str:
        assert self.audit is not None
        self.audit.add(page.file.dest_uri, output)
        self.pages += 1
        self._step("Writing pages")
        self.increment.written_page(page, output)
        return output

    def finish(self, config: MkDocsConfig) -> None:
        """Mark the site as ours, slim its search index, and fail the build if any page could
        run code or navigate away by itself."""
        assert self.audit is not None
        self._step(None)
        site_dir = Path(config.site_dir)
        destination.mark_site(site_dir)  # found empty or ours (configure); MkDocs keeps it
        search.slim_file(site_dir)
        if self.search == "pagefind":
            try:
                if self.serving:
                    self.reindexer.ready(site_dir)  # remade once the build is done
                elif not self.increment.index_kept(site_dir):
                    pagefind.index(site_dir)
            except pagefind.PagefindError as error:
                raise PluginError(str(error)) from None
        for path, kept in self.increment.audits().items():
            self.audit.reuse(path, kept)
        # Under serve, what the last save's audit judged: only what could change is judged.
        files = self.audit.add_folder(site_dir)
        lines = audit.report(self.audit.findings(files, self.judged if self.serving else None))
        self.judged = self.audit.judged
        failed = bool(lines) and not self.serving
        self.increment.remember(self.audit.pages, site_dir, failed=failed)
        if report := os.environ.get(builder.REPORT_VARIABLE):
            self.increment.report(Path(report), files)
        self.collections.ended()  # (or `abandon` does, after an error)
        if self.serving and self.search == "pagefind":
            self.reindexer.remake()
        if self.warnings:  # each is above; how many of which rules, at a glance
            log.info(console.by_rule(self.warnings))
        if lines:
            count = f"{len(lines)} problem{'s' if len(lines) != 1 else ''}"
            report = "\n".join([f"{count} in the built pages:", *lines])
            if not self.serving:
                raise PluginError(report)
            log.error(report)


def _edit_url(config: MkDocsConfig, source: str) -> str | None:
    """The repository's edit address of a file: MkDocs' `edit_uri` points at the docs folder,
    and the file is found from there."""
    if not config.repo_url or not config.edit_uri:
        return None
    docs = urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri.rstrip("/") + "/")
    relative = Path(os.path.relpath(source, config.docs_dir)).as_posix()
    return urljoin(docs, relative)
