"""excel.cells.restyle and merge_apart (issue 16): a style change worked out once per workbook
gives every cell exactly what setting the style objects one by one gives; a merge without the
overlap check gives what merge_cells gives."""

from __future__ import annotations

from typing import Any

from isoprov.excel.cells import merge_apart, restyle, thin_border


def _bold_top(cell: Any) -> None:
    from openpyxl.styles import Alignment, Font

    cell.font = Font(bold=True)
    cell.alignment = Alignment(vertical="top", wrap_text=True)
    cell.border = thin_border()


def _described(cell: Any) -> tuple[Any, ...]:
    a = cell.alignment
    return (
        cell.number_format,
        cell.font.b,
        cell.font.i,
        cell.fill.fgColor.rgb,
        a.vertical,
        a.wrap_text,
        cell.border.left.style,
    )


def test_restyled_cells_match_cells_styled_directly() -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws: Any = wb.active
    for row in range(1, 5):
        for column in (1, 2):
            cell = ws.cell(row=row, column=column, value=row)
            if row % 2:  # two different styles before the change
                cell.font = Font(italic=True)
                cell.fill = PatternFill("solid", fgColor="DDEBF7")
                cell.number_format = "0.00"
            if column == 1:
                restyle(cell, "bold-top", _bold_top)
            else:
                _bold_top(cell)
    for row in range(1, 5):
        restyled, direct = ws.cell(row=row, column=1), ws.cell(row=row, column=2)
        assert _described(restyled) == _described(direct)
        assert tuple(restyled._style) == tuple(direct._style)  # the very same entries of the workbook
    # what the change does not touch stays: the fill and format of odd rows
    assert ws["A1"].font.b and ws["A1"].number_format == "0.00" and ws["A1"].fill.fgColor.rgb == "00DDEBF7"
    assert ws["A2"].font.b and ws["A2"].number_format == "General" and ws["A2"].fill.fill_type is None


def test_a_key_stands_for_one_change_per_workbook_only() -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    def bold(cell: Any) -> None:
        cell.font = Font(bold=True)

    def italic(cell: Any) -> None:
        cell.font = Font(italic=True)

    first, second = Workbook(), Workbook()
    a = restyle(first.active.cell(row=1, column=1, value="x"), "k", bold)
    b = restyle(second.active.cell(row=1, column=1, value="x"), "k", italic)
    assert a.font.b and not a.font.i
    assert b.font.i and not b.font.b


def test_merge_apart_merges_as_merge_cells_does() -> None:
    from openpyxl import Workbook

    def sheet(merge: Any) -> Any:
        ws: Any = Workbook().active
        for column in (1, 3, 5):
            cell = ws.cell(row=2, column=column, value=f"Cơ quan {column}")
            cell.border = thin_border()
            merge(ws, column)
        return ws

    ours = sheet(lambda ws, c: merge_apart(ws, 2, c, 2, c + 1))
    theirs = sheet(lambda ws, c: ws.merge_cells(start_row=2, start_column=c, end_row=2, end_column=c + 1))
    assert sorted(map(str, ours.merged_cells.ranges)) == ["A2:B2", "C2:D2", "E2:F2"]
    assert sorted(map(str, theirs.merged_cells.ranges)) == ["A2:B2", "C2:D2", "E2:F2"]
    for column in range(1, 7):
        a, b = ours.cell(row=2, column=column), theirs.cell(row=2, column=column)
        assert (type(a).__name__, a.value, a.border.right.style) == (type(b).__name__, b.value, b.border.right.style)
    assert type(ours["B2"]).__name__ == "MergedCell"
