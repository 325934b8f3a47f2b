"""The HTML printed by a real browser (headless Chromium → PDF, read back with ``pdftotext
-bbox``): A4, the Nghị định 30/2020 margins, page numbers in the top margin from page 2 (none on
an annex, which no browser can number from 1), table header rows repeated, the signature block on
one page (issue 12). Skips where Chromium or poppler is not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import ROOT
from tests.clirun import invoke

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or shutil.which("pdftotext") is None, reason="Chromium or pdftotext is not installed"
)

MM = 72 / 25.4  # points per millimetre
A4 = (210 * MM, 297 * MM)
TOP, LEFT, RIGHT = 20 * MM, 30 * MM, 15 * MM

Word = tuple[float, float, float, float, str]  # xMin, yMin, xMax, yMax, text


def print_html(tmp_path: Path, html: Path) -> Path:
    pdf = tmp_path / "in.pdf"
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert pdf.exists()
    return pdf


def pages(pdf: Path) -> list[tuple[tuple[float, float], list[Word]]]:
    """Each page's size and words with their boxes (points, from the top left)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [
            (float(a), float(b), float(c), float(d), text)
            for a, b, c, d, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page[3]
            )
        ]
        found.append(((float(page[1]), float(page[2])), words))
    return found


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[tuple[float, float], list[Word]]]:
    folder = tmp_path_factory.mktemp("html")
    html = folder / "ke-hoach.html"
    result = invoke(["render", "plan", str(ROOT / "examples/bac-giang-2020/ke-hoach.yaml"), "-o", str(html)])
    assert result.exit_code == 0, result.stderr
    return pages(print_html(folder, html))


def page_text(words: list[Word]) -> str:
    return " ".join(w[4] for w in words)


def test_a4_with_the_decree_margins(printed: list[tuple[tuple[float, float], list[Word]]]) -> None:
    assert len(printed) >= 3  # the plan over two pages, the budget appendix on its own
    for (width, height), words in printed:
        assert (width, height) == pytest.approx(A4, abs=1)
        text = [w for w in words if w[1] > TOP - 1]  # the page number sits in the top margin
        assert min(w[0] for w in text) >= LEFT - 1  # nothing left of 30 mm
        assert max(w[2] for w in text) <= A4[0] - RIGHT + 1  # nor right of 15 mm from the edge
        assert min(w[1] for w in text) == pytest.approx(TOP, abs=6)  # the text starts 20 mm down
    for _, words in printed[:2]:  # the plan's own lines start at 30 mm (the body is justified)
        assert min(w[0] for w in words) == pytest.approx(LEFT, abs=1)


def test_page_numbers_from_page_2_none_on_the_annex(printed: list[tuple[tuple[float, float], list[Word]]]) -> None:
    margins = [[w for w in words if w[3] < TOP] for _, words in printed]
    assert margins[0] == []  # no number on the first page
    ((x0, _, x1, _, number),) = margins[1]
    assert number == "2" and (x0 + x1) / 2 == pytest.approx((LEFT + A4[0] - RIGHT) / 2, abs=3)  # centred
    annex = next(k for k, (_, words) in enumerate(printed) if page_text(words).startswith("Phụ lục"))
    assert annex >= 2 and all(m == [] for m in margins[annex:])


def test_table_header_repeats_and_signature_stays_whole(printed: list[tuple[tuple[float, float], list[Word]]]) -> None:
    texts = [page_text(words) for _, words in printed]
    schedule = [k for k, text in enumerate(texts) if "Thực hiện" in text and "Nội dung" in text]
    assert schedule[:2] == [0, 1]  # the schedule runs over two pages, its header row on both
    (signed,) = [k for k, text in enumerate(texts) if "PHÓ TRƯỞNG BAN" in text]
    assert "Nguyễn Đức Kiên" in texts[signed] and "Nơi nhận:" in texts[signed]


def test_italic_only_lines_stay_italic_only(tmp_path: Path) -> None:
    out = tmp_path / "qd.html"
    result = invoke(["render", "decision", str(ROOT / "examples/nghe-an-2012/quyet-dinh-37.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = out.read_text("utf-8")
    (line,) = re.findall(r'<p class="title">[^\n]*Ban hành kèm theo[^\n]*</p>', text)
    assert "<em>(Ban hành kèm theo" in line and "<strong>" not in line
    assert "p.title { text-align: center; }" in text  # the class adds no weight of its own
