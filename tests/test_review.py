"""What a reviewer reads of a change: each changed part named as a reader names it, with the
words removed and added marked, and nothing a terminal would take as a command."""

from __future__ import annotations

import copy
from typing import Any, Literal

import pytest

from generator.content.change import Change, Part, Segment
from generator.content.document import parse
from generator.review import parts, terminal, words
from tests.conftest import SMALL

BEFORE: dict[str, Any] = parse(SMALL.encode(), "small.yaml")[0].data


def changed(edit: Any) -> list[tuple[str, str, str]]:
    """The parts a change to the small entry touches: (name, field, the words marked)."""
    after = copy.deepcopy(BEFORE)
    edit(after)
    found = parts.compare(BEFORE, after)
    return [(part.name, part.field, line(part)) for part in found]


def line(part: Part) -> str:
    return terminal.part_line(part).split(": ", 1)[1]


def text(runs: tuple[Segment, ...] | None) -> str:
    return "".join(run.text for run in runs) if runs else ""


@pytest.mark.parametrize(
    ("before", "after", "marked"),
    [
        ("What is it?", "What is it now?", "What is it {+now+}?"),
        ("a significant gain", "a clear gain", "a [-significant-]{+clear+} gain"),
        ("It works.", "It works. More so.", "It works. {+More so.+}"),
        ("It works well.", "It works.", "It works [-well-]."),
        ("HR 0.38 (CI 0.25-0.59)", "HR 0.39 (CI 0.25-0.59)", "HR [-0.38-]{+0.39+} (CI 0.25-0.59)"),
        ("0.38", "0.39", "[-0.38-]{+0.39+}"),
        ("p<0·001", "p<0·01", "[-p<0·001-]{+p<0·01+}"),
        ("reviewed 2026-11-24", "reviewed 2026-11-20", "reviewed [-2026-11-24-]{+2026-11-20+}"),
        ("a, NET tumors", "a, NET tumours", "a, NET [-tumors-]{+tumours+}"),
        ("", "New text.", "{+New text.+}"),
    ],
)  # fmt: skip
def test_changed_words_are_marked(before: str, after: str, marked: str) -> None:
    assert words.marked(before, after, shorten=False) == marked


def test_each_side_holds_its_own_words() -> None:
    old, new = words.compare("a significant gain", "a clear gain")
    assert old == (Segment("a ", False), Segment("significant ", True), Segment("gain", False))
    assert new == (Segment("a ", False), Segment("clear ", True), Segment("gain", False))
    assert text(old) == "a significant gain"
    assert text(new) == "a clear gain"


def test_a_long_text_is_cut_to_the_words_near_its_change() -> None:
    start = " ".join(f"w{n}" for n in range(40))
    end = " ".join(f"v{n}" for n in range(40))
    shown = words.marked(f"{start} old {end}", f"{start} new {end}", shorten=True)
    assert shown == ("… w32 w33 w34 w35 w36 w37 w38 w39 [-old-]{+new+} v0 v1 v2 v3 v4 v5 v6 v7 …")
    assert words.marked("short old text", "short new text", shorten=True) == (
        "short [-old-]{+new+} text"
    )


