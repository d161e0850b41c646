"""`mkdocs serve` in a test: a server on a free loopback port, and waiting for what it shows."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.settings import AS_OF_VARIABLE
from tests.conftest import AS_OF, SEED_ID, Project

PAGE = f"evidence/{SEED_ID}/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting, after {seconds} s, for {what}")


class Server:
    """`mkdocs serve` as `scripts/serve.sh` runs it (--dirty), or with `dirty=False` as MkDocs
    runs it by default, rebuilding every page at every save."""

    def __init__(self, project: Project, log: Path, *, dirty: bool = True) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.log = log
        self.stream = log.open("w")
        self.temporary = log.with_suffix(".tmp")  # where MkDocs makes the folder it serves
        self.temporary.mkdir()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--livereload",
                *(["--dirty"] if dirty else []),
                "-a",
                f"127.0.0.1:{self.port}",
            ],
            cwd=project.root,
            stdout=self.stream,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                AS_OF_VARIABLE: AS_OF.isoformat(),
                "NO_MKDOCS_2_WARNING": "1",
                "TMPDIR": str(self.temporary),
            },
        )

    def page(self) -> str:
        return fetch(self.base + PAGE)

    def site(self) -> Path:
        """The folder MkDocs builds the site in and serves."""
        (folder,) = self.temporary.glob("mkdocs_*")
        return folder

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.stream.close()


@contextmanager
def serving(project: Project, log: Path, *, dirty: bool = True) -> Iterator[Server]:
    """`mkdocs serve` on the project, once its first build is served; stopped afterwards."""
    running = Server(project, log, dirty=dirty)
    try:
        wait_for(lambda: "cabozantinib" in running.page(), 60, "the first build")
        yield running
    finally:
        running.stop()
