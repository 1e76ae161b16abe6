"""The short plan every view opens with: "Do now", "This week", "Later", each step with its one
best contact (the engine orders contacts best first), a contact shown once and referred to
after; the risk in a few lines; and the sources of the contacts shown, for the appendix of
printed plans. Shared by the terminal, Markdown, plain text, HTML and PDF, so they all say the
same thing in the same order. Pure: words come from `render.labels` and the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reprisal_cli.i18n import N_, _, ngettext
from reprisal_cli.kb.base import fill
from reprisal_cli.render import labels
from reprisal_cli.render.escape import one_line, paragraphs

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan, PlanContact, PlanWarning, Step, Withheld
    from reprisal_cli.kb.knowledge import KnowledgeBase

URGENCY_HEADINGS: dict[str, str] = {
    "now": N_("Do now"),
    "this_week": N_("This week"),
    "later": N_("Later"),
}
RISK_FACTORS = 3  # the factors that drive the level, in the short view
# The gates' "ask first" cautions (contract §3, gates 2 and 8; the relatives' and the child's,
# caseworker review 5): a step that shares without a consent given keeps its caution in the
# short view too, whatever its urgency.
CONSENT_CAUTIONS = frozenset(
    {
        "un_may_raise_with_state",
        "regional_may_raise_with_state",
        "states_tell_government",
        "state_body_tells_government",
        "state_body_protects_relatives",
        "relatives_identified",
        "child_at_risk",
    }
)
FULL_HINT = N_("The full plan, with every contact, source and warning: add --full.")
# In `assess`, where the full plan is one of the menu's choices, not an option to add.
MENU_HINT = N_(
    'The full plan, with every contact, source and warning: choose "See the full plan" in '
    "the menu below."
)


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
    # `now` steps carry their detail in the short view; the others only a consent caution.
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


def summary(plan: Plan, kb: KnowledgeBase | None = None, *, in_menu: bool = False) -> Summary:
    """The short plan in the current interface language; `in_menu`: shown by `assess`, whose
    menu offers the full plan (`MENU_HINT`), rather than by a command taking --full."""
    seen: dict[str, int] = {}
    items: list[Item] = []
    sources: list[Source] = []
    cautions = {one_line(n.text) for n in plan.warnings if n.id in CONSENT_CAUTIONS}
    cautioned: dict[str, int] = {}  # a caution -> the step that shows it whole
    for number, step in enumerate(plan.steps, start=1):
        # A `now` step shows its whole detail (later steps point to its cautions); the others
        # only their consent cautions.
        shown = _cautions(step.detail, cautions, cautioned, number)
        best = _best(step.contacts)
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
                detail=tuple(paragraphs(step.detail))
                if step.urgency == "now"
                else (*shown, *_where_to_find(step, kb)),
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
        more=_more(plan, MENU_HINT if in_menu else FULL_HINT),
    )


def _where_to_find(step: Step, kb: KnowledgeBase | None) -> tuple[str, ...]:
    """For a step with no contact, the official pages to find one on, as its detail says them
    (`Step.find_at`): the step to the Council of Europe Commissioner and ODIHR, or to an
    environmental agreement's body, showed no way in at all (fix59, 65 of the 321 rule cases)."""
    if step.contacts or not step.find_at:
        return ()
    if kb is None:
        return tuple(one_line(where) for where in step.find_at)
    return tuple(one_line(fill(kb.safety.find_contact_at, where=w)) for w in step.find_at)


def _best(contacts: tuple[PlanContact, ...]) -> PlanContact | None:
    """The contact a step shows in the short view: its first, the one to use when only one can
    be tried (contract §2); a pointer to the earlier step that showed it, if one did.
    It once showed the next contact no earlier step showed instead, so that a committee step
    led by an earlier step's reprisals mailbox showed the Petitions Team (caseworker review
    2026-12-03, W5; the engine now lists the Petitions Team first there). That made the UN
    experts' step show the special procedures' mailbox of 2011 because their form was shown in
    an earlier step, and the family step a lawyers' organisation's page because the emergency
    support it leads with was shown earlier (caseworker review 2026-12-05, B1)."""
    return contacts[0] if contacts else None


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
    return f"{contact.channel}{labels.colon()}{contact.value} \u2013 {contact.name}{hours}"


