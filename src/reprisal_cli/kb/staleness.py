"""The staleness of contacts against a date: those not confirmed within the knowledge base's
limit (`stale_after_months`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from reprisal_cli.kb.models import Contact
from reprisal_cli.kb.provenance import confirmed_within, months_between


@dataclass(frozen=True)
class StaleContact:
    """A contact not confirmed within the knowledge base's limit: `months` since its last
    confirmation, or None when it was never confirmed."""

    contact: Contact
    owner: str
    months: int | None


def stale_contacts(
    kb: Any, as_of: dt.date, among: Iterable[str] | None = None
) -> Iterator[StaleContact]:
    """Contacts not confirmed (on the official page or by the organisation) in the
    `stale_after_months` before `as_of`, by id; only those `among` these ids when given (a
    plan's). Measured from `last_confirmed` only: the date a source shows, or the day a copy was
    read, confirms nothing."""
    limit = kb.meta.stale_after_months
    for contact_id in sorted(kb.contacts if among is None else among):
        contact = kb.contacts[contact_id]
        confirmation = contact.last_confirmed
        if confirmed_within(confirmation, as_of, limit):
            continue
        months = None
        if confirmation.date is not None and confirmation.how != "not_confirmed":
            months = months_between(confirmation.date, as_of)
        yield StaleContact(contact, kb.contact_owner[contact_id].name, months)
