"""What was read from each entry file, kept in memory for the next build of the same process."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pydantic
import yaml

import generator
from generator.checks.site import Source
from generator.content.problem import Problem


class Cache:
    """What was read from each file, reused while the file's bytes and the license registry are
    the same: a preview server re-reads only the entries that changed.

    It lives in memory only. On disk (in `folder`) a build keeps the pages it made instead (see
    `publication`): read back, 10,000 checked entries cost as much time as parsing them again
    (benchmarks/RESULTS.md), while the pages cost almost nothing. `salt` identifies the code
    that made them, so that a changed generator never reuses what an older one decided."""

    def __init__(self, folder: Path | None = None) -> None:
        self._entries: dict[Path, tuple[bytes, tuple[Source | None, list[Problem]]]] = {}
        self.folder = folder
        self.salt = code_fingerprint() if folder is not None else b""
        self.read = 0
        self.reused = 0

    def key(self, raw: bytes, registry_key: bytes) -> bytes:
        return hashlib.blake2b(raw + registry_key, digest_size=16).digest()

    def lookup(self, path: Path, key: bytes) -> tuple[Source | None, list[Problem]] | None:
        found = self._entries.get(path)
        if found is not None and found[0] == key:
            self.reused += 1
            return found[1]
        return None

    def store(self, path: Path, key: bytes, result: tuple[Source | None, list[Problem]]) -> None:
        self.read += 1
        self._entries[path] = (key, result)

    def forget_others(self, paths: set[Path]) -> None:
        """Drop files that are gone, so that the cache holds no more than the content."""
        for path in set(self._entries) - paths:
            del self._entries[path]


def code_fingerprint() -> bytes:
    """This package's source and version, and those of the libraries that decide what it reads."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (generator.__version__, pydantic.VERSION, yaml.__version__):
        digest.update(part.encode() + b"\0")
    package = Path(generator.__file__).parent
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode() + b"\0")
        digest.update(module.read_bytes() + b"\0")
    return digest.digest()
