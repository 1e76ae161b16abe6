"""Red team round 49: the first contact of a lawyer's legal step when speed does not decide,
through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from red_support import LAWYER_CHARGED, run
from reprisal_cli.kb.loader import load_kb

KB = load_kb()


def _plan(tmp_path: Path, text: str, *extra: str) -> Any:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    made = run("plan", path, "--as-of", "2026-12-05", *extra)
    assert made.exit_code == 0, made.output
    return made


def test_a_page_that_gives_no_channel_for_cases_does_not_lead_the_lawyers_legal_step(
    tmp_path: Path,
) -> None:
    """Harm: the short plan of a lawyer charged and disbarred (no danger, detention or harm to
    the body) gave one contact for "Get a lawyer, and help with legal costs": Lawyers for
    Lawyers' page, which the plan itself labels "no direct channel for cases confirmed here",
    from an organisation that does not pay legal costs. The short plan and the card show a
    step's first contact alone: the one to use when only one can be tried. A page the plan says
    takes no case is not it. The lawyers' organisation stays in the step (caseworker review 6,
    B4), after the first one that gives a way in. Failed on 895ae41."""
    plan = json.loads(_plan(tmp_path, LAWYER_CHARGED, "-f", "json").stdout)
    step = next(s for s in plan["steps"] if s["id"] == "legal_support")
    owners = [KB.contact_owner[c["id"]].id for c in step["contacts"]]
    assert "lawyers_for_lawyers" in owners
    assert owners[0] != "lawyers_for_lawyers", owners
    short = " ".join(_plan(tmp_path, LAWYER_CHARGED, "-f", "md").stdout.split())
    legal = short.split("Get a lawyer, and help with legal costs", 1)[1].split("Why:", 1)[0]
    assert "no direct channel for cases" not in legal, legal
