"""A batch scored by worker processes reports exactly what one process reports.

Large batches (``PARALLEL_THRESHOLD`` files and more, two CPUs or more) are scored in forked
workers whose outcomes travel back pickled, some of them in a compact form. Every command that
scores a batch is run here twice on the same inputs, in one process and on two workers, and the
two outputs must be the same text: results, ranks, bands, the problems of invalid files.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import isoprov.pipeline.score as pipeline
from isoprov.core.workers import can_fork
from isoprov.core.workers import ordered_map as real_ordered_map
from tests import DATA, ROOT
from tests.conftest import Run
from tests.excel.test_form import CRITERIA, ROW, edit, fill_form, make_form

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers are forked")

RUNS = {
    "score json, registry": ["score", "examples/bac-giang-2020/", "--agencies", "examples/bac-giang-2020/co-quan.yaml",
                             "--format", "json"],
    "score csv detail": ["score", "examples/bac-giang-2021/", "--format", "csv", "--detail"],
    "score explain": ["score", "examples/mau-2026/", "--explain", "--format", "json"],
    "score table detail": ["score", "examples/bac-giang-2020/assessments", "--detail"],
    "score invalid files": ["score", "tests/data/assessment", "--criteria", "tests/data/criteria/valid.yaml",
                            "--format", "json"],
    "score rules set": ["score", "tests/data/assessment-rules", "--criteria", "tests/data/criteria-rules/valid.yaml",
                        "--format", "json"],
    "compare": ["compare", "examples/bac-giang-2020/assessments", "examples/bac-giang-2021/assessments", "--detail",
                "--format", "json"],
}  # fmt: skip


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every batch of two files or more scored on two workers; yields the worker counts used."""
    used: list[int] = []

    def ordered_map(function: Callable[[int], Any], count: int, workers: int, chunksize: int) -> Iterator[Any]:
        used.append(workers)
        return real_ordered_map(function, count, workers, chunksize)

    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(pipeline, "usable_cpus", lambda: 2)
    monkeypatch.setattr(pipeline, "ordered_map", ordered_map)
    yield used


@pytest.mark.parametrize("args", RUNS.values(), ids=RUNS.keys())
def test_workers_report_what_one_process_reports(
    args: list[str], cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.chdir(ROOT)
    alone = cli(*args)
    used = request.getfixturevalue("workers")
    parallel = cli(*args)
    assert used and set(used) == {2}  # the second run went through the workers
    assert (parallel.exit_code, parallel.stdout, parallel.stderr) == (alone.exit_code, alone.stdout, alone.stderr)
    assert alone.stdout.strip()


def test_filled_forms_on_workers_as_in_one_process(
    cli: Callable[..., Run], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Filled forms (one with a score out of range) beside a YAML assessment."""
    form = make_form(cli, tmp_path / "bieu-mau.xlsx")
    folder = tmp_path / "nop"
    folder.mkdir()
    fill_form(form, DATA / "assessment" / "valid-skhcn.yaml", folder / "skhcn.xlsx")
    bad = fill_form(form, DATA / "assessment" / "valid-snv.yaml", tmp_path / "snv.xlsx")
    edit(bad, folder / "snv.xlsx", **{f"E{ROW['1.1']}": 99})
    shutil.copy(DATA / "assessment" / "valid-stc.yaml", folder / "stc.yaml")
    args = ["score", folder, "--criteria", CRITERIA, "--format", "json"]
    alone = cli(*args)
    used = request.getfixturevalue("workers")
    parallel = cli(*args)
    assert used == [2]
    assert (parallel.exit_code, parallel.stdout, parallel.stderr) == (alone.exit_code, alone.stdout, alone.stderr)
    report = alone.json()
    assert len(report["results"]) == 2 and any("99" in e["message"] for e in report["errors"])
