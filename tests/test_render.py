"""Generated Markdown: golden files for the example content, and the filters behind them."""

from __future__ import annotations

import html
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.checks.fields import BibDate
from generator.checks.models import Reference
from generator.checks.trial import ArmResult, Outcome
from generator.content.project import Project as Paths
from generator.pages import figures, filters, markup, publication, render
from generator.settings import Settings
from tests.conftest import (
    REPO,
    SEED_FILE,
    SHIPPED_AS_OF,
    Project,
    checked,
    golden_text,
    html_page,
    text_of,
)

GOLDEN = Path(__file__).parent / "golden"


def test_example_content_matches_golden_markdown() -> None:
    """Set UPDATE_GOLDEN=1 to rewrite the files after an intended change; review the diff."""
    paths = Paths.at(REPO)
    rendered = render.render_site(checked(paths, as_of=SHIPPED_AS_OF), paths.templates_dir)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        for name, text in rendered.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(golden_text(name, text), encoding="utf-8")
    expected = {
        path.relative_to(GOLDEN).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(GOLDEN.rglob("*"))
        if path.is_file()
    }
    entries = sorted(f"evidence/{path.stem}.md" for path in (REPO / "content/evidence").glob("*"))
    assert list(rendered)[: len(entries)] == entries  # every shipped entry has its golden page
    assert list(rendered)[len(entries) :] == [
        "tags/177lu-dotatate.md",
        "tags/cabozantinib.md",
        "tags/everolimus.md",
        "tags/lanreotide.md",
        "tags/neuroendocrine-tumors.md",
        "tags/nonfunctioning-neuroendocrine-tumors.md",
        "tags/octreotide.md",
        "tags/index.md",
        "permissions.md",
        "index.md",
        *(entry.replace(".md", ".fhir.json") for entry in entries),  # each entry as FHIR
        "search/vocabulary.json",  # the names the search box knows
    ]
    assert sorted(rendered) == sorted(expected)
    for name, text in rendered.items():
        assert golden_text(name, text) == expected[name], f"{name} differs from tests/golden/{name}"


def test_builds_make_the_golden_pages_too() -> None:
    """Builds and every command make pages through `publication.make`, from each entry's own
    record; the golden files above come from all checked entries at once. Page for page and in
    order, the two agree."""
    paths = Paths.at(REPO)
    rendered = render.render_site(checked(paths, as_of=SHIPPED_AS_OF), paths.templates_dir)
    made = publication.make(paths, Settings(SHIPPED_AS_OF))
    assert list(made.pages.items()) == list(rendered.items())


