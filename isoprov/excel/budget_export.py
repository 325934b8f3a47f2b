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

SPEC §5b: a fraction stays a live division (``=15/26``); a percentage line computes
``=5/100*(H5+H6)`` from the cells of its items; with ``rounding`` each computed amount is wrapped
in ``ROUND(ROUND(…/step;9);0)*step`` (``ROUNDDOWN`` for ``down``; ``half-even`` rounds an exact half to the
even multiple), so the sheet recomputes the rounded figures the command counts.

openpyxl is imported inside the functions only: ``isoprov --help`` must not pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from decimal import Context, Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

from isoprov.budget.model import Rounding, exact_arithmetic
from isoprov.budget.results import BudgetReport, ItemResult, rules_summary
from isoprov.core.atomic import write_atomic
from isoprov.core.diagnostics import SEVERITY_LABEL
from isoprov.core.jsonout import plain_decimal
from isoprov.core.loading import PathKey, gc_paused
from isoprov.core.numbers import Figure, exact_decimal
from isoprov.core.vietnamese import to_unit, unit_factor
from isoprov.excel.cells import Look, SheetWriter, print_landscape, put_formula, put_number, put_text

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

#: Excel's limits on a formula: 8,192 characters and 255 arguments to a function.
MAX_FORMULA_CHARS = 8192
MAX_ARGUMENTS = 255


class _Styles:
    """Shared named styles, one per look (border, alignment, font, number format), registered
    once per workbook: setting a new style object on every cell made openpyxl hash it again for
    each cell (issue 16: 45 % of an export's time)."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.names: dict[tuple[str, str], str] = {}
        self.arrays: dict[tuple[str, str], Any] = {}
        self.looks: dict[str, Look] = {}
        self.rows: dict[int, list[Look]] = {}

    def name(self, look: str, fmt: str) -> str:
        key = (look, fmt)
        found = self.names.get(key)
        if found is None:
            from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

            thin = Side(style="thin")
            style = NamedStyle(name=f"isoprov-{len(self.names)}", number_format=fmt)
            style.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if look == "tt":
                style.alignment = Alignment(horizontal="center", vertical="top")
            elif look.startswith("name"):
                depth = int(look[4:])
                style.alignment = Alignment(wrap_text=True, indent=2 * depth, vertical="top")
                if depth:
                    style.font = Font(italic=True)
            elif look == "note":
                style.alignment = Alignment(wrap_text=True, vertical="top")
            self.wb.add_named_style(style)
            found = self.names[key] = style.name
        return found

    def look(self, look: str) -> Look:
        """The named style ``look`` (with the cell's number format) as a :class:`Look`.

        A named style is set as openpyxl's own ``cell.style = name`` sets it (a copy of the style's
        index array), without its lookup of every style name for every cell; a
        :class:`~isoprov.excel.cells.SheetWriter` then copies the result to every later cell with
        the same look, number format and quote prefix."""
        found = self.looks.get(look)
        if found is None:

            def change(cell: Any) -> None:
                quoted = cell.quotePrefix  # user text that starts like a formula stays marked as text
                cell._style = copy(self.array(look, cell.number_format))
                if quoted:
                    cell.quotePrefix = True

            found = self.looks[look] = Look(("named", look), (change,))
        return found

    def row_looks(self, depth: int) -> list[Look]:
        """The looks of an item row's cells by column (index 0 unused): bordered, TT centred,
        names indented by depth; the note column's look when it holds a note is :attr:`note`."""
        found = self.rows.get(depth)
        if found is None:
            tt = self.look("tt" if depth == 0 else "cell")
            found = self.rows[depth] = [tt, tt, self.look(f"name{depth}")] + [self.look("cell")] * 7
        return found

    @property
    def note(self) -> Look:
        return self.look("note")

    def array(self, look: str, fmt: str) -> Any:
        key = (look, fmt)
        found = self.arrays.get(key)
        if found is None:
            name = self.name(look, fmt)
            found = self.arrays[key] = self.wb._named_styles[name].as_tuple()
        return found


def write_budget_xlsx(reports: Sequence[BudgetReport], target: Path) -> None:
    """Write one sheet per budget to ``target`` atomically.

    Speed: the cyclic collector is paused while the workbook is built and saved. Each of its
    hundreds of thousands of cells would otherwise trigger collections that walk every object
    alive (the checked budgets, the workbook so far) and free nothing: the workbook lives until
    it is saved, and what else is made here is freed by reference counting.
    """
    with gc_paused():
        _write_budget_xlsx(reports, target)


