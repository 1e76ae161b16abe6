"""Throughput of `reprisal-cli batch`, as a ratio to a floor measured in the same run.

    python bench/batch.py [-n 10000] [--jobs 2] [--seed 7] [--format json] [--memory] [--wheel]

Makes N synthetic answers files (seeded; every value of every contract key appears), runs the
real CLI on them in a subprocess (`batch DIR -o OUT --format json --jobs J`), and times:

- batch: the whole command, start-up and knowledge-base loading included;
- floor: in this process, read each input, parse it (the tool's own YAML/JSON reader) and write
  the same bytes the batch wrote for it, as the batch does (`GroupWriter`: temp files, one
  flush of the disk per group of the batch's size, then the renames). The bytes are
  pre-computed: no evaluation, no rendering.

It prints plans per second and batch / floor. Targets (issue 7, a 2-core machine): 10,000 cases
in at most 10 s; ratio at most 3. `--memory` also samples the summed resident memory of the
batch's process tree (main process and workers) every 50 ms and prints the peak.

The batch runs the installed `reprisal-cli`. An editable install (`pip install -e`, as for the
tests) has no knowledge-base snapshot, so each start reads and checks the YAML files (about a
second); `--wheel` builds this checkout's wheel and runs the batch from it, as users run it.
The first lines printed say which one ran. On a virtual machine the host may take CPU time
from it (steal): a line says how much it took during the batch, for comparing runs.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from reprisal_cli import contract
from reprisal_cli.batch import GROUP
from reprisal_cli.documents import parse
from reprisal_cli.errors import AnswersError
from reprisal_cli.output import GroupWriter

AS_OF = "2026-11-25"
LISTS = {
    "profile": contract.PROFILES,
    "engagement": contract.ENGAGEMENTS,
    "treaty_body": contract.TREATY_BODIES,
    "reprisals": contract.REPRISALS,
    "others_at_risk": contract.OTHERS_AT_RISK,
}
ENUMS = {
    "respondent": contract.RESPONDENTS,
    "region": contract.REGIONS,
    "stage": contract.STAGES,
    "location": contract.LOCATIONS,
    "consent_publicity": contract.CONSENT_VALUES,
    "consent_share_with_un": contract.CONSENT_VALUES,
}
BOOLS = ("immediate_danger", "devices_compromised", "travel_planned")


def synthetic_case(rng: random.Random, index: int) -> dict[str, object]:
    """One random, valid answers document; each key is absent about one time in five."""
    doc: dict[str, object] = {"schema": contract.ANSWERS_SCHEMA, "case_id": f"case-{index:06d}"}
    for key, values in ENUMS.items():
        if rng.random() < 0.8:
            doc[key] = values[index % len(values)] if index < 50 else rng.choice(values)
    for key, values in LISTS.items():
        if rng.random() < 0.8:
            first = values[index % len(values)]  # the first cases cover every value
            doc[key] = sorted({first, *rng.sample(values, rng.randint(0, 3))})
    for key in BOOLS:
        if rng.random() < 0.8:
            doc[key] = rng.random() < 0.5
    if rng.random() < 0.5:
        doc["incident_date"] = f"20{rng.randint(10, 26)}-{rng.randint(1, 12):02d}"
    if rng.random() < 0.3:
        doc["notes"] = "Synthetic case: " + "details " * rng.randint(1, 40)
    return doc


def make_cases(folder: Path, n: int, seed: int) -> None:
    import yaml

    rng = random.Random(seed)
    for index in range(n):
        doc = synthetic_case(rng, index)
        if index % 4 == 3:
            (folder / f"case-{index:06d}.json").write_text(json.dumps(doc), encoding="utf-8")
        else:
            text = yaml.safe_dump(doc, sort_keys=False)
            (folder / f"case-{index:06d}.yaml").write_text(text, encoding="utf-8")


ROOT = Path(__file__).resolve().parents[1]


def cli(wheel: Path | None) -> list[str]:
    if wheel is not None:
        return [sys.executable, "-m", "reprisal_cli"]
    script = Path(sys.executable).with_name("reprisal-cli")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reprisal_cli"]


def environment(wheel: Path | None) -> dict[str, str]:
    """The batch's environment: with `wheel`, the unpacked wheel comes first on the path."""
    env = dict(os.environ)
    if wheel is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(wheel), *filter(None, [env.get("PYTHONPATH")])])
    return env


def build_wheel(into: Path, root: Path = ROOT) -> Path:
    """This checkout (or the source tree `root`) as `pip install .` installs it (with the
    knowledge-base snapshot the wheel's build hook makes), unpacked into `into`."""
    import zipfile

    built = into / "built"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(built), str(root)],
        check=True,
    )
    (wheel,) = built.glob("*.whl")
    unpacked = into / "wheel"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    # `pip install` compiles the modules as it installs them; a run under
    # PYTHONDONTWRITEBYTECODE (set on some machines) would otherwise compile every module at
    # every start, about 80 ms of a command's start-up (bench/RESULTS.md, follow-up).
    compileall.compile_dir(unpacked, quiet=1)
    return unpacked


