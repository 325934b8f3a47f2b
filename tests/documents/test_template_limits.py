"""Bounded templates (issue 15, point 5): a time limit per render (``--timeout``, default 10 s),
a size cap checked *before* a string is built by ``~``, ``+``, ``*``, ``join``, ``replace``,
``format``, ``indent`` or a string method, a cap on the whole document, messages of bounded
length, and ``render report`` searching no folder outside the data file's tree unless allowed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from isoprov.documents.errors import MAX_MESSAGE, RenderError, clip
from tests import DATA, ROOT
from tests.clirun import invoke

EXAMPLE = ROOT / "examples" / "bac-giang-2015" / "ke-hoach-52.yaml"
REPORT = DATA / "render" / "bao-cao"


def render_with(tmp_path: Path, text: str, *extra: str) -> tuple[Any, Path]:
    template = tmp_path / "mau" / "rieng.md.j2"
    template.parent.mkdir(exist_ok=True)
    template.write_text(text, encoding="utf-8")
    out = tmp_path / "vb.md"
    result = invoke(["render", "plan", str(EXAMPLE), "-o", str(out), "--template", str(template), *extra])
    return result, out


@pytest.mark.parametrize(
    "text",
    [
        # loops that call range() on each turn
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        # loops over a list made once: nothing is called inside (the timer signal stops them)
        "{% set x = range(100000) | list %}{% for a in x %}{% for b in x %}{% endfor %}{% endfor %}",
    ],
)
def test_a_render_stops_at_its_time_limit(tmp_path: Path, text: str) -> None:
    result, out = render_with(tmp_path, text, "--timeout", "0.5")
    assert result.exit_code == 1 and not out.exists()
    assert "quá 0,5 giây" in result.stderr and "--timeout" in result.stderr and "rieng.md.j2" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_time_limit_leaves_no_timer_behind(tmp_path: Path) -> None:
    import signal

    before = signal.getsignal(signal.SIGALRM)
    result, _ = render_with(tmp_path, "{{ doc.header.title }}\n", "--timeout", "0.5")
    assert result.exit_code == 0
    assert signal.getsignal(signal.SIGALRM) == before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ('{% set ns = namespace(s="x") %}{% for i in range(25) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}', "`~`"),
        ('{{ "x" * 900000 + "y" * 900000 }}', "`+`"),
        ('{{ range(100000) | map("string") | join("x" * 100000) }}', "`join`"),
        ('{{ ("a" * 1000000) | replace("a", "aaaa") }}', "`replace`"),
        ('{{ "%s%s" | format("x" * 900000, "y" * 900000) }}', "`format`"),
        ('{{ ("a\\n" * 500000) | indent(100) }}', "`indent`"),
        ('{{ ("x" * 100000).join(["a"] * 100) }}', "`join`"),
        ('{{ ("a" * 1000000).replace("a", "bb") }}', "`replace`"),
        ('{{ ("\\t" * 1000000).expandtabs(8) }}', "`expandtabs`"),
    ],
)
def test_strings_are_capped_before_they_are_built(tmp_path: Path, text: str, what: str) -> None:
    result, out = render_with(tmp_path, text + "\n")
    assert result.exit_code == 1 and not out.exists()
    assert what in result.stderr and "1.000.000" in result.stderr and "Traceback" not in result.stderr


def test_ordinary_strings_still_build(tmp_path: Path) -> None:
    text = '{{ ["a", "b"] | join(", ") }} {{ "x" ~ "y" }} {{ "a-b" | replace("-", " ") }} {{ "%s!" | format("z") }}\n'
    result, out = render_with(tmp_path, text, "--markdown", "pandoc")
    assert result.exit_code == 0, result.stderr
    assert out.read_text("utf-8") == "a, b xy a b z!\n"


def test_the_whole_document_is_capped(tmp_path: Path) -> None:
    result, out = render_with(tmp_path, '{% for i in range(60) %}{{ "x" * 1000000 }}{% endfor %}\n')
    assert result.exit_code == 1 and not out.exists()
    assert "50.000.000" in result.stderr


def test_a_message_quoting_a_huge_value_stays_short(tmp_path: Path) -> None:
    result, _ = render_with(tmp_path, '{{ ("x" * 1000000) | so }}\n')
    assert result.exit_code == 1 and "bộ lọc `so`" in result.stderr
    assert len(result.stderr) < MAX_MESSAGE + 200


def test_clip_keeps_both_ends() -> None:
    text = "đầu " + "x" * 5000 + " cuối"
    clipped = clip(text, 300)
    assert len(clipped) <= 300 and clipped.startswith("đầu ") and clipped.endswith(" cuối") and "bỏ bớt" in clipped
    assert clip("ngắn", 300) == "ngắn"
    assert len(str(RenderError("y" * 100_000))) <= MAX_MESSAGE


def report_in(tmp_path: Path, assessments: str) -> Path:
    folder = tmp_path / "bao-cao"
    shutil.copytree(REPORT, folder)
    data = folder / "bao-cao.yaml"
    data.write_text(
        data.read_text("utf-8").replace("  assessments: danh-gia\n", f"  assessments: {assessments}\n"), "utf-8"
    )
    return data


def test_report_refuses_a_folder_outside_its_tree(tmp_path: Path) -> None:
    data = report_in(tmp_path, "/")
    result = invoke(["render", "report", str(data), "-o", str(tmp_path / "bc.md")])
    assert result.exit_code == 1 and not (tmp_path / "bc.md").exists()
    assert "bao-cao.yaml:13:" in result.stderr and "--allow-folder /" in result.stderr


def test_report_searches_an_allowed_folder_and_says_how_many_files(tmp_path: Path) -> None:
    shutil.copytree(REPORT / "danh-gia", tmp_path / "nop")
    data = report_in(tmp_path, "../nop")
    out = tmp_path / "bc.md"
    refused = invoke(["render", "report", str(data), "-o", str(out)])
    assert refused.exit_code == 1 and "ngoài thư mục của tệp dữ liệu" in refused.stderr
    result = invoke(["render", "report", str(data), "-o", str(out), "--allow-folder", str(tmp_path / "nop")])
    assert result.exit_code == 0, result.stderr
    assert "đã đọc 4 tệp tự đánh giá (.yaml, .xlsx) từ `../nop`" in result.stderr  # the folder as written


def test_report_reads_files_named_outside_its_tree(tmp_path: Path) -> None:
    shutil.copytree(REPORT / "danh-gia", tmp_path / "nop")
    names = ", ".join(f"../nop/{p.name}" for p in sorted((tmp_path / "nop").glob("*.yaml")))
    data = report_in(tmp_path, f"[{names}]")
    result = invoke(["render", "report", str(data), "-o", str(tmp_path / "bc.md")])
    assert result.exit_code == 0, result.stderr
    assert "đã đọc 4 tệp tự đánh giá" in result.stderr


def test_a_long_table_from_the_shipped_macros_is_not_capped(tmp_path: Path) -> None:
    """A macro's text (the whole table) is bounded by the document's cap, not by one string's."""
    cell = "Nội dung kiểm tra " * 8
    rows = [f'            - ["{k}.", "{cell}{k}", "Sở KH&CN", "Quý {k % 4 + 1}"]' for k in range(8000)]
    attachment = [
        "attachments:",
        "  - title: Danh sách",
        "    body:",
        "      - table:",
        "          columns: [TT, A, B, C]",
        "          rows:",
        *rows,
    ]
    data = tmp_path / "kh.yaml"
    data.write_text(EXAMPLE.read_text("utf-8") + "\n" + "\n".join(attachment) + "\n", "utf-8")
    out = tmp_path / "kh.md"
    result = invoke(["render", "plan", str(data), "-o", str(out), "--markdown", "pandoc"])
    assert result.exit_code == 0, result.stderr
    assert len(out.read_text("utf-8")) > 1_000_000
