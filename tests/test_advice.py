"""Each step's `advice` (contract §2, v1.1): the mechanisms' conditions and the reprisals'
mitigations reach the plan, bounded per step, never twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reprisal_cli.answers import answers_from_data
from reprisal_cli.contract import ANSWERS_SCHEMA, ENGAGEMENTS, REPRISALS
from reprisal_cli.engine.advice import (
    MAX_ADVICE,
    MAX_CONDITIONS,
    Slot,
    _fits,
    mitigations,
    share_out,
)
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.i18n import source_texts, translate_kb
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.models import Mitigation
from reprisal_cli.render import RenderOptions
from reprisal_cli.render.text import plan_text

AS_OF = dt.date(2026, 11, 25)


def _plan(kb: KnowledgeBase, **answers: Any) -> Plan:
    return evaluate(answers_from_data({"schema": ANSWERS_SCHEMA, **answers}, "t"), kb, as_of=AS_OF)


def _advice(plan: Plan) -> list[str]:
    return [tip for step in plan.steps for tip in step.advice]


def test_a_disappearance_plan_says_every_hour_counts_on_its_first_step(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb,
        engagement="special_procedures",
        stage="reprisal_suffered",
        reprisals=["enforced_disappearance"],
    )
    first = next(s for s in plan.steps if s.kind != "digital_security")
    assert "Act at once: every hour counts." in first.advice


def test_an_attack_plan_says_get_a_medical_report(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb, engagement="treaty_bodies", stage="reprisal_suffered", reprisals=["physical_attack"]
    )
    assert any("medical report" in tip for tip in _advice(plan))


def test_the_special_procedures_step_says_letters_become_public(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb, engagement="special_procedures", stage="reprisal_suffered", reprisals=["detention"]
    )
    urgent = next(s for s in plan.steps if s.id == "urgent_appeal_special_procedures")
    assert any("become public later" in tip for tip in urgent.advice)


def test_transnational_repression_says_tell_the_authorities_of_residence(
    kb: KnowledgeBase,
) -> None:
    plan = _plan(
        kb,
        engagement="human_rights_council",
        stage="reprisal_suffered",
        reprisals=["transnational_repression"],
        location="abroad",
    )
    assert any("authorities of the country of residence" in tip for tip in _advice(plan))


def test_no_advice_repeats_and_each_step_is_bounded(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb,
        engagement=["special_procedures", "treaty_bodies", "human_rights_council"],
        treaty_body=["cat", "ced"],
        stage="reprisal_suffered",
        reprisals=["enforced_disappearance", "physical_attack", "detention", "threats_to_family"],
        others_at_risk="family",
    )
    tips = _advice(plan)
    assert len(tips) == len(set(tips))
    assert all(len(step.advice) <= MAX_ADVICE for step in plan.steps)
    assert len(tips) > MAX_ADVICE  # spread over several steps, not one


def test_the_device_step_gets_no_reprisal_advice(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb,
        engagement="special_procedures",
        stage="reprisal_suffered",
        reprisals=["enforced_disappearance", "hacking"],
    )
    devices = [s for s in plan.steps if s.kind == "digital_security"]
    assert devices and all(s.advice == () for s in devices)


def test_mitigations_come_gravest_first_one_round_at_a_time(kb: KnowledgeBase) -> None:
    answers = answers_from_data(
        {"schema": ANSWERS_SCHEMA, "reprisals": ["travel_ban", "enforced_disappearance"]}, "t"
    )
    out = mitigations(answers, kb)
    gravest, lighter = kb.risks["enforced_disappearance"], kb.risks["travel_ban"]
    assert out[:2] == [gravest.mitigations[0], lighter.mitigations[0]]
    assert out[2:4] == [gravest.mitigations[1], lighter.mitigations[1]]


def test_share_out_puts_a_steps_own_conditions_first_and_leaves_room() -> None:
    own = ["c1", "c2", "c3"]
    out = share_out(
        _slots([("notify_mechanism", own), ("documentation", ["c1"])]), ["m1", "m2", "m3"]
    )
    assert out[0] == ("c1", "c2", "m1")  # at most MAX_CONDITIONS of its own, then the reprisals'
    assert MAX_CONDITIONS == 2 and MAX_ADVICE == 3
    assert out[1] == ("m2", "m3")  # c1 already given on the first step


def test_a_plan_without_reprisals_gives_only_conditions(kb: KnowledgeBase) -> None:
    plan = _plan(kb, engagement="special_procedures", stage="planning")
    known = {c.text for m in kb.mechanisms.values() for c in m.conditions}
    assert set(_advice(plan)) <= known


def test_the_text_view_shows_the_advice(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb,
        engagement="treaty_bodies",
        stage="reprisal_suffered",
        reprisals=["enforced_disappearance"],
    )
    # The short default view holds one contact per step; the advice is in the full view.
    text = plan_text(plan, kb, RenderOptions(full=True))
    assert "Advice:" in text
    assert "every hour counts" in text


def test_the_committee_step_names_the_committee_and_its_reprisals_rapporteurs(
    kb: KnowledgeBase,
) -> None:
    cat = _plan(kb, engagement="treaty_bodies", treaty_body=["cat"], stage="reprisal_suffered")
    step = next(s for s in cat.steps if s.id == "notify_treaty_body")
    assert kb.mechanisms["tb_cat"].name in step.detail
    assert any("since November 2012" in tip for tip in step.advice)
    spt = _plan(kb, engagement="treaty_bodies", treaty_body=["spt"], stage="reprisal_suffered")
    step = next(s for s in spt.steps if s.id == "notify_treaty_body")
    assert kb.mechanisms["tb_spt"].name in step.detail
    assert any("CAT/OP/6/Rev.1" in tip for tip in step.advice)


# A mitigation may name the kinds of step it belongs with (data/risks.yaml `steps`, issue 21
# point 7): it goes to a step of those kinds, and only falls back to plan order without one.


def _slots(steps: list[tuple[str, list[str]]]) -> list[Slot]:
    return [Slot(kind, own) for kind, own in steps]


def _tagged(text: str, *kinds: str) -> Mitigation:
    return Mitigation(text=text, steps=kinds)  # type: ignore[arg-type]


def test_a_tagged_mitigation_goes_to_a_step_of_its_kind_though_an_earlier_one_has_room() -> None:
    steps = [("emergency", []), ("legal_support", ["c1"]), ("documentation", [])]
    out = share_out(
        _slots(steps),
        ["m1", _tagged("save it", "documentation"), _tagged("lawyer", "legal_support")],
    )
    assert out[0] == ("m1",)
    assert out[1] == ("c1", "lawyer")
    assert out[2] == ("save it",)


def test_a_tagged_mitigation_takes_the_first_step_of_any_of_its_kinds() -> None:
    steps = [("emergency", []), ("organisation_support", []), ("legal_support", [])]
    out = share_out(_slots(steps), [_tagged("costs", "legal_support", "organisation_support")])
    assert out == [(), ("costs",), ()]


def test_a_tagged_mitigation_without_a_step_of_its_kind_goes_nowhere_else() -> None:
    """Advice about a kind of step the plan does not give (held back by a consent gate) is not
    put on another step: "with consent, alert the UN body" there read as leave to override a
    "no" (red team 2026-12-03)."""
    steps = [("digital_security", []), ("emergency", []), ("wellbeing", [])]
    out = share_out(_slots(steps), [_tagged("lawyer", "legal_support"), "m2"])
    assert out == [(), ("m2",), ()]  # never on the device step


def test_a_tagged_mitigation_whose_steps_are_full_goes_on_no_other_step() -> None:
    """Caseworker review 4: "Ask whether remote participation is possible" (for the steps that
    notify a body) sat under the emergency line once those steps were full."""
    steps = [("documentation", []), ("wellbeing", [])]
    tips = [_tagged(f"d{i}", "documentation") for i in range(MAX_ADVICE + 1)]
    out = share_out(_slots(steps), tips)
    assert out == [("d0", "d1", "d2"), ()]


def test_the_gravest_reprisals_first_mitigation_comes_before_the_tagged_ones() -> None:
    steps = [("emergency", []), ("wellbeing", [])]
    tagged = [_tagged(f"e{i}", "emergency") for i in range(MAX_ADVICE)]
    out = share_out(_slots(steps), ["act at once", *tagged])
    assert out[0] == ("act at once", "e0", "e1")
    assert out[1] == ()  # the emergency step's own advice goes on no other step


def test_tagged_mitigations_keep_the_limits_and_never_repeat() -> None:
    steps = [("notify_mechanism", ["c1", "c2", "c3"]), ("notify_mechanism", ["c1"])]
    tips = ["c2", _tagged("m1", "notify_mechanism"), _tagged("m1", "notify_mechanism"), "m2"]
    out = share_out(_slots(steps), tips)
    assert out[0] == ("c1", "c2", "m1")  # MAX_CONDITIONS of its own, the condition not again
    assert out[1] == ("m2",)


def test_a_text_another_reprisal_says_more_fully_gives_way_to_it(kb: KnowledgeBase) -> None:
    answers = answers_from_data(
        {"schema": ANSWERS_SCHEMA, "reprisals": ["nationality_revoked", "denied_entry"]}, "t"
    )
    texts = [t if isinstance(t, str) else t.text for t in mitigations(answers, kb)]
    short = "With consent, tell the UN body concerned."
    fuller = (
        "With consent, tell the UN body concerned, and ask whether remote participation is "
        "possible."
    )
    assert short in kb.risks["nationality_revoked"].mitigation_texts()
    assert fuller in kb.risks["denied_entry"].mitigation_texts()
    assert short not in texts and texts.count(fuller) == 1
    # in the place of the shorter one (the graver reprisal's third), not the fuller one's
    assert texts.index(fuller) < texts.index(kb.risks["denied_entry"].mitigation_texts()[3])


def test_an_exile_without_nationality_gets_legal_advice_on_the_legal_status_step(
    kb: KnowledgeBase,
) -> None:
    """Issue 21 point 7: the legal-status advice sat on the 24-hour emergency-line step."""
    plan = _plan(
        kb,
        respondent="self",
        state="NI",
        residence="CR",
        location="abroad",
        stage="reprisal_suffered",
        engagement=["indigenous_forums"],
        reprisals=["denied_entry", "nationality_revoked"],
        profile=["indigenous_defender"],
        immediate_danger=False,
        consent_share_with_un="yes",
    )
    by_id = {s.id: s for s in plan.steps}
    legal = (
        "Get legal advice at once on challenging the decision and on legal status in the "
        "country of residence."
    )
    assert legal in by_id["secure_legal_status_stateless"].advice
    assert not any("legal" in tip for tip in by_id["emergency_help_now"].advice)
    assert any(tip.startswith("Keep copies") for tip in by_id["document_incident"].advice)
    tell = [tip for tip in _advice(plan) if tip.startswith("With consent, tell the UN body")]
    assert len(tell) == 1 and tell[0] in by_id["notify_indigenous_forums"].advice


def test_a_mitigation_refuses_an_unknown_or_device_step_kind() -> None:
    from pydantic import ValidationError

    from reprisal_cli.records import validate

    assert validate(Mitigation, {"text": "t", "steps": ["legal_support"]}).steps == (
        "legal_support",
    )
    with pytest.raises(ValidationError, match="legal_suport"):
        validate(Mitigation, {"text": "t", "steps": ["legal_suport"]})
    with pytest.raises(ValidationError, match="device step gets no reprisal advice"):
        validate(Mitigation, {"text": "t", "steps": ["digital_security"]})


def test_a_tagged_mitigation_keeps_its_translation_key(kb: KnowledgeBase) -> None:
    risk = kb.risks["threats"]
    assert isinstance(risk.mitigations[0], Mitigation)  # tagged in data/risks.yaml
    key = "risks/threats/mitigations/0"
    assert source_texts(kb)[key] == risk.mitigations[0].text
    french = translate_kb(kb, kb.translations["fr"]).risks["threats"].mitigations[0]
    assert isinstance(french, Mitigation) and french.steps == risk.mitigations[0].steps
    assert french.text == kb.translations["fr"].texts[key].text


def test_a_mitigation_named_at_steps_fits_those_steps_only() -> None:
    """`at` names steps by id where their kind is too coarse: trial observation on the lawyer's
    step, not on the lawyer's step against removal (same kind, same services sought; caseworker
    review 6, C6)."""
    item = Mitigation(text="t", at=("legal_support",))
    legal = ("legal_advice", "medical_legal_expenses")
    assert _fits(Slot("legal_support", [], ["others"], legal, "legal_support"), item)
    assert not _fits(Slot("legal_support", [], ["others"], legal, "stop_removal_lawyer"), item)
    [on_lawyer, on_removal] = share_out(
        [Slot("legal_support", [], (), legal, "stop_removal_lawyer"),
         Slot("legal_support", [], (), legal, "legal_support")], [item])  # fmt: skip
    assert (on_lawyer, on_removal) == ((), ("t",))


def test_a_step_leaves_out_conditions_of_its_own_contacts_only() -> None:
    """`no_conditions_of` names bodies the step names as a fallback or a copy: a body it does not
    name is a misspelling, and would leave that body's conditions in."""
    from pydantic import ValidationError

    from reprisal_cli.kb.rules import StepTemplate
    from reprisal_cli.records import validate

    step = {"id": "s", "kind": "notify_mechanism", "priority": 20, "title": "t", "detail": "d",
            "shares": ["un"], "contacts": ["emrip", "hrc_president_bureau"]}  # fmt: skip
    with pytest.raises(ValidationError, match="'no_conditions_of' names bodies among"):
        validate(StepTemplate, {**step, "no_conditions_of": ["hrc_president"]})
    kept = validate(StepTemplate, {**step, "no_conditions_of": ["hrc_president_bureau"]})
    assert kept.no_conditions_of == ("hrc_president_bureau",)


