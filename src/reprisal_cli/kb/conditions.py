"""Conditions over answers, as data (`when:` in rules and questions).

A condition is exactly one of:

    all: [condition, ...]        every one holds
    any: [condition, ...]        at least one holds
    not: condition               it does not hold
    present: KEY                 the answer is given
    absent: KEY                  the answer is not given
    key: KEY, equals: VALUE      a single value (or a boolean) equals VALUE
    key: KEY, in: [VALUE, ...]   a single value is one of these
    key: KEY, contains: VALUE    a list holds VALUE (a list of values: holds any of them)
    key: KEY, differs_from: KEY2 both answers are given and differ (`residence` and `state`: the
                                 person lives outside the State responsible, an exile)
    party: FACT                  the State responsible (`state`) is party to, or member of, FACT
                                 (a key of data/states.yaml: ced, coe_member, ...), as a source says
    party: FACT, status: no      a source says it is not
    party: FACT, status: unknown no `state` answered, a State the knowledge base does not know,
                                 or a fact with no source (null): say "if the State responsible"
    party: FACT, of: residence   the same, of the country where the person lives (`residence`):
                                 interim measures against removal are asked of the host State.
                                 `of: state` is the default.

Keys and values are checked against the contract when the file loads; evaluation lives in
`engine/conditions.py` and never uses `eval` or a template engine.
"""

from __future__ import annotations

from typing import Annotated, Literal

from reprisal_cli.contract import ANSWER_KEYS, RULE_KEYS, KeySpec, accepts, allowed_words
from reprisal_cli.kb.base import Model, record
from reprisal_cli.kb.states import StateFactKey
from reprisal_cli.records import MinLen

Scalar = str | bool
PartyStatus = Literal["yes", "no", "unknown"]
# Whose membership a `party` condition reads: the State responsible, or where the person lives.
PartyOf = Literal["state", "residence"]


@record
class Condition(Model):
    """When a rule, question or risk factor applies: one test on the answers or the State's
    treaty facts, or `all`, `any` and `not` of other conditions."""

    all: Annotated[tuple[Condition, ...], MinLen(1)] | None = None
    any: Annotated[tuple[Condition, ...], MinLen(1)] | None = None
    not_: Condition | None = None
    present: str | None = None
    absent: str | None = None
    key: str | None = None
    equals: Scalar | None = None
    in_: Annotated[tuple[str, ...] | None, MinLen(1)] = None
    contains: str | tuple[str, ...] | None = None
    differs_from: str | None = None
    party: StateFactKey | None = None
    status: PartyStatus | None = None
    of: PartyOf | None = None

    def __post_init__(self) -> None:
        forms = [
            name
            for name in ("all", "any", "not_", "present", "absent", "key", "party")
            if getattr(self, name) is not None
        ]
        if len(forms) != 1:
            raise ValueError(
                "a condition takes exactly one of: all, any, not, present, absent, key, party "
                f"(found {', '.join(f.rstrip('_') for f in forms) or 'none'})"
            )
        if self.status is not None and self.party is None:
            raise ValueError("'status' needs a 'party'")
        if self.of is not None and self.party is None:
            raise ValueError("'of' needs a 'party'")
        for key in (self.present, self.absent):
            if key is not None:
                _check_key(key)
        if self.key is not None:
            self._check_test()
        elif any(v is not None for v in (self.equals, self.in_, self.contains, self.differs_from)):
            raise ValueError("equals, in, contains and differs_from need a 'key'")

    def _check_test(self) -> None:
        assert self.key is not None
        spec = _check_key(self.key)
        tests = [
            n for n in ("equals", "in_", "contains", "differs_from") if getattr(self, n) is not None
        ]
        if len(tests) != 1:
            raise ValueError(
                f"'key: {self.key}' needs exactly one of: equals, in, contains, differs_from"
            )
        test = tests[0]
        if test == "differs_from":
            assert self.differs_from is not None
            other = _check_key(self.differs_from)
            if self.differs_from == self.key or spec.is_multi or other.type != spec.type:
                raise ValueError(
                    f"'differs_from' compares '{self.key}' with another answer of the same "
                    f"kind, holding one value (not {self.differs_from!r})"
                )
            return
        if spec.is_multi and test != "contains":
            raise ValueError(f"'{self.key}' is a list: test it with 'contains'")
        if not spec.is_multi and test == "contains":
            raise ValueError(f"'{self.key}' holds one value: test it with 'equals' or 'in'")
        if spec.type == "bool":
            if test != "equals" or not isinstance(self.equals, bool):
                raise ValueError(f"'{self.key}' is true or false: use 'equals: true' or 'false'")
            return
        raw = getattr(self, test)
        values = (raw,) if isinstance(raw, (str, bool)) else raw
        for value in values:
            if not isinstance(value, str) or not accepts(self.key, value):
                words = allowed_words(self.key)
                raise ValueError(f"{value!r} is not a value of '{self.key}': {words}")

    def keys(self) -> set[str]:
        """Every answer key this condition reads."""
        found: set[str] = set()
        for child in (*(self.all or ()), *(self.any or ())):
            found |= child.keys()
        if self.not_ is not None:
            found |= self.not_.keys()
        for key in (self.present, self.absent, self.key, self.differs_from):
            if key is not None:
                found.add(key)
        if self.party is not None:
            found.add(self.of or "state")
        return found


def _check_key(key: str) -> KeySpec:
    if key not in RULE_KEYS:
        raise ValueError(f"unknown answer key {key!r}: one of {', '.join(RULE_KEYS)}")
    return ANSWER_KEYS[key]
