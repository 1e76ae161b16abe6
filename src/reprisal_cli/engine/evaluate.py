"""answers + knowledge base -> plan: fire the rules, run the gates, resolve contacts, assess the
risk, attach precedents, order the steps. Pure and deterministic: no clock, no I/O, no
randomness; the same inputs give an equal `Plan`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import weakref
from collections.abc import Iterator, Mapping

from reprisal_cli.answers import Answers
from reprisal_cli.contract import Audience, reader_of
from reprisal_cli.engine import advice
from reprisal_cli.engine.conditions import holds, matched
from reprisal_cli.engine.contacts import (
    complaint_notes,
    contact_views,
    membership_notes,
    named_bodies,
    plan_contact,
    references,
    resolve,
    step_contacts,
    treaty_committees,
    un_contact_ids,
    urgent_shares,
)
from reprisal_cli.engine.gates import (
    Reach,
    apply_gates,
    device_advice_ahead,
    person_cannot_act,
)
from reprisal_cli.engine.plan import (
    KBInfo,
    Note,
    Plan,
    PlanContact,
    PlanWarning,
    Risk,
    Step,
    Why,
)
from reprisal_cli.engine.precedents import match_precedents
from reprisal_cli.engine.risk import assess_risk, imminent
from reprisal_cli.engine.states import with_region
from reprisal_cli.engine.steps import TIER_LATER, TIER_NORMAL, Draft
from reprisal_cli.engine.urgency import assign_urgency
from reprisal_cli.kb.base import fill
from reprisal_cli.kb.i18n import translate_kb
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.models import Contact, TranslationFile, share_flags
from reprisal_cli.kb.rules import Rule, SafetyTexts, StepTemplate, Warning
from reprisal_cli.kb.staleness import stale_contacts

# Kinds that build capacities (take time): after reducing exposure when the threat is imminent.
CAPACITY_KINDS = frozenset({"preventive"})


def evaluate(answers: Answers, kb: KnowledgeBase, *, as_of: dt.date, lang: str = "en") -> Plan:
    """The do-no-harm action plan for one case, dated `as_of` (staleness is measured from it).

    Texts come from the knowledge base's translation into `lang` where one exists (English,
    marked, for any text it lacks); without one, the plan is in English with a warning.
    `AnswersError` when the answers' region contradicts their state.
    """
    answers = with_region(kb, answers)
    if kb.lang != "en":  # the caller already has the knowledge base in its language
        lang = kb.lang
    translation = kb.translations.get(lang) if lang != "en" else None
    plan_lang = lang if translation is not None else "en"
    kb = translated(kb, translation)
    drafts: dict[str, Draft] = {}
    rule_warnings: list[Warning] = []
    reader = audience(answers)
    fired = _fired(kb, answers)
    for rule, why in fired:
        for template in rule.then.steps:
            worded = for_answers(template, reader, answers, kb)
            drafts.setdefault(template.id, Draft(worded)).add_why(why)
        for warning in rule.then.warnings:
            if all(w.id != warning.id for w in rule_warnings):
                rule_warnings.append(warning)

    drafts = _carriers(drafts, fired)
    questions = _question_words(kb, reader, answers)
    safety = kb.safety.for_reader(reader)
    definitions = _StepDefinitions(kb, reader, answers)
    risk = assess_risk(answers, kb)
    grave = risk.level in ("high", "critical")
    gated = apply_gates(
        list(drafts.values()),
        answers,
        safety,
        definitions,
        questions,
        grave_risk=grave,
        reach=functools.partial(_reach, answers=answers, kb=kb),
    )
    gated.steps[:] = _joined(gated.steps, reader)
    # Each step's contacts, found once: the bodies named below and the step's own list read them.
    un_ids = CACHE.un_contacts(kb)
    given = {d.id: resolve(d.template, answers, kb, un_ids) for d in gated.steps}
    _name_bodies(gated.steps, fired, given, kb)
    gated.steps[:] = [d for d in gated.steps if d.bodies or not d.template.carries_bodies]
    if reader == "other":
        risk = _risk_for_other(risk, kb, safety)
    warnings = list(gated.warnings)
    if imminent(answers, risk):
        for draft in gated.steps:
            if draft.kind in CAPACITY_KINDS and draft.tier >= TIER_NORMAL:
                draft.tier = TIER_LATER
        warnings.insert(1, Note(id="reduce_exposure_first", text=safety.reduce_exposure_first))

    ordered = assign_urgency(sorted(gated.steps, key=Draft.sort_key), answers, as_of)
    device_advice_ahead(ordered, answers, safety)
    advised = _advice(ordered, answers, kb)
    steps = tuple(
        _step(d, n, given[d.id], answers, kb, as_of, tips)
        for n, (d, tips) in enumerate(zip(ordered, advised, strict=True), start=1)
    )

    known = {w.id for w in warnings}
    # Worded by the steps the plan holds (`Warning.without`): a warning names no step it lacks.
    held = {s.id for s in steps}
    warnings += [
        Note(id=w.id, text=w.for_reader(reader, held)) for w in rule_warnings if w.id not in known
    ]
    warnings += _contact_warnings(steps, kb, as_of)
    if kb.custom:
        warnings.append(Note(id="custom_kb", text=kb.safety.custom_kb))
    if kb.modified:
        warnings.append(Note(id="modified_kb", text=kb.safety.modified_kb))
    if lang != plan_lang:
        warnings.append(Note(id="translation_missing", text=kb.safety.translation_missing))

    return Plan(
        case_id=answers.case_id,
        lang=plan_lang,
        lang_reviewed=translation is None or translation.reviewed,
        as_of=as_of.isoformat(),
        audience=reader,
        kb=KBInfo(
            version=kb.meta.version,
            fingerprint=kb.fingerprint,
            custom=kb.custom,
            modified=kb.modified,
        ),
        steps=steps,
        withheld=tuple(gated.withheld),
        warnings=concerning(warnings, steps),
        precedents=match_precedents(answers, kb),
        risk=risk,
    )


def concerning(warnings: list[Note], steps: tuple[Step, ...]) -> tuple[PlanWarning, ...]:
    """The plan's warnings, each naming the steps whose detail carries its text as a paragraph
    (`PlanWarning.steps`): a caution put on several steps is then said once in the full views,
    which name its steps there and refer to it from each of them (caseworker review 6, C4), and
    a caution of one step never stands among the warnings without naming it (C3)."""
    carried = [{p.strip() for p in step.detail.split("\n\n")} for step in steps]
    return tuple(
        PlanWarning(
            id=w.id,
            text=w.text,
            steps=tuple(s.id for s, paras in zip(steps, carried, strict=True) if w.text in paras),
        )
        for w in warnings
    )


def audience(answers: Answers) -> Audience:
    """Whom the plan speaks to (contract §2, v1.1): someone else when someone else answers, or
    when the person at risk is detained or missing and cannot act; else the person at risk."""
    return reader_of(answers.respondent, answers.location)


def _risk_for_other(risk: Risk, kb: KnowledgeBase, safety: SafetyTexts) -> Risk:
    """The risk factors worded for a reader who is not the person at risk (`text_other`), and
    the danger now as theirs ("to the person", not "to you"; `safety` is worded for them)."""
    other = {f.id: f.text_other for f in (*kb.vulnerabilities, *kb.capacities) if f.text_other}
    # The threat shares its id with the vulnerability "immediate_danger": its own words.
    threats = {"immediate_danger": safety.threat_immediate_danger}

    def worded(notes: tuple[Note, ...], words: dict[str, str]) -> tuple[Note, ...]:
        return tuple(Note(id=n.id, text=words.get(n.id, n.text)) for n in notes)

    return dataclasses.replace(
        risk,
        threats=worded(risk.threats, threats),
        vulnerabilities=worded(risk.vulnerabilities, other),
        capacities=worded(risk.capacities, other),
    )


def _question_words(kb: KnowledgeBase, reader: Audience, answers: Answers) -> dict[str, str]:
    """Each answer key worded as its question, as the plan's reader was asked it (a consent,
    by someone else for a person detained or missing, as the family's or a representative's)."""
    held = answers.respondent != "self" and person_cannot_act(answers)
    return {q.key: q.worded(other=reader == "other", held=held) for q in kb.questions}


class EngineCache:
    """What the engine keeps between plans, for as long as each knowledge base lives (it stays
    a frozen value; what is kept for it goes with it):

    - its translations, one per language: making one takes about 9 ms and a plan about 1 ms,
      so a batch in French would otherwise spend most of its time translating the same
      knowledge base again;
    - its contacts as a plan of one date shows them (`contact_views`), for the last date asked:
      they depend on nothing else, a plan shows about 30 of them (15 different ones), and
      building them anew was a sixth of a batch's time, which took a batch of 10,000 cases over
      its 10 s target (bench/RESULTS.md, 2026-12-03);
    - which of its contacts are at a UN address (`un_contact_ids`), shown to no body that is
      not the UN's without a yes to the UN: recognising them for each step made a plan eight
      times slower (bench/RESULTS.md, 2026-12-03, evening).

    Nothing else is kept: measured without each memo the engine once had, none other was needed
    for a target (bench/RESULTS.md)."""

    def __init__(self) -> None:
        self._translations: dict[tuple[int, str], tuple[TranslationFile, KnowledgeBase]] = {}
        self._views: dict[int, tuple[dt.date, dict[str, PlanContact]]] = {}
        self._un: dict[int, frozenset[str]] = {}
        self._alive: dict[int, weakref.ref[KnowledgeBase]] = {}

    def translated(self, kb: KnowledgeBase, translation: TranslationFile | None) -> KnowledgeBase:
        """`kb` in the translation's language (`kb` itself without one), made once."""
        if translation is None:
            return kb
        key = (id(kb), translation.lang)
        kept = self._translations.get(key)
        if kept is not None and kept[0] is translation:
            return kept[1]
        found = translate_kb(kb, translation)
        if found is kb:  # already in that language: keeping it would keep it alive
            return kb
        self._watch(kb)
        self._translations[key] = (translation, found)
        return found

    def contact_views(self, kb: KnowledgeBase, as_of: dt.date) -> dict[str, PlanContact]:
        """`kb`'s contacts as a plan dated `as_of` shows them (`engine.contacts.contact_views`),
        made once per knowledge base and date."""
        kept = self._views.get(id(kb))
        if kept is not None and kept[0] == as_of:
            return kept[1]
        views = contact_views(kb, as_of)
        self._watch(kb)
        self._views[id(kb)] = (as_of, views)
        return views

    def un_contacts(self, kb: KnowledgeBase) -> frozenset[str]:
        """`kb`'s contacts at a UN address (`engine.contacts.un_contact_ids`), made once per
        knowledge base."""
        kept = self._un.get(id(kb))
        if kept is None:
            kept = self._un[id(kb)] = un_contact_ids(kb)
            self._watch(kb)
        return kept

    def _watch(self, kb: KnowledgeBase) -> None:
        """Forget what is kept for `kb` once it no longer exists (its id may be reused)."""
        if id(kb) not in self._alive:
            self._alive[id(kb)] = weakref.ref(kb, functools.partial(self._forget, id(kb)))

    def _forget(self, ident: int, _: object) -> None:
        """Drop what was kept for a knowledge base that no longer exists (its id may be reused)."""
        del self._alive[ident]
        self._views.pop(ident, None)
        self._un.pop(ident, None)
        for key in [key for key in self._translations if key[0] == ident]:
            del self._translations[key]


