"""A contact's `note` in the knowledge base (what to know before using it: "Post is slow. Do
not use it for urgent cases.", a mailbox an OHCHR page gives for another purpose) reaches the
reader: the plan's JSON carries it, the full views and the draft say it under the contact. It
was loaded, translated and never shown (caseworker review 6, B5 follow-up)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reprisal_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
BAHRAIN = str(ROOT / "examples" / "bahrain_2012.yaml")
NOTE = "say at the top of your message that it is about a reprisal and is for the NGO Liaison team"
runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_the_plan_carries_the_note_of_a_contact_and_the_full_view_says_it() -> None:
    plan = json.loads(_run("plan", BAHRAIN, "--format", "json", "--as-of", "2026-12-05"))
    noted = [c for s in plan["steps"] for c in s["contacts"] if c["value"] == "ohchr-hrcngo@un.org"]
    assert noted and all(NOTE in c["note"] for c in noted)
    for fmt in ("md", "txt", "html"):
        out = _run("plan", BAHRAIN, "--full", "--format", fmt, "--as-of", "2026-12-05")
        assert NOTE in " ".join(out.split()), fmt


def test_the_draft_says_the_note_under_the_address() -> None:
    out = _run("draft", BAHRAIN, "--to", "mechanism", "--format", "txt")
    flat = " ".join(out.split())
    assert "ohchr-hrcngo@un.org" in flat
    assert NOTE in flat


def test_the_note_is_in_the_plans_language() -> None:
    plan = json.loads(
        _run("plan", BAHRAIN, "--format", "json", "--as-of", "2026-12-05", "--lang", "fr")
    )
    noted = [c for s in plan["steps"] for c in s["contacts"] if c["value"] == "ohchr-hrcngo@un.org"]
    assert noted and all(c["note"] and NOTE not in c["note"] for c in noted)
