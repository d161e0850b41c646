"""URL slugs: entry ids are written by authors; tag slugs are derived from tag names."""

from __future__ import annotations

import re
import unicodedata

TAG_SLUG_MAX = 60
RESERVED = frozenset({"index"})
"""Slugs that would take the place of a folder's own index page."""


def tag_slug(name: str) -> str:
    """'Neuroendocrine tumors' -> 'neuroendocrine-tumors'; '' when nothing URL-safe is left."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
