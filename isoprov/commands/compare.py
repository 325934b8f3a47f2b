"""``isoprov compare``: two sides scored and matched by agency code, or self against team (SPEC §10)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from isoprov.commands.common import (
    csv_number,
    csv_text,
    emit,
    keep_old_output,
    print_diagnostics,
    refuse_overwriting_inputs,
    require_output,
    require_paths,
    signed_points,
    stderr,
    stdout,
    usage_error,
)
from isoprov.commands.tables import show_table
from isoprov.core.diagnostics import Diagnostic, ExitCode, Severity, has_errors
from isoprov.core.discovery import NOTHING_FOUND
from isoprov.core.jsonout import dumps
from isoprov.core.vietnamese import format_number
from isoprov.pipeline.score import ASSESSMENTS_WANTED, assessment_files, score_found
from isoprov.scoring.catalog import Catalog
from isoprov.scoring.compare import AgencyChange, Comparison, SelfTeam, compare_results, self_team_gaps
from isoprov.scoring.criteria import level_name
from isoprov.scoring.rules import Result

#: Criteria per agency that ``--detail`` shows in the table and the page (JSON, CSV and the
#: Excel file list every criterion that changed).
DETAIL_SHOWN = 5


def run(
    paths: list[Path],
    criteria: list[Path],
    output_format: str,
    xlsx: Path | None,
    html: Path | None,
    detail: bool,
    self_team: bool,
) -> int:
    """Score, compare, report, and return the exit code."""
    if self_team:
        if not paths:
            usage_error("`--self-team` cần ít nhất một đường dẫn tới các bản tự đánh giá")
        if xlsx is not None:
            usage_error("`--self-team` chưa ghi tệp Excel; dùng `--format csv` hoặc `--html`")
    elif len(paths) != 2:
        usage_error(
            f"cần đúng hai đường dẫn OLD NEW (kỳ trước, kỳ sau), không phải {len(paths)}; "
            "so sánh điểm tự chấm với điểm thẩm định thì dùng `--self-team PATH...`"
        )
    require_paths([*paths, *criteria])
    if xlsx is not None:
        require_output(xlsx, (".xlsx",), "tệp Excel")
    if html is not None:
        require_output(html, (".html", ".htm"), "trang HTML")
    if not self_team and os.path.samefile(paths[0], paths[1]):
        usage_error(
            f"OLD và NEW là cùng một đường dẫn (`{paths[0]}`, `{paths[1]}`): so với chính nó thì không có gì "
            "thay đổi; hãy chỉ hai kỳ khác nhau (hai năm, hoặc bản trước và sau khi thẩm định lại)"
        )
    sides = [assessment_files(paths)] if self_team else [assessment_files([paths[0]]), assessment_files([paths[1]])]
    empty = [warning for side in sides for warning in side.empty_folders(ASSESSMENTS_WANTED)]
    refuse_overwriting_inputs([("--xlsx", xlsx), ("--html", html)], [*(p for f in sides for p in f.paths), *criteria])
    catalog = Catalog.default(criteria)
    catalog.load_explicit()
    if self_team:
        batch = score_found(sides[0], catalog)
        gaps = self_team_gaps(batch.results)
        failed = _report_self_team(gaps, [*empty, *batch.diagnostics], output_format)
        if html is not None:
            from isoprov.pages.self_team import self_team_page

            failed |= not _write_page(html, bool(batch.results), lambda: self_team_page(gaps))
        return int(ExitCode.INVALID if failed else ExitCode.OK)
    old = score_found(sides[0], catalog)
    new = score_found(sides[1], catalog)
    comparison = compare_results(old.results, new.results)
    diagnostics = [*empty, *old.diagnostics, *new.diagnostics, *comparison.warnings]
    if output_format == "json":
        emit(dumps(json_report(comparison, diagnostics, detail)))
        print_diagnostics(d for d in diagnostics if d.severity is Severity.ERROR or d.code == NOTHING_FOUND)
    elif output_format == "csv":
        emit(csv_report(comparison, detail))
        print_diagnostics(diagnostics)
    else:
        print_table(comparison, detail)
        print_diagnostics(diagnostics)
    failed = has_errors(diagnostics)
    anything = bool(old.results or new.results)
    if xlsx is not None:
        # as `score --xlsx`: an existing file with real results is not replaced by an empty one
        if anything or not xlsx.exists():
            from isoprov.excel.compare_export import write_compare_export  # openpyxl only when asked

            write_compare_export(comparison, diagnostics, xlsx)
            stderr.print(f"Đã ghi {xlsx}", markup=False)
        else:
            keep_old_output(xlsx, "kết quả so sánh")
            failed = True
    if html is not None:
        from isoprov.pages.compare import compare_page

        page = lambda: compare_page(comparison, new.results, old.results, detail=detail)  # noqa: E731
        failed |= not _write_page(html, anything, page)
    return int(ExitCode.INVALID if failed else ExitCode.OK)


def _write_page(target: Path, anything: bool, page: Callable[[], str]) -> bool:
    """Write the page atomically; an existing page is kept when the run had no valid result
    (as ``score --xlsx``). Returns whether it was written."""
    if not anything and target.exists():
        keep_old_output(target, "kết quả")
        return False
    from isoprov.core.atomic import write_text_atomic

    write_text_atomic(target, page())
    stderr.print(f"Đã ghi {target}", markup=False)
    return True


# ---------------------------------------------------------------------------
# JSON and CSV
# ---------------------------------------------------------------------------


def _standing_json(total: Decimal, band: str | None, rank: int | None) -> dict[str, Any]:
    return {"total": total, "band": band, "rank": rank}


def agency_json(a: AgencyChange, detail: bool) -> dict[str, Any]:
    """One matched agency as SPEC §10 gives it; ``--detail`` adds the criteria that changed."""
    out: dict[str, Any] = {
        "code": a.code,
        "name": a.name,
        "level": a.level,
        "old": _standing_json(a.old.total, a.old.band, a.old.rank),
        "new": _standing_json(a.new.total, a.new.band, a.new.rank),
        "change": a.change,
    }
    if detail:
        out["criteria"] = [
            {"id": c.id, "title": c.title, "old": c.old, "new": c.new, "change": c.change} for c in a.criteria
        ]
    return out


def _one_side_json(r: Result) -> dict[str, Any]:
    return {"code": r.agency_code, "name": r.agency_name, "level": r.level, **_standing_json(r.total, r.band, r.rank)}


def json_report(c: Comparison, diagnostics: Sequence[Diagnostic], detail: bool) -> dict[str, Any]:
    """SPEC §10's document, plus the criterion ids found on one side only."""
    return {
        "agencies": [agency_json(a, detail) for a in c.agencies],
        "only_old": [_one_side_json(r) for r in c.only_old],
        "only_new": [_one_side_json(r) for r in c.only_new],
        "criteria_only_old": [{"id": x.id, "title": x.title} for x in c.criteria_only_old],
        "criteria_only_new": [{"id": x.id, "title": x.title} for x in c.criteria_only_new],
        "errors": [d.as_json() for d in diagnostics if d.severity is Severity.ERROR],
    }


