"""Replacing an author's file with an edited text, all or nothing: the new text is written
beside the file, read back and verified, and only then moved over it (keeping its mode and
byte order mark). A failed check leaves the file exactly as it was."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def replace(path: Path, text: str, verify: Callable[[Path], None]) -> None:
    """Put `text` in place of `path`'s content once `verify` (which raises to refuse) accepts
    the written copy."""
    raw = path.read_bytes()
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=path.parent, suffix=".tmp", delete=False
    ) as handle:
        handle.write(bom + text)
    temporary = Path(handle.name)
    try:
        verify(temporary)
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
