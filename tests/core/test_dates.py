"""Dates written the Vietnamese way and the civil-code month rule (Bộ luật Dân sự 2015 Điều 147–148)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isoprov.core.dates import add_months, parse_date, short_date


@pytest.mark.parametrize(
    ("start", "due"),
    [
        ((2026, 10, 12), (2026, 12, 12)),  # same day number
        ((2021, 12, 31), (2022, 2, 28)),  # 31/12 → 28/02: February has no 31st
        ((2023, 12, 31), (2024, 2, 29)),  # leap year: 29/02
        ((2023, 12, 29), (2024, 2, 29)),
        ((2024, 12, 30), (2025, 2, 28)),
        ((2026, 7, 31), (2026, 9, 30)),  # September has 30 days
        ((2026, 8, 31), (2026, 10, 31)),
        ((2026, 11, 30), (2027, 1, 30)),  # across the year end
        ((2026, 11, 24), (2027, 1, 24)),
    ],
)
def test_two_months_end_on_the_same_day_number_or_the_month_end(
    start: tuple[int, int, int], due: tuple[int, int, int]
) -> None:
    assert add_months(dt.date(*start), 2) == dt.date(*due)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2990, 12, 31)), st.integers(0, 60))
def test_the_month_rule_for_every_date(start: dt.date, months: int) -> None:
    due = add_months(start, months)
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == months
    last = calendar.monthrange(due.year, due.month)[1]
    assert due.day == min(start.day, last)


@pytest.mark.parametrize("text", ["2026-10-12", "12/10/2026", "12-10-2026", "12.10.2026", " 12/10/2026 "])
def test_dates_are_read_iso_or_day_first(text: str) -> None:
    assert parse_date(text) == dt.date(2026, 10, 12)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("31/02/2026", "không có trong lịch"),
        ("12/13/2026", "tháng 13"),
        ("10/12", "không hợp lệ"),
        ("12/10-2026", "không hợp lệ"),
    ],
)
def test_bad_dates_are_refused_in_vietnamese(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_date(text)


def test_short_date_has_two_digits_for_day_and_month() -> None:
    assert short_date(dt.date(2027, 1, 5)) == "05/01/2027"
