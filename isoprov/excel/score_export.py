"""The score export (``isoprov score --xlsx``): a summary with a bar chart, a sheet per level
with totals, bands and ranks by formula, the missing agencies and the problems found."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isoprov.core.atomic import write_atomic
from isoprov.core.diagnostics import SEVERITY_LABEL, Diagnostic
from isoprov.core.jsonout import plain_decimal
from isoprov.core.loading import gc_paused
from isoprov.core.vietnamese import format_number
from isoprov.excel.cells import (
    GROUP_FILL,
    HEADER_FILL,
    POINTS_FORMAT,
    Look,
    SheetWriter,
    column_letter,
    fit_columns,
    fit_row_heights,
    merge_apart,
    print_landscape,
    put_text,
    sheet_ref,
    thin_border,
)
from isoprov.excel.form_layout import NA_TEXT
from isoprov.excel.formulas import band_formula, total_formula
from isoprov.excel.rule_formulas import tie_break_rank
from isoprov.scoring.criteria import CriteriaSet, Criterion, level_name

if TYPE_CHECKING:
    from isoprov.scoring.batch import Batch
    from isoprov.scoring.catalog import Catalog
    from isoprov.scoring.rules import Result


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
    with gc_paused():  # see write_budget_xlsx
        _write_score_export(batch, target, catalog)


def _write_score_export(batch: Batch, target: Path, catalog: Catalog | None) -> None:
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
    #: The unrounded total and the group keys of the set's ``ranking.tie_break`` (SPEC §3b).
    tie_keys: tuple[str, ...] = ()


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
    if cs.uses_rules:
        from isoprov.scoring.explain import total_arithmetic

        return (
            total_arithmetic(r, cs, final=True)[1] == r.total
            and total_arithmetic(r, cs, final=False)[1] == r.self_total
        )
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


def _title_rows(ws: Any, title: str, subtitle: str) -> None:
    from openpyxl.styles import Alignment, Font

    # Not merged: the text runs on over the empty cells to its right, whatever their widths.
    cell = put_text(ws, 1, 1, title)
    cell.font = Font(bold=True, size=13)
    cell.alignment = Alignment(horizontal="left")
    if subtitle:
        put_text(ws, 2, 1, subtitle).font = Font(italic=True)


def _header_row(w: SheetWriter, row: int, headers: Sequence[str], first: int = 1) -> None:
    for column, text in enumerate(headers, start=first):
        w.text(row, column, text, HEADER)


# The styles of the exports' cells, each a Look of excel.cells: one key, one change.


def _header_style(cell: Any) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.border = thin_border()


def _center(cell: Any) -> None:
    from openpyxl.styles import Alignment

    cell.alignment = Alignment(horizontal="center")


def _bold(cell: Any) -> None:
    from openpyxl.styles import Font

    cell.font = Font(bold=True)


def _border(cell: Any) -> None:
    cell.border = thin_border()


def _border_top(cell: Any) -> None:
    cell.border = thin_border()
    _top(cell)


def _label(cell: Any) -> None:
    """A total row's label: bold, right-aligned, wrapped."""
    from openpyxl.styles import Alignment, Font

    cell.font = Font(bold=True)
    cell.alignment = Alignment(horizontal="right", wrap_text=True)


def _group(cell: Any) -> None:
    from openpyxl.styles import Font, PatternFill

    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor=GROUP_FILL)


def _na(cell: Any) -> None:
    from openpyxl.styles import Alignment

    cell.alignment = Alignment(horizontal="center", wrap_text=True)


def _wrap_top(cell: Any) -> None:
    from openpyxl.styles import Alignment

    cell.alignment = Alignment(wrap_text=True, vertical="top")


HEADER = Look("header", (_header_style,))
CENTER = Look("center", (_center,))
BOLD = Look("bold", (_bold,))
BORDER = Look("border", (_border,))
LABEL = Look("label", (_label,))
GROUP = Look("group", (_group,))
NA = Look("na", (_na,))
WRAP_TOP = Look("wrap-top", (_wrap_top,))
RANK = CENTER.then(BORDER)


