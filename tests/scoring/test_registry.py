"""The registry of agencies that must submit (danh sách cơ quan phải nộp) is validated like any file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests import ROOT
from tests.conftest import Run

EXAMPLE = ROOT / "examples" / "bac-giang-2020"
HEAD = 'period: "2020"\ncriteria: mau-cap-tinh-huyen-xa\nagencies:\n'
HEAD_LINE4 = "  - {code: SNV, name: Sở Nội vụ, level: tỉnh}"


def _registry(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "co-quan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _score(cli: Callable[..., Run], registry: Path) -> Run:
    return cli("score", EXAMPLE / "assessments", "--agencies", registry, "--format", "json")


def test_a_code_listed_twice_is_an_error_at_the_second(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = _registry(
        tmp_path,
        HEAD + "  - {code: SNV, name: Sở Nội vụ, level: tinh}\n  - {code: snv, name: Sở Nội vụ (trùng), level: tinh}\n",
    )
    for run in (cli("validate", path), _score(cli, path)):
        assert run.exit_code == 1
        assert f"{path}:5:12:" in run.stderr and "đã có trong danh sách (viết là `SNV`) ở dòng 4" in run.stderr


def test_a_level_the_criteria_set_does_not_know(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = _registry(tmp_path, HEAD + HEAD_LINE4 + "\n")
    run = cli("validate", path)
    assert run.exit_code == 1
    assert (
        f"{path}:4:{HEAD_LINE4.index('tỉnh') + 1}:" in run.stderr
        and "cấp `tỉnh` không có trong bộ tiêu chí" in run.stderr
    )
    assert "tinh, huyen, xa" in run.stderr


def test_a_registry_for_another_period_is_an_error_not_everyone_missing(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    text = (EXAMPLE / "co-quan.yaml").read_text(encoding="utf-8").replace('period: "2020"', 'period: "2023"')
    path = _registry(tmp_path, text)
    run = _score(cli, path)
    assert run.exit_code == 1
    [error] = [e for e in run.json()["errors"] if e["file"] == str(path)]
    assert "kỳ `2023`" in error["message"] and "`2020`" in error["message"]
    assert error["line"] == text.splitlines().index('period: "2023"') + 1


def test_an_agency_submitting_at_another_level_is_a_warning(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = _registry(tmp_path, HEAD + "  - {code: SKHCN, name: Sở Khoa học và Công nghệ, level: huyen}\n")
    run = _score(cli, path)
    assert run.exit_code == 0, run.stderr
    assert f"{path}:4:" in run.stderr and "ở cấp `huyen` nhưng bản tự đánh giá ghi cấp `tinh`" in run.stderr


def test_codes_are_compared_without_case_and_the_spelling_is_said(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = _registry(tmp_path, HEAD + "  - {code: skhcn, name: Sở Khoa học và Công nghệ, level: tinh}\n")
    run = _score(cli, path)
    assert run.exit_code == 0, run.stderr
    assert run.json()["missing"] == []
    assert "mã `skhcn` trong danh sách và mã `SKHCN`" in run.stderr


def test_two_spellings_of_one_code_are_one_agency(cli: Callable[..., Run], tmp_path: Path) -> None:
    folder = tmp_path / "nop"
    folder.mkdir()
    text = (EXAMPLE / "assessments" / "skhcn.yaml").read_text(encoding="utf-8")
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    (folder / "b.yaml").write_text(text.replace("code: SKHCN", "code: skhcn"), encoding="utf-8")
    run = cli("score", folder, "--format", "json")
    assert run.exit_code == 1
    assert len(run.json()["results"]) == 1
    [error] = run.json()["errors"]
    assert error["file"].endswith("b.yaml") and "cơ quan `skhcn` đã có bản tự đánh giá" in error["message"]


def test_the_shipped_registry_is_clean(cli: Callable[..., Run]) -> None:
    run = _score(cli, EXAMPLE / "co-quan.yaml")
    assert run.exit_code == 0 and str(EXAMPLE / "co-quan.yaml") not in run.stderr
