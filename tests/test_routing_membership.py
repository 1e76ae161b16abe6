"""Routing by membership (issue 21, points 3 and 4), over every State in data/states.yaml: a
treaty body's urgent and complaint procedures, and the regional bodies, only where the State
responsible accepted them; the working groups for any State; and, through the CLI, the cases
the domain review read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from reprisal_cli.answers import Answers, answers_from_data
from reprisal_cli.cli import app
from reprisal_cli.contract import ANSWERS_SCHEMA
from reprisal_cli.engine.conditions import complaint_status, holds, matched
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.conditions import Condition
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.states import COMPLAINT_PROCEDURE
from reprisal_cli.records import validate

AS_OF = dt.date(2026, 12, 2)

# Step id -> the membership it needs: a source in data/states.yaml saying the State is one.
REGIONAL_STEPS = {
    "notify_european_bodies": "coe_member",
    "request_ecthr_rule39": "echr",
    "notify_achpr_focal_point": "african_charter",
    "request_iachr_precautionary_measures": "oas_member",
}
# Mechanism id -> the membership its contacts need.
REGIONAL_BODIES = {
    "coe_commissioner_hr": "coe_member",
    "ecthr_rule39": "echr",
    "achpr_sr_hrd_reprisals": "african_charter",
    "iachr_precautionary_measures": "oas_member",
    "tb_ced": "ced",
}


def _answers(**data: Any) -> Answers:
    return answers_from_data({"schema": ANSWERS_SCHEMA, **data}, "test")


def _bodies(plan: Plan, kb: KnowledgeBase) -> set[str]:
    return {kb.contact_owner[c.id].id for s in plan.steps for c in s.contacts}


def _detained(code: str) -> Answers:
    return _answers(
        respondent="colleague",
        state=code,
        location="in_detention",
        engagement=["special_procedures", "european_court"],
        stage="reprisal_suffered",
        reprisals=["detention", "enforced_disappearance", "threats"],
        consent_share_with_un="yes",
    )


def test_every_state_gets_the_working_groups_and_only_the_bodies_it_accepted(
    kb: KnowledgeBase,
) -> None:
    """For every State: a person detained and missing there is sent to the WGAD and the WGEID;
    the CED and each regional body only where a source says the State is party or member; the
    Petitions Team never without a pending individual complaint; a step never says "Only if"
    of a membership the knowledge base knows."""
    wrong: list[str] = []
    for code, state in sorted(kb.states.items()):
        plan = evaluate(_detained(code), kb, as_of=AS_OF)
        steps = {s.id for s in plan.steps}
        bodies = _bodies(plan, kb)
        if not {"wgad", "wgeid"} <= bodies:
            wrong.append(f"{code}: no WGAD/WGEID")
        if "treaty_bodies_reprisals" in bodies:
            wrong.append(f"{code}: Petitions Team without a complaint")
        for step, fact in REGIONAL_STEPS.items():
            if step in steps and state.fact(fact) is False:  # type: ignore[arg-type]
                wrong.append(f"{code}: {step} but not {fact}")
        for body, fact in REGIONAL_BODIES.items():
            if body in bodies and state.fact(fact) is False:  # type: ignore[arg-type]
                wrong.append(f"{code}: {body} but not {fact}")
        for mech_id in REGIONAL_BODIES:
            note = kb.mechanisms[mech_id].party_note
            fact = kb.mechanisms[mech_id].party
            assert note is not None and fact is not None
            said = any(note in s.detail for s in plan.steps)
            if said and state.fact(fact) is not None:
                wrong.append(f"{code}: says {note[:30]!r} though membership is known")
    assert wrong == []


def test_members_get_their_regional_bodies(kb: KnowledgeBase) -> None:
    """The other way round: where the State is a member, the regional step is there."""
    missing: list[str] = []
    for code, state in sorted(kb.states.items()):
        steps = {s.id for s in evaluate(_detained(code), kb, as_of=AS_OF).steps}
        if state.fact("echr") is True and "request_ecthr_rule39" not in steps:
            missing.append(f"{code}: Rule 39")
        if state.fact("coe_member") is True and "notify_european_bodies" not in steps:
            missing.append(f"{code}: Council of Europe")
        if state.fact("african_charter") is True and "notify_achpr_focal_point" not in steps:
            missing.append(f"{code}: African Commission")
        if state.fact("oas_member") is True and "request_iachr_precautionary_measures" not in steps:
            missing.append(f"{code}: IACHR")
    assert missing == []


def test_ced_only_for_its_parties_and_the_wgeid_for_all(kb: KnowledgeBase) -> None:
    for code, state in sorted(kb.states.items()):
        answers = _answers(state=code, reprisals=["enforced_disappearance"])
        bodies = _bodies(evaluate(answers, kb, as_of=AS_OF), kb)
        assert "wgeid" in bodies, code
        assert ("tb_ced" in bodies) == (state.fact("ced") is not False), code


def test_plain_detention_never_names_the_ced(kb: KnowledgeBase) -> None:
    """Domain review A2: the CED acts on disappearances, not on detention, even in its parties."""
    for code in sorted(kb.states):
        answers = _answers(state=code, reprisals=["detention"])
        bodies = _bodies(evaluate(answers, kb, as_of=AS_OF), kb)
        assert "tb_ced" not in bodies and "wgad" in bodies, code


def test_the_petitions_team_only_with_a_complaint_to_that_committee(kb: KnowledgeBase) -> None:
    base = {
        "state": "UZ",
        "engagement": ["treaty_bodies"],
        "treaty_body": ["ccpr"],
        "stage": "reprisal_suffered",
        "reprisals": ["threats"],
        "consent_share_with_un": "yes",
    }
    without = _bodies(evaluate(_answers(**base), kb, as_of=AS_OF), kb)
    other = _bodies(evaluate(_answers(**base, individual_complaint=["cat"]), kb, as_of=AS_OF), kb)
    named = _bodies(evaluate(_answers(**base, individual_complaint=["ccpr"]), kb, as_of=AS_OF), kb)
    petitions = kb.contact_owner["treaty_bodies_reprisals_email_petitions"].id
    assert petitions not in without
    assert petitions in named
    # A complaint to the CAT does not bring the Petitions Team to the CCPR's own roles.
    ccpr_roles = [r for r in kb.mechanisms["tb_ccpr"].reprisal_contacts if r.individual_complaint]
    assert ccpr_roles, "the CCPR entry has a role for individual complaints"
    assert other <= named


def test_legal_help_comes_before_the_yearly_report(kb: KnowledgeBase) -> None:
    """Domain review C1: for detention the lawyer comes among the first steps."""
    for location in ("home_country", "in_detention"):
        answers = _answers(
            respondent="colleague",
            location=location,
            engagement=["special_procedures"],
            stage="reprisal_suffered",
            reprisals=["detention"],
            consent_share_with_un="yes",
            consent_publicity="yes",
        )
        order = [s.id for s in evaluate(answers, kb, as_of=AS_OF).steps]
        legal = next(i for i, s in enumerate(order) if s.startswith("legal_support"))
        assert legal < order.index("report_to_un_reprisals_official"), order
        assert legal < order.index("include_in_sg_report"), order


PETITIONS = "treaty_bodies_reprisals_email_petitions"


def _complaint(code: str | None, body: str, **more: Any) -> Answers:
    data: dict[str, Any] = {
        "engagement": ["treaty_bodies"],
        "treaty_body": [body],
        "individual_complaint": [body],
        "stage": "reprisal_suffered",
        "reprisals": ["threats"],
        "consent_share_with_un": "yes",
        **more,
    }
    if code is not None:
        data["state"] = code
    return _answers(**data)


def _contact_ids(plan: Plan) -> set[str]:
    return {c.id for s in plan.steps for c in s.contacts}


def test_complaint_status_reads_each_committees_procedure_for_every_state(
    kb: KnowledgeBase,
) -> None:
    """Contract point 3, over every State and committee: a complaint can be before a committee
    where a source says the State accepted its procedure (optional protocol or declaration),
    cannot where a source says it did not (a State outside the treaty has made no declaration
    under it), and is unknown where no source was found; the SPT takes no complaints. A
    procedure the State has since left still holds the complaints brought before (`until`)."""
    verdict = {True: "yes", False: "no", None: "unknown"}

    def expected(state: Any, fact: Any) -> str:
        found = state.facts[fact]
        return "yes" if found.value is False and found.until else verdict[found.value]

    wrong = [
        f"{code} {body}"
        for code, state in sorted(kb.states.items())
        for body, fact in COMPLAINT_PROCEDURE.items()
        if complaint_status(body, _complaint(code, body), kb.states) != expected(state, fact)
    ]
    assert wrong == []
    assert complaint_status("spt", _complaint("FR", "spt"), kb.states) == "no"
    assert complaint_status("ccpr", _complaint(None, "ccpr"), kb.states) == "unknown"
    # A declaration is made under its treaty: never said to exist where the treaty is not
    # ratified. (Not so for a protocol: Solomon Islands acceded to the CRPD's before the CRPD.)
    for code, state in kb.states.items():
        for treaty in ("cat", "cerd", "ced", "cmw"):
            fact = COMPLAINT_PROCEDURE[treaty]  # type: ignore[index]
            if state.fact(treaty) is False:  # type: ignore[arg-type]
                assert state.fact(fact) is False, f"{code}: {fact} without {treaty}"


def test_declarations_found_one_by_one_are_sourced(kb: KnowledgeBase) -> None:
    """No complete list of the declarations was found: the few found each rest on their own
    source (the Secretary-General's depositary notifications as Portugal's official journal
    publishes them, Spain's official journal, Argentina's approving law, a Portuguese proposal to
    Parliament, a newspaper's report of Mexico's deposit, the committees' own decisions and
    opinions on individual communications, which they adopt only against a State that made the
    declaration, their concluding observations welcoming a declaration, a journal article,
    Belgium's official journal, Bayefsky.com's undated compilation quoting a dated
    declaration, the CERD's summary records where a State's delegation or a member says the
    declaration was made, OHCHR's tables for the UPR compilations, Austria's federal law
    gazette's notices of the depositary notifications, the Netherlands' treaty database and
    OHCHR's press releases on a committee's dialogue with a State),
    and the Petitions Team stays for a complaint against those States."""
    found = {
        code: sorted(k for k in ("cat_art22", "cerd_art14", "ced_art31", "cmw_art77")
                     if state.fact(k) is True)  # type: ignore[arg-type]
        for code, state in kb.states.items()
    }  # fmt: skip
    assert {c: f for c, f in found.items() if f} == {
        "AD": ["cerd_art14"],
        "AL": ["ced_art31"],
        "AR": ["cat_art22", "ced_art31"],
        "AT": ["cat_art22", "ced_art31"],
        "AU": ["cat_art22", "cerd_art14"],
        "AZ": ["cat_art22", "cerd_art14"],
        "BA": ["cat_art22"],
        "BE": ["cat_art22", "cerd_art14"],
        "BG": ["cat_art22"],
        "BI": ["cat_art22"],
        "BO": ["cat_art22"],
        "BR": ["cerd_art14"],
        "CA": ["cat_art22"],
        "CH": ["cat_art22", "ced_art31", "cerd_art14"],
        "CL": ["cat_art22", "ced_art31", "cerd_art14"],
        "CY": ["cat_art22", "cerd_art14"],
        "CZ": ["ced_art31", "cerd_art14"],
        "DE": ["cat_art22", "cerd_art14"],
        "DK": ["cat_art22", "cerd_art14"],
        "DZ": ["cat_art22", "cerd_art14"],
        "EC": ["ced_art31", "cerd_art14"],
        "ES": ["cat_art22", "ced_art31"],
        "FI": ["cat_art22"],
        "FR": ["cat_art22", "ced_art31", "cerd_art14"],
        "GE": ["cat_art22", "cerd_art14"],
        "GT": ["cat_art22"],
        "HR": ["cat_art22"],
        "HU": ["cat_art22", "cerd_art14"],
        "IE": ["cerd_art14"],
        "IS": ["cat_art22"],
        "KR": ["cerd_art14"],
        "KZ": ["cat_art22"],
        "LT": ["ced_art31"],
        "LU": ["cerd_art14"],
        "MA": ["cat_art22", "cerd_art14"],
        "MC": ["cerd_art14"],
        "MD": ["cat_art22"],
        "ME": ["ced_art31"],
        "ML": ["ced_art31"],
        "MT": ["cat_art22", "cerd_art14"],
        "MX": ["cat_art22", "ced_art31", "cerd_art14"],
        "NL": ["cat_art22", "ced_art31", "cerd_art14"],
        "NO": ["cat_art22", "cerd_art14"],
        "NZ": ["cat_art22"],
        "PA": ["cerd_art14"],
        "PE": ["ced_art31"],
        "PL": ["cerd_art14"],
        "PT": ["cat_art22", "ced_art31"],
        "RS": ["cat_art22"],
        "RU": ["cat_art22"],
        "SC": ["cat_art22"],
        "SE": ["cat_art22", "cerd_art14"],
        "SI": ["cat_art22", "cerd_art14"],
        "SK": ["ced_art31", "cerd_art14"],
        "SN": ["cat_art22", "cerd_art14"],
        "SV": ["cerd_art14"],
        "TG": ["cerd_art14"],
        "TN": ["cat_art22"],
        "UA": ["cat_art22", "ced_art31", "cerd_art14"],
        "UY": ["cat_art22", "cerd_art14"],
        "VE": ["cat_art22"],
    }
    for code, keys in found.items():
        for key in keys:
            fact = kb.states[code].facts[key]
            assert fact.source and fact.source.startswith(
                (
                    "dre_",
                    "parlamento_",
                    "boe_",
                    "jornada_",
                    "ley_",
                    "cat_",
                    "cerd_",
                    "ced_",
                    "ajhr_",
                    "bayefsky_",
                    "moniteur_",
                    "upr_",
                    "bgbl_",
                    "verdragenbank_",
                    "ohchr_press_",
                )
            ), code
    for code, body in (("MX", "cerd"), ("MX", "ced"), ("ES", "cat"), ("MA", "cat")):
        assert PETITIONS in _contact_ids(evaluate(_complaint(code, body), kb, as_of=AS_OF)), code


def test_declarations_not_made_are_dated_and_drop_the_petitions_team(kb: KnowledgeBase) -> None:
    """A party to the treaty that a dated source says had not made the declaration (a UPR
    compilation, including one reporting a committee's recommendation to make it as still open
    or, older, listing it as not accepted where the third cycle's annex still does,
    a report of the State's UPR responses, the CED's list of issues asking whether
    the State intends to make it, the CERD's list of issues prior to reporting asking what it has
    done or plans to do to make it, the State's reply or additional information, a press release
    announcing a draft declaration) is `false` "as of" that date, and a
    pending complaint against it alone no longer brings the Petitions Team: that committee cannot
    hold one. Living in a State that accepted the procedure keeps it (a complaint against the
    host State)."""
    not_made = {
        (code, key)
        for code, state in kb.states.items()
        for key, treaty in (("cat_art22", "cat"), ("cerd_art14", "cerd"),
                            ("ced_art31", "ced"), ("cmw_art77", "cmw"))
        if state.fact(treaty) and state.fact(key) is False  # type: ignore[arg-type]
    }  # fmt: skip
    assert not_made == {
        ("EG", "cat_art22"),
        ("BH", "cerd_art14"),
        ("IT", "ced_art31"),
        ("JP", "ced_art31"),
        ("SN", "ced_art31"),
        ("TN", "ced_art31"),
        ("BO", "ced_art31"),
        ("BR", "ced_art31"),
        ("GA", "ced_art31"),
        ("MN", "ced_art31"),
        ("MT", "ced_art31"),
        ("PA", "ced_art31"),
        ("BF", "ced_art31"),
        ("TG", "ced_art31"),
        ("CR", "ced_art31"),
        ("MA", "ced_art31"),
        ("CU", "ced_art31"),
        ("KH", "ced_art31"),
        ("LS", "cerd_art14"),
        ("MU", "cat_art22"),
        ("TM", "cat_art22"),
        ("TM", "cerd_art14"),
    }
    for code, key in not_made:
        fact = kb.states[code].facts[key]  # type: ignore[index]
        assert fact.source is not None
        date = kb.state_sources[fact.source].date
        assert fact.note and fact.note.startswith(f"not made as of {date}"), code
    for code, body in (("EG", "cat"), ("BH", "cerd"), ("JP", "ced")):
        assert PETITIONS not in _contact_ids(evaluate(_complaint(code, body), kb, as_of=AS_OF))
    in_morocco = _complaint("EG", "cat", residence="MA", location="abroad")
    assert PETITIONS in _contact_ids(evaluate(in_morocco, kb, as_of=AS_OF))
    # Abroad, host State not said: the complaint may be against it, so nothing is ruled out.
    abroad = _complaint("EG", "cat", location="abroad")
    assert PETITIONS in _contact_ids(evaluate(abroad, kb, as_of=AS_OF))
    # Living in Egypt, the State responsible not said: it may be another State.
    unnamed = _complaint(None, "cat", residence="EG", location="abroad")
    assert PETITIONS in _contact_ids(evaluate(unnamed, kb, as_of=AS_OF))


@pytest.mark.parametrize("body", ["ccpr", "cat"])
def test_the_petitions_team_only_where_the_committee_can_hold_the_complaint(
    kb: KnowledgeBase, body: str
) -> None:
    """For every State: a pending complaint to the Human Rights Committee (optional protocol
    facts sourced) or to the CAT (article 22: no for non-parties, unknown otherwise) brings the
    OHCHR Petitions Team unless a source says the State never accepted that procedure; the
    committee itself is named either way."""
    fact = COMPLAINT_PROCEDURE[body]  # type: ignore[index]
    name = kb.mechanisms[f"tb_{body}"].name
    wrong: list[str] = []
    for code, state in sorted(kb.states.items()):
        plan = evaluate(_complaint(code, body), kb, as_of=AS_OF)
        shown = PETITIONS in _contact_ids(plan)
        left = state.facts[fact].until is not None if fact in state.facts else False
        if shown != (state.fact(fact) is not False or left):
            wrong.append(f"{code}: Petitions Team {'shown' if shown else 'missing'}")
        if not any(name in s.detail for s in plan.steps):
            wrong.append(f"{code}: committee not named")
        # Left out, the Petitions Team is explained: the person's word against the sources,
        # with the sources' date (never silently dropped).
        noted = [s for s in plan.steps if "The answers say a complaint is pending" in s.detail]
        source = state.facts[fact].source if fact in state.facts else None
        date = str(kb.state_sources[source].date) if source else "?"
        if shown and noted:
            wrong.append(f"{code}: note beside the Petitions Team")
        if not shown and not any(f"sources dated {date}" in s.detail for s in noted):
            wrong.append(f"{code}: Petitions Team left out without the dated note")
    assert wrong == []


def test_a_complaint_brought_before_the_state_left_the_procedure_keeps_the_petitions_team(
    kb: KnowledgeBase,
) -> None:
    """Belarus left the ICCPR's first Optional Protocol on 2023-02-08; the Committee goes on
    with the complaints brought before (OP1 art. 12(2)), so a pending one keeps the Petitions
    Team. Kazakhstan's 2009 ratification, which the source file's flag column hid, counts."""
    belarus = kb.states["BY"].facts["op1_iccpr"]
    assert belarus.value is False and belarus.until == dt.date(2023, 2, 8)
    assert PETITIONS in _contact_ids(evaluate(_complaint("BY", "ccpr"), kb, as_of=AS_OF))
    assert kb.states["KZ"].fact("op1_iccpr") is True
    assert PETITIONS in _contact_ids(evaluate(_complaint("KZ", "ccpr"), kb, as_of=AS_OF))
    assert PETITIONS not in _contact_ids(evaluate(_complaint("CN", "ccpr"), kb, as_of=AS_OF))


def test_a_complaint_against_the_host_state_keeps_the_petitions_team(kb: KnowledgeBase) -> None:
    """China has not accepted the Human Rights Committee's complaints; a person living in
    France (which has) may have a complaint against France, so the Petitions Team stays. With
    neither State accepting it, it goes; without a State, the person's word stands."""
    assert kb.states["CN"].fact("op1_iccpr") is False
    assert kb.states["FR"].fact("op1_iccpr") is True
    china = _contact_ids(evaluate(_complaint("CN", "ccpr"), kb, as_of=AS_OF))
    in_france = _complaint("CN", "ccpr", residence="FR", location="abroad")
    nowhere = _contact_ids(evaluate(_complaint(None, "ccpr"), kb, as_of=AS_OF))
    assert PETITIONS not in china
    assert PETITIONS in _contact_ids(evaluate(in_france, kb, as_of=AS_OF))
    assert PETITIONS in nowhere
    spt = _answers(
        state="FR",
        engagement=["treaty_bodies"],
        treaty_body=["spt"],
        individual_complaint=["spt"],
        stage="reprisal_suffered",
        reprisals=["threats"],
        consent_share_with_un="yes",
    )
    assert PETITIONS not in _contact_ids(evaluate(spt, kb, as_of=AS_OF))


