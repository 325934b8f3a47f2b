"""``isoprov inspect actions --xlsx``: the register of corrective actions as a workbook.

Dates are real date cells shown dd/mm/yyyy; days overdue are numbers; agency names, findings and
actions are user text written with :mod:`isoprov.excel.cells` (never a formula). A total row
counts the overdue actions by formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from isoprov.core.atomic import write_atomic
from isoprov.core.dates import short_date
from isoprov.excel.cells import fit_columns, fit_row_heights, print_landscape, put_text


class ActionLike(Protocol):
    """A row of the register (:class:`isoprov.inspection.actions.ActionRow`, a higher layer)."""

    @property
    def agency(self) -> str: ...
    @property
    def agency_name(self) -> str: ...
    @property
    def finding(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def signed(self) -> dt.date: ...
    @property
    def due(self) -> dt.date: ...
    @property
    def reported(self) -> dt.date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def overdue_days(self) -> int: ...


DATE_FORMAT = "dd/mm/yyyy"
HEADERS = (
    "STT",
    "Mã cơ quan",
    "Cơ quan",
    "Nội dung (Điều 36)",
    "Yêu cầu khắc phục",
    "Ngày ký biên bản",
    "Hạn khắc phục",
    "Ngày báo cáo",
    "Tình trạng",
    "Số ngày quá hạn",
)
TITLE = "SỔ THEO DÕI HÀNH ĐỘNG KHẮC PHỤC SAU KIỂM TRA"


def write_actions_export(
    rows: Sequence[ActionLike], path: Path, today: dt.date, status_labels: Mapping[str, str]
) -> None:
    """Write the register to ``path`` (atomically: a failure leaves no half-written file);
    ``status_labels`` names each status in Vietnamese."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Khắc phục"
    ws.cell(row=1, column=1, value=TITLE).font = Font(bold=True, size=13)
    ws.cell(row=2, column=1, value=f"Tính đến ngày {short_date(today)}").font = Font(italic=True)
    header_row = 4
    for column, text in enumerate(HEADERS, start=1):
        cell = ws.cell(row=header_row, column=column, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    first = header_row + 1
    for i, r in enumerate(rows):
        row = first + i
        ws.cell(row=row, column=1, value=i + 1)
        put_text(ws, row, 2, r.agency)
        put_text(ws, row, 3, r.agency_name)
        put_text(ws, row, 4, r.finding)
        put_text(ws, row, 5, r.action).alignment = Alignment(wrap_text=True, vertical="top")
        for column, day in ((6, r.signed), (7, r.due), (8, r.reported)):
            if day is not None:
                ws.cell(row=row, column=column, value=day).number_format = DATE_FORMAT
        put_text(ws, row, 9, status_labels[r.status])
        overdue = ws.cell(row=row, column=10, value=r.overdue_days)
        overdue.number_format = "0"
        if r.overdue_days > 0:
            overdue.font = Font(bold=True, color="C00000")
    last = first + len(rows) - 1
    total_row = last + 1
    ws.cell(row=total_row, column=9, value="Số việc quá hạn").font = Font(bold=True)
    count = f'=COUNTIF(J{first}:J{last},">0")' if rows else "=0"
    ws.cell(row=total_row, column=10, value=count).font = Font(bold=True)
    fit_columns(ws, fixed={"A": 6, "E": 50, "F": 13, "G": 13, "H": 13})
    fit_row_heights(ws, first, max(first, last))
    print_landscape(ws, header_row)
    write_atomic(path, lambda tmp: wb.save(tmp))
