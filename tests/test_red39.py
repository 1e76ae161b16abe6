"""Red team red39 (2026-12-04) against main's 09bf362: `followup` over a caseload (what an
action was logged under, and which file an item belongs to), and `import` of a document dated
after today.

Each test names the harm in its docstring and failed on 09bf362.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from red_support import (
    BAHRAIN,
    HONDURAS,
    WHO,
    case_run,
    day,
    emergency_line,
    esf_document,
    module_keys,
    plan_of,
    run,
    sealed_plan,
)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


def made(path: Path, keys: tuple[Path, str], answers: Path, since: int) -> Path:
    """A case at `path` made `since` days before today from an answers file."""
    _key, public = keys
    path.parent.mkdir(parents=True, exist_ok=True)
    done = run("case", "new", path, "--recipient", public, "--as-of", day(-since), "--answers",
               answers)  # fmt: skip
    assert done.exit_code == 0, done.output
    return path


def due(paths: list[Path], keys: tuple[Path, str], *extra: str) -> list[dict[str, Any]]:
    key, _public = keys
    listed = run("followup", *paths, "--identity", key, "--format", "json", *extra)
    assert listed.exit_code == 0, listed.output
    return list(json.loads(listed.stdout)["items"])


@pytest.mark.parametrize("body", ["front_line_defenders", "sp_communications"])
def test_followup_names_a_withdrawn_consent_the_action_was_logged_under(
    tmp_path: Path, keys: tuple[Path, str], body: str
) -> None:
    """Harm: the Bahrain case (publicity and the UN: yes). The caseworker asks Front Line
    Defenders for a public urgent appeal (or the Special Rapporteur for a public statement) and
    logs it as the tool asks: `case action CASE front_line_defenders --type communication
    --purpose publicity --next 10`. The person then withdraws publicity (`case consent CASE
    publicity no`). The plan says "Consent was withdrawn (making the case public). Before
    that, the case log shows these were sent: ... Front Line Defenders. Write to each to say
    that consent is withdrawn and ask them not to use or pass on the details". `followup`,
    the caseworker's morning list, says of the same action only "follow up: communication of
    <day>", no word of the withdrawal: it reads only the consent the body needs in the
    knowledge base (none for Front Line Defenders, the UN's for the Special Procedures), never
    the consent the action was logged under. The reminder that goes out asks for the public
    appeal to continue, against the person's withdrawal (shared without consent for that
    purpose). Failed on 09bf362."""
    path = made(tmp_path / "case.age", keys, BAHRAIN, 30)
    sent = case_run(path, keys, "action", body, "--type", "communication", "--date", day(-20),
                    "--next", "10", "--purpose", "publicity")  # fmt: skip
    assert sent.exit_code == 0, sent.output
    said = case_run(path, keys, "consent", "publicity", "no", *WHO)
    assert said.exit_code == 0, said.output
    (item,) = [i for i in due([path], keys) if i["to"] == body]
    assert "withdrawn" in item["what"], item["what"]
    # A follow-up logged later to the same body continues what went under that consent.
    again = case_run(path, keys, "action", body, "--type", "follow_up", "--date", day(-5),
                     "--next", "1")  # fmt: skip
    assert again.exit_code == 0, again.output
    (item,) = [i for i in due([path], keys) if i["to"] == body]
    assert "withdrawn" in item["what"], item["what"]


@pytest.mark.parametrize("fmt", ["md", "terminal", "csv"])
def test_followup_tells_apart_two_case_files_of_the_same_name(
    tmp_path: Path, keys: tuple[Path, str], fmt: str
) -> None:
    """Harm: a caseload kept one folder per case (`cases/2026-014/case.age`,
    `cases/2026-015/case.age`: SECURITY.md says not to name a file after the person). `followup
    cases/` lists each item under the file's name alone: two rows "case.age | action |
    amnesty_urgent_action", one saying "consent to making the case public refused: do not send
    the case's details" (Honduras), the other nothing (Bahrain). The table (md and terminal)
    has no other column that tells the cases apart, so the caseworker cannot know which case
    must not go to Amnesty's Urgent Action network (whose appeals make it public), and may send
    the wrong one (shared without consent for that purpose). The withdrawal warning of the
    same command names the file by its path. Failed on 09bf362."""
    cases = tmp_path / "cases"
    for folder, answers in (("2026-014", HONDURAS), ("2026-015", BAHRAIN)):
        path = made(cases / folder / "case.age", keys, answers, 30)
        sent = case_run(path, keys, "action", "amnesty_urgent_action", "--type",
                        "communication", "--date", day(-20), "--next", "10")  # fmt: skip
        assert sent.exit_code == 0, sent.output
    key, _public = keys
    # A terminal wide enough for each item on one line.
    listed = run("followup", cases, "--identity", key, "--format", fmt, env={"COLUMNS": "300"})
    assert listed.exit_code == 0, listed.output
    (line,) = [line for line in listed.stdout.splitlines() if "refused" in line]
    assert "2026-014" in line, listed.stdout
    assert "2026-015" not in line, listed.stdout


def test_import_never_takes_a_document_dated_after_today(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: an ESF document from another organisation's tool whose clock (or a typo: 2027 for
    2026) puts its `as_of` a year ahead, with its act and its communication to the Special
    Procedures dated eleven months ahead. `import` saves the case (exit 0, no word of the
    dates): red37 made it refuse a consent dated after today, but acts and interventions are
    checked only against the document's own day. `case incident --date` and `case action
    --date` refuse the same dates ("an action is recorded when it is done"). The case then
    shows an attack that has not happened, and the communication's follow-up (really due in
    a few days) stays out of `followup` for a year: nobody reminds the Special Procedures of
    a threatened defender (red teams red29, red30: a date a year ahead kept a case out of the
    caseload's list). Refusing the document (exit 1, naming its date) is the fix. Failed on
    09bf362."""
    _key, public = keys
    doc = esf_document(
        day(365),
        [{"purpose": "share_with_un", "value": "yes", "given_by": "person", "date": day(-30)}],
        interventions=[{"date": day(335), "intervening_with": "sp_communications",
                        "type": "communication", "status": "open", "next": day(345)}],
    )  # fmt: skip
    act = {"date": day(334), "type": "threats", "linked_to": "special_procedures"}
    doc["event"]["acts"] = [act]
    source = tmp_path / "esf.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    path = tmp_path / "imported.age"
    done = run("import", source, "-o", path, "--recipient", public)
    assert "Traceback" not in done.output
    assert done.exit_code == 1, done.output
    assert day(365) in done.output, done.output
    assert not path.exists()


