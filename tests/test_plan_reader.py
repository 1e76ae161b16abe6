"""The whole plan speaks to whoever reads it (issue 21, point 6), not only the gates.

When a relative, a colleague, a lawyer or an organisation answers, or the person at risk is
detained or missing, the steps, their advice, the risk factors and the warnings must not speak
to the person at risk as "you" ("your government", "reach you", "a letter about you"). "You"
for the reader's own actions ("before you send") stays. Checked over every example and a grid
of respondents and locations; the person's own plan keeps speaking to them.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from reprisal_cli.answers import answers_from_data, load_answers
from reprisal_cli.engine.conditions import holds
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.rules import StepTemplate

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
AS_OF = dt.date(2026, 12, 2)
RESPONDENTS = ("family", "colleague", "lawyer", "organisation")
# Nobody said who answers: the plan speaks to another reader too (`contract.reader_of`).
READERS = (*RESPONDENTS, None)
LOCATIONS = ("home_country", "abroad", "in_detention", "whereabouts_unknown")
# What plans read by a colleague or a relative said to the person at risk before this check.
# ("your phone" alone is the reader's own: "if your phone... may be watched, call from...").
TO_THE_PERSON = (
    "your government",
    "with your government",
    "you are in the country",
    "you are outside the country",
    "reach you",
    "about you",
    "your phone, computer or accounts may",
    "your devices and accounts are",
    "assume your phone",
    "you or someone close to you",
    "your family is",
    "threats against your family",
    "protect your family",
    "tell your family",
    "your organisation",
    "your sources",
    "you are watched",
    "your own country",
    "your routes",
    "your office",
    "know your rights",
    "your work with the un",
    "your case",
    "your situation",
    "your name",
    "protect you",
    "expose you",
    "the body you worked with has",
    "country where you live",
    "your relative",
    "review your security plan",
    "warn your contacts",
    "un body you worked with",
    "committee you worked with",
    "mandate holders you worked",
    "by your own government",
    "gave you information",
    "if you are arrested",
    "without your consent",
    "your security plan",
    "speak for you",
    "that you cannot attend",
    "whether you can take part",
    "your engagement",
    "your un work",
    "your country",
    "before you travel",
    "your contact person",
    "your safety and health",
    "your data",
    "your lawyer",
    "your records",
    "your legal status",
    "your status",
    "your address",
    "your physical safety",
    "your union",
    "for your safety",
    "you plan to travel",
    "you have not engaged",
    "plan your safety",
    "give you rest",
    "consider leaving",
    "act quickly near you",
)


def _case(respondent: str | None, location: str) -> Any:
    """A case that fires most rules: many reprisals, others at risk, devices watched, an exile's
    country of residence. `respondent` None: not answered."""
    return answers_from_data(
        {
            "schema": "reprisal-cli/answers/v1.1",
            **({"respondent": respondent} if respondent else {}),
            "location": location,
            "state": "CN",
            "residence": "GB" if location == "abroad" else "CN",
            "stage": "reprisal_suffered",
            "engagement": ["special_procedures", "human_rights_council", "treaty_bodies"],
            "reprisals": [
                "surveillance",
                "hacking",
                "threats",
                "threats_to_family",
                "family_detained",
                "transnational_repression",
                "detention",
                "enforced_disappearance",
                "criminal_charges",
                "smear_campaign",
                "travel_ban",
            ],
            "immediate_danger": True,
            "devices_compromised": True,
            "others_at_risk": ["family", "colleagues", "organisation", "sources"],
            "consent": {"publicity": "yes", "share_with_un": "yes", "given_by": "person"},
        },
        f"{respondent}-{location}",
    )


def plan_texts(plan: Plan) -> list[str]:
    """Every English sentence the plan itself writes: steps, advice, risk, warnings."""
    texts = [w.text for w in plan.warnings]
    for step in plan.steps:
        texts += [step.title, step.detail, *step.advice]
    risk = plan.risk
    texts += [n.text for n in (*risk.threats, *risk.vulnerabilities, *risk.capacities)]
    texts += [w.reason for w in plan.withheld]
    return texts


def _to_the_person(plan: Plan) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for text in plan_texts(plan):
        low = " ".join(text.lower().split())
        hits = [p for p in TO_THE_PERSON if p in low]
        if hits:
            found[text] = hits
    return found


GRID = list(itertools.product(READERS, LOCATIONS))


@pytest.mark.parametrize(("respondent", "location"), GRID)
def test_a_plan_for_someone_else_does_not_address_the_person_at_risk(
    kb: KnowledgeBase, respondent: str | None, location: str
) -> None:
    plan = evaluate(_case(respondent, location), kb, as_of=AS_OF)
    assert plan.audience == "other"
    assert _to_the_person(plan) == {}
    # Engaged, with travel coming up: the preventive steps too.
    plan = evaluate(_with_own_steps(respondent, location), kb, as_of=AS_OF)
    assert _to_the_person(plan) == {}
    # Not engaged yet (planning), travel coming up: the risk factors of a first engagement
    # (loose24: a lawyer read "You plan to travel", "You have not engaged yet").
    from dataclasses import replace

    planning = replace(_with_own_steps(respondent, location), stage="planning")
    plan = evaluate(planning, kb, as_of=AS_OF)
    factors = {n.id for n in (*plan.risk.vulnerabilities, *plan.risk.capacities)}
    assert {"travel_planned", "time_to_prepare"} <= factors
    assert _to_the_person(plan) == {}


# Warnings that say who answers ("You are answering for someone else"), which nobody said when
# `respondent` is not answered: they stay for a reader who said so.
# `answers_self_missing` speaks to a reader who said they answer for themselves, about that
# answer (issue 21): it holds for `respondent: self` only, so no other reader meets it.
SAYS_WHO_ANSWERS = {"consent_is_the_persons", "consent_while_held", "answers_self_missing"}


def _reads_respondent(cond: Any) -> bool:
    parts = [*(cond.all or ()), *(cond.any or ()), *([cond.not_] if cond.not_ else [])]
    return cond.key == "respondent" or any(_reads_respondent(c) for c in parts)


def test_rules_read_no_respondent_as_another_reader(kb: KnowledgeBase) -> None:
    """Nobody said who answers: the plan speaks to another reader (`reader_of`), so every rule
    and step variant that reads `respondent` must treat a blank one as someone else, never as
    the person at risk: what holds with no respondent holds for some other reader, and what
    holds for every other reader holds with no respondent (a step worded "give you rest" came
    for a blank respondent: its rule left out family, colleague, lawyer and organisation only)."""
    from dataclasses import replace

    from reprisal_cli.engine.conditions import holds

    checked: list[tuple[str, Any, bool]] = []
    for rule in kb.rules:
        warns_only = not rule.then.steps and not rule.then.bodies
        exempt = warns_only and {w.id for w in rule.then.warnings} <= SAYS_WHO_ANSWERS
        checked.append((rule.id, rule.when, exempt))
        for step in rule.then.steps:
            checked += [(f"{rule.id}/{step.id}/{v.id}", v.when, False) for v in step.variants]
    checked = [c for c in checked if _reads_respondent(c[1])]
    assert any(name == "organisations_relocation" for name, _, _ in checked)
    bases = [a for loc in LOCATIONS for a in _variants(None, loc)]
    wrong: set[str] = set()
    for name, cond, exempt in checked:
        for base in bases:
            blank = holds(cond, replace(base, respondent=None), kb.states)
            others = [holds(cond, replace(base, respondent=r), kb.states) for r in RESPONDENTS]
            if (blank and not any(others)) or (all(others) and not blank and not exempt):
                wrong.add(name)
    assert sorted(wrong) == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_speaks_to_its_reader(kb: KnowledgeBase, path: Path) -> None:
    plan = evaluate(load_answers(path), kb, as_of=AS_OF)
    if plan.audience == "other":
        assert _to_the_person(plan) == {}
    else:  # the person's own plan: still "you", nothing written for a stranger
        assert "for the person at risk in the country" not in " ".join(plan_texts(plan))


def test_the_persons_own_plan_keeps_speaking_to_them(kb: KnowledgeBase) -> None:
    """The variants are for another reader only: an exile answering for themselves is still
    told to ask for protection "in the country where you live"."""
    plan = evaluate(_case("self", "abroad"), kb, as_of=AS_OF)
    assert plan.audience == "person"
    titles = {s.id: s.title for s in plan.steps}
    assert titles["protection_where_you_live"] == "Ask for protection in the country where you live"
    assert "where you are now" in titles["contact_diplomatic_missions_abroad"]
    # The same case for a relative gets the other words, from the same step.
    other = {s.id: s.title for s in evaluate(_case("family", "abroad"), kb, as_of=AS_OF).steps}
    assert other["protection_where_you_live"].endswith("in the country where they live")


def test_every_step_variant_for_another_reader_reads_to_that_reader(kb: KnowledgeBase) -> None:
    templates: list[StepTemplate] = [s for r in kb.rules for s in r.then.steps if s.for_other]
    assert templates, "no step has words for another reader"
    for template in templates:
        words = template.for_reader("other")
        low = " ".join(f"{words.title} {words.detail}".lower().split())
        assert [p for p in TO_THE_PERSON if p in low] == [], template.id
        assert template.for_reader("person") is template


def test_every_risk_factor_that_speaks_to_the_person_has_words_for_another_reader(
    kb: KnowledgeBase,
) -> None:
    """A factor whose text says "you" of the person at risk needs `text_other`, or a lawyer or
    a relative reads it as said to them; only a factor that holds when the person answers for
    themselves (`respondent: self`, "You are answering for yourself") is never read by another
    reader (unless detained or missing, where it is still said of the one who answered)."""
    you = re.compile(r"\b(you|your|yourself)\b", re.IGNORECASE)
    missing = [
        f.id
        for f in (*kb.vulnerabilities, *kb.capacities)
        if you.search(f.text)
        and not f.text_other
        and not (f.when.key == "respondent" and f.when.equals == "self")
    ]
    assert missing == []


def test_every_rule_warning_that_speaks_to_the_person_has_words_for_another_reader(
    kb: KnowledgeBase,
) -> None:
    """A rule's warning whose text says "you" of the person at risk needs `text_other` ("near
    you" read by a colleague as near them); only one that speaks to the reader about their own
    answering (`SAYS_WHO_ANSWERS`, held for another reader only) needs none."""
    you = re.compile(r"\b(you|your|yourself)\b", re.IGNORECASE)
    warnings = [w for r in kb.rules for w in r.then.warnings]
    missing = [
        w.id
        for w in warnings
        if you.search(w.text) and not w.text_other and w.id not in SAYS_WHO_ANSWERS
    ]
    assert missing == []
    worded = [w for w in warnings if w.text_other]
    assert worded
    for warning in worded:
        assert warning.text_other is not None
        assert _spoken(warning.text_other) == [], warning.id
        assert warning.for_reader("other") == warning.text_other
        assert warning.for_reader("person") == warning.text


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar", "ru", "zh"])
def test_a_rule_warning_speaks_to_each_reader_in_every_language(
    kb: KnowledgeBase, lang: str
) -> None:
    """`un_part_of_security_plan` (a preventive plan): "near you" for the person, "near the
    person at risk" for a colleague, in each language from its own translation."""
    from dataclasses import replace

    texts = {}
    for respondent in ("self", "colleague"):
        answers = replace(_with_own_steps(respondent, "home_country"), stage="planning")
        plan = evaluate(answers, kb, as_of=AS_OF, lang=lang)
        texts[respondent] = {w.id: w.text for w in plan.warnings}["un_part_of_security_plan"]
    assert texts["self"] != texts["colleague"]
    assert not texts["colleague"].startswith("[en]")
    if lang == "en":
        assert texts["colleague"].endswith("act quickly near the person at risk.")


