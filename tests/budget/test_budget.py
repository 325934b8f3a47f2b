"""Tests for isoprov.budget (model, checks, results) and its pipeline: money values, the checks of SPEC §5."""

from __future__ import annotations

import json
import re
from decimal import Context, Decimal, Inexact, localcontext
from pathlib import Path

import pytest

import isoprov.budget.checks as budget_module
from isoprov.budget.checks import CHECKS, ambiguous_yaml_number, check_budget
from isoprov.budget.model import Budget, BudgetItem, show_money
from isoprov.budget.norms import NormSet, build_norm_set
from isoprov.budget.results import BudgetReport
from isoprov.core.diagnostics import InputError, Severity
from isoprov.core.loading import load_yaml, parse_yaml
from isoprov.core.resources import shipped_dir
from isoprov.core.validation import validate_document
from tests import DATA, ROOT

SEED = ROOT / "examples" / "bac-giang-2020" / "du-toan.yaml"
BINH_PHUOC = ROOT / "examples" / "binh-phuoc-2021" / "du-toan-kiem-tra.yaml"
DATA = DATA / "budget"


@pytest.fixture(scope="module")
def norms() -> NormSet:
    examples = ROOT / "examples" / "bac-giang-2020" / "norms"
    norm_set, problems = build_norm_set([[examples], [shipped_dir("norms")]])
    assert problems == []
    return norm_set


def check_text(text: str, norms: NormSet | None = None) -> BudgetReport:
    doc = parse_yaml(text, "dt.yaml")
    return check_budget(validate_document(Budget, doc), doc, norms or NormSet())


def check_file(path: Path, norms: NormSet) -> BudgetReport:
    doc = load_yaml(path)
    return check_budget(validate_document(Budget, doc), doc, norms)


def input_errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        validate_document(Budget, parse_yaml(text, "dt.yaml"))
    return [d.text() for d in info.value.diagnostics]


def one_item(field: str, value: str, unit: str = "đồng") -> str:
    return f"title: Thử\nunit: {unit}\nitems:\n  - name: Khoản thử\n    {field}: {value}\n"


def codes(report: BudgetReport) -> list[str]:
    return [f.code for f in report.findings]


# ---------------------------------------------------------------------------
# The reference case: the Bắc Giang 2020 appendix
# ---------------------------------------------------------------------------


def test_seed_total_is_126_trieu_with_its_words(norms: NormSet) -> None:
    report = check_file(SEED, norms)
    assert report.unit == "triệu đồng"
    assert report.total == Decimal(126)
    assert report.total_vnd == Decimal(126_000_000)
    assert report.total_in_words == "Một trăm hai mươi sáu triệu đồng chẵn"


def test_seed_has_no_error_findings(norms: NormSet) -> None:
    report = check_file(SEED, norms)
    assert report.ok
    assert [f.severity for f in report.findings if f.severity is not Severity.NOTE] == []


def test_seed_rows_follow_the_appendix(norms: NormSet) -> None:
    report = check_file(SEED, norms)
    rows = list(report.rows())
    assert [r.number for r in rows if r.depth == 0] == ["1", "2", "3", "4", "5"]
    assert [report.in_unit(r.value_vnd) for r in rows] == [
        Decimal(v) for v in ("6", "35", "2", "2", "81", "5", "5", "24.4", "36.6", "10")
    ]
    water = rows[7]
    assert water.item.name == "Nước uống đại biểu"
    assert water.item.formula(report.unit) == "122 người × 20.000đồng/ngày/đại biểu × 10 huyện"
    assert water.line == 46


def test_seed_breakdown_rates_are_in_dong_and_amounts_in_trieu(norms: NormSet) -> None:
    report = check_file(SEED, norms)
    conference = report.items[4]
    assert conference.computed_vnd == Decimal(81_000_000)
    assert conference.breakdown_vnd == Decimal(81_000_000)
    assert conference.children[2].computed_vnd == Decimal(24_400_000)
    assert conference.children[2].declared_vnd == Decimal(24_400_000)


def test_binh_phuoc_inspection_budget_in_dong(norms: NormSet) -> None:
    report = check_file(BINH_PHUOC, norms)
    assert report.unit == "đồng"
    assert report.total == Decimal(18_770_000)
    assert report.ok
    assert codes(report) == ["BUD006"]
    assert "còn lại 1.230.000 đồng" in report.findings[0].message


# ---------------------------------------------------------------------------
# Money values: every accepted form, at the budget level
# ---------------------------------------------------------------------------

MONEY_FORMS = [
    ("20.000 đồng", 20_000),
    ("20.000đồng/ngày/đại biểu", 20_000),
    ("500.000đồng/ngày", 500_000),
    ("30.000đ/cuốn", 30_000),
    ("30.000 đ", 30_000),
    ("200.000 VNĐ", 200_000),
    ("1.000.000 đồng/ngày", 1_000_000),
    ("1.234,5 đồng", Decimal("1234.5")),
    ("500 nghìn đồng", 500_000),
    ("500 ngàn đồng", 500_000),
    ("8,1 triệu đồng", 8_100_000),
    ("8,1 triệu", 8_100_000),
    ("126 triệu đồng", 126_000_000),
    ("1,5 tỷ đồng", 1_500_000_000),
    ("2 tỉ", 2_000_000_000),
    ("'  20.000   đồng '", 20_000),
    ("2,125 triệu đồng", 2_125_000),  # `,` is the decimal mark: three decimals are not ambiguous
    ("1.000,125 nghìn đồng", 1_000_125),
]


