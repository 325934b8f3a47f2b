"""The self-assessment form's layout, shared by its writer (:mod:`form_writer`) and its reader
(:mod:`form_reader`): sheet names, labels, column headers, the hidden ``_isoprov`` sheet, and the
fingerprint of the criteria set a form was made for. openpyxl is never imported here.

The form (``isoprov form``), sheet "Tự đánh giá"::

    row 1        title                                     (merged A:H)
    row 2        criteria set title                        (merged A:H)
    row 3        "Bộ tiêu chí" | set id                    (for the reader of the sheet)
    rows 4–7     "Mã cơ quan" | …, "Tên cơ quan" | …, "Cấp" | …, "Kỳ đánh giá" | …
    row 8        how to fill in                            (merged A:H)
    row 10       header: Mã tiêu chí | Nội dung | Hướng dẫn chấm điểm | Điểm tối đa |
                 Điểm tự chấm | Tài liệu kiểm chứng | Ghi chú | Điểm thẩm định
    rows 11…     one row per criterion, depth first; groups bold with subtotal formulas
    below        totals by formula (possible, earned, total on the set's scale, band)
    columns I–L  hidden helpers: the row's kind and what it adds to the totals

The reader never relies on those row and column numbers: it finds each label and each header
by its text, so a form written by any version reads back. What it does rely on is the hidden
sheet ``_isoprov`` (very hidden: not shown by Excel's "Unhide"): the form version, the criteria
set id, a fingerprint of the set's structure and, per criterion row, the row number, id and a
digest of the criterion. A form for another set, for another version of the set, or whose
structure was edited (rows moved, inserted, deleted, ids or maxima changed) is refused with a
message naming the cell. The same sheet holds, on the row of each leaf with options, the
items of its drop-down lists as number cells (see :data:`META_OPTIONS_COL`); the reader never
reads them.

Reading reports every problem of a form at once, as for a YAML file, each at its cell and in
the order of the sheet: cells refused as read (text, TRUE/FALSE, a date or a percent in a score
cell, a formula error such as ``#NAME?``, a formula saved without its computed value, merged
input cells), then what checking the other entries against the set finds (points outside
0..max or not an option, unscored leaves at their own score cell).

Levels: when the form is made for a level (``--level``), the criteria that do not apply to it
are greyed out and locked, and the level cell is locked. Without a level, nothing is locked
by level; a conditional format greys those rows as soon as the agency picks its level, and a
score entered in one anyway is reported on reading as a warning (and ignored), as for YAML.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from isoprov.core.jsonout import plain_decimal
from isoprov.scoring.criteria import CriteriaSet, Criterion

if TYPE_CHECKING:
    pass

FORM_SHEET = "Tự đánh giá"
META_SHEET = "_isoprov"
FORM_VERSION = 1
NA_TEXT = "Không áp dụng"

#: Labelled cells above the table: the value sits in the cell to the right of its label.
LABELS = {"code": "Mã cơ quan", "name": "Tên cơ quan", "level": "Cấp", "period": "Kỳ đánh giá"}
CRITERIA_LABEL = "Bộ tiêu chí"

#: Table columns, in order, by their header text (the reader finds them by this text).
COLUMNS = {
    "id": "Mã tiêu chí",
    "title": "Nội dung",
    "guidance": "Hướng dẫn chấm điểm",
    "max": "Điểm tối đa",
    "self": "Điểm tự chấm",
    "evidence": "Tài liệu kiểm chứng",
    "note": "Ghi chú",
    "team": "Điểm thẩm định",
}
COLUMN_NUMBER = {key: i for i, key in enumerate(COLUMNS, start=1)}  # 1-based column numbers
COLUMN_LETTER = {key: "ABCDEFGH"[i - 1] for key, i in COLUMN_NUMBER.items()}
# Hidden helper columns: kind, then what the row adds to possible / self / final points.
KIND_COL, POSSIBLE_COL, SELF_COL, FINAL_COL = "I", "J", "K", "L"
#: A set with measured criteria (SPEC §3b) gets two counts per score, after the hidden helpers
#: (so that they show next to the team's column): a value may be given as count / of instead.
RATIO_COLUMNS = {
    "self_count": "Tự chấm: số đếm",
    "self_of": "Tự chấm: tổng số",
    "team_count": "Thẩm định: số đếm",
    "team_of": "Thẩm định: tổng số",
}
RATIO_NUMBER = {key: 13 + i for i, key in enumerate(RATIO_COLUMNS)}  # M, N, O, P
RATIO_LETTER = {key: "MNOP"[i] for i, key in enumerate(RATIO_COLUMNS)}
#: A condition's two answers, as its drop-down list offers them.
PASS_TEXT, FAIL_TEXT = "Đạt", "Không đạt"

TITLE_ROW = 1
CRITERIA_ROW = 3
FIRST_LABEL_ROW = 4
HELP_ROW = 8
HEADER_ROW = 10
#: How far down the reader looks for the labels and the header row.
SCAN_ROWS = 60

#: An .xlsx is a zip: refuse one that would unpack to more than this (a zip bomb), before
#: openpyxl reads it.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024

#: The hidden sheet: one row per criterion from this row on, in the order of the form's rows
#: (row 6 names the columns).
META_FIRST_ROW = 7
#: On a leaf's row of the hidden sheet, its options from this column on (F), as real numbers,
#: followed by «Không áp dụng» when the leaf allows it. The drop-down lists take their items
#: from these cells: a list written as text (``"1.5,0.75,0"``) enters the text of the item,
#: which a spreadsheet whose decimal mark is a comma (Vietnamese) reads as text or as a date
#: (1 May); an item taken from a cell enters the cell's number, whatever the locale.
META_OPTIONS_COL = 6


# The criteria set's fingerprint


def _criterion_shape(c: Criterion, depth: int) -> dict[str, Any]:
    """What a form depends on for one criterion. Titles and guidance are left out on purpose:
    correcting a title's wording must not invalidate the forms agencies already filled in."""
    return {
        "id": c.id,
        "depth": depth,
        "kind": "group" if c.children else c.kind,
        "max": None if c.max is None else plain_decimal(c.max),
        "options": None if c.options is None else [plain_decimal(o.points) for o in c.options],
        "levels": None if c.levels is None else list(c.levels),
        "na": c.na,
        "children": [ch.id for ch in c.children],
        # the rules of SPEC §3b, only where used: a form of a set without them keeps its digest
        **({"measure": c.measure.model_dump(mode="json")} if c.measure is not None else {}),
        **({"per": plain_decimal(c.per)} if c.per is not None else {}),
        **({"weight": plain_decimal(c.weight)} if c.weight is not None else {}),
    }


