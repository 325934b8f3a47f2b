"""Usage errors and system errors come out in Vietnamese, exit 2 and 1, never a traceback."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from isoprov.core.atomic import write_text_atomic
from tests import DATA, ROOT
from tests.conftest import Run

EXAMPLE = ROOT / "examples" / "bac-giang-2015" / "ke-hoach-52.yaml"


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
        (("budget", "words", "-5"), "không có tùy chọn `-5`; một số âm không dùng được ở đây"),
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


# ---------------------------------------------------------------------------
# Help pages: every placeholder shown, columns that line up, the usage line as SPEC writes it
# ---------------------------------------------------------------------------


def _commands() -> list[tuple[str, ...]]:
    """Every command path of the CLI: ("score",), ("budget", "check"), ..."""
    from typer.main import get_command

    from isoprov.cli import app

    out: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        out.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(get_command(app), ())
    return out


def _value_options(path: tuple[str, ...]) -> list[str]:
    """The long names of the options of a command that take a value (not flags)."""
    from typer.main import get_command

    from isoprov.cli import app

    command: Any = get_command(app)
    for name in path:
        command = command.commands[name]
    return [
        max(p.opts, key=len) for p in command.params if p.param_type_name == "option" and not p.is_flag and not p.hidden
    ]


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p) or "isoprov")
def test_every_option_that_takes_a_value_shows_its_placeholder(cli: Callable[..., Run], path: tuple[str, ...]) -> None:
    run = cli(*path, "--help")
    assert run.exit_code == 0
    for option in _value_options(path):
        line = next(line for line in run.stdout.splitlines() if re.search(rf"(^|\s|, ){re.escape(option)}\b", line))
        assert re.search(rf"{re.escape(option)} \S", line), f"`{option}` has no placeholder: {line!r}"
    assert "<str>" not in run.stdout and "<path>" not in run.stdout and "<text>" not in run.stdout


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p) or "isoprov")
def test_help_texts_line_up_in_each_section(cli: Callable[..., Run], path: tuple[str, ...]) -> None:
    """Each row's help text starts in the same column as its neighbours' (a type hint removed
    after the page was laid out left `DATA.yaml` and `--agency-code` out of line)."""
    page = cli(*path, "--help").stdout
    for section in re.split(r"^\S.*:$", page, flags=re.MULTILINE)[1:]:
        rows = list(re.finditer(r"^  (?P<name>\S(?:\S| (?! ))*)  +(?P<text>\S)", section, re.MULTILINE))
        columns = {m.start("text") - m.start() for m in rows}
        assert len(columns) <= 1, (path, section)


@pytest.mark.parametrize(
    ("path", "usage"),
    [
        (("score",), "Cách dùng: isoprov score [TÙY CHỌN] PATH..."),
        (("budget", "check"), "Cách dùng: isoprov budget check [TÙY CHỌN] FILE..."),
        (("render",), "Cách dùng: isoprov render [TÙY CHỌN] KIND DATA.yaml"),
        (("init",), "Cách dùng: isoprov init [TÙY CHỌN] DIR"),
    ],
)
def test_the_usage_line_is_written_as_in_the_spec(cli: Callable[..., Run], path: tuple[str, ...], usage: str) -> None:
    assert cli(*path, "--help").stdout.splitlines()[0] == usage


def test_help_names_every_command_in_vietnamese(cli: Callable[..., Run]) -> None:
    page = cli("--help").stdout
    for command in ("score", "validate", "budget", "render", "form", "init", "schema"):
        assert re.search(rf"^  {command}\s+\S", page, re.MULTILINE), command


# ---------------------------------------------------------------------------
# Click's own errors, in Vietnamese, naming the command to ask for help
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message", "see"),
    [
        (("score", ".", "--format"), "tùy chọn `--format` cần một giá trị", "isoprov score --help"),
        (("render", "plan", "x.yaml", "-o"), "tùy chọn `-o` cần một giá trị", "isoprov render --help"),
        (("score", "--detail=yes", "."), "tùy chọn `--detail` không nhận giá trị", "isoprov score --help"),
        (("render", "plan"), "thiếu tham số `DATA.yaml`", "isoprov render --help"),
        (("budget", "check", ".", "--format", "xml"), "chỉ nhận một trong: `table`, `json`", "isoprov budget check"),
    ],
)
def test_click_errors_are_in_vietnamese_and_point_at_the_command(
    cli: Callable[..., Run], args: tuple[str, ...], message: str, see: str
) -> None:
    run = cli(*args)
    assert run.exit_code == 2
    assert message in run.stderr, run.stderr
    assert f"Xem `{see}" in run.stderr
    for english in ("Option", "requires", "does not take", "Error", "Usage"):
        assert english not in run.stderr, english


@pytest.mark.parametrize(
    ("message", "vietnamese"),
    [
        ("path '/x' is not readable.", "không có quyền đọc `/x`"),
        ("file 'a.yaml' does not exist.", "không tìm thấy `a.yaml`"),
        ("path 'thu muc' is a directory.", "`thu muc` là một thư mục; cần một tệp"),
    ],
)
def test_typer_path_checks_are_said_in_vietnamese(message: str, vietnamese: str) -> None:
    from isoprov.commands.usage import cx, usage_error_text

    assert usage_error_text(cx.BadParameter(message)).endswith(vietnamese)


# ---------------------------------------------------------------------------
# FILE options: a folder or a missing file is a usage error (exit 2), before any work
# ---------------------------------------------------------------------------

ASSESSMENTS = EXAMPLE.parent.parent / "bac-giang-2020" / "assessments"
BUDGET = EXAMPLE.parent.parent / "bac-giang-2020" / "du-toan.yaml"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("score", ASSESSMENTS, "--agencies", "{dir}"), "`{dir}` là một thư mục"),
        (("score", ASSESSMENTS, "--agencies", "{missing}"), "không tìm thấy danh sách cơ quan `{missing}`"),
        (("score", ASSESSMENTS, "--criteria", "{missing}"), "không tìm thấy đường dẫn `{missing}`"),
        (("score", ASSESSMENTS, "--xlsx", "{dir}"), "`{dir}` là một thư mục"),
        (("budget", "check", BUDGET, "--norms", "{missing}"), "không tìm thấy đường dẫn `{missing}`"),
        (("budget", "check", BUDGET, "--xlsx", "{dir}"), "`{dir}` là một thư mục"),
        (("render", "plan", "{dir}", "-o", "{out}.md"), "`{dir}` là một thư mục, không phải tệp dữ liệu"),
        (("render", "plan", EXAMPLE, "-o", "{out}.md", "--template", "{dir}"), "`{dir}` là một thư mục"),
        (("render", "plan", EXAMPLE, "-o", "{out}.md", "--template", "{missing}"), "không tìm thấy mẫu"),
        (("render", "plan", EXAMPLE, "-o", "{dir}"), "`{dir}` là một thư mục"),
        (("form", "mau-cap-tinh-huyen-xa", "-o", "{dir}"), "`{dir}` là một thư mục"),
        (("validate", "{missing}"), "không tìm thấy đường dẫn `{missing}`"),
    ],
)
def test_a_folder_or_a_missing_file_where_a_file_is_wanted_is_a_usage_error(
    cli: Callable[..., Run], tmp_path: Path, args: tuple[str | Path, ...], message: str
) -> None:
    folder = tmp_path / "thu muc.xlsx"
    folder.mkdir()
    names = {"dir": folder, "missing": tmp_path / "khong-co.yaml", "out": tmp_path / "kq"}
    run = cli(*[str(a).format(**names) for a in args])
    assert run.exit_code == 2, run.stderr
    assert run.stderr.startswith("Lỗi cách dùng: ")
    assert message.format(**names) in run.stderr, run.stderr
    assert run.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thu muc.xlsx"]


def test_brackets_in_a_path_are_printed_as_written(cli: Callable[..., Run]) -> None:
    """A usage error names the user's path: `[/]` or `[red]` in it is not console markup."""
    for name in ("khong-co[/].yaml", "khong-co[red].yaml"):
        run = cli("score", name)
        assert run.exit_code == 2
        assert f"`{name}`" in run.stderr


