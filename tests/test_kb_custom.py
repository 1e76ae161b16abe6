"""`--kb DIR` (an organisation's own knowledge base) and `--kb-add DIR` (local organisations and
contacts over the built-in one): validated like the built-in one, and labelled custom."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb_support import copy_builtin_kb
from reprisal_cli.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "honduras_2017.yaml"

LOCAL_ORG = """\
organisations:
  - id: local_lawyers_network
    name: Local lawyers' network
    summary: Volunteer lawyers who take cases of defenders in the capital.
    services: [legal_advice, appeals_to_authorities]
    serves:
      regions: [americas]
    contacts:
      - id: local_lawyers_network_phone
        channel: phone
        value: "+504 0000 0000"
        status: confirmed
        source: Our own directory
        source_date: 2026-11-20
        last_confirmed: {how: organisation_told_us, date: 2026-11-20, note: by phone}
    sources: [Our own directory]
"""

LOCAL_CONTACT = """\
contacts:
  - owner: iachr_precautionary_measures
    contact:
      id: iachr_local_liaison_email
      channel: email
      value: liaison@example.org
      status: confirmed
      source: Meeting with the liaison, 2026-11-01
      source_date: 2026-11-01
      last_confirmed: {how: organisation_told_us, date: 2026-11-01}
"""


def plan(*extra: str) -> dict[str, object]:
    result = runner.invoke(
        app, ["plan", str(EXAMPLE), "--format", "json", "--as-of", "2026-11-25", *extra]
    )
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_builtin_is_not_custom() -> None:
    data = plan()
    assert data["kb"] == {**data["kb"], "custom": False}  # type: ignore[dict-item]


def test_own_knowledge_base_is_labelled_custom(tmp_path: Path) -> None:
    own = copy_builtin_kb(tmp_path / "own")
    data = plan("--kb", str(own))
    assert data["kb"]["custom"] is True  # type: ignore[index]
    assert any(w["id"] == "custom_kb" for w in data["warnings"])  # type: ignore[attr-defined]


def test_overlay_adds_local_organisations_and_contacts(tmp_path: Path) -> None:
    (tmp_path / "organisations.yaml").write_text(LOCAL_ORG, encoding="utf-8")
    (tmp_path / "contacts.yaml").write_text(LOCAL_CONTACT, encoding="utf-8")
    listed = runner.invoke(app, ["kb", "list", "organisations", "--kb-add", str(tmp_path)])
    assert listed.exit_code == 0 and "local_lawyers_network" in listed.output
    shown = runner.invoke(
        app, ["kb", "show", "iachr_local_liaison_email", "--kb-add", str(tmp_path)]
    )
    assert shown.exit_code == 0 and "liaison@example.org" in shown.output
    data = plan("--kb-add", str(tmp_path))
    assert data["kb"]["custom"] is True  # type: ignore[index]
    values = {c["value"] for s in data["steps"] for c in s["contacts"]}  # type: ignore[attr-defined]
    assert "liaison@example.org" in values


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "organisations.yaml",
            LOCAL_ORG.replace("channel: phone", "channel: telex"),
            "'telex' is not one of",
        ),
        (
            "contacts.yaml",
            LOCAL_CONTACT.replace("iachr_precautionary_measures", "nobody"),
            "unknown mechanism or organisation 'nobody'",
        ),
    ],
)
def test_bad_overlay_exits_3_with_the_place(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["kb", "validate", "--kb-add", str(tmp_path)])
    assert result.exit_code == 3
    assert expected in result.output and name in result.output
    assert "Traceback" not in result.output


OVERLAY_UN_ADDRESSES = """\
contacts:
  - owner: achpr_sr_hrd_reprisals
    contact:
      id: achpr_local_un
      channel: email
      value: "reprisals [at] ohchr [dot] org"
      status: confirmed
      source: Our own directory
      source_date: 2026-11-01
      last_confirmed: {how: organisation_told_us, date: 2026-11-01}
  - owner: ishr
    contact:
      id: ishr_local_un
      channel: email
      value: "reprisals@ohchr.org"
      status: confirmed
      source: Our own directory
      source_date: 2026-11-01
      last_confirmed: {how: organisation_told_us, date: 2026-11-01}
"""


@pytest.mark.parametrize("un", ["no", "undecided", "yes"])
def test_an_overlay_never_puts_a_un_address_in_a_step_that_is_not_the_uns(
    tmp_path: Path, un: str
) -> None:
    """Red team red25: after a no (or no yes) to the UN, an overlay's contact for ISHR (an
    organisation) put the OHCHR mailbox in the organisations' step, and one hidden from robots
    for the African Commission in its step: the person would have written to the UN."""
    (tmp_path / "contacts.yaml").write_text(OVERLAY_UN_ADDRESSES, encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "schema: reprisal-cli/answers/v1.1\nrespondent: self\nreprisals: [threats]\nstate: CM\n"
        "region: africa\nengagement: [african_commission, special_procedures]\n"
        f'consent:\n  share_with_un: "{un}"\n  share_with_regional: "yes"\n'
        '  share_with_states: "yes"\n  publicity: "yes"\n',
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        ["plan", str(answers), "--format", "json", "--as-of", "2026-12-03",
         "--kb-add", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    steps = json.loads(result.stdout)["steps"]
    not_un = [c["id"] for s in steps if not s["shares_with_un"] for c in s["contacts"]]
    assert ("ishr_local_un" in not_un) is (un == "yes")
    assert ("achpr_local_un" in not_un) is (un == "yes")
    assert "au-banjul@africa-union.org" in result.stdout
    assert any("ishr.ch" in v for s in steps for v in (c["value"] for c in s["contacts"]))


def test_a_key_removed_from_safety_is_refused_and_the_readme_says_so(tmp_path: Path) -> None:
    """Issue 21 (fix59): `safety.embassy_visibility_again` was removed (the embassy caution is
    said once, as a plan warning naming its steps); a custom knowledge base that still sets it
    is refused with the place and the key, and the README says so for those who keep one."""
    own = copy_builtin_kb(tmp_path / "own")
    safety = own / "safety.yaml"
    text = safety.read_text(encoding="utf-8")
    old = "  emergency_contacts:"
    assert text.count(old) == 1
    safety.write_text(
        text.replace(old, '  embassy_visibility_again: "Here too."\n' + old), encoding="utf-8"
    )
    result = runner.invoke(app, ["kb", "validate", str(own)])
    assert result.exit_code == 3, result.output
    assert "safety.yaml" in result.output
    assert "unknown key 'embassy_visibility_again'" in result.output
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    custom = readme[readme.index("Every command that reads the knowledge base takes `--kb DIR`") :]
    custom = custom[: custom.index("\n## ")]
    assert "`safety.embassy_visibility_again`" in custom
