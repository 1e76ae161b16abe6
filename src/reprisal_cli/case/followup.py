"""What is due across a caseload (contract §7, `reprisal-cli/followup/v1`): every action whose
follow-up date has come, and every case whose risk is due for reassessment.

An action is followed up once a later action to the same knowledge-base entry is logged, or once
its status is `closed`. A case is due for reassessment `reassess_after_days` (the plan's, from the
risk assessment on that day, shortened when the incidents show escalation: `case.risk`) after its
last change: the latest day anything in it was recorded.
A follow-up shares the case again with the body it goes to: an action to a body whose consent
(its purpose, `consent_needed`, or one the case log says details sent to it relied on: `case
action --purpose`) is withdrawn, refused or not given on the day carries a `Note` saying so. An
item is data (codes, dates, ids); its `what` is made in the reader's language where it is shown
(`render.followup`), as this core imports no interface catalog. Nothing here writes
anything.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from reprisal_cli.case.model import (
    FOLLOW_UN,
    UNKNOWN_BODY,
    CaseAnswers,
    CaseFile,
    Output,
    answers_now,
    consent_needed,
    consented,
    consented_during,
    in_force,
    narrowed_after,
    readings_during,
)
from reprisal_cli.case.risk import escalated, escalation
from reprisal_cli.case.store import CaseKey, open_case_bytes, uses_passphrase
from reprisal_cli.crypto import check_encrypted, read_encrypted
from reprisal_cli.engine.risk import assess_risk
from reprisal_cli.errors import ReprisalError
from reprisal_cli.kb.knowledge import KnowledgeBase

FOLLOWUP_SCHEMA = "reprisal-cli/followup/v1"
# What a follow-up's `what` says about consent, as a code (`Note.code`): the words are made in
# the reader's language where the list is shown (`render.followup`), never here.
NoteCode = Literal[
    "unknown_body",  # the body is not in the knowledge base: which consent it needs is unknown
    "withdrawn",  # withdrawn (or narrowed since the action's day): do not send; write to say so
    "refused",
    "undecided",
    "not_recorded",
    "report_name_withdrawn",  # the name went to the report under a consent narrowed since
    "report_anonymous",  # the person agreed to the report without their name only
    "report_publicity",  # named in the report without a yes to publicity (`how` says why not)
]
# Why consent to publicity is not a yes, for `report_publicity`.
PublicityHow = Literal["withdrawn", "refused", "undecided", "not_recorded"]
PUBLICITY_NOT_GIVEN: dict[str, PublicityHow] = {"no": "refused", "undecided": "undecided"}


@dataclass(frozen=True)
class Note:
    """What a follow-up adds about the consent sending the case's details to its body needs:
    `code`, the consent's `purpose`, the day it was withdrawn (`on`, when known), whether it
    follows the UN consent, not asked on its own (`via_un`), and for `report_publicity` why
    publicity is not a yes (`how`). Plain data, like `Item`."""

    code: NoteCode
    purpose: str | None = None
    on: dt.date | None = None
    via_un: bool = False
    how: PublicityHow | None = None


@dataclass(frozen=True)
class Item:
    """One due follow-up, as data: the words (`what`) are made where it is shown, in the
    reader's language (`render.followup.what`). An action: its `action_type`, the day it was
    sent (`sent`), its `reference` and a consent `note`; a reassessment: the risk `level`, every
    how many days (`every`) and the case's last change (`last_change`). Plain, frozen data: it
    comes back from a worker process pickled."""

    case: str  # the file name (in a folder named: its path inside it, `cli.followup`)
    case_id: str | None
    kind: Literal["action", "reassessment"]
    to: str | None
    due: dt.date
    overdue_days: int
    action_type: str | None = None
    sent: dt.date | None = None
    reference: str | None = None
    note: Note | None = None
    level: str | None = None
    every: int | None = None
    last_change: dt.date | None = None

    def to_data(self, what: str) -> dict[str, Any]:
        """The item in the JSON document (contract §7), with `what` in the reader's words."""
        return {
            "case": self.case,
            "case_id": self.case_id,
            "kind": self.kind,
            "what": what,
            "to": self.to,
            "due": self.due.isoformat(),
            "overdue_days": self.overdue_days,
        }


