"""`reprisal-cli case ...`: a case file followed over time (contract §7), always encrypted.

Every command reads the file (with --passphrase-file, or --identity for a file encrypted to age
keys), changes one thing, and writes it back atomically, one revision later; a file someone else
saved meanwhile is not overwritten (exit 4).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reprisal_cli.cli.boundary import handle_errors
from reprisal_cli.cli.knowledge import KbAddOption, KbOption, load_kb_for
from reprisal_cli.cli.options import AsOfOption, LangOption, check_choice, language
from reprisal_cli.cli.passphrase import PassphraseFileOption, passphrase_for
from reprisal_cli.cli.writing import RecipientOption, output_target
from reprisal_cli.errors import UsageError
from reprisal_cli.i18n import _
from reprisal_cli.untrusted import json_escape, one_line

if TYPE_CHECKING:
    from reprisal_cli.case.model import CaseFile
    from reprisal_cli.case.store import CaseKey, OpenedCase

app = typer.Typer(
    help="Keep a case over time in one encrypted file: answers and their history, consent by "
    "purpose, incidents, actions and their follow-up.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

CaseArgument = Annotated[
    Path,
    typer.Argument(
        metavar="FILE.age", help="The case file (always age-encrypted).", dir_okay=False
    ),
]
IdentityOption = Annotated[
    Path | None,
    typer.Option(
        "--identity",
        "-i",
        help="Open a case encrypted to age keys with the secret key in this file.",
        dir_okay=False,
        show_default=False,
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="When it happened, YYYY-MM-DD (default: --as-of, else today).",
                 show_default=False),
]  # fmt: skip


def case_key(
    passphrase_file: Path | None,
    identity: Path | None,
    recipients: list[str] | None,
    *,
    new: bool = False,
    opens: Path | None = None,
) -> CaseKey:
    """How to open and lock the case: age keys, else a passphrase (from the file, else asked).
    `opens`: the case file to open, said missing or not encrypted before a passphrase is asked
    for it (`crypto.check_encrypted`)."""
    # lazy: crypto and the case store only for case commands, not --help (bench/startup)
    from reprisal_cli.case.store import CaseKey
    from reprisal_cli.crypto import (
        check_encrypted,
        parse_recipients,
        read_encrypted,
        read_identity_file,
    )

    if opens is not None:
        check_encrypted(read_encrypted(opens), str(opens))

    if passphrase_file is not None and (identity is not None or (recipients and new)):
        raise UsageError(
            "give --passphrase-file, or age keys (--recipient, --identity), not both",
            hint="A case is locked one way: a passphrase, or a team's age keys.",
        )
    if passphrase_file is not None and recipients:  # opened with it, saved to the keys
        parse_recipients(recipients)
        return CaseKey(
            passphrase=passphrase_for(passphrase_file, confirm=False),
            recipients=tuple(recipients),
        )
    if recipients:
        parse_recipients(recipients)  # a typo in a key fails before anything else
    identities = tuple(read_identity_file(identity)) if identity is not None else ()
    if identities or recipients:
        if not new and not identities:
            raise UsageError(
                "a case encrypted to age keys is opened with its secret key",
                hint="Add --identity KEYFILE (the file age-keygen wrote).",
            )
        return CaseKey(identities=identities, recipients=tuple(recipients or ()))
    return CaseKey(passphrase=passphrase_for(passphrase_file, confirm=new))


def _day(value: str | None, option: str, default: dt.date) -> dt.date:
    if value is None:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{option}: {one_line(value[:40])!r} is not a date", hint="Write it as YYYY-MM-DD."
        ) from None


def _choice(option: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None:
        check_choice(option, value, allowed)


def _saved(path: Path, case: CaseFile) -> None:
    sys.stderr.write(f"Case {one_line(str(path))} saved (revision {case.revision}).\n")


def _update(file: Path, key: CaseKey, change: Any, *, fewer_keys: bool = False) -> CaseFile:
    """Read the case, apply `change(opened) -> new case`, save it one revision later."""
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.case.store import read_case, save_case

    opened = read_case(file, key)
    saved = save_case(opened, change(opened), key, fewer_keys=fewer_keys)
    _saved(file, saved)
    return saved


@handle_errors
def new(
    file: CaseArgument,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Start from this answers file; its consent goes into the consent ledger.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    case_id: Annotated[
        str | None, typer.Option("--case-id", help="A label for the case.", show_default=False)
    ] = None,
    passphrase_file: PassphraseFileOption = None,
    recipient: RecipientOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Start a new case file, encrypted with a passphrase or to age public keys."""
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.answers import Answers, read_answers
    from reprisal_cli.case.model import CaseFile, HistoryEntry, split_consent
    from reprisal_cli.case.store import create_case
    from reprisal_cli.contract import CASE_ID_PATTERN
    from reprisal_cli.timeutil import recording_day

    require_age_name(file)
    output_target(file, encrypt=True)  # fails now (exists, link) before any question
    if case_id is not None and not CASE_ID_PATTERN.fullmatch(case_id):
        raise UsageError(
            f"--case-id: {one_line(case_id[:70])!r} is not a valid case id",
            hint="Letters, digits, '.', '_' and '-', up to 64, starting with a letter or digit.",
        )
    day = recording_day(as_of)
    given = read_answers(answers) if answers is not None else Answers()
    doc, ledger = split_consent(given, day)
    key = case_key(passphrase_file, None, recipient, new=True)
    case = CaseFile(
        case_id=case_id or given.case_id,
        answers=doc,
        history=(HistoryEntry(date=day, answers=doc),),
        consent=tuple(ledger),
    )
    _saved(file, create_case(file, case, key))


