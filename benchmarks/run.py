"""The benchmark: for each size, in one run, everything issue 8 asks about, written as a table.

    .venv/bin/python -m benchmarks.run                       # N = 100, 1000, 10000
    .venv/bin/python -m benchmarks.run --sizes 100,1000 --out /tmp/results.md

Each size gets a project folder of synthetic entries (`benchmarks/synth.py`) beside a copy of
this project's configuration and templates. Every measurement runs in a fresh process
(`benchmarks/child.py`), so each has its own peak memory and nothing is warm from another.
"""

from __future__ import annotations

import argparse
import http.server
import importlib.metadata
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Response, sync_playwright

from benchmarks import synth
from generator.built.pagefind import STATUS

REPO = Path(__file__).resolve().parent.parent
AS_OF = synth.AS_OF.isoformat()
ENVIRONMENT = {**os.environ, "EVIDENCE_AS_OF": AS_OF, "NO_MKDOCS_2_WARNING": "1"}
ENVIRONMENT.pop("EVIDENCE_SITE_URL", None)
SEARCH_WORD = "cabozantinib"


@dataclass
class Size:
    """Everything measured for one number of entries."""

    entries: int
    figures: dict[str, Any] = field(default_factory=dict)


def child(*args: str, cwd: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.child", *args]
    environment = {**ENVIRONMENT, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        command, cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def make_project(folder: Path, count: int) -> Path:
    project = folder / f"n{count}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for name in ("mkdocs.yml", "mkdocs.plain.yml"):
        shutil.copy(REPO / name, project / name)
    shutil.copytree(REPO / "site_templates", project / "site_templates")
    shutil.copytree(REPO / "content" / "pages", project / "content" / "pages")
    synth.write_content(project / "content", count)
    return project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8", "replace"))
    except OSError:
        return None


def edit_entry(project: Path, word: str) -> str:
    """Add a word to the answer of the first entry, as an author would; return the word."""
    entry_id, _ = synth.entry(0)
    path = project / "content" / "evidence" / f"{entry_id}.yaml"
    token = f"Edited{word.capitalize()}"
    text = path.read_text(encoding="utf-8")
    assert token not in text, f"{token} was added before: its page would show it at once"
    edited = text.replace("answer:\n- >-\n  ", f"answer:\n- >-\n  {token} ", 1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    return token


SAVES = ("serve", "again", "third")


def serve_edit(project: Path) -> dict[str, Any]:
    """Seconds from saving one entry under `mkdocs serve` to its changed page being served,
    served as `scripts/serve.sh` serves (--dirty: only the pages a save changes are built): the
    median of three saves, each made once the server is idle, so that one save's chance delay
    does not decide the figure."""
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty"]
    command += ["-a", f"127.0.0.1:{port}"]
    log = project / "serve.log"  # a file, not a pipe: a full pipe would stop the server
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, cwd=project, env=ENVIRONMENT, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        entry_id, _ = synth.entry(0)
        url = f"http://127.0.0.1:{port}/evidence/{entry_id}/"
        started = time.perf_counter()
        while fetch(url) is None:
            if server.poll() is not None:
                raise SystemExit(f"mkdocs serve stopped:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        first = time.perf_counter() - started
        saves = []
        for word in SAVES:
            # Each save from an idle server: the search index of the save before is done.
            waited = time.perf_counter()
            while '"stale": false' not in (fetch(f"http://127.0.0.1:{port}/{STATUS}") or ""):
                if server.poll() is not None:
                    raise SystemExit(f"mkdocs serve stopped:\n{log.read_text()[-3000:]}")
                if time.perf_counter() - waited > 900:
                    raise SystemExit("the search index was not remade within 15 minutes")
                time.sleep(0.2)
            time.sleep(1.0)  # let the watcher settle
            saved = time.perf_counter()
            token = edit_entry(project, word)
            while token not in (fetch(url) or ""):
                if time.perf_counter() - saved > 900:
                    raise SystemExit("the edited page was not served within 15 minutes")
                time.sleep(0.05)
            saves.append(time.perf_counter() - saved)
        return {"serve_first": first, "serve_edit": statistics.median(saves), "saves": saves}
    finally:
        server.terminate()
        server.wait(timeout=60)


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("no Chromium found: the search timing needs one")


@contextmanager
def static_server(site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def count_bytes(page: Page) -> list[int]:
    """The size of each response body the page receives, as it arrives."""
    received: list[int] = []

    def count(response: Response) -> None:
        try:
            received.append(len(response.body()))
        except Exception:  # a redirect or an aborted request has no body
            received.append(0)

    page.on("response", count)
    return received


def search_in_browser(site: Path, later_word: str) -> dict[str, float]:
    """Open the home page (the heaviest: it lists every entry) as a new reader and search as
    one does. What the page loads for search before the box is used; then the first search:
    seconds from the word typed to its first result shown (and from the click that opens the
    box, typing included), and the bytes transferred from that click; then the seconds for a
    second word."""
    with static_server(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH") or chromium()
        )
        page = browser.new_page()
        received: list[tuple[str, int]] = []

        def count(response: Response) -> None:
            try:
                received.append((response.url, len(response.body())))
            except Exception:  # a redirect or an aborted request has no body
                received.append((response.url, 0))

        page.on("response", count)
        page.goto(base, wait_until="load")
        page.wait_for_timeout(500)
        searching = ("/pagefind/", "vocabulary.json", "evidence-search.js")
        on_load = sum(n for url, n in received if any(part in url for part in searching))
        before = len(received)
        query = page.locator("input.md-search__input")
        opened = time.perf_counter()
        query.click()  # the box opens, and starts loading Pagefind
        query.press_sequentially(SEARCH_WORD)
        typed = time.perf_counter()  # the word is typed: the reader waits from here
        shown(page, SEARCH_WORD)
        first = time.perf_counter() - typed
        with_typing = time.perf_counter() - opened
        page.wait_for_timeout(200)  # responses still being counted
        first_bytes = sum(n for _, n in received[before:])
        query.fill("")
        query.press_sequentially(later_word)
        typed = time.perf_counter()
        shown(page, later_word)
        later = time.perf_counter() - typed
        browser.close()
    return {
        "load_bytes": on_load,
        "first_seconds": first,
        "first_with_typing_seconds": with_typing,
        "first_bytes": first_bytes,
        "later_seconds": later,
    }


def shown(page: Page, words: str) -> None:
    """Wait for the first result of `words` (the search box marks the query it answers)."""
    page.wait_for_function(
        """words => {
          const list = document.querySelector('.md-search-result__list');
          return list.dataset.query === words && list.querySelector('.md-search-result__item');
        }""",
        arg=words,
        timeout=600_000,
    )


def measure_generator(folder: Path, count: int) -> Size:
    """The generator alone: what can be measured at sizes whose full build would not fit in
    this machine's memory."""
    size = Size(count)
    project = generator_figures(size, folder)
    shutil.rmtree(project)  # 100,000 entries and their cache are gigabytes
    return size


def generator_figures(size: Size, folder: Path) -> Path:
    """Write the project, then time the generator from nothing, with its cache, and after one
    edit; return the project, its cache filled."""
    count = size.entries
    print(f"n={count}: writing entries", file=sys.stderr)
    project = make_project(folder, count)
    size.figures["yaml_mib"] = (
        sum(p.stat().st_size for p in (project / "content" / "evidence").iterdir()) / 2**20
    )
    print(f"n={count}: generator, cold", file=sys.stderr)
    size.figures["gen_cold"] = child("generator", str(project), cwd=project)
    size.figures["gen_filling"] = child("cached", str(project), cwd=project)  # fills the cache
    print(f"n={count}: generator, cached", file=sys.stderr)
    size.figures["gen_cached"] = child("cached", str(project), cwd=project)
    assert size.figures["gen_cached"]["read"] == 0
    print(f"n={count}: generator, one entry edited", file=sys.stderr)
    edit_entry(project, "cache")
    size.figures["gen_one_edited"] = child("cached", str(project), cwd=project)
    return project


def generator_table(sizes: list[Size]) -> str:
    rows: list[tuple[str, Callable[[dict[str, Any], int], str]]] = [
        ("Entries", lambda f, n: f"{n:,}"),
        ("Entry YAML, MiB", lambda f, n: f"{f['yaml_mib']:.1f}"),
        ("Generator, cold: total, s", lambda f, n: f"{f['gen_cold']['total']:.2f}"),
        ("Generator, cold: entries per second", lambda f, n: f"{n / f['gen_cold']['total']:,.0f}"),
        ("Generator, cold: peak memory, MiB", lambda f, n: f"{f['gen_cold']['peak_mib']:.0f}"),
        ("Generator, cached: total, s", lambda f, n: f"{f['gen_cached']['total']:.2f}"),
        ("Generator, cached: peak memory, MiB", lambda f, n: f"{f['gen_cached']['peak_mib']:.0f}"),
        (
            "Generator, cached, one entry edited: total, s",
            lambda f, n: f"{f['gen_one_edited']['total']:.2f}",
        ),
        (
            "Generator, cached, one entry edited: peak memory, MiB",
            lambda f, n: f"{f['gen_one_edited']['peak_mib']:.0f}",
        ),
    ]
    lines = []
    for label, pick in rows:
        lines.append(f"| {label} | " + " | ".join(pick(s.figures, s.entries) for s in sizes) + " |")
        if label == "Entries":
            lines.append("| --- | " + " | ".join("---:" for _ in sizes) + " |")
    if len(sizes) > 1:
        small, large = sizes[0].figures, sizes[-1].figures
        growth = [
            f"{name} {large[key]['total'] / small[key]['total']:.1f}"
            for name, key in (("cold", "gen_cold"), ("cached", "gen_cached"),
                              ("one entry edited", "gen_one_edited"))
        ]  # fmt: skip
        lines += [
            "",
            f"Growth from {sizes[0].entries:,} to {sizes[-1].entries:,} entries: "
            + ", ".join(growth)
            + ".",
        ]
    return "\n".join(lines)


def measure(folder: Path, count: int, browser: bool) -> Size:
    size = Size(count)
    project = generator_figures(size, folder)
    cache = project / ".cache" / "evidence"

    print(f"n={count}: mkdocs build with the plugin", file=sys.stderr)
    shutil.rmtree(cache)  # the full build is measured cold, as CI runs it
    size.figures["full"] = child("mkdocs", "mkdocs.yml", str(project / "site"), cwd=project)
    print(f"n={count}: mkdocs build with the plugin, again (its cache filled)", file=sys.stderr)
    size.figures["full_warm"] = child("mkdocs", "mkdocs.yml", str(project / "site"), cwd=project)

    print(f"n={count}: plain mkdocs build of the rendered Markdown", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "generator", "render", "rendered"],
        cwd=project,
        env=ENVIRONMENT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    size.figures["baseline"] = child(
        "mkdocs", "mkdocs.plain.yml", str(project / "site-plain"), cwd=project
    )

    print(f"n={count}: generator build: from nothing, nothing changed, one entry", file=sys.stderr)
    shutil.rmtree(cache)
    built = str(project / "site-built")
    size.figures["inc_cold"] = child("builder", str(project), built, cwd=project)
    size.figures["inc_none"] = child("builder", str(project), built, cwd=project)
    # Again: the first build after one from nothing has no site before the last to build in.
    size.figures["inc_none_again"] = child("builder", str(project), built, cwd=project)
    edit_entry(project, "build")
    size.figures["inc_one"] = child("builder", str(project), built, cwd=project)

    print(f"n={count}: the search index alone", file=sys.stderr)
    size.figures["index"] = child("pagefind", str(project / "site"), cwd=project)
    bundle = project / "site" / "pagefind"
    size.figures["bundle_bytes"] = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    size.figures["html_mib"] = (
        sum(p.stat().st_size for p in (project / "site").rglob("*.html")) / 2**20
    )

    print(f"n={count}: mkdocs serve, one entry edited", file=sys.stderr)
    size.figures["serve"] = serve_edit(project)
    if browser:
        print(f"n={count}: search in Chromium", file=sys.stderr)
        later = synth.entry(1)[0].split("-")[0]  # entry 1's drug
        size.figures["search"] = search_in_browser(project / "site", later)
    return size


def versions() -> str:
    names = ("mkdocs", "mkdocs-material", "pydantic", "PyYAML", "Jinja2", "playwright")
    found = []
    for name in (*names, "pagefind"):
        with suppress(importlib.metadata.PackageNotFoundError):
            found.append(f"{name} {importlib.metadata.version(name)}")
    return ", ".join(found)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        info = Path("/proc/cpuinfo").read_text()
        found = re.search(r"model name\s*:\s*(.+)", info)
        cpu = found.group(1).strip() if found else cpu
    except OSError:
        pass
    memory = ""
    try:
        total = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
        memory = f", {int(total.group(1)) / 2**20:.0f} GiB" if total else ""
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def table(sizes: list[Size]) -> str:
    def row(label: str, cells: list[str]) -> str:
        return f"| {label} | " + " | ".join(cells) + " |"

    def each(pick: Any) -> list[str]:
        return [pick(size.figures, size.entries) for size in sizes]

    lines = [
        row("Entries", [f"{size.entries:,}" for size in sizes]),
        row("---", ["---:" for _ in sizes]),
        row("Entry YAML, MiB", each(lambda f, n: f"{f['yaml_mib']:.1f}")),
        row("Generator, cold: total, s", each(lambda f, n: f"{f['gen_cold']['total']:.2f}")),
        row(
            "Generator, cold: entries per second",
            each(lambda f, n: f"{n / f['gen_cold']['total']:,.0f}"),
        ),
        row(
            "Generator, cold: % of baseline build (target ≤ 10%)",
            each(lambda f, n: f"{100 * f['gen_cold']['total'] / f['baseline']['total']:.1f}%"),
        ),
        row("Generator, cached: total, s", each(lambda f, n: f"{f['gen_cached']['total']:.2f}")),
        row(
            "Generator, cached, one entry edited: total, s",
            each(lambda f, n: f"{f['gen_one_edited']['total']:.2f}"),
        ),
        row(
            "Generator, cached: % of baseline build (target ≤ 2%)",
            each(lambda f, n: f"{100 * f['gen_cached']['total'] / f['baseline']['total']:.1f}%"),
        ),
        row(
            "Generator, cold: peak memory, MiB",
            each(lambda f, n: f"{f['gen_cold']['peak_mib']:.0f}"),
        ),
        row(
            "Baseline: plain MkDocs on rendered Markdown, s",
            each(lambda f, n: f"{f['baseline']['total']:.1f}"),
        ),
        row(
            "Full build through the plugin, nothing cached, s",
            each(lambda f, n: f"{f['full']['total']:.1f}"),
        ),
        row(
            "Full (nothing cached) ÷ baseline (target ≤ 1.0)",
            each(lambda f, n: f"{f['full']['total'] / f['baseline']['total']:.2f}"),
        ),
        row(
            "Full build, cache filled by the last build, s",
            each(lambda f, n: f"{f['full_warm']['total']:.1f}"),
        ),
        row(
            "Full (cache filled) ÷ baseline",
            each(lambda f, n: f"{f['full_warm']['total'] / f['baseline']['total']:.2f}"),
        ),
        row("Baseline: peak memory, MiB", each(lambda f, n: f"{f['baseline']['peak_mib']:.0f}")),
        row(
            "Full build, cache filled: peak memory, MiB",
            each(lambda f, n: f"{f['full_warm']['peak_mib']:.0f}"),
        ),
        row(
            "Full build, nothing cached: peak memory, MiB",
            each(lambda f, n: f"{f['full']['peak_mib']:.0f}"),
        ),
        row(
            "Full (nothing cached) ÷ baseline peak memory (target ≤ 1.5)",
            each(lambda f, n: f"{f['full']['peak_mib'] / f['baseline']['peak_mib']:.2f}"),
        ),
        row(
            "Full (cache filled) ÷ baseline peak memory",
            each(lambda f, n: f"{f['full_warm']['peak_mib'] / f['baseline']['peak_mib']:.2f}"),
        ),
        row(
            "`generator build`, nothing cached, s",
            each(lambda f, n: f"{f['inc_cold']['total']:.1f}"),
        ),
        row(
            "`generator build`, site there, nothing changed, s",
            each(lambda f, n: f"{f['inc_none']['total']:.1f}"),
        ),
        row(
            "… ÷ baseline (target ≤ 3%)",
            each(lambda f, n: f"{100 * f['inc_none']['total'] / f['baseline']['total']:.1f}%"),
        ),
        row(
            "`generator build`, nothing changed, the build after that, s",
            each(lambda f, n: f"{f['inc_none_again']['total']:.1f}"),
        ),
        row(
            "… ÷ baseline (target ≤ 3%)",
            each(
                lambda f, n: f"{100 * f['inc_none_again']['total'] / f['baseline']['total']:.1f}%"
            ),
        ),
        row(
            "`generator build`, site there, one entry changed, s",
            each(lambda f, n: f"{f['inc_one']['total']:.1f}"),
        ),
        row(
            "… ÷ baseline (target ≤ 10%)",
            each(lambda f, n: f"{100 * f['inc_one']['total'] / f['baseline']['total']:.1f}%"),
        ),
        row(
            "`generator build`, one entry changed: peak memory, MiB",
            each(lambda f, n: f"{f['inc_one']['peak_mib']:.0f}"),
        ),
        row("HTML written, MiB", each(lambda f, n: f"{f['html_mib']:.0f}")),
        row(
            "Search index (Pagefind): made in, s",
            each(lambda f, n: f"{f['index']['total']:.1f}"),
        ),
        row(
            "Search index ÷ full build, nothing cached (target ≤ 20%)",
            each(lambda f, n: f"{100 * f['index']['total'] / f['full']['total']:.1f}%"),
        ),
        row(
            "Search index: peak memory, MiB",
            each(lambda f, n: f"{f['index']['peak_mib']:.0f}"),
        ),
        row(
            "Search index: bytes per entry on the server",
            each(lambda f, n: f"{f['bundle_bytes'] / n:,.0f}"),
        ),
        row(
            "`mkdocs serve`: first page served, s",
            each(lambda f, n: f"{f['serve']['serve_first']:.1f}"),
        ),
        row(
            "`mkdocs serve --dirty`: one entry saved → its page served (median of 3 saves), s "
            "(target ≤ 2)",
            each(lambda f, n: f"{f['serve']['serve_edit']:.1f}"),
        ),
    ]
    if all("search" in size.figures for size in sizes):
        lines += [
            row(
                "Search: bytes a page loads for it before the box is used, KB (target ≤ 50)",
                each(lambda f, n: f"{f['search']['load_bytes'] / 1e3:.1f}"),
            ),
            row(
                f'Search "{SEARCH_WORD}", the first: word typed → first result shown, s '
                "(target ≤ 0.5)",
                each(lambda f, n: f"{f['search']['first_seconds']:.2f}"),
            ),
            row(
                "Search, the first: box clicked → first result shown, typing included, s",
                each(lambda f, n: f"{f['search']['first_with_typing_seconds']:.2f}"),
            ),
            row(
                "Search: bytes transferred by the first query, MB (target ≤ 1)",
                each(lambda f, n: f"{f['search']['first_bytes'] / 1e6:.2f}"),
            ),
            row(
                "Search, a later query: word typed → first result shown, s (target ≤ 0.3)",
                each(lambda f, n: f"{f['search']['later_seconds']:.2f}"),
            ),
        ]
    by_count = {size.entries: size.figures for size in sizes}
    if 1000 in by_count and 10000 in by_count:
        small, large = by_count[1000], by_count[10000]
        lines.append("")
        lines.append(
            "Growth from 1,000 to 10,000 entries (target ≤ 10.5): "
            f"full build {large['full']['total'] / small['full']['total']:.1f}, "
            f"one entry changed {large['inc_one']['total'] / small['inc_one']['total']:.1f}, "
            f"nothing changed {large['inc_none']['total'] / small['inc_none']['total']:.1f} "
            "(the build after that "
            f"{large['inc_none_again']['total'] / small['inc_none_again']['total']:.1f}), "
            f"serve {large['serve']['serve_edit'] / small['serve']['serve_edit']:.1f}, "
            f"full build with its cache filled "
            f"{large['full_warm']['total'] / small['full_warm']['total']:.1f}, "
            f"baseline {large['baseline']['total'] / small['baseline']['total']:.1f}."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "RESULTS.md")
    parser.add_argument("--work", type=Path, help="folder for the projects (default: temporary)")
    parser.add_argument("--no-browser", action="store_true", help="skip the search timing")
    parser.add_argument(
        "--generator-only",
        action="store_true",
        help="measure the generator alone (for sizes whose full build would not fit in memory)",
    )
    arguments = parser.parse_args()
    counts = [int(part) for part in arguments.sizes.split(",")]
    work = arguments.work or Path(tempfile.mkdtemp(prefix="evidence-bench-"))
    started = time.time()
    if arguments.generator_only:
        sizes = [measure_generator(work, count) for count in counts]
    else:
        sizes = [measure(work, count, not arguments.no_browser) for count in counts]
    command = "python -m benchmarks.run" + (
        f" --sizes {arguments.sizes}" if arguments.sizes != "100,1000,10000" else ""
    )
    if arguments.generator_only:
        command += " --generator-only"
    if arguments.out != REPO / "benchmarks" / "RESULTS.md":
        command += f" --out {arguments.out}"
    report = f"""# Benchmark results

Measured on {date.today().isoformat()} by `{command}` in {time.time() - started:,.0f} s.

- Machine: {machine()}
- Versions: {versions()}
- Entries: synthetic (`benchmarks/synth.py`), as of {AS_OF}; the seed entry is 5.7 KB of YAML.

{generator_table(sizes) if arguments.generator_only else table(sizes)}

Raw figures (seconds, MiB, bytes):

```json
{json.dumps({str(s.entries): s.figures for s in sizes}, indent=1)}
```
"""
    arguments.out.write_text(report, encoding="utf-8")
    print(report)
    if arguments.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
