"""Licensed quotes: the build enforces each license's dates, word limits and required links, the
verbatim text (fingerprints), and shows every quote with its credit line."""

from __future__ import annotations

import json
from datetime import date

import pytest
from bs4 import Tag

from generator import settings
from generator.checks import licensing
from generator.checks.load import load
from generator.checks.models import License, Reference
from generator.checks.site import identifiers
from generator.content.project import Project as Paths
from generator.settings import AS_OF_VARIABLE, POLICY_VARIABLE, Settings, SettingsError
from tests.conftest import (
    SEED_FILE,
    SEED_ID,
    SHIPPED_AS_OF,
    SHOWN_QUOTE,
    SMALL_FILE,
    SMALL_ID,
    Project,
    copy_project,
    files_holding,
    html_page,
    text_of,
)

WHERE = f"{SMALL_FILE}:34:5: quotes[0]"  # the small entry's quote (tests using `small`)
NEJM = "license 'nejm' (The New England Journal of Medicine)"
SEED_QUOTE_START = "In the cohort of 203 patients with extrapancreatic"


def terms(project: Project, **values: object) -> None:
    """Give the NEJM license in the project's registry these extra terms."""
    extra = "".join(f"    {name}: {value}\n" for name, value in values.items())
    project.edit(
        "content/licenses.yml",
        "    url: https://www.nejm.org/\n",
        "    url: https://www.nejm.org/\n" + extra,
    )


def quoting_entry(entry_id: str, text: str, doi: str = "10.1056/NEJMoa2403991") -> str:
    """A second entry quoting (under the NEJM license) the article with `doi`."""
    return f"""\
id: {entry_id}
question: Does it work?
last_reviewed: 2026-01-05
answer: ["It does. [1]"]
quotes:
  - text: ["{text}"]
    attribution: A. Author
    reference: 1
    license: nejm
    fingerprint: {licensing.fingerprint([text])}
references:
  - title: Phase 3 Trial of Cabozantinib to Treat Advanced Neuroendocrine Tumors
    authors: [Chan JA]
    doi: {doi}
"""


# --- settings --------------------------------------------------------------------------------


def test_the_date_and_policy_come_from_options_then_environment_then_defaults() -> None:
    environ = {AS_OF_VARIABLE: "2030-01-02", POLICY_VARIABLE: "withdraw"}
    assert Settings.resolve(environ={}) == Settings(date.today(), "fail", 60)
    assert Settings.resolve(environ=environ) == Settings(date(2030, 1, 2), "withdraw", 60)
    assert Settings.resolve(
        as_of="2031-05-06", policy="fail", warning_days=7, environ=environ
    ) == Settings(date(2031, 5, 6), "fail", 7)
    with pytest.raises(SettingsError, match="'2031-5-6' is not a date written"):
        Settings.resolve(as_of="2031-5-6", environ={})
    with pytest.raises(SettingsError, match="'ignore' is not one of: fail, withdraw"):
        Settings.resolve(policy="ignore", environ={})


def test_each_setting_comes_from_a_flag_then_the_environment_then_mkdocs_yml() -> None:
    config = {"as_of": "2029-01-01", "policy": "withdraw", "warning_days": 30, "review_months": 6}
    environ = {AS_OF_VARIABLE: "2030-01-02", POLICY_VARIABLE: "fail"}
    assert Settings.resolve(environ={}, config={}) == Settings(date.today(), "fail", 60, 12)
    assert Settings.resolve(environ={}, config=config) == Settings(
        date(2029, 1, 1), "withdraw", 30, 6
    )
    assert Settings.resolve(environ=environ, config=config) == Settings(
        date(2030, 1, 2), "fail", 30, 6
    )
    flags = {"as_of": "2031-05-06", "policy": "withdraw", "warning_days": 7, "review_months": 3}
    assert Settings.resolve(**flags, environ=environ, config=config) == Settings(  # type: ignore[arg-type]
        date(2031, 5, 6), "withdraw", 7, 3
    )
    assert settings.environment(as_of="2031-05-06") == {AS_OF_VARIABLE: "2031-05-06"}
    assert settings.environment() == {}


