"""Rendering documents: data → Jinja template → document markup → Markdown, HTML or DOCX.

Every template (shipped or the user's) runs in Jinja's sandbox with ``StrictUndefined``: a field
the data does not have is an error naming it, never a blank in a signed document; so is printing
an empty field, a function or a whole mapping or list (``finalize``: never ``None`` or
``<function …>`` in a document). A template
produces *document markup*: Markdown with pandoc-style fenced divs (``::: issuer`` … ``:::``)
that name the regions of a Nghị định 30/2020 document. The Markdown output is that text; the
HTML and DOCX outputs are laid out from its parsed blocks, so all three say the same thing.

Markup, line by line:

- ``::: NAME`` opens a region, ``:::`` closes it; NAME is one of :data:`REGIONS`.
- ``## …`` headings (level = number of ``#``), ``- …`` bullet items, ``| … |`` pipe tables
  (the separator row's dashes give relative column widths, colons the alignment), other lines
  are paragraphs; a blank line ends a block; a line ending in ``\\`` breaks the line.
- Inline: ``**đậm**``, ``*nghiêng*``, ``***đậm nghiêng***``, ``\\*`` a literal star,
  ``<br>`` a line break inside a table cell; ``&amp;``, ``&lt;``, ``&gt;`` the characters
  ``&``, ``<``, ``>`` (the user's text reaches the markup escaped so: no raw HTML in the
  Markdown output).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import html.entities
import linecache
import re
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isoprov.core.diagnostics import Diagnostic, InputError, Severity
from isoprov.core.loading import PathKey, WrittenNumber, YamlDocument
from isoprov.core.resources import shipped_dir
from isoprov.core.vietnamese import amount_in_words, format_date, format_number
from isoprov.documents.model import KINDS, Document, IssueDate, ReportSource

if TYPE_CHECKING:
    import jinja2
    import jinja2.sandbox

    from isoprov.pipeline.score import Batch
    from isoprov.scoring.catalog import Catalog

#: Regions a template may open with ``::: NAME``.
REGIONS = frozenset(
    {
        "issuer",  # left header column: parent body, issuing body (rule below)
        "motto",  # right header column: Quốc hiệu and Tiêu ngữ (rule below)
        "number",  # "Số: 52/KH-BCĐ", under the issuer
        "date",  # place and date, under the motto
        "title",  # document kind and title (trích yếu), centred, short rule below
        "center",  # centred lines
        "right",  # right-aligned lines
        "recipients",  # Nơi nhận, bottom left
        "signature",  # signature block, bottom right; the last paragraph follows the signing space
        "pagebreak",  # start a new page
    }
)
HEADER_REGIONS = ("issuer", "motto", "number", "date")

#: What a blank (to be filled in by hand) looks like in a draft: "Số:      /KH-BCĐ".
BLANK = "      "

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


class RenderError(Exception):
    """A template or markup problem, with a Vietnamese message for the user."""


class PrintError(RenderError):
    """A template prints what is not text: an empty field, a function, a whole mapping or list."""


# ---------------------------------------------------------------------------
# User text in the markup: ``&``, ``<``, ``>`` escaped
# ---------------------------------------------------------------------------

#: The only character references of the markup (case-insensitive: ``upper`` may have run on them).
_ENTITY = re.compile(r"&(amp|lt|gt);", re.IGNORECASE)
_ENTITY_END = re.compile(r"&(amp|lt|gt)$", re.IGNORECASE)
_ENTITY_CHARS = {"amp": "&", "lt": "<", "gt": ">"}
_REFERENCE = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)


def _starts_reference(match: re.Match[str]) -> str:
    name = match[1]
    is_reference = name.startswith("#") or f"{name};" in html.entities.html5
    return "&amp;" + name + ";" if is_reference else match[0]


def escape_text(text: str) -> str:
    """User text as markup text: ``<``, ``>`` as ``&lt;``, ``&gt;``, so that the Markdown output
    never carries the user's HTML (``<script>``) as HTML; ``&`` as ``&amp;`` only where it would
    start a character reference (``&lt;`` typed by a user), so ``Sở KH&CN`` stays as written."""
    return _REFERENCE.sub(_starts_reference, text).replace("<", "&lt;").replace(">", "&gt;")


def unescape_text(text: str) -> str:
    """Markup text as plain text: the three references of :func:`escape_text` decoded, in one pass."""
    return _ENTITY.sub(lambda m: _ENTITY_CHARS[m[1].lower()], text)


def escape_data(value: Any) -> Any:
    """Every string in ``value`` (mappings, lists, tuples walked) escaped with :func:`escape_text`."""
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, dict):
        return {k: escape_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(escape_data(v) for v in value)
    return value


# ---------------------------------------------------------------------------
# What a template may print
# ---------------------------------------------------------------------------


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


def _finalize(value: Any) -> Any:
    """Jinja's ``finalize``: every ``{{ … }}`` passes here before it is written."""
    import jinja2

    if isinstance(value, jinja2.Undefined):
        return value  # writing it raises UndefinedError, which names the field
    check_printable(value)
    if isinstance(value, Decimal):
        return format_number(value)  # money and points read the Vietnamese way: 126.000.000, 24,4
    return value


