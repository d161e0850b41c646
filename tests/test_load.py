"""Content mistakes: one `path:line:col: field: message` line per problem, all of them at once."""

from __future__ import annotations

import os

import pytest

from generator.checks.load import load
from generator.content.problem import ContentError
from generator.content.project import Project as Paths
from tests.conftest import SEED_FILE, SEED_ID, SMALL_FILE, SMALL_ID, Project

MINIMAL = """\
id: {id}
question: Does it work?
last_reviewed: 2026-01-05
answer:
  - It does.{marker}
references:
  - title: A trial
    authors: [Doe J]
"""


def minimal(entry_id: str, marker: str = " [1]") -> str:
    return MINIMAL.format(id=entry_id, marker=marker)


def problems_of(project: Project) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(Paths.at(project.root))
    return [str(problem) for problem in caught.value.problems]


def test_seed_loads(project: Project) -> None:
    site = load(Paths.at(project.root))
    assert [source.entry.id for source in site.entries] == [SEED_ID]
    # The registry holds every license, as content/licenses.yml lists them, quoted or not.
    assert list(site.licenses.licenses) == ["nejm", "lancet"]


@pytest.mark.usefixtures("small")
def test_every_problem_in_every_file_at_once(project: Project) -> None:
    """Missing field, wrong type, unknown license, stray marker and duplicate key, in one run."""
    project.write(
        "content/evidence/missing-question.yaml",
        minimal("missing-question").replace("question: Does it work?\n", ""),
    )
    project.edit(SMALL_FILE, "patients: 203", "patients: many")
    project.edit(SMALL_FILE, "license: nejm", "license: nejm2")
    project.edit(SMALL_FILE, "placebo.[1]", "placebo.[4]")
    project.edit(SMALL_FILE, "agree.[2]", "agree.[0] and [2] and [9]")
    project.write(
        "content/evidence/duplicate-key.yaml",
        minimal("duplicate-key").replace("answer:", "question: Again?\nanswer:"),
    )

    result = project.generator("check")

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{SMALL_FILE}:14:19: results[0].cohorts[0].patients: "
        "expected a whole number greater than 0, like 203, got 'many' [results-patients]",
        f"{SMALL_FILE}:38:14: quotes[0].license: unknown license 'nejm2'; known: lancet, nejm "
        "[license-known]",
        # Each marker problem points at the marker itself.
        f"{SMALL_FILE}:41:70: summary[0]: citation [4] refers to reference 4, "
        f"but entry '{SMALL_ID}' has only 2 references [citation-resolves]",
        f"{SMALL_FILE}:42:31: summary[1]: citation [0]: references are numbered from 1 "
        "[citation-resolves]",
        f"{SMALL_FILE}:42:47: summary[1]: citation [9] refers to reference 9, "
        f"but entry '{SMALL_ID}' has only 2 references [citation-resolves]",
        "content/evidence/duplicate-key.yaml:4:1: question: duplicate key: "
        "'question' is already set on line 2",
        "content/evidence/missing-question.yaml:1:1: question: required field is missing",
        "7 problems found.",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  - title: A trial\n",
            "  - tittle: A trial\n",
            [
                "e.yaml:7:5: references[0].title: required field is missing",
                "e.yaml:7:5: references[0].tittle: unknown field; did you mean 'title'?",
            ],
        ),
        (
            "question: Does it work?\n",
            "question: Does it work?\ncolour: red\n",
            [
                "e.yaml:3:1: colour: unknown field; allowed here: id, draft, question, "
                "last_reviewed, tags, answer, results, quotes, summary, references, "
                "external_sources, waivers"
            ],
        ),
        (
            "question: Does it work?",
            "question:",
            [
                "e.yaml:2:10: question: is empty: give it "
                "a value, or leave the field out if it is "
                "optional"
            ],
        ),
        ("question: Does it work?", "question: '  '", ["e.yaml:2:11: question: must not be empty"]),
        (
            "question: Does it work?",
            "question: [a, b]",
            ["e.yaml:2:11: question: expected text, not a list or mapping"],
        ),
        (
            "  - It does. [1]",
            "  It does.",
            ["e.yaml:5:3: answer: expected a list (lines starting with '- ')"],
        ),
        (
            "2026-01-05",
            "5 Jan 2026",
            [
                "e.yaml:3:16: last_reviewed: expected a date written "
                "YYYY-MM-DD, like 2024-09-16, got '5 Jan 2026'"
            ],
        ),
        (
            "2026-01-05",
            "2026-02-30",
            [
                "e.yaml:3:16: last_reviewed: expected a date written "
                "YYYY-MM-DD, like 2024-09-16, got '2026-02-30'"
            ],
        ),
        (
            "id: e",
            "id: E_1",
            [
                "e.yaml:1:5: id: 'E_1' is not a valid key: use lowercase letters, "
                "digits and single hyphens, like 'nejm' or "
                "'cabozantinib-neuroendocrine-tumors'"
            ],
        ),
        (
            "id: e",
            "id: f",
            [
                "e.yaml:1:5: id: the id must match the file name: rename e.yaml to "
                "f.yaml, or change the id"
            ],
        ),
        (
            " [1]",
            " [2]",
            [
                "e.yaml:5:14: answer[0]: citation [2] refers to reference 2, but entry "
                "'e' has only 1 reference [citation-resolves]"
            ],
        ),
        (
            " [1]",
            " [0]",
            [
                "e.yaml:5:14: answer[0]: citation [0]: references are numbered from 1 "
                "[citation-resolves]"
            ],
        ),
        (
            " [1]",
            " [3-2]",
            [
                "e.yaml:5:14: answer[0]: citation [3-2]: a range must go upward, like [2-3] "
                "[citation-resolves]"
            ],
        ),
        (
            " [1]",
            " [1-2-3]",
            [
                "e.yaml:5:14: answer[0]: citation [1-2-3]: write one range at a time, like "
                "[1-3,5] [citation-resolves]"
            ],
        ),
        (
            "    authors: [Doe J]\n",
            "    authors: [Doe J]\n    pmid: 012345\n",
            [
                "e.yaml:9:11: references[0].pmid: '012345' is not a valid PMID; expected something "
                "like 39282913 [identifier-format]"
            ],
        ),
        (
            "    authors: [Doe J]\n",
            "    authors: [Doe J]\n    url: http://example.org/x\n",
            [
                "e.yaml:9:10: references[0].url: 'http://example.org/x' is not a usable link: only "
                "https:// addresses are allowed"
            ],
        ),
        (
            "    authors: [Doe J]\n",
            "    authors: [Doe J]\n    et_al: yes\n",
            ["e.yaml:9:12: references[0].et_al: expected true or false, got 'yes'"],
        ),
    ],
)
def test_single_mistakes(project: Project, old: str, new: str, expected: list[str]) -> None:
    assert old in minimal("e")
    project.write("content/evidence/e.yaml", minimal("e").replace(old, new))
    assert [line.replace("content/evidence/", "") for line in problems_of(project)] == expected


