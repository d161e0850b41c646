"""All checks of the content, in one run: each file on its own (`load`), then the rules that look
across entries and at the licenses (`licensing`). Errors stop publishing; warnings do not, but
fail a strict build."""

from __future__ import annotations

from dataclasses import dataclass

from generator import licensing
from generator.load import Site, read_content
from generator.problem import ContentError, Problem
from generator.project import Project


@dataclass(frozen=True)
class Checked:
    """Content that passed every check, with what the checks decided about it."""

    site: Site
    licensing: licensing.Review
    warnings: tuple[Problem, ...]


def run(project: Project, settings: licensing.Settings) -> Checked:
    """Check everything; raise `ContentError` with every error found in any file."""
    site, problems = read_content(project)
    if site is None:
        raise ContentError(problems)
    review = licensing.review(site, settings)
    problems += review.errors
    if problems:
        raise ContentError(problems)
    return Checked(site, review, tuple(sorted(review.warnings)))
