"""engine.evaluate on the built-in knowledge base: what mutation testing (scripts/mutation,
issue 20) found that no test checked. Each test is a behaviour a one-line change of
engine/evaluate.py broke with the whole suite passing: a plan for a relative that spoke to the
person at risk in its risk factors or quoted them the questions put to the person, a translation
of one knowledge base given for another, a translation kept after its knowledge base was gone, a
list of stale contacts run together."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import weakref
from pathlib import Path
from typing import Any

import pytest

from reprisal_cli.answers import Answers, answers_from_data
from reprisal_cli.contract import ANSWERS_SCHEMA
from reprisal_cli.engine.evaluate import EngineCache, evaluate
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import load_kb
from reprisal_cli.kb.rules import StepTemplate, Wording

AS_OF = dt.date(2026, 11, 25)
TEST_KB = Path(__file__).parent / "data" / "engine_kb"

# Someone in danger abroad, devices watched, banned from travel; the consents and who else is at
# risk left unanswered. The built-in knowledge base words for another reader some of the steps
# this fires, the emergency step of the gates, some of the risk factors (not all) and the
# questions of the answers left out.
ABROAD_IN_DANGER: dict[str, Any] = {
    "engagement": ["human_rights_council"],
    "stage": "reprisal_suffered",
    "reprisals": ["travel_ban", "threats"],
    "immediate_danger": True,
    "devices_compromised": True,
    "location": "abroad",
}
LEFT_OUT = ("consent_publicity", "consent_share_with_un", "others_at_risk")


def answers(**values: Any) -> Answers:
    return answers_from_data({"schema": ANSWERS_SCHEMA, **values}, "<test>")


def templates(kb: KnowledgeBase) -> dict[str, StepTemplate]:
    found: dict[str, StepTemplate] = {}
    for rule in kb.rules:
        for template in rule.then.steps:
            found.setdefault(template.id, template)
    return found


def bare(title: str) -> str:
    """A step's title without the lead the gates put before a step whose consent is not given
    ("If you agree: ", "If the person agrees: "), its first letter as the template has it."""
    for lead in ("If you agree: ", "If the person agrees: "):
        if title.startswith(lead):
            rest = title[len(lead) :]
            return rest[:1].upper() + rest[1:]
    return title


@pytest.mark.parametrize(("respondent", "other"), [("self", False), ("family", True)])
def test_every_text_the_engine_words_follows_the_reader(
    kb: KnowledgeBase, respondent: str, other: bool
) -> None:
    plan = evaluate(answers(respondent=respondent, **ABROAD_IN_DANGER), kb, as_of=AS_OF)
    assert plan.audience == ("other" if other else "person")
    # The rules' steps: `for_other`'s title for a relative, the step's own for the person.
    defined = templates(kb)
    reworded = [s for s in plan.steps if s.id in defined and defined[s.id].for_other]
    assert reworded, "the case must fire a step worded for another reader"
    for step in reworded:
        template = defined[step.id]
        wording = template.for_other
        assert wording is not None
        expected = wording.title if other else template.title
        assert expected in (step.title, bare(step.title)), step.id
    # The gates' emergency step, from the safety texts.
    emergency = next(s for s in plan.steps if s.kind == "emergency")
    for_other = kb.safety.for_other
    assert for_other is not None and for_other.emergency_step is not None
    words = for_other.emergency_step if other else kb.safety.emergency_step
    assert emergency.title == words.title
    # The risk factors: `text_other` where there is one, the factor's text where there is none.
    factors = {f.id: f for f in (*kb.vulnerabilities, *kb.capacities)}
    vulnerabilities = {n.id: n.text for n in plan.risk.vulnerabilities}
    capacities = {n.id: n.text for n in plan.risk.capacities}
    assert {"immediate_danger", "devices_compromised", "consent_undecided"} <= set(vulnerabilities)
    assert "abroad" in capacities
    assert factors["consent_undecided"].text_other is None  # a factor said the same to anyone
    for ident, text in (vulnerabilities | capacities).items():
        factor = factors[ident]
        assert text == (factor.text_other if other and factor.text_other else factor.text), ident
    # The answers left out, quoted as the reader was asked them.
    unknown = next(w.text for w in plan.warnings if w.id == "unknown_answers_cautious")
    questions = {q.key: q for q in kb.questions}
    for key in LEFT_OUT:
        asked, not_asked = questions[key].prompt_other, questions[key].prompt
        assert asked is not None
        if not other:
            asked, not_asked = not_asked, asked
        assert asked in unknown, key
        assert not_asked not in unknown, key


def test_a_translation_is_made_for_its_own_knowledge_base_and_forgotten_with_it(
    kb: KnowledgeBase,
) -> None:
    cache = EngineCache()
    french = kb.translations["fr"]
    first = cache.translated(kb, french)
    assert first.lang == "fr"
    assert cache.translated(kb, french) is first  # made once
    # Another knowledge base with the same translation (a changed copy shares its translation
    # files) gets its own: a plan from the changed one says it was changed.
    changed = dataclasses.replace(kb, modified=True)
    made = cache.translated(changed, french)
    assert (made.lang, made.modified, first.modified) == ("fr", True, False)
    plan = evaluate(answers(**ABROAD_IN_DANGER), changed, as_of=AS_OF, lang="fr")
    assert plan.kb.modified
    assert "modified_kb" in {w.id for w in plan.warnings}
    # Once the changed one is gone, nothing of it is kept (its id may be given to another one);
    # what was made for the first stays.
    kept = weakref.ref(made)
    del changed, made
    gc.collect()
    assert kept() is None
    assert cache.translated(kb, french) is first


def test_contacts_are_shown_as_of_the_plan_date_and_for_their_own_knowledge_base() -> None:
    """`EngineCache.contact_views`: kept per knowledge base and date. A plan of another date
    gets its own (a contact confirmed within the limit then is not now), a changed knowledge
    base gets its own, and nothing is kept once it is gone."""
    small = load_kb(TEST_KB)
    official = small.contacts["mech_official_email"]
    confirmed = dataclasses.replace(
        official.last_confirmed, how="official_page", date=dt.date(2026, 1, 1)
    )
    kb = dataclasses.replace(
        small,
        contacts={
            **small.contacts,
            official.id: dataclasses.replace(official, last_confirmed=confirmed),
        },
    )
    cache = EngineCache()
    now = cache.contact_views(kb, AS_OF)
    assert now[official.id].status == "confirmed"
    assert cache.contact_views(kb, AS_OF) is now  # made once
    later = cache.contact_views(kb, dt.date(2030, 1, 1))
    assert later[official.id].status == "check_current"  # no longer within the limit
    assert cache.contact_views(kb, AS_OF)[official.id].status == "confirmed"
    # A changed copy (another value for the contact) is never shown the first one's.
    moved = dataclasses.replace(official, value="moved@example.org", last_confirmed=confirmed)
    changed = dataclasses.replace(kb, contacts={**kb.contacts, official.id: moved})
    assert cache.contact_views(changed, AS_OF)[official.id].value == "moved@example.org"
    assert cache.contact_views(kb, AS_OF)[official.id].value == official.value
    # The plans read them: a plan dated later says to check the contact first.
    asked = answers(engagement=["special_procedures"])
    shown = [c for s in evaluate(asked, kb, as_of=AS_OF).steps for c in s.contacts]
    assert {c.status for c in shown if c.id == official.id} == {"confirmed"}
    shown = [c for s in evaluate(asked, kb, as_of=dt.date(2030, 1, 1)).steps for c in s.contacts]
    assert {c.status for c in shown if c.id == official.id} == {"check_current"}
    kept = weakref.ref(changed)
    del changed
    gc.collect()
    assert kept() is None
    assert len(cache._views) == 1  # what was kept for the changed copy went with it


def test_stale_contacts_are_listed_each_with_its_owner_and_date() -> None:
    small = load_kb(TEST_KB)
    # A second contact confirmed once, long ago (the test knowledge base has one).
    official = small.contacts["mech_official_email"]
    confirmed = dataclasses.replace(
        official.last_confirmed, how="official_page", date=dt.date(2021, 6, 1)
    )
    contacts = {
        **small.contacts,
        official.id: dataclasses.replace(official, last_confirmed=confirmed),
    }
    changed = dataclasses.replace(small, contacts=contacts)
    plan = evaluate(answers(engagement=["special_procedures"]), changed, as_of=AS_OF)
    text = next(w.text for w in plan.warnings if w.id == "stale_contacts")
    listed = (
        "Test UN reprisals official: reprisals@example.org (checked 2021-06-01); "
        "Test Special Procedures: sp@example.org (checked 2020-01-01)"
    )
    assert text == small.safety.stale_contact.replace("{contacts}", listed)


def test_each_rule_warning_comes_once_in_the_order_of_the_rules() -> None:
    small = load_kb(TEST_KB)
    embassy = next(r for r in small.rules if r.id == "embassy")
    (first,) = embassy.then.warnings
    second = dataclasses.replace(first, id="second_warning", text="Another warning.")
    # A later rule that gives the first rule's warning again, and one of its own.
    again = dataclasses.replace(
        embassy,
        id="embassy_again",
        then=dataclasses.replace(embassy.then, warnings=(first, second)),
    )
    changed = dataclasses.replace(small, rules=(*small.rules, again))
    plan = evaluate(answers(reprisals=["threats"]), changed, as_of=AS_OF)
    ids = [w.id for w in plan.warnings]
    assert (ids.count(first.id), ids.count(second.id)) == (1, 1)
    assert ids.index(first.id) < ids.index(second.id)
    assert {w.id: w.text for w in plan.warnings}[second.id] == "Another warning."


def test_an_organisation_shown_carries_its_availability_warning_once() -> None:
    small = load_kb(TEST_KB)
    warned = dataclasses.replace(
        small.organisations["org_everyone"], availability_warning="Its programme is paused."
    )
    changed = dataclasses.replace(small, organisations={**small.organisations, warned.id: warned})
    # The UN consent given: the confidential letter, a safe route, is in the plan.
    given = answers(reprisals=["threats"], consent_share_with_un="yes")
    plan = evaluate(given, changed, as_of=AS_OF)
    shown = [c.id for s in plan.steps for c in s.contacts]
    assert shown.count("org_everyone_phone") >= 2  # in several steps: one warning
    assert "mech_sp_email" in shown  # a body without a warning: none
    availability = [w for w in plan.warnings if w.id.startswith("availability_")]
    assert [(w.id, w.text) for w in availability] == [
        ("availability_org_everyone", "Its programme is paused.")
    ]


def test_a_safe_route_no_rule_gave_is_taken_from_the_rules_definitions() -> None:
    """States speaking at the Council is held back without consent to publicity; its route
    instead, a quiet word from a friendly State, is defined by a rule that did not fire. The
    consent to States is given (it follows the UN's): a route waiting for a consent is none."""
    small = load_kb(TEST_KB)
    plan = evaluate(answers(reprisals=["threats"], consent_share_with_un="yes"), small, as_of=AS_OF)
    assert "states_speak" in {w.id for w in plan.withheld}
    quiet = next(s for s in plan.steps if s.id == "quiet_word")
    assert (bare(quiet.title), quiet.kind) == ("A quiet word from a friendly State", "diplomatic")
    assert [w.rule for w in quiet.why] == ["gate:consent_publicity"]


def test_a_rule_on_the_states_data_quotes_the_state_in_its_why(kb: KnowledgeBase) -> None:
    """Kenya is a party to the African Charter (data/states.yaml): the African Commission's step
    fires on that, and its `why` says the State answered."""
    given = answers(
        state="KE",
        stage="reprisal_suffered",
        reprisals=["threats"],
        engagement=["special_procedures"],
        consent_share_with_un="yes",
    )
    plan = evaluate(given, kb, as_of=AS_OF)
    step = next(s for s in plan.steps if s.id == "notify_achpr_focal_point")
    assert [(w.rule, w.matched) for w in step.why] == [
        ("notify_mechanism_achpr", {"stage": "reprisal_suffered", "state": "KE"})
    ]


def test_a_safe_route_no_rule_gave_speaks_to_the_plans_reader() -> None:
    """The route a gate adds from the rules' definitions is worded for the reader like every
    other step: a relative reads its `for_other` words."""
    small = load_kb(TEST_KB)
    words = Wording(title="A quiet word for them", detail="Ask a friendly State for them.")
    rules = tuple(
        dataclasses.replace(
            rule,
            then=dataclasses.replace(
                rule.then,
                steps=tuple(
                    dataclasses.replace(t, for_other=words) if t.id == "quiet_word" else t
                    for t in rule.then.steps
                ),
            ),
        )
        for rule in small.rules
    )
    changed = dataclasses.replace(small, rules=rules)
    for respondent, title in (
        ("self", "A quiet word from a friendly State"),
        ("family", words.title),
    ):
        given = answers(reprisals=["threats"], respondent=respondent, consent_share_with_un="yes")
        plan = evaluate(given, changed, as_of=AS_OF)
        quiet = next(s for s in plan.steps if s.id == "quiet_word")
        assert [w.rule for w in quiet.why] == ["gate:consent_publicity"]
        assert bare(quiet.title) == title, respondent
