"""Blocks → a standalone HTML page laid out like the paper document (Nghị định 30/2020)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from isoprov.documents.blocks import (
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

_CSS = """
body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 14pt; color: #000;
       width: 165mm; margin: 20mm auto; line-height: 1.2; }
p { margin: 0; }
p.body { margin: 0 0 6pt 0; text-align: justify; text-indent: 1cm; }
p.heading { margin: 0 0 6pt 0; text-align: justify; text-indent: 1cm; font-weight: bold; }
p.minor { font-style: italic; }
p.center { margin: 0 0 6pt 0; text-align: center; }
p.right { margin: 0 0 6pt 0; text-align: right; }
p.title { text-align: center; font-weight: bold; }
p.head { text-align: center; font-size: 13pt; }
p.motto { text-align: center; font-size: 12pt; }
p.motto-last { text-align: center; font-size: 13pt; }
p.numdate { text-align: center; font-size: 13pt; margin-top: 6pt; }
p.lead { font-size: 12pt; }
p.recipient { font-size: 11pt; }
p.sign { text-align: center; font-weight: bold; }
p.signed { text-align: center; font-weight: bold; margin-top: 60pt; }
div.rule { border-bottom: 1px solid #000; margin: 2pt auto 0 auto; height: 0; }
table.layout { width: 100%; border-collapse: collapse; margin: 0 0 12pt 0; }
table.layout td { vertical-align: top; padding: 0 4pt; }
table.grid { border-collapse: collapse; width: 100%; margin: 6pt 0; font-size: 12pt; }
table.grid th, table.grid td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: middle; }
div.pagebreak { page-break-after: always; break-after: page; }
"""

_PARAGRAPH_CLASS = {"center": "center", "right": "right", "title": "title"}


def to_html(blocks: Sequence[Block], title: str) -> str:
    """A standalone HTML page laid out like the paper document (one class per element, so
    that simple renderers and mail clients show it too)."""
    body: list[str] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Region) and block.name in HEADER_REGIONS:
            group, i = group_regions(blocks, i, HEADER_REGIONS)
            body.append(_html_header(group))
            continue
        if isinstance(block, Region) and block.name in ("recipients", "signature"):
            group, i = group_regions(blocks, i, ("recipients", "signature"))
            body.append(_html_closing(group))
            continue
        body.append(_html_block(block))
        i += 1
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
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


def _p(cls: str, runs: Sequence[Run]) -> str:
    return f'<p class="{cls}">{html_runs(runs)}</p>'


def _html_block(block: Block, cls: str = "body") -> str:
    if isinstance(block, Paragraph):
        return _p(cls, block.runs)
    if isinstance(block, Heading):
        return _p("heading minor" if block.level >= 4 else "heading", block.runs)
    if isinstance(block, Bullets):
        return "\n".join(_p(cls, (Run("- "), *item)) for item in block.items)
    if isinstance(block, TableBlock):
        total = sum(block.widths)
        cols = "".join(f'<col style="width:{w * 100 / total:.1f}%">' for w in block.widths)
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
    inner = "\n".join(_html_block(b, _PARAGRAPH_CLASS.get(block.name, "body")) for b in block.blocks)
    if block.name == "title":
        inner = f'<div style="margin:12pt 0">{inner}<div class="rule" style="width:30mm"></div></div>'
    return inner


def _html_header(group: dict[str, Region]) -> str:
    def cell(name: str, width: str) -> str:
        region = group.get(name)
        if region is None:
            return f'<td style="width:{width}"></td>'
        paragraphs = [b for b in region.blocks if isinstance(b, Paragraph)]
        inner = ""
        if name in ("issuer", "motto"):
            lines = [line for p in paragraphs for line in split_lines(p.runs)]
            classes = ["head"] * len(lines)
            if name == "motto":
                classes = ["motto"] * (len(lines) - 1) + ["motto-last"]
            inner = "".join(_p(c, line) for c, line in zip(classes, lines, strict=True))
            rule = "56mm" if name == "motto" else "35%"
            inner += f'<div class="rule" style="width:{rule}"></div>'
        else:
            inner = "".join(_p("numdate", p.runs) for p in paragraphs)
        return f'<td style="width:{width}">{inner}</td>'

    rows = f"<tr>{cell('issuer', '41%')}{cell('motto', '59%')}</tr>"
    if "number" in group or "date" in group:
        rows += f"<tr>{cell('number', '41%')}{cell('date', '59%')}</tr>"
    return f'<table class="layout">{rows}</table>'


def _html_closing(group: dict[str, Region]) -> str:
    left: list[str] = []
    for b in group["recipients"].blocks if "recipients" in group else ():
        if isinstance(b, Bullets):
            left.extend(_p("recipient", (Run("- "), *item)) for item in b.items)
        elif isinstance(b, Paragraph | Heading):
            left.append(_p("lead", b.runs))
    right: list[str] = []
    paragraphs = [b for b in group["signature"].blocks if isinstance(b, Paragraph)] if "signature" in group else []
    for k, p in enumerate(paragraphs):
        right.append(_p("signed" if k == len(paragraphs) - 1 and k > 0 else "sign", p.runs))
    return (
        '<table class="layout" style="margin-top:6pt"><tr>'
        f'<td style="width:45%">{"".join(left)}</td><td style="width:55%">{"".join(right)}</td>'
        "</tr></table>"
    )