@pytest.mark.parametrize(("text", "vnd"), MONEY_FORMS)
def test_money_string_forms_as_rate(text: str, vnd: int | Decimal) -> None:
    report = check_text(one_item("rate", text) + "    quantity: 1\n")
    assert report.items[0].computed_vnd == Decimal(vnd)


@pytest.mark.parametrize(("text", "vnd"), MONEY_FORMS)
def test_money_string_forms_as_amount_in_a_trieu_budget(text: str, vnd: int | Decimal) -> None:
    report = check_text(one_item("amount", text, unit="triệu đồng"))
    assert report.items[0].declared_vnd == Decimal(vnd)
    assert report.total == Decimal(vnd) / Decimal(1_000_000)


@pytest.mark.parametrize(
    ("unit", "number", "vnd"),
    [
        ("đồng", "126000000", 126_000_000),
        ("nghìn đồng", "126000", 126_000_000),
        ("triệu đồng", "126", 126_000_000),
        ("triệu đồng", "8.1", 8_100_000),
        ("triệu đồng", "0.02", 20_000),
        ("nghìn đồng", "0.5", 500),
    ],
)
def test_a_number_is_in_the_budgets_unit(unit: str, number: str, vnd: int) -> None:
    report = check_text(one_item("amount", number, unit=unit))
    assert report.total_vnd == Decimal(vnd)


AMBIGUOUS_MONEY = [
    ("1.5 triệu", ["1,5 triệu đồng", "15 triệu đồng"]),
    ("2.5 đồng", ["2,5 đồng", "25 đồng"]),
    ("1,500 đồng", ["1,5 đồng", "1.500 đồng"]),
    ("20,000 đồng", ["20 đồng", "20.000 đồng"]),
    ("1,000,000 đồng", ["1.000.000 đồng", "tiếng Anh"]),
    ("1,500.5 đồng", ["1.500,5 đồng", "tiếng Anh"]),
]


@pytest.mark.parametrize(("text", "readings"), AMBIGUOUS_MONEY)
def test_ambiguous_money_string_is_an_error_naming_both_readings(text: str, readings: list[str]) -> None:
    errors = input_errors(one_item("rate", text) + "    quantity: 1\n")
    assert len(errors) == 1
    assert errors[0].startswith("dt.yaml:5:11: lỗi items[0].rate:")
    for reading in readings:
        assert reading in errors[0]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ('"500.000"', "thiếu đơn vị tiền"),
        ("abc", "không có số tiền"),
        ("5 USD", "đơn vị tiền `USD` không hợp lệ"),
        ("true", "phải là một số"),
        ("[1, 2]", "phải là một số"),
    ],
)
def test_unreadable_money_is_an_error(value: str, fragment: str) -> None:
    errors = input_errors(one_item("amount", value))
    assert len(errors) == 1
    assert fragment in errors[0]
    assert "dt.yaml:5:13:" in errors[0]


@pytest.mark.parametrize(
    ("value", "readings", "vnd"),
    [
        ("500.000", ["500", "500.000", "`500000`", "đang được tính là 500"], 500),
        ("8.125", ["8,125", "8.125", "`8125`", "đang được tính là 8,125"], 8_125_000),
        ("1.000", ["1 (", "1.000", "đang được tính là 1"], 1_000_000),
    ],
)
def test_yaml_number_with_three_decimals_is_a_warning_and_counts_as_yaml_reads_it(
    value: str, readings: list[str], vnd: int
) -> None:
    # SPEC §5: a money value is a number in the budget's unit; only a *string* that reads two
    # ways is an error. The number counts as YAML reads it, and the reader is warned.
    unit = "đồng" if value == "500.000" else "triệu đồng"
    report = check_text(one_item("amount", value, unit))
    (finding,) = [f for f in report.findings if f.code == "BUD016"]
    assert finding.severity.value == "warning" and finding.line == 4
    assert report.ok and report.total_vnd == vnd
    for reading in readings:
        assert reading in finding.message, finding.message


@pytest.mark.parametrize("value", ["0.125", "8.1", "24.4", "500000", "8.1250", "2.05"])
def test_yaml_numbers_that_read_one_way_only(value: str) -> None:
    assert ambiguous_yaml_number(Decimal(value)) is None
    assert "BUD016" not in codes(check_text(one_item("amount", value)))


def test_a_string_with_three_decimals_is_not_warned() -> None:
    # `"8,125"` is written the Vietnamese way: one reading only
    report = check_text(one_item("quantity", '"8,125"', "triệu đồng") + "    rate: 1\n")
    assert "BUD016" not in codes(report)


def test_yaml_number_ambiguity_applies_to_quantities_multipliers_and_budget_keys() -> None:
    report = check_text(one_item("quantity", "1.000") + "    times: [3, 2.000]\n    rate: 5\n")
    messages = [f.message for f in report.findings if f.code == "BUD016"]
    assert [m.split(":")[0] for m in messages] == ["`quantity`", "`times`"]
    budget = "title: Thử\nunit: triệu đồng\nallocated: 126.000\ntotal: 8.000\nitems:\n  - name: A\n    amount: 8\n"
    found = [(f.line, f.message.split(":")[0]) for f in check_text(budget).findings if f.code == "BUD016"]
    assert found == [(3, "`allocated`"), (4, "`total`")]


# ---------------------------------------------------------------------------
# Counts and multipliers: numbers or "N label"
# ---------------------------------------------------------------------------


def test_times_labels_are_kept_for_display() -> None:
    report = check_text(
        one_item("rate", "20.000 đồng") + "    quantity: 122\n    unit: người\n    times: [10 huyện, 2]\n"
    )
    item = report.items[0]
    assert item.computed_vnd == Decimal(48_800_000)
    assert item.item.formula("đồng") == "122 người × 20.000 đồng × 10 huyện × 2"