def test_a_bad_setting_is_a_clear_error(project: Project) -> None:
    result = project.generator("check", "--as-of", "tomorrow")
    assert result.returncode == 2
    assert result.stderr == "error: as-of date 'tomorrow' is not a date written YYYY-MM-DD\n"


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("valid_until: 2026-06-30", f"{NEJM} ended on 2026-06-30"),
        ("valid_from: 2027-01-01", f"{NEJM} starts on 2027-01-01"),
        (
            "valid_until: 2026-11-24",
            f"{NEJM} ends on 2026-11-24, and pages built that day stay online until the next "
            "day's build",
        ),
    ],
    ids=["ended", "not yet valid", "last day"],
)
def test_outside_its_dates_a_quote_fails_the_build(
    project: Project, term: str, message: str
) -> None:
    name, value = term.split(": ")
    terms(project, **{name: value})
    result = project.generator("check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{WHERE}: {message}; as of 2026-11-24 this quote may not be shown: renew the license "
        "or remove the quote [license-period]",
        "1 problem found.",
    ]
    build = project.generator("build")
    assert build.returncode == 1
    assert not project.path("site").exists()


@pytest.mark.usefixtures("small")
def test_the_withdraw_policy_replaces_the_quote_with_a_notice(project: Project) -> None:
    terms(project, valid_until="2026-06-30")
    withdraw = {POLICY_VARIABLE: "withdraw"}
    warning = (
        f"{WHERE}: warning: {NEJM} ended on 2026-06-30: the quote is withdrawn from the page as "
        "of 2026-11-24 [license-period]"
    )
    result = project.generator("check", environment=withdraw)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [warning]
    assert result.stdout == "1 entry checked: no errors, 1 warning (license-period 1)\n"
    assert project.generator("check", "--strict", environment=withdraw).returncode == 1
    strict = project.generator("build", "--strict", environment=withdraw)
    assert strict.returncode == 1
    assert warning in strict.stderr
    assert not project.path("site").exists()

    build = project.generator("build", environment=withdraw)  # publishes, and says why
    assert build.returncode == 0, build.stderr
    assert warning in build.stderr
    site = project.path("site")
    page = html_page(site, f"evidence/{SMALL_ID}/")
    notice = page.find("p", class_="evidence-withdrawn")
    assert isinstance(notice, Tag)
    assert text_of(notice) == ("The quoted passage is no longer available here; see reference [1].")
    assert notice.find("a")["href"] == "#ref.1"  # type: ignore[index]
    raw = (site / "evidence" / SMALL_ID / "index.html").read_text(encoding="utf-8")
    assert SHOWN_QUOTE not in raw
    assert page.find("blockquote") is None
    assert "Used under license from" not in raw
    assert files_holding(site, SHOWN_QUOTE) == []  # the search index holds none of it either
    permissions = html_page(site, "permissions/")
    assert "No page quotes this source at present." in text_of(permissions.find("article"))


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 12, 31), "not yet valid"),
        (date(2027, 1, 1), "active"),  # the first day is included
        (date(2027, 4, 30), "active"),  # 61 days before the end: not yet expiring
        (date(2027, 5, 1), "expiring"),  # 60 days
        (date(2027, 6, 29), "expiring"),  # built today, online until tomorrow's build: shown
        (date(2027, 6, 30), "last day"),  # online until tomorrow's build, past the end: not shown
        (date(2027, 7, 1), "expired"),
    ],
)
def test_a_license_covers_its_dates_and_its_quote_comes_off_on_its_last_day(
    as_of: date, expected: str
) -> None:
    license = License(
        licensor="L",
        credit_line="C",
        url="https://example.org/",
        valid_from=date(2027, 1, 1),
        valid_until=date(2027, 6, 30),
    )
    assert licensing.status(license, Settings(as_of)) == expected


@pytest.mark.usefixtures("small")
def test_the_day_before_its_last_day_a_quote_is_still_shown(project: Project) -> None:
    terms(project, valid_until="2026-11-25")
    result = project.generator("check")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"{WHERE}: warning: {NEJM} ends on 2026-11-25, in 1 day: renew it, or the quote must "
        "come off the site [license-expiring]"
    ]
    site = project.path("site")
    assert project.generator("build").returncode == 0
    assert SHOWN_QUOTE in (site / "evidence" / SMALL_ID / "index.html").read_text()


