"""reprisal-cli: offline do-no-harm action plans for defenders facing reprisals.

Public API: `load_kb`, `load_answers`, `evaluate`, `render`. Imports are lazy so the command line
starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "evaluate", "load_answers", "load_kb", "render"]

if TYPE_CHECKING:
    from reprisal_cli.answers import load_answers
    from reprisal_cli.engine.evaluate import evaluate
    from reprisal_cli.kb.loader import load_kb
    from reprisal_cli.render import render


def __getattr__(name: str) -> Any:
    if name == "load_kb":
        # lazy: the public API loads the engine only when used (bench/startup)
        from reprisal_cli.kb.loader import load_kb

        return load_kb
    if name == "load_answers":
        # lazy: the public API loads the engine only when used (bench/startup)
        from reprisal_cli.answers import load_answers

        return load_answers
    if name == "evaluate":
        # lazy: the public API loads the engine only when used (bench/startup)
        from reprisal_cli.engine.evaluate import evaluate

        return evaluate
    if name == "render":
        # lazy: the public API loads the engine only when used (bench/startup)
        from reprisal_cli.render import render

        return render
    raise AttributeError(name)
