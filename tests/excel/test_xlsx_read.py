"""Reading an .xlsx straight from its parts (``excel.xlsx_read``, zipfile + lxml) gives, cell for
cell, what openpyxl gives: the values, types and number formats of a full
``load_workbook(data_only=True)``, the formulas of a second load, the merged ranges, the size,
the sheet names (issue 16).

The workbooks compared are the ones the test suite and the examples make: forms of every
criteria set that has one, filled forms (YAML assessments, dates, booleans, error values, rich
text, percent cells, merged cells, formulas, the 1904 date system, custom number formats), the
score, budget, compare and actions exports, the same saved again by LibreOffice, and packages
written by hand with what office programs write and openpyxl does not (shared strings, rich and
phonetic runs, ``t="str"``, ``t="d"``, shared and array formulas, cells and rows without a
reference, custom formats that rename built-in ones, serials out of a date's range).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
import warnings
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from isoprov.core.diagnostics import InputError
from isoprov.excel.form_layout import FORM_SHEET, META_SHEET
from isoprov.excel.form_reader import read_assessment_form
from isoprov.excel.form_sheet import open_form_workbook
from isoprov.excel.xlsx_read import (
    is_date_format,
    is_duration_format,
    merged_range,
    read_workbook,
    serial_to_date,
)
from isoprov.scoring.catalog import Catalog
from tests import DATA, ROOT
from tests.clirun import invoke
from tests.conftest import libreoffice_convert, needs_libreoffice
from tests.excel.test_form import CRITERIA, ROW, edit, fill_form
from tests.excel.test_rules_form import fill as fill_rules_form

# ---- the oracle: openpyxl ----------------------------------------------------------------------


def _typed(value: Any) -> tuple[str, Any]:
    """A value with its type: 1, 1.0 and True are three different cells."""
    return type(value).__name__, value


def _formula_text(value: Any) -> str:
    return value if isinstance(value, str) else str(value.text)  # an ArrayFormula keeps its text


def oracle(path: Path) -> tuple[list[str], dict[str, Any]]:
    """Each sheet as openpyxl reads it: (cells, formulas, merged ranges, max_row, max_column)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about what it drops (extensions, dates)
        full = load_workbook(path, data_only=True)
        lazy = load_workbook(path, read_only=True)  # read-only keeps the formulas of merged cells too
        sheets: dict[str, Any] = {}
        for name in full.sheetnames:
            ws = full[name]
            if not hasattr(ws, "_cells"):  # a chart sheet
                sheets[name] = ({}, {}, set(), 1, 1)
                continue
            cells = {key: (_typed(c.value), c.data_type, c.number_format) for key, c in ws._cells.items()}
            formulas: dict[tuple[int, int], str] = {}
            source = lazy[name]
            source.reset_dimensions()  # every row, whatever the sheet's <dimension> says
            for row in source.iter_rows():
                for c in row:
                    if c.data_type == "f":
                        formulas[(c.row, c.column)] = _formula_text(c.value)
            merged = {(r.min_row, r.min_col, r.max_row, r.max_col, r.coord) for r in ws.merged_cells.ranges}
            sheets[name] = (cells, formulas, merged, ws.max_row, ws.max_column)
        lazy.close()
    return full.sheetnames, sheets


def ours(path: Path) -> tuple[list[str], dict[str, Any]]:
    with zipfile.ZipFile(path) as archive:
        names = read_workbook(archive, ()).sheetnames
        wb = read_workbook(archive, tuple(names))
    sheets: dict[str, Any] = {}
    for name, sheet in wb.sheets.items():
        cells = {key: (_typed(c.value), c.data_type, c.number_format) for key, c in sheet.cells.items()}
        merged = [(m.min_row, m.min_col, m.max_row, m.max_col, m.coord) for m in sheet.merged]
        assert len(merged) == len(set(merged)), path.name
        sheets[name] = (cells, dict(sheet.formulas), set(merged), sheet.max_row, sheet.max_column)
    return wb.sheetnames, sheets