CACHE = EngineCache()


def translated(kb: KnowledgeBase, translation: TranslationFile | None) -> KnowledgeBase:
    """`kb` in the translation's language, made once per knowledge base and language
    (`EngineCache`)."""
    return CACHE.translated(kb, translation)


def _fired(kb: KnowledgeBase, answers: Answers) -> list[tuple[Rule, Why]]:
    """The rules whose conditions hold, in order, each with its `why`."""
    return [
        (rule, Why(rule=rule.id, matched=matched(rule.when, answers, kb.states)))
        for rule in kb.rules
        if holds(rule.when, answers, kb.states)
    ]


def _reach(template: StepTemplate, *, answers: Answers, kb: KnowledgeBase) -> Reach:
    """The bodies a step reaches, for the gates' choice of a safe route (`gates.Reach`): the
    mechanisms and protection sources among its contacts as the plan gives them (`references`),
    a contact given by its own id standing for the body it belongs to (the Committee on Enforced
    Disappearances' urgent-action mailbox for the Committee: its step was no route for "ask the
    committee concerned to speak publicly", code reading of 2026-12-05), less those it names only
    as a fallback or a copy (`no_conditions_of`), and the mechanisms' families."""

    def body(ref: str) -> str:
        return kb.contact_owner[ref].id if ref in kb.contact_owner else ref

    bodies = frozenset(
        body(ref)
        for ref in references(template, answers, kb)
        if ref not in template.no_conditions_of
        and (body(ref) in kb.mechanisms or body(ref) in kb.protection)
    )
    families = frozenset(kb.mechanisms[b].family for b in bodies if b in kb.mechanisms)
    return Reach(bodies=bodies, families=families)


