"""The do-no-harm gates of contract §3. They run after the rules, on the steps the rules gave,
and read only the answers, the steps' kinds and `shares` flags, and `data/safety.yaml`: a wrong
or missing rule cannot publish a case without consent, send details to the UN, a regional body
or other States against the person's wish, or leave out the emergency and digital-security steps.

Consent is by purpose (gates 1, 2 and 8): each flag a step declares needs the consent for its own
purpose, and a step is held back by the first consent it lacks. A held-back step names as its
safe route (`instead`, gate 9) only a step that is in the plan, and its text invites nothing
else.

Gate 7 ("unknown is not yes") shapes every other gate: an absent answer is read in the way that
exposes no one (no consent; danger possible; devices possibly watched; possibly at home and
watched; others possibly at risk).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, get_args

from reprisal_cli.answers import Answers
from reprisal_cli.contract import (
    CONSENT_KEYS,
    CONSENT_PURPOSES,
    HARM_TO_BODY,
    LOCATIONS_CANNOT_ACT,
    OTHERS_AT_RISK,
    RELATIVES_TARGETED,
)
from reprisal_cli.engine.plan import Note, Why, Withheld
from reprisal_cli.engine.steps import TIER_DANGER, TIER_DEVICES, Draft
from reprisal_cli.kb.base import fill
from reprisal_cli.kb.models import Share, with_kind_shares
from reprisal_cli.kb.rules import SafetyTexts, StepTemplate, shared_beyond

GATE_PUBLICITY = "consent_publicity"
GATE_SHARE = "consent_share_with_un"
GATE_REGIONAL = "consent_share_with_regional"
GATE_STATES = "consent_share_with_states"
# (An extension of contract v1.1) Asking the State's own body: a national protection mechanism,
# a search commission. Not other States raising the case: a consent of its own, which follows no
# other (a "no" to diplomats is no "no" to the protection the government owes).
GATE_GOVERNMENT = "consent_share_with_government"
GATE_SG_REPORT = "consent_sg_report"
GATE_REVOKED = "consent_revoked"
# The caution on a step by which the relatives ask the State's own body to protect themselves
# (`StepTemplate.protects_relatives`), the plan's warning id too.
RELATIVES_CAUTION = "state_body_protects_relatives"
# Not a consent: a step only the person at risk can take, while they are held or missing.
GATE_CANNOT_ACT = "person_cannot_act"
# Answers whose absence gate 7 reports: the others have defaults that follow from these.
GATE_KEYS = (
    "consent_publicity",
    "consent_share_with_un",
    "immediate_danger",
    "devices_compromised",
    "reprisals",
    "location",
    "others_at_risk",
)
# Every answer any gate reads: tests go through every combination of their values.
GATE_READS = (
    *GATE_KEYS,
    "consent_share_with_regional",
    "consent_share_with_states",
    "consent_share_with_government",
    "consent_sg_report",
)


def awaits_consent(answers: Answers, shares: Iterable[Share]) -> bool:
    """Whether a step sharing `shares`, kept by the gates, still waits for a consent: one of
    `AWAITED` not given, or the Secretary-General's report without names while that report is
    undecided (offered as a decision to take, gate 8)."""
    flags = frozenset(shares)
    if any(flag in flags and answers.consent_for(p) != "yes" for p, flag in AWAITED.items()):
        return True
    return "sg_report_anonymous" in flags and answers.consent_for("sg_report") == "undecided"


@dataclass(frozen=True)
class Reach:
    """The bodies a step reaches (the mechanisms and protection sources among its contacts as
    the plan gives them, not those it names only as a fallback or a copy) and the families of
    those mechanisms (`Mechanism.family`): the gates read it to find the closest safe route."""

    bodies: frozenset[str] = frozenset()
    families: frozenset[str] = frozenset()


def _reaches_nothing(_: StepTemplate) -> Reach:
    return Reach()


@dataclass
class GateResult:
    steps: list[Draft]
    withheld: list[Withheld] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)


@dataclass(frozen=True)
class ConsentGate:
    """One purpose's gate: the share flags it reads, and whether the answers refuse them."""

    name: str
    purpose: str
    flags: frozenset[Share]

    def reads(self, shares: frozenset[Share]) -> bool:
        return bool(self.flags & shares)

    def refuses(self, answers: Answers, shares: frozenset[Share]) -> bool:
        """Publicity needs a yes (gate 1); the Secretary-General's report its own form (gate
        8); the others are refused by a `no`, and an undecided or unknown consent keeps the
        step with a warning (gate 2 and its kin)."""
        if self.purpose == "revoked":
            return _revoked_refuses(answers, shares)
        if self.purpose == "publicity":
            return answers.consent_for("publicity") != "yes"
        if self.purpose == "sg_report":
            return _sg_refuses(answers, shares)
        return answers.consent_for(self.purpose) == "no"


