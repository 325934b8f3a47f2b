"""Document markup → plain Markdown (CommonMark with GitHub's tables), readable on any viewer.

The markup (:mod:`.markup`) names the regions of a Nghị định 30/2020 document with pandoc's
fenced divs (``::: issuer`` … ``:::``), which other viewers print as text. Here the regions go:
the header (issuer | Quốc hiệu and Tiêu ngữ; Số | place and date) becomes a two-column table,
a new page or section a thematic break (``---``), every other region its own lines. The text of
the lines is kept as it is: the markup's inline forms (``**đậm**``, ``*nghiêng*``, ``\\`` line
breaks, ``\\#`` escapes, ``&lt;``, ``<br>`` in table cells) are CommonMark already.
"""

from __future__ import annotations

import re

from isoprov.documents.blocks import HEADER_REGIONS

#: A ``|`` the markup did not escape (it would end a cell of the header table).
_BARE_PIPE = re.compile(r"(?<!\\)\|")


def to_gfm(markup: str) -> str:
    """Plain Markdown for well-formed document markup (as :func:`.markup.parse_markup` accepts)."""
    segments: list[tuple[str | None, list[str]]] = []  # (region or None, its lines)
    region: str | None = None
    for line in markup.splitlines():
        stripped = line.strip()
        if stripped.startswith(":::"):
            region = stripped[3:].strip() or None
            segments.append((region, []))
            continue
        if region is None and (not segments or segments[-1][0] is not None):
            segments.append((None, []))
        segments[-1][1].append(line)
    out: list[str] = []
    i = 0
    while i < len(segments):
        name, lines = segments[i]
        if name in HEADER_REGIONS:
            group: dict[str, list[str]] = {}
            while i < len(segments):
                member, member_lines = segments[i]
                if member is None and not any(line.strip() for line in member_lines):
                    i += 1  # blank lines between the header's regions
                    continue
                if member is None or member not in HEADER_REGIONS or member in group:
                    break
                group[member] = member_lines
                i += 1
            _block(out, _header_table(group))
            continue
        if name in ("pagebreak", "section"):
            _block(out, ["---"])
        else:
            _block(out, lines)
        i += 1
    return "\n".join(out).strip("\n") + "\n"


#: Spaces inside a line (a blank left for the office: "Số:      /KH-BCĐ"): Markdown would fold them.
_SPACES = re.compile(r"(?<=\S) {2,}")


def _keep_spaces(line: str) -> str:
    return _SPACES.sub(lambda m: "\u00a0" * len(m[0]), line.rstrip())


def _block(out: list[str], lines: list[str]) -> None:
    """``lines`` as a block of their own: a blank line before and after."""
    text = [_keep_spaces(line) for line in lines]
    while text and not text[0]:
        text.pop(0)
    while text and not text[-1]:
        text.pop()
    if not text:
        return
    if out and out[-1]:
        out.append("")
    out.extend(text)
    out.append("")


def _cell(lines: list[str] | None) -> str:
    """A region's lines as one table cell: each line (and paragraph) after a ``<br>``."""
    parts = [_keep_spaces(line.strip().removesuffix("\\")) for line in lines or () if line.strip()]
    return " " + "<br>".join(_BARE_PIPE.sub(r"\\|", part) for part in parts) + " "


def _header_table(group: dict[str, list[str]]) -> list[str]:
    rows = [f"|{_cell(group.get('issuer'))}|{_cell(group.get('motto'))}|", "|:---:|:---:|"]
    if "number" in group or "date" in group:
        rows.append(f"|{_cell(group.get('number'))}|{_cell(group.get('date'))}|")
    return rows