def named_mechanisms(answers: Answers, kb: KnowledgeBase) -> tuple[str, ...]:
    """The mechanisms the rules that hold for these answers point to: those among a step's
    contacts as the plan gives them (`references`: the urgent mechanisms of what happened, the
    committees of `treaty_body`, the step's own) and the bodies a step names (`then.bodies`);
    before the gates, whose consent checks are the caller's (`render.draft` keeps its own). A
    contact a step names by its own id (the Petitions Team's, shared by every committee) stands
    for no one mechanism. A body a step names only as a fallback or a copy (`no_conditions_of`)
    is not pointed to by that step.

    In the plan's order: by the priority of the first step that points to them, in that step's
    order, the bodies a rule names in a step after its contacts (a draft addresses them in that
    order: the Working Group on Enforced Disappearances, first in the urgent appeal for a
    disappearance, before the special procedures' form; caseworker review 8, B3)."""
    fired = _fired(kb, answers)
    first: dict[str, StepTemplate] = {}
    found: list[tuple[int, int, str]] = []
    for rule, _ in fired:
        for template in rule.then.steps:
            first.setdefault(template.id, template)
            found += [
                (template.priority, 0, ref)
                for ref in references(template, answers, kb)
                if ref not in template.no_conditions_of
            ]
    for rule, _ in fired:
        for named in rule.then.bodies:
            under = next((first[s] for s in named.under if s in first), None)
            # A body whose steps the plan lacks: after every step (priorities are below 100).
            priority = under.priority if under is not None else 100
            found += [(priority, 1, mech_id) for mech_id in named.mechanisms]
    ordered = sorted(found, key=lambda item: item[:2])  # stable: each step's own order kept
    return tuple(dict.fromkeys(ref for *_, ref in ordered if ref in kb.mechanisms))


