"""Checks across entries: each id is one page address, and each tag one page."""

from __future__ import annotations

from collections.abc import Iterable

from generator.checks.site import Facts
from generator.content import slug
from generator.content.problem import Problem
from generator.content.slug import RESERVED, tag_slug


def check_ids(entries: Iterable[Facts], problems: list[Problem]) -> None:
    """Each id is one page address: not reserved, and not mistakable for another entry's."""
    ids: slug.Ids[Facts] = slug.Ids()
    for facts in entries:
        entry_id = facts.id
        if entry_id in RESERVED:
            problems.append(facts.id_place.problem(f"id '{entry_id}' is reserved"))
            continue
        taken = ids.taken(entry_id)
        if taken is None:
            ids.add(entry_id, facts)
            continue
        other, earlier = taken
        if other == entry_id:
            message = f"id '{entry_id}' is already used by {earlier.path}"
        else:
            message = (
                f"id '{entry_id}' looks like '{other}' ({earlier.path}); choose ids "
                "that cannot be mistaken for each other"
            )
        problems.append(facts.id_place.problem(message))


def check_tags(entries: Iterable[Facts], problems: list[Problem]) -> None:
    """Each tag gets a page at tags/<slug>/: the slug must exist and mean one spelling only, and
    no two tags may look alike to a reader."""
    by_slug: dict[str, tuple[str, Facts]] = {}
    by_look: dict[str, tuple[str, Facts]] = {}
    for facts in entries:
        seen: set[str] = set()
        for index, name in enumerate(facts.tags):
            problem = slug.tag_problem(name)
            address, looks = tag_slug(name), slug.look(name)
            other = by_slug.get(address) or by_look.get(looks)
            if problem is None and other is not None and other[0] != name:
                problem = slug.same_page_problem(name, other[0])
                if other[1] is not facts:
                    problem += f" (see {other[1].path})"
            elif problem is None and address in seen:
                problem = f"tag {name!r} is listed twice"
            if problem:
                problems.append(facts.tag_places[index].problem(problem))
                continue
            seen.add(address)
            by_slug.setdefault(address, (name, facts))
            by_look.setdefault(looks, (name, facts))
