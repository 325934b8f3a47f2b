"""``isoprov score --explain`` (SPEC §3b): every result explained line by line, in the table and
as ``explanation`` in JSON, its arithmetic arriving at the scored totals — for a set of §3 as for
one of §3b."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from isoprov.core.vietnamese import format_number
from tests import ROOT
from tests.conftest import Run

Cli = Callable[..., Run]
EXAMPLES = [ROOT / "examples" / "bac-giang-2020" / "assessments", ROOT / "examples" / "mau-2026"]


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.parent.name if p.name == "assessments" else p.name)
def test_json_explanation_arrives_at_each_total(cli: Cli, folder: object) -> None:
    run = cli("score", folder, "--format", "json", "--explain")
    assert run.exit_code == 0, run.stderr
    for r in run.json()["results"]:
        lines = r["explanation"]
        assert lines[0].startswith(f"Giải thích: {r['agency']['name']}")
        total = format_number(Decimal(str(r["total"])), 2)
        own = format_number(Decimal(str(r["self_total"])), 2)
        final_at = lines.index("Tổng điểm:")
        self_at = lines.index("Tổng tự chấm:")
        assert lines[self_at - 1].endswith(f"→ {total}"), lines[final_at:self_at]
        assert any(line.endswith(f"→ {own}") for line in lines[self_at : self_at + 6])
        assert any(line.startswith("Xếp hạng: ") for line in lines)
        assert r["band"] is None or any(r["band"] in line for line in lines if line.startswith("  "))


def test_without_explain_json_has_no_explanation(cli: Cli) -> None:
    run = cli("score", EXAMPLES[1], "--format", "json")
    assert all("explanation" not in r for r in run.json()["results"])


def test_the_table_prints_each_explanation_after_the_ranking(cli: Cli) -> None:
    run = cli("score", EXAMPLES[1], "--explain")
    assert run.exit_code == 0
    assert run.stdout.count("Giải thích: ") == 6
    assert "không xếp loại Tốt: nhóm 1 đạt 45 % < 50 %" in run.stdout
    assert "xếp trên Sở Tư pháp (STP, hạng 4) theo tổng chưa làm tròn: 84,94186… > 84,94" in run.stdout
    assert "3.1 Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn: tự chấm 1.187/1.203 = 98,669991… %" in run.stdout
