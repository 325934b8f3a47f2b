"""The sandbox every template runs in: Jinja's ``SandboxedEnvironment`` (no Python internals),
also bounding what one operation or call of a template may produce (:data:`MAX_SIZE`)."""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from isoprov.core.vietnamese import format_number
from isoprov.documents.errors import RenderError

if TYPE_CHECKING:
    import jinja2.sandbox


#: The most characters (or list items) one operation of a template may produce, and the largest
#: number a template may pass to a function or filter: a template is text, and ``"x" * 10**10``
#: or ``"x".ljust(10**10)`` would only exhaust the memory of the machine that renders it.
MAX_SIZE = 1_000_000
_PERCENT_WIDTH = re.compile(r"%[#0\- +]*(\d+)?(?:\.(\d+))?")
_BRACE_WIDTH = re.compile(r"\{[^{}]*?:[^{}]*?(\d+)[^{}]*\}")


def _too_large(number: int) -> bool:
    return abs(number) > MAX_SIZE


def _format_too_wide(template: str) -> bool:
    widths = [int(w) for m in _PERCENT_WIDTH.finditer(template) for w in m.groups() if w]
    widths += [int(m[1]) for m in _BRACE_WIDTH.finditer(template)]
    return any(_too_large(w) for w in widths)


def check_size(what: str, *values: Any) -> None:
    """Refuse a number or format width beyond :data:`MAX_SIZE` handed to ``what``."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and _too_large(value):
            raise RenderError(
                f"{what} số {format_number(value)}, quá lớn cho một văn bản (tối đa "
                f"{format_number(MAX_SIZE)}): không được phép trong sandbox"
            )
    if values and isinstance(values[0], str) and "`format`" in what and _format_too_wide(values[0]):
        raise RenderError(f"{what}: độ rộng định dạng quá lớn (tối đa {format_number(MAX_SIZE)}): không được phép")


def _binop_size(operator: str, left: Any, right: Any) -> None:
    """Refuse ``*``, ``**`` and ``%`` whose result would be beyond :data:`MAX_SIZE`."""
    too_big = False
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(times, int) and not isinstance(times, bool):
                too_big = too_big or len(seq) * max(times, 0) > MAX_SIZE
    elif operator == "**":
        numbers = all(isinstance(v, int | Decimal) and not isinstance(v, bool) for v in (left, right))
        too_big = numbers and abs(left) > 1 and right > 1000
    elif operator == "%":
        too_big = isinstance(left, str) and _format_too_wide(left)
    if too_big:
        raise RenderError(
            f"phép `{operator}` trong mẫu tạo ra một kết quả quá lớn cho một văn bản (tối đa "
            f"{format_number(MAX_SIZE)} ký tự): không được phép trong sandbox"
        )


@functools.cache
def sandbox_class() -> type[jinja2.sandbox.SandboxedEnvironment]:
    """Jinja's sandbox, also bounding what one operation or call may produce."""
    import jinja2.sandbox

    class Sandbox(jinja2.sandbox.SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _binop_size(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            if __obj is not __self.globals.get("range"):  # range() has its own limit and message
                check_size("mẫu gọi một hàm với", *args, *kwargs.values())
            target = getattr(__obj, "__wrapped__", __obj)
            owner = getattr(target, "__self__", None)
            formats = getattr(target, "__name__", "") in ("format", "format_map")
            if formats and isinstance(owner, str) and _format_too_wide(owner):
                raise RenderError(
                    f"mẫu định dạng chuỗi với độ rộng quá lớn (tối đa {format_number(MAX_SIZE)}): không được phép"
                )
            return super().call(__context, __obj, *args, **kwargs)

    return Sandbox
