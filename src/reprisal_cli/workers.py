"""Work spread over worker processes, handed back in input order as it comes: the batch's plans
and `followup`'s caseload.

Each worker builds its function once (`start(*args)`, in the worker: forked with the parent's
knowledge base, or loading it) and is fed chunks of items; at most `Workers.AHEAD` chunks per
worker are out at a time, so memory stays flat whatever the number of items. A task carries
only its items (paths, lines); a result comes back pickled, so it is plain data.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from reprisal_cli.errors import ExitCode, OutputError, Problem, ReprisalError
from reprisal_cli.process import die_with_parent

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether workers can be forked (and so start with this process's memory: its knowledge
    base, its keys) rather than spawned: where `os.fork` exists, as for multiprocessing's
    "fork" start method, without importing multiprocessing (27 ms) to ask."""
    return hasattr(os, "fork")


class WorkerLostError(ReprisalError):
    """A worker process ended without its results (killed, or out of memory): what it had was
    never written (exit 4, as for any output that could not be written)."""

    exit_code = ExitCode.OUTPUT
    code = "worker_lost"


class Workers(Generic[T, R]):
    """`jobs` worker processes (`concurrent.futures.ProcessPoolExecutor`, forked where the
    system can), each running the function `start(*args)` returns, or raising from its first
    chunk the `ReprisalError` that `start` raised (a knowledge base that cannot be loaded: exit
    3). `lost` says, in the words of the work, what a lost worker took with it.

    With `here`, this process is one of the `jobs`, running `start(*args)` too:
    it forks one worker fewer and, whenever every worker has `AHEAD` chunks in hand, does the
    next chunk itself instead of waiting. For work whose results are small against its cost
    (`followup`: the main process only gathered, so one core of two idled at each start-up's
    end and pickling cost the rest); not for a batch, whose main process writes the plans."""

    AHEAD = 2

    def __init__(
        self,
        jobs: int,
        start: Callable[..., Callable[[T], R]],
        args: tuple[Any, ...],
        *,
        chunksize: int,
        lost: str,
        here: bool = False,
    ) -> None:
        # lazy: multiprocessing and concurrent.futures (about 30 ms) only when workers start,
        # not for a followup over a few files
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if can_fork() else None)
        self._here = start(*args) if here else None
        if here:
            jobs -= 1
        self._jobs = jobs
        self._chunksize = chunksize
        self._lost = lost
        self._pool = ProcessPoolExecutor(
            jobs,
            mp_context=context,
            initializer=_start_worker,
            initargs=(start, args, os.getpid()),
        )
        # The workers are forked at the first task: now, before the caller starts a thread of
        # its own (forking a process that has threads can deadlock the child).
        self._submit(_nothing)

    def run(self, items: Iterable[T]) -> Generator[R, None, None]:
        """Each item's result, in input order. Closing the generator stops the workers."""
        pending: deque[Future[list[R]] | list[R]] = deque()
        finished = False
        try:
            hands = self._jobs + (self._here is not None)
            for chunk in _chunked(items, self._chunksize):
                if len(pending) >= hands * self.AHEAD:
                    yield from self._result(pending.popleft())
                pending.append(self._hand(chunk, pending))
            while pending:
                yield from self._result(pending.popleft())
            finished = True
        finally:
            if not finished:
                self._stop_workers()
            self._pool.shutdown(wait=True, cancel_futures=True)

    def _hand(
        self, chunk: list[T], pending: deque[Future[list[R]] | list[R]]
    ) -> Future[list[R]] | list[R]:
        """`chunk` handed to a worker; or, with `here` and every worker's hands full, its
        results made now in this process."""
        if self._here is not None:
            out = sum(not isinstance(held, list) for held in pending)
            if out >= self._jobs * self.AHEAD:
                return [self._here(item) for item in chunk]
        return self._submit(_run_chunk, chunk)

    def _stop_workers(self) -> None:
        """End the workers now, not once they have run the chunks already handed to them: the
        work was interrupted (Ctrl-C, SIGTERM), failed, or its reader stopped. Shutting the
        pool down waits for those chunks, which the workers, ignoring Ctrl-C, still run: for a
        caseload locked with a passphrase (about a second a file), Ctrl-C took over a minute
        to end `followup` (red team red25). A worker's SIGTERM ends it at once
        (`_start_worker`); the pool sees it gone and stops."""
        # Python 3.14 has ProcessPoolExecutor.terminate_workers(); before, its processes.
        processes = getattr(self._pool, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                process.terminate()
        # A worker ended while it was sending a result leaves the pool's thread waiting for the
        # rest of it, for ever: this process still holds the pipe's sending end. Closed, the
        # pipe ends once the workers are gone, the pool finds itself broken and stops (Ctrl-C
        # on a large `batch` hung in shutdown about one time in three, 2026-12-04).
        queue = getattr(self._pool, "_result_queue", None)
        with contextlib.suppress(OSError, AttributeError):
            queue._writer.close()  # type: ignore[union-attr]

    def _submit(self, work: Callable[..., list[R]], *args: Any) -> Future[list[R]]:
        # lazy: loaded by __init__ already
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._pool.submit(work, *args)
        except BrokenProcessPool:
            raise self._lost_error() from None
        except OSError as exc:  # no more processes or pipes to be had (the first submit forks)
            raise OutputError(
                [Problem(f"cannot start a worker process: {exc.strerror or exc}")],
                hint="Try fewer --jobs, or --jobs 1.",
            ) from None

    def _result(self, future: Future[list[R]] | list[R]) -> list[R]:
        if isinstance(future, list):
            return future
        # lazy: loaded by __init__ already
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool:
            raise self._lost_error() from None

    def _lost_error(self) -> WorkerLostError:
        return WorkerLostError(
            [Problem(f"a worker process stopped before it finished its {self._lost}")],
            hint="It may have run out of memory: try fewer --jobs.",
        )


def _chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# A worker process's function (or why it has none), set once by `_start_worker`.
_worker: dict[str, Callable[[Any], Any] | ReprisalError] = {}


def _start_worker(
    start: Callable[..., Callable[[Any], Any]], args: tuple[Any, ...], parent: int
) -> None:
    """A worker process's initializer: build its function (`start(*args)`) once."""
    # Ctrl-C reaches the whole process group: the main process stops the workers, so they
    # leave it to it rather than each printing a traceback. SIGTERM (from systemd, say, or the
    # pool stopping a worker when another was lost) ends a worker at once and silently, not
    # through the main process's handler it was forked with.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # The main process killed (`kill -9`, out of memory) takes the workers with it: an orphan
    # would hold the knowledge base and its cases, its command line in `ps`, until reboot.
    die_with_parent(parent, signal.SIGKILL)
    try:
        _worker["work"] = start(*args)
    except ReprisalError as exc:
        _worker["work"] = exc  # raised by the first chunk: ends the work with this error
        return
    # What the function holds (the knowledge base) lives as long as the worker: keep it out of
    # the collector's scans.
    gc.freeze()


def _nothing() -> list[Any]:
    return []


def _run_chunk(chunk: list[Any]) -> list[Any]:
    work = _worker["work"]
    if isinstance(work, ReprisalError):
        raise work
    return [work(item) for item in chunk]
