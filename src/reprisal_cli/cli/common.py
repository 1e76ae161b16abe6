"""What every command shares: the knowledge-base and language options, and turning errors into
one clear message and the contract's exit code (§4)."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, ParamSpec, TypeVar

import typer

from reprisal_cli.errors import (
    ExitCode,
    KnowledgeBaseError,
    Problem,
    ReprisalError,
    UsageError,
)
from reprisal_cli.i18n import _, current_lang, resolve_lang, set_lang
from reprisal_cli.untrusted import one_line

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
# What `--as-of` does differs by command; each help says it in plain words.
_AS_OF_DEFAULT = (
    " Default: today (or the day in the SOURCE_DATE_EPOCH environment variable, if set). "
    "Give the same day to get the same file again."
)
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Act as if today were this day, YYYY-MM-DD: it is the date shown, and the age of "
        "every contact check is counted from it." + _AS_OF_DEFAULT,
        show_default=False,
    ),
]
PrintedAsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Act as if today were this day, YYYY-MM-DD: it is the date printed on the document."
        + _AS_OF_DEFAULT,
        show_default=False,
    ),
]
CheckAsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Act as if today were this day, YYYY-MM-DD: the age of every contact check is "
        "counted from it." + _AS_OF_DEFAULT,
        show_default=False,
    ),
]
UnusedAsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Not used: a draft shows no date. Accepted (and checked, YYYY-MM-DD) so that a "
        "script can give the same options to every command.",
        show_default=False,
    ),
]


def language(lang: str | None) -> str:
    """The language of this run (`--lang`, else the locale, else English), now in effect for
    every message; `UsageError` (exit 2) for an unknown `--lang`."""
    chosen = resolve_lang(lang)
    set_lang(chosen)
    return chosen


def fail(error: ReprisalError) -> typer.Exit:
    """Print one error to standard error and give the exit to raise."""
    sys.stderr.write(_("error: {message}").format(message=error.render()) + "\n")
    return typer.Exit(int(error.exit_code))


def interrupted() -> typer.Exit:
    """Say that nothing was written, and give the exit to raise (130)."""
    sys.stderr.write(_("Interrupted: nothing was written.") + "\n")
    return typer.Exit(int(ExitCode.INTERRUPTED))


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command: a `ReprisalError` becomes a message and its exit code; Ctrl-C, SIGTERM
    and end of input (Ctrl-D at a prompt) exit 130.
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
            raise fail(exc) from None
        except BrokenPipeError:
            # The reader stopped reading (`| head`): it has what it wanted. Exit quietly, and
            # point standard output at /dev/null so the flush at exit does not fail again.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(int(ExitCode.OK)) from None
        except OSError as exc:
            error = stdout_error(exc)  # every file is written by output.py: this is stdout
            if error is None:
                raise
            raise fail(error) from None
        except (KeyboardInterrupt, EOFError):  # Ctrl-C, SIGTERM, or Ctrl-D at a prompt
            raise interrupted() from None
        finally:
            set_lang(before)

    return wrapper


def load_kb_for(kb: Path | None, kb_add: Path | None, *, translate: bool = True) -> Any:
    """The knowledge base a command runs on, its texts in the interface language where a
    translation exists (`translate=False` keeps the source texts, e.g. to validate them)."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.kb.loader import load_kb

    knowledge = load_kb(kb, overlay=kb_add)
    if not translate:
        return knowledge
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.engine.evaluate import translated

    return translated(knowledge, knowledge.translations.get(current_lang()))


def builtin_fingerprint() -> str:
    """The built-in knowledge base's fingerprint, marked when its files changed since release."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.kb.files import DataFileError, builtin_dir, check_builtin, fingerprint_from

    try:
        hashes, modified = check_builtin(builtin_dir())
    except DataFileError as exc:
        raise KnowledgeBaseError([Problem(exc.reason, file=str(exc.path))]) from None
    fingerprint = fingerprint_from(hashes)
    if modified:
        fingerprint += " (modified since release: reinstall from a trusted source)"
    return fingerprint


def fingerprint_of_folder(directory: Path) -> str:
    """The fingerprint of the knowledge base in `directory`; exit 3 for a file too large to be
    one, a link or a device."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.kb.files import DataFileError, fingerprint_of

    if not directory.is_dir():
        raise KnowledgeBaseError([Problem("is not a folder", file=str(directory))])
    try:
        return fingerprint_of(directory)
    except DataFileError as exc:
        raise KnowledgeBaseError([Problem(exc.reason, file=str(exc.path))]) from None


