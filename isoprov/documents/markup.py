"""Document markup: the text every template writes, and its parser into :mod:`.blocks`.

A template produces *document markup*: Markdown with pandoc-style fenced divs (``::: issuer`` …
``:::``) that name the regions of a Nghị định 30/2020 document. The Markdown output is that
text; the HTML and DOCX outputs are laid out from its parsed blocks, so all three say the same
thing.

Markup, line by line:

- ``::: NAME`` opens a region, ``:::`` closes it; NAME is one of :data:`.blocks.REGIONS`.
- ``## …`` headings (level = number of ``#``), ``- …`` bullet items, ``| … |`` pipe tables
  (the separator row's dashes give relative column widths, colons the alignment), other lines
  are paragraphs; a blank line ends a block; a line ending in ``\\`` breaks the line.
- ``1\\.`` at the start of a line is the text ``1.`` (as in CommonMark: not a numbered list).
- Inline: ``**đậm**``, ``*nghiêng*``, ``***đậm nghiêng***``, ``\\*`` a literal star,
  ``<br>`` a line break inside a table cell; ``&amp;``, ``&lt;``, ``&gt;`` the characters
  ``&``, ``<``, ``>`` (the user's text reaches the markup escaped so: no raw HTML in the
  Markdown output).
"""

from __future__ import annotations

import html
import html.entities
import re
from typing import Any

from isoprov.documents.blocks import REGIONS, Block, Bullets, Heading, Paragraph, Region, Run, TableBlock
from isoprov.documents.errors import RenderError

# ---------------------------------------------------------------------------
# User text in the markup: ``&``, ``<``, ``>`` escaped
# ---------------------------------------------------------------------------

#: The only character references of the markup (case-insensitive: ``upper`` may have run on them).
_ENTITY = re.compile(r"&(amp|lt|gt);", re.IGNORECASE)
_ENTITY_END = re.compile(r"&(amp|lt|gt)$", re.IGNORECASE)
_ENTITY_CHARS = {"amp": "&", "lt": "<", "gt": ">"}
_REFERENCE = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)


def _starts_reference(match: re.Match[str]) -> str:
    name = match[1]
    is_reference = name.startswith("#") or f"{name};" in html.entities.html5
    return "&amp;" + name + ";" if is_reference else match[0]


def escape_text(text: str) -> str:
    """User text as markup text: ``<``, ``>`` as ``&lt;``, ``&gt;``, so that the Markdown output
    never carries the user's HTML (``<script>``) as HTML; ``&`` as ``&amp;`` only where it would
    start a character reference (``&lt;`` typed by a user), so ``Sở KH&CN`` stays as written."""
    return _REFERENCE.sub(_starts_reference, text).replace("<", "&lt;").replace(">", "&gt;")


def unescape_text(text: str) -> str:
    """Markup text as plain text: the three references of :func:`escape_text` decoded, in one pass."""
    return _ENTITY.sub(lambda m: _ENTITY_CHARS[m[1].lower()], text)


