"""`python -m generator check | render OUT | schema`: the generator without MkDocs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import __version__, audit, builder, handwritten, schema
from generator.load import load
from generator.output import OutputError, write_folder
from generator.problem import ContentError
from generator.project import Project
from generator.render import render_site


def main(argv: list[str] | None = None) -> int:
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
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("check", help="check every entry and the license registry")
    render = commands.add_parser("render", help="write the site's Markdown pages into a folder")
    render.add_argument(
        "out", type=Path, metavar="OUT", help="folder to write (new, or written by render)"
    )
    build = commands.add_parser(
        "build", help="build the site with MkDocs into a fresh folder; replace SITE only on success"
    )
    build.add_argument("--config-file", type=Path, default=Path("mkdocs.yml"), metavar="FILE")
    build.add_argument("--site-dir", type=Path, default=Path("site"), metavar="SITE")
    audit_command = commands.add_parser(
        "audit", help="check a built site for anything that could run code or navigate away"
    )
    audit_command.add_argument("site", type=Path, metavar="SITE")
    schema_command = commands.add_parser(
        "schema", help=f"write the JSON Schema files editors use into {schema.SCHEMA_DIR}/"
    )
    schema_command.add_argument(
        "--check", action="store_true", help="only say whether the files are current"
    )
    arguments = parser.parse_args(argv)
    project = Project.at(arguments.root)
    try:
        if arguments.command == "check":
            return _check(project)
        if arguments.command == "render":
            return _render(project, arguments.out)
        if arguments.command == "build":
            return builder.build(
                project.root / arguments.config_file, project.root / arguments.site_dir
            )
        if arguments.command == "audit":
            return _audit(arguments.site)
        return _schema(project, check_only=arguments.check)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    except OutputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _check(project: Project) -> int:
    site = load(project)
    render_site(site, project.templates_dir)  # tag conflicts and template errors count too
    count = len(site.entries)
    print(f"{count} entr{'y' if count == 1 else 'ies'} checked: no problems")
    return 0


def _render(project: Project, out: Path) -> int:
    rendered = render_site(load(project), project.templates_dir)
    files = {path: markdown.encode("utf-8") for path, markdown in rendered.items()}
    files.update(_hand_written(project, rendered))
    report = write_folder(out, files, protected=[project.content_dir, project.templates_dir])
    print(
        f"{len(files)} files in {out}: {report.written} written, {report.unchanged} unchanged, "
        f"{report.removed} removed"
    )
    return 0


def _hand_written(project: Project, rendered: dict[str, str]) -> dict[str, bytes]:
    """The hand-written pages and their assets, so OUT is a complete docs folder."""
    files = handwritten.collect(project)
    found = handwritten.problems(project, files, rendered)
    if found:
        raise ContentError(found)
    return {name: path.read_bytes() for name, path in files.items()}


def _audit(site: Path) -> int:
    if not site.is_dir():
        print(f"error: {site} is not a folder", file=sys.stderr)
        return 2
    findings = audit.site(site)
    for name, page_findings in findings.items():
        for finding in page_findings:
            print(f"{site / name}:{finding.line}:{finding.column}: {finding.message}")
    pages = sum(1 for _ in site.rglob("*.html"))
    print(f"{pages} pages audited: " + ("no problems" if not findings else "problems found"))
    return 1 if findings else 0


def _schema(project: Project, *, check_only: bool) -> int:
    folder = project.root / schema.SCHEMA_DIR
    if check_only:
        stale = schema.stale(folder)
        for name in stale:
            print(f"{schema.SCHEMA_DIR}/{name} is out of date; run: python -m generator schema")
        return 1 if stale else 0
    for name in schema.write(folder):
        print(f"wrote {schema.SCHEMA_DIR}/{name}")
    return 0
