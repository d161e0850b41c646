"""The post-build audit finds what could run code or navigate away, however it is written."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from generator.built import audit, page_audit


def messages(html: str) -> list[str]:
    return [finding.message for finding in page_audit.page(html).findings]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<img src=x onerror=alert(1)>", "event handler attribute onerror= on <img>"),
        ("<a/onmouseover=x>", "event handler attribute onmouseover= on <a>"),
        ('<a title=x"y onclick=alert(1)>', "event handler attribute onclick= on <a>"),
        ("<BODY ONLOAD=x>", "event handler attribute onload= on <body>"),
        ('<a href="javascript:alert(1)">', "javascript: URL in href= on <a>"),
        ('<a href=" JaVaScRiPt:alert(1)">', "javascript: URL in href= on <a>"),
        ('<a href="jav&#x09;ascript:x">', "javascript: URL in href= on <a>"),
        ('<a href="jav&#x0A;ascript:x">', "javascript: URL in href= on <a>"),
        ('<a href="java&#0000010;script:x">', "javascript: URL in href= on <a>"),
        (
            '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;x">',
            "javascript: URL in href= on <a>",
        ),
        (
            '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;x">',
            "javascript: URL in href= on <a>",
        ),
        # browsers strip leading C0 controls and spaces from URLs
        ('<a href="&#x0E; javascript:x">', "javascript: URL in href= on <a>"),
        ('<a href="\x01\x1f javascript:x">', "javascript: URL in href= on <a>"),
        ("<img src='vbscript:msgbox(1)'>", "vbscript: URL in src= on <img>"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">', "data: URL in href= on <a>"),
        ('<img srcset="a.png 1x, javascript:x 2x">', "javascript: URL in srcset= on <img>"),
        ("<form action=javascript:x>", "javascript: URL in action= on <form>"),
        (
            "<svg><animate attributeName=href values=javascript:alert(1) /></svg>",
            "javascript: URL in values= on <animate>",
        ),
        ('<div style="background:url(javascript:x)">', "style= on <div> loads or runs something"),
        ('<div style="width: expression(alert(1))">', "style= on <div> loads or runs something"),
        ("<IFRAME SRC=x>", "<iframe> is not allowed"),
        ("<object data=x>", "<object> is not allowed"),
        ("<embed src=x>", "<embed> is not allowed"),
        ("<base href=x>", "<base> is not allowed"),
        (
            '<meta http-equiv="Refresh" content="0;url=x">',
            "<meta http-equiv=refresh> is not allowed",
        ),
        (
            "<article><script>x</script></article>",
            "<script> is not allowed inside the page content",
        ),
        ("<article><form></form></article>", "<form> is not allowed inside the page content"),
        # JSON-LD is data, not code, only while it is plain JSON that cannot end its element
        (
            '<script type="application/ld+json">{"a": </script>',
            "a JSON-LD block that is not valid JSON",
        ),
        (
            '<script type="application/ld+json">{"a": "<!--<script>"}</script>',
            "'<' inside a JSON-LD block",
        ),
        (
            '<article><script type="application/ld+json">{}</script></article>',
            "<script> is not allowed inside the page content",
        ),
        ("<article><style>p{}</style></article>", "<style> is not allowed inside the page content"),
        ('<a href="#missing">x</a>', "link to #missing has no target on this page"),
        # comments that end at once, and markup in SVG and MathML, as browsers parse them
        ("<!--><img src=x onerror=alert(1)>-->", "event handler attribute onerror= on <img>"),
        ("<!---><img src=x onerror=alert(1)>-->", "event handler attribute onerror= on <img>"),
        (
            "<svg><title><img src=x onerror=a></title></svg>",
            "event handler attribute onerror= on <img>",
        ),
        (
            "<svg><xmp><img src=x onerror=a></xmp></svg>",
            "event handler attribute onerror= on <img>",
        ),
        (
            "<math><noframes><img src=x onerror=a></noframes></math>",
            "event handler attribute onerror= on <img>",
        ),
        # styles that load something, however they are spelled
        ('<div style="background:u\\rl(https://x)">', "style= on <div> loads or runs something"),
        ('<div style="background:ur/**/l(https://x)">', "style= on <div> loads or runs something"),
        (
            "<div style=\"background-image:image-set('https://x' 1x)\">",
            "style= on <div> loads or runs something",
        ),
    ],
)
def test_findings(html: str, expected: str | None) -> None:
    assert messages(html) == ([expected] if expected else [])


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://doi.org/10.1056/NEJMoa2403991">doi</a>',
        '<a href="../tags/x/">tag</a> <a href="mailto:a@b.c">mail</a>',
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript: onerror=</p>",
        "<!-- <script>alert(1)</script> --><p>ok</p>",
        "<title>&lt;/title&gt;</title>",
        "<textarea><img src=x onerror=alert(1)></textarea>",
        '<script>if (a<b) { x = "<img src=x onerror=y>" }</script>',
        '<meta name="description" content="javascript: is fine in text">',
        '<div style="color: red">',
        '<p id="ref.1">r</p><a href="#ref.1">1</a>',
        "<form class=md-search__form></form><article><p>x</p></article>",
    ],
)
def test_no_findings(html: str) -> None:
    assert messages(html) == []


def test_position_of_a_finding() -> None:
    (finding,) = page_audit.page("<p>\n  text <img src=x\n onerror=y></p>").findings
    assert (finding.line, finding.column) == (2, 8)


FRAME = (
    "<html><head><script>var base = new URL({base!r}, location)</script>"
    '<script src="{prefix}assets/bundle.js"></script></head>'
    "<body><article>{content}</article>{extra}</body></html>"
)


def frame(prefix: str, base: str, content: str = "<p>x</p>", extra: str = "") -> str:
    return FRAME.format(prefix=prefix, base=base, content=content, extra=extra)


def test_scripts_of_the_theme_are_those_on_every_page() -> None:
    site = audit.SiteAudit()
    site.add("index.html", frame("", "."))
    site.add("a/index.html", frame("../", ".."))
    site.add("a/b/index.html", frame("../../", "../.."))
    site.add("404.html", frame("/", "/"))
    assert site.findings() == {}

    # Data for search engines differs from page to page and is not run
    json_ld = '<script type=" Application/LD+JSON ">{"name": "\\u003cb\\u003e"}</script>'
    site.add("e/index.html", frame("../", "..", extra=json_ld))
    assert site.findings() == {}

    site.add("c/index.html", frame("../", "..", extra="<script>alert(document.cookie)</script>"))
    site.add("d/index.html", frame("../", "..", extra='<script src="https://evil.example/x.js">'))
    found = site.findings()
    assert list(found) == ["c/index.html", "d/index.html"]
    assert [f.message for f in found["c/index.html"]] == ["a script that is not part of the theme"]
    assert [f.message for f in found["d/index.html"]] == ["a script that is not part of the theme"]


def test_links_must_reach_pages_files_and_anchors_of_the_site() -> None:
    site = audit.SiteAudit()
    site.add("index.html", '<p id="top">x</p><a href="a/">a</a><a href="a/#part">part</a>')
    site.add(
        "a/index.html",
        '<h2 id="part">p</h2><a href="../">home</a><a href="../b/">missing</a>'
        '<a href="../#nowhere">bad anchor</a><img src="../assets/x.png">'
        '<a href="https://doi.org/x">out</a><a href="mailto:a@b.c">mail</a>',
    )
    found = site.findings({"index.html", "a/index.html", "assets/x.png"})
    assert list(found) == ["a/index.html"]
    assert [f.message for f in found["a/index.html"]] == [
        "link to ../b/: there is no such page or file in the site",
        "link to ../#nowhere: index.html has no anchor #nowhere",
    ]
    # Without the list of files, only anchors of known pages are judged.
    assert [f.message for f in site.findings()["a/index.html"]] == [
        "link to ../#nowhere: index.html has no anchor #nowhere"
    ]


def test_judging_again_only_what_changed_finds_what_judging_all_finds() -> None:
    """Under `mkdocs serve`, a save's audit judges again only the pages audited anew and those
    linking to them or to a file come or gone; it must find what judging every page finds."""
    site = {
        "index.html": frame("", ".", '<a href="a/#x">a</a><a href="b/">b</a><a href="f.png">f</a>'),
        "a/index.html": frame("../", "..", '<h2 id="x">x</h2><a href="../b/#y">to b</a>'),
        "b/index.html": frame("../", "..", '<h2 id="y">y</h2><a href="../c/">to c</a>'),
        "c/index.html": frame("../", "..", '<p id="z">z</p>'),
    }
    files = {*site, "a", "b", "c", "f.png", "assets", "assets/bundle.js"}
    steps: list[tuple[str, str | None]] = [
        ("b/index.html", site["b/index.html"].replace('id="y"', 'id="w"')),  # a's link breaks
        ("c/index.html", None),  # b's link to c breaks
        ("c/index.html", frame("../", "..", '<p id="z">back</p>')),  # and is mended
        ("f.png", None),  # a file goes: the home page's link breaks
        ("a/index.html", frame("../", "..", '<h2 id="x">x</h2>', "<script>x()</script>")),
        ("b/index.html", site["b/index.html"]),
    ]
    last_audit = audit.SiteAudit()
    for name, page_text in site.items():
        last_audit.add(name, page_text)
    last_audit.findings(set(files))
    judged = last_audit.judged
    seen = []
    for path, text in steps:
        if text is None:
            site.pop(path, None)
            files.discard(path)
        elif path.endswith(".html"):
            site[path] = text
            files.add(path)
        again, fresh = audit.SiteAudit(), audit.SiteAudit()
        for name, page_text in site.items():
            if name == path:
                again.add(name, page_text)
            else:
                again.reuse(name, last_audit.pages[name])  # as kept: the same audit
            fresh.add(name, page_text)
        expected = fresh.findings(set(files))
        assert again.findings(set(files), judged) == expected, path
        seen.append(sorted(expected))
        last_audit, judged = again, again.judged
    assert seen == [
        ["a/index.html"],
        ["a/index.html", "b/index.html"],
        ["a/index.html"],
        ["a/index.html", "index.html"],
        ["a/index.html", "index.html"],  # a's script
        ["a/index.html", "index.html"],
    ]


def test_the_audit_beside_the_build_finds_what_the_inline_one_does(seed_site: Path) -> None:
    site = {
        path.relative_to(seed_site).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(seed_site.rglob("*.html"))
    }
    about = site["about/index.html"]
    site["about/index.html"] = about.replace("</article>", '<a onclick="x()">x</a></article>')
    # Enough pages for the second process to start (it does once a batch is waiting).
    copies = [f"copy{n}/" for n in range(-(-3 * audit._BATCH // len(site)))]
    pages = {prefix + path: text for prefix in ["", *copies] for path, text in site.items()}
    inline, beside, broken = (
        audit.SiteAudit(),
        audit.SiteAudit(beside=True),
        audit.SiteAudit(beside=True),
    )
    for index, (path, text) in enumerate(pages.items()):
        inline.add(path, text)
        beside.add(path, text)
        if index == audit._BATCH + 2 and broken._pool is not None:
            # As when MkDocs is run from a script without a main guard: the process dies.
            for process in list(broken._pool._processes.values()):
                process.kill()
                process.join()
        broken.add(path, text)
    assert beside._pool is not None  # started
    assert broken._pool is None  # and found dead
    names = {path.relative_to(seed_site).as_posix() for path in seed_site.rglob("*")}
    files = {prefix + name for prefix in ["", *copies] for name in names}
    expected = inline.findings(files)
    script = "a script that is not part of the theme"
    for prefix in ["", *copies]:
        assert any(script in finding.message for finding in expected[prefix + "about/index.html"])
    assert beside.findings(files) == expected
    assert broken.findings(files) == expected


def test_a_few_pages_are_audited_without_a_second_process(seed_site: Path) -> None:
    """A save under `mkdocs serve` rebuilds a page or two: no process is started for them."""
    checked = audit.SiteAudit(beside=True)
    for path in sorted(seed_site.rglob("*.html"))[: audit._BATCH - 1]:
        checked.add(path.relative_to(seed_site).as_posix(), path.read_text(encoding="utf-8"))
    assert checked.findings() == {}
    assert checked._pool is None
    assert len(checked.pages) > 1


SVG = '<svg xmlns="http://www.w3.org/2000/svg">{}</svg>'
XHTML_NS = '<html xmlns="http://www.w3.org/1999/xhtml"><body>{}</body></html>'
IN_A_FILE = "is not allowed in an SVG or XML file"
XSLT = '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="style.xsl"?>\n<r/>'


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.svg", SVG.format("<script>alert(1)</script>"), f"<script> {IN_A_FILE}"),
        ("a.SVG", SVG.format('<rect onload="x()"/>'), "event handler attribute onload= on <rect>"),
        (
            "a.svg",
            SVG.format("<style>@import url(x.css)</style>"),
            "<style> loads or runs something",
        ),
        ("a.svg", SVG.format('<a href="javascript:x">x</a>'), "javascript: URL in href= on <a>"),
        (
            "a.svg",
            SVG.format('<foreignObject><iframe src="x"/></foreignObject>'),
            "<iframe> is not allowed",
        ),
        ("a.xml", XHTML_NS.format("<script>x()</script>"), f"<script> {IN_A_FILE}"),
        ("a.xml", XSLT, "an XSLT stylesheet (<?xml-stylesheet?>) is not allowed"),
        (
            "a.xsl",
            '<x:stylesheet xmlns:x="http://www.w3.org/1999/XSL/Transform"><script/></x:stylesheet>',
            f"<script> {IN_A_FILE}",
        ),
        ("a.rss", XHTML_NS.format("<form>"), f"<form> {IN_A_FILE}"),
        ("a.htm", "<p onclick=x>", "event handler attribute onclick= on <p>"),
        ("a.shtml", "<iframe src=x>", "<iframe> is not allowed"),
        ("a.xhtml", XHTML_NS.format("<object data=x>"), "<object> is not allowed"),
        ("a.xht", "<embed src=x>", "<embed> is not allowed"),
    ],
)
def test_every_file_a_browser_shows_as_a_document_is_audited(
    name: str, data: str, expected: str
) -> None:
    site = audit.SiteAudit()
    site.add_file(name, data.encode())
    assert [finding.message for finding in site.findings()[name]] == [expected]


def test_documents_decoded_as_browsers_decode_them() -> None:
    script = SVG.format("<script>alert(1)</script>")
    compressed, utf16 = gzip.compress(script.encode()), "\ufeff<p onclick=x>".encode("utf-16-le")
    for name, data in [
        ("a.svgz", compressed),
        ("b.html", utf16),
        ("c.svg", script.encode("utf-16-be")),
    ]:
        site = audit.SiteAudit()
        site.add_file(name, data)
        assert list(site.findings()) == [name], name


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "sitemap.xml",
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>x</loc></url></urlset>',
        ),
        ("feed.rss", "<rss><channel><link>https://example.org/</link></channel></rss>"),
        ("a.xml", '<?xml-stylesheet type="text/css" href="a.css"?><r/>'),
        (
            "logo.svg",
            SVG.format(
                '<defs><linearGradient id="g"/></defs><style>rect { fill: url(#g) }</style>'
                '<rect style="fill:url(&quot;#g&quot;)"/>'
            ),
        ),
        ("data.json", "<script>alert(1)</script>"),
        ("notes.txt", "<script>alert(1)</script>"),
    ],
)
def test_data_and_plain_images_pass(name: str, data: str) -> None:
    site = audit.SiteAudit()
    site.add_file(name, data.encode())
    assert site.findings() == {}


def test_a_page_without_scripts_does_not_make_the_themes_suspect() -> None:
    site = audit.SiteAudit()
    site.add("index.html", frame("", "."))
    site.add("a/index.html", frame("../", ".."))
    site.add("plain.html", "<p>A hand-written page</p>")
    site.add_file("logo.svg", SVG.format("<rect/>").encode())
    assert site.findings() == {}
