"""Records are validated by pydantic-core with a schema `records.core_schema` makes from the
annotations, not by pydantic's `TypeAdapter` (whose import and schema building cost a third of
`followup`'s start-up). These tests hold that the schema is pydantic's own for every record
class, so that validation, coercion and error messages stay pydantic's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import TypeAdapter
from pydantic_core import ValidationError

import reprisal_cli
from reprisal_cli.case.model import CaseFile
from reprisal_cli.records import Record, core_schema, record, validate

# Keys that name or describe a schema without changing what it accepts.
_NAMING = {"ref", "metadata", "serialization_alias"}


def _all_records() -> list[type[Any]]:
    for info in pkgutil.walk_packages(reprisal_cli.__path__, "reprisal_cli."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)

    def below(cls: type[Any]) -> Iterator[type[Any]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    found = {c for c in below(Record) if dataclasses.is_dataclass(c)}
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _inlined(schema: dict[str, Any]) -> Any:
    """A schema with every reference replaced by what it refers to (a reference back into a
    record being defined becomes `("recursive", cls)`), without the naming keys: the same
    form whether the schema was written with references or inline."""
    defined: dict[str, dict[str, Any]] = {}
    if schema.get("type") == "definitions":
        defined = {d["ref"]: d for d in schema["definitions"]}
        schema = schema["schema"]

    def walk(value: Any, within: frozenset[str]) -> Any:
        if isinstance(value, dict):
            if value.get("type") == "definition-ref":
                target = defined[value["schema_ref"]]
                if value["schema_ref"] in within:
                    return ("recursive", target["cls"])
                return walk(target, within | {value["schema_ref"]})
            if "ref" in value:
                defined.setdefault(value["ref"], value)
                within = within | {value["ref"]}
            return {k: walk(v, within) for k, v in value.items() if k not in _NAMING}
        if isinstance(value, list):
            return [walk(v, within) for v in value]
        return value

    return walk(schema, frozenset())


RECORDS = _all_records()


def test_every_kind_of_record_is_compared() -> None:
    names = {c.__name__ for c in RECORDS}
    # The case file, the knowledge base's files (recursive conditions), the plan.
    assert {"CaseFile", "ConsentRecord", "Condition", "RulesFile", "Plan", "StatesFile"} <= names
    assert len(RECORDS) >= 60


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__qualname__)
def test_the_schema_is_pydantics(cls: type[Any]) -> None:
    assert _inlined(core_schema(cls)) == _inlined(TypeAdapter(cls).core_schema)


def test_an_annotation_records_cannot_describe_is_an_error_not_a_guess() -> None:
    @record
    class Odd(Record):
        when: dt.datetime

    with pytest.raises(TypeError, match="cannot validate the annotation"):
        core_schema(Odd)


def test_errors_are_pydantics_word_for_word() -> None:
    bad = {"schema": "reprisal-cli/case/v1", "answers": {}, "revision": "x", "extra": 1,
           "consent": [{"purpose": "nope", "value": "yes", "date": "2026-13-01"}]}  # fmt: skip
    with pytest.raises(ValidationError) as ours:
        validate(CaseFile, bad)
    with pytest.raises(ValidationError) as theirs:
        TypeAdapter(CaseFile).validate_python(bad)
    assert ours.value.errors(include_url=False) == theirs.value.errors(include_url=False)
    assert len(ours.value.errors()) == 4


def test_reading_a_case_imports_pydantic_core_only() -> None:
    probe = (
        "import sys, json; from reprisal_cli.case.model import load_case_data; "
        "load_case_data({'schema': 'reprisal-cli/case/v1', 'answers': {}}, 'x'); "
        "print(json.dumps(['pydantic' in sys.modules, 'pydantic_core' in sys.modules]))"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[false, true]"
