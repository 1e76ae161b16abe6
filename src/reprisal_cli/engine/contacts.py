"""Turning a step's references (contacts, mechanisms, organisations, treaty bodies, services)
into the contacts the plan shows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping

from reprisal_cli.answers import Answers
from reprisal_cli.contract import HARM_TO_BODY, LOCATIONS_CANNOT_ACT
from reprisal_cli.engine.conditions import complaint_status, holds, party_status
from reprisal_cli.engine.plan import PlanConfirmation, PlanContact
from reprisal_cli.engine.risk import gravest_first
from reprisal_cli.kb.base import fill
from reprisal_cli.kb.freshness import contact_kind, release_gate
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.models import Contact, ContactRole, Mechanism, Organisation, with_kind_shares
from reprisal_cli.kb.provenance import confirmed_within, kb_date, source_date_text
from reprisal_cli.kb.rules import EngagementContacts, OrganisationMatch, StepTemplate
from reprisal_cli.kb.states import COMPLAINT_PROCEDURE
from reprisal_cli.untrusted import one_line

# An organisation shows its first contacts (the knowledge base lists the best first), so a step
# does not drown its reader in office lines and general mailboxes. A mechanism shows every
# contact of its reprisal roles.
CONTACTS_PER_ORGANISATION = 2


def resolve(
    template: StepTemplate,
    answers: Answers,
    kb: KnowledgeBase,
    un_ids: frozenset[str] | None = None,
) -> list[str]:
    """Contact ids for a step, in order, without repeats; each `check_current` contact is
    followed by its confirmed fallback. A body held back from UN addresses (`holds_un_back`)
    shows none of `un_ids` (`un_contact_ids`, made here when not given), nor a fallback of
    one."""
    ids: list[tuple[str, bool]] = []
    for ref in references(template, answers, kb):
        mech = kb.mechanisms.get(ref)
        # A contact the rule names itself, or a protection source (no contact): not held.
        body = mech is not None or ref in kb.organisations
        hold = body and holds_un_back(mech, answers)
        ids += [(cid, hold) for cid in _entity_contacts(ref, kb, answers)]
    if template.organisations is not None:
        hold = holds_un_back(None, answers)
        for org in match_organisations(template.organisations, answers, kb):
            ids += [(c.id, hold) for c in org.contacts[:CONTACTS_PER_ORGANISATION]]
    if un_ids is None:
        un_ids = un_contact_ids(kb) if any(hold for _, hold in ids) else frozenset()
    out: list[str] = []
    for contact_id, hold in ids:
        contact = kb.contacts.get(contact_id)
        if contact is None:
            continue
        if template.kind == "emergency" and _paused_owner(contact_id, kb):
            continue  # a paused programme is never offered to someone in danger now
        if hold and contact_id in un_ids:
            continue  # nor its fallback
        for item in (contact_id, contact.fallback):
            if item is None or item not in kb.contacts or item in out:
                continue
            if not (hold and item in un_ids):
                out.append(item)
    return out


# The UN's own domains: a regional body or a State is never reached at one of them.
UN_DOMAIN = re.compile(
    r"(?:^|[@./])(?:[a-z0-9-]+\.)*(?:un\.org|ohchr\.org|unog\.ch|ungeneva\.org)(?![a-z0-9-])"
)
# OHCHR by name, or its buildings in Geneva (a postal address written for a body not the UN's).
UN_WORDS = re.compile(r"(?<![a-z0-9])ohchr(?![a-z0-9])|palais des nations|palais wilson")
# How a web page hides an address from robots ("reprisals [at] ohchr [dot] org").
_HIDDEN_AT = re.compile(r"\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+")
_HIDDEN_DOT = re.compile(r"\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+")
_PERCENT = re.compile(r"%([0-9a-f]{2})")
# Full stops that a browser or mail client reads as "." in a host name (IDNA).
_AS_DOT = str.maketrans(dict.fromkeys("\u3002\uff0e\uff61", "."))


def holds_un_back(mech: Mechanism | None, answers: Answers) -> bool:
    """Whether a body (a mechanism, or None: an organisation) is never shown or written to at a
    UN address (`un_contact_ids`), whatever a knowledge base (an overlay) lists for it: one that
    is not the UN's, without a yes to the UN. Red teams 2026-12-03: a draft to the African
    Commission addressed to the OHCHR mailbox after a no to the UN; the plan and the card
    showed it in the step; an overlay's contact for ISHR, in the organisations' step
    (red25)."""
    un_body = mech is not None and mech.purpose == "share_with_un"
    return not un_body and answers.consent_share_with_un != "yes"


def un_contact_ids(kb: KnowledgeBase) -> frozenset[str]:
    """Every contact of `kb` at a UN address (`is_un_address`): a UN mechanism's, or on a UN
    domain, however written. It depends on the knowledge base alone; recognising an address
    costs more than the rest of a step, so the engine keeps it per knowledge base
    (`EngineCache.un_contacts`)."""
    held = un_addresses(kb)
    return frozenset(cid for cid, c in kb.contacts.items() if is_un_address(c.value, held))


def un_addresses(kb: KnowledgeBase) -> frozenset[str]:
    """Every UN mechanism's contact value, as `plain_contact` writes it."""
    return frozenset(
        plain_contact(kb.contacts[cid].value)
        for other in kb.mechanisms.values()
        if other.purpose == "share_with_un"
        for role in other.reprisal_contacts
        for cid in role.contacts
        if cid in kb.contacts
    )


