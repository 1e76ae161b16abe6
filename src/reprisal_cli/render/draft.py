"""The draft message about a reprisal (`reprisal-cli draft`), in Markdown or plain text.

A skeleton, not a finished letter: what the answers tell is filled in (the bodies the person
worked with, the kinds of reprisal, the latest date, who else is at risk, the consent level), and
what only the sender knows is a marked blank, `[______ : dates and places]`. The message is in
`en`, `fr` or `es` (`render/drafts/*.yaml`), whatever the interface language; the guidance
around it ("before you send") is in English.

Do-no-harm gates, in this order:
- no named draft without a yes for the purpose of its recipients (contract §1): to OHCHR,
  `consent_share_with_un: yes`; to the mechanisms (`--to mechanism`), a yes for the purpose of
  at least one of them (a UN body: `share_with_un`; a regional body: `share_with_regional`,
  absent: the UN one's; a State reached as a mechanism, a Security Council member:
  `share_with_states`). Otherwise the anonymous version is made (no names, no dates, no notes;
  information on a situation, confidential, its sender line asking for no name);
- even the anonymous version is addressed to no body the person said no to: with a no to the
  UN (or a withdrawn UN consent), to no UN body and not to OHCHR, and copied to no one (OHCHR:
  consent is a prerequisite for any action on a case); it is then notes to keep or to give an
  organisation the person trusts;
- a named draft is addressed only to the bodies whose purpose has that yes; the others are left
  out, and the guidance names them and why; the OHCHR reprisals mailbox is copied only when a
  UN body is among the recipients, so a message to a regional body or a State alone never
  reaches the UN;
- naming in the public report needs consent to publicity and to being named in the
  Secretary-General's report (`consent.sg_report: named`, the default with publicity) too;
  otherwise the consent statement says "confidential transmission only, not to be named in the
  public report";
- notes (free text) appear only in a marked "your notes (check before sending)" block of a named
  draft, never with `redact`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

from reprisal_cli.contract import GIVEN_FOR_THE_PERSON, reader_of
from reprisal_cli.engine.evaluate import named_mechanisms
from reprisal_cli.engine.gates import exposure_cautions
from reprisal_cli.i18n import N_, _, use_lang
from reprisal_cli.render.escape import code_span, md_escape, md_fragment, one_line, paragraphs

if TYPE_CHECKING:
    from collections.abc import Callable

    from reprisal_cli.answers import Answers
    from reprisal_cli.kb.knowledge import KnowledgeBase
    from reprisal_cli.kb.models import Mechanism

DRAFT_FORMATS: tuple[str, ...] = ("md", "txt")
DRAFT_LANGS: tuple[str, ...] = ("en", "fr", "es")
TARGETS: tuple[str, ...] = ("ohchr", "mechanism")
OHCHR_ID = "ohchr_reprisals_senior_official"
# A consent not given at all, inside the texts below ("consent publicity is not answered").
NOT_ANSWERED = N_("not answered")


def consent_words(purpose: str, value: str | None) -> dict[str, str]:
    """`{consent}` and `{value}` of a text that says a consent as it stands: the purpose in
    words ("passing details to UN bodies") and its value ("no", "not decided", "not answered")."""
    # lazy: as the other labels of this module (bench/startup)
    from reprisal_cli.render.labels import consent_value, purpose_words

    said = consent_value(value) if value else _(NOT_ANSWERED)
    return {"consent": purpose_words(purpose), "value": said}


# The guidance speaks to its reader (`contract.reader_of`): the person at risk, or someone
# writing for them. Each text has both forms, {"person": ..., "other": ...}. {value}: the answer
# in words (`consent_words`), never the file's English value; the key is named only where the
# reader is told what to write in the answers file.
REFUSED = {
    "other": N_(
        "No named draft: the person at risk has not said yes to sharing details with UN bodies "
        "(their answer: {value}). UN bodies may raise a case with the government, so "
        "consent comes first. This is the anonymous version instead: no names and no dates, for "
        "confidential information on the situation. To draft a named message, first ask the person "
        "(or their family) and, if they agree knowing the risks, set consent_share_with_un: yes."
    ),
    "person": N_(
        "No named draft: you have not said yes to sharing details with UN bodies "
        "(your answer: {value}). UN bodies may raise a case with the government, so "
        "consent comes first. This is the anonymous version instead: no names and no dates, for "
        "confidential information on the situation. To draft a named message, set "
        "consent_share_with_un: yes once you agree, knowing the risks."
    ),
}
# `--to mechanism` when no body worked with has a yes for the consent it needs ({bodies}: each
# body with its consent key and value).
REFUSED_BODIES = {
    "other": N_(
        "No named draft: the person at risk has not said yes to sharing details with any of the "
        "bodies worked with ({bodies}). Each may raise a case with the government, so consent "
        "comes first. This is the anonymous version instead: no names and no dates, for "
        "confidential information on the situation. To draft a named message, first ask the person "
        "(or their family) and, if they agree knowing the risks, set that consent to yes."
    ),
    "person": N_(
        "No named draft: you have not said yes to sharing details with any of the bodies you "
        "worked with ({bodies}). Each may raise a case with the government, so consent comes "
        "first. This is the anonymous version instead: no names and no dates, for confidential "
        "information on the situation. To draft a named message, set that consent to yes once you "
        "agree, knowing the risks."
    ),
}
# The same for a case file, whose consent is its ledger: no answers key to set (red team red29:
# "set consent_share_with_un: yes", a route the case refuses, with an English "no" inside).
REFUSED_CASE = {
    "other": N_(
        "No named draft: the person at risk has not said yes to sharing details with UN bodies. UN "
        "bodies may raise a case with the government, so consent comes first. This is the "
        "anonymous version instead: no names and no dates, for confidential information on the "
        "situation. To draft a named message, first ask the person (or their family) and, if they "
        "agree knowing the risks, record it in the case with: reprisal-cli case consent FILE.age "
        "share_with_un yes --given-by ... --how ..."
    ),
    "person": N_(
        "No named draft: you have not said yes to sharing details with UN bodies. UN bodies may "
        "raise a case with the government, so consent comes first. This is the anonymous version "
        "instead: no names and no dates, for confidential information on the situation. If you "
        "agree, knowing the risks, and want a named message, record your consent in the case "
        "with: reprisal-cli case consent FILE.age share_with_un yes --given-by ... --how ..."
    ),
}
# `--to mechanism` for a case file ({bodies}: each body with its consent in words; {purpose}:
# the first one's consent, as `case consent` takes it).
REFUSED_BODIES_CASE = {
    "other": N_(
        "No named draft: the person at risk has not said yes to sharing details with any of the "
        "bodies worked with ({bodies}). Each may raise a case with the government, so consent "
        "comes first. This is the anonymous version instead: no names and no dates, for "
        "confidential information on the situation. To draft a named message, first ask the person "
        "(or their family) and, if they agree knowing the risks, record that consent in the case "
        "with: reprisal-cli case consent FILE.age {purpose} yes --given-by ... --how ..."
    ),
    "person": N_(
        "No named draft: you have not said yes to sharing details with any of the bodies you "
        "worked with ({bodies}). Each may raise a case with the government, so consent comes "
        "first. This is the anonymous version instead: no names and no dates, for confidential "
        "information on the situation. If you agree, knowing the risks, and want a named message, "
        "record your consent in the case with: reprisal-cli case consent FILE.age {purpose} yes "
        "--given-by ... --how ..."
    ),
}
# A case file whose ledger shows the UN consent withdrawn (the answers' `revoked`).
REFUSED_WITHDRAWN = {
    "other": N_(
        "No named draft: the consent to share details with UN bodies was withdrawn. This is the "
        "anonymous version instead: no names and no dates, for confidential information on the "
        "situation. If the person gives that consent again, knowing the risks, record it in the "
        "case with: reprisal-cli case consent FILE.age share_with_un yes --given-by ... --how ..."
    ),
    "person": N_(
        "No named draft: you withdrew your consent to share details with UN bodies. This is the "
        "anonymous version instead: no names and no dates, for confidential information on the "
        "situation. If you give that consent again, knowing the risks, record it in the case with: "
        "reprisal-cli case consent FILE.age share_with_un yes --given-by ... --how ..."
    ),
}
# A "no" to sharing with the UN (or a withdrawal): the draft is addressed to no UN body, not
# even anonymously. OHCHR: informed consent is "a prerequisite for any action" on a case
# (https://www.ohchr.org/en/reprisals/how-share-information-about-cases-intimidation-and-reprisals;
# caseworker review 2026-12-03).
NO_SHARE = {
    "other": N_(
        "The person said NO to sharing details with UN bodies, so this version is addressed to no "
        "UN body, not even anonymously: the UN acts on a case only with consent. Keep it as notes, "
        "or give it to an organisation the person trusts, telling them the person has not agreed "
        "that their details go to the UN."
    ),
    "person": N_(
        "You said NO to sharing details with UN bodies, so this version is addressed to no UN "
        "body, not even anonymously: the UN acts on a case only with consent. Keep it as notes, or "
        "give it to an organisation you trust, telling them you have not agreed that your details "
        "go to the UN."
    ),
}
NOT_PUBLIC = N_(
    "Not named in public: naming in the public report needs a yes to publicity and to being named "
    "in the Secretary-General's report, and these answers do not give both. So the consent "
    "statement asks for confidential transmission only."
)
NOT_CONSENTED = {
    "other": N_(
        "Not addressed to {body}: the person has not said yes to this ({consent}: {value}). "
        "Do not send it there unless they agree, knowing that it may raise the case with the "
        "government."
    ),
    "person": N_(
        "Not addressed to {body}: you have not said yes to this ({consent}: {value}). Do not "
        "send it there unless you agree, knowing that it may raise the case with the government."
    ),
}
# A named draft to a State (a Security Council member) without a yes to the UN: the State may
# raise the case in a UN meeting (red team 2026-12-03).
STATE_NOT_UN = {
    "other": N_(
        "The person has not said yes to the UN ({consent}: {value}): in the message, "
        "ask the State you are writing to not to raise the case at the UN (the Security Council, "
        "UN meetings, UN officials) without the person's agreement."
    ),
    "person": N_(
        "You have not said yes to the UN ({consent}: {value}): in the message, ask "
        "the State you are writing to not to raise the case at the UN (the Security Council, UN "
        "meetings, UN officials) without your agreement."
    ),
}
NOT_PUBLIC_BODIES = N_(
    "Not named in public: naming in public needs a yes to publicity, and these answers do not "
    "give it. So the consent statement asks for confidential transmission "
    "only."
)
NO_RECIPIENT_GUIDANCE = N_(
    "No body to address: every body worked with lacks the consent it needs. Do not fill in an "
    "address for them. {ohchr}"
)
# The end of NO_RECIPIENT_GUIDANCE, by whether the UN consent is given.
UN_ROUTE = {
    False: N_("Sending to the UN instead (--to ohchr) needs consent to share with the UN."),
    True: N_("The UN's senior official on reprisals (--to ohchr) has the consent it needs."),
}
NO_BODY_NAMED = N_(
    "No body to address from the answers (no body worked with, or only 'other'): fill in the "
    "address of the body you worked with, from its official page. This tool gives no address it "
    "cannot source."
)
REGIONAL_TO_OHCHR = N_(
    "The UN's reprisals procedure is for cooperation with the UN, and these answers name regional "
    "bodies only. To write to the regional body, use --to mechanism; write to the UN only if the "
    "reprisal is also linked to cooperation with the UN."
)
# A case file read on an earlier day than a withdrawal in its ledger ({purposes}, {dates}).
WITHDRAWN_SINCE = N_(
    "Consent was withdrawn or narrowed after the day asked for ({day}): {withdrawn}. A message is "
    "sent now, so this draft follows the consent in force now, not that of {day}."
)
ANONYMOUS_REPORT = {
    "other": N_(
        "The person agrees that the case appears in the Secretary-General's report without names "
        "only: say so in the message, next to the consent statement."
    ),
    "person": N_(
        "You agree that the case appears in the Secretary-General's report without names only: "
        "say so in the message, next to the consent statement."
    ),
}
# The same, the consent given for the person by their family or a representative (contract §1
# `given_by`): not the person's own agreement (caseworker review 5, A1; red47).
ANONYMOUS_REPORT_FOR_THEM = N_(
    "The consent was given for the person at risk, by their family or a representative: next to "
    "the consent statement, say who gave the consent for the person and why the person could not "
    "give it themselves, and, for a child, that the child was heard and agrees; and that the "
    "consent is to the case appearing in the Secretary-General's report without names only."
)
# A "no" to the Secretary-General's report, the UN consent given: OHCHR compiles the report, and
# "not to be named" alone would let it include the case without the name (red team red31).
NO_REPORT = {
    "other": N_(
        "The person does not agree that the case appears in the Secretary-General's report on "
        "reprisals, not even without names: say so in the message, next to the consent statement."
    ),
    "person": N_(
        "You do not agree that the case appears in the Secretary-General's report on reprisals, "
        "not even without names: say so in the message, next to the consent statement."
    ),
}
# What to say in a message to the UN of the person's answer on the report, when not "named".
REPORT_NOTES = {"anonymous": ANONYMOUS_REPORT, "no": NO_REPORT}
COPY_OHCHR = N_(
    "OHCHR asks that the reprisals mailbox be copied on every message about a reprisal sent to any "
    "UN mechanism (see Cc)."
)
SAFE_DEVICE = N_("Write and send this from a device and account the aggressor cannot see.")
UNREVIEWED = N_(
    "This message is a machine translation, checked for meaning but not yet reviewed by a native "
    "speaker."
)


@dataclass(frozen=True)
class Address:
    """A recipient: its name and contact lines (value, and a note for a check_current one)."""

    name: str
    lines: tuple[tuple[str, str | None], ...]
    # The contacts that reach the body, the one it is written to first (its first line) at the
    # head: its roles' contacts and the shared channel it is chosen in (`ContactRole.chosen_in`),
    # less those copied instead. Bodies reached by the same channel are one recipient.
    via: tuple[str, ...] = ()
    # What to say under the name, before the contact lines: the bodies to choose in a shared
    # form, the committee's reprisals rapporteur.
    asks: tuple[str, ...] = ()
    # The name of each body this recipient stands for (those reached by its channel).
    bodies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    lang: str
    reviewed: bool
    named: bool
    # Why no named draft was made (for the command to say on standard error), or None.
    refusal: str | None
    public: bool
    guidance: tuple[str, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    texts: dict[str, str]
    engagement: tuple[str, ...]
    reprisals: tuple[str, ...]
    incident_date: str | None
    others: tuple[str, ...]
    notes: str | None


@cache
def phrases(lang: str) -> dict[str, object]:
    """The draft's texts in `lang` (`render/drafts/LANG.yaml`)."""
    # lazy: PyYAML only when YAML is read or written (bench/startup)
    import yaml

    raw = (resources.files("reprisal_cli.render") / "drafts" / f"{lang}.yaml").read_text(
        encoding="utf-8"
    )
    data = yaml.safe_load(raw)
    assert isinstance(data, dict)
    return data


