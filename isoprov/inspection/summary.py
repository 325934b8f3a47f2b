"""The figures of the year-end reports.

- November (TT 26/2014 Điều 38.1): the summary to the UBND tỉnh — agencies by form of
  inspection, results per Điều 36 item, corrective actions by status — and one row per on-site
  agency.
- December (QĐ 19/2014 Điều 12, Phụ lục II): per group of agencies (khối), how many are in scope,
  how many have announced their quality system (công bố), how many re-announced (công bố lại) and
  the share announced, with the annexed list of agencies. An announcement dated after the
  report's year is not counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from isoprov.inspection.actions import ActionRow, rows_of
from isoprov.inspection.load import InspectionSet
from isoprov.inspection.model import ITEMS
from isoprov.scoring.registry import Announcement, RegisteredAgency

#: The group of an agency whose registry entry names none.
NO_GROUP = "Chưa xếp khối"


@dataclass(frozen=True)
class ItemCount:
    item: str
    label: str
    met: int
    unmet: int


@dataclass(frozen=True)
class OnsiteRow:
    code: str
    name: str
    date: dt.date
    signed: dt.date | None
    met: int
    unmet: int
    done: int
    open: int
    not_accepted: int
    overdue: int


@dataclass
class NovemberSummary:
    """Số liệu báo cáo tháng 11 (tổng hợp kết quả kiểm tra)."""

    agencies: int
    onsite: int
    records: int
    onsite_required: int
    minutes: int
    items: list[ItemCount]
    actions: dict[str, int]
    overdue: int
    rows: list[OnsiteRow]
    actions_rows: list[ActionRow] = field(default_factory=list)


def november(found: InspectionSet, as_of: dt.date) -> NovemberSummary:
    """The counts of the November summary, overdue actions counted at ``as_of``."""
    from isoprov.inspection.checks import onsite_required

    n = len(found.agencies)
    names = {a.code: a.name for a in found.agencies}
    met = dict.fromkeys(ITEMS, 0)
    unmet = dict.fromkeys(ITEMS, 0)
    actions = {"open": 0, "done": 0, "not-accepted": 0}
    all_rows: list[ActionRow] = []
    per_agency: list[OnsiteRow] = []
    for visit in found.inspection.onsite:
        loaded = found.minutes_of(visit.code)
        if loaded is None:
            per_agency.append(OnsiteRow(visit.code, found.name_of(visit.code), visit.date, None, 0, 0, 0, 0, 0, 0))
            continue
        seen: set[str] = set()
        for f in loaded.minutes.findings:
            if f.item in seen:
                continue
            seen.add(f.item)
            (met if f.result == "dat" else unmet)[f.item] += 1
        rows = rows_of(loaded, names, as_of)
        all_rows += rows
        for r in rows:
            actions[r.status] += 1
        per_agency.append(
            OnsiteRow(
                visit.code,
                found.name_of(visit.code),
                visit.date,
                loaded.minutes.signed,
                sum(1 for f in loaded.minutes.findings if f.result == "dat"),
                len(rows),
                sum(r.status == "done" for r in rows),
                sum(r.status == "open" for r in rows),
                sum(r.status == "not-accepted" for r in rows),
                sum(r.overdue for r in rows),
            )
        )
    onsite = len(found.inspection.onsite)
    return NovemberSummary(
        agencies=n,
        onsite=onsite,
        records=n - onsite,
        onsite_required=onsite_required(n),
        minutes=sum(1 for v in found.inspection.onsite if found.minutes_of(v.code) is not None),
        items=[ItemCount(i, label, met[i], unmet[i]) for i, label in ITEMS.items()],
        actions=actions,
        overdue=sum(r.overdue for r in all_rows),
        rows=per_agency,
        actions_rows=all_rows,
    )


@dataclass(frozen=True)
class GroupCount:
    """One row of the Phụ lục II table."""

    group: str
    in_scope: int
    announced: int
    reannounced: int

    @property
    def not_announced(self) -> int:
        return self.in_scope - self.announced

    @property
    def percent(self) -> Decimal:
        """Tỷ lệ đã công bố (%), one decimal, rounded half up."""
        if self.in_scope == 0:
            return Decimal(0)
        return (Decimal(self.announced) * 100 / self.in_scope).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class AnnexRow:
    code: str
    name: str
    group: str
    announced: Announcement | None
    reannounced: tuple[Announcement, ...]


@dataclass
class DecemberReport:
    """Số liệu báo cáo tháng 12 gửi Bộ Khoa học và Công nghệ (QĐ 19/2014 Phụ lục II)."""

    groups: list[GroupCount]
    total: GroupCount
    annex: list[AnnexRow]


def _until(items: tuple[Announcement, ...], end: dt.date) -> tuple[Announcement, ...]:
    return tuple(a for a in items if a.date <= end)


def december(agencies: tuple[RegisteredAgency, ...], year: int) -> DecemberReport:
    """Per group, in the registry's order of first appearance: agencies in scope, announced by
    31/12 of ``year``, re-announced by then (at least once), and the annexed list."""
    end = dt.date(year, 12, 31)
    order: dict[str, list[RegisteredAgency]] = {}
    annex = []
    for a in agencies:
        group = a.group or NO_GROUP
        order.setdefault(group, []).append(a)
        announced = a.announced if a.announced is not None and a.announced.date <= end else None
        annex.append(AnnexRow(a.code, a.name, group, announced, _until(a.reannounced, end)))
    groups = []
    for group, members in order.items():
        rows = [r for r in annex if r.group == group]
        groups.append(
            GroupCount(
                group,
                len(members),
                sum(r.announced is not None for r in rows),
                sum(bool(r.reannounced) for r in rows),
            )
        )
    total = GroupCount(
        "Tổng cộng",
        sum(g.in_scope for g in groups),
        sum(g.announced for g in groups),
        sum(g.reannounced for g in groups),
    )
    return DecemberReport(groups, total, annex)
