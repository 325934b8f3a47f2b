"""Excel: fill-in self-assessment forms, reading them back, and score exports (SPEC §6).

openpyxl is imported inside the functions only; this module itself is imported only by the
commands that write or read a workbook, never at CLI start-up.

The form (``isoprov form``), sheet "Tự đánh giá"::

    row 1        title                                     (merged A:H)
    row 2        criteria set title                        (merged A:H)
    row 3        "Bộ tiêu chí" | set id                    (for the reader of the sheet)
    rows 4–7     "Mã cơ quan" | …, "Tên cơ quan" | …, "Cấp" | …, "Kỳ đánh giá" | …
    row 8        how to fill in                            (merged A:H)
    row 10       header: Mã tiêu chí | Nội dung | Hướng dẫn chấm điểm | Điểm tối đa |
                 Điểm tự chấm | Tài liệu kiểm chứng | Ghi chú | Điểm thẩm định
    rows 11…     one row per criterion, depth first; groups bold with subtotal formulas
    below        totals by formula (possible, earned, total on the set's scale, band)
    columns I–L  hidden helpers: the row's kind and what it adds to the totals

The reader never relies on those row and column numbers: it finds each label and each header
by its text, so a form written by any version reads back. What it does rely on is the hidden
sheet ``_isoprov`` (very hidden: not shown by Excel's "Unhide"): the form version, the criteria
set id, a fingerprint of the set's structure and, per criterion row, the row number, id and a
digest of the criterion. A form for another set, for another version of the set, or whose
structure was edited (rows moved, inserted, deleted, ids or maxima changed) is refused with a
message naming the cell. The same sheet holds, on the row of each leaf with options, the
items of its drop-down lists as number cells (see :data:`META_OPTIONS_COL`); the reader never
reads them.

Reading reports every problem of a form at once, as for a YAML file, each at its cell and in
the order of the sheet: cells refused as read (text, TRUE/FALSE, a date or a percent in a score
cell, a formula error such as ``#NAME?``, a formula saved without its computed value, merged
input cells), then what checking the other entries against the set finds (points outside
0..max or not an option, unscored leaves at their own score cell).

Levels: when the form is made for a level (``--level``), the criteria that do not apply to it
are greyed out and locked, and the level cell is locked. Without a level, nothing is locked
by level; a conditional format greys those rows as soon as the agency picks its level, and a
score entered in one anyway is reported on reading as a warning (and ignored), as for YAML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isoprov.core.atomic import write_atomic
from isoprov.core.diagnostics import SEVERITY_LABEL, Diagnostic, InputError, format_path
from isoprov.core.jsonout import plain_decimal
from isoprov.core.loading import Mark, PathKey, SourceMap, YamlDocument, nfc
from isoprov.core.vietnamese import format_number
from isoprov.excel.cells import (
    LINE_HEIGHT,
    POINTS_FORMAT,
    fit_columns,
    fit_row_heights,
    print_landscape,
    put_formula,
    put_number,
    put_text,
    set_text_cell,
)
from isoprov.scoring.assessment import Assessment, PartialAssessmentError, check_assessment, load_assessment
from isoprov.scoring.criteria import Band, CriteriaSet, Criterion, level_name

if TYPE_CHECKING:
    from isoprov.pipeline.score import Batch
    from isoprov.scoring.catalog import Catalog
    from isoprov.scoring.rules import Result

FORM_SHEET = "Tự đánh giá"
META_SHEET = "_isoprov"
FORM_VERSION = 1
NA_TEXT = "Không áp dụng"

#: Labelled cells above the table: the value sits in the cell to the right of its label.
LABELS = {"code": "Mã cơ quan", "name": "Tên cơ quan", "level": "Cấp", "period": "Kỳ đánh giá"}
CRITERIA_LABEL = "Bộ tiêu chí"

#: Table columns, in order, by their header text (the reader finds them by this text).
COLUMNS = {
    "id": "Mã tiêu chí",
    "title": "Nội dung",
    "guidance": "Hướng dẫn chấm điểm",
    "max": "Điểm tối đa",
    "self": "Điểm tự chấm",
    "evidence": "Tài liệu kiểm chứng",
    "note": "Ghi chú",
    "team": "Điểm thẩm định",
}
_COL = {key: i for i, key in enumerate(COLUMNS, start=1)}  # 1-based column numbers
_LETTER = {key: "ABCDEFGH"[i - 1] for key, i in _COL.items()}
# Hidden helper columns: kind, then what the row adds to possible / self / final points.
KIND_COL, POSSIBLE_COL, SELF_COL, FINAL_COL = "I", "J", "K", "L"

TITLE_ROW = 1
CRITERIA_ROW = 3
FIRST_LABEL_ROW = 4
HELP_ROW = 8
HEADER_ROW = 10
#: How far down the reader looks for the labels and the header row.
SCAN_ROWS = 60

#: An .xlsx is a zip: refuse one that would unpack to more than this (a zip bomb), before
#: openpyxl reads it.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024

#: The hidden sheet: one row per criterion from this row on, in the order of the form's rows
#: (row 6 names the columns).
META_FIRST_ROW = 7
#: On a leaf's row of the hidden sheet, its options from this column on (F), as real numbers,
#: followed by «Không áp dụng» when the leaf allows it. The drop-down lists take their items
#: from these cells: a list written as text (``"1.5,0.75,0"``) enters the text of the item,
#: which a spreadsheet whose decimal mark is a comma (Vietnamese) reads as text or as a date
#: (1 May); an item taken from a cell enters the cell's number, whatever the locale.
META_OPTIONS_COL = 6

_INPUT_FILL = "FFF9DB"  # pale yellow: cells to fill in
_GREY_FILL = "D9D9D9"
_GREY_FONT = "808080"
_HEADER_FILL = "DDEBF7"
_GROUP_FILL = "F2F2F2"

# ----------------------------------------------------------------------------------------------
# The criteria set's fingerprint


def _criterion_shape(c: Criterion, depth: int) -> dict[str, Any]:
    """What a form depends on for one criterion. Titles and guidance are left out on purpose:
    correcting a title's wording must not invalidate the forms agencies already filled in."""
    return {
        "id": c.id,
        "depth": depth,
        "kind": "group" if c.children else c.kind,
        "max": None if c.max is None else plain_decimal(c.max),
        "options": None if c.options is None else [plain_decimal(o.points) for o in c.options],
        "levels": None if c.levels is None else list(c.levels),
        "na": c.na,
        "children": [ch.id for ch in c.children],
    }


