"""`isoprov score` end to end: every error of SPEC §2–3 is its own file, reported with its line
and a Vietnamese message, exit 1, while the valid files in the same run are still scored."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests import DATA, ROOT
from tests.conftest import Run

VALID = ["valid-skhcn.yaml", "valid-snv.yaml", "valid-stc.yaml", "valid-xa.yaml"]


@pytest.fixture
def score_json(cli: Callable[..., Run], data: Path) -> Callable[..., tuple[Run, Any]]:
    def run(*paths: Path | str, extra: tuple[str, ...] = ()) -> tuple[Run, Any]:
        result = cli("score", *paths, "--criteria", data / "criteria" / "valid.yaml", "--format", "json", *extra)
        return result, result.json()

    return run


def test_valid_files_score_rank_and_band(score_json: Callable[..., tuple[Run, Any]], data: Path) -> None:
    run, out = score_json(*(data / "assessment" / f for f in VALID))
    assert run.exit_code == 0, run.stderr
    assert out["errors"] == [] and out["missing"] == []
    by_code = {r["agency"]["code"]: r for r in out["results"]}
    # by hand: SNV 18/20×100 − 2 = 88; STC 17.6/20×100 = 88 (a tie); SKHCN 11/14×100 + 1 = 79.57
    assert (by_code["SNV"]["total"], by_code["SNV"]["rank"]) == (88, 1)
    assert (by_code["STC"]["total"], by_code["STC"]["rank"]) == (88, 1)
    assert (by_code["SKHCN"]["total"], by_code["SKHCN"]["rank"]) == (79.57, 3)
    assert by_code["SKHCN"]["self_total"] == 93.86
    assert by_code["XA-TIENHUNG"]["rank"] == 1  # ranked among its own level
    assert by_code["XA-TIENHUNG"]["band"] == "Tốt"
    assert by_code["SNV"]["band"] == "Khá"


def test_json_matches_the_spec_key_for_key(score_json: Callable[..., tuple[Run, Any]], data: Path) -> None:
    _, out = score_json(data / "assessment" / "valid-skhcn.yaml", data / "assessment" / "empty.yaml")
    assert list(out) == ["results", "errors", "missing"]
    result = out["results"][0]
    assert list(result) == [
        "file",
        "agency",
        "criteria",
        "period",
        "self_total",
        "total",
        "band",
        "band_missed",  # SPEC §3b: every result, [] when no band was missed
        "rank",
        "groups",
        "warnings",
    ]
    assert result["band_missed"] == []
    assert list(result["agency"]) == ["code", "name", "level"]
    assert result["groups"] == [{"id": "1", "earned": 2, "possible": 4}, {"id": "2", "earned": 9, "possible": 10}]
    assert list(out["errors"][0]) == ["file", "line", "column", "message"]


def test_json_numbers_are_exact_decimals(cli: Callable[..., Run], data: Path) -> None:
    import json

    run = cli(
        "score",
        data / "assessment" / "valid-skhcn.yaml",
        "--criteria",
        data / "criteria" / "valid.yaml",
        "--format",
        "json",
    )
    parsed = json.loads(run.stdout, parse_float=Decimal)
    assert parsed["results"][0]["total"] == Decimal("79.57")
    assert '"total": 79.57' in run.stdout


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("not-utf8.yaml", 1, "không phải UTF-8"),
        ("empty.yaml", 1, "tệp rỗng"),
        ("only-comment.yaml", 1, "tệp rỗng"),
        ("top-level-list.yaml", 1, "không phải danh sách"),
        ("syntax.yaml", 6, "cú pháp YAML"),
        ("unknown-key.yaml", 5, "khóa `sefl` không được phép ở đây; có phải ý bạn là `self`?"),
        ("unknown-top-key.yaml", 3, "khóa `periode` không được phép"),
        ("unknown-criterion.yaml", 6, "mã tiêu chí `9.9` không có trong bộ tiêu chí"),
        ("group-scored.yaml", 5, "`1` là nhóm tiêu chí"),
        ("out-of-range.yaml", 6, "điểm 11 nằm ngoài khoảng cho phép 0..10"),
        ("team-out-of-range.yaml", 5, "điểm -1 nằm ngoài khoảng cho phép 0..10"),
        ("not-option.yaml", 5, "điểm 3 không phải một mức của tiêu chí `1.1`; các mức cho phép: 4, 2, 0"),
        ("points-text.yaml", 5, "điểm phải là một số"),
        ("na-not-allowed.yaml", 5, "không cho phép khai báo không áp dụng"),
        ("na-no-reason.yaml", 5, "phải ghi lý do không áp dụng"),
        ("na-empty.yaml", 6, "phải ghi lý do không áp dụng"),
        ("unknown-level.yaml", 1, "cấp `thanhpho` không có trong bộ tiêu chí"),
        ("unknown-criteria-set.yaml", 2, "bộ tiêu chí `khong-ton-tai` không tìm thấy"),
        ("zz-duplicate-agency.yaml", 1, "cơ quan `SKHCN` đã có bản tự đánh giá kỳ 2020"),
        ("duplicate-key.yaml", 7, "khóa `1.1` xuất hiện hai lần (lần đầu ở dòng 5)"),
        ("alias-bomb.yaml", 1, "mở rộng quá lớn"),
        ("python-tag.yaml", 1, "không được phép"),
        ("huge-number.yaml", 6, "số quá lớn"),
    ],
)
def test_each_bad_assessment_fails_alone(
    score_json: Callable[..., tuple[Run, Any]], data: Path, name: str, line: int, fragment: str
) -> None:
    folder = data / "assessment"
    run, out = score_json(*(folder / f for f in VALID), folder / name)
    assert run.exit_code == 1
    errors = [e for e in out["errors"] if e["file"].endswith(name)]
    assert errors, out["errors"]
    assert any(fragment in e["message"] and e["line"] == line for e in errors), errors
    assert all(e["column"] is None or e["column"] >= 1 for e in errors)
    # the valid files of the same run are still scored
    assert {r["agency"]["code"] for r in out["results"]} == {"SKHCN", "SNV", "STC", "XA-TIENHUNG"}
    assert "Traceback" not in run.stderr
    assert name in run.stderr  # also reported for people, on stderr


def test_duplicate_agency_keeps_the_first_file_in_path_order(
    score_json: Callable[..., tuple[Run, Any]], data: Path
) -> None:
    _, out = score_json(data / "assessment" / "valid-skhcn.yaml", data / "assessment" / "zz-duplicate-agency.yaml")
    [kept] = out["results"]
    assert kept["file"].endswith("valid-skhcn.yaml")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("missing-entry.yaml", "chưa được chấm"),
        ("no-evidence.yaml", "tài liệu kiểm chứng"),
        ("wrong-level-leaf.yaml", "không áp dụng cho cấp `xa`"),
    ],
)
def test_warnings_do_not_fail_the_run(
    score_json: Callable[..., tuple[Run, Any]], data: Path, name: str, code: str
) -> None:
    run, out = score_json(data / "assessment-warn" / name)
    assert run.exit_code == 0
    [result] = out["results"]
    assert any(code in w for w in result["warnings"]), result["warnings"]
    assert all(w.startswith("dòng ") for w in result["warnings"])


def test_strict_turns_missing_entries_into_errors(score_json: Callable[..., tuple[Run, Any]], data: Path) -> None:
    run, out = score_json(data / "assessment-warn" / "missing-entry.yaml", extra=("--strict",))
    assert run.exit_code == 1
    assert out["results"] == []
    assert "chưa được chấm" in out["errors"][0]["message"]


def test_wrong_level_leaf_is_ignored(score_json: Callable[..., tuple[Run, Any]], data: Path) -> None:
    _, out = score_json(data / "assessment-warn" / "wrong-level-leaf.yaml")
    assert out["results"][0]["total"] == 100  # 2.1 (tinh, huyen only) is not counted for xa


def test_missing_path_is_a_usage_error(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("score", tmp_path / "khong-co.yaml")
    assert run.exit_code == 2
    assert "không tìm thấy" in run.stderr


def test_folders_are_searched_and_other_kinds_skipped(cli: Callable[..., Run], data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "nop"
    (folder / "sub").mkdir(parents=True)
    for name in VALID[:2]:
        (folder / "sub" / name).write_bytes((data / "assessment" / name).read_bytes())
    (folder / "du-toan.yaml").write_text("title: Dự toán\nitems: []\n", encoding="utf-8")
    (folder / "bo-tieu-chi.yaml").write_bytes((data / "criteria" / "valid.yaml").read_bytes())
    run = cli("score", folder, "--criteria", folder / "bo-tieu-chi.yaml", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert len(run.json()["results"]) == 2


def test_registry_lists_agencies_that_did_not_submit(
    score_json: Callable[..., tuple[Run, Any]], data: Path, tmp_path: Path
) -> None:
    registry = tmp_path / "co-quan.yaml"
    registry.write_text(
        "period: '2020'\nagencies:\n  - {code: SKHCN, name: Sở Khoa học và Công nghệ, level: tinh}\n"
        "  - {code: SNGV, name: Sở Ngoại vụ, level: tinh}\n",
        encoding="utf-8",
    )
    run, out = score_json(data / "assessment" / "valid-skhcn.yaml", extra=("--agencies", str(registry)))
    assert run.exit_code == 0
    assert out["missing"] == [{"code": "SNGV", "name": "Sở Ngoại vụ"}]


def test_table_output_is_grouped_by_level_in_vietnamese(cli: Callable[..., Run], data: Path) -> None:
    run = cli("score", *(data / "assessment" / f for f in VALID), "--criteria", data / "criteria" / "valid.yaml")
    assert run.exit_code == 0
    assert "Cấp tỉnh" in run.stdout and "Cấp xã" in run.stdout
    assert "79,57" in run.stdout and "93,86" in run.stdout and "-14,29" in run.stdout
    assert run.stdout.index("Cấp tỉnh") < run.stdout.index("Cấp xã")


def test_detail_adds_per_criterion_rows(cli: Callable[..., Run], data: Path) -> None:
    run = cli(
        "score", data / "assessment" / "valid-skhcn.yaml", "--criteria", data / "criteria" / "valid.yaml", "--detail"
    )
    assert "Chi tiết" in run.stdout and "Quyết định thành lập Ban chỉ đạo ISO" in run.stdout
    assert "Không áp dụng" in run.stdout


def test_csv_summary_and_detail(cli: Callable[..., Run], data: Path) -> None:
    args = (
        "score",
        *(data / "assessment" / f for f in VALID),
        "--criteria",
        data / "criteria" / "valid.yaml",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(cli(*args).stdout)))
    assert {r["agency_code"]: r["total"] for r in rows}["SKHCN"] == "79.57"
    detail = list(csv.DictReader(io.StringIO(cli(*args, "--detail").stdout)))
    assert len(detail) == 4 * 6
    assert {(r["agency_code"], r["criterion"]): r["final"] for r in detail}[("SNV", "2.1")] == "8"


def test_invalid_criteria_set_is_reported_and_blocks_its_assessments(
    cli: Callable[..., Run], data: Path, tmp_path: Path
) -> None:
    assessment = tmp_path / "a.yaml"
    assessment.write_text(
        "agency: {code: X, name: Cơ quan X, level: tinh}\ncriteria: sai-tong\nperiod: '2020'\nscores: {'1.1': 5}\n",
        encoding="utf-8",
    )
    run = cli("score", assessment, "--criteria", data / "criteria" / "group-max.yaml", "--format", "json")
    assert run.exit_code == 1
    messages = [e["message"] for e in run.json()["errors"]]
    assert any("khai báo max = 12" in m for m in messages)
    assert any("có lỗi" in m for m in messages)


def test_nothing_applicable_is_warned_and_leaves_bonus_minus_penalty(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "bo.yaml").write_text(
        "id: het-ap-dung\ntitle: Thử\nscale: 100\nlevels: [tinh, xa]\nbands:\n  - {label: Đạt, min: 50}\n"
        "  - {label: Chưa đạt, min: 0}\ncriteria:\n  - {id: '1', title: A, max: 10, na: true}\n"
        "  - {id: '2', title: B, max: 5, levels: [xa]}\n  - {id: T, title: Thưởng, kind: bonus, max: 5}\n"
        "  - {id: D, title: Trừ, kind: penalty, max: 10}\n",
        encoding="utf-8",
    )
    (tmp_path / "a.yaml").write_text(
        "agency: {code: A, name: Cơ quan A, level: tinh}\ncriteria: het-ap-dung\nperiod: '2020'\n"
        "scores:\n  '1': {na: Không có}\n  T: {self: 5, team: 4}\n  D: 1\n",
        encoding="utf-8",
    )
    run = cli("score", tmp_path / "a.yaml", "--criteria", tmp_path / "bo.yaml", "--format", "json")
    assert run.exit_code == 0, run.stderr
    [result] = run.json()["results"]
    assert (result["total"], result["self_total"]) == (3, 4)
    assert any("không còn tiêu chí nào" in w for w in result["warnings"]), result["warnings"]


NESTED = DATA / "criteria" / "nested-groups.yaml"


def _assessment(folder: Path, name: str, code: str, level: str, scores: str, period: str = "2020") -> Path:
    path = folder / name
    path.write_text(
        f"agency: {{code: {code}, name: Cơ quan {code}, level: {level}}}\ncriteria: nhom-long-nhau\n"
        f"period: '{period}'\nscores:\n{scores}",
        encoding="utf-8",
    )
    return path


def test_a_group_for_one_level_is_left_out_for_the_others(cli: Callable[..., Run], tmp_path: Path) -> None:
    scores = "  '1.1.1': 1\n  '1.1.2': 2\n  '1.2': 3\n  '2.1': 4\n"
    _assessment(tmp_path, "tinh.yaml", "T1", "tinh", scores)
    _assessment(tmp_path, "xa.yaml", "X1", "xa", scores)
    run = cli("score", tmp_path, "--criteria", NESTED, "--format", "json")
    assert run.exit_code == 0, run.stderr
    by_code = {r["agency"]["code"]: r for r in run.json()["results"]}
    assert by_code["T1"]["total"] == 100  # 2.1 is for xã only: ignored, with a warning
    assert any("không áp dụng cho cấp `tinh`" in w for w in by_code["T1"]["warnings"])
    assert by_code["X1"]["groups"] == [{"id": "1", "earned": 6, "possible": 6}, {"id": "2", "earned": 4, "possible": 4}]
    assert any("tài liệu kiểm chứng" in w for w in by_code["X1"]["warnings"])  # evidence: true from the group


def test_blank_evidence_is_no_evidence(cli: Callable[..., Run], tmp_path: Path) -> None:
    scores = "  '1.1.1': 1\n  '1.1.2': 2\n  '1.2': 3\n  '2.1': {self: 4, evidence: ['  ']}\n"
    _assessment(tmp_path, "xa.yaml", "X1", "xa", scores)
    run = cli("score", tmp_path, "--criteria", NESTED, "--format", "json")
    [result] = run.json()["results"]
    assert any("tài liệu kiểm chứng" in w for w in result["warnings"]), result["warnings"]


def test_registry_counts_only_its_own_period(cli: Callable[..., Run], tmp_path: Path) -> None:
    scores = "  '1.1.1': 1\n  '1.1.2': 2\n  '1.2': 3\n"
    folder = tmp_path / "nop"
    folder.mkdir()
    _assessment(folder, "a.yaml", "T1", "tinh", scores)
    _assessment(folder, "b.yaml", "T2", "tinh", scores, period="2021")
    registry = tmp_path / "co-quan.yaml"
    registry.write_text(
        "period: '2020'\ncriteria: nhom-long-nhau\nagencies:\n  - {code: T1, name: Một}\n  - {code: T2, name: Hai}\n",
        encoding="utf-8",
    )
    run = cli("score", folder, "--criteria", NESTED, "--agencies", registry, "--format", "json")
    assert run.json()["missing"] == [{"code": "T2", "name": "Hai"}]  # T2 submitted for 2021, not 2020


def test_a_broken_set_is_reported_also_when_files_are_scored_in_parallel(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import isoprov.pipeline.score

    monkeypatch.setattr(isoprov.pipeline.score, "PARALLEL_THRESHOLD", 2)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "criteria").mkdir()
    broken = NESTED.read_text("utf-8").replace("{label: Chưa đạt, min: 0}", "{label: Chưa đạt, min: 5}")
    (tmp_path / "criteria" / "bo.yaml").write_text(broken, encoding="utf-8")
    for k in range(6):
        _assessment(tmp_path, f"a{k}.yaml", f"T{k}", "tinh", "  '1.2': 3\n")
    run = cli("score", ".", "--format", "json")
    assert run.exit_code == 1
    errors = run.json()["errors"]
    assert [e["file"] for e in errors].count("criteria/bo.yaml") == 1
    assert sum("có lỗi" in e["message"] for e in errors) == 6


def test_a_criteria_folder_may_hold_other_files(cli: Callable[..., Run], tmp_path: Path, data: Path) -> None:
    folder = tmp_path / "viec"
    folder.mkdir()
    (folder / "bo.yaml").write_text(NESTED.read_text("utf-8"), encoding="utf-8")
    (folder / "du-toan.yaml").write_text("title: Dự toán\nitems:\n  - {name: A, amount: 5}\n", encoding="utf-8")
    (folder / "ghi-chu.yml").write_text("# chỉ có ghi chú\n", encoding="utf-8")
    a = _assessment(folder, "a.yaml", "T1", "tinh", "  '1.1.1': 1\n  '1.1.2': 2\n  '1.2': 3\n")
    run = cli("score", a, "--criteria", folder, "--format", "json")
    assert run.exit_code == 0, run.stdout
    assert run.json()["results"][0]["total"] == 100


def test_the_same_set_id_twice_is_an_error_and_the_first_file_is_used(cli: Callable[..., Run], tmp_path: Path) -> None:
    folder = tmp_path / "bo"
    folder.mkdir()
    (folder / "a.yaml").write_text(NESTED.read_text("utf-8"), encoding="utf-8")
    (folder / "b.yaml").write_text(NESTED.read_text("utf-8").replace("scale: 100", "scale: 10"), encoding="utf-8")
    a = _assessment(tmp_path, "a.yaml", "T1", "tinh", "  '1.1.1': 1\n  '1.1.2': 2\n  '1.2': 3\n")
    run = cli("score", a, "--criteria", folder, "--format", "json")
    assert run.exit_code == 1
    [error] = run.json()["errors"]
    assert error["file"].endswith("b.yaml") and "đã có ở tệp" in error["message"]
    assert run.json()["results"][0]["total"] == 100


def test_an_unquoted_numeric_set_id_is_found_in_the_criteria_folder(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "criteria").mkdir()
    text = NESTED.read_text("utf-8").replace("id: nhom-long-nhau", "id: 2021")
    (tmp_path / "criteria" / "bo.yaml").write_text(text, encoding="utf-8")
    a = _assessment(tmp_path, "a.yaml", "T1", "tinh", "  '1.2': 3\n")
    a.write_text(a.read_text("utf-8").replace("criteria: nhom-long-nhau", "criteria: 2021"), encoding="utf-8")
    run = cli("score", "a.yaml", "--format", "json")
    assert run.json()["results"][0]["criteria"] == "2021", run.stdout


@pytest.mark.parametrize(("value", "total"), [("'4'", 100), ("' 2 '", 80)])
def test_a_quoted_number_is_the_same_points(cli: Callable[..., Run], tmp_path: Path, value: str, total: int) -> None:
    _assessment(
        tmp_path,
        "a.yaml",
        "X1",
        "xa",
        f"  '1.1.1': 1\n  '1.1.2': 2\n  '1.2': 3\n  '2.1': {{self: {value}, evidence: [QĐ 1]}}\n",
    )
    _assessment(tmp_path, "b.yaml", "X2", "xa", f"  '1.1.1': 1\n  '1.1.2': 2\n  '1.2': 3\n  '2.1': {value}\n")
    run = cli("score", tmp_path, "--criteria", NESTED, "--format", "json")
    totals = [r["total"] for r in run.json()["results"]]
    assert totals == [total, total], run.stdout


def test_true_as_points_says_points_are_numbers(cli: Callable[..., Run], tmp_path: Path) -> None:
    _assessment(tmp_path, "a.yaml", "X1", "xa", "  '1.2': true\n")
    run = cli("score", tmp_path, "--criteria", NESTED, "--format", "json")
    [error] = run.json()["errors"]
    assert "điểm phải là một số" in error["message"] and "`true`" in error["message"]


def test_csv_lists_missing_agencies_and_warnings(cli: Callable[..., Run]) -> None:
    example = ROOT / "examples" / "bac-giang-2020"
    run = cli("score", example, "--agencies", example / "co-quan.yaml", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    missing = [r for r in rows if r["status"] == "missing"]
    assert [(r["agency_code"], r["agency_name"], r["total"]) for r in missing] == [("SNGV", "Sở Ngoại vụ", "")]
    assert any("chưa được chấm" in r["warnings"] for r in rows if r["status"] == "scored")


def test_csv_text_never_becomes_a_formula(cli: Callable[..., Run], tmp_path: Path) -> None:
    for k, name in enumerate(['=HYPERLINK("http://x","y")', "+1+cmd", "-2+3", "@SUM(A1)", "Sở Nội vụ"]):
        path = _assessment(tmp_path, f"a{k}.yaml", f"T{k}", "tinh", "  '1.1.1': 1\n  '1.1.2': 2\n  '1.2': 3\n")
        path.write_text(path.read_text("utf-8").replace(f"Cơ quan T{k}", name.replace('"', '\\"')), encoding="utf-8")
        path.write_text(
            path.read_text("utf-8").replace("name: ", 'name: "', 1).replace(", level", '", level', 1), "utf-8"
        )
    run = cli("score", tmp_path, "--criteria", NESTED, "--format", "csv")
    assert run.exit_code == 0, run.stderr
    names = [r["agency_name"] for r in csv.DictReader(io.StringIO(run.stdout))]
    assert sorted(names) == sorted(['\'=HYPERLINK("http://x","y")', "'+1+cmd", "'-2+3", "'@SUM(A1)", "Sở Nội vụ"])
    differences = [r["difference"] for r in csv.DictReader(io.StringIO(run.stdout))]
    assert all(not d.startswith("'") for d in differences)  # numbers stay numbers


def test_every_error_of_a_file_is_reported_not_only_the_first(
    score_json: Callable[..., tuple[Run, Any]], data: Path
) -> None:
    # a typo in one entry must not hide the out-of-range points and the unknown id of the others
    run, out = score_json(data / "assessment" / "several-errors.yaml")
    assert run.exit_code == 1 and out["results"] == []
    found = {(e["line"], e["message"].split(":")[0]) for e in out["errors"]}
    assert found == {(5, 'scores."1.1".sefl'), (6, 'scores."1.2"'), (7, 'scores."2.1"'), (8, 'scores."9.9"')}, out
    assert not any("chưa được chấm" in e["message"] for e in out["errors"])


def test_a_huge_scale_is_an_error_not_a_traceback(cli: Callable[..., Run], data: Path) -> None:
    run = cli(
        "score",
        data / "assessment" / "valid-skhcn.yaml",
        "--criteria",
        data / "criteria" / "huge-scale.yaml",
        "--format",
        "json",
    )
    assert run.exit_code == 1
    assert any("scale: số quá lớn" in e["message"] and e["line"] == 4 for e in run.json()["errors"])


def test_a_total_is_rounded_half_up_from_the_exact_value(cli: Callable[..., Run], tmp_path: Path) -> None:
    # 2.5 / 12 × 3 = 0.625 exactly: half-up gives 0.63 (a quotient rounded to 28 digits first gave 0.62)
    (tmp_path / "bo.yaml").write_text(
        "id: thang-3\ntitle: Thang 3\nscale: 3\nlevels: [xa]\nbands: [{label: Đạt, min: 0}]\n"
        "criteria:\n  - {id: '1', title: A, max: 12}\n",
        encoding="utf-8",
    )
    (tmp_path / "a.yaml").write_text(
        "agency: {code: X, name: Xã X, level: xa}\ncriteria: thang-3\nperiod: '2021'\nscores: {'1': 2.5}\n",
        encoding="utf-8",
    )
    run = cli("score", tmp_path / "a.yaml", "--criteria", tmp_path / "bo.yaml", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert '"total": 0.63' in run.stdout


def test_brackets_in_names_are_printed_as_written_never_as_markup(cli: Callable[..., Run], tmp_path: Path) -> None:
    path = _assessment(tmp_path, "a.yaml", "T1", "tinh", "  '1.1.1': 1\n  '1.1.2': 2\n  '1.2': 3\n")
    path.write_text(path.read_text("utf-8").replace("Cơ quan T1", '"Sở [bold]Nội vụ[/] [/]"'), "utf-8")
    run = cli("score", path, "--criteria", NESTED, "--detail")
    assert run.exit_code == 0, run.stderr
    assert "Sở [bold]Nội vụ[/] [/] (T1)" in run.stdout


def test_old_copies_in_a_hidden_folder_are_not_read(cli: Callable[..., Run], tmp_path: Path) -> None:
    # an editor's local history (.history/) sorts first: its old copy must not push out the real file
    (tmp_path / ".history").mkdir()
    _assessment(tmp_path / ".history", "a_20200101.yaml", "T1", "tinh", "  '1.2': 0\n")
    _assessment(tmp_path, "a.yaml", "T1", "tinh", "  '1.1.1': 1\n  '1.1.2': 2\n  '1.2': 3\n")
    run = cli("score", tmp_path, "--criteria", NESTED, "--format", "json")
    assert run.exit_code == 0, run.stdout
    [result] = run.json()["results"]
    assert result["file"].endswith("a.yaml") and result["total"] == 100


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("- agency: {code: T1}\n", "không phải danh sách"),
        ("agnecy: {code: T1, name: A, level: tinh}\ncriteria: nhom-long-nhau\nperiod: '2020'\n", "khóa `agnecy`"),
    ],
)
def test_a_file_in_a_folder_is_never_passed_over_in_silence(
    cli: Callable[..., Run], tmp_path: Path, text: str, fragment: str
) -> None:
    _assessment(tmp_path, "a.yaml", "T1", "tinh", "  '1.1.1': 1\n  '1.1.2': 2\n  '1.2': 3\n")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    run = cli("score", tmp_path, "--criteria", NESTED, "--format", "json")
    assert run.exit_code == 1
    assert any(e["file"].endswith("b.yaml") and fragment in e["message"] for e in run.json()["errors"]), run.stdout


def test_a_criteria_file_named_twice_is_reported_once(cli: Callable[..., Run], data: Path) -> None:
    bad = data / "criteria" / "group-max.yaml"
    run = cli("score", data / "assessment" / "valid-skhcn.yaml", "--criteria", bad, "--criteria", bad.parent)
    assert run.exit_code == 1
    assert run.stderr.count("khai báo max = 12") == 1, run.stderr


def test_warnings_of_a_form_name_their_cell_without_a_line_prefix(cli: Callable[..., Run], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    form = tmp_path / "bieu-mau.xlsx"
    assert cli("form", "mau-cap-tinh-huyen-xa", "-o", form).exit_code == 0
    wb = load_workbook(form)
    ws = wb["Tự đánh giá"]
    labels = {ws.cell(r, 1).value: r for r in range(1, 10)}
    agency = (("Mã cơ quan", "SKHCN"), ("Tên cơ quan", "Sở KH&CN"), ("Cấp", "tinh"), ("Kỳ đánh giá", "2024"))
    for label, value in agency:
        ws.cell(labels[label], 2).value = value
    wb.save(form)
    run = cli("score", form, "--format", "json")
    (result,) = json.loads(run.stdout)["results"]
    # the cell's row is the line: no "dòng 13: ô Tự đánh giá!E13: …" (YAML warnings keep "dòng N:")
    assert result["warnings"] and all(w.startswith("ô Tự đánh giá!E") for w in result["warnings"]), result["warnings"]


def test_a_file_reached_twice_is_scored_once(score_json: Callable[..., tuple[Run, Any]], data: Path) -> None:
    folder = data / "assessment-warn"
    one = sorted(folder.glob("*.yaml"))[0]
    run, out = score_json(folder, one)
    assert run.exit_code == 0 and out["errors"] == [], out["errors"]
    assert [r["file"] for r in out["results"]].count(str(one)) == 1


@pytest.mark.parametrize(
    ("relative", "kind", "hint"),
    [
        ("examples/bac-giang-2020/du-toan.yaml", "dự toán", "isoprov budget check"),
        ("examples/bac-giang-2020/co-quan.yaml", "danh sách cơ quan", "--agencies"),
        ("examples/bac-giang-2020/ke-hoach.yaml", "văn bản", "isoprov render"),
        ("criteria/mau-cap-tinh-huyen-xa.yaml", "bộ tiêu chí", "--criteria"),
    ],
)
def test_a_named_file_of_another_kind_is_one_clear_error(
    cli: Callable[..., Run], relative: str, kind: str, hint: str
) -> None:
    path = ROOT / relative
    run = cli("score", path, "--format", "json")
    assert run.exit_code == 1
    (error,) = json.loads(run.stdout)["errors"]
    assert (error["line"], error["column"]) == (1, 1)
    assert f"tệp này là {kind}, không phải bản tự đánh giá" in error["message"] and hint in error["message"]


def test_a_set_not_found_names_the_criteria_folder_of_the_working_folder(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `isoprov init iso` then `isoprov score iso` from outside: ./criteria/ is not iso/criteria/
    assert cli("init", tmp_path / "iso").exit_code == 0
    monkeypatch.chdir(tmp_path)
    run = cli("score", "iso", "--format", "json")
    assert run.exit_code == 1
    errors = json.loads(run.stdout)["errors"]
    assert errors and all("`--criteria iso/criteria`" in e["message"] for e in errors), errors
    assert cli("score", "iso", "--criteria", "iso/criteria").exit_code == 0


def _terminal_stderr(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    from rich.console import Console

    from isoprov.commands import score as score_command

    out = io.StringIO()
    monkeypatch.setattr(score_command, "stderr", Console(file=out, force_terminal=True, width=80))
    return out


def test_a_small_batch_writes_nothing_to_a_terminal_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    from isoprov.commands import score as score_command

    out = _terminal_stderr(monkeypatch)
    with score_command._progress() as tick:
        assert tick is not None
        for i in range(3):
            tick(i, 3)
    assert out.getvalue() == ""  # not even the cursor codes of a live display


def test_a_large_batch_shows_a_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from isoprov.commands import score as score_command

    out = _terminal_stderr(monkeypatch)
    total = score_command.PROGRESS_THRESHOLD
    with score_command._progress() as tick:
        assert tick is not None
        for i in range(total):
            tick(i, total)
    assert "Đang chấm điểm" in out.getvalue()


def test_no_progress_bar_when_stderr_is_not_a_terminal(cli: Callable[..., Run], data: Path) -> None:
    run = cli("score", data / "assessment" / "valid-skhcn.yaml", "--criteria", data / "criteria" / "valid.yaml")
    assert run.exit_code == 0 and "Đang chấm điểm" not in run.stderr


def test_a_misspelt_scores_key_is_one_error_not_a_warning_per_leaf(cli: Callable[..., Run], tmp_path: Path) -> None:
    """`score:` for `scores:`: the file is refused for that key; it is not scored, so no leaf is
    reported unscored ("tính 0 điểm" would be false). An entry refused in a readable `scores`
    still leaves the other missing leaves reported."""
    misspelt = _assessment(tmp_path, "a.yaml", "T1", "tinh", "  '1.1.1': 1\n")
    misspelt.write_text(misspelt.read_text(encoding="utf-8").replace("scores:", "score:"), encoding="utf-8")
    run = cli("score", misspelt, "--criteria", NESTED, "--format", "json")
    assert run.exit_code == 1
    assert [e["message"][:40] for e in run.json()["errors"]] == ["score: khóa `score` không được phép ở đây"[:40]]
    assert "missing-entry" not in run.stderr and "chưa được chấm" not in run.stderr
    partly = _assessment(tmp_path, "b.yaml", "T2", "tinh", "  '1.1.1': 1\n  '1.1.2': {self: 2, sefl: 1}\n")
    run = cli("score", partly, "--criteria", NESTED)
    assert "khóa `sefl` không được phép" in run.stderr
    assert "tiêu chí `1.2`" in run.stderr and "chưa được chấm" in run.stderr  # the other leaves still said
    assert not any("`1.1.2`" in line and "chưa được chấm" in line for line in run.stderr.splitlines())


def test_line_100_and_emoji_codes_in_names_print_as_written(cli: Callable[..., Run], tmp_path: Path) -> None:
    """rich reads `:100:` as an emoji code: `a.yaml:100:5` once printed as `a.yaml💯5`."""
    padding = "".join(f"# dòng {k}\n" for k in range(94))
    path = tmp_path / "a.yaml"
    path.write_text(
        "agency: {code: T1, name: 'Sở :100: và :smile:', level: tinh}\ncriteria: nhom-long-nhau\n"
        f"period: '2020'\n{padding}scores:\n  '1.1.1': 1\n  '1.1.2': 9\n",
        encoding="utf-8",
    )
    run = cli("score", path, "--criteria", NESTED)
    assert f"{path}:100:" in run.stderr and "💯" not in run.stderr
    path.write_text(path.read_text(encoding="utf-8").replace("'1.1.2': 9", "'1.1.2': 2"), encoding="utf-8")
    run = cli("score", path, "--criteria", NESTED)
    assert "Sở :100: và :smile:" in run.stdout and "💯" not in run.stdout


def test_a_decimal_comma_split_by_yaml_in_braces_is_explained(cli: Callable[..., Run], tmp_path: Path) -> None:
    """`{self: 2,5, team: 2}`: YAML reads `self: 2` and a key `5`; the error says what was meant."""
    split = _assessment(
        tmp_path, "a.yaml", "T1", "tinh", "  '1.1.1': {self: 1,5, team: 1}\n  '1.1.2': {self: 2, 5: 1}\n"
    )
    run = cli("score", split, "--criteria", NESTED)
    lines = run.stderr.splitlines()
    hinted = [line for line in lines if "`1,5` là một số thập phân" in line]
    assert len(hinted) == 1 and 'scores."1.1.1"."5"' in hinted[0] and "hãy viết `1.5`" in hinted[0]
    plain = [line for line in lines if 'scores."1.1.2"."5"' in line]
    assert len(plain) == 1 and "số thập phân" not in plain[0]  # `2, 5`: a key of its own, no hint
