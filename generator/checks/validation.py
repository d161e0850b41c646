"""The schema's errors as messages for authors, each placed where the value was written."""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.checks.fields import Context
from generator.checks.registry import RULES
from generator.content.document import Document, Location, field_path
from generator.content.problem import Problem

M = typing.TypeVar("M", bound=BaseModel)


def validate(
    model: type[M], document: Document, problems: list[Problem], context: Context | None = None
) -> M | None:
    try:
        return model.model_validate(document.data, context=context)
    except ValidationError as error:
        problems.extend(_schema_problems(model, document, error))
        return None


def _schema_problems(
    model: type[BaseModel], document: Document, error: ValidationError
) -> list[Problem]:
    found = []
    for detail in error.errors(include_url=False):
        location: Location = tuple(detail["loc"])
        kind = detail["type"]
        at_key = False
        if location and location[-1] == "[key]":
            location, at_key = location[:-1], True
        if kind == "missing":
            message = "required field is missing"
            # Point at the key that opens the mapping the field is missing from, if it has one.
            if location[:-1] in document.keys:
                found.append(
                    Problem(
                        document.path, document.keys[location[:-1]], field_path(location), message
                    )
                )
                continue
        elif kind == "extra_forbidden":
            message = _unknown_field(model, location)
            at_key = True
        elif detail.get("input", ...) is None:
            message = "is empty: give it a value, or leave the field out if it is optional"
        elif kind in RULES:  # a validator found a rule broken (see `registry.broken`)
            message = detail["msg"]
        elif kind == "value_error":
            message = str(detail["ctx"]["error"])
        elif kind in ("model_type", "model_attributes_type") and not location:
            message = "the file must hold a mapping of fields (key: value lines)"
        elif kind == "model_type":
            message = "expected a mapping of fields (key: value lines)"
        elif kind == "list_type":
            message = "expected a list (lines starting with '- ')"
        elif kind == "string_type":
            message = "expected text, not a list or mapping"
        else:
            message = detail["msg"]
        problem = document.problem(location, message, key=at_key)
        found.append(replace(problem, rule=kind) if kind in RULES else problem)
    return found


def _unknown_field(model: type[BaseModel], location: Location) -> str:
    allowed = _fields_at(model, location[:-1])
    name = str(location[-1])
    if not allowed:
        return "unknown field"
    close = difflib.get_close_matches(name, allowed, n=1)
    if close:
        return f"unknown field; did you mean '{close[0]}'?"
    return f"unknown field; allowed here: {', '.join(allowed)}"


def _fields_at(model: type[BaseModel], location: Location) -> list[str]:
    current: type[BaseModel] | None = model
    for part in location:
        if current is None:
            return []
        field = current.model_fields.get(part) if isinstance(part, str) else None
        if field is not None:
            current = _model_in(field.annotation)
        # Anything else is a list index or a mapping key: same model, next part.
    return list(current.model_fields) if current is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (list, dict, typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None
