"""Models of `data/rules.yaml` (the declarative rules) and `data/safety.yaml` (the texts the
do-no-harm gates use whatever the rules say)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Annotated, Literal

from reprisal_cli.contract import Engagement, StepKind
from reprisal_cli.kb.base import record
from reprisal_cli.kb.conditions import Condition
from reprisal_cli.kb.models import Id, Model, Service, Share, Text, missing_kind_shares
from reprisal_cli.records import Interval, MinLen


@record
class OrganisationMatch(Model):
    """Pick organisations by the services a case needs and whom they serve."""

    services: Annotated[tuple[Service, ...], MinLen(1)]
    urgent_only: bool = False
    limit: Annotated[int, Interval(ge=1, le=10)] = 3


@record
class Wording(Model):
    """A step's words for another reader: the step keeps its id, kind, shares and contacts."""

    title: Text
    detail: Text


@record
class EngagementContacts(Model):
    """Contacts a step gives only to a person who worked with one of these bodies
    (`engagement`): the body to ask is the one the person worked with (caseworker review 6, B2:
    the public-statement step named the special procedures' form to a person who had worked with
    the UPR). `committees` adds the committees of the answers' `treaty_body`, first."""

    engagement: Annotated[tuple[Engagement, ...], MinLen(1)]
    contacts: tuple[Id, ...] = ()
    committees: bool = False


@record
class Variant(Model):
    """A step's words when `when` holds (the engine reads the condition, as a rule's): the words
    for a reader the step's own words do not fit (the person's lawyer, not told to find a
    lawyer), or for a consent already given (a request no longer "if the person agrees"). The
    step keeps its id, kind, shares and contacts, so the gates and the safe routes (`instead`)
    see one step whichever words it has; `for_other` words the variant for a reader who is not
    the person at risk, as on the step."""

    id: Id
    when: Condition
    title: Text
    detail: Text
    for_other: Wording | None = None


@record
class Joining(Model):
    """A step that is one message with another when both are in the plan: `step` names the other
    step, and `text` (`text_other` for a reader who is not the person at risk) says in that step
    what this one would have added. The engine leaves this step out only when `step` is in the
    plan after the gates, so nothing this step sends is lost to a consent the other lacks."""

    step: Id
    text: Text
    text_other: Text | None = None

    def for_reader(self, audience: str) -> str:
        """The words for the plan's reader."""
        return _for_reader(audience, self.text, self.text_other)


