"""Running a batch: evaluate every case (in worker processes, or in-process with one job) and
hand back the outcomes in input order, as they come.

Memory stays flat whatever the number of cases: sources are found lazily, at most `window` cases
are in flight between the reader and the consumer, and each plan is written (or streamed) and
dropped before the next is taken. Each worker loads the knowledge base once, in the pool
initializer; a task carries only a path or one stdin line.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reprisal_cli.batch.inputs import Source
from reprisal_cli.contract import ERROR_SCHEMA
from reprisal_cli.errors import AnswersError, ReprisalError

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from reprisal_cli.kb.knowledge import KnowledgeBase

JSONL = "jsonl"
CHUNKSIZE = 16
MAX_PROBLEMS = 3  # in a case's error message; a plan file pasted as answers has dozens


@dataclass(frozen=True)
class Settings:
    """What every case of one batch is evaluated and rendered with."""

    fmt: str
    as_of: dt.date
    lang: str = "en"
    redact: bool = False
    kb_dir: Path | None = None
    kb_add: Path | None = None


@dataclass(frozen=True, slots=True)
class CaseError:
    """Why one case failed, in the shape of the contract's error record (§4)."""

    exit_code: int
    code: str
    message: str
    line: int | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """One evaluated case: the rendered plan, or the reason it failed."""

    index: int
    name: str
    label: str  # the case_id, or the input's stem: names the output file
    payload: bytes | None = None
    error: CaseError | None = None


def error_record(name: str, error: CaseError) -> dict[str, Any]:
    """The contract's `reprisal-cli/error/v1` record for a failed case."""
    return {
        "schema": ERROR_SCHEMA,
        "input": name,
        "error": {
            "code": error.code,
            "message": error.message,
            "line": error.line,
            "key": error.key,
        },
    }


def case_error(exc: ReprisalError, *, line: int | None = None) -> CaseError:
    """A `ReprisalError` as a `CaseError`: code, line and key of its first problem; every
    problem (with its place inside the file) in the message."""
    first = exc.problems[0] if exc.problems else None
    parts = []
    for problem in exc.problems[:MAX_PROBLEMS]:
        where = f"line {problem.line}" if problem.line is not None and line is None else ""
        head = " ".join(p for p in (where, problem.path) if p)
        parts.append(f"{head}: {problem.message}" if head else problem.message)
    if len(exc.problems) > MAX_PROBLEMS:
        parts.append(f"and {len(exc.problems) - MAX_PROBLEMS} more problems")
    if exc.hint:
        parts.append(exc.hint)
    code = exc.code
    if first is not None and first.code != "invalid":
        code = first.code
    return CaseError(
        exit_code=int(exc.exit_code),
        code=code,
        message="; ".join(parts),
        line=line if line is not None else (first.line if first else None),
        key=first.key if first else None,
    )


class Evaluator:
    """Turns sources into outcomes with one loaded knowledge base."""

    def __init__(self, kb: KnowledgeBase, settings: Settings) -> None:
        self.kb = kb
        self.settings = settings

    def __call__(self, source: Source) -> Outcome:
        try:
            answers = self._answers(source)
        except AnswersError as exc:
            return Outcome(
                source.index, source.name, source.stem, error=case_error(exc, line=source.line)
            )
        label = source.stem if self.settings.redact else answers.case_id or source.stem
        if self.settings.redact:
            answers = answers.redacted()
        return Outcome(source.index, source.name, label, payload=self._render(answers))

    def _answers(self, source: Source) -> Any:
        from reprisal_cli.answers import load_answers, parse_answers
        from reprisal_cli.errors import Problem

        if source.data is None:
            return load_answers(Path(source.path or source.name), name=source.name)
        if not source.data.lstrip().startswith(b"{"):
            raise AnswersError(
                [Problem("is not a JSON object (one answers document per line)", code="syntax")]
            )
        return parse_answers(source.data, source.name)

    def _render(self, answers: Any) -> bytes:
        from reprisal_cli.engine import evaluate

        plan = evaluate(answers, self.kb, as_of=self.settings.as_of, lang=self.settings.lang)
        if self.settings.redact and plan.case_id is not None:
            plan = plan.model_copy(update={"case_id": None})
        fmt = self.settings.fmt
        if fmt == JSONL:
            return plan_bytes(plan, indent=None)
        if fmt == "json":
            return plan_bytes(plan, indent=2)
        from reprisal_cli.render import RenderOptions, render

        out = render(plan, fmt, self.kb, RenderOptions(redact=self.settings.redact))
        return out if isinstance(out, bytes) else out.encode("utf-8")


