"""The sandbox every template runs in: Jinja's ``SandboxedEnvironment`` (no Python internals),
also bounding what a template may do: what one operation, filter or call may produce
(:data:`MAX_SIZE`: ``*``, ``+``, ``~``, ``%``, ``join``, ``replace``, ``format``, ``indent``, …,
checked *before* the string is built), the whole document (:data:`MAX_OUTPUT`) and the time one
render may take (:func:`time_limit`, :data:`DEFAULT_TIME_LIMIT` seconds)."""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
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
#: The most characters a whole rendered document may have (a 10,000-row table is about 2 million).
MAX_OUTPUT = 50_000_000
#: Seconds one render may take unless the user says otherwise (``render --timeout``).
DEFAULT_TIME_LIMIT = 10.0
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
    """Refuse ``*``, ``**``, ``%`` and ``+`` whose result would be beyond :data:`MAX_SIZE`."""
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
    elif operator == "+":
        sequences = all(isinstance(v, str | list | tuple) for v in (left, right))
        too_big = sequences and len(left) + len(right) > MAX_SIZE
    if too_big:
        raise RenderError(
            f"phép `{operator}` trong mẫu tạo ra một kết quả quá lớn cho một văn bản (tối đa "
            f"{format_number(MAX_SIZE)} ký tự): không được phép trong sandbox"
        )


def _too_long(what: str, size: int) -> None:
    if size > MAX_SIZE:
        raise RenderError(
            f"{what} tạo ra một chuỗi {format_number(size)} ký tự, quá lớn cho một văn bản (tối đa "
            f"{format_number(MAX_SIZE)}): không được phép trong sandbox"
        )


def _text_length(value: Any) -> int:
    return len(value) if isinstance(value, str) else len(str(value))


def _widths(template: str) -> int:
    found = [int(w) for m in _PERCENT_WIDTH.finditer(template) for w in m.groups() if w]
    return sum(found) + sum(int(m[1]) for m in _BRACE_WIDTH.finditer(template))


def _joined(what: str, items: Any, separator: Any) -> list[Any]:
    """``items`` as a list, refused if joining them with ``separator`` would be too long."""
    listed = list(items)
    check_time()
    if len(listed) > MAX_SIZE:
        _too_long(what, len(listed))
    _too_long(what, sum(map(_text_length, listed)) + _text_length(separator) * max(len(listed) - 1, 0))
    return listed