def plain_contact(value: str) -> str:
    """A contact value without case, spaces or punctuation around it; a phone number as its
    digits, without a trunk prefix in brackets (`+41 (0)22 917 90 06` and `+41229179006`
    compare equal)."""
    text = "".join(_as_read(value).split()).strip(".,;")
    digits = "".join(c for c in text.replace("(0)", "") if c.isdigit())
    return digits if text and not set(text) - set("+0123456789()-./") else text


def _as_read(value: str) -> str:
    """A contact value as a reader, a browser or a mail client reads it, lower case: one line,
    full-width letters as ASCII (NFKC), invisible format characters (a soft hyphen, a
    zero-width space) left out, percent escapes decoded, an address hidden from robots
    ("x [at] ohchr [dot] org") written out (red team red25)."""
    text = unicodedata.normalize("NFKC", one_line(value)).translate(_AS_DOT)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf").casefold()
    for _ in range(2):  # %252e is %2e once decoded
        text = _PERCENT.sub(lambda m: chr(int(m[1], 16)), text)
    return _HIDDEN_DOT.sub(".", _HIDDEN_AT.sub("@", text))


def is_un_address(value: str, held: frozenset[str]) -> bool:
    """Whether a contact value is one of `held` (`un_addresses`), names a UN domain
    anywhere (an address or page on un.org, ohchr.org, unog.ch, ungeneva.org), or OHCHR or its
    buildings, however it is written (red teams 2026-12-03). Nothing is held back when `held`
    is empty."""
    if not held:
        return False
    text = plain_contact(value)
    return (
        text in held
        or any(a in text for a in held if len(a) > 6)
        or bool(UN_DOMAIN.search(text))
        or bool(UN_WORDS.search(_as_read(value)))
    )


# For an emergency, the channel that works at once and offline first: a phone line open around
# the clock, then any phone, Signal, e-mail; a web page last.
EMERGENCY_CHANNELS = ("phone", "signal", "email", "fax", "post", "in_person", "web")


def best_first(ids: list[str], kind: str, kb: KnowledgeBase) -> list[str]:
    """A step's contacts ordered best first (contract §2 v1.1): the knowledge base lists each
    entity's best contact first, so only an emergency step is reordered, by `EMERGENCY_CHANNELS`
    with 24-hour phone lines (`hours` given) at the head."""
    if kind != "emergency":
        return ids

    def key(contact_id: str) -> tuple[int, int]:
        contact = kb.contacts[contact_id]
        channel = EMERGENCY_CHANNELS.index(contact.channel)
        return (channel if channel or contact.hours else 1, channel)

    return sorted(ids, key=key)


def _paused_owner(contact_id: str, kb: KnowledgeBase) -> bool:
    owner = kb.organisations.get(kb.contact_owner[contact_id].id)
    return owner is not None and owner.paused