#: Jinja's filters that turn their input into text: ``{{ x | upper }}`` must not write ``NONE``.
_TEXT_FILTERS = (
    "capitalize",
    "center",
    "e",
    "escape",
    "forceescape",
    "format",
    "indent",
    "lower",
    "replace",
    "safe",
    "string",
    "striptags",
    "title",
    "trim",
    "truncate",
    "upper",
    "urlencode",
    "urlize",
    "wordcount",
    "wordwrap",
)


def _guard_text_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` refusing a value :func:`check_printable` refuses (Jinja's ``pass_*`` marks kept)."""
    skip = 0 if getattr(func, "jinja_pass_arg", None) is None else 1

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if len(args) > skip:
            _fail_if_undefined(args[skip])  # `{{ doc.nope | string }}` names the field
            check_printable(args[skip], f"bộ lọc `{name}` nhận")
        check_size(f"bộ lọc `{name}` nhận", *args[skip:], *kwargs.values())
        result = func(*args, **kwargs)
        if isinstance(result, str) and "&" in result:
            # `upper`, `title` on escaped text: `&AMP;` back to `&amp;`
            result = _ENTITY.sub(lambda m: m[0].lower(), result)
        return result

    return guarded


def _fail_if_undefined(value: Any) -> None:
    """Raise Jinja's own error for a field the data does not have (it names the field)."""
    import jinja2

    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()


def _strict_default(func: Callable[..., Any]) -> Callable[..., Any]:
    """Jinja's ``default`` for an *empty* field only: a field the data does not have at all (a
    typo such as ``doc.header.titel | default("")``) stays an error, never a blank. Every field of
    the document model is present in the data (``None`` when not given), so
    ``| default("…", true)`` still fills an optional field."""

    @functools.wraps(func)
    def strict(value: Any, *args: Any, **kwargs: Any) -> Any:
        _fail_if_undefined(value)
        return func(value, *args, **kwargs)

    return strict


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
def _sandbox_class() -> type[jinja2.sandbox.SandboxedEnvironment]:
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


# ---------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------


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
    while line and line[-1] in ";.," and not (line[-1] == ";" and _ENTITY_END.search(line[:-1])):
        line = line[:-1]
    return line.rstrip()


_LEADING_MARKUP = re.compile(r"^(#|\||:::|- |\\)", re.MULTILINE)


def _markup_paragraphs(text: Any, name: str) -> list[str]:
    """Text as markup paragraphs (split at blank lines), their line breaks as ``\\``, and a line
    that would read as markup (``#``, ``|``, ``- ``, ``:::``) kept as text."""
    check_printable(text, f"bộ lọc `{name}`")
    escaped = _LEADING_MARKUP.sub(r"\\\1", str(text).strip())
    return [p.replace("\n", "\\\n") for p in re.split(r"\n\s*\n", escaped)]


def doan(text: Any) -> str:
    """Text as markup paragraphs: line breaks kept, a blank line starts a new paragraph,
    and a line that would read as markup (``#``, ``|``, ``- ``, ``:::``) stays text."""
    return "\n\n".join(_markup_paragraphs(text, "doan"))


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


# ---------------------------------------------------------------------------
# Jinja environment
# ---------------------------------------------------------------------------


def template_name(kind: str) -> str:
    return f"{kind}.md.j2"


def environment(extra_dir: Path | None = None) -> jinja2.sandbox.SandboxedEnvironment:
    """The sandboxed environment every template runs in (shipped ones too: one behaviour).

    ``extra_dir`` (the user template's folder) is searched before the shipped templates, so a
    user template may ``{% extends "plan.md.j2" %}`` or import the shipped macros.
    """
    import jinja2
    import jinja2.sandbox

    loaders: list[jinja2.BaseLoader] = []
    if extra_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(extra_dir)))
    loaders.append(jinja2.FileSystemLoader(str(shipped_dir("templates"))))
    env = _sandbox_class()(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    for name in _TEXT_FILTERS:
        if name in env.filters:
            env.filters[name] = _guard_text_filter(name, env.filters[name])
    for name in ("default", "d"):
        env.filters[name] = _strict_default(env.filters[name])
    env.filters.update(FILTERS)
    env.globals.update({"QUOC_HIEU": QUOC_HIEU, "TIEU_NGU": TIEU_NGU})
    return env


def render_markup(kind: str, context: dict[str, Any], template: Path | None = None) -> str:
    """Render the kind's template (or the user's ``template``) to document markup."""
    env = environment(template.parent if template is not None else None)
    name = template.name if template is not None else template_name(kind)
    return normalise_markup(_render(lambda: env.get_template(name), context, name))


def render_string(text: str, context: dict[str, Any], name: str = "giấy tiêu đề") -> str:
    """Render a small template string (a letterhead placeholder) in the same sandbox."""
    env = environment()
    # the letterhead's text is written as it is, not read as markup: no escaped characters
    return unescape_text(_render(lambda: env.from_string(text), context, name))


def _render(load: Callable[[], jinja2.Template], context: dict[str, Any], name: str) -> str:
    import jinja2
    import jinja2.exceptions
    import jinja2.sandbox

    try:
        return load().render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            f"{_where(exc.filename or name, exc.lineno)}: mẫu có lỗi cú pháp Jinja: {exc.message}"
        ) from None
    except jinja2.exceptions.SecurityError as exc:
        raise RenderError(f"{_where(*_template_frame(exc, name))}: {_sandbox_message(exc)}") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(
            f"{_where(*_template_frame(exc, name))}: mẫu dùng trường không có trong dữ liệu: {_undefined_field(exc)}"
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"không tìm thấy mẫu `{exc.name}`") from None
    except PrintError as exc:
        file, line = _template_frame(exc, name)
        shown = _template_line(file, line)
        raise PrintError(f"{_where(file, line)}: {exc}" + (f" (dòng mẫu: `{shown}`)" if shown else "")) from None
    except RenderError as exc:
        raise RenderError(f"{_where(*_template_frame(exc, name))}: {exc}") from None
    except RecursionError:
        raise RenderError(f"{name}: mẫu gọi lồng nhau quá sâu (macro tự gọi lại mình?)") from None
    except OverflowError as exc:
        # the sandbox's limit on range(): "Range too big. The sandbox blocks ranges larger than MAX_RANGE"
        raise RenderError(
            f"{_where(*_template_frame(exc, name))}: mẫu tạo một dãy số quá dài: không được phép trong "
            f"sandbox, `range` tối đa {format_number(jinja2.sandbox.MAX_RANGE)} phần tử (chi tiết: {exc})"
        ) from None
    except MemoryError:
        raise RenderError(f"{name}: mẫu tạo ra văn bản quá lớn, vượt bộ nhớ") from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, LookupError) as exc:
        raise RenderError(
            f"{_where(*_template_frame(exc, name))}: lỗi khi dựng mẫu: mẫu dùng sai kiểu dữ liệu hoặc "
            f"sai cách gọi bộ lọc (chi tiết: {exc})"
        ) from None


def _sandbox_message(exc: Exception) -> str:
    """A Vietnamese message for what the sandbox refused, the sandbox's own words kept in brackets."""
    text = str(exc)
    rule = "mẫu chạy trong sandbox, chỉ dùng được dữ liệu văn bản và các bộ lọc"
    found = re.search(r"attribute '([^']+)'", text)
    if found:
        return f"mẫu truy cập `{found[1]}`, phần nội bộ của Python: không được phép ({rule})"
    if "not safely callable" in text:
        return f"mẫu gọi một hàm không an toàn: không được phép ({rule}; chi tiết: {text})"
    if "format" in text:
        return f"mẫu định dạng chuỗi theo cách không được phép ({rule}; chi tiết: {text})"
    return f"mẫu làm một việc không được phép ({rule}; chi tiết: {text})"


def _template_line(file: str, line: int | None) -> str | None:
    """The template's source line, to show which ``{{ … }}`` printed what it must not."""
    if line is None:
        return None
    text = linecache.getline(file, line).strip()
    return text if text and len(text) <= 160 else None


def _where(file: str, line: int | None) -> str:
    return f"{file}:{line}" if line else file


def _template_frame(exc: BaseException, default: str) -> tuple[str, int | None]:
    """The template file and line where a runtime error happened (Jinja rewrites tracebacks)."""
    found: tuple[str, int | None] = (default, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".j2", ".jinja", ".jinja2", ".md", ".tmpl", ".txt")):
            found = (frame.filename, frame.lineno)
    return found


def _undefined_field(exc: BaseException) -> str:
    message = str(exc)
    match = re.search(r"'([^']+)' is undefined", message)
    if match:
        return f"`{match[1]}`"
    match = re.search(r"has no (?:attribute|element) '?([^']+?)'?$", message)
    if match:
        return f"`{match[1]}`"
    return message


def normalise_markup(text: str) -> str:
    """Trailing spaces dropped (except a hard break's ``\\``), at most one blank line in a row."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Context
# ---------------------------------------------------------------------------


def check_kind(kind: str, document: Document, source: YamlDocument) -> list[Diagnostic]:
    """Kind-specific rules the model alone cannot know (it does not know KIND)."""
    out: list[Diagnostic] = []
    if kind == "decision" and not document.articles:
        message = "quyết định cần có các điều (`articles`: Điều 1, Điều 2, …)"
        out.append(source.diagnostic(("articles",), message, at=()))
    if kind != "decision" and document.articles:
        message = f"`articles` chỉ dùng cho quyết định (decision), không dùng cho `{kind}`"
        out.append(source.diagnostic(("articles",), message, key=True))
    if kind != "decision" and document.authority is not None:
        message = "`authority` (thẩm quyền ban hành) chỉ được mẫu quyết định dùng; mẫu này bỏ qua nó"
        out.append(source.diagnostic(("authority",), message, key=True, severity=Severity.WARNING))
    if kind == "report" and document.report is None:
        message = "báo cáo kết quả chấm điểm cần khóa `report` với `assessments`"
        out.append(source.diagnostic(("report",), message, at=()))
    if kind != "report" and document.report is not None:
        message = f"`report` chỉ dùng cho báo cáo (report), không dùng cho `{kind}`"
        out.append(source.diagnostic(("report",), message, key=True))
    code = KINDS[kind][1]
    symbol = document.header.symbol
    if not symbol.startswith(code + "-"):
        out.append(
            source.diagnostic(
                ("header", "symbol"),
                f"ký hiệu `{symbol}` thường bắt đầu bằng `{code}-` với loại văn bản này",
                severity=Severity.WARNING,
            )
        )
    return out


def build_context(
    kind: str, document: Document, source: YamlDocument, base_dir: Path
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The template context: the document as plain data, the budget appendix and score report.

    Its text is escaped for the markup (:func:`escape_text`: ``&``, ``<``, ``>``); the markup
    parser decodes it, so HTML and DOCX show the characters and the Markdown output carries no raw
    HTML of the user's.

    Returns the diagnostics of the files it reads (budget, assessments); with an error among
    them there is nothing to render.
    """
    diagnostics: list[Diagnostic] = []
    data = document.model_dump(mode="python")
    kind_name, _code = KINDS[kind]
    context: dict[str, Any] = {
        "kind": kind,
        "kind_name": document.header.kind or kind_name,
        "doc": data,
        "budget": None,
        "report": None,
    }
    if document.budget is not None:
        budget, found = budget_appendix(document, source, base_dir)
        diagnostics.extend(found)
        context["budget"] = budget
    if kind == "report" and document.report is not None:
        report, found = score_report(document.report, source, base_dir)
        diagnostics.extend(found)
        context["report"] = report
    # all text a template reads is the user's (data, budget, registry, criteria): escaped once here
    return {name: value if name == "kind" else escape_data(value) for name, value in context.items()}, diagnostics


def _resolve(base_dir: Path, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else base_dir / path


def _as_written(doc: YamlDocument, path: PathKey, value: Decimal | None) -> str:
    """A number as the data file writes it when it has leading zeros (``02``), else formatted
    the Vietnamese way; "" for None."""
    if value is None:
        return ""
    written = doc.value_at(path)
    return str(written) if isinstance(written, WrittenNumber) else format_number(value)


def budget_appendix(
    document: Document, source: YamlDocument, base_dir: Path
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The budget appendix (phụ lục dự toán): the table, total and words computed by
    :func:`isoprov.budget.check_budget`. A budget with an error gives no appendix: a document
    must never carry a figure the check disputes."""
    from isoprov.budget.checks import Budget, check_budget, show_money
    from isoprov.budget.norms import load_norms
    from isoprov.core.loading import load_yaml
    from isoprov.core.validation import validate_document

    ref = document.budget
    assert ref is not None
    path = _resolve(base_dir, ref.file)
    if not path.is_file():
        return None, [source.diagnostic(("budget",), f"không tìm thấy tệp dự toán `{path}`")]
    try:
        budget_doc = load_yaml(path)
        budget = validate_document(Budget, budget_doc)
    except InputError as exc:
        return None, exc.diagnostics
    norms, diagnostics = load_norms(beside=path.parent)
    report = check_budget(budget, budget_doc, norms)
    # notes (e.g. "checked against an example cap only") belong to `isoprov budget check`
    diagnostics = [d for d in (*diagnostics, *report.findings) if d.severity is not Severity.NOTE]
    if not report.ok or report.total_in_words is None:
        return None, diagnostics
    rows = []
    for r in report.rows():
        item = r.item
        rows.append(
            {
                "number": r.number,
                "depth": r.depth,
                "name": item.name,
                "unit": item.unit,
                "quantity": item.quantity,
                # `quantity: 02` as the seed writes it (Vietnamese offices pad counts below 10)
                "quantity_as_written": _as_written(budget_doc, (*r.path, "quantity"), item.quantity),
                "rate": show_money(item.rate, budget.unit) if item.rate is not None else None,
                "times": [m.shown() for m in item.times],
                "formula": item.formula(budget.unit),
                "amount": report.in_unit(r.value_vnd),
                "note": item.note,
            }
        )
    appendix = {
        "label": ref.label,
        "title": ref.title or budget.title.upper(),
        "by": ref.by,
        "unit": budget.unit,
        "rows": rows,
        "total": report.total,
        "total_vnd": report.total_vnd,
        "words": report.total_in_words,
    }
    return appendix, diagnostics


def score_report(
    spec: ReportSource, source: YamlDocument, base_dir: Path
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """Score the assessments a report names (:func:`isoprov.batch.score_paths`) and gather what
    the report shows: ranking per level, counts per band, averages per criteria group, agencies
    that have not submitted. Any invalid assessment is an error: a report must not silently
    leave an agency out."""
    from isoprov.pipeline.score import score_paths
    from isoprov.scoring.catalog import Catalog
    from isoprov.scoring.registry import Registry, load_registry

    diagnostics: list[Diagnostic] = []
    paths = []
    for key, names in (("assessments", spec.assessments), ("criteria", spec.criteria)):
        for i, name in enumerate(names):
            path = _resolve(base_dir, name)
            if not path.exists():
                diagnostics.append(source.diagnostic(("report", key, i), f"không tìm thấy `{path}`"))
            paths.append((key, path))
    registry: Registry | None = None
    if spec.agencies is not None:
        path = _resolve(base_dir, spec.agencies)
        if not path.is_file():
            diagnostics.append(source.diagnostic(("report", "agencies"), f"không tìm thấy `{path}`"))
        else:
            try:
                registry = load_registry(path)
            except InputError as exc:
                diagnostics.extend(exc.diagnostics)
    if diagnostics:
        return None, diagnostics
    catalog = Catalog.default([p for k, p in paths if k == "criteria"])
    catalog.load_explicit()
    batch = score_paths([p for k, p in paths if k == "assessments"], catalog, strict=spec.strict, registry=registry)
    diagnostics.extend(batch.diagnostics)
    if not batch.ok:
        return None, diagnostics
    if not batch.results:
        diagnostics.append(source.diagnostic(("report", "assessments"), "không có bản tự đánh giá nào để lập báo cáo"))
        return None, diagnostics
    return _summarise(batch, catalog, registry is not None), diagnostics


def _summarise(batch: Batch, catalog: Catalog, has_registry: bool) -> dict[str, Any]:
    from isoprov.scoring.criteria import level_name
    from isoprov.scoring.rules import round_points

    zero = Decimal(0)
    sets: list[dict[str, Any]] = []
    for r in batch.results:
        if not sets or (sets[-1]["criteria"], sets[-1]["period"]) != (r.criteria, r.period):
            cs = catalog.get(r.criteria)
            sets.append(
                {
                    "criteria": r.criteria,
                    "criteria_title": cs.title if cs is not None else r.criteria,
                    "criteria_source": cs.source if cs is not None else "",
                    "period": r.period,
                    "bands": [b.label for b in cs.bands or ()] if cs is not None else [],
                    "levels": [],
                }
            )
        levels = sets[-1]["levels"]
        if not levels or levels[-1]["level"] != r.level:
            levels.append({"level": r.level, "name": level_name(r.level), "results": []})
        levels[-1]["results"].append(
            {
                "rank": r.rank,
                "code": r.agency_code,
                "name": r.agency_name,
                "self_total": r.self_total,
                "total": r.total,
                "difference": r.difference,
                "band": r.band,
                "groups": [
                    {"id": g.id, "title": g.title, "earned": g.earned, "possible": g.possible} for g in r.groups
                ],
            }
        )
    for s in sets:
        for level in s["levels"]:
            results = level["results"]
            n = Decimal(len(results))
            level["count"] = len(results)
            level["average"] = round_points(sum((x["total"] for x in results), zero) / n)
            counts = {label: 0 for label in s["bands"]}
            for x in results:
                if x["band"] is not None:  # a set without bands (SPEC §3b) counts none
                    counts[x["band"]] = counts.get(x["band"], 0) + 1
            level["bands"] = [
                {"label": k, "count": v, "percent": round_points(Decimal(v) * 100 / n)} for k, v in counts.items()
            ]
            groups: dict[str, dict[str, Any]] = {}
            for x in results:
                for g in x["groups"]:
                    acc = groups.setdefault(
                        g["id"], {"id": g["id"], "title": g["title"], "earned": zero, "possible": zero}
                    )
                    acc["earned"] += g["earned"]
                    acc["possible"] += g["possible"]
            level["groups"] = [
                {
                    "id": g["id"],
                    "title": g["title"],
                    "average": round_points(g["earned"] / n),
                    "possible": round_points(g["possible"] / n),
                    "percent": round_points(g["earned"] / g["possible"] * 100) if g["possible"] else zero,
                }
                for g in groups.values()
            ]
    missing = [{"code": a.code, "name": a.name, "level": a.level} for a in batch.missing]
    return {
        "sets": sets,
        "missing": missing,
        "registry": has_registry,
        "count": len(batch.results),
    }


# ---------------------------------------------------------------------------
# Markup → blocks
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of inline text with its emphasis; ``text == "\\n"`` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False

    @property
    def is_break(self) -> bool:
        return self.text == "\n"


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[tuple[Run, ...], ...]


@dataclass(frozen=True, slots=True)
class TableBlock:
    header: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    align: tuple[str, ...]
    widths: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    line: int = 0


Block = Paragraph | Heading | Bullets | TableBlock | Region


class MarkupError(RenderError):
    """The markup a template produced does not follow the markup rules."""


_ESCAPED_STAR = "\ue000"
_ESCAPED_PIPE = "\ue001"
_EMPHASIS = re.compile(r"(\*{1,3})(?=[^\s*])(.*?[^\s*\\])\1(?!\*)", re.S)


def parse_inline(text: str, bold: bool = False, italic: bool = False) -> tuple[Run, ...]:
    """Inline markup to runs. ``\\n`` in ``text`` is a line break; ``&amp;``, ``&lt;``, ``&gt;``
    are the characters they stand for."""
    text = text.replace("\\*", _ESCAPED_STAR)
    runs = _inline(text, bold, italic)
    out: list[Run] = []
    for run in runs:
        value = unescape_text(run.text.replace(_ESCAPED_STAR, "*").replace(_ESCAPED_PIPE, "|"))
        parts = value.split("\n")
        for i, part in enumerate(parts):
            if i:
                out.append(Run("\n", run.bold, run.italic))
            if part:
                out.append(Run(part, run.bold, run.italic))
    return tuple(_merge(out))


def _inline(text: str, bold: bool, italic: bool) -> list[Run]:
    out: list[Run] = []
    pos = 0
    for match in _EMPHASIS.finditer(text):
        stars, inner = match[1], match[2]
        if match.start() > pos:
            out.append(Run(text[pos : match.start()], bold, italic))
        b = bold or len(stars) >= 2
        i = italic or len(stars) in (1, 3)
        out.extend(_inline(inner, b, i))
        pos = match.end()
    if pos < len(text):
        out.append(Run(text[pos:], bold, italic))
    return out


def _merge(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if (
            out
            and not run.is_break
            and not out[-1].is_break
            and (out[-1].bold, out[-1].italic)
            == (
                run.bold,
                run.italic,
            )
        ):
            out[-1] = Run(out[-1].text + run.text, run.bold, run.italic)
        else:
            out.append(run)
    return out


def plain_text(runs: Sequence[Run]) -> str:
    return "".join(r.text for r in runs)


def parse_markup(text: str) -> list[Block]:
    """Parse document markup into blocks; raise :class:`MarkupError` naming the line."""
    lines = text.splitlines()
    top: list[Block] = []
    current: list[Block] = top
    region: tuple[str, int] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if stripped.startswith(":::"):
            name = stripped[3:].strip()
            if name:
                if region is not None:
                    raise MarkupError(f"dòng {i + 1}: vùng `{region[0]}` (dòng {region[1]}) chưa đóng bằng `:::`")
                if name not in REGIONS:
                    raise MarkupError(
                        f"dòng {i + 1}: vùng `{name}` không có; các vùng hợp lệ: {', '.join(sorted(REGIONS))}"
                    )
                region = (name, i + 1)
                current = []
            else:
                if region is None:
                    raise MarkupError(f"dòng {i + 1}: `:::` đóng vùng nhưng không có vùng nào đang mở")
                top.append(Region(region[0], tuple(current), region[1]))
                region = None
                current = top
            i += 1
            continue
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            body = stripped[level:]
            if not body.strip() or not body.startswith(" ") or level > 6:
                raise MarkupError(f"dòng {i + 1}: tiêu đề phải là 1–6 dấu `#`, một dấu cách rồi tên mục")
            heading = body.strip()
            i += 1
            # a heading of several lines: each but the last ends in `\`, as in a paragraph
            while _hard_break(heading) and i < len(lines) and lines[i].strip() and not _starts_block(lines[i].strip()):
                heading = _join_line(heading, lines[i].strip())
                i += 1
            current.append(Heading(level, parse_inline(_unescape_lines(heading), bold=True)))
            continue
        if stripped.startswith("|"):
            start = i
            rows: list[str] = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i].strip())
                i += 1
            current.append(_table(rows, start + 1))
            continue
        if stripped.startswith("- "):
            items: list[str] = []
            while i < len(lines) and lines[i].strip() and not _starts_block(lines[i].strip(), bullet_ok=True):
                item_line = lines[i].strip()
                if item_line.startswith("- "):
                    items.append(item_line[2:])
                else:
                    items[-1] = _join_line(items[-1], item_line)
                i += 1
            current.append(Bullets(tuple(parse_inline(_unescape_lines(item)) for item in items)))
            continue
        para = stripped
        i += 1
        while i < len(lines) and lines[i].strip() and not _starts_block(lines[i].strip()):
            para = _join_line(para, lines[i].strip())
            i += 1
        current.append(Paragraph(parse_inline(_unescape_lines(para))))
    if region is not None:
        raise MarkupError(f"dòng {region[1]}: vùng `{region[0]}` chưa đóng bằng `:::`")
    return top


