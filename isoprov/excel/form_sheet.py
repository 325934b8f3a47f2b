"""The raw cells of a filled form's sheets, read in one streaming pass (``isoprov score``).

openpyxl's read-only mode parses each sheet's XML once (through defusedxml, as a full load
does); this module keeps, for every cell, what a full ``load_workbook(data_only=True)`` would
give (the value or a formula's saved result, the type, the number format) *and* the formula
itself, plus the merged ranges that read-only mode does not expose. The cells read back are
the same as a full load's, so the checks and cell locations of :mod:`form_reader` stay as
they were, at a fraction of the cost (no cell objects, no styles per cell, one pass).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from isoprov.core.diagnostics import Diagnostic, InputError
from isoprov.excel.form_layout import MAX_UNPACKED_BYTES


@dataclass(frozen=True, slots=True)
class SheetCell:
    """One cell as a full load reads it: ``value`` (a formula's saved result, None where none was
    saved), openpyxl's ``data_type`` (``n``, ``s``, ``b``, ``d``, ``e``) and ``number_format``."""

    value: Any = None
    data_type: str = "n"
    number_format: str = "General"


_EMPTY = SheetCell()


@dataclass(frozen=True, slots=True)
class MergedRange:
    min_row: int
    min_col: int
    max_row: int
    max_col: int
    coord: str


@dataclass(slots=True)
class Sheet:
    """A sheet's cells by (row, column), its formulas, its merged ranges."""

    cells: dict[tuple[int, int], SheetCell] = field(default_factory=dict)
    #: The formula of each formula cell, by (row, column), merged or not (as written in the file).
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: list[MergedRange] = field(default_factory=list)
    max_row: int = 1
    max_column: int = 1

    def cell(self, row: int, column: int) -> SheetCell:
        return self.cells.get((row, column), _EMPTY)

    def rows(self, min_row: int, max_row: int | None, max_col: int) -> Iterator[tuple[Any, ...]]:
        """The values of rows ``min_row..max_row`` (default: the last row), columns 1..max_col."""
        last = self.max_row if max_row is None else max_row
        for row in range(min_row, last + 1):
            yield tuple(self.cell(row, column).value for column in range(1, max_col + 1))


@dataclass(slots=True)
class Workbook:
    sheetnames: list[str]
    sheets: dict[str, Sheet]


def open_form_workbook(path: Path, file: str, wanted: tuple[str, ...]) -> Workbook:
    """The workbook's sheet names and the ``wanted`` sheets' cells; an InputError for a file that
    is not an .xlsx, unpacks too large (a zip bomb) or cannot be read (an XML entity bomb)."""
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
    from openpyxl import load_workbook

    try:
        # data_only: formula cells give their saved value (or None); the formulas are kept apart.
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            names = list(wb.sheetnames)
            sheets = {name: _read_sheet(wb, wb[name]) for name in wanted if name in names}
        finally:
            wb.close()
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            [
                Diagnostic(
                    file,
                    f"không đọc được tệp Excel ({type(exc).__name__}: {exc}); hãy mở bằng Excel và lưu lại dạng .xlsx",
                )
            ]
        ) from None
    return Workbook(names, sheets)


def _read_sheet(wb: Any, ws: Any) -> Sheet:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    from openpyxl.worksheet._reader import FORMULA_TAG, MERGE_TAG, ROW_TAG, WorkSheetParser, iterparse
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.merge import MergeCells

    sheet = Sheet()
    formats: dict[int, str] = {}

    class _Parser(WorkSheetParser):  # type: ignore[misc]
        """openpyxl's own sheet parser, which also keeps each cell's formula and reads only the
        rows and the merged ranges (not the page setup, validations, formatting… of the sheet)."""

        def parse(self) -> Iterator[tuple[int, list[dict[str, Any]]]]:
            for _, element in iterparse(self.source):
                if element.tag == ROW_TAG:
                    row = self.parse_row(element)
                    element.clear()
                    yield row
                elif element.tag == MERGE_TAG:
                    self.merged_cells = MergeCells.from_tree(element)
                    element.clear()

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if element.find(FORMULA_TAG) is not None:
                formula = self.parse_formula(element)
                if formula is not None:
                    text = formula if isinstance(formula, str) else str(getattr(formula, "text", formula))
                    sheet.formulas[(cell["row"], cell["column"])] = text
            return cell

    if not hasattr(ws, "_get_source"):  # a chart sheet: no cells
        return sheet
    with ws._get_source() as src:
        parser = _Parser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for _, row in parser.parse():
            for c in row:
                style_id = c["style_id"]
                number_format = formats.get(style_id)
                if number_format is None:
                    number_id = wb._cell_styles[style_id].numFmtId
                    if number_id < BUILTIN_FORMATS_MAX_SIZE:
                        number_format = BUILTIN_FORMATS.get(number_id, "General")
                    else:
                        number_format = wb._number_formats[number_id - BUILTIN_FORMATS_MAX_SIZE]
                    formats[style_id] = number_format
                sheet.cells[(c["row"], c["column"])] = SheetCell(c["value"], c["data_type"], number_format)
        merges = parser.merged_cells
    # A full load keeps only the first cell of a merged range; the others read as empty.
    for ref in merges.mergeCell if merges is not None else ():
        r = CellRange(ref.ref)
        sheet.merged.append(MergedRange(r.min_row, r.min_col, r.max_row, r.max_col, r.coord))
        sheet.cells.setdefault((r.min_row, r.min_col), _EMPTY)
        for y in range(r.min_row, r.max_row + 1):
            for x in range(r.min_col, r.max_col + 1):
                if (y, x) != (r.min_row, r.min_col):
                    sheet.cells[(y, x)] = _EMPTY
    if sheet.cells:
        sheet.max_row = max(row for row, _ in sheet.cells)
        sheet.max_column = max(column for _, column in sheet.cells)
    return sheet
