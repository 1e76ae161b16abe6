"""Answers v1.1 (contract §1, §6): `state` and `residence` (ISO 3166-1 alpha-2 codes from CLDR),
`individual_complaint`, `measures_in_force`, and the new values of `location`, `engagement`,
`reprisals` and `profile`: each value accepted, each wrong one refused with the file, line, key
and what is allowed; read in files, in batch JSON Lines and written back by `--answers-out`; and
the plan built for every new value, with risk at least as high as for the nearest older value."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from reprisal_cli.answers import dump_answers, parse_answers
from reprisal_cli.cli import app
from reprisal_cli.contract import ANSWERS_SCHEMA, MEASURES_BODIES, TREATY_BODIES
from reprisal_cli.countries import country_codes, country_name, find_countries
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.risk import LEVELS
from reprisal_cli.errors import AnswersError
from reprisal_cli.kb.loader import KnowledgeBase
from reprisal_cli.render import PLAN_FORMATS, RenderOptions, render

V1 = "reprisal-cli/answers/v1"
AS_OF = dt.date(2026, 11, 25)

NEW_VALUES = {
    "location": ["in_detention", "whereabouts_unknown"],
    "engagement": ["security_council", "ohchr", "investigative_body", "indigenous_forums", "ilo"],
    "reprisals": [
        "family_detained",
        "family_harmed",
        "terrorism_label",
        "denied_entry",
        "nationality_revoked",
        "online_harassment",
    ],
    "profile": ["child", "victim_or_witness", "relative_of_victim", "un_expert"],
}
NEW_PAIRS = [(key, value) for key, values in NEW_VALUES.items() for value in values]
LIST_KEYS = {"engagement", "reprisals", "profile", "individual_complaint", "measures_in_force"}


def parse(text: str, name: str = "a.yaml") -> object:
    return parse_answers(text.encode(), name)


def problems(text: str, name: str = "a.yaml") -> list[str]:
    with pytest.raises(AnswersError) as caught:
        parse_answers(text.encode(), name)
    return [str(p) for p in caught.value.problems]


# -- the new enum values ------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "value"), NEW_PAIRS)
@pytest.mark.parametrize("schema", [V1, ANSWERS_SCHEMA])
def test_each_new_value_is_read_in_v1_and_v11_files(key: str, value: str, schema: str) -> None:
    written = f"[{value}]" if key in LIST_KEYS else value
    answers = parse(f"schema: {schema}\n{key}: {written}\n")
    assert answers.get(key) == ((value,) if key in LIST_KEYS else value)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("key", "value"), [p for p in NEW_PAIRS if p[0] in LIST_KEYS])
def test_a_single_new_value_is_a_one_item_list(key: str, value: str) -> None:
    answers = parse(f"schema: {ANSWERS_SCHEMA}\n{key}: {value}\n")
    assert answers.get(key) == (value,)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("key", "value"), NEW_PAIRS)
def test_a_new_value_in_capitals_is_refused_with_the_allowed_values(key: str, value: str) -> None:
    [message] = problems(f"schema: {ANSWERS_SCHEMA}\nnotes: x\n{key}: {value.upper()}\n")
    assert message.startswith("a.yaml:3:")
    assert f"{key}" in message and repr(value.upper()) in message
    # The allowed values are listed, the new one among them.
    assert "one of " in message and value in message


@pytest.mark.parametrize(
    ("key", "wrong"),
    [
        ("location", "detained"),
        ("engagement", "un_security_council"),
        ("reprisals", "family_arrested"),
        ("profile", "minor"),
    ],
)
def test_a_near_miss_is_refused(key: str, wrong: str) -> None:
    [message] = problems(f"schema: {ANSWERS_SCHEMA}\n{key}: {wrong}\n")
    assert f"{wrong!r} is not one of" in message
    assert all(v in message for v in NEW_VALUES[key])


# -- individual_complaint and measures_in_force ---------------------------------------------------


@pytest.mark.parametrize("value", TREATY_BODIES)
def test_individual_complaint_takes_every_treaty_body(value: str) -> None:
    assert parse(f"schema: {ANSWERS_SCHEMA}\nindividual_complaint: [{value}]\n").get(  # type: ignore[attr-defined]
        "individual_complaint"
    ) == (value,)
    assert parse(f"schema: {ANSWERS_SCHEMA}\nindividual_complaint: {value}\n").get(  # type: ignore[attr-defined]
        "individual_complaint"
    ) == (value,)


@pytest.mark.parametrize("value", MEASURES_BODIES)
def test_measures_in_force_takes_every_body(value: str) -> None:
    assert parse(f"schema: {ANSWERS_SCHEMA}\nmeasures_in_force: [{value}]\n").get(  # type: ignore[attr-defined]
        "measures_in_force"
    ) == (value,)
    assert parse(f"schema: {ANSWERS_SCHEMA}\nmeasures_in_force: {value}\n").get(  # type: ignore[attr-defined]
        "measures_in_force"
    ) == (value,)


@pytest.mark.parametrize(
    ("key", "wrong", "allowed"),
    [
        ("individual_complaint", "CCPR", "cat, ccpr, cescr"),
        ("individual_complaint", "special_procedures", "cat, ccpr, cescr"),
        ("measures_in_force", "iachr", "inter_american_commission, inter_american_court"),
        ("measures_in_force", "Treaty_Bodies", "treaty_bodies, other"),
    ],
)
def test_complaints_and_measures_refuse_other_values(key: str, wrong: str, allowed: str) -> None:
    [message] = problems(f"schema: {ANSWERS_SCHEMA}\n{key}:\n  - {wrong}\n")
    assert message.startswith("a.yaml:3:")
    assert f"{key}[0]: {wrong!r} is not one of" in message
    assert allowed in message


# -- state and residence ------------------------------------------------------------------------


def test_the_country_codes_are_cldrs_iso_3166_codes() -> None:
    codes = country_codes()
    assert len(codes) == 249  # ISO 3166-1 has 249 officially assigned alpha-2 codes
    assert {"CN", "BH", "RU", "VN", "PS", "VA", "TW", "HK", "SS", "GB"} <= codes
    # CLDR names these too, but ISO 3166-1 reserves them or leaves them to users.
    assert not {"EU", "UN", "EZ", "XK", "XA", "ZZ", "QO", "AC", "IC", "UK"} & codes


@pytest.mark.parametrize("code", sorted(country_codes()))
def test_every_country_code_is_read_as_state_and_residence(code: str) -> None:
    answers = parse(f"schema: {ANSWERS_SCHEMA}\nstate: '{code}'\nresidence: \"{code}\"\n")
    assert (answers.state, answers.residence) == (code, code)  # type: ignore[attr-defined]
    if code != "NO":  # unquoted, as most people write them
        assert parse(f"schema: {ANSWERS_SCHEMA}\nstate: {code}\n").state == code  # type: ignore[attr-defined]


def test_an_unquoted_no_for_norway_is_refused_with_the_fix() -> None:
    # YAML 1.1 reads it as false; guessing Norway from false could invent a fact.
    [message] = problems(f"schema: {ANSWERS_SCHEMA}\nstate: NO\n")
    assert message.startswith("a.yaml:2:1 state: false is not an ISO 3166-1 alpha-2")
    assert "for Norway write 'NO' in quotes" in message
    # The writer quotes it, so a file it wrote reads back as Norway.
    norway = parse(f"schema: {ANSWERS_SCHEMA}\nstate: 'NO'\nresidence: 'NO'\n")
    assert "state: 'NO'" in dump_answers(norway)  # type: ignore[arg-type]
    assert parse(dump_answers(norway)) == norway  # type: ignore[arg-type]


@pytest.mark.parametrize("key", ["state", "residence"])
@pytest.mark.parametrize("code", ["cn", "Bh", "gb"])
def test_a_country_code_in_lower_case_is_refused_with_the_fix(key: str, code: str) -> None:
    [message] = problems(f"schema: {ANSWERS_SCHEMA}\n{key}: {code}\n")
    assert message == (
        f"a.yaml:2:1 {key}: {code!r} is not an ISO 3166-1 alpha-2 country code in capital "
        f"letters (for example CN, BH): write it in capitals, {code.upper()!r}"
    )


@pytest.mark.parametrize("key", ["state", "residence"])
@pytest.mark.parametrize(
    "written", ["XK", "EU", "UK", "ZZ", "CHN", "China", "C", "''", "86", "[CN]", "{a: b}", "true"]
)
def test_anything_but_a_country_code_is_refused(key: str, written: str) -> None:
    [message] = problems(f"schema: {ANSWERS_SCHEMA}\n{key}: {written}\n")
    assert message.startswith(f"a.yaml:2:1 {key}: ")
    assert "ISO 3166-1 alpha-2 country code in capital letters (for example CN, BH)" in message


def test_residence_may_equal_or_differ_from_state() -> None:
    same = parse(f"schema: {ANSWERS_SCHEMA}\nstate: BH\nresidence: BH\nlocation: abroad\n")
    assert (same.state, same.residence) == ("BH", "BH")  # type: ignore[attr-defined]
    exile = parse(f"schema: {ANSWERS_SCHEMA}\nstate: HK\nresidence: GB\nlocation: abroad\n")
    assert (exile.state, exile.residence) == ("HK", "GB")  # type: ignore[attr-defined]


def test_country_errors_name_file_and_key_in_json_too() -> None:
    text = json.dumps({"schema": ANSWERS_SCHEMA, "region": "africa", "state": "eg"}, indent=1)
    [message] = problems(text, "case.json")
    assert message.startswith("case.json state: ")  # JSON values carry no line, as before
    assert "state: 'eg'" in message and "'EG'" in message


@pytest.mark.parametrize(
    ("lang", "typed", "code"),
    [
        ("en", "bahr", "BH"),
        ("fr", "cote d'ivoire", "CI"),
        ("fr", "Côte d’Ivoire", "CI"),
        ("es", "egipto", "EG"),
        ("ru", "росси", "RU"),
        ("ar", "البحرين", "BH"),
        ("zh", "越南", "VN"),
        ("zh", "viet", "VN"),  # English names are found in every language
        ("en", "ni", "NI"),  # the code
    ],
)
def test_countries_are_found_by_name_in_the_interface_language(
    lang: str, typed: str, code: str
) -> None:
    assert code in find_countries(typed, lang)


def test_country_names_come_from_cldr_in_each_language() -> None:
    assert country_name("DE", "en") == "Germany"
    assert country_name("DE", "fr") == "Allemagne"
    assert country_name("DE", "es") == "Alemania"
    assert country_name("DE", "ru") == "Германия"
    assert country_name("DE", "zh") == "德国"
    assert country_name("DE", "ar") == "ألمانيا"
    assert find_countries("", "en") == []
    assert find_countries("   ", "en") == []


# -- writing, batch, schema ---------------------------------------------------------------------

FULL = f"""schema: {V1}
respondent: family
profile: [child, victim_or_witness, relative_of_victim, un_expert]
engagement: [treaty_bodies, security_council, ohchr, investigative_body, indigenous_forums, ilo]
treaty_body: [ccpr, cedaw]
individual_complaint: ccpr
measures_in_force: [treaty_bodies, inter_american_court]
stage: reprisal_suffered
reprisals: [family_detained, family_harmed, terrorism_label, denied_entry, nationality_revoked,
  online_harassment]
