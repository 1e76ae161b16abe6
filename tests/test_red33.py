"""Red team red33 (2026-12-04) against main's b3360de: the red29 to red32 consent fixes of the case
file (what went out, read against the consent of its day; the handover export), attacked for
regressions, contradictions between outputs and new wrong claims.

Each test names the harm in its docstring and failed on b3360de.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from red_support import (
    BAHRAIN,
    WHO,
    case_run,
    day,
    module_keys,
    new_case,
    run,
    warnings_of,
)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


SP = "sp_communications"


def warning(warnings: list[dict[str, str]], ident: str) -> str:
    return next((w["text"] for w in warnings if w["id"] == ident), "")


def un_withdrawn_by_a_no(tmp_path: Path, keys: tuple[Path, str]) -> Path:
    """UN consent yes 20 days ago, a communication under it 10 days ago, a "no" recorded over
    the yes 5 days ago (the natural way to withdraw, red team red29), then a communication to
    another UN body yesterday, logged without --purpose (case action warns, and logs it)."""
    path = new_case(tmp_path, keys, BAHRAIN, 20)
    case_run(path, keys, "action", SP, "--type", "communication", "--date", day(-10),
             "--purpose", "share_with_un")  # fmt: skip
    case_run(path, keys, "consent", "share_with_un", "no", *WHO, "--date", day(-5))
    case_run(path, keys, "action", "sr_hrd", "--type", "communication", "--date", day(-1))
    return path


# -- 1. What went out after a "no" is called sent before the withdrawal ----------------------


def test_a_communication_after_a_no_is_said_sent_without_consent_not_before_the_withdrawal(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: a case's details sent to a UN body four days after the person said "no" (recorded
    over their "yes") are listed by the plan under "Consent was withdrawn ... Before that, the
    case log shows these were sent", a false claim that they went with consent, and the
    sent_without_consent warning (red team red30) is missing: `readings_during` reads every
    prefix of the ledger as a moment of the output's day, so the "yes" the "no" replaced five
    days earlier still counts. Failed on b3360de."""
    path = un_withdrawn_by_a_no(tmp_path, keys)
    warnings = warnings_of(path, keys)
    assert "Special Rapporteur on the situation of human rights defenders" in warning(
        warnings, "sent_without_consent"
    )
    assert "Special Rapporteur on the situation of human rights defenders" not in warning(
        warnings, "consent_revoked_outputs"
    )
    # what went out under the yes is still named at the withdrawal
    assert "Special procedures" in warning(warnings, "consent_revoked_outputs")


# -- 2. The handover export carries an intervention never consented to -----------------------


