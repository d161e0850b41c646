"""Content files -> checked entries, or every problem in every file at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.checks import across, arms, registry, synonyms
from generator.checks.fields import Context
from generator.checks.models import Entry, LicenseRegistry
from generator.checks.site import Facts, Site, Source
from generator.checks.validation import validate
from generator.content import citation
from generator.content.document import Document, parse
from generator.content.files import entry_files, linked, read_bytes
from generator.content.problem import ContentError, Position, Problem
from generator.content.project import Project
from generator.progress import Progress


def load(project: Project) -> Site:
    """Read and check all content; raise `ContentError` listing every problem found."""
    site, problems = read_content(project)
    if problems or site is None:
        raise ContentError(problems)
    return site


def read_content(project: Project) -> tuple[Site | None, list[Problem]]:
    """The entries that passed every check of their own, and the problems of all the others,
    so that checks across entries can still run and report in the same run. There is no site
    at all when the license registry itself cannot be read."""
    problems: list[Problem] = linked(project)
    registry, _ = load_registry(project, problems)
    sources: list[Source] = []
    paths = entry_files(project, problems)
    with Progress("Reading entries", len(paths), "entries") as progress:
        for path in paths:
            source, found = load_entry(project, path, read_bytes(path), registry)
            problems.extend(found)
            if source is not None:
                sources.append(source)
            progress.advance()
    facts = [Facts.of(source) for source in sources]
    across.check_ids(facts, problems)
    across.check_tags(facts, problems)
    names, _ = synonyms.load(project, problems)
    if registry is None:
        return None, problems
    entries = tuple(sorted(sources, key=lambda source: source.entry.id))
    return Site(entries, registry, names), problems


def load_registry(
    project: Project, problems: list[Problem]
) -> tuple[LicenseRegistry | None, bytes]:
    """The registry, and a key that changes whenever its file does."""
    path = project.licenses_file
    shown = project.shown(path)
    if not path.is_file():
        problems.append(Problem(shown, Position(1, 1), None, "the license registry is missing"))
        return None, b""
    raw = read_bytes(path)
    document, found = parse(raw, shown)
    problems.extend(found)
    if found:
        return None, raw
    return validate(LicenseRegistry, document, problems), raw


def load_entry(
    project: Project, path: Path, raw: bytes, registry: LicenseRegistry | None
) -> tuple[Source | None, list[Problem]]:
    """One entry file, checked on its own: the entry, or its problems."""
    document, problems = parse(raw, project.shown(path))
    if problems:
        return None, problems
    context = _context(document.data, path, registry)
    problems = arms.old_shape(document)
    if problems:
        return None, problems
    problems = _check_markers(document, context)
    entry = validate(Entry, document, problems, context)
    if entry is None or problems:
        return None, problems
    cohorts = [
        (("results", s, "cohorts", c), cohort)
        for s, study in enumerate(entry.results)
        for c, cohort in enumerate(study.cohorts)
    ]
    problems = arms.check_arms(cohorts, document)
    if problems:
        return None, problems
    # The model holds the values now; the document keeps only where each was written.
    document.data = None
    return Source(entry, document), []


def _check_markers(document: Document, context: Context) -> list[Problem]:
    """Every citation marker in the prose cites references the entry has, each problem placed
    at its marker. Runs on the raw data, so a mistake elsewhere in the entry hides nothing."""
    count = context.get("reference_count")
    if count is None or not isinstance(document.data, dict):
        return []
    found = []
    for field in ("answer", "summary"):
        paragraphs = document.data.get(field)
        if not isinstance(paragraphs, list):
            continue
        for index, paragraph in enumerate(paragraphs):
            if not isinstance(paragraph, str):
                continue
            markers = citation.markers(paragraph)
            problems = [marker.problem(count, context.get("entry_id", "?")) for marker in markers]
            if not any(problems):
                continue  # finding positions costs a search; only problems need them
            positions = document.positions_of((field, index), [m.raw for m in markers])
            for problem, position in zip(problems, positions, strict=True):
                if problem:
                    found.append(
                        registry.finding(
                            document,
                            (field, index),
                            "citation-resolves",
                            problem,
                            position=position,
                        )
                    )
    return found


def _context(data: Any, path: Path, registry: LicenseRegistry | None) -> Context:
    """What the schema's cross-checks need, taken from the raw data so that a mistake in one
    field does not hide the checks of the others."""
    context: Context = {"file_stem": path.stem}
    if registry is not None:
        context["licenses"] = frozenset(registry.licenses)
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            context["entry_id"] = data["id"]
        references = data.get("references", [])
        if isinstance(references, list):
            context["reference_count"] = len(references)
    return context
