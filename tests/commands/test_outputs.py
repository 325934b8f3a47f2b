"""Outputs never destroy inputs, and a run that produced nothing keeps the old output."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import ROOT
from tests.conftest import Run

EXAMPLE = ROOT / "examples" / "bac-giang-2020"


@pytest.fixture
def submissions(tmp_path: Path, cli: Callable[..., Run]) -> Path:
    """A folder of submissions with one filled-in form (nop.xlsx) beside YAML assessments."""
    folder = tmp_path / "tu-danh-gia"
    shutil.copytree(EXAMPLE / "assessments", folder)
    made = cli("form", "mau-cap-tinh-huyen-xa", "-o", folder / "nop.xlsx", "--criteria", ROOT / "criteria")
    assert made.exit_code == 0, made.stderr
    return folder


def _refused(run: Run, output: Path, before: bytes) -> None:
    assert run.exit_code == 2, run.stderr
    assert "chính là tệp đầu vào" in run.stderr
    assert output.read_bytes() == before


def test_score_refuses_an_xlsx_that_is_a_submitted_form(cli: Callable[..., Run], submissions: Path) -> None:
    form = submissions / "nop.xlsx"
    before = form.read_bytes()
    _refused(cli("score", submissions, "--criteria", ROOT / "criteria", "--xlsx", form), form, before)


def test_a_link_or_a_hard_link_to_an_input_is_the_input(
    cli: Callable[..., Run], submissions: Path, tmp_path: Path
) -> None:
    form = submissions / "nop.xlsx"
    before = form.read_bytes()
    (tmp_path / "lien-ket.xlsx").symlink_to(form)
    os.link(form, tmp_path / "cung-tep.xlsx")
    for output in (tmp_path / "lien-ket.xlsx", tmp_path / "cung-tep.xlsx"):
        _refused(cli("score", submissions, "--criteria", ROOT / "criteria", "--xlsx", output), form, before)


def test_render_refuses_to_write_over_its_data_or_its_template(cli: Callable[..., Run], tmp_path: Path) -> None:
    data = tmp_path / "ke-hoach.md"  # YAML data with the suffix of the output asked for
    shutil.copy(ROOT / "examples" / "bac-giang-2015" / "ke-hoach-52.yaml", data)
    before = data.read_bytes()
    _refused(cli("render", "plan", data, "-o", data), data, before)
    template = tmp_path / "mau.md"
    shutil.copy(ROOT / "templates" / "plan.md.j2", template)
    shutil.copy(ROOT / "templates" / "_macros.md.j2", tmp_path / "_macros.md.j2")
    kept = template.read_bytes()
    yaml = ROOT / "examples" / "bac-giang-2015" / "ke-hoach-52.yaml"
    _refused(cli("render", "plan", yaml, "--template", template, "-o", template), template, kept)


def test_form_refuses_to_write_over_its_criteria_file(cli: Callable[..., Run], tmp_path: Path) -> None:
    criteria = tmp_path / "bo.xlsx"  # a criteria YAML file given an Excel name
    shutil.copy(ROOT / "criteria" / "mau-cap-tinh-huyen-xa.yaml", criteria)
    before = criteria.read_bytes()
    _refused(cli("form", criteria, "-o", criteria), criteria, before)


def test_a_new_output_beside_the_inputs_is_written(cli: Callable[..., Run], tmp_path: Path) -> None:
    folder = tmp_path / "tu-danh-gia"
    shutil.copytree(EXAMPLE / "assessments", folder)
    scored = len(cli("score", folder, "--format", "json").json()["results"])
    out = folder / "ket-qua.xlsx"
    run = cli("score", folder, "--xlsx", out)
    assert run.exit_code == 0, run.stderr
    assert out.exists()
    # the next run reads the folder with the export in it: the export is not a submission
    again = cli("score", folder, "--format", "json")
    assert again.exit_code == 0 and len(again.json()["results"]) == scored > 0


def test_a_run_with_nothing_valid_keeps_the_old_results(cli: Callable[..., Run], tmp_path: Path) -> None:
    results = tmp_path / "kq.xlsx"
    first = cli("score", EXAMPLE / "assessments", "--xlsx", results)
    assert first.exit_code == 0, first.stderr
    before = results.read_bytes()
    broken = tmp_path / "hong"
    broken.mkdir()
    (broken / "a.yaml").write_text("agency: {code: X\n", encoding="utf-8")
    for folder in (broken, tmp_path / "trong"):
        folder.mkdir(exist_ok=True)
        run = cli("score", folder, "--xlsx", results)
        assert run.exit_code == 1
        assert "tệp cũ được giữ nguyên" in run.stderr
        assert results.read_bytes() == before


def test_budget_check_with_nothing_valid_keeps_the_old_workbook(cli: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "du-toan.xlsx"
    out.write_bytes(b"old")
    bad = tmp_path / "sai.yaml"
    bad.write_text("title: x\nitems: [\n", encoding="utf-8")
    run = cli("budget", "check", bad, "--xlsx", out)
    assert run.exit_code == 1 and "tệp cũ được giữ nguyên" in run.stderr
    assert out.read_bytes() == b"old"


BINH_PHUOC = ROOT / "examples" / "binh-phuoc-2021"


def test_inspect_actions_refuses_an_xlsx_that_is_a_minutes_file(cli: Callable[..., Run], tmp_path: Path) -> None:
    folder = tmp_path / "kiem-tra"
    shutil.copytree(BINH_PHUOC, folder)
    minutes = folder / "bien-ban" / "SKHDT.yaml"
    before = minutes.read_bytes()
    (tmp_path / "lien-ket.xlsx").symlink_to(minutes)
    os.link(minutes, tmp_path / "cung-tep.xlsx")
    for output in (tmp_path / "lien-ket.xlsx", tmp_path / "cung-tep.xlsx"):
        _refused(cli("inspect", "actions", folder / "bien-ban", "--xlsx", output), minutes, before)
    # through the inspection file that names the minutes folder
    _refused(
        cli("inspect", "actions", folder / "kiem-tra-2021.yaml", "--xlsx", tmp_path / "cung-tep.xlsx"), minutes, before
    )


def test_inspect_actions_with_nothing_valid_keeps_the_old_register(cli: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "khac-phuc.xlsx"
    out.write_bytes(b"old")
    bad = tmp_path / "bien-ban.yaml"
    bad.write_text("inspection: ../kiem-tra.yaml\nagency: X\nsigned: 31/02/2026\nfindings: [\n", encoding="utf-8")
    run = cli("inspect", "actions", bad, "--xlsx", out)
    assert run.exit_code == 1 and "tệp cũ được giữ nguyên" in run.stderr
    assert out.read_bytes() == b"old"


def test_inspect_actions_on_a_folder_without_minutes_keeps_the_old_register(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """A wrong folder (one without minutes) is said, and does not empty the register kept from a
    run on the right one."""
    out = tmp_path / "khac-phuc.xlsx"
    right = ROOT / "examples" / "binh-phuoc-2021"
    assert cli("inspect", "actions", right, "--today", "2022-03-01", "--xlsx", out).exit_code == 1  # overdue
    before = out.read_bytes()
    for wrong in (ROOT / "examples" / "bac-giang-2020", tmp_path / "trong"):
        wrong.mkdir(exist_ok=True)
        run = cli("inspect", "actions", wrong, "--today", "2022-03-01", "--xlsx", out)
        assert run.exit_code == 1 and "tệp cũ được giữ nguyên" in run.stderr
        assert f"{wrong}: cảnh báo (no-minutes): không có biên bản kiểm tra nào ở đây" in run.stderr
        assert out.read_bytes() == before
    listed = cli("inspect", "actions", tmp_path / "trong", "--format", "json")
    assert listed.exit_code == 0 and listed.json()["errors"] == [] and "không có biên bản" in listed.stderr
    both = cli("inspect", "actions", right, tmp_path / "trong", "--today", "2022-03-01", "--format", "json")
    assert len(both.json()["actions"]) == 2  # the right folder's actions, and a word on the empty one
    assert f"{tmp_path / 'trong'}: cảnh báo (no-minutes)" in both.stderr and f"{right}:" not in both.stderr


def test_a_blank_form_beside_the_submissions_is_passed_over_with_a_word(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """`isoprov init`'s README makes a blank form inside the working folder: scoring or validating
    the folder then passes it over with a warning; named on its own, it is still an error."""
    folder = tmp_path / "lam-viec"
    shutil.copytree(EXAMPLE / "assessments", folder / "tu-danh-gia")
    blank = folder / "bieu-mau" / "trang.xlsx"
    assert cli("form", "mau-cap-tinh-huyen-xa", "-o", blank, "--criteria", ROOT / "criteria").exit_code == 0
    scored = len(cli("score", folder / "tu-danh-gia", "--format", "json").json()["results"])
    run = cli("score", folder, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert len(run.json()["results"]) == scored and run.json()["errors"] == []
    assert f"{blank}: cảnh báo: biểu mẫu chưa điền" in run.stderr
    validated = cli("validate", folder)
    assert validated.exit_code == 0 and "(biểu mẫu chưa điền; bỏ qua)" in validated.stdout
    assert cli("score", blank).exit_code == 1  # named: the user means it, its empty cells are errors
    assert cli("validate", blank).exit_code == 1


def test_a_form_made_for_an_agency_and_not_scored_is_passed_over_in_a_folder(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """The starter's README makes a form for Sở Tài chính (agency cells filled) inside the working
    folder; the agency's filled copy goes to `tu-danh-gia/`. Scoring the folder ranks the filled
    copy, not the unscored form read first (which once made the filled one a duplicate)."""
    from openpyxl import load_workbook

    from isoprov.excel.form_layout import FORM_SHEET, HEADER_ROW

    folder = tmp_path / "lam-viec"
    (folder / "tu-danh-gia").mkdir(parents=True)
    made = folder / "bieu-mau" / "stc.xlsx"
    args = ["--agency-code", "STC", "--agency-name", "Sở Tài chính", "--level", "tinh", "--period", "2020"]
    assert cli("form", "mau-cap-tinh-huyen-xa", "-o", made, "--criteria", ROOT / "criteria", *args).exit_code == 0
    wb = load_workbook(made)
    wb[FORM_SHEET].cell(HEADER_ROW + 2, 5).value = 1  # the first leaf's self score
    wb.save(folder / "tu-danh-gia" / "stc.xlsx")
    run = cli("score", folder, "--format", "json")
    assert [(r["file"], r["self_total"] > 0) for r in run.json()["results"]] == [
        (str(folder / "tu-danh-gia" / "stc.xlsx"), True)
    ]
    assert run.json()["errors"] == []
    assert f"{made}: cảnh báo: biểu mẫu chưa chấm điểm (mới có thông tin cơ quan" in run.stderr
    validated = cli("validate", folder)
    assert "bieu-mau/stc.xlsx (biểu mẫu chưa chấm điểm; bỏ qua)" in validated.stdout
    named = cli("score", made, "--format", "json")  # named on its own: scored, every leaf unscored
    assert [r["total"] for r in named.json()["results"]] == [0]