def _starts_block(line: str, bullet_ok: bool = False) -> bool:
    if line.startswith("- "):
        return not bullet_ok
    return line.startswith((":::", "#", "|"))


def _hard_break(line: str) -> bool:
    """The line ends in ``\\`` (a line break), not in an escaped backslash."""
    return line.endswith("\\") and not line.endswith("\\\\")


def _join_line(previous: str, line: str) -> str:
    if _hard_break(previous):
        return previous[:-1] + "\n" + line
    return previous + " " + line


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("\\") and text[1:2] in ("#", "|", ":", "-", "\\") else text


def _unescape_lines(text: str) -> str:
    return "\n".join(_unescape(part) for part in text.split("\n"))


_ALIGN = {(True, True): "center", (False, True): "right", (True, False): "left", (False, False): "left"}


def _cells(row: str) -> list[str]:
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    inner = inner.replace("\\|", _ESCAPED_PIPE)
    return [cell.strip() for cell in inner.split("|")]


def _table(rows: list[str], line: int) -> TableBlock:
    if len(rows) < 2:
        raise MarkupError(f"dòng {line}: bảng cần một dòng tiêu đề và một dòng phân cách `|---|`")
    header = _cells(rows[0])
    separator = _cells(rows[1])
    if len(separator) != len(header) or not all(re.fullmatch(r":?-+:?", s) for s in separator):
        raise MarkupError(f"dòng {line + 1}: dòng phân cách của bảng phải có dạng `|---|:--:|` cho {len(header)} cột")
    align = tuple(_ALIGN[(s.startswith(":"), s.endswith(":"))] for s in separator)
    widths = tuple(max(1, s.count("-")) for s in separator)
    body: list[tuple[tuple[Run, ...], ...]] = []
    for k, row in enumerate(rows[2:], start=2):
        cells = _cells(row)
        if len(cells) != len(header):
            raise MarkupError(f"dòng {line + k}: dòng bảng có {len(cells)} ô, bảng có {len(header)} cột")
        body.append(tuple(_cell(c) for c in cells))
    return TableBlock(tuple(_cell(c, bold=True) for c in header), tuple(body), align, widths)


