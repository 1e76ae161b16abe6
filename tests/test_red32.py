"""Red team red32 (2026-12-04) against main's edfe764: the case file's consent end to end, as a
caseworker team uses it over weeks (withdrawals, a "no" over a "yes", the withdrawal letter,
followup, export, import, batch, assess --case): what each output tells the caseworker to do.

Each test names the harm in its docstring and failed on edfe764.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from red_support import (
    BAHRAIN,
    WHO,
    case_run,
    day,
    ids,
    module_keys,
    new_case,
    run,
    warnings_of,
)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


SP = "sp_communications"


def followup_items(path: Path, keys: tuple[Path, str], *extra: str) -> list[dict[str, Any]]:
    key, _public = keys
    due = run("followup", path, "--identity", key, "--format", "json", *extra)
    assert due.exit_code == 0, due.output
    return list(json.loads(due.stdout)["items"])


# -- 1. The withdrawal letter the plan asks for is then called "sent without consent" -----------


def test_the_withdrawal_letter_the_plan_asks_for_is_not_called_sent_without_consent(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """A communication went to the Special Procedures with the UN consent (--purpose
    share_with_un); the person then withdraws it (`case consent share_with_un --revoke`). The
    plan says (consent_revoked_outputs): "Write to each to say that consent is withdrawn and ask
    them not to use or pass on the details." The caseworker does so and logs it the only way the
    tool offers, `case action sp_communications --type follow_up` (--purpose is refused: no
    consent). From then on every plan says (sent_without_consent) that this letter "went out
    without the person's consent for it on that day: Tell the person. If they do not agree,
    write to each to ask them not to use or pass on the details": a wrong claim that alarms the
    person, an instruction to write the same letter again, in a loop the caseworker cannot get
    out of (each letter logged is one more "sent without consent"). The tool asks for an act,
    then blames the act. Failed on edfe764."""
    path = new_case(tmp_path, keys, BAHRAIN, since=30)
    sent = case_run(path, keys, "action", SP, "--type", "communication", "--purpose",
                    "share_with_un", "--as-of", day(-20))  # fmt: skip
    assert sent.exit_code == 0, sent.output
    revoked = case_run(path, keys, "consent", "share_with_un", "--revoke", "--as-of", day(-10))
    assert revoked.exit_code == 0, revoked.output
    assert "consent_revoked_outputs" in ids(warnings_of(path, keys))
    letter = case_run(path, keys, "action", SP, "--type", "follow_up", "--as-of", day(-5))
    assert letter.exit_code == 0, letter.output
    assert "sent_without_consent" not in ids(warnings_of(path, keys))


# -- 2. followup after a "no" recorded over a "yes": "refused", nothing to withdraw --------------


def test_followup_after_a_no_over_a_yes_says_to_ask_the_body_not_to_use_the_details(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """The README: a "no" recorded over the "yes" does the same as --revoke (the natural way to
    record "I no longer agree"). The plan names what was sent and says to write to ask that it
    not be used. But `followup`, the caseworker's morning list, says of the Special Procedures'
    due follow-up only "consent to share with UN bodies refused: do not send the case's
    details": "refused" is a wrong claim (the person agreed, then withdrew), and the one thing
    to do (ask the body holding the details not to use or pass them on) is left out, while
    the same case with --revoke says it. Failed on edfe764."""
    path = new_case(tmp_path, keys, BAHRAIN, since=40)
    sent = case_run(path, keys, "action", SP, "--type", "communication", "--next", "10",
                    "--purpose", "share_with_un", "--as-of", day(-30))  # fmt: skip
    assert sent.exit_code == 0, sent.output
    said_no = case_run(path, keys, "consent", "share_with_un", "no", *WHO, "--as-of", day(-10))
    assert said_no.exit_code == 0, said_no.output
    (item,) = [i for i in followup_items(path, keys) if i["to"] == SP]
    assert "refused" not in item["what"]
    assert "not to use or pass on" in item["what"]


# -- 3. Export then import after a withdrawal: the new organisation never learns what to withdraw -


def test_an_imported_case_still_names_what_went_out_before_a_withdrawal(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Organisation A sent the case to the Special Procedures with the UN consent; the person then
    withdrew it (--revoke); A hands the case over to organisation B (`export`, then B runs
    `import`). Export leaves the intervention out ("Left out: intervention of ...: no consent
    (share_with_un)", on A's standard error only: a wrong claim, it had consent that day) and
    import drops `left_out`. B's case reads "share_with_un: withdrawn", "Actions: none", and
    its plan never says that the Special Procedures hold the details and must be asked not to
    use or pass them on (consent_revoked_outputs): the one act the withdrawal calls for is lost
    at the handover, and the UN may still raise the case with the State against the person's
    word. Failed on edfe764. (Fixed so that both sides say it: carrying the intervention
    itself would break the consented tier, issue 26 point 7.)"""
    key, public = keys
    path = new_case(tmp_path, keys, BAHRAIN, since=30)
    sent = case_run(path, keys, "action", SP, "--type", "communication", "--purpose",
                    "share_with_un", "--as-of", day(-20))  # fmt: skip
    assert sent.exit_code == 0, sent.output
    revoked = case_run(path, keys, "consent", "share_with_un", "--revoke", "--as-of", day(-10))
    assert revoked.exit_code == 0, revoked.output
    assert "consent_revoked_outputs" in ids(warnings_of(path, keys))
    esf = tmp_path / "handover.json"
    exported = run("export", path, "--identity", key, "-o", esf)
    assert exported.exit_code == 0, exported.output
    # The export holds the consented tier only (issue 26, point 7: no output holds a field whose
    # purpose lacks live consent), so the intervention itself stays out; what must not be lost
    # is the act the withdrawal calls for: said, truly, on both sides of the handover.
    assert "no consent to" not in exported.stderr
    assert "not to use or pass on the details" in exported.stderr
    imported_path = tmp_path / "imported.age"
    imported = run("import", esf, "-o", imported_path, "--recipient", public)
    assert imported.exit_code == 0, imported.output
    said = " ".join(imported.stderr.split())
    assert "Left out by the export: intervention of" in said, said
    assert "must be asked not to use or pass on the details" in said, said