def require_age_name(file: Path) -> None:
    if not file.name.lower().endswith(".age") or file.name.lower() == ".age":
        raise UsageError(
            f"{one_line(str(file))}: a case file's name ends in .age",
            hint="It is always encrypted; name it e.g. case-0423.age.",
        )


@handle_errors
def show(
    file: CaseArgument,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="text (a summary), or json (the whole decrypted case, on standard output: "
            "redirecting it to a file makes a plain copy).",
        ),
    ] = "text",
    passphrase_file: PassphraseFileOption = None,
    identity: IdentityOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
) -> None:
    """Show a case: the consent in force, incidents, actions and outputs. Nothing is written."""
    language(lang)
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.case.store import read_case
    from reprisal_cli.timeutil import resolve_as_of

    check_choice("--format", fmt, ("text", "json"))
    day = resolve_as_of(as_of)
    opened = read_case(file, case_key(passphrase_file, identity, None, opens=file))
    if fmt == "json":
        # lazy: records only for --format json, not --help
        from reprisal_cli.records import to_data

        text = json.dumps(to_data(opened.case), ensure_ascii=False, indent=2)
        sys.stdout.write(json_escape(text) + "\n")
        return
    sys.stdout.write(summary(opened, day, load_kb_for(None, None)))


def _pending(case: CaseFile, day: dt.date) -> str:
    """The consents recorded with a date after `day` that outputs do not follow before it
    (`case.model.given_later`): "share_with_un yes on 2026-12-05", or ""."""
    # lazy: case model only for case commands, not --help
    from reprisal_cli.case.model import given_later, in_force

    # lazy: the words only where they are shown
    from reprisal_cli.render.labels import consent_value, purpose_words

    return ", ".join(
        _("{consent} [{code}] {value} on {day}").format(
            consent=purpose_words(p), code=p, value=consent_value(entry.value), day=d.isoformat()
        )
        for p, d in given_later(case.consent, day).items()
        if (entry := in_force(case.consent, p, d)) is not None
    )