@record
class StepTemplate(Model):
    """A step a rule proposes. `shares` says what it shares and with whom (required: `[]` for a
    step that sends nothing anywhere); it must hold at least what the step's kind implies."""

    id: Id
    kind: StepKind
    priority: Annotated[int, Interval(ge=1, le=99)]
    title: Text
    detail: Text
    shares: tuple[Share, ...]
    # Ids of contacts, or of mechanisms / organisations (their reprisal contacts are used).
    contacts: tuple[Id, ...] = ()
    # Add the committees named in the answers' `treaty_body` (the step is then titled with their
    # names).
    treaty_body_contacts: bool = False
    # Contacts by the bodies the person worked with, after the step's own (`EngagementContacts`).
    by_engagement: tuple[EngagementContacts, ...] = ()
    organisations: OrganisationMatch | None = None
    # Add the urgent mechanisms `risks.yaml` names for the reprisals in the answers.
    urgent_mechanisms: bool = False
    # The State the step's request is brought against: the State responsible (`state`), or the
    # country where the person lives (`residence`: interim measures against removal). The notes
    # on the bodies' membership (`party_note`) speak of the State responsible, so a `residence`
    # step gets none: its rule words it with `{party: FACT, of: residence}` conditions.
    against: Literal["state", "residence"] = "state"
    checklist: tuple[Id, ...] = ()
    # When to do the step (plan `urgency`): `this_week` or `later`; `now` when `now_when` holds
    # (and, with `now_within_days`, the latest incident is that recent or undated). The engine
    # keeps at most three `now` steps, the first in the plan's order (`engine.urgency`).
    urgency: Literal["this_week", "later"] = "this_week"
    now_when: Condition | None = None
    now_within_days: Annotated[int | None, Interval(ge=1, le=366)] = None
    # For a step that needs a consent: the steps that can replace it when the consent is missing,
    # best first. The gates offer a step of the plan that reaches the same body first, then
    # these, then one reaching a body of the same family: the first safe to give (contract §3,
    # gate 9; `engine.gates._Run.safe_route`).
    instead: tuple[Id, ...] = ()
    # The step's words for a reader who is not the person at risk (plan audience `other`,
    # contract §2 v1.1), where its own words speak to the person as "you".
    for_other: Wording | None = None
    # A step only the person at risk can take (their own care, travel, devices): left out of
    # the plan, with the reason, while they are detained or missing (`LOCATIONS_CANNOT_ACT`);
    # for another reader of a person who is free, `for_other` words it as theirs to pass on.
    only_if_person_can_act: bool = False
    # A step by which the relatives ask the State's own body (`shares: [government]`) to protect
    # themselves, not the person at risk: the caution a missing consent adds speaks to them, of
    # what the body learns of them (`SafetyTexts.state_body_protects_relatives`).
    protects_relatives: bool = False
    # Other words for the step when the answers call for them: the first variant whose `when`
    # holds is used (the engine chooses it, `engine.evaluate`), else the step's own words.
    variants: tuple[Variant, ...] = ()
    # One message with another step when both are in the plan (the special procedures told of a
    # reprisal in the urgent appeal sent to them, not in a second submission through the same
    # form: caseworker review 5, C2).
    joins: Joining | None = None
    # A step that only carries the bodies rules name (`then.bodies`, one line each): the plan
    # keeps it only when it names one. The UN experts a lawyer's or a journalist's case calls for
    # have a step of their own, through their own form, when the person did not work with them
    # (caseworker review 6, B9: named in the senior official's step, they read as copies of a
    # letter sent by another channel).
    carries_bodies: bool = False
    # Bodies among `contacts` named only as a fallback or a copy, whose conditions (how they act)
    # are not this step's advice: the Council President's practice on the step to the Indigenous
    # bodies, which have a Chair, or to the special procedures, who are told first (caseworker
    # review 6, C6). Nor does a draft address them for this step (`named_mechanisms`): the
    # Coordination Committee is told only if the experts do not answer (caseworker review 7).
    no_conditions_of: tuple[Id, ...] = ()

    def for_reader(self, audience: str, variant: Variant | None = None) -> StepTemplate:
        """This step as the plan's reader should read it: in `variant`'s words if one is given
        (one of `variants`, whose condition holds), `for_other`'s words (the variant's, or the
        step's) for a reader who is not the person at risk, else unchanged."""
        if variant is not None:
            # The variant's words become the step's own, with their `for_other`.
            worded = dataclasses.replace(
                self,
                title=variant.title,
                detail=variant.detail,
                for_other=variant.for_other,
                variants=(),
            )
            return worded.for_reader(audience)
        if audience != "other" or self.for_other is None:
            return self
        words = self.for_other
        # `for_other` stays: worded twice, a step reads the same.
        return dataclasses.replace(self, title=words.title, detail=words.detail)

    def __post_init__(self) -> None:
        shares = set(self.shares)
        for needed in missing_kind_shares(self.kind, shares):
            raise ValueError(
                f"a '{self.kind}' step shares with {' or '.join(needed)}: add it to 'shares'"
            )
        if "sg_report_named" in shares and not {"public", "un"} <= shares:
            raise ValueError("naming in the report is public and goes to the UN")
        if "sg_report_anonymous" in shares and ({"public", "sg_report_named"} & shares):
            raise ValueError("anonymous inclusion in the report is not public and not named")
        if "sg_report_anonymous" in shares and "un" not in shares:
            raise ValueError("inclusion in the Secretary-General's report goes to the UN")
        if self.instead and not self.needs_consent:
            raise ValueError("'instead' names the route of a step that needs consent only")
        if self.id in self.instead:
            raise ValueError("a step cannot be its own route instead")
        if self.now_within_days is not None and self.now_when is None:
            raise ValueError("'now_within_days' narrows 'now_when': give 'now_when' too")
        if self.only_if_person_can_act and self.for_other is None:
            raise ValueError(
                "a step only the person at risk can take needs 'for_other': the words for "
                "someone who passes it on to them"
            )
        if len({v.id for v in self.variants}) != len(self.variants):
            raise ValueError("each variant of a step needs its own id")
        if self.only_if_person_can_act and any(v.for_other is None for v in self.variants):
            raise ValueError(
                "a step only the person at risk can take needs 'for_other' on each variant too"
            )
        if set(self.no_conditions_of) - set(self.contacts):
            raise ValueError("'no_conditions_of' names bodies among the step's 'contacts'")
        if self.joins is not None and self.joins.step == self.id:
            raise ValueError("a step cannot join itself")
        if self.protects_relatives and "government" not in shares:
            raise ValueError(
                "'protects_relatives' is for a step that asks the State's own body: add "
                "'government' to 'shares'"
            )
        if self.only_if_person_can_act and self.needs_consent:
            raise ValueError(
                "'only_if_person_can_act' is for the person's own steps, which send nothing "
                "that needs consent"
            )

    @property
    def public(self) -> bool:
        return "public" in self.shares

    @property
    def sg_report(self) -> str | None:
        """`named`, `anonymous`, or None for a step that is no request for the report."""
        if "sg_report_named" in self.shares:
            return "named"
        return "anonymous" if "sg_report_anonymous" in self.shares else None

    @property
    def needs_consent(self) -> bool:
        """Whether a consent gate reads this step (everything but `others` needs one)."""
        return bool(set(self.shares) - {"others"})


