"""Speed of `reprisal-cli followup` over a caseload, as a ratio to a floor measured in the same run.

    python bench/followup.py [-n 1000] [--seed 7] [--wheel] [--runs 5] [--before REV]

Makes N case files (seeded: answers from the examples, a consent ledger, two to six incidents and
actions, some with a follow-up date), encrypted to ONE age X25519 recipient, as a team key does.
Then times, in the same run:

- followup: the real CLI in a subprocess (`followup DIR -i KEY --format json`), start-up and
  knowledge-base loading included;
- floor: in this process, read each file, decrypt it (pyrage, the tool's library) and parse the
  JSON: what any tool that opens the caseload must do, and no more;
- floor as a program: the same in a child Python process of its own, start-up included, as
  `followup` is timed. The two programs are run `--runs` times, alternated, and their medians
  compared: the like-for-like ratio, since both pay a Python start.

With `--before REV` (a git revision of this checkout), followup from REV's wheel is timed too,
alternated with the others on the same files: a change's effect, whatever the machine's speed.

As in `bench/batch.py`, `--wheel` runs followup from this checkout's wheel (with its
knowledge-base snapshot, as users run it); without it an editable install reads and checks the
YAML knowledge base at each start (about a second).

Targets (issue 26, a 2-core machine): followup at most 5 s for 1,000 files, and at most 2x the
floor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyrage
from batch import build_wheel, environment
from batch import cli as tool

from reprisal_cli.answers import load_answers
from reprisal_cli.case.model import Action as CaseAction
from reprisal_cli.case.model import CaseFile, ConsentRecord, HistoryEntry, Incident, split_consent
from reprisal_cli.case.store import CaseKey, create_case
from reprisal_cli.contract import REPRISALS

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-25"
TARGETS = ("sp_communications", "ohchr_reprisals_senior_official", "front_line_defenders")


def make_case(rng: random.Random, examples: list[Path], n: int) -> CaseFile:
    start = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(300))
    answers = load_answers(rng.choice(examples))
    doc, ledger = split_consent(answers, start)
    ledger.append(
        ConsentRecord(purpose="share_with_un", value="yes", given_by="person", how="oral",
                      explained_in="fr", date=start)
    )  # fmt: skip
    incidents = tuple(
        Incident(date=start + dt.timedelta(days=rng.randrange(60)), type=rng.choice(REPRISALS))  # type: ignore[arg-type]
        for _ in range(rng.randrange(2, 7))
    )
    actions = tuple(
        CaseAction(date=start + dt.timedelta(days=10 * k), to=rng.choice(TARGETS),
                   type="communication", reference=f"REF-{n}-{k}",
                   next=start + dt.timedelta(days=10 * k + 30) if rng.random() < 0.5 else None)
        for k in range(rng.randrange(2, 7))
    )  # fmt: skip
    return CaseFile(
        case_id=f"case-{n:05d}",
        answers=doc,
        history=(HistoryEntry(date=start, answers=doc),),
        consent=tuple(ledger),
        incidents=incidents,
        actions=actions,
    )


def floor(files: list[Path], identity: pyrage.x25519.Identity) -> tuple[float, float]:
    """Wall and CPU seconds to read, decrypt and parse every file."""
    began, cpu = time.perf_counter(), time.process_time()
    for path in files:
        json.loads(pyrage.decrypt(path.read_bytes(), [identity]))
    return time.perf_counter() - began, time.process_time() - cpu


# The floor as a program of its own: start Python, read, decrypt and parse every file, nothing
# else. `followup` is a program too, so this is the like-for-like floor; the in-process floor
# above leaves out the interpreter's start.
FLOOR_PROGRAM = (
    "import json, sys; from pathlib import Path; import pyrage; "
    "key = [pyrage.x25519.Identity.from_str(Path(sys.argv[1]).read_text().split()[0])]; "
    "[json.loads(pyrage.decrypt(p.read_bytes(), key)) "
    "for p in sorted(Path(sys.argv[2]).rglob('*.age'))]"
)


def timed_process(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, Any]:
    """Wall and CPU seconds of a child process, and its completed run."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    run = subprocess.run(argv, capture_output=True, check=False, env=env)
    took = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu, run


def in_process(files: list[Path], key_file: Path) -> tuple[float, float]:
    """Wall and CPU seconds of what followup does per file, without start-up."""
    from reprisal_cli.case.followup import due_items
    from reprisal_cli.case.store import open_case_bytes
    from reprisal_cli.crypto import read_encrypted, read_identity_file
    from reprisal_cli.kb.loader import load_kb

    kb = load_kb(None)
    key = CaseKey(identities=tuple(read_identity_file(key_file)))
    day = dt.date.fromisoformat(AS_OF)
    due_items(open_case_bytes(files[0], read_encrypted(files[0]), key).case, "x", kb, day)
    began, cpu = time.perf_counter(), time.process_time()
    for path in files:
        due_items(open_case_bytes(path, read_encrypted(path), key).case, path.name, kb, day)
    return time.perf_counter() - began, time.process_time() - cpu


