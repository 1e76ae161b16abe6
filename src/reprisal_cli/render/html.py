"""The plan and the checklists as one self-contained HTML file, made to be printed.

The page carries its own stylesheet and nothing else: no script, no image, no font and no link
to anywhere, so an offline copy never reaches the network (web contacts are plain text). Every
text from the plan or the knowledge base is cleaned (`render.escape`) and then escaped by jinja2's
autoescape. The views built here (`plan_view`, `checklist_view`) are what the PDF renderer
prints too, so HTML and PDF say the same thing in the same order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reprisal_cli.i18n import N_, _, current_lang, use_lang
from reprisal_cli.render import labels, outline
from reprisal_cli.render.bidi import bdi_html
from reprisal_cli.render.escape import one_line, paragraphs

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan, Step
    from reprisal_cli.kb.knowledge import KnowledgeBase
    from reprisal_cli.kb.models import Checklist
    from reprisal_cli.render import RenderOptions
    from reprisal_cli.render.outline import Summary

SENSITIVE = N_("sensitive \u2014 keep safe")
RTL_LANGS = frozenset({"ar", "fa", "he", "ur", "ps", "ku", "yi", "dv"})
PAPER_CSS = {"a4": "A4", "letter": "letter"}


def clean(text: str) -> str:
    """The one sanitising call for HTML and PDF: untrusted text on one line."""
    return one_line(text)


def paras(text: str) -> tuple[str, ...]:
    """Untrusted text as cleaned paragraphs."""
    return tuple(paragraphs(text))


@dataclass(frozen=True)
class ContactView:
    name: str
    channel: str
    value: str
    check_first: bool
    notes: tuple[str, ...]


@dataclass(frozen=True)
class StepView:
    number: int
    id: str
    title: str
    priority: int
    flags: tuple[str, ...]
    detail: tuple[str, ...]
    advice: tuple[str, ...]
    contacts: tuple[ContactView, ...]
    checklists: tuple[str, ...]
    reason: str
    why: tuple[str, ...]


@dataclass(frozen=True)
class HeldView:
    id: str
    title: str
    gate_id: str
    route: str


@dataclass(frozen=True)
class HeldGroupView:
    """The steps one gate holds back for one reason (`outline.HeldGroup`)."""

    gate: str
    steps: tuple[HeldView, ...]
    reason: str
    others: str


@dataclass(frozen=True)
class RiskView:
    level: str
    level_id: str
    groups: tuple[tuple[str, tuple[str, ...]], ...]
    reassess: str


@dataclass(frozen=True)
class PageView:
    """What every printed page shares: language, paper, the header line and the footer."""

    title: str
    lang: str
    dir: str
    paper: str
    as_of: str | None
    kb_line: str | None
    kb_version: str | None
    kb_fingerprint: str | None
    sensitive: bool


@dataclass(frozen=True)
class PlanView:
    page: PageView
    case_id: str | None
    top_warnings: tuple[str, ...]
    risk: RiskView
    steps: tuple[StepView, ...]
    warnings: tuple[str, ...]
    withheld: tuple[HeldGroupView, ...]
    precedents: tuple[str, ...]
    explain: bool
    unreviewed: bool
    # The short plan every printed plan opens with; `full`: the details follow it.
    summary: Summary
    full: bool = False
    withheld_heading: str = ""

    @property
    def summary_risk_line(self) -> str:
        return outline.risk_line(self.summary)


@dataclass(frozen=True)
class SectionView:
    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistView:
    page: PageView
    id: str
    title: str
    purpose: tuple[str, ...]
    sections: tuple[SectionView, ...]
    sources: tuple[str, ...]


def text_dir(lang: str) -> str:
    """`rtl` for languages written right to left, else `ltr`."""
    return "rtl" if lang.split("-", maxsplit=1)[0].lower() in RTL_LANGS else "ltr"


def css_string(text: str) -> str:
    """Text for the inside of a CSS string (page headers): ASCII letters, digits and spaces as
    they are, every other character as a CSS escape, so it can never end the string or the
    style sheet."""
    return _css_chars(clean(text))


def _css_chars(text: str) -> str:
    out = []
    for char in text:
        if char.isascii() and (char.isalnum() or char == " "):
            out.append(char)
        else:
            # The space ends the escape (and is consumed by it), so a space after it survives.
            out.append(f"\\{ord(char):06X} ")
    return "".join(out)


def page_counter() -> str:
    """The CSS `content` of the page footer: "page N of M" in the interface language (markup:
    every text in it went through `css_string`)."""
    # lazy: jinja2 only for HTML and PDF output (bench/startup)
    from markupsafe import Markup

    out = []
    for part in re.split(r"(\{page\}|\{pages\})", _("page {page} of {pages}")):
        if part == "{page}":
            out.append("counter(page)")
        elif part == "{pages}":
            out.append("counter(pages)")
        elif part:
            out.append(f'"{_css_chars(part)}"')
    return Markup(" ".join(out))


def _lang(lang: str) -> str:
    # A language tag goes into an attribute: keep only what a BCP 47 tag may hold.
    tag = "".join(c for c in lang if c.isascii() and (c.isalnum() or c == "-"))
    return tag or "en"


def _step(number: int, step: Step, kb: KnowledgeBase | None, plan: Plan) -> StepView:
    audience = plan.audience
    contacts = tuple(
        ContactView(
            name=name,
            channel=channel,
            value=value,
            check_first=contact.status == "check_current",
            notes=tuple(notes),
        )
        for contact, ((name, channel, value), notes) in zip(
            step.contacts, labels.contact_lines(step.contacts, kb), strict=True
        )
    )
    return StepView(
        number=number,
        id=clean(step.id),
        title=clean(step.title),
        priority=step.priority,
        flags=tuple(labels.flags(step)),
        detail=tuple(clean(p) for p in outline.full_detail(plan, step)),
        advice=tuple(clean(tip) for tip in step.advice),
        contacts=contacts,
        checklists=tuple(labels.checklist_titles(step, kb, audience)),
        reason=labels.reason(step, kb, audience=audience),
        why=tuple(labels.why_trace(w) for w in step.why) or (_("no rule recorded"),),
    )


def plan_view(plan: Plan, kb: KnowledgeBase | None, opts: RenderOptions) -> PlanView:
    """Everything a printed plan shows, cleaned and in order (shared by HTML and PDF), with
    headings and labels in the interface language (`opts.lang`, else the plan's)."""
    with use_lang(opts.lang_for(plan.lang)):
        return _plan_view(plan, kb, opts)


def _plan_view(plan: Plan, kb: KnowledgeBase | None, opts: RenderOptions) -> PlanView:
    lang = _lang(current_lang())
    page = PageView(
        title=_(labels.TITLE),
        lang=lang,
        dir=text_dir(lang),
        paper=opts.paper,
        as_of=clean(plan.as_of),
        kb_line=labels.kb_line(plan),
        kb_version=clean(plan.kb.version),
        kb_fingerprint=clean(labels.short_fingerprint(plan.kb.fingerprint)),
        sensitive=not opts.redact,
    )
    top = [n for wid in labels.TOP_WARNINGS for n in plan.warnings if n.id == wid]
    top_lines = tuple(
        (_(labels.NOT_A_GUARANTEE) + " " if i == 0 else "") + clean(n.text)
        for i, n in enumerate(top)
    )
    risk = plan.risk
    groups = tuple(
        (name, tuple(clean(n.text) for n in notes))
        for name, notes in (
            (_("Threats:"), risk.threats),
            (_("Vulnerabilities:"), risk.vulnerabilities),
            (_("Capacities:"), risk.capacities),
        )
        if notes
    )
    return PlanView(
        page=page,
        case_id=None if plan.case_id is None or opts.redact else clean(plan.case_id),
        top_warnings=top_lines,
        risk=RiskView(
            level=labels.risk_level(risk.level),
            level_id=risk.level if risk.level in labels.RISK_LEVELS else "unknown",
            groups=groups,
            reassess=labels.reassess(risk.reassess_after_days, plan.as_of),
        ),
        steps=tuple(_step(i, s, kb, plan) for i, s in enumerate(plan.steps, start=1)),
        warnings=tuple(clean(n.line()) for n in outline.full_warnings(plan)),
        withheld=tuple(
            HeldGroupView(
                gate=clean(g.gate),
                steps=tuple(
                    HeldView(
                        id=clean(h.id),
                        title=clean(h.title),
                        gate_id=clean(h.gate_id),
                        route=clean(h.route),
                    )
                    for h in g.steps
                ),
                reason=clean(g.reason),
                others=clean(g.others),
            )
            for g in outline.withheld_groups(plan, kb)
        ),
        precedents=tuple(clean(p.title) for p in plan.precedents),
        explain=opts.explain,
        unreviewed=labels.unreviewed(plan, current_lang()),
        summary=outline.summary(plan, kb),
        full=opts.whole,
        withheld_heading=labels.withheld_heading(plan.audience),
    )


def checklist_view(
    checklist: Checklist, kb: KnowledgeBase | None, opts: RenderOptions
) -> ChecklistView:
    """Everything a printed checklist shows, cleaned and in order (shared by HTML and PDF)."""
    with use_lang(opts.lang or current_lang()):
        return _checklist_view(checklist, kb, opts)


def _checklist_view(
    checklist: Checklist, kb: KnowledgeBase | None, opts: RenderOptions
) -> ChecklistView:
    version = clean(kb.meta.version) if kb is not None else None
    fingerprint = clean(labels.short_fingerprint(kb.fingerprint)) if kb is not None else None
    kb_line = None
    if kb is not None and version is not None and fingerprint is not None:
        kb_line = labels.kb_words(version, fingerprint, kb.custom, kb.modified)
    title = clean(checklist.title)
    lang = _lang(current_lang())
    page = PageView(
        title=title,
        lang=lang,
        dir=text_dir(lang),
        paper=opts.paper,
        as_of=clean(opts.as_of) if opts.as_of else None,
        kb_line=kb_line,
        kb_version=version,
        kb_fingerprint=fingerprint,
        sensitive=not opts.redact,
    )
    return ChecklistView(
        page=page,
        id=clean(checklist.id),
        title=title,
        purpose=paras(checklist.purpose),
        sections=tuple(
            SectionView(title=clean(s.title), items=tuple(clean(i) for i in s.items))
            for s in checklist.sections
        ),
        sources=tuple(clean(labels.citation(s)) for s in checklist.sources),
    )


def render_template(name: str, **context: Any) -> str:
    """A template from `render/templates`, autoescaped. Shared by every HTML document."""
    # lazy: jinja2 only for HTML and PDF output (bench/startup)
    import jinja2
    from markupsafe import Markup

    rtl = text_dir(current_lang()) == "rtl"

    def finalize(value: Any) -> Any:
        # Right-to-left pages: each date, number, address or Latin phrase inside the text in a
        # `<bdi dir="ltr">`, so "2026-01-10" is not shown "10-01-2026" (`render.bidi`). Markup
        # (already escaped, like the `plain` filter's) is left as it is.
        if rtl and isinstance(value, str) and not isinstance(value, Markup):
            return Markup(bdi_html(value))
        return value

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reprisal_cli.render", "templates"),
        autoescape=True,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    env.filters["plain"] = Markup.escape  # no markup: the <title>
    env.globals.update(
        paper_css=PAPER_CSS, sensitive_text=_(SENSITIVE), _=_, page_counter=page_counter
    )
    return env.get_template(name).render(**context)


def plan_html(plan: Plan, kb: KnowledgeBase | None, opts: RenderOptions) -> str:
    """The plan as one self-contained, printable HTML file (`--format html`)."""
    view = plan_view(plan, kb, opts)
    with use_lang(view.page.lang):
        return render_template("plan.html.j2", page=view.page, plan=view)


def checklist_html(
    checklist: Checklist, kb: KnowledgeBase | None, opts: RenderOptions | None = None
) -> str:
    """One checklist as a self-contained, printable HTML file, each item with a tick box."""
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.render import RenderOptions

    view = checklist_view(checklist, kb, opts or RenderOptions())
    with use_lang(view.page.lang):
        return render_template("checklist.html.j2", page=view.page, checklist=view)
