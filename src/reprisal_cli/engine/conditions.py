"""Evaluating `when:` conditions (see `kb/conditions.py`) against answers, without `eval`.

An absent answer makes `equals`, `in` and `contains` false, and so makes `not` of them true. Rules
are therefore free to be written naively: caution never depends on them. The do-no-harm gates
(`engine/gates.py`) read absent answers cautiously whatever the rules say (contract §3, gate 7).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reprisal_cli.answers import Answers
from reprisal_cli.contract import TreatyBody
from reprisal_cli.kb.conditions import Condition, PartyOf, PartyStatus
from reprisal_cli.kb.states import COMPLAINT_PROCEDURE, State, StateFactKey

States = Mapping[str, State]


def holds(cond: Condition, answers: Answers, states: States | None = None) -> bool:
    """Whether `cond` is true for these answers; `party` conditions read `states` (none given:
    every membership is unknown). The most common form, a test of one answer, is read first,
    and the branches loop rather than build generators: this runs some 100 times per plan, the
    largest single cost of a batch (bench/RESULTS.md, 2026-12-03)."""
    key = cond.key
    if key is not None:
        value = answers.get(key)
        if value is None:
            return False
        if cond.equals is not None:
            return bool(value == cond.equals)
        if cond.in_ is not None:
            return value in cond.in_
        if cond.differs_from is not None:
            other = answers.get(cond.differs_from)
            return other is not None and bool(value != other)
        wanted = cond.contains
        if isinstance(wanted, str):
            return wanted in value
        return any(item in value for item in wanted or ())
    if cond.all is not None:
        for child in cond.all:  # noqa: SIM110 (a loop: 5% of a batch's time less than all())
            if not holds(child, answers, states):
                return False
        return True
    if cond.any is not None:
        for child in cond.any:  # noqa: SIM110 (as above)
            if holds(child, answers, states):
                return True
        return False
    if cond.not_ is not None:
        return not holds(cond.not_, answers, states)
    if cond.party is not None:
        return party_status(cond.party, answers, states, cond.of or "state") == (
            cond.status or "yes"
        )
    if cond.present is not None:
        return answers.get(cond.present) is not None
    assert cond.absent is not None
    return answers.get(cond.absent) is None


def party_status(
    fact: StateFactKey, answers: Answers, states: States | None, of: PartyOf = "state"
) -> PartyStatus:
    """Whether the State responsible (`state`), or with `of="residence"` the country where the
    person lives (`residence`), is party to or member of `fact`: "yes" or "no" as a source in
    data/states.yaml says, "unknown" without that answer, for a State the knowledge base does
    not know, or where no source was found (null)."""
    return _status(answers.state if of == "state" else answers.residence, fact, states)


def _status(
    code: str | None, fact: StateFactKey, states: States | None, *, pending: bool = False
) -> PartyStatus:
    """What data/states.yaml says of one State and `fact` ("unknown" without a code, for a State
    it does not know, or where no source was found). With `pending` (a complaint already before
    the committee), a procedure the State has since left (a fact with `until`: Belarus left the
    ICCPR's first Optional Protocol on 2023-02-08) still counts: it covers the complaints brought
    before that day, which the committee goes on examining (OP1 art. 12(2))."""
    state = states.get(code) if states is not None and code else None
    found = None if state is None else state.facts.get(fact)
    if found is None or found.value is None:
        return "unknown"
    if found.value or (pending and found.until is not None):
        return "yes"
    return "no"


def complaint_status(body: TreatyBody, answers: Answers, states: States | None) -> PartyStatus:
    """Whether a complaint to `body` can be before it: "yes" where a source says the State
    responsible (`state`) or the State the person lives in (`residence`: a complaint against
    removal to torture is brought against the host State) accepted the committee's
    individual-complaint procedure, "no" where sources say none of them did (or the committee
    takes no complaints), "unknown" otherwise: also when the State responsible is not named, or
    for a person abroad who did not say where they live, since the complaint may be against the
    host State (red team 2026-12-03)."""
    fact = COMPLAINT_PROCEDURE.get(body)
    if fact is None:
        return "no"
    codes = [c for c in dict.fromkeys((answers.state, answers.residence)) if c]
    found = [_status(code, fact, states, pending=True) for code in codes]
    if answers.location == "abroad" and not answers.residence:
        found.append("unknown")  # the host State, not named
    if not answers.state:
        found.append("unknown")  # the State responsible, not named (second red team)
    if "yes" in found:
        return "yes"
    if found and all(f == "no" for f in found):
        return "no"
    return "unknown"


def matched(cond: Condition, answers: Answers, states: States | None = None) -> dict[str, Any]:
    """The answers that made `cond` true, for a step's `why`: `{"engagement": "treaty_bodies"}`.

    Only facts under a branch that holds are reported; a `not` reports nothing but the facts it
    read (as `None` when absent), since what did not happen cannot be quoted.
    """
    found: dict[str, Any] = {}
    _collect(cond, answers, found, states)
    return {key: found[key] for key in sorted(found)}


def _collect(
    cond: Condition, answers: Answers, found: dict[str, Any], states: States | None
) -> None:
    if cond.all is not None:
        for child in cond.all:
            _collect(child, answers, found, states)
        return
    if cond.any is not None:
        for child in cond.any:
            if holds(child, answers, states):
                _collect(child, answers, found, states)
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
    if cond.party is not None:
        whose = cond.of or "state"
        found[whose] = answers.get(whose)
        return
    assert cond.key is not None
    value = answers.get(cond.key)
    if cond.differs_from is not None:
        found[cond.differs_from] = answers.get(cond.differs_from)
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
