"""`python -m generator migrate FILE...`, run as an author runs it: results in the first
release's shape (one endpoint per cohort, a median on each arm, one effect and a cohort-level P
value) become arms, outcomes and comparisons; nothing else in the file changes, and what the
old shape leaves unsaid is refused, leaving the file as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.checks.load import load
from generator.content import document
from generator.content.project import Project as Paths
from tests.conftest import REPO, SEED_FILE, Project

FIRST_SHAPE = Path(__file__).parent / "data" / "seed-first-shape.yaml"
"""The seed entry as the first release wrote it (its last commit in that shape), byte for byte."""

REWROTE_SEED = f"{SEED_FILE}: rewrote 2 cohort(s) with arms, outcomes and comparisons\n"
NOTHING_TO_DO = f"{SEED_FILE}: already in the current shape; nothing to do\n"


@pytest.fixture
def first(project: Project) -> Project:
    """The project, with the seed entry in the first release's shape."""
    project.path(SEED_FILE).write_bytes(FIRST_SHAPE.read_bytes())
    return project


def data_of(path: Path) -> Any:
    read, problems = document.read(path, path.name)
    assert problems == []
    return read.data


def split_results(raw: bytes) -> tuple[bytes, bytes, bytes]:
    """The bytes before the `results:` block, the block (to its last line that is not blank),
    and the bytes after it, from the blank lines before the next top-level key on."""
    lines = raw.splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.startswith(b"results:"))
    end = next(
        (n for n in range(start + 1, len(lines)) if lines[n][:1] not in b" \t\r\n#"), len(lines)
    )
    while not lines[end - 1].strip():
        end -= 1
    return b"".join(lines[:start]), b"".join(lines[start:end]), b"".join(lines[end:])


def migrate(project: Project, *files: str) -> tuple[int, str, str]:
    result = project.generator("migrate", *files)
    return result.returncode, result.stdout, result.stderr


def test_the_first_shape_seed_becomes_the_shipped_results(first: Project) -> None:
    assert migrate(first, SEED_FILE) == (0, REWROTE_SEED, "")
    migrated = data_of(first.path(SEED_FILE))
    shipped = data_of(REPO / SEED_FILE)
    # The shipped seed also says where its numbers are printed, and how certain they are, which
    # the first shape could not.
    for study in shipped["results"]:
        for cohort in study["cohorts"]:
            for outcome in cohort["outcomes"]:
                assert outcome.pop("source") == "abstract"
                assert outcome.pop("certainty")["rating"] == "moderate"
    assert migrated["results"] == shipped["results"]
    assert migrated == shipped


def test_every_line_outside_the_results_block_is_kept_byte_for_byte(first: Project) -> None:
    old = FIRST_SHAPE.read_bytes()
    assert migrate(first, SEED_FILE)[0] == 0
    new = first.path(SEED_FILE).read_bytes()
    before, old_block, after = split_results(old)
    assert before.startswith(b"# yaml-language-server: $schema=")  # comments outside are kept
    assert after.startswith(b"\nquotes:\n")
    assert new.startswith(before)
    assert new.endswith(after)
    assert new != old
    assert split_results(new) == (before, new[len(before) : len(new) - len(after)], after)
    assert old_block.count(b"\n") == 42
    assert new.count(b"\n") - old.count(b"\n") == 8  # the new block is 50 lines


def test_the_migrated_seed_passes_a_strict_check(first: Project) -> None:
    assert migrate(first, SEED_FILE)[0] == 0
    result = first.generator("check", "--strict")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "1 entry checked: no problems\n",
        "",
    )


def test_the_command_the_check_names_makes_the_entry_pass(first: Project) -> None:
    """What an author sees after upgrading, and what happens when they run what it says."""
    result = first.generator("check")
    message = (
        "this cohort is in the one-endpoint shape of earlier versions: rewrite it with: "
        f"python -m generator migrate {SEED_FILE}"
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"{SEED_FILE}:21:9: results[0].cohorts[0]: {message}",
        f"{SEED_FILE}:40:9: results[0].cohorts[1]: {message}",
        "2 problems found.",
    ]
    command = message.split("with: ")[1].split()
    assert command[:3] == ["python", "-m", "generator"]
    assert first.generator(*command[3:]).returncode == 0
    assert first.generator("check", "--strict").returncode == 0


