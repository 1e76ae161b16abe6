"""The command-line interface: a thin typer layer over the library.

Each command lives in its own module, parses its arguments, calls the core and renders. Heavy
modules are imported inside the commands that need them, so start-up stays fast.
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from reprisal_cli.cli.boundary import handle_errors, interrupted
from reprisal_cli.cli.knowledge import builtin_fingerprint
from reprisal_cli.process import no_core_dumps

_APP_SETTINGS: dict[str, Any] = {
    "name": "reprisal-cli",
    "help": "Offline do-no-harm action plans for human rights defenders facing reprisals for "
    "cooperating with the UN. Nothing is sent anywhere; nothing is written unless you ask.",
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "pretty_exceptions_show_locals": False,
    "rich_markup_mode": None,
}
# The module of each command (`kb` and `case` are groups of commands). Importing every one of
# them, and typer building all their parameters, is a third of a command's start-up: a run that
# names its command at once builds only that one (`main`).
COMMAND_MODULES: dict[str, str] = {
    "kb": "kb",
    "plan": "plan",
    "assess": "assess",
    "open": "open",
    "checklist": "checklist",
    "form": "form",
    "draft": "draft",
    "card": "card",
    "schema": "schema",
    "batch": "batch",
    "case": "case",
    "followup": "followup",
    "export": "export",
    "import": "export",
}


@handle_errors
def _version(value: bool) -> None:
    if not value:
        return
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli import __version__

    fingerprint = builtin_fingerprint()
    typer.echo(f"reprisal-cli {__version__}\nknowledge base fingerprint {fingerprint}")
    raise typer.Exit()


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


def _new_app() -> typer.Typer:
    made = typer.Typer(**_APP_SETTINGS)
    made.callback()(_root)
    return made


def _add(made: typer.Typer, module_name: str) -> None:
    # lazy: each command's module only when the command is run, so start-up stays fast
    # (bench/startup)
    module = importlib.import_module(f"reprisal_cli.cli.{module_name}")
    if module_name == "kb":
        made.add_typer(module.app, name="kb")
    else:
        module.register(made)


def build_app(command: str | None = None) -> typer.Typer:
    """The application with every command, or only with the module of `command` (for a run
    that names it: the same parsing, help and errors for that command, and less to build)."""
    made = _new_app()
    if command is not None:
        _add(made, COMMAND_MODULES[command])
        return made
    for module_name in dict.fromkeys(COMMAND_MODULES.values()):
        _add(made, module_name)
    return made


def __getattr__(name: str) -> Any:
    """`app`, the application with every command (tests, and `main` when no command is named),
    built the first time it is asked for."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    made = globals().get("_app")
    if made is None:
        made = globals()["_app"] = build_app()
    return made


def _interrupt(signal_number: int, frame: object) -> None:
    raise KeyboardInterrupt


def _closed_streams_to_nowhere() -> None:
    """A standard stream the process started without (`>&-`, `<&-`) is the null device, as if
    it had been `> /dev/null` (`< /dev/null`): Python leaves it None, and the first write to it
    was a traceback (red46). What goes there is dropped; nothing else changes."""
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, Path(os.devnull).open(mode, encoding="utf-8"))  # noqa: SIM115 - for the process's life


def main() -> None:
    """Entry point of the `reprisal-cli` console script.

    SIGTERM (sent by `timeout`, systemd, a shutdown) is handled as Ctrl-C is: the same message,
    the same clean-up, exit 130. No core file is ever written of a process that may hold a
    passphrase or a plan. Errors become messages and exit codes in one place, `handle_errors`
    around each command; this catches only an interruption before a command started.
    """

    no_core_dumps()
    _closed_streams_to_nowhere()
    signal.signal(signal.SIGTERM, _interrupt)
    named = sys.argv[1] if len(sys.argv) > 1 else None
    try:
        if named in COMMAND_MODULES:
            build_app(named)()
        elif named == "--version":  # answered before any command is looked at: none is built
            _new_app()()
        else:
            __getattr__("app")()
    except KeyboardInterrupt:
        sys.exit(interrupted().exit_code)
    finally:
        # The process ends now: the collector's last full pass, over everything still held
        # (the knowledge base), would find nothing to free that ending does not free, and took
        # 15 ms of `followup`'s 0.31 s (bench/RESULTS.md, follow-up, 2026-12-05).
        gc.freeze()