def _report(
    runs: list[tuple[float, float]],
    programs: list[tuple[float, float]],
    items: int,
    floor_in_process: tuple[float, float],
    work: tuple[float, float],
) -> None:
    """Print the medians, each run, the ratios and the verdicts."""
    base, base_cpu = floor_in_process
    own, own_cpu = work
    took, took_cpu = (statistics.median(x) for x in zip(*runs, strict=True))
    program, program_cpu = (statistics.median(x) for x in zip(*programs, strict=True))
    print("load average:", Path("/proc/loadavg").read_text(encoding="ascii").split()[0])
    print(
        f"followup: {took:.2f} s wall, {took_cpu:.2f} s CPU (median of {len(runs)}; "
        f"{items} items due); each run: " + ", ".join(f"{w:.2f}" for w, _ in runs)
    )
    print(
        f"floor as a program (Python start, read, decrypt, parse): {program:.2f} s wall, "
        f"{program_cpu:.2f} s CPU (median); each run: " + ", ".join(f"{w:.2f}" for w, _ in programs)
    )
    print(f"ratio followup / floor as a program: {took / program:.2f} wall (of the medians)")
    print(
        f"floor in this process (read, decrypt, parse only): {base:.2f} s wall, "
        f"{base_cpu:.2f} s CPU"
    )
    print(f"ratio followup / floor in process: {took / base:.2f} wall")
    print(
        f"followup's work per file, in this process (no start-up, knowledge base loaded): "
        f"{own:.2f} s wall, {own_cpu:.2f} s CPU; ratio to floor {own / base:.2f} wall, "
        f"{own_cpu / base_cpu:.2f} CPU"
    )
    verdict = {True: "met", False: "NOT met"}
    print("at most 5 s:", verdict[took <= 5.0])
    print("at most 2x the floor as a program (both programs):", verdict[took <= 2 * program])
    print("at most 2x the floor in process (no start-up in it):", verdict[took <= 2 * base])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--wheel", action="store_true", help="run from this checkout's wheel")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each program")
    parser.add_argument("--before", metavar="REV", help="also time followup from REV's wheel")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    identity = pyrage.x25519.Identity.generate()
    with tempfile.TemporaryDirectory(prefix="bench-followup-") as tmp:
        folder = Path(tmp) / "caseload"
        folder.mkdir()
        key_file = Path(tmp) / "team-key.txt"
        key_file.write_text(f"{identity}\n", encoding="utf-8")
        key = CaseKey(recipients=(str(identity.to_public()),))
        for n in range(args.n):
            create_case(folder / f"case-{n:05d}.age", make_case(rng, examples, n), key)
        wheel = build_wheel(Path(tmp)) if args.wheel else None
        before = _wheel_of(args.before, Path(tmp) / "before") if args.before else None
        print("followup from", "this checkout's wheel" if wheel else "the installed reprisal-cli")
        files = sorted(folder.glob("*.age"))
        size = sum(p.stat().st_size for p in files) / len(files)
        print(f"{len(files)} case files, {size / 1024:.1f} KiB each, one X25519 recipient")
        floor(files[:50], identity)  # warm the page cache for both
        # One run before the timed one: the page cache holds the modules and the files. (With
        # --wheel the modules are compiled as `pip install` compiles them; an editable install's
        # are compiled here unless PYTHONDONTWRITEBYTECODE is set.)
        warm = [*tool(wheel), "followup", str(files[0]), "-i", str(key_file), "--as-of", AS_OF]
        subprocess.run(warm, capture_output=True, check=False, env=environment(wheel))
        command = [*tool(wheel), "followup", str(folder), "-i", str(key_file), "--format", "json",
                   "--as-of", AS_OF]  # fmt: skip
        floor_command = [sys.executable, "-c", FLOOR_PROGRAM, str(key_file), str(folder)]
        # Alternated, so that a change in the machine's speed (a shared VM) touches both alike;
        # the medians are compared.
        runs: list[tuple[float, float]] = []
        programs: list[tuple[float, float]] = []
        earlier: list[float] = []
        items = 0
        if before is not None:
            subprocess.run(warm, capture_output=True, check=False, env=environment(before))
        for _ in range(args.runs):
            if before is not None:
                earlier.append(timed_process(command, environment(before))[0])
            took, took_cpu, run = timed_process(command, environment(wheel))
            program, program_cpu, done = timed_process(floor_command)
            if run.returncode != 0 or done.returncode != 0:
                print((run.stderr + done.stderr).decode(errors="replace"), file=sys.stderr)
                return 1
            items = len(json.loads(run.stdout)["items"])
            runs.append((took, took_cpu))
            programs.append((program, program_cpu))
        base, base_cpu = floor(files, identity)
        own, own_cpu = in_process(files, key_file)
    _report(runs, programs, items, (base, base_cpu), (own, own_cpu))
    if earlier:
        then = statistics.median(earlier)
        program = statistics.median(p for p, _ in programs)
        print(
            f"followup from {args.before}'s wheel, alternated with the runs above: {then:.2f} s "
            f"wall (median); ratio to the floor as a program {then / program:.2f}; each run: "
            + ", ".join(f"{w:.2f}" for w in earlier)
        )
    return 0


def _wheel_of(revision: str, into: Path) -> Path:
    """The wheel of `revision` of this checkout (`git archive`), unpacked into `into`."""
    import tarfile

    source = into / "source"
    source.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(source, filter="data")
    return build_wheel(into, source)


if __name__ == "__main__":
    sys.exit(main())
