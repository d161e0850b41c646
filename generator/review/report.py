"""The usage report of licensed quotes, for compliance officers and licensors: every quote by
license, with its entry, source, word count, the license's dates and the quote's status."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from generator.checks.licensing import LicenseReview, Use
from generator.checks.site import Site
from generator.content.problem import Problem
from generator.pages.publication import Publication
from generator.settings import Settings

COLUMNS = (
    "licensor",
    "license",
    "entry",
    "quote",
    "doi",
    "words",
    "valid_from",
    "valid_until",
    "status",
)


def _row(use: Use) -> dict[str, Any]:
    return {
        "licensor": use.license.licensor,
        "license": use.license_key,
        "entry": use.source.entry.id,
        "quote": use.index,
        "doi": use.reference.doi or "",
        "words": use.words,
        "valid_from": use.license.valid_from.isoformat() if use.license.valid_from else "",
        "valid_until": use.license.valid_until.isoformat() if use.license.valid_until else "",
        "status": use.status,
    }


def _uses(review: LicenseReview) -> list[Use]:
    return sorted(
        review.uses,
        key=lambda u: (u.license.licensor.casefold(), u.license_key, u.source.entry.id, u.index),
    )


def csv_text(site: Site, review: LicenseReview, settings: Settings) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for use in _uses(review):
        writer.writerow(_row(use))
    return out.getvalue()


def json_text(site: Site, review: LicenseReview, settings: Settings) -> str:
    licenses = []
    for key, license in sorted(
        site.licenses.licenses.items(),
        key=lambda item: (item[1].licensor.casefold(), item[0]),
    ):
        licenses.append(
            {
                "license": key,
                **license.model_dump(mode="json"),
                "quotes": [
                    {name: _row(use)[name] for name in ("entry", "quote", "doi", "words", "status")}
                    for use in _uses(review)
                    if use.license_key == key
                ],
            }
        )
    document = {
        "as_of": settings.as_of.isoformat(),
        "policy": settings.policy,
        "expiring_within_days": settings.warning_days,
        "licenses": licenses,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def table(site: Site, review: LicenseReview, settings: Settings) -> str:
    heading = (
        f"Licensed quotes as of {settings.as_of} (policy: {settings.policy}; 'expiring' means "
        f"ending within {settings.warning_days} days)"
    )
    rows = [[str(value) for value in _row(use).values()] for use in _uses(review)]
    if not rows:
        return f"{heading}\n\nNo quotes.\n"
    widths = [max(len(column), *(len(row[i]) for row in rows)) for i, column in enumerate(COLUMNS)]
    lines = [heading, ""]
    for row in [list(COLUMNS), ["-" * width for width in widths], *rows]:
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return "\n".join(lines) + "\n"


def findings_json(outcome: Publication, settings: Settings) -> str:
    """Every finding of a run of the checks, and every waiver with its reason, for tools."""

    def finding(problem: Problem) -> dict[str, Any]:
        return {
            "path": problem.path,
            "line": problem.position.line,
            "column": problem.position.column,
            "field": problem.field,
            "rule": problem.rule,
            "severity": "warning" if problem.warning else "error",
            "message": problem.message,
        }

    problems = sorted(outcome.errors + outcome.warnings)
    document = {
        "as_of": settings.as_of.isoformat(),
        "entries": outcome.entries,
        "errors": len(outcome.errors),
        "warnings": len(outcome.warnings),
        "findings": [finding(problem) for problem in problems],
        "waived": [
            {**finding(waived.problem), "reason": waived.reason} for waived in outcome.waived
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
