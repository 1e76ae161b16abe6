"""The answers file (`reprisal-cli/answers/v1.1`, contract §1): model, loading, writing.

Loading never raises anything but `AnswersError`, whose problems name the file, line, key and the
allowed values.

Consent by purpose (v1.1) is written in files as the `consent` mapping, or for two purposes as the
v1 keys `consent_publicity` and `consent_share_with_un`; inside the program each purpose is one
flat field (`consent_<purpose>`). A file that gives one purpose two different values is refused:
nothing may guess which of two consents the person gave.

One check of answers: `check_answer` decides whether a value is an answer for its key (and what
the model holds for it); `answers_from_document` applies it to a whole document, whatever it came
from (a YAML or JSON file, standard input, a batch line, a case file), and the questionnaire to
each answer as it is given. pydantic never validates `Answers`; it only writes its JSON Schema.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from reprisal_cli.contract import (
    ANSWER_KEYS,
    ANSWERS_SCHEMA,
    ANSWERS_SCHEMAS_ACCEPTED,
    CASE_ID_PATTERN,
    CONSENT_KEYS,
    DAY_PATTERN,
    EMPTY_LIST_ANSWERS,
    FILE_KEYS,
    IN_THE_FUTURE,
    INCIDENT_DATE_PATTERN,
    NOTES_MAX_CHARS,
    V1_CONSENT_KEYS,
    Consent,
    Engagement,
    GivenBy,
    KeySpec,
    Location,
    MeasuresBody,
    OtherAtRisk,
    Profile,
    Region,
    Reprisal,
    Respondent,
    SgReport,
    Stage,
    TreatyBody,
    country_codes,
    incident_date_problem,
    is_country_code,
)
from reprisal_cli.documents import Document, PathPart, parse, read_bytes
from reprisal_cli.errors import AnswersError, Problem
from reprisal_cli.records import MaxLen, Record, record
from reprisal_cli.timeutil import latest_day
from reprisal_cli.untrusted import json_escape

MAX_ANSWERS_BYTES = 256 * 1024


@record
class Answers(Record):
    """One case. Absent keys are None (lists: empty), meaning "not asked or not known"; a key
    of `EMPTY_LIST_ANSWERS` is None when absent, and an empty list there is an answer."""

    schema_: str = ANSWERS_SCHEMA
    case_id: str | None = None
    respondent: Respondent | None = None
    profile: tuple[Profile, ...] = ()
    region: Region | None = None
    state: str | None = None
    engagement: tuple[Engagement, ...] = ()
    treaty_body: tuple[TreatyBody, ...] = ()
    individual_complaint: tuple[TreatyBody, ...] = ()
    measures_in_force: tuple[MeasuresBody, ...] = ()
    stage: Stage | None = None
    reprisals: tuple[Reprisal, ...] = ()
    incident_date: str | None = None
    immediate_danger: bool | None = None
    location: Location | None = None
    # (v1.1) The country where the person lives now; may equal `state`.
    residence: str | None = None
    consent_publicity: Consent | None = None
    consent_share_with_un: Consent | None = None
    consent_share_with_regional: Consent | None = None
    consent_share_with_states: Consent | None = None
    consent_share_with_government: Consent | None = None
    consent_sg_report: SgReport | None = None
    consent_given_by: GivenBy | None = None
    consent_date: str | None = None
    devices_compromised: bool | None = None
    others_at_risk: tuple[OtherAtRisk, ...] | None = None
    travel_planned: bool | None = None
    notes: Annotated[str, MaxLen(NOTES_MAX_CHARS)] | None = None

    def get(self, key: str) -> Any:
        """The value of a contract key: None when absent (an empty list counts as absent, except
        for the keys of `EMPTY_LIST_ANSWERS`)."""
        value = getattr(self, key)
        if isinstance(value, tuple) and not value and key not in EMPTY_LIST_ANSWERS:
            return None
        return value

    def present(self) -> dict[str, Any]:
        """The given answers, keyed as in the contract, in contract order."""
        return {k: self.get(k) for k in ANSWER_KEYS if self.get(k) is not None}

    def consent_for(self, purpose: str) -> str | None:
        """The consent in force for a purpose (contract §1), with the contract's defaults:
        regional bodies and States follow the UN answer; the Secretary-General's report is
        `named` with consent to publicity and `undecided` otherwise. The State's own bodies
        (`share_with_government`, an extension of the contract) follow no other answer: asking
        them is not telling the UN or another State. None: not known."""
        given: str | None = getattr(self, CONSENT_KEYS[purpose])
        if given is not None:
            return given
        if purpose in ("share_with_regional", "share_with_states"):
            return self.consent_share_with_un
        if purpose == "sg_report":
            return "named" if self.consent_publicity == "yes" else "undecided"
        return None

    def to_document(self) -> dict[str, Any]:
        """The answers as a contract document (lists as lists), ready for YAML or JSON; every
        consent goes into the `consent` mapping, where it sits after the other answers."""
        out: dict[str, Any] = {"schema": ANSWERS_SCHEMA}
        consent: dict[str, Any] = {}
        flat = {key: purpose for purpose, key in CONSENT_KEYS.items()}
        for key, value in self.present().items():
            if key in flat:
                consent[flat[key]] = value
            elif key == "notes":
                continue
            else:
                out[key] = list(value) if isinstance(value, tuple) else value
        if consent:
            out["consent"] = {p: consent[p] for p in CONSENT_KEYS if p in consent}
        if self.notes is not None:
            out["notes"] = self.notes
        return out

    def redacted(self) -> Answers:
        """The same answers without free text (`notes`, `case_id`)."""
        return replace(self, notes=None, case_id=None)


def load_answers(path: Path, *, name: str | None = None) -> Answers:
    """Read, parse and validate one answers file."""
    raw = read_bytes(path, max_bytes=MAX_ANSWERS_BYTES, error=AnswersError)
    return parse_answers(raw, name or str(path))


def read_answers(path: Path) -> Answers:
    """`load_answers`, or with `-` standard input; a stream is read one byte past the limit at
    most, so a hostile one is refused without being read whole."""
    if str(path) == "-":
        return parse_answers(sys.stdin.buffer.read(MAX_ANSWERS_BYTES + 1), "<stdin>")
    return load_answers(path)


def parse_answers(raw: bytes | str, name: str) -> Answers:
    """Validate the bytes of one answers document (YAML or JSON)."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if len(data) > MAX_ANSWERS_BYTES:
        raise AnswersError(
            [Problem(f"is larger than the limit of {MAX_ANSWERS_BYTES // 1024} KiB", file=name)]
        )
    doc = parse(data, name, error=AnswersError)
    return answers_from_document(doc)


