"""Red team red45 (2026-12-06) against main's 24b5fa9: advice kept to its kind of step, the
legal step's variants for a person whose whereabouts are unknown, and the Inter-American
Commission's variants.

Each test names the harm in its docstring and failed on 24b5fa9.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from red_support import plan_of_answers

CAUTION = "Before the family asks the authorities themselves, weigh the risk to them"
ASKS = (
    "Ask the authorities, in writing if possible, where the person is.",
    "Find a lawyer for the relative held at once, and ask where they are held.",
)


@pytest.mark.parametrize(
    ("respondent", "location", "reprisals"),
    [
        ("family", "whereabouts_unknown", ["enforced_disappearance", "criminal_charges"]),
        ("family", "in_detention", ["enforced_disappearance", "terrorism_label"]),
        ("self", "home_country", ["family_detained", "conviction", "criminal_charges"]),
        ("self", "home_country", ["family_detained", "denied_entry"]),
    ],
)
def test_a_family_told_to_ask_the_authorities_is_told_what_asking_can_cost_them(
    tmp_path: Path, respondent: str, location: str, reprisals: list[str]
) -> None:
    """Harm: a Syrian family whose son was disappeared after he spoke to a Special Rapporteur,
    and is now said to face charges before a court, answers the questionnaire. The legal step
    tells them "Ask the authorities, in writing if possible, where the person is." and nothing
    else on asking: the caution written for exactly this ("Before the family asks the
    authorities themselves, weigh the risk to them: relatives ... have been threatened, and
    made to pay intermediaries for news. A lawyer or an organisation can ask instead"), sourced
    to Syria, is gone from the plan. Both texts go on the legal step; since 24b5fa9 a text for a
    kind of step goes nowhere else when that step is full, and the charges' own lawyer advice
    filled it before the caution's turn (it came after the request). The same for a defender
    whose brother is held to pressure them ("Find a lawyer for the relative held at once, and
    ask where they are held."). Failed on 24b5fa9."""
    answers = {
        "respondent": respondent,
        "state": "SY",
        "location": location,
        "engagement": ["special_procedures"],
        "stage": "reprisal_suffered",
        "reprisals": reprisals,
        "consent": {"publicity": "no", "share_with_un": "yes"},
    }
    plan = plan_of_answers(tmp_path, answers)
    advice = [tip for step in plan["steps"] for tip in step["advice"]]
    asked = [tip for tip in advice if tip in ASKS]
    assert asked or any(tip.startswith(CAUTION) for tip in advice)  # the case is one of these
    if asked:
        assert any(tip.startswith(CAUTION) for tip in advice), advice


@pytest.mark.parametrize(
    ("state", "remedy"), [("MX", "amparo"), ("SY", "habeas corpus"), ("CO", "habeas corpus")]
)
def test_the_lawyer_of_a_disappeared_person_is_sent_to_court_not_to_visit_them(
    tmp_path: Path, state: str, remedy: str
) -> None:
    """Harm: the lawyer of a journalist disappeared in Mexico answers for their client
    (`respondent: lawyer`, `location: whereabouts_unknown`). Caseworker review 4 had the
    family's step say "No one knows where the person at risk is" and go to court at once (an
    amparo anyone can file, Ley de Amparo art. 15; habeas corpus elsewhere), not "find out where
    they are held and visit them". The lawyer's own variant comes first and was left as it was:
    "Ask in writing where the person at risk is held, and ask to visit them ... ask that they
    see a doctor and their family": a visit to someone no one can find, and not a word of the
    court, the one remedy that makes the State produce the person. Failed on 24b5fa9."""
    answers = {
        "respondent": "lawyer",
        "state": state,
        "location": "whereabouts_unknown",
        "engagement": ["special_procedures"],
        "stage": "reprisal_suffered",
        "reprisals": ["enforced_disappearance"],
        "consent": {"publicity": "no", "share_with_un": "yes"},
    }
    plan = plan_of_answers(tmp_path, answers)
    step = next(s for s in plan["steps"] if s["id"] == "legal_support_held")
    words = f"{step['title']} {step['detail']}"
    assert "visit" not in words
    assert remedy in words
    assert "As their lawyer" in words  # still spoken to the lawyer, not "find a lawyer"
    assert ("amparo" in words) == (state == "MX")
    # Held where the State says: the lawyer still asks to visit.
    answers["location"] = "in_detention"
    held = plan_of_answers(tmp_path, answers)
    step = next(s for s in held["steps"] if s["id"] == "legal_support_held")
    assert "visit" in step["title"]


@pytest.mark.parametrize("lang", ["fr", "es", "ar", "ru", "zh"])
def test_the_lawyers_court_step_is_translated(tmp_path: Path, lang: str) -> None:
    """The lawyer's variants (previous test) read in each language, not in English."""
    answers = {
        "respondent": "lawyer",
        "state": "MX",
        "location": "whereabouts_unknown",
        "engagement": ["special_procedures"],
        "stage": "reprisal_suffered",
        "reprisals": ["enforced_disappearance"],
        "consent": {"publicity": "no", "share_with_un": "yes"},
    }
    plan = plan_of_answers(tmp_path, answers, "--lang", lang)
    step = next(s for s in plan["steps"] if s["id"] == "legal_support_held")
    assert "No one knows" not in step["detail"]
    assert "15" in step["detail"]
