"""Threat: a small hostile file that makes the tool take all the memory or hang: a YAML
merge-key bomb, a huge or endless file in a knowledge-base folder (issue 19; review M9, M15).

What must hold: merge keys (`<<`) are refused before PyYAML expands them, whatever PyYAML version
is installed (6.0.3 and older expand a 600-byte file into gigabytes); `kb fingerprint DIR`, like
every reader, refuses a file over its size limit, a FIFO and a link, at once.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reprisal_cli.cli import app
from reprisal_cli.kb.files import KB_FILES, MAX_HASHED_BYTES

ROOT = Path(__file__).resolve().parents[1]
MEMORY = 1024 * 1024 * 1024  # the tool plans in far less; a bomb needs gigabytes
runner = CliRunner()


def merge_bomb(levels: int = 30) -> str:
    """The review's 600-byte answers file: each level merges the one before twice."""
    text = "&a0 {k0: 1}"
    for i in range(1, levels + 1):
        text = f"&a{i} {{<<: [{text}, *a{i - 1}]}}"
    return f"schema: reprisal-cli/answers/v1\nnotes: {text}\n"


def limited(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The CLI with 1 GiB of address space and 60 s: a bomb fails the test, not the machine."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run(
        [sys.executable, "-m", "reprisal_cli", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        timeout=60,
        preexec_fn=cap,
        check=False,
    )


def test_merge_key_bomb_in_an_answers_file_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "mergebomb30.yaml"
    bomb.write_text(merge_bomb(), encoding="utf-8")
    assert bomb.stat().st_size < 700
    done = limited("plan", bomb, "--format", "json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert b"mergebomb30.yaml:2:" in done.stderr
    assert b"merge keys (<<) are not allowed" in done.stderr
    assert b"Traceback" not in done.stderr and done.stdout == b""


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {a: 1}\nother: {<<: *b, c: 2}\n",
        "x: !!set {<<: {k: null}}\n",  # PyYAML's own constructors merge too
    ],
    ids=["plain", "set"],
)
def test_any_merge_key_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("schema: reprisal-cli/answers/v1\n" + text, encoding="utf-8")
    done = runner.invoke(app, ["plan", str(path), "--format", "json"])
    assert done.exit_code == 1
    assert "merge keys (<<) are not allowed" in done.output


def test_merge_key_bomb_in_a_custom_knowledge_base_is_refused(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "data", kb)
    with (kb / "organisations.yaml").open("a", encoding="utf-8") as handle:
        handle.write(merge_bomb().split("\n", 1)[1].replace("notes:", "bomb:"))
    done = limited("kb", "validate", kb, cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert b"merge keys (<<) are not allowed" in done.stdout + done.stderr


def _kb_copy(tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    kb.mkdir()
    for name in KB_FILES:
        if (ROOT / "data" / name).exists():
            (kb / name).parent.mkdir(exist_ok=True)
            shutil.copy(ROOT / "data" / name, kb / name)
    return kb


def test_kb_fingerprint_refuses_a_huge_file_without_reading_it(tmp_path: Path) -> None:
    """M15: a 40 GB (sparse) cases.yaml."""
    kb = _kb_copy(tmp_path)
    with (kb / "cases.yaml").open("r+b") as handle:
        handle.truncate(40 * 1024**3)
    done = limited("kb", "fingerprint", kb, cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert f"larger than {MAX_HASHED_BYTES // 1024**2} MiB".encode() in done.stderr
    assert b"Traceback" not in done.stderr


def test_kb_fingerprint_refuses_a_fifo_and_a_link_at_once(tmp_path: Path) -> None:
    kb = _kb_copy(tmp_path)
    (kb / "cases.yaml").unlink()
    os.mkfifo(kb / "cases.yaml")  # nobody writes to it: reading would wait for ever
    done = limited("kb", "fingerprint", kb, cwd=tmp_path)
    assert done.returncode == 3 and b"not a regular file" in done.stderr, done.stderr
    (kb / "cases.yaml").unlink()
    (kb / "cases.yaml").symlink_to(ROOT / "data" / "cases.yaml")
    done = limited("kb", "fingerprint", kb, cwd=tmp_path)
    assert done.returncode == 3 and b"symbolic link" in done.stderr, done.stderr
