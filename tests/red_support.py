"""What the red teams' tests (tests/test_red29.py on) share: case files made with the real CLI
from the examples, each command run in process, and the plan's warnings read back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from reprisal_cli.cli import app
from test_safety_support import age_keypair

ROOT = Path(__file__).resolve().parents[1]
HONDURAS = ROOT / "examples" / "honduras_2017.yaml"  # UN and regional yes; high risk
BAHRAIN = ROOT / "examples" / "bahrain_2012.yaml"  # publicity and share_with_un: yes

# Caseworker review 5 (c): an Azerbaijani lawyer at home, charged and disbarred, not in
# danger (red teams 48 and 49).
LAWYER_CHARGED = """\
schema: reprisal-cli/answers/v1.1
respondent: self
profile: [lawyer]
state: AZ
engagement: [treaty_bodies, european_court]
treaty_body: [cat]
stage: reprisal_suffered
reprisals: [criminal_charges, professional_sanction, travel_ban, surveillance]
location: home_country
consent: {share_with_un: "yes", share_with_regional: "yes", share_with_states: "yes",
          publicity: "yes", given_by: person}
"""
WHO = ["--given-by", "person", "--how", "oral", "--explained-in", "en"]
TODAY = dt.date.today()
runner = CliRunner()


def day(offset: int) -> str:
    """Today plus `offset` days, as a command takes it."""
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def run(*args: str | Path, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, [str(a) for a in args], env=env)


def plan_of_answers(tmp_path: Path, answers: dict[str, Any], *extra: str) -> dict[str, Any]:
    """The JSON plan of `answers` (written to an answers file)."""
    path = tmp_path / "answers.yaml"
    doc = {"schema": "reprisal-cli/answers/v1.1", **answers}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    made = run("plan", path, "-f", "json", *extra)
    assert made.exit_code == 0, made.output
    return dict(json.loads(made.stdout))


def module_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An age key file and its public key, for a module's case files (its `keys` fixture)."""
    return age_keypair(tmp_path_factory.mktemp("keys"))


def new_case(tmp_path: Path, keys: tuple[Path, str], answers: Path, since: int) -> Path:
    """A case made `since` days before today from an answers file (its consents dated then)."""
    _key, public = keys
    path = tmp_path / "case.age"
    made = run("case", "new", path, "--recipient", public, "--as-of", day(-since), "--answers",
               answers)  # fmt: skip
    assert made.exit_code == 0, made.output
    return path


def case_run(path: Path, keys: tuple[Path, str], *args: str) -> Any:
    """`reprisal-cli case ARGS[0] PATH ARGS[1:]` with the module's keys."""
    key, public = keys
    return run("case", args[0], path, *args[1:], "--identity", key, "--recipient", public)


def warnings_of(path: Path, keys: tuple[Path, str], *extra: str) -> list[dict[str, str]]:
    """The warnings of the case's plan (`plan -f json`, with `extra` options)."""
    key, _public = keys
    plan = run("plan", path, "--identity", key, "-f", "json", *extra)
    assert plan.exit_code == 0, plan.output
    return list(json.loads(plan.stdout)["warnings"])


def ids(warnings: list[dict[str, str]]) -> list[str]:
    return [w["id"] for w in warnings]


def texts(warnings: list[dict[str, str]]) -> str:
    return " ".join(w["text"] for w in warnings)


def esf_document(
    as_of: str,
    consent: list[dict[str, Any]],
    *,
    interventions: list[dict[str, Any]] | None = None,
    victim: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An ESF document as another organisation's tool writes one: an event with no title or
    notes, a victim in the Americas who worked with the Special Procedures and was threatened
    (`victim` replaces those answers), no acts, `interventions`, and the `consent` ledger."""
    return {
        "schema": "reprisal-cli/esf/v1",
        "as_of": as_of,
        "event": {
            "title": None,
            "notes": None,
            "victim": victim
            or {
                "schema": "reprisal-cli/answers/v1.1",
                "region": "americas",
                "engagement": ["special_procedures"],
                "stage": "reprisal_suffered",
                "reprisals": ["threats"],
            },
            "acts": [],
            "interventions": interventions or [],
        },
        "consent": consent,
        "left_out": [],
    }


def imported_case(tmp_path: Path, keys: tuple[Path, str], to: str, reprisal: str) -> Path:
    """A case imported from another organisation's ESF JSON: publicity no and the UN consent yes
    30 days ago, one communication to `to` 20 days ago."""
    _key, public = keys
    doc = esf_document(
        day(-5),
        [
            {"purpose": "publicity", "value": "no", "given_by": "person", "date": day(-30)},
            {"purpose": "share_with_un", "value": "yes", "given_by": "person", "date": day(-30)},
        ],
        interventions=[
            {"date": day(-20), "intervening_with": to, "type": "communication", "status": "open"}
        ],
        victim={
            "schema": "reprisal-cli/answers/v1.1",
            "region": "americas",
            "engagement": ["special_procedures"],
            "stage": "reprisal_suffered",
            "reprisals": [reprisal],
        },
    )
    source = tmp_path / "esf.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    path = tmp_path / "imported.age"
    made = run("import", source, "-o", path, "--recipient", public)
    assert made.exit_code == 0, made.output
    return path


def plan_of(example: str, *args: str) -> dict[str, Any]:
    """The plan `plan examples/EXAMPLE -f json ARGS` makes, as data."""
    made = run("plan", ROOT / "examples" / example, "-f", "json", *args)
    assert made.exit_code == 0, made.output
    data: dict[str, Any] = json.loads(made.stdout)
    return data


def sealed_plan(path: Path, public: str, plan: dict[str, Any]) -> Path:
    """`plan` encrypted to the age key `public` at `path`: a plan file as someone sends it."""
    import pyrage

    recipient = pyrage.x25519.Recipient.from_str(public)
    path.write_bytes(pyrage.encrypt(json.dumps(plan).encode(), [recipient]))
    return path


def emergency_line(plan: dict[str, Any]) -> dict[str, Any]:
    """The 24-hour phone line of a plan's first step (Front Line Defenders'), to tamper with."""
    (line,) = [c for c in plan["steps"][0]["contacts"] if c["channel"] == "phone"]
    assert line["id"] == "front_line_defenders_phone_emergency"
    return line