def _cell(text: str, bold: bool = False) -> tuple[Run, ...]:
    return parse_inline(re.sub(r"<br\s*/?>", "\n", text), bold=bold)


# ---------------------------------------------------------------------------
# Blocks → HTML
# ---------------------------------------------------------------------------

_CSS = """
body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 14pt; color: #000;
       width: 165mm; margin: 20mm auto; line-height: 1.2; }
p { margin: 0; }
p.body { margin: 0 0 6pt 0; text-align: justify; text-indent: 1cm; }
p.heading { margin: 0 0 6pt 0; text-align: justify; text-indent: 1cm; font-weight: bold; }
p.minor { font-style: italic; }
p.center { margin: 0 0 6pt 0; text-align: center; }
p.right { margin: 0 0 6pt 0; text-align: right; }
p.title { text-align: center; font-weight: bold; }
p.head { text-align: center; font-size: 13pt; }
p.motto { text-align: center; font-size: 12pt; }
p.motto-last { text-align: center; font-size: 13pt; }
p.numdate { text-align: center; font-size: 13pt; margin-top: 6pt; }
p.lead { font-size: 12pt; }
p.recipient { font-size: 11pt; }
p.sign { text-align: center; font-weight: bold; }
p.signed { text-align: center; font-weight: bold; margin-top: 60pt; }
div.rule { border-bottom: 1px solid #000; margin: 2pt auto 0 auto; height: 0; }
table.layout { width: 100%; border-collapse: collapse; margin: 0 0 12pt 0; }
table.layout td { vertical-align: top; padding: 0 4pt; }
table.grid { border-collapse: collapse; width: 100%; margin: 6pt 0; font-size: 12pt; }
table.grid th, table.grid td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: middle; }
div.pagebreak { page-break-after: always; break-after: page; }
"""

