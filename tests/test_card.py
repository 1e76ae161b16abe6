"""The emergency card: one PDF page, the emergency lines, nothing that identifies anyone."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from reprisal_cli.cli import app

runner = CliRunner()
HOSTILE = """\
schema: reprisal-cli/answers/v1
case_id: SECRETCASE-42
engagement: [special_procedures]
reprisals: [threats, hacking]
consent_share_with_un: "yes"
notes: "Amina Doe lives at 12 Hidden Street \\x1b[31m"
"""


def run(tmp_path: Path, *args: str) -> bytes:
    out = tmp_path / "card.out"
    result = runner.invoke(app, ["card", *args, "-o", str(out), "--force", "--as-of", "2026-11-25"])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_pdf_is_one_page_with_emergency_lines_and_no_identity(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(HOSTILE, encoding="utf-8")
    data = run(tmp_path, str(answers))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "+353 1 210 0489" in text
    assert "Check before use" in text
    for secret in ("SECRETCASE", "Amina", "Hidden Street"):
        assert secret not in text


def test_txt_fits_80_columns_and_holds_no_identity(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(HOSTILE, encoding="utf-8")
    text = run(tmp_path, str(answers), "-f", "txt").decode("utf-8")
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "+353 1 210 0489" in text and "Do first" in text
    for secret in ("SECRETCASE", "Amina", "Hidden Street", "\x1b"):
        assert secret not in text


def test_generic_card_and_html(tmp_path: Path) -> None:
    text = run(tmp_path, "-f", "txt").decode("utf-8")
    assert "24-hour help" in text and "Contacts for this case" not in text
    html = run(tmp_path, "-f", "html").decode("utf-8")
    assert "+353 1 210 0489" in html and "<script" not in html


def test_deterministic(tmp_path: Path) -> None:
    assert run(tmp_path) == run(tmp_path)


def test_exit_codes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: reprisal-cli/answers/v1\nstage: maybe\n", encoding="utf-8")
    assert runner.invoke(app, ["card", str(bad), "-f", "txt"]).exit_code == 1
    target = tmp_path / "card.txt"
    target.write_text("keep", encoding="utf-8")
    assert runner.invoke(app, ["card", "-f", "txt", "-o", str(target)]).exit_code == 4
    assert target.read_text(encoding="utf-8") == "keep"
