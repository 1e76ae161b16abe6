"""pydantic models of the knowledge base (`data/*.yaml`).

Every model forbids unknown keys, so a typo in a data file is an error with its line, never a fact
silently dropped. Cross-references (ids) are checked in `checks.py`, after every file has loaded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Literal

from reprisal_cli.contract import (
    Channel,
    ContactStatus,
    Engagement,
    Lang,
    Profile,
    Region,
    Reprisal,
    StepKind,
    TreatyBody,
    is_country_code,
)
from reprisal_cli.kb.base import Id, Model, Text, record
from reprisal_cli.kb.conditions import Condition
from reprisal_cli.kb.provenance import SourceDateValue, check_year, parse_source_date
from reprisal_cli.kb.states import StateFactKey
from reprisal_cli.records import Interval, MinLen

__all__ = ["Id", "Model", "Text"]

Service = Literal[
    "urgent_monitoring",
    "reporting_advocacy",
    "appeals_to_authorities",
    "protective_publicity",
    "temporary_relocation",
    "medical_legal_expenses",
    "rapid_practical_support",
    "emergency_subsistence",
    "legal_advice",
    "physical_security",
    "digital_security",
    "communications",
    "security_capacity_building",
    "secure_transportation",
    "family_support",
    # Where to apply for asylum or for recognition as a stateless person in the country where the
    # person lives, and where legal help is: UNHCR's Help site (issue 21). No rule matches
    # organisations by it: the legal-status steps name UNHCR's contacts, and no other step
    # routes to UNHCR.
    "asylum_statelessness_information",
]

Capability = Literal[
    "meet_state_representatives",
    "confidential_letters",
    "public_statements",
    "reports",
    "urgent_appeals",
    "interim_measures",
    "raise_in_session",
    "follow_up",
]


ConfirmedHow = Literal["official_page", "organisation_told_us", "not_confirmed"]
CONFIRMED_HOW: tuple[str, ...] = ("official_page", "organisation_told_us", "not_confirmed")


@record
class Confirmation(Model):
    """When and how someone last confirmed a contact or fact is current: on the official page,
    or by the organisation itself. `not_confirmed` (no date) when nobody has: a copy of a page
    read later is not a confirmation of what it shows today."""

    how: ConfirmedHow
    date: dt.date | None = None
    note: Text | None = None

    def __post_init__(self) -> None:
        if self.how == "not_confirmed" and self.date is not None:
            raise ValueError(
                "'not_confirmed' takes no 'date' (the date the source shows goes in 'source_date')"
            )
        if self.how != "not_confirmed" and self.date is None:
            raise ValueError(f"'{self.how}' needs the 'date' it was confirmed on")
        if self.date is not None:
            check_year(self.date.year, self.date.isoformat())


def _check_source_date(value: object) -> None:
    try:
        parse_source_date(value)
    except ValueError as exc:
        message = str(exc)
        raise ValueError(
            message if message.startswith("source_date") else f"source_date: {message}"
        ) from None


@record
class Sourced(Model):
    """A fact with where it comes from, the date that source shows, and its last confirmation."""

    text: Text
    source: Text
    source_date: SourceDateValue
    last_confirmed: Confirmation

    def __post_init__(self) -> None:
        _check_source_date(self.source_date)


@record
class Contact(Model):
    """One way to reach a mechanism or organisation. Every contact carries its source and date."""

    id: Id
    channel: Channel
    value: Text
    label: Text | None = None
    status: ContactStatus
    source: Text
    # The date the source itself shows (YYYY-MM-DD, YYYY-MM or YYYY), or `undated`: never the
    # day a copy of it was read.
    source_date: SourceDateValue
    last_confirmed: Confirmation
    # Required for `check_current`: a confirmed contact that routes the person when checking is
    # impossible (offline, in an emergency).
    fallback: Id | None = None
    hours: Text | None = None
    languages: tuple[Lang, ...] = ()
    note: Text | None = None

    def __post_init__(self) -> None:
        _check_source_date(self.source_date)
        if self.status == "check_current" and self.fallback is None:
            raise ValueError(
                "a 'check_current' contact needs a 'fallback' (a confirmed contact id)"
            )
        if self.status == "confirmed" and self.fallback is not None:
            raise ValueError("only a 'check_current' contact takes a 'fallback'")


@record
class ContactRole(Model):
    """Whom to contact about a reprisal, in words, and the contacts that reach them."""

    role: Text
    contacts: tuple[Id, ...] = ()
    # Where no contact can be shipped (the fact is unverified), the official page to find it on.
    find_at: Text | None = None
    # Only for a pending individual complaint to the mechanism's treaty body (answers
    # `individual_complaint`): the OHCHR Petitions Team.
    individual_complaint: bool = False
    # A shared channel in which this body is chosen (the special procedures' online form, where
    # the sender ticks each mandate): a draft sends one submission there for every body chosen
    # in it, not one per body (caseworker review 8, B3).
    chosen_in: Id | None = None
    # Only when the answers meet it, and then before the roles that always apply: the Committee
    # on Enforced Disappearances' urgent-action mailbox for a registered urgent action (all
    # correspondence on one goes there, CED/C/26/2; caseworker review 9, B1: the draft wrote to
    # the Committee's general mailbox of 2015).
    when: Condition | None = None


# By mechanism family: what a step naming the mechanism shares (a `Share`), and the consent
# purpose (contract §1) that sending it details needs. A State reached as a mechanism (a Security
# Council member) is told of the case as any State is: `share_with_states`.
MECHANISM_REACH: dict[str, tuple[str, str]] = {
    "un": ("un", "share_with_un"),
    "un_official": ("un", "share_with_un"),
    "regional": ("regional", "share_with_regional"),
    "state": ("states", "share_with_states"),
}


@record
class Mechanism(Model):
    """A UN or regional body (or UN official) that can act on a reprisal, or a State reached as
    such (`state`: a Security Council member through its mission)."""

    id: Id
    name: Text
    short_name: Text | None = None
    family: Literal["un", "regional", "un_official", "state"]
    engagement: tuple[Engagement, ...] = ()
    # Where a regional body can act; empty for the UN, which acts everywhere.
    regions: tuple[Region, ...] = ()
    treaty_body: TreatyBody | None = None
    # Acts only where the State responsible is party to this or a member of it (a key of
    # data/states.yaml); unknown membership words the step "if the State responsible ...".
    party: StateFactKey | None = None
    # For which States it acts, in words, added to a step when membership is unknown.
    party_note: Text | None = None
    # Another fact that makes it act as well (a State that left the OAS but is party to the
    # American Convention stays before the Inter-American Commission): with it, no note.
    party_also: StateFactKey | None = None
    summary: Text
    reprisal_contacts: Annotated[tuple[ContactRole, ...], MinLen(1)]
    can_do: Annotated[tuple[Capability, ...], MinLen(1)]
    conditions: tuple[Sourced, ...] = ()
    facts: tuple[Sourced, ...] = ()
    contacts: tuple[Contact, ...] = ()
    sources: Annotated[tuple[Text, ...], MinLen(1)]

    def __post_init__(self) -> None:
        if (self.party is None) != (self.party_note is None):
            raise ValueError("'party' and 'party_note' go together")
        if self.party_also is not None and self.party is None:
            raise ValueError("'party_also' needs 'party'")

    @property
    def shares(self) -> str:
        """What a step that names this mechanism shares, and with whom (a `Share`)."""
        return MECHANISM_REACH[self.family][0]

    @property
    def purpose(self) -> str:
        """The consent (contract §1) that sending details to this mechanism needs."""
        return MECHANISM_REACH[self.family][1]


@record
class Serves(Model):
    """Whom an organisation serves; an empty tuple means everyone."""

    profiles: tuple[Profile, ...] = ()
    regions: tuple[Region, ...] = ()
    # The States (ISO 3166-1 alpha-2) of the defenders it serves, where a region is too wide
    # (DefendDefenders: eleven States of East Africa and the Horn, not all of Africa). Either the
    # State responsible or the one the person lives in.
    states: tuple[str, ...] = ()
    languages: tuple[Lang, ...] = ()
    individuals: bool = True
    organisations: bool = True
    note: Text | None = None

    def __post_init__(self) -> None:
        unknown = [code for code in self.states if not is_country_code(code)]
        if unknown:
            raise ValueError(
                f"not ISO 3166-1 alpha-2 country codes: {', '.join(unknown)} (for example KE)"
            )


@record
class Organisation(Model):
    """A non-UN source of protection support."""

    id: Id
    name: Text
    summary: Text
    services: Annotated[tuple[Service, ...], MinLen(1)]
    serves: Serves
    emergency_line: bool = False
    urgent: bool = False  # answers fast enough to matter in an emergency
    # What it does with a case makes it public (an Urgent Action): asking it needs the
    # person's consent to publicity, and a withdrawal of that consent names it.
    makes_public: bool = False
    conditions: tuple[Sourced, ...] = ()
    availability_warning: Text | None = None
    # Its help has stopped or is closed for now: never routed to automatically, never in an
    # emergency step; where a step names it, its `availability_warning` goes with it.
    paused: bool = False
    contacts: tuple[Contact, ...] = ()
    find_at: Text | None = None
    sources: Annotated[tuple[Text, ...], MinLen(1)]

    def __post_init__(self) -> None:
        if self.paused and self.availability_warning is None:
            raise ValueError("a 'paused' organisation needs an 'availability_warning'")


@record
class Caution(Model):
    """A caution about a mechanism (a risk it carries, a condition it sets), with its source."""

    id: Id
    text: Text
    source: Text


@record
class ProtectionSource(Model):
    """Protection outside the UN: diplomatic missions, other States, NGOs."""

    id: Id
    name: Text
    summary: Text
    how: tuple[Text, ...] = ()
    cautions: tuple[Caution, ...] = ()
    public: bool = False
    # Whom a step that names this entry shares with: `states` for embassies and other States,
    # `government` for the State's own protection mechanism or search commission; steps naming
    # it must then declare it (and so need consent for that purpose).
    shares_with: Literal["states", "government", "others"] = "others"
    sources: Annotated[tuple[Text, ...], MinLen(1)]


@record
class Mitigation(Model):
    """A mitigation that belongs with some kinds of step only, or with some answers only
    (written `{text, steps, when}`; a plain text fits any step and any answers). The plan gives
    it to a step of one of these kinds if it has one (engine/advice.py), and only when `when`
    holds: "Get a trusted lawyer" is not said to the person's lawyer, nor "get medical care" of
    someone held. Its text keeps the key of a plain text in translations
    (`risks/<id>/mitigations/<n>`), so tagging a text never loses its translation. `to` and
    `services` narrow the steps further, by what the step shares and whom it seeks."""

    text: Text
    steps: tuple[StepKind, ...] = ()  # none: any step
    when: Condition | None = None
    # Finer than a kind (caseworker review 5, C3): `services`, a step that seeks organisations
    # for one of these (beside the steps of `steps`: "ask organisations about legal costs" on
    # the lawyer step, not on the step that goes to the police where the person lives); `to`,
    # only a step that shares with one of these ("tell the UN body" on a step to the UN, not on
    # the European Court's).
    to: tuple[Share, ...] = ()
    services: tuple[Service, ...] = ()
    # Finer still, where a kind is too coarse: the steps it belongs on, by id ("ask about trial
    # observation" on the lawyer's steps, not on the lawyer's step against removal, which is of
    # the same kind and seeks the same services; "ask whether remote participation is possible"
    # on the step about taking part remotely: caseworker review 6, C6). A step named here, or one
    # of `steps`, or one seeking `services`, will do.
    at: tuple[Id, ...] = ()
    # Advice only the person at risk can follow (vary their routes, travel with little data):
    # not given while they are detained or missing (contract LOCATIONS_CANNOT_ACT), and to a
    # reader who is not the person only as `text_other`, theirs to pass on, or not at all
    # (caseworker review 6, C1).
    only_if_person_can_act: bool = False
    text_other: Text | None = None

    def __post_init__(self) -> None:
        placed = self.steps or self.to or self.services or self.at
        if not placed and self.when is None and not self.only_if_person_can_act:
            raise ValueError(
                "give 'steps', 'to', 'services', 'at', 'when' or 'only_if_person_can_act', or "
                "write the mitigation as a plain text"
            )
        if self.text_other is not None and not self.only_if_person_can_act:
            raise ValueError(
                "'text_other' words advice only the person at risk can follow: add "
                "'only_if_person_can_act: true'"
            )
        if "digital_security" in self.steps:
            raise ValueError(
                "'digital_security' cannot take a mitigation: the device step gets no reprisal "
                "advice (engine/advice.py)"
            )


@record
class Risk(Model):
    """One reprisal of the contract: what it is, how it shows, what helps."""

    id: Reprisal
    name: Text
    description: Text
    warning_signs: Annotated[tuple[Text, ...], MinLen(1)]
    # What helps: a plain text fits any step; a `Mitigation` names the kinds of step it fits.
    mitigations: Annotated[tuple[Text | Mitigation, ...], MinLen(1)]
    services: tuple[Service, ...] = ()
    checklists: tuple[Id, ...] = ()
    urgent_mechanisms: tuple[Id, ...] = ()
    severity: Literal[1, 2, 3, 4]  # 4: life or liberty at stake now
    sources: Annotated[tuple[Text, ...], MinLen(1)]

    def mitigation_texts(self) -> tuple[str, ...]:
        """The mitigations' texts, tagged or not."""
        return tuple(m if isinstance(m, str) else m.text for m in self.mitigations)


