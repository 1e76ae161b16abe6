"""The emergency card: one PDF page, the emergency lines, nothing that identifies anyone."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PageObject, PdfReader
from typer.testing import CliRunner

from reprisal_cli.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
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
    assert "not confirmed since 2019" in " ".join(text.split())
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


DETAINED = """\
schema: reprisal-cli/answers/v1
engagement: [special_procedures, treaty_bodies]
treaty_body: [cat]
stage: reprisal_suffered
reprisals: [detention, threats]
consent_share_with_un: "yes"
travel_planned: true
"""
UN_MARKS = ("ohchr", "Special Rapporteur", "UN senior official", "Committee against Torture")


def test_phone_lines_first_each_with_when_it_was_last_confirmed(tmp_path: Path) -> None:
    text = run(tmp_path, "-f", "txt").decode("utf-8")
    lines = text[text.index("24-hour help") :].splitlines()[1:4]
    assert "Phone: +353 1 210 0489 (24 hours a day" in lines[1]
    assert "not confirmed since 2019 — check before use" in lines[2]
    assert "if you cannot" not in text  # no web page offered as the way out offline


def test_no_un_contact_or_step_unless_asked(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(DETAINED, encoding="utf-8")
    text = run(tmp_path, str(answers), "-f", "txt").decode("utf-8")
    flat = " ".join(text.split())
    assert "Contacts for this case" in flat
    assert not [mark for mark in UN_MARKS if mark in flat]
    assert "urgent appeal" not in flat  # a UN step is no first step on the card
    asked = " ".join(run(tmp_path, str(answers), "-f", "txt", "--with-un").decode().split())
    assert [mark for mark in UN_MARKS if mark in asked]


def text_positions(page: PageObject) -> list[tuple[float, float, str]]:
    found: list[tuple[float, float, str]] = []
    page.extract_text(visitor_text=lambda t, _cm, tm, _font, _size: found.append((tm[4], tm[5], t)))
    return found


def test_pdf_fourth_quarter_is_not_empty(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(DETAINED, encoding="utf-8")
    for args in ((), (str(answers),)):
        page = PdfReader(io.BytesIO(run(tmp_path, *args))).pages[0]
        found = text_positions(page)
        width = float(page.mediabox.width)
        title = max(y for x, y, t in found if t.startswith("Emergency card ·"))
        fold = title - (55 - 3) * 72 / 25.4  # the panel's height below its first line
        quarter = [t for x, y, t in found if x > width / 2 and y < fold and t.strip()]
        assert quarter, args


def test_a_link_wider_than_the_card_is_folded_inside_the_box(tmp_path: Path) -> None:
    """An organisation's page of 99 characters drew the box of a threats-only card out of shape
    (line of 106 columns, found 2026-12-05): the link is folded after a "/" and can be read
    back whole."""
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "schema: reprisal-cli/answers/v1\nengagement: [special_procedures]\n"
        'reprisals: [threats]\nconsent_share_with_un: "yes"\n',
        encoding="utf-8",
    )
    text = run(tmp_path, str(answers), "-f", "txt").decode("utf-8")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    inside = "".join(line[2:-2].strip() for line in lines if line.startswith("| "))
    link = "https://omct.org/en/what-we-do/material-support/emergency-support-for-human-rights-defenders-at-risk"
    assert link in inside


HELD = """\
schema: reprisal-cli/answers/v1.1
respondent: colleague
state: BH
engagement: [special_procedures]
stage: reprisal_suffered
reprisals: [detention]
location: in_detention
immediate_danger: true
consent: {share_with_un: "yes", given_by: family}
"""


def test_the_card_puts_the_device_step_before_the_first_step_that_sends(tmp_path: Path) -> None:
    """Red team red48: for a person held, the plan does the urgent appeal and the lawyer before
    the device step, each carrying its advice; the card shows titles only, so its "Do first"
    list read "Find a lawyer ..." before "Before you send anything ..." with no advice at all."""
    answers = tmp_path / "held.yaml"
    answers.write_text(HELD, encoding="utf-8")
    text = run(tmp_path, str(answers), "-f", "txt").decode("utf-8")
    flat = " ".join(text.split())
    first = flat[flat.index("Do first") :]
    assert first.index("Before you send anything") < first.index("Find a lawyer"), first[:600]
    # With the UN's steps on the card too.
    text = run(tmp_path, str(answers), "-f", "txt", "--with-un").decode("utf-8")
    flat = " ".join(text.split())
    first = flat[flat.index("Do first") :]
    assert first.index("Before you send anything") < first.index("Ask for an urgent appeal")


def _block(text: str, head: str) -> str:
    """The lines of the txt card under `head`, up to the next blank line, joined."""
    lines = [line.strip("| ").rstrip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith(head))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].strip())
    return " ".join(lines[start + 1 : end])


def test_after_an_attack_the_card_does_the_24_hour_line_first(tmp_path: Path) -> None:
    """Caseworker review 6, B6 (honduras_2017: attacked and hacked, danger not answered): the
    plan and the card began with the device step; the 24-hour line comes first, as in the
    plan, and carries the device advice there."""
    text = run(tmp_path, str(EXAMPLES / "honduras_2017.yaml"), "-f", "txt").decode("utf-8")
    first = _block(text, "Do first")
    assert first.startswith("1. If you or someone close to you is in danger now"), first
    assert first.index("2. Before you send anything") > 0, first


def test_the_24_hour_block_holds_only_lines_that_answer_around_the_clock(tmp_path: Path) -> None:
    """Caseworker review 6, B8: the block listed ProtectDefenders.eu's web form, and the
    DefendDefenders 24/7 line of a Burundi case stood under "Contacts for this case". The
    block: the global line first, then the line that serves the State."""
    text = run(tmp_path, str(EXAMPLES / "burundi_2016.yaml"), "-f", "txt").decode("utf-8")
    lines = _block(text, "24-hour help")
    assert "protectdefenders.eu" not in lines, lines
    assert lines.index("+353 1 210 0489") < lines.index("+256 783 027611"), lines
    assert "+256 783 027611" not in _block(text, "Contacts for this case")
    generic = _block(run(tmp_path, "-f", "txt").decode("utf-8"), "24-hour help")
    assert "+353 1 210 0489" in generic and "protectdefenders.eu" not in generic


def test_the_card_says_only_the_lines_its_format_draws(tmp_path: Path) -> None:
    """Caseworker review 6, C2: the txt card said "Cut along the dashed line. Fold along the
    dotted lines" and has neither; the PDF draws both and says so."""
    text = run(tmp_path, "-f", "txt").decode("utf-8")
    assert "dashed" not in text and "dotted" not in text
    assert "Cut along the edge of the box" in text
    # The HTML says both and draws both: the cut round the card dashed, each fold dotted (the
    # fold across the middle was a plain grey line).
    html = run(tmp_path, "-f", "html").decode("utf-8")
    style = html.split("<style")[1].split("</style>")[0]
    assert "dashed line" in html and "dotted lines" in html
    assert "border: 1px dashed" in style and style.count("1px dotted") == 2
    assert "linear-gradient" not in style
    pdf = " ".join(PdfReader(io.BytesIO(run(tmp_path))).pages[0].extract_text().split())
    assert "dashed line" in pdf and "dotted lines" in pdf