def _narrower_now(case: CaseFile, day: dt.date) -> str:
    """For a day after today, the consents an output made now follows narrower than the
    ledger reads on that day (`case.model.effect_now`: never more open than today), as
    "publicity: no", or "". A caseworker reading `case show --as-of` a later day must not take
    that day's consent for what an output made now may share (red team red27)."""
    # lazy: case model only for case commands, not --help
    from reprisal_cli.case.model import OPENNESS, effect_now, in_effect

    if day <= dt.date.today():
        return ""
    then, now = in_effect(case.consent, day), effect_now(case.consent, day)
    # lazy: the words only where they are shown
    from reprisal_cli.render.labels import colon, consent_value, purpose_words

    return ", ".join(
        f"{_coded(purpose_words(p), p)}{colon()}{consent_value(now[p])}"
        for p in then
        if OPENNESS[now[p] or "no"] < OPENNESS[then[p] or "no"]
    )


def _coded(words: str | None, code: str) -> str:
    """A ledger's code in the reader's words, the code kept in brackets for the commands that
    take it (`case consent share_with_un ...`, `case incident FILE threats`)."""
    return f"{one_line(words)} [{code}]" if words and words != code else code


def _consent_lines(case: CaseFile, day: dt.date) -> list[str]:
    """`case show`'s consent block: each purpose in force on `day`, in the reader's words with
    its code, and what the ledger narrows or gives after it."""
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.case.model import (
        FOLLOW_UN,
        consent_on,
        in_force,
        narrowed_after,
        withdrawn_with_un,
    )
    from reprisal_cli.contract import CONSENT_PURPOSES
    from reprisal_cli.render.labels import colon, consent_value, purpose_words

    lines: list[str] = []
    values, revoked = consent_on(case.consent, day)
    followers = withdrawn_with_un(values, revoked)

    def withdrawn(purpose: str) -> str:
        entry = in_force(case.consent, purpose, day)
        if entry is None or entry.revoked is None:
            return _("withdrawn")
        return _("withdrawn on {day}").format(day=entry.revoked.isoformat())

    un = purpose_words("share_with_un")
    lines.append(_("Consent in force on {day}:").format(day=day.isoformat()))
    for purpose in CONSENT_PURPOSES:
        if purpose in revoked:
            state = withdrawn(purpose)
        elif purpose in followers:
            # Not asked on its own, it follows the UN consent (contract §1), withdrawn with it.
            state = _("withdrawn with {consent} [share_with_un] (not asked on its own): {when}")
            state = state.format(consent=un, when=withdrawn("share_with_un"))
        elif purpose in values:
            state = consent_value(values[purpose])
        elif purpose in FOLLOW_UN and "share_with_un" in values:
            state = _("not asked on its own: follows {consent} [share_with_un] ({value})").format(
                consent=un, value=consent_value(values["share_with_un"])
            )
        elif purpose == "sg_report":
            # Read from publicity when not asked (contract §1), as every output reads it (red29).
            reads = "named" if values.get("publicity") == "yes" else "undecided"
            publicity = (
                _("withdrawn") if "publicity" in revoked else consent_value(values.get("publicity"))
            )
            state = _("not asked on its own: reads {reads} from {consent} [publicity] ({value})")
            state = state.format(
                reads=consent_value(reads), consent=purpose_words("publicity"), value=publicity
            )
        else:
            state = consent_value(None)
        lines.append(f"  {_coded(purpose_words(purpose), purpose)}{colon()}{state}")
    narrower = _narrower_now(case, day)
    if narrower:
        lines.append(
            _(
                "{day} is after this computer's date: outputs made now follow the consent in "
                "force now where it is narrower: {consents}."
            ).format(day=day.isoformat(), consents=narrower)
        )
    narrowed = narrowed_after(case, day)
    since = ", ".join(
        _("{consent} [{code}] on {day}").format(consent=purpose_words(p), code=p, day=d.isoformat())
        for p, d in narrowed.items()
    )
    if since and day >= dt.date.today():
        # Dated in the future (a clock set wrong, a time zone ahead): outputs already follow it.
        lines.append(
            _(
                "Withdrawn or narrowed in a record dated after {day}: {consents}. Check this "
                "computer's date and the dates in the ledger; outputs made now follow it."
            ).format(day=day.isoformat(), consents=since)
        )
    elif since:  # a past day asked for: say what the person has withdrawn or narrowed since
        lines.append(
            _("Withdrawn or narrowed since {day}: {consents}").format(
                day=day.isoformat(), consents=since
            )
        )
    pending = _pending(case, day)
    if pending:
        # A record dated after today that gives more waits for its day (`effect_now`): said,
        # so that no one takes a plan that holds back for a mistake (red team red27).
        lines.append(
            _(
                "Recorded for a later day, not followed before it: {consents}. Check this "
                "computer's date and the dates in the ledger."
            ).format(consents=pending)
        )
    return lines


