"""The real entries the site ships: each passes a strict check with no waiver, and any one number
changed to a wrong value, in its prose or its data, is caught."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.checks import numbers, suite
from generator.content import document
from generator.content.document import Location
from generator.content.project import Project as Paths
from generator.settings import AS_OF_VARIABLE, Settings
from tests.conftest import REPO, SHIPPED_AS_OF, Project, copy_project

SHIPPED = sorted((REPO / "content" / "evidence").glob("*.yaml"))
NUMERIC_FIELDS = frozenset(
    {"patients", "median", "mean", "sd", "percent", "events", "total", "ci_lower", "ci_upper",
     "ci_level", "estimate", "p_value", "dose", "schedule", "time_point"}
)  # fmt: skip
"""Fields of the results whose numbers are claims. Numbers in names and descriptions (the
population's 'grade 1 or 2', a trial's name) are words of the entry, not results."""


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return copy_project(tmp_path_factory.mktemp("shipped") / "project", everything=True)


def test_every_shipped_entry_passes_a_strict_check_without_a_waiver(shipped: Project) -> None:
    result = shipped.generator(
        "check",
        "--strict",
        "--format",
        "json",
        environment={AS_OF_VARIABLE: SHIPPED_AS_OF.isoformat()},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["findings"] == []
    assert report["waived"] == []
    texts = [path.read_text(encoding="utf-8") for path in SHIPPED]
    assert not any("waivers:" in text for text in texts)
    assert len(SHIPPED) >= 5  # the seed and at least four more
    journals = {journal for text in texts for journal in re.findall(r"journal: (.+)", text)}
    licenses = {name for text in texts for name in re.findall(r"license: (\w+)", text)}
    kinds = {kind for text in texts for kind in re.findall(r"kind: (.+)", text)}
    assert {"N Engl J Med", "Lancet"} <= journals
    assert {"nejm", "lancet"} <= licenses
    assert {"time to event", "rate", "response"} <= kinds
    assert any(text.count("- trial: ") >= 2 for text in texts)  # a question across trials


def _wrong(token: str) -> str:
    """The same number with its last digit changed: 65.2 -> 65.3, 229 -> 220."""
    last = int(token[-1])
    return token[:-1] + str(last + 1 if last < 9 else 8)


def _claims(path: Path) -> list[tuple[str, int, str]]:
    """(field, offset in the file, number as written) of every number the entry claims."""
    raw = path.read_bytes()
    parsed, problems = document.parse(raw, path.name)
    assert not problems
    found = []
    for location, start in parsed.values.items():
        if location not in parsed.ends or not _claimed(location):  # scalars only
            continue
        begin, end = parsed.offset_of(start), parsed.offset_of(parsed.ends[location])
        text = parsed.text[begin:end]
        tokens = (
            numbers.claims(text, [])
            if location[0] in ("answer", "summary")
            else numbers.numbers_in(text)
        )
        found += [(document.field_path(location), begin + t.start, t.text) for t in tokens]
    return found


def _claimed(location: Location) -> bool:
    if location[0] in ("answer", "summary"):
        return True
    return location[0] == "results" and location[-1] in NUMERIC_FIELDS


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_any_number_changed_to_a_wrong_value_is_caught(shipped: Project, path: Path) -> None:
    relative = f"content/evidence/{path.name}"
    original = shipped.read(relative)
    claims = _claims(path)
    assert len(claims) >= 10
    missed = []
    try:
        for field, offset, token in claims:
            assert original[offset : offset + len(token)] == token
            changed = original[:offset] + _wrong(token) + original[offset + len(token) :]
            shipped.write(relative, changed)
            outcome = suite.collect(Paths.at(shipped.root), Settings(SHIPPED_AS_OF))
            if not outcome.errors and not outcome.warnings:
                missed.append(f"{field}: {token} -> {_wrong(token)}")
    finally:
        shipped.write(relative, original)
    assert missed == []