# ----------------------------------------------------------------------------- through the CLI
runner = CliRunner()


def _plan(tmp_path: Path, answers: dict[str, Any]) -> dict[str, Any]:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump({"schema": ANSWERS_SCHEMA, **answers}), encoding="utf-8")
    result = runner.invoke(
        app, ["plan", str(path), "--format", "json", "--as-of", AS_OF.isoformat()]
    )
    assert result.exit_code == 0, result.output
    plan: dict[str, Any] = json.loads(result.stdout)
    return plan


def _contact_names(plan: dict[str, Any]) -> str:
    return "\n".join(c["name"] for s in plan["steps"] for c in s["contacts"])


def test_cli_hong_kong_exile_in_the_uk(tmp_path: Path) -> None:
    """State responsible China, living in the UK: no Council of Europe step about China."""
    plan = _plan(
        tmp_path,
        {
            "respondent": "self",
            "state": "CN",
            "residence": "GB",
            "location": "abroad",
            "engagement": ["treaty_bodies"],
            "treaty_body": ["ccpr"],
            "stage": "reprisal_suffered",
            "reprisals": ["transnational_repression", "threats_to_family"],
            "consent_share_with_un": "yes",
        },
    )
    steps = [s["id"] for s in plan["steps"]]
    assert "notify_european_bodies" not in steps and "request_ecthr_rule39" not in steps
    # Where they live drives protection there: the police, and Interpol's files commission.
    assert "protection_where_you_live" in steps
    # The European Court and the Petitions Team only against the UK, in case of removal
    # (finding C1): the steps against the country of residence, never about China.
    removal = {"removal_ecthr_rule39", "removal_cat_if_accepted"}
    assert removal <= set(steps)
    names = _contact_names({"steps": [s for s in plan["steps"] if s["id"] not in removal]})
    assert "Council of Europe" not in names and "European Court" not in names
    assert "Petitions Team" not in names
    assert "transnational_repression" in {w["id"] for w in plan["warnings"]}


