"""Plain Markdown output (issue 12): ``-o X.md`` writes CommonMark with GitHub's tables, which
every viewer shows (no pandoc ``:::`` blocks printed as text); ``--markdown pandoc`` writes the
document markup. Read back with markdown-it-py (CommonMark, the table extension)."""

from __future__ import annotations

from pathlib import Path

import pytest

from isoprov.documents.blocks import Paragraph
from isoprov.documents.gfm import to_gfm
from isoprov.documents.markup import parse_markup
from tests import ROOT
from tests.clirun import invoke

markdown_it = pytest.importorskip("markdown_it")

EXAMPLES = ROOT / "examples"
DOCUMENTS = [
    ("plan", "bac-giang-2015/ke-hoach-52.yaml"),
    ("notice", "bac-giang-2017/thong-bao-307.yaml"),
    ("plan", "bac-giang-2020/ke-hoach.yaml"),
    ("report", "bac-giang-2020/bao-cao.yaml"),
    ("decision", "nghe-an-2012/quyet-dinh-37.yaml"),
    ("plan", "binh-phuoc-2021/ke-hoach-kiem-tra.yaml"),
]


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def to_html(markdown: str) -> str:
    return str(markdown_it.MarkdownIt("commonmark").enable("table").render(markdown))


def render(tmp_path: Path, kind: str, data: str, *extra: str) -> str:
    out = tmp_path / "vb.md"
    result = invoke(["render", kind, str(EXAMPLES / data), "-o", str(out), *extra])
    assert result.exit_code == 0, result.stderr
    return out.read_text("utf-8")


@pytest.mark.parametrize(("kind", "data"), DOCUMENTS, ids=[d for _, d in DOCUMENTS])
def test_markdown_by_default_shows_no_markup_of_its_own(tmp_path: Path, kind: str, data: str) -> None:
    markdown = render(tmp_path, kind, data)
    assert ":::" not in markdown
    html = to_html(markdown)
    assert ":::" not in html
    # the header is a two-column table: issuing body | Quốc hiệu and Tiêu ngữ
    assert html.startswith("<table>")
    first_row = html.split("</tr>", 1)[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first_row and "Độc lập - Tự do - Hạnh phúc" in first_row
    assert "<strong>" in html and "<p>" in html


def test_sections_are_thematic_breaks_and_blanks_stay(tmp_path: Path) -> None:
    markdown = render(tmp_path, "plan", "bac-giang-2020/ke-hoach.yaml")
    html = to_html(markdown)
    assert html.count("<hr />") == 1  # the budget appendix
    assert "Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/KH-BCĐ" in html  # the blank for the number kept
    assert "<em>Bắc Giang, ngày\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0tháng 02 năm 2020</em>" in html
    assert "<strong>KT. TRƯỞNG BAN<br />\nPHÓ TRƯỞNG BAN</strong>" in html
    assert '<td style="text-align:right"><strong>126</strong></td>' in html


def test_pandoc_form_on_request_is_the_document_markup(tmp_path: Path) -> None:
    markup = render(tmp_path, "decision", "nghe-an-2012/quyet-dinh-37.yaml", "--markdown", "pandoc")
    assert markup.startswith("::: issuer\n") and "::: section\n:::" in markup
    assert parse_markup(markup)
    assert to_gfm(markup) == render(tmp_path, "decision", "nghe-an-2012/quyet-dinh-37.yaml", "--markdown", "gfm")


def test_markdown_form_only_for_md(tmp_path: Path) -> None:
    out = tmp_path / "vb.docx"
    result = invoke(
        ["render", "plan", str(EXAMPLES / "bac-giang-2020/ke-hoach.yaml"), "-o", str(out), "--markdown", "gfm"]
    )
    assert result.exit_code == 2 and "--markdown" in result.stderr and not out.exists()


def test_a_pipe_in_the_header_stays_in_its_cell() -> None:
    markup = "::: issuer\n**SỞ A \\| B**\\\n**C|D**\n:::\n\n::: motto\n**X**\n:::\n"
    markdown = to_gfm(markup)
    assert markdown.splitlines()[0] == "| **SỞ A \\| B**<br>**C\\|D** | **X** |"
    assert to_html(markdown).count("<th ") == 2


def test_an_escaped_list_number_is_plain_text_in_word_and_html() -> None:
    # CommonMark: "1\. x" is the paragraph "1. x", not a list; the DOCX and HTML say the same
    blocks = parse_markup("1\\. Đơn vị kiểm tra: Sở Khoa học và Công nghệ.\n\n12\\) Mười hai\n")
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == [
        "1. Đơn vị kiểm tra: Sở Khoa học và Công nghệ.",
        "12) Mười hai",
    ]
