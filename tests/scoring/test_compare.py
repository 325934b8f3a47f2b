"""Comparing two sides and self against team (SPEC §10), on small files whose figures are worked
out by hand below.

Set ``so-sanh-a``: 1.1 (10), 1.2 (10), 2.1 (20), 2.2 (10), penalty D (10); total = earned / 50 × 100.
2020: A1 50/50 = 100, A2 25/50 = 50, A3 35/50 = 70, G1 1/50 = 2 (all tinh); H1 40/50 = 80 (huyen).
2021: a1 (A1 renamed, code in lower case) 40/50 = 80; A2 45/50 = 90; A3 70; H1, now tinh, 45/50 = 90;
N1 20/50 = 40.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isoprov.pipeline.score import score_paths
from isoprov.scoring.catalog import Catalog
from isoprov.scoring.compare import (
    Comparison,
    compare_results,
    mean,
    self_team_gaps,
    side_label,
)
from isoprov.scoring.registry import agency_key
from isoprov.scoring.rules import Result
from tests import DATA

HERE = DATA / "compare"


def scored(*paths: Path) -> list[Result]:
    catalog = Catalog.default([HERE / "criteria"])
    catalog.load_explicit()
    batch = score_paths(list(paths), catalog)
    assert batch.ok, batch.diagnostics
    return batch.results


@pytest.fixture(scope="module")
def years() -> Comparison:
    return compare_results(scored(HERE / "y2020"), scored(HERE / "y2021"))


def by_code(c: Comparison) -> dict[str, object]:
    return {agency_key(a.code): a for a in c.agencies}


def test_changes_and_ranks_by_hand(years: Comparison) -> None:
    got = {
        agency_key(a.code): (a.old.total, a.old.rank, a.new.total, a.new.rank, a.change, a.old.band, a.new.band)
        for a in years.agencies
    }
    assert got == {
        # 2020 tinh ranks: A1 100 (1), A3 70 (2), A2 50 (3), G1 2 (4); 2021 tinh: A2 = H1 = 90 (1, 1), a1 80 (3), A3 (4)
        "a1": (Decimal(100), 1, Decimal(80), 3, Decimal(-20), "Tốt", "Khá"),
        "a2": (Decimal(50), 3, Decimal(90), 1, Decimal(40), "Trung bình", "Tốt"),
        "a3": (Decimal(70), 2, Decimal(70), 4, Decimal(0), "Khá", "Khá"),
        "h1": (Decimal(80), 1, Decimal(90), 1, Decimal(10), "Khá", "Tốt"),
    }
    # listed by new level, new rank, code: A2 and H1 share rank 1
    assert [a.code for a in years.agencies] == ["A2", "H1", "a1", "A3"]


def test_agency_renamed_but_same_code_is_one_agency(years: Comparison) -> None:
    a1 = by_code(years)["a1"]
    assert a1.renamed and (a1.old.name, a1.name) == ("Sở A", "Sở A (tên mới)")  # type: ignore[attr-defined]
    assert "A1" not in {r.agency_code for r in years.only_old}


def test_agency_that_changed_level_keeps_each_sides_rank(years: Comparison) -> None:
    h1 = by_code(years)["h1"]
    assert h1.level_changed  # type: ignore[attr-defined]
    assert (h1.old.level, h1.old.rank, h1.level, h1.new.rank) == ("huyen", 1, "tinh", 1)  # type: ignore[attr-defined]


def test_agencies_on_one_side_only(years: Comparison) -> None:
    assert [(r.agency_code, r.total, r.rank) for r in years.only_old] == [("G1", Decimal(2), 4)]
    assert [(r.agency_code, r.total, r.rank) for r in years.only_new] == [("N1", Decimal(40), 5)]


def test_criteria_that_moved_most_come_first(years: Comparison) -> None:
    a2 = by_code(years)["a2"]
    # 2.1: 10 → 20 (+10); 1.1 and 1.2: 5 → 10 (+5 each, in the set's order); 2.2 unchanged
    assert [(x.id, x.old, x.new, x.change) for x in a2.criteria] == [  # type: ignore[attr-defined]
        ("2.1", Decimal(10), Decimal(20), Decimal(10)),
        ("1.1", Decimal(5), Decimal(10), Decimal(5)),
        ("1.2", Decimal(5), Decimal(10), Decimal(5)),
    ]
    assert by_code(years)["a3"].criteria == ()  # type: ignore[attr-defined]


def test_same_set_has_no_one_sided_criteria(years: Comparison) -> None:
    assert years.criteria_only_old == years.criteria_only_new == ()
    assert years.old_sets == years.new_sets == ("so-sanh-a",)
    assert (years.old_label, years.new_label) == ("2020", "2021")


def test_different_criteria_sets_each_side_own_totals_and_ids_on_one_side() -> None:
    c = compare_results(scored(HERE / "y2020"), scored(HERE / "y2021b"))
    [a1] = c.agencies
    # set B: 1.1 10 + 1.2 10 + 2.1 20 + 2.3 5 = 45/50 → 90; set A in 2020: 100
    assert (a1.old.total, a1.new.total, a1.change) == (Decimal(100), Decimal(90), Decimal(-10))
    assert (a1.old.criteria, a1.new.criteria) == ("so-sanh-a", "so-sanh-b")
    # 1.1, 1.2, 2.1 matched by id and unchanged; 2.2 and 2.3 exist on one side only
    assert a1.criteria == ()
    assert [(x.id, x.title) for x in c.criteria_only_old] == [("2.2", "Lưu trữ hồ sơ")]
    assert [(x.id, x.title) for x in c.criteria_only_new] == [("2.3", "Khảo sát hài lòng")]


def test_a_criterion_in_one_year_only_is_not_a_change() -> None:
    c = compare_results(scored(HERE / "y2021b"), scored(HERE / "y2020"))
    [a1] = c.agencies
    assert [x.id for x in a1.criteria] == []
    assert [x.id for x in c.criteria_only_old] == ["2.3"] and [x.id for x in c.criteria_only_new] == ["2.2"]


def test_penalty_that_fell_counts_as_a_gain() -> None:
    [old] = scored(HERE / "self-team" / "s1.yaml")  # D: team 2
    details = tuple(d._replace(final=Decimal(0)) if d.id == "D" else d for d in old.details)
    new = replace(old, details=details, period="2021")
    [a] = compare_results([old], [new]).agencies
    [d] = a.criteria
    assert (d.id, d.old, d.new, d.change) == ("D", Decimal(2), Decimal(0), Decimal(2))


def test_an_agency_twice_on_one_side_is_matched_once_with_a_warning() -> None:
    [a3] = [r for r in scored(HERE / "y2020") if r.agency_code == "A3"]
    again = replace(a3, period="2019", total=Decimal(10), file="khac.yaml")
    c = compare_results([a3, again], [a3])
    assert [a.old.total for a in c.agencies] == [Decimal(70)]
    [w] = c.warnings
    assert w.file == "khac.yaml" and "A3" in w.message and not w.is_error


def test_same_period_on_both_sides_is_before_and_after() -> None:
    results = scored(HERE / "y2020")
    c = compare_results(results, results)
    assert (c.old_label, c.new_label) == ("trước", "sau")
    assert all(a.change == 0 and a.criteria == () for a in c.agencies)


def test_side_label() -> None:
    assert side_label(("2020",), "kỳ trước") == "2020"
    assert side_label(("2020", "2021"), "kỳ trước") == "kỳ trước"
    assert side_label((), "kỳ sau") == "kỳ sau"


_VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
CODE_LETTERS = _VIETNAMESE + _VIETNAMESE.upper() + "0123456789-_fjwz"


@given(st.text(alphabet=CODE_LETTERS, min_size=1, max_size=12), st.sampled_from([" ", "\t", ""]))
def test_agency_key_ignores_case_spacing_and_normal_form(code: str, pad: str) -> None:
    key = agency_key(code)
    assert agency_key(pad + code.upper() + pad) == agency_key(code.upper())
    assert agency_key(unicodedata.normalize("NFD", code)) == key
    assert agency_key(code.casefold()) == key


def test_agency_key_examples() -> None:
    assert agency_key(" skhcn ") == agency_key("SKHCN")
    assert agency_key("XA-ĐỒI-NGÔ") == agency_key(unicodedata.normalize("NFD", "xa-đồi-ngô"))
    assert agency_key("SKHCN") != agency_key("SKHDT")


# ---------------------------------------------------------------------------
# Self against team. By hand (gap = self − team; for the penalty D, team − self):
#   1.1: S1 10−6 = 4, S2 8−9 = −1, S3 10−7 = 3 → 2 above, mean 6/3 = 2.00
#   1.2: S1 0, S2 1 (S3 has no team score) → 1 above, mean 1/2 = 0.50
#   2.1: S1 6, S2 0, S3 10 → 2 above, mean 16/3 = 5.33
#   D:   S1 2 − 0 = 2 → 1 above, mean 2.00; 2.2: no team score anywhere, not listed
#   totals: S1 self 45/50 = 90, final 35/50 = 70 − 2 = 68 → gap 22; S2 28 and 28 → 0;
#           S3 self 40/50 = 80, final 27/50 = 54 → gap 26
# ---------------------------------------------------------------------------


def test_self_team_by_hand() -> None:
    s = self_team_gaps(scored(HERE / "self-team"))
    assert [(c.id, c.agencies_above, c.compared, c.mean_gap) for c in s.criteria] == [
        ("2.1", 2, 3, Decimal("5.33")),
        ("1.1", 2, 3, Decimal("2.00")),  # equal mean gap: more agencies above first
        ("D", 1, 1, Decimal("2.00")),
        ("1.2", 1, 2, Decimal("0.50")),
    ]
    assert [(a.code, a.self_total, a.total, a.gap) for a in s.agencies] == [
        ("S3", Decimal(80), Decimal(54), Decimal(26)),
        ("S1", Decimal(90), Decimal(68), Decimal(22)),
        ("S2", Decimal(56), Decimal(56), Decimal(0)),
    ]


def test_self_team_without_team_scores_lists_no_criterion() -> None:
    s = self_team_gaps(scored(HERE / "y2020"))
    assert s.criteria == ()
    assert all(a.gap == 0 for a in s.agencies)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], "0"),
        (["1", "2"], "1.50"),
        (["1", "1", "0"], "0.67"),  # 0.666… half-up
        (["0.005"], "0.01"),  # exactly half a cent rounds up
        (["-1", "-2"], "-1.50"),
        (["-0.005"], "-0.01"),  # half-up away from zero, as ROUND_HALF_UP
    ],
)
def test_mean_is_exact_then_rounded_half_up(values: list[str], expected: str) -> None:
    assert mean([Decimal(v) for v in values]) == Decimal(expected)


@given(st.lists(st.decimals(min_value=-100, max_value=100, places=2), min_size=1, max_size=20))
def test_mean_within_a_cent_of_the_exact_mean(values: list[Decimal]) -> None:
    exact = sum(values, Decimal(0)) / len(values)
    assert abs(mean(values) - exact) <= Decimal("0.005")


def test_a_side_with_no_result_has_no_one_sided_criteria() -> None:
    # a side whose files all failed says nothing about its criteria: no "different sets", and
    # not every criterion of the other side listed as found on one side only
    results = scored(HERE / "y2020")
    for c in (compare_results(results, []), compare_results([], results)):
        assert not c.sets_differ
        assert c.criteria_only_old == c.criteria_only_new == ()
    assert compare_results(scored(HERE / "y2020"), scored(HERE / "y2021b")).sets_differ
