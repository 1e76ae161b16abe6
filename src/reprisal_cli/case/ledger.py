"""Recording a consent in a case's ledger (contract §7): what the person said for a purpose on a
day, or its withdrawal, placed so that the consent in force is the person's latest word; refused,
with a hint, where the record would not be in force or would undo a withdrawal.

Pure: `record_consent` returns the new case and the notes its reader should see (`case consent`
prints them); it never prints and never writes. Each refusal names the red team that found the
hole it closes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from reprisal_cli.case.model import (
    OPENNESS,
    CaseFile,
    ConsentRecord,
    dated_after,
    in_effect,
    in_force,
)
from reprisal_cli.errors import UsageError

# The consents that let the case's details go (a withdrawal withdraws one of them).
OPEN_VALUES = ("yes", "named", "anonymous")


class LedgerRefusalError(UsageError):
    """A consent `record_consent` refuses to record, with the notes it had made before it
    refused: a note can explain the refusal ("this one is dated 2027-01-04 too", then a refusal
    naming that day), so the reader sees them first (red team red45)."""

    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recorded:
    """The case once the consent is recorded, and what its reader should be told."""

    case: CaseFile
    notes: tuple[str, ...] = ()


def record_consent(
    case: CaseFile,
    purpose: str,
    said: ConsentRecord | None,
    day: dt.date,
    today: dt.date,
    *,
    history: bool = False,
) -> Recorded:
    """`case` with what the person said for `purpose` on `day` (`said`; None: the withdrawal of
    the consent in force), `today` being the day the command runs for (--as-of, else today).

    With `history`, the record goes before a later record of the purpose, which stays in force
    (paper forms typed in late: `_history`). Otherwise it is the person's latest word: dated
    `day`, or the day of a record dated after today (`_after`); refused when a withdrawal dated
    after it would be undone, or when a later record gives more and stays in force over it."""
    notes: list[str] = []
    try:
        return _record(case, purpose, said, day, today, history, notes)
    except UsageError as refused:
        refusal = LedgerRefusalError(refused.problems, hint=refused.hint)
        refusal.notes = tuple(notes)
        raise refusal from None


def _record(
    case: CaseFile,
    purpose: str,
    said: ConsentRecord | None,
    day: dt.date,
    today: dt.date,
    history: bool,
    notes: list[str],
) -> Recorded:
    if history:
        return Recorded(_history(case, purpose, said, day, today, notes), tuple(notes))
    # A record of the purpose dated after today (a colleague a time zone ahead, a clock set
    # wrong, an imported file) would be in force from its day on, over what the person says
    # now: the person's latest word is dated on that day too, written after it (red27).
    ahead = dated_after(case.consent, purpose, max(day, today))
    if said is None:
        return Recorded(_withdrawn(case, purpose, day, today, ahead, notes), tuple(notes))
    when = day if ahead is None else _after(case, purpose, said.value, ahead, today, notes)
    withdrawn = [e.revoked for e in case.consent if e.purpose == purpose and e.revoked]
    if any(w > when for w in withdrawn):
        # Dated before it, the new record would be the one in force and escape the withdrawal
        # (second red team 2026-12-03: a paper form typed in late).
        raise UsageError(
            f"{purpose} was withdrawn on {max(withdrawn).isoformat()}, after "
            f"{when.isoformat()}: a consent dated before that would undo the withdrawal",
            hint=f"If it was given again, date it on or after {max(withdrawn).isoformat()} "
            "(--date); to record it as history, withdrawn with the rest, add --history.",
        )
    added = replace(case, consent=(*case.consent, replace(said, date=when)))
    return Recorded(_in_force_or_refused(added, purpose, said.value, when, today), tuple(notes))


def _withdrawn(
    case: CaseFile,
    purpose: str,
    day: dt.date,
    today: dt.date,
    ahead: dt.date | None,
    notes: list[str],
) -> CaseFile:
    """`case` with the consent in force for `purpose` on `day` withdrawn then, and any record
    of it dated after today withdrawn from its own day (never in force)."""
    case = _followed(case, purpose, day, notes)
    current = in_force(case.consent, purpose, day)
    live = current is not None and (current.revoked is None or current.revoked > day)
    if not live and ahead is None:
        raise UsageError(
            f"no consent for {purpose} is in force on {day.isoformat()}: nothing to withdraw"
        )
    threshold = max(day, today)

    def withdrawn(e: ConsentRecord) -> ConsentRecord:
        if e is current and live:
            return replace(e, revoked=day)
        if (
            e.purpose == purpose
            and e.date > threshold
            and (e.revoked is None or e.revoked > e.date)
        ):
            # Dated after today, it is withdrawn from its own day on: never in force.
            return replace(e, revoked=e.date)
        return e

    if ahead is not None:
        notes.append(
            f"Note: the consent ledger holds a record for {purpose} dated "
            f"{ahead.isoformat()}, after {today.isoformat()} (check this computer's date and "
            "the dates in the ledger): it is withdrawn too."
        )
    done = replace(case, consent=tuple(withdrawn(e) for e in case.consent))
    return _in_force_or_refused(done, purpose, "no", day, today)


def _history(
    case: CaseFile,
    purpose: str,
    said: ConsentRecord | None,
    day: dt.date,
    today: dt.date,
    notes: list[str],
) -> CaseFile:
    """`case` with what the person said on `day` (`said`, or with None a withdrawal of the
    record then in force) recorded as history: before a later record of the purpose, which
    stays in force. A record dated on or before a withdrawal ends with it, and goes before the
    records of its day (written then, the later word; red42): a withdrawal ends what is in
    force on its day, and the record typed in late was (a "no" left open would take the
    withdrawal's place, and the plan would no longer list what was sent before it). Refused
    where nothing later exists (there the record is recorded, in force, without --history),
    and for `today` or later (what the person says today is their latest word)."""
    # What decides after `day`: a later record, or a withdrawal (its day, on an earlier record).
    later = max(
        (
            (when, withdrawal)
            for e in case.consent
            if e.purpose == purpose
            for when, withdrawal in ((e.date, False), (e.revoked, True))
            if when is not None and when > day
        ),
        default=None,
    )
    today = min(today, dt.date.today())  # --as-of ahead: this computer's date
    if day >= today:
        # What the person says today is their latest word: as history, it went under a
        # record dated later (a colleague a time zone ahead, a clock set wrong, an imported
        # file), in force over it from that day on (red team red42).
        raise UsageError(
            f"--history records what was said on an earlier day: {day.isoformat()} is not "
            f"before {today.isoformat()}, and what the person says today is their latest word",
            hint="Record it without --history, as the person's latest word; for an earlier "
            "day, give it with --date.",
        )
    if later is None:
        raise UsageError(
            f"--history: no record of {purpose} is dated after {day.isoformat()}",
            hint="Without --history the record is kept and in force from its day.",
        )
    if said is None:
        current = in_force(case.consent, purpose, day)
        if current is None or (current.revoked is not None and current.revoked <= day):
            raise UsageError(
                f"no consent for {purpose} is in force on {day.isoformat()}: nothing to withdraw"
            )
        ledger = tuple(replace(e, revoked=day) if e is current else e for e in case.consent)
    else:
        # A withdrawal recorded for the same day was recorded then: the later word (red42).
        withdrawals = [
            e.revoked
            for e in case.consent
            if e.purpose == purpose and e.revoked and e.revoked >= day
        ]
        entry = replace(said, revoked=min(withdrawals, default=None))
        # Before the records of its day, which were written then and are the person's later
        # word that day: written last, it took their place (red team red42).
        at = next((i for i, e in enumerate(case.consent) if e.date == day), len(case.consent))
        ledger = (*case.consent[:at], entry, *case.consent[at:])
    what = "withdrawal" if later[1] else "record"
    notes.append(
        f"Note: recorded as history on {day.isoformat()}; the {what} of {purpose} dated "
        f"{later[0].isoformat()} stays in force."
    )
    return replace(case, consent=ledger)


def _in_force_or_refused(
    case: CaseFile, purpose: str, said: str, day: dt.date, today: dt.date
) -> CaseFile:
    """`case`, once a record of what the person said for `purpose` (`said`; a withdrawal:
    "no"), dated `day`, was added; refused when a later record of the purpose gives more and
    stays in force over it. Saved, a "no" dated before a yes recorded since changed nothing
    while the caseworker read "Case saved", and the outputs kept sharing (red team red41; the
    other way round, a yes dated before a withdrawal is refused in `record_consent`)."""
    now = max(day, today)
    reads = in_effect(case.consent, now)[purpose]
    later = in_force(case.consent, purpose, now)
    if later is None or later.date <= day or OPENNESS[reads or "no"] <= OPENNESS[said]:
        return case
    raise UsageError(
        f"{purpose} is {later.value} in a record dated {later.date.isoformat()}, after "
        f"{day.isoformat()}: recorded on {day.isoformat()}, this would not be in force",
        hint=f"If the person said so since, date it on or after {later.date.isoformat()} "
        f"(--date); if they said so on {day.isoformat()} and the later one holds, add --history.",
    )


def _followed(case: CaseFile, purpose: str, day: dt.date, notes: list[str]) -> CaseFile:
    """`case`, with a record of what `purpose` reads on `day` when it was not asked on its own
    and follows another consent (contract §1: regional bodies and States the UN one, the
    report publicity), so that a withdrawal withdraws it (red team red29: refused as "nothing
    to withdraw", while the outputs kept sharing)."""
    followed = in_effect(case.consent, day)[purpose]
    if in_force(case.consent, purpose, day) is not None or followed not in OPEN_VALUES:
        return case
    notes.append(
        f"Note: {purpose} was not asked on its own and read {followed} from the other consents "
        f"(contract §1); its withdrawal is recorded on {day.isoformat()}."
    )
    entry = ConsentRecord(purpose=purpose, value=followed or "", date=day)  # type: ignore[arg-type]
    return replace(case, consent=(*case.consent, entry))


def _after(
    case: CaseFile,
    purpose: str,
    value: str,
    ahead: dt.date,
    today: dt.date,
    notes: list[str],
) -> dt.date:
    """The day to date a consent given now when the ledger holds a record for `purpose` dated
    `ahead`, after today: that day too (written after it, so the person's latest word), with a
    note; refused when the consent gives more than that record, which it would not undo."""
    last = in_effect(case.consent, ahead)[purpose]
    if OPENNESS[value or "no"] > OPENNESS[last or "no"]:
        raise UsageError(
            f"the consent ledger holds {last or 'nothing'} for {purpose} in a record dated "
            f"{ahead.isoformat()}, after {today.isoformat()}: recorded today, {value} would not "
            "be in force",
            hint="A record dated in the future usually means a clock set wrong or a record made "
            "in a time zone ahead: check this computer's date and the dates in the ledger (case "
            f"show --format json). Outputs made now follow {last or 'no'}; if the person gives "
            f"this consent now, record it again on {ahead.isoformat()}.",
        )
    notes.append(
        f"Note: the consent ledger holds a record for {purpose} dated {ahead.isoformat()}, after "
        f"{today.isoformat()} (check this computer's date and the dates in the ledger): this one "
        f"is dated {ahead.isoformat()} too, so that it stays the person's latest word."
    )
    return ahead
