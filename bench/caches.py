"""What the engine's one cache buys, in one process, as ratios in the same run.

    python bench/caches.py [-n 3000] [--rounds 5]

Parses N synthetic answers files (those of bench/batch.py, 3 in 4 YAML) and evaluates and
serialises each (`batch`'s per-case work: parse, evaluate, plan JSON): in English; in French with
the engine's cache of translations (`engine.evaluate.EngineCache`); in French translating the
knowledge base for every case. Variants interleaved, best of `--rounds`; ms per case and the
ratio to English. Until 6bc1a04 the engine had more memo layers; this script then measured each
(bench/RESULTS.md, "Every cache earns its place").
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import synthetic_case

from reprisal_cli.answers import parse_answers
from reprisal_cli.batch.run import plan_bytes
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.i18n import translate_kb
from reprisal_cli.kb.loader import load_kb

AS_OF = dt.date(2026, 11, 25)
ENGINE = importlib.import_module("reprisal_cli.engine.evaluate")


@contextlib.contextmanager
def nothing() -> Iterator[None]:
    yield


@contextlib.contextmanager
def translating_every_case() -> Iterator[None]:
    kept = ENGINE.CACHE
    ENGINE.CACHE = _Uncached()
    try:
        yield
    finally:
        ENGINE.CACHE = kept


class _Uncached:
    def translated(self, kb: Any, translation: Any) -> Any:
        return translate_kb(kb, translation)


VARIANTS: dict[str, tuple[str, Callable[[], contextlib.AbstractContextManager[None]]]] = {
    "en": ("en", nothing),
    "fr, translations kept": ("fr", nothing),
    "fr, translated per case": ("fr", translating_every_case),
}


def inputs(n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for index in range(n):
        doc = synthetic_case(rng, index)
        if index % 4 == 3:
            out.append(json.dumps(doc).encode())
        else:
            out.append(yaml.safe_dump(doc, sort_keys=False).encode())
    return out


def run(raws: list[bytes], lang: str) -> float:
    kb = load_kb()  # fresh: nothing kept from the previous variant
    start = time.process_time()
    for raw in raws:
        answers = parse_answers(raw, "case")
        plan_bytes(evaluate(answers, kb, as_of=AS_OF, lang=lang), indent=2)
    return (time.process_time() - start) / len(raws) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    raws = inputs(args.n, args.seed)
    best = dict.fromkeys(VARIANTS, float("inf"))
    for _ in range(args.rounds):
        for name, (lang, make) in VARIANTS.items():
            with make():
                best[name] = min(best[name], run(raws, lang))
    base = best["en"]
    print(f"{args.n} cases, best of {args.rounds} (process time)")
    for name, ms in best.items():
        print(f"{name:30} {ms:.3f} ms/case  {ms / base:.2f}x")


if __name__ == "__main__":
    main()
