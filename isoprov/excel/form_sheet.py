"""The cells of a filled form's sheets, read in one streaming pass, and read as typed values (``isoprov score``).

:mod:`xlsx_read` parses the package's parts with lxml, each sheet's rows once; this module
keeps, for every cell, what a full openpyxl ``load_workbook(data_only=True)`` would give (the
value or a formula's saved result, the type, the number format) *and* the formula itself, plus
the merged ranges. The cells read back are the same as a full load's, so the checks and cell
locations of :mod:`form_reader` stay as they were, at a fraction of the cost (no cell objects,
no styles per cell, one pass).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from isoprov.core.diagnostics import Diagnostic, InputError, format_path
from isoprov.core.jsonout import plain_decimal
from isoprov.core.loading import Mark, PathKey, SourceMap, nfc
from isoprov.core.vietnamese import format_number
from isoprov.excel.cells import column_letter
from isoprov.excel.form_layout import FORM_SHEET, MAX_UNPACKED_BYTES, NA_TEXT


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
    is not an .xlsx, unpacks too large (a zip bomb) or cannot be read (a damaged part, a part
    declaring a DTD such as an XML entity bomb)."""
    try:
        archive = zipfile.ZipFile(path)
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
    with archive:
        unpacked = sum(info.file_size for info in archive.infolist())
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
        from isoprov.excel.xlsx_read import DamagedPart, UnsafePart, read_workbook

        try:
            # the values a full load with data_only gives (a formula's saved result, or None),
            # and the formulas apart
            return read_workbook(archive, wanted)
        except UnsafePart as exc:
            raise InputError([Diagnostic(file, f"tệp Excel bị từ chối: {exc}; hãy đề nghị gửi lại tệp khác")]) from None
        except DamagedPart as exc:
            if exc.cause is None:
                problem = f"thiếu phần `{exc.part}` (trang tính có tên trong tệp nhưng dữ liệu của nó bị mất)"
            else:
                problem = (
                    f"phần `{exc.part}` không đọc được (chi tiết kỹ thuật: {type(exc.cause).__name__}: {exc.cause})"
                )
            raise InputError(
                [Diagnostic(file, f"tệp Excel bị hỏng: {problem}; hãy mở bằng Excel và lưu lại dạng .xlsx")]
            ) from None


def norm_label(text: str) -> str:
    """Label and header text compared the forgiving way: NFC, case, spaces, a trailing colon."""
    return " ".join(unicodedata.normalize("NFC", text).split()).rstrip(":").strip().casefold()


#: Numbers a person may have typed into a cell formatted as text: 2, 2.5, 2,5. Points never use
#: thousands grouping, so both marks can only be the decimal mark here.
NUMBER_TEXT = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass
class CellReader:
    file: str
    ws: Sheet
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
        cell = self.ws.cell(row, column)
        if cell.data_type == "e":
            self.error(
                row,
                column,
                f"{what} là giá trị lỗi `{cell.value}` của một công thức; hãy sửa công thức hoặc xóa ô rồi gõ "
                "thẳng giá trị vào ô",
                path,
            )
            return True
        if cell.value is not None or (row, column) not in self.ws.formulas:
            return False
        formula = self.ws.formulas[(row, column)]
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
        where = f"ô {FORM_SHEET}!{column_letter(column)}{row}: " if row and column else ""
        self.errors.append(Diagnostic(self.file, where + message, line=row, column=column, path=format_path(path)))

    def text(self, row: int, column: int) -> str | None:
        """A text cell's content (numbers as their digits), or None when empty."""
        value = self.ws.cell(row, column).value
        if value is None:
            return None
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int | float):
            return plain_decimal(cell_decimal(value))
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

    def number(
        self, row: int, column: int, path: PathKey, what: str, limit: str, *, percent: bool = False
    ) -> Decimal | str | None:
        """A number cell: Decimal, the N/A text as is, None when empty; else an error.

        ``percent``: the cell holds a rate in % (a measured criterion, SPEC §3b), so 96,5 % typed
        into a Percent-formatted cell (stored 0,965) is read as 96.5."""
        cell = self.ws.cell(row, column)
        value = cell.value
        self.source.values[path] = self.mark(row, column)
        if self.unusable(row, column, what, path) or value is None:
            return None
        if isinstance(value, bool):
            self.error(row, column, f"{what} là giá trị đúng/sai (TRUE/FALSE), không phải một số; {limit}", path)
            return None
        if isinstance(value, int | float):
            if "%" in str(cell.number_format) and percent:
                return cell_decimal(value) * 100
            if "%" in str(cell.number_format):
                # 50% typed into a score cell is stored as 0,5: not what the person meant
                self.error(
                    row,
                    column,
                    f"{what} `{format_number(cell_decimal(value) * 100)}%` ở ô định dạng phần trăm (Percent), được lưu "
                    f"là {format_number(cell_decimal(value))}; ô này ghi số điểm, không ghi phần trăm: hãy đổi định "
                    f"dạng ô về Số (Number) rồi gõ lại số điểm, {limit.removeprefix('hãy ')}",
                    path,
                )
                return None
            return cell_decimal(value)
        if isinstance(value, str):
            text = " ".join(nfc(value).split())
            if not text:
                return None
            if norm_label(text) == norm_label(NA_TEXT):
                return NA_TEXT
            if NUMBER_TEXT.fullmatch(text):
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


def cell_decimal(value: int | float) -> Decimal:
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
