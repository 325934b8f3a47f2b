"""The score and budget exports, cell for cell, against golden descriptions (issue 16).

Each case writes an export of the examples or the test data and compares it, line by line,
with ``tests/golden/xlsx/<case>.txt`` (see ``tests/excel/snapshot.py``: every cell's value,
number format, font, fill, border, alignment, protection; merged ranges, widths, heights,
freeze panes, print settings, validations, conditional formats, chart parts). The golden files
were made with the exports as they were before their styles were precomputed; they are
refreshed only with ``ISOPROV_UPDATE_GOLDEN=1 python -m pytest tests/excel/test_export_golden.py``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import GOLDEN, ROOT
from tests.conftest import Run
from tests.excel.snapshot import snapshot

Cli = Callable[..., Run]
XLSX_GOLDEN = GOLDEN / "xlsx"

SCORE_CASES: dict[str, tuple[str, ...]] = {
    "diem-hop-le": (
        "tests/data/assessment/valid-skhcn.yaml",
        "tests/data/assessment/valid-snv.yaml",
        "tests/data/assessment/valid-stc.yaml",
        "tests/data/assessment/valid-xa.yaml",
        "--criteria",
        "tests/data/criteria/valid.yaml",
    ),
    # every bad assessment (the problems sheet) and a registry (the missing agencies sheet)
    "diem-loi-chua-nop": (
        "tests/data/assessment",
        "tests/data/assessment-warn",
        "--criteria",
        "tests/data/criteria/valid.yaml",
        "--agencies",
        "examples/bac-giang-2020/co-quan.yaml",
    ),
    "diem-bien": ("tests/data/export/assessments", "--criteria", "tests/data/export/criteria"),
    "diem-quy-tac": ("tests/data/assessment-rules", "--criteria", "tests/data/criteria-rules/valid.yaml"),
    "bac-giang-2020": ("examples/bac-giang-2020/assessments", "--agencies", "examples/bac-giang-2020/co-quan.yaml"),
    "bac-giang-2021": ("examples/bac-giang-2021/assessments", "--agencies", "examples/bac-giang-2021/co-quan.yaml"),
    "mau-2026": ("examples/mau-2026",),
    # user text that starts like a formula, in every text cell: quoted text
    "diem-chu-nhu-cong-thuc": ("tests/data/export-formula/diem", "--criteria", "tests/data/criteria/valid.yaml"),
}

BUDGET_CASES: dict[str, tuple[str, ...]] = {
    "du-toan-vi-du": (
        "examples/bac-giang-2020/du-toan.yaml",
        "examples/bac-ninh-2026/du-toan-iso.yaml",
        "examples/binh-phuoc-2021/du-toan-kiem-tra.yaml",
        "--norms",
        "examples/bac-giang-2020/norms",
    ),
    "du-toan-kiem-thu": ("tests/data/budget", "--norms", "tests/data/budget/norms"),
    "du-toan-chu-nhu-cong-thuc": ("tests/data/export-formula/du-toan.yaml",),
}


def check_golden(name: str, lines: list[str]) -> None:
    path = XLSX_GOLDEN / f"{name}.txt"
    if os.environ.get("ISOPROV_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    assert path.exists(), f"thiếu {path}; tạo bằng ISOPROV_UPDATE_GOLDEN=1 python -m pytest {__file__}"
    expected = path.read_text(encoding="utf-8").splitlines()
    differ = [
        f"dòng {k + 1}:\n  mẫu: {a}\n  nay: {b}"
        for k, (a, b) in enumerate(zip(expected, lines, strict=False))
        if a != b
    ]
    assert not differ and len(expected) == len(lines), (
        f"{name}: khác tệp mẫu {path} ({len(expected)} / {len(lines)} dòng)\n" + "\n".join(differ[:15])
    )


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths relative to the repository, as a user in its folder types them."""
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", sorted(SCORE_CASES))
def test_score_export_is_cell_identical(name: str, cli: Cli, tmp_path: Path, at_root: None) -> None:
    target = tmp_path / f"{name}.xlsx"
    run = cli("score", *SCORE_CASES[name], "--xlsx", target)
    assert target.is_file(), run.stderr
    check_golden(name, snapshot(target))


def test_score_export_without_its_set_is_cell_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # no ./criteria/ and no catalog handed on: the level sheets hold the totals as numbers
    from isoprov.excel.score_export import write_score_export
    from isoprov.pipeline.score import score_paths
    from isoprov.scoring.catalog import Catalog

    # relative paths: the problems sheet shows them, and its column width follows their length
    shutil.copytree(ROOT / "tests/data/export/assessments", tmp_path / "assessments")
    shutil.copytree(ROOT / "tests/data/export/criteria", tmp_path / "sets")
    monkeypatch.chdir(tmp_path)
    catalog = Catalog.default([Path("sets")])
    catalog.load_explicit()
    write_score_export(score_paths([Path("assessments")], catalog), tmp_path / "k.xlsx")
    check_golden("diem-khong-bo", snapshot(tmp_path / "k.xlsx"))


@pytest.mark.parametrize("name", sorted(BUDGET_CASES))
def test_budget_export_is_cell_identical(name: str, cli: Cli, tmp_path: Path, at_root: None) -> None:
    target = tmp_path / f"{name}.xlsx"
    run = cli("budget", "check", *BUDGET_CASES[name], "--xlsx", target)
    assert target.is_file(), run.stderr
    check_golden(name, snapshot(target))


def test_the_snapshot_sees_a_change_of_style(tmp_path: Path) -> None:
    # the comparison can fail: one border less on one cell is a different snapshot
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    def written(border: bool) -> list[str]:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        cell = ws.cell(row=1, column=1, value="x")
        if border:
            cell.border = Border(left=Side(style="thin"))
        wb.save(tmp_path / "s.xlsx")
        return snapshot(tmp_path / "s.xlsx")

    assert written(True) != written(False)
