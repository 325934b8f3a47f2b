"""The page of ``isoprov compare --html``: the changes between two sides first (a chart of the
change and a table per level), then the new side's ranking, each agency's profile by group beside
its old shares, and what exists on one side only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import groupby

from isoprov.core.vietnamese import format_number
from isoprov.pages.html import Bar, Column, change_chart, esc, page, points, signed, table
from isoprov.pages.score import footer, profile, profiles_section, ranking_section, who
from isoprov.scoring.compare import AgencyChange, Comparison
from isoprov.scoring.criteria import level_name
from isoprov.scoring.registry import agency_key
from isoprov.scoring.rules import Result

#: Criteria per agency shown on the page with ``--detail`` (the largest changes).
DETAIL_SHOWN = 5


def _move(a: AgencyChange) -> str:
    if a.old.rank is None or a.new.rank is None or a.level_changed:
        return ""
    step = a.old.rank - a.new.rank
    if step > 0:
        return f' <span class="up" title="lên {step} bậc">▲{step}</span>'
    if step < 0:
        return f' <span class="down" title="xuống {-step} bậc">▼{-step}</span>'
    return ""


def _tone(a: AgencyChange) -> str:
    return "up" if a.change > 0 else ("down" if a.change < 0 else "")


def changes_section(c: Comparison, anchors: dict[str, str]) -> str:
    old, new = c.old_label, c.new_label
    out = []
    for n, (level, group) in enumerate(groupby(c.agencies, key=lambda a: a.level), start=1):
        agencies = list(group)
        heading = level_name(level)
        out.append(f"<h3>{esc(heading)}</h3>")
        ordered = sorted(agencies, key=lambda a: (-a.change, agency_key(a.code)))
        bars = [Bar(f"{a.name} ({a.code})", a.change, signed(a.change)) for a in ordered]
        out.append(change_chart(f"td-chart-{n}", f"Thay đổi tổng điểm {old} → {new} — {heading}", bars))
        columns = [
            Column("Cơ quan"),
            Column(f"Điểm {old}", True),
            Column(f"Hạng {old}", True),
            Column(f"Điểm {new}", True),
            Column(f"Hạng {new}", True),
            Column("Thay đổi", True),
            Column("Xếp loại"),
        ]
        rows = []
        for a in agencies:
            name = esc(f"{a.name} ({a.code})")
            anchor = anchors.get(agency_key(a.code))
            cell = f'<a href="#{anchor}">{name}</a>' if anchor else name
            notes = []
            if a.renamed:
                notes.append(f"{old}: {a.old.name}")
            if a.level_changed:
                notes.append(f"{old}: {level_name(a.old.level).lower()}")
            if notes:
                cell += '<br><span class="small">' + esc("; ".join(notes)) + "</span>"
            band = (
                esc(a.new.band or "")
                if a.old.band == a.new.band
                else f"{esc(a.old.band or '—')} → {esc(a.new.band or '—')}"
            )
            rows.append(
                [
                    cell,
                    points(a.old.total),
                    str(a.old.rank or ""),
                    points(a.new.total),
                    f"{a.new.rank or ''}{_move(a)}",
                    f'<span class="{_tone(a)}">{signed(a.change)}</span>',
                    f'<span class="band">{band}</span>',
                ]
            )
        out.append(table(f"Thay đổi {old} → {new} — {heading.lower()}", columns, rows))
    return "\n".join(out)


def _one_side(c: Comparison) -> str:
    old, new = c.old_label, c.new_label
    out = []
    for title, results in ((f"Chỉ có ở {old}", c.only_old), (f"Chỉ có ở {new}", c.only_new)):
        if results:
            columns = [Column("Cơ quan"), Column("Cấp"), Column("Điểm", True), Column("Xếp loại")]
            rows = [
                [
                    esc(who(r)),
                    esc(level_name(r.level)),
                    points(r.total),
                    f'<span class="band">{esc(r.band or "Không xếp loại")}</span>',
                ]
                for r in results
            ]
            out.append(table(f"Cơ quan {title[0].lower()}{title[1:]}", columns, rows))
    if c.sets_differ:
        out.append(
            f"<p>Hai kỳ dùng bộ tiêu chí khác nhau ({esc(', '.join(c.old_sets))} / {esc(', '.join(c.new_sets))}): "
            "tổng điểm theo bộ của từng kỳ, tiêu chí được so theo mã.</p>"
        )
    for title, ids in (
        (f"Tiêu chí chỉ có ở {old}", c.criteria_only_old),
        (f"Tiêu chí chỉ có ở {new}", c.criteria_only_new),
    ):
        if ids:
            rows = [[esc(x.id), esc(x.title)] for x in ids]
            out.append(table(title, [Column("Mã"), Column("Tiêu chí")], rows))
    return "\n".join(out)


def _detail(a: AgencyChange, old: str, new: str) -> str:
    if not a.criteria:
        return '<p class="small">Không tiêu chí nào thay đổi điểm.</p>'
    columns = [Column("Tiêu chí"), Column(old, True), Column(new, True), Column("Thay đổi", True)]
    rows = [
        [
            f"{esc(x.id)}. {esc(x.title)}",
            "—" if x.old is None else format_number(x.old),
            "—" if x.new is None else format_number(x.new),
            f'<span class="{"up" if x.change > 0 else "down"}">{signed(x.change)}</span>',
        ]
        for x in a.criteria[:DETAIL_SHOWN]
    ]
    more = len(a.criteria) - DETAIL_SHOWN
    tail = f'<p class="small">… và {more} tiêu chí khác thay đổi.</p>' if more > 0 else ""
    return table("Tiêu chí thay đổi nhiều nhất", columns, rows, True) + tail


def compare_page(
    c: Comparison, new: Sequence[Result], old: Sequence[Result], *, detail: bool = False, today: date | None = None
) -> str:
    """The whole page for ``isoprov compare --html``."""
    old_label, new_label = c.old_label, c.new_label
    title = f"So sánh kết quả chấm điểm ISO {old_label} và {new_label}"
    anchors = {id(r): f"cq-{k}" for k, r in enumerate(new, start=1)}
    by_code = {agency_key(r.agency_code): anchors[id(r)] for r in new}
    matched = {agency_key(a.code): a for a in c.agencies}
    old_by: dict[str, Result] = {}
    for r in old:
        old_by.setdefault(agency_key(r.agency_code), r)
    up = sum(1 for a in c.agencies if a.change > 0)
    down = sum(1 for a in c.agencies if a.change < 0)
    facts = [
        (len(c.agencies), "cơ quan có ở cả hai kỳ"),
        (up, "tăng điểm"),
        (down, "giảm điểm"),
        (len(c.only_old), f"chỉ có ở {old_label}"),
        (len(c.only_new), f"chỉ có ở {new_label}"),
    ]

    def card(r: Result, anchor: str) -> str:
        a = matched.get(agency_key(r.agency_code))
        extra = _detail(a, old_label, new_label) if detail and a is not None else ""
        note = ""
        if a is not None:
            note = f' · <span class="{_tone(a)}">{signed(a.change)}</span> so với {esc(old_label)}'
        else:
            note = f" · không có ở {esc(old_label)}"
        return profile(r, anchor, extra, old_by.get(agency_key(r.agency_code)), old_label, note)

    parts = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="lead">Cơ quan khớp theo mã; điểm, xếp loại, hạng theo bộ tiêu chí của từng kỳ '
        f"({esc(', '.join(c.old_sets))} / {esc(', '.join(c.new_sets))}).</p>",
        '<ul class="facts">' + "".join(f"<li><b>{n}</b> {esc(text)}</li>" for n, text in facts) + "</ul>",
        '<nav aria-label="Mục lục"><ul><li><a href="#thay-doi">Thay đổi</a></li>'
        f'<li><a href="#xep-hang">Xếp hạng {esc(new_label)}</a></li>'
        '<li><a href="#ho-so">Điểm từng cơ quan theo nhóm</a></li>'
        '<li><a href="#mot-ky">Chỉ có ở một kỳ</a></li></ul></nav>',
        f'<h2 id="thay-doi">Thay đổi tổng điểm {esc(old_label)} → {esc(new_label)}</h2>',
        changes_section(c, by_code) if c.agencies else "<p>Không có cơ quan nào có kết quả ở cả hai kỳ.</p>",
        f'<h2 id="xep-hang">Xếp hạng {esc(new_label)} theo cấp</h2>',
        ranking_section(new, anchors) if new else "<p>Không có kết quả.</p>",
    ]
    if new:
        parts += [
            f'<h2 id="ho-so">Điểm từng cơ quan theo nhóm tiêu chí ({esc(new_label)}, '
            f"bên cạnh tỉ lệ {esc(old_label)})</h2>",
            profiles_section(new, anchors, card),
        ]
    parts += ['<h2 id="mot-ky">Chỉ có ở một kỳ</h2>', _one_side(c) or "<p>Không có.</p>"]
    return page(title, "\n".join(parts), footer(today))
