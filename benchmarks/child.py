"""One measurement in a fresh process, so that each has its own peak memory and nothing warm
from another: prints one JSON object with the seconds taken and the process's peak RSS.

    python -m benchmarks.child generator PROJECT
    python -m benchmarks.child cached PROJECT
    python -m benchmarks.child mkdocs CONFIG SITE_DIR
    python -m benchmarks.child pagefind SITE_DIR
    python -m benchmarks.child builder PROJECT SITE_DIR
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.built import builder, pagefind
from generator.content.project import Project
from generator.pages import publication, workers
from generator.pages.record import Cache
from generator.settings import Settings


def _peak_mib() -> float:
    """Peak memory of this process plus that of the largest process it started (the audit's
    second process): an upper bound of what the build held at once. ru_maxrss is in KiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def generator(root: Path) -> dict[str, float]:
    """The generator's own work, nothing cached: read and check every entry, render every page,
    as every command makes them (`publication.make`)."""
    started = time.perf_counter()
    project = Project.at(root)
    settings = Settings.resolve(as_of=os.environ["EVIDENCE_AS_OF"])
    made = publication.make(project, settings)
    done = time.perf_counter()
    assert not made.errors, made.errors[:3]
    return {"total": done - started, "entries": made.entries, "pages": len(made.pages)}


def cached(root: Path) -> dict[str, float]:
    """The same, as a build through the plugin does it: with the cache in .cache/evidence/."""
    started = time.perf_counter()
    project = Project.at(root)
    settings = Settings.resolve(as_of=os.environ["EVIDENCE_AS_OF"])
    cache = Cache(project.cache_dir)
    made = publication.make(project, settings, cache)
    return {
        "total": time.perf_counter() - started,
        "read": cache.read,
        "reused": cache.reused,
        "pages": len(made.pages),
    }


def mkdocs(config: Path, site_dir: Path) -> dict[str, float]:
    started = time.perf_counter()
    build(load_config(str(config), site_dir=str(site_dir)))
    return {"total": time.perf_counter() - started}


def built(root: Path, site_dir: Path) -> dict[str, float]:
    """`generator build`: the builder, which takes from the site already there every page
    whose inputs did not change."""
    started = time.perf_counter()
    status = builder.build(Project.at(root), root / "mkdocs.yml", site_dir)
    if status != 0:
        raise SystemExit(f"the build failed ({status})")
    return {"total": time.perf_counter() - started}


def index(site_dir: Path) -> dict[str, float]:
    """The site's search index alone, as every build makes it (Pagefind, a child process)."""
    return {"total": pagefind.index(site_dir).seconds}


def main(argv: list[str]) -> None:
    workers.allow()  # as the command line does: `python -m benchmarks.child` guards its main
    if argv[0] == "generator":
        result = generator(Path(argv[1]))
    elif argv[0] == "cached":
        result = cached(Path(argv[1]))
    elif argv[0] == "mkdocs":
        result = mkdocs(Path(argv[1]), Path(argv[2]))
    elif argv[0] == "pagefind":
        result = index(Path(argv[1]))
    elif argv[0] == "builder":
        result = built(Path(argv[1]), Path(argv[2]))
    else:
        raise SystemExit(__doc__)
    result["peak_mib"] = _peak_mib()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
