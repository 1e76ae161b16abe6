"""The questionnaire flow: pure, no terminal. Questions built inline, plus the shipped file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from reprisal_cli.answers import Answers, dump_answers, parse_answers
from reprisal_cli.contract import ANSWER_KEYS, ANSWERS_SCHEMA
from reprisal_cli.errors import AnswersError
from reprisal_cli.kb.questions import Question, QuestionsFile
from reprisal_cli.questionnaire.flow import (
    ABSENT,
    Flow,
    describe,
    prompt_for,
    text_problem,
    validate_text,
)
from reprisal_cli.records import validate

DATA = Path(__file__).resolve().parents[1] / "data"


def q(data: dict[str, Any]) -> Question:
    base = {"prompt": f"About {data['key']}?", "why": "Because."}
    return validate(Question, base | data)


DANGER = q(
    {
        "id": "danger",
        "key": "immediate_danger",
        "type": "select",
        "choices": [{"value": True, "label": "Yes"}, {"value": False, "label": "No"}],
    }
)
WHO = q(
    {
        "id": "who",
        "key": "respondent",
        "type": "select",
        "choices": [{"value": "self", "label": "Me"}, {"value": "family", "label": "Family"}],
    }
)
STAGE = q(
    {
        "id": "stage",
        "key": "stage",
        "type": "select",
        "prompt": "Your situation?",
        "prompt_other": "Their situation?",
        "choices": [
            {"value": "engaged", "label": "Engaged"},
            {"value": "reprisal_suffered", "label": "Suffered"},
        ],
    }
)
WHAT = q(
    {
        "id": "what",
        "key": "reprisals",
        "type": "checkbox",
        "when": {"any": [{"key": "stage", "in": ["reprisal_suffered"]}, {"absent": "stage"}]},
        "choices": [
            {"value": "threats", "label": "Threats"},
            {"value": "detention", "label": "Detention"},
        ],
    }
)
ENGAGEMENT = q(
    {
        "id": "engagement",
        "key": "engagement",
        "type": "checkbox",
        "choices": [
            {"value": "treaty_bodies", "label": "Treaty bodies"},
            {"value": "special_procedures", "label": "Special procedures"},
        ],
    }
)
TREATY = q(
    {
        "id": "treaty",
        "key": "treaty_body",
        "type": "checkbox",
        "when": {"key": "engagement", "contains": "treaty_bodies"},
        "choices": [{"value": "cat", "label": "CAT"}, {"value": "crc", "label": "CRC"}],
    }
)
NOTES = q({"id": "notes", "key": "notes", "type": "text"})
CASE = q({"id": "case", "key": "case_id", "type": "text"})
DATE = q({"id": "date", "key": "incident_date", "type": "text"})

QUESTIONS = (DANGER, WHO, STAGE, WHAT, ENGAGEMENT, TREATY, NOTES, CASE)


def test_questions_in_order_and_answers_built() -> None:
    flow = Flow(QUESTIONS)
    assert flow.next_question() is DANGER
    flow.answer(DANGER, False)
    flow.answer(WHO, "family")
    flow.answer(STAGE, "engaged")
    assert flow.next_question() is ENGAGEMENT  # reprisals skipped: nothing happened
    flow.answer(ENGAGEMENT, ("special_procedures",))
    assert flow.next_question() is NOTES  # no treaty bodies: no committee question
    flow.answer(NOTES, "  met the rapporteur  ")
    flow.answer(CASE, "case-07")
    assert flow.next_question() is None
    assert flow.answers() == Answers(
        immediate_danger=False,
        respondent="family",
        stage="engaged",
        engagement=("special_procedures",),
        notes="met the rapporteur",
        case_id="case-07",
    )


def test_when_branches_on_list_values() -> None:
    flow = Flow(QUESTIONS)
    for question, value in ((DANGER, True), (WHO, "self"), (STAGE, "engaged")):
        flow.answer(question, value)
    flow.answer(ENGAGEMENT, ("special_procedures", "treaty_bodies"))
    assert flow.next_question() is TREATY
    flow.answer(TREATY, ("crc", "cat"))
    assert flow.answers().treaty_body == ("cat", "crc")  # choice order


def test_dont_know_is_absent_and_keeps_cautious_branches() -> None:
    flow = Flow(QUESTIONS)
    flow.answer(DANGER, False)
    flow.dont_know(WHO)
    flow.dont_know(STAGE)
    # An unknown stage could be a reprisal: the question about what happened is asked.
    assert flow.next_question() is WHAT
    flow.dont_know(WHAT)
    answers = flow.answers()
    assert answers.respondent is None and answers.stage is None and answers.reprisals == ()
    assert "respondent" not in answers.to_document()
    assert flow.review()[1].shown == "I don't know / prefer not to say"


def test_empty_checkbox_and_empty_text_are_absent() -> None:
    flow = Flow(QUESTIONS)
    flow.answer(ENGAGEMENT, ())
    flow.answer(NOTES, "   ")
    assert flow.answers().engagement == ()
    assert flow.answers().notes is None


def test_back_returns_to_previous_question_with_its_answer_as_default() -> None:
    flow = Flow(QUESTIONS)
    assert not flow.can_go_back()
    assert flow.back() is None
    flow.answer(DANGER, False)
    flow.answer(WHO, "self")
    assert flow.back() is WHO
    assert flow.next_question() is WHO
    assert flow.default(WHO) == "self"
    assert flow.answers().respondent is None
    assert flow.back() is DANGER
    assert flow.next_question() is DANGER
    assert flow.default(DANGER) is False


def test_back_over_a_skipped_question_goes_to_the_one_asked() -> None:
    flow = Flow(QUESTIONS)
    for question, value in ((DANGER, False), (WHO, "self"), (STAGE, "engaged")):
        flow.answer(question, value)
    flow.answer(ENGAGEMENT, ("treaty_bodies",))
    assert flow.back() is ENGAGEMENT
    assert flow.back() is STAGE  # WHAT was never asked


def test_progress_counts_questions_that_may_still_apply() -> None:
    flow = Flow(QUESTIONS)
    # Nothing answered: the reprisals and treaty questions cannot be decided yet.
    assert (flow.progress().number, flow.progress().total) == (1, 8)
    assert str(flow.progress()) == "Question 1 of about 8"
    flow.answer(DANGER, False)
    flow.answer(WHO, "self")
    flow.answer(STAGE, "engaged")
    assert (flow.progress().number, flow.progress().total) == (4, 7)  # no reprisals question
    flow.answer(ENGAGEMENT, ("special_procedures",))
    assert (flow.progress().number, flow.progress().total) == (5, 6)  # no treaty question
    flow.answer(NOTES, "")
    flow.answer(CASE, "")
    assert (flow.progress().number, flow.progress().total) == (6, 6)


def test_change_drops_answers_that_no_longer_apply_and_adds_new_questions() -> None:
    flow = Flow(QUESTIONS)
    for question, value in ((DANGER, False), (WHO, "self"), (STAGE, "reprisal_suffered")):
        flow.answer(question, value)
    flow.answer(WHAT, ("threats",))
    flow.answer(ENGAGEMENT, ("treaty_bodies",))
    flow.answer(TREATY, ("cat",))
    flow.answer(NOTES, "")
    flow.answer(CASE, "")
    assert flow.next_question() is None
    flow.change(STAGE, "engaged")
    assert flow.answers().reprisals == ()
    assert WHAT not in [item.question for item in flow.review()]
    flow.change(ENGAGEMENT, ("special_procedures",))
    assert flow.answers().treaty_body == ()
    flow.change(ENGAGEMENT, ("treaty_bodies",))
    assert flow.next_question() is TREATY  # dropped answers are asked again
    flow.change(STAGE, "reprisal_suffered")
    assert flow.next_question() is WHAT


def test_prefill_skips_known_answers_and_drops_inapplicable_ones() -> None:
    prefill = Answers(immediate_danger=False, stage="engaged", reprisals=("threats",))
    flow = Flow(QUESTIONS, prefill)
    assert flow.next_question() is WHO
    assert flow.answers().reprisals == ()  # stage engaged: the reprisals answer does not apply
    assert flow.answers().stage == "engaged"


def test_values_are_checked_against_the_question() -> None:
    flow = Flow(QUESTIONS)
    with pytest.raises(ValueError, match="not a choice"):
        flow.answer(WHO, "lawyer")
    with pytest.raises(ValueError, match="list of choices"):
        flow.answer(ENGAGEMENT, ("european_court",))
    with pytest.raises(ValueError, match="case-07"):
        flow.answer(CASE, "my case!")
    with pytest.raises(ValueError, match="2025-03"):
        flow.answer(DATE, "last week")


def test_validate_text() -> None:
    assert validate_text(DATE, "2025-03") is None
    assert validate_text(DATE, "") is None  # empty: skip
    assert validate_text(DATE, "March") is not None
    assert validate_text(NOTES, "x" * 4001) is not None


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("incident_date", "2025"),
        ("incident_date", "2025-03-14"),
        ("incident_date", "1944"),
        ("incident_date", "2025-02-30"),
        ("incident_date", "2999"),
        ("incident_date", "March 2025"),
        ("consent_date", "2026-03-14"),
        ("consent_date", "2026-02-30"),
        ("consent_date", "2026-3-14"),
        ("case_id", "case-07"),
        ("case_id", "-x"),
        ("case_id", "x" * 65),
        ("notes", "x" * 4000),
        ("notes", "x" * 4001),
    ],
)
def test_typed_answers_are_checked_as_files_are(key: str, text: str) -> None:
    """The questionnaire accepts exactly the text an answers file may hold for the key."""
    entry = f"consent:\n  date: '{text}'" if key == "consent_date" else f"{key}: '{text}'"
    in_file = f"schema: {ANSWERS_SCHEMA}\n{entry}\n"
    try:
        parse_answers(in_file, "answers.yaml")
    except AnswersError:
        assert text_problem(key, text) is not None
    else:
        assert text_problem(key, text) is None


def test_prompts_speak_to_whoever_answers() -> None:
    assert prompt_for(STAGE, "self") == "Your situation?"
    assert prompt_for(STAGE, None) == "Your situation?"
    assert prompt_for(STAGE, "family") == "Their situation?"
    assert prompt_for(WHO, "family") == WHO.prompt  # no third-person wording: the same


def test_describe() -> None:
    assert describe(DANGER, True) == "Yes"
    assert describe(ENGAGEMENT, ("treaty_bodies",)) == "Treaty bodies"
    assert describe(NOTES, None) == "(not asked)"
    assert describe(NOTES, ABSENT) == "not answered"  # skipped text is not "I don't know"
    assert describe(DANGER, ABSENT).startswith("I don't know")


# -- the shipped questionnaire ----------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> tuple[Question, ...]:
    raw = yaml.safe_load((DATA / "questions.yaml").read_text(encoding="utf-8"))
    return validate(QuestionsFile, raw).questions


def test_shipped_questions_cover_every_key_danger_first(shipped: tuple[Question, ...]) -> None:
    assert {x.key for x in shipped} == set(ANSWER_KEYS)
    assert [x.key for x in shipped[:2]] == ["immediate_danger", "respondent"]
    assert [x.key for x in shipped[-2:]] == ["notes", "case_id"]
    for question in shipped:
        assert question.why and "\n" not in question.why.strip()
        if question.key not in ("respondent", "case_id"):
            assert question.prompt_other, question.id


def test_shipped_when_reads_only_earlier_questions(shipped: tuple[Question, ...]) -> None:
    seen: set[str] = set()
    for question in shipped:
        if question.when is not None:
            assert question.when.keys() <= seen, question.id
        seen.add(question.key)


def test_shipped_branching(shipped: tuple[Question, ...]) -> None:
    by_key = {x.key: x for x in shipped}
    flow = Flow(shipped)
    flow.answer(by_key["immediate_danger"], False)
    flow.answer(by_key["respondent"], "colleague")
    flow.answer(by_key["stage"], "planning")
    assert flow.next_question() is by_key["location"]
    assert prompt_for(by_key["location"], "colleague") == "Where is the person at risk now?"
    flow.answer(by_key["location"], "home_country")
    assert flow.next_question() is by_key["state"]  # residence: only abroad
    flow.answer(by_key["state"], "TN")
    flow.answer(by_key["region"], "africa")
    flow.answer(by_key["profile"], ("lawyer",))
    flow.answer(by_key["engagement"], ("treaty_bodies",))
    assert flow.next_question() is by_key["treaty_body"]
    flow.answer(by_key["treaty_body"], ("cat",))
    assert flow.next_question() is by_key["individual_complaint"]
    flow.answer(by_key["individual_complaint"], ("cat",))
    assert flow.next_question() is by_key["measures_in_force"]
    flow.answer(by_key["measures_in_force"], ("treaty_bodies",))
    assert flow.next_question() is by_key["devices_compromised"]
    answers = flow.answers()
    assert (answers.state, answers.individual_complaint) == ("TN", ("cat",))
    assert answers.measures_in_force == ("treaty_bodies",)


def test_residence_is_asked_only_abroad_and_may_equal_state(
    shipped: tuple[Question, ...],
) -> None:
    by_key = {x.key: x for x in shipped}
    flow = Flow(shipped)
    flow.answer(by_key["location"], "abroad")
    flow.answer(by_key["state"], "BH")
    assert flow.next_question() is not by_key["residence"]  # earlier questions first
    for key in ("immediate_danger", "respondent", "stage", "reprisals", "incident_date"):
        flow.dont_know(by_key[key])
    assert flow.next_question() is by_key["residence"]
    flow.answer(by_key["residence"], "BH")
    assert flow.answers().residence == "BH"
    # Back home (or detained): the residence question no longer applies, and its answer goes.
    flow.answer(by_key["location"], "in_detention")
    assert flow.answers().residence is None
    assert flow.answers().state == "BH"


@pytest.mark.parametrize("location", ["in_detention", "whereabouts_unknown"])
def test_a_family_is_not_asked_about_travel_of_a_person_held_or_missing(
    shipped: tuple[Question, ...], location: str
) -> None:
    by_key = {x.key: x for x in shipped}
    flow = Flow(shipped)
    flow.answer(by_key["location"], "home_country")
    flow.answer(by_key["travel_planned"], True)
    flow.answer(by_key["location"], location)
    assert flow.answers().travel_planned is None  # the answer goes with the question
    asked = []
    while (question := flow.next_question()) is not None:
        asked.append(question.key)
        flow.dont_know(question)
    assert "travel_planned" not in asked


@pytest.mark.parametrize("code", ["bh", "XK", "ZZ", "EU", "Bahrain", ""])
def test_a_country_question_takes_only_a_country_code(
    shipped: tuple[Question, ...], code: str
) -> None:
    state = next(q for q in shipped if q.key == "state")
    with pytest.raises(ValueError, match="not a country code"):
        Flow(shipped).answer(state, code)


def test_measures_and_complaints_are_asked_only_for_the_bodies_that_take_them(
    shipped: tuple[Question, ...],
) -> None:
    by_key = {x.key: x for x in shipped}
    flow = Flow(shipped)
    flow.answer(by_key["stage"], "engaged")  # no reprisal questions
    for key in ("immediate_danger", "respondent", "location", "state", "region"):
        flow.dont_know(by_key[key])
    flow.answer(by_key["profile"], ("lawyer",))
    flow.answer(by_key["engagement"], ("special_procedures", "ohchr"))
    assert flow.next_question() is by_key["devices_compromised"]
    flow.answer(by_key["engagement"], ("inter_american_commission",))
    assert flow.next_question() is by_key["measures_in_force"]  # no treaty questions


def test_shipped_questions_reject_unknown_values() -> None:
    raw = yaml.safe_load((DATA / "questions.yaml").read_text(encoding="utf-8"))
    raw["questions"][2]["choices"][0]["value"] = "arrested"
    with pytest.raises(ValidationError, match="arrested"):
        validate(QuestionsFile, raw)
    raw = yaml.safe_load((DATA / "questions.yaml").read_text(encoding="utf-8"))
    raw["questions"][2]["key"] = "stages"
    with pytest.raises(ValidationError, match="unknown answer key"):
        validate(QuestionsFile, raw)


def test_full_flow_answers_round_trip_through_the_contract(shipped: tuple[Question, ...]) -> None:
    flow = Flow(shipped)
    while (question := flow.next_question()) is not None:
        if question.type == "select":
            flow.answer(question, question.choices[0].value)
        elif question.type == "checkbox":
            flow.answer(question, tuple(str(c.value) for c in question.choices[:2]))
        elif question.type == "country":
            flow.answer(question, "NI")
        else:
            flow.answer(question, "2025-03" if question.key == "incident_date" else "case-1")
    answers = flow.answers()
    assert answers.state == "NI"
    assert parse_answers(dump_answers(answers), "a.yaml") == answers


def test_progress_and_typing_problems_speak_the_interface_language() -> None:
    from reprisal_cli.i18n import use_lang

    flow = Flow(QUESTIONS)
    with use_lang("fr"):
        assert str(flow.progress()) == "Question 1 sur environ 8"
        assert text_problem("incident_date", "March") == (
            "Écrivez une année (2025), un mois (2025-03) ou un jour (2025-03-14)."
        )
        assert "64 caractères" in (text_problem("case_id", "-x") or "")
        assert (
            text_problem("notes", "x" * 4001)
            == "Utilisez au plus 4000 caractères (4001 actuellement)."
        )
    with use_lang("en"):
        assert text_problem("notes", "x" * 4001) == "Use at most 4000 characters (4001 now)."
        assert text_problem("notes", "x" * 4000) is None


def test_a_skipped_who_answers_asks_about_the_person_at_risk() -> None:
    """Left unanswered, "who is answering" makes the questions speak of the person at risk, as
    the plan will (contract §2: `person` only when the person answered): a relative is never
    asked about "your case" and gives "your" consent (red team 2026-12-03)."""
    from reprisal_cli.kb.loader import load_kb
    from reprisal_cli.questionnaire.flow import prompt_for

    kb = load_kb()
    flow = Flow(kb.questions)
    first = flow.next_question()
    assert first is not None and flow.respondent() is None  # not asked yet
    while (question := flow.next_question()) is not None and question.key != "respondent":
        flow.dont_know(question)
    assert question is not None
    flow.dont_know(question)
    assert flow.respondent() == "unknown"
    later = [q for q in kb.questions if q.prompt_other and q.key != "respondent"]
    assert later
    assert all(prompt_for(q, flow.respondent()) == q.prompt_other for q in later)
    self_flow = Flow(kb.questions)
    while (question := self_flow.next_question()) is not None and question.key != "respondent":
        self_flow.dont_know(question)
    assert question is not None
    self_flow.answer(question, "self")
    assert all(prompt_for(q, self_flow.respondent()) == q.prompt for q in later)


def test_a_date_after_today_is_said_to_be_one() -> None:
    """A consent day or an incident date after today is refused (red team red36: a consent
    typed for next week came into force by itself in a case file); the person is told why,
    not shown the format they already followed."""
    import datetime as dt

    from reprisal_cli.i18n import use_lang

    later = (dt.date.today() + dt.timedelta(days=6)).isoformat()
    today = dt.date.today().isoformat()
    with use_lang("en"):
        assert text_problem("consent_date", later) == (
            "This day is after today: give the day the consent was given or last confirmed."
        )
        assert text_problem("incident_date", later) == (
            "This date is in the future: give the date of an incident that has happened."
        )
        assert text_problem("consent_date", today) is None
        assert text_problem("consent_date", "2026-13-01") == (
            "Write a day as YYYY-MM-DD, for example 2026-03-14."
        )
    with use_lang("fr"):
        assert "postérieur à aujourd'hui" in (text_problem("consent_date", later) or "")


def test_a_person_answering_for_themselves_is_not_offered_missing(kb: Any) -> None:
    """Walked through as a defender (2026-12-04): "Where are you now?" offered "Missing, no one
    knows where" to a person answering for themselves. A choice's `when` (questions.yaml) takes
    it away for them; it stays for a relative, and for someone unknown; an answer already given
    or brought in (an answers file) is never taken away."""
    from reprisal_cli.questionnaire.flow import Flow

    location = next(q for q in kb.questions if q.key == "location")
    respondent = next(q for q in kb.questions if q.key == "respondent")

    def offered(who: str | None, prefill: Answers | None = None) -> list[object]:
        flow = Flow(kb.questions, prefill)
        if who is not None:
            flow.answer(respondent, who)
        return [c.value for c in flow.choices(location)]

    assert "whereabouts_unknown" not in offered("self")
    assert "in_detention" in offered("self")
    assert "whereabouts_unknown" in offered("family")
    assert "whereabouts_unknown" in offered(None)
    kept = Answers(respondent="self", location="whereabouts_unknown")
    assert "whereabouts_unknown" in offered("self", kept)
