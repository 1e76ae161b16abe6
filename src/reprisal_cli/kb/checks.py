"""Cross-checks over the whole knowledge base, run as it is assembled (`kb/assemble.py`): unique
ids, references that resolve, steps that declare whom they share with, no date after the release;
and the contract's values the knowledge base covers (`kb report`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from reprisal_cli.contract import CONSENT_PURPOSES, ENGAGEMENTS, REPRISALS, TREATY_BODIES
from reprisal_cli.documents import Document, PathPart
from reprisal_cli.errors import Problem
from reprisal_cli.kb.models import (
    Contact,
    MechanismsFile,
    OrganisationsFile,
    ProtectionFile,
    with_kind_shares,
)
from reprisal_cli.kb.provenance import parse_source_date
from reprisal_cli.kb.rules import RulesFile, StepTemplate, shared_beyond


@dataclass
class Index:
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


def check_purpose_labels(ix: Index, labels: dict[str, str]) -> None:
    """The words for consent purposes are for purposes the contract has."""
    path: list[PathPart] = ["safety", "purpose_labels"]
    allowed = ", ".join(CONSENT_PURPOSES)
    for purpose in labels:
        if purpose not in CONSENT_PURPOSES:
            ix.at(
                "safety.yaml", [*path, purpose], f"unknown purpose {purpose!r} (allowed: {allowed})"
            )


def check_roles(ix: Index, mech_file: MechanismsFile, contacts: dict[str, Contact]) -> None:
    """Whom to contact about a reprisal: known contacts, or an official page to find them on."""
    for i, mech in enumerate(mech_file.mechanisms):
        for j, role in enumerate(mech.reprisal_contacts):
            base: list[PathPart] = ["mechanisms", i, "reprisal_contacts", j]
            for k, ref in enumerate(role.contacts):
                if ref not in contacts:
                    ix.at("mechanisms.yaml", [*base, "contacts", k], f"unknown contact {ref!r}")
            if role.chosen_in is not None and role.chosen_in not in contacts:
                ix.at(
                    "mechanisms.yaml", [*base, "chosen_in"], f"unknown contact {role.chosen_in!r}"
                )
            if not role.contacts and role.find_at is None:
                ix.at("mechanisms.yaml", base, "give 'contacts' or 'find_at' (an official page)")


def check_fallbacks(ix: Index, contacts: dict[str, Contact]) -> None:
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
class StepRefs:
    """What a step may refer to, and whom each mechanism or its contacts reach."""

    contacts: dict[str, Contact]
    entities: set[str]
    checklists: set[str]
    # Mechanism and mechanism-contact ids -> the `shares` value a step naming them must declare.
    reached: dict[str, str]


def reached(mech_file: MechanismsFile, prot_file: ProtectionFile) -> dict[str, str]:
    out: dict[str, str] = {
        p.id: p.shares_with for p in prot_file.protection if p.shares_with != "others"
    }
    for mech in mech_file.mechanisms:
        share = mech.shares
        out[mech.id] = share
        for contact in mech.contacts:
            out[contact.id] = share
    return out


def check_rules(ix: Index, rule_file: RulesFile, refs: StepRefs) -> None:
    """Step references resolve; a step id means one step; `instead` names steps that share no
    more than the step they replace; a warning's `without` names steps that exist."""
    step_defs: dict[str, StepTemplate] = {}
    for i, rule in enumerate(rule_file.rules):
        for j, step in enumerate(rule.then.steps):
            path: list[PathPart] = ["rules", i, "then", "steps", j]
            check_step(ix, "rules.yaml", path, step, refs)
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
    _check_joins(ix, rule_file, step_defs)
    _check_carriers(ix, rule_file, step_defs)
    for i, rule in enumerate(rule_file.rules):
        for j, warning in enumerate(rule.then.warnings):
            if warning.without is None:
                continue
            for k, ref in enumerate(warning.without.steps):
                if ref not in step_defs:
                    at = ["rules", i, "then", "warnings", j, "without", "steps", k]
                    ix.at("rules.yaml", at, f"unknown step {ref!r}")
    for i, rule in enumerate(rule_file.rules):
        for j, step in enumerate(rule.then.steps):
            for k, ref in enumerate(step.instead):
                where: list[PathPart] = ["rules", i, "then", "steps", j, "instead", k]
                alternative = step_defs.get(ref)
                if alternative is None:
                    ix.at("rules.yaml", where, f"unknown step {ref!r}")
                    continue
                more = shared_beyond(step, alternative)
                if more:
                    what = "is public" if "public" in more else f"also shares {sorted(more)}"
                    ix.at("rules.yaml", where, f"step {ref!r} {what}: not a safer route")