def escape_data(value: Any) -> Any:
    """Every string in ``value`` (mappings, lists, tuples walked) escaped with :func:`escape_text`."""
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, dict):
        return {k: escape_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(escape_data(v) for v in value)
    return value


def lower_references(text: str) -> str:
    """``&AMP;`` (a text filter such as ``upper`` run on escaped text) back to ``&amp;``."""
    return _ENTITY.sub(lambda m: m[0].lower(), text) if "&" in text else text


def ends_in_reference(text: str) -> bool:
    """``text`` ends in ``&amp``, ``&lt`` or ``&gt`` (the ``;`` after it closes the reference)."""
    return _ENTITY_END.search(text) is not None


# ---------------------------------------------------------------------------
# Markup → blocks
# ---------------------------------------------------------------------------


class MarkupError(RenderError):
    """The markup a template produced does not follow the markup rules."""


_ESCAPED_STAR = "\ue000"
_ESCAPED_PIPE = "\ue001"
_EMPHASIS = re.compile(r"(\*{1,3})(?=[^\s*])(.*?[^\s*\\])\1(?!\*)", re.S)


def parse_inline(text: str, bold: bool = False, italic: bool = False) -> tuple[Run, ...]:
    """Inline markup to runs. ``\\n`` in ``text`` is a line break; ``&amp;``, ``&lt;``, ``&gt;``
    are the characters they stand for."""
    text = text.replace("\\*", _ESCAPED_STAR)
    runs = _inline(text, bold, italic)
    out: list[Run] = []
    for run in runs:
        value = unescape_text(run.text.replace(_ESCAPED_STAR, "*").replace(_ESCAPED_PIPE, "|"))
        parts = value.split("\n")
        for i, part in enumerate(parts):
            if i:
                out.append(Run("\n", run.bold, run.italic))
            if part:
                out.append(Run(part, run.bold, run.italic))
    return tuple(_merge(out))


def _inline(text: str, bold: bool, italic: bool) -> list[Run]:
    out: list[Run] = []
    pos = 0
    for match in _EMPHASIS.finditer(text):
        stars, inner = match[1], match[2]
        if match.start() > pos:
            out.append(Run(text[pos : match.start()], bold, italic))
        b = bold or len(stars) >= 2
        i = italic or len(stars) in (1, 3)
        out.extend(_inline(inner, b, i))
        pos = match.end()
    if pos < len(text):
        out.append(Run(text[pos:], bold, italic))
    return out


def _merge(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if (
            out
            and not run.is_break
            and not out[-1].is_break
            and (out[-1].bold, out[-1].italic)
            == (
                run.bold,
                run.italic,
            )
        ):
            out[-1] = Run(out[-1].text + run.text, run.bold, run.italic)
        else:
            out.append(run)
    return out


def parse_markup(text: str) -> list[Block]:
    """Parse document markup into blocks; raise :class:`MarkupError` naming the line."""
    lines = text.splitlines()
    top: list[Block] = []
    current: list[Block] = top
    region: tuple[str, int] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if stripped.startswith(":::"):
            name = stripped[3:].strip()
            if name:
                if region is not None:
                    raise MarkupError(f"dòng {i + 1}: vùng `{region[0]}` (dòng {region[1]}) chưa đóng bằng `:::`")
                if name not in REGIONS:
                    raise MarkupError(
                        f"dòng {i + 1}: vùng `{name}` không có; các vùng hợp lệ: {', '.join(sorted(REGIONS))}"
                    )
                region = (name, i + 1)
                current = []
            else:
                if region is None:
                    raise MarkupError(f"dòng {i + 1}: `:::` đóng vùng nhưng không có vùng nào đang mở")
                top.append(Region(region[0], tuple(current), region[1]))
                region = None
                current = top
            i += 1
            continue
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            body = stripped[level:]
            if not body.strip() or not body.startswith(" ") or level > 6:
                raise MarkupError(f"dòng {i + 1}: tiêu đề phải là 1–6 dấu `#`, một dấu cách rồi tên mục")
            heading = body.strip()
            i += 1
            # a heading of several lines: each but the last ends in `\`, as in a paragraph
            while _hard_break(heading) and i < len(lines) and lines[i].strip() and not _starts_block(lines[i].strip()):
                heading = _join_line(heading, lines[i].strip())
                i += 1
            current.append(Heading(level, parse_inline(_unescape_lines(heading), bold=True)))
            continue
        if stripped.startswith("|"):
            start = i
            rows: list[str] = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i].strip())
                i += 1
            current.append(_table(rows, start + 1))
            continue
        if stripped.startswith("- "):
            items: list[str] = []
            while i < len(lines) and lines[i].strip() and not _starts_block(lines[i].strip(), bullet_ok=True):
                item_line = lines[i].strip()
                if item_line.startswith("- "):
                    items.append(item_line[2:])
                else:
                    items[-1] = _join_line(items[-1], item_line)
                i += 1
            current.append(Bullets(tuple(parse_inline(_unescape_lines(item)) for item in items)))
            continue
        para = stripped
        i += 1
        while i < len(lines) and lines[i].strip() and not _starts_block(lines[i].strip()):
            para = _join_line(para, lines[i].strip())
            i += 1
        current.append(Paragraph(parse_inline(_unescape_lines(para))))
    if region is not None:
        raise MarkupError(f"dòng {region[1]}: vùng `{region[0]}` chưa đóng bằng `:::`")
    return top


def _starts_block(line: str, bullet_ok: bool = False) -> bool:
    if line.startswith("- "):
        return not bullet_ok
    return line.startswith((":::", "#", "|"))


def _hard_break(line: str) -> bool:
    """The line ends in ``\\`` (a line break), not in an escaped backslash."""
    return line.endswith("\\") and not line.endswith("\\\\")


def _join_line(previous: str, line: str) -> str:
    if _hard_break(previous):
        return previous[:-1] + "\n" + line
    return previous + " " + line


#: ``1\\.`` or ``1\\)`` at the start of a line: CommonMark's way to keep a number from starting a list.
_ESCAPED_NUMBER = re.compile(r"^(\d{1,9})\\([.)])")


def _unescape(text: str) -> str:
    if text.startswith("\\") and text[1:2] in ("#", "|", ":", "-", "\\"):
        return text[1:]
    return _ESCAPED_NUMBER.sub(r"\1\2", text)


def _unescape_lines(text: str) -> str:
    return "\n".join(_unescape(part) for part in text.split("\n"))


_ALIGN = {(True, True): "center", (False, True): "right", (True, False): "left", (False, False): "left"}


def _cells(row: str) -> list[str]:
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    inner = inner.replace("\\|", _ESCAPED_PIPE)
    return [cell.strip() for cell in inner.split("|")]


def _table(rows: list[str], line: int) -> TableBlock:
    if len(rows) < 2:
        raise MarkupError(f"dòng {line}: bảng cần một dòng tiêu đề và một dòng phân cách `|---|`")
    header = _cells(rows[0])
    separator = _cells(rows[1])
    if len(separator) != len(header) or not all(re.fullmatch(r":?-+:?", s) for s in separator):
        raise MarkupError(f"dòng {line + 1}: dòng phân cách của bảng phải có dạng `|---|:--:|` cho {len(header)} cột")
    align = tuple(_ALIGN[(s.startswith(":"), s.endswith(":"))] for s in separator)
    widths = tuple(max(1, s.count("-")) for s in separator)
    body: list[tuple[tuple[Run, ...], ...]] = []
    for k, row in enumerate(rows[2:], start=2):
        cells = _cells(row)
        if len(cells) != len(header):
            raise MarkupError(f"dòng {line + k}: dòng bảng có {len(cells)} ô, bảng có {len(header)} cột")
        body.append(tuple(_cell(c) for c in cells))
    return TableBlock(tuple(_cell(c, bold=True) for c in header), tuple(body), align, widths)


def _cell(text: str, bold: bool = False) -> tuple[Run, ...]:
    return parse_inline(re.sub(r"<br\s*/?>", "\n", text), bold=bold)
