"""Rewriting results from the first release's shape (one endpoint per cohort, a median on each
arm, one effect and a cohort-level P value) into today's: arms listed once, outcomes, and
comparisons.

Only the `results` block of the file is rewritten; every other line, comment and byte stays as
it was. Every value is carried over as written (`8.40` stays `8.40`), and the rewritten file
is read back and must hold the same data in the new places before it replaces the old one.
Anything the old shape leaves unsaid (a P value with no effect to say which arms it compares,
medians in different units) is refused with what to do by hand, never guessed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from generator.checks.arms import first_shape
from generator.content import document
from generator.content.document import Document
from generator.content.problem import ContentError, Position
from generator.review import rewrite


class MigrationError(Exception):
    """The file cannot be migrated automatically; it is unchanged."""


def migrate(path: Path, shown: str) -> str:
    """Rewrite `path`'s results in today's shape; say what was done."""
    entry, problems = document.read(path, shown)
    if problems:
        raise ContentError(problems)
    data = entry.data if isinstance(entry.data, dict) else {}
    studies = data.get("results")
    if not isinstance(studies, list) or not any(_old_cohorts(study) for study in studies):
        return f"{shown}: already in the current shape; nothing to do"
    try:
        new = [_study(study, f"results[{s}]") for s, study in enumerate(studies)]
    except MigrationError as error:
        raise MigrationError(f"{shown}: {error}; the file is unchanged") from None
    start, end = _block(entry)
    block = _dump({"results": new})
    if "\r\n" in entry.text[start:end]:
        block = block.replace("\n", "\r\n")  # keep the file's own line breaks
    edits = [(start, end, block)]
    expected = {**data, "results": new}
    moved = _waivers(entry, studies)
    if moved:
        waivers = [dict(waiver) for waiver in data["waivers"]]
        for index, field in moved.items():
            location = ("waivers", index, "field")
            edits.append((entry.offset_of(entry.values[location]),
                          entry.offset_of(entry.ends[location]), field))  # fmt: skip
            waivers[index]["field"] = field
        expected["waivers"] = waivers
    text = entry.text
    for begin, finish, replacement in sorted(edits, reverse=True):  # from the end: offsets hold
        text = text[:begin] + replacement + text[finish:]

    def verify(edited: Path) -> None:
        result, found = document.read(edited, shown)
        if found or result.data != expected:
            raise MigrationError(
                f"{shown}: the rewritten results did not read back as the same values; "
                "the file is unchanged"
            )

    rewrite.replace(path, text, verify)
    cohorts = sum(len(_old_cohorts(study)) for study in studies)
    also = f", and the field of {len(moved)} waiver(s)" if moved else ""
    return f"{shown}: rewrote {cohorts} cohort(s) with arms, outcomes and comparisons{also}"


def _waivers(entry: Document, studies: list[Any]) -> dict[int, str]:
    """The waivers whose field moved, with the field's new path: a waiver of
    `results[0].cohorts[0].effect` now names `results[0].cohorts[0].outcomes[0].comparisons[0]`."""
    waivers = entry.data.get("waivers") if isinstance(entry.data, dict) else None
    moved: dict[int, str] = {}
    for index, waiver in enumerate(waivers if isinstance(waivers, list) else []):
        field = waiver.get("field") if isinstance(waiver, dict) else None
        if not isinstance(field, str) or ("waivers", index, "field") not in entry.ends:
            continue
        new = _moved(field, studies)
        if new != field:
            moved[index] = new
    return moved


_OLD_FIELD = re.compile(
    r"(?P<cohort>results\[(?P<s>\d+)\]\.cohorts\[(?P<c>\d+)\])"
    r"(?:\.(?P<own>effect|p_value|endpoint)|\.arms\[(?P<a>\d+)\]\.(?P<arm>median|unit))"
    r"(?P<rest>[.\[].*)?"
)


def _moved(field: str, studies: list[Any]) -> str:
    match = _OLD_FIELD.fullmatch(field)
    if match is None:
        return field
    try:
        cohort = studies[int(match["s"])]["cohorts"][int(match["c"])]
    except (IndexError, KeyError, TypeError):
        return field
    if not first_shape(cohort):
        return field
    outcome = f"{match['cohort']}.outcomes[0]"
    rest = match["rest"] or ""
    if match["own"] == "effect":
        return f"{outcome}.comparisons[0]{rest}"
    if match["own"] == "p_value":
        return f"{outcome}.comparisons[0].p_value{rest}"
    if match["own"] == "endpoint":
        return f"{outcome}.endpoint{rest}"
    if match["arm"] == "unit":
        return f"{outcome}.unit"
    arms = cohort.get("arms", [])
    given = [i for i, arm in enumerate(arms) if isinstance(arm, dict) and "median" in arm]
    arm = int(match["a"])
    return f"{outcome}.arms[{given.index(arm)}].median" if arm in given else field


def _old_cohorts(study: Any) -> list[Any]:
    cohorts = study.get("cohorts") if isinstance(study, dict) else None
    return [
        cohort for cohort in (cohorts if isinstance(cohorts, list) else []) if first_shape(cohort)
    ]


def _study(study: Any, where: str) -> Any:
    if not isinstance(study, dict) or not isinstance(study.get("cohorts"), list):
        return study
    cohorts = [
        _cohort(cohort, f"{where}.cohorts[{c}]") if cohort in _old_cohorts(study) else cohort
        for c, cohort in enumerate(study["cohorts"])
    ]
    return {**study, "cohorts": cohorts}


def _cohort(cohort: dict[str, Any], where: str) -> dict[str, Any]:
    arms = cohort.get("arms")
    if not isinstance(arms, list) or not all(isinstance(arm, dict) for arm in arms):
        raise MigrationError(f"{where}.arms is not a list of arms; correct it first")
    units = {arm.get("unit") for arm in arms if "median" in arm}
    if len(units) > 1:
        raise MigrationError(
            f"{where}: the arms give medians in different units "
            f"({', '.join(sorted(str(unit or 'no unit') for unit in units))}); give each its "
            "own outcome by hand"
        )
    known = {"population", "patients", "endpoint", "arms", "effect", "p_value"}
    unknown = sorted(set(cohort) - known)
    if unknown:
        raise MigrationError(f"{where}: unknown field {unknown[0]}; correct it first")
    outcome: dict[str, Any] = {"endpoint": cohort.get("endpoint"), "kind": "time to event"}
    if units and None not in units:
        outcome["unit"] = units.pop()
    outcome["arms"] = [
        {"arm": arm.get("name"), "median": arm["median"]} for arm in arms if "median" in arm
    ]
    effect = cohort.get("effect")
    if isinstance(effect, dict):
        comparison = {key: effect[key] for key in ("experimental", "control") if key in effect}
        comparison |= {key: value for key, value in effect.items() if key not in comparison}
        if "p_value" in cohort:
            comparison["p_value"] = cohort["p_value"]
        outcome["comparisons"] = [comparison]
    elif "p_value" in cohort:
        raise MigrationError(
            f"{where}: the P value has no effect to say which arms it compares; move it into "
            "a comparison by hand"
        )
    new: dict[str, Any] = {key: cohort[key] for key in ("population", "patients") if key in cohort}
    new["arms"] = [
        {key: value for key, value in arm.items() if key not in ("median", "unit")} for arm in arms
    ]
    new["outcomes"] = [{key: value for key, value in outcome.items() if value is not None}]
    return new


def _block(entry: Document) -> tuple[int, int]:
    """Where the `results` block is written: from its key's line to the last line before the
    next top-level key that is not blank or a comment. Comments inside it would be lost, so
    the file is refused."""
    key = entry.keys[("results",)]
    if key.column != 1:
        raise MigrationError(f"{entry.path}: results is not written at the top level")
    after = sorted(p.line for loc, p in entry.keys.items() if len(loc) == 1 and p > key)
    lines = entry.text.splitlines(keepends=True)
    last = (after[0] if after else len(lines) + 1) - 1  # the line before the next key
    while last > key.line and (not lines[last - 1].strip() or lines[last - 1].lstrip()[0] == "#"):
        last -= 1
    for number in range(key.line, last + 1):
        if "#" in lines[number - 1] and _has_comment(entry, number):
            raise MigrationError(
                f"{entry.path}:{number}: the results block has a comment, which the rewrite "
                "would lose; move it above `results:` and run again"
            )
    start = entry.offset_of(Position(key.line, 1))
    end = entry.offset_of(Position(last, 1)) + len(lines[last - 1])
    return start, end


def _has_comment(entry: Document, line: int) -> bool:
    """Whether a # on this line starts a comment rather than sitting inside a value."""
    text = entry.text.splitlines()[line - 1]
    for column, character in enumerate(text, start=1):
        if character == "#" and (column == 1 or text[column - 2] in " \t"):
            where = entry.location_at(Position(line, column))
            if where is None or not _inside(entry, where, Position(line, column)):
                return True
    return False


def _inside(entry: Document, location: tuple[Any, ...], position: Position) -> bool:
    return entry.values[location] <= position < entry.ends[location]


class _Dumper(yaml.SafeDumper):
    """Block YAML with lists indented under their keys, as the entries are written. The
    generator reads every value as the text written, so no value needs quotes to stay text,
    except the spellings of null, which it reads as no value."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's own class attribute

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "'" if value in _NULLS else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96, indent=2)
