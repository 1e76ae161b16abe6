"""Left-to-right runs (dates, phone numbers, e-mail addresses) keep their order in Arabic text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reprisal_cli.render.bidi import LRI, PDI, isolate_ltr_runs, ltr_runs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bahrain_2012.yaml"
# Words of the Arabic plan around the contacts it gives (Access Now's helpline, Front Line
# Defenders' emergency line) and a date.
SENTENCE = (
    "اتصلوا بخط المساعدة على +353 1 210 0489 أو اكتبوا إلى help@accessnow.org "
    "قبل 2026-01-10، كما تقول منظمة Access Now."
)


def test_runs_found_in_arabic_text_only() -> None:
    assert ltr_runs(SENTENCE) == [
        "+353 1 210 0489",
        "help@accessnow.org",
        "2026-01-10",
        "Access Now",
    ]
    assert ltr_runs("Call +353 1 210 0489 before 2026-01-10.") == []
    # Brackets stay in a run only when they pair up in it.
    assert ltr_runs("(يُكتب أيضًا +353 (0)1 21 00 489)") == ["+353 (0)1 21 00 489"]
    assert ltr_runs("المصدر: OHCHR, How to share (older copy) في") == [
        "OHCHR, How to share (older copy)"
    ]
    assert ltr_runs("(انظر https://example.org/a/).") == ["https://example.org/a/"]
    # The review's Arabic HTML showed "(LGBTIQ+)" with the "+" thrown to the other side.
    assert ltr_runs("المدافعون (LGBTIQ+) في خطر") == ["LGBTIQ+"]
    assert isolate_ltr_runs("التاريخ: 2026-01-10.") == f"التاريخ: {LRI}2026-01-10{PDI}."
    assert isolate_ltr_runs("صفحة 1 من {nb}", keep="{nb}") == f"صفحة {LRI}1{PDI} من {{nb}}"


def _arabic_pdf() -> bytes:
    from reprisal_cli.render.html import PageView
    from reprisal_cli.render.pdf import PrintDoc

    page = PageView(
        title="خطة عمل",
        lang="ar",
        dir="rtl",
        paper="A4",
        as_of="2026-01-10",
        kb_line=None,
        kb_version="2026.11.25",
        kb_fingerprint="sha256:a6e2e30d75f1",
        sensitive=True,
    )
    doc = PrintDoc(page)
    doc.para(SENTENCE)
    doc.bullet("Front Line Defenders – خط الطوارئ على مدار 24 ساعة (يُكتب أيضًا +353 (0)1 21 00 489)")
    return doc.output()


def test_arabic_pdf_keeps_dates_phone_numbers_and_addresses_in_order(tmp_path: Path) -> None:
    from pypdf import PdfReader

    data = _arabic_pdf()
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    # Unprotected, the bidi algorithm printed "10-01-2026" and "0489 210 1 353+".
    for run in ("2026-01-10", "353 1 210 0489", "help@accessnow.org", "Access Now"):
        assert run in text, (run, text)
    assert "+353 (0)1 21 00 489" in text
    assert "10-01-2026" not in text and "0489 210" not in text
    # The isolate marks steer the layout only: not drawn, not copied with the text.
    assert LRI not in text and PDI not in text
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    # Where each word is drawn, left to right: pypdf joins a "+" to the Arabic word beside it.
    pdf = tmp_path / "ar.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    words: dict[str, list[tuple[float, str]]] = {}
    for x, y, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<', out):
        words.setdefault(y, []).append((float(x), word))
    visual = [" ".join(w for _x, w in sorted(row)) for row in words.values()]
    assert any("+353 1 210 0489" in row for row in visual), visual
    assert any("2026-01-10" in row for row in visual), visual


def test_arabic_plan_pdf_prints_dates_left_to_right(tmp_path: Path) -> None:
    from pypdf import PdfReader
    from typer.testing import CliRunner

    from reprisal_cli.cli import app

    pdf = tmp_path / "plan.pdf"
    env = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "SOURCE_DATE_EPOCH": "1767225600"}
    args = [
        "plan",
        str(EXAMPLE),
        "--lang",
        "ar",
        "-f",
        "pdf",
        "-o",
        str(pdf),
        "--as-of",
        "2026-01-10",
    ]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "2026-01-10" in text and "10-01-2026" not in text
    assert "+41 22 733 51 23" in text
    assert "reprisals@ohchr.org" in text
    assert LRI not in text and PDI not in text


def test_arabic_html_puts_left_to_right_runs_in_bdi() -> None:
    from typer.testing import CliRunner

    from reprisal_cli.cli import app

    env = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "SOURCE_DATE_EPOCH": "1767225600"}
    args = ["plan", str(EXAMPLE), "--lang", "ar", "-f", "html", "--as-of", "2026-01-10"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert '<bdi dir="ltr">2026-01-10</bdi>' in out
    assert '<bdi dir="ltr">+353 (0)1 21 00 489</bdi>' in out
    assert "<title>خطة عمل: الحماية من الأعمال الانتقامية</title>" in out
    style = out.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<bdi" not in style
    # Other languages' pages are not touched.
    result = CliRunner().invoke(app, [*args[:3], "fr", *args[4:]], env=env)
    assert "<bdi" not in result.stdout


def test_terminal_visual_order_is_on_where_the_terminal_does_no_bidi() -> None:
    from reprisal_cli.render.bidi import terminal_does_visual

    assert terminal_does_visual(True, {})
    assert not terminal_does_visual(False, {})  # a pipe or a file keeps the logical order
    # Terminals that do bidi themselves would reverse the text a second time.
    assert not terminal_does_visual(True, {"VTE_VERSION": "7600"})
    assert not terminal_does_visual(True, {"KONSOLE_VERSION": "230805"})
    assert not terminal_does_visual(True, {"REPRISAL_CLI_BIDI": "off"})
    assert terminal_does_visual(False, {"REPRISAL_CLI_BIDI": "on"})
    assert terminal_does_visual(True, {"VTE_VERSION": "7600", "REPRISAL_CLI_BIDI": "on"})


def test_visual_line_joins_the_letters_and_keeps_numbers_and_addresses_in_order() -> None:
    import unicodedata

    from reprisal_cli.render.bidi import visual_line

    line = visual_line(SENTENCE)
    # Joined: presentation forms (U+FE70-U+FEFF) instead of the base letters.
    assert any("\ufe70" <= char <= "\ufeff" for char in line)
    # Display order: the first word read (right to left) is printed last.
    first = unicodedata.normalize("NFKC", line.split()[-1])
    assert first == "اتصلوا"[::-1]
    for run in ("+353 1 210 0489", "help@accessnow.org", "2026-01-10", "Access Now"):
        assert run in line, (run, line)
    assert LRI not in line and PDI not in line
    assert visual_line("Call +353 1 210 0489.") == "Call +353 1 210 0489."
    # Brackets laid out right to left show their mirror glyph (the terminal draws what it gets).
    assert visual_line("(مفاتيح الأسهم، ثم Enter)").startswith("(Enter ")
    assert visual_line("(مفاتيح الأسهم، ثم Enter)").endswith(")")
    assert "(LGBTIQ+)" in visual_line("المدافعون (LGBTIQ+) في الخطر")


@pytest.mark.parametrize(("setting", "visual"), [("on", True), ("off", False)], ids=["on", "off"])
def test_arabic_plan_in_the_terminal_shaped_unless_turned_off(setting: str, visual: bool) -> None:
    from typer.testing import CliRunner

    from reprisal_cli.cli import app

    result = CliRunner().invoke(
        app,
        ["plan", str(EXAMPLE), "--lang", "ar", "-f", "terminal"],
        env={"REPRISAL_CLI_BIDI": setting, "COLUMNS": "90"},
    )
    assert result.exit_code == 0, result.output
    shaped = any("\ufe70" <= char <= "\ufeff" for char in result.output)
    assert shaped is visual
    # Logical order: the title starts with its first word; visual: the line ends with it.
    title = next(line for line in result.output.splitlines() if line.strip())
    if visual:
        assert title.startswith(" ") and len(title) == 90
    else:
        assert title.startswith("خطة")
    assert "2026" in result.output
    assert LRI not in result.output and PDI not in result.output


@pytest.mark.slow
@pytest.mark.parametrize(("setting", "shaped"), [("", True), ("off", False)], ids=["auto", "off"])
def test_arabic_questionnaire_in_a_real_terminal(
    setting: str, shaped: bool, tmp_path: Path
) -> None:
    import os
    import sys

    import pexpect

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LC_", "LANG", "VTE_", "KONSOLE_", "MLTERM", "NO_COLOR"))
    }
    env |= {"TERM": "xterm-256color", "REPRISAL_CLI_BIDI": setting}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "reprisal_cli", "assess", "--lang", "ar"],
        cwd=str(tmp_path), env=env, encoding="utf-8", timeout=30, dimensions=(40, 100),
    )  # fmt: skip
    # The first question's answers: "No, not now" is among them, shaped or not.
    child.expect("ﺲﻴﻟ|ليس")
    screen = child.before + child.after
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert any("\ufe70" <= char <= "\ufeff" for char in screen) is shaped, screen[-800:]
    assert LRI not in screen and PDI not in screen
