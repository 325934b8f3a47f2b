"""``isoprov score --xlsx``: summary with a bar chart, a sheet per level, real numbers, formulas,
user text never a formula, atomic writing; and the shared cell helpers (SPEC §6, issue 5)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from isoprov.xlsx_cells import FORMULA_START, number_format, put_formula, put_number, safe_text, set_text_cell
from tests.conftest import DATA, Run

CRITERIA = DATA / "criteria" / "valid.yaml"
VALID = sorted((DATA / "assessment").glob("valid-*.yaml"))
Cli = Callable[..., Run]


def export(cli: Cli, target: Path, *paths: Path, extra: tuple[str | Path, ...] = ()) -> Any:
    run = cli("score", *paths, "--criteria", CRITERIA, "--xlsx", target, *extra)
    assert target.is_file(), run.stderr
    return run


@pytest.fixture
def workbook(cli: Cli, tmp_path: Path) -> Any:
    export(cli, tmp_path / "ket-qua.xlsx", *VALID)
    return load_workbook(tmp_path / "ket-qua.xlsx")


def header_row(ws: Any, first: str) -> int:
    return next(r for r in range(1, 10) if ws.cell(r, 1).value == first)


def test_sheets(workbook: Any) -> None:
    assert workbook.sheetnames == ["Tổng hợp", "Cấp tỉnh", "Cấp xã"]


def test_summary_columns_and_rows(workbook: Any) -> None:
    ws = workbook["Tổng hợp"]
    h = header_row(ws, "Hạng")
    headers = [c.value for c in ws[h]][:8]
    assert headers == ["Hạng", "Mã cơ quan", "Cơ quan", "Cấp", "Tự chấm", "Thẩm định", "Chênh lệch", "Xếp loại"]
    rows = [[c.value for c in ws[r]][:8] for r in range(h + 1, h + 5)]
    by_code = {row[1]: row for row in rows}
    assert by_code["SKHCN"][0] == 3
    assert (by_code["SKHCN"][4], by_code["SKHCN"][5]) == (pytest.approx(93.86), pytest.approx(79.57))
    assert by_code["SKHCN"][7] == "Khá"
    assert by_code["XA-TIENHUNG"][3] == "Cấp xã"


def test_totals_are_real_numbers_with_number_formats(workbook: Any) -> None:
    ws = workbook["Tổng hợp"]
    h = header_row(ws, "Hạng")
    for column in (5, 6):
        cell = ws.cell(h + 1, column)
        assert cell.data_type == "n" and isinstance(cell.value, int | float)
        assert cell.number_format == "#,##0.00"


def test_difference_is_a_live_formula(workbook: Any) -> None:
    ws = workbook["Tổng hợp"]
    h = header_row(ws, "Hạng")
    for r in range(h + 1, h + 5):
        assert ws.cell(r, 7).value == f"=F{r}-E{r}"
        assert ws.cell(r, 7).data_type == "f"


def test_summary_has_a_bar_chart_of_totals_by_agency(workbook: Any) -> None:
    from openpyxl.chart import BarChart

    ws = workbook["Tổng hợp"]
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert isinstance(chart, BarChart)
    refs = [s.val.numRef.f for s in chart.series]
    assert any("$F$" in ref for ref in refs)  # final totals
    categories = chart.series[0].cat
    assert "$C$" in (categories.strRef or categories.numRef).f  # agency names


def test_header_rows_are_frozen(workbook: Any) -> None:
    assert workbook["Tổng hợp"].freeze_panes == f"A{header_row(workbook['Tổng hợp'], 'Hạng') + 1}"
    level = workbook["Cấp tỉnh"]
    assert level.freeze_panes == f"D{header_row(level, 'Mã tiêu chí') + 1}"


def test_columns_fit(workbook: Any) -> None:
    ws = workbook["Tổng hợp"]
    assert ws.column_dimensions["C"].width >= len("Sở Khoa học và Công nghệ")


def test_level_sheet_has_per_criterion_points_and_group_formulas(workbook: Any) -> None:
    ws = workbook["Cấp tỉnh"]
    h = header_row(ws, "Mã tiêu chí")
    agencies = [c.value for c in ws[h]][3:]
    assert set(agencies) == {"Sở Nội vụ", "Sở Tài chính", "Sở Khoa học và Công nghệ"}
    ids = {ws.cell(r, 1).value: r for r in range(h + 1, ws.max_row + 1) if ws.cell(r, 1).value}
    assert "2.2" not in ids  # a leaf for xã only is left out of the provincial sheet
    skhcn = 4 + agencies.index("Sở Khoa học và Công nghệ")
    assert ws.cell(ids["1.1"], skhcn).value == 2  # the team's points
    assert ws.cell(ids["1.2"], skhcn).value == "Không áp dụng"
    group = ws.cell(ids["1"], skhcn)
    assert group.data_type == "f" and group.value.startswith("=SUM(")
    assert ws.cell(ids["1"], 2).font.b


def test_missing_agencies_and_problems_get_their_sheets(cli: Cli, tmp_path: Path) -> None:
    registry = tmp_path / "co-quan.yaml"
    registry.write_text(
        "agencies:\n  - {code: SKHCN, name: Sở Khoa học và Công nghệ, level: tinh}\n"
        "  - {code: SYT, name: Sở Y tế, level: tinh}\n",
        encoding="utf-8",
    )
    target = tmp_path / "k.xlsx"
    export(cli, target, *VALID, DATA / "assessment" / "out-of-range.yaml", extra=("--agencies", registry))
    wb = load_workbook(target)
    assert "Chưa nộp" in wb.sheetnames
    missing = wb["Chưa nộp"]
    assert ["SYT", "Sở Y tế"] in [[c.value for c in row][1:3] for row in missing.iter_rows()]
    problems = wb["Lỗi, cảnh báo"]
    assert any("out-of-range.yaml" in str(row[0].value) for row in problems.iter_rows())


def test_an_export_with_no_valid_result(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "k.xlsx"
    run = export(cli, target, DATA / "assessment" / "out-of-range.yaml")
    assert run.exit_code == 1
    assert load_workbook(target).sheetnames == ["Tổng hợp", "Lỗi, cảnh báo"]


def test_user_text_is_never_written_as_a_formula(cli: Cli, tmp_path: Path) -> None:
    # (a leading tab or CR cannot reach a cell from YAML: the models strip it; see the unit test)
    names = ['=HYPERLINK("http://x.example","bấm vào đây")', "+84 Sở", "-Sở", "@SUM(1)", "=1+1"]
    paths = []
    for k, name in enumerate(names):
        path = tmp_path / f"a{k}.yaml"
        quoted = name.replace('"', '\\"')
        path.write_text(
            f'agency: {{code: "=C{k}", name: "{quoted}", level: tinh}}\ncriteria: thu-nghiem\nperiod: "2020"\n'
            'scores: {"1.1": {self: 4, evidence: ["=HYPERLINK(\\"http://x\\")"]}, "1.2": 6, "2.1": 9}\n',
            encoding="utf-8",
        )
        paths.append(path)
    target = tmp_path / "k.xlsx"
    run = export(cli, target, *paths)
    assert run.exit_code == 0, run.stderr
    wb = load_workbook(target)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    if cell.data_type == "f":
                        assert cell.value.startswith(("=F", "=SUM(")), cell.value  # the program's own formulas
                    else:
                        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                        texts.append(cell.value)
    assert set(names) <= set(texts)
    assert {f"=C{k}" for k in range(len(names))} <= set(texts)
    # and the computed values read back as the same text, not as a formula's result
    values = load_workbook(target, data_only=True)
    summary = values["Tổng hợp"]
    assert '=HYPERLINK("http://x.example","bấm vào đây")' in [c.value for c in summary["C"]]


def test_writing_is_atomic(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "k.xlsx"
    target.write_bytes(b"the previous export")

    def broken_save(self: Any, filename: Any) -> None:
        Path(filename).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", broken_save)
    run = cli("score", *VALID, "--criteria", CRITERIA, "--xlsx", target)
    assert run.exit_code == 1
    assert "disk full" in run.stderr and "Traceback" not in run.stderr
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.xlsx"]


def test_an_existing_export_is_replaced(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "k.xlsx"
    target.write_bytes(b"old")
    export(cli, target, *VALID)
    assert load_workbook(target).sheetnames[0] == "Tổng hợp"


# ---- the shared cell helpers (also used by the budget export) -------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", '=HYPERLINK("a","b")'])
def test_set_text_cell_keeps_formula_like_text_as_text(tmp_path: Path, text: str) -> None:
    wb = Workbook()
    ws = wb.active
    set_text_cell(ws["A1"], text)
    wb.save(tmp_path / "t.xlsx")
    cell = load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value.strip() == text.strip()


def test_plain_text_has_no_quote_prefix() -> None:
    ws = Workbook().active
    assert not set_text_cell(ws["A1"], "Sở Nội vụ").quotePrefix


def test_control_characters_are_dropped() -> None:
    assert safe_text("a\x00b\x07c\nd\te") == "abc\nd\te"


def test_number_formats_show_the_digits_the_value_has() -> None:
    assert number_format(Decimal("126000000")) == "#,##0"
    assert number_format(Decimal("24.4")) == "#,##0.0"
    assert number_format(Decimal("82.25")) == "#,##0.00"
    assert number_format(Decimal("8.10")) == "#,##0.0"


def test_numbers_are_written_from_decimals(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    put_number(ws, 1, 1, Decimal("0.1"))
    put_formula(ws, 2, 1, "=A1*3", Decimal("0.3"))
    wb.save(tmp_path / "n.xlsx")
    back = load_workbook(tmp_path / "n.xlsx").active
    assert back["A1"].value == 0.1 and back["A1"].number_format == "#,##0.0"
    assert back["A2"].value == "=A1*3"
    with pytest.raises(ValueError):
        put_formula(ws, 3, 1, "SUM(A1)")


# ---- a look with LibreOffice --------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_export(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.xlsx"
    export(cli, target, *VALID)
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(target),
        ],
        capture_output=True,
        timeout=180,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = tmp_path / "ket-qua.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 5000, done.stderr