def test_advice_only_the_person_can_follow_is_theirs_to_pass_on_or_left_out(
    kb: KnowledgeBase,
) -> None:
    """Caseworker review 6, C1: "Vary routes and routines" to a colleague of a disappeared
    lawyer. To another reader of a free person it is worded as theirs to pass on, in every
    language; of a person held or missing it is not said."""
    watched = {"engagement": ["special_procedures"], "stage": "reprisal_suffered",
               "reprisals": ["surveillance"], "location": "home_country"}  # fmt: skip
    assert "Vary routes and routines." in _advice(_plan(kb, respondent="self", **watched))
    other = _advice(_plan(kb, respondent="organisation", **watched))
    assert "The person at risk should vary their routes and routines." in other
    assert "Vary routes and routines." not in other
    held = {**watched, "location": "in_detention"}
    assert not [t for t in _advice(_plan(kb, respondent="family", **held)) if "routes" in t]
    french = translate_kb(kb, kb.translations["fr"])
    key = "risks/surveillance/mitigations/1/text_other"
    assert source_texts(kb)[key] == "The person at risk should vary their routes and routines."
    assert kb.translations["fr"].texts[key].text in _advice(
        _plan(french, respondent="organisation", **watched)
    )


@given(
    reprisals=st.lists(st.sampled_from(REPRISALS), min_size=1, max_size=5, unique=True),
    engagement=st.lists(st.sampled_from(ENGAGEMENTS), min_size=1, max_size=3, unique=True),
)
def test_advice_is_bounded_never_repeats_and_loses_nothing_while_there_is_room(
    kb: KnowledgeBase, reprisals: list[str], engagement: list[str]
) -> None:
    plan = _plan(kb, stage="reprisal_suffered", reprisals=reprisals, engagement=engagement)
    tips = _advice(plan)
    assert len(tips) == len(set(tips))
    assert all(len(step.advice) <= MAX_ADVICE for step in plan.steps)
    answers = answers_from_data({"schema": ANSWERS_SCHEMA, "reprisals": reprisals}, "t")
    slots = [_slot_of(kb, s) for s in plan.steps if s.kind != "digital_security"]
    for item in mitigations(answers, kb):
        text = item if isinstance(item, str) else item.text
        if text in tips:
            continue
        # Left out only when every step that may take it is full: any step for plain advice,
        # the steps it fits (its kinds, what they share, whom they seek) for tagged advice.
        takers = [step for step, slot in slots if _fits(slot, item)]
        assert all(len(s.advice) == MAX_ADVICE for s in takers), text


