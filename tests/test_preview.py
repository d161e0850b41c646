"""Reviewers: a preview of a pull request, served under a sub-path, and what changed in it."""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from playwright.sync_api import Browser

from generator.built.preview import Preview, PreviewError
from tests.browser import DESKTOP, PHONE, SCHEMES, axe, screenshot, search
from tests.conftest import SEED_FILE, SEED_ID, Project, copy_project, files_holding, text_of

GIT = ["git", "-c", "user.name=Reviewer", "-c", "user.email=reviewer@example.invalid"]

OLD = """\
id: old-entry
question: Was this ever right?
last_reviewed: 2026-01-05
answer: ["It was."]
"""
ADDED = """\
id: added-entry
question: Is this new?
last_reviewed: 2026-11-20
answer: ["It is."]
"""

# Drafts, each with a word found nowhere else, in its id, question and answer: no text of a
# draft may reach a preview, whether it is added, changed, removed, or a published entry made
# a draft again.
NEW_DRAFT = """\
id: quixotrane-draft
draft: true
question: Does quixotrane help?
last_reviewed: 2026-11-20
answer: ["Quixotrane is not yet checked."]
"""
KEPT_DRAFT = """\
id: velmorastat-draft
draft: true
question: Does velmorastat help?
last_reviewed: 2026-11-20
answer: ["Velmorastat is not yet checked."]
"""
DROPPED_DRAFT = """\
id: zorbulimab-draft
draft: true
question: Is zorbulimab safe?
last_reviewed: 2026-11-20
answer: ["Zorbulimab is not yet checked."]
"""
WITHDRAWN = """\
id: plindazole-entry
question: Does plindazole help?
last_reviewed: 2026-11-20
answer: ["Plindazole was thought to help."]
"""
# What a draft said before it was published was never published either.
DRAFT_WORDS = ("quixotrane", "velmorastat", "zorbulimab", "plindazole", "frobnicated")
RELEASED = """\
id: released-entry
draft: true
question: Is this ready now?
last_reviewed: 2026-11-20
answer: ["Frobnicated, not yet ready."]
"""