RESULTS = """\
results:
  - trial: TRIAL
    reference: {reference}
    cohorts:
      - population: Adults
        patients: 20
        arms:
          - {{name: Drug}}
          - {{name: Placebo}}
        outcomes:
          - endpoint: Overall survival
            kind: time to event
            unit: months
            arms:
              - {{arm: Drug, median: 10.0}}
              - {{arm: Placebo, median: not reached}}
            comparisons:
              - experimental: {experimental}
                control: Placebo
                measure: hazard ratio
                estimate: 0.5
                ci_lower: 0.3
                ci_upper: 0.9
"""


def test_results_refer_to_real_references_and_arms(project: Project) -> None:
    bad = RESULTS.format(reference=2, experimental="Drugg")
    project.write("content/evidence/e.yaml", minimal("e") + bad)
    assert problems_of(project) == [
        "content/evidence/e.yaml:11:16: results[0].reference: there is no reference 2; "
        "entry 'e' has only 1 reference [citation-resolves]",
    ]
    project.write(
        "content/evidence/e.yaml", minimal("e") + RESULTS.format(reference=1, experimental="Drugg")
    )
    assert problems_of(project) == [
        "content/evidence/e.yaml:26:31: "
        "results[0].cohorts[0].outcomes[0].comparisons[0].experimental: 'Drugg' is not one of "
        "this cohort's arms: Drug, Placebo",
    ]
    results = RESULTS.format(reference=1, experimental="Drug")
    project.write(
        "content/evidence/e.yaml",
        minimal("e") + results.replace("{arm: Drug, median: 10.0}", "{arm: Drugg, median: 10.0}"),
    )
    assert problems_of(project) == [
        "content/evidence/e.yaml:23:23: results[0].cohorts[0].outcomes[0].arms[0].arm: 'Drugg' "
        "is not one of this cohort's arms: Drug, Placebo",
    ]
    project.write("content/evidence/e.yaml", minimal("e") + results)
    site = load(Paths.at(project.root))
    cohort = {s.entry.id: s.entry for s in site.entries}["e"].results[0].cohorts[0]
    assert [arm.name for arm in cohort.arms] == ["Drug", "Placebo"]
    outcome = cohort.outcomes[0]
    assert [(result.arm, str(result.median)) for result in outcome.arms] == [
        ("Drug", "10.0"),
        ("Placebo", "not reached"),
    ]
    assert [(c.experimental, c.control) for c in outcome.comparisons] == [("Drug", "Placebo")]