def test_risk_factors_speak_to_each_reader(kb: KnowledgeBase) -> None:
    """The person reads "You are in your home country, where ..."; a colleague reads
    the same factor about the person at risk, from `text_other`."""
    mine = evaluate(_case("self", "home_country"), kb, as_of=AS_OF).risk
    theirs = evaluate(_case("colleague", "home_country"), kb, as_of=AS_OF).risk
    own = {n.id: n.text for n in (*mine.vulnerabilities, *mine.capacities)}
    other = {n.id: n.text for n in (*theirs.vulnerabilities, *theirs.capacities)}
    assert own["in_home_country"].startswith("You are in your home country")
    assert other["in_home_country"].startswith("The person at risk is in their home country")
    for factor in (*kb.vulnerabilities, *kb.capacities):
        if factor.text_other:
            low = " ".join(factor.text_other.lower().split())
            assert [p for p in TO_THE_PERSON if p in low] == [], factor.id


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "terminal"])
def test_why_lines_quote_the_questions_as_the_reader_was_asked_them(
    kb: KnowledgeBase, fmt: str
) -> None:
    """A colleague answering for the person is asked "Is the person at risk … in danger"; the
    plan's "Why: you answered …" quotes that, not the question put to the person at risk."""
    from dataclasses import replace

    from rich.console import Console

    from reprisal_cli.render import RenderOptions, render
    from reprisal_cli.render.terminal import print_plan

    answers = load_answers(EXAMPLES / "china_2017.yaml")
    assert answers.respondent == "colleague"
    worded = [q for q in kb.questions if q.prompt_other and q.type == "select"]
    keys = {q.key for q in worded if isinstance(getattr(answers, q.key), bool)}
    assert keys  # immediate_danger, devices_compromised
    # The person answering for themselves, free (the example's person is missing: a plan for a
    # person held or missing speaks to whoever reads it).
    itself = replace(answers, respondent="self", location="home_country")
    for reader, answered in (("other", answers), ("person", itself)):
        plan = evaluate(answered, kb, as_of=AS_OF)
        assert plan.audience == reader
        if fmt == "terminal":
            buffer = io.StringIO()
            print_plan(plan, kb=kb, console=Console(file=buffer, width=100), plain=True, full=True)
            out: str | bytes = buffer.getvalue()
        else:
            out = render(plan, fmt, kb, RenderOptions(full=True))
        text = " ".join((out.decode() if isinstance(out, bytes) else out).split())
        for question in worded:
            if question.key not in keys:
                continue
            said = " ".join(
                (question.prompt_other if reader == "other" else question.prompt).split()
            )
            unsaid = " ".join(
                (question.prompt if reader == "other" else question.prompt_other).split()
            )
            assert said in text, (fmt, reader, question.key)
            assert unsaid not in text, (fmt, reader, question.key)


