"""Red team red43 (2026-12-04) against main's 426f6da: the national protection mechanisms'
steps (Brazil, Peru, Guatemala, Mexico, Colombia, Honduras), the treaty-body step's title and
the relocation variants under a travel ban or criminal charges.

Each test names the harm in its docstring and failed on 426f6da.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from red_support import plan_of_answers

MECHANISMS = {"MX": "mx", "CO": "co", "HN": "hn", "BR": "br", "PE": "pe", "GT": "gt"}


@pytest.mark.parametrize("state", sorted(MECHANISMS))
@pytest.mark.parametrize("location", [None, "home_country"])
def test_an_exile_is_not_sent_to_the_protection_mechanism_of_the_state_they_fled(
    tmp_path: Path, state: str, location: str | None
) -> None:
    """Harm: a Mexican journalist lives in Spain (`residence: ES`), targeted there by agents
    of Mexico (transnational repression), and agreed that the case go to the UN. The plan's
    step: "Consider asking the State's own protection mechanism for defenders" (Mexico's):
    asking it tells the government that is hunting them abroad of the case and who they are,
    for measures (police escorts, panic buttons, locks) that work only at home. The rules
    leave these steps out for someone abroad ("its measures work at home"), but read only
    `location`, which such answers often leave out (`residence` says it) or answer as at home
    in the country they now live in. Failed on 426f6da."""
    answers: dict[str, Any] = {
        "respondent": "self",
        "state": state,
        "residence": "ES",
        "engagement": ["special_procedures"],
        "stage": "reprisal_suffered",
        "reprisals": ["threats", "transnational_repression"],
        "consent": {"publicity": "no", "share_with_un": "yes"},
    }
    if location is not None:
        answers["location"] = location
    plan = plan_of_answers(tmp_path, answers)
    ident = f"ask_national_protection_{MECHANISMS[state]}"
    assert ident not in [s["id"] for s in plan["steps"]]
    assert ident not in [w["id"] for w in plan["withheld"]]
    # The same answers living at home still get it (the rule is not simply switched off).
    del answers["residence"]
    answers["location"] = "home_country"
    answers["reprisals"] = ["threats"]
    home = plan_of_answers(tmp_path, answers)
    assert ident in [s["id"] for s in home["steps"]]


@pytest.mark.parametrize(
    "profile", [["trade_unionist"], ["trade_unionist", "environmental_defender", "journalist"]]
)
@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar", "ru", "zh"])
def test_the_ilo_named_under_a_un_step_says_its_reports_are_public_and_name_people(
    tmp_path: Path, lang: str, profile: list[str]
) -> None:
    """Harm: a colleague answers for a Colombian trade unionist who was threatened after
    talking to a Special Rapporteur; publicity: no (their name must not come out). The step
    "Tell the Special Rapporteurs concerned what happened" ends "Also address it to: ILO
    Committee on Freedom of Association ... (ask your union or federation to file it)", and
    nothing in the plan says what caseworker review 3 added for the ILO's own step: the
    Committee's reports are public on NORMLEX and can name the people concerned, so ask that
    no name be given without the agreement of the one named (Case 2761 lists murdered trade
    unionists by name). The union files, the report names them. A named body's conditions
    were read only for a step's own contacts, never for the bodies a rule names in it (and the
    step's advice, bounded, has no room when several are named: the Escazú committee too, for
    an environmental defender). Failed on 426f6da."""
    plan = plan_of_answers(
        tmp_path,
        {
            "respondent": "colleague",
            "profile": profile,
            "state": "CO",
            "engagement": ["special_procedures"],
            "stage": "reprisal_suffered",
            "reprisals": ["threats"],
            "location": "home_country",
            "consent": {"publicity": "no", "share_with_un": "yes"},
        },
        "--lang",
        lang,
    )
    naming = [s for s in plan["steps"] if any(w["rule"] == "name_ilo_cfa" for w in s["why"])]
    assert naming, "the ILO is named in a step"
    said = " ".join([*naming[0]["advice"], naming[0]["detail"]])
    assert "NORMLEX" in said
    if lang == "en":
        assert "can name the people concerned" in said


@pytest.mark.parametrize("respondent", ["self", "colleague"])
@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar", "ru", "zh"])
def test_a_person_charged_is_told_to_ask_their_lawyer_before_the_trip_to_a_session(
    tmp_path: Path, respondent: str, lang: str
) -> None:
    """Harm: a defender at home, charged after speaking at the Human Rights Council, plans to
    go back for the next session. The plan's relocation step says "if you face criminal
    charges, ask your lawyer before you move at all: courts can forbid a person charged to
    leave their town or the country ... breaking that can lead to detention" (caseworker
    review 3), but step 15 of the same plan reads "Prepare your trip to the session: before,
    at the border, and on return" and only how to behave at the border: nothing about the
    court order that can forbid them to leave, breaking which means detention at the airport.
    Under a travel ban the step already waits for the ban to be lifted; charges are the same
    border. Failed on 426f6da."""
    plan = plan_of_answers(
        tmp_path,
        {
            "respondent": respondent,
            "state": "PE",
            "engagement": ["human_rights_council"],
            "stage": "reprisal_suffered",
            "reprisals": ["criminal_charges", "threats"],
            "location": "home_country",
            "travel_planned": True,
            "consent": {"publicity": "no", "share_with_un": "yes"},
        },
        "--lang",
        lang,
    )
    travel = next(s for s in plan["steps"] if s["id"] == "prepare_travel")
    relocation = next(s for s in plan["steps"] if s["id"].startswith("organisation_relocation"))
    peru = {"en": "288 and 295", "fr": "288 et 295", "es": "288 y 295", "ar": "288 و295",
            "ru": "288 и 295", "zh": "第288条和第295条"}[lang]  # fmt: skip
    assert peru in relocation["detail"]  # what the plan says of moving at all
    assert peru in travel["detail"]  # and of crossing the border to a session
    assert travel["title"] != relocation["title"]
    if lang == "en":
        assert "lawyer" in travel["title"]