def _summary_sheet(ws: Any, results: Sequence[Result], cells: Sequence[_TotalCells]) -> None:
    from openpyxl.chart import BarChart, Reference

    periods = sorted({r.period for r in results})
    subtitle = ("Kỳ " + ", ".join(periods) + ". ") if periods else ""
    subtitle += (
        "Điểm theo thang của bộ tiêu chí; Thẩm định là tổng điểm cuối cùng; Chênh lệch = Thẩm định − Tự chấm. "
        "Tổng điểm, xếp loại và hạng là công thức, lấy từ trang của từng cấp."
    )
    _title_rows(ws, "KẾT QUẢ CHẤM ĐIỂM VIỆC ÁP DỤNG HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG THEO TCVN ISO 9001", subtitle)
    header = SUMMARY_HEADER_ROW
    w = SheetWriter(ws)
    _header_row(w, header, SUMMARY_HEADERS)
    row = header
    keys = max((len(c.tie_keys) for c in cells), default=0)
    for _, start, pool in _pools(results):
        block = f"$F${header + 1 + start}:$F${header + start + len(pool)}"
        for k in range(start, start + len(pool)):
            r, where = results[k], cells[k]
            row = header + 1 + k
            # standard competition ranking (1, 2, 2, 4) among the pool: criteria set, period, level
            rank = f"=RANK(F{row},{block},0)"
            if where.tie_keys:  # then the set's tie-break keys, in hidden columns (SPEC §3b)
                columns = [len(SUMMARY_HEADERS) + 1 + j for j in range(len(where.tie_keys))]
                letters = [column_letter(c) for c in columns]
                for column, ref in zip(columns, where.tie_keys, strict=True):
                    w.formula(row, column, f"=ROUND({ref},9)")
                rank = tie_break_rank(row, "F", letters, header + 1 + start, header + start + len(pool))
            # every cell of the table's columns bordered (the rank centred first)
            w.formula(row, 1, rank, look=RANK, fmt="0")
            w.text(row, 2, r.agency_code, BORDER)
            w.text(row, 3, r.agency_name, BORDER)
            w.text(row, 4, level_name(r.level), BORDER)
            w.formula(row, 5, "=" + where.self_total, look=BORDER, fmt=POINTS_FORMAT)
            w.formula(row, 6, "=" + where.total, look=BORDER, fmt=POINTS_FORMAT)
            w.formula(row, 7, f"=F{row}-E{row}", look=BORDER, fmt=SIGNED_FORMAT)
            w.formula(row, 8, "=" + where.band, look=BORDER)
            w.text(row, 9, r.criteria, BORDER)
            w.text(row, 10, r.period, BORDER)
            w.text(row, 11, r.file, BORDER)
    for j in range(keys):
        ws.column_dimensions[column_letter(len(SUMMARY_HEADERS) + 1 + j)].hidden = True
    if not results:
        put_text(ws, header + 1, 3, "Không có bản tự đánh giá hợp lệ nào để chấm điểm.")
    ws.freeze_panes = f"A{header + 1}"
    fit_columns(ws, maximum=70, fixed={"A": 7, "E": 11, "F": 11, "G": 12, "H": 14})
    print_landscape(ws, header)
    if results:
        ws.auto_filter.ref = f"A{header}:{column_letter(len(SUMMARY_HEADERS))}{row}"
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
    from openpyxl.styles import Alignment

    first_col = 4
    last_col = first_col + 2 * len(results) - 1
    kind_col = last_col + 1
    kind_letter = column_letter(kind_col)
    _title_rows(
        ws,
        f"ĐIỂM TỪNG TIÊU CHÍ — {level_name(level).upper()} — KỲ {period}",
        f"Bộ tiêu chí {criteria}. {SELF_HEADER}: điểm cơ quan tự chấm; {FINAL_HEADER}: điểm thẩm định nếu có, "
        f"nếu không là điểm tự chấm; «{NA_TEXT}»: cơ quan khai báo không áp dụng. Dòng nhóm và các dòng tổng là "
        "công thức.",
    )
    header, sub = 4, 5
    w = SheetWriter(ws)
    _header_row(w, header, ["Mã tiêu chí", "Nội dung", "Điểm tối đa"])
    for column in (1, 2, 3):
        ws.merge_cells(start_row=header, start_column=column, end_row=sub, end_column=column)
    for i, r in enumerate(results):
        column = first_col + 2 * i
        _header_row(w, header, [r.agency_name], first=column)
        merge_apart(ws, header, column, header, column + 1)  # one per agency, side by side
        _header_row(w, sub, [SELF_HEADER, FINAL_HEADER], first=column)
    w.text(sub, kind_col, "kind")
    # below the header, every cell of the table bordered and aligned to the top
    w.frame(sub + 1, last_col, "border-top", _border_top)
    reference = results[0]
    # Every result of one pool was scored against the same set: details line up leaf by leaf.
    shown = {
        k
        for k in range(len(reference.details))
        if any(r.details[k].applicable or r.details[k].na_reason is not None for r in results)
    }
    nodes = _prune(_tree(cs, reference), shown)
    first = sub + 1
    spans: dict[str, tuple[int, int, int]] = {}  # node id → its row, first and last row below it

    def kinds(a: int, b: int) -> str:
        return f"${kind_letter}${a}:${kind_letter}${b}"

    def indented(depth: int) -> Look:
        def change(cell: Any) -> None:
            cell.alignment = Alignment(wrap_text=True, vertical="top", indent=depth)

        return Look(("indent", depth), (change,))

    letters = [column_letter(column) for column in range(kind_col + 1)]  # letters[c]: column c

    def write(node: _Node, depth: int, row: int) -> tuple[int, dict[int, Decimal]]:
        """Write ``node`` from ``row``: the next row, and the sum of the numbers written in its
        score leaves' cells by column (to give each subtotal a format that shows its digits)."""
        figures: dict[int, Decimal] = {}
        if node.leaf is not None:
            w.text(row, 1, node.id)
            w.text(row, 2, node.title, indented(depth))
            spans[node.id] = (row, row, row)
            d = reference.details[node.leaf]
            w.text(row, kind_col, d.kind)
            if d.kind != "condition":  # a condition has no points (SPEC §3b)
                w.number(row, 3, d.max)
            score = d.kind == "score"
            if score:
                figures[3] = d.max
            condition = d.kind == "condition"
            column = first_col
            for r in results:
                mine = r.details[node.leaf]
                if mine.na_reason is not None:
                    w.text(row, column, NA_TEXT, NA)
                    w.text(row, column + 1, NA_TEXT, NA)
                elif mine.applicable and condition:
                    for c, met in ((column, mine.self_input), (column + 1, _final_input(mine))):
                        w.text(row, c, PASS if met is True else FAIL, CENTER)
                elif mine.applicable:
                    own = mine.self_points if mine.self_points is not None else Decimal(0)
                    exact_own = mine.self_exact if mine.self_points is not None else None
                    for c, value, exact in ((column, own, exact_own), (column + 1, mine.final, mine.final_exact)):
                        if exact is not None:  # a proportion that does not end: the exact fraction
                            w.formula(row, c, f"={exact.numerator}/{exact.denominator}", value)
                        else:
                            w.number(row, c, value)
                        if score:
                            figures[c] = value
                column += 2
            return row + 1, figures
        group_row = row
        row += 1
        for child in node.children:
            row, below = write(child, depth + 1, row)
            for c, value in below.items():
                figures[c] = figures.get(c, Decimal(0)) + value
        # the group's own row, written once its subtotals are known: bold on grey
        w.text(group_row, 1, node.id, GROUP)
        w.text(group_row, 2, node.title, indented(depth).then(GROUP))
        w.text(group_row, kind_col, "group")
        rows_kind = kinds(group_row + 1, row - 1)
        for column in range(3, last_col + 1):
            letter = letters[column]
            w.formula(
                group_row,
                column,
                f'=SUMIF({rows_kind},"score",{letter}{group_row + 1}:{letter}{row - 1})',
                figures.get(column, Decimal(0)),
                GROUP,
            )
        spans[node.id] = (group_row, group_row + 1, row - 1)
        return row, figures

    row = first
    for node in nodes:
        row, _ = write(node, 0, row)
    last = max(first, row - 1)
    row += 1
    if cs is not None and cs.uses_rules:
        grid = _Grid(first, last, first_col, kind_letter)
        rule_cells, rank_row = _rules_totals(w, cs, results, summary_rows, grid, spans, row)
        _finish_level_sheet(w, header, sub, first, first_col, last_col, kind_letter, rank_row)
        return rule_cells
    possible_row, earned_row, total_row, band_row, rank_row = range(row, row + 5)
    scale = format_number(cs.scale) if cs is not None else "của bộ tiêu chí"
    for at, label in (
        (possible_row, "Tổng điểm tối đa của các tiêu chí áp dụng"),
        (earned_row, "Tổng điểm chấm của các tiêu chí áp dụng"),
        (total_row, f"Tổng điểm quy đổi thang {scale} (cộng điểm thưởng, trừ điểm trừ)"),
        (band_row, "Xếp loại"),
        (rank_row, "Hạng"),
    ):
        w.text(at, 2, label, LABEL)
    rows_kind = kinds(first, last)
    max_range = f"$C${first}:$C${last}"
    out: list[_TotalCells] = []
    title = ws.title
    for i, r in enumerate(results):
        column = first_col + 2 * i
        counted = [d for d in r.details if d.applicable and d.kind == "score"]
        possible = sum((d.max for d in counted), Decimal(0))
        for c, own in ((column, True), (column + 1, False)):
            letter = column_letter(c)
            cells = f"{letter}{first}:{letter}{last}"
            earned = sum(((d.self_points or Decimal(0)) if own else d.final for d in counted), Decimal(0))
            w.formula(possible_row, c, f'=SUMPRODUCT(({rows_kind}="score")*ISNUMBER({cells}),{max_range})', possible)
            w.formula(earned_row, c, f'=SUMIF({rows_kind},"score",{cells})', earned)
            if cs is not None:
                formula = total_formula(
                    f"{letter}{earned_row}",
                    f"{letter}{possible_row}",
                    f'SUMIF({rows_kind},"bonus",{cells})',
                    f'SUMIF({rows_kind},"penalty",{cells})',
                    cs.scale,
                )
                w.formula(total_row, c, formula, look=BOLD, fmt=POINTS_FORMAT)
                w.formula(band_row, c, band_formula(f"{letter}{total_row}", cs.bands), look=CENTER)
            else:  # the set is not at hand: the totals as isoprov computed them
                total = r.self_total if own else r.total
                w.number(total_row, c, total, BOLD, fmt=POINTS_FORMAT)
                if not own:
                    w.text(band_row, c, r.band, CENTER)
                else:
                    w.empty(band_row, c, CENTER)
        w.formula(rank_row, column + 1, "=" + sheet_ref(SUMMARY_SHEET, f"A{summary_rows[i]}"), look=CENTER, fmt="0")
        self_letter, final_letter = column_letter(column), column_letter(column + 1)
        out.append(
            _TotalCells(
                sheet_ref(title, f"{self_letter}{total_row}"),
                sheet_ref(title, f"{final_letter}{total_row}"),
                sheet_ref(title, f"{final_letter}{band_row}"),
            )
        )
    _finish_level_sheet(w, header, sub, first, first_col, last_col, kind_letter, rank_row)
    return out