def git(project: Project, *arguments: str) -> str:
    result = subprocess.run(
        [*GIT, *arguments], cwd=project.root, capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A repository whose working tree adds an entry, changes one and removes one; adds a
    draft, changes one, removes one, publishes one, and makes a published entry a draft."""
    project = copy_project(tmp_path_factory.mktemp("pull-request") / "project")
    project.write("content/evidence/old-entry.yaml", OLD)
    project.write("content/evidence/velmorastat-draft.yaml", KEPT_DRAFT)
    project.write("content/evidence/zorbulimab-draft.yaml", DROPPED_DRAFT)
    project.write("content/evidence/plindazole-entry.yaml", WITHDRAWN)
    project.write("content/evidence/released-entry.yaml", RELEASED)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "published")
    project.path("content/evidence/old-entry.yaml").unlink()
    project.path("content/evidence/zorbulimab-draft.yaml").unlink()
    project.write("content/evidence/added-entry.yaml", ADDED)
    project.write("content/evidence/quixotrane-draft.yaml", NEW_DRAFT)
    project.edit("content/evidence/velmorastat-draft.yaml", "help?", "help at all?")
    project.edit(
        "content/evidence/plindazole-entry.yaml", "\nquestion:", "\ndraft: true\nquestion:"
    )
    project.edit("content/evidence/released-entry.yaml", "draft: true\n", "")
    project.edit("content/evidence/released-entry.yaml", "Frobnicated, not yet ready.", "It is.")
    project.edit(
        SEED_FILE, "question: What is the evidence", "question: What is the current evidence"
    )
    project.edit(SEED_FILE, "  - neuroendocrine tumors\n", "  - neuroendocrine tumours\n")
    project.edit(SEED_FILE, "estimate: 0.23", "estimate: 0.25")
    project.edit(SEED_FILE, "demonstrated a significant", "showed a clear")
    project.edit(SEED_FILE, "last_reviewed: 2026-11-24", "last_reviewed: 2026-11-20")
    return project


class SubPathServer(http.server.SimpleHTTPRequestHandler):
    """Serves the site only under /pr-12/, and its 404 page for anything else, as Pages does."""

    def translate_path(self, path: str) -> str:
        route = urllib.parse.urlsplit(path).path
        if not route.startswith("/pr-12/"):
            return "/nonexistent"
        return super().translate_path("/" + route[len("/pr-12/") :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = Path(self.directory, "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *arguments: object) -> None:
        pass


@pytest.fixture(scope="module")
def preview(pull_request: Project) -> Iterator[tuple[Path, str]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SubPathServer)
    base = f"http://127.0.0.1:{server.server_address[1]}/pr-12/"
    result = pull_request.generator(
        "build",
        environment={
            "EVIDENCE_PREVIEW_PR": "12",
            "EVIDENCE_PREVIEW_URL": base,
            "EVIDENCE_PREVIEW_BASE": "main",
            "EVIDENCE_PUBLISHED_URL": "https://evidence.example/",
        },
    )
    assert result.returncode == 0, result.stderr
    site = pull_request.path("site")
    server.RequestHandlerClass = functools.partial(SubPathServer, directory=str(site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site, base
    finally:
        server.shutdown()
        server.server_close()


def pages_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_page_has_the_banner_and_no_indexing(preview: tuple[Path, str]) -> None:
    site, _ = preview
    for name in pages_of(site):
        page = BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")
        banner = page.find("p", class_="evidence-preview")
        assert isinstance(banner, Tag), name
        assert text_of(banner) == "Preview of pull request 12 — not the published site"
        assert banner.find("a")["href"] == "https://evidence.example/"  # type: ignore[index]
        robots = page.find("meta", attrs={"name": "robots"})
        assert isinstance(robots, Tag), name
        assert robots["content"] == "noindex, nofollow"
    assert not (site / "sitemap.xml").exists()
    assert not (site / "sitemap.xml.gz").exists()


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def links(html: bytes, url: str) -> set[str]:
    page = BeautifulSoup(html, "html.parser")
    found = set()
    for element in page.find_all(["a", "link", "script", "img"]):
        target = element.get("href") or element.get("src")
        if target and not str(target).startswith(("#", "mailto:")):
            absolute = urllib.parse.urljoin(url, str(target))
            if absolute.startswith(url.split("/pr-12/", maxsplit=1)[0]):  # this server, not others
                found.add(urllib.parse.urldefrag(absolute).url)
    return found


def test_pages_assets_and_the_404_page_work_under_the_sub_path(preview: tuple[Path, str]) -> None:
    site, base = preview
    checked: set[str] = set()
    for name in pages_of(site):
        if name == "404.html":
            continue
        url = base + name.removesuffix("index.html")
        status, html = fetch(url)
        assert status == 200, url
        for target in links(html, url) - checked:
            assert fetch(target)[0] == 200, f"{target} (linked from {url})"
            checked.add(target)
    assert any(target.endswith(".css") for target in checked)
    assert any(target.endswith(".js") for target in checked)

    missing = base + "no-such-page/"
    status, html = fetch(missing)
    assert status == 404
    assert b"Preview of pull request 12" in html
    for target in links(html, missing):
        assert fetch(target)[0] == 200, f"{target} (linked from the 404 page)"


SEED_QUESTION = "What is the current evidence for the use of cabozantinib in neuroendocrine tumors?"
HAZARD_RATIO = (
    "CABINET (Alliance A021602), Pancreatic neuroendocrine tumors, Progression-free survival, "
    "Cabozantinib vs Placebo, hazard ratio"
)


def before_and_after(part: Tag) -> tuple[str, list[str], str, list[str]] | str:
    """A changed part on the page of changes: each side's text and its marked words."""
    before = part.select_one(".evidence-change__before")
    after = part.select_one(".evidence-change__after")
    if before is None or after is None:
        return text_of(part)
    marked = [text_of(d) for d in part("del")], [text_of(i) for i in part("ins")]
    return text_of(before), marked[0], text_of(after), marked[1]


def test_the_page_of_changes(preview: tuple[Path, str]) -> None:
    site, _ = preview
    page = BeautifulSoup((site / "changes" / "index.html").read_text(), "html.parser")
    rows = [[text_of(td) for td in tr.find_all("td")] for tr in page.find_all("tr")][1:]
    assert rows == [
        ["Is this new?", "added", ""],
        [
            SEED_QUESTION,
            "changed",
            f"Question; Last reviewed; Tags; {HAZARD_RATIO}; Summary, paragraph 1",
        ],
        ["Was this ever right?", "removed", ""],
        ["Is this ready now?", "changed", "Answer, Draft"],
        # A draft's row says which sections changed, never a word of the entry.
        ["A published entry, now a draft (not shown)", "changed", "Draft"],
        ["A draft (not shown)", "added", ""],
        ["A draft (not shown)", "changed", "Question"],
        ["A draft (not shown)", "removed", ""],
    ]
    targets = [a["href"] for a in page.select("td a")]
    assert targets == [
        "../evidence/added-entry/",
        f"../evidence/{SEED_ID}/",
        "../evidence/released-entry/",
    ]
    nav = [text_of(a) for a in page.select("nav.md-nav--primary a.md-nav__link")]
    assert "Changes in this preview" in nav

    # Below the table, each published change: the entry, then each part before and after.
    headings = [text_of(h) for h in page.select("article h2, article h3")]
    assert headings == [
        "Is this new?",
        SEED_QUESTION,
        "Question",
        "Last reviewed",
        "Tags",
        HAZARD_RATIO,
        "Summary, paragraph 1",
        "Was this ever right?",
        "Is this ready now?",
    ]
    # A new entry shows its page; a removed one its last title.
    entries = {text_of(h2): h2.find("a", class_=False) for h2 in page.select("article h2")}
    assert [a["href"] if isinstance(a, Tag) else None for a in entries.values()] == [
        "../evidence/added-entry/",
        f"../evidence/{SEED_ID}/",
        None,
        "../evidence/released-entry/",
    ]
    shown = [before_and_after(part) for part in page.select(".evidence-change")]
    assert shown == [
        (
            "Before: What is the evidence for the use of cabozantinib in neuroendocrine tumors?",
            [],
            f"After: {SEED_QUESTION}",
            ["current"],
        ),
        ("Before: 2026-11-24", ["2026-11-24"], "After: 2026-11-20", ["2026-11-20"]),
        (
            "Before: cabozantinib, neuroendocrine tumors",
            ["tumors"],
            "After: cabozantinib, neuroendocrine tumours",
            ["tumours"],
        ),
        ("Before: 0.23", ["0.23"], "After: 0.25", ["0.25"]),
        (
            "Before: This study demonstrated a significant improvement in progression-free "
            "survival (PFS) for both cohorts treated with cabozantinib compared to placebo. "
            "Specifically, the median PFS was 8.4 months for extrapancreatic NETs and 13.8 "
            "months for pancreatic NETs, indicating a substantial benefit in delaying disease "
            "progression.[1]",
            ["demonstrated", "significant"],
            "After: This study showed a clear improvement in progression-free survival (PFS) for "
            "both cohorts treated with cabozantinib compared to placebo. Specifically, the "
            "median PFS was 8.4 months for extrapancreatic NETs and 13.8 months for pancreatic "
            "NETs, indicating a substantial benefit in delaying disease progression.[1]",
            ["showed", "clear"],
        ),
    ]
    # A draft published: what it said as a draft was never published, so only its page shows.
    assert "A draft until now, published for the first time: read its page." in text_of(page)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_page_of_changes_in_a_browser(
    browser: Browser, preview: tuple[Path, str], viewport: str
) -> None:
    """What a reviewer sees: the changed words marked, readable on a phone, in both palettes;
    a screenshot of each is left in test-output/screenshots/."""
    _, base = preview
    phone = viewport == "phone"
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP, device_scale_factor=2 if phone else 1
    )
    try:
        page = context.new_page()
        page.goto(base + "changes/", wait_until="networkidle")
        assert page.locator(".evidence-change del").first.is_visible()
        assert page.locator(".evidence-change ins").first.is_visible()
        struck = page.locator(".evidence-change del").first.evaluate(
            "e => getComputedStyle(e).textDecorationLine"
        )
        assert struck == "line-through"
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            assert axe(page) == [], scheme
        page.emulate_media(color_scheme="light")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= (PHONE if phone else DESKTOP)["width"]
        screenshot(page, f"changes-page-{viewport}")
    finally:
        context.close()


