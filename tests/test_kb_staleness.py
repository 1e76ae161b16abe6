"""A contact verified more than N months before the plan's date is stale (contract §2)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reprisal_cli.kb.checks import add_months, stale_contacts
from reprisal_cli.kb.knowledge import KnowledgeBase


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 11, 25), 12, dt.date(2026, 11, 25)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 11, 30), 12, dt.date(2026, 11, 30)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_boundaries(kb: KnowledgeBase) -> None:
    contact_id, contact = next(iter(sorted(kb.contacts.items())))
    limit = kb.meta.stale_after_months
    due = add_months(contact.verified, limit)
    stale_ids = {s.contact.id for s in stale_contacts(kb, due)}
    assert contact_id not in stale_ids  # exactly N months: not yet
    stale_ids = {s.contact.id for s in stale_contacts(kb, due + dt.timedelta(days=1))}
    assert contact_id in stale_ids


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)))
def test_more_than_a_year_is_always_stale(day: dt.date) -> None:
    assert add_months(day, 12) >= day + dt.timedelta(days=365)
    assert add_months(day, 12) <= day + dt.timedelta(days=366)