location: in_detention
state: BH
residence: GB
"""


def test_the_writer_writes_v11_with_the_new_keys_and_reads_back_the_same() -> None:
    answers = parse(FULL)
    for fmt in ("yaml", "json"):
        written = dump_answers(answers, fmt)  # type: ignore[arg-type]
        assert parse_answers(written.encode(), f"a.{fmt}") == answers
    doc = json.loads(dump_answers(answers, "json"))  # type: ignore[arg-type]
    assert doc["schema"] == ANSWERS_SCHEMA
    assert doc["state"] == "BH" and doc["residence"] == "GB"
    assert doc["individual_complaint"] == ["ccpr"]
    assert doc["measures_in_force"] == ["treaty_bodies", "inter_american_court"]
    assert doc["location"] == "in_detention"
    # Contract order: state and residence follow location; notes and consent come last.
    keys = list(doc)
    assert keys.index("location") < keys.index("state") < keys.index("residence")


def test_batch_json_lines_read_the_new_keys_and_refuse_a_lower_case_state() -> None:
    good = json.dumps(
        {
            "schema": ANSWERS_SCHEMA,
            "case_id": "good",
            "state": "VN",
            "location": "whereabouts_unknown",
            "reprisals": "family_harmed",
            "measures_in_force": "african_commission",
            "individual_complaint": ["ced"],
        }
    )
    bad = json.dumps({"schema": ANSWERS_SCHEMA, "case_id": "bad", "state": "vn"})
    result = CliRunner().invoke(
        app,
        ["batch", "-", "-o", "-", "--format", "jsonl", "--as-of", "2026-11-25"],
        input=good + "\n" + bad + "\n",
    )
    assert result.exit_code == 1
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["schema"] == "reprisal-cli/plan/v1.1" and first["case_id"] == "good"
    assert second["schema"] == "reprisal-cli/error/v1"
    assert second["input"] == "stdin:2"
    assert second["error"]["key"] == "state"
    assert "write it in capitals, 'VN'" in second["error"]["message"]


def test_schema_answers_lists_the_new_keys_and_values() -> None:
    result = CliRunner().invoke(app, ["schema", "answers"])
    assert result.exit_code == 0
    props = json.loads(result.stdout)["properties"]
    for key in ("state", "residence"):
        codes = props[key]["anyOf"][0]
        assert codes["type"] == "string" and len(codes["enum"]) == 249
        assert "CN" in codes["enum"] and "XK" not in codes["enum"]
        assert "capital letters" in props[key]["description"]
    complaint = props["individual_complaint"]["anyOf"]
    assert complaint[0]["items"]["enum"] == list(TREATY_BODIES)
    assert complaint[1]["enum"] == list(TREATY_BODIES)  # a single string too
    assert props["measures_in_force"]["anyOf"][1]["enum"] == list(MEASURES_BODIES)
    for key, values in NEW_VALUES.items():
        prop = props[key]
        enum = prop["anyOf"][1]["enum"] if key in LIST_KEYS else prop["anyOf"][0]["enum"]
        assert set(values) <= set(enum), key


# -- the plan -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "value"), NEW_PAIRS)
def test_every_new_value_gives_a_plan_in_every_format(
    kb: KnowledgeBase, key: str, value: str
) -> None:
    written = f"[{value}]" if key in LIST_KEYS else value
    answers = parse_answers(
        f"schema: {ANSWERS_SCHEMA}\nstage: reprisal_suffered\n{key}: {written}\n".encode(), "a"
    )
    plan = evaluate(answers, kb, as_of=AS_OF)
    assert plan.steps
    for fmt in ("json", "txt"):
        assert render(plan, fmt, kb, RenderOptions())


@pytest.mark.slow
def test_all_new_keys_and_values_at_once_render_in_every_format(kb: KnowledgeBase) -> None:
    plan = evaluate(parse_answers(FULL.encode(), "a"), kb, as_of=AS_OF)  # type: ignore[arg-type]
    for fmt in PLAN_FORMATS:
        assert render(plan, fmt, kb, RenderOptions())


# Each new reprisal, and the older one it is closest to: the plan must rate it at least as high.
NEAREST = [
    ("family_detained", "threats_to_family"),
    ("family_detained", "detention"),
    ("family_harmed", "threats_to_family"),
    ("family_harmed", "physical_attack"),
    ("terrorism_label", "criminal_charges"),
    ("denied_entry", "travel_ban"),
    ("nationality_revoked", "travel_ban"),
    ("online_harassment", "smear_campaign"),
]


@pytest.mark.parametrize(("new", "old"), NEAREST)
def test_a_new_reprisal_is_rated_at_least_as_high_as_its_nearest_old_one(
    kb: KnowledgeBase, new: str, old: str
) -> None:
    assert kb.risks[new].severity >= kb.risks[old].severity

    def level(reprisal: str) -> int:
        answers = parse_answers(
            f"schema: {ANSWERS_SCHEMA}\nstage: reprisal_suffered\nreprisals: {reprisal}\n"
            "respondent: family\n".encode(),
            "a",
        )
        return LEVELS.index(evaluate(answers, kb, as_of=AS_OF).risk.level)

    assert level(new) >= level(old)


@pytest.mark.parametrize("reprisal", ["family_detained", "family_harmed"])
def test_harm_to_relatives_counts_as_family_targeted_and_is_critical(
    kb: KnowledgeBase, reprisal: str
) -> None:
    answers = parse_answers(f"schema: {ANSWERS_SCHEMA}\nreprisals: [{reprisal}]\n".encode(), "a")
    risk = evaluate(answers, kb, as_of=AS_OF).risk
    assert "family_targeted" in [v.id for v in risk.vulnerabilities]
    assert risk.level == "critical"  # liberty or life of a relative at stake now


@pytest.mark.parametrize("location", ["in_detention", "whereabouts_unknown"])
def test_a_person_held_or_missing_is_a_vulnerability_not_a_distance(
    kb: KnowledgeBase, location: str
) -> None:
    answers = parse_answers(f"schema: {ANSWERS_SCHEMA}\nlocation: {location}\n".encode(), "a")
    risk = evaluate(answers, kb, as_of=AS_OF).risk
    assert "held_or_missing" in [v.id for v in risk.vulnerabilities]
    assert "in_home_country" not in [v.id for v in risk.vulnerabilities]
    assert "abroad" not in [c.id for c in risk.capacities]  # no "distance from the aggressor"


@pytest.mark.parametrize(
    ("answers", "audience"),
    [
        ("respondent: self\nlocation: home_country\n", "person"),
        # Not said who answers: another reader (contract §2: `person` only when the person
        # answered), so that no one reads "it is your decision" about someone else's consent.
        ("location: abroad\n", "other"),
        ("respondent: family\n", "other"),
        ("respondent: lawyer\nlocation: abroad\n", "other"),
        ("respondent: self\nlocation: in_detention\n", "other"),
        ("location: whereabouts_unknown\n", "other"),
    ],
)
def test_the_plan_says_whom_it_speaks_to(kb: KnowledgeBase, answers: str, audience: str) -> None:
    plan = evaluate(
        parse_answers(f"schema: {ANSWERS_SCHEMA}\n{answers}".encode(), "a"), kb, as_of=AS_OF
    )
    assert plan.audience == audience
    doc = json.loads(render(plan, "json", kb, RenderOptions()))  # type: ignore[arg-type]
    assert doc["audience"] == audience
    assert list(doc).index("audience") == list(doc).index("as_of") + 1


@pytest.mark.parametrize("location", ["in_detention", "whereabouts_unknown"])
def test_for_a_person_held_or_missing_the_reader_gets_the_lawyer_step_early(
    kb: KnowledgeBase, location: str
) -> None:
    answers = parse_answers(
        f"schema: {ANSWERS_SCHEMA}\nrespondent: family\nlocation: {location}\n"
        "stage: reprisal_suffered\nreprisals: [detention, threats]\n".encode(),
        "a",
    )
    plan = evaluate(answers, kb, as_of=AS_OF)
    ids = [s.id for s in plan.steps]
    assert "legal_support_held" in ids and "legal_support" not in ids
    assert "organisation_relocation" not in ids  # they cannot leave
    assert ids.index("legal_support_held") < ids.index("document_incident")
    held = next(s for s in plan.steps if s.id == "legal_support_held")
    # Held: the lawyer finds where and visits; missing: the lawyer goes to court to have the
    # person found (caseworker review 4: "where they are held" assumed State custody).
    assert ("visit them" if location == "in_detention" else "go to court") in held.title


def test_an_exile_is_not_sent_to_embassies_in_their_country(kb: KnowledgeBase) -> None:
    answers = parse_answers(
        f"schema: {ANSWERS_SCHEMA}\nlocation: abroad\nstate: HK\nresidence: GB\n"
        "stage: reprisal_suffered\nreprisals: [transnational_repression]\n".encode(),
        "a",
    )
    plan = evaluate(answers, kb, as_of=AS_OF)
    ids = [s.id for s in plan.steps]
    assert "contact_diplomatic_missions_abroad" in ids and "contact_diplomatic_missions" not in ids
    assert not any("in your country" in s.title + s.detail for s in plan.steps)
