"""Calendar dates as Vietnamese offices write and count them.

- :func:`parse_date` reads a full date written ISO-style (``2026-10-12``) or day first
  (``12/10/2026``, ``12-10-2026``, ``12.10.2026``); :data:`Day` is the pydantic field type that
  does it, with a Vietnamese error naming both shapes.
- :func:`add_months` counts a period in months the way Bộ luật Dân sự 2015 (Điều 147–148) does:
  it ends on the same day number of the month reached, or on that month's last day when the month
  has no such day (31/12 + 2 tháng → 28/02, or 29/02 in a leap year). Weekends and holidays do not
  move it (the regulation on corrective actions counts calendar months).
- :func:`short_date` writes ``12/10/2026`` for tables; the place-and-date line is
  :func:`isoprov.core.vietnamese.format_date`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")

SHAPES = "ghi dạng NNNN-TT-NN (2026-10-12) hoặc ngày/tháng/năm (12/10/2026)"


def parse_date(text: str) -> dt.date:
    """The date ``text`` names; :class:`ValueError` with a Vietnamese message otherwise."""
    text = text.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    else:
        raise ValueError(f"ngày `{text}` không hợp lệ; {SHAPES}")
    if not 1 <= month <= 12:
        raise ValueError(f"ngày `{text}`: tháng {month} không có (tháng từ 1 đến 12)")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"ngày {day}/{month}/{year} không có trong lịch") from None


def _to_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError("chỉ ghi ngày, không kèm giờ (ví dụ 2026-10-12)")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or value is None:
        raise ValueError(f"chưa ghi ngày; {SHAPES}")
    if isinstance(value, str):
        return parse_date(value)
    raise ValueError(f"ngày `{value}` không hợp lệ; {SHAPES}")


#: A date field: ``2026-10-12`` or ``12/10/2026`` in the YAML, a :class:`datetime.date` in the model.
Day = Annotated[
    dt.date,
    BeforeValidator(_to_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}([/.-])\d{1,2}\2\d{4})$",
            "description": "Ngày: 2026-10-12 hoặc 12/10/2026",
        }
    ),
]


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` + ``months`` calendar months (Bộ luật Dân sự 2015 Điều 147–148): the same day
    number, or the last day of the month reached when it has no such day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def short_date(d: dt.date) -> str:
    """``12/10/2026``, ``05/01/2027``: the day and month of a table cell, two digits each."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"
