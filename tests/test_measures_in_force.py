"""Protection measures already in force (contract §1 v1.1, `measures_in_force`): the step that
sends the new facts to the body that ordered them shares with whom that body is, so each consent
gate sees it (contract §3, gates 2 and 8), names the body and gives its contact.

Caseworker review 8, A1: with a UN committee's measures, one step for every kind of body was
marked as sharing with regional bodies only, so a "no" to the UN left "send the new facts to ...
the UN committee" in "Do now" while the committee's own step was held back; a "no" to regional
bodies held it back with no route. B2: for the Committee on Enforced Disappearances, the step
gave no contact, though the knowledge base holds the mailbox for registered urgent actions."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reprisal_cli.answers import Answers, answers_from_data, load_answers
from reprisal_cli.contract import ANSWER_KEYS, ANSWERS_SCHEMA
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan, Step
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import load_kb

DATA = Path(__file__).parent / "data" / "caseworker"
AS_OF = dt.date(2026, 12, 5)
CED_UA_MAILBOX = "ohchr-ced-ua@un.org"

KB = load_kb()


def _plan(name: str) -> Plan:
    return evaluate(load_answers(DATA / name), KB, as_of=AS_OF)


def _un_words(kb: KnowledgeBase) -> re.Pattern[str]:
    """Words that name a UN treaty committee: "UN committee", or a committee's name or short
    name as the knowledge base gives them."""
    names = {"UN committee", "UN treaty committee"}
    for mech in kb.mechanisms.values():
        if mech.treaty_body is not None:
            names.update((mech.name, mech.short_name))
    return re.compile("|".join(rf"\b{re.escape(n)}\b" for n in sorted(names, key=len)[::-1]))


UN_WORDS = _un_words(KB)


def _gives_the_un(step: Step, kb: KnowledgeBase) -> bool:
    """The step's words name a UN committee, or it gives a contact of a UN body."""
    owners = [kb.contact_owner[c.id].id for c in step.contacts if c.id in kb.contact_owner]
    un_body = any(o in kb.mechanisms and kb.mechanisms[o].family == "un" for o in owners)
    return un_body or bool(UN_WORDS.search(f"{step.title}\n{step.detail}"))


def test_a_no_to_the_un_holds_back_the_step_to_the_committee_that_ordered_the_measures() -> None:
    """A1: the searching mother said no to the UN and yes to regional bodies; the CED asked for
    the measures. No step the plan keeps sends anything to the UN or names the committee, and
    the step that would have is held back under the UN consent. Failed on e909575: "send the new
    facts to ... the UN committee" stood in "Do now", marked as sharing with regional bodies."""
    plan = _plan("g2_un_no.yaml")
    for step in plan.steps:
        assert not step.shares_with_un, step.id
        assert not _gives_the_un(step, KB), (step.id, step.title)
    held = {w.id: w for w in plan.withheld}
    assert held["extend_ced_measures"].gate == "consent_share_with_un"


def test_a_no_to_regional_bodies_keeps_the_committees_measures_in_do_now() -> None:
    """A1, the reverse: yes to the UN, no to regional bodies. The only route that can extend the
    CED's measures stays in "Do now", as a step to the UN. Failed on e909575: held back under
    the regional consent, with no route."""
    plan = _plan("g3_reg_no.yaml")
    step = next(s for s in plan.steps if s.id == "extend_ced_measures")
    assert step.urgency == "now"
    assert step.shares_with_un and not step.shares_with_regional
    # The regional refusal holds back the Inter-American Commission alone, not the committee.
    held = {w.id: w.gate for w in plan.withheld if w.gate == "consent_share_with_regional"}
    assert held == {"request_iachr_precautionary_measures": "consent_share_with_regional"}


