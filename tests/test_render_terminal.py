"""The terminal view: inert text, colour only when wanted, a plain mode for screen readers."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from render_fixtures import FORBIDDEN, HOSTILE, make_plan
from reprisal_cli.kb.models import Checklist, ChecklistSection
from reprisal_cli.render.terminal import print_checklist, print_plan

BOX = set("─━│┃┌┐└┘├┤┬┴┼═║╭╮╯╰")


def _console(*, colour: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=80,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        legacy_windows=False,
    )
    return console, buffer


def _show(
    plan_text: str = "",
    *,
    colour: bool = True,
    plain: bool = False,
    explain: bool = False,
    full: bool = True,
) -> str:
    console, buffer = _console(colour=colour)
    print_plan(make_plan(plan_text), explain=explain, console=console, plain=plain, full=full)
    return buffer.getvalue()


def test_steps_are_numbered_with_contacts_and_reason() -> None:
    out = _show(colour=False)
    assert "1. Get help now if you are in danger (priority 1)" in out
    assert "2. Tell the Special Procedures (priority 3)" in out
    assert "Contact: Contact hotline - Email - hotline@example.org" in out
    assert "Check this contact on the official page before use." in out
    assert "immediate danger" not in out  # no key: the reason needs the questions' words
    assert "Risk level: HIGH" in out


def test_colour_marks_risk_and_flags() -> None:
    out = _show(colour=True)
    assert "\x1b[" in out
    assert "\x1b[1;31mHIGH" in out
    assert "Shares details with the UN" in out


def test_hostile_text_is_inert_in_colour() -> None:
    out = _show(HOSTILE, colour=True, explain=True)
    assert "[bold red]loud[/bold red]" in out  # markup shown as written, not applied
    assert "<script>alert(1)</script>" in out
    assert "pwned" not in out
    for sequence in ("\x1b]", "\x1b[6n", "\x1b[31mRED"):
        assert sequence not in out
    for char in FORBIDDEN[1:]:
        assert char not in out


def test_plain_is_for_screen_readers() -> None:
    out = _show(HOSTILE, colour=True, plain=True, explain=True)
    assert "\x1b" not in out
    assert not BOX & set(out)
    assert "Steps, most urgent first:" in out
    assert all(line == line.rstrip() for line in out.splitlines())
    assert not any(char in out for char in FORBIDDEN)
    assert "[bold red]loud[/bold red]" in out


@pytest.mark.parametrize(("name", "value"), [("NO_COLOR", "1"), ("TERM", "dumb")])
def test_environment_asks_for_plain(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    print_plan(make_plan())
    out = capsys.readouterr().out
    assert "\x1b" not in out and not BOX & set(out)
    assert "1. Get help now if you are in danger" in out


def test_withheld_counted_short_listed_full_explained_with_explain() -> None:
    short = _show(colour=False, full=False)
    assert "1 step held back for your safety" in short
    assert "Public statement" not in short
    brief = _show(colour=False)
    assert "Held back until you agree to make the case public\n- Public statement" in brief
    assert "The person has not agreed" not in brief
    assert "rule danger_now" not in brief
    full = _show(colour=False, explain=True)
    assert "The person has not agreed to make the case public." in full
    assert "rule danger_now - matched immediate danger: yes" in full
    assert "gate consent_publicity" in full


def test_unreviewed_footer() -> None:
    console, buffer = _console(colour=False)
    print_plan(make_plan(lang_reviewed=False), console=console)
    # The footer is the plan's last sentence (it may wrap over several lines).
    text = " ".join(buffer.getvalue().split())
    assert text.endswith(
        "machine translations, checked for meaning but not yet reviewed by a native speaker."
    )


def test_checklist_in_the_terminal() -> None:
    checklist = Checklist(
        id="c",
        title="Before you travel" + HOSTILE,
        purpose="Cross borders safely.",
        sections=(ChecklistSection(title="Phone", items=("Back up and wipe" + HOSTILE,)),),
        sources=("https://example.org",),
    )
    for plain in (False, True):
        console, buffer = _console(colour=True)
        print_checklist(checklist, console=console, plain=plain)
        out = buffer.getvalue()
        assert "[ ] Back up and wipe" in out and "Cross borders safely." in out
        assert "pwned" not in out and "\x1b[6n" not in out and "\u202e" not in out
        assert "[bold red]loud[/bold red]" in out