def install_info(wheel: Path | None) -> str:
    """Where the batch's reprisal_cli comes from, and whether it starts from the snapshot."""
    probe = (
        "import reprisal_cli; from reprisal_cli.kb import snapshot; "
        "print(reprisal_cli.__file__, snapshot.read() is not None)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        env=environment(wheel),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    source = "snapshot" if out[-1] == "True" else "YAML files, read and checked at each start"
    where = "this checkout's wheel" if wheel is not None else str(Path(out[0]).parent)
    return f"{where} (knowledge base: {source})"


class TreeMemory:
    """Peak of the summed RSS of a process and its descendants, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kib = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self, pid: int) -> list[int]:
        out = [pid]
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                out += [p for c in task.read_text().split() for p in self._tree(int(c))]
        return out

    def _rss(self, pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._done.is_set():
            total = sum(self._rss(p) for p in self._tree(self.pid))
            self.peak_kib = max(self.peak_kib, total)
            time.sleep(0.05)

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak_kib


def cpu_ticks() -> list[int] | None:
    """The machine's CPU time so far by kind (Linux: user, nice, system, idle, iowait, irq,
    softirq, steal), or None."""
    try:
        with Path("/proc/stat").open(encoding="ascii") as stat:
            return [int(v) for v in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return None


def stolen(before: list[int] | None, after: list[int] | None) -> str:
    """The share of CPU time the host took from this virtual machine between two readings."""
    if before is None or after is None or len(before) < 8:
        return "not known (no /proc/stat)"
    spent = [b - a for a, b in zip(before, after, strict=True)]
    return f"{100 * spent[7] / max(1, sum(spent)):.0f}% of the machine's CPU time"


def run_batch(
    inputs: Path, out: Path, jobs: int, fmt: str, memory: bool, wheel: Path | None
) -> tuple[float, int]:
    argv = [*cli(wheel), "batch", str(inputs), "-o", str(out), "--format", fmt]
    argv += ["--jobs", str(jobs), "--as-of", AS_OF, "--quiet"]
    env = environment(wheel)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    sampler = TreeMemory(proc.pid) if memory else None
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    peak = sampler.stop() if sampler else 0
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}): {err.decode()[-2000:]}")
    return elapsed, peak


def run_floor(inputs: list[Path], outputs: list[bytes], out: Path, names: list[str]) -> float:
    start = time.perf_counter()
    # Written as the batch writes: in groups, each made durable by one flush, then renamed.
    writer = GroupWriter(group=GROUP)
    done = []
    for path, data, name in zip(inputs, outputs, names, strict=True):
        parse(path.read_bytes(), str(path), error=AnswersError)
        done.append(writer.submit(out / name, data))
    writer.close()
    for future in done:
        future.result()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", default="json")
    parser.add_argument("--memory", action="store_true", help="sample the peak memory too")
    parser.add_argument(
        "--wheel",
        action="store_true",
        help="run the batch from this checkout's wheel, as `pip install .` installs it "
        "(an editable install has no knowledge-base snapshot)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="reprisal-bench-") as tmp:
        root = Path(tmp)
        wheel = build_wheel(root) if args.wheel else None
        installed = install_info(wheel)
        inputs, out, floor_out = root / "in", root / "out", root / "floor"
        inputs.mkdir()
        floor_out.mkdir()
        make_cases(inputs, args.n, args.seed)
        # Both runs start with nothing waiting to be written: the batch flushes the disk per
        # group of plans, and would otherwise also pay for writing out the new inputs.
        os.sync()
        ticks = cpu_ticks()
        batch_s, peak_kib = run_batch(inputs, out, args.jobs, args.format, args.memory, wheel)
        steal = stolen(ticks, cpu_ticks())

        files = sorted(inputs.iterdir())
        names = [f"{p.stem}.{args.format}" for p in files]
        outputs = [(out / name).read_bytes() for name in names]
        # The batch's plans stay until the end: deleting 10,000 files just before the floor
        # makes creating files slower for the next minutes (see `main`).
        os.sync()
        floor_s = run_floor(files, outputs, floor_out, names)
        written = sum(len(b) for b in outputs)
        del outputs

    print(f"cases            {args.n} ({args.format}, --jobs {args.jobs}, {os.cpu_count()} cores)")
    print(f"reprisal_cli     {installed}")
    print(f"bytes written    {written / 1e6:.1f} MB")
    print(f"batch            {batch_s:.2f} s   ({args.n / batch_s:.0f} plans/s)")
    print(f"floor            {floor_s:.2f} s   (read + parse + write the same bytes)")
    print(f"ratio            {batch_s / floor_s:.2f}   (target at most 3)")
    print(f"steal            {steal}, taken by the host during the batch")
    if args.memory:
        print(f"peak memory      {peak_kib / 1024:.0f} MiB (summed RSS of the process tree)")


if __name__ == "__main__":
    main()
