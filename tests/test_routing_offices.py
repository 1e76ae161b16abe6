"""Issue 21 point 5, over every State in data/states.yaml: the African Commission's Special
Rapporteur on defenders for every defender in a State party to the African Charter (not only for
grave reprisals), the OHCHR office only where the State has one, and the Escazú Agreement's
compliance committee and the Aarhus Convention's Special Rapporteur only for environmental
defenders in their Parties. Where the State is not
answered, a step never guesses: the OHCHR office is not offered, and the other two say for which
States they act."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reprisal_cli.answers import answers_from_data
from reprisal_cli.contract import ANSWERS_SCHEMA
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.states import StateFactKey

AS_OF = dt.date(2026, 12, 2)
# A reprisal that is not grave: before issue 21 it brought no African Commission step.
MILD = {
    "engagement": ["human_rights_council"],
    "stage": "reprisal_suffered",
    "reprisals": ["travel_ban"],
    "consent_share_with_un": "yes",
}


def _plan(kb: KnowledgeBase, **answers: Any) -> Plan:
    data = {"schema": ANSWERS_SCHEMA, **answers}
    return evaluate(answers_from_data(data, "test"), kb, as_of=AS_OF)


def _named(plan: Plan, kb: KnowledgeBase, mech_id: str) -> bool:
    return any(kb.mechanisms[mech_id].name in s.detail for s in plan.steps)


def test_every_african_charter_state_gets_the_achpr_rapporteur(kb: KnowledgeBase) -> None:
    wrong: list[str] = []
    for code, state in sorted(kb.states.items()):
        steps = {s.id for s in _plan(kb, state=code, **MILD).steps}
        if ("notify_achpr_focal_point" in steps) != (state.fact("african_charter") is True):
            wrong.append(f"{code}: african_charter={state.fact('african_charter')}")
    assert wrong == []
    # Morocco is in the African Union but not a party to the Charter.
    assert kb.states["MA"].fact("african_charter") is False


def test_the_achpr_step_says_it_is_for_every_defender(kb: KnowledgeBase) -> None:
    steps = _plan(kb, state="DJ", **MILD).steps
    step = next(s for s in steps if s.id == "notify_achpr_focal_point")
    assert "whether or not they worked with the Commission" in step.detail
    assert "Only if" not in step.detail


def test_the_ohchr_office_only_where_there_is_one(kb: KnowledgeBase) -> None:
    wrong: list[str] = []
    offices = set()
    for code, state in sorted(kb.states.items()):
        steps = {s.id for s in _plan(kb, state=code, **MILD).steps}
        if state.fact("ohchr_office"):
            offices.add(code)
        if ("tell_ohchr_country_office" in steps) != (state.fact("ohchr_office") is True):
            wrong.append(code)
    assert wrong == []
    # The 2020 list less Uganda (closed in August 2023); the Seoul structure is not in the DPRK.
    assert {"MX", "GT", "HN", "CO", "KH", "UA", "SD"} <= offices
    assert not {"UG", "KP", "KR", "CH"} & offices
    assert kb.states["UG"].facts["ohchr_office"].until == dt.date(2023, 8, 5)


def test_no_office_is_guessed_when_the_state_is_unknown(kb: KnowledgeBase) -> None:
    for region in ("americas", "africa", "asia_pacific"):
        steps = {s.id for s in _plan(kb, region=region, **MILD).steps}
        assert "tell_ohchr_country_office" not in steps, region


def test_the_country_rapporteur_only_where_a_source_gives_one(kb: KnowledgeBase) -> None:
    """The Special Rapporteur or Independent Expert on the country is named for a State with a
    country mandate in data/states.yaml and for no other: not where it is unknown (France, Haiti
    and the State of Palestine among them) nor when the State is not answered."""
    wrong: list[str] = []
    mandates = set()
    for code, state in sorted(kb.states.items()):
        plan = _plan(kb, state=code, **MILD)
        if state.fact("country_mandate"):
            mandates.add(code)
        if _named(plan, kb, "sp_country_mandate") != (state.fact("country_mandate") is True):
            wrong.append(code)
    assert wrong == []
    assert {"RU", "BY", "IR", "KP", "MM", "AF", "ER", "BI", "KH", "CF", "ML", "SO"} == mandates
    assert not any(kb.states[c].fact("country_mandate") is False for c in kb.states)
    for region in ("europe_central_asia", "asia_pacific"):
        assert not _named(_plan(kb, region=region, **MILD), kb, "sp_country_mandate"), region
    assert not _named(_plan(kb, **MILD), kb, "sp_country_mandate")


def test_the_country_rapporteur_says_to_check_the_mandate_still_runs(kb: KnowledgeBase) -> None:
    plan = _plan(kb, state="RU", **MILD)
    step = next(s for s in plan.steps if kb.mechanisms["sp_country_mandate"].name in s.detail)
    assert "https://spsubmission.ohchr.org/" in step.detail
    assert "renews most of these mandates each year" in step.detail


def test_the_office_step_is_held_back_without_consent_to_share_with_the_un(
    kb: KnowledgeBase,
) -> None:
    plan = _plan(kb, state="GT", **{**MILD, "consent_share_with_un": "no"})
    assert "tell_ohchr_country_office" not in {s.id for s in plan.steps}
    assert "tell_ohchr_country_office" in {w.id for w in plan.withheld}


def _named_exactly_for_its_parties(
    kb: KnowledgeBase, fact: StateFactKey, mechanism: str
) -> set[str]:
    """The States a source says are parties to `fact`, after checking over every State that an
    environmental defender's plan names `mechanism` for them and for no other."""
    wrong: list[str] = []
    parties = set()
    for code, state in sorted(kb.states.items()):
        plan = _plan(kb, state=code, profile=["environmental_defender"], **MILD)
        if state.fact(fact):
            parties.add(code)
        if _named(plan, kb, mechanism) != (state.fact(fact) is True):
            wrong.append(code)
    assert wrong == []
    return parties