def assert_same(path: Path) -> None:
    want_names, want = oracle(path)
    got_names, got = ours(path)
    assert got_names == want_names, path.name
    for name in want_names:
        w_cells, w_formulas, w_merged, w_rows, w_cols = want[name]
        g_cells, g_formulas, g_merged, g_rows, g_cols = got[name]
        where = f"{path.name}!{name}"
        assert g_cells.keys() == w_cells.keys(), where
        for key, cell in w_cells.items():
            assert g_cells[key] == cell, f"{where} {key}"
        assert g_formulas == w_formulas, where
        assert g_merged == w_merged, where
        assert (g_rows, g_cols) == (w_rows, w_cols), where


# ---- the workbooks the suite makes --------------------------------------------------------------


def _cli(*args: str | Path) -> int:
    return int(invoke(args).exit_code)


def _forms(folder: Path) -> list[Path]:
    """A form of every criteria set of the tests and the package that makes one."""
    sets = sorted(ROOT.glob("criteria/*.yaml")) + sorted(DATA.rglob("criteria*/*.yaml"))
    made = []
    for k, criteria in enumerate(sets):
        target = folder / f"form-{k:02d}-{criteria.stem}.xlsx"
        if _cli("form", criteria, "-o", target) == 0:
            made.append(target)
    return made


def _rich(value: str) -> Any:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    return CellRichText(["Báo cáo ", TextBlock(InlineFont(b=True), value), " (bản chính)"])


