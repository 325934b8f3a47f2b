"""The self-assessment form of a set that uses the rules of SPEC §3b: measured criteria take a
value or two counts, counted criteria a count, conditions Đạt / Không đạt; read back, a filled
form scores as the same assessment written in YAML, and its own totals (recalculated by
LibreOffice) are isoprov's."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from isoprov.core.loading import load_yaml
from isoprov.excel.form_layout import COLUMN_NUMBER, HEADER_ROW, RATIO_NUMBER
from tests import ROOT
from tests.conftest import Run, libreoffice_convert, needs_libreoffice

Cli = Callable[..., Run]
EXAMPLES = ROOT / "examples" / "mau-2026" / "danh-gia"


def rows_by_id(ws: Any) -> dict[str, int]:
    return {
        str(ws.cell(r, 1).value): r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value is not None
    }


def fill(form: Path, target: Path, example: Path) -> dict[str, Any]:
    """Fill ``form`` with the scores of a YAML example, as an agency would type them."""
    data = load_yaml(example).data
    wb = load_workbook(form)
    ws = wb["Tự đánh giá"]
    for k, key in enumerate(("code", "name", "level", "period")):
        value = data["agency"][key] if key != "period" else data["period"]
        if ws.cell(4 + k, 2).value is None:
            ws.cell(4 + k, 2).value = str(value)
    at = rows_by_id(ws)
    for cid, entry in data["scores"].items():
        row = at[cid]
        entry = entry if isinstance(entry, dict) and ({"self", "team", "na"} & entry.keys()) else {"self": entry}
        if "na" in entry:
            ws.cell(row, COLUMN_NUMBER["self"]).value = "Không áp dụng"
            ws.cell(row, COLUMN_NUMBER["note"]).value = entry["na"]
            continue
        for who in ("self", "team"):
            value = entry.get(who)
            if value is None:
                continue
            if isinstance(value, bool):
                ws.cell(row, COLUMN_NUMBER[who]).value = "Đạt" if value else "Không đạt"
            elif isinstance(value, dict):
                ws.cell(row, RATIO_NUMBER[f"{who}_count"]).value = int(value["count"])
                ws.cell(row, RATIO_NUMBER[f"{who}_of"]).value = int(value["of"])
            else:
                ws.cell(row, COLUMN_NUMBER[who]).value = float(value)
        if entry.get("evidence"):
            ws.cell(row, COLUMN_NUMBER["evidence"]).value = "\n".join(entry["evidence"])
        if entry.get("note"):
            ws.cell(row, COLUMN_NUMBER["note"]).value = entry["note"]
    wb.save(target)
    return data


def results(run: Run) -> dict[str, Any]:
    assert run.exit_code == 0, run.stderr
    return {r["agency"]["code"]: r for r in run.json()["results"]}


@pytest.fixture
def filled(cli: Cli, tmp_path: Path) -> tuple[Path, list[Path]]:
    form = tmp_path / "trang.xlsx"
    assert cli("form", "mau-hai-cap-2026", "-o", form).exit_code == 0
    folder = tmp_path / "nop"
    folder.mkdir()
    examples = sorted(EXAMPLES.glob("*.yaml"))
    for example in examples:
        fill(form, folder / (example.stem + ".xlsx"), example)
    return folder, examples


def test_the_form_has_value_count_and_condition_cells(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "f.xlsx"
    assert cli("form", "mau-hai-cap-2026", "-o", form).exit_code == 0
    ws = load_workbook(form)["Tự đánh giá"]
    assert [ws.cell(HEADER_ROW, n).value for n in RATIO_NUMBER.values()] == [
        "Tự chấm: số đếm",
        "Tự chấm: tổng số",
        "Thẩm định: số đếm",
        "Thẩm định: tổng số",
    ]
    at = rows_by_id(ws)
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any(f"E{at['K1']}" in str(dv.sqref) and "Đạt,Không đạt" in dv.formula1 for dv in lists)
    assert "bảng mức" in ws.cell(at["3.1"], COLUMN_NUMBER["guidance"]).value
    assert "mỗi lần trừ 2 điểm từ 4" in ws.cell(at["1.3"], COLUMN_NUMBER["guidance"]).value
    assert not ws.cell(at["3.1"], RATIO_NUMBER["self_count"]).protection.locked
    assert ws.cell(at["1.1"], RATIO_NUMBER["self_count"]).protection.locked


def test_a_filled_form_scores_as_the_yaml_it_was_filled_from(cli: Cli, filled: tuple[Path, list[Path]]) -> None:
    folder, examples = filled
    from_forms = results(cli("score", folder, "--format", "json"))
    from_yaml = results(cli("score", *examples, "--format", "json"))
    assert set(from_forms) == set(from_yaml) and len(from_forms) == 6
    for code, r in from_yaml.items():
        f = from_forms[code]
        assert (f["self_total"], f["total"], f["band"], f["rank"], f["band_missed"]) == (
            r["self_total"],
            r["total"],
            r["band"],
            r["rank"],
            r["band_missed"],
        ), code


def test_a_condition_cell_takes_only_dat_or_khong_dat(cli: Cli, tmp_path: Path) -> None:
    form = tmp_path / "f.xlsx"
    assert cli("form", "mau-hai-cap-2026", "-o", form).exit_code == 0
    fill(form, tmp_path / "a.xlsx", EXAMPLES / "skhcn.yaml")
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["Tự đánh giá"]
    at = rows_by_id(ws)
    ws.cell(at["K1"], COLUMN_NUMBER["self"]).value = "Có"
    ws.cell(at["3.2"], COLUMN_NUMBER["self"]).value = 72.5
    ws.cell(at["3.2"], RATIO_NUMBER["self_count"]).value = 5
    ws.cell(at["3.2"], RATIO_NUMBER["self_of"]).value = 10
    wb.save(tmp_path / "a.xlsx")
    run = cli("score", tmp_path / "a.xlsx", "--format", "json")
    messages = [e["message"] for e in run.json()["errors"]]
    assert any(f"Tự đánh giá!E{at['K1']}" in m and "chọn «Đạt» hoặc «Không đạt»" in m for m in messages), messages
    assert any("không nhập cả hai" in m for m in messages), messages


@needs_libreoffice
def test_the_forms_own_totals_are_isoprovs(cli: Cli, tmp_path: Path, filled: tuple[Path, list[Path]]) -> None:
    folder, _ = filled
    expected = results(cli("score", folder, "--format", "json"))
    files = sorted(folder.glob("*.xlsx"))
    out, stderr = libreoffice_convert(tmp_path, *files)
    for f in files:
        assert (out / f.name).is_file(), stderr
        ws = load_workbook(out / f.name, data_only=True)["Tự đánh giá"]
        code = ws.cell(4, 2).value
        r = expected[code]
        labels = {ws.cell(row, 2).value: row for row in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(row, 2).value}
        total = next(row for text, row in labels.items() if str(text).startswith("Tổng điểm quy đổi thang"))
        band = labels["Xếp loại"]
        own, final = ws.cell(total, COLUMN_NUMBER["self"]).value, ws.cell(total, COLUMN_NUMBER["team"]).value
        assert (Decimal(str(own)), Decimal(str(final))) == (Decimal(str(r["self_total"])), Decimal(str(r["total"]))), (
            code
        )
        assert ws.cell(band, COLUMN_NUMBER["team"]).value == r["band"], code


def test_a_rate_typed_as_a_percent_reads_as_that_rate(cli: Cli, tmp_path: Path) -> None:
    """96,5 % typed into a measured % criterion's cell is stored 0,965 with a Percent format."""
    form = tmp_path / "f.xlsx"
    assert cli("form", "mau-hai-cap-2026", "-o", form).exit_code == 0
    fill(form, tmp_path / "a.xlsx", EXAMPLES / "snv.yaml")
    wb = load_workbook(tmp_path / "a.xlsx")
    ws = wb["Tự đánh giá"]
    cell = ws.cell(rows_by_id(ws)["3.1"], COLUMN_NUMBER["self"])
    cell.value, cell.number_format = 0.99, "0.0%"
    wb.save(tmp_path / "a.xlsx")
    from_form = results(cli("score", tmp_path / "a.xlsx", "--format", "json"))
    from_yaml = results(cli("score", EXAMPLES / "snv.yaml", "--format", "json"))
    assert from_form["SNV"]["total"] == from_yaml["SNV"]["total"] == 92
