"""Safety first: the emergency contacts, shown at once when the person may be in danger now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reprisal_cli.i18n import _
from reprisal_cli.questionnaire.ui import UI

if TYPE_CHECKING:
    from reprisal_cli.kb.knowledge import KnowledgeBase


def show_emergency(ui: UI, kb: KnowledgeBase) -> None:
    """The emergency contacts, at once."""
    lines = emergency_lines(kb)
    text = (
        _(
            "If you are in danger now, contact one of these first. They work around the "
            "clock. UN bodies give no physical protection."
        )
        + "\n"
        + "\n".join(lines)
    )
    ui.show(text, title=_("EMERGENCY CONTACTS"))


def emergency_lines(kb: KnowledgeBase) -> list[str]:
    """The 24-hour lines, one each: who, how and when, and for a line not confirmed lately when
    it was last seen (no web page to check it on: no help offline or in an emergency, as on the
    card). The same lines as the card's 24-hour block and the paper form
    (`engine.contacts.hotlines`: only lines that answer around the clock), in the interface
    language."""
    # lazy: loaded only when the questionnaire needs it (bench/startup)
    from reprisal_cli.render.card import hotline_lines, line_words

    lines = []
    for line in hotline_lines(kb):
        who, value, note = line_words(line)
        lines.append(f"- {who}: {value}")
        if note:
            lines.append(f"  {note}")
    return lines