def _finish_level_sheet(
    w: SheetWriter, header: int, sub: int, first: int, first_col: int, last_col: int, kind_letter: str, rank_row: int
) -> None:
    # every cell of the table bordered, empty ones too (below the header: w.frame)
    ws = w.ws
    w.restyle_block(range(header, sub + 1), range(1, last_col + 1), "border", _border)
    w.close_frame(rank_row)
    ws.freeze_panes = ws.cell(row=first, column=first_col).coordinate
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 56
    ws.column_dimensions["C"].width = 10
    for column in range(first_col, last_col + 1):
        ws.column_dimensions[column_letter(column)].width = 13
    ws.column_dimensions[kind_letter].hidden = True
    ws.row_dimensions[header].height = 45
    fit_row_heights(ws, first, rank_row)
    print_landscape(ws, header)
    ws.print_title_rows = f"{header}:{sub}"
    ws.print_area = f"A1:{column_letter(last_col)}{rank_row}"


PASS, FAIL = "Đạt", "Không đạt"


def _final_input(d: Any) -> Any:
    return d.team_input if d.team_input is not None else d.self_input


@dataclass(frozen=True, slots=True)
class _Grid:
    """Where a level sheet's criteria are: rows ``first``..``last``, agencies from ``first_col``
    (two columns each), each row's kind in the hidden column ``kind``."""

    first: int
    last: int
    first_col: int
    kind: str

    def kinds(self, a: int | None = None, b: int | None = None) -> str:
        return f"${self.kind}${a or self.first}:${self.kind}${b or self.last}"


