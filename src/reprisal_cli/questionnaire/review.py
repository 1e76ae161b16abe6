"""The review screen: every answer given, the consents in a block of their own, and changing
any of them before the plan is made."""

from __future__ import annotations

from collections.abc import Callable

from reprisal_cli.contract import CONSENT_KEYS
from reprisal_cli.i18n import _
from reprisal_cli.questionnaire.asking import ask
from reprisal_cli.questionnaire.flow import ABSENT, Flow, prompt_for
from reprisal_cli.questionnaire.ui import UI, Option, Special


def review(ui: UI, flow: Flow, on_danger: Callable[[], None]) -> bool:
    """The review screen; True when the user is done, False when questions were added.
    `on_danger` is called when an answer changed to "in danger now" (or "I don't know")."""
    while True:
        items = flow.review()
        respondent, location = flow.respondent(), flow.location()
        # The consents in one block, after the other answers, under their own heading.
        consents = [it for it in items if it.question.key in CONSENT_KEYS.values()]
        items = [it for it in items if it not in consents] + consents
        # Not numbered: the menu below numbers its own options ("These answers are right"
        # first), and a number here that was not the menu's opened the wrong question (red
        # team red36: "16." in the list was the menu's 17).
        lines = [
            f"- {prompt_for(it.question, respondent, location)}\n   -> {it.shown}" for it in items
        ]
        if consents:
            lines.insert(len(items) - len(consents), _("Consent, by purpose:"))
        ui.show("\n".join(lines), title=_("Your answers"))
        options = [Option(_("These answers are right: show the plan"), Special.DONE)]
        options += [
            Option(
                _("Change: {question}").format(
                    question=prompt_for(it.question, respondent, location)
                ),
                it.question.id,
            )
            for it in items
        ]
        chosen = ui.select(_("Check your answers."), options, default=Special.DONE)
        if chosen is Special.DONE:
            return True
        question = next(q for q in flow.questions if q.id == chosen)
        value = ask(ui, flow, question)
        if isinstance(value, Special):
            continue
        flow.change(question, value)
        if question.key == "immediate_danger" and value in (True, ABSENT):
            on_danger()
        if flow.next_question() is not None:
            return False
