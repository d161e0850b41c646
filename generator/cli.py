"""`python -m generator COMMAND`: check, render, build, audit and report without running MkDocs."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from generator import __version__, settings
from generator.built import audit, builder, destination, handwritten
from generator.built.output import OutputError, has_manifest, write_folder
from generator.checks import licensing
from generator.checks.load import read_content
from generator.content.problem import ContentError
from generator.content.project import Project
from generator.pages import publication, workers
from generator.review import (
    changes,
    diff,
    fingerprints,
    migration,
    report,
    scaffold,
    schema,
    terminal,
)
from generator.settings import (
    AS_OF_VARIABLE,
    DEFAULT_REVIEW_MONTHS,
    DEFAULT_WARNING_DAYS,
    POLICIES,
    POLICY_VARIABLE,
    Settings,
    SettingsError,
)


def main(argv: list[str] | None = None) -> int:
    workers.allow()  # `python -m generator` guards its main module
    arguments = _parser().parse_args(argv)
    project = Project.at(arguments.root)
    try:
        return int(arguments.run(project, arguments))
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    except (
        OutputError,
        destination.DestinationError,
        builder.BuildError,
        SettingsError,
        fingerprints.FingerprintError,
        migration.MigrationError,
        scaffold.ScaffoldError,
        changes.ChangesError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Check evidence entries and turn them into Markdown pages.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--root",
        type=Path,
        default=Path.cwd(),
        help="project folder holding content/ and site_templates/ (default: the current folder)",
    )
    licenses = argparse.ArgumentParser(add_help=False)
    licenses.add_argument(
        "--as-of",
        metavar="DATE",
        help=f"judge licenses as of this day, YYYY-MM-DD (default: ${AS_OF_VARIABLE}, else today)",
    )
    licenses.add_argument(
        "--review-months",
        type=int,
        metavar="N",
        help=f"an entry reviewed more than N months ago is due (default: {DEFAULT_REVIEW_MONTHS})",
    )
    licenses.add_argument(
        "--license-policy",
        choices=POLICIES,
        help="outside a license's dates, fail the build or withdraw the quote "
        f"(default: ${POLICY_VARIABLE}, else fail)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check", parents=[licenses], help="check every entry and the license registry"
    )
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one line per finding (default); json: every finding and waiver, for tools",
    )
    check.set_defaults(run=_check)

    render = commands.add_parser(
        "render", parents=[licenses], help="write the site's Markdown pages into a folder"
    )
    render.add_argument(
        "out", type=Path, metavar="OUT", help="folder to write (new, or written by render)"
    )
    render.set_defaults(run=_render)

    build = commands.add_parser(
        "build",
        parents=[licenses],
        help="build the site with MkDocs into a fresh folder; replace SITE only on success",
    )
    build.add_argument("--config-file", type=Path, default=Path("mkdocs.yml"), metavar="FILE")
    build.add_argument("--site-dir", type=Path, default=Path("site"), metavar="SITE")
    build.add_argument(
        "--strict",
        action="store_true",
        help="fail on warnings too (errors, broken links and unsafe pages always fail)",
    )
    build.set_defaults(run=_build)

    usage = commands.add_parser(
        "licenses", parents=[licenses], help="report every licensed quote and its license's status"
    )
    usage.add_argument("--format", choices=("table", "csv", "json"), default="table")
    usage.add_argument(
        "--expiring-days",
        type=int,
        default=DEFAULT_WARNING_DAYS,
        metavar="N",
        help="call a license 'expiring' this many days before it ends (default: %(default)s)",
    )
    usage.set_defaults(run=_licenses)

    compare = commands.add_parser(
        "changes", parents=[licenses], help="list entries added, changed and removed since BASE"
    )
    compare.add_argument("base", metavar="BASE", help="a git revision, e.g. origin/main")
    compare.add_argument("--format", choices=("text", "json"), default="text")
    compare.set_defaults(run=_changes)

    unified = commands.add_parser(
        "diff", parents=[licenses], help="show how the changed entries' Markdown differs from BASE"
    )
    unified.add_argument("base", metavar="BASE", help="a git revision, e.g. origin/main")
    unified.set_defaults(run=_diff)

    new = commands.add_parser(
        "new", help="start a new entry: a draft skeleton with every field explained"
    )
    new.add_argument(
        "id", metavar="ID", help="the entry's id and page address, e.g. drug-condition"
    )
    new.add_argument("--question", required=True, help="the clinical question it answers")
    new.set_defaults(run=_new, as_of=None)

    fingerprint = commands.add_parser(
        "fingerprint",
        help="record the fingerprint of quotes checked against their source, changing nothing else",
    )
    fingerprint.add_argument("file", type=Path, metavar="FILE", help="the entry file")
    fingerprint.add_argument(
        "--quote",
        type=int,
        metavar="N",
        help="only quotes[N], replacing a fingerprint it already has (after re-checking it)",
    )
    fingerprint.set_defaults(run=_fingerprint)

    migrate = commands.add_parser(
        "migrate",
        help="rewrite results written in the first release's shape (one endpoint per cohort) "
        "into arms, outcomes and comparisons, changing nothing else",
    )
    migrate.add_argument("files", type=Path, nargs="+", metavar="FILE", help="entry files")
    migrate.set_defaults(run=_migrate)

    audit_command = commands.add_parser(
        "audit", help="check a built site for anything that could run code or navigate away"
    )
    audit_command.add_argument("site", type=Path, metavar="SITE")
    audit_command.set_defaults(run=_audit)

    schema_command = commands.add_parser(
        "schema", help=f"write the JSON Schema files editors use into {schema.SCHEMA_DIR}/"
    )
    schema_command.add_argument(
        "--check", action="store_true", help="only say whether the files are current"
    )
    schema_command.set_defaults(run=_schema)
    return parser


def _settings(arguments: argparse.Namespace, warning_days: int | None = None) -> Settings:
    return Settings.resolve(
        as_of=arguments.as_of,
        policy=arguments.license_policy,
        warning_days=warning_days,
        review_months=arguments.review_months,
    )


def _check(project: Project, arguments: argparse.Namespace) -> int:
    settings = _settings(arguments)
    made = publication.make(project, settings, remember=False)
    if arguments.format == "json":
        sys.stdout.write(report.findings_json(made, settings))
    else:
        _print_findings(made)
    failed = bool(made.errors) or (arguments.strict and bool(made.warnings))
    return 1 if failed else 0


def _print_findings(outcome: publication.Publication) -> None:
    for problem in sorted(outcome.errors + outcome.warnings):
        print(problem, file=sys.stderr)
    for waived in outcome.waived:
        print(f"waived: {waived.problem} (reason: {waived.reason})")
    if outcome.errors:
        count = len(outcome.errors)
        print(f"{count} problem{'s' if count != 1 else ''} found.", file=sys.stderr)
        return
    entries = outcome.entries
    warnings = len(outcome.warnings)
    parts = [f"{warnings} warning{'s' if warnings != 1 else ''}"]
    if warnings:  # which rules, so a long list of findings reads at a glance
        rules = Counter(problem.rule or "other" for problem in outcome.warnings)
        parts[0] += f" ({', '.join(f'{rule} {n}' for rule, n in sorted(rules.items()))})"
    if outcome.waived:
        parts.append(f"{len(outcome.waived)} waived")
    print(
        f"{entries} entr{'y' if entries == 1 else 'ies'} checked: "
        + (
            f"no errors, {', '.join(parts)}"
            if outcome.warnings or outcome.waived
            else "no problems"
        )
    )


def _render(project: Project, arguments: argparse.Namespace) -> int:
    started = time.monotonic()
    out = destination.check(arguments.out, project, what="output folder", ours=has_manifest)
    made = publication.make(project, _settings(arguments), remember=False)
    rendered = made.published()
    for warning in made.warnings:
        print(warning, file=sys.stderr)
    files = {path: markdown.encode("utf-8") for path, markdown in rendered.items()}
    files.update(_hand_written(project, rendered))
    written = write_folder(out, files)
    print(
        f"Rendered {len(files)} files into {arguments.out}/ in {time.monotonic() - started:.1f} "
        f"s: {written.written} written, {written.unchanged} unchanged, {written.removed} removed"
    )
    return 0


def _hand_written(project: Project, rendered: dict[str, str]) -> dict[str, bytes]:
    """The hand-written pages and their assets, so OUT is a complete docs folder."""
    files = handwritten.collect(project)
    found = handwritten.problems(project, files, rendered)
    if found:
        raise ContentError(found)
    return {name: path.read_bytes() for name, path in files.items()}


def _build(project: Project, arguments: argparse.Namespace) -> int:
    _settings(arguments)  # refuse bad values before MkDocs starts
    environment = settings.environment(as_of=arguments.as_of, policy=arguments.license_policy)
    return builder.build(
        project,
        project.root / arguments.config_file,
        project.root / arguments.site_dir,
        strict=arguments.strict,
        environment=environment,
    )


def _licenses(project: Project, arguments: argparse.Namespace) -> int:
    """The report is wanted most when something is wrong with the licenses, so their problems
    (a license ended, a word limit passed) do not stop it: they are listed on standard error.
    But an entry with almost any other mistake is not read at all, and a report for a compliance
    review must not leave out its quotes without a sign: then there is no report. Problems that
    leave every file read (a tag clashing with another entry's) do not stop it either."""
    settings = _settings(arguments, warning_days=arguments.expiring_days)
    site, problems = read_content(project)
    read = {source.path for source in site.entries} if site is not None else set()
    unread = sorted({problem.path for problem in problems} - read)
    if unread:
        print(ContentError(problems).report(), file=sys.stderr)
        files = " and ".join([", ".join(unread[:-1]), unread[-1]] if unread[:-1] else unread)
        print(
            f"No report made: {files} cannot be read until the problems above are fixed, and a "
            f"report without {'them' if unread[:-1] else 'it'} could leave out quotes.",
            file=sys.stderr,
        )
        return 1
    assert site is not None  # without one, the registry is among the files not read
    review = licensing.review(site, settings)
    for problem in sorted(problems + review.errors + review.warnings):
        print(problem, file=sys.stderr)
    formats = {"table": report.table, "csv": report.csv_text, "json": report.json_text}
    sys.stdout.write(formats[arguments.format](site, review, settings))
    return 0


def _changes(project: Project, arguments: argparse.Namespace) -> int:
    found = changes.compare(project, arguments.base)
    if arguments.format == "json":
        print(json.dumps([changes.as_json(c) for c in found], indent=2, ensure_ascii=False))
        return 0
    for change in found:
        print("\n".join(terminal.change_lines(change)))
    print(terminal.closing_line(found, arguments.base))
    return 0


def _diff(project: Project, arguments: argparse.Namespace) -> int:
    sys.stdout.write(diff.diff(project, arguments.base, _settings(arguments)))
    return 0


def _new(project: Project, arguments: argparse.Namespace) -> int:
    today = Settings.resolve(as_of=arguments.as_of).as_of
    path = scaffold.new_entry(project, arguments.id, arguments.question, today)
    shown = project.shown(path)
    print(f"wrote {shown}: a draft, checked but not published until its draft line is removed")
    return 0


def _fingerprint(project: Project, arguments: argparse.Namespace) -> int:
    path = arguments.file if arguments.file.is_absolute() else Path.cwd() / arguments.file
    for line in fingerprints.record(path, project.shown(path), arguments.quote):
        print(line)
    return 0


def _migrate(project: Project, arguments: argparse.Namespace) -> int:
    """Each file on its own, all or nothing: a refused file does not stop the others."""
    refused = 0
    for file in arguments.files:
        path = file if file.is_absolute() else Path.cwd() / file
        try:
            print(migration.migrate(path, project.shown(path)))
        except migration.MigrationError as error:
            print(f"error: {error}", file=sys.stderr)
            refused += 1
    return 2 if refused else 0


def _audit(project: Project, arguments: argparse.Namespace) -> int:
    site: Path = arguments.site
    if not site.is_dir():
        print(f"error: {site} is not a folder", file=sys.stderr)
        return 2
    checked = audit.SiteAudit()
    findings = checked.findings(checked.add_folder(site))
    for line in audit.report(findings, site):
        print(line)
    pages = len(checked.pages)  # sitemaps and feeds are data: neither audited nor counted
    print(f"{pages} pages audited: " + ("no problems" if not findings else "problems found"))
    return 1 if findings else 0


def _schema(project: Project, arguments: argparse.Namespace) -> int:
    folder = project.root / schema.SCHEMA_DIR
    if arguments.check:
        stale = schema.stale(folder)
        for name in stale:
            print(f"{schema.SCHEMA_DIR}/{name} is out of date; run: python -m generator schema")
        return 1 if stale else 0
    for name in schema.write(folder):
        print(f"wrote {schema.SCHEMA_DIR}/{name}")
    return 0
