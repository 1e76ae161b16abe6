"""Asking the State's own body (a national protection mechanism, a search commission) is a
consent of its own, `share_with_government`, an extension of contract v1.1 §1: a "no" to
diplomats withheld Colombia's National Protection Unit, and a "yes" to them showed it without
"if you agree" (noted 2026-12-04)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reprisal_cli.answers import parse_answers
from reprisal_cli.cli import app
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.conditions import Condition
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.models import with_kind_shares
from reprisal_cli.questionnaire.flow import Flow

AS_OF = "2026-12-05"  # the CLI reads it as text
AS_OF_DAY = dt.date(2026, 12, 5)
V11 = "reprisal-cli/answers/v1.1"
QUESTION = "consent_share_with_government"


def _states_named(condition: Condition | None) -> set[str]:
    """The States a condition names with `state` equal to or in a list, wherever it sits."""
    if condition is None:
        return set()
    found: set[str] = set()
    if condition.key == "state":
        if isinstance(condition.equals, str):
            found.add(condition.equals)
        found |= set(condition.in_ or ())
    for inner in (*(condition.all or ()), *(condition.any or ())):
        found |= _states_named(inner)
    return found


def _asking_government(kb: KnowledgeBase) -> set[str]:
    """The States whose rules give a step that asks the government's own body."""
    return {
        state
        for rule in kb.rules
        if any("government" in with_kind_shares(s.kind, s.shares) for s in rule.then.steps)
        for state in _states_named(rule.when)
    }


def test_the_question_is_asked_for_every_state_whose_own_body_a_step_asks(
    kb: KnowledgeBase,
) -> None:
    question = next(q for q in kb.questions if q.key == QUESTION)
    asked_for = _states_named(question.when)
    assert asked_for == _asking_government(kb)
    assert {"MX", "CO", "HN", "BR", "PE", "GT"} <= asked_for


def _flow_asks(kb: KnowledgeBase, answers: str) -> bool:
    flow = Flow(kb.questions, parse_answers(f"schema: {V11}\n{answers}".encode(), "a"))
    question = next(q for q in kb.questions if q.key == QUESTION)
    return flow.applies(question)


def test_the_questionnaire_asks_it_only_where_such_a_body_exists(kb: KnowledgeBase) -> None:
    assert _flow_asks(kb, "state: CO\n")
    assert _flow_asks(kb, "state: MX\nlocation: whereabouts_unknown\n")
    assert not _flow_asks(kb, "state: FR\n")
    assert not _flow_asks(kb, "")  # the State not known: no step asks a government's body
    assert not _flow_asks(kb, "state: CO\nlocation: abroad\n")


def _plan(kb: KnowledgeBase, consent: str) -> dict[str, object]:
    answers = parse_answers(
        (
            f"schema: {V11}\nrespondent: self\nstate: CO\nengagement: [special_procedures]\n"
            f"stage: reprisal_suffered\nreprisals: [threats]\nconsent:\n{consent}"
        ).encode(),
        "a",
    )
    plan = evaluate(answers, kb, as_of=AS_OF_DAY)
    steps = {s.id: s for s in plan.steps}
    withheld = {w.id: w for w in plan.withheld}
    return {"steps": steps, "withheld": withheld}


def test_no_to_diplomats_keeps_the_protection_unit_as_a_decision(kb: KnowledgeBase) -> None:
    plan = _plan(kb, "  share_with_un: 'yes'\n  share_with_states: 'no'\n")
    steps, withheld = plan["steps"], plan["withheld"]
    assert isinstance(steps, dict) and isinstance(withheld, dict)
    unit = steps["ask_national_protection_co"]
    assert unit.shares_with_government and not unit.shares_with_states
    assert "contact_diplomatic_missions" in withheld