# Steps only the person at risk can take (`only_if_person_can_act` in data/rules.yaml): their
# own care, their travel, their own phone before contacting the UN, taking part despite a ban.
PERSONS_OWN = (
    "participate_remotely",
    "prepare_travel",
    "secure_communications",
    "assess_risk_before_engaging",
    "make_security_plan",
    "plan_return_home",
)


def _with_own_steps(respondent: str | None, location: str) -> Any:
    """`_case`, with travel coming up and the person engaged, so that every step only the person
    can take is proposed by the rules (a reprisal suffered gives care and the travel-ban step;
    engagement the preventive steps; `travel_planned` the trip)."""
    from dataclasses import replace

    return replace(_case(respondent, location), stage="engaged", travel_planned=True)


FULL_GRID = list(itertools.product(("self", *READERS), LOCATIONS))


@pytest.mark.parametrize(("respondent", "location"), FULL_GRID)
def test_steps_only_the_person_can_take_are_left_out_while_they_cannot_act(
    kb: KnowledgeBase, respondent: str | None, location: str
) -> None:
    """Detained or missing: the person's own steps leave the plan and are listed as left out,
    with the reason in words. Free: they stay, in the person's words for the person and in
    words to pass on for anyone else (issue 21 point 6). The care step stays either way: while
    the person is held or missing, for those who act for them (caseworker review 8, C4)."""
    templates = {s.id: s for r in kb.rules for s in r.then.steps if s.only_if_person_can_act}
    assert set(templates) == set(PERSONS_OWN)
    for stage in ("reprisal_suffered", "engaged"):
        answers = _case(respondent, location)
        if stage == "engaged":
            answers = _with_own_steps(respondent, location)
        plan = evaluate(answers, kb, as_of=AS_OF)
        steps = {s.id: s for s in plan.steps}
        held = {w.id: w for w in plan.withheld if w.gate == "person_cannot_act"}
        proposed = {"participate_remotely"}
        if stage == "engaged":
            proposed = {"participate_remotely", "prepare_travel", "secure_communications"}
            proposed |= {"assess_risk_before_engaging", "make_security_plan"}
        if location in ("in_detention", "whereabouts_unknown"):
            # Held or missing counts as a reprisal suffered whatever the stage: care comes too,
            # for those who act for the person.
            care = steps["wellbeing_care"].title
            assert care == "Look after yourselves while the person at risk is held or missing"
            assert not proposed & set(steps), (stage, sorted(proposed & set(steps)))
            assert set(held) == proposed, stage
            for item in held.values():
                assert item.instead is None
                assert "detained or missing" in item.reason
                assert "nobody can take it in their place" in item.reason
            assert not any("secure your phone" in s.title.lower() for s in plan.steps)
        else:
            assert proposed <= set(steps), (stage, sorted(proposed - set(steps)))
            assert held == {}
            for ident in proposed:
                own = templates[ident]
                assert own.for_other is not None
                # The person reads their own words; anyone else the words to pass on (in the
                # words of the variant the answers call for: a travel ban words the trip).
                variant = next((v for v in own.variants if holds(v.when, answers, kb.states)), None)
                worded = own.for_reader("self" if respondent == "self" else "other", variant)
                assert steps[ident].title == worded.title, (ident, respondent)


