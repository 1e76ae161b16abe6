"""One `assess` session: the safety note, the questions, the review, the plan and the menu.

The session talks to the user only through a `UI` (the questionary front end in `prompts.py`, or
the numbered plain front end in `plain.py`), so the same script runs in a real terminal, under a
screen reader, and in tests. Nothing is written to disk unless the user chooses it in the menu
(or passed `--answers-out`). Ctrl-C and end of input propagate as KeyboardInterrupt / EOFError.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from reprisal_cli.answers import Answers, dump_answers
from reprisal_cli.contract import CONSENT_KEYS
from reprisal_cli.errors import OutputError, UsageError
from reprisal_cli.i18n import N_, _, current_lang
from reprisal_cli.questionnaire.flow import (
    ABSENT,
    BACK_LABEL,
    DONT_KNOW_LABEL,
    Flow,
    Recorded,
    prompt_for,
    validate_text,
)

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan
    from reprisal_cli.kb.knowledge import KnowledgeBase
    from reprisal_cli.kb.questions import Question


class Special(enum.Enum):
    """Choices every question offers besides its own."""

    DONT_KNOW = "dont_know"
    BACK = "back"
    DONE = "done"
    NO_ANSWER = "no_answer"  # Enter pressed without choosing (consent questions)
    SEARCH = "search"  # look for a country by name


@dataclass(frozen=True)
class Option:
    """One choice as shown: its label, the value it stands for, and optional help."""

    label: str
    value: object
    help: str | None = None


class UI(Protocol):
    """What a front end offers the session. Each ask may raise KeyboardInterrupt or EOFError."""

    def show(self, text: str, *, title: str | None = None) -> None:
        """Show a paragraph (a title makes it a heading or a framed note)."""

    def select(
        self,
        message: str,
        options: Sequence[Option],
        default: object = None,
        unanswered: object = None,
    ) -> object:
        """One choice; returns the chosen option's value. With `unanswered`, nothing is chosen
        in advance, and Enter without a choice returns `unanswered`."""

    def checkbox(
        self, message: str, options: Sequence[Option], default: Sequence[object] = ()
    ) -> list[object]:
        """Any number of choices; returns the chosen values in option order."""

    def text(
        self, message: str, default: str = "", validate: Callable[[str], str | None] | None = None
    ) -> str:
        """A line of text; `validate` returns an error message or None."""

    def file_name(self, message: str, suggestion: str) -> str:
        """A file name: Enter alone gives `suggestion`; what is typed replaces it whole."""

    def show_plan(self, plan: Plan, kb: KnowledgeBase) -> None:
        """The plan as `reprisal-cli plan` shows it."""

    def show_full_plan(self, plan: Plan, kb: KnowledgeBase) -> None:
        """The plan as `reprisal-cli plan --full` shows it, in a pager where there is one."""


TEXT_BACK = "<"

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
    _passphrase: str | None = field(default=None, init=False, repr=False)

    def run(self) -> Answers:
        """The whole session; returns the final answers."""
        flow = Flow(self.kb.questions, self.prefill)
        self.ui.show(_(SAFETY_NOTE), title=_("Before you start"))
        if self.prefill is not None and self.prefill.immediate_danger:
            self.show_emergency()
        while True:
            self.ask_all(flow)
            if self.review(flow):
                break
        answers = self.confirmed(flow)
        if self.answers_out is not None:
            encrypted = self.passphrase is not None
            self.write(self.answers_out, self.answers_file(answers), "answers", encrypted)
        plan = self.make_plan(answers)
        self.ui.show_plan(plan, self.kb)
        while True:
            action = self.menu(plan, answers)
            if action is Menu.QUIT:
                return answers
            if action is Menu.CHANGE:
                while not self.review(flow):
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
            value = self.ask(flow, question)
            if isinstance(value, Special):
                flow.back()
                continue
            flow.answer(question, value)
            if question.key == "immediate_danger" and value in (True, ABSENT):
                self.show_emergency()  # "I don't know": shown too, as a precaution

    def ask(self, flow: Flow, question: Question) -> Recorded | Special:
        """Show one question; returns the answer, `ABSENT`, or `Special.BACK`."""
        respondent = flow.answers().respondent
        progress = flow.progress()
        intro = [_("Why we ask: {why}").format(why=question.why)]
        if question.help:
            intro.append(question.help)
        self.ui.show("\n".join(intro), title=str(progress))
        message = prompt_for(question, respondent)
        default = flow.default(question)
        back = flow.can_go_back()
        if question.type == "text":
            hint = _("Press Enter on an empty line to skip.")
            if back:
                hint += " " + _("Type {back} to go back.").format(back=TEXT_BACK)
            self.ui.show(hint)

            def check(text: str) -> str | None:
                if back and text.strip() == TEXT_BACK:
                    return None
                return validate_text(question, text)

            typed = self.ui.text(
                message, default=default if isinstance(default, str) else "", validate=check
            )
            if back and typed.strip() == TEXT_BACK:
                return Special.BACK
            return typed.strip() or ABSENT
        if question.type == "country":
            return self.ask_country(message, default, back)
        options = [Option(c.label, c.value, c.help) for c in question.choices]
        options.append(Option(_(DONT_KNOW_LABEL), Special.DONT_KNOW))
        if back:
            options.append(Option(_(BACK_LABEL), Special.BACK))
        if question.type == "select":
            if question.key in CONSENT_KEYS.values() and default in (None, ABSENT):
                # Gate 10: no consent by default, and Enter alone gives none.
                chosen = self.ui.select(message, options, unanswered=Special.NO_ANSWER)
            else:
                chosen = self.ui.select(
                    message,
                    options,
                    default=Special.DONT_KNOW if default is ABSENT else default,
                )
            if chosen in (Special.DONT_KNOW, Special.NO_ANSWER):
                return ABSENT
            if chosen is Special.BACK:
                return Special.BACK
            return chosen  # type: ignore[return-value]
        ticked = self.ui.checkbox(
            message,
            options,
            default=default if isinstance(default, tuple) else (),
        )
        if Special.BACK in ticked:
            return Special.BACK
        chosen = tuple(str(v) for v in ticked if not isinstance(v, Special))
        if Special.DONT_KNOW in ticked and not chosen:
            return ABSENT
        # What was ticked is known, even beside "I don't know"; nothing ticked is an answer
        # where the contract reads an empty list as one ("no one else"), else not known.
        return chosen

    def ask_country(self, message: str, default: Recorded | None, back: bool) -> Recorded | Special:
        """A country, found by typing part of its name (in the interface language or English,
        or its code) and picked from the countries found; the answer is its ISO code."""
        from reprisal_cli.countries import country_name, find_countries

        lang = current_lang()
        while True:
            options = []
            if isinstance(default, str):
                options.append(Option(country_name(default, lang), default))
            options.append(Option(_("Search for the country by name"), Special.SEARCH))
            options.append(Option(_(DONT_KNOW_LABEL), Special.DONT_KNOW))
            if back:
                options.append(Option(_(BACK_LABEL), Special.BACK))
            chosen = self.ui.select(
                message, options, default=Special.DONT_KNOW if default is ABSENT else default
            )
            if chosen is Special.DONT_KNOW:
                return ABSENT
            if chosen is Special.BACK:
                return Special.BACK
            if chosen is not Special.SEARCH:
                return chosen  # type: ignore[return-value]
            typed = self.ui.text(_("Type part of the country's name, or its two-letter code:"))
            found = find_countries(typed, lang)
            if not found:
                if typed.strip():
                    self.ui.show(
                        _("No country found for '{text}'. Try fewer letters.").format(
                            text=typed.strip()
                        )
                    )
                continue
            matches = [Option(country_name(code, lang), code) for code in found]
            matches.append(Option(_("Search again"), Special.SEARCH))
            matches.append(Option(_(DONT_KNOW_LABEL), Special.DONT_KNOW))
            picked = self.ui.select(_("Which country?"), matches, default=found[0])
            if picked is Special.DONT_KNOW:
                return ABSENT
            if picked is not Special.SEARCH:
                return picked  # type: ignore[return-value]

    def review(self, flow: Flow) -> bool:
        """The review screen; True when the user is done, False when questions were added."""
        while True:
            items = flow.review()
            respondent = flow.answers().respondent
            # The consents in one block, after the other answers, under their own heading.
            consents = [it for it in items if it.question.key in CONSENT_KEYS.values()]
            items = [it for it in items if it not in consents] + consents
            lines = [
                f"{i}. {prompt_for(it.question, respondent)}\n   -> {it.shown}"
                for i, it in enumerate(items, 1)
            ]
            if consents:
                lines.insert(len(items) - len(consents), _("Consent, by purpose:"))
            self.ui.show("\n".join(lines), title=_("Your answers"))
            options = [Option(_("These answers are right: show the plan"), Special.DONE)]
            options += [
                Option(
                    _("Change: {question}").format(question=prompt_for(it.question, respondent)),
                    it.question.id,
                )
                for it in items
            ]
            chosen = self.ui.select(_("Check your answers."), options, default=Special.DONE)
            if chosen is Special.DONE:
                return True
            question = next(q for q in flow.questions if q.id == chosen)
            value = self.ask(flow, question)
            if isinstance(value, Special):
                continue
            flow.change(question, value)
            if question.key == "immediate_danger" and value in (True, ABSENT):
                self.show_emergency()
            if flow.next_question() is not None:
                return False

    # -- safety ------------------------------------------------------------------------------

    def show_emergency(self) -> None:
        """The emergency contacts, at once."""
        lines = emergency_lines(self.kb)
        text = (
            _(
                "If you are in danger now, contact one of these first. They work around the "
                "clock or answer fast. UN bodies give no physical protection."
            )
            + "\n"
            + "\n".join(lines)
        )
        self.ui.show(text, title=_("EMERGENCY CONTACTS"))

    # -- plan and menu -------------------------------------------------------------------------

    def make_plan(self, answers: Answers) -> Plan:
        # lazy: loaded only when the questionnaire needs it (bench/startup)
        from reprisal_cli.engine import evaluate

        if self.planner is not None:
            return self.planner(answers)
        return evaluate(answers, self.kb, as_of=self.as_of, lang=self.lang)

    def menu(self, plan: Plan, answers: Answers) -> Menu:
        """One pass through the menu; returns the action taken."""
        options = [Option(_(m.value), m) for m in Menu]
        action = self.ui.select(_("What next?"), options)
        assert isinstance(action, Menu)
        if action is Menu.SAVE_PLAN:
            self.save_plan(plan, self.choose_encryption())
        elif action is Menu.SAVE_ANSWERS:
            encrypted = self.choose_encryption()
            name = self.ui.file_name(
                _("File name for the answers:"), self.file_name(answers, encrypted=encrypted)
            )
            if name.strip():
                self.write(Path(name.strip()), self.answers_file(answers), "answers", encrypted)
        elif action is Menu.CHECKLIST:
            self.show_checklist(plan)
        elif action is Menu.FULL_PLAN:
            self.ui.show_full_plan(plan, self.kb)
        return action

    def choose_encryption(self) -> bool:
        """Whether the file about to be saved is encrypted: always with --encrypt; else the
        user chooses, encrypted first."""
        if self.passphrase is not None:
            return True
        if self.new_passphrase is None:
            return False
        options = [
            Option(_("Encrypted with a passphrase (recommended)"), True, _(ENCRYPTED_HELP)),
            Option(_("Not encrypted: anyone with this computer can read it"), False),
        ]
        return self.ui.select(_("How should the file be saved?"), options, default=True) is True

    def file_name(
        self, answers: Answers, kind: str = "answers", ext: str = "yaml", *, encrypted: bool
    ) -> str:
        stem = f"{answers.case_id}-{kind}" if answers.case_id and not self.redact else kind
        name = f"{stem}.{ext}"
        return f"{name}.age" if encrypted else name

    def answers_file(self, answers: Answers) -> str:
        return dump_answers(answers.redacted() if self.redact else answers)

    def save_plan(self, plan: Plan, encrypted: bool) -> None:
        # lazy: loaded only when the questionnaire needs it (bench/startup)
        from reprisal_cli.render import PLAN_FORMATS, RenderOptions, render, suffix_format

        options = [
            Option(_(_FORMAT_NAMES[f]) if f in _FORMAT_NAMES else f, f) for f in PLAN_FORMATS
        ]
        fmt = self.ui.select(_("Which format?"), options, default=PLAN_FORMATS[0])
        assert isinstance(fmt, str)
        stem = f"{plan.case_id}-plan" if plan.case_id and not self.redact else "plan"
        default = f"{stem}.{fmt}" + (".age" if encrypted else "")
        name = self.ui.file_name(_("File name for the plan:"), default)
        named = suffix_format(Path(name.strip()))
        if named not in (None, fmt):  # a PDF must never land in a .txt (as in `plan -o`)
            wrong = _(
                "Nothing written: the file name {file} says .{suffix}, but the format is {format}."
            )
            self.ui.show(wrong.format(file=name.strip(), suffix=named, format=fmt))
            return
        if name.strip():

            def data() -> str | bytes:
                options = RenderOptions(redact=self.redact, lang=current_lang())
                return render(plan, fmt, self.kb, options)

            self.write(Path(name.strip()), data, "plan", encrypted)

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

    def write(
        self,
        path: Path,
        data: str | bytes | Callable[[], str | bytes],
        what: str,
        encrypted: bool,
    ) -> bool:
        """Write a file the user chose, asking before replacing one; False if not written.

        `encrypted`: the file is encrypted with the session's passphrase (asked at the first
        encrypted save, before `data` is made when it is a function, so that the prompt comes
        at once) and its name ends in `.age`."""
        # lazy: loaded only when the questionnaire needs it (bench/startup)
        from reprisal_cli.output import write_atomic

        if encrypted:
            # lazy: loaded only when the questionnaire needs it (bench/startup)
            from reprisal_cli.crypto import with_age_suffix

            path = with_age_suffix(path)
        failed = _("Could not save the plan: {error}")
        if what == "answers":
            failed = _("Could not save the answers: {error}")
        if not encrypted and path.name.lower().endswith(".age"):  # only encrypted files end so
            problem = _("{file} ends in .age but would not be encrypted").format(file=path)
            self.ui.show(failed.format(error=problem))
            return False
        target = path if path.is_absolute() else self.folder / path
        force = False
        if target.exists() or target.is_symlink():
            replace = self.ui.select(
                _("{file} already exists. Replace it?").format(file=path),
                [Option(_("No, keep it"), False), Option(_("Yes, replace it"), True)],
                default=False,
            )
            if replace is not True:
                self.ui.show(_("Nothing written: {file} is unchanged.").format(file=path))
                return False
            force = True
        try:
            passphrase = None
            if encrypted:
                from reprisal_cli.output import check_target

                check_target(target, force=force)
                passphrase = self.session_passphrase()
            payload = data() if callable(data) else data
            if passphrase is not None:
                from reprisal_cli.crypto import encrypt_passphrase

                self.ui.show(_("Encrypting: this can take a few seconds."))
                payload = encrypt_passphrase(payload, passphrase)
            write_atomic(target, payload, force=force)
        except (OutputError, UsageError) as exc:
            self.ui.show(failed.format(error=exc.render()))
            return False
        self.ui.show(_saved(what, encrypted).format(file=path))
        return True

    def session_passphrase(self) -> str:
        """The session's passphrase, asked for at the first encrypted save."""
        source = self.passphrase or self.new_passphrase
        assert source is not None
        if self._passphrase is None:
            self._passphrase = source()
        return self._passphrase


