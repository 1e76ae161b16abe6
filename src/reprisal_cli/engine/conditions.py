"""Evaluating `when:` conditions (see `kb/conditions.py`) against answers, without `eval`.

An absent answer makes `equals`, `in` and `contains` false, and so makes `not` of them true. Rules
are therefore free to be written naively: caution never depends on them. The do-no-harm gates
(`engine/gates.py`) read absent answers cautiously whatever the rules say (contract §3, gate 7).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reprisal_cli.answers import Answers
from reprisal_cli.kb.conditions import Condition

Predicate = Callable[[Answers], bool]


def holds(cond: Condition, answers: Answers) -> bool:
    """Whether `cond` is true for these answers."""
    entry = _compiled.get(id(cond))
    if entry is None or entry[0] is not cond:
        entry = _compiled[id(cond)] = (cond, _compile(cond))
    return entry[1](answers)


# Each condition is turned into a closure once: the rules are walked for every case of a batch,
# and reading the condition's form anew each time was a third of the engine's time.
_compiled: dict[int, tuple[Condition, Predicate]] = {}


def _compile(cond: Condition) -> Predicate:
    if cond.all is not None:
        parts = tuple(_compile(c) for c in cond.all)

        def every(answers: Answers) -> bool:
            return all(part(answers) for part in parts)

        return every
    if cond.any is not None:
        options = tuple(_compile(c) for c in cond.any)

        def some(answers: Answers) -> bool:
            return any(option(answers) for option in options)

        return some
    if cond.not_ is not None:
        inner = _compile(cond.not_)
        return lambda answers: not inner(answers)
    if cond.present is not None:
        present = cond.present
        return lambda answers: answers.get(present) is not None
    if cond.absent is not None:
        absent = cond.absent
        return lambda answers: answers.get(absent) is None
    assert cond.key is not None
    key = cond.key
    # An absent answer (None, or an empty list) makes a test on it false.
    if cond.equals is not None:
        equals = cond.equals

        def equal(answers: Answers) -> bool:
            value = getattr(answers, key)
            return value is not None and value == equals

        return equal
    if cond.in_ is not None:
        among = cond.in_

        def one_of(answers: Answers) -> bool:
            value = getattr(answers, key)
            return value is not None and value in among

        return one_of
    wanted = (cond.contains,) if isinstance(cond.contains, str) else cond.contains or ()

    def has(answers: Answers) -> bool:
        value = getattr(answers, key)
        return bool(value) and any(item in value for item in wanted)

    return has


def matched(cond: Condition, answers: Answers) -> dict[str, Any]:
    """The answers that made `cond` true, for a step's `why`: `{"engagement": "treaty_bodies"}`.

    Only facts under a branch that holds are reported; a `not` reports nothing but the facts it
    read (as `None` when absent), since what did not happen cannot be quoted.
    """
    found: dict[str, Any] = {}
    _collect(cond, answers, found)
    return {key: found[key] for key in sorted(found)}


def _collect(cond: Condition, answers: Answers, found: dict[str, Any]) -> None:
    if cond.all is not None:
        for child in cond.all:
            _collect(child, answers, found)
        return
    if cond.any is not None:
        for child in cond.any:
            if holds(child, answers):
                _collect(child, answers, found)
        return
    if cond.not_ is not None:
        for key in sorted(cond.not_.keys()):
            found.setdefault(key, _shown(answers.get(key)))
        return
    if cond.present is not None:
        found[cond.present] = _shown(answers.get(cond.present))
        return
    if cond.absent is not None:
        found[cond.absent] = None
        return
    assert cond.key is not None
    value = answers.get(cond.key)
    if isinstance(value, tuple):
        wanted = (cond.contains,) if isinstance(cond.contains, str) else cond.contains or ()
        hits = [item for item in wanted if item in value]
        previous = found.get(cond.key)
        merged = (
            list(previous)
            if isinstance(previous, list)
            else [previous]
            if isinstance(previous, str)
            else []
        )
        merged += [h for h in hits if h not in merged]
        found[cond.key] = merged[0] if len(merged) == 1 else merged
    else:
        found[cond.key] = value


def _shown(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