def criteria_rows(cs: CriteriaSet) -> list[tuple[Criterion, int]]:
    """Every criterion depth first, with its depth (0 for top level)."""
    return [(at.criterion, (len(at.path) - 2) // 2) for at in cs.walk()]


def criterion_digest(c: Criterion, depth: int) -> str:
    """A short digest of one criterion's shape (see :func:`_criterion_shape`)."""
    text = json.dumps(_criterion_shape(c, depth), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def criteria_fingerprint(cs: CriteriaSet) -> str:
    """A fingerprint of the set's structure: ids, nesting, kinds, maxima, options, levels, N/A."""
    shape = {"id": cs.id, "levels": list(cs.levels), "criteria": [_criterion_shape(c, d) for c, d in criteria_rows(cs)]}
    text = json.dumps(shape, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def put_form_note(ws: Any, row: int, text: str, lines: int) -> int:
    """The grey italic note under a form's totals, across the title to the team column, ``lines``
    lines high; returns its row."""
    from openpyxl.styles import Alignment, Font

    from isoprov.excel.cells import GREY_FONT, LINE_HEIGHT, put_text

    note = put_text(ws, row, COLUMN_NUMBER["title"], text)
    note.font = Font(italic=True, color=GREY_FONT)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=COLUMN_NUMBER["title"], end_row=row, end_column=COLUMN_NUMBER["team"])
    ws.row_dimensions[row].height = lines * LINE_HEIGHT
    return row
