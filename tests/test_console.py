"""What long work prints: a bar redrawn in place on a terminal, nothing anywhere else; the lines
that end a build; and the banner of a refused save under `mkdocs serve`."""

from __future__ import annotations

import io
import logging
import re
import time

import pytest

from generator.built import console
from generator.content.problem import Position, Problem
from generator.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def terminal_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a terminal says its size is (a StringIO has none)."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "30")


def test_a_terminal_sees_one_bar_redrawn_with_a_count_and_the_time_left() -> None:
    screen = Terminal()
    with Progress("Reading entries", 40, "entries", stream=screen, delay=0) as progress:
        for _ in range(40):
            time.sleep(0.015)  # redrawn at most five times a second
            progress.advance()
    drawn = screen.getvalue()
    assert "\n" not in drawn  # redrawn in place: no line is added
    frames = [frame for frame in drawn.split("\r") if frame.strip()]
    assert frames[0].startswith("Reading entries:   0%")
    assert "0/40 [00:00<?, ? entries/s]" in frames[0]
    assert any(re.search(r"\| [1-3]\d/40 \[00:00<00:00, ", frame) for frame in frames), frames
    assert drawn.endswith("\r")  # and wiped when the work is done


def test_anything_but_a_terminal_sees_nothing() -> None:
    log = io.StringIO()  # a CI log, a file, a pipe
    with Progress("Reading entries", 40, "entries", stream=log, delay=0) as progress:
        for _ in range(40):
            progress.advance()
    assert log.getvalue() == ""


def test_short_work_shows_no_bar() -> None:
    screen = Terminal()
    with Progress("Reading entries", 3, "entries", stream=screen) as progress:
        progress.advance(3)
    assert screen.getvalue() == ""


def test_a_line_logged_during_the_work_is_not_written_on_the_bar() -> None:
    screen = Terminal()
    logger = logging.getLogger("mkdocs.test-progress")
    handler = logging.StreamHandler(screen)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        with Progress("Writing pages", 10, "pages", stream=screen, delay=0) as progress:
            progress.advance()
            logger.warning("a warning in the middle")
            time.sleep(0.25)
            progress.advance(9)
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    before, after = screen.getvalue().split("a warning in the middle\n")
    # The bar was wiped (spaces, then a return) before the line was written at the start of it.
    assert before.endswith("\r"), before[-40:]
    assert before.rsplit("\r", 2)[-2].strip() == ""
    assert "10/10" in after


def test_the_closing_lines() -> None:
    assert console.closing_line(15, "site", 2.14) == (
        "Built 15 pages into site/ in 2.1 s. To look at it: bash scripts/serve.sh, or python3 "
        "-m http.server -d site and open http://localhost:8000/"
    )
    assert console.closing_line(1, "my site", 0.04).startswith("Built 1 page into my site/ in")
    assert console.closing_line(1, "my site", 0.04).endswith(
        "python3 -m http.server -d 'my site' and open http://localhost:8000/"
    )
    assert console.serving_line(15, 0.5, stale=False) == "Rebuilt 15 pages in 0.5 s."
    assert console.serving_line(15, 0.5, stale=True) == (
        "Rebuilt 15 pages in 0.5 s, showing the last good content until the problems above are "
        "fixed."
    )


def test_warnings_are_counted_by_rule() -> None:
    def warning(rule: str | None) -> Problem:
        return Problem("a.yaml", Position(1, 1), None, "m", rule, warning=True)

    found = [warning("review-due"), warning("prose-numbers"), warning("review-due")]
    assert console.by_rule(found) == "3 warnings (prose-numbers 1, review-due 2)"
    assert console.by_rule([warning(None)]) == "1 warning (other 1)"
    assert console.by_rule([]) == "0 warnings"


def test_the_banner_of_a_refused_save_shows_the_first_problems() -> None:
    problems = [Problem("a.yaml", Position(n, 1), "id", f"problem {n}") for n in range(1, 26)]
    banner = console.banner(problems)
    assert banner["count"] == "25 problems"
    assert banner["lines"] == [f"a.yaml:{n}:1: id: problem {n}" for n in range(1, 21)]
    assert banner["more"] == 5
    assert console.banner(problems[:1]) == {
        "count": "1 problem",
        "lines": ["a.yaml:1:1: id: problem 1"],
        "more": 0,
    }
