"""The MkDocs plugin `evidence`: each event is one call to the publisher (`built.publisher`),
which hands MkDocs the pages the core made and audits the built site. `enabled: false` turns
all of it off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.built.options import Options
from generator.built.publisher import Publisher


class EvidencePlugin(BasePlugin[Options]):
    def __init__(self) -> None:
        # Kept for all the builds of one process: `mkdocs serve` reuses what the last one read.
        self.publisher = Publisher()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.publisher.start(command, dirty)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        return self.publisher.configure(config, self.config) if self.config.enabled else config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled:
            self.publisher.begin(config)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        return self.publisher.add_pages(files, config) if self.config.enabled else files

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        return self.publisher.theme(env) if self.config.enabled else env

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page | None:
        return self.publisher.edit_link(page, config) if self.config.enabled else page

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        return self.publisher.converted(html, page) if self.config.enabled else html

    @event_priority(-100)  # after every other plugin's files and sidebar
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> None:
        if self.config.enabled:
            self.publisher.reuse(nav, files, config)

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if self.config.enabled:
            self.publisher.building()
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        return self.publisher.audit_page(page, output) if self.config.enabled else output

    @event_priority(-50)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.config.enabled:
            self.publisher.finish(config)

    def on_build_error(self, *, error: Exception) -> None:
        self.publisher.abandon()

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer | None:
        return self.publisher.watching(server) if self.config.enabled else server

    @event_priority(-100)  # last: the builder's MkDocs ends here (`Publisher.stop`)
    def on_shutdown(self) -> None:
        self.publisher.stop()
