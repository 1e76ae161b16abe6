"""Evaluating `when:` conditions (see `kb/conditions.py`) against answers, without `eval`.

An absent answer makes `equals`, `in` and `contains` false, and so makes `not` of them true. Rules
are therefore free to be written naively: caution never depends on them. The do-no-harm gates
(`engine/gates.py`) read absent answers cautiously whatever the rules say (contract §3, gate 7).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter, itemgetter
from typing import Any, Generic, TypeVar

from reprisal_cli.answers import Answers
from reprisal_cli.kb.conditions import Condition


def holds(cond: Condition, answers: Answers) -> bool:
    """Whether `cond` is true for these answers."""
    if cond.all is not None:
        return all(holds(c, answers) for c in cond.all)
    if cond.any is not None:
        return any(holds(c, answers) for c in cond.any)
    if cond.not_ is not None:
        return not holds(cond.not_, answers)
    if cond.present is not None:
        return answers.get(cond.present) is not None
    if cond.absent is not None:
        return answers.get(cond.absent) is None
    assert cond.key is not None
    value = answers.get(cond.key)
    if value is None:
        return False
    if cond.equals is not None:
        return bool(value == cond.equals)
    if cond.in_ is not None:
        return value in cond.in_
    wanted = (cond.contains,) if isinstance(cond.contains, str) else cond.contains or ()
    return any(item in value for item in wanted)


T = TypeVar("T")


class Verdicts(Generic[T]):
    """What a fixed list of conditions says of one case after another, each verdict kept by what
    decides it, so a batch evaluates each combination once.

    `of(answers)` gives, per condition in order, None when it does not hold, else what `make`
    builds from the condition's index and what it `matched` (a rule's `Why`, say). Both depend
    only on a little of the answers (`memo_keys`): the values of the keys a condition reads; of
    a list it tests with `contains`, which tested values it holds; of an answer it asks to be
    `present`, whether it is given (such an answer is quoted from each case, in a value built
    for that case). The first `size` combinations per condition are kept; past that a condition
    is evaluated each time, so memory stays flat. Kept values are shared between cases: they
    should be frozen.
    """

    def __init__(
        self,
        conditions: Sequence[Condition],
        *,
        size: int,
        make: Callable[[int, dict[str, Any]], T],
    ) -> None:
        self.size = size
        self._make = make
        readings: dict[tuple[str, Reading], int] = {}
        self._kept: list[_Kept[T]] = []
        for cond in conditions:
            reads = memo_keys(cond)
            places = [readings.setdefault(r, len(readings)) for r in reads]
            by_presence = tuple(key for key, how in reads if how == PRESENCE)
            pick = itemgetter(*places) if places else _nothing
            self._kept.append((cond, pick, by_presence, {}))
        self._readers = [_reader(key, how) for key, how in readings]

    def of(self, answers: Answers) -> list[T | None]:
        read = [reader(answers) for reader in self._readers]
        out: list[T | None] = []
        for index, (cond, pick, by_presence, memo) in enumerate(self._kept):
            key = pick(read)
            try:
                value, found, quoted = memo[key]
            except KeyError:
                value, found, quoted = None, {}, ()
                if holds(cond, answers):
                    found = matched(cond, answers)
                    quoted = tuple(k for k in by_presence if k in found)
                    value = self._make(index, found)
                if len(memo) < self.size:
                    memo[key] = (value, found, quoted)
            else:
                if value is not None and quoted:
                    shown = {k: _shown(answers.get(k)) for k in quoted}
                    value = self._make(index, {**found, **shown})
            out.append(value)
        return out


# A condition, the picker of its readings, the keys it quotes when present, its kept verdicts.
_Kept = tuple[
    Condition,
    Callable[[list[Any]], Any],
    tuple[str, ...],
    dict[Any, tuple[T | None, dict[str, Any], tuple[str, ...]]],
]


def _nothing(read: list[Any]) -> tuple[()]:
    return ()


PRESENCE = "presence"  # a `memo_keys` reading: the answer matters only by being given or not
Reading = frozenset[str] | str | None  # how `memo_keys` says a condition reads one answer


def _reader(key: str, how: Reading) -> Callable[[Answers], Any]:
    """A function giving what `how` reads of the answer `key` (see `memo_keys`)."""
    value = attrgetter(key)
    if how is None:
        return value
    if how == PRESENCE:
        return lambda answers: answers.get(key) is not None  # as `holds` reads `present`
    assert isinstance(how, frozenset)
    tested = how
    return lambda answers: tested.intersection(value(answers) or ())


def memo_keys(cond: Condition) -> list[tuple[str, Reading]]:
    """What of each answer `cond` reads decides `holds` and `matched`, key by key (sorted):

    - a list read only through `contains`, outside a `not`: the values tested (a frozenset),
      since only which of them the list holds matters;
    - a key read only through `present`, outside a `not`: `PRESENCE`, since only whether it is
      given decides; `matched` quotes its value as it is;
    - any other key: None, its whole value matters.
    """
    reads: dict[str, set[str] | str | None] = {}
    _reads(cond, reads, negated=False)
    return [
        (key, frozenset(how) if isinstance(how, set) else how) for key, how in sorted(reads.items())
    ]


def _reads(cond: Condition, reads: dict[str, set[str] | str | None], *, negated: bool) -> None:
    for child in (*(cond.all or ()), *(cond.any or ())):
        _reads(child, reads, negated=negated)
    if cond.not_ is not None:
        _reads(cond.not_, reads, negated=True)
    if cond.present is not None:
        how = reads.setdefault(cond.present, PRESENCE)
        if negated or how != PRESENCE:
            reads[cond.present] = None
    if cond.absent is not None:
        reads[cond.absent] = None
    if cond.key is None:
        return
    how = reads.setdefault(cond.key, set())
    if negated or cond.contains is None or not isinstance(how, set):
        reads[cond.key] = None
    else:
        how.update((cond.contains,) if isinstance(cond.contains, str) else cond.contains)


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
