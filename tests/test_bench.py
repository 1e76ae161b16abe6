"""The benchmark scripts still run (their figures are not checked here: speed is measured in
`bench/`, never asserted in tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_batch_benchmark_runs_and_reports_what_it_measured() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "batch.py"), "-n", "24", "--memory"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = dict(line.split(None, 1) for line in proc.stdout.splitlines())
    assert report["cases"].startswith("24 (json, --jobs 2")
    assert "knowledge base:" in report["reprisal_cli"]
    assert float(report["ratio"].split()[0]) > 0
    assert float(report["batch"].split()[0]) > 0
    assert report["peak"].startswith("memory")
    assert "taken by the host" in report["steal"]


@pytest.mark.slow
def test_the_followup_benchmark_runs_and_reports_what_it_measured() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "followup.py"), "-n", "12", "--runs", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("followup from")
    assert lines[1].startswith("12 case files")
    assert any(line.startswith("followup: ") and "median of 2" in line for line in lines)
    assert any(line.startswith("ratio followup / floor as a program: ") for line in lines)
    assert any(line.startswith("ratio followup / floor in process: ") for line in lines)
    verdicts = [line for line in lines if line.startswith("at most ")]
    assert [v.split(":")[0] for v in verdicts] == [
        "at most 5 s",
        "at most 2x the floor as a program (both programs)",
        "at most 2x the floor in process (no start-up in it)",
    ]
    assert all(v.endswith((": met", ": NOT met")) for v in verdicts)
