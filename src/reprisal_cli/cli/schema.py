"""`reprisal-cli schema answers|plan|case|followup`: the JSON Schema of a contract format, from
the models."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import typer

from reprisal_cli.cli.boundary import handle_errors
from reprisal_cli.cli.options import LangOption, language

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def answers_schema() -> dict[str, Any]:
    """The answers file (contract §1) as JSON Schema: `schema` required, single strings
    accepted for list keys, consent by purpose in the `consent` mapping (v1.1)."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.answers import Answers
    from reprisal_cli.contract import (
        ANSWER_KEYS,
        ANSWERS_SCHEMA,
        ANSWERS_SCHEMAS_ACCEPTED,
        CONSENT_KEYS,
        FILE_KEYS,
        country_codes,
    )
    from reprisal_cli.records import json_schema

    schema = json_schema(Answers)
    props = schema["properties"]
    consent: dict[str, Any] = {}
    for purpose, flat in CONSENT_KEYS.items():
        consent[purpose] = dict(props[flat] if flat in FILE_KEYS else props.pop(flat))
        consent[purpose]["title"] = purpose.replace("_", " ").capitalize()
    consent["date"] = {"title": "Date", "type": "string", "format": "date"}
    props["consent"] = {
        "title": "Consent by purpose",
        "type": "object",
        "properties": consent,
        "additionalProperties": False,
    }
    props["schema"] = {"title": "Schema", "enum": list(ANSWERS_SCHEMAS_ACCEPTED)}
    for key, spec in ANSWER_KEYS.items():
        if spec.is_multi and key in props:
            item = {"type": "string", "enum": list(spec.values)}
            props[key] = {
                "title": props[key].get("title", key),
                "anyOf": [{"type": "array", "items": item}, item],
            }
        elif spec.type == "country" and key in props:
            codes = {"type": "string", "enum": sorted(country_codes())}
            props[key] = {
                **props[key],
                "description": spec.describe(),
                "anyOf": [codes, {"type": "null"}],
            }
    schema["required"] = ["schema"]
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": ANSWERS_SCHEMA,
        **schema,
    }


def plan_schema() -> dict[str, Any]:
    """The plan (contract §2) as JSON Schema."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.contract import PLAN_SCHEMA
    from reprisal_cli.engine.plan import Plan
    from reprisal_cli.records import json_schema

    schema = json_schema(Plan, mode="serialization")
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": PLAN_SCHEMA, **schema}


def case_schema() -> dict[str, Any]:
    """The decrypted case file (contract §7) as JSON Schema; its answers are an answers file."""
    # lazy: the case model and records only when their schema is asked, not --help
    from reprisal_cli.case.model import CASE_SCHEMA, CaseFile
    from reprisal_cli.case.vocab import VOCABULARY_NOTE
    from reprisal_cli.contract import ANSWERS_SCHEMA
    from reprisal_cli.records import json_schema

    schema = json_schema(CaseFile)
    props = schema["properties"]
    props["schema"] = {"title": "Schema", "const": CASE_SCHEMA}
    props["answers"] = {"title": "Answers", "$ref": ANSWERS_SCHEMA}
    action = schema.get("$defs", {}).get("Action")
    if action is not None:
        action["description"] = VOCABULARY_NOTE
    schema["required"] = sorted({*schema.get("required", ()), "schema"})
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": CASE_SCHEMA, **schema}


def followup_schema() -> dict[str, Any]:
    """`followup --format json` (contract §7) as JSON Schema."""
    # lazy: case follow-up (the KB models) only for its schema, not --help (bench/startup)
    from reprisal_cli.case.followup import FOLLOWUP_SCHEMA

    text = {"type": "string"}
    day = {"type": "string", "format": "date"}
    item = {
        "type": "object",
        "properties": {
            "case": text,
            "case_id": {"type": ["string", "null"]},
            "kind": {"enum": ["action", "reassessment"]},
            "what": text,
            "to": {"type": ["string", "null"]},
            "due": day,
            "overdue_days": {"type": "integer", "minimum": 0},
        },
        "required": ["case", "case_id", "kind", "what", "to", "due", "overdue_days"],
    }
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": FOLLOWUP_SCHEMA,
        "type": "object",
        "properties": {
            "schema": {"const": FOLLOWUP_SCHEMA},
            "as_of": day,
            "items": {"type": "array", "items": item},
        },
        "required": ["schema", "as_of", "items"],
    }


def esf_schema() -> dict[str, Any]:
    """`export --format esf-json` (and what `import` reads) as JSON Schema."""
    # lazy: case export (the KB models) only for its schema, not --help (bench/startup)
    from reprisal_cli.case.export import ESF_SCHEMA
    from reprisal_cli.contract import ANSWERS_SCHEMA

    case = case_schema()
    nullable = {"type": ["string", "null"]}
    day = {"type": "string", "format": "date"}
    act = {
        "type": "object",
        "properties": {
            "date": day,
            "type": {"type": "string"},
            "linked_to": nullable,
            "note": {"type": "string"},
        },
        "required": ["date", "type"],
        "additionalProperties": False,
    }
    intervention = {
        "type": "object",
        "properties": {
            "date": day,
            "intervening_with": {"type": "string"},
            "type": {"type": "string"},
            "response": nullable,
            "status": {"type": "string"},
            "next": {"type": ["string", "null"], "format": "date"},
            "channel": nullable,
            "reference": {"type": "string"},
        },
        "required": ["date", "intervening_with", "type"],
        "additionalProperties": False,
    }
    event = {
        "type": "object",
        "properties": {
            "title": nullable,
            "notes": nullable,
            "victim": {"$ref": ANSWERS_SCHEMA},
            "acts": {"type": "array", "items": act},
            "interventions": {"type": "array", "items": intervention},
        },
        "required": ["victim"],
        "additionalProperties": False,
    }
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": ESF_SCHEMA,
        "$defs": case.get("$defs", {}),
        "type": "object",
        "properties": {
            "schema": {"const": ESF_SCHEMA},
            "as_of": day,
            "event": event,
            "consent": {"type": "array", "items": {"$ref": "#/$defs/ConsentRecord"}},
            "left_out": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["schema", "as_of", "event"],
        "additionalProperties": False,
    }


@handle_errors
def schema(
    which: Annotated[
        Literal["answers", "plan", "case", "followup", "esf"],
        typer.Argument(
            metavar="answers|plan|case|followup|esf",
            help="Which format: answers, plan, case (a decrypted case file), followup, or esf "
            "(export and import).",
        ),
    ],
    lang: LangOption = None,
) -> None:
    """Print the JSON Schema of the answers file, the plan, the case file or followup's JSON."""
    language(lang)
    makers = {
        "answers": answers_schema,
        "plan": plan_schema,
        "case": case_schema,
        "followup": followup_schema,
        "esf": esf_schema,
    }
    data = makers[which]()
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
