"""A held-back step's safe route (`instead`, gate 9) is the closest one the plan can take now
(caseworker review 7, C4): a kept step that reaches the same body comes before the route the
rule lists; a step that itself waits for a consent ("If you agree: ...") is never the route."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reprisal_cli.answers import load_answers
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.knowledge import KnowledgeBase

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
AS_OF = dt.date(2026, 12, 5)


def _plan(kb: KnowledgeBase, name: str) -> Plan:
    return evaluate(load_answers(EXAMPLES / f"{name}.yaml"), kb, as_of=AS_OF)


def test_a_public_statement_held_back_points_to_the_letter_to_the_same_committee(
    kb: KnowledgeBase,
) -> None:
    """burundi_2016: "Ask the committee concerned to speak publicly" pointed to the UN's senior
    official on reprisals; the plan's confidential letter to the Committee against Torture is
    the same body."""
    plan = _plan(kb, "burundi_2016")
    held = {w.id: w for w in plan.withheld}["ask_public_statement"]
    assert held.instead == "notify_treaty_body"
    letter = next(s for s in plan.steps if s.id == "notify_treaty_body")
    assert letter.title in held.reason
    assert "Committee against Torture" in letter.title


def test_a_step_waiting_for_a_consent_is_no_safe_route(kb: KnowledgeBase) -> None:
    """honduras_2017: the States' public step pointed to "If you agree: ask supportive States to
    raise the case privately" while the consent to States is undecided."""
    plan = _plan(kb, "honduras_2017")
    private = next(s for s in plan.steps if s.id == "ask_states_raise_privately")
    assert private.title.startswith("If you agree")  # kept, waiting for the States consent
    held = {w.id: w for w in plan.withheld}["ask_states_raise_case"]
    assert held.instead is None
    assert kb.safety.confidential_route in held.reason
    assert private.title not in held.reason
