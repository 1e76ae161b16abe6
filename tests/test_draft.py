"""The draft message: consent gates, languages, blanks, hostile notes, exit codes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reprisal_cli.answers import parse_answers
from reprisal_cli.cli import app
from reprisal_cli.kb.loader import KnowledgeBase
from reprisal_cli.render.draft import build_draft, render_draft

runner = CliRunner()
BASE = "schema: reprisal-cli/answers/v1\nengagement: [special_procedures]\nreprisals: [threats]\n"
HOSTILE_NOTES = "[x](http://evil.example) <script>alert(1)</script> \x1b]0;pwned\x07 \u202egnp"


def answers(extra: str = "", notes: str | None = None):  # type: ignore[no-untyped-def]
    text = BASE + extra
    data = parse_answers(text, "test")
    if notes is not None:
        data = replace(data, notes=notes)
    return data


def test_refuses_named_draft_without_consent(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(BASE + 'consent_share_with_un: "no"\nincident_date: 2025-03\n', "utf-8")
    result = runner.invoke(app, ["draft", str(path), "-f", "txt"])
    assert result.exit_code == 0
    assert "No named draft" in result.stderr and "consent" in result.stderr
    assert "anonymous" in result.stdout and "2025-03" not in result.stdout
    assert "name of the person at risk" not in result.stdout


def test_consent_levels(kb: KnowledgeBase) -> None:
    public = render_draft(
        build_draft(answers('consent_share_with_un: "yes"\nconsent_publicity: "yes"\n'), kb),
        "txt",
    )
    assert "appear in the public report" in public
    private = render_draft(build_draft(answers('consent_share_with_un: "yes"\n'), kb), "txt")
    phrase = "confidential transmission only, not to be named in the public report"
    assert phrase in " ".join(private.split())
    assert "[______ : dates and places]" in private


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_languages_have_blanks(kb: KnowledgeBase, lang: str) -> None:
    draft = build_draft(answers('consent_share_with_un: "yes"\n'), kb, lang=lang)
    for fmt in ("md", "txt"):
        out = render_draft(draft, fmt)
        assert out.count("[______ :") >= 8
    assert draft.reviewed is (lang == "en")
    # A translated draft says what it is: machine translation, meaning-checked, no native review.
    notice = "machine translation, checked for meaning but not yet reviewed by a native speaker"
    assert (notice in " ".join(render_draft(draft, "txt").split())) is (lang != "en")


def test_to_mechanism_names_the_mechanisms(kb: KnowledgeBase) -> None:
    draft = build_draft(answers('consent_share_with_un: "yes"\n'), kb, to="mechanism")
    out = render_draft(draft, "txt")
    assert "Special Rapporteur on the situation of human rights defenders" in out
    assert "Copy (Cc)" in out and "reprisals@ohchr.org" in out
    ohchr = render_draft(build_draft(answers('consent_share_with_un: "yes"\n'), kb), "txt")
    assert "reprisals@ohchr.org" in ohchr and "Check this contact" in ohchr


def test_hostile_notes_are_inert_and_redactable(kb: KnowledgeBase) -> None:
    draft = build_draft(answers('consent_share_with_un: "yes"\n', HOSTILE_NOTES), kb)
    md = render_draft(draft, "md")
    assert "Your notes (check before sending)" in md
    assert "[x](http" not in md and "<script>" not in md and "\x1b" not in md
    txt = render_draft(draft, "txt")
    for bad in ("\x1b", "\x07", "\u202e"):
        assert bad not in txt
    redacted = build_draft(answers('consent_share_with_un: "yes"\n', "secret"), kb, redact=True)
    assert "secret" not in render_draft(redacted, "md")
    anon = build_draft(answers("", "secret"), kb)
    assert "secret" not in render_draft(anon, "md")


def test_deterministic_and_exit_codes(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(BASE + 'consent_share_with_un: "yes"\n', "utf-8")
    out = tmp_path / "d.md"
    assert runner.invoke(app, ["draft", str(path), "-o", str(out)]).exit_code == 0
    first = out.read_bytes()
    assert runner.invoke(app, ["draft", str(path), "-o", str(out)]).exit_code == 4
    assert runner.invoke(app, ["draft", str(path), "-o", str(out), "--force"]).exit_code == 0
    assert out.read_bytes() == first
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: reprisal-cli/answers/v1\nsurprise: 1\n", "utf-8")
    assert runner.invoke(app, ["draft", str(bad)]).exit_code == 1
    assert runner.invoke(app, ["draft", str(path), "--lang", "de"]).exit_code == 2


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_reprisal_and_other_at_risk_has_words_in_each_draft_language(lang: str) -> None:
    from reprisal_cli.contract import OTHERS_AT_RISK, REPRISALS
    from reprisal_cli.render.draft import phrases

    texts = phrases(lang)
    words = texts["reprisals"]
    assert isinstance(words, dict)
    assert [r for r in REPRISALS if r not in words] == []  # never a raw id in a letter
    others = texts["others_at_risk"]
    assert isinstance(others, dict)
    assert [o for o in OTHERS_AT_RISK if o not in others] == []
