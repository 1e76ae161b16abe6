"""One root exception; each child maps to an exit code of the contract (§4).

Every error a user sees says where the problem is (file, line, column, path inside the file) and,
where it can, what would be accepted instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from reprisal_cli.untrusted import one_line

# A key name of thousands of characters would bury the message: its start says which one it is.
PATH_SHOWN = 120


class ExitCode(IntEnum):
    """Exit codes of contract §4."""

    OK = 0
    ANSWERS = 1
    USAGE = 2
    KNOWLEDGE_BASE = 3
    OUTPUT = 4
    INTERRUPTED = 130


@dataclass(frozen=True)
class Problem:
    """One located problem: `file:line:col path: message`."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: str = ""
    key: str | None = None
    code: str = "invalid"

    def __str__(self) -> str:
        """The problem on one line. File names, key names and messages may carry text from the
        file or the command line: control, bidi and invisible characters are removed and line
        breaks joined, so a hostile key cannot draw on the screen or start a line of its own."""
        where = ""
        if self.file:
            where = one_line(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        path = one_line(self.path)
        if len(path) > PATH_SHOWN:
            path = path[: PATH_SHOWN - 3] + "..."
        head = " ".join(part for part in (where, path) if part)
        message = one_line(self.message)
        return f"{head}: {message}" if head else message


class ReprisalError(Exception):
    """Root of every error the tool reports to a user."""

    exit_code: ExitCode = ExitCode.USAGE
    code: str = "error"

    def __init__(self, problems: list[Problem] | str, hint: str | None = None) -> None:
        self.problems = [Problem(problems)] if isinstance(problems, str) else list(problems)
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)


class KnowledgeBaseError(ReprisalError):
    """A knowledge-base file is missing, unreadable or invalid (exit 3)."""

    exit_code = ExitCode.KNOWLEDGE_BASE
    code = "knowledge_base"


class AnswersError(ReprisalError):
    """An answers file is unreadable or breaks the contract (exit 1)."""

    exit_code = ExitCode.ANSWERS
    code = "answers"


class OutputError(ReprisalError):
    """An output could not be written (exit 4)."""

    exit_code = ExitCode.OUTPUT
    code = "output"


class UsageError(ReprisalError):
    """A bad option or argument (exit 2)."""

    exit_code = ExitCode.USAGE
    code = "usage"