def _sg_refuses(answers: Answers, shares: frozenset[Share]) -> bool:
    """Named inclusion needs `named`; anonymous inclusion needs `anonymous`, or `undecided` while
    sharing with the UN is not refused (then it is offered as a decision to take)."""
    chosen = answers.consent_for("sg_report")
    if "sg_report_named" in shares:
        return chosen != "named"
    if chosen == "undecided":
        return answers.consent_for("share_with_un") == "no"
    return chosen != "anonymous"


def _revoked_refuses(answers: Answers, shares: frozenset[Share]) -> bool:
    """A step needs the consent of every purpose whose gate reads it; a case's answers name
    the purposes whose consent the person withdrew (`CaseAnswers.revoked`, contract §7)."""
    revoked = frozenset(getattr(answers, "revoked", ()))
    return any(
        gate.purpose in revoked and gate.reads(shares)
        for gate in CONSENT_GATES
        if gate.name != GATE_REVOKED
    )


# In the order a step meets them: a step is held back by the first that refuses it. A withdrawn
# consent comes first, so the plan says it was withdrawn rather than never given.
CONSENT_GATES = (
    ConsentGate(GATE_REVOKED, "revoked", frozenset(get_args(Share))),
    ConsentGate(GATE_PUBLICITY, "publicity", frozenset({"public"})),
    ConsentGate(GATE_SHARE, "share_with_un", frozenset({"un"})),
    ConsentGate(GATE_REGIONAL, "share_with_regional", frozenset({"regional"})),
    ConsentGate(GATE_STATES, "share_with_states", frozenset({"states"})),
    ConsentGate(GATE_GOVERNMENT, "share_with_government", frozenset({"government"})),
    ConsentGate(GATE_SG_REPORT, "sg_report", frozenset({"sg_report_named", "sg_report_anonymous"})),
)

# The consents a step may be kept without, worded as a decision to take ("If you agree: ..."):
# each sharing purpose and the share flag its gate reads. A step kept so waits for a consent; it
# is no safe route (`instead`) for another step (caseworker review 7, C4).
AWAITED: dict[str, Share] = {
    gate.purpose: flag
    for gate in CONSENT_GATES
    if gate.purpose.startswith("share_with_")
    for flag in gate.flags
}


def refusing_gate(answers: Answers, shares: Iterable[Share]) -> ConsentGate | None:
    """The first consent gate that holds back a step sharing `shares`; None when none does."""
    flags = frozenset(shares)
    for gate in CONSENT_GATES:
        if gate.reads(flags) and gate.refuses(answers, flags):
            return gate
    return None


def held_reason(because: str, route: str) -> str:
    """A held-back step's `reason` (plan JSON, contract §3): why its gate holds it back, then its
    route sentence (the step in the plan to take instead, or that no step can do it without the
    missing consent); `split_reason` takes them apart again."""
    return f"{because} {route}" if route else because