# -- 4. followup after publicity is withdrawn: the report "not decided", the name already sent ----


def test_followup_of_the_report_after_publicity_withdrawn_names_the_name_already_sent(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Publicity and the UN consent yes, the report never asked on its own (contract §1: read
    `named`). The case went to the Secretary-General's report with the name (--purpose
    share_with_un --purpose sg_report, follow-up in 10 days); the person then withdraws
    publicity. The plan says consent was withdrawn and to write to ask them not to use the
    details; `followup`'s item for the report says only "consent to include the case in the
    Secretary-General's report not decided: ask the person before sending the case's details":
    silent that OHCHR holds the person's NAME for a public report, with nothing about writing
    to withdraw it, so the follow-up, or nothing at all, leaves the person named in a public UN
    report. Failed on edfe764."""
    path = new_case(tmp_path, keys, BAHRAIN, since=40)
    sent = case_run(path, keys, "action", "sg_reprisals_report", "--type", "communication",
                    "--next", "10", "--purpose", "share_with_un", "--purpose", "sg_report",
                    "--as-of", day(-30))  # fmt: skip
    assert sent.exit_code == 0, sent.output
    revoked = case_run(path, keys, "consent", "publicity", "--revoke", "--as-of", day(-10))
    assert revoked.exit_code == 0, revoked.output
    (item,) = [i for i in followup_items(path, keys) if i["to"] == "sg_reprisals_report"]
    assert "not decided" not in item["what"]
    assert "withdrawn" in item["what"]


# -- 5. The draft after a "no" over a "yes": "you have not said yes" ------------------------------


def test_a_case_draft_after_a_no_over_a_yes_says_the_consent_was_withdrawn(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """The UN consent was yes, a communication went to the Special Procedures under it, then the
    person said no (`case consent share_with_un no`, which the README calls a withdrawal like
    --revoke). The draft's guidance says "No named draft: you have not said yes to sharing
    details with UN bodies": a wrong claim, the person did say yes and the UN holds their
    details; the same case with --revoke says "you withdrew your consent". Read to the person
    or by them, it denies what happened, and nothing points to the plan's instruction to ask
    the body not to use or pass on what it holds. Failed on edfe764."""
    key, _public = keys
    path = new_case(tmp_path, keys, BAHRAIN, since=40)
    sent = case_run(path, keys, "action", SP, "--type", "communication", "--purpose",
                    "share_with_un", "--as-of", day(-30))  # fmt: skip
    assert sent.exit_code == 0, sent.output
    said_no = case_run(path, keys, "consent", "share_with_un", "no", *WHO, "--as-of", day(-10))
    assert said_no.exit_code == 0, said_no.output
    draft = run("draft", path, "--identity", key, env={"LANG": "C.UTF-8", "LC_ALL": ""})
    assert draft.exit_code == 0, draft.output
    assert "has not said yes" not in draft.output  # the person at risk (an organisation answers)
    assert "withdrawn" in draft.output.split("---")[0]
