"""engine.evaluate as a whole, on the small test knowledge base: what the plan carries besides its
steps (case, date, knowledge base, language), the warnings it adds and their order, and how a
step's detail is put together."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reprisal_cli.answers import Answers, answers_from_data
from reprisal_cli.contract import ANSWERS_SCHEMA
from reprisal_cli.engine.evaluate import evaluate, translated
from reprisal_cli.engine.plan import Plan, Step
from reprisal_cli.kb.base import fill
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import load_kb

TEST_KB = Path(__file__).parent / "data" / "engine_kb"
AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def small_kb() -> KnowledgeBase:
    return load_kb(TEST_KB)


def answers(**values: Any) -> Answers:
    return answers_from_data({"schema": ANSWERS_SCHEMA, **values}, "<test>")


def plan_for(kb: KnowledgeBase, **values: Any) -> Plan:
    return evaluate(answers(**values), kb, as_of=AS_OF)


def step(plan: Plan, ident: str) -> Step:
    return next(s for s in plan.steps if s.id == ident)


def warning_ids(plan: Plan) -> list[str]:
    return [w.id for w in plan.warnings]


def test_the_plan_carries_its_case_date_and_knowledge_base(small_kb: KnowledgeBase) -> None:
    plan = plan_for(small_kb, case_id="case-7", reprisals=["threats"])
    assert (plan.case_id, plan.as_of, plan.lang, plan.lang_reviewed) == (
        "case-7",
        "2026-11-25",
        "en",
        True,
    )
    assert (plan.kb.version, plan.kb.fingerprint) == (small_kb.meta.version, small_kb.fingerprint)
    assert (plan.kb.custom, plan.kb.modified) == (True, False)
    assert plan.risk.level == "high"
    assert [s.priority for s in plan.steps] == list(range(1, len(plan.steps) + 1))


def test_a_custom_or_changed_knowledge_base_is_said_with_its_text(small_kb: KnowledgeBase) -> None:
    safety = small_kb.safety
    custom = {w.id: w.text for w in plan_for(small_kb).warnings}
    assert custom["custom_kb"] == safety.custom_kb
    assert "modified_kb" not in custom
    changed = dataclasses.replace(small_kb, custom=False, modified=True)
    found = {w.id: w.text for w in plan_for(changed).warnings}
    assert found["modified_kb"] == safety.modified_kb
    assert "custom_kb" not in found
    assert warning_ids(plan_for(changed))[-1] == "modified_kb"


def test_a_language_without_translation_gives_english_with_a_warning(
    small_kb: KnowledgeBase,
) -> None:
    plan = evaluate(answers(), small_kb, as_of=AS_OF, lang="fr")
    assert (plan.lang, plan.lang_reviewed) == ("en", True)
    found = {w.id: w.text for w in plan.warnings}
    assert found["translation_missing"] == small_kb.safety.translation_missing
    assert warning_ids(plan)[-1] == "translation_missing"
    english = evaluate(answers(), small_kb, as_of=AS_OF, lang="en")
    assert "translation_missing" not in warning_ids(english)


def test_a_translated_plan_is_in_the_language_asked_for(kb: KnowledgeBase) -> None:
    given = answers(reprisals=["threats"], engagement=["special_procedures"])
    french = evaluate(given, kb, as_of=AS_OF, lang="fr")
    translation = kb.translations["fr"]
    assert (french.lang, french.lang_reviewed) == ("fr", translation.reviewed)
    assert "translation_missing" not in warning_ids(french)
    english = evaluate(given, kb, as_of=AS_OF)
    assert english.lang == "en"
    assert [s.id for s in french.steps] == [s.id for s in english.steps]
    assert [s.title for s in french.steps] != [s.title for s in english.steps]
    # A knowledge base already in French gives a French plan whatever `lang` says.
    already = translated(kb, translation)
    assert already.lang == "fr"
    assert evaluate(given, already, as_of=AS_OF, lang="en") == french
    assert translated(kb, None) is kb
    assert translated(kb, translation) is already  # computed once per language


def test_an_imminent_threat_reduces_exposure_first(small_kb: KnowledgeBase) -> None:
    text = small_kb.safety.reduce_exposure_first
    for values in (
        {"immediate_danger": True, "reprisals": ["threats"]},
        {"reprisals": ["threats", "detention"]},
    ):
        plan = plan_for(small_kb, **values)
        assert plan.warnings[0].id == "no_physical_protection"
        assert (plan.warnings[1].id, plan.warnings[1].text) == ("reduce_exposure_first", text)
        assert plan.steps[-1].id == "training", values
    calm = plan_for(small_kb, reprisals=["threats"], immediate_danger=False)
    assert "reduce_exposure_first" not in warning_ids(calm)
    assert calm.steps[-1].id != "training"


def test_a_rule_warning_comes_once_after_the_gates_warnings(small_kb: KnowledgeBase) -> None:
    plan = plan_for(small_kb, reprisals=["threats"], location="home_country")
    ids = warning_ids(plan)
    assert ids.count("rule_warning") == 1
    texts = {w.id: w.text for w in plan.warnings}
    assert texts["rule_warning"] == "A warning from a rule."
    assert ids.index("rule_warning") > ids.index("no_physical_protection")
    assert ids.index("rule_warning") > ids.index("unknown_answers_cautious")
    assert "rule_warning" not in warning_ids(plan_for(small_kb, stage="planning"))


def test_a_steps_detail_is_its_text_then_each_addition_in_a_paragraph(
    small_kb: KnowledgeBase,
) -> None:
    safety = small_kb.safety
    plan = plan_for(small_kb, engagement=["special_procedures"])
    letter = step(plan, "confidential_letter")
    template = next(
        t for rule in small_kb.rules for t in rule.then.steps if t.id == "confidential_letter"
    )
    assert letter.detail == f"{template.detail}\n\n{safety.un_may_raise_with_state}"
    # The UN consent is not given: the title says the step waits for it (the short plan shows
    # titles only; caseworker review 2026-12-04).
    small = template.title[0].lower() + template.title[1:]
    assert letter.title == safety.if_agreed_title.replace("{title}", small)
    assert letter.kind == template.kind
    given = step(plan_for(small_kb, engagement=["special_procedures"],
                          consent_share_with_un="yes"), "confidential_letter")  # fmt: skip
    assert given.title == template.title
    committee = step(
        plan_for(
            small_kb, engagement="treaty_bodies", treaty_body="cat", consent_share_with_un="yes"
        ),
        "notify_committee",
    )
    where = "Test Committee against Torture, reprisals rapporteur: https://example.org/cat"
    named = safety.named_committee.replace("{body}", "Test Committee against Torture").replace(
        "{where}", "https://example.org/cat"
    )
    found = safety.find_contact_at.replace("{where}", where)
    assert committee.detail == f"d\n\n{named}\n\n{found}"


def test_contacts_to_check_and_stale_ones_are_warned_about(small_kb: KnowledgeBase) -> None:
    plan = plan_for(small_kb, engagement="special_procedures")
    found = {w.id: w.text for w in plan.warnings}
    # None of the test files' contacts is confirmed: the plan says so, once.
    assert found["no_contact_confirmed"] == small_kb.safety.no_contact_confirmed
    stale = found["stale_contacts"]
    assert "sp@example.org (checked 2020-01-01)" in stale
    assert stale.startswith(small_kb.safety.stale_contact.split("{contacts}")[0])
    # Only the contacts the plan shows: none here, so neither warning.
    quiet = plan_for(small_kb, stage="planning", immediate_danger=False, devices_compromised=False)
    assert not {"check_current_contact", "no_contact_confirmed", "stale_contacts"} & set(
        warning_ids(quiet)
    )


def test_a_plan_whose_contacts_are_all_unconfirmed_says_so_once(kb: KnowledgeBase) -> None:
    """Caseworker review 5, C7: every contact of the plans was `check_current`, the fallbacks
    too, so "use the contact listed after them" sent the reader to another unconfirmed one. The
    plan says once, plainly, that none is confirmed, and what to do instead."""
    plan = evaluate(
        answers(engagement="special_procedures", reprisals=["threats"]),
        kb,
        as_of=dt.date(2026, 12, 5),
    )
    assert all(c.status == "check_current" for step in plan.steps for c in step.contacts)
    ids = warning_ids(plan)
    assert ids.count("no_contact_confirmed") == 1
    assert "check_current_contact" not in ids  # its "contact listed after them" is no better
    text = {w.id: w.text for w in plan.warnings}["no_contact_confirmed"]
    assert text == kb.safety.no_contact_confirmed
    assert text.startswith("None of the contacts in this plan has been confirmed in the last year")


def test_a_plan_with_a_confirmed_contact_does_not_say_none_is(
    small_kb: KnowledgeBase, tmp_path: Path
) -> None:
    plan = plan_for(small_kb, engagement="special_procedures")
    assert "no_contact_confirmed" in warning_ids(plan)  # none confirmed in the test files
    # Confirmed on the official page a month before the plan: the usual warning, not this one.
    shutil.copytree(TEST_KB, tmp_path / "kb")
    mechanisms = tmp_path / "kb" / "mechanisms.yaml"
    text = mechanisms.read_text(encoding="utf-8")
    old = (
        '        value: "reprisals@example.org"\n        status: confirmed\n'
        '        source: "test"\n        source_date: 2026-10-01\n'
        "        last_confirmed: {how: not_confirmed}\n"
    )
    assert text.count(old) == 1
    mechanisms.write_text(
        text.replace(
            old, old.replace("{how: not_confirmed}", "{how: official_page, date: 2026-10-01}")
        ),
        encoding="utf-8",
    )
    plan = plan_for(load_kb(tmp_path / "kb"), engagement="special_procedures")
    assert any(c.status == "confirmed" for step in plan.steps for c in step.contacts)
    assert "no_contact_confirmed" not in warning_ids(plan)
    assert "check_current_contact" in warning_ids(plan)


@pytest.mark.parametrize(
    ("values", "speaks_to"),
    [
        ({}, "other"),  # nobody said who answers (contract §2: `person` when the person did)
        ({"respondent": "self"}, "person"),
        ({"respondent": "self", "location": "home_country"}, "person"),
        ({"respondent": "family"}, "other"),
        ({"respondent": "lawyer", "location": "home_country"}, "other"),
        ({"respondent": "self", "location": "in_detention"}, "other"),
        ({"location": "whereabouts_unknown"}, "other"),
    ],
)
def test_the_plan_speaks_to_someone_else_when_they_answer_or_the_person_cannot_act(
    small_kb: KnowledgeBase, values: dict[str, Any], speaks_to: str
) -> None:
    assert plan_for(small_kb, reprisals=["threats"], **values).audience == speaks_to


@pytest.mark.parametrize(("respondent", "theirs"), [("self", False), ("family", True)])
def test_the_danger_now_threat_is_worded_for_the_reader(
    kb: KnowledgeBase, respondent: str, theirs: bool
) -> None:
    plan = plan_for(kb, respondent=respondent, immediate_danger=True, reprisals=["threats"])
    other = kb.safety.for_reader("other").threat_immediate_danger
    assert other != kb.safety.threat_immediate_danger
    danger = next(t for t in plan.risk.threats if t.id == "immediate_danger")
    assert danger.text == (other if theirs else kb.safety.threat_immediate_danger)


@pytest.mark.parametrize(
    ("values", "level", "line"),
    [
        ({"stage": "reprisal_suffered", "reprisals": ["threats", "surveillance"]}, "high", True),
        ({"location": "in_detention", "respondent": "family"}, "critical", True),
        ({"stage": "planning"}, "low", False),
    ],
)
def test_a_grave_risk_keeps_the_emergency_line_without_danger_now(
    kb: KnowledgeBase, values: dict[str, Any], level: str, line: bool
) -> None:
    """Gate 3, extended: a high or critical risk keeps the 24-hour line when the answers say no
    danger now (not for now then); a calm plan has none."""
    plan = plan_for(kb, immediate_danger=False, **values)
    assert plan.risk.level == level
    emergency = [s for s in plan.steps if s.id == kb.safety.emergency_step.id]
    assert bool(emergency) is line
    assert all(s.urgency != "now" for s in emergency)


def test_the_mechanisms_a_plan_points_to(kb: KnowledgeBase) -> None:
    """`named_mechanisms` (the draft's recipients): the mechanisms among a step's contacts as the
    plan gives them (the urgent mechanisms of what happened, the committee of `treaty_body`) and
    the bodies a rule names, only for rules that hold."""
    from reprisal_cli.engine.evaluate import named_mechanisms

    held = set(named_mechanisms(
        answers(
            respondent="family", state="EG", location="in_detention", stage="reprisal_suffered",
            engagement=["special_procedures", "treaty_bodies"], treaty_body=["cat"],
            reprisals=["detention"], profile=["lawyer"], consent_share_with_un="yes",
        ),
        kb,
    ))  # fmt: skip
    assert {"wgad", "tb_cat", "sr_judges_lawyers", "sr_hrd", "sp_communications"} <= held
    assert not {"wgeid", "sr_vaw", "sr_freedom_expression"} & held
    assert held <= kb.mechanisms.keys()
    calm = set(named_mechanisms(answers(stage="planning", engagement=["special_procedures"]), kb))
    assert not {"wgad", "sr_judges_lawyers"} & calm


@given(
    st.text(alphabet="{}abdte_ é", max_size=20),
    st.text(alphabet="{}abdte_ é", max_size=20),
)
def test_fill_puts_each_value_in_once_and_never_reads_it_again(first: str, second: str) -> None:
    """A knowledge-base text's places are filled in one pass: a name added with --kb-add or a
    case file's words that hold "{date}" or "{to}" stay as written (red team red28: chained
    replacements spliced the date into a contact's name)."""
    template = "{owner}: {value} ({date}) {unknown}"
    filled = fill(template, owner=first, value=second, date="2026-01-02")
    assert filled == f"{first}: {second} (2026-01-02) {{unknown}}"


def test_a_stale_contact_whose_value_holds_a_place_stays_as_written(kb: KnowledgeBase) -> None:
    from reprisal_cli.engine.evaluate import _stale_item

    contact = next(c for c in kb.contacts.values() if c.last_confirmed.date is not None)
    odd = dataclasses.replace(contact, value="desk {date} {owner}")
    day = contact.last_confirmed.date
    assert day is not None
    item = _stale_item(kb, "OHCHR", odd)
    assert "desk {date} {owner}" in item and day.isoformat() in item
