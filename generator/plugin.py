"""MkDocs glue: load and render the content, and hand MkDocs the pages in memory."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.built import audit, destination, handwritten, preview, search
from generator.built.preview import Preview, PreviewError
from generator.checks.load import Cache
from generator.content.problem import ContentError
from generator.content.project import DEFAULT_CONTENT, DEFAULT_TEMPLATES, Project
from generator.pages import plan, publication
from generator.review import changes
from generator.settings import (
    AS_OF_VARIABLE,
    DEFAULT_REVIEW_MONTHS,
    DEFAULT_WARNING_DAYS,
    POLICIES,
    POLICY_VARIABLE,
    Settings,
    SettingsError,
)

log = logging.getLogger("mkdocs.plugins.evidence")  # under "mkdocs", so --strict counts it


class EvidenceConfig(base.Config):
    enabled = c.Type(bool, default=True)
    content_dir = c.Type(str, default=DEFAULT_CONTENT)
    templates_dir = c.Type(str, default=DEFAULT_TEMPLATES)
    # Licensed quotes; EVIDENCE_AS_OF and EVIDENCE_LICENSE_POLICY override these when set.
    as_of = c.Optional(c.Type(str))
    license_policy = c.Choice(POLICIES, default="fail")
    expiry_warning_days = c.Type(int, default=DEFAULT_WARNING_DAYS)
    review_interval_months = c.Type(int, default=DEFAULT_REVIEW_MONTHS)
    # The pages last made and a key of all they were made from, kept in .cache/evidence/ beside
    # mkdocs.yml: a build in which nothing changed reuses them. Off: every build makes them.
    cache = c.Type(bool, default=True)


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    project: Project
    audit: audit.Site

    def __init__(self) -> None:
        self.serving = False
        self.cache = Cache()
        self.last_good: dict[str, str] | None = None
        self.sources: dict[str, Path] = {}  # generated page -> the entry file it is made from
        self.preview: Preview | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having this hook keeps the plugin alive between the rebuilds of `mkdocs serve`, and
        # with it the cache of entries and the last good pages.
        self.serving = command == "serve"

    def on_build_error(self, *, error: Exception) -> None:
        if hasattr(self, "audit"):
            self.audit.close()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.project = Project.at(root, self.config.content_dir, self.config.templates_dir)
        # MkDocs keeps this plugin object for all builds in one process, of any project.
        folder = publication.folder(self.project) if self.config.cache else None
        if self.cache.folder != folder:
            self.cache = Cache(folder)
        # `mkdocs serve` rebuilds when entries, the license registry or a template change.
        for folder in (self.project.content_dir, self.project.templates_dir):
            if str(folder) not in config.watch:
                config.watch.append(str(folder))
        try:
            self.preview = Preview.from_environment()
            # The published address is checked as a preview's is: a space or a %-escape in it
            # would otherwise surface as puzzling broken links in the audit.
            preview.address(config.site_url or "", "site_url (EVIDENCE_SITE_URL)")
        except PreviewError as error:
            raise PluginError(str(error)) from None
        if self.preview is not None:
            self._configure_preview(config, self.preview)
        if self.config.enabled and not self.serving:
            # MkDocs empties site_dir before it builds: never the sources, nor another's folder.
            try:
                destination.check(
                    Path(config.site_dir), self.project, what="site_dir", ours=destination.is_site
                )
            except destination.DestinationError as error:
                raise PluginError(str(error)) from None
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

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        try:
            settings = Settings.resolve(
                as_of=os.environ.get(AS_OF_VARIABLE) or self.config.as_of,
                policy=os.environ.get(POLICY_VARIABLE) or self.config.license_policy,
                warning_days=self.config.expiry_warning_days,
                review_months=self.config.review_interval_months,
            )
        except SettingsError as error:
            raise PluginError(str(error)) from None
        read_before, reused_before = self.cache.read, self.cache.reused
        try:
            preview_changes = None
            if self.preview is not None and self.preview.base is not None:
                try:
                    preview_changes = changes.compare(self.project, self.preview.base)
                except changes.ChangesError as error:
                    raise PluginError(f"the page of changes cannot be made: {error}") from None
            made = publication.make(
                self.project,
                settings,
                self.cache,
                drafts=self.serving,
                changes=preview_changes,
                remember=not self.serving,  # its pages change at every save
            )
            rendered = made.pages
            hand_written = {
                file.src_uri: Path(file.abs_src_path)
                for file in files
                if file.abs_src_path and Path(file.abs_src_path).is_relative_to(config.docs_dir)
            }
            found = handwritten.problems(
                self.project, hand_written, rendered, use_directory_urls=config.use_directory_urls
            )
            if found:
                raise ContentError(found)
        except ContentError as error:
            if not (self.serving and self.last_good is not None):
                raise PluginError(error.headed_report()) from None
            # A preview server that stopped at every typo would be no use to authors: say what
            # is wrong, and keep showing the last content that was right.
            log.error(
                f"{error.headed_report()}\n"
                "Showing the last good version of the content until this is fixed."
            )
            rendered = self.last_good
        else:
            self.last_good = rendered
            self.sources = {
                page: self.project.root / source for page, source in made.sources.items()
            }
            self._report(made, read_before, reused_before)
        for path, markdown in rendered.items():
            files.append(File.generated(config, path, content=markdown))
        if self.preview is not None:
            # No longer rendered as a template (see _configure_preview), the theme's sitemap
            # would otherwise be copied as it is.
            sitemap = files.get_file_from_path("sitemap.xml")
            if sitemap is not None and sitemap.generated_by is None:
                files.remove(sitemap)
        return files

    def _report(self, made: publication.Publication, read_before: int, reused_before: int) -> None:
        if self.serving:
            read, reused = self.cache.read - read_before, self.cache.reused - reused_before
            log.info(f"Read {read} changed entry file(s); {reused} unchanged.")
        for warning in made.warnings:
            log.warning(str(warning))
        for waived in made.waived:
            log.info(f"waived: {waived.problem} (reason: {waived.reason})")

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page | None:
        """'Edit this page' on an entry opens its YAML file; generated pages with no single
        source file have no such link."""
        if self.last_good is None or page.file.src_uri not in self.last_good:
            return page  # a hand-written page: MkDocs' own edit link is right
        source = self.sources.get(page.file.src_uri)
        page.edit_url = _edit_url(config, source) if source is not None else None
        return page

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if hasattr(self, "audit"):
            self.audit.close()  # a build that stopped half-way left it running
        self.audit = audit.Site(urlsplit(config.site_url or "/").path or "/", beside=True)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        self.audit.add(page.file.dest_uri, output)
        return output

    @event_priority(-50)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Fail the build if any page could run code or navigate away by itself."""
        site_dir = Path(config.site_dir)
        if self.config.enabled:  # found empty or ours (on_config); MkDocs keeps hidden files
            destination.mark_site(site_dir)
        search.slim_file(site_dir)
        findings = self.audit.findings(self.audit.add_folder(site_dir))
        if findings:
            lines = [  # paths within the site: the same wherever it is being built
                f"{name}:{finding.line}:{finding.column}: {finding.message}"
                for name, page_findings in findings.items()
                for finding in page_findings
            ]
            count = f"{len(lines)} problem{'s' if len(lines) != 1 else ''}"
            report = "\n".join([f"{count} in the built pages:", *lines])
            if not self.serving:
                raise PluginError(report)
            log.error(report)


def _edit_url(config: MkDocsConfig, source: Path) -> str | None:
    """The repository's edit address of a file: MkDocs' `edit_uri` points at the docs folder,
    and the file is found from there."""
    if not config.repo_url or not config.edit_uri:
        return None
    docs = urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri.rstrip("/") + "/")
    relative = Path(os.path.relpath(source, config.docs_dir)).as_posix()
    return urljoin(docs, relative)
