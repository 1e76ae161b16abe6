"""Frozen records: standard-library dataclasses, validated by pydantic-core when data comes from
outside.

The knowledge base, the answers, the case and the plan are frozen dataclasses (`@record`). Data
read from a file is checked with `validate`: pydantic-core's validator, given the schema
`core_schema` makes from the annotations, which is pydantic's own for every record class
(tests/test_records.py); pydantic itself, whose import and schema building cost more start-up
time than the rest of a command (bench/RESULTS.md), is imported only by `json_schema`. A plan
built from the knowledge-base snapshot shipped in the wheel validates nothing. Copies are
`dataclasses.replace`; `to_data` gives JSON-ready plain data.

Field constraints are written in the annotations with this module's markers, which the schema
reads and which cost nothing to import: `MinLen`, `MaxLen` and `Interval` (named as in
annotated-types, whose import alone took 8 ms of a `plan`'s start-up, bench/RESULTS.md) and `Chars`
(a pattern, whitespace stripped). A field named
after a Python keyword ends in `_` (`not_`, `in_`, `schema_`); files and JSON write it without
(`written_name`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Literal,
    TypeVar,
    dataclass_transform,
)

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema, SchemaValidator, ValidationError

__all__ = [
    "Chars",
    "Interval",
    "MaxLen",
    "MinLen",
    "Record",
    "core_schema",
    "json_schema",
    "record",
    "to_data",
    "validate",
    "validation_error",
    "written_name",
]

T = TypeVar("T")
R = TypeVar("R", bound="Record")


def written_name(name: str) -> str:
    """A field's key in files and JSON: its name without a trailing `_` (`not_` is `not`)."""
    return name[:-1] if name.endswith("_") else name