def test_a_left_out_step_is_never_the_safe_route_of_a_held_back_one(kb: KnowledgeBase) -> None:
    """Gate 9 names only steps in the plan; a step left out for a detained person must not come
    back as another step's `instead`."""
    for location in ("in_detention", "whereabouts_unknown"):
        plan = evaluate(_with_own_steps("family", location), kb, as_of=AS_OF)
        ids = {s.id for s in plan.steps}
        for item in plan.withheld:
            assert item.instead is None or (item.instead in ids and item.instead not in PERSONS_OWN)


def _elsewhere(respondent: str | None, location: str, region: str, state: str | None) -> Any:
    """`_case` in another region: with `state` None, steps say for which States a body acts
    (party notes); Belarus (`BY`) gets the OSCE/ODIHR step."""
    from dataclasses import replace

    return replace(
        _case(respondent, location),
        state=state,
        residence=None,
        region=region,
        profile=("environmental_defender",),
        engagement=("special_procedures", "inter_american_commission", "african_commission"),
    )


def _variants(respondent: str | None, location: str) -> list[Any]:
    return [
        _case(respondent, location),
        _with_own_steps(respondent, location),
        _elsewhere(respondent, location, "americas", None),
        _elsewhere(respondent, location, "africa", None),
        _elsewhere(respondent, location, "europe_central_asia", None),
        _elsewhere(respondent, location, "europe_central_asia", "BY"),
    ]


def _spoken(text: str) -> list[str]:
    low = " ".join(text.lower().split())
    return [p for p in TO_THE_PERSON if p in low]


@pytest.mark.parametrize(("respondent", "location"), GRID)
def test_rendered_plans_cards_and_drafts_for_someone_else_do_not_address_the_person(
    kb: KnowledgeBase, respondent: str | None, location: str
) -> None:
    """Beyond the plan's own texts: the checklist titles, the bodies' membership notes and the
    ODIHR step a rendered plan shows, the emergency card and the draft message (whose sender
    is the reader, asked who they are to the person concerned)."""
    from reprisal_cli.render import RenderOptions, render
    from reprisal_cli.render.card import card_text, card_view
    from reprisal_cli.render.draft import build_draft, draft_text

    seen: set[str] = set()
    for answers in _variants(respondent, location):
        plan = evaluate(answers, kb, as_of=AS_OF)
        assert plan.audience == "other"
        out = render(plan, "txt", kb, RenderOptions(full=True, explain=True))
        assert isinstance(out, str)
        # "Why: you answered" and "if you cannot check it" are the reader's own.
        assert _spoken(out) == [], answers.case_id
        card = card_text(card_view(plan, kb, RenderOptions(), with_un=True))
        assert _spoken(card) == [], answers.case_id
        seen |= {s.id for s in plan.steps}
        seen |= {c for s in plan.steps for c in s.checklist}
        seen |= {"party_note" for s in plan.steps if "Only if the State responsible" in s.detail}
    for lang in ("en", "fr", "es"):
        draft = draft_text(build_draft(_case(respondent, location), kb, lang=lang))
        mine = draft_text(build_draft(_case("self", "home_country"), kb, lang=lang))
        assert draft != mine
    draft = draft_text(build_draft(_case(respondent, location), kb))
    assert "who you are to the person concerned" in " ".join(draft.split())
    # The variants reach what they are there for.
    assert {"notify_odihr", "party_note"} <= seen
    if location not in ("in_detention", "whereabouts_unknown"):  # else the trip is left out
        assert "before_travel_to_session" in seen


