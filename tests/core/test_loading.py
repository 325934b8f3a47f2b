"""The loading layer: UTF-8, safe YAML, duplicate keys, alias bombs, NFC, Decimal, marks."""

from __future__ import annotations

import re
import time
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from isoprov.core.diagnostics import InputError
from isoprov.core.loading import decode_text, load_yaml, parse_yaml


def errors_of(text: str) -> list[str]:
    with pytest.raises(InputError) as exc:
        parse_yaml(text, "t.yaml")
    return [d.text() for d in exc.value.diagnostics]


def test_numbers_are_decimals_built_from_their_text() -> None:
    doc = parse_yaml("a: 8.1\nb: 2\nc: 0.1\ne: 012\n", "t.yaml")
    assert doc.data == {"a": Decimal("8.1"), "b": Decimal(2), "c": Decimal("0.1"), "e": Decimal(12)}
    assert all(isinstance(v, Decimal) for v in doc.data.values())
    assert str(doc.data["c"]) == "0.1"  # never through a binary float


def test_leading_zero_plain_numbers_are_numbers() -> None:
    assert parse_yaml("q: 08\nr: '08'\n", "t.yaml").data == {"q": Decimal(8), "r": "08"}


def test_a_leading_zero_number_keeps_its_text_where_text_is_meant() -> None:
    from isoprov.scoring.assessment import Assessment
    from isoprov.scoring.criteria import Criterion

    data = parse_yaml("agency: {code: 007, name: A, level: xa}\ncriteria: 01\nperiod: 09\n", "t.yaml").data
    a = Assessment.model_validate(data)
    assert (a.agency.code, a.criteria, a.period) == ("007", "01", "09")
    c = Criterion.model_validate(parse_yaml("id: 01\ntitle: A\nmax: 08\n", "t.yaml").data)
    assert (c.id, c.max) == ("01", Decimal(8)) and type(c.max) is Decimal


def test_mapping_keys_stay_the_text_the_user_wrote() -> None:
    doc = parse_yaml("1.1: 2\n1.10: 3\n2: 1\n", "t.yaml")
    assert list(doc.data) == ["1.1", "1.10", "2"]


def test_text_is_normalised_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Sở Nội vụ")
    doc = parse_yaml(f"name: {decomposed}\n{decomposed}: 1\n", "t.yaml")
    assert doc.data["name"] == "Sở Nội vụ"
    assert "Sở Nội vụ" in doc.data


def test_marks_give_line_and_column_of_values_and_keys() -> None:
    doc = parse_yaml("agency:\n  code: X\nscores:\n  '1.1': {self: 2}\n", "t.yaml")
    assert doc.source.values[("scores", "1.1", "self")].line == 4
    assert doc.source.values[("scores", "1.1", "self")].column == 17
    assert doc.source.keys[("agency", "code")].line == 2


def test_duplicate_keys_are_errors_with_both_lines() -> None:
    doc = parse_yaml("a: 1\nb: 2\na: 3\n", "t.yaml")
    assert doc.data == {"a": Decimal(1), "b": Decimal(2)}  # the first is kept, to find other errors
    [problem] = doc.problems
    assert problem.text().startswith("t.yaml:3:1")
    assert "hai lần" in problem.message and "dòng 1" in problem.message


def test_a_repeated_key_is_reported_with_the_documents_other_errors() -> None:
    from isoprov.core.validation import validate_document
    from isoprov.scoring.assessment import Assessment

    text = "agency: {code: A, name: A, level: tinh}\ncriteria: c\nperiod: '1'\nperiod: '2'\nscores: {'1': {sefl: 1}}\n"
    with pytest.raises(InputError) as info:
        validate_document(Assessment, parse_yaml(text, "t.yaml"))
    assert [(d.line, "hai lần" in d.message) for d in info.value.diagnostics] == [(4, True), (5, False)]
    with pytest.raises(InputError) as info:  # alone, it is still an error
        validate_document(Assessment, parse_yaml(text.replace("{sefl: 1}", "1"), "t.yaml"))
    assert [d.line for d in info.value.diagnostics] == [4]


def test_object_tags_are_refused() -> None:
    [message] = errors_of("a: !!python/object/apply:os.system ['echo x']\n")
    assert "không được phép" in message and "t.yaml:1:4" in message


