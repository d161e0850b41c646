"""MkDocs glue: load and render the content, and hand MkDocs the pages in memory."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator import handwritten
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
            raise PluginError(error.headed_report()) from None
        for path, markdown in rendered.items():
            files.append(File.generated(config, path, content=markdown))
        return files
