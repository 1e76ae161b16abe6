"""Red team red31 (2026-12-04) against main's 9e4258c: what a case says went out once the consent
changes (`case.plan.sent_before`, `outputs_to_withdraw`, `consented_during`), `case action
--purpose`, the draft's guidance and case show.

Each test names the harm in its docstring and failed on 9e4258c.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from red_support import (
    BAHRAIN,
    TODAY,
    WHO,
    case_run,
    day,
    ids,
    imported_case,
    module_keys,
    new_case,
    run,
    texts,
    warnings_of,
)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


SG_REPORT = "sg_reprisals_report"  # the knowledge base's Secretary-General's report


def rewrite(path: Path, keys: tuple[Path, str], change: Any) -> None:
    """Decrypt the case (contract §7: age-encrypted JSON), change its data, encrypt it again."""
    key, public = keys
    age = shutil.which("age")
    assert age is not None
    plain = subprocess.run([age, "-d", "-i", str(key), str(path)], check=True,
                           capture_output=True).stdout  # fmt: skip
    data = json.loads(plain)
    change(data)
    sealed = subprocess.run([age, "-r", public], input=json.dumps(data).encode(), check=True,
                            capture_output=True).stdout  # fmt: skip
    path.write_bytes(sealed)


# -- 1. Named in the report: "without my name" said the same day ---------------------------------


def test_a_report_sent_named_then_narrowed_to_anonymous_the_same_day_is_named(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Publicity and the UN consent yes, the report never asked (contract §1 reads it `named`).
    This morning the case went to the Secretary-General's report (`case action
    sg_reprisals_report`, logged today); this afternoon the person calls and asks to appear in
    it only without their name (`case consent sg_report anonymous`, dated today, the default).
    The plan says nothing: `outputs_to_withdraw` compares the report consent at the END of the
    output's day (`in_effect(case.consent, output.date)`, already `anonymous`) with today's,
    while a withdrawal is read "at any moment of its day" (`consented_during`). The same call
    a day later is named (report_anonymous_outputs). Nobody writes to OHCHR to say "without the
    name", and the person is named in a public UN report against their latest word: the most
    natural timing (a call back the same day) is the one that is silent."""
    path = new_case(tmp_path, keys, BAHRAIN, since=30)
    sent = case_run(path, keys, "action", SG_REPORT, "--type", "communication")
    assert sent.exit_code == 0, sent.output
    narrowed = case_run(path, keys, "consent", "sg_report", "anonymous", *WHO)
    assert narrowed.exit_code == 0, narrowed.output
    assert "report_anonymous_outputs" in ids(warnings_of(path, keys))


# -- 2. An action dated after today is never named at a withdrawal ------------------------------


