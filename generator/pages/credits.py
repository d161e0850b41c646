"""The credit-line guarantee: whatever the templates say, the rendered Markdown of each entry
shows each of its quotes with everything its license asks for, and no withdrawn quote."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from generator.checks import licensing
from generator.checks.suite import Checked
from generator.content.problem import Problem
from generator.pages import markup, plan
from generator.pages.filters import source_url

_QUOTE_BLOCK = re.compile(
    r'<figure class="evidence-quote" id="quote\.([0-9]+)">(.*?)</figure>', re.S
)


def problems(checked: Checked, rendered: dict[str, str], templates_dir: Path) -> list[Problem]:
    """Whatever the templates say, each quote shown carries its attribution, its license's
    credit line and, where the license requires one, the link to its source; and a withdrawn
    quote appears nowhere. Licensing is kept by the build, not by the care of template authors."""
    uses: dict[str, list[licensing.Use]] = {}
    for use in checked.licensing.uses:
        uses.setdefault(use.source.entry.id, []).append(use)
    found = []
    for entry_id, its_uses in uses.items():
        page = rendered.get(plan.entry_path(entry_id))
        if page is not None:  # else a draft, not rendered
            found += entry_problems(its_uses, page, templates_dir)
    return found


def entry_problems(uses: list[licensing.Use], page: str, templates_dir: Path) -> list[Problem]:
    """What one entry's rendered page leaves out of what its quotes' licenses ask for."""
    found = []
    blocks = {int(n): block for n, block in _QUOTE_BLOCK.findall(page)}
    for use in uses:
        text = markup.text(" ".join(use.quote.text))
        what = f"quote {use.index} of {use.source.entry.id} (license '{use.license_key}')"
        if not use.shown:
            if use.index in blocks or markup.text(use.quote.text[0]) in page:
                found.append(f"{what}, which is withdrawn")
            continue
        block = blocks.get(use.index, "")
        url = source_url(use.reference)
        required = {
            'the quote in a <figure class="evidence-quote" id="quote.N"> block': bool(block),
            "the quoted text": all(markup.text(p) in block for p in use.quote.text),
            "the attribution": markup.text(use.quote.attribution) in block,
            "the credit line": markup.text(use.license.credit_line) in block,
            "the link to the source": not use.license.link_required
            or (url is not None and f'href="{markup.attribute(url)}"' in block),
        }
        missing = [name for name, present in required.items() if not present]
        if missing and text:
            found.append(f"{what} without {', '.join(missing)}")
    if not found:
        return []  # and no path resolved, a dozen system calls, for each of 10,000 pages
    where = shown(Path(templates_dir, "entry.md.jinja"))
    return [licensing.credit_problem(where, f"the template shows {m}") for m in found]


def shown(path: Path) -> str:
    """A path as commands show it: relative to the current folder where it is inside it."""
    with contextlib.suppress(ValueError):
        return path.resolve().relative_to(Path.cwd()).as_posix()
    return path.as_posix()