def summary(opened: OpenedCase, day: dt.date, knowledge: Any) -> str:
    """The case in a few plain lines (every text from the file made safe for a terminal); its
    answers in the words of the questions of `knowledge`, in the reader's language."""
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.render.followup import action_words, status_words
    from reprisal_cli.render.labels import answer_words, answers_said, clauses, purpose_words

    case = opened.case
    lines = [
        _("Case {case}, revision {revision}").format(
            case=one_line(case.case_id or _("(no id)")), revision=case.revision
        )
    ]
    lines.extend(_consent_lines(case, day))
    said = answers_said(case.answers, knowledge)
    lines.append(_("Answers:") + ("" if said else " " + _("none")))
    lines.extend(f"  - {question}\n    -> {answer}" for question, answer in said)
    incidents = [
        f"{i.date} {_coded(answer_words('reprisals', (i.type,), knowledge), i.type)}"
        + (
            f" ({_coded(answer_words('engagement', (i.linked_to,), knowledge), i.linked_to)})"
            if i.linked_to
            else ""
        )
        for i in case.incidents
    ]
    actions = [
        _("{date} {type} to {to}, {status}").format(
            date=a.date, type=_coded(action_words(a.type), a.type), to=a.to,
            status=_coded(status_words(a.status), a.status),
        )
        + (_(", next {day}").format(day=a.next) if a.next else "")
        for a in case.actions
    ]  # fmt: skip
    outputs = [
        f"{o.date} {o.kind}"
        + (_(" to {to}").format(to=o.to) if o.to else "")
        + (f" ({clauses(_coded(purpose_words(p), p) for p in o.purposes)})" if o.purposes else "")
        for o in case.outputs
    ]
    for label, entries in (
        (_("Incidents:"), incidents),
        (_("Actions:"), actions),
        (_("Outputs:"), outputs),
    ):
        lines.append(label + (" " + _("none") if not entries else ""))
        lines.extend(f"  {one_line(e)}" for e in entries)
    return "\n".join(lines) + "\n"


