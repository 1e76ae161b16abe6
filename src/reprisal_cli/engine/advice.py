"""Practical advice for each step (contract §2, v1.1 `advice`): the conditions of the mechanisms a
step names (data/mechanisms.yaml `conditions`) and the mitigations of the answered reprisals
(data/risks.yaml `mitigations`).

How the texts are shared out, in plan order:
- a step first gets the conditions of the mechanisms it names (they are about that step only),
  at most `MAX_CONDITIONS`, so there is room for what to do about the reprisal itself;
- then the mitigations of the answered reprisals fill the steps up to `MAX_ADVICE` each. They
  are taken in rounds: the first mitigation of each reprisal, gravest reprisal first, then the
  second of each, and so on (a text another answered reprisal says more fully gives its place
  to the fuller one: "With consent, tell the UN body concerned." beside "With the consent of
  the person targeted, tell the UN body concerned: a reprisal for working with the UN is what it
  acts on."). A mitigation that names the kinds of step
  it belongs with (`steps` in data/risks.yaml: "Save it (screenshot, recording, date)" with the
  step that says write down what happened) goes to the first step of those kinds with room,
  even when an earlier step has room; the others fill the steps in plan order, so the most
  important thing to do about every reprisal comes early in the plan. The gravest reprisal's
  first mitigation is placed before any other ("Act at once: every hour counts" on the first
  step of a disappearance plan); then the tagged ones; then the rest. A tagged mitigation goes
  on a step of its kinds or nowhere: where the plan gives no such step (held back by a consent
  gate, or not for this case) "with consent, alert the UN body" on another step read as leave
  to override a "no", and where their steps are full, travel advice sat under the emergency
  line;
- the device step gets no reprisal advice: it comes first when devices may be watched, and is
  about them only;
- no text is given twice in a plan: a reader sees each piece of advice once.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Sequence
from typing import NamedTuple

from reprisal_cli.answers import Answers
from reprisal_cli.contract import LOCATIONS_CANNOT_ACT, reader_of
from reprisal_cli.engine.conditions import holds
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.models import Mitigation

MAX_ADVICE = 3  # per step: a short list a stressed reader can take in
MAX_CONDITIONS = 2  # of them, from the step's own mechanisms


def mitigations(answers: Answers, kb: KnowledgeBase) -> list[str | Mitigation]:
    """The mitigations of the answered reprisals, round by round: the first of each reprisal
    (gravest first, then in the answers' order), then the second of each, and so on; each text
    once, and a text another of them says more fully replaced by the fuller one."""
    risks = [kb.risks[r] for r in answers.reprisals if r in kb.risks]
    risks.sort(key=lambda risk: -risk.severity)  # stable: the answers' order within a severity
    rounds = max((len(r.mitigations) for r in risks), default=0)
    ordered = [
        _worded(item, answers)
        for index in range(rounds)
        for risk in risks
        if index < len(risk.mitigations)
        and _for_these_answers(item := risk.mitigations[index], answers, kb)
    ]
    out: list[str | Mitigation] = []
    seen: set[str] = set()
    for item in ordered:
        # Said more fully by another reprisal ("With consent, tell the UN body concerned." and
        # "With the consent of the person targeted, tell the UN body concerned: ..."): the fuller
        # text takes its place, so the reader does not read the same advice twice.
        kept = next((o for o in ordered if _says_more(_text(o), _text(item))), item)
        if _text(kept) not in seen:
            out.append(kept)
            seen.add(_text(kept))
    return out


def _for_these_answers(item: str | Mitigation, answers: Answers, kb: KnowledgeBase) -> bool:
    """Whether a mitigation fits these answers (its `when`; a plain text always does), and, for
    advice only the person at risk can follow, whether they can (not held or missing) and the
    reader is them or has the words to pass it on (`text_other`)."""
    if isinstance(item, str):
        return True
    if item.only_if_person_can_act and (
        answers.location in LOCATIONS_CANNOT_ACT
        or (reader_of(answers.respondent, answers.location) == "other" and item.text_other is None)
    ):
        return False
    return item.when is None or holds(item.when, answers, kb.states)


def _worded(item: str | Mitigation, answers: Answers) -> str | Mitigation:
    """A mitigation in the words for the plan's reader: advice only the person at risk can
    follow is said to anyone else as theirs to pass on (`text_other`)."""
    if (
        isinstance(item, str)
        or item.text_other is None
        or reader_of(answers.respondent, answers.location) != "other"
    ):
        return item
    return dataclasses.replace(item, text=item.text_other)


# Words that carry no advice of their own: "experience in such cases" is said by "experience
# of security cases". Negations are not among them: "Do not delete" never says "Delete".
_FILLER = frozenset(
    {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "such", "any"}
)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w'-]+", text.lower()) if w not in _FILLER]


def _says_more(fuller: str, text: str) -> bool:
    """Whether `fuller` says all that `text` says, and more: the same first word (the same thing
    to do: "Keep", "Get") and every other word of `text` in it, bar words like "such" or "in"
    ("Keep every court paper." in "Keep every decision, list entry and court paper."; "Save
    copies with dates and links." in "... links before anything is deleted."). Two texts that
    each say something the other does not are both kept."""
    short, full = _words(text), _words(fuller)
    return (
        bool(short) and len(full) > len(short) and full[0] == short[0] and set(short) <= set(full)
    )


def _text(item: str | Mitigation) -> str:
    return item if isinstance(item, str) else item.text


def _tagged(item: str | Mitigation) -> bool:
    """Whether a mitigation names the steps it belongs on (a kind, what they share, whom they
    seek): placed before the plain texts, and on no other step."""
    return not isinstance(item, str) and bool(item.steps or item.to or item.services or item.at)


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


class Slot(NamedTuple):
    """What `share_out` reads of a step: its kind, its own conditions (its mechanisms'), what it
    shares and with whom, and the services it seeks organisations for."""

    kind: str
    own: Sequence[str]
    shares: Collection[str] = ()
    services: Collection[str] = ()
    step: str = ""  # its id, for a mitigation that names its steps (`at`)


def _fits(slot: Slot, item: str | Mitigation) -> bool:
    """Whether a mitigation belongs on this step: a step of one of its kinds or one that seeks
    organisations for one of its `services` ("Vary routes and routines" on the emergency step
    or on a step that seeks physical-security help), and that shares with one of its `to`; each
    when the mitigation names any."""
    if isinstance(item, str):
        return True
    where = not (item.steps or item.services or item.at) or (
        slot.kind in item.steps
        or bool(set(item.services) & set(slot.services))
        or slot.step in item.at
    )
    return where and (not item.to or bool(set(item.to) & set(slot.shares)))


def share_out(
    steps: Sequence[Slot], reprisal_advice: Sequence[str | Mitigation]
) -> list[tuple[str, ...]]:
    """The advice of each step (in plan order), given the reprisals' mitigations (in the order of
    `mitigations`): bounded per step, no text twice in the plan, a tagged mitigation on a step
    it fits (`_fits`) when there is one with room, and on no other."""
    used: set[str] = set()
    out: list[list[str]] = []
    for slot in steps:
        advice = [t for t in dict.fromkeys(slot.own) if t not in used][:MAX_CONDITIONS]
        used.update(advice)
        out.append(advice)

    def place(item: str | Mitigation) -> None:
        for slot, advice in zip(steps, out, strict=True):
            if slot.kind == "digital_security" or len(advice) >= MAX_ADVICE:
                continue
            if _fits(slot, item):
                advice.append(_text(item))
                used.add(_text(item))
                return

    pending = [item for item in reprisal_advice if _text(item) not in used]
    first, rest = pending[:1], pending[1:]
    for item in [*first, *(item for item in rest if _tagged(item))]:
        if _text(item) not in used:
            place(item)  # the first anywhere it fits
    for item in pending:
        if _text(item) in used or _tagged(item):
            # Advice about a kind of step goes on no other step: not when the plan does not give
            # that kind (held back by a consent gate, or not for this case: "with consent, alert
            # the UN body" on another step read as leave to override a "no", red team
            # 2026-12-03), nor when its steps are full ("Ask whether remote participation is
            # possible" under the emergency line: caseworker review 4).
            continue
        place(item)
    return [tuple(advice) for advice in out]
