"""Reading the caches' pickles with Python's collections held off; writing them whole.

Each container a pickle makes counts towards the next collection of cyclic garbage, and every
collection walks what was made so far again: the store of 10,000 pages (46 MB of audits) took
1.3 s to read with collections on, 0.5 s without. A pickle makes no garbage while it is read.
What it made is then put with the oldest objects at once: a cache lives as long as the build,
and the first two collections of young objects after it walked it all (0.35 s at 10,000).
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
        if not gc.get_freeze_count():  # else thawing would undo what a build froze
            gc.freeze()  # every object, into the permanent generation...
            gc.unfreeze()  # ...and back into the oldest
        if enabled:
            gc.enable()


def save(path: Path, *values: Any) -> bool:
    """`values` pickled one after the other into `path`, which is replaced whole or not at all;
    whether it was. A file that cannot be written only makes the next build slower."""
    work = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with work.open("wb") as stream:
            for value in values:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(work, path)
    except OSError:
        work.unlink(missing_ok=True)
        return False
    return True