def test_an_action_dated_after_today_is_named_when_the_un_consent_is_withdrawn(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """A colleague a time zone ahead (the README's own case for records dated after today)
    sends the communication to the Special Procedures and logs it on their today: `case action
    sp_communications --purpose share_with_un --as-of TOMORROW` (checked against the consent,
    exit 0, logged as an output with share_with_un). Here, today, the person withdraws the UN
    consent (`case consent share_with_un --revoke`). Neither today's plan nor tomorrow's names
    the communication: `sent_before` keeps only what is dated on or before the plan's day, and
    `consented_during` reads the withdrawal (dated today) as already in force on the action's
    day, so on `--as-of TOMORROW` it is "sent without consent" and left out. The tool itself
    accepted the send as consented; the Special Procedures keep the case and may raise it with
    the State, and nobody is told to write to them."""
    path = new_case(tmp_path, keys, BAHRAIN, since=30)
    sent = case_run(path, keys, "action", "sp_communications", "--type", "communication",
                    "--purpose", "share_with_un", "--as-of", day(1))  # fmt: skip
    assert sent.exit_code == 0, sent.output
    withdrawn = case_run(path, keys, "consent", "share_with_un", "--revoke")
    assert withdrawn.exit_code == 0, withdrawn.output
    for as_of in (day(0), day(1)):
        said = warnings_of(path, keys, "--as-of", as_of)
        assert "consent_revoked_outputs" in ids(said), (as_of, texts(said))


# -- 3. A case logged with the previous release: a no to the report forgets what went to it -----


def test_a_report_output_logged_under_the_un_consent_alone_is_named_at_a_no_to_the_report(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Before a3a5798, `case action sg_reprisals_report --purpose share_with_un` (the consent a
    UN body needs, as the README asked) logged an output with share_with_un only. red30 fixed
    the logging for new actions and made the plan read an action's needed consents
    (`needed_purposes`) — but `sent_before` does so only for an action with NO output of the
    same day and body (`logged`), so every case file logged that way keeps its output's old
    purposes. The person says no to the report (`case consent sg_report no`): the plan names
    nothing, the case stays in a public UN report the person refused, and the red30 test of
    the same harm passes only for actions logged from today on. What the body needs should be
    read from the action whatever the output recorded."""
    path = new_case(tmp_path, keys, BAHRAIN, since=30)
    sent = case_run(path, keys, "action", SG_REPORT, "--type", "communication",
                    "--date", day(-10), "--purpose", "share_with_un")  # fmt: skip
    assert sent.exit_code == 0, sent.output

    def as_before(data: dict[str, Any]) -> None:  # the output as 9808d85 wrote it
        data["outputs"][0]["purposes"] = ["share_with_un"]

    rewrite(path, keys, as_before)
    refused = case_run(path, keys, "consent", "sg_report", "no", *WHO)
    assert refused.exit_code == 0, refused.output
    assert day(-10) in texts(warnings_of(path, keys))


# -- 4. A no to the report, and the message to OHCHR's reprisals team says only "not named" -----


def test_a_draft_to_ohchr_says_the_person_refuses_the_report_even_without_a_name(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """The UN consent yes, publicity yes, and the person said no to the Secretary-General's
    report (`case consent sg_report no`: not in it at all, contract §1; gate 8 lets an anonymous
    inclusion go only with `anonymous`). `draft CASE.age` writes to the OHCHR reprisals team,
    who compile that report. Its consent statement reads "They do NOT agree to be named in any
    public report: confidential transmission only, not to be named in the public report" —
    word for word what it says for `anonymous`, and no guidance line says otherwise (for
    `anonymous` one says "say so in the message"). Read by OHCHR, "not to be named" permits
    an anonymous inclusion: the case (State, kind of reprisal, UPR cooperation, date) goes into
    a public UN report the person refused. The draft must say the refusal of the report, in
    the message or at least in the guidance."""
    path = new_case(tmp_path, keys, BAHRAIN, since=30)
    key, _public = keys
    drafts = {}
    for value in ("undecided", "no"):
        said = case_run(path, keys, "consent", "sg_report", value, *WHO)
        assert said.exit_code == 0, said.output
        made = run("draft", path, "--identity", key, "-f", "txt")
        assert made.exit_code == 0, made.output
        drafts[value] = made.stdout
    assert "anonym" in drafts["no"].lower() or drafts["no"] != drafts["undecided"], drafts["no"]


# -- 5. An imported intervention to a body this knowledge base lacks is forgotten ---------------


def test_an_imported_intervention_to_an_unknown_body_is_named_at_a_withdrawal(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """A case comes from another organisation (`import`, ESF JSON): the UN consent yes, and an
    intervention with `wgad_urgent_appeals` (the Working Group on Arbitrary Detention, as the
    other organisation's tool, or an older knowledge base, names it; this knowledge base has no
    such id). `import` takes it without a word. The person withdraws the UN consent: the plan
    names nothing, because `sent_before` keeps an action only with the consents
    `needed_purposes` finds, and that gives none for an id the knowledge base does not have —
    although `consent_needed` promises that an unknown body is never treated as needing
    nothing (`export` and `followup` do say it cannot be checked). The body keeps the case's
    details and nobody is told to write to it, or even to check what went there."""
    path = imported_case(tmp_path, keys, "wgad_urgent_appeals", "detention")
    withdrawn = case_run(path, keys, "consent", "share_with_un", "--revoke")
    assert withdrawn.exit_code == 0, withdrawn.output
    said = texts(warnings_of(path, keys))
    assert day(-20) in said or "wgad_urgent_appeals" in said, said


# -- 6. assess --case: a yes said under a withdrawal dated after today vanishes -----------------


def test_a_yes_said_in_the_interview_under_a_withdrawal_dated_tomorrow_is_not_dropped(
    tmp_path: Path,
) -> None:
    """A colleague a time zone ahead withdrew the UN consent on their today (`case consent
    share_with_un --revoke --as-of TOMORROW`: the month-old "yes" gets `revoked` = tomorrow, no
    new record). Here, today, the person gives the consent again in `assess --case`: the session
    starts from "no" (`answers_now` narrows by the revocation), they answer yes. Nothing is
    recorded — `new_consents` compares with the ledger on today, where the old "yes" is not yet
    revoked, and finds nothing to add — and no HELD_BACK note is shown: `held_back` looks only
    for a RECORD dated after today (`dated_after`), not a revocation dated after today. Every
    output made now follows the withdrawal; the person was told nothing, and believes their
    consent was taken (the red27 harm, by a withdrawal instead of a "no"). Worse, the
    session writes `share_with_regional: no` and `share_with_states: no` records the person
    never said (the prefill's narrowing, saved as their answers)."""
    from dataclasses import replace

    import pyrage

    from reprisal_cli.case.model import CaseFile, ConsentRecord, HistoryEntry
    from reprisal_cli.case.store import CaseKey, create_case
    from reprisal_cli.questionnaire.casefile import CaseSaver
    from reprisal_cli.questionnaire.plain import PlainUI

    identity = pyrage.x25519.Identity.generate()
    key = CaseKey(identities=(str(identity),), recipients=(str(identity.to_public()),))
    answers = {
        "schema": "reprisal-cli/answers/v1.1",
        "respondent": "self",
        "engagement": ["special_procedures"],
        "stage": "reprisal_feared",
        "reprisals": ["threats"],
    }
    month_ago, tomorrow = TODAY - dt.timedelta(30), TODAY + dt.timedelta(1)
    given = ConsentRecord(
        purpose="share_with_un",
        value="yes",
        given_by="person",
        how="oral",
        date=month_ago,
        revoked=tomorrow,
    )
    path = tmp_path / "case.age"
    history = (HistoryEntry(date=month_ago, answers=answers),)
    create_case(path, CaseFile(answers=answers, consent=(given,), history=history), key)
    lines: list[str] = []

    def read(prompt: str) -> str:
        lines.append(prompt)
        return "1"  # how the consent was given: orally

    ui = PlainUI(read=read, write=lambda text: lines.append(str(text)))
    saver = CaseSaver.start(ui, path, key, TODAY)
    prefill = saver.prefill()
    assert prefill is not None and prefill.consent_share_with_un == "no"
    saver(replace(prefill, consent_share_with_un="yes"))
    shown = " ".join("\n".join(lines).split())
    recorded = "share_with_un: yes" in shown
    said_not_followed = "Not followed now: passing details to UN bodies" in shown
    assert recorded or said_not_followed, shown