@pytest.mark.usefixtures("small")
def test_on_its_last_day_the_withdraw_policy_takes_the_quote_off(project: Project) -> None:
    terms(project, valid_until="2026-11-24")
    result = project.generator("check", "--license-policy", "withdraw")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"{WHERE}: warning: {NEJM} ends on 2026-11-24, and pages built that day stay online until "
        "the next day's build: the quote is withdrawn from the page as of 2026-11-24 "
        "[license-period]"
    ]


def test_an_empty_policy_variable_leaves_the_configured_policy(project: Project) -> None:
    # The publish workflow sets EVIDENCE_LICENSE_POLICY to '' unless withdrawal is chosen.
    terms(project, valid_until="2026-06-30")
    project.edit("mkdocs.yml", "license_policy: fail", "license_policy: withdraw")
    build = project.generator("build", environment={POLICY_VARIABLE: ""})
    assert build.returncode == 0, build.stderr
    assert f"{NEJM} ended on 2026-06-30: the quote is withdrawn" in build.stderr


@pytest.mark.usefixtures("small")
def test_a_quote_near_the_end_of_its_license_is_a_warning(project: Project) -> None:
    terms(project, valid_until="2027-01-10")
    result = project.generator("check")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"{WHERE}: warning: {NEJM} ends on 2027-01-10, in 47 days: renew it, or the quote must "
        "come off the site [license-expiring]"
    ]
    assert project.generator("check", "--strict").returncode == 1
    assert project.generator("check", "--as-of", "2026-11-01").stderr.count("warning") == 0


# --- word limits and links ---------------------------------------------------------------------


@pytest.mark.usefixtures("small")
def test_a_quote_over_its_word_limit(project: Project) -> None:
    terms(project, words_per_quote=5)
    assert project.generator("check").stderr.splitlines() == [
        f"{SMALL_FILE}:35:7: quotes[0].text: the quote has 9 words; license 'nejm' allows 5 per "
        "quote [license-words-per-quote]",
        "1 problem found.",
    ]


@pytest.mark.usefixtures("small")
def test_quotes_from_one_article_are_added_up_over_the_whole_site(project: Project) -> None:
    terms(project, words_per_article=100)
    project.write("content/evidence/second.yaml", quoting_entry("second", " ".join(["word"] * 91)))
    assert project.generator("check").returncode == 0  # 9 + 91 = 100: at the limit
    project.write("content/evidence/second.yaml", quoting_entry("second", " ".join(["word"] * 99)))
    message = (
        "quotes from 10.1056/NEJMoa2403991 add up to 108 words in 2 entries "
        f"({SMALL_ID}, second); license 'nejm' allows 100 per article [license-words-per-article]"
    )
    assert project.generator("check").stderr.splitlines() == [
        f"{WHERE}: {message}",
        f"content/evidence/second.yaml:6:5: quotes[0]: {message}",
        "2 problems found.",
    ]
    # Another article is counted on its own.
    project.write(
        "content/evidence/second.yaml",
        quoting_entry("second", " ".join(["word"] * 99), doi="10.1000/other"),
    )
    assert project.generator("check").returncode == 0


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize(
    ("identifier", "named"),
    [
        ("pmid: 39282913", " (also cited as PMID 39282913)"),
        ("pmcid: PMC11821447", " (also cited as PMCID PMC11821447)"),
        ("doi: 10.1056/nejmoa2403991", ""),  # DOIs are the same whatever their letters' case
    ],
    ids=["pmid", "pmcid", "doi in other case"],
)
def test_an_article_cited_by_another_identifier_is_still_one_article(
    project: Project, identifier: str, named: str
) -> None:
    terms(project, words_per_article=100)
    second = quoting_entry("second", " ".join(["word"] * 99)).replace(
        "    doi: 10.1056/NEJMoa2403991\n", f"    {identifier}\n"
    )
    project.write("content/evidence/second.yaml", second)
    message = (
        f"quotes from 10.1056/NEJMoa2403991{named} add up to 108 words in 2 entries "
        f"({SMALL_ID}, second); license 'nejm' allows 100 per article [license-words-per-article]"
    )
    assert project.generator("check").stderr.splitlines() == [
        f"{WHERE}: {message}",
        f"content/evidence/second.yaml:6:5: quotes[0]: {message}",
        "2 problems found.",
    ]


