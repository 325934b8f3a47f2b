"""``isoprov score``: print ranked results as a table, JSON or CSV; optionally an Excel export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any

from rich.text import Text

from isoprov.commands.common import csv_number as _num
from isoprov.commands.common import csv_text as _text
from isoprov.commands.common import (
    emit,
    keep_old_output,
    print_diagnostics,
    refuse_overwriting_inputs,
    require_file,
    require_output,
    require_paths,
    stderr,
    stdout,
)
from isoprov.commands.common import signed_points as _signed
from isoprov.commands.tables import show_table
from isoprov.core.diagnostics import ExitCode, InputError, Severity
from isoprov.core.jsonout import dumps
from isoprov.core.loading import gc_paused
from isoprov.core.vietnamese import format_number
from isoprov.pipeline.score import ASSESSMENTS_WANTED, assessment_files, score_found
from isoprov.scoring.batch import Batch
from isoprov.scoring.catalog import Catalog
from isoprov.scoring.criteria import CriteriaSet, Criterion, level_name
from isoprov.scoring.measure import EntryValue, show_input
from isoprov.scoring.registry import Registry, load_registry
from isoprov.scoring.rules import Result

PROGRESS_THRESHOLD = 50


def run(
    paths: list[Path],
    criteria: list[Path],
    output_format: str,
    xlsx: Path | None,
    detail: bool,
    strict: bool,
    agencies: Path | None,
    html: Path | None = None,
    explain: bool = False,
) -> int:
    """Score, report, and return the exit code."""
    require_paths([*paths, *criteria])
    if agencies is not None:
        require_file(agencies, "danh sách cơ quan", "--agencies")
    if xlsx is not None:
        require_output(xlsx, (".xlsx",), "tệp Excel")
    if html is not None:
        require_output(html, (".html", ".htm"), "trang HTML")
    catalog = Catalog.default(criteria)
    catalog.load_explicit()
    registry: Registry | None = None
    early = []
    if agencies is not None:
        try:
            registry = load_registry(agencies)
        except InputError as exc:
            early.extend(exc.diagnostics)
    found = assessment_files(paths)
    early.extend(found.empty_folders(ASSESSMENTS_WANTED))
    refuse_overwriting_inputs(
        [("--xlsx", xlsx), ("--html", html)], [*found.paths, *criteria, *([agencies] if agencies else [])]
    )
    with _progress() as tick:
        batch = score_found(found, catalog, strict=strict, registry=registry, progress=tick)
    batch.diagnostics[:0] = early
    # Speed: a large batch holds millions of objects; the cyclic collector would walk them all
    # for nothing while the report is built (it makes no cycles)
    with gc_paused():
        explanations = explain_batch(batch, catalog) if explain else None
        if output_format == "json":
            emit(dumps(json_report(batch, explanations)))
            # a result's own warnings are in its JSON; the others (registry, folders) only here
            in_results = {r.file for r in batch.results}
            print_diagnostics(d for d in batch.diagnostics if d.severity is Severity.ERROR or d.file not in in_results)
        elif output_format == "csv":
            emit(csv_report(batch, detail))
            print_diagnostics(batch.diagnostics)
        else:
            print_table(batch, detail, catalog)
            if explanations is not None:
                print_explanations(explanations)
            print_diagnostics(batch.diagnostics)
    failed = not batch.ok
    if xlsx is not None:
        # a new workbook lists the problems for whoever opens it; an existing one with real
        # results is not replaced by one that has none
        if batch.results or not xlsx.exists():
            from isoprov.excel.score_export import write_score_export  # openpyxl only when asked

            write_score_export(batch, xlsx, catalog)  # the sets given with --criteria too
            stderr.print(f"Đã ghi {xlsx}", markup=False)
        else:
            keep_old_output(xlsx, "kết quả chấm điểm")
            failed = True
    if html is not None:
        # as the workbook: an existing page with real results is not replaced by an empty one
        if batch.results or not html.exists():
            from isoprov.core.atomic import write_text_atomic
            from isoprov.pages.score import score_page

            write_text_atomic(html, score_page(batch.results, batch.missing))
            stderr.print(f"Đã ghi {html}", markup=False)
        else:
            keep_old_output(html, "kết quả chấm điểm")
            failed = True
    return int(ExitCode.INVALID if failed else ExitCode.OK)


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for large batches, only when stderr is a terminal.

    The bar starts with the first tick of a large batch: a small run writes nothing to stderr
    (a live display hides and shows the cursor even when it shows no task)."""
    if not stderr.is_terminal:
        yield None
        return
    with ExitStack() as stack:
        bar: Any = None
        task: Any = None

        def tick(done: int, total: int) -> None:
            nonlocal bar, task
            if total < PROGRESS_THRESHOLD:
                return
            if bar is None:
                from rich.progress import Progress

                bar = stack.enter_context(Progress(console=stderr, transient=True))
                task = bar.add_task("Đang chấm điểm", total=total)
            bar.update(task, completed=done + 1)

        yield tick