def references(template: StepTemplate, answers: Answers, kb: KnowledgeBase) -> list[str]:
    """The contacts and entities a step names, with those the answers add: first the urgent
    mechanisms of what happened (for a disappearance or a detention, the working group that acts
    on it is the channel to use, before the general form), then the committees of `treaty_body`
    (the committee the person worked with before the OHCHR mailboxes every committee shares:
    OHCHR asks that a reprisal be reported to that committee, with a copy to its reprisals
    mailbox), the step's own, those of the bodies the person worked with (`engaged`), and for
    the gates' emergency step the emergency contacts of `safety.yaml`, with the regional 24-hour
    lines of the answers' States second (`regional_lines`)."""
    refs = _urgent_mechanisms(template, answers, kb) if template.urgent_mechanisms else []
    if template.treaty_body_contacts:
        refs += treaty_committees(answers, kb)
    refs += template.contacts
    refs += engaged(template, answers, kb)
    if template.id == kb.safety.emergency_step.id:
        first, *others = kb.safety.emergency_contacts
        refs += [first, *regional_lines(answers, kb), *others]
    return list(dict.fromkeys(refs))


def around_the_clock(contact_id: str, kb: KnowledgeBase) -> bool:
    """Whether a contact answers around the clock: a 24-hour line (`kb.freshness.contact_kind`:
    a phone or Signal line with `hours` of an organisation that runs an emergency line, or one
    `safety.yaml` names). A web form or an e-mail address is none, whatever its hours."""
    contact = kb.contacts.get(contact_id)
    return contact is not None and contact_kind(contact, kb) == "emergency_line"


def engaged(template: StepTemplate, answers: Answers, kb: KnowledgeBase) -> list[str]:
    """The contacts a step gives by the bodies the person worked with (`by_engagement`), in the
    step's order: for a committee, the committees of `treaty_body` first."""
    out: list[str] = []
    for entry in _engaged_entries(template, answers):
        if entry.committees:
            out += treaty_committees(answers, kb)
        out += entry.contacts
    return out


def _engaged_entries(template: StepTemplate, answers: Answers) -> list[EngagementContacts]:
    """The step's `by_engagement` entries for the bodies the person worked with."""
    worked_with = set(answers.engagement)
    return [e for e in template.by_engagement if worked_with & set(e.engagement)]


def step_committees(template: StepTemplate, answers: Answers, kb: KnowledgeBase) -> list[str]:
    """The committees of `treaty_body` a step gives: the committee step's own
    (`treaty_body_contacts`), or a step's by the bodies the person worked with (`by_engagement`
    with `committees`). Their contacts are OHCHR mailboxes named after OHCHR, so the step's
    words name them (`named_bodies`): the step asking a body to speak publicly said "the
    committee concerned" and named none (fix59, the Burundi lawyers and the Committee against
    Torture)."""
    by_engagement = any(e.committees for e in _engaged_entries(template, answers))
    if template.treaty_body_contacts or by_engagement:
        return treaty_committees(answers, kb)
    return []


def regional_lines(answers: Answers, kb: KnowledgeBase) -> list[str]:
    """The organisations with an emergency line that serve the State responsible or the State
    of residence by name (`serves.states`) and serve this person (`serves`), by id. The
    emergency step gives them right after the global line, whose phone works everywhere and
    stays first (contract §2: a 24-hour phone line first): caseworker review cw5 B1, where
    DefendDefenders' 24/7 line, which serves Burundi, came only in later steps."""
    states = {answers.state, answers.residence} - {None}
    return [
        org.id
        for org in kb.organisations.values()
        if org.emergency_line
        and not org.paused
        and states & set(org.serves.states)
        and serves(org, answers)
    ]


def _urgent_reaching(answers: Answers, kb: KnowledgeBase) -> list[Mechanism]:
    """The mechanisms that act urgently on the answers' reprisals and can act on the State
    responsible (`reaches`), those of the gravest first (`gravest_first`)."""
    out: list[Mechanism] = []
    for reprisal in gravest_first(answers, kb):
        risk = kb.risks.get(reprisal)
        urgent = risk.urgent_mechanisms if risk is not None else ()
        out += [kb.mechanisms[m] for m in urgent if reaches(kb.mechanisms[m], answers, kb)]
    return out