def test_references_sharing_any_identifier_are_one_article() -> None:
    def reference(**identifiers: str) -> Reference:
        return Reference(title="A Trial", authors=["Chan JA"], **identifiers)

    doi = reference(doi="10.1000/ABC")
    pmid = reference(pmid="123")
    both = reference(doi="10.1000/abc", pmid="123")  # shows that the two above are one
    pmcid = reference(pmcid="PMC9")
    other = reference(doi="10.1000/other")
    untitled = Reference(title="  Another   trial ", authors=["Roe R"])

    def key(articles: licensing.Articles, reference: Reference) -> str:
        return articles.key(identifiers(reference), reference.title)

    articles = licensing.Articles(map(identifiers, [doi, pmid, both, pmcid, other, untitled]))
    assert key(articles, doi) == key(articles, pmid) == key(articles, both)
    keys = {key(articles, r) for r in (doi, pmcid, other, untitled)}
    assert len(keys) == 4
    assert key(articles, Reference(title="another trial", authors=["X"])) == key(articles, untitled)
    # Without the reference that links them, a DOI and a PMID are two articles.
    apart = licensing.Articles(map(identifiers, [doi, pmid]))
    assert key(apart, doi) != key(apart, pmid)


def test_a_required_link_needs_an_identifier(project: Project) -> None:
    terms(project, link_required="true")
    assert project.generator("check").returncode == 0  # the seed's reference has a DOI
    project.write(
        "content/evidence/second.yaml",
        quoting_entry("second", "Some words.").replace("    doi: 10.1056/NEJMoa2403991\n", ""),
    )
    assert project.generator("check").stderr.splitlines() == [
        "content/evidence/second.yaml:8:16: quotes[0].reference: license 'nejm' requires a link "
        "to the source, but reference 1 has no DOI, PMID or URL [license-link]",
        "1 problem found.",
    ]


def test_words_are_counted_as_a_word_processor_counts_them() -> None:
    assert licensing.words(["Median PFS, 8.4 vs 3.9 months (P<0.001) — a gain."]) == 9
    assert licensing.words(["one", "two three"]) == 3


# --- verbatim text -----------------------------------------------------------------------------


@pytest.mark.usefixtures("small")
def test_an_edited_quote_no_longer_matches_its_fingerprint(project: Project) -> None:
    project.edit(SMALL_FILE, "cabozantinib was 8.4 months", "cabozantinib was 8.5 months")
    assert project.generator("check").stderr.splitlines() == [
        f"{SMALL_FILE}:35:7: quotes[0].text: the text differs from the text that was checked "
        "against the source (its fingerprint does not match): restore it, or re-check it and run "
        f"python -m generator fingerprint {SMALL_FILE} --quote 0 [quote-fingerprint]",
        # The edit changed a number, which the results do not hold either.
        f"{SMALL_FILE}:35:68: quotes[0].text[0]: warning: the quote says 8.5 months, which none "
        "of the results of reference 1 say: correct the results, or add the result the quote "
        "reports [quote-numbers]",
        "1 problem found.",
    ]


def test_folding_the_lines_differently_keeps_the_fingerprint(project: Project) -> None:
    project.edit(SEED_FILE, "the median\n        progression-free", "the median progression-free")
    assert project.generator("check").returncode == 0


def test_a_new_quote_needs_a_fingerprint(project: Project) -> None:
    text = quoting_entry("second", "Some words.")
    project.write(
        "content/evidence/second.yaml",
        text.split("    fingerprint:")[0] + ("references:" + text.split("references:")[1]),
    )
    assert project.generator("check").stderr.splitlines() == [
        "content/evidence/second.yaml:6:5: quotes[0]: this quote has no fingerprint: check its "
        "text against the source, then run python -m generator fingerprint "
        "content/evidence/second.yaml [quote-fingerprint]",
        "1 problem found.",
    ]


# --- credit line, attribution and link, whatever the template says -----------------------------


@pytest.mark.parametrize(
    ("old", "new", "missing"),
    [
        ('<p class="evidence-quote__credit">{{ license.credit_line|link(license.url) }}</p>',
         "", "the credit line"),
        ("<p class=\"evidence-quote__attribution\">— {{ quote.attribution }}</p>", "",
         "the attribution"),
        ('<figure class="evidence-quote" id="quote.{{ loop.index0 }}">', "<figure>",
         'the quote in a <figure class="evidence-quote" id="quote.N"> block, the quoted text, '
         "the attribution, the credit line"),
    ],
)  # fmt: skip
def test_the_template_cannot_drop_what_the_license_requires(
    project: Project, old: str, new: str, missing: str
) -> None:
    project.edit("site_templates/entry.md.jinja", old, new)
    result = project.generator("check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"site_templates/entry.md.jinja:1:1: the template shows quote 0 of {SEED_ID} "
        f"(license 'nejm') without {missing} [license-credit]",
        "1 problem found.",
    ]


