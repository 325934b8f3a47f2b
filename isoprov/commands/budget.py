"""``isoprov budget check`` (SPEC §5); ``budget words`` is in :mod:`isoprov.commands.budget_words`."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from isoprov.budget.model import show_money
from isoprov.budget.norms import NormLookup
from isoprov.budget.results import BudgetReport, ItemResult, rules_summary
from isoprov.commands.common import (
    emit,
    keep_old_output,
    print_diagnostics,
    refuse_overwriting_inputs,
    require_output,
    require_paths,
    stderr,
    stdout,
)
from isoprov.commands.tables import LARGE_TABLE, box_table
from isoprov.core.diagnostics import Diagnostic, ExitCode, Severity, os_error_text
from isoprov.core.discovery import YAML_SUFFIXES, discover
from isoprov.core.jsonout import dumps
from isoprov.core.numbers import exact_decimal, format_figure
from isoprov.core.vietnamese import format_number
from isoprov.pipeline.budget import check_file

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}
_MISMATCH = "✗ "


def run_check(files: list[Path], output_format: str, xlsx: Path | None, norms: list[Path]) -> int:
    """Check each budget, print the tables (or one JSON document), return the exit code."""
    require_paths([*files, *norms])
    if xlsx is not None:
        require_output(xlsx, (".xlsx",), "tệp Excel")
    found = discover(files, YAML_SUFFIXES)
    refuse_overwriting_inputs([("--xlsx", xlsx)], [*found.paths, *norms])
    lookup = NormLookup(norms)
    errors: list[Diagnostic] = []
    reports: list[BudgetReport] = []
    errors.extend(found.problems)
    empty = found.empty_folders("dự toán (.yaml, .yml)")
    for path, explicit in found.files:
        checked = check_file(path, lookup.for_budget(path), explicit=explicit)
        errors.extend(checked.problems)
        if checked.report is not None:
            reports.append(checked.report)
    errors[:0] = lookup.problems
    if output_format == "json":
        emit(dumps(json_report(reports, errors)))
    else:
        for report in reports:
            print_report(report)
        if not reports and not errors:
            stdout.print("Không có dự toán nào để kiểm tra.")
    print_diagnostics([*empty, *errors])  # a warning is not an entry of `errors`
    failed = bool(errors) or any(not r.ok for r in reports)
    if xlsx is not None and not write_xlsx(reports, xlsx):
        failed = True
    return int(ExitCode.INVALID if failed else ExitCode.OK)


def write_xlsx(reports: list[BudgetReport], target: Path) -> bool:
    """Write the Excel export; False (with a message) when it could not be written."""
    if not reports:
        keep_old_output(target, "dự toán")
        return False
    from isoprov.excel.budget_export import write_budget_xlsx  # openpyxl only when asked

    try:
        write_budget_xlsx(reports, target)
    except OSError as exc:
        stderr.print(f"Lỗi: {os_error_text(exc, 'ghi')}", style="bold red", markup=False)
        return False
    stderr.print(f"Đã ghi {target}", markup=False)
    return True


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


def budget_json(report: BudgetReport) -> dict[str, Any]:
    """One budget as SPEC §5 gives it, key for key; a budget that uses the rules of SPEC §5b also
    gets ``rounding``, ``lines`` (percentage lines and rounded amounts with their inputs) and
    ``caps`` (the caps checked, derived ones with their derivation)."""
    out: dict[str, Any] = {
        "file": report.file,
        "title": report.budget.title,
        "unit": report.unit,
        "total": report.total,
        "total_vnd": report.total_vnd,
        "total_in_words": report.total_in_words,
        "findings": [
            {"code": f.code, "severity": str(f.severity), "line": f.line, "message": f.message} for f in report.findings
        ],
    }
    if report.uses_rules:
        out.update(rules_json(report))
    return out


def rules_json(report: BudgetReport) -> dict[str, Any]:
    """The SPEC §5b part of a budget's JSON."""
    rounding = report.budget.rounding
    lines = []
    for r in report.rows():
        if r.basis or r.unrounded_vnd is not None:
            lines.append(
                {
                    "line": r.line,
                    "id": r.item.id,
                    "name": r.item.name,
                    "percent": _json_figure(r.item.percent),
                    "of": list(r.item.of),
                    "base_vnd": r.base_vnd,
                    "unrounded_vnd": _json_figure(r.unrounded_vnd),
                    "amount_vnd": r.value_vnd,
                    "amount": report.in_unit(r.value_vnd),
                }
            )
    caps = []
    for cap in report.caps():
        c = cap.norm.cap
        caps.append(
            {
                "id": c.id,
                "max_vnd": _json_figure(cap.max_vnd),
                "min_vnd": c.min_vnd,
                "per": c.per_text,
                "for": list(c.for_),
                "source": cap.norm.source,
                "verified": c.verified,
                "derived_from": [{"percent": p, "of": n.cap.id, "source": n.source} for p, n in cap.chain],
                "share": None if c.share is None else {"percent": c.share.percent, "of": c.share.of},
                "shown": cap.full(),
            }
        )
    return {
        "for": report.budget.for_,
        "rounding": None if rounding is None else {"to_vnd": rounding.to.to_vnd(report.unit), "mode": rounding.mode},
        "lines": lines,
        "caps": caps,
    }


