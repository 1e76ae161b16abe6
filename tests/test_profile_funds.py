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


def test_the_southern_mediterranean_fund_serves_its_ten_states_not_the_gulf() -> None:
    """EMHRF serves ten States of the southern Mediterranean, not the whole region (it has no
    contact to route to, only its page: `serves` is what a step naming it would ask)."""
    from reprisal_cli.answers import answers_from_data
    from reprisal_cli.engine.contacts import serves
    from reprisal_cli.kb.loader import load_kb

    fund = load_kb().organisations["emhrf"]

    def answers(**values: Any) -> Any:
        doc = {"schema": "reprisal-cli/answers/v1.1", "region": "middle_east_north_africa"}
        return answers_from_data({**doc, **values}, "test")

    assert not serves(fund, answers(state="BH"))
    assert serves(fund, answers(state="EG"))
    assert serves(fund, answers(state="SA", residence="LB", location="abroad"))
