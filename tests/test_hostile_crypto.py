"""Hostile encrypted files and prompts (security review of 2026-12-02, issue 19): an age header
built to make decryption take minutes, Ctrl-D and SIGTERM at a prompt, a process that could dump
its memory (passphrase included) to a core file, and a passphrase anyone could guess."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from reprisal_cli import crypto
from reprisal_cli.errors import AnswersError, UsageError
from test_safety_support import AS_OF, PASSPHRASE, cli, finish, spawn_cli, write_answers

WEAK = "password1"


def _many_recipients(count: int) -> list[object]:
    import pyrage

    return [pyrage.x25519.Identity.generate().to_public() for _ in range(count)]


# -- a header made to be slow (M8) ------------------------------------------------------------


def test_an_age_file_with_thousands_of_stanzas_is_refused_before_decrypting(
    tmp_path: Path,
) -> None:
    import pyrage

    key = pyrage.x25519.Identity.generate()
    recipients = [*_many_recipients(3000), key.to_public()]
    locked = tmp_path / "many.age"
    locked.write_bytes(pyrage.encrypt(b"schema: reprisal-cli/answers/v1\n", recipients))
    keyfile = tmp_path / "key.txt"
    keyfile.write_text(str(key) + "\n")
    passfile = tmp_path / "pass.txt"
    passfile.write_text(PASSPHRASE + "\n")

    for how in (["-i", str(keyfile)], ["--passphrase-file", str(passfile)]):
        done = cli("open", locked, *how)
        assert done.returncode == 1, done.stderr
        assert b"more than 64 recipients" in done.stderr
        assert b"Traceback" not in done.stderr


def test_a_header_with_no_end_is_refused() -> None:
    endless = crypto.AGE_MAGIC + b"-> X25519 " + b"A" * (crypto.MAX_HEADER_BYTES + 10)
    with pytest.raises(AnswersError, match="header longer than 64 KiB"):
        crypto.decrypt(endless, passphrase="x")


def test_as_many_recipients_as_allowed_still_open(tmp_path: Path) -> None:
    import pyrage

    key = pyrage.x25519.Identity.generate()
    recipients = [*_many_recipients(crypto.MAX_RECIPIENTS - 1), key.to_public()]
    locked = pyrage.encrypt(b"kept", recipients)
    assert crypto.decrypt(locked, identities=[str(key)]) == b"kept"


def test_no_file_is_written_that_could_not_be_read_back() -> None:
    keys = [str(r) for r in _many_recipients(crypto.MAX_RECIPIENTS + 1)]
    with pytest.raises(UsageError, match="at most 32"):
        crypto.parse_recipients(keys)


# -- prompts: Ctrl-D, SIGTERM (M12, L10) ------------------------------------------------------


@pytest.mark.slow
def test_ctrl_d_at_the_passphrase_prompt_is_an_interruption(tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    child = spawn_cli("plan", str(answers), "--encrypt", "-o", "p.md", cwd=tmp_path)
    child.expect_exact("Passphrase: ")
    child.sendeof()
    child.expect_exact("Interrupted: nothing was written.")
    rest = (child.before or "") + child.read()
    assert finish(child) == 130
    assert "Aborted" not in rest
    assert not list(tmp_path.glob("p.md*"))


@pytest.mark.slow
def test_sigterm_at_an_assess_prompt_is_ctrl_c_and_clears_the_screen(tmp_path: Path) -> None:
    child = spawn_cli("assess", "--clear-on-exit", "--as-of", AS_OF, cwd=tmp_path)
    child.expect_exact("in danger right now?")
    time.sleep(0.3)  # the prompt is drawn and waiting for a key
    child.kill(signal.SIGTERM)
    assert finish(child) == 130
    seen = child.before or ""
    assert "\x1b[3J\x1b[H\x1b[2J" in seen  # --clear-on-exit honoured
    assert seen.rstrip().endswith("Stopped. Nothing was written.")


# -- core dumps (L9) --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="needs /proc")
def test_no_core_dump_while_a_passphrase_is_asked(tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    child = spawn_cli("plan", str(answers), "--encrypt", "-o", "p.md", cwd=tmp_path)
    child.expect_exact("Passphrase: ")
    limits = Path(f"/proc/{child.pid}/limits").read_text()
    core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
    assert core.split()[4:6] == ["0", "0"], core  # soft and hard: it cannot be raised again
    child.sendeof()
    assert finish(child) == 130


# -- a weak passphrase ------------------------------------------------------------------------


def test_weakness_is_zxcvbns_estimate() -> None:
    assert crypto.passphrase_weakness(WEAK) is not None
    assert crypto.passphrase_weakness("qwerty") is not None
    assert crypto.passphrase_weakness(PASSPHRASE) is None
    assert crypto.passphrase_weakness("x" * 10_000) is not None  # long, and still a repeat


@pytest.mark.slow
def test_a_weak_passphrase_is_warned_about_and_another_can_be_chosen(tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    child = spawn_cli("plan", str(answers), "--encrypt", "-o", "p.md", cwd=tmp_path)
    child.expect_exact("Passphrase: ")
    child.sendline(WEAK)
    child.expect_exact("this passphrase is weak")
    child.expect_exact("Why: This is a very common password.")
    child.expect_exact("Type a stronger one now, or type the same one again to keep it.")
    child.expect_exact("Passphrase: ")
    child.sendline(PASSPHRASE)
    child.expect_exact("Passphrase again: ")
    child.sendline(PASSPHRASE)
    child.expect_exact("Plan written to p.md.age (encrypted)")
    assert finish(child) == 0
    opened = cli("open", tmp_path / "p.md.age", "--passphrase-file", _passfile(tmp_path))
    assert opened.returncode == 0, opened.stderr


@pytest.mark.slow
def test_a_weak_passphrase_typed_again_is_kept(tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    child = spawn_cli("plan", str(answers), "--encrypt", "-o", "p.md", cwd=tmp_path)
    child.expect_exact("Passphrase: ")
    child.sendline(WEAK)
    child.expect_exact("type the same one again to keep it.")
    child.expect_exact("Passphrase: ")
    child.sendline(WEAK)
    child.expect_exact("Plan written to p.md.age (encrypted)")
    assert finish(child) == 0
    assert crypto.decrypt((tmp_path / "p.md.age").read_bytes(), passphrase=WEAK)


@pytest.mark.slow
def test_a_weak_passphrase_file_is_warned_about(tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    weak = tmp_path / "weak.txt"
    weak.write_text(WEAK + "\n")
    done = cli("plan", answers, "--encrypt", "--passphrase-file", weak, "-o", tmp_path / "p.md")
    assert done.returncode == 0, done.stderr
    assert b"this passphrase is weak" in done.stderr
    strong = cli(
        "plan",
        answers,
        "--encrypt",
        "--passphrase-file",
        _passfile(tmp_path),
        "-o",
        tmp_path / "q.md",
    )
    assert strong.returncode == 0 and b"passphrase is weak" not in strong.stderr


def _passfile(tmp_path: Path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n")
    return path