def test_the_ced_measures_step_leads_with_the_urgent_action_mailbox_and_says_it_once() -> None:
    """B2: the step for measures the CED asked for, in "Do now", leads with the mailbox for
    registered urgent actions (CED/C/26/2, para. 2), names the Committee and what to ask of it
    with the Convention's articles, and the committee's second step (its general mailbox, saying
    the same) is folded into it. Failed on e909575: no contact, no name."""
    plan = _plan("g_mx_ced_mother.yaml")
    step = next(s for s in plan.steps if s.id == "extend_ced_measures")
    assert step.urgency == "now"
    assert step.contacts[0].value == CED_UA_MAILBOX
    words = " ".join(f"{step.title} {step.detail}".split())
    assert "Committee on Enforced Disappearances" in words
    assert "urgent-action number" in words
    assert "article 30(3)" in words and "article 12" in words
    assert "African Commission" not in words and "European Court" not in words
    ids = {s.id for s in plan.steps}
    assert "notify_treaty_body" not in ids
    assert sum(CED_UA_MAILBOX in [c.value for c in s.contacts] for s in plan.steps) == 1


def _measures_answers(values: dict[str, Any]) -> Answers:
    data = {"schema": ANSWERS_SCHEMA, **{k: v for k, v in values.items() if v is not None}}
    return answers_from_data(data, "<drawn>")


def _drawn(key: str) -> st.SearchStrategy[Any]:
    values = ANSWER_KEYS[key].values
    return st.one_of(st.none(), st.lists(st.sampled_from(values), unique=True, max_size=3))


MEASURES_BY_A_COMMITTEE = st.builds(
    _measures_answers,
    st.fixed_dictionaries(
        {
            "measures_in_force": st.lists(
                st.sampled_from(ANSWER_KEYS["measures_in_force"].values), unique=True, max_size=3
            ).map(lambda v: sorted({*v, "treaty_bodies"})),
            "treaty_body": _drawn("treaty_body"),
            "engagement": _drawn("engagement"),
            "reprisals": _drawn("reprisals"),
            "stage": st.one_of(st.none(), st.sampled_from(ANSWER_KEYS["stage"].values)),
            "state": st.sampled_from([None, "MX", "KE", "AZ", "VE", "BI", "FR", "LK"]),
            "respondent": st.one_of(st.none(), st.sampled_from(ANSWER_KEYS["respondent"].values)),
            "immediate_danger": st.one_of(st.none(), st.booleans()),
            "consent": st.fixed_dictionaries(
                {
                    "share_with_un": st.sampled_from(["no", "undecided"]),
                    "share_with_regional": st.sampled_from(["yes", "no", "undecided"]),
                }
            ),
        }
    ),
)


@given(answers=MEASURES_BY_A_COMMITTEE)
def test_measures_by_a_un_committee_reach_the_un_only_through_the_un_gate(answers: Answers) -> None:
    """For every answers with measures of a UN committee in force and no yes to the UN: no kept
    step names a UN committee or gives a UN body's contact unless it is marked as sharing with
    the UN (so gate 2 sees it, with its caution), and with a no, none does at all. The gates'
    property (test_gates) reads the steps' sharing flags, which are data: this one reads what
    the steps say and whom they give. Failed on e909575."""
    plan = evaluate(answers, KB, as_of=AS_OF)
    refused = answers.consent_for("share_with_un") == "no"
    for step in plan.steps:
        if _gives_the_un(step, KB):
            assert step.shares_with_un, (step.id, step.title)
        if refused:
            assert not step.shares_with_un, step.id


