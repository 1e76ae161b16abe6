"""Where a value was written in a document, and how deep a document may nest.

Shared by `documents` (which parses) and `yaml_loader` (which records positions while PyYAML
composes), so that neither imports the other's module for them.
"""

from __future__ import annotations

MAX_DEPTH = 64
PathPart = str | int
Position = tuple[int, int]  # 1-based line and column
