"""Provenance that cannot overstate (issue 23): the migration kept every contact, the audit's
findings hold in the data, impossible dates are refused with file, line and field, and
`kb audit` tells a keeper what to re-confirm first."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb_support import copy_builtin_kb
from reprisal_cli.answers import load_answers
from reprisal_cli.cli import app
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.freshness import release_gate
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import builtin_dir, load_kb

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).parent
ENGINE_KB = TESTS / "data" / "engine_kb"
AS_OF = "2026-12-02"
AS_DATE = dt.date(2026, 12, 2)
EXAMPLE = ROOT / "examples" / "immediate_danger_hacked.yaml"
runner = CliRunner()

# Contacts whose value the audit of 2 Dec 2026 found wrong as written, with the value now shipped.
CHANGED_VALUES = {
    # Colombia's dialling change of 1 Sep 2021: the same Bogotá line in the current format.
    "urgent_action_fund_phone_latin_america": "+57 601 368 6155",
    # The old assistance-fund page was replaced by the crisis-fund page (shown as closed).
    "rory_peck_trust_web": "https://rorypecktrust.org/how-we-help/crisis-fund/",
}


def test_the_migration_keeps_every_contact(kb: KnowledgeBase) -> None:
    before = json.loads((TESTS / "data" / "contacts_025848c.json").read_text(encoding="utf-8"))
    assert len(before) == 60
    for contact_id, old in before.items():
        assert contact_id in kb.contacts, contact_id
        contact = kb.contacts[contact_id]
        assert kb.contact_owner[contact_id].id == old["owner"]
        assert contact.channel == old["channel"]
        assert contact.value == CHANGED_VALUES.get(contact_id, old["value"]), contact_id
    assert set(CHANGED_VALUES) <= set(before)


def test_no_built_in_contact_claims_a_confirmation_after_its_source(kb: KnowledgeBase) -> None:
    """Nothing was checked live: a confirmation is at most what a dated official page shows."""
    from reprisal_cli.kb.provenance import parse_source_date

    for contact in kb.contacts.values():
        confirmation = contact.last_confirmed
        if confirmation.how == "not_confirmed":
            continue
        assert confirmation.how == "official_page", contact.id
        source = parse_source_date(contact.source_date)
        assert source is not None and confirmation.date == source.earliest, contact.id


def test_the_audit_findings_hold(kb: KnowledgeBase) -> None:
    assert kb.organisations["lifeline_fund"].paused
    assert kb.organisations["rory_peck_trust"].paused
    for overstated in (
        "iachr_precautionary_measures_fax",
        "ecthr_rule39_fax",
        "rsf_assistance_desk_phone_individual",
        "rsf_assistance_desk_phone_organisations",
        "shelter_city_web",
        "rory_peck_trust_web",
    ):
        assert kb.contacts[overstated].status == "check_current", overstated
    assert kb.contacts["rory_peck_trust_phone"].fallback != "rory_peck_trust_web"
    for old in ("sp_communications_fax", "sp_communications_post", "sp_communications_email"):
        assert kb.contacts[old].source_date == 2011
    for added in (
        "wgad_email",
        "wgeid_form_web",
        "wgeid_procedures_web",
        "tb_ced_urgent_actions_web",
        "ecthr_rule39_fax_2",
        "urgent_action_fund_web_africa",
        "urgent_action_fund_web_asia_pacific",
        "urgent_action_fund_web_latin_america",
        "observatory_fidh_omct_web_observatory",
        "civicus_crisis_response_fund_web",
        "achpr_reprisals_fact_sheet_web",
        "digital_first_aid_kit_support_web",
    ):
        assert kb.contacts[added].source, added


def test_paused_programmes_are_never_offered_in_danger(kb: KnowledgeBase) -> None:
    paused = {o.id for o in kb.organisations.values() if o.paused}
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        plan = evaluate(load_answers(example), kb, as_of=AS_DATE)
        for step in plan.steps:
            owners = {kb.contact_owner[c.id].id for c in step.contacts}
            assert not owners & paused, (example.name, step.id)


def _copy_builtin(tmp_path: Path) -> Path:
    return copy_builtin_kb(tmp_path / "kb")


def test_a_named_paused_organisation_carries_its_warning(tmp_path: Path) -> None:
    target = _copy_builtin(tmp_path)
    rules = (target / "rules.yaml").read_text(encoding="utf-8")
    rules = rules.replace(
        "contacts: [sp_communications, sr_hrd]\n          urgent_mechanisms: true",
        "contacts: [sp_communications, sr_hrd, lifeline_fund]\n          urgent_mechanisms: true",
    )
    (target / "rules.yaml").write_text(rules, encoding="utf-8")
    safety = (target / "safety.yaml").read_text(encoding="utf-8")
    safety = safety.replace(
        "emergency_contacts: [front_line_defenders, protectdefenders_eu]",
        "emergency_contacts: [front_line_defenders, protectdefenders_eu, lifeline_fund]",
    )
    (target / "safety.yaml").write_text(safety, encoding="utf-8")
    kb = load_kb(target)
    plan = evaluate(load_answers(ROOT / "examples" / "china_2017.yaml"), kb, as_of=AS_DATE)
    shown = {c.id for s in plan.steps for c in s.contacts}
    assert "lifeline_fund_web" in shown
    # Named among the emergency contacts too, it is still left out of the emergency step.
    emergency = next(s for s in plan.steps if s.kind == "emergency")
    assert not any(c.id.startswith("lifeline_fund") for c in emergency.contacts)
    warnings = {w.id: w.text for w in plan.warnings}
    assert (
        warnings["availability_lifeline_fund"]
        == kb.organisations["lifeline_fund"].availability_warning
    )


def test_release_gate_warns_and_plans_say_so(kb: KnowledgeBase) -> None:
    gated = {c for c in kb.contacts if release_gate(kb.contacts[c], kb)}
    assert "front_line_defenders_phone_emergency" in gated
    assert "ohchr_reprisals_senior_official_email" in gated
    assert "front_line_defenders_web" not in gated  # not an emergency line or UN mailbox
    result = runner.invoke(app, ["kb", "validate", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert "emergency lines and UN mailboxes not confirmed" in result.output
    assert "front_line_defenders_phone_emergency" in result.output
    result = runner.invoke(
        app,
        ["plan", str(EXAMPLE), "--format", "json", "--as-of", AS_OF],
    )
    plan = json.loads(result.stdout)
    emergency = plan["steps"][0]["contacts"]
    line = next(c for c in emergency if c["id"] == "front_line_defenders_phone_emergency")
    assert line["unconfirmed_at_release"] is True
    assert line["status"] == "check_current"
    assert line["last_confirmed"] == {"how": "not_confirmed", "date": None}
    short = runner.invoke(
        app,
        ["plan", str(EXAMPLE), "--format", "txt", "--as-of", AS_OF],
    ).stdout
    assert "not confirmed since 2019 — check before use" in " ".join(short.split())
    text = runner.invoke(
        app,
        ["plan", str(EXAMPLE), "--format", "txt", "--as-of", AS_OF, "--full"],
    ).stdout
    assert "Not confirmed in the year before this knowledge base was released" in text
    assert "Seen in a source dated 2019-02-25, not confirmed since" in " ".join(text.split())


# ------------------------------------------------------------------ L12: impossible dates


def _engine_copy(tmp_path: Path, old: str, new: str, file: str = "organisations.yaml") -> Path:
    target = tmp_path / "kb"
    shutil.copytree(ENGINE_KB, target)
    text = (target / file).read_text(encoding="utf-8")
    assert old in text
    (target / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("source_date: 2026-10-01", "source_date: 0001-01-01", "source_date", "year 1"),
        ("source_date: 2026-10-01", "source_date: 0000-01-01", "source_date", "not"),
        ("source_date: 2026-10-01", "source_date: 2026-02-30", "source_date", "2026-02-30"),
        ("source_date: 2026-10-01", "source_date: soon", "source_date", "'soon'"),
        ("source_date: 2026-10-01", "source_date: 2026-13", "source_date", "month 13"),
        (
            "last_confirmed: {how: not_confirmed}",
            "last_confirmed: {how: official_page, date: 0001-01-01}",
            "last_confirmed",
            "year 1",
        ),
        (
            "last_confirmed: {how: not_confirmed}",
            "last_confirmed: {how: official_page}",
            "last_confirmed",
            "needs the 'date'",
        ),
        (
            "last_confirmed: {how: not_confirmed}",
            "last_confirmed: {how: not_confirmed, date: 2026-01-01}",
            "last_confirmed",
            "takes no 'date'",
        ),
        (
            "last_confirmed: {how: not_confirmed}",
            "last_confirmed: {how: phoned}",
            "last_confirmed.how",
            "not one of official_page, organisation_told_us, not_confirmed",
        ),
    ],
)
def test_impossible_dates_are_refused_with_file_line_and_field(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    target = _engine_copy(tmp_path, old, new)
    result = runner.invoke(app, ["kb", "validate", str(target)])
    assert result.exit_code == 3, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "organisations.yaml:" in result.output
    assert field in result.output
    assert message in result.output


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("source_date: 2026-10-01", "source_date: 2027-01", "source_date"),
        (
            "last_confirmed: {how: not_confirmed}",
            "last_confirmed: {how: organisation_told_us, date: 2026-11-02}",
            "last_confirmed.date",
        ),
    ],
)
def test_dates_after_the_knowledge_base_version_are_refused(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    target = _engine_copy(tmp_path, old, new)
    meta = (target / "kb.yaml").read_text(encoding="utf-8")
    (target / "kb.yaml").write_text(meta.replace('"test.1"', '"2026.11.01"'), encoding="utf-8")
    result = runner.invoke(app, ["kb", "validate", str(target)])
    assert result.exit_code == 3, result.output
    assert "organisations.yaml:" in result.output
    assert field in result.output
    assert "after the knowledge base's version date 2026-11-01" in result.output


# ------------------------------------------------------------------ kb audit


def _audit_kb(tmp_path: Path) -> Path:
    """The engine test knowledge base, dated, with one contact of each kind of confirmation."""
    target = tmp_path / "kb"
    shutil.copytree(ENGINE_KB, target)
    meta = (target / "kb.yaml").read_text(encoding="utf-8")
    (target / "kb.yaml").write_text(meta.replace('"test.1"', '"2026.11.25"'), encoding="utf-8")
    mechs = (target / "mechanisms.yaml").read_text(encoding="utf-8")
    start = mechs.index("      - id: mech_sp_web")
    mechs = mechs[:start] + mechs[start:].replace(
        "last_confirmed: {how: not_confirmed}",
        "last_confirmed: {how: official_page, date: 2026-06-01}",
        1,
    )
    start = mechs.index("      - id: mech_official_email")
    mechs = mechs[:start] + mechs[start:].replace(
        "last_confirmed: {how: not_confirmed}",
        "last_confirmed: {how: organisation_told_us, date: 2025-06-01, note: by phone}",
        1,
    )
    (target / "mechanisms.yaml").write_text(mechs, encoding="utf-8")
    orgs = (target / "organisations.yaml").read_text(encoding="utf-8")
    orgs = orgs.replace(
        '        value: "+1 555 0100"\n',
        '        value: "+1 555 0100"\n        hours: "24/7"\n',
    )
    (target / "organisations.yaml").write_text(orgs, encoding="utf-8")
    return target


def _audit(target: Path, fmt: str, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["kb", "audit", str(target), "--format", fmt, "--as-of", AS_OF, *extra]
    )
    return result.exit_code, result.stdout


def test_kb_audit_json(tmp_path: Path) -> None:
    code, out = _audit(_audit_kb(tmp_path), "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "reprisal-cli/kb-audit/v1"
    assert data["as_of"] == AS_OF
    contacts = data["counts"]["contacts"]
    assert contacts["official_page"] == 2  # the 2020 page of the test base, and June 2026
    assert contacts["organisation_told_us"] == 1
    assert contacts["not_confirmed"] == contacts["total"] - 3
    assert contacts["stale"] == contacts["total"] - 1  # only the June 2026 page is recent
    first = data["reconfirm_first"]
    # The 24-hour line first, then the UN mailboxes, the oldest confirmation first.
    assert first[:3] == ["org_everyone_phone", "mech_sp_email", "mech_official_email"]
    assert "mech_sp_web" not in first
    records = {r["id"]: r for r in data["records"]}
    assert records["org_everyone_phone"]["release_gate"] is True
    assert records["mech_official_email"]["age_months"] == 18
    assert records["mech_sp_email"]["age_months"] == 83  # confirmed on its page in January 2020
    assert data["counts"]["facts"]["total"] == sum(r["record"] == "fact" for r in data["records"])


def test_kb_audit_csv(tmp_path: Path) -> None:
    code, out = _audit(_audit_kb(tmp_path), "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    by_id = {r["id"]: r for r in rows}
    assert by_id["org_everyone_phone"]["priority"] == "1"
    assert by_id["org_everyone_phone"]["kind"] == "emergency_line"
    assert by_id["org_everyone_phone"]["value"] == "+1 555 0100"  # a phone is not a formula
    assert by_id["mech_sp_web"]["stale"] == "no"
    assert by_id["mech_sp_web"]["confirmed_how"] == "official_page"
    assert by_id["mech_official_email"]["confirmed_on"] == "2025-06-01"


def test_kb_audit_markdown(tmp_path: Path) -> None:
    code, out = _audit(_audit_kb(tmp_path), "md")
    assert code == 0
    assert out.startswith("# Knowledge base audit: 2026.11.25")
    assert "| contacts | 2 | 1 |" in out
    _, _, rest = out.partition("## Re-confirm first")
    first_line = rest.splitlines()[2]
    assert first_line.startswith("1. `org_everyone_phone` (emergency line) **release gate**")
    assert "confirmed by the organisation on 2025-06-01" in out
    assert "confirmed on the official page on 2026-06-01" in out


def test_kb_audit_fail_on_stale(tmp_path: Path) -> None:
    target = _audit_kb(tmp_path)
    code, out = _audit(target, "md", "--fail-on-stale")
    assert code == 3
    assert "Re-confirm first" in out
    result = runner.invoke(app, ["kb", "audit", str(target), "--as-of", AS_OF])
    assert result.exit_code == 0


def test_kb_audit_of_the_built_in_kb_reads_true(kb: KnowledgeBase) -> None:
    code, out = _audit(builtin_dir(), "json")
    assert code == 0
    data = json.loads(out)
    records = {r["id"]: r for r in data["records"] if r["record"] == "contact"}
    assert set(records) == set(kb.contacts)
    for contact_id, row in records.items():
        assert row["confirmed_how"] == kb.contacts[contact_id].last_confirmed.how
    assert data["reconfirm_first"][0] in {
        c for c in kb.contacts if records[c]["kind"] == "emergency_line"
    }


def test_an_organisation_records_its_own_confirmation_with_kb_add(tmp_path: Path) -> None:
    """The README's way for an NGO to record a contact it confirmed, without forking."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("       contacts:\n         - owner: front_line_defenders")
    block = readme[start : readme.index("\n\n", start)]
    overlay = tmp_path / "ours"
    overlay.mkdir()
    lines = [line[7:] for line in block.splitlines()]
    (overlay / "contacts.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = _audit(builtin_dir(), "json", "--kb-add", str(overlay))
    assert code == 0, out
    ours = next(r for r in json.loads(out)["records"] if r["id"] == "our_fld_emergency_line")
    assert (ours["kind"], ours["confirmed_how"], ours["stale"]) == (
        "emergency_line",
        "organisation_told_us",
        False,
    )
    early = runner.invoke(
        app, ["kb", "validate", "--kb-add", str(overlay), "--as-of", "2026-11-30"]
    )
    assert early.exit_code == 0, early.output
    assert "our_fld_emergency_line (Front Line Defenders) has a date after 2026-11-30" in (
        early.output
    )


@pytest.mark.parametrize("purpose", ["sg_report", "publicity"])
def test_a_consent_purpose_the_knowledge_base_leaves_unnamed_keeps_its_words(
    tmp_path: Path, purpose: str
) -> None:
    # A plan names a withdrawn or refused purpose in words, never by its key.
    from reprisal_cli.contract import CONSENT_PURPOSES
    from reprisal_cli.kb.rules import PURPOSE_LABELS

    assert sorted(PURPOSE_LABELS) == sorted(CONSENT_PURPOSES)
    target = _copy_builtin(tmp_path)
    safety = (target / "safety.yaml").read_text(encoding="utf-8")
    lines = [line for line in safety.splitlines() if not line.startswith(f"    {purpose}: ")]
    assert len(lines) == len(safety.splitlines()) - 1
    (target / "safety.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    labels = load_kb(target).safety.purpose_labels
    assert labels[purpose] == PURPOSE_LABELS[purpose]
    assert sorted(labels) == sorted(CONSENT_PURPOSES)


def test_words_for_a_purpose_the_contract_lacks_are_a_knowledge_base_error(
    tmp_path: Path,
) -> None:
    target = _copy_builtin(tmp_path)
    safety = (target / "safety.yaml").read_text(encoding="utf-8")
    safety = safety.replace("    sg_report: ", "    sg_reports: ", 1)
    (target / "safety.yaml").write_text(safety, encoding="utf-8")
    result = CliRunner().invoke(app, ["kb", "validate", str(target)])
    assert result.exit_code == 3, result.output
    assert "safety.yaml:" in result.output
    assert "unknown purpose 'sg_reports'" in result.output
    allowed = (
        "publicity, share_with_un, share_with_regional, share_with_states, "
        "share_with_government, sg_report"
    )
    assert allowed in result.output
