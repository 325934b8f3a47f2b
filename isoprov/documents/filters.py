"""The filters a template writes with (``ngay``, ``so``, ``bang_chu``, ``so_hieu``, ``noi_nhan``,
``doan``, ``dong``, ``o``): dates, numbers, amounts in words and text the Vietnamese way and as
document markup."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from isoprov.core.vietnamese import amount_in_words, format_date, format_number
from isoprov.documents.errors import RenderError
from isoprov.documents.markup import ends_in_reference
from isoprov.documents.model import IssueDate
from isoprov.documents.printable import check_printable

#: What a blank (to be filled in by hand) looks like in a draft: "Số:      /KH-BCĐ".
BLANK = "      "


def ngay(value: Any) -> str:
    """``ngày 08 tháng 9 năm 2015``; blanks where a draft leaves the day or month open."""
    if value is None:
        check_printable(value, "bộ lọc `ngay` nhận")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, str):  # `2020-01-05` written in the data: the loader keeps dates as text
        import pydantic

        try:
            value = IssueDate.model_validate(value)
        except pydantic.ValidationError:
            raise RenderError(
                f"bộ lọc `ngay` cần một ngày dạng NNNN-TT-NN hoặc ngày/tháng/năm, không phải `{value}`"
            ) from None
    if isinstance(value, IssueDate):
        value = value.model_dump()
    if isinstance(value, dict) and "year" in value:
        year, month, day = value["year"], value.get("month"), value.get("day")
        if month is not None and day is not None:
            return format_date(dt.date(int(year), int(month), int(day)))
        if month is not None:
            # the leading-zero rule for months comes from format_date; only the day is blank
            shown = format_date(dt.date(int(year), int(month), 10)).removeprefix("ngày 10 ")
            return f"ngày{BLANK}{shown}"
        return f"ngày{BLANK}tháng{BLANK}năm {year}"
    raise RenderError(f"bộ lọc `ngay` cần một ngày, không phải `{value!r}`")


def so(value: Any, places: int | None = None) -> str:
    """Vietnamese number: ``126.000.000``, ``24,4``."""
    if value is None:
        check_printable(value, "bộ lọc `so` nhận")
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise RenderError(f"bộ lọc `so` cần một số, không phải `{value!r}`")
    return format_number(value, places)


def bang_chu(value: Any, currency: str = "đồng") -> str:
    """Amount in words: ``Một trăm hai mươi sáu triệu đồng chẵn``."""
    if value is None:
        check_printable(value, "bộ lọc `bang_chu` nhận")
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise RenderError(f"bộ lọc `bang_chu` cần một số tiền, không phải `{value!r}`")
    try:
        return amount_in_words(value, currency)
    except ValueError as exc:
        raise RenderError(f"bộ lọc `bang_chu`: {exc}") from None


def so_hieu(header: Any) -> str:
    """Number and symbol: ``52/KH-BCĐ``, ``05/QĐ-UBND``; a blank number in a draft."""
    number, symbol = _get(header, "number"), _get(header, "symbol")
    shown = BLANK if number is None else f"{int(number):02d}"
    return f"{shown}/{symbol}"


def noi_nhan(items: Iterable[str]) -> list[str]:
    """Recipient lines punctuated as the decree says: each ends with ``;``, the last with ``.``."""
    lines = [_strip_end_punctuation(str(item)) for item in items]
    return [line + (";" if i < len(lines) - 1 else ".") for i, line in enumerate(lines)]


def _strip_end_punctuation(line: str) -> str:
    """``line`` without its final ``;``, ``.`` or ``,`` (but the ``;`` that ends an escaped
    character such as ``&gt;`` stays)."""
    line = line.rstrip()
    while line and line[-1] in ";.," and not (line[-1] == ";" and ends_in_reference(line[:-1])):
        line = line[:-1]
    return line.rstrip()


_LEADING_MARKUP = re.compile(r"^(#|\||:::|- |\\)", re.MULTILINE)
#: ``1.`` or ``1)`` then a space at the start of a line: a numbered list in Markdown.
_LEADING_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)", re.MULTILINE)


def _markup_paragraphs(text: Any, name: str) -> list[str]:
    """Text as markup paragraphs (split at blank lines), their line breaks as ``\\``, and a line
    that would read as markup (``#``, ``|``, ``- ``, ``:::``) kept as text."""
    check_printable(text, f"bộ lọc `{name}`")
    escaped = _LEADING_MARKUP.sub(r"\\\1", str(text).strip())
    return [p.replace("\n", "\\\n") for p in re.split(r"\n\s*\n", escaped)]


def doan(text: Any) -> str:
    """Text as markup paragraphs: line breaks kept, a blank line starts a new paragraph,
    and a line that would read as markup (``#``, ``|``, ``- ``, ``:::``, ``1.``) stays text."""
    paragraphs = _markup_paragraphs(text, "doan")
    return "\n\n".join(_LEADING_NUMBER.sub(r"\1\\\2", p) for p in paragraphs)


def dong(text: Any) -> str:
    """Text as *one* markup paragraph (a title, a heading, a list item, a name in bold): a blank
    line in the data is a line break here, so ``**{{ x | dong }}**`` never leaves a stray ``**``."""
    return "\\\n".join(_markup_paragraphs(text, "dong"))


def o(text: Any) -> str:
    """Text as a table cell: ``|`` escaped, line breaks as ``<br>``."""
    value = "" if text is None else str(text).strip()
    return value.replace("|", "\\|").replace("\n", "<br>")


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name)


FILTERS: dict[str, Callable[..., Any]] = {
    "ngay": ngay,
    "so": so,
    "bang_chu": bang_chu,
    "so_hieu": so_hieu,
    "noi_nhan": noi_nhan,
    "doan": doan,
    "dong": dong,
    "o": o,
}
