"""No trace by default (issue 8, point 2): with no output option, `assess` (in a real terminal)
and `plan` leave nothing behind: no new or changed file in HOME, the XDG folders, TMPDIR or the
working folder (no history, no cache, no bytecode: the installed package's bytecode lives with it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from test_safety_support import AS_OF, finish, full_assess, terminal_env, write_answers

Snapshot = dict[str, tuple[bool, int, int]]
WATCHED = ("home", "config", "cache", "data", "state", "tmp", "work")


def snapshot(root: Path) -> Snapshot:
    """Every path under `root`: whether it is a folder, its size and its mtime (ns)."""
    found: Snapshot = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        found[str(path.relative_to(root))] = (path.is_dir(), info.st_size, info.st_mtime_ns)
    return found


@pytest.fixture
def sandbox(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    for name in WATCHED:
        (tmp_path / name).mkdir()
    answers = write_answers(tmp_path / "work")
    assert answers.parent == tmp_path / "work"
    env = terminal_env(
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        TMPDIR=str(tmp_path / "tmp"),
    )
    return tmp_path, env


@pytest.mark.slow
def test_plan_and_assess_leave_no_trace(sandbox: tuple[Path, dict[str, str]]) -> None:
    root, env = sandbox
    work = root / "work"
    before = snapshot(root)

    for args in (["--format", "md"], ["--format", "pdf"], ["--format", "html"], []):
        done = subprocess.run(
            [sys.executable, "-m", "reprisal_cli", "plan", "case.yaml", "--as-of", AS_OF, *args],
            cwd=work,
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout

    # plan on a terminal (the rich view) and a whole assess session, in a pseudo-terminal
    child = pexpect.spawn(
        sys.executable,
        ["-m", "reprisal_cli", "plan", "case.yaml", "--as-of", AS_OF],
        cwd=str(work),
        env=env,
        dimensions=(50, 120),
        encoding="utf-8",
        timeout=60,
    )
    child.expect_exact("Risk level")
    assert finish(child) == 0
    child = pexpect.spawn(
        sys.executable,
        ["-m", "reprisal_cli", "assess", "--as-of", AS_OF],
        cwd=str(work),
        env=env,
        dimensions=(50, 120),
        encoding="utf-8",
        timeout=60,
    )
    full_assess(child)
    assert finish(child) == 0

    after = snapshot(root)
    assert after == before
