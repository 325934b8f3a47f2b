"""Classification (xếp loại) with requirements (SPEC §3b): the band is the first from the top
whose ``min`` the total reaches and whose requirements all hold — every group at a share of its
maximum, every criterion at a share of its maximum, named conditions met. The bands passed over
on the way are reported with the reasons, in Vietnamese, for ``band_missed`` and ``--explain``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from isoprov.core.vietnamese import format_number
from isoprov.scoring.criteria import Band, CriteriaSet
from isoprov.scoring.measure import show

if TYPE_CHECKING:
    from isoprov.scoring.rules import CriterionResult, GroupResult, MissedBand

_HUNDRED = Decimal(100)


def decide_band(
    cs: CriteriaSet,
    total: Decimal,
    groups: Sequence[GroupResult],
    details: Sequence[CriterionResult],
    conditions: Mapping[str, bool | None],
) -> tuple[str | None, tuple[MissedBand, ...]]:
    """The band of a rounded total and the bands above it missed for their requirements.

    ``conditions``: each applicable condition's final result (absent: it does not apply).
    """
    from isoprov.scoring.rules import MissedBand

    if cs.bands is None:
        return None, ()
    missed: list[MissedBand] = []
    for band in cs.bands:
        if band.min > total:
            continue
        reasons = unmet(band, cs, groups, details, conditions)
        if not reasons:
            return band.label, tuple(missed)
        missed.append(MissedBand(band.label, tuple(reasons)))
    return None, tuple(missed)  # not reached: the last band has min 0 and no requirements


def unmet(
    band: Band,
    cs: CriteriaSet,
    groups: Sequence[GroupResult],
    details: Sequence[CriterionResult],
    conditions: Mapping[str, bool | None],
) -> list[str]:
    """Each requirement of ``band`` that does not hold, said as an official would check it:
    "nhóm 3 đạt 40 % < 50 %", "tiêu chí 2.1 đạt 25 % < 50 %", "điều kiện K1 (…) không đạt"."""
    out: list[str] = []
    need = band.each_group_min_percent
    if need is not None:
        for g in groups:
            if _below(g.exact_earned, g.possible, need):
                share = _percent(g.exact_earned, g.possible)
                out.append(f"nhóm {g.id} đạt {share} % < {format_number(need)} %")
    need = band.each_criterion_min_percent
    if need is not None:
        for d in details:
            if d.kind != "score" or not d.applicable:
                continue
            final = d.final if d.final_exact is None else d.final_exact
            if _below(final, d.max, need):
                out.append(f"tiêu chí {d.id} đạt {_percent(final, d.max)} % < {format_number(need)} %")
    for cid in band.requires:
        if cid in conditions and not conditions[cid]:
            out.append(f"điều kiện {cid} ({cs.index[cid].title}) không đạt")
    return out


def _below(earned: Decimal | Fraction, possible: Decimal, need: Decimal) -> bool:
    """Whether earned < need % of possible, exactly (never when nothing is possible).

    Speed: compared as integers (a fraction's arithmetic costs ten times as much), since this
    runs for every criterion of every file under ``each_criterion_min_percent``."""
    if possible <= 0:
        return False
    key = (need, possible)
    threshold = _THRESHOLDS.get(key)
    if threshold is None:  # need % of possible, as (numerator, denominator); few distinct ones
        nn, nd = need.as_integer_ratio()
        pn, pd = possible.as_integer_ratio()
        threshold = (nn * pn, nd * pd * 100)
        if len(_THRESHOLDS) < 10_000:
            _THRESHOLDS[key] = threshold
    en, ed = earned.as_integer_ratio()
    return en * threshold[1] < threshold[0] * ed


_THRESHOLDS: dict[tuple[Decimal, Decimal], tuple[int, int]] = {}


def _percent(earned: Decimal | Fraction, possible: Decimal) -> str:
    """earned / possible in %, as the explanation shows values: exact when it ends (42,5), else
    to 6 decimals cut, then "…" (3/7 → "42,857142…"): a share below the requirement never shows
    as equal to it, and is never shown rounded down as if exact (once "42,85")."""
    en, ed = earned.as_integer_ratio()
    pn, pd = possible.as_integer_ratio()
    return show(Fraction(en * 100 * pd, ed * pn))
