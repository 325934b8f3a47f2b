"""JSON output with exact decimals: a ``Decimal`` is written as its own digits, never via float."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any


def plain_decimal(value: Decimal) -> str:
    """``Decimal`` as a JSON number without exponent or trailing zeros: 82.25, 126, 0.5."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def dumps(value: Any, indent: int | None = 2) -> str:
    """Serialise dicts, lists, str, int, bool, None and ``Decimal`` to JSON text."""
    return "".join(_encode(value, indent, 0))


def _encode(value: Any, indent: int | None, depth: int) -> list[str]:
    if isinstance(value, Decimal):
        return [plain_decimal(value)]
    if value is None or isinstance(value, bool | int | str):
        return [json.dumps(value, ensure_ascii=False)]
    pad = "" if indent is None else "\n" + " " * (indent * (depth + 1))
    end = "" if indent is None else "\n" + " " * (indent * depth)
    sep = ", " if indent is None else ","
    if isinstance(value, Mapping):
        if not value:
            return ["{}"]
        parts = [
            pad + json.dumps(str(k), ensure_ascii=False) + ": " + "".join(_encode(v, indent, depth + 1))
            for k, v in value.items()
        ]
        return ["{", sep.join(parts), end, "}"]
    if isinstance(value, Sequence):
        if not value:
            return ["[]"]
        parts = [pad + "".join(_encode(v, indent, depth + 1)) for v in value]
        return ["[", sep.join(parts), end, "]"]
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")