def _rows(cs: CriteriaSet) -> list[tuple[Criterion, int]]:
    """Every criterion depth first, with its depth (0 for top level)."""
    return [(at.criterion, (len(at.path) - 2) // 2) for at in cs.walk()]


def criterion_digest(c: Criterion, depth: int) -> str:
    """A short digest of one criterion's shape (see :func:`_criterion_shape`)."""
    text = json.dumps(_criterion_shape(c, depth), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def criteria_fingerprint(cs: CriteriaSet) -> str:
    """A fingerprint of the set's structure: ids, nesting, kinds, maxima, options, levels, N/A."""
    shape = {"id": cs.id, "levels": list(cs.levels), "criteria": [_criterion_shape(c, d) for c, d in _rows(cs)]}
    text = json.dumps(shape, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ----------------------------------------------------------------------------------------------
# Writing a form


def write_form(
    cs: CriteriaSet,
    target: Path,
    *,
    agency_code: str | None = None,
    agency_name: str | None = None,
    level: str | None = None,
    period: str | None = None,
) -> int:
    """Write the fill-in form for ``cs`` to ``target`` atomically; return its number of criteria."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    if level is not None and level not in cs.levels:
        raise ValueError(f"level {level!r} not in {cs.levels!r}")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = FORM_SHEET
    rows = _rows(cs)
    first = HEADER_ROW + 1
    last = first + len(rows) - 1
    _form_top(ws, cs, {"code": agency_code, "name": agency_name, "level": level, "period": period})
    _form_header(ws)
    row_of = {c.id: first + k for k, (c, _) in enumerate(rows)}
    for k, (c, depth) in enumerate(rows):
        _form_row(ws, first + k, c, depth, row_of, level)
    _form_totals(ws, cs, first, last)
    _form_validations(ws, cs, rows, first, level)
    _form_layout(ws, first, last)
    _form_meta(wb, cs, rows, first)
    wb.properties.title = f"Phiếu tự đánh giá — {cs.title}"
    wb.properties.creator = "isoprov"
    wb.security = WorkbookProtection(lockStructure=True)  # no renaming, deleting or unhiding sheets
    write_atomic(Path(target), lambda tmp: wb.save(tmp))
    return len(rows)


def _form_top(ws: Any, cs: CriteriaSet, prefill: dict[str, str | None]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(COLUMNS))
    cell = put_text(ws, TITLE_ROW, 1, "PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM VIỆC ÁP DỤNG HTQLCL THEO TCVN ISO 9001")
    cell.font = Font(bold=True, size=14)
    cell.alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    subtitle = cs.title + (f" ({cs.source})" if cs.source else "")
    cell = put_text(ws, 2, 1, subtitle)
    cell.font = Font(italic=True)
    cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
    # merged cells are not fitted by the renderers: about 200 characters a line across the table
    ws.row_dimensions[2].height = LINE_HEIGHT * (1 + len(subtitle) // 200)

    put_text(ws, CRITERIA_ROW, 1, CRITERIA_LABEL).font = Font(bold=True)
    put_text(ws, CRITERIA_ROW, 2, cs.id)
    put_text(ws, CRITERIA_ROW, 3, f"Thang điểm {format_number(cs.scale)}")
    for k, (key, label) in enumerate(LABELS.items()):
        row = FIRST_LABEL_ROW + k
        put_text(ws, row, 1, label).font = Font(bold=True)
        value = ws.cell(row=row, column=2)
        given = prefill.get(key)
        if given:
            set_text_cell(value, given)
        # The level decides which rows are greyed and locked: once given, it stays.
        if not (key == "level" and given):
            value.protection = Protection(locked=False)
            value.fill = PatternFill("solid", fgColor=_INPUT_FILL)
    level_row = FIRST_LABEL_ROW + list(LABELS).index("level")
    choices = DataValidation(
        type="list",
        formula1=_list_formula(cs.levels),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Cấp không hợp lệ",
        error="Chọn một cấp trong danh sách: " + ", ".join(cs.levels),
    )
    ws.add_data_validation(choices)
    choices.add(f"B{level_row}")

    ws.merge_cells(start_row=HELP_ROW, start_column=1, end_row=HELP_ROW, end_column=len(COLUMNS))
    cell = put_text(
        ws,
        HELP_ROW,
        1,
        "Cách điền: chỉ điền các ô nền vàng. Điểm tự chấm: chọn trong danh sách hoặc nhập số từ 0 đến "
        f"điểm tối đa; «{NA_TEXT}» nếu tiêu chí cho phép, kèm lý do ở cột Ghi chú. Tài liệu kiểm chứng: "
        "mỗi tài liệu một dòng (Alt+Enter) hoặc cách nhau bằng dấu chấm phẩy. Dòng nền xám: tiêu chí "
        "không áp dụng cho cấp của cơ quan. Cột Điểm thẩm định do đoàn đánh giá điền.",
    )
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[HELP_ROW].height = 48


def _list_formula(values: Iterable[str]) -> str:
    # A list validation holds its items in one quoted string, separated by commas.
    return '"' + ",".join(v.replace('"', "").replace(",", " ") for v in values) + '"'


def _form_header(ws: Any) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for key, text in COLUMNS.items():
        cell = put_text(ws, HEADER_ROW, _COL[key], text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _border()
    for letter, text in ((KIND_COL, "kind"), (POSSIBLE_COL, "possible"), (SELF_COL, "self"), (FINAL_COL, "final")):
        put_text(ws, HEADER_ROW, _col_number(letter), text)


def _border() -> Any:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="A6A6A6")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _col_number(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return int(column_index_from_string(letter))


def _applies_formula(c: Criterion) -> str:
    """An Excel condition: does this leaf apply to the level in the level cell?"""
    if c.levels is None:
        return "TRUE"
    level_cell = f"$B${FIRST_LABEL_ROW + list(LABELS).index('level')}"
    tests = ",".join(f'{level_cell}="{_formula_string(v)}"' for v in c.levels)
    return f"OR({tests})" if tests else "FALSE"


def _formula_string(text: str) -> str:
    return text.replace('"', '""')


def total_formula(earned: str, possible: str, bonus: str, penalty: str, scale: Decimal) -> str:
    """SPEC §3 as an Excel formula: clamp(earned / possible × scale + bonus − penalty, 0, scale),
    rounded to 2 places; the rescaled part is 0 when nothing applies (possible = 0).

    The arguments are cell references or expressions. Excel's ROUND rounds half away from zero,
    which is half-up for the non-negative values it gets here. Used by the form and the export.
    """
    s = plain_decimal(scale)
    rescaled = f"IF({possible}>0,{earned}/{possible}*{s},0)"
    return f"=ROUND(MAX(0,MIN({s},{rescaled}+{bonus}-{penalty})),2)"


def band_formula(total: str, bands: Sequence[Band]) -> str:
    """The first band whose ``min`` ≤ ``total`` (bands from the top), as nested IFs."""
    band = f'"{_formula_string(bands[-1].label)}"'
    for b in reversed(bands[:-1]):
        band = f'IF({total}>={plain_decimal(b.min)},"{_formula_string(b.label)}",{band})'
    return "=" + band


def _form_row(ws: Any, row: int, c: Criterion, depth: int, row_of: dict[str, int], level: str | None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    border = _border()
    put_text(ws, row, _COL["id"], c.id)
    title = put_text(ws, row, _COL["title"], c.title)
    title.alignment = Alignment(wrap_text=True, vertical="top", indent=depth)
    guidance = _guidance(c)
    if guidance:
        put_text(ws, row, _COL["guidance"], guidance).alignment = Alignment(wrap_text=True, vertical="top")
    max_letter, self_letter, team_letter = _LETTER["max"], _LETTER["self"], _LETTER["team"]
    if c.children:
        put_text(ws, row, _col_number(KIND_COL), "group")
        # What counts, as the totals count it: a leaf adds its helper cell (0 when it does not
        # apply to the level or is declared N/A), a nested group its own subtotal.
        for key, helper in (("max", POSSIBLE_COL), ("self", SELF_COL), ("team", FINAL_COL)):
            cells = ",".join(
                f"{_LETTER[key] if ch.children else helper}{row_of[ch.id]}" for ch in c.children if ch.kind == "score"
            )
            # "General": the sum of what the agency typed, shown with the reader's decimal mark
            put_formula(ws, row, _COL[key], f"=SUM({cells})" if cells else "=0", fmt="General")
        for cell in ws[row][: len(COLUMNS)]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=_GROUP_FILL)
            cell.border = border
            if cell.column != _COL["title"] and cell.column != _COL["guidance"]:
                cell.alignment = Alignment(vertical="top")
        return
    assert c.max is not None
    put_text(ws, row, _col_number(KIND_COL), c.kind)
    put_number(ws, row, _COL["max"], c.max)
    # Text in the self cell is the N/A marker: the reader refuses any other text, so a form it
    # accepts and the form's own totals count the same leaves (whatever the case or spacing).
    counted = f"AND({_applies_formula(c)},NOT(ISTEXT({self_letter}{row})))"
    put_formula(ws, row, _col_number(POSSIBLE_COL), f"=IF({counted},{max_letter}{row},0)")
    put_formula(ws, row, _col_number(SELF_COL), f"=IF({counted},N({self_letter}{row}),0)")
    put_formula(
        ws,
        row,
        _col_number(FINAL_COL),
        f"=IF({counted},IF(ISNUMBER({team_letter}{row}),{team_letter}{row},N({self_letter}{row})),0)",
    )
    greyed = level is not None and not c.applies_to(level)
    for key in COLUMNS:
        cell = ws.cell(row=row, column=_COL[key])
        cell.border = border
        if key in ("id", "max"):
            cell.alignment = Alignment(vertical="top")
        if key in ("self", "evidence", "note", "team"):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if not greyed:
                cell.protection = Protection(locked=False)
                cell.fill = PatternFill("solid", fgColor=_INPUT_FILL)
        if greyed:
            cell.fill = PatternFill("solid", fgColor=_GREY_FILL)
            cell.font = Font(color=_GREY_FONT)
    if c.kind != "score":
        ws.cell(row=row, column=_COL["title"]).font = Font(italic=True, color=_GREY_FONT if greyed else None)


def _guidance(c: Criterion) -> str:
    parts: list[str] = []
    if c.guidance:
        parts.append(c.guidance)
    if c.options:
        parts.append(
            "Mức điểm: "
            + "; ".join(f"{format_number(o.points)}" + (f" – {o.label}" if o.label else "") for o in c.options)
        )
    if c.kind == "bonus":
        parts.append("Điểm thưởng: cộng vào tổng điểm sau khi quy đổi.")
    elif c.kind == "penalty":
        parts.append("Điểm trừ: nhập số điểm bị trừ (0 đến tối đa); trừ khỏi tổng điểm sau khi quy đổi.")
    if c.evidence:
        parts.append("Điểm lớn hơn 0 cần có tài liệu kiểm chứng.")
    if c.na:
        parts.append(f"Được khai báo «{NA_TEXT}» kèm lý do ở cột Ghi chú.")
    if c.levels is not None:
        parts.append("Chỉ áp dụng cho cấp: " + ", ".join(c.levels) + ".")
    return "\n".join(parts)


def _form_totals(ws: Any, cs: CriteriaSet, first: int, last: int) -> None:
    from openpyxl.styles import Alignment, Font

    kinds = f"${KIND_COL}${first}:${KIND_COL}${last}"

    def sumif(kind: str, column: str) -> str:
        return f'SUMIF({kinds},"{kind}",${column}${first}:${column}${last})'

    possible_row, earned_row, total_row, band_row = last + 2, last + 3, last + 4, last + 5
    labels = {
        possible_row: "Tổng điểm tối đa của các tiêu chí áp dụng",
        earned_row: "Tổng điểm chấm của các tiêu chí áp dụng",
        total_row: f"Tổng điểm quy đổi thang {format_number(cs.scale)} (cộng điểm thưởng, trừ điểm trừ)",
        band_row: "Xếp loại",
    }
    for row, label in labels.items():
        cell = put_text(ws, row, _COL["title"], label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="right", wrap_text=True)
    put_formula(ws, possible_row, _COL["max"], "=" + sumif("score", POSSIBLE_COL), fmt="General")
    max_cell = f"${_LETTER['max']}${possible_row}"
    for key, helper in (("self", SELF_COL), ("team", FINAL_COL)):
        letter = _LETTER[key]
        put_formula(ws, earned_row, _COL[key], "=" + sumif("score", helper), fmt="General")
        formula = total_formula(
            f"{letter}{earned_row}", max_cell, sumif("bonus", helper), sumif("penalty", helper), cs.scale
        )
        put_formula(ws, total_row, _COL[key], formula, fmt=POINTS_FORMAT).font = Font(bold=True)
        put_formula(ws, band_row, _COL[key], band_formula(f"{letter}{total_row}", cs.bands)).font = Font(bold=True)
    note = put_text(
        ws,
        total_row + 2,
        _COL["title"],
        "Điểm các dòng nhóm và dòng tổng để tham khảo khi điền, chỉ tính các tiêu chí áp dụng cho "
        "cấp của cơ quan; kết quả chính thức do isoprov score tính. Cột Điểm thẩm định ở dòng nhóm và "
        "dòng tổng: điểm cuối cùng (điểm thẩm định nếu có, nếu không là điểm tự chấm).",
    )
    note.font = Font(italic=True, color=_GREY_FONT)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=total_row + 2, start_column=_COL["title"], end_row=total_row + 2, end_column=_COL["team"])
    ws.row_dimensions[total_row + 2].height = 2 * LINE_HEIGHT


def _form_validations(
    ws: Any, cs: CriteriaSet, rows: Sequence[tuple[Criterion, int]], first: int, level: str | None
) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    for k, (c, _) in enumerate(rows):
        if c.children or c.max is None or (level is not None and not c.applies_to(level)):
            continue
        row = first + k
        limit = plain_decimal(c.max)
        for key in ("self", "team"):
            ref = f"{_LETTER[key]}{row}"
            allow_na = key == "self" and c.na
            if c.options is not None:
                items = [plain_decimal(o.points) for o in c.options] + ([NA_TEXT] if allow_na else [])
                dv = DataValidation(type="list", formula1=_options_range(k, len(items)), allow_blank=True)
                # shown the Vietnamese way, as the list shows them (1,5), so `;` between them
                shown = [format_number(o.points) for o in c.options] + ([f"«{NA_TEXT}»"] if allow_na else [])
                error = "Chọn một mức trong danh sách: " + "; ".join(shown)
            elif allow_na:
                # A custom rule: a number 0..max, or the N/A text (a decimal rule would refuse it).
                dv = DataValidation(
                    type="custom",
                    allow_blank=True,
                    formula1=f'OR(AND(ISNUMBER({ref}),{ref}>=0,{ref}<={limit}),{ref}="{NA_TEXT}")',
                )
                error = f"Nhập một số từ 0 đến {format_number(c.max)}, hoặc «{NA_TEXT}»."
            else:
                dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=limit, allow_blank=True)
                error = f"Nhập một số từ 0 đến {format_number(c.max)}."
            dv.showErrorMessage = True
            dv.errorTitle = "Điểm không hợp lệ"
            dv.error = error
            dv.showInputMessage = True
            dv.promptTitle = f"Tiêu chí {c.id}"[:32]
            dv.prompt = f"Tối đa {format_number(c.max)} điểm. {error}"[:255]
            ws.add_data_validation(dv)
            dv.add(ref)
        if level is None and c.levels is not None:
            _grey_when_not_applicable(ws, c, row)


def _options_range(k: int, count: int) -> str:
    """The cells holding the first ``count`` items of the drop-down list of the ``k``-th row of
    the table (see :data:`META_OPTIONS_COL`), as an absolute reference naming the hidden sheet:
    ``'_isoprov'!$F$8:$H$8``."""
    from openpyxl.utils import get_column_letter

    row = META_FIRST_ROW + k
    first = get_column_letter(META_OPTIONS_COL)
    last = get_column_letter(META_OPTIONS_COL + count - 1)
    return _sheet_ref(META_SHEET, f"${first}${row}:${last}${row}")


def _grey_when_not_applicable(ws: Any, c: Criterion, row: int) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    level_cell = f"$B${FIRST_LABEL_ROW + list(LABELS).index('level')}"
    ws.conditional_formatting.add(
        f"A{row}:{_LETTER['team']}{row}",
        FormulaRule(
            formula=[f'AND({level_cell}<>"",NOT({_applies_formula(c)}))'],
            fill=PatternFill("solid", bgColor=_GREY_FILL),
            font=Font(color=_GREY_FONT),
        ),
    )


def _form_layout(ws: Any, first: int, last: int) -> None:
    widths = {"A": 12, "B": 60, "C": 44, "D": 10, "E": 12, "F": 40, "G": 30, "H": 12}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    for letter in (KIND_COL, POSSIBLE_COL, SELF_COL, FINAL_COL):
        ws.column_dimensions[letter].hidden = True
    ws.row_dimensions[HEADER_ROW].height = 32
    fit_row_heights(ws, first, last + 7)
    ws.freeze_panes = f"A{first}"
    ws.print_area = f"A1:{_LETTER['team']}{last + 7}"
    print_landscape(ws, HEADER_ROW)
    # Structure protected (no password: this guards against slips, not against intent; the
    # reader checks the structure anyway). Rows may be resized for long evidence lists.
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def _form_meta(wb: Any, cs: CriteriaSet, rows: Sequence[tuple[Criterion, int]], first: int) -> None:
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    for k, (key, value) in enumerate(
        (
            ("form_version", str(FORM_VERSION)),
            ("criteria", cs.id),
            ("fingerprint", criteria_fingerprint(cs)),
            ("sheet", FORM_SHEET),
        ),
        start=1,
    ):
        put_text(meta, k, 1, key)
        put_text(meta, k, 2, value)
    for column, name in enumerate(("row", "id", "digest", "max", "na", "options"), start=1):
        put_text(meta, META_FIRST_ROW - 1, column, name)
    for k, (c, depth) in enumerate(rows):
        row = META_FIRST_ROW + k
        meta.cell(row=row, column=1, value=first + k)
        put_text(meta, row, 2, c.id)
        put_text(meta, row, 3, criterion_digest(c, depth))
        if c.is_leaf and c.max is not None:
            put_text(meta, row, 4, plain_decimal(c.max))
        put_text(meta, row, 5, "1" if c.na else "0")
        if c.is_leaf and c.options is not None:
            # the items of the leaf's drop-down lists (see META_OPTIONS_COL); the reader never
            # reads them, so a form made before they existed reads back the same
            for j, option in enumerate(c.options):
                put_number(meta, row, META_OPTIONS_COL + j, option.points)
            if c.na:
                put_text(meta, row, META_OPTIONS_COL + len(c.options), NA_TEXT)
    meta.protection.sheet = True


# ----------------------------------------------------------------------------------------------
# Reading a filled form


@dataclass(slots=True)
class FormDocument(YamlDocument):
    """A form read back: like a YAML document, but each path is located at a cell.

    ``line``/``column`` of its diagnostics are the cell's row and column, and the message starts
    with the cell's name (``ô Tự đánh giá!E14: …``), which is what a person looks for in Excel.
    """

    sheet: str = FORM_SHEET

    def cell_name(self, mark: Mark) -> str:
        return f"{self.sheet}!{_letter(mark.column)}{mark.line}"

    def diagnostic(
        self,
        path: PathKey,
        message: str,
        *,
        key: bool = False,
        at: PathKey | None = None,
        **kwargs: Any,
    ) -> Diagnostic:
        target = path if at is None else at
        # A missing evidence entry is about the evidence cell, not the criterion's id cell.
        if kwargs.get("code") == "no-evidence" and len(path) == 2:
            target, key = (*path, "evidence"), False
        # An unscored leaf is about its own score cell, not the column's header: the check names
        # the leaf only in its message (`2.1`), as the YAML path has no entry to point at.
        if kwargs.get("code") == "missing-entry" and path == ("scores",):
            named = _NAMED_ID.search(message)
            if named and ("scores", named.group(1), "self") in self.source.values:
                target, key = ("scores", named.group(1), "self"), False
        mark = self.source.locate(target, key=key)
        return Diagnostic(
            file=self.file,
            message=f"ô {self.cell_name(mark)}: {message}" if mark else message,
            line=mark.line if mark else None,
            column=mark.column if mark else None,
            path=format_path(path),
            **kwargs,
        )


#: The first criterion id a message names (`2.1`).
_NAMED_ID = re.compile(r"`([^`]+)`")


def _letter(column: int) -> str:
    out = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def _norm(text: str) -> str:
    """Label and header text compared the forgiving way: NFC, case, spaces, a trailing colon."""
    return " ".join(unicodedata.normalize("NFC", text).split()).rstrip(":").strip().casefold()


#: Numbers a person may have typed into a cell formatted as text: 2, 2.5, 2,5. Points never use
#: thousands grouping, so both marks can only be the decimal mark here.
_NUMBER_TEXT = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass
class _Reader:
    file: str
    ws: Any
    #: The formula of each formula cell of the sheet, by (row, column).
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    source: SourceMap = field(default_factory=SourceMap)
    errors: list[Diagnostic] = field(default_factory=list)

    def mark(self, row: int, column: int) -> Mark:
        return Mark(row, column)

    def unusable(self, row: int, column: int, what: str, path: PathKey = ()) -> bool:
        """Report an input cell whose value cannot be taken as typed; whether it is one.

        A formula whose result is an error (``#NAME?``), and a formula with no computed value:
        a workbook saved by a program that does not compute formulas (openpyxl, some
        converters) stores the formula alone, and the cell would read as empty, silently.
        """
        cell = self.ws.cell(row=row, column=column)
        if cell.data_type == "e":
            self.error(
                row,
                column,
                f"{what} là giá trị lỗi `{cell.value}` của một công thức; hãy sửa công thức hoặc xóa ô rồi gõ "
                "thẳng giá trị vào ô",
                path,
            )
            return True
        if cell.value is not None or (row, column) not in self.formulas:
            return False
        formula = self.formulas[(row, column)]
        shown = formula if len(formula) <= 60 else formula[:57] + "…"
        self.error(
            row,
            column,
            f"{what} là công thức `{shown}` chưa được tính ra giá trị (tệp được lưu bằng một chương trình "
            "không tính công thức); hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại, hoặc gõ thẳng "
            "giá trị vào ô",
            path,
        )
        return True

    def error(self, row: int | None, column: int | None, message: str, path: PathKey = ()) -> None:
        where = f"ô {FORM_SHEET}!{_letter(column)}{row}: " if row and column else ""
        self.errors.append(Diagnostic(self.file, where + message, line=row, column=column, path=format_path(path)))

    def text(self, row: int, column: int) -> str | None:
        """A text cell's content (numbers as their digits), or None when empty."""
        value = self.ws.cell(row=row, column=column).value
        if value is None:
            return None
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int | float):
            return plain_decimal(_decimal(value))
        if isinstance(value, dt.datetime | dt.date):
            # "05/01/2020" typed alone becomes a date: give it back as an office writes it
            shown = f"{value.day:02d}/{value.month:02d}/{value.year}"
            if isinstance(value, dt.datetime) and value.time() != dt.time():
                shown += f" {value.hour:02d}:{value.minute:02d}"
            return shown
        if not isinstance(value, str):
            return nfc(str(value))
        text = nfc(value).strip()
        return text or None

    def number(self, row: int, column: int, path: PathKey, what: str, limit: str) -> Decimal | str | None:
        """A number cell: Decimal, the N/A text as is, None when empty; else an error."""
        cell = self.ws.cell(row=row, column=column)
        value = cell.value
        self.source.values[path] = self.mark(row, column)
        if self.unusable(row, column, what, path) or value is None:
            return None
        if isinstance(value, bool):
            self.error(row, column, f"{what} là giá trị đúng/sai (TRUE/FALSE), không phải một số; {limit}", path)
            return None
        if isinstance(value, int | float):
            if "%" in str(cell.number_format):
                # 50% typed into a score cell is stored as 0,5: not what the person meant
                self.error(
                    row,
                    column,
                    f"{what} `{format_number(_decimal(value) * 100)}%` ở ô định dạng phần trăm (Percent), được lưu "
                    f"là {format_number(_decimal(value))}; ô này ghi số điểm, không ghi phần trăm: hãy đổi định dạng "
                    f"ô về Số (Number) rồi gõ lại số điểm, {limit.removeprefix('hãy ')}",
                    path,
                )
                return None
            return _decimal(value)
        if isinstance(value, str):
            text = " ".join(nfc(value).split())
            if not text:
                return None
            if _norm(text) == _norm(NA_TEXT):
                return NA_TEXT
            if _NUMBER_TEXT.fullmatch(text):
                # Text that looks like a number ('1,5 typed into a Text cell): the form's own
                # totals count it 0 (N(E28) = 0), so reading it as a number would give the agency
                # a total its form never showed. It is refused like any other text.
                self.error(
                    row,
                    column,
                    f"{what} `{text}` là chữ (ô định dạng kiểu Văn bản/Text), không phải là một số, nên "
                    "các dòng tổng của biểu mẫu tính ô này bằng 0; hãy xóa ô rồi gõ lại con số (định dạng "
                    f"ô kiểu Số), {limit.removeprefix('hãy ')}",
                    path,
                )
                return None
            self.error(row, column, f"{what} `{text}` không phải là một số; {limit}", path)
            return None
        self.error(row, column, f"{what} là ngày tháng hoặc giá trị không phải số; {limit}", path)
        return None


def _decimal(value: int | float) -> Decimal:
    """A cell's number as a Decimal, never through float arithmetic.

    Excel stores numbers as binary doubles and openpyxl reads them as ``float``. ``str(float)``
    is the shortest text that reads back as the same double, which for a value a person typed
    (7.6, 0.25) is exactly what they typed; ``Decimal(float)`` would give 7.5999999999999996447….
    """
    if isinstance(value, int):
        return Decimal(value)
    try:
        return Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - inf and nan cannot be stored in a cell
        return Decimal(0)


def read_assessment_form(path: Path, catalog: Catalog | None = None) -> tuple[Assessment, FormDocument]:
    """Read a filled form as an assessment; raise :class:`InputError` naming the cells at fault.

    ``catalog`` finds the criteria set named in the form (default: ``./criteria/`` and the sets
    shipped with the package), to refuse a form made for another version of the set.
    """
    file = str(path)
    wb = _open_workbook(path, file)
    if FORM_SHEET not in wb.sheetnames and META_SHEET not in wb.sheetnames:
        shown = ", ".join(f"«{n}»" for n in wb.sheetnames)
        raise NotAFormError(
            [
                Diagnostic(
                    file,
                    f"tệp Excel này không phải biểu mẫu tự đánh giá do `isoprov form` tạo "
                    f"(không có trang «{FORM_SHEET}»; các trang có: {shown})",
                )
            ]
        )
    if FORM_SHEET not in wb.sheetnames:
        shown = ", ".join(f"«{n}»" for n in wb.sheetnames if n != META_SHEET)
        raise InputError(
            [
                Diagnostic(
                    file,
                    f"không có trang tính «{FORM_SHEET}» của biểu mẫu tự đánh giá "
                    f"(các trang có: {shown}); hãy dùng biểu mẫu do `isoprov form` tạo",
                )
            ]
        )
    if META_SHEET not in wb.sheetnames:
        raise InputError(
            [
                Diagnostic(
                    file,
                    "tệp không phải biểu mẫu do `isoprov form` tạo (thiếu phần nhận dạng "
                    "bộ tiêu chí); hãy tạo biểu mẫu bằng `isoprov form` rồi điền lại",
                )
            ]
        )
    meta = _read_meta(wb[META_SHEET], file)
    reader = _Reader(file, wb[FORM_SHEET], _formulas(path))
    if catalog is None:
        from isoprov.scoring.catalog import Catalog

        catalog = Catalog.default([])
    # An unknown or invalid set is reported at the "Bộ tiêu chí" cell: by the caller, or with the
    # form's other problems.
    cs = catalog.get(meta.criteria)
    header_row, columns = _find_header(reader)
    leaves = _check_structure(reader, header_row, columns, meta, cs)
    data: dict[str, Any] = {"criteria": meta.criteria}
    _read_agency(reader, header_row, data)
    data["scores"], refused = _read_scores(reader, header_row, columns, leaves)
    _check_merged(reader, columns, leaves)
    level_ok = cs is not None and _check_level(reader, data["agency"], cs)
    doc = FormDocument(file=file, data=data, source=reader.source)
    if not reader.errors:
        try:
            return load_assessment(doc), doc
        except PartialAssessmentError:
            pass  # an entry the model refuses (a number too large): reported below with the rest
    raise InputError(_every_problem(reader.errors, doc, cs or catalog, level_ok, refused))


class NotAFormError(InputError):
    """The workbook is not a self-assessment form at all (a score or budget export, another
    spreadsheet): a folder search may skip it, where a damaged form is an error."""


def _check_level(reader: _Reader, agency: dict[str, Any], cs: CriteriaSet) -> bool:
    """The level cell must hold one of the set's level codes exactly, as the drop-down list
    offers them: the form's formulas compare the cell with those codes (``$B$6="tinh"``), so a
    level written any other way («Cấp tỉnh», « tinh ») would make the form's totals differ from
    isoprov's. It is refused, naming the cell and listing the codes."""
    mark = reader.source.values.get(("agency", "level"))
    if mark is None or "level" not in agency:
        return False  # no label, or the cell is empty: reported already
    raw = reader.ws.cell(row=mark.line, column=mark.column).value
    if isinstance(raw, str) and raw in cs.levels:
        return True
    codes = ", ".join(f"`{code}` ({level_name(code)})" for code in cs.levels)
    reader.error(
        mark.line,
        mark.column,
        f"«{LABELS['level']}» `{agency['level']}` không phải mã cấp của bộ tiêu chí `{cs.id}`; hãy chọn trong "
        f"danh sách hoặc gõ đúng một mã: {codes}",
        ("agency", "level"),
    )
    return False


def _check_merged(reader: _Reader, columns: dict[str, int], leaves: list[tuple[int, _MetaRow]]) -> None:
    """Report each merged range that covers a cell to fill in: only its first cell keeps a value,
    so a score shown across two rows counts for the first criterion only."""
    inputs = [
        (row, columns[key]) for row, _ in leaves for key in ("self", "team", "evidence", "note") if key in columns
    ]
    inputs += [(m.line, m.column) for path, m in reader.source.values.items() if path[:1] in (("agency",), ("period",))]
    for merged in sorted(reader.ws.merged_cells.ranges, key=lambda m: (m.min_row, m.min_col)):
        if any(merged.min_row <= r <= merged.max_row and merged.min_col <= c <= merged.max_col for r, c in inputs):
            reader.error(
                merged.min_row,
                merged.min_col,
                f"các ô {merged.coord} đã bị gộp (Merge) nhưng đây là ô nhập liệu: ô gộp chỉ giữ giá trị của "
                "ô đầu tiên; hãy bỏ gộp ô (Unmerge Cells) rồi điền lại từng ô",
            )


def _every_problem(
    errors: list[Diagnostic], doc: FormDocument, cs: CriteriaSet | Catalog, level_ok: bool, refused: set[str]
) -> list[Diagnostic]:
    """Every problem of a form with refused cells, in the order of the cells: those cells, then
    what checking the rest against the set finds (a score over its maximum in one cell must not
    hide behind text in another, as in a YAML file).

    The cells the reader refused were reported already: their agency fields get stand-ins, and
    their leaves are not reported again as unscored. ``cs`` is the catalog when the form's set
    is not in it (said as ``isoprov score`` says it).
    """
    problems = list(errors)
    if not isinstance(cs, CriteriaSet):
        criteria = doc.data["criteria"]
        invalid = cs.invalid.get(criteria)
        if invalid is not None:
            problem = f"có lỗi (xem các lỗi của tệp {invalid}); chưa thể chấm điểm"
        else:
            problem = f"không tìm thấy; các bộ tiêu chí hiện có: {', '.join(cs.known_ids()) or 'không có'}"
        problems.append(doc.diagnostic(("criteria",), f"bộ tiêu chí `{criteria}` {problem}"))
        return _in_cell_order(problems)
    stand_in = {"code": "?", "name": "?", **doc.data["agency"]}
    if not level_ok:
        stand_in["level"] = cs.levels[0]
    # the refused cells left their values out of the entries already
    data = {"agency": stand_in, "criteria": doc.data["criteria"], "period": doc.data.get("period") or "?"}
    try:
        partial = load_assessment(FormDocument(doc.file, {**data, "scores": doc.data["scores"]}, doc.source))
    except PartialAssessmentError as exc:  # an entry the model refuses (a number too large)
        problems.extend(exc.diagnostics)
        partial, refused = exc.partial, refused | exc.dropped
    except InputError as exc:  # pragma: no cover - the stand-ins make the agency valid
        return _in_cell_order([*problems, *exc.diagnostics])
    if level_ok:
        problems.extend(check_assessment(partial, cs, doc, invalid=refused))
    else:
        problems.extend(_points_problems(partial, cs, doc))
    return _in_cell_order(problems)


def _points_problems(a: Assessment, cs: CriteriaSet, doc: FormDocument) -> list[Diagnostic]:
    """Without a usable level (reported already), each entry's own errors: points outside 0..max or
    not an option, «Không áp dụng» where not allowed. Each entry is checked as if the agency were
    of a level the leaf applies to; what depends on the level (unscored leaves) is left out."""
    out: list[Diagnostic] = []
    for cid, entry in a.scores.items():
        leaf = cs.index.get(cid)
        level = next((lv for lv in cs.levels if leaf is not None and leaf.applies_to(lv)), None)
        if level is None:
            continue
        agency = a.agency.model_copy(update={"level": level})
        alone = Assessment(agency=agency, criteria=a.criteria, period=a.period, scores={cid: entry})
        out.extend(d for d in check_assessment(alone, cs, doc) if d.is_error)
    return out


def _in_cell_order(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Row by row, then column by column, as a person goes through the sheet; unplaced ones first."""
    return sorted(diagnostics, key=lambda d: (d.line or 0, d.column or 0))


def _formulas(path: Path) -> dict[tuple[int, int], str]:
    """The formula cells of the form sheet, by (row, column), from a second, formula-keeping read
    (the main read gives each formula's computed value, None where none was saved)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception:  # pragma: no cover - the main read of the same file succeeded
        return {}
    try:
        if FORM_SHEET not in wb.sheetnames:
            return {}
        out: dict[tuple[int, int], str] = {}
        for row in wb[FORM_SHEET].iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) != "f" or cell.value is None:
                    continue
                value = cell.value
                out[(cell.row, cell.column)] = value if isinstance(value, str) else str(getattr(value, "text", value))
        return out
    finally:
        wb.close()


def _open_workbook(path: Path, file: str) -> Any:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (OSError, zipfile.BadZipFile):
        raise InputError(
            [
                Diagnostic(
                    file,
                    "tệp không phải tệp Excel .xlsx hợp lệ (có thể là tệp .xls cũ hoặc "
                    "tệp hỏng); hãy mở bằng Excel và lưu lại dạng .xlsx",
                )
            ]
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            [
                Diagnostic(
                    file,
                    "tệp Excel quá lớn sau khi giải nén; biểu mẫu tự đánh giá không "
                    "lớn như vậy (có thể là tệp độc hại)",
                )
            ]
        )
    try:
        # data_only: formula cells give their cached value (or None); the inputs are plain values.
        return load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            [
                Diagnostic(
                    file,
                    f"không đọc được tệp Excel ({type(exc).__name__}: {exc}); hãy mở bằng Excel và lưu lại dạng .xlsx",
                )
            ]
        ) from None


@dataclass(frozen=True, slots=True)
class _MetaRow:
    row: int
    id: str
    digest: str
    max: Decimal | None  # leaves only
    na: bool


@dataclass(frozen=True, slots=True)
class _Meta:
    criteria: str
    fingerprint: str
    rows: tuple[_MetaRow, ...]


def _read_meta(meta: Any, file: str) -> _Meta:
    values: dict[str, str] = {}
    for row in meta.iter_rows(min_row=1, max_row=5, max_col=2, values_only=True):
        if row[0] is not None and row[1] is not None:
            values[str(row[0])] = str(row[1])
    rows: list[_MetaRow] = []
    for number, cid, digest, top, na in meta.iter_rows(min_row=7, max_col=5, values_only=True):
        if not isinstance(number, int) or cid is None:
            break
        try:
            limit = Decimal(str(top)) if top is not None else None
        except InvalidOperation:
            limit = None
        rows.append(_MetaRow(number, str(cid), str(digest or ""), limit, str(na) == "1"))
    version = values.get("form_version", "")
    if not version.isdigit() or int(version) > FORM_VERSION or "criteria" not in values or not rows:
        raise InputError(
            [
                Diagnostic(
                    file,
                    "phần nhận dạng của biểu mẫu bị hỏng hoặc do phiên bản isoprov mới "
                    "hơn tạo; hãy tạo lại biểu mẫu bằng `isoprov form`",
                )
            ]
        )
    return _Meta(values["criteria"], values.get("fingerprint", ""), tuple(rows))


#: The columns the reader takes values from (the title and guidance are for people only).
_READ_COLUMNS = ("max", "self", "evidence", "note", "team")


def _find_header(reader: _Reader) -> tuple[int, dict[str, int]]:
    wanted = {_norm(text): key for key, text in COLUMNS.items()}
    for row in range(1, SCAN_ROWS + 1):
        found: dict[str, int] = {}
        for column in range(1, min(reader.ws.max_column, 40) + 1):
            text = reader.text(row, column)
            if text is not None and _norm(text) in wanted:
                found.setdefault(wanted[_norm(text)], column)
        if "id" in found:
            # every column read: without the team's, its scores would be dropped silently
            missing = [COLUMNS[k] for k in _READ_COLUMNS if k not in found]
            if missing:
                raise InputError(
                    [
                        _cell_diagnostic(
                            reader.file,
                            row,
                            found["id"],
                            f"hàng tiêu đề của bảng (hàng {row}) thiếu cột "
                            + ", ".join(f"«{m}»" for m in missing)
                            + "; cấu trúc biểu mẫu đã bị sửa (sửa hoặc xóa cột), hãy tạo lại bằng `isoprov form`",
                        )
                    ]
                )
            return row, found
    raise InputError(
        [
            Diagnostic(
                reader.file,
                f"không tìm thấy hàng tiêu đề có ô «{COLUMNS['id']}» trong trang "
                f"«{FORM_SHEET}»; cấu trúc biểu mẫu đã bị sửa, hãy tạo lại bằng "
                "`isoprov form`",
            )
        ]
    )


#: How far below an empty id cell to look for criteria rows that an inserted blank row pushed down.
_INSERTED_ROWS_LOOKAHEAD = 20


def _check_structure(
    reader: _Reader,
    header_row: int,
    columns: dict[str, int],
    meta: _Meta,
    cs: CriteriaSet | None,
) -> list[tuple[int, _MetaRow]]:
    """The form's rows against the criteria they must hold; the leaf rows, or an InputError."""
    redo = "; hãy tạo lại biểu mẫu bằng `isoprov form` rồi chép điểm sang"
    if cs is not None and meta.fingerprint != criteria_fingerprint(cs):
        raise InputError([_version_problem(reader, meta, cs, redo)])
    # The set itself when it is known; otherwise what the form says it was made for.
    expected = list(meta.rows) if cs is None else _set_rows(cs)
    id_col, max_col = columns["id"], columns["max"]
    found: list[tuple[int, str]] = []
    row = header_row + 1
    while (cid := reader.text(row, id_col)) is not None:
        found.append((row, cid))
        row += 1

    def fail(r: int, c: int, message: str) -> InputError:
        return InputError([_cell_diagnostic(reader.file, r, c, message + redo)])

    for k, want in enumerate(expected):
        if k >= len(found):
            # the scan stopped at an empty id cell: a blank row inserted among the criteria when
            # more criteria follow it, else rows removed
            gap = row
            below = range(gap + 1, gap + 1 + len(expected) - k + _INSERTED_ROWS_LOOKAHEAD)
            if any(reader.text(r, id_col) is not None for r in below):
                if any(reader.text(gap, c) is not None for c in columns.values()):
                    raise fail(
                        gap,
                        id_col,
                        f"ô mã tiêu chí để trống, phải là tiêu chí `{want.id}`: cấu trúc biểu mẫu đã bị sửa "
                        "(xóa mã tiêu chí)",
                    )
                raise fail(
                    gap,
                    id_col,
                    f"dòng {gap} trống chen giữa các tiêu chí, ô này phải là tiêu chí `{want.id}`: "
                    "cấu trúc biểu mẫu đã bị sửa (chèn dòng)",
                )
            raise fail(
                gap,
                id_col,
                f"thiếu tiêu chí `{want.id}`: cấu trúc biểu mẫu đã bị sửa (chèn, xóa hoặc đổi chỗ dòng)",
            )
        r, seen = found[k]
        if seen != want.id:
            raise fail(
                r,
                id_col,
                f"ô này phải là tiêu chí `{want.id}` nhưng đang là `{seen}`: cấu trúc biểu mẫu đã "
                "bị sửa (chèn, xóa, đổi chỗ dòng hoặc sửa mã tiêu chí)",
            )
        if want.max is not None:
            value = reader.ws.cell(row=r, column=max_col).value
            shown = _decimal(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
            if shown != want.max:
                raise fail(
                    r,
                    max_col,
                    f"điểm tối đa của tiêu chí `{want.id}` phải là {format_number(want.max)} "
                    f"nhưng đang là `{'' if value is None else value}`: cấu trúc biểu mẫu đã bị sửa",
                )
    if len(found) > len(expected):
        r, seen = found[len(expected)]
        raise fail(r, id_col, f"dòng thừa `{seen}` không có trong bộ tiêu chí: cấu trúc biểu mẫu đã bị sửa")
    return [(r, want) for (r, _), want in zip(found, expected, strict=True) if want.max is not None]


def _set_rows(cs: CriteriaSet) -> list[_MetaRow]:
    """The rows a form of ``cs`` holds (row numbers unknown: 0)."""
    return [_MetaRow(0, c.id, criterion_digest(c, depth), c.max if c.is_leaf else None, c.na) for c, depth in _rows(cs)]


def _version_problem(reader: _Reader, meta: _Meta, cs: CriteriaSet, redo: str) -> Diagnostic:
    """The form was made for another set with this id, or another version of it: say where it differs."""
    current = _set_rows(cs)
    lead = (
        f"biểu mẫu được tạo cho một bộ tiêu chí `{cs.id}` khác với bộ tiêu chí `{cs.id}` đang dùng "
        "(khác bộ tiêu chí, hoặc bộ tiêu chí đã được sửa đổi sau khi tạo biểu mẫu)"
    )
    for k, old in enumerate(meta.rows):
        if k >= len(current):
            return _cell_diagnostic(
                reader.file, old.row, 1, f"{lead}: tiêu chí `{old.id}` không còn trong bộ tiêu chí{redo}"
            )
        now = current[k]
        if old.id != now.id:
            return _cell_diagnostic(
                reader.file,
                old.row,
                1,
                f"{lead}: ở dòng này bộ tiêu chí có tiêu chí `{now.id}`, biểu mẫu có `{old.id}`{redo}",
            )
        if old.digest != now.digest:
            return _cell_diagnostic(
                reader.file,
                old.row,
                1,
                f"{lead}: tiêu chí `{old.id}` đã khác (điểm tối đa, mức "
                f"điểm, cấp áp dụng hoặc khai báo không áp dụng){redo}",
            )
    if len(current) > len(meta.rows):
        row = meta.rows[-1].row + 1 if meta.rows else HEADER_ROW + 1
        extra = current[len(meta.rows)].id
        return _cell_diagnostic(
            reader.file, row, 1, f"{lead}: bộ tiêu chí có thêm tiêu chí `{extra}` mà biểu mẫu không có{redo}"
        )
    return _cell_diagnostic(
        reader.file,
        CRITERIA_ROW,
        2,
        f"{lead}: các cấp của bộ tiêu chí đã khác, hoặc phần nhận dạng ẩn của biểu mẫu đã bị sửa{redo}",
    )


def _cell_diagnostic(file: str, row: int, column: int, message: str) -> Diagnostic:
    return Diagnostic(file, f"ô {FORM_SHEET}!{_letter(column)}{row}: {message}", line=row, column=column)


def _read_agency(reader: _Reader, header_row: int, data: dict[str, Any]) -> None:
    """The labelled cells above the table, each value in the cell to the right of its label."""
    wanted = {_norm(label): key for key, label in LABELS.items()}
    wanted[_norm(CRITERIA_LABEL)] = "criteria"
    agency: dict[str, Any] = {}
    seen: set[str] = set()
    for row in range(1, header_row):
        for column in range(1, min(reader.ws.max_column, 40)):
            text = reader.text(row, column)
            key = wanted.get(_norm(text)) if text is not None else None
            if key is None or key in seen:
                continue
            seen.add(key)
            mark = reader.mark(row, column + 1)
            if key == "criteria":
                reader.source.values[("criteria",)] = mark
                continue
            path: PathKey = ("period",) if key == "period" else ("agency", key)
            reader.source.values[path] = mark
            value = reader.ws.cell(row=row, column=column + 1).value
            if reader.unusable(row, column + 1, f"«{LABELS[key]}»", path):
                continue
            if isinstance(value, bool) or not isinstance(value, str | int | float | None):
                reader.error(
                    row,
                    column + 1,
                    f"«{LABELS[key]}» phải là chữ hoặc số, không phải ngày tháng hay giá trị đúng/sai",
                    path,
                )
                continue
            shown = reader.text(row, column + 1)
            if shown is None:
                reader.error(row, column + 1, f"chưa điền «{LABELS[key]}»", path)
            elif key == "period":
                data["period"] = shown
            else:
                agency[key] = shown
    for key, label in LABELS.items():
        if key not in seen:
            reader.error(
                None,
                None,
                f"không tìm thấy ô nhãn «{label}» phía trên bảng điểm của trang «{FORM_SHEET}» (hàng 1 đến "
                f"{header_row - 1}); cấu trúc biểu mẫu đã bị sửa, hãy tạo lại bằng `isoprov form`",
            )
    reader.source.values[("agency",)] = reader.source.values.get(("agency", "code"), Mark(1, 1))
    data["agency"] = agency


def _read_scores(
    reader: _Reader, header_row: int, columns: dict[str, int], leaves: list[tuple[int, _MetaRow]]
) -> tuple[dict[str, Any], set[str]]:
    """The score entries, and the ids of the leaves whose row has a cell the reader refused."""
    scores: dict[str, Any] = {}
    refused: set[str] = set()
    # What concerns the scores as a whole (nothing applicable) is shown at the column's header;
    # an unscored leaf at its own cell (see FormDocument.diagnostic).
    reader.source.values[("scores",)] = reader.mark(header_row, columns["self"])
    for row, leaf in leaves:
        cid = leaf.id
        limit = f"hãy nhập một số từ 0 đến {format_number(leaf.max)}" if leaf.max is not None else "hãy nhập một số"
        if leaf.na:
            limit += f" hoặc «{NA_TEXT}»"
        before = len(reader.errors)
        _read_row(reader, row, cid, columns, limit, scores)
        if len(reader.errors) > before:
            refused.add(cid)
    return scores, refused


def _read_row(reader: _Reader, row: int, cid: str, columns: dict[str, int], limit: str, scores: dict[str, Any]) -> None:
    """One leaf's row: its entry goes into ``scores`` unless it is empty or refused."""
    self_col = columns["self"]
    base: PathKey = ("scores", cid)
    before = len(reader.errors)
    own = reader.number(row, self_col, (*base, "self"), "điểm tự chấm", limit)
    # a self-score cell already reported (not a number, TRUE/FALSE, a date): one error per
    # cell, so the row is not also "evidence without a score"
    bad_self = len(reader.errors) > before
    team = None
    if "team" in columns:
        team = reader.number(
            row, columns["team"], (*base, "team"), "điểm thẩm định", limit.replace(f" hoặc «{NA_TEXT}»", "")
        )
        if team == NA_TEXT:
            reader.error(
                row,
                columns["team"],
                f"điểm thẩm định không ghi «{NA_TEXT}»; khai báo không áp dụng ở cột Điểm tự chấm",
                (*base, "team"),
            )
            team = None
    evidence: list[str] = []
    note: str | None = None
    if "evidence" in columns and not reader.unusable(row, columns["evidence"], "tài liệu kiểm chứng"):
        evidence = _evidence(reader.text(row, columns["evidence"]))
    if "note" in columns and not reader.unusable(row, columns["note"], "ghi chú"):
        note = reader.text(row, columns["note"])
    if "evidence" in columns:
        reader.source.values[(*base, "evidence")] = reader.mark(row, columns["evidence"])
        for k in range(len(evidence)):
            reader.source.values[(*base, "evidence", k)] = reader.mark(row, columns["evidence"])
    if "note" in columns:
        reader.source.values[(*base, "note")] = reader.mark(row, columns["note"])
    reader.source.values[base] = reader.mark(row, columns["id"])
    reader.source.keys[base] = reader.mark(row, self_col)
    entry: dict[str, Any] = {}
    if own == NA_TEXT:
        reader.source.values[(*base, "na")] = reader.mark(row, self_col)
        if note is None:
            reader.error(
                row,
                self_col,
                f"tiêu chí `{cid}` khai báo «{NA_TEXT}» nhưng chưa ghi lý do ở cột "
                f"Ghi chú (ô {_letter(columns.get('note', self_col))}{row})",
                base,
            )
            return
        if team is not None:
            reader.error(
                row,
                columns["team"],
                f"tiêu chí `{cid}` đã khai báo «{NA_TEXT}» thì không chấm điểm thẩm định",
                (*base, "team"),
            )
            return
        entry["na"] = note
    else:
        if own is not None:
            entry["self"] = own
        if team is not None:
            entry["team"] = team
        if not entry:
            if (evidence or note) and not bad_self:
                reader.error(
                    row,
                    self_col,
                    f"tiêu chí `{cid}` có tài liệu kiểm chứng hoặc ghi chú nhưng chưa có điểm tự chấm; {limit}",
                    (*base, "self"),
                )
            return
        if note is not None:
            entry["note"] = note
    if evidence:
        entry["evidence"] = evidence
    scores[cid] = entry


_EVIDENCE_SPLIT = re.compile(r"[\n;]")


def _evidence(text: str | None) -> list[str]:
    """Evidence entries: one per line, or separated by semicolons."""
    if text is None:
        return []
    return [part.strip() for part in _EVIDENCE_SPLIT.split(text.replace("\r", "\n")) if part.strip()]


# ----------------------------------------------------------------------------------------------
# Score export (isoprov score --xlsx)

SUMMARY_SHEET = "Tổng hợp"
MISSING_SHEET = "Chưa nộp"
PROBLEMS_SHEET = "Lỗi, cảnh báo"
SUMMARY_HEADERS = (
    "Hạng",
    "Mã cơ quan",
    "Cơ quan",
    "Cấp",
    "Tự chấm",
    "Thẩm định",
    "Chênh lệch",
    "Xếp loại",
    "Bộ tiêu chí",
    "Kỳ",
    "Tệp",
)
#: A signed difference: +2,50 / -1,25 / 0,00 (shown with the reader's locale marks).
SIGNED_FORMAT = "+#,##0.00;-#,##0.00;0.00"
SUMMARY_HEADER_ROW = 4
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def write_score_export(batch: Batch, target: Path, catalog: Catalog | None = None) -> None:
    """Write ``isoprov score --xlsx``: a summary with a bar chart, a sheet per level, the missing
    agencies and the problems found; atomically (an existing file is replaced only when the new
    one is complete).

    Totals are live formulas (SPEC §6): each level sheet computes every agency's self and final
    totals and band from the points above them, by the rules of SPEC §3; the summary refers to
    those cells and ranks by formula. ``catalog`` gives the criteria sets the batch was scored
    against (default: ``./criteria/`` and the shipped sets); a set it cannot give, or that does
    not reproduce the batch's totals, leaves that pool's totals and bands as numbers.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SUMMARY_SHEET
    used = {SUMMARY_SHEET.casefold()}
    sets = _export_sets(batch.results, catalog)
    first_row = SUMMARY_HEADER_ROW + 1
    cells: list[_TotalCells] = []
    for (criteria, period, level), start, results in _pools(batch.results):
        title = _sheet_title(level_name(level), used)
        summary_rows = range(first_row + start, first_row + start + len(results))
        cells.extend(
            _level_sheet(wb.create_sheet(title), sets.get(criteria), criteria, period, level, results, summary_rows)
        )
    _summary_sheet(ws, batch.results, cells)
    if batch.missing:
        _missing_sheet(wb.create_sheet(_sheet_title(MISSING_SHEET, used)), batch)
    if batch.diagnostics:
        _problems_sheet(wb.create_sheet(_sheet_title(PROBLEMS_SHEET, used)), batch.diagnostics)
    wb.properties.title = "Kết quả chấm điểm"
    wb.properties.creator = "isoprov"
    write_atomic(Path(target), lambda tmp: wb.save(tmp))


@dataclass(frozen=True, slots=True)
class _TotalCells:
    """Where a level sheet holds one agency's self total, final total and band (sheet-qualified)."""

    self_total: str
    total: str
    band: str


def _pools(results: Sequence[Result]) -> list[tuple[tuple[str, str, str], int, list[Result]]]:
    """Results by criteria set, period and level, each pool with the index of its first result.

    The batch lists each pool's results together (ranked), so a pool is a block of rows of the
    summary; the rank formulas rely on it.
    """
    out: list[tuple[tuple[str, str, str], int, list[Result]]] = []
    for k, r in enumerate(results):
        key = (r.criteria, r.period, r.level)
        if out and out[-1][0] == key:
            out[-1][2].append(r)
        else:
            out.append((key, k, [r]))
    return out


def _export_sets(results: Sequence[Result], catalog: Catalog | None) -> dict[str, CriteriaSet | None]:
    """The criteria set of each pool, when it is known and gives the totals the batch has."""
    if catalog is None:
        from isoprov.scoring.catalog import Catalog

        catalog = Catalog.default([])
    out: dict[str, CriteriaSet | None] = {}
    for (criteria, _, _), _, pool in _pools(results):
        if criteria not in out:
            out[criteria] = catalog.get(criteria)
        cs = out[criteria]
        if cs is not None and not all(_reproduces(cs, r) for r in pool):
            out[criteria] = None
    return out


def _reproduces(cs: CriteriaSet, r: Result) -> bool:
    """Whether ``cs`` is the set ``r`` was scored against: same leaves, same totals and band.

    A set found by id in ``./criteria/`` may be another version than the one given with
    ``--criteria``: its formulas would then disagree with the reported totals.
    """
    from isoprov.scoring.rules import ZERO, total_points

    leaves = cs.leaves
    if len(leaves) != len(r.details):
        return False
    for leaf, d in zip(leaves, r.details, strict=True):
        if (leaf.id, leaf.kind, leaf.max or ZERO) != (d.id, d.kind, d.max):
            return False
    counted = [d for d in r.details if d.applicable]

    def part(kind: str, own: bool) -> Decimal:
        return sum(((d.self_points or ZERO) if own else d.final for d in counted if d.kind == kind), ZERO)

    possible = sum((d.max for d in counted if d.kind == "score"), ZERO)
    for own, expected in ((True, r.self_total), (False, r.total)):
        got = total_points(part("score", own), possible, part("bonus", own), part("penalty", own), cs.scale)
        if got != expected:
            return False
    return cs.band_for(r.total) == r.band


def _sheet_title(base: str, used: set[str]) -> str:
    clean = _SHEET_FORBIDDEN.sub("_", base).strip("'")[:31] or "Trang"
    title, n = clean, 2
    while title.casefold() in used:
        suffix = f" ({n})"
        title = clean[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title.casefold())
    return title


def _sheet_ref(title: str, cell: str) -> str:
    """A reference to ``cell`` of another sheet, the sheet name quoted."""
    return "'" + title.replace("'", "''") + "'!" + cell


def _title_rows(ws: Any, title: str, subtitle: str) -> None:
    from openpyxl.styles import Alignment, Font

    # Not merged: the text runs on over the empty cells to its right, whatever their widths.
    cell = put_text(ws, 1, 1, title)
    cell.font = Font(bold=True, size=13)
    cell.alignment = Alignment(horizontal="left")
    if subtitle:
        put_text(ws, 2, 1, subtitle).font = Font(italic=True)


def _header_row(ws: Any, row: int, headers: Sequence[str], first: int = 1) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for column, text in enumerate(headers, start=first):
        cell = put_text(ws, row, column, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _border()


def _summary_sheet(ws: Any, results: Sequence[Result], cells: Sequence[_TotalCells]) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment

    periods = sorted({r.period for r in results})
    subtitle = ("Kỳ " + ", ".join(periods) + ". ") if periods else ""
    subtitle += (
        "Điểm theo thang của bộ tiêu chí; Thẩm định là tổng điểm cuối cùng; Chênh lệch = Thẩm định − Tự chấm. "
        "Tổng điểm, xếp loại và hạng là công thức, lấy từ trang của từng cấp."
    )
    _title_rows(ws, "KẾT QUẢ CHẤM ĐIỂM VIỆC ÁP DỤNG HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG THEO TCVN ISO 9001", subtitle)
    header = SUMMARY_HEADER_ROW
    _header_row(ws, header, SUMMARY_HEADERS)
    row = header
    for _, start, pool in _pools(results):
        block = f"$F${header + 1 + start}:$F${header + start + len(pool)}"
        for k in range(start, start + len(pool)):
            r, where = results[k], cells[k]
            row = header + 1 + k
            # standard competition ranking (1, 2, 2, 4) among the pool: criteria set, period, level
            put_formula(ws, row, 1, f"=RANK(F{row},{block},0)", fmt="0").alignment = Alignment(horizontal="center")
            put_text(ws, row, 2, r.agency_code)
            put_text(ws, row, 3, r.agency_name)
            put_text(ws, row, 4, level_name(r.level))
            put_formula(ws, row, 5, "=" + where.self_total, fmt=POINTS_FORMAT)
            put_formula(ws, row, 6, "=" + where.total, fmt=POINTS_FORMAT)
            put_formula(ws, row, 7, f"=F{row}-E{row}", fmt=SIGNED_FORMAT)
            put_formula(ws, row, 8, "=" + where.band)
            put_text(ws, row, 9, r.criteria)
            put_text(ws, row, 10, r.period)
            put_text(ws, row, 11, r.file)
            for cell in ws[row][: len(SUMMARY_HEADERS)]:
                cell.border = _border()
    if not results:
        put_text(ws, header + 1, 3, "Không có bản tự đánh giá hợp lệ nào để chấm điểm.")
    ws.freeze_panes = f"A{header + 1}"
    fit_columns(ws, maximum=70, fixed={"A": 7, "E": 11, "F": 11, "G": 12, "H": 14})
    print_landscape(ws, header)
    if results:
        ws.auto_filter.ref = f"A{header}:{_letter(len(SUMMARY_HEADERS))}{row}"
        chart = BarChart()
        chart.type = "bar"  # horizontal bars: long agency names stay readable on the axis
        chart.style = 10
        chart.title = "Tổng điểm theo cơ quan"
        chart.x_axis.title = "Cơ quan"
        chart.y_axis.title = "Điểm"
        chart.y_axis.majorGridlines = None
        chart.x_axis.scaling.orientation = "maxMin"  # first agency (rank 1) at the top, as in the table
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        data = Reference(ws, min_col=5, max_col=6, min_row=header, max_row=row)
        names = Reference(ws, min_col=3, min_row=header + 1, max_row=row)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(names)
        chart.y_axis.number_format = "0"
        chart.y_axis.scaling.min = 0
        chart.height = max(7.5, 0.8 * len(results) + 3)
        chart.width = 24
        ws.add_chart(chart, f"B{row + 3}")  # below the table: printed with it, at full width


@dataclass(slots=True)
class _Node:
    """A row of a level sheet: a group with its children, or a leaf (its index in the details)."""

    id: str
    title: str
    leaf: int | None
    children: list[_Node] = field(default_factory=list)


def _tree(cs: CriteriaSet | None, reference: Result) -> list[_Node]:
    """The criteria as the set nests them; without the set, leaves under their top-level group."""
    index = {d.id: k for k, d in enumerate(reference.details)}
    if cs is not None:

        def build(c: Criterion) -> _Node:
            if c.children:
                return _Node(c.id, c.title, None, [build(ch) for ch in c.children])
            return _Node(c.id, c.title, index[c.id])

        return [build(c) for c in cs.criteria]
    titles = {g.id: g.title for g in reference.groups}
    out: list[_Node] = []
    for k, d in enumerate(reference.details):
        leaf = _Node(d.id, d.title, k)
        if d.kind != "score" or d.group == d.id or d.group not in titles:
            out.append(leaf)
        elif out and out[-1].leaf is None and out[-1].id == d.group:
            out[-1].children.append(leaf)
        else:
            out.append(_Node(d.group, titles[d.group], None, [leaf]))
    return out


def _prune(nodes: Sequence[_Node], shown: set[int]) -> list[_Node]:
    """Leaves that count for some agency of the sheet, and the groups holding them."""
    out: list[_Node] = []
    for node in nodes:
        if node.leaf is not None:
            if node.leaf in shown:
                out.append(node)
            continue
        children = _prune(node.children, shown)
        if children:
            out.append(_Node(node.id, node.title, None, children))
    return out


#: The two columns of each agency in a level sheet.
SELF_HEADER, FINAL_HEADER = "Tự chấm", "Sau thẩm định"


def _level_sheet(
    ws: Any,
    cs: CriteriaSet | None,
    criteria: str,
    period: str,
    level: str,
    results: Sequence[Result],
    summary_rows: Sequence[int],
) -> list[_TotalCells]:
    """Rows: criteria, nested as in the set, groups with subtotal formulas; then the totals by
    formula. Columns: two per agency, self points and final points.

    A leaf counts for an agency exactly when its cell holds a number: a leaf declared N/A holds
    «Không áp dụng»; one that does not apply to the level is left out (or empty). A hidden
    column after the agencies gives each row's kind (group, score, bonus, penalty), which the
    totals select on.
    """
    from openpyxl.styles import Alignment, Font, PatternFill

    first_col = 4
    last_col = first_col + 2 * len(results) - 1
    kind_col = last_col + 1
    kind_letter = _letter(kind_col)
    _title_rows(
        ws,
        f"ĐIỂM TỪNG TIÊU CHÍ — {level_name(level).upper()} — KỲ {period}",
        f"Bộ tiêu chí {criteria}. {SELF_HEADER}: điểm cơ quan tự chấm; {FINAL_HEADER}: điểm thẩm định nếu có, "
        f"nếu không là điểm tự chấm; «{NA_TEXT}»: cơ quan khai báo không áp dụng. Dòng nhóm và các dòng tổng là "
        "công thức.",
    )
    header, sub = 4, 5
    _header_row(ws, header, ["Mã tiêu chí", "Nội dung", "Điểm tối đa"])
    for column in (1, 2, 3):
        ws.merge_cells(start_row=header, start_column=column, end_row=sub, end_column=column)
    for i, r in enumerate(results):
        column = first_col + 2 * i
        _header_row(ws, header, [r.agency_name], first=column)
        ws.merge_cells(start_row=header, start_column=column, end_row=header, end_column=column + 1)
        _header_row(ws, sub, [SELF_HEADER, FINAL_HEADER], first=column)
    put_text(ws, sub, kind_col, "kind")
    reference = results[0]
    # Every result of one pool was scored against the same set: details line up leaf by leaf.
    shown = {
        k
        for k in range(len(reference.details))
        if any(r.details[k].applicable or r.details[k].na_reason is not None for r in results)
    }
    nodes = _prune(_tree(cs, reference), shown)
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor=_GROUP_FILL)
    first = sub + 1
    # the numbers written in score leaves' cells, to give each subtotal and total a format that
    # shows its digits
    figures: dict[tuple[int, int], Decimal] = {}

    def kinds(a: int, b: int) -> str:
        return f"${kind_letter}${a}:${kind_letter}${b}"

    def write(node: _Node, depth: int, row: int) -> int:
        put_text(ws, row, 1, node.id)
        put_text(ws, row, 2, node.title).alignment = Alignment(wrap_text=True, vertical="top", indent=depth)
        if node.leaf is not None:
            d = reference.details[node.leaf]
            put_text(ws, row, kind_col, d.kind)
            put_number(ws, row, 3, d.max)
            if d.kind == "score":
                figures[(row, 3)] = d.max
            for i, r in enumerate(results):
                mine = r.details[node.leaf]
                column = first_col + 2 * i
                if mine.na_reason is not None:
                    for c in (column, column + 1):
                        put_text(ws, row, c, NA_TEXT).alignment = Alignment(horizontal="center", wrap_text=True)
                elif mine.applicable:
                    own = mine.self_points if mine.self_points is not None else Decimal(0)
                    for c, value in ((column, own), (column + 1, mine.final)):
                        put_number(ws, row, c, value)
                        if d.kind == "score":
                            figures[(row, c)] = value
            return row + 1
        group_row = row
        put_text(ws, row, kind_col, "group")
        row += 1
        for child in node.children:
            row = write(child, depth + 1, row)
        for column in range(3, last_col + 1):
            letter = _letter(column)
            total = sum((v for (r_, c), v in figures.items() if c == column and group_row < r_ < row), Decimal(0))
            put_formula(
                ws,
                group_row,
                column,
                f'=SUMIF({kinds(group_row + 1, row - 1)},"score",{letter}{group_row + 1}:{letter}{row - 1})',
                total,
            )
        for cell in ws[group_row][:last_col]:
            cell.font = bold
            cell.fill = grey
        return row

    row = first
    for node in nodes:
        row = write(node, 0, row)
    last = max(first, row - 1)
    row += 1
    possible_row, earned_row, total_row, band_row, rank_row = range(row, row + 5)
    scale = format_number(cs.scale) if cs is not None else "của bộ tiêu chí"
    for at, label in (
        (possible_row, "Tổng điểm tối đa của các tiêu chí áp dụng"),
        (earned_row, "Tổng điểm chấm của các tiêu chí áp dụng"),
        (total_row, f"Tổng điểm quy đổi thang {scale} (cộng điểm thưởng, trừ điểm trừ)"),
        (band_row, "Xếp loại"),
        (rank_row, "Hạng"),
    ):
        cell = put_text(ws, at, 2, label)
        cell.font = bold
        cell.alignment = Alignment(horizontal="right", wrap_text=True)
    rows_kind = kinds(first, last)
    max_range = f"$C${first}:$C${last}"
    out: list[_TotalCells] = []
    title = ws.title
    for i, r in enumerate(results):
        column = first_col + 2 * i
        counted = [d for d in r.details if d.applicable and d.kind == "score"]
        possible = sum((d.max for d in counted), Decimal(0))
        for c, own in ((column, True), (column + 1, False)):
            letter = _letter(c)
            cells = f"{letter}{first}:{letter}{last}"
            earned = sum(((d.self_points or Decimal(0)) if own else d.final for d in counted), Decimal(0))
            put_formula(
                ws, possible_row, c, f'=SUMPRODUCT(({rows_kind}="score")*ISNUMBER({cells}),{max_range})', possible
            )
            put_formula(ws, earned_row, c, f'=SUMIF({rows_kind},"score",{cells})', earned)
            if cs is not None:
                formula = total_formula(
                    f"{letter}{earned_row}",
                    f"{letter}{possible_row}",
                    f'SUMIF({rows_kind},"bonus",{cells})',
                    f'SUMIF({rows_kind},"penalty",{cells})',
                    cs.scale,
                )
                put_formula(ws, total_row, c, formula, fmt=POINTS_FORMAT).font = bold
                put_formula(ws, band_row, c, band_formula(f"{letter}{total_row}", cs.bands))
            else:  # the set is not at hand: the totals as isoprov computed them
                put_number(ws, total_row, c, r.self_total if own else r.total, fmt=POINTS_FORMAT).font = bold
                if not own:
                    put_text(ws, band_row, c, r.band)
            ws.cell(row=band_row, column=c).alignment = Alignment(horizontal="center")
        put_formula(
            ws, rank_row, column + 1, "=" + _sheet_ref(SUMMARY_SHEET, f"A{summary_rows[i]}"), fmt="0"
        ).alignment = Alignment(horizontal="center")
        self_letter, final_letter = _letter(column), _letter(column + 1)
        out.append(
            _TotalCells(
                _sheet_ref(title, f"{self_letter}{total_row}"),
                _sheet_ref(title, f"{final_letter}{total_row}"),
                _sheet_ref(title, f"{final_letter}{band_row}"),
            )
        )
    for line in ws.iter_rows(min_row=header, max_row=rank_row, max_col=last_col):
        for cell in line:
            cell.border = _border()
            if cell.row > sub:
                _top(cell)
    ws.freeze_panes = ws.cell(row=first, column=first_col).coordinate
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 56
    ws.column_dimensions["C"].width = 10
    for column in range(first_col, last_col + 1):
        ws.column_dimensions[_letter(column)].width = 13
    ws.column_dimensions[kind_letter].hidden = True
    ws.row_dimensions[header].height = 45
    fit_row_heights(ws, first, rank_row)
    print_landscape(ws, header)
    ws.print_title_rows = f"{header}:{sub}"
    ws.print_area = f"A1:{_letter(last_col)}{rank_row}"
    return out


def _top(cell: Any) -> None:
    """Align a cell to the top of its row, keeping its other alignment settings."""
    from openpyxl.styles import Alignment

    a = cell.alignment
    cell.alignment = Alignment(horizontal=a.horizontal, wrap_text=a.wrap_text, indent=a.indent, vertical="top")


def _missing_sheet(ws: Any, batch: Batch) -> None:
    _title_rows(ws, "CƠ QUAN CHƯA NỘP BẢN TỰ ĐÁNH GIÁ", "")
    header = 3
    _header_row(ws, header, ("STT", "Mã cơ quan", "Tên cơ quan", "Cấp"))
    for k, a in enumerate(batch.missing, start=1):
        row = header + k
        ws.cell(row=row, column=1, value=k)
        put_text(ws, row, 2, a.code)
        put_text(ws, row, 3, a.name)
        if a.level:
            put_text(ws, row, 4, level_name(a.level))
    ws.freeze_panes = f"A{header + 1}"
    fit_columns(ws, maximum=60, fixed={"A": 6})
    print_landscape(ws, header)


def _problems_sheet(ws: Any, diagnostics: Sequence[Diagnostic]) -> None:
    from openpyxl.styles import Alignment

    _title_rows(ws, "LỖI VÀ CẢNH BÁO KHI CHẤM ĐIỂM", "Tệp có lỗi không được chấm điểm.")
    header = 3
    _header_row(ws, header, ("Tệp", "Dòng", "Cột", "Mức độ", "Vị trí", "Nội dung"))
    for row, d in enumerate(diagnostics, start=header + 1):
        put_text(ws, row, 1, d.file)
        if d.line is not None:
            ws.cell(row=row, column=2, value=d.line)
        if d.column is not None:
            ws.cell(row=row, column=3, value=d.column)
        put_text(ws, row, 4, SEVERITY_LABEL[d.severity])
        put_text(ws, row, 5, d.path)
        put_text(ws, row, 6, d.message).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = f"A{header + 1}"
    fit_columns(ws, maximum=50, fixed={"B": 7, "C": 6, "F": 90})
    fit_row_heights(ws, header + 1, header + len(diagnostics))
    print_landscape(ws, header)
