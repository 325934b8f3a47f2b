"""Document data (SPEC §7): the YAML a user writes for ``isoprov render``, validated like every
other file — unknown keys, wrong shapes and bad values are errors at their file:line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from isoprov.core.diagnostics import InputError, Severity
from isoprov.core.loading import parse_yaml
from isoprov.core.validation import validate_document
from isoprov.documents.checks import validate_document_file
from isoprov.documents.model import Block, Document, IssueDate, load_document
from isoprov.schemas import json_schema
from tests import DATA, ROOT

EXAMPLES = ROOT / "examples"
DATA = DATA / "render"
#: the example documents (the example folders also hold budgets, assessments, registries)
DOCUMENTS = sorted(p for p in EXAMPLES.glob("*/*.yaml") if "\nheader:" in "\n" + p.read_text(encoding="utf-8"))

MINIMAL = """\
header:
  issuing_body: Ban chỉ đạo ISO
  symbol: KH-BCĐ
  place: Bắc Giang
  date: 2015-09-08
  title: Kế hoạch thử
recipients: ["Lưu: VT"]
signature:
  position: Trưởng ban
"""


def load(text: str) -> Document:
    return validate_document(Document, parse_yaml(text, "vb.yaml"))


def errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load(text)
    return [d.text() for d in info.value.diagnostics]


def test_minimal_document_is_valid() -> None:
    doc = load(MINIMAL)
    assert doc.header.number is None  # a draft: the office fills the number in
    assert doc.header.date.complete == dt.date(2015, 9, 8)
    assert doc.body == ()


@pytest.mark.parametrize("example", DOCUMENTS, ids=lambda p: p.parent.name + "/" + p.name)
def test_every_example_document_validates(example: Path) -> None:
    assert len(DOCUMENTS) >= 6  # every seed, and the score report
    doc = parse_yaml(example.read_text(encoding="utf-8"), str(example))
    load_document(example)
    errors = [d for d in validate_document_file(example, doc) if d.severity is Severity.ERROR]
    assert errors == []


def test_a_bare_string_is_a_paragraph() -> None:
    assert Block.model_validate("Đoạn văn") == Block(text="Đoạn văn")


def test_unknown_key_is_an_error_at_its_line() -> None:
    text = MINIMAL + "body:\n  - heading: I. Mục đích\n    blokcs: []\n"
    (message,) = errors(text)
    assert message.startswith("vb.yaml:12:5:")
    assert "`blokcs`" in message and "`blocks`" in message


def test_a_block_has_exactly_one_kind() -> None:
    (message,) = errors(MINIMAL + "body:\n  - {text: a, bullets: [b]}\n")
    assert message.startswith("vb.yaml:11:5:")
    assert "đúng một trong `text`, `heading`, `bullets`, `table`" in message


def test_blocks_belong_to_a_heading() -> None:
    (message,) = errors(MINIMAL + "body:\n  - {text: a, blocks: [b]}\n")
    assert "`blocks` chỉ dùng trong một mục có `heading`" in message


def test_table_rows_must_have_one_cell_per_column() -> None:
    text = MINIMAL + "body:\n  - table:\n      columns: [TT, Nội dung]\n      rows:\n        - [1, a, b]\n"
    (message,) = errors(text)
    assert "dòng 1 của bảng có 3 ô, bảng có 2 cột" in message


def test_every_bad_table_row_is_reported_at_its_own_line() -> None:
    text = MINIMAL + (
        "body:\n"
        "  - table:\n"  # line 11
        "      columns: [TT, Nội dung, Ghi chú]\n"
        "      widths: [1, 0, 2, 4]\n"  # line 13
        "      rows:\n"
        '        - ["1", a, b]\n'
        '        - ["2"]\n'  # line 16
        '        - ["3", a, b, c]\n'  # line 17
    )
    found = errors(text)
    assert found == [
        # in the order of the file
        "vb.yaml:13:15: lỗi body[0].table.widths: `widths` có 4 giá trị, bảng có 3 cột",
        "vb.yaml:13:19: lỗi body[0].table.widths[1]: `widths` phải là các số nguyên dương",
        "vb.yaml:16:11: lỗi body[0].table.rows[1]: dòng 2 của bảng có 1 ô, bảng có 3 cột (`columns`)",
        "vb.yaml:17:11: lỗi body[0].table.rows[2]: dòng 3 của bảng có 4 ô, bảng có 3 cột (`columns`)",
    ]


def test_table_numbers_become_text_and_empty_cells_are_allowed() -> None:
    doc = load(MINIMAL + "body:\n  - table:\n      columns: [TT, Nội dung]\n      rows:\n        - [1, ~]\n")
    table = doc.body[0].table
    assert table is not None and table.rows == (("1", ""),)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-09-08", IssueDate(year=2015, month=9, day=8)),
        ('"2020-02"', IssueDate(year=2020, month=2)),
        ('"2021"', IssueDate(year=2021)),
        ("2021", IssueDate(year=2021)),
        ("2020-2", IssueDate(year=2020, month=2)),
        ("02/2020", IssueDate(year=2020, month=2)),
        ('"2.2020"', IssueDate(year=2020, month=2)),
    ],
)
def test_a_draft_may_leave_the_day_or_month_blank(value: str, expected: IssueDate) -> None:
    assert load(MINIMAL.replace("2015-09-08", value)).header.date == expected


@pytest.mark.parametrize(
    "value",
    [
        '"2015-09-08"',
        "'2015-09-08'",
        "2015-9-8",
        '"2015-9-8"',
        "2015-09-8",
        "{year: 2015, month: 9, day: 8}",
        # the way an office writes it, day first
        "08/9/2015",
        "8/9/2015",
        '"08/09/2015"',
        "08-09-2015",
        "08.09.2015",
    ],
)
def test_a_full_date_is_read_quoted_or_not_with_one_or_two_digits(value: str) -> None:
    assert load(MINIMAL.replace("2015-09-08", value)).header.date.complete == dt.date(2015, 9, 8)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("09/08-2015", "`09/08-2015` không hợp lệ"),
        ("31/02/2015", "ngày 31/2/2015 không có trong lịch"),
        ("08/13/2015", "tháng 13 không có"),
        ("2015/09/08", "ngày/tháng/năm (08/9/2015)"),
        ('"2015-13"', "tháng 13 không có"),
        ('"2015-13-01"', "tháng 13 không có"),
        ("2015-02-30", "ngày 30/2/2015 không có trong lịch"),
        ('"2015-2-30"', "ngày 30/2/2015 không có trong lịch"),
        ('"1800-01-01"', "năm 1800 không hợp lệ"),
        ("null", "chưa ghi ngày ban hành"),
        ("", "chưa ghi ngày ban hành"),
        ('""', "chưa ghi ngày ban hành"),
        ("true", "`true` không hợp lệ"),
    ],
)
def test_a_bad_date_is_an_error(value: str, problem: str) -> None:
    (message,) = errors(MINIMAL.replace("2015-09-08", value))
    assert message.startswith("vb.yaml:5:") and "header.date" in message and problem in message
    assert "None" not in message and "True" not in message


#: The same text in the JSON Schema and the tool: accepted by both or refused by both.
_DATE_SHAPES = [
    ("2015-09-08", True),
    ("2015-9-8", True),
    ("2020-02", True),
    ("2020-2", True),
    ("2021", True),
    ("08/9/2015", True),
    ("8-9-2015", True),
    ("08.09.2015", True),
    ("02/2020", True),
    ("09/08-2015", False),
    ("2015/09/08", False),
    ("8/9/15", False),
    ("15-09-08", False),
    ("2015-09-08-1", False),
    ("2015-009-08", False),
]


@pytest.mark.parametrize(("text", "valid"), _DATE_SHAPES)
def test_the_schema_and_the_tool_agree_on_date_shapes(text: str, valid: bool) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    header = {"issuing_body": "BAN", "symbol": "KH-BCĐ", "place": "Bắc Giang", "date": text, "title": "T"}
    document = {"header": header, "recipients": ["Lưu: VT"], "signature": {"position": "TRƯỞNG BAN"}}
    schema_ok = jsonschema.Draft7Validator(json_schema("document")).is_valid(document)
    try:
        Document.model_validate(document)
        tool_ok = True
    except ValueError:
        tool_ok = False
    assert (schema_ok, tool_ok) == (valid, valid)


def test_symbol_carries_no_number() -> None:
    (message,) = errors(MINIMAL.replace("symbol: KH-BCĐ", "symbol: 52/KH-BCĐ"))
    assert "header.symbol" in message and "`number`" in message


def test_number_is_a_positive_whole_number() -> None:
    (message,) = errors(MINIMAL.replace("  symbol:", "  number: 5.5\n  symbol:"))
    assert "header.number" in message


@pytest.mark.parametrize("authority", ["KT TRƯỞNG BAN", "Thay mặt BAN", "KT.TRƯỞNG BAN"])
def test_authority_lines_start_with_a_decree_prefix(authority: str) -> None:
    (message,) = errors(MINIMAL + f"  authority: {authority}\n")
    assert "TM., KT., TL., TUQ., Q." in message


def test_authority_shorthand_and_several_lines() -> None:
    doc = load(MINIMAL + "  authority: [TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]\n")
    assert doc.signature.authority == ("TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG")
    assert load(MINIMAL + "  authority: KT. TRƯỞNG BAN\n").signature.authority == ("KT. TRƯỞNG BAN",)


def test_recipients_are_required() -> None:
    (message,) = errors(MINIMAL.replace('recipients: ["Lưu: VT"]\n', ""))
    assert "`recipients`" in message


def test_budget_shorthand_is_a_path() -> None:
    doc = load(MINIMAL + "budget: du-toan.yaml\n")
    assert doc.budget is not None and doc.budget.file == "du-toan.yaml" and doc.budget.label == "Phụ lục"


def test_validate_reports_a_missing_budget_file(tmp_path: Path) -> None:
    path = tmp_path / "vb.yaml"
    path.write_text(MINIMAL + "budget: khong-co.yaml\n", encoding="utf-8")
    doc = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    (problem,) = [d for d in validate_document_file(path, doc) if d.severity is Severity.ERROR]
    assert problem.line == 10 and "khong-co.yaml" in problem.message


@pytest.mark.parametrize("example", DOCUMENTS, ids=lambda p: p.parent.name + "/" + p.name)
def test_every_example_document_passes_the_published_schema(example: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    # editors read YAML 1.2: a date is a string there
    data["header"]["date"] = str(data["header"]["date"])
    assert {"header", "body", "signature", "budget", "report"} <= set(json_schema("document")["properties"])
    jsonschema.validate(data, json_schema("document"))


def test_schema_accepts_the_shorthands() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    document = {
        "header": {"issuing_body": "BAN", "symbol": "KH-BCĐ", "place": "Bắc Giang", "date": "2020-02", "title": "T"},
        "body": ["Đoạn văn", {"table": {"columns": ["TT"], "rows": [[1], [""]]}}],
        "articles": ["Điều một"],
        "recipients": "Lưu: VT",
        "signature": {"authority": "KT. TRƯỞNG BAN", "position": "PHÓ TRƯỞNG BAN"},
        "budget": "du-toan.yaml",
    }
    jsonschema.validate(document, json_schema("document"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**document, "signatrue": {}}, json_schema("document"))


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("true", "không phải `true`"),  # a YAML boolean is not number 1
        ('"1.000"', "`1.000`"),  # a Vietnamese thousand is not number 1
        ("1.000", "`1.000`"),
        ("5.5", "`5.5`"),
    ],
)
def test_a_document_number_is_a_plain_whole_number(value: str, problem: str) -> None:
    text = MINIMAL.replace("  symbol:", f"  number: {value}\n  symbol:")
    (message,) = errors(text)
    assert message.startswith("vb.yaml:3:11:") and "header.number" in message
    assert problem in message and "số nguyên dương" in message


@pytest.mark.parametrize("value", ["52", '"52"', '"05"'])
def test_a_document_number_may_be_quoted(value: str) -> None:
    text = MINIMAL.replace("  symbol:", f"  number: {value}\n  symbol:")
    assert load(text).header.number == int(value.strip('"'))


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ('body:\n  - heading: ""\n', "body[0].heading"),
        ('body:\n  - heading: "  "\n    blocks: [a]\n', "body[0].heading"),
        ('body:\n  - text: ""\n', "body[0].text"),
        ('body:\n  - bullets: [a, ""]\n', "body[0].bullets[1]"),
        ('legal_bases: ["Căn cứ A;", ""]\n', "legal_bases[1]"),
        ('electronic_recipients: [""]\n', "electronic_recipients[0]"),
        ('articles: [{title: ""}]\n', "articles[0].title"),
    ],
)
def test_an_empty_line_is_an_error_never_a_bare_dash_in_the_document(extra: str, where: str) -> None:
    (message,) = errors(MINIMAL + extra)
    assert f"lỗi {where}: không được để trống" in message and message.startswith("vb.yaml:1")


def test_an_empty_recipient_is_an_error_at_its_line() -> None:
    (message,) = errors(MINIMAL.replace('recipients: ["Lưu: VT"]', 'recipients: ["", "Lưu: VT"]'))
    assert message.startswith("vb.yaml:7:14:") and "recipients[0]: không được để trống" in message


def test_a_bare_number_is_a_paragraph_as_the_schema_says() -> None:
    doc = load(MINIMAL + "body:\n  - 2020\nlegal_bases: 5\n")
    assert doc.body == (Block(text="2020"),)
    assert doc.legal_bases == ("5",)
    properties = json_schema("document")["properties"]
    assert any(branch.get("type") == ["string", "number"] for branch in properties["legal_bases"]["anyOf"])


def test_table_widths_are_numbers_not_booleans() -> None:
    text = MINIMAL + "body:\n  - table: {columns: [A, B], rows: [[a, b]], widths: [true, 2]}\n"
    (message,) = errors(text)
    assert "body[0].table.widths" in message and "không phải `true`/`false`" in message
