"""All checks of the content, in one run: each file on its own (`load`), then the licenses
(`licensing`) and the consistency rules (`rules`), which look across fields and entries.
Errors stop publishing; warnings do not, but fail a strict build."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.checks import licensing, rules
from generator.checks.load import read_content
from generator.checks.site import Site
from generator.content.problem import ContentError, Problem
from generator.content.project import Project
from generator.settings import Settings


@dataclass(frozen=True)
class Checked:
    """Content that passed every check, with what the checks decided about it."""

    site: Site
    licensing: licensing.LicenseReview
    rules: rules.RuleReview
    warnings: tuple[Problem, ...]
    settings: Settings


@dataclass
class CheckRun:
    """Everything a run of the checks found, whether or not the content may be published."""

    site: Site | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    waived: list[rules.Waived] = field(default_factory=list)
    licensing: licensing.LicenseReview | None = None
    rules: rules.RuleReview | None = None


def collect(project: Project, settings: Settings) -> CheckRun:
    site, problems = read_content(project)
    outcome = CheckRun(site, errors=problems)
    if site is None:
        return outcome
    outcome.licensing = licensing.review(site, settings)
    outcome.rules = rules.review(site, settings)
    outcome.errors += outcome.licensing.errors + outcome.rules.errors
    outcome.warnings = sorted(outcome.licensing.warnings + outcome.rules.warnings)
    outcome.waived = outcome.rules.waived
    return outcome


def run(project: Project, settings: Settings) -> Checked:
    """Check everything; raise `ContentError` with every error found in any file."""
    return publishable(collect(project, settings), settings)


def publishable(outcome: CheckRun, settings: Settings) -> Checked:
    """The checked content, if nothing stops it from being published."""
    if outcome.errors or outcome.site is None:
        raise ContentError(outcome.errors)
    assert outcome.licensing is not None
    assert outcome.rules is not None
    return Checked(
        outcome.site, outcome.licensing, outcome.rules, tuple(outcome.warnings), settings
    )