def _address(
    mech_id: str,
    kb: KnowledgeBase,
    answers: Answers,
    *,
    words: KnowledgeBase,
    lang: str,
    skip: frozenset[str] = frozenset(),
    unaddressed: bool = True,
) -> Address:
    """A body's address lines as the plan gives its contacts: an organisation's own contacts
    first (`--kb-add`), the roles that apply to these answers (the Petitions Team only for a
    complaint the committee can hold), and, for a role with no contact left here (none in the
    knowledge base, or only the OHCHR mailbox, which is copied instead), whom to reach and
    where to find them (unless `unaddressed` is False: the committee's block says it). In the
    message's language `lang`: the body's name, roles and pages from `words` (the knowledge
    base in that language), the labels from its catalog."""
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.engine.contacts import (
        applying_roles,
        holds_un_back,
        local_contacts,
        un_contact_ids,
    )
    from reprisal_cli.kb.freshness import needs_check
    from reprisal_cli.render.labels import CHECK_CURRENT, channel

    mech = kb.mechanisms[mech_id]
    said = words.mechanisms.get(mech_id, mech)  # the same entry, in the message's language
    roles = [
        (role, said.reprisal_contacts[n] if n < len(said.reprisal_contacts) else role)
        for role in applying_roles(mech, answers, kb)
        for n in [mech.reprisal_contacts.index(role)]
    ]
    texts = phrases(lang)
    lines: list[tuple[str, str | None]] = []
    # A body that is not the UN's, without a yes to the UN: no UN address (`holds_un_back`).
    held = un_contact_ids(kb) if holds_un_back(mech, answers) else frozenset()
    # A fallback is said under the contact it stands in for, not as an address of its own,
    # unless the role lists it first: the special procedures' form before their old mailbox
    # (caseworker review 7: the draft led with a mailbox last seen around 2011).
    shown_as_fallback = {
        kb.contacts[c].fallback
        for role, _said in roles
        for n, c in enumerate(role.contacts)
        if c in kb.contacts
        and needs_check(kb.contacts[c], kb)
        and kb.contacts[c].fallback not in role.contacts[:n]
    }

    shown: list[str] = []

    def add(cid: str) -> bool:
        contact = kb.contacts.get(cid)
        if contact is None or cid in skip or cid in shown_as_fallback:
            return False
        if cid in held:
            return False
        shown.append(cid)
        if any(one_line(contact.value) == value.split(": ", 1)[-1] for value, _ in lines):
            return True
        note = None
        # What to know before writing to it, in the message's language (a mailbox given for
        # another purpose: say at the top whom the message is for).
        said_note = words.contacts[cid].note if cid in words.contacts else contact.note
        with use_lang(lang):  # the message's words, whatever the interface's
            if needs_check(contact, kb):
                note = _(CHECK_CURRENT).capitalize() + "."
                if said_note:
                    note += f" {one_line(said_note)}"
                fallback = kb.contacts.get(contact.fallback) if contact.fallback else None
                if fallback is not None and fallback.id in held:
                    fallback = None
                if fallback is not None:
                    how = f"{channel(fallback.channel)} {one_line(fallback.value)}"
                    note += f" {texts['if_cannot_check']} {how}."
            elif said_note:
                note = one_line(said_note)
            lines.append((f"{channel(contact.channel)}: {one_line(contact.value)}", note))
        return True

    for cid in local_contacts(mech_id, kb):
        add(cid)
    for role, role_said in roles:
        if not [cid for cid in role.contacts if add(cid)] and role_said.find_at and unaddressed:
            # No address here: say whom to reach (the role) and where to find them.
            lines.append((f"{texts['who']}: {one_line(role_said.role)}", None))
            lines.append((f"{texts['find_at']}: {one_line(role_said.find_at)}", None))
    # What reaches the body: the contact written to first, then the others it has here (a
    # fallback said under its contact, the form a mandate is chosen in).
    reach = [
        *shown,
        *(c for role, _said in roles for c in role.contacts),
        *(role.chosen_in for role, _said in roles if role.chosen_in is not None),
    ]
    via = tuple(c for c in dict.fromkeys(reach) if c in kb.contacts and c not in skip | held)
    return Address(one_line(said.name), tuple(lines), via)