def for_answers(
    template: StepTemplate, reader: Audience, answers: Answers, kb: KnowledgeBase
) -> StepTemplate:
    """A step in the words these answers call for: its first variant whose condition holds
    (the person's lawyer answering, a consent already given), else its own words; either for
    the plan's reader (`StepTemplate.for_reader`); sharing with what its urgent mechanisms
    reach (`urgent_shares`)."""
    variant = next((v for v in template.variants if holds(v.when, answers, kb.states)), None)
    worded = template.for_reader(reader, variant)
    if template.treaty_body_contacts and answers.treaty_body:
        worded = _committees_named(worded, answers, kb)
    return urgent_shares(worded, answers, kb)


def _committees_named(template: StepTemplate, answers: Answers, kb: KnowledgeBase) -> StepTemplate:
    """The step to the treaty bodies of `treaty_body`, titled with their names (the short plan
    shows titles, and their contacts are OHCHR mailboxes named after OHCHR)."""
    names = [kb.mechanisms[mech_id].name for mech_id in treaty_committees(answers, kb)]
    if not names:
        return template
    safety = kb.safety
    pattern = safety.committee_title if len(names) == 1 else safety.committees_title
    return dataclasses.replace(
        template, title=fill(pattern, committees=safety.join(names, clauses=True))
    )


class _StepDefinitions(Mapping[str, StepTemplate]):
    """Every step any rule defines, each in the words these answers call for and the reader's
    (a safe route the gates add reads like the steps the rules gave), worded only when the
    gates ask for it: wording all of them for every plan was a tenth of a batch's time
    (bench/RESULTS.md, 2026-12-03)."""

    def __init__(self, kb: KnowledgeBase, reader: Audience, answers: Answers) -> None:
        self._kb, self._reader, self._answers = kb, reader, answers
        self._templates: dict[str, StepTemplate] = {}
        for rule in kb.rules:
            for template in rule.then.steps:
                self._templates.setdefault(template.id, template)

    def __getitem__(self, ident: str) -> StepTemplate:
        return for_answers(self._templates[ident], self._reader, self._answers, self._kb)

    def __iter__(self) -> Iterator[str]:
        return iter(self._templates)

    def __len__(self) -> int:
        return len(self._templates)


