"""Where the answers meet `data/states.yaml`: the region a State belongs to.

`region` (contract §1) is where the person at risk lives. It is derived from `residence` when that
is given, else from `state` unless the person is abroad (an exile lives outside the region of the
State that persecutes them, and nothing may guess where). A `region` that contradicts the country
it is derived from is an answers error, since nothing may guess which of the two the person meant.
"""

from __future__ import annotations

from dataclasses import replace

from reprisal_cli.answers import Answers
from reprisal_cli.contract import Region
from reprisal_cli.errors import AnswersError, Problem
from reprisal_cli.kb.knowledge import KnowledgeBase


def _home(answers: Answers) -> tuple[str, str] | None:
    """The answers key and country code that say where the person at risk lives, if any."""
    if answers.residence:
        return "residence", answers.residence
    if answers.state and answers.location != "abroad":
        return "state", answers.state
    return None


def region_of(kb: KnowledgeBase, answers: Answers, *, name: str | None = None) -> Region | None:
    """The answers' region: as given, else derived from where the person lives (`_home`).
    `AnswersError` (naming both keys and values, and the file `name`) when the given region
    contradicts that country's."""
    home = _home(answers)
    country = kb.states.get(home[1]) if home else None
    derived = None if country is None else country.region.value
    if answers.region is None or derived is None or home is None or country is None:
        return answers.region or derived
    if answers.region != derived:
        key = home[0]
        raise AnswersError(
            [
                Problem(
                    f"region {answers.region!r} contradicts {key} {country.code!r} "
                    f"({country.name('en')}), which is in {derived!r}",
                    file=name,
                    path="region",
                    key="region",
                    code="value",
                )
            ],
            hint=f"Leave out 'region' (it follows from '{key}'), or correct one of the two.",
        )
    return derived


def with_region(kb: KnowledgeBase, answers: Answers, *, name: str | None = None) -> Answers:
    """The answers with `region` derived from `state` where absent (see `region_of`)."""
    region = region_of(kb, answers, name=name)
    if region == answers.region:
        return answers
    return replace(answers, region=region)