def _variants(filled: Path, folder: Path) -> list[Path]:
    """The filled form with every kind of cell an agency's program may leave in it."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    e, f, g, h = (f"{c}{ROW['1.1']}" for c in "EFGH")
    kinds: dict[str, dict[str, Any]] = {
        "dates": {
            f: dt.datetime(2020, 1, 5),
            g: dt.date(1900, 2, 27),
            h: dt.time(13, 45, 30),
            e: dt.datetime(2026, 12, 6, 7, 5),
        },
        "bools": {e: True, f: False},
        "errors": {e: "#N/A", f: "#DIV/0!", g: "#REF!"},
        "rich": {f: _rich("số 12/QĐ"), g: "dòng 1\ndòng 2\r\n _x000D_ x005F_x"},
        "numbers": {e: 0.1 + 0.2, f: 10**15, g: -2.5, h: 1e-7},
        "formulas": {e: "=4+5", f: '="QĐ "&"12"', g: "=SUM(D10:D12)", h: "=E12*2"},
        "text": {e: "'=1+1", f: "  ", g: "Không áp dụng"},
    }
    made = [edit(filled, folder / f"variant-{name}.xlsx", **cells) for name, cells in kinds.items()]
    wb = load_workbook(filled)
    ws = wb[FORM_SHEET]
    ws[e].number_format = "0%"
    ws[f].number_format = "0.0%"
    ws[g] = 45000
    ws[g].number_format = "dd/mm/yyyy"
    ws[h] = 1.75
    ws[h].number_format = "[h]:mm:ss"
    ws["B3"].number_format = '#,##0.00 "đồng"'
    ws.merge_cells(f"{f}:{g}")
    ws.merge_cells("J2:K3")
    made.append(folder / "variant-formats-merged.xlsx")
    wb.save(made[-1])
    wb = load_workbook(filled)
    wb.epoch = CALENDAR_MAC_1904
    ws = wb[FORM_SHEET]
    ws[f] = dt.datetime(2020, 1, 5, 12)
    ws[g] = dt.date(1904, 1, 1)
    made.append(folder / "variant-1904.xlsx")
    wb.save(made[-1])
    return made


def _exports(folder: Path) -> list[Path]:
    examples = ROOT / "examples"
    runs = [
        ("score", DATA / "assessment", "--criteria", CRITERIA, "--xlsx", folder / "export-score.xlsx"),
        ("budget", "check", examples / "bac-giang-2020" / "du-toan.yaml", "--xlsx", folder / "export-budget.xlsx"),
        (
            "compare",
            *(DATA / "compare" / "y2020", DATA / "compare" / "y2021", "--criteria", DATA / "compare" / "criteria"),
            *("--xlsx", folder / "export-compare.xlsx"),
        ),
        ("inspect", "actions", examples / "binh-phuoc-2021", "--xlsx", folder / "export-actions.xlsx"),
    ]
    for args in runs:
        _cli(*args)
    return sorted(folder.glob("export-*.xlsx"))


@pytest.fixture(scope="module")
def suite_workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("suite")
    forms = _forms(folder)
    plain = next(p for p in forms if p.name.endswith("-valid.xlsx"))
    filled = [
        fill_form(plain, assessment, folder / f"filled-{assessment.stem}.xlsx")
        for assessment in sorted((DATA / "assessment").glob("valid-*.yaml"))
    ]
    # the examples, filled in their own forms: the §3b set (values, counts, Đạt / Không đạt) and
    # the 2020 set
    for criteria, examples in (
        ("mau-hai-cap-2026", sorted((ROOT / "examples" / "mau-2026" / "danh-gia").glob("*.yaml"))),
        ("mau-cap-tinh-huyen-xa", sorted((ROOT / "examples" / "bac-giang-2020" / "assessments").glob("*.yaml"))[:4]),
    ):
        form = folder / f"form-example-{criteria}.xlsx"
        assert _cli("form", criteria, "-o", form) == 0
        for example in examples:
            filled.append(folder / f"filled-example-{example.parent.parent.name}-{example.stem}.xlsx")
            fill_rules_form(form, filled[-1], example)
    return forms + filled + _variants(filled[0], folder) + _exports(folder)


def test_the_suite_makes_every_kind_of_workbook(suite_workbooks: list[Path]) -> None:
    names = {p.name.split("-")[0] for p in suite_workbooks}
    assert names == {"form", "filled", "variant", "export"}
    assert len([p for p in suite_workbooks if p.name.startswith("form-")]) >= 5
    assert len([p for p in suite_workbooks if p.name.startswith("export-")]) == 4


def test_every_workbook_of_the_suite_reads_as_openpyxl_reads_it(suite_workbooks: list[Path]) -> None:
    for path in suite_workbooks:
        assert_same(path)


@needs_libreoffice
def test_workbooks_saved_by_libreoffice_read_as_openpyxl_reads_them(
    suite_workbooks: list[Path], tmp_path: Path
) -> None:
    """LibreOffice writes shared strings, its own number formats, computed formula results
    (``t="str"`` for text) and booleans."""
    chosen = [p for p in suite_workbooks if not p.name.startswith("form-")]
    out, stderr = libreoffice_convert(tmp_path, *chosen)
    saved = sorted(out.glob("*.xlsx"))
    assert len(saved) == len(chosen), stderr
    with zipfile.ZipFile(out / "variant-rich.xlsx") as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
    for path in saved:
        assert_same(path)


# ---- packages written by hand --------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def package(
    path: Path,
    sheets: dict[str, str],
    *,
    strings: str | None = None,
    styles: str | None = None,
    workbook_pr: str = "",
    raw: dict[str, bytes] | None = None,
) -> Path:
    """An .xlsx of ``sheets`` (name → the XML inside ``<worksheet>``), as Excel lays it out."""
    overrides = [
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    ]
    rels, entries = [], []
    for k, name in enumerate(sheets, start=1):
        overrides.append(
            f'<Override PartName="/xl/worksheets/sheet{k}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
        rels.append(
            f'<Relationship Id="rId{k}" Target="worksheets/sheet{k}.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        )
        entries.append(f'<sheet name="{name}" sheetId="{k}" r:id="rId{k}"/>')
    if strings is not None:
        overrides.append(
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts = {
        "[Content_Types].xml": f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>",
        "_rels/.rels": f'{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
        "xl/workbook.xml": f'{head}<workbook xmlns="{_MAIN}" xmlns:r="{_R}">{workbook_pr}<sheets>'
        + "".join(entries)
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships">' + "".join(rels) + "</Relationships>",
        "xl/styles.xml": head + (styles if styles is not None else STYLES),
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = f'{head}<sst xmlns="{_MAIN}">{strings}</sst>'
    for k, body in enumerate(sheets.values(), start=1):
        parts[f"xl/worksheets/sheet{k}.xml"] = f'{head}<worksheet xmlns="{_MAIN}" xmlns:r="{_R}">{body}</worksheet>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
        for name, data in (raw or {}).items():
            archive.writestr(name, data)
    return path


#: Styles: 0 General, 1 a built-in date (14), 2 a custom date, 3 a duration, 4 percent, 5 a custom
#: code that renames built-in 14, 6 a custom code equal to a built-in one (0.00), 7 a custom id
#: below 164 overriding a built-in, 8 text, 9 a quoted "d" that is no date, 10 an escaped one.
STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><numFmts count="6">'
    '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="[hh]:mm"/>'
    '<numFmt numFmtId="166" formatCode="d-mmm-yy"/>'
    '<numFmt numFmtId="167" formatCode="0.00"/>'
    '<numFmt numFmtId="22" formatCode="#,##0.000"/>'
    '<numFmt numFmtId="168" formatCode="&quot;day&quot; 0"/>'
    '<numFmt numFmtId="169" formatCode="\\d 0;[Red]0"/>'
    "</numFmts><cellXfs>"
    '<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="9"/>'
    '<xf numFmtId="166"/><xf numFmtId="167"/><xf numFmtId="22"/><xf numFmtId="49"/><xf numFmtId="168"/>'
    '<xf numFmtId="169"/>'
    "</cellXfs></styleSheet>"
)

SHARED = (
    "<si><t>Mã cơ quan</t></si>"
    '<si><r><rPr><b/></rPr><t xml:space="preserve">Báo cáo </t></r><r><t>số 12</t></r></si>'
    '<si><t>Tên</t><rPh sb="0" eb="1"><t>フリガナ</t></rPh><phoneticPr fontId="1"/></si>'
    "<si><t>a_x005F_x000D_b x005F_c</t></si>"
    "<si><t/></si>"
    '<si><t xml:space="preserve">  khoảng trắng  </t></si>'
    "<si><t>đầu</t><r><t>cuối</t></r></si>"
)

CELLS = (
    '<dimension ref="A1:C2"/>'  # wrong on purpose: the cells go further
    "<sheetData>"
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
    '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c>'
    '<c r="G1" t="s"><v>6</v></c></row>'
    '<row r="2"><c r="A2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="B2" t="e"><v>#N/A</v></c>'
    '<c r="C2" t="b"><v>1</v></c><c r="D2" t="b"><v>0</v></c><c r="E2" t="d"><v>2020-01-05T10:30:00</v></c>'
    '<c r="F2" t="d"><v>2020-01-05</v></c><c r="G2" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>'
    '<c r="H2" t="inlineStr"/><c r="I2" t="n"><v></v></c><c r="J2" t="str"><f>A1</f></c></row>'
    # numbers: int, float, exponent, negative, in every style
    '<row r="3"><c r="A3"><v>7</v></c><c r="B3"><v>7.5</v></c><c r="C3"><v>1E3</v></c><c r="D3"><v>-0</v></c>'
    '<c r="E3" s="1"><v>43835</v></c><c r="F3" s="2"><v>43835.5</v></c><c r="G3" s="3"><v>1.25</v></c>'
    '<c r="H3" s="4"><v>0.965</v></c><c r="I3" s="5"><v>60</v></c><c r="J3" s="6"><v>2.5</v></c>'
    '<c r="K3" s="7"><v>3</v></c><c r="L3" s="8"><v>12</v></c><c r="M3" s="9"><v>5</v></c>'
    '<c r="N3" s="10"><v>5</v></c></row>'
    # dates at the edges of Excel's calendar, and out of it
    '<row r="4"><c r="A4" s="1"><v>0</v></c><c r="B4" s="1"><v>0.5</v></c><c r="C4" s="1"><v>59</v></c>'
    '<c r="D4" s="1"><v>61</v></c><c r="E4" s="1"><v>1</v></c><c r="F4" s="1"><v>99999999</v></c>'
    '<c r="G4" s="3"><v>-1.5</v></c><c r="H4" s="1"><v>0.99999999</v></c><c r="I4" s="2"><v>-3</v></c></row>'
    # no references: the next row, the next column
    '<row><c><v>1</v></c><c t="s"><v>0</v></c><c r="E5"><v>5</v></c><c><v>6</v></c></row>'
    '<row r="7" spans="1:3" ht="20" customHeight="1"><c r="a7"><v>1</v></c><c r="B7"><v>2</v></c></row>'
    '<row r="8.0"><c r="A8"><v>8</v></c></row>'
    # formulas: shared (master and dependents), array, empty, a dependent of an unknown group
    '<row r="10"><c r="A10"><f t="shared" ref="A10:A13" si="0">B10*2+$C$1</f><v>4</v></c>'
    '<c r="B10"><f t="array" ref="B10:B11">SUM(C10:C11*2)</f><v>0</v></c><c r="C10"><f/><v>1</v></c>'
    '<c r="D10"><f t="shared" si="9"/><v>1</v></c></row>'
    '<row r="11"><c r="A11"><f t="shared" si="0"/><v>6</v></c></row>'
    '<row r="13"><c r="A13"><f t="shared" si="0"/></c><c r="B13" s="1"><f>TODAY()</f><v>45000</v></c></row>'
    "</sheetData>"
    '<mergeCells count="3"><mergeCell ref="D20:F21"/><mergeCell ref="$H$20:$I$20"/><mergeCell ref="K20"/></mergeCells>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
)


def _one_cell(cells: str, row: int = 1) -> str:
    return f'<sheetData><row r="{row}">{cells}</row></sheetData>'


def test_a_package_with_what_office_programs_write_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    path = package(tmp_path / "tay.xlsx", {"Dữ liệu": CELLS, "Trống": "<sheetData/>"}, strings=SHARED)
    assert_same(path)
    sheet = open_form_workbook(path, "tay.xlsx", ("Dữ liệu",)).sheets["Dữ liệu"]
    # what the rows above are there for
    assert sheet.cell(1, 2).value == "Báo cáo số 12" and sheet.cell(1, 3).value == "Tên"
    assert sheet.cell(3, 5).value == dt.datetime(2020, 1, 5) and sheet.cell(3, 8).number_format == "0%"
    assert sheet.cell(4, 6).data_type == "e" and sheet.cell(4, 6).value == "#VALUE!"
    assert sheet.formulas[(11, 1)] == "=B11*2+$C$1" and sheet.formulas[(13, 1)] == "=B13*2+$C$1"
    assert sheet.cell(5, 1).value == 1 and sheet.cell(5, 5).value == 5 and sheet.cell(5, 6).value == 6
    assert sheet.cell(21, 6).value is None and (21, 6) in sheet.cells


def test_the_1904_date_system_and_a_sheet_list_as_openpyxl_reads_them(tmp_path: Path) -> None:
    path = package(
        tmp_path / "mac.xlsx",
        {
            "A": CELLS,
            "Không có phần": "<sheetData/>",
            "B": '<sheetData><row r="2"><c r="B2"><v>1</v></c></row></sheetData>',
        },
        strings=SHARED,
        workbook_pr='<workbookPr date1904="1"/>',
    )
    # a sheet whose part is missing is left out of the names, as openpyxl leaves it out
    with zipfile.ZipFile(path) as source:
        parts = {i.filename: source.read(i) for i in source.infolist() if i.filename != "xl/worksheets/sheet2.xml"}
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert_same(path)
    assert open_form_workbook(path, "mac.xlsx", ()).sheetnames == ["A", "B"]
    assert open_form_workbook(path, "mac.xlsx", ("A",)).sheets["A"].cell(3, 5).value == dt.datetime(2024, 1, 6)


def test_a_stylesheet_without_cell_styles_gives_the_default_style(tmp_path: Path) -> None:
    sheet = '<sheetData><row r="1"><c r="A1"><v>43835</v></c><c r="B1" t="b"><v>1</v></c></row></sheetData>'
    for k, styles in enumerate(
        [f'<styleSheet xmlns="{_MAIN}"/>', f'<styleSheet xmlns="{_MAIN}"><cellXfs/></styleSheet>']
    ):
        assert_same(package(tmp_path / f"s{k}.xlsx", {"S": sheet}, styles=styles))


def test_the_merged_ranges_openpyxl_accepts_read_alike() -> None:
    from openpyxl.worksheet.cell_range import CellRange

    for ref in ["A1", "A1:B2", "$A$1:$C$3", "b2:c5", "XFD1:XFD3", "ZZZ1", "A1:A1"]:
        r = CellRange(ref)
        m = merged_range(ref)
        assert (m.min_row, m.min_col, m.max_row, m.max_col, m.coord) == (
            r.min_row,
            r.min_col,
            r.max_row,
            r.max_col,
            r.coord,
        )
    for ref in ["B2:A1", "A2:A1", "A", "1:2", "A:B", "", None, "A1:B", "AAAA1"]:
        with pytest.raises((ValueError, TypeError)):
            CellRange(ref)
        with pytest.raises(ValueError):
            merged_range(ref)


# ---- number formats and dates, against openpyxl's own functions ---------------------------------

_FORMAT_CHARS = st.text(alphabet='dmhysDMHYSaA0#.,;:_\\"[]$-/ @%E+hH\n', max_size=14)


@settings(max_examples=3000, deadline=None)
@given(_FORMAT_CHARS)
def test_date_and_duration_formats_are_told_apart_as_openpyxl_does(code: str) -> None:
    from openpyxl.styles.numbers import is_date_format as openpyxl_date
    from openpyxl.styles.numbers import is_timedelta_format as openpyxl_duration

    assert is_date_format(code) == openpyxl_date(code)
    assert is_duration_format(code) == openpyxl_duration(code)


def test_every_builtin_and_usual_format_is_told_apart_as_openpyxl_does() -> None:
    from openpyxl.styles import numbers

    codes = list(numbers.BUILTIN_FORMATS.values()) + [
        v for k, v in vars(numbers).items() if k.startswith("FORMAT_") and isinstance(v, str)
    ]
    codes += ["[$-42A]dd/mm/yyyy", '#,##0 "đ"', '"ngày" d', "[Red][<0]0", "[h]", "[HH]:MM", "[mmm]", "_d", "\\m"]
    for code in codes:
        assert is_date_format(code) == numbers.is_date_format(code), code
        assert is_duration_format(code) == numbers.is_timedelta_format(code), code
    assert is_date_format(None) is False and is_duration_format(None) is False


_SERIALS = st.one_of(
    st.integers(min_value=-800_000, max_value=3_000_000),
    st.floats(min_value=-800_000, max_value=3_000_000, allow_nan=False),
    st.sampled_from([0, 0.5, 1, 59, 59.999, 60, 60.5, 61, 0.9999999, 0.99999999999, -0.5, 1e-9, 2_958_465.99999]),
)


@settings(max_examples=3000, deadline=None)
@given(_SERIALS, st.booleans(), st.booleans())
def test_serials_become_dates_as_openpyxl_makes_them(value: int | float, mac: bool, duration: bool) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900
    try:
        want: Any = from_excel(value, epoch, timedelta=duration)
    except (OverflowError, ValueError) as exc:
        with pytest.raises(type(exc)):
            serial_to_date(value, mac, duration)
        return
    got = serial_to_date(value, mac, duration)
    assert (type(got), got) == (type(want), want)


# ---- refused packages ------------------------------------------------------------------------------


def _rewritten(source: Path, target: Path, part: str, change: Any) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, change(data) if info.filename == part else data)
    return target


def _without(source: Path, target: Path, part: str) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info))
    return target


def _with_doctype(declaration: str) -> Any:
    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        if not text.startswith("<?xml"):  # openpyxl writes most parts without an XML declaration
            return (declaration + text).encode()
        head, _, rest = text.partition("?>")
        return f"{head}?>{declaration}{rest}".encode()

    return change


@pytest.fixture(scope="module")
def filled_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dien")
    form = folder / "bieu-mau.xlsx"
    assert _cli("form", CRITERIA, "-o", form) == 0
    return fill_form(form, DATA / "assessment" / "valid-skhcn.yaml", folder / "skhcn.xlsx")


@pytest.mark.parametrize(
    "part",
    [
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    ],
)
@pytest.mark.parametrize(
    "declaration",
    [
        "<!DOCTYPE x>",
        '<!DOCTYPE x SYSTEM "http://example.com/x.dtd">',
        '<!DOCTYPE x [<!ENTITY a "b">]>',
        "<!-- chú thích -->\n<!DOCTYPE x [<!ENTITY % p SYSTEM 'file:///etc/passwd'> %p;]>",
    ],
)
def test_a_part_declaring_a_dtd_is_refused(filled_form: Path, tmp_path: Path, part: str, declaration: str) -> None:
    path = _rewritten(filled_form, tmp_path / "dtd.xlsx", part, _with_doctype(declaration))
    with pytest.raises(InputError) as caught:
        open_form_workbook(path, "dtd.xlsx", (FORM_SHEET, META_SHEET))
    (problem,) = caught.value.diagnostics
    assert problem.message.startswith("tệp Excel bị từ chối: phần ")
    assert "DTD" in problem.message and problem.message.endswith("tệp có thể độc hại; hãy đề nghị gửi lại tệp khác")


def test_a_dtd_in_shared_strings_and_in_utf16_is_refused(tmp_path: Path) -> None:
    path = package(tmp_path / "ss.xlsx", {"A": CELLS}, strings=SHARED)
    refused = _rewritten(path, tmp_path / "ss-dtd.xlsx", "xl/sharedStrings.xml", _with_doctype("<!DOCTYPE sst>"))
    utf16 = _rewritten(
        path,
        tmp_path / "utf16.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda data: (
            data.decode("utf-8")
            .replace('encoding="UTF-8"', 'encoding="UTF-16"')
            .replace("?>", '?><!DOCTYPE worksheet [<!ENTITY a "b">]>', 1)
            .encode("utf-16")
        ),
    )
    for bad in (refused, utf16):
        with pytest.raises(InputError, match=r"bị từ chối: phần xl/.* có khai báo DTD"):
            open_form_workbook(bad, bad.name, ("A",))


def test_an_entity_bomb_is_refused_at_once(filled_form: Path, tmp_path: Path) -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(30))
    bombs = [
        _rewritten(
            filled_form,
            tmp_path / f"bom-{k}.xlsx",
            "xl/worksheets/sheet1.xml",
            lambda data, k=k: _with_doctype(f"<!DOCTYPE worksheet [{lol}]>")(data).replace(
                b"<v>" if k == 0 else b'<c r="A1"', b"<v>&l29;" if k == 0 else b'<c r="&l29;"', 1
            ),
        )
        for k in range(2)
    ]
    started = time.perf_counter()
    for bomb in bombs:
        with pytest.raises(InputError, match=r"tệp Excel bị từ chối: phần xl/worksheets/sheet1\.xml có khai báo DTD"):
            open_form_workbook(bomb, bomb.name, (FORM_SHEET,))
    assert time.perf_counter() - started < 1


def test_damaged_packages_are_refused_with_the_usual_messages(filled_form: Path, tmp_path: Path) -> None:
    def refused(path: Path, wanted: tuple[str, ...] = (FORM_SHEET, META_SHEET)) -> str:
        with pytest.raises(InputError) as caught:
            open_form_workbook(path, path.name, wanted)
        (problem,) = caught.value.diagnostics
        return problem.message

    (tmp_path / "not.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert refused(tmp_path / "not.xlsx").startswith("tệp không phải tệp Excel .xlsx hợp lệ")
    broken_xml = _rewritten(filled_form, tmp_path / "xml.xlsx", "xl/worksheets/sheet1.xml", lambda d: d[:-20])
    assert refused(broken_xml).startswith(
        "tệp Excel bị hỏng: phần `xl/worksheets/sheet1.xml` không đọc được (chi tiết kỹ thuật: XMLSyntaxError: "
    )
    no_workbook = _rewritten(filled_form, tmp_path / "nowb.xlsx", "xl/workbook.xml", lambda d: b"")
    assert refused(no_workbook).startswith("tệp Excel bị hỏng: phần `xl/workbook.xml` không đọc được (")
    bad_string = package(tmp_path / "ss.xlsx", {"A": _one_cell('<c r="A1" t="s"><v>7</v></c>')})
    assert refused(bad_string, ("A",)).startswith(
        "tệp Excel bị hỏng: phần `xl/worksheets/sheet1.xml` không đọc được (chi tiết kỹ thuật: IndexError: "
    )
    bad_reference = package(tmp_path / "ref.xlsx", {"A": _one_cell('<c r="$B$1"><v>2</v></c>')})
    assert refused(bad_reference, ("A",)).startswith(
        "tệp Excel bị hỏng: phần `xl/worksheets/sheet1.xml` không đọc được (chi tiết kỹ thuật: ValueError: "
    )
    lost_sheet = _without(filled_form, tmp_path / "lost.xlsx", "xl/worksheets/sheet1.xml")
    assert refused(lost_sheet) == (
        "tệp Excel bị hỏng: thiếu phần `xl/worksheets/sheet1.xml` (trang tính có tên trong tệp nhưng dữ liệu "
        "của nó bị mất); hãy mở bằng Excel và lưu lại dạng .xlsx"
    )
    assert all(m.endswith("hãy mở bằng Excel và lưu lại dạng .xlsx") for m in map(refused, (broken_xml, no_workbook)))
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.bin", b"\0" * (65 * 1024 * 1024))
    assert refused(big).startswith("tệp Excel quá lớn sau khi giải nén")


# ---- a form with shared formulas ---------------------------------------------------------------------


def test_a_shared_formula_left_uncomputed_is_named_at_each_cell(filled_form: Path, tmp_path: Path) -> None:
    """Excel shares a formula filled down a column: the first cell holds it, the others point to
    it. Saved without values, each input cell is reported with its own formula."""
    first, second = ROW["1.1"], ROW["1.2"]

    def share(data: bytes) -> bytes:
        text = data.decode("utf-8")
        for row, formula in (
            (first, f'<f t="shared" ref="E{first}:E{second}" si="0">D{first}-1</f>'),
            (second, '<f t="shared" si="0"/>'),
        ):
            start = text.index(f'<c r="E{row}"')
            end = text.index("</c>", start) + len("</c>")
            style = text[start:end].split('s="')[1].split('"')[0]
            text = text[:start] + f'<c r="E{row}" s="{style}">{formula}</c>' + text[end:]
        return text.encode()

    path = _rewritten(filled_form, tmp_path / "chia-se.xlsx", "xl/worksheets/sheet1.xml", share)
    assert_same(path)
    with pytest.raises(InputError) as caught:
        read_assessment_form(path, Catalog(explicit=[CRITERIA]))
    messages = [d.message for d in caught.value.diagnostics]
    assert any(f"E{first}: " in m and f"công thức `=D{first}-1` chưa được tính" in m for m in messages), messages
    assert any(f"E{second}: " in m and f"công thức `=D{second}-1` chưa được tính" in m for m in messages), messages


def test_a_shared_formula_with_values_reads_its_values(filled_form: Path, tmp_path: Path) -> None:
    def share(data: bytes) -> bytes:
        text = data.decode("utf-8")
        row = ROW["1.2"]
        start = text.index(f'<c r="E{row}"')
        end = text.index("</c>", start) + len("</c>")
        style = text[start:end].split('s="')[1].split('"')[0]
        cell = f'<c r="E{row}" s="{style}"><f t="shared" ref="E{row}:E{row}" si="0">D{row}*1</f><v>3</v></c>'
        return (text[:start] + cell + text[end:]).encode()

    path = _rewritten(filled_form, tmp_path / "gia-tri.xlsx", "xl/worksheets/sheet1.xml", share)
    assessment, _ = read_assessment_form(path, Catalog(explicit=[CRITERIA]))
    assert assessment.scores["1.2"].self_points == Decimal(3)


# ---- no openpyxl on the way ----------------------------------------------------------------------------


def test_reading_a_form_imports_neither_openpyxl_nor_defusedxml(filled_form: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from isoprov.excel.form_reader import read_assessment_form\n"
        "from isoprov.scoring.catalog import Catalog\n"
        f"read_assessment_form(Path({str(filled_form)!r}), Catalog(explicit=[Path({str(CRITERIA)!r})]))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'openpyxl', 'defusedxml', 'lxml'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "['lxml']"


def test_rows_are_freed_as_they_are_read(tmp_path: Path) -> None:
    """A sheet of 20,000 rows is read row by row: the parsed tree never holds them all."""
    from lxml import etree

    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 20_001))
    path = package(tmp_path / "dai.xlsx", {"A": f"<sheetData>{rows}</sheetData>"})
    seen: list[int] = []
    original = etree.iterparse

    def watched(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for event, element in original(*args, **kwargs):
            parent = element.getparent()
            seen.append(0 if parent is None else len(parent))
            yield event, element

    from isoprov.excel import xlsx_read

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(etree, "iterparse", watched)
        sheet = xlsx_read.read_workbook(zipfile.ZipFile(path), ("A",)).sheets["A"]
    assert sheet.max_row == 20_000 and sheet.cell(20_000, 1).value == 20_000
    # the rows in the tree are those of the chunk lxml has read ahead (32 KB), never all of them
    assert max(seen) < 1_500
