"""The case file's content (contract §7, `reprisal-cli/case/v1`) and the consent ledger's rule.

A case is the answers as they are now and as they were (`history`: every version, each with the
day it was recorded, the last one being the current answers), the consent ledger, the incidents,
the actions taken and the outputs made. Consent lives in the ledger only: the answers kept in a
case carry no `consent` mapping, so an old answer can never stand in for a consent the person
withdrew.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any, Literal

from reprisal_cli.answers import Answers, answers_from_data
from reprisal_cli.case.vocab import InterventionType, Response, Status
from reprisal_cli.contract import (
    CASE_ID_PATTERN,
    CONSENT_KEYS,
    CONSENT_PURPOSES,
    GIVEN_FOR_THE_PERSON,
    NOTES_MAX_CHARS,
    SG_REPORT_VALUES,
    Channel,
    ConsentPurpose,
    Engagement,
    GivenBy,
    Reprisal,
)
from reprisal_cli.errors import AnswersError, Problem
from reprisal_cli.records import MaxLen, Record, record, to_data, validate, validation_error

if TYPE_CHECKING:
    from reprisal_cli.kb.knowledge import KnowledgeBase

CASE_SCHEMA = "reprisal-cli/case/v1"
Purpose = ConsentPurpose  # the consent mapping's purposes (contract §1)
How = Literal["oral", "written", "witnessed"]
REFERENCE_MAX_CHARS = 200
# A ledger of five purposes changed every month for over fifteen years. Reading which consent
# was in force, and what was withdrawn after a day, takes time that grows with the square of
# the records: a hostile case of 5,000 took 8 s and one of 32 MiB would hold up a caseload for
# hours (red team red25); 1,000 alternating records take 0.2 s (measured 2026-12-03).
MAX_CONSENT_RECORDS = 1000
KIND_MAX_CHARS = 40
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}")


@record
class HistoryEntry(Record):
    """One version of the answers and the day it was recorded."""

    date: dt.date
    answers: dict[str, Any]


@record
class ConsentRecord(Record):
    """A consent for one purpose, as given (and, once withdrawn, the day it was)."""

    purpose: Purpose
    value: str
    given_by: GivenBy | None = None
    how: How | None = None  # None: taken from an answers file, where it is not recorded
    explained_in: str | None = None  # the language the risks were explained in (a tag: ar, fr)
    date: dt.date
    revoked: dt.date | None = None


@record
class Incident(Record):
    """A reprisal suffered or feared on a day (its type from `reprisals`), with the engagement
    it followed and a note."""

    date: dt.date
    type: Reprisal
    linked_to: Engagement | None = None
    note: Annotated[str, MaxLen(NOTES_MAX_CHARS)] | None = None


@record
class Action(Record):
    """Something done for the case: sent, asked, met. `to` is a knowledge-base id."""

    date: dt.date
    to: str
    channel: Channel | None = None
    reference: Annotated[str, MaxLen(REFERENCE_MAX_CHARS)] | None = None
    type: InterventionType
    response: Response | None = None
    status: Status = "open"
    next: dt.date | None = None


@record
class Output(Record):
    """A document made from the case and given to someone, with the consents it relied on."""

    date: dt.date
    kind: Annotated[str, MaxLen(KIND_MAX_CHARS)]
    to: str | None = None
    purposes: tuple[Purpose, ...] = ()


@record
class CaseFile(Record):
    """A case as its encrypted file holds it (contract §7): the current answers and their
    dated history, the consent ledger, incidents, actions and the outputs made from it."""

    schema_: str = CASE_SCHEMA
    case_id: str | None = None
    revision: int = 0
    answers: dict[str, Any]
    history: tuple[HistoryEntry, ...] = ()
    consent: Annotated[tuple[ConsentRecord, ...], MaxLen(MAX_CONSENT_RECORDS)] = ()
    incidents: tuple[Incident, ...] = ()
    actions: tuple[Action, ...] = ()
    outputs: tuple[Output, ...] = ()

    def to_json(self) -> bytes:
        """The case as the JSON that is encrypted (one line, keys in contract order)."""
        return json.dumps(to_data(self), ensure_ascii=False, separators=(",", ":")).encode()

    def redacted(self) -> CaseFile:
        """The same case without free text: no case id, notes or incident notes."""
        answers = {k: v for k, v in self.answers.items() if k not in ("notes", "case_id")}
        incidents = tuple(replace(i, note=None) for i in self.incidents)
        return replace(self, case_id=None, answers=answers, incidents=incidents)

    def last_change(self, up_to: dt.date = dt.date.max) -> dt.date | None:
        """The latest day, up to `up_to`, anything in the case was recorded or happened. A
        record dated after it (a mistyped year, a clock set wrong) does not put off a
        reassessment due on that day (red team red29)."""
        days = [h.date for h in self.history]
        for c in self.consent:
            days.append(c.date)
            if c.revoked is not None:
                days.append(c.revoked)
        days += [i.date for i in self.incidents]
        days += [a.date for a in self.actions]
        days += [o.date for o in self.outputs]
        return max((d for d in days if d <= up_to), default=None)


ALLOWED_VALUES: dict[str, tuple[str, ...]] = {
    p: (SG_REPORT_VALUES if p == "sg_report" else ("yes", "no", "undecided"))
    for p in CONSENT_PURPOSES
}


def in_force(ledger: tuple[ConsentRecord, ...], purpose: str, day: dt.date) -> ConsentRecord | None:
    """The record that decides `purpose` on `day` (contract §7): the latest dated on or before it
    (of two on the same day, the one written last). It may be revoked: see `consent_on`."""
    return deciding(ledger, day).get(purpose)


def deciding(ledger: tuple[ConsentRecord, ...], day: dt.date) -> dict[str, ConsentRecord]:
    """The record that decides each purpose on `day` (`in_force`), in one pass over the ledger:
    for each purpose with a record on or before `day`, the latest (of two on the same day, the
    one written last)."""
    chosen: dict[str, ConsentRecord] = {}
    for entry in ledger:
        if entry.date <= day:
            held = chosen.get(entry.purpose)
            if held is None or entry.date >= held.date:
                chosen[entry.purpose] = entry
    return chosen


def consent_on(ledger: tuple[ConsentRecord, ...], day: dt.date) -> tuple[dict[str, str], set[str]]:
    """The consents in force on `day` ({purpose: value}) and the purposes withdrawn by then.

    A purpose whose deciding record was revoked on or before `day` has no consent in force."""
    values: dict[str, str] = {}
    revoked: set[str] = set()
    chosen = deciding(ledger, day)
    for purpose in CONSENT_PURPOSES:
        entry = chosen.get(purpose)
        if entry is None:
            continue
        if entry.revoked is not None and entry.revoked <= day:
            revoked.add(purpose)
        else:
            values[purpose] = entry.value
    return values, revoked


# The purposes that follow the UN consent when not asked on their own (contract §1).
FOLLOW_UN = ("share_with_regional", "share_with_states")


def withdrawal_keys(narrowed: Mapping[str, dt.date]) -> str:
    """What `narrowed_after` found in the ledger's own words, for English messages and the
    batch report's data ("share_with_un on 2026-11-20"), or "". A translated text names the
    purposes in its reader's language instead (red team red28)."""
    return ", ".join(f"{p} on {d.isoformat()}" for p, d in narrowed.items())


