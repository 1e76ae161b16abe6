"""The plain front end of `assess` (`--plain`, NO_COLOR, TERM=dumb): numbered choices answered
by number, one line at a time, no colour and no boxes, so that screen readers read it in order."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from reprisal_cli.i18n import _, current_lang
from reprisal_cli.questionnaire.ui import Option, same_value
from reprisal_cli.render.escape import clean
from reprisal_cli.render.labels import wrap_lines

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan
    from reprisal_cli.kb.knowledge import KnowledgeBase


class PlainUI:
    """Prompts with `input()`; `read` and `write` can be replaced in tests."""

    def __init__(
        self,
        read: Callable[[str], str] = input,
        write: Callable[[str], object] = print,
    ) -> None:
        self.read = read
        self._write = write

    def write(self, text: str) -> None:
        # Knowledge-base text (maybe from --kb) and typed notes: no terminal escapes get through.
        # Wrapped at the terminal's width as every view is, so the terminal never folds a link
        # or a phone number in the middle.
        columns = shutil.get_terminal_size().columns
        self._write("\n".join(wrap_lines(clean(text), max(columns, 20))))

    def show(self, text: str, *, title: str | None = None) -> None:
        if title is not None:
            self.write("")
            self.write(f"{title}:" if not title.isupper() else f"{title}!")
        self.write(text)

    def _list(
        self, message: str, options: Sequence[Option], marked: Callable[[Option], bool]
    ) -> None:
        self.write("")
        self.write(message)
        for number, option in enumerate(options, 1):
            mark = " " + _("(current)") if marked(option) else ""
            # Screen readers spell out arrows: "Back" alone reads better.
            label = option.label.removeprefix("← ")
            self.write(f"  {number}. {label}{mark}")
            if option.help:
                self.write(f"     {option.help}")

    def select(
        self,
        message: str,
        options: Sequence[Option],
        default: object = None,
        unanswered: object = None,
    ) -> object:
        self._list(message, options, lambda o: same_value(o.value, default))
        current = next((o.value for o in options if same_value(o.value, default)), None)
        hint = _("Type a number and press Enter")
        if unanswered is not None:
            current = unanswered
            hint += " " + _("(Enter alone leaves it unanswered)")
        elif current is not None:
            hint += " " + _("(Enter alone keeps the current answer)")
        while True:
            typed = self.read(f"{hint}: ").strip()
            if not typed and current is not None:
                return current
            if typed.isdigit() and 1 <= int(typed) <= len(options):
                return options[int(typed) - 1].value
            self.write(_("Please type a number from 1 to {n}.").format(n=len(options)))

    def checkbox(
        self, message: str, options: Sequence[Option], default: Sequence[object] = ()
    ) -> list[object]:
        self._list(message, options, lambda o: any(same_value(o.value, d) for d in default))
        hint = _("Type the numbers of all that apply, with spaces between, and press Enter")
        if default:
            hint += " " + _("(Enter alone keeps the current answer)")
        while True:
            typed = self.read(f"{hint}: ").strip()
            if not typed:
                return [o.value for o in options if any(same_value(o.value, d) for d in default)]
            parts = [p for p in re.split(r"[\s,;]+", typed) if p]
            if all(p.isdigit() and 1 <= int(p) <= len(options) for p in parts):
                chosen = {int(p) - 1 for p in parts}
                return [o.value for i, o in enumerate(options) if i in chosen]
            self.write(
                _("Please type numbers from 1 to {n}, for example: 1 3").format(n=len(options))
            )

    def text(
        self, message: str, default: str = "", validate: Callable[[str], str | None] | None = None
    ) -> str:
        self.write("")
        self.write(message)
        if default:
            self.write(_("Current answer: {answer} (Enter alone keeps it)").format(answer=default))
        while True:
            typed = self.read("> ")
            if not typed.strip() and default:
                typed = default
            problem = validate(typed) if validate is not None else None
            if problem is None:
                return typed
            self.write(problem)

    def file_name(self, message: str, suggestion: str) -> str:
        self.write("")
        self.write(message)
        self.write(_("(Enter alone: {name})").format(name=suggestion))
        return self.read("> ").strip() or suggestion

    def show_plan(self, plan: Plan, kb: KnowledgeBase) -> None:
        # lazy: rich only when drawing on a terminal (bench/startup)
        from reprisal_cli.render.terminal import print_plan

        print_plan(plan, kb=kb, plain=True, lang=current_lang(), in_menu=True)

    def show_full_plan(self, plan: Plan, kb: KnowledgeBase) -> None:
        # No pager: a screen reader reads the lines as they come.
        # lazy: rich only when the full plan is drawn (bench/startup)
        from reprisal_cli.render.terminal import print_plan

        print_plan(plan, kb=kb, plain=True, lang=current_lang(), full=True)
