"""Rules that real rule sets use (SPEC §3b), each with worked cases computed by hand here, with
fractions: measured and counted criteria, conditions, weights, band requirements, rounding modes,
the ceiling, ties; one bad file per error; a set without the new keys scores exactly as §3."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isoprov.core.loading import parse_yaml
from isoprov.core.rounding import round_exact
from isoprov.scoring.assessment import Assessment, check_assessment, load_assessment
from isoprov.scoring.catalog import load_criteria_set
from isoprov.scoring.criteria import CriteriaSet
from isoprov.scoring.explain import explain, total_arithmetic
from isoprov.scoring.rules import Result, rank, score
from tests import DATA

CRITERIA = DATA / "criteria-rules"
ASSESSMENTS = DATA / "assessment-rules"
D = Decimal
F = Fraction


def rules_set() -> CriteriaSet:
    cs, diagnostics = load_criteria_set(CRITERIA / "valid.yaml")
    assert cs is not None, [d.text() for d in diagnostics]
    assert diagnostics == []
    return cs


CS = rules_set()


def assess(scores: dict[str, Any], *, code: str = "X", level: str = "tinh", criteria: str = CS.id) -> Assessment:
    return Assessment.model_validate(
        {"agency": {"code": code, "name": f"Cơ quan {code}", "level": level}, "criteria": criteria, "period": "2026",
         "scores": scores}
    )  # fmt: skip


def checked(a: Assessment, cs: CriteriaSet) -> Result:
    """Score ``a`` after checking it against ``cs`` as the pipeline does (no errors allowed)."""
    text = json.dumps(a.model_dump(mode="json", by_alias=True, exclude_defaults=True))
    problems = [d for d in check_assessment(a, cs, parse_yaml(text, "a.json")) if d.is_error]
    assert not problems, [d.text() for d in problems]
    return score(a, cs)


def to_decimal(value: Fraction, places: int = 2, mode: str = "half-up") -> Decimal:
    return round_exact(value, places, mode)  # type: ignore[arg-type]


def make_set(tmp_path: Path, body: dict[str, Any]) -> CriteriaSet:
    """A criteria set written as a file (JSON is YAML) and loaded with all its checks."""
    data = {"id": "thu", "title": "Bộ thử", "levels": ["tinh", "xa"], **body}
    path = tmp_path / f"set-{len(list(tmp_path.iterdir()))}.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    cs, diagnostics = load_criteria_set(path)
    assert cs is not None, [d.text() for d in diagnostics]
    return cs


# ---- one worked case through every rule ---------------------------------------------------------


BASE = {
    "1.1": D(2),
    "1.2": {"self": D(0), "team": D(1)},
    "3.1": {"self": {"count": D(193), "of": D(200)}},
    "3.2": D(70),
    "T": D(3),
    "D": D(0),
    "K1": True,
}


def test_worked_case_through_every_rule() -> None:
    r = checked(assess(BASE), CS)
    # 1.1 = 2; 1.2: team 1 late report → 3 − 1 = 2 (self: 0 → 3); 3.1: 193/200 = 96,5 % → row ≥ 95: 4;
    # 3.2: 4 × 70/80 = 3,5; group 1 = 4/5; group 3 (weight 2) = 7,5/10; T = 3 × 0,5 = 1,5
    final = F(1 * 4 + 2 * F("7.5"), 1 * 5 + 2 * 10) * 100 + F("1.5")
    own = F(1 * 5 + 2 * F("7.5"), 1 * 5 + 2 * 10) * 100 + F("1.5")
    assert final == F("77.5") and own == F("81.5")
    assert r.total == to_decimal(final) and r.self_total == to_decimal(own)
    assert r.exact_total == final
    assert [(g.id, g.earned, g.possible, g.weight) for g in r.groups] == [
        ("1", D(4), D(5), D(1)),
        ("3", D("7.5"), D(10), D(2)),
    ]
    # 77,50 < 90 (Tốt); Đạt: every criterion ≥ 25 % (1.2: 2/3, 3.1: 4/6, …)
    assert r.band == "Đạt" and r.band_missed == ()


def test_the_example_file_scores_as_its_comment_says() -> None:
    doc = parse_yaml((ASSESSMENTS / "valid-a.yaml").read_text("utf-8"), "valid-a.yaml")
    r = checked(load_assessment(doc), CS)
    assert (r.self_total, r.total, r.band) == (D("81.50"), D("77.50"), "Đạt")


# ---- measured criteria ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (D(98), D(6)),  # exactly on a threshold: value ≥ min
        (D("97.99"), D(4)),
        (D(95), D(4)),
        (D("94.999"), D(2)),
        (D(90), D(2)),
        (D("89.9"), D(0)),
        (D(0), D(0)),
        (D(100), D(6)),
        ({"count": D(190), "of": D(200)}, D(4)),  # 95 % exactly, from counts
        ({"count": D(189), "of": D(200)}, D(2)),  # 94,5 %
        ({"count": D(49), "of": D(50)}, D(6)),  # 98 % exactly
    ],
)
def test_threshold_table(value: Any, points: Decimal) -> None:
    r = checked(assess({**BASE, "3.1": {"self": value}}), CS)
    [d] = [d for d in r.details if d.id == "3.1"]
    assert d.final == points


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (D(80), F(4)),  # exactly full_at: the maximum
        (D(100), F(4)),  # above full_at: still the maximum
        (D(0), F(0)),
        (D(70), F(4 * 70, 80)),  # 3,5
        (D(33), F(4 * 33, 80)),  # 1,65 → 1,7 (1 place, half-up)
        (D(31), F(4 * 31, 80)),  # 1,55 → 1,6
        ({"count": D(2), "of": D(3)}, F(4) * F(200, 3) / 80),  # 66,66…% → 3,333… → 3,3
    ],
)
def test_full_at_is_proportional_then_rounded_as_the_criterion_says(value: Any, points: Fraction) -> None:
    r = checked(assess({**BASE, "3.2": {"self": value}}), CS)
    [d] = [d for d in r.details if d.id == "3.2"]
    assert d.final == to_decimal(points, 1)


def test_full_at_without_round_stays_exact(tmp_path: Path) -> None:
    cs = make_set(
        tmp_path,
        {
            "bands": [{"label": "Đạt", "min": 0}],
            "criteria": [
                {"id": "1", "title": "Tỷ lệ", "max": 4, "measure": {"unit": "%", "full_at": 90}},
                {"id": "2", "title": "Khác", "max": 6},
            ],
        },
    )
    r = checked(assess({"1": {"count": D(1), "of": D(3)}, "2": D(6)}, criteria="thu"), cs)
    # 1: 4 × (100/3) / 90 = 40/27 (never ends); total = (40/27 + 6) / 10 × 100 = 2020/27 = 74,8148…
    exact = (F(40, 27) + 6) / 10 * 100
    assert r.exact_total == exact and r.total == to_decimal(exact) == D("74.81")
    [g1, _] = r.groups
    assert g1.earned_exact == F(40, 27) and g1.earned == D("1.481481")  # shown to 6 places
    lines, total = total_arithmetic(r, cs, final=True)
    assert total == r.total
    assert "1,481481…" in lines[0]


# ---- counted criteria -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("late", "points"),
    [(D(0), D(3)), (D(1), D(2)), (D(3), D(0)), (D(7), D(0))],  # max(0, 3 − 1 × late)
)
def test_negative_per_deducts_from_the_maximum(late: Decimal, points: Decimal) -> None:
    r = checked(assess({**BASE, "1.2": late}), CS)
    assert next(d for d in r.details if d.id == "1.2").final == points


@pytest.mark.parametrize(
    ("count", "bonus"),
    [(D(0), D(0)), (D(3), D("1.5")), (D(4), D(2)), (D(9), D(2))],  # min(2, 0,5 × count)
)
def test_positive_per_counts_up_to_the_maximum(count: Decimal, bonus: Decimal) -> None:
    r = checked(assess({**BASE, "T": count}), CS)
    assert next(d for d in r.details if d.id == "T").final == bonus
    assert r.exact_total == F(19, 25) * 100 + F(bonus)


def test_a_counted_penalty_is_subtracted() -> None:
    r = checked(assess({**BASE, "D": D(2)}), CS)  # 2 late reports × 1 point
    assert r.total == to_decimal(F(19, 25) * 100 + F("1.5") - 2) == D("75.50")


# ---- weights ----------------------------------------------------------------------------------


def test_weight_two_on_part_one_is_twice_part_one_plus_part_two(tmp_path: Path) -> None:
    """Thông tư 04/2014/TT-TTCP: total = 2 × part 1 + part 2, with scale = 2 × max₁ + max₂."""
    cs = make_set(
        tmp_path,
        {
            "scale": 2 * 30 + 40,
            "bands": [{"label": "Đạt", "min": 0}],
            "criteria": [
                {"id": "1", "title": "Phần 1", "weight": 2, "children": [{"id": "1.1", "title": "a", "max": 30}]},
                {"id": "2", "title": "Phần 2", "children": [{"id": "2.1", "title": "b", "max": 40}]},
            ],
        },
    )
    for part1, part2 in [(D("25.5"), D("25.5")), (D(30), D("16.5")), (D("12.25"), D(40))]:
        r = checked(assess({"1.1": part1, "2.1": part2}, criteria="thu"), cs)
        assert r.exact_total == 2 * F(part1) + F(part2)
        # without the weight, the parts would be added and rescaled: (p1 + p2) / 70 × 100
        assert r.total != to_decimal((F(part1) + F(part2)) / 70 * 100)


# ---- ceiling and rounding ---------------------------------------------------------------------


def test_max_total_lets_a_bonus_go_above_the_scale() -> None:
    full = {**BASE, "1.1": D(2), "1.2": D(0), "3.1": D(99), "3.2": D(80)}
    r = checked(assess({**full, "T": D(2)}), CS)
    assert r.total == D(101)  # 100 + 2 × 0,5
    r = checked(assess({**full, "T": D(20)}), CS)  # the bonus is at most 2: 102
    assert r.total == D(102)


def test_max_total_is_the_ceiling(tmp_path: Path) -> None:
    cs = make_set(
        tmp_path,
        {
            "max_total": 103,
            "bands": [{"label": "Đạt", "min": 0}],
            "criteria": [{"id": "1", "title": "a", "max": 10}, {"id": "T", "title": "t", "kind": "bonus", "max": 5}],
        },
    )
    r = checked(assess({"1": D(10), "T": D(5)}, criteria="thu"), cs)
    assert r.total == D(103)  # min(103, 100 + 5)


@pytest.mark.parametrize(
    ("earned", "mode", "places", "expected"),
    [
        # 1698,9 / 2000 × 100 = 84,945 exactly: the modes differ
        (D("1698.9"), "half-up", 2, D("84.95")),
        (D("1698.9"), "half-even", 2, D("84.94")),
        (D("1698.9"), "down", 2, D("84.94")),
        # 84,955: half-even goes up to the even 6
        (D("1699.1"), "half-up", 2, D("84.96")),
        (D("1699.1"), "half-even", 2, D("84.96")),
        (D("1699.1"), "down", 2, D("84.95")),
        # 84,949: only half-up and half-even round it up
        (D("1698.98"), "half-up", 2, D("84.95")),
        (D("1698.98"), "half-even", 2, D("84.95")),
        (D("1698.98"), "down", 2, D("84.94")),
        # 1 place: 84,95 → 85,0 / 85,0 (9 is odd) / 84,9
        (D("1699"), "half-up", 1, D("85.0")),
        (D("1699"), "half-even", 1, D("85.0")),
        (D("1699"), "down", 1, D("84.9")),
    ],
)
def test_rounding_modes(tmp_path: Path, earned: Decimal, mode: str, places: int, expected: Decimal) -> None:
    cs = make_set(
        tmp_path,
        {
            "rounding": {"places": places, "mode": mode},
            "bands": [{"label": "Đạt", "min": 0}],
            "criteria": [{"id": "1", "title": "a", "max": 2000}],
        },
    )
    r = checked(assess({"1": earned}, criteria="thu"), cs)
    assert r.exact_total == F(earned) / 2000 * 100
    assert r.total == expected
    assert str(r.total) == str(expected)  # exactly `places` decimals


# ---- bands with requirements ------------------------------------------------------------------


def test_a_group_below_its_share_misses_the_band_and_says_why() -> None:
    # group 3 = 4/10 = 40 % < 50 %: total (4 + 2 × 4) / 25 × 100 + 2 = 50 → no Tốt anyway; raise group 1
    r = checked(assess({**BASE, "1.2": D(0), "3.1": D(96), "3.2": D(0), "T": D(4)}), CS)
    # 1: 5/5; 3: 4 + 0 = 4/10 → (5 + 8) / 25 × 100 + 2 = 54 → Đạt needs each criterion ≥ 25 %: 3.2 is 0 %
    assert r.exact_total == F(5 + 8, 25) * 100 + 2
    assert r.band == "Chưa đạt"
    assert r.band_missed == (("Đạt", ("tiêu chí 3.2 đạt 0 % < 25 %",)),)


def test_group_share_requirement_names_the_group(tmp_path: Path) -> None:
    cs = make_set(
        tmp_path,
        {
            "bands": [{"label": "Đạt chuẩn", "min": 80, "each_group_min_percent": 50}, {"label": "Chưa", "min": 0}],
            "criteria": [
                {"id": "1", "title": "a", "children": [{"id": "1.1", "title": "a", "max": 90}]},
                {"id": "2", "title": "b", "children": [{"id": "2.1", "title": "b", "max": 5}]},
                {"id": "3", "title": "c", "children": [{"id": "3.1", "title": "c", "max": 5}]},
            ],
        },
    )
    r = checked(assess({"1.1": D(90), "2.1": D(5), "3.1": D(2)}, criteria="thu"), cs)
    assert r.total == D(97)  # 97 ≥ 80, but group 3 earned 2/5 = 40 %
    assert r.band == "Chưa"
    assert r.band_missed == (("Đạt chuẩn", ("nhóm 3 đạt 40 % < 50 %",)),)
    text = "\n".join(explain(r, cs, [r]))
    assert "không xếp loại Đạt chuẩn: nhóm 3 đạt 40 % < 50 %" in text
    # exactly 50 % is enough
    r = checked(assess({"1.1": D(90), "2.1": D(5), "3.1": D("2.5")}, criteria="thu"), cs)
    assert r.band == "Đạt chuẩn" and r.band_missed == ()


def test_share_shown_truncated_never_equal_to_the_requirement(tmp_path: Path) -> None:
    cs = make_set(
        tmp_path,
        {
            "bands": [{"label": "Đạt", "min": 1, "each_criterion_min_percent": "66.67"}, {"label": "Chưa", "min": 0}],
            "criteria": [{"id": "1", "title": "a", "max": 3}, {"id": "2", "title": "b", "max": 7}],
        },
    )
    r = checked(assess({"1": D(2), "2": D(7)}, criteria="thu"), cs)  # 2/3 = 66,666… % < 66,67 %
    assert r.band_missed == (("Đạt", ("tiêu chí 1 đạt 66,666666… % < 66,67 %",)),)
    r = checked(assess({"1": D(1), "2": D(3)}, criteria="thu"), cs)  # 1/3 and 3/7, cut, not rounded
    assert r.band_missed == (
        ("Đạt", ("tiêu chí 1 đạt 33,333333… % < 66,67 %", "tiêu chí 2 đạt 42,857142… % < 66,67 %")),
    )


def test_an_unmet_condition_misses_the_band() -> None:
    full = {**BASE, "1.2": D(0), "3.1": D(99), "3.2": D(80), "T": D(0)}
    assert checked(assess(full), CS).band == "Tốt"  # 100, every group 100 %, K1 Đạt
    r = checked(assess({**full, "K1": {"self": True, "team": False}}), CS)
    assert r.band == "Đạt"
    assert r.band_missed == (("Tốt", ("điều kiện K1 (Đã công bố HTQLCL phù hợp TCVN ISO 9001) không đạt",)),)
    r = checked(assess({**full, "K1": "Không đạt"}), CS)
    assert r.band == "Đạt"


def test_a_missing_condition_is_not_met_and_warned() -> None:
    full = {**BASE, "1.2": D(0), "3.1": D(99), "3.2": D(80)}
    del full["K1"]
    a = assess(full)
    text = json.dumps(a.model_dump(mode="json", by_alias=True, exclude_defaults=True))
    warnings = check_assessment(a, CS, parse_yaml(text, "a.json"))
    assert [d.code for d in warnings] == ["missing-entry"] and "K1" in warnings[0].message
    assert score(a, CS).band == "Đạt"


def test_a_set_without_bands_has_no_band(tmp_path: Path) -> None:
    cs = make_set(tmp_path, {"criteria": [{"id": "1", "title": "a", "max": 10}]})
    r = checked(assess({"1": D(7)}, criteria="thu"), cs)
    assert (r.total, r.band, r.band_missed) == (D(70), None, ())


# ---- ranks and ties ---------------------------------------------------------------------------


def tie_set(tmp_path: Path, tie_break: list[str] | None) -> CriteriaSet:
    body: dict[str, Any] = {
        "bands": [{"label": "Đạt", "min": 0}],
        "criteria": [
            {"id": "1", "title": "a", "children": [{"id": "1.1", "title": "a", "max": 1000}]},
            {"id": "2", "title": "b", "children": [{"id": "2.1", "title": "b", "max": 1000}]},
        ],
    }
    if tie_break is not None:
        body["ranking"] = {"tie_break": tie_break}
    return make_set(tmp_path, body)


# SIPAS 2015: two provinces at 84,94. A: (849 + 849,82) / 2000 × 100 = 84,941; B: 84,9385 → 84,94 both.
TIED = {"A": (D(849), D("849.82")), "B": (D("849.77"), D("849")), "C": (D(900), D(900))}


def ranked(cs: CriteriaSet, entries: dict[str, tuple[Decimal, Decimal]]) -> dict[str, Result]:
    results = [
        checked(assess({"1.1": p1, "2.1": p2}, code=code, criteria="thu"), cs) for code, (p1, p2) in entries.items()
    ]
    return {r.agency_code: r for r in rank(results)}


def test_a_tie_is_broken_on_the_exact_total(tmp_path: Path) -> None:
    by_code = ranked(tie_set(tmp_path, ["exact"]), TIED)
    assert by_code["A"].total == by_code["B"].total == D("84.94")
    assert by_code["A"].exact_total == F(D("1698.82")) / 20 and by_code["B"].exact_total == F(D("1698.77")) / 20
    assert [by_code[c].rank for c in "CAB"] == [1, 2, 3]


def test_a_tie_is_kept_without_tie_break(tmp_path: Path) -> None:
    by_code = ranked(tie_set(tmp_path, None), TIED)
    assert [by_code[c].rank for c in "CAB"] == [1, 2, 2]


def test_a_tie_broken_on_a_group_then_kept_when_all_keys_equal(tmp_path: Path) -> None:
    cs = tie_set(tmp_path, ["exact", "2"])
    entries = {"A": (D(800), D(900)), "B": (D(900), D(800)), "C": (D(850), D(850)), "E": (D(900), D(800))}
    by_code = ranked(cs, entries)  # all at 85 exactly; group 2: A 900 > C 850 > B = E 800
    assert [by_code[c].rank for c in "ACBE"] == [1, 2, 3, 3]
    lines = explain(by_code["A"], cs, list(by_code.values()))
    assert any("xếp trên Cơ quan C (C, hạng 2) theo điểm nhóm 2 (đã nhân hệ số): 900 > 850" in x for x in lines)
    lines = explain(by_code["B"], cs, list(by_code.values()))
    assert any("đồng hạng với Cơ quan E (E, hạng 3)" in x for x in lines)


# ---- a set without the new keys scores exactly as §3 ------------------------------------------


leaf_points = st.decimals(min_value=0, max_value=10, places=2)


@st.composite
def plain_sets(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A set of SPEC §1 only (groups, levels, na, bonus, penalty, bands) and an assessment."""
    groups = draw(st.integers(1, 4))
    criteria: list[dict[str, Any]] = []
    scores: dict[str, Any] = {}
    for g in range(1, groups + 1):
        children = []
        for k in range(1, draw(st.integers(1, 4)) + 1):
            cid = f"{g}.{k}"
            maximum = draw(st.decimals(min_value=1, max_value=10, places=1))
            leaf: dict[str, Any] = {"id": cid, "title": cid, "max": str(maximum)}
            if draw(st.booleans()):
                leaf["levels"] = ["xa"]
            if draw(st.booleans()):
                leaf["na"] = True
            children.append(leaf)
            choice = draw(st.sampled_from(["self", "team", "na", "none"]))
            points = str(draw(st.decimals(min_value=0, max_value=maximum, places=2)))
            if choice == "self":
                scores[cid] = points
            elif choice == "team":
                scores[cid] = {"self": str(maximum), "team": points}
            elif choice == "na" and leaf.get("na"):
                scores[cid] = {"na": "Không có"}
        criteria.append({"id": str(g), "title": f"Nhóm {g}", "children": children})
    criteria.append({"id": "T", "title": "T", "kind": "bonus", "max": "5"})
    criteria.append({"id": "D", "title": "D", "kind": "penalty", "max": "10"})
    scores["T"] = str(draw(st.decimals(min_value=0, max_value=5, places=1)))
    scores["D"] = str(draw(st.decimals(min_value=0, max_value=10, places=1)))
    cs = {
        "id": "p",
        "title": "p",
        "scale": str(draw(st.sampled_from([D(100), D(10), D(1000), D("37.5")]))),
        "levels": ["tinh", "xa"],
        "bands": [{"label": "Tốt", "min": "80"}, {"label": "Khá", "min": "50"}, {"label": "Yếu", "min": "0"}],
        "criteria": criteria,
    }
    a = {
        "agency": {"code": "X", "name": "X", "level": draw(st.sampled_from(["tinh", "xa"]))},
        "criteria": "p",
        "period": "2020",
        "scores": scores,
    }
    return cs, a