def _json_figure(value: Decimal | Fraction | None) -> Decimal | str | None:
    """A figure for JSON: a Decimal when it has one exactly, else the fraction as ``"15/26"``."""
    if isinstance(value, Fraction):
        exact = exact_decimal(value)
        return exact if exact is not None else f"{value.numerator}/{value.denominator}"
    return value


def json_report(reports: list[BudgetReport], errors: list[Diagnostic]) -> dict[str, Any]:
    return {
        "budgets": [budget_json(r) for r in reports],
        "errors": [d.as_json() for d in errors],
    }


# ---------------------------------------------------------------------------
# Table
# ---------------------------------------------------------------------------


def _figure(report: BudgetReport, vnd: Decimal | None) -> str:
    return "" if vnd is None else format_number(report.in_unit(vnd))


def quantity_cell(r: ItemResult) -> str:
    """The quantity with the extra multipliers, so that a row multiplies out as shown: "8 × 5 ngày"
    beside a rate of 200.000 and an amount of 8.000.000. (On a lump sum they do not count: BUD015.)"""
    item = r.item
    parts = [format_figure(item.quantity)] if item.quantity is not None else []
    parts += [m.shown() for m in item.times]
    return " × ".join(parts)


def _label(report: BudgetReport, r: ItemResult) -> str:
    """What a row's name adds: the rate as written, how a percentage line is computed, the exact
    amount before rounding."""
    item = r.item
    label = ""
    if item.rate is not None and item.rate.explicit and item.rate.unit != report.unit and r.depth == 0:
        label += f" (định mức ghi: {item.rate.text})"  # the column shows it in the budget's unit
    if r.basis:
        base = _figure(report, r.base_vnd)
        label += f" ({r.basis} = {format_figure(item.percent or 0)} % × {base})"
    if r.unrounded_vnd is not None:
        assert report.budget.rounding is not None  # an amount is rounded only by the budget's rule
        label += f" (làm tròn từ {report.budget.rounding.before(r.unrounded_vnd, report.unit)})"
    return label


def _row(report: BudgetReport, r: ItemResult) -> list[RenderableType]:
    item = r.item
    style = "italic" if r.depth else ""
    computed = _figure(report, r.value_vnd)
    computed_cell = Text(_MISMATCH + computed, style="bold red") if r.mismatch else Text(computed)
    declared = Text(_figure(report, r.declared_vnd), style="red" if r.mismatch else "")
    rate = show_money(item.rate, report.unit) if item.rate is not None else ""
    if item.percent is not None:
        rate = f"{format_figure(item.percent)} %"
    if r.depth == 0:
        return [
            Text(f"{r.number}."),
            Text(item.name + _label(report, r)),
            Text(item.unit),
            Text(quantity_cell(r)),
            Text(rate),
            declared,
            computed_cell,
        ]
    # A breakdown row as the seed writes it: "Nước uống đại biểu: 122 người × 20.000 đồng × 10 huyện"
    formula = item.formula(report.unit)
    text = item.name + (f": {formula}" if formula else "") + _label(report, r)
    name = Padding(Text(text, style=style), (0, 0, 0, 2 * r.depth))
    return [Text(""), name, Text(""), Text(""), Text(""), declared, computed_cell]


