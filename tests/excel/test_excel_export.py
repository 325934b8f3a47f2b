"""``isoprov score --xlsx``: summary with a bar chart, a sheet per level, real numbers, formulas,
user text never a formula, atomic writing; and the shared cell helpers (SPEC §6, issue 5)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter as _letter

from isoprov.excel.cells import FORMULA_START, number_format, put_formula, put_number, safe_text, set_text_cell
from tests import DATA, ROOT
from tests.conftest import Run, libreoffice_convert, needs_libreoffice

CRITERIA = DATA / "criteria" / "valid.yaml"
VALID = sorted((DATA / "assessment").glob("valid-*.yaml"))
Cli = Callable[..., Run]


EDGE = DATA / "export"
EDGE_CRITERIA = EDGE / "criteria"
EDGE_ASSESSMENTS = EDGE / "assessments"
BAC_GIANG = ROOT / "examples" / "bac-giang-2020" / "assessments"


def export(cli: Cli, target: Path, *paths: Path, extra: tuple[str | Path, ...] = ()) -> Any:
    run = cli("score", *paths, "--criteria", CRITERIA, "--xlsx", target, *extra)
    assert target.is_file(), run.stderr
    return run


@pytest.fixture
def working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder as `isoprov init` makes one: the criteria sets in ./criteria/."""
    folder = tmp_path / "lam-viec"
    shutil.copytree(
        CRITERIA.parent, folder / "criteria", ignore=lambda d, names: [n for n in names if n != "valid.yaml"]
    )
    shutil.copy(EDGE_CRITERIA / "bien.yaml", folder / "criteria" / "bien.yaml")
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def workbook(cli: Cli, tmp_path: Path, working_folder: Path) -> Any:
    export(cli, tmp_path / "ket-qua.xlsx", *VALID)
    return load_workbook(tmp_path / "ket-qua.xlsx")


@pytest.fixture
def edge_workbook(cli: Cli, tmp_path: Path, working_folder: Path) -> Any:
    run = cli("score", EDGE_ASSESSMENTS, "--xlsx", tmp_path / "bien.xlsx")
    assert run.exit_code == 0, run.stderr
    return load_workbook(tmp_path / "bien.xlsx")


def header_row(ws: Any, first: str) -> int:
    return next(r for r in range(1, 10) if ws.cell(r, 1).value == first)


def test_sheets(workbook: Any) -> None:
    assert workbook.sheetnames == ["Tổng hợp", "Cấp tỉnh", "Cấp xã"]


def test_summary_columns_and_rows(workbook: Any) -> None:
    ws = workbook["Tổng hợp"]
    h = header_row(ws, "Hạng")
    headers = [c.value for c in ws[h]][:8]
    assert headers == ["Hạng", "Mã cơ quan", "Cơ quan", "Cấp", "Tự chấm", "Thẩm định", "Chênh lệch", "Xếp loại"]
    rows = [[c.value for c in ws[r]][:11] for r in range(h + 1, h + 5)]
    by_code = {row[1]: row for row in rows}
    assert set(by_code) == {"SKHCN", "SNV", "STC", "XA-TIENHUNG"}
    assert by_code["SKHCN"][2] == "Sở Khoa học và Công nghệ"
    assert by_code["XA-TIENHUNG"][3] == "Cấp xã"
    assert by_code["SKHCN"][8:10] == ["thu-nghiem", "2020"]


def test_summary_totals_band_and_rank_are_formulas(workbook: Any) -> None:
    ws = workbook["Tổng hợp"]
    h = header_row(ws, "Hạng")
    rows = {ws.cell(r, 2).value: r for r in range(h + 1, h + 5)}
    r = rows["SKHCN"]
    level = workbook["Cấp tỉnh"]
    column = level_columns(level)["Sở Khoa học và Công nghệ"]
    total_row = label_row(level, "Tổng điểm quy đổi")
    band_row = label_row(level, "Xếp loại")
    self_cell, final_cell = f"{_letter(column)}{total_row}", f"{_letter(column + 1)}{total_row}"
    assert ws.cell(r, 5).value == f"='Cấp tỉnh'!{self_cell}"
    assert ws.cell(r, 6).value == f"='Cấp tỉnh'!{final_cell}"
    assert ws.cell(r, 8).value == f"='Cấp tỉnh'!{_letter(column + 1)}{band_row}"
    # competition rank among the block of rows of the same criteria set, period and level
    provincial = sorted(v for k, v in rows.items() if k != "XA-TIENHUNG")
    assert ws.cell(r, 1).value == f"=RANK(F{r},$F${provincial[0]}:$F${provincial[-1]},0)"
    xa = rows["XA-TIENHUNG"]
    assert ws.cell(xa, 1).value == f"=RANK(F{xa},$F${xa}:$F${xa},0)"
    for column in (1, 5, 6, 7, 8):
        assert ws.cell(r, column).data_type == "f"
    for column in (5, 6):
        assert ws.cell(r, column).number_format == "#,##0.00"