def split_reason(reason: str, safety: SafetyTexts) -> tuple[str, str]:
    """The two parts `held_reason` joined, read with the texts (`safety`, in the plan's language)
    that made them: why the gate holds the step back, and its route sentence. A reason that ends
    in neither route sentence (a step left out, a plan made in another language or by another
    version) is all `because`: `(reason, "")`."""
    alone = " " + safety.confidential_route
    if reason.endswith(alone) and len(reason) > len(alone):
        return reason[: -len(alone)], safety.confidential_route
    head, marker, tail = safety.instead_route.partition("{step}")
    at = reason.rfind(" " + head) if head and marker else -1
    if at > 0 and reason.endswith(tail):
        return reason[:at], reason[at + 1 :]
    return reason, ""


def asks_state_body(shares: Iterable[str]) -> bool:
    """Whether a step asks the State's own body (a national protection mechanism, a search
    commission), whose consent is `share_with_government`."""
    return "government" in shares


def person_cannot_act(answers: Answers) -> bool:
    """Whether the person at risk is detained or missing (an unknown location is not read as
    that: gate 7 reads it as possibly at home, where the person's own steps still apply)."""
    return answers.location in LOCATIONS_CANNOT_ACT


def left_out(template: StepTemplate, answers: Answers) -> bool:
    """Whether the plan leaves this step out: only the person could take it, and they cannot."""
    return template.only_if_person_can_act and person_cannot_act(answers)


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
    drafts: list[Draft],
    answers: Answers,
    safety: SafetyTexts,
    steps: Mapping[str, StepTemplate],
    questions: dict[str, str] | None = None,
    *,
    grave_risk: bool = False,
    reach: Callable[[StepTemplate], Reach] = _reaches_nothing,
) -> GateResult:
    """Run the gates over the rules' steps. `steps` holds every step any rule defines, to find
    the safe route (`instead`) of a held-back step; `questions` words an answer key (the
    question that asks it), so no key reaches the reader; `grave_risk` (a high or critical
    risk) keeps the emergency line in a plan that answered "not in danger right now"; `reach`
    says which bodies a step reaches, so that a held-back step's safe route is the closest."""
    run = _Run(
        answers, safety, steps, GateResult(steps=list(drafts)), questions or {}, grave_risk, reach
    )
    run.cannot_act()
    run.danger_first()
    run.devices()
    public_seen = any(d.public for d in run.result.steps)
    run.consent()
    run.consent_warnings()
    run.relatives_and_child()
    run.embassy()
    run.others_at_risk(public_seen)
    run.unknown_answers()
    run.result.withheld.sort(key=lambda w: (w.id, w.gate))
    return run.result


