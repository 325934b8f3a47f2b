"""An .xlsx package read straight from its parts (zipfile + lxml): the sheet names, and the cells of
the wanted sheets exactly as openpyxl's full ``load_workbook(data_only=True)`` gives them, plus
each cell's formula and the merged ranges.

The parts read, as openpyxl finds and reads them:

- ``[Content_Types].xml``: the workbook part (the main part of an xlsx, xlsm, xltx or xltm
  package, else ``xl/workbook.xml`` when a default content type says so) and the shared strings;
- the workbook part and its relationships: the sheets' names and parts in order (a sheet without
  a relationship id, or whose part is missing, is left out), and the 1904 date system;
- ``xl/styles.xml``: each cell style's number format (custom codes rebased from 164, custom codes
  that equal a built-in one taken as the built-in), and which styles show dates or durations;
- the shared strings (rich text runs joined, phonetic runs left out, ``x005F_`` removed);
- each wanted sheet, one row at a time with ``iterparse``, every row cleared once it is read.

Every part is parsed without a DTD: a part that declares one (an XML entity bomb, an external
entity) is refused before its content is used; entities are never resolved, nothing is fetched
from the network, and libxml2's limits on huge documents stay on.

A cell's value follows openpyxl's reading of ``data_only``: numbers are ``int`` unless their text
has ``.``, ``e`` or ``E``; a number in a date style becomes a ``datetime`` (a ``time`` below one
day, a ``timedelta`` in a duration style) from the workbook's epoch, or the error ``#VALUE!``
when out of range; booleans, error values, shared and inline strings, a formula's saved string
result (``t="str"``) and ISO dates (``t="d"``). A shared formula's dependents get the master's
formula moved to their cell, as openpyxl's ``Translator`` moves it (imported only then).
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

from isoprov.excel.cells import column_letter
from isoprov.excel.form_sheet import MergedRange, Sheet, SheetCell, Workbook

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW = _MAIN + "row"
_VALUE = _MAIN + "v"
_FORMULA = _MAIN + "f"
_INLINE = _MAIN + "is"
_TEXT = _MAIN + "t"
_MERGES = _MAIN + "mergeCells"
_STRING_ITEM = _MAIN + "si"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

_CONTENT_TYPES = "[Content_Types].xml"
_STYLES = "xl/styles.xml"
_DEFAULT_WORKBOOK = "xl/workbook.xml"
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
#: Main parts of a workbook, in the order openpyxl looks for them.
_WORKBOOK_TYPES = (
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)

#: The number formats every spreadsheet knows by id (ECMA-376 §18.8.30), as openpyxl lists them.
BUILTIN_FORMATS: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
#: Custom format ids start here; a style's id at or above it points into the custom codes.
CUSTOM_FORMATS_FROM = 164
_BUILTIN_IDS = {code: number for number, code in BUILTIN_FORMATS.items()}

_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)


class UnsafePart(ValueError):
    """A part of the package declares a DTD (``<!DOCTYPE …>``), which no spreadsheet writes."""


class DamagedPart(ValueError):
    """A part of the package that is missing or cannot be read: ``part`` names it, ``cause``
    is what reading it raised (None: the part is missing)."""

    def __init__(self, part: str, cause: BaseException | None = None) -> None:
        super().__init__(part, cause)
        self.part = part
        self.cause = cause


@contextmanager
def _reading(part: str) -> Iterator[None]:
    """Anything reading ``part`` raises (a damaged package fails in many ways) as a
    :class:`DamagedPart` naming it; a refused DTD stays what it is."""
    try:
        yield
    except (UnsafePart, DamagedPart):
        raise
    except Exception as exc:
        raise DamagedPart(part, exc) from exc


# ---- number formats -------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def is_date_format(code: str | None) -> bool:
    """Whether a number format shows a date or a time, decided as openpyxl decides it.

    Only the first section (up to the first ``;``) counts. Quoted text (up to the next quote on
    the same line) and bracketed parts (``[Red]``, ``[$-409]``) are skipped, except the elapsed
    time markers ``[h]``, ``[hh]``, ``[m]``, ``[mm]``, ``[s]``, ``[ss]``; the format is a date
    when what is left has one of ``d m h y s`` (either case) not right after ``_`` or ``\\``.
    """
    if code is None:
        return False
    section = code.split(";")[0]
    kept: list[str] = []
    i, end = 0, len(section)
    while i < end:
        char = section[i]
        if char == '"':
            close = section.find('"', i + 1)
            if close != -1 and "\n" not in section[i + 1 : close]:
                i = close + 1
                continue
        elif char == "[":
            close = section.find("]", i + 1)
            if close != -1 and section[i + 1 : close] not in _ELAPSED:
                i = close + 1
                continue
        kept.append(char)
        i += 1
    return any(char in "dmhysDMHYS" and (k == 0 or kept[k - 1] not in "_\\") for k, char in enumerate(kept))


_ELAPSED = ("h", "hh", "m", "mm", "s", "ss")


def is_duration_format(code: str | None) -> bool:
    """Whether a number format shows elapsed time (``[h]:mm``): an elapsed time marker, in
    either case, in its first section."""
    return code is not None and _ELAPSED_MARKER.search(code.split(";")[0]) is not None


_ELAPSED_MARKER = re.compile(r"\[(?:hh?|mm?|ss?)\]", re.IGNORECASE)


def serial_to_date(value: int | float, mac_epoch: bool, duration: bool) -> dt.datetime | dt.time | dt.timedelta:
    """A date cell's serial number as openpyxl reads it: a ``timedelta`` for a duration format
    (to the millisecond), a ``time`` for a serial below one day, else a ``datetime`` counted
    from the workbook's epoch, Excel's phantom 29/02/1900 left out of serials below 60.
    Raises OverflowError or ValueError out of range."""
    if duration:
        span = dt.timedelta(days=value)
        if span.microseconds:
            span = dt.timedelta(seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3))
        return span
    days, part = divmod(value, 1)
    clock = dt.timedelta(milliseconds=round(part * 86400 * 1000))  # in this order: the same rounding
    if 0 <= value < 1 and clock.days == 0:
        minutes, seconds = divmod(clock.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, clock.microseconds)
    if not mac_epoch and 0 < value < 60:
        days += 1
    return (_MAC_EPOCH if mac_epoch else _WINDOWS_EPOCH) + dt.timedelta(days=days) + clock


@dataclass(slots=True)
class Styles:
    """Each cell style's number format id (rebased), the custom codes, and the styles whose
    format shows a date or a duration."""

    format_ids: list[int] = field(default_factory=lambda: [0])
    custom: list[str] = field(default_factory=list)
    dates: frozenset[int] = frozenset()
    durations: frozenset[int] = frozenset()

    def number_format(self, style: int) -> str:
        number = self.format_ids[style]
        if number < CUSTOM_FORMATS_FROM:
            return BUILTIN_FORMATS.get(number, "General")
        return self.custom[number - CUSTOM_FORMATS_FROM]


def read_styles(root: Any) -> Styles:
    """The cell styles (``cellXfs``) of ``xl/styles.xml``; a stylesheet without any gives the one
    default style, as in openpyxl."""
    codes: dict[int, str] = {}
    ids: list[int] = []
    for part in root:
        name = _local(part.tag)
        if name == "numFmts":
            codes = {}
            for item in part:
                if _local(item.tag) == "numFmt":
                    number_text, code_text = item.get("numFmtId"), item.get("formatCode")
                    if number_text is None or code_text is None:
                        raise ValueError("numFmt thiếu numFmtId hoặc formatCode")
                    codes[int(number_text)] = code_text
        elif name == "cellXfs":
            ids = [int(xf.get("numFmtId", 0)) for xf in part if _local(xf.tag) == "xf"]
    if not ids:
        return Styles()
    custom: dict[str, int] = {}  # code → its place among the custom codes, in order of first use
    dates: set[int] = set()
    durations: set[int] = set()
    for index, number in enumerate(ids):
        code: str | None
        if number in codes:
            code = codes[number]
            if code in _BUILTIN_IDS:
                ids[index] = _BUILTIN_IDS[code]
            else:
                ids[index] = custom.setdefault(code, len(custom)) + CUSTOM_FORMATS_FROM
        else:
            code = BUILTIN_FORMATS.get(number)
        if is_date_format(code):
            dates.add(index)
        if is_duration_format(code):
            durations.add(index)
    return Styles(ids, list(custom), frozenset(dates), frozenset(durations))


# ---- text -------------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    """An element's name without its namespace (openpyxl matches most children this way)."""
    text = str(tag)
    return text[text.index("}") + 1 :] if text.startswith("{") else text


