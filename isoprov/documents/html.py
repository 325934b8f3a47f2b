"""Blocks → a standalone HTML page laid out and printed like the paper document (Nghị định
30/2020): ``@page`` A4 with the decree's margins, page numbers centred in the top margin from
page 2 (browsers that print CSS margin boxes: Chromium 131 and later), headings kept with their
text, table header rows repeated on each page, the signature block never split, and the sizes,
column widths and rule lengths of the DOCX (:mod:`.page`, :mod:`.columns`).

An annex or attached document (``::: section``) starts a page; its pages carry no number, as no
browser restarts the page counter (the DOCX numbers them from 1).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from isoprov.documents.blocks import (
    CLOSING_REGIONS,
    HEADER_REGIONS,
    Block,
    Bullets,
    Heading,
    Paragraph,
    Region,
    Run,
    TableBlock,
    group_regions,
    split_lines,
)
from isoprov.documents.columns import column_widths
from isoprov.documents.page import (
    BODY_PT,
    CELL_PADDING_MM,
    CLOSING_COLUMNS_MM,
    FIRST_LINE_INDENT_CM,
    MARGINS_MM,
    NUMBER_PT,
    PAGE_NUMBER_PT,
    RECIPIENTS_LEAD_PT,
    RECIPIENTS_PT,
    SIGNING_SPACE_PT,
    SPACE_AFTER_PT,
    TABLE_PT,
    TEXT_WIDTH_MM,
    header_layout,
    region_lines,
    title_rule_mm,
)

_TOP, _BOTTOM, _LEFT, _RIGHT = MARGINS_MM
_FONT = '"Times New Roman", "Liberation Serif", serif'

_CSS = f"""
@page {{ size: A4; margin: {_TOP}mm {_RIGHT}mm {_BOTTOM}mm {_LEFT}mm;
  @top-center {{ content: counter(page); font-family: {_FONT}; font-size: {PAGE_NUMBER_PT}pt; }} }}
