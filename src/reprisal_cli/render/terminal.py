"""The plan and the checklists in the terminal, with rich.

Every text is put in a `rich.text.Text` (never parsed as markup) after `render.escape` has removed
escape sequences, control characters and bidi overrides. `plain` (also NO_COLOR or TERM=dumb)
gives a screen-reader friendly view: no colour, no boxes or rules, no emoji, headings in words.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from reprisal_cli.i18n import _, current_lang, use_lang
from reprisal_cli.render import labels, outline
from reprisal_cli.render.bidi import terminal_does_visual, visual_line
from reprisal_cli.render.escape import fragment, paragraphs
from reprisal_cli.render.html import text_dir

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan, Step
    from reprisal_cli.kb.knowledge import KnowledgeBase
    from reprisal_cli.kb.models import Checklist

RISK_STYLES: dict[str, str] = {
    "low": "bold green",
    "moderate": "bold yellow",
    "high": "bold red",
    "critical": "bold white on red",
}
FLAG_STYLES: dict[str, str] = {
    "public": "bold red",
    "shares_with_un": "bold yellow",
    "shares_with_regional": "bold yellow",
    "shares_with_states": "bold yellow",
    "shares_with_government": "bold yellow",
    "sends_information": "yellow",
}


def wants_plain(plain: bool = False) -> bool:
    """True when colour and decoration must be off: asked for, NO_COLOR set, or TERM=dumb."""
    return plain or bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


class _View:
    """Prints lines of cleaned text, styled unless plain."""

    def __init__(self, console: Console | None, plain: bool) -> None:
        self.plain = wants_plain(plain)
        self.console = console or Console(
            no_color=self.plain,
            color_system=None if self.plain else "auto",
            emoji=False,
            highlight=False,
            markup=False,
        )
        # Right-to-left text shaped and in display order for a terminal that does not do bidi
        # (`render.bidi`); never in plain mode, where a screen reader needs the logical order.
        self.visual = (
            not self.plain
            and text_dir(current_lang()) == "rtl"
            and terminal_does_visual(self.console.is_terminal)
        )

    def text(self, *parts: tuple[str, str] | str) -> Text:
        out = Text(overflow="fold", no_wrap=False)
        for part in parts:
            content, style = (part, "") if isinstance(part, str) else part
            out.append(fragment(content), style="" if self.plain else style)
        return out

    def line(self, *parts: tuple[str, str] | str, indent: int = 0) -> None:
        text = self.text(*parts)
        if self.visual:
            self._visual(text, indent)
            return
        # Own wrapping (`labels.wrap_spans`), styled or plain: a link or phone number is never
        # broken across lines (one too wide for the screen goes whole, and the terminal folds
        # it without a line break), and no padding spaces end a line for a screen reader.
        columns = max(self.console.width, 20)
        for spans in labels.wrap_spans(text.plain, columns, indent, indent):
            row = Text(" " * indent) + (text[spans[0][0] : spans[-1][1]] if spans else Text())
            self.console.print(
                row, highlight=False, emoji=False, crop=False, no_wrap=True, overflow="ignore"
            )

    def _visual(self, text: Text, indent: int) -> None:
        # Wrapped in logical order, then each line ordered for display and set against the
        # right edge, the indent on the right. One style per line: spans do not survive the
        # reordering.
        columns = max(self.console.width, 20)
        style = next((span.style for span in text.spans), "")
        for row in labels.wrap(text.plain, columns - indent):
            shown = visual_line(row)
            pad = columns - indent - cell_len(shown)
            out = Text(" " * max(pad, 0) + shown + " " * indent, style=style, no_wrap=True)
            self.console.print(out, highlight=False, emoji=False, crop=False)

    def blank(self) -> None:
        self.console.print()

    def heading(self, title: str) -> None:
        self.blank()
        if self.plain:
            self.line(title + ":")
        elif self.visual:
            self.console.print(Rule(Text(visual_line(title), style="bold"), align="right"))
        else:
            self.console.print(Rule(self.text((title, "bold")), align="left"))

    def prose(self, text: str, indent: int = 0) -> None:
        for paragraph in paragraphs(text):
            self.line(paragraph, indent=indent)


def print_plan(
    plan: Plan,
    *,
    kb: KnowledgeBase | None = None,
    explain: bool = False,
    console: Console | None = None,
    plain: bool = False,
    lang: str | None = None,
    full: bool = False,
    in_menu: bool = False,
) -> None:
    """Show the plan: the short view ("Do now", "This week", "Later", one contact each); with
    `full` (or `explain`) every contact, source and warning after it; with `explain`, the trace.
    Headings and labels are in `lang` (default: the plan's language). `in_menu`: shown by
    `assess`, whose menu offers the full plan (`outline.summary`)."""
    with use_lang(lang or plan.lang):
        view = _View(console, plain)
        _print_summary(view, plan, kb, full=full or explain, in_menu=in_menu)
        if full or explain:
            _print_plan(view, plan, kb, explain)


def _print_summary(
    view: _View, plan: Plan, kb: KnowledgeBase | None, *, full: bool, in_menu: bool = False
) -> None:
    short = outline.summary(plan, kb, in_menu=in_menu)
    view.line((_(labels.TITLE), "bold"))
    if plan.case_id is not None:
        view.line(_("Case: "), plan.case_id)
    view.line(_("Date: {date}").format(date=plan.as_of))
    if full:
        view.line(labels.kb_line(plan), indent=0)
    top = [n for wid in labels.TOP_WARNINGS for n in plan.warnings if n.id == wid]
    for index, note in enumerate(top):
        lead = _(labels.NOT_A_GUARANTEE) + " " if index == 0 else ""
        view.line((lead + note.text, "bold red"))
    view.blank()
    lead, _sep, rest = outline.risk_line(short).partition(short.risk_level)
    view.line(lead, (short.risk_level, RISK_STYLES.get(plan.risk.level, "bold")), rest)
    view.line(short.reassess)
    for heading, items in short.groups:
        view.heading(heading)
        for item in items:
            _item(view, item)
    if not plan.steps:
        view.line(_("No step."))
    if not full:
        view.blank()
        view.line((short.more, "bold"))
        _recap(view, short)
        if labels.unreviewed(plan, current_lang()):
            view.line((_(labels.UNREVIEWED), "bold"))


def _recap(view: _View, short: outline.Summary) -> None:
    """The "Do now" steps again, one line each with their number or address, at the bottom of
    the screen: where a long plan leaves its reader."""
    now = [i for i in short.groups[0][1] if i.urgency == "now"] if short.groups else []
    if not now:
        return
    view.heading(_("Do now (details above)"))
    for item in now:
        view.line((f"[ ] {item.number}. {item.title}", "bold"))
        if item.contact is not None:
            view.line(
                item.contact.channel + labels.colon(), (item.contact.value, "bold cyan"), indent=4
            )


def _item(view: _View, item: outline.Item) -> None:
    now = item.urgency == "now"
    box = "[ ] " if now else ""
    view.line((f"{box}{item.number}. ", "bold"), (item.title, "bold" if now else ""))
    indent = 4
    contact = item.contact
    if contact is not None and contact.seen_in is not None:
        view.line((outline.see_step(contact.seen_in), "dim"), indent=indent)
    elif contact is not None:
        hours = f" ({contact.hours})" if contact.hours else ""
        view.line(
            contact.channel + labels.colon(),
            (contact.value, "bold cyan"),
            f" \u2013 {contact.name}{hours} \u00b7 ",
            (contact.marker, "yellow" if contact.check else "green"),
            indent=indent,
        )
    for paragraph in item.detail:
        view.line(paragraph, indent=indent)
    if item.reason:
        view.line((item.reason, "dim"), indent=indent)


def _print_plan(view: _View, plan: Plan, kb: KnowledgeBase | None, explain: bool) -> None:
    risk = plan.risk
    view.heading(_("Risk"))
    lead, _sep, rest = _("Risk level: {level}").partition("{level}")
    view.line(
        lead,
        (labels.risk_level(risk.level), RISK_STYLES.get(risk.level, "bold")),
        rest,
    )
    for title, notes in (
        (_("Threats:"), risk.threats),
        (_("Vulnerabilities:"), risk.vulnerabilities),
        (_("Capacities:"), risk.capacities),
    ):
        if notes:
            view.line(title)
            for note in notes:
                view.line("- ", note.text, indent=2)
    view.line(labels.reassess(risk.reassess_after_days, ""))

    view.heading(_("Steps, most urgent first"))
    for position, step in enumerate(plan.steps, start=1):
        _step(view, position, step, kb, plan)
    if not plan.steps:
        view.line(_("No step."))

    listed = outline.full_warnings(plan)
    if listed:
        view.heading(_("Warnings"))
        for entry in listed:
            view.line((entry.line(), "yellow"))
    groups = outline.withheld_groups(plan, kb)
    if groups:
        view.heading(labels.withheld_heading(plan.audience))
        for group in groups:
            view.blank()
            view.line((group.gate, "bold"))
            for one in group.steps:
                view.line("- ", one.title)
                if explain and one.route:
                    view.line(one.route, indent=4)
            if explain:  # the reasons, as the other views give them, only with --explain
                view.line(group.reason)
                if group.others:
                    view.line(group.others)
    if plan.precedents:
        view.heading(_("Similar cases"))
        for precedent in plan.precedents:
            view.line("- ", precedent.title)
    if explain:
        view.heading(_("Why each step is here"))
        for position, step in enumerate(plan.steps, start=1):
            view.line(f"{position}. ", step.title, (f" ({step.id})", "dim"))
            for why in step.why:
                view.line(labels.why_trace(why), indent=3)
            if not step.why:
                view.line(_("no rule recorded"), indent=3)
        for held in plan.withheld:
            view.line(
                _("Held back: "),
                held.title,
                (f" ({held.id})", "dim"),
                " - " + _("gate ") + held.gate,
            )
    if labels.unreviewed(plan, current_lang()):
        view.blank()
        view.line((_(labels.UNREVIEWED), "bold"))


def _step(view: _View, position: int, step: Step, kb: KnowledgeBase | None, plan: Plan) -> None:
    audience = plan.audience
    view.blank()
    priority = " " + _("(priority {n})").format(n=step.priority)
    view.line((f"{position}. ", "bold"), (step.title, "bold"), (priority, ""))
    names = [(name, FLAG_STYLES[name]) for name, _w in labels.FLAG_WORDS if getattr(step, name)]
    if names:
        words = dict(labels.FLAG_WORDS)
        parts: list[tuple[str, str] | str] = [_(labels.FLAGS_LEAD)]
        for index, (name, style) in enumerate(names):
            parts.append((_(words[name]) + ("." if index == len(names) - 1 else ". "), style))
        view.line(*parts, indent=3)
    view.prose("\n\n".join(outline.full_detail(plan, step)), indent=3)
    if step.advice:
        view.line(_("Advice:"), indent=3)
        for tip in step.advice:
            view.line("- ", tip, indent=5)
    for (name, channel, value), notes in labels.contact_lines(step.contacts, kb):
        view.line(_("Contact: "), (name, "bold"), " - ", channel, " - ", (value, "cyan"), indent=3)
        for note in notes:
            view.line(note, indent=5)
    for title in labels.checklist_titles(step, kb, audience):
        view.line("[ ] ", title, indent=3)
    reason = labels.reason(step, kb, audience=audience)
    if reason:
        view.line((reason, "dim"), indent=3)


def print_checklist(
    checklist: Checklist,
    console: Console | None = None,
    plain: bool = False,
    lang: str | None = None,
) -> None:
    """Show one checklist with tick boxes."""
    with use_lang(lang or current_lang()):
        _print_checklist(_View(console, plain), checklist)


def _print_checklist(view: _View, checklist: Checklist) -> None:
    view.line((checklist.title, "bold"))
    view.prose(checklist.purpose)
    for section in checklist.sections:
        view.heading(section.title)
        for entry in section.items:
            view.line("[ ] ", entry)
    view.heading(_("Sources"))
    for source in checklist.sources:
        view.line("- ", labels.citation(source))
