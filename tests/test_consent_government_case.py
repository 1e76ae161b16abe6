"""A case file from before `share_with_government` was a purpose of its own: an action to the
State's own protection mechanism or to Mexico's National Search Commission was checked and
logged under `share_with_states` (or logged with no purpose). When the person later withdraws
their consent to the government's own bodies, the plan names what went to them before, to be
written to, and `followup` says the consent is withdrawn (a consent harm otherwise: the plan
said these "went out without the person's consent", and named nothing at the withdrawal).

Made as a caseworker made it: the real CLI, age encryption, and the action logged with the
earlier release's knowledge base (those bodies shared with `states`), given with `--kb`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from red_support import ROOT, WHO, case_run, day, ids, module_keys, run, warnings_of


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


@pytest.fixture(scope="module")
def earlier_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The knowledge base as an earlier release had it: the government's own bodies shared with
    `states`, whose consent `case action` then checked and logged for them (and no step yet
    marked as the relatives' own request to such a body)."""
    folder = tmp_path_factory.mktemp("earlier") / "kb"
    shutil.copytree(
        ROOT / "data", folder, ignore=shutil.ignore_patterns("kb.snapshot", "MANIFEST.json")
    )
    for name, old, new in (
        ("protection.yaml", "shares_with: government", "shares_with: states"),
        ("rules.yaml", "shares: [government]", "shares: [states]"),
        ("rules.yaml", "protects_relatives: true", "protects_relatives: false"),
    ):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def _case(tmp_path: Path, keys: tuple[Path, str], states: str | None = None) -> Path:
    """A case made 30 days ago in Mexico: the UN consent yes (diplomats and other States follow
    it, or `states`), publicity no, nothing yet for the government's own bodies."""
    _key, public = keys
    answers = tmp_path / "answers.yaml"
    own = f"  share_with_states: '{states}'\n" if states else ""
    answers.write_text(
        "schema: reprisal-cli/answers/v1.1\nrespondent: self\nstate: MX\n"
        "engagement: [special_procedures]\nstage: reprisal_suffered\nreprisals: [threats]\n"
        f"consent:\n  share_with_un: 'yes'\n  publicity: 'no'\n{own}"
        f"  given_by: person\n  date: '{day(-30)}'\n",
        encoding="utf-8",
    )
    path = tmp_path / "case.age"
    made = run("case", "new", path, "--recipient", public, "--answers", answers,
               "--as-of", day(-30))  # fmt: skip
    assert made.exit_code == 0, made.output
    return path


def _asked_then_withdrawn(path: Path, keys: tuple[Path, str]) -> None:
    """The person, asked since for the government's own bodies, says yes, then withdraws it."""
    given = case_run(path, keys, "consent", "share_with_government", "yes", "--date", day(-10),
                     *WHO)  # fmt: skip
    assert given.exit_code == 0, given.output
    withdrawn = case_run(path, keys, "consent", "share_with_government", "--revoke")
    assert withdrawn.exit_code == 0, withdrawn.output


def _followup(path: Path, keys: tuple[Path, str], to: str) -> str:
    key, _public = keys
    due = run("followup", path, "--identity", key, "--format", "json")
    assert due.exit_code == 0, due.output
    items: list[dict[str, Any]] = json.loads(due.stdout)["items"]
    (item,) = [i for i in items if i["to"] == to]
    return str(item["what"])


@pytest.mark.parametrize("to", ["national_protection_mx", "national_search_mx"])
@pytest.mark.parametrize("purpose", [["--purpose", "share_with_states"], []])
def test_a_withdrawal_names_what_went_to_the_government_s_bodies_in_an_older_case(
    tmp_path: Path, keys: tuple[Path, str], earlier_kb: Path, to: str, purpose: list[str]
) -> None:
    path = _case(tmp_path, keys)
    sent = case_run(path, keys, "action", to, "--type", "request_for_protection", "--date",
                    day(-20), "--next", "15", "--kb", str(earlier_kb), *purpose)  # fmt: skip
    assert sent.exit_code == 0, sent.output
    _asked_then_withdrawn(path, keys)
    warnings = {w["id"]: w["text"] for w in warnings_of(path, keys)}
    assert "sent_without_consent" not in warnings, warnings
    said = warnings.get("consent_revoked_outputs", "")
    assert day(-20) in said and "government's own bodies" in said, warnings
    what = _followup(path, keys, to)
    assert "withdrawn" in what and "government's own bodies" in what, what


def test_what_went_without_the_consent_asked_then_is_not_called_withdrawn(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """The same action, logged with no purpose, when the person had said no to diplomats and
    other States, the consent asked then for these bodies: it went without consent, and the
    plan says so rather than calling it a withdrawal."""
    path = _case(tmp_path, keys, states="no")
    sent = case_run(path, keys, "action", "national_protection_mx", "--type",
                    "request_for_protection", "--date", day(-20), "--next", "15")  # fmt: skip
    assert sent.exit_code == 0, sent.output
    _asked_then_withdrawn(path, keys)
    found = warnings_of(path, keys)
    assert "sent_without_consent" in ids(found), found
    assert "consent_revoked_outputs" not in ids(found), found
