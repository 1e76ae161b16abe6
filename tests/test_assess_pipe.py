"""Full `assess` sessions through the questionary front end, fed key presses by prompt_toolkit's
pipe input; and the plain (numbered) front end fed typed lines."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from reprisal_cli.answers import Answers, load_answers
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.questionnaire.plain import PlainUI
from reprisal_cli.questionnaire.prompts import QuestionaryUI
from reprisal_cli.questionnaire.session import Session
from reprisal_cli.render.card import hotline_lines

AS_OF = dt.date(2026, 11, 25)
DOWN = "\x1b[B"
UP = "\x1b[A"
ENTER = "\r"
SPACE = " "


def down(n: int) -> str:
    return DOWN * n


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as inp:
        yield inp


def run(
    kb: KnowledgeBase,
    pipe: PipeInput,
    keys: str,
    folder: Path,
    *,
    prefill: Answers | None = None,
    answers_out: Path | None = None,
    lang: str = "en",
) -> tuple[Answers, str]:
    screen = io.StringIO()
    ui = QuestionaryUI(Console(file=screen, width=100), input=pipe, output=DummyOutput())
    pipe.send_text(keys)
    pipe.close()  # the keys run out: end of input, not a hang
    session = Session(
        ui=ui, kb=kb, as_of=AS_OF, lang=lang, prefill=prefill, answers_out=answers_out,
        folder=folder,
    )  # fmt: skip
    return session.run(), screen.getvalue()


# One key script per shipped question, in order (danger now, a family member answering).
DANGER_YES = ENTER
RESPONDENT_FAMILY = down(1) + ENTER
STAGE_SUFFERED = down(3) + ENTER
STAGE_BACK = down(5) + ENTER  # planning, engaged, feared, suffered, don't know, back
REPRISALS_THREATS_DETENTION = SPACE + down(8) + SPACE + ENTER  # threats, detention
INCIDENT = "2025-03" + ENTER
LOCATION_HOME = ENTER
# A country: "Search for the country by name", the name typed, the first country found.
STATE_CHINA = ENTER + "China" + ENTER + ENTER
PROFILE_JOURNALIST = SPACE + ENTER
ENGAGEMENT_SP_TB = down(1) + SPACE + down(1) + SPACE + ENTER
TREATY_CAT = SPACE + ENTER
COMPLAINT_CAT = down(1) + SPACE + ENTER  # the Human Rights Committee comes first
MEASURES_NONE = ENTER  # nothing ticked: not known
DEVICES_YES = ENTER
OTHERS_FAMILY = SPACE + ENTER
TRAVEL_NO = down(1) + ENTER
# Consent questions: the pointer starts on "(no answer chosen yet)", then "Not decided yet",
# "Yes ...", "No ..." (the report: not decided, without names, with names, no).
SHARE_UNDECIDED = down(1) + ENTER
REGIONAL_ENTER_ALONE = ENTER  # records nothing (gate 10)
STATES_ENTER_ALONE = ENTER
PUBLICITY_NO = down(3) + ENTER
SG_REPORT_ANONYMOUS = down(2) + ENTER
GIVEN_BY_FAMILY = down(2) + ENTER  # asked once a consent is given
CONSENT_DATE = "2026-11-20" + ENTER
NOTES_SKIP = ENTER
CASE = "case-7" + ENTER
REVIEW_DONE = ENTER
MENU_SAVE_PLAN, MENU_SAVE_ANSWERS, MENU_CHECKLIST, MENU_CHANGE, MENU_FULL_PLAN, MENU_QUIT = (
    down(i) + ENTER for i in range(6)
)

ALL_QUESTIONS = (
    DANGER_YES
    + RESPONDENT_FAMILY
    + STAGE_BACK  # back to "who is answering" ...
    + ENTER  # ... which shows the previous answer (family): keep it
    + STAGE_SUFFERED
    + REPRISALS_THREATS_DETENTION
    + INCIDENT
    + LOCATION_HOME
    + STATE_CHINA  # at home: the region follows from the State, and is not asked
    + PROFILE_JOURNALIST
    + ENGAGEMENT_SP_TB
    + TREATY_CAT
    + COMPLAINT_CAT
    + MEASURES_NONE
    + DEVICES_YES
    + OTHERS_FAMILY
    + TRAVEL_NO
    + SHARE_UNDECIDED
    + REGIONAL_ENTER_ALONE
    + STATES_ENTER_ALONE
    + PUBLICITY_NO
    + SG_REPORT_ANONYMOUS
    + GIVEN_BY_FAMILY
    + CONSENT_DATE
    + NOTES_SKIP
    + CASE
)

EXPECTED = Answers(
    case_id="case-7",
    respondent="family",
    profile=("journalist",),
    engagement=("special_procedures", "treaty_bodies"),
    treaty_body=("cat",),
    individual_complaint=("cat",),
    stage="reprisal_suffered",
    reprisals=("threats", "detention"),
    incident_date="2025-03",
    immediate_danger=True,
    location="home_country",
    state="CN",
    consent_publicity="no",
    consent_share_with_un="undecided",
    consent_sg_report="anonymous",
    consent_given_by="family",
    consent_date="2026-11-20",
    devices_compromised=True,
    others_at_risk=("family",),
    travel_planned=False,
)


def test_full_run_with_back_shows_emergency_first_then_plan(
    kb: KnowledgeBase, pipe: PipeInput, tmp_path: Path
) -> None:
    answers, screen = run(kb, pipe, ALL_QUESTIONS + REVIEW_DONE + MENU_QUIT, tmp_path)
    assert answers == EXPECTED
    assert screen.index("Before you start") < screen.index("EMERGENCY CONTACTS")
    assert screen.index("EMERGENCY CONTACTS") < screen.index("Question 2 of about")
    # The danger screen holds the lines of the plan's emergency step and of the card, 24-hour
    # phone lines first, each with when it was last confirmed.
    emergency = screen[screen.index("EMERGENCY CONTACTS") : screen.index("Question 2 of about")]
    lines = hotline_lines(kb)
    assert lines and lines[0].how == "Phone"
    for line in lines:
        assert line.value in emergency
        assert line.marker in emergency  # when it was last confirmed, not a web fallback
    assert "if you cannot" not in emergency
    # Only lines that answer around the clock, as on the card (fix59: the web form stood here).
    assert "protectdefenders.eu" not in emergency.lower()
    assert "check this contact on the official page" not in emergency
    assert "Your answers" in screen
    # The consents skipped with Enter read as not answered, in their own block.
    review = screen[screen.rindex("Your answers") :]
    consents = review[review.index("Consent, by purpose:") :]
    assert "-> not answered" in consents
    # The list of answers is not numbered: only the menu under it is, so a number read in the
    # list can never open another question (red team red36: the list's 16 was the menu's 17).
    listed = review[: review.index("╯")]  # the panel of answers, before the menu
    assert re.search(r"(?m)^\W*\d+\. ", listed) is None, listed[:500]
    assert listed.count("│ - ") >= 10
    plan = evaluate(answers, kb, as_of=AS_OF)
    assert plan.steps[0].kind == "emergency"
    assert " ".join(plan.steps[0].title.split()) in " ".join(screen.split())  # wrapped or not
    assert list(tmp_path.iterdir()) == []  # nothing written unless chosen


def test_short_plan_first_then_the_full_plan_from_the_menu(
    kb: KnowledgeBase, pipe: PipeInput, tmp_path: Path
) -> None:
    _, short = run(kb, pipe, ALL_QUESTIONS + REVIEW_DONE + MENU_QUIT, tmp_path)
    plan_part = short[short.rindex("Action plan") :]
    assert "Do now" in plan_part and 'choose "See the full plan" in the menu below' in " ".join(
        plan_part.split()
    )
    assert "Steps, most urgent first" not in plan_part  # the full plan only when asked
    # "Do now" again, last before the menu: what a long plan leaves on the screen.
    assert plan_part.rindex("Do now (details above)") > plan_part.rindex("Later")
    keys = ALL_QUESTIONS + REVIEW_DONE + MENU_FULL_PLAN + MENU_QUIT
    with create_pipe_input() as again:
        _, screen = run(kb, again, keys, tmp_path)
    full = screen[screen.rindex("Action plan") :]
    assert full.index("Do now") < full.index("Steps, most urgent first")


def test_progress_is_shown(kb: KnowledgeBase, pipe: PipeInput, tmp_path: Path) -> None:
    _, screen = run(kb, pipe, ALL_QUESTIONS + REVIEW_DONE + MENU_QUIT, tmp_path)
    assert "Question 1 of about" in screen
    # Every question that applied was asked: the last one's number is the final estimate.
    last = re.findall(r"Question (\d+) of about (\d+)", screen)[-1]
    assert last[0] == last[1]


def test_save_plan_answers_and_checklist(
    kb: KnowledgeBase, pipe: PipeInput, tmp_path: Path
) -> None:
    from reprisal_cli.render import PLAN_FORMATS, render

    keys = ALL_QUESTIONS + REVIEW_DONE
    for index in range(len(PLAN_FORMATS)):
        keys += MENU_SAVE_PLAN + down(index) + ENTER + ENTER  # format, default file name
    keys += MENU_SAVE_ANSWERS + ENTER
    keys += MENU_SAVE_ANSWERS + ENTER + ENTER  # exists: "No, keep it" is the default
    keys += MENU_CHECKLIST + ENTER
    keys += MENU_QUIT
    answers, screen = run(kb, pipe, keys, tmp_path)
    plan = evaluate(answers, kb, as_of=AS_OF)
    for fmt in PLAN_FORMATS:
        saved = tmp_path / f"case-7-plan.{fmt}"
        expected = render(plan, fmt, kb)
        assert (saved.read_bytes() if isinstance(expected, bytes) else saved.read_text()) == (
            expected
        )
    saved_answers = load_answers(tmp_path / "case-7-answers.yaml")
    assert saved_answers == answers == EXPECTED
    assert evaluate(saved_answers, kb, as_of=AS_OF) == plan  # the round trip of contract §5
    assert "Nothing written: case-7-answers.yaml is unchanged." in screen
    checklist_ids = [c for step in plan.steps for c in step.checklist if c in kb.checklists]
    if checklist_ids:
        assert kb.checklists[checklist_ids[0]].title in screen


def test_review_change_drops_and_adds_questions(
    kb: KnowledgeBase, pipe: PipeInput, tmp_path: Path
) -> None:
    # In the review, change "stage" (the 3rd question listed, after the "done" line) to
    # "engaged": the reprisals and incident date answers are dropped.
    # The pointer starts on the current answer (reprisal suffered): two up is "engaged".
    keys = ALL_QUESTIONS + down(3) + ENTER + UP * 2 + ENTER + REVIEW_DONE + MENU_QUIT
    answers, _ = run(kb, pipe, keys, tmp_path)
    assert answers.stage == "engaged"
    assert answers.reprisals == () and answers.incident_date is None
    assert answers.treaty_body == ("cat",)
    # Then engagement: untick treaty bodies, and the committee answer goes too.
    keys = ALL_QUESTIONS + down(9) + ENTER + down(2) + SPACE + ENTER + REVIEW_DONE + MENU_QUIT
    with create_pipe_input() as other:
        answers, _ = run(kb, other, keys, tmp_path)
    assert answers.engagement == ("special_procedures",) and answers.treaty_body == ()
    assert answers.individual_complaint == ()
    assert answers.state == "CN"


def test_dont_know_everywhere_gives_a_cautious_plan(
    kb: KnowledgeBase, pipe: PipeInput, tmp_path: Path
) -> None:
    keys = ""
    for question in kb.questions:
        if question.key in (
            "treaty_body",
            "individual_complaint",
            "measures_in_force",
            "residence",
            "consent_share_with_government",
            "consent_given_by",
            "consent_date",
        ):
            continue  # asked only for some bodies or States, abroad, or when a consent was given
        if question.type == "text":
            keys += ENTER
            continue
        if question.type == "country":
            keys += down(1) + ENTER  # after "Search for the country by name"
            continue
        position = len(question.choices)  # "I don't know" follows the choices
        if question.key.startswith("consent_"):
            position += 1  # after "(no answer chosen yet)"
        keys += down(position) + (ENTER if question.type == "select" else SPACE + ENTER)
    answers, screen = run(kb, pipe, keys + REVIEW_DONE + MENU_QUIT, tmp_path)
    assert answers.present() == {}
    plan = evaluate(answers, kb, as_of=AS_OF)
    assert not any(step.public for step in plan.steps)
    # Danger not known: the emergency contacts come at once, as a precaution (issue 25).
    assert screen.index("EMERGENCY CONTACTS") < screen.index("Question 2 of")


def test_prefill_resumes_and_answers_out_is_written(
    kb: KnowledgeBase, pipe: PipeInput, tmp_path: Path
) -> None:
    prefill = replace(EXPECTED, case_id=None, notes=None)
    out = tmp_path / "a.yaml"
    # Only the questions without an answer in the file are asked (the consents it does not give,
    # notes, case label); not the region, which follows from the State.
    keys = MEASURES_NONE + REGIONAL_ENTER_ALONE + STATES_ENTER_ALONE
    keys += NOTES_SKIP + "resumed" + ENTER + REVIEW_DONE + MENU_QUIT
    answers, screen = run(kb, pipe, keys, tmp_path, prefill=prefill, answers_out=out)
    assert answers == replace(EXPECTED, case_id="resumed")
    assert load_answers(out) == answers
    assert screen.index("EMERGENCY CONTACTS") < screen.index("Question")


def test_ctrl_c_and_end_of_input_stop_at_once_and_write_nothing(
    kb: KnowledgeBase, pipe: PipeInput, tmp_path: Path
) -> None:
    with pytest.raises(KeyboardInterrupt):
        run(kb, pipe, DANGER_YES + RESPONDENT_FAMILY + "\x03", tmp_path, answers_out=tmp_path / "a")
    assert list(tmp_path.iterdir()) == []
    with create_pipe_input() as other, pytest.raises(EOFError):
        run(kb, other, DANGER_YES + "\x04", tmp_path)
    with create_pipe_input() as short, pytest.raises(EOFError):
        run(kb, short, DANGER_YES, tmp_path)  # the input ends
    assert list(tmp_path.iterdir()) == []


def test_plain_front_end_numbers_choices(kb: KnowledgeBase, tmp_path: Path) -> None:
    # Replies by question, read off the prompt shown last; what is left over answers the stage
    # question again after "back", the review and the menu.
    by_prompt: dict[str, list[str]] = {}
    for question in kb.questions:
        if question.key == "immediate_danger":
            reply = ["2"]
        elif question.key == "respondent":
            reply = ["1", ""]  # then, after "back" from the stage: Enter keeps it
        elif question.key == "stage":
            reply = ["9", str(len(question.choices) + 2), "2"]  # bad number, back, then 2
        elif question.key.startswith("consent_"):
            reply = [""]  # Enter alone: no answer (gate 10)
        elif question.type == "country":
            # Search, a name no country has, search again, part of a name, the first found.
            reply = ["1", "Atlantis", "1", "bahr", "1"]
        elif question.type == "text":
            reply = [""]
        elif question.type == "checkbox":
            reply = ["1 2" if question.key == "engagement" else "1"]
        else:
            reply = ["1"]
        by_prompt[question.prompt] = reply
    tail = iter(["", "6"])  # review: done; menu: quit
    lines: list[str] = []

    def read(prompt: str) -> str:
        asked = next((line for line in reversed(lines) if line in by_prompt), None)
        lines.append(prompt)
        replies = by_prompt.get(asked or "", [])
        return replies.pop(0) if replies else next(tail)

    ui = PlainUI(read=read, write=lambda text: lines.append(str(text)))
    answers = Session(ui=ui, kb=kb, as_of=AS_OF, folder=tmp_path).run()
    output = "\n".join(lines)
    assert answers.respondent == "self" and answers.stage == "engaged"
    assert answers.state == "BH" and answers.residence is None
    assert "No country found for 'Atlantis'. Try fewer letters." in output
    assert "  1. Bahrain" in output
    assert answers.immediate_danger is False
    assert not [key for key in answers.present() if key.startswith("consent")]
    assert "(Enter alone leaves it unanswered)" in output
    assert "  1. I am the person at risk" in output
    assert "Please type a number from 1 to" in output
    assert "\x1b" not in output and "╭" not in output
    assert list(tmp_path.iterdir()) == []


def test_standard_input_not_a_terminal_points_to_plan(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reprisal_cli.cli import app

    result = CliRunner().invoke(app, ["assess", "--answers-out", str(tmp_path / "a.yaml")])
    assert result.exit_code == 2
    assert "not" in result.output and "terminal" in result.output
    assert "reprisal-cli plan" in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_language_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    """`assess` runs inside the one error boundary, as every command does: an unknown --lang is
    the contract's exit 2 with one line saying what is accepted (it was a traceback)."""
    import subprocess
    import sys

    script = Path(sys.executable).with_name("reprisal-cli")
    done = subprocess.run(
        [str(script), "assess", "--lang", "xx"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == (
        "error: --lang: unknown language 'xx'\nUse one of: en, fr, es, ar, ru, zh.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_terminal_escapes_in_texts_never_reach_the_screen(pipe: PipeInput) -> None:
    hostile = "\x1b]0;pwned\x07\x1b[31mred \u202egnp.exe"
    lines: list[str] = []
    PlainUI(read=lambda _: "", write=lines.append).show(hostile, title=hostile)
    screen = io.StringIO()
    QuestionaryUI(Console(file=screen), input=pipe, output=DummyOutput()).show(
        hostile, title="Note " + hostile
    )
    for shown in ("\n".join(lines), screen.getvalue()):
        assert "red" in shown
        assert not any(c in shown for c in ("\x1b", "\x07", "\u202e"))


def test_ticked_answers_and_the_full_plan_hint_are_in_the_readers_language(
    kb: KnowledgeBase, pipe: PipeInput, tmp_path: Path
) -> None:
    """Walked through in French (2026-12-04): after each list to tick, questionary left
    "done (4 selections)" (or "done" when nothing was ticked) on screen, in English in every
    language; and the short plan ended "ajoutez --full", an option `assess` has not got (its
    menu shows the full plan). Now the ticked answers are said in the reader's language, and
    the hint names the menu's choice."""
    from reprisal_cli.engine.evaluate import translated
    from reprisal_cli.i18n import use_lang

    french = translated(kb, kb.translations["fr"])  # as `assess --lang fr` loads it
    with use_lang("fr"):
        _, screen = run(french, pipe, ALL_QUESTIONS + REVIEW_DONE + MENU_QUIT, tmp_path, lang="fr")
    assert "selections" not in screen and "done" not in screen
    assert "? Qu'est-il arrivé à la personne en danger, ou que craint-elle ? Menaces ; " in screen
    assert "Arrestation ou détention" in screen
    assert "? Des mesures de protection de l'un de ces organes couvrent-elles déjà la" in screen
    said = " ".join(screen.split())  # lines as wrapped at the console's width, joined
    assert "couvrent-elles déjà la personne en danger ? (rien de coché)" in said
    assert "--full" not in screen
    assert "choisissez « Voir le plan complet » dans le menu" in said