def _replaced_length(text: str, old: Any, new: Any, count: Any = None) -> int:
    old, new = str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _formatted_length(template: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    return len(template) + _widths(template) + sum(map(_text_length, (*args, *kwargs.values())))


def guard_string_builder(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Jinja's filter ``name`` (``join``, ``replace``, ``format``, ``indent``, ``wordwrap``)
    refusing, before it builds it, a string longer than :data:`MAX_SIZE`."""
    skip = 0 if getattr(func, "jinja_pass_arg", None) is None else 1
    what = f"bộ lọc `{name}`"

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        head, rest = args[:skip], list(args[skip:])
        if rest and isinstance(rest[0], str):
            text = rest[0]
            if name == "replace" and len(rest) >= 3:
                _too_long(what, _replaced_length(text, *rest[1:4], *kwargs.values()))
            elif name == "format":
                _too_long(what, _formatted_length(text, tuple(rest[1:]), kwargs))
            elif name == "indent":
                width = rest[1] if len(rest) > 1 else kwargs.get("width", 4)
                shown = width if isinstance(width, int) and not isinstance(width, bool) else _text_length(width)
                _too_long(what, len(text) + (text.count("\n") + 1) * max(shown, 0))
            elif name == "wordwrap":
                width = rest[1] if len(rest) > 1 else kwargs.get("width", 79)
                wrap = kwargs.get("wrapstring") or (rest[3] if len(rest) > 3 else None) or "\n"
                lines = len(text) // max(width, 1) + 1 if isinstance(width, int) else len(text)
                _too_long(what, len(text) + lines * _text_length(wrap))
        if name == "join" and rest and not isinstance(rest[0], str) and "attribute" not in kwargs and len(rest) < 3:
            separator = rest[1] if len(rest) > 1 else kwargs.get("d", "")
            rest[0] = _joined(what, rest[0], separator)
        result = func(*head, *rest, **kwargs)
        if isinstance(result, str):
            _too_long(what, len(result))  # what slipped through the estimates, at least not kept
        return result

    return guarded


def _check_method_call(owner: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """A string method a template calls (``"x".join(…)``, ``.replace``, ``.format``,
    ``.expandtabs``): refused before it builds a string longer than :data:`MAX_SIZE`."""
    what = f"mẫu gọi `{name}`"
    if name == "join" and args:
        return (_joined(what, args[0], owner), *args[1:])
    if name == "replace" and len(args) >= 2:
        _too_long(what, _replaced_length(owner, *args[:3]))
    elif name == "format":
        _too_long(what, _formatted_length(owner, args, kwargs))
    elif name == "format_map" and args and isinstance(args[0], dict):
        _too_long(what, _formatted_length(owner, (), args[0]))
    elif name == "expandtabs":
        size = args[0] if args and isinstance(args[0], int) else 8
        _too_long(what, len(owner) + owner.count("\t") * max(size, 0))
    return args


class RenderTimeout(RenderError):
    """A render that took longer than its time limit."""


_deadline: float | None = None
_limit: float = DEFAULT_TIME_LIMIT


def _timed_out() -> RenderTimeout:
    seconds = format_number(Decimal(str(_limit)).normalize())
    return RenderTimeout(
        f"mẫu chạy quá {seconds} giây (giới hạn thời gian của một lần soạn văn bản; vòng lặp lồng nhau quá "
        "nhiều lần?): đã dừng. Nếu mẫu thật sự cần lâu hơn, hãy tăng giới hạn bằng `--timeout GIÂY`"
    )


def check_time() -> None:
    """Raise :class:`RenderTimeout` once the render's time is up."""
    if _deadline is not None and time.monotonic() > _deadline:
        raise _timed_out()


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Bound the render inside the block to ``seconds``: every operation, call and chunk of output
    checks the clock, and in the main thread a timer signal also stops a loop that calls nothing."""
    global _deadline, _limit
    saved = _deadline, _limit
    _deadline, _limit = time.monotonic() + seconds, seconds
    use_signal = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous: Any = None
    if use_signal:

        def on_alarm(signum: int, frame: Any) -> None:
            raise _timed_out()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if use_signal:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _deadline, _limit = saved


def bounded_output(chunks: Iterator[str]) -> str:
    """The chunks a template yields, joined, refused past :data:`MAX_OUTPUT` characters."""
    out: list[str] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > MAX_OUTPUT:
            raise RenderError(
                f"mẫu tạo ra văn bản hơn {format_number(MAX_OUTPUT)} ký tự, quá lớn cho một văn bản: đã dừng"
            )
        check_time()
        out.append(chunk)
    return "".join(out)


@functools.cache
def _code_generator() -> type[Any]:
    """Jinja's code generator, ``~`` compiled to :meth:`Sandbox.concat_strings` (bounded)."""
    from jinja2.compiler import CodeGenerator

    class Generator(CodeGenerator):
        def visit_Concat(self, node: Any, frame: Any) -> None:
            self.write("environment.concat_strings((")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            self.write("))")

    return Generator


@functools.cache
def sandbox_class() -> type[jinja2.sandbox.SandboxedEnvironment]:
    """Jinja's sandbox, also bounding what one operation or call may produce."""
    import jinja2.sandbox

    class Sandbox(jinja2.sandbox.SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%", "+"})
        code_generator_class = _code_generator()

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            check_time()
            _binop_size(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def concat_strings(self, parts: tuple[Any, ...]) -> str:
            """``a ~ b ~ c``: refused before a string longer than :data:`MAX_SIZE` is built."""
            check_time()
            texts = [str(part) for part in parts]
            _too_long("phép `~` trong mẫu", sum(map(len, texts)))
            return "".join(texts)

        def getattr(self, obj: Any, attribute: str) -> Any:
            check_time()
            return super().getattr(obj, attribute)

        def getitem(self, obj: Any, argument: Any) -> Any:
            check_time()
            return super().getitem(obj, argument)

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
            check_time()
            if isinstance(owner, str):
                args = _check_method_call(owner, getattr(target, "__name__", ""), args, kwargs)
            result = super().call(__context, __obj, *args, **kwargs)
            if isinstance(owner, str) and isinstance(result, str | list):
                # a string method; a macro's text (a whole 10,000-row table) is bounded by MAX_OUTPUT
                _too_long(f"mẫu gọi `{getattr(target, '__name__', '')}`", len(result))
            return result

    return Sandbox
