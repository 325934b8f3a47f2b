"""Results sent from worker processes travel compact and arrive whole (issue 16).

A worker sends each leaf's id, title, group, kind and maximum once per criteria set (with its
first result of the set), then only the points; the parent puts each result back together.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

import isoprov.pipeline.score as pipeline
from isoprov.pipeline.score import FileOutcome, score_file
from isoprov.scoring.catalog import Catalog
from tests import DATA

CRITERIA = DATA / "criteria" / "valid.yaml"
FILES = [DATA / "assessment" / "valid-skhcn.yaml", DATA / "assessment" / "valid-snv.yaml"]


@pytest.fixture
def in_a_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(pipeline, "_IN_WORKER", True)
    pipeline._SENT_TABLES.clear()
    yield
    pipeline._SENT_TABLES.clear()
    pipeline._TABLES.clear()


def _outcomes() -> list[FileOutcome]:
    catalog = Catalog(explicit=[CRITERIA])
    catalog.load_explicit()
    return [score_file(Path(f), True, catalog, False) for f in FILES]


def test_results_from_a_worker_arrive_whole(in_a_worker: None) -> None:
    outcomes = _outcomes()
    assert all(o.result is not None for o in outcomes)
    sent = [pickle.dumps(o) for o in outcomes]  # in the order the parent unpickles them
    assert [pickle.loads(s) for s in sent] == outcomes


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
