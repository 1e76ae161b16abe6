"""Red team red27 (2026-12-04) against main's 4762cb7: a consent ledger with records dated after
today (a colleague a time zone ahead, a clock set wrong, an imported ESF file, `--as-of`).

Each test names the harm in its docstring; each failed on 4762cb7, but the last (a property
guarding the fix: the answers outputs read never more open than `effect_now`).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reprisal_cli.answers import Answers
from reprisal_cli.case.model import (
    CaseFile,
    ConsentRecord,
    effect_now,
    in_effect,
    new_consents,
    with_answers,
)
from reprisal_cli.cli import app
from reprisal_cli.contract import CONSENT_PURPOSES
from test_case import DAYS, ledgers
from test_safety_support import age_keypair

ROOT = Path(__file__).resolve().parents[1]
BAHRAIN = ROOT / "examples" / "bahrain_2012.yaml"  # publicity and share_with_un: yes
runner = CliRunner()
WHO = ["--given-by", "person", "--how", "written", "--explained-in", "en"]
TODAY = dt.date.today()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return age_keypair(tmp_path_factory.mktemp("keys"))


def run(*args: str | Path, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, [str(a) for a in args], env=env)


def case_with(tmp_path: Path, keys: tuple[Path, str], *consents: list[str]) -> Path:
    """A case from the Bahrain example (publicity and UN consent given a month ago), then each
    `case consent` in turn (each list: its arguments, `--as-of` included for a colleague's clock
    ahead of this one)."""
    key, public = keys
    path = tmp_path / "case.age"
    made = run(
        "case", "new", path, "--recipient", public, "--as-of", day(-30), "--answers", BAHRAIN
    )
    assert made.exit_code == 0, made.output
    for args in consents:
        done = run("case", "consent", path, *args, "--identity", key, "--recipient", public)
        assert done.exit_code == 0, done.output
    return path


def shares_with_un(path: Path, key: Path, *more: str) -> bool:
    plan = run("plan", path, "--identity", key, "-f", "json", *more)
    assert plan.exit_code == 0, plan.output
    return any(s.get("shares_with_un") for s in json.loads(plan.stdout)["steps"])


# -- 1. A "no" recorded now, undone by the calendar -------------------------------------------


@pytest.mark.parametrize(
    "withdrawal", [["share_with_un", "no", *WHO], ["share_with_un", "--revoke"]]
)
def test_a_no_recorded_today_is_not_undone_tomorrow_by_a_yes_dated_tomorrow(
    tmp_path: Path, keys: tuple[Path, str], withdrawal: list[str]
) -> None:
    """Harm (high): a colleague a time zone ahead (or a clock set wrong, or an imported ESF
    file) recorded the person's UN consent dated tomorrow. Today the person says no and the
    caseworker records it (`case consent ... no`, or `--revoke`): the record is dated today,
    so tomorrow the "yes" dated tomorrow is the latest record in force (contract §7) and every
    plan, draft and export made from tomorrow on shares the case with the UN again, the
    person's latest word undone by the calendar, without a word to anyone."""
    key = keys[0]
    path = case_with(
        tmp_path, keys, ["share_with_un", "yes", "--date", day(1), "--as-of", day(1), *WHO]
    )
    done = run("case", "consent", path, *withdrawal, "--identity", key, "--recipient", keys[1])
    assert done.exit_code == 0, done.output
    assert not shares_with_un(path, key)  # today
    # Tomorrow (`--as-of` stands in for the calendar) and after.
    assert not shares_with_un(path, key, "--as-of", day(1))
    assert not shares_with_un(path, key, "--as-of", day(30))


def _ledger_case(*records: ConsentRecord) -> CaseFile:
    return CaseFile(
        answers={"schema": "reprisal-cli/answers/v1.1", "stage": "reprisal_suffered"},
        consent=records,
    )


