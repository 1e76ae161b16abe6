"""The draft message: consent gates, languages, blanks, hostile notes, exit codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reprisal_cli.answers import Answers, parse_answers
from reprisal_cli.cli import app
from reprisal_cli.kb.loader import KnowledgeBase
from reprisal_cli.render.draft import build_draft, mechanisms_for, render_draft

runner = CliRunner()
BASE = "schema: reprisal-cli/answers/v1\nengagement: [special_procedures]\nreprisals: [threats]\n"
HOSTILE_NOTES = "[x](http://evil.example) <script>alert(1)</script> \x1b]0;pwned\x07 \u202egnp"


def answers(extra: str = "", notes: str | None = None):  # type: ignore[no-untyped-def]
    text = BASE + extra
    data = parse_answers(text, "test")
    if notes is not None:
        data = replace(data, notes=notes)
    return data


def test_refuses_named_draft_without_consent(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(BASE + 'consent_share_with_un: "no"\nincident_date: 2025-03\n', "utf-8")
    result = runner.invoke(app, ["draft", str(path), "-f", "txt"])
    assert result.exit_code == 0
    assert "No named draft" in result.stderr and "consent" in result.stderr
    assert "anonymous" in result.stdout and "2025-03" not in result.stdout
    assert "name of the person at risk" not in result.stdout


def test_consent_levels(kb: KnowledgeBase) -> None:
    public = render_draft(
        build_draft(answers('consent_share_with_un: "yes"\nconsent_publicity: "yes"\n'), kb),
        "txt",
    )
    assert "appear in the public report" in " ".join(public.split())
    assert "be passed to the body this message is addressed to" in " ".join(public.split())
    private = render_draft(build_draft(answers('consent_share_with_un: "yes"\n'), kb), "txt")
    phrase = "confidential transmission only, not to be named in the public report"
    assert phrase in " ".join(private.split())
    assert "[______ : dates and places]" in private


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_languages_have_blanks(kb: KnowledgeBase, lang: str) -> None:
    draft = build_draft(answers('consent_share_with_un: "yes"\n'), kb, lang=lang)
    for fmt in ("md", "txt"):
        out = render_draft(draft, fmt)
        assert out.count("[______ :") >= 8
    assert draft.reviewed is (lang == "en")
    # A translated draft says what it is: machine translation, meaning-checked, no native review.
    notice = "machine translation, checked for meaning but not yet reviewed by a native speaker"
    assert (notice in " ".join(render_draft(draft, "txt").split())) is (lang != "en")


def test_to_mechanism_names_the_mechanisms(kb: KnowledgeBase) -> None:
    draft = build_draft(answers('consent_share_with_un: "yes"\n'), kb, to="mechanism")
    out = render_draft(draft, "txt")
    assert "Special Rapporteur on the situation of human rights defenders" in out
    assert "Copy (Cc)" in out and "reprisals@ohchr.org" in out
    ohchr = render_draft(build_draft(answers('consent_share_with_un: "yes"\n'), kb), "txt")
    assert "reprisals@ohchr.org" in ohchr and "Check this contact" in ohchr


def test_hostile_notes_are_inert_and_redactable(kb: KnowledgeBase) -> None:
    draft = build_draft(answers('consent_share_with_un: "yes"\n', HOSTILE_NOTES), kb)
    md = render_draft(draft, "md")
    assert "Your notes (check before sending)" in md
    assert "[x](http" not in md and "<script>" not in md and "\x1b" not in md
    txt = render_draft(draft, "txt")
    for bad in ("\x1b", "\x07", "\u202e"):
        assert bad not in txt
    redacted = build_draft(answers('consent_share_with_un: "yes"\n', "secret"), kb, redact=True)
    assert "secret" not in render_draft(redacted, "md")
    anon = build_draft(answers("", "secret"), kb)
    assert "secret" not in render_draft(anon, "md")


def test_deterministic_and_exit_codes(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(BASE + 'consent_share_with_un: "yes"\n', "utf-8")
    out = tmp_path / "d.md"
    assert runner.invoke(app, ["draft", str(path), "-o", str(out)]).exit_code == 0
    first = out.read_bytes()
    assert runner.invoke(app, ["draft", str(path), "-o", str(out)]).exit_code == 4
    assert runner.invoke(app, ["draft", str(path), "-o", str(out), "--force"]).exit_code == 0
    assert out.read_bytes() == first
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: reprisal-cli/answers/v1\nsurprise: 1\n", "utf-8")
    assert runner.invoke(app, ["draft", str(bad)]).exit_code == 1
    assert runner.invoke(app, ["draft", str(path), "--lang", "de"]).exit_code == 2


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_reprisal_and_other_at_risk_has_words_in_each_draft_language(lang: str) -> None:
    from reprisal_cli.contract import OTHERS_AT_RISK, REPRISALS
    from reprisal_cli.render.draft import phrases

    texts = phrases(lang)
    words = texts["reprisals"]
    assert isinstance(words, dict)
    assert [r for r in REPRISALS if r not in words] == []  # never a raw id in a letter
    others = texts["others_at_risk"]
    assert isinstance(others, dict)
    assert [o for o in OTHERS_AT_RISK if o not in others] == []


CONSENTS = st.sampled_from([None, "yes", "no", "undecided"])
BODIES = ["special_procedures", "african_commission", "inter_american_commission",
          "european_court", "security_council", "human_rights_council"]  # fmt: skip
# Every consent (absent, yes, no, undecided) for the UN, regional bodies and States, with up to
# four bodies worked with.
CASE_ARGUMENTS = {
    "un": CONSENTS,
    "regional": CONSENTS,
    "states": CONSENTS,
    "engagement": st.lists(st.sampled_from(BODIES), min_size=1, max_size=4, unique=True),
}
CONSENT_CASES = given(**CASE_ARGUMENTS)


def _consented(
    un: str | None, regional: str | None, states: str | None, engagement: list[str]
) -> tuple[dict[str, str | None], str]:
    """The consent given and the answers file that gives it."""
    consent = {"share_with_un": un, "share_with_regional": regional, "share_with_states": states}
    given_ = "".join(f'  {k}: "{v}"\n' for k, v in consent.items() if v is not None)
    text = (
        "schema: reprisal-cli/answers/v1.1\nreprisals: [threats]\n"
        f"engagement: [{', '.join(engagement)}]\n" + (f"consent:\n{given_}" if given_ else "")
    )
    return consent, text


@settings(max_examples=60)
@CONSENT_CASES
def test_a_named_draft_goes_only_where_its_purpose_has_consent(
    kb: KnowledgeBase, un: str | None, regional: str | None, states: str | None,
    engagement: list[str],
) -> None:  # fmt: skip
    """Contract §1: a regional body needs `share_with_regional` (absent: the UN one's), a State
    reached as a mechanism (a Security Council member) `share_with_states`; a body left out is
    named in the guidance with the consent it lacks."""
    consent, text = _consented(un, regional, states, engagement)
    draft = build_draft(parse_answers(text, "test"), kb, to="mechanism")
    names = {body for address in draft.to for body in address.bodies}
    for mech_id in mechanisms_for(parse_answers(text, "test"), kb):
        mech = kb.mechanisms[mech_id]
        value = consent.get(mech.purpose)
        if mech.purpose != "share_with_un" and value is None:
            value = un  # regional and States follow the UN consent when not asked (§1)
        if not draft.named:
            # The anonymous version still names the bodies and the reprisals: never to a body
            # the person said no to, UN bodies included (OHCHR: consent before any action).
            if value == "no":
                assert mech.name not in names, mech_id
            continue
        if value == "yes":
            assert mech.name in names, mech_id
        else:
            assert mech.name not in names, mech_id
            assert any(mech.name in line for line in draft.guidance), mech_id


def test_a_regional_refusal_leaves_the_african_commission_out_of_a_named_draft(
    kb: KnowledgeBase,
) -> None:
    text = (
        "schema: reprisal-cli/answers/v1.1\nreprisals: [threats]\n"
        "engagement: [african_commission, special_procedures]\n"
        'consent:\n  share_with_un: "yes"\n  share_with_regional: "no"\n'
    )
    out = render_draft(build_draft(parse_answers(text, "test"), kb, to="mechanism"), "md")
    assert "**To: African Commission" not in out
    assert "Not addressed to African Commission" in out
    assert "(passing details to regional human rights bodies: no)" in " ".join(out.split())
    # Chosen in the special procedures' form (caseworker review 8, B3).
    assert "choose in it: UN Special Rapporteur on the situation of human rights defenders" in out


def test_a_draft_to_the_mechanisms_goes_to_those_the_plan_points_to(kb: KnowledgeBase) -> None:
    """Not every mandate of the engagement (thirteen for special procedures): those the plan's
    rules name for these answers, with the committee the person worked with."""
    detained = (
        "schema: reprisal-cli/answers/v1.1\nrespondent: family\nstate: EG\n"
        "location: in_detention\nstage: reprisal_suffered\n"
        "engagement: [special_procedures, treaty_bodies]\ntreaty_body: [cat]\n"
        'reprisals: [detention]\nprofile: [lawyer]\nconsent_share_with_un: "yes"\n'
    )
    to = build_draft(parse_answers(detained, "t"), kb, to="mechanism").to
    names = {body for address in to for body in address.bodies}
    assert "UN Working Group on Arbitrary Detention" in names
    assert "UN Special Rapporteur on the independence of judges and lawyers" in names
    assert "Committee against Torture (CAT)" in names
    assert "UN Special Rapporteur on the situation of human rights defenders" in names
    assert not any("violence against women" in n or "Enforced" in n for n in names), names
    threats = build_draft(answers('consent_share_with_un: "yes"\n'), kb, to="mechanism")
    addressed = {body for address in threats.to for body in address.bodies}
    assert "UN Working Group on Arbitrary Detention" not in addressed


@settings(max_examples=80)
@given(**CASE_ARGUMENTS, publicity=CONSENTS)
def test_a_named_draft_is_copied_to_the_un_only_with_consent_to_share_with_the_un(
    kb: KnowledgeBase, un: str | None, regional: str | None, states: str | None,
    engagement: list[str], publicity: str | None,
) -> None:  # fmt: skip
    """A named draft to a regional body or a State (their consent given) is not copied to the
    OHCHR reprisals mailbox, a UN body, unless the UN consent is a yes too (red team
    2026-12-03: a named message to the African Commission went in copy to OHCHR with
    `share_with_un: no`)."""
    _, text = _consented(un, regional, states, engagement)
    if publicity is not None:
        text += (
            f'  publicity: "{publicity}"\n'
            if "consent:" in text
            else (f'consent:\n  publicity: "{publicity}"\n')
        )
    draft = build_draft(parse_answers(text, "test"), kb, to="mechanism")
    un_bodies = {m.name for m in kb.mechanisms.values() if m.purpose == "share_with_un"}
    reaches_un = bool(un_bodies & {a.name for a in (*draft.to, *draft.cc)})
    if draft.named and un != "yes":
        assert not reaches_un, draft
    # Named in the (UN) public report only with the UN consent: a draft to a regional body or a
    # State asks at most to be made public (red team 2026-12-03).
    statement = " ".join(render_draft(draft, "txt").split())
    if "appear in the public report" in statement:
        assert un == "yes", statement
    if draft.named:
        # named only where some body has its yes; the refusal is said only when not named
        assert draft.refusal is None
    else:
        assert draft.refusal is not None and draft.refusal in draft.guidance


def test_a_draft_to_a_regional_body_is_named_with_its_own_consent(kb: KnowledgeBase) -> None:
    text = (
        "schema: reprisal-cli/answers/v1.1\nrespondent: self\nreprisals: [threats]\nstate: CM\n"
        "engagement: [african_commission]\n"
        'consent:\n  share_with_un: "no"\n  share_with_regional: "yes"\n'
    )
    draft = build_draft(parse_answers(text, "test"), kb, to="mechanism")
    out = " ".join(render_draft(draft, "txt").split())
    assert draft.named and draft.cc == ()
    assert "To: African Commission" in out and "ohchr.org" not in out.replace("achpr", "")
    assert "be passed to the body this message is addressed to" in out
    assert "the UN body" not in out


def test_the_guidance_speaks_to_the_person_when_they_answer(kb: KnowledgeBase) -> None:
    for respondent, expect, never in (
        ("self", "you have not said yes", "the person at risk has not"),
        ("family", "the person at risk has not said yes", "you have not said yes"),
        ("lawyer", "the person at risk has not said yes", "you have not said yes"),
    ):
        text = (
            f"schema: reprisal-cli/answers/v1.1\nrespondent: {respondent}\n"
            "reprisals: [threats]\nengagement: [special_procedures, african_commission]\n"
            'consent:\n  share_with_un: "no"\n  share_with_regional: "undecided"\n'
        )
        for to in ("ohchr", "mechanism"):
            draft = build_draft(parse_answers(text, "test"), kb, to=to)  # type: ignore[arg-type]
            said = " ".join(draft.guidance)
            assert expect in said and never not in said, (respondent, to, said)
            assert ("an organisation you trust" in said) is (respondent == "self"), (respondent, to)
            # With a no to the UN, not even the anonymous version goes to a UN address.
            un_bodies = {m.name for m in kb.mechanisms.values() if m.purpose == "share_with_un"}
            assert not draft.cc and not {a.name for a in draft.to} & un_bodies, (respondent, to)


@pytest.mark.parametrize(("lang", "un"), [("en", "United Nations"), ("fr", "Nations Unies"),
                                          ("es", "Naciones Unidas")])  # fmt: skip
def test_a_message_about_a_regional_body_alone_does_not_speak_of_the_un(
    kb: KnowledgeBase, lang: str, un: str
) -> None:
    regional = (
        "schema: reprisal-cli/answers/v1.1\nreprisals: [threats]\nstate: PE\n"
        "engagement: [inter_american_commission]\n"
        'consent:\n  share_with_un: "yes"\n  share_with_regional: "yes"\n'
    )
    for named in (True, False):
        text = regional if named else regional.replace('"yes"', '"undecided"')
        draft = build_draft(parse_answers(text, "test"), kb, to="mechanism", lang=lang)
        assert draft.named is named
        out = " ".join(render_draft(draft, "txt").split())
        assert un not in out and "ONU" not in out.split("5.")[0], out
        assert "A/HRC/57/60" not in out  # the UN document example is for UN cooperation
    both = regional.replace("[inter_american_commission]", "[inter_american_commission, ohchr]")
    out = render_draft(build_draft(parse_answers(both, "test"), kb, lang=lang), "txt")
    assert un in " ".join(out.split())


@pytest.mark.parametrize(
    ("lang", "un", "regional_subject", "heading"),
    [
        ("en", "United Nations", "cooperation with a regional human rights body",
         "2. Cooperation with human rights bodies"),
        ("fr", "Nations Unies", "coopération avec un organe régional des droits de l'homme",
         "2. Coopération avec des organes des droits de l'homme"),
        ("es", "Naciones Unidas", "cooperar con un órgano regional de derechos humanos",
         "2. Cooperación con órganos de derechos humanos"),
    ],
)  # fmt: skip
def test_a_message_to_a_regional_body_alone_is_not_about_the_un_when_both_were_worked_with(
    kb: KnowledgeBase, lang: str, un: str, regional_subject: str, heading: str
) -> None:
    """Worked with the special procedures and the Inter-American Commission; consent to share
    with the regional body only: the named draft goes to the Commission alone, so its subject
    and headings speak of the regional body, not of the UN (loose24: it kept "Cooperation with
    the United Nations"). The UN bodies stay in the list: telling the Commission of them is
    sharing with the Commission. With the UN consent too, the message goes to the UN as well,
    and speaks of the UN as before."""
    text = (
        "schema: reprisal-cli/answers/v1.1\nrespondent: self\nreprisals: [threats]\nstate: HN\n"
        "engagement: [special_procedures, inter_american_commission]\n"
        'consent:\n  share_with_un: "no"\n  share_with_regional: "yes"\n'
    )
    draft = build_draft(parse_answers(text, "test"), kb, to="mechanism", lang=lang)
    assert draft.named and [a.name for a in draft.to] == [
        "Inter-American Commission on Human Rights (IACHR): precautionary measures"
    ]
    out = " ".join(render_draft(draft, "txt").split())
    message = out.split("Inter-American Commission on Human Rights (IACHR)", 1)[1]
    assert un not in message and "ONU" not in message.split("5.")[0], message
    assert regional_subject in message and heading in message
    assert "UN Special Rapporteurs or Working Groups" in message  # the list names them all
    assert "A/HRC/57/60" not in message
    both = text.replace('share_with_un: "no"', 'share_with_un: "yes"')
    draft = build_draft(parse_answers(both, "test"), kb, to="mechanism", lang=lang)
    assert un in " ".join(render_draft(draft, "txt").split())


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_draft_language_has_every_text_of_the_english(lang: str) -> None:
    """A text missing in a language would leave the English variant's base (the UN wording,
    say) in place unsaid."""
    from reprisal_cli.render.draft import phrases

    english = {k for k, v in phrases("en").items() if isinstance(v, str)}
    assert english - set(phrases(lang)) == set()


def test_a_body_with_no_address_here_says_whom_to_reach_and_where(kb: KnowledgeBase) -> None:
    """The Security Council member is reached through its Permanent Mission: the draft says so
    and points to the UN's list of missions, not only to an NGO's site (red team 2026-12-03)."""
    text = (
        "schema: reprisal-cli/answers/v1.1\nreprisals: [threats]\nengagement: [security_council]\n"
        'consent:\n  share_with_un: "yes"\n  share_with_states: "yes"\n'
    )
    out = " ".join(
        render_draft(build_draft(parse_answers(text, "t"), kb, to="mechanism"), "txt").split()
    )
    assert "Who: the member through its Permanent Mission" in out
    assert "https://protocol.un.org/dgacm/pls/site.nsf/home.xsp" in out


def test_no_body_worked_with_is_dropped_unsaid(kb: KnowledgeBase) -> None:
    """The rules point to special procedures mandates for threats, not to the European Court:
    the Court the person worked with (and consented to) still gets the draft (red team
    2026-12-03: it vanished, and the person was nudged to give the UN consent instead)."""
    text = (
        "schema: reprisal-cli/answers/v1.1\nrespondent: self\nreprisals: [threats]\n"
        "engagement: [european_court, special_procedures]\n"
        'consent:\n  share_with_un: "no"\n  share_with_regional: "yes"\n'
    )
    draft = build_draft(parse_answers(text, "t"), kb, to="mechanism")
    assert draft.named
    assert any("European Court" in a.name for a in draft.to), draft.to
    said = " ".join(draft.guidance)
    assert (
        "Not addressed to UN Special Rapporteur on the situation of human rights defenders" in said
    )


def test_the_petitions_team_only_for_a_complaint_the_committee_can_hold(kb: KnowledgeBase) -> None:
    """As the plan gives it (red team 2026-12-03: every treaty-body draft went to the Petitions
    Team, complaint or not); the entry the committees share, whose only contact is the OHCHR
    mailbox (copied instead), is no recipient: the committee's block asks for its rapporteur."""
    base = (
        "schema: reprisal-cli/answers/v1.1\nreprisals: [threats]\nengagement: [treaty_bodies]\n"
        'consent_share_with_un: "yes"\n'
    )
    for extra, petitions in (
        ("state: UZ\ntreaty_body: [ccpr]\n", False),
        ("state: UZ\ntreaty_body: [ccpr]\nindividual_complaint: [ccpr]\n", True),
        ("state: EG\ntreaty_body: [cat]\nindividual_complaint: [cat]\n", False),
    ):
        draft = build_draft(parse_answers(base + extra, "t"), kb, to="mechanism")
        out = render_draft(draft, "txt")
        assert ("petitions@ohchr.org" in out) is petitions, extra
        # left out for a complaint the sources say the State did not accept: said why
        said = any("complaint is pending" in g for g in draft.guidance)
        assert said is ("EG" in extra), extra
        # Whom to reach, in the committee's own block (caseworker review 8, C1).
        assert "rapporteur or focal point on reprisals" in " ".join(out.split()), extra
        assert "Who: The secretariat and the reprisals rapporteur" not in out, extra
        # The committee's own secretariat mailbox (caseworker review 6, B5).
        assert ("ccpr@ohchr.org" in out) is ("ccpr" in extra), extra
    council = base.replace("[treaty_bodies]", "[human_rights_council, universal_periodic_review]")
    out = render_draft(build_draft(parse_answers(council, "t"), kb, to="mechanism"), "txt")
    # The Council secretariat's NGO mailbox, to the President and Bureau (caseworker review 6, B5).
    assert "To: President and Bureau of the Human Rights Council" in out
    assert "ohchr-hrcngo@un.org" in out


def test_a_draft_gives_the_contacts_an_organisation_confirmed_first(tmp_path: Path) -> None:
    from reprisal_cli.kb.loader import load_kb

    (tmp_path / "contacts.yaml").write_text(
        "contacts:\n  - owner: achpr_sr_hrd_reprisals\n    contact:\n      id: achpr_local_email\n"
        "      channel: email\n      value: focal@example.org\n      status: confirmed\n"
        "      source: Meeting, 2026-11-01\n      source_date: 2026-11-01\n"
        "      last_confirmed: {how: organisation_told_us, date: 2026-11-01}\n",
        encoding="utf-8",
    )
    local = load_kb(None, overlay=tmp_path)
    text = (
        "schema: reprisal-cli/answers/v1.1\nreprisals: [threats]\nstate: CM\n"
        'engagement: [african_commission]\nconsent:\n  share_with_regional: "yes"\n'
    )
    draft = build_draft(parse_answers(text, "t"), local, to="mechanism")
    lines = [line for address in draft.to for line, _ in address.lines]
    assert lines[0] == "Email: focal@example.org", lines


def test_the_guidance_says_what_the_address_cannot(kb: KnowledgeBase) -> None:
    """Regional bodies only, to OHCHR: the UN's procedure is for UN cooperation; no body named:
    fill in the address, the tool gives none it cannot source (red team 2026-12-03)."""
    regional = (
        "schema: reprisal-cli/answers/v1.1\nreprisals: [threats]\nstate: PE\n"
        'engagement: [inter_american_commission]\nconsent_share_with_un: "yes"\n'
    )
    said = " ".join(build_draft(parse_answers(regional, "t"), kb).guidance)
    assert "use --to mechanism" in said
    other = regional.replace("[inter_american_commission]", "[other]")
    draft = build_draft(parse_answers(other, "t"), kb, to="mechanism")
    assert any("No body to address from the answers" in g for g in draft.guidance)
    assert "address of the body you worked with" in render_draft(draft, "txt")
    # ... and not copied to the UN by someone who said no to it (second red team)
    refused = other.replace('consent_share_with_un: "yes"', 'consent_share_with_un: "no"')
    assert build_draft(parse_answers(refused, "t"), kb, to="mechanism").cc == ()


def test_a_body_that_is_not_the_uns_is_never_given_a_un_address_without_the_un_consent(
    kb: KnowledgeBase,
) -> None:
    """Red team 2026-12-03: an overlay (`--kb-add`) that lists the OHCHR mailbox and a UN
    rapporteur's address for the African Commission put both in the To: of a draft made with
    `share_with_un: no`."""
    changed, un_values = _achpr_with_un_addresses(kb)
    for un in ("no", "undecided", "yes"):
        draft = build_draft(_achpr_case(un), changed, to="mechanism")
        shown = {value for a in draft.to for value, _ in a.lines}
        leaked = {v for v in un_values if any(v in line for line in shown)}
        assert bool(leaked) is (un == "yes"), (un, leaked)
        assert any("africa-union.org" in line for line in shown)


def _achpr_case(un: str) -> Answers:
    """A person in Cameroon who worked with the African Commission, with `un` to the UN and a
    yes to regional bodies."""
    text = (
        "schema: reprisal-cli/answers/v1.1\nrespondent: self\nreprisals: [threats]\n"
        "state: CM\nengagement: [african_commission]\n"
        f'consent:\n  share_with_un: "{un}"\n  share_with_regional: "yes"\n'
    )
    return parse_answers(text, "test")


def _achpr_with_un_addresses(kb: KnowledgeBase) -> tuple[KnowledgeBase, set[str]]:
    """The knowledge base as an overlay that lists the OHCHR mailbox and the defenders'
    Rapporteur's addresses for the African Commission would make it, and those addresses."""
    achpr = kb.mechanisms["achpr_sr_hrd_reprisals"]
    un_ids = [c for role in kb.mechanisms["sr_hrd"].reprisal_contacts for c in role.contacts]
    un_ids += [c for role in kb.mechanisms["ohchr_reprisals_senior_official"].reprisal_contacts
               for c in role.contacts]  # fmt: skip
    first = achpr.reprisal_contacts[0]
    roles = (replace(first, contacts=(*un_ids, *first.contacts)), *achpr.reprisal_contacts[1:])
    changed = replace(
        kb, mechanisms={**kb.mechanisms, achpr.id: replace(achpr, reprisal_contacts=roles)}
    )
    return changed, {kb.contacts[c].value for c in un_ids if c in kb.contacts}


def test_a_plan_and_a_card_never_show_a_un_address_for_a_regional_body_without_the_un_consent(
    kb: KnowledgeBase,
) -> None:
    """The draft's rule above, in the plan's steps (and so in the card, `--with-un` too): after a
    no to the UN, a step to the African Commission listed the OHCHR mailbox an overlay gave it,
    and the person would have written to the UN (noted in the closing note of 2026-12-03)."""
    from reprisal_cli.engine.evaluate import evaluate
    from reprisal_cli.render import RenderOptions
    from reprisal_cli.render.card import card_view

    changed, un_values = _achpr_with_un_addresses(kb)
    for un in ("no", "undecided", "yes"):
        plan = evaluate(_achpr_case(un), changed, as_of=dt.date(2026, 12, 3))
        achpr_steps = [s for s in plan.steps if s.shares_with_regional and not s.shares_with_un]
        assert achpr_steps, un
        shown = {c.value for s in achpr_steps for c in s.contacts}
        assert any("africa-union.org" in v for v in shown), un
        assert bool(shown & un_values) is (un == "yes"), (un, shown & un_values)
        card = card_view(plan, changed, RenderOptions(), generic=False, with_un=True)
        on_card = repr(card)
        if un != "yes":
            assert not any(v in on_card for v in un_values), un


def test_a_draft_to_a_state_without_the_un_consent_asks_it_not_to_take_the_case_to_the_un(
    kb: KnowledgeBase,
) -> None:
    """Red team 2026-12-03: the named draft to the Security Council member never said that the
    person had said no to the UN, though the member may raise the case at the Council."""
    for un, asked in (("no", True), ("undecided", True), ("yes", False)):
        text = (
            "schema: reprisal-cli/answers/v1.1\nrespondent: self\nreprisals: [threats]\n"
            "engagement: [security_council]\n"
            f'consent:\n  share_with_un: "{un}"\n  share_with_states: "yes"\n'
        )
        draft = build_draft(parse_answers(text, "test"), kb, to="mechanism")
        said = " ".join(draft.guidance)
        assert draft.named
        assert ("not to raise the case at the UN" in said) is asked, un


@pytest.mark.parametrize(
    "value",
    ["OHCHR Reprisals <reprisals@ohchr.org>", "reprisals@ohchr.org.", "REPRISALS@OHCHR.ORG",
     "reprisals@ohchr.org?subject=case", "reprisals @ ohchr.org", "mailto:x@un.org",
     "https://www.ohchr.org:443/en/reprisals", "someone@unog.ch", "x@sub.ohchr.org",
     # red25: as web pages hide an address from robots, as a browser or mail client reads
     # a host (full-width letters, an ideographic full stop, an invisible soft hyphen, a
     # percent-encoded dot), UN Geneva's other domain, and OHCHR's postal address
     "reprisals [at] ohchr.org", "reprisals(at)ohchr(dot)org", "reprisals at ohchr dot org",
     "\uff52\uff45\uff50\uff52\uff49\uff53\uff41\uff4c\uff53\uff20\uff4f\uff48\uff43\uff48\uff52\uff0e\uff4f\uff52\uff47",
     "reprisals@ohchr\u3002org", "reprisals@ohc\u00adhr.org", "https://www%2Eohchr%2Eorg/",
     "https://www.ungeneva.org/en", "OHCHR, Palais des Nations, CH-1211 Geneva 10"],
)  # fmt: skip
def test_a_un_address_is_known_however_it_is_written(kb: KnowledgeBase, value: str) -> None:
    """Second red team 2026-12-03: an overlay wrote the OHCHR mailbox in ways an exact match
    missed."""
    from reprisal_cli.engine.contacts import holds_un_back, is_un_address, un_addresses

    answers = parse_answers("schema: reprisal-cli/answers/v1.1\nreprisals: [threats]\n", "t")
    assert holds_un_back(kb.mechanisms["achpr_sr_hrd_reprisals"], answers)
    un = un_addresses(kb)
    assert is_un_address(value, un)
    for regional in ("au-banjul@africa-union.org", "https://achpr.au.int/en/", "+220 441 05 05",
                     "https://www.oas.org/es/cidh/portal/", "secretariat@fun.org",
                     "Kairaba Avenue, PO Box 673, Banjul, The Gambia", "info@unorganised.org",
                     "https://www.echr.coe.int/", "cidhdenuncias@oas.org",
                     "Dat Ohchrist"):  # fmt: skip
        assert not is_un_address(regional, un), regional
    assert not is_un_address(value, frozenset())  # a UN body, or a yes to the UN
    assert not holds_un_back(kb.mechanisms["sr_hrd"], answers)


def test_a_card_never_shows_a_un_address_as_a_regional_contacts_fallback(
    kb: KnowledgeBase,
) -> None:
    """Red team 2026-12-03 (red25): an overlay that makes the African Commission's e-mail a
    `check_current` contact whose fallback is the OHCHR mailbox: the plan left the mailbox out
    after a no to the UN, but the card (`--with-un`) printed it as that e-mail's fallback."""
    from reprisal_cli.engine.evaluate import evaluate
    from reprisal_cli.render import RenderOptions
    from reprisal_cli.render.card import card_view

    un_id = "ohchr_reprisals_senior_official_email"
    achpr = kb.contacts["achpr_sr_hrd_reprisals_email"]
    changed = replace(
        kb,
        contacts={**kb.contacts, achpr.id: replace(achpr, status="check_current", fallback=un_id)},
    )
    un_value = kb.contacts[un_id].value
    for un in ("no", "undecided", "yes"):
        text = (
            "schema: reprisal-cli/answers/v1.1\nrespondent: self\nreprisals: [threats]\n"
            "state: CM\nengagement: [african_commission]\n"
            # Devices known to be safe: the device step's helpline does not take one of the
            # card's three places, which the advice step (done first while the consent to the
            # UN is undecided) also takes, so the Commission's e-mail stays on the card.
            "devices_compromised: false\n"
            f'consent:\n  share_with_un: "{un}"\n  share_with_regional: "yes"\n'
        )
        plan = evaluate(parse_answers(text, "test"), changed, as_of=dt.date(2026, 12, 3))
        card = card_view(plan, changed, RenderOptions(), generic=False, with_un=True)
        on_card = repr(card.contacts)
        assert "africa-union.org" in on_card, un
        if un != "yes":
            assert un_value not in on_card, un


def test_the_message_names_the_bodies_in_its_own_language(tmp_path: Path) -> None:
    """Noted since 2026-12-02: a French or Spanish draft named the bodies, their roles and pages
    and the kinds of body worked with in English ("Who: The mandate...", "- UN Special
    Rapporteurs or Working Groups"), inside the French letter. The message's parts now come
    from the knowledge base in the message's language (`--lang`), whatever the interface's (the
    locale's); the guidance before it is unchanged."""
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "schema: reprisal-cli/answers/v1.1\nrespondent: self\nstate: RU\n"
        "engagement: [special_procedures]\nstage: reprisal_suffered\nreprisals: [threats]\n"
        'profile: [ngo_staff]\nconsent:\n  share_with_un: "yes"\n  publicity: "no"\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    args = ["draft", str(answers), "--to", "mechanism", "--as-of", "2026-12-03"]
    french = runner.invoke(app, [*args, "--lang", "fr"], env={"LANG": "en_US.UTF-8"})
    assert french.exit_code == 0, french.output
    message = french.stdout.split("(not part of the message)", 1)[1]
    assert "Write and send this from a device" in message  # the guidance, as before
    assert "**À : Procédures spéciales du Conseil des droits de l'homme" in message
    # The mandates chosen in the one form, named in French (caseworker review 8, B3).
    assert "choisissez-y : Rapporteur spécial de l'ONU sur la situation des défenseurs" in message
    assert "- Courriel : `urgent-action@ohchr.org`" in message
    assert "- Rapporteurs spéciaux ou Groupes de travail de l'ONU" in message
    for english in ("UN Special Rapporteur on", "Who:", "Find the address at", "Email:",
                    "Check this contact", "If you cannot check it"):  # fmt: skip
        assert english not in message.split("---", 1)[1], english
    # An English message from a French interface: the addresses in English.
    english = runner.invoke(app, [*args, "--lang", "en"], env={"LANG": "fr_FR.UTF-8"})
    assert english.exit_code == 0, english.output
    assert "choose in it: UN Special Rapporteur on the situation of human rights defenders" in (
        english.stdout
    )
    assert "- Email: `urgent-action@ohchr.org`" in english.stdout
    assert "Rapporteur spécial" not in english.stdout


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_message_sections_are_numbered_without_gaps(lang: str) -> None:
    """A section left out (no one else at risk; an anonymous message without the named
    sections) left a gap: "7." then "9."."""
    from reprisal_cli.kb.loader import load_kb

    kb = load_kb(None)
    for others, un in (("", "yes"), ("others_at_risk: [family]\n", "yes"), ("", "undecided")):
        text = (
            "schema: reprisal-cli/answers/v1.1\nreprisals: [threats]\n"
            f'engagement: [special_procedures]\n{others}consent_share_with_un: "{un}"\n'
        )
        out = render_draft(build_draft(parse_answers(text, "t"), kb, lang=lang), "md")
        numbers = [int(line[3:].split(".", 1)[0]) for line in out.splitlines()
                   if line.startswith("## ") and line[3:4].isdigit()]  # fmt: skip
        assert numbers == list(range(1, len(numbers) + 1)), (lang, others, un, numbers)


@pytest.mark.parametrize(
    ("locale", "lang", "says"),
    [
        ("C", "fr", "Avant d'envoyer (ne fait pas partie du message)"),
        ("C", "es", "Antes de enviar"),
        ("en_GB.UTF-8", "fr", "Before you send (not part of the message)"),
        ("ar_EG.UTF-8", "en", "قبل"),
        ("zh_CN.UTF-8", "es", "发送之前"),
    ],
)
def test_the_guidance_is_in_the_locales_language_else_the_messages(
    locale: str, lang: str, says: str
) -> None:
    """The guidance before the message was English whatever the reader's language (noticed
    from 2026-12-02): it follows the locale, else the message's language; the refusal on
    standard error too, and never a word of its English."""
    path = Path(__file__).resolve().parents[1] / "examples" / "minimal_unknown.yaml"
    env = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": locale}
    result = runner.invoke(app, ["draft", str(path), "--lang", lang, "-f", "txt"], env=env)
    assert result.exit_code == 0, result.output
    assert says in result.stdout, result.stdout[:400]
    if not locale.startswith("en"):
        assert "No named draft" not in result.stdout + result.stderr
        assert "Write and send this from a device" not in result.stdout


@pytest.mark.parametrize("lang", ["en", "fr", "ru", "zh"])
def test_a_case_drafts_refusal_for_the_bodies_points_to_case_consent(
    kb: KnowledgeBase, lang: str
) -> None:
    """`draft CASE.age --to mechanism` with no consent for any body worked with: the guidance
    names each body's consent in words and how to record it in the case, never an answers key
    the case refuses ("set that consent to yes", "{key} is no"; red team red29)."""
    from reprisal_cli.case.model import CaseAnswers
    from reprisal_cli.i18n import set_lang
    from reprisal_cli.render.labels import purpose_words

    text = (
        "schema: reprisal-cli/answers/v1.1\nrespondent: self\nreprisals: [threats]\nstate: HN\n"
        "engagement: [special_procedures, inter_american_commission]\n"
        'consent:\n  share_with_un: "no"\n  share_with_regional: "no"\n'
    )
    parsed = parse_answers(text, "test")
    case = CaseAnswers(**{k: getattr(parsed, k) for k in Answers.__dataclass_fields__})
    set_lang(lang)
    try:
        draft = build_draft(case, kb, to="mechanism", lang="en")
        said = " ".join(" ".join(draft.guidance).split())
        assert not draft.named
        assert "case consent FILE.age share_with_" in said
        assert purpose_words("share_with_regional") in said
        assert "consent_share_with" not in said and " is no" not in said, said
    finally:
        set_lang("en")


@pytest.mark.parametrize("locale", ["fr_FR.UTF-8", "es_ES.UTF-8", "ru_RU.UTF-8", "ar_EG.UTF-8",
                                    "zh_CN.UTF-8"])  # fmt: skip
@pytest.mark.parametrize(
    ("example", "value"),
    [("cuba_2018", "not decided"), ("immediate_danger_hacked", "no"),
     ("minimal_unknown", "not answered")],
)  # fmt: skip
def test_an_answers_files_refusal_says_the_un_consent_in_words(
    locale: str, example: str, value: str
) -> None:
    """`draft ANSWERS.yaml` without a yes to the UN said "(consent_share_with_un est
    « undecided »)" in French, "（consent_share_with_un 为 no）" in Chinese: an answers key and
    an English value inside a translated sentence, where a case file's draft says its consent
    in words (noticed 2026-12-05). The answer is said in the reader's language; the key stays
    only where the reader is told what to write in the file (`consent_share_with_un: yes`)."""
    from reprisal_cli.i18n import translations

    path = Path(__file__).resolve().parents[1] / "examples" / f"{example}.yaml"
    env = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": locale}
    result = runner.invoke(app, ["draft", str(path), "-f", "txt"], env=env)
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "undecided" not in said
    assert said.count("consent_share_with_un") == said.count("consent_share_with_un: yes"), said
    word = translations(locale[:2]).gettext(value)
    assert f"{word})" in said or f"{word}）" in said, (word, said[:600])
