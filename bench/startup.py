"""Start-up time of reprisal-cli commands, as ratios to a bare typer app measured in the same run.

    python bench/startup.py [--runs 21] [--example examples/china_2017.yaml]

Each command runs `--runs` times, interleaved with the others so that a busy machine slows all of
them alike; the figure is the median wall time. The baseline is a one-command typer app's `--help`
run with the same interpreter. reprisal-cli runs from its built wheel, unpacked beside the venv's
packages, so the knowledge-base snapshot that the build makes is measured as users get it.
Targets (issue 9): --version and --help at most 1.2x the baseline; `plan --format json` and
`checklist` at most 1.3x; the first question of `assess` at most 2x. The knowledge base's own load
time (target: 20 ms) is measured in-process from the same install.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE_APP = '''
import typer

app = typer.Typer()


@app.command()
def main(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


app()
'''


KB_LOAD_PROBE = """
import statistics, time
from reprisal_cli.kb.loader import load_kb
times = []
for _ in range(21):
    start = time.perf_counter()
    load_kb()
    times.append(time.perf_counter() - start)
print(statistics.median(times) * 1000)
"""


def install_wheel(work: Path) -> Path:
    """Build the wheel and unpack it into `work/site`, as a user's install would have it (with
    the knowledge-base snapshot the build makes); the venv's own packages serve its dependencies."""
    dist = work / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    site = work / "site"
    wheel = next(dist.glob("reprisal_cli-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return site


def cli() -> list[str]:
    return [sys.executable, "-m", "reprisal_cli"]


def timed_run(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    return time.perf_counter() - start


def timed_first_question(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(
        argv[0], argv[1:], env=env, cwd=str(cwd), dimensions=(40, 120), encoding="utf-8", timeout=20
    )
    # The first question asks about immediate danger.
    child.expect("danger")
    elapsed = time.perf_counter() - start
    child.close(force=True)  # stopped, not quit: what Ctrl-C asks next is not measured
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--example", default=str(ROOT / "examples" / "china_2017.yaml"))
    parser.add_argument("--checklist", default="document_incident")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="startup-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPROFILEIMPORTTIME",)}
    env["TERM"] = "xterm-256color"
    env["PYTHONPATH"] = str(install_wheel(work))
    baseline_script = work / "baseline.py"
    baseline_script.write_text(BASELINE_APP, encoding="utf-8")
    tool = cli()

    cases: dict[str, Callable[[], float]] = {
        "baseline: bare typer --help": lambda: timed_run(
            [sys.executable, str(baseline_script), "--help"], env, work
        ),
        "--version": lambda: timed_run([*tool, "--version"], env, work),
        "--help": lambda: timed_run([*tool, "--help"], env, work),
        "plan --format json": lambda: timed_run(
            [*tool, "plan", args.example, "--format", "json", "--as-of", "2026-11-25"], env, work
        ),
        "checklist --format md": lambda: timed_run(
            [*tool, "checklist", args.checklist, "--format", "md"], env, work
        ),
        "assess: first question": lambda: timed_first_question([*tool, "assess"], env, work),
    }
    targets = {
        "--version": 1.2,
        "--help": 1.2,
        "plan --format json": 1.3,
        "checklist --format md": 1.3,
        "assess: first question": 2.0,
    }
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for run in cases.values():  # warm the disk cache once
        run()
    for _ in range(args.runs):
        for name, run in cases.items():
            samples[name].append(run())
    kb_load = subprocess.run(
        [sys.executable, "-c", KB_LOAD_PROBE],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    shutil.rmtree(work, ignore_errors=True)

    base = statistics.median(samples["baseline: bare typer --help"])
    print(
        f"python {sys.version.split()[0]} on {os.uname().machine}, {os.cpu_count()} cores, "
        f"{args.runs} runs each, medians"
    )
    print(f"{'command':<28} {'median ms':>10} {'ratio':>7} {'target':>7}")
    for name, values in samples.items():
        median = statistics.median(values)
        target = targets.get(name)
        verdict = "" if target is None else ("ok" if median / base <= target else "OVER")
        print(
            f"{name:<28} {median * 1000:>10.1f} {median / base:>7.2f} "
            f"{'' if target is None else f'{target:.1f}':>7} {verdict}"
        )
    load_ms = float(kb_load)
    print(
        f"{'knowledge base load':<28} {load_ms:>10.1f} {'':>7} {'20 ms':>7} "
        f"{'ok' if load_ms <= 20 else 'OVER'}"
    )


if __name__ == "__main__":
    main()
