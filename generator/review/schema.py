"""The JSON Schema files editors use to check entries as they are typed, derived from `model`."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from generator.checks.models import Entry, LicenseRegistry, SynonymRegistry

SCHEMA_DIR = "schema"
_MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "entry.schema.json": (Entry, "Evidence entry"),
    "licenses.schema.json": (LicenseRegistry, "License registry"),
    "synonyms.schema.json": (SynonymRegistry, "Synonyms registry"),
}


def generate() -> dict[str, str]:
    """File name -> JSON text of each schema, exactly as it is kept in the repository."""
    texts = {}
    for name, (model, title) in _MODELS.items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **model.model_json_schema(),
            "title": title,
        }
        texts[name] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return texts


def stale(folder: Path) -> list[str]:
    """Names of schema files in `folder` that are missing or differ from the models."""
    return [
        name
        for name, text in generate().items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]


def write(folder: Path) -> list[str]:
    """Write the schema files that changed; return their names."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = stale(folder)
    texts = generate()
    for name in changed:
        (folder / name).write_text(texts[name], encoding="utf-8")
    return changed