@page :first {{ @top-center {{ content: none; }} }}
@page annex {{ @top-center {{ content: none; }} }}
body {{ font-family: {_FONT}; font-size: {BODY_PT}pt; color: #000; line-height: 1.2; margin: 0; }}
@media screen {{ body {{ width: {TEXT_WIDTH_MM}mm; margin: {_TOP}mm auto; }} }}
p {{ margin: 0; orphans: 2; widows: 2; }}
p.body {{ margin: 0 0 {SPACE_AFTER_PT}pt 0; text-align: justify; text-indent: {FIRST_LINE_INDENT_CM}cm; }}
p.heading {{ margin: 0 0 {SPACE_AFTER_PT}pt 0; text-align: justify; text-indent: {FIRST_LINE_INDENT_CM}cm;
  font-weight: bold; break-after: avoid; page-break-after: avoid; break-inside: avoid; }}
p.minor {{ font-style: italic; }}
p.center {{ margin: 0 0 {SPACE_AFTER_PT}pt 0; text-align: center; }}
p.right {{ margin: 0 0 {SPACE_AFTER_PT}pt 0; text-align: right; }}
p.title {{ text-align: center; }}
p.head, p.numdate {{ text-align: center; }}
p.numdate {{ margin-top: 6pt; }}
p.lead {{ font-size: {RECIPIENTS_LEAD_PT}pt; margin-top: 6pt; }}
p.recipient {{ font-size: {RECIPIENTS_PT}pt; }}
p.sign {{ text-align: center; }}
p.sign.first {{ margin-top: 6pt; }}
p.signed {{ text-align: center; margin-top: {SIGNING_SPACE_PT}pt; }}
div.signing-space {{ height: {SIGNING_SPACE_PT}pt; }}
div.rule {{ border-bottom: 0.75pt solid #000; margin: 3pt auto 0 auto; height: 0; }}
div.titleblock {{ margin: 12pt 0; break-inside: avoid; page-break-inside: avoid; break-after: avoid;
  page-break-after: avoid; }}
table.layout {{ width: {TEXT_WIDTH_MM}mm; table-layout: fixed; border-collapse: collapse; }}
table.layout td {{ vertical-align: top; padding: 0 {CELL_PADDING_MM / 2}mm; }}
table.header {{ margin: 0 0 6pt 0; break-inside: avoid; page-break-inside: avoid; }}
table.closing {{ break-inside: avoid; page-break-inside: avoid; break-before: avoid; page-break-before: avoid; }}
table.grid {{ width: {TEXT_WIDTH_MM}mm; table-layout: fixed; border-collapse: collapse; margin: 6pt 0;
  font-size: {TABLE_PT}pt; }}
table.grid thead {{ display: table-header-group; }}
table.grid tr {{ break-inside: avoid; page-break-inside: avoid; }}
table.grid th, table.grid td {{ border: 0.75pt solid #000; padding: 2pt {CELL_PADDING_MM / 2}mm;
  vertical-align: middle; }}
div.pagebreak {{ break-after: page; page-break-after: always; }}
div.annex {{ break-before: page; page-break-before: always; page: annex; }}
"""

_PARAGRAPH_CLASS = {"center": "center", "right": "right", "title": "title"}


def to_html(blocks: Sequence[Block], title: str) -> str:
    """A standalone HTML page laid out like the paper document (one class per element, so
    that simple renderers and mail clients show it too)."""
    parts: list[list[str]] = [[]]
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Region) and block.name == "section":
            parts.append([])
            i += 1
            continue
        if isinstance(block, Region) and block.name in HEADER_REGIONS:
            group, i = group_regions(blocks, i, HEADER_REGIONS)
            parts[-1].append(_html_header(group))
            continue
        if isinstance(block, Region) and block.name in CLOSING_REGIONS:
            group, i = group_regions(blocks, i, CLOSING_REGIONS)
            parts[-1].append(_html_closing(group))
            continue
        parts[-1].append(_html_block(block))
        i += 1
    body = "\n".join(parts[0])
    for part in parts[1:]:
        body += '\n<div class="annex">\n' + "\n".join(part) + "\n</div>"
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n" + body + "\n</body>\n</html>\n"
    )


def html_runs(runs: Sequence[Run]) -> str:
    out: list[str] = []
    for run in runs:
        if run.is_break:
            out.append("<br>")
            continue
        text = html.escape(run.text).replace("  ", "&nbsp; ")
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _p(cls: str, runs: Sequence[Run], style: str = "") -> str:
    shown = f' style="{style}"' if style else ""
    return f'<p class="{cls}"{shown}>{html_runs(runs)}</p>'


def _mm(value: float) -> str:
    return f"{value:.1f}mm"


def _html_block(block: Block, cls: str = "body") -> str:
    if isinstance(block, Paragraph):
        return _p(cls, block.runs)
    if isinstance(block, Heading):
        return _p("heading minor" if block.level >= 4 else "heading", block.runs)
    if isinstance(block, Bullets):
        return "\n".join(_p(cls, (Run("- "), *item)) for item in block.items)
    if isinstance(block, TableBlock):
        widths = column_widths(block, TEXT_WIDTH_MM, TABLE_PT, CELL_PADDING_MM)
        cols = "".join(f'<col style="width:{_mm(w)}">' for w in widths)
        head = "".join(f'<th style="text-align:center">{html_runs(c)}</th>' for c in block.header)
        rows = "".join(
            "<tr>"
            + "".join(f'<td style="text-align:{a}">{html_runs(c)}</td>' for c, a in zip(row, block.align, strict=True))
            + "</tr>"
            for row in block.rows
        )
        return (
            f'<table class="grid"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    if block.name == "pagebreak":
        return '<div class="pagebreak"></div>'
    if block.name == "title":
        # one line per line, as the DOCX: the kind, the title, the reference to the main document
        paragraphs = [b for b in block.blocks if isinstance(b, Paragraph | Heading)]
        lines = "\n".join(_p("title", line) for p in paragraphs for line in split_lines(p.runs))
        rule = title_rule_mm([p.runs for p in paragraphs])
        return f'<div class="titleblock">{lines}<div class="rule" style="width:{_mm(rule)}"></div></div>'
    return "\n".join(_html_block(b, _PARAGRAPH_CLASS.get(block.name, "body")) for b in block.blocks)


def _html_header(group: dict[str, Region]) -> str:
    """The two-column header, sized as the DOCX's (:func:`.page.header_layout`)."""
    layout = header_layout(
        region_lines(group.get("issuer")), region_lines(group.get("motto")), region_lines(group.get("date"))
    )
    issuer = "".join(_p("head", line, f"font-size:{layout.issuer_pt}pt") for line in layout.issuer)
    if layout.issuer:
        issuer += f'<div class="rule" style="width:{_mm(layout.issuer_rule_mm)}"></div>'
    motto = "".join(_p("head", line, f"font-size:{layout.motto_line_pt(k)}pt") for k, line in enumerate(layout.motto))
    if layout.motto:
        motto += f'<div class="rule" style="width:{_mm(layout.motto_rule_mm)}"></div>'
    left, right = _mm(layout.left_mm), _mm(layout.right_mm)
    rows = f'<tr><td style="width:{left}">{issuer}</td><td style="width:{right}">{motto}</td></tr>'
    if "number" in group or "date" in group:
        cells = []
        for name, size in (("number", NUMBER_PT), ("date", layout.date_pt)):
            region = group.get(name)
            paragraphs = [b for b in region.blocks if isinstance(b, Paragraph)] if region else []
            cells.append("".join(_p("numdate", p.runs, f"font-size:{size}pt") for p in paragraphs))
        rows += f"<tr><td>{cells[0]}</td><td>{cells[1]}</td></tr>"
    return f'<table class="layout header">{rows}</table>'


def _html_signature(region: Region | None) -> list[str]:
    """A signature block: position lines, the space to sign and seal, the name."""
    paragraphs = [b for b in region.blocks if isinstance(b, Paragraph)] if region is not None else []
    out = [
        _p("signed" if k == len(paragraphs) - 1 and k > 0 else "sign first" if k == 0 else "sign", p.runs)
        for k, p in enumerate(paragraphs)
    ]
    if len(paragraphs) == 1:  # no name yet: keep the space for the signature and seal
        out.append('<div class="signing-space"></div>')
    return out


def _html_closing(group: dict[str, Region]) -> str:
    """Nơi nhận beside the signature block, kept whole and on the page of the body's last line."""
    left: list[str] = []
    for b in group["recipients"].blocks if "recipients" in group else ():
        if isinstance(b, Bullets):
            left.extend(_p("recipient", (Run("- "), *item)) for item in b.items)
        elif isinstance(b, Paragraph | Heading):
            left.append(_p("lead", b.runs))
    if "cosign" in group:  # a biên bản: a second signer on the left, laid out as the right one
        left.extend(_html_signature(group["cosign"]))
    right = _html_signature(group.get("signature"))
    widths = [_mm(w) for w in CLOSING_COLUMNS_MM]
    return (
        '<table class="layout closing"><tr>'
        f'<td style="width:{widths[0]}">{"".join(left)}</td><td style="width:{widths[1]}">{"".join(right)}</td>'
        "</tr></table>"
    )
