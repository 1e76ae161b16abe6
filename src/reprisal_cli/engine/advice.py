"""Practical advice for each step (contract §2, v1.1 `advice`): the conditions of the mechanisms a
step names (data/mechanisms.yaml `conditions`) and the mitigations of the answered reprisals
(data/risks.yaml `mitigations`).

How the texts are shared out, walking the steps in plan order:
- a step first gets the conditions of the mechanisms it names (they are about that step only),
  at most `MAX_CONDITIONS`, so there is room for what to do about the reprisal itself;
- then the mitigations of the answered reprisals fill it up to `MAX_ADVICE`: the first
  mitigation of each reprisal, gravest reprisal first, then the second of each, and so on, so
  the most important thing to do about every reprisal comes early in the plan ("Act at once:
  every hour counts" on the first step of a disappearance plan);
- no text is given twice in a plan: a reader sees each piece of advice once, on the first step
  it fits.
"""

from __future__ import annotations

from collections.abc import Sequence

from reprisal_cli.answers import Answers
from reprisal_cli.kb.knowledge import KnowledgeBase

MAX_ADVICE = 3  # per step: a short list a stressed reader can take in
MAX_CONDITIONS = 2  # of them, from the step's own mechanisms


def mitigations(answers: Answers, kb: KnowledgeBase) -> list[str]:
    """The mitigations of the answered reprisals, round by round: the first of each reprisal
    (gravest first, then in the answers' order), then the second of each, and so on."""
    risks = [kb.risks[r] for r in answers.reprisals if r in kb.risks]
    risks.sort(key=lambda risk: -risk.severity)  # stable: the answers' order within a severity
    rounds = max((len(r.mitigations) for r in risks), default=0)
    out: list[str] = []
    for index in range(rounds):
        for risk in risks:
            if index < len(risk.mitigations) and risk.mitigations[index] not in out:
                out.append(risk.mitigations[index])
    return out


def conditions(
    mechanism_ids: Sequence[str], kb: KnowledgeBase, worked_with: Sequence[str] = ()
) -> list[str]:
    """The conditions of these mechanisms, without repeats: those of the committees the person
    worked with (`worked_with`, the answers' `treaty_body`) first, then the others in order."""
    mechs = [kb.mechanisms[m] for m in mechanism_ids if m in kb.mechanisms]
    mechs.sort(key=lambda mech: mech.treaty_body not in worked_with)  # stable
    out: list[str] = []
    for mech in mechs:
        out += [c.text for c in mech.conditions if c.text not in out]
    return out


def share_out(
    steps: Sequence[tuple[str, Sequence[str]]], reprisal_advice: Sequence[str]
) -> list[tuple[str, ...]]:
    """The advice of each step, given each step's kind and conditions (in plan order) and the
    reprisals' mitigations: bounded per step, and no text twice in the plan. The device step
    gets no reprisal advice: it comes first when devices may be watched, and is about them only."""
    used: set[str] = set()
    pending = list(reprisal_advice)
    out: list[tuple[str, ...]] = []
    for kind, own in steps:
        advice = [t for t in dict.fromkeys(own) if t not in used][:MAX_CONDITIONS]
        used.update(advice)
        while kind != "digital_security" and len(advice) < MAX_ADVICE and pending:
            text = pending.pop(0)
            if text not in used:
                advice.append(text)
                used.add(text)
        out.append(tuple(advice))
    return out
