"""Red team round 46: `followup`'s forked shares (`workers.Shares`), `cli.main`'s gc.freeze, and
`KnowledgeBase.report_mechanisms`."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from process_support import live_children
from reprisal_cli.workers import Shares, can_fork

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not can_fork() or not Path("/proc").is_dir(), reason="forks, and reads /proc"
)


def _open_fds() -> set[str]:
    return {entry.name for entry in Path("/proc/self/fd").iterdir()}


@pytest.fixture
def ctrl_c() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt here, as in the command (whatever the test runner set)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_while_the_shares_end_still_ends_and_waits_for_thelive_children() -> None:
    """A second Ctrl-C (or SIGTERM) while the shares are ending (their children sent SIGTERM,
    waited for) left the children running or unwaited for, their pipes open and the collector
    frozen in a process that runs `followup` again (CliRunner, a library user): 262 of 400
    Ctrl-Cs in a loop of small shares left a zombie and two descriptors each (red46).

    Here the child answers the SIGTERM of the stop with a Ctrl-C to this process, as a person
    pressing Ctrl-C again would, and goes on: the Ctrl-C comes while the shares wait for it."""
    parent = os.getpid()
    before = live_children()
    ready, busy = os.pipe()

    def work(item: int) -> int:
        if os.getpid() == parent:  # fails once the child is at work
            os.read(ready, 1)
            raise ValueError("this process's share failed")

        def again(signum: int, frame: FrameType | None) -> None:
            os.kill(parent, signal.SIGINT)

        signal.signal(signal.SIGTERM, again)
        os.write(busy, b"!")
        while True:
            signal.pause()

    fds = _open_fds()
    shares = Shares(2, work, list(range(3200)), chunksize=32, lost="items")
    try:
        with pytest.raises(KeyboardInterrupt):
            list(shares.run())
        left = live_children() - before
        assert not left, "children left behind"
        assert _open_fds() == fds
        assert gc.get_freeze_count() == 0
    finally:
        os.close(ready)
        os.close(busy)
        for pid in live_children() - before:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


# Ctrl-C as `os.fork` returns in this process: the hook runs inside the fork, in C (no Python
# between it and the fork's return), so the interruption comes at the first moment Python looks.
_CTRL_C_AT_FORK = """
import ctypes, functools, json, os, signal, sys
sys.path.insert(0, sys.argv[1])  # the tests' folder
from process_support import live_children
from reprisal_cli.workers import Shares

signal.signal(signal.SIGINT, signal.default_int_handler)
libc = ctypes.CDLL(None)
os.register_at_fork(after_in_parent=functools.partial(getattr(libc, "raise"), signal.SIGINT))
fds = len(os.listdir("/proc/self/fd"))
try:
    Shares(2, str, list(range(3200)), chunksize=32, lost="items")
    outcome = "no interruption"
except KeyboardInterrupt:
    outcome = "interrupted"
left = live_children()
for pid in left:
    os.kill(pid, signal.SIGKILL)
print(json.dumps({"outcome": outcome, "left": len(left),
                  "fds": len(os.listdir("/proc/self/fd")) - fds}))
"""


def test_ctrl_c_as_a_child_is_forked_leaves_no_child_behind() -> None:
    """Ctrl-C (or SIGTERM) as `os.fork` returned lost the child's number: the shares never ended
    it nor waited for it, and kept its pipe, in a process that goes on (CliRunner, a library
    user). 3 of 1,500 Ctrl-Cs in a loop of small shares (red46)."""
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _CTRL_C_AT_FORK, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == {"outcome": "interrupted", "left": 0, "fds": 0}


def test_a_lost_child_of_followup_names_no_option_followup_does_not_have(tmp_path: Path) -> None:
    """A child of `followup` killed (the out-of-memory killer, kill -9) ends it with exit 4 and an
    error the person can act on: it said "try fewer --jobs", an option `followup` does not have
    (red46). Real processes and case files: one file a chunk is locked with a passphrase (about
    a second to open), so the child is still reading when it is killed."""
    import shutil
    import subprocess
    import sys

    from red_support import HONDURAS, run
    from test_safety_support import age_keypair

    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text("correct horse battery staple vigil\n", encoding="utf-8")
    locked, unlocked = tmp_path / "locked.age", tmp_path / "unlocked.age"
    made = run("case", "new", locked, "--passphrase-file", passphrase, "--answers", HONDURAS)
    assert made.exit_code == 0, made.output
    _key, public = age_keypair(tmp_path)
    made = run("case", "new", unlocked, "--recipient", public, "--answers", HONDURAS)
    assert made.exit_code == 0, made.output
    caseload = tmp_path / "caseload"
    caseload.mkdir()
    for n in range(220):  # chunks of 32 from the second file: one locked file in each
        shutil.copy(locked if n % 32 == 5 else unlocked, caseload / f"f{n:03}.age")
    command = [sys.executable, "-c", "from reprisal_cli.cli import main; main()"]
    process = subprocess.Popen(
        [*command, "followup", str(caseload), "--passphrase-file", str(passphrase), "-f", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        while process.poll() is None and not children.read_text(encoding="ascii").split():
            os.sched_yield()
        child = children.read_text(encoding="ascii").split()
        assert child, "followup ended before it forked"
        os.kill(int(child[0]), signal.SIGKILL)
        _out, err = process.communicate(timeout=600)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 4, err
    assert "a worker process stopped before it finished its case files" in err
    assert "--jobs" not in err


@pytest.mark.parametrize(
    "args",
    [["kb", "list", "mechanisms"], ["plan", str(ROOT / "examples" / "burundi_2016.yaml")]],
)
def test_a_command_started_with_standard_output_closed_writes_no_traceback(
    args: list[str],
) -> None:
    """red46: `reprisal-cli ... >&-` (standard output closed) ended in a traceback
    ('NoneType' object has no attribute 'flush'), exit 1: the output now goes nowhere, as with
    `> /dev/null`."""
    done = subprocess.run(
        [sys.executable, "-m", "reprisal_cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
        preexec_fn=lambda: os.close(1),
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
