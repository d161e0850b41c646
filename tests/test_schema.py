"""The JSON Schema files editors use are derived from the models and kept current."""

from __future__ import annotations

import datetime
import json
from typing import Any

import jsonschema
import pytest
import yaml

from generator.review import schema
from tests.conftest import REPO, SEED_FILE, Project


def test_schema_files_are_current() -> None:
    stale = schema.stale(REPO / schema.SCHEMA_DIR)
    assert stale == [], f"run `python -m generator schema` to update {stale}"


def test_stale_schema_is_reported_and_rewritten(project: Project) -> None:
    project.write("schema/entry.schema.json", "{}\n")
    result = project.generator("schema", "--check")
    assert result.returncode == 1
    assert result.stdout == (
        "schema/entry.schema.json is out of date; run: python -m generator schema\n"
    )
    assert project.generator("schema").stdout == "wrote schema/entry.schema.json\n"
    assert project.generator("schema", "--check").returncode == 0


def as_editor_reads(text: str) -> Any:
    """YAML as yaml-language-server sees it: dates are plain strings (YAML 1.2)."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    return plain(yaml.safe_load(text))


@pytest.mark.parametrize(
    ("file", "schema_name"),
    [(SEED_FILE, "entry.schema.json"), ("content/licenses.yml", "licenses.schema.json")],
)
def test_content_validates_against_the_editor_schema(file: str, schema_name: str) -> None:
    text = (REPO / file).read_text(encoding="utf-8")
    first_line = text.splitlines()[0]
    assert first_line.startswith("# yaml-language-server: $schema=")
    assert first_line.endswith(f"schema/{schema_name}")
    document_schema = json.loads((REPO / "schema" / schema_name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(document_schema)
    jsonschema.validate(as_editor_reads(text), document_schema)


def test_editor_schema_catches_mistakes() -> None:
    document_schema = json.loads((REPO / "schema" / "entry.schema.json").read_text("utf-8"))
    entry = as_editor_reads((REPO / SEED_FILE).read_text(encoding="utf-8"))
    entry["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError, match="colour"):
        jsonschema.validate(entry, document_schema)
    entry = as_editor_reads((REPO / SEED_FILE).read_text(encoding="utf-8"))
    entry["references"][0]["doi"] = "not a doi"
    with pytest.raises(jsonschema.ValidationError, match="does not match"):
        jsonschema.validate(entry, document_schema)


def test_editor_schema_accepts_what_the_generator_reads_as_text() -> None:
    """Editors read `trial: 2024` as a number (YAML 1.2); the generator reads the text '2024'."""
    document_schema = json.loads((REPO / "schema" / "entry.schema.json").read_text("utf-8"))
    entry = as_editor_reads((REPO / SEED_FILE).read_text(encoding="utf-8"))
    entry["results"][0]["trial"] = 2024
    entry["references"][0]["title"] = 1984
    entry["references"][0]["issue"]["volume"] = 392
    jsonschema.validate(entry, document_schema)
