"""Base model and field types shared by every knowledge-base model."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Model(BaseModel):
    """Frozen, and unknown keys are errors: a typo must never silently drop a fact."""

    model_config = ConfigDict(extra="forbid", frozen=True)
