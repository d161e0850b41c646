"""Preview builds for reviewers, switched on by environment variables set by the pull-request
workflow: a banner on every page, no indexing by search engines, no sitemap, addresses under the
preview's own path, and a page of what changed."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

NUMBER_VARIABLE = "EVIDENCE_PREVIEW_PR"
URL_VARIABLE = "EVIDENCE_PREVIEW_URL"
BASE_VARIABLE = "EVIDENCE_PREVIEW_BASE"
PUBLISHED_VARIABLE = "EVIDENCE_PUBLISHED_URL"

_REVISION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/@^~{}-]*")


class PreviewError(ValueError):
    """A preview setting cannot be used."""


@dataclass(frozen=True)
class Preview:
    number: int
    url: str
    """Where the preview is published; pages, assets and the 404 page are addressed under it."""
    base: str | None
    """The git revision the pull request is compared with, for the page of changes."""
    published: str | None
    """The published site, which the banner links to."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Preview | None:
        number = environ.get(NUMBER_VARIABLE, "")
        if not number:
            return None
        if not number.isdigit() or not number.isascii():
            raise PreviewError(
                f"{NUMBER_VARIABLE} must be the pull request's number, not {number!r}"
            )
        url = _address(environ.get(URL_VARIABLE, ""), URL_VARIABLE)
        if url is None:
            raise PreviewError(f"{URL_VARIABLE} must be set to the preview's address")
        base = environ.get(BASE_VARIABLE) or None
        if base is not None and not _REVISION.fullmatch(base):
            raise PreviewError(f"{BASE_VARIABLE} {base!r} is not a git revision")
        published = _address(environ.get(PUBLISHED_VARIABLE, ""), PUBLISHED_VARIABLE)
        return cls(int(number), url, base, published)


def _address(value: str, variable: str) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname or not value.endswith("/"):
        raise PreviewError(f"{variable} must be an http(s) address ending in '/', not {value!r}")
    if re.search(r"[\s\"'<>\\\\]", value):
        raise PreviewError(f"{variable} holds characters an address cannot: {value!r}")
    return value