def _urgent_mechanisms(template: StepTemplate, answers: Answers, kb: KnowledgeBase) -> list[str]:
    """The urgent mechanisms (`_urgent_reaching`) among those the step shares with
    (`urgent_shares` widens a step's shares to a regional body only where that consent is not
    refused, so the gates read it)."""
    shared = with_kind_shares(template.kind, template.shares)
    return [m.id for m in _urgent_reaching(answers, kb) if m.shares in shared]


def urgent_shares(template: StepTemplate, answers: Answers, kb: KnowledgeBase) -> StepTemplate:
    """A step that lists the urgent mechanisms of what happened (`urgent_mechanisms`), sharing
    also with what they reach: the European Court or the African Commission in the UN's urgent
    step shares with a regional body, so the step says so and the gates read it (with its
    caution while that consent is open). A mechanism whose consent was refused is left out
    instead, so a "no" to regional bodies never holds back the UN's urgent step (red team
    2026-12-03: that "no" still gave the African Commission's phone in the UN step, flagged
    as sharing with the UN only)."""
    if not template.urgent_mechanisms:
        return template
    added = [
        m.shares for m in _urgent_reaching(answers, kb) if answers.consent_for(m.purpose) != "no"
    ]
    wider = tuple(dict.fromkeys((*template.shares, *added)))
    if wider == template.shares:
        return template
    return dataclasses.replace(template, shares=wider)  # type: ignore[arg-type]


def reaches(mech: Mechanism, answers: Answers, kb: KnowledgeBase) -> bool:
    """Whether a mechanism can act for this person. One that acts only for the parties to a
    treaty or the members of a system (`party`) acts where the State responsible (`state`) is
    one, never where a source says it is not; the UN otherwise acts everywhere. Where
    membership is unknown (no `state`, or no source), a UN body is offered (its contacts say
    for which States it acts) and a regional body where the person's region is its own, or
    where they already engaged it; an unknown region names no regional body."""
    if mech.party is not None:
        status = party_status(mech.party, answers, kb.states)
        if status != "unknown":
            return status == "yes"
    if not mech.regions:
        return True
    if answers.region in mech.regions:
        return True
    return any(e in mech.engagement for e in answers.engagement)


def membership_notes(template: StepTemplate, answers: Answers, kb: KnowledgeBase) -> list[str]:
    """For each mechanism the step names that acts only for some States, while the answers do
    not tell whether the State responsible is one: the sentence saying for which States it
    acts ("Only if the State responsible is ..."), so the step does not guess. None for a step
    against the country where the person lives (`against: residence`): its own words say it."""
    if template.against == "residence":
        return []
    own = [*template.contacts, *engaged(template, answers, kb)]  # the bodies the step names
    ids = [r for r in own if r in kb.mechanisms]
    if template.urgent_mechanisms:
        ids += _urgent_mechanisms(template, answers, kb)
    out: list[str] = []
    for mech_id in dict.fromkeys(ids):
        mech = kb.mechanisms[mech_id]
        if mech.party is None or mech.party_note is None:
            continue
        if party_status(mech.party, answers, kb.states) != "unknown" or mech.party_note in out:
            continue
        also = mech.party_also
        if also is not None and party_status(also, answers, kb.states) == "yes":
            continue  # it acts for this State on the other ground (Nicaragua: the Convention)
        out.append(mech.party_note)
    return out


def complaint_notes(template: StepTemplate, answers: Answers, kb: KnowledgeBase) -> list[str]:
    """The notes of `complaint_warnings` for the mechanisms a step names (looked up only for
    answers with a pending complaint: a generator, which `complaint_warnings` reads last)."""
    refs = (kb.mechanisms[r] for r in references(template, answers, kb) if r in kb.mechanisms)
    return complaint_warnings(answers, kb, refs)


