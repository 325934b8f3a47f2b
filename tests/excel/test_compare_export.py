"""`compare --xlsx`: cell values, formulas for the change, the chart, text never a formula."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl

from isoprov.excel.compare_export import CRITERIA_SHEET, HEADER_ROW, ONE_SIDE_SHEET, SUMMARY_SHEET, write_compare_export
from isoprov.pipeline.score import score_paths
from isoprov.scoring.catalog import Catalog
from isoprov.scoring.compare import compare_results
from isoprov.scoring.rules import Result
from tests import DATA

HERE = DATA / "compare"


def scored(path: Path) -> list[Result]:
    catalog = Catalog.default([HERE / "criteria"])
    catalog.load_explicit()
    return score_paths([path], catalog).results


def test_summary_cells_chart_and_formulas(tmp_path: Path) -> None:
    target = tmp_path / "so-sanh.xlsx"
    write_compare_export(compare_results(scored(HERE / "y2020"), scored(HERE / "y2021")), [], target)
    wb = openpyxl.load_workbook(target)
    ws = wb[SUMMARY_SHEET]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[:10] == [
        "Mã",
        "Cơ quan",
        "Cấp",
        "Điểm 2020",
        "Xếp loại 2020",
        "Hạng 2020",
        "Điểm 2021",
        "Xếp loại 2021",
        "Hạng 2021",
        "Thay đổi",
    ]
    rows = [[c.value for c in row[:11]] for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 4)]
    first = HEADER_ROW + 1
    # A2 50 → 90 (rank 3 → 1); H1 huyen 80 → tinh 90; a1 renamed 100 → 80; A3 70 → 70
    assert rows[0] == ["A2", "Sở B", "Cấp tỉnh", 50, "Trung bình", 3, 90, "Tốt", 1, f"=G{first}-D{first}", None]
    assert rows[1][:9] == ["H1", "Sở H (từ cấp huyện)", "Cấp tỉnh", 80, "Khá", 1, 90, "Tốt", 1]
    assert rows[1][10] == "2020: UBND huyện H; 2020: cấp huyện"
    assert rows[2][0] == "a1" and rows[2][10] == "2020: Sở A"
    assert ws.cell(first, 4).number_format == "#,##0.00"
    assert len(ws._charts) == 1
    crit = wb[CRITERIA_SHEET]
    got = [[c.value for c in row[:7]] for row in crit.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 2)]
    assert got[0][:6] == ["A2", "Sở B", "2.1", "Hồ sơ đúng hạn", 10, 20]
    assert got[0][6] == f"=F{HEADER_ROW + 1}-E{HEADER_ROW + 1}"
    one = wb[ONE_SIDE_SHEET]
    assert [[c.value for c in row[:5]] for row in one.iter_rows(min_row=HEADER_ROW + 1)] == [
        ["Chỉ 2020", "G1", "Sở Cũ", "Cấp tỉnh", 2],
        ["Chỉ 2021", "N1", "Sở Mới", "Cấp tỉnh", 40],
    ]


def test_penalty_change_formula_counts_fewer_points_as_a_gain(tmp_path: Path) -> None:
    [old] = scored(HERE / "self-team" / "s1.yaml")
    new = replace(old, details=tuple(d._replace(final=Decimal(0)) if d.id == "D" else d for d in old.details))
    target = tmp_path / "d.xlsx"
    write_compare_export(compare_results([old], [new]), [], target)
    ws = openpyxl.load_workbook(target)[CRITERIA_SHEET]
    row = HEADER_ROW + 1
    assert [c.value for c in ws[row][2:7]] == ["D", "Điểm trừ", 2, 0, f"=E{row}-F{row}"]


def test_user_text_is_never_a_formula(tmp_path: Path) -> None:
    [r] = scored(HERE / "y2020" / "a2.yaml")
    evil = replace(r, agency_name='=HYPERLINK("http://x")', agency_code="+A2")
    target = tmp_path / "x.xlsx"
    write_compare_export(compare_results([evil], [evil]), [], target)
    ws = openpyxl.load_workbook(target)[SUMMARY_SHEET]
    name = ws.cell(HEADER_ROW + 1, 2)
    assert name.value == '=HYPERLINK("http://x")' and name.data_type == "s"
    assert ws.cell(HEADER_ROW + 1, 1).data_type == "s"
