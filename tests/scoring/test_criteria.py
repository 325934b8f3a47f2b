"""Criteria sets (SPEC §1): the model and every check, each bad set its own file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from isoprov.scoring.catalog import load_criteria_set
from tests import DATA

DATA = DATA / "criteria"


def test_valid_set_loads_with_its_structure() -> None:
    cs, diagnostics = load_criteria_set(DATA / "valid.yaml")
    assert diagnostics == []
    assert cs is not None
    assert [leaf.id for leaf in cs.leaves] == ["1.1", "1.2", "2.1", "2.2", "T", "D"]
    assert cs.group_of["2.2"] == "2"
    assert cs.index["1.1"].options is not None
    assert cs.band_for(Decimal("89.99")) == "Khá"
    assert cs.band_for(Decimal(90)) == "Tốt"
    assert cs.band_for(Decimal(0)) == "Yếu"


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("duplicate-id.yaml", 11, "`1.1` bị trùng (lần đầu ở dòng 10)"),
        ("group-max.yaml", 9, "khai báo max = 12 nhưng tổng điểm tối đa các tiêu chí con là 10"),
        ("option-range.yaml", 15, "mức điểm 3 nằm ngoài khoảng 0..2"),
        ("option-no-max.yaml", 13, "phải có mức bằng điểm tối đa 2"),
        ("unknown-level.yaml", 10, "cấp `huyen` không có trong `levels`"),
        ("bands-order.yaml", 6, "thứ tự giảm dần"),
        ("bands-not-zero.yaml", 6, "min = 0"),
        ("unknown-key.yaml", 10, "khóa `maks` không được phép"),
        ("huge-scale.yaml", 4, "số quá lớn"),
        ("bonus-in-group.yaml", 13, "`1.2` chỉ được đặt ở cấp cao nhất"),
        ("bonus-with-children.yaml", 10, "`T` phải là tiêu chí lá"),
    ],
)
def test_each_bad_set_is_reported_at_its_line(name: str, line: int, fragment: str) -> None:
    cs, diagnostics = load_criteria_set(DATA / name)
    assert cs is None
    matching = [d for d in diagnostics if fragment in d.message]
    assert matching, [d.text() for d in diagnostics]
    assert matching[0].line == line
    assert matching[0].file.endswith(name)


def test_group_max_counts_a_sub_group_without_max() -> None:
    cs, diagnostics = load_criteria_set(DATA / "nested-groups.yaml")
    assert diagnostics == []
    assert cs is not None
    assert [leaf.id for leaf in cs.leaves] == ["1.1.1", "1.1.2", "1.2", "2.1", "T"]
    assert cs.group_of["1.1.2"] == "1"


def test_a_groups_levels_evidence_and_na_hold_for_its_leaves() -> None:
    cs, _ = load_criteria_set(DATA / "nested-groups.yaml")
    assert cs is not None
    leaf = cs.index["2.1"]
    assert (leaf.levels, leaf.evidence, leaf.na) == (("xa",), True, True)
    assert not leaf.applies_to("tinh")
    assert cs.index["1.2"].levels is None  # nothing imposed outside the group


def test_a_sub_group_with_a_wrong_max_is_reported(tmp_path: Path) -> None:
    text = (DATA / "nested-groups.yaml").read_text("utf-8").replace("max: 6", "max: 7")
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    cs, diagnostics = load_criteria_set(tmp_path / "c.yaml")
    assert cs is None
    assert [(d.line, d.path) for d in diagnostics] == [(11, "criteria[0].max")]
    assert "tổng điểm tối đa các tiêu chí con là 6" in diagnostics[0].message


def test_a_closed_choice_lists_its_values_without_english(tmp_path: Path) -> None:
    text = (DATA / "nested-groups.yaml").read_text("utf-8").replace("kind: bonus", "kind: extra")
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    _, diagnostics = load_criteria_set(tmp_path / "c.yaml")
    [d] = diagnostics
    assert d.message.endswith("chỉ chấp nhận: `score`, `bonus`, `penalty`, `condition`"), d.message


def test_a_bonus_inside_a_group_is_reported_once() -> None:
    _, diagnostics = load_criteria_set(DATA / "bonus-in-group.yaml")
    assert [d.text() for d in diagnostics] == [
        f"{DATA / 'bonus-in-group.yaml'}:13:42: lỗi criteria[0].children[1].kind: điểm thưởng/điểm trừ `1.2` "
        "chỉ được đặt ở cấp cao nhất, không nằm trong một nhóm"
    ]