def _slot_of(kb: KnowledgeBase, step: Any) -> tuple[Any, Slot]:
    """A plan's step, and what `share_out` read of it (its kind, shares and services)."""
    flags = {"un": step.shares_with_un, "regional": step.shares_with_regional,
             "states": step.shares_with_states, "government": step.shares_with_government,
             "public": step.public}  # fmt: skip
    templates = {t.id: t for rule in kb.rules for t in rule.then.steps}
    template = templates.get(step.id)  # none for the gates' own steps (emergency, devices)
    found = template.organisations if template else None
    services = found.services if found else ()
    return step, Slot(step.kind, [], [k for k, on in flags.items() if on], services, step.id)


def test_a_mitigation_needs_steps_or_a_condition_and_reads_its_condition() -> None:
    from pydantic import ValidationError

    from reprisal_cli.records import validate

    with pytest.raises(ValidationError, match="give 'steps', 'to', 'services', 'at', 'when'"):
        validate(Mitigation, {"text": "t"})
    with pytest.raises(ValidationError, match="add 'only_if_person_can_act: true'"):
        validate(Mitigation, {"text": "t", "steps": ["emergency"], "text_other": "o"})
    with pytest.raises(ValidationError, match="unknown answer key"):
        validate(Mitigation, {"text": "t", "when": {"key": "respondant", "equals": "lawyer"}})
    kept = validate(Mitigation, {"text": "t", "when": {"key": "respondent", "equals": "self"}})
    assert kept.steps == () and kept.when is not None


