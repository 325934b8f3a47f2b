"""The structure of a filled form: its identification (meta) sheet, its header row and its
criteria rows checked against the set (rows inserted, removed or moved, maxima edited)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from isoprov.core.diagnostics import Diagnostic, InputError
from isoprov.core.vietnamese import format_number
from isoprov.excel.cells import column_letter
from isoprov.excel.form_layout import (
    COLUMNS,
    CRITERIA_ROW,
    FORM_SHEET,
    FORM_VERSION,
    HEADER_ROW,
    RATIO_COLUMNS,
    SCAN_ROWS,
    criteria_fingerprint,
    criteria_rows,
    criterion_digest,
)
from isoprov.excel.form_sheet import CellReader, Sheet, cell_decimal, norm_label
from isoprov.scoring.criteria import CriteriaSet


@dataclass(frozen=True, slots=True)
class MetaRow:
    row: int
    id: str
    digest: str
    max: Decimal | None  # leaves only
    na: bool


@dataclass(frozen=True, slots=True)
class Meta:
    criteria: str
    fingerprint: str
    rows: tuple[MetaRow, ...]


def read_meta(meta: Sheet, file: str) -> Meta:
    values: dict[str, str] = {}
    for row in meta.rows(1, 5, 2):
        if row[0] is not None and row[1] is not None:
            values[str(row[0])] = str(row[1])
    rows: list[MetaRow] = []
    for number, cid, digest, top, na in meta.rows(7, None, 5):
        if not isinstance(number, int) or cid is None:
            break
        try:
            limit = Decimal(str(top)) if top is not None else None
        except InvalidOperation:
            limit = None
        rows.append(MetaRow(number, str(cid), str(digest or ""), limit, str(na) == "1"))
    version = values.get("form_version", "")
    if not version.isdigit() or int(version) > FORM_VERSION or "criteria" not in values or not rows:
        raise InputError(
            [
                Diagnostic(
                    file,
                    "phần nhận dạng của biểu mẫu bị hỏng hoặc do phiên bản isoprov mới "
                    "hơn tạo; hãy tạo lại biểu mẫu bằng `isoprov form`",
                )
            ]
        )
    return Meta(values["criteria"], values.get("fingerprint", ""), tuple(rows))


#: The columns the reader takes values from (the title and guidance are for people only).
_READ_COLUMNS = ("max", "self", "evidence", "note", "team")


def find_header(reader: CellReader) -> tuple[int, dict[str, int]]:
    wanted = {norm_label(text): key for key, text in (*COLUMNS.items(), *RATIO_COLUMNS.items())}
    for row in range(1, SCAN_ROWS + 1):
        found: dict[str, int] = {}
        for column in range(1, min(reader.ws.max_column, 40) + 1):
            text = reader.text(row, column)
            if text is not None and norm_label(text) in wanted:
                found.setdefault(wanted[norm_label(text)], column)
        if "id" in found:
            # every column read: without the team's, its scores would be dropped silently
            missing = [COLUMNS[k] for k in _READ_COLUMNS if k not in found]
            if missing:
                raise InputError(
                    [
                        cell_diagnostic(
                            reader.file,
                            row,
                            found["id"],
                            f"hàng tiêu đề của bảng (hàng {row}) thiếu cột "
                            + ", ".join(f"«{m}»" for m in missing)
                            + "; cấu trúc biểu mẫu đã bị sửa (sửa hoặc xóa cột), hãy tạo lại bằng `isoprov form`",
                        )
                    ]
                )
            return row, found
    raise InputError(
        [
            Diagnostic(
                reader.file,
                f"không tìm thấy hàng tiêu đề có ô «{COLUMNS['id']}» trong trang "
                f"«{FORM_SHEET}»; cấu trúc biểu mẫu đã bị sửa, hãy tạo lại bằng "
                "`isoprov form`",
            )
        ]
    )


#: How far below an empty id cell to look for criteria rows that an inserted blank row pushed down.
_INSERTED_ROWS_LOOKAHEAD = 20


def check_structure(
    reader: CellReader,
    header_row: int,
    columns: dict[str, int],
    meta: Meta,
    cs: CriteriaSet | None,
) -> list[tuple[int, MetaRow]]:
    """The form's rows against the criteria they must hold; the leaf rows, or an InputError."""
    redo = "; hãy tạo lại biểu mẫu bằng `isoprov form` rồi chép điểm sang"
    if cs is not None and meta.fingerprint != _set_shape(cs)[0]:
        raise InputError([_version_problem(reader, meta, cs, redo)])
    # The set itself when it is known; otherwise what the form says it was made for.
    expected = list(meta.rows) if cs is None else _set_rows(cs)
    id_col, max_col = columns["id"], columns["max"]
    found: list[tuple[int, str]] = []
    row = header_row + 1
    while (cid := reader.text(row, id_col)) is not None:
        found.append((row, cid))
        row += 1

    def fail(r: int, c: int, message: str) -> InputError:
        return InputError([cell_diagnostic(reader.file, r, c, message + redo)])

    for k, want in enumerate(expected):
        if k >= len(found):
            # the scan stopped at an empty id cell: a blank row inserted among the criteria when
            # more criteria follow it, else rows removed
            gap = row
            below = range(gap + 1, gap + 1 + len(expected) - k + _INSERTED_ROWS_LOOKAHEAD)
            if any(reader.text(r, id_col) is not None for r in below):
                if any(reader.text(gap, c) is not None for c in columns.values()):
                    raise fail(
                        gap,
                        id_col,
                        f"ô mã tiêu chí để trống, phải là tiêu chí `{want.id}`: cấu trúc biểu mẫu đã bị sửa "
                        "(xóa mã tiêu chí)",
                    )
                raise fail(
                    gap,
                    id_col,
                    f"dòng {gap} trống chen giữa các tiêu chí, ô này phải là tiêu chí `{want.id}`: "
                    "cấu trúc biểu mẫu đã bị sửa (chèn dòng)",
                )
            raise fail(
                gap,
                id_col,
                f"thiếu tiêu chí `{want.id}`: cấu trúc biểu mẫu đã bị sửa (chèn, xóa hoặc đổi chỗ dòng)",
            )
        r, seen = found[k]
        if seen != want.id:
            raise fail(
                r,
                id_col,
                f"ô này phải là tiêu chí `{want.id}` nhưng đang là `{seen}`: cấu trúc biểu mẫu đã "
                "bị sửa (chèn, xóa, đổi chỗ dòng hoặc sửa mã tiêu chí)",
            )
        if want.max is not None:
            value = reader.ws.cell(r, max_col).value
            shown = cell_decimal(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
            if shown != want.max:
                raise fail(
                    r,
                    max_col,
                    f"điểm tối đa của tiêu chí `{want.id}` phải là {format_number(want.max)} "
                    f"nhưng đang là `{'' if value is None else value}`: cấu trúc biểu mẫu đã bị sửa",
                )
    if len(found) > len(expected):
        r, seen = found[len(expected)]
        raise fail(r, id_col, f"dòng thừa `{seen}` không có trong bộ tiêu chí: cấu trúc biểu mẫu đã bị sửa")
    conditions = {c.id for c in cs.conditions} if cs is not None else set()
    return [
        (r, want) for (r, _), want in zip(found, expected, strict=True) if want.max is not None or want.id in conditions
    ]


def _set_rows(cs: CriteriaSet) -> list[MetaRow]:
    """The rows a form of ``cs`` holds (row numbers unknown: 0)."""
    return list(_set_shape(cs)[1])


#: Per criteria set (by identity: a set is immutable, and a batch of forms checks every form
#: against the same object): its fingerprint and its rows, worked out once, not once per form.
_SHAPES: dict[int, tuple[CriteriaSet, str, tuple[MetaRow, ...]]] = {}


def _set_shape(cs: CriteriaSet) -> tuple[str, tuple[MetaRow, ...]]:
    known = _SHAPES.get(id(cs))
    if known is None or known[0] is not cs:
        if len(_SHAPES) >= 64:
            _SHAPES.clear()
        rows = tuple(
            MetaRow(0, c.id, criterion_digest(c, depth), c.max if c.is_leaf else None, c.na)
            for c, depth in criteria_rows(cs)
        )
        known = _SHAPES[id(cs)] = (cs, criteria_fingerprint(cs), rows)
    return known[1], known[2]


def _version_problem(reader: CellReader, meta: Meta, cs: CriteriaSet, redo: str) -> Diagnostic:
    """The form was made for another set with this id, or another version of it: say where it differs."""
    current = _set_rows(cs)
    lead = (
        f"biểu mẫu được tạo cho một bộ tiêu chí `{cs.id}` khác với bộ tiêu chí `{cs.id}` đang dùng "
        "(khác bộ tiêu chí, hoặc bộ tiêu chí đã được sửa đổi sau khi tạo biểu mẫu)"
    )
    for k, old in enumerate(meta.rows):
        if k >= len(current):
            return cell_diagnostic(
                reader.file, old.row, 1, f"{lead}: tiêu chí `{old.id}` không còn trong bộ tiêu chí{redo}"
            )
        now = current[k]
        if old.id != now.id:
            return cell_diagnostic(
                reader.file,
                old.row,
                1,
                f"{lead}: ở dòng này bộ tiêu chí có tiêu chí `{now.id}`, biểu mẫu có `{old.id}`{redo}",
            )
        if old.digest != now.digest:
            return cell_diagnostic(
                reader.file,
                old.row,
                1,
                f"{lead}: tiêu chí `{old.id}` đã khác (điểm tối đa, mức "
                f"điểm, cấp áp dụng hoặc khai báo không áp dụng){redo}",
            )
    if len(current) > len(meta.rows):
        row = meta.rows[-1].row + 1 if meta.rows else HEADER_ROW + 1
        extra = current[len(meta.rows)].id
        return cell_diagnostic(
            reader.file, row, 1, f"{lead}: bộ tiêu chí có thêm tiêu chí `{extra}` mà biểu mẫu không có{redo}"
        )
    return cell_diagnostic(
        reader.file,
        CRITERIA_ROW,
        2,
        f"{lead}: các cấp của bộ tiêu chí đã khác, hoặc phần nhận dạng ẩn của biểu mẫu đã bị sửa{redo}",
    )


def cell_diagnostic(file: str, row: int, column: int, message: str) -> Diagnostic:
    return Diagnostic(file, f"ô {FORM_SHEET}!{column_letter(column)}{row}: {message}", line=row, column=column)