def _cautions(
    detail: str, cautions: set[str], cautioned: dict[str, int], number: int
) -> tuple[str, ...]:
    """A step's consent cautions: whole the first time one is met, then one pointer to the
    steps that said them. The pointer does not say "only with consent": the caution may be the
    relatives' or the child's agreement on a step the person agreed to, and a reader in a hurry
    read it as a consent not given (caseworker review 7, C1)."""

    def parts() -> Iterator[tuple[str, int | None]]:
        for paragraph in paragraphs(detail):
            text = one_line(paragraph)
            if text not in cautions:
                continue
            if text in cautioned:
                yield paragraph, cautioned[text]
            else:
                cautioned[text] = number
                yield paragraph, None

    return _with_pointer(
        parts(),
        lambda earlier: ngettext(
            "Before this step, read the caution in step {n}.",
            "Before this step, read the cautions in steps {n}.",
            len(earlier),
        ).format(n=numbers_words(sorted(earlier))),
    )


def _with_pointer(
    parts: Iterable[tuple[str, int | None]], pointer: Callable[[list[int]], str]
) -> tuple[str, ...]:
    """The paragraphs of `parts` that refer to no number, and, where the first that refers to
    one stood, one line (`pointer`) naming every number referred to, in the order met: a
    caution or a warning said elsewhere is pointed to once, not repeated."""
    out: list[str] = []
    referred: list[int] = []
    at = 0
    for paragraph, number in parts:
        if number is None:
            out.append(paragraph)
            continue
        if not referred:
            at = len(out)
        if number not in referred:
            referred.append(number)
    if referred:
        out.insert(at, pointer(referred))
    return tuple(out)


# A list of numbers in words ("3, 5 and 9"), as the reader's language joins them.
LIST_COMMA = N_("{a}, {b}")
LIST_AND = N_("{a} and {b}")


def numbers_words(numbers: list[int]) -> str:
    """`[3, 5, 9]` as "3, 5 and 9" in the interface language."""
    words = [str(n) for n in numbers]
    if len(words) < 2:
        return "".join(words)
    head = words[0]
    for word in words[1:-1]:
        head = _(LIST_COMMA).format(a=head, b=word)
    return _(LIST_AND).format(a=head, b=words[-1])


@dataclass(frozen=True)
class NumberedWarning:
    """A warning of the full views (those not shown at the top): its number there, the steps it
    concerns in words ("For steps 3, 5 and 9:", or empty) and its text."""

    number: int
    steps: str
    text: str

    def line(self) -> str:
        """`3. For steps 3, 5 and 9: text` on one line."""
        lead = f"{self.steps} " if self.steps else ""
        return f"{self.number}. {lead}{one_line(self.text)}"


def _listed(plan: Plan) -> tuple[PlanWarning, ...]:
    """The warnings listed under "Warnings" in the full views, in order: all but those shown at
    the top (`labels.TOP_WARNINGS`); `full_warnings` numbers them, `full_detail` refers to them."""
    return tuple(n for n in plan.warnings if n.id not in labels.TOP_WARNINGS)


def full_warnings(plan: Plan) -> tuple[NumberedWarning, ...]:
    """The warnings the full views list under "Warnings", numbered, each naming the steps it
    concerns (`PlanWarning.steps`): a caution put on several steps is said there once, and each
    of its steps refers to it (`full_detail`; caseworker review 6, C3 and C4)."""
    numbers = {step.id: n for n, step in enumerate(plan.steps, start=1)}
    out: list[NumberedWarning] = []
    for note in _listed(plan):
        concerned = [numbers[s] for s in note.steps if s in numbers]
        steps = ""
        if concerned:
            steps = ngettext("For step {steps}:", "For steps {steps}:", len(concerned)).format(
                steps=numbers_words(concerned)
            )
        out.append(NumberedWarning(len(out) + 1, steps, note.text))
    return tuple(out)


