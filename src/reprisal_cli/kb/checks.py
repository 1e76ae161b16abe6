"""Cross-checks over the whole knowledge base: unique ids, references that resolve, coverage of the
contract, contacts with sources; and the staleness of contacts against a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from reprisal_cli.contract import ENGAGEMENTS, REPRISALS, TREATY_BODIES
from reprisal_cli.documents import Document, PathPart
from reprisal_cli.errors import KnowledgeBaseError, Problem
from reprisal_cli.kb.base import Model
from reprisal_cli.kb.knowledge import ContactOwner, KnowledgeBase
from reprisal_cli.kb.models import (
    CasesFile,
    ChecklistsFile,
    Contact,
    KBMeta,
    MechanismsFile,
    Organisation,
    OrganisationsFile,
    ProtectionFile,
    RisksFile,
)
from reprisal_cli.kb.provenance import (
    confirmed_within,
    kb_date,
    months_between,
    parse_source_date,
)
from reprisal_cli.kb.questions import QuestionsFile
from reprisal_cli.kb.rules import RulesFile, SafetyFile, StepTemplate
from reprisal_cli.kb.states import StatesFile, check_states


@dataclass
class _Index:
    """Ids seen so far, with where each was defined."""

    docs: dict[str, Document]
    problems: list[Problem]

    def __post_init__(self) -> None:
        self.seen: dict[str, tuple[str, list[PathPart]]] = {}

    def at(self, file: str, path: list[PathPart], message: str) -> None:
        self.problems.append(self.docs[file].problem(path, message))

    def define(self, kind: str, ident: str, file: str, path: list[PathPart]) -> None:
        key = f"{kind}:{ident}"
        if key in self.seen:
            other_file, other_path = self.seen[key]
            pos = self.docs[other_file].locate(other_path)
            where = f"{other_file}:{pos[0]}" if pos else other_file
            self.at(file, [*path, "id"], f"duplicate id {ident!r} (first defined at {where})")
        else:
            self.seen[key] = (file, path)


def assemble(  # noqa: PLR0915 - one pass over the files, in order
    docs: dict[str, Document],
    models: dict[str, Model],
    *,
    overlay_orgs: OrganisationsFile | None,
    overlay_contacts: list[tuple[str, Contact]],
    fingerprint: str,
    source: str,
    custom: bool,
    modified: bool,
) -> KnowledgeBase:
    """Index the files, check every cross-reference, and build the `KnowledgeBase`."""
    problems: list[Problem] = []
    ix = _Index(docs, problems)
    mech_file = _get(models, "mechanisms.yaml", MechanismsFile)
    org_file = _get(models, "organisations.yaml", OrganisationsFile)
    prot_file = _get(models, "protection.yaml", ProtectionFile)
    risk_file = _get(models, "risks.yaml", RisksFile)
    check_file = _get(models, "checklists.yaml", ChecklistsFile)
    case_file = _get(models, "cases.yaml", CasesFile)
    rule_file = _get(models, "rules.yaml", RulesFile)
    safety = _get(models, "safety.yaml", SafetyFile).safety
    questions = _get(models, "questions.yaml", QuestionsFile).questions

    # Entities share one namespace, so a step's `contacts: [x]` is never ambiguous.
    contacts: dict[str, Contact] = {}
    owners: dict[str, ContactOwner] = {}
    entity_ids: set[str] = set()

    def add_contacts(
        owner_id: str,
        owner_name: str,
        items: Iterable[Contact],
        file: str,
        base: list[PathPart],
        custom_owner: bool = False,
    ) -> None:
        for j, contact in enumerate(items):
            ix.define("entity", contact.id, file, [*base, "contacts", j])
            contacts[contact.id] = contact
            owners[contact.id] = ContactOwner(owner_id, owner_name, custom_owner)

    for i, mech in enumerate(mech_file.mechanisms):
        ix.define("entity", mech.id, "mechanisms.yaml", ["mechanisms", i])
        entity_ids.add(mech.id)
        add_contacts(mech.id, mech.name, mech.contacts, "mechanisms.yaml", ["mechanisms", i])

    organisations: dict[str, Organisation] = {}
    for i, org in enumerate(org_file.organisations):
        ix.define("entity", org.id, "organisations.yaml", ["organisations", i])
        entity_ids.add(org.id)
        organisations[org.id] = org
        add_contacts(org.id, org.name, org.contacts, "organisations.yaml", ["organisations", i])
    if overlay_orgs is not None:
        for i, org in enumerate(overlay_orgs.organisations):
            if org.id in organisations:  # a local entry replaces the built-in one
                for contact in organisations[org.id].contacts:
                    contacts.pop(contact.id, None)
                    owners.pop(contact.id, None)
                    ix.seen.pop(f"entity:{contact.id}", None)
                ix.seen.pop(f"entity:{org.id}", None)
            file = "overlay:organisations.yaml"
            ix.define("entity", org.id, file, ["organisations", i])
            entity_ids.add(org.id)
            organisations[org.id] = org
            add_contacts(org.id, org.name, org.contacts, file, ["organisations", i], True)
    for i, (owner, contact) in enumerate(overlay_contacts):
        file = "overlay:contacts.yaml"
        base: list[PathPart] = ["contacts", i]
        if owner not in entity_ids:
            ix.at(file, [*base, "owner"], f"unknown mechanism or organisation {owner!r}")
            continue
        ix.define("entity", contact.id, file, [*base, "contact"])
        contacts[contact.id] = contact
        owners[contact.id] = ContactOwner(owner, _name(mech_file, organisations, owner), True)

    for i, prot in enumerate(prot_file.protection):
        ix.define("entity", prot.id, "protection.yaml", ["protection", i])
        entity_ids.add(prot.id)
    for i, checklist in enumerate(check_file.checklists):
        ix.define("checklist", checklist.id, "checklists.yaml", ["checklists", i])
    for i, case in enumerate(case_file.cases):
        ix.define("case", case.id, "cases.yaml", ["cases", i])
    for i, risk in enumerate(risk_file.risks):
        ix.define("risk", risk.id, "risks.yaml", ["risks", i])
    for group in ("vulnerabilities", "capacities"):
        for i, factor in enumerate(getattr(risk_file, group)):
            ix.define("factor", factor.id, "risks.yaml", [group, i])
    for i, rule in enumerate(rule_file.rules):
        ix.define("rule", rule.id, "rules.yaml", ["rules", i])
    for i, question in enumerate(questions):
        ix.define("question", question.id, "questions.yaml", ["questions", i])

    checklist_ids = {c.id for c in check_file.checklists}
    mechanism_ids = {m.id for m in mech_file.mechanisms}

    _check_fallbacks(ix, contacts)

    _check_roles(ix, mech_file, contacts)

    for i, risk in enumerate(risk_file.risks):
        _refs(
            ix,
            "risks.yaml",
            ["risks", i, "checklists"],
            risk.checklists,
            checklist_ids,
            "checklist",
        )
        _refs(
            ix,
            "risks.yaml",
            ["risks", i, "urgent_mechanisms"],
            risk.urgent_mechanisms,
            mechanism_ids,
            "mechanism",
        )
    for i, case in enumerate(case_file.cases):
        _refs(
            ix,
            "cases.yaml",
            ["cases", i, "mechanisms"],
            case.mechanisms,
            mechanism_ids,
            "mechanism",
        )

    refs = _StepRefs(contacts, entity_ids, checklist_ids, _reached(mech_file, prot_file))
    _check_rules(ix, rule_file, refs)
    for name in ("emergency_step", "digital_security_step"):
        _check_step(ix, "safety.yaml", ["safety", name], getattr(safety, name), refs)
    _refs(
        ix,
        "safety.yaml",
        ["safety", "emergency_contacts"],
        safety.emergency_contacts,
        set(contacts) | entity_ids,
        "contact",
    )

    meta = _get(models, "kb.yaml", KBMeta)
    kb_day = kb_date(meta.version)
    if kb_day is not None:
        # An overlay is confirmed after the release it lies over: `kb validate` checks its dates
        # against the day it runs instead.
        _check_dates(ix, _dated(mech_file, [("organisations.yaml", org_file)], []), kb_day)

    state_file = models.get("states.yaml")
    if isinstance(state_file, StatesFile):
        check_states(state_file, docs["states.yaml"], problems)
    else:
        state_file = StatesFile(sources=(), states=())

    if problems:
        raise KnowledgeBaseError(problems)

    return KnowledgeBase(
        meta=meta,
        mechanisms={m.id: m for m in mech_file.mechanisms},
        organisations=organisations,
        protection={p.id: p for p in prot_file.protection},
        risks={r.id: r for r in risk_file.risks},
        vulnerabilities=risk_file.vulnerabilities,
        capacities=risk_file.capacities,
        checklists={c.id: c for c in check_file.checklists},
        cases={c.id: c for c in case_file.cases},
        rules=rule_file.rules,
        safety=safety,
        questions=questions,
        contacts=contacts,
        contact_owner=owners,
        fingerprint=fingerprint,
        source=source,
        custom=custom,
        modified=modified,
        states={s.code: s for s in state_file.states},
        state_sources={s.id: s for s in state_file.sources},
    )


def _check_roles(ix: _Index, mech_file: MechanismsFile, contacts: dict[str, Contact]) -> None:
    """Whom to contact about a reprisal: known contacts, or an official page to find them on."""
    for i, mech in enumerate(mech_file.mechanisms):
        for j, role in enumerate(mech.reprisal_contacts):
            base: list[PathPart] = ["mechanisms", i, "reprisal_contacts", j]
            for k, ref in enumerate(role.contacts):
                if ref not in contacts:
                    ix.at("mechanisms.yaml", [*base, "contacts", k], f"unknown contact {ref!r}")
            if not role.contacts and role.find_at is None:
                ix.at("mechanisms.yaml", base, "give 'contacts' or 'find_at' (an official page)")


def _check_fallbacks(ix: _Index, contacts: dict[str, Contact]) -> None:
    """A `check_current` contact's fallback exists and is itself confirmed."""
    for contact_id, contact in contacts.items():
        if contact.fallback is None:
            continue
        target = contacts.get(contact.fallback)
        file, path = _where(ix, contact_id)
        if target is None:
            ix.at(file, [*path, "fallback"], f"unknown contact {contact.fallback!r}")
        elif target.status != "confirmed":
            ix.at(file, [*path, "fallback"], f"fallback {contact.fallback!r} is not 'confirmed'")


