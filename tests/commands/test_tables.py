"""Large terminal tables laid out in one pass (commands.tables): the same cells as rich's table,
for `score`, `compare` and `budget check` (issue 16)."""

from __future__ import annotations

import pytest

import isoprov.commands.tables
from isoprov.commands.tables import box_table
from tests import ROOT
from tests.clirun import invoke

OLD = ROOT / "examples" / "bac-giang-2020" / "assessments"
NEW = ROOT / "examples" / "bac-giang-2021" / "assessments"
WIDE = {"COLUMNS": "250"}  # rich's tables unwrapped, so their cells read as the one-pass table's


def test_columns_are_as_wide_as_their_widest_cell_and_numbers_align_right() -> None:
    text = box_table(("Mã", "Tên"), [("1", "Sở Tư pháp"), ("12", "UBND xã Sơn Động")], (True, False))
    lines = text.splitlines()
    assert len({len(line) for line in lines}) == 1
    assert lines[1] == "┃ Mã ┃ Tên              ┃"
    assert lines[3] == "│  1 │ Sở Tư pháp       │"
    assert lines[4] == "│ 12 │ UBND xã Sơn Động │"


def test_a_cell_of_several_lines_takes_as_many_lines_of_its_row() -> None:
    text = box_table(("Cơ quan", "Điểm"), [("Sở Nội vụ\n  trước đây: Sở Tổ chức", "90")], (False, True))
    body = [line for line in text.splitlines() if line.startswith("│")]
    assert body == ["│ Sở Nội vụ               │   90 │", "│   trước đây: Sở Tổ chức │      │"]


def test_a_footer_comes_after_a_rule() -> None:
    lines = box_table(("A", "B"), [("x", "1")], (False, True), footer=("Tổng", "1")).splitlines()
    assert lines[-3].startswith("├") and lines[-2] == "│ Tổng │ 1 │" and lines[-1].startswith("└")


def test_wide_characters_take_two_columns_and_combining_marks_none() -> None:
    lines = box_table(("Tên",), [("漢字",), ("ab",), ("Sở\u0301",)], (False,)).splitlines()
    assert lines[3] == "│ 漢字 │" and lines[4] == "│ ab   │" and lines[5] == "│ Sở\u0301   │"


def test_vietnamese_text_is_as_wide_as_it_is_long() -> None:
    lines = box_table(("Tên", "Số"), [("Ủy ban nhân dân xã Tân Yên", "1.500")], (False, True)).splitlines()
    assert lines[3] == "│ Ủy ban nhân dân xã Tân Yên │ 1.500 │"


def _body(stdout: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("│").split("│")] for line in stdout.splitlines() if line.startswith("│")]


@pytest.mark.parametrize("args", [["score", OLD], ["compare", OLD, NEW]])
def test_above_the_limit_the_table_has_the_cells_rich_shows(
    args: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    small = invoke(args, env=WIDE)
    monkeypatch.setattr(isoprov.commands.tables, "LARGE_TABLE", 2)
    large = invoke(args, env=WIDE)
    assert large.exit_code == small.exit_code
    assert len(_body(small.stdout)) > 2  # the examples do go above the lowered limit
    assert _body(large.stdout) == _body(small.stdout)
    assert "┏" in large.stdout and "┃ " in large.stdout
