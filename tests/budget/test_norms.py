"""Tests for isoprov.budget.norms: the shipped caps, the file format and the lookup order."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from isoprov.budget.norms import (
    NormCap,
    NormFile,
    NormLookup,
    build_norm_set,
    load_norm_file,
    load_norms,
    search_path,
)
from isoprov.core.diagnostics import InputError
from isoprov.core.loading import parse_yaml
from isoprov.core.resources import shipped_dir
from isoprov.core.validation import validate_document
from tests import DATA, ROOT

DATA = DATA / "norms"
SHIPPED = shipped_dir("norms")
EXAMPLE_NORMS = ROOT / "examples" / "bac-giang-2020" / "norms"


def shipped() -> dict[str, tuple[NormCap, bool, str]]:
    norm_set, problems = build_norm_set([[SHIPPED]])
    assert problems == []
    return {k: (n.cap, n.example, n.file) for k, n in norm_set.norms.items()}


def test_every_shipped_norms_file_is_valid() -> None:
    files = sorted(SHIPPED.glob("*.yaml"))
    assert len(files) >= 2
    for path in files:
        norms, problems = load_norm_file(path)
        assert problems == [], path
        assert norms, path


def test_shipped_ids_are_unique_across_files() -> None:
    seen: dict[str, Path] = {}
    for path in sorted(SHIPPED.glob("*.yaml")):
        norms, _ = load_norm_file(path)
        for norm in norms:
            assert norm.cap.id not in seen, (norm.cap.id, seen.get(norm.cap.id), path)
            seen[norm.cap.id] = path


def test_every_real_cap_cites_a_regulation_and_article() -> None:
    for cap, example, _ in shipped().values():
        if example:
            continue
        assert "Thông tư" in cap.source, cap.id
        assert "Điều" in cap.source, cap.id


@pytest.mark.parametrize(
    ("norm_id", "vnd"),
    [
        ("ho-tro-an-hoi-nghi-noi-thanh", 200_000),
        ("ho-tro-an-hoi-nghi-tinh", 150_000),
        ("ho-tro-an-hoi-nghi-xa", 100_000),
        ("iso-tu-van-xay-dung-so-huyen", 45_000_000),
        ("iso-tu-van-xay-dung-chi-cuc", 33_000_000),
        ("iso-xay-dung-quy-trinh", 2_000_000),
    ],
)
def test_verified_figures(norm_id: str, vnd: int) -> None:
    cap, example, _ = shipped()[norm_id]
    assert not example
    assert cap.max_vnd == Decimal(vnd)


def test_meal_support_caps_come_from_thong_tu_40_dieu_12_khoan_4() -> None:
    for norm_id in ("ho-tro-an-hoi-nghi-noi-thanh", "ho-tro-an-hoi-nghi-tinh", "ho-tro-an-hoi-nghi-xa"):
        cap, _, _ = shipped()[norm_id]
        assert cap.source == "Thông tư 40/2017/TT-BTC, Điều 12 khoản 4"
        assert cap.per == "người/ngày"


def test_only_figures_from_a_regulation_are_shipped() -> None:
    assert "nuoc-uong-hoi-nghi" not in shipped()  # Điều 12 khoản 3: figure not verified
    for path in SHIPPED.glob("*.yaml"):
        norm_file = validate_document(NormFile, parse_yaml(path.read_text("utf-8"), str(path)))
        assert not norm_file.example, path
        assert all(cap.source.startswith("Thông tư") for cap in norm_file.caps), path


def test_the_unverified_drinks_rate_lives_beside_the_example_budget_as_an_example() -> None:
    norm_set, problems = build_norm_set([[EXAMPLE_NORMS]])
    assert problems == []
    norm = norm_set.get("nuoc-uong-hoi-nghi")
    assert norm is not None and norm.example
    assert norm.cap.source.startswith("Ví dụ")


def test_cap_shown_with_its_unit_and_per() -> None:
    cap, _, _ = shipped()["ho-tro-an-hoi-nghi-tinh"]
    assert cap.shown() == "150.000 đồng/người/ngày"


# ---------------------------------------------------------------------------
# File format
# ---------------------------------------------------------------------------


def norm_errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        validate_document(NormFile, parse_yaml(text, "dm.yaml"))
    return [d.text() for d in info.value.diagnostics]


CAP = "caps:\n  - id: thue-xe\n    title: Thuê xe\n    per: ngày\n    source: Nghị quyết 1/2024, Điều 2\n"


def test_max_must_carry_its_unit() -> None:
    errors = norm_errors(CAP + "    max: 500000\n")
    assert len(errors) == 1
    assert errors[0].startswith("dm.yaml:6:10: lỗi caps[0].max:")
    assert "phải ghi kèm đơn vị tiền" in errors[0]


def test_ambiguous_max_names_both_readings() -> None:
    errors = norm_errors(CAP + "    max: 1.5 triệu\n")
    assert "1,5 triệu đồng" in errors[0]
    assert "15 triệu đồng" in errors[0]


def test_source_is_required_on_the_cap_or_the_file() -> None:
    errors = norm_errors("caps:\n  - id: a\n    title: A\n    per: ngày\n    max: 5 đồng\n  - id: b\n    max: 6 đồng\n")
    assert errors == [
        "dm.yaml:2:3: lỗi caps: mức `a`, `b` chưa ghi văn bản quy định (`source`): ghi `source` cho từng mức "
        "hoặc một `source` chung ở đầu tệp"
    ]


def test_a_minimal_cap_takes_the_files_source_and_may_leave_out_title_and_per(tmp_path: Path) -> None:
    path = tmp_path / "dm.yaml"
    path.write_text(
        "source: Nghị quyết 5/2024/NQ-HĐND, Điều 3\ncaps:\n  - id: nuoc-uong\n    max: 20.000 đồng/người/buổi\n"
        "  - id: xe\n    max: 1,5 triệu đồng\n    source: Nghị quyết 5/2024/NQ-HĐND, Điều 4\n",
        encoding="utf-8",
    )
    norms, problems = load_norm_file(path)
    assert problems == []
    by_id = {n.cap.id: n for n in norms}
    assert by_id["nuoc-uong"].source == "Nghị quyết 5/2024/NQ-HĐND, Điều 3"
    assert by_id["xe"].source == "Nghị quyết 5/2024/NQ-HĐND, Điều 4"
    assert (by_id["nuoc-uong"].cap.name, by_id["nuoc-uong"].cap.shown()) == ("nuoc-uong", "20.000 đồng/người/buổi")
    assert (by_id["xe"].cap.shown(), by_id["xe"].cap.max_vnd) == ("1,5 triệu đồng", Decimal(1_500_000))


def test_unknown_key_and_empty_caps() -> None:
    assert "`maximum` không được phép" in norm_errors(CAP + "    max: 5 đồng\n    maximum: 6\n")[0]
    assert norm_errors("caps: []\n") == ["dm.yaml:1:7: lỗi caps: tệp định mức cần ít nhất một mức trong `caps`"]


def test_missing_unit_in_a_file_is_reported_at_its_line() -> None:
    norms, problems = load_norm_file(DATA / "thieu-don-vi.yaml")
    assert norms == []
    assert [(d.line, d.path) for d in problems] == [(5, "caps[0].max")]


# ---------------------------------------------------------------------------
# Lookup order
# ---------------------------------------------------------------------------


def test_a_provinces_file_overrides_an_example_and_a_shipped_cap() -> None:
    norm_set, problems = build_norm_set([[DATA / "dinh-muc-tinh.yaml"], [EXAMPLE_NORMS], [SHIPPED]])
    assert problems == []
    norm = norm_set.get("nuoc-uong-hoi-nghi")
    assert norm is not None
    assert not norm.example
    assert norm.cap.max_vnd == Decimal(15_000)
    assert norm_set.get("ho-tro-an-hoi-nghi-tinh") is not None  # the rest still shipped


def test_same_id_twice_in_one_layer_is_an_error() -> None:
    norm_set, problems = build_norm_set([[DATA / "trung-ma.yaml"]])
    assert len(problems) == 1
    assert problems[0].line == 9
    assert "`thue-xe` đã được khai báo ở" in problems[0].message
    norm = norm_set.get("thue-xe")
    assert norm is not None and norm.cap.max_vnd == Decimal(1_500_000)  # the first one is kept


def test_search_path_is_norms_option_then_cwd_then_shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "norms").mkdir()
    extra = DATA / "dinh-muc-tinh.yaml"
    layers = search_path([extra])
    assert layers[0] == [extra]
    assert layers[1] == [Path("norms")]
    assert layers[2][0].resolve() == SHIPPED.resolve()


def test_the_budgets_own_norms_folder_comes_before_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "norms").mkdir()
    layers = search_path([], EXAMPLE_NORMS.parent)
    assert layers[0] == []
    assert layers[1] == [EXAMPLE_NORMS]
    assert layers[2] == [Path("norms")]
    assert layers[3][0].resolve() == SHIPPED.resolve()
    # a budget folder without norms/ adds no layer, and a folder is never searched twice
    assert len(search_path([], tmp_path)) == 3


def test_lookup_loads_each_budget_folder_once_and_reports_a_bad_norms_file_once(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name / "norms").mkdir(parents=True)
    (tmp_path / "a" / "norms" / "dm.yaml").write_text(
        (DATA / "dinh-muc-tinh.yaml").read_text("utf-8"), encoding="utf-8"
    )
    bad = DATA / "thieu-don-vi.yaml"
    lookup = NormLookup([bad])
    in_a = lookup.for_budget(tmp_path / "a" / "du-toan.yaml")
    assert lookup.for_budget(tmp_path / "a" / "khac.yaml") is in_a
    in_b = lookup.for_budget(tmp_path / "b" / "du-toan.yaml")
    norm_a, norm_b = in_a.get("nuoc-uong-hoi-nghi"), in_b.get("nuoc-uong-hoi-nghi")
    assert norm_a is not None and norm_a.cap.max_vnd == Decimal(15_000)
    assert norm_b is None  # the example rate of bac-giang-2020 is not shipped
    assert [(d.line, d.path) for d in lookup.problems] == [(5, "caps[0].max")]


def test_load_norms_from_the_repository_does_not_load_shipped_twice() -> None:
    norm_set, problems = load_norms([])
    assert problems == []
    assert norm_set.get("ho-tro-an-hoi-nghi-tinh") is not None


def test_suggest_a_close_id() -> None:
    norm_set, _ = build_norm_set([[EXAMPLE_NORMS], [SHIPPED]])
    assert norm_set.suggest("nuoc-uong-hoi-ngi") == "nuoc-uong-hoi-nghi"
    assert norm_set.suggest("zzz") is None


def test_no_suggestion_of_a_cap_for_something_else() -> None:
    # The drinks norm of the SPEC's example is not shipped: a meal cap is no suggestion for it.
    norm_set, _ = build_norm_set([[SHIPPED]])
    assert norm_set.suggest("nuoc-uong-hoi-nghi") is None
    assert norm_set.suggest("ho-tro-an-hoi-nghi-thanh-pho") is not None


def test_validate_norms_document_for_the_validate_command() -> None:
    from isoprov.budget.norms import validate_norms_document
    from isoprov.core.loading import load_yaml

    for path in sorted(SHIPPED.glob("*.yaml")):
        assert validate_norms_document(load_yaml(path)) == [], path
    (dup,) = validate_norms_document(load_yaml(DATA / "trung-ma.yaml"))
    assert (dup.line, dup.path) == (9, "caps[1].id")
    assert "lần đầu ở dòng 4" in dup.message
    (unit,) = validate_norms_document(load_yaml(DATA / "thieu-don-vi.yaml"))
    assert unit.line == 5
