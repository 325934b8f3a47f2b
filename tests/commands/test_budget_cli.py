"""CLI tests: ``isoprov budget check`` (table, JSON, --xlsx, --norms) and ``isoprov budget words``."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests import DATA, ROOT
from tests.clirun import invoke
from tests.conftest import libreoffice_convert, needs_libreoffice

SEED = ROOT / "examples" / "bac-giang-2020" / "du-toan.yaml"
BINH_PHUOC = ROOT / "examples" / "binh-phuoc-2021" / "du-toan-kiem-tra.yaml"
DATA = DATA / "budget"
NORMS_DATA = DATA.parent / "norms"
SEED_WORDS = "Một trăm hai mươi sáu triệu đồng chẵn"


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    # ./norms is on the search path: run where a user of the checkout would
    monkeypatch.chdir(ROOT)


def run(*args: str | Path) -> Any:
    return invoke([str(a) for a in args])


def run_json(*args: str | Path) -> tuple[int, dict[str, Any]]:
    result = run("budget", "check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


# ---------------------------------------------------------------------------
# The reference case
# ---------------------------------------------------------------------------


def test_seed_table_total_126_and_words() -> None:
    result = run("budget", "check", SEED)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Đơn vị tính: triệu đồng" in out
    assert re.search(r"│\s+│ Tổng\s+│.*│\s+126 │\s+126 │", out)
    assert f"Bằng chữ: {SEED_WORDS}" in out
    for text in (
        "Họp Ban chỉ đạo ISO tỉnh",
        "Thuê hội trường: 10 huyện × 500.000đồng/ngày",
        "Nước uống đại biểu: 122 người × 20.000đồng/ngày/đại biểu × 10 huyện",
        "Tài liệu: 122 cuốn × 30.000đ/cuốn × 10 huyện",
        "24,4",
        "36,6",
        "8,1",
    ):
        assert text in out
    assert "✗" not in out
    assert "lỗi" not in out


def test_seed_json_follows_the_spec_key_for_key() -> None:
    code, doc = run_json(SEED)
    assert code == 0
    assert list(doc) == ["budgets", "errors"]
    (budget,) = doc["budgets"]
    assert list(budget) == ["file", "title", "unit", "total", "total_vnd", "total_in_words", "findings"]
    assert budget["title"] == "Dự toán kinh phí hoạt động của Ban chỉ đạo ISO tỉnh năm 2020"
    assert budget["unit"] == "triệu đồng"
    assert budget["total"] == 126
    assert budget["total_vnd"] == 126_000_000
    assert budget["total_in_words"] == SEED_WORDS
    for finding in budget["findings"]:
        assert list(finding) == ["code", "severity", "line", "message"]
        assert finding["severity"] != "error"
    assert doc["errors"] == []


def test_json_is_exactly_one_document_on_stdout() -> None:
    result = run("budget", "check", "--format", "json", SEED, DATA / "amount-mismatch.yaml", DATA / "unknown-key.yaml")
    json.loads(result.stdout)  # raises on anything but one document
    assert "unknown-key.yaml" in result.stderr  # human-readable errors go to stderr


def test_json_total_keeps_decimals_exact() -> None:
    code, doc = run_json(DATA / "fractional-dong.yaml")
    assert code == 1
    budget = doc["budgets"][0]
    assert budget["total"] == pytest.approx(2.0000005)
    assert re.search(
        r'"total_vnd": 2000000\.5\b', run("budget", "check", "--format", "json", DATA / "fractional-dong.yaml").stdout
    )
    assert budget["total_in_words"] is None


def test_binh_phuoc_example_passes_with_a_remainder_note() -> None:
    code, doc = run_json(BINH_PHUOC)
    assert code == 0
    budget = doc["budgets"][0]
    assert budget["unit"] == "đồng"
    assert budget["total"] == 18_770_000
    assert budget["total_in_words"] == "Mười tám triệu bảy trăm bảy mươi nghìn đồng chẵn"
    assert [(f["code"], f["severity"], f["line"]) for f in budget["findings"]] == [("BUD006", "note", 10)]


# ---------------------------------------------------------------------------
# One file per kind of fault: exit code, finding code and line
# ---------------------------------------------------------------------------

FAULTS = [
    ("amount-mismatch.yaml", "BUD001", "error", 4, 1),
    ("breakdown-mismatch.yaml", "BUD002", "error", 6, 1),
    ("total-mismatch.yaml", "BUD003", "error", 3, 1),
    ("words-mismatch.yaml", "BUD004", "error", 4, 1),
    ("over-allocation.yaml", "BUD005", "error", 3, 1),
    ("under-allocation.yaml", "BUD006", "note", 3, 0),
    ("norm-exceeded.yaml", "BUD007", "error", 8, 1),
    ("no-amount.yaml", "BUD008", "error", 6, 1),
    ("zero-quantity.yaml", "BUD009", "error", 4, 1),
    ("negative-rate.yaml", "BUD009", "error", 8, 1),
    ("fractional-dong.yaml", "BUD010", "error", 3, 1),
    ("unknown-norm.yaml", "BUD011", "warning", 4, 0),
    ("example-norm-exceeded.yaml", "BUD012", "warning", 6, 0),
    ("norm-without-rate.yaml", "BUD014", "warning", 4, 0),
    ("quantity-without-rate.yaml", "BUD015", "warning", 4, 0),
]


@pytest.mark.parametrize(("name", "code", "severity", "line", "exit_code"), FAULTS)
def test_fault_file_json(name: str, code: str, severity: str, line: int, exit_code: int) -> None:
    status, doc = run_json(DATA / name)
    assert status == exit_code
    assert doc["errors"] == []
    findings = doc["budgets"][0]["findings"]
    assert [(f["code"], f["severity"], f["line"]) for f in findings] == [(code, severity, line)]


@pytest.mark.parametrize(("name", "code", "severity", "line", "exit_code"), FAULTS)
def test_fault_file_table(name: str, code: str, severity: str, line: int, exit_code: int) -> None:
    result = run("budget", "check", DATA / name)
    assert result.exit_code == exit_code
    label = {"error": "lỗi", "warning": "cảnh báo", "note": "ghi chú"}[severity]
    assert re.search(rf"{re.escape(name)}:{line}:\d+: {label} \({code}\)", result.stdout), result.stdout


def test_table_shows_the_multipliers_of_a_top_level_item() -> None:
    # Bình Phước item 2: 8 người × 5 ngày × 200.000 = 8.000.000; the row must multiply out as shown
    out = run("budget", "check", BINH_PHUOC).stdout
    assert re.search(r"│ 2\. │ Phụ cấp lưu trú.*│ người\s+│\s+8 × 5 ngày │\s+200\.000 │\s+8\.000\.000 │", out), out


def test_table_shows_every_rate_in_the_budgets_unit() -> None:
    text = (
        "title: Hội nghị\nunit: triệu đồng\nitems:\n  - name: Ăn trưa\n    unit: người\n    quantity: 20\n"
        "    rate: 500.000 đồng/người\n    times: [2 ngày]\n    amount: 20\n"
    )
    result = run_text(text)
    assert result.exit_code == 0, result.output
    # the rate column in triệu đồng, the original text kept beside the name
    assert re.search(
        r"│ 1\. │ Ăn trưa \(định mức ghi: 500\.000 đồng/người\)\s+│ người\s+│\s+20 × 2 ngày │\s+0,5 │", result.stdout
    )
    assert "│ 500.000 đồng/người │" not in result.stdout


def run_text(text: str) -> Any:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "du-toan.yaml"
        path.write_text(text, encoding="utf-8")
        return invoke(["budget", "check", str(path)], env={"COLUMNS": "200"})


def test_mismatch_is_marked_in_the_table() -> None:
    out = run("budget", "check", DATA / "amount-mismatch.yaml").stdout
    assert re.search(r"│\s+7 │\s+✗ 6 │", out), out


INPUT_ERRORS = [
    ("ambiguous-money.yaml", 7, 11, ["items[0].rate", "1,5 triệu đồng", "15 triệu đồng"]),
    ("english-money.yaml", 7, 11, ["tiếng Anh", "1.000.000 đồng"]),
    ("money-without-unit.yaml", 5, 13, ["thiếu đơn vị tiền"]),
    ("unknown-key.yaml", 7, 5, ["`amout`", "`amount`"]),
]


@pytest.mark.parametrize(("name", "line", "column", "fragments"), INPUT_ERRORS)
def test_input_error_file(name: str, line: int, column: int, fragments: list[str]) -> None:
    status, doc = run_json(DATA / name)
    assert status == 1
    assert doc["budgets"] == []
    (error,) = doc["errors"]
    assert error["file"].endswith(name)
    assert (error["line"], error["column"]) == (line, column)
    for fragment in fragments:
        assert fragment in error["message"]


def test_a_yaml_number_that_reads_two_ways_is_a_warning_at_its_item() -> None:
    status, doc = run_json(DATA / "ambiguous-number.yaml")
    assert status == 0 and doc["errors"] == []
    (budget,) = doc["budgets"]
    assert budget["total_vnd"] == 500
    (finding,) = budget["findings"]
    assert (finding["code"], finding["severity"], finding["line"]) == ("BUD016", "warning", 4)
    assert "`500000`" in finding["message"] and "đang được tính là 500" in finding["message"]


def test_one_bad_file_never_stops_the_others() -> None:
    status, doc = run_json(DATA / "unknown-key.yaml", SEED, DATA / "ambiguous-money.yaml", BINH_PHUOC)
    assert status == 1
    assert [b["total_vnd"] for b in doc["budgets"]] == [126_000_000, 18_770_000]
    assert len(doc["errors"]) == 2


def test_all_valid_files_exit_0() -> None:
    assert run("budget", "check", SEED, BINH_PHUOC).exit_code == 0


def test_missing_file_is_a_usage_error() -> None:
    result = run("budget", "check", "khong-co.yaml")
    assert result.exit_code == 2
    assert "khong-co.yaml" in result.stderr


# ---------------------------------------------------------------------------
# --norms
# ---------------------------------------------------------------------------


def test_provincial_norms_override_the_example_cap() -> None:
    status, doc = run_json(SEED, "--norms", NORMS_DATA / "dinh-muc-tinh.yaml")
    assert status == 1
    findings = doc["budgets"][0]["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("BUD007", 46)]
    assert "15.000 đồng/người/ngày" in findings[0]["message"]
    assert "Nghị quyết" in findings[0]["message"]


def test_invalid_norms_file_is_an_error_but_budgets_are_still_checked() -> None:
    status, doc = run_json(SEED, "--norms", NORMS_DATA / "thieu-don-vi.yaml")
    assert status == 1
    assert doc["budgets"][0]["total"] == 126
    (error,) = doc["errors"]
    assert error["file"].endswith("thieu-don-vi.yaml")
    assert error["line"] == 5


def test_norms_folder() -> None:
    status, doc = run_json(SEED, "--norms", NORMS_DATA)
    assert status == 1  # trung-ma.yaml and thieu-don-vi.yaml are bad
    assert {Path(e["file"]).name for e in doc["errors"]} == {"trung-ma.yaml", "thieu-don-vi.yaml"}


def test_figures_too_large_are_located_errors_not_a_traceback() -> None:
    status, doc = run_json(DATA / "too-many-digits.yaml")
    assert status == 1
    assert doc["budgets"] == []
    assert [(e["line"], e["column"]) for e in doc["errors"]] == [(6, 15), (7, 11), (10, 13)]
    assert all("quá lớn" in e["message"] for e in doc["errors"])


# ---------------------------------------------------------------------------
# budget words
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("126000000", SEED_WORDS),
        ("126.000.000", SEED_WORDS),
        ("126 triệu đồng", SEED_WORDS),
        ("1005", "Một nghìn không trăm linh năm đồng"),
        ("21", "Hai mươi mốt đồng"),
        ("15", "Mười lăm đồng"),
        ("1.000.001", "Một triệu không trăm linh một đồng"),
        ("0", "Không đồng"),
        ("2,125 triệu", "Hai triệu một trăm hai mươi lăm nghìn đồng chẵn"),
        # a dot after more than three digits is a decimal point: a whole number of đồng is accepted
        ("126000000.0", SEED_WORDS),
        ("1005.00", "Một nghìn không trăm linh năm đồng"),
        ("1015", "Một nghìn không trăm mười lăm đồng"),
        ("10000000", "Mười triệu đồng chẵn"),
        ("1000000000000", "Một nghìn tỷ đồng chẵn"),
        ("1000000000000000", "Một triệu tỷ đồng chẵn"),
        ("24", "Hai mươi tư đồng"),
        ("105", "Một trăm linh năm đồng"),
        ("110", "Một trăm mười đồng"),
        ("1000100", "Một triệu một trăm đồng"),
        ("0.000", "Không đồng"),  # a grouped zero is zero, not "0 or 0"
    ],
)
def test_words(amount: str, words: str) -> None:
    result = run("budget", "words", amount)
    assert result.exit_code == 0
    assert result.stdout == words + "\n"


@pytest.mark.parametrize(
    ("amount", "fragment"),
    [
        ("abc", "không có số tiền"),
        ("1.5", "1,5 đồng hoặc 15 đồng"),
        ("1,5", "số nguyên đồng, không phải 1,5."),
        ("1.000,5", "số nguyên đồng, không phải 1.000,5."),
        ("126000000.5", "số nguyên đồng, không phải 126.000.000,5."),
        ("12a", "không hợp lệ"),
        ("", "không có số tiền"),
    ],
)
def test_words_rejects_what_is_not_an_amount(amount: str, fragment: str) -> None:
    result = run("budget", "words", amount)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert fragment in " ".join(result.stderr.split())
    assert not re.search(r"không phải \d+\.\d{1,2}\b", result.stderr)  # never an English decimal point
    assert "1.260.000.000" not in result.stderr


# ---------------------------------------------------------------------------
# --xlsx: live formulas that recompute to the same totals
# ---------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<fn>[A-Z]+)\(|(?P<ref>[A-Z]+\d+)|(?P<op>[-+*/(),]))")


class FormulaEvaluator:
    """Evaluates the formulas the export writes (+ - * /, cell references, SUM) exactly."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def cell(self, ref: str) -> Decimal:
        value = self.ws[ref].value
        if value is None:
            return Decimal(0)
        if isinstance(value, str) and value.startswith("="):
            return FormulaEvaluator(self.ws).formula(value)  # a fresh parser per formula
        assert isinstance(value, int | float), (ref, value)
        return Decimal(str(value))  # openpyxl reads numbers back as float: take its shortest repr

    def formula(self, text: str) -> Decimal:
        body = text[1:]
        matches = list(_TOKEN.finditer(body))
        assert sum(len(m.group(0)) for m in matches) == len(body), f"unsupported formula {text}"
        self.tokens = [(m.lastgroup, m.group(m.lastgroup or "")) for m in matches]
        self.pos = 0
        value = self.expr()
        assert self.pos == len(self.tokens), text
        return value

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str | None, str]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expr(self) -> Decimal:
        value = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            value = value + self.term() if op == "+" else value - self.term()
        return value

    def term(self) -> Decimal:
        value = self.factor()
        while self.peek() in ("*", "/"):
            op = self.take()[1]
            value = value * self.factor() if op == "*" else value / self.factor()
        return value

    def factor(self) -> Decimal:
        kind, text = self.take()
        if kind == "num":
            return Decimal(text)
        if kind == "ref":
            return self.cell(text)
        if kind == "fn":
            assert text == "SUM", text
            total = self.expr()
            while self.peek() == ",":
                self.take()
                total += self.expr()
            assert self.take()[1] == ")"
            return total
        if text == "(":
            value = self.expr()
            assert self.take()[1] == ")"
            return value
        if text == "-":
            return -self.factor()
        raise AssertionError(f"unexpected token {text!r}")


