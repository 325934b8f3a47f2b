"""The score explained (``isoprov score --explain``, SPEC §3b): every criterion's input, the rule
that applied and its points; each group's earned/possible and weight; the total's arithmetic with
the actual numbers; the band decision naming any unmet requirement; the rank and its tie-break.

An official must be able to check a total with a pencil from these lines, so every figure is
shown exactly when it ends, and to 6 decimals followed by "…" when it does not (2/3). The lines
are recomputed from the result and the criteria set, not copied from the scoring code, and the
recomputed total is the scored one (a test holds them together).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from isoprov.core.rounding import MODE_NAMES
from isoprov.core.vietnamese import format_number
from isoprov.scoring.criteria import Band, CriteriaSet, Criterion, level_name
from isoprov.scoring.measure import EntryValue, show, show_input
from isoprov.scoring.points import Exact, explain_points
from isoprov.scoring.rules import DEFAULT_ROUNDING, CriterionResult, GroupResult, Result, exact_total

KIND_NAMES = {"bonus": "điểm thưởng", "penalty": "điểm trừ", "condition": "điều kiện"}


def explain(r: Result, cs: CriteriaSet, pool: Sequence[Result] = ()) -> list[str]:
    """The explanation of one result, line by line (Vietnamese). ``pool``: the ranked results
    of the same criteria set, period and level, for the rank and its tie-break."""
    lines = [f"Giải thích: {r.agency_name} ({r.agency_code}) — {level_name(r.level)} — kỳ {r.period} — bộ {cs.id}"]
    lines.append("Tiêu chí (đầu vào → cách tính → điểm):")
    lines.extend("  " + _criterion_line(d, cs.index[d.id]) for d in r.details)
    lines.append("Nhóm tiêu chí (đạt / tối đa):")
    lines.extend("  " + _group_line(g) for g in r.groups)
    lines.append("Tổng điểm:")
    lines.extend("  " + line for line in total_arithmetic(r, cs, final=True)[0])
    lines.append("Tổng tự chấm:")
    lines.extend("  " + line for line in total_arithmetic(r, cs, final=False)[0])
    lines.extend(_band_lines(r, cs))
    lines.extend(_rank_lines(r, cs, pool))
    return lines


# ---- criteria --------------------------------------------------------------------------------


def _criterion_line(d: CriterionResult, c: Criterion) -> str:
    kind = f" ({KIND_NAMES[d.kind]})" if d.kind in KIND_NAMES else ""
    head = f"{d.id} {d.title}{kind}: "
    if d.na_reason is not None:
        return head + f"không áp dụng ({d.na_reason}); không tính vào điểm tối đa"
    if not d.applicable:
        return head + "không áp dụng cho cấp này; không tính"
    self_in = d.self_input if d.self_input is not None else d.self_points
    team_in = d.team_input if d.team_input is not None else d.team
    if self_in is None and team_in is None:
        if d.kind == "condition":
            return head + "chưa đánh giá → Không đạt"
        return head + f"chưa chấm → 0/{format_number(d.max)}"
    if d.kind == "condition":
        final = team_in if team_in is not None else self_in
        text = f"{'thẩm định' if team_in is not None else 'tự chấm'} {show_input(final, None)}"
        if team_in is not None and self_in is not None:
            text += f" (tự chấm {show_input(self_in, None)})"
        return head + text
    final_in, who = (team_in, "thẩm định") if team_in is not None else (self_in, "tự chấm")
    assert final_in is not None
    points = d.final if d.final_exact is None else d.final_exact
    text = f"{who} {_shown_input(final_in, c)}: {explain_points(c, final_in)} → {_points(points, d)}"
    if team_in is not None and self_in is not None:
        own = d.self_points if d.self_exact is None else d.self_exact
        assert own is not None
        text += f" (tự chấm {_shown_input(self_in, c)} → {show(own)})"
    return head + text


def _shown_input(raw: EntryValue, c: Criterion) -> str:
    if c.per is not None:
        return f"{show_input(raw, None)} lần"
    return show_input(raw, c.measure)


def _points(points: Exact, d: CriterionResult) -> str:
    if d.kind == "score":
        return f"{show(points)}/{format_number(d.max)} điểm"
    return f"{show(points)} điểm"


# ---- groups and totals -----------------------------------------------------------------------


def _group_line(g: GroupResult) -> str:
    text = f"Nhóm {g.id} {g.title}: {show(g.exact_earned)}/{format_number(g.possible)}"
    if g.weight != 1:
        weighted = Fraction(g.weight) * Fraction(g.exact_earned)
        text += f"; hệ số {format_number(g.weight)} → {show(weighted)}/{format_number(g.weight * g.possible)}"
    return text


def total_arithmetic(r: Result, cs: CriteriaSet, *, final: bool) -> tuple[list[str], Decimal]:
    """The arithmetic of the total (or the self total) with its actual numbers, and the rounded
    total it arrives at (the scored one: a test holds them together)."""
    out: list[str] = []
    weighted = any(g.weight != 1 for g in r.groups)
    earned_terms: list[str] = []
    possible_terms: list[str] = []
    earned: Exact = Decimal(0)
    possible = Decimal(0)
    for g in r.groups:
        value = g.exact_earned if final else g.exact_self_earned
        if weighted:
            earned_terms.append(f"{format_number(g.weight)} × {show(value)}")
            possible_terms.append(f"{format_number(g.weight)} × {format_number(g.possible)}")
        else:
            earned_terms.append(show(value))
            possible_terms.append(format_number(g.possible))
        earned = Fraction(earned) + Fraction(g.weight) * Fraction(value)
        possible += g.weight * g.possible
    scale = format_number(cs.scale)
    if possible > 0:
        base = Fraction(earned) / Fraction(possible) * Fraction(cs.scale)
        out.append(
            f"quy đổi: ({' + '.join(earned_terms)}) / ({' + '.join(possible_terms)}) × {scale}"
            f" = {show(earned)} / {format_number(possible)} × {scale} = {show(base)}"
        )
    else:
        base = Fraction(0)
        out.append("quy đổi: không còn tiêu chí nào áp dụng, phần quy đổi = 0")
    value = base
    bonus = penalty = Fraction(0)
    for kind, sign in (("bonus", "+"), ("penalty", "−")):
        parts = [d for d in r.details if d.kind == kind and d.applicable]
        if not parts:
            continue
        amounts = [_leaf_points(d, final) for d in parts]
        total = sum((Fraction(a) for a in amounts), Fraction(0))
        value = value + total if kind == "bonus" else value - total
        if kind == "bonus":
            bonus = total
        else:
            penalty = total
        terms = " ".join(f"{sign} {show(a)} ({d.id})" for d, a in zip(parts, amounts, strict=True))
        out.append(f"{KIND_NAMES[kind]}: {show(base if kind == 'bonus' else base + bonus)} {terms} = {show(value)}")
    ceiling = cs.max_total or cs.scale
    exact = exact_total(earned, possible, bonus, penalty, cs.scale, ceiling)
    bounds = f"trong khoảng 0..{format_number(ceiling)}"
    if exact != value:
        out.append(f"giới hạn {bounds}: {show(value)} → {show(exact)}")
    else:
        out.append(f"{bounds}: giữ nguyên {show(exact)}")
    rounding = cs.rounding or DEFAULT_ROUNDING
    rounded = rounding.apply(exact)
    out.append(
        f"làm tròn đến {rounding.places} chữ số thập phân, {MODE_NAMES[rounding.mode]}: "
        f"{show(exact)} → {format_number(rounded, rounding.places)}"
    )
    return out, rounded


def _leaf_points(d: CriterionResult, final: bool) -> Exact:
    if final:
        return d.final if d.final_exact is None else d.final_exact
    if d.self_points is None:
        return Decimal(0)
    return d.self_points if d.self_exact is None else d.self_exact


# ---- band and rank ---------------------------------------------------------------------------


def _band_lines(r: Result, cs: CriteriaSet) -> list[str]:
    if cs.bands is None:
        return ["Xếp loại: bộ tiêu chí không xếp loại"]
    total = format_number(r.total, (cs.rounding or DEFAULT_ROUNDING).places)
    out = ["Xếp loại:"]
    for band in cs.bands:
        if band.label == r.band:
            reached = f"{total} ≥ {format_number(band.min)}"
            if band.has_requirements:
                reached += "; đủ điều kiện: " + "; ".join(_requirements(band))
            out.append(f"  {band.label} ({reached})")
            break
        if band.min > r.total:
            out.append(f"  không xếp loại {band.label}: {total} < {format_number(band.min)}")
            continue
        for missed in r.band_missed:
            if missed.band == band.label:
                out.append(f"  không xếp loại {band.label}: {'; '.join(missed.reasons)}")
    return out


def _requirements(band: Band) -> list[str]:
    out = []
    if band.each_group_min_percent is not None:
        out.append(f"mỗi nhóm ≥ {format_number(band.each_group_min_percent)} %")
    if band.each_criterion_min_percent is not None:
        out.append(f"mỗi tiêu chí ≥ {format_number(band.each_criterion_min_percent)} %")
    out.extend(f"điều kiện {cid} Đạt" for cid in band.requires)
    return out


def _rank_lines(r: Result, cs: CriteriaSet, pool: Sequence[Result]) -> list[str]:
    if r.rank is None:
        return []
    places = (cs.rounding or DEFAULT_ROUNDING).places
    line = f"Xếp hạng: {r.rank}/{len(pool) or 1} trong {level_name(r.level).lower()}, kỳ {r.period}"
    equal = [o for o in pool if o is not r and o.total == r.total]
    if not equal:
        return [line + f" (tổng điểm {format_number(r.total, places)})"]
    out = [line + f"; bằng tổng điểm {format_number(r.total, places)} với {len(equal)} cơ quan:"]
    keys = cs.ranking.tie_break if cs.ranking is not None else ()
    for o in equal:
        who = f"{o.agency_name} ({o.agency_code}, hạng {o.rank})"
        for k, key in enumerate(keys):
            mine, theirs = r.tie_keys[k], o.tie_keys[k]
            if mine == theirs:
                continue
            what = "tổng chưa làm tròn" if key == "exact" else f"điểm nhóm {key} (đã nhân hệ số)"
            side = "trên" if mine > theirs else "dưới"
            sign = ">" if mine > theirs else "<"
            out.append(f"  xếp {side} {who} theo {what}: {show(mine)} {sign} {show(theirs)}")
            break
        else:
            why = (
                "bằng nhau cả theo " + ", ".join(_key_name(k) for k in keys)
                if keys
                else ("bộ tiêu chí không quy định cách phân định khi bằng điểm")
            )
            out.append(f"  đồng hạng với {who}: {why}")
    return out


def _key_name(key: str) -> str:
    return "tổng chưa làm tròn" if key == "exact" else f"điểm nhóm {key}"