def test_the_persons_own_rendered_plan_and_draft_keep_their_words(kb: KnowledgeBase) -> None:
    from reprisal_cli.render import RenderOptions, render
    from reprisal_cli.render.draft import build_draft, draft_text

    plan = evaluate(_with_own_steps("self", "home_country"), kb, as_of=AS_OF)
    out = " ".join(str(render(plan, "txt", kb, RenderOptions(full=True))).split())
    assert "Before you travel to a UN or regional session" in out
    assert "Before the person at risk travels" not in out
    draft = " ".join(draft_text(build_draft(_case("self", "home_country"), kb)).split())
    assert "your name or organisation, and a safe way to reach you" in draft
    # Steps held back by a consent are listed as held back for the reader's own safety.
    from dataclasses import replace

    refused = replace(_case("self", "home_country"), consent_publicity="no")
    out = str(render(evaluate(refused, kb, as_of=AS_OF), "txt", kb, RenderOptions(full=True)))
    assert "Steps held back for your safety" in out
    assert "who you are to the person concerned" not in draft


def test_advice_any_reader_may_get_names_no_one_as_you(kb: KnowledgeBase) -> None:
    """The reprisals' mitigations and the bodies' conditions become a step's advice for every
    reader, in one wording: none may speak to the person at risk as "you" ("your lawyer",
    "your status"), or a relative would read it as theirs."""
    texts = [m for r in kb.risks.values() for m in r.mitigation_texts()]
    texts += [c.text for m in kb.mechanisms.values() for c in m.conditions]
    assert len(texts) > 50
    assert {t: _spoken(t) for t in texts if _spoken(t)} == {}


def test_a_step_only_the_person_can_take_needs_words_for_whoever_passes_it_on() -> None:
    """Without `for_other`, a relative of a free person would read the person's "you"."""
    from reprisal_cli.kb.rules import Wording

    fields: dict[str, Any] = {
        "id": "own_step",
        "kind": "wellbeing",
        "priority": 50,
        "title": "Rest",
        "detail": "Rest when you can.",
        "shares": (),
        "only_if_person_can_act": True,
    }
    with pytest.raises(ValueError, match="needs 'for_other'"):
        StepTemplate(**fields)
    worded = StepTemplate(**fields, for_other=Wording(title="Help them rest", detail="..."))
    assert worded.for_reader("other").title == "Help them rest"
    assert worded.for_reader("other").only_if_person_can_act


@pytest.mark.parametrize("location", ["home_country", "abroad"])
def test_the_persons_own_step_titles_never_speak_of_them_as_someone_else(
    kb: KnowledgeBase, location: str
) -> None:
    """A person answering for themselves reads "you": no title of theirs says "the person at
    risk" ("if the person at risk may be sent back") or asks whether "the person agrees" (issue
    21 point 6), with the report's consent undecided or given."""
    from dataclasses import replace

    cases = _variants("self", location)
    cases += [replace(cases[0], consent_sg_report=v) for v in ("undecided", "anonymous")]
    seen: set[str] = set()
    for answers in cases:
        plan = evaluate(answers, kb, as_of=AS_OF)
        assert plan.audience == "person"
        titles = [*(s.title for s in plan.steps), *(w.title for w in plan.withheld)]
        said = [t for t in titles if "person at risk" in t or "the person agrees" in t]
        assert said == [], (answers.case_id, answers.consent_sg_report)
        seen |= {s.id for s in plan.steps}
    if location == "abroad":  # the steps against removal are among them
        assert {"stop_removal_lawyer", "include_in_sg_report_anonymously"} <= seen


def test_every_steps_own_words_with_words_for_another_reader_speak_to_the_person(
    kb: KnowledgeBase,
) -> None:
    """Where a step (or a variant) has words for another reader, its own words are the
    person's: they never call the reader "the person at risk"."""
    for rule in kb.rules:
        for template in rule.then.steps:
            worded = [template, *template.variants]
            for words in worded:
                if words.for_other is not None:
                    assert "person at risk" not in words.title, (template.id, words.title)