def narrowed_after(case: CaseFile, day: dt.date) -> dict[str, dt.date]:
    """The consents in force on `day` that the ledger narrows after it, each with the day it
    was, in that order: withdrawn (`revoked`), or replaced by a later record that gives less (a
    "no" or "undecided" after a "yes", "anonymous" after "named"), the purposes that follow the
    UN consent included. An output made for an earlier day (`--as-of`, `SOURCE_DATE_EPOCH`)
    would follow a consent the person has since narrowed (red teams 2026-12-03: a "no" recorded
    over a "yes" is a withdrawal too)."""
    then = in_effect(case.consent, day)
    changes = {c.date for c in case.consent if c.date > day}
    changes |= {c.revoked for c in case.consent if c.revoked is not None and c.revoked > day}
    found: dict[str, dt.date] = {}
    for when in sorted(changes):
        now = in_effect(case.consent, when)
        for purpose, value in then.items():
            if value is not None and OPENNESS[now[purpose] or "no"] < OPENNESS[value]:
                found.setdefault(purpose, when)
            else:  # given again since: the consent in force now is not narrower
                found.pop(purpose, None)
    return dict(sorted(found.items(), key=_by_date))


def _by_date(item: tuple[str, dt.date]) -> tuple[dt.date, int]:
    return item[1], CONSENT_PURPOSES.index(item[0])


