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


def _whole(cell: Any) -> tuple[Any, ...]:
    """Everything a reader sees of a cell: kind, value, type and every part of its style."""
    return (
        type(cell).__name__,
        cell.value,
        cell.data_type,
        cell.number_format,
        cell.quotePrefix,
        repr(cell.font),
        repr(cell.fill),
        repr(cell.border),
        repr(cell.alignment),
        repr(cell.protection),
    )


def test_merge_apart_copies_the_styles_worked_out_for_the_first_range() -> None:
    # the second and later ranges with the same first cell take the styles of the first merge:
    # every cell of each range as merge_cells leaves it (openpyxl's merge internals, guarded here)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    def sheet(merge: Any) -> Any:
        ws: Any = Workbook().active
        for column in range(1, 12, 2):
            cell = ws.cell(row=2, column=column, value=f"Cơ quan {column}")
            cell.border = thin_border()
            if column > 6:
                cell.font = Font(bold=True)
            merge(ws, column)
        return ws

    ours = sheet(lambda ws, c: merge_apart(ws, 2, c, 3, c + 1))
    theirs = sheet(lambda ws, c: ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c + 1))
    assert sorted(map(str, ours.merged_cells.ranges)) == sorted(map(str, theirs.merged_cells.ranges))
    for row in (2, 3):
        for column in range(1, 13):
            assert _whole(ours.cell(row, column)) == _whole(theirs.cell(row, column)), (row, column)


def test_sheet_writer_cells_match_the_cell_by_cell_helpers() -> None:
    # SheetWriter makes cells with a copied style array (openpyxl internals, guarded here): each
    # must be what put_text / put_number / put_formula and restyle give, first time and later
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from isoprov.excel.cells import Look, SheetWriter, put_formula, put_number, put_text

    def bold(cell: Any) -> None:
        cell.font = Font(bold=True)

    def centre(cell: Any) -> None:
        cell.alignment = Alignment(horizontal="center")

    bold_look = Look("bold", (bold,))
    both = bold_look.then(Look("centre", (centre,)))
    wb = Workbook()
    ws: Any = wb.active
    w = SheetWriter(ws)
    for row in (1, 2, 3):  # row 1 works the styles out; rows 2 and 3 copy them
        w.text(row, 1, "Sở Nội vụ")
        w.text(row, 2, "=HYPERLINK(1)", both)
        w.number(row, 3, Decimal("24.40"), bold_look)
        w.number(row, 4, Decimal("126000000"), fmt="#,##0.00")
        w.formula(row, 5, "=C1*2", Decimal("1.5"), both)
        w.formula(row, 6, "=C1", fmt="0")
        w.empty(row, 7, both)
        put_text(ws, row, 11, "Sở Nội vụ")
        for change in both.changes:
            change(put_text(ws, row, 12, "=HYPERLINK(1)"))
        bold(put_number(ws, row, 13, Decimal("24.40")))
        put_number(ws, row, 14, Decimal("126000000"), fmt="#,##0.00")
        for change in both.changes:
            change(put_formula(ws, row, 15, "=C1*2", Decimal("1.5")))
        put_formula(ws, row, 16, "=C1", fmt="0")
        for change in both.changes:
            change(ws.cell(row=row, column=17))
    for row in (1, 2, 3):
        for column in range(1, 8):
            assert _whole(ws.cell(row, column)) == _whole(ws.cell(row, column + 10)), (row, column)
    assert ws["B2"].data_type == "s" and ws["B2"].quotePrefix and ws["C3"].value == Decimal("24.4")
    # a cell written before keeps what it had and takes the new value and look, as ws.cell does
    ws["H1"].font = Font(italic=True)
    w.text(1, 8, "lại", Look("centre", (centre,)))
    assert ws["H1"].font.i and ws["H1"].alignment.horizontal == "center" and ws["H1"].value == "lại"


def test_restyle_block_restyles_every_cell_of_the_block_as_restyle_does() -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from isoprov.excel.cells import SheetWriter

    wb = Workbook()
    ws: Any = wb.active
    for row in (1, 2):
        ws.cell(row=row, column=1, value="a").font = Font(italic=True)
        ws.cell(row=row, column=11, value="a").font = Font(italic=True)
    SheetWriter(ws).restyle_block(range(1, 3), range(1, 4), "bold-top", _bold_top)
    for row in (1, 2):
        for column in range(11, 14):
            _bold_top(ws.cell(row=row, column=column))
    for row in (1, 2):
        for column in range(1, 4):
            assert _whole(ws.cell(row, column)) == _whole(ws.cell(row, column + 10)), (row, column)
    assert ws["A1"].value == "a" and ws["A1"].font.b and ws["C2"].border.left.style == "thin"


def test_fit_row_heights_reads_wrapping_from_each_cells_alignment() -> None:
    # fit_row_heights reads whether a cell wraps through its style's alignment index (openpyxl
    # internals, guarded here): wrapped text sets the height, the same text unwrapped does not
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from isoprov.excel.cells import LINE_HEIGHT, fit_row_heights

    ws: Any = Workbook().active
    ws.column_dimensions["B"].width = 10  # 12 characters a line
    long = "chữ " * 9  # 36 characters: 3 lines
    for row in (1, 2, 3):
        ws.cell(row=row, column=2, value=long)
    ws["B1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["B3"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["A3"].alignment = Alignment(horizontal="center")  # another alignment, no text
    ws.cell(row=4, column=2, value=long + "\n" + long).alignment = Alignment(horizontal="left")
    fit_row_heights(ws, 1, 4)
    assert ws.row_dimensions[1].height == 3 * LINE_HEIGHT
    assert ws.row_dimensions[2].height is None
    assert ws.row_dimensions[3].height == 3 * LINE_HEIGHT
    assert ws.row_dimensions[4].height is None


def test_a_frame_gives_its_change_as_a_block_restyled_at_the_end_would() -> None:
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from isoprov.excel.cells import Look, SheetWriter, put_number, put_text

    def italic(cell: Any) -> None:
        cell.font = Font(italic=True)

    wb = Workbook()
    framed, plain = wb.create_sheet("a"), wb.create_sheet("b")
    w = SheetWriter(framed)
    w.frame(2, 3, "bold-top", _bold_top)
    for ws in (framed, plain):
        ws.cell(row=3, column=3, value="ngoài")  # written some other way: restyled on closing
    for row in (1, 2, 3):  # row 1 is above the frame; column 4 right of it
        w.text(row, 1, "a", Look("italic", (italic,)))
        w.number(row, 4, Decimal("1.5"))
        italic(put_text(plain, row, 1, "a"))
        put_number(plain, row, 4, Decimal("1.5"))
    w.close_frame(4)
    SheetWriter(plain).restyle_block(range(2, 5), range(1, 4), "bold-top", _bold_top)
    for row in range(1, 6):
        for column in range(1, 6):
            assert _whole(framed.cell(row, column)) == _whole(plain.cell(row, column)), (row, column)
    assert framed["A2"].font.b and not framed["A1"].font.b and framed["B4"].border.left.style == "thin"
