"""Build inspection folders in a temporary directory: a registry of N agencies, an inspection
file with K of them on site, minutes files. Each file's lines are known, so tests can expect them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

Writer = Callable[..., Path]


def registry_text(n: int) -> str:
    lines = ["agencies:"]
    for i in range(1, n + 1):
        group = "Cơ quan chuyên môn thuộc UBND tỉnh" if i % 2 else "UBND cấp xã"
        lines.append(f"  - {{code: CQ{i:02d}, name: Cơ quan {i}, level: tinh, group: {group}}}")
    return "\n".join(lines) + "\n"


def inspection_text(onsite: Sequence[str], year: int = 2026, team: str | None = None) -> str:
    lines = [
        f"year: {year}",
        "unit: Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "agencies: co-quan.yaml",
        f"reports_due: 15/09/{year}",
        "onsite:",
    ]
    lines += [f"  - {{code: {code}, date: {10 + i:02d}/10/{year}}}" for i, code in enumerate(onsite)]
    if not onsite:
        lines[-1] = "onsite: []"
    lines += (team or "team:\n  - {name: Nguyễn Văn An, position: Phó Giám đốc Sở, role: Trưởng đoàn}").splitlines()
    return "\n".join(lines) + "\n"


MINUTES = """\
inspection: ../kiem-tra.yaml
agency: {code}
place: Trụ sở
signed: {signed}
representatives:
  team: [{{name: Nguyễn Văn An, position: Phó Giám đốc Sở, role: Trưởng đoàn}}]
  agency: [{{name: Lê Văn Cường, position: Giám đốc}}]
findings:
  - {{item: 1.a, result: dat}}
  - {{item: 1.đ, result: chua-dat, note: Chưa đánh giá nội bộ, action: Tổ chức đánh giá nội bộ}}
{actions}"""


@pytest.fixture
def folder(tmp_path: Path) -> Writer:
    """``folder(n, onsite, minutes={code: (signed, actions)})`` → the inspection file."""

    def write(
        n: int,
        onsite: Sequence[str],
        minutes: dict[str, tuple[str, str]] | None = None,
        team: str | None = None,
    ) -> Path:
        (tmp_path / "co-quan.yaml").write_text(registry_text(n), encoding="utf-8")
        path = tmp_path / "kiem-tra.yaml"
        path.write_text(inspection_text(onsite, team=team), encoding="utf-8")
        for code, (signed, actions) in (minutes or {}).items():
            (tmp_path / "bien-ban").mkdir(exist_ok=True)
            text = MINUTES.format(code=code, signed=signed, actions=actions)
            (tmp_path / "bien-ban" / f"{code}.yaml").write_text(text, encoding="utf-8")
        return path

    return write
