"""What each of the engine's memo layers buys, in one process, as ratios in the same run.

    python bench/caches.py [-n 3000] [--rounds 5] [--lang en]

Parses N synthetic answers files (those of bench/batch.py, 3 in 4 YAML) and evaluates and
serialises each (`batch`'s per-case work: parse, evaluate, plan JSON), once with everything the
engine keeps and once without each layer in turn; variants interleaved, best of `--rounds`.
Prints ms per case and the ratio to the variant with every layer.
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

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import synthetic_case

from reprisal_cli import yaml_loader
from reprisal_cli.answers import parse_answers
from reprisal_cli.batch.run import plan_bytes
from reprisal_cli.engine import evaluate
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import load_kb

AS_OF = dt.date(2026, 11, 25)
ENGINE = importlib.import_module("reprisal_cli.engine.evaluate")


@contextlib.contextmanager
def without(tables: set[str]) -> Iterator[None]:
    """`KnowledgeBase.derive` / `keep` computing afresh for these tables (a table is the key, or
    its first element)."""
    derive = KnowledgeBase.derive

    def patched(self: KnowledgeBase, key: object, make: Callable[[], object]) -> object:
        name = key[0] if isinstance(key, tuple) else key
        if name in tables:
            return make()
        return derive(self, key, make)  # type: ignore[arg-type]

    KnowledgeBase.derive = patched  # type: ignore[assignment,method-assign]
    try:
        yield
    finally:
        KnowledgeBase.derive = derive  # type: ignore[method-assign]


@contextlib.contextmanager
def setting(module: object, name: str, value: object) -> Iterator[None]:
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)


@contextlib.contextmanager
def nothing() -> Iterator[None]:
    yield


def variants() -> dict[str, Callable[[], contextlib.AbstractContextManager[None]]]:
    from reprisal_cli.engine import contacts, precedents, risk

    return {
        "every layer": nothing,
        "no rule verdicts kept (size 0)": lambda: setting(ENGINE, "RULE_MEMO_SIZE", 0),
        "no risk-factor verdicts kept (size 0)": lambda: setting(risk, "FACTOR_MEMO_SIZE", 0),
        "no step contacts kept": lambda: without({"step_contacts"}),
        "no plan contacts kept": lambda: without({"plan_contacts"}),
        "no organisation candidates kept": lambda: without({"organisation_candidates"}),
        "no relevant mechanisms kept": lambda: without({"relevant_mechanisms"}),
        "no precedent cases kept": lambda: without({"precedent_cases"}),
        "no stale contacts kept": lambda: without({"stale"}),
        "no question words / step definitions kept": lambda: without(
            {"question_words", "step_definitions"}
        ),
        "no YAML plain tags kept": lambda: setting(yaml_loader, "PLAIN_TAGS_KEPT", 0),
        "none of the above (translation kept)": lambda: _all(
            setting(ENGINE, "RULE_MEMO_SIZE", 0),
            setting(risk, "FACTOR_MEMO_SIZE", 0),
            setting(yaml_loader, "PLAIN_TAGS_KEPT", 0),
            setting(contacts, "MEMO_SIZE", 0),
            setting(precedents, "MEMO_SIZE", 0),
            without(
                {
                    "step_contacts",
                    "plan_contacts",
                    "organisation_candidates",
                    "relevant_mechanisms",
                    "precedent_cases",
                    "stale",
                    "question_words",
                    "step_definitions",
                }
            ),
        ),
    }


@contextlib.contextmanager
def _all(*managers: contextlib.AbstractContextManager[None]) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for manager in managers:
            stack.enter_context(manager)
        yield


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
    yaml_loader._plain_tags.clear()
    start = time.process_time()
    for raw in raws:
        answers = parse_answers(raw, "case")
        plan_bytes(evaluate(answers, kb, as_of=AS_OF, lang=lang), indent=2)
    return (time.process_time() - start) / len(raws) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    raws = inputs(args.n, args.seed)
    cases = variants()
    best = dict.fromkeys(cases, float("inf"))
    for _ in range(args.rounds):
        for name, make in cases.items():
            with make():
                best[name] = min(best[name], run(raws, args.lang))
    base = best["every layer"]
    print(f"{args.n} cases, lang {args.lang}, best of {args.rounds} (process time)")
    for name, ms in best.items():
        print(f"{name:45} {ms:.3f} ms/case  {ms / base:.2f}x")


if __name__ == "__main__":
    main()