def _rules_totals(
    w: SheetWriter,
    cs: CriteriaSet,
    results: Sequence[Result],
    summary_rows: Sequence[int],
    grid: _Grid,
    spans: dict[str, tuple[int, int, int]],
    row: int,
) -> tuple[list[_TotalCells], int]:
    """The totals of a set that uses the keys of SPEC §3b, by formula: weighted sums per
    top-level group, the unrounded total with the ceiling, the rounded total by the set's mode,
    the band with its requirements (a share row per group when a band asks for one), the rank.
    Returns each agency's total cells and the last row written."""

    from isoprov.excel.rule_formulas import (
        EPSILON,
        round_formula,
        unrounded_total,
    )
    from isoprov.excel.rule_formulas import (
        band_formula as rules_band,
    )
    from isoprov.scoring.rules import DEFAULT_ROUNDING

    groups = [(c.id, cs.weights[c.id]) for c in cs.criteria if c.kind == "score" and c.id in spans]
    weighted = any(factor != 1 for _, factor in groups)
    shares = cs.bands is not None and any(b.each_group_min_percent is not None for b in cs.bands)
    share_rows = {gid: row + 2 + k for k, (gid, _) in enumerate(groups)} if shares else {}
    possible_row, earned_row = row, row + 1
    exact_row = row + 2 + len(share_rows)
    total_row, band_row, rank_row = exact_row + 1, exact_row + 2, exact_row + 3
    suffix = " (đã nhân hệ số)" if weighted else ""
    labels = {
        possible_row: "Tổng điểm tối đa của các tiêu chí áp dụng" + suffix,
        earned_row: "Tổng điểm chấm của các tiêu chí áp dụng" + suffix,
        exact_row: "Tổng điểm quy đổi chưa làm tròn (cộng điểm thưởng, trừ điểm trừ, giới hạn trần)",
        total_row: f"Tổng điểm làm tròn ({(cs.rounding or DEFAULT_ROUNDING).describe()})",
        band_row: "Xếp loại",
        rank_row: "Hạng",
    }
    for gid, at in share_rows.items():
        labels[at] = f"Tỷ lệ điểm đạt của nhóm {gid} (%)"
    for at, label in labels.items():
        w.text(at, 2, label, LABEL)
    rounding = cs.rounding or DEFAULT_ROUNDING
    scale, ceiling = plain_decimal(cs.scale), plain_decimal(cs.max_total or cs.scale)
    out: list[_TotalCells] = []
    title = w.ws.title
    for i in range(len(results)):
        column = grid.first_col + 2 * i
        for c in (column, column + 1):
            letter = column_letter(c)
            cells = f"{letter}{grid.first}:{letter}{grid.last}"
            earned_terms, possible_terms = [], []
            for gid, factor in groups:
                at, a, b = spans[gid]
                weight = "" if factor == 1 else f"{plain_decimal(factor)}*"
                if a == at:  # a top-level leaf
                    earned_terms.append(f"{weight}N({letter}{at})")
                    possible_terms.append(f"{weight}IF(ISNUMBER({letter}{at}),$C${at},0)")
                    possible_g = f"IF(ISNUMBER({letter}{at}),$C${at},0)"
                else:
                    earned_terms.append(f"{weight}{letter}{at}")
                    possible_g = (
                        f'SUMPRODUCT(({grid.kinds(a, b)}="score")*ISNUMBER({letter}{a}:{letter}{b}),$C${a}:$C${b})'
                    )
                    possible_terms.append(f"{weight}{possible_g}")
                if gid in share_rows:
                    w.formula(
                        share_rows[gid], c, f"=IF({possible_g}>0,{letter}{at}/({possible_g})*100,100)", fmt="0.00"
                    )
            w.formula(possible_row, c, "=" + ("+".join(possible_terms) or "0"), fmt="General")
            w.formula(earned_row, c, "=" + ("+".join(earned_terms) or "0"), fmt="General")
            formula = unrounded_total(
                f"{letter}{earned_row}",
                f"{letter}{possible_row}",
                f'SUMIF({grid.kinds()},"bonus",{cells})',
                f'SUMIF({grid.kinds()},"penalty",{cells})',
                scale,
                ceiling,
            )
            w.formula(exact_row, c, "=" + formula, fmt="General")
            w.formula(
                total_row,
                c,
                "=" + round_formula(f"{letter}{exact_row}", rounding),
                look=BOLD,
                fmt=_points_format(rounding.places),
            )
            needs: list[list[str]] = []
            for band in cs.bands or ():
                tests = []
                if band.each_group_min_percent is not None:
                    p = plain_decimal(band.each_group_min_percent)
                    tests += [f"{letter}{at}>={p}-{EPSILON}" for at in share_rows.values()]
                if band.each_criterion_min_percent is not None:
                    p = plain_decimal(band.each_criterion_min_percent)
                    tests.append(
                        f'SUMPRODUCT(({grid.kinds()}="score")*ISNUMBER({cells})*'
                        f"({cells}<{p}/100*$C${grid.first}:$C${grid.last}-{EPSILON}))=0"
                    )
                for cid in band.requires:
                    if cid in spans:
                        tests.append(f'{letter}{spans[cid][0]}<>"{FAIL}"')
                needs.append(tests)
            w.formula(band_row, c, rules_band(f"{letter}{total_row}", cs.bands, needs), look=CENTER)
        w.formula(rank_row, column + 1, "=" + sheet_ref(SUMMARY_SHEET, f"A{summary_rows[i]}"), look=CENTER, fmt="0")
        self_letter, final_letter = column_letter(column), column_letter(column + 1)
        keys: list[str] = []
        for key in cs.ranking.tie_break if cs.ranking is not None else ():
            if key == "exact":
                keys.append(sheet_ref(title, f"{final_letter}{exact_row}"))
            elif key in spans:
                key_weight = cs.weights[key]
                keys.append(
                    sheet_ref(title, f"{final_letter}{spans[key][0]}")
                    + ("" if key_weight == 1 else f"*{plain_decimal(key_weight)}")
                )
            else:
                keys.append("0")
        out.append(
            _TotalCells(
                sheet_ref(title, f"{self_letter}{total_row}"),
                sheet_ref(title, f"{final_letter}{total_row}"),
                sheet_ref(title, f"{final_letter}{band_row}"),
                tuple(keys),
            )
        )
    return out, rank_row


