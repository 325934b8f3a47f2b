"""Structure of the DOCX output after Nghị định 30/2020/NĐ-CP, Phụ lục I: A4 and margins, Times
New Roman at the decree's sizes, the two-column header, paragraphs in the order of the markup,
Nơi nhận and the signature block, page numbers from page 2, and the user's letterhead."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph

from isoprov.documents.blocks import Bullets, Heading, Paragraph, Region, TableBlock, plain_text
from isoprov.documents.markup import parse_markup
from isoprov.documents.metrics import text_width_mm
from isoprov.documents.page import FONT
from tests import DATA, ROOT
from tests.clirun import invoke

EXAMPLES = ROOT / "examples"

DATA = DATA / "render"

CASES = [
    ("plan", "bac-giang-2015/ke-hoach-52.yaml"),
    ("notice", "bac-giang-2017/thong-bao-307.yaml"),
    ("plan", "bac-giang-2020/ke-hoach.yaml"),
    ("decision", "nghe-an-2012/quyet-dinh-37.yaml"),
    ("plan", "binh-phuoc-2021/ke-hoach-kiem-tra.yaml"),
    ("report", str(DATA / "bao-cao" / "bao-cao.yaml")),
]
if (EXAMPLES / "bac-giang-2020" / "bao-cao.yaml").exists():
    CASES.append(("report", "bac-giang-2020/bao-cao.yaml"))
IDS = [Path(c[1]).parent.name + "/" + Path(c[1]).name for c in CASES]


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def render(kind: str, data: Path, out: Path, *extra: str | Path) -> None:
    result = invoke(["render", kind, str(data), "-o", str(out), *map(str, extra)])
    assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, str]]:
    """Each example as (DOCX document, markup), rendered once for the module."""
    out: dict[str, tuple[Any, str]] = {}
    folder = tmp_path_factory.mktemp("docx")
    cwd = Path.cwd()
    try:
        os.chdir(ROOT)
        for kind, data in CASES:
            name = data.replace("/", "-").removesuffix(".yaml")[-60:]
            render(kind, EXAMPLES / data, folder / f"{name}.docx")
            render(kind, EXAMPLES / data, folder / f"{name}.md", "--markdown", "pandoc")
            out[data] = (docx.Document(str(folder / f"{name}.docx")), (folder / f"{name}.md").read_text("utf-8"))
    finally:
        os.chdir(cwd)
    return out


def body_items(document: Any) -> Iterator[DocxParagraph | Table]:
    """Paragraphs and tables of the body, in document order."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield DocxParagraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)


def all_paragraphs(document: Any) -> Iterator[DocxParagraph]:
    for item in body_items(document):
        if isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    yield from cell.paragraphs
        else:
            yield item


def mm(length: int) -> float:
    """A length in millimetres to 0.1 mm (Word stores twentieths of a point)."""
    return round(length / 36000, 1)


def lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


@pytest.mark.parametrize(("kind", "data"), CASES, ids=IDS)
def test_a4_portrait_with_the_decree_margins(rendered: dict[str, tuple[Any, str]], kind: str, data: str) -> None:
    document, _ = rendered[data]
    for section in document.sections:
        assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
        assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)
        assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)


@pytest.mark.parametrize(("kind", "data"), CASES, ids=IDS)
def test_every_run_is_times_new_roman_with_a_size(rendered: dict[str, tuple[Any, str]], kind: str, data: str) -> None:
    document, _ = rendered[data]
    for paragraph in all_paragraphs(document):
        for run in paragraph.runs:
            assert run.font.name == FONT
            fonts = run._r.rPr.find(qn("w:rFonts"))
            assert fonts.get(qn("w:eastAsia")) == FONT and fonts.get(qn("w:cs")) == FONT
            assert run.font.size is not None and Pt(1) <= run.font.size <= Pt(14)