def full_detail(plan: Plan, step: Step) -> tuple[str, ...]:
    """A step's detail as the full views show it: each paragraph that is a warning concerning
    this step (`full_warnings`) replaced by one reference to the warnings, where the first of
    them stood ("Before this step, read warning 4 (under Warnings, below)")."""
    listed = {
        one_line(note.text): number
        for number, note in enumerate(_listed(plan), start=1)
        if step.id in note.steps
    }
    return _with_pointer(
        ((p, listed.get(one_line(p))) for p in paragraphs(step.detail)),
        lambda referred: ngettext(
            "Before this step, read warning {numbers} (under Warnings, below).",
            "Before this step, read warnings {numbers} (under Warnings, below).",
            len(referred),
        ).format(numbers=numbers_words(referred)),
    )


@dataclass(frozen=True)
class HeldStep:
    """A step held back or left out, as the full views list it under its gate: its route
    sentence when it has one of its own (the confidential route in the plan instead)."""

    id: str
    title: str
    gate_id: str
    route: str


@dataclass(frozen=True)
class HeldGroup:
    """The steps one gate holds back for one reason, in the plan's order, under the gate's line
    ("Held back until you agree to make the case public"); the reason said once after them,
    with the sentence that no other step can do it when that holds for each; when it holds for
    some only, `others` says it once for the steps without a route of their own."""

    gate_id: str
    gate: str
    steps: tuple[HeldStep, ...]
    reason: str
    others: str


def withheld_groups(plan: Plan, kb: KnowledgeBase | None) -> tuple[HeldGroup, ...]:
    """The plan's held-back steps grouped by the consent (gate) and reason that hold them back,
    the groups in the order of their first step: each reason said once, not once a step
    (caseworker review 7, C5). The plan's `withheld` entries join the reason and the route
    sentence in one text (contract §3); they are taken apart with the knowledge base's texts
    in the plan's language (`engine.gates.split_reason`). Without them (no knowledge base, or
    one in another language) steps group only when their whole reasons are the same."""
    # lazy: the gates' module only for a full plan that holds back a step (bench/startup)
    from reprisal_cli.engine.gates import split_reason

    safety = kb.safety if kb is not None and kb.lang == plan.lang else None
    grouped: dict[tuple[str, str], list[tuple[Withheld, str]]] = {}
    for held in plan.withheld:
        because, route = split_reason(held.reason, safety) if safety else (held.reason, "")
        grouped.setdefault((held.gate, one_line(because)), []).append((held, one_line(route)))
    alone = one_line(safety.confidential_route) if safety else None
    out: list[HeldGroup] = []
    for (gate_id, because), members in grouped.items():
        without = sum(1 for _held, route in members if route == alone)
        reason, others = because, ""
        if without == len(members):
            reason = f"{because} {alone}"
        elif without:
            others = ngettext(
                "For the step above without a confidential route: {text}",
                "For the steps above without a confidential route: {text}",
                without,
            ).format(text=alone)
        if len(members) > 1:
            reason = _("For each of these steps: {reason}").format(reason=reason)
        steps = tuple(
            HeldStep(
                id=held.id,
                title=one_line(held.title),
                gate_id=held.gate,
                route="" if route == alone else route,
            )
            for held, route in members
        )
        out.append(
            HeldGroup(gate_id, labels.gate_heading(gate_id, plan.audience), steps, reason, others)
        )
    return tuple(out)


def see_step(number: int) -> str:
    return _("Contact: see step {n}.").format(n=number)


def risk_line(view: Summary) -> str:
    """`Risk: CRITICAL. Mainly: a; b; c.` on one line (the reassessment follows apart)."""
    line = _("Risk level: {level}.").format(level=view.risk_level)
    if view.risk_factors:
        line += " " + _("Mainly: {factors}.").format(factors=labels.clauses(view.risk_factors))
    return line


def _more(plan: Plan, how: str) -> str:
    """What the short view leaves out, and how to see it (`how`: a hint to translate)."""
    parts = []
    warnings = [n for n in plan.warnings if n.id not in labels.TOP_WARNINGS]
    if warnings:
        parts.append(
            ngettext("{n} more warning", "{n} more warnings", len(warnings)).format(n=len(warnings))
        )
    if plan.withheld:
        parts.append(labels.withheld_count(len(plan.withheld), plan.audience))
    hint = _(how)
    return (", ".join(parts) + ". " + hint) if parts else hint
