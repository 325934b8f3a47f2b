"""No worker process outlives ``isoprov score``, however the command is stopped.

These tests run the real command in a subprocess on a batch large enough to be scored by worker
processes, signal it once its workers exist, and check that every worker is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from isoprov.pipeline.score import PARALLEL_THRESHOLD
from tests import ROOT
from tests.conftest import process_alive

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2, reason="Linux, 2 cores"
)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lon")
    text = (ROOT / "examples" / "bac-giang-2020" / "assessments" / "skhcn.yaml").read_text(encoding="utf-8")
    for i in range(PARALLEL_THRESHOLD * 15):
        (folder / f"f{i:04d}.yaml").write_text(re.sub(r"code: *\w+", f"code: A{i}", text, count=1), encoding="utf-8")
    return folder


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        out |= {int(c) for c in (task / "children").read_text().split()}
    return out


Starter = Callable[[Path], tuple[subprocess.Popen[bytes], set[int]]]


@pytest.fixture
def started() -> Iterator[Starter]:
    """Start the command; whatever the test finds, its whole process group is killed at the end,
    so a failing test never leaves processes behind."""
    running: list[subprocess.Popen[bytes]] = []

    def start(batch: Path) -> tuple[subprocess.Popen[bytes], set[int]]:
        process, workers = _start(batch)
        running.append(process)
        return process, workers

    yield start
    for process in running:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=10)


def _start(batch: Path) -> tuple[subprocess.Popen[bytes], set[int]]:
    command = [
        sys.executable,
        "-m",
        "isoprov",
        "score",
        str(batch),
        "--criteria",
        str(ROOT / "criteria"),
        "--format",
        "json",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        workers = _children(process.pid)
    assert len(workers) >= 2, "the batch was not scored by workers"
    return process, workers


def _gone(workers: set[int]) -> bool:
    deadline = time.monotonic() + 10
    while any(process_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(process_alive(w) for w in workers)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_a_stopped_command_ends_its_workers_and_exits_with_the_convention(
    batch: Path, signum: signal.Signals, code: int, started: Starter
) -> None:
    process, workers = started(batch)
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == code, err.decode()
    assert _gone(workers), f"workers still alive after {signum.name}"
    text = err.decode()
    assert "Traceback" not in text and "Đã dừng" in text
    assert out == b""  # no half-printed JSON document


def test_workers_die_with_a_killed_parent(batch: Path, started: Starter) -> None:
    process, workers = started(batch)
    process.kill()  # SIGKILL: the parent cannot clean up; the kernel kills the workers
    process.communicate(timeout=60)
    assert _gone(workers), "workers outlived a killed parent"


def test_a_finished_batch_leaves_no_worker(batch: Path, started: Starter) -> None:
    process, workers = started(batch)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()[-2000:]
    assert _gone(workers)