def test_parts_are_named_as_readers_name_them() -> None:
    def edit(entry: dict[str, Any]) -> None:
        entry["question"] = "Does cabozantinib lengthen survival?"
        entry["tags"].append("oncology")
        study = entry["results"][0]
        cohort = study["cohorts"][0]
        cohort["patients"] = "204"
        cohort["arms"][1]["patients"] = "101"
        outcome = cohort["outcomes"][0]
        outcome["arms"][1]["median"] = "4.0"
        outcome["comparisons"][0]["estimate"] = "0.39"
        outcome["comparisons"][0]["p_value"] = "<0.01"
        entry["quotes"][0]["attribution"] = "Jennifer A. Chan, et al."
        entry["summary"][1] = "Preclinical studies mostly agree.[2]"
        entry["references"][0]["doi"] = "10.1056/NEJMoa2403992"
        entry["references"][1]["authors"].append("Smith J")

    assert changed(edit) == [
        ("Question", "question", "Does cabozantinib lengthen [-progression-free-] survival?"),
        ("Tags", "tags", "cabozantinib, neuroendocrine tumors{+, oncology+}"),
        (
            "CABINET, Extrapancreatic neuroendocrine tumors, patients randomised",
            "results[0].cohorts[0].patients",
            "[-203-]{+204+}",
        ),
        (
            "CABINET, Extrapancreatic neuroendocrine tumors, arm Placebo, patients randomised",
            "results[0].cohorts[0].arms[1].patients",
            "{+101+}",
        ),
        (
            "CABINET, Extrapancreatic neuroendocrine tumors, Progression-free survival, Placebo, "
            "median",
            "results[0].cohorts[0].outcomes[0].arms[1].median",
            "[-3.9-]{+4.0+}",
        ),
        (
            "CABINET, Extrapancreatic neuroendocrine tumors, Progression-free survival, "
            "Cabozantinib vs Placebo, hazard ratio",
            "results[0].cohorts[0].outcomes[0].comparisons[0].estimate",
            "[-0.38-]{+0.39+}",
        ),
        (
            "CABINET, Extrapancreatic neuroendocrine tumors, Progression-free survival, "
            "Cabozantinib vs Placebo, P value",
            "results[0].cohorts[0].outcomes[0].comparisons[0].p_value",
            "[-<0.001-]{+<0.01+}",
        ),
        ("Quote 1, attribution", "quotes[0].attribution",
         "Jennifer A. Chan, [-M.D., M.P.H.,-] et al."),
        ("Summary, paragraph 2", "summary[1]", "Preclinical studies {+mostly+} agree.[2]"),
        ("Reference 1, DOI", "references[0].doi",
         "[-10.1056/NEJMoa2403991-]{+10.1056/NEJMoa2403992+}"),
        ("Reference 2, authors", "references[1].authors", "Cella CA{+, Smith J+}"),
    ]  # fmt: skip


def test_a_paragraph_put_in_or_taken_out_is_one_part() -> None:
    def insert(entry: dict[str, Any]) -> None:
        entry["summary"].insert(1, "A new paragraph.[1]")

    def remove(entry: dict[str, Any]) -> None:
        del entry["summary"][0]

    assert changed(insert) == [("Summary, paragraph 2", "summary[1]", "{+A new paragraph.[1]+}")]
    assert changed(remove) == [
        (
            "Summary, paragraph 1",
            "summary[0]",
            "[-The median was 8.4 months with cabozantinib and 3.9 with placebo.[1]-]",
        )
    ]


def test_an_item_taken_out_is_named_by_its_place_before() -> None:
    def remove(entry: dict[str, Any]) -> None:
        del entry["references"][0]

    after = copy.deepcopy(BEFORE)
    remove(after)
    (part,) = parts.compare(BEFORE, after)
    assert (part.name, part.field, part.kind, part.section) == (
        "Reference 1",
        "references[0]",
        "removed",
        "References",
    )
    assert text(part.before).startswith(
        "title: Phase 3 Trial of Cabozantinib to Treat Advanced Neuroendocrine Tumors; "
        "authors: Chan JA; journal: N Engl J Med; DOI: 10.1056/NEJMoa2403991"
    )


