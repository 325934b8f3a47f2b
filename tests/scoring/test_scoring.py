"""Scoring rules (SPEC §3): rescaling, team over self, bonus, penalty, clamp, rounding, ranks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from isoprov.scoring.assessment import Assessment
from isoprov.scoring.catalog import load_criteria_set
from isoprov.scoring.criteria import CriteriaSet
from isoprov.scoring.rules import competition_ranks, rank, round_points, score, total_points
from tests import DATA

DATA = DATA / "criteria"
_cs, _ = load_criteria_set(DATA / "valid.yaml")
assert _cs is not None
CS: CriteriaSet = _cs
D = Decimal


def assess(level: str = "tinh", **scores: Any) -> Assessment:
    return Assessment.model_validate(
        {
            "agency": {"code": "X", "name": "Cơ quan X", "level": level},
            "criteria": CS.id,
            "period": "2020",
            "scores": {k.replace("_", "."): v for k, v in scores.items()},
        }
    )


def test_full_marks_give_the_scale() -> None:
    r = score(assess(**{"1_1": D(4), "1_2": D(6), "2_1": D(10)}), CS)
    assert r.total == D(100) and r.self_total == D(100) and r.band == "Tốt"


def test_team_points_replace_self_points() -> None:
    r = score(assess(**{"1_1": {"self": D(4), "team": D(2)}, "1_2": D(6), "2_1": D(10)}), CS)
    assert r.self_total == D(100)
    assert r.total == D(90)  # 18 / 20 × 100


def test_na_leaves_the_denominator_and_rescales() -> None:
    r = score(assess(**{"1_1": D(4), "1_2": {"na": "Không có"}, "2_1": D(7)}), CS)
    # 11 / 14 × 100 = 78.571428… → 78.57
    assert r.total == D("78.57")


def test_leaves_of_other_levels_do_not_count() -> None:
    r = score(assess("xa", **{"1_1": D(4), "1_2": D(6), "2_2": D(5)}), CS)
    assert r.total == D(75)  # 15 / 20: 2.1 is for tinh and huyen only
    assert [g.possible for g in r.groups] == [D(10), D(10)]


def test_bonus_and_penalty_apply_after_rescaling() -> None:
    r = score(assess(**{"1_1": D(2), "1_2": D(6), "2_1": D(10), "T": D(3), "D": D(1)}), CS)
    assert r.total == D(92)  # 18/20 × 100 + 3 − 1


def test_total_is_clamped_to_the_scale_and_zero() -> None:
    top = score(assess(**{"1_1": D(4), "1_2": D(6), "2_1": D(10), "T": D(5)}), CS)
    bottom = score(assess(**{"1_1": D(0), "1_2": D(0), "2_1": D(1), "D": D(10)}), CS)
    assert top.total == D(100)
    assert bottom.total == D(0)


def test_missing_applicable_leaf_counts_zero() -> None:
    assert score(assess(**{"1_1": D(4), "2_1": D(10)}), CS).total == D(70)


def test_rounding_is_half_up_to_two_places() -> None:
    assert round_points(D("78.575")) == D("78.58")
    assert round_points(D("78.565")) == D("78.57")  # half-up, not banker's
    assert round_points(D("-0.005")) == D("-0.01")


def test_self_total_uses_self_points_only() -> None:
    r = score(assess(**{"1_1": D(4), "1_2": D(6), "2_1": {"self": D(10), "team": D(5)}, "D": {"team": D(2)}}), CS)
    assert r.self_total == D(100)
    assert r.total == D(73)  # 15/20 × 100 − 2


def test_rounding_uses_the_exact_quotient() -> None:
    # 2.5 / 12 × 3 = 0.625 exactly → 0.63; 1 / 3 × 0.075 = 0.025 exactly → 0.03
    assert total_points(D("2.5"), D(12), D(0), D(0), D(3)) == D("0.63")
    assert total_points(D(1), D(3), D(0), D(0), D("0.075")) == D("0.03")


def test_huge_or_endless_points_are_refused() -> None:
    for value in ("1e999999999", "1e-999999999", "NaN", "Infinity"):
        with pytest.raises(ValidationError):
            assess(**{"1_1": {"self": value}})


def test_nothing_applicable_scores_zero_base() -> None:
    assert total_points(D(0), D(0), D(2), D(0), D(100)) == D(2)


def test_competition_ranks() -> None:
    assert competition_ranks([D(80), D(90), D(90), D(70)]) == [3, 1, 1, 4]
    assert competition_ranks([]) == []


def test_ranks_are_per_level() -> None:
    a = score(assess("tinh", **{"1_1": D(4), "1_2": D(6), "2_1": D(5)}), CS)
    b = score(assess("xa", **{"1_1": D(4), "1_2": D(6), "2_2": D(1)}), CS)
    ranked = rank([a, b])
    assert [r.rank for r in ranked] == [1, 1]


points = st.decimals(min_value=0, max_value=10, places=2)


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), max_size=30))
def test_ranks_are_competition_ranks(totals: list[Decimal]) -> None:
    ranks = competition_ranks(totals)
    for t, r in zip(totals, ranks, strict=True):
        assert r == 1 + sum(1 for other in totals if other > t)


@given(
    st.decimals(min_value=0, max_value=4, places=1),
    st.decimals(min_value=0, max_value=6, places=1),
    st.decimals(min_value=0, max_value=10, places=2),
    st.decimals(min_value=0, max_value=5, places=1),
    st.decimals(min_value=0, max_value=10, places=1),
    st.booleans(),
)
def test_total_stays_within_zero_and_scale(
    p11: Decimal, p12: Decimal, p21: Decimal, bonus: Decimal, penalty: Decimal, na: bool
) -> None:
    cs = CS.model_copy(update={"criteria": CS.criteria})  # options of 1.1 ignored by score()
    entries: dict[str, Any] = {
        "1_1": p11,
        "1_2": {"na": "Không có"} if na else p12,
        "2_1": p21,
        "T": bonus,
        "D": penalty,
    }
    r = score(assess(**entries), cs)
    assert D(0) <= r.total <= cs.scale
    assert r.total == r.total.quantize(D("0.01"))


@given(
    st.decimals(min_value=0, max_value=9, places=2),
    st.decimals(min_value=0, max_value=1, places=2),
    st.decimals(min_value=0, max_value=6, places=1),
    st.decimals(min_value=0, max_value=10, places=1),
)
def test_raising_one_criterion_never_lowers_the_total(
    p21: Decimal, raise_by: Decimal, p12: Decimal, penalty: Decimal
) -> None:
    before = score(assess(**{"1_1": D(2), "1_2": p12, "2_1": p21, "D": penalty}), CS)
    after = score(assess(**{"1_1": D(2), "1_2": p12, "2_1": p21 + raise_by, "D": penalty}), CS)
    assert after.total >= before.total
