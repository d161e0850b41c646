"""The search index Material writes, made smaller without changing what any search finds first.

Material copies a page's `tags` (here: the entry's search keywords) into the index entry of
every section of the page. Only the page's own entry needs them: that is the result a search
for a keyword should put first, and the copies in each section only add bytes every reader
downloads before their first search.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

INDEX = Path("search") / "search_index.json"


def slim(index: dict[str, Any]) -> dict[str, Any]:
    """The index with each page's tags kept on the page's own entry only."""
    docs = [
        {key: value for key, value in doc.items() if key != "tags"}
        if "#" in str(doc.get("location", ""))
        else doc
        for doc in index.get("docs", [])
    ]
    return {**index, "docs": docs}


def slim_file(site_dir: Path) -> None:
    path = site_dir / INDEX
    if not path.is_file():
        return  # no search on this site
    index = json.loads(path.read_text(encoding="utf-8"))
    # Written as Material writes it: compact, with non-ASCII characters escaped.
    path.write_text(json.dumps(slim(index), separators=(",", ":"), default=str), encoding="utf-8")