def _check_joins(ix: Index, rule_file: RulesFile, step_defs: dict[str, StepTemplate]) -> None:
    """A step that joins another (`joins`) names a step that shares at least what it shares (the
    other step's consents then cover what this one adds to it), and is no step's safe route
    (`instead`), since the plan may leave it out."""
    routes = {ref for step in step_defs.values() for ref in step.instead}
    for i, rule in enumerate(rule_file.rules):
        for j, step in enumerate(rule.then.steps):
            if step.joins is None:
                continue
            at: list[PathPart] = ["rules", i, "then", "steps", j, "joins", "step"]
            target = step_defs.get(step.joins.step)
            if target is None:
                ix.at("rules.yaml", at, f"unknown step {step.joins.step!r}")
                continue
            more = with_kind_shares(step.kind, step.shares) - with_kind_shares(
                target.kind, target.shares
            )
            if more:
                ix.at(
                    "rules.yaml",
                    at,
                    f"step {target.id!r} does not share {sorted(more)}, as {step.id!r} does",
                )
            if step.id in routes:
                ix.at(
                    "rules.yaml",
                    at[:-1],
                    f"step {step.id!r} is a safe route ('instead') and may be left out: "
                    "it cannot join another",
                )


def _check_carriers(ix: Index, rule_file: RulesFile, step_defs: dict[str, StepTemplate]) -> None:
    """A step that only carries named bodies (`carries_bodies`) is under some rule's
    `then.bodies`, or it would never be in a plan; and it is no step's safe route (`instead`)
    nor the step another joins (`joins`): the plan leaves it out when it names no body, after
    the joining step was folded into it, whose words and trace would go with it (fix59)."""
    under = {ref for rule in rule_file.rules for named in rule.then.bodies for ref in named.under}
    routes = {ref for step in step_defs.values() for ref in step.instead}
    joined = {s.joins.step: s.id for s in step_defs.values() if s.joins is not None}
    for i, rule in enumerate(rule_file.rules):
        for j, step in enumerate(rule.then.steps):
            if not step.carries_bodies:
                continue
            at: list[PathPart] = ["rules", i, "then", "steps", j, "carries_bodies"]
            if step.id not in under:
                ix.at("rules.yaml", at, f"no rule names bodies under step {step.id!r}")
            if step.id in routes:
                ix.at(
                    "rules.yaml",
                    at,
                    f"step {step.id!r} is a safe route ('instead') and may be left out",
                )
            if step.id in joined:
                ix.at(
                    "rules.yaml",
                    at,
                    f"step {joined[step.id]!r} joins step {step.id!r}, which only carries bodies "
                    "and may be left out: its words would be lost with it",
                )


def _where(ix: Index, ident: str) -> tuple[str, list[PathPart]]:
    return ix.seen[f"entity:{ident}"]


def check_refs(
    ix: Index, file: str, path: list[PathPart], refs: Iterable[str], known: set[str], what: str
) -> None:
    for k, ref in enumerate(refs):
        if ref not in known:
            ix.at(file, [*path, k], f"unknown {what} {ref!r}")


def check_step(
    ix: Index, file: str, path: list[PathPart], step: StepTemplate, refs: StepRefs
) -> None:
    named: list[tuple[list[PathPart], str]] = [
        ([*path, "contacts", k], ref) for k, ref in enumerate(step.contacts)
    ]
    for e, entry in enumerate(step.by_engagement):
        named += [
            ([*path, "by_engagement", e, "contacts", k], ref)
            for k, ref in enumerate(entry.contacts)
        ]
    for where, ref in named:
        if ref not in refs.contacts and ref not in refs.entities:
            ix.at(file, where, f"unknown contact, mechanism or organisation {ref!r}")
        needed = refs.reached.get(ref)
        if needed is not None and needed not in step.shares:
            ix.at(
                file,
                [*path, "shares"],
                f"the step names {ref!r}, so it shares with '{needed}': add it to 'shares'",
            )
    committees = step.treaty_body_contacts or any(e.committees for e in step.by_engagement)
    if (committees or step.urgent_mechanisms) and "un" not in step.shares:
        ix.at(file, [*path, "shares"], "the step adds UN mechanisms: add 'un' to 'shares'")
    # A step to a mechanism gives whom it tells (contacts, the committees of `treaty_body`, the
    # urgent mechanisms, or the bodies rules name in it): only then do the checks above compare
    # its `shares` with that body. Caseworker review 8, A1: a step with no contact sent the new
    # facts to "the UN committee" and was marked as sharing with regional bodies only.
    names_a_body = step.contacts or named or committees or step.urgent_mechanisms
    if step.kind == "notify_mechanism" and not (names_a_body or step.carries_bodies):
        ix.at(
            file,
            [*path, "contacts"],
            "a step that tells a mechanism names it: give its contacts (the checks compare "
            "them with 'shares')",
        )
    check_refs(ix, file, [*path, "checklist"], step.checklist, refs.checklists, "checklist")


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


def check_dates(
    ix: Index, files: Iterable[tuple[str, list[PathPart], Any]], kb_day: dt.date
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


def dated(
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