@record
class WarningWithout(Model):
    """A warning's words for a plan that holds none of `steps`: a warning names no step the
    plan lacks (caseworker review 6, B7: "alert ... a lawyer now" in a plan with no lawyer)."""

    steps: Annotated[tuple[Id, ...], MinLen(1)]
    text: Text
    text_other: Text | None = None


@record
class Warning(Model):
    """A rule's warning. `text_other` words it for a reader who is not the person at risk (plan
    audience `other`), where `text` speaks to the person as "you"; `without`, for a plan that
    holds none of its steps."""

    id: Id
    text: Text
    text_other: Text | None = None
    without: WarningWithout | None = None

    def for_reader(self, audience: str, steps: Iterable[str] | None = None) -> str:
        """The warning's words for the plan's reader, in a plan holding `steps` (ids; None:
        not known yet, the words for a plan that holds them)."""
        other = self.without
        if other is not None and steps is not None and not set(other.steps) & set(steps):
            return _for_reader(audience, other.text, other.text_other)
        return _for_reader(audience, self.text, self.text_other)


def _for_reader(audience: str, text: str, text_other: str | None) -> str:
    """`text_other` for a reader who is not the person at risk (plan audience `other`) where it
    is given, else `text`."""
    return text_other if audience == "other" and text_other is not None else text


@record
class NamedBodies(Model):
    """Bodies to name in a step the plan already has, one line each, not a step each: the first
    step of `under` that is in the plan (after the gates) gets them; none if none is there. Each
    step of `under` must share what the bodies' family implies (`kb validate` checks it)."""

    under: Annotated[tuple[Id, ...], MinLen(1)]
    mechanisms: Annotated[tuple[Id, ...], MinLen(1)]


@record
class RuleEffects(Model):
    """What a rule adds to a plan: steps, warnings and bodies to name."""

    steps: tuple[StepTemplate, ...] = ()
    warnings: tuple[Warning, ...] = ()
    bodies: tuple[NamedBodies, ...] = ()

    def __post_init__(self) -> None:
        if not self.steps and not self.warnings and not self.bodies:
            raise ValueError("'then' needs at least one step, warning or body to name")


@record
class Rule(Model):
    """A rule of the engine: when its condition holds on the answers, what it adds to the plan."""

    id: Id
    description: Text
    when: Condition
    then: RuleEffects


@record
class RulesFile(Model):
    """data/rules.yaml: the engine's rules."""

    rules: Annotated[tuple[Rule, ...], MinLen(1)]


