"""Reading the caches' pickles with Python's collections held off; writing them whole.

Each container a pickle makes counts towards the next collection of cyclic garbage, and every
collection walks what was made so far again: the store of 10,000 pages (46 MB of audits) took
1.3 s to read with collections on, 0.5 s without. A pickle makes no garbage while it is read.
"""

from __future__ import annotations

import gc
import os
import pickle
from pathlib import Path
from typing import IO, Any


def load(stream: IO[bytes]) -> Any:
    """The next pickled value in `stream`; raises as `pickle.load` does."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(stream)
    finally:
        if enabled:
            gc.enable()


def save(path: Path, *values: Any) -> None:
    """`values` pickled one after the other into `path`, which is replaced whole or not at all;
    a file that cannot be written only makes the next build slower."""
    work = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with work.open("wb") as stream:
            for value in values:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(work, path)
    except OSError:
        work.unlink(missing_ok=True)