def with_default_rounding(data: dict[str, Any]) -> CriteriaSet:
    """The same set, with the §3b key that changes nothing said out loud: it goes through the
    rules path (weights 1, ceiling = scale, 2 places half-up)."""
    cs = CriteriaSet.model_validate({**data, "rounding": {"places": 2, "mode": "half-up"}})
    assert cs.uses_rules
    return cs


@settings(max_examples=150, deadline=None)
@given(plain_sets())
def test_a_set_without_the_new_keys_scores_the_same_through_both_paths(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    data, entries = case
    plain = CriteriaSet.model_validate(data)
    assert not plain.uses_rules
    a = Assessment.model_validate(entries)
    before, after = score(a, plain), score(a, with_default_rounding(data))
    assert (before.total, before.self_total, before.band) == (after.total, after.self_total, after.band)
    assert str(before.total) == str(after.total) and str(before.self_total) == str(after.self_total)
    assert [tuple(g[:5]) for g in before.groups] == [tuple(g[:5]) for g in after.groups]
    assert [tuple(d[:11]) for d in before.details] == [tuple(d[:11]) for d in after.details]
    assert after.band_missed == () and before.band_missed == ()
    # and the explanation's arithmetic arrives at the scored totals, on both paths
    for cs, r in ((plain, before), (with_default_rounding(data), after)):
        assert total_arithmetic(r, cs, final=True)[1] == r.total
        assert total_arithmetic(r, cs, final=False)[1] == r.self_total


@settings(max_examples=100, deadline=None)
@given(
    st.decimals(min_value=0, max_value=100, places=3),
    st.integers(0, 300),
    st.integers(1, 300),
    st.integers(0, 6),
    st.integers(0, 9),
    st.sampled_from(["half-up", "half-even", "down"]),
)
def test_the_explanation_arrives_at_the_scored_total(
    v31: Decimal, count: int, of: int, late: int, ideas: int, mode: str
) -> None:
    cs = CS.model_copy(update={"rounding": CS.rounding.model_copy(update={"mode": mode}) if CS.rounding else None})
    entries = {**BASE, "3.1": v31, "3.2": {"count": D(min(count, of)), "of": D(of)}, "1.2": D(late), "T": D(ideas)}
    r = checked(assess(entries), cs)
    _, total = total_arithmetic(r, cs, final=True)
    assert total == r.total
    assert total_arithmetic(r, cs, final=False)[1] == r.self_total
    assert r.exact_total is not None and r.total == to_decimal(r.exact_total, 2, mode)


# ---- bad files: one per error of §3b ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("measure-order.yaml", 30, "bảng mức phải theo thứ tự `min` giảm dần"),
        ("measure-not-zero.yaml", 32, "mức cuối cùng của bảng phải có min = 0"),
        ("measure-points-range.yaml", 30, "mức điểm 7 nằm ngoài khoảng 0..6"),
        ("measure-no-max.yaml", 28, "phải có mức bằng điểm tối đa 6"),
        ("measure-both.yaml", 28, "không dùng cả hai"),
        ("measure-neither.yaml", 36, "cần `points` (bảng mức) hoặc `full_at`"),
        ("measure-full-at-percent.yaml", 36, "`full_at` là tỷ lệ % nên không quá 100"),
        ("measure-with-per.yaml", 36, "chỉ dùng một trong `measure` (giá trị đo) hoặc `per`"),
        ("per-zero.yaml", 18, "`per` (điểm mỗi lần) phải khác 0"),
        ("per-with-options.yaml", 18, "có `options` (mức điểm cố định) thì không dùng `per`"),
        ("condition-max.yaml", 39, "điều kiện `K1` (kind: condition) chỉ nhận Đạt/Không đạt, không có `max`"),
        ("weight-nested.yaml", 17, "hệ số `weight` của `1.1` chỉ đặt được ở nhóm tiêu chí chấm điểm cấp cao nhất"),
        ("requires-unknown.yaml", 10, "không có tiêu chí `K2`"),
        ("requires-not-condition.yaml", 10, "`3.1` không phải tiêu chí điều kiện"),
        ("last-band-requirements.yaml", 12, "mức xếp loại cuối cùng (`Chưa đạt`) không được có điều kiện"),
        ("max-total-below-scale.yaml", 5, "không được thấp hơn thang điểm `scale`"),
        ("tie-break-unknown.yaml", 8, "`3.1` không phải `exact` hay mã một nhóm tiêu chí cấp cao nhất"),
        ("rounding-mode.yaml", 7, "chỉ chấp nhận: `half-up`, `half-even`, `down`"),
        ("percent-range.yaml", 10, "phải nhỏ hơn hoặc bằng 100"),
        ("round-places.yaml", 36, "phải lớn hơn hoặc bằng 0"),
    ],
)
def test_each_bad_set_is_reported_at_its_line(name: str, line: int, fragment: str) -> None:
    cs, diagnostics = load_criteria_set(CRITERIA / name)
    assert cs is None
    matching = [d for d in diagnostics if fragment in d.message]
    assert matching, [d.text() for d in diagnostics]
    assert matching[0].line == line and matching[0].file.endswith(name)


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("value-negative.yaml", 10, "giá trị đo của `3.1` không được âm (-5)"),
        ("value-over-100.yaml", 11, "giá trị của `3.2` là tỷ lệ %, không quá 100 (120)"),
        ("of-zero.yaml", 10, "`of` (tổng số) phải lớn hơn 0"),
        ("count-above-of.yaml", 10, "`count` (201) không được lớn hơn `of` (200)"),
        ("count-not-whole.yaml", 10, "`count` phải là số nguyên"),
        ("ratio-unknown-key.yaml", 10, "khóa `off` không được phép ở đây; có phải ý bạn là `of`?"),
        ("per-not-whole.yaml", 11, "số lần của `T` phải là số nguyên không âm, không phải 1,5"),
        ("condition-number.yaml", 9, "`K1` là điều kiện: chỉ nhận true (Đạt) hoặc false (Không đạt), không phải `1`"),
        ("bool-for-points.yaml", 5, "điểm phải là một số (ví dụ 2 hoặc 1.5), không phải `true`"),
        ("ratio-for-points.yaml", 6, "chỉ tiêu chí định lượng (`measure`) mới nhận {count, of}"),
        ("condition-na.yaml", 9, "tiêu chí `K1` không cho phép khai báo không áp dụng (`na`)"),
    ],
)
def test_each_bad_assessment_is_reported_at_its_line(name: str, line: int, fragment: str) -> None:
    from isoprov.scoring.assessment import PartialAssessmentError, check_partial

    doc = parse_yaml((ASSESSMENTS / name).read_text("utf-8"), name)
    try:
        diagnostics = check_assessment(load_assessment(doc), CS, doc)
    except PartialAssessmentError as exc:
        diagnostics = check_partial(exc, CS, doc)
    errors = [d for d in diagnostics if d.is_error]
    matching = [d for d in errors if fragment in d.message]
    assert matching, [d.text() for d in diagnostics]
    assert matching[0].line == line
    assert [d for d in diagnostics if not d.is_error] == []  # nothing else to say about these files
