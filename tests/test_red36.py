"""Red team red36 (2026-12-04) against main's 982d2e5: `assess` driven in a real terminal
(tmux, French), a tampered installed knowledge base, `batch` over a mixed folder, translated
drafts, and the consent date an answers file carries.

Each test names the harm in its docstring and failed on 982d2e5.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from red_support import day, module_keys, run


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


def answers_consent_dated(tmp_path: Path, offset: int) -> Path:
    """An answers file as `assess --answers-out` writes it when the last question ("Which day
    were they given or last confirmed?") is answered with a day `offset` days after today: a
    typo (2026-12-10 for 2026-11-10) the interview accepts without a word."""
    doc = {
        "schema": "reprisal-cli/answers/v1.1",
        "respondent": "self",
        "engagement": ["special_procedures"],
        "stage": "reprisal_suffered",
        "reprisals": ["threats"],
        "location": "home_country",
        "consent": {
            "share_with_un": "yes",
            "publicity": "yes",
            "sg_report": "named",
            "given_by": "person",
            "date": day(offset),
        },
    }
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def test_a_case_never_takes_a_consent_dated_after_today_from_an_answers_file(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: the interview (`assess`, checked in tmux in French: "Quel jour ont-ils été donnés
    ou confirmés pour la dernière fois ? > 2026-12-10" on 2026-12-04) and the answers file
    take a consent date after today, while `case consent --date` refuses one ("a consent or a
    withdrawal is recorded when it is given") and `incident_date` in the future is refused
    (exit 1). `case new --answers` then writes ledger records dated six days ahead (exit 0):
    on that day the consent to publicity, to the UN and to a named Secretary-General's report
    comes into force by itself, and from then on the ledger says the person gave or confirmed
    it on a day they never did (a date that overstates freshness; a UN body asking when
    consent was confirmed is told a day nobody asked the person). Failed on 982d2e5."""
    _key, public = keys
    answers = answers_consent_dated(tmp_path, 6)
    path = tmp_path / "case.age"
    made = run("case", "new", path, "--recipient", public, "--answers", answers)
    assert "Traceback" not in made.output
    assert made.exit_code == 1, made.output
    assert "consent" in made.output
    assert not path.exists()


def test_a_plan_never_follows_a_consent_dated_after_today(tmp_path: Path) -> None:
    """Harm: the same answers file (consent to the UN, publicity and a named report, dated six
    days after today). `plan` follows it today (exit 0): the public steps (a public statement,
    protective publicity, the named Secretary-General's report) are in the plan, with no word
    of the date. The same file made
    into a case (`case new --answers`) holds all of them back until that day ("Recorded for a
    later day, not followed before it"): one answers file, two opposite answers to "may this
    go to the UN today?". A consent not yet given must not be acted on; refusing the file
    (as for an incident dated in the future) is a fix too. Failed on 982d2e5."""
    answers = answers_consent_dated(tmp_path, 6)
    made = run("plan", answers, "-f", "json")
    assert "Traceback" not in made.output
    if made.exit_code == 1:  # refused, naming the consent date
        assert "consent" in made.output
        return
    assert made.exit_code == 0, made.output
    plan = json.loads(made.stdout)
    public = [s["id"] for s in plan["steps"] if s["public"]]
    assert public == [], public  # publicity and a named report wait for the day they are given