def test_numbers_keep_the_digits_written(project: Project) -> None:
    results = RESULTS.format(reference=1, experimental="Drug")
    results = results.replace("estimate: 0.5", "estimate: 0.50")
    results += "                p_value: 0.050\n"
    project.write("content/evidence/e.yaml", minimal("e") + results)
    site = load(Paths.at(project.root))
    outcome = {s.entry.id: s.entry for s in site.entries}["e"].results[0].cohorts[0].outcomes[0]
    assert str(outcome.arms[0].median) == "10.0"
    (comparison,) = outcome.comparisons
    assert str(comparison.estimate) == "0.50"
    assert comparison.p_value == "0.050"


OLD_RESULTS = """\
results:
  - trial: TRIAL
    reference: 1
    cohorts:
      - population: Adults
        patients: 20
        endpoint: Overall survival
        arms:
          - {name: Drug, median: 10.0, unit: months}
          - {name: Placebo, median: not reached, unit: months}
        effect:
          measure: hazard ratio
          experimental: Drug
          control: Placebo
          estimate: 0.5
          ci_lower: 0.3
          ci_upper: 0.9
        p_value: "0.01"
"""
"""The results shape of the first release: one endpoint, a median on each arm, one effect."""


def test_results_in_the_first_shape_are_sent_to_migrate(project: Project) -> None:
    """One problem per old cohort, at the cohort, naming the command that rewrites the file;
    not the dozen unknown and missing fields the schema would list."""
    project.write("content/evidence/e.yaml", minimal("e") + OLD_RESULTS)
    result = project.generator("check")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "content/evidence/e.yaml:13:9: results[0].cohorts[0]: this cohort is in the "
        "one-endpoint shape of earlier versions: rewrite it with: "
        "python -m generator migrate content/evidence/e.yaml",
        "1 problem found.",
    ]
    # A cohort with an effect and no endpoint is in the old shape too.
    only_effect = OLD_RESULTS.replace("        endpoint: Overall survival\n", "")
    project.write("content/evidence/e.yaml", minimal("e") + only_effect)
    assert problems_of(project) == [
        "content/evidence/e.yaml:13:9: results[0].cohorts[0]: this cohort is in the "
        "one-endpoint shape of earlier versions: rewrite it with: "
        "python -m generator migrate content/evidence/e.yaml",
    ]


def test_duplicate_ids_name_both_files(project: Project) -> None:
    project.write("content/evidence/a/e.yaml", minimal("e"))
    project.write("content/evidence/b/e.yaml", minimal("e"))
    assert problems_of(project) == [
        "content/evidence/b/e.yaml:1:5: id: id 'e' is already used by content/evidence/a/e.yaml"
    ]


def test_files_that_are_not_entries(project: Project) -> None:
    project.write("content/evidence/notes.md", "# notes\n")
    project.write("content/evidence/.hidden.yaml", "not: checked\n")
    os.symlink(project.path(SEED_FILE), project.path("content/evidence/link.yaml"))
    assert problems_of(project) == [
        "content/evidence/link.yaml:1:1: symbolic link not allowed; "
        "copy what it points to here instead",
        "content/evidence/notes.md:1:1: only entries belong here, each in a file ending in .yaml",
    ]


def test_license_registry_is_checked(project: Project) -> None:
    project.write(
        "content/licenses.yml",
        "licenses:\n  nejm:\n    licensor: NEJM\n    credit: x\n    url: https://www.nejm.org/\n",
    )
    assert problems_of(project) == [
        "content/licenses.yml:2:3: licenses.nejm.credit_line: required field is missing",
        "content/licenses.yml:4:5: licenses.nejm.credit: unknown field; did you mean "
        "'credit_line'?",
    ]
    project.path("content/licenses.yml").unlink()
    assert problems_of(project) == ["content/licenses.yml:1:1: the license registry is missing"]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (
            f"[{'y' * 300}]",
            "e.yaml:9:8: tags[0]: tag is too long for an address; keep it under 60 letters",
        ),
        (
            "[NO, no]",
            "e.yaml:9:12: tags[1]: tag 'no' would share a page with 'NO'; spell them the same",
        ),
        ("[drug, drug]", "e.yaml:9:14: tags[1]: tag 'drug' is listed twice"),
        ("['†']", "e.yaml:9:8: tags[0]: tag '†' needs at least one letter or digit"),
        ("[Index]", "e.yaml:9:8: tags[0]: tag 'Index' is reserved; choose another"),
    ],
)
def test_tags_that_cannot_have_a_page(project: Project, tags: str, expected: str) -> None:
    project.write("content/evidence/e.yaml", minimal("e") + f"tags: {tags}\n")
    assert [line.replace("content/evidence/", "") for line in problems_of(project)] == [expected]