def test_search_works_under_the_sub_path(browser: Browser, preview: tuple[Path, str]) -> None:
    """The search box loads its index from the preview's own folder, and its results lead to
    the preview's pages, never to the published site's or the host's root."""
    _, base = preview
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(base + "about/", wait_until="networkidle")
        found = search(page, "Is this new")
        assert found[0] == "/pr-12/evidence/added-entry/", found
        page.locator(".md-search-result__link").first.click()
        page.wait_for_url(base + "evidence/added-entry/")
        assert page.locator("h1").inner_text().startswith("Is this new?")
    finally:
        context.close()


def test_no_text_of_a_draft_reaches_the_preview(preview: tuple[Path, str]) -> None:
    site, _ = preview
    # What a published entry says is found, in the search index too: the search below can fail.
    holding = files_holding(site, "Is this new?")
    assert [name for name in holding if not name.startswith("pagefind/")] == [
        "changes/index.html",
        "evidence/added-entry/index.html",
        "index.html",
    ]
    assert any(name.startswith("pagefind/fragment/") for name in holding), holding
    for word in DRAFT_WORDS:
        assert files_holding(site, word) == [], word


def test_changes_and_diff_on_the_command_line(pull_request: Project) -> None:
    text = pull_request.generator("changes", "main")
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines() == [
        "added    added-entry (content/evidence/added-entry.yaml)",
        "  New page evidence/added-entry/: Is this new?",
        f"changed  {SEED_ID} ({SEED_FILE})",
        "  Question: What is the {+current+} evidence for the use of cabozantinib in "
        "neuroendocrine tumors?",
        "  Last reviewed: [-2026-11-24-]{+2026-11-20+}",
        "  Tags: cabozantinib, neuroendocrine [-tumors-]{+tumours+}",
        f"  {HAZARD_RATIO}: [-0.23-]{{+0.25+}}",
        "  Summary, paragraph 1: This study [-demonstrated-]{+showed+} a [-significant-]"
        "{+clear+} improvement in progression-free survival (PFS …",
        "removed  old-entry (content/evidence/old-entry.yaml)",
        "  Page evidence/old-entry/ removed; its title was: Was this ever right?",
        "changed  plindazole-entry (content/evidence/plindazole-entry.yaml) [now a draft]",
        "  Draft (new): {+true+}",
        "added    quixotrane-draft (content/evidence/quixotrane-draft.yaml) [draft]",
        "  New page evidence/quixotrane-draft/: Does quixotrane help?",
        "changed  released-entry (content/evidence/released-entry.yaml) [no longer a draft]",
        "  Answer, paragraph 1: [-Frobnicated, not yet ready-]{+It is+}.",
        "  Draft (removed): [-true-]",
        "changed  velmorastat-draft (content/evidence/velmorastat-draft.yaml) [draft]",
        "  Question: Does velmorastat help {+at all+}?",
        "removed  zorbulimab-draft (content/evidence/zorbulimab-draft.yaml) [draft]",
        "  Page evidence/zorbulimab-draft/ removed; its title was: Is zorbulimab safe?",
        "8 entries differ from main: 2 added, 4 changed, 2 removed (4 of them drafts)",
    ]
    as_json = json.loads(pull_request.generator("changes", "main", "--format", "json").stdout)
    assert [
        (c["change"], c["id"], c["fields"], c["draft_before"], c["draft_after"]) for c in as_json
    ] == [
        ("added", "added-entry", [], None, False),
        (
            "changed",
            SEED_ID,
            [
                "question",
                "last_reviewed",
                "tags",
                "results[0].cohorts[1].outcomes[0].comparisons[0].estimate",
                "summary[0]",
            ],
            False,
            False,
        ),
        ("removed", "old-entry", [], False, None),
        ("changed", "plindazole-entry", ["draft"], False, True),
        ("added", "quixotrane-draft", [], None, True),
        ("changed", "released-entry", ["answer[0]", "draft"], True, False),
        ("changed", "velmorastat-draft", ["question"], True, True),
        ("removed", "zorbulimab-draft", [], True, None),
    ]
    assert as_json[1]["parts"][3] == {
        "name": HAZARD_RATIO,
        "field": "results[0].cohorts[1].outcomes[0].comparisons[0].estimate",
        "change": "changed",
        "before": "0.23",
        "after": "0.25",
    }

    diff = pull_request.generator("diff", "main")
    assert diff.returncode == 0, diff.stderr
    lines = diff.stdout.splitlines()
    assert lines[:2] == ["--- /dev/null", "+++ b/evidence/added-entry.md"]
    assert lines[2].startswith("@@ -0,0 +1,"), lines[2]
    assert f"--- a/evidence/{SEED_ID}.md" in lines
    # Changed words are marked; the characters the page writes as entities read as themselves.
    assert "-# What is the evidence for the use of cabozantinib in neuroendocrine tumors?" in lines
    assert f"+# {SEED_QUESTION.replace('current', '{+current+}')}" in lines
    # A long line is cut to the words near its changes.
    assert (
        "-<p>This study [-demonstrated-] a [-significant-] improvement in progression-free "
        "survival (PFS …"
    ) in lines
    assert "--- a/evidence/old-entry.md" in lines
    assert "-<p>It was.</p>" in lines
    # The page's metadata is one value to a line: a changed date is a short line.
    assert all(len(line) < 200 for line in lines[:40]), lines[:40]
    assert '-    "lastReviewed": "2026-01-05"' in lines
    assert '-    "lastReviewed": "[-2026-11-24-]",' in lines
    assert '+    "lastReviewed": "{+2026-11-20+}",' in lines


