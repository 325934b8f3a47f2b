"""Cell helpers shared by every Excel writer (forms, score exports, budget exports).

Two rules every writer keeps, and keeps here in one place:

- **User text is never a formula.** openpyxl turns any string starting with ``=`` into a
  formula, and Excel re-reads text starting with ``+``, ``-``, ``@`` (or a leading tab or CR) as
  one when the cell is edited. Such text is written as a string cell carrying the quote prefix
  Excel itself uses for "this is text" (what typing ``'=abc`` in Excel produces).
- **Numbers are real numbers with Vietnamese-style formats.** Values are written as ``Decimal``
  (openpyxl stores their digits as given; nothing here goes through ``float``). Number format
  codes are stored with the invariant marks (``,`` groups thousands, ``.`` is the decimal
  point); Excel and LibreOffice display them with the reader's locale, so a Vietnamese desktop
  shows ``126.000.000`` and ``24,4``.

This module imports nothing heavy at top level: openpyxl is imported inside the functions, and
only the writers (never ``isoprov --help``) import this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any
from weakref import WeakKeyDictionary

from isoprov.core.jsonout import plain_decimal

#: What makes Excel or LibreOffice read a typed cell as a formula (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Characters an .xlsx cell cannot hold (XML 1.0 control characters); openpyxl raises on them.
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

#: Points: always two decimals (82,25), as the results are rounded to.
POINTS_FORMAT = "#,##0.00"
#: Whole numbers grouped by thousands (126.000.000 on a Vietnamese desktop).
INTEGER_FORMAT = "#,##0"


def safe_text(value: object) -> str:
    """``value`` as text an .xlsx cell can hold: illegal control characters removed."""
    return _ILLEGAL.sub("", str(value))


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula if it were typed in."""
    return text.startswith(FORMULA_START)


def set_text_cell(cell: Any, text: object) -> Any:
    """Write ``text`` into ``cell`` as text: never a formula, whatever it starts with."""
    clean = safe_text(text)
    cell.value = clean
    if looks_like_formula(clean):
        cell.data_type = "s"  # openpyxl made it "f" on assignment; force a plain string cell
        cell.quotePrefix = True
    return cell


def put_text(ws: Any, row: int, column: int, text: object) -> Any:
    """Write user text at ``row``/``column`` of ``ws`` (see :func:`set_text_cell`)."""
    return set_text_cell(ws.cell(row=row, column=column), text)


def exact(value: Decimal) -> Decimal:
    """The same value without exponent or trailing zeros, so the file holds plain digits."""
    return Decimal(plain_decimal(value))


def number_format(value: Decimal) -> str:
    """A format that shows ``value`` in full, grouped by thousands.

    A single ``#,##0.###`` code would leave a dangling decimal mark after whole numbers
    (``126,``), so each cell gets exactly the decimals its value needs: ``#,##0`` for whole
    numbers, ``#,##0.0`` for 24,4.
    """
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return INTEGER_FORMAT + ("." + "0" * places if places else "")


def set_number_cell(cell: Any, value: Decimal, fmt: str | None = None) -> Any:
    """Write a real number (from a ``Decimal``, never a float) with a Vietnamese-style format."""
    cell.value = exact(value)
    cell.number_format = fmt if fmt is not None else number_format(value)
    return cell


def put_number(
    ws: Any, row: int, column: int, value: Decimal, *, fmt: str | None = None, shown: Decimal | None = None
) -> Any:
    """Write a number at ``row``/``column``; ``shown`` picks the format when ``fmt`` is not given."""
    cell = ws.cell(row=row, column=column)
    set_number_cell(cell, value, fmt if fmt is not None else number_format(value if shown is None else shown))
    return cell


def put_formula(
    ws: Any, row: int, column: int, formula: str, value: Decimal | None = None, *, fmt: str | None = None
) -> Any:
    """A live formula written by the program (never user text); ``value`` only picks the format."""
    if not formula.startswith("="):
        raise ValueError(f"not a formula: {formula!r}")
    cell = ws.cell(row=row, column=column, value=formula)
    if fmt is not None:
        cell.number_format = fmt
    elif value is not None:
        cell.number_format = number_format(value)
    return cell


def text_width(text: str) -> int:
    """The widest line of ``text`` in characters (for fitting column widths)."""
    return max((len(line) for line in text.splitlines()), default=0)