def complaint_warnings(
    answers: Answers, kb: KnowledgeBase, mechanisms: Iterable[Mechanism]
) -> list[str]:
    """Where `mechanisms` would list the Petitions Team (a role for a pending complaint), one
    note per committee of `individual_complaint` whose complaints, sources say, neither the
    State responsible nor the country of residence accepted (`complaint_status` "no"): the
    person's word and the sources disagree, so the plan and the draft say so, with the sources'
    dates, and the Petitions Team is never left out unexplained."""
    if not answers.individual_complaint or not any(
        role.individual_complaint for m in mechanisms for role in m.reprisal_contacts
    ):
        return []
    out: list[str] = []
    for body in answers.individual_complaint:
        fact = COMPLAINT_PROCEDURE.get(body)
        if fact is None or complaint_status(body, answers, kb.states) != "no":
            continue
        committee = next((m for m in kb.mechanisms.values() if m.treaty_body == body), None)
        dates: list[str] = []
        for code in dict.fromkeys(c for c in (answers.state, answers.residence) if c):
            state = kb.states.get(code)
            found = state.facts.get(fact) if state is not None else None
            source = kb.state_sources.get(found.source) if found and found.source else None
            if source is not None and str(source.date) not in dates:
                dates.append(str(source.date))
        out.append(
            fill(
                kb.safety.complaint_not_accepted,
                body=committee.name if committee is not None else body.upper(),
                dates=kb.safety.join(dates),
            )
        )
    return out


def find_at(template: StepTemplate, answers: Answers, kb: KnowledgeBase) -> list[str]:
    """Official pages to find a contact on, for roles the knowledge base has no contact for."""
    out: list[str] = []
    for ref in references(template, answers, kb):
        mech = kb.mechanisms.get(ref)
        if mech is None:
            continue
        for role in mech.reprisal_contacts:
            if not role.contacts and role.find_at is not None:
                text = f"{mech.name}, {role.role}: {role.find_at}"
                if text not in out:
                    out.append(text)
    return out


def treaty_committees(answers: Answers, kb: KnowledgeBase) -> list[str]:
    """The ids of the mechanisms of the committees `treaty_body` names, in its order."""
    return [
        mech_id
        for committee in answers.treaty_body
        for mech_id in sorted(m.id for m in kb.mechanisms.values() if m.treaty_body == committee)
    ]


def named_bodies(
    template: StepTemplate, added: list[str], answers: Answers, kb: KnowledgeBase
) -> list[str]:
    """One line for each body a step names by name: the committees of `treaty_body` the step
    gives (`step_committees`: their contacts are OHCHR mailboxes shared by every committee and
    named after OHCHR, so the committee would otherwise never be named), then the mechanisms
    rules add (`added`), each with its first condition, but never one the step already lists
    as a contact. A body that acts only for some States says for which (`party_note`) when the
    State responsible is not known (not in a step against the country where the person lives,
    `against: residence`, whose rule words it)."""
    committees = step_committees(template, answers, kb)
    others = [m for m in added if m not in template.contacts and m not in committees]
    lines: list[str] = []
    body_text = kb.safety.named_body_carried if template.carries_bodies else kb.safety.named_body
    named = ((kb.safety.named_committee, committees, False), (body_text, others, True))
    for text, ids, only_named in named:
        for mech_id in dict.fromkeys(ids):
            mech = kb.mechanisms.get(mech_id)
            if mech is None:
                continue
            role = mech.reprisal_contacts[0]
            where = role.find_at if role.find_at is not None else role.role
            body = mech.name
            state = kb.states.get(answers.state or "")
            if mech.party == "country_mandate" and state is not None:
                # "the UN expert on the country": which country (caseworker review 4), as CLDR
                # names it in the knowledge base's language.
                body = f"{body} ({state.name(kb.lang)})"
            line = fill(text, body=body, where=where)
            if (
                mech.party is not None
                and mech.party_note is not None
                and template.against == "state"
                and party_status(mech.party, answers, kb.states) == "unknown"
            ):
                # The State is not known: for which it acts.
                line = kb.safety.sentences(line, mech.party_note)
            if only_named and mech.conditions:
                # Only named here: the one thing to know before going to it, where the step's
                # advice (its own bodies' conditions, bounded) has no room for it (red team
                # red43: the ILO Committee's reports are public and can name people).
                line = kb.safety.sentences(line, mech.conditions[0].text)
            lines.append(line)
    return lines


