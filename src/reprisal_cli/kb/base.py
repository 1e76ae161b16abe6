"""Base record and field types shared by every knowledge-base model."""

from __future__ import annotations

from typing import Annotated

from reprisal_cli.records import Chars, Record, record

# A knowledge-base id: lower-case letters, digits and underscores.
ID_PATTERN = r"^[a-z][a-z0-9_]*$"

Id = Annotated[str, Chars(pattern=ID_PATTERN, max_length=64)]
# Text a person reads: surrounding whitespace dropped, never empty.
Text = Annotated[str, Chars(strip_whitespace=True, min_length=1)]


class Model(Record):
    """Frozen, and unknown keys are errors: a typo must never silently drop a fact."""


__all__ = ["ID_PATTERN", "Id", "Model", "Text", "record"]
