"""Reading what a command works on: an answers file, or a case file (FILE.age) opened in memory."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from reprisal_cli.cli.passphrase import passphrase_for
from reprisal_cli.errors import UsageError
from reprisal_cli.i18n import DEFAULT_LANG, N_, _, current_lang
from reprisal_cli.untrusted import one_line

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
    from reprisal_cli.case.model import answers_now
    from reprisal_cli.case.store import decode_case_or_answers
    from reprisal_cli.crypto import check_encrypted, decrypt, read_encrypted, read_identity_file

    raw = read_encrypted(path)
    check_encrypted(raw, str(path))  # before a passphrase is asked for a file it cannot open
    keys = read_identity_file(identity) if identity is not None else []
    passphrase = None if keys else passphrase_for(passphrase_file, confirm=False)
    plain = decrypt(raw, passphrase=passphrase, identities=keys, name=str(path))
    found = decode_case_or_answers(plain, str(path))
    if isinstance(found, Answers):
        return found, None
    return answers_now(found, as_of, str(path)), found


def withdrawn_since(case: Any, day: Any) -> Mapping[str, dt.date]:
    """The consents a case's ledger shows withdrawn or narrowed after `day`, each with the day
    it was (`case.model.narrowed_after`), or none (also for no case: an answers file has no
    ledger). `withdrawal_words` says them to the reader, `withdrawal_keys` in English."""
    if case is None:
        return {}
    # lazy: the case model only for a case file (bench/startup)
    from reprisal_cli.case.model import narrowed_after

    return narrowed_after(case, day)


def withdrawal_words(withdrawn: Mapping[str, dt.date]) -> str:
    """What `withdrawn_since` found, in the interface's language: "passing details to UN bodies
    (2026-11-20)", never the ledger's English keys inside a translated sentence (red team
    red28: the one part of the note that says what was withdrawn was English)."""
    # lazy: the renderers' labels only when a ledger narrows a consent (bench/startup)
    from reprisal_cli.render.labels import clauses, purpose_words

    return clauses(f"{purpose_words(p)} ({d.isoformat()})" for p, d in withdrawn.items())


def withdrawal_keys(withdrawn: Mapping[str, dt.date]) -> str:
    """What `withdrawn_since` found in the ledger's words, for a message in English."""
    # lazy: the case model only for a case file (bench/startup)
    from reprisal_cli.case.model import withdrawal_keys as keys

    return keys(withdrawn)


def answers_for_now(
    answers: Any, case: Any, day: Any, name: str
) -> tuple[Any, Mapping[str, dt.date]]:
    """For an output sent or carried from now on (a draft, a card, a questionnaire's prefill):
    the answers to use, and what was withdrawn or narrowed after `day` (`withdrawn_since`). When
    something was, a case's answers as its ledger stands today, narrowed by a record dated
    later (`answers_now`), never the wider consent of `day`; otherwise `answers` as they are."""
    withdrawn = withdrawn_since(case, day)
    if not withdrawn:
        return answers, withdrawn
    # lazy: the case model only for a case file (bench/startup)
    from reprisal_cli.case.model import answers_now

    return answers_now(case, max(day, dt.date.today()), name), withdrawn


def dated_ahead(day: Any) -> bool:
    """Whether what a ledger records after `day` is dated after today: `day` is today or later,
    so an output made for it already follows the narrower consent (`case.model.effect_now`),
    and making it again for another day would not help."""
    return bool(day >= dt.date.today())


# What `ahead_note` says, in the interface's language ({made}: "this draft", "the card", ...).
AHEAD_NOTE = N_(
    "The case's consent ledger records, after {day}, a consent withdrawn or narrowed: "
    "{withdrawn}. Such a record is dated in the future: check this computer's date and the "
    "dates in the ledger (a record made in a time zone ahead, or a clock set wrong). {made} "
    "follows the narrower consent."
)
# The outputs a withdrawal note speaks of (a Literal, so that a new one is caught by mypy).
Made = Literal[
    "this draft", "this plan", "the card", "the export", "the answers written", "this list",
    "its plan",
]  # fmt: skip
AHEAD_MADE: dict[Made, str] = {
    "this draft": N_("This draft"),
    "this plan": N_("This plan"),
    "the card": N_("The card"),
    "the export": N_("The export"),
    "the answers written": N_("The answers written"),
    "this list": N_("This list"),
    "its plan": N_("Its plan"),
}


