"""The full views list held-back steps by the consent that holds them back, each reason said once
for its group, not once a step (caseworker review 7, C5: 11 held-back steps, 10 of them ending
with the same sentence), while the plan JSON keeps one entry a step with its whole reason."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from rich.console import Console

from reprisal_cli.answers import load_answers
from reprisal_cli.engine.evaluate import evaluate, translated
from reprisal_cli.engine.gates import held_reason, split_reason
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.base import fill
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.render import RenderOptions, outline, render
from reprisal_cli.render.escape import one_line
from reprisal_cli.render.terminal import print_plan

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "immediate_danger_hacked.yaml"
AS_OF = dt.date(2026, 12, 5)
FORMATS = ("md", "txt", "html", "pdf", "terminal")


def squash(text: str) -> str:
    """Text without white space or Markdown escapes: wrapped lines compare equal to the
    one-line original."""
    return re.sub(r"\s+|\\", "", text)


def _plan(kb: KnowledgeBase) -> Plan:
    return evaluate(load_answers(EXAMPLE), kb, as_of=AS_OF)


def _view(plan: Plan, kb: KnowledgeBase | None, fmt: str) -> str:
    if fmt == "terminal":
        buffer = io.StringIO()
        console = Console(file=buffer, width=80, color_system=None, legacy_windows=False)
        # The terminal gives the reasons with --explain only (its full view lists the steps).
        print_plan(plan, kb=kb, console=console, full=True, explain=True)
        return buffer.getvalue()
    out = render(plan, fmt, kb, RenderOptions(full=True))
    if isinstance(out, bytes):
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(out)).pages)
    return html.unescape(out) if fmt == "html" else out


def _held_section(text: str) -> str:
    """The part of a view under "Steps held back for your safety", squashed."""
    flat = squash(text)
    after = flat.split(squash("Steps held back for your safety"), 1)[1]
    return after.split(squash("Similar cases"), 1)[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_reason_is_said_once_for_the_steps_it_holds_back(fmt: str, kb: KnowledgeBase) -> None:
    plan = _plan(kb)
    safety = kb.safety
    assert len(plan.withheld) == 11  # the review's case: 11 steps, 4 consents
    section = _held_section(_view(plan, kb, fmt))
    for reason in (safety.consent_publicity_reason, safety.consent_share_with_un_reason):
        assert section.count(squash(one_line(reason))) == 1, reason
    # "No other step can do this": once for each of the four groups, not once a step (10).
    assert section.count(squash(one_line(safety.confidential_route))) == 4
    # Said for the three publicity steps without a route, not for the one with its own.
    assert squash("For the steps above without a confidential route:") in section
    route = fill(safety.instead_route, step="Work with an organisation that knows the UN system")
    assert section.count(squash(route)) == 1
    for held in plan.withheld:
        assert squash(one_line(held.title)) in section, held.id


def test_the_groups_follow_the_plan_and_say_which_steps_have_no_route(kb: KnowledgeBase) -> None:
    plan = _plan(kb)
    groups = outline.withheld_groups(plan, kb)
    assert [g.gate_id for g in groups] == list(dict.fromkeys(w.gate for w in plan.withheld))
    gates = dict.fromkeys(w.gate for w in plan.withheld)
    in_order = [w.id for gate in gates for w in plan.withheld if w.gate == gate]
    assert [s.id for g in groups for s in g.steps] == in_order
    public = groups[0]
    assert public.gate == "Held back until you agree to make the case public"
    routed = [s.id for s in public.steps if s.route]
    assert routed == ["protective_publicity"]
    assert public.others.startswith("For the steps above without a confidential route: ")
    for group in groups[1:]:
        assert group.others == ""
        assert group.reason.endswith(one_line(kb.safety.confidential_route))


def test_the_plan_json_keeps_one_whole_reason_a_step(kb: KnowledgeBase) -> None:
    plan = _plan(kb)
    data = plan.to_json_dict()["withheld"]
    assert len(data) == 11
    publicity = [w for w in data if w["gate"] == "consent_publicity"]
    for entry in publicity:
        assert entry["reason"].startswith(kb.safety.consent_publicity_reason)
    assert {tuple(w) for w in data} == {("id", "title", "gate", "reason", "instead")}


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar", "ru", "zh"])
def test_split_reason_takes_apart_what_held_reason_joined(lang: str, kb: KnowledgeBase) -> None:
    words = translated(kb, kb.translations.get(lang)).safety
    because = words.consent_publicity_reason
    for route in (
        words.confidential_route,
        fill(words.instead_route, step="Work with an organisation"),
        "",
    ):
        assert split_reason(held_reason(because, route), words) == (because, route)


def test_a_plan_in_another_language_than_the_knowledge_base_loses_nothing(
    kb: KnowledgeBase,
) -> None:
    """A plan opened with a knowledge base in another language (or none): its reasons cannot
    be taken apart, so steps group only when their whole reasons are the same; each step's
    whole reason is still said."""
    plan = _plan(kb)
    french = translated(kb, kb.translations["fr"])
    for knowledge in (None, french):
        section = _held_section(_view(plan, knowledge, "md"))
        for held in plan.withheld:
            assert squash(one_line(held.reason)) in section, held.id
        assert section.count(squash(one_line(kb.safety.consent_share_with_un_reason))) == 1