def test_a_single_multiplier_need_not_be_a_list() -> None:
    report = check_text(one_item("rate", "1.000 đồng") + "    times: 10 huyện\n")
    assert report.items[0].computed_vnd == Decimal(10_000)


def test_quantity_may_be_written_the_vietnamese_way_in_quotes() -> None:
    report = check_text(one_item("rate", "1.000 đồng") + '    quantity: "1.000"\n')
    assert report.items[0].computed_vnd == Decimal(1_000_000)
    errors = input_errors(one_item("rate", "1.000 đồng") + '    quantity: "2 cuộc"\n')
    assert "ghi ở khóa `unit`" in errors[0]


# ---------------------------------------------------------------------------
# Budget-level fields
# ---------------------------------------------------------------------------


def test_unit_defaults_to_dong_and_accepts_aliases() -> None:
    assert check_text("title: T\nitems:\n  - name: A\n    amount: 5\n").unit == "đồng"
    assert check_text("title: T\nunit: triệu\nitems:\n  - name: A\n    amount: 5\n").unit == "triệu đồng"


@pytest.mark.parametrize("unit", ["tỷ đồng", "USD", "cái"])
def test_other_budget_units_are_rejected(unit: str) -> None:
    errors = input_errors(f"title: T\nunit: {unit}\nitems:\n  - name: A\n    amount: 5\n")
    assert "dt.yaml:2:7:" in errors[0]
    assert "`đồng`, `nghìn đồng`, `triệu đồng`" in errors[0]


@pytest.mark.parametrize(("unit", "fragment"), [("", "để trống"), (' ""', "để trống"), (" 5", "`5` không hợp lệ")])
def test_empty_or_non_text_unit_is_rejected_in_vietnamese(unit: str, fragment: str) -> None:
    (error,) = input_errors(f"title: T\nunit:{unit}\nitems:\n  - name: A\n    amount: 5\n")
    assert fragment in error
    assert "`đồng`, `nghìn đồng`, `triệu đồng`" in error
    assert not re.search(r"\bor\b", error), error  # not pydantic's English "'a', 'b' or 'c'"


def test_unknown_keys_are_errors_with_a_suggestion() -> None:
    errors = input_errors(one_item("amout", "5"))
    assert len(errors) == 1
    assert "có phải ý bạn là `amount`" in errors[0]


def test_empty_items_is_one_error() -> None:
    assert input_errors("title: T\nitems: []\n") == [
        "dt.yaml:2:8: lỗi items: dự toán cần ít nhất một khoản chi trong `items`"
    ]


def test_an_invalid_item_is_not_also_reported_as_too_few_items() -> None:
    assert len(input_errors(one_item("amount", "1.5 triệu"))) == 1


# ---------------------------------------------------------------------------
# Computation rules
# ---------------------------------------------------------------------------


def test_arithmetic_is_exact_decimal() -> None:
    text = "title: T\nunit: triệu đồng\nitems:\n" + "".join(
        f"  - name: K{i}\n    quantity: 3\n    rate: 0.1\n    amount: 0.3\n" for i in range(10)
    )
    report = check_text(text)
    assert report.ok
    assert report.total == Decimal(3)


def test_total_counts_computed_amounts_of_rate_items() -> None:
    report = check_file(DATA / "amount-mismatch.yaml", NormSet())
    assert report.total == Decimal(6)  # 2 × 3, not the declared 7


def test_lump_sum_with_breakdown_and_no_amount_takes_the_breakdown_sum() -> None:
    text = (
        "title: T\nunit: triệu đồng\nitems:\n  - name: Hội nghị\n    breakdown:\n"
        "      - name: A\n        amount: 1.5\n      - name: B\n        quantity: 10\n"
        "        rate: 50.000 đồng\n"
    )
    report = check_text(text)
    assert report.ok
    assert report.total == Decimal(2)


def test_nested_breakdowns_are_checked_at_every_level() -> None:
    text = (
        "title: T\nunit: triệu đồng\nitems:\n"
        "  - name: Cấp 1\n    amount: 10\n    breakdown:\n"
        "      - name: Cấp 2\n        amount: 9\n        breakdown:\n"
        "          - name: Cấp 3a\n            amount: 4\n"
        "          - name: Cấp 3b\n            quantity: 2\n            rate: 3\n            amount: 5\n"
    )
    report = check_text(text)
    assert [(f.code, f.line) for f in report.findings] == [
        ("BUD002", 4),  # Cấp 2 counts 9 ≠ 10
        ("BUD002", 7),  # 4 + 2 × 3 ≠ 9
        ("BUD001", 12),  # 2 × 3 ≠ 5
    ]
    assert [r.depth for r in report.rows()] == [0, 1, 2, 2]


def test_breakdown_is_compared_with_the_declared_amount_not_the_computed_one() -> None:
    # amount 80, rate × quantity 81, breakdown 80: the amount is wrong (BUD001), the breakdown agrees
    text = (
        "title: T\nunit: triệu đồng\nitems:\n  - name: Hội nghị\n    quantity: 10\n    rate: 8.1\n"
        "    amount: 80\n    breakdown:\n      - name: A\n        amount: 50\n      - name: B\n        amount: 30\n"
    )
    assert codes(check_text(text)) == ["BUD001"]
    # amount 81 = rate × quantity, breakdown 80: BUD002 against the declared 81
    report = check_text(text.replace("amount: 80", "amount: 81").replace("amount: 30", "amount: 29"))
    assert codes(report) == ["BUD002"]
    assert "thành tiền kê khai 81 triệu đồng" in report.findings[0].message
    # amount 80 ≠ 81 and breakdown 79 ≠ 80: both, BUD002 naming the declared 80
    report = check_text(text.replace("amount: 30", "amount: 29"))
    assert codes(report) == ["BUD001", "BUD002"]
    assert "79 triệu đồng khác thành tiền kê khai 80 triệu đồng" in report.findings[1].message


