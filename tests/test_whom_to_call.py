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
