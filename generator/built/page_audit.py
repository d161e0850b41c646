"""Auditing one built document (an HTML page, an SVG or XML file): nothing on a published page
may run code, load other pages into it, or send readers elsewhere, whatever the content was.

The escaping in `markup` is the first line of defence; this is the second, and it looks at what
browsers will see. The tokenizer follows the HTML standard where it matters here: comments and
raw-text elements (script, style, title, textarea) are skipped correctly, attribute quotes count
only right after '=', and attribute values are decoded before they are judged. A regular
expression tokenizer keeps this at a fraction of a millisecond per page.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import html
import json
import posixpath
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

_MARKUP = re.compile(
    r"<!--(?:-?>|.*?(?:--!?>|\Z))"  # comment; '<!-->' and '<!--->' end at once
    r"|<![^>]*>?"  # doctype, CDATA or bogus comment
    r"|<\?[^>]*>?"  # processing instruction: a bogus comment in HTML
    r"|<(/?)([a-zA-Z][^\s/>]*)",  # start or end of a tag
    re.DOTALL,
)
_ATTRIBUTE = re.compile(
    r"[\s/]*"
    r"(?:([^\s/>][^\s/>=]*)"  # name: '=' may only start it
    r"(?:\s*=\s*(\"[^\"]*\"?|'[^']*'?|[^\s>]*))?)?"
)
_RAW_TEXT = frozenset({"script", "style", "title", "textarea", "xmp", "iframe", "noembed",
                       "noframes", "plaintext"})  # fmt: skip
_NEVER = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"})
_THEME_ONLY = frozenset({"script", "form", "style", "link", "meta", "input", "button", "select",
                         "textarea", "noscript", "template"})  # fmt: skip
"""Allowed in the theme's frame of a page, never inside the page content (the <article>)."""
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "cite", "poster",
                             "background", "data", "xlink:href", "ping", "lowsrc", "dynsrc",
                             "codebase", "manifest", "longdesc", "usemap", "profile", "classid",
                             "archive", "icon", "srcset", "imagesrcset"})  # fmt: skip
_ANIMATED_URL = frozenset({"values", "to", "from", "by"})  # <svg><animate attributeName=href ...>
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")  # removed anywhere by the URL parser
_C0_OR_SPACE = "".join(map(chr, range(0x21)))  # stripped from both ends by the URL parser
_STYLE_DANGER = re.compile(
    r"\b(?:url|image|image-set|cross-fade|element|expression|paint)\s*\(|javascript:|@import"
    r"|behavior\s*:|-moz-binding",
    re.I,
)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})\s?|\n|(.))")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_ASCII_SPACE = "\t\n\f\r "
_PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".xht")
"""Served as text/html or application/xhtml+xml: pages, with the theme's frame around them."""
_IMAGE_SUFFIXES = (".svg", ".svgz")
"""Served as image/svg+xml: opened on their own, an SVG file runs its scripts."""
_XML_SUFFIXES = (".xml", ".xsl", ".xslt", ".rss", ".atom", ".rdf", ".mml", ".mathml")
"""Served as XML: browsers show it as a document, which runs code when it has an XSLT
stylesheet or XHTML or SVG elements; otherwise (a sitemap, a feed) it is data."""
_ACTIVE_XML = re.compile(
    r"<\?xml-stylesheet|http://www\.w3\.org/(?:1999/xhtml|1999/XSL/Transform|2000/svg)", re.I
)
_STYLESHEET = re.compile(r"<\?xml-stylesheet\b([^?]*)\?>", re.I)
_PSEUDO_TYPE = re.compile(r"""\btype\s*=\s*(["'])(.*?)\1""", re.I | re.S)
_LOCAL_URL = re.compile(r"""url\(\s*(["']?)#[^\s"'()]*\1\s*\)""", re.I)
"""'url(#gradient)' points into the document itself and loads nothing."""
_FOREIGN = frozenset({"svg", "math"})
"""Inside these, browsers parse even <title> or <style> as markup: nothing is skipped as text."""


@dataclass(frozen=True)
class AuditFinding:
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Script:
    """A script outside the page content, as it would read on any page of the site."""

    fingerprint: str
    line: int
    column: int


@dataclass(frozen=True)
class Link:
    """A link or resource on a page, resolved to a path in the site."""

    line: int
    column: int
    target: str
    fragment: str
    written: str


@dataclass
class PageAudit:
    findings: list[AuditFinding]
    scripts: list[Script]
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    fingerprints: frozenset[str] = field(init=False)
    """Of its scripts: made once, as a site's audit compares them on every page at every
    build, and under `mkdocs serve` at every save."""

    def __post_init__(self) -> None:
        self.fingerprints = frozenset(script.fingerprint for script in self.scripts)