# Answers, and whether the advice is for them.
LAWYER_ANSWERS = (({"respondent": "lawyer"}, False), ({"respondent": "self"}, True),
                  ({"respondent": "family"}, True))  # fmt: skip
HELD = (({"respondent": "family", "location": "in_detention"}, False),
        ({"respondent": "family", "location": "whereabouts_unknown"}, False),
        ({"respondent": "family", "location": "home_country"}, True))  # fmt: skip


@pytest.mark.parametrize(
    ("reprisals", "text", "cases"),
    [
        (["criminal_charges"], "Get a trusted lawyer with experience in such cases.",
         LAWYER_ANSWERS),
        (["terrorism_label"], "Get a trusted lawyer with experience of security cases, at once.",
         LAWYER_ANSWERS),
        (["ill_treatment"], "Call a 24-hour emergency line and a lawyer.", LAWYER_ANSWERS),
        (["ill_treatment"], "Get medical care and a medical report as soon as possible.", HELD),
        (["detention"], "Agree now on who will alert a lawyer, the family and organisations "
         "after an arrest.", HELD),
    ],
)  # fmt: skip
def test_advice_with_a_condition_reaches_only_the_answers_it_fits(
    kb: KnowledgeBase, reprisals: list[str], text: str, cases: Any
) -> None:
    """Caseworker review 2026-12-03: a lawyer writing for a detained client read "Get a trusted
    lawyer ... at once" twice, and "get medical care" of someone in prison."""
    for answers, told in cases:
        plan = _plan(
            kb,
            engagement="special_procedures",
            stage="reprisal_suffered",
            reprisals=reprisals,
            consent_share_with_un="yes",
            **answers,
        )
        assert (text in _advice(plan)) is told, (answers, reprisals)


