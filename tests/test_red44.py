"""Red team red44 (2026-12-05) against main's e4a6dfd: asking the State's own body (a national
protection mechanism, Mexico's National Search Commission) as a consent of its own,
`share_with_government`.

Each test names the harm in its docstring and failed on e4a6dfd.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from red_support import module_keys, plan_of, run, sealed_plan
from reprisal_cli.answers import parse_answers
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.questionnaire.flow import Flow

QUESTION = "consent_share_with_government"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


def as_saved_before(plan: dict[str, Any]) -> dict[str, Any]:
    """`plan` as the release before e4a6dfd wrote it: no `shares_with_government`, and the
    State's own protection mechanism flagged as shared with States."""
    for step in plan["steps"]:
        if step.pop("shares_with_government"):
            step["shares_with_states"] = True
    return plan


def test_a_plan_saved_by_the_previous_release_still_opens(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: a Honduran defender saved their plan encrypted (`plan --encrypt`, or a plan file
    an organisation sent them) with the release before. After updating, `open plan.age`
    says "error: holds a plan that is not valid: steps.0.shares_with_government: Field
    required" and shows nothing: their own plan, with its emergency line and its steps, is
    locked away from them, and the message names a field they cannot add. The flag is new
    (an extension of contract v1.1): a plan/v1.1 file without it is one written before it
    existed, whose steps said what they shared with the flags of then. Failed on e4a6dfd."""
    key, public = keys
    plan = as_saved_before(plan_of("honduras_2017.yaml"))
    assert any("national_protection" in s["id"] for s in plan["steps"])
    path = sealed_plan(tmp_path / "plan.age", public, plan)
    for fmt in ("txt", "json"):
        shown = run("open", path, "--identity", key, "-f", fmt)
        assert "Traceback" not in shown.output
        assert shown.exit_code == 0, shown.output
        assert "protection mechanism" in shown.stdout


def _answers(text: str) -> Any:
    return parse_answers(f"schema: reprisal-cli/answers/v1.1\n{text}".encode(), "a")


EXILE_WHOSE_BROTHER_WAS_DISAPPEARED = (
    "respondent: self\nstate: MX\nlocation: abroad\nresidence: US\n"
    "engagement: [special_procedures]\nstage: reprisal_suffered\n"
    "reprisals: [threats, enforced_disappearance]\nconsent:\n  share_with_un: 'yes'\n"
)


def test_the_questionnaire_asks_the_consent_wherever_the_search_commission_is_offered(
    kb: KnowledgeBase,
) -> None:
    """Harm: a Mexican journalist in exile in the United States (`location: abroad`), whose
    brother was disappeared in Mexico in reprisal, answers `assess`. The plan gives "If you
    agree: consider reporting the disappearance to Mexico's National Search Commission"
    (asking it tells the government of the case and of the family), but the questionnaire
    never asks whether the government's own bodies may be asked: the question is skipped for
    anyone abroad, while the search commission's rule fires abroad. Worse, someone who first
    answered "whereabouts unknown", said "No, not the government's own bodies", then went back
    and corrected where they are to "abroad" has that "no" silently dropped (the question no
    longer applies), and the plan offers the search commission again. Failed on e4a6dfd."""
    answers = _answers(EXILE_WHOSE_BROTHER_WAS_DISAPPEARED)
    plan = evaluate(answers, kb, as_of=dt.date(2026, 12, 5))
    assert any(s.shares_with_government for s in plan.steps)  # the step is offered
    question = next(q for q in kb.questions if q.key == QUESTION)
    flow = Flow(kb.questions, answers)
    assert flow.applies(question)
    # The "no" given before the correction is kept.
    before = _answers(EXILE_WHOSE_BROTHER_WAS_DISAPPEARED.replace("abroad", "whereabouts_unknown"))
    flow = Flow(kb.questions, before)
    flow.answer(question, "no")
    location = next(q for q in kb.questions if q.key == "location")
    flow.answer(location, "abroad")
    assert flow.default(question) == "no"
    # Abroad, where no step asks the government's own body, it is still not asked.
    colombian = _answers("state: CO\nlocation: abroad\nreprisals: [threats]\n")
    assert not Flow(kb.questions, colombian).applies(question)


@pytest.mark.parametrize(("lang", "country"), [("en", "Honduras"), ("es", "Honduras")])
def test_the_blank_form_names_the_countries_it_asks_the_consent_for(
    lang: str, country: str
) -> None:
    """Harm: on the printed questionnaire a family in Honduras fills in on paper, question 7
    ("Which country's government ...?") asks them to write a country; question 21, whether
    the government's own bodies may be asked, says "Answer only if ... at question 7, you
    ticked “MX” or “CO” or “HN” or “BR” or “PE” or “GT”". They wrote "Honduras", ticked
    nothing, and read codes they may not know: they skip the question, and the consent to
    ask the government is never given a "no". Failed on e4a6dfd."""
    form = run("form", "-f", "txt", "--lang", lang)
    assert form.exit_code == 0, form.output
    flat = " ".join(form.stdout.split())
    assert f"\u201c{country}\u201d" in flat
    assert "\u201cHN\u201d" not in flat