@pytest.mark.parametrize("now_in_force", ["yes", "no"])
@pytest.mark.parametrize("interview", [True, False])
def test_a_no_from_an_interview_or_answers_file_is_not_undone_by_a_yes_dated_later(
    now_in_force: str, interview: bool
) -> None:
    """Harm (high): the same through `assess --case` (interview) or `case answer --answers`:
    the person says no to the UN today while the ledger holds a "yes" dated tomorrow. The "no"
    was dated today, behind the "yes" (in force from tomorrow); and when today's consent
    already read "no" (the prefill shows "no" and the person confirms it) nothing at all was
    recorded, so tomorrow the case opens to the UN again."""
    who: dict[str, Any] = {"given_by": "person", "how": "oral"}
    today, tomorrow = TODAY, TODAY + dt.timedelta(days=1)
    case = _ledger_case(
        ConsentRecord(purpose="share_with_un", value=now_in_force, date=today - dt.timedelta(30),
                      **who),
        ConsentRecord(purpose="share_with_un", value="yes", date=tomorrow, **who),
    )  # fmt: skip
    answers = Answers(stage="reprisal_suffered", consent_share_with_un="no")
    added = new_consents(case, answers, today, interview=interview)
    updated = with_answers(case, answers, added, today)
    ledger = (updated or case).consent
    for later in (tomorrow, tomorrow + dt.timedelta(days=30)):
        assert in_effect(ledger, later)["share_with_un"] == "no", later


# -- 2. An action logged as sent on a consent the person has withdrawn -----------------------


