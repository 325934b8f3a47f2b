"""``isoprov inspect check`` (SPEC §9): the rules of one year's inspection, with their lines."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isoprov.inspection.checks import CheckResult, check_set, onsite_required
from isoprov.inspection.load import load_set
from tests.conftest import Run
from tests.inspection.conftest import Writer

Cli = Callable[..., Run]

ROOT = Path(__file__).resolve().parents[2]
BINH_PHUOC = ROOT / "examples" / "binh-phuoc-2021" / "kiem-tra-2021.yaml"
TODAY = dt.date(2026, 12, 31)


def checked(path: Path, today: dt.date = TODAY) -> CheckResult:
    found, problems = load_set(path)
    assert found is not None, problems
    return check_set(found, today)


def codes(result: CheckResult) -> list[str]:
    return [d.code for d in (*result.findings, *result.errors)]


def agencies(k: int) -> list[str]:
    return [f"CQ{i:02d}" for i in range(1, k + 1)]


@pytest.mark.parametrize(("n", "required"), [(30, 10), (31, 11), (33, 11), (3, 1), (1, 1), (0, 0)])
def test_a_third_rounded_up(n: int, required: int) -> None:
    assert onsite_required(n) == required


@pytest.mark.parametrize(
    ("n", "onsite", "warns"),
    [(30, 9, True), (30, 10, False), (31, 10, True), (31, 11, False), (33, 10, True), (33, 11, False)],
)
def test_fewer_than_a_third_on_site_is_a_warning_with_the_figures(
    folder: Writer, n: int, onsite: int, warns: bool
) -> None:
    result = checked(folder(n, agencies(onsite)), today=dt.date(2026, 1, 1))
    found = [d for d in result.findings if d.code == "INS006"]
    assert bool(found) == warns
    assert result.ok  # a warning: the plan is still accepted
    assert result.onsite_required == -(-n // 3)
    if warns:
        assert found[0].severity == "warning"
        assert f"chỉ {onsite} trong {n} cơ quan" in found[0].message
        assert f"tức {-(-n // 3)} cơ quan" in found[0].message
        assert found[0].line == 5  # the `onsite:` key


def test_binh_phuoc_2021_is_warned_that_11_were_required(cli: Cli) -> None:
    run = cli("inspect", "check", BINH_PHUOC, "--format", "json", "--today", "2021-11-20")
    assert run.exit_code == 0
    report = json.loads(run.stdout)["inspections"][0]
    assert (report["agencies"], report["onsite"], report["records"], report["onsite_required"]) == (31, 5, 26, 11)
    (warning,) = [f for f in report["findings"] if f["code"] == "INS006"]
    assert "chỉ 5 trong 31" in warning["message"] and "tức 11 cơ quan" in warning["message"]
    assert warning["severity"] == "warning"


def test_minutes_for_an_agency_not_on_site_are_an_error_at_its_line(folder: Writer, cli: Cli) -> None:
    path = folder(6, ["CQ01", "CQ02"], minutes={"CQ05": ("12/10/2026", "")})
    result = checked(path)
    (error,) = [d for d in result.errors if d.code == "INS008"]
    assert error.file.endswith("bien-ban/CQ05.yaml")
    assert error.line == 2
    assert "không có trong danh sách kiểm tra tại trụ sở" in error.message
    run = cli("inspect", "check", path, "--format", "json", "--today", "2026-12-31")
    assert run.exit_code == 1
    errors = json.loads(run.stdout)["errors"]
    assert any(e["file"].endswith("CQ05.yaml") and e["line"] == 2 for e in errors)


def test_an_unknown_on_site_code_names_the_closest(folder: Writer) -> None:
    result = checked(folder(6, ["CQ01", "CQ1"]), today=dt.date(2026, 1, 1))
    (error,) = [d for d in result.findings if d.code == "INS001"]
    assert (error.line, error.column) == (7, 12)
    assert "`CQ01`" in error.message or "`CQ10`" in error.message or "có phải ý bạn là" in error.message


def test_exactly_one_team_leader(folder: Writer) -> None:
    none = "team:\n  - {name: A, position: B, role: Thành viên}"
    two = "team:\n  - {name: A, position: B, role: Trưởng đoàn}\n  - {name: C, position: D, role: trưởng  đoàn}"
    assert "INS004" in codes(checked(folder(3, ["CQ01"], team=none), dt.date(2026, 1, 1)))
    result = checked(folder(3, ["CQ01"], team=two), dt.date(2026, 1, 1))
    (error,) = [d for d in result.findings if d.code == "INS004"]
    assert error.line == 9 and "đang có 2" in error.message


def test_dates_outside_the_year_are_errors(folder: Writer, tmp_path: Path) -> None:
    path = folder(3, ["CQ01"])
    path.write_text(path.read_text(encoding="utf-8").replace("10/10/2026", "10/10/2025"), encoding="utf-8")
    (error,) = [d for d in checked(path, dt.date(2026, 1, 1)).findings if d.code == "INS003"]
    assert error.line == 6 and "2025" in error.message


def test_a_visit_past_without_minutes_is_warned(folder: Writer) -> None:
    path = folder(3, ["CQ01", "CQ02"], minutes={"CQ01": ("10/10/2026", "")})
    assert [d.code for d in checked(path, dt.date(2026, 10, 11)).findings] == []
    (warning,) = [d for d in checked(path, dt.date(2026, 10, 12)).findings if d.code == "INS005"]
    assert warning.line == 7 and "CQ02" in warning.message


def test_an_action_reported_after_its_due_date_is_warned(folder: Writer) -> None:
    late = "actions:\n  - {finding: 1.đ, reported: 13/12/2026, status: done}\n"
    path = folder(3, ["CQ01"], minutes={"CQ01": ("12/10/2026", late)})
    (warning,) = [d for d in checked(path).findings if d.code == "INS015"]
    assert warning.line == 12
    assert "sau hạn 12/12/2026" in warning.message and "1 ngày" in warning.message


def test_an_action_naming_no_finding_is_an_error(folder: Writer) -> None:
    wrong = "actions:\n  - {finding: 2.a, status: open}\n"
    path = folder(3, ["CQ01"], minutes={"CQ01": ("10/10/2026", wrong)})
    (error,) = [d for d in checked(path).errors if d.code == "INS013"]
    assert error.line == 12


@pytest.mark.parametrize(
    ("replace", "line", "says"),
    [
        ((", action: Tổ chức đánh giá nội bộ", ""), 10, "cần ghi yêu cầu khắc phục"),
        (("item: 1.a", "item: 1.f"), 9, "không có trong Điều 36"),
        (("result: dat", "result: đạt"), 9, "`dat`, `chua-dat`"),
        (("signed: 10/10/2026", "signed: 31/02/2026"), 4, "không có trong lịch"),
    ],
)
def test_bad_minutes_give_located_errors(folder: Writer, replace: tuple[str, str], line: int, says: str) -> None:
    path = folder(3, ["CQ01"], minutes={"CQ01": ("10/10/2026", "")})
    minutes = path.parent / "bien-ban" / "CQ01.yaml"
    minutes.write_text(minutes.read_text(encoding="utf-8").replace(*replace), encoding="utf-8")
    found, _ = load_set(path)
    assert found is not None
    (error,) = found.diagnostics
    assert error.line == line and says in error.message


def test_history_lists_the_agencies_longest_without_an_on_site_check(folder: Writer, tmp_path: Path, cli: Cli) -> None:
    path = folder(4, ["CQ01"])
    past = tmp_path / "cu"
    past.mkdir()
    (past / "2024.yaml").write_text(
        "year: 2024\nunit: X\nagencies: co-quan.yaml\nonsite: [{code: CQ02, date: 2024-10-01}]\n", encoding="utf-8"
    )
    (past / "2025.yaml").write_text(
        "year: 2025\nunit: X\nagencies: co-quan.yaml\nonsite: [{code: CQ03, date: 2025-10-01}]\n", encoding="utf-8"
    )
    run = cli("inspect", "check", path, "--history", past, "--format", "json", "--today", "2026-01-01")
    history = json.loads(run.stdout)["inspections"][0]["history"]
    assert [(h["code"], h["last_onsite"]) for h in history] == [("CQ04", None), ("CQ02", 2024), ("CQ03", 2025)]


def test_a_registry_code_twice_is_an_error(folder: Writer) -> None:
    path = folder(3, ["CQ01"])
    registry = path.parent / "co-quan.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "  - {code: CQ01, name: Lặp}\n", encoding="utf-8")
    (error,) = [d for d in checked(path, dt.date(2026, 1, 1)).errors if d.code == "INS007"]
    assert error.line == 5


def test_a_plain_registry_still_works_with_score(cli: Cli) -> None:
    run = cli(
        "score",
        ROOT / "examples" / "bac-giang-2020" / "assessments",
        "--agencies",
        ROOT / "examples" / "binh-phuoc-2021" / "co-quan.yaml",
        "--format",
        "json",
    )
    assert run.exit_code in (0, 1)
    assert len(json.loads(run.stdout)["missing"]) >= 1


def test_another_kind_of_file_is_one_clear_error(cli: Cli) -> None:
    run = cli("inspect", "check", ROOT / "examples" / "binh-phuoc-2021" / "co-quan.yaml")
    assert run.exit_code == 1
    assert "không phải kế hoạch kiểm tra" in run.stderr


def test_a_bad_today_is_a_usage_error(cli: Cli) -> None:
    assert cli("inspect", "check", BINH_PHUOC, "--today", "31/02/2026").exit_code == 2


@given(st.integers(0, 10_000))
def test_a_third_rounded_up_for_every_n(n: int) -> None:
    required = onsite_required(n)
    assert 3 * required >= n > 3 * (required - 1)


def test_validate_knows_the_new_kinds(cli: Cli) -> None:
    run = cli("validate", ROOT / "examples" / "binh-phuoc-2021")
    assert run.exit_code == 0, run.stderr
    for label in ("kế hoạch kiểm tra", "biên bản kiểm tra", "văn bản kiểm tra", "danh sách cơ quan"):
        assert f"({label}" in run.stdout


def test_validate_checks_a_minutes_file_against_its_inspection(folder: Writer, cli: Cli) -> None:
    path = folder(6, ["CQ01"], minutes={"CQ05": ("12/10/2026", "")})
    run = cli("validate", path.parent / "bien-ban" / "CQ05.yaml")
    assert run.exit_code == 1
    assert "CQ05.yaml:2:" in run.stderr and "INS008" in run.stderr


def test_the_team_signer_must_be_of_the_team_and_one_the_leader(folder: Writer) -> None:
    path = folder(3, ["CQ01"], minutes={"CQ01": ("10/10/2026", "")})
    minutes = path.parent / "bien-ban" / "CQ01.yaml"
    text = minutes.read_text(encoding="utf-8").replace(
        "name: Nguyễn Văn An, position: Phó Giám đốc Sở, role: Trưởng đoàn", "name: Người Lạ, position: X"
    )
    minutes.write_text(text, encoding="utf-8")
    found = {d.code: d for d in checked(path).findings}
    assert found["INS018"].line == 6 and "Người Lạ" in found["INS018"].message
    assert found["INS019"].line == 6


def test_codes_are_compared_as_the_registry_compares_them(folder: Writer) -> None:
    # `cq01` in the plan and `Cq02` in a minutes file are CQ01 and CQ02 (case-folded, as score does)
    path = folder(4, ["cq01", "CQ02"], minutes={"Cq02": ("11/10/2026", "")})
    result = checked(path, dt.date(2026, 10, 10))
    assert [d.code for d in (*result.errors, *result.findings) if d.is_error] == []
    assert codes(result) == []


def test_minutes_that_cannot_be_read_are_not_called_missing(folder: Writer, tmp_path: Path) -> None:
    path = folder(3, ["CQ01"], minutes={"CQ01": ("12/10/2026", "")})
    minutes = tmp_path / "bien-ban" / "CQ01.yaml"
    minutes.write_text(minutes.read_text(encoding="utf-8").replace("12/10/2026", "31/02/2026"), encoding="utf-8")
    found, _ = load_set(path)
    assert found is not None and [d.line for d in found.diagnostics] == [4]
    (warning,) = [d for d in check_set(found, dt.date(2026, 11, 1)).findings if d.code == "INS005"]
    assert "chưa có biên bản" not in warning.message
    assert "bien-ban/CQ01.yaml" in warning.message and "có lỗi" in warning.message


def test_a_folder_without_an_inspection_file_is_an_error(cli: Cli, tmp_path: Path) -> None:
    # `inspect check bien-ban/` checked nothing and said nothing, exit 0
    minutes = tmp_path / "bien-ban"
    minutes.mkdir()
    (minutes / "CQ01.yaml").write_text("inspection: ../kiem-tra.yaml\nagency: CQ01\n", encoding="utf-8")
    run = cli("inspect", "check", minutes, "--format", "json")
    assert run.exit_code == 1
    (error,) = run.json()["errors"]
    assert error["file"] == str(minutes) and "không có tệp kế hoạch kiểm tra nào" in error["message"]
