"""The SPEC §3 total and band as Excel formulas, shared by the form and the score export."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from isoprov.core.jsonout import plain_decimal
from isoprov.excel.cells import formula_string
from isoprov.scoring.criteria import Band


def total_formula(earned: str, possible: str, bonus: str, penalty: str, scale: Decimal) -> str:
    """SPEC §3 as an Excel formula: clamp(earned / possible × scale + bonus − penalty, 0, scale),
    rounded to 2 places; the rescaled part is 0 when nothing applies (possible = 0).

    The arguments are cell references or expressions. Excel's ROUND rounds half away from zero,
    which is half-up for the non-negative values it gets here. Used by the form and the export.
    """
    s = plain_decimal(scale)
    rescaled = f"IF({possible}>0,{earned}/{possible}*{s},0)"
    return f"=ROUND(MAX(0,MIN({s},{rescaled}+{bonus}-{penalty})),2)"


def band_formula(total: str, bands: Sequence[Band] | None) -> str:
    """The first band whose ``min`` ≤ ``total`` (bands from the top), as nested IFs; empty text
    for a set without bands."""
    if not bands:
        return '=""'
    band = f'"{formula_string(bands[-1].label)}"'
    for b in reversed(bands[:-1]):
        band = f'IF({total}>={plain_decimal(b.min)},"{formula_string(b.label)}",{band})'
    return "=" + band
