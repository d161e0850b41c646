"""YAML mistakes authors make, each reported in their words at the place it started, with what
to do: a corpus of real-world slips (an unquoted colon, a tab, a quote never closed, a citation
marker opening a paragraph ...), each run through `check` as an author runs it."""

from __future__ import annotations

import pytest

from tests.conftest import Project

FILE = "content/evidence/e.yaml"
QUOTES = "put the whole value in quotes"

CORPUS = {
    "a colon inside a value": (
        "id: e\nquestion: Drug A: is it better?\n",
        f"2:17: a colon followed by a space ends a key, so it can't stand inside a value: {QUOTES}",
    ),
    "a tab for indentation": (
        "id: e\ntags:\n\t- a\n",
        "3:1: a tab can't indent YAML: indent with spaces",
    ),
    "a double quote never closed": (
        'id: e\nquestion: "Is it better?\nlast_reviewed: 2026-01-01\ntags: [a]\n',
        '2:11: this quote is never closed: end the value with ", or, if the value holds " '
        "itself, put the value in the other kind of quotes",
    ),
    "a single quote never closed": (
        "id: e\nquestion: 'Is it better?\nlast_reviewed: 2026-01-01\n",
        "2:11: this quote is never closed: end the value with ', or, if the value holds ' "
        "itself, put the value in the other kind of quotes",
    ),
    "a list in brackets never closed": (
        "id: e\ntags: [a, b\nquestion: Q\n",
        "2:7: this list in brackets is not closed with ] where it should end: close it, or "
        "write it one item per line",
    ),
    "a mapping in braces never closed": (
        "id: e\nresults:\n  - {trial: T, reference: 1\nquestion: Q\n",
        "3:5: this mapping in brackets is not closed with } where it should end: close it, or "
        "write it one item per line",
    ),
    "a list item indented less than the others": (
        "id: e\nanswer:\n  - one\n - two\n",
        "4:2: this line is indented differently from the lines around it: line up the items of "
        "a list (and the keys of a mapping) under each other, with spaces",
    ),
    "a key indented under another key": (
        "id: e\n  question: Q\n",
        "2:11: this line is indented further than the key above it, so it reads as part of "
        "that key's value: line up the keys of one mapping under each other",
    ),
    "a value starting with @": (
        "id: e\nquestion: @drug works?\n",
        f'2:11: a value can\'t start with @: {QUOTES}, like "@..."',
    ),
    "a value starting with a backtick": (
        "id: e\nquestion: `drug` works?\n",
        f'2:11: a value can\'t start with `: {QUOTES}, like "`..."',
    ),
    "no space after the colon": (
        "id: e\nquestion:What?\nanswer: [A]\n",
        "2:1: a key needs a colon and a space before its value: write 'question: What?'",
    ),
    "a quote inside a quoted value": (
        'id: e\nquestion: "The "best" drug"\n',
        '2:17: the value ended at its closing ", but the text goes on: put a " that belongs to '
        'the text as \\", or put the whole value in the other kind of quotes',
    ),
    "text after a quoted value": (
        'id: e\nquestion: "Phase 3" trial of X\n',
        '2:21: the value ended at its closing ", but the text goes on: put a " that belongs to '
        'the text as \\", or put the whole value in the other kind of quotes',
    ),
    "a citation marker opening a paragraph": (
        "id: e\nsummary:\n  - [1] shows that it works.\n",
        "3:9: a value that starts with [ is read as a list, so the text after ] can't follow: "
        f"{QUOTES} (a citation marker can't open a paragraph unquoted)",
    ),
    "a value starting with a brace": (
        "id: e\nquestion: {drug} works?\n",
        "2:18: a value that starts with { is read as a mapping, so the text after } can't "
        f"follow: {QUOTES}",
    ),
    "a key among list items": (
        "id: e\ntags:\n  - a\n  b: c\n",
        "4:3: a key stands among the items of a list: make it an item with '- ', or indent it "
        "under the item it belongs to",
    ),
    "a paragraph not indented under its dash": (
        "id: e\nanswer:\n  - >-\n  text not indented\n",
        "4:3: this line is neither 'key: value' nor a list item '- ...': if it continues the "
        "text above, indent it further than that text's key or dash",
    ),
    "text after a block indicator": (
        "id: e\nquestion: | what\n",
        "2:13: after | or > the text starts on the next line, indented; or put the value in quotes",
    ),
}


@pytest.mark.parametrize(("text", "message"), CORPUS.values(), ids=list(CORPUS))
def test_a_yaml_mistake_is_told_in_words_an_author_can_act_on(
    project: Project, text: str, message: str
) -> None:
    project.write(FILE, text)
    result = project.generator("check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{FILE}:{message}", "1 problem found."]


def test_the_corpus_holds_at_least_fifteen_mistakes() -> None:
    assert len(CORPUS) >= 15
