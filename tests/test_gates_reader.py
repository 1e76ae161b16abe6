"""The do-no-harm gates speak to whoever reads the plan (issue 21, point 6).

When someone else answers, or the person at risk is detained or missing, the plan's reader is not
the person at risk: the gates' own steps and warnings (the emergency line, the device to write
from, the embassy, who publicity exposes, what was not answered) must not tell that reader "if you
are in danger" or "your family". Checked over every respondent and every location, in English
against phrases that speak to the person, and in the five other languages by their translations.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from typing import Any

import pytest

from reprisal_cli.answers import answers_from_data
from reprisal_cli.contract import LOCATIONS, LOCATIONS_CANNOT_ACT, RESPONDENTS
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.i18n import UNTRANSLATED_MARKER, translate_kb
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import load_kb
from reprisal_cli.kb.rules import ReaderTexts, SafetyTexts, Wording

AS_OF = dt.date(2026, 11, 25)
LANGS = ("fr", "es", "ar", "ru", "zh")
# Words that speak to the person at risk as "you": what a relative of a detained defender read
# ("If you are in danger...", "your family") before the gates followed the reader.
TO_THE_PERSON = (
    "if you or someone close to you",
    "protect you physically",
    "if you, your family",
    "your family",
    "your colleagues",
    "your organisation",
    "your sources",
    "gave you information",
    "your government",
    "get to safety",
    "when you are safer",
    "can expose you",
    "people you fear",
    "people you name",
    "people helping you",
    "linked to you ",
    "if your phone, computer or accounts may be watched",
    "ask someone you trust to call for you",
    "contact you by a safe channel",
    "make the contact for you",
    "details of your case",
)
# Warnings and steps the gates give whatever the rules say (engine/gates.py, evaluate.py).
GATE_STEPS = ("emergency_help_now", "secure_devices_first")
GATE_WARNINGS = (
    "no_physical_protection",
    "reduce_exposure_first",
    "consent_share_with_un_needed",
    "un_may_raise_with_state",
    "regional_may_raise_with_state",
    "states_tell_government",
    "embassy_visibility",
    "publicity_exposes_others",
    "unknown_answers_cautious",
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def _answers(respondent: str | None, location: str | None) -> Any:
    """A case that opens every gate: danger now, devices watched, watched at home, consents
    undecided or given, and some answers left out."""
    data: dict[str, Any] = {
        "schema": "reprisal-cli/answers/v1.1",
        "stage": "reprisal_suffered",
        "engagement": ["special_procedures", "human_rights_council"],
        "reprisals": ["surveillance", "hacking", "threats", "detention"],
        "immediate_danger": True,
        "devices_compromised": True,
        "consent": {
            "publicity": "yes",
            "share_with_states": "undecided",
            "share_with_regional": "undecided",
            "given_by": "person",
        },
    }
    if respondent is not None:
        data["respondent"] = respondent
    if location is not None:
        data["location"] = location
    return answers_from_data(data, "reader-case")


def _gate_texts(plan: Plan) -> list[str]:
    """What the gates wrote into the plan: their steps whole, their warnings, and the paragraphs
    they added to other steps (a rule step's own words are the rules' business)."""
    texts = [w.text for w in plan.warnings if w.id in GATE_WARNINGS]
    for step in plan.steps:
        if step.id in GATE_STEPS:
            texts += [step.title, step.detail]
    warned = set(texts)
    for step in plan.steps:
        texts += [p for p in step.detail.split("\n\n") if p in warned]
    return texts


def _reads_to_the_person(text: str) -> list[str]:
    low = " ".join(text.lower().split())
    return [phrase for phrase in TO_THE_PERSON if phrase in low]


def _texts_of(safety: SafetyTexts) -> list[str]:
    out = [
        safety.emergency_step.title,
        safety.emergency_step.detail,
        safety.digital_security_step.title,
        safety.digital_security_step.detail,
    ]
    for f in dataclasses.fields(safety):
        value = getattr(safety, f.name)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            out += [v for v in value.values() if isinstance(v, str)]
    return out


def test_every_gate_text_for_another_reader_speaks_to_that_reader(kb: KnowledgeBase) -> None:
    other = kb.safety.for_reader("other")
    found = {t: _reads_to_the_person(t) for t in _texts_of(other)}
    assert {t: f for t, f in found.items() if f} == {}
    # The list finds what it is meant to find: the person's own wordings say "you".
    assert any(_reads_to_the_person(t) for t in _texts_of(kb.safety))


def test_the_person_at_risk_reads_the_texts_written_for_them(kb: KnowledgeBase) -> None:
    assert kb.safety.for_reader("person") is kb.safety


@pytest.mark.parametrize(
    ("respondent", "location"),
    list(itertools.product((None, *RESPONDENTS), (None, *LOCATIONS))),
)
def test_gates_follow_the_reader(
    kb: KnowledgeBase, respondent: str | None, location: str | None
) -> None:
    plan = evaluate(_answers(respondent, location), kb, as_of=AS_OF)
    # Not said who answers: another reader (contract §2, `person` only when the person answered).
    other = respondent != "self" or location in LOCATIONS_CANNOT_ACT
    assert plan.audience == ("other" if other else "person")
    steps = {s.id: s for s in plan.steps}
    # Every gate still acts whoever reads: only its words change.
    assert set(GATE_STEPS) <= set(steps)
    assert "no_physical_protection" in {w.id for w in plan.warnings}
    safety = kb.safety.for_reader(plan.audience)
    assert steps["emergency_help_now"].title == safety.emergency_step.title
    assert safety.digital_advice_for_emergency in steps["emergency_help_now"].detail
    assert steps["secure_devices_first"].title == safety.digital_security_step.title
    texts = _gate_texts(plan)
    if other:
        assert [(t, _reads_to_the_person(t)) for t in texts if _reads_to_the_person(t)] == []
    else:
        assert steps["emergency_help_now"].title == kb.safety.emergency_step.title


def test_every_reworded_gate_text_reaches_a_plan(kb: KnowledgeBase) -> None:
    """None of the texts for another reader is dead: a defender held in detention (who cannot act,
    so the plan speaks to whoever reads it) with every gate open uses each of them."""
    plan = evaluate(_answers("self", "in_detention"), kb, as_of=AS_OF)
    other = kb.safety.for_other
    assert other is not None
    everything = "\n".join([*(s.detail for s in plan.steps), *(w.text for w in plan.warnings)])
    assert other.digital_advice_for_emergency in everything
    assert other.states_tell_government in everything
    assert other.embassy_visibility in everything
    assert other.reduce_exposure_first in everything
    assert other.others_labels["family"] in everything


@pytest.mark.parametrize("lang", LANGS)
def test_gate_texts_for_another_reader_are_translated(kb: KnowledgeBase, lang: str) -> None:
    translated = translate_kb(kb, kb.translations[lang])
    other = translated.safety.for_other
    english = kb.safety.for_other
    assert other is not None and english is not None
    for f in dataclasses.fields(ReaderTexts):
        mine, theirs = getattr(other, f.name), getattr(english, f.name)
        if isinstance(mine, Wording):
            values = [mine.title, mine.detail]
        elif isinstance(mine, dict):
            values = list(mine.values())
            assert mine.keys() == theirs.keys()
        else:
            values = [mine]
        for value in values:
            assert isinstance(value, str)
            assert not value.startswith(UNTRANSLATED_MARKER), (lang, f.name)
    # Worded for the other reader, not the person's text again.
    assert other.emergency_step is not None
    assert other.emergency_step.title != translated.safety.emergency_step.title
    assert other.others_labels["family"] != translated.safety.others_labels["family"]
    # And the plan for a relative uses them.
    plan = evaluate(_answers("family", "in_detention"), translated, as_of=AS_OF)
    assert plan.lang == lang
    emergency = next(s for s in plan.steps if s.id == "emergency_help_now")
    assert emergency.title == other.emergency_step.title
    assert not re.match(re.escape(UNTRANSLATED_MARKER), emergency.detail)
