"""The self-assessment form's parts for the rules of SPEC §3b: a measured criterion's value cell
(or count and of cells), a counted criterion's count, a condition's Đạt / Không đạt list, and
the totals of a set that weighs its groups, caps and rounds its total its own way and puts
requirements on its bands. The layout is :mod:`form_layout`'s; openpyxl is imported by callers.
"""

from __future__ import annotations

from typing import Any

from isoprov.core.jsonout import plain_decimal
from isoprov.core.vietnamese import format_number
from isoprov.excel.cells import POINTS_FORMAT, put_formula, put_text
from isoprov.excel.form_layout import (
    COLUMN_LETTER,
    COLUMN_NUMBER,
    FAIL_TEXT,
    FINAL_COL,
    FIRST_LABEL_ROW,
    KIND_COL,
    LABELS,
    NA_TEXT,
    PASS_TEXT,
    POSSIBLE_COL,
    RATIO_LETTER,
    SELF_COL,
    put_form_note,
)
from isoprov.excel.rule_formulas import (
    EPSILON,
    band_formula,
    counted_points,
    measured_points,
    measured_value,
    round_formula,
    share_at_least,
    unrounded_total,
)
from isoprov.scoring.criteria import CriteriaSet, Criterion
from isoprov.scoring.measure import unit_suffix
from isoprov.scoring.rules import DEFAULT_ROUNDING

_E, _H = COLUMN_LETTER["self"], COLUMN_LETTER["team"]


def rule_helpers(c: Criterion, row: int, applies: str, ratio: bool) -> dict[str, str]:
    """The hidden helper cells of a measured or counted leaf: what it adds to possible, self and
    final points (the points computed from the value or the count, as the set says)."""
    counted = f"AND({applies},NOT(ISTEXT({_E}{row})))"

    def points(who: str) -> str:
        value, count, of = (_E, "self_count", "self_of") if who == "self" else (_H, "team_count", "team_of")
        if c.measure is not None:
            counts = f"{RATIO_LETTER[count]}{row}" if ratio else None
            total = f"{RATIO_LETTER[of]}{row}" if ratio else None
            return measured_points(measured_value(f"{value}{row}", counts, total, c.measure), c)
        return counted_points(f"N({value}{row})", c)

    team_given = f"ISNUMBER({_H}{row})"
    if c.measure is not None and ratio:
        counts = f"ISNUMBER({RATIO_LETTER['team_count']}{row}),ISNUMBER({RATIO_LETTER['team_of']}{row})"
        team_given = f"OR({team_given},AND({counts}))"
    return {
        POSSIBLE_COL: f"=IF({counted},{COLUMN_LETTER['max']}{row},0)",
        SELF_COL: f"=IF({counted},{points('self')},0)",
        FINAL_COL: f"=IF({counted},IF({team_given},{points('team')},{points('self')}),0)",
    }


def rule_guidance(c: Criterion) -> list[str]:
    """How to fill in a measured, counted or condition criterion, for the guidance column."""
    if c.kind == "condition":
        return [f"Điều kiện: chọn «{PASS_TEXT}» hoặc «{FAIL_TEXT}»; không tính điểm, dùng để xếp loại."]
    out: list[str] = []
    m = c.measure
    if m is not None:
        unit = unit_suffix(m)
        if m.points is not None:
            rows = "; ".join(f"≥ {format_number(r.min)}{unit}: {format_number(r.points)} điểm" for r in m.points)
            out.append(f"Tiêu chí định lượng, bảng mức: {rows}.")
        elif m.full_at is not None:
            full = format_number(m.full_at)
            out.append(f"Tiêu chí định lượng: điểm = {format_number(c.max or 0)} × min(giá trị; {full}) / {full}.")
        if m.round is not None:
            out.append(m.round.describe().capitalize() + ".")
        out.append(
            f"Nhập giá trị đo ({m.unit}) vào cột Điểm tự chấm, hoặc số đếm và tổng số ở hai cột «Tự chấm: số đếm», "
            "«Tự chấm: tổng số»."
        )
    if c.per is not None:
        per = format_number(abs(c.per))
        if c.per > 0:
            out.append(f"Nhập số lần; mỗi lần {per} điểm, tối đa {format_number(c.max or 0)}.")
        else:
            out.append(f"Nhập số lần; mỗi lần trừ {per} điểm từ {format_number(c.max or 0)} điểm, không dưới 0.")
    return out


def rule_validations(c: Criterion, row: int, ratio: bool) -> list[tuple[Any, str]]:
    """The data validations of a measured, counted or condition leaf's input cells."""
    from openpyxl.worksheet.datavalidation import DataValidation

    out: list[tuple[Any, str]] = []

    def add(dv: Any, ref: str, error: str) -> None:
        dv.showErrorMessage = True
        dv.errorTitle = "Giá trị không hợp lệ"
        dv.error = error
        dv.showInputMessage = True
        dv.promptTitle = f"Tiêu chí {c.id}"[:32]
        dv.prompt = error[:255]
        out.append((dv, ref))

    for key in ("self", "team"):
        ref = f"{COLUMN_LETTER[key]}{row}"
        allow_na = key == "self" and c.na and c.kind != "condition"
        if c.kind == "condition":
            dv = DataValidation(type="list", formula1=f'"{PASS_TEXT},{FAIL_TEXT}"', allow_blank=True)
            add(dv, ref, f"Chọn «{PASS_TEXT}» hoặc «{FAIL_TEXT}».")
            continue
        if c.measure is not None:
            top = "100" if c.measure.percent else None
            test = f"AND(ISNUMBER({ref}),{ref}>=0" + (f",{ref}<={top})" if top else ")")
            error = "Nhập giá trị đo " + (f"từ 0 đến {top} (%)" if top else "không âm")
        else:
            test = f"AND(ISNUMBER({ref}),{ref}>=0,{ref}=INT({ref}))"
            error = "Nhập số lần (số nguyên không âm)"
        if allow_na:
            test = f'OR({test},{ref}="{NA_TEXT}")'
            error += f", hoặc «{NA_TEXT}»"
        add(DataValidation(type="custom", allow_blank=True, formula1=test), ref, error + ".")
    if c.measure is not None and ratio:
        for key in RATIO_LETTER:
            ref = f"{RATIO_LETTER[key]}{row}"
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            add(dv, ref, "Nhập số đếm (số nguyên không âm); tổng số lớn hơn 0.")
    return out