@pytest.mark.parametrize(("kind", "data"), CASES, ids=IDS)
def test_header_block_is_a_borderless_two_column_table(
    rendered: dict[str, tuple[Any, str]], kind: str, data: str
) -> None:
    document, _ = rendered[data]
    first = next(body_items(document))
    assert isinstance(first, Table) and len(first.columns) == 2
    borders = first._tbl.tblPr.find(qn("w:tblBorders"))
    assert all(edge.get(qn("w:val")) == "nil" for edge in borders)
    issuer, motto = first.rows[0].cells
    quoc_hieu, tieu_ngu = (p for p in motto.paragraphs if p.text)
    assert quoc_hieu.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and quoc_hieu.runs[0].bold
    assert tieu_ngu.text == "Độc lập - Tự do - Hạnh phúc" and tieu_ngu.runs[0].bold
    assert Pt(12) <= quoc_hieu.runs[0].font.size <= Pt(13) and Pt(13) <= tieu_ngu.runs[0].font.size <= Pt(14)
    assert mm(issuer.width + motto.width) == 165  # the text width between the margins
    names = [p for p in issuer.paragraphs if p.text]
    assert names[-1].runs[0].bold and names[-1].text == names[-1].text.upper()
    # a rule under the issuing body and under the Tiêu ngữ, as long as the line
    rules = [p for p in (*issuer.paragraphs, *motto.paragraphs) if p._p.find(".//" + qn("w:pBdr")) is not None]
    assert len(rules) == 2
    motto_rule = rules[1].paragraph_format
    width = motto.width - Mm(3.8) - motto_rule.left_indent - motto_rule.right_indent
    assert abs(width - Mm(text_width_mm("Độc lập - Tự do - Hạnh phúc", 13, bold=True))) < Mm(1)
    number, date = first.rows[1].cells
    assert number.text.startswith("Số: ") and number.paragraphs[0].runs[0].font.size == Pt(13)
    assert date.paragraphs[0].runs[0].italic and ", ngày " in date.text


@pytest.mark.parametrize(("kind", "data"), CASES, ids=IDS)
def test_paragraphs_follow_the_markup_in_order(rendered: dict[str, tuple[Any, str]], kind: str, data: str) -> None:
    document, markup = rendered[data]
    expected: list[str] = []
    for block in parse_markup(markup):
        for inner in block.blocks if isinstance(block, Region) else (block,):
            if isinstance(inner, Paragraph | Heading):
                expected.extend(lines(inner.text))
            elif isinstance(inner, Bullets):
                for item in inner.items:
                    expected.extend(lines("- " + plain_text(item)))
            elif isinstance(inner, TableBlock):
                for row in (inner.header, *inner.rows):
                    for cell in row:
                        expected.extend(lines(plain_text(cell)))
    found = [line for paragraph in all_paragraphs(document) for line in lines(paragraph.text)]
    assert found == expected


@pytest.mark.parametrize(("kind", "data"), CASES, ids=IDS)
def test_body_is_justified_with_first_line_indent(rendered: dict[str, tuple[Any, str]], kind: str, data: str) -> None:
    document, _ = rendered[data]
    body = [p for p in body_items(document) if isinstance(p, DocxParagraph) and p.text.strip()]
    justified = [p for p in body if p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY]
    assert len(justified) >= len(body) // 2
    for p in justified:
        assert mm(p.paragraph_format.first_line_indent) == 10
        assert p.paragraph_format.space_after == Pt(6)
        assert all(r.font.size == Pt(14) for r in p.runs)


@pytest.mark.parametrize(("kind", "data"), CASES, ids=IDS)
def test_kind_and_title_are_centred_and_bold(rendered: dict[str, tuple[Any, str]], kind: str, data: str) -> None:
    document, _ = rendered[data]
    paragraphs = [p for p in body_items(document) if isinstance(p, DocxParagraph) and p.text.strip()]
    kind_line, title = paragraphs[0], paragraphs[1]
    assert kind_line.text in ("KẾ HOẠCH", "QUYẾT ĐỊNH", "THÔNG BÁO", "BÁO CÁO")
    for p in (kind_line, title):
        assert p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(r.bold for r in p.runs if r.text.strip())


