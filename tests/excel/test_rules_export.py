"""The score export of sets that use the rules of SPEC §3b: recalculated by LibreOffice, its
formulas give the totals, bands and ranks of `isoprov score --format json` (weights, measured and
counted points, conditions, band requirements, the ceiling, every rounding mode, ties broken and
kept)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests import DATA, ROOT
from tests.conftest import Run, libreoffice_convert, needs_libreoffice

Cli = Callable[..., Run]
LEVEL_SHEETS = {"tinh": "Cấp tỉnh", "xa": "Cấp xã"}


def edge_folder(tmp_path: Path, mode: str) -> Path:
    """A set with weights, a criterion share, a ceiling above the scale and ``mode`` rounding,
    and assessments on its edges: exact halves (84,945), a tie on the exact total (kept), a tie
    broken on a group, a condition not met, a bonus over the scale."""
    folder = tmp_path / f"bien-{mode}"
    (folder / "a").mkdir(parents=True)
    criteria = {
        "id": f"bien-{mode}",
        "title": "Bộ thử biên",
        "levels": ["tinh"],
        "scale": 100,
        "max_total": 104,
        "rounding": {"places": 2, "mode": mode},
        "ranking": {"tie_break": ["exact", "2"]},
        "bands": [
            {"label": "Tốt", "min": 85, "each_criterion_min_percent": 40, "requires": ["K"]},
            {"label": "Đạt", "min": 50, "each_group_min_percent": 50},
            {"label": "Chưa đạt", "min": 0},
        ],
        "criteria": [
            {"id": "1", "title": "Nhóm 1", "children": [{"id": "1.1", "title": "a", "max": 1000}]},
            {
                "id": "2",
                "title": "Nhóm 2",
                "weight": 3,
                "children": [
                    {"id": "2.1", "title": "b", "max": 200, "measure": {"unit": "%", "full_at": 90}},
                    {"id": "2.2", "title": "c", "max": 100, "per": -7},
                ],
            },
            {"id": "T", "title": "thưởng", "kind": "bonus", "max": 6},
            {"id": "K", "title": "điều kiện", "kind": "condition"},
        ],
    }
    (folder / "criteria.yaml").write_text(json.dumps(criteria, ensure_ascii=False), encoding="utf-8")
    entries = {
        # 1.1 = 849; 2.1: 200 × 80/90 = 177,77…; 2.2: 100 − 7 × 2 = 86 → (849 + 3 × 263,77…) / 1900
        "A": {"1.1": 849, "2.1": 80, "2.2": 2, "K": True},
        # the same total, reached another way: a tie on the exact total too (kept), broken on group 2
        "B": {"1.1": 849, "2.1": 80, "2.2": 2, "K": "Đạt"},
        # 2.1 at 9/10 = 90 % → 200, 2.2 no late report → 100: (798,315 + 3 × 300) / 1900 × 100
        # = 89,385 exactly: 89,39 half-up, 89,38 half-even and down; K not met: not Tốt
        "C": {"1.1": 798.315, "2.1": {"count": 9, "of": 10}, "2.2": 0, "K": False},
        "D": {"1.1": 1000, "2.1": 95, "2.2": 0, "T": 5, "K": True},  # 100 + 5 → ceiling 104
        "E": {"1.1": 100, "2.1": 10, "2.2": 9, "K": True},  # group 2 far below 50 %
    }
    for code, scores in entries.items():
        a = {
            "agency": {"code": code, "name": f"Cơ quan {code}", "level": "tinh"},
            "criteria": criteria["id"],
            "period": "2026",
            "scores": scores,
        }
        (folder / "a" / f"{code}.yaml").write_text(json.dumps(a, ensure_ascii=False), encoding="utf-8")
    return folder


def header_row(ws: Any, text: str) -> int:
    for row in ws.iter_rows(min_row=1, max_row=20):
        for cell in row:
            if cell.value == text:
                return int(cell.row)
    raise AssertionError(text)


def label_row(ws: Any, prefix: str) -> int:
    for row in range(1, ws.max_row + 1):
        value = ws.cell(row, 2).value
        if isinstance(value, str) and value.startswith(prefix):
            return row
    raise AssertionError(prefix)


@needs_libreoffice
def test_the_formulas_compute_the_totals_bands_and_ranks_of_the_cli(cli: Cli, tmp_path: Path) -> None:
    cases: dict[str, tuple[Path, list[str]]] = {
        "mau-2026.xlsx": (ROOT / "examples" / "mau-2026", []),
        "thu.xlsx": (
            DATA / "assessment-rules" / "valid-a.yaml",
            ["--criteria", str(DATA / "criteria-rules" / "valid.yaml")],
        ),
    }
    for mode in ("half-up", "half-even", "down"):
        folder = edge_folder(tmp_path, mode)
        cases[f"bien-{mode}.xlsx"] = (folder / "a", ["--criteria", str(folder / "criteria.yaml")])
    expected = {}
    for name, (path, extra) in cases.items():
        run = cli("score", path, *extra, "--xlsx", tmp_path / name)
        assert run.exit_code == 0, run.stderr
        expected[name] = cli("score", path, *extra, "--format", "json").json()["results"]
    out, stderr = libreoffice_convert(tmp_path, *(tmp_path / name for name in cases))
    for name, results in expected.items():
        assert (out / name).is_file(), stderr
        wb = load_workbook(out / name, data_only=True)
        summary = wb["Tổng hợp"]
        h = header_row(summary, "Hạng")
        got = [[c.value for c in summary[h + 1 + k]][:8] for k in range(len(results))]
        want = [[r["rank"], r["agency"]["code"], r["self_total"], r["total"], r["band"]] for r in results]
        assert [[g[0], g[1], g[4], g[5], g[7]] for g in got] == want, name
        for r in results:
            ws = wb[LEVEL_SHEETS[r["agency"]["level"]]]
            h = header_row(ws, r["agency"]["name"])
            column = next(c.column for c in ws[h] if c.value == r["agency"]["name"])
            total = label_row(ws, "Tổng điểm làm tròn")
            assert [ws.cell(total, column).value, ws.cell(total, column + 1).value] == [r["self_total"], r["total"]]
            assert ws.cell(label_row(ws, "Xếp loại"), column + 1).value == r["band"], (name, r["agency"]["code"])
            assert ws.cell(label_row(ws, "Hạng"), column + 1).value == r["rank"]
    # the edge cases are what they claim to be
    for mode in ("half-up", "half-even", "down"):
        by_code = {r["agency"]["code"]: r for r in expected[f"bien-{mode}.xlsx"]}
        assert by_code["A"]["rank"] == by_code["B"]["rank"]  # a tie kept: every key equal
        assert by_code["D"]["total"] == 104  # the ceiling
        assert by_code["E"]["band_missed"] == [] and by_code["E"]["band"] in ("Chưa đạt", "Đạt")
    totals = {
        mode: {r["agency"]["code"]: Decimal(str(r["total"])) for r in expected[f"bien-{mode}.xlsx"]}
        for mode in ("half-up", "half-even", "down")
    }
    assert [totals[m]["C"] for m in ("half-up", "half-even", "down")] == [
        Decimal("89.39"),
        Decimal("89.38"),
        Decimal("89.38"),
    ]


def test_an_export_of_a_set_without_bands_leaves_the_band_empty(cli: Cli, tmp_path: Path) -> None:
    criteria = {
        "id": "khong-xep-loai",
        "title": "t",
        "levels": ["tinh"],
        "criteria": [{"id": "1", "title": "a", "max": 10}],
    }
    (tmp_path / "c.yaml").write_text(json.dumps(criteria), encoding="utf-8")
    a = {
        "agency": {"code": "X", "name": "X", "level": "tinh"},
        "criteria": "khong-xep-loai",
        "period": "1",
        "scores": {"1": 7},
    }
    (tmp_path / "a.yaml").write_text(json.dumps(a), encoding="utf-8")
    run = cli("score", tmp_path / "a.yaml", "--criteria", tmp_path / "c.yaml", "--xlsx", tmp_path / "k.xlsx")
    assert run.exit_code == 0, run.stderr
    wb = load_workbook(tmp_path / "k.xlsx")
    ws = wb["Cấp tỉnh"]
    assert ws.cell(label_row(ws, "Xếp loại"), 5).value == '=""'


@pytest.mark.parametrize("mode", ["half-up", "half-even", "down"])
def test_the_edge_sets_are_valid(cli: Cli, tmp_path: Path, mode: str) -> None:
    folder = edge_folder(tmp_path, mode)
    run = cli("score", folder / "a", "--criteria", folder / "criteria.yaml", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert all(r["warnings"] == [] for r in run.json()["results"])