def test_no_to_the_government_s_bodies_holds_the_unit_back_under_its_own_gate(
    kb: KnowledgeBase,
) -> None:
    plan = _plan(
        kb, "  share_with_un: 'yes'\n  share_with_states: 'yes'\n  share_with_government: 'no'\n"
    )
    steps, withheld = plan["steps"], plan["withheld"]
    assert isinstance(steps, dict) and isinstance(withheld, dict)
    assert "ask_national_protection_co" not in steps
    held = withheld["ask_national_protection_co"]
    assert held.gate == "consent_share_with_government"
    assert held.instead in steps
    assert "contact_diplomatic_missions" in steps


def test_the_plan_json_carries_the_flag_and_the_gate(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(
        f"schema: {V11}\nstate: MX\nengagement: [special_procedures]\nstage: reprisal_suffered\n"
        "reprisals: [threats]\nconsent:\n  share_with_government: 'no'\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["plan", str(answers), "--format", "json", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert all(isinstance(s["shares_with_government"], bool) for s in plan["steps"])
    gates = {w["id"]: w["gate"] for w in plan["withheld"]}
    assert gates["ask_national_protection_mx"] == "consent_share_with_government"


def test_changing_the_state_drops_an_answer_no_step_can_use(kb: KnowledgeBase) -> None:
    flow = Flow(kb.questions)
    by_key = {q.key: q for q in kb.questions}
    flow.answer(by_key["state"], "CO")
    flow.answer(by_key[QUESTION], "no")
    assert flow.answers().consent_share_with_government == "no"
    flow.change(by_key["state"], "MX")  # another State with such a body: the answer stays
    assert flow.answers().consent_share_with_government == "no"
    flow.change(by_key["state"], "FR")
    assert flow.answers().consent_share_with_government is None


def _family_plan(kb: KnowledgeBase, lang: str = "en") -> dict[str, str]:
    """The step details of the plan a relative of someone disappeared in Mexico gets."""
    answers = parse_answers(
        (
            f"schema: {V11}\nrespondent: family\nstate: MX\nlocation: whereabouts_unknown\n"
            "engagement: [special_procedures]\nstage: reprisal_suffered\n"
            "reprisals: [enforced_disappearance]\n"
        ).encode(),
        "a",
    )
    plan = evaluate(answers, kb, as_of=AS_OF_DAY, lang=lang)
    return {s.id: s.detail for s in plan.steps}


def test_the_relatives_own_request_to_the_mechanism_is_cautioned_for_them(
    kb: KnowledgeBase,
) -> None:
    """The relatives who search ask the federal Mechanism to protect themselves: the caution
    speaks to them (what the Mechanism learns of them, that the government runs it), not of the
    missing person's consent, which it read as before."""
    details = _family_plan(kb)
    own = details["ask_national_protection_mx_family"]
    assert "who the person at risk is" not in own, own
    assert "only if the person agrees" not in own, own
    assert "To ask the Mechanism to protect you, you tell it who you are" in own, own
    assert "The government itself runs the Mechanism" in own, own
    # The search for the missing person is theirs to decide for them: that caution stays.
    search = next(d for i, d in details.items() if "national_search" in i)
    assert "who the person at risk is" in search, search


@pytest.mark.parametrize(
    ("lang", "own", "person"),
    [
        (
            "fr",
            "Pour demander au Mécanisme de vous protéger",
            "l'identité de la personne en danger",
        ),
        ("es", "Para pedir al Mecanismo que le proteja", "quién es la persona en riesgo"),
        ("ar", "لكي تطلبوا من الآلية حمايتكم", "وبهوية الشخص المعرّض للخطر"),
        ("ru", "Чтобы попросить Механизм защитить вас", "о том, кто находится в опасности"),
        ("zh", "要请该机制保护您", "面临风险的人是谁"),
    ],
)
def test_the_relatives_caution_is_theirs_in_every_language(
    kb: KnowledgeBase, lang: str, own: str, person: str
) -> None:
    details = _family_plan(kb, lang)
    step = details["ask_national_protection_mx_family"]
    assert own in step and person not in step, step
    search = next(d for i, d in details.items() if "national_search" in i)
    assert person in search, search
