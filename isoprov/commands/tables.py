"""Large terminal tables laid out in one pass (issue 16).

rich measures every cell of a table to fit it to the screen: at thousands of rows that layout
was most of a command's time (84 % of ``budget check`` at 10,000 items, a second of ``score`` at
2,000 agencies). Above :data:`LARGE_TABLE` rows, a command lays its table out here instead: the
same box characters as rich's default table, column widths from the widest cell, no wrapping (a
table this long is read in a pager or a file, not fitted to a window). Smaller tables keep
rich's look.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

#: Above this many rows a table is laid out here, without rich's per-cell measurement.
LARGE_TABLE = 500


@cache
def _not_one_column() -> re.Pattern[str]:
    """Characters whose width on a terminal is not one column: combining marks (zero), East
    Asian wide and fullwidth forms, emoji (two). Text without any (Vietnamese NFC text, numbers)
    is as wide as it is long; other text is measured by rich. Compiled on first use (~4 ms):
    not on the start-up of every command that prints."""
    return re.compile(
        "[\u0300-\u036f\u1100-\u115f\u200b-\u200f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff"
        "\ufe00-\ufe0f\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0001faff\U00020000-\U0003fffd]"
    )


def _width(text: str) -> int:
    if text.isascii() or _not_one_column().search(text) is None:
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


Cell = tuple[tuple[str, ...], tuple[int, ...]]  # a cell's lines and their widths


def _cell(text: str) -> Cell:
    if "\n" not in text:
        return (text,), (_width(text),)
    lines = tuple(text.split("\n"))
    return lines, tuple(map(_width, lines))


def box_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[bool],
    footer: Sequence[str] | None = None,
) -> str:
    """The table as text, one line per line of a cell (a cell may hold several lines);
    ``right``: which columns are aligned right (numbers); ``footer``: a total row after a rule."""
    head = [_cell(h) for h in headers]
    body = [[_cell(c) for c in row] for row in rows]
    foot = [_cell(c) for c in footer] if footer is not None else None
    widths = [max(head[k][1]) for k in range(len(headers))]
    for row in (*body, *([foot] if foot is not None else [])):
        for k, (_, sizes) in enumerate(row):
            widest = max(sizes)
            if widest > widths[k]:
                widths[k] = widest
    columns = list(zip(widths, right, strict=True))

    def lines(cells: Sequence[Cell], bar: str) -> list[str]:
        height = max(len(texts) for texts, _ in cells)
        out = []
        for i in range(height):
            padded = []
            for (texts, sizes), (width, to_right) in zip(cells, columns, strict=True):
                text, size = (texts[i], sizes[i]) if i < len(texts) else ("", 0)
                fill = " " * (width - size)
                padded.append(fill + text if to_right else text + fill)
            out.append(f"{bar} " + f" {bar} ".join(padded) + f" {bar}")
        return out

    def rule(left: str, mid: str, end: str, fill: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + end

    out = [rule("┏", "┳", "┓", "━"), *lines(head, "┃"), rule("┡", "╇", "┩", "━")]
    for row in body:
        out += lines(row, "│")
    if foot is not None:
        out += [rule("├", "┼", "┤", "─"), *lines(foot, "│")]
    out.append(rule("└", "┴", "┘", "─"))
    return "\n".join(out) + "\n"


def show_table(
    console: Any, title: str, headers: Sequence[str], right: Sequence[bool], rows: Sequence[Sequence[str]]
) -> None:
    """A titled table of user text on ``console`` (a rich Console): rich's table up to
    :data:`LARGE_TABLE` rows, :func:`box_table` above."""
    from rich.table import Table
    from rich.text import Text

    if len(rows) > LARGE_TABLE:
        console.print(Text(title, style="italic"))
        console.file.write(box_table(headers, rows, right))
        console.file.flush()
        return
    table = Table(title=Text(title), title_justify="left")
    for header, to_right in zip(headers, right, strict=True):
        table.add_column(header, justify="right" if to_right else "left")
    for cells in rows:
        table.add_row(*map(Text, cells))  # user text, never rich markup: `[/]` in a name prints as written
    console.print(table)