def result_json(r: Result, explanation: list[str] | None = None) -> dict[str, Any]:
    """One result as SPEC §4 and §3b give it, key for key: ``band_missed`` always, each group's
    ``weight`` when the set weighs its groups, ``explanation`` with ``--explain``."""
    weighted = any(g.weight != 1 for g in r.groups)
    out = {
        "file": r.file,
        "agency": {"code": r.agency_code, "name": r.agency_name, "level": r.level},
        "criteria": r.criteria,
        "period": r.period,
        "self_total": r.self_total,
        "total": r.total,
        "band": r.band,
        "band_missed": [{"band": m.band, "reasons": list(m.reasons)} for m in r.band_missed],
        "rank": r.rank,
        "groups": [
            {"id": g.id, "earned": g.earned, "possible": g.possible, "weight": g.weight}
            if weighted
            else {"id": g.id, "earned": g.earned, "possible": g.possible}
            for g in r.groups
        ],
        "warnings": list(r.warnings),
    }
    if explanation is not None:
        out["explanation"] = explanation
    return out


def explain_batch(batch: Batch, catalog: Catalog) -> list[list[str]]:
    """Each result's explanation, in result order (its pool: the same set, period and level)."""
    from isoprov.scoring.explain import explain

    pools: dict[tuple[str, str, str], list[Result]] = {}
    for r in batch.results:
        pools.setdefault((r.criteria, r.period, r.level), []).append(r)
    out = []
    for r in batch.results:
        cs = catalog.get(r.criteria)
        assert cs is not None  # the set that scored it
        out.append(explain(r, cs, pools[(r.criteria, r.period, r.level)]))
    return out


def print_explanations(explanations: list[list[str]]) -> None:
    for lines in explanations:
        stdout.print()
        for line in lines:
            stdout.print(line, markup=False, highlight=False, soft_wrap=True)


def json_report(batch: Batch, explanations: list[list[str]] | None = None) -> dict[str, Any]:
    return {
        "results": [
            result_json(r, None if explanations is None else explanations[i]) for i, r in enumerate(batch.results)
        ],
        "errors": [d.as_json() for d in batch.diagnostics if d.severity is Severity.ERROR],
        "missing": [{"code": a.code, "name": a.name} for a in batch.missing],
    }


_CSV_SUMMARY = [
    "rank",
    "agency_code",
    "agency_name",
    "level",
    "self_total",
    "total",
    "difference",
    "band",
    "criteria",
    "period",
    "file",
    "status",
    "warnings",
]
_CSV_DETAIL = [
    "agency_code",
    "agency_name",
    "level",
    "criterion",
    "title",
    "max",
    "self",
    "team",
    "final",
    "applicable",
    "na_reason",
    "evidence_count",
    "file",
]


def csv_report(batch: Batch, detail: bool) -> str:
    """CSV for scripts and spreadsheets: one row per agency (``--detail``: per criterion).

    Keys as in the JSON output, ``.`` as the decimal mark, UTF-8. The summary also has a row per
    registered agency that has not submitted (``status`` = ``missing``). Text that a spreadsheet
    would take for a formula (``=``, ``+``, ``-``, ``@`` first) is written with a leading ``'``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if detail:
        writer.writerow(_CSV_DETAIL)
        for r in batch.results:
            for d in r.details:
                writer.writerow(
                    [
                        _text(r.agency_code),
                        _text(r.agency_name),
                        _text(r.level),
                        _text(d.id),
                        _text(d.title),
                        _num(d.max),
                        _num(d.self_points),
                        _num(d.team),
                        _num(d.final),
                        "yes" if d.applicable else "no",
                        _text(d.na_reason or ""),
                        d.evidence_count,
                        _text(r.file),
                    ]
                )
    else:
        writer.writerow(_CSV_SUMMARY)
        for r in batch.results:
            writer.writerow(
                [
                    r.rank,
                    _text(r.agency_code),
                    _text(r.agency_name),
                    _text(r.level),
                    _num(r.self_total),
                    _num(r.total),
                    _num(r.difference),
                    _text(r.band or ""),
                    _text(r.criteria),
                    _text(r.period),
                    _text(r.file),
                    "scored",
                    _text("; ".join(r.warnings)),
                ]
            )
        for a in batch.missing:
            writer.writerow(
                ["", _text(a.code), _text(a.name), _text(a.level or ""), "", "", "", "", "", "", "", "missing", ""]
            )
    return buffer.getvalue()


def _vn(value: Decimal | None, places: int | None = None) -> str:
    return "" if value is None else format_number(value, places)


def _input(raw: EntryValue | None, c: Criterion | None, points: str = "") -> str:
    """A criterion's input as the detail table shows it: ``96,5 % → 4``, ``2 lần → 1``, ``Đạt``."""
    if raw is None:
        return ""
    if c is not None and c.per is not None:
        shown = f"{show_input(raw, None)} lần"
    else:
        shown = show_input(raw, c.measure if c is not None else None)
    return f"{shown} → {points}" if points else shown


