"""Page addresses: entry ids, which authors write, and tag slugs, derived from tag names.

Two addresses that a reader could mistake for each other are refused as duplicates: the same
letters in another case or Unicode form, or look-alikes such as '0' and 'o', 'rn' and 'm'.
"""

from __future__ import annotations

import re
import unicodedata

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
_GREEK_NAMES = str.maketrans(_GREEK)
# Letter sequences that read alike in most fonts (after Unicode TR39's confusables).
_LOOK_ALIKE = (("rn", "m"), ("cl", "d"), ("vv", "w"), ("0", "o"), ("1", "l"))
_WORD = re.compile(r"[^\W\d_]+")


def tag_slug(name: str) -> str:
    """'Neuroendocrine tumors' -> 'neuroendocrine-tumors'; Greek letters by name (alpha)."""
    decomposed = unicodedata.normalize("NFKD", name).lower().translate(_GREEK_NAMES)
    ascii_text = decomposed.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def skeleton(slug: str) -> str:
    """What a slug looks like: slugs with the same skeleton could be mistaken for each other."""
    for written, seen in _LOOK_ALIKE:
        slug = slug.replace(written, seen)
    return slug


def tag_problem(name: str) -> str | None:
    """Why `name` cannot be a tag, if it cannot."""
    for word in _WORD.findall(name):
        scripts = {_script(letter) for letter in word}
        if not scripts <= {"LATIN", "GREEK"}:
            other = next(letter for letter in word if _script(letter) not in ("LATIN", "GREEK"))
            return (
                f"tag {name!r} uses {unicodedata.name(other, 'an unknown letter')}; "
                "tags are written in Latin or Greek letters"
            )
        if len(scripts) > 1:
            return (
                f"tag {name!r} mixes Latin and Greek letters in {word!r}; look-alike letters from "
                "another alphabet are not allowed"
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