def _points_format(places: int) -> str:
    """A total shown with the set's decimals (2 by default, as POINTS_FORMAT)."""
    return POINTS_FORMAT if places == 2 else ("#,##0" + ("." + "0" * places if places else ""))


def _top(cell: Any) -> None:
    """Align a cell to the top of its row, keeping its other alignment settings."""
    from openpyxl.styles import Alignment

    a = cell.alignment
    cell.alignment = Alignment(horizontal=a.horizontal, wrap_text=a.wrap_text, indent=a.indent, vertical="top")


def _missing_sheet(ws: Any, batch: Batch) -> None:
    _title_rows(ws, "CƠ QUAN CHƯA NỘP BẢN TỰ ĐÁNH GIÁ", "")
    header = 3
    _header_row(SheetWriter(ws), header, ("STT", "Mã cơ quan", "Tên cơ quan", "Cấp"))
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

    _title_rows(ws, "LỖI VÀ CẢNH BÁO KHI CHẤM ĐIỂM", "Tệp có lỗi không được chấm điểm.")
    header = 3
    w = SheetWriter(ws)
    _header_row(w, header, ("Tệp", "Dòng", "Cột", "Mức độ", "Vị trí", "Nội dung"))
    for row, d in enumerate(diagnostics, start=header + 1):
        put_text(ws, row, 1, d.file)
        if d.line is not None:
            ws.cell(row=row, column=2, value=d.line)
        if d.column is not None:
            ws.cell(row=row, column=3, value=d.column)
        put_text(ws, row, 4, SEVERITY_LABEL[d.severity])
        put_text(ws, row, 5, d.path)
        w.text(row, 6, d.message, WRAP_TOP)
    ws.freeze_panes = f"A{header + 1}"
    fit_columns(ws, maximum=50, fixed={"B": 7, "C": 6, "F": 90})
    fit_row_heights(ws, header + 1, header + len(diagnostics))
    print_landscape(ws, header)
