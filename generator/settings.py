"""What a run of the checks depends on besides the content: the day it judges by, and policies.

Options win over environment variables, which win over the defaults. Tests and authors set the
day to ask what would break then.
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
    ) -> Settings:
        as_of_text = as_of or environ.get(AS_OF_VARIABLE) or None
        try:
            day = date.fromisoformat(as_of_text) if as_of_text else date.today()
        except ValueError:
            raise SettingsError(
                f"as-of date {as_of_text!r} is not a date written YYYY-MM-DD"
            ) from None
        chosen = policy or environ.get(POLICY_VARIABLE) or "fail"
        if chosen not in POLICIES:
            raise SettingsError(f"license policy {chosen!r} is not one of: {', '.join(POLICIES)}")
        days = DEFAULT_WARNING_DAYS if warning_days is None else warning_days
        months = DEFAULT_REVIEW_MONTHS if review_months is None else review_months
        if days < 0:
            raise SettingsError("the expiry warning must be 0 or more days")
        if months < 1:
            raise SettingsError("the review interval must be 1 month or more")
        return cls(day, chosen, days, months)