@record
class ReaderTexts(Model):
    """The gates' texts for a reader who is not the person at risk (plan audience `other`,
    contract §2 v1.1): a relative, a colleague, a lawyer or an organisation, or anyone reading
    for a person who is detained or missing. Each field replaces the field of the same name in
    `SafetyTexts`; a field left out keeps the text, which then speaks to any reader. The texts
    of `SafetyTexts` are the person's own ("you have not agreed"): each that speaks of the
    person at risk has its words here ("the person at risk has not agreed")."""

    emergency_step: Wording | None = None
    digital_security_step: Wording | None = None
    digital_advice_for_emergency: Text | None = None
    digital_advice_ahead: Text | None = None
    embassy_visibility: Text | None = None
    states_tell_government: Text | None = None
    state_body_tells_government: Text | None = None
    relatives_identified: Text | None = None
    child_at_risk: Text | None = None
    reduce_exposure_first: Text | None = None
    others_labels: dict[str, Text] = dataclasses.field(default_factory=dict)
    # What the consent gates say (issue 21, point 6: whoever answers is the reader).
    consent_publicity_reason: Text | None = None
    consent_share_with_un_reason: Text | None = None
    consent_share_with_regional_reason: Text | None = None
    consent_share_with_states_reason: Text | None = None
    consent_share_with_government_reason: Text | None = None
    consent_revoked_reason: Text | None = None
    consent_sg_report_reason: Text | None = None
    sg_report_other_form: Text | None = None
    regional_may_raise_with_state: Text | None = None
    un_may_raise_with_state: Text | None = None
    sg_report_undecided: Text | None = None
    if_agreed_title: Text | None = None
    tell_helpers_limits: Text | None = None
    follows_un_refusal: Text | None = None
    threat_immediate_danger: Text | None = None


_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# The marks that end a sentence in the knowledge base's languages, and a text that ends with one
# (a closing bracket or quotation mark may follow it).
_STOPS = ".!?…。！？؟"
_SENTENCE_END = re.compile(f"[{re.escape(_STOPS)}][\"'”’»)\\]）」』]*$")
_ENDS_WITH_LINK = re.compile(r"https?://\S+$")

PURPOSE_LABELS: dict[str, str] = {
    "publicity": "making the case public",
    "share_with_un": "passing details to UN bodies",
    "share_with_regional": "passing details to regional bodies",
    "share_with_states": "telling diplomats or other States",
    "share_with_government": "asking the government's own bodies for protection or a search",
    "sg_report": "including the case in the Secretary-General's annual report on reprisals",
}


