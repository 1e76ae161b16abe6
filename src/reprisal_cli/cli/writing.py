"""Writing what a command makes: `-o FILE` or the screen, atomically, encrypted (age) when asked."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reprisal_cli.cli.passphrase import passphrase_for
from reprisal_cli.errors import UsageError
from reprisal_cli.i18n import _
from reprisal_cli.untrusted import one_line

OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of the screen (never replaces a file unless --force).",
        dir_okay=False,
        show_default=False,
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")]
EncryptOption = Annotated[
    bool,
    typer.Option(
        "--encrypt",
        help="Encrypt the file with a passphrase (age, scrypt); '.age' is added to its name. "
        "The passphrase is asked twice without echo, or read from --passphrase-file.",
    ),
]
RecipientOption = Annotated[
    list[str] | None,
    typer.Option(
        "--recipient",
        "-r",
        help="Encrypt to this age public key (age1...); repeat for several. Only the holders of "
        "the matching secret keys can open the output.",
        show_default=False,
    ),
]


def check_encrypt_options(
    encrypt: bool,
    passphrase_file: Path | None,
    output: Path | None = None,
    *,
    needs_output: bool = True,
) -> None:
    """`UsageError` (exit 2) for --passphrase-file without --encrypt, --encrypt without a file,
    or a name ending in .age that would not be encrypted."""
    if passphrase_file is not None and not encrypt:
        raise UsageError(
            _("--passphrase-file goes with --encrypt"), hint=_("Add --encrypt, or leave it out.")
        )
    if encrypt and output is None and needs_output:
        raise UsageError(
            _("--encrypt needs a file to write: add -o FILE"),
            hint=_("An encrypted file is binary; it is never written to the screen."),
        )
    if not encrypt and output is not None:
        refuse_age_name(output, hint=_("Add --encrypt, or choose a name without .age."))


def refuse_age_name(output: Path, *, hint: str | None = None) -> None:
    """`UsageError` (exit 2) when `output` ends in .age: only encrypted files may be named so."""
    if output.name.lower().endswith(".age"):
        raise UsageError(
            _("{file} ends in .age but would not be encrypted").format(file=output), hint=hint
        )


def output_target(output: Path, *, encrypt: bool, force: bool = False) -> Path:
    """The path that will be written (`.age` added when encrypting), checked before any passphrase
    is asked: `OutputError` (exit 4) for a link, device, FIFO, or an existing file without force."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.crypto import with_age_suffix
    from reprisal_cli.output import check_target

    target = with_age_suffix(output) if encrypt else output
    check_target(target, force=force)
    return target


def write_output(
    output: Path,
    data: str | bytes,
    *,
    force: bool = False,
    encrypt: bool = False,
    passphrase_file: Path | None = None,
    recipients: list[str] | None = None,
) -> Path:
    """Write one output atomically, encrypted when asked; returns the path written.

    `encrypt` locks it with a passphrase (from `passphrase_file`, else asked twice without echo);
    `recipients` (age public keys) lock it to those keys instead. Either way the name gets `.age`.
    Errors are `ReprisalError`s: let `handle_errors` turn them into exit codes 2 and 4.
    """
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.crypto import encrypt_passphrase, encrypt_recipients, parse_recipients
    from reprisal_cli.output import write_atomic

    locked = encrypt or bool(recipients)
    if recipients:
        parse_recipients(recipients)  # a typo in a key fails before anything else
    target = output_target(output, encrypt=locked, force=force)
    if recipients:
        payload = encrypt_recipients(data, recipients)
    elif encrypt:
        payload = encrypt_passphrase(data, passphrase_for(passphrase_file))
    else:
        payload = data.encode("utf-8") if isinstance(data, str) else data
    write_atomic(target, payload, force=force)
    return target


# Said when a plain file is written from an encrypted one (a case file, encrypted answers): a
# readable copy of what it holds is now on the disk (red team red37).
NOT_ENCRYPTED = ", NOT encrypted: delete it when you no longer need it"


def emit(
    data: str | bytes,
    output: Path | None,
    *,
    force: bool,
    fmt: str,
    what: str,
    from_encrypted: bool = False,
) -> None:
    """Write `data` to `output` atomically, or to standard output (never binary to a terminal).
    `from_encrypted`: the data comes from an encrypted file, and the file written says so."""
    if output is not None:
        # lazy: each command loads what it needs, so --help stays fast (bench/startup)
        from reprisal_cli.output import write_atomic

        write_atomic(output, data, force=force)
        plain = NOT_ENCRYPTED if from_encrypted else ""
        sys.stderr.write(f"{what} written to {one_line(str(output))}{plain}\n")
        return
    if isinstance(data, bytes):
        if sys.stdout.isatty():
            raise UsageError(
                f"--format {fmt} is binary and would garble the terminal",
                hint="Add -o FILE to write it to a file.",
            )
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        typer.echo(data, nl=False)
