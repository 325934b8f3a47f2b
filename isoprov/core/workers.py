"""Worker processes that never outlive the command (no stray process).

Large batches are scored in forked worker processes. Whatever ends the command — the last
result, an error, Ctrl-C, SIGTERM or SIGHUP from a shell or a scheduler, even SIGKILL — the
workers end with it:

- each worker talks to the parent over a pipe of its own, with no lock shared between
  processes: ending the workers can never wait on a lock a worker holds (multiprocessing's
  ``Pool.terminate`` can: an idle worker holds the task queue's lock while it waits);
- when the parent leaves the work early, it closes the pipes and kills the workers, then
  reaps them;
- a worker ignores Ctrl-C (the parent, which the terminal also signals, decides and stops it)
  and takes SIGTERM and SIGHUP with their default action, so it never prints a traceback;
- on Linux a worker asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``),
  which covers the one signal the parent cannot handle, SIGKILL.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing as mp
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    """Workers are forked (they inherit the imported modules and the job): POSIX only."""
    return "fork" in mp.get_all_start_methods()


class WorkerFailed(RuntimeError):
    """A worker raised, or died without answering: the traceback text it sent, if any."""


def ordered_map(function: Callable[[int], T], count: int, workers: int, chunksize: int) -> Iterator[T]:
    """``function(0)``, ``function(1)``, … ``function(count - 1)`` computed in ``workers`` forked
    processes, chunk by chunk, and yielded in order. ``function`` must be a module-level function;
    the job it works on is inherited through the fork."""
    context = mp.get_context("fork")
    chunks = [(start, min(start + chunksize, count)) for start in range(0, count, chunksize)]
    processes: list[Any] = []
    pipes: list[Connection] = []
    try:
        for _ in range(min(workers, len(chunks))):
            mine, theirs = context.Pipe(duplex=True)
            process = context.Process(target=_serve, args=(function, theirs, os.getpid()), daemon=True)
            process.start()
            theirs.close()
            processes.append(process)
            pipes.append(mine)
        working: dict[Connection, int] = {}  # pipe → the chunk its worker is computing
        done: dict[int, list[T]] = {}
        given = 0

        def give(pipe: Connection) -> None:
            nonlocal given
            if given < len(chunks):
                pipe.send(chunks[given])
                working[pipe] = given
                given += 1

        for pipe in pipes:
            give(pipe)
        shown = 0
        while shown < len(chunks):
            for ready in wait(list(working)):
                assert isinstance(ready, Connection)
                try:
                    answer = ready.recv()
                except EOFError:
                    raise WorkerFailed("một tiến trình con dừng đột ngột") from None
                if isinstance(answer, WorkerFailed):
                    raise answer
                done[working.pop(ready)] = answer
                give(ready)
            while shown in done:
                yield from done.pop(shown)
                shown += 1
    finally:
        for pipe in pipes:
            pipe.close()  # an idle worker reads the end of its pipe and leaves
        for process in processes:
            if process.is_alive():
                process.kill()
        for process in processes:
            process.join(timeout=10)


def _serve(function: Callable[[int], Any], pipe: Connection, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request above was made
        os._exit(1)
    gc.disable()  # a worker lives for one batch; its objects are not cyclic
    while True:
        try:
            start, stop = pipe.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:
            answer: Any = [function(i) for i in range(start, stop)]
        except BaseException:
            answer = WorkerFailed(traceback.format_exc())
        pipe.send(answer)
