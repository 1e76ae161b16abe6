"""No network, ever (issue 8, point 1): every command runs with socket creation made to fail,
and, where the system allows it, in a network namespace with no interface but loopback.

A `sitecustomize` module put first on PYTHONPATH replaces `socket.socket` (for every family but
AF_UNIX, which asyncio's self-pipe uses), `socket.create_connection` and `socket.getaddrinfo`
with functions that raise, and records each attempt in a file: an attempt that the tool caught
and hid would still fail the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_safety_support import AS_OF, finish, full_assess, terminal_env, write_answers

SITECUSTOMIZE = """
import os
import socket

_LOG = os.environ["REPRISAL_TEST_NET_LOG"]
_Socket = socket.socket


def _record(what):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(what + "\\n")


class _Guarded(_Socket):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family != socket.AF_UNIX:
            _record(f"socket({family!r})")
            raise OSError("network access blocked by the test")
        super().__init__(family, type, proto, fileno)


def _refuse(name):
    def refuse(*args, **kwargs):
        _record(f"{name}{args!r}")
        raise OSError("network access blocked by the test")
    return refuse


socket.socket = _Guarded
socket.create_connection = _refuse("create_connection")
socket.getaddrinfo = _refuse("getaddrinfo")
socket.gethostbyname = _refuse("gethostbyname")
"""


def _unshare_works() -> bool:
    tool = shutil.which("unshare")
    if tool is None:
        return False
    done = subprocess.run([tool, "-n", "true"], capture_output=True, check=False)
    return done.returncode == 0


UNSHARE = ["unshare", "-n"] if _unshare_works() else []


@pytest.fixture
def offline(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose Python refuses network sockets, and the file attempts land in."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "net.log"
    env = terminal_env()
    env["PYTHONPATH"] = os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["REPRISAL_TEST_NET_LOG"] = str(log)
    return env, log


def _commands(tmp_path: Path, answers: Path) -> list[list[str]]:
    out = tmp_path / "out"
    out.mkdir()
    commands = [
        ["plan", str(answers), "--as-of", AS_OF, "--format", fmt, "-o", str(out / f"p.{fmt}")]
        for fmt in ("json", "md", "txt", "html", "pdf")
    ]
    commands += [
        ["checklist"],
        [
            "checklist",
            "digital_hygiene_before_contact",
            "--format",
            "pdf",
            "-o",
            str(out / "c.pdf"),
        ],
        ["kb", "validate"],
        ["kb", "fingerprint"],
        ["schema", "answers"],
    ]
    help_text = subprocess.run(
        [sys.executable, "-m", "reprisal_cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    if " form " in help_text:
        commands.append(["form", "--format", "pdf", "-o", str(out / "form.pdf")])
    if " card " in help_text:
        commands.append(["card", "--format", "pdf", "-o", str(out / "card.pdf")])
    if " draft " in help_text:
        commands.append(["draft", str(answers)])
    if " batch " in help_text:
        inputs = tmp_path / "in"
        inputs.mkdir()
        write_answers(inputs, "one.yaml", case_id="one")
        write_answers(inputs, "two.yaml", case_id="two")
        commands.append(
            ["batch", str(inputs), "-o", str(tmp_path / "plans"), "-q", "--as-of", AS_OF]
        )
    return commands


def test_the_guard_catches_a_connection(offline: tuple[dict[str, str], Path]) -> None:
    env, log = offline
    probe = "import socket; socket.create_connection(('127.0.0.1', 9))"
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, check=False)
    assert done.returncode != 0 and b"blocked by the test" in done.stderr
    assert log.read_text(encoding="utf-8").startswith("create_connection")


@pytest.mark.slow
def test_commands_work_without_network(
    tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> None:
    env, log = offline
    answers = write_answers(tmp_path)
    for args in _commands(tmp_path, answers):
        done = subprocess.run(
            [*UNSHARE, sys.executable, "-m", "reprisal_cli", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, (args, done.stderr.decode())
        assert not log.exists(), (args, log.read_text(encoding="utf-8"))
    assert len(list((tmp_path / "out").iterdir())) >= 6


@pytest.mark.slow
def test_assess_in_a_terminal_without_network(
    tmp_path: Path, offline: tuple[dict[str, str], Path]
) -> None:
    import pexpect

    env, log = offline
    program, *prefix = [*UNSHARE, sys.executable] if UNSHARE else [sys.executable]
    child = pexpect.spawn(
        program,
        [*prefix, "-m", "reprisal_cli", "assess", "--as-of", AS_OF],
        cwd=str(tmp_path),
        env=env,
        dimensions=(50, 120),
        encoding="utf-8",
        timeout=60,
    )
    full_assess(child)
    assert finish(child) == 0
    assert not log.exists(), log.read_text(encoding="utf-8")