@record
class ChecklistSection(Model):
    """One titled section of a checklist and its items."""

    title: Text
    items: Annotated[tuple[Text, ...], MinLen(1)]


@record
class Checklist(Model):
    """A printable checklist: its title, purpose, sections and sources."""

    id: Id
    title: Text
    purpose: Text
    sections: Annotated[tuple[ChecklistSection, ...], MinLen(1)]
    sources: Annotated[tuple[Text, ...], MinLen(1)]
    # The title a plan shows a reader who is not the person at risk (plan audience `other`),
    # where `title` speaks to the person as "you".
    title_other: Text | None = None


@record
class Case(Model):
    """A precedent: how mechanisms and States responded to a reprisal."""

    id: Id
    title: Text
    country: Text
    years: Text
    mechanisms: Annotated[tuple[Id, ...], MinLen(1)]
    engagement: Annotated[tuple[Engagement, ...], MinLen(1)]
    reprisals: Annotated[tuple[Reprisal, ...], MinLen(1)]
    summary: Text
    responses: Annotated[tuple[Text, ...], MinLen(1)]
    lessons: tuple[Text, ...] = ()
    sources: Annotated[tuple[Text, ...], MinLen(1)]


@record
class KBMeta(Model):
    """`data/kb.yaml`: the knowledge base's identity."""

    version: Text
    title: Text
    description: Text | None = None
    stale_after_months: Annotated[int, Interval(ge=1, le=60)] = 12


