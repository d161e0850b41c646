"""Reading YAML strictly: values stay the strings authors wrote; anything else is refused."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from generator.content import characters, document


@pytest.fixture(params=["libyaml", "python"], autouse=True)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both of PyYAML's parsers must read alike (the fallback is used where libyaml is missing)."""
    chosen = yaml.CSafeLoader if request.param == "libyaml" else yaml.SafeLoader
    monkeypatch.setattr(document, "_Loader", chosen)


def read(tmp_path: Path, content: str | bytes) -> tuple[object, list[str]]:
    path = tmp_path / "entry.yaml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    doc, problems = document.read(path, "entry.yaml")
    return doc.data, [str(problem) for problem in problems]


def test_scalars_stay_as_written(tmp_path: Path) -> None:
    data, problems = read(
        tmp_path,
        "answer: NO\npmid: 012345\np: 0.050\nreviewed: 2024-09-16\nyes: on\nquoted: ''\n"
        "empty:\ntilde: ~\nnull_word: null\nquoted_null: 'null'\n",
    )
    assert problems == []
    assert data == {
        "answer": "NO",
        "pmid": "012345",
        "p": "0.050",
        "reviewed": "2024-09-16",
        "yes": "on",
        "quoted": "",
        "empty": None,
        "tilde": None,
        "null_word": None,
        "quoted_null": "null",
    }


def test_positions_of_keys_and_values(tmp_path: Path) -> None:
    path = tmp_path / "entry.yaml"
    path.write_text("id: x\nquotes:\n  - license: nejm\n    reference: 1\n", encoding="utf-8")
    doc, _ = document.read(path, "entry.yaml")
    assert doc.position(("quotes", 0, "license")) == (3, 14)
    assert doc.position(("quotes", 0, "license"), key=True) == (3, 5)
    assert doc.position(("quotes", 0)) == (3, 5)
    # A value that is not there is reported where its parent is.
    assert doc.position(("quotes", 0, "text")) == (3, 5)


def test_duplicate_keys_name_both_lines_and_all_are_reported(tmp_path: Path) -> None:
    data, problems = read(tmp_path, "a: 1\nb:\n  c: 2\n  c: 3\nb:\n  - x\n  - {y: 1}\na: 4\n")
    assert data is None
    assert problems == [
        "entry.yaml:4:3: b.c: duplicate key: 'c' is already set on line 3",
        "entry.yaml:5:1: b: duplicate key: 'b' is already set on line 2",
        "entry.yaml:8:1: a: duplicate key: 'a' is already set on line 1",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a: &x 1\n", "entry.yaml:1:4: a: anchors (&name) are not allowed; write the value out"),
        ("a: 1\nb: *x\n", None),  # an undefined alias is a YAML syntax error
        (
            "a: &x 1\nb: *x\n",
            "entry.yaml:2:4: b: aliases (*name) are not allowed; write the value out",
        ),
        ("a: !!str 1\n", "entry.yaml:1:4: a: tags like tag:yaml.org,2002:str are not allowed"),
        ("a: !!python/object:os.system x\n", None),
        ("<<: {a: 1}\n", "entry.yaml:1:1: merge keys (<<) are not allowed"),
        ("a: 1\n---\nb: 2\n", "entry.yaml:2:1: only one YAML document per file; remove '---'"),
        ("? [a]\n: 1\n", "entry.yaml:1:3: keys must be plain text"),
        ("", "entry.yaml:1:1: file is empty"),
        ("# only a comment\n", "entry.yaml:1:1: file is empty"),
    ],
)
def test_yaml_beyond_plain_data_is_refused(
    tmp_path: Path, content: str, expected: str | None
) -> None:
    data, problems = read(tmp_path, content)
    assert data is None
    assert len(problems) >= 1
    if expected is not None:
        assert expected in problems


def test_python_object_tags_never_construct_anything(tmp_path: Path) -> None:
    _, problems = read(tmp_path, "a: !!python/object/apply:os.system ['touch pwned']\n")
    assert problems == [
        "entry.yaml:1:4: a: tags like tag:yaml.org,2002:python/object/apply:os.system "
        "are not allowed"
    ]
    assert not (tmp_path / "pwned").exists()


def test_syntax_error_has_its_position(tmp_path: Path) -> None:
    """At the bracket that was never closed, not where the parser gave up (line 3)."""
    _, problems = read(tmp_path, "id: x\nquestion: [unclosed\nanswer: y\n")
    assert problems == [
        "entry.yaml:2:11: this list in brackets is not closed with ] where it should end: close "
        "it, or write it one item per line"
    ]


