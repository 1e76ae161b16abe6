"""The questionary front end of `assess`: arrow keys, space to tick, Enter to confirm.

The only module of the questionnaire that imports questionary and prompt_toolkit. Prompts keep
their input history in memory only: nothing a defender types is written to disk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.key_binding.key_processor import KeyPressEvent
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from reprisal_cli.i18n import _, current_lang
from reprisal_cli.questionnaire.session import Option
from reprisal_cli.render.escape import clean

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

    def show(self, text: str, *, title: str | None = None) -> None:
        # Knowledge-base text (maybe from --kb) and typed notes: no terminal escapes get through.
        body = Text(clean(text))
        title = clean(title) if title is not None else None
        if title is None:
            self.console.print(body)
        elif title.isupper():
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
        choices = [
            questionary.Choice(clean(o.label), value=o.value, description=_clean(o.help))
            for o in options
        ]
        if unanswered is not None:
            # Nothing chosen in advance: the pointer starts on a line that is no answer, so
            # Enter alone records nothing (gate 10).
            choices.insert(0, questionary.Choice(_("(no answer chosen yet)"), value=unanswered))
            default = unanswered
        question = questionary.select(
            clean(message),
            choices=choices,
            default=default if _has([*values, unanswered], default) else None,  # type: ignore[arg-type]
            instruction=_("(arrow keys, then Enter)"),
            style=STYLE,
            **self._io,
        )
        return _ask(question)

    def checkbox(
        self, message: str, options: Sequence[Option], default: Sequence[object] = ()
    ) -> list[object]:
        question = questionary.checkbox(
            clean(message),
            choices=[
                questionary.Choice(
                    clean(o.label),
                    value=o.value,
                    description=_clean(o.help),
                    checked=_has(default, o.value),
                )
                for o in options
            ],
            instruction=_("(arrow keys, Space to tick, Enter when done)"),
            style=STYLE,
            **self._io,
        )
        result = _ask(question)
        return list(result) if isinstance(result, list) else []

    def text(
        self, message: str, default: str = "", validate: Callable[[str], str | None] | None = None
    ) -> str:
        def check(typed: str) -> bool | str:
            problem = validate(typed) if validate is not None else None
            return problem or True

        question = questionary.text(
            clean(message), default=default, validate=check, style=STYLE, **self._io
        )
        result = _ask(question)
        return result if isinstance(result, str) else ""

    def show_plan(self, plan: Plan, kb: KnowledgeBase) -> None:
        # lazy: rich only when drawing on a terminal (bench/startup)
        from reprisal_cli.render.terminal import print_plan

        print_plan(plan, kb=kb, console=self.console, lang=current_lang())


def _clean(text: str | None) -> str | None:
    return None if text is None else clean(text)


def _has(values: Sequence[object], wanted: object) -> bool:
    """Membership by identity and type, so that True is not taken for 1."""
    return any(v is wanted or (type(v) is type(wanted) and v == wanted) for v in values)


def _ask(question: questionary.Question) -> Any:
    """Ask; Ctrl-C raises KeyboardInterrupt and Ctrl-D (end of input) raises EOFError."""
    keys = KeyBindings()

    @keys.add("c-d", eager=True)
    def _eof(event: KeyPressEvent) -> None:
        event.app.exit(exception=EOFError())

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), keys])
    return question.unsafe_ask()
