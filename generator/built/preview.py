"""Preview builds for reviewers, switched on by environment variables set by the pull-request
workflow: a banner on every page, no indexing by search engines, no sitemap, addresses under the
preview's own path, and a page of what changed."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

NUMBER_VARIABLE = "EVIDENCE_PREVIEW_PR"
URL_VARIABLE = "EVIDENCE_PREVIEW_URL"
BASE_VARIABLE = "EVIDENCE_PREVIEW_BASE"
PUBLISHED_VARIABLE = "EVIDENCE_PUBLISHED_URL"
SITE_VARIABLE = "EVIDENCE_SITE_URL"

_REVISION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/@^~{}-]*")
# Split by hand rather than with urlsplit, which raises on some malformed hosts ('[x') and
# quietly strips or lowercases parts of others: the address must be judged as it was written.
_ADDRESS = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):)?(?://(?P<authority>[^/?#]*))?"
    r"(?P<path>[^?#]*)(?P<rest>[?#].*)?",
    re.DOTALL,
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_AUTHORITY = re.compile(
    rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[0-9]{{1,5}}))?"
)
# Pages, assets and the audit of the built site use the path as written; a percent-escape or a
# space in it gives addresses that name no file of the site.
_PATH_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")


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
            # Without the number the build is an ordinary, indexable one: if any other preview
            # setting is there, a preview was meant, and publishing it as the site would be wrong.
            _no_number(environ)
            return None
        if not number.isdigit() or not number.isascii():
            raise PreviewError(
                f"{NUMBER_VARIABLE} must be the pull request's number, not {number!r}"
            )
        url = address(environ.get(URL_VARIABLE, ""), URL_VARIABLE)
        if url is None:
            raise PreviewError(
                f"{NUMBER_VARIABLE} is set but {URL_VARIABLE} is {_empty(environ, URL_VARIABLE)}: "
                "set it to the address the preview is served from, "
                "like https://OWNER.github.io/REPO/pr-preview/pr-12/"
            )
        base = environ.get(BASE_VARIABLE) or None
        if base is not None and not _REVISION.fullmatch(base):
            raise PreviewError(f"{BASE_VARIABLE} {base!r} is not a git revision")
        published = address(environ.get(PUBLISHED_VARIABLE, ""), PUBLISHED_VARIABLE)
        return cls(int(number), url, base, published)


def _no_number(environ: Mapping[str, str]) -> None:
    others = [
        name for name in (URL_VARIABLE, BASE_VARIABLE, PUBLISHED_VARIABLE) if environ.get(name)
    ]
    if not others:
        return
    names = others[0] if len(others) == 1 else f"{', '.join(others[:-1])} and {others[-1]}"
    which = others[0] if len(others) == 1 else "them"
    hint = f" (its address goes in {SITE_VARIABLE})" if PUBLISHED_VARIABLE in others else ""
    raise PreviewError(
        f"{names} {'is' if len(others) == 1 else 'are'} set but {NUMBER_VARIABLE} is "
        f"{_empty(environ, NUMBER_VARIABLE)}: for a preview, set {NUMBER_VARIABLE} to the pull "
        f"request's number; for the published site{hint}, unset {which}"
    )


def _empty(environ: Mapping[str, str], variable: str) -> str:
    return "empty" if variable in environ else "not"


def address(value: str, variable: str) -> str | None:
    """A site's address, checked the way the build will use it: every page and asset is
    addressed under its path."""
    if not value:
        return None
    parts = _ADDRESS.fullmatch(value)
    assert parts is not None  # every part is optional
    scheme, authority = parts["scheme"], parts["authority"]
    if scheme not in ("https", "http") or authority is None:
        raise PreviewError(f"{variable} must be an http:// or https:// address, not {value!r}")
    if "@" in authority:
        raise PreviewError(f"{variable} must not hold a user name or password: {value!r}")
    host = _AUTHORITY.fullmatch(authority)
    if host is None or int(host["port"] or 0) > 65535:
        if not authority:
            raise PreviewError(f"{variable} names no host: {value!r}")
        raise PreviewError(
            f"{variable} has {authority!r} where a host name, like example.org or "
            f"example.org:8000, should be: {value!r}"
        )
    if parts["rest"] is not None:
        raise PreviewError(f"{variable} must not have a query ('?') or fragment ('#'): {value!r}")
    path = parts["path"]
    wrong = sorted(set(path) - _PATH_CHARACTERS)
    if wrong:
        shown = ", ".join("a space" if c == " " else repr(c) for c in wrong)
        raise PreviewError(
            f"{variable} holds {shown} in its path: {value!r}; write the path with letters, "
            "digits and - . _ ~ / only, without spaces or %-escapes"
        )
    if not path.endswith("/"):
        raise PreviewError(
            f"{variable} must end in '/', the folder the site is served from: {value!r}"
        )
    if any(part in (".", "..") for part in path.split("/")):
        raise PreviewError(f"{variable} must not have '.' or '..' in its path: {value!r}")
    return value
