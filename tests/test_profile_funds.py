"""Organisations that serve the person's own profile come before those open to everyone (domain
review A7; caseworker review 5, B2): a woman defender is offered the Urgent Action Fund, which
serves women and trans defenders, and a man in the same place is not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from red_support import plan_of_answers

BASE: dict[str, Any] = {
    "respondent": "self",
    "state": "KG",
    "engagement": ["treaty_bodies"],
    "stage": "reprisal_suffered",
    "reprisals": ["threats", "smear_campaign", "online_harassment"],
    "location": "home_country",
    "consent": {"share_with_un": "undecided", "publicity": "undecided"},
}


def _contact_ids(plan: dict[str, Any]) -> set[str]:
    return {c["id"] for step in plan["steps"] for c in step["contacts"]}


def test_a_woman_defender_is_offered_the_fund_for_women_defenders(tmp_path: Path) -> None:
    woman = plan_of_answers(tmp_path, {**BASE, "profile": ["woman_defender"]})
    other = plan_of_answers(tmp_path, {**BASE, "profile": ["journalist"]})
    assert "urgent_action_fund_web" in _contact_ids(woman)
    assert not any(i.startswith("urgent_action_fund") for i in _contact_ids(other))


def test_an_organisation_for_some_states_only_is_offered_only_there(tmp_path: Path) -> None:
    """DefendDefenders serves defenders in eleven States of East Africa and the Horn: a
    Senegalese journalist in danger was sent to its 24/7 line as to every African (caseworker
    review 5, after red47 put organisations for the person's own region first)."""
    answers = {**BASE, "profile": ["journalist"], "immediate_danger": True}
    senegal = plan_of_answers(tmp_path, {**answers, "state": "SN"})
    burundi = plan_of_answers(tmp_path, {**answers, "state": "BI"})
    exile = plan_of_answers(tmp_path, {**answers, "state": "SN", "residence": "KE",
                                       "location": "abroad"})  # fmt: skip
    assert not any(i.startswith("defenddefenders") for i in _contact_ids(senegal))
    assert "defenddefenders_phone_emergency" in _contact_ids(burundi)
    assert "defenddefenders_phone_emergency" in _contact_ids(exile)
