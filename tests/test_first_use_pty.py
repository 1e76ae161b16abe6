"""What a new user trips on (issue 25), in a real pseudo-terminal: what Ctrl-C says after a save,
encrypted saving offered first, the file-name prompt, and answers recorded as chosen."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import pytest

from reprisal_cli.answers import load_answers
from reprisal_cli.crypto import decrypt
from test_assess_pty import AS_OF, DOWN, ENTER, SPACE, answer, spawn

pytestmark = pytest.mark.slow

UP = "\x1b[A"
STRONG = "copper lantern river orbit"
# Everything but the danger, the profile and the others at risk: a resumed session asks those.
RESUMED = """\
schema: reprisal-cli/answers/v1.1
case_id: pty-25
respondent: self
state: LK
engagement: [special_procedures]
stage: reprisal_feared
reprisals: [threats]
incident_date: 2026-10
location: home_country
devices_compromised: true
travel_planned: false
consent:
  publicity: 'no'
  share_with_un: 'no'
  share_with_regional: 'no'
  share_with_states: 'no'
  sg_report: 'no'
notes: resumed in a test
"""


def resume(tmp_path: Path, *args: str) -> pexpect.spawn:
    (tmp_path / "pre.yaml").write_text(RESUMED, encoding="utf-8")
    return spawn(tmp_path, "--answers-in", "pre.yaml", *args)


def answer_the_rest(child: pexpect.spawn) -> None:
    """Answer the three questions left (no danger now, a journalist, no one else at risk) and
    confirm the review."""
    answer(child, "in danger right now?", DOWN + ENTER)
    answer(child, "Which of these describe you?", SPACE + ENTER)
    answer(child, "Who else could be harmed?", ENTER)  # nothing ticked: no one else
    answer(child, "Check your answers.", ENTER)


def finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    out = child.before or ""
    assert "Traceback" not in out
    return out


def test_ctrl_c_after_a_save_says_what_was_written_and_where(tmp_path: Path) -> None:
    child = resume(tmp_path, "--answers-out", "out.yaml")
    answer_the_rest(child)
    child.expect_exact("Saved the answers to out.yaml")
    child.expect_exact("What next?")
    child.sendintr()
    out = finish(child)
    assert child.exitstatus == 130
    assert "Nothing was written" not in out
    assert "Saved in this session, and still there:" in out
    assert str(tmp_path / "out.yaml") in out
    assert load_answers(tmp_path / "out.yaml").profile == ("journalist",)


def test_ctrl_c_before_any_save_still_says_nothing_was_written(tmp_path: Path) -> None:
    child = resume(tmp_path)
    answer_the_rest(child)
    child.expect_exact("What next?")
    child.sendintr()
    out = finish(child)
    assert child.exitstatus == 130
    assert "Stopped. Nothing was written." in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pre.yaml"]


def test_menu_offers_encryption_first_and_file_names_replace_their_default(
    tmp_path: Path,
) -> None:
    child = resume(tmp_path)
    answer_the_rest(child)
    child.expect_exact("What next?")
    # Save the answers, not encrypted, under a typed name: it replaces the suggestion.
    child.send(DOWN + ENTER)
    child.expect_exact("How should the file be saved?")
    child.expect_exact("Encrypted with a passphrase (recommended)")
    child.expect_exact("Not encrypted: anyone with this computer can read it")
    child.send(DOWN + ENTER)
    child.expect_exact("(Enter alone: pty-25-answers.yaml)")
    child.send("typed.yaml" + ENTER)
    child.expect_exact("Saved the answers to typed.yaml.")
    # Save the plan as text, encrypted (the first choice): the passphrase is asked twice, and
    # a weak one is questioned first.
    answer(child, "What next?", ENTER)
    answer(child, "How should the file be saved?", ENTER)
    answer(child, "Which format?", DOWN * 2 + ENTER)  # json, md, txt
    answer(child, "(Enter alone: pty-25-plan.txt.age)", ENTER)
    answer(child, "Passphrase:", "short" + ENTER)
    child.expect_exact("this passphrase is weak")
    answer(child, "Passphrase:", STRONG + ENTER)
    answer(child, "Passphrase again:", STRONG + ENTER)
    child.expect_exact("Saved the plan to pty-25-plan.txt.age (encrypted).")
    answer(child, "What next?", DOWN * 5 + ENTER)  # quit (after "see the full plan")
    finish(child)
    assert child.exitstatus == 0

    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["pre.yaml", "pty-25-plan.txt.age", "typed.yaml"]
    saved = load_answers(tmp_path / "typed.yaml")
    plan = pexpect.run(
        f"{sys.executable} -m reprisal_cli plan typed.yaml --format txt --as-of {AS_OF}",
        cwd=str(tmp_path),
        encoding="utf-8",
    ).replace("\r\n", "\n")
    locked = (tmp_path / "pty-25-plan.txt.age").read_bytes()
    assert decrypt(locked, passphrase=STRONG).decode("utf-8") == plan
    assert saved.profile == ("journalist",)


def test_answers_recorded_as_chosen(tmp_path: Path) -> None:
    child = resume(tmp_path, "--answers-out", "out.yaml")
    # "I don't know" about danger: the emergency contacts come at once, as a precaution.
    answer(child, "in danger right now?", DOWN * 2 + ENTER)
    child.expect_exact("EMERGENCY CONTACTS")
    child.expect_exact("+353 1 210 0489")
    # A profile ticked beside "I don't know" is kept (Up twice from the top: "I don't know").
    answer(child, "Which of these describe you?", SPACE + UP * 2 + SPACE + ENTER)
    answer(child, "Who else could be harmed?", ENTER)  # nothing ticked: no one else
    child.expect_exact("-> No one")
    answer(child, "Check your answers.", ENTER)
    child.expect_exact("Saved the answers to out.yaml")
    answer(child, "What next?", DOWN * 5 + ENTER)  # quit
    finish(child)
    assert child.exitstatus == 0
    text = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert "others_at_risk: []" in text
    saved = load_answers(tmp_path / "out.yaml")
    assert saved.others_at_risk == ()
    assert saved.profile == ("journalist",)
    assert saved.immediate_danger is None


def test_plain_mode_menu_and_file_name(tmp_path: Path) -> None:
    child = resume(tmp_path, "--plain")
    answer(child, "in danger right now?", "")
    child.sendline("2")  # no
    answer(child, "Which of these describe you?", "")
    child.sendline("1")
    answer(child, "Who else could be harmed?", "")
    child.sendline("")  # nothing: no one else
    answer(child, "Check your answers.", "")
    child.sendline("")
    answer(child, "What next?", "")
    child.sendline("2")  # save the answers
    child.expect_exact("1. Encrypted with a passphrase (recommended)")
    child.expect_exact("2. Not encrypted: anyone with this computer can read it")
    child.sendline("2")
    child.expect_exact("(Enter alone: pty-25-answers.yaml)")
    child.sendline("x.yaml")
    child.expect_exact("Saved the answers to x.yaml.")
    # A plan in one format under a name that says another: refused, as `plan -o` refuses it.
    answer(child, "What next?", "")
    child.sendline("1")  # save the plan
    answer(child, "How should the file be saved?", "")
    child.sendline("2")  # not encrypted
    answer(child, "Which format?", "")
    child.sendline("5")  # pdf
    answer(child, "(Enter alone: pty-25-plan.pdf)", "")
    child.sendline("p.txt")
    child.expect_exact("Nothing written: the file name p.txt says .txt, but the format is pdf.")
    answer(child, "What next?", "")
    child.sendline("6")  # quit
    finish(child)
    assert child.exitstatus == 0
    assert load_answers(tmp_path / "x.yaml").others_at_risk == ()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pre.yaml", "x.yaml"]


def test_card_on_a_terminal_shows_the_text_card(tmp_path: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "reprisal_cli", "card", "--as-of", AS_OF],
        cwd=str(tmp_path),
        dimensions=(50, 100),
        encoding="utf-8",
        timeout=30,
    )
    out = finish(child)
    assert child.exitstatus == 0, out
    assert "+353 1 210 0489" in out and "%PDF" not in out and "garble" not in out
    assert list(tmp_path.iterdir()) == []