@record
class MechanismsFile(Model):
    """data/mechanisms.yaml: the UN and regional bodies and procedures."""

    mechanisms: Annotated[tuple[Mechanism, ...], MinLen(1)]


@record
class OrganisationsFile(Model):
    """data/organisations.yaml: the organisations that support defenders."""

    organisations: tuple[Organisation, ...] = ()


@record
class ProtectionFile(Model):
    """data/protection.yaml: where protection can be sought (embassies, host-State
    authorities, other sources)."""

    protection: tuple[ProtectionSource, ...] = ()


@record
class ChecklistsFile(Model):
    """data/checklists.yaml: the printable checklists."""

    checklists: tuple[Checklist, ...] = ()


@record
class CasesFile(Model):
    """data/cases.yaml: public reprisal cases used as precedents."""

    cases: tuple[Case, ...] = ()


# What a step shares, and with whom (data/rules.yaml, `shares`). Every step declares it: the
# do-no-harm gates read these flags, never step ids, and each purpose has its own consent.
Share = Literal[
    "public",  # makes the case or the person visible
    "un",  # passes the person's details to a UN body
    "regional",  # to a regional body (African, Inter-American, European)
    "states",  # to diplomats or other States, which may raise it with the government
    "government",  # to the State's own body (a protection mechanism, a search commission)
    "sg_report_named",  # asks for inclusion in the Secretary-General's report, with names
    "sg_report_anonymous",  # the same, without names
    "others",  # to anyone else outside: organisations, helplines, lawyers
]
# What a kind of step shares by its nature: at least one value of each tuple, the first when the
# step says none of them. The loader refuses a step that declares less, so a rule that forgets a
# flag cannot leak; the engine adds the first value all the same (`with_kind_shares`).
KIND_SHARES: dict[StepKind, tuple[tuple[Share, ...], ...]] = {
    "publicity": (("public",),),
    "states_raise_case": (("public",), ("states",)),
    "diplomatic": (("states",),),
    "notify_mechanism": (("un", "regional"),),
    "un_reprisals_official": (("un",),),
    "organisation_support": (("others", "un", "regional", "states", "government", "public"),),
    "legal_support": (("others", "un", "regional", "states", "government", "public"),),
}


