"""Content files -> checked entries, or every problem in every file at once."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import types
import typing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pydantic
import yaml
from pydantic import BaseModel, ValidationError

import generator
from generator.checks.models import Context, Entry, LicenseRegistry
from generator.checks.registry import RULES
from generator.content import citation, slug
from generator.content.document import Document, Location, field_path, parse
from generator.content.problem import ContentError, Position, Problem
from generator.content.project import ENTRY_SUFFIX, Project, ignored, printable_name
from generator.content.slug import RESERVED, tag_slug


@dataclass(frozen=True, eq=False)
class Source:
    """A checked entry and the file it came from."""

    entry: Entry
    document: Document

    @property
    def path(self) -> str:
        return self.document.path


@dataclass(frozen=True)
class Site:
    """Everything the pages are made from, checked and in a fixed order."""

    entries: tuple[Source, ...]
    licenses: LicenseRegistry


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


def load(project: Project) -> Site:
    """Read and check all content; raise `ContentError` listing every problem found."""
    site, problems = read_content(project)
    if problems or site is None:
        raise ContentError(problems)
    return site


def read_content(project: Project, cache: Cache | None = None) -> tuple[Site | None, list[Problem]]:
    """The entries that passed every check of their own, and the problems of all the others,
    so that checks across entries can still run and report in the same run. There is no site
    at all when the license registry itself cannot be read."""
    problems: list[Problem] = linked(project)
    registry, registry_key = _load_registry(project, problems)
    sources: list[Source] = []
    paths = entry_files(project, problems)
    for path in paths:
        raw = _bytes(path)
        key = cache.key(raw, registry_key) if cache is not None else b""
        result = cache.lookup(path, key) if cache is not None else None
        if result is None:
            result = _load_entry(project, path, raw, registry)
            if cache is not None:
                cache.store(path, key, result)
        source, found = result
        problems.extend(found)
        if source is not None:
            sources.append(source)
    if cache is not None:
        cache.forget_others(set(paths))
    _check_unique_ids(sources, problems)
    _check_tags(sources, problems)
    if registry is None:
        return None, problems
    return Site(tuple(sorted(sources, key=lambda source: source.entry.id)), registry), problems


def _load_registry(
    project: Project, problems: list[Problem]
) -> tuple[LicenseRegistry | None, bytes]:
    """The registry, and a key that changes whenever its file does."""
    path = project.licenses_file
    shown = project.shown(path)
    if not path.is_file():
        problems.append(Problem(shown, Position(1, 1), None, "the license registry is missing"))
        return None, b""
    raw = _bytes(path)
    document, found = parse(raw, shown)
    problems.extend(found)
    if found:
        return None, raw
    return _validate(LicenseRegistry, document, problems), raw


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""  # reported when the file is parsed: it reads as empty


LINK_NOT_ALLOWED = "symbolic link not allowed; copy what it points to here instead"


def linked(project: Project) -> list[Problem]:
    """Every symbolic link in the content and the templates, folders and the folders themselves
    included: MkDocs, Jinja and the theme follow links and would publish what they point to."""
    found = []
    for root in (project.content_dir, project.templates_dir):
        paths = [root] if root.is_symlink() else []
        if not paths:
            for folder, folders, files in os.walk(root):  # never into linked folders
                here = Path(folder)
                paths += [here / name for name in sorted(folders + files)]
        found += [
            Problem(project.shown(path), Position(1, 1), None, LINK_NOT_ALLOWED)
            for path in paths
            if path.is_symlink() and not _lock_file(path)
        ]
    return found


def _lock_file(path: Path) -> bool:
    """An editor's lock file, like Emacs' `.#entry.yaml`: a link to nothing (its target names
    who edits the file), under a name nothing reads. It points nowhere, so nothing can be
    published through it."""
    return ignored(path.name) and not path.exists()


def tree_key(project: Project) -> bytes:
    """A key of everything under the content and template folders: every name (shown or not,
    read as an entry or refused), its kind, a link's target and a file's bytes. Whatever a
    cold build would judge, a changed key makes it judge again."""
    digest = hashlib.blake2b(digest_size=32)
    for root in (project.content_dir, project.templates_dir):
        paths = [root]
        for folder, folders, files in os.walk(root):
            folders.sort()
            here = Path(folder)
            paths += [here / name for name in sorted(folders + files)]
        for path in paths:
            digest.update(os.fsencode(path) + b"\0")
            if path.is_symlink():
                digest.update(b"link\0" + os.fsencode(os.readlink(path)) + b"\0")
            elif path.is_dir():
                digest.update(b"folder\0")
            elif path.is_file():
                digest.update(b"file\0" + _file_digest(path))
            else:
                digest.update(b"other\0" if path.exists() else b"missing\0")
    return digest.digest()


def _file_digest(path: Path) -> bytes:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return b"unreadable"


def entry_files(project: Project, problems: list[Problem]) -> list[Path]:
    """The files read as entries, in order; files that do not belong are added to `problems`."""
    root = project.entries_dir
    if root.is_symlink():
        return []  # refused by `linked`
    if not root.is_dir():
        problems.append(
            Problem(project.shown(root), Position(1, 1), None, "the folder of entries is missing")
        )
        return []
    files = []
    for folder, folders, names in os.walk(root):  # never into linked folders
        here = Path(folder)
        folders[:] = sorted(name for name in folders if not ignored(name))
        for name in sorted(names) + [name for name in folders if (here / name).is_symlink()]:
            path = here / name
            if ignored(name):
                continue
            problem = None
            if path.is_symlink():
                continue  # refused by `linked`, with the folders
            if not printable_name(path.relative_to(root)):
                problem = "this file name has characters that cannot be shown; rename it"
            elif path.suffix != ENTRY_SUFFIX:
                problem = f"only entries belong here, each in a file ending in {ENTRY_SUFFIX}"
            if problem:
                problems.append(Problem(project.shown(path), Position(1, 1), None, problem))
            else:
                files.append(path)
    return sorted(files)


def _load_entry(
    project: Project, path: Path, raw: bytes, registry: LicenseRegistry | None
) -> tuple[Source | None, list[Problem]]:
    """One entry file, checked on its own: the entry, or its problems."""
    document, problems = parse(raw, project.shown(path))
    if problems:
        return None, problems
    context = _context(document.data, path, registry)
    problems = _check_markers(document, context)
    entry = _validate(Entry, document, problems, context)
    if entry is None or problems:
        return None, problems
    problems = _check_arms(entry, document)
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
                    where = field_path((field, index))
                    found.append(
                        Problem(document.path, position, where, problem, "citation-resolves")
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


def _check_arms(entry: Entry, document: Document) -> list[Problem]:
    """Arms are told apart by name; an effect compares two different arms of its cohort."""
    found = []
    for s, study in enumerate(entry.results):
        for c, cohort in enumerate(study.cohorts):
            at: Location = ("results", s, "cohorts", c)
            arms: list[str] = []
            for a, arm in enumerate(cohort.arms):
                if arm.name in arms:
                    message = f"another arm of this cohort is already named '{arm.name}'"
                    found.append(document.problem((*at, "arms", a, "name"), message))
                arms.append(arm.name)
            effect = cohort.effect
            if effect is None:
                continue
            for role in ("experimental", "control"):
                name = getattr(effect, role)
                if name not in arms:
                    message = f"'{name}' is not one of this cohort's arms: {', '.join(arms)}"
                    found.append(document.problem((*at, "effect", role), message))
            if effect.experimental == effect.control:
                message = "the control arm must differ from the experimental arm"
                found.append(document.problem((*at, "effect", "control"), message))
    return found


def _check_unique_ids(sources: list[Source], problems: list[Problem]) -> None:
    """Each id is one page address: not reserved, and not mistakable for another entry's."""
    ids: slug.Ids[Source] = slug.Ids()
    for source in sources:
        entry_id = source.entry.id
        if entry_id in RESERVED:
            problems.append(source.document.problem(("id",), f"id '{entry_id}' is reserved"))
            continue
        taken = ids.taken(entry_id)
        if taken is None:
            ids.add(entry_id, source)
            continue
        other, earlier = taken
        if other == entry_id:
            message = f"id '{entry_id}' is already used by {earlier.path}"
        else:
            message = (
                f"id '{entry_id}' looks like '{other}' ({earlier.path}); choose ids "
                "that cannot be mistaken for each other"
            )
        problems.append(source.document.problem(("id",), message))


