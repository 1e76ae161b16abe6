"""What is due across a caseload (contract §7, `reprisal-cli/followup/v1`): every action whose
follow-up date has come, and every case whose risk is due for reassessment.

An action is followed up once a later action to the same knowledge-base entry is logged, or once
its status is `closed`. A case is due for reassessment `reassess_after_days` (the plan's, from the
risk assessment on that day, shortened when the incidents show escalation: `case.risk`) after its
last change: the latest day anything in it was recorded.
A follow-up shares the case again with the body it goes to: an action to a body whose consent
(its purpose, `consent_needed`) is withdrawn, refused or not given on the day says so in its `what`.
Nothing here writes anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from reprisal_cli.case.model import (
    FOLLOW_UN,
    UNKNOWN_BODY,
    CaseAnswers,
    CaseFile,
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
from reprisal_cli.crypto import read_encrypted
from reprisal_cli.engine.risk import assess_risk
from reprisal_cli.errors import ReprisalError
from reprisal_cli.kb.knowledge import KnowledgeBase

FOLLOWUP_SCHEMA = "reprisal-cli/followup/v1"
# What each consent lets happen to the case's details, in a follow-up's words.
CONSENT_TO = {
    "publicity": "make the case public",
    "share_with_un": "share with UN bodies",
    "share_with_regional": "share with regional bodies",
    "share_with_states": "share with States",
    "sg_report": "include the case in the Secretary-General's report",
}
PUBLICITY_NOT_GIVEN = {"no": "refused", "undecided": "not decided"}


@dataclass(frozen=True)
class Item:
    case: str  # the file name
    case_id: str | None
    kind: Literal["action", "reassessment"]
    what: str
    to: str | None
    due: dt.date
    overdue_days: int

    def to_data(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "case_id": self.case_id,
            "kind": self.kind,
            "what": self.what,
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
    """Reads one case file of a caseload for `followup` (in this process, or in a worker)."""

    key: CaseKey
    kb: KnowledgeBase
    day: dt.date

    def __call__(self, path: Path) -> CaseRead:
        locked = False
        try:
            raw = read_encrypted(path)
            locked = uses_passphrase(raw)
            case = open_case_bytes(path, raw, self.key).case
            items = due_items(case, path.name, self.kb, self.day)
            return CaseRead(
                str(path), tuple(items), locked=locked, withdrawn=narrowed_after(case, self.day)
            )
        except ReprisalError as exc:
            return CaseRead(
                str(path), failure=exc.render(), exit_code=int(exc.exit_code), locked=locked
            )


def due_items(case: CaseFile, name: str, kb: KnowledgeBase, as_of: dt.date) -> list[Item]:
    """The items of one case due on or before `as_of`."""
    items: list[Item] = []
    answers: CaseAnswers | None = None
    followed = _followed_up(case)
    for index, action in enumerate(case.actions):
        if action.next is None or action.next > as_of or action.status == "closed":
            continue
        if followed[index]:
            continue
        what = f"follow up: {action.type.replace('_', ' ')} of {action.date.isoformat()}"
        if action.reference:
            what += f" ({action.reference})"
        purpose = consent_needed(kb, action.to)
        if purpose == UNKNOWN_BODY:
            what += (
                f" — {action.to} is not in this knowledge base: check which consent sending the "
                "case's details to it needs, and that the person gave it"
            )
        elif purpose is not None:
            answers = answers or answers_now(case, as_of, name)
            what += consent_note(case, answers, purpose, as_of, sent=action.date)
        items.append(
            Item(
                name,
                case.case_id,
                "action",
                what,
                action.to,
                action.next,
                _days(action.next, as_of),
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
            what = (
                f"reassess the risk ({risk.level}, every {risk.reassess_after_days} days; "
                f"last change {last.isoformat()})"
            )
            items.append(
                Item(name, case.case_id, "reassessment", what, None, due, _days(due, as_of))
            )
    return items


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
) -> str:
    """What a follow-up's `what` adds when `purpose` has no consent in force on `day` (withdrawn,
    refused, undecided or not recorded), or "" when it has. A purpose not asked on its own
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
            return (
                " — the person's name went to the report under a consent since withdrawn or "
                "narrowed: write to say the person must not be named in the report, and ask "
                "them not to use or pass on the name"
            )
        if chosen == "anonymous":
            return " — the person agreed to inclusion in the report without their name only"
        if chosen == "named" and answers.consent_publicity != "yes":
            # Being named in the report is public: it needs a yes to publicity too (contract §3,
            # gates 1 and 8; red team red25). Unknown is not yes (gate 7).
            how = (
                "withdrawn"
                if "publicity" in answers.revoked
                else PUBLICITY_NOT_GIVEN.get(answers.consent_publicity or "", "not recorded")
            )
            return (
                f" — consent to publicity {how}: the report may not name the person; ask them "
                "before the follow-up whether they agree to be named in it"
            )
    value = answers.consent_for(purpose)
    if value in ("yes", "named"):
        return ""
    whom = CONSENT_TO[purpose]
    own = in_force(case.consent, purpose, day)
    follows = purpose in FOLLOW_UN and own is None and value is not None
    via = " with the UN consent (not asked on its own)" if follows else ""
    revoked = purpose in answers.revoked
    # Given when it went, narrowed since by a "no" or an "undecided": a withdrawal too.
    if revoked or (sent is not None and consented_during(case.consent, sent, purpose)):
        deciding = own or in_force(case.consent, "share_with_un", day)
        on = (deciding.revoked if revoked else deciding.date) if deciding else None
        when = f" on {on.isoformat()}" if on else ""
        return (
            f" — consent to {whom} withdrawn{when}{via}: do not send the case's "
            "details; if the person agrees, write only to say consent is withdrawn and ask them "
            "not to use or pass on the details"
        )
    if value == "no":
        return f" — consent to {whom} refused{via}: do not send the case's details"
    if value == "undecided":
        return (
            f" — consent to {whom} not decided{via}: ask the person before sending "
            "the case's details"
        )
    return f" — no consent to {whom} recorded: ask the person before sending the case's details"


def ordered(items: list[Item]) -> list[Item]:
    """Most overdue first, then by case file name (contract §7)."""
    return sorted(items, key=lambda i: (-i.overdue_days, i.case, i.kind, i.what))


def followup_document(items: list[Item], as_of: dt.date) -> dict[str, Any]:
    return {
        "schema": FOLLOWUP_SCHEMA,
        "as_of": as_of.isoformat(),
        "items": [i.to_data() for i in ordered(items)],
    }


def _days(due: dt.date, as_of: dt.date) -> int:
    return (as_of - due).days
