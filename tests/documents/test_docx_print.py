"""The DOCX as printed (LibreOffice → PDF, read back with pdftotext): every amount of a budget
appendix in đồng on one line (the number columns sized from their content), and each annex or
attached document numbering its pages from 1 in a section of its own (issue 12)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from tests import DATA, ROOT
from tests.clirun import invoke
from tests.conftest import libreoffice_convert, needs_libreoffice

EXAMPLES = ROOT / "examples"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) is not installed")


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def render(kind: str, data: Path, out: Path) -> Path:
    result = invoke(["render", kind, str(data), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


def pdf_pages(tmp_path: Path, document: Path) -> list[str]:
    folder, stderr = libreoffice_convert(tmp_path, document, to="pdf", out=tmp_path / "pdf")
    pdf = folder / document.with_suffix(".pdf").name
    assert pdf.exists(), stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@needs_libreoffice
@needs_pdftotext
def test_every_amount_in_dong_prints_on_one_line(tmp_path: Path) -> None:
    data = DATA / "render" / "ke-hoach-du-toan-dong.yaml"
    markup = render("plan", data, tmp_path / "kh.md").read_text("utf-8")
    # the amounts as the appendix writes them: the last cell of each row of its table
    amounts = re.findall(r"\|\s*\**\*?([\d.]+)\**\s*\|\s*$", markup, re.MULTILINE)
    assert "18.770.000" in amounts and "8.000.000" in amounts and len(amounts) >= 8
    pages = pdf_pages(tmp_path, render("plan", data, tmp_path / "kh.docx"))
    words = {word for page in pages for line in page.splitlines() for word in line.split()}
    assert [a for a in amounts if a not in words] == []
    for rate in ("1.500.000", "200.000", "30.000"):  # the rates too
        assert rate in words


def section_properties(path: Path) -> list[object]:
    body = docx.Document(str(path)).element.body
    return body.findall(f".//{qn('w:sectPr')}")


def test_each_annex_and_attached_document_is_a_section_numbered_from_1(tmp_path: Path) -> None:
    out = render("decision", EXAMPLES / "nghe-an-2012/quyet-dinh-37.yaml", tmp_path / "qd.docx")
    sections = section_properties(out)
    assert len(sections) == 2  # the decision, the attached plan
    first, attached = sections
    assert first.find(qn("w:pgNumType")) is None  # the main document keeps its numbering
    assert attached.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert attached.find(qn("w:type")).get(qn("w:val")) == "nextPage"
    assert attached.find(qn("w:titlePg")) is not None  # no number on its first page either
    out = render("plan", DATA / "render" / "toi-thieu.yaml", tmp_path / "kh.docx")
    assert len(section_properties(out)) == 3  # the plan, an annex, an attached plan


@needs_libreoffice
@needs_pdftotext
def test_the_attached_plan_numbers_its_pages_from_1(tmp_path: Path) -> None:
    pages = pdf_pages(tmp_path, render("decision", EXAMPLES / "nghe-an-2012/quyet-dinh-37.yaml", tmp_path / "qd.docx"))
    starts = [k for k, page in enumerate(pages) if "(Ban hành kèm theo Quyết định số" in page]
    assert len(starts) == 1
    start = starts[0]
    numbers = [page.strip().split("\n", 1)[0].strip() for page in pages]
    # the decision: no number on page 1, then 2, …; the plan again from its own page 1
    assert numbers[1:start] == [str(n) for n in range(2, start + 1)]
    assert not numbers[start].isdigit()
    assert numbers[start + 1 :] == [str(n) for n in range(2, len(pages) - start + 1)]
    assert len(pages) - start >= 3
