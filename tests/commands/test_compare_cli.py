"""`isoprov compare` end to end: the JSON of SPEC §10 key for key, CSV, the table, `--self-team`,
usage errors, and the Bắc Giang example that the README runs."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import DATA, ROOT
from tests.conftest import Run

HERE = DATA / "compare"
CRITERIA = ("--criteria", str(HERE / "criteria"))
BG2020 = ROOT / "examples" / "bac-giang-2020" / "assessments"
BG2021 = ROOT / "examples" / "bac-giang-2021" / "assessments"


def years(cli: Callable[..., Run], *extra: str) -> Run:
    return cli("compare", HERE / "y2020", HERE / "y2021", *CRITERIA, *extra)


def test_json_shape_exactly_as_spec(cli: Callable[..., Run]) -> None:
    run = years(cli, "--format", "json")
    assert run.exit_code == 0, run.stderr
    out = run.json()
    assert list(out) == ["agencies", "only_old", "only_new", "criteria_only_old", "criteria_only_new", "errors"]
    for a in out["agencies"]:
        assert list(a) == ["code", "name", "level", "old", "new", "change"]
        assert list(a["old"]) == list(a["new"]) == ["total", "band", "rank"]
    by_code = {a["code"]: a for a in out["agencies"]}
    # by hand (tests/scoring/test_compare.py): renamed a1 100 → 80, A2 50 → 90, H1 huyen 80 → tinh 90
    assert by_code["a1"] == {
        "code": "a1",
        "name": "Sở A (tên mới)",
        "level": "tinh",
        "old": {"total": 100, "band": "Tốt", "rank": 1},
        "new": {"total": 80, "band": "Khá", "rank": 3},
        "change": -20,
    }
    assert (by_code["A2"]["change"], by_code["A2"]["new"]["rank"]) == (40, 1)
    assert (by_code["H1"]["level"], by_code["H1"]["old"]["rank"], by_code["H1"]["change"]) == ("tinh", 1, 10)
    assert out["only_old"] == [{"code": "G1", "name": "Sở Cũ", "level": "tinh", "total": 2, "band": "Yếu", "rank": 4}]
    assert [r["code"] for r in out["only_new"]] == ["N1"]
    assert out["criteria_only_old"] == out["criteria_only_new"] == out["errors"] == []


def test_json_detail_lists_the_criteria_that_changed(cli: Callable[..., Run]) -> None:
    out = years(cli, "--format", "json", "--detail").json()
    a2 = next(a for a in out["agencies"] if a["code"] == "A2")
    assert list(a2) == ["code", "name", "level", "old", "new", "change", "criteria"]
    assert a2["criteria"] == [
        {"id": "2.1", "title": "Hồ sơ đúng hạn", "old": 10, "new": 20, "change": 10},
        {"id": "1.1", "title": "Ban chỉ đạo", "old": 5, "new": 10, "change": 5},
        {"id": "1.2", "title": "Kế hoạch", "old": 5, "new": 10, "change": 5},
    ]


def test_json_names_criteria_on_one_side(cli: Callable[..., Run]) -> None:
    run = cli("compare", HERE / "y2020", HERE / "y2021b", *CRITERIA, "--format", "json")
    out = run.json()
    assert [(a["code"], a["old"]["total"], a["new"]["total"], a["change"]) for a in out["agencies"]] == [
        ("A1", 100, 90, -10)
    ]
    assert out["criteria_only_old"] == [{"id": "2.2", "title": "Lưu trữ hồ sơ"}]
    assert out["criteria_only_new"] == [{"id": "2.3", "title": "Khảo sát hài lòng"}]


def test_csv(cli: Callable[..., Run]) -> None:
    run = years(cli, "--format", "csv")
    assert run.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [(r["status"], r["code"]) for r in rows] == [
        ("both", "A2"),
        ("both", "H1"),
        ("both", "a1"),
        ("both", "A3"),
        ("only_old", "G1"),
        ("only_new", "N1"),
    ]
    h1 = rows[1]
    assert (h1["old_level"], h1["level"], h1["old_total"], h1["new_total"], h1["change"]) == (
        "huyen",
        "tinh",
        "80",
        "90",
        "10",
    )
    a1 = rows[2]
    assert (a1["old_name"], a1["name"], a1["old_rank"], a1["new_rank"]) == ("Sở A", "Sở A (tên mới)", "1", "3")
    assert (rows[4]["old_total"], rows[4]["new_total"]) == ("2", "")
    only_old, only_new = rows[4], rows[5]  # the old name and level only where there was an old result
    assert only_old["old_name"] == only_old["name"] and only_old["old_level"] == only_old["level"]
    assert (only_new["old_name"], only_new["old_level"], only_new["old_total"]) == ("", "", "")


def test_csv_detail(cli: Callable[..., Run]) -> None:
    rows = list(csv.DictReader(io.StringIO(years(cli, "--format", "csv", "--detail").stdout)))
    assert [(r["code"], r["criterion"], r["old"], r["new"], r["change"]) for r in rows] == [
        ("A2", "2.1", "10", "20", "10"),
        ("A2", "1.1", "5", "10", "5"),
        ("A2", "1.2", "5", "10", "5"),
        ("H1", "2.1", "10", "15", "5"),
        ("a1", "1.2", "10", "5", "-5"),
        ("a1", "2.2", "10", "5", "-5"),
    ]


def test_table_says_renamed_level_changed_and_one_sided(cli: Callable[..., Run]) -> None:
    run = years(cli, "--detail")
    assert run.exit_code == 0
    out = run.stdout
    assert "Cấp tỉnh — so sánh 2020 và 2021" in out
    assert "trước đây: Sở A" in out
    assert "2020: cấp huyện" in out
    assert "+40,00" in out and "-20,00" in out
    assert "Trung bình → Tốt" in out
    assert "Chỉ có ở 2020 (không có ở 2021):" in out and "Sở Cũ (G1)" in out
    assert "Chỉ có ở 2021 (không có ở 2020):" in out and "Sở Mới (N1)" in out
    assert "Tiêu chí thay đổi nhiều nhất: Sở B (A2) — +40,00 điểm" in out


def test_table_names_criteria_on_one_side(cli: Callable[..., Run]) -> None:
    out = cli("compare", HERE / "y2020", HERE / "y2021b", *CRITERIA).stdout
    assert "Hai kỳ dùng bộ tiêu chí khác nhau (so-sanh-a / so-sanh-b)" in out
    assert "Tiêu chí chỉ có ở 2020:\n  - 2.2: Lưu trữ hồ sơ" in out
    assert "Tiêu chí chỉ có ở 2021:\n  - 2.3: Khảo sát hài lòng" in out


def test_self_team_json_exactly_as_spec(cli: Callable[..., Run]) -> None:
    run = cli("compare", "--self-team", HERE / "self-team", *CRITERIA, "--format", "json")
    assert run.exit_code == 0, run.stderr
    out = run.json()
    assert list(out) == ["criteria", "agencies", "errors"]
    # by hand: see tests/scoring/test_compare.py
    assert out["criteria"] == [
        {"id": "2.1", "title": "Hồ sơ đúng hạn", "agencies_above": 2, "mean_gap": 5.33},
        {"id": "1.1", "title": "Ban chỉ đạo", "agencies_above": 2, "mean_gap": 2},
        {"id": "D", "title": "Điểm trừ", "agencies_above": 1, "mean_gap": 2},
        {"id": "1.2", "title": "Kế hoạch", "agencies_above": 1, "mean_gap": 0.5},
    ]
    assert out["agencies"] == [
        {"code": "S3", "name": "Sở S3", "gap": 26},
        {"code": "S1", "name": "Sở S1", "gap": 22},
        {"code": "S2", "name": "Sở S2", "gap": 0},
    ]
    assert out["errors"] == []


def test_self_team_table_and_csv(cli: Callable[..., Run]) -> None:
    table = cli("compare", "--self-team", HERE / "self-team", *CRITERIA).stdout
    assert "Tiêu chí tự chấm cao hơn thẩm định" in table and "+5,33" in table and "+26,00" in table
    rows = list(
        csv.DictReader(
            io.StringIO(cli("compare", "--self-team", HERE / "self-team", *CRITERIA, "--format", "csv").stdout)
        )
    )
    assert [(r["section"], r["id"], r["mean_gap"], r["gap"]) for r in rows][:2] == [
        ("criterion", "2.1", "5.33", ""),
        ("criterion", "1.1", "2", ""),
    ]
    assert [(r["id"], r["gap"]) for r in rows if r["section"] == "agency"] == [("S3", "26"), ("S1", "22"), ("S2", "0")]


def test_self_team_html(cli: Callable[..., Run], tmp_path: Path) -> None:
    page = tmp_path / "tu-cham.html"
    run = cli("compare", "--self-team", HERE / "self-team", *CRITERIA, "--html", page)
    assert run.exit_code == 0, run.stderr
    text = page.read_text(encoding="utf-8")
    # four criteria (2.1, 1.1, D, 1.2) and three agencies, each a bar
    assert text.count('<rect class="bar') == 4 + 3
    assert "2.1. Hồ sơ đúng hạn: +5,33" in text and "Sở S3 (S3): +26,00" in text


def test_bad_file_on_one_side_is_reported_and_exit_1(cli: Callable[..., Run], tmp_path: Path) -> None:
    bad = tmp_path / "new"
    bad.mkdir()
    (bad / "a2.yaml").write_text((HERE / "y2021" / "a2.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (bad / "x.yaml").write_text(
        'agency: {code: X, name: X, level: tinh}\ncriteria: so-sanh-a\nperiod: "2021"\nscores:\n  "1.1": 11\n',
        encoding="utf-8",
    )
    run = cli("compare", HERE / "y2020", bad, *CRITERIA, "--format", "json")
    assert run.exit_code == 1
    out = run.json()
    assert [a["code"] for a in out["agencies"]] == ["A2"]  # the valid file is still compared
    [error] = out["errors"]
    assert error["file"].endswith("x.yaml") and error["line"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", str(HERE / "y2020")], "cần đúng hai đường dẫn OLD NEW"),
        (["compare"], "cần đúng hai đường dẫn OLD NEW"),
        (["compare", str(HERE / "y2020"), str(HERE / "khong-co")], "không tìm thấy đường dẫn"),
        (["compare", "--self-team"], "`--self-team` cần ít nhất một đường dẫn"),
        (["compare", "--self-team", str(HERE / "self-team"), "--xlsx", "a.xlsx"], "`--self-team` chưa ghi tệp Excel"),
        (["compare", str(HERE / "y2020"), str(HERE / "y2021"), "--html", "a.pdf"], "phải có đuôi .html hoặc .htm"),
        (["compare", str(HERE / "y2020"), str(HERE / "y2021"), "--xlsx", "a.csv"], "phải có đuôi .xlsx"),
    ],
)
def test_usage_errors_exit_2(cli: Callable[..., Run], args: list[str], message: str) -> None:
    run = cli(*args)
    assert run.exit_code == 2
    assert message in run.stderr


def test_output_never_overwrites_an_input(cli: Callable[..., Run], tmp_path: Path) -> None:
    """`compare nop-2020.xlsx nop-2021.xlsx --xlsx nop-2020.xlsx` would replace a filled form."""
    old = tmp_path / "nop-2020.xlsx"
    old.write_bytes(b"not read: the usage error comes first")
    before = old.read_bytes()
    run = cli("compare", old, HERE / "y2021" / "a2.yaml", *CRITERIA, "--xlsx", old)
    assert run.exit_code == 2 and "là tệp đầu vào" in run.stderr
    assert old.read_bytes() == before


def test_a_run_with_no_valid_result_keeps_the_old_page(cli: Callable[..., Run], tmp_path: Path) -> None:
    page, book = tmp_path / "so-sanh.html", tmp_path / "so-sanh.xlsx"
    page.write_text("trang cũ", encoding="utf-8")
    book.write_bytes(b"bang cu")
    empty, other = tmp_path / "trong", tmp_path / "cung-trong"
    empty.mkdir()
    other.mkdir()
    run = cli("compare", empty, other, *CRITERIA, "--html", page, "--xlsx", book)
    assert run.exit_code == 1
    assert page.read_text(encoding="utf-8") == "trang cũ" and book.read_bytes() == b"bang cu"
    assert "tệp cũ được giữ nguyên" in run.stderr


def test_score_html_never_overwrites_an_input(cli: Callable[..., Run], tmp_path: Path) -> None:
    data = tmp_path / "a2.html"  # an assessment under an odd name, named explicitly
    data.write_text((HERE / "y2020" / "a2.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = data.read_bytes()
    run = cli("score", data, *CRITERIA, "--html", data)
    assert run.exit_code == 2 and "chính là tệp đầu vào" in run.stderr
    assert data.read_bytes() == before


def test_html_and_xlsx_are_written(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = years(cli, "--html", str(tmp_path / "so-sanh.html"), "--xlsx", str(tmp_path / "so-sanh.xlsx"))
    assert run.exit_code == 0, run.stderr
    assert (tmp_path / "so-sanh.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "so-sanh.xlsx").stat().st_size > 0
    assert "Đã ghi" in run.stderr


def test_score_html(cli: Callable[..., Run], tmp_path: Path) -> None:
    page = tmp_path / "ket-qua.html"
    run = cli("score", HERE / "y2020", *CRITERIA, "--html", page)
    assert run.exit_code == 0, run.stderr
    assert page.read_text(encoding="utf-8").count('<rect class="bar') == 5
    run = cli("score", HERE / "y2020", *CRITERIA, "--html", tmp_path / "ket-qua.txt")
    assert run.exit_code == 2


def test_bac_giang_example_runs_out_of_the_box(cli: Callable[..., Run]) -> None:
    """The command the README gives: 2020 against 2021, one agency renamed, one new, one gone."""
    run = cli("compare", BG2020, BG2021, "--format", "json")
    assert run.exit_code == 0, run.stderr
    out = run.json()
    assert len(out["agencies"]) == 11
    assert [r["code"] for r in out["only_old"]] == ["XA-TIENHUNG"]
    assert [r["code"] for r in out["only_new"]] == ["SNGV"]
    vp = next(a for a in out["agencies"] if a["code"] == "VPUBND")
    assert vp["name"] == "Văn phòng Ủy ban nhân dân tỉnh"
    skhdt = next(a for a in out["agencies"] if a["code"] == "SKHDT")
    # 2020: 81,82 (90/110 → 81,818…); 2021 the team agreed on 1.3, 4.2, 4.4, 4.6, 5.2 and 2.3, 3.4 rose
    assert (skhdt["old"]["total"], skhdt["old"]["rank"], skhdt["new"]["rank"]) == (81.82, 5, 4)
    assert out["errors"] == []


def test_help_does_not_import_heavy_libraries() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from isoprov.cli import app\n"
        "try:\n    app(['compare', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'jinja2')"
        " or m.startswith(('isoprov.pages', 'isoprov.excel'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_same_folder_twice_is_a_usage_error(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "lien-ket").symlink_to(HERE / "y2020")
    for other in (HERE / "y2020", tmp_path / "lien-ket"):
        run = cli("compare", HERE / "y2020", other, *CRITERIA, "--format", "json")
        assert run.exit_code == 2
        assert "cùng một" in run.stderr and run.stdout == ""


def test_a_side_with_no_assessments_is_warned(cli: Callable[..., Run], tmp_path: Path) -> None:
    empty = tmp_path / "trong"
    empty.mkdir()
    run = cli("compare", HERE / "y2020", empty, *CRITERIA)
    assert run.exit_code == 0  # a warning: the old side is still listed
    assert f"{empty}: cảnh báo (nothing-found): không có bản tự đánh giá (.yaml, .xlsx) nào ở đây" in run.stderr


def test_a_penalty_change_is_said_to_be_its_effect_on_the_total(cli: Callable[..., Run]) -> None:
    """Yên Thế's penalty D went 2 → 0: +2 points for the total, said under the table."""
    run = cli("compare", BG2020, BG2021, "--detail")
    row = next(line for line in run.stdout.splitlines() if "│ D " in line and "Điểm trừ" in line)
    assert [cell.strip() for cell in row.split("│")[3:6]] == ["2", "0", "+2,00"]
    assert "Với điểm trừ, thay đổi là phần cộng vào tổng điểm: bớt điểm trừ là tăng." in run.stdout
