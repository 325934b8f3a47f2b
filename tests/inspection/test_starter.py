"""The two-tier 2026 inspection `isoprov init` writes runs as it is (levels tinh and xa, no huyện)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

Cli = Callable[..., Run]


def test_the_starter_inspection_checks_clean(cli: Cli, starter: Path) -> None:
    run = cli("inspect", "check", "kiem-tra/kiem-tra-2026.yaml", "--format", "json", "--today", "2026-12-01")
    assert run.exit_code == 0, run.stderr
    report = json.loads(run.stdout)
    (inspection,) = report["inspections"]
    assert (inspection["agencies"], inspection["onsite"], inspection["onsite_required"]) == (4, 2, 2)
    assert inspection["findings"] == [] and report["errors"] == []


def test_the_starter_has_no_district_level(starter: Path) -> None:
    text = (starter / "co-quan.yaml").read_text(encoding="utf-8")
    assert "level: huyen" not in text and "level: xa" in text and "level: tinh" in text


def test_the_starter_action_is_due_two_months_after_signing(cli: Cli, starter: Path) -> None:
    on_time = cli("inspect", "actions", "kiem-tra", "--today", "2026-12-14", "--format", "json")
    assert on_time.exit_code == 0
    (action,) = json.loads(on_time.stdout)["actions"]
    assert (action["agency"], action["finding"], action["due"]) == ("XA-TANAN", "2.đ", "2026-12-14")
    assert cli("inspect", "actions", "kiem-tra", "--today", "2026-12-15").exit_code == 1


@pytest.mark.parametrize(
    ("kind", "data", "date_line"),
    [
        ("inspection-plan", "ke-hoach-kiem-tra.yaml", "*Bắc Ninh, ngày tháng 3 năm 2026*"),
        ("minutes", "bien-ban-XA-TANAN.yaml", "*Bắc Ninh, ngày 14 tháng 10 năm 2026*"),
    ],
)
def test_the_starter_documents_render(cli: Cli, starter: Path, kind: str, data: str, date_line: str) -> None:
    run = cli("render", kind, f"kiem-tra/van-ban/{data}", "-o", "out.docx")
    assert run.exit_code == 0, run.stderr
    assert (starter / "out.docx").is_file()
    # the same province as the rest of the starter (tỉnh Bắc Ninh), in the header and the date line
    assert cli("render", kind, f"kiem-tra/van-ban/{data}", "-o", "out.md").exit_code == 0
    header = (starter / "out.md").read_text(encoding="utf-8").split("\n\n", 1)[0]
    header = re.sub(r"[ \xa0]+", " ", header)  # the blank day of a draft is non-breaking spaces
    assert "TỈNH BẮC NINH" in header and date_line in header
