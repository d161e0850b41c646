"""The parts of an entry that differ between two versions of its file, each named as a reader
names it ('Summary, paragraph 3'; 'CABINET, Pancreatic neuroendocrine tumors, Progression-free
survival, Cabozantinib vs Placebo, hazard ratio') with its text before and after.

It reads the files as written (`document.parse`), not checked models, so that a change that
breaks an entry can still be reviewed. Lists are aligned item by item: a paragraph added in the
middle is one part, not a change to every paragraph after it. Lists of short values (tags,
authors) are one part, read as 'a, b, c'.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from typing import Any

from generator.content.change import Part
from generator.content.document import Location, field_path
from generator.review import words

_PARAGRAPHS = frozenset({"answer", "summary", "text"})
"""Lists of paragraphs: each paragraph is a part of its own."""

_SECTIONS = {
    "id": "Id",
    "draft": "Draft",
    "question": "Question",
    "last_reviewed": "Last reviewed",
    "tags": "Tags",
    "answer": "Answer",
    "results": "Results",
    "quotes": "Quotes",
    "summary": "Summary",
    "references": "References",
    "external_sources": "External sources",
    "waivers": "Waivers",
}
_ITEMS = {
    "quotes": "Quote",
    "references": "Reference",
    "external_sources": "External source",
    "waivers": "Waiver",
    "regimen": "drug",
}
_FIELDS = {
    "patients": "patients randomised",
    "ci_lower": "lower CI limit",
    "ci_upper": "upper CI limit",
    "ci_level": "CI level",
    "p_value": "P value",
    "sd": "SD",
    "doi": "DOI",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "nct_id": "ClinicalTrials.gov number",
    "url": "address",
    "et_al": "et al.",
    "trial": "trial name",
    "name": "name",
}


def compare(old: Any, new: Any) -> list[Part]:
    """Every part that differs from `old` (an entry's data as written) to `new`, in the order
    of the new file (parts removed where they were)."""
    return list(_walk(old, new, (), ()))


def section(location: Location) -> str:
    """The top-level part a field is in, by its name in the entry format."""
    key = str(location[0]) if location else ""
    return _SECTIONS.get(key, key.replace("_", " ").capitalize())


# Each step down keeps the names so far: (field path, the names a reader gives its parts).
def _walk(old: Any, new: Any, at: Location, names: tuple[str, ...]) -> Iterator[Part]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*new, *(k for k in old if k not in new)]:
            if key in old and key in new:
                named = _key_name(at, key, new[key], new, names)
                yield from _walk(old[key], new[key], (*at, key), named)
                continue
            # A field put in or taken out whole, a list of items too: named by its key.
            holder = new if key in new else old
            named = (*names, _label(key, holder)) if at else (section((key,)),)
            yield _part((*at, key), named, old.get(key), new.get(key))
    elif isinstance(old, list) and isinstance(new, list) and not _one_value(old, new, at):
        yield from _items(old, new, at, names)
    elif old != new:
        yield _part(at, names, old, new)


def _key_name(
    at: Location, key: str, value: Any, holder: dict[str, Any], names: tuple[str, ...]
) -> tuple[str, ...]:
    """The names of a field: its section at the top; a list's items name themselves."""
    if not at:
        return (section((key,)),)
    if isinstance(value, list) and not _one_value(value, value, (*at, key)):
        return names
    return (*names, _label(key, holder))


def _one_value(old: list[Any], new: list[Any], at: Location) -> bool:
    """A list of short values, not of paragraphs: read as one value."""
    scalars = all(not isinstance(item, dict | list) for item in old + new)
    return scalars and not (at and at[-1] in _PARAGRAPHS)


def _items(old: list[Any], new: list[Any], at: Location, names: tuple[str, ...]) -> Iterator[Part]:
    """Two lists, aligned: equal items are left alone, replaced ones compared pairwise."""
    keys = [json.dumps(item, sort_keys=True) for item in old]
    matcher = difflib.SequenceMatcher(None, keys, [json.dumps(i, sort_keys=True) for i in new])
    list_key = str(at[-1]) if at else ""
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(a2 - a1, b2 - b1)
        for offset in range(paired):
            index, item = b1 + offset, new[b1 + offset]
            named = _item_names(names, list_key, index, item)
            yield from _walk(old[a1 + offset], item, (*at, index), named)
        for index in range(b1 + paired, b2):
            named = _item_names(names, list_key, index, new[index])
            yield _part((*at, index), named, None, new[index])
        for index in range(a1 + paired, a2):  # numbered as in the old file
            named = _item_names(names, list_key, index, old[index])
            yield _part((*at, index), named, old[index], None)


def _item_names(names: tuple[str, ...], list_key: str, index: int, item: Any) -> tuple[str, ...]:
    if len(names) == 1 and list_key in ("results", *_ITEMS):
        return (_item_name(list_key, index, item),)  # 'Reference 3', not 'References, ...'
    return (*names, _item_name(list_key, index, item))


def _part(at: Location, names: tuple[str, ...], old: Any, new: Any) -> Part:
    if old is None or new is None:
        before = None if old is None else words.whole(_text(old))
        after = None if new is None else words.whole(_text(new))
    else:
        before, after = words.compare(_text(old), _text(new))
    return Part(", ".join(names), section(at), field_path(at), before, after)


def _text(value: Any) -> str:
    """A value as one line of text: lists as 'a, b', an item of several fields as
    'field: value; field: value'."""
    if isinstance(value, dict):
        return "; ".join(f"{_label(key)}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    return "" if value is None else str(value)


def _item_name(list_key: str, index: int, item: Any) -> str:
    def given(key: str) -> str:
        value = item.get(key) if isinstance(item, dict) else None
        return value if isinstance(value, str) else ""

    if list_key in _PARAGRAPHS:
        return f"paragraph {index + 1}"
    if list_key == "results":
        return given("trial") or f"trial {index + 1}"
    if list_key == "cohorts":
        return given("population") or f"cohort {index + 1}"
    if list_key == "outcomes":
        endpoint = given("endpoint") or f"outcome {index + 1}"
        return f"{endpoint} at {given('time_point')}" if given("time_point") else endpoint
    if list_key == "arms":  # a cohort's arm has a name; an outcome's figure names its arm
        return f"arm {given('name')}" if given("name") else given("arm") or f"arm {index + 1}"
    if list_key == "comparisons":
        if given("experimental") and given("control"):
            return f"{given('experimental')} vs {given('control')}"
        return f"comparison {index + 1}"
    if list_key == "regimen":
        return given("drug") or f"drug {index + 1}"
    return f"{_ITEMS.get(list_key, 'item')} {index + 1}"


def _label(key: str | int, holder: dict[str, Any] | None = None) -> str:
    """A field's name in words; a comparison's estimate is named by its measure."""
    measure = (holder or {}).get("measure")
    if key == "estimate" and isinstance(measure, str):
        return measure
    return _FIELDS.get(str(key), str(key).replace("_", " "))