def in_effect(ledger: tuple[ConsentRecord, ...], day: dt.date) -> dict[str, str | None]:
    """Each purpose's consent in effect on `day` (None: never given): a withdrawn one reads
    "no", and a purpose that follows the UN consent takes its value when not asked."""
    values, revoked = consent_on(ledger, day)
    out: dict[str, str | None] = {
        p: "no" if p in revoked else values.get(p) for p in CONSENT_PURPOSES
    }
    for purpose in FOLLOW_UN:
        if purpose not in values and purpose not in revoked:
            out[purpose] = out["share_with_un"]
    if "sg_report" not in values and "sg_report" not in revoked:
        # Absent: named when publicity is yes, else undecided (contract §1).
        out["sg_report"] = "named" if out["publicity"] == "yes" else "undecided"
    return out


def readings_during(ledger: tuple[ConsentRecord, ...], day: dt.date) -> list[dict[str, str | None]]:
    """The consent in effect (`in_effect`) at each moment of `day`: the ledger read after each
    of its records in the order they were written, before any withdrawal dated that day or
    later. A day has no hours here: an output of that day may have gone before a "no", an
    "anonymous" or a withdrawal recorded the same day (red teams red30 and red31: what went out
    under the morning's consent is still to be named)."""
    before = tuple(
        replace(c, revoked=None) if c.revoked is not None and c.revoked >= day else c
        for c in ledger
    )
    # Only the records of that day are replayed: one dated earlier had been replaced by then
    # (red team red33: a "yes" replaced by a "no" five days before still let a send go).
    earlier = tuple(c for c in before if c.date < day)
    same = tuple(c for c in before if c.date == day)
    return [in_effect(earlier + same[:count], day) for count in range(len(same) + 1)]


def consented_during(ledger: tuple[ConsentRecord, ...], day: dt.date, purpose: str) -> bool:
    """Whether at some moment of `day` (`readings_during`) the consent let the case's details
    go for `purpose` (`consented`)."""
    return any(consented(reading, purpose) for reading in readings_during(ledger, day))


def ledger_end(ledger: tuple[ConsentRecord, ...]) -> dt.date | None:
    """The last day the ledger records a consent given or withdrawn (None: empty)."""
    days = [c.date for c in ledger] + [c.revoked for c in ledger if c.revoked is not None]
    return max(days, default=None)


def dated_after(ledger: tuple[ConsentRecord, ...], purpose: str, day: dt.date) -> dt.date | None:
    """The last day a record for `purpose` is dated, or withdrawn, after `day` (None: none
    is). From today on, such a day is in the future (a colleague a time zone ahead, a clock set
    wrong, an imported file): what the person says now must be dated on that day too, written
    after it, or from that day on that record would be in force over it (red team red27; a
    withdrawal dated tomorrow too, red team red31)."""
    days = [c.date for c in ledger if c.purpose == purpose and c.date > day]
    days += [
        c.revoked
        for c in ledger
        if c.purpose == purpose and c.revoked is not None and c.revoked > day
    ]
    return max(days, default=None)


def effect_now(
    ledger: tuple[ConsentRecord, ...], day: dt.date, today: dt.date | None = None
) -> dict[str, str | None]:
    """The consent in effect (`in_effect`) for an output made or read on `day`: for a past day
    (before `today`, by default this computer's date) as it was then; from today on, narrowed,
    purpose by purpose, by any record dated after `day`. Such a record is dated in the future:
    most often a colleague's today in a time zone ahead, or a clock set wrong, and it is the
    person's latest word. It may narrow what they allowed now, never open it before its day
    (red team 2026-12-04: a "no" dated tomorrow left a named draft to the UN today). For a day
    after today (`--as-of`, SOURCE_DATE_EPOCH ahead) never more open than today either: an
    output made now goes out now (red team red27)."""
    effect = in_effect(ledger, day)
    for other in _later_readings(ledger, day, today):
        seen = in_effect(ledger, other)
        effect = {p: seen[p] if _narrower(seen[p], effect[p]) else effect[p] for p in effect}
    return effect


