"""The step that says "know whom to call" shows, first, a number to call (caseworker review 6,
B3): the 24-hour line for defenders, not a website, in the short plan, which shows one contact
per step."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reprisal_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]


def test_the_security_plan_step_leads_with_the_24_hour_line() -> None:
    result = CliRunner().invoke(
        app,
        [
            "plan",
            str(ROOT / "examples" / "planning_first_session.yaml"),
            "--format",
            "json",
            "--as-of",
            "2026-12-05",
        ],
    )
    assert result.exit_code == 0, result.output
    steps = {s["id"]: s for s in json.loads(result.output)["steps"]}
    first = steps["make_security_plan"]["contacts"][0]
    assert (first["channel"], first["hours"]) == ("phone", "24 hours a day, every day")


def test_a_step_an_unanswered_question_brings_says_so_and_the_emergency_step_is_in_every_plan() -> (
    None
):
    """The device step is in the plan because nobody said whether the devices may be watched
    (read as the riskiest answer, contract §3 gate 7), not in every plan; the 24-hour line is
    in every plan (caseworker review 7)."""
    result = CliRunner().invoke(
        app,
        [
            "plan",
            str(ROOT / "examples" / "minimal_unknown.yaml"),
            "--full",
            "--format",
            "txt",
            "--as-of",
            "2026-12-05",
        ],
    )
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Why: not answered (Could the aggressor see the phone, computer or accounts" in flat
    # Once in the summary and once in the full step: the emergency step only.
    assert flat.count("Why: part of every plan.") == flat.count("Why: not answered (") == 2