class Record:
    """Base of every record: unknown keys are errors, so a typo never silently drops a fact.

    Equality, hashing and `repr` are the dataclass's (the fields compared, hashed and shown, in
    order), written once here instead of generated and compiled for each record class: that cost
    a third of every command's start-up spent making record classes (bench/RESULTS.md, start-up,
    2026-12-04)."""

    # Read by pydantic when it validates a standard-library dataclass.
    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "extra": "forbid",
        "alias_generator": written_name,
    }
    # Set by `record` for each class: its compared fields' values, and its shown fields' names.
    _record_values: ClassVar[Callable[[Any], tuple[Any, ...]]]
    _record_shown: ClassVar[tuple[str, ...]]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.__class__._record_values(self) == other.__class__._record_values(other)

    def __hash__(self) -> int:
        return hash(self.__class__._record_values(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_shown)
        return f"{self.__class__.__qualname__}({shown})"


@dataclass_transform(
    frozen_default=True, kw_only_default=True, field_specifiers=(dataclasses.field,)
)
def record(cls: type[T]) -> type[T]:
    """`@record` on every model class (a `Record`): a frozen, keyword-only dataclass (so required
    and optional fields mix freely), with `Record`'s equality, hash and `repr`."""
    if not issubclass(cls, Record):
        raise TypeError(f"@record: {cls.__qualname__} is not a Record")
    if cls.__doc__ is None:
        # The dataclass would make one from the signature (`inspect.signature`: a tenth of the
        # class's making), which the JSON Schemas leave out; a record says what it is.
        raise TypeError(f"@record: {cls.__qualname__} has no docstring")
    made = dataclasses.dataclass(frozen=True, kw_only=True, eq=False, repr=False)(cls)
    each: Any = made  # a Record class, made a dataclass: given its two class attributes here
    fields = dataclasses.fields(each)
    compared = [f.name for f in fields if f.compare]
    values: Callable[[Any], tuple[Any, ...]]
    if len(compared) > 1:
        values = operator.attrgetter(*compared)
    else:  # attrgetter of one name gives the value, of none is an error: always a tuple here
        values = lambda item: tuple(getattr(item, name) for name in compared)  # noqa: E731
    each._record_values = values
    each._record_shown = tuple(f.name for f in fields if f.repr)
    return made


@dataclasses.dataclass(frozen=True)
class _Limits:
    """A marker that adds its limits to the schema of the type it annotates (a string, a tuple or
    a number, or `None` or one of those)."""

    def limits(self) -> dict[str, int]:
        return {
            f.name: v for f in dataclasses.fields(self) if (v := getattr(self, f.name)) is not None
        }

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        target: Any = schema["schema"] if schema["type"] == "nullable" else schema
        if target["type"] not in ("str", "tuple", "list", "int", "float"):
            raise TypeError(f"{type(self).__name__} cannot limit a {target['type']} schema")
        target.update(self.limits())
        return schema


@dataclasses.dataclass(frozen=True)
class MinLen(_Limits):
    """At least this many characters or items."""

    min_length: int


@dataclasses.dataclass(frozen=True)
class MaxLen(_Limits):
    """At most this many characters or items."""

    max_length: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class Interval(_Limits):
    """A number within bounds."""

    ge: int | None = None
    le: int | None = None


@dataclasses.dataclass(frozen=True)
class Chars:
    """String constraints annotated-types has no marker for, read by pydantic when it validates
    (`Annotated[str, Chars(pattern=...)]`); pydantic is imported only then."""

    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    strip_whitespace: bool = False

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        # lazy: pydantic only when data is validated, not on the snapshot path (bench/startup)
        from pydantic_core import core_schema

        return core_schema.str_schema(
            pattern=self.pattern,
            min_length=self.min_length,
            max_length=self.max_length,
            strip_whitespace=self.strip_whitespace or None,
        )


def validate(cls: type[R], data: Any) -> R:
    """Plain data (parsed YAML or JSON) checked into a record; raises pydantic-core's
    `ValidationError` (the class `pydantic.ValidationError` names)."""
    result: R = _validator(cls).validate_python(data)
    return result


def json_schema(
    cls: type[Record], *, mode: Literal["validation", "serialization"] = "validation"
) -> dict[str, Any]:
    """The JSON Schema of a record, keys as written in files."""
    # lazy: pydantic only to write a JSON Schema (the `schema` command, tests)
    from pydantic import TypeAdapter

    schema: dict[str, Any] = TypeAdapter(cls).json_schema(by_alias=True, mode=mode)
    return schema


_validators: dict[type[Any], SchemaValidator] = {}


def _validator(cls: type[Any]) -> SchemaValidator:
    """pydantic-core's validator for a record class, built once per process from `core_schema`.

    Not pydantic's `TypeAdapter`: importing pydantic and building the same schema with it took
    about 150 ms of CPU, a third of `followup`'s start-up, for a schema these few lines make
    from the annotations in about a millisecond (bench/RESULTS.md, 2026-12-03, night). The
    schema is pydantic's own, field for field, for every record class (tests/test_records.py
    compares them), so validation, coercion and error messages are pydantic's."""
    validator = _validators.get(cls)
    if validator is None:
        validator = _validators[cls] = _compiled().SchemaValidator(core_schema(cls))
    return validator


def validation_error() -> type[ValidationError]:
    """The error `validate` raises (pydantic-core's, the class `pydantic.ValidationError`
    names), for an `except` clause that must not import more than `validate` does."""
    error: type[ValidationError] = _compiled().ValidationError
    return error


_COMPILED = "pydantic_core._pydantic_core"


def _compiled() -> types.ModuleType:
    """pydantic-core's compiled module, where `SchemaValidator` and `ValidationError` live.

    Loaded on its own, without the `pydantic_core` package's Python part, whose typed schema
    helpers (`core_schema`, typing-extensions) cost 35 to 75 ms of a start-up for nothing this
    module uses: about a tenth of `followup`'s time over 1,000 case files (bench/RESULTS.md,
    2026-12-04). Registered under its own name, so that importing the package later (pydantic,
    for a JSON Schema) finds and uses this very module: one `ValidationError` class. Where it
    cannot be loaded so (no such file, another Python), the package is imported as usual."""
    found = sys.modules.get(_COMPILED)
    if found is not None:
        return found
    # lazy: only when data is validated, not on the snapshot path (bench/startup)
    import importlib.machinery
    import importlib.util

    try:
        package = importlib.util.find_spec("pydantic_core")  # found, not run
        folder = Path(next(iter(package.submodule_search_locations or ())))  # type: ignore[union-attr]
        suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
        path = next(
            f
            for f in folder.iterdir()
            if f.name.startswith("_pydantic_core.") and f.name.endswith(suffixes)
        )
        loader = importlib.machinery.ExtensionFileLoader(_COMPILED, str(path))
        spec = importlib.util.spec_from_file_location(_COMPILED, path, loader=loader)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules[_COMPILED] = module
        loader.exec_module(module)
    except (ImportError, OSError, StopIteration, AttributeError, TypeError):
        sys.modules.pop(_COMPILED, None)
        # lazy: the package as usual, only where its compiled module cannot be loaded alone
        import pydantic_core._pydantic_core as module
    return module


def core_schema(tp: Any) -> dict[str, Any]:
    """The pydantic-core schema of a record class (or of any annotation its fields use), as
    pydantic makes it: each record class once, under `definitions`, referred to by name."""
    definitions: dict[type[Any], dict[str, Any]] = {}
    schema = _schema(tp, definitions)
    if not definitions:
        return schema
    return {"type": "definitions", "schema": schema, "definitions": list(definitions.values())}


_SCALARS: dict[Any, str] = {
    str: "str",
    int: "int",
    float: "float",
    bool: "bool",
    dt.date: "date",
    Any: "any",
    type(None): "none",
}


def _schema(tp: Any, definitions: dict[type[Any], dict[str, Any]]) -> dict[str, Any]:
    """The schema of one annotation; record classes go into `definitions`."""
    scalar = _SCALARS.get(tp)
    if scalar is not None:
        return {"type": scalar}
    if isinstance(tp, type) and issubclass(tp, Record) and dataclasses.is_dataclass(tp):
        if tp not in definitions:
            definitions[tp] = {}  # a placeholder while its fields are made (recursion)
            definitions[tp] = _record_schema(tp, definitions)
        return {"type": "definition-ref", "schema_ref": _ref(tp)}
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Annotated:
        inner, *markers = args
        schema = _schema(inner, definitions)
        for marker in markers:  # each one given the schema the ones before it made
            schema = marker.__get_pydantic_core_schema__(inner, lambda _, made=schema: made)
        return schema
    if origin is Literal:
        return {"type": "literal", "expected": list(args)}
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        choices = [_schema(a, definitions) for a in kept]
        schema = choices[0] if len(choices) == 1 else {"type": "union", "choices": choices}
        return {"type": "nullable", "schema": schema} if len(kept) < len(args) else schema
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {
                "type": "tuple",
                "items_schema": [_schema(args[0], definitions)],
                "variadic_item_index": 0,
            }
        return {"type": "tuple", "items_schema": [_schema(a, definitions) for a in args]}
    if origin is dict:
        return {
            "type": "dict",
            "keys_schema": _schema(args[0], definitions),
            "values_schema": _schema(args[1], definitions),
        }
    raise TypeError(f"records cannot validate the annotation {tp!r}")


def _record_schema(cls: type[Any], definitions: dict[type[Any], dict[str, Any]]) -> dict[str, Any]:
    post_init = hasattr(cls, "__post_init__")
    hints = typing.get_type_hints(cls, include_extras=True)
    alias = cls.__pydantic_config__.get("alias_generator")
    fields = []
    for f in dataclasses.fields(cls):
        schema = _schema(hints[f.name], definitions)
        if f.default is not dataclasses.MISSING:
            schema = {"type": "default", "schema": schema, "default": f.default}
        elif f.default_factory is not dataclasses.MISSING:
            schema = {
                "type": "default",
                "schema": schema,
                "default_factory": f.default_factory,
                "default_factory_takes_data": False,
            }
        field: dict[str, Any] = {
            "type": "dataclass-field",
            "name": f.name,
            "schema": schema,
            "init": f.init,
        }
        if alias is not None:
            field["validation_alias"] = alias(f.name)
        fields.append(field)
    return {
        "type": "dataclass",
        "cls": cls,
        "fields": [f.name for f in dataclasses.fields(cls)],
        "schema": {
            "type": "dataclass-args",
            "dataclass_name": cls.__name__,
            "fields": fields,
            "computed_fields": [],
            "collect_init_only": post_init,
        },
        "post_init": post_init,
        "frozen": False,
        "slots": False,
        "config": _config(cls),
        "ref": _ref(cls),
    }


def _config(cls: type[Any]) -> dict[str, Any]:
    config: dict[str, Any] = {"title": cls.__name__}
    extra = cls.__pydantic_config__.get("extra")
    if extra is not None:
        config = {"extra_fields_behavior": extra, **config}
    return config


def _ref(cls: type[Any]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def to_data(value: Any, *, exclude_none: bool = False, exclude_defaults: bool = False) -> Any:
    """A record (or anything inside one) as JSON-ready plain data: dicts in field order, keys as
    written in files, lists, strings, numbers, booleans, None, dates as ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if exclude_none and item is None:
                continue
            if exclude_defaults and _is_default(f, item):
                continue
            out[written_name(f.name)] = to_data(
                item, exclude_none=exclude_none, exclude_defaults=exclude_defaults
            )
        return out
    if isinstance(value, (list, tuple)):
        return [
            to_data(v, exclude_none=exclude_none, exclude_defaults=exclude_defaults) for v in value
        ]
    if isinstance(value, dict):
        return {
            k: to_data(v, exclude_none=exclude_none, exclude_defaults=exclude_defaults)
            for k, v in value.items()
        }
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _is_default(f: dataclasses.Field[Any], item: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(item == f.default)
    if f.default_factory is not dataclasses.MISSING:
        return bool(item == f.default_factory())
    return False