def _later_readings(
    ledger: tuple[ConsentRecord, ...], day: dt.date, today: dt.date | None
) -> list[dt.date]:
    """The other days whose consent narrows that of `day` for an output made now (`effect_now`):
    none for a past day; today, for a day after it; the ledger's last day, after `day`."""
    now = today or dt.date.today()
    if day < now:
        return []
    end = ledger_end(ledger)
    return ([now] if now < day else []) + ([end] if end is not None and end > day else [])


def given_later(
    ledger: tuple[ConsentRecord, ...], day: dt.date, today: dt.date | None = None
) -> dict[str, dt.date]:
    """From today on, the purposes a record dated after `day` opens beyond what outputs follow
    now (`effect_now`), each with that record's day: consent given for a later day, which waits
    for it ({} for a past day). A plan holding back says why (red team red27)."""
    if day < (today or dt.date.today()):
        return {}
    now = effect_now(ledger, day, today)
    found: dict[str, dt.date] = {}
    for entry in sorted(ledger, key=lambda e: e.date):
        if entry.date > day and _narrower(now[entry.purpose], entry.value):
            found.setdefault(entry.purpose, entry.date)
    return found


def _narrower(value: str | None, than: str | None) -> bool:
    return OPENNESS[value or "no"] < OPENNESS[than or "no"]


def consented(effect: Mapping[str, str | None], purpose: str) -> bool:
    """Whether the consent in effect (`in_effect`) lets the case's details go for `purpose`:
    `yes`; for the Secretary-General's report, `named` or `anonymous` with a yes to the UN
    (either way the case goes to the UN, contract §3 gate 8)."""
    if purpose == "sg_report":
        return effect["share_with_un"] == "yes" and effect["sg_report"] in ("named", "anonymous")
    return effect[purpose] == "yes"


def withdrawn_with_un(values: Mapping[str, str], revoked: set[str]) -> set[str]:
    """The purposes withdrawn with the UN consent (`consent_on`'s `values` and `revoked`): those
    that follow it, not asked on their own, when it is withdrawn."""
    if "share_with_un" not in revoked:
        return set()
    return {p for p in FOLLOW_UN if p not in values and p not in revoked}


@record
class CaseAnswers(Answers):
    """The answers of a case on a day, consent from the ledger; `revoked` names the purposes whose
    consent was withdrawn (gate `consent_revoked`)."""

    revoked: tuple[str, ...] = ()


def answers_on(case: CaseFile, day: dt.date, name: str = "<case>") -> CaseAnswers:
    """The case's answers as the engine reads them on `day`: the consent in force from the ledger,
    never from the answers; a withdrawn consent reads as `no`, and so do the purposes that
    follow it by default (regional bodies and States follow the UN one when not asked)."""
    base = parse_case_answers(case.answers, name)
    values, revoked = consent_on(case.consent, day)
    revoked |= withdrawn_with_un(values, revoked)
    fields: dict[str, Any] = dict.fromkeys(CONSENT_KEYS.values())
    for purpose in CONSENT_PURPOSES:
        if purpose in revoked:
            fields[CONSENT_KEYS[purpose]] = "no"
        elif purpose in values:
            fields[CONSENT_KEYS[purpose]] = values[purpose]
    chosen = deciding(case.consent, day)
    if values:
        latest = max((chosen[p] for p in values), key=lambda e: e.date)
        fields["consent_given_by"] = _given_by(chosen, values)
        fields["consent_date"] = latest.date.isoformat()
    data = {k: getattr(base, k) for k in Answers.__dataclass_fields__}
    data.update(fields)
    return CaseAnswers(**data, revoked=tuple(p for p in CONSENT_PURPOSES if p in revoked))


def _given_by(chosen: Mapping[str, ConsentRecord], values: Mapping[str, str]) -> GivenBy | None:
    """Who gave the consent the plan's steps send the case on (`given_by`, what the UN steps'
    messages must say): of the consents in force that let the case go, one given for the person
    (by their family or a representative) if any, else the latest; with none, the latest record.
    Not simply the latest record: a child's own later "no" to publicity made the family's consent
    to the UN read as the child's, and the message to the UN said the person agreed (red47)."""
    effect = {p: values.get(p) for p in CONSENT_PURPOSES}
    sending = [chosen[p] for p in values if consented(effect, p)] or [chosen[p] for p in values]
    for_them = [e for e in sending if e.given_by in GIVEN_FOR_THE_PERSON]
    return max(for_them or sending, key=lambda e: e.date).given_by


