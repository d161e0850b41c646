"""What a run of the checks depends on besides the content: the day it judges by, and policies.

Every setting is decided here, and only here, in one order: a command-line flag, then an
environment variable (for the settings that have one), then the plugin's option in mkdocs.yml,
then the default. Tests and authors set the day to ask what would break then.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

Policy = Literal["fail", "withdraw"]
POLICIES: tuple[Policy, ...] = ("fail", "withdraw")

AS_OF_VARIABLE = "EVIDENCE_AS_OF"
POLICY_VARIABLE = "EVIDENCE_LICENSE_POLICY"
DEFAULT_WARNING_DAYS = 60
DEFAULT_REVIEW_MONTHS = 12


VARIABLES = {"as_of": AS_OF_VARIABLE, "policy": POLICY_VARIABLE}
"""The settings an environment variable can set, and its name."""


class SettingsError(ValueError):
    """A setting (option or environment variable) has a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    as_of: date
    policy: Policy = "fail"
    """What a quote outside its license's dates becomes: an error, or withdrawn."""
    warning_days: int = DEFAULT_WARNING_DAYS
    """A license ending within this many days is a warning."""
    review_months: int = DEFAULT_REVIEW_MONTHS
    """An entry last reviewed longer ago than this is due for review."""

    @classmethod
    def resolve(
        cls,
        *,
        as_of: str | None = None,
        policy: str | None = None,
        warning_days: int | None = None,
        review_months: int | None = None,
        environ: Mapping[str, str] = os.environ,
        config: Mapping[str, object] | None = None,
    ) -> Settings:
        """The settings, from flags (the keyword arguments), `environ` and `config` (the
        options in mkdocs.yml, by the same names), in that order of precedence."""
        flags = {
            "as_of": as_of,
            "policy": policy,
            "warning_days": warning_days,
            "review_months": review_months,
        }
        sources = (
            flags,
            {name: environ.get(variable) for name, variable in VARIABLES.items()},
            config or {},
        )

        def chosen(name: str) -> object:
            for source in sources:
                value = source.get(name)
                if value is not None and value != "":
                    return value
            return None

        as_of_text = chosen("as_of")
        try:
            day = date.fromisoformat(str(as_of_text)) if as_of_text else date.today()
        except ValueError:
            raise SettingsError(
                f"as-of date {as_of_text!r} is not a date written YYYY-MM-DD"
            ) from None
        rule = next((p for p in POLICIES if p == (chosen("policy") or "fail")), None)
        if rule is None:
            rule_text = chosen("policy")
            raise SettingsError(
                f"license policy {rule_text!r} is not one of: {', '.join(POLICIES)}"
            )
        days, months = chosen("warning_days"), chosen("review_months")
        days = DEFAULT_WARNING_DAYS if days is None else days
        months = DEFAULT_REVIEW_MONTHS if months is None else months
        assert isinstance(days, int)
        assert isinstance(months, int)
        if days < 0:
            raise SettingsError("the expiry warning must be 0 or more days")
        if months < 1:
            raise SettingsError("the review interval must be 1 month or more")
        return cls(day, rule, days, months)


def environment(*, as_of: str | None = None, policy: str | None = None) -> dict[str, str]:
    """The variables that carry these flags to a build in another process, where they must
    still win over mkdocs.yml; a flag not given sets nothing, so the caller's own environment
    and then mkdocs.yml apply there as here."""
    flags = {"as_of": as_of, "policy": policy}
    return {VARIABLES[name]: value for name, value in flags.items() if value}
