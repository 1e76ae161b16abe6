"""Precedents from `cases.yaml`: how mechanisms and States answered similar reprisals."""

from __future__ import annotations

from reprisal_cli.answers import Answers
from reprisal_cli.engine.plan import Precedent
from reprisal_cli.kb.knowledge import KnowledgeBase

MAX_PRECEDENTS = 3


def relevant_mechanisms(answers: Answers, kb: KnowledgeBase) -> set[str]:
    """Mechanisms the person engaged with, by engagement and by treaty body."""
    found = set()
    for mech in kb.mechanisms.values():
        if mech.treaty_body is not None:
            if mech.treaty_body in answers.treaty_body:
                found.add(mech.id)
        elif set(mech.engagement) & set(answers.engagement):
            found.add(mech.id)
    return found


def match_precedents(answers: Answers, kb: KnowledgeBase) -> tuple[Precedent, ...]:
    """Cases that share a mechanism the person worked with (an engagement or a mechanism in
    common, and the committee itself when the case names one) and a reprisal they suffered, most
    similar first: reprisals in common, then mechanisms and engagements in common, then id.
    None is better than a case that does not fit (caseworker review 5, C5: a child threatened
    after the Committee on the Rights of the Child was shown lawyers disbarred after the
    Committee against Torture)."""
    mechanisms = relevant_mechanisms(answers, kb)
    reprisals = set(answers.reprisals)
    engagement = set(answers.engagement) - {"other"}
    scored: list[tuple[int, int, str, Precedent]] = []
    for case_id, case_reprisals, case_engagement, case_mechanisms, precedent in _cases(kb):
        committees = {
            m for m in case_mechanisms if m in kb.mechanisms and kb.mechanisms[m].treaty_body
        }
        if committees and not committees & mechanisms:
            continue  # before another committee
        shared_reprisals = len(reprisals & case_reprisals)
        shared_context = len(engagement & case_engagement) + len(mechanisms & case_mechanisms)
        if shared_context and shared_reprisals:
            scored.append((-shared_reprisals, -shared_context, case_id, precedent))
    scored.sort(key=lambda item: item[:3])
    return tuple(item[3] for item in scored[:MAX_PRECEDENTS])


_Case = tuple[str, frozenset[str], frozenset[str], frozenset[str], Precedent]


def _cases(kb: KnowledgeBase) -> list[_Case]:
    """Each case's id, reprisals, engagements and mechanisms as sets, and its `Precedent`."""
    return [
        (
            case.id,
            frozenset(case.reprisals),
            frozenset(case.engagement),
            frozenset(case.mechanisms),
            Precedent(id=case.id, title=case.title),
        )
        for case in kb.cases.values()
    ]