@handle_errors
def answer(
    file: CaseArgument,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Replace the answers with this answers file (its consent, where it differs "
            "from the consent in force, is added to the ledger).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="Change one answer: KEY=VALUE (lists: a,b; KEY= to clear it). Repeatable.",
            show_default=False,
        ),
    ] = None,
    passphrase_file: PassphraseFileOption = None,
    identity: IdentityOption = None,
    recipient: RecipientOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Update a case's answers; the earlier answers stay in its history, dated."""
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.answers import answers_from_data, read_answers
    from reprisal_cli.case.model import HistoryEntry, new_consents, split_consent
    from reprisal_cli.timeutil import recording_day

    if (answers is None) == (not sets):
        raise UsageError("give --answers FILE or --set KEY=VALUE (one of them)")
    day = recording_day(as_of)
    given = read_answers(answers) if answers is not None else None
    key = case_key(passphrase_file, identity, recipient, opens=file)
    added: list[Any] = []

    def change(opened: OpenedCase) -> CaseFile:
        case = opened.case
        ledger = list(case.consent)
        if given is not None:
            doc, _records = split_consent(given, day)
            # Only what differs from the consent the case reads on that day (a withdrawn one
            # reads "no": keeping that "no" must not replace the withdrawal).
            added[:] = new_consents(case, given, day)
            ledger += added
        else:
            doc = _with_sets(dict(case.answers), sets or [])
        answers_from_data(doc, f"{file}: answers")  # every change checked as a file is
        return replace(
            case,
            answers=doc,
            history=(*case.history, HistoryEntry(date=day, answers=doc)),
            consent=tuple(ledger),
        )

    _update(file, key, change)
    for record in added:  # said, so that a consent never changes unnoticed
        sys.stderr.write(
            f"Consent recorded from the answers file: {record.purpose} {record.value} "
            f"({record.date.isoformat()})\n"
        )


def _with_sets(doc: dict[str, Any], sets: list[str]) -> dict[str, Any]:
    # lazy: contract and timeutil are not loaded by --help (bench/startup)
    from reprisal_cli.contract import ANSWER_KEYS, CONSENT_KEYS

    for item in sets:
        name, sep, value = item.partition("=")
        if not sep or name not in ANSWER_KEYS:
            raise UsageError(
                f"--set {one_line(item[:60])!r}: not KEY=VALUE with a known answers key",
                hint="Keys: " + ", ".join(k for k in ANSWER_KEYS if k not in CONSENT_KEYS.values()),
            )
        if name in CONSENT_KEYS.values():
            raise UsageError(
                f"--set {name}: consent is kept in the consent ledger",
                hint="Use: reprisal-cli case consent FILE.age PURPOSE VALUE ...",
            )
        spec = ANSWER_KEYS[name]
        if not value:
            doc.pop(name, None)
        elif spec.type == "list":
            doc[name] = [v.strip() for v in value.split(",") if v.strip()]
        elif spec.type == "bool":
            doc[name] = {"true": True, "yes": True, "false": False, "no": False}.get(value, value)
        else:
            doc[name] = value
    return doc


