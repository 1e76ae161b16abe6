"""The plan (`reprisal-cli/plan/v1`, contract §2) as frozen models: what the engine returns and
every renderer reads. Field order here is the key order of the JSON output."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reprisal_cli.contract import PLAN_SCHEMA, Channel, ContactStatus, RiskLevel, StepKind


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class KBInfo(_Frozen):
    version: str
    fingerprint: str
    custom: bool
    modified: bool


class PlanContact(_Frozen):
    id: str
    name: str
    channel: Channel
    value: str
    status: ContactStatus
    verified: str
    source: str


class Why(_Frozen):
    rule: str
    matched: dict[str, Any]


class Step(_Frozen):
    id: str
    kind: StepKind
    priority: int
    title: str
    detail: str
    public: bool
    shares_with_un: bool
    sends_information: bool
    contacts: tuple[PlanContact, ...] = ()
    checklist: tuple[str, ...] = ()
    why: tuple[Why, ...] = ()


class Withheld(_Frozen):
    id: str
    title: str
    gate: str
    reason: str


class Note(_Frozen):
    """A warning, a precedent or a risk factor: an id and a text (or title)."""

    id: str
    text: str


class Precedent(_Frozen):
    id: str
    title: str


class Risk(_Frozen):
    level: RiskLevel
    threats: tuple[Note, ...] = ()
    vulnerabilities: tuple[Note, ...] = ()
    capacities: tuple[Note, ...] = ()
    reassess_after_days: int


class Plan(_Frozen):
    schema_: str = Field(PLAN_SCHEMA, alias="schema")
    case_id: str | None
    lang: str
    lang_reviewed: bool
    as_of: str
    kb: KBInfo
    steps: tuple[Step, ...]
    withheld: tuple[Withheld, ...] = ()
    warnings: tuple[Note, ...] = ()
    precedents: tuple[Precedent, ...] = ()
    risk: Risk

    def to_json_dict(self) -> dict[str, Any]:
        """The contract's JSON object, keys in contract order."""
        return self.model_dump(mode="json", by_alias=True)
