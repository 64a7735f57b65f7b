"""Batch work in worker processes, results streamed back in input order.

Workers are forked from the parent after it has loaded what every document needs (the
key, the trust store, the compiled schemas), so each worker starts with them loaded
once and shares the memory copy-on-write.  Results come back in input order through
``Pool.imap``, so the parent prints and writes reports as they arrive and memory stays
flat however many documents there are.

An interrupted batch leaves no partial output: workers ignore SIGINT (the parent
decides), and the SIGTERM that stops them raises ``SystemExit`` inside the worker, so
the temporary file of an unfinished atomic write is removed.  A worker whose parent
dies (killed, out of memory) is sent the same SIGTERM by the kernel, so it stops at
once and quietly instead of failing to hand a result to a parent that is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# The task of the current batch: set in the parent before the fork, inherited by workers.
_TASK: Callable[[Any], Any] | None = None


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _stop_with_parent(parent: int) -> None:
    """Have the kernel send this worker SIGTERM when its parent dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        raise SystemExit(128 + signal.SIGTERM)


def _worker_init(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    _stop_with_parent(parent)


def _run(item: Any) -> Any:
    assert _TASK is not None
    return _TASK(item)


def ordered(
    task: Callable[[T], R],
    items: Iterable[T],
    *,
    jobs: int,
    warm: Callable[[], None] | None = None,
) -> Iterator[R]:
    """``task(item)`` for every item, in input order, using ``jobs`` processes.

    ``warm`` runs once in the parent before any worker starts (compile schemas, load
    keys), so that no worker repeats it.  With one job everything runs in-process.
    """
    global _TASK
    if warm is not None:
        warm()
    if jobs <= 1 or sys.platform == "win32":
        yield from (task(item) for item in items)
        return
    _TASK = task
    context = multiprocessing.get_context("fork")
    pool = context.Pool(jobs, initializer=_worker_init, initargs=(os.getpid(),))
    try:
        yield from pool.imap(_run, items, chunksize=4)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _TASK = None
