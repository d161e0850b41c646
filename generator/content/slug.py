"""Page addresses: entry ids, which authors write, and tag slugs, derived from tag names.

Two addresses that a reader could mistake for each other are refused as duplicates: the same
letters in another case or Unicode form, or look-alikes such as '0' and 'o', 'rn' and 'm'.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Generic, TypeVar

TAG_SLUG_MAX = 60
RESERVED = frozenset(
    {"index"}  # would take the place of its folder's own index page
    # Device names that Windows cannot check out as files.
    | {"con", "prn", "aux", "nul"}
    | {f"{device}{n}" for device in ("com", "lpt") for n in range(1, 10)}
)

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
# Latin letters with no ASCII letter underneath, as addresses spell them.
_LATIN_EXTRA = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ð": "d", "þ": "th"}
_SPELLED = str.maketrans({**_GREEK, **_LATIN_EXTRA})
# What readers may take one character for (after Unicode TR39's confusables): Greek letters
# that look Latin, and ASCII characters that look like each other.
_READ_AS = str.maketrans({
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "α": "a", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "υ": "u", "χ": "x", "I": "l", "1": "l", "|": "l", "0": "o", "O": "o",
})  # fmt: skip
_GREEK_READ_AS_LATIN = frozenset("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορυχ")
_LOOK_ALIKE = (("rn", "m"), ("cl", "d"), ("vv", "w"))
_WORD = re.compile(r"[^\W\d_]+")


# Pure functions of a name, asked again for every entry carrying the tag: remembered.
@functools.lru_cache(maxsize=65536)
def tag_slug(name: str) -> str:
    """'Neuroendocrine tumors' -> 'neuroendocrine-tumors'; Greek letters by name (alpha)."""
    decomposed = unicodedata.normalize("NFKD", name).lower().translate(_SPELLED)
    ascii_text = decomposed.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


@functools.lru_cache(maxsize=65536)
def look(text: str) -> str:
    """What `text` looks like to a reader: letters that look alike made the same, accents, case
    and punctuation dropped. Two names that look the same could be mistaken for each other."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_READ_AS)
    seen = "".join(c for c in bare.casefold().translate(_SPELLED) if c.isalnum())
    for written, read in _LOOK_ALIKE:
        seen = seen.replace(written, read)
    return seen


Owner = TypeVar("Owner")


class Ids(Generic[Owner]):
    """Entry ids in use, each with its owner (the entry or its file). Each id is one page address:
    a new id may be neither one of them nor one a reader could mistake for one of them."""

    def __init__(self) -> None:
        self._by_look: dict[str, tuple[str, Owner]] = {}

    def add(self, entry_id: str, owner: Owner) -> None:
        """Put `entry_id` in use, unless it (or a look-alike) is in use already."""
        self._by_look.setdefault(look(entry_id), (entry_id, owner))

    def taken(self, entry_id: str) -> tuple[str, Owner] | None:
        """The id in use, with its owner, that `entry_id` is or could be mistaken for, if any."""
        return self._by_look.get(look(entry_id))


@functools.lru_cache(maxsize=65536)
def tag_problem(name: str) -> str | None:
    """Why `name` cannot be a tag, if it cannot."""
    for word in _WORD.findall(name):
        scripts = {_script(letter) for letter in word}
        odd = [letter for letter in word if not _latin_or_greek(letter)]
        if odd:
            return (
                f"tag {name!r} uses {unicodedata.name(odd[0], 'an unknown letter')}; "
                "tags use plain Latin letters (accents are fine) and Greek letters"
            )
        if len(scripts) > 1:
            return (
                f"tag {name!r} mixes Latin and Greek letters in {word!r}; look-alike letters from "
                "another alphabet are not allowed"
            )
        if len(word) > 1 and set(word) <= _GREEK_READ_AS_LATIN:
            return (
                f"tag {name!r} spells {word!r} in Greek letters that read as Latin ones; write "
                "it in Latin letters"
            )
    slug = tag_slug(name)
    if not slug:
        return f"tag {name!r} needs at least one letter or digit"
    if slug in RESERVED:
        return f"tag {name!r} is reserved; choose another"
    if len(slug) > TAG_SLUG_MAX:
        return f"tag is too long for an address; keep it under {TAG_SLUG_MAX} letters"
    return None


def same_page_problem(name: str, other: str) -> str:
    """Why two spellings that share a slug (or look alike) cannot both be tags."""
    if unicodedata.normalize("NFC", name) == unicodedata.normalize("NFC", other):
        return (
            f"tag {name!r} looks the same as {other!r} but its letters are encoded differently "
            "(Unicode normalization); retype it"
        )
    if tag_slug(name) == tag_slug(other):
        return f"tag {name!r} would share a page with {other!r}; spell them the same"
    return f"tag {name!r} looks like {other!r}; choose tags that cannot be mistaken for each other"


def _script(letter: str) -> str:
    return unicodedata.name(letter, "UNKNOWN").split(" ")[0]


def _latin_or_greek(letter: str) -> bool:
    if _script(letter) == "GREEK":
        return letter.lower() in _GREEK
    base = unicodedata.normalize("NFKD", letter)[0]
    return (base.isascii() and base.isalpha()) or letter.lower() in _LATIN_EXTRA
