"""An entry as HL7 FHIR R5: a Bundle of `Evidence` resources, one for each comparison of each
outcome (population, exposure, comparator, outcome; each statistic with its type, estimate, CI
and level, P value and sample size; the certainty), and a `Citation` for each reference.

Published beside the entry's page (`plan.export_path`), so that other systems read the same
numbers the page shows. Numbers are written as the author wrote them (0.30 stays 0.30, which
FHIR's decimal keeps), never through binary floating point; absolute effects are the ones the
page shows (`checks.absolute`), per 1,000. Codes are those of FHIR R5 (5.0.0).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from decimal import Decimal
from typing import Any

from generator.checks import absolute
from generator.checks.absolute import Absolute
from generator.checks.models import Entry, Reference
from generator.checks.quantities import NOT_REACHED, p_bound
from generator.checks.trial import DOWN, ArmResult, Certainty, Cohort, Comparison, Outcome, Study

_STATISTIC = "http://terminology.hl7.org/CodeSystem/statistic-type"
_ESTIMATE = "http://terminology.hl7.org/CodeSystem/attribute-estimate-type"
_ROLE = "http://terminology.hl7.org/CodeSystem/variable-role"
_CERTAINTY_TYPE = "http://hl7.org/fhir/certainty-type"
_CERTAINTY_RATING = "http://hl7.org/fhir/certainty-rating"
_STATISTICS = {
    "hazard ratio": ("C93150", "Hazard Ratio"),
    "risk ratio": ("C93152", "Relative Risk"),
    "odds ratio": ("C16932", "Odds Ratio"),
    "risk difference": ("0000424", "Risk Difference"),
    "mean difference": ("0000457", "Mean Difference"),
    "median": ("C28007", "Median"),
    "mean": ("C53319", "Mean"),
    "proportion": ("C44256", "Proportion"),
    "count": ("C25463", "Count"),
    "predicted risk": ("predictedRisk", "Predicted Risk"),
}
_DOMAINS = {
    "risk of bias": "RiskOfBias",
    "inconsistency": "Inconsistency",
    "indirectness": "Indirectness",
    "imprecision": "Imprecision",
    "publication bias": "PublicationBias",
    "large effect": "LargeEffect",
    "dose response": "DoseResponseGradient",
    "plausible confounding": "PlausibleConfounding",
}
_COMPARATORS = {"<": "<", ">": ">", "≤": "<=", "≥": ">="}
PER_1000 = "per 1000"
_NAMESPACE = uuid.UUID("5f0f8a3e-2f43-5a53-9d0b-6f7d3f1c8e21")


def bundle(entry: Entry) -> str:
    """The entry's Bundle as JSON text, the same for the same entry."""
    citations = [_citation(entry, n, reference) for n, reference in enumerate(entry.references, 1)]
    evidence = []
    for s, study in enumerate(entry.results):
        for c, cohort in enumerate(study.cohorts):
            for o, outcome in enumerate(cohort.outcomes):
                evidence += _evidence(entry, study, cohort, outcome, f"{s + 1}-{c + 1}-{o + 1}")
    resources = [*evidence, *citations]
    data = {
        "resourceType": "Bundle",
        "id": "evidence",
        "type": "collection",
        "entry": [
            {"fullUrl": _url(entry, r["resourceType"], r["id"]), "resource": r} for r in resources
        ],
    }
    return _DECIMAL.sub(
        r"\1", json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_number)
    )