def test_step_variants_follow_the_answers_and_keep_the_step(kb: KnowledgeBase) -> None:
    """A variant's words are used when its condition holds (the person's lawyer answers; the
    consent for the report is given); the step keeps its id, kind, shares and contacts, and the
    words of a variant for another reader never speak to the person at risk as "you"."""
    from dataclasses import replace

    from reprisal_cli.engine.evaluate import for_answers

    steps = {s.id: s for r in kb.rules for s in r.then.steps}
    held = steps["legal_support_held"]
    lawyer = _case("lawyer", "in_detention")
    family = _case("family", "in_detention")
    mine = for_answers(held, "other", lawyer, kb)
    assert mine.title.startswith("Ask in writing where the person at risk is held")
    assert for_answers(held, "other", family, kb).title == held.title
    assert (mine.id, mine.kind, mine.shares, mine.organisations) == (
        held.id,
        held.kind,
        held.shares,
        held.organisations,
    )
    assert for_answers(mine, "other", family, kb) == mine  # worded once, it reads the same
    report = steps["include_in_sg_report_anonymously"]
    for reader, respondent in (("person", "self"), ("other", "family")):
        base = replace(_case(respondent, "home_country"), consent_publicity="no")
        undecided = for_answers(report, reader, base, kb)
        agreed = for_answers(report, reader, replace(base, consent_sg_report="anonymous"), kb)
        assert undecided.title.startswith("If "), reader
        assert agreed.title.startswith("Ask for the case to appear without names"), reader
        assert for_answers(agreed, reader, base, kb) == agreed
    for template in steps.values():
        for variant in template.variants:
            words = variant.for_other or variant
            read = variant.when.keys()
            if variant.for_other is None and "respondent" not in read:
                continue  # one wording for both readers is checked with the plans
            low = " ".join(f"{words.title} {words.detail}".lower().split())
            assert _spoken(low) == [], (template.id, variant.id)


def test_step_variants_need_their_own_ids() -> None:
    from reprisal_cli.kb.conditions import Condition
    from reprisal_cli.kb.rules import Variant

    when = Condition(key="respondent", equals="lawyer")
    variant = Variant(id="lawyer_answers", when=when, title="Visit them", detail="...")
    fields: dict[str, Any] = {
        "id": "a_step",
        "kind": "legal_support",
        "priority": 40,
        "title": "Get a lawyer",
        "detail": "...",
        "shares": ("others",),
    }
    with pytest.raises(ValueError, match="its own id"):
        StepTemplate(**fields, variants=(variant, variant))
    step = StepTemplate(**fields, variants=(variant,))
    assert step.for_reader("other", variant).title == "Visit them"
    assert step.for_reader("other").title == "Get a lawyer"


# -- The gates' texts when the person answers for themselves (issue 21, point 6) ----------------
# "Whoever answers is the reader": a defender answering for themselves was told "Tell them what
# the person at risk has not agreed to ... on the person's behalf" and "Do this only if the
# person at risk agrees". What the gates add must speak to them; another reader keeps these words.
OF_THE_PERSON = (
    "person at risk",
    "the person's behalf",
    "the person must",
    "ask the person",
    "the person visible",
    "to the person or",
)
TO_THE_READER = (
    "you have not agreed",
    "on your behalf",
    "you said no",
    "you chose",
    "you withdrew",
    "only if you agree",
    "your decision",
    "to you or someone close to you",
)
# The gates' texts that only frame a knowledge-base text (a contact page, a body's name).
FRAMES = frozenset({"find_contact_at", "named_body", "named_committee"})
ALL_PURPOSES = ("publicity", "share_with_un", "share_with_regional", "share_with_states")
# Consent answers that make each consent gate and each consent note fire.
CONSENTS: dict[str, dict[str, str] | None] = {
    "all_no": {**dict.fromkeys(ALL_PURPOSES, "no"), "sg_report": "no"},
    "un_no_others_not_asked": {"publicity": "no", "share_with_un": "no"},
    "all_undecided": {**dict.fromkeys(ALL_PURPOSES, "undecided"), "sg_report": "undecided"},
    "named_without_publicity": {"publicity": "no", "share_with_un": "yes", "sg_report": "named"},
    "anonymous_only": {"publicity": "yes", "share_with_un": "yes", "sg_report": "anonymous"},
    "report_refused": {**dict.fromkeys(ALL_PURPOSES, "yes"), "sg_report": "no"},
    "not_answered": None,
}
# The gates' texts reworded for the person (data/safety.yaml, `for_other` has the old words).
REWORDED = (
    "consent_publicity_reason",
    "consent_share_with_un_reason",
    "consent_share_with_regional_reason",
    "consent_share_with_states_reason",
    "consent_revoked_reason",
    "consent_sg_report_reason",
    "sg_report_other_form",
    "regional_may_raise_with_state",
    "un_may_raise_with_state",
    "states_tell_government",
    "state_body_tells_government",
    "sg_report_undecided",
    "tell_helpers_limits",
    "follows_un_refusal",
    "threat_immediate_danger",
)