def test_the_template_cannot_drop_a_required_link(project: Project) -> None:
    terms(project, link_required="true")
    project.edit(
        "site_templates/entry.md.jinja",
        "{% if url %}{{ reference|citation_line|link(url) }}{% else %}",
        "{% if False %}{% else %}",
    )
    assert "without the link to the source [license-credit]" in project.generator("check").stderr


def test_the_template_cannot_show_a_withdrawn_quote(project: Project) -> None:
    terms(project, valid_until="2026-06-30")
    project.edit(
        "site_templates/entry.md.jinja", "{% if loop.index0 in withdrawn %}", "{% if False %}"
    )
    result = project.generator("check", environment={POLICY_VARIABLE: "withdraw"})
    assert result.returncode == 1
    assert (
        f"site_templates/entry.md.jinja:1:1: the template shows quote 0 of {SEED_ID} "
        "(license 'nejm'), which is withdrawn [license-credit]"
    ) in result.stderr.splitlines()


# --- the report ---------------------------------------------------------------------------------

NEJM_LICENSOR = "The New England Journal of Medicine"
CSV = (
    "licensor,license,entry,quote,doi,words,valid_from,valid_until,status\n"
    f"{NEJM_LICENSOR},nejm,{SEED_ID},0,10.1056/NEJMoa2403991,78,,,active\n"
)
"""The report of the seed entry alone (the `project` fixture)."""