@dataclass(frozen=True)
class CaseRead:
    """What `followup` takes from one case file: its due items, or why it could not be read
    (the error as a user reads it, and its exit code), whether it is locked with a passphrase,
    and the consents its ledger narrows after the day (`narrowed_after`). Plain data: it
    comes back from a worker process pickled."""

    path: str
    items: tuple[Item, ...] = ()
    failure: str | None = None
    exit_code: int = 0
    locked: bool = False
    withdrawn: Mapping[str, dt.date] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseloadReader:
    """Reads one case file of a caseload for `followup` (in this process, or in a worker); its
    items are listed under the file's name in `names` (`case.store.case_names`), else its
    file name."""

    key: CaseKey
    kb: KnowledgeBase
    day: dt.date
    names: Mapping[Path, str] = field(default_factory=dict)

    def __call__(self, path: Path) -> CaseRead:
        locked = False
        try:
            raw = read_encrypted(path)
            locked = uses_passphrase(raw)
            case = open_case_bytes(path, raw, self.key).case
            items = due_items(case, self.names.get(path, path.name), self.kb, self.day)
            return CaseRead(
                str(path), tuple(items), locked=locked, withdrawn=narrowed_after(case, self.day)
            )
        except ReprisalError as exc:
            return CaseRead(
                str(path), failure=exc.render(), exit_code=int(exc.exit_code), locked=locked
            )


def unopenable(path: Path) -> CaseRead | None:
    """Why `path` cannot be opened with any key (it cannot be read, or it is not an age file),
    as `CaseloadReader` would say it, or None. Looked at before a passphrase is asked, so that
    none is asked for a file it could not open (`crypto.check_encrypted`)."""
    try:
        check_encrypted(read_encrypted(path), str(path))
    except ReprisalError as exc:
        return CaseRead(str(path), failure=exc.render(), exit_code=int(exc.exit_code))
    return None


def due_items(case: CaseFile, name: str, kb: KnowledgeBase, as_of: dt.date) -> list[Item]:
    """The items of one case due on or before `as_of`."""
    items: list[Item] = []
    answers: CaseAnswers | None = None
    followed = _followed_up(case)
    logged: _Logged | None = None
    for index, action in enumerate(case.actions):
        if action.next is None or action.next > as_of or action.status == "closed":
            continue
        if followed[index]:
            continue
        note: Note | None = None
        purpose = consent_needed(kb, action.to)
        if purpose == UNKNOWN_BODY:
            note = Note("unknown_body")
        else:
            # The consent its body needs, then those the case log says details sent to that
            # body relied on by the action's day (`case action --purpose`): a public appeal
            # asked of an organisation that needs none, publicity since withdrawn (red39).
            logged = logged or _Logged(case)
            for relied in dict.fromkeys((purpose, *logged.by(action.to, action.date))):
                if relied is None:
                    continue
                answers = answers or answers_now(case, as_of, name)
                note = consent_note(case, answers, relied, as_of, sent=action.date)
                if note is not None:
                    break
        items.append(
            Item(
                name,
                case.case_id,
                "action",
                action.to,
                action.next,
                _days(action.next, as_of),
                action_type=action.type,
                sent=action.date,
                reference=action.reference or None,
                note=note,
            )
        )
    last = case.last_change(as_of)
    if last is not None and last <= as_of:
        answers = answers or answers_now(case, as_of, name)
        risk = assess_risk(answers, kb)
        risk = escalated(risk, escalation(case, answers, kb, as_of), kb)
        # Compared in days, not as a date: a due day past the calendar's last (--as-of
        # 9999-12-31) is never due, and not a traceback.
        if (as_of - last).days >= risk.reassess_after_days:
            due = last + dt.timedelta(days=risk.reassess_after_days)
            items.append(
                Item(name, case.case_id, "reassessment", None, due, _days(due, as_of),
                     level=risk.level, every=risk.reassess_after_days, last_change=last)
            )  # fmt: skip
    return items


class _Logged:
    """The consents the case log's outputs (`case action --purpose`) say details sent to each
    body relied on, on or before a day: per body, its outputs' days in order and the purposes
    gathered up to each, so each due action reads them with one search (a case of 20,000
    actions must not take a scan of its outputs for each: red team red25)."""

    def __init__(self, case: CaseFile) -> None:
        by_body: dict[str, list[Output]] = {}
        for output in sorted(case.outputs, key=lambda o: o.date):
            if output.to is not None and output.purposes:
                by_body.setdefault(output.to, []).append(output)
        self._days: dict[str, list[dt.date]] = {}
        self._purposes: dict[str, list[tuple[str, ...]]] = {}
        for to, outputs in by_body.items():
            gathered: dict[str, None] = {}
            self._days[to] = [o.date for o in outputs]
            self._purposes[to] = []
            for output in outputs:
                gathered.update(dict.fromkeys(output.purposes))
                self._purposes[to].append(tuple(gathered))

    def by(self, to: str, day: dt.date) -> tuple[str, ...]:
        """The consents what went to `to` on or before `day` relied on, first logged first."""
        found = bisect.bisect_right(self._days.get(to, []), day)
        return self._purposes[to][found - 1] if found else ()


