"""Page addresses: every accepted id and tag gives a safe, distinct path."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.checks.models import Entry
from generator.content import slug
from generator.pages import plan


@given(st.text(min_size=1, max_size=80))
def test_every_accepted_tag_gives_a_safe_path(name: str) -> None:
    if slug.tag_problem(name) is None:
        assert plan.SAFE_PATH.fullmatch(f"tags/{slug.tag_slug(name)}.md")


@given(st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True).filter(lambda s: len(s) <= 80))
def test_every_valid_id_gives_a_safe_path(entry_id: str) -> None:
    Entry.model_validate(
        {"id": entry_id, "question": "Q?", "last_reviewed": "2026-01-05", "answer": ["A."]}
    )
    assert plan.SAFE_PATH.fullmatch(plan.entry_path(entry_id))


def test_slugs_of_tags() -> None:
    assert slug.tag_slug("Neuroendocrine tumors") == "neuroendocrine-tumors"
    assert slug.tag_slug("TNF-\u03b1 inhibitors") == "tnf-alpha-inhibitors"
    assert slug.tag_slug("Sj\u00f6gren syndrome") == "sjogren-syndrome"
    assert slug.tag_slug("5-HT3 antagonists (antiemetics)") == "5-ht3-antagonists-antiemetics"
    assert slug.tag_problem("\u03b2-blockers") is None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("modern", "modem"),
        ("c0vid", "covid"),
        ("clot", "dot"),
        ("Iron", "lron"),
        ("MEK", "\u039c\u0395\u039a"),  # Greek capitals
        ("TNF-\u03b1", "TNF-a"),
        ("Sj\u00f6gren", "Sjogren"),
    ],
)
def test_names_that_look_alike(one: str, other: str) -> None:
    assert slug.look(one) == slug.look(other)


def test_names_that_do_not_look_alike() -> None:
    assert slug.look("drug-a") != slug.look("drug-b")
    assert slug.look("\u03b2-blockers") != slug.look("b-blockers")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("\u0261efitinib", "tag '\u0261efitinib' uses LATIN SMALL LETTER SCRIPT G; tags use plain "
         "Latin letters (accents are fine) and Greek letters"),
        ("\u0131ron", "tag '\u0131ron' uses LATIN SMALL LETTER DOTLESS I; tags use plain Latin "
         "letters (accents are fine) and Greek letters"),
        ("\u039c\u0395\u039a inhibitors", "tag '\u039c\u0395\u039a inhibitors' spells "
         "'\u039c\u0395\u039a' in Greek letters that read as Latin ones; write it in Latin "
         "letters"),
        ("\u03b1\u03b2 T cells", None),
        ("Basedow disease", None),
        ("Stra\u00dfe \u00e6 \u00f8", None),
    ],
)  # fmt: skip
def test_tag_letters(name: str, problem: str | None) -> None:
    assert slug.tag_problem(name) == problem