def test_escazu_only_for_environmental_defenders_in_its_parties(kb: KnowledgeBase) -> None:
    parties = _named_exactly_for_its_parties(kb, "escazu", "escazu_committee")
    # 15 Parties in the UN Treaty Collection, then Dominica and Colombia in 2024.
    assert len(parties) == 17 and {"CO", "DM", "MX", "CL"} <= parties
    assert not {"BR", "CR", "PE", "GT"} & parties


def test_escazu_is_not_named_for_other_profiles(kb: KnowledgeBase) -> None:
    plan = _plan(kb, state="MX", profile=["journalist"], **MILD)
    assert not _named(plan, kb, "escazu_committee")


def test_escazu_with_an_unknown_state_says_for_which_states(kb: KnowledgeBase) -> None:
    note = kb.mechanisms["escazu_committee"].party_note
    assert note is not None
    plan = _plan(kb, region="americas", profile=["environmental_defender"], **MILD)
    assert _named(plan, kb, "escazu_committee")
    assert note in "\n".join(s.detail for s in plan.steps)
    known = _plan(kb, state="AR", profile=["environmental_defender"], **MILD)
    assert note not in "\n".join(s.detail for s in known.steps)
    elsewhere = _plan(kb, region="africa", profile=["environmental_defender"], **MILD)
    assert not _named(elsewhere, kb, "escazu_committee")


def test_aarhus_only_for_environmental_defenders_in_its_parties(kb: KnowledgeBase) -> None:
    """The Aarhus Convention's Special Rapporteur on environmental defenders acts for its Parties:
    named for an environmental defender in each of them (Guinea-Bissau, outside Europe, too), never
    in another State (Belarus left in 2022), whatever the region."""
    parties = _named_exactly_for_its_parties(kb, "aarhus", "aarhus_sr_env_defenders")
    # 46 States (and the European Union) as of April 2023.
    assert len(parties) == 46 and {"GW", "CH", "IE", "GB", "HR", "NO", "KZ"} <= parties
    assert not {"BY", "RU", "TR", "CN", "US"} & parties
    assert kb.states["BY"].facts["aarhus"].until == dt.date(2022, 10, 24)


def test_aarhus_with_an_unknown_state_says_for_which_states(kb: KnowledgeBase) -> None:
    note = kb.mechanisms["aarhus_sr_env_defenders"].party_note
    assert note is not None
    for answers in ({"region": "europe_central_asia"}, {}):
        plan = _plan(kb, profile=["environmental_defender"], **answers, **MILD)
        assert _named(plan, kb, "aarhus_sr_env_defenders"), answers
        assert note in "\n".join(s.detail for s in plan.steps), answers
    known = _plan(kb, state="GW", profile=["environmental_defender"], **MILD)
    assert _named(known, kb, "aarhus_sr_env_defenders")
    assert note not in "\n".join(s.detail for s in known.steps)
    elsewhere = _plan(kb, region="americas", profile=["environmental_defender"], **MILD)
    assert not _named(elsewhere, kb, "aarhus_sr_env_defenders")


def test_thematic_mandates_have_their_own_page(kb: KnowledgeBase) -> None:
    """Each thematic mandate names its own page on ohchr.org, not only the general list."""
    for mech_id in (
        "sr_judges_lawyers",
        "sr_freedom_expression",
        "sr_foaa",
        "sr_counter_terrorism",
        "sr_vaw",
        "sr_torture",
        "sr_indigenous",
    ):
        where = kb.mechanisms[mech_id].reprisal_contacts[0].find_at or ""
        assert "ohchr.org/" in where.replace("https://spsubmission.ohchr.org/", ""), mech_id
        assert "list of thematic mandates" not in where, mech_id
