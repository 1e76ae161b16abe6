"""The emergency card (`reprisal-cli card`): one page to cut out and fold into a wallet.

It holds the 24-hour lines of `safety.yaml` (resolved by the engine, as in the plan's emergency
step), two or three contacts from the plan's first steps, and the first three steps. It never
holds anything that identifies the person: no case id, no notes, no answers in words. The PDF
puts a card-sized block (four 85 x 55 mm panels) on one page with cut and fold lines; the text
version fits 80 columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reprisal_cli.i18n import N_, _, current_lang, use_lang
from reprisal_cli.render.escape import one_line

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan, PlanContact, Step
    from reprisal_cli.kb.knowledge import KnowledgeBase
    from reprisal_cli.render import RenderOptions
    from reprisal_cli.render.html import PageView
    from reprisal_cli.render.pdf import PrintDoc

CARD_FORMATS: tuple[str, ...] = ("pdf", "txt", "html")
TITLE = N_("Emergency card")
LINES_HEAD = N_("24-hour help for defenders")
CONTACTS_HEAD = N_("Contacts for this case")
STEPS_HEAD = N_("Do first")
NO_NAMES = N_("No names on this card. Keep it out of sight.")
DANGER = N_("In danger now? Call a 24-hour line first. UN bodies give no physical protection.")
HOW_TO_FOLD = N_(
    "Cut along the dashed line. Fold along the dotted lines: first down the middle, then in half "
    "again, so the 24-hour lines are on the outside. The card holds no names and no case details."
)
# The text card has a box and no dashed or dotted lines (caseworker review 6, C2): it says only
# what it shows. The PDF and HTML cards draw both kinds of line and say `HOW_TO_FOLD`.
HOW_TO_FOLD_TEXT = N_(
    "Cut along the edge of the box. Fold it so that the 24-hour phone numbers stay on the "
    "outside. The card holds no names and no case details."
)
KB_ALERTS = ("custom_kb", "modified_kb")
CASE_CONTACTS = 3
FIRST_STEPS = 3


@dataclass(frozen=True)
class CardLine:
    who: str
    how: str
    value: str
    hours: str | None
    check: bool
    fallback: str | None  # "channel value" of the confirmed fallback of a check_current contact
    # When it was last confirmed, in a few words ("checked 2026-11", "not confirmed since 2019
    # — check before use"): a fallback web page is no help offline or in an emergency.
    marker: str = ""


@dataclass(frozen=True)
class CardView:
    page: PageView
    generic: bool
    lines: tuple[CardLine, ...]
    contacts: tuple[CardLine, ...]
    steps: tuple[str, ...]
    # The plan's warning that its knowledge base is custom or changed since release: the
    # numbers on the card come from it.
    alerts: tuple[str, ...] = ()


def _line(
    contact: PlanContact, kb: KnowledgeBase, offered: frozenset[str] | None = None
) -> CardLine:
    """A contact on the card, with its fallback when it has one: for a step's contact, only a
    fallback the step offers too (`offered`, its contacts' ids). The engine leaves out a
    fallback that a body must not be reached at (a UN address for a regional body after a no
    to the UN, `engine.contacts.resolve`): the card printed it from the knowledge base all the
    same (red team 2026-12-03, red25)."""
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.render.labels import channel, marker

    known = kb.contacts.get(contact.id)
    fallback = None
    if (
        contact.status == "check_current"
        and known is not None
        and known.fallback is not None
        and (offered is None or known.fallback in offered)
    ):
        other = kb.contacts.get(known.fallback)
        if other is not None:
            fallback = f"{channel(other.channel)} {one_line(other.value)}"
    return CardLine(
        who=_who(contact, kb),
        how=channel(contact.channel),
        value=one_line(contact.value),
        hours=one_line(known.hours) if known is not None and known.hours else None,
        check=contact.status == "check_current",
        fallback=fallback,
        marker=marker(contact),
    )


def _short(text: str) -> str:
    # "Name (long explanation)" -> "Name": the card has room for the name only.
    text = one_line(text)
    head, sep, _ = text.partition(" (")
    return head if sep and text.endswith(")") and head else text


def _who(contact: PlanContact, kb: KnowledgeBase) -> str:
    known = kb.contacts.get(contact.id)
    owner = kb.contact_owner.get(contact.id)
    if known is None or owner is None:
        return one_line(contact.name)
    name = _short(owner.name)
    mech = kb.mechanisms.get(owner.id)
    if mech is not None and mech.short_name:
        name = one_line(mech.short_name)
    if not known.label:
        return name
    label = _short(known.label)
    first = name.split()[0] if name.split() else name
    return label if label.startswith(first) else f"{name} \u2013 {label}"


def _without_fallbacks(contacts: tuple[PlanContact, ...], kb: KnowledgeBase) -> list[PlanContact]:
    """The contacts but those shown as another one's fallback; phone lines first."""
    fallbacks = {
        kb.contacts[c.id].fallback
        for c in contacts
        if c.status == "check_current" and c.id in kb.contacts
    }
    kept = [c for c in contacts if c.id not in fallbacks]
    order = {"phone": 0, "signal": 1, "email": 2, "web": 3}
    return sorted(kept, key=lambda c: order.get(c.channel, 4))


def card_view(
    plan: Plan,
    kb: KnowledgeBase,
    opts: RenderOptions,
    *,
    generic: bool = False,
    with_un: bool = False,
) -> CardView:
    """What the card shows, cleaned, in order; nothing that identifies the person, and no UN or
    regional contact or step unless `with_un`. Its words are in the interface language
    (`opts.lang`, else the current one)."""
    with use_lang(opts.lang or current_lang()):
        return _card_view(plan, kb, opts, generic=generic, with_un=with_un)


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def hotline_lines(kb: KnowledgeBase, as_of: dt.date | None = None) -> tuple[CardLine, ...]:
    """The 24-hour lines as the engine gives them (`engine.contacts.hotlines`), 24-hour phone
    lines first, each with when it was last confirmed. Also printed on the blank form and on
    the questionnaire's danger screen."""
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.engine.contacts import hotlines

    return tuple(_line(c, kb) for c in hotlines(kb, as_of))


def _un(contact: PlanContact, kb: KnowledgeBase) -> bool:
    """Whether a contact belongs to a UN or regional body: a card found in a search must not
    link its bearer to them unless asked (`with_un`)."""
    owner = kb.contact_owner.get(contact.id)
    return owner is not None and owner.id in kb.mechanisms


def _card_view(
    plan: Plan, kb: KnowledgeBase, opts: RenderOptions, *, generic: bool, with_un: bool
) -> CardView:
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.engine.contacts import emergency_contact_ids
    from reprisal_cli.render import labels
    from reprisal_cli.render.html import PageView, clean, text_dir

    steps = [s for s in plan.steps if with_un or not (s.shares_with_un or s.shares_with_regional)]
    emergency = next((s for s in steps if s.id == kb.safety.emergency_step.id), None)
    found = _around_the_clock(plan, kb, steps, emergency)
    lines = tuple(_line(c, kb) for c in found)
    seen = {c.id for c in found} | {_fallback(c.id, kb) for c in found} - {None}
    contacts: list[CardLine] = []
    if not generic:
        # The contacts of the case's own steps first; those every plan's emergency step gives
        # (its web form) only from that step, last, if there is room: the 24-hour block holds
        # its lines.
        every_plan = emergency_contact_ids(kb)
        others = [s for s in steps if s is not emergency]
        for step in [*others, emergency] if emergency is not None else others:
            offered = frozenset(c.id for c in step.contacts)
            for contact in _without_fallbacks(step.contacts, kb):
                if contact.id in seen or len(contacts) >= CASE_CONTACTS:
                    continue
                if step is not emergency and contact.id in every_plan:
                    continue
                if not with_un and _un(contact, kb):
                    continue
                seen |= {contact.id, _fallback(contact.id, kb)} - {None}
                contacts.append(_line(contact, kb, offered))
    lang = current_lang()
    page = PageView(
        title=_(TITLE),
        lang=lang,
        dir=text_dir(lang),
        paper=opts.paper,
        as_of=clean(plan.as_of),
        kb_line=labels.kb_line(plan),
        kb_version=clean(plan.kb.version),
        kb_fingerprint=clean(labels.short_fingerprint(plan.kb.fingerprint)),
        sensitive=True,
    )
    return CardView(
        page=page,
        generic=generic,
        lines=lines,
        contacts=tuple(contacts),
        steps=tuple(one_line(s.title) for s in _device_step_first(steps)[:FIRST_STEPS]),
        alerts=tuple(one_line(w.text) for w in plan.warnings if w.id in KB_ALERTS),
    )


def _fallback(contact_id: str, kb: KnowledgeBase) -> str | None:
    known = kb.contacts.get(contact_id)
    return known.fallback if known is not None else None


def _around_the_clock(
    plan: Plan, kb: KnowledgeBase, steps: list[Step], emergency: Step | None
) -> list[PlanContact]:
    """The lines of the card's 24-hour block: only contacts that answer around the clock
    (`engine.contacts.around_the_clock`), the global line first, then those serving the State
    responsible or of residence, as the plan's emergency step orders them (`regional_lines`),
    then any other the plan's steps give; without an emergency step in the plan, the global
    lines (`hotlines`). Caseworker review 6, B8: the block listed a web form, and a regional
    24/7 line stood among the case's contacts."""
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.engine.contacts import around_the_clock, hotlines

    first = emergency.contacts if emergency is not None else hotlines(kb, _day(plan.as_of))
    found: dict[str, PlanContact] = {}
    for contact in [*first, *(c for s in steps for c in s.contacts)]:
        if contact.id not in found and around_the_clock(contact.id, kb):
            found[contact.id] = contact
    return list(found.values())


def _device_step_first(steps: list[Step]) -> list[Step]:
    """The steps with the device step before the first other step that sends information. The
    plan may put it later (a person held: the urgent appeal and the lawyer first, each carrying
    the device advice), but the card shows titles only and cannot carry that advice (red48)."""
    device = next((s for s in steps if s.kind == "digital_security"), None)
    first = next(
        (i for i, s in enumerate(steps) if s.sends_information and s.kind != "emergency"), None
    )
    if device is None or first is None or steps.index(device) <= first:
        return steps
    rest = [s for s in steps if s is not device]
    return [*rest[:first], device, *rest[first:]]


def line_words(line: CardLine) -> tuple[str, str, str | None]:
    """Who; how and value (with the hours); when it was last confirmed."""
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.render import labels

    value = f"{line.how}{labels.colon()}{line.value}" + (f" ({line.hours})" if line.hours else "")
    return line.who, value, line.marker or None


# Plain text -------------------------------------------------------------------------------------


def card_text(view: CardView) -> str:
    """The card as plain text in a box, at most 80 columns wide."""
    with use_lang(view.page.lang):
        return _card_text(view)


def _card_text(view: CardView) -> str:
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.render.labels import width, wrap

    inner = 76
    body: list[str] = []

    def add(text: str, indent: str = "", hanging: str | None = None) -> None:
        body.extend(wrap(text, inner, indent, hanging))

    def add_value(text: str) -> None:
        # A printed card has no room for a link wider than its box: folded (`wrap_spans`).
        body.extend(wrap(text, inner, "  ", "  ", fold_links=True))

    add(f"{_(TITLE).upper()} \u00b7 {view.page.as_of}")
    for alert in view.alerts:
        add("!! " + alert, "", "   ")
    add(_(DANGER))
    body.append("")
    add(_("{heading}:").format(heading=_(LINES_HEAD)))
    for line in view.lines:
        who, value, note = line_words(line)
        add(who, "- ", "  ")
        add_value(value)
        if note:
            add(("!! " if line.check else "") + note, "  ", "     ")
    if view.contacts:
        body.append("")
        add(_("{heading}:").format(heading=_(CONTACTS_HEAD)))
        for line in view.contacts:
            who, value, note = line_words(line)
            add(who, "- ", "  ")
            add_value(value)
            if note:
                add(("!! " if line.check else "") + note, "  ", "     ")
    body.append("")
    add(_("{heading}:").format(heading=_(STEPS_HEAD)))
    for number, step in enumerate(view.steps, start=1):
        add(step, f"{number}. ", "   ")
    body.append("")
    add(_(NO_NAMES))
    edge = "+" + "-" * (inner + 2) + "+"
    out = [edge]
    out += [f"| {text}{' ' * (inner - width(text))} |" for text in body]
    out += [edge, *wrap(_(HOW_TO_FOLD_TEXT), 80), ""]
    return "\n".join(out)


# HTML -------------------------------------------------------------------------------------------


def card_html(view: CardView) -> str:
    """The card as a self-contained, printable HTML page."""
    # lazy: jinja2 only for HTML and PDF output (bench/startup)
    from reprisal_cli.render.html import render_template

    def rows(lines: tuple[CardLine, ...]) -> list[tuple[str, str, str | None]]:
        return [line_words(line) for line in lines]

    with use_lang(view.page.lang):
        return render_template(
            "card.html.j2",
            page=view.page,
            card=view,
            lines=rows(view.lines),
            contacts=rows(view.contacts),
            words={
                "title": _(TITLE),
                "danger": _(DANGER),
                "lines": _(LINES_HEAD),
                "contacts": _(CONTACTS_HEAD),
                "steps": _(STEPS_HEAD),
                "no_names": _(NO_NAMES),
                "fold": _(HOW_TO_FOLD),
            },
        )


# PDF --------------------------------------------------------------------------------------------

PANEL_W = 85.0
PANEL_H = 55.0
PAD = 3.0
SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5)


