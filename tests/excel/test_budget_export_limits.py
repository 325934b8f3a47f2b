"""The budget export at 10,000 rows: every formula within Excel's limits (8,192 characters, 255
arguments), and the shared named styles (issue 16)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from isoprov.excel.budget_export import MAX_ARGUMENTS, MAX_FORMULA_CHARS, sum_formula, total_formula
from tests.clirun import invoke
from tests.conftest import libreoffice_convert, needs_libreoffice


def big_budget(path: Path, n: int, every: int | None) -> Path:
    lines = ["title: Dự toán lớn", "items:"]
    for i in range(n):
        if every is not None and i % every == every - 1:
            lines += [
                f"  - name: Hội nghị {i}",
                "    breakdown:",
                f"      - {{name: Nước {i}, quantity: 2, rate: 1.000 đồng}}",
            ]
        else:
            lines.append(f"  - {{name: Khoản {i}, quantity: 1, rate: 1.000 đồng}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def arguments(formula: str) -> int:
    """The most arguments any one function call of ``formula`` takes."""
    most, depth_counts = 0, []
    for ch in formula:
        if ch == "(":
            depth_counts.append(1)
        elif ch == ")":
            most = max(most, depth_counts.pop())
        elif ch == "," and depth_counts:
            depth_counts[-1] += 1
    return most


@pytest.mark.parametrize("every", [None, 2], ids=["flat", "every-other-with-a-breakdown"])
def test_every_formula_fits_excels_limits_at_10000_rows(tmp_path: Path, every: int | None) -> None:
    from openpyxl import load_workbook

    source = big_budget(tmp_path / "du-toan.yaml", 10_000, every)
    target = tmp_path / "du-toan.xlsx"
    assert invoke(["budget", "check", str(source), "--xlsx", str(target)]).exit_code == 0
    ws: Any = load_workbook(target).active
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(formulas) >= 10_000
    for formula in formulas:
        assert len(formula) < MAX_FORMULA_CHARS and arguments(formula) <= MAX_ARGUMENTS, formula[:80]
    assert any(f.startswith(("=SUM(H5:", "=SUMIF(")) for f in formulas)


def test_sum_formula_names_cells_while_they_fit_then_ranges_then_nested_sums() -> None:
    assert sum_formula("H", [5, 6, 8]) == "SUM(H5,H6,H8)"  # as before: small budgets unchanged
    assert sum_formula("H", list(range(5, 1005))) == "SUM(H5:H1004)"
    scattered = list(range(5, 5 + 2 * 600, 2))  # 600 single rows: nested sums of ≤ 255 arguments
    formula = sum_formula("H", scattered)
    assert arguments(formula) <= MAX_ARGUMENTS
    assert re.findall(r"H(\d+)", formula) == [str(n) for n in scattered]


def test_the_total_falls_back_to_the_tt_column_when_the_rows_are_too_many_to_name() -> None:
    scattered = list(range(5, 5 + 2 * 5000, 2))
    assert total_formula("H", scattered, 10_004) == '=SUMIF(A5:A10004,"<>",H5:H10004)'


def test_the_export_uses_shared_named_styles(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    source = big_budget(tmp_path / "du-toan.yaml", 200, 10)
    target = tmp_path / "du-toan.xlsx"
    assert invoke(["budget", "check", str(source), "--xlsx", str(target)]).exit_code == 0
    wb = load_workbook(target)
    ours = [name for name in wb.named_styles if name.startswith("isoprov-")]
    assert 3 <= len(ours) <= 12  # a handful of looks, not one style per cell
    ws: Any = wb.active
    assert ws["B15"].font.i and ws["B15"].alignment.indent == 2  # a sub-item: italic, indented
    assert not ws["B14"].font.i and ws["A14"].alignment.horizontal == "center"
    assert ws["H5"].border.left.style == "thin"


@needs_libreoffice
def test_the_tt_column_total_is_the_commands_total_in_libreoffice(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    source = big_budget(tmp_path / "du-toan.yaml", 10_000, 2)  # 5.000 items of 1.000, 5.000 of 2.000
    target = tmp_path / "du-toan.xlsx"
    assert invoke(["budget", "check", str(source), "--xlsx", str(target)]).exit_code == 0
    formula_total = load_workbook(target).active.cell(row=15_005, column=8).value
    assert formula_total == '=SUMIF(A5:A15004,"<>",H5:H15004)'
    out, stderr = libreoffice_convert(tmp_path, target)
    if not (out / target.name).exists():
        pytest.skip(f"LibreOffice Calc không chuyển được tệp: {stderr.strip()}")
    ws: Any = load_workbook(out / target.name, data_only=True).active
    assert ws.cell(row=15_005, column=8).value == 15_000_000
