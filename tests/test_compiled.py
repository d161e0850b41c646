"""The theme's templates, compiled once a process (`generator/built/compiled.py`): code is
taken only for the same source compiled under the same options."""

from __future__ import annotations

import jinja2

from generator.built.compiled import Compiled


def _render(compiled: Compiled, source: str, *, autoescape: bool = False) -> str:
    """As MkDocs does at every build: a new environment, then the theme's template."""
    env = jinja2.Environment(loader=jinja2.DictLoader({"main.html": source}), autoescape=autoescape)
    compiled.attach(env)
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


def test_an_environment_escaping_by_template_name_compiles_its_own() -> None:
    compiled = Compiled()
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"main.html": "{{ text }}"}),
        autoescape=jinja2.select_autoescape(),
    )
    compiled.attach(env)
    assert env.bytecode_cache is None
    assert env.get_template("main.html").render(text="<b>") == "&lt;b&gt;"
