"""Red team red30 (2026-12-04) against main's 9808d85: what a case says was sent once the consent
changes (`case.plan.outputs_to_withdraw`, `case action --purpose`, `import`), and Chinese wrapping.

Each test names the harm in its docstring and failed on 9808d85.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from red_support import (
    BAHRAIN,
    WHO,
    case_run,
    day,
    imported_case,
    module_keys,
    new_case,
    texts,
    warnings_of,
)
from reprisal_cli.render.labels import wrap


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


SG_REPORT = "sg_reprisals_report"  # the knowledge base's Secretary-General's report


# -- 1. Named in the public report after asking for anonymity -----------------------------------


def test_a_report_sent_with_names_then_narrowed_to_anonymous_is_named_in_the_plan(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Publicity and the UN consent yes, the report never asked (contract §1 reads it `named`):
    the case goes to the Secretary-General's report (`case action sg_reprisals_report`, logged
    with the consents it needs, share_with_un and sg_report). The person then asks to appear
    in the report only without their name: `case consent sg_report anonymous`. The ledger
    calls this a narrowing (`narrowed_after`: "anonymous" after "named"), but the plan's note
    on what was sent (`outputs_to_withdraw`) asks only whether the consent still "lets the
    case go", and anonymous does: the plan says nothing of the named submission, only offers
    an anonymous inclusion. Nobody writes to OHCHR to say "without the name", and the person
    is named in a public UN report against their latest word."""
    path = new_case(tmp_path, keys, BAHRAIN, since=30)
    sent = case_run(path, keys, "action", SG_REPORT, "--type", "communication", "--date", day(-10))
    assert sent.exit_code == 0, sent.output
    narrowed = case_run(path, keys, "consent", "sg_report", "anonymous", *WHO)
    assert narrowed.exit_code == 0, narrowed.output
    assert day(-10) in texts(warnings_of(path, keys))


# -- 2. An action to the report logged under the UN consent alone -------------------------------


def test_an_action_to_the_report_is_not_logged_as_consented_under_a_refusal_of_the_report(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """The person agreed to the UN but said no to the Secretary-General's report (`case consent
    sg_report no`). A caseworker logs a communication to the report with `--purpose
    share_with_un`, the consent a UN body needs: `case action` checks only the purposes given
    ("refused without that consent in force", says its help), takes it without a word (exit
    0) and logs it as made with consent, while without --purpose it would have warned that the
    report needs sg_report (`consent_needed`). A send against the person's refusal is recorded
    as consented, and no one is told to take the case back out of the report."""
    path = new_case(tmp_path, keys, BAHRAIN, since=30)
    refused = case_run(path, keys, "consent", "sg_report", "no", *WHO)
    assert refused.exit_code == 0, refused.output
    logged = case_run(path, keys, "action", SG_REPORT, "--type", "communication",
                      "--purpose", "share_with_un")  # fmt: skip
    assert logged.exit_code == 2 or "sg_report" in logged.stderr, logged.output


def test_a_no_to_the_report_names_what_went_to_it_under_the_un_consent(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """The case went to the Secretary-General's report, logged `--purpose share_with_un` (the
    consent a UN body needs; --purpose is what the README asks for). The person then says no
    to the report (`case consent sg_report no`). The output carries share_with_un only, so the
    plan's note on what was sent before a consent narrowed (`outputs_to_withdraw`) names
    nothing: the red29 fix logs the consent the body needs (`consent_needed`: sg_report) only
    when --purpose is left out. The case stays in a public UN report the person refused."""
    path = new_case(tmp_path, keys, BAHRAIN, since=30)
    sent = case_run(path, keys, "action", SG_REPORT, "--type", "communication",
                    "--date", day(-10), "--purpose", "share_with_un")  # fmt: skip
    assert sent.exit_code == 0, sent.output
    refused = case_run(path, keys, "consent", "sg_report", "no", *WHO)
    assert refused.exit_code == 0, refused.output
    assert day(-10) in texts(warnings_of(path, keys))


# -- 3. An imported case's interventions are forgotten at a withdrawal --------------------------


def test_an_imported_intervention_is_named_when_the_un_consent_is_withdrawn(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """A case comes from another organisation (`import`, ESF JSON, as `export` writes it): the
    UN consent yes, and an intervention with the Special Procedures (an urgent appeal). The
    person withdraws the UN consent (`case consent share_with_un --revoke`). The plan names
    nothing of what was sent: `import` turns interventions into actions but makes no output,
    and `outputs_to_withdraw` reads only outputs (the red29 fix logs one at `case action`
    time, so an imported action, or one logged before today's release, is never named). The
    same case made with `case action` lists the appeal and says to write and ask that the
    details not be used; imported, the Special Procedures keep using them."""
    path = imported_case(tmp_path, keys, "sp_communications", "threats")
    withdrawn = case_run(path, keys, "consent", "share_with_un", "--revoke")
    assert withdrawn.exit_code == 0, withdrawn.output
    assert day(-20) in texts(warnings_of(path, keys))


# -- 4. A withdrawal invented for what was sent without consent ---------------------------------


def test_what_was_sent_without_consent_is_not_called_a_withdrawal(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """The person has not decided about the UN (share_with_un `undecided`, never yes). A
    communication to the Special Procedures is logged without --purpose (`case action` warns
    that the consent is not in force and logs the output with share_with_un). From then on
    the plan opens with "Consent was withdrawn (passing details to UN bodies). Before that,
    the case log shows these were sent ... Write to each to say that consent is withdrawn":
    no consent was ever given nor withdrawn, and the person is still deciding (gate 2 keeps
    the UN steps, with the warning). The caseworker is told a withdrawal happened and to tell
    the UN so, in the person's name, a decision the person has not taken; the real problem
    (details sent without consent) is not said."""
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "schema: reprisal-cli/answers/v1.1\nrespondent: self\nregion: americas\n"
        "engagement: [special_procedures]\nstage: reprisal_suffered\nreprisals: [threats]\n"
        'consent:\n  publicity: "no"\n  share_with_un: undecided\n',
        encoding="utf-8",
    )
    path = new_case(tmp_path, keys, answers, since=30)
    sent = case_run(path, keys, "action", "sp_communications", "--type", "communication",
                    "--date", day(-10))  # fmt: skip
    assert sent.exit_code == 0, sent.output
    said = texts(warnings_of(path, keys))
    assert "Consent was withdrawn" not in said, said
    assert "say that consent is withdrawn" not in said, said
    # What is true is said instead: it went out without the consent of its day.
    assert "went out without the person's consent for it on that day" in said, said
    assert day(-10) in said, said


# -- 5. A date cut in two in a Chinese line -----------------------------------------------------


def test_a_chinese_line_never_cuts_a_date_in_two() -> None:
    """In the terminal and text views, Chinese prose has no spaces, so a sentence is one long
    "word" that `render.labels._pieces` cuts where the line is full, inside a date too: the
    plan of a case whose UN consent was withdrawn printed "…已发送以下内容：20" and, on the
    next line, "26-11-14：已发送给人权理事会特别程序" (`plan CASE.age -f txt`, LANG=zh_CN.UTF-8).
    A reader sees the day as "26-11-14", or a reassessment or "not confirmed since" date
    without its century. A run of Latin letters and digits (a date, a reference) should move
    whole to the next line, as a URL or a phone number does."""
    for before in range(30, 40):  # the date reaches the line's end at every position
        text = "案" * before + "：2026-11-14：已发送给人权理事会特别程序。" + "案" * 30
        lines = wrap(text, 80)
        assert any("2026-11-14" in line for line in lines), lines