_PARAGRAPH_CLASS = {"center": "center", "right": "right", "title": "title"}


def to_html(blocks: Sequence[Block], title: str) -> str:
    """A standalone HTML page laid out like the paper document (one class per element, so
    that simple renderers and mail clients show it too)."""
    body: list[str] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Region) and block.name in HEADER_REGIONS:
            group, i = group_regions(blocks, i, HEADER_REGIONS)
            body.append(_html_header(group))
            continue
        if isinstance(block, Region) and block.name in ("recipients", "signature"):
            group, i = group_regions(blocks, i, ("recipients", "signature"))
            body.append(_html_closing(group))
            continue
        body.append(_html_block(block))
        i += 1
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def group_regions(blocks: Sequence[Block], start: int, names: Sequence[str]) -> tuple[dict[str, Region], int]:
    """The run of regions named in ``names`` from ``start`` on (each once), and where it ends.

    The header regions (agency, motto, number, place and date) and the closing pair (recipients,
    signature) sit side by side on the page; both writers lay each run out as one table.
    """
    group: dict[str, Region] = {}
    i = start
    while i < len(blocks):
        block = blocks[i]
        if not isinstance(block, Region) or block.name not in names or block.name in group:
            break
        group[block.name] = block
        i += 1
    return group, i


def html_runs(runs: Sequence[Run]) -> str:
    out: list[str] = []
    for run in runs:
        if run.is_break:
            out.append("<br>")
            continue
        text = html.escape(run.text).replace("  ", "&nbsp; ")
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _p(cls: str, runs: Sequence[Run]) -> str:
    return f'<p class="{cls}">{html_runs(runs)}</p>'


