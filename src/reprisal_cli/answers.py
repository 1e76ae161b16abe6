"""The answers file (`reprisal-cli/answers/v1`, contract §1): model, loading, writing.

Loading never raises anything but `AnswersError`, whose problems name the file, line, key and the
allowed values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from reprisal_cli.contract import (
    ANSWER_KEYS,
    ANSWERS_SCHEMA,
    ANSWERS_SCHEMAS_ACCEPTED,
    CASE_ID_PATTERN,
    INCIDENT_DATE_PATTERN,
    NOTES_MAX_CHARS,
    Consent,
    Engagement,
    Location,
    OtherAtRisk,
    Profile,
    Region,
    Reprisal,
    Respondent,
    Stage,
    TreatyBody,
    incident_date_problem,
)
from reprisal_cli.documents import Document, PathPart, parse, read_bytes
from reprisal_cli.errors import AnswersError, Problem
from reprisal_cli.records import Record, alias, record

if TYPE_CHECKING:
    from pydantic import Field

MAX_ANSWERS_BYTES = 256 * 1024


@record
class Answers(Record):
    """One case. Absent keys are None (lists: empty), meaning "not asked or not known"."""

    schema_: Annotated[str, Field(alias="schema")] = alias("schema", default=ANSWERS_SCHEMA)
    case_id: str | None = None
    respondent: Respondent | None = None
    profile: tuple[Profile, ...] = ()
    region: Region | None = None
    engagement: tuple[Engagement, ...] = ()
    treaty_body: tuple[TreatyBody, ...] = ()
    stage: Stage | None = None
    reprisals: tuple[Reprisal, ...] = ()
    incident_date: str | None = None
    immediate_danger: bool | None = None
    location: Location | None = None
    consent_publicity: Consent | None = None
    consent_share_with_un: Consent | None = None
    devices_compromised: bool | None = None
    others_at_risk: tuple[OtherAtRisk, ...] = ()
    travel_planned: bool | None = None
    notes: Annotated[str, Field(max_length=NOTES_MAX_CHARS)] | None = None

    def get(self, key: str) -> Any:
        """The value of a contract key: None when absent (an empty list counts as absent)."""
        value = getattr(self, key)
        return value or None if isinstance(value, tuple) else value

    def present(self) -> dict[str, Any]:
        """The given answers, keyed as in the contract, in contract order."""
        return {k: self.get(k) for k in ANSWER_KEYS if self.get(k) is not None}

    def to_document(self) -> dict[str, Any]:
        """The answers as a contract document (lists as lists), ready for YAML or JSON."""
        out: dict[str, Any] = {"schema": ANSWERS_SCHEMA}
        for key, value in self.present().items():
            out[key] = list(value) if isinstance(value, tuple) else value
        return out

    def redacted(self) -> Answers:
        """The same answers without free text (`notes`, `case_id`)."""
        return self.model_copy(update={"notes": None, "case_id": None})


def load_answers(path: Path, *, name: str | None = None) -> Answers:
    """Read, parse and validate one answers file."""
    raw = read_bytes(path, max_bytes=MAX_ANSWERS_BYTES, error=AnswersError)
    return parse_answers(raw, name or str(path))


def read_answers(path: Path) -> Answers:
    """`load_answers`, or with `-` standard input; a stream is read one byte past the limit at
    most, so a hostile one is refused without being read whole."""
    if str(path) == "-":
        import sys

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
    data = doc.data
    if not isinstance(data, Mapping):
        what = "empty" if data is None else f"a {type(data).__name__}"
        raise AnswersError(
            [doc.problem((), f"must be a mapping of answers, not {what}", code="type")],
            hint=f"Start the file with: schema: {ANSWERS_SCHEMA}",
        )
    problems: list[Problem] = []
    clean: dict[str, Any] = {}
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
        spec = ANSWER_KEYS.get(str(key)) if isinstance(key, str) else None
        if spec is None:
            problems.append(
                doc.problem(
                    path,
                    f"unknown key {_show(key)}; allowed: schema, {', '.join(ANSWER_KEYS)}",
                    key=str(key),
                    code="unknown_key",
                )
            )
            continue
        if value is None:
            continue  # `key:` with nothing after it: not known
        result = _check_value(doc, path, spec.name, value)
        if isinstance(result, Problem):
            problems.append(result)
        else:
            clean[spec.name] = result
    if problems:
        raise AnswersError(problems)
    return Answers(**clean)


def _check_value(doc: Document, path: list[PathPart], key: str, value: Any) -> Any:
    spec = ANSWER_KEYS[key]

    def bad(message: str, code: str = "value") -> Problem:
        return doc.problem(path, message, key=key, code=code)

    if spec.type == "bool":
        if isinstance(value, bool):
            return value
        if value in ("yes", "no"):  # YAML 1.2 writers quote them; read them as meant
            return value == "yes"
        return bad(f"{_show(value)} is not {spec.describe()}", "type")
    if spec.type == "enum":
        if key.startswith("consent_") and isinstance(value, bool):
            value = "yes" if value else "no"  # YAML 1.1 reads an unquoted yes/no as a boolean
        if not isinstance(value, str):
            return bad(f"{_show(value)} is not text: {spec.describe()}", "type")
        if value not in spec.values:
            return bad(f"{_show(value)} is not {spec.describe()}")
        return value
    if spec.type == "list":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            return bad(f"{_show(value)} is not a list: each item {spec.describe()}", "type")
        out: list[str] = []
        for index, item in enumerate(items):
            if not isinstance(item, str) or item not in spec.values:
                return doc.problem(
                    [*path, index], f"{_show(item)} is not {spec.describe()}", key=key, code="value"
                )
            if item not in out:
                out.append(item)
        return tuple(out)
    if spec.type == "case_id":
        if not isinstance(value, str) or not CASE_ID_PATTERN.fullmatch(value):
            return bad(f"{_show(value)} is not a valid case id: {spec.describe()}")
        return value
    if spec.type == "date":
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            value = str(value)  # `incident_date: 2017` reads as a number
        elif not isinstance(value, str):
            value = value.isoformat() if hasattr(value, "isoformat") else value
        if not isinstance(value, str) or not INCIDENT_DATE_PATTERN.fullmatch(value):
            return bad(f"{_show(value)} is not {spec.describe()}")
        wrong = incident_date_problem(value)
        return bad(f"{value!r} {wrong}") if wrong else value
    # free text
    if not isinstance(value, str):
        return bad(f"{_show(value)} is not text", "type")
    if len(value) > NOTES_MAX_CHARS:
        return bad(f"is {len(value)} characters long: at most {NOTES_MAX_CHARS}")
    return value


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def dump_answers(answers: Answers, fmt: str = "yaml") -> str:
    """The answers as a contract file; YAML quotes yes/no so YAML 1.1 readers keep them text."""
    doc = answers.to_document()
    if fmt == "json":
        from reprisal_cli.untrusted import json_escape

        return json_escape(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
    import yaml

    return str(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100))