@pytest.mark.parametrize(
    ("code", "african"),
    [("CN", False), ("EG", True), ("BH", False)],
)
def test_cli_detained_defender(tmp_path: Path, code: str, african: bool) -> None:
    """A defender detained after UN engagement in China, Egypt or Bahrain: the WGAD with its
    channel, a lawyer in the first steps, no CED or Petitions Team (none of them is party)."""
    plan = _plan(
        tmp_path,
        {
            "respondent": "colleague",
            "state": code,
            "location": "in_detention",
            "engagement": ["human_rights_council"],
            "stage": "reprisal_suffered",
            "reprisals": ["detention"],
            "consent_share_with_un": "yes",
        },
    )
    steps = [s["id"] for s in plan["steps"]]
    urgent = next(s for s in plan["steps"] if s["id"] == "urgent_appeal_special_procedures")
    values = {c["value"] for c in urgent["contacts"]}
    assert "hrc-wg-ad@un.org" in values  # the WGAD's mailbox
    assert "petitions@ohchr.org" not in values
    assert "Enforced Disappearances (CED)" not in _contact_names(plan)
    assert steps.index("legal_support_held") < steps.index("report_to_un_reprisals_official")
    assert ("notify_achpr_focal_point" in steps) is african
    assert "Only if" not in "\n".join(s["detail"] for s in plan["steps"])