def _write_budget_xlsx(reports: Sequence[BudgetReport], target: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    used: set[str] = set()
    styles = _Styles(wb)
    for report in reports:
        ws = wb.create_sheet(_sheet_title(report, used))
        with exact_arithmetic():  # the products and sums written beside the formulas
            _fill_sheet(ws, report, styles)
    write_atomic(Path(target), lambda tmp: wb.save(tmp))


def _sheet_title(report: BudgetReport, used: set[str]) -> str:
    base = "".join("_" if c in _SHEET_FORBIDDEN else c for c in Path(report.file).stem)[:28] or "Dự toán"
    title, n = base, 2
    while title.lower() in used:
        title = f"{base[:26]}-{n}"
        n += 1
    used.add(title.lower())
    return title


def _fill_sheet(ws: Any, report: BudgetReport, styles: _Styles) -> None:
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
    row_by_path = {r.path: FIRST_ROW + k for k, r in enumerate(rows)}
    w = SheetWriter(ws)
    in_unit = _InUnit(report)
    for r in rows:
        _item_row(w, in_unit, styles, r, row_of, row_by_path)
    last = FIRST_ROW + len(rows) - 1

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
        if declared:  # without one declared amount the cell stays empty: a 0 there read as a
            # declared total of 0 (and the mark below coloured the computed total as differing)
            declared_sum = report.in_unit(sum(declared, Decimal(0)))
            formula = total_formula(DECLARED, top_rows, last)
            put_formula(ws, total_row, _col(DECLARED), formula, declared_sum).font = Font(bold=True)
    formula = total_formula(COMPUTED, top_rows, last)
    put_formula(ws, total_row, _col(COMPUTED), formula, report.total).font = Font(bold=True)
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
    for line in rules_summary(report):  # rounding, derived caps with their sources (SPEC §5b)
        put_text(ws, below, 2, line.strip())
        below += 1
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
            children = sum_formula(COMPUTED, [row_of[id(c)] for c in r.children])
            ws.conditional_formatting.add(
                own,
                FormulaRule(
                    formula=[f"ROUND({own}-{children},9)<>0"],
                    font=red,
                    fill=PatternFill("solid", bgColor="FCE4E4"),
                ),
            )
    ws.freeze_panes = f"A{FIRST_ROW}"
    print_landscape(ws, HEADER_ROW)


def _col(letter: str) -> int:
    return "ABCDEFGHI".index(letter) + 1


def computed_formula(
    r: ItemResult,
    n: int,
    row_of: dict[int, int],
    row_by_path: dict[PathKey, int] | None = None,
    rounding: tuple[Rounding, Decimal] | None = None,
) -> str:
    """The "tính lại" formula of row ``n``: it evaluates to ``r.value_vnd``, the amount the
    command counts. A rate item multiplies its quantity, rate and multipliers (whichever are
    given, as :class:`~isoprov.budget.checks._Checker` does); a percentage line takes its share of
    the rows of its ``of`` items (``row_by_path``); both are rounded as ``rounding`` (the rule and
    its step in the budget's unit) says. A lump sum counts its declared amount, or without one
    the sum of its sub-items."""
    item = r.item
    body = None
    if item.rate is not None:
        factors = [f"{RATE}{n}"]
        if item.quantity is not None:
            factors.insert(0, f"{QTY}{n}")
        if item.times:
            factors.append(f"{TIMES}{n}")
        body = "*".join(factors)
    elif item.percent is not None and row_by_path is not None:
        targets = [f"{COMPUTED}{row_by_path[p]}" for p in r.of_paths]
        body = f"{_figure_text(item.percent)}/100*({'+'.join(targets)})"
    if body is not None:
        return "=" + (_rounded(body, *rounding) if rounding is not None else body)
    if r.declared_vnd is not None:
        return f"={DECLARED}{n}"
    if r.children:
        return "=" + sum_formula(COMPUTED, [row_of[id(c)] for c in r.children])
    return "=0"


def sum_formula(column: str, rows: Sequence[int]) -> str:
    """``SUM`` of ``column`` at ``rows`` within Excel's limits: each cell named (``SUM(H5,H7)``)
    while that fits, else consecutive rows as ranges (``SUM(H5:H9,H12)``), else nested sums of at
    most 255 arguments each."""
    plain = f"SUM({','.join(f'{column}{n}' for n in rows)})"
    if len(rows) <= MAX_ARGUMENTS and len(plain) < MAX_FORMULA_CHARS:
        return plain
    pieces: list[str] = []
    start = prev = rows[0]
    for n in [*rows[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        pieces.append(f"{column}{start}" if start == prev else f"{column}{start}:{column}{prev}")
        if n is not None:
            start = prev = n
    while len(pieces) > MAX_ARGUMENTS:
        pieces = [f"SUM({','.join(pieces[i : i + MAX_ARGUMENTS])})" for i in range(0, len(pieces), MAX_ARGUMENTS)]
    return f"SUM({','.join(pieces)})"


def total_formula(column: str, top_rows: Sequence[int], last: int) -> str:
    """The total of the top-level rows; when :func:`sum_formula` would pass Excel's length limit
    (thousands of items scattered between sub-items), the rows whose TT column is filled (the
    top-level ones): ``SUMIF(A5:A10004,"<>",H5:H10004)``."""
    formula = "=" + sum_formula(column, top_rows)
    if len(formula) < MAX_FORMULA_CHARS:
        return formula
    return f'=SUMIF(A{FIRST_ROW}:A{last},"<>",{column}{FIRST_ROW}:{column}{last})'


def _rounded(body: str, rounding: Rounding, step: Decimal) -> str:
    """``body`` rounded to a multiple of ``step`` as the command rounds it. The count of steps is
    first rounded to 9 decimals: the sheet computes in binary floating point, where 1,0025 triệu
    over a step of 0,001 is 1002.4999999999999, and must round it as the exact 1002.5."""
    q = plain_decimal(step)
    y = f"ROUND(({body})/{q},9)"
    if rounding.mode == "down":
        return f"ROUNDDOWN({y},0)*{q}"
    if rounding.mode == "half-even":
        return f"IF(MOD({y},1)=0.5,2*ROUND({y}/2,0),ROUND({y},0))*{q}"
    return f"ROUND({y},0)*{q}"


def _figure_text(value: Figure) -> str:
    """A figure as a formula term: ``2.5``, ``15/26``."""
    if isinstance(value, Fraction):
        exact = exact_decimal(value)
        return plain_decimal(exact) if exact is not None else f"{value.numerator}/{value.denominator}"
    return plain_decimal(value)


def _figure_value(value: Figure) -> Decimal:
    """A figure as a cell value; a fraction without a finite decimal to 28 digits (the cell keeps
    the formula: the value only picks the format)."""
    if isinstance(value, Fraction):
        exact = exact_decimal(value)
        if exact is not None:
            return exact
        with localcontext(Context(prec=28)):
            return Decimal(value.numerator) / Decimal(value.denominator)
    return value


class _InUnit:
    """``report.in_unit`` of each amount once: items repeat their rates and amounts."""

    def __init__(self, report: BudgetReport) -> None:
        self.report = report
        self.unit = report.unit
        self.known: dict[Decimal, Decimal] = {}

    def __call__(self, vnd: Decimal) -> Decimal:
        found = self.known.get(vnd)
        if found is None:  # equal amounts give equal figures (written through cells.exact)
            found = self.known[vnd] = self.report.in_unit(vnd)
        return found


def _item_row(
    w: SheetWriter,
    in_unit: _InUnit,
    styles: _Styles,
    r: ItemResult,
    row_of: dict[int, int],
    row_by_path: dict[PathKey, int],
) -> None:
    """An item row: its cells, each written with its look (every column, empty ones too)."""
    n = row_of[id(r)]
    item = r.item
    report = in_unit.report
    looks = styles.row_looks(r.depth)
    written: set[int] = set()

    def text(column: int, value: object) -> None:
        w.text(n, column, value, looks[column])
        written.add(column)

    def number(column: int, value: Decimal, fmt: str | None = None) -> None:
        w.number(n, column, value, looks[column], fmt=fmt)
        written.add(column)

    def formula(column: int, formula: str, value: Decimal) -> None:
        w.formula(n, column, formula, value, looks[column])
        written.add(column)

    if r.depth == 0:
        text(1, f"{r.number}.")
    text(2, item.name)
    if item.unit:
        text(3, item.unit)
    if isinstance(item.quantity, Fraction):
        formula(_col(QTY), f"={_figure_text(item.quantity)}", _figure_value(item.quantity))
    elif item.quantity is not None:
        number(_col(QTY), item.quantity)
    if item.rate is not None and item.rate.ratio is not None:  # "15/26 triệu đồng": a live division
        ratio = item.rate.ratio / Fraction(unit_factor(report.unit))
        formula(_col(RATE), f"={_figure_text(ratio)}", _figure_value(ratio))
    elif item.rate is not None:
        number(_col(RATE), in_unit(item.rate.to_vnd(in_unit.unit)))
    if any(isinstance(m.value, Fraction) for m in item.times):
        formula(
            _col(TIMES), "=" + "*".join(_figure_text(m.value) for m in item.times), _figure_value(item.times[0].value)
        )
    elif item.times:
        product = Decimal(1)
        for m in item.times:
            product *= _figure_value(m.value)
        number(_col(TIMES), product)
    if item.percent is not None:
        number(_col(RATE), _figure_value(item.percent), fmt='0.####" %"')
    if r.declared_vnd is not None:
        number(_col(DECLARED), in_unit(r.declared_vnd))
    rounding = report.budget.rounding
    step = (rounding, to_unit(rounding.to.to_vnd(report.unit), report.unit)) if rounding is not None else None
    formula(_col(COMPUTED), computed_formula(r, n, row_of, row_by_path, step), in_unit(r.value_vnd))
    notes = [item.formula(in_unit.unit)] if item.rate is not None else []
    if r.basis:
        notes.append(r.basis)
    if item.note:
        notes.append(item.note)
    if r.mismatch:
        notes.append("✗ thành tiền kê khai khác thành tiền tính lại")
    if notes:
        w.text(n, 9, "; ".join(notes), styles.note)
        written.add(9)
    for column in range(1, len(HEADERS) + 1):
        if column not in written:
            w.empty(n, column, looks[column])
