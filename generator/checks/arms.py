"""Arms are named once per cohort and every result and comparison names one of them; results
in the shape before arms were listed once are sent to `migrate`, not misread."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.checks.trial import Cohort
from generator.content.document import Document, Location
from generator.content.problem import Problem


def first_shape(cohort: Any) -> bool:
    """Whether a cohort is written in the first release's shape: an endpoint or an effect of
    its own, and no outcomes."""
    return (
        isinstance(cohort, dict)
        and "outcomes" not in cohort
        and ("endpoint" in cohort or "effect" in cohort)
    )


def old_shape(document: Document) -> list[Problem]:
    """Cohorts written with one endpoint, per-arm medians and one effect (the shape of the
    first release): the schema would call each of those fields unknown, which says nothing
    about what to do."""
    found = []
    data: Any = document.data
    studies = data.get("results") if isinstance(data, dict) else None
    for s, study in enumerate(studies if isinstance(studies, list) else []):
        cohorts = study.get("cohorts") if isinstance(study, dict) else None
        for c, cohort in enumerate(cohorts if isinstance(cohorts, list) else []):
            if first_shape(cohort):
                found.append(
                    document.problem(
                        ("results", s, "cohorts", c),
                        "this cohort is in the one-endpoint shape of earlier versions: rewrite "
                        f"it with: python -m generator migrate {document.path}",
                    )
                )
    return found


def check_arms(cohorts: Sequence[tuple[Location, Cohort]], document: Document) -> list[Problem]:
    found = []
    for at, cohort in cohorts:
        arms: list[str] = []
        for a, arm in enumerate(cohort.arms):
            if arm.name in arms:
                message = f"another arm of this cohort is already named '{arm.name}'"
                found.append(document.problem((*at, "arms", a, "name"), message))
            arms.append(arm.name)
        for o, outcome in enumerate(cohort.outcomes):
            here = (*at, "outcomes", o)
            seen: list[str] = []
            for r, result in enumerate(outcome.arms):
                if result.arm not in arms:
                    found.append(_not_an_arm(document, (*here, "arms", r, "arm"), result.arm, arms))
                elif result.arm in seen:
                    message = f"this outcome already gives a result for '{result.arm}'"
                    found.append(document.problem((*here, "arms", r, "arm"), message))
                seen.append(result.arm)
            for k, comparison in enumerate(outcome.comparisons):
                there = (*here, "comparisons", k)
                for role in ("experimental", "control"):
                    name = getattr(comparison, role)
                    if name not in arms:
                        found.append(_not_an_arm(document, (*there, role), name, arms))
                if comparison.experimental == comparison.control:
                    message = "the control arm must differ from the experimental arm"
                    found.append(document.problem((*there, "control"), message))
    return found


def _not_an_arm(document: Document, at: Location, name: str, arms: list[str]) -> Problem:
    return document.problem(at, f"'{name}' is not one of this cohort's arms: {', '.join(arms)}")