def test_rate_item_with_breakdown_compares_breakdown_with_its_computed_amount() -> None:
    text = (
        "title: T\nunit: triệu đồng\nitems:\n  - name: Hội nghị\n    quantity: 2\n    rate: 5\n"
        "    breakdown:\n      - name: A\n        amount: 6\n      - name: B\n        amount: 3\n"
    )
    report = check_text(text)
    assert [(f.code, f.line) for f in report.findings] == [("BUD002", 4)]
    assert "9 triệu đồng" in report.findings[0].message
    assert "khác thành tiền tính lại 10 triệu đồng" in report.findings[0].message  # no amount declared


@pytest.mark.parametrize(
    "words",
    [
        "Một trăm hai mươi sáu triệu đồng chẵn",
        "một trăm hai mươi sáu triệu đồng",
        "  MỘT TRĂM  HAI MƯƠI SÁU TRIỆU ĐỒNG CHẴN. ",
        "(Bằng chữ: Một trăm hai mươi sáu triệu đồng chẵn)",
    ],
)
def test_words_variants_accepted(words: str) -> None:
    report = check_text(
        f'title: T\nunit: triệu đồng\ntotal_in_words: "{words}"\nitems:\n  - name: A\n    amount: 126\n'
    )
    assert codes(report) == []


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1.005.000 đồng", "Một triệu không trăm lẻ năm ngàn đồng chẵn"),
        ("2.000.000.000 đồng", "Hai tỉ đồng chẵn"),
        ("24.000 đồng", "Hai mươi bốn nghìn đồng chẵn"),
    ],
)
def test_words_spelling_variants_of_the_spec(amount: str, words: str) -> None:
    report = check_text(f"title: T\ntotal_in_words: {words}\nitems:\n  - name: A\n    amount: {amount}\n")
    assert codes(report) == []


def test_words_mismatch_gives_both_figures_and_the_right_words() -> None:
    report = check_file(DATA / "words-mismatch.yaml", NormSet())
    (finding,) = report.findings
    assert finding.code == "BUD004"
    assert "125.000.000 đồng" in finding.message
    assert "126.000.000 đồng" in finding.message
    assert "Một trăm hai mươi sáu triệu đồng chẵn" in finding.message


@pytest.mark.parametrize(
    ("amount", "written", "standard"),
    [
        ("21", "Hai mươi một đồng", "Hai mươi mốt đồng"),
        ("15", "Mười năm đồng", "Mười lăm đồng"),
        ("25", "Hai mươi năm đồng", "Hai mươi lăm đồng"),
        ('"14.000 đồng"', "Mười tư nghìn đồng", "Mười bốn nghìn đồng chẵn"),
    ],
)
def test_words_with_the_right_figure_but_non_standard_wording(amount: str, written: str, standard: str) -> None:
    report = check_text(f"title: T\ntotal_in_words: {written}\nitems:\n  - name: A\n    amount: {amount}\n")
    (finding,) = report.findings
    assert (finding.code, finding.severity) == ("BUD004", Severity.ERROR)  # SPEC lists the accepted variants
    figure = amount.strip('"').removesuffix(" đồng")
    assert f"đọc ra đúng {figure} đồng" in finding.message
    assert "không theo cách viết chuẩn" in finding.message
    assert f"“{standard}”" in finding.message
    assert "không khớp" not in finding.message


def test_unreadable_words_are_a_mismatch() -> None:
    report = check_text("title: T\ntotal_in_words: Một trăm con mèo\nitems:\n  - name: A\n    amount: 100\n")
    assert codes(report) == ["BUD004"]
    assert "không đọc được" in report.findings[0].message


def test_a_budget_with_several_faults_reports_each_at_its_line() -> None:
    text = (
        "title: T\nunit: triệu đồng\nallocated: 10\ntotal: 13\ntotal_in_words: Mười ba triệu đồng\n"
        "items:\n  - name: A\n    quantity: 2\n    rate: 3\n    amount: 7\n  - name: B\n    amount: 6\n"
    )
    report = check_text(text)
    assert [(f.code, f.line) for f in report.findings] == [
        ("BUD005", 3),
        ("BUD003", 4),
        ("BUD004", 5),
        ("BUD001", 7),
    ]
    # the declared total is the sum of the declared amounts: the message says where to look
    assert "chênh lệch do các khoản tính sai ở trên" in report.findings[1].message


# ---------------------------------------------------------------------------
# One file per kind of fault (the CLI tests run the same files through the command)
# ---------------------------------------------------------------------------

