"""What is due across a caseload (contract §7, `reprisal-cli/followup/v1`): every action whose
follow-up date has come, and every case whose risk is due for reassessment.

An action is followed up once a later action to the same knowledge-base entry is logged, or once
its status is `closed`. A case is due for reassessment `reassess_after_days` (the plan's, from the
risk assessment on that day, shortened when the incidents show escalation: `case.risk`) after its
last change: the latest day anything in it was recorded.
Nothing here writes anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from reprisal_cli.case.model import CaseFile, answers_on
from reprisal_cli.case.risk import escalated, escalation
from reprisal_cli.engine.risk import assess_risk
from reprisal_cli.kb.knowledge import KnowledgeBase

FOLLOWUP_SCHEMA = "reprisal-cli/followup/v1"


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


def due_items(case: CaseFile, name: str, kb: KnowledgeBase, as_of: dt.date) -> list[Item]:
    """The items of one case due on or before `as_of`."""
    items: list[Item] = []
    for index, action in enumerate(case.actions):
        if action.next is None or action.next > as_of or action.status == "closed":
            continue
        if any(a.to == action.to and a.date > action.date for a in case.actions[index + 1 :]):
            continue
        what = f"follow up: {action.type.replace('_', ' ')} of {action.date.isoformat()}"
        if action.reference:
            what += f" ({action.reference})"
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
    last = case.last_change()
    if last is not None and last <= as_of:
        answers = answers_on(case, as_of, name)
        risk = assess_risk(answers, kb)
        risk = escalated(risk, escalation(case, answers, kb, as_of), kb)
        due = last + dt.timedelta(days=risk.reassess_after_days)
        if due <= as_of:
            what = (
                f"reassess the risk ({risk.level}, every {risk.reassess_after_days} days; "
                f"last change {last.isoformat()})"
            )
            items.append(
                Item(name, case.case_id, "reassessment", what, None, due, _days(due, as_of))
            )
    return items


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
