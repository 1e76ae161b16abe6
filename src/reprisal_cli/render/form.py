"""The blank questionnaire on paper (`reprisal-cli form`), in Markdown, text, HTML and PDF.

Every question of `questions.yaml` in order, with its choices as tick boxes, lines to write on
for text questions, and the branching (`when`) in words made from the choice labels. The four
formats print one view (`form_view`), so they say the same thing in the same order. Questions
come from the knowledge base, which may be custom (`--kb`): every text is cleaned on its way out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reprisal_cli.i18n import N_, _, current_lang, use_lang
from reprisal_cli.render.escape import md_escape, md_inline, one_line, paragraphs

if TYPE_CHECKING:
    from reprisal_cli.kb.conditions import Condition
    from reprisal_cli.kb.knowledge import KnowledgeBase
    from reprisal_cli.kb.questions import Question
    from reprisal_cli.render import RenderOptions
    from reprisal_cli.render.html import PageView

FORM_FORMATS: tuple[str, ...] = ("md", "txt", "html", "pdf")
TITLE = N_("Questionnaire: protection from reprisals")
# The same words as the questionnaire's choice (`questionnaire.flow.DONT_KNOW_LABEL`).
UNKNOWN = N_("I don't know / prefer not to say")
SAFETY_NOTE = N_(
    "Keep the filled form safe. Once filled in, it holds sensitive details about people at risk: "
    "keep it out of sight, do not photograph it with a phone that may be watched, and destroy it "
    "(shred or burn) when the answers have been typed into the tool or are no longer needed."
)
HOW_TO = N_(
    "Tick one box for questions marked 'tick one', and every box that applies for questions "
    "marked 'tick all that apply'. Skip a question when its 'Answer only if' line does not hold. "
    "Any question may be left blank: the plan then reads it in the way that exposes no one."
)
OTHER_LEAD = N_("If you answer for someone else: {prompt}")
HELD_LEAD = N_("If they are detained or missing: {prompt}")
WRITE_LINES = 2
NOTES_LINES = 5
LINE_TEXT = "_" * 60
SENSITIVE_LINE = N_("sensitive \u2014 keep safe")  # the same words as `render.html.SENSITIVE`
WRITE = N_("Write your answer.")
TICK_ALL = N_("Tick all that apply.")
TICK_ONE = N_("Tick one.")
# On screen, ticking danger now shows the 24-hour lines at once; on paper they are printed there.
DANGER_KEY = "immediate_danger"
DANGER_NOW = N_(
    "If you ticked \u201c{choice}\u201d, do not wait for the plan: call a 24-hour line now."
)


@dataclass(frozen=True)
class ChoiceView:
    label: str
    help: str | None


@dataclass(frozen=True)
class QuestionView:
    number: int
    id: str
    kind: str  # select, checkbox, text, country
    prompt: str
    # With its lead, "If you answer for someone else: ...", and for a consent the wording for a
    # family deciding for someone detained or missing, "If they are detained or missing: ...".
    prompt_other: str | None
    why: str  # with its lead: "Why we ask: ..."
    help: str | None
    condition: str | None
    how: str  # "Tick one.", "Tick all that apply.", "Write your answer."
    choices: tuple[ChoiceView, ...]
    lines: int
    # Under the danger question: what to do at once, and the 24-hour lines (who, how, note).
    danger_now: str | None = None
    hotlines: tuple[tuple[str, str, str | None], ...] = ()


@dataclass(frozen=True)
class FormView:
    page: PageView
    title: str
    safety: str
    how_to: str
    sensitive: str
    questions: tuple[QuestionView, ...]


# Conditions in words ----------------------------------------------------------------------------


def _quote(text: str) -> str:
    return f"\u201c{one_line(text)}\u201d"


def _value_text(value: str | bool) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return one_line(value).replace("_", " ")


def _labels(key: str, values: Sequence[str | bool], questions: Sequence[Question]) -> str:
    """The labels of `values` at the question writing `key`, quoted and joined with 'or'; a
    country by its name, as the reader wrote it at that question ("HN" said nothing to
    someone who wrote "Honduras": red team red44)."""
    # lazy: the country names only where a condition names a country (bench/startup)
    from reprisal_cli.countries import country_name

    question = next((q for q in questions if q.key == key), None)
    words = []
    for value in values:
        label = None
        if question is not None:
            label = next((c.label for c in question.choices if c.value == value), None)
            if label is None and question.type == "country" and isinstance(value, str):
                label = country_name(value, current_lang())
        words.append(_quote(label if label is not None else _value_text(value)))
    return (" " + _("or") + " ").join(words)


def _where(key: str, questions: Sequence[Question]) -> str:
    for number, question in enumerate(questions, start=1):
        if question.key == key:
            return _("question {number}").format(number=number)
    return _("the question on \u2018{topic}\u2019").format(topic=one_line(key).replace("_", " "))


def _values(cond: Condition) -> tuple[str | bool, ...]:
    if cond.equals is not None:
        return (cond.equals,)
    if cond.in_ is not None:
        return cond.in_
    raw = cond.contains
    if raw is None:
        return ()
    return (raw,) if isinstance(raw, str) else raw


def _clause(cond: Condition, questions: Sequence[Question], *, negate: bool = False) -> str:
    """One condition as a clause that can follow 'Answer only if'."""
    if cond.present is not None:
        where = _where(cond.present, questions)
        text = _("you left {where} blank") if negate else _("you answered {where}")
        return text.format(where=where)
    if cond.absent is not None:
        where = _where(cond.absent, questions)
        if negate:
            return _("you answered {where}").format(where=where)
        return _("you left {where} blank or ticked \u201c{unknown}\u201d").format(
            where=where, unknown=_(UNKNOWN)
        )
    if cond.key is not None:
        where = _where(cond.key, questions)
        labels = _labels(cond.key, _values(cond), questions)
        text = (
            _("at {where}, you did not tick {labels}")
            if negate
            else _("at {where}, you ticked {labels}")
        )
        return text.format(where=where, labels=labels)
    if cond.not_ is not None:
        return _clause(cond.not_, questions, negate=not negate)
    parts = cond.all if cond.all is not None else cond.any
    assert parts is not None
    is_all = cond.all is not None
    if negate:  # De Morgan: not (a and b) = not a or not b
        is_all = not is_all
    clauses = [_clause(part, questions, negate=negate) for part in parts]
    if len(clauses) == 1:
        return clauses[0]
    if is_all and len(clauses) == 2:
        return (
            "(" + _("both {first} and {second}").format(first=clauses[0], second=clauses[1]) + ")"
        )
    joiner = " " + (_("and") if is_all else _("or")) + " "
    return "(" + joiner.join(clauses) + ")"


def describe_condition(cond: Condition, questions: Sequence[Question]) -> str:
    """A question's `when` in words, with the question numbers and the choice labels: "Answer
    only if, at question 5, you ticked “UN treaty committees”."."""
    negate = False
    top = cond
    while top.not_ is not None:  # not (not x) = x; a negated group flips below
        negate, top = not negate, top.not_
    parts = top.all if top.all is not None else top.any
    if parts is not None and len(parts) > 1:
        is_all = (top.all is not None) != negate
        clauses = [_clause(part, questions, negate=negate) for part in parts]
        joiner = "; " + (_("and") if is_all else _("or")) + " "
        text = (
            _("Answer only if all of these hold: {clauses}.")
            if is_all
            else _("Answer only if one of these holds: {clauses}.")
        )
        return text.format(clauses=joiner.join(clauses))
    if top.key is not None:
        # "Answer only if, at question 5, you ticked ...": the question first.
        where = _where(top.key, questions)
        labels = _labels(top.key, _values(top), questions)
        text = (
            _("Answer only if, at {where}, you did not tick {labels}.")
            if negate
            else _("Answer only if, at {where}, you ticked {labels}.")
        )
        return text.format(where=where, labels=labels)
    return _("Answer only if {clause}.").format(clause=_clause(cond, questions))