# Caseworker review 5, C3: two reprisals' texts that say the same thing, one more fully, were
# both given on one step ("Get a trusted lawyer with experience in such cases." then "Get a
# trusted lawyer with experience of security cases, at once.").
@pytest.mark.parametrize(
    ("reprisals", "short", "fuller"),
    [
        (["criminal_charges", "terrorism_label"],
         "Get a trusted lawyer with experience in such cases.",
         "Get a trusted lawyer with experience of security cases, at once."),
        (["criminal_charges", "terrorism_label"], "Keep every court paper.",
         "Keep every decision, list entry and court paper."),
        (["smear_campaign", "online_harassment"], "Save copies with dates and links.",
         "Save copies with dates and links before anything is deleted."),
    ],
)  # fmt: skip
def test_a_near_duplicate_keeps_only_the_fuller_text(
    kb: KnowledgeBase, reprisals: list[str], short: str, fuller: str
) -> None:
    answers = answers_from_data({"schema": ANSWERS_SCHEMA, "reprisals": reprisals}, "t")
    texts = [t if isinstance(t, str) else t.text for t in mitigations(answers, kb)]
    assert short not in texts and texts.count(fuller) == 1
    plan = _plan(kb, engagement="special_procedures", stage="reprisal_suffered",
                 reprisals=reprisals, respondent="self")  # fmt: skip
    assert short not in _advice(plan)


