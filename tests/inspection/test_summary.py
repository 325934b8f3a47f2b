"""The figures of the November summary and the December report, checked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from isoprov.inspection.load import load_set
from isoprov.inspection.summary import NO_GROUP, december, november
from isoprov.scoring.registry import Announcement, RegisteredAgency

ROOT = Path(__file__).resolve().parents[2]
BINH_PHUOC = ROOT / "examples" / "binh-phuoc-2021" / "kiem-tra-2021.yaml"


def test_november_counts_of_binh_phuoc() -> None:
    found, _ = load_set(BINH_PHUOC)
    assert found is not None
    s = november(found, dt.date(2022, 2, 15))
    # 31 agencies: 5 on site, 26 by records; two minutes (SKHDT, SXD)
    assert (s.agencies, s.onsite, s.records, s.onsite_required, s.minutes) == (31, 5, 26, 11, 2)
    by_item = {c.item: (c.met, c.unmet) for c in s.items}
    assert by_item["1.a"] == (2, 0)
    assert by_item["1.đ"] == (1, 1)  # met at SXD, unmet at SKHDT
    assert by_item["2.d"] == (1, 1)  # met at SKHDT, unmet at SXD
    assert sum(m + u for m, u in by_item.values()) == 26  # 13 items × 2 minutes
    # one action done (SKHDT, after a report not accepted), one open and overdue (SXD)
    assert s.actions == {"open": 1, "done": 1, "not-accepted": 0}
    assert s.overdue == 1
    rows = {r.code: r for r in s.rows}
    assert (rows["SXD"].met, rows["SXD"].unmet, rows["SXD"].overdue) == (12, 1, 1)
    assert rows["SNGV"].signed is None


def test_december_counts_of_binh_phuoc() -> None:
    found, _ = load_set(BINH_PHUOC)
    assert found is not None
    r = december(found.agencies, 2021)
    table = [(g.group, g.in_scope, g.announced, g.reannounced, g.not_announced, g.percent) for g in r.groups]
    assert table == [
        ("Cơ quan chuyên môn thuộc UBND tỉnh", 19, 19, 0, 0, Decimal("100.0")),
        ("Cơ quan khác thuộc UBND tỉnh", 1, 0, 0, 1, Decimal("0.0")),
        # Bù Gia Mập has not announced; Đồng Xoài re-announced on 06/09/2021; 10/11 = 90,909… %
        ("UBND cấp huyện", 11, 10, 1, 1, Decimal("90.9")),
    ]
    # 29/31 = 93,548… % → 93,5
    assert (r.total.in_scope, r.total.announced, r.total.reannounced, r.total.percent) == (31, 29, 1, Decimal("93.5"))
    assert len(r.annex) == 31


def a(code: str, group: str | None, announced: str | None, *again: str) -> RegisteredAgency:
    return RegisteredAgency(
        code=code,
        name=code,
        group=group,
        announced=Announcement(date=dt.date.fromisoformat(announced)) if announced else None,
        reannounced=tuple(Announcement(date=dt.date.fromisoformat(d)) for d in again),
    )


def test_announcements_after_the_year_are_not_counted() -> None:
    r = december(
        (
            a("A", "X", "2026-12-31", "2027-01-02"),
            a("B", "X", "2027-01-01"),
            a("C", None, "2020-01-01", "2025-08-20", "2026-03-01"),
            a("D", "X", None),
        ),
        2026,
    )
    assert [(g.group, g.in_scope, g.announced, g.reannounced) for g in r.groups] == [
        ("X", 3, 1, 0),
        (NO_GROUP, 1, 1, 1),
    ]
    # 1/3 = 33,33… % → 33,3; 2/4 = 50 %
    assert r.groups[0].percent == Decimal("33.3")
    assert r.total.percent == Decimal("50.0")


def test_half_percent_rounds_up() -> None:
    agencies = tuple(a(str(i), "X", "2020-01-01" if i < 1 else None) for i in range(8))
    assert december(agencies, 2026).total.percent == Decimal("12.5")  # 1/8 exactly
    agencies = tuple(a(str(i), "X", "2020-01-01" if i < 1 else None) for i in range(16))
    assert december(agencies, 2026).total.percent == Decimal("6.3")  # 6,25 → 6,3 (half up)
