"""A contact's `note` in the knowledge base (what to know before using it: "Post is slow. Do
not use it for urgent cases.", a mailbox an OHCHR page gives for another purpose) reaches the
reader: the plan's JSON carries it, the full views and the draft say it under the contact. It
was loaded, translated and never shown (caseworker review 6, B5 follow-up)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reprisal_cli.cli import app
from reprisal_cli.kb.loader import load_kb

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


def test_the_draft_names_each_mailbox_once_and_the_form_before_an_old_mailbox() -> None:
    """Caseworker review 7: the Council and the UPR reach the same mailbox (one recipient naming
    both); the special procedures' form comes before their mailbox last seen around 2011; the
    Coordination Committee, told only if the experts do not answer, is not addressed first."""
    bahrain = _run("draft", BAHRAIN, "--to", "mechanism", "--format", "txt")
    assert bahrain.count("Email: ohchr-hrcngo@un.org") == 1
    china = _run(
        "draft", str(ROOT / "examples" / "china_2017.yaml"), "--to", "mechanism", "--format", "txt"
    )
    assert "To: Coordination Committee" not in china
    special = china.split("To: Special procedures", 1)[1]
    assert special.index("Web: https://spsubmission.ohchr.org/") < special.index(
        "Email: urgent-action@ohchr.org"
    )


def test_the_council_mailbox_note_says_only_what_its_source_shows() -> None:
    """Caseworker review 7, C3: the note said "An OHCHR page gives this mailbox" and told the
    reader to "check the address on the OHCHR page", while its only source is a test copy of
    OHCHR's note for NGOs on the Advisory Committee, and the reprisals page hides the address."""
    contact = load_kb().contacts["hrc_president_bureau_ngo_email"]
    assert "test copy" in contact.source or "staging copy" in contact.source
    assert "Advisory Committee" in contact.source
    note = contact.note or ""
    assert note.startswith("Seen only on a test version of the OHCHR website")
    # Reading 53: "test copy" puzzled readers and "its page" could be the team's own page.
    assert "test copy" not in note
    assert "OHCHR's reprisals page does not show the team's address" in note
    assert "Advisory Committee" in note and "undated" in note
    assert "Check the address on the OHCHR page" not in note
    assert NOTE in note