def mechanisms_for(answers: Answers, kb: KnowledgeBase) -> list[str]:
    """Ids of the mechanisms of the answers' `engagement` (committees only those of
    `treaty_body`), in the plan's order (`named_mechanisms`: the urgent appeal's bodies first),
    then the others in knowledge-base order, without the OHCHR reprisals route itself. For each
    kind of body worked with: those of its mechanisms the plan's rules point to for these
    answers (`engine.evaluate.named_mechanisms`: the defenders' Rapporteur, the lawyers' one for
    a lawyer, the Working Group on Arbitrary Detention for a detention), or all of them when the
    rules point to none, so that no body worked with is dropped unsaid (red team 2026-12-03:
    the European Court left out of a draft beside the special procedures)."""
    named = named_mechanisms(answers, kb)
    chosen: set[str] = set()
    for value in answers.engagement:
        candidates = [
            mech.id
            for mech in kb.mechanisms.values()
            if mech.id != OHCHR_ID
            and value in mech.engagement
            and (mech.treaty_body is None or mech.treaty_body in answers.treaty_body)
        ]
        chosen.update([m for m in candidates if m in named] or candidates)
    return [m for m in named if m in chosen] + [m for m in kb.mechanisms if m in chosen - {*named}]


def build_draft(
    answers: Answers,
    kb: KnowledgeBase,
    *,
    to: Literal["ohchr", "mechanism"] = "ohchr",
    lang: str = "en",
    redact: bool = False,
    words: KnowledgeBase | None = None,
) -> Draft:
    """The draft for these answers (see the module docstring for the gates). `words` is the
    knowledge base in the message's language `lang`, for what the message says of the bodies
    (their names, roles and pages, and the kinds of body worked with); by default `kb`, whose
    language the guidance is in."""
    texts = phrases(lang)
    words = words or kb
    reader = reader_of(answers.respondent, answers.location)
    regional = regional_only(answers, kb)
    un_value = answers.consent_share_with_un
    # The bodies a `--to mechanism` draft may go to, each with the consent its purpose needs.
    bodies = (
        [(kb.mechanisms[m], answers.consent_for(kb.mechanisms[m].purpose))
         for m in mechanisms_for(answers, kb)]
        if to == "mechanism"
        else []
    )  # fmt: skip
    # Named only with a yes: for the OHCHR route, to sharing with the UN; to the mechanisms,
    # for the purpose of at least one of them (the others are then left out, below).
    named = any(v == "yes" for _, v in bodies) if bodies else un_value == "yes"
    # Whether a named draft goes to a UN body (OHCHR, or a UN mechanism with its yes): naming
    # in public is then naming in the Secretary-General's report, a UN report, which needs its
    # own consent; a draft to a regional body or a State alone asks only to be made public.
    to_un = not bodies or any(m.purpose == "share_with_un" and v == "yes" for m, v in bodies)
    # A named draft that goes to regional bodies alone (the UN one's consent not given, say)
    # speaks of the cooperation with a regional body, as when only regional bodies were worked
    # with; the UN bodies also worked with stay in the list of section 2, under a heading that
    # names no one family (`_mixed`): telling the regional body of them is sharing with it.
    addressed = [m for m, v in bodies if v == "yes"] if named else []
    to_regional = bool(addressed) and all(m.family == "regional" for m in addressed)
    public = (
        named
        and answers.consent_for("publicity") == "yes"
        and (not to_un or answers.consent_for("sg_report") == "named")
    )
    guidance: list[str] = []
    refusal = None
    if not named:
        refusal = _refusal(answers, bodies, un_value, reader)
        guidance.append(refusal)
        if un_value == "no" and (
            not bodies or any(m.purpose == "share_with_un" for m, _ in bodies)
        ):
            guidance.append(_(NO_SHARE[reader]))
    elif not public:
        guidance.append(_(NOT_PUBLIC if to_un else NOT_PUBLIC_BODIES))
        guidance += _report_note(answers, reader) if to_un else []
    guidance += _cautions(answers, kb) if named else []
    guidance.append(_(SAFE_DEVICE))
    # The addresses come from the knowledge base: say so first when it is not the reviewed one.
    if kb.modified:
        guidance.insert(0, one_line(kb.safety.modified_kb))
    if kb.custom:
        guidance.insert(0, one_line(kb.safety.custom_kb))
    ohchr = (
        _address(OHCHR_ID, kb, answers, words=words, lang=lang)
        if OHCHR_ID in kb.mechanisms
        else None
    )
    recipients: list[Address] = []
    cc: list[Address] = []
    if to == "ohchr":
        # With a no to the UN, not even the anonymous version goes to OHCHR (NO_SHARE).
        nobody = Address(str(texts["no_recipient"]), ())
        recipients = [nobody] if un_value == "no" else [ohchr] if ohchr else []
        if regional:
            guidance.append(_(REGIONAL_TO_OHCHR))
    else:
        recipients, cc, left = _to_mechanisms(
            bodies, named, (kb, words, lang), answers, reader, ohchr
        )
        guidance += left
        # lazy: a format loads its own modules only when asked for (bench/startup)
        from reprisal_cli.engine.contacts import complaint_warnings

        # Why the Petitions Team is not among the addresses (second red team 2026-12-03).
        warnings = complaint_warnings(answers, kb, (m for m, _ in bodies))
        guidance += [one_line(w) for w in warnings]
    if not texts.get("reviewed", False):
        guidance.append(_(UNREVIEWED))
    reprisal_words = texts["reprisals"]
    others = texts["others_at_risk"]
    assert isinstance(reprisal_words, dict) and isinstance(others, dict)
    engagement_names = []
    for value in answers.engagement:
        label = next(
            (
                str(c.label)
                for q in words.questions
                if q.key == "engagement"
                for c in q.choices
                if c.value == value
            ),
            value.replace("_", " "),
        )
        engagement_names.append(one_line(label))
    return Draft(
        lang=lang,
        reviewed=bool(texts.get("reviewed", False)),
        named=named,
        refusal=refusal,
        public=public,
        guidance=tuple(guidance),
        to=tuple(recipients),
        cc=tuple(cc),
        texts=_worded(
            texts,
            reader,
            regional=regional or to_regional,
            mixed=to_regional and not regional,
            to_un=to_un,
        ),
        engagement=tuple(engagement_names),
        reprisals=tuple(str(reprisal_words.get(r, r)) for r in answers.reprisals),
        incident_date=answers.incident_date if named else None,
        others=tuple(str(others.get(o, o)) for o in answers.others_at_risk or ()),
        notes=answers.notes if named and not redact and answers.notes else None,
    )