@pytest.mark.usefixtures("small")
def test_tag_problems_are_reported_with_schema_problems_elsewhere(project: Project) -> None:
    project.write("content/evidence/a.yaml", minimal("a") + "tags: [Neuroendocrine tumors]\n")
    project.write("content/evidence/b.yaml", minimal("b") + "bogus: 1\n")
    # Files are read in name order, so the small entry's spelling is the one found second.
    assert problems_of(project) == [
        "content/evidence/b.yaml:9:1: bogus: unknown field; allowed here: id, draft, question, "
        "last_reviewed, tags, answer, results, quotes, summary, references, external_sources, "
        "waivers",
        f"{SMALL_FILE}:6:5: tags[1]: tag 'neuroendocrine tumors' would share a page with "
        "'Neuroendocrine tumors'; spell them the same (see content/evidence/a.yaml)",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "{name: Placebo}",
            "{name: Drug}",
            [
                "e.yaml:17:20: results[0].cohorts[0].arms[1].name: another arm of this cohort is "
                "already named 'Drug'",
                "e.yaml:24:23: results[0].cohorts[0].outcomes[0].arms[1].arm: 'Placebo' is not "
                "one of this cohort's arms: Drug, Drug",
                "e.yaml:27:26: results[0].cohorts[0].outcomes[0].comparisons[0].control: "
                "'Placebo' is not one of this cohort's arms: Drug, Drug",
            ],
        ),
        (
            "{arm: Placebo, median: not reached}",
            "{arm: Drug, median: not reached}",
            [
                "e.yaml:24:23: results[0].cohorts[0].outcomes[0].arms[1].arm: this outcome "
                "already gives a result for 'Drug'",
            ],
        ),
        (
            "control: Placebo",
            "control: Drug",
            [
                "e.yaml:27:26: results[0].cohorts[0].outcomes[0].comparisons[0].control: the "
                "control arm must differ from the experimental arm"
            ],
        ),
        (
            "ci_upper: 0.9",
            "ci_upper: 0.9\n                ci_level: 950",
            [
                "e.yaml:32:27: results[0].cohorts[0].outcomes[0].comparisons[0].ci_level: a "
                "confidence level is a percentage from 50 up to (not including) 100, like 95 or "
                "99.5; got 950"
            ],
        ),
        (
            "{arm: Drug, median: 10.0}",
            "{arm: Drug, median: 10.0, ci_lower: 8, ci_upper: 12, ci_level: 0}",
            [
                "e.yaml:23:80: results[0].cohorts[0].outcomes[0].arms[0].ci_level: a confidence "
                "level is a percentage from 50 up to (not including) 100, like 95 or 99.5; got 0"
            ],
        ),
        (
            "median: 10.0",
            "median: -3",
            [
                "e.yaml:23:37: results[0].cohorts[0].outcomes[0].arms[0].median: expected a "
                "number written like 8.4, or 'not reached', got '-3'"
            ],
        ),
    ],
)
def test_results_structure(project: Project, old: str, new: str, expected: list[str]) -> None:
    text = minimal("e") + RESULTS.format(reference=1, experimental="Drug")
    assert old in text
    project.write("content/evidence/e.yaml", text.replace(old, new))
    assert [line.replace("content/evidence/", "") for line in problems_of(project)] == expected


def test_editor_backup_files_are_not_entries(project: Project) -> None:
    project.write("content/evidence/e.yaml~", "backup\n")
    project.write("content/evidence/#e.yaml#", "autosave\n")
    project.write("content/evidence/.e.yaml.swp", "lock\n")
    assert [source.entry.id for source in load(Paths.at(project.root)).entries] == [SEED_ID]


def test_ids_that_look_alike_name_both_files(project: Project) -> None:
    project.write("content/evidence/modern-care.yaml", minimal("modern-care"))
    project.write("content/evidence/modem-care.yaml", minimal("modem-care"))
    project.write("content/evidence/c0vid.yaml", minimal("c0vid"))
    project.write("content/evidence/covid.yaml", minimal("covid"))
    assert problems_of(project) == [
        "content/evidence/covid.yaml:1:5: id: id 'covid' looks like 'c0vid' "
        "(content/evidence/c0vid.yaml); choose ids that cannot be mistaken for each other",
        "content/evidence/modern-care.yaml:1:5: id: id 'modern-care' looks like 'modem-care' "
        "(content/evidence/modem-care.yaml); choose ids that cannot be mistaken for each other",
    ]


@pytest.mark.parametrize("entry_id", ["index", "con", "lpt1"])
def test_reserved_ids(project: Project, entry_id: str) -> None:
    project.write(f"content/evidence/{entry_id}.yaml", minimal(entry_id))
    assert problems_of(project) == [
        f"content/evidence/{entry_id}.yaml:1:5: id: id '{entry_id}' is reserved"
    ]
