"""Start-up time of reprisal-cli commands, as ratios to a bare typer app measured in the same run.

    python bench/startup.py [--runs 21] [--example examples/china_2017.yaml]

Each command runs `--runs` times, interleaved with the others so that a busy machine slows all of
them alike; the figures are the median wall time and the median CPU time (user + system of the
command's process, which a busy machine disturbs much less than wall time; `assess` is timed by
wall only, since it is stopped at its first question). The baseline is a one-command typer
app's `--help` run with the same interpreter. reprisal-cli runs from its built wheel, unpacked
beside the venv's packages, so the knowledge-base snapshot that the build makes is measured as
users get it.
Targets (issue 9): --version and --help at most 1.2x the baseline; `plan --format json` and
`checklist` at most 1.3x; the first question of `assess` at most 2x. The knowledge base's own load
time (target: 20 ms) is measured in-process from the same install.
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import resource
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


def timed_run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed_first_question(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(
        argv[0], argv[1:], env=env, cwd=str(cwd), dimensions=(40, 120), encoding="utf-8", timeout=20
    )
    # The first question asks about immediate danger.
    child.expect("danger")
    elapsed = time.perf_counter() - start
    child.close(force=True)  # stopped, not quit: what Ctrl-C asks next is not measured
    return elapsed, float("nan")  # a pseudo-terminal child: its CPU time is not collected


def count_instructions(commands: dict[str, list[str]], env: dict[str, str], cwd: Path) -> None:
    """Each command once under valgrind's callgrind, which counts the instructions executed: the
    same count for the same code and inputs however busy the machine is (timings on a shared
    2-core machine moved by +-15% between runs of the same code). String hashing is fixed
    (PYTHONHASHSEED=0) so that set and dict order cannot change the count."""
    fixed = {**env, "PYTHONHASHSEED": "0"}
    counts: dict[str, int] = {}
    for name, argv in commands.items():
        subprocess.run(argv, env=fixed, cwd=cwd, capture_output=True, check=True)  # warm
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
            env=fixed,
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
        )
        counts[name] = int(done.stderr.rsplit("Collected :", 1)[1].split()[0])
    base = counts["baseline: bare typer --help"]
    print(f"python {sys.version.split()[0]} on {os.uname().machine}, instructions (callgrind)")
    for name, count in counts.items():
        print(f"{name:<28} {count / 1e6:>10.1f} M {count / base:>6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--example", default=str(ROOT / "examples" / "china_2017.yaml"))
    parser.add_argument("--checklist", default="document_incident")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions once per command under valgrind instead of timing",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="startup-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPROFILEIMPORTTIME",)}
    env["TERM"] = "xterm-256color"
    env["PYTHONPATH"] = str(install_wheel(work))
    baseline_script = work / "baseline.py"
    baseline_script.write_text(BASELINE_APP, encoding="utf-8")
    tool = cli()

    commands = {
        "baseline: bare typer --help": [sys.executable, str(baseline_script), "--help"],
        "--version": [*tool, "--version"],
        "--help": [*tool, "--help"],
        "plan --format json": [
            *tool, "plan", args.example, "--format", "json", "--as-of", "2026-11-25"
        ],
        "checklist --format md": [*tool, "checklist", args.checklist, "--format", "md"],
    }  # fmt: skip
    if args.instructions:
        count_instructions(commands, env, work)
        shutil.rmtree(work, ignore_errors=True)
        return
    cases: dict[str, Callable[[], tuple[float, float]]] = {
        name: functools.partial(timed_run, argv, env, work) for name, argv in commands.items()
    }
    cases["assess: first question"] = lambda: timed_first_question([*tool, "assess"], env, work)
    targets = {
        "--version": 1.2,
        "--help": 1.2,
        "plan --format json": 1.3,
        "checklist --format md": 1.3,
        "assess: first question": 2.0,
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
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

    def medians(name: str) -> tuple[float, float]:
        return (
            statistics.median(wall for wall, _ in samples[name]),
            statistics.median(cpu for _, cpu in samples[name]),
        )

    base_wall, base_cpu = medians("baseline: bare typer --help")
    print(
        f"python {sys.version.split()[0]} on {os.uname().machine}, {os.cpu_count()} cores, "
        f"{args.runs} runs each, medians; load average {os.getloadavg()[0]:.2f}"
    )
    print(f"{'command':<28} {'wall ms':>8} {'ratio':>6} {'CPU ms':>8} {'ratio':>6} {'target':>7}")
    for name in samples:
        wall, cpu = medians(name)
        target = targets.get(name)
        ratios = [r for r in (wall / base_wall, cpu / base_cpu) if not math.isnan(r)]
        verdict = "" if target is None else ("ok" if max(ratios) <= target else "OVER")
        print(
            f"{name:<28} {wall * 1000:>8.1f} {wall / base_wall:>6.2f} {cpu * 1000:>8.1f} "
            f"{cpu / base_cpu:>6.2f} {'' if target is None else f'{target:.1f}':>7} {verdict}"
        )
    load_ms = float(kb_load)
    print(
        f"{'knowledge base load':<28} {load_ms:>10.1f} {'':>7} {'20 ms':>7} "
        f"{'ok' if load_ms <= 20 else 'OVER'}"
    )


if __name__ == "__main__":
    main()
