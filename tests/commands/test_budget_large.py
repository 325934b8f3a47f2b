"""`budget check` on a budget of thousands of lines: the table is laid out in one pass, with the
same cells as the small-table layout (issue 16)."""

from __future__ import annotations

from pathlib import Path

from isoprov.budget.norms import NormSet
from isoprov.commands.budget import LARGE_TABLE, _plain_cells, plain_table
from isoprov.pipeline.budget import check_file
from tests.clirun import invoke


def write(path: Path, n: int) -> Path:
    lines = ["title: Dự toán lớn", "items:"]
    for i in range(n):
        lines.append(f"  - {{name: Khoản {i}, unit: Cuộc, quantity: 2, rate: 1.500 đồng, amount: 3.000 đồng}}")
    lines.append("  - {name: Khoản sai, quantity: 2, rate: 1.000 đồng, amount: 5.000 đồng}")
    lines.append("  - name: Hội nghị\n    breakdown:\n      - {name: Nước, quantity: 3, rate: 1.000 đồng}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_large_table_is_printed_in_one_pass_with_every_row(tmp_path: Path) -> None:
    source = write(tmp_path / "du-toan.yaml", LARGE_TABLE + 10)
    result = invoke(["budget", "check", str(source)])
    assert result.exit_code == 1  # the wrong line
    lines = result.stdout.splitlines()
    body = [line for line in lines if line.startswith("│")]
    assert len(body) == LARGE_TABLE + 10 + 3 + 1  # items, the wrong one, the meeting and its water, total
    assert any("✗ 2.000" in line and "5.000" in line for line in body)
    assert any("  Nước: 3 × 1.000 đồng" in line for line in body)
    # 510 × 3.000 + 2 × 1.000 (the wrong line counts its computed amount) + 3 × 1.000 = 1.535.000
    assert LARGE_TABLE == 500
    assert "Tổng" in body[-1] and body[-1].rstrip(" │").endswith("1.535.000")
    assert "BUD001" in result.stdout


def test_the_one_pass_table_has_the_cells_of_the_small_layout(tmp_path: Path) -> None:
    report = check_file(write(tmp_path / "du-toan.yaml", 3), NormSet()).report
    assert report is not None
    text = plain_table(report)
    widths = {len(line) for line in text.splitlines()}
    assert len(widths) == 1  # every line as wide as the others
    for r in report.rows():
        for cell in _plain_cells(report, r):
            assert cell in text
