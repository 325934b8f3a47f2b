"""JSON output with exact decimals: a ``Decimal`` is written as its own digits, never via float."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any


def plain_decimal(value: Decimal) -> str:
    """``Decimal`` as a JSON number without exponent or trailing zeros: 82.25, 126, 0.5."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def dumps(value: Any, indent: int | None = 2) -> str:
    """Serialise dicts, lists, str, int, bool, None and ``Decimal`` to JSON text."""
    out: list[str] = []
    _encode(value, indent, 0, out)
    return "".join(out)


def _scalar(value: Any) -> str | None:
    """The JSON text of a str, ``Decimal``, int, bool or None; None for anything else."""
    if isinstance(value, str):
        # the C escaper that `json.dumps(value, ensure_ascii=False)` calls, without a new encoder each time
        return encode_basestring(value)
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    return None


def _decimal_text(value: Decimal) -> str:
    """:func:`plain_decimal`, remembered: a batch's report writes the same few points (0, 0.5,
    20, 74.33) tens of thousands of times. Equal values (``2``, ``2.0``) have the same text, so
    the value is the key."""
    text = _DECIMAL_TEXTS.get(value)
    if text is None:
        text = plain_decimal(value)
        if len(_DECIMAL_TEXTS) < 10_000:
            _DECIMAL_TEXTS[value] = text
    return text


_DECIMAL_TEXTS: dict[Decimal, str] = {}


#: Speed: the text of a plain scalar, by its exact type, without the chain of `isinstance` tests.
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    Decimal: _decimal_text,
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
}


def _encode(value: Any, indent: int | None, depth: int, out: list[str]) -> None:
    # Speed: pieces go to one list, and a container writes its scalar items itself (most items
    # are): a call of `_encode` per item cost more than the encoding.
    text = _scalar(value)
    if text is not None:
        out.append(text)
        return
    pad = "" if indent is None else "\n" + " " * (indent * (depth + 1))
    end = "" if indent is None else "\n" + " " * (indent * depth)
    sep = ", " if indent is None else ","
    if isinstance(value, Mapping):
        if not value:
            out.append("{}")
            return
        lead = "{" + pad
        for k, v in value.items():
            encode = _SCALARS.get(type(v))
            if encode is not None:
                out.append(lead + encode_basestring(str(k)) + ": " + encode(v))
            else:
                out.append(lead + encode_basestring(str(k)) + ": ")
                _encode(v, indent, depth + 1, out)
            lead = sep + pad
        out.append(end + "}")
        return
    if isinstance(value, Sequence):
        if not value:
            out.append("[]")
            return
        lead = "[" + pad
        for v in value:
            encode = _SCALARS.get(type(v))
            if encode is not None:
                out.append(lead + encode(v))
            else:
                out.append(lead)
                _encode(v, indent, depth + 1, out)
            lead = sep + pad
        out.append(end + "]")
        return
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")
