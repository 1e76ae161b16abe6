"""Work spread over processes, handed back in input order as it comes: the batch's plans
(`Workers`) and `followup`'s caseload (`Shares`).

`Workers`, for the batch: a pool of worker processes, forked or spawned, each building its
function once (`start(*args)`: forked with the parent's knowledge base, or loading it) and fed
chunks of items as it frees up; at most `Workers.AHEAD` chunks per worker are out at a time, so
memory stays flat whatever the number of items and however large each result (a plan).

`Shares`, for `followup`: this process and forked children each take the next chunk of a list
known in advance from one pipe as they free up, and the children send their results back over a
pipe each; no pool, no thread. For work whose results are small against its cost, where the
pool's own cost showed: its import and start (14 ms), its thread in this process taking the
interpreter from the work this process does, its chunks handed out one at a time
(bench/RESULTS.md, follow-up, 2026-12-05: 1,000 case files read in 0.20 s with the pool, 0.16 s
in shares).

Either way a task carries only its items (paths, lines) and a result comes back pickled, so it
is plain data.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import pickle
import signal
import struct
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Generic, TypeVar

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
    3). `lost` says, in the words of the work, what a lost worker took with it."""

    AHEAD = 2

    def __init__(
        self,
        jobs: int,
        start: Callable[..., Callable[[T], R]],
        args: tuple[Any, ...],
        *,
        chunksize: int,
        lost: str,
    ) -> None:
        # lazy: multiprocessing and concurrent.futures (about 30 ms) only when workers start,
        # not for a followup over a few files
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if can_fork() else None)
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
        # its own (forking a process that has threads can deadlock the child). Ctrl-C and
        # SIGTERM are held back across the fork: one that reached a worker before its
        # initializer had run would run the handlers it was forked with (this process's, which
        # raise KeyboardInterrupt) and print a traceback; the pool stopping the workers when
        # one was lost did that under load (2026-12-05). `_start_worker` lets them through.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        try:
            self._submit(_nothing)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def run(self, items: Iterable[T]) -> Generator[R, None, None]:
        """Each item's result, in input order. Closing the generator stops the workers."""
        pending: deque[Future[list[R]]] = deque()
        finished = False
        try:
            for chunk in _chunked(items, self._chunksize):
                if len(pending) >= self._jobs * self.AHEAD:
                    yield from self._result(pending.popleft())
                pending.append(self._submit(_run_chunk, chunk))
            while pending:
                yield from self._result(pending.popleft())
            finished = True
        finally:
            if not finished:
                self._stop_workers()
            self._pool.shutdown(wait=True, cancel_futures=True)

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

    def _result(self, future: Future[list[R]]) -> list[R]:
        # lazy: loaded by __init__ already
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool:
            raise self._lost_error() from None

    def _lost_error(self) -> WorkerLostError:
        return lost_error(self._lost)


def lost_error(lost: str, *, fewer: str = "try fewer --jobs") -> WorkerLostError:
    """A worker process gone without its results, which were `lost` (in the work's words);
    `fewer` says how to ask for less work at a time (the batch's --jobs; `followup` has none)."""
    return WorkerLostError(
        [Problem(f"a worker process stopped before it finished its {lost}")],
        hint=f"It may have run out of memory: {fewer}.",
    )


# A child's message to the process that forked it (`Shares`): the length of what follows (8
# bytes), then, pickled, ("ok", (a chunk's number, its results)), ("error", what the work
# raised) or ("done", None) once it has no chunk left.
_FRAME = struct.Struct(">Q")
# A chunk's number in the pipe the chunks are claimed from: 4 bytes, read whole by one process
# (a pipe hands a read of at most PIPE_BUF bytes to one reader). The pipe is filled before the
# children start, so it must hold every number: at most `_MOST_CHUNKS`, 4 KiB, which any
# system's pipe holds (POSIX: at least PIPE_BUF, 512 bytes; Linux 64 KiB, macOS 16 KiB).
_NUMBER = struct.Struct(">I")
_MOST_CHUNKS = 1024
# How to ask `Shares` for less at a time, when a child was lost (the fork hint's words).
_FEWER = "close other programs, or read fewer case files at a time"
# What interrupts the work (Ctrl-C, and SIGTERM, handled as Ctrl-C by `cli.main`).
_STOPS = {signal.SIGINT, signal.SIGTERM}