def report_table(report: BudgetReport) -> Table:
    """The whole budget as a table in its unit, every computed figure beside the declared one."""
    table = Table(show_lines=False, title_justify="left")
    table.add_column("TT", justify="right")
    table.add_column("Nội dung", ratio=1, min_width=24)
    table.add_column("Đơn vị")
    table.add_column("Số lượng", justify="right")
    table.add_column("Định mức", justify="right")
    table.add_column("Thành tiền (kê khai)", justify="right")
    table.add_column("Thành tiền (tính lại)", justify="right")
    for r in report.rows():
        table.add_row(*_row(report, r))
    declared_total = report.budget.total
    declared_vnd = declared_total.to_vnd(report.unit) if declared_total is not None else None
    differs = declared_vnd is not None and declared_vnd != report.total_vnd
    total = format_number(report.total)
    table.add_section()
    table.add_row(
        Text(""),
        Text("Tổng", style="bold"),
        Text(""),
        Text(""),
        Text(""),
        Text(_figure(report, declared_vnd), style="bold red" if differs else "bold"),
        Text(_MISMATCH + total, style="bold red") if differs else Text(total, style="bold"),
    )
    return table


_HEADERS = ("TT", "Nội dung", "Đơn vị", "Số lượng", "Định mức", "Thành tiền (kê khai)", "Thành tiền (tính lại)")
_RIGHT = (True, False, False, True, True, True, True)


def _plain_cells(report: BudgetReport, r: ItemResult) -> list[str]:
    """A row's cells as :func:`_row` writes them, as plain text."""
    computed = _figure(report, r.value_vnd)
    computed = _MISMATCH + computed if r.mismatch else computed
    declared = _figure(report, r.declared_vnd)
    item = r.item
    if r.depth == 0:
        rate = show_money(item.rate, report.unit) if item.rate is not None else ""
        if item.percent is not None:
            rate = f"{format_figure(item.percent)} %"
        return [f"{r.number}.", item.name + _label(report, r), item.unit, quantity_cell(r), rate, declared, computed]
    formula = item.formula(report.unit)
    name = " " * (2 * r.depth) + item.name + (f": {formula}" if formula else "") + _label(report, r)
    return ["", name, "", "", "", declared, computed]


def plain_table(report: BudgetReport) -> str:
    """The table of :func:`report_table` laid out in one pass (column widths from the longest
    cell, no wrapping): for budgets of thousands of lines."""
    rows = [_plain_cells(report, r) for r in report.rows()]
    declared_total = report.budget.total
    declared_vnd = declared_total.to_vnd(report.unit) if declared_total is not None else None
    differs = declared_vnd is not None and declared_vnd != report.total_vnd
    total = format_number(report.total)
    footer = ["", "Tổng", "", "", "", _figure(report, declared_vnd), (_MISMATCH if differs else "") + total]
    return box_table(_HEADERS, rows, _RIGHT, footer)


def print_report(report: BudgetReport) -> None:
    """Title, unit, table, the total in words, then the findings (``file:line: code message``)."""
    stdout.print(Text(report.budget.title.upper(), style="bold"))
    stdout.print(Text(report.file, style="dim"))
    stdout.print(Text(f"Đơn vị tính: {report.unit}", style="italic"))
    if sum(1 for _ in report.rows()) > LARGE_TABLE:
        stdout.file.write(plain_table(report))
        stdout.file.flush()
    else:
        stdout.print(report_table(report))
    if report.total_in_words is not None:
        stdout.print(Text(f"Bằng chữ: {report.total_in_words}", style="italic"))
    else:
        stdout.print(Text("Bằng chữ: (không viết được, xem lỗi BUD010)", style="italic red"))
    for line in rules_summary(report):
        stdout.print(Text(line, style="italic"))
    for f in report.findings:
        stdout.print(Text(f.text(), style=_SEVERITY_STYLE[f.severity]))
    if not report.findings:
        stdout.print(Text("Không có sai sót nào.", style="green"))
    stdout.print()