def test_a_second_run_has_nothing_to_do_and_changes_no_byte(first: Project) -> None:
    assert migrate(first, SEED_FILE) == (0, REWROTE_SEED, "")
    path = first.path(SEED_FILE)
    once, stat = path.read_bytes(), path.stat()
    assert migrate(first, SEED_FILE) == (0, NOTHING_TO_DO, "")
    assert path.read_bytes() == once
    assert path.stat().st_mtime_ns == stat.st_mtime_ns  # not even written again
    # The shipped seed is already in today's shape.
    path.write_bytes((REPO / SEED_FILE).read_bytes())
    assert migrate(first, SEED_FILE) == (0, NOTHING_TO_DO, "")
    assert path.read_bytes() == (REPO / SEED_FILE).read_bytes()


ENTRY = """\
id: e
question: Does it work?
last_reviewed: 2026-01-05
answer:
  - It does. [1]
results:
  - trial: TRIAL
    reference: 1
    cohorts:
      - population: Adults
        patients: 20
        endpoint: Overall survival
        arms:
          - {name: Drug, median: 8.40, unit: months, patients: 10}
          - {name: Placebo, median: not reached, unit: months, patients: 10}
        effect:
          measure: hazard ratio
          experimental: Drug
          control: Placebo
          estimate: 0.50
          ci_lower: 0.30
          ci_upper: 0.90
          ci_level: 95.0
        p_value: "0.040"
references:
  - title: A trial
    authors: [Doe J]
"""
"""An entry in the first shape whose numbers carry digits a number type would drop."""

MIGRATED = """\
results:
  - trial: TRIAL
    reference: 1
    cohorts:
      - population: Adults
        patients: 20
        arms:
          - name: Drug
            patients: 10
          - name: Placebo
            patients: 10
        outcomes:
          - endpoint: Overall survival
            kind: time to event
            unit: months
            arms:
              - arm: Drug
                median: 8.40
              - arm: Placebo
                median: not reached
            comparisons:
              - experimental: Drug
                control: Placebo
                measure: hazard ratio
                estimate: 0.50
                ci_lower: 0.30
                ci_upper: 0.90
                ci_level: 95.0
                p_value: 0.040
"""


def test_values_keep_their_spelling(project: Project) -> None:
    path = project.write("content/evidence/e.yaml", ENTRY)
    assert migrate(project, "content/evidence/e.yaml") == (
        0,
        "content/evidence/e.yaml: rewrote 1 cohort(s) with arms, outcomes and comparisons\n",
        "",
    )
    before, _, after = split_results(ENTRY.encode())
    assert path.read_text(encoding="utf-8") == before.decode() + MIGRATED + after.decode()
    entry = {s.entry.id: s.entry for s in load(Paths.at(project.root)).entries}["e"]
    (outcome,) = entry.results[0].cohorts[0].outcomes
    assert [str(result.median) for result in outcome.arms] == ["8.40", "not reached"]
    (comparison,) = outcome.comparisons
    shown = [comparison.estimate, comparison.ci_lower, comparison.ci_upper, comparison.ci_level]
    assert [str(value) for value in shown] == ["0.50", "0.30", "0.90", "95.0"]
    assert comparison.p_value == "0.040"


def test_crlf_files_stay_crlf(project: Project, tmp_path: Path) -> None:
    """Two files in one run: the seed with Windows line breaks, and the same file with Unix
    ones outside the project (shown by its full path)."""
    lf = FIRST_SHAPE.read_bytes()
    crlf = lf.replace(b"\n", b"\r\n")
    project.path(SEED_FILE).write_bytes(crlf)
    outside = tmp_path / "lf.yaml"
    outside.write_bytes(lf)
    assert migrate(project, SEED_FILE, str(outside)) == (
        0,
        REWROTE_SEED + f"{outside}: rewrote 2 cohort(s) with arms, outcomes and comparisons\n",
        "",
    )
    migrated = project.path(SEED_FILE).read_bytes()
    assert migrated.count(b"\n") == migrated.count(b"\r\n") > 100  # every line break is CRLF
    assert migrated == outside.read_bytes().replace(b"\n", b"\r\n")
    assert project.generator("check", "--strict").returncode == 0


def test_a_byte_order_mark_is_kept(first: Project) -> None:
    path = first.path(SEED_FILE)
    path.write_bytes(b"\xef\xbb\xbf" + FIRST_SHAPE.read_bytes())
    assert migrate(first, SEED_FILE) == (0, REWROTE_SEED, "")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf# yaml-language-server:")
    assert first.generator("check", "--strict").returncode == 0