@dataclass
class _Run:
    answers: Answers
    safety: SafetyTexts
    definitions: Mapping[str, StepTemplate]
    result: GateResult
    questions: dict[str, str] = field(default_factory=dict)
    grave_risk: bool = False
    reach: Callable[[StepTemplate], Reach] = _reaches_nothing
    _reached: dict[str, Reach] = field(default_factory=dict)

    def reached(self, template: StepTemplate) -> Reach:
        """`reach`, once per step of this plan."""
        known = self._reached.get(template.id)
        if known is None:
            known = self._reached[template.id] = self.reach(template)
        return known

    def warn(self, ident: str, text: str) -> None:
        if all(w.id != ident for w in self.result.warnings):
            self.result.warnings.append(Note(id=ident, text=text))

    def add(self, template: StepTemplate, rule: str, matched: dict[str, Any]) -> Draft:
        draft = self.find(template.id)
        if draft is None:
            draft = Draft(template)
            self.result.steps.append(draft)
        draft.add_why(Why(rule=rule, matched=matched))
        return draft

    def find(self, ident: str) -> Draft | None:
        return next((d for d in self.result.steps if d.id == ident), None)

    def cannot_act(self) -> None:
        """Steps only the person at risk can take leave the plan while they are detained or
        missing, each listed with the reason (issue 21 point 6): the reader cannot take them
        in the person's place, and telling a family to "look after yourself" or "secure your
        phone" for someone held is no advice."""
        for draft in list(self.result.steps):
            if left_out(draft.template, self.answers):
                self.result.steps.remove(draft)
                self.result.withheld.append(
                    Withheld(
                        id=draft.id,
                        title=draft.template.title,
                        gate=GATE_CANNOT_ACT,
                        reason=self.safety.person_cannot_act_reason,
                    )
                )

    def danger_first(self) -> None:
        """Gate 3; the no-physical-protection warning is true of every plan, so always given.
        "Not in danger right now" with a high or critical risk keeps the line, not for now: the
        situation can change, and the number must then be at hand (a caseworker review found
        a critical plan without any phone number)."""
        danger = self.answers.immediate_danger
        if danger is not False:
            matched: dict[str, Any] = {"immediate_danger": danger}
            self.add(self.safety.emergency_step, "gate:danger_first", matched)
        elif self.grave_risk:
            matched = {"reprisals": list(self.answers.reprisals), "location": self.answers.location}
            self.add(self.safety.emergency_step, "gate:danger_first", matched)
        self.warn("no_physical_protection", self.safety.no_physical_protection)
        if danger is True:
            for draft in self.result.steps:
                if draft.kind == "emergency":
                    draft.tier = TIER_DANGER
        elif danger is None and HARM_TO_BODY & set(self.answers.reprisals):
            # Someone was hurt and the danger is not known to be over: the 24-hour line first,
            # before the device step too, whose advice it carries (gate 4; caseworker review 6,
            # B6: after an attack the plan began with the device step).
            line = self.find(self.safety.emergency_step.id)
            if line is not None:
                line.tier = TIER_DANGER
                hurt = [r for r in self.answers.reprisals if r in HARM_TO_BODY]
                line.add_why(Why(rule="gate:danger_first", matched={"reprisals": hurt}))
                if devices_at_risk(self.answers) is None:
                    # Devices not known to be safe or watched: the line, now before the device
                    # step, says how to call safely (gate 4 adds it when they are known watched;
                    # code reading of stop 36).
                    line.add_extra(self.safety.digital_advice_for_emergency)

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

    def consent(self) -> None:
        """Gates 1, 2 and 8, then gate 9: each step held back by the first consent it lacks;
        then each held-back step gets the closest safe route (`safe_route`; one of its
        `instead` steps is added to the plan if the rules did not give it), or none."""
        held: list[tuple[Draft, ConsentGate]] = []
        for draft in list(self.result.steps):
            gate = refusing_gate(self.answers, draft.shares)
            if gate is not None:
                self.result.steps.remove(draft)
                held.append((draft, gate))
        for draft, gate in held:
            if self.other_form_chosen(gate):
                continue  # the form of the report request the person chose is in the plan
            route = self.safe_route(draft, gate)
            if route is not None:
                sentence = fill(self.safety.instead_route, step=route.template.title)
            else:
                sentence = self.safety.confidential_route
            self.result.withheld.append(
                Withheld(
                    id=draft.id,
                    title=draft.template.title,
                    gate=gate.name,
                    reason=held_reason(self.reason(gate), sentence),
                    instead=route.id if route is not None else None,
                )
            )
            if gate.purpose == "share_with_un":
                self.warn("consent_share_with_un_needed", self.safety.consent_share_with_un_reason)

    def other_form_chosen(self, gate: ConsentGate) -> bool:
        """Whether `gate` refused a Secretary-General's report step only because the person
        chose the other form, and that form is in the plan."""
        chosen = self.answers.consent_for("sg_report")
        if gate.name != GATE_SG_REPORT or chosen not in ("named", "anonymous"):
            return False
        return any(f"sg_report_{chosen}" in d.shares for d in self.result.steps)

    def safe_route(self, draft: Draft, gate: ConsentGate) -> Draft | None:
        """The closest safe route for a held-back step (gate 9; caseworker review 7, C4): a
        step of the plan that reaches one of the same bodies first, then the step's own
        `instead` steps in their order, then a step of the plan that reaches a body of the same
        family. Each shares nothing the held-back step does not (`shared_beyond`), is never left
        out of the plan after the gates (`joins`, `carries_bodies`) and waits for no consent
        (`awaits_consent`): "instead: If you agree: ..." would offer what is not safe yet."""
        if gate.name == GATE_REVOKED:
            matched: dict[str, Any] = {"revoked": list(getattr(self.answers, "revoked", ()))}
        else:
            matched = {CONSENT_KEYS[gate.purpose]: self.answers.consent_for(gate.purpose)}
        held = self.reached(draft.template)
        listed = draft.template.instead
        ranked: list[tuple[int, int, StepTemplate]] = []
        for order, present in enumerate(sorted(self.result.steps, key=Draft.sort_key)):
            near = self.reached(present.template)
            if near.bodies & held.bodies:
                rank = 0
            elif present.id in listed:
                rank = 1
            elif near.families & held.families:
                rank = 2
            else:
                continue
            ranked.append(
                (rank, listed.index(present.id) if rank == 1 else order, present.template)
            )
        for position, ident in enumerate(listed):
            definition = self.definitions.get(ident)
            if self.find(ident) is None and definition is not None:
                ranked.append((1, position, definition))
        for _, _, template in sorted(ranked, key=lambda r: (r[0], r[1])):
            if self.safe(draft.template, template):
                return self.add(template, f"gate:{gate.name}", matched)
        return None

    def safe(self, held: StepTemplate, template: StepTemplate) -> bool:
        """Whether `template` can stand in for `held` in this plan (`safe_route`)."""
        if left_out(template, self.answers) or template.joins or template.carries_bodies:
            return False
        if shared_beyond(held, template):
            return False
        shares = with_kind_shares(template.kind, template.shares)
        if refusing_gate(self.answers, shares) is not None:
            return False  # a step no gate has read yet: given only if no consent refuses it
        return not awaits_consent(self.answers, shares)

    def reason(self, gate: ConsentGate) -> str:
        safety = self.safety
        if gate.name == GATE_SG_REPORT:
            chosen = self.answers.consent_for("sg_report")
            if chosen in ("named", "anonymous"):
                return fill(safety.sg_report_other_form, chosen=safety.sg_labels[chosen])
            return safety.consent_sg_report_reason
        if gate.purpose in ("share_with_regional", "share_with_states") and (
            getattr(self.answers, CONSENT_KEYS[gate.purpose]) is None
        ):
            # Never asked: the refusal is the UN one, applied to them by default (contract §1).
            return fill(safety.follows_un_refusal, who=safety.purpose_labels[gate.purpose])
        if gate.name == GATE_REVOKED:
            return safety.consent_revoked_reason
        return {
            GATE_PUBLICITY: safety.consent_publicity_reason,
            GATE_SHARE: safety.consent_share_with_un_reason,
            GATE_REGIONAL: safety.consent_share_with_regional_reason,
            GATE_STATES: safety.consent_share_with_states_reason,
            GATE_GOVERNMENT: safety.consent_share_with_government_reason,
        }[gate.name]

    def consent_warnings(self) -> None:
        """What an undecided or unknown consent keeps, it keeps with the warning that the
        person decides first: each such step says so in its detail, and the plan once."""
        safety = self.safety
        cautions = {
            "share_with_un": ("un_may_raise_with_state", safety.un_may_raise_with_state),
            "share_with_regional": (
                "regional_may_raise_with_state",
                safety.regional_may_raise_with_state,
            ),
            "share_with_states": ("states_tell_government", safety.states_tell_government),
            "share_with_government": (
                "state_body_tells_government",
                safety.state_body_tells_government,
            ),
        }
        for purpose, flag in AWAITED.items():
            if self.answers.consent_for(purpose) == "yes":
                continue
            for draft in self.result.steps:
                if flag in draft.shares:
                    said = cautions[purpose]
                    if flag == "government" and draft.template.protects_relatives:
                        # The relatives ask for themselves: what the body learns is of them.
                        said = (RELATIVES_CAUTION, safety.state_body_protects_relatives)
                    draft.add_extra(said[1])
                    self.warn(*said)
                    draft.heading = self.if_agreed(draft.template.title)
        if self.answers.consent_for("sg_report") == "undecided":
            for draft in self.result.steps:
                if "sg_report_anonymous" in draft.shares:
                    draft.add_extra(self.safety.sg_report_undecided)
        # Publicity not given (absent or undecided) counts as no (gate 1): organisations that
        # publish urgent appeals must hear it too (caseworker review 4: said only after a "no").
        refused = [
            p
            for p in _PURPOSES_FOR_HELPERS
            if self.answers.consent_for(p) == "no"
            or (p == "publicity" and self.answers.consent_for(p) != "yes")
        ]
        if refused:
            labels = self.safety.purpose_labels
            text = self.safety.tell_helpers_limits.replace(
                "{purposes}", self.safety.join((labels[p] for p in refused), clauses=True)
            )
            for draft in self.result.steps:
                # Not to the State's own bodies (a protection mechanism, a search commission):
                # telling a government what not to publish means nothing (caseworker review 3).
                if draft.kind in ("organisation_support", "legal_support") and not (
                    asks_state_body(draft.shares)
                ):
                    draft.add_extra(text)

    def relatives_and_child(self) -> None:
        """Cautions on the steps that send the case out (caseworker review 5): with relatives
        targeted, each step to the UN, a regional body or States says that a letter describing
        what was done to them identifies them to the government, so they are asked first; with a
        child at risk, each step that sends the case to such a body, to the government's own
        bodies, or makes it public, says to decide with the child and never to name them in
        public. Each also once among the plan's warnings."""
        for ident, text, flags in exposure_cautions(self.answers, self.safety):
            for draft in self.result.steps:
                if flags & set(draft.shares):
                    draft.add_extra(text)
                    self.warn(ident, text)

    def if_agreed(self, title: str) -> str:
        """`title` as the title of a step kept while the consent it needs is not given ("If you
        agree: send ..."; where the person is held or missing, "If the family or a
        representative agrees: ..."). A title that is already a condition ("If you agree: ask
        ...", "If you may be sent back: ask ...": it begins with the pattern's first word) is
        kept as it is: two conditions in a row read as a riddle; its detail says what needs
        consent. A title is a condition only in that form, its condition ended by the pattern's
        own mark (":"): "如果报复妨碍了…，请告知法院" (Chinese for "Tell the European Court if
        ...") begins with the same word and is no condition."""
        held = person_cannot_act(self.answers)
        pattern = self.safety.if_agreed_held_title if held else self.safety.if_agreed_title
        lead = pattern.split("{title}")[0].strip()
        first = lead.split()[0] if " " in lead else lead[:2]  # no spaces: Chinese
        mark = lead[-1:]
        if title.casefold().startswith(first.casefold()) and mark in title:
            return title
        return fill(pattern, title=_small_first(title))

    def embassy(self) -> None:
        """Gate 5: every diplomatic step carries the caution, and the plan once among its
        warnings, naming those steps (`engine.evaluate.concerning`); the full views say it once
        there and refer to it from each step (caseworker review 6, C4: a short "here too"
        reminder on the later steps pointed to "the step about embassies", which now refers to
        the warning)."""
        if not embassy_visible(self.answers):
            return
        for draft in self.result.steps:
            if draft.kind == "diplomatic":
                draft.add_extra(self.safety.embassy_visibility)
                self.warn("embassy_visibility", self.safety.embassy_visibility)

    def others_at_risk(self, public_seen: bool) -> None:
        """Gate 6: the publicity warning names the others at risk (all of them when unknown,
        none when the answer is that no one else is)."""
        if not public_seen and self.answers.consent_publicity != "yes":
            return
        labels = self.safety.others_labels
        given = self.answers.others_at_risk
        others: tuple[str, ...] = OTHERS_AT_RISK if given is None else given
        if not others:
            return
        names = self.safety.join(labels.get(o, o.replace("_", " ")) for o in others)
        text = fill(self.safety.others_at_risk_named, others=names)
        self.warn("publicity_exposes_others", text)

    def unknown_answers(self) -> None:
        """Gate 7: say which answers were read cautiously because they were not given."""
        unknown = [key for key in GATE_KEYS if self.answers.get(key) is None]
        if unknown:
            words = self.safety.join(
                (self.questions.get(key, key) for key in unknown), clauses=True
            )
            text = fill(self.safety.unknown_answers_cautious, keys=words)
            self.warn("unknown_answers_cautious", text)


