"""Urgency (contract §2 v1.1) on the shipped knowledge base: at most three `now` steps, first in
the plan, chosen from the answers; the emergency step's best contact is a 24-hour phone line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from reprisal_cli.answers import Answers, answers_from_data, read_answers
from reprisal_cli.contract import ANSWERS_SCHEMA, MAX_NOW, URGENCIES
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.knowledge import KnowledgeBase

AS_OF = dt.date(2026, 12, 2)
EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))


def answers(**values: Any) -> Answers:
    return answers_from_data({"schema": ANSWERS_SCHEMA, **values}, "<test>")


def now_ids(plan: Plan) -> list[str]:
    return [s.id for s in plan.steps if s.urgency == "now"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_has_one_to_three_now_steps_first(example: Path, kb: KnowledgeBase) -> None:
    plan = evaluate(read_answers(example), kb, as_of=AS_OF)
    ranks = [URGENCIES.index(s.urgency) for s in plan.steps]
    assert ranks == sorted(ranks)  # now, then this week, then later
    assert 1 <= ranks.count(0) <= MAX_NOW
    assert [s.priority for s in plan.steps] == list(range(1, len(plan.steps) + 1))


def test_danger_unknown_or_yes_puts_the_emergency_line_first_now(kb: KnowledgeBase) -> None:
    for danger in (True, None):
        values = {} if danger is None else {"immediate_danger": danger}
        plan = evaluate(answers(stage="reprisal_suffered", **values), kb, as_of=AS_OF)
        emergency = next(s for s in plan.steps if s.kind == "emergency")
        assert emergency.urgency == "now"
        best = emergency.contacts[0]
        assert best.channel == "phone"
        assert kb.contacts[best.id].hours  # open around the clock: usable when it matters


def test_compromised_devices_and_detention_are_now(kb: KnowledgeBase) -> None:
    plan = evaluate(
        answers(
            stage="reprisal_suffered",
            reprisals=["detention"],
            immediate_danger=False,
            devices_compromised=True,
        ),
        kb,
        as_of=AS_OF,
    )
    assert now_ids(plan)[:2] == ["secure_devices_first", "urgent_appeal_special_procedures"]


def test_recent_reprisal_asks_for_the_urgent_notification_now(kb: KnowledgeBase) -> None:
    base: dict[str, Any] = {
        "stage": "reprisal_suffered",
        "reprisals": ["threats"],
        "engagement": ["special_procedures"],
        "immediate_danger": False,
        "devices_compromised": False,
        "consent_share_with_un": "yes",
    }
    recent = evaluate(answers(**base, incident_date="2026-11-20"), kb, as_of=AS_OF)
    old = evaluate(answers(**base, incident_date="2019-03"), kb, as_of=AS_OF)
    assert "report_to_un_reprisals_official" in now_ids(recent)
    assert "report_to_un_reprisals_official" not in now_ids(old)
    assert len(now_ids(old)) == 1  # still one thing to do today


def test_never_more_than_three_now(kb: KnowledgeBase) -> None:
    plan = evaluate(
        answers(
            stage="reprisal_suffered",
            reprisals=["detention", "enforced_disappearance", "criminal_charges"],
            consent_share_with_un="yes",
            incident_date="2026-12",
        ),
        kb,
        as_of=AS_OF,
    )
    assert len(now_ids(plan)) == MAX_NOW
    assert now_ids(plan)[0] == "emergency_help_now"


def _phones(plan: Plan) -> list[str]:
    """The owners of the emergency step's 24-hour phone lines, in the order the step gives them."""
    emergency = next(s for s in plan.steps if s.kind == "emergency")
    return [c.id for c in emergency.contacts if c.channel == "phone" and c.hours]


@pytest.mark.parametrize(
    "where",
    [{"state": "BI"}, {"residence": "KE"}],
    ids=["state", "residence"],
)
def test_a_regional_24_hour_line_comes_second_in_the_emergency_step(
    kb: KnowledgeBase, where: dict[str, str]
) -> None:
    """Caseworker review cw5 B1: DefendDefenders' 24/7 line serves Burundi but came only in the
    family and relocation steps. A line serving the State responsible or the State of residence
    is second in the emergency step, after the global line whose phone works everywhere (the
    first contact stays the 24-hour phone line of contract §2)."""
    plan = evaluate(
        answers(stage="reprisal_suffered", reprisals=["threats"], **where), kb, as_of=AS_OF
    )
    phones = _phones(plan)
    assert phones[:2] == ["front_line_defenders_phone_emergency", "defenddefenders_phone_emergency"]
    emergency = next(s for s in plan.steps if s.kind == "emergency")
    assert emergency.contacts[0].id == "front_line_defenders_phone_emergency"
    # ProtectDefenders.eu (the global line's partner) is still offered.
    assert any(kb.contact_owner[c.id].id == "protectdefenders_eu" for c in emergency.contacts)


def test_no_regional_line_for_a_state_it_does_not_serve(kb: KnowledgeBase) -> None:
    plan = evaluate(answers(stage="reprisal_suffered", state="FR"), kb, as_of=AS_OF)
    assert _phones(plan) == ["front_line_defenders_phone_emergency"]