def test_an_action_logged_as_sent_needs_the_consent_in_force_now(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm (medium): `case action --purpose share_with_un` is "refused without that consent in
    force"; it read the plain day's ledger (`consent_on`), not what outputs read now
    (`effect_now`). With the person's "no" dated tomorrow by a colleague ahead, the caseworker
    logs a communication to the special procedures as sent on the UN consent, and the tool
    accepts it: the case now records that the details went out with consent."""
    key, public = keys
    path = case_with(
        tmp_path, keys, ["share_with_un", "no", "--date", day(1), "--as-of", day(1), *WHO]
    )
    logged = run(
        "case", "action", path, "sp_communications", "--type", "communication",
        "--purpose", "share_with_un", "--identity", key, "--recipient", public,
    )  # fmt: skip
    assert logged.exit_code == 2, logged.output
    assert "share_with_un" in logged.output


def test_an_action_logged_for_the_report_needs_the_un_consent_too(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm (medium): the Secretary-General's report puts the case before the UN: `sg_report`
    lets details go only with a yes to the UN (`case.model.consented`, contract §3 gate 8).
    `case action --purpose sg_report` accepted `named` alone, with the UN consent withdrawn."""
    key, public = keys
    path = case_with(
        tmp_path, keys, ["sg_report", "named", "--date", day(-20), *WHO],
        ["share_with_un", "--revoke", "--date", day(-10)],
    )  # fmt: skip
    logged = run(
        "case", "action", path, "sg_reprisals_report", "--type", "communication",
        "--purpose", "sg_report", "--identity", key, "--recipient", public,
    )  # fmt: skip
    assert logged.exit_code == 2, logged.output


# -- 3. A day ahead (--as-of, SOURCE_DATE_EPOCH) opens a consent before its day --------------


def _opened_later(tmp_path: Path, keys: tuple[Path, str]) -> Path:
    """Today the person refuses publicity and the UN; a "yes" to both is dated tomorrow (a
    colleague a time zone ahead: a record is never dated further ahead, red team red37)."""
    return case_with(
        tmp_path, keys,
        ["publicity", "no", "--date", day(-1), *WHO],
        ["share_with_un", "no", "--date", day(-1), *WHO],
        ["share_with_un", "yes", "--date", day(1), "--as-of", day(1), *WHO],
        ["publicity", "yes", "--date", day(1), "--as-of", day(1), *WHO],
    )  # fmt: skip


def test_a_draft_or_export_made_now_for_a_day_ahead_never_opens_a_consent_early(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm (medium): the commit's promise is "never opening a consent early", but an output
    made now for a day after a future-dated "yes" (`--as-of`, or SOURCE_DATE_EPOCH left set a
    few days ahead) read that day's consent: a named draft to the UN's address, with the
    person's name and case id in the export, made and sent today while the person's answer
    today is no, and not a word on standard error."""
    key = keys[0]
    path = _opened_later(tmp_path, keys)
    ahead = str(int(dt.datetime.combine(TODAY + dt.timedelta(3), dt.time(12), dt.UTC).timestamp()))
    for args, env in (
        (["--as-of", day(3)], None),
        ([], {"SOURCE_DATE_EPOCH": ahead}),
    ):
        draft = run("draft", path, "--identity", key, "--to", "mechanism", "-f", "txt", *args,
                    env=env)  # fmt: skip
        assert draft.exit_code == 0, draft.output
        assert "@ohchr.org" not in draft.stdout, (args, env)
        exported = run("export", path, "--identity", key, *args, env=env)
        assert exported.exit_code == 0, exported.output
        assert json.loads(exported.stdout)["event"]["title"] is None, (args, env)


def test_effect_now_for_a_day_ahead_is_never_more_open_than_today() -> None:
    """The rule under the outputs above: for a day after today, each purpose is never more
    open than it is today (nor than the ledger's last word)."""
    who: dict[str, Any] = {"given_by": "person", "how": "oral"}
    ledger = (
        ConsentRecord(purpose="share_with_un", value="no", date=TODAY, **who),
        ConsentRecord(purpose="share_with_un", value="yes", date=TODAY + dt.timedelta(2), **who),
    )
    assert effect_now(ledger, TODAY + dt.timedelta(3), today=TODAY)["share_with_un"] == "no"
    assert effect_now(ledger, TODAY + dt.timedelta(3), today=TODAY + dt.timedelta(3)) == (
        in_effect(ledger, TODAY + dt.timedelta(3))
    )


def test_a_consent_the_ledger_would_not_put_in_force_is_refused_with_a_reason(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """The other side of the fix above: under a "no" dated tomorrow, a "yes" recorded today
    would be in force on no day (outputs made now follow the "no"): refused, saying to check
    the dates, rather than saved as if it counted. A withdrawal of a "yes" dated tomorrow, with
    nothing in force today, is recorded (it was "nothing to withdraw")."""
    key, public = keys
    path = case_with(
        tmp_path, keys, ["share_with_un", "no", "--date", day(1), "--as-of", day(1), *WHO]
    )
    k = ["--identity", key, "--recipient", public]
    refused = run("case", "consent", path, "share_with_un", "yes", *WHO, *k)
    assert refused.exit_code == 2, refused.output
    assert "check this computer's date" in " ".join(refused.output.split())
    path.unlink()
    only_ahead = case_with(
        tmp_path, keys, ["sg_report", "named", "--date", day(1), "--as-of", day(1), *WHO]
    )
    done = run("case", "consent", only_ahead, "sg_report", "--revoke", *k)
    assert done.exit_code == 0, done.output
    shown = run("case", "show", only_ahead, "--identity", key, "--as-of", day(2))
    assert "[sg_report]: withdrawn" in shown.output, shown.output


@settings(max_examples=300, deadline=None)
@given(ledgers(), DAYS, st.integers(-30, 30))
def test_the_answers_an_output_reads_are_never_more_open_than_effect_now(
    ledger: tuple[ConsentRecord, ...], on: dt.date, shift: int
) -> None:
    """Plan, draft and card read `answers_now`; export reads `effect_now`. Whatever the ledger
    and the day (before, on or after today), no purpose reads more open in the answers than in
    `effect_now`: the two outputs never disagree in the direction of sharing."""
    from reprisal_cli.case.model import OPENNESS, answers_now

    today = on + dt.timedelta(days=shift)
    case = _ledger_case(*ledger)
    answers = answers_now(case, on, today=today)
    effect = effect_now(ledger, on, today=today)
    for purpose in CONSENT_PURPOSES:
        got = answers.consent_for(purpose)
        assert OPENNESS[got or "no"] <= OPENNESS[effect[purpose] or "no"], (purpose, got, effect)
