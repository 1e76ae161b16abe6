"""The plan and the checklists as Markdown and as plain text (80 columns).

Both formats come from one outline, so they always say the same thing in the same order. Every
text from the plan or the knowledge base is untrusted: it goes through `render.escape` on its way
out, so it can never become a link, an image, HTML or a terminal escape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reprisal_cli.i18n import _, current_lang, use_lang
from reprisal_cli.render import labels, outline
from reprisal_cli.render.escape import (
    code_span,
    md_escape,
    md_fragment,
    md_line,
    one_line,
    paragraphs,
)

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan, Step
    from reprisal_cli.kb.knowledge import KnowledgeBase
    from reprisal_cli.kb.models import Checklist
    from reprisal_cli.render import RenderOptions

COLUMNS = 80


@dataclass(frozen=True)
class Lit:
    """A literal value (case id, contact address): a code span in Markdown, as is in text."""

    value: str


Inline = str | Lit
Segments = tuple[Inline, ...]


class _Writer:
    """Collects the outline; the subclasses decide the syntax."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def _gap(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def result(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(line.rstrip() for line in self.lines) + "\n"

    def heading(self, level: int, text: Segments) -> None:
        raise NotImplementedError

    def para(self, text: Segments, *, strong: bool = False) -> None:
        raise NotImplementedError

    def prose(self, text: str) -> None:
        """Untrusted text of several paragraphs."""
        raise NotImplementedError

    def item(self, text: Segments, *, depth: int = 0, box: bool = False) -> None:
        raise NotImplementedError

    def end_list(self) -> None:
        self._gap()


class _Markdown(_Writer):
    @staticmethod
    def inline(text: Segments) -> str:
        joined = "".join(code_span(s.value) if isinstance(s, Lit) else md_fragment(s) for s in text)
        return md_line(joined.strip())

    def heading(self, level: int, text: Segments) -> None:
        self._gap()
        self.lines += ["#" * level + " " + self.inline(text), ""]

    def para(self, text: Segments, *, strong: bool = False) -> None:
        self._gap()
        body = self.inline(text)
        self.lines += [f"**{body}**" if strong else body, ""]

    def prose(self, text: str) -> None:
        self._gap()
        escaped = md_escape(text)
        if escaped:
            self.lines += [*escaped.split("\n"), ""]

    def item(self, text: Segments, *, depth: int = 0, box: bool = False) -> None:
        mark = "- [ ] " if box else "- "
        self.lines.append("  " * depth + mark + self.inline(text))


class _Text(_Writer):
    @staticmethod
    def inline(text: Segments) -> str:
        return one_line("".join(s.value if isinstance(s, Lit) else s for s in text))

    def heading(self, level: int, text: Segments) -> None:
        self._gap()
        title = self.inline(text)
        # Underlined, not upper-cased: screen readers spell out words in capitals.
        wrapped = labels.wrap(title, COLUMNS)
        rule = "=" if level == 1 else "-"
        self.lines += [*wrapped, rule * min(COLUMNS, max(labels.width(w) for w in wrapped)), ""]

    def para(self, text: Segments, *, strong: bool = False) -> None:
        self._gap()
        self.lines += [*labels.wrap(self.inline(text), COLUMNS), ""]

    def prose(self, text: str) -> None:
        self._gap()
        for paragraph in paragraphs(text):
            self.lines += [*labels.wrap(paragraph, COLUMNS), ""]

    def item(self, text: Segments, *, depth: int = 0, box: bool = False) -> None:
        indent = "  " * depth
        mark = "[ ] " if box else "- "
        hanging = indent + " " * len(mark)
        self.lines += labels.wrap(self.inline(text), COLUMNS, indent + mark, hanging)


def plan_markdown(plan: Plan, kb: KnowledgeBase | None, opts: RenderOptions) -> str:
    """The plan as Markdown (`--format md`)."""
    writer = _Markdown()
    with use_lang(opts.lang_for(plan.lang)):
        _plan(writer, plan, kb, opts)
    return writer.result()


