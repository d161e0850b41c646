"""The names the site's search knows, for the search box in the browser: the tags of the
published entries (their drugs and conditions), the trials they report, and the synonyms
registry. With them the search box reads a brand name as the name the entries use, finds a
trial name with a number in it as one name, and offers "did you mean" for a misspelt name.
The browser loads the file only when someone searches, never with a page."""

from __future__ import annotations

import json
from collections.abc import Iterable

from generator.checks.models import SynonymRegistry
from generator.checks.site import Facts


def text(entries: Iterable[Facts], registry: SynonymRegistry) -> str:
    """The vocabulary as JSON: {"names": [...], "synonyms": {other name: name}}, of the
    published `entries`."""
    names: set[str] = set()
    for facts in entries:
        names.update(facts.tags, facts.trials)
    synonyms = {other: name for name, others in registry.synonyms.items() for other in others}
    names |= set(registry.synonyms)
    document = {
        "names": sorted(names, key=str.casefold),
        "synonyms": dict(sorted(synonyms.items())),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