def _html_block(block: Block, cls: str = "body") -> str:
    if isinstance(block, Paragraph):
        return _p(cls, block.runs)
    if isinstance(block, Heading):
        return _p("heading minor" if block.level >= 4 else "heading", block.runs)
    if isinstance(block, Bullets):
        return "\n".join(_p(cls, (Run("- "), *item)) for item in block.items)
    if isinstance(block, TableBlock):
        total = sum(block.widths)
        cols = "".join(f'<col style="width:{w * 100 / total:.1f}%">' for w in block.widths)
        head = "".join(f'<th style="text-align:center">{html_runs(c)}</th>' for c in block.header)
        rows = "".join(
            "<tr>"
            + "".join(f'<td style="text-align:{a}">{html_runs(c)}</td>' for c, a in zip(row, block.align, strict=True))
            + "</tr>"
            for row in block.rows
        )
        return (
            f'<table class="grid"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    if block.name == "pagebreak":
        return '<div class="pagebreak"></div>'
    inner = "\n".join(_html_block(b, _PARAGRAPH_CLASS.get(block.name, "body")) for b in block.blocks)
    if block.name == "title":
        inner = f'<div style="margin:12pt 0">{inner}<div class="rule" style="width:30mm"></div></div>'
    return inner


def _html_header(group: dict[str, Region]) -> str:
    def cell(name: str, width: str) -> str:
        region = group.get(name)
        if region is None:
            return f'<td style="width:{width}"></td>'
        paragraphs = [b for b in region.blocks if isinstance(b, Paragraph)]
        inner = ""
        if name in ("issuer", "motto"):
            lines = [line for p in paragraphs for line in split_lines(p.runs)]
            classes = ["head"] * len(lines)
            if name == "motto":
                classes = ["motto"] * (len(lines) - 1) + ["motto-last"]
            inner = "".join(_p(c, line) for c, line in zip(classes, lines, strict=True))
            rule = "56mm" if name == "motto" else "35%"
            inner += f'<div class="rule" style="width:{rule}"></div>'
        else:
            inner = "".join(_p("numdate", p.runs) for p in paragraphs)
        return f'<td style="width:{width}">{inner}</td>'

    rows = f"<tr>{cell('issuer', '41%')}{cell('motto', '59%')}</tr>"
    if "number" in group or "date" in group:
        rows += f"<tr>{cell('number', '41%')}{cell('date', '59%')}</tr>"
    return f'<table class="layout">{rows}</table>'


def split_lines(runs: Sequence[Run]) -> list[tuple[Run, ...]]:
    """Runs cut at their line breaks (the header lays out one paragraph per line)."""
    out: list[list[Run]] = [[]]
    for run in runs:
        if run.is_break:
            out.append([])
        else:
            out[-1].append(run)
    return [tuple(line) for line in out if line]


def _html_closing(group: dict[str, Region]) -> str:
    left: list[str] = []
    for b in group["recipients"].blocks if "recipients" in group else ():
        if isinstance(b, Bullets):
            left.extend(_p("recipient", (Run("- "), *item)) for item in b.items)
        elif isinstance(b, Paragraph | Heading):
            left.append(_p("lead", b.runs))
    right: list[str] = []
    paragraphs = [b for b in group["signature"].blocks if isinstance(b, Paragraph)] if "signature" in group else []
    for k, p in enumerate(paragraphs):
        right.append(_p("signed" if k == len(paragraphs) - 1 and k > 0 else "sign", p.runs))
    return (
        '<table class="layout" style="margin-top:6pt"><tr>'
        f'<td style="width:45%">{"".join(left)}</td><td style="width:55%">{"".join(right)}</td>'
        "</tr></table>"
    )