def test_ctrl_c_is_a_short_message_and_exit_130(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    from isoprov.commands import score

    def interrupted(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(score, "run", interrupted)
    run = cli("score", ".")
    assert run.exit_code == 130
    assert run.stderr.startswith("Đã dừng (Ctrl-C)")
    assert "Traceback" not in run.stderr and run.stdout == ""


# ---------------------------------------------------------------------------
# The installed console script, as a shell runs it
# ---------------------------------------------------------------------------

SCRIPT = Path(sys.executable).parent / "isoprov"


def shell(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed ``isoprov`` with pipes for stdout and stderr (not a terminal)."""
    base = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "FORCE_COLOR", "NO_COLOR", "PYTHONUTF8")
    }
    command = [str(SCRIPT) if SCRIPT.exists() else "isoprov", *map(str, args)]
    return subprocess.run(command, capture_output=True, env={**base, **(env or {})}, cwd=cwd, timeout=120)


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "latin-1"},
        {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"},
        {"LANG": "C"},
    ],
    ids=["ascii", "latin-1", "C-no-utf8-mode", "LANG=C"],
)
def test_vietnamese_prints_under_a_non_utf8_locale(env: dict[str, str]) -> None:
    words = shell("budget", "words", "126000000", env=env)
    assert words.returncode == 0, words.stderr.decode("utf-8", "replace")
    assert words.stdout.decode("utf-8").strip() == "Một trăm hai mươi sáu triệu đồng chẵn"
    table = shell("score", ASSESSMENTS / "skhcn.yaml", env=env)
    assert table.returncode == 0 and "Sở Khoa học và Công nghệ" in table.stdout.decode("utf-8")
    missing = shell("score", "khong-co.yaml", env=env)
    assert missing.returncode == 2
    assert missing.stderr.decode("utf-8").startswith("Lỗi cách dùng: không tìm thấy đường dẫn")


def test_a_closed_pipe_ends_quietly() -> None:
    """``isoprov score ... --detail | head -1``: no traceback, no "Exception ignored"."""
    command = [str(SCRIPT) if SCRIPT.exists() else "isoprov", "score", str(ASSESSMENTS), "--detail"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # more than a pipe buffer is still to come
        err = process.stderr.read().decode("utf-8")
        process.wait(timeout=120)
    assert "Traceback" not in err and "Exception" not in err and "BrokenPipe" not in err, err


@pytest.mark.parametrize(
    "args",
    [
        ("score", ASSESSMENTS, "--detail"),
        ("validate", ASSESSMENTS.parent),
        ("budget", "check", BUDGET),
        ("score", DATA / "assessment"),
        ("score", "khong-co"),
    ],
)
@pytest.mark.parametrize("env", [{}, {"COLUMNS": "40"}, {"COLUMNS": "300", "NO_COLOR": "1"}])
def test_no_colour_codes_when_not_a_terminal(args: tuple[str | Path, ...], env: dict[str, str]) -> None:
    run = shell(*args, env={"TERM": "xterm-256color", **env})
    assert run.returncode in (0, 1, 2)
    for stream in (run.stdout, run.stderr):
        text = stream.decode("utf-8")
        assert "\x1b" not in text and "Traceback" not in text


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("score", ASSESSMENTS.parent, DATA / "assessment", "--format", "json"), "results"),
        (("budget", "check", DATA / "budget", "--format", "json"), "budgets"),
    ],
)
def test_json_output_is_one_document_even_with_errors(args: tuple[str | Path, ...], key: str) -> None:
    run = shell(*args)
    assert run.returncode == 1
    document = json.loads(run.stdout.decode("utf-8"))  # nothing else on stdout
    assert document[key] and document["errors"]
    assert run.stderr  # the errors are said on stderr too


def test_paths_with_spaces_and_vietnamese_letters(tmp_path: Path) -> None:
    folder = tmp_path / "Thư mục ISO 2025"
    assert shell("init", folder).returncode == 0
    assert shell("score", ".", "--agencies", "co-quan.yaml", cwd=folder).returncode == 0
    assert shell("budget", "check", "du-toan.yaml", cwd=folder).returncode == 0
    assert shell("render", "plan", "ke-hoach.yaml", "-o", "kế hoạch 2025.docx", cwd=folder).returncode == 0
    assert (folder / "kế hoạch 2025.docx").stat().st_size > 0
    assert shell("validate", ".", cwd=folder).returncode == 0


def test_ctrl_c_in_a_real_process_ends_without_a_traceback() -> None:
    code = (
        "import isoprov.commands.score as score\n"
        "def interrupted(*args):\n"
        "    raise KeyboardInterrupt\n"
        "score.run = interrupted\n"
        "from isoprov.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code, "score", "."], capture_output=True, timeout=60, check=False)
    assert done.returncode == 130
    assert done.stderr.decode("utf-8").strip() == "Đã dừng (Ctrl-C); không tệp nào bị ghi dở."
    assert done.stdout == b""


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p) or "isoprov")
def test_dash_h_is_the_help_too(cli: Callable[..., Run], path: tuple[str, ...]) -> None:
    short, long = cli(*path, "-h"), cli(*path, "--help")
    assert short.exit_code == long.exit_code == 0
    assert short.stdout == long.stdout


def test_the_top_help_says_what_the_exit_codes_mean(cli: Callable[..., Run]) -> None:
    page = " ".join(cli("--help").stdout.split())
    assert "Mã thoát: 0" in page and "1 có tệp lỗi" in page and "2 dùng lệnh sai" in page


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (("init", ""), "`DIR`"),
        (("score", ""), "`PATH`"),
        (("score", ".", "--agencies", ""), "`--agencies`"),
        (("score", ".", "--criteria", ""), "`--criteria`"),
        (("render", "plan", EXAMPLE, "-o", ""), "`--output`"),
        (("budget", "check", "--norms", "", "."), "`--norms`"),
    ],
)
def test_an_empty_argument_is_a_usage_error_not_the_current_folder(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], where: str
) -> None:
    """``isoprov init "$DIR"`` with DIR unset must not write the starter into the current folder."""
    monkeypatch.chdir(tmp_path)
    run = cli(*args)
    assert run.exit_code == 2
    assert f'đường dẫn rỗng ("") cho {where}' in run.stderr
    assert list(tmp_path.iterdir()) == []
