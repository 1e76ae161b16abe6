"""`reprisal-cli schema answers|plan`: the JSON Schema of a contract format, from the models."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import typer

from reprisal_cli.cli.common import (
    LangOption,
    handle_errors,
    language,
)

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
    )

    schema = Answers.model_json_schema(by_alias=True)
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

    schema = Plan.model_json_schema(by_alias=True, mode="serialization")
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": PLAN_SCHEMA, **schema}


@handle_errors
def schema(
    which: Annotated[
        Literal["answers", "plan"],
        typer.Argument(metavar="answers|plan", help="Which format: answers or plan."),
    ],
    lang: LangOption = None,
) -> None:
    """Print the JSON Schema of the answers file or of the plan."""
    language(lang)
    data = answers_schema() if which == "answers" else plan_schema()
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
