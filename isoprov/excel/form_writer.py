"""Writing a fill-in self-assessment form (``isoprov form``, SPEC §6)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isoprov.core.atomic import write_atomic
from isoprov.core.jsonout import plain_decimal
from isoprov.core.vietnamese import format_number
from isoprov.excel.cells import (
    GREY_FILL,
    GREY_FONT,
    GROUP_FILL,
    HEADER_FILL,
    INPUT_FILL,
    LINE_HEIGHT,
    POINTS_FORMAT,
    fit_row_heights,
    formula_string,
    print_landscape,
    put_formula,
    put_number,
    put_text,
    set_text_cell,
    sheet_ref,
    thin_border,
)
from isoprov.excel.form_layout import (
    COLUMN_LETTER,
    COLUMN_NUMBER,
    COLUMNS,
    CRITERIA_LABEL,
    CRITERIA_ROW,
    FINAL_COL,
    FIRST_LABEL_ROW,
    FORM_SHEET,
    FORM_VERSION,
    HEADER_ROW,
    HELP_ROW,
    KIND_COL,
    LABELS,
    META_FIRST_ROW,
    META_OPTIONS_COL,
    META_SHEET,
    NA_TEXT,
    POSSIBLE_COL,
    RATIO_COLUMNS,
    RATIO_LETTER,
    RATIO_NUMBER,
    SELF_COL,
    TITLE_ROW,
    criteria_fingerprint,
    criteria_rows,
    criterion_digest,
    put_form_note,
)
from isoprov.excel.formulas import band_formula, total_formula
from isoprov.scoring.criteria import CriteriaSet, Criterion

if TYPE_CHECKING:
    pass


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
    rows = criteria_rows(cs)
    first = HEADER_ROW + 1
    last = first + len(rows) - 1
    _form_top(ws, cs, {"code": agency_code, "name": agency_name, "level": level, "period": period})
    _form_header(ws)
    ratio = any(c.measure is not None for c in cs.leaves)
    if ratio:
        _ratio_header(ws)
    row_of = {c.id: first + k for k, (c, _) in enumerate(rows)}
    for k, (c, depth) in enumerate(rows):
        _form_row(ws, first + k, c, depth, row_of, level, ratio)
    tail = None
    if cs.uses_rules:
        from isoprov.excel.form_rules import rules_form_totals

        tail = rules_form_totals(ws, cs, first, last, row_of) - last
    else:
        _form_totals(ws, cs, first, last)
    _form_validations(ws, cs, rows, first, level, ratio)
    _form_layout(ws, first, last, ratio, tail)
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
            value.fill = PatternFill("solid", fgColor=INPUT_FILL)
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
        cell = put_text(ws, HEADER_ROW, COLUMN_NUMBER[key], text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = thin_border()
    for letter, text in ((KIND_COL, "kind"), (POSSIBLE_COL, "possible"), (SELF_COL, "self"), (FINAL_COL, "final")):
        put_text(ws, HEADER_ROW, _col_number(letter), text)


def _ratio_header(ws: Any) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for key, text in RATIO_COLUMNS.items():
        cell = put_text(ws, HEADER_ROW, RATIO_NUMBER[key], text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = thin_border()


def _col_number(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return int(column_index_from_string(letter))


def _applies_formula(c: Criterion) -> str:
    """An Excel condition: does this leaf apply to the level in the level cell?"""
    if c.levels is None:
        return "TRUE"
    level_cell = f"$B${FIRST_LABEL_ROW + list(LABELS).index('level')}"
    tests = ",".join(f'{level_cell}="{formula_string(v)}"' for v in c.levels)
    return f"OR({tests})" if tests else "FALSE"


def _form_row(
    ws: Any, row: int, c: Criterion, depth: int, row_of: dict[str, int], level: str | None, ratio: bool = False
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    border = thin_border()
    put_text(ws, row, COLUMN_NUMBER["id"], c.id)
    title = put_text(ws, row, COLUMN_NUMBER["title"], c.title)
    title.alignment = Alignment(wrap_text=True, vertical="top", indent=depth)
    guidance = _guidance(c)
    if guidance:
        put_text(ws, row, COLUMN_NUMBER["guidance"], guidance).alignment = Alignment(wrap_text=True, vertical="top")
    max_letter, self_letter, team_letter = COLUMN_LETTER["max"], COLUMN_LETTER["self"], COLUMN_LETTER["team"]
    if c.children:
        put_text(ws, row, _col_number(KIND_COL), "group")
        # What counts, as the totals count it: a leaf adds its helper cell (0 when it does not
        # apply to the level or is declared N/A), a nested group its own subtotal.
        for key, helper in (("max", POSSIBLE_COL), ("self", SELF_COL), ("team", FINAL_COL)):
            cells = ",".join(
                f"{COLUMN_LETTER[key] if ch.children else helper}{row_of[ch.id]}"
                for ch in c.children
                if ch.kind == "score"
            )
            # "General": the sum of what the agency typed, shown with the reader's decimal mark
            put_formula(ws, row, COLUMN_NUMBER[key], f"=SUM({cells})" if cells else "=0", fmt="General")
        for cell in ws[row][: len(COLUMNS)]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=GROUP_FILL)
            cell.border = border
            if cell.column != COLUMN_NUMBER["title"] and cell.column != COLUMN_NUMBER["guidance"]:
                cell.alignment = Alignment(vertical="top")
        return
    put_text(ws, row, _col_number(KIND_COL), c.kind)
    if c.kind == "condition":  # Đạt / Không đạt: no points, no helpers (SPEC §3b)
        pass
    elif c.measure is not None or c.per is not None:
        from isoprov.excel.form_rules import rule_helpers

        assert c.max is not None
        put_number(ws, row, COLUMN_NUMBER["max"], c.max)
        for letter, formula in rule_helpers(c, row, _applies_formula(c), ratio).items():
            put_formula(ws, row, _col_number(letter), formula)
    else:
        assert c.max is not None
        put_number(ws, row, COLUMN_NUMBER["max"], c.max)
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
    if ratio:
        from openpyxl.styles import PatternFill as Fill
        from openpyxl.styles import Protection as Lock

        for number in RATIO_NUMBER.values():
            cell = ws.cell(row=row, column=number)
            cell.border = border
            if c.measure is not None and not greyed:
                cell.protection = Lock(locked=False)
                cell.fill = Fill("solid", fgColor=INPUT_FILL)
    for key in COLUMNS:
        cell = ws.cell(row=row, column=COLUMN_NUMBER[key])
        cell.border = border
        if key in ("id", "max"):
            cell.alignment = Alignment(vertical="top")
        if key in ("self", "evidence", "note", "team"):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if not greyed:
                cell.protection = Protection(locked=False)
                cell.fill = PatternFill("solid", fgColor=INPUT_FILL)
        if greyed:
            cell.fill = PatternFill("solid", fgColor=GREY_FILL)
            cell.font = Font(color=GREY_FONT)
    if c.kind != "score":
        ws.cell(row=row, column=COLUMN_NUMBER["title"]).font = Font(italic=True, color=GREY_FONT if greyed else None)


def _guidance(c: Criterion) -> str:
    parts: list[str] = []
    if c.guidance:
        parts.append(c.guidance)
    if c.options:
        parts.append(
            "Mức điểm: "
            + "; ".join(f"{format_number(o.points)}" + (f" – {o.label}" if o.label else "") for o in c.options)
        )
    if c.kind != "score" or c.measure is not None or c.per is not None:
        from isoprov.excel.form_rules import rule_guidance

        parts.extend(rule_guidance(c))
    if c.kind == "bonus":
        parts.append("Điểm thưởng: cộng vào tổng điểm sau khi quy đổi.")
    elif c.kind == "penalty" and c.per is None and c.measure is None:
        parts.append("Điểm trừ: nhập số điểm bị trừ (0 đến tối đa); trừ khỏi tổng điểm sau khi quy đổi.")
    elif c.kind == "penalty":
        parts.append("Điểm trừ: trừ khỏi tổng điểm sau khi quy đổi.")
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
        cell = put_text(ws, row, COLUMN_NUMBER["title"], label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="right", wrap_text=True)
    put_formula(ws, possible_row, COLUMN_NUMBER["max"], "=" + sumif("score", POSSIBLE_COL), fmt="General")
    max_cell = f"${COLUMN_LETTER['max']}${possible_row}"
    for key, helper in (("self", SELF_COL), ("team", FINAL_COL)):
        letter = COLUMN_LETTER[key]
        put_formula(ws, earned_row, COLUMN_NUMBER[key], "=" + sumif("score", helper), fmt="General")
        formula = total_formula(
            f"{letter}{earned_row}", max_cell, sumif("bonus", helper), sumif("penalty", helper), cs.scale
        )
        put_formula(ws, total_row, COLUMN_NUMBER[key], formula, fmt=POINTS_FORMAT).font = Font(bold=True)
        put_formula(ws, band_row, COLUMN_NUMBER[key], band_formula(f"{letter}{total_row}", cs.bands)).font = Font(
            bold=True
        )
    put_form_note(
        ws,
        total_row + 2,
        "Điểm các dòng nhóm và dòng tổng để tham khảo khi điền, chỉ tính các tiêu chí áp dụng cho "
        "cấp của cơ quan; kết quả chính thức do isoprov score tính. Cột Điểm thẩm định ở dòng nhóm và "
        "dòng tổng: điểm cuối cùng (điểm thẩm định nếu có, nếu không là điểm tự chấm).",
        2,
    )


def _form_validations(
    ws: Any, cs: CriteriaSet, rows: Sequence[tuple[Criterion, int]], first: int, level: str | None, ratio: bool = False
) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    for k, (c, _) in enumerate(rows):
        if c.children or (level is not None and not c.applies_to(level)):
            continue
        row = first + k
        if c.kind == "condition" or c.measure is not None or c.per is not None:
            from isoprov.excel.form_rules import rule_validations

            for dv, ref in rule_validations(c, row, ratio):
                ws.add_data_validation(dv)
                dv.add(ref)
            if level is None and c.levels is not None:
                _grey_when_not_applicable(ws, c, row)
            continue
        if c.max is None:
            continue
        limit = plain_decimal(c.max)
        for key in ("self", "team"):
            ref = f"{COLUMN_LETTER[key]}{row}"
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
    return sheet_ref(META_SHEET, f"${first}${row}:${last}${row}")


def _grey_when_not_applicable(ws: Any, c: Criterion, row: int) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    level_cell = f"$B${FIRST_LABEL_ROW + list(LABELS).index('level')}"
    ws.conditional_formatting.add(
        f"A{row}:{COLUMN_LETTER['team']}{row}",
        FormulaRule(
            formula=[f'AND({level_cell}<>"",NOT({_applies_formula(c)}))'],
            fill=PatternFill("solid", bgColor=GREY_FILL),
            font=Font(color=GREY_FONT),
        ),
    )


def _form_layout(ws: Any, first: int, last: int, ratio: bool = False, tail: int | None = None) -> None:
    widths = {"A": 12, "B": 60, "C": 44, "D": 10, "E": 12, "F": 40, "G": 30, "H": 12}
    if ratio:
        widths.update(dict.fromkeys(RATIO_LETTER.values(), 12))
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    for letter in (KIND_COL, POSSIBLE_COL, SELF_COL, FINAL_COL):
        ws.column_dimensions[letter].hidden = True
    ws.row_dimensions[HEADER_ROW].height = 32
    fit_row_heights(ws, first, last + (7 if tail is None else tail))
    ws.freeze_panes = f"A{first}"
    bottom = last + (7 if tail is None else tail)
    ws.print_area = f"A1:{RATIO_LETTER['team_of'] if ratio else COLUMN_LETTER['team']}{bottom}"
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
