"""``isoprov form`` and reading filled forms back as assessments (SPEC §6, issue 5)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from isoprov.core.diagnostics import InputError
from isoprov.core.loading import load_yaml
from isoprov.excel.form_layout import (
    COLUMNS,
    FORM_SHEET,
    HEADER_ROW,
    META_OPTIONS_COL,
    META_SHEET,
    NA_TEXT,
    criteria_fingerprint,
)
from isoprov.excel.form_reader import read_assessment_form
from isoprov.scoring.catalog import Catalog
from tests import DATA, ROOT
from tests.conftest import Run, libreoffice_convert, needs_libreoffice

CRITERIA = DATA / "criteria" / "valid.yaml"
VALID = sorted((DATA / "assessment").glob("valid-*.yaml"))
Cli = Callable[..., Run]

# Rows of tests/data/criteria/valid.yaml in its form: the table starts below the header row.
ROW = {cid: HEADER_ROW + 1 + k for k, cid in enumerate(["1", "1.1", "1.2", "2", "2.1", "2.2", "T", "D"])}


# ---- helpers: what an agency does in Excel, done with openpyxl ----------------------------------


def make_form(cli: Cli, target: Path, *args: str | Path, criteria: Path = CRITERIA) -> Path:
    run = cli("form", criteria, "-o", target, *args)
    assert run.exit_code == 0, run.stderr
    return target


def columns(ws: Any) -> dict[str, int]:
    """Header text → column number, found the way a person would: by reading the header row."""
    for row in ws.iter_rows(min_row=1, max_row=40):
        texts = {c.value: c.column for c in row if isinstance(c.value, str)}
        if COLUMNS["id"] in texts:
            return {k: v for k, v in texts.items() if v is not None}
    raise AssertionError("no header row")


def rows(ws: Any) -> dict[str, int]:
    col = columns(ws)[COLUMNS["id"]]
    header = next(r for r in range(1, 40) if ws.cell(r, col).value == COLUMNS["id"])
    out: dict[str, int] = {}
    r = header + 1
    while ws.cell(r, col).value is not None:
        out[str(ws.cell(r, col).value)] = r
        r += 1
    return out


def label_cell(ws: Any, label: str) -> Any:
    for row in ws.iter_rows(min_row=1, max_row=20):
        for c in row:
            if c.value == label:
                return ws.cell(c.row, c.column + 1)
    raise AssertionError(label)


def fill_form(form: Path, assessment: Path, target: Path) -> Path:
    """Fill the input cells of ``form`` from a YAML assessment, as an agency would in Excel."""
    data = load_yaml(assessment).data
    wb = load_workbook(form)
    ws = wb[FORM_SHEET]
    agency = data["agency"]
    for label, value in (
        ("Mã cơ quan", agency["code"]),
        ("Tên cơ quan", agency["name"]),
        ("Cấp", agency["level"]),
        ("Kỳ đánh giá", data["period"]),
    ):
        label_cell(ws, label).value = value
    col = columns(ws)
    at = rows(ws)
    for cid, entry in data["scores"].items():
        r = at[cid]
        entry = entry if isinstance(entry, dict) else {"self": entry}
        if "na" in entry:
            ws.cell(r, col["Điểm tự chấm"]).value = NA_TEXT
            ws.cell(r, col["Ghi chú"]).value = entry["na"]
        for key, header in (("self", "Điểm tự chấm"), ("team", "Điểm thẩm định"), ("note", "Ghi chú")):
            if key in entry:
                value = entry[key]
                # openpyxl writes numbers as Excel does: binary doubles
                ws.cell(r, col[header]).value = float(value) if isinstance(value, Decimal) else value
        if "evidence" in entry:
            ws.cell(r, col["Tài liệu kiểm chứng"]).value = "\n".join(entry["evidence"])
    wb.save(target)
    return target


def edit(source: Path, target: Path, **cells: Any) -> Path:
    """Copy ``source`` with some cells of the form sheet changed (``E15=12``)."""
    wb = load_workbook(source)
    ws = wb[FORM_SHEET]
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(target)
    return target


@pytest.fixture
def form(cli: Cli, tmp_path: Path) -> Path:
    return make_form(cli, tmp_path / "bieu-mau.xlsx")


@pytest.fixture
def filled(form: Path, tmp_path: Path) -> Path:
    """The form filled from valid-skhcn.yaml (self, team, evidence, N/A, bonus)."""
    return fill_form(form, DATA / "assessment" / "valid-skhcn.yaml", tmp_path / "skhcn.xlsx")


def score_json(cli: Cli, *paths: Path) -> Any:
    run = cli("score", *paths, "--criteria", CRITERIA, "--format", "json")
    return run


def errors_of(run: Run) -> str:
    return run.stderr


# ---- the form's layout ------------------------------------------------------------------------


def test_form_has_labelled_cells_and_the_table_header(form: Path) -> None:
    ws = load_workbook(form)[FORM_SHEET]
    for label in ("Mã cơ quan", "Tên cơ quan", "Cấp", "Kỳ đánh giá"):
        assert label_cell(ws, label).value is None  # nothing pre-filled
    assert set(COLUMNS.values()) <= set(columns(ws))
    assert list(rows(ws)) == ["1", "1.1", "1.2", "2", "2.1", "2.2", "T", "D"]


def test_form_prefills_the_agency(cli: Cli, tmp_path: Path) -> None:
    path = make_form(
        cli,
        tmp_path / "f.xlsx",
        "--agency-code",
        "SNV",
        "--agency-name",
        "Sở Nội vụ",
        "--level",
        "tinh",
        "--period",
        "2020",
    )
    ws = load_workbook(path)[FORM_SHEET]
    assert [label_cell(ws, x).value for x in ("Mã cơ quan", "Tên cơ quan", "Cấp", "Kỳ đánh giá")] == [
        "SNV",
        "Sở Nội vụ",
        "tinh",
        "2020",
    ]


def test_structure_is_protected_and_input_cells_unlocked(form: Path) -> None:
    ws = load_workbook(form)[FORM_SHEET]
    assert ws.protection.sheet
    col = columns(ws)
    r = ROW["1.1"]
    for header in ("Điểm tự chấm", "Tài liệu kiểm chứng", "Ghi chú", "Điểm thẩm định"):
        assert ws.cell(r, col[header]).protection.locked is False, header
    for header in ("Mã tiêu chí", "Nội dung", "Điểm tối đa"):
        assert ws.cell(r, col[header]).protection.locked is True, header
    assert label_cell(ws, "Mã cơ quan").protection.locked is False
    # the group row's subtotals are formulas, locked
    assert ws.cell(ROW["1"], col["Điểm tự chấm"]).protection.locked is True


def test_groups_are_bold_with_subtotal_formulas_and_total_by_formula(form: Path) -> None:
    ws = load_workbook(form)[FORM_SHEET]
    col = columns(ws)
    group = ws.cell(ROW["1"], col["Điểm tự chấm"])
    assert group.value == f"=SUM(K{ROW['1.1']},K{ROW['1.2']})"  # what each leaf counts for
    assert ws.cell(ROW["1"], col["Nội dung"]).font.b
    assert ws.cell(ROW["1"], col["Điểm tối đa"]).value.startswith("=SUM(")
    totals = [ws.cell(r, col["Điểm tự chấm"]).value for r in range(ROW["D"] + 1, ROW["D"] + 8)]
    assert any(isinstance(v, str) and v.startswith("=ROUND(MAX(0,MIN(100,") for v in totals)


def test_leaves_carry_their_max_and_guidance(form: Path) -> None:
    ws = load_workbook(form)[FORM_SHEET]
    col = columns(ws)
    assert ws.cell(ROW["1.1"], col["Điểm tối đa"]).value == 4
    guidance = ws.cell(ROW["1.1"], col["Hướng dẫn chấm điểm"]).value
    assert "4 – Có quyết định, đủ thành phần" in guidance
    assert "tài liệu kiểm chứng" in guidance


def _validations(ws: Any) -> dict[str, Any]:
    return {str(ref): dv for dv in ws.data_validations.dataValidation for ref in dv.sqref.ranges}


#: An absolute range of one sheet, the sheet named (quoted or not: LibreOffice saves it bare).
_RANGE = re.compile(r"(?:'(?P<quoted>(?:[^']|'')+)'|(?P<bare>[^'!]+))!(?P<cells>\$[A-Z]+\$\d+:\$[A-Z]+\$\d+)")


def list_items(wb: Any, cell: str) -> list[Any]:
    """The items of the drop-down list of ``cell`` of the form sheet, in order: the values of the
    cells its validation takes them from, an absolute range naming the very hidden sheet."""
    dv = _validations(wb[FORM_SHEET])[cell]
    assert dv.type == "list"
    found = _RANGE.fullmatch(dv.formula1 or "")
    assert found is not None, f"not a range of cells: {dv.formula1}"
    sheet = found["bare"] or found["quoted"].replace("''", "'")
    assert sheet == META_SHEET != FORM_SHEET
    return [c.value for line in wb[sheet][found["cells"].replace("$", "")] for c in line]


def numbers(items: list[Any]) -> list[Decimal]:
    """The items as exact decimals; each must be a number cell, not text (nor TRUE/FALSE)."""
    assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in items), items
    return [Decimal(str(v)) for v in items]


def test_options_give_a_list_other_leaves_a_decimal_range(form: Path) -> None:
    wb = load_workbook(form)
    dv = _validations(wb[FORM_SHEET])
    # whole-number options: numbers in cells too, the highest first as the criteria list them
    for column in "EH":
        assert numbers(list_items(wb, f"{column}{ROW['1.1']}")) == [4, 2, 0]
    assert dv[f"E{ROW['2.1']}"].type == "decimal"
    assert (dv[f"E{ROW['2.1']}"].formula1, dv[f"E{ROW['2.1']}"].formula2) == ("0", "10")
    assert dv[f"H{ROW['2.1']}"].type == "decimal"  # the team's column too


def test_na_is_allowed_only_where_the_criterion_allows_it(form: Path) -> None:
    ws = load_workbook(form)[FORM_SHEET]
    dv = _validations(ws)
    assert NA_TEXT in dv[f"E{ROW['1.2']}"].formula1  # 1.2 has na: true
    assert NA_TEXT not in (dv[f"E{ROW['1.1']}"].formula1 or "")
    assert NA_TEXT not in (dv[f"H{ROW['1.2']}"].formula1 or "")  # the team does not declare N/A


def test_na_in_a_list_of_options(cli: Cli, tmp_path: Path) -> None:
    text = CRITERIA.read_text(encoding="utf-8")
    text = text.replace("        evidence: true\n", "        evidence: true\n        na: true\n", 1)
    criteria = tmp_path / "na-options.yaml"
    criteria.write_text(text, encoding="utf-8")
    wb = load_workbook(make_form(cli, tmp_path / "f.xlsx", criteria=criteria))
    *points, na = list_items(wb, f"E{ROW['1.1']}")
    assert (numbers(points), na) == ([4, 2, 0], NA_TEXT)
    assert numbers(list_items(wb, f"H{ROW['1.1']}")) == [4, 2, 0]  # the team does not declare N/A


def test_decimal_options_are_listed_from_number_cells(cli: Cli, tmp_path: Path) -> None:
    """A list written as text ("1.5,0.75,0") enters the text "1.5", which a Vietnamese Excel (decimal
    comma) reads as text or as the date 1 May: the items are cells holding the numbers."""
    wb = load_workbook(make_form(cli, tmp_path / "form.xlsx", criteria=NESTED))
    at = rows(wb[FORM_SHEET])
    for column in "EH":
        assert numbers(list_items(wb, f"{column}{at['1.1.1']}")) == [Decimal("1.5"), Decimal("0.75"), 0]
    # the cells sit on the very hidden sheet, beside nothing a person fills in
    assert wb.sheetnames == [FORM_SHEET, META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden" and wb[META_SHEET].protection.sheet
    # the error message and the prompt show the choices as the list does (1,5), `;` between them
    dv = _validations(wb[FORM_SHEET])[f"E{at['1.1.1']}"]
    assert (dv.showErrorMessage, dv.errorTitle, dv.error) == (
        True,
        "Điểm không hợp lệ",
        "Chọn một mức trong danh sách: 1,5; 0,75; 0",
    )
    assert dv.prompt == "Tối đa 1,5 điểm. Chọn một mức trong danh sách: 1,5; 0,75; 0"


def test_a_form_made_before_the_option_cells_reads_back(cli: Cli, tmp_path: Path) -> None:
    """Earlier forms listed the options as text and had no option cells: they read back the same."""
    form = make_form(cli, tmp_path / "form.xlsx", criteria=NESTED)
    wb = load_workbook(form)
    meta = wb[META_SHEET]
    meta.delete_cols(META_OPTIONS_COL, meta.max_column)
    for dv in wb[FORM_SHEET].data_validations.dataValidation:
        if dv.type == "list" and "!" in str(dv.formula1):
            dv.formula1 = '"1.5,0.75,0"'
    wb.save(tmp_path / "old.xlsx")
    source = DATA / "form" / "nested-decimal-tinh.yaml"
    filled = fill_form(tmp_path / "old.xlsx", source, tmp_path / "tinh.xlsx")
    expected = cli("score", source, "--criteria", NESTED, "--format", "json").json()["results"]
    got = cli("score", filled, "--criteria", NESTED, "--format", "json").json()["results"]
    keys = ("agency", "self_total", "total", "band", "groups")
    assert [[r[k] for k in keys] for r in got] == [[r[k] for k in keys] for r in expected]


def test_levels_a_leaf_does_not_apply_to_are_greyed_and_locked(cli: Cli, tmp_path: Path) -> None:
    ws = load_workbook(make_form(cli, tmp_path / "xa.xlsx", "--level", "xa"))[FORM_SHEET]
    col = columns(ws)
    cell = ws.cell(ROW["2.1"], col["Điểm tự chấm"])  # 2.1: tinh, huyen only
    assert cell.protection.locked is True
    assert cell.fill.fgColor.rgb.endswith("D9D9D9")
    assert ws.cell(ROW["2.2"], col["Điểm tự chấm"]).protection.locked is False  # 2.2: xa
    assert label_cell(ws, "Cấp").protection.locked is True  # the greying depends on it


def test_without_a_level_rows_grey_when_the_level_is_picked(form: Path) -> None:
    ws = load_workbook(form)[FORM_SHEET]
    ranges = [str(r.sqref) for r in ws.conditional_formatting]
    assert f"A{ROW['2.1']}:H{ROW['2.1']}" in ranges
    assert ws.cell(ROW["2.1"], 5).protection.locked is False


def test_a_very_hidden_sheet_carries_the_criteria_id_and_fingerprint(form: Path) -> None:
    wb = load_workbook(form)
    meta = wb[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    values = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, 5)}
    cs = _catalog().get("thu-nghiem")
    assert cs is not None
    assert values["criteria"] == "thu-nghiem"
    assert values["fingerprint"] == criteria_fingerprint(cs)
    assert wb.security is not None and wb.security.lockStructure


def test_user_text_in_the_criteria_is_never_a_formula(cli: Cli, tmp_path: Path) -> None:
    text = CRITERIA.read_text(encoding="utf-8").replace(
        "title: Hồ sơ giải quyết đúng hạn", 'title: "=HYPERLINK(\\"http://x\\",\\"bấm\\")"'
    )
    criteria = tmp_path / "c.yaml"
    criteria.write_text(text, encoding="utf-8")
    ws = load_workbook(make_form(cli, tmp_path / "f.xlsx", criteria=criteria))[FORM_SHEET]
    cell = ws.cell(ROW["2.1"], columns(ws)["Nội dung"])
    assert cell.value == '=HYPERLINK("http://x","bấm")'
    assert cell.data_type == "s"


# ---- the form command's own errors ------------------------------------------------------------


def test_form_finds_a_set_by_id(cli: Cli, tmp_path: Path) -> None:
    run = cli("form", "thu-nghiem", "--criteria", CRITERIA, "-o", tmp_path / "f.xlsx")
    assert run.exit_code == 0, run.stderr
    assert (tmp_path / "f.xlsx").is_file()


def test_form_for_an_unknown_id_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    run = cli("form", "khong-co", "-o", tmp_path / "f.xlsx")
    assert run.exit_code == 2
    assert "khong-co" in run.stderr
    assert not (tmp_path / "f.xlsx").exists()


def test_form_for_a_folder_says_it_is_a_folder(cli: Cli, tmp_path: Path) -> None:
    run = cli("form", tmp_path, "-o", tmp_path / "f.xlsx")
    assert run.exit_code == 2 and "là một thư mục" in run.stderr


def test_form_prints_a_score_command_that_pastes_as_one(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "biểu mẫu SKHCN.xlsx"
    run = cli("form", CRITERIA, "-o", target)
    assert run.exit_code == 0, run.stderr
    assert f"isoprov score '{target}'" in " ".join(run.stdout.split())  # quoted (the line may wrap)


def test_form_output_must_be_xlsx(cli: Cli, tmp_path: Path) -> None:
    assert cli("form", CRITERIA, "-o", tmp_path / "f.xls").exit_code == 2


def test_form_level_must_be_one_of_the_set(cli: Cli, tmp_path: Path) -> None:
    run = cli("form", CRITERIA, "-o", tmp_path / "f.xlsx", "--level", "thon")
    assert run.exit_code == 2
    assert "tinh, huyen, xa" in run.stderr


def test_form_of_an_invalid_criteria_file_exits_1(cli: Cli, tmp_path: Path) -> None:
    run = cli("form", DATA / "criteria" / "group-max.yaml", "-o", tmp_path / "f.xlsx")
    assert run.exit_code == 1
    assert "group-max.yaml" in run.stderr
    assert not (tmp_path / "f.xlsx").exists()


# ---- reading filled forms ---------------------------------------------------------------------


@pytest.mark.parametrize("assessment", VALID, ids=lambda p: p.stem)
def test_round_trip_gives_the_same_totals_as_the_yaml(cli: Cli, form: Path, tmp_path: Path, assessment: Path) -> None:
    filled = fill_form(form, assessment, tmp_path / f"{assessment.stem}.xlsx")
    from_yaml = score_json(cli, assessment)
    from_form = score_json(cli, filled)
    assert from_yaml.exit_code == from_form.exit_code == 0, from_form.stderr
    (expected,), (got,) = from_yaml.json()["results"], from_form.json()["results"]
    for key in ("agency", "criteria", "period", "self_total", "total", "band", "rank", "groups", "warnings"):
        assert got[key] == expected[key], key


def test_round_trip_of_a_whole_batch_ranks_the_same(cli: Cli, form: Path, tmp_path: Path) -> None:
    forms = [fill_form(form, a, tmp_path / f"{a.stem}.xlsx") for a in VALID]
    strip = [{k: v for k, v in r.items() if k != "file"} for r in score_json(cli, *VALID).json()["results"]]
    got = [{k: v for k, v in r.items() if k != "file"} for r in score_json(cli, *forms).json()["results"]]
    assert got == strip


def test_examples_round_trip(cli: Cli, tmp_path: Path) -> None:
    folder = ROOT / "examples" / "bac-giang-2020" / "assessments"
    found = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not found:
        pytest.skip("examples/bac-giang-2020/assessments/ not written yet")
    criteria_id = load_yaml(found[0]).data["criteria"]
    form = tmp_path / "form.xlsx"
    assert cli("form", criteria_id, "-o", form).exit_code == 0
    for assessment in found:
        filled = fill_form(form, assessment, tmp_path / f"{assessment.stem}.xlsx")
        (expected,) = cli("score", assessment, "--format", "json").json()["results"]
        (got,) = cli("score", filled, "--format", "json").json()["results"]
        assert (got["self_total"], got["total"], got["band"]) == (
            expected["self_total"],
            expected["total"],
            expected["band"],
        ), assessment.name


def test_a_leaf_marked_na_carries_the_text_and_its_reason(filled: Path) -> None:
    ws = load_workbook(filled)[FORM_SHEET]
    col = columns(ws)
    assert ws.cell(ROW["1.2"], col["Điểm tự chấm"]).value == NA_TEXT
    assert ws.cell(ROW["1.2"], col["Ghi chú"]).value == "Cơ quan mới thành lập, chưa có kế hoạch năm"
    assessment, _ = read_assessment_form(filled, _catalog())
    assert assessment.scores["1.2"].na == "Cơ quan mới thành lập, chưa có kế hoạch năm"
    assert assessment.scores["1.2"].self_points is None


def _catalog() -> Catalog:
    catalog = Catalog(explicit=[CRITERIA])
    catalog.load_explicit()
    return catalog


def test_numbers_are_read_as_exact_decimals(form: Path, tmp_path: Path) -> None:
    path = fill_form(form, DATA / "assessment" / "valid-stc.yaml", tmp_path / "stc.xlsx")  # 2.1: 7.6
    assessment, _ = read_assessment_form(path, _catalog())
    value = assessment.scores["2.1"].self_points
    assert value == Decimal("7.6") and str(value) == "7.6"


def test_evidence_splits_on_line_breaks_and_semicolons(filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "e.xlsx", **{f"F{ROW['1.1']}": "QĐ số 1;  QĐ số 2\nQĐ số 3\r\n\n;"})
    assessment, _ = read_assessment_form(path, _catalog())
    assert assessment.scores["1.1"].evidence == ("QĐ số 1", "QĐ số 2", "QĐ số 3")


@pytest.mark.parametrize("column", ["E", "H"])
@pytest.mark.parametrize("text", ["9,5", "9.5", " 2 ", "8"])
def test_a_number_typed_as_text_is_refused(cli: Cli, filled: Path, tmp_path: Path, column: str, text: str) -> None:
    # the form's own totals count text as 0 (N(E14)): reading it as a number would give a total
    # the agency never saw on its form
    cell = f"{column}{ROW['2.1']}"
    path = edit(filled, tmp_path / "t.xlsx", **{cell: text})
    message = _refused(cli("score", path, "--criteria", CRITERIA), cell)
    assert f"`{text.strip()}` là chữ" in message and "gõ lại con số" in message and "từ 0 đến 10" in message
    with pytest.raises(InputError):
        read_assessment_form(path, _catalog())


@pytest.mark.parametrize("text", [NA_TEXT, "không áp dụng", "  KHÔNG  ÁP DỤNG "])
def test_the_na_marker_is_the_only_text_accepted_in_a_score_cell(filled: Path, tmp_path: Path, text: str) -> None:
    path = edit(filled, tmp_path / "na.xlsx", **{f"E{ROW['1.2']}": text})
    assessment, _ = read_assessment_form(path, _catalog())
    assert assessment.scores["1.2"].na == "Cơ quan mới thành lập, chưa có kế hoạch năm"


def test_the_form_counts_any_text_in_a_score_cell_as_the_na_marker(form: Path) -> None:
    # the reader accepts no other text, so the form's totals and isoprov's agree whatever the
    # case or spacing of «Không áp dụng»
    ws = load_workbook(form)[FORM_SHEET]
    possible = ws[f"J{ROW['1.2']}"].value
    assert f"NOT(ISTEXT(E{ROW['1.2']}))" in possible and NA_TEXT not in possible


def test_validate_accepts_a_filled_form(cli: Cli, filled: Path) -> None:
    run = cli("validate", filled, "--criteria", CRITERIA)
    assert run.exit_code == 0, run.stderr
    assert "bản tự đánh giá" in run.stdout


# ---- refused forms: exit 1, the cell named ----------------------------------------------------


def _refused(run: Run, cell: str) -> str:
    assert run.exit_code == 1, run.stdout + run.stderr
    assert f"ô {FORM_SHEET}!{cell}" in run.stderr, run.stderr
    return run.stderr


def test_a_form_of_another_version_of_the_set_is_refused(
    cli: Cli, filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The committee revised the set after sending out forms: same id, 2.1 now out of 12.
    (tmp_path / "criteria").mkdir()
    text = CRITERIA.read_text(encoding="utf-8").replace(
        "title: Hồ sơ giải quyết đúng hạn\n        max: 10", "title: Hồ sơ giải quyết đúng hạn\n        max: 12"
    )
    (tmp_path / "criteria" / "thu-nghiem.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command in ("score", "validate"):
        message = _refused(cli(command, filled), f"A{ROW['2.1']}")
        assert "khác với bộ tiêu chí `thu-nghiem` đang dùng" in message
        assert "isoprov form" in message
    revised = Catalog(explicit=[tmp_path / "criteria"])
    revised.load_explicit()
    with pytest.raises(InputError) as caught:
        read_assessment_form(filled, revised)
    (problem,) = caught.value.diagnostics
    assert (problem.line, problem.column) == (ROW["2.1"], 1)


def test_a_form_of_another_set_is_refused(cli: Cli, tmp_path: Path) -> None:
    other = tmp_path / "khac.yaml"
    other.write_text(CRITERIA.read_text(encoding="utf-8").replace("id: thu-nghiem", "id: bo-khac"), encoding="utf-8")
    form = make_form(cli, tmp_path / "khac.xlsx", criteria=other)
    path = fill_form(form, DATA / "assessment" / "valid-snv.yaml", tmp_path / "snv.xlsx")
    run = cli("score", path, "--criteria", CRITERIA)
    assert run.exit_code == 1
    assert f"ô {FORM_SHEET}!B3" in run.stderr and "bo-khac" in run.stderr


def test_a_deleted_row_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    wb[FORM_SHEET].delete_rows(ROW["1.2"])
    wb.save(tmp_path / "deleted.xlsx")
    message = _refused(cli("score", tmp_path / "deleted.xlsx", "--criteria", CRITERIA), f"A{ROW['1.2']}")
    assert "`1.2`" in message and "cấu trúc biểu mẫu đã bị sửa" in message


def test_an_inserted_row_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    ws = wb[FORM_SHEET]
    ws.insert_rows(ROW["2.2"])
    ws.cell(ROW["2.2"], 1).value = "2.1b"
    wb.save(tmp_path / "inserted.xlsx")
    _refused(cli("score", tmp_path / "inserted.xlsx", "--criteria", CRITERIA), f"A{ROW['2.2']}")


def test_an_inserted_blank_row_is_called_inserted(cli: Cli, filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    wb[FORM_SHEET].insert_rows(ROW["1.2"])
    wb.save(tmp_path / "inserted.xlsx")
    message = _refused(cli("score", tmp_path / "inserted.xlsx", "--criteria", CRITERIA), f"A{ROW['1.2']}")
    assert "chèn dòng" in message and "`1.2`" in message
    assert "xóa" not in message


def test_a_cleared_id_is_not_called_an_inserted_row(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "cleared.xlsx", **{f"A{ROW['1.2']}": None})
    message = _refused(cli("score", path, "--criteria", CRITERIA), f"A{ROW['1.2']}")
    assert "xóa mã tiêu chí" in message and "`1.2`" in message and "chèn" not in message


def test_deleted_last_rows_name_the_first_missing_criterion(cli: Cli, filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    wb[FORM_SHEET].delete_rows(ROW["D"])
    wb.save(tmp_path / "deleted.xlsx")
    message = _refused(cli("score", tmp_path / "deleted.xlsx", "--criteria", CRITERIA), f"A{ROW['D']}")
    assert "thiếu tiêu chí `D`" in message and "chèn, xóa hoặc đổi chỗ dòng" in message


def test_a_changed_max_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "max.xlsx", **{f"D{ROW['2.1']}": 20})
    message = _refused(cli("score", path, "--criteria", CRITERIA), f"D{ROW['2.1']}")
    assert "phải là 10" in message


def test_a_changed_id_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "id.xlsx", **{f"A{ROW['T']}": "X"})
    _refused(cli("score", path, "--criteria", CRITERIA), f"A{ROW['T']}")


def test_a_value_outside_0_to_max_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "range.xlsx", **{f"E{ROW['2.1']}": 12})
    message = _refused(cli("score", path, "--criteria", CRITERIA), f"E{ROW['2.1']}")
    assert "0..10" in message


def test_a_team_value_outside_0_to_max_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "team.xlsx", **{f"H{ROW['2.1']}": -1})
    _refused(cli("score", path, "--criteria", CRITERIA), f"H{ROW['2.1']}")


def test_a_value_not_among_the_options_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "option.xlsx", **{f"E{ROW['1.1']}": 3})
    assert "4, 2, 0" in _refused(cli("score", path, "--criteria", CRITERIA), f"E{ROW['1.1']}")


def test_text_in_a_number_cell_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "text.xlsx", **{f"E{ROW['2.1']}": "chín điểm"})
    message = _refused(cli("score", path, "--criteria", CRITERIA), f"E{ROW['2.1']}")
    assert "`chín điểm` không phải là một số" in message and "từ 0 đến 10" in message
    _refused(cli("validate", path, "--criteria", CRITERIA), f"E{ROW['2.1']}")


def test_true_false_in_a_number_cell_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "bool.xlsx", **{f"H{ROW['2.1']}": True})
    assert "TRUE/FALSE" in _refused(cli("score", path, "--criteria", CRITERIA), f"H{ROW['2.1']}")


def test_a_date_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    cells = {f"E{ROW['2.1']}": dt.datetime(2020, 1, 9), "B7": dt.date(2020, 1, 1)}
    path = edit(filled, tmp_path / "date.xlsx", **cells)
    message = _refused(cli("score", path, "--criteria", CRITERIA), f"E{ROW['2.1']}")
    assert f"ô {FORM_SHEET}!B7" in message


@pytest.mark.parametrize(
    "value",
    ["hai", "N/A", True, dt.date(2020, 1, 1), dt.datetime(2020, 1, 9)],
    ids=["text", "na", "bool", "date", "dt"],
)
def test_a_bad_score_beside_evidence_is_one_error(cli: Cli, filled: Path, tmp_path: Path, value: Any) -> None:
    # T carries evidence and no team score: the bad cell is the only error, not also "evidence
    # without a score"
    path = edit(filled, tmp_path / "bad.xlsx", **{f"E{ROW['T']}": value})
    message = _refused(cli("score", path, "--criteria", CRITERIA), f"E{ROW['T']}")
    assert message.count(f"ô {FORM_SHEET}!E{ROW['T']}") == 1
    assert "chưa có điểm tự chấm" not in message


def test_a_bad_team_score_does_not_hide_a_missing_self_score(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "team.xlsx", **{f"E{ROW['T']}": None, f"H{ROW['T']}": "hai"})
    message = _refused(cli("score", path, "--criteria", CRITERIA), f"H{ROW['T']}")
    assert f"ô {FORM_SHEET}!E{ROW['T']}" in message and "chưa có điểm tự chấm" in message


def test_na_without_a_reason_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "na.xlsx", **{f"G{ROW['1.2']}": None})
    assert "lý do" in _refused(cli("score", path, "--criteria", CRITERIA), f"E{ROW['1.2']}")


def test_na_where_not_allowed_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "na2.xlsx", **{f"E{ROW['2.1']}": NA_TEXT, f"G{ROW['2.1']}": "không có"})
    _refused(cli("score", path, "--criteria", CRITERIA), f"E{ROW['2.1']}")


def test_evidence_without_points_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "ev.xlsx", **{f"F{ROW['2.1']}": "Báo cáo", f"E{ROW['2.1']}": None})
    _refused(cli("score", path, "--criteria", CRITERIA), f"E{ROW['2.1']}")


def test_a_blank_form_names_each_missing_agency_cell(cli: Cli, form: Path) -> None:
    message = _refused(cli("score", form, "--criteria", CRITERIA), "B4")
    for cell in ("B5", "B6", "B7"):
        assert f"ô {FORM_SHEET}!{cell}" in message


def test_an_unknown_level_names_its_cell(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "level.xlsx", B6="thon")
    _refused(cli("score", path, "--criteria", CRITERIA), "B6")


def test_warnings_name_the_cell(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "warn.xlsx", **{f"F{ROW['1.1']}": None})  # points > 0, no evidence
    run = cli("score", path, "--criteria", CRITERIA, "--format", "json")
    assert run.exit_code == 0
    (result,) = run.json()["results"]
    assert any(f"ô {FORM_SHEET}!F{ROW['1.1']}" in w for w in result["warnings"])


def test_a_workbook_that_is_not_a_form_is_refused(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    Workbook().save(tmp_path / "other.xlsx")
    run = cli("score", tmp_path / "other.xlsx", "--criteria", CRITERIA)
    assert run.exit_code == 1 and "isoprov form" in run.stderr


def test_a_form_without_its_sheet_lists_what_it_has(cli: Cli, filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    wb[FORM_SHEET].title = "Trang 1"
    wb.save(tmp_path / "doi-ten.xlsx")
    del wb["Trang 1"]
    wb[META_SHEET].sheet_state = "visible"  # Excel keeps one sheet visible
    wb.save(tmp_path / "xoa.xlsx")
    renamed = cli("score", tmp_path / "doi-ten.xlsx", "--criteria", CRITERIA)
    assert f"không có trang tính «{FORM_SHEET}» của biểu mẫu tự đánh giá (các trang có: «Trang 1»)" in renamed.stderr
    removed = cli("score", tmp_path / "xoa.xlsx", "--criteria", CRITERIA)
    assert "(tệp không có trang tính nào khác); hãy dùng biểu mẫu do `isoprov form` tạo" in removed.stderr
    assert renamed.exit_code == removed.exit_code == 1


def test_a_damaged_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    run = cli("score", tmp_path / "broken.xlsx", "--criteria", CRITERIA)
    assert run.exit_code == 1 and ".xlsx" in run.stderr


def test_a_form_found_in_a_folder_is_scored(cli: Cli, filled: Path, tmp_path: Path) -> None:
    folder = tmp_path / "nop"
    folder.mkdir()
    shutil.copy(filled, folder / "skhcn.xlsx")
    shutil.copy(DATA / "assessment" / "valid-snv.yaml", folder)
    run = score_json(cli, folder)
    assert run.exit_code == 0, run.stderr
    assert {r["agency"]["code"] for r in run.json()["results"]} == {"SKHCN", "SNV"}


def test_an_export_beside_the_forms_in_a_folder_is_skipped(cli: Cli, filled: Path, tmp_path: Path) -> None:
    folder = tmp_path / "nop"
    folder.mkdir()
    shutil.copy(filled, folder / "skhcn.xlsx")
    cli("score", filled, "--criteria", CRITERIA, "--xlsx", folder / "ket-qua.xlsx")
    run = score_json(cli, folder)
    assert run.exit_code == 0, run.stderr
    assert [r["agency"]["code"] for r in run.json()["results"]] == ["SKHCN"]
    checked = cli("validate", folder, "--criteria", CRITERIA)
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert "ket-qua.xlsx (tệp Excel khác" in " ".join(checked.stdout.split())
    # named on the command line, the same export is an error: the user meant it as a form
    assert cli("score", folder / "ket-qua.xlsx", "--criteria", CRITERIA).exit_code == 1
    assert cli("validate", folder / "ket-qua.xlsx", "--criteria", CRITERIA).exit_code == 1


def test_a_form_is_checked_against_the_set_given_with_criteria(cli: Cli, filled: Path, tmp_path: Path) -> None:
    # the form's set is not under ./criteria nor shipped: only --criteria can find it
    revised = tmp_path / "sua" / "thu-nghiem.yaml"
    revised.parent.mkdir()
    revised.write_text(
        CRITERIA.read_text(encoding="utf-8").replace(
            "title: Hồ sơ giải quyết đúng hạn\n        max: 10", "title: Hồ sơ giải quyết đúng hạn\n        max: 12"
        ),
        encoding="utf-8",
    )
    for command in ("score", "validate"):
        run = cli(command, filled, "--criteria", revised)
        assert run.exit_code == 1
        assert "khác với bộ tiêu chí `thu-nghiem` đang dùng" in " ".join(run.stderr.split())


def test_an_xml_entity_bomb_inside_a_workbook_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "bom.xlsx"
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(bomb, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                # the DTD goes before the root element: after the XML declaration if the part has one
                declaration, _, rest = text.partition("?>") if text.startswith("<?xml") else ("", "", text)
                head = f"{declaration}?>" if declaration else ""
                data = f"{head}<!DOCTYPE worksheet [{lol}]>{rest}".replace("<v>", "<v>&l9;", 1).encode()
            dst.writestr(info, data)
    run = cli("score", bomb, "--criteria", CRITERIA)
    assert run.exit_code == 1
    assert "tệp Excel bị từ chối" in run.stderr and "Traceback" not in run.stderr
    assert "DTD" in run.stderr  # refused for its DTD, not for being malformed


@pytest.mark.parametrize("text", ["Cấp tỉnh", "tỉnh", "TINH", " tinh", "tinh "])
def test_the_level_must_be_one_of_the_codes(cli: Cli, filled: Path, tmp_path: Path, text: str) -> None:
    # the form's formulas compare the level cell with the codes ($B$6="tinh"): any other spelling
    # would make the form's totals differ from isoprov's, so it is refused
    path = edit(filled, tmp_path / "level.xlsx", B6=text)
    message = _refused(cli("score", path, "--criteria", CRITERIA), "B6")
    assert "`tinh` (Cấp tỉnh), `huyen` (Cấp huyện), `xa` (Cấp xã)" in message
    assert "không phải mã cấp" in message


def test_the_level_formulas_compare_with_the_codes(form: Path) -> None:
    ws = load_workbook(form)[FORM_SHEET]
    assert '$B$6="tinh"' in ws[f"J{ROW['2.1']}"].value


def test_an_export_is_not_a_form(cli: Cli, tmp_path: Path) -> None:
    from isoprov.excel.form_reader import NotAFormError

    export = tmp_path / "ket-qua.xlsx"
    cli("score", *VALID, "--criteria", CRITERIA, "--xlsx", export)
    with pytest.raises(NotAFormError):
        read_assessment_form(export, _catalog())


def test_an_unscored_leaf_is_a_warning_at_its_own_score_cell(cli: Cli, filled: Path, tmp_path: Path) -> None:
    # at E15, the leaf's cell, not E10, the column's header
    path = edit(filled, tmp_path / "missing.xlsx", **{f"E{ROW['2.1']}": None, f"H{ROW['2.1']}": None})
    run = cli("score", path, "--criteria", CRITERIA, "--format", "json")
    assert run.exit_code == 0
    (result,) = run.json()["results"]
    (warning,) = [w for w in result["warnings"] if "`2.1`" in w]
    assert f"ô {FORM_SHEET}!E{ROW['2.1']}:" in warning and "chưa được chấm" in warning
    strict = cli("validate", path, "--criteria", CRITERIA, "--strict")
    assert strict.exit_code == 1
    assert f"{path}:{ROW['2.1']}:5:" in strict.stderr and f"ô {FORM_SHEET}!E{ROW['2.1']}:" in strict.stderr


@needs_libreoffice
def test_a_form_saved_by_libreoffice_reads_back_and_its_formulas_agree(cli: Cli, filled: Path, tmp_path: Path) -> None:
    """An agency fills the form in LibreOffice and saves it: it still reads back, and the totals
    the sheet computes for itself (N/A rescaling, bonus) are the ones isoprov computes, also when
    «Không áp dụng» is typed in another case and spacing."""
    variant = edit(filled, tmp_path / "na-thuong.xlsx", **{f"E{ROW['1.2']}": " không  áp dụng"})
    # formulas saved without values (openpyxl): LibreOffice computes them on saving
    computed = _with_formula(filled, tmp_path / "cong-thuc.xlsx", f"E{ROW['2.1']}", "=4+5")  # 2.1: 9
    failing = _with_formula(filled, tmp_path / "loi.xlsx", "B4", "=SKHCN")  # the code typed as a formula
    out, stderr = libreoffice_convert(tmp_path, filled, variant, computed, failing)
    (expected,) = score_json(cli, DATA / "assessment" / "valid-skhcn.yaml").json()["results"]
    message = _refused(cli("score", out / failing.name, "--criteria", CRITERIA), "B4")
    assert "giá trị lỗi `#NAME?`" in message
    for source in (filled, variant, computed):
        saved = out / source.name
        assert saved.is_file(), stderr
        (got,) = score_json(cli, saved).json()["results"]
        assert [got[k] for k in ("self_total", "total", "band")] == [
            expected[k] for k in ("self_total", "total", "band")
        ], source.name
        ws = load_workbook(saved, data_only=True)[FORM_SHEET]
        total_row = next(r for r in range(ROW["D"] + 1, ws.max_row + 1) if "quy đổi" in str(ws.cell(r, 2).value))
        own = (ws.cell(total_row, 5).value, ws.cell(total_row, 8).value)
        assert [Decimal(str(v)) for v in own] == [Decimal(str(expected["self_total"])), Decimal(str(expected["total"]))]


# ---- every problem of a form at once, each at its cell ----------------------------------------


def _messages(run: Run) -> list[str]:
    assert run.exit_code == 1, run.stdout + run.stderr
    return [line for line in run.stderr.splitlines() if line.strip()]


def test_every_bad_cell_is_reported_in_one_run(cli: Cli, filled: Path, tmp_path: Path) -> None:
    """Text in one score cell must not hide the other bad cells, as in a YAML file."""
    cells = {
        f"E{ROW['1.1']}": 5,  # over its max (4)
        f"E{ROW['1.2']}": "abc",  # not a number
        f"H{ROW['1.2']}": -1,  # the team's column, below 0
        f"E{ROW['2.1']}": 12,  # over its max (10)
        f"E{ROW['T']}": 3.5,  # fine
    }
    path = edit(filled, tmp_path / "many.xlsx", **cells)
    for command in ("score", "validate"):
        lines = _messages(cli(command, path, "--criteria", CRITERIA))
        for cell in (f"E{ROW['1.1']}", f"E{ROW['1.2']}", f"H{ROW['1.2']}", f"E{ROW['2.1']}"):
            assert sum(f"ô {FORM_SHEET}!{cell}:" in line for line in lines) == 1, (cell, lines)
        assert not any(f"!E{ROW['T']}" in line for line in lines)
        # in the order of the sheet, row by row
        assert [line.split("!")[1].split(":")[0] for line in lines if "!" in line] == [
            f"E{ROW['1.1']}",
            f"E{ROW['1.2']}",
            f"H{ROW['1.2']}",
            f"E{ROW['2.1']}",
        ]
    errors = score_json(cli, path).json()["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [
        (ROW["1.1"], 5),
        (ROW["1.2"], 5),
        (ROW["1.2"], 8),
        (ROW["2.1"], 5),
    ]


def test_bad_cells_are_reported_beside_a_missing_level(cli: Cli, filled: Path, tmp_path: Path) -> None:
    cells = {"B6": None, f"E{ROW['2.1']}": 12, f"H{ROW['T']}": "hai", f"E{ROW['1.1']}": 3}
    path = edit(filled, tmp_path / "nolevel.xlsx", **cells)
    message = _refused(cli("score", path, "--criteria", CRITERIA), "B6")
    assert f"ô {FORM_SHEET}!E{ROW['2.1']}: điểm 12 nằm ngoài khoảng cho phép 0..10" in message
    assert f"ô {FORM_SHEET}!H{ROW['T']}:" in message
    assert f"ô {FORM_SHEET}!E{ROW['1.1']}: điểm 3 không phải một mức" in message
    assert "chưa được chấm" not in message  # unscored leaves depend on the level


def test_bad_cells_are_reported_beside_missing_agency_cells(cli: Cli, form: Path, tmp_path: Path) -> None:
    path = edit(form, tmp_path / "blank.xlsx", **{f"E{ROW['2.1']}": 11, f"E{ROW['1.2']}": "x"})
    message = _refused(cli("score", path, "--criteria", CRITERIA), "B4")
    assert f"ô {FORM_SHEET}!E{ROW['2.1']}: điểm 11" in message and f"ô {FORM_SHEET}!E{ROW['1.2']}:" in message


def test_a_number_too_large_does_not_hide_text_elsewhere(cli: Cli, filled: Path, tmp_path: Path) -> None:
    path = edit(filled, tmp_path / "huge.xlsx", **{f"E{ROW['2.1']}": 1e300, f"H{ROW['T']}": "x"})
    message = _refused(cli("score", path, "--criteria", CRITERIA), f"E{ROW['2.1']}")
    assert "quá lớn" in message and f"ô {FORM_SHEET}!H{ROW['T']}:" in message


def test_a_bad_form_does_not_stop_the_valid_ones(cli: Cli, form: Path, filled: Path, tmp_path: Path) -> None:
    bad = edit(filled, tmp_path / "bad.xlsx", **{f"E{ROW['1.2']}": "abc"})
    good = fill_form(form, DATA / "assessment" / "valid-snv.yaml", tmp_path / "snv.xlsx")
    run = score_json(cli, bad, good)
    assert run.exit_code == 1
    assert [r["agency"]["code"] for r in run.json()["results"]] == ["SNV"]
    assert {e["file"] for e in run.json()["errors"]} == {str(bad)}


# ---- cells whose value is not what was typed --------------------------------------------------


def _with_formula(source: Path, target: Path, cell: str, formula: str) -> Path:
    """What a program that does not compute formulas saves: the formula and no value."""
    wb = load_workbook(source)
    wb[FORM_SHEET][cell] = formula
    wb.save(target)
    return target


@pytest.mark.parametrize(
    ("cell", "formula"),
    [
        (f"E{ROW['2.1']}", "=4+5"),
        (f"H{ROW['1.1']}", "=2"),
        ("B4", '="SKHCN"'),
        (f"G{ROW['1.2']}", '="Cơ quan mới thành lập"'),  # the reason of an N/A
        (f"F{ROW['1.1']}", '="QĐ 12"'),
    ],
)
def test_a_formula_without_a_computed_value_is_an_error_at_its_cell(
    cli: Cli, filled: Path, tmp_path: Path, cell: str, formula: str
) -> None:
    path = _with_formula(filled, tmp_path / "formula.xlsx", cell, formula)
    for command in ("score", "validate"):
        message = _refused(cli(command, path, "--criteria", CRITERIA), cell)
        line = next(m for m in message.splitlines() if f"ô {FORM_SHEET}!{cell}:" in m)
        assert f"công thức `{formula}` chưa được tính" in line and "Excel hoặc LibreOffice" in line
        assert "chưa được chấm" not in message and "chưa điền" not in message


@pytest.mark.parametrize("cell", ["B4", f"E{ROW['2.1']}", f"G{ROW['1.2']}"])
def test_an_error_value_of_a_formula_is_refused(cli: Cli, filled: Path, tmp_path: Path, cell: str) -> None:
    # what Excel or LibreOffice saves for a formula that fails, e.g. =SKHCN typed as the code
    path = edit(filled, tmp_path / "err.xlsx", **{cell: "#NAME?"})
    message = _refused(cli("score", path, "--criteria", CRITERIA), cell)
    assert "giá trị lỗi `#NAME?`" in message


def test_a_score_in_a_percent_cell_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    cell = wb[FORM_SHEET][f"E{ROW['2.1']}"]
    cell.value, cell.number_format = 0.5, "0%"
    wb.save(tmp_path / "pct.xlsx")
    message = _refused(cli("score", tmp_path / "pct.xlsx", "--criteria", CRITERIA), f"E{ROW['2.1']}")
    assert "`50%`" in message and "phần trăm" in message


@pytest.mark.parametrize("cells", [f"E{ROW['1.1']}:E{ROW['1.2']}", f"F{ROW['1.1']}:G{ROW['1.1']}", "B4:C4"])
def test_merged_input_cells_are_refused(cli: Cli, filled: Path, tmp_path: Path, cells: str) -> None:
    # a score shown across two rows counts for the first criterion only
    wb = load_workbook(filled)
    wb[FORM_SHEET].merge_cells(cells)
    wb.save(tmp_path / "merged.xlsx")
    message = _refused(cli("score", tmp_path / "merged.xlsx", "--criteria", CRITERIA), cells.split(":")[0])
    assert f"các ô {cells} đã bị gộp" in message


def test_merged_cells_outside_the_inputs_are_accepted(cli: Cli, filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    wb[FORM_SHEET].merge_cells(f"B{ROW['1.1']}:C{ROW['1.1']}")  # title and guidance
    wb.save(tmp_path / "merged.xlsx")
    assert score_json(cli, tmp_path / "merged.xlsx").exit_code == 0


def test_an_altered_fingerprint_is_refused(cli: Cli, filled: Path, tmp_path: Path) -> None:
    wb = load_workbook(filled)
    meta = wb[META_SHEET]
    row = next(r for r in range(1, 6) if meta.cell(r, 1).value == "fingerprint")
    meta.cell(row, 2).value = "0" * 64
    wb.save(tmp_path / "fp.xlsx")
    message = _refused(cli("score", tmp_path / "fp.xlsx", "--criteria", CRITERIA), "B3")
    assert "phần nhận dạng ẩn của biểu mẫu đã bị sửa" in message


# ---- other criteria sets: nested groups, decimal options, two levels, bonus and penalty ---------

NESTED = DATA / "form" / "nested-decimal.yaml"


def test_a_set_with_nested_groups_and_decimal_options_round_trips(cli: Cli, tmp_path: Path) -> None:
    form = make_form(cli, tmp_path / "form.xlsx", criteria=NESTED)
    sources = sorted((DATA / "form").glob("nested-decimal-*.yaml"))
    forms = [fill_form(form, a, tmp_path / f"{a.stem}.xlsx") for a in sources]
    expected = cli("score", *sources, "--criteria", NESTED, "--format", "json")
    got = cli("score", *forms, "--criteria", NESTED, "--format", "json")
    assert got.exit_code == expected.exit_code == 0, got.stderr
    drop = ("file", "warnings")
    assert [{k: v for k, v in r.items() if k not in drop} for r in got.json()["results"]] == [
        {k: v for k, v in r.items() if k not in drop} for r in expected.json()["results"]
    ]
    # the evidence of a leaf, one entry a line, keeps its semicolons only when split by lines
    assessment, _ = read_assessment_form(forms[0], _nested_catalog())
    assert assessment.scores["1.1.1"].evidence == ("QĐ 1", "bổ sung", "Báo cáo 2")
    assert assessment.scores["1.1.2"].na == "Không có; lý do dài"


def _nested_catalog() -> Catalog:
    catalog = Catalog(explicit=[NESTED])
    catalog.load_explicit()
    return catalog


def test_a_decimal_option_not_in_the_list_is_refused(cli: Cli, tmp_path: Path) -> None:
    form = make_form(cli, tmp_path / "form.xlsx", criteria=NESTED)
    filled = fill_form(form, DATA / "form" / "nested-decimal-tinh.yaml", tmp_path / "tinh.xlsx")
    at = rows(load_workbook(filled)[FORM_SHEET])
    path = edit(filled, tmp_path / "bad.xlsx", **{f"E{at['1.1.1']}": 0.7, f"H{at['D']}": 10.5})
    run = cli("score", path, "--criteria", NESTED)
    message = _refused(run, f"E{at['1.1.1']}")
    assert "các mức cho phép: 1,5, 0,75, 0" in message
    assert f"ô {FORM_SHEET}!H{at['D']}: điểm 10,5 nằm ngoài khoảng cho phép 0..10" in message


@pytest.mark.parametrize("key", ["team", "evidence", "note"])
def test_a_renamed_column_header_is_refused(cli: Cli, filled: Path, tmp_path: Path, key: str) -> None:
    # without its header the column's values would be dropped silently (the team's scores, the
    # evidence, the reasons of N/A)
    ws = load_workbook(filled)[FORM_SHEET]
    cell = ws.cell(HEADER_ROW, columns(ws)[COLUMNS[key]]).coordinate
    path = edit(filled, tmp_path / "header.xlsx", **{cell: "Điểm"})
    message = _refused(cli("score", path, "--criteria", CRITERIA), f"A{HEADER_ROW}")
    assert f"thiếu cột «{COLUMNS[key]}»" in message


def test_a_date_typed_as_evidence_is_read_as_an_office_writes_it(filled: Path, tmp_path: Path) -> None:
    # Excel turns "05/01/2020" typed alone into a date
    path = edit(filled, tmp_path / "d.xlsx", **{f"F{ROW['1.1']}": dt.datetime(2020, 1, 5)})
    assessment, _ = read_assessment_form(path, _catalog())
    assert assessment.scores["1.1"].evidence == ("05/01/2020",)


def test_an_unknown_set_is_reported_beside_bad_cells(cli: Cli, tmp_path: Path) -> None:
    other = tmp_path / "khac.yaml"
    other.write_text(CRITERIA.read_text(encoding="utf-8").replace("id: thu-nghiem", "id: bo-khac"), encoding="utf-8")
    form = make_form(cli, tmp_path / "khac.xlsx", criteria=other)
    path = fill_form(form, DATA / "assessment" / "valid-snv.yaml", tmp_path / "snv.xlsx")
    path = edit(path, tmp_path / "bad.xlsx", **{f"E{ROW['2.1']}": "abc"})
    message = _refused(cli("score", path, "--criteria", CRITERIA), f"E{ROW['2.1']}")
    assert f"ô {FORM_SHEET}!B3: bộ tiêu chí `bo-khac` không tìm thấy; các bộ tiêu chí hiện có:" in message


@needs_libreoffice
def test_nested_decimal_forms_saved_by_libreoffice_give_the_yaml_totals(cli: Cli, tmp_path: Path) -> None:
    form = make_form(cli, tmp_path / "form.xlsx", criteria=NESTED)
    sources = sorted((DATA / "form").glob("nested-decimal-*.yaml"))
    forms = [fill_form(form, a, tmp_path / f"{a.stem}.xlsx") for a in sources]
    out, _ = libreoffice_convert(tmp_path, *forms)
    saved = [out / f.name for f in forms]
    assert all(p.is_file() for p in saved)
    expected = cli("score", *sources, "--criteria", NESTED, "--format", "json").json()["results"]
    got = cli("score", *saved, "--criteria", NESTED, "--format", "json").json()["results"]
    keys = ("agency", "self_total", "total", "band", "rank", "groups")
    assert [[r[k] for k in keys] for r in got] == [[r[k] for k in keys] for r in expected]


@needs_libreoffice
def test_a_form_saved_by_libreoffice_keeps_its_lists_of_number_cells(cli: Cli, tmp_path: Path) -> None:
    criteria = tmp_path / "na.yaml"  # 1.1.1 with decimal options and «Không áp dụng»
    text = NESTED.read_text(encoding="utf-8").replace("evidence: true\n", "evidence: true\n            na: true\n", 1)
    criteria.write_text(text, encoding="utf-8")
    form = make_form(cli, tmp_path / "form.xlsx", criteria=criteria)
    source = DATA / "form" / "nested-decimal-tinh.yaml"
    out, _ = libreoffice_convert(tmp_path, fill_form(form, source, tmp_path / "tinh.xlsx"))
    saved = out / "tinh.xlsx"
    assert saved.is_file()
    wb = load_workbook(saved)
    at = rows(wb[FORM_SHEET])
    *points, na = list_items(wb, f"E{at['1.1.1']}")
    assert (numbers(points), na) == ([Decimal("1.5"), Decimal("0.75"), 0], NA_TEXT)
    assert numbers(list_items(wb, f"H{at['1.1.1']}")) == [Decimal("1.5"), Decimal("0.75"), 0]
    expected = cli("score", source, "--criteria", criteria, "--format", "json").json()["results"]
    got = cli("score", saved, "--criteria", criteria, "--format", "json").json()["results"]
    keys = ("agency", "self_total", "total", "band", "groups")
    assert [[r[k] for k in keys] for r in got] == [[r[k] for k in keys] for r in expected]
