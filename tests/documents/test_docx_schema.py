"""Every DOCX isoprov writes is valid WordprocessingML (ECMA-376 transitional), checked by
``openxml-audit`` (a pure-Python port of the Open XML SDK's validator): Word opens it without
"Word found unreadable content" and without repairing it (issue 12). The documents are those the
examples and the test data produce, with the shipped layout and on a user's letterhead."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests import DATA, ROOT
from tests.clirun import invoke
from tests.documents.test_inspection_documents import CASES as INSPECTION_CASES

openxml_audit = pytest.importorskip("openxml_audit", reason="openxml-audit is in the test extra")

EXAMPLES = ROOT / "examples"
RENDER = DATA / "render"

#: (kind, data file): every document the examples and the test data render
DOCUMENTS = [
    ("plan", EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml"),
    ("notice", EXAMPLES / "bac-giang-2017/thong-bao-307.yaml"),
    ("plan", EXAMPLES / "bac-giang-2020/ke-hoach.yaml"),
    ("report", EXAMPLES / "bac-giang-2020/bao-cao.yaml"),
    ("decision", EXAMPLES / "nghe-an-2012/quyet-dinh-37.yaml"),
    ("plan", EXAMPLES / "binh-phuoc-2021/ke-hoach-kiem-tra.yaml"),
    # the yearly inspection's documents (SPEC §9), with the two-column signature of the minutes
    *((kind, EXAMPLES / "binh-phuoc-2021/van-ban" / f"{name}.yaml") for kind, name in INSPECTION_CASES),
    ("report", RENDER / "bao-cao/bao-cao.yaml"),
    *(
        ("plan", RENDER / name)
        for name in (
            "dong-trong.yaml",
            "html-nguoi-dung.yaml",
            "ky-tu-dac-biet.yaml",
            "toi-thieu.yaml",
            "ke-hoach-du-toan-dong.yaml",
            *(f"canh-bao/{f.name}" for f in sorted((RENDER / "canh-bao").glob("*.yaml"))),
        )
    ),
]


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def findings(path: Path) -> list[str]:
    result = openxml_audit.OpenXmlValidator().validate(str(path))
    return [str(error) for error in result.errors]


def render(kind: str, data: Path, out: Path, *extra: str | Path) -> Path:
    result = invoke(["render", kind, str(data), "-o", str(out), *map(str, extra)])
    assert result.exit_code == 0, result.stderr
    return out


@pytest.mark.parametrize(("kind", "data"), DOCUMENTS, ids=[f"{d.parent.name}/{d.name}" for _, d in DOCUMENTS])
def test_every_rendered_docx_is_schema_valid(tmp_path: Path, kind: str, data: Path) -> None:
    assert findings(render(kind, data, tmp_path / "vb.docx")) == []


def test_a_docx_on_a_letterhead_is_schema_valid(tmp_path: Path) -> None:
    base = docx.Document()
    base.sections[0].header.paragraphs[0].text = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    base.add_paragraph("Số: {{ doc.header | so_hieu }}")
    base.save(str(tmp_path / "giay.docx"))
    out = render(
        "plan", EXAMPLES / "bac-giang-2015/ke-hoach-52.yaml", tmp_path / "kh.docx", "--template", tmp_path / "giay.docx"
    )
    assert findings(out) == []


def test_the_validator_finds_what_word_would_repair(tmp_path: Path) -> None:
    """The check can fail: a table property out of its schema order is reported."""
    document = docx.Document()
    table = document.add_table(rows=1, cols=1)
    table.autofit = False  # <w:tblLayout>, in its place
    table._tbl.tblPr.append(table._tbl.tblPr.find(docx.oxml.ns.qn("w:tblLayout")))  # moved after tblLook
    document.save(str(tmp_path / "sai.docx"))
    assert any("tblLayout" in finding for finding in findings(tmp_path / "sai.docx"))
