"""The placeholder text `generator new` writes into a skeleton, and the rule that none of it is
ever published: a draft may hold it while it is written, any other entry may not."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from generator.checks.finding import Finding
from generator.checks.models import Entry
from generator.content.document import Location

ANSWER = "Write the answer here, in plain sentences, then delete this placeholder."
PLACEHOLDERS = (ANSWER,)
"""Every placeholder the skeleton writes; the skeleton takes its text from here."""
_WORD = {p: max(re.findall("[A-Za-z]+", p), key=len) for p in PLACEHOLDERS}
"""The longest word of each placeholder: a file holding the placeholder holds this word as
written (a quote doubled in single quotes would not be)."""


def check(entry: Entry, written: str) -> Iterator[Finding]:
    """`written` is the entry's file as text: a value can hold a placeholder only if the file
    does, word for word, unless an escape (\\) wrote it; YAML folds only spaces and line breaks.
    So most entries skip the walk over every string of the model."""
    if entry.draft:
        return
    if "\\" not in written and not any(_WORD[p] in written for p in PLACEHOLDERS):
        return
    for location, text in _texts(entry, ()):
        for placeholder in PLACEHOLDERS:
            at = text.find(placeholder)
            if at >= 0:
                yield Finding(
                    "placeholder",
                    location,
                    f"'{placeholder}' is the new entry's placeholder: write this part, or put "
                    "'draft: true' back until it is written",
                    written=placeholder,
                    offset=at,
                )


def _texts(value: object, location: Location) -> Iterator[tuple[Location, str]]:
    """Every string in the entry, with where it is."""
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*location, name))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _texts(item, (*location, index))