def test_cli_measures_in_force_in_nicaragua(tmp_path: Path) -> None:
    """Domain review A6: never 'ask for precautionary measures' again; extend them, or the
    Court's provisional measures."""
    plan = _plan(
        tmp_path,
        {
            "respondent": "organisation",
            "state": "NI",
            "engagement": ["human_rights_council"],
            "stage": "reprisal_suffered",
            "reprisals": ["organisation_restrictions", "threats"],
            "measures_in_force": ["inter_american_commission"],
            "consent_share_with_un": "yes",
        },
    )
    steps = [s["id"] for s in plan["steps"]]
    assert "request_iachr_precautionary_measures" not in steps
    extend = next(s for s in plan["steps"] if s["id"] == "extend_inter_american_measures")
    assert "provisional measures" in extend["detail"]
    assert "same measure number" in extend["detail"]
    text = json.dumps(plan)
    assert "Ask the Inter-American Commission for precautionary measures" not in text


# ----------------------------------------------------------------- the `party` condition itself
def test_party_condition_reads_the_state(kb: KnowledgeBase) -> None:
    member = validate(Condition, {"party": "coe_member"})
    unknown = validate(Condition, {"party": "coe_member", "status": "unknown"})
    refused = validate(Condition, {"party": "coe_member", "status": "no"})
    cases = {"FR": "yes", "RU": "no", None: "unknown"}
    for code, expected in cases.items():
        answers = _answers(state=code) if code else _answers()
        verdicts = (
            holds(member, answers, kb.states),
            holds(refused, answers, kb.states),
            holds(unknown, answers, kb.states),
        )
        assert verdicts == (expected == "yes", expected == "no", expected == "unknown"), code
    # Without the knowledge base's States, every membership is unknown; the trace names the State.
    assert holds(unknown, _answers(state="FR"))
    assert matched(member, _answers(state="FR"), kb.states) == {"state": "FR"}
    # A null fact (no source found) is unknown, never "no".
    nulls = [c for c, s in kb.states.items() if s.fact("oas_member") is None]
    if nulls:
        oas = validate(Condition, {"party": "oas_member", "status": "unknown"})
        assert holds(oas, _answers(state=nulls[0]), kb.states)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"party": "nato"}, "party"),
        ({"status": "unknown"}, "a condition takes exactly one of"),
        ({"party": "ced", "status": "maybe"}, "status"),
        ({"party": "ced", "key": "region", "equals": "africa"}, "exactly one of"),
    ],
)
def test_party_condition_refuses_what_it_cannot_read(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        validate(Condition, data)


def test_a_party_condition_is_decided_by_each_cases_state(kb: KnowledgeBase) -> None:
    member = validate(Condition, {"party": "coe_member"})

    def verdict(state: str) -> dict[str, Any] | None:
        answers = _answers(state=state)
        return matched(member, answers, kb.states) if holds(member, answers, kb.states) else None

    assert verdict("FR") == {"state": "FR"}
    assert verdict("RU") is None
    assert verdict("DE") == {"state": "DE"}


# ------------------------------------------- `of: residence` and `differs_from` (finding C1)
def test_party_condition_of_residence_reads_where_the_person_lives(kb: KnowledgeBase) -> None:
    """`of: residence` reads the host State's membership, not the State responsible's: interim
    measures against removal are asked of the country where the person lives."""
    echr = validate(Condition, {"party": "echr", "of": "residence"})
    unknown = validate(Condition, {"party": "echr", "of": "residence", "status": "unknown"})
    refused = validate(Condition, {"party": "echr", "of": "residence", "status": "no"})
    uyghur_in_turkey = _answers(state="CN", residence="TR")
    assert holds(echr, uyghur_in_turkey, kb.states)
    assert not holds(validate(Condition, {"party": "echr"}), uyghur_in_turkey, kb.states)
    assert matched(echr, uyghur_in_turkey, kb.states) == {"residence": "TR"}
    assert holds(refused, _answers(state="TR", residence="RU"), kb.states)
    # No residence answered, or one the knowledge base does not list: unknown, never "no".
    assert holds(unknown, _answers(state="CN"), kb.states)
    assert holds(unknown, _answers(state="BY", residence="JE"), kb.states)
    assert validate(Condition, {"party": "echr", "of": "state"}) == validate(
        Condition, {"party": "echr", "of": "state"}
    )
    assert validate(Condition, {"party": "echr"}).keys() == {"state"}
    assert echr.keys() == {"residence"}


def test_differs_from_holds_only_when_both_answers_differ(kb: KnowledgeBase) -> None:
    exile = validate(Condition, {"key": "residence", "differs_from": "state"})
    assert holds(exile, _answers(state="CN", residence="TR"), kb.states)
    assert not holds(exile, _answers(state="TR", residence="TR"), kb.states)
    assert not holds(exile, _answers(state="CN"), kb.states)
    assert not holds(exile, _answers(residence="TR"), kb.states)
    assert matched(exile, _answers(state="CN", residence="TR")) == {
        "residence": "TR",
        "state": "CN",
    }
    assert exile.keys() == {"residence", "state"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"party": "echr", "of": "home"}, "of"),
        ({"party": "echr", "of": "region"}, "of"),
        ({"key": "region", "equals": "africa", "of": "residence"}, "'of' needs a 'party'"),
        ({"of": "residence"}, "a condition takes exactly one of"),
        ({"key": "residence", "differs_from": "residence"}, "differs_from"),
        ({"key": "residence", "differs_from": "region"}, "differs_from"),
        ({"key": "reprisals", "differs_from": "others_at_risk"}, "differs_from"),
        ({"key": "residence", "differs_from": "nowhere"}, "unknown answer key"),
        ({"key": "residence", "differs_from": "state", "equals": "TR"}, "exactly one of"),
        ({"party": "echr", "differs_from": "state"}, "need a 'key'"),
    ],
)
def test_of_and_differs_from_refuse_what_they_cannot_read(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        validate(Condition, data)


def test_a_step_against_the_country_of_residence_never_speaks_of_the_state_responsible(
    kb: KnowledgeBase,
) -> None:
    """A step against the host State (`against: residence`) names the European Court without
    its note on the State responsible, even when the State responsible is not known."""
    answers = _answers(
        state="HK", residence="DE", location="in_detention", stage="reprisal_suffered"
    )
    plan = evaluate(answers, kb, as_of=AS_OF)
    step = next(s for s in plan.steps if s.id == "removal_ecthr_rule39")
    assert kb.mechanisms["ecthr_rule39"].party_note not in step.detail
    assert "Only if the State responsible" not in step.detail
    assert {c.id for c in step.contacts} >= {"ecthr_rule39_web"}
