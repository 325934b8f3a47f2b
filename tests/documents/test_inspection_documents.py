"""The documents of the yearly inspection (SPEC §9) rendered by ``isoprov render`` from the Bình
Phước 2021 example: golden Markdown (``ISOPROV_UPDATE_GOLDEN=1`` refreshes it), Word files that
python-docx opens, and the kind-specific errors."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from tests import ROOT
from tests.clirun import invoke
from tests.conftest import Run

GOLDEN = ROOT / "tests" / "golden"
DOCS = ROOT / "examples" / "binh-phuoc-2021" / "van-ban"

#: (kind, data file): every document of the example.
CASES = [
    ("inspection-plan", "ke-hoach"),
    ("inspection-decision", "quyet-dinh"),
    ("report-request", "de-nghi-bao-cao"),
    ("minutes", "bien-ban-SKHDT"),
    ("minutes", "bien-ban-SXD"),
    ("correction-request", "de-nghi-khac-phuc-SXD"),
    ("action-rejection", "chua-chap-nhan-SKHDT"),
    ("inspection-summary", "tong-hop-thang-11"),
    ("ministry-report", "bao-cao-bo"),
]
LETTERS = {"report-request", "correction-request", "action-rejection"}


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def render(kind: str, data: Path, out: Path) -> Any:
    return invoke(["render", kind, str(data), "-o", str(out)])


@pytest.mark.parametrize(("kind", "name"), CASES, ids=[n for _, n in CASES])
def test_golden_markdown(kind: str, name: str, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.md"
    result = render(kind, DOCS / f"{name}.yaml", out)
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / f"binh-phuoc-2021-{name}.md"
    text = out.read_text(encoding="utf-8")
    if os.environ.get("ISOPROV_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
        return
    assert golden.exists(), f"thiếu {golden}; tạo bằng ISOPROV_UPDATE_GOLDEN=1 python -m pytest {__file__}"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(("kind", "name"), CASES, ids=[n for _, n in CASES])
def test_docx_opens_with_the_decree_header(kind: str, name: str, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.docx"
    assert render(kind, DOCS / f"{name}.yaml", out).exit_code == 0
    document = docx.Document(str(out))
    header = document.tables[0]
    assert len(header.columns) == 2
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.cell(0, 1).text
    fonts = {r.font.name for p in document.paragraphs for r in p.runs if r.text.strip()}
    assert fonts <= {"Times New Roman", None}
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    if kind in LETTERS:
        assert "V/v " in "\n".join(c.text for row in header.rows for c in row.cells)
        assert "Kính gửi" in text
    if kind == "minutes":
        assert "TRƯỞNG ĐOÀN KIỂM TRA" in text and "ĐẠI DIỆN SỞ" in text
        assert "Nơi nhận" not in text


@pytest.mark.parametrize(("kind", "name"), CASES, ids=[n for _, n in CASES])
def test_no_markdown_escape_reaches_word_or_the_browser(kind: str, name: str, tmp_path: Path) -> None:
    # "1\. Đơn vị kiểm tra" in the markup is "1. Đơn vị kiểm tra" on paper
    out = tmp_path / f"{name}.docx"
    assert render(kind, DOCS / f"{name}.yaml", out).exit_code == 0
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs] + [
        c.text for t in document.tables for row in t.rows for c in row.cells
    ]
    assert not [t for t in texts if "\\" in t]
    page = tmp_path / f"{name}.html"
    assert render(kind, DOCS / f"{name}.yaml", page).exit_code == 0
    assert "\\" not in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(("kind", "name"), CASES[:4], ids=[n for _, n in CASES[:4]])
def test_html_renders(kind: str, name: str, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.html"
    assert render(kind, DOCS / f"{name}.yaml", out).exit_code == 0
    assert "<html" in out.read_text(encoding="utf-8")


def test_the_plan_appends_the_inspection_budget(tmp_path: Path) -> None:
    out = tmp_path / "k.md"
    render("inspection-plan", DOCS / "ke-hoach.yaml", out)
    text = out.read_text(encoding="utf-8")
    assert "Mười tám triệu bảy trăm bảy mươi nghìn đồng chẵn" in text
    assert "| 2 | Sở Xây dựng | Tại trụ sở cơ quan | 24/11/2021 |" in text
    assert "Kiểm tra qua hồ sơ, báo cáo: 26 cơ quan" in text


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = """\
header:
  issuing_body: Sở Khoa học và Công nghệ
  symbol: {symbol}
  place: Bình Phước
  date: 2021-12-01
  title: Thử