def answers_now(
    case: CaseFile, day: dt.date, name: str = "<case>", *, today: dt.date | None = None
) -> CaseAnswers:
    """The case's answers for an output made or read on `day`: `answers_on`, narrowed as
    `effect_now` narrows the consent (from today on, by a record dated after `day`; for a day
    after today, by today's consent too)."""
    answers = answers_on(case, day, name)
    later = _later_readings(case.consent, day, today)
    if not later:  # a past day: as it was then (most of a caseload's follow-ups)
        return answers
    effect = in_effect(case.consent, day)
    for other in later:
        seen = in_effect(case.consent, other)
        narrowed = [p for p in CONSENT_PURPOSES if _narrower(seen[p], effect[p])]
        if not narrowed:
            continue
        read = answers_on(case, other, name)
        fields = {CONSENT_KEYS[p]: getattr(read, CONSENT_KEYS[p]) for p in narrowed}
        revoked = set(answers.revoked) | (set(read.revoked) & set(narrowed))
        answers = replace(
            answers, **fields, revoked=tuple(p for p in CONSENT_PURPOSES if p in revoked)
        )
        effect = {p: seen[p] if p in narrowed else effect[p] for p in effect}
    return answers


def parse_case_answers(answers: Mapping[str, Any], name: str) -> Answers:
    """The answers kept in a case, validated as an answers file is."""
    return answers_from_data(dict(answers), f"{name}: answers")


def split_consent(answers: Answers, day: dt.date) -> tuple[dict[str, Any], list[ConsentRecord]]:
    """An answers file's answers without their consent, and that consent as ledger records
    (dated `consent.date` if given, else `day`; how it was given is not known)."""
    doc = answers.to_document()
    doc.pop("consent", None)
    when = dt.date.fromisoformat(answers.consent_date) if answers.consent_date else day
    records = [
        ConsentRecord(
            purpose=purpose,  # type: ignore[arg-type]
            value=value,
            given_by=answers.consent_given_by,
            date=when,
        )
        for purpose in CONSENT_PURPOSES
        if (value := getattr(answers, CONSENT_KEYS[purpose])) is not None
    ]
    return doc, records


def load_case_data(data: Any, name: str) -> CaseFile:
    """Validate decrypted, parsed case data; `AnswersError` (exit 1) names each problem."""

    if not isinstance(data, dict) or data.get("schema") != CASE_SCHEMA:
        raise AnswersError(
            [Problem(f"is not a case file: its schema is not {CASE_SCHEMA}", file=name)],
            hint="Make a case file with: reprisal-cli case new FILE.age",
        )
    try:
        case = validate(CaseFile, data)
    except validation_error() as exc:
        problems = [
            Problem(
                str(err["msg"]),
                file=name,
                path=".".join(str(p) for p in err["loc"]),
                code="value",
            )
            for err in exc.errors(include_url=False)[:20]
        ]
        raise AnswersError(problems) from None
    problems = []
    if case.case_id is not None and not CASE_ID_PATTERN.fullmatch(case.case_id):
        problems.append(Problem("is not a valid case id", file=name, path="case_id"))
    for index, entry in enumerate(case.consent):
        if entry.value not in ALLOWED_VALUES[entry.purpose]:
            allowed = ", ".join(ALLOWED_VALUES[entry.purpose])
            problems.append(
                Problem(
                    f"{entry.value!r} is not one of {allowed}",
                    file=name,
                    path=f"consent[{index}].value",
                )
            )
        if entry.explained_in is not None and not LANGUAGE_TAG.fullmatch(entry.explained_in):
            problems.append(
                Problem(
                    f"{entry.explained_in[:20]!r} is not a language tag (en, ar, pt-BR)",
                    file=name,
                    path=f"consent[{index}].explained_in",
                )
            )
        if entry.revoked is not None and entry.revoked < entry.date:
            problems.append(
                Problem(
                    "is before the consent was given", file=name, path=f"consent[{index}].revoked"
                )
            )
    if problems:
        raise AnswersError(problems)
    return case


# How much a consent value lets through (sg_report: `anonymous` between a refusal and naming).
OPENNESS = {"no": 0, "undecided": 1, "anonymous": 2, "yes": 3, "named": 3}