def plan_text(plan: Plan, kb: KnowledgeBase | None, opts: RenderOptions) -> str:
    """The plan as plain text wrapped at 80 columns (`--format txt`)."""
    writer = _Text()
    with use_lang(opts.lang_for(plan.lang)):
        _plan(writer, plan, kb, opts)
    return writer.result()


def checklist_markdown(
    checklist: Checklist,
    lang: str | None = None,
    kb: KnowledgeBase | None = None,
    as_of: str | None = None,
) -> str:
    """One checklist as Markdown, each item with a tick box; with `kb`, under its title the
    knowledge base it comes from (version, fingerprint, custom or modified), as in HTML."""
    writer = _Markdown()
    with use_lang(lang or current_lang()):
        _checklist(writer, checklist, kb, as_of)
    return writer.result()


def checklist_text(
    checklist: Checklist,
    lang: str | None = None,
    kb: KnowledgeBase | None = None,
    as_of: str | None = None,
) -> str:
    """One checklist as plain text wrapped at 80 columns, each item with a tick box; with `kb`,
    under its title the knowledge base it comes from, as in HTML."""
    writer = _Text()
    with use_lang(lang or current_lang()):
        _checklist(writer, checklist, kb, as_of)
    return writer.result()


def _checklist(
    w: _Writer, checklist: Checklist, kb: KnowledgeBase | None, as_of: str | None
) -> None:
    w.heading(1, (checklist.title,))
    # The same lines as the HTML and PDF checklist (`html.checklist_view`): a checklist from a
    # `--kb` folder or a changed installed knowledge base says "custom" or "modified" in every
    # format, since its lines (an emergency number) may not be the reviewed ones (red35).
    if as_of:
        w.item((_("Date: {date}").format(date=one_line(as_of)),))
    if kb is not None:
        fingerprint = labels.short_fingerprint(kb.fingerprint)
        w.item((labels.kb_words(kb.meta.version, fingerprint, kb.custom, kb.modified),))
    w.end_list()
    w.prose(checklist.purpose)
    for section in checklist.sections:
        w.heading(2, (section.title,))
        for entry in section.items:
            w.item((entry,), box=True)
        w.end_list()
    w.heading(2, (_("Sources"),))
    for source in checklist.sources:
        w.item((labels.citation(source),))
    w.end_list()


def _plan(w: _Writer, plan: Plan, kb: KnowledgeBase | None, opts: RenderOptions) -> None:
    short = outline.summary(plan, kb)
    _header(w, plan, opts)
    w.para((outline.risk_line(short), " ", short.reassess))
    for heading, items in short.groups:
        w.heading(2, (heading,))
        for item in items:
            _item(w, item)
        w.end_list()
    if not plan.steps:
        w.para((_("No step."),))
    if opts.whole:
        _details(w, plan, kb, opts)
    else:
        w.para((short.more,), strong=True)
    if short.sources:
        w.heading(2, (_("Sources"),))
        for source in short.sources:
            w.item((source.contact, labels.colon(), source.provenance))
        w.end_list()
    if labels.unreviewed(plan, current_lang()):
        w.para((_(labels.UNREVIEWED),), strong=True)


def _item(w: _Writer, item: outline.Item) -> None:
    now = item.urgency == "now"
    w.item((f"{item.number}. ", item.title), box=now)
    contact = item.contact
    if contact is not None and contact.seen_in is not None:
        w.item((outline.see_step(contact.seen_in),), depth=1)
    elif contact is not None:
        hours = f" ({contact.hours})" if contact.hours else ""
        w.item(
            (
                contact.channel,
                labels.colon(),
                Lit(contact.value),
                f" \u2013 {contact.name}{hours} \u00b7 ",
                contact.marker,
            ),
            depth=1,
        )
    for paragraph in item.detail:
        w.item((paragraph,), depth=1)
    if item.reason:
        w.item((item.reason,), depth=1)


