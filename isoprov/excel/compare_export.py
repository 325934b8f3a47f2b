"""``isoprov compare --xlsx``: the comparison of two sides as a workbook, with a chart of the change.

Sheets: ``So sánh`` (one row per agency on both sides: each side's total, band and rank, the
change as a formula, a bar chart of the change), ``Tiêu chí thay đổi`` (every criterion that
changed, per agency), ``Chỉ có một kỳ`` (agencies and criterion ids on one side only) and ``Lỗi``
(problems found while scoring). Numbers are real numbers with Vietnamese-style formats; user
text is never a formula (:mod:`isoprov.excel.cells`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from isoprov.core.atomic import write_atomic
from isoprov.core.diagnostics import Diagnostic
from isoprov.excel.cells import (
    POINTS_FORMAT,
    fit_columns,
    print_landscape,
    put_formula,
    put_number,
    put_text,
)
from isoprov.scoring.compare import Comparison
from isoprov.scoring.criteria import level_name

SUMMARY_SHEET = "So sánh"
CRITERIA_SHEET = "Tiêu chí thay đổi"
ONE_SIDE_SHEET = "Chỉ có một kỳ"
PROBLEMS_SHEET = "Lỗi"
HEADER_ROW = 4
#: A signed change: +2,50 / -1,25 / 0,00 (shown with the reader's locale marks).
SIGNED_FORMAT = "+#,##0.00;-#,##0.00;0.00"
_HEADER_FILL = "DDEBF7"


def summary_headers(old: str, new: str) -> list[str]:
    return [
        "Mã",
        "Cơ quan",
        "Cấp",
        f"Điểm {old}",
        f"Xếp loại {old}",
        f"Hạng {old}",
        f"Điểm {new}",
        f"Xếp loại {new}",
        f"Hạng {new}",
        "Thay đổi",
        "Ghi chú",
    ]


def write_compare_export(c: Comparison, diagnostics: Sequence[Diagnostic], target: Path) -> None:
    """Write the workbook atomically (an existing file is replaced only when the new one is complete)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SUMMARY_SHEET
    _summary_sheet(ws, c)
    _criteria_sheet(wb.create_sheet(CRITERIA_SHEET), c)
    if c.only_old or c.only_new or c.criteria_only_old or c.criteria_only_new:
        _one_side_sheet(wb.create_sheet(ONE_SIDE_SHEET), c)
    if diagnostics:
        _problems_sheet(wb.create_sheet(PROBLEMS_SHEET), diagnostics)
    wb.properties.title = f"So sánh kết quả chấm điểm {c.old_label} và {c.new_label}"
    wb.properties.creator = "isoprov"
    write_atomic(Path(target), lambda tmp: wb.save(tmp))


def _title(ws: Any, title: str, subtitle: str) -> None:
    """Title rows, not merged: the text runs on over the empty cells to its right (column A keeps
    a fixed width, not the title's)."""
    from openpyxl.styles import Font

    put_text(ws, 1, 1, title).font = Font(bold=True, size=13)
    if subtitle:
        put_text(ws, 2, 1, subtitle).font = Font(italic=True)


