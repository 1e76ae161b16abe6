"""The do-no-harm gates of contract §3. They run after the rules, on the steps the rules gave,
and read only the answers, the steps' kinds and flags, and `data/safety.yaml`: a wrong or missing
rule cannot publish a case without consent, send details to the UN against the person's wish, or
leave out the emergency and digital-security steps.

Gate 7 ("unknown is not yes") shapes every other gate: an absent answer is read in the way that
exposes no one (no consent; danger possible; devices possibly watched; possibly at home and
watched; others possibly at risk).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reprisal_cli.answers import Answers
from reprisal_cli.contract import OTHERS_AT_RISK
from reprisal_cli.engine.plan import Note, Why, Withheld
from reprisal_cli.engine.steps import TIER_DANGER, TIER_DEVICES, Draft
from reprisal_cli.kb.rules import SafetyTexts, StepTemplate

GATE_PUBLICITY = "consent_publicity"
GATE_SHARE = "consent_share_with_un"
# The answers the gates read: tests go through every combination of them.
GATE_KEYS = (
    "consent_publicity",
    "consent_share_with_un",
    "immediate_danger",
    "devices_compromised",
    "reprisals",
    "location",
    "others_at_risk",
)


@dataclass
class GateResult:
    steps: list[Draft]
    withheld: list[Withheld] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)


def devices_at_risk(answers: Answers) -> bool | None:
    """True when devices may be watched, None when not known, False when known to be safe."""
    if answers.devices_compromised is True or "hacking" in answers.reprisals:
        return True
    return None if answers.devices_compromised is None else False


def embassy_visible(answers: Answers) -> bool:
    """Gate 5's test; an unknown location or unknown reprisals count as possibly watched."""
    watched = bool({"surveillance", "stalking"} & set(answers.reprisals)) or not answers.reprisals
    return answers.location != "abroad" and watched


def apply_gates(
    drafts: list[Draft], answers: Answers, safety: SafetyTexts, steps: dict[str, StepTemplate]
) -> GateResult:
    """Run the seven gates over the rules' steps. `steps` holds every step any rule defines, to
    find the confidential route (`instead`) of a withheld public step."""
    run = _Run(answers, safety, steps, GateResult(steps=list(drafts)))
    run.danger_first()
    run.devices()
    public_seen = run.publicity()
    run.share_with_un()
    run.embassy()
    run.others_at_risk(public_seen)
    run.unknown_answers()
    run.result.withheld.sort(key=lambda w: (w.id, w.gate))
    return run.result


@dataclass
class _Run:
    answers: Answers
    safety: SafetyTexts
    definitions: dict[str, StepTemplate]
    result: GateResult

    def warn(self, ident: str, text: str) -> None:
        if all(w.id != ident for w in self.result.warnings):
            self.result.warnings.append(Note(id=ident, text=text))

    def add(self, template: StepTemplate, rule: str, matched: dict[str, Any]) -> None:
        draft = next((d for d in self.result.steps if d.id == template.id), None)
        if draft is None:
            draft = Draft(template)
            self.result.steps.append(draft)
        draft.add_why(Why(rule=rule, matched=matched))

    def withhold(self, draft: Draft, gate: str, reason: str) -> None:
        self.result.steps.remove(draft)
        self.result.withheld.append(
            Withheld(id=draft.id, title=draft.template.title, gate=gate, reason=reason)
        )

    def danger_first(self) -> None:
        """Gate 3; the no-physical-protection warning is true of every plan, so always given."""
        danger = self.answers.immediate_danger
        if danger is not False:
            matched = {"immediate_danger": danger}
            self.add(self.safety.emergency_step, "gate:danger_first", matched)
        self.warn("no_physical_protection", self.safety.no_physical_protection)
        if danger is True:
            for draft in self.result.steps:
                if draft.kind == "emergency":
                    draft.tier = TIER_DANGER

    def devices(self) -> None:
        """Gate 4; with devices not known to be safe the step is given at its normal place."""
        at_risk = devices_at_risk(self.answers)
        if at_risk is False:
            return
        matched: dict[str, Any] = {"devices_compromised": self.answers.devices_compromised}
        if "hacking" in self.answers.reprisals:
            matched["reprisals"] = "hacking"
        self.add(self.safety.digital_security_step, "gate:compromised_devices", matched)
        if at_risk is True:
            for draft in self.result.steps:
                if draft.kind == "digital_security":
                    draft.tier = TIER_DEVICES
                elif draft.kind == "emergency":
                    draft.add_extra(self.safety.digital_advice_for_emergency)

    def publicity(self) -> bool:
        """Gate 1. Returns whether any public step was proposed."""
        seen = False
        for draft in list(self.result.steps):
            if not draft.public:
                continue
            seen = True
            if self.answers.consent_publicity == "yes":
                continue
            reason = self.safety.consent_publicity_reason
            route = self.definitions.get(draft.template.instead or "")
            if route is not None and not route.public:
                self.add(
                    route,
                    "gate:consent_publicity",
                    {"consent_publicity": self.answers.consent_publicity},
                )
                reason += " " + self.safety.instead_route.replace("{step}", route.title)
            else:
                reason += " " + self.safety.confidential_route
            self.withhold(draft, GATE_PUBLICITY, reason)
        return seen

    def share_with_un(self) -> None:
        """Gate 2: `no` withholds; undecided or unknown keeps, with the warning."""
        consent = self.answers.consent_share_with_un
        for draft in list(self.result.steps):
            if not draft.shares_with_un or consent == "yes":
                continue
            if consent == "no":
                self.withhold(draft, GATE_SHARE, self.safety.consent_share_with_un_reason)
                self.warn("consent_share_with_un_needed", self.safety.consent_share_with_un_reason)
            else:
                draft.add_extra(self.safety.un_may_raise_with_state)
                self.warn("un_may_raise_with_state", self.safety.un_may_raise_with_state)

    def embassy(self) -> None:
        """Gate 5."""
        if not embassy_visible(self.answers):
            return
        for draft in self.result.steps:
            if draft.kind == "diplomatic":
                draft.add_extra(self.safety.embassy_visibility)
                self.warn("embassy_visibility", self.safety.embassy_visibility)

    def others_at_risk(self, public_seen: bool) -> None:
        """Gate 6: the publicity warning names the others at risk (all of them when unknown)."""
        if not public_seen and self.answers.consent_publicity != "yes":
            return
        labels = self.safety.others_labels
        others = self.answers.others_at_risk or OTHERS_AT_RISK
        names = ", ".join(labels.get(o, o.replace("_", " ")) for o in others)
        text = self.safety.others_at_risk_named.replace("{others}", names)
        self.warn("publicity_exposes_others", text)

    def unknown_answers(self) -> None:
        """Gate 7: say which answers were read cautiously because they were not given."""
        unknown = [key for key in GATE_KEYS if self.answers.get(key) is None]
        if unknown:
            text = self.safety.unknown_answers_cautious.replace("{keys}", ", ".join(unknown))
            self.warn("unknown_answers_cautious", text)
