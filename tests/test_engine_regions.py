"""Regional bodies appear only for people they can act for."""

from __future__ import annotations

import datetime as dt

import pytest

from reprisal_cli.answers import Answers
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.knowledge import KnowledgeBase

REGIONAL = {
    "africa": "achpr_sr_hrd_reprisals",
    "americas": "iachr_precautionary_measures",
    "europe_central_asia": "ecthr_rule39",
}


def contact_owners(answers: Answers, kb: KnowledgeBase) -> set[str]:
    plan = evaluate(answers, kb, as_of=dt.date(2026, 11, 25))
    return {kb.contact_owner[c.id].id for step in plan.steps for c in step.contacts}


@pytest.mark.parametrize("region", sorted(REGIONAL))
def test_urgent_regional_body_matches_region(kb: KnowledgeBase, region: str) -> None:
    answers = Answers(region=region, stage="reprisal_suffered", reprisals=("detention",))
    owners = contact_owners(answers, kb)
    assert REGIONAL[region] in owners
    for other, mechanism in REGIONAL.items():
        if other != region:
            assert mechanism not in owners


def test_unknown_region_names_no_regional_body(kb: KnowledgeBase) -> None:
    answers = Answers(stage="reprisal_suffered", reprisals=("detention",))
    assert not set(REGIONAL.values()) & contact_owners(answers, kb)


def test_engaged_regional_body_is_named_wherever_the_person_lives(kb: KnowledgeBase) -> None:
    answers = Answers(
        region="asia_pacific",
        engagement=("inter_american_commission",),
        stage="reprisal_suffered",
        reprisals=("detention",),
    )
    assert "iachr_precautionary_measures" in contact_owners(answers, kb)