@pytest.mark.parametrize(("kind", "data"), CASES, ids=IDS)
def test_recipients_bottom_left_and_signature_bottom_right(
    rendered: dict[str, tuple[Any, str]], kind: str, data: str
) -> None:
    document, _ = rendered[data]
    tables = [t for t in body_items(document) if isinstance(t, Table)]
    closing = [t for t in tables if t.rows[0].cells[0].text.startswith("Nơi nhận:")]
    assert len(closing) == 1
    left, right = closing[0].rows[0].cells
    lead, *items = [p for p in left.paragraphs if p.text]
    assert lead.runs[0].bold and lead.runs[0].italic and lead.runs[0].font.size == Pt(12)
    assert all(p.text.startswith("- ") for p in items if p.text not in ("Bản điện tử:",))
    assert all(r.font.size == Pt(11) for p in items if p.text.startswith("- ") for r in p.runs)
    # each list (Nơi nhận, Bản điện tử) ends with "." and its other lines with ";"
    texts = [p.text for p in items]
    lists = "\n".join(texts).split("\nBản điện tử:\n")
    for block in lists:
        *others, last = block.split("\n")
        assert last.endswith(".") and all(t.endswith(";") for t in others)
    signature = [p for p in right.paragraphs if p.text]
    assert all(p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in signature)
    assert all(r.bold for p in signature for r in p.runs if r.text.strip())
    assert closing[0].rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


@pytest.mark.parametrize(("kind", "data"), CASES, ids=IDS)
def test_page_numbers_from_page_two(rendered: dict[str, tuple[Any, str]], kind: str, data: str) -> None:
    document, _ = rendered[data]
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header = section.header._element
    assert any(" PAGE " in (t.text or "") for t in header.iter(qn("w:instrText")))
    assert not section.first_page_header.paragraphs or not section.first_page_header.paragraphs[0].text


def test_plan_2020_docx_carries_everything_in_the_seed(rendered: dict[str, tuple[Any, str]]) -> None:
    document, _ = rendered["bac-giang-2020/ke-hoach.yaml"]
    text = "\n".join(p.text for p in all_paragraphs(document))
    for expected in (
        "Số:       /KH-BCĐ",
        "Bắc Giang, ngày      tháng 02 năm 2020",
        "KẾ HOẠCH",
        "Hoạt động của Ban chỉ đạo ISO tỉnh năm 2020",
        "2.2. Tiến độ thực hiện",
        "Chỉ đạo UBND các huyện duy trì, cải tiến Hệ thống quản lý chất lượng của UBND cấp xã.",
        "Kiểm tra, đánh giá chấm điểm công tác áp dụng, duy trì, cải tiến HTQLCL của các cơ quan.",
        "Tháng 8-12/2020",
        "DỰ TOÁN KINH PHÍ HOẠT ĐỘNG CỦA BAN CHỈ ĐẠO ISO TỈNH NĂM 2020",
        "Đơn vị tính: triệu đồng",
        "24,4",
        "36,6",
        "126",
        "(Bằng chữ: Một trăm hai mươi sáu triệu đồng chẵn)",
        "KT. TRƯỞNG BAN",
        "Nguyễn Đức Kiên",
    ):
        assert expected in text
    tables = [t for t in body_items(document) if isinstance(t, Table)]
    schedule = next(t for t in tables if t.rows[0].cells[0].text == "TT" and len(t.columns) == 4)
    assert [c.text for c in schedule.rows[0].cells] == ["TT", "Nội dung", "Thực hiện", "Thời gian thực hiện"]
    assert len(schedule.rows) == 8
    assert schedule.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    appendix = next(t for t in tables if len(t.columns) == 6)
    amounts = [row.cells[5].text for row in appendix.rows]
    assert amounts == ["Thành tiền", "6", "35", "2", "2", "81", "5", "5", "24,4", "36,6", "10", "126"]
    borders = appendix._tbl.tblPr.find(qn("w:tblBorders"))
    assert all(edge.get(qn("w:val")) == "single" for edge in borders)
    # the appendix starts a new section (a new page, its pages numbered from 1) just before its label
    items = list(body_items(document))
    k = next(k for k, p in enumerate(items) if isinstance(p, DocxParagraph) and p.text.startswith("Phụ lục"))
    section_end = items[k - 1]._p.pPr.find(qn("w:sectPr"))
    assert section_end is not None
    assert document.sections[-1]._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


