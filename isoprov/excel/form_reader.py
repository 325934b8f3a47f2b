"""Reading a filled self-assessment form back as an assessment (``isoprov score``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isoprov.core.diagnostics import Diagnostic, InputError, format_path
from isoprov.core.loading import Mark, PathKey, YamlDocument
from isoprov.core.vietnamese import format_number
from isoprov.excel.cells import column_letter
from isoprov.excel.form_layout import (
    CRITERIA_LABEL,
    FORM_SHEET,
    LABELS,
    META_SHEET,
    NA_TEXT,
    PASS_TEXT,
    RATIO_COLUMNS,
)
from isoprov.excel.form_sheet import CellReader, norm_label, open_form_workbook
from isoprov.excel.form_structure import MetaRow, check_structure, find_header, read_meta
from isoprov.scoring.assessment import Assessment, PartialAssessmentError, check_assessment, load_assessment
from isoprov.scoring.criteria import CriteriaSet, Criterion, level_name

if TYPE_CHECKING:
    from isoprov.scoring.catalog import Catalog


@dataclass(slots=True)
class FormDocument(YamlDocument):
    """A form read back: like a YAML document, but each path is located at a cell.

    ``line``/``column`` of its diagnostics are the cell's row and column, and the message starts
    with the cell's name (``ô Tự đánh giá!E14: …``), which is what a person looks for in Excel.
    """

    sheet: str = FORM_SHEET

    def cell_name(self, mark: Mark) -> str:
        return f"{self.sheet}!{column_letter(mark.column)}{mark.line}"

    def diagnostic(
        self,
        path: PathKey,
        message: str,
        *,
        key: bool = False,
        at: PathKey | None = None,
        **kwargs: Any,
    ) -> Diagnostic:
        target = path if at is None else at
        # A missing evidence entry is about the evidence cell, not the criterion's id cell.
        if kwargs.get("code") == "no-evidence" and len(path) == 2:
            target, key = (*path, "evidence"), False
        # An unscored leaf is about its own score cell, not the column's header: the check names
        # the leaf only in its message (`2.1`), as the YAML path has no entry to point at.
        if kwargs.get("code") == "missing-entry" and path == ("scores",):
            named = _NAMED_ID.search(message)
            if named and ("scores", named.group(1), "self") in self.source.values:
                target, key = ("scores", named.group(1), "self"), False
        mark = self.source.locate(target, key=key)
        return Diagnostic(
            file=self.file,
            message=f"ô {self.cell_name(mark)}: {message}" if mark else message,
            line=mark.line if mark else None,
            column=mark.column if mark else None,
            path=format_path(path),
            **kwargs,
        )


def _sheets_shown(names: list[str], *, other: bool = False) -> str:
    if not names:
        return "tệp không có trang tính nào khác" if other else "tệp không có trang tính nào"
    return "các trang có: " + ", ".join(f"«{n}»" for n in names)


#: The first criterion id a message names (`2.1`).
_NAMED_ID = re.compile(r"`([^`]+)`")


def read_assessment_form(path: Path, catalog: Catalog | None = None) -> tuple[Assessment, FormDocument]:
    """Read a filled form as an assessment; raise :class:`InputError` naming the cells at fault.

    ``catalog`` finds the criteria set named in the form (default: ``./criteria/`` and the sets
    shipped with the package), to refuse a form made for another version of the set.
    """
    file = str(path)
    wb = open_form_workbook(path, file, (FORM_SHEET, META_SHEET))
    if FORM_SHEET not in wb.sheetnames and META_SHEET not in wb.sheetnames:
        raise NotAFormError(
            [
                Diagnostic(
                    file,
                    f"tệp Excel này không phải biểu mẫu tự đánh giá do `isoprov form` tạo "
                    f"(không có trang «{FORM_SHEET}»; {_sheets_shown(wb.sheetnames)})",
                )
            ]
        )
    if FORM_SHEET not in wb.sheetnames:
        shown = _sheets_shown([n for n in wb.sheetnames if n != META_SHEET], other=True)
        raise InputError(
            [
                Diagnostic(
                    file,
                    f"không có trang tính «{FORM_SHEET}» của biểu mẫu tự đánh giá "
                    f"({shown}); hãy dùng biểu mẫu do `isoprov form` tạo",
                )
            ]
        )
    if META_SHEET not in wb.sheetnames:
        raise InputError(
            [
                Diagnostic(
                    file,
                    "tệp không phải biểu mẫu do `isoprov form` tạo (thiếu phần nhận dạng "
                    "bộ tiêu chí); hãy tạo biểu mẫu bằng `isoprov form` rồi điền lại",
                )
            ]
        )
    meta = read_meta(wb.sheets[META_SHEET], file)
    reader = CellReader(file, wb.sheets[FORM_SHEET])
    if catalog is None:
        from isoprov.scoring.catalog import Catalog

        catalog = Catalog.default([])
    # An unknown or invalid set is reported at the "Bộ tiêu chí" cell: by the caller, or with the
    # form's other problems.
    cs = catalog.get(meta.criteria)
    header_row, columns = find_header(reader)
    leaves = check_structure(reader, header_row, columns, meta, cs)
    data: dict[str, Any] = {"criteria": meta.criteria}
    _read_agency(reader, header_row, data)
    data["scores"], refused = _read_scores(reader, header_row, columns, leaves, cs)
    _check_merged(reader, columns, leaves)
    level_ok = cs is not None and _check_level(reader, data["agency"], cs)
    doc = FormDocument(file=file, data=data, source=reader.source)
    if not reader.errors:
        try:
            return load_assessment(doc), doc
        except PartialAssessmentError:
            pass  # an entry the model refuses (a number too large): reported below with the rest
    raise InputError(_every_problem(reader.errors, doc, cs or catalog, level_ok, refused))


class NotAFormError(InputError):
    """The workbook is not a self-assessment form at all (a score or budget export, another
    spreadsheet): a folder search may skip it, where a damaged form is an error."""


def _check_level(reader: CellReader, agency: dict[str, Any], cs: CriteriaSet) -> bool:
    """The level cell must hold one of the set's level codes exactly, as the drop-down list
    offers them: the form's formulas compare the cell with those codes (``$B$6="tinh"``), so a
    level written any other way («Cấp tỉnh», « tinh ») would make the form's totals differ from
    isoprov's. It is refused, naming the cell and listing the codes."""
    mark = reader.source.values.get(("agency", "level"))
    if mark is None or "level" not in agency:
        return False  # no label, or the cell is empty: reported already
    raw = reader.ws.cell(mark.line, mark.column).value
    if isinstance(raw, str) and raw in cs.levels:
        return True
    codes = ", ".join(f"`{code}` ({level_name(code)})" for code in cs.levels)
    reader.error(
        mark.line,
        mark.column,
        f"«{LABELS['level']}» `{agency['level']}` không phải mã cấp của bộ tiêu chí `{cs.id}`; hãy chọn trong "
        f"danh sách hoặc gõ đúng một mã: {codes}",
        ("agency", "level"),
    )
    return False


