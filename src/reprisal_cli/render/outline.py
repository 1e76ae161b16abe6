"""The short plan every view opens with: "Do now", "This week", "Later", each step with its one
best contact (the engine orders contacts best first), a contact shown once and referred to
after; the risk in a few lines; and the sources of the contacts shown, for the appendix of
printed plans. Shared by the terminal, Markdown, plain text, HTML and PDF, so they all say the
same thing in the same order. Pure: words come from `render.labels` and the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reprisal_cli.i18n import N_, _, ngettext
from reprisal_cli.render import labels
from reprisal_cli.render.escape import one_line, paragraphs

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan, PlanContact
    from reprisal_cli.kb.knowledge import KnowledgeBase

URGENCY_HEADINGS: dict[str, str] = {
    "now": N_("Do now"),
    "this_week": N_("This week"),
    "later": N_("Later"),
}
RISK_FACTORS = 3  # the factors that drive the level, in the short view
FULL_HINT = N_("The full plan, with every contact, source and warning: add --full.")


@dataclass(frozen=True)
class BestContact:
    name: str
    channel: str
    value: str
    hours: str | None
    marker: str
    check: bool
    # The number of the step where this contact was shown first, when it is a repeat.
    seen_in: int | None


@dataclass(frozen=True)
class Item:
    number: int
    urgency: str
    title: str
    contact: BestContact | None
    # Only `now` steps carry their detail in the short view.
    detail: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Source:
    contact: str
    provenance: str


@dataclass(frozen=True)
class Summary:
    groups: tuple[tuple[str, tuple[Item, ...]], ...]
    risk_level: str
    risk_level_id: str
    risk_factors: tuple[str, ...]
    reassess: str
    sources: tuple[Source, ...]
    more: str


def summary(plan: Plan, kb: KnowledgeBase | None = None) -> Summary:
    """The short plan in the current interface language."""
    seen: dict[str, int] = {}
    items: list[Item] = []
    sources: list[Source] = []
    for number, step in enumerate(plan.steps, start=1):
        best = step.contacts[0] if step.contacts else None
        contact = None
        if best is not None:
            contact = best_contact(best, seen.get(best.id))
            if best.id not in seen:
                seen[best.id] = number
                sources.append(Source(contact_words(contact), labels.provenance(best)))
        items.append(
            Item(
                number=number,
                urgency=step.urgency,
                title=one_line(step.title),
                contact=contact,
                detail=tuple(paragraphs(step.detail)) if step.urgency == "now" else (),
                reason=labels.reason(step, kb, audience=plan.audience)
                if step.urgency == "now"
                else "",
            )
        )
    groups = tuple(
        (_(heading), tuple(i for i in items if i.urgency == urgency))
        for urgency, heading in URGENCY_HEADINGS.items()
        if any(i.urgency == urgency for i in items)
    )
    risk = plan.risk
    factors = [*risk.threats, *risk.vulnerabilities][:RISK_FACTORS]
    return Summary(
        groups=groups,
        risk_level=labels.risk_level(risk.level),
        risk_level_id=risk.level if risk.level in labels.RISK_LEVELS else "unknown",
        risk_factors=tuple(one_line(n.text).rstrip(".") for n in factors),
        reassess=labels.reassess(risk.reassess_after_days, plan.as_of),
        sources=tuple(sources),
        more=_more(plan),
    )


def best_contact(contact: PlanContact, seen_in: int | None) -> BestContact:
    name, channel, value = labels.contact_parts(contact)
    return BestContact(
        name=name,
        channel=channel,
        value=value,
        hours=one_line(contact.hours) if contact.hours else None,
        marker=labels.marker(contact),
        check=contact.status == "check_current",
        seen_in=seen_in,
    )


def contact_words(contact: BestContact) -> str:
    """`Phone: +1 234 – Name (24 hours a day)`: the contact on one line, the number first,
    without its marker."""
    hours = f" ({contact.hours})" if contact.hours else ""
    return f"{contact.channel}: {contact.value} \u2013 {contact.name}{hours}"


def see_step(number: int) -> str:
    return _("Contact: see step {n}.").format(n=number)


def risk_line(view: Summary) -> str:
    """`Risk: CRITICAL. Mainly: a; b; c.` on one line (the reassessment follows apart)."""
    line = _("Risk level: {level}").format(level=view.risk_level) + "."
    if view.risk_factors:
        line += " " + _("Mainly: {factors}.").format(factors="; ".join(view.risk_factors))
    return line


def _more(plan: Plan) -> str:
    """What the short view leaves out, and how to see it."""
    parts = []
    warnings = [n for n in plan.warnings if n.id not in labels.TOP_WARNINGS]
    if warnings:
        parts.append(
            ngettext("{n} more warning", "{n} more warnings", len(warnings)).format(n=len(warnings))
        )
    if plan.withheld:
        parts.append(labels.withheld_count(len(plan.withheld), plan.audience))
    hint = _(FULL_HINT)
    return (", ".join(parts) + ". " + hint) if parts else hint