def _url(entry: Entry, kind: str, ident: str) -> str:
    """A name-based UUID (version 5, as `uuid.uuid5` makes it), the same for the same entry:
    written out by hand, which takes a fifth of the time of the UUID object."""
    name = f"{entry.id}/{kind}/{ident}".encode()
    digest = bytearray(hashlib.sha1(_NAMESPACE.bytes + name, usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# Decimals go out as the author wrote them: marked strings, unquoted after dumping. No author
# text can hold the mark, NUL, which the entries' checks refuse (`content.characters`).
_DECIMAL = re.compile(r'"\\u0000(-?[0-9]+(?:\.[0-9]+)?)"')


def _number(value: object) -> str:
    if isinstance(value, Decimal):  # as written, never as 1E-7
        return f"\0{Decimal(value):f}"
    raise TypeError(f"not JSON: {value!r}")


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding: dict[str, Any] = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def _role(code: str) -> dict[str, Any]:
    return _coding(_ROLE, code)


def _evidence(
    entry: Entry, study: Study, cohort: Cohort, outcome: Outcome, place: str
) -> list[dict[str, Any]]:
    measured = outcome.endpoint + (f", {outcome.time_point}" if outcome.time_point else "")
    rows = list(absolute.rows(cohort, outcome))
    made = []
    pairs: list[tuple[str | None, str | None, absolute.Compared | None]] = [
        (row.experimental, row.control, row) for row in rows
    ] or [(None, None, None)]
    for k, (experimental, control, row) in enumerate(pairs, 1):
        variables = [
            {
                "description": f"{cohort.population} ({cohort.patients} patients randomised)",
                "variableRole": _role("population"),
            }
        ]
        if experimental and control:
            variables += [
                {"description": experimental, "variableRole": _role("exposure")},
                {"description": control, "variableRole": _role("referenceExposure")},
            ]
        variables.append({"description": measured, "variableRole": _role("measuredVariable")})
        shown = [
            r for r in outcome.arms if experimental is None or r.arm in (experimental, control)
        ]
        randomised = {arm.name: arm.patients for arm in cohort.arms}
        statistics = [
            _arm_statistic(outcome, result, randomised.get(result.arm)) for result in shown
        ]
        comparison = row.comparison if row else None
        patients = absolute.participants(cohort, row)
        if comparison is not None and comparison.measure and comparison.estimate is not None:
            statistics.append(_effect(outcome, comparison, patients))
        elif comparison is not None and comparison.p_value is not None:
            statistics.append(
                {
                    "description": f"{experimental} compared with {control}",
                    "attributeEstimate": [_p(comparison.p_value)],
                }
            )
        if row is not None and row.absolute is not None:
            statistics += _absolute(row.absolute, patients)
        certainty = outcome.certainty or (comparison.certainty if comparison else None)
        title = f"{measured}: {experimental} vs {control}" if experimental else measured
        resource: dict[str, Any] = {
            "resourceType": "Evidence",
            "id": f"evidence-{place}-{k}",
            "title": f"{title} ({study.trial})",
            "citeAsReference": {
                "reference": _url(entry, "Citation", f"reference-{study.reference}")
            },
            "status": "draft" if entry.draft else "active",
            "variableDefinition": variables,
            "statistic": statistics,
        }
        if certainty is not None:
            resource["certainty"] = [_certainty(certainty)]
        made.append(resource)
    return made


def _arm_statistic(outcome: Outcome, result: ArmResult, randomised: int | None) -> dict[str, Any]:
    """One arm's figure; its sample, the patients it is counted in (or randomised to it)."""
    statistic: dict[str, Any] = {"category": {"text": result.arm}}
    unit = {"unit": outcome.unit} if outcome.unit else {}
    if result.percent is not None and result.median is None and result.mean is None:
        unit = {"unit": "%"}
    if result.median is not None and result.median != NOT_REACHED:
        statistic["statisticType"] = _coding(_STATISTIC, *_STATISTICS["median"])
        statistic["quantity"] = {"value": result.median, **unit}
    elif result.median == NOT_REACHED:
        statistic["statisticType"] = _coding(_STATISTIC, *_STATISTICS["median"])
        statistic["description"] = "Median not reached"
    elif result.mean is not None:
        statistic["statisticType"] = _coding(_STATISTIC, *_STATISTICS["mean"])
        statistic["quantity"] = {"value": result.mean, **unit}
    elif result.percent is not None:
        statistic["statisticType"] = _coding(_STATISTIC, *_STATISTICS["proportion"])
        statistic["quantity"] = {"value": result.percent, **unit}
    elif result.events is not None:
        statistic["statisticType"] = _coding(_STATISTIC, *_STATISTICS["count"])
        statistic["quantity"] = {"value": result.events}
    if result.events is not None:
        statistic["numberOfEvents"] = result.events
    if result.total is not None or randomised is not None:
        statistic["sampleSize"] = {"numberOfParticipants": result.total or randomised}
    estimates = []
    if result.sd is not None:
        estimates.append({"type": _coding(_ESTIMATE, "C53322", "Standard deviation"),
                          "quantity": {"value": result.sd, **unit}})  # fmt: skip
    if result.ci_lower is not None and result.ci_upper is not None:
        estimates.append(_interval(result.ci_lower, result.ci_upper, result.ci_level, unit))
    if estimates:
        statistic["attributeEstimate"] = estimates
    return statistic


def _interval(
    lower: Decimal | int, upper: Decimal | int, level: Decimal, unit: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "type": _coding(_ESTIMATE, "C53324", "Confidence interval"),
        "level": (level / 100).normalize(),
        "range": {
            "low": {"value": lower, **(unit or {})},
            "high": {"value": upper, **(unit or {})},
        },
    }


def _p(written: str) -> dict[str, Any]:
    operator, value = p_bound(written)
    quantity: dict[str, Any] = {"value": value}
    if operator in _COMPARATORS:
        quantity["comparator"] = _COMPARATORS[operator]
    return {
        "description": f"P value as published: {written}",
        "type": _coding(_ESTIMATE, "C44185", "P-value"),
        "quantity": quantity,
    }


def _effect(outcome: Outcome, comparison: Comparison, patients: int) -> dict[str, Any]:
    assert comparison.measure is not None
    unit: dict[str, Any] = {}  # a difference is in the unit of the figures it compares
    if comparison.measure == "risk difference":
        unit = {"unit": "percentage points"}
    elif comparison.measure == "mean difference" and outcome.unit:
        unit = {"unit": outcome.unit}
    statistic: dict[str, Any] = {
        "description": comparison.description or comparison.measure,
        "statisticType": _coding(_STATISTIC, *_STATISTICS[comparison.measure]),
        "quantity": {"value": comparison.estimate, **unit},
        "sampleSize": {"numberOfStudies": 1, "numberOfParticipants": patients},
    }
    estimates = []
    if comparison.ci_lower is not None and comparison.ci_upper is not None:
        estimates.append(
            _interval(comparison.ci_lower, comparison.ci_upper, comparison.ci_level, unit)
        )
    if comparison.p_value is not None:
        estimates.append(_p(comparison.p_value))
    if comparison.test:
        statistic["note"] = [{"text": f"Test: {comparison.test}"}]
    if estimates:
        statistic["attributeEstimate"] = estimates
    return statistic


def _absolute(made: Absolute, patients: int) -> list[dict[str, Any]]:
    """The page's absolute effects, per 1,000, each saying how it was derived."""
    comparator, intervention, ci = made.per_1000()
    difference, difference_ci = made.difference_per_1000()
    how = derivation(made)
    unit: dict[str, Any] = {"unit": PER_1000}
    found: list[dict[str, Any]] = [
        {
            "description": f"Risk with the comparator, per 1,000. {how}",
            "statisticType": _coding(_STATISTIC, *_STATISTICS["proportion"]),
            "quantity": {"value": comparator, **unit},
        },
        {
            "description": f"Risk with the intervention, per 1,000. {how}",
            "statisticType": _coding(_STATISTIC, *_STATISTICS["predicted risk"]),
            "quantity": {"value": intervention, **unit},
            **({"attributeEstimate": [_interval(*ci, made.level, unit)]} if ci else {}),
        },
        {
            "description": f"Risk difference, per 1,000. {how}",
            "statisticType": _coding(_STATISTIC, *_STATISTICS["risk difference"]),
            "quantity": {"value": difference, **unit},
            "sampleSize": {"numberOfStudies": 1, "numberOfParticipants": patients},
            **(
                {"attributeEstimate": [_interval(*difference_ci, made.level, unit)]}
                if difference_ci
                else {}
            ),
        },
    ]
    nnt = made.nnt()
    if nnt is not None:
        found.append(
            {
                "description": "Number needed to treat, rounded up: patients treated for one "
                "more (or one fewer) with the outcome.",
                "statisticType": {"text": "Number needed to treat"},
                "quantity": {"value": nnt[0]},
                **({"attributeEstimate": [_interval(*nnt[1], made.level)]} if nnt[1] else {}),
            }
        )
    return found


def derivation(made: Absolute) -> str:
    """How an absolute effect was derived, in a sentence, as the page labels it."""
    if made.method == "events":
        assert made.ratio is not None
        return (
            "Computed from the events and totals: the risk ratio they give, with its 95% CI, "
            "applied to the comparator's risk."
        )
    if made.method == "risk difference":
        return "The published risk difference and its CI added to the comparator's risk."
    if made.method in ("risk ratio", "odds ratio"):
        return f"The published {made.method} and its CI applied to the comparator's risk."
    if made.method == "rates":
        if made.difference_ci is None:
            return "From each arm's percentage; no CI, as the arms' CIs are not both given."
        return "From each arm's percentage; the difference's CI recovered from the arms' CIs."
    return (
        f"From the hazard ratio, at {made.at}, the comparator's median, when half of its "
        "patients had had the event (proportional hazards assumed)."
    )


def _certainty(certainty: Certainty) -> dict[str, Any]:
    rating = certainty.rating.replace(" ", "-")
    found: dict[str, Any] = {
        "type": _coding(_CERTAINTY_TYPE, "Overall", "Overall certainty"),
        "rating": _coding(_CERTAINTY_RATING, rating),
        "rater": "GRADE, rated by the entry's editors",
    }
    if certainty.reasons:
        found["subcomponent"] = [
            {
                "type": _coding(_CERTAINTY_TYPE, _DOMAINS[reason.domain]),
                "rating": _coding(_CERTAINTY_RATING, _concern(reason.domain, reason.levels)),
                "note": [{"text": reason.explanation}],
            }
            for reason in certainty.reasons
        ]
    return found


def _concern(domain: str, levels: int) -> str:
    if domain in DOWN:
        return "serious-concern" if levels == 1 else "very-serious-concern"
    return f"upcode{levels}"


def _citation(entry: Entry, number: int, reference: Reference) -> dict[str, Any]:
    identifiers = [
        {"system": system, "value": value}
        for system, value in (
            ("https://doi.org", reference.doi),
            ("https://pubmed.ncbi.nlm.nih.gov", reference.pmid),
            ("https://www.ncbi.nlm.nih.gov/pmc", reference.pmcid),
            ("https://clinicaltrials.gov", reference.nct_id),
        )
        if value
    ]
    artifact: dict[str, Any] = {"title": [{"text": reference.title}]}
    if identifiers:
        artifact["identifier"] = identifiers
    form: dict[str, Any] = {}
    if reference.journal:
        form["publishedIn"] = {"title": reference.journal}
    if reference.issue is not None:
        issue = reference.issue
        form["articleDate"] = str(issue.date)
        form.update(
            {
                k: v
                for k, v in (
                    ("volume", issue.volume),
                    ("issue", issue.number),
                    ("pageString", issue.pages),
                )
                if v
            }
        )
    elif reference.published_online is not None:
        form["articleDate"] = reference.published_online.isoformat()
    if form:
        artifact["publicationForm"] = [form]
    if reference.url:
        artifact["webLocation"] = [{"url": reference.url}]
    authors = ", ".join(reference.authors) + (", et al." if reference.et_al else ".")
    artifact["contributorship"] = {
        "complete": not reference.et_al,
        "summary": [
            {
                "type": _coding("http://hl7.org/fhir/contributor-summary-type", "author-string"),
                "value": authors,
            }
        ],
    }
    return {
        "resourceType": "Citation",
        "id": f"reference-{number}",
        "status": "draft" if entry.draft else "active",
        "title": f"Reference {number}",
        "citedArtifact": artifact,
    }
