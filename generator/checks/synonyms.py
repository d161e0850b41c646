"""The synonyms registry (content/synonyms.yml): other names readers search for, such as brand
names, each under the name the entries use. Search finds the entries by any of them, so each
other name must stand for one name only: 'Somatuline' under two drugs would send a reader to
the wrong one, and an other name that is also a name of its own would hide that one's entries.
"""

from __future__ import annotations

from generator.checks import registry
from generator.checks.models import SynonymRegistry
from generator.checks.validation import validate
from generator.content.document import Document, parse
from generator.content.files import read_bytes
from generator.content.problem import Problem
from generator.content.project import Project

NONE = SynonymRegistry(synonyms={})


def load(project: Project, problems: list[Problem]) -> tuple[SynonymRegistry, bytes]:
    """The registry (empty when there is no file), and its bytes, which key the entries'
    cache like the license registry's. Its problems are added to `problems`."""
    path = project.synonyms_file
    if not path.is_file():
        return NONE, b""
    raw = read_bytes(path)
    document, found = parse(raw, project.shown(path))
    problems.extend(found)
    if found:
        return NONE, raw
    synonyms = validate(SynonymRegistry, document, problems)
    if synonyms is None:
        return NONE, raw
    clashes = _clashes(synonyms, document)
    problems.extend(clashes)
    return (NONE if clashes else synonyms), raw


def _clashes(synonyms: SynonymRegistry, document: Document) -> list[Problem]:
    names = {name.casefold(): name for name in synonyms.synonyms}
    taken: dict[str, str] = {}
    found = []
    for name, others in synonyms.synonyms.items():
        for index, other in enumerate(others):
            key = other.casefold()
            message = None
            if key in names:
                message = (
                    f"'{other}' is a name of its own in this registry ('{names[key]}'): a "
                    "search for it cannot also mean "
                    + ("itself" if names[key] == name else f"'{name}'")
                )
            elif key in taken:
                message = (
                    f"'{other}' is listed under both '{taken[key]}' and '{name}': a search for "
                    "it could not tell which is meant"
                )
            taken.setdefault(key, name)
            if message is not None:
                found.append(
                    registry.finding(
                        document, ("synonyms", name, index), "synonyms-unique", message
                    )
                )
    return found
