"""Page addresses: every accepted id and tag gives a safe, distinct path."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator import pages, slug
from generator.model import Entry


@given(st.text(min_size=1, max_size=80))
def test_every_accepted_tag_gives_a_safe_path(name: str) -> None:
    if slug.tag_problem(name) is None:
        assert pages.SAFE_PATH.fullmatch(f"tags/{slug.tag_slug(name)}.md")


@given(st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True).filter(lambda s: len(s) <= 80))
def test_every_valid_id_gives_a_safe_path(entry_id: str) -> None:
    Entry.model_validate(
        {"id": entry_id, "question": "Q?", "last_reviewed": "2026-01-05", "answer": ["A."]}
    )
    assert pages.SAFE_PATH.fullmatch(pages.entry_path(entry_id))


def test_slugs_of_tags() -> None:
    assert slug.tag_slug("Neuroendocrine tumors") == "neuroendocrine-tumors"
    assert slug.tag_slug("TNF-\u03b1 inhibitors") == "tnf-alpha-inhibitors"
    assert slug.tag_slug("Sj\u00f6gren syndrome") == "sjogren-syndrome"
    assert slug.tag_slug("5-HT3 antagonists (antiemetics)") == "5-ht3-antagonists-antiemetics"
    assert slug.tag_problem("\u03b2-blockers") is None


def test_skeletons_of_look_alikes() -> None:
    assert slug.skeleton("modern") == slug.skeleton("modem")
    assert slug.skeleton("c0vid") == slug.skeleton("covid")
    assert slug.skeleton("clot") == slug.skeleton("dot")
    assert slug.skeleton("drug-a") != slug.skeleton("drug-b")
