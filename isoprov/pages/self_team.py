"""The page of ``isoprov compare --self-team --html``: where agencies score themselves above the
assessment team (tự chấm cao hơn thẩm định), per criterion and per agency."""

from __future__ import annotations

from datetime import date

from isoprov.pages.html import Bar, Column, change_chart, esc, page, points, signed, table
from isoprov.pages.score import footer
from isoprov.scoring.compare import SelfTeam
from isoprov.scoring.criteria import level_name

TITLE = "Điểm tự chấm so với điểm thẩm định"


def self_team_page(s: SelfTeam, today: date | None = None) -> str:
    """Criteria by mean gap (a chart and a table), then agencies by gap."""
    parts = [
        f"<h1>{esc(TITLE)}</h1>",
        '<p class="lead">Chênh lệch = điểm tự chấm − điểm thẩm định (điểm trừ: thẩm định − tự chấm): dương là cơ '
        "quan tự chấm cao hơn đoàn. Trung bình trên các cơ quan được đoàn thẩm định tiêu chí đó.</p>",
        '<h2 id="tieu-chi">Theo tiêu chí</h2>',
    ]
    if s.criteria:
        bars = [Bar(f"{c.id}. {c.title}", c.mean_gap, signed(c.mean_gap)) for c in s.criteria]
        parts.append(change_chart("tc-chart", "Chênh lệch trung bình theo tiêu chí", bars, higher_is_better=False))
        columns = [
            Column("Tiêu chí"),
            Column("Số cơ quan tự chấm cao hơn", True),
            Column("Số cơ quan được thẩm định", True),
            Column("Chênh lệch trung bình", True),
        ]
        rows = [
            [f"{esc(c.id)}. {esc(c.title)}", str(c.agencies_above), str(c.compared), signed(c.mean_gap)]
            for c in s.criteria
        ]
        parts.append(table("Tiêu chí theo chênh lệch trung bình, lớn nhất trước", columns, rows, True))
    else:
        parts.append("<p>Chưa có điểm thẩm định nào để so với điểm tự chấm.</p>")
    parts.append('<h2 id="co-quan">Theo cơ quan</h2>')
    if s.agencies:
        bars = [Bar(f"{a.name} ({a.code})", a.gap, signed(a.gap)) for a in s.agencies]
        parts.append(change_chart("cq-chart", "Chênh lệch tổng điểm của từng cơ quan", bars, higher_is_better=False))
        columns = [
            Column("Cơ quan"),
            Column("Cấp"),
            Column("Tự chấm", True),
            Column("Thẩm định", True),
            Column("Chênh lệch", True),
        ]
        rows = [
            [
                esc(f"{a.name} ({a.code})"),
                esc(level_name(a.level)),
                points(a.self_total),
                points(a.total),
                signed(a.gap),
            ]
            for a in s.agencies
        ]
        parts.append(table("Cơ quan theo chênh lệch tổng điểm (tự chấm − sau thẩm định)", columns, rows, True))
    return page(TITLE, "\n".join(parts), footer(today))