EVEROLIMUS = "everolimus-lung-gastrointestinal-neuroendocrine-tumours"
LANREOTIDE = "lanreotide-enteropancreatic-neuroendocrine-tumors"
LUTETIUM = "lutetium-dotatate-midgut-neuroendocrine-tumors"
PLACEBO_CONTROLLED = "nonfunctioning-neuroendocrine-tumors-placebo-controlled-trials"
RADIANT_4 = "10.1016/S0140-6736(15)00817-X"
CLARINET = "10.1056/NEJMoa1316158"
SHIPPED_QUOTES = [
    # licensor, license, entry, quote, doi, words
    ("The Lancet", "lancet", EVEROLIMUS, 0, RADIANT_4, 21),
    ("The Lancet", "lancet", PLACEBO_CONTROLLED, 1, RADIANT_4, 21),
    (NEJM_LICENSOR, "nejm", SEED_ID, 0, "10.1056/NEJMoa2403991", 78),
    (NEJM_LICENSOR, "nejm", LANREOTIDE, 0, CLARINET, 40),
    (NEJM_LICENSOR, "nejm", LUTETIUM, 0, "10.1056/NEJMoa1607427", 57),
    (NEJM_LICENSOR, "nejm", PLACEBO_CONTROLLED, 0, CLARINET, 40),
]
"""Every quote of the shipped content, in the order the report lists them: by licensor, then
by entry."""


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The project with every shipped entry (both licensors), not to be changed."""
    return copy_project(tmp_path_factory.mktemp("licensing") / "project", everything=True)


def _license(key: str, licensor: str, url: str) -> dict[str, object]:
    """A license of the shipped registry in the JSON report, with the shipped quotes under it."""
    return {
        "license": key,
        "licensor": licensor,
        "credit_line": f"Used under license from {licensor}.",
        "url": url,
        "valid_from": None,
        "valid_until": None,
        "words_per_quote": None,
        "words_per_article": None,
        "link_required": False,
        "quotes": [
            {"entry": entry, "quote": quote, "doi": doi, "words": words, "status": "active"}
            for _, license, entry, quote, doi, words in SHIPPED_QUOTES
            if license == key
        ],
    }


def test_report_of_the_example_content(shipped: Project) -> None:
    def report(*options: str) -> str:
        as_of = {AS_OF_VARIABLE: SHIPPED_AS_OF.isoformat()}
        result = shipped.generator("licenses", *options, environment=as_of)
        assert (result.returncode, result.stderr) == (0, "")
        return result.stdout

    assert report("--format", "csv") == (
        "licensor,license,entry,quote,doi,words,valid_from,valid_until,status\n"
        + "".join(",".join(map(str, row)) + ",,,active\n" for row in SHIPPED_QUOTES)
    )
    assert json.loads(report("--format", "json")) == {
        "as_of": "2026-12-03",
        "policy": "fail",
        "expiring_within_days": 60,
        "licenses": [
            _license("lancet", "The Lancet", "https://www.thelancet.com/"),
            _license("nejm", NEJM_LICENSOR, "https://www.nejm.org/"),
        ],
    }
    table = report().splitlines()
    assert table[0] == (
        "Licensed quotes as of 2026-12-03 (policy: fail; 'expiring' means ending within 60 days)"
    )
    assert table[2].split() == ["licensor", "license", "entry", "quote", "doi", "words",
                                "valid_from", "valid_until", "status"]  # fmt: skip
    assert set(table[3]) == {"-", " "}
    assert len(table) == 4 + len(SHIPPED_QUOTES)
    for row, (licensor, license, entry, quote, doi, words) in zip(
        table[4:], SHIPPED_QUOTES, strict=True
    ):
        assert row.startswith(f"{licensor}  ")
        assert row.split()[-6:] == [license, entry, str(quote), doi, str(words), "active"]
    # The columns line up: each value starts where its heading does.
    for heading in ("license", "entry", "doi", "words", "status"):
        column = table[2].index(f"  {heading}") + 2
        for row in table[4:]:
            assert row[column - 2 : column] == "  ", (heading, row)
            assert row[column] != " ", (heading, row)


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize(
    ("as_of", "policy", "status"),
    [
        ("2026-11-24", "fail", "active"),
        ("2027-05-15", "fail", "expiring"),
        ("2027-06-29", "fail", "expiring"),
        ("2027-06-30", "fail", "last day"),
        ("2027-06-30", "withdraw", "withdrawn"),
        ("2027-07-01", "fail", "expired"),
        ("2027-07-01", "withdraw", "withdrawn"),
    ],
)
def test_report_as_of_a_date(project: Project, as_of: str, policy: str, status: str) -> None:
    terms(project, valid_until="2027-06-30")
    result = project.generator(
        "licenses", "--format", "csv", "--as-of", as_of, "--license-policy", policy
    )
    assert result.returncode == 0  # the report is made even when a license has run out
    assert result.stdout.splitlines()[1].endswith(f",9,,2027-06-30,{status}")
    if status in ("last day", "expired", "withdrawn"):
        assert result.stderr.startswith(f"{WHERE}: ")
        assert result.stderr.rstrip().endswith("[license-period]")


@pytest.mark.usefixtures("small")
@pytest.mark.parametrize("form", ["table", "csv", "json"])
def test_no_report_is_made_that_would_leave_out_quotes(project: Project, form: str) -> None:
    # A mistake unrelated to licensing keeps an entry from being read, and its quotes with it:
    # a report without them would look complete ("No quotes.", here).
    project.edit(SMALL_FILE, "last_reviewed: 2026-11-24", "last_reviewed: 2026-13-45")
    second = quoting_entry("second", "Some words.")
    project.write("content/evidence/second.yaml", second.replace("-01-05", "-01-32"))
    result = project.generator("licenses", "--format", form)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"{SMALL_FILE}:3:16: last_reviewed: expected a date written YYYY-MM-DD, like 2024-09-16, "
        "got '2026-13-45'",
        "content/evidence/second.yaml:3:16: last_reviewed: expected a date written YYYY-MM-DD, "
        "like 2024-09-16, got '2026-01-32'",
        "2 problems found.",
        f"No report made: {SMALL_FILE} and content/evidence/second.yaml cannot be read until the "
        "problems above are fixed, and a report without them could leave out quotes.",
    ]
    project.write("content/evidence/second.yaml", second)
    result = project.generator("licenses", "--format", form)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines()[-1] == (
        f"No report made: {SMALL_FILE} cannot be read until the problems above are fixed, and a "
        "report without it could leave out quotes."
    )


def test_a_problem_that_keeps_every_quote_does_not_stop_the_report(project: Project) -> None:
    project.edit(
        SEED_FILE, "  - neuroendocrine tumors\n", "  - neuroendocrine tumors\n  - Cabozantinib\n"
    )
    result = project.generator("licenses", "--format", "csv")
    assert (result.returncode, result.stdout) == (0, CSV)
    assert result.stderr.splitlines() == [
        f"{SEED_FILE}:8:5: tags[2]: tag 'Cabozantinib' would share a page with 'cabozantinib'; "
        "spell them the same"
    ]


def test_permissions_page(shipped: Project) -> None:
    """One section per licensor of the shipped content, with its credit line and every entry
    quoting under its license (an entry quoting under both is listed under each)."""
    site = shipped.build(environment={AS_OF_VARIABLE: SHIPPED_AS_OF.isoformat()})
    article = html_page(site, "permissions/").find("article")
    assert isinstance(article, Tag)
    sections = []
    for heading in article.find_all("h2"):
        credit = heading.find_next("p", class_="evidence-credit")
        assert isinstance(credit, Tag)
        link = credit.find("a")
        assert isinstance(link, Tag)
        listing = heading.find_next("ul")
        assert isinstance(listing, Tag)
        entries = [str(a["href"]) for a in listing.find_all("a")]
        sections.append((text_of(heading), text_of(credit), link["href"], entries))
    assert sections == [
        (
            "The Lancet",
            "Used under license from The Lancet.",
            "https://www.thelancet.com/",
            [f"../evidence/{EVEROLIMUS}/", f"../evidence/{PLACEBO_CONTROLLED}/"],
        ),
        (
            NEJM_LICENSOR,
            f"Used under license from {NEJM_LICENSOR}.",
            "https://www.nejm.org/",
            [
                f"../evidence/{SEED_ID}/",
                f"../evidence/{LANREOTIDE}/",
                f"../evidence/{LUTETIUM}/",
                f"../evidence/{PLACEBO_CONTROLLED}/",
            ],
        ),
    ]
    assert [a["href"] for a in article.select("ul a")] == [
        href for *_, entries in sections for href in entries
    ]


# --- recording fingerprints --------------------------------------------------------------------

COMMENTED = """\
\ufeff# yaml-language-server: $schema=../../schema/entry.schema.json\r
# An entry with comments, odd spacing and Windows line endings.\r
id:   second      # spaced out on purpose\r
question: 'Does it work?'\r
last_reviewed: 2026-01-05\r
answer: ["It does. [1]"]\r
quotes:\r
  # the passage, checked against the PDF on 2026-11-20\r
  - text:\r
      - >-\r
        Some   words\r
        from the source.\r
    attribution: "A. Author"   # as the licensor gives it\r
    reference: 1\r
    license: nejm     # see licenses.yml\r