_CSV_SUMMARY = [
    "status",
    "code",
    "name",
    "level",
    "old_name",
    "old_level",
    "old_total",
    "old_band",
    "old_rank",
    "new_total",
    "new_band",
    "new_rank",
    "change",
]
_CSV_DETAIL = ["code", "name", "level", "criterion", "title", "old", "new", "change"]


def csv_report(c: Comparison, detail: bool) -> str:
    """One row per agency (``status``: ``both``, ``only_old``, ``only_new``); ``--detail``: one
    row per agency and criterion that changed. ``.`` decimal mark, UTF-8, formula-like text quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if detail:
        writer.writerow(_CSV_DETAIL)
        for a in c.agencies:
            for x in a.criteria:
                writer.writerow(
                    [
                        *map(csv_text, (a.code, a.name, a.level, x.id, x.title)),
                        csv_number(x.old),
                        csv_number(x.new),
                        csv_number(x.change),
                    ]
                )
        return buffer.getvalue()
    writer.writerow(_CSV_SUMMARY)
    for a in c.agencies:
        writer.writerow(
            [
                "both",
                *map(csv_text, (a.code, a.name, a.level, a.old.name, a.old.level)),
                csv_number(a.old.total),
                csv_text(a.old.band or ""),
                a.old.rank,
                csv_number(a.new.total),
                csv_text(a.new.band or ""),
                a.new.rank,
                csv_number(a.change),
            ]
        )
    for status, results in (("only_old", c.only_old), ("only_new", c.only_new)):
        for r in results:
            mine = [csv_number(r.total), csv_text(r.band or ""), r.rank]
            blank = ["", "", ""]
            old, new = (mine, blank) if status == "only_old" else (blank, mine)
            writer.writerow(
                [
                    status,
                    *map(csv_text, (r.agency_code, r.agency_name, r.level)),
                    # the name and level in the old period: only an agency that had one has them
                    *(map(csv_text, (r.agency_name, r.level)) if status == "only_old" else ("", "")),
                    *old,
                    *new,
                    "",
                ]
            )
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Table
# ---------------------------------------------------------------------------


def _points(value: Decimal | None) -> str:
    return "—" if value is None else format_number(value)


def _rank_move(a: AgencyChange) -> str:
    if a.old.rank is None or a.new.rank is None or a.level_changed:
        return ""
    step = a.old.rank - a.new.rank
    return f"▲{step}" if step > 0 else (f"▼{-step}" if step < 0 else "=")


def _table_cells(a: AgencyChange, old: str) -> tuple[str, ...]:
    """One agency's row of the comparison table."""
    who = f"{a.name} ({a.code})"
    if a.renamed:
        who += f"\n  trước đây: {a.old.name}"
    if a.level_changed:
        who += f"\n  {old}: {level_name(a.old.level).lower()}"
    band = (a.new.band or "") if a.old.band == a.new.band else f"{a.old.band or '—'} → {a.new.band or '—'}"
    return (
        who,
        format_number(a.old.total, 2),
        str(a.old.rank or ""),
        format_number(a.new.total, 2),
        f"{a.new.rank or ''} {_rank_move(a)}".strip(),
        signed_points(a.change),
        band,
    )


