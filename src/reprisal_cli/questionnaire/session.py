"""One `assess` session from start to end: the safety note, the questions, the review, the plan
and the menu, in that order; each step is its own module (`asking`, `review`, `emergency`,
`saving`).

The session talks to the user only through a `UI` (`ui.py`: the questionary front end in
`prompts.py`, or the numbered plain front end in `plain.py`), so the same script runs in a real
terminal, under a screen reader, and in tests. Nothing is written to disk unless the user chooses
it in the menu (or passed `--answers-out`). Ctrl-C and end of input propagate as
KeyboardInterrupt / EOFError.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reprisal_cli.answers import Answers
from reprisal_cli.i18n import N_, _, current_lang
from reprisal_cli.questionnaire.asking import ask
from reprisal_cli.questionnaire.emergency import show_emergency
from reprisal_cli.questionnaire.flow import ABSENT, Flow
from reprisal_cli.questionnaire.review import review
from reprisal_cli.questionnaire.saving import Saver
from reprisal_cli.questionnaire.ui import UI, Option, Special

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan
    from reprisal_cli.kb.knowledge import KnowledgeBase

PLAIN_COPY = N_(
    "This answers file is NOT encrypted, though the answers came from an encrypted file: delete "
    "it when you no longer need it, or save it with --encrypt next time."
)
SAFETY_NOTE = N_(
    "This tool helps you make a plan when you, or someone you help, face reprisals for working "
    "with the UN or a regional human rights body.\n"
    "- It does not contact anyone and never connects to the network.\n"
    "- It gives no physical protection. If you are in danger, use the emergency contacts first.\n"
    "- Nothing is saved unless you choose to save it at the end.\n"
    '- You can skip any question: choose "I don\'t know / prefer not to say".\n'
    "- Press Ctrl-C at any time to leave at once."
)


class Menu(enum.Enum):
    SAVE_PLAN = N_("Save the plan to a file")
    SAVE_ANSWERS = N_("Save the answers to a file (to resume or to run `reprisal-cli plan`)")
    CHECKLIST = N_("Show a checklist")
    CHANGE = N_("Change answers")
    FULL_PLAN = N_("See the full plan, page by page (every contact, source and warning)")
    QUIT = N_("Quit")


@dataclass
class Session:
    """Everything one run needs; `run()` drives it to the end."""

    ui: UI
    kb: KnowledgeBase
    as_of: dt.date
    lang: str = "en"
    prefill: Answers | None = None
    answers_out: Path | None = None
    folder: Path = Path()
    # Files saved are encrypted (age) with the passphrase this gives, asked once at the first save.
    passphrase: Callable[[], str] | None = None
    # Without `passphrase`: how to ask for one (twice, with the strength check) when the user
    # chooses to encrypt a file in the menu. None: encryption is not offered.
    new_passphrase: Callable[[], str] | None = None
    # Files saved leave out free text (case id, notes).
    redact: bool = False
    # Called with the answers each time the user confirms them (`assess --case` saves them).
    on_confirm: Callable[[Answers], None] | None = None
    # Makes the plan instead of the engine alone (`assess --case`: the case's plan).
    planner: Callable[[Answers], Plan] | None = None
    # The prefill came from an encrypted file (a case file, encrypted answers): a plain
    # --answers-out is a readable copy of it, and the session says so (red team red38).
    from_encrypted: bool = False
    saver: Saver = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.saver = Saver(
            self.ui, self.kb, self.folder, self.passphrase, self.new_passphrase, self.redact
        )

    def run(self) -> Answers:
        """The whole session; returns the final answers."""
        flow = Flow(self.kb.questions, self.prefill)
        self.ui.show(_(SAFETY_NOTE), title=_("Before you start"))
        if self.prefill is not None and self.prefill.immediate_danger:
            self.show_emergency()
        while True:
            self.ask_all(flow)
            if review(self.ui, flow, self.show_emergency):
                break
        answers = self.confirmed(flow)
        if self.answers_out is not None:
            encrypted = self.passphrase is not None
            self.saver.write(
                self.answers_out, self.saver.answers_file(answers), "answers", encrypted
            )
            if self.from_encrypted and not encrypted:
                self.ui.show(_(PLAIN_COPY))
        plan = self.make_plan(answers)
        self.ui.show_plan(plan, self.kb)
        while True:
            action = self.menu(plan, answers)
            if action is Menu.QUIT:
                return answers
            if action is Menu.CHANGE:
                while not review(self.ui, flow, self.show_emergency):
                    self.ask_all(flow)
                answers = self.confirmed(flow)
                plan = self.make_plan(answers)
                self.ui.show_plan(plan, self.kb)

    def confirmed(self, flow: Flow) -> Answers:
        """The answers the user has just confirmed, handed to `on_confirm`."""
        answers = flow.answers()
        if self.on_confirm is not None:
            self.on_confirm(answers)
        return answers

    # -- questions ---------------------------------------------------------------------------

    def ask_all(self, flow: Flow) -> None:
        """Ask until every question that applies has an answer."""
        while (question := flow.next_question()) is not None:
            value = ask(self.ui, flow, question)
            if isinstance(value, Special):
                flow.back()
                continue
            flow.answer(question, value)
            if question.key == "immediate_danger" and value in (True, ABSENT):
                self.show_emergency()  # "I don't know": shown too, as a precaution

    # -- safety ------------------------------------------------------------------------------

    def show_emergency(self) -> None:
        """The emergency contacts, at once."""
        show_emergency(self.ui, self.kb)

    # -- plan and menu -------------------------------------------------------------------------

    def make_plan(self, answers: Answers) -> Plan:
        # lazy: loaded only when the questionnaire needs it (bench/startup)
        from reprisal_cli.engine.evaluate import evaluate

        if self.planner is not None:
            return self.planner(answers)
        return evaluate(answers, self.kb, as_of=self.as_of, lang=self.lang)

    def menu(self, plan: Plan, answers: Answers) -> Menu:
        """One pass through the menu; returns the action taken."""
        options = [Option(_(m.value), m) for m in Menu]
        action = self.ui.select(_("What next?"), options)
        assert isinstance(action, Menu)
        if action is Menu.SAVE_PLAN:
            self.saver.save_plan(plan, self.saver.choose_encryption())
        elif action is Menu.SAVE_ANSWERS:
            self.saver.save_answers(answers, self.saver.choose_encryption())
        elif action is Menu.CHECKLIST:
            self.show_checklist(plan)
        elif action is Menu.FULL_PLAN:
            self.ui.show_full_plan(plan, self.kb)
        return action

    def show_checklist(self, plan: Plan) -> None:
        # lazy: loaded only when the questionnaire needs it (bench/startup)
        from reprisal_cli.render.text import checklist_text

        ids: list[str] = []
        for step in plan.steps:
            ids += [c for c in step.checklist if c in self.kb.checklists and c not in ids]
        if not ids:
            self.ui.show(_("This plan names no checklist."))
            return
        options = [Option(self.kb.checklists[i].title, i) for i in ids]
        chosen = self.ui.select(_("Which checklist?"), options, default=ids[0])
        assert isinstance(chosen, str)
        self.ui.show(checklist_text(self.kb.checklists[chosen], current_lang()))
