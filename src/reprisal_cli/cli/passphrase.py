"""The passphrase a command needs: from `--passphrase-file`, else asked on the terminal without
echo, with a warning when it is weak."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reprisal_cli.errors import UsageError
from reprisal_cli.i18n import _

PassphraseFileOption = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help="Read the passphrase from the first line of this file instead of asking.",
        dir_okay=False,
        show_default=False,
    ),
]

PASSPHRASE_TRIES = 3


def ask_passphrase(*, confirm: bool = True) -> str:
    """Ask for a passphrase on the terminal without echo (twice when `confirm`).

    `UsageError` (exit 2) when there is no terminal to ask on: pass --passphrase-file then.
    """
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    import getpass

    try:
        with Path("/dev/tty").open("rb"):  # getpass falls back to an echoing stdin without one
            pass
    except OSError:
        raise UsageError(
            _("there is no terminal to ask the passphrase on"),
            hint=_("Give it with --passphrase-file FILE."),
        ) from None
    warned = None
    tries = 0
    while tries < PASSPHRASE_TRIES:
        first = getpass.getpass(_("Passphrase: "))
        if not first:
            tries += 1
            sys.stderr.write(_("The passphrase is empty; choose one of several words.") + "\n")
            continue
        if not confirm:
            return first
        if first == warned:  # typed again after the warning: kept, and so confirmed
            return first
        if _warn_if_weak(first, choice=True):
            warned = first
            continue
        if getpass.getpass(_("Passphrase again: ")) == first:
            return first
        tries += 1
        sys.stderr.write(_("The two passphrases differ; try again.") + "\n")
    raise UsageError(_("no passphrase was confirmed: nothing was written"))


def _warn_if_weak(passphrase: str, *, choice: bool) -> bool:
    """Say on standard error why `passphrase` is weak (True), or nothing (False)."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.crypto import passphrase_weakness

    reason = passphrase_weakness(passphrase)
    if reason is None:
        return False
    lines = [
        _("Warning: this passphrase is weak: someone who gets the encrypted file could guess it.")
    ]
    if reason:
        lines.append(_("Why: {reason}").format(reason=reason))
    lines.append(_("A strong passphrase is four or more unrelated words that are not a quote."))
    if choice:
        lines.append(_("Type a stronger one now, or type the same one again to keep it."))
    sys.stderr.write("".join(line + "\n" for line in lines))
    return True


def passphrase_for(passphrase_file: Path | None, *, confirm: bool = True) -> str:
    """The passphrase from `passphrase_file`, else asked on the terminal."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.crypto import read_passphrase_file

    if passphrase_file is not None:
        passphrase = read_passphrase_file(passphrase_file)
        if confirm:  # encrypting: say so, but a script has no one to ask
            _warn_if_weak(passphrase, choice=False)
        return passphrase
    return ask_passphrase(confirm=confirm)