def _places(cs: CriteriaSet | None) -> int:
    """How many decimals the set's totals have (2 unless its ``rounding`` says otherwise)."""
    return 2 if cs is None or cs.rounding is None else cs.rounding.places


_TABLE_HEADERS = ("Hạng", "Cơ quan", "Cấp", "Tự chấm", "Thẩm định", "Chênh lệch", "Xếp loại")
_TABLE_RIGHT = (True, False, False, True, True, True, False)


def print_table(batch: Batch, detail: bool, catalog: Catalog | None = None) -> None:
    """Rich tables on stdout, one per criteria set, period and level."""
    if not batch.results:
        stdout.print("Không có bản tự đánh giá hợp lệ nào để chấm điểm.")
    sets = {r.criteria: catalog.get(r.criteria) if catalog is not None else None for r in batch.results}
    for (criteria, period, level), group in groupby(batch.results, key=lambda r: (r.criteria, r.period, r.level)):
        places = _places(sets[criteria])
        title = f"{level_name(level)} — kỳ {period} — bộ tiêu chí {criteria}"
        rows = [
            (
                str(r.rank),
                f"{r.agency_name} ({r.agency_code})",
                r.level,
                _vn(r.self_total, places),
                _vn(r.total, places),
                _signed(r.difference, places),
                r.band or "Không xếp loại",
            )
            for r in group
        ]
        show_table(stdout, title, _TABLE_HEADERS, _TABLE_RIGHT, rows)
    if detail:
        for r in batch.results:
            print_detail(r, sets[r.criteria])
    if batch.missing:
        stdout.print("[bold]Cơ quan chưa nộp bản tự đánh giá:[/]")
        for a in batch.missing:
            stdout.print(f"  - {a.name} ({a.code})", markup=False)


def print_detail(r: Result, cs: CriteriaSet | None = None) -> None:
    from rich.table import Table  # only for a detail table: not on the start-up of --format json

    table = Table(
        title=Text(f"Chi tiết: {r.agency_name} ({r.agency_code}) — {format_number(r.total, _places(cs))} điểm"),
        title_justify="left",
    )
    for name, justify in (
        ("Mã", "left"),
        ("Tiêu chí", "left"),
        ("Tối đa", "right"),
        ("Tự chấm", "right"),
        ("Thẩm định", "right"),
        ("Điểm", "right"),
        ("Kiểm chứng", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for d in r.details:
        final = "Không áp dụng" if d.na_reason else ("—" if not d.applicable else _vn(d.final))
        own, team = _vn(d.self_points), _vn(d.team)
        if d.kind == "condition":  # no points: the result, Đạt / Không đạt
            own, team = _input(d.self_input, None), _input(d.team_input, None)
            final = final if d.na_reason or not d.applicable else "—"
        elif d.self_input is not None or d.team_input is not None:  # a value or a count → points
            criterion = cs.index.get(d.id) if cs is not None else None
            own = _input(d.self_input, criterion, own)
            team = _input(d.team_input, criterion, team)
        max_text = "" if d.kind == "condition" else _vn(d.max)
        cells = (d.id, d.title, max_text, own, team, final, str(d.evidence_count))
        table.add_row(*map(Text, cells))
    stdout.print(table)
    for w in r.warnings:
        stdout.print(f"  cảnh báo: {w}", style="yellow", markup=False)