def test_letterhead_base_document(tmp_path: Path) -> None:
    """A user brings their letterhead: its page header, its own header block with placeholders."""
    base = docx.Document()
    section = base.sections[0]
    section.header.paragraphs[0].text = "{{ doc.header.parent_body | upper }} — GIẤY TIÊU ĐỀ"
    table = base.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "{{ doc.header.issuing_body | upper }}"
    cell = table.rows[0].cells[1].paragraphs[0]
    cell.add_run("Số: {{ doc.header")  # Word splits text into runs anywhere
    cell.add_run(" | so_hieu }}")
    base.save(str(tmp_path / "giay.docx"))
    out = tmp_path / "kh.docx"
    render("plan", EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml", out, "--template", tmp_path / "giay.docx")
    document = docx.Document(str(out))
    assert document.sections[0].header.paragraphs[0].text == "UBND TỈNH BẮC GIANG — GIẤY TIÊU ĐỀ"
    first = document.tables[0]
    assert [c.text for c in first.rows[0].cells] == ["BAN CHỈ ĐẠO ISO", "Số: 52/KH-BCĐ"]
    assert not any("CỘNG HÒA XÃ HỘI" in c.text for t in document.tables for c in t.rows[0].cells)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "KẾ HOẠCH" in text and "I. Mục đích, yêu cầu" in text


def test_letterhead_placeholders_run_in_the_sandbox(tmp_path: Path) -> None:
    base = docx.Document()
    base.add_paragraph("{{ doc.__class__ }}")
    base.save(str(tmp_path / "giay.docx"))
    result = invoke(
        [
            "render",
            "plan",
            str(EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml"),
            "-o",
            str(tmp_path / "kh.docx"),
            "--template",
            str(tmp_path / "giay.docx"),
        ],
    )
    assert result.exit_code == 1 and "sandbox" in result.stderr
    assert not (tmp_path / "kh.docx").exists()


def test_letterhead_placeholders_write_the_user_text_as_is(tmp_path: Path) -> None:
    """The markup escapes the user's ``&``, ``<``, ``>``; a letterhead is not markup: as typed."""
    base = docx.Document()
    base.add_paragraph("{{ doc.header.issuing_body | upper }} — {{ doc.header.title }}")
    base.save(str(tmp_path / "giay.docx"))
    out = tmp_path / "vb.docx"
    render("plan", DATA / "html-nguoi-dung.yaml", out, "--template", tmp_path / "giay.docx")
    first = docx.Document(str(out)).paragraphs[0].text
    assert first == "BAN A & B — <script>alert(1)</script> & &lt;"


def test_a_letterhead_printing_an_empty_field_is_an_error(tmp_path: Path) -> None:
    base = docx.Document()
    base.add_paragraph("Chức danh: {{ doc.signature.name }}")
    base.save(str(tmp_path / "giay.docx"))
    result = invoke(
        [
            "render",
            "plan",
            str(DATA / "html-nguoi-dung.yaml"),
            "-o",
            str(tmp_path / "vb.docx"),
            "--template",
            str(tmp_path / "giay.docx"),
        ],
    )
    assert result.exit_code == 1 and "một trường để trống" in result.stderr and "None" not in result.stderr
    assert not (tmp_path / "vb.docx").exists()


def test_a_broken_letterhead_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "giay.docx").write_bytes(b"not a word file")
    result = invoke(
        [
            "render",
            "plan",
            str(EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml"),
            "-o",
            str(tmp_path / "kh.docx"),
            "--template",
            str(tmp_path / "giay.docx"),
        ],
    )
    assert result.exit_code == 1 and "giay.docx" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "kh.docx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="cần LibreOffice")
def test_libreoffice_opens_the_plan_2020(tmp_path: Path) -> None:
    out = tmp_path / "ke-hoach.docx"
    render("plan", EXAMPLES / "bac-giang-2020/ke-hoach.yaml", out)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "ke-hoach.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Một trăm hai mươi sáu triệu đồng chẵn" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    pages = text.count("\f")
    assert pages == 3  # plan on two pages, the budget appendix on its own page


def test_a_long_issuing_body_is_broken_where_a_clerk_would(tmp_path: Path) -> None:
    data = tmp_path / "kh.yaml"
    text = (EXAMPLES / "binh-phuoc-2021/ke-hoach-kiem-tra.yaml").read_text(encoding="utf-8")
    data.write_text(
        text.replace("issuing_body: Sở Khoa học và Công nghệ", "issuing_body: Sở Tài nguyên và Môi trường"),
        encoding="utf-8",
    )
    render("plan", data, tmp_path / "kh.docx")
    issuer = docx.Document(str(tmp_path / "kh.docx")).tables[0].rows[0].cells[0]
    assert [p.text for p in issuer.paragraphs if p.text] == ["UBND TỈNH BÌNH PHƯỚC", "SỞ TÀI NGUYÊN", "VÀ MÔI TRƯỜNG"]


def _header_of(tmp_path: Path, **fields: str) -> Any:
    data = tmp_path / "tb.yaml"
    text = (DATA / "toi-thieu.yaml").read_text(encoding="utf-8")
    for key, value in fields.items():
        start = text.index(f"  {key}:")
        end = text.index("\n", start)
        text = text[:start] + f"  {key}: {value}" + text[end:]
    data.write_text(text, encoding="utf-8")
    render("notice", data, tmp_path / "tb.docx")
    return docx.Document(str(tmp_path / "tb.docx")).tables[0]


def test_a_long_place_keeps_the_date_line_on_one_line(tmp_path: Path) -> None:
    header = _header_of(tmp_path, place="Thành phố Hồ Chí Minh", date="2024-12-25")
    number, date = header.rows[1].cells
    (paragraph,) = (p for p in date.paragraphs if p.text)
    assert paragraph.text == "Thành phố Hồ Chí Minh, ngày 25 tháng 12 năm 2024"
    size = paragraph.runs[0].font.size
    assert Pt(13) <= size <= Pt(14) and paragraph.runs[0].italic
    assert text_width_mm(paragraph.text, size.pt) + 3.8 <= mm(date.width)  # no wrap in its cell
    assert mm(number.width + date.width) == 165 and mm(number.width) >= 55


def test_a_very_long_issuing_body_is_broken_into_balanced_lines_that_fit(tmp_path: Path) -> None:
    name = "Ban chỉ đạo xây dựng và áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn quốc gia"
    issuer = _header_of(tmp_path, issuing_body=name).rows[0].cells[0]
    bold = [p for p in issuer.paragraphs if p.text and p.runs[0].bold]
    assert " ".join(p.text for p in bold) == name.upper() and len(bold) >= 3
    widths = [text_width_mm(p.text, p.runs[0].font.size.pt, bold=True) for p in bold]
    assert all(w + 3.8 <= mm(issuer.width) for w in widths)  # Word never wraps them again
    assert max(widths) - min(widths) < 0.5 * max(widths)  # balanced, not one word left alone


def test_a_letterhead_placeholder_inside_a_link_is_filled(tmp_path: Path) -> None:
    """Word keeps a link's text in runs of its own: the placeholder there is filled too (it once
    crashed with a Python traceback)."""
    from docx.oxml import OxmlElement

    base = docx.Document()
    paragraph = base.add_paragraph()
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), "dau")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "{{ doc.header.place }}, {{ doc.header.date | ngay }}"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    base.save(str(tmp_path / "giay.docx"))
    out = tmp_path / "kh.docx"
    render("plan", EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml", out, "--template", tmp_path / "giay.docx")
    assert docx.Document(str(out)).paragraphs[0].text == "Bắc Giang, ngày 08 tháng 9 năm 2015"
