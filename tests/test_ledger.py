"""The consent ledger's rules in the core (`case.ledger.record_consent`): what `case consent`
records, refuses, and tells its reader."""

from __future__ import annotations

import datetime as dt

import pytest

from reprisal_cli.case.ledger import LedgerRefusalError, record_consent
from reprisal_cli.case.model import CaseFile, ConsentRecord

TODAY = dt.date(2026, 12, 5)


def _record(value: str, day: dt.date, revoked: dt.date | None = None) -> ConsentRecord:
    return ConsentRecord(
        purpose="share_with_un",
        value=value,  # type: ignore[arg-type]
        given_by="person",
        how="oral",
        explained_in="fr",
        date=day,
        revoked=revoked,
    )


def test_a_refusal_carries_the_notes_made_before_it() -> None:
    """Red team red45: a note made on the way to a refusal was printed before the refusal
    when `case consent` held these rules, and lost once the core returned notes only with a
    recorded consent. Here the note says a record dated after today is withdrawn too; the
    withdrawal dated back to 1 November is then refused (a yes of 20 November is in force)."""
    case = CaseFile(
        answers={},
        consent=(
            _record("yes", dt.date(2026, 1, 1)),
            _record("yes", dt.date(2026, 11, 20)),
            _record("no", dt.date(2027, 1, 10)),  # after today: an import, a clock set wrong
        ),
    )
    with pytest.raises(LedgerRefusalError) as refused:
        record_consent(case, "share_with_un", None, dt.date(2026, 11, 1), TODAY)
    assert refused.value.notes and "dated 2027-01-10" in refused.value.notes[0]
    assert "2026-11-20" in str(refused.value)


def test_a_recorded_consent_comes_with_its_notes_and_leaves_the_case_it_was_given() -> None:
    case = CaseFile(answers={}, consent=(_record("yes", dt.date(2026, 1, 1)),))
    recorded = record_consent(case, "share_with_un", _record("no", TODAY), TODAY, TODAY)
    assert recorded.case.consent[-1].value == "no" and recorded.notes == ()
    assert len(case.consent) == 1  # the case given is not changed
    history = record_consent(
        recorded.case,
        "share_with_un",
        _record("yes", dt.date(2026, 6, 1)),
        dt.date(2026, 6, 1),
        TODAY,
        history=True,
    )
    assert any("recorded as history" in note for note in history.notes)
