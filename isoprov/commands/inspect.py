"""``isoprov inspect check`` and ``isoprov inspect actions`` (SPEC §9)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from rich.table import Table

from isoprov.commands.common import (
    csv_text,
    emit,
    keep_old_output,
    print_diagnostics,
    refuse_overwriting_inputs,
    require_output,
    require_paths,
    stderr,
    stdout,
    usage_error,
)
from isoprov.core.dates import parse_date, short_date
from isoprov.core.diagnostics import Diagnostic, ExitCode, InputError
from isoprov.core.jsonout import dumps
from isoprov.core.kinds import KIND_NAMES, detect_kind
from isoprov.core.loading import load_yaml
from isoprov.inspection.actions import NO_MINUTES, ActionRow, input_files, register
from isoprov.inspection.checks import CheckResult, check_set
from isoprov.inspection.load import YAML_SUFFIXES, load_set
from isoprov.inspection.model import STATUS_LABELS, Inspection, load_inspection


def today_option(text: str | None) -> dt.date:
    """``--today DATE`` (2026-12-15 or 15/12/2026), or the computer's date."""
    if text is None:
        return dt.date.today()
    try:
        return parse_date(text)
    except ValueError as exc:
        usage_error(f"`--today`: {exc}")


def _inspection_files(paths: list[Path], diagnostics: list[Diagnostic]) -> list[Path]:
    """The inspection files PATHs name; a folder gives the inspection files directly in it."""
    out = []
    for path in paths:
        if not path.is_dir():
            out.append(path)
            continue
        found = []
        for child in sorted(path.iterdir()):
            if child.is_file() and child.suffix.lower() in YAML_SUFFIXES:
                try:
                    if detect_kind(load_yaml(child).data) == "inspection":
                        found.append(child)
                except InputError:
                    continue
        if not found:  # checking nothing must not look like a pass
            message = "không có tệp kế hoạch kiểm tra nào (có `year`, `agencies`, `onsite`) trong thư mục này"
            diagnostics.append(Diagnostic(str(path), message))
        out += found
    return out


def _not_inspection(path: Path) -> list[Diagnostic]:
    """A named file of another kind: one clear error, not one per foreign key."""
    try:
        doc = load_yaml(path)
    except InputError as exc:
        return exc.diagnostics
    kind = detect_kind(doc.data)
    if kind in (None, "inspection"):
        return []
    message = f"tệp này là {KIND_NAMES[kind]}, không phải kế hoạch kiểm tra (có `year`, `agencies`, `onsite`)"
    return [Diagnostic(doc.file, message, 1, 1)]


def run_check(files: list[Path], history: list[Path], output_format: str, today: str | None) -> int:
    """Check each inspection; print a summary per inspection (or one JSON document)."""
    require_paths([*files, *history])
    day = today_option(today)
    errors: list[Diagnostic] = []
    past: list[Inspection] | None = None
    if history:
        past = []
        for path in _inspection_files(history, errors):
            try:
                past.append(load_inspection(path)[0])
            except InputError as exc:
                errors += exc.diagnostics
    results: list[CheckResult] = []
    for path in _inspection_files(files, errors):
        wrong = _not_inspection(path)
        if wrong:
            errors += wrong
            continue
        found, diagnostics = load_set(path)
        errors += diagnostics
        if found is not None:
            results.append(check_set(found, day, past))
    if output_format == "json":
        emit(dumps(check_json(results, errors)))
    else:
        for r in results:
            print_check(r)
        print_diagnostics([*errors, *(d for r in results for d in (*r.errors, *r.findings))])
    failed = bool(errors) or not all(r.ok for r in results)
    return int(ExitCode.INVALID if failed else ExitCode.OK)


def check_json(results: list[CheckResult], errors: list[Diagnostic]) -> dict[str, object]:
    inspections = []
    for r in results:
        entry: dict[str, object] = {
            "file": r.file,
            "year": r.year,
            "agencies": r.agencies,
            "onsite": r.onsite,
            "records": r.agencies - r.onsite,
            "onsite_required": r.onsite_required,
            "findings": [
                {
                    "file": d.file,
                    "code": d.code,
                    "severity": str(d.severity),
                    "line": d.line,
                    "message": d.message if not d.path else f"{d.path}: {d.message}",
                }
                for d in r.findings
            ],
        }
        if r.history is not None:
            entry["history"] = [{"code": h.code, "name": h.name, "last_onsite": h.last_onsite} for h in r.history]
        inspections.append(entry)
        errors = [*errors, *r.errors]
    return {"inspections": inspections, "errors": [d.as_json() for d in errors]}


