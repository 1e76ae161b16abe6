"""When to do each step (plan `urgency`, contract §2 v1.1): `now`, `this_week` or `later`.

The knowledge base says it per step (`urgency`, `now_when`, `now_within_days` on the step
templates); the engine keeps at most `MAX_NOW` steps `now`, the first in the plan's order, so a
person under stress meets a short list. The steps the gates put first (an emergency when the
person is in danger, a safe device before anything is sent) are `now` whatever the data says,
and the capacities put off when the threat is imminent are `later`. A plan with no `now` step
makes its first step that is not `later` the one to do today (not the emergency line when the
person said they are not in danger right now).
"""

from __future__ import annotations

import calendar
import datetime as dt

from reprisal_cli.answers import Answers
from reprisal_cli.contract import MAX_NOW, URGENCIES, Urgency
from reprisal_cli.engine.conditions import holds
from reprisal_cli.engine.steps import TIER_LATER, TIER_NORMAL, Draft
from reprisal_cli.kb.rules import StepTemplate


def assign_urgency(ordered: list[Draft], answers: Answers, as_of: dt.date) -> list[Draft]:
    """The drafts (in the plan's order) each with its urgency, `now` first, then `this_week`,
    then `later`; within each, the order they came in."""
    now = 0
    for draft in ordered:
        if draft.tier >= TIER_LATER:
            draft.urgency = "later"
            continue
        wanted = draft.tier < TIER_NORMAL or wants_now(draft.template, answers, as_of)
        if wanted and now < MAX_NOW:
            draft.urgency = "now"
            now += 1
        elif wanted:
            draft.urgency = "this_week"
        else:
            draft.urgency = draft.template.urgency
    if not now:  # "if you can do only one thing today": the plan's first step that is not later
        # (not the emergency line of someone who said they are not in danger right now: it is
        # there for when that changes)
        calm = answers.immediate_danger is False
        first = next(
            (d for d in ordered if d.urgency != "later" and not (calm and d.kind == "emergency")),
            None,
        )
        if first is not None:
            first.urgency = "now"
    return sorted(ordered, key=lambda d: rank(d.urgency))


def rank(urgency: Urgency) -> int:
    return URGENCIES.index(urgency)


def wants_now(template: StepTemplate, answers: Answers, as_of: dt.date) -> bool:
    """Whether the template asks to be done now for these answers."""
    if template.now_when is None or not holds(template.now_when, answers):
        return False
    if template.now_within_days is None:
        return True
    return _recent(answers.incident_date, as_of, template.now_within_days)


def _recent(incident_date: str | None, as_of: dt.date, days: int) -> bool:
    """Whether the latest incident may be within `days` of `as_of`. Undated or unreadable: yes
    (unknown is read the cautious way); a month or a year counts from its last day."""
    if not incident_date:
        return True
    parts = incident_date.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 12
        day = int(parts[2]) if len(parts) > 2 else calendar.monthrange(year, month)[1]
        latest = dt.date(year, month, day)
    except (ValueError, IndexError):
        return True
    return (as_of - latest).days <= days