def _check_tags(sources: list[Source], problems: list[Problem]) -> None:
    """Each tag gets a page at tags/<slug>/: the slug must exist and mean one spelling only, and
    no two tags may look alike to a reader."""
    by_slug: dict[str, tuple[str, Source]] = {}
    by_look: dict[str, tuple[str, Source]] = {}
    for source in sources:
        seen: set[str] = set()
        for index, name in enumerate(source.entry.tags):
            problem = slug.tag_problem(name)
            address, looks = tag_slug(name), slug.look(name)
            other = by_slug.get(address) or by_look.get(looks)
            if problem is None and other is not None and other[0] != name:
                problem = slug.same_page_problem(name, other[0])
                if other[1] is not source:
                    problem += f" (see {other[1].path})"
            elif problem is None and address in seen:
                problem = f"tag {name!r} is listed twice"
            if problem:
                problems.append(source.document.problem(("tags", index), problem))
                continue
            seen.add(address)
            by_slug.setdefault(address, (name, source))
            by_look.setdefault(looks, (name, source))


# --- schema errors as author messages ---------------------------------------------------------

M = typing.TypeVar("M", bound=BaseModel)


def _validate(
    model: type[M], document: Document, problems: list[Problem], context: Context | None = None
) -> M | None:
    try:
        return model.model_validate(document.data, context=context)
    except ValidationError as error:
        problems.extend(_schema_problems(model, document, error))
        return None


