"""The theme's templates, compiled once for all the builds of one process.

MkDocs makes a new Jinja environment for every build, which compiles the theme's templates
again: under `mkdocs serve`, about 0.4 s of every save. Jinja's bytecode cache keeps each
template's code with a checksum of its source, and compiles a template whose source changed.
Code compiled under other options (an extension added, other delimiters) is kept apart.
"""

from __future__ import annotations

import jinja2
from jinja2.bccache import Bucket


class Compiled(jinja2.BytecodeCache):
    """Kept for all the builds of one process, as the plugin is."""

    def __init__(self) -> None:
        self.kept: dict[tuple[object, ...], bytes] = {}
        self.options: tuple[object, ...] = ()

    def attach(self, env: jinja2.Environment) -> None:
        """Let `env`, this build's, use the code compiled by the builds before it."""
        if callable(env.autoescape):  # its answer, per template, shapes the code
            return
        self.options = _options(env)
        env.bytecode_cache = self

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.kept.get((*self.options, bucket.key))
        if code is not None:
            bucket.bytecode_from_string(code)  # dropped by Jinja if its source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.kept[(*self.options, bucket.key)] = bucket.bytecode_to_string()


def _options(env: jinja2.Environment) -> tuple[object, ...]:
    """What, besides a template's source, the code Jinja compiles from it depends on."""
    return (
        tuple(sorted(env.extensions)),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.autoescape,
        env.optimized,
        env.finalize is None,
        env.is_async,
        env.code_generator_class,
    )
