"""The plugin's options in mkdocs.yml, typed: MkDocs checks them before any build."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from generator.built import watcher
from generator.content.project import DEFAULT_CONTENT, DEFAULT_TEMPLATES
from generator.settings import DEFAULT_REVIEW_MONTHS, DEFAULT_WARNING_DAYS, POLICIES

SEARCHES = ("pagefind", "material")


class Options(base.Config):
    """The plugin's options in mkdocs.yml. A command-line flag or an environment variable wins
    over an option (see `settings`)."""

    enabled = c.Type(bool, default=True)
    content_dir = c.Type(str, default=DEFAULT_CONTENT)
    templates_dir = c.Type(str, default=DEFAULT_TEMPLATES)
    as_of = c.Optional(c.Type(str))
    license_policy = c.Optional(c.Choice(POLICIES))
    expiry_warning_days = c.Type(int, default=DEFAULT_WARNING_DAYS)
    review_interval_months = c.Type(int, default=DEFAULT_REVIEW_MONTHS)
    # The pages last made and a key of all they were made from, kept in .cache/evidence/ beside
    # mkdocs.yml: a build in which nothing changed reuses them, and the builder takes the
    # pages MkDocs built that did not change. Off: every build makes them all (`mkdocs serve
    # --dirty` still keeps its own in memory, for the folder it serves).
    cache = c.Type(bool, default=True)
    # pagefind: the site's own search box, whose index the browser loads only as a query needs
    # it. material: Material's search plugin (list `- search` under plugins), which loads the
    # whole index with every page: for small sites only.
    search = c.Choice(SEARCHES, default="pagefind")
    # How `mkdocs serve` notices a save. native: the operating system tells it (at once, at no
    # cost while nothing changes). polling: MkDocs' own way, which lists every file twice a
    # second; for folders the system does not report on (shared into Docker from another
    # system, network drives).
    watch = c.Choice(watcher.WATCHES, default="native")
