"""The plan (`reprisal-cli/plan/v1.1`, contract §2) as frozen models: what the engine returns and
every renderer reads. Field order here is the key order of the JSON output."""

from __future__ import annotations

from typing import Any, ClassVar

from reprisal_cli.contract import (
    PLAN_SCHEMA,
    Audience,
    Channel,
    ContactStatus,
    RiskLevel,
    StepKind,
    Urgency,
)
from reprisal_cli.records import Record, record, to_data, written_name


class _Frozen(Record):
    """A part of the plan: built by the engine, never parsed from outside. Its schema allows
    unknown keys: consumers of plan v1 must ignore keys they do not know (contract §2)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"alias_generator": written_name}


@record
class KBInfo(_Frozen):
    """The knowledge base a plan was made from: its version and fingerprint, and whether it
    was custom (`--kb`, `--kb-add`) or modified after installation."""

    version: str
    fingerprint: str
    custom: bool
    modified: bool


@record
class PlanConfirmation(_Frozen):
    """How and when a contact was last confirmed: on the official page, by the organisation,
    or not confirmed."""

    how: str  # official_page, organisation_told_us or not_confirmed
    date: str | None


@record
class PlanContact(_Frozen):
    """`status` is `confirmed` only for a contact confirmed on the official page or by the
    organisation within the knowledge base's staleness limit before the plan's date. `verified`
    keeps its v1 meaning for old consumers: the date of the last confirmation, or else the date
    the source shows (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`) or `undated`."""

    id: str
    name: str
    channel: Channel
    value: str
    status: ContactStatus
    verified: str
    source: str
    source_date: str = "undated"
    last_confirmed: PlanConfirmation = PlanConfirmation(how="not_confirmed", date=None)
    # An emergency line or UN mailbox not confirmed in the 12 months before the knowledge
    # base's release (`kb validate` warns about it): re-confirm it before relying on it.
    unconfirmed_at_release: bool = False
    # (v1.1) When the line is open, as the knowledge base says ("24 hours a day, every day").
    hours: str | None = None
    # What to know before using it, as the knowledge base says ("Post is slow. Do not use it
    # for urgent cases."; a mailbox given for another purpose): an extension of v1.1.
    note: str | None = None


@record
class Why(_Frozen):
    """Why a step is in the plan: the rule that put it there and the answers it matched."""

    rule: str
    matched: dict[str, Any]


@record
class Step(_Frozen):
    """One thing to do, with its priority and urgency, what it shares and with whom, its
    contacts, checklist and advice, and why it is in the plan."""

    id: str
    kind: StepKind
    priority: int
    # (v1.1) `now` (at most three, first in the plan), `this_week` or `later`.
    urgency: Urgency = "later"
    title: str
    detail: str
    public: bool
    shares_with_un: bool
    shares_with_regional: bool
    shares_with_states: bool
    # (An extension of v1.1) Asks the State's own body (contract §1, `share_with_government`).
    # A plan file written before the flag existed has none: its steps said what they share
    # with the flags of then (such a step was `shares_with_states`), and it still opens.
    shares_with_government: bool = False
    sends_information: bool
    contacts: tuple[PlanContact, ...] = ()
    checklist: tuple[str, ...] = ()
    why: tuple[Why, ...] = ()
    # (v1.1) Short practical texts for this step: its mechanisms' conditions and the answered
    # reprisals' mitigations (engine/advice.py).
    advice: tuple[str, ...] = ()
    # (extension) The official pages to find a contact on, for a body the knowledge base has
    # no contact for (`engine.contacts.find_at`), each as its detail's "Where to find ..." says
    # it: the short view shows them when the step has no contact (fix59: the step to the Council
    # of Europe Commissioner and ODIHR showed no way in at all).
    find_at: tuple[str, ...] = ()


@record
class Withheld(_Frozen):
    """A step the do-no-harm gates kept out of the plan: the gate, the reason in words, and
    the step that serves as the safe route instead, if any."""

    id: str
    title: str
    gate: str
    reason: str
    # (v1.1) The step in the plan that serves as the safe route, or None (contract §3, gate 9).
    instead: str | None = None


@record
class Note(_Frozen):
    """A warning, a precedent or a risk factor: an id and a text (or title)."""

    id: str
    text: str


@record
class PlanWarning(_Frozen):
    """A warning of the plan: an id and a text, and (an extension of v1.1) the ids of the steps
    it concerns, in plan order: those whose detail carries it as a paragraph (a caution the gates
    put on each step that shares without a consent given, or that names a child). Empty for a
    warning about the whole plan. The full views say such a text once, among the warnings,
    naming its steps, and each of those steps refers to it (caseworker review 6, C3 and C4)."""

    id: str
    text: str
    steps: tuple[str, ...] = ()


@record
class Precedent(_Frozen):
    """A public case like this one (an id and its title)."""

    id: str
    title: str


@record
class Risk(_Frozen):
    """The risk assessment: the level, the threats, vulnerabilities and capacities behind it,
    and the days after which to assess it again."""

    level: RiskLevel
    threats: tuple[Note, ...] = ()
    vulnerabilities: tuple[Note, ...] = ()
    capacities: tuple[Note, ...] = ()
    reassess_after_days: int


@record
class Plan(_Frozen):
    """A prioritised do-no-harm plan (contract §2): its steps, the steps withheld and why,
    warnings, precedents and the risk, for one set of answers on one day."""

    schema_: str = PLAN_SCHEMA
    case_id: str | None
    lang: str
    lang_reviewed: bool
    as_of: str
    # (v1.1) `person` when the person at risk reads the plan, `other` when someone acts for them.
    audience: Audience = "person"
    kb: KBInfo
    steps: tuple[Step, ...]
    withheld: tuple[Withheld, ...] = ()
    warnings: tuple[PlanWarning, ...] = ()
    precedents: tuple[Precedent, ...] = ()
    risk: Risk

    def to_json_dict(self) -> dict[str, Any]:
        """The contract's JSON object, keys in contract order."""
        data: dict[str, Any] = to_data(self)
        return data
