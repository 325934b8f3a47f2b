"""``isoprov inspect actions`` (SPEC §9): the register of corrective actions, due dates and overdue days."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from isoprov.inspection.actions import overdue_days, register
from tests.conftest import Run
from tests.inspection.conftest import Writer

Cli = Callable[..., Run]
ROOT = Path(__file__).resolve().parents[2]
BINH_PHUOC = ROOT / "examples" / "binh-phuoc-2021"


def test_binh_phuoc_has_one_action_done_and_one_overdue(cli: Cli) -> None:
    run = cli("inspect", "actions", BINH_PHUOC / "kiem-tra-2021.yaml", "--today", "15/02/2022", "--format", "json")
    assert run.exit_code == 1  # an action is overdue
    report = json.loads(run.stdout)
    assert report["errors"] == []
    rows = {(a["agency"], a["finding"]): a for a in report["actions"]}
    assert set(rows) == {("SKHDT", "1.đ"), ("SXD", "2.d")}
    done, late = rows["SKHDT", "1.đ"], rows["SXD", "2.d"]
    # 23/11/2021 + 2 months = 23/01/2022, reported 10/01/2022 (after a report not accepted)
    assert (done["signed"], done["due"], done["reported"], done["status"], done["overdue_days"]) == (
        "2021-11-23",
        "2022-01-23",
        "2022-01-10",
        "done",
        0,
    )
    # 24/11/2021 + 2 months = 24/01/2022; 15/02/2022 is 22 days later (7 in January + 15)
    assert (late["due"], late["status"], late["overdue_days"]) == ("2022-01-24", "open", 22)
    assert late["agency_name"] == "Sở Xây dựng"


def test_nothing_is_overdue_on_the_due_date(cli: Cli) -> None:
    run = cli("inspect", "actions", BINH_PHUOC / "bien-ban", "--today", "2022-01-24", "--format", "json")
    assert run.exit_code == 0
    assert [a["overdue_days"] for a in json.loads(run.stdout)["actions"]] == [0, 0]


@pytest.mark.parametrize(
    ("status", "today", "days"),
    [
        ("open", (2026, 12, 12), 0),
        ("open", (2026, 12, 13), 1),
        ("not-accepted", (2027, 1, 12), 31),
        ("done", (2027, 6, 1), 0),
    ],
)
def test_overdue_days(status: str, today: tuple[int, int, int], days: int) -> None:
    assert overdue_days(status, dt.date(2026, 12, 12), dt.date(*today)) == days  # type: ignore[arg-type]


def test_the_last_report_gives_the_status(folder: Writer) -> None:
    reports = (
        "actions:\n  - {finding: 1.đ, reported: 01/12/2026, status: done}\n"
        "  - {finding: 1.đ, reported: 05/12/2026, status: not-accepted, note: Thiếu bằng chứng}\n"
    )
    path = folder(3, ["CQ01"], minutes={"CQ01": ("12/10/2026", reports)})
    rows, errors = register([path], dt.date(2026, 12, 20))
    assert errors == []
    ((row),) = rows
    assert (row.status, row.due, row.overdue_days) == ("not-accepted", dt.date(2026, 12, 12), 8)


def test_a_report_made_after_the_day_of_the_register_is_not_yet_known(folder: Writer) -> None:
    """The register made for a past day (`--today 31/12/2021`, the December report) shows each
    action as it stood on that day: the report not accepted on 20/12, not the one accepted on
    10/01; before any report the action is open, and overdue once its due date passed."""
    reports = (
        "actions:\n  - {finding: 1.đ, reported: 01/12/2026, status: not-accepted, note: Thiếu bằng chứng}\n"
        "  - {finding: 1.đ, reported: 20/12/2026, status: done}\n"
    )
    path = folder(3, ["CQ01"], minutes={"CQ01": ("12/10/2026", reports)})  # due 12/12/2026
    seen = {}
    for day in ((2026, 11, 30), (2026, 12, 1), (2026, 12, 15), (2026, 12, 20)):
        rows, errors = register([path], dt.date(*day))
        assert errors == []
        ((row),) = rows
        seen[day] = (row.status, row.reported, row.overdue_days)
    assert seen == {
        (2026, 11, 30): ("open", None, 0),
        (2026, 12, 1): ("not-accepted", dt.date(2026, 12, 1), 0),
        (2026, 12, 15): ("not-accepted", dt.date(2026, 12, 1), 3),
        (2026, 12, 20): ("done", dt.date(2026, 12, 20), 0),
    }


def test_binh_phuoc_at_the_end_of_2021(cli: Cli) -> None:
    run = cli("inspect", "actions", BINH_PHUOC / "kiem-tra-2021.yaml", "--today", "31/12/2021", "--format", "json")
    rows = {a["agency"]: (a["status"], a["reported"]) for a in json.loads(run.stdout)["actions"]}
    assert rows == {"SKHDT": ("not-accepted", "2021-12-20"), "SXD": ("open", None)}  # the 10/01/2022 report: later


def test_csv_and_table(cli: Cli) -> None:
    run = cli("inspect", "actions", BINH_PHUOC / "kiem-tra-2021.yaml", "--today", "15/02/2022", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [(r["agency"], r["status"], r["overdue_days"]) for r in rows] == [
        ("SKHDT", "done", "0"),
        ("SXD", "open", "22"),
    ]
    table = cli("inspect", "actions", BINH_PHUOC / "kiem-tra-2021.yaml", "--today", "15/02/2022")
    assert "24/01/2022" in table.stdout and "Chưa khắc phục" in table.stdout
    assert "1 hành động khắc phục quá hạn" in table.stderr


def test_xlsx_register(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "khac-phuc.xlsx"
    run = cli("inspect", "actions", BINH_PHUOC / "kiem-tra-2021.yaml", "--today", "15/02/2022", "--xlsx", out)
    assert run.exit_code == 1 and out.is_file()
    ws = load_workbook(out).active
    assert ws is not None
    header = [c.value for c in ws[4]]
    assert header[:4] == ["STT", "Mã cơ quan", "Cơ quan", "Nội dung (Điều 36)"]
    assert ws["G6"].value == dt.datetime(2022, 1, 24) and ws["G6"].number_format == "dd/mm/yyyy"
    assert ws["J6"].value == 22
    assert ws["J7"].value == '=COUNTIF(J5:J6,">0")'


def test_user_text_is_never_a_formula_in_the_register(folder: Writer, tmp_path: Path, cli: Cli) -> None:
    from openpyxl import load_workbook

    path = folder(3, ["CQ01"], minutes={"CQ01": ("12/10/2026", "")})
    minutes = path.parent / "bien-ban" / "CQ01.yaml"
    minutes.write_text(minutes.read_text(encoding="utf-8").replace("action: Tổ", 'action: "=1+1 Tổ'), encoding="utf-8")
    minutes.write_text(minutes.read_text(encoding="utf-8").replace("nội bộ}", 'nội bộ"}'), encoding="utf-8")
    out = tmp_path / "r.xlsx"
    cli("inspect", "actions", path, "--today", "2026-10-13", "--xlsx", out)
    cell = load_workbook(out).active["E5"]  # type: ignore[index]
    assert cell.data_type == "s" and cell.value.startswith("=1+1")
    run = cli("inspect", "actions", path, "--today", "2026-10-13", "--format", "csv")
    assert "'=1+1" in run.stdout


def test_a_file_of_another_kind_is_an_error(cli: Cli) -> None:
    run = cli("inspect", "actions", BINH_PHUOC / "co-quan.yaml", "--format", "json")
    assert run.exit_code == 1
    assert "không phải biên bản" in json.loads(run.stdout)["errors"][0]["message"]


def test_an_action_naming_no_finding_is_reported_by_the_register(folder: Writer) -> None:
    # the register must not drop the report silently: the agency believes it reported
    wrong = "actions:\n  - {finding: 3.x, reported: 01/11/2026, status: done}\n"
    path = folder(3, ["CQ01"], minutes={"CQ01": ("12/10/2026", wrong)})
    rows, errors = register([path], dt.date(2026, 11, 1))
    assert [(r.finding, r.status) for r in rows] == [("1.đ", "open")]
    (error,) = errors
    assert error.code == "INS013" and error.line == 12 and "3.x" in error.message
