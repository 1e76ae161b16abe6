"""The step that says "know whom to call" shows, first, a number to call (caseworker review 6,
B3): the 24-hour line for defenders, not a website, in the short plan, which shows one contact
per step."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reprisal_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _plan(example: str, *options: str) -> str:
    """An example's plan as the CLI writes it, on the day of the reviews."""
    path = str(ROOT / "examples" / f"{example}.yaml")
    result = CliRunner().invoke(app, ["plan", path, *options, "--as-of", "2026-12-05"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_security_plan_step_leads_with_the_24_hour_line() -> None:
    plan = json.loads(_plan("planning_first_session", "--format", "json"))
    steps = {s["id"]: s for s in plan["steps"]}
    first = steps["make_security_plan"]["contacts"][0]
    assert (first["channel"], first["hours"]) == ("phone", "24 hours a day, every day")


def test_a_step_an_unanswered_question_brings_says_so() -> None:
    """The device step is in the plan because nobody said whether the devices may be watched
    (read as the riskiest answer, contract §3 gate 7), not in every plan (caseworker review 7);
    the 24-hour line too is there because nobody said whether someone is in danger now (gate 3:
    kept at its place), not in every plan: bahrain_2012, which says no, has none (caseworker
    review 8, C5)."""
    flat = " ".join(_plan("minimal_unknown", "--full", "--format", "txt").split())
    assert "Why: not answered (Could the aggressor see the phone, computer or accounts" in flat
    assert "the plan keeps this step in case it is needed." in flat
    assert "Why: part of every plan." not in flat
    bahrain = json.loads(_plan("bahrain_2012", "--format", "json"))
    assert "emergency_help_now" not in {s["id"] for s in bahrain["steps"]}


def test_the_security_plan_says_where_to_report_a_reprisal_to_the_un_body() -> None:
    """Know the reprisal contacts of the body in advance (domain review G; caseworker review 8,
    B4): in words, as no contact may make the step share with the UN."""
    plan = json.loads(_plan("planning_first_session", "--format", "json"))
    step = {s["id"]: s for s in plan["steps"]}["make_security_plan"]
    flat = " ".join(step["detail"].split())
    assert "How to share information about cases of intimidation and reprisals" in flat
    assert "the NGO Liaison team of its secretariat" in flat
    assert not step["shares_with_un"]
