"""``isoprov budget words`` (SPEC §5): an amount of đồng in words.

A light command: it imports neither pydantic nor rich, openpyxl, jinja2 or the Word library,
so that it starts about as fast as the command-line layer itself (issue 16). The consoles of
:mod:`isoprov.commands.common` are loaded only to report a usage error.
"""

from __future__ import annotations

import re
from decimal import Decimal

from isoprov.commands.output import emit
from isoprov.core.diagnostics import ExitCode
from isoprov.core.vietnamese import MoneyParseError, amount_in_words, parse_money

_PLAIN_DIGITS = re.compile(r"\d+")
# 126000000.0: more than three digits before a single dot, so the dot cannot group thousands; a
# number as a program prints it, read with its decimal point.
_MACHINE_DECIMAL = re.compile(r"\d{4,}\.\d+")


def parse_amount_argument(text: str) -> Decimal:
    """``126000000``, ``126.000.000`` or ``126 triệu đồng`` → đồng; ValueError (Vietnamese) if not.

    ``126000000.0`` (a dot after more than three digits) is read as a decimal point: it is
    accepted when the fraction is zero, and :func:`amount_in_words` refuses any other fraction
    as not a whole number of đồng. ``1.5`` stays ambiguous (1,5 or 15).
    """
    cleaned = " ".join(text.split())
    if _PLAIN_DIGITS.fullmatch(cleaned) or _MACHINE_DECIMAL.fullmatch(cleaned):
        return Decimal(cleaned)
    has_unit = any(c.isalpha() or c == "₫" for c in cleaned)
    try:
        vnd, _ = parse_money(cleaned if has_unit else f"{cleaned} đồng")
    except MoneyParseError as exc:
        raise ValueError(str(exc)) from None
    return vnd


def run_words(amount: str) -> int:
    """Print the amount in words; a value that is not an amount of đồng is a usage error."""
    try:
        words = amount_in_words(parse_amount_argument(amount))
    except ValueError as exc:
        from isoprov.commands.common import usage_error

        usage_error(
            f"`{amount}` không phải một số tiền viết được bằng chữ: {exc}. Ví dụ: "
            "`isoprov budget words 126000000` hoặc `isoprov budget words 126.000.000`"
        )
    emit(words)
    return int(ExitCode.OK)
