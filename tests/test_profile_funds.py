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