# The view -----------------------------------------------------------------------------------------


def _question_view(number: int, q: Question, kb: KnowledgeBase) -> QuestionView:
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.render.card import hotline_lines, line_words

    # A country is searched by name on screen; on paper its name is written.
    written = q.type in ("text", "country")
    if written:
        how = _(WRITE)
    elif q.type == "checkbox":
        how = _(TICK_ALL)
    else:
        how = _(TICK_ONE)
    danger = q.key == DANGER_KEY
    choices: tuple[ChoiceView, ...] = ()
    if not written:
        choices = (
            *(
                # The help of danger now is the screen's ("we will show ... at once"): here the
                # lines follow the choices.
                ChoiceView(
                    one_line(c.label),
                    one_line(c.help) if c.help and not (danger and c.value is True) else None,
                )
                for c in q.choices
            ),
            ChoiceView(_(UNKNOWN), None),
        )
    danger_now = None
    numbers: tuple[tuple[str, str, str | None], ...] = ()  # the 24-hour lines, in words
    yes = next((c for c in q.choices if c.value is True), None) if danger else None
    if yes is not None:
        numbers = tuple(line_words(line) for line in hotline_lines(kb))
        if numbers:
            danger_now = _(DANGER_NOW).format(choice=one_line(yes.label))
    questions = kb.questions
    return QuestionView(
        number=number,
        id=one_line(q.id),
        kind=q.type,
        prompt=one_line(q.prompt),
        prompt_other=_other_prompts(q),
        why=_("Why we ask: {why}").format(why=one_line(q.why)),
        help=" ".join(paragraphs(q.help)) if q.help else None,
        condition=describe_condition(q.when, questions) if q.when is not None else None,
        how=how,
        choices=choices,
        lines=0 if not written else (NOTES_LINES if q.key == "notes" else WRITE_LINES),
        danger_now=danger_now,
        hotlines=numbers,
    )


