"""Each step's `advice` (contract §2, v1.1): the mechanisms' conditions and the reprisals'
mitigations reach the plan, bounded per step, never twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reprisal_cli.answers import answers_from_data
from reprisal_cli.contract import ANSWERS_SCHEMA
from reprisal_cli.engine import evaluate
from reprisal_cli.engine.advice import MAX_ADVICE, MAX_CONDITIONS, mitigations, share_out
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.render import RenderOptions
from reprisal_cli.render.text import plan_text

AS_OF = dt.date(2026, 11, 25)


def _plan(kb: KnowledgeBase, **answers: Any) -> Plan:
    return evaluate(answers_from_data({"schema": ANSWERS_SCHEMA, **answers}, "t"), kb, as_of=AS_OF)


def _advice(plan: Plan) -> list[str]:
    return [tip for step in plan.steps for tip in step.advice]


def test_a_disappearance_plan_says_every_hour_counts_on_its_first_step(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb,
        engagement="special_procedures",
        stage="reprisal_suffered",
        reprisals=["enforced_disappearance"],
    )
    first = next(s for s in plan.steps if s.kind != "digital_security")
    assert "Act at once: every hour counts." in first.advice


def test_an_attack_plan_says_get_a_medical_report(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb, engagement="treaty_bodies", stage="reprisal_suffered", reprisals=["physical_attack"]
    )
    assert any("medical report" in tip for tip in _advice(plan))


def test_the_special_procedures_step_says_letters_become_public(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb, engagement="special_procedures", stage="reprisal_suffered", reprisals=["detention"]
    )
    urgent = next(s for s in plan.steps if s.id == "urgent_appeal_special_procedures")
    assert any("become public later" in tip for tip in urgent.advice)


def test_transnational_repression_says_tell_the_authorities_of_residence(
    kb: KnowledgeBase,
) -> None:
    plan = _plan(
        kb,
        engagement="human_rights_council",
        stage="reprisal_suffered",
        reprisals=["transnational_repression"],
        location="abroad",
    )
    assert any("authorities of the country of residence" in tip for tip in _advice(plan))


def test_no_advice_repeats_and_each_step_is_bounded(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb,
        engagement=["special_procedures", "treaty_bodies", "human_rights_council"],
        treaty_body=["cat", "ced"],
        stage="reprisal_suffered",
        reprisals=["enforced_disappearance", "physical_attack", "detention", "threats_to_family"],
        others_at_risk="family",
    )
    tips = _advice(plan)
    assert len(tips) == len(set(tips))
    assert all(len(step.advice) <= MAX_ADVICE for step in plan.steps)
    assert len(tips) > MAX_ADVICE  # spread over several steps, not one


def test_the_device_step_gets_no_reprisal_advice(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb,
        engagement="special_procedures",
        stage="reprisal_suffered",
        reprisals=["enforced_disappearance", "hacking"],
    )
    devices = [s for s in plan.steps if s.kind == "digital_security"]
    assert devices and all(s.advice == () for s in devices)


def test_mitigations_come_gravest_first_one_round_at_a_time(kb: KnowledgeBase) -> None:
    answers = answers_from_data(
        {"schema": ANSWERS_SCHEMA, "reprisals": ["travel_ban", "enforced_disappearance"]}, "t"
    )
    out = mitigations(answers, kb)
    gravest, lighter = kb.risks["enforced_disappearance"], kb.risks["travel_ban"]
    assert out[:2] == [gravest.mitigations[0], lighter.mitigations[0]]
    assert out[2:4] == [gravest.mitigations[1], lighter.mitigations[1]]


def test_share_out_puts_a_steps_own_conditions_first_and_leaves_room() -> None:
    own = ["c1", "c2", "c3"]
    out = share_out([("notify_mechanism", own), ("documentation", ["c1"])], ["m1", "m2", "m3"])
    assert out[0] == ("c1", "c2", "m1")  # at most MAX_CONDITIONS of its own, then the reprisals'
    assert MAX_CONDITIONS == 2 and MAX_ADVICE == 3
    assert out[1] == ("m2", "m3")  # c1 already given on the first step


def test_a_plan_without_reprisals_gives_only_conditions(kb: KnowledgeBase) -> None:
    plan = _plan(kb, engagement="special_procedures", stage="planning")
    known = {c.text for m in kb.mechanisms.values() for c in m.conditions}
    assert set(_advice(plan)) <= known


def test_the_text_view_shows_the_advice(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb,
        engagement="treaty_bodies",
        stage="reprisal_suffered",
        reprisals=["enforced_disappearance"],
    )
    # The short default view holds one contact per step; the advice is in the full view.
    text = plan_text(plan, kb, RenderOptions(full=True))
    assert "Advice:" in text
    assert "every hour counts" in text


def test_the_committee_step_names_the_committee_and_its_reprisals_rapporteurs(
    kb: KnowledgeBase,
) -> None:
    cat = _plan(kb, engagement="treaty_bodies", treaty_body=["cat"], stage="reprisal_suffered")
    step = next(s for s in cat.steps if s.id == "notify_treaty_body")
    assert kb.mechanisms["tb_cat"].name in step.detail
    assert any("since November 2012" in tip for tip in step.advice)
    spt = _plan(kb, engagement="treaty_bodies", treaty_body=["spt"], stage="reprisal_suffered")
    step = next(s for s in spt.steps if s.id == "notify_treaty_body")
    assert kb.mechanisms["tb_spt"].name in step.detail
    assert any("CAT/OP/6/Rev.1" in tip for tip in step.advice)
