"""What a release carries, for the tests that compare an install with this checkout: the wheel
built and unpacked into a folder of its own, and the fingerprint its data folder has.

No tests here.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from reprisal_cli.kb import snapshot
from reprisal_cli.kb.files import KB_FILES, SNAPSHOT, fingerprint_from, hashes_of
from reprisal_cli.kb.loader import load_kb

ROOT = Path(__file__).resolve().parents[1]


def release_fingerprint(data: Path = ROOT / "data") -> str:
    """The fingerprint of the wheel built from `data`: its YAML files and the snapshot the
    build makes of them (the build is reproducible, so this is the published value)."""
    hashes = hashes_of(data, KB_FILES)
    hashes[SNAPSHOT] = hashlib.sha256(snapshot.build(load_kb(data))).hexdigest()
    return fingerprint_from(hashes)


def build_wheel(tmp: Path) -> Path:
    """The wheel of this checkout, built into `tmp/dist`."""
    dist = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return next(dist.glob("reprisal_cli-*.whl"))


def install_wheel(tmp: Path) -> Path:
    """The wheel built from this checkout, unpacked with pip into `tmp/site`."""
    wheel = build_wheel(tmp)
    target = tmp / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return target


def env_for(site: Path) -> dict[str, str]:
    """The installed copy first, and nothing of the checkout: its dependencies come from the
    venv."""
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    return environ | {"PYTHONPATH": str(site), "TERM": "xterm-256color", "COLUMNS": "120"}