@dataclass(frozen=True)
class _StepRefs:
    """What a step may refer to, and whom each mechanism or its contacts reach."""

    contacts: dict[str, Contact]
    entities: set[str]
    checklists: set[str]
    # Mechanism and mechanism-contact ids -> the `shares` value a step naming them must declare.
    reached: dict[str, str]


def _reached(mech_file: MechanismsFile, prot_file: ProtectionFile) -> dict[str, str]:
    out: dict[str, str] = {
        p.id: "states" for p in prot_file.protection if p.shares_with == "states"
    }
    for mech in mech_file.mechanisms:
        share = "regional" if mech.family == "regional" else "un"
        out[mech.id] = share
        for contact in mech.contacts:
            out[contact.id] = share
    return out


def _check_rules(ix: _Index, rule_file: RulesFile, refs: _StepRefs) -> None:
    """Step references resolve; a step id means one step; `instead` names steps that share no
    more than the step they replace."""
    step_defs: dict[str, StepTemplate] = {}
    for i, rule in enumerate(rule_file.rules):
        for j, step in enumerate(rule.then.steps):
            path: list[PathPart] = ["rules", i, "then", "steps", j]
            _check_step(ix, "rules.yaml", path, step, refs)
            if step_defs.setdefault(step.id, step) != step:
                ix.at(
                    "rules.yaml",
                    [*path, "id"],
                    f"step {step.id!r} is defined differently by another rule",
                )
    for i, rule in enumerate(rule_file.rules):
        for j, named in enumerate(rule.then.bodies):
            at: list[PathPart] = ["rules", i, "then", "bodies", j]
            for k, ref in enumerate(named.under):
                target = step_defs.get(ref)
                if target is None:
                    ix.at("rules.yaml", [*at, "under", k], f"unknown step {ref!r}")
                    continue
                for m, mech_id in enumerate(named.mechanisms):
                    needed = refs.reached.get(mech_id)
                    if mech_id not in refs.entities:
                        ix.at(
                            "rules.yaml", [*at, "mechanisms", m], f"unknown mechanism {mech_id!r}"
                        )
                    elif needed is not None and needed not in target.shares:
                        ix.at(
                            "rules.yaml",
                            [*at, "under", k],
                            f"step {ref!r} does not share with '{needed}', as {mech_id!r} needs",
                        )
    for i, rule in enumerate(rule_file.rules):
        for j, step in enumerate(rule.then.steps):
            for k, ref in enumerate(step.instead):
                where: list[PathPart] = ["rules", i, "then", "steps", j, "instead", k]
                alternative = step_defs.get(ref)
                if alternative is None:
                    ix.at("rules.yaml", where, f"unknown step {ref!r}")
                    continue
                more = set(alternative.shares) - set(step.shares) - {"others"}
                if step.sg_report == "named":
                    more -= {"sg_report_anonymous"}  # the same request, without names
                if alternative.public or more:
                    what = "is public" if alternative.public else f"also shares {sorted(more)}"
                    ix.at("rules.yaml", where, f"step {ref!r} {what}: not a safer route")


