"""The do-no-harm gates case by case, on the careless test knowledge base (tests/data/engine_kb):
where a gate must stay silent (no embassy warning abroad, no emergency step when there is known
to be no danger, no digital-security step with devices known to be safe), and the exact texts
its warnings and reasons carry. tests/test_gates.py holds the properties; these are the cases a
property cannot see (a warning given when it should not be, a text cut or garbled)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from reprisal_cli.answers import Answers, answers_from_data
from reprisal_cli.case.model import CaseAnswers
from reprisal_cli.contract import ANSWERS_SCHEMA
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.gates import GATE_KEYS, devices_at_risk, embassy_visible, refusing_gate
from reprisal_cli.engine.plan import Plan, Step, Why
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import load_kb

TEST_KB = Path(__file__).parent / "data" / "engine_kb"
AS_OF = dt.date(2026, 11, 25)
# Every answer gate 7 asks about, given: no warning about unknown answers.
KNOWN = {
    "consent_publicity": "yes",
    "consent_share_with_un": "yes",
    "immediate_danger": False,
    "devices_compromised": False,
    "reprisals": ["threats"],
    "location": "abroad",
    "others_at_risk": ["family"],
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb(TEST_KB)


def answers(**values: Any) -> Answers:
    consent = {k: values.pop(k) for k in list(values) if k.startswith("consent.")}
    data = {"schema": ANSWERS_SCHEMA, **values}
    if consent:
        data["consent"] = {k.removeprefix("consent."): v for k, v in consent.items()}
    return answers_from_data(data, "<test>")


def plan_for(kb: KnowledgeBase, **values: Any) -> Plan:
    return evaluate(answers(**values), kb, as_of=AS_OF)


def warnings(plan: Plan) -> dict[str, str]:
    return {w.id: w.text for w in plan.warnings}


def step(plan: Plan, ident: str) -> Step:
    return next(s for s in plan.steps if s.id == ident)


def ids(plan: Plan) -> list[str]:
    return [s.id for s in plan.steps]


# -- gate 5: embassies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "visible"),
    [
        ({"location": "home_country", "reprisals": ["surveillance"]}, True),
        ({"location": "home_country", "reprisals": ["stalking", "threats"]}, True),
        ({"location": "home_country", "reprisals": []}, True),
        ({"reprisals": ["surveillance"]}, True),
        ({}, True),
        ({"location": "home_country", "reprisals": ["threats"]}, False),
        ({"reprisals": ["threats", "detention"]}, False),
        ({"location": "abroad", "reprisals": ["surveillance"]}, False),
        ({"location": "abroad"}, False),
    ],
)
def test_embassy_visibility_is_for_someone_possibly_watched_at_home(
    values: dict[str, Any], visible: bool
) -> None:
    assert embassy_visible(answers(**values)) is visible


def test_no_embassy_warning_abroad(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, location="abroad", reprisals=["surveillance"])
    assert "go_to_embassy" in ids(plan)
    assert kb.safety.embassy_visibility not in step(plan, "go_to_embassy").detail
    assert "embassy_visibility" not in warnings(plan)


def test_the_embassy_warning_at_home_when_watched(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, location="home_country", reprisals=["surveillance"])
    assert step(plan, "go_to_embassy").detail.endswith(kb.safety.embassy_visibility)
    assert warnings(plan)["embassy_visibility"] == kb.safety.embassy_visibility
    # only diplomatic steps carry it
    for other in plan.steps:
        if other.kind != "diplomatic":
            assert kb.safety.embassy_visibility not in other.detail, other.id
    quiet = plan_for(kb, location="home_country", reprisals=["threats"])
    assert kb.safety.embassy_visibility not in step(quiet, "go_to_embassy").detail
    assert "embassy_visibility" not in warnings(quiet)


# -- gates 3 and 4: danger and devices --------------------------------------------------------


def test_no_emergency_step_when_there_is_known_to_be_no_danger(kb: KnowledgeBase) -> None:
    """...unless the risk is high or critical: then it stays, not for now, with the reprisals
    as its reason (the situation can change)."""
    emergency = kb.safety.emergency_step.id
    calm = plan_for(kb, immediate_danger=False, reprisals=["smear_campaign"])
    assert calm.risk.level == "moderate" and emergency not in ids(calm)
    grave = plan_for(kb, immediate_danger=False, reprisals=["threats"])
    assert grave.risk.level == "high"
    assert step(grave, emergency).urgency != "now"
    assert [w.matched for w in step(grave, emergency).why] == [
        {"reprisals": ["threats"], "location": None}
    ]
    unknown = plan_for(kb, reprisals=["threats"])
    assert emergency in ids(unknown)
    danger = plan_for(kb, immediate_danger=True, reprisals=["threats"])
    assert ids(danger)[0] == emergency
    why = step(danger, emergency).why
    assert [(w.rule, w.matched) for w in why] == [("gate:danger_first", {"immediate_danger": True})]
    assert [(w.rule, w.matched) for w in step(unknown, emergency).why] == [
        ("gate:danger_first", {"immediate_danger": None})
    ]
    # The warning that no mechanism protects physically is in every plan, with its text.
    for plan in (calm, unknown, danger):
        assert warnings(plan)["no_physical_protection"] == kb.safety.no_physical_protection


def test_an_unknown_danger_keeps_the_emergency_step_at_its_own_place(kb: KnowledgeBase) -> None:
    unknown = plan_for(kb, reprisals=["detention"], devices_compromised=False)
    danger = plan_for(kb, reprisals=["detention"], devices_compromised=False, immediate_danger=True)
    emergency = kb.safety.emergency_step.id
    assert ids(danger)[0] == emergency
    assert ids(unknown).index(emergency) > 0


@pytest.mark.parametrize(
    ("values", "at_risk"),
    [
        ({"devices_compromised": True}, True),
        ({"devices_compromised": False, "reprisals": ["hacking"]}, True),
        ({"reprisals": ["hacking", "threats"]}, True),
        ({"reprisals": ["threats"]}, None),
        ({}, None),
        ({"devices_compromised": False, "reprisals": ["threats"]}, False),
        ({"devices_compromised": False}, False),
    ],
)
def test_devices_are_at_risk_when_said_or_hacked_and_unknown_otherwise(
    values: dict[str, Any], at_risk: bool | None
) -> None:
    assert devices_at_risk(answers(**values)) is at_risk


def test_devices_known_safe_give_no_digital_security_step(kb: KnowledgeBase) -> None:
    digital = kb.safety.digital_security_step.id
    emergency = kb.safety.emergency_step.id
    safe = plan_for(kb, devices_compromised=False, reprisals=["threats"])
    assert digital not in ids(safe)
    # Unknown: the step at its normal place, and no advice added to the emergency step.
    unknown = plan_for(kb, reprisals=["threats"])
    assert digital in ids(unknown)
    assert [(w.rule, w.matched) for w in step(unknown, digital).why] == [
        ("gate:compromised_devices", {"devices_compromised": None})
    ]
    assert kb.safety.digital_advice_for_emergency not in step(unknown, emergency).detail
    # Known or likely watched: before anything is sent, and the emergency step says how to call.
    hacked = plan_for(kb, devices_compromised=False, reprisals=["hacking"])
    assert [(w.rule, w.matched) for w in step(hacked, digital).why] == [
        ("gate:compromised_devices", {"devices_compromised": False, "reprisals": "hacking"})
    ]
    assert step(hacked, emergency).detail.endswith(kb.safety.digital_advice_for_emergency)
    sending = [s.priority for s in hacked.steps if s.sends_information and s.id != digital]
    assert step(hacked, digital).priority < min(p for p in sending if p > 1)


# -- consent: reasons, routes and warnings ----------------------------------------------------


def test_a_public_step_without_consent_is_withheld_with_its_reason_and_route(
    kb: KnowledgeBase,
) -> None:
    safety = kb.safety
    plan = plan_for(kb, stage="engaged", engagement=["special_procedures"], **{
        "consent.publicity": "no", "consent.share_with_un": "yes"})  # fmt: skip
    withheld = {w.id: w for w in plan.withheld}
    press = withheld["press_release"]
    assert (press.gate, press.instead) == ("consent_publicity", None)
    assert press.reason == f"{safety.consent_publicity_reason} {safety.confidential_route}"
    statement = withheld["public_un_statement"]
    assert (statement.gate, statement.instead) == ("consent_publicity", "confidential_letter")
    letter_title = step(plan, "confidential_letter").title
    assert statement.reason == (
        safety.consent_publicity_reason + " " + safety.instead_route.replace("{step}", letter_title)
    )
    assert [w.id for w in plan.withheld] == sorted(withheld)
    # The route says which gate and which answer sent the person to it.
    assert step(plan, "confidential_letter").why[-1] == Why(
        rule="gate:consent_publicity", matched={"consent_publicity": "no"}
    )
    assert not any(s.public for s in plan.steps)


def test_no_to_the_un_withholds_with_its_reason_and_one_warning(kb: KnowledgeBase) -> None:
    safety = kb.safety
    plan = plan_for(kb, stage="engaged", engagement=["special_procedures"], reprisals=["threats"],
                    consent_publicity="yes", consent_share_with_un="no")  # fmt: skip
    un_gate = [w for w in plan.withheld if w.gate == "consent_share_with_un"]
    assert {w.id for w in un_gate} >= {"confidential_letter", "notify_committee"}
    for item in un_gate:
        assert item.reason.startswith(safety.consent_share_with_un_reason + " ")
    assert warnings(plan)["consent_share_with_un_needed"] == safety.consent_share_with_un_reason
    assert [w.id for w in plan.warnings].count("consent_share_with_un_needed") == 1
    assert not any(s.shares_with_un for s in plan.steps)
    # Regional bodies and States follow the UN's no when not asked, and say so.
    regional = next(w for w in plan.withheld if w.id == "regional_request")
    assert regional.gate == "consent_share_with_regional"
    label = safety.purpose_labels["share_with_regional"]
    assert regional.reason.startswith(safety.follows_un_refusal.replace("{who}", label))
    # Asked, their own no gives their own reason.
    asked = plan_for(kb, stage="engaged", engagement=["special_procedures"], **{
        "consent.publicity": "yes", "consent.share_with_un": "no",
        "consent.share_with_regional": "no"})  # fmt: skip
    regional = next(w for w in asked.withheld if w.id == "regional_request")
    assert regional.reason.startswith(safety.consent_share_with_regional_reason + " ")


@pytest.mark.parametrize("consent", ["undecided", None])
def test_an_undecided_or_unknown_un_consent_keeps_the_step_with_the_warning(
    kb: KnowledgeBase, consent: str | None
) -> None:
    safety = kb.safety
    values = {"consent_share_with_un": consent} if consent else {}
    plan = plan_for(kb, engagement=["special_procedures"], **values)
    letter = step(plan, "confidential_letter")
    assert letter.detail.endswith(safety.un_may_raise_with_state)
    assert warnings(plan)["un_may_raise_with_state"] == safety.un_may_raise_with_state
    assert "consent_share_with_un_needed" not in warnings(plan)
    for other in plan.steps:
        if not other.shares_with_un:
            assert safety.un_may_raise_with_state not in other.detail, other.id


def test_a_yes_to_the_un_needs_no_warning(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, engagement=["special_procedures"], consent_share_with_un="yes")
    assert kb.safety.un_may_raise_with_state not in step(plan, "confidential_letter").detail
    assert "un_may_raise_with_state" not in warnings(plan)
    assert "regional_may_raise_with_state" not in warnings(plan)
    assert "states_tell_government" not in warnings(plan)


def test_undecided_regional_and_states_consents_warn_on_their_own_steps(kb: KnowledgeBase) -> None:
    safety = kb.safety
    plan = plan_for(kb, engagement=["special_procedures"], reprisals=["threats"], **{
        "consent.share_with_un": "yes", "consent.share_with_regional": "undecided",
        "consent.share_with_states": "undecided"})  # fmt: skip
    assert step(plan, "regional_request").detail.endswith(safety.regional_may_raise_with_state)
    assert step(plan, "go_to_embassy").detail.endswith(safety.states_tell_government)
    found = warnings(plan)
    assert found["regional_may_raise_with_state"] == safety.regional_may_raise_with_state
    assert found["states_tell_government"] == safety.states_tell_government
    assert safety.states_tell_government not in step(plan, "regional_request").detail


def test_helpers_are_told_which_purposes_were_refused(kb: KnowledgeBase) -> None:
    safety = kb.safety
    plan = plan_for(kb, reprisals=["threats"], **{
        "consent.publicity": "no", "consent.share_with_un": "yes",
        "consent.share_with_states": "no"})  # fmt: skip
    labels = safety.purpose_labels
    text = safety.tell_helpers_limits.replace(
        "{purposes}", f"{labels['publicity']}; {labels['share_with_states']}"
    )
    assert step(plan, "org_help").detail.endswith(text)
    assert text not in step(plan, "training").detail
    nothing_refused = plan_for(kb, reprisals=["threats"], consent_publicity="yes",
                               consent_share_with_un="yes")  # fmt: skip
    assert "{purposes}" not in step(nothing_refused, "org_help").detail
    assert (
        safety.tell_helpers_limits.split("{purposes}")[0]
        not in step(nothing_refused, "org_help").detail
    )


def test_the_report_consent_names_its_reason(kb: KnowledgeBase) -> None:
    safety = kb.safety
    undecided = plan_for(kb, engagement=["special_procedures"], **{
        "consent.publicity": "yes", "consent.share_with_un": "yes",
        "consent.sg_report": "no"})  # fmt: skip
    named = next(w for w in undecided.withheld if w.id == "sg_named")
    assert (named.gate, named.reason.split(" ")[0]) == (
        "consent_sg_report",
        safety.consent_sg_report_reason.split(" ")[0],
    )
    assert named.reason.startswith(safety.consent_sg_report_reason)
    # Its first safe route (the anonymous form) is refused too: the next one, in the plan, is named.
    assert named.instead == "confidential_letter"
    assert "sg_anonymous" not in {s.id for s in undecided.steps}
    # The person chose the anonymous form: the named one is left out without a withheld entry.
    anonymous = plan_for(kb, engagement=["special_procedures"], **{
        "consent.publicity": "yes", "consent.share_with_un": "yes",
        "consent.sg_report": "anonymous"})  # fmt: skip
    assert "sg_anonymous" in ids(anonymous)
    assert "sg_named" not in {w.id for w in anonymous.withheld}
    # Named chosen: the anonymous form is not offered and not listed as withheld either.
    chosen = plan_for(kb, engagement=["special_procedures"], **{
        "consent.publicity": "yes", "consent.share_with_un": "yes",
        "consent.sg_report": "named"})  # fmt: skip
    assert "sg_named" in ids(chosen)
    assert "sg_anonymous" not in ids(chosen)
    assert "sg_anonymous" not in {w.id for w in chosen.withheld}


# -- gates 6 and 7: others at risk and unknown answers ----------------------------------------


def test_the_publicity_warning_names_the_others_given_or_all_of_them(kb: KnowledgeBase) -> None:
    labels = kb.safety.others_labels
    named = plan_for(kb, stage="engaged", consent_publicity="yes",
                     others_at_risk=["sources", "family"])  # fmt: skip
    assert warnings(named)["publicity_exposes_others"] == kb.safety.others_at_risk_named.replace(
        "{others}", f"{labels['sources']}, {labels['family']}"
    )
    everyone = plan_for(kb, stage="engaged", consent_publicity="no")
    assert warnings(everyone)["publicity_exposes_others"] == kb.safety.others_at_risk_named.replace(
        "{others}",
        ", ".join(labels[o] for o in ("family", "colleagues", "organisation", "sources")),
    )


def test_no_publicity_warning_when_nothing_public_is_proposed_or_agreed(kb: KnowledgeBase) -> None:
    # `planning`: the careless rules propose nothing public.
    quiet = plan_for(kb, stage="planning", consent_publicity="no")
    assert not quiet.withheld or all(w.gate != "consent_publicity" for w in quiet.withheld)
    assert "publicity_exposes_others" not in warnings(quiet)
    # A yes to publicity warns even when no public step is in the plan yet.
    agreed = plan_for(kb, stage="planning", consent_publicity="yes")
    assert "publicity_exposes_others" in warnings(agreed)


def test_the_unknown_answers_warning_lists_them_in_order(kb: KnowledgeBase) -> None:
    # Named by their questions, never by their keys (issue 22).
    plan = plan_for(kb, reprisals=["threats"], location="abroad")
    unknown = [k for k in GATE_KEYS if k not in ("reprisals", "location")]
    asks = {q.key: q.prompt for q in kb.questions}
    words = "; ".join(asks.get(k, k) for k in unknown)
    assert warnings(plan)["unknown_answers_cautious"] == (
        kb.safety.unknown_answers_cautious.replace("{keys}", words)
    )
    assert "unknown_answers_cautious" not in warnings(plan_for(kb, **KNOWN))
    # "No one else" (an empty list) is an answer, not an unknown (issue 25).
    assert "unknown_answers_cautious" not in warnings(
        plan_for(kb, **{**KNOWN, "others_at_risk": []})
    )


def test_each_warning_is_given_once(kb: KnowledgeBase) -> None:
    plan = plan_for(kb, engagement=["special_procedures", "treaty_bodies"],
                    reprisals=["surveillance"], location="home_country")  # fmt: skip
    found = [w.id for w in plan.warnings]
    assert len(found) == len(set(found))
    assert {"un_may_raise_with_state", "embassy_visibility", "no_physical_protection"} <= set(found)


@pytest.mark.parametrize(
    ("consents", "shares", "gate"),
    [
        ({}, {"public"}, "consent_publicity"),
        ({"publicity": "undecided"}, {"public"}, "consent_publicity"),
        ({"publicity": "yes"}, {"public"}, None),
        ({"share_with_un": "no"}, {"un"}, "consent_share_with_un"),
        ({"share_with_un": "undecided"}, {"un"}, None),
        ({}, {"un"}, None),
        ({"share_with_un": "yes", "share_with_regional": "no"}, {"un", "regional"},
         "consent_share_with_regional"),
        ({"share_with_un": "no"}, {"states"}, "consent_share_with_states"),
        ({"share_with_un": "no", "share_with_states": "yes"}, {"states"}, None),
        # The report's gate on its own (in the shipped rules the UN gate, read first, also
        # holds such steps back): anonymous inclusion while undecided needs the UN's consent.
        ({"sg_report": "undecided", "share_with_un": "no"}, {"sg_report_anonymous"},
         "consent_sg_report"),
        ({"sg_report": "undecided", "share_with_un": "undecided"}, {"sg_report_anonymous"}, None),
        ({"sg_report": "undecided"}, {"sg_report_anonymous"}, None),
        ({"sg_report": "anonymous"}, {"sg_report_anonymous"}, None),
        ({"sg_report": "named"}, {"sg_report_anonymous"}, "consent_sg_report"),
        ({"sg_report": "anonymous"}, {"sg_report_named"}, "consent_sg_report"),
        ({"sg_report": "named"}, {"sg_report_named"}, None),
        ({}, {"others"}, None),
    ],
)  # fmt: skip
def test_the_first_consent_gate_that_refuses_a_steps_flags(
    consents: dict[str, str], shares: set[str], gate: str | None
) -> None:
    given = answers(**{f"consent.{k}": v for k, v in consents.items()})
    found = refusing_gate(given, frozenset(shares))  # type: ignore[arg-type]
    assert (found.name if found is not None else None) == gate


# -- what the cases above leave out: a later held-back step, the forms of the report, withdrawn
# consent, States following the UN's no, lawyers told of a refusal -----------------------------


def test_a_step_held_back_after_the_report_form_left_out_is_still_listed(
    kb: KnowledgeBase,
) -> None:
    # The named report request is left out silently (the anonymous form was chosen and is in the
    # plan); the embassy visit, held back after it by the no to States, must still be listed.
    consents = {
        "consent.publicity": "yes",
        "consent.share_with_un": "yes",
        "consent.share_with_states": "no",
        "consent.sg_report": "anonymous",
    }
    plan = plan_for(
        kb, stage="engaged", engagement=["special_procedures"], reprisals=["threats"], **consents
    )
    withheld = {w.id: w for w in plan.withheld}
    assert "sg_named" not in withheld
    assert "sg_anonymous" in ids(plan)
    assert withheld["go_to_embassy"].gate == "consent_share_with_states"
    assert withheld["go_to_embassy"].reason.startswith(
        kb.safety.consent_share_with_states_reason + " "
    )
    assert withheld["states_speak"].gate == "consent_share_with_states"
    assert not any(s.shares_with_states for s in plan.steps)


def test_states_not_asked_follow_the_uns_no_and_say_so(kb: KnowledgeBase) -> None:
    safety = kb.safety
    plan = plan_for(kb, reprisals=["threats"], consent_publicity="no", consent_share_with_un="no")
    embassy = next(w for w in plan.withheld if w.id == "go_to_embassy")
    assert embassy.gate == "consent_share_with_states"
    label = safety.purpose_labels["share_with_states"]
    assert embassy.reason.startswith(safety.follows_un_refusal.replace("{who}", label) + " ")
    assert safety.consent_share_with_states_reason not in embassy.reason
    # Asked, the States' own no gives its own reason.
    asked = plan_for(kb, reprisals=["threats"], **{
        "consent.publicity": "no", "consent.share_with_un": "no",
        "consent.share_with_states": "no"})  # fmt: skip
    embassy = next(w for w in asked.withheld if w.id == "go_to_embassy")
    assert embassy.reason.startswith(safety.consent_share_with_states_reason + " ")


# A rule that asks for the named report request on its own (no rule gives the anonymous form in
# the same plan): with `stage: reprisal_suffered` and no `engagement`.
NAMED_ONLY_RULE = """
  - id: named_only
    description: The named report request without the anonymous one.
    when: {key: stage, equals: reprisal_suffered}
    then:
      steps:
        - id: sg_named
          kind: un_reprisals_official
          priority: 6
          title: "Named in the Secretary-General's report"
          detail: "d"
          shares: [public, un, sg_report_named]
          instead: [sg_anonymous, confidential_letter]
