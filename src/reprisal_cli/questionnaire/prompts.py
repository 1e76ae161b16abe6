"""The questionary front end of `assess`: arrow keys, space to tick, Enter to confirm.

The only module of the questionnaire that imports questionary and prompt_toolkit. Prompts keep
their input history in memory only: nothing a defender types is written to disk.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.key_binding.key_processor import KeyPressEvent
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from reprisal_cli.i18n import _, current_lang
from reprisal_cli.questionnaire.ui import Option, same_value
from reprisal_cli.render.bidi import terminal_does_visual, visual_line
from reprisal_cli.render.escape import clean
from reprisal_cli.render.html import text_dir
from reprisal_cli.render.labels import clauses, width, wrap, wrap_lines

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

    from reprisal_cli.engine.plan import Plan
    from reprisal_cli.kb.knowledge import KnowledgeBase

STYLE = questionary.Style([("qmark", "bold"), ("question", "bold"), ("instruction", "italic")])


class QuestionaryUI:
    """Prompts with questionary; text and the plan through a rich console."""

    def __init__(
        self,
        console: Console | None = None,
        *,
        input: Input | None = None,
        output: Output | None = None,
    ) -> None:
        self.console = console or Console(highlight=False)
        self._io: dict[str, Any] = {}
        if input is not None:
            self._io["input"] = input
        if output is not None:
            self._io["output"] = output

    def _shown(self, text: str) -> str:
        """`text` cleaned; in right-to-left languages on a terminal without bidi, wrapped and each
        line shaped and put in display order (`render.bidi`), as the plan is."""
        text = clean(text)
        if not self._visual():
            return text
        columns = max(self.console.width - 6, 20)
        return "\n".join(
            visual_line(row) for line in text.splitlines() for row in wrap(line, columns)
        )

    def _visual(self) -> bool:
        """Whether text goes out shaped and in display order (right to left, on a terminal
        that does no bidi itself)."""
        return text_dir(current_lang()) == "rtl" and terminal_does_visual(self.console.is_terminal)

    def _question(self, message: str, instruction: str = "") -> tuple[str, str]:
        """A question and its instruction as the prompt shows them: the question wrapped between
        words to the terminal's width (prompt_toolkit breaks a word where the line ends: "Cher" /
        "cher le pays"), and the instruction on a line of its own when it would not fit after
        the question's last line."""
        columns = max(self.console.width - 3, 20)  # "? " before, a space after
        text = self._shown(message) if self._visual() else "\n".join(wrap(clean(message), columns))
        if instruction:
            shown = self._shown(instruction)
            last = text.rsplit("\n", 1)[-1]
            if width(last) + width(shown) + 4 > self.console.width:
                shown = "\n" + shown
            return text, shown
        return text, instruction

    def show(self, text: str, *, title: str | None = None) -> None:
        # Knowledge-base text (maybe from --kb) and typed notes: no terminal escapes get through.
        framed = title is not None
        # Wrapped here, as every view is (`labels.wrap`): a link or a phone number is never
        # broken across lines. One too wide for a frame is shown without the frame. Right to
        # left on a terminal without bidi, `_shown` wraps and orders the lines for display.
        columns = self.console.width - (4 if framed else 0)
        if self._visual():
            rows = self._shown(text).splitlines()
        else:
            rows = wrap_lines(clean(text), columns)
        body = Text("\n".join(rows), no_wrap=True, overflow="ignore")
        if title is None:
            self.console.print(body, crop=False)
            return
        title = self._shown(title)
        urgent = title.isupper()
        if any(width(row) > columns for row in rows):
            self.console.print(Text(title, style="bold red" if urgent else "bold"))
            self.console.print(body, crop=False)
        elif urgent:
            self.console.print(Panel(body, title=title, border_style="bold red"))
        else:
            self.console.print(Panel(body, title=title, title_align="left"))

    def select(
        self,
        message: str,
        options: Sequence[Option],
        default: object = None,
        unanswered: object = None,
    ) -> object:
        values = [o.value for o in options]
        # A choice wider than the terminal is cut at its edge, with no mark: "Change: Each
        # year, the UN Secretary-General publishes a report on reprisals. C" lost the question.
        columns = max(self.console.width - 4, 20)  # the pointer " » " before it
        choices = [
            questionary.Choice(
                self._shown(_fit(o.label, columns)),
                value=o.value,
                description=None if o.help is None else self._shown(o.help),
            )
            for o in options
        ]
        said = [(o.value, o.label) for o in options]
        if unanswered is not None:
            # Nothing chosen in advance: the pointer starts on a line that is no answer, so
            # Enter alone records nothing (gate 10).
            nothing = _("(no answer chosen yet)")
            choices.insert(0, questionary.Choice(self._shown(nothing), value=unanswered))
            said.insert(0, (unanswered, nothing))
            default = unanswered
        asked, instruction = self._question(message, _("(arrow keys, then Enter)"))
        question = questionary.select(
            asked,
            choices=choices,
            default=default if _has([*values, unanswered], default) else None,  # type: ignore[arg-type]
            instruction=instruction,
            style=STYLE,
            erase_when_done=True,  # `_answered` says the choice, wrapped between words
            **self._io,
        )
        result = _ask(question)
        self._answered(message, next((label for v, label in said if _has([v], result)), ""))
        return result

    def checkbox(
        self, message: str, options: Sequence[Option], default: Sequence[object] = ()
    ) -> list[object]:
        asked, instruction = self._question(
            message, _("(arrow keys, Space to tick, Enter when done)")
        )
        question = questionary.checkbox(
            asked,
            choices=[
                questionary.Choice(
                    self._shown(o.label),
                    value=o.value,
                    description=None if o.help is None else self._shown(o.help),
                    checked=_has(default, o.value),
                )
                for o in options
            ],
            instruction=instruction,
            style=STYLE,
            # questionary leaves "done (2 selections)" on screen, in English in every language:
            # its lines go once answered, and `_answered` says what was ticked instead.
            erase_when_done=True,
            **self._io,
        )
        result = _ask(question)
        chosen = list(result) if isinstance(result, list) else []
        ticked = [o.label for o in options if _has(chosen, o.value)]
        self._answered(message, clauses(ticked) if ticked else _("(none ticked)"))
        return chosen

    def _answered(self, message: str, answer: str) -> None:
        """The question and its answer, as questionary would leave them on screen, but wrapped
        between words (questionary's own line breaks a word at the terminal's edge) and in the
        reader's language (its summary of a list to tick is English). Right to left on a terminal
        without bidi, the two are one line put in display order, so that the answer is read after
        the question."""
        line = Text("? ", style="bold")
        if self._visual():
            line.append(self._shown(f"{message} {answer}"))
        else:
            line.append(clean(message), style="bold")
            line.append(" " + clean(answer), style="bold cyan")
        self.console.print(line)

    def text(
        self, message: str, default: str = "", validate: Callable[[str], str | None] | None = None
    ) -> str:
        def check(typed: str) -> bool | str:
            problem = validate(typed) if validate is not None else None
            return problem or True

        question = questionary.text(
            self._question(message)[0],
            default=default,
            validate=check,
            style=STYLE,
            erase_when_done=True,  # `_answered` says what was typed, wrapped between words
            **self._io,
        )
        result = _ask(question)
        typed = result if isinstance(result, str) else ""
        self._answered(message, typed)
        return typed

    def file_name(self, message: str, suggestion: str) -> str:
        # The suggestion is a placeholder, not text in the line: typing replaces it whole
        # (a pre-filled default would take the typed name at its end: plan.pdfx.pdf).
        question = questionary.text(
            clean(message),
            instruction=_("(Enter alone: {name})").format(name=clean(suggestion)),
            placeholder=clean(suggestion),
            style=STYLE,
            **self._io,
        )
        result = _ask(question)
        typed = result.strip() if isinstance(result, str) else ""
        return typed or suggestion

    def show_plan(self, plan: Plan, kb: KnowledgeBase) -> None:
        # lazy: rich only when drawing on a terminal (bench/startup)
        from reprisal_cli.render.terminal import print_plan

        print_plan(plan, kb=kb, console=self.console, lang=current_lang(), in_menu=True)

    def show_full_plan(self, plan: Plan, kb: KnowledgeBase) -> None:
        # lazy: rich's plan renderer only when the full plan is shown (bench/startup)
        from reprisal_cli.render.terminal import print_plan

        # On a terminal the pager (PAGER, else less) shows the whole plan from its top, and
        # leaving it brings back the short plan and the menu; elsewhere it is printed.
        if not self.console.is_terminal:
            print_plan(plan, kb=kb, console=self.console, lang=current_lang(), full=True)
            return
        # less keeps no history file and offers no way to save or run anything: nothing is
        # written unless asked (a PAGER or LESS setting of the user's own still wins).
        os.environ.setdefault("LESSHISTFILE", "-")
        os.environ.setdefault("LESSSECURE", "1")
        with self.console.pager():
            print_plan(plan, kb=kb, console=self.console, lang=current_lang(), full=True)


