"""`reprisal-cli batch`: many answers files (or a JSON Lines stream) to one plan each.

The core of the command: it finds the cases, evaluates them (in parallel), names and writes the
outputs, and returns each case's result. It never prints; `reprisal_cli.cli.batch` draws the
progress bar and the summary.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reprisal_cli.batch.inputs import ANSWERS_SUFFIXES, STDIN, Source, discover, input_folder_of
from reprisal_cli.batch.names import Namer, safe_stem
from reprisal_cli.batch.run import (
    JSONL,
    CaseError,
    Outcome,
    Settings,
    case_error,
    error_record,
    evaluate_all,
    load_kb_of,
)
from reprisal_cli.batch.summary import REPORT_SCHEMA, CaseResult, Summary
from reprisal_cli.errors import OutputError, Problem
from reprisal_cli.output import GroupWriter, sweep_stale
from reprisal_cli.untrusted import json_escape
from reprisal_cli.workers import default_jobs

GROUP = 256  # files made durable together (one syncfs): see output.GroupWriter
WRITES_AHEAD = 2 * GROUP  # cases held while the writer stages and commits them: bounds memory

__all__ = [
    "GROUP",
    "JSONL",
    "REPORT_SCHEMA",
    "CaseError",
    "CaseResult",
    "Namer",
    "Settings",
    "Source",
    "Summary",
    "default_jobs",
    "error_record",
    "run_batch",
    "safe_stem",
]


def run_batch(
    inputs: Iterable[str],
    settings: Settings,
    out_dir: Path | None,
    summary: Summary,
    *,
    jobs: int,
    force: bool = False,
    fail_fast: bool = False,
    stdin: BinaryIO | None = None,
    archive: dict[str, bytes] | None = None,
    report: Path | None = None,
) -> Generator[CaseResult, None, None]:
    """Start the batch: the results of its cases, in input order, each as soon as it is done.

    With `out_dir`, each plan is written there (atomically; an existing file only with `force`,
    an input file never). Without, each result carries the JSON line to stream. Every result is
    also added to `summary`. With `fail_fast`, nothing after the first failure (in input
    order) is written. With `archive`, plans are not written to `out_dir` but collected there
    ({name: bytes}), for one encrypted archive: no plain copy touches the disk. `report` (the
    --report file of an earlier run) is not read as an answers file from an INPUT folder.

    The knowledge base is loaded and the workers are started before this returns, so a broken
    knowledge base raises `KnowledgeBaseError` (exit 3) here, before any case runs. Iterating
    the results to their end, or closing them once iterated, stops the workers; workers whose
    results are never iterated end with this process.
    """
    given = list(inputs)
    kb = load_kb_of(settings)
    namer = None
    if out_dir is not None:
        if archive is None:
            _prepare(out_dir)
        namer = Namer(out_dir, settings.fmt, is_input=_input_test(given, out_dir))
    # The workers start now, before this process has a thread besides its main one: before
    # the writer's, and before the caller's progress bar.
    found = discover(
        given,
        stdin,
        skip=out_dir,
        skip_file=report,
        encrypted=settings.opens_encrypted,
        unread=summary.unread,
    )
    outcomes = evaluate_all(found, settings, jobs=jobs, kb=kb)
    return _results(outcomes, namer, summary, force=force, fail_fast=fail_fast, archive=archive)


def _results(
    outcomes: Generator[Outcome, None, None],
    namer: Namer | None,
    summary: Summary,
    *,
    force: bool,
    fail_fast: bool,
    archive: dict[str, bytes] | None,
) -> Generator[CaseResult, None, None]:
    writer: GroupWriter | None = None
    # --fail-fast: each write is finished (and checked) before the next case is written.
    ahead = 0 if fail_fast else WRITES_AHEAD
    pending: deque[_Pending] = deque()
    try:
        # Plans are written in groups, each group made durable by one flush of the disk.
        writer = GroupWriter(group=GROUP)
        # A case leaves `pending` only once the summary has it, so an interrupt (Ctrl-C,
        # SIGTERM) at any point leaves each written plan in one of the two: the count said
        # on an interrupt is what is on disk (`Summary.add` takes a case once).
        for outcome in outcomes:
            _start(outcome, namer, writer, pending, force=force, archive=archive)
            while pending and (len(pending) > ahead or pending[0].done()):
                if not pending[0].done():
                    writer.flush()
                result = pending[0].result()
                summary.add(result)
                pending.popleft()
                yield result
                if fail_fast and not result.ok:
                    summary.stopped_early = True
                    return
        writer.flush()
        while pending:
            result = pending[0].result()
            summary.add(result)
            pending.popleft()
            yield result
    finally:
        try:
            outcomes.close()  # stops the workers; may fail if an interrupt broke the pool
        finally:
            for item in pending:
                item.cancel()
            if writer is not None:
                writer.close()
            # Stopped early (Ctrl-C, SIGTERM, --fail-fast): what the writer had already staged
            # is on disk now, and the summary counts it.
            for item in pending:
                if item.write is not None and item.write.done() and not item.write.cancelled():
                    summary.add(item.result())


@dataclass(frozen=True, slots=True)
class _Pending:
    """A case whose plan may still be being written."""

    outcome: Outcome
    stream: bool  # no output folder: the result carries the line for standard output
    path: Path | None = None
    write: Future[None] | None = None

    def done(self) -> bool:
        return self.write is None or self.write.done()

    def cancel(self) -> None:
        if self.write is not None:
            self.write.cancel()

    def result(self) -> CaseResult:
        outcome, path = self.outcome, self.path
        if outcome.error is not None:
            line = _record(outcome) if self.stream else None
            return CaseResult(outcome.index, outcome.name, error=outcome.error, line=line)
        withdrawn = outcome.withdrawn
        if self.write is None and self.path is not None:  # kept for the encrypted archive
            return CaseResult(outcome.index, outcome.name, self.path.name, withdrawn=withdrawn)
        if self.write is None:  # streamed: the plan is the line
            return CaseResult(
                outcome.index, outcome.name, line=outcome.payload, withdrawn=withdrawn
            )
        try:
            self.write.result()
        except OutputError as exc:
            return CaseResult(outcome.index, outcome.name, str(path), error=case_error(exc))
        return CaseResult(outcome.index, outcome.name, str(path), withdrawn=withdrawn)


def _start(
    outcome: Outcome,
    namer: Namer | None,
    writer: GroupWriter,
    pending: deque[_Pending],
    *,
    force: bool,
    archive: dict[str, bytes] | None = None,
) -> None:
    """Add the case to `pending`, and hand its plan to the writer."""
    if namer is None:
        pending.append(_Pending(outcome, stream=True))
        return
    if outcome.error is not None or outcome.payload is None:
        pending.append(_Pending(outcome, stream=False))
        return
    path = namer.claim(outcome.label)
    if archive is not None:
        archive[path.name] = outcome.payload
        pending.append(_Pending(outcome, stream=False, path=path))
        return
    # In `pending` before it is queued: interrupted in between, it is cancelled, not written.
    write: Future[None] = Future()
    # The plan is the writer's: what waits here for the commit is only its name.
    named = Outcome(outcome.index, outcome.name, outcome.label, withdrawn=outcome.withdrawn)
    pending.append(_Pending(named, stream=False, path=path, write=write))
    writer.submit(path, outcome.payload, force=force, future=write)


def _record(outcome: Outcome) -> bytes:
    assert outcome.error is not None
    return _line(error_record(outcome.name, outcome.error))


def _line(record: dict[str, object]) -> bytes:
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return (json_escape(text) + "\n").encode()


def _prepare(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        sweep_stale(out_dir)  # plans staged by a batch that was killed
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(
            [Problem(f"cannot be used as the output folder: {reason}", file=str(out_dir))]
        ) from None


def _input_test(given: list[str], out_dir: Path) -> Callable[[Path], bool]:
    """Whether a file of `out_dir` is (or would be picked up as) one of this batch's input
    files: the same file (device and inode, so case-insensitive disks and hard links count) as
    an INPUT file, or an answers file of an INPUT folder that the walk reads. The walk never
    enters the output folder below an INPUT folder (`discover`'s `skip`): a plan there from an
    earlier run is no input, and --force replaces it."""
    files: set[tuple[int, int]] = set()
    for item in given:
        if item == STDIN:
            continue
        path = Path(item)
        try:
            if not path.is_dir():
                info = path.stat()
                files.add((info.st_dev, info.st_ino))
        except OSError:
            continue
    walked = input_folder_of(given, out_dir) is not None  # an INPUT folder: its files are read

    def is_input(candidate: Path) -> bool:
        try:
            info = candidate.stat()
        except OSError:
            return False
        if (info.st_dev, info.st_ino) in files:
            return True
        return walked and candidate.name.lower().endswith(ANSWERS_SUFFIXES)

    return is_input