"""


def kb_with(root: Path, **more: str) -> KnowledgeBase:
    """The test knowledge base copied to `root`, with text added at the end of some files
    (`rules="..."` adds to rules.yaml)."""
    for source in TEST_KB.iterdir():
        text = source.read_text(encoding="utf-8") + more.get(source.stem, "")
        (root / source.name).write_text(text, encoding="utf-8")
    return load_kb(root)


@pytest.fixture(scope="module")
def named_only_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return kb_with(tmp_path_factory.mktemp("named_only_kb"), rules=NAMED_ONLY_RULE)


def test_the_named_request_says_the_anonymous_form_was_chosen_and_offers_it(
    named_only_kb: KnowledgeBase,
) -> None:
    safety = named_only_kb.safety
    plan = evaluate(
        answers(
            stage="reprisal_suffered",
            **{
                "consent.publicity": "yes",
                "consent.share_with_un": "yes",
                "consent.sg_report": "anonymous",
            },
        ),
        named_only_kb,
        as_of=AS_OF,
    )
    named = next(w for w in plan.withheld if w.id == "sg_named")
    assert named.gate == "consent_sg_report"
    anonymous_title = step(plan, "sg_anonymous").title
    assert named.reason == (
        safety.sg_report_other_form.replace("{chosen}", safety.sg_labels["anonymous"])
        + " "
        + safety.instead_route.replace("{step}", anonymous_title)
    )
    assert named.instead == "sg_anonymous"
    assert step(plan, "sg_anonymous").why[-1] == Why(
        rule="gate:consent_sg_report", matched={"consent_sg_report": "anonymous"}
    )


def test_a_withdrawn_consent_holds_back_and_its_route_says_which(kb: KnowledgeBase) -> None:
    safety = kb.safety
    withdrawn = CaseAnswers(
        stage="engaged",
        engagement=("special_procedures",),
        consent_publicity="no",
        consent_share_with_un="yes",
        revoked=("publicity",),
    )
    plan = evaluate(withdrawn, kb, as_of=AS_OF)
    statement = next(w for w in plan.withheld if w.id == "public_un_statement")
    assert (statement.gate, statement.instead) == ("consent_revoked", "confidential_letter")
    assert statement.reason.startswith(safety.consent_revoked_reason + " ")
    # The route names the withdrawal, not a publicity answer, as what sent the person to it.
    assert step(plan, "confidential_letter").why[-1] == Why(
        rule="gate:consent_revoked", matched={"revoked": ["publicity"]}
    )
    assert not any(s.public for s in plan.steps)


def test_lawyers_are_told_which_purposes_were_refused() -> None:
    # The shipped rules: a lawyer for criminal charges (a `legal_support` step).
    shipped = load_kb()
    safety = shipped.safety
    plan = evaluate(
        answers(
            stage="reprisal_suffered",
            reprisals=["criminal_charges"],
            location="home_country",
            consent_publicity="no",
            consent_share_with_un="yes",
            respondent="self",
        ),
        shipped,
        as_of=AS_OF,
    )
    lawyers = [s for s in plan.steps if s.kind == "legal_support"]
    assert lawyers
    text = safety.tell_helpers_limits.replace("{purposes}", safety.purpose_labels["publicity"])
    for lawyer in lawyers:
        assert text in lawyer.detail, lawyer.id


def test_a_knowledge_base_that_labels_only_some_purposes_still_gives_a_plan(
    tmp_path: Path,
) -> None:
    # safety.yaml may give its own labels; one it leaves out must not break the plan.
    kb_with(tmp_path)
    safety_file = tmp_path / "safety.yaml"
    text = safety_file.read_text(encoding="utf-8")
    start = text.index("  others_labels:")
    end = text.index("\n  reduce_exposure_first:")
    labels = (
        '  others_labels:\n    family: "the family"\n'
        '  purpose_labels:\n    publicity: "going public"'
    )
    safety_file.write_text(text[:start] + labels + text[end:], encoding="utf-8")
    custom = load_kb(tmp_path)
    safety = custom.safety
    plan = evaluate(
        answers(
            reprisals=["threats"],
            consent_publicity="no",
            consent_share_with_un="no",
            others_at_risk=["family", "colleagues"],
        ),
        custom,
        as_of=AS_OF,
    )
    assert warnings(plan)["publicity_exposes_others"] == safety.others_at_risk_named.replace(
        "{others}", "the family, colleagues"
    )
    embassy = next(w for w in plan.withheld if w.id == "go_to_embassy")
    who = safety.follows_un_refusal.split("{who}")
    assert embassy.reason.startswith(who[0]) and "{who}" not in embassy.reason
    helpers = step(plan, "org_help").detail
    assert safety.tell_helpers_limits.split("{purposes}")[0] + "going public; " in helpers
    assert "{purposes}" not in helpers