def unchanged(project: Project, path: Path, raw: bytes) -> bool:
    """Whether the file holds `raw` and the rewrite left no copy of its own behind."""
    return path.read_bytes() == raw and list(path.parent.glob("*.tmp")) == []


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("          estimate: 0.38\n", "          estimate: 0.38  # Figure 2\n", 35),
        ("      - population: Pancreatic", "      # NET\n      - population: Pancreatic", 40),
        ("results:\n", "results:  # CABINET\n", 17),
    ],
    ids=["after a value", "on a line of its own", "after the key"],
)
def test_a_comment_in_the_results_block_is_refused(
    first: Project, old: str, new: str, line: int
) -> None:
    first.edit(SEED_FILE, old, new)
    path = first.path(SEED_FILE)
    raw = path.read_bytes()
    assert migrate(first, SEED_FILE) == (
        2,
        "",
        f"error: {SEED_FILE}:{line}: the results block has a comment, which the rewrite would "
        "lose; move it above `results:` and run again\n",
    )
    assert unchanged(first, path, raw)


def test_a_comment_moved_above_the_results_is_kept(first: Project) -> None:
    """What the refusal says to do, done: the comment stays where it was put."""
    first.edit(SEED_FILE, "\nresults:\n", "\n# Figures from the abstract.\nresults:\n")
    assert migrate(first, SEED_FILE) == (0, REWROTE_SEED, "")
    text = first.read(SEED_FILE)
    assert "\n# Figures from the abstract.\nresults:\n  - trial: CABINET" in text
    assert first.generator("check", "--strict").returncode == 0


def test_a_hash_inside_a_value_is_not_a_comment(first: Project) -> None:
    first.edit(
        SEED_FILE,
        "description: stratified hazard ratio\n",
        "description: 'stratified hazard ratio #2'\n",
    )
    assert migrate(first, SEED_FILE) == (0, REWROTE_SEED, "")
    migrated = data_of(first.path(SEED_FILE))
    comparison = migrated["results"][0]["cohorts"][1]["outcomes"][0]["comparisons"][0]
    assert comparison["description"] == "stratified hazard ratio #2"


EFFECT = """\
        effect:
          measure: hazard ratio
          experimental: Cabozantinib
          control: Placebo
          estimate: 0.38
          ci_lower: 0.25
          ci_upper: 0.59
          description: stratified hazard ratio for progression or death
"""


def test_a_p_value_with_no_effect_is_refused(first: Project) -> None:
    """Which two arms it compares is not written anywhere, so it is not guessed; the other
    cohort, which could be rewritten, is left as it was too."""
    first.edit(SEED_FILE, EFFECT, "")
    path = first.path(SEED_FILE)
    raw = path.read_bytes()
    assert migrate(first, SEED_FILE) == (
        2,
        "",
        f"error: {SEED_FILE}: results[0].cohorts[0]: the P value has no effect to say which arms "
        "it compares; move it into a comparison by hand; the file is unchanged\n",
    )
    assert unchanged(first, path, raw)


def test_a_cohort_with_no_p_value_and_no_effect_is_rewritten(first: Project) -> None:
    first.edit(SEED_FILE, EFFECT + "        p_value: <0.001\n", "")
    assert migrate(first, SEED_FILE) == (0, REWROTE_SEED, "")
    (outcome,) = data_of(first.path(SEED_FILE))["results"][0]["cohorts"][0]["outcomes"]
    assert outcome == {
        "endpoint": "Progression-free survival",
        "kind": "time to event",
        "unit": "months",
        "arms": [{"arm": "Cabozantinib", "median": "8.4"}, {"arm": "Placebo", "median": "3.9"}],
    }


def test_medians_in_different_units_are_refused(first: Project) -> None:
    first.edit(
        SEED_FILE, "median: 3.9\n            unit: months", "median: 17\n            unit: weeks"
    )
    path = first.path(SEED_FILE)
    raw = path.read_bytes()
    code, out, err = migrate(first, SEED_FILE)
    assert (code, out) == (2, "")
    assert err == (
        f"error: {SEED_FILE}: results[0].cohorts[0]: the arms give medians in different units "
        "(months, weeks); give each its own outcome by hand; the file is unchanged\n"
    )
    assert unchanged(first, path, raw)


