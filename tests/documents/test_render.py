"""``isoprov render`` (SPEC §7): filters, the sandbox, StrictUndefined, the document markup, the
golden Markdown of every example, HTML, and the command's exit codes.

Golden files live in ``tests/golden``; refresh them only on purpose:
``ISOPROV_UPDATE_GOLDEN=1 python -m pytest tests/documents/test_render.py``.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from isoprov.documents.blocks import Bullets, Heading, Paragraph, Region, Run, TableBlock, plain_text
from isoprov.documents.errors import RenderError
from isoprov.documents.filters import bang_chu, doan, ngay, noi_nhan, o, so, so_hieu
from isoprov.documents.markup import MarkupError, parse_inline, parse_markup
from tests import DATA, GOLDEN, ROOT
from tests.clirun import invoke

EXAMPLES = ROOT / "examples"
DATA = DATA / "render"

#: (kind, example data, golden name) — every seed reproduced from data
CASES = [
    ("plan", "bac-giang-2015/ke-hoach-52.yaml", "bac-giang-2015-ke-hoach-52"),
    ("notice", "bac-giang-2017/thong-bao-307.yaml", "bac-giang-2017-thong-bao-307"),
    ("plan", "bac-giang-2020/ke-hoach.yaml", "bac-giang-2020-ke-hoach"),
    ("decision", "nghe-an-2012/quyet-dinh-37.yaml", "nghe-an-2012-quyet-dinh-37"),
    ("plan", "binh-phuoc-2021/ke-hoach-kiem-tra.yaml", "binh-phuoc-2021-ke-hoach-kiem-tra"),
]
REPORT = EXAMPLES / "bac-giang-2020" / "bao-cao.yaml"
if REPORT.exists():
    CASES.append(("report", "bac-giang-2020/bao-cao.yaml", "bac-giang-2020-bao-cao"))


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    # ./norms and ./criteria are on the search paths: run where a user of the checkout would
    monkeypatch.chdir(ROOT)


def render(*args: str | Path) -> Any:
    """``isoprov render ARGS``; a ``.md`` output in the pandoc form (the document markup these
    tests read) unless the test names a form."""
    shown = [str(a) for a in args]
    if any(a.endswith(".md") for a in shown) and "--markdown" not in shown:
        shown += ["--markdown", "pandoc"]
    return invoke(["render", *shown])


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.md"
    if os.environ.get("ISOPROV_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"thiếu {path}; tạo bằng ISOPROV_UPDATE_GOLDEN=1 python -m pytest {__file__}"
    assert text == path.read_text(encoding="utf-8"), f"{name}: khác tệp mẫu {path}"


# ---------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2015, 9, 8), "ngày 08 tháng 9 năm 2015"),
        (dt.date(2012, 1, 4), "ngày 04 tháng 01 năm 2012"),
        ({"year": 2020, "month": 2, "day": None}, "ngày      tháng 02 năm 2020"),
        ({"year": 2021, "month": None, "day": None}, "ngày      tháng      năm 2021"),
        ({"year": 2017, "month": 9, "day": 15}, "ngày 15 tháng 9 năm 2017"),
        ("2020-02-15", "ngày 15 tháng 02 năm 2020"),  # a date in the data arrives as its text
        ("2021-12", "ngày      tháng 12 năm 2021"),
    ],
)
def test_ngay_writes_the_decree_date_with_blanks_for_a_draft(value: Any, expected: str) -> None:
    assert ngay(value) == expected


def test_so_and_bang_chu_follow_vietnamese_financial_writing() -> None:
    assert so(Decimal("126000000")) == "126.000.000"
    assert so(Decimal("24.40")) == "24,4"
    assert so(Decimal("82.2"), 2) == "82,20"
    assert bang_chu(Decimal("126000000")) == "Một trăm hai mươi sáu triệu đồng chẵn"
    with pytest.raises(RenderError):
        so("126")


@pytest.mark.parametrize("filter_", [ngay, so, bang_chu, doan])
def test_filters_refuse_an_empty_field_without_showing_none(filter_: Any) -> None:
    with pytest.raises(RenderError, match="để trống") as info:
        filter_(None)
    assert "None" not in str(info.value)


@pytest.mark.parametrize(("number", "expected"), [(52, "52/KH-BCĐ"), (5, "05/KH-BCĐ"), (None, "      /KH-BCĐ")])
def test_so_hieu_pads_numbers_below_ten_and_leaves_a_draft_blank(number: int | None, expected: str) -> None:
    assert so_hieu({"number": number, "symbol": "KH-BCĐ"}) == expected


def test_noi_nhan_ends_each_line_with_semicolon_and_the_last_with_a_full_stop() -> None:
    assert noi_nhan(["Như trên", "Sở KH&CN;", "Lưu: VT, Nam.CN."]) == [
        "Như trên;",
        "Sở KH&CN;",
        "Lưu: VT, Nam.CN.",
    ]


def test_doan_keeps_text_that_looks_like_markup_as_text() -> None:
    assert doan("# không phải tiêu đề") == "\\# không phải tiêu đề"
    assert doan("dòng 1\n- dòng 2") == "dòng 1\\\n\\- dòng 2"
    assert doan("đoạn 1\n\nđoạn 2") == "đoạn 1\n\nđoạn 2"
    assert o("a | b\nc") == "a \\| b<br>c"


def test_doan_keeps_a_leading_number_from_starting_a_list() -> None:
    # "2. Tổ chức …" in the data is that text, not item 2 of a numbered list in the Markdown,
    # and the same text in Word and HTML
    assert (
        doan("2. Tổ chức thực hiện\n3) Báo cáo\nNăm 2021. Hết")
        == "2\\. Tổ chức thực hiện\\\n3\\) Báo cáo\\\nNăm 2021. Hết"
    )
    (paragraph,) = parse_markup(doan("2. Tổ chức thực hiện"))
    assert isinstance(paragraph, Paragraph) and paragraph.text == "2. Tổ chức thực hiện"


# ---------------------------------------------------------------------------
# Markup
# ---------------------------------------------------------------------------


def test_inline_emphasis() -> None:
    assert parse_inline("a **đậm** *nghiêng* ***cả hai***") == (
        Run("a "),
        Run("đậm", bold=True),
        Run(" "),
        Run("nghiêng", italic=True),
        Run(" "),
        Run("cả hai", bold=True, italic=True),
    )


@pytest.mark.parametrize("text", ["* Chuẩn bị:", "5 * 3 = 15", "\\*không nghiêng\\*"])
def test_a_star_that_opens_nothing_stays_a_star(text: str) -> None:
    (run,) = parse_inline(text)
    assert not run.italic and "*" in run.text


def test_markup_blocks() -> None:
    blocks = parse_markup(
        "::: date\n*Bắc Giang*\n:::\n\n## I. Mục đích\n\n- một\n- hai\n\ndòng 1\\\ndòng 2\n\n"
        "| TT | Nội dung |\n|:--:|---------:|\n| 1. | a \\| b<br>c |\n"
    )
    region, heading, bullets, paragraph, table = blocks
    assert isinstance(region, Region) and region.name == "date"
    assert isinstance(heading, Heading) and heading.level == 2 and heading.text == "I. Mục đích"
    assert isinstance(bullets, Bullets) and len(bullets.items) == 2
    assert isinstance(paragraph, Paragraph) and paragraph.runs[1].is_break
    assert isinstance(table, TableBlock)
    assert table.align == ("center", "right") and table.widths == (2, 9)
    assert [r.text for r in table.rows[0][1]] == ["a | b", "\n", "c"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("::: banner\nx\n:::\n", "vùng `banner` không có"),
        ("::: title\nx\n", "chưa đóng"),
        (":::\n", "không có vùng nào đang mở"),
        ("| a | b |\n| x |\n", "dòng phân cách"),
        ("| a | b |\n|---|---|\n| 1 |\n", "có 1 ô, bảng có 2 cột"),
    ],
)
def test_bad_markup_names_its_line(text: str, problem: str) -> None:
    with pytest.raises(MarkupError, match="dòng") as info:
        parse_markup(text)
    assert problem in str(info.value)


# ---------------------------------------------------------------------------
# Golden Markdown: every seed from data
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["gfm", "pandoc"])
@pytest.mark.parametrize(("kind", "data", "name"), CASES, ids=[c[2] for c in CASES])
def test_golden_markdown(kind: str, data: str, name: str, form: str, tmp_path: Path) -> None:
    """The plain Markdown (``NAME.md``, the default) and the document markup (``NAME.pandoc.md``)."""
    out = tmp_path / "out.md"
    result = render(kind, EXAMPLES / data, "-o", out, "--markdown", form)
    assert result.exit_code == 0, result.stderr
    check_golden(name if form == "gfm" else f"{name}.pandoc", out.read_text(encoding="utf-8"))


def test_plan_2020_carries_everything_in_the_seed(tmp_path: Path) -> None:
    out = tmp_path / "ke-hoach.md"
    assert render("plan", EXAMPLES / "bac-giang-2020/ke-hoach.yaml", "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    for expected in (
        "Số:       /KH-BCĐ",
        "*Bắc Giang, ngày      tháng 02 năm 2020*",
        "### 2.2. Tiến độ thực hiện",
        "| 4. | Đào tạo tập huấn |  |  |",
        "| Tháng 8-12/2020 |",
        "*Nước uống đại biểu: 122 người × 20.000đồng/ngày/đại biểu × 10 huyện* |  |  |  | *24,4* |",
        "*Tài liệu: 122 cuốn × 30.000đ/cuốn × 10 huyện* |  |  |  | *36,6* |",
        "| **126** |",
        "*(Bằng chữ: Một trăm hai mươi sáu triệu đồng chẵn)*",
        "*(Kèm theo Kế hoạch số       /KH-BCĐ ngày      tháng 02 năm 2020 của Trưởng Ban chỉ đạo ISO tỉnh)*",
        "**KT. TRƯỞNG BAN\\\nPHÓ TRƯỞNG BAN**",
        "- PCT UBND tỉnh-Trưởng BCD Lê Ánh Dương (*báo cáo*);",
    ):
        assert expected in text


def test_markdown_html_and_docx_come_from_the_same_data(tmp_path: Path) -> None:
    data = EXAMPLES / "bac-giang-2017/thong-bao-307.yaml"
    for suffix in (".md", ".html", ".docx"):
        assert render("notice", data, "-o", tmp_path / f"tb{suffix}").exit_code == 0
    html = (tmp_path / "tb.html").read_text(encoding="utf-8")
    assert html.count('<table class="layout header"') == 1 and html.count('<table class="layout closing"') == 1
    assert "Số: 307/TB-UBND" in html and "<em>Bắc Giang, ngày 15 tháng 9 năm 2017</em>" in html
    assert '<p class="head" style="font-size:13pt"><strong>Độc lập - Tự do - Hạnh phúc' in html
    assert '<p class="signed"><strong>Trần Quốc Khánh</strong></p>' in html
    _well_formed(html)


def test_html_escapes_text(tmp_path: Path) -> None:
    out = tmp_path / "vb.html"
    assert render("plan", DATA / "ky-tu-dac-biet.yaml", "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Điểm &lt; 50 &amp; chưa đạt" in html
    assert '<p class="body">| không phải bảng</p>' in html
    assert "a | b" in html and "dòng 1<br>dòng 2" in html


def test_text_that_looks_like_markup_stays_text(tmp_path: Path) -> None:
    out = tmp_path / "vb.md"
    assert render("plan", DATA / "ky-tu-dac-biet.yaml", "-o", out).exit_code == 0
    blocks = parse_markup(out.read_text(encoding="utf-8"))
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert "| không phải bảng" in texts
    assert "- không phải gạch đầu dòng thứ hai\n# không phải tiêu đề" in texts
    assert "5 * 3 = 15, a*b, *giữ dấu sao*" in texts


def _well_formed(text: str) -> None:
    """Every opened element is closed, in order (void elements aside)."""
    from html.parser import HTMLParser

    stack: list[str] = []

    class Checker(HTMLParser):
        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag not in ("br", "meta", "col"):
                stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert stack and stack.pop() == tag, tag

    Checker().feed(text)
    assert stack == []


# ---------------------------------------------------------------------------
# Errors: exit codes, messages, and nothing written
# ---------------------------------------------------------------------------


def test_undefined_field_exits_1_naming_it_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "vb.docx"
    result = render(
        "plan", EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml", "-o", out, "--template", DATA / "khong-co-truong.md.j2"
    )
    assert result.exit_code == 1
    assert "`nguoi_ky`" in result.stderr and "khong-co-truong.md.j2:4" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_failed_render_leaves_an_existing_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "vb.md"
    out.write_text("bản cũ", encoding="utf-8")
    result = render(
        "plan", EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml", "-o", out, "--template", DATA / "khong-co-truong.md.j2"
    )
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "bản cũ"
    assert list(tmp_path.iterdir()) == [out]


def test_template_reaching_for_python_internals_fails_clearly(tmp_path: Path) -> None:
    out = tmp_path / "vb.md"
    result = render(
        "plan", EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml", "-o", out, "--template", DATA / "noi-bo-python.md.j2"
    )
    assert result.exit_code == 1
    assert "phần nội bộ của Python" in result.stderr and "sandbox" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_template_syntax_error_names_the_line(tmp_path: Path) -> None:
    result = render(
        "plan",
        EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml",
        "-o",
        tmp_path / "vb.md",
        "--template",
        DATA / "sai-cu-phap.md.j2",
    )
    assert result.exit_code == 1
    assert "lỗi cú pháp Jinja" in result.stderr
    assert not (tmp_path / "vb.md").exists()


def test_unknown_region_in_a_template_is_an_error(tmp_path: Path) -> None:
    result = render(
        "plan",
        EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml",
        "-o",
        tmp_path / "vb.docx",
        "--template",
        DATA / "vung-la.md.j2",
    )
    assert result.exit_code == 1 and "vùng `banner` không có" in result.stderr
    # the line is of the text the template wrote: the message says so, naming the template
    assert "vung-la.md.j2: văn bản mẫu tạo ra sai quy ước, ở dòng 1:" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_user_template_reuses_the_shipped_macros(tmp_path: Path) -> None:
    out = tmp_path / "vb.md"
    result = render("plan", EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml", "-o", out, "--template", DATA / "rieng.md.j2")
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "Mẫu riêng của đơn vị: Bắc Giang & <cơ quan>" in text
    assert "Số: 52/KH-BCĐ" in text and "Nguyễn Đức Kiên" in text


def test_invalid_document_exits_1_with_file_and_line(tmp_path: Path) -> None:
    result = render("plan", DATA / "khoa-sai.yaml", "-o", tmp_path / "vb.md")
    assert result.exit_code == 1
    assert "khoa-sai.yaml:10:3" in result.stderr and "`positon`" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_decision_needs_articles(tmp_path: Path) -> None:
    result = render("decision", DATA / "quyet-dinh-thieu-dieu.yaml", "-o", tmp_path / "qd.md")
    assert result.exit_code == 1 and "`articles`" in result.stderr


def test_articles_belong_to_decisions(tmp_path: Path) -> None:
    result = render("plan", EXAMPLES / "nghe-an-2012/quyet-dinh-37.yaml", "-o", tmp_path / "x.md")
    assert result.exit_code == 1 and "chỉ dùng cho quyết định" in result.stderr


def test_symbol_of_another_kind_is_a_warning(tmp_path: Path) -> None:
    result = render("notice", EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml", "-o", tmp_path / "x.md")
    assert result.exit_code == 0
    assert "cảnh báo" in result.stderr and "`TB-`" in result.stderr


def test_a_budget_with_an_error_is_never_appended(tmp_path: Path) -> None:
    result = render("plan", DATA / "ke-hoach-du-toan-sai.yaml", "-o", tmp_path / "kh.docx")
    assert result.exit_code == 1
    assert "BUD001" in result.stderr and "du-toan-sai.yaml:5:5" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("plan", "examples/bac-giang-2015/ke-hoach-52.yaml", "-o", "x.pdf"), ".docx, .md hoặc .html"),
        (("plan", "khong-co.yaml", "-o", "x.md"), "không tìm thấy tệp dữ liệu"),
        (
            ("plan", "examples/bac-giang-2015/ke-hoach-52.yaml", "-o", "x.md", "--template", "khong-co.j2"),
            "không tìm thấy mẫu",
        ),
        (("memo", "examples/bac-giang-2015/ke-hoach-52.yaml", "-o", "x.md"), ""),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], problem: str) -> None:
    result = render(*args)
    assert result.exit_code == 2
    assert problem in result.stderr


def test_a_docx_template_is_only_for_docx_output(tmp_path: Path) -> None:
    base = tmp_path / "giay.docx"
    base.write_bytes(b"")
    result = render("plan", EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml", "-o", tmp_path / "x.md", "--template", base)
    assert result.exit_code == 2 and "chỉ dùng khi xuất tệp .docx" in result.stderr


# ---------------------------------------------------------------------------
# Score report: built from `isoprov score` results
# ---------------------------------------------------------------------------

REPORT_DATA = DATA / "bao-cao"


def test_score_report_golden(tmp_path: Path) -> None:
    out = tmp_path / "bc.md"
    result = render("report", REPORT_DATA / "bao-cao.yaml", "-o", out)
    assert result.exit_code == 0, result.stderr
    check_golden("bao-cao-thu.pandoc", out.read_text(encoding="utf-8"))


def test_score_report_ranks_counts_averages_and_missing(tmp_path: Path) -> None:
    out = tmp_path / "bc.md"
    assert render("report", REPORT_DATA / "bao-cao.yaml", "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    # ranking per level, ties share a rank (1, 2, 2)
    assert "| 1 | Sở Khoa học và Công nghệ | 95,00 | 90,00 | -5,00 | Tốt |" in text
    assert "| 2 | Sở Tài chính | 78,00 | 78,00 | 0,00 | Khá |" in text
    assert "| 2 | Sở Xây dựng | 80,00 | 78,00 | -2,00 | Khá |" in text
    assert "### 2. Cấp huyện" in text
    # counts per band, every band of the set listed
    assert "| Khá | 2 | 66,67 |" in text and "| Yếu | 0 | 0,00 |" in text
    # averages per criteria group
    assert "| 2 | Áp dụng, duy trì, cải tiến | 90,00 | 72,67 | 80,74 |" in text
    # agencies that have not submitted
    assert "### 3. Cơ quan chưa nộp báo cáo tự đánh giá\n\n- Sở Nội vụ\n" in text


def test_score_report_refuses_an_invalid_assessment(tmp_path: Path) -> None:
    result = render("report", REPORT_DATA / "bao-cao-loi.yaml", "-o", tmp_path / "bc.docx")
    assert result.exit_code == 1
    assert "danh-gia-loi/syt.yaml:5" in result.stderr and "`sefl`" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_score_report_names_a_missing_folder_at_its_line(tmp_path: Path) -> None:
    result = render("report", REPORT_DATA / "bao-cao-thieu-tep.yaml", "-o", tmp_path / "bc.md")
    assert result.exit_code == 1
    assert "bao-cao-thieu-tep.yaml:9" in result.stderr and "khong-co" in result.stderr


def test_report_kind_needs_report_data(tmp_path: Path) -> None:
    result = render("report", EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml", "-o", tmp_path / "bc.md")
    assert result.exit_code == 1 and "`report`" in result.stderr


# ---------------------------------------------------------------------------
# What a template may print: never Python's None, a function or a whole mapping
# ---------------------------------------------------------------------------


def _user_template(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mau" / "rieng.md.j2"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _render_with(tmp_path: Path, text: str, data: Path = EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml") -> Any:
    out = tmp_path / "vb.md"
    result = render("plan", data, "-o", out, "--template", _user_template(tmp_path, text))
    return result, out


@pytest.mark.parametrize(
    "text",
    [
        "Chức danh: {{ doc.signature.signer_title }}\n",  # empty optional field
        "{{ doc.header.kind | upper }}\n",  # a text filter would write NONE
        "{{ doc.authority | doan }}\n",
        "{{ budget }}\n",
    ],
)
def test_printing_an_empty_field_is_an_error_never_none(tmp_path: Path, text: str) -> None:
    result, out = _render_with(tmp_path, "# đầu\n\n" + text)
    assert result.exit_code == 1
    assert "rieng.md.j2:3" in result.stderr and "để trống" in result.stderr and "{% if" in result.stderr
    assert "None" not in result.stderr and "NONE" not in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_an_empty_field_behind_if_renders(tmp_path: Path) -> None:
    text = "{% if doc.signature.signer_title %}{{ doc.signature.signer_title }}{% endif %}"
    text += "Ký: {{ doc.signature.name }}\n"
    result, out = _render_with(tmp_path, text)
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == "Ký: Nguyễn Đức Kiên\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{{ doc.header.title.format }}", "một hàm"),
        ("{{ doc.header.title.join | string }}", "một hàm"),
        ("{{ doc.header }}", "nhóm dữ liệu"),
        ("{{ doc.keys() }}", "nhóm dữ liệu"),
        ("{{ doc.legal_bases }}", "nhóm dữ liệu"),
    ],
)
def test_printing_a_function_or_a_mapping_is_an_error(tmp_path: Path, text: str, problem: str) -> None:
    result, out = _render_with(tmp_path, text + "\n")
    assert result.exit_code == 1
    assert problem in result.stderr and "rieng.md.j2:1" in result.stderr
    assert "<function" not in result.stderr and "built-in" not in result.stderr and "{'" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{% for x in range(10**9) %}{% endfor %}", "dãy số quá dài"),
        ("{{ doc.header.title.__len__() }}", "phần nội bộ của Python"),
        ("{{ doc.header.title | attr('__class__') }}", "phần nội bộ của Python"),
        ("{{ '{0.__class__}'.format(1) }}", "phần nội bộ của Python"),
    ],
)
def test_sandbox_violations_are_explained_in_vietnamese(tmp_path: Path, text: str, expected: str) -> None:
    result, out = _render_with(tmp_path, text + "\n")
    assert result.exit_code == 1
    assert expected in result.stderr and "sandbox" in result.stderr
    assert not result.stderr.startswith(("Lỗi mẫu: Range", "Lỗi mẫu: access"))
    assert "rieng.md.j2:1:" in result.stderr or "rieng.md.j2:1" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("kind", ["plan", "notice", "decision"])
def test_shipped_templates_never_print_an_empty_field(kind: str, tmp_path: Path) -> None:
    data = tmp_path / "vb.yaml"
    text = (DATA / "toi-thieu.yaml").read_text(encoding="utf-8")
    data.write_text(text + ("articles: [Điều tối thiểu.]\n" if kind == "decision" else ""), encoding="utf-8")
    for suffix in (".md", ".html", ".docx"):
        result = render(kind, data, "-o", tmp_path / f"vb{suffix}")
        assert result.exit_code == 0, result.stderr
    markdown = (tmp_path / "vb.md").read_text(encoding="utf-8")
    assert "None" not in markdown and "NONE" not in markdown
    assert "**Phụ lục**\\\n**Phụ lục không nhãn**" in markdown


# ---------------------------------------------------------------------------
# User text is text in every output: escaped in Markdown, escaped in HTML, as is in DOCX
# ---------------------------------------------------------------------------


def test_user_html_is_escaped_in_markdown(tmp_path: Path) -> None:
    out = tmp_path / "vb.md"
    assert render("plan", DATA / "html-nguoi-dung.yaml", "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "**&lt;script&gt;alert(1)&lt;/script&gt; & &amp;lt;**" in text
    assert "*&lt;img src=x onerror=alert(1)&gt;*" in text
    assert "a &lt; b &gt; c & d" in text  # a lone `&` is no reference: left as written
    assert "| 1 | x&lt;br&gt;y & z |" in text  # the user's <br> is text, not a line break
    assert "**BAN A & B**" in text
    assert "- Sở &lt;X&gt;." in text  # noi_nhan keeps the escape's `;`
    # template text is not the user's: the shipped markup still works
    assert "::: issuer" in text


def test_user_html_reads_back_as_the_same_text_in_html_and_docx(tmp_path: Path) -> None:
    import docx

    data = DATA / "html-nguoi-dung.yaml"
    assert render("plan", data, "-o", tmp_path / "vb.html").exit_code == 0
    assert render("plan", data, "-o", tmp_path / "vb.docx").exit_code == 0
    html = (tmp_path / "vb.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &amp;lt;" in html
    assert "&amp;amp;" not in html  # escaped once, not twice
    _well_formed(html)
    document = docx.Document(str(tmp_path / "vb.docx"))
    texts = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "<script>alert(1)</script> & &lt;" in texts
    assert "<img src=x onerror=alert(1)>" in texts and "a < b > c & d" in texts
    assert "x<br>y & z" in cells and any("GIÁM ĐỐC SỞ KH & CN" in c for c in cells)
    assert not any("&amp;" in t or "&lt;" in t.replace("& &lt;", "") for t in texts + cells)


def test_entities_decode_once_and_in_any_case() -> None:
    assert plain_text(parse_inline("a &amp;lt; b &LT; c &Amp; d &gt")) == "a &lt; b < c & d &gt"
    assert noi_nhan(["Sở &lt;X&gt;", "Lưu &amp;;"]) == ["Sở &lt;X&gt;;", "Lưu &amp;."]


def test_the_budget_appendix_shows_a_top_level_items_multipliers(tmp_path: Path) -> None:
    plan = (EXAMPLES / "binh-phuoc-2021" / "ke-hoach-kiem-tra.yaml").read_text(encoding="utf-8")
    budget = EXAMPLES / "binh-phuoc-2021" / "du-toan-kiem-tra.yaml"
    (tmp_path / "kh.yaml").write_text(plan + f"\nbudget:\n  file: {budget}\n", encoding="utf-8")
    out = tmp_path / "kh.md"
    result = render("plan", tmp_path / "kh.yaml", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "| 8 × 5 ngày |" in out.read_text(encoding="utf-8")


def test_ngay_refuses_text_that_is_no_date() -> None:
    with pytest.raises(RenderError, match="cần một ngày dạng NNNN-TT-NN hoặc ngày/tháng/năm, không phải `tháng chín`"):
        ngay("tháng chín")


@pytest.mark.parametrize("text", ["08/9/2015", "2015-09-08", "8.9.2015"])
def test_ngay_reads_a_date_written_either_way(text: str) -> None:
    assert ngay(text) == "ngày 08 tháng 9 năm 2015"


# ---------------------------------------------------------------------------
# Text of several lines, and Markdown blocks kept apart
# ---------------------------------------------------------------------------


def test_a_heading_of_two_lines_is_one_heading() -> None:
    heading, paragraph = parse_markup("## I. Mục đích\\\nyêu cầu\n\nĐoạn văn.\n")
    assert isinstance(heading, Heading) and heading.text == "I. Mục đích\nyêu cầu"
    assert all(run.bold for run in heading.runs)
    assert isinstance(paragraph, Paragraph) and paragraph.text == "Đoạn văn."


def test_an_empty_heading_is_a_markup_error() -> None:
    with pytest.raises(MarkupError, match="dòng 1"):
        parse_markup("##\n")


def test_a_multi_line_heading_in_the_data_stays_one_heading_in_every_output(tmp_path: Path) -> None:
    import docx

    data = DATA / "nhieu-dong.yaml"
    for suffix in (".md", ".html", ".docx"):
        result = render("decision", data, "-o", tmp_path / f"qd{suffix}")
        assert result.exit_code == 0, result.stderr
    blocks = parse_markup((tmp_path / "qd.md").read_text(encoding="utf-8"))
    headings = [b.text for b in blocks if isinstance(b, Heading)]
    assert headings == ["1. Kiểm tra hồ sơ\nvà báo cáo"]
    assert not any(isinstance(b, Paragraph) and b.text.startswith("và báo cáo") for b in blocks)
    html = (tmp_path / "qd.html").read_text(encoding="utf-8")
    assert '<p class="heading"><strong>1. Kiểm tra hồ sơ</strong><br><strong>và báo cáo</strong></p>' in html
    assert "\\" not in html
    texts = [p.text for p in docx.Document(str(tmp_path / "qd.docx")).paragraphs]
    assert "1. Kiểm tra hồ sơ\nvà báo cáo" in texts


def test_an_articles_table_and_list_are_separate_markdown_blocks(tmp_path: Path) -> None:
    out = tmp_path / "qd.md"
    assert render("decision", DATA / "nhieu-dong.yaml", "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    # CommonMark and GFM need a blank line between a paragraph and the table or list after it
    assert "**Điều 1.** **Thành lập Đoàn kiểm tra**\n\n| TT | Họ và tên |" in text
    assert "**Điều 2.** Đoàn kiểm tra có nhiệm vụ.\n\n### 1. Kiểm tra hồ sơ\\\nvà báo cáo\n\n- Kiểm tra hồ sơ" in text


# ---------------------------------------------------------------------------
# A field the data does not have is an error, even behind a filter
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{{ doc.header.titel | string }}",  # a text filter: the field is named, not "a function"
        "{{ doc.header.titel | upper }}",
        "{{ doc.header.titel | default('') }}",  # a typo hidden by default would be a blank
        "{{ doc.header.titel | d('Kế hoạch') }}",
    ],
)
def test_an_undefined_field_is_named_even_behind_a_filter(tmp_path: Path, text: str) -> None:
    result, out = _render_with(tmp_path, text + "\n")
    assert result.exit_code == 1
    assert "trường không có trong dữ liệu: `titel`" in result.stderr and "rieng.md.j2:1" in result.stderr
    assert "một hàm" not in result.stderr
    assert not out.exists()


def test_default_still_fills_an_empty_optional_field(tmp_path: Path) -> None:
    text = '{{ doc.header.kind | default("KẾ HOẠCH", true) }} {{ doc.signature.signer_title | d("-", true) }}\n'
    result, out = _render_with(tmp_path, text)
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == "KẾ HOẠCH -\n"


# ---------------------------------------------------------------------------
# The sandbox bounds what one operation may produce
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{{ doc.header.title * 100000000 }}",
        "{{ [1, 2] * 999999999 }}",
        "{{ 9 ** 99999999 }}",
        "{{ '%999999999s' % 'x' }}",
        "{{ '{:999999999}'.format(1) }}",
        "{{ 'x'.ljust(10**9) }}",
        "{{ 'x' | center(999999999) }}",
        "{{ '%999999999d' | format(1) }}",
        "{{ lipsum(999999999) }}",
    ],
)
def test_a_template_cannot_exhaust_memory(tmp_path: Path, text: str) -> None:
    result, out = _render_with(tmp_path, text + "\n")
    assert result.exit_code == 1
    assert "quá lớn" in result.stderr and "rieng.md.j2:1" in result.stderr
    assert not out.exists()


def test_ordinary_operations_still_work_in_the_sandbox(tmp_path: Path) -> None:
    text = "{{ '%s-%02d' % ('a', 3) }} {{ '{:>3}'.format('b') }} {{ 'ab' * 2 }} {{ 2 ** 10 }} {{ 'x' | center(3) }}|\n"
    result, out = _render_with(tmp_path, text)
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == "a-03   b abab 1024  x |\n"


def test_the_html_title_and_docx_properties_show_the_title_as_plain_text(tmp_path: Path) -> None:
    import docx

    text = (DATA / "toi-thieu.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Văn bản tối thiểu", 'title: "Kế hoạch *kiểm tra*\\nnăm 2024 <b> & KH&CN"')
    data = tmp_path / "kh.yaml"
    data.write_text(text, encoding="utf-8")
    assert render("plan", data, "-o", tmp_path / "kh.html").exit_code == 0
    assert render("plan", data, "-o", tmp_path / "kh.docx").exit_code == 0
    html = (tmp_path / "kh.html").read_text(encoding="utf-8")
    assert "<title>Kế hoạch kiểm tra năm 2024 &lt;b&gt; &amp; KH&amp;CN</title>" in html
    properties = docx.Document(str(tmp_path / "kh.docx")).core_properties
    assert properties.title == "Kế hoạch kiểm tra năm 2024 <b> & KH&CN"


def test_a_blank_line_inside_a_title_heading_or_item_keeps_it_one_element(tmp_path: Path) -> None:
    for suffix in (".md", ".html"):
        result = render("plan", DATA / "dong-trong.yaml", "-o", tmp_path / f"kh{suffix}")
        assert result.exit_code == 0, result.stderr
    blocks = parse_markup((tmp_path / "kh.md").read_text(encoding="utf-8"))
    texts = [
        plain_text(item) if isinstance(item, tuple) else item.text
        for block in blocks
        for inner in (block.blocks if isinstance(block, Region) else (block,))
        for item in (inner.items if isinstance(inner, Bullets) else (inner,))
        if isinstance(item, tuple | Paragraph | Heading)
    ]
    assert not any("**" in t or t.endswith("*") for t in texts)
    assert "KẾ HOẠCH\nKiểm tra ISO\nnăm 2024" in texts
    assert "I. Mục đích\nyêu cầu" in texts and "Ý một\ntiếp ý một" in texts
    assert "Căn cứ A;\ntiếp căn cứ A;" in texts and "Sở A\n(b/c);" in texts
    assert "Nguyễn\nVăn A" in texts and "TRƯỞNG BAN\nCHỈ ĐẠO" in texts
    html = (tmp_path / "kh.html").read_text(encoding="utf-8")
    assert "**" not in html
    _well_formed(html)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{{ self }}", "đối tượng nội bộ"),  # never "<TemplateReference …>" in a document
        ("{{ namespace(a=1) }}", "đối tượng nội bộ"),
        ("{{ cycler(1, 2) }}", "đối tượng nội bộ"),
        ("{{ doc.body | length > 0 }}", "đúng/sai"),  # never "True" in a Vietnamese document
        ("{{ 1 / 3 }}", "số thực nhị phân"),  # never a binary float
    ],
)
def test_printing_a_python_object_a_boolean_or_a_float_is_an_error(tmp_path: Path, text: str, problem: str) -> None:
    result, out = _render_with(tmp_path, text + "\n")
    assert result.exit_code == 1
    assert problem in result.stderr and "rieng.md.j2:1" in result.stderr
    assert "<" not in result.stderr.split("(dòng mẫu")[0] and "True" not in result.stderr
    assert not out.exists()


def test_an_exact_number_printed_as_it_is_reads_the_vietnamese_way(tmp_path: Path) -> None:
    text = "{{ budget.total_vnd }}|{{ budget.total }}|{{ budget.rows[4].amount }}|{{ doc.header.date.year }}\n"
    result, out = _render_with(tmp_path, text, EXAMPLES / "bac-giang-2020/ke-hoach.yaml")
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == "126.000.000|126|81|2020\n"
