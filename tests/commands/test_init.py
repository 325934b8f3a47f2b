"""``isoprov init DIR``: a working folder that score, budget check and render run on as it is."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from isoprov.commands.init import starter_files
from isoprov.schemas import KINDS, schema_text
from tests.conftest import Run

Cli = Callable[..., Run]

EXPECTED = {
    "README.md",
    "co-quan.yaml",
    "criteria/bo-tieu-chi-mau.yaml",
    "du-toan.yaml",
    "ke-hoach.yaml",
    "bao-cao.yaml",
    *(f"schemas/{kind}.json" for kind in KINDS),
}


@pytest.fixture
def folder(starter: Path) -> Path:
    return starter


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_init_writes_the_working_folder(folder: Path) -> None:
    written = files(folder)
    assert written >= EXPECTED
    assessments = sorted(p for p in written if p.startswith("tu-danh-gia/"))
    assert len(assessments) == 3


def test_init_prints_what_it_wrote_in_vietnamese(cli: Cli, tmp_path: Path) -> None:
    run = cli("init", tmp_path / "x")
    assert "Đã tạo thư mục làm việc" in run.stdout
    for name in EXPECTED:
        assert name in run.stdout


def test_score_runs_on_it_as_is(cli: Cli, folder: Path) -> None:
    run = cli("score", ".", "--format", "json")
    assert run.exit_code == 0, run.stderr
    report = run.json()
    assert len(report["results"]) == 3
    assert report["errors"] == []
    assert all(r["warnings"] == [] for r in report["results"])
    assert {r["agency"]["level"] for r in report["results"]} == {"tinh", "xa"}


def test_the_registry_lists_the_agency_that_has_not_submitted(cli: Cli, folder: Path) -> None:
    run = cli("score", "tu-danh-gia", "--agencies", "co-quan.yaml", "--format", "json")
    assert run.exit_code == 0
    assert run.json()["missing"] == [{"code": "STC", "name": "Sở Tài chính"}]


def test_budget_check_runs_on_it_as_is(cli: Cli, folder: Path) -> None:
    run = cli("budget", "check", "du-toan.yaml", "--format", "json")
    assert run.exit_code == 0, run.stdout + run.stderr
    (budget,) = run.json()["budgets"]
    assert budget["total"] == 60000000
    assert budget["total_in_words"] == "Sáu mươi triệu đồng chẵn"
    assert [f for f in budget["findings"] if f["severity"] == "error"] == []


def test_render_runs_on_it_as_is(cli: Cli, folder: Path) -> None:
    run = cli("render", "plan", "ke-hoach.yaml", "-o", "ke-hoach.docx")
    assert run.exit_code == 0, run.stderr
    assert (folder / "ke-hoach.docx").stat().st_size > 0


def test_the_score_report_renders_from_its_assessments(cli: Cli, folder: Path) -> None:
    run = cli("render", "report", "bao-cao.yaml", "-o", "bao-cao.md")
    assert run.exit_code == 0, run.stderr
    text = (folder / "bao-cao.md").read_text(encoding="utf-8")
    for name in ("Sở Khoa học và Công nghệ", "Sở Nội vụ", "UBND xã Tân An"):  # the three assessments
        assert name in text
    assert "Sở Tài chính" in text  # registered in co-quan.yaml, not submitted
    assert "Bắc Ninh" in text and "2026" in text


def _plan_text(folder: Path) -> str:
    """ke-hoach.yaml's text with YAML's folded lines joined, as the document reads."""
    return " ".join((folder / "ke-hoach.yaml").read_text(encoding="utf-8").split())


def test_the_plan_states_the_budget_total_in_figures_and_words(cli: Cli, folder: Path) -> None:
    (budget,) = cli("budget", "check", "du-toan.yaml", "--format", "json").json()["budgets"]
    figures = f"{budget['total_vnd']:,}".replace(",", ".")
    assert f"là {figures} đồng (bằng chữ: {budget['total_in_words']})" in _plan_text(folder)


def test_the_starter_is_one_working_year_of_one_province(folder: Path) -> None:
    """Tỉnh Bắc Ninh, 2026, levels tinh and xa only: no pre-2025 province, no district level."""
    import yaml

    texts = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*.yaml")}
    for name, text in texts.items():
        data = yaml.safe_load(text)
        header = data.get("header") or {}
        if header:
            assert header["place"] == "Bắc Ninh", name
            assert "tỉnh Bắc Ninh" in header["parent_body"], name
            assert str(header["date"]).startswith("2026"), name
        if "period" in data:
            assert data["period"] == "2026", name
        assert "huyen" not in text and "huyện" not in text.replace("cấp huyện", ""), name
        assert "Bắc Giang" not in text.replace("tỉnh Bắc Giang từ 01/7/2025", ""), name
    criteria = yaml.safe_load(texts["criteria/bo-tieu-chi-mau.yaml"])
    assert criteria["levels"] == ["tinh", "xa"]
    assert "UBND các xã, phường" in _plan_text(folder)
    assert "Bắc Ninh" in (folder / "README.md").read_text(encoding="utf-8")


def _readme_commands(folder: Path) -> list[str]:
    text = (folder / "README.md").read_text(encoding="utf-8")
    lines = [line for block in re.findall(r"```sh\n(.*?)```", text, re.S) for line in block.splitlines()]
    return [re.sub(r"\s+#.*$", "", line).strip() for line in lines if line.strip()]


def test_every_command_of_its_readme_runs_as_written(cli: Cli, folder: Path) -> None:
    commands = _readme_commands(folder)
    assert len(commands) >= 15
    for command in commands:
        args = shlex.split(command)
        assert args[0] == "isoprov", command
        run = cli(*args[1:])
        if "--today 15/12/2026" in command:  # documented: exit 1 when an action is overdue
            assert run.exit_code == 1, command
        elif args[1:3] == ["inspect", "actions"]:  # on the real today, overdue after 14/12/2026
            assert run.exit_code in (0, 1), command
        else:
            assert run.exit_code == 0, f"{command}\n{run.stdout}{run.stderr}"
        assert "Lỗi" not in run.stderr, command


def test_validate_finds_nothing_wrong(cli: Cli, folder: Path) -> None:
    run = cli("validate", ".")
    assert run.exit_code == 0, run.stderr
    assert "✗" not in run.stdout


def test_a_form_is_made_from_its_criteria_by_id(cli: Cli, folder: Path) -> None:
    run = cli("form", "bo-tieu-chi-mau", "-o", "bieu-mau/stc.xlsx", "--agency-code", "STC", "--level", "tinh")
    assert run.exit_code == 0, run.stderr
    assert (folder / "bieu-mau" / "stc.xlsx").is_file()


def test_its_yaml_files_point_at_the_schemas_it_wrote(folder: Path) -> None:
    for path in folder.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]  # the starter's own files: on top
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        assert (path.parent / match[1]).is_file(), path
    for kind in KINDS:
        assert (folder / "schemas" / f"{kind}.json").read_text(encoding="utf-8") == schema_text(kind)
        json.loads((folder / "schemas" / f"{kind}.json").read_text(encoding="utf-8"))


def test_the_readme_is_in_vietnamese(folder: Path) -> None:
    text = (folder / "README.md").read_text(encoding="utf-8")
    assert "Thư mục làm việc" in text
    commands = ("isoprov score", "isoprov budget check", "isoprov render plan", "isoprov render report", "isoprov form")
    for command in commands:
        assert command in text


def test_a_non_empty_folder_is_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "ghi-chu.txt").write_text("của tôi", encoding="utf-8")
    run = cli("init", tmp_path)
    assert run.exit_code == 2
    assert "--force" in run.stderr
    assert files(tmp_path) == {"ghi-chu.txt"}


def test_force_writes_the_starter_and_keeps_other_files(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "ghi-chu.txt").write_text("của tôi", encoding="utf-8")
    (tmp_path / "du-toan.yaml").write_text("cũ", encoding="utf-8")
    run = cli("init", tmp_path, "--force")
    assert run.exit_code == 0
    assert (tmp_path / "ghi-chu.txt").read_text(encoding="utf-8") == "của tôi"
    assert (tmp_path / "du-toan.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server")
    assert files(tmp_path) >= EXPECTED


def test_an_empty_existing_folder_is_fine(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", tmp_path).exit_code == 0


def test_a_file_in_the_way_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "x").write_text("", encoding="utf-8")
    assert cli("init", tmp_path / "x").exit_code == 2


def test_the_starter_ships_inside_the_package() -> None:
    names = {name for name, _ in starter_files()}
    assert names >= {
        "README.md",
        "co-quan.yaml",
        "du-toan.yaml",
        "ke-hoach.yaml",
        "bao-cao.yaml",
        "criteria/bo-tieu-chi-mau.yaml",
    }
    assert not any("__pycache__" in n for n in names)


@pytest.mark.skipif(shutil.which("isoprov") is None, reason="the isoprov console script is not installed")
def test_the_documented_shell_session(tmp_path: Path) -> None:
    # isoprov init /tmp/x && cd /tmp/x && isoprov score . && isoprov budget check du-toan.yaml
    target = tmp_path / "x"
    script = f'isoprov init "{target}" && cd "{target}" && isoprov score . && isoprov budget check du-toan.yaml'
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_printed_cd_line_works_for_a_folder_name_with_spaces(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "Thư mục ISO 2025"
    run = cli("init", target)
    assert run.exit_code == 0, run.stderr
    cd = next(line.strip() for line in run.stdout.splitlines() if line.strip().startswith("cd "))
    done = subprocess.run(["sh", "-c", f"{cd} && pwd"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == target.resolve()


def test_a_parent_that_is_a_file_is_an_error_not_a_traceback(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "tep").write_text("", encoding="utf-8")
    run = cli("init", tmp_path / "tep" / "lam-viec")
    assert run.exit_code in (1, 2)
    assert run.stderr.startswith(("Lỗi: ", "Lỗi cách dùng: ")) and "Traceback" not in run.stderr
