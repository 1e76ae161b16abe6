"""Red team round 47: consent given for the person (`given_by`), a child's and relatives'
cautions, organisations that serve the person's own profile, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from red_support import WHO, case_run, day, module_keys, new_case, run


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


# A child whose family gave the consent to the UN and to the Secretary-General's report.
CHILD_FAMILY = """\
schema: reprisal-cli/answers/v1.1
respondent: family
profile: [child]
state: EG
engagement: [special_procedures]
stage: reprisal_suffered
reprisals: [detention, threats]
location: home_country
consent: {share_with_un: "yes", sg_report: anonymous, publicity: "no", given_by: family}
"""


def _steps(path: Path, keys: tuple[Path, str]) -> dict[str, Any]:
    key, _public = keys
    plan = run("plan", path, "--identity", key, "-f", "json", "--full")
    assert plan.exit_code == 0, plan.output
    return {s["id"]: s for s in json.loads(plan.stdout)["steps"]}


def test_the_persons_own_later_consent_to_another_purpose_does_not_make_the_familys_theirs(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """A child's family consented to the UN and to the Secretary-General's report; later the
    child said "no" to publicity themselves. The case's plan then told the caseworker to write
    to the UN "that the person agrees to inclusion without names only" (the latest record's
    `given_by` stood for every consent): the family's consent written up as the child's own,
    what caseworker review 5 (A1) found (red47)."""
    answers = tmp_path / "answers.yaml"
    answers.write_text(CHILD_FAMILY, encoding="utf-8")
    path = new_case(tmp_path, keys, answers, since=20)
    said = case_run(path, keys, "consent", "publicity", "no", *WHO, "--date", day(-10))
    assert said.exit_code == 0, said.output
    steps = _steps(path, keys)
    report = steps["include_in_sg_report_anonymously"]["detail"]
    assert "the person agrees to inclusion" not in report
    assert "who gave the consent for the person (their family or a representative)" in report
    official = steps["report_to_un_reprisals_official"]["detail"]
    assert "say who gave it for the person (their family or a representative)" in official


def test_the_familys_later_no_does_not_make_the_persons_own_consent_theirs(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """The reverse: the person gave their own consent to the UN and the report; later their
    family recorded a "no" to publicity. The UN steps must not say the consent to send was
    given for the person by someone else (red47)."""
    own = CHILD_FAMILY.replace("[child]", "[ngo_staff]")
    own = own.replace("given_by: family", "given_by: person")
    answers = tmp_path / "answers.yaml"
    answers.write_text(own, encoding="utf-8")
    path = new_case(tmp_path, keys, answers, since=20)
    family = ["--given-by", "family", "--how", "oral", "--explained-in", "en"]
    said = case_run(path, keys, "consent", "publicity", "no", *family, "--date", day(-10))
    assert said.exit_code == 0, said.output
    steps = _steps(path, keys)
    assert "the person agrees to inclusion" in steps["include_in_sg_report_anonymously"]["detail"]
    assert "given for the person" not in steps["report_to_un_reprisals_official"]["detail"]


# A woman journalist in Burundi in danger now: three organisations serve her profile (CPJ, RSF,
# the Urgent Action Fund), one her region (DefendDefenders, with a 24/7 line for East Africa).
JOURNALIST_BURUNDI = {
    "respondent": "self",
    "profile": ["journalist", "woman_defender"],
    "state": "BI",
    "engagement": ["special_procedures"],
    "stage": "reprisal_suffered",
    "reprisals": ["threats", "physical_attack"],
    "immediate_danger": True,
    "location": "home_country",
    "consent": {"share_with_un": "yes"},
}


@pytest.mark.parametrize("step", ["organisation_emergency_support", "organisation_relocation"])
def test_organisations_for_the_persons_profile_leave_room_for_the_region_and_for_everyone(
    tmp_path: Path, step: str
) -> None:
    """Organisations serving the person's own profile came first and filled every place: a woman
    journalist in Burundi in danger now was offered CPJ, RSF and the Urgent Action Fund for
    urgent support and for relocation, and no longer DefendDefenders (the one organisation for
    her region, with its 24/7 emergency line, named nowhere else in the plan) nor any
    organisation open to every defender, such as ProtectDefenders.eu, the best match (red47)."""
    from red_support import plan_of_answers

    plan = plan_of_answers(tmp_path, JOURNALIST_BURUNDI, "--full")
    names = {c["name"].split(" – ")[0] for s in plan["steps"] if s["id"] == step
             for c in s["contacts"]}  # fmt: skip
    general = {
        "Front Line Defenders",
        "ProtectDefenders.eu (EU Human Rights Defenders Mechanism)",
        "Observatory for the Protection of Human Rights Defenders (FIDH and OMCT)",
    }
    assert any(n.startswith("DefendDefenders") for n in names), names
    assert names & general, names


# A child whose relatives are targeted; a representative gave the consent (anonymous report).
CHILD_RELATIVES = CHILD_FAMILY.replace("[detention, threats]", "[threats, threats_to_family]")
CHILD_RELATIVES = CHILD_RELATIVES.replace("given_by: family", "given_by: representative")


@pytest.mark.parametrize("to", ["ohchr", "mechanism"])
def test_draft_to_the_un_says_who_consented_for_the_child_and_carries_their_cautions(
    tmp_path: Path, to: str
) -> None:
    """The draft message to the UN for a child whose representative consented said "The person
    agrees that the case appears in the Secretary-General's report without names only: say so
    in the message" (the consent written up as the child's own, caseworker review 5, A1), and
    carried neither the child's caution nor the relatives' (the message describes what was done
    to them), which the plan puts on every step that sends the case to the UN (red47)."""
    answers = tmp_path / "answers.yaml"
    answers.write_text(CHILD_RELATIVES, encoding="utf-8")
    made = run("draft", answers, "--to", to)
    assert made.exit_code == 0, made.output
    guidance = made.stdout.split("---")[0]
    assert "The person agrees that the case appears" not in guidance
    assert "say who gave the consent for the person" in guidance
    assert "The person at risk is a child. Decide with the child" in guidance
    assert "any letter that describes what was done to them identifies them" in guidance
