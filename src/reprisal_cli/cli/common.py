"""What every command shares: the knowledge-base and language options, and turning errors into
one clear message and the contract's exit code (§4)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from reprisal_cli.errors import ExitCode, ReprisalError

P = ParamSpec("P")
R = TypeVar("R")

KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        help="Use this knowledge-base folder instead of the built-in one (labelled 'custom').",
        file_okay=False,
        show_default=False,
    ),
]
KbAddOption = Annotated[
    Path | None,
    typer.Option(
        "--kb-add",
        help="Lay local organisations and contacts (organisations.yaml, contacts.yaml in this "
        "folder) over the knowledge base.",
        file_okay=False,
        show_default=False,
    ),
]
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language: en, fr, es, ar, ru, zh (default: from LANG / LC_ALL, else en).",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Date of the plan, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today). Fixes every "
        "date shown, so the same inputs give the same bytes.",
        show_default=False,
    ),
]


def fail(error: ReprisalError) -> typer.Exit:
    """Print one error to standard error and give the exit to raise."""
    sys.stderr.write(f"error: {error.render()}\n")
    return typer.Exit(int(error.exit_code))


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command: a `ReprisalError` becomes a message and its exit code, Ctrl-C exits 130."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except ReprisalError as exc:
            raise fail(exc) from None
        except KeyboardInterrupt:
            sys.stderr.write("Interrupted: nothing was written.\n")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None

    return wrapper


def load_kb_for(kb: Path | None, kb_add: Path | None) -> Any:
    """The knowledge base a command runs on."""
    from reprisal_cli.kb.loader import load_kb

    return load_kb(kb, overlay=kb_add)