def answers_from_data(data: Any, name: str) -> Answers:
    """Validate already-parsed data (a JSON Lines record, say)."""
    return answers_from_document(Document(name, data))


def answers_from_document(doc: Document) -> Answers:
    """Validate a parsed answers document: every reader of answers ends here."""
    data = doc.data
    if not isinstance(data, Mapping):
        what = "empty" if data is None else f"a {type(data).__name__}"
        raise AnswersError(
            [doc.problem((), f"must be a mapping of answers, not {what}", code="type")],
            hint=f"Start the file with: schema: {ANSWERS_SCHEMA}",
        )
    problems: list[Problem] = []
    clean: dict[str, Any] = {}
    # Where each consent purpose was given: the key as written, for the conflict message.
    consent_from: dict[str, str] = {}
    if "schema" not in data:
        problems.append(
            doc.problem((), f"missing 'schema: {ANSWERS_SCHEMA}'", key="schema", code="schema")
        )
    for key, value in data.items():
        path: list[PathPart] = [key] if isinstance(key, (str, int)) else []
        if key == "schema":
            if value not in ANSWERS_SCHEMAS_ACCEPTED:
                problems.append(
                    doc.problem(
                        path,
                        f"unknown schema {_show(value)}: this version reads "
                        f"{', '.join(ANSWERS_SCHEMAS_ACCEPTED)}",
                        key="schema",
                        code="schema",
                    )
                )
            continue
        spec = FILE_KEYS.get(key) if isinstance(key, str) else None
        if spec is None:
            problems.append(
                doc.problem(
                    path,
                    f"unknown key {_show(key)}; allowed: schema, {', '.join(FILE_KEYS)}",
                    key=str(key),
                    code="unknown_key",
                )
            )
            continue
        if value is None:
            continue  # `key:` with nothing after it: not known
        if spec.type == "mapping":
            _read_consent(doc, value, clean, consent_from, problems)
            continue
        result = _check_value(doc, path, spec.name, value)
        if isinstance(result, Problem):
            problems.append(result)
            continue
        if spec.name in V1_CONSENT_KEYS:
            purpose = V1_CONSENT_KEYS[spec.name]
            _set_consent(doc, purpose, spec.name, result, clean, consent_from, problems)
        else:
            clean[spec.name] = result
    if problems:
        raise AnswersError(problems)
    return Answers(**clean)