def test_export_leaves_out_an_intervention_sent_after_the_no(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: the export (consented tier only, module docstring: an intervention with a UN body
    needs the UN consent in force) now keeps one made under a consent since withdrawn (red
    team red32), but reads "made under a consent" with `consented_during`, which counts the
    "yes" a "no" replaced days before: the communication sent to the Special Rapporteur after
    the person said "no" goes to the other organisation's database, unmarked, with
    `left_out` empty. Failed on b3360de."""
    path = un_withdrawn_by_a_no(tmp_path, keys)
    key, _public = keys
    exported = run("export", path, "--identity", key)
    assert exported.exit_code == 0, exported.output
    doc = json.loads(exported.stdout)
    bodies = [i["intervening_with"] for i in doc["event"]["interventions"]]
    assert "sr_hrd" not in bodies
    assert any(f"{day(-1)}: no consent" in what for what in doc["left_out"]), doc["left_out"]
    # (Since fixed otherwise: the export keeps the consented tier only, issue 26 point 7, and
    # says truly, on both sides of a handover, what the withdrawal calls for.)
    assert SP not in bodies
    assert any(
        day(-10) in what and "must be asked not to use" in what for what in doc["left_out"]
    ), doc["left_out"]


# -- 3. The Uwazi CSV hands over an open intervention with no word of the withdrawal ----------


def test_uwazi_export_marks_an_intervention_made_under_a_consent_since_withdrawn(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: since red32 the export keeps an intervention made under a consent since withdrawn,
    so that whoever takes the case over writes the withdrawal letter; the ESF JSON carries the
    consent ledger that says so, but the Uwazi CSV has no consent column: the other
    organisation's database shows an ordinary open communication to the special procedures,
    which invites a follow-up with the case's details, the very thing the person withdrew.
    Nothing in the CSV nor on standard error says the consent was withdrawn. Failed on
    b3360de."""
    path = new_case(tmp_path, keys, BAHRAIN, 20)
    case_run(path, keys, "action", SP, "--type", "communication", "--date", day(-10),
             "--purpose", "share_with_un", "--next", "30")  # fmt: skip
    case_run(path, keys, "consent", "share_with_un", "--revoke", "--date", day(-5))
    key, _public = keys
    exported = run("export", path, "--identity", key, "-f", "uwazi-csv")
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    # (Since fixed otherwise: the export keeps the consented tier only, issue 26 point 7, and
    # says truly, on both sides of a handover, what the withdrawal calls for.)
    assert not [r for r in rows if r["with"] == SP], exported.stdout
    said = " ".join(exported.stderr.split())
    assert "withdrawn" in said.lower() and f"ask {SP} not to use" in said, said


# -- 4. A handover forgets the consents an action was logged under (--purpose) ---------------


def test_an_imported_case_names_what_went_out_under_a_purpose_logged_with_the_action(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: a case sent to Amnesty's Urgent Action network with `case action --purpose
    publicity` (an Urgent Action makes the case public), publicity then withdrawn: the plan
    says to write to Amnesty and ask it not to use the details; exported and imported by the
    organisation taking the case over (red team red32's handover), the plan says nothing,
    because the export keeps the intervention but not the consents it was logged under, and
    the import reads an organisation as needing none. The withdrawal is not followed after
    the handover. Failed on b3360de."""
    path = new_case(tmp_path, keys, BAHRAIN, 20)
    case_run(path, keys, "action", "amnesty_urgent_action", "--type", "communication",
             "--date", day(-10), "--purpose", "publicity")  # fmt: skip
    case_run(path, keys, "consent", "publicity", "--revoke", "--date", day(-5))
    assert "Amnesty" in warning(warnings_of(path, keys), "consent_revoked_outputs")
    key, public = keys
    exported = run("export", path, "--identity", key)
    assert exported.exit_code == 0, exported.output
    esf = tmp_path / "esf.json"
    esf.write_text(exported.stdout, encoding="utf-8")
    taken = tmp_path / "taken.age"
    imported = run("import", esf, "-o", taken, "--recipient", public)
    assert imported.exit_code == 0, imported.output
    # (Since fixed otherwise: the export keeps the consented tier only, issue 26 point 7, and
    # says truly, on both sides of a handover, what the withdrawal calls for.)
    said = " ".join(imported.stderr.split())
    assert "Left out by the export: intervention of" in said, said
    assert "consent to publicity" in said and "must be asked not to use" in said, said


# -- 5. An Urgent Action (public by the knowledge base's own word) needs no publicity ----------


def test_a_withdrawal_of_publicity_names_a_request_for_an_urgent_action(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: the knowledge base says of Amnesty's Urgent Action network "This makes the case
    public" (service protective_publicity), yet `consent_needed` reads every organisation as
    needing no consent: a request for an Urgent Action logged without --purpose is never
    named when the person withdraws publicity (nor warned of when logged under a "no"), so
    nobody asks Amnesty to stop the public appeals. Failed on b3360de."""
    path = new_case(tmp_path, keys, BAHRAIN, 20)
    case_run(path, keys, "action", "amnesty_urgent_action", "--type", "request_for_protection",
             "--date", day(-10))  # fmt: skip
    case_run(path, keys, "consent", "publicity", "--revoke", "--date", day(-5))
    assert "Amnesty" in warning(warnings_of(path, keys), "consent_revoked_outputs")
