"""Frozen records: standard-library dataclasses, validated by pydantic when data comes from outside.

The knowledge base, the answers, the case and the plan are frozen dataclasses (`@record`). Data
read from a file is checked with `validate` (pydantic's `TypeAdapter`); a plan built from the
knowledge-base snapshot shipped in the wheel never imports pydantic, which alone costs more
start-up time than the rest of a command (bench/RESULTS.md). Copies are `dataclasses.replace`;
`to_data` gives JSON-ready plain data and `json_schema` the JSON Schema.

Field constraints are written in the annotations with this module's markers, which pydantic reads
when it validates and which cost nothing to import: `MinLen`, `MaxLen` and `Interval` (named as in
annotated-types, whose import alone took 8 ms of a `plan`'s start-up, bench/RESULTS.md) and `Chars`
(a pattern, whitespace stripped). A field named
after a Python keyword ends in `_` (`not_`, `in_`, `schema_`); files and JSON write it without
(`written_name`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, dataclass_transform

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, TypeAdapter
    from pydantic_core import CoreSchema

__all__ = [
    "Chars",
    "Interval",
    "MaxLen",
    "MinLen",
    "Record",
    "json_schema",
    "record",
    "to_data",
    "validate",
    "written_name",
]

T = TypeVar("T")
R = TypeVar("R", bound="Record")


def written_name(name: str) -> str:
    """A field's key in files and JSON: its name without a trailing `_` (`not_` is `not`)."""
    return name[:-1] if name.endswith("_") else name


class Record:
    """Base of every record: unknown keys are errors, so a typo never silently drops a fact."""

    # Read by pydantic when it validates a standard-library dataclass.
    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "extra": "forbid",
        "alias_generator": written_name,
    }


@dataclass_transform(
    frozen_default=True, kw_only_default=True, field_specifiers=(dataclasses.field,)
)
def record(cls: type[T]) -> type[T]:
    """`@record` on every model class: a frozen, keyword-only dataclass (so required and optional
    fields mix freely)."""
    return dataclasses.dataclass(frozen=True, kw_only=True)(cls)


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
    """Plain data (parsed YAML or JSON) checked into a record; raises pydantic's
    `ValidationError`."""
    result: R = _adapter(cls).validate_python(data)
    return result


def json_schema(
    cls: type[Record], *, mode: Literal["validation", "serialization"] = "validation"
) -> dict[str, Any]:
    """The JSON Schema of a record, keys as written in files."""
    schema: dict[str, Any] = _adapter(cls).json_schema(by_alias=True, mode=mode)
    return schema


_adapters: dict[type[Any], Any] = {}


def _adapter(cls: type[R]) -> TypeAdapter[R]:
    """pydantic's validator for a record class, built once per process."""
    adapter: TypeAdapter[R] | None = _adapters.get(cls)
    if adapter is None:
        # lazy: pydantic only when data is validated, not on the snapshot path (bench/startup)
        from pydantic import TypeAdapter

        adapter = _adapters[cls] = TypeAdapter(cls)
    return adapter


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