FAULTS = [
    ("amount-mismatch.yaml", "BUD001", Severity.ERROR, 4, ["7 triệu đồng", "6 triệu đồng"]),
    ("breakdown-mismatch.yaml", "BUD002", Severity.ERROR, 6, ["9 triệu đồng", "10 triệu đồng"]),
    ("total-mismatch.yaml", "BUD003", Severity.ERROR, 3, ["125 triệu đồng", "126 triệu đồng"]),
    ("words-mismatch.yaml", "BUD004", Severity.ERROR, 4, ["125.000.000", "126.000.000"]),
    ("over-allocation.yaml", "BUD005", Severity.ERROR, 3, ["126 triệu đồng", "120 triệu đồng"]),
    ("under-allocation.yaml", "BUD006", Severity.NOTE, 3, ["130 triệu đồng", "còn lại 4 triệu đồng"]),
    (
        "norm-exceeded.yaml",
        "BUD007",
        Severity.ERROR,
        8,
        ["200.000 đồng", "150.000 đồng/người/ngày", "Thông tư 40/2017/TT-BTC, Điều 12 khoản 4"],
    ),
    ("no-amount.yaml", "BUD008", Severity.ERROR, 6, ["Chi khác"]),
    ("zero-quantity.yaml", "BUD009", Severity.ERROR, 4, ["số lượng", "không phải 0"]),
    ("negative-rate.yaml", "BUD009", Severity.ERROR, 8, ["định mức", "-20.000"]),
    ("fractional-dong.yaml", "BUD010", Severity.ERROR, 3, ["2.000.000,5 đồng"]),
    ("unknown-norm.yaml", "BUD011", Severity.WARNING, 4, ["nuoc-uong-hoi-nghj", "nuoc-uong-hoi-nghi"]),
    ("example-norm-exceeded.yaml", "BUD012", Severity.WARNING, 6, ["25.000 đồng", "20.000 đồng"]),
    ("norm-without-rate.yaml", "BUD014", Severity.WARNING, 4, ["ho-tro-an-hoi-nghi-xa"]),
    (
        "quantity-without-rate.yaml",
        "BUD015",
        Severity.WARNING,
        4,
        ["`quantity: 2`", "không được dùng", "`rate`", "tổng chi tiết 840.000 đồng"],
    ),
]


@pytest.mark.parametrize(("name", "code", "severity", "line", "fragments"), FAULTS)
def test_fault_file(name: str, code: str, severity: Severity, line: int, fragments: list[str], norms: NormSet) -> None:
    report = check_file(DATA / name, norms)
    assert [(f.code, f.severity, f.line) for f in report.findings] == [(code, severity, line)]
    for fragment in fragments:
        assert fragment in report.findings[0].message
    assert report.ok is (severity is not Severity.ERROR)


@pytest.mark.parametrize(
    ("fields", "fragments"),
    [
        ("    quantity: 3\n    amount: 5\n", ["`quantity: 3`", "thành tiền kê khai 5 đồng"]),
        ("    times: [2 ngày]\n    amount: 5\n", ["`times: 2 ngày`"]),
        ("    quantity: 2\n    times: [3]\n    amount: 5\n", ["`quantity: 2`", "`times: 3`"]),
    ],
)
def test_quantity_or_times_without_a_rate_is_a_warning(fields: str, fragments: list[str]) -> None:
    report = check_text("title: T\nitems:\n  - name: Khoán\n" + fields)
    (finding,) = report.findings
    assert (finding.code, finding.severity, finding.line) == ("BUD015", Severity.WARNING, 3)
    for fragment in fragments:
        assert fragment in finding.message
    assert report.total == 5  # the amount counts, not 3 × 5


@pytest.mark.parametrize(
    "fields",
    [
        "    quantity: 1\n    amount: 5\n",  # "1 Cuộc" changes nothing
        "    quantity: 3\n",  # nothing to count: BUD008 says so, not also BUD015
        "    quantity: 3\n    rate: 2\n    amount: 6\n",
    ],
)
def test_no_quantity_warning_when_nothing_is_lost(fields: str) -> None:
    assert "BUD015" not in codes(check_text("title: T\nitems:\n  - name: Khoán\n" + fields))


def test_negative_money_strings_are_reported_with_every_other_problem() -> None:
    report = check_file(DATA / "negative-values.yaml", NormSet())
    found = [(f.code, f.line) for f in report.findings]
    assert found == [("BUD009", 4), ("BUD010", 5), ("BUD009", 6), ("BUD009", 9), ("BUD009", 12), ("BUD009", 12)]
    messages = [f.message for f in report.findings]
    assert "kinh phí được giao (`allocated`) phải lớn hơn 0, không phải -5" in messages[0]
    assert "số lượng (`quantity`) phải lớn hơn 0, không phải -2" in messages[2]
    assert "định mức (`rate`) phải lớn hơn 0, không phải -500.000 đồng" in messages[3]
    assert "`times[0]`) phải lớn hơn 0, không phải 0" in messages[4]
    assert "`times[1]`) phải lớn hơn 0, không phải -2 huyện" in messages[5]
    assert not any("BUD006" in m for m in codes(report))  # no remainder against a negative allocation


@pytest.mark.parametrize(
    ("budget_unit", "rate", "shown"),
    [
        ("triệu đồng", "500.000 đồng/người", "0,5"),
        ("triệu đồng", "2,125 triệu đồng", "2,125"),
        ("nghìn đồng", "1,5 triệu", "1.500"),
        ("đồng", "200.000 đồng/người/ngày", "200.000"),
        ("triệu đồng", "8.1", "8,1"),
    ],
)
def test_rates_are_shown_in_the_budgets_unit(budget_unit: str, rate: str, shown: str) -> None:
    report = check_text(one_item("rate", rate, unit=budget_unit))
    (row,) = report.rows()
    assert row.item.rate is not None
    assert show_money(row.item.rate, budget_unit) == shown
    assert show_money(row.item.rate, budget_unit, with_unit=True) == f"{shown} {budget_unit}"


def test_example_norm_within_cap_is_a_note_once(norms: NormSet) -> None:
    report = check_file(SEED, norms)
    assert [(f.code, f.severity, f.line) for f in report.findings] == [("BUD013", Severity.NOTE, 46)]


