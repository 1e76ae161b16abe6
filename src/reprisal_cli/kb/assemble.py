"""Assembling the knowledge base: index the validated files, run the cross-checks
(`kb/checks.py`) and build the `KnowledgeBase`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from reprisal_cli.documents import Document, PathPart
from reprisal_cli.errors import KnowledgeBaseError, Problem
from reprisal_cli.kb.base import Model
from reprisal_cli.kb.checks import (
    Index,
    StepRefs,
    check_dates,
    check_fallbacks,
    check_purpose_labels,
    check_refs,
    check_roles,
    check_rules,
    check_step,
    dated,
    reached,
)
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
from reprisal_cli.kb.provenance import kb_date
from reprisal_cli.kb.questions import QuestionsFile
from reprisal_cli.kb.rules import RulesFile, SafetyFile
from reprisal_cli.kb.states import StatesFile, check_states


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
    ix = Index(docs, problems)
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
                built_in = organisations[org.id]
                if built_in.makes_public and not org.makes_public:
                    # A local copy (to keep a section's contact) never drops the consent to
                    # publicity the built-in entry's help needs (red team red34).
                    org = dataclasses.replace(org, makes_public=True)  # noqa: PLW2901
                if built_in.paused and not org.paused:
                    # Nor does it reopen a programme the knowledge base records as stopped (a
                    # local copy that left out `paused` routed to it again: red team red41). A
                    # line that works again goes under an id of its own.
                    org = dataclasses.replace(  # noqa: PLW2901
                        org,
                        paused=True,
                        availability_warning=org.availability_warning
                        or built_in.availability_warning,
                    )
                for contact in built_in.contacts:
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

    check_fallbacks(ix, contacts)

    check_roles(ix, mech_file, contacts)

    for i, risk in enumerate(risk_file.risks):
        check_refs(
            ix,
            "risks.yaml",
            ["risks", i, "checklists"],
            risk.checklists,
            checklist_ids,
            "checklist",
        )
        check_refs(
            ix,
            "risks.yaml",
            ["risks", i, "urgent_mechanisms"],
            risk.urgent_mechanisms,
            mechanism_ids,
            "mechanism",
        )
    for i, case in enumerate(case_file.cases):
        check_refs(
            ix,
            "cases.yaml",
            ["cases", i, "mechanisms"],
            case.mechanisms,
            mechanism_ids,
            "mechanism",
        )

    refs = StepRefs(contacts, entity_ids, checklist_ids, reached(mech_file, prot_file))
    check_rules(ix, rule_file, refs)
    step_ids = {step.id for rule in rule_file.rules for step in rule.then.steps}
    step_ids |= {safety.emergency_step.id, safety.digital_security_step.id}
    for i, risk in enumerate(risk_file.risks):
        for j, item in enumerate(risk.mitigations):
            if not isinstance(item, str):
                where: list[PathPart] = ["risks", i, "mitigations", j, "at"]
                check_refs(ix, "risks.yaml", where, item.at, step_ids, "step")
    for name in ("emergency_step", "digital_security_step"):
        check_step(ix, "safety.yaml", ["safety", name], getattr(safety, name), refs)
    check_purpose_labels(ix, safety.purpose_labels)
    check_refs(
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
        check_dates(ix, dated(mech_file, [("organisations.yaml", org_file)], []), kb_day)

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


def _get(models: dict[str, Model], name: str, kind: type[Any]) -> Any:
    model = models[name]
    assert isinstance(model, kind)
    return model


def _name(mechs: MechanismsFile, orgs: dict[str, Organisation], ident: str) -> str:
    for mech in mechs.mechanisms:
        if mech.id == ident:
            return mech.name
    return orgs[ident].name
