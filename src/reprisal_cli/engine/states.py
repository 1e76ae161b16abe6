"""Where the answers meet `data/states.yaml`: the region a State belongs to.

`region` (contract §1) is derived from `state` when absent; a `region` that contradicts `state`
is an answers error, since nothing may guess which of the two the person meant.
"""

from __future__ import annotations

from reprisal_cli.answers import Answers
from reprisal_cli.contract import Region
from reprisal_cli.errors import AnswersError, Problem
from reprisal_cli.kb.knowledge import KnowledgeBase


def state_region(kb: KnowledgeBase, answers: Answers) -> Region | None:
    """The region of the answers' `state`; None without a state, or for one the knowledge
    base does not know."""
    code = getattr(answers, "state", None)
    state = kb.states.get(code) if code else None
    return None if state is None else state.region.value


def region_of(kb: KnowledgeBase, answers: Answers, *, name: str | None = None) -> Region | None:
    """The answers' region: as given, else derived from `state`. `AnswersError` (naming both
    keys and values, and the file `name`) when the given region contradicts the state's."""
    derived = state_region(kb, answers)
    if answers.region is None or derived is None:
        return answers.region or derived
    if answers.region != derived:
        state = kb.states[str(answers.state)]
        raise AnswersError(
            [
                Problem(
                    f"region {answers.region!r} contradicts state {state.code!r} "
                    f"({state.name('en')}), which is in {derived!r}",
                    file=name,
                    path="region",
                    key="region",
                    code="value",
                )
            ],
            hint="Leave out 'region' (it follows from 'state'), or correct one of the two.",
        )
    return derived


def with_region(kb: KnowledgeBase, answers: Answers, *, name: str | None = None) -> Answers:
    """The answers with `region` derived from `state` where absent (see `region_of`)."""
    region = region_of(kb, answers, name=name)
    if region == answers.region:
        return answers
    return answers.model_copy(update={"region": region})