# -- encryption (age) ------------------------------------------------------------------------

EncryptOption = Annotated[
    bool,
    typer.Option(
        "--encrypt",
        help="Encrypt the file with a passphrase (age, scrypt); '.age' is added to its name. "
        "The passphrase is asked twice without echo, or read from --passphrase-file.",
    ),
]
PassphraseFileOption = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help="Read the passphrase from the first line of this file instead of asking.",
        dir_okay=False,
        show_default=False,
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

PASSPHRASE_TRIES = 3


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


# -- output options and writing, shared by the commands that print documents ---------------

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
PaperOption = Annotated[
    str, typer.Option("--paper", help="Paper size for PDF and HTML: a4 or letter.")
]


def choose_format(
    fmt: str | None, output: Path | None, formats: tuple[str, ...], *, default: str
) -> str:
    """The format to write: `--format` if given, else the one the file name says, else
    `default`. `UsageError` (exit 2) for a format not in `formats`, and for a file name whose
    suffix says another format than `--format` (Markdown must never land in a .pdf)."""
    from reprisal_cli.i18n import _
    from reprisal_cli.render import suffix_format

    if fmt is not None and fmt not in formats:
        raise UsageError(
            _("--format: unknown format {format!r}").format(format=fmt),
            hint=_("Use one of: {formats}.").format(formats=", ".join(formats)),
        )
    named = suffix_format(output) if output is not None else None
    if named is None:
        return default if fmt is None else fmt
    if fmt is not None and fmt != named:
        raise UsageError(
            _("the file name {file} says .{suffix}, but --format says {format}").format(
                file=one_line(str(output)), suffix=named, format=fmt
            ),
            hint=_("Leave out --format, or end the file name in .{format}.").format(format=fmt),
        )
    if named not in formats:
        raise UsageError(
            _("this command does not write .{suffix} files").format(suffix=named),
            hint=_("Use one of: {formats}.").format(formats=", ".join(formats)),
        )
    return named


def check_choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    """`UsageError` (exit 2) unless `value` is one of `allowed`."""
    if value not in allowed:
        raise UsageError(
            f"{option}: unknown value {value!r}", hint="Use one of: " + ", ".join(allowed) + "."
        )


def paper_size(value: str) -> Literal["a4", "letter"]:
    """`--paper`, checked."""
    if value == "letter":
        return "letter"
    check_choice("--paper", value, ("a4", "letter"))
    return "a4"


def emit(data: str | bytes, output: Path | None, *, force: bool, fmt: str, what: str) -> None:
    """Write `data` to `output` atomically, or to standard output (never binary to a terminal)."""
    if output is not None:
        # lazy: each command loads what it needs, so --help stays fast (bench/startup)
        from reprisal_cli.output import write_atomic

        write_atomic(output, data, force=force)
        sys.stderr.write(f"{what} written to {one_line(str(output))}\n")
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


# -- reading answers: an answers file, or a case file ---------------------------------------

IdentityOption = Annotated[
    Path | None,
    typer.Option(
        "--identity",
        "-i",
        help="Open a case file encrypted to age keys with the secret key in this file.",
        dir_okay=False,
        show_default=False,
    ),
]


def is_case_file(path: Path) -> bool:
    """Whether a command's ANSWERS argument names a case file (FILE.age) rather than answers."""
    return path.name.lower().endswith(".age") and str(path) != "-"


def read_answers_or_case(
    path: Path,
    *,
    as_of: Any,
    passphrase_file: Path | None = None,
    identity: Path | None = None,
) -> tuple[Any, Any]:
    """The answers a command works on, and the case they come from (None for an answers file).

    A file named .age is decrypted in memory with --passphrase-file (else asked) or --identity.
    A case file gives the answers in force on `as_of`, consent taken from its ledger; an answers
    file saved with --encrypt gives its answers."""
    from reprisal_cli.answers import Answers, read_answers

    if not is_case_file(path):
        return read_answers(path), None
    from reprisal_cli.case.model import answers_on
    from reprisal_cli.case.store import decode_case_or_answers
    from reprisal_cli.crypto import decrypt, read_encrypted, read_identity_file

    raw = read_encrypted(path)
    keys = read_identity_file(identity) if identity is not None else []
    passphrase = None if keys else passphrase_for(passphrase_file, confirm=False)
    plain = decrypt(raw, passphrase=passphrase, identities=keys, name=str(path))
    found = decode_case_or_answers(plain, str(path))
    if isinstance(found, Answers):
        return found, None
    return answers_on(found, as_of, str(path)), found