def ahead_note(withdrawn: Mapping[str, dt.date], day: Any, made: Made) -> str:
    """What to say when `dated_ahead(day)` of the ledger's records dated after `day`, and that
    `made` (the output: a key of `AHEAD_MADE`) follows them."""
    return _(AHEAD_NOTE).format(
        day=day.isoformat(), withdrawn=withdrawal_words(withdrawn), made=_(AHEAD_MADE[made])
    )


# Why `refuse_after_withdrawal` refuses: "withdrawn or narrowed", as the ledger may hold either
# (a "not decided" after a "yes" is no withdrawal, and a caseworker passes the word on).
REFUSED_AFTER = N_("consent was withdrawn or narrowed after {day}, the day asked for: {withdrawn}")
# What to run again instead, by the output refused.
REDO: dict[Made, str] = {
    "the export": N_(
        "Export without --as-of (and without SOURCE_DATE_EPOCH), so that it follows the consent "
        "in force today."
    ),
    "the answers written": N_(
        "Open it without --as-of (and without SOURCE_DATE_EPOCH), so that it follows the "
        "consent in force today."
    ),
}


def refuse_after_withdrawal(
    withdrawn: Mapping[str, dt.date],
    day: Any,
    *,
    made: Literal["the export", "the answers written"],
) -> None:
    """Refuse plain text that would leave the encrypted case with the wider consent of a day
    before a withdrawal or a narrowing (`export`, `open` of answers); the hint says what to run
    again (`REDO`). From today on (`dated_ahead`) `made` (the output) already follows the
    narrower consent: a warning only. In the interface's language, the consents in its words
    (in English, the ledger's: "share_with_un on 2026-11-20", as `withdrawal_warning`)."""
    if not withdrawn:
        return
    if dated_ahead(day):
        sys.stderr.write(_(WARNING_AHEAD).format(where="", note=ahead_note(withdrawn, day, made)))
        sys.stderr.write("\n")
        return
    raise UsageError(
        _(REFUSED_AFTER).format(day=day.isoformat(), withdrawn=withdrawn_said(withdrawn)),
        hint=_(REDO[made]),
    )


# The same outputs inside a sentence ("the day {made} is made for").
MADE_WORDS: dict[Made, str] = {
    "this draft": N_("this draft"),
    "this plan": N_("this plan"),
    "the card": N_("the card"),
    "the export": N_("the export"),
    "the answers written": N_("the answers written"),
    "this list": N_("this list"),
    "its plan": N_("its plan"),
}
# The line `withdrawal_warning` writes ({where}: a case file's name and a colon, or nothing).
WARNING_AHEAD = N_("Warning: {where}{note}")
# "withdrawn or narrowed", as the ledger may hold either (a "not decided" after a "yes").
WARNING_WITHDRAWN = N_(
    "Warning: {where}consent was withdrawn or narrowed after {day}, the day {made} is made for: "
    "{withdrawn}. It follows the consent as it was on that day: {then}"
)


def withdrawn_said(withdrawn: Mapping[str, dt.date]) -> str:
    """The consents withdrawn or narrowed and their days, in a sentence of the interface's
    language: in English the ledger's words ("share_with_un on 2026-11-20"), in another the
    purposes in its words (`withdrawal_words`)."""
    english = current_lang() == DEFAULT_LANG
    return withdrawal_keys(withdrawn) if english else withdrawal_words(withdrawn)


def withdrawal_warning(
    withdrawn: Mapping[str, dt.date], day: Any, *, made: Made, then: str, name: str = ""
) -> str:
    """The line on standard error for an output made for a day (`--as-of`) before a consent was
    withdrawn (`withdrawn_since`): which consent, when, and that `made` follows it as it was;
    `then` (a constant marked with `N_`) says what to do. `name` (a case file's, for a command
    that reads several) leads. When the day is today or later, the withdrawal is dated in the
    future (`dated_ahead`) and `made` follows it already. In the interface's language; in
    English the consents keep the ledger's words ("share_with_un on 2026-11-20", as before),
    in another they are said in it (`withdrawal_words`)."""
    where = f"{one_line(name)}: " if name else ""
    if dated_ahead(day):
        return _(WARNING_AHEAD).format(where=where, note=ahead_note(withdrawn, day, made)) + "\n"
    return (
        _(WARNING_WITHDRAWN).format(
            where=where,
            day=day.isoformat(),
            made=_(MADE_WORDS[made]),
            withdrawn=withdrawn_said(withdrawn),
            then=_(then),
        )
        + "\n"
    )


PLAN_AFTER_WITHDRAWAL = N_(
    "do not act on its steps that share or publish; make the plan again without --as-of (and "
    "without SOURCE_DATE_EPOCH) to follow the consent in force today."
)