def test_custom_tags_are_refused() -> None:
    [message] = errors_of("a: !env HOME\n")
    assert "thẻ YAML" in message


def test_alias_bomb_fails_fast() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    [message] = errors_of("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1.0
    assert "quá lớn" in message


def test_a_few_aliases_are_fine() -> None:
    doc = parse_yaml("base: &b {x: 1}\nother: *b\n", "t.yaml")
    assert doc.data["other"] == {"x": Decimal(1)}


def test_merge_keys_are_refused_clearly() -> None:
    [message] = errors_of("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert "<<" in message


def test_empty_and_comment_only_files() -> None:
    assert "rỗng" in errors_of("")[0]
    assert "rỗng" in errors_of("# chỉ có chú thích\n")[0]


def test_syntax_error_is_located_and_vietnamese() -> None:
    [message] = errors_of("a: 1\n b: 2\n")
    assert message.startswith("t.yaml:2:")
    assert "cú pháp YAML" in message


def test_two_documents_are_refused() -> None:
    assert "một tài liệu" in errors_of("a: 1\n---\nb: 2\n")[0]


def test_bom_is_accepted() -> None:
    assert decode_text("\ufeffa: 1".encode(), "t.yaml") == "a: 1"


def test_windows_1258_is_a_clear_error() -> None:
    with pytest.raises(InputError) as exc:
        decode_text(b"name: S\xf5\xd2 N\xf4\xf2i v\xf2\n", "cp.yaml")
    [d] = exc.value.diagnostics
    assert d.line == 1 and d.column == 8
    assert "UTF-8" in d.message and "Windows-1258" in d.message


def test_utf16_is_a_clear_error() -> None:
    with pytest.raises(InputError) as exc:
        decode_text("a: 1".encode("utf-16"), "u.yaml")
    assert "UTF-16" in exc.value.diagnostics[0].message


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_yaml(tmp_path / "nope.yaml")
    assert "không đọc được" in exc.value.diagnostics[0].message


def test_deep_nesting_is_refused() -> None:
    assert "quá sâu" in errors_of("a: " + "[" * 300 + "]" * 300 + "\n")[0]


def test_nesting_beyond_the_parsers_own_limit_is_said_in_vietnamese() -> None:
    [message] = errors_of("a: " + "[" * 3000 + "]" * 3000 + "\n")
    assert "quá sâu" in message and "nesting" not in message


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ("a: {self: 1\n", 2, 1, "thiếu dấu `,` hoặc `}`"),
        ("a: [5\n", 2, 1, "thiếu dấu `,` hoặc `]`"),
        ("a: b: c\n", 1, 5, "không được đặt `:` ở đây"),
        ("a: @x\n", 1, 4, "ký tự không được phép ở đầu giá trị"),
        ("a: 'x\n", 2, 1, "tệp kết thúc giữa chừng"),
        ("a: *x\n", 1, 4, "neo `&` chưa được khai báo"),
    ],
)
def test_yaml_syntax_errors_are_said_in_vietnamese(text: str, line: int, column: int, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_yaml(text, "t.yaml")
    [d] = info.value.diagnostics
    assert (d.line, d.column) == (line, column)
    assert fragment in d.message
    assert not re.search(r"\b(expected|found|while|allowed)\b", d.message), d.message


def test_a_date_stays_the_text_the_user_wrote() -> None:
    doc = parse_yaml("note: 2020-01-05\nat: 2020-01-05 10:30\nevidence: [2020-01-05]\n", "t.yaml")
    assert doc.data == {"note": "2020-01-05", "at": "2020-01-05 10:30", "evidence": ["2020-01-05"]}


@pytest.mark.parametrize("text", ["1_0", "1_000", "1:30", "0x1A", "0o7", ".inf"])
def test_yaml_1_1_number_oddities_stay_text(text: str) -> None:
    """`1_0` is 10 to YAML 1.1 (and to Python's Decimal): never read silently as a number; the
    models then refuse the text where a number is wanted, showing what was typed."""
    assert parse_yaml(f"a: {text}\n", "t.yaml").data == {"a": text}


def test_a_control_character_is_located() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml("a: 1\nb: x\x01y\n", "t.yaml")
    [d] = caught.value.diagnostics
    assert (d.line, d.column) == (2, 5) and "U+0001" in d.message


def test_a_nul_byte_is_located() -> None:
    with pytest.raises(InputError) as caught:
        decode_and_parse(b"a: 1\nb\x00: 2\n")
    [d] = caught.value.diagnostics
    assert (d.line, d.column) == (2, 2) and "U+0000" in d.message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named(encoding: str) -> None:
    with pytest.raises(InputError) as caught:
        decode_and_parse("agency: {code: SNV, name: Sở Nội vụ}\n".encode(encoding))
    assert "UTF-16" in caught.value.diagnostics[0].message


@pytest.mark.parametrize(
    ("raw", "said"),
    [(b"PK\x03\x04rest", "tài liệu Office"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", ".xls"), (b"%PDF-1.7", "PDF")],
)
def test_an_office_file_is_not_called_a_bad_encoding(raw: bytes, said: str) -> None:
    with pytest.raises(InputError) as caught:
        decode_and_parse(raw)
    message = caught.value.diagnostics[0].message
    assert said in message and "Windows-1258" not in message


def decode_and_parse(raw: bytes) -> object:
    return parse_yaml(decode_text(raw, "t.yaml"), "t.yaml")


# ---- the fast paths against a plain reference -------------------------------------------------

#: Plain scalars whose YAML 1.1 kind turns on their text: numbers of every form, booleans, null,
#: timestamps, leading zeros, and text that merely looks like one of them.
_TRICKY = [
    "0", "08", "-01", "+1", "1.5", "-.5", "1e3", "1E-2", "1_0", "0x1A", "0o7", "1:30", ".inf", "-.INF", ".nan",
    "yes", "No", "ON", "off", "y", "n", "true", "False", "~", "null", "Null", "2020-01-05", "2020-1-5 10:30",
    "1.", "+.5e2", "abc", "Đạt", "điểm", "1.1", "2.10", "3.1.2", "tRUE", "nULL", "yEs", "oFF", "NuLL", ".Inf",
]  # fmt: skip


def _reference_data(node: Any) -> Any:
    """The data as the builder should make it, from nodes composed with PyYAML's own resolver,
    by a plain recursion (no tag cache, no inline conversion)."""
    from isoprov.core import loading

    if isinstance(node, yaml.ScalarNode):
        return loading._scalar_value(node)
    if isinstance(node, yaml.SequenceNode):
        return [_reference_data(item) for item in node.value]
    return {unicodedata.normalize("NFC", k.value): _reference_data(v) for k, v in node.value}


def _scalar_text(draw: Any) -> str:
    text = draw(st.sampled_from(_TRICKY) | st.from_regex(r"[A-Za-z0-9.+_]{1,6}", fullmatch=True))
    style = draw(st.sampled_from(["plain", "plain", "single", "double"]))
    return text if style == "plain" else ("'" + text + "'" if style == "single" else '"' + text + '"')


@st.composite
def _flow_documents(draw: Any, depth: int = 0) -> str:
    if depth >= 3 or draw(st.integers(0, 3)) == 0:
        return _scalar_text(draw)
    if draw(st.booleans()):
        items = draw(st.lists(_flow_documents(depth + 1), max_size=4))
        return "[" + ", ".join(items) + "]"
    keys = draw(st.lists(st.sampled_from(_TRICKY), max_size=4, unique=True))
    values = [draw(_flow_documents(depth + 1)) for _ in keys]
    return "{" + ", ".join(f"'{k}': {v}" for k, v in zip(keys, values, strict=True)) + "}"


@given(_flow_documents())
def test_the_loader_builds_what_a_plain_reading_of_the_yaml_gives(text: str) -> None:
    """The tag cache of the loader and the builder's inline scalars give the same data as
    PyYAML's resolver and a plain recursion, for every kind of plain and quoted scalar."""
    document = f"root: {text}\n"
    expected = _typed(_reference_data(yaml.compose(document, Loader=yaml.CSafeLoader)))
    assert _typed(parse_yaml(document, "t.yaml").data) == expected
    assert _typed(parse_yaml(document, "t.yaml").data) == expected  # and again, from the filled caches


def _typed(data: Any) -> Any:
    """``data`` with each scalar's type beside it (``True == Decimal(1)`` in Python)."""
    if isinstance(data, dict):
        return {k: _typed(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_typed(v) for v in data]
    return (type(data).__name__, str(data))
