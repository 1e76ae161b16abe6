"""Named bodies (issue 21 point 5): a committee and the thematic mandates are named in the step
that notifies, one line each, never a step each and never twice."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from reprisal_cli.answers import answers_from_data
from reprisal_cli.contract import ANSWERS_SCHEMA
from reprisal_cli.engine.evaluate import evaluate, translated
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import load_kb

AS_OF = dt.date(2026, 11, 25)
ROOT = Path(__file__).resolve().parents[1]


def _plan(kb: KnowledgeBase, **answers: Any) -> Plan:
    return evaluate(answers_from_data({"schema": ANSWERS_SCHEMA, **answers}, "t"), kb, as_of=AS_OF)


def test_the_committee_is_named_as_the_one_to_tell(kb: KnowledgeBase) -> None:
    plan = _plan(kb, engagement="treaty_bodies", treaty_body=["cedaw"], stage="reprisal_suffered")
    step = next(s for s in plan.steps if s.id == "notify_treaty_body")
    name = kb.mechanisms["tb_cedaw"].name
    assert f"The committee to tell: {name}." in step.detail


def test_each_body_is_one_line_in_one_step_and_adds_no_step(kb: KnowledgeBase) -> None:
    answers = {
        "engagement": ["special_procedures", "treaty_bodies"],
        "treaty_body": ["cat"],
        "stage": "reprisal_suffered",
        "reprisals": ["detention", "terrorism_label", "organisation_restrictions"],
    }
    plain = _plan(kb, **answers)
    named = _plan(kb, **answers, profile=["lawyer", "journalist", "woman_defender"])
    assert [s.id for s in named.steps] == [s.id for s in plain.steps]
    text = "\n".join(s.detail for s in named.steps)
    for mech_id in ("sr_judges_lawyers", "sr_freedom_expression", "sr_vaw", "sr_foaa"):
        assert text.count(kb.mechanisms[mech_id].name) == 1, mech_id
    urgent = next(s for s in named.steps if s.id == "urgent_appeal_special_procedures")
    assert kb.mechanisms["sr_counter_terrorism"].name in urgent.detail  # the first 'under' step
    assert any(w.rule == "name_sr_counter_terrorism" for w in urgent.why)


def test_a_body_the_step_already_lists_is_not_named_again(kb: KnowledgeBase) -> None:
    plan = _plan(
        kb, engagement="special_procedures", stage="reprisal_suffered", reprisals=["threats"]
    )
    step = next(s for s in plan.steps if s.id == "notify_special_procedures")
    assert kb.mechanisms["sr_hrd"].name not in step.detail  # it is the step's own contact
    # Nor in the senior official's step: the special procedures step already reaches them, and
    # a second "also address it to" is a second message to the same expert (caseworker
    # review 5, C2).
    un = next(s for s in plan.steps if s.id == "report_to_un_reprisals_official")
    assert kb.mechanisms["sr_hrd"].name not in un.detail
    assert "hrc-sr-defenders@un.org" in [c.value for c in step.contacts]


def test_the_defenders_rapporteur_is_named_where_no_step_lists_them(kb: KnowledgeBase) -> None:
    plan = _plan(kb, engagement="treaty_bodies", stage="reprisal_suffered", reprisals=["threats"])
    assert all("hrc-sr-defenders@un.org" not in [c.value for c in s.contacts] for s in plan.steps)
    # In the UN experts' own step, through their form, not in the senior official's step
    # (caseworker review 6, B9).
    experts = next(s for s in plan.steps if s.id == "write_to_un_experts")
    assert kb.mechanisms["sr_hrd"].name in experts.detail
    un = next(s for s in plan.steps if s.id == "report_to_un_reprisals_official")
    assert kb.mechanisms["sr_hrd"].name not in un.detail


def test_with_an_urgent_appeal_the_experts_are_told_in_it_not_a_second_time(
    kb: KnowledgeBase,
) -> None:
    answers = {
        "engagement": ["special_procedures"],
        "stage": "reprisal_suffered",
        "reprisals": ["detention"],
        "consent": {"share_with_un": "yes"},
    }
    plan = _plan(kb, **answers)
    ids = [s.id for s in plan.steps]
    assert "notify_special_procedures" not in ids
    urgent = next(s for s in plan.steps if s.id == "urgent_appeal_special_procedures")
    assert "in this same submission rather than in a second submission" in urgent.detail
    assert any(w.rule == "notify_mechanism_sp" for w in urgent.why)
    # Without the urgent appeal the experts get their own step, as before.
    calm = _plan(kb, **{**answers, "reprisals": ["smear_campaign"]})
    assert "notify_special_procedures" in [s.id for s in calm.steps]
    assert all("in this same submission" not in s.detail for s in calm.steps)


def test_named_bodies_are_translated(kb: KnowledgeBase) -> None:
    plan = evaluate(
        answers_from_data(
            {
                "schema": ANSWERS_SCHEMA,
                "engagement": "treaty_bodies",
                "treaty_body": ["cat"],
                "profile": ["lawyer"],
                "stage": "reprisal_suffered",
            },
            "t",
        ),
        kb,
        as_of=AS_OF,
        lang="fr",
    )
    text = "\n".join(s.detail for s in plan.steps)
    assert (
        "Rapporteur spécial des Nations Unies sur l'indépendance des juges et des avocats" in text
    )
    assert "Le comité à informer : " in text


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar", "ru", "zh"])
@pytest.mark.parametrize("mech_id", ["sp_country_mandate", "sr_hrd"])
def test_a_named_body_s_condition_follows_its_how_as_a_sentence(
    kb: KnowledgeBase, lang: str, mech_id: str
) -> None:
    """A body only named in a step brings its first condition after "How: ...", whose text may
    end with a link or a bracket and no full stop: the two read as one sentence ("...
    /special-procedures Most country mandates run one year at a time")."""
    answers = answers_from_data(
        yaml.safe_load((ROOT / "examples" / "burundi_2016.yaml").read_text(encoding="utf-8")),
        "burundi",
    )
    plan = evaluate(answers, kb, as_of=AS_OF, lang=lang)
    local = translated(kb, kb.translations.get(lang)) if lang != "en" else kb
    condition = local.mechanisms[mech_id].conditions[0].text
    text = "\n".join(s.detail for s in plan.steps)
    assert condition in text, (lang, mech_id)
    before = text[: text.index(condition)]
    assert before[-1:] in (" ", "") or lang == "zh", before[-80:]
    assert before.rstrip()[-1] in ".。!?！？–", before[-80:]
    # A link is never followed by a full stop, which would be copied with it.
    assert not re.search(r"https?://\S*[.。]\s", text), text


def test_a_step_that_only_carries_bodies_is_left_out_when_each_is_listed_elsewhere(
    tmp_path: Path,
) -> None:
    """The UN experts' own step (`carries_bodies`) names the experts no other step lists; when
    another step lists each of them among its contacts it would name no one, and the plan
    leaves it out rather than show an empty step (caseworker review 6, B9). No shipped step
    lists the defenders' rapporteur outside the special procedures' own steps, so a copy of the
    knowledge base gives the senior official's step that contact."""
    folder = tmp_path / "kb"
    shutil.copytree(
        ROOT / "data", folder, ignore=shutil.ignore_patterns("kb.snapshot", "MANIFEST.json")
    )
    rules = folder / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    old = "contacts: [ohchr_reprisals_senior_official]\n"
    assert text.count(old) == 1
    rules.write_text(
        text.replace(old, "contacts: [ohchr_reprisals_senior_official, sr_hrd]\n"),
        encoding="utf-8",
    )
    listed = load_kb(folder)
    answers = {"engagement": "universal_periodic_review", "stage": "reprisal_suffered"}
    assert "write_to_un_experts" in {s.id for s in _plan(load_kb(ROOT / "data"), **answers).steps}
    plan = _plan(listed, **answers)
    assert "write_to_un_experts" not in {s.id for s in plan.steps}
    assert "write_to_un_experts" not in {w.id for w in plan.withheld}


def test_a_step_says_for_which_states_only_the_bodies_it_names(tmp_path: Path) -> None:
    """A step's "only if the State responsible is a party" sentence is about the bodies it
    names: those of its `by_engagement` entries the person worked with, not every entry's
    (code reading of stop 36: the speak-publicly step spoke of the Escazú Agreement to someone
    who worked with the UPR only). A copy of the knowledge base gives the experts' entry a body
    that acts only for some States."""
    folder = tmp_path / "kb"
    shutil.copytree(
        ROOT / "data", folder, ignore=shutil.ignore_patterns("kb.snapshot", "MANIFEST.json")
    )
    rules = folder / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    old = (
        "            - engagement: [special_procedures]\n"
        "              contacts: [sp_communications]\n"
    )
    assert text.count(old) == 1
    rules.write_text(
        text.replace(
            old,
            "            - engagement: [special_procedures]\n"
            "              contacts: [sp_communications, escazu_committee]\n",
        ),
        encoding="utf-8",
    )
    kb = load_kb(folder)
    note = kb.mechanisms["escazu_committee"].party_note
    assert note
    answers = {
        "engagement": "universal_periodic_review",
        "stage": "reprisal_suffered",
        "consent_publicity": "yes",
        "consent_share_with_un": "yes",
    }
    upr = next(s for s in _plan(kb, **answers).steps if s.id == "ask_public_statement")
    assert note not in upr.detail
    experts = _plan(kb, **{**answers, "engagement": "special_procedures"})
    step = next(s for s in experts.steps if s.id == "ask_public_statement")
    assert note in step.detail


@pytest.mark.parametrize(
    "engagement",
    [["treaty_bodies"], ["treaty_bodies", "special_procedures", "human_rights_council"]],
)
def test_a_committee_given_by_engagement_is_named_in_the_step(
    kb: KnowledgeBase, engagement: list[str]
) -> None:
    """Issue 21 (fix59): the step asking a body to speak publicly gives the committee of
    `treaty_body` by `by_engagement` (the Burundi lawyers and the Committee against Torture);
    its words said "the committee concerned" and named none. It names it as the committee step
    does ("The committee to tell: …"); a committee the person did not work with is not named."""
    plan = _plan(
        kb,
        engagement=engagement,
        treaty_body=["cat"],
        stage="reprisal_suffered",
        consent_publicity="yes",
        consent_share_with_un="yes",
    )
    step = next(s for s in plan.steps if s.id == "ask_public_statement")
    assert "cat@ohchr.org" in [c.value for c in step.contacts]
    name = kb.mechanisms["tb_cat"].name
    assert step.detail.count(f"The committee to tell: {name}.") == 1, step.detail
    assert kb.mechanisms["tb_cedaw"].name not in step.detail


def test_the_experts_step_says_the_name_goes_to_the_government_only_with_consent(
    kb: KnowledgeBase,
) -> None:
    """Meaning readings 52 and 54: the UN experts' step said "The name goes to the government",
    then "ask for this in the submission: the name still goes to the government", read in every
    language as going even without the person's consent. Every sentence that sends the name to
    the government says the condition."""
    template = next(t for r in kb.rules for t in r.then.steps if t.id == "write_to_un_experts")
    detail = " ".join(template.detail.split())
    for sentence in detail.split(". "):
        if "name" in sentence and "government" in sentence and "goes" in sentence:
            assert "consent" in sentence, sentence