def _details(w: _Writer, plan: Plan, kb: KnowledgeBase | None, opts: RenderOptions) -> None:
    """Everything the plan holds, after the short plan (`--full`, `--explain`)."""
    w.para((labels.kb_line(plan),))
    _risk(w, plan)
    w.heading(2, (_("Steps, most urgent first"),))
    for position, step in enumerate(plan.steps, start=1):
        _step(w, position, step, kb, plan)
    other = outline.full_warnings(plan)
    if other:
        w.heading(2, (_("Warnings"),))
        for note in other:
            w.item((note.line(),))
        w.end_list()
    groups = outline.withheld_groups(plan, kb)
    if groups:
        w.heading(2, (labels.withheld_heading(plan.audience),))
        for group in groups:
            w.heading(3, (group.gate,))
            for held in group.steps:
                w.item((held.title,))
                if held.route:
                    w.item((held.route,), depth=1)
            w.end_list()
            w.para((group.reason,))
            if group.others:
                w.para((group.others,))
    if plan.precedents:
        w.heading(2, (_("Similar cases"),))
        for precedent in plan.precedents:
            w.item((precedent.title,))
        w.end_list()
    if opts.explain:
        _explain(w, plan)


def _header(w: _Writer, plan: Plan, opts: RenderOptions) -> None:
    w.heading(1, (_(labels.TITLE),))
    if plan.case_id is not None and not opts.redact:
        w.item((_("Case: "), Lit(plan.case_id)))
    w.item((_("Date: {date}").format(date=one_line(plan.as_of)),))
    w.end_list()
    top = [n for wid in labels.TOP_WARNINGS for n in plan.warnings if n.id == wid]
    for index, note in enumerate(top):
        lead = _(labels.NOT_A_GUARANTEE) + " " if index == 0 else ""
        w.para((lead + one_line(note.text),), strong=True)


def _risk(w: _Writer, plan: Plan) -> None:
    risk = plan.risk
    w.heading(2, (_("Risk level: {level}").format(level=labels.risk_level(risk.level)),))
    for title, notes in (
        (_("Threats:"), risk.threats),
        (_("Vulnerabilities:"), risk.vulnerabilities),
        (_("Capacities:"), risk.capacities),
    ):
        if notes:
            w.para((title,))
            for note in notes:
                w.item((note.text,))
            w.end_list()
    w.para((labels.reassess(risk.reassess_after_days, plan.as_of),))


def _step(w: _Writer, position: int, step: Step, kb: KnowledgeBase | None, plan: Plan) -> None:
    audience = plan.audience
    w.heading(3, (f"{position}. ", step.title, " ", _("(priority {n})").format(n=step.priority)))
    step_flags = labels.flags(step)
    if step_flags:
        w.para((_(labels.FLAGS_LEAD) + ". ".join(step_flags) + ".",), strong=True)
    w.prose("\n\n".join(outline.full_detail(plan, step)))
    if step.advice:
        w.para((_("Advice:"),))
        for tip in step.advice:
            w.item((tip,))
        w.end_list()
    if step.contacts:
        w.para((_("Contacts:"),))
        for (name, channel, value), notes in labels.contact_lines(step.contacts, kb):
            w.item((name, " - ", channel, " - ", Lit(value)))
            for note in notes:
                w.item((note,), depth=1)
        w.end_list()
    titles = labels.checklist_titles(step, kb, audience)
    if titles:
        w.para((_("Checklists:"),))
        for title in titles:
            w.item((title,), box=True)
        w.end_list()
    reason = labels.reason(step, kb, audience=audience)
    if reason:
        w.para((reason,))


def _explain(w: _Writer, plan: Plan) -> None:
    w.heading(2, (_("Why each step is here"),))
    for position, step in enumerate(plan.steps, start=1):
        w.item((f"{position}. ", step.title, " ", Lit(step.id)))
        for why in step.why:
            w.item((labels.why_trace(why),), depth=1)
        if not step.why:
            w.item((_("no rule recorded"),), depth=1)
    for held in plan.withheld:
        w.item((_("Held back: "), held.title, " ", Lit(held.id), " - ", _("gate "), Lit(held.gate)))
    w.end_list()
