"""The assembled knowledge base: every validated file, indexed by id."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from reprisal_cli.kb.models import (
    Case,
    Checklist,
    Contact,
    KBMeta,
    Mechanism,
    Organisation,
    ProtectionSource,
    Risk,
    RiskFactor,
    TranslationFile,
)
from reprisal_cli.kb.questions import Question
from reprisal_cli.kb.rules import Rule, SafetyTexts
from reprisal_cli.kb.states import State, StateSource


@dataclass(frozen=True)
class ContactOwner:
    """Who a contact reaches: a mechanism or an organisation."""

    id: str
    name: str
    custom: bool = False


@dataclass(frozen=True)
class KnowledgeBase:
    """The whole validated knowledge base, indexed by id."""

    meta: KBMeta
    mechanisms: dict[str, Mechanism]
    organisations: dict[str, Organisation]
    protection: dict[str, ProtectionSource]
    risks: dict[str, Risk]
    vulnerabilities: tuple[RiskFactor, ...]
    capacities: tuple[RiskFactor, ...]
    checklists: dict[str, Checklist]
    cases: dict[str, Case]
    rules: tuple[Rule, ...]
    safety: SafetyTexts
    questions: tuple[Question, ...]
    contacts: dict[str, Contact]
    contact_owner: dict[str, ContactOwner]
    fingerprint: str
    source: str
    custom: bool = False
    modified: bool = False
    # The language of the texts: "en", or the language `translate_kb` put them in.
    lang: str = "en"
    # Translations of the texts, by language (see kb/i18n.py).
    translations: Mapping[str, TranslationFile] = field(default_factory=dict)
    # Each State by its ISO 3166-1 alpha-2 code (data/states.yaml), and the sources of its facts.
    states: Mapping[str, State] = field(default_factory=dict)
    state_sources: dict[str, StateSource] = field(default_factory=dict)
    # Where each id was defined, for error messages of later checks: id -> (file, line).
    origins: dict[str, tuple[str, int | None]] = field(default_factory=dict, repr=False)
    # The mechanisms a step asking for inclusion in the Secretary-General's report names among
    # its contacts (`report_mechanisms`): made from the rules when the knowledge base is made.
    # `followup` asks it of every due action; searching every rule's steps each time was a
    # sixteenth of its work per case file (bench/RESULTS.md, follow-up, 2026-12-05).
    report_mechanisms: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        reached = frozenset(
            contact
            for rule in self.rules
            for step in rule.then.steps
            if step.sg_report is not None
            for contact in step.contacts
        )
        object.__setattr__(self, "report_mechanisms", reached)
