"""Results sent from worker processes travel compact and arrive whole (issue 16).

A worker sends each leaf's id, title, group, kind and maximum once per criteria set (with its
first result of the set), then only the points; the parent puts each result back together.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import isoprov.pipeline.score as pipeline
from isoprov.core.workers import ordered_map as real_ordered_map
from isoprov.pipeline.score import FileOutcome, score_file
from isoprov.scoring.catalog import Catalog
from tests import DATA
from tests.conftest import Run

CRITERIA = DATA / "criteria" / "valid.yaml"
FILES = [DATA / "assessment" / "valid-skhcn.yaml", DATA / "assessment" / "valid-snv.yaml"]
RULES = DATA / "criteria-rules" / "valid.yaml"

#: Three agencies of the set `thu-quy-tac` (SPEC §3b). X and Y total 80 each (X: groups 5 and
#: 7.5, Y: 3 and 8.5; (g1 + 2 × g3) / 25 × 100), so the tie-break on group 3 ranks Y first; Z
#: reaches 100 without the condition K1 that the top band requires, and Y has 0 of 2 on 1.1, under
#: the 25 % each criterion needs for Đạt (missed bands).
RULES_AGENCIES = {
    "x.yaml": ("X", '"1.1": 2\n  "1.2": 0\n  "3.1": {count: 193, of: 200}\n  "3.2": 70\n  K1: true'),
    "y.yaml": ("Y", '"1.1": 0\n  "1.2": 0\n  "3.1": 100\n  "3.2": 50\n  K1: true'),
    "z.yaml": ("Z", '"1.1": 2\n  "1.2": 0\n  "3.1": 100\n  "3.2": 80\n  K1: false'),
}


def write_rules_agencies(folder: Path) -> list[Path]:
    out = []
    for name, (code, scores) in RULES_AGENCIES.items():
        path = folder / name
        path.write_text(
            f"agency: {{code: {code}, name: Cơ quan {code}, level: tinh}}\n"
            f"criteria: thu-quy-tac\nperiod: '2026'\nscores:\n  {scores}\n  T: 0\n  D: 0\n",
            encoding="utf-8",
        )
        out.append(path)
    return out


@pytest.fixture
def in_a_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(pipeline, "_IN_WORKER", True)
    pipeline._SENT_TABLES.clear()
    yield
    pipeline._SENT_TABLES.clear()
    pipeline._TABLES.clear()


def _outcomes(criteria: Path = CRITERIA, files: list[Path] = FILES) -> list[FileOutcome]:
    catalog = Catalog(explicit=[criteria])
    catalog.load_explicit()
    return [score_file(Path(f), True, catalog, False) for f in files]


def test_results_from_a_worker_arrive_whole(in_a_worker: None) -> None:
    outcomes = _outcomes()
    assert all(o.result is not None for o in outcomes)
    sent = [pickle.dumps(o) for o in outcomes]  # in the order the parent unpickles them
    assert [pickle.loads(s) for s in sent] == outcomes


def test_results_of_the_rules_set_arrive_with_every_field(in_a_worker: None, tmp_path: Path) -> None:
    """The exact total, the tie-break keys and a missed band travel too (they were once left
    behind: ranks from workers differed from one process's)."""
    outcomes = _outcomes(RULES, write_rules_agencies(tmp_path))
    results = [o.result for o in outcomes]
    assert all(r is not None and r.exact_total is not None and r.tie_keys for r in results)
    assert any(r is not None and r.band_missed for r in results)
    sent = [pickle.dumps(o) for o in outcomes]
    back = [pickle.loads(s) for s in sent]
    assert back == outcomes
    assert [b.result.details for b in back if b.result] == [r.details for r in results if r]


def test_the_shared_part_goes_once_per_set(in_a_worker: None) -> None:
    first, second = _outcomes()
    assert first.result is not None and second.result is not None
    with_table, without = pickle.dumps(first), pickle.dumps(second)
    titles = {d.title for d in first.result.details}
    assert all(t.encode() in with_table for t in titles)
    assert not any(t.encode() in without for t in titles)


def test_outside_a_worker_a_result_pickles_alone() -> None:
    _, second = _outcomes()
    assert pickle.loads(pickle.dumps(second)) == second  # no table sent before: still whole


def test_workers_rank_a_rules_set_as_one_process_does(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_rules_agencies(tmp_path)
    alone = cli("score", tmp_path, "--criteria", RULES, "--format", "json")
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(pipeline, "usable_cpus", lambda: 2)
    maps: list[int] = []

    def ordered_map(function: Callable[[int], Any], count: int, workers: int, chunksize: int) -> Iterator[Any]:
        maps.append(workers)
        return real_ordered_map(function, count, workers, chunksize)

    monkeypatch.setattr(pipeline, "ordered_map", ordered_map)
    parallel = cli("score", tmp_path, "--criteria", RULES, "--format", "json")
    assert alone.exit_code == parallel.exit_code == 0
    ranked = [(r["agency"]["code"], r["rank"], r["band"], bool(r["band_missed"])) for r in alone.json()["results"]]
    assert ranked == [("Z", 1, "Đạt", True), ("Y", 2, "Chưa đạt", True), ("X", 3, "Đạt", False)]
    assert maps == [2]  # the second run was scored by two worker processes
    assert parallel.stdout == alone.stdout


def test_the_details_are_put_back_only_when_read(in_a_worker: None) -> None:
    """The parent builds a result's details (a named tuple per leaf) only for an output that reads
    them: JSON and the summary table never do."""
    first, _ = _outcomes()
    assert first.result is not None
    back = pickle.loads(pickle.dumps(first))
    assert back.result is not None
    details = back.result.details
    assert isinstance(details, pipeline._Details) and details._parts is not None  # not built yet
    assert (back.result.total, back.result.groups) == (first.result.total, first.result.groups)
    assert details._parts is not None  # reading the totals did not build them
    assert len(details) == len(first.result.details) and details[0] == first.result.details[0]
    assert details._parts is None and tuple(details) == tuple(first.result.details)
