"""Tests for isoprov.core.numbers: Vietnamese-written numbers, the one reader of money strings
and budget counts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isoprov.core.numbers import UnclearNumber, format_number, parse_count, read_number
from isoprov.core.vietnamese import MoneyParseError, parse_money

# ---------------------------------------------------------------------------
# Counts: numbers or "N label"
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("10 huyện", 10, "huyện"),
        ("10huyện", 10, "huyện"),
        ("122 người", 122, "người"),
        ("1.000 người", 1000, "người"),
        ("1,5 ngày", Decimal("1.5"), "ngày"),
        ("2", 2, ""),
        ("1.234,5", Decimal("1234.5"), ""),
        ("1,125 ngày", Decimal("1.125"), "ngày"),
        ("0,500 ngày", Decimal("0.5"), "ngày"),
        ("0.000 người", 0, "người"),
        ("100.000 người", 100_000, "người"),  # zero with a thousands group: zero, not ambiguous
        ("-2 huyện", -2, "huyện"),  # read, so that BUD009 reports it with the other problems
        ("− 1,5 ngày", Decimal("-1.5"), "ngày"),
    ],
)
def test_parse_count(text: str, value: int | Decimal, label: str) -> None:
    assert parse_count(text) == (Decimal(value), label)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("1.5 ngày", ["1,5", "15"]),
        ("1,500 người", ["`1,5`", "`1.500`"]),
        ("20,000", ["`20`", "`20.000`"]),
        ("1000.5 người", ["tiếng Anh", "`1.000,5`"]),
        ("1000.000 người", ["tiếng Anh", "`1.000`"]),  # four digits before the dot: no thousands group
        ("100.5 ngày", ["`100,5`", "`1.005`"]),  # three digits: either reading
        ("huyện", ["phải bắt đầu bằng một số"]),
        ("10 huyện 2 ngày", ["chỉ được có một số"]),
        ("1.00.0 người", ["viết không đúng"]),
        ("10. huyện", ["viết không đúng"]),
    ],
)
def test_parse_count_rejects_unclear_counts(text: str, fragments: list[str]) -> None:
    with pytest.raises(ValueError) as info:
        parse_count(text)
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.mark.parametrize(
    "text",
    ["1.5", "1.50 ngày", "1,500 người", "20,000", "1000.5", "12345.000", "0.5", "2,120 huyện", "9.99"],
)
def test_parse_count_suggestions_differ_from_the_input_and_read_one_way(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_count(text)
    suggestions = re.findall(r"`(\d[^`]*)`", str(info.value).partition("hãy viết")[2])
    assert suggestions, str(info.value)
    for suggestion in suggestions:
        assert suggestion != text
        parse_count(suggestion)  # each suggestion is itself a valid count


@pytest.mark.parametrize("text", ["1000 người", "2024", "05"])
def test_parse_count_reads_plain_digits(text: str) -> None:
    number, _, label = text.partition(" ")
    assert parse_count(text) == (Decimal(number), label)


@pytest.mark.parametrize(
    "text", ["1,5,5", "1.00,5", "1.0000,5 ngày", "1,2,3 người", "1.000,5,5", "1000.000.5", "1234.567.890 người"]
)
def test_parse_count_rejects_malformed_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="viết không đúng"):
        parse_count(text)


def test_parse_count_english_decimal_point_is_not_called_ambiguous() -> None:
    with pytest.raises(ValueError) as info:
        parse_count("1000.5 người")
    assert "có thể hiểu" not in str(info.value)  # 1000.5 cannot be a thousands group


def test_parse_count_names_english_thousands() -> None:
    with pytest.raises(ValueError) as info:
        parse_count("1,000,000 người")
    assert "tiếng Anh" in str(info.value) and "`1.000.000`" in str(info.value)


# ---------------------------------------------------------------------------
# One reader for money and counts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("1.5", "ambiguous"),
        ("1,500", "ambiguous"),
        ("1000.5", "english-decimal"),
        ("1,000,000", "english-thousands"),
        ("1,500.5", "english-order"),
        ("1.00.0", "malformed"),
        ("1,", "malformed"),
    ],
)
def test_read_number_says_why_a_number_is_unclear(number: str, reason: str) -> None:
    with pytest.raises(UnclearNumber) as info:
        read_number(number)
    assert info.value.reason == reason


@given(st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False, allow_infinity=False))
def test_money_and_counts_read_a_number_the_same_way(value: Decimal) -> None:
    text = format_number(value)
    try:
        count, _ = parse_count(text)
    except ValueError:
        with pytest.raises(MoneyParseError):
            parse_money(f"{text} đồng")
        return
    assert count == value
    assert parse_money(f"{text} đồng")[0] == value
