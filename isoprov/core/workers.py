"""Worker processes that never outlive the command (issue: no stray process).

Large batches are scored in forked worker processes. Whatever ends the command — the last
result, an error, Ctrl-C, SIGTERM or SIGHUP from a shell or a scheduler, even SIGKILL — the
workers end with it:

- the pool is terminated (not drained) whenever the parent leaves it early;
- a worker ignores Ctrl-C (the parent, which the terminal also signals, decides and stops it)
  and takes SIGTERM and SIGHUP with their default action, so terminating it never prints a
  traceback;
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
from collections.abc import Iterator
from multiprocessing.pool import Pool

_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    """Workers are forked (they inherit the imported modules and the job): POSIX only."""
    return "fork" in mp.get_all_start_methods()


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[Pool]:
    """A pool of ``workers`` forked processes, terminated as soon as the block is left."""
    pool = mp.get_context("fork").Pool(workers, initializer=_start_worker, initargs=(os.getpid(),))
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def _start_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request above was made
        os._exit(1)
    gc.disable()  # a worker lives for one batch; its objects are not cyclic
