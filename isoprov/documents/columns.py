"""Table column widths from their content: the markup gives relative widths (the dashes of
``|:---|------:|``); a column is then widened to its widest word or number, so that no amount
ever breaks inside (``18.770.|000``) whatever the unit (đồng, nghìn đồng, triệu đồng), and the
widths still sum to the text width. The DOCX and the HTML use the same widths."""

from __future__ import annotations

from collections.abc import Sequence

from isoprov.documents.blocks import Run, TableBlock
from isoprov.documents.metrics import text_width_mm

#: Room kept beyond the measured width: Word and LibreOffice do not measure exactly alike.
SLACK_MM = 1.0


def widest_word_mm(runs: Sequence[Run], size_pt: float) -> float:
    """The printed width of the widest word (or number) of ``runs``: where a line may not break."""
    widest = 0.0
    for run in runs:
        for word in run.text.split():
            widest = max(widest, text_width_mm(word, size_pt, run.bold))
    return widest


def column_widths(table: TableBlock, total_mm: float, size_pt: float, padding_mm: float) -> list[float]:
    """Widths in millimetres summing to ``total_mm``: shares of the markup's relative widths, no
    column narrower than its widest word plus the cell's padding (``padding_mm``, both sides)."""
    least = [
        max(widest_word_mm(cell, size_pt) for cell in (table.header[c], *(row[c] for row in table.rows)))
        + padding_mm
        + SLACK_MM
        for c in range(len(table.widths))
    ]
    if sum(least) >= total_mm:  # not even the words fit: share by need (some word must break)
        return [total_mm * w / sum(least) for w in least]
    fixed: dict[int, float] = {}
    while True:
        free = [c for c in range(len(least)) if c not in fixed]
        room = total_mm - sum(fixed.values())
        weight = sum(table.widths[c] for c in free)
        shares = {c: room * table.widths[c] / weight for c in free}
        short = [c for c in free if shares[c] < least[c]]
        if not short:
            return [fixed[c] if c in fixed else shares[c] for c in range(len(least))]
        for c in short:
            fixed[c] = least[c]