def _schema_problems(
    model: type[BaseModel], document: Document, error: ValidationError
) -> list[Problem]:
    found = []
    for detail in error.errors(include_url=False):
        location: Location = tuple(detail["loc"])
        kind = detail["type"]
        at_key = False
        if location and location[-1] == "[key]":
            location, at_key = location[:-1], True
        if kind == "missing":
            message = "required field is missing"
            # Point at the key that opens the mapping the field is missing from, if it has one.
            if location[:-1] in document.keys:
                found.append(
                    Problem(
                        document.path, document.keys[location[:-1]], field_path(location), message
                    )
                )
                continue
        elif kind == "extra_forbidden":
            message = _unknown_field(model, location)
            at_key = True
        elif detail.get("input", ...) is None:
            message = "is empty: give it a value, or leave the field out if it is optional"
        elif kind == "value_error":
            message = str(detail["ctx"]["error"])
        elif kind in ("model_type", "model_attributes_type") and not location:
            message = "the file must hold a mapping of fields (key: value lines)"
        elif kind == "model_type":
            message = "expected a mapping of fields (key: value lines)"
        elif kind == "list_type":
            message = "expected a list (lines starting with '- ')"
        elif kind == "string_type":
            message = "expected text, not a list or mapping"
        else:
            message = detail["msg"]
        rule = _RULE_TAG.search(message)
        problem = document.problem(location, message, key=at_key)
        if rule and rule.group(1) in RULES:  # a validator named its rule at the end
            problem = replace(problem, message=message[: rule.start()], rule=rule.group(1))
        found.append(problem)
    return found


_RULE_TAG = re.compile(r" \[([a-z-]+)\]$")


def _unknown_field(model: type[BaseModel], location: Location) -> str:
    allowed = _fields_at(model, location[:-1])
    name = str(location[-1])
    if not allowed:
        return "unknown field"
    close = difflib.get_close_matches(name, allowed, n=1)
    if close:
        return f"unknown field; did you mean '{close[0]}'?"
    return f"unknown field; allowed here: {', '.join(allowed)}"


def _fields_at(model: type[BaseModel], location: Location) -> list[str]:
    current: type[BaseModel] | None = model
    for part in location:
        if current is None:
            return []
        field = current.model_fields.get(part) if isinstance(part, str) else None
        if field is not None:
            current = _model_in(field.annotation)
        # Anything else is a list index or a mapping key: same model, next part.
    return list(current.model_fields) if current is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (list, dict, typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None