def test_arms_regimens_and_new_fields() -> None:
    def edit(entry: dict[str, Any]) -> None:
        arm = entry["results"][0]["cohorts"][0]["arms"][0]
        arm["regimen"] = [{"drug": "Cabozantinib", "dose": "60 mg"}]
        entry["results"][0]["cohorts"][0]["outcomes"][0]["time_point"] = "month 12"

    assert changed(edit) == [
        (
            "CABINET, Extrapancreatic neuroendocrine tumors, arm Cabozantinib, regimen",
            "results[0].cohorts[0].arms[0].regimen",
            "{+drug: Cabozantinib; dose: 60 mg+}",
        ),
        (
            "CABINET, Extrapancreatic neuroendocrine tumors, Progression-free survival at month "
            "12, time point",
            "results[0].cohorts[0].outcomes[0].time_point",
            "{+month 12+}",
        ),
    ]


def test_nothing_a_terminal_obeys_reaches_it() -> None:
    part = Part("Question", "Question", "question", words.whole("a"), words.whole("b\x1b[2J\n"))
    assert terminal.part_line(part) == "Question: [-a-]{+b\\x1b[2J+}\\n"
    change = Change("added", "x", "Is it\x07 safe?", "content/evidence/x.yaml")
    assert terminal.change_lines(change) == [
        "added    x (content/evidence/x.yaml)",
        "  New page evidence/x/: Is it\\x07 safe?",
    ]


def test_the_last_line_counts_the_changes() -> None:
    def change(kind: Literal["added", "changed", "removed"], draft: bool = False) -> Change:
        return Change(kind, "x", "Q?", "x.yaml", draft_before=draft, draft_after=draft)

    found = [change("added"), change("changed", draft=True), change("removed")]
    assert terminal.closing_line(found, "origin/main") == (
        "3 entries differ from origin/main: 1 added, 1 changed, 1 removed (1 of them draft)"
    )
    assert terminal.closing_line(found[1:2], "main") == (
        "1 entry differs from main: 0 added, 1 changed, 0 removed (1 of them draft)"
    )
    assert terminal.closing_line([], "main") == "no entry changed since main"


def test_an_item_put_in_before_an_edited_one_is_told_apart_from_it() -> None:
    def summary(entry: dict[str, Any]) -> None:
        entry["summary"] = [
            "A new paragraph.[1]",
            "The median was 8.4 months with cabozantinib and 4.0 with placebo.[1]",
            "Preclinical studies agree.[2]",
        ]

    assert changed(summary) == [
        ("Summary, paragraph 1", "summary[0]", "{+A new paragraph.[1]+}"),
        ("Summary, paragraph 2", "summary[1]",
         "The median was 8.4 months with cabozantinib and [-3.9-]{+4.0+} with placebo.[1]"),
    ]  # fmt: skip

    def results(entry: dict[str, Any]) -> None:
        study = copy.deepcopy(entry["results"][0])
        study["trial"] = "NETTER-1"
        entry["results"][0]["cohorts"][0]["patients"] = "204"
        entry["results"].insert(0, study)

    found = changed(results)
    assert [(name, field) for name, field, _ in found] == [
        ("NETTER-1", "results[0]"),
        ("CABINET, Extrapancreatic neuroendocrine tumors, patients randomised",
         "results[1].cohorts[0].patients"),
    ]  # fmt: skip


def test_fields_put_in_empty_change_nothing_and_new_lists_are_named() -> None:
    def edit(entry: dict[str, Any]) -> None:
        entry["waivers"] = []
        entry["external_sources"] = None
        entry["results"][0]["cohorts"][0]["outcomes"][0]["arms"] = "to come"

    assert changed(edit) == [
        (
            "CABINET, Extrapancreatic neuroendocrine tumors, Progression-free survival, arms",
            "results[0].cohorts[0].outcomes[0].arms",
            "[-arm: Cabozantinib; median: 8.4, arm: Placebo; median: 3.9-]{+to come+}",
        )
    ]


def test_an_entry_id_cannot_move_the_cursor() -> None:
    change = Change("removed", "ok\rremoved  fake", "Q?", "content/evidence/\x1bx.yaml")
    assert terminal.change_lines(change)[0] == (
        "removed  ok\\rremoved  fake (content/evidence/\\x1bx.yaml)"
    )
