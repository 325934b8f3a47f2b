"""Building blocks of the results pages: escaping, the page shell with its styles, bar charts as
inline SVG, tables.

Every page is one self-contained file: styles inline, charts inline SVG, no script, no font, image
or style sheet fetched from anywhere, so it opens from an e-mail attachment or a USB stick with no
network. Every piece of user text goes through :func:`esc`. Charts carry a text alternative
(``role="img"`` with ``<title>`` and ``<desc>``) and are followed by a table of the same figures.

Bars are drawn with percentage widths inside an SVG as wide as the page, and labels in pixels:
the chart reflows on a phone instead of shrinking its text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from isoprov.core.vietnamese import format_number

ZERO = Decimal(0)


def esc(text: object) -> str:
    """User text as HTML text or attribute value: ``<``, ``>``, ``&`` and both quotes escaped."""
    return html.escape(str(text), quote=True)


def points(value: Decimal) -> str:
    """Points the Vietnamese way, two decimals: 82,25."""
    return format_number(value, 2)


def signed(value: Decimal) -> str:
    """A change with its sign, the Vietnamese way: +2,50 / −1,25 / 0,00 (a real minus sign)."""
    text = format_number(abs(value), 2)
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a share of ``whole`` in percent (0 when ``whole`` is 0), to one decimal."""
    if whole <= 0:
        return ZERO
    return (part * 100 / whole).quantize(Decimal("0.1"))


# ---------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value, the text shown at its end, and a style class."""

    label: str
    value: Decimal
    shown: str
    tone: str = ""


ROW = 44  # pixels per bar: a label line and the bar under it
BAR = 16


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar], maximum: Decimal, description: str = "") -> str:
    """Horizontal bars from zero to ``maximum`` (a total on its scale), one per row, the label
    above each bar; a text alternative lists every bar."""
    if not bars:
        return ""
    scale = maximum if maximum > 0 else Decimal(1)
    body = []
    for k, b in enumerate(bars):
        y = k * ROW
        width = _pct(max(ZERO, min(b.value, scale)) / scale * 80)
        body.append(
            f'<text class="label" x="0" y="{y + 14}">{esc(short(b.label))}</text>'
            f'<rect class="bar {esc(b.tone)}" x="0" y="{y + 20}" width="{width}%" height="{BAR}" rx="2">'
            f"<title>{esc(b.label)}: {esc(b.shown)}</title></rect>"
            f'<text class="value" x="{width}%" dx="6" y="{y + 33}">{esc(b.shown)}</text>'
        )
    return _svg(chart_id, title, description or _describe(bars), len(bars), "".join(body))


def change_chart(
    chart_id: str, title: str, bars: Sequence[Bar], description: str = "", *, higher_is_better: bool = True
) -> str:
    """Bars to the right of a centre line for a gain, to the left for a loss (sized against the
    largest change); green for the better side, red for the worse (``higher_is_better=False``
    for a gap where above is worse, such as self above team)."""
    if not bars:
        return ""
    largest = max((abs(b.value) for b in bars), default=ZERO) or Decimal(1)
    body = []
    for k, b in enumerate(bars):
        y = k * ROW
        width = _pct(abs(b.value) / largest * 38)
        if b.value >= 0:
            x, anchor, end = "50", "start", _pct(Decimal(50) + abs(b.value) / largest * 38)
            dx = 6
        else:
            x = _pct(Decimal(50) - abs(b.value) / largest * 38)
            anchor, end, dx = "end", x, -6
        good, bad = ("up", "down") if higher_is_better else ("down", "up")
        tone = good if b.value > 0 else (bad if b.value < 0 else "same")
        body.append(
            f'<text class="label" x="0" y="{y + 14}">{esc(short(b.label))}</text>'
            f'<rect class="bar {tone}" x="{x}%" y="{y + 20}" width="{width}%" height="{BAR}" rx="2">'
            f"<title>{esc(b.label)}: {esc(b.shown)}</title></rect>"
            f'<text class="value" x="{end}%" dx="{dx}" y="{y + 33}" text-anchor="{anchor}">{esc(b.shown)}</text>'
        )
    axis = f'<line class="axis" x1="50%" x2="50%" y1="16" y2="{len(bars) * ROW}"/>'
    return _svg(chart_id, title, description or _describe(bars), len(bars), axis + "".join(body))


def short(text: str, limit: int = 60) -> str:
    """A chart label cut to ``limit`` characters with "…" (SVG text does not wrap; the full text is
    in the bar's tooltip, the chart's description and the table)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pct(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def _describe(bars: Iterable[Bar]) -> str:
    return "; ".join(f"{b.label}: {b.shown}" for b in bars) + "."


def _svg(chart_id: str, title: str, description: str, rows: int, body: str) -> str:
    height = rows * ROW + 4
    return (
        f'<figure class="chart"><svg id="{esc(chart_id)}" class="chart" role="img" width="100%" height="{height}" '
        f'aria-labelledby="{esc(chart_id)}-t {esc(chart_id)}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{esc(chart_id)}-t">{esc(title)}</title><desc id="{esc(chart_id)}-d">{esc(description)}</desc>'
        f"{body}</svg></figure>"
    )


# ---------------------------------------------------------------------------
# Tables and the page
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its header and whether its cells are numbers (right-aligned)."""

    header: str
    number: bool = False


