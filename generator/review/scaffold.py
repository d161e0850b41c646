"""A new entry: a skeleton that passes every check, with each field explained, written as a
draft so that its placeholder text can never be published."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from generator.checks import placeholder
from generator.checks.fields import SLUG_MAX, Slug, Text
from generator.content import files, slug
from generator.content.characters import INVISIBLE
from generator.content.project import ENTRY_SUFFIX, Project

SKELETON = """\
# yaml-language-server: $schema={schema}
# A new entry. Each field is explained in the comment above it; `python -m generator check`
# says what is missing or wrong, with the line and column. See README.md for the full format.

# The page address (evidence/{id}/); the file name must be the same.
id: {id}

# While this says true, the entry is checked and shown by `mkdocs serve`, but never published.
# Delete the line when the entry is ready.
draft: true

# The clinical question, as a reader would ask it.
question: {question}

# The day the entry was last checked against its sources (YYYY-MM-DD).
last_reviewed: {today}

# Words readers will look for: the drug, the condition. Each gets a page listing its entries.
tags: []

# The answer, paragraph by paragraph. Cite references with [1], [2-3] or [1,3].
answer:
  - >-
    {placeholder}

# Structured results, one item per trial. Uncomment and fill in (README: The entry format):
# results:
#   - trial: NAME OF THE TRIAL
#     reference: 1                 # the number of the reference that reports it
#     cohorts:
#       - population: Who was studied
#         patients: 100            # randomised in the cohort, all arms
#         arms:                    # every arm once: its name, patients and regimen
#           - name: Drug
#             patients: 50
#             regimen: [{{drug: Drug, dose: 10 mg, schedule: daily}}]
#           - name: Placebo
#             patients: 50
#         outcomes:
#           - endpoint: Progression-free survival
#             kind: time to event  # or rate (needs time_point), response, continuous
#             unit: months
#             source: abstract     # or full text, table, figure
#             arms:                # each arm's figure; `median: not reached` if so
#               - {{arm: Drug, median: 8.4}}
#               - {{arm: Placebo, median: 3.9}}
#             comparisons:         # any number, each naming two arms above
#               - experimental: Drug
#                 control: Placebo
#                 measure: hazard ratio   # or odds ratio, risk ratio, risk/mean difference
#                 estimate: 0.38
#                 ci_lower: 0.25
#                 ci_upper: 0.59
#                 ci_level: 95     # leave out for 95
#                 p_value: <0.001  # exactly as published

# Passages quoted word for word under a license from content/licenses.yml. After checking the
# text against the source, record its fingerprint: python -m generator fingerprint FILE
# quotes:
#   - text:
#       - >-
#         The passage, exactly as published.
#     attribution: As the licensor gives it
#     reference: 1
#     license: KEY OF THE LICENSE

# The summary, paragraph by paragraph, citing references like the answer.
summary: []

# The references, numbered in this order. Only fields that a bibliographic record confirms.
references: []
#   - title: Title of the article
#     authors: [Surname AB, Surname CD]
#     et_al: true                  # if the list is cut short
#     journal: Journal abbreviation
#     published_online: 2024-09-16
#     issue: {{date: 2025-02-13, volume: 392, number: 7, pages: 653-665}}
#     doi: 10.1056/...
#     pmid: 12345678
#     nct_id: NCT01234567

# Sources looked at but not used in the answer: a title, or an excerpt, and an address if known.
external_sources: []
"""


class ScaffoldError(Exception):
    """The entry cannot be created; nothing was written."""


def new_entry(project: Project, entry_id: str, question: str, today: date) -> Path:
    """Write the skeleton of entry `entry_id` and return its path; never overwrite a file."""
    problem = _id_problem(project, entry_id) or _question_problem(question)
    if problem:
        raise ScaffoldError(problem)
    path = project.entries_dir / f"{entry_id}{ENTRY_SUFFIX}"
    schema = Path("..", "..", "schema", "entry.schema.json").as_posix()
    text = SKELETON.format(
        schema=schema,
        id=entry_id,
        question=json.dumps(question, ensure_ascii=False),
        today=today.isoformat(),
        placeholder=placeholder.ANSWER,
    )
    project.entries_dir.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # 'x': fails if it exists
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(
            f"{project.shown(path)} already exists; it was left as it was"
        ) from None
    return path


def _id_problem(project: Project, entry_id: str) -> str | None:
    try:
        TypeAdapter(Slug).validate_python(entry_id)
    except ValidationError as error:
        return str(error.errors()[0]["ctx"]["error"])
    if len(entry_id) > SLUG_MAX or entry_id in slug.RESERVED:
        return f"'{entry_id}' is reserved; choose another id"
    # The loader requires each entry's id to be its file's name, so the names of the files it
    # reads are the ids in use, also of entries that do not pass their checks yet. A file at
    # the new entry's own path is left to the writing, which says it exists.
    target = project.entries_dir / f"{entry_id}{ENTRY_SUFFIX}"
    ids: slug.Ids[Path] = slug.Ids()
    for path in files.entry_files(project, []):  # a missing folder is made, not a problem here
        if path != target:
            ids.add(path.stem, path)
    taken = ids.taken(entry_id)
    if taken is None:
        return None
    other, path = taken
    shown = project.shown(path)
    if other == entry_id:
        return f"'{entry_id}' is already used by {shown}; edit that entry or choose another id"
    return f"'{entry_id}' looks like '{other}' ({shown}); choose another id"


def _question_problem(question: str) -> str | None:
    try:
        TypeAdapter(Text).validate_python(question)
    except ValidationError as error:
        return f"the question {error.errors()[0]['ctx']['error']}"
    if INVISIBLE.search(question):
        return "the question holds an invisible or control character"
    return None
