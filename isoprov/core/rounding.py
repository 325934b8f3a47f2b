"""Rounding an exact value once, the way a rule set says (làm tròn): SPEC §3b, reused by §5b.

Modes:

- ``half-up`` — a half goes away from zero (84,945 → 84,95): the usual school rule and the
  default of every set;
- ``half-even`` — a half goes to the even neighbour (84,945 → 84,94; 84,955 → 84,96), the
  "banker's" rule some spreadsheets use;
- ``down`` — the digits beyond the last place are dropped (84,949 → 84,94): truncation toward zero.

Values come in as exact ratios (``Fraction`` or an integer numerator/denominator pair), never
as a rounded quotient: rounding a quotient that was already rounded to 28 digits can land on the
other side of a half.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Literal

RoundingMode = Literal["half-up", "half-even", "down"]

ROUNDING_MODES: tuple[RoundingMode, ...] = ("half-up", "half-even", "down")

#: How a mode is named to an official (explanations, errors).
MODE_NAMES: dict[str, str] = {
    "half-up": "làm tròn từ 5 trở lên (half-up)",
    "half-even": "làm tròn số chẵn (half-even)",
    "down": "bỏ phần lẻ (down)",
}


def round_ratio(num: int, den: int, places: int, mode: RoundingMode = "half-up") -> Decimal:
    """``num / den`` rounded to ``places`` decimals by ``mode`` (``den`` ≠ 0), exactly.

    >>> round_ratio(84945, 1000, 2, "half-even")
    Decimal('84.94')
    """
    if places < 0:
        raise ValueError("places must not be negative")
    if den < 0:
        num, den = -num, -den
    whole, rest = divmod(abs(num) * 10**places, den)
    twice = 2 * rest
    if mode == "half-up":
        whole += twice >= den
    elif mode == "half-even":
        whole += twice > den or (twice == den and whole % 2 == 1)
    elif mode != "down":
        raise ValueError(f"unknown rounding mode {mode!r}")
    return Decimal(-whole if num < 0 else whole).scaleb(-places)


def round_exact(value: Fraction | Decimal | int, places: int, mode: RoundingMode = "half-up") -> Decimal:
    """An exact value rounded to ``places`` decimals by ``mode``."""
    if isinstance(value, Fraction):
        return round_ratio(value.numerator, value.denominator, places, mode)
    num, den = Decimal(value).as_integer_ratio()
    return round_ratio(num, den, places, mode)