def print_table(c: Comparison, detail: bool) -> None:
    """Rich tables on stdout: one per (new) level, then agencies and criteria on one side only."""
    old, new = c.old_label, c.new_label
    if not c.agencies:
        stdout.print("Không có cơ quan nào có kết quả ở cả hai kỳ để so sánh.")
    headers = ("Cơ quan", f"Điểm {old}", f"Hạng {old}", f"Điểm {new}", f"Hạng {new}", "Thay đổi", "Xếp loại")
    right = (False, True, True, True, True, True, False)
    for level, group in groupby(c.agencies, key=lambda a: a.level):
        title = f"{level_name(level)} — so sánh {old} và {new}"
        rows = [_table_cells(a, old) for a in group]
        show_table(stdout, title, headers, right, rows)
    for title, results in (
        (f"Chỉ có ở {old} (không có ở {new}):", c.only_old),
        (f"Chỉ có ở {new} (không có ở {old}):", c.only_new),
    ):
        if results:
            stdout.print(Text(title, style="bold"))
            for r in results:
                line = f"  - {r.agency_name} ({r.agency_code}), {level_name(r.level).lower()}: "
                stdout.print(line + f"{format_number(r.total, 2)} điểm, {r.band}", markup=False)
    if c.sets_differ:
        stdout.print(
            f"Hai kỳ dùng bộ tiêu chí khác nhau ({', '.join(c.old_sets)} / {', '.join(c.new_sets)}): "
            "tổng điểm theo bộ của từng kỳ, tiêu chí được so theo mã.",
            markup=False,
        )
    for title, ids in (
        (f"Tiêu chí chỉ có ở {old}:", c.criteria_only_old),
        (f"Tiêu chí chỉ có ở {new}:", c.criteria_only_new),
    ):
        if ids:
            stdout.print(Text(title, style="bold"))
            for x in ids:
                stdout.print(f"  - {x.id}: {x.title}", markup=False)
    if detail:
        for a in c.agencies:
            _print_detail(a, old, new)


