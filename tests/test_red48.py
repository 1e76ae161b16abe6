"""Red team round 48: steps joined, the device advice for the held or missing, the regional
24-hour line, the lawyers' organisations and the travel caution, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from red_support import LAWYER_CHARGED, run
from reprisal_cli.kb.loader import load_kb

KB = load_kb()


# A lawyer attacked in Colombia, in danger now.
LAWYER_ATTACKED = """\
schema: reprisal-cli/answers/v1.1
respondent: self
profile: [lawyer]
state: CO
engagement: [special_procedures]
stage: reprisal_suffered
reprisals: [physical_attack, criminal_charges, threats]
location: home_country
immediate_danger: true
devices_compromised: false
consent: {share_with_un: "yes", publicity: "no", given_by: person}
"""


def _plan(tmp_path: Path, text: str, *extra: str) -> dict[str, Any]:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    made = run("plan", path, "-f", "json", "--as-of", "2026-12-05", *extra)
    assert made.exit_code == 0, made.output
    return dict(json.loads(made.stdout))


def _owners(step: dict[str, Any]) -> list[str]:
    """The organisations or bodies of a step's contacts, in order, without repeats."""
    return list(dict.fromkeys(KB.contact_owner[c["id"]].id for c in step["contacts"]))


def _answers_fast(owner: str) -> bool:
    org = KB.organisations[owner]
    return org.urgent or org.emergency_line


@pytest.mark.parametrize(
    ("answers", "step"),
    [
        (LAWYER_CHARGED + "immediate_danger: true\n", "legal_support"),
        (LAWYER_ATTACKED, "organisation_emergency_support"),
    ],
)
def test_a_lawyers_organisation_that_does_not_answer_fast_does_not_lead_the_step(
    tmp_path: Path, answers: str, step: str
) -> None:
    """For a lawyer, the lawyers' own organisations led the legal step and the urgent-support
    step (their profile first), though neither answers fast: Lawyers for Lawyers' only contact
    is a page "no direct channel for cases confirmed here", the Observatory for Lawyers in
    Danger verifies and assesses each case before it helps. The short plan and the card show
    only a step's first contact: the one to use when only one can be tried, so one that answers
    fast when there is danger, a detention, a disappearance or harm to the body; the lawyers'
    organisation stays in the step after it (red48)."""
    steps = {s["id"]: s for s in _plan(tmp_path, answers)["steps"]}
    owners = _owners(steps[step])
    assert _answers_fast(owners[0]), owners
    assert {"lawyers_for_lawyers", "observatory_lawyers_in_danger"} & set(owners), owners


def test_without_danger_the_lawyers_organisation_leads_the_lawyers_step(tmp_path: Path) -> None:
    """Caseworker review 6, B4: a lawyer charged and disbarred, free and not in danger, was sent
    first to emergency support for defenders; the lawyers' organisations lead where speed is not
    what matters most. Red49: right after the first one that gives a way in, since Lawyers for
    Lawyers' contact is a page "no direct channel for cases confirmed here" (test_red49)."""
    steps = {s["id"]: s for s in _plan(tmp_path, LAWYER_CHARGED)["steps"]}
    assert _owners(steps["legal_support"])[1] == "lawyers_for_lawyers"
