"""What the questionnaire asks of a front end: a `UI` shows text and asks for choices, text and
file names; an `Option` is one choice as shown, `Special` the choices every question offers.

The questionary front end (`prompts.py`) and the numbered plain one (`plain.py`) are two `UI`s, so
the same session runs in a real terminal, under a screen reader, and in tests.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan
    from reprisal_cli.kb.knowledge import KnowledgeBase


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


def same_value(value: object, other: object) -> bool:
    """Whether two answer values are the same, by type too, so that True is not taken for 1."""
    return value is other or (type(value) is type(other) and value == other)