def _print_detail(a: AgencyChange, old: str, new: str) -> None:
    title = f"Tiêu chí thay đổi nhiều nhất: {a.name} ({a.code}) — {signed_points(a.change)} điểm"
    if not a.criteria:
        stdout.print(Text(title + ": không tiêu chí nào thay đổi"))
        return
    stdout.print(Text(title, style="bold"))
    shown = a.criteria[:DETAIL_SHOWN]
    # a change is what the criterion adds to the total: fewer penalty points is a gain (2 → 0: +2)
    caption = (
        "Với điểm trừ, thay đổi là phần cộng vào tổng điểm: bớt điểm trừ là tăng."
        if any(x.kind == "penalty" for x in shown)
        else None
    )
    table = Table(caption=caption, caption_justify="left")
    for name, justify in (("Mã", "left"), ("Tiêu chí", "left"), (old, "right"), (new, "right"), ("Thay đổi", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for x in shown:
        table.add_row(*map(Text, (x.id, x.title, _points(x.old), _points(x.new), signed_points(x.change))))
    stdout.print(table)
    more = len(a.criteria) - DETAIL_SHOWN
    if more > 0:
        stdout.print(f"  … và {more} tiêu chí khác thay đổi (xem --format csv --detail)", markup=False)


# ---------------------------------------------------------------------------
# Self against team
# ---------------------------------------------------------------------------


def self_team_json(s: SelfTeam, diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    """SPEC §10's self-team document, key for key."""
    return {
        "criteria": [
            {"id": c.id, "title": c.title, "agencies_above": c.agencies_above, "mean_gap": c.mean_gap}
            for c in s.criteria
        ],
        "agencies": [{"code": a.code, "name": a.name, "gap": a.gap} for a in s.agencies],
        "errors": [d.as_json() for d in diagnostics if d.severity is Severity.ERROR],
    }


def self_team_csv(s: SelfTeam) -> str:
    """Criteria rows (``section`` = ``criterion``), then agency rows (``agency``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "id", "title", "agencies_above", "compared", "mean_gap", "self_total", "total", "gap"])
    for c in s.criteria:
        writer.writerow(
            [
                "criterion",
                csv_text(c.id),
                csv_text(c.title),
                c.agencies_above,
                c.compared,
                csv_number(c.mean_gap),
                "",
                "",
                "",
            ]
        )
    for a in s.agencies:
        writer.writerow(
            [
                "agency",
                csv_text(a.code),
                csv_text(a.name),
                "",
                "",
                "",
                csv_number(a.self_total),
                csv_number(a.total),
                csv_number(a.gap),
            ]
        )
    return buffer.getvalue()


def _report_self_team(s: SelfTeam, diagnostics: list[Diagnostic], output_format: str) -> bool:
    """Print the report; returns whether some input failed."""
    if output_format == "json":
        emit(dumps(self_team_json(s, diagnostics)))
        print_diagnostics(d for d in diagnostics if d.severity is Severity.ERROR or d.code == NOTHING_FOUND)
    elif output_format == "csv":
        emit(self_team_csv(s))
        print_diagnostics(diagnostics)
    else:
        print_self_team(s)
        print_diagnostics(diagnostics)
    return has_errors(diagnostics)


def print_self_team(s: SelfTeam) -> None:
    """Criteria by mean gap, then agencies by gap."""
    if not s.criteria:
        stdout.print("Chưa có điểm thẩm định nào để so với điểm tự chấm.")
    else:
        table = Table(
            title=Text("Tiêu chí tự chấm cao hơn thẩm định (chênh lệch = tự chấm − thẩm định)"), title_justify="left"
        )
        for name, justify in (
            ("Mã", "left"),
            ("Tiêu chí", "left"),
            ("Số cơ quan tự chấm cao hơn", "right"),
            ("Số cơ quan được thẩm định", "right"),
            ("Chênh lệch trung bình", "right"),
        ):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        for c in s.criteria:
            table.add_row(
                *map(Text, (c.id, c.title, str(c.agencies_above), str(c.compared), signed_points(c.mean_gap)))
            )
        stdout.print(table)
    if s.agencies:
        table = Table(
            title=Text("Chênh lệch của từng cơ quan (tổng tự chấm − tổng sau thẩm định)"), title_justify="left"
        )
        for name, justify in (
            ("Cơ quan", "left"),
            ("Cấp", "left"),
            ("Tự chấm", "right"),
            ("Thẩm định", "right"),
            ("Chênh lệch", "right"),
        ):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        for a in s.agencies:
            cells = (
                f"{a.name} ({a.code})",
                level_name(a.level),
                format_number(a.self_total, 2),
                format_number(a.total, 2),
                signed_points(a.gap),
            )
            table.add_row(*map(Text, cells))
        stdout.print(table)
