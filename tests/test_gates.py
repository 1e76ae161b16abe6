"""The do-no-harm gates of contract §3, as properties: over answers drawn from every contract key
and value (Hypothesis; derandomised with the `ci` profile), and exhaustively over the keys the
gates read. They run on the shipped knowledge base and on a knowledge base whose rules are
deliberately careless (tests/data/engine_kb), so the gates are shown not to depend on rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reprisal_cli.answers import Answers, answers_from_data
from reprisal_cli.contract import ANSWER_KEYS, ANSWERS_SCHEMA, OTHERS_AT_RISK
from reprisal_cli.engine import evaluate
from reprisal_cli.engine.gates import GATE_KEYS
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import load_kb
from reprisal_cli.kb.models import KIND_IMPLIES_PUBLIC, KIND_IMPLIES_SHARES_WITH_UN

TEST_KB = Path(__file__).parent / "data" / "engine_kb"
AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def careless_kb() -> KnowledgeBase:
    return load_kb(TEST_KB)


def _value_strategy(key: str) -> st.SearchStrategy[Any]:
    spec = ANSWER_KEYS[key]
    if spec.type == "list":
        return st.lists(st.sampled_from(spec.values), unique=True, max_size=len(spec.values))
    if spec.type == "enum":
        return st.sampled_from(spec.values)
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "date":
        return st.sampled_from(["2017", "2017-03", "2017-03-09"])
    if spec.type == "case_id":
        return st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,10}", fullmatch=True)
    return st.text(max_size=40)


# Each key is absent (None) or one of its values; lists may be empty.
ANSWERS = st.fixed_dictionaries(
    {key: st.one_of(st.none(), _value_strategy(key)) for key in ANSWER_KEYS}
).map(
    lambda d: answers_from_data(
        {"schema": ANSWERS_SCHEMA, **{k: v for k, v in d.items() if v is not None}}, "<drawn>"
    )
)


def check_gates(answers: Answers, plan: Plan, kb: KnowledgeBase) -> None:
    """Every gate of contract §3 holds for this plan."""
    safety = kb.safety
    steps = plan.steps
    warnings = {w.id: w.text for w in plan.warnings}

    # Flags are at least what the kind implies, and `why` is never empty.
    for step in steps:
        assert step.why, step.id
        if step.kind in KIND_IMPLIES_PUBLIC:
            assert step.public, step.id
        if step.kind in KIND_IMPLIES_SHARES_WITH_UN:
            assert step.shares_with_un, step.id
        if step.public or step.shares_with_un:
            assert step.sends_information, step.id

    # Ordering: priorities dense from 1, steps sorted by (priority, id), ids unique.
    assert [s.priority for s in steps] == list(range(1, len(steps) + 1))
    assert list(steps) == sorted(steps, key=lambda s: (s.priority, s.id))
    assert len({s.id for s in steps}) == len(steps)

    # Gate 1: no public step without a yes; withheld ones name the gate and a confidential route.
    if answers.consent_publicity != "yes":
        assert not any(s.public for s in steps)
        for item in plan.withheld:
            if item.gate == "consent_publicity":
                assert safety.confidential_route in item.reason or "instead" in item.reason
    # Gate 2: `no` withholds every step to the UN; otherwise unknown/undecided warns on each.
    if answers.consent_share_with_un == "no":
        assert not any(s.shares_with_un for s in steps)
        if any(w.gate == "consent_share_with_un" for w in plan.withheld):
            assert "consent_share_with_un_needed" in warnings
    elif answers.consent_share_with_un != "yes":
        for step in steps:
            if step.shares_with_un:
                assert safety.un_may_raise_with_state in step.detail, step.id
                assert "un_may_raise_with_state" in warnings
    # Gate 3: danger first; unknown danger still gives the emergency step.
    assert "no_physical_protection" in warnings
    if answers.immediate_danger is True:
        assert steps[0].kind == "emergency"
        first_other = next((s.priority for s in steps if s.kind != "emergency"), None)
        last_emergency = max(s.priority for s in steps if s.kind == "emergency")
        assert first_other is None or last_emergency < first_other
    if answers.immediate_danger is None:
        assert safety.emergency_step.id in {s.id for s in steps}
    # Gate 4: a digital-security step before anything is sent; emergency steps carry the advice.
    if answers.devices_compromised is True or "hacking" in answers.reprisals:
        digital = [s.priority for s in steps if s.kind == "digital_security"]
        assert digital
        for step in steps:
            if step.kind == "emergency":
                assert safety.digital_advice_for_emergency in step.detail
            elif step.sends_information and step.kind != "digital_security":
                assert min(digital) < step.priority, step.id
    if answers.devices_compromised is None:
        assert safety.digital_security_step.id in {s.id for s in steps}
    # Gate 5: embassies when watched at home (unknown location counts as home).
    watched = {"surveillance", "stalking"} & set(answers.reprisals)
    if answers.location == "home_country" and watched:
        for step in steps:
            if step.kind == "diplomatic":
                assert safety.embassy_visibility in step.detail
    # Gate 6: publicity warnings name the others at risk.
    proposed_public = any(s.public for s in steps) or any(
        w.gate == "consent_publicity" for w in plan.withheld
    )
    if proposed_public:
        text = warnings["publicity_exposes_others"]
        for other in answers.others_at_risk or OTHERS_AT_RISK:
            assert safety.others_labels[other] in text
    # Gate 7: unknown answers are named.
    unknown = [k for k in GATE_KEYS if answers.get(k) is None]
    if unknown:
        assert all(k in warnings["unknown_answers_cautious"] for k in unknown)


@given(answers=ANSWERS)
def test_gates_hold_with_careless_rules(careless_kb: KnowledgeBase, answers: Answers) -> None:
    check_gates(answers, evaluate(answers, careless_kb, as_of=AS_OF), careless_kb)


@given(answers=ANSWERS)
def test_gates_hold_with_shipped_rules(kb: KnowledgeBase, answers: Answers) -> None:
    check_gates(answers, evaluate(answers, kb, as_of=AS_OF), kb)


# Exhaustive: every combination of the answers the gates read (absent included), on a case that
# makes the rules fire.
GATE_VALUES: dict[str, list[Any]] = {
    "consent_publicity": [None, "yes", "no", "undecided"],
    "consent_share_with_un": [None, "yes", "no", "undecided"],
    "immediate_danger": [None, True, False],
    "devices_compromised": [None, True, False],
    "reprisals": [None, ["hacking"], ["surveillance", "detention"], ["stalking"], ["threats"]],
    "location": [None, "home_country", "abroad"],
    "others_at_risk": [None, ["family"], ["sources", "colleagues"]],
}
BASE = {
    "schema": ANSWERS_SCHEMA,
    "engagement": ["special_procedures", "treaty_bodies", "human_rights_council"],
    "treaty_body": ["cat"],
    "stage": "reprisal_suffered",
}


def _combinations() -> list[Answers]:
    assert set(GATE_VALUES) == set(GATE_KEYS)
    out = []
    for values in itertools.product(*GATE_VALUES.values()):
        data = dict(BASE)
        data.update({k: v for k, v in zip(GATE_VALUES, values, strict=True) if v is not None})
        out.append(answers_from_data(data, "<combination>"))
    return out


def test_gates_exhaustively_careless_rules(careless_kb: KnowledgeBase) -> None:
    for answers in _combinations():
        check_gates(answers, evaluate(answers, careless_kb, as_of=AS_OF), careless_kb)


def test_gates_exhaustively_shipped_rules(kb: KnowledgeBase) -> None:
    for answers in _combinations():
        check_gates(answers, evaluate(answers, kb, as_of=AS_OF), kb)


def test_careless_rules_cannot_publish(careless_kb: KnowledgeBase) -> None:
    answers = answers_from_data(
        {
            "schema": ANSWERS_SCHEMA,
            "stage": "reprisal_suffered",
            "engagement": "special_procedures",
        },
        "t",
    )
    plan = evaluate(answers, careless_kb, as_of=AS_OF)
    withheld = {w.id: w for w in plan.withheld}
    assert set(withheld) == {"press_release", "public_un_statement", "states_speak"}
    assert all(w.gate == "consent_publicity" for w in withheld.values())
    # The rule named a confidential route: the reason names it and the plan holds it.
    assert "Confidential letter to the mandate holders" in withheld["public_un_statement"].reason
    assert careless_kb.safety.confidential_route in withheld["press_release"].reason
    assert "confidential_letter" in {s.id for s in plan.steps}


@given(cases=st.lists(ANSWERS, min_size=1, max_size=6), lang=st.sampled_from(["en", "fr"]))
def test_what_the_engine_keeps_between_cases_never_changes_a_plan(
    kb: KnowledgeBase, cases: list[Answers], lang: str
) -> None:
    # `kb` carries what earlier cases left (rule verdicts, contacts, organisations); a copy
    # starts with nothing kept.
    for answers in cases:
        warm = evaluate(answers, kb, as_of=AS_OF, lang=lang)
        cold = evaluate(answers, dataclasses.replace(kb), as_of=AS_OF, lang=lang)
        assert warm == cold