def test_points_are_real_numbers_with_number_formats(workbook: Any) -> None:
    ws = workbook["Cấp tỉnh"]
    cell = ws.cell(id_rows(ws)["2.1"], level_columns(ws)["Sở Tài chính"])  # 7.6
    assert cell.data_type == "n" and cell.value == 7.6 and cell.number_format == "#,##0.0"


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
    assert level.freeze_panes == f"D{header_row(level, 'Mã tiêu chí') + 2}"  # two header rows


def test_columns_fit(workbook: Any) -> None:
    ws = workbook["Tổng hợp"]
    assert ws.column_dimensions["C"].width >= len("Sở Khoa học và Công nghệ")


def level_columns(ws: Any) -> dict[str, int]:
    """Agency name → its first column (self points; final points in the next)."""
    h = header_row(ws, "Mã tiêu chí")
    return {c.value: c.column for c in ws[h][3:] if isinstance(c.value, str) and c.value != "kind"}


def label_row(ws: Any, start: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 2).value or "").startswith(start))


def id_rows(ws: Any) -> dict[str, int]:
    h = header_row(ws, "Mã tiêu chí")
    return {ws.cell(r, 1).value: r for r in range(h + 2, ws.max_row + 1) if ws.cell(r, 1).value}


def test_level_sheet_has_self_and_final_points_per_criterion_and_group_formulas(workbook: Any) -> None:
    ws = workbook["Cấp tỉnh"]
    h = header_row(ws, "Mã tiêu chí")
    agencies = level_columns(ws)
    assert set(agencies) == {"Sở Nội vụ", "Sở Tài chính", "Sở Khoa học và Công nghệ"}
    skhcn = agencies["Sở Khoa học và Công nghệ"]
    assert [ws.cell(h + 1, skhcn).value, ws.cell(h + 1, skhcn + 1).value] == ["Tự chấm", "Sau thẩm định"]
    ids = id_rows(ws)
    assert "2.2" not in ids  # a leaf for xã only is left out of the provincial sheet
    assert ws.cell(ids["1.1"], skhcn).value == 4  # self
    assert ws.cell(ids["1.1"], skhcn + 1).value == 2  # the team's points
    assert ws.cell(ids["1.2"], skhcn).value == ws.cell(ids["1.2"], skhcn + 1).value == "Không áp dụng"
    group = ws.cell(ids["1"], skhcn + 1)
    letter = _letter(skhcn + 1)
    assert group.data_type == "f"
    assert group.value.endswith(f',"score",{letter}{ids["1.1"]}:{letter}{ids["1.2"]})')
    assert ws.cell(ids["1"], 2).font.b


