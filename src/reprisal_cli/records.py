"""Frozen records validated by pydantic only when data comes from outside.

The knowledge base, the answers and the plan are standard-library dataclasses. Reading a YAML or
JSON file validates them with pydantic (`Record.model_validate`), but the common path — a plan from
the knowledge-base snapshot shipped in the wheel — never imports pydantic, which alone costs more
start-up time than the whole rest of a command.

Field constraints live in the annotations (`Annotated[..., Field(...)]`, `Id`, `Text`), which are
strings under `from __future__ import annotations`. At run time the module only binds placeholders;
`validator()` binds the real pydantic objects into the modules listed in `MODEL_MODULES` before
building a validator, so the annotations resolve to their constraints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import sys
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeVar, dataclass_transform

if TYPE_CHECKING:
    from pydantic import TypeAdapter

R = TypeVar("R", bound="Record")

T = TypeVar("T")


@dataclass_transform(
    frozen_default=True, kw_only_default=True, field_specifiers=(dataclasses.field,)
)
def record(cls: type[T]) -> type[T]:
    """`@record` on every model class: a frozen, keyword-only dataclass (so required and optional
    fields mix freely)."""
    return dataclasses.dataclass(frozen=True, kw_only=True)(cls)


# Modules whose annotations pydantic evaluates (see the module docstring).
MODEL_MODULES = (
    "reprisal_cli.kb.base",
    "reprisal_cli.kb.conditions",
    "reprisal_cli.kb.models",
    "reprisal_cli.kb.rules",
    "reprisal_cli.kb.questions",
    "reprisal_cli.kb.loader",
    "reprisal_cli.answers",
    "reprisal_cli.engine.plan",
    "reprisal_cli.case.model",
)

_adapters: dict[type, Any] = {}

# A knowledge-base id (kb.base.Id): lower-case letters, digits and underscores.
ID_PATTERN = r"^[a-z][a-z0-9_]*$"


def alias(name: str, **kwargs: Any) -> Any:
    """A dataclass field written as `name` in files and JSON (e.g. `not`, `in`, `schema`)."""
    return dataclasses.field(metadata={"alias": name}, **kwargs)


class Record:
    """Mixin for `@record` classes: pydantic-style helpers, pydantic imported only when used."""

    # Read by pydantic when it validates a standard-library dataclass.
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    @classmethod
    def model_validate(cls: type[R], data: Any) -> R:
        """Validate plain data into this record; raises pydantic's `ValidationError`."""
        result: R = validator(cls).validate_python(data)
        return result

    @classmethod
    def model_json_schema(
        cls, *, by_alias: bool = True, mode: Literal["validation", "serialization"] = "validation"
    ) -> dict[str, Any]:
        """JSON Schema of this record, keys as written in files."""
        schema: dict[str, Any] = validator(cls).json_schema(by_alias=by_alias, mode=mode)
        return schema

    def model_dump_json(self, *, by_alias: bool = True, indent: int | None = None) -> str:
        """The record as JSON text (UTF-8 characters kept as they are)."""
        return json.dumps(self.model_dump(by_alias=by_alias), ensure_ascii=False, indent=indent)

    def model_copy(self: R, *, update: dict[str, Any] | None = None) -> R:
        """A copy with some fields replaced (no validation)."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]

    def model_dump(
        self,
        *,
        mode: str = "json",
        by_alias: bool = True,
        exclude_none: bool = False,
        exclude_defaults: bool = False,
    ) -> dict[str, Any]:
        """Plain data: dicts, lists, strings, numbers, booleans, None (dates as ISO text)."""
        del mode  # always JSON-compatible
        data = to_data(
            self, by_alias=by_alias, exclude_none=exclude_none, exclude_defaults=exclude_defaults
        )
        assert isinstance(data, dict)
        return data


def to_data(
    value: Any, *, by_alias: bool = True, exclude_none: bool = False, exclude_defaults: bool = False
) -> Any:
    """A record (or anything inside one) as JSON-compatible plain data, fields in declared order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if exclude_none and item is None:
                continue
            if exclude_defaults and _is_default(f, item):
                continue
            key = f.metadata.get("alias", f.name) if by_alias else f.name
            out[key] = to_data(
                item,
                by_alias=by_alias,
                exclude_none=exclude_none,
                exclude_defaults=exclude_defaults,
            )
        return out
    if isinstance(value, (list, tuple)):
        return [
            to_data(
                v, by_alias=by_alias, exclude_none=exclude_none, exclude_defaults=exclude_defaults
            )
            for v in value
        ]
    if isinstance(value, dict):
        return {
            k: to_data(
                v, by_alias=by_alias, exclude_none=exclude_none, exclude_defaults=exclude_defaults
            )
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


def validator(cls: type[R]) -> TypeAdapter[R]:
    """pydantic's validator for a record class (built once, after binding the annotations)."""
    adapter = _adapters.get(cls)
    if adapter is None:
        bind_annotations()
        # lazy: pydantic only when data is validated, not on the snapshot path (bench/startup)
        from pydantic import TypeAdapter

        adapter = TypeAdapter(cls)
        _adapters[cls] = adapter
    return adapter


_bound = False


def bind_annotations() -> None:
    """Give the model modules the pydantic objects their annotations name."""
    global _bound  # noqa: PLW0603 - once per process
    if _bound:
        return
    # lazy: pydantic only when data is validated, never on the snapshot path (bench/startup)
    from pydantic import Field, StringConstraints

    names = {
        "Field": Field,
        "StringConstraints": StringConstraints,
        "Id": Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)],
        "Text": Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)],
    }
    for module_name in MODEL_MODULES:
        module = sys.modules.get(module_name) or importlib.import_module(module_name)
        for name, value in names.items():
            module.__dict__[name] = value
    _bound = True