Bodies = list[tuple["Mechanism", str | None]]


def _report_note(answers: Answers, reader: str) -> list[str]:
    """What to say in a message to the UN of the person's answer on the report, when it is
    "anonymous" or "no" (`REPORT_NOTES`)."""
    value = answers.consent_for("sg_report")
    if value == "anonymous" and answers.consent_given_by in GIVEN_FOR_THE_PERSON:
        return [_(ANONYMOUS_REPORT_FOR_THEM)]
    report = REPORT_NOTES.get(value or "")
    return [_(report[reader])] if report is not None else []


def _cautions(answers: Answers, kb: KnowledgeBase) -> list[str]:
    """The cautions the plan puts on each step that sends the case to the UN or a regional body
    (engine.gates `relatives_and_child`), for a named message: it describes what was done to
    the relatives, and may be about a child (red47)."""
    safety = kb.safety.for_reader(reader_of(answers.respondent, answers.location))
    return [one_line(text) for _, text, _ in exposure_cautions(answers, safety)]


def _refusal(answers: Answers, bodies: Bodies, un_value: str | None, reader: str) -> str:
    """Why no named draft is made: the UN consent withdrawn (a case file), the UN consent, or
    each body's consent for `--to mechanism` when a body that is not the UN's is among them."""
    if "share_with_un" in getattr(answers, "revoked", ()):
        return _(REFUSED_WITHDRAWN[reader])
    # lazy: as the other labels of this module (bench/startup)
    from reprisal_cli.render.labels import clauses, purpose_words

    case = hasattr(answers, "revoked")  # a case file's answers (`case.model.CaseAnswers`)
    if case and any(m.purpose != "share_with_un" for m, _ in bodies):
        listed = clauses(
            f"{one_line(m.short_name or m.name)} ({purpose_words(m.purpose)})" for m, _ in bodies
        )
        first = bodies[0][0].purpose
        return _(REFUSED_BODIES_CASE[reader]).format(bodies=listed, purpose=first)
    if any(m.purpose != "share_with_un" for m, _ in bodies):
        listed = ", ".join(
            _("{body} ({consent}: {value})").format(
                body=one_line(m.short_name or m.name), **consent_words(m.purpose, v)
            )
            for m, v in bodies
        )
        return _(REFUSED_BODIES[reader]).format(bodies=listed)
    if case:
        return _(REFUSED_CASE[reader])
    return _(REFUSED[reader]).format(value=consent_words("share_with_un", un_value)["value"])


