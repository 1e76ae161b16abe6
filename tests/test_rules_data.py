"""Rules tested as data: `data/rules_test.yaml`, next to the rules. A rule with no case fails."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import pytest
import yaml

from reprisal_cli.answers import answers_from_data
from reprisal_cli.contract import ANSWERS_SCHEMA
from reprisal_cli.engine.conditions import holds
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import builtin_dir

AS_OF = dt.date(2026, 11, 25)
CASES: list[dict[str, Any]] = yaml.safe_load(
    (builtin_dir() / "rules_test.yaml").read_text(encoding="utf-8")
)["cases"]


def _answers(case: dict[str, Any]) -> Any:
    return answers_from_data({"schema": ANSWERS_SCHEMA, **case["answers"]}, case["name"])


def _ascii(name: str) -> str:
    """A case's name as a test id in ASCII ("Escazu"): pytest escapes other letters in its ids
    ("Escaz\\xfa"), and mutmut cannot pass such an id back to pytest (scripts/mutation)."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


@pytest.mark.parametrize("case", CASES, ids=[_ascii(c["name"]) for c in CASES])
def test_rule_case(kb: KnowledgeBase, case: dict[str, Any]) -> None:
    plan = evaluate(_answers(case), kb, as_of=AS_OF)
    steps = {s.id for s in plan.steps}
    withheld = {w.id for w in plan.withheld}
    warnings = {w.id for w in plan.warnings}
    assert set(case.get("must", [])) - steps == set(), "missing steps"
    assert set(case.get("must_not", [])) & steps == set(), "unwanted steps"
    assert set(case.get("withheld", [])) - withheld == set(), "steps not withheld"
    assert set(case.get("warnings", [])) - warnings == set(), "missing warnings"
    now = {s.id for s in plan.steps if s.urgency == "now"}
    assert set(case.get("now", [])) - now == set(), "steps not to do now"
    # `order`: these steps come in this order in the plan (the others anywhere around them).
    placed = [s.id for s in plan.steps if s.id in case.get("order", [])]
    assert placed == case.get("order", placed), "steps out of order"
    # Named bodies: the mechanisms and organisations whose contacts the plan shows.
    bodies = {kb.contact_owner[c.id].id for s in plan.steps for c in s.contacts}
    assert set(case.get("bodies", [])) - bodies == set(), "missing bodies"
    assert set(case.get("not_bodies", [])) & bodies == set(), "unwanted bodies"
    # A step's detail and its advice (the mitigations and conditions it carries), and the
    # plan's warnings.
    details = "\n".join(
        [
            *(s.detail for s in plan.steps),
            *(a for s in plan.steps for a in s.advice),
            *(w.text for w in plan.warnings),
        ]
    )
    assert [t for t in case.get("says", []) if t not in details] == [], "missing text"
    assert [t for t in case.get("never_says", []) if t in details] == [], "unwanted text"
    # `step_says` / `step_never_says`: {step id: texts} in or out of that step's detail and
    # advice (a text right on one step can be wrong on another of the same plan).
    by_step = {st.id: "\n".join([st.detail, *st.advice]) for st in plan.steps}
    for ident, texts in case.get("step_says", {}).items():
        assert [t for t in texts if t not in by_step.get(ident, "")] == [], ident
    for ident, texts in case.get("step_never_says", {}).items():
        assert ident in by_step, ident
        assert [t for t in texts if t in by_step[ident]] == [], ident
    # Titles as the reader sees them, of the steps and of the steps held back (issue 21 point 6:
    # a lawyer is not told to find a lawyer; a consent already given is not asked for again).
    titles = "\n".join([*(s.title for s in plan.steps), *(w.title for w in plan.withheld)])
    assert [t for t in case.get("title_says", []) if t not in titles] == [], "missing title"
    assert [t for t in case.get("title_never_says", []) if t in titles] == [], "unwanted title"
    named = {m for m in kb.mechanisms if kb.mechanisms[m].name in details}
    assert set(case.get("named", [])) - named == set(), "bodies not named"
    assert set(case.get("not_named", [])) & named == set(), "bodies named that should not be"
    # `leads`: the body whose contact a step shows first (the short plan shows only that one).
    first = {s.id: kb.contact_owner[s.contacts[0].id].id for s in plan.steps if s.contacts}
    assert {k: first.get(k) for k in case.get("leads", {})} == case.get("leads", {}), "leads"
    # `step_bodies` / `step_not_bodies`: {step id: bodies} whose contacts that step shows, or
    # must not (the body to ask is the one the person worked with: caseworker review 6, B2).
    shown = {st.id: {kb.contact_owner[c.id].id for c in st.contacts} for st in plan.steps}
    for ident, ids in case.get("step_bodies", {}).items():
        assert set(ids) - shown.get(ident, set()) == set(), ident
    for ident, ids in case.get("step_not_bodies", {}).items():
        assert ident in shown, ident
        assert set(ids) & shown[ident] == set(), ident