def _other_prompts(q: Question) -> str | None:
    """The question's wordings for someone else, each after its lead (None: it has none)."""
    if not q.prompt_other:
        return None
    said = _(OTHER_LEAD).format(prompt=one_line(q.prompt_other))
    if q.prompt_held:
        said += " " + _(HELD_LEAD).format(prompt=one_line(q.prompt_held))
    return said


def form_view(kb: KnowledgeBase, opts: RenderOptions) -> FormView:
    """Everything the blank form shows, cleaned and in order (shared by every format), in the
    interface language (`opts.lang`, else the current one)."""
    with use_lang(opts.lang or current_lang()):
        return _form_view(kb, opts)


def _form_view(kb: KnowledgeBase, opts: RenderOptions) -> FormView:
    # lazy: jinja2 only for HTML and PDF output (bench/startup)
    from reprisal_cli.render import labels
    from reprisal_cli.render.html import PageView, clean, text_dir

    version = clean(kb.meta.version)
    fingerprint = clean(labels.short_fingerprint(kb.fingerprint))
    kb_line = labels.kb_words(version, fingerprint, kb.custom, kb.modified)
    lang = current_lang()
    page = PageView(
        title=_(TITLE),
        lang=lang,
        dir=text_dir(lang),
        paper=opts.paper,
        as_of=clean(opts.as_of) if opts.as_of else None,
        kb_line=kb_line,
        kb_version=version,
        kb_fingerprint=fingerprint,
        sensitive=True,
    )
    questions = kb.questions
    return FormView(
        page=page,
        title=_(TITLE),
        safety=_(SAFETY_NOTE),
        how_to=_(HOW_TO),
        sensitive=_(SENSITIVE_LINE),
        questions=tuple(_question_view(n, q, kb) for n, q in enumerate(questions, start=1)),
    )


# Markdown and plain text ----------------------------------------------------------------------


def _date(view: FormView) -> str:
    with use_lang(view.page.lang):
        return _("Date: {date}").format(date=view.page.as_of)


def form_markdown(view: FormView) -> str:
    """The blank form as Markdown: GitHub tick boxes, write-in lines as rules of underscores."""
    out = [f"# {md_inline(view.title)}", ""]
    meta = [view.page.kb_line or ""]
    if view.page.as_of:
        meta.insert(0, _date(view))
    out += [md_inline(" \u00b7 ".join(meta)), ""]
    out += [f"> **{md_inline(view.safety)}**", ""]
    out += [md_escape(view.how_to), ""]
    for q in view.questions:
        out += [f"## {q.number}. {md_inline(q.prompt)}", ""]
        if q.condition:
            out += [f"**{md_inline(q.condition)}**", ""]
        if q.prompt_other:
            out += [f"*{md_inline(q.prompt_other)}*", ""]
        out += [md_inline(q.why), ""]
        if q.help:
            out += [md_inline(q.help), ""]
        out += [f"**{md_inline(q.how)}**", ""]
        for choice in q.choices:
            line = f"- [ ] {md_inline(choice.label)}"
            if choice.help:
                line += f" \u2014 {md_inline(choice.help)}"
            out.append(line)
        if q.danger_now:
            out += ["", f"**{md_inline(q.danger_now)}**", ""]
            for who, value, note in q.hotlines:
                tail = f" \u2014 {md_inline(note)}" if note else ""
                out.append(f"- {md_inline(who)}: **{md_inline(value)}**{tail}")
        for _row in range(q.lines):
            out += ["", "\\" + "\\".join(LINE_TEXT)]
        out.append("")
    out += ["---", "", "**" + md_inline(view.sensitive) + "**", ""]
    return "\n".join(out)