def missing_kind_shares(kind: StepKind, shares: Iterable[Share]) -> list[tuple[Share, ...]]:
    """The groups of `KIND_SHARES` of which `shares` holds no value."""
    given = set(shares)
    return [group for group in KIND_SHARES.get(kind, ()) if not given & set(group)]


def share_flags(shares: frozenset[Share]) -> dict[str, bool]:
    """The plan's flags for a step that shares `shares` (contract §2)."""
    return {
        "public": "public" in shares,
        "shares_with_un": "un" in shares,
        "shares_with_regional": "regional" in shares,
        "shares_with_states": "states" in shares,
        "shares_with_government": "government" in shares,
        "sends_information": bool(shares),
    }


def with_kind_shares(kind: StepKind, shares: Iterable[Share]) -> frozenset[Share]:
    """`shares` plus what the kind implies and the step forgot to say."""
    given = frozenset(shares)
    return given | {group[0] for group in missing_kind_shares(kind, given)}


@record
class RiskFactor(Model):
    """A vulnerability or capacity the plan's risk assessment names when its condition holds.
    `text_other` words it for a reader who is not the person at risk (plan audience `other`)."""

    id: Id
    text: Text
    when: Condition
    text_other: Text | None = None


@record
class RisksFile(Model):
    """data/risks.yaml: each reprisal's description and advice, and the vulnerabilities and
    capacities the risk assessment weighs."""

    risks: Annotated[tuple[Risk, ...], MinLen(1)]
    vulnerabilities: Annotated[tuple[RiskFactor, ...], MinLen(1)]
    capacities: Annotated[tuple[RiskFactor, ...], MinLen(1)]


@record
class TranslatedText(Model):
    """One translated text and the English text it was translated from (to find translations
    gone stale)."""

    en: Text
    text: Text


@record
class TranslationFile(Model):
    """`data/i18n/<lang>.yaml`: see kb/i18n.py."""

    lang: Lang
    reviewed: bool = False
    texts: dict[str, TranslatedText] = dataclasses.field(default_factory=dict)
