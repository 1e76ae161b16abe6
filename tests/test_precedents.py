"""Similar cases (plan `precedents`): a case is shown only when it shares a mechanism the person
worked with and a reprisal they suffered; none is better than a case that does not fit
(caseworker review 5, C5: a Philippine child, threatened after the Committee on the Rights of the
Child, was shown only lawyers disbarred in Burundi after the Committee against Torture)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reprisal_cli.answers import answers_from_data
from reprisal_cli.contract import ANSWERS_SCHEMA
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.knowledge import KnowledgeBase

AS_OF = dt.date(2026, 12, 5)


def _precedents(kb: KnowledgeBase, **answers: Any) -> list[str]:
    data = {"schema": ANSWERS_SCHEMA, "stage": "reprisal_suffered", **answers}
    plan = evaluate(answers_from_data(data, "t"), kb, as_of=AS_OF)
    return [p.id for p in plan.precedents]


def test_a_case_that_shares_no_reprisal_is_not_shown(kb: KnowledgeBase) -> None:
    found = _precedents(
        kb,
        engagement=["indigenous_forums", "treaty_bodies"],
        treaty_body=["crc"],
        reprisals=["terrorism_label", "threats", "threats_to_family", "online_harassment"],
        profile=["child", "indigenous_defender"],
    )
    assert found == []


def test_a_case_before_another_committee_is_not_shown(kb: KnowledgeBase) -> None:
    # Disbarred after the Committee against Torture: not a precedent before CEDAW.
    found = _precedents(
        kb, engagement=["treaty_bodies"], treaty_body=["cedaw"], reprisals=["professional_sanction"]
    )
    assert "burundi_cat_2016" not in found


def test_a_case_that_fits_is_still_shown(kb: KnowledgeBase) -> None:
    # A lawyer sanctioned after the Committee against Torture: the Burundi lawyers.
    found = _precedents(
        kb,
        engagement=["treaty_bodies", "european_court"],
        treaty_body=["cat"],
        reprisals=["criminal_charges", "professional_sanction", "travel_ban", "surveillance"],
    )
    assert found == ["burundi_cat_2016"]
    # Threatened after the Universal Periodic Review: the Bahraini defenders.
    found = _precedents(
        kb, engagement=["african_commission", "universal_periodic_review"], reprisals=["threats"]
    )
    assert found == ["bahrain_upr_2012"]


def test_without_a_mechanism_no_case_is_shown(kb: KnowledgeBase) -> None:
    assert _precedents(kb, reprisals=["threats", "detention"]) == []
