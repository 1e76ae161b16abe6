"""Which contacts matter most to re-confirm, and whether a contact is confirmed recently enough
to show without "check before use": read from the whole knowledge base (the owner of a contact,
its version date)."""

from __future__ import annotations

import datetime as dt

from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.models import Contact
from reprisal_cli.kb.provenance import add_months, confirmed_within, kb_date, parse_source_date
from reprisal_cli.kb.states import StateSource

# A fact about a State (a ratification, a membership) whose source is older than this is
# reported by `kb validate`, and steps built on it say to check the current status.
STATE_FACTS_STALE_AFTER_MONTHS = 24

# What to re-confirm first: a wrong emergency number or UN mailbox costs the most.
KIND_ORDER = ("emergency_line", "un_mailbox", "mechanism", "organisation")


def contact_kind(contact: Contact, kb: KnowledgeBase) -> str:
    """`emergency_line`: a 24-hour line (the phone or Signal contacts with hours of an
    organisation that runs an emergency line, or named in `safety.yaml`'s emergency contacts);
    `un_mailbox`: the e-mail of a UN mechanism or official; else `mechanism` or `organisation`."""
    owner = kb.contact_owner[contact.id].id
    org = kb.organisations.get(owner)
    if contact.channel in ("phone", "signal"):
        named = contact.id in kb.safety.emergency_contacts
        if named or (org is not None and org.emergency_line and contact.hours):
            return "emergency_line"
    mech = kb.mechanisms.get(owner)
    if mech is not None:
        if contact.channel == "email" and mech.family in ("un", "un_official"):
            return "un_mailbox"
        return "mechanism"
    return "organisation"


def release_gate(contact: Contact, kb: KnowledgeBase) -> bool:
    """An emergency line or UN mailbox not confirmed in the `stale_after_months` before the
    knowledge base's version date: `kb validate` warns, and plans say so on the contact. A
    knowledge base whose version is not a date has no release date to measure from."""
    if contact_kind(contact, kb) not in ("emergency_line", "un_mailbox"):
        return False
    released = kb_date(kb.meta.version)
    if released is None:
        return False
    return not confirmed_within(contact.last_confirmed, released, kb.meta.stale_after_months)


def needs_check(contact: Contact, kb: KnowledgeBase, as_of: dt.date | None = None) -> bool:
    """Whether to show "check this contact before use": the knowledge base doubts it, or it was
    not confirmed within the limit before `as_of` (default: the knowledge base's version date)."""
    day = as_of or kb_date(kb.meta.version) or dt.date.min
    recent = confirmed_within(contact.last_confirmed, day, kb.meta.stale_after_months)
    return contact.status == "check_current" or not recent


def source_is_stale(source: StateSource, as_of: dt.date) -> bool:
    """Whether a State facts' source is older than `STATE_FACTS_STALE_AFTER_MONTHS` before
    `as_of`, counted from the first day its date can mean; an undated source always is."""
    shown = parse_source_date(source.date)
    if shown is None:
        return True
    return add_months(shown.earliest, STATE_FACTS_STALE_AFTER_MONTHS) < as_of


def stale_state_facts(kb: KnowledgeBase, as_of: dt.date) -> list[tuple[StateSource, int]]:
    """Each stale source of State facts (see `source_is_stale`), with how many facts rest on it,
    in the order the sources are declared."""
    counts: dict[str, int] = {}
    for state in kb.states.values():
        sources = [state.region.source, *(fact.source for fact in state.facts.values())]
        for ident in sources:
            if ident is not None:
                counts[ident] = counts.get(ident, 0) + 1
    return [
        (source, counts[ident])
        for ident, source in kb.state_sources.items()
        if ident in counts and source_is_stale(source, as_of)
    ]