def _entity_contacts(ref: str, kb: KnowledgeBase, answers: Answers) -> list[str]:
    if ref in kb.contacts:
        return [ref]
    local = local_contacts(ref, kb)
    mech = kb.mechanisms.get(ref)
    if mech is not None:
        return local + [c for role in applying_roles(mech, answers, kb) for c in role.contacts]
    org = kb.organisations.get(ref)
    if org is not None:
        return local + [c.id for c in org.contacts[:CONTACTS_PER_ORGANISATION]]
    return []  # a protection source: advice, no contact


def applying_roles(mech: Mechanism, answers: Answers, kb: KnowledgeBase) -> list[ContactRole]:
    """A mechanism's roles that apply to these answers (`role_applies`), those for the case in
    hand first: a pending complaint's own channel (the Petitions Team) before the committee's
    general mailbox, as OHCHR names it for reprisals linked to a complaint (caseworker review
    2026-12-03, W5, and review 6, B5), and a role with a condition that holds (`when`: the
    urgent-action mailbox for a registered urgent action)."""
    roles = [r for r in mech.reprisal_contacts if role_applies(r, mech, answers, kb)]
    roles.sort(key=lambda role: not (role.individual_complaint or role.when is not None))
    return roles


def role_applies(role: ContactRole, mech: Mechanism, answers: Answers, kb: KnowledgeBase) -> bool:
    """A role with a condition (`when`) is shown when the answers meet it. A role only for a
    pending individual complaint (the Petitions Team) is shown when `individual_complaint`
    names the mechanism's treaty body (any, for the shared entry) and that committee can hold a
    complaint about this case: never where sources say neither the State responsible nor the
    State of residence accepted its complaint procedure (`complaint_status`); where that is
    unknown, the person's word stands. A committee's interim measures in force count as a
    complaint to it: outside the CED's urgent actions a committee asks for them in a complaint
    it registered (the knowledge base's Human Rights Committee facts), so its correspondence is
    the Petitions Team's, not the committee's general mailbox (caseworker review 9, B2)."""
    if role.when is not None and not holds(role.when, answers, kb.states):
        return False
    if not role.individual_complaint:
        return True
    complaints = [*answers.individual_complaint]
    if "treaty_bodies" in answers.measures_in_force:
        complaints += [b for b in answers.treaty_body if b != "ced"]
    named = (
        complaints if mech.treaty_body is None else [b for b in complaints if b == mech.treaty_body]
    )
    return any(complaint_status(b, answers, kb.states) != "no" for b in named)


def local_contacts(ref: str, kb: KnowledgeBase) -> list[str]:
    """Contacts an organisation laid over the knowledge base (`--kb-add contacts.yaml`) for this
    mechanism or organisation: shown first, as the ones the organisation itself checked."""
    if not kb.custom:
        return []
    return sorted(
        contact_id
        for contact_id, owner in kb.contact_owner.items()
        if owner.id == ref and owner.custom and contact_id not in _own_ids(ref, kb)
    )


def _own_ids(ref: str, kb: KnowledgeBase) -> set[str]:
    entry = kb.mechanisms.get(ref) or kb.organisations.get(ref)
    return {c.id for c in entry.contacts} if entry is not None else set()


def serves(org: Organisation, answers: Answers) -> bool:
    """Whether an organisation serves the person at risk, as far as the answers tell.

    Unknown profile or region: only organisations open to everyone on that dimension, so no one
    is sent to a helpline that will turn them away; one that serves some States only (`states`)
    is offered where the State responsible or the one the person lives in is among them.
    Organisations that serve only organisations (`individuals: false`) are offered when an
    organisation answers, is itself at risk, or is being restricted; the person at risk is
    otherwise an individual.
    """
    who = org.serves
    if who.profiles and not set(who.profiles) & set(answers.profile):
        return False
    if who.regions and answers.region not in who.regions:
        return False
    if who.states and not {answers.state, answers.residence} & set(who.states):
        return False
    if not who.individuals and not _org_case(answers):
        return False
    return who.individuals or who.organisations


def _org_case(answers: Answers) -> bool:
    """Whether an organisation is concerned: it answers, is itself at risk, or is restricted."""
    return (
        answers.respondent == "organisation"
        or "organisation" in (answers.others_at_risk or ())
        or "organisation_restrictions" in answers.reprisals
    )