@pytest.mark.parametrize(
    ("reprisals", "texts"),
    [
        # Different things to do, though they share words.
        (["physical_attack", "other"], ["Write down what happened as soon as possible.",
                                        "Write down what happened and why it seems linked."]),
        (["professional_sanction", "terrorism_label"],
         ["Keep every letter and decision.", "Keep every decision, list entry and court paper."]),
        # A different decision: the sanction, and the nationality taken away.
        (["professional_sanction", "nationality_revoked"],
         ["Get legal advice on challenging the sanction.",
          "Get legal advice at once on challenging the decision and on legal status in the "
          "country of residence."]),
    ],
)  # fmt: skip
def test_texts_that_say_different_things_are_both_kept(
    kb: KnowledgeBase, reprisals: list[str], texts: list[str]
) -> None:
    answers = answers_from_data({"schema": ANSWERS_SCHEMA, "reprisals": reprisals}, "t")
    given = [t if isinstance(t, str) else t.text for t in mitigations(answers, kb)]
    assert all(text in given for text in texts)


def test_a_negation_never_says_what_it_forbids() -> None:
    from reprisal_cli.engine.advice import _says_more

    assert not _says_more("Do not delete evidence before getting advice.", "Delete evidence.")
    assert not _says_more("Delete the evidence.", "Do not delete the evidence.")
    assert _says_more("Keep every decision, list entry and court paper.", "Keep every court paper.")


# Caseworker review 5, C3: a step's kind is not enough to say what advice fits it. "If attending
# is blocked, tell the UN body at once" sat on the European Court's Article 34 step (a
# `notify_mechanism` step to a regional body), "Ask organisations about trial observation and
# legal costs" on the step that goes to the police abroad (a `legal_support` step that seeks no
# organisation), "Report the accounts to the platforms" on a relocation step, and "Meet contacts
# in safer places" (a plain text: any step) on the anonymous-report step.


def test_advice_for_a_un_body_goes_on_no_step_to_a_regional_body() -> None:
    tell = Mitigation(text="tell the UN", steps=("notify_mechanism",), to=("un",))
    steps = [
        Slot("notify_mechanism", [], shares=("regional",)),
        Slot("notify_mechanism", [], shares=("un",)),
    ]
    assert share_out(steps, [tell]) == [(), ("tell the UN",)]
    assert share_out(steps[:1], [tell]) == [()]  # nowhere rather than on the Court's step


def test_advice_about_organisations_goes_on_a_step_that_seeks_them() -> None:
    costs = Mitigation(text="costs", services=("legal_advice",))
    steps = [
        Slot("legal_support", []),  # the police where the person lives
        Slot("legal_support", [], services=("legal_advice", "medical_legal_expenses")),
    ]
    assert share_out(steps, [costs]) == [(), ("costs",)]
    # A step of its kinds, or one that seeks one of its services.
    routes = Mitigation(text="routes", steps=("emergency",), services=("physical_security",))
    steps = [
        Slot("emergency", ["e1", "e2"]),
        Slot("organisation_support", [], services=("family_support",)),
        Slot("organisation_support", [], services=("physical_security",)),
    ]
    assert share_out(steps, [routes]) == [("e1", "e2", "routes"), (), ()]
    steps[0] = Slot("emergency", ["e1", "e2", "e3"])  # two of its own, and one taken: full
    out = share_out(steps, [Mitigation(text="full", steps=("emergency",)), routes])
    assert out == [("e1", "e2", "full"), (), ("routes",)]


def test_a_mitigation_may_narrow_its_steps_by_shares_or_services_alone() -> None:
    from pydantic import ValidationError

    from reprisal_cli.records import validate

    assert validate(Mitigation, {"text": "t", "to": ["un"]}).to == ("un",)
    assert validate(Mitigation, {"text": "t", "services": ["legal_advice"]}).services == (
        "legal_advice",
    )
    with pytest.raises(ValidationError, match="legal_advise"):
        validate(Mitigation, {"text": "t", "services": ["legal_advise"]})


