"""Renderers: a plan (or a checklist, or the blank form) in each output format.

`render(plan, fmt)` returns text (str) or, for PDF, bytes. The terminal view lives in
`render.terminal` and is the only module here that imports rich.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan
    from reprisal_cli.kb.loader import KnowledgeBase

PlanFormat = Literal["json", "md", "txt", "html", "pdf"]
PLAN_FORMATS: tuple[str, ...] = ("json", "md", "txt")


@dataclass(frozen=True)
class RenderOptions:
    redact: bool = False
    explain: bool = False
    paper: Literal["a4", "letter"] = "a4"


def render(
    plan: Plan,
    fmt: str,
    kb: KnowledgeBase | None = None,
    options: RenderOptions | None = None,
) -> str | bytes:
    """The plan in one file format (json, md, txt, and more as they are added)."""
    opts = options or RenderOptions()
    if fmt == "json":
        from reprisal_cli.render.json import plan_json

        return plan_json(plan, redact=opts.redact)
    if fmt in ("md", "txt"):
        from reprisal_cli.render import text

        return text.plan_markdown(plan, kb, opts) if fmt == "md" else text.plan_text(plan, kb, opts)
    raise ValueError(f"unknown plan format {fmt!r}")