def print_check(r: CheckResult) -> None:
    status = "[green]✓[/]" if r.ok else "[red]✗[/]"
    stdout.print(f"{status} Kế hoạch kiểm tra năm {r.year} ({r.file})", markup=True)
    stdout.print(
        f"  {r.agencies} cơ quan: tại trụ sở {r.onsite} (tối thiểu ⌈{r.agencies}/3⌉ = {r.onsite_required}), "
        f"qua hồ sơ, báo cáo {r.agencies - r.onsite}",
        markup=False,
    )
    if r.history is not None:
        table = Table(title="Cơ quan lâu nhất chưa được kiểm tra tại trụ sở", title_justify="left")
        table.add_column("STT", justify="right")
        table.add_column("Mã")
        table.add_column("Cơ quan")
        table.add_column("Lần gần nhất tại trụ sở")
        for i, h in enumerate(r.history, start=1):
            table.add_row(str(i), h.code, h.name, str(h.last_onsite) if h.last_onsite else "chưa từng")
        stdout.print(table)


def run_actions(paths: list[Path], today: str | None, output_format: str, xlsx: Path | None) -> int:
    """The register of corrective actions; exit 1 when one is overdue or a file is invalid."""
    require_paths(paths)
    if xlsx is not None:
        require_output(xlsx, (".xlsx",), "tệp Excel")
        refuse_overwriting_inputs([("--xlsx", xlsx)], input_files(paths))
    day = today_option(today)
    rows, errors = register(paths, day)
    if output_format == "json":
        emit(
            dumps(
                {
                    "today": day.isoformat(),
                    "actions": [r.as_json() for r in rows],
                    "errors": [d.as_json() for d in errors if d.is_error],
                }
            )
        )
        print_diagnostics(d for d in errors if not d.is_error)  # a warning is not an entry of `errors`
    elif output_format == "csv":
        emit(actions_csv(rows))
        print_diagnostics(errors)
    else:
        print_actions(rows, day)
        print_diagnostics(errors)
    kept = False
    failed = any(d.is_error for d in errors)
    if xlsx is not None:
        # as `score --xlsx`: a run where no minutes could be read (or none was found: a wrong
        # folder) keeps the existing register
        nothing_read = failed or any(d.code == NO_MINUTES for d in errors)
        if rows or not nothing_read or not xlsx.exists():
            from isoprov.excel.actions_export import write_actions_export

            write_actions_export(rows, xlsx, day, STATUS_LABELS)
            stderr.print(f"Đã ghi {xlsx}", markup=False)
        else:
            keep_old_output(xlsx, "hành động khắc phục")
            kept = True
    overdue = [r for r in rows if r.overdue]
    if overdue and output_format == "table":
        stderr.print(f"{len(overdue)} hành động khắc phục quá hạn.", style="bold red", markup=False)
    return int(ExitCode.INVALID if failed or overdue or kept else ExitCode.OK)


def print_actions(rows: list[ActionRow], day: dt.date) -> None:
    table = Table(title=f"Hành động khắc phục, tính đến ngày {short_date(day)}", title_justify="left")
    for name, justify in (
        ("STT", "right"),
        ("Cơ quan", "left"),
        ("Nội dung", "left"),
        ("Ký biên bản", "left"),
        ("Hạn", "left"),
        ("Báo cáo", "left"),
        ("Tình trạng", "left"),
        ("Quá hạn (ngày)", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for i, r in enumerate(rows, start=1):
        table.add_row(
            str(i),
            r.agency_name,
            r.finding,
            short_date(r.signed),
            short_date(r.due),
            short_date(r.reported) if r.reported else "",
            STATUS_LABELS[r.status],
            str(r.overdue_days) if r.overdue else "",
            style="red" if r.overdue else None,
        )
    stdout.print(table)


CSV_COLUMNS = ("agency", "agency_name", "finding", "action", "signed", "due", "reported", "status", "overdue_days")


def actions_csv(rows: list[ActionRow]) -> str:
    """CSV with the JSON keys; dates ISO; user text never a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        data = r.as_json()
        writer.writerow([csv_text("" if data[c] is None else str(data[c])) for c in CSV_COLUMNS])
    return buffer.getvalue()