def device_advice_ahead(ordered: list[Draft], answers: Answers, safety: SafetyTexts) -> None:
    """Gate 4's second half, run once the plan's order is known (`engine.urgency`): where the
    person at risk is held or missing and devices are not known to be safe, every step that
    sends information and comes before the device step carries its advice in its detail
    (`digital_advice_ahead`, naming the step), as emergency steps carry theirs (`devices`).
    There "Do now" is the emergency line, the urgent appeal and the lawyer, and the device step
    follows them while devices are not known to be watched (data/safety.yaml, caseworker review
    cw5 B3); with devices known to be watched it comes before every one of them (`devices`),
    and this adds nothing."""
    if devices_at_risk(answers) is False or not person_cannot_act(answers):
        return
    device = next((d for d in ordered if d.kind == "digital_security"), None)
    if device is None:
        return
    text = fill(safety.digital_advice_ahead, step=device.heading or device.template.title)
    for draft in ordered[: ordered.index(device)]:
        if draft.shares and draft.kind != "emergency":
            draft.add_extra(text)


# The flags of a step that sends the case to a body that may raise it with the government (the
# relatives' caution), and of one that sends it to the government's own bodies or publishes it
# (the child's).
_SENDS_CASE: frozenset[str] = frozenset({"un", "regional", "states"})
_SENDS_OR_PUBLISHES: frozenset[str] = _SENDS_CASE | {"government", "public"}


