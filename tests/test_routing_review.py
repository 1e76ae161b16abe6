"""Routing findings of the caseworker review left open in issue 21 (2026-12): the contact for
Inter-American measures already in force, the removal steps of an exile with no removal risk
answered, the embassy caution said once, and a self-answered 'missing' location."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from reprisal_cli.answers import answers_from_data
from reprisal_cli.cli import app
from reprisal_cli.contract import ANSWERS_SCHEMA
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.render import RenderOptions
from reprisal_cli.render.text import plan_text

AS_OF = dt.date(2026, 12, 2)
REMOVAL = {
    "stop_removal_lawyer",
    "removal_ecthr_rule39",
    "removal_ecthr_rule39_if_party",
    "removal_un_committees",
    "removal_cat_if_accepted",
}


def plan(kb: KnowledgeBase, **values: Any) -> Any:
    answers = answers_from_data({"schema": ANSWERS_SCHEMA, **values}, "test")
    return evaluate(answers, kb, as_of=AS_OF)


def test_measures_in_force_go_to_the_measure_file_not_the_new_request_form(
    kb: KnowledgeBase,
) -> None:
    result = plan(
        kb,
        state="NI",
        stage="reprisal_suffered",
        reprisals=["surveillance", "threats"],
        measures_in_force=["inter_american_commission"],
        consent={"share_with_un": "yes", "share_with_regional": "yes"},
    )
    step = next(s for s in result.steps if s.id == "extend_inter_american_measures")
    ids = [c.id for c in step.contacts]
    assert ids[0] == "iachr_measures_in_force_web"
    assert "iachr_precautionary_measures_web" not in ids  # the new-request form


def test_an_exile_with_no_removal_risk_answered_gets_the_removal_steps_later(
    kb: KnowledgeBase,
) -> None:
    result = plan(
        kb,
        respondent="self",
        state="CN",
        residence="GB",
        location="abroad",
        stage="reprisal_suffered",
        reprisals=["transnational_repression", "threats_to_family"],
        consent={"share_with_un": "yes"},
    )
    removal = [s for s in result.steps if s.id in REMOVAL]
    assert removal
    assert {s.urgency for s in removal} == {"later"}


def test_an_exile_held_where_they_live_gets_the_removal_steps_first(kb: KnowledgeBase) -> None:
    result = plan(
        kb,
        respondent="family",
        state="BH",
        residence="GB",
        location="in_detention",
        stage="reprisal_suffered",
        reprisals=["criminal_charges"],
        consent={"share_with_un": "yes"},
    )
    removal = [s for s in result.steps if s.id in REMOVAL]
    assert removal
    assert "later" not in {s.urgency for s in removal}


def test_the_embassy_caution_is_said_once(kb: KnowledgeBase) -> None:
    result = plan(
        kb,
        respondent="self",
        state="BH",
        location="home_country",
        stage="reprisal_suffered",
        engagement=["human_rights_council"],
        reprisals=["threats", "surveillance"],
        consent={"share_with_un": "yes", "share_with_states": "yes"},
    )
    diplomatic = [s for s in result.steps if s.kind == "diplomatic"]
    assert len(diplomatic) == 2
    full = kb.safety.embassy_visibility
    # Each step carries the caution (contract gate 5); the plan's warning names both, and the
    # full views say it once there, each step referring to it (caseworker review 6, C4).
    assert all(full in s.detail for s in diplomatic)
    warning = next(w for w in result.warnings if w.id == "embassy_visibility")
    assert warning.steps == tuple(s.id for s in diplomatic)
    view = plan_text(result, kb, RenderOptions(full=True))
    details = view[view.index("Steps, most urgent first") :]
    assert " ".join(details.split()).count(" ".join(full.split())) == 1


def test_self_and_missing_is_a_warning_not_a_refusal(tmp_path: Path) -> None:
    """The questionnaire keeps a self-answered 'missing' brought in from a file (test_flow), and
    a person in hiding may read it as theirs: the plan is made and says the answers disagree."""
    runner = CliRunner()
    for location, warned in (("whereabouts_unknown", True), ("in_detention", False)):
        path = tmp_path / f"{location}.yaml"
        path.write_text(
            f"schema: reprisal-cli/answers/v1.1\nrespondent: self\nlocation: {location}\n"
            "stage: reprisal_suffered\nreprisals: [threats]\n",
            encoding="utf-8",
        )
        result = runner.invoke(
            app, ["plan", str(path), "--format", "json", "--as-of", "2026-12-02"]
        )
        assert result.exit_code == 0, result.output
        assert ('"answers_self_missing"' in result.output) is warned