def test_open_of_a_plan_whose_emergency_line_is_not_the_knowledge_bases_says_so(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: `open plan.age` shows a saved plan as the file holds it, contacts included. A
    plan file sent to a defender (encrypted to their public key: a hostile sender needs
    nothing else), or one saved months before a release changed a number, gives Front Line
    Defenders' 24-hour emergency line as "+7 495 000 0000" under step 1 "If you or someone
    close to you is in danger now: call a 24-hour emergency line" (exit 0), with the line
    "Knowledge base 2026.11.25 (sha256:...)" as for a plan made now from the built-in
    knowledge base, not "custom", and no word that the number is not the knowledge base's
    (a tampered or stale contact shown as the tool's own, on an emergency line). Saying that
    the contact differs from the knowledge base, and marking the plan as made with a knowledge
    base that is not the built-in one (as `--kb` does, at the top of every view), is the fix.
    Failed on 09bf362."""
    key, public = keys
    plan = plan_of("immediate_danger_hacked.yaml")
    emergency_line(plan)["value"] = "+7 495 000 0000"
    path = sealed_plan(tmp_path / "plan.age", public, plan)
    for fmt in ("md", "txt"):
        shown = run("open", path, "--identity", key, "-f", fmt)
        assert "Traceback" not in shown.output
        assert shown.exit_code == 0, shown.output
        assert "+7 495 000 0000" in shown.stdout
        flat = " ".join(shown.stdout.split())
        assert "knowledge base that is not the built-in one" in flat, flat[:600]
        warned = " ".join(shown.stderr.split())
        assert "front_line_defenders_phone_emergency" in warned, shown.stderr


@pytest.mark.slow
def test_followup_and_export_say_the_installed_knowledge_base_changed(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm (red39, left open by the round): `followup` and `export` read the knowledge base to
    decide which consent each body needs (the notes "refused: do not send the case's details",
    what leaves the case for an organisation's database), yet said nothing when the installed
    files had changed since release; every plan, draft and card says so. A seized laptop's
    edited `mechanisms.yaml` (a body's purpose turned from the UN consent to none) would lift
    the notes without a word. Both now warn on standard error, in the reader's language."""
    import shutil
    import subprocess
    import sys

    from release_support import env_for, install_wheel

    site = tmp_path / "site"
    shutil.copytree(install_wheel(tmp_path_factory.mktemp("wheel")), site)
    mechanisms = site / "reprisal_cli" / "data" / "mechanisms.yaml"
    mechanisms.write_text(mechanisms.read_text(encoding="utf-8") + "\n# edited\n", "utf-8")
    key, _public = keys
    case = made(tmp_path / "c.age", keys, HONDURAS, 30)
    for command in (["followup", str(case)], ["export", str(case), "--format", "esf-json"]):
        for lang, said in (("en", "changed since release"), ("fr", "modifiée depuis")):
            done = subprocess.run(
                [sys.executable, "-m", "reprisal_cli", *command, "-i", str(key), "--lang", lang],
                env=env_for(site), capture_output=True, check=False, cwd=tmp_path,
            )  # fmt: skip
            err = done.stderr.decode()
            assert done.returncode == 0, err
            assert said in " ".join(err.split()), (command, lang, err)
