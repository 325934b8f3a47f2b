"""Large terminal tables laid out in one pass (issue 16).

rich measures every cell of a table to fit it to the screen: at thousands of rows that layout
was most of a command's time (84 % of ``budget check`` at 10,000 items, a second of ``score`` at
2,000 agencies). Above :data:`LARGE_TABLE` rows, a command lays its table out here instead: the
same box characters as rich's default table, column widths from the widest cell, no wrapping (a
table this long is read in a pager or a file, not fitted to a window). Smaller tables keep
rich's look.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

#: Above this many rows a table is laid out here, without rich's per-cell measurement.
LARGE_TABLE = 500


def box_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[bool],
    footer: Sequence[str] | None = None,
) -> str:
    """The table as text, one line per line of a cell (a cell may hold several lines);
    ``right``: which columns are aligned right (numbers); ``footer``: a total row after a rule."""
    split_rows = [[cell.split("\n") for cell in row] for row in rows]
    split_footer = [[cell] for cell in footer] if footer is not None else None
    every = [*split_rows, *([split_footer] if split_footer is not None else [])]
    widths = [
        max(cell_len(header), *(cell_len(line) for row in every for line in row[k])) for k, header in enumerate(headers)
    ]

    def pad(text: str, width: int, to_right: bool) -> str:
        fill = " " * (width - cell_len(text))
        return fill + text if to_right else text + fill

    def lines(cells: Sequence[Sequence[str]], bar: str) -> list[str]:
        height = max(len(cell) for cell in cells)
        out = []
        for i in range(height):
            padded = (
                pad(cell[i] if i < len(cell) else "", w, r) for cell, w, r in zip(cells, widths, right, strict=True)
            )
            out.append(f"{bar} " + f" {bar} ".join(padded) + f" {bar}")
        return out

    def rule(left: str, mid: str, end: str, fill: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + end

    out = [rule("┏", "┳", "┓", "━"), *lines([[h] for h in headers], "┃"), rule("┡", "╇", "┩", "━")]
    for row in split_rows:
        out += lines(row, "│")
    if split_footer is not None:
        out += [rule("├", "┼", "┤", "─"), *lines(split_footer, "│")]
    out.append(rule("└", "┴", "┘", "─"))
    return "\n".join(out) + "\n"
