"""The engine: answers + knowledge base -> plan, with the do-no-harm gates. Pure: never prints."""

from __future__ import annotations

from reprisal_cli.engine.evaluate import evaluate

__all__ = ["evaluate"]
