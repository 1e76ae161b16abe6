"""Reading what a command works on: an answers file, or a case file (FILE.age) opened in memory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from reprisal_cli.cli.passphrase import passphrase_for

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
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.answers import Answers, read_answers

    if not is_case_file(path):
        return read_answers(path), None
    # lazy: cases and decryption only for a case file (bench/startup)
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


def withdrawn_since(case: Any, day: Any) -> str:
    """The consents a case's ledger shows withdrawn after `day` ("share_with_un on
    2026-11-20"), or "": an output made for an earlier day (`--as-of`, `SOURCE_DATE_EPOCH`)
    would follow a consent the person has since withdrawn (red team 2026-12-03)."""
    if case is None:
        return ""
    found = [
        f"{c.purpose} on {c.revoked.isoformat()}"
        for c in case.consent
        if c.revoked is not None and c.revoked > day
    ]
    return ", ".join(dict.fromkeys(found))