def _joined(steps: list[Draft], reader: str) -> list[Draft]:
    """The steps after the gates, each step that `joins` another the plan holds left out: that
    step says, in the joining step's words, what it would have added, and carries its trace
    (the loader checks that it shares at least as much, so its consents cover the words)."""
    present = {d.id: d for d in steps}
    kept: list[Draft] = []
    for draft in steps:
        joins = draft.template.joins
        target = present.get(joins.step) if joins is not None else None
        if joins is None or target is None:
            kept.append(draft)
            continue
        target.add_extra(joins.for_reader(reader))
        for why in draft.why:
            target.add_why(why)
    return kept


def _carriers(drafts: dict[str, Draft], fired: list[tuple[Rule, Why]]) -> dict[str, Draft]:
    """The drafts, less each step that only carries named bodies (`carries_bodies`) and that no
    rule which holds would name bodies in: it is not the first step of their `under` among the
    drafts. Left out before the gates, so that a step which would say nothing is not listed as
    held back either; after them, `_name_bodies` names in it what no earlier step took."""
    wanted = {
        next((s for s in named.under if s in drafts), None)
        for rule, _ in fired
        for named in rule.then.bodies
    }
    return {
        step_id: d
        for step_id, d in drafts.items()
        if not d.template.carries_bodies or step_id in wanted
    }


def _name_bodies(
    steps: list[Draft],
    fired: list[tuple[Rule, Why]],
    given: Mapping[str, list[str]],
    kb: KnowledgeBase,
) -> None:
    """Each rule's `then.bodies` go to the first of their `under` steps that the plan holds
    after the gates (a held-back step names nothing), with the rule in that step's trace. A
    body a step of the plan already lists among its contacts is not named again (the Special
    Rapporteur on defenders in the urgent appeal and in the senior official's step: caseworker
    review 5, C2)."""
    present = {d.id: d for d in steps}
    listed = {
        kb.contact_owner[cid].id for d in steps for cid in given[d.id] if cid in kb.contact_owner
    }
    for rule, why in fired:
        for named in rule.then.bodies:
            target = next((present[s] for s in named.under if s in present), None)
            bodies = tuple(m for m in named.mechanisms if m not in listed)
            if target is not None and bodies:
                target.add_bodies(bodies)
                target.add_why(why)


def _advice(ordered: list[Draft], answers: Answers, kb: KnowledgeBase) -> list[tuple[str, ...]]:
    """Each step's advice (engine/advice.py): its mechanisms' conditions, then the reprisals'.
    The conditions of the bodies the step itself names come first (the urgent appeal's "letters
    become public later"), then those of the bodies the answers add, though these are listed
    first among its contacts; none of the bodies it names only as a fallback or a copy
    (`no_conditions_of`)."""
    own = [
        advice.Slot(
            d.kind,
            advice.conditions(
                [
                    ref
                    for ref in [*d.template.contacts, *references(d.template, answers, kb)]
                    if ref not in d.template.no_conditions_of
                ],
                kb,
                answers.treaty_body,
            ),
            d.shares,
            d.template.organisations.services if d.template.organisations else (),
            d.id,
        )
        for d in ordered
    ]
    return advice.share_out(own, advice.mitigations(answers, kb))


def _step(
    draft: Draft,
    priority: int,
    resolved: list[str],
    answers: Answers,
    kb: KnowledgeBase,
    as_of: dt.date,
    tips: tuple[str, ...] = (),
) -> Step:
    template = draft.template
    contacts, pages = step_contacts(template, resolved, answers, kb, CACHE.contact_views(kb, as_of))
    extra = list(draft.extra)
    extra += named_bodies(template, draft.bodies, answers, kb)
    extra += [fill(kb.safety.find_contact_at, where=where) for where in pages]
    extra += membership_notes(template, answers, kb)
    extra += complaint_notes(template, answers, kb)
    detail = "\n\n".join([template.detail, *extra])
    return Step(
        id=template.id,
        kind=template.kind,
        priority=priority,
        urgency=draft.urgency,
        title=draft.heading or template.title,
        detail=detail,
        **share_flags(draft.shares),
        contacts=contacts,
        checklist=template.checklist,
        why=tuple(draft.why),
        advice=tips,
        find_at=tuple(pages),
    )