def match_organisations(
    match: OrganisationMatch, answers: Answers, kb: KnowledgeBase
) -> list[Organisation]:
    """Organisations giving the services asked for, serving this person, that can be reached;
    best first: those that serve the person's own profile or region before those open to
    everyone (the Urgent Action Fund for a woman defender: domain review A7, caseworker review
    5), then most services matched, then fast ones when in danger, then by id. The last place is
    kept for the best one open to everyone when those for the person's own would fill them
    all: a woman journalist in Burundi was offered CPJ, RSF and the Urgent Action Fund only, not
    DefendDefenders (her region's 24/7 line) nor ProtectDefenders.eu, the best match (red47).
    When speed matters (`_speed_matters`), one for their own that does not answer fast (neither
    `urgent` nor a 24-hour line) gives the lead to those chosen that do: the first contact is the
    one tried when only one can be (the short plan and the card show it alone), and Lawyers for
    Lawyers' page gives no channel for cases, the Observatory for Lawyers in Danger verifies each
    case before it helps (red48). Otherwise those for the person's own profile lead (the
    lawyers' organisations for a lawyer disbarred: caseworker review 6, B4), unless the first
    of them gives only web pages: then the first chosen that gives a way in leads (red49)."""
    danger = answers.immediate_danger is True
    found = [
        (0 if _for_their_own(org) else 1, hits, 0 if (danger and fast) else 1, org.id, org)
        for hits, fast, org in _candidates(match, kb)
        if serves(org, answers)
    ]
    found.sort(key=lambda item: item[:4])
    chosen = found[: match.limit]
    everyone = [item for item in found if item[0] == 1]
    if match.limit > 1 and everyone and everyone[0] not in chosen:
        chosen = [*chosen[: match.limit - 1], everyone[0]]
    orgs = [item[4] for item in chosen]
    if not _speed_matters(answers):
        # No danger, detention, disappearance or harm to the body answered (a lawyer disbarred,
        # charged and free): those for the person's own profile lead, Lawyers for Lawyers before
        # a regional emergency line (caseworker review 6, B4).
        orgs.sort(key=lambda org: not org.serves.profiles)
        # One that neither answers fast nor gives more than web pages (Lawyers for Lawyers'
        # page: "no direct channel for cases confirmed here") follows the first that gives a
        # way in: the first contact is the one tried when only one can be (red49).
        way_in = next((org for org in orgs if not _pages_only(org)), None)
        if way_in is not None and orgs[0].serves.profiles and _pages_only(orgs[0]):
            orgs.remove(way_in)
            orgs.insert(0, way_in)
    elif any(_answers_fast(org) for org in orgs):
        orgs.sort(key=lambda org: _for_their_own(org) and not _answers_fast(org))
    return orgs


# Reprisals where the first hours count: a person held or taken, here or in the family.
_HELD_OR_TAKEN = frozenset({"detention", "enforced_disappearance", "family_detained"})


def _speed_matters(answers: Answers) -> bool:
    """Whether the answers tell of danger now, a detention or disappearance, or harm to the body
    (contract.HARM_TO_BODY): then an organisation that answers fast leads."""
    return (
        answers.immediate_danger is True
        or answers.location in LOCATIONS_CANNOT_ACT
        or bool((_HELD_OR_TAKEN | HARM_TO_BODY) & set(answers.reprisals))
    )


def _pages_only(org: Organisation) -> bool:
    """Whether the organisation gives no way in but web pages and does not answer fast (one
    that does, as the Urgent Action Fund's grant form, is a way in)."""
    pages = all(c.channel == "web" for c in org.contacts[:CONTACTS_PER_ORGANISATION])
    return pages and not _answers_fast(org)


def _answers_fast(org: Organisation) -> bool:
    """Whether the organisation answers fast enough to matter in an emergency."""
    return org.urgent or org.emergency_line


def _for_their_own(org: Organisation) -> bool:
    """Whether the organisation serves only some profiles, regions or States (the person's own,
    once `serves` holds)."""
    return bool(org.serves.profiles or org.serves.regions or org.serves.states)