def _to_mechanisms(
    bodies: Bodies,
    named: bool,
    knowledge: tuple[KnowledgeBase, KnowledgeBase, str],
    answers: Answers,
    reader: str,
    ohchr: Address | None,
) -> tuple[list[Address], list[Address], list[str]]:
    """The recipients and copies of a `--to mechanism` draft, and the guidance on the bodies
    left out. `knowledge`: the knowledge base, the same in the message's language, and that
    language (see `build_draft`)."""
    kb, words, lang = knowledge
    skip = (
        frozenset(c for role in kb.mechanisms[OHCHR_ID].reprisal_contacts for c in role.contacts)
        if ohchr is not None
        else frozenset()
    )
    recipients: list[Address] = []
    guidance: list[str] = []
    reaches_un = left_out = False
    # The committees addressed: the entry the committees share (treaty_body None) says whom to
    # reach in each committee's own block, not as a recipient with no address (caseworker
    # review 8, C1).
    committees = any(
        m.treaty_body is not None and (v == "yes" if named else v != "no") for m, v in bodies
    )
    blocks: list[list[tuple[Mechanism, Address]]] = []
    deferred: list[tuple[Mechanism, Address]] = []
    for mech, value in bodies:
        # A named draft needs a yes for the body's purpose; even the anonymous one is not
        # addressed to a body the person said no to (it still names the bodies, the reprisals
        # and who else is at risk: red team 2026-12-03), UN bodies included (caseworker review
        # 2026-12-03: consent comes before any action on a case).
        if value != "yes" if named else value == "no":
            left_out = True
            if not named and mech.purpose == "share_with_un":
                continue  # NO_SHARE says it once for every UN body
            guidance.append(
                _(NOT_CONSENTED[reader]).format(
                    body=one_line(mech.name), **consent_words(mech.purpose, value)
                )
            )
            continue
        reaches_un = reaches_un or mech.purpose == "share_with_un"
        shared = committees and mech.treaty_body is None and "treaty_bodies" in mech.engagement
        address = _address(
            mech.id, kb, answers, words=words, lang=lang, skip=skip, unaddressed=not shared
        )
        if shared:
            deferred.append((mech, address))
            continue
        # A body reached by the channel an earlier one is written to (the same form, the same
        # mailbox) is one recipient with it, where the plan puts the first (caseworker reviews 7
        # and 8: the Council and the UPR, one mailbox; the special procedures' form three times).
        block = next((b for b in blocks if b[0][1].via[:1] and b[0][1].via[0] in address.via), None)
        if block is None:
            blocks.append([(mech, address)])
        else:
            block.append((mech, address))
    # The committees' shared entry: only what their blocks do not already give (the Petitions
    # Team of a complaint to another committee); none left, no recipient.
    said = {line for block in blocks for _, address in block for line in address.lines}
    for mech, address in deferred:
        lines = tuple(line for line in address.lines if line not in said)
        if lines:
            blocks.append([(mech, dataclasses.replace(address, lines=lines))])
    recipients += [_one_recipient(block, kb, lang, committees=committees) for block in blocks]
    un_value = answers.consent_share_with_un
    if named and un_value != "yes" and any(m.purpose == "share_with_states" and v == "yes"
                                           for m, v in bodies):  # fmt: skip
        guidance.append(_(STATE_NOT_UN[reader]).format(**consent_words("share_with_un", un_value)))
    if left_out and not recipients:
        given = answers.consent_share_with_un == "yes"
        guidance.append(_(NO_RECIPIENT_GUIDANCE).format(ohchr=_(UN_ROUTE[given])))
        recipients.append(Address(str(phrases(lang)["no_recipient"]), ()))
    if not bodies:
        guidance.append(_(NO_BODY_NAMED))
    cc: list[Address] = []
    # OHCHR's mailbox is copied on messages to UN mechanisms only: a draft to a regional body
    # or a State alone never goes to the UN, whose consent it may not have (red team
    # 2026-12-03).
    if ohchr is not None and (reaches_un or (not bodies and answers.consent_share_with_un != "no")):
        cc.append(ohchr)
        guidance.append(_(COPY_OHCHR))
    return recipients, cc, guidance


