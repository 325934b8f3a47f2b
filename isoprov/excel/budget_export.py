"""``isoprov budget check --xlsx``: budgets as Excel sheets with live formulas.

One sheet per budget, laid out like the appendix of a plan: TT, nội dung, đơn vị, số lượng,
định mức, hệ số nhân, thành tiền kê khai, thành tiền tính lại, diễn giải. The recomputed amount
is a formula that computes exactly what ``budget check`` counts (SPEC §5): ``=D5*E5*F5`` for an
item with a rate, the declared amount (``=G7``) for a lump sum that declares one, even when its
breakdown adds up to something else, the sum of its sub-items for a lump sum that declares none;
the total row sums the items, beside the declared ``total`` (or, without one, the sum of the
declared amounts). A user who changes a quantity or rate in Excel or LibreOffice sees
every total follow. Conditional formats mark a recomputed amount that differs from the declared
one, and a lump sum whose declared amount differs from the sum of its sub-items.

openpyxl is imported inside the functions only: ``isoprov --help`` must not pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from isoprov.budget.model import exact_arithmetic
from isoprov.budget.results import BudgetReport, ItemResult
from isoprov.core.atomic import write_atomic
from isoprov.core.diagnostics import SEVERITY_LABEL
from isoprov.excel.cells import print_landscape, put_formula, put_number, put_text

HEADERS = (
    "TT",
    "Nội dung",
    "Đơn vị",
    "Số lượng",
    "Định mức",
    "Hệ số nhân",
    "Thành tiền (kê khai)",
    "Thành tiền (tính lại)",
    "Diễn giải, ghi chú",
)
WIDTHS = (6, 60, 10, 10, 12, 10, 16, 16, 48)
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
# Column letters of the figures, fixed by HEADERS.
QTY, RATE, TIMES, DECLARED, COMPUTED = "D", "E", "F", "G", "H"

_SHEET_FORBIDDEN = set("[]:*?/\\")


def write_budget_xlsx(reports: Sequence[BudgetReport], target: Path) -> None:
    """Write one sheet per budget to ``target`` atomically."""
    from openpyxl import Workbook

    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    used: set[str] = set()
    for report in reports:
        ws = wb.create_sheet(_sheet_title(report, used))
        with exact_arithmetic():  # the products and sums written beside the formulas
            _fill_sheet(ws, report)
    write_atomic(Path(target), lambda tmp: wb.save(tmp))


def _sheet_title(report: BudgetReport, used: set[str]) -> str:
    base = "".join("_" if c in _SHEET_FORBIDDEN else c for c in Path(report.file).stem)[:28] or "Dự toán"
    title, n = base, 2
    while title.lower() in used:
        title = f"{base[:26]}-{n}"
        n += 1
    used.add(title.lower())
    return title


def _fill_sheet(ws: Any, report: BudgetReport) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    last_col = get_column_letter(len(HEADERS))
    ws.merge_cells(f"A1:{last_col}1")
    put_text(ws, 1, 1, report.budget.title.upper()).font = Font(bold=True, size=13)
    ws["A1"].alignment = Alignment(horizontal="center", wrap_text=True)
    ws.merge_cells(f"A2:{last_col}2")
    put_text(ws, 2, 1, f"Đơn vị tính: {report.unit}").font = Font(italic=True)
    ws["A2"].alignment = Alignment(horizontal="right")

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = put_text(ws, HEADER_ROW, col, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = border
        ws.column_dimensions[get_column_letter(col)].width = width

    rows = list(report.rows())
    row_of = {id(r): FIRST_ROW + k for k, r in enumerate(rows)}
    for r in rows:
        _item_row(ws, report, r, row_of)
    last = FIRST_ROW + len(rows) - 1
    for row in ws.iter_rows(min_row=FIRST_ROW, max_row=last, max_col=len(HEADERS)):
        for cell in row:
            cell.border = border

    total_row = last + 1
    top_rows = [row_of[id(r)] for r in report.items]
    put_text(ws, total_row, 2, "Tổng cộng").font = Font(bold=True)
    declared_total = report.budget.total
    if declared_total is not None:
        # the total the file declares (`total:`), as the command's table shows it; the
        # conditional format below marks the computed total red when the two differ (BUD003)
        value = report.in_unit(declared_total.to_vnd(report.unit))
        put_number(ws, total_row, _col(DECLARED), value).font = Font(bold=True)
    else:
        declared = [r.declared_vnd for r in report.items if r.declared_vnd is not None]
        declared_sum = report.in_unit(sum(declared, Decimal(0)))
        cells = ",".join(f"{DECLARED}{n}" for n in top_rows)
        put_formula(ws, total_row, _col(DECLARED), f"=SUM({cells})", declared_sum).font = Font(bold=True)
    cells = ",".join(f"{COMPUTED}{n}" for n in top_rows)
    put_formula(ws, total_row, _col(COMPUTED), f"=SUM({cells})", report.total).font = Font(bold=True)
    for cell in ws[total_row][: len(HEADERS)]:
        cell.border = border
        cell.fill = PatternFill("solid", fgColor="F2F2F2")

    below = total_row + 1
    allocated = report.budget.allocated
    if allocated is not None:
        allocated_value = report.in_unit(allocated.to_vnd(report.unit))
        put_text(ws, below, 2, "Kinh phí được giao")
        put_number(ws, below, _col(COMPUTED), allocated_value)
        put_text(ws, below + 1, 2, "Còn lại (kinh phí được giao − tổng cộng)")
        put_formula(
            ws, below + 1, _col(COMPUTED), f"={COMPUTED}{below}-{COMPUTED}{total_row}", allocated_value - report.total
        )
        below += 2
    words = report.total_in_words or "(không viết được bằng chữ: tổng không phải số nguyên đồng)"
    ws.merge_cells(f"A{below}:{last_col}{below}")
    put_text(ws, below, 1, f"(Bằng chữ: {words})").font = Font(italic=True)
    ws.cell(row=below, column=1).alignment = Alignment(horizontal="center")

    if report.findings:
        put_text(ws, below + 2, 2, "Kết quả kiểm tra").font = Font(bold=True)
        for k, f in enumerate(report.findings, start=below + 3):
            put_text(ws, k, 1, f.code)
            put_text(ws, k, 2, f"dòng {f.line}: {SEVERITY_LABEL[f.severity]}: {f.message}")

    # Live mismatch marks: red when the recomputed amount differs from the declared one. Excel
    # computes in binary floating point (122 × 0,02 × 10 ≠ 24,4 exactly), hence the ROUND.
    red = Font(color="C00000", bold=True)
    ws.conditional_formatting.add(
        f"{COMPUTED}{FIRST_ROW}:{COMPUTED}{total_row}",
        FormulaRule(
            formula=[f"AND(ISNUMBER({DECLARED}{FIRST_ROW}),ROUND({DECLARED}{FIRST_ROW}-{COMPUTED}{FIRST_ROW},9)<>0)"],
            font=red,
            fill=PatternFill("solid", bgColor="FCE4E4"),
        ),
    )
    # ... and when an item's amount (declared, else recomputed) differs from the sum of its
    # sub-items (BUD002): a lump sum counts its declared amount, so this mark is the live check.
    for r in rows:
        if r.children:
            n = row_of[id(r)]
            own = f"{DECLARED if r.declared_vnd is not None else COMPUTED}{n}"
            children = ",".join(f"{COMPUTED}{row_of[id(c)]}" for c in r.children)
            ws.conditional_formatting.add(
                own,
                FormulaRule(
                    formula=[f"ROUND({own}-SUM({children}),9)<>0"],
                    font=red,
                    fill=PatternFill("solid", bgColor="FCE4E4"),
                ),
            )
    ws.freeze_panes = f"A{FIRST_ROW}"
    print_landscape(ws, HEADER_ROW)


def _col(letter: str) -> int:
    return "ABCDEFGHI".index(letter) + 1


def computed_formula(r: ItemResult, n: int, row_of: dict[int, int]) -> str:
    """The "tính lại" formula of row ``n``: it evaluates to ``r.value_vnd``, the amount the
    command counts. A rate item multiplies its quantity, rate and multipliers (whichever are
    given, as :class:`~isoprov.budget._Checker` does); a lump sum counts its declared amount, or
    without one the sum of its sub-items."""
    item = r.item
    if item.rate is not None:
        factors = [f"{RATE}{n}"]
        if item.quantity is not None:
            factors.insert(0, f"{QTY}{n}")
        if item.times:
            factors.append(f"{TIMES}{n}")
        return "=" + "*".join(factors)
    if r.declared_vnd is not None:
        return f"={DECLARED}{n}"
    if r.children:
        return "=SUM(" + ",".join(f"{COMPUTED}{row_of[id(c)]}" for c in r.children) + ")"
    return "=0"


def _item_row(ws: Any, report: BudgetReport, r: ItemResult, row_of: dict[int, int]) -> None:
    from openpyxl.styles import Alignment, Font

    n = row_of[id(r)]
    item = r.item
    if r.depth == 0:
        put_text(ws, n, 1, f"{r.number}.").alignment = Alignment(horizontal="center", vertical="top")
    name = put_text(ws, n, 2, item.name)
    name.alignment = Alignment(wrap_text=True, indent=2 * r.depth, vertical="top")
    if r.depth:
        name.font = Font(italic=True)
    if item.unit:
        put_text(ws, n, 3, item.unit)
    if item.quantity is not None:
        put_number(ws, n, _col(QTY), item.quantity)
    if item.rate is not None:
        rate = report.in_unit(item.rate.to_vnd(report.unit))
        put_number(ws, n, _col(RATE), rate)
    if item.times:
        product = Decimal(1)
        for m in item.times:
            product *= m.value
        put_number(ws, n, _col(TIMES), product)
    if r.declared_vnd is not None:
        put_number(ws, n, _col(DECLARED), report.in_unit(r.declared_vnd))
    put_formula(ws, n, _col(COMPUTED), computed_formula(r, n, row_of), report.in_unit(r.value_vnd))
    notes = [item.formula(report.unit)] if item.rate is not None else []
    if item.note:
        notes.append(item.note)
    if r.mismatch:
        notes.append("✗ thành tiền kê khai khác thành tiền tính lại")
    if notes:
        put_text(ws, n, 9, "; ".join(notes)).alignment = Alignment(wrap_text=True, vertical="top")
