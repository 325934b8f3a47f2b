"""What a template may print: text and exact numbers only, never an empty field, a function, a
whole mapping or list, ``True``/``False`` or a binary float (Jinja's ``finalize`` and the guarded
text filters ask :func:`check_printable`)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from isoprov.core.vietnamese import format_number
from isoprov.documents.errors import RenderError


class PrintError(RenderError):
    """A template prints what is not text: an empty field, a function, a whole mapping or list."""


def check_printable(value: Any, what: str = "mẫu in ra") -> None:
    """Refuse what must never reach a document: an empty field (Python's ``None``), a function or
    method (``{{ doc.header.title.format }}``), a whole mapping or list (its Python form),
    ``True``/``False``, a binary float, or any other Python object (``{{ self }}``): only text and
    exact numbers are printed."""
    if value is None:
        raise PrintError(
            f"{what} một trường để trống trong dữ liệu (không có giá trị); văn bản không được có chỗ "
            'trống hay chữ vô nghĩa: hãy bọc nó trong `{% if … %}` … `{% endif %}` hoặc dùng `| default("…", true)`'
        )
    if callable(value):
        raise PrintError(
            f"{what} một hàm (phương thức), không phải dữ liệu: không được phép; có lẽ nhầm tên trường "
            "hoặc thiếu `()` khi gọi macro"
        )
    if isinstance(value, Iterable) and not isinstance(value, str):
        raise PrintError(
            f"{what} cả một nhóm dữ liệu (bảng khóa hoặc danh sách), không phải một giá trị: hãy in từng "
            'trường (`doc.header.title`), dùng `{% for … %}` hoặc bộ lọc `join(", ")`'
        )
    if isinstance(value, bool):
        raise PrintError(
            f"{what} một giá trị đúng/sai (`{'true' if value else 'false'}`), không phải chữ: hãy dùng "
            "`{% if … %}` để chọn chữ cần in"
        )
    if isinstance(value, float):
        raise PrintError(
            f"{what} một số thực nhị phân ({value!r}), không phải số chính xác: hãy tính trên số trong dữ "
            "liệu (phép chia hai số nguyên cho ra số thực) và in qua bộ lọc `so`"
        )
    if not isinstance(value, str | int | Decimal):
        raise PrintError(f"{what} một đối tượng nội bộ của mẫu ({type(value).__name__}), không phải dữ liệu văn bản")


def finalize(value: Any) -> Any:
    """Jinja's ``finalize``: every ``{{ … }}`` passes here before it is written."""
    import jinja2

    if isinstance(value, jinja2.Undefined):
        return value  # writing it raises UndefinedError, which names the field
    check_printable(value)
    if isinstance(value, Decimal):
        return format_number(value)  # money and points read the Vietnamese way: 126.000.000, 24,4
    return value