@record
class SafetyTexts(Model):
    """Texts and contacts the gates use; they exist whatever the rules contain."""

    emergency_step: StepTemplate
    digital_security_step: StepTemplate
    emergency_contacts: Annotated[tuple[Id, ...], MinLen(1)]
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
    # One contact of `stale_contact` ({contacts}): confirmed on {date}, or never.
    stale_contact_item: Text = "{owner}: {value} (checked {date})"
    stale_contact_never: Text = "{owner}: {value} (never checked)"
    # Optional texts (defaults keep older safety files loading). `{step}`, `{others}`, `{keys}`
    # and `{contacts}` are filled in by the engine.
    instead_route: Text = "The confidential route in this plan instead: {step}."
    # On a step that sends information and comes before the device step, which waits while
    # devices are not known to be watched (`gates.device_advice_ahead`); `{step}` is its title.
    digital_advice_ahead: Text = (
        "Send this only from a device and an account the aggressor has never had access to: "
        'see the step "{step}".'
    )
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
    # Given instead of `check_current_contact` when no contact of the plan is confirmed: its
    # "use the contact listed after them" would send the reader to another unconfirmed one
    # (caseworker review 5, C7).
    no_contact_confirmed: Text = (
        "None of the contacts in this plan has been confirmed in the last year: check each on the "
        "body's official page before you rely on it; if you cannot check, ask an organisation you "
        "trust."
    )
    threat_immediate_danger: Text = "Danger now, to the person or someone close"
    threat_feared: Text = "Warning signs of a reprisal"
    threat_unknown: Text = "What has happened is not known yet"
    translation_missing: Text = (
        "This plan is in English: no reviewed translation into the language asked for exists yet."
    )
    find_contact_at: Text = "Where to find the current contact: {where}"
    # A body named in a step (`then.bodies` of a rule, or the committee of `treaty_body`).
    named_body: Text = "Also address it to: {body}. How: {where}"
    # A body named in the step that only carries named bodies (`carries_bodies`): the step is
    # addressed to it, not copied to it.
    named_body_carried: Text = "Address the submission to: {body}. How: {where}"
    named_committee: Text = "The committee to tell: {body}. Where: {where}"
    # The title of a step that names the treaty bodies of `treaty_body` (`treaty_body_contacts`):
    # the short plan shows titles, and the committees' contacts are OHCHR mailboxes named after
    # OHCHR, so "the committee concerned" named none (issue 21 point 5).
    committee_title: Text = "Tell the committee what happened — {committees}"
    committees_title: Text = "Tell the committees what happened — {committees}"
    # A pending complaint (`individual_complaint`) before a committee whose complaints, sources
    # say, neither the State responsible nor the country of residence accepted ({dates}: the
    # sources' dates).
    complaint_not_accepted: Text = (
        "The answers say a complaint is pending before this committee: {body}. The sources "
        "here say that the State concerned had not accepted its individual complaints (sources "
        "dated {dates}). Check which State it was brought against, and its reference (ask "
        "whoever filed it): until then the OHCHR Petitions Team, which handles such complaints, "
        "is not listed here."
    )
    # Consent by purpose (v1.1, gates 8 and 9).
    consent_share_with_regional_reason: Text = (
        "The person at risk has not agreed that their details go to regional human rights bodies."
    )
    consent_share_with_states_reason: Text = (
        "The person at risk has not agreed that diplomats or other States are told of the case."
    )
    consent_share_with_government_reason: Text = (
        "The person at risk has not agreed that the government's own bodies (a protection "
        "mechanism, a search commission) are asked: asking them tells the government of the case."
    )
    consent_revoked_reason: Text = (
        "The person at risk withdrew their consent for this. Nothing more may be sent for it."
    )
    consent_revoked_outputs: Text = (
        "Consent was withdrawn ({purposes}). Before that, the case log shows these were sent: "
        "{outputs}. Write to each to say that consent is withdrawn and ask them not to use or "
        "pass on the details."
    )
    sent_without_consent: Text = (
        "The case log shows these went out without the person's consent for it on that day: "
        "{outputs}. Tell the person. If they do not agree, write to each to ask them not to use "
        "or pass on the details."
    )
    report_anonymous_outputs: Text = (
        "The person now agrees to appear in the Secretary-General's report on reprisals only "
        "without their name. Before that, the case log shows these were sent with it: {outputs}. "
        "Write to each to say that the person must not be named in the report, and ask them not "
        "to use or pass on the name."
    )
    # One output of `consent_revoked_outputs`: recorded with `case action --purposes` (kind
    # "action"), or of another kind (free text from the case: shown as it is).
    output_sent_to: Text = "{date}: sent to {to}"
    output_kind_to: Text = "{date}: {kind}, to {to}"
    output_kind: Text = "{date}: {kind}"
    # A plan made from a case for a day (`--as-of`) before a consent was withdrawn or narrowed:
    # said in the plan itself, which may be saved, printed and acted on later.
    consent_narrowed_later: Text = (
        "After {day}, the day this plan is made for, consent was withdrawn or narrowed: "
        "{withdrawn}. This plan reflects the consent as it was on that day: do not act on its "
        "steps that share or publish information; make the plan again for today."
    )
    # The same, when the day is today or later: the withdrawal is dated in the future (a clock
    # set wrong, a record made in a time zone ahead) and the plan already follows it.
    consent_dated_later: Text = (
        "The case records consent withdrawn or narrowed on a day after {day}, the day this plan "
        "is made for: {withdrawn}. This plan already follows that narrower consent. A record "
        "dated in the future usually means a clock set wrong or a record made in a time zone "
        "ahead: check this computer's date and the dates in the consent ledger."
    )
    # Consent given in a record dated after the plan's day (today or later): not followed
    # before its day.
    consent_given_later: Text = (
        "The case's consent ledger holds consent dated after {day}, the day this plan is made "
        "for: {given}. This plan does not act on it before the date recorded for it. A record "
        "dated in the future usually comes from a clock set wrong or a record made in a time "
        "zone ahead: check this computer's date and the dates in the consent ledger."
    )
    # Two items of a list inside a sentence: what stands between them ("{a}、{b}" in Chinese,
    # "{a}، {b}" in Arabic). A pattern, not the bare separator: a translated text loses the
    # spaces around it.
    list_pattern: Text = "{a}, {b}"
    # The same for items that may hold commas themselves ("{a}；{b}" in Chinese).
    clause_pattern: Text = "{a}; {b}"
    # Two sentences, one after the other: the full stop after the first and what stands between
    # them ("{a}。{b}" in Chinese). A first that already ends a sentence keeps its own mark
    # (`sentences`).
    sentence_pattern: Text = "{a}. {b}"
    risk_escalation: Text = "The incidents logged in the case show escalation: {reasons}."
    # The reasons `risk_escalation` lists, joined with `clause_pattern` (case.risk).
    escalation_repeated: Text = "incidents logged in the last {days} days: {count}"
    escalation_graver: Text = "graver than anything in the answers: {types}"
    escalation_others: Text = "family or colleagues newly targeted"
    escalation_clustered: Text = "incidents close together, linked to the same body: {body}"
    consent_sg_report_reason: Text = (
        "The person at risk has not agreed to this kind of inclusion in the report."
    )
    sg_report_other_form: Text = "The person chose inclusion in the report {chosen}."
    sg_labels: dict[str, Text] = dataclasses.field(
        default_factory=lambda: {"named": "with names", "anonymous": "without names"}
    )
    regional_may_raise_with_state: Text = (
        "Before you send: the regional body may raise the case with the government. Ask the "
        "person at risk first."
    )
    states_tell_government: Text = (
        "Your government will learn that the case was raised. Do this only if the person at risk "
        "agrees."
    )
    # The same caution for a step that asks the State's own body (a national protection
    # mechanism), not other States: the government learns of the case and of the person directly.
    state_body_tells_government: Text = (
        "The government itself runs this mechanism: asking it tells the government of the case "
        "and of the person at risk. Do this only if the person at risk agrees."
    )
    # The same for a step by which the relatives ask the State's own body to protect themselves
    # (`StepTemplate.protects_relatives`): it speaks to them, whoever reads the plan.
    state_body_protects_relatives: Text = (
        "The government itself runs this body. To ask it to protect you, you tell it who you are "
        "and about the threats against you: the government then knows this about you. Ask only "
        "if you agree."
    )
    # Relatives targeted (`threats_to_family`, `family_*`): on each step that sends the case to
    # the UN, a regional body or States, whose letters describe what was done to them.
    relatives_identified: Text = (
        "Any letter that describes what was done to the relatives of the person at risk "
        "identifies them to the government. Ask the relatives first whether they agree; without "
        "their agreement, describe the pressure without names or details that identify them."
    )
    # The person at risk is a child (`profile: child`): on each step that sends or publishes.
    child_at_risk: Text = (
        "The person at risk is a child. Decide with the child, not only with the parents, and "
        "never name the child in anything that may become public."
    )
    sg_report_undecided: Text = (
        "Not decided yet: this is an option to decide with the person at risk."
    )
    tell_helpers_limits: Text = "Tell them what the person at risk has not agreed to: {purposes}."
    # The title of a step kept while the consent it needs is not given (undecided or not
    # asked): the short plan shows titles only, and "Send the case to the UN" under "Do now"
    # read as an order beside "until it is decided, act as if the answer is no" (caseworker
    # review 2026-12-04). `{title}`: the step's own title, its first letter made small.
    if_agreed_title: Text = "If the person agrees: {title}"
    # The same, where the person is held or missing and cannot be asked (contract §1: consent
    # `given_by` the family or a representative): "If the person agrees" over the urgent step
    # read to a family at midnight as a condition no one could meet (caseworker review
    # 2026-12-04).
    if_agreed_held_title: Text = "If the family or a representative agrees: {title}"
    follows_un_refusal: Text = (
        "The person at risk said no to UN bodies and was not asked about {who} separately, so "
        "this step is held back too. Ask them about it on its own."
    )
    # What a plan calls each consent purpose (a withdrawal, a refusal); a purpose the file
    # leaves out keeps its words here, so a plan never shows the bare key.
    purpose_labels: dict[str, Text] = dataclasses.field(
        default_factory=lambda: dict(PURPOSE_LABELS)
    )

    # Why a step only the person at risk can take is left out while they are detained or
    # missing (`StepTemplate.only_if_person_can_act`).
    person_cannot_act_reason: Text = (
        "Only the person at risk can take this step, and while they are detained or missing "
        "they cannot. Come back to it with them once they are free."
    )

    # The same texts worded for a reader who is not the person at risk (`for_reader`).
    for_other: ReaderTexts | None = None

    def for_reader(self, audience: str) -> SafetyTexts:
        """These texts as the plan's reader should read them: unchanged for the person at risk,
        with `for_other`'s wordings for anyone else (contract §2, v1.1)."""
        other = self.for_other
        if audience != "other" or other is None:
            return self
        changes: dict[str, object] = {"for_other": None}
        for f in dataclasses.fields(other):
            value = getattr(other, f.name)
            mine = getattr(self, f.name)
            if isinstance(value, Wording):
                changes[f.name] = dataclasses.replace(mine, title=value.title, detail=value.detail)
            elif isinstance(value, dict):
                if value:
                    changes[f.name] = {**mine, **value}
            elif value is not None:
                changes[f.name] = value
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def join(self, items: Iterable[str], *, clauses: bool = False) -> str:
        """`items` as a list inside a sentence, in the texts' language (`list_pattern`; with
        `clauses`, `clause_pattern`, for items that may hold commas)."""
        pattern = self.clause_pattern if clauses else self.list_pattern
        return pattern[pattern.index("{a}") + len("{a}") : pattern.index("{b}")].join(items)

    def sentences(self, first: str, then: str) -> str:
        """`first` and `then` as two sentences in the texts' language (`sentence_pattern`):
        the full stop added where `first` ends without one, as a text ending with a bracket
        does; after a link, a dash instead ("... /special-procedures Most country mandates run
        ..." read as one sentence, and a full stop would be copied with the link)."""
        pattern = self.sentence_pattern
        between = pattern[pattern.index("{a}") + len("{a}") : pattern.index("{b}")]
        first = first.rstrip()
        if _ENDS_WITH_LINK.search(first):
            # A full stop after a link is copied with it, and the page is not found: a dash.
            return f"{first} – {then}"
        if _SENTENCE_END.search(first):
            between = between.lstrip(_STOPS)
        return f"{first}{between}{then}"

    def __post_init__(self) -> None:
        if PURPOSE_LABELS.keys() - self.purpose_labels.keys():
            object.__setattr__(self, "purpose_labels", {**PURPOSE_LABELS, **self.purpose_labels})
        for name in ("list_pattern", "clause_pattern", "sentence_pattern"):
            pattern = getattr(self, name)
            if not 0 <= pattern.find("{a}") < pattern.find("{b}"):
                raise ValueError(f"{name} must hold {{a}} then {{b}}, as in '{{a}}, {{b}}'")
        if self.emergency_step.kind != "emergency":
            raise ValueError("emergency_step must be of kind 'emergency'")
        if self.digital_security_step.kind != "digital_security":
            raise ValueError("digital_security_step must be of kind 'digital_security'")
        if self.for_other is not None:
            self._check_placeholders(self.for_other)

    def _check_placeholders(self, other: ReaderTexts) -> None:
        """A text for another reader is filled in as the person's own is: the same
        placeholders, or the engine would leave one unfilled ({purposes}, {who}, {chosen})."""
        for f in dataclasses.fields(other):
            value = getattr(other, f.name)
            if isinstance(value, str):
                pairs = [(f.name, getattr(self, f.name), value)]
            elif isinstance(value, dict):
                mine = getattr(self, f.name)
                pairs = [(f"{f.name}.{k}", mine.get(k, ""), v) for k, v in value.items()]
            else:
                continue
            for name, base, theirs in pairs:
                if set(_PLACEHOLDER.findall(base)) != set(_PLACEHOLDER.findall(theirs)):
                    raise ValueError(
                        f"for_other.{name} must use the same placeholders as {name} "
                        f"({sorted(set(_PLACEHOLDER.findall(base)))})"
                    )


@record
class SafetyFile(Model):
    """data/safety.yaml: the texts the do-no-harm gates and warnings use."""

    safety: SafetyTexts


def shared_beyond(held: StepTemplate, alternative: StepTemplate) -> frozenset[str]:
    """What `alternative` shares that `held` does not (`others` aside; the report without names
    is no more than the named request it replaces), with `public` when it is public: a safe
    route (`instead`) shares none of it. The loader checks the routes rules name by it, the
    gates the routes they find."""
    more = set(alternative.shares) - set(held.shares) - {"others"}
    if held.sg_report == "named":
        more -= {"sg_report_anonymous"}
    if alternative.public:
        more.add("public")
    return frozenset(more)