def _get(models: dict[str, Model], name: str, kind: type[Any]) -> Any:
    model = models[name]
    assert isinstance(model, kind)
    return model


def _name(mechs: MechanismsFile, orgs: dict[str, Organisation], ident: str) -> str:
    for mech in mechs.mechanisms:
        if mech.id == ident:
            return mech.name
    return orgs[ident].name


def _where(ix: _Index, ident: str) -> tuple[str, list[PathPart]]:
    return ix.seen[f"entity:{ident}"]


def _refs(
    ix: _Index, file: str, path: list[PathPart], refs: Iterable[str], known: set[str], what: str
) -> None:
    for k, ref in enumerate(refs):
        if ref not in known:
            ix.at(file, [*path, k], f"unknown {what} {ref!r}")


def _check_step(
    ix: _Index, file: str, path: list[PathPart], step: StepTemplate, refs: _StepRefs
) -> None:
    for k, ref in enumerate(step.contacts):
        if ref not in refs.contacts and ref not in refs.entities:
            ix.at(
                file, [*path, "contacts", k], f"unknown contact, mechanism or organisation {ref!r}"
            )
        needed = refs.reached.get(ref)
        if needed is not None and needed not in step.shares:
            ix.at(
                file,
                [*path, "shares"],
                f"the step names {ref!r}, so it shares with '{needed}': add it to 'shares'",
            )
    if (step.treaty_body_contacts or step.urgent_mechanisms) and "un" not in step.shares:
        ix.at(file, [*path, "shares"], "the step adds UN mechanisms: add 'un' to 'shares'")
    _refs(ix, file, [*path, "checklist"], step.checklist, refs.checklists, "checklist")


