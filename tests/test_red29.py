"""Red team red29 (2026-12-04) against main's 75afa7d: consent narrowed by a "no", dates after
today in a caseload, imported ESF files, dates at the calendar's ends.

Each test names the harm in its docstring and failed on 75afa7d.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from red_support import (
    BAHRAIN,
    HONDURAS,
    WHO,
    case_run,
    day,
    esf_document,
    module_keys,
    new_case,
    run,
)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


UN_OFFICIAL = "ohchr_reprisals_senior_official"


# -- 1. A "no" over a "yes": what was sent is forgotten ----------------------------------------


def test_a_no_over_a_yes_lists_what_was_sent_as_a_withdrawal_does(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """The person agreed to the UN; the case was sent to the UN reprisals official (logged with
    --purpose share_with_un); then they said no (`case consent share_with_un no`, which
    `narrowed_after` itself calls "a withdrawal too"). The plan says "You have not agreed that
    your details go to UN bodies" and nothing of what was already sent, where `--revoke` makes
    it list the letter and say to write and ask that the details not be used or passed on. The
    caseworker who records the person's "no" the natural way never learns that the UN holds the
    case and must be asked to stop using it."""
    key, _public = keys
    path = new_case(tmp_path, keys, HONDURAS, since=40)
    sent = case_run(path, keys, "action", UN_OFFICIAL, "--type", "communication",
                    "--date", day(-20), "--purpose", "share_with_un")  # fmt: skip
    assert sent.exit_code == 0, sent.output
    said_no = case_run(path, keys, "consent", "share_with_un", "no", *WHO)
    assert said_no.exit_code == 0, said_no.output
    plan = run("plan", path, "--identity", key, "-f", "json")
    assert plan.exit_code == 0, plan.output
    warnings = " ".join(w["text"] for w in json.loads(plan.stdout)["warnings"])
    assert day(-20) in warnings, warnings  # the letter sent before the "no" is named


# -- 2. A date after today silences a caseload's reassessment ----------------------------------


def test_an_incident_dated_after_today_does_not_silence_the_reassessment(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """A high-risk case (reassess every 7 days) untouched for 120 days is listed by `followup`
    as 113 days overdue. A caseworker logs a new threat and types the wrong year (`case incident
    --date` a year ahead): the command takes it without a word (where `case consent` refuses a
    --date after --as-of), and from then on `followup` says "Nothing is due" for the case until
    a year and a week later: its "last change" is the mistyped day. The incident is not counted
    in the escalation either. A person under threat drops out of the caseload's morning list
    because of one typo. Either refusing the date or keeping the reassessment due would do."""
    key, _public = keys
    path = new_case(tmp_path, keys, HONDURAS, since=120)
    case_run(path, keys, "incident", "threats", "--date", day(365))  # whatever it answers
    due = run("followup", path, "--identity", key, "-f", "json")
    assert due.exit_code == 0, due.output
    kinds = [item["kind"] for item in json.loads(due.stdout)["items"]]
    assert "reassessment" in kinds, due.stdout


# -- 3. An imported consent that the ledger contradicts, passed on -----------------------------


def test_an_imported_answers_consent_is_not_kept_nor_exported_against_the_ledger(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """`import` keeps the ESF victim's answers as they are, a `consent` mapping included
    (publicity yes, sg_report named), although a case's answers must carry no consent (the
    ledger alone decides: `case.model`). The ledger says no to publicity and to the UN. `case
    show` then prints "Answers: {... 'consent': {'publicity': 'yes' ...}}" under "publicity: no",
    `case answer` keeps it, and `export --format esf-json` sends it on to the next
    organisation's database as the victim's consent: publicity yes, named in the report, beside
    a ledger saying no. Whoever reads the victim record publishes, or names the person."""
    key, public = keys
    doc = esf_document(
        day(-10),
        [
            {"purpose": "publicity", "value": "no", "date": day(-10)},
            {"purpose": "share_with_un", "value": "no", "date": day(-10)},
        ],
        victim={
            "schema": "reprisal-cli/answers/v1.1",
            "region": "americas",
            "stage": "reprisal_suffered",
            "reprisals": ["threats"],
            "consent": {"publicity": "yes", "share_with_un": "yes", "sg_report": "named"},
        },
    )
    source = tmp_path / "esf.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    path = tmp_path / "imported.age"
    made = run("import", source, "-o", path, "--recipient", public)
    assert made.exit_code in (0, 1), made.output
    if made.exit_code == 1:  # refused: nothing kept, nothing passed on
        return
    shown = run("case", "show", path, "--identity", key)
    assert shown.exit_code == 0, shown.output
    assert "'publicity': 'yes'" not in shown.stdout
    out = run("export", path, "--identity", key, "-f", "esf-json")
    assert out.exit_code == 0, out.output
    victim = json.loads(out.stdout)["event"]["victim"]
    assert not any(k == "consent" or k.startswith("consent_") for k in victim), victim


# -- 4. Tracebacks at the calendar's ends -----------------------------------------------------


def test_an_action_at_the_calendars_end_is_a_usage_error_not_a_traceback(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """`case action --date 9999-12-31 --next 30` (a date typed wrong) ends in an OverflowError
    traceback with exit 1 ("an answers file is invalid"), where `--next 9999-12-31` or a bad
    date is a usage error (exit 2). A user must never see a traceback, nor an exit code that
    names the wrong failure."""
    path = new_case(tmp_path, keys, BAHRAIN, since=5)
    done = case_run(path, keys, "action", UN_OFFICIAL, "--type", "communication",
                    "--date", "9999-12-31", "--next", "30")  # fmt: skip
    assert not isinstance(done.exception, OverflowError), done.exception
    assert done.exit_code == 2, done.output


def test_a_case_plan_for_the_calendars_first_days_is_not_a_traceback(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """`plan CASE.age --as-of 0001-01-01` (or -02: any day less than the escalation window after
    the calendar's start) ends in an OverflowError traceback from `case.risk.escalation`, exit
    1, while `card`, `draft`, `export`, `open`, `followup` and `case show` take the same day,
    and a plan from an answers file too. A user must never see a traceback."""
    key, _public = keys
    path = new_case(tmp_path, keys, BAHRAIN, since=5)
    for when in ("0001-01-01", "0001-01-02"):
        plan = run("plan", path, "--identity", key, "-f", "json", "--as-of", when)
        assert not isinstance(plan.exception, OverflowError), plan.exception
        assert plan.exit_code in (0, 2), plan.output


def test_a_batch_of_cases_for_the_calendars_first_day_is_not_a_traceback(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """`batch FOLDER -i KEY --as-of 0001-01-01` over case files: the whole batch ends in the
    same OverflowError traceback (`case.risk.escalation`), exit 1, no case reported, instead of
    a usage error or a failure per case."""
    key, _public = keys
    path = new_case(tmp_path, keys, BAHRAIN, since=5)
    done = run("batch", path, "-o", tmp_path / "out", "--identity", key, "--as-of", "0001-01-01")
    assert not isinstance(done.exception, OverflowError), done.exception


# -- 5. A withdrawal of a consent that follows another one is refused --------------------------


def _without(tmp_path: Path, *keys_left_out: str) -> Path:
    """The Honduras example without its own answers for some purposes (they follow the UN one,
    or publicity, as contract §1 says)."""
    kept = [
        line
        for line in HONDURAS.read_text(encoding="utf-8").splitlines()
        if not any(line.strip().startswith(f"{k}:") for k in keys_left_out)
    ]
    path = tmp_path / "answers.yaml"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def test_withdrawing_the_regional_consent_that_follows_the_un_one_is_followed(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """The person agreed to the UN, and was never asked about regional bodies on their own: by
    contract §1 the regional consent follows the UN yes, `case show` says "follows
    share_with_un (yes)", and the plan sends the case to the Inter-American Commission. The
    person then says: not the regional bodies. `case consent FILE share_with_regional --revoke`
    answers "no consent for share_with_regional is in force: nothing to withdraw" (exit 2) and
    records nothing, so the plan still sends the case to the Commission. The caseworker is told
    the opposite of what the outputs do, and the withdrawal is not followed."""
    key, public = keys
    answers = _without(tmp_path, "share_with_regional", "share_with_states", "sg_report")
    path = tmp_path / "case.age"
    made = run("case", "new", path, "--recipient", public, "--answers", answers)
    assert made.exit_code == 0, made.output
    before = run("plan", path, "--identity", key, "-f", "json")
    assert any(s["shares_with_regional"] for s in json.loads(before.stdout)["steps"])
    case_run(path, keys, "consent", "share_with_regional", "--revoke")
    after = run("plan", path, "--identity", key, "-f", "json")
    assert after.exit_code == 0, after.output
    regional = [s["id"] for s in json.loads(after.stdout)["steps"] if s["shares_with_regional"]]
    assert regional == [], regional


def test_withdrawing_the_named_report_consent_that_follows_publicity_is_followed(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Publicity yes and the Secretary-General's report never asked: contract §1 reads it as
    `named`, and the plan asks for the case to appear, with names, in the yearly report. The
    person says: not in the report. `case consent FILE sg_report --revoke` answers "no consent
    for sg_report is in force: nothing to withdraw" (exit 2), records nothing, and the plan
    still asks for the person to be named in a public UN report."""
    key, _public = keys
    path = new_case(tmp_path, keys, BAHRAIN, since=5)
    before = run("plan", path, "--identity", key, "-f", "json")
    assert "include_in_sg_report" in [s["id"] for s in json.loads(before.stdout)["steps"]]
    case_run(path, keys, "consent", "sg_report", "--revoke")
    after = run("plan", path, "--identity", key, "-f", "json")
    assert after.exit_code == 0, after.output
    steps = [s["id"] for s in json.loads(after.stdout)["steps"]]
    assert "include_in_sg_report" not in steps, steps


def test_case_show_says_the_report_consent_the_outputs_follow(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """With publicity yes and the Secretary-General's report never asked, `case show` lists
    "sg_report: not recorded", where for regional bodies it says "follows share_with_un (yes)";
    the outputs read it as `named` (contract §1) and the plan asks for the person to be named
    in the yearly public report. A caseworker checking the consents before acting reads that
    nothing was agreed for the report while the plan names the person in it."""
    key, _public = keys
    path = new_case(tmp_path, keys, BAHRAIN, since=5)
    shown = run("case", "show", path, "--identity", key)
    assert shown.exit_code == 0, shown.output
    line = next(x for x in shown.stdout.splitlines() if "[sg_report]:" in x)
    assert "reads yes, with names from" in line, line


# -- 6. A communication logged without --purpose is forgotten at the withdrawal ---------------


def test_a_withdrawal_names_a_communication_logged_without_its_purpose(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """An urgent appeal to the Special Procedures, logged as `case action sp_communications
    --type communication` (--purpose is optional; the README's own example of a call logs
    none), then the person withdraws the UN consent (--revoke). The plan's note on what was
    sent before a withdrawal reads only the outputs logged with --purpose: it names nothing,
    though the case log shows the communication and the knowledge base says the Special
    Procedures need the UN consent (`consent_needed`). Without a follow-up date, `followup`
    says nothing either: nobody writes to the Special Procedures to ask that the details not
    be used."""
    key, _public = keys
    path = new_case(tmp_path, keys, HONDURAS, since=40)
    sent = case_run(path, keys, "action", "sp_communications", "--type", "communication",
                    "--channel", "web", "--date", day(-20))  # fmt: skip
    assert sent.exit_code == 0, sent.output
    withdrawn = case_run(path, keys, "consent", "share_with_un", "--revoke")
    assert withdrawn.exit_code == 0, withdrawn.output
    plan = run("plan", path, "--identity", key, "-f", "json")
    assert plan.exit_code == 0, plan.output
    warnings = " ".join(w["text"] for w in json.loads(plan.stdout)["warnings"])
    assert day(-20) in warnings, warnings


# -- 7. A draft from a case file points to a route the case refuses ---------------------------


@pytest.mark.parametrize("locale", ["C.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8", "zh_CN.UTF-8"])
def test_a_case_drafts_refusal_does_not_send_the_reader_to_edit_a_consent_key(
    tmp_path: Path, keys: tuple[Path, str], locale: str
) -> None:
    """`draft CASE.age` after a no to the UN says, in every language, "(consent_share_with_un
    is no) ... set consent_share_with_un: yes once you agree": the answers file's raw key and
    the English "no"/"yes" inside a French, Russian or Chinese sentence, and a route a case
    refuses (`case answer --set consent_share_with_un=yes`: "consent is kept in the consent
    ledger"). The reader who must act on it (the person agreeing again) is pointed to a key
    they cannot read nor set, instead of `case consent ... --given-by --how`."""
    key, _public = keys
    path = new_case(tmp_path, keys, HONDURAS, since=10)
    said_no = case_run(path, keys, "consent", "share_with_un", "no", *WHO)
    assert said_no.exit_code == 0, said_no.output
    env = {"LANG": locale, "LC_ALL": "", "LC_MESSAGES": ""}
    made = run("draft", path, "--identity", key, "-f", "txt", env=env)
    assert made.exit_code == 0, made.output
    assert "consent_share_with_un: yes" not in " ".join(made.output.split())
