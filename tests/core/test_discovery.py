"""One file-discovery rule for every command (isoprov.core.discovery)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from isoprov.core.diagnostics import Severity
from isoprov.core.discovery import ASSESSMENT_SUFFIXES, YAML_SUFFIXES, discover
from tests import ROOT
from tests.conftest import Run


def _tree(tmp_path: Path, *names: str) -> Path:
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x: 1\n", encoding="utf-8")
    return tmp_path


def test_hidden_folders_hidden_files_and_lock_files_are_passed_over(tmp_path: Path) -> None:
    root = _tree(tmp_path, "b.yaml", "a/c.yml", ".history/b.yaml", "a/.git/x.yaml", ".an.yaml", "~$form.xlsx", "f.xlsx")
    found = discover([root], ASSESSMENT_SUFFIXES, forms=True)
    assert [p.relative_to(root).as_posix() for p in found.paths] == ["a/c.yml", "b.yaml", "f.xlsx"]
    assert found.problems == []


def test_a_named_file_is_read_whatever_its_name_and_once(tmp_path: Path) -> None:
    root = _tree(tmp_path, ".hidden.yaml", "a.yaml")
    found = discover([root / ".hidden.yaml", root, root / "a.yaml"], YAML_SUFFIXES)
    assert found.files == [(root / ".hidden.yaml", True), (root / "a.yaml", False)]


def test_a_hidden_folder_named_explicitly_is_searched(tmp_path: Path) -> None:
    root = _tree(tmp_path, ".history/b.yaml")
    assert discover([root / ".history"], YAML_SUFFIXES).paths == [root / ".history" / "b.yaml"]


def test_other_spreadsheet_formats_are_errors_where_forms_are_read(tmp_path: Path) -> None:
    root = _tree(tmp_path, "snv.xlsm", "stc.xls", "a.yaml")
    found = discover([root], ASSESSMENT_SUFFIXES, forms=True)
    assert found.paths == [root / "a.yaml"]
    assert sorted(Path(d.file).name for d in found.problems) == ["snv.xlsm", "stc.xls"]
    assert all(d.severity is Severity.ERROR and ".xlsx" in d.message for d in found.problems)
    # a command that reads no forms has nothing to say about spreadsheets
    assert discover([root], YAML_SUFFIXES).problems == []


def test_a_link_loop_is_a_warning_and_is_read_once(tmp_path: Path) -> None:
    root = _tree(tmp_path, "a/b.yaml")
    (root / "a" / "back").symlink_to(root, target_is_directory=True)
    found = discover([root], YAML_SUFFIXES)
    assert found.paths == [root / "a" / "b.yaml"]
    [warning] = found.problems
    assert warning.severity is Severity.WARNING and "liên kết" in warning.message


def test_a_broken_link_is_a_warning(tmp_path: Path) -> None:
    root = _tree(tmp_path, "a.yaml")
    (root / "gone.yaml").symlink_to(root / "nowhere.yaml")
    found = discover([root], YAML_SUFFIXES)
    assert found.paths == [root / "a.yaml"]
    [warning] = found.problems
    assert warning.file.endswith("gone.yaml") and warning.severity is Severity.WARNING


def test_an_unreadable_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root here, where permissions do not stop reading: the refusal is simulated
    # the way os.walk reports it, through its onerror callback.
    root = _tree(tmp_path, "a.yaml", "locked/b.yaml")
    real_walk: Callable[..., Iterator[Any]] = os.walk

    def walk(top: Any, onerror: Any = None, followlinks: bool = False) -> Iterator[Any]:
        for folder, dirs, names in real_walk(top, onerror=onerror, followlinks=followlinks):
            if "locked" in dirs:
                dirs.remove("locked")
                onerror(PermissionError(13, "Permission denied", str(Path(folder) / "locked")))
            yield folder, dirs, names

    monkeypatch.setattr("isoprov.core.discovery.os.walk", walk)
    found = discover([root], YAML_SUFFIXES)
    assert found.paths == [root / "a.yaml"]
    [error] = found.problems
    assert error.severity is Severity.ERROR and error.file.endswith("locked")
    assert "không được đọc" in error.message


def test_score_reports_an_xlsm_submission_and_exits_1(cli: Callable[..., Run], tmp_path: Path) -> None:
    folder = tmp_path / "nop"
    folder.mkdir()
    (folder / "snv.xlsm").write_bytes(b"PK")
    done = cli("score", folder, "--criteria", ROOT / "criteria", "--format", "json")
    assert done.exit_code == 1
    [error] = done.json()["errors"]
    assert error["file"].endswith("snv.xlsm") and ".xlsx" in error["message"]


def test_budget_check_skips_hidden_folders_like_score(cli: Callable[..., Run], tmp_path: Path) -> None:
    budget = (ROOT / "examples" / "bac-giang-2020" / "du-toan.yaml").read_text(encoding="utf-8")
    (tmp_path / ".history").mkdir()
    (tmp_path / "du-toan.yaml").write_text(budget, encoding="utf-8")
    (tmp_path / ".history" / "du-toan-cu.yaml").write_text(budget.replace("126", "127"), encoding="utf-8")
    (tmp_path / "norms").symlink_to(ROOT / "examples" / "bac-giang-2020" / "norms", target_is_directory=True)
    done = cli("budget", "check", tmp_path, "--format", "json")
    assert [Path(b["file"]).name for b in done.json()["budgets"]] == ["du-toan.yaml"]


def test_a_folder_with_nothing_found_is_named(tmp_path: Path) -> None:
    root = _tree(tmp_path, "nop/a.yaml", "trong/.history/a.yaml", "trong/ghi-chu.txt", "xls/a.xls")
    (tmp_path / "rong").mkdir()
    (tmp_path / "lien-ket").symlink_to(root / "nop", target_is_directory=True)
    folders = [
        root / "nop",
        root / "trong",
        root / "rong",
        root / "xls",
        root / "nop" / "a.yaml",
        root / "rong",  # given twice: said once
        root / "nop" / ".." / "nop",  # the same folder again, its file read once: not empty
        root / "lien-ket",  # a link to it: not empty either
    ]
    found = discover(folders, ASSESSMENT_SUFFIXES, forms=True)
    assert len(found.files) == 1
    empty = found.empty_folders("bản tự đánh giá")
    assert [(Path(d.file).name, d.severity, d.code) for d in empty] == [
        ("trong", Severity.WARNING, "nothing-found"),  # only hidden copies and other files
        ("rong", Severity.WARNING, "nothing-found"),
    ]  # `xls` has a file passed over with an error: said already
    assert empty[0].message == "không có bản tự đánh giá nào ở đây"


@pytest.mark.parametrize(
    ("command", "options", "said"),
    [
        (["score"], [], "không có bản tự đánh giá (.yaml, .xlsx) nào ở đây"),
        (["score"], ["--format", "json"], "không có bản tự đánh giá (.yaml, .xlsx) nào ở đây"),
        (["validate"], [], "không có tệp YAML hay Excel (.yaml, .yml, .xlsx) nào ở đây"),
        (["budget", "check"], [], "không có dự toán (.yaml, .yml) nào ở đây"),
        (["budget", "check"], ["--format", "json"], "không có dự toán (.yaml, .yml) nào ở đây"),
    ],
)
def test_a_command_on_an_empty_folder_warns_and_exits_0(
    cli: Callable[..., Run], tmp_path: Path, command: list[str], options: list[str], said: str
) -> None:
    """A wrong or empty folder is said on stderr (nothing in it is invalid: exit 0), and in JSON
    it is not one of the `errors`."""
    empty = tmp_path / "trong"
    empty.mkdir()
    run = cli(*command, empty, *options)
    assert run.exit_code == 0
    assert f"{empty}: cảnh báo (nothing-found): {said}" in run.stderr
    if options:
        assert run.json()["errors"] == []


def test_score_on_a_folder_of_other_kinds_says_so(cli: Callable[..., Run], tmp_path: Path) -> None:
    """`isoprov score criteria/` by mistake: every file there is of another kind, passed over;
    the folder is named on stderr (also with --format json), and the exit status stays 0."""
    folder = tmp_path / "bo-tieu-chi"
    folder.mkdir()
    criteria = (ROOT / "criteria" / "mau-cap-tinh-huyen-xa.yaml").read_text(encoding="utf-8")
    (folder / "mau-cap-tinh-huyen-xa.yaml").write_text(criteria, encoding="utf-8")
    run = cli("score", folder, "--criteria", folder, "--format", "json")
    assert run.exit_code == 0 and run.json()["results"] == [] and run.json()["errors"] == []
    assert (
        f"{folder}: cảnh báo (nothing-found): không có bản tự đánh giá (.yaml, .xlsx) nào ở đây: các tệp" in run.stderr
    )
    beside = cli("score", folder, ROOT / "examples" / "bac-giang-2021" / "assessments", "--format", "json")
    assert beside.json()["results"] and f"{folder}: cảnh báo (nothing-found)" in beside.stderr
