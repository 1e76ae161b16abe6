"""Staleness is measured from `last_confirmed` alone (contract §2): a contact not confirmed on the
official page or by the organisation in the last N months is stale, whatever date its source
shows or whenever a copy of it was read."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reprisal_cli.engine.contacts import plan_contact
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import load_kb
from reprisal_cli.kb.provenance import add_months
from reprisal_cli.kb.staleness import stale_contacts

ENGINE_KB = Path(__file__).parent / "data" / "engine_kb"


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


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)))
def test_more_than_a_year_is_always_stale(day: dt.date) -> None:
    assert add_months(day, 12) >= day + dt.timedelta(days=365)
    assert add_months(day, 12) <= day + dt.timedelta(days=366)


def _kb_with(tmp_path: Path, replacements: dict[str, str]) -> KnowledgeBase:
    target = tmp_path / "kb"
    shutil.copytree(ENGINE_KB, target)
    for name in ("mechanisms.yaml", "organisations.yaml"):
        text = (target / name).read_text(encoding="utf-8")
        for contact_id, confirmation in replacements.items():
            head = f"      - id: {contact_id}\n"
            if head not in text:
                continue
            start = text.index(head)
            line = text.index("last_confirmed: ", start)
            end = text.index("\n", line)
            text = text[:line] + f"last_confirmed: {confirmation}" + text[end:]
        (target / name).write_text(text, encoding="utf-8")
    return load_kb(target)


def test_stale_from_last_confirmed_not_from_the_source_date(tmp_path: Path) -> None:
    # org_everyone_phone's source is dated 2026-10-01, yet nobody confirmed it: stale at once.
    # mech_sp_email's source is from 2020, but the organisation confirmed it in October 2026.
    kb = _kb_with(
        tmp_path,
        {
            "mech_sp_email": "{how: organisation_told_us, date: 2026-10-15}",
            "mech_sp_web": "{how: official_page, date: 2025-11-25}",
        },
    )
    as_of = dt.date(2026, 11, 25)
    stale = {s.contact.id: s.months for s in stale_contacts(kb, as_of)}
    assert stale["org_everyone_phone"] is None  # never confirmed
    assert "mech_sp_email" not in stale
    assert "mech_sp_web" not in stale  # exactly 12 months: not yet
    later = {s.contact.id: s.months for s in stale_contacts(kb, as_of + dt.timedelta(days=1))}
    assert later["mech_sp_web"] == 12
    # A confirmation after the plan's date does not count for that plan.
    earlier = {s.contact.id for s in stale_contacts(kb, dt.date(2026, 10, 1))}
    assert "mech_sp_email" in earlier


def test_plan_status_follows_the_confirmation(tmp_path: Path) -> None:
    kb = _kb_with(tmp_path, {"mech_sp_web": "{how: official_page, date: 2026-09-01}"})
    as_of = dt.date(2026, 11, 25)
    web = plan_contact(kb.contacts["mech_sp_web"], kb, as_of)
    assert (web.status, web.verified, web.last_confirmed.how) == (
        "confirmed",
        "2026-09-01",
        "official_page",
    )
    old = plan_contact(kb.contacts["mech_sp_web"], kb, dt.date(2027, 9, 2))
    assert old.status == "check_current"
    # v1 `verified` of a contact never confirmed: the date its source shows.
    never = plan_contact(kb.contacts["org_everyone_phone"], kb, as_of)
    assert (never.status, never.verified, never.source_date) == (
        "check_current",
        "2026-10-01",
        "2026-10-01",
    )


@given(
    index=st.integers(min_value=0, max_value=10_000),
    as_of=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
)
def test_a_plan_never_shows_an_unconfirmed_contact_as_confirmed(
    kb: KnowledgeBase, index: int, as_of: dt.date
) -> None:
    from reprisal_cli.render.labels import contact_lines

    contact_id = sorted(kb.contacts)[index % len(kb.contacts)]
    contact = kb.contacts[contact_id]
    shown = plan_contact(contact, kb, as_of)
    if contact.last_confirmed.how == "not_confirmed":
        assert shown.status == "check_current"
        assert shown.last_confirmed.how == "not_confirmed"
        _, notes = contact_lines((shown,), kb)[0]
        assert not any(note.startswith("Confirmed") for note in notes)
        assert any("not confirmed" in note for note in notes)
    if shown.status == "confirmed":
        assert contact.last_confirmed.date is not None
        assert contact.last_confirmed.date <= as_of
