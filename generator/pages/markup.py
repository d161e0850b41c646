"""Turning author text into Markdown that shows exactly that text and can do nothing else.

Python-Markdown and its extensions give meaning to almost every ASCII punctuation mark (`*`, `_`,
`[`, `{:`, `|`, `<`, `!!!`, `==`, `:emoji:` ...). Writing each of them as a numeric character
reference makes the text inert in every Markdown context the templates use (paragraphs, headings,
table cells, raw HTML blocks), and browsers, search and screen readers decode it back to the same
characters. Only fragments the generator builds itself are `Markup` and pass through unchanged.
"""

from __future__ import annotations

import html
import re
import string
from urllib.parse import quote

# Characters no Markdown syntax here is built from; everything else in ASCII punctuation is encoded.
_LEFT_AS_IS = ",;?/%"
_ESCAPES = {ord(char): f"&#{ord(char)};" for char in string.punctuation if char not in _LEFT_AS_IS}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"})
# A line break inside one paragraph means nothing in HTML, but in Markdown it could start a new
# block (a list, a heading, an indented code block); so it becomes the space a browser shows.
_ESCAPES.update({ord("\n"): " ", ord("\r"): " ", ord("\t"): "&#9;"})
# One pass of an expression over the text, each match looked up: three times the speed of
# str.translate, which builds a string of several characters for each one it maps.
_ESCAPED = re.compile("[" + re.escape("".join(map(chr, _ESCAPES))) + "]")
_ESCAPE = {chr(code): replacement for code, replacement in _ESCAPES.items()}


def _escape(value: str) -> str:
    return _ESCAPED.sub(_replacement, value)


def _replacement(found: re.Match[str]) -> str:
    return _ESCAPE[found[0]]


class Markup(str):
    """Markdown or HTML written by the generator, never by an author: printed as it is."""

    __slots__ = ()


def text(value: object) -> Markup:
    """Author text as inert Markdown that reads exactly as written."""
    return inline(_escape(str(value)))


def escaped(value: str) -> str:
    """Author text escaped for use *inside* a line that `inline` finishes."""
    return _escape(value)


def inline(line: str) -> Markup:
    """A finished run of inline Markdown, safe to place at the start or end of a line."""
    # Leading spaces would start an indented code block; trailing ones a hard line break.
    if line[:1] == " ":
        line = "&#32;" + line[1:]
    if line[-1:] == " ":
        line = line[:-1] + "&#32;"
    return Markup(line)


def attribute(value: str) -> Markup:
    """A value for a double-quoted HTML attribute."""
    return Markup(html.escape(value, quote=True))


def link(label: object, url: str, **attributes: str) -> Markup:
    """An HTML link to a URL the model has validated, with author text as its label."""
    label_markup = label if isinstance(label, Markup) else text(label)
    extra = "".join(f' {name.replace("_", "-")}="{attribute(v)}"' for name, v in attributes.items())
    return Markup(f'<a href="{attribute(url)}"{extra}>{label_markup}</a>')


def doi_url(doi: str) -> str:
    return f"https://doi.org/{url_part(doi)}"


def url_part(value: str) -> str:
    """An identifier as a path segment of a URL (DOIs may hold characters such as '<' or '#')."""
    return quote(value, safe="/:;()._-")
