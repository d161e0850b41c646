"""Synthetic evidence entries for the benchmarks: seed-sized, varied, and valid against every
check, so that a benchmark measures the work a real library of this size would cause.

Every entry says that it is synthetic. Its DOIs use 10.5555, the prefix Crossref keeps for
examples, and it has no PMIDs: nothing here can be mistaken for a real bibliographic fact.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from pathlib import Path

import yaml

from generator.checks.licensing import fingerprint

DRUGS = (
    "abemaciclib acalabrutinib afatinib alectinib alpelisib amivantamab apalutamide atezolizumab "
    "avelumab axitinib belzutifan bevacizumab binimetinib bosutinib brigatinib cabozantinib "
    "capivasertib carfilzomib cemiplimab ceritinib cetuximab crizotinib dabrafenib dacomitinib "
    "daratumumab darolutamide dasatinib datopotamab dostarlimab durvalumab elacestrant "
    "encorafenib enfortumab entrectinib enzalutamide erdafitinib erlotinib everolimus "
    "fruquintinib futibatinib gefitinib gilteritinib ibrutinib imatinib ipilimumab ivosidenib "
    "lapatinib larotrectinib lenvatinib lorlatinib lurbinectedin mobocertinib neratinib "
    "nilotinib niraparib nivolumab olaparib osimertinib palbociclib panitumumab pazopanib "
    "pembrolizumab pemigatinib pralsetinib ramucirumab regorafenib ribociclib rucaparib "
    "selpercatinib sotorasib sunitinib talazoparib tebentafusp tepotinib tislelizumab "
    "tivozanib trametinib trastuzumab tremelimumab tucatinib vandetanib vemurafenib zanubrutinib"
).split()
CONDITIONS = (
    "neuroendocrine tumors|pancreatic cancer|hepatocellular carcinoma|renal cell carcinoma|"
    "non-small cell lung cancer|small cell lung cancer|melanoma|breast cancer|ovarian cancer|"
    "endometrial cancer|cervical cancer|prostate cancer|urothelial carcinoma|gastric cancer|"
    "colorectal cancer|biliary tract cancer|thyroid cancer|glioblastoma|mesothelioma|"
    "head and neck cancer|esophageal cancer|multiple myeloma|mantle cell lymphoma|"
    "chronic lymphocytic leukemia|acute myeloid leukemia|gastrointestinal stromal tumors|"
    "soft tissue sarcoma|osteosarcoma|uveal melanoma|Merkel cell carcinoma"
).split("|")
ENDPOINTS = ("Progression-free survival", "Overall survival", "Event-free survival")
SUBGROUPS = (
    "previously treated",
    "treatment-naive",
    "advanced",
    "metastatic",
    "locally advanced",
    "recurrent",
    "high-risk",
    "elderly",
    "biomarker-positive",
    "biomarker-negative",
)
JOURNALS = (
    "N Engl J Med",
    "Lancet Oncol",
    "J Clin Oncol",
    "JAMA Oncol",
    "Ann Oncol",
    "Cancer Discov",
    "Clin Cancer Res",
    "Endocr Relat Cancer",
    "Eur J Cancer",
    "Br J Cancer",
)
SURNAMES = (
    "Abe Alvarez Bauer Becker Chen Costa Dubois Eriksson Fischer Garcia Hansen Ito Jensen Kim "
    "Kowalski Larsen Lopez Moreau Muller Nakamura Novak Okafor Olsen Patel Rossi Santos Schmidt "
    "Silva Suzuki Tanaka Torres Varga Wang Weber Yamamoto Zhang"
).split()
WORDS = (
    "activity analysis angiogenesis benefit biomarkers cells cohort combination control data "
    "disease dose efficacy endpoint evidence expression findings growth inhibition kinase "
    "mechanism metastasis models outcomes pathway patients population progression receptor "
    "resistance response safety signalling studies survival therapy tolerability toxicity "
    "treatment trials tumour vasculature"
).split()
AS_OF = date(2026, 11, 24)  # the benchmark's fixed "as of" date: entries stay fresh
LICENSES = """\
licenses:
  synthetic:
    licensor: Synthetic Licensor (benchmark data, not a real licensor)
    credit_line: Used under a synthetic license for benchmarking only.
    url: https://example.org/
    valid_from: 2020-01-01
    words_per_quote: 200
    words_per_article: 600
    link_required: true
