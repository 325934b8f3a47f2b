"""excel.cells.restyle (issue 16): a style change worked out once per workbook gives every cell
exactly what setting the style objects one by one gives."""

from __future__ import annotations

from typing import Any

from isoprov.excel.cells import restyle, thin_border


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
