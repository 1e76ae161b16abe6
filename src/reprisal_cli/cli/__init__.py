"""The command-line interface: a thin typer layer over the library.

Each command lives in its own module, parses its arguments, calls the core and renders. Heavy
modules are imported inside the commands that need them, so start-up stays fast.
"""

from __future__ import annotations

import signal
import sys
from typing import Annotated

import typer

from reprisal_cli.cli.common import builtin_fingerprint, fail
from reprisal_cli.errors import ExitCode, ReprisalError
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


def _version(value: bool) -> None:
    if not value:
        return
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli import __version__

    try:
        fingerprint = builtin_fingerprint()
    except ReprisalError as exc:
        raise fail(exc) from None
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.output import stdout_error

    try:
        typer.echo(f"reprisal-cli {__version__}\nknowledge base fingerprint {fingerprint}")
    except OSError as exc:
        error = stdout_error(exc)
        if error is None:
            raise
        raise fail(error) from None
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
    passphrase or a plan.
    """

    no_core_dumps()
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted: nothing was written.\n")
        sys.exit(int(ExitCode.INTERRUPTED))