def _one_recipient(
    block: list[tuple[Mechanism, Address]], kb: KnowledgeBase, lang: str, *, committees: bool
) -> Address:
    """One recipient for the bodies reached by one channel (the first `via` of the first): a
    form's own body named, with the others to choose in it, and its lines (the form, then its
    mailbox last seen around 2011); a mailbox's bodies named together. A committee's block asks
    for its reprisals rapporteur when `committees` (the entry they share is no recipient)."""
    # lazy: as the other labels of this module (bench/startup)
    from reprisal_cli.render.labels import clauses

    texts = phrases(lang)
    lead = block[0][1]
    name, asks = lead.name, []
    if len(block) > 1:
        channel = kb.contacts[lead.via[0]]
        owner = kb.contact_owner[channel.id].id if channel.id in kb.contact_owner else None
        lead = next((a for m, a in block if m.id == owner), lead)
        others = [a.name for m, a in block if m.id != owner]
        with use_lang(lang):  # the message's words, whatever the interface's
            name = lead.name if len(others) < len(block) else clauses(others)
            if channel.channel == "web":
                asks.append(str(texts["choose_in_form"]).format(bodies=clauses(others)))
            else:
                name = clauses(a.name for _, a in block)
    if committees and any(m.treaty_body is not None for m, _ in block):
        asks.append(str(texts["ask_reprisals_rapporteur"]))
    return Address(name, lead.lines, lead.via, tuple(asks), tuple(a.name for _, a in block))