def test_a_field_the_first_shape_did_not_have_is_refused(first: Project) -> None:
    first.edit(SEED_FILE, "        patients: 95\n", "        patients: 95\n        colour: red\n")
    path = first.path(SEED_FILE)
    raw = path.read_bytes()
    assert migrate(first, SEED_FILE) == (
        2,
        "",
        f"error: {SEED_FILE}: results[0].cohorts[1]: unknown field colour; correct it first; "
        "the file is unchanged\n",
    )
    assert unchanged(first, path, raw)


def test_a_file_that_is_not_valid_yaml_is_reported_like_the_check(first: Project) -> None:
    first.edit(SEED_FILE, "        patients: 95\n", "        patients: 95\n        patients: 96\n")
    path = first.path(SEED_FILE)
    raw = path.read_bytes()
    assert migrate(first, SEED_FILE) == (
        1,
        "",
        f"{SEED_FILE}:42:9: results[0].cohorts[1].patients: duplicate key: 'patients' is already "
        "set on line 41\n1 problem found.\n",
    )
    assert unchanged(first, path, raw)


def test_migrate_needs_a_file() -> None:
    result = Project(REPO).generator("migrate")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "python -m generator migrate: error: the following arguments are required: FILE"
    )


def test_each_file_is_migrated_on_its_own(first: Project) -> None:
    """A refused file stops neither the files after it nor says they were refused."""
    first.write("content/evidence/b.yaml", first.read(SEED_FILE).replace(EFFECT, "", 1))
    refused = first.path("content/evidence/b.yaml").read_bytes()
    code, out, err = migrate(first, "content/evidence/b.yaml", SEED_FILE)
    assert code == 2
    assert out == REWROTE_SEED
    assert err.startswith("error: content/evidence/b.yaml: results[0].cohorts[0]: the P value")
    assert first.path("content/evidence/b.yaml").read_bytes() == refused


def test_a_new_shape_cohort_missing_its_outcomes_is_not_migrated(first: Project) -> None:
    """It is not in the first shape: the check says what is missing, nothing is guessed."""
    first.write(SEED_FILE, (REPO / SEED_FILE).read_text(encoding="utf-8"))
    text = first.read(SEED_FILE)
    start = text.index("        outcomes:\n")
    end = text.index("      - population: Pancreatic")
    first.write(SEED_FILE, text[:start] + text[end:])
    raw = first.path(SEED_FILE).read_bytes()
    assert migrate(first, SEED_FILE) == (
        0,
        f"{SEED_FILE}: already in the current shape; nothing to do\n",
        "",
    )
    assert first.path(SEED_FILE).read_bytes() == raw


def test_a_value_spelled_like_null_stays_text(first: Project) -> None:
    first.edit(SEED_FILE, "description: stratified hazard ratio\n", "description: 'null'\n")
    assert migrate(first, SEED_FILE)[0] == 0
    data = data_of(first.path(SEED_FILE))
    assert data["results"][0]["cohorts"][1]["outcomes"][0]["comparisons"][0]["description"] == (
        "null"
    )


WAIVERS = """
waivers:
  - rule: results-direction
    field: results[0].cohorts[0].effect
    reason: The curves cross; the source reports both and explains it.
  - rule: results-arm-counts
    field: results[0].cohorts[1].patients
    reason: The arms are counted differently in the source, as it explains.
"""


def test_a_waiver_follows_its_field_to_the_new_shape(first: Project) -> None:
    """A waiver of the old effect keeps silencing the same finding; one of a field that did not
    move is left as it was, byte for byte."""
    first.edit(SEED_FILE, "            median: 3.9\n", "            median: 9.9\n")
    first.write(SEED_FILE, first.read(SEED_FILE) + WAIVERS)
    before = first.read(SEED_FILE)
    assert migrate(first, SEED_FILE) == (
        0,
        f"{SEED_FILE}: rewrote 2 cohort(s) with arms, outcomes and comparisons, and the field "
        "of 1 waiver(s)\n",
        "",
    )
    after = first.read(SEED_FILE)
    moved = "    field: results[0].cohorts[0].outcomes[0].comparisons[0]\n"
    assert after.endswith(WAIVERS.replace("    field: results[0].cohorts[0].effect\n", moved))
    assert before.count("results[0].cohorts[1].patients") == after.count(
        "results[0].cohorts[1].patients"
    )
    result = first.generator("check", "--format", "json")
    report = json.loads(result.stdout)
    assert [(w["rule"], w["field"]) for w in report["waived"]] == [
        ("results-direction", "results[0].cohorts[0].outcomes[0].comparisons[0]")
    ]
