"""The Jinja environment every template runs in, and running a template to document markup.

Every template (shipped or the user's) runs in the sandbox (:mod:`.sandbox`) with
``StrictUndefined``: a field the data does not have is an error naming it, never a blank in a
signed document; so is printing an empty field, a function or a whole mapping or list
(:mod:`.printable`). Jinja's errors come back as :class:`RenderError` in Vietnamese, with the
template's file and line.
"""

from __future__ import annotations

import functools
import linecache
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isoprov.core.resources import shipped_dir
from isoprov.core.vietnamese import format_number
from isoprov.documents.errors import RenderError, syntax_message
from isoprov.documents.filters import FILTERS
from isoprov.documents.markup import lower_references, unescape_text
from isoprov.documents.printable import PrintError, check_printable, finalize
from isoprov.documents.sandbox import (
    DEFAULT_TIME_LIMIT,
    bounded_output,
    check_size,
    guard_string_builder,
    sandbox_class,
    time_limit,
)

if TYPE_CHECKING:
    import jinja2
    import jinja2.sandbox

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


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
        # `upper`, `title` on escaped text: `&AMP;` back to `&amp;`
        return lower_references(result) if isinstance(result, str) else result

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
    env = sandbox_class()(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    for name in _TEXT_FILTERS:
        if name in env.filters:
            env.filters[name] = _guard_text_filter(name, env.filters[name])
    for name in ("join", "replace", "format", "indent", "wordwrap"):
        env.filters[name] = guard_string_builder(name, env.filters[name])
    for name in ("default", "d"):
        env.filters[name] = _strict_default(env.filters[name])
    env.filters.update(FILTERS)
    env.globals.update({"QUOC_HIEU": QUOC_HIEU, "TIEU_NGU": TIEU_NGU})
    return env


def render_markup(
    kind: str, context: dict[str, Any], template: Path | None = None, seconds: float = DEFAULT_TIME_LIMIT
) -> str:
    """Render the kind's template (or the user's ``template``) to document markup, in at most
    ``seconds``."""
    env = environment(template.parent if template is not None else None)
    name = template.name if template is not None else template_name(kind)
    return normalise_markup(_render(lambda: env.get_template(name), context, name, seconds))


def render_string(
    text: str, context: dict[str, Any], name: str = "giấy tiêu đề", seconds: float = DEFAULT_TIME_LIMIT
) -> str:
    """Render a small template string (a letterhead placeholder) in the same sandbox."""
    env = environment()
    # the letterhead's text is written as it is, not read as markup: no escaped characters
    return unescape_text(_render(lambda: env.from_string(text), context, name, seconds))


def _render(load: Callable[[], jinja2.Template], context: dict[str, Any], name: str, seconds: float) -> str:
    import jinja2
    import jinja2.exceptions
    import jinja2.sandbox

    try:
        with time_limit(seconds):
            return bounded_output(load().generate(context))
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            f"{_where(exc.filename or name, exc.lineno)}: mẫu có lỗi cú pháp Jinja: {syntax_message(exc.message or '')}"
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