\r
  # a second quote\r
  - text: [Other words.]\r
    attribution: B. Author\r
    reference: 1\r
    license: nejm\r
references:\r
  - title: Phase 3 Trial of Cabozantinib to Treat Advanced Neuroendocrine Tumors\r
    authors: [Chan JA]\r
    doi: 10.1056/NEJMoa2403991\r
"""


def test_fingerprint_command_adds_one_line_per_quote_and_nothing_else(project: Project) -> None:
    path = project.write("content/evidence/second.yaml", "")
    path.write_bytes(COMMENTED.encode("utf-8"))
    result = project.generator("fingerprint", "content/evidence/second.yaml")
    assert result.returncode == 0, result.stderr
    first = licensing.fingerprint(["Some words from the source."])
    second = licensing.fingerprint(["Other words."])
    assert result.stdout.splitlines() == [
        f"content/evidence/second.yaml: quotes[0]: recorded {first}",
        f"content/evidence/second.yaml: quotes[1]: recorded {second}",
    ]
    expected = COMMENTED.replace(
        "    license: nejm     # see licenses.yml\r\n",
        f"    license: nejm     # see licenses.yml\r\n    fingerprint: {first}\r\n",
    ).replace(
        "    license: nejm\r\nreferences:",
        f"    license: nejm\r\n    fingerprint: {second}\r\nreferences:",
    )
    assert path.read_bytes() == expected.encode("utf-8")
    assert project.generator("check").returncode == 0


# The quote is the last thing in the file, and the file's last line has no line break.
QUOTE_LAST = """\
id: second
question: Does it work?
last_reviewed: 2026-01-05
answer: ["It does. [1]"]
references:
  - title: Phase 3 Trial of Cabozantinib to Treat Advanced Neuroendocrine Tumors
    authors: [Chan JA]
    doi: 10.1056/NEJMoa2403991