def test_changes_with_an_unknown_revision(pull_request: Project) -> None:
    result = pull_request.generator("changes", "no-such-branch")
    assert result.returncode == 2
    assert result.stderr.startswith("error: git ls-tree: ")


PR = {"EVIDENCE_PREVIEW_PR": "12"}
URL = {"EVIDENCE_PREVIEW_URL": "https://owner.github.io/evidence/pr-preview/pr-12/"}


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (URL,
         "EVIDENCE_PREVIEW_URL is set but EVIDENCE_PREVIEW_PR is not: for a preview, set "
         "EVIDENCE_PREVIEW_PR to the pull request's number; for the published site, unset "
         "EVIDENCE_PREVIEW_URL"),
        (PR,
         "EVIDENCE_PREVIEW_PR is set but EVIDENCE_PREVIEW_URL is not: set it to the address the "
         "preview is served from, like https://OWNER.github.io/REPO/pr-preview/pr-12/"),
        ({"EVIDENCE_PREVIEW_PR": "twelve"},
         "EVIDENCE_PREVIEW_PR must be the pull request's number, not 'twelve'"),
        ({**PR, "EVIDENCE_PREVIEW_URL": "https://owner.github.io/evidence/pr%2012/"},
         "EVIDENCE_PREVIEW_URL holds '%' in its path: "
         "'https://owner.github.io/evidence/pr%2012/'; write the path with letters, digits and "
         "- . _ ~ / only, without spaces or %-escapes"),
        ({**PR, "EVIDENCE_PREVIEW_URL": "https://[owner.github.io/"},
         "EVIDENCE_PREVIEW_URL has '[owner.github.io' where a host name, like example.org or "
         "example.org:8000, should be: 'https://[owner.github.io/'"),
        ({**PR, "EVIDENCE_PREVIEW_URL": "javascript:alert(1)/"},
         "EVIDENCE_PREVIEW_URL must be an http:// or https:// address, not "
         "'javascript:alert(1)/'"),
    ],
)  # fmt: skip
def test_preview_settings_are_checked_before_building(
    project: Project, variables: dict[str, str], message: str
) -> None:
    """Reported like every other problem with the build's configuration: one line, no
    traceback, and nothing built."""
    result = project.generator("build", environment=variables)
    assert result.returncode == 1
    assert (result.stderr, result.stdout) == (
        f"ERROR   -  {message}\n",
        "\nAborted with a BuildError!\nThe build failed: site/ is as it was.\n",
    )
    assert not project.path("site").exists()


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({**URL, "EVIDENCE_PREVIEW_PR": "", "EVIDENCE_PREVIEW_BASE": "origin/main"},
         "EVIDENCE_PREVIEW_URL and EVIDENCE_PREVIEW_BASE are set but EVIDENCE_PREVIEW_PR is "
         "empty: for a preview, set EVIDENCE_PREVIEW_PR to the pull request's number; for the "
         "published site, unset them"),
        ({"EVIDENCE_PUBLISHED_URL": "https://owner.github.io/evidence/"},
         "EVIDENCE_PUBLISHED_URL is set but EVIDENCE_PREVIEW_PR is not: for a preview, set "
         "EVIDENCE_PREVIEW_PR to the pull request's number; for the published site (its address "
         "goes in EVIDENCE_SITE_URL), unset EVIDENCE_PUBLISHED_URL"),
        ({**URL, "EVIDENCE_PREVIEW_BASE": "main", "EVIDENCE_PUBLISHED_URL": "https://o.example/"},
         "EVIDENCE_PREVIEW_URL, EVIDENCE_PREVIEW_BASE and EVIDENCE_PUBLISHED_URL are set but "
         "EVIDENCE_PREVIEW_PR is not: for a preview, set EVIDENCE_PREVIEW_PR to the pull "
         "request's number; for the published site (its address goes in EVIDENCE_SITE_URL), "
         "unset them"),
        ({**PR, "EVIDENCE_PREVIEW_URL": ""},
         "EVIDENCE_PREVIEW_PR is set but EVIDENCE_PREVIEW_URL is empty: set it to the address "
         "the preview is served from, like https://OWNER.github.io/REPO/pr-preview/pr-12/"),
        ({**PR, **URL, "EVIDENCE_PREVIEW_BASE": "-x"},
         "EVIDENCE_PREVIEW_BASE '-x' is not a git revision"),
        ({**PR, "EVIDENCE_PREVIEW_URL": "https://example.org/pr 12/"},
         "EVIDENCE_PREVIEW_URL holds a space in its path: 'https://example.org/pr 12/'; write "
         "the path with letters, digits and - . _ ~ / only, without spaces or %-escapes"),
        ({**PR, "EVIDENCE_PREVIEW_URL": "https://example.org/pré/\n"},
         "EVIDENCE_PREVIEW_URL holds '\\n', 'é' in its path: 'https://example.org/pré/\\n'; "
         "write the path with letters, digits and - . _ ~ / only, without spaces or "
         "%-escapes"),
        ({**PR, "EVIDENCE_PREVIEW_URL": "https://example.org/pr-12"},
         "EVIDENCE_PREVIEW_URL must end in '/', the folder the site is served from: "
         "'https://example.org/pr-12'"),
        ({**PR, "EVIDENCE_PREVIEW_URL": "https://example.org/a/../pr-12/"},
         "EVIDENCE_PREVIEW_URL must not have '.' or '..' in its path: "
         "'https://example.org/a/../pr-12/'"),
        ({**PR, "EVIDENCE_PREVIEW_URL": "https://example.org/pr-12/?page=1"},
         "EVIDENCE_PREVIEW_URL must not have a query ('?') or fragment ('#'): "
         "'https://example.org/pr-12/?page=1'"),
        ({**PR, "EVIDENCE_PREVIEW_URL": "https://me:secret@example.org/"},
         "EVIDENCE_PREVIEW_URL must not hold a user name or password: "
         "'https://me:secret@example.org/'"),
        ({**PR, "EVIDENCE_PREVIEW_URL": "https:///pr-12/"},
         "EVIDENCE_PREVIEW_URL names no host: 'https:///pr-12/'"),
        ({**PR, "EVIDENCE_PREVIEW_URL": "https://example.org:65536/"},
         "EVIDENCE_PREVIEW_URL has 'example.org:65536' where a host name, like example.org or "
         "example.org:8000, should be: 'https://example.org:65536/'"),
        ({**PR, "EVIDENCE_PREVIEW_URL": "ftp://example.org/"},
         "EVIDENCE_PREVIEW_URL must be an http:// or https:// address, not 'ftp://example.org/'"),
        ({**PR, **URL, "EVIDENCE_PUBLISHED_URL": "https://owner.github.io/my evidence/"},
         "EVIDENCE_PUBLISHED_URL holds a space in its path: "
         "'https://owner.github.io/my evidence/'; write the path with letters, digits and "
         "- . _ ~ / only, without spaces or %-escapes"),
    ],
)  # fmt: skip
def test_preview_settings_that_make_no_sense(variables: dict[str, str], message: str) -> None:
    with pytest.raises(PreviewError) as error:
        Preview.from_environment(variables)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("variables", "preview"),
    [
        ({}, None),
        ({"EVIDENCE_PREVIEW_PR": "", "EVIDENCE_PREVIEW_URL": ""}, None),
        ({**PR, "EVIDENCE_PREVIEW_URL": "http://127.0.0.1:8000/pr-12/"},
         Preview(12, "http://127.0.0.1:8000/pr-12/", None, None)),
        ({**PR, **URL, "EVIDENCE_PREVIEW_BASE": "origin/main",
          "EVIDENCE_PUBLISHED_URL": "https://Owner.github.io/evidence_site.v2/"},
         Preview(12, URL["EVIDENCE_PREVIEW_URL"], "origin/main",
                 "https://Owner.github.io/evidence_site.v2/")),
    ],
)  # fmt: skip
def test_preview_settings_that_are_accepted(
    variables: dict[str, str], preview: Preview | None
) -> None:
    assert Preview.from_environment(variables) == preview


