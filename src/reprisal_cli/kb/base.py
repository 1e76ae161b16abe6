"""Base record and field types shared by every knowledge-base model."""

from __future__ import annotations

import re
from typing import Annotated

from reprisal_cli.records import Chars, Record, record

# A knowledge-base id: lower-case letters, digits and underscores.
ID_PATTERN = r"^[a-z][a-z0-9_]*$"

Id = Annotated[str, Chars(pattern=ID_PATTERN, max_length=64)]
# Text a person reads: surrounding whitespace dropped, never empty.
Text = Annotated[str, Chars(strip_whitespace=True, min_length=1)]


# A place in a knowledge-base text for a value: "{date}", "{body}".
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(template: str, **values: str) -> str:
    """`template` with each `{name}` of `values` replaced, in one pass: a value put in is never
    read again, so a name (a knowledge base added with --kb-add, a case file's words) that holds
    "{date}" stays as written instead of taking the date. Other braces stay as they are."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


class Model(Record):
    """Frozen, and unknown keys are errors: a typo must never silently drop a fact."""


__all__ = ["ID_PATTERN", "Id", "Model", "Text", "fill", "record"]