quotes:
  - text: [Some words.]
    attribution: A. Author
    reference: 1
    license: nejm     # the last line\
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_fingerprint_command_keeps_a_missing_final_line_break(
    project: Project, newline: str
) -> None:
    before = QUOTE_LAST.replace("\n", newline).encode("utf-8")
    path = project.path("content/evidence/second.yaml")
    path.write_bytes(before)
    result = project.generator("fingerprint", "content/evidence/second.yaml")
    assert result.returncode == 0, result.stderr
    value = licensing.fingerprint(["Some words."])
    assert result.stdout == f"content/evidence/second.yaml: quotes[0]: recorded {value}\n"
    assert path.read_bytes() == before + f"{newline}    fingerprint: {value}".encode()
    assert project.generator("check").returncode == 0


def test_fingerprint_command_ends_its_line_like_the_line_before_it(project: Project) -> None:
    # A quote pasted into a Windows file keeps its Unix line breaks, and its fingerprint line
    # takes the same: the file's other lines decide nothing about the quote's.
    before = (
        b"id: second\r\nquestion: Does it work?\r\nlast_reviewed: 2026-01-05\r\n"
        b'answer: ["It does. [1]"]\r\nquotes:\r\n'
        b"  - text: [Some words.]\n    attribution: A. Author\n    reference: 1\n"
        b"    license: nejm\n"
        b"references:\r\n"
        b"  - title: Phase 3 Trial of Cabozantinib to Treat Advanced Neuroendocrine Tumors\r\n"
        b"    authors: [Chan JA]\r\n    doi: 10.1056/NEJMoa2403991\r\n"
    )
    path = project.path("content/evidence/second.yaml")
    path.write_bytes(before)
    assert project.generator("fingerprint", "content/evidence/second.yaml").returncode == 0
    value = licensing.fingerprint(["Some words."]).encode()
    assert path.read_bytes() == before.replace(
        b"    license: nejm\n", b"    license: nejm\n    fingerprint: " + value + b"\n"
    )


def test_fingerprint_command_replaces_only_what_it_was_asked_to(project: Project) -> None:
    original = project.read(SEED_FILE)
    project.edit(SEED_FILE, "cabozantinib was 8.4 months", "cabozantinib was 8.5 months")
    edited = project.read(SEED_FILE)
    result = project.generator("fingerprint", SEED_FILE)
    assert result.stdout == (
        f"{SEED_FILE}: quotes[0]: its fingerprint does not match its text; if you re-checked the "
        "text against the source, run again with --quote 0\n"
    )
    assert project.read(SEED_FILE) == edited

    result = project.generator("fingerprint", SEED_FILE, "--quote", "0")
    assert result.returncode == 0
    new = licensing.fingerprint(load(Paths.at(project.root)).entries[0].entry.quotes[0].text)
    old_line = next(line for line in original.splitlines() if "fingerprint:" in line)
    assert project.read(SEED_FILE) == edited.replace(old_line, f"    fingerprint: {new}")
    assert project.generator("check").returncode == 0


def test_fingerprint_command_refuses_what_it_cannot_edit_safely(project: Project) -> None:
    flow = quoting_entry("second", "Some words.").replace(
        'quotes:\n  - text: ["Some words."]\n    attribution: A. Author\n    reference: 1\n'
        "    license: nejm\n",
        "quotes:\n"
        '  - {text: ["Some words."], attribution: A. Author, reference: 1, license: nejm}\n',
    )
    flow = "\n".join(line for line in flow.splitlines() if "fingerprint:" not in line) + "\n"
    path = project.write("content/evidence/second.yaml", flow)
    result = project.generator("fingerprint", "content/evidence/second.yaml")
    assert result.returncode == 2
    assert result.stderr == (
        "error: quotes[0] is written on one line in braces; write it one key per line to record "
        "its fingerprint\n"
    )
    assert path.read_text() == flow
    result = project.generator("fingerprint", SEED_FILE, "--quote", "3")
    assert result.returncode == 2
    assert result.stderr == f"error: {SEED_FILE} has no quotes[3]; it has 1 quote(s)\n"