ENCRYPTED_HELP = N_("Only someone with the passphrase can open it.")

_FORMAT_NAMES = {
    "txt": N_("Plain text (.txt)"),
    "md": N_("Markdown (.md)"),
    "json": N_("JSON, for other tools (.json)"),
    "html": N_("Web page (.html)"),
    "pdf": N_("PDF, for printing (.pdf)"),
}


def _saved(what: str, encrypted: bool) -> str:
    if what == "answers":
        if encrypted:
            return _("Saved the answers to {file} (encrypted).")
        return _("Saved the answers to {file}.")
    if encrypted:
        return _("Saved the plan to {file} (encrypted).")
    return _("Saved the plan to {file}.")


def emergency_lines(kb: KnowledgeBase) -> list[str]:
    """The 24-hour lines, one each: who, how and when, and for a line not confirmed lately what
    to check it with. The same lines as the plan's emergency step, the card and the paper form
    (`engine.contacts.hotlines`), in the interface language."""
    # lazy: loaded only when the questionnaire needs it (bench/startup)
    from reprisal_cli.render.card import hotline_lines, line_words

    lines = []
    for line in hotline_lines(kb):
        who, value, note = line_words(line)
        lines.append(f"- {who}: {value}")
        if note:
            lines.append(f"  {note}")
    return lines