def _consent_case(respondent: str, consent: dict[str, str] | None, revoked: bool = False) -> Any:
    """A suffered reprisal that brings organisations, a lawyer (criminal charges), embassies, the
    regional bodies and the Secretary-General's report into the plan, with `consent`."""
    from dataclasses import fields

    from reprisal_cli.case.model import CaseAnswers

    data: dict[str, Any] = {
        "schema": "reprisal-cli/answers/v1.1",
        "respondent": respondent,
        "location": "home_country",
        "state": "HN",
        "region": "americas",
        "stage": "reprisal_suffered",
        "engagement": ["special_procedures", "human_rights_council"],
        "reprisals": ["threats", "criminal_charges", "surveillance", "hacking"],
        "immediate_danger": True,
        "others_at_risk": ["family"],
    }
    if consent is not None:
        data["consent"] = {**consent, "given_by": "person"}
    answers = answers_from_data(data, f"{respondent}-consent")
    if not revoked:
        return answers
    values = {f.name: getattr(answers, f.name) for f in fields(answers)}
    return CaseAnswers(**{**values, "consent_publicity": "no"}, revoked=("publicity",))


def _gate_patterns(kb: KnowledgeBase) -> dict[str, list[re.Pattern[str]]]:
    """Each text of the gates, in the person's words and in another reader's, as a pattern (a
    placeholder matches any words)."""
    import dataclasses

    patterns: dict[str, list[re.Pattern[str]]] = {}
    for safety in (kb.safety, kb.safety.for_reader("other")):
        for f in dataclasses.fields(safety):
            value = getattr(safety, f.name)
            if not isinstance(value, str) or f.name in FRAMES:
                continue
            parts = re.split(r"\{[a-z_]+\}", " ".join(value.split()))
            patterns.setdefault(f.name, []).append(
                re.compile(".+?".join(re.escape(p) for p in parts))
            )
    return patterns


def gate_texts(plan: Plan, kb: KnowledgeBase) -> dict[str, list[str]]:
    """What the gates wrote into the plan, by the safety text it is: the held-back reasons, the
    warnings, the notes added to steps, the danger-now threat."""
    pieces = [w.reason for w in plan.withheld] + [w.text for w in plan.warnings]
    pieces += [p for s in plan.steps for p in s.detail.split("\n\n")]
    pieces += [n.text for n in plan.risk.threats]
    found: dict[str, list[str]] = {}
    for name, patterns in _gate_patterns(kb).items():
        for piece in pieces:
            for pattern in patterns:
                match = pattern.search(" ".join(piece.split()))
                if match and match.group(0) not in found.get(name, []):
                    found.setdefault(name, []).append(match.group(0))
    return found


def _said(texts: dict[str, list[str]], phrases: tuple[str, ...]) -> dict[str, list[str]]:
    return {
        name: hits
        for name, said in texts.items()
        if (hits := [p for p in phrases if any(p in t.lower() for t in said)])
    }


def _own_plans(kb: KnowledgeBase) -> list[tuple[str, Plan]]:
    plans = [
        (f"{name}{'-revoked' if revoked else ''}", _consent_case("self", c, revoked))
        for name, c in CONSENTS.items()
        for revoked in (False, True)
    ]
    examples = [(p.stem, load_answers(p)) for p in sorted(EXAMPLES.glob("*.yaml"))]
    plans += [(name, a) for name, a in examples if a.respondent == "self"]
    return [(name, evaluate(a, kb, as_of=AS_OF)) for name, a in plans]


@pytest.fixture(scope="module")
def own_plans(kb: KnowledgeBase) -> list[tuple[str, Plan]]:
    return _own_plans(kb)


def test_the_gates_speak_to_the_person_answering_for_themselves(
    kb: KnowledgeBase, own_plans: list[tuple[str, Plan]]
) -> None:
    names = {name for name, _ in own_plans}
    assert {"honduras_2017", "immediate_danger_hacked", "planning_first_session"} <= names
    reached: set[str] = set()
    for name, plan in own_plans:
        assert plan.audience == "person", name
        texts = gate_texts(plan, kb)
        assert _said(texts, OF_THE_PERSON) == {}, name
        reached |= {t for t in texts if t in REWORDED}
    # Every reworded text reaches one of these plans: the check reads each of them.
    assert set(REWORDED) <= reached, sorted(set(REWORDED) - reached)


@pytest.mark.parametrize("consent", list(CONSENTS), ids=str)
@pytest.mark.parametrize("respondent", ["family", "lawyer"])
def test_another_reader_keeps_the_gates_words_about_the_person(
    kb: KnowledgeBase, consent: str, respondent: str
) -> None:
    for revoked in (False, True):
        mine = evaluate(_consent_case("self", CONSENTS[consent], revoked), kb, as_of=AS_OF)
        plan = evaluate(_consent_case(respondent, CONSENTS[consent], revoked), kb, as_of=AS_OF)
        assert plan.audience == "other"
        texts = gate_texts(plan, kb)
        assert _said(texts, TO_THE_READER) == {}, consent
        assert _said(texts, OF_THE_PERSON), consent
        # The same gates act for both readers: only their words differ.
        assert [(w.id, w.gate) for w in plan.withheld] == [(w.id, w.gate) for w in mine.withheld]
        assert {n for n in texts if n in REWORDED} == {
            n for n in gate_texts(mine, kb) if n in REWORDED
        }


