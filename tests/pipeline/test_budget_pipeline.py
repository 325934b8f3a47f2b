"""Tests for isoprov.pipeline.budget: one budget pipeline for `budget check`, `validate` and the
plan's budget appendix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from isoprov.budget.norms import NormLookup, NormSet
from isoprov.core.loading import load_yaml
from isoprov.pipeline.budget import check_file, validate_budget_document
from tests import DATA, ROOT
from tests.clirun import invoke

SEED = ROOT / "examples" / "bac-giang-2020" / "du-toan.yaml"
PLAN = ROOT / "examples" / "bac-giang-2020" / "ke-hoach.yaml"


def test_a_budget_file_gives_its_report_and_its_document() -> None:
    checked = check_file(SEED, NormLookup().for_budget(SEED))
    assert checked.problems == []
    assert checked.report is not None and checked.doc is not None
    assert checked.report.total_vnd == 126_000_000
    assert checked.doc.file == str(SEED)


def test_another_kind_of_file_is_one_error_when_named_and_skipped_in_a_folder() -> None:
    named = check_file(PLAN, NormSet())
    assert named.report is None
    (error,) = named.problems
    assert (error.line, error.column) == (1, 1) and "không phải dự toán" in error.message
    found = check_file(PLAN, NormSet(), explicit=False)
    assert found.report is None and found.problems == []


def test_input_errors_come_back_as_diagnostics_with_their_line() -> None:
    checked = check_file(DATA / "budget" / "unknown-key.yaml", NormSet())
    assert checked.report is None and checked.doc is not None
    assert checked.problems and all(d.line for d in checked.problems)


@pytest.mark.parametrize("name", ["amount-mismatch.yaml", "norm-exceeded.yaml", "total-mismatch.yaml"])
def test_validate_and_budget_check_report_the_same_findings(name: str) -> None:
    path = DATA / "budget" / name
    lookup = NormLookup()
    report = check_file(path, lookup.for_budget(path)).report
    assert report is not None
    validated = validate_budget_document(load_yaml(path))
    assert [(d.code, d.line) for d in validated] == [(f.code, f.line) for f in report.findings]
    result = invoke(["budget", "check", str(path), "--format", "json"])
    (budget,) = json.loads(result.stdout)["budgets"]
    assert [(f["code"], f["line"]) for f in budget["findings"]] == [(f.code, f.line) for f in report.findings]


def test_the_plans_appendix_refuses_a_file_that_is_not_a_budget(tmp_path: Path) -> None:
    plan = tmp_path / "ke-hoach.yaml"
    text = (DATA / "render" / "ke-hoach-du-toan-sai.yaml").read_text(encoding="utf-8")
    plan.write_text(text.replace("budget: du-toan-sai.yaml", "budget: khac.yaml"), encoding="utf-8")
    (tmp_path / "khac.yaml").write_text(text, encoding="utf-8")  # a plan, not a budget
    result = invoke(["render", "plan", str(plan), "-o", str(tmp_path / "out.md")])
    assert result.exit_code == 1
    assert "không phải dự toán" in result.stderr + result.stdout
    assert not (tmp_path / "out.md").exists()