@handle_errors
def consent(
    file: CaseArgument,
    purpose: Annotated[
        str,
        typer.Argument(
            help=(
                "publicity, share_with_un, share_with_regional, share_with_states, "
                "share_with_government or sg_report."
            )
        ),
    ],
    value: Annotated[
        str | None,
        typer.Argument(
            help="yes, no or undecided (sg_report: named, anonymous, no, undecided).",
            show_default=False,
        ),
    ] = None,
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Record that the consent in force was withdrawn.")
    ] = False,
    history: Annotated[
        bool,
        typer.Option(
            "--history",
            help="Record what was said on an earlier day (--date) before a later record of "
            "the same purpose, which stays in force: for paper forms typed in late.",
        ),
    ] = False,
    given_by: Annotated[
        str | None,
        typer.Option("--given-by", help="person, family or representative.", show_default=False),
    ] = None,
    how: Annotated[
        str | None,
        typer.Option("--how", help="oral, written or witnessed.", show_default=False),
    ] = None,
    explained_in: Annotated[
        str | None,
        typer.Option(
            "--explained-in",
            help="The language the risks were explained in (a tag: ar, fr, pt-BR).",
            show_default=False,
        ),
    ] = None,
    date: DateOption = None,
    passphrase_file: PassphraseFileOption = None,
    identity: IdentityOption = None,
    recipient: RecipientOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Record a consent for one purpose (who gave it, how, in which language the risks were
    explained), or with --revoke its withdrawal."""
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.case.ledger import LedgerRefusalError, record_consent
    from reprisal_cli.case.model import ALLOWED_VALUES, LANGUAGE_TAG, ConsentRecord
    from reprisal_cli.contract import CONSENT_PURPOSES, GIVEN_BY_VALUES
    from reprisal_cli.timeutil import recording_day

    _choice("PURPOSE", purpose, CONSENT_PURPOSES)
    today = recording_day(as_of)
    day = _day(date, "--date", today)
    if day > today:
        # A consent or a withdrawal dated later is not in force until then: a mistyped year
        # would leave a "no" out of force (red team 2026-12-03).
        raise UsageError(
            f"--date {day.isoformat()} is after {today.isoformat()}: a consent or a withdrawal "
            "is recorded when it is given",
            hint="Give the day it was given (YYYY-MM-DD), today or earlier.",
        )
    if day > dt.date.today():
        # --as-of (or SOURCE_DATE_EPOCH) ahead of this computer's clock: the record is dated in
        # the future, where a colleague's ledger would meet it (red team red27).
        sys.stderr.write(
            f"Note: {day.isoformat()} is after this computer's date, "
            f"{dt.date.today().isoformat()}. Until then, outputs follow this record only where "
            "it narrows the consent. Check --date, --as-of and this computer's clock.\n"
        )
    if revoke:
        if value is not None or given_by or how or explained_in:
            raise UsageError("--revoke takes the purpose and --date only")
    else:
        if value is None:
            raise UsageError(
                "give the consent's VALUE, or --revoke",
                hint="Allowed for " + purpose + ": " + ", ".join(ALLOWED_VALUES[purpose]) + ".",
            )
        _choice("VALUE", value, ALLOWED_VALUES[purpose])
        missing = [n for n, v in (("--given-by", given_by), ("--how", how),
                                  ("--explained-in", explained_in)) if v is None]  # fmt: skip
        if missing:
            raise UsageError(
                "a consent is recorded with who gave it, how and in which language the risks "
                "were explained: add " + ", ".join(missing)
            )
        _choice("--given-by", given_by, GIVEN_BY_VALUES)
        _choice("--how", how, ("oral", "written", "witnessed"))
        if explained_in is not None and not LANGUAGE_TAG.fullmatch(explained_in):
            raise UsageError(
                f"--explained-in: {one_line(explained_in[:20])!r} is not a language tag",
                hint="For example: ar, fr, es, ru, zh, pt-BR.",
            )
    key = case_key(passphrase_file, identity, recipient, opens=file)

    # What the person said, as the ledger's record of `day` (None: a withdrawal).
    said = (
        None
        if revoke
        else ConsentRecord(
            purpose=purpose,  # type: ignore[arg-type]
            value=value or "",
            given_by=given_by,  # type: ignore[arg-type]
            how=how,  # type: ignore[arg-type]
            explained_in=explained_in,
            date=day,
        )
    )

    def change(opened: OpenedCase) -> CaseFile:
        try:
            recorded = record_consent(opened.case, purpose, said, day, today, history=history)
        except LedgerRefusalError as refused:
            for note in refused.notes:  # what explains the refusal, before it
                sys.stderr.write(note + "\n")
            raise
        for note in recorded.notes:
            sys.stderr.write(note + "\n")
        return recorded.case

    _update(file, key, change)


def _not_later(day: dt.date, today: dt.date, why: str) -> None:
    """Refuse a --date after the day the command runs for (--as-of, else today): a mistyped
    year dated an incident a year ahead, and the case then left the caseload's reassessments
    until that day (red team red29)."""
    if day > today:
        raise UsageError(
            f"--date {day.isoformat()} is after {today.isoformat()}: {why}",
            hint="Give the day it happened (YYYY-MM-DD), today or earlier.",
        )


@handle_errors
def incident(
    file: CaseArgument,
    kind: Annotated[
        str,
        typer.Argument(
            metavar="TYPE",
            help="A reprisal, as in the answers "
            "key 'reprisals' (threats, detention, travel_ban...).",
        ),
    ],
    date: DateOption = None,
    linked_to: Annotated[
        str | None,
        typer.Option(
            "--linked-to",
            help="The mechanism it followed (an 'engagement' value).",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="A short note.", show_default=False)
    ] = None,
    passphrase_file: PassphraseFileOption = None,
    identity: IdentityOption = None,
    recipient: RecipientOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Log an incident (a reprisal suffered) in a case."""
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.case.model import Incident
    from reprisal_cli.contract import ENGAGEMENTS, NOTES_MAX_CHARS, REPRISALS
    from reprisal_cli.timeutil import recording_day

    _choice("TYPE", kind, REPRISALS)
    _choice("--linked-to", linked_to, ENGAGEMENTS)
    if note is not None and len(note) > NOTES_MAX_CHARS:
        raise UsageError(f"--note is {len(note)} characters long: at most {NOTES_MAX_CHARS}")
    recorded = recording_day(as_of)
    day = _day(date, "--date", recorded)
    _not_later(day, recorded, "an incident is recorded once it happened")
    entry = Incident(date=day, type=kind, linked_to=linked_to, note=note)  # type: ignore[arg-type]
    key = case_key(passphrase_file, identity, recipient, opens=file)
    _update(file, key, lambda o: replace(o.case, incidents=(*o.case.incidents, entry)))


