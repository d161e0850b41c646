"""The theme's templates, compiled once for all the builds of one process.

MkDocs makes a new Jinja environment for every build, which compiles the theme's templates
again: under `mkdocs serve`, about 0.4 s of every save. Jinja's bytecode cache keeps each
template's code with a checksum of its source, and compiles a template whose source changed.
Code is taken only by an environment set up as the one it was compiled in (its options, its
extensions, its very filters and tests), judged as the template is loaded, after every plugin
had its say.
"""

from __future__ import annotations

import jinja2
from jinja2.bccache import Bucket


class Compiled(jinja2.BytecodeCache):
    """Kept for all the builds of one process, as the plugin is."""

    def __init__(self) -> None:
        self.kept: dict[tuple[object, ...], bytes] = {}

    def attach(self, env: jinja2.Environment) -> None:
        """Let `env`, this build's, use the code compiled by the builds before it."""
        env.bytecode_cache = self

    def load_bytecode(self, bucket: Bucket) -> None:
        key = _key(bucket)
        code = self.kept.get(key) if key is not None else None
        if code is not None:
            bucket.bytecode_from_string(code)  # dropped by Jinja if its source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        key = _key(bucket)
        if key is not None:
            self.kept[key] = bucket.bytecode_to_string()


def _key(bucket: Bucket) -> tuple[object, ...] | None:
    """The template (its name and file), and everything besides its source that the code Jinja
    compiles from it depends on; None if that cannot be told."""
    env = bucket.environment
    if callable(env.autoescape):  # its answer, per template, shapes the code
        return None
    try:
        policies = tuple(sorted((name, repr(value)) for name, value in env.policies.items()))
        # The functions themselves: a filter's result may be folded into the code, and the
        # key holds them, so that another function never comes to have the same identity.
        filters, tests = frozenset(env.filters.items()), frozenset(env.tests.items())
    except TypeError:  # something unhashable, or unorderable
        return None
    return (
        bucket.key,
        type(env),
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
        env.finalize,
        env.is_async,
        env.code_generator_class,
        getattr(env, "newstyle_gettext", None),  # the i18n extension's
        policies,
        filters,
        tests,
    )