def test_level_sheet_totals_are_formulas_by_the_scoring_rules(workbook: Any) -> None:
    ws = workbook["Cấp tỉnh"]
    ids = id_rows(ws)
    first, last = min(ids.values()), max(ids.values())
    column = level_columns(ws)["Sở Nội vụ"] + 1
    c = _letter(column)
    kind = next(
        k for k in range(column, ws.max_column + 1) if ws.cell(header_row(ws, "Mã tiêu chí") + 1, k).value == "kind"
    )
    k = _letter(kind)
    assert ws.column_dimensions[k].hidden
    assert [ws.cell(ids[i], kind).value for i in ("1", "1.1", "T", "D")] == ["group", "score", "bonus", "penalty"]
    possible, earned, total, band = (
        label_row(ws, t) for t in ("Tổng điểm tối đa", "Tổng điểm chấm", "Tổng điểm quy đổi", "Xếp loại")
    )
    kinds, cells = f"${k}${first}:${k}${last}", f"{c}{first}:{c}{last}"
    assert ws.cell(possible, column).value == f'=SUMPRODUCT(({kinds}="score")*ISNUMBER({cells}),$C${first}:$C${last})'
    assert ws.cell(earned, column).value == f'=SUMIF({kinds},"score",{cells})'
    assert ws.cell(total, column).value == (
        f"=ROUND(MAX(0,MIN(100,IF({c}{possible}>0,{c}{earned}/{c}{possible}*100,0)"
        f'+SUMIF({kinds},"bonus",{cells})-SUMIF({kinds},"penalty",{cells}))),2)'
    )
    assert ws.cell(band, column).value == (
        f'=IF({c}{total}>=90,"Tốt",IF({c}{total}>=70,"Khá",IF({c}{total}>=50,"Trung bình","Yếu")))'
    )
    rank = ws.cell(label_row(ws, "Hạng"), column).value
    assert rank.startswith("='Tổng hợp'!A")


def test_nested_groups_have_their_own_rows_and_subtotals(edge_workbook: Any) -> None:
    ws = edge_workbook["Cấp tỉnh"]
    ids = id_rows(ws)
    assert list(ids)[:8] == ["1", "1.1", "1.1.1", "1.2", "2", "2.1", "2.2", "3"]
    assert "1.1.2" not in ids  # xã only
    column = level_columns(ws)["Cơ quan A"]
    letter = _letter(column)
    sub = ws.cell(ids["1.1"], column).value
    top = ws.cell(ids["1"], column).value
    assert sub.endswith(f'"score",{letter}{ids["1.1.1"]}:{letter}{ids["1.1.1"]})')
    # the group's subtotal sums the leaves below it, the nested group's row (kind "group") left out
    assert top.endswith(f'"score",{letter}{ids["1.1"]}:{letter}{ids["1.2"]})')
    kind = next(c for c in range(column, ws.max_column + 1) if ws.cell(5, c).value == "kind")
    assert ws.cell(ids["1.1"], kind).value == "group"
    assert ws.cell(ids["1.1"], 2).font.b and ws.cell(ids["1.1"], 2).alignment.indent == 1
    assert ws.cell(ids["1.1.1"], 2).alignment.indent == 2
    xa = edge_workbook["Cấp xã"]
    assert "1.1.2" in id_rows(xa) and "2.1" not in id_rows(xa) and "2" not in id_rows(xa)


def test_the_export_uses_the_sets_given_to_it(tmp_path: Path) -> None:
    # the set is known only from --criteria (not in ./criteria): the command hands its catalog on
    from isoprov.excel.score_export import write_score_export
    from isoprov.pipeline.score import score_paths
    from isoprov.scoring.catalog import Catalog

    catalog = Catalog.default([EDGE_CRITERIA])
    catalog.load_explicit()
    batch = score_paths([EDGE_ASSESSMENTS], catalog)
    write_score_export(batch, tmp_path / "k.xlsx", catalog)
    ws = load_workbook(tmp_path / "k.xlsx")["Cấp tỉnh"]
    column = level_columns(ws)["Cơ quan A"]
    assert ws.cell(label_row(ws, "Tổng điểm quy đổi thang 10"), column).value.startswith("=ROUND(MAX(0,MIN(10,")


def test_without_its_set_the_export_keeps_the_computed_totals(cli: Cli, tmp_path: Path) -> None:
    # no ./criteria/ and no catalog: the level sheets give the totals as numbers
    from isoprov.excel.score_export import write_score_export
    from isoprov.pipeline.score import score_paths
    from isoprov.scoring.catalog import Catalog

    catalog = Catalog.default([CRITERIA])
    catalog.load_explicit()
    batch = score_paths(VALID, catalog)
    write_score_export(batch, tmp_path / "k.xlsx")
    ws = load_workbook(tmp_path / "k.xlsx")["Cấp tỉnh"]
    column = level_columns(ws)["Sở Khoa học và Công nghệ"]
    total = label_row(ws, "Tổng điểm quy đổi")
    assert (ws.cell(total, column).value, ws.cell(total, column + 1).value) == (
        pytest.approx(93.86),
        pytest.approx(79.57),
    )
    assert ws.cell(label_row(ws, "Xếp loại"), column + 1).value == "Khá"


