"""Incidents drive risk: what a case's log of incidents adds to the plan's risk assessment.

The answers say what has happened; the incidents say how it is moving. Escalation, in the 90 days
up to the day of the plan, is any of: two incidents or more; an incident graver (by the knowledge
base's severity) than any reprisal in the answers; family or colleagues newly targeted (a type
the answers do not list yet); two incidents or more linked to the same mechanism within 30 days
(incidents clustered around a session or a communication: the log has no session calendar, so
the mechanism stands for it). Escalation raises the level one step (never to critical: only a
danger to life or liberty does, as in `engine.risk`) and halves the time to reassess (at most that
of the new level); the plan's threats say why.
"""

from __future__ import annotations

import datetime as dt
import itertools

from reprisal_cli.answers import Answers
from reprisal_cli.case.model import CaseFile
from reprisal_cli.contract import RELATIVES_TARGETED
from reprisal_cli.engine.plan import Note, Risk
from reprisal_cli.engine.risk import LEVELS, REASSESS_DAYS
from reprisal_cli.kb.base import fill
from reprisal_cli.kb.knowledge import KnowledgeBase

WINDOW_DAYS = 90
CLUSTER_DAYS = 30
REPEATED = 2
ESCALATION = "escalation"


def escalation(case: CaseFile, answers: Answers, kb: KnowledgeBase, day: dt.date) -> list[str]:
    """Why the incidents show escalation on `day` (empty: they do not), in the knowledge base's
    language."""
    texts = kb.safety
    # Counted in days, not as a date: --as-of 0001-01-01 has no day 90 days before it (red29).
    recent = [i for i in case.incidents if 0 <= (day - i.date).days <= WINDOW_DAYS]
    reasons: list[str] = []
    if len(recent) >= REPEATED:
        reasons.append(
            fill(texts.escalation_repeated, days=str(WINDOW_DAYS), count=str(len(recent)))
        )
    known = set(answers.reprisals)
    before = max((kb.risks[r].severity for r in known if r in kb.risks), default=0)
    graver = sorted(
        {i.type for i in recent if i.type in kb.risks and kb.risks[i.type].severity > before}
    )
    if graver:
        names = texts.join(kb.risks[t].name for t in graver)
        reasons.append(fill(texts.escalation_graver, types=names))
    others = sorted(
        {i.type for i in recent if i.type in RELATIVES_TARGETED and i.type not in known}
    )
    if others:
        reasons.append(texts.escalation_others)
    by_body: dict[str, list[dt.date]] = {}
    for incident in recent:
        if incident.linked_to is not None:
            by_body.setdefault(incident.linked_to, []).append(incident.date)
    labels = _engagement_labels(kb)
    for body, days in sorted(by_body.items()):
        days.sort()
        if any((b - a).days <= CLUSTER_DAYS for a, b in itertools.pairwise(days)):
            name = labels.get(body, body.replace("_", " "))
            reasons.append(fill(texts.escalation_clustered, body=name))
    return reasons


def _engagement_labels(kb: KnowledgeBase) -> dict[str, str]:
    """The questionnaire's labels of the bodies worked with (`engagement`), in its language."""
    for question in kb.questions:
        if question.key == "engagement":
            return {str(c.value): c.label for c in question.choices}
    return {}


def escalated(risk: Risk, reasons: list[str], kb: KnowledgeBase) -> Risk:
    """`risk` raised for `reasons` (see the module docstring); unchanged without any."""
    if not reasons:
        return risk
    index = LEVELS.index(risk.level)
    level = risk.level if index >= 2 else LEVELS[index + 1]
    days = max(1, min(risk.reassess_after_days // 2, REASSESS_DAYS[level]))
    text = fill(kb.safety.risk_escalation, reasons=kb.safety.join(reasons, clauses=True))
    return Risk(
        level=level,
        threats=(*risk.threats, Note(id=ESCALATION, text=text)),
        vulnerabilities=risk.vulnerabilities,
        capacities=risk.capacities,
        reassess_after_days=days,
    )