def test_norm_within_a_real_cap_is_silent(norms: NormSet) -> None:
    text = (
        "title: T\nitems:\n  - name: Ăn\n    quantity: 20\n    rate: 150.000 đồng\n    norm: ho-tro-an-hoi-nghi-tinh\n"
    )
    assert codes(check_text(text, norms)) == []


def test_norm_compared_in_dong_whatever_the_budget_unit(norms: NormSet) -> None:
    text = (
        "title: T\nunit: triệu đồng\nitems:\n  - name: Ăn\n    quantity: 20\n    rate: 0.16\n"
        "    norm: ho-tro-an-hoi-nghi-tinh\n"
    )
    report = check_text(text, norms)
    assert codes(report) == ["BUD007"]
    assert "160.000 đồng" in report.findings[0].message


# ---------------------------------------------------------------------------
# The codes are documented
# ---------------------------------------------------------------------------


def test_every_code_is_documented_in_the_module_docstring() -> None:
    doc = budget_module.__doc__ or ""
    for check in CHECKS:
        assert re.search(rf"^{check.code} {check.name} \({check.severity.value}\)", doc, re.MULTILINE), check
    assert len({c.code for c in CHECKS}) == len(CHECKS)


def test_budget_json_schema_shows_money_as_number_or_string() -> None:
    schema = Budget.model_json_schema()
    item = schema["$defs"]["BudgetItem"]["properties"]
    assert item["rate"]["anyOf"] == [{"type": "number"}, {"type": "string"}]


def test_validate_budget_document_for_the_validate_command(norms: NormSet) -> None:
    from isoprov.pipeline.budget import validate_budget_document

    assert [d.code for d in validate_budget_document(load_yaml(SEED), norms)] == ["BUD013"]
    assert [(d.code, d.line) for d in validate_budget_document(load_yaml(DATA / "amount-mismatch.yaml"))] == [
        ("BUD001", 4)
    ]
    (error,) = validate_budget_document(load_yaml(DATA / "ambiguous-money.yaml"))
    assert (error.code, error.line, error.column) == ("", 7, 11)


# ---------------------------------------------------------------------------
# Absurd figures: input errors at their node, exact arithmetic, never a traceback
# ---------------------------------------------------------------------------


def test_numbers_far_too_large_are_input_errors_at_their_node() -> None:
    with pytest.raises(InputError) as info:
        validate_document(Budget, load_yaml(DATA / "too-many-digits.yaml"))
    found = [(d.line, d.path, d.message) for d in info.value.diagnostics]
    assert [(line, path) for line, path, _ in found] == [
        (6, "items[0].quantity"),
        (7, "items[0].rate"),
        (10, "items[1].amount"),
    ]
    for _, _, message in found:
        assert "quá lớn" in message
        assert len(message) < 300  # the figure is abbreviated, not printed in full


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("amount", "0.0000000000000000000000000000000001", "chữ số thập phân"),
        ("amount", '"1' + "0" * 40 + ' đồng"', "quá lớn"),
        ("quantity", '"1' + ".000" * 14 + '"', "quá lớn"),
        ("times", "[1.0E+50]", "quá lớn"),
    ],
)
def test_each_kind_of_number_is_bounded(field: str, value: str, fragment: str) -> None:
    errors = input_errors(one_item(field, value) + ("    rate: 5\n" if field != "amount" else ""))
    assert len(errors) == 1
    assert fragment in errors[0]


def test_products_of_many_long_multipliers_stay_exact() -> None:
    factor = "1234567890123456789012345678,5"  # 29 significant digits, within the bounds
    times = ", ".join([f'"{factor} lần"'] * 5)
    report = check_text(f"title: T\nunit: triệu đồng\nitems:\n  - name: A\n    rate: 3\n    times: [{times}]\n")
    with localcontext(Context(prec=400, traps=[Inexact])):
        exact = Decimal(3_000_000) * Decimal("1234567890123456789012345678.5") ** 5
    assert report.total_vnd == exact  # 142 digits: more than any fixed working precision of 120
    assert codes(report) == ["BUD010"]  # far above what words can write, reported as such
    assert "quá lớn" in report.findings[0].message and "số nguyên" not in report.findings[0].message


def test_zero_written_with_a_thousands_group_is_zero_not_ambiguous() -> None:
    report = check_text(one_item("rate", '"0.000 đồng"') + "    quantity: 1\n")
    assert codes(report) == ["BUD009"]


def test_input_errors_come_in_the_order_of_the_file() -> None:
    # pydantic reports field by field (unit before items); a reader fixes a file top to bottom
    text = "title: T\nitems:\n  - name: A\n    amout: 1\nunit: đô la\n"
    errors = input_errors(text)
    assert [e.split(": lỗi")[0] for e in errors] == ["dt.yaml:4:5", "dt.yaml:5:7"], errors


# ---------------------------------------------------------------------------
# Boundaries and edge cases found by mutation testing
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("quantity", "1" + "0" * 29, None),  # 30 whole digits: the largest figure allowed
        ("quantity", "1" + "0" * 30, "quá lớn"),  # 31
        ("quantity", "0." + "0" * 29 + "1", None),  # 30 decimals
        ("quantity", "0." + "0" * 30 + "1", "chữ số thập phân"),  # 31
        ("quantity", "1." + "0" * 40, None),  # trailing zeros are not decimals that count
        ("quantity", "0." + "0" * 40, None),  # zero, however written, is zero (BUD009)
    ],
)
def test_figure_bounds_are_exactly_30_digits(field: str, value: str, fragment: str | None) -> None:
    text = one_item(field, value) + "    rate: 5\n"
    if fragment is None:
        check_text(text)
    else:
        (error,) = input_errors(text)
        assert fragment in error