def test_rendering_is_deterministic(project: Project, tmp_path: Path) -> None:
    """Byte for byte the same Markdown in processes with different string hashing: anything
    the pages take from a set or another hash-ordered collection shows up here."""
    more_tags = "".join(
        f"  - {tag}\n"
        for tag in ("oncology", "targeted therapy", "kinase inhibitors", "carcinoid", "pancreas")
    )
    project.edit(
        SEED_FILE, "  - neuroendocrine tumors\n", f"  - neuroendocrine tumors\n{more_tags}"
    )
    outputs = []
    for seed in ("1", "2", "3"):
        out = tmp_path / f"out-{seed}"
        result = project.generator("render", str(out), environment={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append(
            {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        )
    assert outputs[0] == outputs[1] == outputs[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words, 95% sure; why? a/b", "plain words, 95% sure; why? a/b"),
        ("<b>x</b>", "&lt;b&gt;x&lt;&#47;b&gt;".replace("&#47;", "/")),
        ("[y](z)", "&#91;y&#93;&#40;z&#41;"),
        ("a & b", "a &amp; b"),
        ("1. not a list", "1&#46; not a list"),
        ("    not code", "&#32;   not code"),
        ("line\nbreak", "line break"),
        ("trailing  ", " ".join(["trailing", "&#32;"])),
        ("{: onclick=x}", "&#123;&#58; onclick&#61;x&#125;"),
    ],
)
def test_author_text_is_escaped(text: str, expected: str) -> None:
    assert markup.text(text) == expected


def test_markup_from_the_generator_passes_through_templates_unescaped(tmp_path: Path) -> None:
    (tmp_path / "t.md.jinja").write_text("{{ value }}|{{ trusted }}|{{ number }}")
    renderer = render.Renderer(tmp_path)
    template = renderer.env.get_template("t.md.jinja")
    out = template.render(value="*x*", trusted=markup.Markup("*y*"), number=0.5)
    assert out == "&#42;x&#42;|*y*|0&#46;5"


def test_a_template_printing_a_missing_value_fails(tmp_path: Path) -> None:
    (tmp_path / "t.md.jinja").write_text("{{ nothing }}")
    renderer = render.Renderer(tmp_path)
    with pytest.raises(Exception, match="'nothing' is undefined"):
        renderer.env.get_template("t.md.jinja").render()


def test_template_errors_name_the_template_and_line(project: Project) -> None:
    template = project.path("site_templates/entry.md.jinja").read_text(encoding="utf-8")
    line = template.splitlines().index("## Answer") + 1
    project.edit("site_templates/entry.md.jinja", "## Answer", "## Answer {{ entry.answr }}")
    result = project.generator("check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"site_templates/entry.md.jinja:{line}:1: template error while rendering "
        "evidence/cabozantinib-neuroendocrine-tumors.md: "
        "'generator.checks.models.Entry object' has no attribute 'answr'"
    )


def reference(**fields: object) -> Reference:
    return Reference.model_validate({"title": "A trial", "authors": ["Doe J"], **fields})


def test_reference_styles() -> None:
    assert filters.reference_text(reference()) == "Doe J. A trial."
    assert (
        filters.reference_text(
            reference(
                title="Does it work?",
                authors=["Doe J", "Roe R"],
                et_al="true",
                journal="Lancet",
                issue={"date": "2021-03", "volume": "397", "pages": "1-9"},
            )
        )
        == "Doe J, Roe R, et al. Does it work? Lancet. 2021 Mar;397:1-9."
    )
    assert filters.citation_line(reference(journal="BMJ", issue={"date": "2020"})) == (
        "A trial. BMJ. 2020."
    )
    assert filters.citation_line(reference(issue={"date": "2020-02-03"})) == (
        "A trial. February 3, 2020."
    )


def test_dates() -> None:
    assert filters.long_date(date(2024, 9, 16)) == "September 16, 2024"
    assert filters.bib_date(BibDate(2025, 2, 13)) == "2025 Feb 13"
    assert filters.bib_date(BibDate(2023)) == "2023"


def test_links_to_identifiers_are_percent_encoded() -> None:
    ref = reference(doi="10.1000/a<b>#c")
    assert filters.source_url(ref) == "https://doi.org/10.1000/a%3Cb%3E%23c"
    assert filters.source_url(reference(pmid="123")) == "https://pubmed.ncbi.nlm.nih.gov/123/"
    assert filters.source_url(reference()) is None


def test_markers_keep_their_digits_and_link_by_number() -> None:
    assert filters.prose("as shown.[01] And [2–3]") == (
        'as shown&#46;&#91;<a class="citation" href="#ref.1" aria-label="Reference 1">01</a>'
        '&#93; And &#91;<a class="citation" href="#ref.2" aria-label="Reference 2">2</a>–'
        '<a class="citation" href="#ref.3" aria-label="Reference 3">3</a>&#93;'
    )


def test_numbers_print_as_written() -> None:
    outcome = Outcome.model_validate({"endpoint": "E", "kind": "time to event", "unit": "years"})
    result = ArmResult.model_validate({"arm": "A", "median": "0.0000001"})
    assert figures.arm_figure(result, outcome) == "0.0000001\u00a0years"
    result = ArmResult.model_validate(
        {"arm": "A", "median": "8.40", "ci_lower": "7.10", "ci_upper": "9.8", "ci_level": "99.5"}
    )
    assert figures.arm_figure(result, outcome) == ("8.40\u00a0years (99.5%\u00a0CI\u00a07.10–9.8)")


RESULT_ENTRY = """\
id: e
question: Q?
last_reviewed: 2026-01-05
answer: [A.]
results:
  - trial: Ref 1
    reference: 1
    cohorts:
      - population: Adults
        patients: 200
        arms:
          - {name: Drug, patients: 134}
          - {name: Placebo, patients: 66}
        outcomes:
          - endpoint: Overall survival
            kind: time to event
            unit: months
            arms:
              - {arm: Drug, median: 10.0}
              - {arm: Placebo, median: not reached}
references:
  - {title: T, authors: [Doe J]}
"""


def test_arm_sizes_are_shown_and_headings_cannot_take_reference_anchors(project: Project) -> None:
    project.write("content/evidence/e.yaml", RESULT_ENTRY)
    site = project.build()
    page = html_page(site, "evidence/e/")
    arms = page.select("table.evidence-arms tbody tr")
    assert [[text_of(cell) for cell in row.find_all(["th", "td"])] for row in arms] == [
        ["Drug", "134"],
        ["Placebo", "66"],
    ]
    figures_shown = page.select("table.evidence-outcome tbody tr")
    assert [[text_of(cell) for cell in row.find_all(["th", "td"])] for row in figures_shown] == [
        ["Drug", "10.0 months"],
        ["Placebo", "not reached"],
    ]
    heading = page.find("h3")
    assert text_of(heading) == "Ref 1"
    citation = page.find("a", class_="citation")
    assert citation is not None
    assert citation["href"] == "#ref.1"
    targets = page.find_all(id="ref.1")
    assert [target.name for target in targets] == ["li"]


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(codec="utf-8")))
def test_front_matter_reads_back_as_written(text: str) -> None:
    # Written as JSON, read by MkDocs as YAML: the line breaks and C1 controls only YAML knows
    # (NEL, U+2028) must not turn into spaces or errors on the way.
    _, meta = get_data(render.front_matter(text, text, {"name": text}, [text]) + "Body\n")
    assert meta == {
        "title": html.escape(text, quote=True),
        "description": html.escape(text, quote=True),
        "tags": [html.escape(text, quote=True)],
        "json_ld": {"name": text},
    }
