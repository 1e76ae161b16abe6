"""`reprisal-cli assess` in a real pseudo-terminal, driven by key presses with pexpect."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pexpect
import pytest

from reprisal_cli.answers import load_answers
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.knowledge import KnowledgeBase

pytestmark = pytest.mark.slow

AS_OF = "2026-11-25"
DOWN = "\x1b[B"
ENTER = "\r"
SPACE = " "
TIMEOUT = 20


def spawn(tmp_path: Path, *args: str, **env: str) -> pexpect.spawn:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    environ |= {"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "50"} | env
    return pexpect.spawn(
        sys.executable,
        ["-m", "reprisal_cli", "assess", "--as-of", AS_OF, *args],
        cwd=str(tmp_path),
        env=environ,
        dimensions=(50, 120),
        encoding="utf-8",
        timeout=TIMEOUT,
    )


def answer(child: pexpect.spawn, prompt: str, keys: str) -> None:
    child.expect_exact(prompt)
    child.send(keys)


def test_full_run_in_a_terminal(kb: KnowledgeBase, tmp_path: Path) -> None:
    child = spawn(tmp_path, "--answers-out", "a.yaml")
    child.expect_exact("Before you start")
    answer(child, "in danger right now?", DOWN + ENTER)  # no
    answer(child, "Who is answering", ENTER)  # the person at risk
    answer(child, "What is your situation now?", DOWN * 5 + ENTER)  # back
    answer(child, "Who is answering", ENTER)  # again: keep "the person at risk"
    answer(child, "What is your situation now?", DOWN * 3 + ENTER)  # reprisal suffered
    answer(child, "What has happened", SPACE + DOWN * 2 + SPACE + ENTER)  # threats, surveillance
    answer(child, "latest incident", "2025-11" + ENTER)
    answer(child, "Where are you now?", ENTER)  # home country
    answer(child, "behind reprisals against you?", ENTER)  # search for the country by name
    answer(child, "or its two-letter code:", "belar" + ENTER)
    answer(child, "Which country?", ENTER)  # the first found: Belarus
    # No region question: it follows from the State, as the person is at home.
    answer(child, "describe you?", DOWN * 8 + SPACE + ENTER)  # ngo staff
    answer(child, "Which bodies", DOWN + SPACE + ENTER)  # special procedures
    answer(child, "Could the aggressor see", ENTER)  # yes
    answer(child, "Who else could be harmed?", SPACE + ENTER)  # family
    answer(child, "plan to travel", DOWN + ENTER)  # no
    # Gate 10: Enter alone at every consent question records no consent.
    answer(child, "to UN bodies?", ENTER)
    child.expect_exact("(no answer chosen yet)")  # where the pointer starts
    answer(child, "regional human rights body?", ENTER)
    answer(child, "diplomats or other States be told", ENTER)
    answer(child, "made public, with names?", ENTER)
    answer(child, "May the case appear in it?", ENTER)
    answer(child, "Anything else", ENTER)  # no notes
    answer(child, "short label", "pty-1" + ENTER)
    answer(child, "Check your answers.", ENTER)
    child.expect_exact("Saved the answers to a.yaml")

    answers = load_answers(tmp_path / "a.yaml")
    plan = evaluate(answers, kb, as_of=dt.date.fromisoformat(AS_OF))
    assert answers.reprisals == ("threats", "surveillance")
    assert answers.state == "BY"
    assert answers.respondent == "self" and answers.stage == "reprisal_suffered"
    assert {k: v for k, v in answers.present().items() if k.startswith("consent")} == {}
    assert "consent" not in (tmp_path / "a.yaml").read_text(encoding="utf-8")
    # The plan on screen: its first steps' titles (short prefixes: the terminal may wrap).
    for step in plan.steps[:2]:
        child.expect_exact(step.title[:24])

    answer(child, "What next?", ENTER)  # save the plan
    answer(child, "How should the file be saved?", DOWN + ENTER)  # not encrypted
    answer(child, "Which format?", ENTER)  # json, the first format
    answer(child, "File name for the plan:", ENTER)  # pty-1-plan.json
    child.expect_exact("Saved the plan")
    answer(child, "What next?", DOWN * 5 + ENTER)  # quit
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")

    # Round trip (contract §5): `plan a.yaml` gives the plan `assess` gave.
    result = pexpect.run(
        f"{sys.executable} -m reprisal_cli plan a.yaml --format json --as-of {AS_OF}",
        cwd=str(tmp_path),
        encoding="utf-8",
        withexitstatus=True,
    )
    output, status = result
    assert status == 0
    saved = (tmp_path / "pty-1-plan.json").read_text(encoding="utf-8")
    assert output.replace("\r\n", "\n") == saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "pty-1-plan.json"]


def test_ctrl_c_leaves_with_130_and_writes_nothing(tmp_path: Path) -> None:
    child = spawn(tmp_path, "--answers-out", "a.yaml", "--clear-on-exit")
    answer(child, "in danger right now?", DOWN + ENTER)
    child.expect_exact("Who is answering")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    out = child.before or ""
    assert child.exitstatus == 130
    assert "Stopped. Nothing was written." in out
    assert "Traceback" not in out
    # Screen and scrollback are cleared, and then the one line is printed.
    assert out.rindex("\x1b[3J") < out.index("Stopped. Nothing was written.")
    assert list(tmp_path.iterdir()) == []


def test_end_of_input_leaves_with_130(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    child.expect_exact("in danger right now?")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")
    assert list(tmp_path.iterdir()) == []


def test_danger_yes_shows_emergency_contacts_at_once(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    answer(child, "in danger right now?", ENTER)
    child.expect_exact("EMERGENCY CONTACTS")
    child.expect_exact("Who is answering")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


@pytest.mark.parametrize("how", [("--plain",), ("NO_COLOR",), ("TERM",)])
def test_plain_mode_numbers_choices(tmp_path: Path, how: tuple[str, ...]) -> None:
    if how == ("NO_COLOR",):
        child = spawn(tmp_path, NO_COLOR="1")
    elif how == ("TERM",):
        child = spawn(tmp_path, TERM="dumb")
    else:
        child = spawn(tmp_path, *how)
    child.expect_exact("1. Yes, there is danger now")
    child.expect_exact("Type a number")
    child.sendline("2")
    child.expect_exact("1. I am the person at risk")
    child.sendline("7")  # the last choice: back
    child.expect_exact("Are you, or someone close to you, in danger right now?")
    child.expect_exact("Type a number")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    out = child.before or ""
    assert child.exitstatus == 130
    assert "\x1b[" not in out.replace("\x1b[?2004", "")  # no colour, no cursor moves
    assert "╭" not in out


@pytest.mark.parametrize("redirect", ["> plan.txt", "| cat > plan.txt"])
def test_standard_output_not_a_terminal_is_refused_at_once(tmp_path: Path, redirect: str) -> None:
    """`reprisal-cli assess > plan.txt` (or `| tee plan.txt`, to keep the plan) wrote the
    questions and their frames into the file and left the screen blank, waiting for a key: a
    person in danger saw nothing and thought it hung. Through a pipe the question line itself
    was erased ("Are you in danger right now?" gone, only its choices shown). `assess` refuses
    at once (exit 2) and says how to keep the plan; nothing of it reaches the file."""
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    environ |= {"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "50"}
    command = f"{sys.executable} -m reprisal_cli assess --as-of {AS_OF} {redirect}"
    child = pexpect.spawn(
        "/bin/sh", ["-c", command], cwd=str(tmp_path), env=environ, dimensions=(50, 120),
        encoding="utf-8", timeout=TIMEOUT,
    )  # fmt: skip
    child.expect_exact("standard output is not one")
    child.expect(pexpect.EOF)
    child.close()
    shown = child.before or ""
    assert child.exitstatus == 2 or redirect.startswith("|")  # a pipe's status is cat's
    assert "save the plan" in shown.replace("\r\n", " ")
    assert "Traceback" not in shown
    assert (tmp_path / "plan.txt").read_text(encoding="utf-8") == ""