class Shares(Generic[T, R]):
    """The `items` of a list (known in advance) read by `work` in this process and in `jobs - 1`
    children forked now, all taking chunks of `chunksize` items in turn from one pipe, each as
    it frees up (more items a chunk if there would be more than `_MOST_CHUNKS`). `run` hands
    back every result in input order, as soon as it and those before it are in: between two of
    its chunks this process takes in what the children have sent, so neither waits for the
    other while chunks are left. Results wait here for their turn: for work whose results are
    small. Only where the system can fork (`can_fork`); `work` goes to the children as it is,
    with what it holds (the knowledge base, the key).

    A child gone without its results (killed, out of memory) raises `WorkerLostError` (`lost`
    says, in the words of the work, what it took with it); an error in a child is raised here
    as it was raised there; stopping early (Ctrl-C, SIGTERM, an error, the caller closing
    `run`) ends the children at once, and the main process ended in any way ends them too."""

    def __init__(
        self, jobs: int, work: Callable[[T], R], items: Sequence[T], *, chunksize: int, lost: str
    ) -> None:
        self._work = work
        size = max(chunksize, -(-len(items) // _MOST_CHUNKS))
        self._chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
        self._lost = lost
        self._children: list[_Child] = []
        self._claims = _claims(len(self._chunks))
        # What the work holds (the knowledge base) stays out of the collector's scans: in the
        # children, which would otherwise copy every page of it they scan, and here while the
        # work runs (`_end` gives it back).
        gc.freeze()
        parent = os.getpid()
        try:
            for _ in range(1, max(1, min(jobs, len(self._chunks)))):
                self._fork(parent)
        except BaseException:
            self._end(stop=True)
            raise

    def __enter__(self) -> Shares[T, R]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """The children ended at once and waited for, if `run` has not ended them: a caller
        stopped between making the shares and asking for their first result (Ctrl-C while a
        progress bar is set up) left them running in a process that goes on (red46)."""
        self._end(stop=True)

    def run(self) -> Generator[R, None, None]:
        """Each item's result, in input order. Closing the generator ends the children."""
        finished = False
        done: dict[int, list[R]] = {}  # chunks in, by number, until their turn
        turn = 0
        try:
            while (number := _claim(self._claims)) is not None:
                if number == turn:  # its turn: each result out as it is made
                    yield from map(self._work, self._chunks[number])
                    turn += 1
                else:
                    done[number] = [self._work(item) for item in self._chunks[number]]
                self._take_in(done, wait=False)
                while turn in done:
                    yield from done.pop(turn)
                    turn += 1
            while turn < len(self._chunks):
                while turn not in done:
                    self._take_in(done, wait=True)
                yield from done.pop(turn)
                turn += 1
            finished = True
        finally:
            self._end(stop=not finished)

    def _fork(self, parent: int) -> None:
        """A child forked, and among `_children` before anything can interrupt this process:
        Ctrl-C or SIGTERM are held back from the fork until then (here) and until the child
        has its own handlers (there). Raised as `os.fork` returned, Ctrl-C lost the child's
        number, so it was never ended nor waited for, and in the child it ran this process's
        code (red46)."""
        reading, writing = os.pipe()
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        try:
            try:
                pid = os.fork()
            except OSError as exc:  # no more processes to be had
                os.close(reading)
                os.close(writing)
                raise OutputError(
                    [Problem(f"cannot start a worker process: {exc.strerror or exc}")],
                    hint=f"{_FEWER.capitalize()}.",
                ) from None
            if pid == 0:
                os.close(reading)
                self._child(writing, parent, held)
            os.close(writing)
            self._children.append(_Child(pid, reading))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def _child(self, writing: int, parent: int, held: set[int | signal.Signals]) -> None:
        """A child's whole life: chunks claimed and sent back one by one until none is left;
        it never returns to the code that forked it, nor runs its exit handlers or flushes its
        copies of the parent's buffers (`os._exit`). `held`: the signal mask before the fork."""
        code = 1
        try:
            # Ctrl-C reaches the whole process group: the parent ends the children. SIGTERM
            # (from the parent) ends a child at once, not through the parent's handler.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            die_with_parent(parent, signal.SIGKILL)
            for other in self._children:
                os.close(other.pipe)
            with os.fdopen(writing, "wb") as out:
                try:
                    while (number := _claim(self._claims)) is not None:
                        results = [self._work(item) for item in self._chunks[number]]
                        _send(out, ("ok", (number, results)))
                except Exception as exc:
                    _send(out, ("error", _picklable(exc)))
                else:
                    _send(out, ("done", None))
            code = 0
        finally:
            os._exit(code)

    def _take_in(self, done: dict[int, list[R]], *, wait: bool) -> None:
        """Every chunk the children's pipes hold, into `done` under its number (`wait`: at
        least one message, waiting for it). All of them: a child whose pipe is full stops."""
        # lazy: only where children were forked
        import select

        timeout = None if wait else 0
        took = False
        while open_ := {child.pipe: child for child in self._children if not child.finished}:
            ready, _, _ = select.select(list(open_), [], [], timeout)
            if not ready:
                return
            for pipe in ready:
                self._receive(open_[pipe], done)
            took, timeout = True, 0
        if wait and not took:  # every child has said it is done, and a chunk is still missing
            raise lost_error(self._lost, fewer=_FEWER)

    def _receive(self, child: _Child, done: dict[int, list[R]]) -> None:
        head = _read(child.pipe, _FRAME.size)
        if len(head) == _FRAME.size:
            (size,) = _FRAME.unpack(head)
            body = _read(child.pipe, size)
            if len(body) == size:
                # Made by this program's own child, a copy of this process: no stranger's data.
                kind, value = pickle.loads(body)
                if kind == "error":
                    raise value
                if kind == "done":
                    child.finished = True
                else:
                    number, results = value
                    done[number] = results
                return
        raise lost_error(self._lost, fewer=_FEWER)

    def _end(self, *, stop: bool) -> None:
        """The children ended (`stop`: at once) and waited for; the collector's scans back.
        Interrupted meanwhile (Ctrl-C again, SIGTERM), it still ends them, at once, and waits
        for them before the interruption goes on: a process that runs `followup` again (a
        library user, CliRunner) kept them, their pipes and a frozen collector (red46)."""
        children, self._children = self._children, []
        try:
            _release(children, signal.SIGTERM if stop else None)
        except BaseException:
            while True:
                try:
                    _release(children, signal.SIGKILL)
                    break
                except KeyboardInterrupt:
                    continue
            raise
        finally:
            if self._claims >= 0:  # once: a number closed twice may be another file's by then
                with contextlib.suppress(OSError):
                    os.close(self._claims)
                self._claims = -1
                gc.unfreeze()


@dataclass
class _Child:
    """A forked child of `Shares`: its process, the pipe its chunks come by (-1 once closed),
    and whether it has said it has no chunk left."""

    pid: int
    pipe: int
    finished: bool = False


def _release(children: list[_Child], ending: int | None) -> None:
    """Each child's pipe closed, the child sent `ending` (a signal) if it is still to be waited
    for, and waited for. Run again after an interruption, it takes up where it was: a pipe is
    closed once, and a child already waited for is sent nothing (its number may be another
    process's by now)."""
    for child in children:
        pipe, child.pipe = child.pipe, -1
        if pipe >= 0:
            os.close(pipe)
    if ending is not None:
        for child in children:
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(child.pid, os.WNOHANG)[0] == 0:  # still this process's child
                    os.kill(child.pid, ending)
    for child in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child.pid, 0)


def _claims(count: int) -> int:
    """The reading end of a pipe holding the numbers 0 to `count` - 1, and no more to come."""
    reading, writing = os.pipe()
    try:
        os.set_blocking(writing, False)  # a pipe too small says so instead of waiting for ever
        data = b"".join(_NUMBER.pack(number) for number in range(count))
        if os.write(writing, data) != len(data):
            raise OSError(errno.EAGAIN, "a pipe too small for the chunks' numbers")
    except OSError as exc:
        os.close(reading)
        raise OutputError(
            [Problem(f"cannot share the work between processes: {exc.strerror or exc}")]
        ) from None
    except BaseException:
        os.close(reading)
        raise
    finally:
        os.close(writing)
    return reading


def _claim(claims: int) -> int | None:
    """The next chunk's number, taken from the pipe of `claims`; None when none is left."""
    got = os.read(claims, _NUMBER.size)
    return _NUMBER.unpack(got)[0] if len(got) == _NUMBER.size else None


def _read(fd: int, size: int) -> bytes:
    """`size` bytes from `fd`, or fewer if it ends first."""
    parts = []
    while size > 0:
        part = os.read(fd, min(size, 1 << 20))
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _send(out: IO[bytes], message: tuple[str, Any]) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_FRAME.pack(len(body)))
    out.write(body)
    out.flush()


def _picklable(exc: Exception) -> Exception:
    """`exc`, or where it cannot be pickled (a local class, an open file in its arguments) an
    error that says what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # any failure to pickle: say what it was instead
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


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
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)  # held back across the fork (`Workers`)
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
