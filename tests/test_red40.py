"""Red team red40 (2026-12-04) against main's 7703c30: the "If you agree" titles of steps kept
without a consent, in every language, and the assess prompts.

Each test names the harm in its docstring and failed on 7703c30.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from red_support import run

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
