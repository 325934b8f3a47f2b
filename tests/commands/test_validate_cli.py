"""`isoprov validate`: every kind of file, told apart by its keys, checked without reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run


def test_valid_criteria_and_assessments(cli: Callable[..., Run], data: Path) -> None:
    run = cli(
        "validate",
        data / "criteria" / "valid.yaml",
        data / "assessment" / "valid-skhcn.yaml",
        "--criteria",
        data / "criteria" / "valid.yaml",
    )
    assert run.exit_code == 0, run.stderr
    assert "✓" in run.stdout and "bộ tiêu chí" in run.stdout and "bản tự đánh giá" in run.stdout


def test_bad_criteria_set(cli: Callable[..., Run], data: Path) -> None:
    run = cli("validate", data / "criteria" / "group-max.yaml")
    assert run.exit_code == 1
    assert "group-max.yaml:9:" in run.stderr and "khai báo max = 12" in run.stderr


def test_bad_assessment_is_checked_against_its_set(cli: Callable[..., Run], data: Path) -> None:
    run = cli("validate", data / "assessment" / "out-of-range.yaml", "--criteria", data / "criteria" / "valid.yaml")
    assert run.exit_code == 1
    assert "out-of-range.yaml:6:17" in run.stderr


def test_warnings_fail_only_with_strict(cli: Callable[..., Run], data: Path) -> None:
    args = ("validate", data / "assessment-warn" / "no-evidence.yaml", "--criteria", data / "criteria" / "valid.yaml")
    assert cli(*args).exit_code == 0
    assert cli(*args, "--strict").exit_code == 1


def test_registry(cli: Callable[..., Run], tmp_path: Path) -> None:
    good = tmp_path / "co-quan.yaml"
    good.write_text("agencies:\n  - {code: SNV, name: Sở Nội vụ}\n", encoding="utf-8")
    bad = tmp_path / "co-quan-sai.yaml"
    bad.write_text("agencies:\n  - {code: SNV}\n", encoding="utf-8")
    assert cli("validate", good).exit_code == 0
    run = cli("validate", bad)
    assert run.exit_code == 1 and "thiếu trường bắt buộc `name`" in run.stderr


def test_unknown_kind(cli: Callable[..., Run], tmp_path: Path) -> None:
    odd = tmp_path / "la.yaml"
    odd.write_text("foo: 1\n", encoding="utf-8")
    run = cli("validate", odd)
    assert run.exit_code == 1 and "không nhận ra loại tệp" in run.stderr


def test_hostile_files_are_refused_fast(cli: Callable[..., Run], data: Path) -> None:
    names = ["alias-bomb.yaml", "python-tag.yaml", "not-utf8.yaml", "empty.yaml", "top-level-list.yaml"]
    run = cli("validate", *(data / "assessment" / n for n in names))
    assert run.exit_code == 1
    for n in names:
        assert n in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_an_agency_twice_for_one_set_and_period_is_an_error(cli: Callable[..., Run], data: Path) -> None:
    run = cli(
        "validate",
        data / "assessment" / "valid-skhcn.yaml",
        data / "assessment" / "zz-duplicate-agency.yaml",
        "--criteria",
        data / "criteria" / "valid.yaml",
    )
    assert run.exit_code == 1
    assert "zz-duplicate-agency.yaml:" in run.stderr and "đã có bản tự đánh giá kỳ" in run.stderr


def test_every_error_of_an_assessment_is_reported(cli: Callable[..., Run], data: Path) -> None:
    run = cli("validate", data / "assessment" / "several-errors.yaml", "--criteria", data / "criteria" / "valid.yaml")
    assert run.exit_code == 1
    for where in ('several-errors.yaml:5:11: lỗi scores."1.1".sefl', ":6:", ":7:", ':8:3: lỗi scores."9.9"'):
        assert where in run.stderr, run.stderr


def test_a_file_name_with_brackets_is_printed_as_written(cli: Callable[..., Run], data: Path, tmp_path: Path) -> None:
    path = tmp_path / "[bold]bo.yaml"
    path.write_bytes((data / "criteria" / "valid.yaml").read_bytes())
    run = cli("validate", path)
    assert run.exit_code == 0, run.stderr
    assert "[bold]bo.yaml" in run.stdout


def test_a_set_named_as_path_and_as_criteria_is_reported_once(cli: Callable[..., Run], data: Path) -> None:
    bad = data / "criteria" / "group-max.yaml"
    run = cli("validate", bad, "--criteria", bad)
    assert run.exit_code == 1
    assert run.stderr.count("khai báo max = 12") == 1, run.stderr


def test_an_empty_folder_says_there_is_nothing_to_check(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("validate", tmp_path)
    assert run.exit_code == 0 and "Không có tệp YAML hay Excel nào để kiểm tra." in run.stdout


def test_validate_and_score_say_the_same_of_an_assessment(
    cli: Callable[..., Run], data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """One per-assessment step (pipeline.score.assess): the same messages from both commands."""
    monkeypatch.chdir(tmp_path)  # no ./criteria: the set `thu-nghiem` is not found
    paths = [data / "assessment" / "valid-skhcn.yaml", data / "assessment" / "valid-snv.yaml"]
    scored = [(e["file"], e["line"], e["message"]) for e in cli("score", *paths, "--format", "json").json()["errors"]]
    validated = cli("validate", *paths)
    assert validated.exit_code == 1 and len(scored) == 2
    for file, line, message in scored:
        assert f"{file}:{line}:" in validated.stderr and message in validated.stderr
    assert "các bộ tiêu chí hiện có" in validated.stderr