def exposure_cautions(
    answers: Answers, safety: SafetyTexts
) -> list[tuple[str, str, frozenset[str]]]:
    """The cautions for those the case exposes besides the person (caseworker review 5), each
    with its warning id, its text in `safety`'s words and the flags of the steps it goes on:
    relatives targeted (a letter describing what was done to them identifies them), a child at
    risk (decide with the child; never name them in public). The plan puts them on its steps;
    a draft message to a body, on its guidance (`render.draft`)."""
    cautions = []
    if RELATIVES_TARGETED & set(answers.reprisals):
        cautions.append(("relatives_identified", safety.relatives_identified, _SENDS_CASE))
    if "child" in answers.profile:
        cautions.append(("child_at_risk", safety.child_at_risk, _SENDS_OR_PUBLISHES))
    return cautions


# Purposes whose "no" organisations and lawyers who take the case must be told of: they often
# raise cases with the UN, regional bodies and States themselves (domain review D4).
_PURPOSES_FOR_HELPERS = tuple(p for p in CONSENT_PURPOSES if p != "sg_report")


def _small_first(title: str) -> str:
    """A title to follow "If you agree: ", its first letter made small unless it begins an
    acronym ("UN", "OHCHR") or a name in a script without case."""
    if title[:1].isupper() and not title[1:2].isupper():
        return title[0].lower() + title[1:]
    return title