recipients: ["Lưu: VT"]
signature: {{position: GIÁM ĐỐC}}
"""


@pytest.mark.parametrize(
    ("kind", "source", "symbol", "line", "says"),
    [
        ("inspection-plan", "", "KH-SKHCN", 1, "cần khóa `inspection`"),
        ("inspection-plan", "minutes: ../x.yaml", "KH-SKHCN", 9, "không dùng `minutes`"),
        ("correction-request", "minutes: {bp}/bien-ban/SKHDT.yaml", "SKHCN-TĐC", None, ""),
        ("correction-request", "minutes: nope.yaml", "SKHCN-TĐC", 9, "không tìm thấy tệp biên bản"),
        ("action-rejection", "minutes: {bp}/bien-ban/SXD.yaml", "SKHCN-TĐC", 1, "không có hành động khắc phục nào"),
    ],
)
def test_kind_errors_are_located(
    tmp_path: Path, kind: str, source: str, symbol: str, line: int | None, says: str
) -> None:
    bp = ROOT / "examples" / "binh-phuoc-2021"
    data = write(tmp_path, "d.yaml", HEADER.format(symbol=symbol) + source.format(bp=bp) + "\n")
    out = tmp_path / "o.md"
    result = render(kind, data, out)
    if line is None:
        assert result.exit_code == 0, result.stderr
        return
    assert result.exit_code == 1
    assert not out.exists()
    assert f":{line}:" in result.stderr and says in result.stderr


def test_a_letter_with_a_kind_symbol_is_warned(tmp_path: Path) -> None:
    bp = ROOT / "examples" / "binh-phuoc-2021"
    data = write(tmp_path, "d.yaml", HEADER.format(symbol="KH-SKHCN") + f"inspection: {bp}/kiem-tra-2021.yaml\n")
    result = render("report-request", data, tmp_path / "o.md")
    assert result.exit_code == 0
    assert "công văn không có tên loại" in result.stderr


def test_the_output_never_overwrites_a_file_the_document_reads(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "bp"
    shutil.copytree(ROOT / "examples" / "binh-phuoc-2021", copy)
    minutes = copy / "bien-ban" / "SKHDT.yaml"
    before = minutes.read_bytes()
    for kind, data in (("minutes", "bien-ban-SKHDT.yaml"), ("inspection-plan", "ke-hoach.yaml")):
        link = tmp_path / f"{kind}.md"  # a link to an input: writing it would destroy the minutes
        link.symlink_to(minutes)
        result = render(kind, copy / "van-ban" / data, link)
        assert result.exit_code == 2, result.stderr
        assert "chính là tệp đầu vào" in result.stderr
    assert minutes.read_bytes() == before


def test_the_two_signers_of_the_minutes_sign_on_one_line(tmp_path: Path) -> None:
    # Mẫu 21: the agency's representative (left) and the team leader (right) sign side by side;
    # the names stand on one line however many lines each title takes
    out = tmp_path / "bb.docx"
    assert render("minutes", DOCS / "bien-ban-SKHDT.yaml", out).exit_code == 0
    closing = docx.Document(str(out)).tables[-1]
    titles, names = ([c.text.strip() for c in row.cells] for row in closing.rows)
    assert titles == ["ĐẠI DIỆN SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "TRƯỞNG ĐOÀN KIỂM TRA"]
    assert names == ["Ngô Văn L", "Nguyễn Văn A"]
    widths = [c.width for c in closing.rows[0].cells]
    assert widths[0] == widths[1]  # two equal halves: neither title is squeezed


@pytest.mark.parametrize(("kind", "name"), CASES, ids=[n for _, n in CASES])
def test_every_body_ends_with_the_decree_mark(kind: str, name: str, tmp_path: Path) -> None:
    """Nghị định 30/2020: the last paragraph of the body ends with `./.`, also where the template
    writes that paragraph itself (a letter asking for correction, the report to the Ministry)."""
    out = tmp_path / f"{name}.md"
    assert render(kind, DOCS / f"{name}.yaml", out).exit_code == 0
    body = out.read_text(encoding="utf-8").split("**Nơi nhận:**")[0]
    assert "./." in body, name


@pytest.mark.parametrize(
    ("date", "warned"),
    [("2022-02-15", False), ("2022-02", False), ("2022", False), ("2022-02-14", True), ("2021-12", True)],
)
def test_figures_counted_after_the_documents_date_are_a_warning(
    date: str, warned: bool, cli: Callable[..., Run], tmp_path: Path
) -> None:
    """`as_of: 15/02/2022` under a report dated in December 2021 would state as done a corrective
    action reported in January: validate and render say so (a date left partly blank for the
    office counts up to its last possible day)."""
    text = (DOCS / "tong-hop-thang-11.yaml").read_text(encoding="utf-8")
    source = tmp_path / "van-ban" / "tong-hop.yaml"
    source.parent.mkdir()
    source.write_text(text.replace("date: 2022-02-15", f"date: {date}"), encoding="utf-8")
    (tmp_path / "kiem-tra-2021.yaml").symlink_to(DOCS.parent / "kiem-tra-2021.yaml")
    for name in ("co-quan.yaml", "du-toan-kiem-tra.yaml", "bien-ban"):
        (tmp_path / name).symlink_to(DOCS.parent / name)
    said = "sau ngày ban hành văn bản"
    validated = cli("validate", source)
    rendered = cli("render", "inspection-summary", source, "-o", tmp_path / "tong-hop.md")
    assert rendered.exit_code == 0, rendered.stderr
    assert (said in validated.stderr, said in rendered.stderr) == (warned, warned)


def test_an_inspection_document_without_the_signers_name_is_warned_as_every_document(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    run = cli("render", "correction-request", DOCS / "de-nghi-khac-phuc-SXD.yaml", "-o", tmp_path / "d.md")
    assert "cảnh báo signature: chữ ký chưa có họ tên người ký (`name`)" in run.stderr


def test_a_letter_dated_with_the_day_left_blank_counts_the_reports_of_its_month(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """`date: 2021-12` (the day left for the office): the reports of December count, as on the
    month's last day — not as on 30/11, which dropped the report not accepted on 20/12/2021."""
    text = (DOCS / "chua-chap-nhan-SKHDT.yaml").read_text(encoding="utf-8")
    assert "date: 2021-12-" in text
    source = tmp_path / "van-ban" / "chua-chap-nhan.yaml"
    source.parent.mkdir()
    source.write_text(text.replace("date: 2021-12-", "date: 2021-12 #"), encoding="utf-8")
    for name in ("kiem-tra-2021.yaml", "co-quan.yaml", "du-toan-kiem-tra.yaml", "bien-ban"):
        (tmp_path / name).symlink_to(DOCS.parent / name)
    run = cli("render", "action-rejection", source, "-o", tmp_path / "r.md")
    assert run.exit_code == 0, run.stderr
    assert "20/12/2021" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_validate_gives_an_inspection_document_the_warnings_render_gives(cli: Callable[..., Run]) -> None:
    validated = cli("validate", DOCS / "de-nghi-khac-phuc-SXD.yaml")
    assert "cảnh báo signature: chữ ký chưa có họ tên người ký (`name`)" in validated.stderr


def test_an_inspection_plan_stating_other_funds_than_its_budget_is_warned(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    text = (DOCS / "ke-hoach.yaml").read_text(encoding="utf-8")
    source = tmp_path / "van-ban" / "ke-hoach.yaml"
    source.parent.mkdir()
    funds = "body:\n  - Kinh phí kiểm tra là 50.000.000 đồng (có dự toán kèm theo).\n"
    source.write_text(text.replace("body:\n", funds, 1), encoding="utf-8")
    for name in ("kiem-tra-2021.yaml", "co-quan.yaml", "du-toan-kiem-tra.yaml", "bien-ban"):
        (tmp_path / name).symlink_to(DOCS.parent / name)
    run = cli("render", "inspection-plan", source, "-o", tmp_path / "kh.md")
    assert run.exit_code == 0, run.stderr
    assert "nội dung nêu kinh phí `50.000.000 đồng`, khác tổng dự toán kèm theo (18.770.000 đồng)" in run.stderr