def rich_text(node: Any) -> str:
    """The text of a shared or inline string: its plain text, then each run's, without the
    formatting and without the phonetic (furigana) runs; of repeated parts the last counts."""
    plain: str | None = None
    runs: list[str] = []
    for part in node:
        name = _local(part.tag)
        if name == "t":
            plain = part.text
        elif name == "r":
            run: str | None = None
            for piece in part:
                if _local(piece.tag) == "t":
                    run = piece.text
            if run is not None:
                runs.append(run)
    return (plain or "") + "".join(runs)


# ---- the package --------------------------------------------------------------------------------


#: Where the root element starts: the first tag that is not a declaration, comment or DOCTYPE.
_FIRST_TAG = re.compile(rb"<[^?!]")


def _parser_options() -> dict[str, Any]:
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
    }


def _refuse_dtd_text(data: bytes, name: str) -> None:
    """Refuse a part whose prolog declares a DTD, before it is parsed (a quick look at the bytes;
    the parsed document is checked too, for any encoding)."""
    start = _FIRST_TAG.search(data)
    head = data[: start.start()] if start else data
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnsafePart(_dtd_message(name))


def _refuse_dtd_tree(element: Any, name: str) -> None:
    if element.getroottree().docinfo.doctype:
        raise UnsafePart(_dtd_message(name))