def _check_merged(reader: CellReader, columns: dict[str, int], leaves: list[tuple[int, MetaRow]]) -> None:
    """Report each merged range that covers a cell to fill in: only its first cell keeps a value,
    so a score shown across two rows counts for the first criterion only."""
    inputs = [
        (row, columns[key]) for row, _ in leaves for key in ("self", "team", "evidence", "note") if key in columns
    ]
    inputs += [(m.line, m.column) for path, m in reader.source.values.items() if path[:1] in (("agency",), ("period",))]
    for merged in sorted(reader.ws.merged, key=lambda m: (m.min_row, m.min_col)):
        if any(merged.min_row <= r <= merged.max_row and merged.min_col <= c <= merged.max_col for r, c in inputs):
            reader.error(
                merged.min_row,
                merged.min_col,
                f"các ô {merged.coord} đã bị gộp (Merge) nhưng đây là ô nhập liệu: ô gộp chỉ giữ giá trị của "
                "ô đầu tiên; hãy bỏ gộp ô (Unmerge Cells) rồi điền lại từng ô",
            )


def _every_problem(
    errors: list[Diagnostic], doc: FormDocument, cs: CriteriaSet | Catalog, level_ok: bool, refused: set[str]
) -> list[Diagnostic]:
    """Every problem of a form with refused cells, in the order of the cells: those cells, then
    what checking the rest against the set finds (a score over its maximum in one cell must not
    hide behind text in another, as in a YAML file).

    The cells the reader refused were reported already: their agency fields get stand-ins, and
    their leaves are not reported again as unscored. ``cs`` is the catalog when the form's set
    is not in it (said as ``isoprov score`` says it).
    """
    problems = list(errors)
    if not isinstance(cs, CriteriaSet):
        criteria = doc.data["criteria"]
        invalid = cs.invalid.get(criteria)
        if invalid is not None:
            problem = f"có lỗi (xem các lỗi của tệp {invalid}); chưa thể chấm điểm"
        else:
            problem = f"không tìm thấy; các bộ tiêu chí hiện có: {', '.join(cs.known_ids()) or 'không có'}"
        problems.append(doc.diagnostic(("criteria",), f"bộ tiêu chí `{criteria}` {problem}"))
        return _in_cell_order(problems)
    stand_in = {"code": "?", "name": "?", **doc.data["agency"]}
    if not level_ok:
        stand_in["level"] = cs.levels[0]
    # the refused cells left their values out of the entries already
    data = {"agency": stand_in, "criteria": doc.data["criteria"], "period": doc.data.get("period") or "?"}
    try:
        partial = load_assessment(FormDocument(doc.file, {**data, "scores": doc.data["scores"]}, doc.source))
    except PartialAssessmentError as exc:  # an entry the model refuses (a number too large)
        problems.extend(exc.diagnostics)
        partial, refused = exc.partial, refused | exc.dropped
    except InputError as exc:  # pragma: no cover - the stand-ins make the agency valid
        return _in_cell_order([*problems, *exc.diagnostics])
    if level_ok:
        problems.extend(check_assessment(partial, cs, doc, invalid=refused))
    else:
        problems.extend(_points_problems(partial, cs, doc))
    return _in_cell_order(problems)


