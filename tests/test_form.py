"""The blank form: every format, the branching in words, real PDFs read back."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from reprisal_cli.cli import app
from reprisal_cli.kb.conditions import Condition
from reprisal_cli.kb.loader import KnowledgeBase
from reprisal_cli.records import validate
from reprisal_cli.render import RenderOptions
from reprisal_cli.render.form import describe_condition, render_form

runner = CliRunner()
OPTS = RenderOptions(as_of="2026-11-25")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_describe_condition_uses_labels(kb: KnowledgeBase) -> None:
    cond = validate(Condition, {"key": "engagement", "contains": "treaty_bodies"})
    number = next(i for i, q in enumerate(kb.questions, 1) if q.key == "engagement")
    assert describe_condition(cond, kb.questions) == (
        f"Answer only if, at question {number}, you ticked \u201cUN treaty committees\u201d."
    )
    either = validate(
        Condition, {"any": [{"key": "stage", "in": ["reprisal_suffered"]}, {"absent": "stage"}]}
    )
    text = describe_condition(either, kb.questions)
    assert "one of these holds" in text and "Reprisals have already happened" in text
    assert "reprisal_suffered" not in text


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_text_formats_hold_every_question(kb: KnowledgeBase, fmt: str) -> None:
    out = render_form(kb, fmt, OPTS)
    assert isinstance(out, str)
    assert "Keep the filled form safe" in out
    for q in kb.questions:
        if fmt == "html":
            assert f"q-{q.id}" in out
        else:
            assert squash(q.prompt) in squash(out.replace("\\", ""))
    conditional = [q for q in kb.questions if q.when is not None]
    assert len(re.findall(r"Answer only if(?:,| one of| all of| you)", out)) == len(conditional)
    assert "I don't know / prefer not to say" in out or "I don&#39;t know" in out
    if fmt == "txt":
        assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_a_consent_on_paper_has_its_wording_for_a_family_deciding(
    kb: KnowledgeBase, fmt: str
) -> None:
    """A caseworker filling the form with the family of someone held or missing reads the
    consent as the family's to give, as `assess` asks it (`prompt_held`)."""
    out = squash(render_form(kb, fmt, OPTS).replace("\\", "").replace("&#39;", "'"))
    held = [q for q in kb.questions if q.prompt_held]
    assert len(held) == 6  # one per consent purpose
    for q in held:
        assert squash(f"If they are detained or missing: {q.prompt_held}") in out


def test_pdf_holds_every_prompt_and_is_not_blank(kb: KnowledgeBase, tmp_path: Path) -> None:
    data = render_form(kb, "pdf", OPTS)
    assert isinstance(data, bytes)
    text = squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    for q in kb.questions:
        assert squash(q.prompt) in text, q.id
    assert text.count("Answeronlyif") >= len([q for q in kb.questions if q.when])
    tool = shutil.which("pdftoppm")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is missing on CI: .ci/system-deps installs it")
        pytest.skip("pdftoppm not installed")
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(data)
    args = [tool, "-r", "30", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")]
    subprocess.run(args, check=True)
    png = next(tmp_path.glob("p*.png")).read_bytes()
    assert len(png) > 2000  # a blank page compresses to far less


def test_deterministic(kb: KnowledgeBase) -> None:
    for fmt in ("md", "txt", "html", "pdf"):
        assert render_form(kb, fmt, OPTS) == render_form(kb, fmt, OPTS)


def test_cli_writes_and_refuses_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "form.md"
    ok = runner.invoke(app, ["form", "-o", str(target), "--as-of", "2026-11-25"])
    assert ok.exit_code == 0 and target.read_text(encoding="utf-8").startswith("# ")
    again = runner.invoke(app, ["form", "-o", str(target)])
    assert again.exit_code == 4
    assert runner.invoke(app, ["form", "-o", str(target), "--force"]).exit_code == 0
    assert runner.invoke(app, ["form", "--format", "docx"]).exit_code == 2


@pytest.mark.parametrize("fmt", ["md", "txt", "html", "pdf"])
def test_the_danger_question_prints_the_24_hour_lines_not_the_screens_promise(
    kb: KnowledgeBase, fmt: str
) -> None:
    # On screen, ticking "danger now" shows the 24-hour lines at once; a paper form cannot, so
    # it prints them under the question instead of saying it will show them.
    out = render_form(kb, fmt, OPTS)
    text = (
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(out)).pages)
        if isinstance(out, bytes)
        else out.replace("&#34;", '"').replace("&#39;", "'")
    )
    flat = squash(text)
    assert squash("We will show emergency contacts at once") not in flat
    lead = squash("do not wait for the plan: call a 24-hour line now")
    assert flat.count(lead) == 1
    hotline = kb.contacts["front_line_defenders_phone_emergency"]
    assert squash(hotline.value) in flat
    # Under the first question, before the second one's prompt.
    second = next(q for n, q in enumerate(kb.questions) if n == 1)
    assert flat.index(lead) < flat.index(squash(second.prompt))


def test_the_danger_lines_follow_the_interface_language(kb: KnowledgeBase) -> None:
    out = render_form(kb, "txt", RenderOptions(as_of="2026-11-25", lang="fr"))
    assert isinstance(out, str)
    assert "n'attendez pas le plan" in out


def test_a_country_question_is_written_on_paper(kb: KnowledgeBase) -> None:
    from reprisal_cli.render.form import form_view

    views = {v.id: v for v in form_view(kb, OPTS).questions}
    for key in ("state", "residence"):
        assert views[key].how == "Write your answer."
        assert views[key].choices == () and views[key].lines > 0
    assert "Outside the home country" in (views["residence"].condition or "")


@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_the_danger_lines_are_the_cards_24_hour_lines(kb: KnowledgeBase, fmt: str) -> None:
    """Issue 21 (fix59): the card's 24-hour block holds only lines that answer around the
    clock; the paper form still listed ProtectDefenders.eu's web form under danger now."""
    from reprisal_cli.engine.contacts import around_the_clock, hotlines

    out = render_form(kb, fmt, OPTS)
    assert isinstance(out, str)
    assert "protectdefenders.eu" not in out.lower()
    assert squash("+353 1 210 0489") in squash(out)
    lines = hotlines(kb)
    assert lines and all(around_the_clock(line.id, kb) for line in lines)
