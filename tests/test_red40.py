"""Red team red40 (2026-12-04) against main's 7703c30: the "If you agree" titles of steps kept
without a consent, in every language, and the assess prompts.

Each test names the harm in its docstring and failed on 7703c30.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from red_support import emergency_line, module_keys, plan_of, run, sealed_plan


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


LEADS = {
    "en": "If you agree:",
    "fr": "Si vous êtes d'accord :",
    "es": "Si está de acuerdo:",
    "ru": "Если вы согласны:",
    "ar": "إذا وافقتم:",
    "zh": "如果您同意：",
}

TURKEY_ECTHR = """\
schema: reprisal-cli/answers/v1.1
respondent: self
profile: [lawyer]
state: TR
location: home_country
stage: reprisal_suffered
engagement: [european_court]
reprisals: [threats]
immediate_danger: false
devices_compromised: false
consent_publicity: "no"
consent_share_with_un: undecided
consent:
  share_with_regional: undecided
"""


@pytest.mark.parametrize("lang", sorted(LEADS))
def test_a_step_kept_without_regional_consent_says_if_you_agree_in_every_language(
    tmp_path: Path, lang: str
) -> None:
    """Harm: a lawyer in Turkey with an application at the European Court, threatened for it;
    the consent to tell a regional body is not decided yet. In English the plan's step says
    "If you agree: tell the European Court if the reprisal hinders an application to it
    (Article 34)", in French, Spanish, Russian and Arabic the same. In Chinese it says only
    "如果报复妨碍了向欧洲人权法院提出的申诉，请告知法院（第34条）" ("Tell the Court if the
    reprisal hinders ...") with no "如果您同意：": the gate took the title for one that is
    already a condition because it begins with "如果" ("if"), the first word of the pattern. The
    short plan shows titles only: the Chinese reader is told to write to the Court, which will
    raise the case with the government, as though nothing were left to decide (the translated
    output says something else than the English: a lost condition of consent). Failed on
    7703c30."""
    answers = tmp_path / "answers.yaml"
    answers.write_text(TURKEY_ECTHR, encoding="utf-8")
    done = run("plan", answers, "--lang", lang, "-f", "json")
    assert done.exit_code == 0, done.output
    steps = {s["id"]: s for s in json.loads(done.stdout)["steps"]}
    assert steps["tell_ecthr_hindering"]["title"].startswith(LEADS[lang])


def test_open_of_a_plan_whose_emergency_line_claims_a_fresh_confirmation_says_so(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: red39 made `open` check a saved plan's contacts against the knowledge base, but
    only their channel and number. A plan file (sent to the defender encrypted to their public
    key, or edited on a seized laptop) keeps Front Line Defenders' 24-hour line as the knowledge
    base gives it, +353 1 210 0489, and changes only what it says of its freshness: `status:
    confirmed`, `last_confirmed: {how: official_page, date: 2026-12-01}`. `open plan.age -f md`
    then shows the emergency line "· checked 2026-12" and, in its sources, "Confirmed on the
    official page on 2026-12-01" (exit 0, no warning, the plan not marked as another knowledge
    base's), where the knowledge base says "not confirmed since 2019 — check before use": a
    stale emergency contact shown as fresh, so the person in danger does not check it first.
    Failed on 7703c30."""
    key, public = keys
    plan = plan_of("immediate_danger_hacked.yaml")
    line = emergency_line(plan)
    assert line["status"] == "check_current"
    line.update(
        status="confirmed",
        verified="2026-12-01",
        last_confirmed={"how": "official_page", "date": "2026-12-01"},
        unconfirmed_at_release=False,
    )
    path = sealed_plan(tmp_path / "plan.age", public, plan)
    shown = run("open", path, "--identity", key, "-f", "md")
    assert shown.exit_code == 0, shown.output
    flat = " ".join(shown.stdout.split())
    assert "knowledge base that is not the built-in one" in flat, flat[:600]
    assert "front_line_defenders_phone_emergency" in " ".join(shown.stderr.split())


@pytest.mark.parametrize("lang", ["en", "ar", "zh"])
def test_open_of_a_plan_made_now_says_nothing_of_its_contacts(
    tmp_path: Path, keys: tuple[Path, str], lang: str
) -> None:
    """The check above holds no false alarm: a plan made now with the built-in knowledge base,
    in any language, opens with no warning on its contacts and is not marked as another
    knowledge base's."""
    key, public = keys
    path = sealed_plan(tmp_path / "plan.age", public, plan_of("honduras_2017.yaml", "--lang", lang))
    shown = run("open", path, "--identity", key, "-f", "json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["kb"]["custom"] is False
    assert "front_line_defenders" not in shown.stderr