def form_text(view: FormView) -> str:
    """The blank form as plain text, at most 80 columns wide."""
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.render.labels import wrap

    cols = 80
    out: list[str] = []

    def para(text: str, indent: str = "", hanging: str | None = None) -> None:
        out.extend(wrap(text, cols, indent, hanging))

    title = view.title
    out += [title, "=" * len(title), ""]
    if view.page.as_of:
        out.append(_date(view))
    para(view.page.kb_line or "")
    out.append("")
    box = "!" * cols
    out.append(box)
    para(view.safety, "! ", "! ")
    out += [box, ""]
    para(view.how_to)
    out.append("")
    for q in view.questions:
        head = f"{q.number}. {q.prompt}"
        lines = wrap(head, cols, "", "   ")
        out += [*lines, "-" * max(len(line) for line in lines)]
        if q.condition:
            para(">> " + q.condition, "", "   ")
        if q.prompt_other:
            para(q.prompt_other)
        para(q.why)
        if q.help:
            para(q.help)
        para(q.how)
        for choice in q.choices:
            text = choice.label + (f" ({choice.help})" if choice.help else "")
            para(text, "  [ ] ", "      ")
        if q.danger_now:
            out.append("")
            para("!! " + q.danger_now, "", "   ")
            for who, value, note in q.hotlines:
                para(f"{who}: {value}", "   - ", "     ")
                if note:
                    para(note, "     ", "     ")
        for _row in range(q.lines):
            out += ["", "  " + "_" * (cols - 4)]
        out.append("")
    out += [view.sensitive, ""]
    return "\n".join(line.rstrip() for line in out)


# HTML and PDF -------------------------------------------------------------------------------------


def form_html(view: FormView) -> str:
    """The blank form as one self-contained, printable HTML file."""
    # lazy: jinja2 only for HTML and PDF output (bench/startup)
    from reprisal_cli.render.html import render_template

    with use_lang(view.page.lang):
        return render_template("form.html.j2", page=view.page, form=view)


def form_pdf(view: FormView) -> bytes:
    """The blank form as PDF with tick boxes and lines to write on."""
    # lazy: fpdf2 only for PDF output (bench/startup)
    from reprisal_cli.render.pdf import BROWN, GREY, NAVY, RED, PrintDoc

    doc = PrintDoc(view.page)
    pdf = doc.pdf
    doc.title(view.title)
    if view.page.as_of:
        doc.para(_date(view), size=10, color=GREY)
    doc.para(view.page.kb_line or "", size=10, color=GREY)
    doc.alert(view.safety)
    doc.para(view.how_to)
    for q in view.questions:
        # Keep a question with its choices on one page when they fit on one.
        doc.keep(min(30 + 7.5 * len(q.choices) + 9 * q.lines + 9 * len(q.hotlines), 150))
        doc.space(3)
        doc.para(f"{q.number}. {q.prompt}", bold=True, size=13, color=NAVY)
        if q.condition:
            doc.para(q.condition, bold=True, color=RED, size=10.5)
        if q.prompt_other:
            doc.para(q.prompt_other, size=10, color=GREY)
        doc.para(q.why, size=10, color=GREY)
        if q.help:
            doc.para(q.help, size=10)
        doc.para(q.how, bold=True, size=10, color=BROWN)
        for choice in q.choices:
            text = choice.label + (f"  ({choice.help})" if choice.help else "")
            doc.tick(text, indent=3)
        if q.danger_now:
            doc.space(2)
            doc.para(q.danger_now, bold=True, color=RED, size=10.5)
            for who, value, note in q.hotlines:
                doc.para(f"{who}: {value}", size=10)
                if note:
                    doc.para(note, size=9.5, color=BROWN)
        for _row in range(q.lines):
            doc.keep(10)
            pdf.ln(7)
            y = pdf.get_y()
            pdf.set_draw_color(*GREY)
            pdf.set_line_width(0.3)
            pdf.line(pdf.l_margin + 3, y, pdf.w - pdf.r_margin, y)
            pdf.ln(1)
        if q.lines:
            doc.space(2)
        doc.rule()
    return doc.output()


def render_form(kb: KnowledgeBase, fmt: str, options: RenderOptions | None = None) -> str | bytes:
    """The blank questionnaire in one of `FORM_FORMATS`: str, or bytes for PDF."""
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.render import RenderOptions

    view = form_view(kb, options or RenderOptions())
    if fmt == "md":
        return form_markdown(view)
    if fmt == "txt":
        return form_text(view)
    if fmt == "html":
        return form_html(view)
    if fmt == "pdf":
        return form_pdf(view)
    raise ValueError(f"unknown form format {fmt!r}")