def is_document(name: str) -> bool:
    """Whether a browser opening the file shows it as a document, which may run code: decided,
    as a web server decides its type, by the end of its name."""
    return name.lower().endswith(_PAGE_SUFFIXES + _IMAGE_SUFFIXES + _XML_SUFFIXES)


def document(name: str, data: bytes) -> tuple[str, bool] | None:
    """The text of the file `name` as a browser reads it, and whether it stands alone (an SVG
    or XML file, not a page); None for a file that is no document, or XML that is only data."""
    lower = name.lower()
    if not is_document(lower):
        return None
    if lower.endswith(".svgz"):
        with contextlib.suppress(OSError, EOFError, zlib.error):  # else read as it is
            data = gzip.decompress(data)
    text = _decode(data)
    if lower.endswith(_PAGE_SUFFIXES):
        return text, False
    if lower.endswith(_XML_SUFFIXES) and not _ACTIVE_XML.search(text):
        return None
    return text, True


def _decode(data: bytes) -> str:
    """Text as browsers decode a file: a byte order mark, or UTF-16 that an XML file may be
    written in without one, wins over the UTF-8 that the server declares."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"<\0"):
        return data.decode("utf-16-le", errors="replace")
    if data.startswith(b"\0<"):
        return data.decode("utf-16-be", errors="replace")
    return data.decode("utf-8", errors="replace")


def page(
    text: str, path: str = "index.html", base_path: str = "/", *, standalone: bool = False
) -> PageAudit:
    """Everything on one HTML page (at `path` in its site) that could run code or navigate away
    by itself, and the scripts of its frame for `SiteAudit` to compare across pages. A `standalone`
    document (SVG, XML) has no frame: all of it is judged as page content is."""
    findings: list[AuditFinding] = []
    scripts: list[Script] = []
    ids: set[str] = set()
    fragments: list[tuple[int, str]] = []
    links: list[Link] = []
    article_depth = 1 if standalone else 0
    where = "in an SVG or XML file" if standalone else "inside the page content"

    def report(message: str, at: int) -> None:
        line = text.count("\n", 0, at) + 1
        findings.append(AuditFinding(line, at - (text.rfind("\n", 0, at) + 1) + 1, message))

    if standalone:
        for match in _STYLESHEET.finditer(text):
            kind = _PSEUDO_TYPE.search(match.group(1))
            if kind is None or kind.group(2).strip(_ASCII_SPACE).lower() != "text/css":
                report("an XSLT stylesheet (<?xml-stylesheet?>) is not allowed", match.start())
    for offset, closing, tag, attributes in _tags(text):
        if tag == "article" and not standalone:
            article_depth += -1 if closing else 1
            continue
        if closing:
            continue

        if tag == "script" and article_depth == 0 and _is_data(attributes):
            problem = _data_problem(text, offset)
            if problem:
                report(problem, offset)
        elif tag == "script" and article_depth == 0:
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            scripts.append(
                Script(_fingerprint(text, offset, attributes, path, base_path), line, column)
            )
        if tag in _NEVER:
            report(f"<{tag}> is not allowed", offset)
        elif tag == "style" and standalone:  # how SVG files are styled: judged as style= is
            body = text[text.find(">", offset) + 1 :]
            close = re.search(r"</style[\s/>]", body, re.I)
            if _loads(body[: close.start() if close else len(body)]):
                report("<style> loads or runs something", offset)
        elif tag in _THEME_ONLY and article_depth > 0:
            report(f"<{tag}> is not allowed {where}", offset)
        for name, value in attributes:
            if name.startswith("on"):
                report(f"event handler attribute {name}= on <{tag}>", offset)
            elif name in _URL_ATTRIBUTES or (name in _ANIMATED_URL and tag in ("animate", "set")):
                for url in value.split(",") if name.endswith("srcset") else [value]:
                    scheme = _IGNORED_IN_URLS.sub("", url).strip(_C0_OR_SPACE).lower()
                    if scheme.startswith(_BAD_SCHEMES):
                        report(f"{scheme.split(':')[0]}: URL in {name}= on <{tag}>", offset)
            elif name == "style" and _loads(value):
                report(f"style= on <{tag}> loads or runs something", offset)
            if name == "id" or (name == "name" and tag == "a"):
                ids.add(value)
            if name == "href" and value.startswith("#") and len(value) > 1:
                fragments.append((offset, value[1:]))
            elif (name, tag) in _LINKS:
                resolved = _resolve(value, path, base_path)
                if resolved is not None:
                    line = text.count("\n", 0, offset) + 1
                    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
                    links.append(Link(line, column, *resolved, value))
        if tag == "meta" and any(
            name == "http-equiv" and value.strip().lower() == "refresh"
            for name, value in attributes
        ):
            report("<meta http-equiv=refresh> is not allowed", offset)
    for offset, target in fragments:
        if target not in ids:
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            findings.append(
                AuditFinding(line, column, f"link to #{target} has no target on this page")
            )
    return PageAudit(findings, scripts, ids, links)


def _is_data(attributes: list[tuple[str, str]]) -> bool:
    """A JSON-LD block: browsers never run a script of that type, so it may differ by page."""
    kinds = [value for name, value in attributes if name == "type"]
    sources = [value for name, value in attributes if name == "src"]
    return (
        not sources
        and bool(kinds)
        and kinds[0].strip(_ASCII_SPACE).lower() == "application/ld+json"
    )


def _data_problem(text: str, offset: int) -> str | None:
    start = text.find(">", offset) + 1
    end = text.lower().find("</script", start)
    body = text[start : end if end >= 0 else len(text)]
    if "<" in body:  # '<!--' and '<script' change where the element ends
        return "'<' inside a JSON-LD block"
    try:
        json.loads(body)
    except ValueError:
        return "a JSON-LD block that is not valid JSON"
    return None


_LINKS = frozenset({("href", "a"), ("href", "link"), ("src", "img"), ("src", "script"),
                    ("src", "source")})  # fmt: skip
_DIRECTORY = re.compile(r"(^|/)\.{0,2}$")


def _resolve(url: str, path: str, base_path: str) -> tuple[str, str] | None:
    """A link from the page at `path`, as (file in the site, fragment); None when it leaves
    the site (another host or scheme) or stays on the page."""
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    written = unquote(parts.path)
    if written.startswith("/"):
        target = written[len(base_path) :] if written.startswith(base_path) else written[1:]
    else:
        target = posixpath.join(posixpath.dirname(path), written)
    is_folder = written.endswith("/") or bool(_DIRECTORY.search(written))
    target = posixpath.normpath(target) if target else "."
    if is_folder:
        target = "index.html" if target == "." else f"{target}/index.html"
    return target, parts.fragment


def _loads(css: str) -> bool:
    """Whether CSS loads or runs something; 'url(#id)', a part of the same document, does not."""
    return _STYLE_DANGER.search(_LOCAL_URL.sub("", _css_text(css))) is not None


def _css_text(value: str) -> str:
    """CSS as the browser reads it: comments gone, escapes such as 'u\\rl(' decoded."""

    def unescape(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return match.group(2) or ""

    return _CSS_ESCAPE.sub(unescape, _CSS_COMMENT.sub("", value))


_RELATIVE_BASE = re.compile(r"(?<=[\"'])(?:\.\.?(?:/|(?=[\"'])))+")
"""'../../assets/x' -> 'assets/x', '../..' -> '', '.' -> '' (inside a string literal)."""


def _fingerprint(
    text: str, offset: int, attributes: list[tuple[str, str]], path: str, base_path: str
) -> str:
    """The script as it would read on the site's home page: a same-site `src` resolved from
    `path`, or the inline code with its relative paths ('../..', '.') made site-absolute."""
    source = dict(attributes).get("src")
    if source is not None:
        if source.startswith(base_path):
            return "src:" + source[len(base_path) :]
        if "//" in source or ":" in source.split("/")[0]:
            return "src:" + source  # another host: on every page or not, it is reported
        return "src:" + posixpath.normpath(posixpath.join(posixpath.dirname(path), source))
    start = text.find(">", offset) + 1
    end = text.lower().find("</script", start)
    body = text[start : end if end >= 0 else len(text)]
    body = body.replace(f'"{base_path}', '"').replace(f"'{base_path}", "'")
    return "inline:" + _RELATIVE_BASE.sub("", body)


def _tags(text: str) -> Iterator[tuple[int, bool, str, list[tuple[str, str]]]]:
    """(offset, is_closing, lowercase tag name, decoded attributes) of every tag."""
    position = 0
    end = len(text)
    foreign = 0  # depth of <svg> and <math>
    while True:
        match = _MARKUP.search(text, position)
        if match is None:
            return
        if match.group(2) is None:  # comment, doctype, processing instruction
            position = match.end()
            continue
        closing, tag = match.group(1) == "/", match.group(2).lower()
        attributes: list[tuple[str, str]] = []
        position = match.end()
        while position < end:
            attribute = _ATTRIBUTE.match(text, position)
            assert attribute is not None  # the pattern can match the empty string
            position = attribute.end()
            name, value = attribute.group(1), attribute.group(2)
            if name is None:
                break
            if value is not None and value[:1] in "\"'":
                value = value[1:-1] if len(value) > 1 and value[-1] == value[0] else value[1:]
            attributes.append((name.lower(), html.unescape(value or "")))
        position = text.find(">", position)
        position = end if position < 0 else position + 1
        yield match.start(), closing, tag, attributes
        if tag in _FOREIGN:
            foreign = max(0, foreign + (-1 if closing else 1))
        if tag in _RAW_TEXT and not closing and not foreign:
            close = re.compile(rf"</{tag}[\s/>]", re.IGNORECASE).search(text, position)
            position = close.start() if close else end