def _read_consent(
    doc: Document,
    value: Any,
    clean: dict[str, Any],
    consent_from: dict[str, str],
    problems: list[Problem],
) -> None:
    """The `consent` mapping (v1.1): each key checked like an answers key of its own."""
    if not isinstance(value, Mapping):
        problems.append(
            doc.problem(
                ["consent"],
                f"{_show(value)} is not {FILE_KEYS['consent'].describe()}",
                key="consent",
                code="type",
            )
        )
        return
    for sub, sub_value in value.items():
        path: list[PathPart] = ["consent", sub] if isinstance(sub, (str, int)) else ["consent"]
        flat = CONSENT_KEYS.get(sub) if isinstance(sub, str) else None
        if flat is None:
            problems.append(
                doc.problem(
                    path,
                    f"unknown key {_show(sub)} in 'consent'; allowed: {', '.join(CONSENT_KEYS)}",
                    key=f"consent.{sub}",
                    code="unknown_key",
                )
            )
            continue
        if sub_value is None:
            continue
        result = _check_value(doc, path, flat, sub_value, shown=f"consent.{sub}")
        if isinstance(result, Problem):
            problems.append(result)
        else:
            _set_consent(doc, sub, f"consent.{sub}", result, clean, consent_from, problems)


def _set_consent(
    doc: Document,
    purpose: str,
    written_as: str,
    value: Any,
    clean: dict[str, Any],
    consent_from: dict[str, str],
    problems: list[Problem],
) -> None:
    """Record one purpose's consent; a second, different value for it is a conflict."""
    flat = CONSENT_KEYS[purpose]
    if flat in clean and clean[flat] != value:
        first = consent_from[purpose]
        path: list[PathPart] = [*written_as.split(".")]
        problems.append(
            doc.problem(
                path,
                f"{first}: {clean[flat]!r} and {written_as}: {value!r} give two different "
                f"consents for the same purpose; keep one of them",
                key=written_as,
                code="conflict",
            )
        )
        return
    clean[flat] = value
    consent_from.setdefault(purpose, written_as)


# `AnswerValueError.code` of a date after today (an incident's, a consent's): the questionnaire
# says so in the reader's words rather than repeat the format (red team red36).
FUTURE = "future"


