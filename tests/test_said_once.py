"""A caution that goes with several steps is said once (caseworker review 6, C3 and C4): the
plan's warning names the steps it concerns (`steps`, an extension of plan v1.1), every full view
lists it once among the warnings with those steps, and each step refers to it by number."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from reprisal_cli.answers import parse_answers
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.render import RenderOptions
from reprisal_cli.render.html import plan_html
from reprisal_cli.render.text import plan_markdown, plan_text

AS_OF = dt.date(2026, 12, 5)
ROOT = Path(__file__).resolve().parents[1]
# caseworker review 6, (f): a child at risk, relatives threatened.
CHILD = """
schema: reprisal-cli/answers/v1.1
respondent: organisation
profile: [child, indigenous_defender]
state: PH
engagement: [indigenous_forums, treaty_bodies]
treaty_body: [crc]
stage: reprisal_suffered
reprisals: [terrorism_label, threats, threats_to_family, online_harassment, surveillance]
location: home_country
others_at_risk: [family, organisation]
consent: {share_with_un: "yes", publicity: "no", sg_report: anonymous, given_by: family}
"""
STEP_CAUTIONS = ("child_at_risk", "relatives_identified")


def _plan(text: str, kb: KnowledgeBase) -> Plan:
    return evaluate(parse_answers(text, "case.yaml"), kb, as_of=AS_OF)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_step_caution_names_its_steps(kb: KnowledgeBase) -> None:
    plan = _plan(CHILD, kb)
    for ident in STEP_CAUTIONS:
        warning = next(w for w in plan.warnings if w.id == ident)
        carrying = [s.id for s in plan.steps if warning.text in s.detail.split("\n\n")]
        assert len(carrying) > 2
        assert list(warning.steps) == carrying
    assert plan.to_json_dict()["warnings"][0].keys() >= {"id", "text", "steps"}


def test_honduras_states_caution_names_its_steps(kb: KnowledgeBase) -> None:
    plan = evaluate(
        parse_answers((ROOT / "examples" / "honduras_2017.yaml").read_text(), "h.yaml"),
        kb,
        as_of=AS_OF,
    )
    for ident in ("states_tell_government", "state_body_tells_government"):
        warning = next(w for w in plan.warnings if w.id == ident)
        assert warning.steps, ident


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_full_view_says_a_step_caution_once(kb: KnowledgeBase, fmt: str) -> None:
    plan = _plan(CHILD, kb)
    opts = RenderOptions(full=True)
    render = {"md": plan_markdown, "txt": plan_text, "html": plan_html}[fmt]
    out = _flat(render(plan, kb, opts))
    if fmt == "md":
        out = out.replace("\\", "")
    if fmt == "html":
        out = _flat(re.sub(r"<[^>]+>", " ", out)).replace("&#39;", "'").replace("&quot;", '"')
    full = out[out.index("Steps, most urgent first") :]
    numbers = {s.id: n for n, s in enumerate(plan.steps, start=1)}
    for ident in STEP_CAUTIONS:
        warning = next(w for w in plan.warnings if w.id == ident)
        assert full.count(_flat(warning.text)) == 1, ident
        listed = ", ".join(str(numbers[s]) for s in warning.steps[:-1])
        assert f"steps {listed} and {numbers[warning.steps[-1]]}" in full, ident
    assert "Before this step, read warning" in full