def _worded(
    texts: dict[str, object], reader: str, *, regional: bool, mixed: bool, to_un: bool
) -> dict[str, str]:
    """The draft's texts for its writer and its bodies: someone writing for the person at risk
    (a relative, a colleague, or anyone while the person is detained or missing) gets the
    `_other` blanks, which ask who they are to the person; a message about cooperation with
    regional bodies only, or addressed to regional bodies only, gets the `_regional` texts,
    which do not speak of the UN; addressed to regional bodies only when other bodies were
    worked with too, the `_mixed` ones then head the list of all of them; a message that goes
    to no UN body gets the `_not_un` consent statement, which asks for the case to be made
    public rather than named in the (UN) public report."""
    words = {k: str(v) for k, v in texts.items() if isinstance(v, str)}
    choices = (
        ("_other", reader == "other"),
        ("_regional", regional),
        ("_mixed", mixed),
        ("_not_un", not to_un),
    )
    for suffix, chosen in choices:
        for key in [k for k in words if k.endswith(suffix)]:
            text = words.pop(key)
            if chosen:
                words[key.removesuffix(suffix)] = text
    return words


def regional_only(answers: Answers, kb: KnowledgeBase) -> bool:
    """Whether every body the person worked with is a regional one (each value of `engagement`
    names only regional mechanisms in the knowledge base)."""
    families = {
        value: {m.family for m in kb.mechanisms.values() if value in m.engagement}
        for value in answers.engagement
    }
    return bool(families) and all(f == {"regional"} for f in families.values())


# Output ----------------------------------------------------------------------------------------


