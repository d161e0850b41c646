"""MkDocs glue: load and render the content, and hand MkDocs the pages in memory."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator import audit, checks, handwritten
from generator.load import Cache
from generator.problem import ContentError
from generator.project import DEFAULT_CONTENT, DEFAULT_TEMPLATES, Project
from generator.render import render_site
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


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    project: Project
    audit: audit.Site

    def __init__(self) -> None:
        self.serving = False
        self.cache = Cache()
        self.last_good: dict[str, str] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having this hook keeps the plugin alive between the rebuilds of `mkdocs serve`, and
        # with it the cache of entries and the last good pages.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.project = Project.at(root, self.config.content_dir, self.config.templates_dir)
        # `mkdocs serve` rebuilds when entries, the license registry or a template change.
        for folder in (self.project.content_dir, self.project.templates_dir):
            if str(folder) not in config.watch:
                config.watch.append(str(folder))
        return config

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
            checked = checks.run(self.project, settings, self.cache)
            rendered = render_site(checked, self.project.templates_dir)
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
            self._report(checked, read_before, reused_before)
        for path, markdown in rendered.items():
            files.append(File.generated(config, path, content=markdown))
        return files

    def _report(self, checked: checks.Checked, read_before: int, reused_before: int) -> None:
        if self.serving:
            read, reused = self.cache.read - read_before, self.cache.reused - reused_before
            log.info(f"Read {read} changed entry file(s); {reused} unchanged.")
        for warning in checked.warnings:
            log.warning(str(warning))
        for waived in checked.rules.waived:
            log.info(f"waived: {waived.problem} (reason: {waived.reason})")

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.audit = audit.Site(urlsplit(config.site_url or "/").path or "/")

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        self.audit.add(page.file.dest_uri, output)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Fail the build if any page could run code or navigate away by itself."""
        site_dir = Path(config.site_dir)
        files = {path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*")}
        for name in files:  # the theme's 404 page, hand-written HTML files
            if name.endswith(".html") and name not in self.audit.pages:
                text = (site_dir / name).read_text(encoding="utf-8", errors="replace")
                self.audit.add(name, text)
        findings = self.audit.findings(files)
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
