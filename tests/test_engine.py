"""The engine on a small inline knowledge base (tests/data/engine_kb): conditions, merging,
contacts, organisations, risk, precedents, ordering, warnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from reprisal_cli.answers import Answers, answers_from_data
from reprisal_cli.contract import ANSWERS_SCHEMA
from reprisal_cli.engine.conditions import holds, matched
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.conditions import Condition
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import load_kb
from reprisal_cli.records import validate

TEST_KB = Path(__file__).parent / "data" / "engine_kb"
AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def small_kb() -> KnowledgeBase:
    return load_kb(TEST_KB)


def answers(**values: Any) -> Answers:
    return answers_from_data({"schema": ANSWERS_SCHEMA, **values}, "<test>")


def plan_for(kb: KnowledgeBase, **values: Any) -> Plan:
    return evaluate(answers(**values), kb, as_of=AS_OF)


def step(plan: Plan, ident: str) -> Any:
    return next(s for s in plan.steps if s.id == ident)


def cond(data: dict[str, Any]) -> Condition:
    return validate(Condition, data)


def test_conditions() -> None:
    a = answers(stage="planning", reprisals=["threats", "hacking"], immediate_danger=False)
    assert holds(cond({"key": "stage", "equals": "planning"}), a)
    assert holds(cond({"key": "stage", "in": ["planning", "engaged"]}), a)
    assert holds(cond({"key": "reprisals", "contains": ["detention", "hacking"]}), a)
    assert holds(cond({"key": "immediate_danger", "equals": False}), a)
    assert holds(cond({"present": "reprisals"}), a)
    assert holds(cond({"absent": "location"}), a)
    assert not holds(cond({"any": [{"absent": "stage"}, {"present": "location"}]}), a)
    # Absent answers: the test is false and `not` of it true (gates, not rules, keep caution).
    assert not holds(cond({"key": "location", "equals": "home_country"}), a)
    assert holds(cond({"not": {"key": "location", "equals": "abroad"}}), a)


def test_matched_facts() -> None:
    a = answers(engagement=["special_procedures", "treaty_bodies"], stage="reprisal_suffered")
    c = cond(
        {
            "all": [
                {"key": "engagement", "contains": ["special_procedures", "european_court"]},
                {"any": [{"key": "stage", "equals": "reprisal_suffered"}, {"absent": "stage"}]},
            ]
        }
    )
    assert matched(c, a) == {"engagement": "special_procedures", "stage": "reprisal_suffered"}


def test_each_plans_why_quotes_its_own_answers(small_kb: KnowledgeBase) -> None:
    # `embassy` fires on `present: reprisals`: each plan's `why` quotes its own reprisals.
    for reprisals in (["threats"], ["threats", "stalking"], ["stalking"]):
        plan = plan_for(small_kb, reprisals=reprisals)
        why = step(plan, "go_to_embassy").why
        assert [w.matched for w in why if w.rule == "embassy"] == [{"reprisals": reprisals}]


def test_same_step_from_two_rules_is_merged(small_kb: KnowledgeBase) -> None:
    plan = plan_for(small_kb, engagement="special_procedures", consent_share_with_un="yes")
    letter = step(plan, "confidential_letter")
    # Both rules, then the gate that made it the confidential route of a withheld public step.
    assert [w.rule for w in letter.why] == [
        "always_notify",
        "also_notify_sp",
        "gate:consent_publicity",
    ]
    assert letter.why[1].matched == {"engagement": "special_procedures"}
    assert letter.checklist == ("test_checklist",)


def test_check_current_contact_is_followed_by_its_fallback(small_kb: KnowledgeBase) -> None:
    plan = plan_for(small_kb, engagement="special_procedures")
    ids = [c.id for c in step(plan, "confidential_letter").contacts]
    assert ids == ["mech_sp_email", "mech_sp_web", "mech_official_email"]
    warnings = {w.id: w.text for w in plan.warnings}
    assert "no_contact_confirmed" in warnings  # none of the test files' contacts is confirmed
    assert "sp@example.org" in warnings["stale_contacts"]


def test_treaty_body_contacts_and_find_at(small_kb: KnowledgeBase) -> None:
    plan = plan_for(small_kb, engagement="treaty_bodies", treaty_body="cat")
    notify = step(plan, "notify_committee")
    assert notify.contacts == ()  # the committee has no contact: the plan says where to find it
    assert "https://example.org/cat" in notify.detail


def test_urgent_mechanisms_of_the_reprisals(small_kb: KnowledgeBase) -> None:
    plan = plan_for(small_kb, reprisals=["detention"], consent_share_with_un="yes")
    assert "mech_sp_web" in {c.id for c in step(plan, "urgent_for_reprisals").contacts}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, ["org_everyone_phone"]),
        ({"profile": "woman_defender"}, ["org_everyone_phone"]),  # region unknown
        (  # an organisation for the person's own profile first (domain review A7)
            {"profile": "woman_defender", "region": "africa"},
            ["org_women_africa_web", "org_everyone_phone"],
        ),
        ({"respondent": "organisation"}, ["org_everyone_phone", "org_for_organisations_web"]),
    ],
)
def test_organisations_by_service_and_whom_they_serve(
    small_kb: KnowledgeBase, values: dict[str, Any], expected: list[str]
) -> None:
    plan = plan_for(small_kb, reprisals=["threats"], **values)
    assert [c.id for c in step(plan, "org_help").contacts] == expected


def test_imminent_threat_puts_capacity_building_last(small_kb: KnowledgeBase) -> None:
    calm = plan_for(small_kb, reprisals=["threats"], immediate_danger=False)
    assert step(calm, "training").priority == 2  # after go_to_embassy, same rule priority
    danger = plan_for(small_kb, reprisals=["threats"], immediate_danger=True)
    assert danger.steps[0].kind == "emergency"
    assert danger.steps[-1].id == "training"
    assert danger.warnings[1].id == "reduce_exposure_first"


@pytest.mark.parametrize(
    ("values", "level", "days"),
    [
        ({"stage": "planning", "location": "abroad", "devices_compromised": False}, "low", 90),
        ({"stage": "reprisal_feared"}, "moderate", 30),
        ({"reprisals": ["threats"]}, "high", 7),
        (
            {
                "reprisals": ["threats"],
                "location": "abroad",
                "devices_compromised": False,
                "travel_planned": False,
            },
            "moderate",
            30,
        ),
        (
            {
                "reprisals": ["surveillance"],
                "location": "home_country",
                "devices_compromised": True,
                "others_at_risk": ["family"],
            },
            "high",
            7,
        ),
        ({"reprisals": ["detention"]}, "critical", 3),
        ({"reprisals": ["travel_ban"], "immediate_danger": True}, "critical", 1),
    ],
)
def test_risk_level(small_kb: KnowledgeBase, values: dict[str, Any], level: str, days: int) -> None:
    risk = plan_for(small_kb, **values).risk
    assert (risk.level, risk.reassess_after_days) == (level, days)
    assert risk.threats or values.get("stage") == "planning"


def test_risk_names_its_factors(small_kb: KnowledgeBase) -> None:
    risk = plan_for(small_kb, reprisals=["threats"], location="home_country").risk
    assert [t.id for t in risk.threats] == ["threats"]
    assert [v.id for v in risk.vulnerabilities] == ["at_home"]


def test_precedents_by_mechanism_and_reprisal_overlap(small_kb: KnowledgeBase) -> None:
    plan = plan_for(small_kb, engagement="special_procedures", reprisals=["threats", "detention"])
    assert [p.id for p in plan.precedents] == ["case_sp_threats", "case_sp_detention"]
    # No mechanism known, or none in common: no case (caseworker review 5, C5).
    assert plan_for(small_kb, reprisals=["threats"]).precedents == ()
    # A mechanism in common but no reprisal: no case either.
    plan = plan_for(small_kb, engagement="special_procedures", reprisals=["hacking"])
    assert plan.precedents == ()
    assert plan_for(small_kb, stage="planning").precedents == ()


def test_kb_and_language_warnings(small_kb: KnowledgeBase) -> None:
    plan = evaluate(answers(), small_kb, as_of=AS_OF, lang="fr")
    ids = [w.id for w in plan.warnings]
    assert "custom_kb" in ids
    assert "translation_missing" in ids
    assert plan.kb.custom is True


def test_deterministic(small_kb: KnowledgeBase) -> None:
    values = {"reprisals": ["threats", "hacking"], "engagement": ["special_procedures"]}
    first = plan_for(small_kb, **values).to_json_dict()
    assert first == plan_for(small_kb, **values).to_json_dict()
    assert first["as_of"] == "2026-11-25"