def new_consents(
    case: CaseFile | None,
    answers: Answers,
    day: dt.date,
    *,
    interview: bool = False,
    today: dt.date | None = None,
) -> list[ConsentRecord]:
    """The consents in `answers` that differ from those `case` reads on `day` (a withdrawn one
    reads `no`, so keeping that `no` adds nothing), as ledger records without how they were given.

    Each is dated `consent.date` if given, else `day`, but never before the record it replaces:
    an earlier date would leave that record in force. An answers file may make a consent the
    case holds stricter, never more open: not after a withdrawal (of the purpose, or of the UN
    consent a purpose follows), not over a refusal or an `undecided` the ledger records, and not
    with a date after `day` (`AnswersError`: re-importing an old file must not undo what the
    person said since, red team 2026-12-03). A consent given in an interview (`interview`:
    `assess --case`, which asks who gave it and how) may open it, as `case consent` does.
    Over a record dated after today (`today`, by default this computer's date) that gives more,
    a consent is dated on that record's day, so that it stays the person's latest word; kept
    as the day reads it, it is recorded all the same (red team red27)."""
    _doc, records = split_consent(answers, day)
    if records and answers.consent_date is not None and records[0].date > day:
        _refuse(records[0], f"is dated {records[0].date.isoformat()}, after {day.isoformat()}")
    if case is None:
        return records
    before = answers_on(case, day)
    # The ledger as it stands after its last record: a file for an earlier day (`--as-of`) must
    # not open what was withdrawn since (second red team 2026-12-03).
    latest = answers_on(case, dt.date.max)
    # A record dated after today (a colleague a time zone ahead, a clock set wrong, an imported
    # file) that gives more than the answers would be in force from its day on, over them: the
    # answers' consent is dated on that day too, written after it (red team red27).
    now = max(day, today or dt.date.today())
    changed = []
    for given in records:
        ahead = dated_after(case.consent, given.purpose, now)
        if ahead is not None and _narrower(
            in_effect(case.consent, ahead)[given.purpose], given.value
        ):
            ahead = None  # never lifted over a narrower record: what gives more waits for its day
        held_later = None if ahead is None else in_effect(case.consent, ahead)[given.purpose]
        narrows_later = held_later is not None and _narrower(given.value, held_later)
        if getattr(before, CONSENT_KEYS[given.purpose]) == given.value and not narrows_later:
            continue
        for read, when in ((before, day.isoformat()), (latest, "its last record")):
            held = read.consent_for(given.purpose)
            if not interview and held is not None and OPENNESS[given.value] > OPENNESS[held]:
                # `revoked` holds the purposes that follow a withdrawn UN consent too.
                why = "withdrawn" if given.purpose in read.revoked else f"{held!r}"
                _refuse(
                    given,
                    f"gives {given.value!r}, but the case holds {why} for it on {when}: "
                    "an answers file can make a consent stricter, never more open",
                )
        deciding = in_force(case.consent, given.purpose, day)
        if deciding is not None:
            floor = max(deciding.date, deciding.revoked or deciding.date)
            given = replace(given, date=max(given.date, floor))  # noqa: PLW2901
        if ahead is not None:
            given = replace(given, date=max(given.date, ahead))  # noqa: PLW2901
        changed.append(given)
    return changed


def held_back(
    ledger: tuple[ConsentRecord, ...],
    said: list[ConsentRecord],
    day: dt.date,
    today: dt.date | None = None,
) -> dict[str, dt.date]:
    """Of the consents `said` (an interview's, as `split_consent` gives them), those an output
    made now does not follow, `ledger` being the case's once they are saved, because a record
    dated after today gives less (`effect_now`), each with that record's day. Recorded or not
    (a "yes" the ledger already reads on the day adds nothing), the person must hear that what
    they said is not followed, not find out from a plan that holds back (red team red27: the
    "yes" was dropped silently under a later "no")."""
    now = max(day, today or dt.date.today())
    effect = effect_now(ledger, day, today)
    found: dict[str, dt.date] = {}
    for given in said:
        later = dated_after(ledger, given.purpose, now)
        if later is not None and _narrower(effect[given.purpose], given.value):
            found[given.purpose] = later
    return found


