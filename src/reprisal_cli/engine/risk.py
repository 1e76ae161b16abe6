"""The plan's risk assessment, as the protection manuals teach it: risk grows with threats and
vulnerabilities and falls with capacities. The result is qualitative, with the factors that
produced it, so a caseworker can disagree with it knowingly."""

from __future__ import annotations

from reprisal_cli.answers import Answers
from reprisal_cli.contract import HARM_TO_BODY, RiskLevel
from reprisal_cli.engine.conditions import holds
from reprisal_cli.engine.plan import Note, Risk
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.models import RiskFactor

LEVELS: tuple[RiskLevel, ...] = ("low", "moderate", "high", "critical")
# Days after which to look at the plan again.
REASSESS_DAYS: dict[RiskLevel, int] = {"critical": 3, "high": 7, "moderate": 30, "low": 90}
REASSESS_DANGER_NOW = 1
UNKNOWN_SEVERITY = 2  # a reprisal the knowledge base does not describe


# Where the person at risk is now says what is happening to them, ticked or not (contract
# §1.1, `location`): held means a detention, missing a disappearance, for the risk as for the
# bodies that act (`engine.contacts`).
LOCATION_REPRISAL = {"in_detention": "detention", "whereabouts_unknown": "enforced_disappearance"}


def reprisals_now(answers: Answers) -> list[str]:
    """The reprisals answered, after the one the person's location tells of (a relative may know
    only that the person is held or missing): what is happening now first."""
    implied = LOCATION_REPRISAL.get(answers.location or "")
    if implied is None:
        return list(answers.reprisals)
    return [implied, *(r for r in answers.reprisals if r != implied)]


def gravest_first(answers: Answers, kb: KnowledgeBase, *, harm_first: bool = False) -> list[str]:
    """`reprisals_now`, the one the location tells of still first, then the others gravest
    first (severity, then the knowledge base's order, which puts an enforced disappearance
    before a detention): a step's urgent contacts follow this order, and the short plan shows
    only its first (for someone detained and missing, the Working Group on disappearances, not
    the one on detention). With `harm_first`, of equal severity, harm done to the body comes
    before the knowledge base's order (the risk summary: a physical attack before a border
    stop); the urgent contacts keep that order."""
    order = {ident: n for n, ident in enumerate(kb.risks)}
    now = reprisals_now(answers)
    implied = LOCATION_REPRISAL.get(answers.location or "")

    def rank(reprisal: str) -> tuple[bool, int, bool, int]:
        risk = kb.risks.get(reprisal)
        severity = risk.severity if risk is not None else 0
        hurt = harm_first and reprisal in HARM_TO_BODY
        return (reprisal != implied, -severity, not hurt, order.get(reprisal, len(order)))

    return sorted(now, key=rank)


def assess_risk(answers: Answers, kb: KnowledgeBase) -> Risk:
    """Level, the threats, vulnerabilities and capacities behind it, and when to reassess.

    Threat: the gravest reprisal's severity (1-4), those the person's location tells of
    (`reprisals_now`) included, at least 1 when warnings are feared or the
    stage is unknown, 2 when a reprisal was suffered but not described, 4 with danger now.
    Vulnerabilities outnumbering capacities by two or more raise the level one step, capacities
    outnumbering vulnerabilities by two or more lower it; only life or liberty at stake now
    (severity 4 or danger now) makes it critical, and then capacities cannot lower it.
    """
    threats: list[Note] = []
    severity = 0
    # Of equal severity, harm to the body first: the plan's summary names the first few
    # (honduras_2017 named hacking, a border stop and damage to property before the attack).
    for reprisal in gravest_first(answers, kb, harm_first=True):
        entry = kb.risks.get(reprisal)
        if entry is None:
            threats.append(Note(id=reprisal, text=reprisal.replace("_", " ")))
            severity = max(severity, UNKNOWN_SEVERITY)
        else:
            threats.append(Note(id=reprisal, text=entry.name))
            severity = max(severity, entry.severity)
    if not threats:
        if answers.stage == "reprisal_feared":
            threats.append(Note(id="reprisal_feared", text=kb.safety.threat_feared))
            severity = 1
        elif answers.stage == "reprisal_suffered":
            threats.append(Note(id="reprisal_not_described", text=kb.safety.threat_unknown))
            severity = UNKNOWN_SEVERITY
        elif answers.stage is None:
            threats.append(Note(id="stage_unknown", text=kb.safety.threat_unknown))
            severity = 1
    if answers.immediate_danger is True:
        threats.insert(0, Note(id="immediate_danger", text=kb.safety.threat_immediate_danger))
        severity = 4

    vulnerabilities, capacities = _factors(answers, kb)

    if severity >= 4:
        index = 3
    else:
        index = (0, 1, 1, 2)[severity]
        balance = len(vulnerabilities) - len(capacities)
        if balance >= 2:
            index = min(index + 1, 2)
        elif balance <= -2:
            index = max(index - 1, 0)
    level = LEVELS[index]
    days = REASSESS_DANGER_NOW if answers.immediate_danger is True else REASSESS_DAYS[level]
    return Risk(
        level=level,
        threats=tuple(threats),
        vulnerabilities=tuple(vulnerabilities),
        capacities=tuple(capacities),
        reassess_after_days=days,
    )


def _factors(answers: Answers, kb: KnowledgeBase) -> tuple[list[Note], list[Note]]:
    """The vulnerabilities and capacities whose conditions hold."""

    def held(factors: tuple[RiskFactor, ...]) -> list[Note]:
        return [Note(id=f.id, text=f.text) for f in factors if holds(f.when, answers, kb.states)]

    return held(kb.vulnerabilities), held(kb.capacities)


def imminent(answers: Answers, risk: Risk) -> bool:
    """A threat close enough that reducing exposure comes before building capacities."""
    return answers.immediate_danger is True or risk.level == "critical"