"""


class Paragraph(str):
    """A paragraph written as a folded block, the way authors write prose."""


def _folded(dumper: yaml.SafeDumper, value: Paragraph) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=">")


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Paragraph, _folded)


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _prose(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(9, 18)) for _ in range(sentences))


def _cohort(rng: random.Random, drug: str, condition: str) -> dict[str, object]:
    control = round(rng.uniform(2.5, 20.0), 1)
    significant = rng.random() < 0.75
    if significant:
        upper = round(rng.uniform(0.5, 0.95), 2)
        estimate = round(upper * rng.uniform(0.55, 0.85), 2)
        lower = round(estimate * rng.uniform(0.5, 0.85), 2)
        p_value = rng.choice(("<0.001", "0.002", "0.01", "0.03"))
    else:
        estimate = round(rng.uniform(0.8, 0.98), 2)
        lower = round(estimate * rng.uniform(0.6, 0.85), 2)
        upper = round(rng.uniform(1.05, 1.4), 2)
        p_value = rng.choice(("0.21", "0.34", "0.48", "0.62"))
    experimental = round(control / estimate * rng.uniform(0.95, 1.05), 1)
    experimental = max(experimental, round(control + 0.1, 1))
    return {
        "population": f"{rng.choice(SUBGROUPS).capitalize()} {condition}",
        "patients": rng.randint(60, 900),
        "arms": [{"name": drug.capitalize()}, {"name": "Placebo"}],
        "outcomes": [
            {
                "endpoint": rng.choice(ENDPOINTS),
                "kind": "time to event",
                "unit": "months",
                "arms": [
                    {"arm": drug.capitalize(), "median": experimental},
                    {"arm": "Placebo", "median": control},
                ],
                "comparisons": [
                    {
                        "experimental": drug.capitalize(),
                        "control": "Placebo",
                        "measure": "hazard ratio",
                        "estimate": estimate,
                        "ci_lower": lower,
                        "ci_upper": upper,
                        "p_value": p_value,
                    }
                ],
            }
        ],
    }


def _finding(cohort: dict[str, object]) -> str:
    """One cohort's numbers in words, as a summary or a quote states them."""
    outcomes = cohort["outcomes"]
    assert isinstance(outcomes, list)
    (outcome,) = outcomes
    arms, (effect,) = outcome["arms"], outcome["comparisons"]
    return (
        f"In the {cohort['patients']} patients with {str(cohort['population']).lower()}, the "
        f"median {str(outcome['endpoint']).lower()} was {arms[0]['median']} months with "
        f"{arms[0]['arm'].lower()} and {arms[1]['median']} months with placebo (hazard ratio, "
        f"{effect['estimate']}; 95% CI, {effect['ci_lower']} to {effect['ci_upper']})."
    )


def _reference(rng: random.Random, number: int, index: int) -> dict[str, object]:
    authors = [f"{rng.choice(SURNAMES)} {rng.choice('ABCDEFGHJKLMNPRST')}" for _ in range(3)]
    year = rng.randint(2012, 2025)
    first_page = rng.randint(100, 2000)
    return {
        "title": f"Synthetic benchmark article: {_sentence(rng, rng.randint(6, 12))[:-1]}",
        "authors": sorted(set(authors), key=authors.index),
        "et_al": rng.random() < 0.7,
        "journal": rng.choice(JOURNALS),
        "issue": {
            "date": year,
            "volume": rng.randint(10, 400),
            "number": rng.randint(1, 24),
            "pages": f"{first_page}-{first_page + rng.randint(5, 15)}",
        },
        "doi": f"10.5555/evidence-benchmark.{index}.{number}",
    }


def entry(index: int) -> tuple[str, str]:
    """The id and YAML text of synthetic entry number `index` (the same every time)."""
    rng = random.Random(index)
    drug = rng.choice(DRUGS)
    condition = rng.choice(CONDITIONS)
    entry_id = f"{drug}-{condition.replace(' ', '-').lower()}-{index}"
    cohorts = [_cohort(rng, drug, condition) for _ in range(rng.randint(2, 4))]
    references = [_reference(rng, n, index) for n in range(1, rng.randint(3, 8) + 1)]
    quotes = []
    for number in range(1, rng.randint(1, 3) + 1):
        paragraphs = [_finding(c) for c in rng.sample(cohorts, k=min(2, len(cohorts)))]
        quotes.append(
            {
                "text": [Paragraph(paragraph) for paragraph in paragraphs],
                "attribution": f"{references[number - 1]['authors'][0]}, et al.",  # type: ignore[index]
                "reference": number,
                "license": "synthetic",
                "fingerprint": fingerprint(paragraphs),
            }
        )
    # References are cited in order: the first by the results, the others by the summary.
    later = list(range(2, len(references) + 1))
    groups = [later[i : i + 2] for i in range(0, len(later), 2)]
    summary = [Paragraph(" ".join(_finding(cohort) for cohort in cohorts) + " [1]")]
    for group in groups:
        marker = f"[{group[0]}]" if len(group) == 1 else f"[{group[0]}-{group[-1]}]"
        summary.append(Paragraph(f"{_prose(rng, rng.randint(1, 3))} {marker}"))
    data = {
        "id": entry_id,
        "question": f"Synthetic benchmark entry: what is the evidence for {drug} in {condition}?",
        "last_reviewed": AS_OF - timedelta(days=rng.randint(0, 300)),
        "tags": [drug, condition],
        "answer": [Paragraph(_prose(rng, rng.randint(2, 4))) for _ in range(rng.randint(1, 2))],
        "results": [
            {
                "trial": f"{drug.upper()[:6]}-{rng.choice(SURNAMES).upper()}",
                "reference": 1,
                "cohorts": cohorts,
            }
        ],
        "quotes": quotes,
        "summary": summary,
        "references": references,
        "external_sources": [
            {"title": _sentence(rng, rng.randint(6, 14))[:-1], "source": rng.choice(JOURNALS)}
            for _ in range(rng.randint(0, 3))
        ],
    }
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96)
    return entry_id, text


def write_content(folder: Path, count: int) -> None:
    """`count` entries and their license registry, in the layout of `content/`."""
    evidence = folder / "evidence"
    evidence.mkdir(parents=True)
    (folder / "licenses.yml").write_text(LICENSES, encoding="utf-8")
    for index in range(count):
        entry_id, text = entry(index)
        (evidence / f"{entry_id}.yaml").write_text(text, encoding="utf-8")


def mean_entry_bytes(count: int = 200) -> float:
    return math.fsum(len(entry(i)[1].encode("utf-8")) for i in range(count)) / count
