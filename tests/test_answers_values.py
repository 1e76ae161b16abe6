"""The answers file read value by value (contract §1): every key, the values YAML 1.1 reads in
its own way, list items, bounds, and what each refusal says (file, line, key, allowed values).

A wrong reading here changes a plan silently, so each case checks the value read, or the exact
problem: its key, its code, its place and the allowed values it names.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from reprisal_cli.answers import (
    MAX_ANSWERS_BYTES,
    Answers,
    answers_from_data,
    dump_answers,
    load_answers,
    parse_answers,
    read_answers,
)
from reprisal_cli.contract import (
    ANSWER_KEYS,
    ANSWERS_SCHEMA,
    CONSENT_KEYS,
    EARLIEST_INCIDENT_YEAR,
    EMPTY_LIST_ANSWERS,
    FILE_KEYS,
    NOTES_MAX_CHARS,
    V1_CONSENT_KEYS,
)
from reprisal_cli.errors import AnswersError, Problem

V1 = "reprisal-cli/answers/v1"
V11 = ANSWERS_SCHEMA
BOOL_KEYS = tuple(k for k, s in ANSWER_KEYS.items() if s.type == "bool")
LIST_KEYS = tuple(k for k, s in ANSWER_KEYS.items() if s.type == "list")
ENUM_KEYS = tuple(k for k, s in FILE_KEYS.items() if s.type == "enum")
# The yes/no/undecided consents, written as v1 keys at the top level or inside `consent`.
YES_NO_PURPOSES = tuple(
    p for p, k in CONSENT_KEYS.items() if ANSWER_KEYS[k].values[:2] == ("yes", "no")
)
# Every spelling YAML 1.1 reads as a boolean (PyYAML's resolver), and what a consent makes of it.
YAML_BOOLEANS = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), "yes"),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), "no"),
}


def read(text: str, name: str = "a.yaml") -> Answers:
    return parse_answers(text.encode(), name)


def refused(text: str, name: str = "a.yaml") -> list[Problem]:
    with pytest.raises(AnswersError) as caught:
        parse_answers(text.encode(), name)
    return list(caught.value.problems)


def one_problem(text: str) -> Problem:
    [problem] = refused(text)
    return problem


# -- booleans and consents --------------------------------------------------------------------


def test_the_yaml_boolean_table_is_what_yaml_reads() -> None:
    # The table below is YAML 1.1's, not a guess: PyYAML reads each spelling as that boolean.
    for written, meant in YAML_BOOLEANS.items():
        assert yaml.safe_load(f"k: {written}")["k"] is (meant == "yes")
    assert YES_NO_PURPOSES == (
        "publicity",
        "share_with_un",
        "share_with_regional",
        "share_with_states",
        "share_with_government",
    )


@pytest.mark.parametrize("purpose", YES_NO_PURPOSES)
@pytest.mark.parametrize(("written", "meant"), sorted(YAML_BOOLEANS.items()))
def test_an_unquoted_yaml_boolean_is_the_consent_its_writer_meant(
    purpose: str, written: str, meant: str
) -> None:
    answers = read(f"schema: {V11}\nconsent:\n  {purpose}: {written}\n")
    assert getattr(answers, CONSENT_KEYS[purpose]) == meant
    assert answers.consent_for(purpose) == meant


@pytest.mark.parametrize("key", sorted(V1_CONSENT_KEYS))
@pytest.mark.parametrize(("written", "meant"), sorted(YAML_BOOLEANS.items()))
def test_an_unquoted_yaml_boolean_in_a_v1_key_is_the_consent_meant(
    key: str, written: str, meant: str
) -> None:
    answers = read(f"schema: {V1}\n{key}: {written}\n")
    assert getattr(answers, key) == meant
    # and the two ways of writing it agree, so giving both is no conflict
    both = read(f"schema: {V11}\n{key}: {written}\nconsent:\n  {V1_CONSENT_KEYS[key]}: {meant!r}\n")
    assert getattr(both, key) == meant


@pytest.mark.parametrize("purpose", YES_NO_PURPOSES)
@pytest.mark.parametrize(("value", "meant"), [(True, "yes"), (False, "no")])
def test_a_json_boolean_is_the_consent_meant(purpose: str, value: bool, meant: str) -> None:
    text = json.dumps({"schema": V11, "consent": {purpose: value}})
    assert read(text, "a.json").consent_for(purpose) == meant


@pytest.mark.parametrize("purpose", YES_NO_PURPOSES)
@pytest.mark.parametrize("value", ["yes", "no", "undecided"])
def test_a_quoted_consent_is_read_as_written(purpose: str, value: str) -> None:
    for quoted in (f"'{value}'", f'"{value}"'):
        answers = read(f"schema: {V11}\nconsent:\n  {purpose}: {quoted}\n")
        assert answers.consent_for(purpose) == value


@pytest.mark.parametrize("purpose", YES_NO_PURPOSES)
@pytest.mark.parametrize("written", ["'Yes'", "'true'", "y", "1", "0", "maybe", "[yes]", "{a: 1}"])
def test_a_consent_that_is_not_yes_no_or_undecided_is_refused(purpose: str, written: str) -> None:
    problem = one_problem(f"schema: {V11}\nconsent:\n  {purpose}: {written}\n")
    assert problem.key == f"consent.{purpose}"
    assert problem.path == f"consent.{purpose}"
    assert problem.line == 3
    assert "one of yes, no, undecided" in problem.message
    assert problem.code in ("type", "value")


@pytest.mark.parametrize("written", ["yes", "true", "on", "'yes'"])
def test_who_gave_consent_and_when_are_never_booleans(written: str) -> None:
    given_by = one_problem(f"schema: {V11}\nconsent:\n  given_by: {written}\n")
    assert given_by.key == "consent.given_by"
    assert "one of person, family, representative" in given_by.message
    date = one_problem(f"schema: {V11}\nconsent:\n  date: {written}\n")
    assert date.key == "consent.date"
    assert "YYYY-MM-DD" in date.message


@pytest.mark.parametrize("key", BOOL_KEYS)
@pytest.mark.parametrize(
    ("written", "meant"),
    [*((w, m == "yes") for w, m in YAML_BOOLEANS.items()), ("'yes'", True), ('"no"', False)],
)
def test_a_boolean_key_reads_yaml_booleans_and_a_quoted_yes_or_no(
    key: str, written: str, meant: bool
) -> None:
    # Unquoted: YAML's boolean. Quoted "yes"/"no" (as YAML 1.2 writers quote them): as meant.
    assert getattr(read(f"schema: {V11}\n{key}: {written}\n"), key) is meant


@pytest.mark.parametrize("key", BOOL_KEYS)
@pytest.mark.parametrize(
    "written", ["'true'", "'Yes'", "'on'", "undecided", "1", "0", "[true]", "''"]
)
def test_a_boolean_key_refuses_anything_else(key: str, written: str) -> None:
    problem = one_problem(f"schema: {V11}\n{key}: {written}\n")
    assert (problem.key, problem.code, problem.line, problem.path) == (key, "type", 2, key)
    assert problem.message.endswith("is not true or false")


@pytest.mark.parametrize("key", BOOL_KEYS)
def test_a_json_boolean_key_takes_true_and_false_only(key: str) -> None:
    assert getattr(read(json.dumps({"schema": V11, key: True}), "a.json"), key) is True
    assert getattr(read(json.dumps({"schema": V11, key: False}), "a.json"), key) is False
    assert one_problem(json.dumps({"schema": V11, key: 1})).code == "type"


# -- enums and lists --------------------------------------------------------------------------


@pytest.mark.parametrize("key", ENUM_KEYS)
def test_every_enum_value_is_read_and_a_near_miss_refused(key: str) -> None:
    spec = ANSWER_KEYS[key]
    for value in spec.values:
        assert getattr(read(f"schema: {V11}\n{key}: '{value}'\n"), key) == value
    problem = one_problem(f"schema: {V11}\n{key}: '{spec.values[0].upper()}x'\n")
    assert (problem.key, problem.code, problem.line) == (key, "value", 2)
    assert problem.message.endswith(spec.describe())
    number = one_problem(f"schema: {V11}\n{key}: 3\n")
    assert number.code == "type" and "is not text" in number.message


@pytest.mark.parametrize("key", LIST_KEYS)
def test_a_list_reads_every_item_in_order_without_repeats(key: str) -> None:
    values = ANSWER_KEYS[key].values
    written = [*reversed(values), values[0]]
    answers = read(f"schema: {V11}\n{key}: {json.dumps(written)}\n")
    assert getattr(answers, key) == tuple(reversed(values))
    assert answers.get(key) == tuple(reversed(values))


@pytest.mark.parametrize("key", LIST_KEYS)
def test_a_single_string_is_a_one_item_list(key: str) -> None:
    value = ANSWER_KEYS[key].values[-1]
    assert getattr(read(f"schema: {V11}\n{key}: {value}\n"), key) == (value,)


@pytest.mark.parametrize("key", LIST_KEYS)
def test_a_wrong_list_item_is_refused_at_its_index(key: str) -> None:
    good = ANSWER_KEYS[key].values[0]
    problem = one_problem(f"schema: {V11}\n{key}:\n  - {good}\n  - nonsense\n")
    assert (problem.key, problem.code, problem.path, problem.line) == (
        key,
        "value",
        f"{key}[1]",
        4,
    )
    assert problem.message == f"'nonsense' is not {ANSWER_KEYS[key].describe()}"
    item = one_problem(f"schema: {V11}\n{key}: [{good}, 3]\n")
    assert item.path == f"{key}[1]"
    mapping = one_problem(f"schema: {V11}\n{key}: {{a: 1}}\n")
    assert (mapping.code, mapping.path) == ("type", key)
    assert "is not a list" in mapping.message


@pytest.mark.parametrize("key", [k for k in LIST_KEYS if k not in EMPTY_LIST_ANSWERS])
def test_an_empty_list_counts_as_absent(key: str) -> None:
    answers = read(f"schema: {V11}\n{key}: []\n")
    assert getattr(answers, key) == ()
    assert answers.get(key) is None
    assert key not in answers.present()


@pytest.mark.parametrize("key", sorted(EMPTY_LIST_ANSWERS))
def test_an_empty_list_is_an_answer_where_none_is_one(key: str) -> None:
    # "Who else could be harmed?" with nothing ticked: no one, not unknown (issue 25).
    answers = read(f"schema: {V11}\n{key}: []\n")
    assert answers.get(key) == ()
    assert key in answers.present()


# -- free text, case id, dates ----------------------------------------------------------------


def test_notes_at_the_limit_are_kept_and_one_more_character_is_refused() -> None:
    at_limit = "é" * NOTES_MAX_CHARS
    assert read(json.dumps({"schema": V11, "notes": at_limit})).notes == at_limit
    problem = one_problem(json.dumps({"schema": V11, "notes": at_limit + "x"}))
    assert (problem.key, problem.code) == ("notes", "value")
    assert problem.message == f"is {NOTES_MAX_CHARS + 1} characters long: at most {NOTES_MAX_CHARS}"
    assert one_problem(f"schema: {V11}\nnotes: 12\n").code == "type"


@pytest.mark.parametrize(
    "case_id",
    ["a", "Z", "0", "a" * 64, "A1.b_c-d", "9-" + "x" * 62, "2026.11.30"],
)
def test_a_valid_case_id_is_kept(case_id: str) -> None:
    assert read(json.dumps({"schema": V11, "case_id": case_id})).case_id == case_id


@pytest.mark.parametrize(
    "case_id",
    ["", "a" * 65, ".a", "-a", "_a", "a b", "a/b", "../x", "a\n", "é", 12],
)
def test_an_invalid_case_id_is_refused_with_the_pattern(case_id: object) -> None:
    problem = one_problem(json.dumps({"schema": V11, "case_id": case_id}))
    assert (problem.key, problem.code) == ("case_id", "value")
    assert "is not a valid case id" in problem.message
    assert "at most 64 characters" in problem.message


@pytest.mark.parametrize(
    ("written", "meant"),
    [("2017", "2017"), ("'2017'", "2017"), ("2017-03", "2017-03"), ("2017-03-31", "2017-03-31"),
     ("2016-02-29", "2016-02-29"), (str(EARLIEST_INCIDENT_YEAR), str(EARLIEST_INCIDENT_YEAR))],
)  # fmt: skip
def test_an_incident_date_of_each_form_is_kept(written: str, meant: str) -> None:
    assert read(f"schema: {V11}\nincident_date: {written}\n").incident_date == meant


@pytest.mark.parametrize(
    ("written", "says"),
    [("1944", "before 1945"), ("1944-12-31", "before 1945"),
     ("2017-02-30", "is not a date that exists"), ("2017-13", "YYYY, YYYY-MM or YYYY-MM-DD"),
     ("17", "YYYY, YYYY-MM or YYYY-MM-DD"),
     ("999", "YYYY, YYYY-MM or YYYY-MM-DD"), ("10000", "YYYY, YYYY-MM or YYYY-MM-DD"),
     ("1000", "is before 1945"),
     ("2017-3", "YYYY, YYYY-MM or YYYY-MM-DD"), ("true", "YYYY, YYYY-MM or YYYY-MM-DD"),
     ("2017-03-01T10:00:00", "YYYY, YYYY-MM or YYYY-MM-DD"), ("9999", "in the future")],
)  # fmt: skip
def test_an_impossible_incident_date_is_refused_saying_why(written: str, says: str) -> None:
    problem = one_problem(f"schema: {V11}\nincident_date: {written}\n")
    assert (problem.key, problem.line) == ("incident_date", 2)
    assert says in problem.message


def test_an_incident_date_of_today_is_kept_and_tomorrow_refused() -> None:
    today = dt.date.today()
    assert read(f"schema: {V11}\nincident_date: {today}\n").incident_date == today.isoformat()
    tomorrow = today + dt.timedelta(days=1)
    assert "in the future" in one_problem(f"schema: {V11}\nincident_date: {tomorrow}\n").message
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).strftime("%Y-%m")
    assert "in the future" in one_problem(f"schema: {V11}\nincident_date: {next_month}\n").message


@pytest.mark.parametrize("written", ["2026-03-01", "'2026-03-01'", "2024-02-29"])
def test_a_consent_date_is_a_day_that_exists(written: str) -> None:
    answers = read(f"schema: {V11}\nconsent:\n  date: {written}\n")
    assert answers.consent_date == written.strip("'")


@pytest.mark.parametrize(
    ("written", "says"),
    [("2026-02-30", "is not a date that exists"), ("2026-03", "YYYY-MM-DD"),
     ("2026", "YYYY-MM-DD"), ("2026-03-01 10:00:00", "YYYY-MM-DD"), ("26-03-01", "YYYY-MM-DD")],
)  # fmt: skip
def test_a_consent_date_that_is_not_a_day_is_refused(written: str, says: str) -> None:
    problem = one_problem(f"schema: {V11}\nconsent:\n  date: {written}\n")
    assert (problem.key, problem.line, problem.path) == ("consent.date", 3, "consent.date")
    assert says in problem.message


# -- the document as a whole ------------------------------------------------------------------


def test_schema_is_required_and_must_be_a_known_version() -> None:
    missing = one_problem("region: africa\n")
    assert (missing.key, missing.code) == ("schema", "schema")
    assert f"missing 'schema: {V11}'" in missing.message
    unknown = one_problem("schema: reprisal-cli/answers/v2\n")
    assert (unknown.key, unknown.code, unknown.line) == ("schema", "schema", 1)
    assert f"this version reads {V1}, {V11}" in unknown.message
    assert read(f"schema: {V1}\n").schema_ == V11
    assert read(f"schema: {V11}\n") == Answers()


@pytest.mark.parametrize("text", ["", "[]", "- a\n", "just text\n", "42\n"])
def test_a_document_that_is_not_a_mapping_is_refused_with_a_hint(text: str) -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers(text.encode(), "a.yaml")
    [problem] = caught.value.problems
    assert problem.code == "type"
    assert "must be a mapping of answers" in problem.message
    assert f"schema: {V11}" in str(caught.value.hint)


def test_unknown_keys_are_refused_each_with_its_line_and_the_allowed_keys() -> None:
    found = refused(f"schema: {V11}\nregoin: africa\nconsent:\n  publicty: 'yes'\n")
    assert [(p.key, p.code, p.line) for p in found] == [
        ("regoin", "unknown_key", 2),
        ("consent.publicty", "unknown_key", 4),
    ]
    assert "allowed: schema, case_id, respondent" in found[0].message
    assert "allowed: publicity, share_with_un" in found[1].message
    # The v1.1 purposes exist only inside the mapping.
    flat = one_problem(f"schema: {V11}\nconsent_share_with_states: 'yes'\n")
    assert flat.code == "unknown_key"


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    found = refused(f"schema: {V11}\nregion: mars\nstage: 3\nimmediate_danger: maybe\n")
    assert [(p.key, p.line) for p in found] == [
        ("region", 2),
        ("stage", 3),
        ("immediate_danger", 4),
    ]


def test_a_key_with_nothing_after_it_is_not_known() -> None:
    keys = [k for k in FILE_KEYS if k not in ("consent",)]
    text = f"schema: {V11}\n" + "".join(f"{k}:\n" for k in keys) + "consent:\n  publicity:\n"
    assert read(text) == Answers()


def test_the_consent_mapping_must_be_a_mapping() -> None:
    problem = one_problem(f"schema: {V11}\nconsent: 'yes'\n")
    assert (problem.key, problem.code, problem.line) == ("consent", "type", 2)
    assert "is not a mapping with the keys publicity, share_with_un" in problem.message


def test_a_v1_key_and_the_mapping_that_agree_are_one_consent_and_disagree_are_refused() -> None:
    same = read(f"schema: {V11}\nconsent_publicity: no\nconsent:\n  publicity: 'no'\n")
    assert same.consent_publicity == "no"
    problem = one_problem(f"schema: {V11}\nconsent_publicity: no\nconsent:\n  publicity: 'yes'\n")
    assert (problem.key, problem.code, problem.path) == (
        "consent.publicity",
        "conflict",
        "consent.publicity",
    )
    assert problem.message.startswith("consent_publicity: 'no' and consent.publicity: 'yes'")


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed() -> None:
    text = f"schema: {V11}\nnotes: '" + "x" * MAX_ANSWERS_BYTES + "'\n"
    [problem] = refused(text, "big.yaml")
    assert problem.file == "big.yaml"
    assert problem.message == f"is larger than the limit of {MAX_ANSWERS_BYTES // 1024} KiB"
    exact = f"schema: {V11}\n".encode()
    exact += b"#" * (MAX_ANSWERS_BYTES - len(exact))
    assert parse_answers(exact, "a.yaml") == Answers()
    assert parse_answers(exact.decode(), "a.yaml") == Answers()


def test_answers_from_data_reads_a_parsed_record() -> None:
    answers = answers_from_data({"schema": V11, "region": "africa", "reprisals": "threats"}, "r")
    assert (answers.region, answers.reprisals) == ("africa", ("threats",))
    with pytest.raises(AnswersError) as caught:
        answers_from_data({"schema": V11, "region": "mars"}, "line 3")
    assert caught.value.problems[0].file == "line 3"


# -- written back -----------------------------------------------------------------------------


FULL = (
    f"schema: {V11}\ncase_id: c-1\nrespondent: self\nprofile: [journalist, lawyer]\n"
    "region: africa\nstage: reprisal_suffered\nreprisals: [threats]\nincident_date: 2017-03\n"
    "immediate_danger: false\nlocation: abroad\ndevices_compromised: true\n"
    "others_at_risk: [family]\ntravel_planned: no\nnotes: 'a note: yes'\n"
    "consent:\n  publicity: no\n  share_with_un: yes\n  share_with_regional: undecided\n"
    "  share_with_states: no\n  sg_report: anonymous\n  given_by: person\n  date: 2026-03-01\n"
)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_written_answers_read_back_the_same_with_consents_in_the_mapping(fmt: str) -> None:
    answers = read(FULL)
    text = dump_answers(answers, fmt)
    assert parse_answers(text.encode(), f"a.{fmt}") == answers
    doc = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    assert next(iter(doc)) == "schema" and list(doc)[-2:] == ["consent", "notes"]
    assert doc["consent"] == {
        "publicity": "no",
        "share_with_un": "yes",
        "share_with_regional": "undecided",
        "share_with_states": "no",
        "sg_report": "anonymous",
        "given_by": "person",
        "date": "2026-03-01",
    }
    assert doc["profile"] == ["journalist", "lawyer"]
    assert doc["travel_planned"] is False and doc["devices_compromised"] is True
    assert not any(k.startswith("consent_") for k in doc)


def test_yaml_output_quotes_yes_and_no_so_yaml_1_1_keeps_them_text() -> None:
    text = dump_answers(read(FULL))
    assert "publicity: 'no'" in text and "share_with_un: 'yes'" in text
    assert dump_answers(read(FULL), "yaml") == text


def test_json_output_is_indented_and_ends_with_a_newline() -> None:
    text = dump_answers(read(f"schema: {V11}\nnotes: é\n"), "json")
    assert text == '{\n  "schema": "' + V11 + '",\n  "notes": "é"\n}\n'


def test_redacted_answers_drop_only_the_free_text() -> None:
    answers = read(FULL)
    redacted = answers.redacted()
    assert (redacted.notes, redacted.case_id) == (None, None)
    assert redacted.present() == {
        k: v for k, v in answers.present().items() if k not in ("notes", "case_id")
    }


@given(
    st.fixed_dictionaries(
        {},
        optional={
            key: (
                st.booleans()
                if spec.type == "bool"
                else st.lists(st.sampled_from(spec.values), unique=True).map(tuple)
                if spec.type == "list"
                else st.sampled_from(spec.values)
            )
            for key, spec in ANSWER_KEYS.items()
            if spec.type in ("bool", "list", "enum")
        },
    )
)
def test_any_answers_read_back_unchanged_from_yaml_and_json(values: dict[str, object]) -> None:
    answers = Answers(**values)  # type: ignore[arg-type]
    for fmt in ("yaml", "json"):
        assert parse_answers(dump_answers(answers, fmt).encode(), f"a.{fmt}") == answers


def test_a_long_value_is_shown_cut_to_forty_characters() -> None:
    exact = "x" * 38  # its repr, quotes included, is 40 characters: shown whole
    assert f"'{exact}' is not one of" in one_problem(f"schema: {V11}\nregion: {exact}\n").message
    longer = "y" * 39
    cut = one_problem(f"schema: {V11}\nregion: {longer}\n").message
    assert cut.startswith("'" + "y" * 36 + "... is not one of")


def test_yaml_output_keeps_letters_and_long_lines_as_written() -> None:
    note = "Une note écrite en français, assez longue pour dépasser quatre-vingts caractères ici."
    text = dump_answers(read(json.dumps({"schema": V11, "notes": note})))
    assert f"notes: {note}\n" in text
    assert text.startswith(f"schema: {V11}\n")


def test_an_answers_file_is_read_from_its_path_under_its_own_name_or_another(
    tmp_path: Path,
) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(f"schema: {V11}\nregion: africa\n", encoding="utf-8")
    assert load_answers(path).region == "africa"
    assert read_answers(path).region == "africa"
    path.write_text(f"schema: {V11}\nregion: mars\n", encoding="utf-8")
    with pytest.raises(AnswersError) as caught:
        load_answers(path)
    assert caught.value.problems[0].file == str(path)
    with pytest.raises(AnswersError) as renamed:
        load_answers(path, name="shown.yaml")
    assert renamed.value.problems[0].file == "shown.yaml"
    path.write_bytes(b"#" * (MAX_ANSWERS_BYTES + 1))
    with pytest.raises(AnswersError) as big:
        load_answers(path)
    assert "larger than" in big.value.problems[0].message


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_answers_are_read_from_standard_input_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, f"schema: {V11}\nstage: engaged\n".encode())
    assert read_answers(Path("-")).stage == "engaged"
    _stdin(monkeypatch, f"schema: {V11}\nstage: later\n".encode())
    with pytest.raises(AnswersError) as caught:
        read_answers(Path("-"))
    assert caught.value.problems[0].file == "<stdin>"
    # A stream one byte over the limit is refused; one at the limit is read.
    at_limit = f"schema: {V11}\n".encode()
    at_limit += b"#" * (MAX_ANSWERS_BYTES - len(at_limit))
    _stdin(monkeypatch, at_limit)
    assert read_answers(Path("-")) == Answers()
    _stdin(monkeypatch, at_limit + b"#")
    with pytest.raises(AnswersError) as big:
        read_answers(Path("-"))
    assert big.value.problems[0].message.startswith("is larger than the limit")


def test_yaml_output_folds_long_notes_near_a_hundred_columns() -> None:
    # PyYAML folds a plain scalar at the first space past the width (100): one column over at
    # most with two-letter words.
    note = "xxxx " + " ".join(["ab"] * 60)
    text = dump_answers(read(json.dumps({"schema": V11, "notes": note})))
    lines = text.splitlines()
    assert len(lines) > 2
    assert max(len(line) for line in lines) == 101
    assert yaml.safe_load(text)["notes"] == note


def test_the_document_holds_lists_for_yaml_and_json_writers() -> None:
    doc = read(FULL).to_document()
    assert doc["profile"] == ["journalist", "lawyer"]
    assert all(type(doc[k]) is list for k in ("profile", "reprisals", "others_at_risk"))
    assert "notes" in doc and next(reversed(doc)) == "notes"


class _CountingStream(io.BytesIO):
    """Standard input that records how much each read asked for."""

    asked: list[int | None]

    def read(self, size: int | None = -1, /) -> bytes:
        self.asked.append(size)
        return super().read(size)


def test_standard_input_is_read_one_byte_past_the_limit_at_most(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = _CountingStream(f"schema: {V11}\n".encode() + b"#" * (3 * MAX_ANSWERS_BYTES))
    stream.asked = []
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream, encoding="utf-8"))
    with pytest.raises(AnswersError):
        read_answers(Path("-"))
    assert stream.asked == [MAX_ANSWERS_BYTES + 1]


@pytest.mark.parametrize(
    ("key", "shown"), [("1.5", "1.5"), ("null", "None"), ("2026-01-01", "2026-01-01")]
)
def test_a_key_that_is_not_text_is_refused_at_the_nearest_place_that_can_be_named(
    key: str, shown: str
) -> None:
    top = one_problem(f"schema: {V11}\n{key}: x\n")
    assert (top.code, top.path, top.key) == ("unknown_key", "", shown)
    inside = one_problem(f"schema: {V11}\nconsent:\n  {key}: 'yes'\n")
    assert (inside.code, inside.path, inside.key) == ("unknown_key", "consent", f"consent.{shown}")


def test_every_key_of_the_consent_mapping_is_read_past_an_empty_or_wrong_one() -> None:
    answers = read(
        f"schema: {V11}\nconsent:\n  publicity:\n  share_with_un: 'yes'\n  sg_report: named\n"
    )
    assert (answers.consent_publicity, answers.consent_share_with_un) == (None, "yes")
    assert answers.consent_sg_report == "named"
    found = refused(
        f"schema: {V11}\nconsent:\n  publicty: 'yes'\n  share_with_un: maybe\n  date: x\n"
    )
    assert [(p.key, p.code) for p in found] == [
        ("consent.publicty", "unknown_key"),
        ("consent.share_with_un", "value"),
        ("consent.date", "value"),
    ]


@pytest.mark.parametrize(
    ("key", "written", "shown"),
    [
        *((key, "undecided", "'undecided'") for key in BOOL_KEYS),
        *((key, "3", "3") for key in ENUM_KEYS),
        *((key, "{a: 1}", "{'a': 1}") for key in LIST_KEYS),
        *((key, "3", "3") for key in ("state", "residence")),
    ],
)
def test_a_value_of_the_wrong_type_is_named_in_its_refusal(
    key: str, written: str, shown: str
) -> None:
    # The person must see what they wrote, not a placeholder.
    problem = one_problem(f"schema: {V11}\n{key}: {written}\n")
    assert problem.code == "type"
    assert problem.message.startswith(f"{shown} is not "), problem.message


@pytest.mark.parametrize("key", ["state", "residence"])
def test_an_unquoted_no_for_a_country_is_a_wrong_type_with_the_fix(key: str) -> None:
    problem = one_problem(f"schema: {V11}\n{key}: NO\n")
    assert (problem.key, problem.code, problem.line) == (key, "type", 2)
    assert problem.message.startswith("false is not ")
    assert problem.message.endswith(
        "; YAML reads an unquoted NO as false: for Norway write 'NO' in quotes"
    )


@pytest.mark.parametrize(
    ("key", "written"), [("state", "ZZ"), ("residence", "ZZ"), ("case_id", "-bad id")]
)
def test_a_wrong_value_is_named_in_its_refusal(key: str, written: str) -> None:
    problem = one_problem(f"schema: {V11}\n{key}: '{written}'\n")
    assert (problem.key, problem.code) == (key, "value")
    assert problem.message.startswith(f"{written!r} is not "), problem.message


@pytest.mark.parametrize(("written", "shown"), [("10000", "10000"), ("'2017-3'", "'2017-3'")])
def test_an_incident_date_of_the_wrong_form_is_named_as_written(written: str, shown: str) -> None:
    # A number of more than four digits is no year: shown as the number written.
    problem = one_problem(f"schema: {V11}\nincident_date: {written}\n")
    assert problem.message.startswith(f"{shown} is not "), problem.message


def test_a_consent_date_of_the_wrong_form_is_named_in_its_refusal() -> None:
    problem = one_problem(f"schema: {V11}\nconsent:\n  date: 'March'\n")
    assert (problem.key, problem.code) == ("consent.date", "value")
    assert problem.message.startswith("'March' is not "), problem.message


@pytest.mark.parametrize(
    ("text", "what"), [("", "empty"), ("- a\n", "a list"), ("just text\n", "a str")]
)
def test_a_document_that_is_not_a_mapping_says_what_it_is(text: str, what: str) -> None:
    problem = one_problem(text)
    assert problem.message.endswith(f"must be a mapping of answers, not {what}"), problem.message


def test_notes_that_are_not_text_are_named_in_the_refusal() -> None:
    problem = one_problem(f"schema: {V11}\nnotes: 3\n")
    assert (problem.key, problem.code, problem.message) == ("notes", "type", "3 is not text")


def test_the_keys_after_one_with_nothing_after_it_are_read() -> None:
    answers = read(f"schema: {V11}\nstage:\nlocation: abroad\nimmediate_danger: true\n")
    assert (answers.stage, answers.location, answers.immediate_danger) == (None, "abroad", True)


def test_an_unknown_schema_is_named_in_its_refusal() -> None:
    problem = one_problem("schema: reprisal-cli/answers/v2\n")
    assert problem.message.startswith("unknown schema 'reprisal-cli/answers/v2': "), problem.message


def test_a_v1_key_after_the_mapping_that_disagrees_is_refused_at_the_v1_key() -> None:
    problem = one_problem(
        f"schema: {V11}\nconsent:\n  share_with_un: 'yes'\nconsent_share_with_un: no\n"
    )
    assert (problem.key, problem.code, problem.line) == ("consent_share_with_un", "conflict", 4)
    assert problem.message.startswith(
        "consent.share_with_un: 'yes' and consent_share_with_un: 'no'"
    )
