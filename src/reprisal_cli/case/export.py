"""A case out to an organisation's case database, and back: the consented tier only.

The shape follows HURIDOCS' Events Standard Formats (an event, its acts, the interventions made
about it: see `case.vocab` for the sources) in our own JSON, `reprisal-cli/esf/v1`; `uwazi-csv`
is one row per act and per intervention, for a CSV import into Uwazi (multiple values joined
with `|`).

What goes out is decided by the consent in force on the day of the export (contract §7), each
part by its purpose; a part whose purpose lacks live consent is left out, and `left_out` says
what and why:

- the non-identifying answers (profile, region, engagement, stage, reprisals, dates, location,
  States, who else is at risk), the acts (date, type, mechanism) and the consent ledger itself
  go always: an organisation taking the case needs them, and they name no one;
- what identifies the person (the case id, the notes, the incidents' notes) needs `publicity`
  `yes`: unknown is not yes;
- an intervention with a UN body or official needs `share_with_un` `yes` in force, with a
  regional body `share_with_regional`, with an embassy or other States `share_with_states`,
  with the State's own protection mechanism or search commission `share_with_government`,
  with the Secretary-General's report `sg_report` `named` or `anonymous` as well as the UN one
  (undecided is not consent; `case.model.consent_needed`, as `followup` reads it), and carries
  its reference only with `publicity` `yes`; an intervention with an organisation goes with the
  base tier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from reprisal_cli.case.model import (
    UNKNOWN_BODY,
    Action,
    CaseFile,
    HistoryEntry,
    Incident,
    consent_needed,
    consented,
    consented_during,
    effect_now,
    load_case_data,
    parse_case_answers,
)
from reprisal_cli.errors import AnswersError, Problem
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.records import to_data
from reprisal_cli.timeutil import latest_day

ESF_SCHEMA = "reprisal-cli/esf/v1"
IDENTIFYING = ("case_id", "notes")
# The keys of a document, its event, an act and an intervention, as `export_esf` writes them
# and `import_esf` reads them (and `schema esf` describes them): any other key is refused on
# import, since a misspelt one would drop its fact without a word (red team red35: a
# `leftout` lost the instruction to ask a body not to use withdrawn details).
ESF_KEYS = ("schema", "as_of", "event", "consent", "left_out")
EVENT_KEYS = ("title", "notes", "victim", "acts", "interventions")
ACT_KEYS = ("date", "type", "linked_to", "note")
INTERVENTION_KEYS = (
    "date", "intervening_with", "type", "response", "status", "next", "channel", "reference",
)  # fmt: skip


LeftOutKind = Literal["identity", "later", "act_notes", "unknown_body", "withdrawn", "no_consent"]


@dataclass(frozen=True)
class LeftOut:
    """One part of the case an export leaves out, and why: `english` is the text of the
    export's `left_out` (data for the other organisation's tool, the same in every language);
    `render.labels.left_out_said` says it to the reader in their language."""

    kind: LeftOutKind
    day: str = ""  # the intervention's date; for `later`, the export's day
    body: str = ""  # an intervention's: the knowledge-base id it went to
    purpose: str = ""  # `withdrawn`, `no_consent`: the consent the intervention needs
    acts: int = 0  # `later`: how many acts and interventions are dated after the day
    interventions: int = 0

    def english(self) -> str:
        if self.kind == "identity":
            return "case id and notes: no consent to publicity"
        if self.kind == "later":
            return (
                f"{self.acts} acts and {self.interventions} interventions dated after "
                f"{self.day}: not in an export of the case as of that day"
            )
        if self.kind == "act_notes":
            return "notes of the acts: no consent to publicity"
        if self.kind == "unknown_body":
            return (
                f"intervention of {self.day}: {self.body} is not in this knowledge base, so "
                "the consent it needs cannot be checked"
            )
        if self.kind == "withdrawn":
            return (
                f"intervention of {self.day}: went out under the consent to {self.purpose}, "
                "withdrawn or narrowed since; the body it went to must be asked not to use or "
                "pass on the details (the organisation that exported this case knows which)"
            )
        return f"intervention of {self.day}: no consent ({self.purpose})"


def export_esf(case: CaseFile, kb: KnowledgeBase, day: dt.date) -> dict[str, Any]:
    """The case as `reprisal-cli/esf/v1`, consented tier only (see the module docstring)."""
    return export_parts(case, kb, day)[0]


def export_parts(
    case: CaseFile, kb: KnowledgeBase, day: dt.date
) -> tuple[dict[str, Any], list[LeftOut]]:
    """`export_esf`, and what it left out (its `left_out`), each as a `LeftOut`."""
    effect = effect_now(case.consent, day)
    named = effect["publicity"] == "yes"

    left_out: list[LeftOut] = []
    # The consent is the ledger's (`consent`), never the answers' (red team red29: a mapping
    # kept in imported answers went on as the victim's consent, against the ledger).
    answers = {k: v for k, v in case.answers.items() if k not in IDENTIFYING and not _is_consent(k)}
    if not named and any(k in case.answers for k in IDENTIFYING):
        left_out.append(LeftOut("identity"))
    # The case as of `day`: what was recorded as done after it is not in it (and the left_out
    # says how much), neither passed on nor listed as left out for want of a consent it did
    # not yet need (red team red34).
    incidents = [i for i in case.incidents if i.date <= day]
    actions = [a for a in case.actions if a.date <= day]
    later = len(case.incidents) - len(incidents), len(case.actions) - len(actions)
    if any(later):
        left_out.append(
            LeftOut("later", day=day.isoformat(), acts=later[0], interventions=later[1])
        )
    acts = [
        {
            "date": i.date.isoformat(),
            "type": i.type,
            "linked_to": i.linked_to,
            **({"note": i.note} if named and i.note else {}),
        }
        for i in incidents
    ]
    if not named and any(i.note for i in incidents):
        left_out.append(LeftOut("act_notes"))
    interventions = []
    for action in actions:
        purpose = consent_needed(kb, action.to)
        if purpose == UNKNOWN_BODY:
            left_out.append(LeftOut("unknown_body", day=action.date.isoformat(), body=action.to))
            continue
        if purpose is not None and not consented(effect, purpose):
            # Left out (the consented tier only), but one made under a consent since withdrawn
            # or narrowed says so: whoever takes the case over must know that the body holds
            # the details and must be asked not to use them (red team red32: "no consent",
            # a wrong claim, and the one act the withdrawal calls for was lost).
            during = consented_during(case.consent, action.date, purpose)
            kind: LeftOutKind = "withdrawn" if during else "no_consent"
            left_out.append(
                LeftOut(kind, day=action.date.isoformat(), body=action.to, purpose=purpose)
            )
            continue
        entry: dict[str, Any] = {
            "date": action.date.isoformat(),
            "intervening_with": action.to,
            "type": action.type,
            "response": action.response,
            "status": action.status,
            "next": action.next.isoformat() if action.next else None,
            "channel": action.channel,
        }
        if named and action.reference:
            entry["reference"] = action.reference
        interventions.append(entry)
    document = {
        "schema": ESF_SCHEMA,
        "as_of": day.isoformat(),
        "event": {
            "title": case.case_id if named else None,
            "notes": case.answers.get("notes") if named else None,
            "victim": answers,
            "acts": acts,
            "interventions": interventions,
        },
        "consent": [to_data(c) for c in case.consent],
        "left_out": [what.english() for what in left_out],
    }
    return document, left_out


def import_esf(doc: Any, name: str) -> CaseFile:
    """A case from `reprisal-cli/esf/v1` (as `export_esf` writes it): `AnswersError` (exit 1)
    names what is wrong."""
    if not isinstance(doc, dict) or doc.get("schema") != ESF_SCHEMA:
        raise AnswersError([Problem(f"is not {ESF_SCHEMA} JSON", file=name)])
    event = doc.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("victim"), dict):
        raise AnswersError([Problem("has no event with a victim", file=name, path="event")])
    _check_shape(doc, event, name)
    try:
        day = dt.date.fromisoformat(str(doc.get("as_of")))
    except ValueError:
        raise AnswersError([Problem("is not a date", file=name, path="as_of")]) from None
    if day > latest_day():
        # Its acts and interventions are checked against its day: a document a year ahead
        # brought in an attack not yet suffered, and a follow-up kept out of the caseload's
        # list for a year (red team red39); `case incident` and `case action` refuse them.
        raise AnswersError(
            [Problem(f"is {day.isoformat()}, after today ({dt.date.today().isoformat()})",
                     file=name, path="as_of", key="as_of", code="value")],
            hint="Correct the dates in the document, then import again.",
        )  # fmt: skip
    answers = dict(event["victim"])
    held = sorted(k for k in answers if _is_consent(k))
    if held:
        # A case's consent is its ledger alone: answers that say otherwise would be read, shown
        # and passed on beside it (red team red29).
        raise AnswersError(
            [Problem(
                "holds a consent in the victim's answers: a case's consent is its consent "
                "ledger (the document's `consent` list), each with its date",
                file=name, path="event.victim." + held[0], key=held[0], code="value",
            )],
            hint="Move the consent into the `consent` list (purpose, value, date, given_by, "
            "how), or leave it out and record it with: reprisal-cli case consent.",
        )  # fmt: skip
    if event.get("notes"):
        answers["notes"] = event["notes"]
    if event.get("title"):
        answers["case_id"] = event["title"]
    data = {
        "schema": "reprisal-cli/case/v1",
        "case_id": event.get("title"),
        "revision": 0,
        "answers": answers,
        "history": [to_data(HistoryEntry(date=day, answers=answers))],
        "consent": doc.get("consent", []),
        "incidents": [
            {k: v for k, v in act.items() if k in Incident.__dataclass_fields__}
            for act in _list(event, "acts", name)
        ],
        "actions": [_action(i) for i in _list(event, "interventions", name)],
        "outputs": [],
    }
    case = load_case_data(data, name)

    parse_case_answers(case.answers, name)  # the answers are checked as an answers file is
    _check_dates(case, max(day, dt.date.today()), name)
    return case


def _check_shape(doc: dict[str, Any], event: dict[str, Any], name: str) -> None:
    """Refuse a key the format does not have, anywhere but in the victim's answers (checked as
    an answers file is), and a `left_out` that is not a list of texts: what it says (a body to
    ask not to use withdrawn details) must reach the reader, never be dropped (red team
    red35)."""
    problems = _unknown(doc, ESF_KEYS, "", name) + _unknown(event, EVENT_KEYS, "event.", name)
    for key, allowed in (("acts", ACT_KEYS), ("interventions", INTERVENTION_KEYS)):
        items = event.get(key)
        for n, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                problems += _unknown(item, allowed, f"event.{key}[{n}].", name)
    left_out = doc.get("left_out", [])
    if not isinstance(left_out, list) or not all(isinstance(t, str) for t in left_out):
        problems.append(
            Problem("is not a list of texts", file=name, path="left_out", key="left_out",
                    code="type")
        )  # fmt: skip
    if problems:
        raise AnswersError(
            problems,
            hint="Correct the document (reprisal-cli schema esf describes it), then import again.",
        )


def _unknown(data: dict[str, Any], allowed: tuple[str, ...], at: str, name: str) -> list[Problem]:
    return [
        Problem(
            f"unknown key {str(key)[:40]!r}; allowed: {', '.join(allowed)}",
            file=name, path=f"{at}{str(key)[:40]}", key=str(key)[:40], code="unknown_key",
        )
        for key in data
        if key not in allowed
    ]  # fmt: skip


def _check_dates(case: CaseFile, latest: dt.date, name: str) -> None:
    """Refuse what `case incident` and `case action` refuse: an act or an intervention dated
    after the document's day (or today), and a follow-up before its intervention. A date a
    year ahead kept the case out of the caseload's reassessments until then (red teams red29,
    red30)."""
    problems = [
        Problem(f"is {d.isoformat()}, after {latest.isoformat()}", file=name, path=path,
                code="value")
        for path, d in (
            *((f"event.acts[{n}].date", i.date) for n, i in enumerate(case.incidents)),
            *((f"event.interventions[{n}].date", a.date) for n, a in enumerate(case.actions)),
        )
        if d > latest
    ]  # fmt: skip
    problems += [
        Problem(f"is before the intervention ({a.date.isoformat()})", file=name,
                path=f"event.interventions[{n}].next", code="value")
        for n, a in enumerate(case.actions)
        if a.next is not None and a.next < a.date
    ]  # fmt: skip
    # A consent given or withdrawn after today (this computer's date, whatever the document's
    # day; a colleague a time zone ahead aside) would come into force by itself on that day, as
    # if the person had said so then (red team red37); `case consent` refuses it too.
    last_recordable = latest_day()
    problems += [
        Problem(f"is {d.isoformat()}, after today ({dt.date.today().isoformat()})", file=name,
                path=f"consent[{n}].{what}", code="value")
        for n, c in enumerate(case.consent)
        for what, d in (("date", c.date), ("revoked", c.revoked))
        if d is not None and d > last_recordable
    ]  # fmt: skip
    if problems:
        raise AnswersError(problems, hint="Correct the dates in the document, then import again.")


def _is_consent(key: str) -> bool:
    """An answers key that says a consent (`consent`, or a flat `consent_*` key)."""
    return key == "consent" or key.startswith("consent_")


def _list(event: dict[str, Any], key: str, name: str) -> list[dict[str, Any]]:
    items = event.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise AnswersError([Problem("is not a list of objects", file=name, path=f"event.{key}")])
    return items


def _action(item: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in item.items() if k in Action.__dataclass_fields__}
    if "intervening_with" in item:
        out["to"] = item["intervening_with"]
    return out


def uwazi_rows(doc: dict[str, Any]) -> list[dict[str, str]]:
    """`export_esf`'s document as CSV rows for Uwazi: one per act and per intervention."""
    event = doc["event"]
    victim = event["victim"]

    def joined(value: Any) -> str:
        return "|".join(value) if isinstance(value, list) else "" if value is None else str(value)

    common = {
        "case": event["title"] or "",
        "stage": joined(victim.get("stage")),
        "region": joined(victim.get("region")),
        "state": joined(victim.get("state")),
        "profile": joined(victim.get("profile")),
        "engagement": joined(victim.get("engagement")),
    }
    rows = []
    for act in event["acts"]:
        rows.append(
            {
                "title": f"act {act['date']} {act['type']}",
                "kind": "act",
                "date": act["date"],
                "type": act["type"],
                "with": act.get("linked_to") or "",
                "status": "",
                **common,
            }
        )
    for item in event["interventions"]:
        rows.append(
            {
                "title": f"intervention {item['date']} {item['intervening_with']}",
                "kind": "intervention",
                "date": item["date"],
                "type": item["type"],
                "with": item["intervening_with"],
                "status": item["status"],
                **common,
            }
        )
    return rows
