"""Shared pieces of the safety tests (issue 8): the CLI in a subprocess or a pseudo-terminal, a
complete answers file with room for hostile text, and the real `age` tool driven by pexpect.

No tests here; the `test_safety_*` modules import it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

AS_OF = "2026-11-25"
PASSPHRASE = "correct horse battery staple"
TIMEOUT = 60
# Unique markers: found in an output only if free text leaked into it.
CASE_MARKER = "Zq7case-MARKER.9x"
NOTES_MARKER = "Zq7NOTES-MARKER-9x"


def answers_yaml(*, case_id: str | None = CASE_MARKER, notes: str = NOTES_MARKER) -> str:
    """Every key of the contract answered (so every question has a current answer); the region
    follows from the State (the person is at home), so it is neither given nor asked."""
    lines = [
        "schema: reprisal-cli/answers/v1",
        "respondent: self",
        "profile: [journalist, woman_defender]",
        "engagement: [special_procedures, treaty_bodies]",
        "treaty_body: [ccpr]",
        "individual_complaint: [ccpr]",
        "measures_in_force: [treaty_bodies]",
        "stage: reprisal_suffered",
        "reprisals: [threats, surveillance, hacking, held_at_border]",
        "incident_date: 2026-10",
        "immediate_danger: false",
        "location: home_country",
        "state: ZW",
        'consent_publicity: "yes"',
        'consent_share_with_un: "yes"',
        "devices_compromised: true",
        "others_at_risk: [family, sources]",
        "travel_planned: true",
    ]
    if case_id is not None:
        lines.insert(1, f"case_id: {case_id}")
    lines.append("notes: " + _json_string(notes))
    return "\n".join(lines) + "\n"


def _json_string(text: str) -> str:
    import json

    return json.dumps(text)  # a YAML double-quoted scalar; escapes control characters


def write_answers(folder: Path, name: str = "case.yaml", **kwargs: str | None) -> Path:
    path = folder / name
    path.write_text(answers_yaml(**kwargs), encoding="utf-8")  # type: ignore[arg-type]
    return path


def cli(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess[bytes]:
    """`python -m reprisal_cli ARGS` in a subprocess, output captured as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "reprisal_cli", *map(str, args)],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def in_process(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """The same command in this process (typer's runner), for tests about what an output holds
    rather than about the process: a subprocess costs about a second of start-up and knowledge
    base parsing. Each command keeps tests that run it in a real subprocess."""
    # lazy: the CLI and its runner only for the tests that use them
    from typer.testing import CliRunner

    from reprisal_cli.cli import app

    argv = [*map(str, args)]
    with contextlib.chdir(cwd or Path.cwd()):
        result = CliRunner().invoke(app, argv)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(
        argv, result.exit_code, result.stdout_bytes, result.stderr_bytes
    )


def terminal_env(**extra: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    return environ | {"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "50"} | extra


def spawn_cli(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    program: str | None = None,
    size: tuple[int, int] = (50, 120),
) -> pexpect.spawn:
    """The CLI in a real pseudo-terminal of `size` (rows, columns)."""
    argv = [*([] if program else ["-m", "reprisal_cli"]), *args]
    return pexpect.spawn(
        program or sys.executable,
        argv,
        cwd=str(cwd),
        env=env or terminal_env(),
        dimensions=size,
        encoding="utf-8",
        timeout=TIMEOUT,
    )


def drive_plain_assess(child: pexpect.spawn) -> None:
    """Take a `--plain` session started from a complete `--answers-in` to the menu: Enter keeps
    every current answer, then the review is confirmed."""
    while True:
        index = child.expect([r"Check your answers\.", r"press Enter[^\r\n]*: ", r"\r\n> "])
        if index == 0:
            child.expect(r"press Enter[^\r\n]*: ")
            child.send("\r")
            return
        child.send("\r")


def menu(child: pexpect.spawn, number: int) -> None:
    """Choose entry `number` of the plain menu (1 save plan, 2 save answers, 6 quit)."""
    child.expect_exact("What next?")
    child.expect(r"press Enter[^\r\n]*: ")
    child.send(f"{number}\r")


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else -1)


def need_age() -> str:
    """The `age` binary; CI installs it (.ci/system-deps), elsewhere the test is skipped."""
    found = shutil.which("age")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("age is missing on CI: .ci/system-deps installs it")
        pytest.skip("the age tool is not installed (apt-get install age)")
    return found


def age_decrypt_with_passphrase(path: Path, out: Path, passphrase: str = PASSPHRASE) -> None:
    """`age -d` asks for the passphrase only on a terminal: answer it through a pty."""
    child = pexpect.spawn(need_age(), ["-d", "-o", str(out), str(path)], timeout=TIMEOUT)
    child.expect("passphrase")
    child.sendline(passphrase)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before


def age_encrypt_with_passphrase(path: Path, out: Path, passphrase: str = PASSPHRASE) -> None:
    child = pexpect.spawn(need_age(), ["-p", "-o", str(out), str(path)], timeout=TIMEOUT)
    child.expect("passphrase")
    child.sendline(passphrase)
    child.expect("passphrase")
    child.sendline(passphrase)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before


def age_keypair(folder: Path) -> tuple[Path, str]:
    """A fresh X25519 key file from `age-keygen` and its public key."""
    need_age()
    keygen = shutil.which("age-keygen")
    assert keygen is not None
    key = folder / "key.txt"
    subprocess.run([keygen, "-o", str(key)], check=True, capture_output=True)
    public = subprocess.run(
        [keygen, "-y", str(key)], check=True, capture_output=True, text=True
    ).stdout.strip()
    return key, public


DOWN = "\x1b[B"
ENTER = "\r"
SPACE = " "


def _answer(child: pexpect.spawn, prompt: str, keys: str) -> None:
    child.expect_exact(prompt)
    child.send(keys)


def full_assess(child: pexpect.spawn, *, case_id: str = "pty-1") -> None:
    """Answer every question of the questionary front end by key presses, confirm the review,
    and leave from the menu without saving (the same answers as test_assess_pty)."""
    child.expect_exact("Before you start")
    _answer(child, "in danger right now?", DOWN + ENTER)  # no
    _answer(child, "Who is answering", ENTER)  # the person at risk
    _answer(child, "What is your situation now?", DOWN * 3 + ENTER)  # reprisal suffered
    _answer(child, "What has happened", SPACE + DOWN * 2 + SPACE + ENTER)  # threats, surveillance
    _answer(child, "latest incident", "2025-11" + ENTER)
    _answer(child, "Where are you now?", ENTER)  # home country
    _answer(child, "behind reprisals against you?", ENTER)  # search for the country by name
    _answer(child, "or its two-letter code:", "belar" + ENTER)
    _answer(child, "Which country?", ENTER)  # the first found: Belarus
    # No region question: at home, it follows from the State.
    _answer(child, "describe you?", DOWN * 8 + SPACE + ENTER)  # ngo staff
    _answer(child, "Which bodies", DOWN + SPACE + ENTER)  # special procedures
    _answer(child, "Could the aggressor see", ENTER)  # yes
    _answer(child, "Who else could be harmed?", SPACE + ENTER)  # family
    _answer(child, "plan to travel", DOWN + ENTER)  # no
    _answer(child, "to UN bodies?", DOWN + ENTER)  # not decided yet
    _answer(child, "regional human rights body?", ENTER)  # Enter alone: no answer
    _answer(child, "diplomats or other States be told", ENTER)
    _answer(child, "made public, with names?", DOWN * 3 + ENTER)  # no
    _answer(child, "May the case appear in it?", ENTER)
    _answer(child, "Anything else", ENTER)  # no notes
    _answer(child, "short label", case_id + ENTER)
    _answer(child, "Check your answers.", ENTER)
    _answer(child, "What next?", DOWN * 5 + ENTER)  # quit
