"""A document's memory budget: the work on one document stops when the process doing it (and
the processes it started, such as spaCy's parsers) holds more resident memory than allowed
beyond what it held when the work began (the facts of documents done before are not the
document's).

Without it, a document that needs more memory than the machine has is stopped by the
kernel's OOM killer, which may pick the build itself, or the machine swaps for minutes; with
it, the document gets one error line and the build goes on (see
:func:`conflictlens.workers.run_documents`).

Linux only (resident memory is read from ``/proc``); elsewhere, and outside a process's main
thread (a Dask worker's threads), the work runs without a memory budget, as spaCy's
``MemoryError`` was the only limit before.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_PROC = Path("/proc")


class OverMemoryBudget(BaseException):  # noqa: N818 - named for what happened, like MemoryError
    """Raised in the main thread when its process tree holds more than the budget (a
    BaseException: no ``except Exception`` in an extractor may swallow it)."""

    def __init__(self, used_mb: float, budget_mb: float):
        super().__init__(f"needed more than {budget_mb:,.0f} MB of memory, its budget (it had taken "
                         f"{used_mb:,.0f} MB)")
        self.used_mb = used_mb
        self.budget_mb = budget_mb


def _rss_bytes(pid: int) -> int:
    try:
        return int((_PROC / str(pid) / "statm").read_text().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0  # gone meanwhile


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = list((_PROC / str(pid) / "task").iterdir())
    except OSError:
        return out
    for task in tasks:
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            pass
    return out


def _private_bytes(pid: int) -> int:
    """The memory process ``pid`` holds alone: a forked child shares its parent's pages until
    it writes them, and its resident size counts them all (spaCy's two parsers forked from a
    1 GB process would read as 3 GB)."""
    total = 0
    try:
        for line in (_PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith(("Private_Clean:", "Private_Dirty:", "Private_Hugetlb:")):
                total += int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return 0  # gone meanwhile, or no smaps_rollup (Linux < 4.14)
    return total


def tree_rss_mb(pid: int | None = None) -> float:
    """Memory in MB of process ``pid`` (default: this one; its resident size) and of its
    descendants (what each holds alone)."""
    root = pid if pid is not None else os.getpid()
    todo, seen, total = [root], set(), 0
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss_bytes(p) if p == root else _private_bytes(p)
        todo += _children(p)
    return total / 1_048_576


def supported() -> bool:
    return (_PROC / "self" / "statm").exists() and hasattr(signal, "pthread_kill")


@contextmanager
def memory_budget(mb: float | None, interval: float = 0.1) -> Iterator[None]:
    """Raise :class:`OverMemoryBudget` in the block once this process tree's resident memory
    has grown by more than ``mb`` MB since the block began (checked every ``interval``
    seconds by a watcher thread; the exception comes when the main thread next runs Python
    code, e.g. between two parsed pieces). No budget when ``mb`` is None, off Linux, or
    outside the main thread."""
    if mb is None or not supported() or threading.current_thread() is not threading.main_thread():
        yield
        return
    stop = threading.Event()
    over: list[float] = []
    main = threading.main_thread().ident
    base = tree_rss_mb()

    def on_signal(signum, frame):
        if over and not stop.is_set():
            raise OverMemoryBudget(over[0], mb)

    def watch() -> None:
        while not stop.wait(interval):
            used = tree_rss_mb() - base
            if used > mb:
                over.append(used)
                signal.pthread_kill(main, signal.SIGUSR1)
                return

    old = signal.signal(signal.SIGUSR1, on_signal)
    watcher = threading.Thread(target=watch, name="memory-budget", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()
        signal.signal(signal.SIGUSR1, old)