@handle_errors
def action(
    file: CaseArgument,
    to: Annotated[str, typer.Argument(help="Who it went to: a knowledge-base id "
                                      "(reprisal-cli kb list).")],
    kind: Annotated[str, typer.Option("--type", help="communication, request_for_protection, "
                    "follow_up, meeting, legal_assistance, financial_assistance, "
                    "relocation_assistance, medical_or_psychosocial_assistance, other.")],
    date: DateOption = None,
    channel: Annotated[str | None, typer.Option("--channel", help="email, phone, web, fax, post, "
                       "signal or in_person.", show_default=False)] = None,
    reference: Annotated[str | None, typer.Option("--reference", help="Their reference number.",
                         show_default=False)] = None,
    response: Annotated[str | None, typer.Option("--response", help="none_yet, acknowledged, "
                        "information_requested, action_taken, favourable, unfavourable, declined.",
                        show_default=False)] = None,
    status: Annotated[str, typer.Option("--status", help="open, continuing or closed.")] = "open",
    next_: Annotated[str | None, typer.Option("--next", help="When to follow up: YYYY-MM-DD, or "
                     "a number of days after the action (30).",
                     show_default=False)] = None,
    purposes: Annotated[list[str] | None, typer.Option("--purpose", help="The consent this "
                        "relied on, when details were sent (share_with_un...); repeatable. "
                        "Logged as an output, and refused without that consent in force.",
                        show_default=False)] = None,
    passphrase_file: PassphraseFileOption = None,
    identity: IdentityOption = None,
    recipient: RecipientOption = None,
    as_of: AsOfOption = None,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
) -> None:  # fmt: skip
    """Log an action taken for a case (to a knowledge-base entry), with its follow-up date."""
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.case.model import Action, Output, consented, effect_now, needed_purposes
    from reprisal_cli.case.plan import kb_entry
    from reprisal_cli.case.vocab import INTERVENTION_TYPES, RESPONSES, STATUSES
    from reprisal_cli.contract import CHANNELS, CONSENT_PURPOSES
    from reprisal_cli.timeutil import recording_day

    _choice("--type", kind, INTERVENTION_TYPES)
    _choice("--channel", channel, CHANNELS)
    _choice("--response", response, RESPONSES)
    _choice("--status", status, STATUSES)
    for purpose in purposes or []:
        _choice("--purpose", purpose, CONSENT_PURPOSES)
    if reference is not None and len(reference) > 200:
        raise UsageError("--reference is longer than 200 characters")
    recorded = recording_day(as_of)
    day = _day(date, "--date", recorded)
    _not_later(day, recorded, "an action is recorded when it is done")
    follow = None
    if next_ is not None:
        if next_.isdigit() and len(next_) <= 4:
            if (dt.date.max - day).days < int(next_):
                raise UsageError(
                    f"--next {next_}: {day.isoformat()} plus {next_} days is past the calendar's "
                    "last day",
                    hint="Check --date, or give the day to follow up (YYYY-MM-DD).",
                )
            follow = day + dt.timedelta(days=int(next_))
        else:
            follow = _day(next_, "--next", day)
        if follow < day:
            raise UsageError(
                f"--next {follow.isoformat()} is before the action ({day.isoformat()})",
                hint="Give the day to follow up, or a number of days from the action (--next 30).",
            )
    knowledge = load_kb_for(kb, kb_add, translate=False)
    if kb_entry(knowledge, to) is None:
        raise UsageError(
            f"{one_line(to[:64])!r} is not a mechanism, organisation or protection source of the "
            "knowledge base",
            hint="See the ids with: reprisal-cli kb list organisations (or mechanisms).",
        )
    entry = Action(date=day, to=to, channel=channel, reference=reference, type=kind,  # type: ignore[arg-type]
                   response=response, status=status, next=follow)  # type: ignore[arg-type]  # fmt: skip
    key = case_key(passphrase_file, identity, recipient, opens=file)
    # The consents the body needs (`needed_purposes`): with --purpose, checked and logged with
    # the purposes given (red team red30: an action to the report logged under the UN consent
    # alone, after a no to the report); without it, said when missing (the plan names the
    # action at a withdrawal from the action itself: `case.plan.sent_before`).
    needed = needed_purposes(knowledge, to)

    def change(opened: OpenedCase) -> CaseFile:
        case = opened.case
        update: dict[str, Any] = {"actions": (*case.actions, entry)}
        # As outputs read it (`effect_now`): a "no" dated after today already counts; a purpose
        # that follows the UN consent follows it; the report needs the UN consent too
        # (`consented`, red team red27).
        effect = effect_now(case.consent, day)
        relied = list(dict.fromkeys([*(purposes or []), *needed]))
        lacking = [p for p in relied if not consented(effect, p)]
        if purposes:
            if lacking:
                raise UsageError(
                    "no consent in force on " + day.isoformat() + " for: " + ", ".join(lacking),
                    hint="Record the consent first: reprisal-cli case consent FILE.age PURPOSE yes",
                )
            sent = Output(date=day, kind="action", to=to, purposes=tuple(relied))  # type: ignore[arg-type]
            update["outputs"] = (*case.outputs, sent)
        elif lacking:
            # Logged as done, even without the consent, which is said.
            sys.stderr.write(
                f"Warning: {to} needs consent for {', '.join(lacking)}, which is not in force "
                f"on {day.isoformat()}. If the case's details went to it, check with the person "
                "(reprisal-cli case show).\n"
            )
        return replace(case, **update)

    _update(file, key, change)


@handle_errors
def rekey(
    file: CaseArgument,
    passphrase_file: PassphraseFileOption = None,
    identity: IdentityOption = None,
    recipient: RecipientOption = None,
) -> None:
    """Lock a case again to other age keys (--recipient, repeatable), e.g. a passphrase case
    moved to the team key; opened with --passphrase-file or --identity. Nothing else changes."""
    if not recipient:
        raise UsageError("give the keys to lock the case to: --recipient age1... (repeatable)")
    key = case_key(passphrase_file, identity, recipient, opens=file)
    _update(file, key, lambda opened: opened.case, fewer_keys=True)


def register(root: typer.Typer) -> None:
    """Add `case` and its commands to the application."""
    for name, command in (
        ("new", new),
        ("show", show),
        ("answer", answer),
        ("consent", consent),
        ("incident", incident),
        ("action", action),
        ("rekey", rekey),
    ):
        app.command(name)(command)
    root.add_typer(app, name="case")