def _contact_warnings(steps: tuple[Step, ...], kb: KnowledgeBase, as_of: dt.date) -> list[Note]:
    """Contacts to check first (or, when none is confirmed, that none is); those confirmed once
    but more than the limit ago (never confirmed ones say so on themselves); and the
    availability warning of every organisation whose contact the plan shows (a paused or closed
    programme)."""
    shown = list(dict.fromkeys(c.id for step in steps for c in step.contacts))
    out: list[Note] = []
    statuses = {c.status for step in steps for c in step.contacts}
    if statuses == {"check_current"}:
        # None confirmed, fallbacks included: said once, plainly (caseworker review 5, C7).
        out.append(Note(id="no_contact_confirmed", text=kb.safety.no_contact_confirmed))
    elif "check_current" in statuses:
        out.append(Note(id="check_current_contact", text=kb.safety.check_current_contact))
    stale = [s for s in stale_contacts(kb, as_of, among=shown) if s.months is not None]
    if stale:
        listed = kb.safety.join((_stale_item(kb, s.owner, s.contact) for s in stale), clauses=True)
        out.append(Note(id="stale_contacts", text=fill(kb.safety.stale_contact, contacts=listed)))
    for org_id in dict.fromkeys(kb.contact_owner[c].id for c in shown if c in kb.contact_owner):
        org = kb.organisations.get(org_id)
        if org is not None and org.availability_warning:
            out.append(Note(id=f"availability_{org.id}", text=org.availability_warning))
    return out


def _stale_item(kb: KnowledgeBase, owner: str, contact: Contact) -> str:
    """One contact of the `stale_contact` warning, in the plan's language."""
    day = contact.last_confirmed.date
    template = kb.safety.stale_contact_never if day is None else kb.safety.stale_contact_item
    return fill(
        template,
        owner=owner,
        value=contact.value,
        date=day.isoformat() if day is not None else "",
    )


def foreign_contacts(plan: Plan, kb: KnowledgeBase) -> list[PlanContact]:
    """The contacts of a plan read from a file (`open`) that this knowledge base does not give
    as the plan does: an id it does not have, or another channel or value. A plan file sent
    by someone else, or saved before a release changed a number, showed its contacts as the
    knowledge base's own (red team red39). Its freshness too: what the knowledge base says of
    it on the plan's day (confirmed or to check, when and how, the source's date), so that an
    emergency line the knowledge base has not seen confirmed since 2019 is never shown as
    "Confirmed on the official page on 2026-12-01" because the file says so (red team red40).
    """
    try:
        day = dt.date.fromisoformat(plan.as_of)
    except ValueError:
        day = dt.date.min
    found: dict[str, PlanContact] = {}
    for step in plan.steps:
        for contact in step.contacts:
            known = kb.contacts.get(contact.id)
            if known is None or _seen(contact) != _seen(plan_contact(known, kb, day)):
                found.setdefault(f"{contact.id}\0{contact.value}", contact)
    return list(found.values())


def _seen(contact: PlanContact) -> tuple[object, ...]:
    """What a plan says of a contact that the knowledge base decides, words aside (the name
    and the hours are in the plan's language)."""
    return (
        contact.channel,
        contact.value,
        contact.status,
        contact.verified,
        contact.source_date,
        contact.last_confirmed,
        contact.unconfirmed_at_release,
    )


def not_builtin(plan: Plan, kb: KnowledgeBase) -> Plan:
    """The plan marked as made with a knowledge base that is not the built-in one (`custom`,
    and its warning, shown at the top of every view), as a plan made with `--kb` is."""
    warnings = plan.warnings
    if not any(w.id == "custom_kb" for w in warnings):
        warnings = (*warnings, PlanWarning(id="custom_kb", text=kb.safety.custom_kb))
    return dataclasses.replace(
        plan, kb=dataclasses.replace(plan.kb, custom=True), warnings=warnings
    )