def export(tmp_path: Path, *files: Path) -> tuple[Path, Any]:
    target = tmp_path / "out" / "du-toan.xlsx"
    result = run("budget", "check", *files, "--xlsx", target)
    assert target.exists(), result.output
    return target, result


def rows_by_label(ws: Any) -> dict[str, int]:
    return {
        str(ws.cell(row=r, column=2).value): r
        for r in range(1, ws.max_row + 1)
        if ws.cell(row=r, column=2).value is not None
    }


def test_xlsx_formulas_recompute_to_the_seed_totals(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target, result = export(tmp_path, SEED)
    assert result.exit_code == 0
    ws = load_workbook(target).active
    evaluate = FormulaEvaluator(ws)
    assert [c.value for c in ws[4]] == [
        "TT",
        "Nội dung",
        "Đơn vị",
        "Số lượng",
        "Định mức",
        "Hệ số nhân",
        "Thành tiền (kê khai)",
        "Thành tiền (tính lại)",
        "Diễn giải, ghi chú",
    ]
    expected = ["6", "35", "2", "2", "81", "5", "5", "24.4", "36.6", "10"]
    for offset, value in enumerate(expected):
        cell = ws.cell(row=5 + offset, column=8)
        assert isinstance(cell.value, str) and cell.value.startswith("="), cell.value
        assert evaluate.cell(cell.coordinate) == Decimal(value)
    assert ws["H5"].value == "=D5*E5"
    assert ws["H12"].value == "=D12*E12*F12"
    assert ws["H7"].value == "=G7"
    labels = rows_by_label(ws)
    total_row = labels["Tổng cộng"]
    assert ws.cell(row=total_row, column=8).value == "=SUM(H5,H6,H7,H8,H9)"
    assert evaluate.cell(f"H{total_row}") == Decimal(126)
    assert evaluate.cell(f"G{total_row}") == Decimal(126)
    assert evaluate.cell(f"H{labels['Còn lại (kinh phí được giao − tổng cộng)']}") == Decimal(0)
    assert ws.cell(row=total_row + 3, column=1).value == f"(Bằng chữ: {SEED_WORDS})"


XLSX_BUDGETS = [
    SEED,
    BINH_PHUOC,
    DATA / "lump-sum-mismatch.yaml",  # a lump sum counts its amount, not its breakdown's sum
    DATA / "nested-lump-sums.yaml",
    DATA / "quantity-without-rate.yaml",
    DATA / "amount-mismatch.yaml",
    DATA / "breakdown-mismatch.yaml",
    DATA / "no-amount.yaml",
    DATA / "under-allocation.yaml",
]


@pytest.mark.parametrize("path", XLSX_BUDGETS, ids=[p.stem for p in XLSX_BUDGETS])
def test_xlsx_formulas_compute_exactly_the_commands_figures(path: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from isoprov.budget.norms import NormSet
    from isoprov.pipeline.budget import check_file

    checked = check_file(path, NormSet())
    report = checked.report
    assert report is not None and checked.problems == []
    target, _ = export(tmp_path, path)
    ws = load_workbook(target).active
    evaluate = FormulaEvaluator(ws)
    rows = list(report.rows())
    for k, r in enumerate(rows):
        cell = ws.cell(row=5 + k, column=8)
        assert isinstance(cell.value, str) and cell.value.startswith("="), cell.value
        assert evaluate.cell(cell.coordinate) == report.in_unit(r.value_vnd), (r.item.name, cell.value)
    total_row = rows_by_label(ws)["Tổng cộng"]
    assert total_row == 5 + len(rows)
    assert evaluate.cell(f"H{total_row}") == report.total
    _, doc = run_json(path)
    assert Decimal(str(doc["budgets"][0]["total"])) == report.total


def test_xlsx_lump_sum_formula_is_its_declared_amount(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target, _ = export(tmp_path, DATA / "lump-sum-mismatch.yaml")
    ws = load_workbook(target).active
    assert ws["B6"].value == "Hội nghị"
    assert ws["H6"].value == "=G6"  # declared 10, its breakdown adds up to 8 (BUD002)
    assert ws["H9"].value == "=D9*E9*F9"
    assert FormulaEvaluator(ws).cell("H10") == Decimal(52)  # 6 + 10 + 36, as the command counts
    # the breakdown mismatch stays visible live: a conditional format on the declared amount
    rules = {str(rng.sqref): [r.formula for r in rng.rules] for rng in ws.conditional_formatting}
    assert rules["G6"] == [["ROUND(G6-SUM(H7,H8),9)<>0"]]


def test_xlsx_shows_the_declared_total_beside_the_computed_one(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target, _ = export(tmp_path, DATA / "total-mismatch.yaml")
    ws = load_workbook(target).active
    total_row = rows_by_label(ws)["Tổng cộng"]
    evaluate = FormulaEvaluator(ws)
    assert evaluate.cell(f"G{total_row}") == Decimal(125)  # `total: 125` as the file declares it
    assert evaluate.cell(f"H{total_row}") == Decimal(126)
    rules = {str(rng.sqref): [r.formula for r in rng.rules] for rng in ws.conditional_formatting}
    assert rules[f"H5:H{total_row}"] == [["AND(ISNUMBER(G5),ROUND(G5-H5,9)<>0)"]]  # marks the total red


def test_xlsx_changing_an_input_moves_the_totals(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target, _ = export(tmp_path, SEED)
    ws = load_workbook(target).active
    ws["D5"] = 3  # three committee meetings instead of two: 6 → 9
    ws["D12"] = 100  # 100 people drink instead of 122: 24,4 → 20
    total_row = rows_by_label(ws)["Tổng cộng"]
    evaluate = FormulaEvaluator(ws)
    assert evaluate.cell("H5") == Decimal(9)
    assert evaluate.cell("H12") == Decimal(20)
    assert evaluate.cell(f"H{total_row}") == Decimal(129)


def test_xlsx_number_formats_frozen_header_and_kinds(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target, _ = export(tmp_path, SEED, BINH_PHUOC)
    wb = load_workbook(target)
    assert wb.sheetnames == ["du-toan", "du-toan-kiem-tra"]
    ws = wb["du-toan"]
    assert ws.freeze_panes == "A5"
    assert ws["G5"].number_format == "#,##0"
    assert ws["G12"].number_format == "#,##0.0"
    assert ws["E12"].number_format == "#,##0.00"
    assert ws["H12"].number_format == "#,##0.0"
    assert ws["A2"].value == "Đơn vị tính: triệu đồng"
    assert ws["B12"].font.i
    assert ws.conditional_formatting  # live mismatch marks
    bp = wb["du-toan-kiem-tra"]
    evaluate = FormulaEvaluator(bp)
    assert evaluate.cell(f"H{rows_by_label(bp)['Tổng cộng']}") == Decimal(18_770_000)


def test_xlsx_keeps_a_mismatch_visible(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target, result = export(tmp_path, DATA / "amount-mismatch.yaml")
    assert result.exit_code == 1
    ws = load_workbook(target).active
    assert ws["G5"].value == 7
    assert FormulaEvaluator(ws).cell("H5") == Decimal(6)
    assert "✗" in ws["I5"].value
    assert any(ws.cell(row=r, column=1).value == "BUD001" for r in range(1, ws.max_row + 1))


def test_xlsx_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    names = ['=HYPERLINK("http://x","bấm")', "+84 912 345 678", "-Chi khác", "@Ban chỉ đạo"]
    lines = ['title: "=1+1"', "unit: đồng", "items:"]
    for name in names:
        escaped = name.replace('"', '\\"')
        lines += [f'  - name: "{escaped}"', '    unit: "=A1"', "    amount: 1.000 đồng"]
    source = tmp_path / "cong-thuc.yaml"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target, result = export(tmp_path, source)
    assert result.exit_code == 0, result.output
    ws = load_workbook(target).active
    assert ws["A1"].value == "=1+1"
    assert ws["A1"].data_type == "s"
    for offset, name in enumerate(names):
        cell = ws.cell(row=5 + offset, column=2)
        assert cell.value == name
        assert cell.data_type == "s"
        assert cell.quotePrefix
        assert ws.cell(row=5 + offset, column=3).data_type == "s"


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@A1", "\tA", "\rA", "a\x01b"])
def test_put_text_never_writes_a_formula(text: str) -> None:
    from openpyxl import Workbook

    from isoprov.excel.budget_export import put_text

    ws = Workbook().active
    cell = put_text(ws, 1, 1, text)
    assert cell.data_type == "s"
    assert cell.value == text.replace("\x01", "")  # control characters cannot be stored in xlsx
    assert bool(cell.quotePrefix) is text.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_xlsx_is_not_written_without_a_valid_budget(tmp_path: Path) -> None:
    target = tmp_path / "x.xlsx"
    result = run("budget", "check", DATA / "unknown-key.yaml", "--xlsx", target)
    assert result.exit_code == 1
    assert not target.exists()


@needs_libreoffice
def test_xlsx_recalculated_by_libreoffice(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target, _ = export(tmp_path, SEED, DATA / "lump-sum-mismatch.yaml")
    out, stderr = libreoffice_convert(tmp_path, target)
    recalculated = out / target.name
    if not recalculated.exists():
        pytest.skip(f"LibreOffice Calc không chuyển được tệp (thiếu libreoffice-calc?): {stderr.strip()}")
    wb = load_workbook(recalculated, data_only=True)
    ws = wb["du-toan"]
    values = [ws.cell(row=r, column=8).value for r in range(5, 16)]
    assert [round(Decimal(str(v)), 9) for v in values] == [
        Decimal(v) for v in ("6", "35", "2", "2", "81", "5", "5", "24.4", "36.6", "10", "126")
    ]
    # a lump sum counts its declared amount: Calc's total is the command's 52, not 50
    lump = wb["lump-sum-mismatch"]
    assert [lump.cell(row=r, column=8).value for r in range(5, 11)] == [6, 10, 4, 4, 36, 52]


def test_a_folder_check_skips_files_of_other_kinds(tmp_path: Path) -> None:
    # `isoprov init` puts the plan, the registry and the assessments beside the budget
    shutil.copy(SEED, tmp_path / "du-toan.yaml")
    shutil.copy(ROOT / "examples" / "bac-giang-2020" / "ke-hoach.yaml", tmp_path / "ke-hoach.yaml")
    shutil.copy(ROOT / "examples" / "bac-giang-2020" / "co-quan.yaml", tmp_path / "co-quan.yaml")
    shutil.copytree(ROOT / "examples" / "bac-giang-2020" / "assessments", tmp_path / "assessments")
    status, doc = run_json(tmp_path)
    assert status == 0, doc["errors"]
    assert [b["file"] for b in doc["budgets"]] == [str(tmp_path / "du-toan.yaml")]


@pytest.mark.parametrize(
    ("source", "kind", "hint"),
    [
        (ROOT / "examples" / "bac-giang-2020" / "ke-hoach.yaml", "văn bản", "isoprov render"),
        (ROOT / "examples" / "bac-giang-2020" / "co-quan.yaml", "danh sách cơ quan", ""),
        (ROOT / "norms" / "tt-40-2017-btc-hoi-nghi.yaml", "định mức", ""),
    ],
)
def test_a_named_file_of_another_kind_is_one_clear_error(source: Path, kind: str, hint: str) -> None:
    status, doc = run_json(source)
    assert status == 1 and doc["budgets"] == []
    (error,) = doc["errors"]
    assert (error["line"], error["column"]) == (1, 1)
    assert f"tệp này là {kind}, không phải dự toán" in error["message"] and hint in error["message"]


def test_an_empty_folder_says_there_is_no_budget(tmp_path: Path) -> None:
    run_ = run("budget", "check", tmp_path)
    assert run_.exit_code == 0 and "Không có dự toán nào để kiểm tra." in run_.stdout
    status, doc = run_json(tmp_path)
    assert (status, doc) == (0, {"budgets": [], "errors": []})  # JSON stays one document