def _points_problems(a: Assessment, cs: CriteriaSet, doc: FormDocument) -> list[Diagnostic]:
    """Without a usable level (reported already), each entry's own errors: points outside 0..max or
    not an option, «Không áp dụng» where not allowed. Each entry is checked as if the agency were
    of a level the leaf applies to; what depends on the level (unscored leaves) is left out."""
    out: list[Diagnostic] = []
    for cid, entry in a.scores.items():
        leaf = cs.index.get(cid)
        level = next((lv for lv in cs.levels if leaf is not None and leaf.applies_to(lv)), None)
        if level is None:
            continue
        agency = a.agency.model_copy(update={"level": level})
        alone = Assessment(agency=agency, criteria=a.criteria, period=a.period, scores={cid: entry})
        out.extend(d for d in check_assessment(alone, cs, doc) if d.is_error)
    return out


def _in_cell_order(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Row by row, then column by column, as a person goes through the sheet; unplaced ones first."""
    return sorted(diagnostics, key=lambda d: (d.line or 0, d.column or 0))


def _read_agency(reader: CellReader, header_row: int, data: dict[str, Any]) -> None:
    """The labelled cells above the table, each value in the cell to the right of its label."""
    wanted = {norm_label(label): key for key, label in LABELS.items()}
    wanted[norm_label(CRITERIA_LABEL)] = "criteria"
    agency: dict[str, Any] = {}
    seen: set[str] = set()
    for row in range(1, header_row):
        for column in range(1, min(reader.ws.max_column, 40)):
            text = reader.text(row, column)
            key = wanted.get(norm_label(text)) if text is not None else None
            if key is None or key in seen:
                continue
            seen.add(key)
            mark = reader.mark(row, column + 1)
            if key == "criteria":
                reader.source.values[("criteria",)] = mark
                continue
            path: PathKey = ("period",) if key == "period" else ("agency", key)
            reader.source.values[path] = mark
            value = reader.ws.cell(row, column + 1).value
            if reader.unusable(row, column + 1, f"«{LABELS[key]}»", path):
                continue
            if isinstance(value, bool) or not isinstance(value, str | int | float | None):
                reader.error(
                    row,
                    column + 1,
                    f"«{LABELS[key]}» phải là chữ hoặc số, không phải ngày tháng hay giá trị đúng/sai",
                    path,
                )
                continue
            shown = reader.text(row, column + 1)
            if shown is None:
                reader.error(row, column + 1, f"chưa điền «{LABELS[key]}»", path)
            elif key == "period":
                data["period"] = shown
            else:
                agency[key] = shown
    for key, label in LABELS.items():
        if key not in seen:
            reader.error(
                None,
                None,
                f"không tìm thấy ô nhãn «{label}» phía trên bảng điểm của trang «{FORM_SHEET}» (hàng 1 đến "
                f"{header_row - 1}); cấu trúc biểu mẫu đã bị sửa, hãy tạo lại bằng `isoprov form`",
            )
    reader.source.values[("agency",)] = reader.source.values.get(("agency", "code"), Mark(1, 1))
    data["agency"] = agency


def _read_scores(
    reader: CellReader,
    header_row: int,
    columns: dict[str, int],
    leaves: list[tuple[int, MetaRow]],
    cs: CriteriaSet | None = None,
) -> tuple[dict[str, Any], set[str]]:
    """The score entries, and the ids of the leaves whose row has a cell the reader refused."""
    scores: dict[str, Any] = {}
    refused: set[str] = set()
    # What concerns the scores as a whole (nothing applicable) is shown at the column's header;
    # an unscored leaf at its own cell (see FormDocument.diagnostic).
    reader.source.values[("scores",)] = reader.mark(header_row, columns["self"])
    for row, leaf in leaves:
        cid = leaf.id
        limit = f"hãy nhập một số từ 0 đến {format_number(leaf.max)}" if leaf.max is not None else "hãy nhập một số"
        if leaf.na:
            limit += f" hoặc «{NA_TEXT}»"
        before = len(reader.errors)
        criterion = cs.index.get(cid) if cs is not None else None
        if criterion is not None and (
            criterion.kind == "condition" or criterion.measure is not None or criterion.per is not None
        ):
            _read_rule_row(reader, row, criterion, columns, scores)
        else:
            _read_row(reader, row, cid, columns, limit, scores)
        if len(reader.errors) > before:
            refused.add(cid)
    return scores, refused


def _read_row(
    reader: CellReader, row: int, cid: str, columns: dict[str, int], limit: str, scores: dict[str, Any]
) -> None:
    """One leaf's row: its entry goes into ``scores`` unless it is empty or refused."""
    self_col = columns["self"]
    base: PathKey = ("scores", cid)
    before = len(reader.errors)
    own = reader.number(row, self_col, (*base, "self"), "điểm tự chấm", limit)
    # a self-score cell already reported (not a number, TRUE/FALSE, a date): one error per
    # cell, so the row is not also "evidence without a score"
    bad_self = len(reader.errors) > before
    team = None
    if "team" in columns:
        team = reader.number(
            row, columns["team"], (*base, "team"), "điểm thẩm định", limit.replace(f" hoặc «{NA_TEXT}»", "")
        )
        if team == NA_TEXT:
            reader.error(
                row,
                columns["team"],
                f"điểm thẩm định không ghi «{NA_TEXT}»; khai báo không áp dụng ở cột Điểm tự chấm",
                (*base, "team"),
            )
            team = None
    evidence: list[str] = []
    note: str | None = None
    if "evidence" in columns and not reader.unusable(row, columns["evidence"], "tài liệu kiểm chứng"):
        evidence = _evidence(reader.text(row, columns["evidence"]))
    if "note" in columns and not reader.unusable(row, columns["note"], "ghi chú"):
        note = reader.text(row, columns["note"])
    if "evidence" in columns:
        reader.source.values[(*base, "evidence")] = reader.mark(row, columns["evidence"])
        for k in range(len(evidence)):
            reader.source.values[(*base, "evidence", k)] = reader.mark(row, columns["evidence"])
    if "note" in columns:
        reader.source.values[(*base, "note")] = reader.mark(row, columns["note"])
    reader.source.values[base] = reader.mark(row, columns["id"])
    reader.source.keys[base] = reader.mark(row, self_col)
    entry: dict[str, Any] = {}
    if own == NA_TEXT:
        reader.source.values[(*base, "na")] = reader.mark(row, self_col)
        if note is None:
            reader.error(
                row,
                self_col,
                f"tiêu chí `{cid}` khai báo «{NA_TEXT}» nhưng chưa ghi lý do ở cột "
                f"Ghi chú (ô {column_letter(columns.get('note', self_col))}{row})",
                base,
            )
            return
        if team is not None:
            reader.error(
                row,
                columns["team"],
                f"tiêu chí `{cid}` đã khai báo «{NA_TEXT}» thì không chấm điểm thẩm định",
                (*base, "team"),
            )
            return
        entry["na"] = note
    else:
        if own is not None:
            entry["self"] = own
        if team is not None:
            entry["team"] = team
        if not entry:
            if (evidence or note) and not bad_self:
                reader.error(
                    row,
                    self_col,
                    f"tiêu chí `{cid}` có tài liệu kiểm chứng hoặc ghi chú nhưng chưa có điểm tự chấm; {limit}",
                    (*base, "self"),
                )
            return
        if note is not None:
            entry["note"] = note
    if evidence:
        entry["evidence"] = evidence
    scores[cid] = entry


def _read_rule_row(reader: CellReader, row: int, c: Criterion, columns: dict[str, int], scores: dict[str, Any]) -> None:
    """A row of SPEC §3b: a condition's Đạt / Không đạt, a counted criterion's count, or a
    measured criterion's value or its two counts; the entry goes into ``scores``."""
    base: PathKey = ("scores", c.id)
    reader.source.values[base] = reader.mark(row, columns["id"])
    reader.source.keys[base] = reader.mark(row, columns["self"])
    entry: dict[str, Any] = {}
    for who, label in (("self", "tự chấm"), ("team", "thẩm định")):
        if who not in columns:
            continue
        column = columns[who]
        path = (*base, who)
        if c.kind == "condition":
            reader.source.values[path] = reader.mark(row, column)
            if reader.unusable(row, column, f"kết quả {label}", path):
                continue
            text = reader.text(row, column)
            if text is None:
                continue
            answer = " ".join(text.split()).casefold()
            if answer not in (PASS_TEXT.casefold(), "không đạt"):
                reader.error(row, column, f"điều kiện `{c.id}`: chọn «Đạt» hoặc «Không đạt», không phải `{text}`", path)
                continue
            entry[who] = answer == PASS_TEXT.casefold()
            continue
        limit = "hãy nhập số lần (số nguyên không âm)" if c.per is not None else "hãy nhập giá trị đo"
        if c.na and who == "self":
            limit += f" hoặc «{NA_TEXT}»"
        percent = c.measure is not None and c.measure.percent
        value = reader.number(row, column, path, f"giá trị {label}", limit, percent=percent)
        counts = _counts(reader, row, c, columns, who, path) if c.measure is not None else None
        if value == NA_TEXT:
            if who == "team" or counts is not None:
                reader.error(row, column, f"«{NA_TEXT}» chỉ ghi ở cột Điểm tự chấm, không kèm số đếm", path)
                continue
            note = reader.text(row, columns["note"]) if "note" in columns else None
            if note is None:
                reader.error(
                    row, column, f"tiêu chí `{c.id}` khai báo «{NA_TEXT}» nhưng chưa ghi lý do ở cột Ghi chú", path
                )
                continue
            reader.source.values[(*base, "na")] = reader.mark(row, column)
            entry["na"] = note
            continue
        if counts is not None and value is not None:
            reader.error(
                row, column, f"tiêu chí `{c.id}`: nhập giá trị đo hoặc số đếm và tổng số, không nhập cả hai", path
            )
            continue
        if counts is not None:
            entry[who] = counts
        elif value is not None:
            entry[who] = value
    if "evidence" in columns and not reader.unusable(row, columns["evidence"], "tài liệu kiểm chứng"):
        evidence = _evidence(reader.text(row, columns["evidence"]))
        reader.source.values[(*base, "evidence")] = reader.mark(row, columns["evidence"])
        if evidence and entry:
            entry["evidence"] = evidence
    if "note" in columns and "na" not in entry and entry:
        note = reader.text(row, columns["note"])
        if note is not None:
            entry["note"] = note
    if entry:
        scores[c.id] = entry


def _counts(
    reader: CellReader, row: int, c: Criterion, columns: dict[str, int], who: str, path: PathKey
) -> dict[str, Decimal] | None:
    """A measured value's two counts in the ratio columns, {count, of}; None when both are empty."""
    keys = (f"{who}_count", f"{who}_of")
    if not all(k in columns for k in keys):
        return None
    got: dict[str, Decimal] = {}
    for key, name in zip(keys, ("count", "of"), strict=True):
        value = reader.number(row, columns[key], (*path, name), RATIO_COLUMNS[key], "hãy nhập một số nguyên")
        if isinstance(value, Decimal):
            got[name] = value
    if not got:
        return None
    if len(got) == 1:
        missing = "tổng số" if "count" in got else "số đếm"
        reader.error(row, columns[keys[0]], f"tiêu chí `{c.id}`: thiếu {missing}; cần cả số đếm và tổng số", path)
        return None
    reader.source.values[path] = reader.mark(row, columns[keys[0]])
    return got


_EVIDENCE_SPLIT = re.compile(r"[\n;]")


def _evidence(text: str | None) -> list[str]:
    """Evidence entries: one per line, or separated by semicolons."""
    if text is None:
        return []
    return [part.strip() for part in _EVIDENCE_SPLIT.split(text.replace("\r", "\n")) if part.strip()]