def _followed_up(case: CaseFile) -> list[bool]:
    """For each action, whether a later action in the list goes to the same knowledge-base
    entry on a later day: one pass from the end, not a search of the rest of the list for each
    action (a case file of 20,000 actions took 36 s to list, one of 32 MiB hours: red team
    red25)."""
    latest: dict[str, dt.date] = {}
    out = [False] * len(case.actions)
    for index in range(len(case.actions) - 1, -1, -1):
        action = case.actions[index]
        later = latest.get(action.to)
        out[index] = later is not None and later > action.date
        if later is None or action.date > later:
            latest[action.to] = action.date
    return out


def consent_note(
    case: CaseFile,
    answers: CaseAnswers,
    purpose: str,
    day: dt.date,
    sent: dt.date | None = None,
) -> Note | None:
    """What a follow-up's `what` adds when `purpose` has no consent in force on `day` (withdrawn,
    refused, undecided or not recorded), or None when it has. A purpose not asked on its own
    follows the UN consent (contract §1), withdrawn with it too (`answers_on`). The
    Secretary-General's report needs the UN consent and `sg_report` (`consent_needed`): the UN
    one is told first; with `anonymous`, the note says the report may not name the person.
    What went on `sent` (the action's day) under a consent narrowed since by a "no" or an
    "undecided" is a withdrawal too: the body must be asked not to use it (red team red32)."""
    if purpose == "sg_report":
        un = consent_note(case, answers, "share_with_un", day, sent)
        if un:
            return un
        chosen = answers.consent_for("sg_report")
        readings = readings_during(case.consent, sent) if sent is not None else []
        if chosen != "named" and any(
            r["sg_report"] == "named" and consented(r, "sg_report") for r in readings
        ):
            # The name went with it, under a consent (to publicity, or to be named) narrowed
            # since (red team red32: "not decided", silent on the name OHCHR holds).
            return Note("report_name_withdrawn", "sg_report")
        if chosen == "anonymous":
            return Note("report_anonymous", "sg_report")
        if chosen == "named" and answers.consent_publicity != "yes":
            # Being named in the report is public: it needs a yes to publicity too (contract §3,
            # gates 1 and 8; red team red25). Unknown is not yes (gate 7).
            how: PublicityHow = (
                "withdrawn"
                if "publicity" in answers.revoked
                else PUBLICITY_NOT_GIVEN.get(answers.consent_publicity or "", "not_recorded")
            )
            return Note("report_publicity", "publicity", how=how)
    value = answers.consent_for(purpose)
    if value in ("yes", "named"):
        return None
    own = in_force(case.consent, purpose, day)
    follows = purpose in FOLLOW_UN and own is None and value is not None
    revoked = purpose in answers.revoked
    # Given when it went, narrowed since by a "no" or an "undecided": a withdrawal too.
    if revoked or (sent is not None and consented_during(case.consent, sent, purpose)):
        deciding = own or in_force(case.consent, "share_with_un", day)
        on = (deciding.revoked if revoked else deciding.date) if deciding else None
        return Note("withdrawn", purpose, on=on, via_un=follows)
    if value == "no":
        return Note("refused", purpose, via_un=follows)
    if value == "undecided":
        return Note("undecided", purpose, via_un=follows)
    return Note("not_recorded", purpose)


def ordered(items: list[Item]) -> list[Item]:
    """Most overdue first, then by case file name (contract §7); then by what it is (the
    action's type, day, reference and body), the same order in every language."""
    return sorted(items, key=_order)


def _order(i: Item) -> tuple[Any, ...]:
    return (-i.overdue_days, i.case, i.kind, i.action_type or "", i.sent or dt.date.min,
            i.reference or "", i.to or "", i.last_change or dt.date.min)  # fmt: skip


def followup_document(
    items: list[Item], as_of: dt.date, what: Callable[[Item], str]
) -> dict[str, Any]:
    """The JSON document (contract §7); `what` says each item in the reader's words."""
    return {
        "schema": FOLLOWUP_SCHEMA,
        "as_of": as_of.isoformat(),
        "items": [i.to_data(what(i)) for i in ordered(items)],
    }


def _days(due: dt.date, as_of: dt.date) -> int:
    return (as_of - due).days
