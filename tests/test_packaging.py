"""The wheel carries the knowledge base: built, installed in a fresh venv, validated there."""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

from release_support import build_wheel, release_fingerprint

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_validates(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    # Run from an empty folder, so the checkout's data/ cannot be what is found.
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(bin_dir / "reprisal-cli"), "kb", "validate"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site-packages/reprisal_cli/data" in result.stdout
    version = subprocess.run(
        [str(bin_dir / "python"), "-m", "reprisal_cli", "--version"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert release_fingerprint() in version.stdout