def table(caption: str, columns: Sequence[Column], rows: Iterable[Sequence[str]], first_is_header: bool = False) -> str:
    """A table with a caption and column headers; cells are HTML already escaped by the caller.

    ``first_is_header``: each row's first cell names the row (``<th scope="row">``). A table of
    five columns or more is stacked on a phone: each row a block, each cell with its header
    beside it (``data-label``), instead of a table wider than the screen.
    """
    stack = ' class="stack"' if len(columns) >= 5 else ""
    head = "".join(f'<th scope="col"{_num(c)}>{esc(c.header)}</th>' for c in columns)
    body = []
    for row in rows:
        cells = []
        for k, (c, cell) in enumerate(zip(columns, row, strict=True)):
            tag = "th" if first_is_header and k == 0 else "td"
            scope = ' scope="row"' if tag == "th" else ""
            if stack:  # one flex item beside its label, whatever the cell holds
                cell = f"<span>{cell}</span>"
            cells.append(f'<{tag}{scope}{_num(c)} data-label="{esc(c.header)}">{cell}</{tag}>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="scroll"><table{stack}><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _num(c: Column) -> str:
    return ' class="num"' if c.number else ""


def meter(part: Decimal, whole: Decimal, tone: str = "") -> str:
    """A small bar for a share, beside its figures in text (decorative: the text says it all)."""
    share = percent(part, whole)
    return (
        f'<span class="meter {esc(tone)}" aria-hidden="true"><span style="width:{_pct(min(share, Decimal(100)))}%">'
        "</span></span>"
    )


STYLE = """
:root{--ink:#1d2733;--muted:#5b6673;--line:#d5dbe1;--head:#eef3f8;--bar:#2f6fb0;--up:#2e7d4f;--down:#b3413b}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0 auto;max-width:1100px;padding:16px 20px 40px;color:var(--ink);background:#fff;
font:15px/1.45 system-ui,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
h1{font-size:1.45rem;margin:.2em 0 .2em;line-height:1.25}
h2{font-size:1.2rem;margin:1.8em 0 .5em;padding-bottom:.2em;border-bottom:2px solid var(--line)}
h3{font-size:1.02rem;margin:1.2em 0 .4em}
p.lead{color:var(--muted);margin:.2em 0 1em}
.facts{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0;padding:0;list-style:none}
.facts li{background:var(--head);border-radius:6px;padding:6px 12px}
.facts b{font-size:1.15rem}
nav ul{display:flex;flex-wrap:wrap;gap:4px 14px;padding:0;margin:6px 0;list-style:none}
a{color:#1f5a94}
.scroll{overflow-x:auto;margin:8px 0 16px}
table{border-collapse:collapse;width:100%;font-size:.93rem}
caption{text-align:left;font-weight:600;padding:4px 0;color:var(--muted)}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:var(--head);border-bottom:2px solid var(--line);white-space:nowrap}
th[scope=row]{font-weight:normal}
.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.small{color:var(--muted);font-size:.85rem}
figure.chart{margin:8px 0 4px}
svg.chart{display:block;overflow:visible}
svg text{font-size:13px;fill:var(--ink)}
svg text.value{font-weight:600;font-variant-numeric:tabular-nums}
rect.bar{fill:var(--bar)}
rect.bar.up{fill:var(--up)}rect.bar.down{fill:var(--down)}rect.bar.same{fill:var(--muted)}
line.axis{stroke:var(--muted);stroke-width:1}
.up{color:var(--up)}.down{color:var(--down)}
.profiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,440px),1fr));gap:12px}
.profile{border:1px solid var(--line);border-radius:8px;padding:10px 12px;break-inside:avoid;min-width:0}
.profile h3{margin:0 0 4px}
.profile table{font-size:.85rem}
.profile td,.profile th{padding:3px 4px}
.meter{display:block;width:100%;max-width:260px;height:7px;background:var(--head);border-radius:4px;margin:3px 0 1px;
overflow:hidden}
.meter>span{display:block;height:100%;background:var(--bar)}
.meter.old>span{background:#9aa7b4}
.band{white-space:nowrap}
footer{margin-top:32px;color:var(--muted);font-size:.8rem}
@media (max-width:600px){body{padding:10px 10px 30px;font-size:14px}h1{font-size:1.2rem}
th,td{padding:5px 5px}thead th,thead th.num{white-space:normal}.profiles{grid-template-columns:1fr}
svg text{font-size:11.5px}
.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.stack tr{display:block;border-bottom:1px solid var(--line);padding:4px 0}
.stack td,.stack th{display:flex;justify-content:space-between;gap:12px;border:0;padding:2px 4px;text-align:right;
white-space:normal}
.stack td::before,.stack th::before{content:attr(data-label);color:var(--muted);text-align:left;white-space:nowrap}}
@page{size:A4;margin:14mm 12mm}
@media print{body{max-width:none;padding:0;font-size:10pt}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
nav{display:none}h2,h3{break-after:avoid}figure.chart,tr,.profile{break-inside:avoid}.scroll{overflow:visible}
a{color:inherit;text-decoration:none}}
"""


def page(title: str, body: str, footer: str = "") -> str:
    """The whole document: Vietnamese, UTF-8, the styles inline, nothing fetched."""
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="isoprov">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
        f"<footer>{footer}</footer>\n</body>\n</html>\n"
    )
