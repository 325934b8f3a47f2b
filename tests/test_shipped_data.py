"""The data shipped with isoprov: the sample criteria set and the Bắc Giang 2020 example assessments.

The expected totals below are hand computations (SPEC §3), written out with their arithmetic; the
test recomputes them with its own small Decimal calculator and then checks that `isoprov score`
agrees, so a change to either the data or the scoring code shows up here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from isoprov.core.loading import load_yaml
from isoprov.scoring.catalog import load_criteria_set
from tests import ROOT
from tests.clirun import invoke
from tests.conftest import Run

CRITERIA_FILE = ROOT / "criteria" / "mau-cap-tinh-huyen-xa.yaml"
EXAMPLE = ROOT / "examples" / "bac-giang-2020"
ASSESSMENTS = sorted((EXAMPLE / "assessments").glob("*.yaml"))
REGISTRY = EXAMPLE / "co-quan.yaml"

# Hand computations: (level, self total, final total). possible = 100 minus the `max` of N/A leaves.
EXPECTED: dict[str, tuple[str, str, str]] = {
    # self 99/100×100 + 3 = 102 → clamped to 100; team 96/100×100 + 3 = 99
    "SKHCN": ("tinh", "100.00", "99.00"),
    # 93.5/100×100, no team score
    "VPUBND": ("tinh", "93.50", "93.50"),
    # self 94/100×100; team 87.5/100×100 = 87.50                         ┐ the deliberate tie
    "SNV": ("tinh", "94.00", "87.50"),
    # 2.7 and 5.3 N/A → possible 96; self 91/96×100 = 94.7916…; 84/96×100 = 87.50 ┘
    "STC": ("tinh", "94.79", "87.50"),
    # 6.3 N/A → possible 99; self 90/99×100 = 90.9090…; team 81/99×100 = 81.8181…
    "SKHDT": ("tinh", "90.91", "81.82"),
    # self 93/100×100 + 2 = 95; team 90/100×100 + 2 = 92
    "UBND-TPBG": ("huyen", "95.00", "92.00"),
    # self 88/100×100; team 83/100×100 (team raised 2.9, lowered others)
    "UBND-LUCNAM": ("huyen", "88.00", "83.00"),
    # 5.3 N/A → possible 98; self 85/98×100 = 86.7346…; team 76/98×100 − 2 = 75.5510…
    "UBND-YENTHE": ("huyen", "86.73", "75.55"),
    # 6.3 N/A → possible 99; self 91/99×100 = 91.9191…; team 87/99×100 = 87.8787…
    "XA-PHONXUONG": ("xa", "91.92", "87.88"),
    # 2.10 left out (counts 0, still in possible 100); self 84; team 82
    "XA-DOINGO": ("xa", "84.00", "82.00"),
    # 5.3 N/A → possible 98; self 84/98×100 = 85.7142…; team 78/98×100 = 79.5918…
    "XA-TIENHUNG": ("xa", "85.71", "79.59"),
    # self 76/100×100; team 69.5/100×100 → band Trung bình
    "XA-SONGKHE": ("xa", "76.00", "69.50"),
}
TIE = ("SNV", "STC")
NOT_SUBMITTED = "SNGV"  # Sở Ngoại vụ: in the registry, no assessment
# The only two warnings the examples are meant to raise, each explained in its file's comments.
INTENDED_WARNINGS = {"XA-DOINGO": "2.10", "XA-PHONXUONG": "4.5"}


def criteria_data() -> dict[str, Any]:
    data = load_yaml(CRITERIA_FILE).data
    assert isinstance(data, dict)
    return data


def walk(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for node in nodes:
        yield node
        yield from walk(node.get("children", []))


def leaves(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in walk(data["criteria"]) if not n.get("children")}


def score_leaves(data: dict[str, Any], level: str) -> list[dict[str, Any]]:
    return [
        n
        for n in leaves(data).values()
        if n.get("kind", "score") == "score" and level in n.get("levels", data["levels"])
    ]


def assessments() -> dict[str, dict[str, Any]]:
    out = {}
    for path in ASSESSMENTS:
        data = load_yaml(path).data
        assert isinstance(data, dict)
        out[data["agency"]["code"]] = data
    return out


def entry_points(entry: Any) -> tuple[Decimal | None, Decimal | None]:
    """(self, team) of a score entry; the shorthand is the self score."""
    if isinstance(entry, Decimal):
        return entry, None
    return entry.get("self"), entry.get("team")


# ------------------------------------------------------------------------- the criteria set


def test_criteria_set_is_valid() -> None:
    cs, diagnostics = load_criteria_set(CRITERIA_FILE)
    assert cs is not None and diagnostics == []
    assert cs.id == "mau-cap-tinh-huyen-xa"
    assert "không phải văn bản chính thức" in cs.source


@pytest.mark.parametrize("level", ["tinh", "huyen", "xa"])
def test_every_level_totals_the_scale(level: str) -> None:
    data = criteria_data()
    assert sum((n["max"] for n in score_leaves(data, level)), Decimal(0)) == data["scale"] == 100


def test_level_specific_leaves_replace_each_other() -> None:
    data = criteria_data()
    only = {n["id"]: tuple(n["levels"]) for n in leaves(data).values() if "levels" in n}
    assert only == {"1.7": ("tinh", "huyen"), "1.8": ("xa",), "3.9": ("tinh", "huyen"), "3.10": ("xa",)}


def test_at_least_forty_leaves() -> None:
    data = criteria_data()
    assert len([n for n in leaves(data).values() if n.get("kind", "score") == "score"]) >= 40
    assert len(score_leaves(data, "xa")) == len(score_leaves(data, "tinh")) == 39


def test_options_lie_in_range_and_include_max() -> None:
    for leaf in leaves(criteria_data()).values():
        points = [o["points"] for o in leaf.get("options", [])]
        assert all(Decimal(0) <= p <= leaf["max"] for p in points), leaf["id"]
        assert not points or leaf["max"] in points, leaf["id"]


def test_declared_group_max_equals_children() -> None:
    for node in walk(criteria_data()["criteria"]):
        if node.get("children") and "max" in node:
            assert node["max"] == sum((c["max"] for c in node["children"]), Decimal(0)), node["id"]


def test_bonus_and_penalty() -> None:
    top = {n["id"]: n for n in criteria_data()["criteria"]}
    assert (top["T"]["kind"], top["T"]["max"]) == ("bonus", 5)
    assert (top["D"]["kind"], top["D"]["max"]) == ("penalty", 10)


def test_every_leaf_has_guidance() -> None:
    assert all(leaf.get("guidance") for leaf in leaves(criteria_data()).values())


# ------------------------------------------------------------------------- the example assessments


def test_examples_cover_the_expected_agencies() -> None:
    found = assessments()
    assert len(ASSESSMENTS) == len(found) >= 10  # no agency code twice
    assert {code: a["agency"]["level"] for code, a in found.items()} == {c: e[0] for c, e in EXPECTED.items()}
    assert {a["criteria"] for a in found.values()} == {"mau-cap-tinh-huyen-xa"}
    assert {a["period"] for a in found.values()} == {"2020"}


def test_examples_use_known_ids_and_allowed_points() -> None:
    known = leaves(criteria_data())
    for code, a in assessments().items():
        level = a["agency"]["level"]
        for cid, entry in a["scores"].items():
            leaf = known[cid]  # a KeyError names an unknown id or a group
            assert level in leaf.get("levels", [level]), (code, cid)
            if isinstance(entry, dict) and "na" in entry:
                assert leaf.get("na") is True and entry["na"].strip(), (code, cid)
                continue
            allowed = [o["points"] for o in leaf.get("options", [])]
            for value in entry_points(entry):
                if value is None:
                    continue
                assert Decimal(0) <= value <= leaf["max"], (code, cid, value)
                assert not allowed or value in allowed, (code, cid, value)


def test_registry_lists_every_submitter_and_one_missing() -> None:
    registry = load_yaml(REGISTRY).data
    codes = [a["code"] for a in registry["agencies"]]
    assert len(codes) == len(set(codes))
    assert set(codes) - set(EXPECTED) == {NOT_SUBMITTED}
    assert set(EXPECTED) <= set(codes)


# ------------------------------------------------------------------------- totals by hand


def hand_totals(a: dict[str, Any], data: dict[str, Any]) -> tuple[Decimal, Decimal]:
    """SPEC §3 on the raw YAML, independently of isoprov.scoring.rules: (self total, final total)."""
    scores = a["scores"]
    applicable = [
        n
        for n in score_leaves(data, a["agency"]["level"])
        if not (isinstance(scores.get(n["id"]), dict) and "na" in scores[n["id"]])
    ]
    possible = sum((n["max"] for n in applicable), Decimal(0))
    self_earned = final_earned = Decimal(0)
    for n in applicable:
        own, team = entry_points(scores.get(n["id"], Decimal(0)))
        self_earned += own or 0
        final_earned += team if team is not None else (own or 0)

    def extra(cid: str) -> tuple[Decimal, Decimal]:
        own, team = entry_points(scores.get(cid, Decimal(0)))
        return own or Decimal(0), team if team is not None else (own or Decimal(0))

    (bonus_self, bonus), (penalty_self, penalty) = extra("T"), extra("D")

    def total(earned: Decimal, plus: Decimal, minus: Decimal) -> Decimal:
        scale: Decimal = data["scale"]
        value = earned / possible * scale + plus - minus
        return min(max(value, Decimal(0)), scale).quantize(Decimal("0.01"), ROUND_HALF_UP)

    return total(self_earned, bonus_self, penalty_self), total(final_earned, bonus, penalty)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_hand_totals(code: str) -> None:
    _, self_total, total = EXPECTED[code]
    assert hand_totals(assessments()[code], criteria_data()) == (Decimal(self_total), Decimal(total))


def test_the_tie_is_a_tie_and_the_only_one() -> None:
    first, second = TIE
    assert EXPECTED[first][0] == EXPECTED[second][0]
    assert EXPECTED[first][2] == EXPECTED[second][2] == "87.50"
    by_level: dict[str, list[str]] = {}
    for level, _, total in EXPECTED.values():
        by_level.setdefault(level, []).append(total)
    assert sum(len(t) - len(set(t)) for t in by_level.values()) == 1


# ------------------------------------------------------------------------- isoprov score agrees


@pytest.fixture(scope="module")
def scored() -> dict[str, Any]:
    result = invoke(["score", str(EXAMPLE / "assessments"), "--agencies", str(REGISTRY), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    out: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return out


def test_score_command_matches_hand_totals(scored: dict[str, Any]) -> None:
    assert scored["errors"] == []
    got = {r["agency"]["code"]: (r["agency"]["level"], r["self_total"], r["total"]) for r in scored["results"]}
    assert got == {c: (lv, Decimal(s), Decimal(t)) for c, (lv, s, t) in EXPECTED.items()}


def test_score_command_ranks_the_tie_together(scored: dict[str, Any]) -> None:
    rank = {r["agency"]["code"]: r["rank"] for r in scored["results"]}
    assert rank["SKHCN"] == 1 and rank["VPUBND"] == 2
    assert rank["SNV"] == rank["STC"] == 3
    assert rank["SKHDT"] == 5


def test_score_command_lists_the_missing_agency(scored: dict[str, Any]) -> None:
    assert scored["missing"] == [{"code": NOT_SUBMITTED, "name": "Sở Ngoại vụ"}]


def test_only_the_intended_warnings(scored: dict[str, Any]) -> None:
    warned = {r["agency"]["code"]: r["warnings"] for r in scored["results"] if r["warnings"]}
    assert set(warned) == set(INTENDED_WARNINGS)
    for code, cid in INTENDED_WARNINGS.items():
        assert len(warned[code]) == 1 and f"`{cid}`" in warned[code][0]


def test_bands(scored: dict[str, Any]) -> None:
    band = {r["agency"]["code"]: r["band"] for r in scored["results"]}
    assert band["SKHCN"] == "Tốt" and band["SNV"] == "Khá" and band["XA-SONGKHE"] == "Trung bình"


def test_strict_turns_the_omission_into_an_error(cli: Callable[..., Run]) -> None:
    run = cli("score", EXAMPLE / "assessments", "--strict", "--format", "json")
    assert run.exit_code == 1
    errors = json.loads(run.stdout)["errors"]
    assert len(errors) == 1 and errors[0]["file"].endswith("ubnd-tt-doi-ngo.yaml")


# ---- the two-tier sample set (SPEC §3b) and its examples ---------------------------------------

TWO_TIER = ROOT / "examples" / "mau-2026"
# Hand computations, as in each file's comments: total = (g1 + g2 + 2 × g3) / possible × 100 + T − D.
TWO_TIER_EXPECTED = {
    # (19,38 + 30 + 2 × 24,25) + 2 = 99,88 self; team 2.4 → 8: 97,88
    "SKHCN": ("tinh", "99.88", "97.88", "Tốt", 1, []),
    # 20 + 28 + 2 × 20,5 + 3 = 92, but K1 not met: neither Tốt nor Khá
    "SNV": ("tinh", "92", "92", "Trung bình", 2, ["Tốt", "Khá"]),
    # 3.3 N/A: 73,05 / 86 × 100 = 84,9418… → 84,94, ranked above STP on the exact total
    "SYT": ("tinh", "84.94", "84.94", "Khá", 3, []),
    # 18,5 + 18 + 2 × 24,72 + 1 − 2 = 84,94 exactly
    "STP": ("tinh", "84.94", "84.94", "Khá", 4, []),
    # self 9,5 + 30 + 50 + 3 = 92,5; team 92; group 1 at 9/20 = 45 % < 50 %: not Tốt
    "XA-TANAN": ("xa", "92.5", "92", "Khá", 1, ["Tốt"]),
    # 48,28 / 86 × 100 − 1 = 55,1395… → 55,14
    "XA-BINHMINH": ("xa", "55.14", "55.14", "Trung bình", 2, []),
}


def test_two_tier_set_uses_every_kind_of_rule_and_only_the_two_levels() -> None:
    cs, diagnostics = load_criteria_set(ROOT / "criteria" / "mau-hai-cap-2026.yaml")
    assert cs is not None and diagnostics == []
    assert cs.levels == ("tinh", "xa") and cs.uses_rules
    leaves = cs.leaves
    assert any(c.measure is not None and c.measure.points for c in leaves)  # threshold tables
    assert any(c.measure is not None and c.measure.full_at for c in leaves)  # proportional
    assert any(c.per is not None and c.per < 0 for c in leaves)  # a counted deduction
    assert any(c.kind == "condition" for c in leaves)
    assert cs.bands is not None and any(b.requires for b in cs.bands)
    assert cs.weights == {"1": 1, "2": 1, "3": 2}


def test_two_tier_examples_score_as_computed_by_hand() -> None:
    run = invoke(["score", str(TWO_TIER), "--format", "json", "--explain"])
    assert run.exit_code == 0, run.stderr
    results = {r["agency"]["code"]: r for r in json.loads(run.stdout)["results"]}
    assert set(results) == set(TWO_TIER_EXPECTED)
    for code, (level, own, final, band, rank, missed) in TWO_TIER_EXPECTED.items():
        r = results[code]
        assert r["agency"]["level"] == level
        assert (Decimal(str(r["self_total"])), Decimal(str(r["total"]))) == (Decimal(own), Decimal(final)), code
        assert (r["band"], r["rank"]) == (band, rank), code
        assert [m["band"] for m in r["band_missed"]] == missed, code
        assert r["warnings"] == [], code
        assert r["explanation"][0].startswith("Giải thích:")
    assert "nhóm 1 đạt 45 % < 50 %" in results["XA-TANAN"]["band_missed"][0]["reasons"]
    assert any("theo tổng chưa làm tròn: 84,94186… > 84,94" in x for x in results["SYT"]["explanation"])
