"""What goes wrong while rendering a document, said in Vietnamese for the user."""

from __future__ import annotations

import re
from collections.abc import Callable

#: The longest message isoprov prints about a template: a message quoting a huge value (the
#: 1,000,000-character string a template built) must stay readable.
MAX_MESSAGE = 1000


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` at most ``limit`` characters: its start and its end, the middle left out."""
    if len(text) <= limit:
        return text
    head = limit * 2 // 3
    tail = limit - head - 40  # the marker in between
    return f"{text[:head]} … (bỏ bớt {len(text) - head - tail:,} ký tự) … {text[-tail:]}".replace(",", ".")


class RenderError(Exception):
    """A template or markup problem, with a Vietnamese message for the user (at most
    :data:`MAX_MESSAGE` characters)."""

    def __init__(self, message: str) -> None:
        super().__init__(clip(message))


#: Jinja's names for where a parse stopped, as a template writer sees them.
_TOKENS = {
    "end of statement block": "`%}`",
    "end of print statement": "`}}`",
    "end of template": "cuối mẫu",
    "name": "một tên",
}


def _token(text: str) -> str:
    return _TOKENS.get(text, f"«{text}»")


def _tags(text: str) -> str:
    """``'endfor' or 'else'`` → ``{% endfor %} hoặc {% else %}``."""
    return " hoặc ".join(f"`{{% {tag} %}}`" for tag in re.findall(r"'(\w+)'", text))


#: Jinja's syntax messages (jinja2.TemplateSyntaxError.message) and how a template writer reads them.
_SYNTAX: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern), say)
    for pattern, say in (
        (
            r"Unexpected end of template\. Jinja was looking for the following tags: (.+)\. "
            r"The innermost block that needs to be closed is '(\w+)'\.",
            lambda m: f"mẫu kết thúc khi khối `{m[2]}` chưa đóng; thiếu {_tags(m[1])}",
        ),
        (
            r"Encountered unknown tag '(\w+)'\. Jinja was looking for the following tags: (.+)\. "
            r"The innermost block that needs to be closed is '(\w+)'\.",
            lambda m: f"thẻ `{{% {m[1]} %}}` đặt sai chỗ: khối `{m[3]}` đang mở cần {_tags(m[2])} trước",
        ),
        (r"Encountered unknown tag '(\w+)'\.?", lambda m: f"thẻ `{{% {m[1]} %}}` không có (hoặc thiếu thẻ mở của nó)"),
        (r"Expected an expression, got '(.+)'", lambda m: f"thiếu biểu thức trước {_token(m[1])}"),
        (r"expected token '(.+)', got '(.+)'", lambda m: f"cần {_token(m[1])} nhưng gặp {_token(m[2])}"),
        (r"unexpected '(.+)', expected '(.+)'", lambda m: f"gặp {_token(m[1])} trong khi cần {_token(m[2])}"),
        (r"unexpected '(.+)'", lambda m: f"gặp {_token(m[1])} không đúng chỗ (thiếu giá trị?)"),
        (
            r"unexpected char ['\"](.)['\"] at \d+",
            lambda m: f"ký tự «{m[1]}» không hợp lệ ở đây (chuỗi chưa đóng ngoặc?)",
        ),
        (r"expected name or number", lambda m: "sau dấu `.` cần một tên trường hoặc một số"),
    )
)


def syntax_message(message: str) -> str:
    """A Jinja syntax error in Vietnamese; one not in the table keeps Jinja's words, marked as such."""
    for pattern, say in _SYNTAX:
        found = pattern.fullmatch(message.strip())
        if found is not None:
            return say(found)
    return f"(lời báo của Jinja) {message}"
