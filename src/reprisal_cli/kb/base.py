"""Base record and field types shared by every knowledge-base model.

`Id` and `Text` are plain `str` at run time; when data is validated, `records.bind_annotations`
replaces them with their constrained pydantic forms (see `reprisal_cli.records`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from reprisal_cli.records import ID_PATTERN, Record, record

if TYPE_CHECKING:
    from pydantic import StringConstraints

    Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
    Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
else:
    Id = str
    Text = str


class Model(Record):
    """Frozen, and unknown keys are errors: a typo must never silently drop a fact."""


__all__ = ["Id", "Model", "Text", "record"]