def test_a_long_figure_is_abbreviated_in_the_error_and_a_short_one_is_not() -> None:
    forty = "1" + "2" * 38 + "9"
    (short,) = input_errors(one_item("quantity", forty) + "    rate: 5\n")
    assert f"`{forty}`" in short  # 40 characters: shown in full
    (long,) = input_errors(one_item("quantity", "3" + forty) + "    rate: 5\n")
    assert "`31222222222222222222…222222222229`" in long


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("quantity", "true", "số lượng phải là một số"),
        ("quantity", "[1]", "số lượng phải là một số"),
        ("times", "[true]", "hệ số nhân phải là một số"),
        ("times", "[[2]]", "hệ số nhân phải là một số"),
        ("rate", "true", "hoặc một chuỗi có đơn vị"),
        ("rate", "{a: 1}", "hoặc một chuỗi có đơn vị"),
    ],
)
def test_non_numbers_are_input_errors(field: str, value: str, fragment: str) -> None:
    (error,) = input_errors(one_item(field, value) + ("    amount: 5\n" if field != "amount" else ""))
    assert fragment in error


@pytest.mark.parametrize("field", ["quantity", "rate", "amount"])
def test_non_finite_numbers_are_refused(field: str) -> None:
    item: dict[str, object] = {"name": "A", "amount": 5, field: Decimal("Infinity")}
    with pytest.raises(ValueError, match="hữu hạn"):
        Budget.model_validate({"title": "T", "items": [item]})


def test_empty_keys_count_as_absent() -> None:
    report = check_text("title: T\nitems:\n  - name: A\n    quantity:\n    rate:\n    amount: 5\n")
    assert codes(report) == [] and report.total_vnd == 5


def test_a_budget_can_be_built_from_its_own_values() -> None:
    # Money and Multiplier values are taken as they are (e.g. when building a budget in Python)
    first = check_text(one_item("rate", '"20.000 đồng"') + '    quantity: 3\n    times: ["10 huyện"]\n')
    item = first.budget.items[0]
    again = Budget(title="T", items=(BudgetItem(name="B", quantity=item.quantity, rate=item.rate, times=item.times),))
    doc = parse_yaml("title: T\nitems:\n  - name: B\n", "dt.yaml")
    assert check_budget(again, doc, NormSet()).total_vnd == 600_000


@pytest.mark.parametrize(("value", "shown"), [("-3", "không phải -3"), ('"-3 triệu"', "không phải -3 triệu đồng")])
def test_not_positive_shows_the_value_as_written(value: str, shown: str) -> None:
    report = check_text(one_item("rate", value) + "    quantity: 1\n")
    (message,) = [f.message for f in report.findings if f.code == "BUD009"]
    assert message.endswith(shown)


@pytest.mark.parametrize(
    ("value", "integral", "hint"),
    [("500.000", True, "nếu là 500 hãy viết `500`"), ("8.125", False, '`"8,125 triệu đồng"`')],
)
def test_ambiguous_yaml_number_says_how_to_keep_the_yaml_reading(value: str, integral: bool, hint: str) -> None:
    message = ambiguous_yaml_number(Decimal(value))
    assert message is not None and hint in message
    assert f"hoặc {value} (dấu `.` phân cách hàng nghìn)" in message
    assert ("ngoặc kép" in message) != integral


def test_validate_budget_document_uses_the_norms_given_or_else_the_usual_ones(tmp_path: Path) -> None:
    path = tmp_path / "dt.yaml"
    path.write_text(
        "title: T\nitems:\n  - name: Ăn\n    quantity: 20\n    rate: 200.000 đồng\n    norm: ho-tro-an-hoi-nghi-tinh\n",
        encoding="utf-8",
    )
    from isoprov.pipeline.budget import validate_budget_document

    assert [d.code for d in validate_budget_document(load_yaml(path))] == ["BUD007"]  # shipped cap
    assert [d.code for d in validate_budget_document(load_yaml(path), NormSet())] == ["BUD011"]


def test_checks_are_distinct_constants() -> None:
    assert len(set(CHECKS)) == len(CHECKS)


def test_lump_sum_with_a_quantity_names_only_what_is_unused() -> None:
    report = check_text(one_item("quantity", "2") + "    times: [1]\n    amount: 5\n")
    (message,) = [f.message for f in report.findings if f.code == "BUD015"]
    assert "`quantity: 2`" in message and "times" not in message


def test_rows_tell_lump_sums_from_rate_items() -> None:
    report = check_text("title: T\nitems:\n  - name: A\n    amount: 5\n  - name: B\n    rate: 5\n")
    assert [(row.item.name, row.is_lump_sum) for row in report.rows()] == [("A", True), ("B", False)]


def test_lump_sum_with_multipliers_names_only_what_is_unused() -> None:
    report = check_text(one_item("quantity", "1") + "    times: [2 huyện]\n    amount: 5\n")
    (message,) = [f.message for f in report.findings if f.code == "BUD015"]
    assert "`times: 2 huyện`" in message and "quantity" not in message


def test_example_norm_note_is_given_once_per_cap(norms: NormSet) -> None:
    item = "  - name: {}\n    quantity: 10\n    rate: 20.000 đồng\n    norm: nuoc-uong-hoi-nghi\n"
    report = check_text("title: T\nitems:\n" + item.format("A") + item.format("B"), norms)
    assert [(f.code, f.line) for f in report.findings] == [("BUD013", 3)]