def _refuse(given: ConsentRecord, reason: str) -> None:
    """An answers file's consent that may not go into the ledger (`new_consents`)."""
    key = CONSENT_KEYS[given.purpose]
    raise AnswersError(
        [Problem(reason, path=key, key=key, code="value")],
        hint=(
            "If the person gives this consent, record it with who gave it and how: reprisal-cli "
            f"case consent FILE.age {given.purpose} {given.value} --given-by "
            "person|family|representative --how oral|written|witnessed. Leaving it out of the "
            "answers file keeps the case's consent as it is."
        ),
    )


def with_answers(
    case: CaseFile | None,
    answers: Answers,
    consents: list[ConsentRecord],
    day: dt.date,
) -> CaseFile | None:
    """`case` (None: a new case) with `answers` as its current answers, recorded in its history
    on `day`, and `consents` added to its ledger; None when nothing would change."""
    doc, _records = split_consent(answers, day)
    entry = HistoryEntry(date=day, answers=doc)
    if case is None:
        return CaseFile(
            case_id=answers.case_id, answers=doc, history=(entry,), consent=tuple(consents)
        )
    if doc == case.answers and not consents:
        return None
    return replace(
        case,
        case_id=case.case_id or answers.case_id,
        answers=doc,
        history=(*case.history, entry),
        consent=(*case.consent, *consents),
    )


# What `consent_needed` says of an id the knowledge base does not have (a case from another
# release or another --kb, or imported): the consent it needs cannot be checked.
UNKNOWN_BODY = "unknown"
# A protection source's `shares_with` -> the consent sending it the case's details needs.
SHARES_PURPOSE = {"states": "share_with_states", "government": "share_with_government"}
# A body's own consent that an earlier release did not ask, and the one it checked and logged
# for that body in its place: the State's own protection mechanisms and Mexico's search
# commission went under `share_with_states` until `share_with_government` was a purpose of its
# own.
ASKED_BEFORE = {"share_with_government": "share_with_states"}


def let_go(reading: Mapping[str, str | None], purpose: str, answered: bool) -> bool:
    """Whether the consent of a moment (`in_effect`) let the case's details go for `purpose`:
    `consented`; or, `purpose` not asked then (a case from an earlier release), the consent
    asked in its place (`ASKED_BEFORE`), once the person has `answered` for `purpose` since:
    their answer says whether the body may keep the details. Never answered since, what went
    is still said to have gone without it."""
    if consented(reading, purpose):
        return True
    before = ASKED_BEFORE.get(purpose)
    return (
        answered and before is not None and reading[purpose] is None and consented(reading, before)
    )


def consent_needed(kb: KnowledgeBase, to: str) -> str | None:
    """The consent (contract §1) that sending the case's details to this knowledge-base entry
    needs: a mechanism's purpose, `share_with_states` for an embassy or other States,
    `share_with_government` for the State's own protection mechanism or search commission,
    `publicity` for an organisation whose help makes the case public (`makes_public`); None for
    another organisation or protection source; `UNKNOWN_BODY` for an id the knowledge base
    does not have, which callers never treat as needing nothing (red team 2026-12-03).

    The Secretary-General's report (a mechanism that the rules' steps asking for inclusion in
    the report reach) needs `sg_report` (`named` or `anonymous`) on top of the UN consent:
    sending or following up a case there puts it in the report, which the person may have
    refused while agreeing to the UN (contract §3, gate 8)."""
    mechanism = kb.mechanisms.get(to)
    if mechanism is not None:
        return "sg_report" if to in kb.report_mechanisms else mechanism.purpose
    source = kb.protection.get(to)
    if source is not None:
        return SHARES_PURPOSE.get(source.shares_with)
    organisation = kb.organisations.get(to)
    if organisation is not None:
        # Its help makes the case public (an Urgent Action's appeals: red team red33).
        return "publicity" if organisation.makes_public else None
    return UNKNOWN_BODY


def needed_purposes(kb: KnowledgeBase, to: str) -> tuple[str, ...]:
    """The consents sending the case's details to `to` relies on (`consent_needed`), as an
    output records them: the Secretary-General's report needs the UN consent too; none for an
    organisation, nor for an id the knowledge base does not have (said where it matters)."""
    needed = consent_needed(kb, to)
    if needed == "sg_report":
        return ("share_with_un", "sg_report")
    return (needed,) if needed in CONSENT_PURPOSES else ()