def test_deep_nesting_is_refused_without_recursion(tmp_path: Path) -> None:
    _, problems = read(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    # libyaml 0.2.6 (PyYAML 6.0.4) scans ahead and stops at its own limit of 1,000 levels
    # before our reader sees the 33rd; older versions leave it to ours. Either way, no recursion.
    assert problems in (
        [f"entry.yaml:1:35: a{'[0]' * 31}: nesting is deeper than {document.MAX_DEPTH} levels"],
        [
            "entry.yaml:1:1003: YAML syntax error: while increasing flow level exceeded maximum "
            "nesting depth"
        ],
    ), problems


def test_deep_block_nesting_is_refused_at_our_limit(tmp_path: Path) -> None:
    text = "".join(f"{'  ' * level}k:\n" for level in range(40)) + f"{'  ' * 40}v\n"
    _, problems = read(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].endswith(f"nesting is deeper than {document.MAX_DEPTH} levels")


def test_not_utf8_names_the_byte(tmp_path: Path) -> None:
    _, problems = read(tmp_path, b"id: x\nquestion: caf\xe9?\n")
    assert problems == [
        "entry.yaml:2:14: file is not UTF-8 text (invalid byte at offset 19); save it as UTF-8"
    ]


def test_byte_order_mark_is_fine(tmp_path: Path) -> None:
    data, problems = read(tmp_path, "\ufeffid: x\n".encode())
    assert (data, problems) == ({"id": "x"}, [])


def test_field_path_formatting() -> None:
    assert document.field_path(("quotes", 0, "license")) == "quotes[0].license"
    assert document.field_path(("results", 1, "cohorts", 0)) == "results[1].cohorts[0]"
    deep = ("results", 0, "cohorts", 1, "outcomes", 0, "comparisons", 2, "control")
    assert document.field_path(deep) == "results[0].cohorts[1].outcomes[0].comparisons[2].control"
    assert document.field_path(()) == ""


def test_invisible_characters_match_the_unicode_categories() -> None:
    """The hard-coded set is exactly the controls, format characters, separators, private-use
    and surrogate code points, noncharacters and blank fillers of this Python's Unicode data."""
    refused = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs"}
    expected = {
        code
        for code in range(0x110000)
        if unicodedata.category(chr(code)) in refused and chr(code) not in "\t\n\r"
    }
    expected |= set(range(0xFDD0, 0xFDF0))
    expected |= {plane * 0x10000 + low for plane in range(17) for low in (0xFFFE, 0xFFFF)}
    expected |= {0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800}
    matched = {code for code in range(0x110000) if characters.INVISIBLE.fullmatch(chr(code))}
    assert matched - expected == set()
    assert expected - matched == set()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "a: x\x00y\n",
            [
                "entry.yaml:1:5: a: invisible or control character U+0000 (a control character) "
                "is not allowed; delete it"
            ],
        ),
        (
            "a: ok\nb: 'evil \u202efdp.exe'\n",
            [
                "entry.yaml:2:10: b: invisible or control character U+202E (RIGHT-TO-LEFT "
                "OVERRIDE) is not allowed; delete it"
            ],
        ),
        (
            "a: zero\u200bwidth\n# a comment with \u2066 isolate\nb: [1, 2\n",
            [
                "entry.yaml:1:8: a: invisible or control character U+200B (ZERO WIDTH SPACE) "
                "is not allowed; delete it",
                "entry.yaml:2:18: invisible or control character U+2066 (LEFT-TO-RIGHT "
                "ISOLATE) is not allowed; delete it",
                "entry.yaml:3:4: this list in brackets is not closed with ] where it should end: "
                "close it, or write it one item per line",
            ],
        ),
        (
            "a: \u00adsoft hyphen\n",
            [
                "entry.yaml:1:4: a: invisible or control character U+00AD (SOFT HYPHEN) is not "
                "allowed; delete it"
            ],
        ),
        (
            "a: line\u2028separator\n",
            [
                "entry.yaml:1:8: a: invisible or control character U+2028 (LINE SEPARATOR) is "
                "not allowed; delete it"
            ],
        ),
    ],
)
def test_invisible_characters_are_refused_where_they_are(
    tmp_path: Path, content: str, expected: list[str]
) -> None:
    data, problems = read(tmp_path, content)
    assert data is None
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start)
        assert problem == start or start.endswith("flow sequence")


def test_every_invisible_character_is_seen_by_the_quick_scan() -> None:
    """Files are scanned for INVISIBLE characters without the expression (ASCII bytes at once,
    other text by its distinct characters): the scan must agree with it on every character,
    in an ASCII file and in one with other text."""
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # never in text decoded from UTF-8
        for text in (f"a: {chr(code)}\n", f"a: é{chr(code)}\n"):
            expected = characters.INVISIBLE.search(text) is not None
            assert characters.any_invisible(text.encode(), text) is expected, hex(code)


def test_tabs_and_windows_line_endings_are_fine(tmp_path: Path) -> None:
    data, problems = read(tmp_path, "a: 'tab\there'\r\nb: two\r\n")
    assert (data, problems) == ({"a": "tab\there", "b": "two"}, [])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a: é\n".encode("utf-16"), "file is not UTF-8 text (invalid byte at offset 0)"),
        ("a: é\n".encode("latin-1"), "file is not UTF-8 text (invalid byte at offset 3)"),
        (b"a: " + b"x" * document.MAX_BYTES, "file is larger than 256,000 bytes; split it up"),
    ],
)
def test_files_that_are_not_small_utf8_text(tmp_path: Path, content: bytes, message: str) -> None:
    _, problems = read(tmp_path, content)
    assert len(problems) == 1
    assert message in problems[0]


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)
    ]
    data, problems = read(tmp_path, "\n".join(lines) + "\n")
    assert data is None
    assert problems[0] == "entry.yaml:1:4: a: anchors (&name) are not allowed; write the value out"
    assert len(problems) == 1 + 8 * 10  # one anchor and nine aliases per line