def fit_columns(
    ws: Any, *, minimum: int = 6, maximum: int = 60, padding: int = 2, fixed: dict[str, float] | None = None
) -> None:
    """Set each column's width to fit its widest cell, within ``minimum``..``maximum``.

    Formula cells count as a short number; ``fixed`` widths (by column letter) win.
    """
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value is None or type(cell).__name__ == "MergedCell":
                continue
            if cell.data_type == "f":
                size = 10
            elif isinstance(value, Decimal | int | float):
                size = len(format(value, ",")) + 2
            else:
                size = text_width(str(value))
            widths[cell.column] = max(widths.get(cell.column, 0), size)
    for column, size in widths.items():
        letter = get_column_letter(column)
        ws.column_dimensions[letter].width = max(minimum, min(maximum, size + padding))
    for letter, width in (fixed or {}).items():
        ws.column_dimensions[letter].width = width


#: Points per line of 11-point text: rows with wrapped text are given their height explicitly,
#: since LibreOffice (and Excel, for files it did not write) keep the default one-line height.
LINE_HEIGHT = 15.0


def fit_row_heights(ws: Any, min_row: int, max_row: int, *, line_height: float = LINE_HEIGHT) -> None:
    """Give each row with wrapped text the height its longest cell needs.

    Only the cells that exist are looked at (not ``ws.iter_rows``, which makes every empty cell
    of the sheet's rectangle), and whether a cell wraps is read once per alignment of the
    workbook (cells of one look share their alignment's index).
    """
    from openpyxl.utils import get_column_letter

    cells = ws._cells
    last_column = ws.max_column
    widths: dict[int, float] = {}
    wraps: dict[int, bool] = {}
    for row in range(min_row, max_row + 1):
        lines = 1
        for column in range(1, last_column + 1):
            cell = cells.get((row, column))
            if cell is None or not isinstance(cell.value, str) or type(cell).__name__ == "MergedCell":
                continue
            style = cell._style
            alignment = style.alignmentId if style is not None else 0
            wrap = wraps.get(alignment)
            if wrap is None:
                wrap = wraps[alignment] = bool(cell.alignment is not None and cell.alignment.wrap_text)
            if not wrap:
                continue
            if column not in widths:
                width = ws.column_dimensions[get_column_letter(column)].width
                widths[column] = float(width or 13)
            # a width unit holds a little more than one character of Vietnamese text in the
            # default font; a line that is estimated short only leaves a little space below
            per_line = max(1, int(widths[column] * 1.2))
            needed = sum(max(1, -(-len(part) // per_line)) for part in cell.value.split("\n"))
            lines = max(lines, needed)
        if lines > 1:
            ws.row_dimensions[row].height = lines * line_height


def print_landscape(ws: Any, header_row: int) -> None:
    """Print on landscape A4, one page wide, the table header repeated on every page."""
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# House colours of every workbook isoprov writes.
INPUT_FILL = "FFF9DB"  # pale yellow: cells to fill in
GREY_FILL = "D9D9D9"
GREY_FONT = "808080"
HEADER_FILL = "DDEBF7"
GROUP_FILL = "F2F2F2"


def column_letter(column: int) -> str:
    """The letters of a 1-based column number (1 → A, 27 → AA), without importing openpyxl."""
    out = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


@cache
def thin_border() -> Any:
    """The thin grey border of table cells (one shared object: openpyxl hashes each style it is
    given, and a shared object is hashed without being rebuilt)."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="A6A6A6")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def sheet_ref(title: str, cell: str) -> str:
    """A reference to ``cell`` of another sheet, the sheet name quoted."""
    return "'" + title.replace("'", "''") + "'!" + cell


def formula_string(text: str) -> str:
    """``text`` inside an Excel string literal (quotes doubled)."""
    return text.replace('"', '""')


#: Per workbook: (a cell's style before, the change asked) → the cell's style after.
_RESTYLED: WeakKeyDictionary[Any, dict[tuple[tuple[int, ...], Hashable], tuple[int, ...]]] = WeakKeyDictionary()


def restyle(cell: Any, key: Hashable, change: Callable[[Any], object]) -> Any:
    """Apply ``change`` (named by ``key``: one key, one change) to ``cell``'s style.

    openpyxl registers every style object a cell is given by hashing and comparing it with the
    workbook's list (``Serialisable.__hash__``/``__eq__``): per cell, that is most of a large
    export's time. Here each distinct (style before, change) pair of a workbook is worked out
    once, through openpyxl's own setters, and every later cell gets the resulting style indices
    copied: the same file, written in time linear in the number of cells.
    """
    _restyle_with(_RESTYLED.setdefault(cell.parent.parent, {}), cell, key, change)
    return cell


def _restyle_with(
    memo: dict[tuple[tuple[int, ...], Hashable], tuple[int, ...]],
    cell: Any,
    key: Hashable,
    change: Callable[[Any], object],
) -> None:
    """:func:`restyle` with the workbook's memo already at hand."""
    from openpyxl.styles.cell_style import StyleArray

    at = (_style_of(cell), key)  # a cell's style is None until it is first styled
    after = memo.get(at)
    if after is None:
        change(cell)
        memo[at] = tuple(cell._style)
    else:
        cell._style = StyleArray(after)


def merge_apart(ws: Any, start_row: int, start_column: int, end_row: int, end_column: int) -> None:
    """``ws.merge_cells`` for a range that overlaps no range merged before (the caller's promise).

    openpyxl checks each new range against every merged one: quadratic in a sheet with a merged
    header per agency. The rest is what ``merge_cells`` does (the covered cells become merged
    cells, the borders of the first cell drawn around the range); since that drawing hashes a
    new border object per edge cell, the styles it gives are worked out once per workbook for
    each (style of the first cell, size of the range) and copied to the cells of later ranges.
    """
    from openpyxl.cell.cell import MergedCell
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.merge import MergedCellRange

    coord = CellRange(min_col=start_column, min_row=start_row, max_col=end_column, max_row=end_row).coord
    merged = MergedCellRange(ws, coord)  # makes the first cell if needed, takes the last one's borders
    ws.merged_cells.ranges.add(merged)
    start = merged.start_cell
    memo = _MERGED.setdefault(ws.parent, {})
    key = (_style_of(start), end_row - start_row, end_column - start_column)
    styles = memo.get(key)
    if styles is None:
        ws._clean_merge_range(merged)
        memo[key] = {
            (row - start_row, column - start_column): _style_of(ws._cells[row, column]) for row, column in merged.cells
        }
        return
    cells = ws._cells
    for row, column in merged.cells:
        style = styles[row - start_row, column - start_column]
        if row == start_row and column == start_column:
            start._style = StyleArray(style) if style else None
        else:
            cells[row, column] = MergedCell(ws, row, column)
            if style:
                cells[row, column]._style = StyleArray(style)


def _style_of(cell: Any) -> tuple[int, ...]:
    style = cell._style
    return tuple(style) if style is not None else ()


#: Per workbook: (style of a range's first cell, its height and width) → each cell's style after merging.
_MERGED: WeakKeyDictionary[Any, dict[tuple[tuple[int, ...], int, int], dict[tuple[int, int], tuple[int, ...]]]] = (
    WeakKeyDictionary()
)


@dataclass(frozen=True, slots=True)
class Look:
    """Changes made to a new cell's style, in order, named by ``key``: one key, one look per
    workbook (as for :func:`restyle`)."""

    key: Hashable
    changes: tuple[Callable[[Any], object], ...] = ()

    def then(self, other: Look) -> Look:
        """This look, then ``other``."""
        return Look(("then", self.key, other.key), self.changes + other.changes)


#: A cell with no style of its own (only its number format, if it has one).
PLAIN = Look(None)


class SheetWriter:
    """Writes the cells of one worksheet with their whole style at once (issue 16).

    What :func:`put_text`, :func:`put_number` and :func:`put_formula` followed by
    :func:`restyle` calls give a new cell, computed once per workbook for each combination of
    number format, quote prefix and :class:`Look` through openpyxl's own setters; every later
    cell with the same combination is made with that style (a copy of its index array), without
    openpyxl hashing a style object per cell. A cell written before is written the slow way,
    through the setters, so nothing here depends on the order of the writes.
    """

    def __init__(self, ws: Any) -> None:
        from openpyxl.cell.cell import Cell

        self.ws = ws
        self._cells: dict[tuple[int, int], Any] = ws._cells
        self._new_cell = Cell
        self._made = _MADE.setdefault(ws.parent, {})
        self._restyled = _RESTYLED.setdefault(ws.parent, {})
        self._numbers: dict[Decimal, tuple[Decimal, str]] = {}
        self._frame: tuple[int, int, Look] | None = None
        self._framed: set[tuple[int, int]] = set()
        self._in_frame: dict[Hashable, Look] = {}

    def frame(self, first_row: int, last_column: int, key: Hashable, change: Callable[[Any], object]) -> None:
        """From now on, a cell written in rows from ``first_row``, columns up to ``last_column``
        gets ``change`` (named ``key``) after its own look: what :meth:`restyle_block` over those
        cells would give it once everything is written, since each cell is written once.
        :meth:`close_frame` then gives the change to the frame's other cells."""
        self._frame = (first_row, last_column, Look(key, (change,)))
        self._in_frame = {}

    def close_frame(self, last_row: int) -> None:
        """The frame's change to each cell of its rows up to ``last_row`` not written since
        :meth:`frame`: empty ones made, others (written some other way) restyled."""
        assert self._frame is not None
        first_row, last_column, look = self._frame
        framed, cells = self._framed, self._cells
        for row in range(first_row, last_row + 1):
            for column in range(1, last_column + 1):
                at = (row, column)
                if at in framed:
                    continue
                if at in cells:
                    self.restyle_block(range(row, row + 1), range(column, column + 1), look.key, look.changes[0])
                else:
                    self._put(row, column, None, None, False, PLAIN)
        self._frame = None
        self._framed = set()

    def _put(self, row: int, column: int, value: Any, fmt: str | None, quote: bool, look: Look) -> Any:
        at = (row, column)
        frame = self._frame
        if frame is not None and row >= frame[0] and column <= frame[1]:
            framed = self._in_frame.get(look.key)
            if framed is None:
                framed = self._in_frame[look.key] = look.then(frame[2])
            look = framed
            self._framed.add(at)
        if at not in self._cells:
            key = (fmt, quote, look.key)
            style = self._made.get(key)
            if style is not None:
                cell = self._new_cell(self.ws, row, column, value, style or None)
                if quote:
                    cell.data_type = "s"
                self._cells[at] = cell
                return cell
        cell = self.ws.cell(row=row, column=column)
        fresh = cell._style is None
        cell.value = value
        if quote:
            cell.data_type = "s"  # openpyxl made it "f" on assignment; force a plain string cell
            cell.quotePrefix = True
        if fmt is not None:
            cell.number_format = fmt
        for change in look.changes:
            change(cell)
        if fresh:
            self._made[(fmt, quote, look.key)] = _style_of(cell)
        return cell

    def text(self, row: int, column: int, text: object, look: Look = PLAIN) -> Any:
        """User text, never a formula (as :func:`put_text`), with ``look``."""
        clean = safe_text(text)
        return self._put(row, column, clean, None, looks_like_formula(clean), look)

    def number(
        self,
        row: int,
        column: int,
        value: Decimal,
        look: Look = PLAIN,
        *,
        fmt: str | None = None,
        shown: Decimal | None = None,
    ) -> Any:
        """A number (as :func:`put_number`), with ``look``."""
        known = self._numbers.get(value)
        if known is None:  # equal decimals have the same digits once exact() normalises them
            known = self._numbers[value] = (exact(value), number_format(value))
        if fmt is None:
            fmt = known[1] if shown is None else number_format(shown)
        return self._put(row, column, known[0], fmt, False, look)

    def formula(
        self,
        row: int,
        column: int,
        formula: str,
        value: Decimal | None = None,
        look: Look = PLAIN,
        *,
        fmt: str | None = None,
    ) -> Any:
        """A live formula written by the program (as :func:`put_formula`), with ``look``."""
        if not formula.startswith("="):
            raise ValueError(f"not a formula: {formula!r}")
        if fmt is None and value is not None:
            fmt = number_format(value)
        return self._put(row, column, formula, fmt, False, look)

    def empty(self, row: int, column: int, look: Look) -> Any:
        """An empty cell with ``look`` (as :func:`restyle` on the cell ``ws.cell`` makes)."""
        return self._put(row, column, None, None, False, look)

    def restyle_block(self, rows: range, columns: range, key: Hashable, change: Callable[[Any], object]) -> None:
        """:func:`restyle` every cell of ``rows`` × ``columns``, empty ones made (as iterating
        ``ws.iter_rows`` over them does)."""
        cells, memo, make = self._cells, self._restyled, self._new_cell
        for row in rows:
            for column in columns:
                cell = cells.get((row, column))
                if cell is None:
                    cell = cells[row, column] = make(self.ws, row, column)
                _restyle_with(memo, cell, key, change)


#: Per workbook: (number format, quote prefix, look) → the style of a new cell written with them.
_MADE: WeakKeyDictionary[Any, dict[tuple[str | None, bool, Hashable], tuple[int, ...]]] = WeakKeyDictionary()