def rules_form_totals(ws: Any, cs: CriteriaSet, first: int, last: int, row_of: dict[str, int]) -> int:
    """The totals of a §3b set below the table, for self (column E) and final (column H) points;
    returns the last row written."""
    from openpyxl.styles import Alignment, Font

    kinds = f"${KIND_COL}${first}:${KIND_COL}${last}"
    rounding = cs.rounding or DEFAULT_ROUNDING
    weighted = any(w != 1 for w in cs.weights.values())
    possible_row, earned_row, exact_row, total_row, band_row = range(last + 2, last + 7)
    suffix = " (đã nhân hệ số nhóm)" if weighted else ""
    labels = {
        possible_row: "Tổng điểm tối đa của các tiêu chí áp dụng" + suffix,
        earned_row: "Tổng điểm chấm của các tiêu chí áp dụng" + suffix,
        exact_row: "Tổng điểm quy đổi chưa làm tròn (cộng điểm thưởng, trừ điểm trừ, giới hạn trần)",
        total_row: f"Tổng điểm quy đổi thang {format_number(cs.scale)}, {rounding.describe()}",
        band_row: "Xếp loại",
    }
    for at, label in labels.items():
        cell = put_text(ws, at, COLUMN_NUMBER["title"], label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="right", wrap_text=True)
    tops = [(c.id, cs.weights[c.id], bool(c.children)) for c in cs.criteria if c.kind == "score"]

    def weighted_sum(column: str, helper: str) -> str:
        terms = []
        for gid, w, group in tops:
            cell = f"{column if group else helper}{row_of[gid]}"
            terms.append(cell if w == 1 else f"{plain_decimal(w)}*{cell}")
        return "=" + ("+".join(terms) or "0")

    put_formula(ws, possible_row, COLUMN_NUMBER["max"], weighted_sum(COLUMN_LETTER["max"], POSSIBLE_COL), fmt="General")
    level_cell = f"$B${FIRST_LABEL_ROW + list(LABELS).index('level')}"
    for key, helper in (("self", SELF_COL), ("team", FINAL_COL)):
        letter = COLUMN_LETTER[key]
        put_formula(ws, earned_row, COLUMN_NUMBER[key], weighted_sum(letter, helper), fmt="General")
        total = unrounded_total(
            f"{letter}{earned_row}",
            f"${COLUMN_LETTER['max']}${possible_row}",
            f'SUMIF({kinds},"bonus",${helper}${first}:${helper}${last})',
            f'SUMIF({kinds},"penalty",${helper}${first}:${helper}${last})',
            plain_decimal(cs.scale),
            plain_decimal(cs.max_total or cs.scale),
        )
        put_formula(ws, exact_row, COLUMN_NUMBER[key], "=" + total, fmt="General")
        put_formula(
            ws, total_row, COLUMN_NUMBER[key], "=" + round_formula(f"{letter}{exact_row}", rounding), fmt=POINTS_FORMAT
        ).font = Font(bold=True)
        needs: list[list[str]] = []
        for band in cs.bands or ():
            tests: list[str] = []
            if band.each_group_min_percent is not None:
                p = plain_decimal(band.each_group_min_percent)
                for gid, _, group in tops:
                    at = row_of[gid]
                    earned = f"{letter}{at}" if group else f"{helper}{at}"
                    possible = f"{COLUMN_LETTER['max']}{at}" if group else f"{POSSIBLE_COL}{at}"
                    tests.append(share_at_least(earned, possible, p))
            if band.each_criterion_min_percent is not None:
                p = plain_decimal(band.each_criterion_min_percent)
                j = f"${POSSIBLE_COL}${first}:${POSSIBLE_COL}${last}"
                h = f"${helper}${first}:${helper}${last}"
                tests.append(f'SUMPRODUCT(({kinds}="score")*({j}>0)*({h}<{p}/100*{j}-{EPSILON}))=0')
            for cid in band.requires:
                at = row_of[cid]
                answer = f"{_E}{at}" if key == "self" else f"IF(LEN({_H}{at})>0,{_H}{at},{_E}{at})"
                c = cs.index[cid]
                applies = (
                    "TRUE" if c.levels is None else "OR(" + ",".join(f'{level_cell}="{v}"' for v in c.levels) + ")"
                )
                tests.append(f'OR(NOT({applies}),TRIM({answer})="{PASS_TEXT}")')
            needs.append(tests)
        put_formula(
            ws, band_row, COLUMN_NUMBER[key], band_formula(f"{letter}{total_row}", cs.bands, needs)
        ).font = Font(bold=True)
    return put_form_note(
        ws,
        band_row + 2,
        "Điểm các dòng nhóm và dòng tổng để tham khảo khi điền, chỉ tính các tiêu chí áp dụng cho cấp của "
        "cơ quan; tiêu chí định lượng và tính theo số lần được quy ra điểm ở các dòng tổng; kết quả chính "
        "thức do isoprov score tính. Cột Điểm thẩm định ở dòng nhóm và dòng tổng: điểm cuối cùng.",
        3,
    )
