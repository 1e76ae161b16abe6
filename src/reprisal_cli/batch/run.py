"""Running a batch: evaluate every case (in worker processes, or in-process with one job) and
hand back the outcomes in input order, as they come.

Memory stays flat whatever the number of cases: sources are found lazily, at most
`workers.Workers.AHEAD` chunks are out per worker, and each plan is written (or streamed) and
dropped before the next is taken. Each worker has the knowledge base from the start (forked with
the parent's, or loading it once); a task carries only a path or one stdin line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from reprisal_cli.answers import MAX_ANSWERS_BYTES, load_answers, parse_answers
from reprisal_cli.batch.inputs import Source
from reprisal_cli.case.model import CaseFile, narrowed_after
from reprisal_cli.case.plan import evaluate_case
from reprisal_cli.case.store import MAX_CASE_BYTES, decode_case_or_answers
from reprisal_cli.contract import ERROR_SCHEMA
from reprisal_cli.crypto import decrypt
from reprisal_cli.documents import read_bytes
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.states import with_region
from reprisal_cli.errors import AnswersError, Problem, ReprisalError
from reprisal_cli.kb.loader import load_kb
from reprisal_cli.records import written_name
from reprisal_cli.render import RenderOptions, render
from reprisal_cli.untrusted import json_escape_bytes, one_line
from reprisal_cli.workers import Workers, can_fork, default_jobs

if TYPE_CHECKING:
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
    # What opens encrypted inputs (case files, answers saved with --encrypt): age secret keys,
    # else a passphrase. Without either, a `.age` file in a folder is not picked up.
    identities: tuple[str, ...] = ()
    passphrase: str | None = field(default=None, repr=False)

    @property
    def opens_encrypted(self) -> bool:
        """Whether encrypted inputs can be opened (and so are looked for in folders)."""
        return bool(self.identities) or self.passphrase is not None


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
    # A case file whose ledger shows a consent withdrawn after --as-of (`narrowed_after`).
    withdrawn: Mapping[str, dt.date] = field(default_factory=dict)


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
        head = " ".join(p for p in (where, one_line(problem.path)) if p)
        message = one_line(problem.message)
        parts.append(f"{head}: {message}" if head else message)
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
        if isinstance(answers, CaseFile):
            withdrawn = narrowed_after(answers, self.settings.as_of)
            plan = evaluate_case(
                answers, self.kb, as_of=self.settings.as_of, lang=self.settings.lang,
                name=source.name,
            )  # fmt: skip
            payload = self._render(plan=plan)
            return Outcome(source.index, source.name, label, payload, withdrawn=withdrawn)
        return Outcome(source.index, source.name, label, payload=self._render(answers))

    def _answers(self, source: Source) -> Any:
        """The case's answers; `AnswersError` for anything wrong with what was given, whatever
        the parser raised: one hostile case fails alone, never the worker and the batch."""
        try:
            parsed = self._parse(source)
            if isinstance(parsed, CaseFile):
                return parsed
            return with_region(self.kb, parsed, name=source.name)
        except AnswersError:
            raise
        except Exception as exc:  # untrusted input: one case fails, not the batch
            raise AnswersError(
                [Problem(f"could not be read as answers ({type(exc).__name__})", code="syntax")]
            ) from None

    def _parse(self, source: Source) -> Any:
        if source.problem is not None:
            raise AnswersError([Problem(source.problem, code="not_read")])
        if source.data is None:
            path = Path(source.path or source.name)
            if path.name.lower().endswith(".age"):
                return self._encrypted(path, source)
            if not source.in_folder:
                return load_answers(path, name=source.name)
            raw = read_bytes(
                path, max_bytes=MAX_ANSWERS_BYTES, error=AnswersError, follow_symlinks=False
            )
            return parse_answers(raw, source.name)
        if not source.data.lstrip().startswith(b"{"):
            raise AnswersError(
                [Problem("is not a JSON object (one answers document per line)", code="syntax")]
            )
        return parse_answers(source.data, source.name)

    def _encrypted(self, path: Path, source: Source) -> Any:
        """A case file (its consent in force from the ledger), or answers saved encrypted."""
        if not self.settings.opens_encrypted:
            raise AnswersError(
                [Problem("is encrypted: nothing given to open it", code="encrypted")],
                hint="Give --identity KEYFILE (a case locked to age keys) or --passphrase-file.",
            )
        raw = read_bytes(
            path, max_bytes=MAX_CASE_BYTES, error=AnswersError, follow_symlinks=not source.in_folder
        )
        plain = decrypt(
            raw,
            passphrase=self.settings.passphrase,
            identities=self.settings.identities,
            name=source.name,
        )
        return decode_case_or_answers(plain, source.name)

    def _render(self, answers: Any = None, *, plan: Any = None) -> bytes:
        if plan is None:
            plan = evaluate(answers, self.kb, as_of=self.settings.as_of, lang=self.settings.lang)
        if self.settings.redact and plan.case_id is not None:
            plan = replace(plan, case_id=None)
        fmt = self.settings.fmt
        if fmt == JSONL:
            return plan_bytes(plan, indent=None)
        if fmt == "json":
            return plan_bytes(plan, indent=2)
        out = render(plan, fmt, self.kb, RenderOptions(redact=self.settings.redact))
        return out if isinstance(out, bytes) else out.encode("utf-8")


def plan_bytes(plan: Any, *, indent: int | None) -> bytes:
    """The plan as contract JSON: with `indent` 2, the same bytes as `render.json.plan_json`
    (tests/test_batch.py holds them equal); without, one compact line.

    orjson serialises the plan's dataclasses directly, in field order: some 7x faster than
    pydantic-core, itself 7x faster than `to_json_dict` + `json.dumps`, whose pure-Python encoder
    is what indenting costs. Only the top level has a key written unlike its field (`schema`).
    """
    top = {written_name(f.name): getattr(plan, f.name) for f in dataclasses.fields(plan)}
    option = orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if indent == 2 else 0)
    return json_escape_bytes(orjson.dumps(top, option=option))


def load_kb_of(settings: Settings) -> KnowledgeBase:
    """The knowledge base the batch runs on (raises `KnowledgeBaseError`, exit 3)."""
    return load_kb(settings.kb_dir, overlay=settings.kb_add)


def evaluate_all(
    sources: Iterable[Source], settings: Settings, *, jobs: int, kb: KnowledgeBase | None = None
) -> Generator[Outcome, None, None]:
    """Every source's outcome, in input order, as soon as it and those before it are ready.

    With `jobs` 1 everything runs in this process (on `kb` if given). Otherwise the workers
    start now, before the caller starts any thread of its own (forking a process that has
    threads can deadlock the child); where they are forked, they use `kb` as it is rather
    than load it again. Closing the iterator (`--fail-fast`) stops the workers.
    """
    # No more workers than cores (more only share them), nor than the chunks of work there are
    # (a worker per case made 2,000 processes for `-j 5000` on one file).
    jobs = max(1, min(jobs, default_jobs()))
    sources = iter(sources)
    first = list(itertools.islice(sources, jobs * CHUNKSIZE))
    jobs = min(jobs, -(-len(first) // CHUNKSIZE))
    sources = itertools.chain(first, sources)
    if jobs <= 1:
        return _in_process(sources, settings, kb)
    # Forked workers use `kb` as it is; spawned ones would be sent it pickled (slower), so they
    # load it themselves.
    inherited = kb if can_fork() else None
    workers: Workers[Source, Outcome] = Workers(
        jobs, evaluator_for, (settings, inherited), chunksize=CHUNKSIZE, lost="cases"
    )
    return workers.run(sources)


def _in_process(
    sources: Iterable[Source], settings: Settings, kb: KnowledgeBase | None
) -> Generator[Outcome, None, None]:
    evaluator = evaluator_for(settings, kb)
    for source in sources:
        yield evaluator(source)


def evaluator_for(settings: Settings, kb: KnowledgeBase | None) -> Evaluator:
    """The batch's evaluator, on `kb` or on the knowledge base `settings` name (loaded here:
    in a spawned worker, once)."""
    return Evaluator(kb if kb is not None else load_kb_of(settings), settings)