def test_case_files_name_known_ids(kb: KnowledgeBase) -> None:
    known_steps = {s.id for r in kb.rules for s in r.then.steps}
    known_steps |= {kb.safety.emergency_step.id, kb.safety.digital_security_step.id}
    for case in CASES:
        allowed = {"name", "source", "answers", "must", "must_not", "withheld", "warnings"}
        allowed |= {"bodies", "not_bodies", "says", "never_says", "named", "not_named", "now"}
        allowed |= {"order", "leads", "step_bodies", "step_not_bodies"}
        allowed |= {"title_says", "title_never_says", "step_says", "step_never_says"}
        assert set(case) <= allowed
        named = [*case.get("must", []), *case.get("must_not", []), *case.get("withheld", [])]
        named += [*case.get("now", []), *case.get("order", []), *case.get("leads", {})]
        named += [*case.get("step_says", {}), *case.get("step_never_says", {})]
        named += [*case.get("step_bodies", {}), *case.get("step_not_bodies", {})]
        assert set(named) <= known_steps
        bodies = [*case.get("named", []), *case.get("not_named", [])]
        assert set(bodies) <= set(kb.mechanisms), case["name"]
        owners = [*case.get("leads", {}).values()]
        owners += [b for ids in case.get("step_bodies", {}).values() for b in ids]
        owners += [b for ids in case.get("step_not_bodies", {}).values() for b in ids]
        assert set(owners) <= {*kb.mechanisms, *kb.organisations}, case["name"]


def test_every_rule_has_a_case(kb: KnowledgeBase) -> None:
    """A rule is covered when it fires in a case that names one of its steps, warnings or
    bodies."""
    uncovered = []
    for rule in kb.rules:
        outputs = {s.id for s in rule.then.steps} | {w.id for w in rule.then.warnings}
        outputs |= {m for b in rule.then.bodies for m in b.mechanisms}
        covered = False
        for case in CASES:
            named = {*case.get("must", []), *case.get("withheld", []), *case.get("warnings", [])}
            named |= set(case.get("named", []))
            if holds(rule.when, _answers(case), kb.states) and outputs & named:
                covered = True
                break
        if not covered:
            uncovered.append(rule.id)
    assert uncovered == [], f"rules without a case in rules_test.yaml: {uncovered}"


SG_REPORT = re.compile(r"A/HRC/\d+/\d+")


def test_cases_from_the_secretary_generals_reports_say_what_was_checked() -> None:
    """A case citing a report names it in `source` and says whether its place in the report was
    checked against a public source (with that source) or not (with what was searched)."""
    checked = 0
    for case in CASES:
        source = case.get("source")
        if source is None:
            assert not SG_REPORT.search(case["name"]) or "pattern of" in case["name"], case["name"]
            continue
        assert set(source) in ({"report", "checked"}, {"report", "unchecked"}), case["name"]
        assert source["report"], case["name"]
        if "checked" in source:
            assert "http" in source["checked"], case["name"]
            checked += 1
    assert checked >= 30
