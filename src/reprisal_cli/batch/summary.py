"""The end of a batch: each case's result, the exit code (contract §4) and the JSON report."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reprisal_cli.batch.run import CaseError
from reprisal_cli.case.model import withdrawal_keys
from reprisal_cli.errors import ExitCode
from reprisal_cli.i18n import N_
from reprisal_cli.untrusted import json_escape

REPORT_SCHEMA = "reprisal-cli/batch-report/v1"
# Contract §4: the exit code of a batch is the highest-priority failure met.
EXIT_PRIORITY = (ExitCode.OUTPUT, ExitCode.KNOWLEDGE_BASE, ExitCode.ANSWERS)
# Why a case file found in a folder was not read: the report's `skipped.reason` as it is (a
# machine's text, in English), the summary's rows in the reader's language (`_(UNREAD_REASON)`).
UNREAD_REASON = N_("case file: not read without --identity KEYFILE or --passphrase-file FILE")


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One case done: written (or streamed), or failed with a reason."""

    index: int
    input: str
    output: str | None = None
    error: CaseError | None = None
    # What goes to a stream (`-o -`): the plan's JSON line, or the error record's.
    line: bytes | None = None
    # The consents withdrawn after --as-of, for a case file (see `case.model.narrowed_after`).
    withdrawn: Mapping[str, dt.date] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Summary:
    """Every case's result, in input order (small: no plan is kept)."""

    results: list[CaseResult] = field(default_factory=list)
    stopped_early: bool = False  # --fail-fast stopped the batch at the first failure
    # The case files (*.age) found in the INPUT folders and not read, since nothing was given
    # to open them (`inputs.discover`): no plan was made for them.
    unread: list[str] = field(default_factory=list)
    _indexes: set[int] = field(default_factory=set, repr=False)

    def add(self, result: CaseResult) -> None:
        """Count a case, once: a batch stopped between counting a case and letting go of it
        offers it again."""
        if result.index in self._indexes:
            return
        self._indexes.add(result.index)
        # The stream line is already written: keeping it would make memory grow with the batch.
        self.results.append(
            CaseResult(
                result.index, result.input, result.output, result.error, withdrawn=result.withdrawn
            )
        )

    @property
    def ok(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if not r.ok]

    @property
    def exit_code(self) -> ExitCode:
        met = {r.error.exit_code for r in self.results if r.error is not None}
        for code in EXIT_PRIORITY:
            if code in met:
                return code
        return ExitCode.ANSWERS if met else ExitCode.OK

    def to_json(self) -> str:
        """The summary as `reprisal-cli/batch-report/v1` JSON."""
        data: dict[str, Any] = {
            "schema": REPORT_SCHEMA,
            "exit_code": int(self.exit_code),
            "cases": len(self.results),
            "ok": self.ok,
            "failed": len(self.results) - self.ok,
            "stopped_early": self.stopped_early,
            "results": [_result_json(r) for r in self.results],
        }
        if self.unread:
            # Added within v1, only when there are some: a reader of the report that does not
            # know the key is not misled by the counts above, which leave these files out.
            data["skipped"] = {
                "case_files": len(self.unread),
                "inputs": list(self.unread),
                "reason": UNREAD_REASON,
            }
        return json_escape(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def _result_json(result: CaseResult) -> dict[str, Any]:
    if result.error is None:
        ok: dict[str, Any] = {"input": result.input, "status": "ok", "output": result.output}
        if result.withdrawn:
            # The plan was made for a day before a consent was withdrawn (as on standard
            # error): a report read later, alone, must say so too.
            ok["consent_withdrawn_after_as_of"] = withdrawal_keys(result.withdrawn)
        return ok
    error = result.error
    return {
        "input": result.input,
        "status": "failed",
        "output": result.output,
        "error": {
            "code": error.code,
            "message": error.message,
            "line": error.line,
            "key": error.key,
            "exit_code": error.exit_code,
        },
    }