def plan_bytes(plan: Any, *, indent: int | None) -> bytes:
    """The plan as contract JSON: with `indent` 2, the same bytes as `render.json.plan_json`
    (tests/test_batch.py holds them equal); without, one compact line.

    orjson serialises the plan's dataclasses directly, in field order: some 7x faster than
    pydantic-core, itself 7x faster than `to_json_dict` + `json.dumps`, whose pure-Python encoder
    is what indenting costs. Only the top level carries an alias (`schema`).
    """
    import dataclasses

    import orjson

    top = {f.metadata.get("alias", f.name): getattr(plan, f.name) for f in dataclasses.fields(plan)}
    option = orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if indent == 2 else 0)
    return orjson.dumps(top, option=option)


def load_kb_of(settings: Settings) -> KnowledgeBase:
    """The knowledge base the batch runs on (raises `KnowledgeBaseError`, exit 3)."""
    from reprisal_cli.kb.loader import load_kb

    return load_kb(settings.kb_dir, overlay=settings.kb_add)


_worker: Evaluator | None = None
_worker_error: ReprisalError | None = None


def _init_worker(settings: Settings) -> None:
    global _worker, _worker_error  # noqa: PLW0603 - set once per worker by the initializer
    # Ctrl-C reaches the whole process group: the main process stops the pool, so the workers
    # leave it to it rather than each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _worker = Evaluator(load_kb_of(settings), settings)
    except ReprisalError as exc:
        # An initializer that raises makes the pool restart the worker for ever: fail the
        # tasks instead, which ends the batch with this error (exit 3).
        _worker_error = exc
        return
    # The knowledge base lives as long as the worker: keep it out of the collector's scans.
    gc.freeze()


def _evaluate_in_worker(source: Source) -> Outcome:
    if _worker_error is not None:
        raise _worker_error
    assert _worker is not None, "the pool initializer sets up the evaluator"
    return _worker(source)


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def evaluate_all(
    sources: Iterable[Source], settings: Settings, *, jobs: int, kb: KnowledgeBase | None = None
) -> Generator[Outcome, None, None]:
    """Every source's outcome, in input order, as soon as it and those before it are ready.

    With `jobs` 1 everything runs in this process (on `kb` if given). Closing the iterator early
    (`--fail-fast`) stops the workers.
    """
    if jobs <= 1:
        evaluator = Evaluator(kb if kb is not None else load_kb_of(settings), settings)
        for source in sources:
            yield evaluator(source)
        return
    window = _Window(CHUNKSIZE * jobs * 4)
    pool = _pool(jobs, settings)
    try:
        for outcome in pool.imap(_evaluate_in_worker, window.feed(sources), CHUNKSIZE):
            window.release()
            yield outcome
        pool.close()
    finally:
        window.stop()  # unblocks the pool's feeding thread, which terminate() waits for
        pool.terminate()
        pool.join()


class _Window:
    """Keeps the feeding of a pool at most `size` cases ahead of the consumer.

    Pool.imap reads its input as fast as it can; bounded, neither the task queue nor the unread
    results grow with the batch. `size` must be at least the chunk size (a chunk is sent whole).
    """

    def __init__(self, size: int) -> None:
        self._free = threading.Semaphore(size)
        self._stopped = threading.Event()

    def feed(self, sources: Iterable[Source]) -> Iterator[Source]:
        for source in sources:
            self._free.acquire()
            if self._stopped.is_set():
                return
            yield source

    def release(self) -> None:
        self._free.release()

    def stop(self) -> None:
        self._stopped.set()
        self._free.release()


def _pool(jobs: int, settings: Settings) -> Pool:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return context.Pool(jobs, initializer=_init_worker, initargs=(settings,))