def test_another_version_of_the_set_is_not_used_for_formulas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ./criteria/ holds a set with the same id but another scale: its formulas would disagree
    from isoprov.excel.score_export import write_score_export
    from isoprov.pipeline.score import score_paths
    from isoprov.scoring.catalog import Catalog

    (tmp_path / "criteria").mkdir()
    text = CRITERIA.read_text(encoding="utf-8").replace("scale: 100", "scale: 10")
    (tmp_path / "criteria" / "khac.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    catalog = Catalog.default([CRITERIA])
    catalog.load_explicit()
    write_score_export(score_paths(VALID, catalog), tmp_path / "k.xlsx")
    ws = load_workbook(tmp_path / "k.xlsx")["Cấp tỉnh"]
    column = level_columns(ws)["Sở Khoa học và Công nghệ"]
    assert ws.cell(label_row(ws, "Tổng điểm quy đổi"), column + 1).value == pytest.approx(79.57)


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
                        assert cell.value not in names and not cell.value.startswith(("=C", "=HYPERLINK")), cell.value
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


def recalculate(tmp_path: Path, *files: Path) -> dict[str, Any]:
    """Open and save ``files`` with LibreOffice, which computes every formula; the values read back."""
    out, stderr = libreoffice_convert(tmp_path, *files)
    books = {}
    for f in files:
        assert (out / f.name).is_file(), stderr
        books[f.name] = load_workbook(out / f.name, data_only=True)
    return books


@needs_libreoffice
def test_the_formulas_compute_the_totals_bands_and_ranks_of_the_cli(
    cli: Cli, tmp_path: Path, working_folder: Path
) -> None:
    """Recalculated by a spreadsheet, every agency's totals, band and rank are those of
    `isoprov score --format json`: the example of Bắc Giang 2020 (shipped set), and a set with
    nested groups, N/A, bonus, penalty, clamping at 0 and at the scale, nothing applicable,
    half-up rounding (7,005 → 7,01) and a tie."""
    cases = {"bac-giang.xlsx": BAC_GIANG, "bien.xlsx": EDGE_ASSESSMENTS}
    expected = {}
    for name, folder in cases.items():
        assert cli("score", folder, "--xlsx", tmp_path / name).exit_code == 0
        expected[name] = cli("score", folder, "--format", "json").json()["results"]
    books = recalculate(tmp_path, *(tmp_path / name for name in cases))
    for name, results in expected.items():
        wb = books[name]
        summary = wb["Tổng hợp"]
        h = header_row(summary, "Hạng")
        got = [[c.value for c in summary[h + 1 + k]][:8] for k in range(len(results))]
        want = [[r["rank"], r["agency"]["code"], r["self_total"], r["total"], r["band"]] for r in results]
        assert [[g[0], g[1], g[4], g[5], g[7]] for g in got] == want, name
        for g, r in zip(got, results, strict=True):
            assert Decimal(str(g[6])).quantize(Decimal("0.01")) == Decimal(str(r["total"])) - Decimal(
                str(r["self_total"])
            )
        # and the level sheets hold the same figures, the rank included
        for r in results:
            ws = wb[{"tinh": "Cấp tỉnh", "huyen": "Cấp huyện", "xa": "Cấp xã"}[r["agency"]["level"]]]
            column = level_columns(ws)[r["agency"]["name"]]
            total = label_row(ws, "Tổng điểm quy đổi")
            assert [ws.cell(total, column).value, ws.cell(total, column + 1).value] == [r["self_total"], r["total"]]
            assert ws.cell(label_row(ws, "Xếp loại"), column + 1).value == r["band"]
            assert ws.cell(label_row(ws, "Hạng"), column + 1).value == r["rank"]
    assert {r["total"] for r in expected["bien.xlsx"]} >= {0, 10}  # both clamps are exercised
    assert [r["self_total"] for r in expected["bien.xlsx"] if r["agency"]["code"] == "C"] == [7.01]


@needs_libreoffice
def test_libreoffice_opens_the_export(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "ket-qua.xlsx"
    export(cli, target, *VALID)
    _, stderr = libreoffice_convert(tmp_path, target, to="pdf", out=tmp_path)
    pdf = tmp_path / "ket-qua.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 5000, stderr
