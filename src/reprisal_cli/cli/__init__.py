"""The command-line interface: a thin typer layer over the library.

Each command lives in its own module, parses its arguments, calls the core and renders. Heavy
modules are imported inside the commands that need them, so start-up stays fast.
"""

from __future__ import annotations

import signal
import sys
from typing import Annotated

import typer

from reprisal_cli.cli.boundary import handle_errors, interrupted
from reprisal_cli.cli.knowledge import builtin_fingerprint
from reprisal_cli.process import no_core_dumps

app = typer.Typer(
    name="reprisal-cli",
    help="Offline do-no-harm action plans for human rights defenders facing reprisals for "
    "cooperating with the UN. Nothing is sent anywhere; nothing is written unless you ask.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


@handle_errors
def _version(value: bool) -> None:
    if not value:
        return
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli import __version__

    fingerprint = builtin_fingerprint()
    typer.echo(f"reprisal-cli {__version__}\nknowledge base fingerprint {fingerprint}")
    raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show the version and the knowledge-base fingerprint.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Offline do-no-harm action plans for human rights defenders facing reprisals."""


def _register() -> None:
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.cli import kb

    app.add_typer(kb.app, name="kb")
    for name in (
        "plan",
        "assess",
        "open",
        "checklist",
        "form",
        "draft",
        "card",
        "schema",
        "batch",
        "case",
        "followup",
        "export",
    ):
        try:
            module = __import__(f"reprisal_cli.cli.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"reprisal_cli.cli.{name}":
                raise
            continue
        module.register(app)


_register()


def _interrupt(signal_number: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the `reprisal-cli` console script.

    SIGTERM (sent by `timeout`, systemd, a shutdown) is handled as Ctrl-C is: the same message,
    the same clean-up, exit 130. No core file is ever written of a process that may hold a
    passphrase or a plan. Errors become messages and exit codes in one place, `handle_errors`
    around each command; this catches only an interruption before a command started.
    """

    no_core_dumps()
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(interrupted().exit_code)
