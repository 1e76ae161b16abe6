"""Threat: outputs lost or replaced behind the user's back, or plaintext under a name that says
it is encrypted (issue 19; review M5, M6, M14, L4).

What must hold: `-o` without `--force` never replaces a file, even with 20 writers at once; a
write killed with `kill -9` leaves the old file whole and no temporary file; a full disk behind
standard output is exit 4 with a message; `open -o NAME.age` refuses to write plaintext; a name
as long as the folder allows is writable.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reprisal_cli import crypto
from reprisal_cli.output import publish, write_atomic
from test_safety_support import AS_OF, CASE_MARKER, PASSPHRASE, answers_yaml, cli, write_answers

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "honduras_2017.yaml"


def strays(folder: Path, *keep: str) -> list[str]:
    """Files in `folder` other than `keep`: a temporary file left behind shows here."""
    return sorted({p.name for p in folder.iterdir()} - set(keep))


def strace_stall() -> list[str]:
    """A prefix that makes every fsync of the command wait 1.5 s (a slow USB stick, made
    certain): the window in which writers race, or in which a kill lands."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (apt-get install strace)")
    return [strace, "-f", "-qq", "-o", os.devnull, "-e", "trace=fsync",
            "-e", "inject=fsync:delay_enter=1500000"]  # fmt: skip


def tool(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "reprisal_cli", *map(str, args)]


@pytest.mark.slow
def test_twenty_writers_to_one_name_exactly_one_wins(tmp_path: Path) -> None:
    """M5: every writer passes the "exists?" check while the others are still writing."""
    prefix = strace_stall()
    target = tmp_path / "same.md"

    def writer(day: int) -> subprocess.Popen[bytes]:
        args = ("plan", EXAMPLE, "--format", "md", "-o", target, "--as-of", f"2026-11-{day:02d}")
        return subprocess.Popen(
            [*prefix, *tool(*args)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    writers = [writer(day) for day in range(1, 21)]
    results = [(w.wait(timeout=300), w.stderr.read() if w.stderr else b"") for w in writers]
    winners = [day for day, (code, _) in enumerate(results, start=1) if code == 0]
    assert len(winners) == 1, results
    for code, err in results:
        assert code in (0, 4), err
        if code == 4:
            assert b"already exists" in err
    assert f"2026-11-{winners[0]:02d}" in target.read_text(encoding="utf-8")
    assert strays(tmp_path, "same.md") == []


def test_a_staged_file_never_takes_an_existing_name(tmp_path: Path) -> None:
    """M5, on file systems without files that have no name: the staged copy is linked, not
    renamed, so a name taken after the check is kept."""
    target = tmp_path / "plan.md"
    staged = tmp_path / ".reprisal-staged.tmp"
    staged.write_text("new", encoding="utf-8")
    target.write_text("someone else's", encoding="utf-8")
    with pytest.raises(FileExistsError):
        publish(staged, target, force=False)
    assert target.read_text(encoding="utf-8") == "someone else's"
    target.unlink()
    publish(staged, target, force=False)
    assert target.read_text(encoding="utf-8") == "new"


@pytest.mark.slow
def test_kill_9_while_writing_keeps_the_old_file_and_leaves_nothing(tmp_path: Path) -> None:
    prefix = strace_stall()
    target = tmp_path / "plan.md"
    target.write_text("the old plan\n", encoding="utf-8")
    tracer = subprocess.Popen(
        [*prefix, *tool("plan", EXAMPLE, "--format", "md", "-o", target, "--force",
                        "--as-of", AS_OF)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    writer = _writing(tracer.pid, tmp_path)
    os.kill(writer, signal.SIGKILL)
    tracer.wait(timeout=60)
    assert target.read_text(encoding="utf-8") == "the old plan\n"
    assert strays(tmp_path, "plan.md") == []


def _writing(tracer: int, folder: Path) -> int:
    """The traced command's pid, once it holds a file open in `folder` (stalled in fsync)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = Path(f"/proc/{tracer}/task/{tracer}/children").read_text().split()
        for child in children:
            try:
                fds = [str(fd.readlink()) for fd in Path(f"/proc/{child}/fd").iterdir()]
            except OSError:
                continue
            if any(fd.startswith(str(folder)) for fd in fds):
                return int(child)
        time.sleep(0.02)
    pytest.fail("the command never opened its output")


STDOUT_COMMANDS = [
    ("plan", str(EXAMPLE), "--format", "md", "--as-of", AS_OF),
    ("plan", str(EXAMPLE), "--format", "pdf", "--as-of", AS_OF),
    ("card", "--format", "txt", "--as-of", AS_OF),
    ("draft", str(EXAMPLE)),
    ("checklist",),
    ("kb", "list", "organisations"),
    ("kb", "show", "front_line_defenders"),
    ("schema", "answers"),
    ("--version",),
]


@pytest.mark.parametrize("args", STDOUT_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_full_disk_behind_standard_output_is_exit_4(args: tuple[str, ...]) -> None:
    """M6: `plan x.yaml > /media/usb/plan.md` on a full stick."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(tool(*args), stdout=full, stderr=subprocess.PIPE, check=False)
    assert done.returncode == 4, done.stderr
    assert b"the disk is full" in done.stderr
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr


@pytest.mark.slow
def test_open_refuses_plaintext_under_an_age_name(tmp_path: Path) -> None:
    """M14: open writes what it decrypted; a name ending in .age would lie about it."""
    locked = tmp_path / "answers.yaml.age"
    locked.write_bytes(crypto.encrypt_passphrase(answers_yaml(), PASSPHRASE))
    passfile = tmp_path / "pw"
    passfile.write_text(PASSPHRASE + "\n", encoding="utf-8")
    for name in ("plain_named.yaml.age", "plan.md.AGE"):
        done = cli("open", locked, "--passphrase-file", passfile, "-o", tmp_path / name)
        assert done.returncode == 2, done.stderr
        assert b"would not be encrypted" in done.stderr
        assert not (tmp_path / name).exists()
    fine = cli("open", locked, "--passphrase-file", passfile, "-o", tmp_path / "answers.yaml")
    assert fine.returncode == 0, fine.stderr
    assert CASE_MARKER in (tmp_path / "answers.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("length", [254, 255])
def test_longest_names_are_writable(tmp_path: Path, length: int) -> None:
    """L4: the temporary name must not be longer than the name asked for."""
    if os.pathconf(tmp_path, "PC_NAME_MAX") < length:
        pytest.skip("this file system takes shorter names")
    name = "p" * (length - 3) + ".md"
    done = cli("plan", write_answers(tmp_path), "--format", "md", "-o", tmp_path / name,
               "--as-of", AS_OF)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / name).stat().st_size > 0
    assert strays(tmp_path, name, "case.yaml") == []


def test_write_atomic_keeps_an_existing_file_and_writes_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, "first")
    from reprisal_cli.errors import OutputError

    with pytest.raises(OutputError, match="already exists"):
        write_atomic(target, "second")
    assert target.read_text(encoding="utf-8") == "first"
    write_atomic(target, "second", force=True)
    assert target.read_text(encoding="utf-8") == "second"
    assert target.stat().st_mode & 0o777 == 0o600
    assert strays(tmp_path, "out.txt") == []
