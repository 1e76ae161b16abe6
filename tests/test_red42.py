"""Red team red42 (2026-12-04) against main's 71d7660: `case consent --history` (a paper
form typed in late, before a later record) and the consent questions asked for someone
detained or missing.

Each test names the harm in its docstring and failed on 71d7660.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from red_support import BAHRAIN, WHO, case_run, day, ids, module_keys, new_case, run, warnings_of
from reprisal_cli.kb.questions import Question, QuestionsFile
from reprisal_cli.questionnaire.flow import Flow
from reprisal_cli.records import validate

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "questions.yaml"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


def shares_with_un(path: Path, keys: tuple[Path, str], *extra: str) -> list[str]:
    """The ids of the plan's steps that pass the case's details to the UN (`extra` options)."""
    key, _public = keys
    plan = run("plan", path, "--identity", key, "-f", "json", *extra)
    assert plan.exit_code == 0, plan.output
    return [s["id"] for s in json.loads(plan.stdout)["steps"] if s["shares_with_un"]]


@pytest.mark.parametrize("refused", [["no", *WHO], ["--revoke"]])
def test_a_yes_typed_in_as_history_never_takes_the_place_of_a_refusal_of_its_day(
    tmp_path: Path, keys: tuple[Path, str], refused: list[str]
) -> None:
    """Harm: the Bahrain case (the UN: yes, 20 days ago). Five days ago the person phoned to
    say no (or to withdraw), recorded then; the next day a communication went to the Special
    Rapporteur anyway (logged: "not in force"); two days ago they confirmed the no. A
    caseworker then types in the paper form the person had signed on the morning of that
    call, a yes: `case consent CASE share_with_un yes --date <5 days ago> --history`. The
    tool says the later record stays in force, but the yes, written last, took the place of
    the refusal of its own day: the UN consent reads yes for the three days after it, the
    plan for those days sends the case to the UN, and the communication the person refused
    is no longer "sent without consent" but said to have gone under a consent withdrawn
    since (a false claim to the person that they had agreed). Failed on 71d7660."""
    path = new_case(tmp_path, keys, BAHRAIN, 20)
    assert (
        case_run(path, keys, "consent", "share_with_un", *refused, "--date", day(-5)).exit_code == 0
    )
    case_run(path, keys, "action", "sr_hrd", "--type", "communication", "--date", day(-4))
    assert (
        case_run(path, keys, "consent", "share_with_un", "no", *WHO, "--date", day(-2)).exit_code
        == 0
    )
    assert "sent_without_consent" in ids(warnings_of(path, keys))
    assert not shares_with_un(path, keys, "--as-of", day(-4))

    typed = case_run(
        path, keys, "consent", "share_with_un", "yes", *WHO, "--date", day(-5), "--history"
    )

    assert typed.exit_code == 0, typed.output
    assert not shares_with_un(path, keys, "--as-of", day(-4))
    warned = ids(warnings_of(path, keys))
    assert "sent_without_consent" in warned and "consent_revoked_outputs" not in warned


def test_what_the_person_says_today_is_never_recorded_as_history_under_a_later_record(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: the ledger holds a UN "yes" dated tomorrow (a colleague a time zone ahead, a
    clock set wrong, an imported file). The person says no today; the caseworker, having
    read the refusals' hints about --history, types `case consent CASE share_with_un no
    ... --history`. Saved, exit 0, "the record of share_with_un dated <tomorrow> stays in
    force": the person's word of today goes under the yes, and from tomorrow the plan,
    drafts and exports send the case to the UN against the latest thing they said (without
    --history the no is dated tomorrow too, written after the yes, red team red27). Failed
    on 71d7660."""
    path = new_case(tmp_path, keys, BAHRAIN, 20)
    assert (
        case_run(path, keys, "consent", "share_with_un", "no", *WHO, "--date", day(-10)).exit_code
        == 0
    )
    ahead = case_run(path, keys, "consent", "share_with_un", "yes", *WHO, "--as-of", day(1))
    assert ahead.exit_code == 0, ahead.output
    key, _public = keys
    before = run("case", "show", path, "--identity", key, "-f", "json")

    for extra in ([], ["--as-of", day(1), "--date", day(0)]):  # --as-of ahead: today still
        typed = case_run(path, keys, "consent", "share_with_un", "no", *WHO, "--history", *extra)
        assert typed.exit_code == 2, typed.output
        assert "without --history" in typed.output
    after = run("case", "show", path, "--identity", key, "-f", "json")
    assert json.loads(after.stdout)["consent"] == json.loads(before.stdout)["consent"]
    # Without --history it is the latest word: dated tomorrow too, after the yes.
    said = case_run(path, keys, "consent", "share_with_un", "no", *WHO)
    assert said.exit_code == 0, said.output
    shown = json.loads(run("case", "show", path, "--identity", key, "-f", "json").stdout)
    latest = shown["consent"][-1]
    assert (latest["value"], latest["date"]) == ("no", day(1)), shown["consent"]


def shipped_flow() -> tuple[Flow, dict[str, Question]]:
    questions = validate(QuestionsFile, yaml.safe_load(QUESTIONS.read_text("utf-8"))).questions
    return Flow(questions), {x.key: x for x in questions}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # A family decides for someone detained; then the location is corrected (released).
        ({"respondent": "family", "location": "in_detention"}, {"location": "home_country"}),
        # A relative reports what the person wants; then the person takes the keyboard.
        ({"respondent": "family", "location": "home_country"}, {"respondent": "self"}),
    ],
)
def test_a_consent_is_asked_again_when_the_words_it_was_asked_in_change(
    before: dict[str, str], after: dict[str, str]
) -> None:
    """Harm: a mother answers `assess` for her son, detained: "Does the person at risk, or
    their family or a representative for them, agree that details of the case go, in
    confidence, to UN bodies?" - yes (her own decision for him), given by: their family. On
    the review screen she corrects the location: he was released yesterday, he is at home. The
    review now reads "Does the person at risk agree that details of the case go ... to UN
    bodies? -> Yes", the plan sends the case to the UN on that yes, and nothing asks him,
    who can now decide (the consent is the person's whenever they can, questions.yaml). The
    same when a relative hands the keyboard to the person: the relative's report of what the
    person wants is saved as the person's own "May details of your case go ...?" - yes.
    Failed on 71d7660."""
    flow, by_key = shipped_flow()
    for key, value in before.items():
        flow.answer(by_key[key], value)
    un = by_key["consent_share_with_un"]
    flow.answer(un, "yes")
    flow.answer(by_key["consent_given_by"], "family")
    for key, value in after.items():
        flow.change(by_key[key], value)

    assert flow.answers().consent_share_with_un is None
    assert flow.answers().consent_given_by is None
    assert flow.default(un) == "yes"  # asked again, the answer given preselected
    while (question := flow.next_question()) is not un:
        assert question is not None
        flow.dont_know(question)
    flow.answer(un, "yes")
    assert flow.answers().consent_share_with_un == "yes"
    # The same words: nothing asked again.
    flow.change(by_key["location"], flow.answers().location or "home_country")
    assert flow.answers().consent_share_with_un == "yes"
