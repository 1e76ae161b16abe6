"""Consent by purpose in the answers file (contract §1, v1.1): the `consent` mapping and its
defaults, v1 files read as before, a v1 key that contradicts the mapping refused with both keys
named, and a key given twice in a JSON object refused wherever JSON is read (a file, a batch JSON
Lines record, an encrypted answers file): a repeated key must never flip a consent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reprisal_cli.answers import dump_answers, parse_answers
from reprisal_cli.contract import CONSENT_KEYS
from reprisal_cli.errors import AnswersError
from test_safety_support import (
    PASSPHRASE,
    age_encrypt_with_passphrase,
    cli,
    in_process,
    need_age,
)

V1 = "reprisal-cli/answers/v1"
V11 = "reprisal-cli/answers/v1.1"


def parse(text: str) -> object:
    return parse_answers(text.encode(), "a.yaml")


def problems(text: str, name: str = "a.yaml") -> list[str]:
    with pytest.raises(AnswersError) as caught:
        parse_answers(text.encode(), name)
    return [str(p) for p in caught.value.problems]


def test_v1_keys_still_read_and_give_the_contract_defaults() -> None:
    answers = parse_answers(
        f"schema: {V1}\nconsent_publicity: no\nconsent_share_with_un: yes\n".encode(), "a"
    )
    assert answers.consent_for("publicity") == "no"
    assert answers.consent_for("share_with_un") == "yes"
    # Regional bodies and States follow the UN answer; the report is undecided without publicity.
    assert answers.consent_for("share_with_regional") == "yes"
    assert answers.consent_for("share_with_states") == "yes"
    assert answers.consent_for("sg_report") == "undecided"
    with_publicity = parse_answers(f"schema: {V1}\nconsent_publicity: 'yes'\n".encode(), "a")
    assert with_publicity.consent_for("sg_report") == "named"
    nothing = parse_answers(f"schema: {V1}\n".encode(), "a")
    assert [nothing.consent_for(p) for p in ("share_with_regional", "share_with_states")] == [
        None,
        None,
    ]


def test_the_mapping_gives_each_purpose_and_who_gave_it_and_when() -> None:
    answers = parse_answers(
        (
            f"schema: {V11}\n"
            "consent:\n"
            "  publicity: no\n"  # an unquoted YAML 1.1 boolean, read as meant
            "  share_with_un: 'yes'\n"
            "  share_with_regional: no\n"
            "  share_with_states: undecided\n"
            "  share_with_government: no\n"
            "  sg_report: anonymous\n"
            "  given_by: family\n"
            "  date: 2026-03-01\n"  # an unquoted YAML date
        ).encode(),
        "a",
    )
    assert {p: answers.consent_for(p) for p in CONSENT_KEYS if p not in ("given_by", "date")} == {
        "publicity": "no",
        "share_with_un": "yes",
        "share_with_regional": "no",
        "share_with_states": "undecided",
        "share_with_government": "no",
        "sg_report": "anonymous",
    }
    assert answers.consent_given_by == "family"
    assert answers.consent_date == "2026-03-01"


def test_written_answers_use_the_mapping_and_read_back_the_same() -> None:
    answers = parse_answers(
        f"schema: {V1}\nconsent_publicity: no\nconsent_share_with_un: undecided\n"
        "stage: engaged\nnotes: hello\n".encode(),
        "a",
    )
    for fmt in ("yaml", "json"):
        text = dump_answers(answers, fmt)
        again = parse_answers(text.encode(), "b")
        assert again == answers
        data = json.loads(text) if fmt == "json" else None
        if data is not None:
            assert data["schema"] == V11
            assert data["consent"] == {"publicity": "no", "share_with_un": "undecided"}
            assert "consent_publicity" not in data


@pytest.mark.parametrize(
    ("v1_key", "purpose", "v1_value", "mapped"),
    [
        ("consent_publicity", "publicity", "no", "yes"),
        ("consent_share_with_un", "share_with_un", "undecided", "no"),
    ],
)
def test_a_v1_key_that_contradicts_the_mapping_is_refused_naming_both(
    v1_key: str, purpose: str, v1_value: str, mapped: str
) -> None:
    text = f"schema: {V11}\n{v1_key}: '{v1_value}'\nconsent:\n  {purpose}: '{mapped}'\n"
    [message] = problems(text)
    assert message.startswith("a.yaml:4:")
    assert f"{v1_key}: '{v1_value}'" in message
    assert f"consent.{purpose}: '{mapped}'" in message
    # Both saying the same thing is fine.
    same = f"schema: {V11}\n{v1_key}: '{v1_value}'\nconsent:\n  {purpose}: '{v1_value}'\n"
    assert parse_answers(same.encode(), "a").consent_for(purpose) == v1_value


def test_the_mapping_refuses_unknown_keys_and_values_with_their_place() -> None:
    found = problems(
        f"schema: {V11}\nconsent:\n  publicty: yes\n  sg_report: 'yes'\n  date: '2026-02-30'\n"
    )
    assert "a.yaml:3:3 consent.publicty: unknown key 'publicty' in 'consent'" in found[0]
    assert "allowed: publicity, share_with_un" in found[0]
    assert found[1].startswith("a.yaml:4:3 consent.sg_report: 'yes' is not one of named")
    assert found[2].startswith("a.yaml:5:3 consent.date: '2026-02-30' is not a date that exists")
    [top_level] = problems(f"schema: {V11}\nconsent_share_with_states: 'no'\n")
    assert "unknown key 'consent_share_with_states'" in top_level
    [not_a_mapping] = problems(f"schema: {V11}\nconsent: 'yes'\n")
    assert "consent: 'yes' is not a mapping with the keys publicity" in not_a_mapping


def test_a_json_key_given_twice_is_refused_with_its_line() -> None:
    text = (
        '{"schema": "reprisal-cli/answers/v1",\n'
        ' "consent_publicity": "no",\n'
        ' "consent_publicity": "yes"}\n'
    )
    [message] = problems(text, "a.json")
    assert message == (
        "a.json:3 consent_publicity: the key 'consent_publicity' is given twice in one object; "
        "give it once"
    )
    nested = (
        '{"schema": "reprisal-cli/answers/v1.1",\n'
        ' "consent": {"publicity": "no", "publicity": "yes"}}'
    )
    [inner] = problems(nested, "b.json")
    assert "the key 'publicity' is given twice" in inner


def test_duplicate_keys_in_a_json_lines_record_give_its_error_record() -> None:
    lines = (
        '{"schema": "reprisal-cli/answers/v1", "case_id": "fine"}\n'
        '{"schema": "reprisal-cli/answers/v1", "consent_share_with_un": "no", '
        '"consent_share_with_un": "yes"}\n'
    )
    done = cli("batch", "-", "--format", "jsonl", "-o", "-", "--as-of", "2026-12-02",
               stdin=lines.encode())  # fmt: skip
    assert done.returncode == 1, done.stderr
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert records[0]["schema"].startswith("reprisal-cli/plan/")
    assert records[1]["schema"] == "reprisal-cli/error/v1"
    assert records[1]["input"] == "stdin:2"
    assert records[1]["error"]["key"] == "consent_share_with_un"
    assert "given twice" in records[1]["error"]["message"]


def test_duplicate_keys_in_encrypted_answers_are_refused(tmp_path: Path) -> None:
    need_age()
    plain = tmp_path / "answers.json"
    plain.write_text(
        '{"schema": "reprisal-cli/answers/v1", "consent_publicity": "no", '
        '"consent_publicity": "yes"}\n',
        encoding="utf-8",
    )
    locked = tmp_path / "answers.json.age"
    age_encrypt_with_passphrase(plain, locked)
    passfile = tmp_path / "pass.txt"
    passfile.write_text(PASSPHRASE + "\n", encoding="utf-8")
    done = cli("open", locked, "--passphrase-file", passfile, "-f", "md")
    assert done.returncode == 1, done.stderr
    assert b"given twice" in done.stderr
    assert b"Traceback" not in done.stderr


YES_NO_PURPOSES = ("publicity", "share_with_un", "share_with_regional", "share_with_states")


@pytest.mark.parametrize("purpose", YES_NO_PURPOSES)
@pytest.mark.parametrize(
    ("written", "meant"),
    [("yes", "yes"), ("no", "no"), ("Yes", "yes"), ("NO", "no"), ("true", "yes"),
     ("false", "no"), ("on", "yes"), ("off", "no"), ("'yes'", "yes"), ("'no'", "no"),
     ("undecided", "undecided")],
)  # fmt: skip
def test_every_consent_reads_yaml_booleans_as_their_writer_meant(
    purpose: str, written: str, meant: str
) -> None:
    # YAML 1.1 reads an unquoted yes/no/on/off as a boolean: a consent must still mean what was
    # written, in the mapping and in the v1 key alike (never "no" read as "yes").
    mapped = parse_answers(f"schema: {V11}\nconsent:\n  {purpose}: {written}\n".encode(), "a")
    assert mapped.consent_for(purpose) == meant
    v1_key = f"consent_{purpose}"
    if v1_key in ("consent_publicity", "consent_share_with_un"):
        flat = parse_answers(f"schema: {V1}\n{v1_key}: {written}\n".encode(), "a")
        assert flat.consent_for(purpose) == meant


@pytest.mark.parametrize(
    ("written", "meant"),
    [("named", "named"), ("anonymous", "anonymous"), ("no", "no"), ("off", "no"),
     ("undecided", "undecided")],
)  # fmt: skip
def test_the_report_consent_reads_an_unquoted_no_as_no(written: str, meant: str) -> None:
    answers = parse_answers(f"schema: {V11}\nconsent:\n  sg_report: {written}\n".encode(), "a")
    assert answers.consent_for("sg_report") == meant


@pytest.mark.parametrize("written", ["yes", "true", "'yes'", "1", "[named]"])
def test_the_report_consent_refuses_a_bare_yes(written: str) -> None:
    # "yes" does not say with or without names: the file must say which.
    [message] = problems(f"schema: {V11}\nconsent:\n  sg_report: {written}\n")
    assert "consent.sg_report" in message
    assert "one of named, anonymous, no, undecided" in message


def test_schema_answers_shows_the_consent_mapping() -> None:
    from typer.testing import CliRunner

    from reprisal_cli.cli import app

    result = CliRunner().invoke(app, ["schema", "answers"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    consent = schema["properties"]["consent"]
    assert list(consent["properties"]) == list(CONSENT_KEYS)
    assert consent["additionalProperties"] is False
    assert "consent_share_with_states" not in schema["properties"]
    assert schema["properties"]["schema"]["enum"] == [V1, V11]


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar", "ru", "zh"])
def test_special_procedures_steps_say_when_letters_become_public(lang: str, tmp_path: Path) -> None:
    """A person who has not agreed to publicity must learn, before sending, that a letter is
    published about 60 days after it is sent and that the name can be left out (issue 18)."""
    # The special procedures' own step, and (with a detention) the urgent appeal it joins.
    for reprisal, step_id in (
        ("threats", "notify_special_procedures"),
        ("detention", "urgent_appeal_special_procedures"),
    ):
        answers = tmp_path / f"{reprisal}.yaml"
        answers.write_text(
            "schema: reprisal-cli/answers/v1.1\n"
            f"engagement: special_procedures\nstage: reprisal_suffered\nreprisals: [{reprisal}]\n"
            "consent: {publicity: 'no', share_with_un: 'yes'}\n",
            encoding="utf-8",
        )
        # in this process: the text is the point, and a process costs a second per language
        result = in_process(
            "plan", str(answers), "--format", "json", "--lang", lang, "--as-of", "2026-12-02"
        )
        assert result.returncode == 0, result.stderr
        steps = {step["id"]: step for step in json.loads(result.stdout)["steps"]}
        assert "60" in steps[step_id]["detail"], (lang, step_id)