def test_total_mismatch_hint_only_when_the_declared_amounts_add_up() -> None:
    base = "title: T\ntotal: {}\nitems:\n  - name: A\n    quantity: 2\n    rate: 3\n    amount: 7\n"
    (listed,) = [f.message for f in check_text(base.format(7)).findings if f.code == "BUD003"]
    assert "tổng kê khai bằng tổng thành tiền kê khai" in listed
    (other,) = [f.message for f in check_text(base.format(8)).findings if f.code == "BUD003"]
    assert "tổng kê khai bằng" not in other


def test_zero_allocation_is_not_positive_and_not_an_overrun() -> None:
    report = check_text("title: T\nallocated: 0\nitems:\n  - name: A\n    amount: 5\n")
    assert codes(report) == ["BUD009"]


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        ("title: T\ntotal: 0.5\nitems:\n  - name: A\n    amount: 0.5\n", 2, "không phải số nguyên đồng"),
        ("title: T\nitems:\n  - name: A\n    amount: 0.5\n", 2, "không phải số nguyên đồng"),
        ('title: T\nitems:\n  - name: A\n    amount: "-5 đồng"\n', 2, "là số âm"),
        ('title: T\nitems:\n  - name: A\n    amount: "-0,5 đồng"\n', 2, "là số âm"),
    ],
)
def test_a_total_that_cannot_be_written_in_words_is_reported_at_the_total(text: str, line: int, why: str) -> None:
    (finding,) = [f for f in check_text(text).findings if f.code == "BUD010"]
    assert finding.line == line and why in finding.message


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("allocated: 1\n", ["BUD005"]),  # 1 đồng is a (small) allocation
        ("allocated: 5\ntotal: 5\n", []),
        ("total: 0\n", ["BUD003", "BUD009"]),
    ],
)
def test_budget_level_figures_at_the_edges(keys: str, expected: list[str]) -> None:
    report = check_text(f"title: T\n{keys}items:\n  - name: A\n    amount: 5\n")
    assert sorted(codes(report)) == expected


def test_budget_level_findings_point_at_their_key() -> None:
    text = "title: T\nallocated: 126.000\ntotal_in_words: Một đồng\nitems:\n  - name: A\n    amount: 5\n"
    found = {f.code: (f.line, f.column) for f in check_text(text).findings}
    assert found["BUD016"] == (2, 1) and found["BUD004"] == (3, 1)


def test_amount_mismatch_shows_the_formula_in_the_budgets_unit_the_vietnamese_way() -> None:
    text = "title: T\nunit: triệu đồng\nitems:\n  - name: Họp\n    unit: Cuộc\n    quantity: 2\n    rate: 2.50\n"
    (finding,) = check_text(text + "    amount: 6\n").findings
    assert "(2 Cuộc × 2,5 triệu đồng)" in finding.message


def test_a_breakdown_mismatch_marks_the_row() -> None:
    text = "title: T\nitems:\n  - name: A\n    amount: 10\n    breakdown:\n      - name: B\n        amount: 9\n"
    report = check_text(text)
    assert codes(report) == ["BUD002"]
    assert [row.mismatch for row in report.rows()] == [True, False]


def test_times_must_be_a_list_or_one_multiplier() -> None:
    (error,) = input_errors(one_item("times", "true") + "    rate: 5\n")
    assert "danh sách" in error


@pytest.mark.parametrize(
    ("keys", "code", "line"),
    [
        ("allocated: 0\n", "BUD009", 2),
        ("total: 6\n", "BUD003", 2),
        ("allocated: 3\n", "BUD005", 2),
        ("allocated: 10\n", "BUD006", 2),
        ("total: 5.5\n", "BUD010", 2),
    ],
)
def test_every_budget_level_finding_points_at_its_key(keys: str, code: str, line: int) -> None:
    amount = "5.5" if code == "BUD010" else "5"
    report = check_text(f"title: T\n{keys}items:\n  - name: A\n    amount: {amount}\n")
    found = {f.code: (f.line, f.column) for f in report.findings}
    assert found[code] == (line, 1)


def test_total_mismatch_with_items_that_declare_no_amount() -> None:
    text = "title: T\ntotal: 99\nitems:\n  - name: A\n    quantity: 2\n    rate: 5\n  - name: B\n    amount: 1\n"
    (finding,) = check_text(text).findings
    assert finding.code == "BUD003" and "tổng tính lại 11 đồng" in finding.message


def test_unknown_norm_without_a_close_match_suggests_nothing() -> None:
    report = check_text(one_item("rate", "5") + "    norm: zzz\n")
    (message,) = [f.message for f in report.findings if f.code == "BUD011"]
    assert "`zzz`" in message and "có phải" not in message


def test_a_rate_written_as_a_bare_fraction_asks_for_its_unit(tmp_path: Path) -> None:
    """A money string carries its unit (SPEC §5); ``"15/26 triệu đồng"`` is a rate, ``"15/26"`` is not."""
    from tests.clirun import invoke

    path = tmp_path / "du-toan.yaml"
    path.write_text(
        'title: T\nunit: triệu đồng\nitems:\n  - {name: A, quantity: 2, rate: "15/26"}\n'
        '  - {name: B, quantity: 26, rate: "15/26 triệu đồng"}\n',
        encoding="utf-8",
    )
    run = invoke(["budget", "check", path, "--format", "json"])
    assert run.exit_code == 1
    [error] = json.loads(run.stdout)["errors"]
    assert error["line"] == 4 and 'ví dụ `"15/26 triệu đồng"`' in error["message"]