def _column_items(view: CardView, column: int) -> list[tuple[str, str]]:
    """The left column (the outside once folded): the 24-hour lines; the right one: the case's
    contacts, what to do first and the no-names note, so the fourth panel is never empty."""
    items: list[tuple[str, str]] = []
    if column == 0:
        items.append(("title", f"{_(TITLE)} \u00b7 {view.page.as_of}"))
        items += [("alert", alert) for alert in view.alerts]
        items.append(("alert", _(DANGER)))
        items.append(("head", _(LINES_HEAD)))
        for line in view.lines:
            who, value, note = line_words(line)
            items += [("value", value), ("who", who)]
            if note:
                items.append(("check" if line.check else "who", note))
        return items
    if view.contacts:
        items.append(("head", _(CONTACTS_HEAD)))
        for line in view.contacts:
            who, value, note = line_words(line)
            items += [("value", value), ("who", who)]
            if note:
                items.append(("check" if line.check else "who", note))
    items.append(("head", _(STEPS_HEAD)))
    items += [("step", f"{n}. {s}") for n, s in enumerate(view.steps, start=1)]
    items.append(("small", _(NO_NAMES)))
    return items


def _blocks(items: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Items grouped so a contact (who, value, note) and a heading with what follows stay
    together."""
    blocks: list[list[tuple[str, str]]] = []
    for kind, text in items:
        joins = blocks and (kind in ("who", "check") or blocks[-1][-1][0] in ("head", "title"))
        if joins:
            blocks[-1].append((kind, text))
        else:
            blocks.append([(kind, text)])
    return blocks


def _cut_and_fold(doc: PrintDoc, x0: float, y0: float) -> None:
    """The cut line (dashed) round the card and the fold lines (dotted) across it."""
    # lazy: fpdf2 only for PDF output (bench/startup)
    from reprisal_cli.render.pdf import FONT, GREY, INK

    pdf = doc.pdf
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.set_dash_pattern(dash=2.5, gap=1.5)
    pdf.rect(x0, y0, 2 * PANEL_W, 2 * PANEL_H)
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=0.5, gap=1.2)
    pdf.line(x0 + PANEL_W, y0, x0 + PANEL_W, y0 + 2 * PANEL_H)
    pdf.line(x0, y0 + PANEL_H, x0 + 2 * PANEL_W, y0 + PANEL_H)
    pdf.set_dash_pattern()
    pdf.set_xy(x0, y0 + 2 * PANEL_H + 3)
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*GREY)
    legend = "\u2702  " + _("cut") + "  - - -     " + _("fold") + "  \u00b7 \u00b7 \u00b7"
    pdf.cell(2 * PANEL_W, 4, legend, align="L")


def _card_pdf(view: CardView, size: float) -> tuple[bytes, bool]:
    """The page at type `size`; whether both columns fit their panels."""
    # lazy: fpdf2 only for PDF output (bench/startup)
    from reprisal_cli.render.pdf import BROWN, FONT, GREY, INK, NAVY, RED, PrintDoc

    doc = PrintDoc(view.page)
    pdf = doc.pdf
    doc.title(_(TITLE))
    doc.para(_(HOW_TO_FOLD), size=10)
    pdf.set_auto_page_break(auto=False)
    x0 = (pdf.w - 2 * PANEL_W) / 2
    y0 = pdf.get_y() + 6
    bottom = y0 + 2 * PANEL_H - PAD
    fits = True
    styles = {
        "title": ("B", 1.25, NAVY),
        "alert": ("B", 1.0, RED),
        "head": ("B", 1.1, NAVY),
        "who": ("", 0.95, GREY),
        "value": ("B", 1.0, INK),
        "check": ("B", 0.9, BROWN),
        "step": ("", 1.0, INK),
        "small": ("", 0.9, GREY),
    }
    fold = y0 + PANEL_H
    for column in (0, 1):
        x = x0 + column * PANEL_W + PAD
        pdf.set_xy(x, y0 + PAD)
        for block in _blocks(_column_items(view, column)):
            cells = []
            for kind, text in block:
                style, scale, color = styles[kind]
                pt = size * scale
                indent = 2 if kind in ("who", "check") else 0
                pdf.set_font(FONT, style, pt)
                cell_w, cell_h = PANEL_W - 2 * PAD - indent, pt * 0.42
                measured = pdf.multi_cell(cell_w, cell_h, text, dry_run=True, output="HEIGHT")
                height = float(measured) if isinstance(measured, (int, float)) else 0.0
                gap = pt * 0.25 if kind == "head" else 0.0
                cells.append((kind, text, style, pt, color, indent, cell_w, cell_h, height + gap))
            total = sum(c[-1] for c in cells)
            if pdf.get_y() < fold and pdf.get_y() + total > fold - 1.5:
                pdf.set_y(fold + PAD)  # never print a block across the fold
            for kind, text, style, pt, color, indent, cell_w, cell_h, _height in cells:
                if kind == "head":
                    pdf.set_y(pdf.get_y() + pt * 0.25)
                pdf.set_font(FONT, style, pt)
                pdf.set_text_color(*color)
                pdf.set_x(x + indent)
                pdf.multi_cell(cell_w, cell_h, text, align="L", new_x="LEFT", new_y="NEXT")
            pdf.set_x(x)
        if pdf.get_y() > bottom:
            fits = False
    _cut_and_fold(doc, x0, y0)
    return doc.output(), fits


def card_pdf(view: CardView) -> bytes:
    """The card on one page, at the largest type that fits the panels."""
    data = b""
    with use_lang(view.page.lang):
        for size in SIZES:
            data, fits = _card_pdf(view, size)
            if fits:
                break
    return data


def render_card(
    plan: Plan,
    kb: KnowledgeBase,
    fmt: str,
    options: RenderOptions | None = None,
    *,
    generic: bool = False,
    with_un: bool = False,
) -> str | bytes:
    """The emergency card in one of `CARD_FORMATS`: str, or bytes for PDF. `plan` should come
    from redacted answers; the card shows none of them anyway, and no UN or regional contact
    or step unless `with_un`."""
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.render import RenderOptions

    view = card_view(plan, kb, options or RenderOptions(), generic=generic, with_un=with_un)
    if fmt == "txt":
        return card_text(view)
    if fmt == "html":
        return card_html(view)
    if fmt == "pdf":
        return card_pdf(view)
    raise ValueError(f"unknown card format {fmt!r}")
