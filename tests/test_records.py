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
from hypothesis import given, settings
from hypothesis import strategies as st
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
_PYDANTIC = {CaseFile: TypeAdapter(CaseFile)}


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
        """A time of day, which records do not describe."""

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


def test_reading_a_case_imports_pydantic_cores_compiled_module_only() -> None:
    """Reading a case (and refusing a bad one) loads pydantic-core's compiled module alone, not
    pydantic nor the `pydantic_core` package's typed helpers (35-75 ms of a start-up,
    bench/RESULTS.md 2026-12-04); pydantic imported afterwards uses that very module, so one
    `ValidationError` class is caught everywhere."""
    probe = """
import json, sys
from reprisal_cli.case.model import load_case_data
from reprisal_cli.errors import AnswersError
load_case_data({"schema": "reprisal-cli/case/v1", "answers": {}}, "x")
try:
    load_case_data({"schema": "reprisal-cli/case/v1", "answers": {}, "revision": "z"}, "x")
except AnswersError as exc:
    refused = "revision" in exc.render()
seen = ["pydantic" in sys.modules, "pydantic_core" in sys.modules,
        "pydantic_core._pydantic_core" in sys.modules, refused]
import pydantic, pydantic_core
from reprisal_cli.records import validation_error
same = pydantic.ValidationError is validation_error() is pydantic_core.ValidationError
print(json.dumps([*seen, same]))
"""
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[false, false, true, true, true]", run.stderr


def test_the_package_is_imported_when_the_compiled_module_cannot_be_found_alone() -> None:
    """Where pydantic-core's compiled module cannot be loaded on its own (found by another
    importer, another file layout), `validate` imports the package as usual."""
    probe = """
import importlib.util, json, sys
real = importlib.util.find_spec
importlib.util.find_spec = lambda name, *a: None if name == "pydantic_core" else real(name, *a)
from reprisal_cli.records import validate, validation_error
from reprisal_cli.case.model import CaseFile
validate(CaseFile, {"answers": {}})
imported = "pydantic_core" in sys.modules
import pydantic_core
print(json.dumps([imported, validation_error() is pydantic_core.ValidationError]))
"""
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[true, true]", run.stderr


# Values of the kinds a case file holds, and of the kinds it must refuse.
_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.sampled_from(["", "x", "yes", "no", "2026-02-30", "2026-01-05", "oral", "share_with_un"]),
    st.text(max_size=5),
)
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
_CONSENT = st.fixed_dictionaries(
    {"purpose": st.sampled_from(["publicity", "share_with_un", "sg_report", "nope"])},
    optional={
        "value": _SCALAR,
        "date": st.sampled_from(["2026-01-01", "2026-13-01", "x", 20260101]),
        "how": st.sampled_from(["oral", "loud"]),
        "revoked": _SCALAR,
        "extra": _SCALAR,
    },
)
_CASE = st.fixed_dictionaries(
    {"schema": st.just("reprisal-cli/case/v1")},
    optional={
        "answers": st.one_of(st.dictionaries(st.text(max_size=4), _VALUE, max_size=3), _SCALAR),
        "revision": st.one_of(st.integers(-2, 2), st.sampled_from(["1", 1.5, True])),
        "case_id": _SCALAR,
        "consent": st.lists(_CONSENT, max_size=3),
        "incidents": st.lists(st.dictionaries(st.sampled_from(["date", "type", "note"]), _SCALAR)),
        "actions": _VALUE,
        "schema_": _SCALAR,
    },
)


@given(_CASE)
@settings(max_examples=300, deadline=None)
def test_a_case_is_accepted_or_refused_exactly_as_pydantic_does(data: dict[str, Any]) -> None:
    adapter = _PYDANTIC[CaseFile]
    try:
        theirs: Any = adapter.validate_python(data)
    except ValidationError as exc:
        theirs = exc.errors(include_url=False)
    try:
        ours: Any = validate(CaseFile, data)
    except ValidationError as exc:
        ours = exc.errors(include_url=False)
    assert ours == theirs


def test_a_field_not_in_init_is_refused_from_data_as_pydantic_does() -> None:
    """Red team 2026-12-04: the schema gave pydantic-core `"init": True` for every field, so a
    `field(init=False)` (none in a record today) would have been set from untrusted data, where
    pydantic refuses it."""

    @record
    class Locked(Record):
        """A field the data cannot set."""

        checked: bool = dataclasses.field(default=False, init=False)

    with pytest.raises(ValidationError):
        TypeAdapter(Locked).validate_python({"checked": True})
    with pytest.raises(ValidationError):
        validate(Locked, {"checked": True})
    assert validate(Locked, {}).checked is False


def _generated(cls: type[Any]) -> type[Any]:
    """The same fields as `cls`, as the dataclass decorator makes a frozen class by itself: its
    own generated `__eq__`, `__hash__` and `__repr__`, the reference `Record`'s must match."""
    fields = [
        (f.name, Any, dataclasses.field(compare=f.compare, repr=f.repr))
        for f in dataclasses.fields(cls)
    ]
    return dataclasses.make_dataclass(cls.__qualname__, fields, frozen=True)


_SMALL = st.one_of(st.none(), st.integers(-3, 3), st.sampled_from(["a", "b", ""]), st.booleans())


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__qualname__)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_equality_hash_and_repr_are_the_dataclasss(cls: type[Any], data: st.DataObject) -> None:
    names = [f.name for f in dataclasses.fields(cls)]
    reference = _generated(cls)
    values = [data.draw(st.fixed_dictionaries(dict.fromkeys(names, _SMALL))) for _ in range(2)]
    if data.draw(st.booleans()):
        values[1] = dict(values[0])  # equal ones too, not only by chance
    ours = []
    for given_values in values:
        made = object.__new__(cls)  # any values: the methods, not validation, are tested
        for name, value in given_values.items():
            object.__setattr__(made, name, value)
        ours.append(made)
    theirs = [reference(**v) for v in values]
    assert (ours[0] == ours[1]) is (theirs[0] == theirs[1])
    assert (ours[0] != ours[1]) is (theirs[0] != theirs[1])
    if ours[0] == ours[1]:
        assert hash(ours[0]) == hash(ours[1])
    assert repr(ours[0]) == repr(theirs[0])
    assert ours[0] != theirs[0]  # another class with the same values is not equal


def test_a_field_left_out_of_comparison_is_left_out() -> None:
    @record
    class Marked(Record):
        """A value and a mark that does not count."""

        value: int
        mark: int = dataclasses.field(default=0, compare=False, repr=False)

    assert Marked(value=1, mark=1) == Marked(value=1, mark=2)
    assert hash(Marked(value=1, mark=1)) == hash(Marked(value=1, mark=2))
    assert Marked(value=1) != Marked(value=2)
    assert repr(Marked(value=1, mark=5)) == f"{Marked.__qualname__}(value=1)"


def test_a_record_says_what_it_is() -> None:
    with pytest.raises(TypeError, match="has no docstring"):

        @record
        class Silent(Record):
            value: int