def test_editor_files_are_no_entries_anywhere(tmp_path: Path) -> None:
    """Emacs' lock file (`.#x.yaml`, a link to nothing), its autosave file and a backup: the
    loader, `changes`, `diff` and the build all pass them by, in the working tree and in git."""
    project = copy_project(tmp_path / "project")
    evidence = project.path("content/evidence")
    project.write("content/evidence/#autosave.yaml#", "not: [an entry\n")
    project.write("content/evidence/.#committed.yaml", "not: [an entry\n")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "published")
    os.symlink("author@host.12345:1764670000", evidence / f".#{Path(SEED_FILE).name}")
    project.write(f"{SEED_FILE}~", "not: [an entry\n")
    project.write("content/evidence/old/.#x.yaml", "not: [an entry\n")

    changes = succeeds(project, "changes", "main")
    assert changes == "no entry changed since main\n"
    assert succeeds(project, "diff", "main") == ""
    check = project.generator("check")
    assert check.returncode == 0, check.stderr
    assert check.stderr == ""
    build = project.generator("build")
    assert build.returncode == 0, build.stderr


def succeeds(project: Project, *arguments: str) -> str:
    result = project.generator(*arguments)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_a_disabled_plugin_does_nothing_at_all(project: Project) -> None:
    """`enabled: false` turns off every event: no pages made, no preview variables judged, no
    audit of the built site, no marker written into it."""
    project.edit("mkdocs.yml", "  - evidence:\n", "  - evidence:\n      enabled: false\n")
    project.write("content/pages/clicks.md", '# Clicks\n\n<a onclick="x()">x</a>\n')
    site = project.build(strict=False, environment=PR)
    assert (site / "clicks" / "index.html").is_file()
    assert not (site / "evidence").exists()
    assert not (site / ".evidence-site").exists()
