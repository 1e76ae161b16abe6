"""Models of `data/rules.yaml` (the declarative rules) and `data/safety.yaml` (the texts the
do-no-harm gates use whatever the rules say)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Annotated

from reprisal_cli.contract import StepKind
from reprisal_cli.kb.base import record
from reprisal_cli.kb.conditions import Condition
from reprisal_cli.kb.models import (
    KIND_IMPLIES_PUBLIC,
    KIND_IMPLIES_SENDS,
    KIND_IMPLIES_SHARES_WITH_UN,
    Id,
    Model,
    Service,
    Text,
)

if TYPE_CHECKING:
    from pydantic import Field


@record
class OrganisationMatch(Model):
    """Pick organisations by the services a case needs and whom they serve."""

    services: Annotated[tuple[Service, ...], Field(min_length=1)]
    urgent_only: bool = False
    limit: Annotated[int, Field(ge=1, le=10)] = 3


@record
class StepTemplate(Model):
    """A step a rule proposes. Flags may only add to what the kind implies."""

    id: Id
    kind: StepKind
    priority: Annotated[int, Field(ge=1, le=99)]
    title: Text
    detail: Text
    public: bool = False
    shares_with_un: bool = False
    sends_information: bool = False
    # Ids of contacts, or of mechanisms / organisations (their reprisal contacts are used).
    contacts: tuple[Id, ...] = ()
    # Add the committees named in the answers' `treaty_body`.
    treaty_body_contacts: bool = False
    organisations: OrganisationMatch | None = None
    # Add the urgent mechanisms `risks.yaml` names for the reprisals in the answers.
    urgent_mechanisms: bool = False
    checklist: tuple[Id, ...] = ()
    # For a public step: the confidential step that replaces it when consent is missing.
    instead: Id | None = None

    def __post_init__(self) -> None:
        if self.kind in KIND_IMPLIES_PUBLIC and not self.public:
            raise ValueError(f"a '{self.kind}' step makes the case visible: set 'public: true'")
        if self.kind in KIND_IMPLIES_SHARES_WITH_UN and not self.shares_with_un:
            raise ValueError(
                f"a '{self.kind}' step passes details to the UN: set 'shares_with_un: true'"
            )
        sends = self.kind in KIND_IMPLIES_SENDS or self.shares_with_un
        if sends and not self.sends_information:
            raise ValueError("this step sends details outside: set 'sends_information: true'")
        if self.instead is not None and not self.public:
            raise ValueError("'instead' names the confidential route of a public step only")


@record
class Warning(Model):
    id: Id
    text: Text


@record
class RuleEffects(Model):
    steps: tuple[StepTemplate, ...] = ()
    warnings: tuple[Warning, ...] = ()

    def __post_init__(self) -> None:
        if not self.steps and not self.warnings:
            raise ValueError("'then' needs at least one step or warning")


@record
class Rule(Model):
    id: Id
    description: Text
    when: Condition
    then: RuleEffects


@record
class RulesFile(Model):
    rules: Annotated[tuple[Rule, ...], Field(min_length=1)]


@record
class SafetyTexts(Model):
    """Texts and contacts the gates use; they exist whatever the rules contain."""

    emergency_step: StepTemplate
    digital_security_step: StepTemplate
    emergency_contacts: Annotated[tuple[Id, ...], Field(min_length=1)]
    digital_advice_for_emergency: Text
    no_physical_protection: Text
    consent_publicity_reason: Text
    confidential_route: Text
    consent_share_with_un_reason: Text
    un_may_raise_with_state: Text
    embassy_visibility: Text
    others_at_risk_named: Text
    unknown_answers_cautious: Text
    check_current_contact: Text
    stale_contact: Text
    custom_kb: Text
    modified_kb: Text
    # Optional texts (defaults keep older safety files loading). `{step}`, `{others}`, `{keys}`
    # and `{contacts}` are filled in by the engine.
    instead_route: Text = "The confidential route in this plan instead: {step}."
    others_labels: dict[str, Text] = dataclasses.field(
        default_factory=lambda: {
            "family": "your family",
            "colleagues": "your colleagues",
            "organisation": "your organisation",
            "sources": "your sources and the people who gave you information",
        }
    )
    reduce_exposure_first: Text = (
        "The danger is close: the first steps reduce exposure now. Building skills and plans "
        "takes time; do it when you are safer."
    )
    threat_immediate_danger: Text = "Danger now, to the person or someone close"
    threat_feared: Text = "Warning signs of a reprisal"
    threat_unknown: Text = "What has happened is not known yet"
    translation_missing: Text = (
        "This plan is in English: no reviewed translation into the language asked for exists yet."
    )
    find_contact_at: Text = "Where to find the current contact: {where}"

    def __post_init__(self) -> None:
        if self.emergency_step.kind != "emergency":
            raise ValueError("emergency_step must be of kind 'emergency'")
        if self.digital_security_step.kind != "digital_security":
            raise ValueError("digital_security_step must be of kind 'digital_security'")


@record
class SafetyFile(Model):
    safety: SafetyTexts