def _dtd_message(name: str) -> str:
    return f"phần {name} có khai báo DTD (<!DOCTYPE>), điều mà tệp Excel không bao giờ có; tệp có thể độc hại"


def _parse(archive: zipfile.ZipFile, name: str) -> Any:
    """A small part, parsed whole with the safe options; its root element."""
    from lxml import etree

    data = archive.read(name)
    _refuse_dtd_text(data, name)
    root = etree.fromstring(data, etree.XMLParser(**_parser_options()))
    _refuse_dtd_tree(root, name)
    return root


def _rels_path(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """The relationships of ``part``: id → (type, target path inside the package). A list with a
    relationship missing its type or target counts as empty, as in openpyxl."""
    rels_path = _rels_path(part)
    root = _parse(archive, rels_path)
    parent = posixpath.split(posixpath.dirname(rels_path))[0]
    found: dict[str, tuple[str, str]] = {}
    for rel in root:
        kind, target, rel_id = rel.get("Type"), rel.get("Target"), rel.get("Id")
        if kind is None or target is None:
            return {}
        if rel.get("TargetMode") != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(parent, target))
        if rel_id:
            found[rel_id] = (kind, target)
    return found


@dataclass(slots=True)
class _Package:
    archive: zipfile.ZipFile
    names: set[str]
    workbook_part: str = _DEFAULT_WORKBOOK
    strings_part: str | None = None
    mac_epoch: bool = False
    #: (name, part path, chart sheet) of each sheet, in the workbook's order.
    sheets: list[tuple[str, str, bool]] = field(default_factory=list)
    #: Sheets the workbook lists whose part is not in the package: name → part path.
    missing: dict[str, str] = field(default_factory=dict)

    def read_manifest(self) -> None:
        overrides: list[tuple[str, str]] = []
        defaults: set[str] = set()
        for item in _parse(self.archive, _CONTENT_TYPES):
            name = _local(item.tag)
            if name in ("Override", "Default"):
                key = item.get("PartName" if name == "Override" else "Extension")
                kind = item.get("ContentType")
                if key is None or kind is None:
                    raise ValueError(f"{_CONTENT_TYPES}: mục {name} thiếu thuộc tính")
                if name == "Override":
                    overrides.append((key, kind))
                else:
                    defaults.add(kind)
        part = next((p for kind in _WORKBOOK_TYPES for p, t in overrides if t == kind), None)
        if part is not None:
            self.workbook_part = part[1:]
        elif not defaults & set(_WORKBOOK_TYPES):
            raise OSError("tệp không có phần workbook (bảng tính chính)")
        strings = next((p for p, t in overrides if t == _SHARED_STRINGS), None)
        self.strings_part = strings[1:] if strings is not None else None

    def read_workbook(self) -> None:
        root = _parse(self.archive, self.workbook_part)
        listed: list[tuple[str, str | None]] = []
        for part in root:
            name = _local(part.tag)
            if name == "workbookPr":
                flag = part.get("date1904")
                self.mac_epoch = flag is not None and flag not in ("", "false", "f", "0")
            elif name == "sheets":
                listed = []
                for sheet in part:
                    title, number = sheet.get("name"), sheet.get("sheetId")
                    if title is None or number is None:
                        raise ValueError("một trang tính không có tên hoặc số hiệu")
                    int(number)
                    listed.append((title, sheet.get(_REL_ID)))
        rels: dict[str, tuple[str, str]] | None = None
        for title, rel_id in listed:
            if not rel_id:
                continue
            if rels is None:
                rels = _relationships(self.archive, self.workbook_part)
            kind, target = rels[rel_id]
            if target in self.names:
                self.sheets.append((title, target, "chartsheet" in kind))
            else:
                self.missing[title] = target

    def read_strings(self) -> list[str]:
        if self.strings_part is None:
            return []
        from lxml import etree

        with self.archive.open(self.strings_part) as source:
            data = source.read()
        _refuse_dtd_text(data, self.strings_part)
        strings: list[str] = []
        checked = False
        context = etree.iterparse(io.BytesIO(data), events=("end",), tag=_STRING_ITEM, **_parser_options())
        for _, item in context:
            if not checked:
                _refuse_dtd_tree(item, self.strings_part)
                checked = True
            strings.append(rich_text(item).replace("x005F_", ""))
            _drop(item)
        return strings

    def read_styles(self) -> Styles:
        if _STYLES not in self.names:
            return Styles()
        return read_styles(_parse(self.archive, _STYLES))