def _header(ws: Any, row: int, headers: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for column, text in enumerate(headers, start=1):
        cell = put_text(ws, row, column, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _note(renamed: bool, old_name: str, level_changed: bool, old_level: str, old: str) -> str:
    notes = []
    if renamed:
        notes.append(f"{old}: {old_name}")
    if level_changed:
        notes.append(f"{old}: {level_name(old_level).lower()}")
    return "; ".join(notes)


def _summary_sheet(ws: Any, c: Comparison) -> None:
    from openpyxl.chart import BarChart, Reference

    old, new = c.old_label, c.new_label
    subtitle = (
        f"Cơ quan có kết quả ở cả hai kỳ, khớp theo mã. Điểm, xếp loại, hạng theo bộ tiêu chí của từng kỳ "
        f"({', '.join(c.old_sets)} / {', '.join(c.new_sets)}); Thay đổi = Điểm {new} − Điểm {old}."
    )
    _title(ws, f"SO SÁNH KẾT QUẢ CHẤM ĐIỂM {old.upper()} VÀ {new.upper()}", subtitle)
    headers = summary_headers(old, new)
    _header(ws, HEADER_ROW, headers)
    row = HEADER_ROW
    for row, a in enumerate(c.agencies, start=HEADER_ROW + 1):
        put_text(ws, row, 1, a.code)
        put_text(ws, row, 2, a.name)
        put_text(ws, row, 3, level_name(a.level))
        put_number(ws, row, 4, a.old.total, fmt=POINTS_FORMAT)
        put_text(ws, row, 5, a.old.band)
        if a.old.rank is not None:
            put_number(ws, row, 6, Decimal(a.old.rank), fmt="0")
        put_number(ws, row, 7, a.new.total, fmt=POINTS_FORMAT)
        put_text(ws, row, 8, a.new.band)
        if a.new.rank is not None:
            put_number(ws, row, 9, Decimal(a.new.rank), fmt="0")
        put_formula(ws, row, 10, f"=G{row}-D{row}", fmt=SIGNED_FORMAT)
        note = _note(a.renamed, a.old.name, a.level_changed, a.old.level, old)
        if note:
            put_text(ws, row, 11, note)
    if not c.agencies:
        put_text(ws, HEADER_ROW + 1, 2, "Không có cơ quan nào có kết quả ở cả hai kỳ để so sánh.")
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    fit_columns(ws, maximum=60, fixed={"A": 14, "D": 11, "F": 8, "G": 11, "I": 8, "J": 11})
    print_landscape(ws, HEADER_ROW)
    if not c.agencies:
        return
    ws.auto_filter.ref = f"A{HEADER_ROW}:K{row}"
    chart = BarChart()
    chart.type = "bar"  # horizontal bars: long agency names stay readable on the axis
    chart.style = 10
    chart.title = f"Thay đổi tổng điểm {old} → {new}"
    chart.x_axis.title = "Cơ quan"
    chart.y_axis.title = "Điểm"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # first agency at the top, as in the table
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblPos = "low"  # names left of the axis, clear of the bars that go below zero
    chart.add_data(Reference(ws, min_col=10, min_row=HEADER_ROW, max_row=row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=HEADER_ROW + 1, max_row=row))
    chart.y_axis.number_format = "+0;-0;0"
    chart.legend = None
    chart.height = max(7.5, 0.8 * len(c.agencies) + 3)
    chart.width = 24
    ws.add_chart(chart, f"B{row + 3}")  # below the table: printed with it


def _criteria_sheet(ws: Any, c: Comparison) -> None:
    old, new = c.old_label, c.new_label
    _title(
        ws,
        "CÁC TIÊU CHÍ THAY ĐỔI ĐIỂM",
        f"Tiêu chí khớp theo mã; điểm cuối cùng (sau thẩm định) của tiêu chí áp dụng; "
        f"Thay đổi = {new} − {old} (điểm trừ: {old} − {new}, ít điểm trừ hơn là tăng).",
    )
    _header(ws, HEADER_ROW, ["Mã cơ quan", "Cơ quan", "Mã tiêu chí", "Tiêu chí", old, new, "Thay đổi"])
    row = HEADER_ROW
    for a in c.agencies:
        for x in a.criteria:
            row += 1
            put_text(ws, row, 1, a.code)
            put_text(ws, row, 2, a.name)
            put_text(ws, row, 3, x.id)
            put_text(ws, row, 4, x.title)
            for column, value in ((5, x.old), (6, x.new)):
                if value is None:
                    put_text(ws, row, column, "Không áp dụng")
                else:
                    put_number(ws, row, column, value)
            if x.old is None or x.new is None:
                put_number(ws, row, 7, x.change, fmt=SIGNED_FORMAT)
            else:
                formula = f"=E{row}-F{row}" if x.kind == "penalty" else f"=F{row}-E{row}"
                put_formula(ws, row, 7, formula, fmt=SIGNED_FORMAT)
    if row == HEADER_ROW:
        put_text(ws, row + 1, 2, "Không tiêu chí nào thay đổi điểm.")
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    fit_columns(ws, maximum=70, fixed={"A": 14, "E": 9, "F": 9, "G": 11})
    print_landscape(ws, HEADER_ROW)


def _one_side_sheet(ws: Any, c: Comparison) -> None:
    old, new = c.old_label, c.new_label
    _title(ws, "CHỈ CÓ Ở MỘT KỲ", "Cơ quan và tiêu chí không có ở kỳ kia (khớp theo mã).")
    _header(ws, HEADER_ROW, ["Có ở", "Mã", "Tên", "Cấp", "Điểm", "Xếp loại", "Hạng"])
    row = HEADER_ROW
    for side, results in ((old, c.only_old), (new, c.only_new)):
        for r in results:
            row += 1
            put_text(ws, row, 1, f"Chỉ {side}")
            put_text(ws, row, 2, r.agency_code)
            put_text(ws, row, 3, r.agency_name)
            put_text(ws, row, 4, level_name(r.level))
            put_number(ws, row, 5, r.total, fmt=POINTS_FORMAT)
            put_text(ws, row, 6, r.band)
            if r.rank is not None:
                put_number(ws, row, 7, Decimal(r.rank), fmt="0")
    for side, ids in ((old, c.criteria_only_old), (new, c.criteria_only_new)):
        for x in ids:
            row += 1
            put_text(ws, row, 1, f"Tiêu chí chỉ {side}")
            put_text(ws, row, 2, x.id)
            put_text(ws, row, 3, x.title)
    fit_columns(ws, maximum=70, fixed={"A": 18})
    print_landscape(ws, HEADER_ROW)


def _problems_sheet(ws: Any, diagnostics: Sequence[Diagnostic]) -> None:
    _title(ws, "LỖI VÀ CẢNH BÁO KHI CHẤM ĐIỂM", "")
    _header(ws, HEADER_ROW, ["Tệp", "Dòng", "Mức", "Nội dung"])
    for row, d in enumerate(diagnostics, start=HEADER_ROW + 1):
        put_text(ws, row, 1, d.file)
        if d.line is not None:
            put_number(ws, row, 2, Decimal(d.line), fmt="0")
        put_text(ws, row, 3, "lỗi" if d.is_error else "cảnh báo")
        put_text(ws, row, 4, d.text())
    fit_columns(ws, maximum=100, fixed={"A": 40})