def coverage_gaps(kb: Any) -> list[str]:
    """Contract values with no entry in the knowledge base (the shipped one has none)."""
    gaps = []
    covered = {e for m in kb.mechanisms.values() for e in m.engagement}
    gaps += [
        f"no mechanism covers engagement {v!r}"
        for v in ENGAGEMENTS
        if v != "other" and v not in covered
    ]
    committees = {m.treaty_body for m in kb.mechanisms.values() if m.treaty_body}
    gaps += [f"no mechanism for treaty body {v!r}" for v in TREATY_BODIES if v not in committees]
    gaps += [f"no risk entry for reprisal {v!r}" for v in REPRISALS if v not in kb.risks]
    return gaps


@dataclass(frozen=True)
class StaleContact:
    """A contact not confirmed within the knowledge base's limit: `months` since its last
    confirmation, or None when it was never confirmed."""

    contact: Contact
    owner: str
    months: int | None


def stale_contacts(kb: Any, as_of: dt.date) -> Iterator[StaleContact]:
    """Contacts not confirmed (on the official page or by the organisation) in the
    `stale_after_months` before `as_of`. Measured from `last_confirmed` only: the date a source
    shows, or the day a copy was read, confirms nothing."""
    limit = kb.meta.stale_after_months
    for contact_id in sorted(kb.contacts):
        contact = kb.contacts[contact_id]
        confirmation = contact.last_confirmed
        if confirmed_within(confirmation, as_of, limit):
            continue
        months = None
        if confirmation.date is not None and confirmation.how != "not_confirmed":
            months = months_between(confirmation.date, as_of)
        yield StaleContact(contact, kb.contact_owner[contact_id].name, months)


def _check_dates(
    ix: _Index, files: Iterable[tuple[str, list[PathPart], Any]], kb_day: dt.date
) -> None:
    """No date after the knowledge base's own version date: a source cannot show, and nobody can
    have confirmed, a date the knowledge base was released before."""
    for file, path, item in files:
        source = parse_source_date(item.source_date)
        if source is not None and source.earliest > kb_day:
            ix.at(
                file,
                [*path, "source_date"],
                f"{source.iso()} is after the knowledge base's version date {kb_day.isoformat()}",
            )
        day = item.last_confirmed.date
        if day is not None and day > kb_day:
            ix.at(
                file,
                [*path, "last_confirmed", "date"],
                f"{day.isoformat()} is after the knowledge base's version date "
                f"{kb_day.isoformat()}",
            )


def _dated(
    mech_file: MechanismsFile,
    org_files: Iterable[tuple[str, OrganisationsFile | None]],
    overlay_contacts: list[tuple[str, Contact]],
) -> Iterator[tuple[str, list[PathPart], Any]]:
    """Every contact and dated fact, with its file and path."""
    groups: list[tuple[str, str, Any]] = [("mechanisms.yaml", "mechanisms", mech_file.mechanisms)]
    groups += [(f, "organisations", o.organisations) for f, o in org_files if o is not None]
    for file, key, entries in groups:
        for i, entry in enumerate(entries):
            for field in ("conditions", "facts", "contacts"):
                for j, item in enumerate(getattr(entry, field, ())):
                    yield file, [key, i, field, j], item
    for i, (_, contact) in enumerate(overlay_contacts):
        yield "overlay:contacts.yaml", ["contacts", i, "contact"], contact