def _drop(element: Any) -> None:
    """Free an element read by iterparse, and the siblings read before it."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def read_workbook(archive: zipfile.ZipFile, wanted: tuple[str, ...]) -> Workbook:
    """The workbook's sheet names and the cells of the ``wanted`` sheets it has (a chart sheet
    has none). Raises on a part that is missing, damaged or declares a DTD."""
    package = _Package(archive, set(archive.namelist()))
    with _reading(_CONTENT_TYPES):
        package.read_manifest()
    with _reading(package.strings_part or "xl/sharedStrings.xml"):
        strings = package.read_strings()
    with _reading(package.workbook_part):
        package.read_workbook()
    with _reading(_STYLES):
        styles = package.read_styles()
    names = [title for title, _, _ in package.sheets]
    sheets: dict[str, Sheet] = {}
    for want in wanted:
        if want in sheets:
            continue
        found = next(((part, chart) for title, part, chart in package.sheets if title == want), None)
        if found is None:
            missing = package.missing.get(want)
            if missing is not None:  # listed in the workbook, its cells lost (openpyxl skips it)
                raise DamagedPart(missing)
            continue
        part, chart = found
        reader = _SheetReader(strings, styles, package.mac_epoch)
        with _reading(part):
            sheets[want] = Sheet() if chart else reader.read(archive, part)
    return Workbook(names, sheets)


# ---- one sheet ---------------------------------------------------------------------------------

#: Cell references seen before ("E14" → (14, 5)): every form has the same ones.
_REFERENCES: dict[str, tuple[int, int]] = {}
_REFERENCES_LIMIT = 200_000


def cell_position(reference: str) -> tuple[int, int]:
    """(row, column) of a reference such as ``E14``, read as openpyxl reads it: the letters
    before the first digit are the column (A to ZZZ, either case), the rest is the row."""
    known = _REFERENCES.get(reference)
    if known is not None:
        return known
    cut = next((k for k, char in enumerate(reference) if "0" <= char <= "9"), max(len(reference) - 1, 0))
    position = (int(reference[cut:]), column_number(reference[:cut]))
    if len(_REFERENCES) >= _REFERENCES_LIMIT:
        _REFERENCES.clear()
    _REFERENCES[reference] = position
    return position


def column_number(letters: str) -> int:
    """1 for A … 18278 for ZZZ; ValueError for anything else."""
    if not 0 < len(letters) <= 3:
        raise ValueError(f"'{letters}' không phải tên cột")
    number = 0
    for char in letters.upper():
        if not "A" <= char <= "Z":
            raise ValueError(f"'{letters}' không phải tên cột")
        number = number * 26 + ord(char) - 64
    return number


_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$")


def merged_range(reference: str | None) -> MergedRange:
    """A merged range (``B3:D4``, or one cell ``B3``); ValueError for anything openpyxl refuses."""
    match = _RANGE.match(reference or "")
    if match is None:
        raise ValueError(f"vùng gộp ô không hợp lệ: {reference!r}")
    first_col, first_row = column_number(match[1]), int(match[2])
    last_col = column_number(match[3]) if match[3] else first_col
    last_row = int(match[4]) if match[4] else first_row
    if first_col > last_col or first_row > last_row:
        raise ValueError(f"vùng gộp ô không hợp lệ: {reference!r}")
    coord = f"{column_letter(first_col)}{first_row}"
    if (first_col, first_row) != (last_col, last_row):
        coord += f":{column_letter(last_col)}{last_row}"
    return MergedRange(first_row, first_col, last_row, last_col, coord)


def _number(text: str) -> int | float:
    return float(text) if "." in text or "e" in text or "E" in text else int(text)


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise ValueError(f"{text} không phải số hàng") from None
        return int(number)


_EMPTY = SheetCell()


class _SheetReader:
    """One sheet's rows, read as openpyxl's worksheet parser reads them (cells without a
    reference take the next column, rows without a number the next row)."""

    def __init__(self, strings: list[str], styles: Styles, mac_epoch: bool) -> None:
        self.strings = strings
        self.styles = styles
        self.mac_epoch = mac_epoch
        self.formats: dict[int, str] = {}
        self.blanks: dict[tuple[str, str], SheetCell] = {}
        self.masters: dict[str | None, Any] = {}  # shared formula id → openpyxl Translator

    def read(self, archive: zipfile.ZipFile, part: str) -> Sheet:
        from lxml import etree

        sheet = Sheet()
        data = archive.read(part)
        _refuse_dtd_text(data, part)
        merges: list[MergedRange] | None = None
        row_number = 0
        checked = False
        context = etree.iterparse(io.BytesIO(data), events=("end",), tag=(_ROW, _MERGES), **_parser_options())
        for _, element in context:
            if not checked:
                _refuse_dtd_tree(element, part)
                checked = True
            if element.tag == _ROW:
                number = element.get("r")
                row_number = row_number + 1 if number is None else _row_number(number)
                self._row(element, row_number, sheet)
            else:
                merges = [merged_range(item.get("ref")) for item in element if _local(item.tag) == "mergeCell"]
            _drop(element)
        if not checked:
            _refuse_dtd_tree(context.root, part)
        cells = sheet.cells
        # A full load keeps only the first cell of a merged range; the others read as empty.
        for merged in merges or ():
            sheet.merged.append(merged)
            cells.setdefault((merged.min_row, merged.min_col), _EMPTY)
            for y in range(merged.min_row, merged.max_row + 1):
                for x in range(merged.min_col, merged.max_col + 1):
                    if (y, x) != (merged.min_row, merged.min_col):
                        cells[(y, x)] = _EMPTY
        if cells:
            sheet.max_row = max(cells)[0]
            sheet.max_column = max(map(itemgetter(1), cells))
        return sheet

    def _row(self, element: Any, row_number: int, sheet: Sheet) -> None:
        cells, formulas, blanks = sheet.cells, sheet.formulas, self.blanks
        formats, dates, known = self.formats, self.styles.dates, _REFERENCES
        column = 0
        for cell in element:
            get = cell.get
            kind = get("t", "n")
            reference = get("r")
            style_text = get("s")
            if style_text is None:
                style = 0
            elif style_text:
                style = int(style_text)
            else:
                raise ValueError("ô có kiểu định dạng (s) rỗng")
            value_node = formula = inline = None
            if len(cell):  # most cells of a form are empty styled ones: no children to look at
                for child in cell:
                    tag = child.tag
                    if tag == _VALUE:
                        if value_node is None:
                            value_node = child
                    elif tag == _FORMULA:
                        if formula is None:
                            formula = child
                    elif tag == _INLINE and inline is None:
                        inline = child
            if reference:
                position = known.get(reference) or cell_position(reference)
                column = position[1]
            else:
                column += 1
                position = (row_number, column)
            value: Any = None
            if kind != "inlineStr" and value_node is not None:
                value = value_node.text or None
            if value is not None:
                if kind == "n":
                    value = _number(value)
                    if style in dates:
                        kind = "d"
                        try:
                            value = serial_to_date(value, self.mac_epoch, style in self.styles.durations)
                        except (OverflowError, ValueError):
                            kind, value = "e", "#VALUE!"
                elif kind == "s":
                    value = self.strings[int(value)]
                elif kind == "b":
                    value = bool(int(value))
                elif kind == "str":
                    kind = "s"
                elif kind == "d":
                    from openpyxl.utils.datetime import from_ISO8601

                    value = from_ISO8601(value)
            elif kind == "inlineStr" and inline is not None:
                # plain text without runs, the common case, read without rich_text's walk
                plain = len(inline) == 1 and inline[0].tag == _TEXT
                kind, value = "s", (inline[0].text or "") if plain else rich_text(inline)
            number_format = formats.get(style)
            if number_format is None:
                number_format = formats[style] = self.styles.number_format(style)
            if value is None:
                blank = blanks.get((kind, number_format))
                if blank is None:
                    blank = blanks[(kind, number_format)] = SheetCell(None, kind, number_format)
                cells[position] = blank
            else:
                cells[position] = SheetCell(value, kind, number_format)
            if formula is not None:
                formulas[position] = self._formula(formula, reference)

    def _formula(self, formula: Any, reference: str | None) -> str:
        """A formula's text as openpyxl gives it; a shared formula's dependent gets its master's
        formula moved to its own cell."""
        text = "=" + (formula.text or "")
        if formula.get("t") == "shared":
            group = formula.get("si")
            master = self.masters.get(group)
            if master is not None:
                return str(master.translate_formula(reference))
            if text != "=":
                from openpyxl.formula.translate import Translator

                self.masters[group] = Translator(text, reference)
        return text
