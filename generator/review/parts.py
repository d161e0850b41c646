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
                named = _key_name(at, key, old[key], new[key], holder=new, names=names)
                yield from _walk(old[key], new[key], (*at, key), named)
                continue
            value = new[key] if key in new else old[key]
            if _text(value) == "":
                continue  # an empty field put in or taken out changes nothing a reader sees
            # A field put in or taken out whole, a list of items too: named by its key.
            named = (*names, _label(key, new if key in new else old)) if at else (section((key,)),)
            yield _part((*at, key), named, old.get(key), new.get(key))
    elif isinstance(old, list) and isinstance(new, list) and not _one_value(old, new, at):
        yield from _items(old, new, at, names)
    elif old != new:
        yield _part(at, names, old, new)


def _key_name(
    at: Location, key: str, old: Any, new: Any, *, holder: dict[str, Any], names: tuple[str, ...]
) -> tuple[str, ...]:
    """The names of a field: its section at the top; a list's items name themselves."""
    if not at:
        return (section((key,)),)
    items = all(isinstance(v, list) and not _one_value(v, v, (*at, key)) for v in (old, new))
    return names if items else (*names, _label(key, holder))


def _one_value(old: list[Any], new: list[Any], at: Location) -> bool:
    """A list of short values, not of paragraphs: read as one value."""
    scalars = all(not isinstance(item, dict | list) for item in old + new)
    return scalars and not (at and at[-1] in _PARAGRAPHS)


def _items(old: list[Any], new: list[Any], at: Location, names: tuple[str, ...]) -> Iterator[Part]:
    """Two lists, aligned: equal items are left alone; within a run of items that differ, each
    new item is compared with the old one it is most like, and the rest were put in or taken
    out (numbered as in the old file)."""
    keys = [json.dumps(item, sort_keys=True) for item in old]
    matcher = difflib.SequenceMatcher(None, keys, [json.dumps(i, sort_keys=True) for i in new])
    list_key = str(at[-1]) if at else ""
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for was, now in _pairs(old[a1:a2], new[b1:b2]):
            if now is None:
                assert was is not None
                named = _item_names(names, list_key, a1 + was, old[a1 + was])
                yield _part((*at, a1 + was), named, old[a1 + was], None)
                continue
            index, item = b1 + now, new[b1 + now]
            named = _item_names(names, list_key, index, item)
            if was is None:
                yield _part((*at, index), named, None, item)
            else:
                yield from _walk(old[a1 + was], item, (*at, index), named)


def _pairs(old: list[Any], new: list[Any]) -> list[tuple[int | None, int | None]]:
    """Which old item each new one replaced (None: put in), then the old ones taken out. The
    most alike are paired first: the same trial before a copy of it under a new name."""
    if len(old) == len(new) == 1:
        return [(0, 0)]
    alike = sorted(
        (
            (_likeness(old[was], new[now]), was, now)
            for was in range(len(old))
            for now in range(len(new))
        ),
        key=lambda candidate: (-candidate[0], candidate[1], candidate[2]),
    )
    replaced: dict[int, int] = {}
    for likeness, was, now in alike:
        if likeness >= 0.5 and now not in replaced and was not in replaced.values():
            replaced[now] = was
    found: list[tuple[int | None, int | None]] = [
        (replaced.get(now), now) for now in range(len(new))
    ]
    return found + [(was, None) for was in range(len(old)) if was not in replaced.values()]


_IDENTITY = ("trial", "population", "endpoint", "time_point", "name", "arm", "drug",
             "experimental", "control", "title", "excerpt")  # fmt: skip
"""The fields that tell which trial, cohort, outcome, arm or reference an item is."""


def _likeness(old: Any, new: Any) -> float:
    """1 for the same trial, arm, outcome or reference; else how many words they share."""
    if isinstance(old, dict) and isinstance(new, dict):
        identity = [key for key in _IDENTITY if key in old or key in new]
        if identity and all(old.get(key) == new.get(key) for key in identity):
            return 1.0
    return difflib.SequenceMatcher(None, _text(old).split(), _text(new).split()).ratio()


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
    name = ", ".join(names) or "The entry"
    return Part(
        name, section(at) or "The entry", field_path(at) or "(the whole file)", before, after
    )


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
