"""The one boundary between errors and the user: every command runs inside `handle_errors`,
which turns an exception into one clear message and the contract's exit code (§4). No other
place maps an exception to an exit code: a command that must clean up or say more catches,
does so, and raises again (`Interrupted` carries what it has to say)."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from reprisal_cli.errors import ExitCode, ReprisalError
from reprisal_cli.i18n import _, current_lang, set_lang

P = ParamSpec("P")
R = TypeVar("R")


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or end of input, caught by a command that has more to say than "nothing
    was written" (what is on disk, how far it got): `message` is written as it is, exit 130."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def drop_stdout() -> None:
    """Point standard output at /dev/null after its reader went away (`| head`), so that the
    flush at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _fail(error: ReprisalError) -> typer.Exit:
    """Print one error to standard error and give the exit to raise."""
    sys.stderr.write(_("error: {message}").format(message=error.render()) + "\n")
    return typer.Exit(int(error.exit_code))


def interrupted() -> typer.Exit:
    """Say that nothing was written, and give the exit to raise (130)."""
    sys.stderr.write(_("Interrupted: nothing was written.") + "\n")
    return typer.Exit(int(ExitCode.INTERRUPTED))


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command: a `ReprisalError` becomes a message and its exit code; Ctrl-C, SIGTERM
    and end of input (Ctrl-D at a prompt) exit 130; a closed standard output (`| head`) exits 0
    quietly, a full disk behind it 4. The only place an exception becomes an exit code.
    The language the command chose is in effect until it returns, and no longer (a library user
    or a test running several commands in one process gets each in its own language)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        # lazy: each command loads what it needs, so --help stays fast (bench/startup)
        from reprisal_cli.output import flush_stdout, stdout_error

        before = current_lang()
        try:
            result = fn(*args, **kwargs)
            flush_stdout()
            return result
        except ReprisalError as exc:
            raise _fail(exc) from None
        except BrokenPipeError:
            # The reader stopped reading (`| head`): it has what it wanted. Exit quietly.
            drop_stdout()
            raise typer.Exit(int(ExitCode.OK)) from None
        except OSError as exc:
            error = stdout_error(exc)  # every file is written by output.py: this is stdout
            if error is None:
                raise
            raise _fail(error) from None
        except Interrupted as exc:
            sys.stderr.write(exc.message)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except (KeyboardInterrupt, EOFError):  # Ctrl-C, SIGTERM, or Ctrl-D at a prompt
            raise interrupted() from None
        finally:
            set_lang(before)

    return wrapper
