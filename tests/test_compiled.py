"""The theme's templates, compiled once a process (`generator/built/compiled.py`): code is
taken only for the same source, compiled in an environment set up the same way."""

from __future__ import annotations

from collections.abc import Callable

import jinja2

from generator.built.compiled import Compiled


def _environment(compiled: Compiled, source: str, **options: object) -> jinja2.Environment:
    """As MkDocs does at every build: a new environment, given the cache (the plugin's
    on_env); other plugins may change it after that."""
    loader = jinja2.DictLoader({"main.html": source})
    env = jinja2.Environment(loader=loader, **options)  # type: ignore[arg-type]
    compiled.attach(env)
    return env


def _render(compiled: Compiled, source: str, **options: object) -> str:
    env = _environment(compiled, source, **options)
    return env.get_template("main.html").render(text="<b>")


def test_a_template_is_compiled_once_and_again_when_its_source_changes() -> None:
    compiled = Compiled()
    assert _render(compiled, "One {{ text }}") == "One <b>"
    assert len(compiled.kept) == 1
    kept = next(iter(compiled.kept.values()))
    assert _render(compiled, "One {{ text }}") == "One <b>"
    assert next(iter(compiled.kept.values())) is kept  # taken, not compiled again
    assert _render(compiled, "Two {{ text }}") == "Two <b>"


def test_code_compiled_under_other_options_is_not_taken() -> None:
    """Escaping is decided as a template is compiled: the same source, escaped or not."""
    compiled = Compiled()
    assert _render(compiled, "{{ text }}") == "<b>"
    assert _render(compiled, "{{ text }}", autoescape=True) == "&lt;b&gt;"
    assert _render(compiled, "{{ text }}") == "<b>"
    assert len(compiled.kept) == 2


def test_an_environment_changed_after_the_cache_was_given_is_judged_as_it_is() -> None:
    """A plugin after this one may change the environment in its own on_env."""
    compiled = Compiled()
    assert _render(compiled, "{{ text }}") == "<b>"
    env = _environment(compiled, "{{ text }}")
    env.autoescape = True
    assert env.get_template("main.html").render(text="<b>") == "&lt;b&gt;"


def test_code_folding_another_filter_is_not_taken() -> None:
    """A filter given constants runs as the template is compiled: its result is in the code."""
    compiled = Compiled()

    def shouting(convert: Callable[[str], str]) -> str:
        env = _environment(compiled, '{{ "Quiet" | shout }}')
        env.filters["shout"] = convert
        return env.get_template("main.html").render()

    assert shouting(str.upper) == "QUIET"
    assert shouting(str.lower) == "quiet"
    assert shouting(str.upper) == "QUIET"
    assert len(compiled.kept) == 2


def test_an_environment_escaping_by_template_name_keeps_nothing() -> None:
    compiled = Compiled()
    assert _render(compiled, "{{ text }}", autoescape=jinja2.select_autoescape()) == "&lt;b&gt;"
    assert compiled.kept == {}
