"""The plan and the checklists as PDF (fpdf2), for A4 or Letter paper.

The PDF prints the same views as the HTML page (`render.html.plan_view`), with the DejaVu fonts
embedded (fpdf2's core fonts cannot print most non-Latin text). Every page has a header with the
date and the knowledge base, and a footer with the page number and, unless redacted, "sensitive
— keep safe". The same inputs give the same bytes: the creation date comes from `as_of`, the
metadata is fixed and nothing random is written.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from reprisal_cli.i18n import _, use_lang
from reprisal_cli.render import labels
from reprisal_cli.render.bidi import LRI, PDI, isolate_ltr_runs
from reprisal_cli.render.html import (
    SENSITIVE,
    ChecklistView,
    PageView,
    PlanView,
    StepView,
    checklist_view,
    plan_view,
)

if TYPE_CHECKING:
    from fpdf import FPDF

    from reprisal_cli.engine.plan import Plan
    from reprisal_cli.kb.knowledge import KnowledgeBase
    from reprisal_cli.kb.models import Checklist
    from reprisal_cli.render import RenderOptions

FONT = "DejaVu"
# Noto Sans CJK SC, cut down to GB 2312 and every character of the Chinese texts
# (`scripts/make_cjk_font.py`); fpdf2 falls back to it per glyph where DejaVu has none.
CJK_FONT = "NotoSansSC"
CJK_FILE = "NotoSansSC-Subset.otf"
PRODUCER = "reprisal-cli"
# Colours (RGB): calm navy for structure, dark red for danger, brown for cautions, greys.
NAVY = (15, 45, 74)
RED = (138, 28, 28)
BROWN = (122, 51, 0)
INK = (27, 27, 27)
GREY = (85, 85, 85)
RULE = (190, 198, 206)
TINT = (255, 244, 242)
BODY_PT = 11.0
LINE = 5.6  # mm per body line: 11 pt with generous leading
KEEP_LINES = 4  # a bullet of at most this many lines is kept whole on one page
KEEP_PARA = 12  # and a paragraph asked to be kept whole (`PrintDoc.para`)


class PrintDoc:
    """A page-numbered document with tick boxes, bullets and headings: the building blocks of
    every printed output (plan, checklist, and later the blank form and the emergency card)."""

    def __init__(self, page: PageView) -> None:
        self.page = page
        pdf = _pdf_class()(orientation="portrait", unit="mm", format=page.paper)
        fonts = resources.files("reprisal_cli.render") / "fonts"
        with resources.as_file(fonts / "DejaVuSans.ttf") as regular:
            pdf.add_font(FONT, "", str(regular))
        with resources.as_file(fonts / "DejaVuSans-Bold.ttf") as bold:
            pdf.add_font(FONT, "B", str(bold))
        if _needs_cjk(page.lang):
            with resources.as_file(fonts / CJK_FILE) as cjk:
                # One weight: bold Chinese prints regular rather than as boxes.
                pdf.add_font(CJK_FONT, "", str(cjk))
                pdf.add_font(CJK_FONT, "B", str(cjk))
            pdf.set_fallback_fonts([CJK_FONT], exact_match=False)
        self.rtl = page.dir == "rtl"
        self.align = "R" if self.rtl else "L"
        if self.rtl:
            # HarfBuzz joins the Arabic letters and the bidi algorithm orders each line, right to
            # left even when it starts with a Latin name; the left-to-right runs (dates, numbers,
            # e-mail addresses) are isolated first so they keep their own order (`_pdf_class`).
            pdf.set_text_shaping(use_shaping_engine=True, direction="rtl")
        pdf.set_margins(left=18, top=20, right=18)
        pdf.set_auto_page_break(auto=True, margin=20)
        pdf.set_title(page.title)
        pdf.set_producer(PRODUCER)
        pdf.set_creator(PRODUCER)
        pdf.set_lang(page.lang)
        pdf.set_creation_date(_creation_date(page.as_of))
        pdf.header = self._header  # type: ignore[method-assign]
        pdf.footer = self._footer  # type: ignore[method-assign]
        self.pdf: FPDF = pdf
        pdf.add_page()
        self._body()

    # Page furniture ------------------------------------------------------------------------

    def _header(self) -> None:
        pdf, page = self.pdf, self.page
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(*GREY)
        left = page.title + (f"  \u00b7  {page.as_of}" if page.as_of else "")
        right = ""
        if page.kb_version:
            with use_lang(page.lang):
                label = _("Knowledge base {version}").format(version=page.kb_version)
            right = f"{label}  \u00b7  {page.kb_fingerprint}"
        bottom = self._sides(left, right, top=9, height=3.6, grow="up")
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, bottom + 1, pdf.w - pdf.r_margin, bottom + 1)
        pdf.set_y(pdf.t_margin)

    def _footer(self) -> None:
        pdf = self.pdf
        top = pdf.h - 14
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, top - 1.5, pdf.w - pdf.r_margin, top - 1.5)
        with use_lang(self.page.lang):
            sensitive = _(SENSITIVE) if self.page.sensitive else ""
            numbers = _("page {page} of {pages}").format(page=pdf.page_no(), pages="{nb}")
        pdf.set_font(FONT, "", 8.5)
        self._sides(sensitive, numbers, top=top, height=4, grow="down", left_style=("B", INK))

    def _sides(
        self,
        left: str,
        right: str,
        *,
        top: float,
        height: float,
        grow: str,
        left_style: tuple[str, tuple[int, int, int]] = ("", GREY),
    ) -> float:
        """`left` at the start and `right` at the end of one line of page furniture at `top`,
        or, when the two do not fit side by side in this language, on two lines (a header's
        two lines start half a line higher, a footer's go down). Returns the bottom of the
        last line drawn.

        Each text is measured in its own font; a text wider than the whole line is shrunk to
        fit, so no two texts of a header or footer ever overlap (the French header did).
        """
        pdf = self.pdf
        size = pdf.font_size_pt
        gap = 4.0
        style, color = left_style
        pdf.set_font(FONT, style, size)
        left_w = pdf.get_string_width(left)
        pdf.set_font(FONT, "", size)
        right_w = pdf.get_string_width(right)
        rows = [(left, style, color, "L"), (right, "", GREY, "R")]
        if left_w + gap + right_w <= pdf.epw or not (left and right):
            lines = [rows]
        else:
            lines = [[rows[0]], [rows[1]]]
            if grow == "up":
                # Half a line up and half down: the rule stays clear of the body.
                top -= height / 2
        if self.rtl:
            # The start of a right-to-left line is its right end.
            lines = [[(t, s, c, "R" if a == "L" else "L") for t, s, c, a in row] for row in lines]
        y = top
        for row in lines:
            for text, text_style, text_color, align in row:
                pdf.set_font(FONT, text_style, size)
                while pdf.font_size_pt > 5 and pdf.get_string_width(text) > pdf.epw:
                    pdf.set_font(FONT, text_style, pdf.font_size_pt - 0.5)
                pdf.set_text_color(*text_color)
                pdf.set_xy(pdf.l_margin, y)
                pdf.cell(pdf.epw, height, text, align=align)
            y += height
        pdf.set_font(FONT, "", size)
        return y

    def _body(
        self, *, bold: bool = False, size: float = BODY_PT, color: tuple[int, int, int] = INK
    ) -> None:
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.set_text_color(*color)

    # Blocks -------------------------------------------------------------------------------

    def height(self, text: str, width: float, line: float, *, bold: bool, size: float) -> float:
        """The height `text` takes in lines of `line` mm over `width` mm, in the body font."""
        self._body(bold=bold, size=size)
        count = len(self.lines(text, width, line))
        self._body()
        return count * line

    def keep(self, height: float) -> None:
        """Start a new page unless `height` mm still fit on this one."""
        pdf = self.pdf
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()

    def space(self, height: float = 2.5) -> None:
        pdf = self.pdf
        if pdf.get_y() + height < pdf.page_break_trigger:
            pdf.ln(height)

    def title(self, text: str) -> None:
        self._body(bold=True, size=19, color=NAVY)
        self.pdf.multi_cell(0, 8.5, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        self.space(1.5)
        self._body()

    def heading(self, text: str, *, after: float = 14) -> None:
        """A section heading, kept on a page with `after` mm of what follows it."""
        pdf = self.pdf
        self.space(4)
        self.keep(9 + after)
        self._body(bold=True, size=14, color=NAVY)
        pdf.multi_cell(0, 7, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(*NAVY)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
        pdf.ln(3)
        self._body()

    def para(
        self,
        text: str,
        *,
        bold: bool = False,
        color: tuple[int, int, int] = INK,
        size: float = BODY_PT,
        indent: float = 0,
        whole: bool = False,
    ) -> None:
        """`whole`: a short paragraph (at most `KEEP_PARA` lines) kept on one page."""
        pdf = self.pdf
        self._body(bold=bold, size=size, color=color)
        width, line = pdf.epw - indent, LINE * size / BODY_PT
        if whole:
            self.keep(min(len(self.lines(text, width, line)), KEEP_PARA) * line)
        self.flow(text, width, line, pdf.l_margin + (0 if self.rtl else indent))
        pdf.ln(1)
        self._body()

    def flow(
        self, text: str, width: float, line: float, x: float, lines: list[str] | None = None
    ) -> None:
        """`text` in lines of `width` mm from `x`, in the current font, never with a page break
        inside a link cut across two lines (the running header would sit inside the address;
        found in a Chinese plan): where a run of lines joined by a link would not fit, the
        text before it ends the page. Each piece is laid out whole, so right-to-left lines keep
        their order. `lines`: how the font breaks `text`, when already known."""
        pdf = self.pdf
        if not _has_link(text):  # nothing to keep together
            self._cell(text, width, line, x)
            return
        lines = self.lines(text, width, line) if lines is None else lines
        runs = _link_runs(text, lines)
        starts = _line_starts(text, lines)
        if len(runs) == len(lines) or starts is None:  # no link crosses a line
            self._cell(text, width, line, x)
            return
        page = pdf.page_break_trigger - pdf.t_margin  # a run longer than a page is cut anyway
        begin, first, y = 0, 0, pdf.get_y()
        for run in runs:
            height = len(run) * line
            if y + height > pdf.page_break_trigger and height < page:
                if first > begin:
                    self._cell(text[starts[begin] : starts[first]], width, line, x)
                pdf.add_page()
                begin, y = first, pdf.get_y()
            y += height
            first += len(run)
        self._cell(text[starts[begin] :], width, line, x)

    def _cell(self, text: str, width: float, line: float, x: float) -> None:
        self.pdf.set_x(x)
        self.pdf.multi_cell(
            width, line, text.strip(), align=self.align, new_x="LMARGIN", new_y="NEXT"
        )

    def lines(self, text: str, width: float, line: float) -> list[str]:
        """How the current font breaks `text` into lines of `width` mm."""
        lines = self.pdf.multi_cell(width, line, text, dry_run=True, output="LINES")
        assert isinstance(lines, list)  # what output="LINES" returns
        return lines

    def alert(self, text: str) -> None:
        """A framed, tinted warning that cannot be missed."""
        pdf = self.pdf
        self._body(bold=True, color=RED)
        pdf.set_draw_color(*RED)
        pdf.set_fill_color(*TINT)
        pdf.set_line_width(0.5)
        pdf.multi_cell(
            0,
            LINE,
            text,
            border=1,
            fill=True,
            align=self.align,
            padding=3,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)
        self._body()

    def bullet(
        self,
        text: str,
        *,
        depth: int = 0,
        size: float = BODY_PT,
        color: tuple[int, int, int] = INK,
        bold: bool = False,
    ) -> None:
        pdf = self.pdf
        indent = 2 + depth * 6
        line = LINE * size / BODY_PT
        # A short bullet (a contact's name, a note) is never cut by a page break, which would
        # put the running header and footer inside it; a long one may be, after a few lines.
        width = pdf.epw - indent - 4.5
        self._body(bold=bold, size=size, color=color)
        lines = self.lines(text, width, line)
        runs = _link_runs(text, lines)
        self.keep(max(min(len(lines), KEEP_LINES), len(runs[0]) if runs else 1) * line)
        self._body(size=size, color=color)
        mark = "\u2022" if depth == 0 else "\u2013"
        y = pdf.get_y()
        if self.rtl:  # the bullet on the right, where an Arabic line starts
            pdf.set_xy(pdf.w - pdf.r_margin - indent - 4.5, y)
            pdf.cell(4.5, line, mark, align="R")
        else:
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(4.5, line, mark)
        pdf.set_y(y)
        self._body(bold=bold, size=size, color=color)
        self.flow(text, width, line, pdf.l_margin + (0 if self.rtl else indent + 4.5), lines)
        pdf.ln(0.6)
        self._body()

    def tick(
        self,
        text: str,
        *,
        bold: bool = False,
        size: float = BODY_PT,
        color: tuple[int, int, int] = INK,
        indent: float = 0,
    ) -> None:
        """A line with an empty box to tick by hand."""
        pdf = self.pdf
        line = LINE * size / BODY_PT
        box = 3.6 * size / BODY_PT
        # A step's title is never cut by a page break: it moves whole to the next page.
        self.keep(self.height(text, pdf.epw - indent - box - 2.8, line, bold=bold, size=size) + 1)
        x, y = pdf.l_margin + indent, pdf.get_y()
        if self.rtl:  # the box on the right, where an Arabic line starts
            x = pdf.w - pdf.r_margin - indent - box
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.45)
        pdf.rect(x, y + (line - box) / 2, box, box)
        pdf.set_xy(pdf.l_margin if self.rtl else x + box + 2.8, y)
        self._body(bold=bold, size=size, color=color)
        pdf.multi_cell(
            pdf.epw - indent - box - 2.8,
            line,
            text,
            align=self.align,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(1.2)
        self._body()

    def rule(self) -> None:
        pdf = self.pdf
        self.space(1.5)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        self.space(3)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


_BIDI_MARKS = str.maketrans("", "", LRI + PDI)


@cache
def _pdf_class() -> type[FPDF]:
    """fpdf2's FPDF, keeping the left-to-right runs of right-to-left text in order.

    With text shaping on (Arabic), every text drawn has its left-to-right runs isolated
    (`render.bidi`) before fpdf2's bidi algorithm orders the line; the isolate marks are then
    dropped from the laid-out fragments, so they are neither drawn nor copied with the text (an
    e-mail address copied from the PDF must work when pasted).
    """
    # lazy: fpdf2 only for PDF output (bench/startup)
    from fpdf import FPDF

    class BidiFPDF(FPDF):
        def normalize_text(self, text: str) -> str:
            text = super().normalize_text(text)
            if self.text_shaping:
                text = isolate_ltr_runs(text, keep=self.str_alias_nb_pages, always=True)
            return text

        def _preload_font_styles(  # type: ignore[no-untyped-def]
            self, text: str | None, markdown: bool, *args, **kwargs
        ):
            # Called on each fragment after the bidi algorithm, before drawing or measuring.
            if text:
                text = text.translate(_BIDI_MARKS)
            return super()._preload_font_styles(text, markdown, *args, **kwargs)

        def _render_styled_text_line(  # type: ignore[no-untyped-def]
            self, text_line, *args, **kwargs
        ):
            # fpdf2 2.8: a line that starts in a fallback font (Chinese) sets the body font
            # inside the line's q/Q block yet records it as set for the page; after Q the
            # next line, if it starts in the body font, is drawn in whatever font was set
            # before (bold, another size): a link cut across two lines printed as other
            # letters. Setting the body font for the page first, outside the block, keeps
            # the record true.
            fragments = text_line.fragments
            if (
                not kwargs.get("prevent_font_change")
                and not self.current_font_is_set_on_page
                and self.current_font is not None
                and fragments
                and fragments[0].font.fontkey in self._fallback_font_ids
            ):
                self._out(self._set_font_for_page(self.current_font, self.font_size_pt))
            return super()._render_styled_text_line(text_line, *args, **kwargs)

    return BidiFPDF


def _creation_date(as_of: str | None) -> dt.datetime:
    # A fixed date when the document has none, so the bytes still never change.
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date(2000, 1, 1)
    except ValueError:
        day = dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _needs_cjk(lang: str) -> bool:
    # Chinese pages only: the CJK font is large, and the other languages' texts have no CJK.
    return lang.split("-", maxsplit=1)[0].lower() in {"zh", "ja", "ko"}


def _step(doc: PrintDoc, step: StepView) -> None:
    doc.keep(20)
    priority = _("(priority {n})").format(n=step.priority)
    doc.tick(f"{step.number}. {step.title}  {priority}", bold=True, size=12.5, color=NAVY)
    if step.flags:
        doc.para(_("Be aware: ") + ". ".join(step.flags) + ".", bold=True, color=BROWN)
    for para in step.detail:
        doc.para(para)
    if step.advice:
        doc.para(_("Advice:"), bold=True)
        for tip in step.advice:
            doc.bullet(tip)
    if step.contacts:
        doc.para(_("Contacts:"), bold=True)
        for contact in step.contacts:
            doc.bullet(f"{contact.name} \u2013 {contact.channel}:")
            # A postal address cut by a page break put the running header inside it.
            doc.para(contact.value, bold=True, indent=6.5, whole=True)
            for index, note in enumerate(contact.notes):
                first_check = contact.check_first and index == 0
                doc.bullet(
                    note, depth=1, size=10, bold=first_check, color=BROWN if first_check else INK
                )
    if step.checklists:
        doc.para(_("Checklists:"), bold=True)
        for title in step.checklists:
            doc.tick(title, indent=2)
    if step.reason:
        doc.para(step.reason, size=10, color=GREY)
    doc.rule()


def _summary(doc: PrintDoc, view: PlanView) -> None:
    """The short plan: the risk in two lines, then "Do now", "This week", "Later"."""
    short = view.summary
    doc.para(view.summary_risk_line + " " + short.reassess, bold=True)
    for heading, items in short.groups:
        doc.heading(heading, after=12)
        for item in items:
            now = item.urgency == "now"
            title = f"{item.number}. {item.title}"
            if now:
                doc.tick(title, bold=True, size=12, color=NAVY)
            else:
                doc.keep(doc.height(title, doc.pdf.epw, LINE, bold=True, size=BODY_PT) + 1)
                doc.para(title, bold=True)
            contact = item.contact
            if contact is not None and contact.seen_in is not None:
                doc.para(_("Contact: see step {n}.").format(n=contact.seen_in), indent=6.5)
            elif contact is not None:
                hours = f" ({contact.hours})" if contact.hours else ""
                doc.para(
                    f"{contact.channel}{labels.colon()}{contact.value}",
                    bold=True,
                    indent=6.5,
                    whole=True,
                )
                doc.para(
                    f"{contact.name}{hours} \u00b7 {contact.marker}",
                    size=9.5,
                    color=BROWN if contact.check else GREY,
                    indent=6.5,
                )
            for para in item.detail:
                doc.para(para, size=10, indent=6.5)
            if item.reason:
                doc.para(item.reason, size=9.5, color=GREY, indent=6.5)
    if not view.full:
        doc.space(2)
        doc.para(short.more, bold=True, size=10)


def _sources(doc: PrintDoc, view: PlanView) -> None:
    """The appendix: where each contact shown comes from and how far it was confirmed."""
    if not view.summary.sources:
        return
    doc.heading(_("Sources"))
    for source in view.summary.sources:
        doc.bullet(f"{source.contact}{labels.colon()}{source.provenance}", size=8.5, color=GREY)


def _plan(doc: PrintDoc, view: PlanView) -> None:
    page = view.page
    doc.title(page.title)
    if view.case_id is not None:
        doc.para(_("Case: ") + view.case_id)
    doc.para(_("Date: {date}").format(date=page.as_of))
    doc.space(1)
    for line in view.top_warnings:
        doc.alert(line)
    _summary(doc, view)
    if view.full:
        _details(doc, view)
    _sources(doc, view)
    if view.unreviewed:
        doc.space(3)
        doc.para(
            _(labels.UNREVIEWED),
            bold=True,
            color=BROWN,
        )


def _details(doc: PrintDoc, view: PlanView) -> None:
    """Everything the plan holds, after the short plan (`--full`, `--explain`)."""
    doc.para(view.page.kb_line or "", size=10, color=GREY)
    doc.heading(_("Risk level: {level}").format(level=view.risk.level))
    for name, notes in view.risk.groups:
        doc.para(name, bold=True)
        for note in notes:
            doc.bullet(note)
    doc.para(view.risk.reassess)
    doc.heading(_("Steps, most urgent first"), after=26)
    for step in view.steps:
        _step(doc, step)
    if not view.steps:
        doc.para(_("No step."))
    if view.warnings:
        doc.heading(_("Warnings"))
        for warning in view.warnings:
            doc.bullet(warning)
    if view.withheld:
        doc.heading(view.withheld_heading)
        for group in view.withheld:
            doc.space()
            doc.keep(3 * LINE)  # the gate's line with its first step
            doc.para(group.gate, bold=True)
            for held in group.steps:
                doc.bullet(held.title)
                if held.route:
                    doc.bullet(held.route, depth=1)
            doc.space(1)
            # The reason and, for the steps without a route, that no step can do it: together.
            doc.para("\n".join(t for t in (group.reason, group.others) if t), whole=True)
    if view.precedents:
        doc.heading(_("Similar cases"))
        for title in view.precedents:
            doc.bullet(title)
    if view.explain:
        doc.pdf.add_page()
        doc.heading(_("Why each step is here"))
        for step in view.steps:
            doc.bullet(f"{step.number}. {step.title} ({step.id})")
            for line in step.why:
                doc.bullet(line, depth=1, size=10)
        for held in (h for group in view.withheld for h in group.steps):
            doc.bullet(
                _("Held back: ") + f"{held.title} ({held.id}) \u2013 " + _("gate ") + held.gate_id
            )


def _checklist(doc: PrintDoc, view: ChecklistView) -> None:
    page = view.page
    doc.title(view.title)
    if page.as_of:
        doc.para(_("Date: {date}").format(date=page.as_of), size=10, color=GREY)
    if page.kb_line:
        doc.para(page.kb_line, size=10, color=GREY)
    doc.space(1)
    for para in view.purpose:
        doc.para(para)
    for section in view.sections:
        doc.heading(section.title)
        for item in section.items:
            doc.tick(item)
    doc.heading(_("Sources"))
    for source in view.sources:
        doc.bullet(source, size=9.5, color=GREY)


def plan_pdf(plan: Plan, kb: KnowledgeBase | None, opts: RenderOptions) -> bytes:
    """The plan as PDF (`--format pdf`), on `opts.paper`."""
    view = plan_view(plan, kb, opts)
    with use_lang(view.page.lang):
        doc = PrintDoc(view.page)
        _plan(doc, view)
        return doc.output()


def checklist_pdf(checklist: Checklist, kb: KnowledgeBase | None, opts: RenderOptions) -> bytes:
    """One checklist as PDF with a tick box for each item, on `opts.paper`."""
    view = checklist_view(checklist, kb, opts)
    with use_lang(view.page.lang):
        doc = PrintDoc(view.page)
        _checklist(doc, view)
        return doc.output()


def _link_runs(text: str, lines: list[str]) -> list[list[str]]:
    """`lines` in runs: a line whose web address runs on into the next goes with it."""
    if not _has_link(text):
        return [[words] for words in lines]
    runs: list[list[str]] = []
    for number, words in enumerate(lines):
        if number and _link_continues(lines[number - 1], words, text):
            runs[-1].append(words)
        else:
            runs.append([words])
    return runs


def _line_starts(text: str, lines: list[str]) -> list[int] | None:
    """Where each of `lines` (fpdf2's break of `text`) starts in `text`; None if a line is not
    found as it is (then the text is laid out whole)."""
    starts: list[int] = []
    position = 0
    for words in lines:
        piece = words.translate(_BIDI_MARKS).strip()
        found = text.find(piece, position)
        if found < 0:
            return None
        starts.append(found)
        position = found + len(piece)
    return starts


def _link_continues(words: str, following: str, text: str) -> bool:
    """Whether a web address runs from the end of line `words` into line `following` (the two
    pieces, joined without a space, are part of an address in `text`)."""
    words, following = words.translate(_BIDI_MARKS), following.translate(_BIDI_MARKS)
    if not words.strip() or not following.strip():
        return False
    if words[-1].isspace() or following[0].isspace():
        return False
    joined = words.rsplit(maxsplit=1)[-1] + following.split(maxsplit=1)[0]
    return joined in text and _has_link(joined)


def _has_link(text: str) -> bool:
    return "://" in text or "www." in text
