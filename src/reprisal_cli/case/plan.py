"""A case's plan on a day: the engine on the case's answers with the consent in force then, a
warning naming what was sent before a consent was withdrawn, and one when a consent was
withdrawn or narrowed after that day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from reprisal_cli.case.model import (
    UNKNOWN_BODY,
    CaseAnswers,
    CaseFile,
    Output,
    answers_now,
    consent_needed,
    consented,
    given_later,
    let_go,
    narrowed_after,
    needed_purposes,
    readings_during,
)
from reprisal_cli.case.risk import escalated, escalation
from reprisal_cli.contract import CONSENT_PURPOSES
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan, PlanWarning
from reprisal_cli.kb.base import fill
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.untrusted import one_line

WITHDRAWAL_WARNING = "consent_revoked_outputs"
# What the case log shows went out without the consent of its day.
UNCONSENTED_WARNING = "sent_without_consent"
# What went to the Secretary-General's report with the name, the person now agreeing to appear
# in it without the name only.
ANONYMOUS_WARNING = "report_anonymous_outputs"
# The same id as the batch report's field (`batch --report`).
LATER_WITHDRAWAL_WARNING = "consent_withdrawn_after_as_of"
# Consent recorded for a day after the plan's, which it does not follow before then.
LATER_CONSENT_WARNING = "consent_given_after_as_of"


# What an action to a body this knowledge base does not have may have relied on: named at the
# withdrawal of any of them, never said to have gone without consent (red team red31).
SHARING = tuple(p for p in CONSENT_PURPOSES if p.startswith("share_with_"))


def sent_before(
    case: CaseFile, kb: KnowledgeBase, day: dt.date, today: dt.date
) -> list[tuple[Output, bool]]:
    """What the case log shows went out by `day` (from today on, whatever its date: logged on a
    colleague's today, a time zone ahead, red team red31), each with the consents it relied on
    and whether the knowledge base knows where it went. The outputs, with the consents their
    body needs (`needed_purposes`: an output logged under the UN consent alone by an earlier
    release also relied on the report's), and each action not logged as an output (imported
    from another organisation, or logged without --purpose; red teams red29 and red30)."""
    logged = {(o.date, o.to) for o in case.outputs}
    found: list[tuple[Output, bool]] = []
    for output in case.outputs:
        needed = needed_purposes(kb, output.to) if output.to is not None else ()
        purposes = tuple(dict.fromkeys((*output.purposes, *needed)))
        found.append((replace(output, purposes=purposes), True))  # type: ignore[arg-type]
    earlier: dict[str, dt.date] = {}
    for to, date in [
        *((o.to, o.date) for o in case.outputs),
        *((a.to, a.date) for a in case.actions),
    ]:
        if to is not None:
            earlier[to] = min(date, earlier.get(to, date))
    for action in case.actions:
        if (action.date, action.to) in logged:
            continue
        if action.type == "follow_up" and earlier[action.to] < action.date:
            # Continues what went to that body before, which is named if its consent is
            # withdrawn: after a withdrawal, the letter the plan asks for (red team red32: it
            # was called "sent without consent", and the plan asked for it again).
            continue
        known = consent_needed(kb, action.to) != UNKNOWN_BODY
        purposes = needed_purposes(kb, action.to) if known else SHARING
        found.append((Output(date=action.date, kind="action", to=action.to,
                             purposes=purposes), known))  # type: ignore[arg-type]  # fmt: skip
    ahead = day >= today
    return [(o, known) for o, known in found if o.purposes and (ahead or o.date <= day)]


@dataclass(frozen=True)
class Sent:
    """What the case log shows went out, as a withdrawal or a narrowed consent bears on it
    (`outputs_to_withdraw`)."""

    withdrawn: list[Output]  # under a consent no longer given
    purposes: list[str]  # those consents
    anonymised: list[Output]  # to the report with the name, the person now wanting it without
    unconsented: list[Output]  # without the consent of its day


def outputs_to_withdraw(
    case: CaseFile, answers: CaseAnswers, day: dt.date, kb: KnowledgeBase, today: dt.date
) -> Sent:
    """What went out (`sent_before`) under a consent the consent in effect no longer gives, the
    purposes it was, and what went to the Secretary-General's report with the person's name
    when they now agree to appear in it without it. Only what the consent of its day let go,
    at any moment of that day (`readings_during`; a day after today read as today), or, for a
    case from an earlier release, the consent it asked then in place of the body's own
    (`let_go`: the government's own bodies under `share_with_states`): details sent without
    consent are not called withdrawn (red team red30). A consent is no longer
    given once withdrawn, or narrowed by a later "no" or "undecided" (red team red29: a "no"
    recorded the natural way left the UN holding the case, and nobody asked it to stop using
    it)."""
    now = {p: None if p in answers.revoked else answers.consent_for(p) for p in CONSENT_PURPOSES}
    withdrawn: list[Output] = []
    purposes: set[str] = set()
    anonymised: list[Output] = []
    unconsented: list[Output] = []
    for output, known in sent_before(case, kb, day, today):
        readings = readings_during(case.consent, min(output.date, today))
        given = [
            p
            for p in output.purposes
            if any(let_go(r, p, answers.consent_for(p) is not None) for r in readings)
        ]
        lost = [p for p in given if not consented(now, p)]
        named = any(r["sg_report"] == "named" and consented(r, "sg_report") for r in readings)
        if known and len(given) < len(output.purposes):
            unconsented.append(output)
        elif lost:
            withdrawn.append(output)
            purposes.update(lost)
        elif "sg_report" in output.purposes and named and now["sg_report"] == "anonymous":
            anonymised.append(output)
    return Sent(withdrawn, [p for p in CONSENT_PURPOSES if p in purposes], anonymised, unconsented)


def evaluate_case(
    case: CaseFile,
    kb: KnowledgeBase,
    *,
    as_of: dt.date,
    lang: str = "en",
    name: str = "<case>",
    today: dt.date | None = None,
) -> Plan:
    """The plan for `case` on `as_of` (see the module docstring). From `today` on (by default
    this computer's date) a consent withdrawn or narrowed in a record dated later already
    applies (`answers_now`), and the warning says to check the dates, not to make the plan
    again."""
    today = today or dt.date.today()
    answers = answers_now(case, as_of, name, today=today)
    plan = evaluate(answers, kb, as_of=as_of, lang=lang)
    if plan.case_id is None and case.case_id is not None:
        plan = replace(plan, case_id=case.case_id)
    reasons = escalation(case, answers, kb, as_of)
    if reasons:
        plan = replace(plan, risk=escalated(plan.risk, reasons, kb))
    later = narrowed_after(case, as_of)
    if later:
        # Not on standard error only: a plan saved now may be read and acted on after the
        # person narrowed their consent.
        purposes = kb.safety.purpose_labels
        template = (
            kb.safety.consent_dated_later if as_of >= today else kb.safety.consent_narrowed_later
        )
        text = fill(
            template,
            day=as_of.isoformat(),
            withdrawn=kb.safety.join(f"{purposes[p]} ({d.isoformat()})" for p, d in later.items()),
        )
        note = PlanWarning(id=LATER_WITHDRAWAL_WARNING, text=text)
        plan = replace(plan, warnings=(note, *plan.warnings))
    pending = given_later(case.consent, as_of, today)
    if pending:
        purposes = kb.safety.purpose_labels
        text = fill(
            kb.safety.consent_given_later,
            day=as_of.isoformat(),
            given=kb.safety.join(f"{purposes[p]} ({d.isoformat()})" for p, d in pending.items()),
        )
        plan = replace(
            plan, warnings=(*plan.warnings, PlanWarning(id=LATER_CONSENT_WARNING, text=text))
        )
    sent = outputs_to_withdraw(case, answers, as_of, kb, today)
    notes: list[PlanWarning] = []
    if sent.unconsented:
        # Went out without the consent of its day (red team red30): the person must hear it.
        text = fill(kb.safety.sent_without_consent, outputs=_outputs(kb, sent.unconsented))
        notes.append(PlanWarning(id=UNCONSENTED_WARNING, text=text))
    if sent.anonymised:
        # Named in the Secretary-General's report, now to appear in it without the name only
        # (red team red30): whoever received it must be told, or the report names the person.
        text = fill(kb.safety.report_anonymous_outputs, outputs=_outputs(kb, sent.anonymised))
        notes.append(PlanWarning(id=ANONYMOUS_WARNING, text=text))
    if sent.withdrawn:
        text = fill(
            kb.safety.consent_revoked_outputs,
            purposes=kb.safety.join(kb.safety.purpose_labels[p] for p in sent.purposes),
            outputs=_outputs(kb, sent.withdrawn),
        )
        notes.append(PlanWarning(id=WITHDRAWAL_WARNING, text=text))
    return replace(plan, warnings=(*reversed(notes), *plan.warnings)) if notes else plan


def _outputs(kb: KnowledgeBase, outputs: list[Output]) -> str:
    """Outputs as a list inside a sentence, in the plan's language (`_output`)."""
    return kb.safety.join((_output(kb, o) for o in outputs), clauses=True)


def _output(kb: KnowledgeBase, output: Output) -> str:
    """One output made before a withdrawal, in the plan's language (`output_sent_to`)."""
    texts = kb.safety
    if output.to is None:
        template = texts.output_kind
    else:
        template = texts.output_sent_to if output.kind == "action" else texts.output_kind_to
    return fill(
        template,
        date=output.date.isoformat(),
        kind=one_line(output.kind),
        to=_name(kb, output.to or ""),
    )


def kb_entry(kb: KnowledgeBase, ident: str) -> object | None:
    """The mechanism, organisation or protection source with this id, or None."""
    for table in (kb.mechanisms, kb.organisations, kb.protection):
        entry = table.get(ident)
        if entry is not None:
            return entry
    return None


def _name(kb: KnowledgeBase, ident: str) -> str:
    """A knowledge-base entry's name (an id the knowledge base no longer has stays an id)."""
    return str(getattr(kb_entry(kb, ident), "name", ident))