class AnswerValueError(ValueError):
    """A value that is not an answer for its key: `str()` says why, naming what is allowed;
    `item` is the index of the list item at fault."""

    def __init__(self, message: str, code: str = "value", item: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.item = item


def check_answer(key: str, value: Any) -> Any:
    """The value of one contract key as `Answers` holds it, or `AnswerValueError`.

    The one check of an answer: files, standard input, batch, case files (through
    `answers_from_document`) and the questionnaire (each answer as it is given) all use it."""
    spec = ANSWER_KEYS[key]
    return _CHECKS[spec.type](spec, value)


def _bool(spec: KeySpec, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("yes", "no"):  # YAML 1.2 writers quote them; read them as meant
        return bool(value == "yes")
    raise AnswerValueError(f"{_show(value)} is not {spec.describe()}", "type")


def _enum(spec: KeySpec, value: Any) -> str:
    if spec.name in CONSENT_KEYS.values() and isinstance(value, bool):
        value = "yes" if value else "no"  # YAML 1.1 reads an unquoted yes/no as a boolean
    if not isinstance(value, str):
        raise AnswerValueError(f"{_show(value)} is not text: {spec.describe()}", "type")
    if value not in spec.values:
        raise AnswerValueError(f"{_show(value)} is not {spec.describe()}")
    return value


def _list(spec: KeySpec, value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise AnswerValueError(f"{_show(value)} is not a list: each item {spec.describe()}", "type")
    out: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, str) or item not in spec.values:
            raise AnswerValueError(f"{_show(item)} is not {spec.describe()}", item=index)
        if item not in out:
            out.append(item)
    return tuple(out)


def _country(spec: KeySpec, value: Any) -> str:
    if value is False:  # YAML 1.1 reads an unquoted NO (Norway) as false: say so, not guess
        raise AnswerValueError(
            f"false is not {spec.describe()}; YAML reads an unquoted NO as false: "
            "for Norway write 'NO' in quotes",
            "type",
        )
    if not isinstance(value, str):
        raise AnswerValueError(f"{_show(value)} is not text: {spec.describe()}", "type")
    if is_country_code(value):
        return value
    if value.upper() in country_codes():
        raise AnswerValueError(
            f"{_show(value)} is not {spec.describe()}: write it in capitals, {value.upper()!r}"
        )
    raise AnswerValueError(f"{_show(value)} is not {spec.describe()}")


def _case_id(spec: KeySpec, value: Any) -> str:
    if not isinstance(value, str) or not CASE_ID_PATTERN.fullmatch(value):
        raise AnswerValueError(f"{_show(value)} is not a valid case id: {spec.describe()}")
    return value


def _day(spec: KeySpec, value: Any) -> str:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = value.isoformat()  # YAML reads an unquoted 2026-03-01 as a date
    if not isinstance(value, str) or not DAY_PATTERN.fullmatch(value):
        raise AnswerValueError(f"{_show(value)} is not {spec.describe()}")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise AnswerValueError(f"{value!r} is not a date that exists: {spec.describe()}") from None
    if day > latest_day():
        # A consent dated later would come into force by itself on that day, in a case file,
        # as if given then (red team red36); `case consent --date` refuses it too. A day
        # ahead is a colleague's today in a time zone ahead (`timeutil.AHEAD`).
        raise AnswerValueError(
            f"{value!r} is after today: a consent is dated on the day it was given or "
            "last confirmed",
            FUTURE,
        )
    return value


def _date(spec: KeySpec, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        value = str(value)  # `incident_date: 2017` reads as a number
    elif not isinstance(value, str):
        value = value.isoformat() if hasattr(value, "isoformat") else value
    if not isinstance(value, str) or not INCIDENT_DATE_PATTERN.fullmatch(value):
        raise AnswerValueError(f"{_show(value)} is not {spec.describe()}")
    wrong = incident_date_problem(value)
    if wrong:
        raise AnswerValueError(f"{value!r} {wrong}", FUTURE if wrong == IN_THE_FUTURE else "value")
    return value


def _text(spec: KeySpec, value: Any) -> str:
    del spec  # free text: one rule for every text key
    if not isinstance(value, str):
        raise AnswerValueError(f"{_show(value)} is not text", "type")
    if len(value) > NOTES_MAX_CHARS:
        raise AnswerValueError(f"is {len(value)} characters long: at most {NOTES_MAX_CHARS}")
    return value


_CHECKS: dict[str, Callable[[KeySpec, Any], Any]] = {
    "bool": _bool,
    "enum": _enum,
    "list": _list,
    "country": _country,
    "case_id": _case_id,
    "day": _day,
    "date": _date,
    "text": _text,
}


def _check_value(
    doc: Document, path: list[PathPart], key: str, value: Any, *, shown: str | None = None
) -> Any:
    """`check_answer` for a value read from `doc` at `path`: the value, or the `Problem` with it
    (file, line, key, allowed values). `shown` is the key as written in the file, when it
    differs from the model's."""
    try:
        return check_answer(key, value)
    except AnswerValueError as exc:
        if exc.item is not None:
            return doc.problem([*path, exc.item], str(exc), key=key, code=exc.code)
        return doc.problem(path, str(exc), key=shown or key, code=exc.code)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def dump_answers(answers: Answers, fmt: str = "yaml") -> str:
    """The answers as a contract file; YAML quotes yes/no so YAML 1.1 readers keep them text."""
    doc = answers.to_document()
    if fmt == "json":
        return json_escape(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
    # lazy: PyYAML only when YAML is read or written (bench/startup)
    import yaml

    return str(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100))
