"""The number field types of the content schema: decimals kept as written, counts, medians and
P values, each with its JSON Schema and its message for authors."""

from __future__ import annotations

import re
from decimal import Context as DecimalContext
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer, PlainValidator, ValidationInfo, WithJsonSchema

from generator.checks.fields import as_text, context_of, shown
from generator.checks.registry import broken
from generator.content import citation

_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


class Figure(Decimal):
    """A decimal that prints as written: '8.40' stays '8.40', '0.0000001' never becomes '1E-7'."""

    __slots__ = ()

    def __str__(self) -> str:
        return super().__format__("f")

    def __format__(self, spec: str, context: DecimalContext | None = None, /) -> str:
        # f-strings call __format__, which Decimal implements without __str__.
        return str(self) if not spec else super().__format__(spec, context)


def _number(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return Figure(value)
    text = as_text(value)
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"expected a number written like 0.38 or 8.4, got {shown(value)}")
    return Figure(text)


_NUMBER_SCHEMA = {"type": ["number", "string"], "pattern": f"^{_NUMBER.pattern}$"}
Number = Annotated[
    Decimal,
    PlainValidator(_number),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(_NUMBER_SCHEMA),
]
"""A decimal number kept exactly as written: `0.050` stays `0.050`."""

NOT_REACHED = "not reached"


def _median(value: object) -> Decimal | str:
    if value == NOT_REACHED:
        return NOT_REACHED
    try:
        median = _number(value)
    except ValueError:
        median = Decimal(-1)
    if median < 0:
        raise ValueError(
            f"expected a number written like 8.4, or '{NOT_REACHED}', got {shown(value)}"
        )
    return median


Median = Annotated[
    Decimal | str,
    PlainValidator(_median),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"anyOf": [_NUMBER_SCHEMA, {"const": NOT_REACHED}]}),
]

_COUNT = re.compile(r"[1-9][0-9]*")


def count(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    text = as_text(value)
    if not _COUNT.fullmatch(text):
        raise ValueError(f"expected a whole number greater than 0, like 203, got {shown(value)}")
    return int(text)


Count = Annotated[
    int,
    PlainValidator(count),
    WithJsonSchema({"type": ["integer", "string"], "pattern": f"^{_COUNT.pattern}$", "minimum": 1}),
]
"""A positive whole number, written without leading zeros."""


def _count0(value: object) -> int:
    if value in ("0", 0) and not isinstance(value, bool):
        return 0
    try:
        return count(value)
    except ValueError:
        raise ValueError(
            f"expected a whole number, 0 or more, like 14, got {shown(value)}"
        ) from None


Count0 = Annotated[
    int,
    PlainValidator(_count0),
    WithJsonSchema({"type": ["integer", "string"], "pattern": "^(0|[1-9][0-9]*)$", "minimum": 0}),
]
"""A whole number that may be 0, such as a number of events."""

_P_VALUE = re.compile(r"(?:[Pp] ?)?(?:[<>≤≥=] ?)?(?P<value>0|1|0?[.·][0-9]+|[01][.·][0-9]+)")

_P_SCHEMA = _P_VALUE.pattern.replace("?P<value>", "?:")  # JSON Schema has no named groups


def p_bound(written: str) -> tuple[str, Decimal]:
    """'P<0·001' -> ('<', Decimal('0.001')): the comparison a published P value makes."""
    match = _P_VALUE.fullmatch(written)
    assert match is not None, written
    operator = next((c for c in written if c in "<>≤≥="), "=")
    return operator, Decimal(match["value"].replace("·", "."))


def _p_value(value: object) -> str:
    text = as_text(value)
    if not _P_VALUE.fullmatch(text) or p_bound(text)[1] > 1:
        raise ValueError(
            f"expected a P value between 0 and 1 as published, optionally after P and < or >, "
            f"like <0.001, 0.03 or p<0·00001, got {shown(value)}"
        )
    return text


PValue = Annotated[
    str,
    PlainValidator(_p_value),
    WithJsonSchema(
        {
            "type": ["string", "number"],
            "pattern": "^" + _P_VALUE.pattern.replace("?P<value>", "?:") + "$",
        }
    ),
]
"""A P value exactly as written, such as `<0.001`."""


def _patients(value: object) -> int:
    try:
        return count(value)
    except ValueError as error:
        raise broken("results-patients", str(error)) from None


PatientCount = Annotated[
    int,
    PlainValidator(_patients),
    WithJsonSchema({"type": ["integer", "string"], "pattern": f"^{_COUNT.pattern}$", "minimum": 1}),
]
"""A number of patients: a whole number greater than 0."""


def _reference_exists(number: int, info: ValidationInfo) -> int:
    context = context_of(info)
    count = context.get("reference_count")
    if count is not None and number > count:
        held = citation.references_held(count)
        raise broken(
            "citation-resolves",
            f"there is no reference {number}; entry '{context.get('entry_id', '?')}' {held}",
        )
    return number


RefNumber = Annotated[
    int,
    PlainValidator(count),
    AfterValidator(_reference_exists),
    WithJsonSchema({"type": ["integer", "string"], "minimum": 1}),
]
"""The number of a reference in the entry's list, counting from 1."""