CW5_BY = {"respondent": "self", "profile": ["journalist"], "state": "BY", "residence": "LT",
          "engagement": ["special_procedures", "universal_periodic_review"],
          "stage": "reprisal_suffered", "location": "abroad",
          "reprisals": ["transnational_repression", "criminal_charges", "threats_to_family",
                        "terrorism_label"],
          "others_at_risk": ["family", "sources"],
          "consent": {"share_with_un": "yes", "share_with_regional": "yes",
                      "share_with_states": "undecided", "publicity": "undecided",
                      "sg_report": "anonymous", "given_by": "person"}}  # fmt: skip
CW5_AZ = {"respondent": "self", "profile": ["lawyer"], "state": "AZ",
          "engagement": ["treaty_bodies", "european_court"], "treaty_body": ["cat"],
          "stage": "reprisal_suffered", "location": "home_country",
          "reprisals": ["criminal_charges", "professional_sanction", "travel_ban", "surveillance"],
          "others_at_risk": ["colleagues"],
          "consent": {"share_with_un": "yes", "share_with_regional": "yes",
                      "share_with_states": "yes", "publicity": "yes",
                      "given_by": "person"}}  # fmt: skip
CW5_KG = {"respondent": "self", "profile": ["woman_defender"], "state": "KG",
          "engagement": ["treaty_bodies", "special_procedures"], "treaty_body": ["cedaw"],
          "stage": "reprisal_suffered", "location": "home_country",
          "reprisals": ["threats", "smear_campaign", "online_harassment"],
          "consent": {"share_with_un": "undecided", "share_with_regional": "undecided",
                      "share_with_states": "undecided", "share_with_government": "undecided",
                      "publicity": "undecided", "sg_report": "undecided",
                      "given_by": "person"}}  # fmt: skip
CW5_PH = {"respondent": "organisation", "profile": ["child", "indigenous_defender"],
          "state": "PH", "engagement": ["indigenous_forums", "treaty_bodies"],
          "treaty_body": ["crc"], "stage": "reprisal_suffered", "location": "home_country",
          "reprisals": ["terrorism_label", "threats", "threats_to_family", "online_harassment",
                        "surveillance"],
          "others_at_risk": ["family", "organisation"],
          "consent": {"share_with_un": "yes", "publicity": "no", "sg_report": "anonymous",
                      "given_by": "family", "date": "2026-12-03"}}  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "step", "misplaced"),
    [
        (CW5_AZ, "tell_ecthr_hindering", "If attending is blocked, tell the UN body"),
        (CW5_AZ, "tell_ecthr_hindering", "Ask whether remote participation"),
        (CW5_AZ, "tell_ecthr_hindering", "With consent, tell the UN body"),
        (CW5_AZ, "notify_european_bodies", "With consent, tell the UN body"),
        (CW5_BY, "protection_where_you_live", "Ask organisations about trial observation"),
        (CW5_BY, "notify_odihr", "Report to the UN body"),
        (CW5_KG, "organisation_relocation", "Report the accounts to the platforms"),
        (CW5_PH, "include_in_sg_report_anonymously", "Meet contacts in safer places"),
        (CW5_PH, "organisation_family_support", "Report the accounts to the platforms"),
        (CW5_PH, "legal_support", "Vary routes and routines"),
        (CW5_PH, "organisation_relocation_other", "Arrest, frozen funds and travel bans"),
    ],
)
def test_advice_stays_off_the_steps_it_is_not_about(
    kb: KnowledgeBase, answers: dict[str, Any], step: str, misplaced: str
) -> None:
    plan = _plan(kb, **answers)
    by_id = {s.id: s for s in plan.steps}
    assert step in by_id
    assert not [tip for tip in by_id[step].advice if tip.startswith(misplaced)]


def test_advice_that_names_the_un_is_on_steps_to_the_un_only(kb: KnowledgeBase) -> None:
    for answers in (CW5_BY, CW5_AZ, CW5_KG, CW5_PH):
        for step in _plan(kb, **answers).steps:
            if any("UN body" in tip for tip in step.advice):
                assert step.shares_with_un, (step.id, step.advice)