def test_a_gate_text_for_another_reader_keeps_the_placeholders(kb: KnowledgeBase) -> None:
    """The engine fills `{purposes}`, `{who}` and `{chosen}` whoever reads: words for another
    reader without them would lose what was refused; with another one, show it unfilled."""
    import dataclasses

    from reprisal_cli.kb.rules import ReaderTexts

    for wrong in ("Tell them what the person refused.", "Tell them about {who}."):
        with pytest.raises(ValueError, match="same placeholders as tell_helpers_limits"):
            dataclasses.replace(kb.safety, for_other=ReaderTexts(tell_helpers_limits=wrong))
    right = ReaderTexts(tell_helpers_limits="Tell them what was refused ({purposes}).")
    assert dataclasses.replace(kb.safety, for_other=right).for_reader("other").tell_helpers_limits


# -- The rest of the plan when the person answers for themselves (issue 21, point 6) -----------
# A defender answering for themselves read "agree on this with the person at risk first", "say
# what the person at risk agrees may be shared" and "a letter about the person at risk will
# become public later", as if the plan were about someone else. The steps', the bodies' and the
# reprisals' texts now read right to both readers; `for_other` keeps the words another reader
# needs. Checked over the examples answered by the person and answers files of the main rules
# a free person meets (threats, a travel ban, exile, publicity refused, Africa, engaged): the
# person held or missing is always answered for by someone else.
SELF_PLANS = [
    *(p for p in sorted(EXAMPLES.glob("*.yaml")) if load_answers(p).respondent == "self"),
    *sorted((Path(__file__).parent / "data" / "self_plans").glob("*.yaml")),
]
ABOUT_SOMEONE_ELSE = re.compile(r"person at risk|the person's|the person agrees", re.IGNORECASE)
# Sentences of the rendered plan that may still say so, each with its reason.
STILL_SAID: dict[str, str] = {
    # The reader's own answer, quoted in a "Why: you answered ..." line.
    "I am the person at risk": "the answer the reader chose",
}


def test_the_held_back_labels_speak_to_their_reader() -> None:
    """The renderer's reason for each held-back step (render/labels.py): "until you agree" in the
    person's own plan, "until the person agrees" in another reader's; a withdrawn consent in
    words, never the gate's key."""
    from reprisal_cli.render import labels

    for gate in (*labels.GATES, *labels.GATES_PERSON):
        own, theirs = labels.gate(gate, "person"), labels.gate(gate, "other")
        assert gate not in own and gate not in theirs, gate
        if gate in labels.GATES_PERSON:
            assert "person" not in own and "you" in own, gate
        assert "you" not in theirs.split(), gate
    assert (
        labels.gate("consent_revoked", "other") == "held back: the consent it needs was withdrawn"
    )


def _about_someone_else(text: str) -> list[str]:
    flat = " ".join(text.split())
    for allowed in STILL_SAID:
        flat = flat.replace(allowed, "")
    sentences = re.split(r"(?<=[.!?:;])\s+", flat)
    return [s for s in sentences if ABOUT_SOMEONE_ELSE.search(s)]


def test_self_plans_cover_the_main_rules() -> None:
    answers = [load_answers(p) for p in SELF_PLANS]
    assert len(answers) >= 9
    assert all(a.respondent == "self" for a in answers)
    reprisals = {r for a in answers for r in (a.reprisals or ())}
    assert {"threats", "travel_ban", "transnational_repression", "sexual_violence"} <= reprisals
    assert "no" in {a.consent_publicity for a in answers}
    assert {"home_country", "abroad"} <= {a.location for a in answers}


@pytest.mark.parametrize("path", SELF_PLANS, ids=lambda p: p.stem)
def test_the_persons_own_plan_never_speaks_of_them_as_the_person_at_risk(
    kb: KnowledgeBase, path: Path
) -> None:
    """The whole rendered plan (steps, advice from the bodies and the reprisals, contacts,
    risk, warnings, steps held back) says "you" or names no one, never "the person at risk"."""
    from reprisal_cli.render import RenderOptions, render

    plan = evaluate(load_answers(path), kb, as_of=AS_OF)
    assert plan.audience == "person"
    out = render(plan, "txt", kb, RenderOptions(full=True))
    assert isinstance(out, str)
    assert _about_someone_else(out) == []
    assert [t for t in plan_texts(plan) if _about_someone_else(t)] == []


# Advice (the reprisals' mitigations, data/risks.yaml) is shown to every reader: none may speak
# as if the reader were the person at risk deciding for themselves (red team 2026-12-03: a
# relative read "You decide what is shared and with whom").
PERSON_ONLY = re.compile(
    r"\byou decide\b|\byour (own )?decision\b|\byou still have\b|\bfits you\b|"
    r"\ba lawyer you trust\b|\byou think\b|\byou notice\b",
    re.IGNORECASE,
)


def test_no_advice_speaks_as_if_the_reader_were_the_person_at_risk(kb: KnowledgeBase) -> None:
    said = {
        (risk.id, text)
        for risk in kb.risks.values()
        for text in risk.mitigation_texts()
        if PERSON_ONLY.search(text)
    }
    assert said == set()
