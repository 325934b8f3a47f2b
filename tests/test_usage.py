"""Usage errors and system errors come out in Vietnamese, exit 2 and 1, never a traceback."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from isoprov.atomic import write_text_atomic
from tests.conftest import Run

EXAMPLE = Path(__file__).parent.parent / "examples" / "bac-giang-2015" / "ke-hoach-52.yaml"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("budget", "check"), "thiếu tham số `FILE`"),
        (("form",), "thiếu tham số `CRITERIA`"),
        (("form", "x"), "thiếu tùy chọn `--output`"),
        (("score", "--format", "xml", "."), "giá trị `xml` không hợp lệ cho `--format`; chỉ nhận một trong: `table`"),
        (("render", "memo", "x.yaml", "-o", "x.md"), "chỉ nhận một trong: `plan`, `decision`, `notice`, `report`"),
        (("score", "--bogus", "."), "không có tùy chọn `--bogus`"),
        (("--versio",), "có phải là `--version`?"),
        (("budget", "words", "5", "6"), "thừa tham số: 6"),
        (("scor", "."), "không có lệnh `scor`"),
    ],
)
def test_usage_errors_are_in_vietnamese(cli: Callable[..., Run], args: tuple[str, ...], message: str) -> None:
    run = cli(*args)
    assert run.exit_code == 2
    assert run.stderr.startswith("Lỗi cách dùng: ")
    assert message in run.stderr, run.stderr
    assert "Error" not in run.stderr and "Usage" not in run.stderr and "Traceback" not in run.stderr


def test_no_arguments_prints_the_help(cli: Callable[..., Run]) -> None:
    run = cli()
    assert run.exit_code == 2
    assert "chấm điểm" in run.stdout


def test_an_output_that_cannot_be_written_is_an_error_not_a_traceback(cli: Callable[..., Run], tmp_path: Path) -> None:
    blocker = tmp_path / "tep"
    blocker.write_text("", encoding="utf-8")
    run = cli("render", "plan", EXAMPLE, "-o", blocker / "ke-hoach.md")  # a file where a folder should be
    assert run.exit_code == 1
    assert run.stderr.startswith(f"Lỗi: không đọc/ghi được `{blocker / 'ke-hoach.md'}`"), run.stderr
    assert list(tmp_path.iterdir()) == [blocker]


def test_outputs_get_the_mode_of_a_plain_save(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "moi.md", "a")
        assert stat.S_IMODE((tmp_path / "moi.md").stat().st_mode) == 0o644
        (tmp_path / "moi.md").chmod(0o640)
        write_text_atomic(tmp_path / "moi.md", "b")  # replacing keeps the file's own mode
        assert stat.S_IMODE((tmp_path / "moi.md").stat().st_mode) == 0o640
    finally:
        os.umask(old)


@pytest.mark.parametrize(
    "args",
    [
        ("score", EXAMPLE.parent.parent / "bac-giang-2020" / "assessments", "--xlsx", "{out}.csv"),
        ("score", EXAMPLE.parent.parent / "bac-giang-2020" / "assessments", "--xlsx", "{dir}"),
        ("budget", "check", EXAMPLE.parent.parent / "bac-giang-2020" / "du-toan.yaml", "--xlsx", "{dir}"),
        ("render", "plan", EXAMPLE, "-o", "{out}.pdf"),
        ("render", "plan", EXAMPLE, "-o", "{dir}"),
        ("form", "mau-cap-tinh-huyen-xa", "-o", "{out}.yaml"),
    ],
)
def test_a_wrong_output_is_a_usage_error_before_any_work(
    cli: Callable[..., Run], tmp_path: Path, args: tuple[str | Path, ...]
) -> None:
    folder = tmp_path / "thu-muc.xlsx"
    folder.mkdir()
    filled = [str(a).format(out=tmp_path / "kq", dir=folder) for a in args]
    run = cli(*filled)
    assert run.exit_code == 2, run.stderr
    assert run.stdout == ""  # nothing computed, nothing printed
    assert "phải có đuôi" in run.stderr or "là một thư mục" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thu-muc.xlsx"]


@pytest.mark.parametrize("args", [("--help",), ("score", "--help"), ("budget", "check", "--help"), ("form", "--help")])
def test_help_pages_are_in_vietnamese(cli: Callable[..., Run], args: tuple[str, ...]) -> None:
    run = cli(*args)
    assert run.exit_code == 0
    assert run.stdout.startswith("Cách dùng: isoprov")
    assert "In hướng dẫn này rồi thoát." in run.stdout and "Tùy chọn:" in run.stdout
    for english in ("Usage", "Options", "Show this message", "required", "default:", "<list[Path]>", "Install"):
        assert english not in run.stdout, english
