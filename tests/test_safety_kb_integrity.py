"""Knowledge-base integrity (issue 8, point 7), from a real installed wheel: the release manifest
travels in the wheel; once a shipped data file is changed in site-packages, every format of the
plan says so, and the fingerprint no longer matches the published one."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from release_support import install_wheel
from test_safety_support import AS_OF, write_answers

ROOT = Path(__file__).resolve().parents[1]
WARNING = "Knowledge base changed since release: check contacts before use"
FORMATS = ("json", "md", "txt", "html", "pdf", "terminal")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, unpacked with pip into a folder of its own."""
    target = install_wheel(tmp_path_factory.mktemp("wheel"))
    assert (target / "reprisal_cli" / "data" / "MANIFEST.json").is_file()
    return target


def env_for(site: Path) -> dict[str, str]:
    # The installed copy first, and nothing of the checkout: its dependencies come from the venv.
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    return environ | {"PYTHONPATH": str(site), "TERM": "xterm-256color", "COLUMNS": "120"}


def output(site: Path, answers: Path, fmt: str) -> str:
    args = ["-m", "reprisal_cli", "plan", str(answers), "--as-of", AS_OF]
    if fmt == "terminal":
        child = pexpect.spawn(
            sys.executable, args, env=env_for(site), encoding="utf-8", dimensions=(50, 120)
        )
        text = str(child.read())
        child.close()
        assert child.exitstatus == 0
        return re.sub(r"\x1b\[[0-9;]*m", "", text)
    done = subprocess.run(
        [sys.executable, *args, "--format", fmt],
        env=env_for(site),
        capture_output=True,
        check=False,
        cwd=answers.parent,
    )
    assert done.returncode == 0, done.stderr
    if fmt == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(done.stdout))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    return done.stdout.decode("utf-8")


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_modified_installed_kb_is_flagged_in_every_format(installed: Path, tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    site = installed
    code = "from reprisal_cli.kb.files import builtin_dir; print(builtin_dir())"
    where = subprocess.run(
        [sys.executable, "-c", code], env=env_for(site), capture_output=True, text=True, check=True
    ).stdout.strip()
    assert Path(where) == site / "reprisal_cli" / "data"
    manifest = json.loads((site / "reprisal_cli" / "data" / "MANIFEST.json").read_text("utf-8"))

    for fmt in ("json", "md"):
        assert WARNING not in flat(output(site, answers, fmt))
    fingerprint = subprocess.run(
        [sys.executable, "-m", "reprisal_cli", "kb", "fingerprint"],
        env=env_for(site), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert manifest["fingerprint"] in fingerprint

    data_file = site / "reprisal_cli" / "data" / "organisations.yaml"
    data_file.write_bytes(data_file.read_bytes() + b"# changed after release\n")
    for fmt in FORMATS:
        text = flat(output(site, answers, fmt))
        assert WARNING in text, fmt
        if fmt == "json":
            assert json.loads(text)["kb"]["modified"] is True
        # (The short views give the warning at the top; the knowledge-base line, marked
        # "modified", is in the full view.)
    changed = subprocess.run(
        [sys.executable, "-m", "reprisal_cli", "kb", "fingerprint"],
        env=env_for(site), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert manifest["fingerprint"] not in changed
