"""Renderers: a plan (or a checklist, or the blank form) in each output format.

`render(plan, fmt)` and `render_checklist(checklist, fmt)` return text (str) or, for PDF, bytes.
The terminal view lives in `render.terminal` and is the only module here that imports rich.
jinja2 and fpdf2 are imported only when an HTML or PDF file is asked for (start-up speed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pathlib import Path

    from reprisal_cli.engine.plan import Plan
    from reprisal_cli.kb.loader import KnowledgeBase
    from reprisal_cli.kb.models import Checklist

PlanFormat = Literal["json", "md", "txt", "html", "pdf"]
PLAN_FORMATS: tuple[str, ...] = ("json", "md", "txt", "html", "pdf")
CHECKLIST_FORMATS: tuple[str, ...] = ("md", "txt", "html", "pdf")


# Every document format the tool writes, by the file suffix that names it.
SUFFIX_FORMATS: tuple[str, ...] = ("json", "md", "txt", "html", "pdf")


def suffix_format(path: Path) -> str | None:
    """The format the name of `path` says (`.age` aside); None when its suffix names none."""
    # lazy: crypto (tarfile, output) is not loaded by plan FILE (bench/startup)
    from reprisal_cli.crypto import without_age_suffix

    suffix = without_age_suffix(path).suffix.lower().lstrip(".")
    return suffix if suffix in SUFFIX_FORMATS else None


@dataclass(frozen=True)
class RenderOptions:
    redact: bool = False
    explain: bool = False
    # The whole plan after the short one (every contact and source, warnings, held-back steps);
    # `explain` implies it.
    full: bool = False
    paper: Literal["a4", "letter"] = "a4"
    # The date printed on documents that carry none of their own (a checklist, the blank form);
    # a plan always prints its own `as_of`.
    as_of: str | None = None
    # The interface language (headings, labels); None: the plan's own language.
    lang: str | None = None

    @property
    def whole(self) -> bool:
        return self.full or self.explain

    def lang_for(self, plan_lang: str) -> str:
        return self.lang or plan_lang


def render(
    plan: Plan,
    fmt: str,
    kb: KnowledgeBase | None = None,
    options: RenderOptions | None = None,
) -> str | bytes:
    """The plan in one of `PLAN_FORMATS`: str, or bytes for PDF."""
    opts = options or RenderOptions()
    if fmt == "json":
        # lazy: a format loads its own modules only when asked for (bench/startup)
        from reprisal_cli.render.json import plan_json

        return plan_json(plan, redact=opts.redact)
    if fmt in ("md", "txt"):
        # lazy: a format loads its own modules only when asked for (bench/startup)
        from reprisal_cli.render import text

        return text.plan_markdown(plan, kb, opts) if fmt == "md" else text.plan_text(plan, kb, opts)
    if fmt == "html":
        # lazy: jinja2 only for HTML and PDF output (bench/startup)
        from reprisal_cli.render.html import plan_html

        return plan_html(plan, kb, opts)
    if fmt == "pdf":
        # lazy: fpdf2 only for PDF output (bench/startup)
        from reprisal_cli.render.pdf import plan_pdf

        return plan_pdf(plan, kb, opts)
    raise ValueError(f"unknown plan format {fmt!r}")


def render_checklist(
    checklist: Checklist,
    fmt: str,
    kb: KnowledgeBase | None = None,
    options: RenderOptions | None = None,
) -> str | bytes:
    """One checklist in one of `CHECKLIST_FORMATS`: str, or bytes for PDF."""
    opts = options or RenderOptions()
    if fmt in ("md", "txt"):
        # lazy: a format loads its own modules only when asked for (bench/startup)
        from reprisal_cli.render import text

        if fmt == "md":
            return text.checklist_markdown(checklist, opts.lang, kb, opts.as_of)
        return text.checklist_text(checklist, opts.lang, kb, opts.as_of)
    if fmt == "html":
        # lazy: jinja2 only for HTML and PDF output (bench/startup)
        from reprisal_cli.render.html import checklist_html

        return checklist_html(checklist, kb, opts)
    if fmt == "pdf":
        # lazy: fpdf2 only for PDF output (bench/startup)
        from reprisal_cli.render.pdf import checklist_pdf

        return checklist_pdf(checklist, kb, opts)
    raise ValueError(f"unknown checklist format {fmt!r}")