def _outline(draft: Draft, md: bool) -> list[tuple[str, str]]:
    """The draft as (kind, text) blocks; untrusted text already made safe for the format."""
    t = draft.texts
    colon = str(t["colon"])  # between a label and its value: " : " in French

    def safe(text: str) -> str:
        return md_fragment(one_line(text)) if md else one_line(text)

    def lit(text: str) -> str:
        return code_span(text) if md else one_line(text)

    title = _("Draft message") if draft.named else _("Draft message (anonymous)")
    out: list[tuple[str, str]] = [("h1", title)]
    out.append(("h2", _("Before you send (not part of the message)")))
    out += [("li", g) for g in draft.guidance]
    out.append(("rule", ""))
    out += _recipients(draft, colon, safe, lit)
    subject = t["subject_named"] if draft.named else t["subject_anon"]
    out += [("field", f"{t['subject']}{colon}{subject}"), ("rule", ""), ("p", t["greeting"])]
    out.append(("p", t["intro_named"] if draft.named else t["intro_anon"]))
    out.append(("h2", t["h_person"]))
    out.append(("p", t["person_named"] if draft.named else t["person_anon"]))
    out.append(("h2", t["h_coop"]))
    if draft.engagement:
        out.append(("p", t["coop_known"]))
        out += [("li", safe(name)) for name in draft.engagement]
    out.append(("p", t["coop_blank"]))
    out.append(("h2", t["h_facts"]))
    if draft.reprisals:
        out.append(("p", f"{t['facts_kinds']} {safe(', '.join(draft.reprisals))}"))
    if draft.named:
        if draft.incident_date:
            out.append(("p", f"{t['facts_date']} {lit(draft.incident_date)}"))
        out += [("p", t["blank_dates"]), ("p", t["blank_who"])]
    else:
        out.append(("p", t["blank_situation"]))
    out += [("h2", t["h_link"]), ("p", t["blank_link"])]
    if draft.named:
        out += [("h2", t["h_un_doc"]), ("p", t["blank_un_doc"])]
        out += [("h2", t["h_followup"]), ("p", t["blank_followup"])]
        out += [("h2", t["h_steps"]), ("p", t["blank_steps"])]
    if draft.others:
        out += [("h2", t["h_others"]), ("p", f"{t['others']} {safe(', '.join(draft.others))}")]
    out.append(("h2", t["h_consent"]))
    if not draft.named:
        out.append(("p", t["consent_anon"]))
    else:
        out.append(("p", t["consent_public"] if draft.public else t["consent_confidential"]))
    out += [("h2", t["h_confidential"]), ("p", t["blank_confidential"])]
    out += [
        ("h2", t["h_sender"]),
        ("p", t["blank_sender"] if draft.named else t["blank_sender_anon"]),
        ("p", t["closing"]),
    ]
    if draft.notes:
        out += [("rule", ""), ("h2", t["h_notes"]), ("p", t["notes_warning"])]
        for para in paragraphs(draft.notes):
            out.append(("note", md_escape(para) if md else para))
    return _numbered(out)


def _recipients(
    draft: Draft, colon: str, safe: Callable[[str], str], lit: Callable[[str], str]
) -> list[tuple[str, str]]:
    """The To and Cc blocks: each body, then how to reach it (`Channel: value` lines)."""
    t = draft.texts
    out: list[tuple[str, str]] = []
    targets = draft.to or (Address(str(t["blank_address"]), ()),)
    for label, group in ((t["to"], targets), (t["cc"], draft.cc)):
        for address in group:
            out.append(("field", f"{label}{colon}{safe(address.name)}"))
            out += [("li", safe(ask)) for ask in address.asks]
            for value, note in address.lines:
                how, _, rest = value.partition(": ")
                out.append(("li", f"{how}{colon}{lit(rest)}" if rest else safe(value)))
                if note:
                    out.append(("li2", safe(note)))
    return out


def _numbered(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The message's sections numbered in the order they come: a section left out (no one else
    at risk, an anonymous message) left a gap ("7." then "9.")."""
    out: list[tuple[str, str]] = []
    number = 0
    for kind, text in blocks:
        head, dot, rest = text.partition(". ")
        if kind == "h2" and dot and head.isdigit():
            number += 1
            out.append((kind, f"{number}. {rest}"))
        else:
            out.append((kind, text))
    return out


def draft_markdown(draft: Draft) -> str:
    """The draft as Markdown. Our texts go as written; knowledge-base values, dates and the
    notes are escaped (`render.escape`), so they can never become links or HTML."""
    lines: list[str] = []
    previous = ""
    for kind, text in _outline(draft, md=True):
        if previous in ("li", "li2") and kind not in ("li", "li2"):
            lines.append("")
        previous = kind
        if kind == "h1":
            lines += [f"# {text}", ""]
        elif kind == "h2":
            lines += [f"## {text}", ""]
        elif kind == "li":
            lines.append(f"- {text}")
        elif kind == "li2":
            lines.append(f"  - {text}")
        elif kind == "rule":
            lines += ["", "---", ""]
        elif kind == "note":
            lines += [f"> {text}", ""]
        else:
            lines += [f"**{text}**" if kind == "field" else text, ""]
    return _finish(lines)


def draft_text(draft: Draft) -> str:
    """The draft as plain text wrapped at 80 columns; control characters stripped."""
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.render.labels import wrap

    lines: list[str] = []
    previous = ""
    for kind, raw in _outline(draft, md=False):
        text = one_line(raw)
        if previous in ("li", "li2") and kind not in ("li", "li2"):
            lines.append("")
        previous = kind
        if kind == "h1":
            lines += [text, "=" * len(text), ""]
        elif kind == "h2":
            lines += [*wrap(text, 80), "-" * min(80, len(text)), ""]
        elif kind in ("li", "li2"):
            indent = "  " if kind == "li2" else ""
            lines += wrap(text, 80, indent + "- ", indent + "  ")
        elif kind == "rule":
            lines += ["", "-" * 40, ""]
        elif kind == "note":
            lines += [*wrap(text, 80, "| ", "| "), ""]
        else:
            lines += [*wrap(text, 80), ""]
    return _finish(lines)


def _finish(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line.rstrip())
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def render_draft(draft: Draft, fmt: str) -> str:
    """The draft in one of `DRAFT_FORMATS`."""
    if fmt == "md":
        return draft_markdown(draft)
    if fmt == "txt":
        return draft_text(draft)
    raise ValueError(f"unknown draft format {fmt!r}")
