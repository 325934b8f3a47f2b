"""core.workers.ordered_map: results in order, errors carried back, no worker left behind."""

from __future__ import annotations

import os
import sys
import time

import pytest

from isoprov.core.workers import WorkerFailed, can_fork, ordered_map
from tests.conftest import process_alive

pytestmark = pytest.mark.skipif(not can_fork() or not sys.platform.startswith("linux"), reason="forked workers")


def square_and_pid(i: int) -> tuple[int, int]:
    if i % 7 == 0:
        time.sleep(0.001)  # uneven work: chunks come back out of order
    return i * i, os.getpid()


def fail_at_13(i: int) -> int:
    if i == 13:
        raise ValueError("mười ba")
    return i


def test_results_come_in_order_from_several_workers() -> None:
    out = list(ordered_map(square_and_pid, 500, 2, 3))
    assert [v for v, _ in out] == [i * i for i in range(500)]
    pids = {pid for _, pid in out}
    assert len(pids) == 2 and os.getpid() not in pids
    assert not any(process_alive(p) for p in pids)


def test_an_error_in_a_worker_is_raised_with_its_traceback() -> None:
    with pytest.raises(WorkerFailed, match="mười ba"):
        list(ordered_map(fail_at_13, 100, 2, 5))


def test_leaving_early_ends_every_worker() -> None:
    results = ordered_map(square_and_pid, 10_000, 2, 1)
    pids = {next(results)[1] for _ in range(20)}
    results.close()  # as when the command is stopped between two results
    deadline = time.monotonic() + 5
    while any(process_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not any(process_alive(p) for p in pids)


def test_fewer_items_than_workers() -> None:
    assert [v for v, _ in ordered_map(square_and_pid, 1, 4, 10)] == [0]
    assert list(ordered_map(square_and_pid, 0, 4, 10)) == []