def _candidates(
    match: OrganisationMatch, kb: KnowledgeBase
) -> list[tuple[int, bool, Organisation]]:
    """The organisations `match` can pick whatever the answers: giving one of its services,
    with a contact (urgent ones only if asked); with -services matched and whether fast."""
    wanted = set(match.services)
    out = []
    for org in kb.organisations.values():
        hits = len(wanted & set(org.services))
        if not hits or not org.contacts or (match.urgent_only and not org.urgent):
            continue
        if org.paused:  # not routed to automatically: only a step that names it shows it
            continue
        out.append((-hits, _answers_fast(org), org))
    return out


def step_contacts(
    template: StepTemplate,
    resolved: list[str],
    answers: Answers,
    kb: KnowledgeBase,
    views: Mapping[str, PlanContact],
) -> tuple[tuple[PlanContact, ...], tuple[str, ...]]:
    """A step's contacts (`resolved`: `resolve`'s, with `un_contact_ids`), best first, as
    `views` (`contact_views`) shows them, and the official pages to find missing ones on
    (`find_at`)."""
    ids = best_first(resolved, template.kind, kb)
    return tuple(views[i] for i in ids), tuple(find_at(template, answers, kb))


def contact_views(kb: KnowledgeBase, as_of: dt.date) -> dict[str, PlanContact]:
    """Every contact of the knowledge base as a plan dated `as_of` shows it."""
    return {cid: plan_contact(contact, kb, as_of) for cid, contact in kb.contacts.items()}


def hotlines(kb: KnowledgeBase, as_of: dt.date | None = None) -> tuple[PlanContact, ...]:
    """The 24-hour lines: those of the plan's emergency step whatever the answers
    (`emergency_lines`) that answer around the clock (`around_the_clock`), as of `as_of`, else
    as of the knowledge base's version date. What the emergency card, the blank form and the
    questionnaire's danger screen print (fix59: the form and the screen still gave
    ProtectDefenders.eu's web form among them, which the card had dropped)."""
    lines = emergency_lines(kb, as_of or kb_date(kb.meta.version) or dt.date.min)
    return tuple(line for line in lines if around_the_clock(line.id, kb))


def emergency_contact_ids(kb: KnowledgeBase) -> set[str]:
    """Every contact the plan's emergency step gives whatever the answers, fallbacks included."""
    return set(resolve(kb.safety.emergency_step, Answers(), kb))


def emergency_lines(kb: KnowledgeBase, as_of: dt.date) -> tuple[PlanContact, ...]:
    """The lines the plan's emergency step gives whatever the answers, best first (24-hour
    phone lines at the head), without the fallbacks shown for the others."""
    template = kb.safety.emergency_step
    ids = best_first(resolve(template, Answers(), kb), template.kind, kb)
    fallbacks = {kb.contacts[i].fallback for i in ids if kb.contacts[i].status == "check_current"}
    return plan_contacts([i for i in ids if i not in fallbacks], kb, as_of)


def plan_contacts(ids: Iterable[str], kb: KnowledgeBase, as_of: dt.date) -> tuple[PlanContact, ...]:
    """The plan's view of these contacts."""
    return tuple(plan_contact(kb.contacts[contact_id], kb, as_of) for contact_id in ids)


def plan_contact(contact: Contact, kb: KnowledgeBase, as_of: dt.date) -> PlanContact:
    """A contact as the plan shows it. Confirmed only if its record says it was confirmed, on
    the official page or by the organisation, within the staleness limit before `as_of`; the
    knowledge base's own `status: check_current` (a reason to doubt it) always holds."""
    owner = kb.contact_owner[contact.id].name
    name = f"{owner} – {contact.label}" if contact.label else owner
    confirmation = contact.last_confirmed
    recent = confirmed_within(confirmation, as_of, kb.meta.stale_after_months)
    confirmed_on = confirmation.date.isoformat() if confirmation.date is not None else None
    source_date = source_date_text(contact.source_date)
    return PlanContact(
        id=contact.id,
        name=name,
        channel=contact.channel,
        value=contact.value,
        status="confirmed" if recent and contact.status == "confirmed" else "check_current",
        verified=confirmed_on
        if confirmation.how != "not_confirmed" and confirmed_on
        else source_date,
        source=contact.source,
        source_date=source_date,
        last_confirmed=PlanConfirmation(how=confirmation.how, date=confirmed_on),
        unconfirmed_at_release=release_gate(contact, kb),
        hours=contact.hours,
        note=contact.note,
    )