def _fit(text: str, columns: int) -> str:
    """`text` on one line of `columns` at most: whole when it fits, else its first and last
    words around "…", so that a long question's end (the question itself) is still read; in a
    language written without spaces (Chinese), or for a word as wide as the line, its first
    and last characters."""
    text = " ".join(text.split())
    if width(text) <= columns:
        return text
    return _cut(text.split(" "), " ", columns) or _cut(list(text), "", columns) or "…"


def _cut(parts: list[str], joint: str, columns: int) -> str | None:
    """The first parts and the last ones joined around " … " within `columns`; None when
    either end would be empty."""
    budget = columns - 3  # " … "
    head: list[str] = []
    for part in parts:
        if width(joint.join([*head, part])) > budget * 3 // 5:
            break
        head.append(part)
    tail: list[str] = []
    for part in reversed(parts[len(head) :]):
        if width(joint.join([part, *tail])) > budget - width(joint.join(head)):
            break
        tail.insert(0, part)
    if not head or not tail:
        return None
    # Cut between characters, a space may end the head or begin the tail: one space each side.
    return joint.join(head).rstrip() + " … " + joint.join(tail).lstrip()


def _has(values: Sequence[object], wanted: object) -> bool:
    """Membership by identity and type, so that True is not taken for 1."""
    return any(same_value(v, wanted) for v in values)


def _ask(question: questionary.Question) -> Any:
    """Ask; Ctrl-C raises KeyboardInterrupt and Ctrl-D (end of input) raises EOFError."""
    keys = KeyBindings()

    @keys.add("c-d", eager=True)
    def _eof(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError())

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), keys])
    return question.unsafe_ask()
