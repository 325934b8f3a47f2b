"""What ``validate`` and ``render`` say about a document beyond its model (issue 12): the
conventions of Nghị định 30/2020 a signable document keeps, as warnings with their line (the
document still renders). One file per warning in ``tests/data/render/canh-bao``."""

from __future__ import annotations

from pathlib import Path

import pytest

from isoprov.core.diagnostics import Severity
from isoprov.core.loading import load_yaml
from isoprov.documents.checks import validate_document_file
from tests import DATA
from tests.clirun import invoke

WARNINGS = DATA / "render" / "canh-bao"

#: file → (line, path, words of the message)
CASES = {
    "khong-ten.yaml": (11, "signature", "họ tên người ký"),
    "trich-yeu-in-hoa.yaml": (8, "header.title", "in hoa"),
    "thieu-ket-thuc.yaml": (12, "body[0].blocks[0]", "`./.`"),
    "luu-thieu-hai-cham.yaml": (10, "recipients[1]", "`Lưu VT, TĐC` thiếu dấu hai chấm"),
    "so-khong-ngay.yaml": (7, "header.date", "đã có số nhưng ngày ban hành còn để trống"),
    "ngay-khong-so.yaml": (3, "header.number", "số văn bản còn để trống"),
}


def warnings(path: Path) -> list[tuple[int | None, str | None, str]]:
    found = validate_document_file(path, load_yaml(path))
    assert all(d.severity is Severity.WARNING for d in found)
    return [(d.line, d.path, d.message) for d in found]


def test_a_document_in_form_has_no_warning() -> None:
    assert warnings(WARNINGS / "du-the-thuc.yaml") == []


@pytest.mark.parametrize("name", CASES)
def test_each_convention_is_one_warning_at_its_line(name: str) -> None:
    line, path, words = CASES[name]
    ((found_line, found_path, message),) = warnings(WARNINGS / name)
    assert (found_line, found_path) == (line, path)
    assert words in message


def test_render_says_the_warnings_and_still_writes(tmp_path: Path) -> None:
    out = tmp_path / "kh.md"
    result = invoke(["render", "plan", str(WARNINGS / "luu-thieu-hai-cham.yaml"), "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
    assert "luu-thieu-hai-cham.yaml:10:" in result.stderr and "thiếu dấu hai chấm" in result.stderr


def test_validate_says_the_warnings_with_exit_code_0() -> None:
    result = invoke(["validate", str(WARNINGS / "khong-ten.yaml")])
    assert result.exit_code == 0
    assert "khong-ten.yaml:11:" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("recipient", "warned"),
    [
        ("Lưu VT", True),
        ("Lưu", True),
        ("lưu VT, TĐC", True),
        ("Lưu: VT", False),
        ("Lưu : VT", False),
        ("Lưu văn thư", True),
        ("Lưu trữ tỉnh", False),
        ("Ông Lưu Văn Bình (để biết)", False),
        ("Sở Nội vụ", False),
    ],
)
def test_store_line_needs_its_colon(tmp_path: Path, recipient: str, warned: bool) -> None:
    text = (WARNINGS / "du-the-thuc.yaml").read_text("utf-8").replace('"Lưu: VT, TĐC"', f'"{recipient}"')
    path = tmp_path / "vb.yaml"
    path.write_text(text, "utf-8")
    assert bool(warnings(path)) is warned