@pytest.mark.parametrize(
    ("body", "words", "owner"),
    [
        ("african_commission", "African Commission", "achpr_sr_hrd_reprisals"),
        ("european_court", "European Court", "ecthr_rule39"),
    ],
)
def test_regional_measures_name_their_own_body_and_give_its_contact(
    body: str, words: str, owner: str
) -> None:
    """The regional bodies' measures: a step to that body alone, sharing with regional bodies,
    naming it and giving its contact (before, one step named all three kinds of body and gave
    none)."""
    answers = _measures_answers(
        {
            "stage": "reprisal_suffered",
            "reprisals": ["threats"],
            "engagement": [body],
            "measures_in_force": [body],
            "consent": {"share_with_un": "no", "share_with_regional": "yes"},
        }
    )
    plan = evaluate(answers, KB, as_of=AS_OF)
    step = next(s for s in plan.steps if s.id.startswith("extend_") and "measures" in s.id)
    assert step.shares_with_regional and not step.shares_with_un
    assert words in step.detail and "UN committee" not in step.detail
    assert KB.contact_owner[step.contacts[0].id].id == owner


def test_a_committees_measures_step_has_a_contact_whatever_engagement_was_answered() -> None:
    """Code reading of 2026-12-05: with no engagement answered, the step that sends the new facts
    to the UN committee that ordered the measures gave its contacts only by engagement, so it
    had none."""
    answers = answers_from_data(
        {"schema": ANSWERS_SCHEMA, "measures_in_force": ["treaty_bodies"]}, "t"
    )
    plan = evaluate(answers, KB, as_of=AS_OF)
    (step,) = [s for s in plan.steps if s.id == "extend_committee_measures"]
    assert step.contacts


def test_the_ced_measures_step_is_the_route_for_the_committee_asked_to_speak_publicly() -> None:
    """Code reading of 2026-12-05: a step that gives a body by a contact of its own (the CED's
    urgent-action mailbox) reached no body for the safe route's choice, so "ask the committee
    concerned to speak publicly" (held back, no publicity) pointed to the UN's senior official
    rather than the Committee's step already in the plan."""
    text = (DATA / "g_mx_ced_mother.yaml").read_text("utf-8")
    plan = evaluate(
        answers_from_data(
            {**_yaml(text), "consent": {"share_with_un": "yes", "publicity": "no"}}, "t"
        ),
        KB,
        as_of=AS_OF,
    )
    held = {w.id: w for w in plan.withheld}
    assert held["ask_public_statement"].instead == "extend_ced_measures"


def _yaml(text: str) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def test_the_draft_writes_to_the_ced_urgent_action_mailbox_for_a_registered_urgent_action() -> None:
    """Caseworker review 9, B1: the plan's step led with the urgent-action mailbox, but the draft
    the searching mother's collective would send went to the Committee's general mailbox of
    2015 (all correspondence on a registered urgent action goes to the first, CED/C/26/2)."""
    from reprisal_cli.render.draft import build_draft, draft_text

    answers = load_answers(DATA / "g_mx_ced_mother.yaml")
    text = draft_text(build_draft(answers, KB, to="mechanism"))
    block = text.split("To: Committee on Enforced Disappearances", 1)[1].split("To:", 1)[0]
    assert CED_UA_MAILBOX in block
    general = block.find("ced@ohchr.org")
    assert general == -1 or block.index(CED_UA_MAILBOX) < general


def test_a_committees_interim_measures_go_through_the_petitions_team() -> None:
    """Caseworker review 9, B2: with the Committee against Torture's interim measures in force
    and no complaint ticked, the step led with the committee's general mailbox of 2015; outside
    the CED's urgent actions, interim measures are asked for in a registered complaint, whose
    correspondence is the OHCHR Petitions Team's."""
    answers = answers_from_data(
        {
            "schema": ANSWERS_SCHEMA,
            "state": "KE",
            "engagement": ["treaty_bodies"],
            "treaty_body": ["cat"],
            "measures_in_force": ["treaty_bodies"],
            "stage": "reprisal_suffered",
            "consent": {"share_with_un": "yes"},
        },
        "t",
    )
    plan = evaluate(answers, KB, as_of=AS_OF)
    (step,) = [s for s in plan.steps if s.id == "extend_committee_measures"]
    assert step.contacts[0].value == "petitions@ohchr.org"
