"""Jinja's syntax errors reach the template writer in Vietnamese (documents.errors.syntax_message)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from isoprov.documents.errors import syntax_message
from tests import ROOT
from tests.clirun import invoke

CASES = [
    ("{% for x in %}", "thiếu biểu thức trước `%}`"),
    ("{% for x in y %}", "khối `for` chưa đóng; thiếu `{% endfor %}` hoặc `{% else %}`"),
    ("{% if a %}x", "khối `if` chưa đóng; thiếu `{% elif %}` hoặc `{% else %}` hoặc `{% endif %}`"),
    ("{% foo %}", "thẻ `{% foo %}` không có"),
    ("{% for x in y %}{% endif %}", "thẻ `{% endif %}` đặt sai chỗ: khối `for` đang mở cần `{% endfor %}`"),
    ("{{ a b }}", "cần `}}` nhưng gặp «b»"),
    ("{{ a +  }}", "gặp `}}` không đúng chỗ"),
    ("{{ a | }}", "cần một tên nhưng gặp `}}`"),
    ("{{ 'a }}", "ký tự «'» không hợp lệ ở đây"),
    ("{{ a[ }}", "gặp «}» trong khi cần «]»"),
    ("{{ a.}}", "sau dấu `.` cần một tên trường hoặc một số"),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_jinja_syntax_errors_are_said_in_vietnamese(source: str, expected: str) -> None:
    with pytest.raises(jinja2.TemplateSyntaxError) as caught:
        jinja2.Environment().from_string(source)
    said = syntax_message(caught.value.message or "")
    assert expected in said and "Jinja was looking" not in said and "expected" not in said


def test_an_unknown_message_keeps_jinjas_words_marked() -> None:
    assert syntax_message("something new") == "(lời báo của Jinja) something new"


def test_the_render_command_says_it(tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "mau.md.j2").write_text("dòng 1\n{% for x in %}\n", encoding="utf-8")
    run = invoke(
        [
            "render",
            "plan",
            ROOT / "examples/bac-giang-2015/ke-hoach-52.yaml",
            "--template",
            folder / "mau.md.j2",
            "-o",
            folder / "kh.md",
        ]
    )
    assert run.exit_code == 1
    assert "mau.md.j2:2: mẫu có lỗi cú pháp Jinja: thiếu biểu thức trước `%}`" in run.stderr
    assert not (folder / "kh.md").exists()
