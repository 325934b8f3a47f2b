"""The results page of ``isoprov score --html``: ranking per level with a bar chart of totals,
each agency's profile by group, the agencies that have not submitted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from itertools import groupby

from isoprov.core.vietnamese import format_date, format_number
from isoprov.pages.html import Bar, Column, bar_chart, esc, meter, page, percent, points, signed, table
from isoprov.scoring.criteria import level_name
from isoprov.scoring.registry import RegisteredAgency
from isoprov.scoring.rules import GroupResult, Result

TITLE = "Kết quả chấm điểm việc áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001"


def pools(results: Sequence[Result]) -> list[tuple[tuple[str, str, str], list[Result]]]:
    """Results by criteria set, period and level, in the order given (ranked within each)."""
    return [(k, list(g)) for k, g in groupby(results, key=lambda r: (r.criteria, r.period, r.level))]


def scale_of(pool: Sequence[Result]) -> Decimal:
    """The chart's full width: 100, or the highest total when a set's scale is larger."""
    return max([Decimal(100), *(r.total for r in pool)])


def who(r: Result) -> str:
    return f"{r.agency_name} ({r.agency_code})"


def profile_link(r: Result, anchors: dict[int, str]) -> str:
    anchor = anchors.get(id(r))
    name = esc(who(r))
    return f'<a href="#{anchor}">{name}</a>' if anchor else name


def ranking_section(results: Sequence[Result], anchors: dict[int, str], chart_prefix: str = "xh") -> str:
    """Per criteria set, period and level: the bar chart of totals, then the ranking table."""
    out = []
    for n, ((criteria, period, level), pool) in enumerate(pools(results), start=1):
        heading = f"{level_name(level)} — kỳ {period}"
        out.append(
            f'<h3 id="{chart_prefix}-{n}">{esc(heading)} <span class="small">(bộ tiêu chí {esc(criteria)})</span></h3>'
        )
        bars = [Bar(f"{r.rank}. {who(r)}", r.total, f"{points(r.total)} · {r.band or 'Không xếp loại'}") for r in pool]
        out.append(bar_chart(f"{chart_prefix}-chart-{n}", f"Tổng điểm sau thẩm định — {heading}", bars, scale_of(pool)))
        columns = [
            Column("Hạng", True),
            Column("Cơ quan"),
            Column("Tự chấm", True),
            Column("Thẩm định", True),
            Column("Chênh lệch", True),
            Column("Xếp loại"),
        ]
        rows = [
            [
                str(r.rank or ""),
                profile_link(r, anchors),
                points(r.self_total),
                points(r.total),
                signed(r.difference),
                f'<span class="band">{esc(r.band or "Không xếp loại")}</span>',
            ]
            for r in pool
        ]
        out.append(table(f"Xếp hạng {heading.lower()}", columns, rows))
    return "\n".join(out)


def group_rows(
    groups: Sequence[GroupResult], old: dict[str, GroupResult] | None = None, old_label: str = ""
) -> list[list[str]]:
    """One row per top-level group: earned/possible and the share, with the old side's beside it."""
    rows = []
    for g in groups:
        share = percent(g.earned, g.possible)
        cells = [
            f"{esc(g.id)}. {esc(g.title)}{meter(g.earned, g.possible)}",
            f"{format_number(g.earned)}/{format_number(g.possible)}",
            f"{_pct(share)} %",
        ]
        if old is not None:
            before = old.get(g.id)
            if before is None:
                cells.append("—")
            else:
                was = percent(before.earned, before.possible)
                move = share - was
                tone = "up" if move > 0 else ("down" if move < 0 else "")
                change = f' <span class="{tone}">({_signed_pct(move)})</span>' if move else ""
                cells.append(f"{_pct(was)} %{change}")
        rows.append(cells)
    return rows


def _pct(value: Decimal) -> str:
    return format_number(value, 1)


def _signed_pct(value: Decimal) -> str:
    text = _pct(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


def profile(
    r: Result, anchor: str, extra: str = "", old: Result | None = None, old_label: str = "", heading_note: str = ""
) -> str:
    """One agency's card: its total, band, rank, and its points by group."""
    columns = [Column("Nhóm tiêu chí"), Column("Điểm", True), Column("Tỉ lệ", True)]
    if old is not None:
        columns.append(Column(old_label, True))
    old_groups = {g.id: g for g in old.groups} if old is not None else None
    facts = (
        f"{esc(level_name(r.level))} · hạng {r.rank or '—'} · <b>{points(r.total)}</b> điểm · "
        f"{esc(r.band or 'Không xếp loại')} · tự chấm {points(r.self_total)}"
    )
    return (
        f'<section class="profile" id="{esc(anchor)}" aria-labelledby="{esc(anchor)}-h">'
        f'<h3 id="{esc(anchor)}-h">{esc(who(r))}</h3><p class="small">{facts}{heading_note}</p>'
        + table("Điểm theo nhóm tiêu chí", columns, group_rows(r.groups, old_groups, old_label), True)
        + extra
        + "</section>"
    )


def profiles_section(
    results: Sequence[Result], anchors: dict[int, str], card: Callable[[Result, str], str] | None = None
) -> str:
    make = card or (lambda r, anchor: profile(r, anchor))
    return '<div class="profiles">' + "".join(make(r, anchors[id(r)]) for r in results) + "</div>"


def footer(today: date | None = None) -> str:
    when = format_date(today or date.today())
    return f"Lập bằng isoprov, {esc(when)}. Điểm theo SPEC §3: điểm thẩm định thay điểm tự chấm khi có."


def score_page(results: Sequence[Result], missing: Sequence[RegisteredAgency] = (), today: date | None = None) -> str:
    """The whole page for ``isoprov score --html``."""
    anchors = {id(r): f"cq-{k}" for k, r in enumerate(results, start=1)}
    periods = sorted({r.period for r in results})
    lead = f"Kỳ {', '.join(periods)}. " if periods else ""
    lead += f"{len(results)} cơ quan được chấm điểm"
    lead += f", {len(missing)} cơ quan chưa nộp." if missing else "."
    parts = [
        f"<h1>{esc(TITLE)}</h1>",
        f'<p class="lead">{esc(lead)}</p>',
        '<nav aria-label="Mục lục"><ul><li><a href="#xep-hang">Xếp hạng theo cấp</a></li>'
        '<li><a href="#ho-so">Điểm từng cơ quan theo nhóm</a></li>'
        + ('<li><a href="#chua-nop">Chưa nộp</a></li>' if missing else "")
        + "</ul></nav>",
        '<h2 id="xep-hang">Xếp hạng theo cấp</h2>',
        ranking_section(results, anchors) if results else "<p>Không có bản tự đánh giá hợp lệ nào để chấm điểm.</p>",
    ]
    if results:
        parts += ['<h2 id="ho-so">Điểm từng cơ quan theo nhóm tiêu chí</h2>', profiles_section(results, anchors)]
    if missing:
        items = "".join(f"<li>{esc(a.name)} ({esc(a.code)})</li>" for a in missing)
        parts += ['<h2 id="chua-nop">Cơ quan chưa nộp bản tự đánh giá</h2>', f"<ul>{items}</ul>"]
    return page(TITLE, "\n".join(parts), footer(today))
