"""MkDocs glue: load and render the content, and hand MkDocs the pages in memory."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator import pages
from generator.load import load
from generator.problem import ContentError
from generator.project import DEFAULT_CONTENT, DEFAULT_TEMPLATES, Project
from generator.render import render_site


class EvidenceConfig(base.Config):
    enabled = c.Type(bool, default=True)
    content_dir = c.Type(str, default=DEFAULT_CONTENT)
    templates_dir = c.Type(str, default=DEFAULT_TEMPLATES)


class EvidencePlugin(BasePlugin[EvidenceConfig]):
    project: Project

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
            rendered = render_site(load(self.project), self.project.templates_dir)
        except ContentError as error:
            raise PluginError(error.report()) from None
        for file in files.documentation_pages():
            if pages.is_reserved(file.src_uri, rendered):
                shown = self.project.shown(Path(file.abs_src_path or file.src_uri))
                raise PluginError(
                    f"{shown}: this hand-written page is where the generator puts "
                    f"{file.src_uri}; move or rename it"
                )
        for path, markdown in rendered.items():
            files.append(File.generated(config, path, content=markdown))
        return files
