"""Markdown and plain-text plans and checklists: content, order, escaping, width, determinism."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from markdown_it import MarkdownIt

from render_fixtures import FORBIDDEN, HOSTILE, make_plan, too_wide
from reprisal_cli.engine.plan import Why
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.models import Checklist, ChecklistSection
from reprisal_cli.render import RenderOptions, render
from reprisal_cli.render.text import (
    checklist_markdown,
    checklist_text,
    plan_markdown,
    plan_text,
)

ROOT = Path(__file__).resolve().parents[1]
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# The whole plan (`--full`): what most tests here read; the short view has its own tests.
PLAIN = RenderOptions(full=True)


@pytest.fixture
def kb_stub() -> SimpleNamespace:
    """Only what the renderers read of a knowledge base (the real one is still being written)."""
    section = ChecklistSection(title="Phone", items=("Lock it",))
    checklist = Checklist(
        id="digital_basics",
        title="Digital basics for a watched phone",
        purpose="p",
        sections=(section,),
        sources=("s",),
    )
    # The route sentences a held-back step's reason may end with (`outline.withheld_groups`).
    safety = SimpleNamespace(
        confidential_route="No other step in this plan can do this.",
        instead_route="The confidential route in this plan instead: {step}.",
    )
    return SimpleNamespace(
        checklists={"digital_basics": checklist}, contacts={}, lang="en", safety=safety
    )


def _inline_types(markdown: str) -> set[str]:
    return {c.type for t in MD.parse(markdown) for c in (t.children or ())}


def _html(markdown: str) -> str:
    return MD.render(markdown)


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_sections_come_in_order(fmt: str) -> None:
    out = render(make_plan(), fmt, None, RenderOptions(explain=True))
    assert isinstance(out, str)
    order = [
        "case-7",
        "2026-11-25",
        "This plan is not a security guarantee. UN mechanisms give no physical protection.",
        "Mainly: Threats by phone; Works alone.",
        "Reassess the risk after 30 days (on 2026-12-25).",
        "Later",
        "1. Get help now if you are in danger",
        "Knowledge base 2026.11.25 (sha256:0123456789ab) - custom, modified",
        "Has a support network",
        "1. Get help now if you are in danger (priority 1)",
        "Be aware: Sends information outside.",
        "Call a 24-hour line.",
        "Check this contact on the official page before use.",
        "If you cannot check it, try: Contact backup - Email -",
        "Seen in a source dated 2025-10-01, not confirmed since:",
        "digital_basics",
        "2. Tell the Special Procedures (priority 3)",
        "Be aware: Shares details with the UN. Sends information outside.",
        "3. Look after yourself (priority 9)",
        "The body may raise the case with the State.",
        "Held back until you agree to make the case public",
        "Public statement",
        "The person has not agreed to make the case public.",
        "A similar case in 2019",
        "rule notify_mechanism_sp - matched engagement: special procedures; stage: engaged",
    ]
    text = out.replace("\\", "").replace("\n", " ").replace("  ", " ")
    if fmt == "txt":
        text = " ".join(out.split())
    positions = [text.find(" ".join(item.split())) for item in order]
    assert -1 not in positions, [o for o, p in zip(order, positions, strict=True) if p == -1]
    assert positions == sorted(positions)


def test_no_flag_words_for_a_step_that_sends_nothing() -> None:
    out = plan_text(make_plan(), None, PLAIN)
    step3 = out[out.rindex("3. Look after yourself") :]
    assert "Be aware" not in step3[: step3.index("Rest.")]


def test_checklist_titles_come_from_the_knowledge_base_with_tick_boxes(kb_stub: object) -> None:
    md = plan_markdown(make_plan(), kb_stub, PLAIN)  # type: ignore[arg-type]
    assert "- [ ] Digital basics for a watched phone" in md
    assert "digital\\_basics" not in md
    txt = plan_text(make_plan(), kb_stub, PLAIN)  # type: ignore[arg-type]
    assert "[ ] Digital basics for a watched phone" in txt


def test_redact_drops_the_case_id() -> None:
    for fmt in ("md", "txt"):
        out = render(make_plan(), fmt, None, RenderOptions(redact=True))
        assert isinstance(out, str)
        assert "case-7" not in out
    assert "Case:" not in plan_text(make_plan(case_id=None), None, PLAIN)


def test_trace_only_with_explain() -> None:
    assert "rule danger_now" not in plan_text(make_plan(), None, PLAIN)
    assert "rule danger_now" in plan_text(make_plan(), None, RenderOptions(explain=True))


def test_withheld_steps_are_shown_without_explain() -> None:
    for out in (plan_text(make_plan(), None, PLAIN), plan_markdown(make_plan(), None, PLAIN)):
        assert "Public statement" in out
        assert "Held back until you agree to make the case public" in out


def test_top_line_only_when_the_plan_carries_the_warning() -> None:
    plan = make_plan()
    bare = replace(plan, warnings=plan.warnings[1:])
    assert "not a security guarantee" not in plan_text(bare, None, PLAIN)
    assert "no physical protection" not in plan_text(bare, None, PLAIN)


def test_unreviewed_translation_footer() -> None:
    footer = "Parts of this plan are machine translations, checked for meaning but not yet reviewed"
    assert footer not in plan_text(make_plan(), None, PLAIN)
    for fmt in ("md", "txt"):
        out = render(make_plan(lang_reviewed=False), fmt, None, PLAIN)
        assert isinstance(out, str)
        # The footer is the last paragraph (it may wrap over several lines).
        assert footer in " ".join(out.strip().split("\n\n")[-1].split())


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_same_plan_same_bytes(fmt: str) -> None:
    opts = RenderOptions(explain=True)
    first = render(make_plan(HOSTILE), fmt, None, opts)
    assert first == render(make_plan(HOSTILE), fmt, None, opts)
    assert isinstance(first, str) and first.endswith("\n") and not first.endswith("\n\n")


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_hostile_text_has_no_control_characters(fmt: str) -> None:
    out = render(make_plan(HOSTILE), fmt, None, RenderOptions(explain=True))
    assert isinstance(out, str)
    for char in FORBIDDEN:
        assert char not in out
    assert "pwned" not in out


def test_hostile_text_is_inert_markdown() -> None:
    out = plan_markdown(make_plan(HOSTILE), None, RenderOptions(explain=True))
    inline = _inline_types(out)
    assert not inline & {"link_open", "image", "html_inline", "em_open"}
    blocks = {t.type for t in MD.parse(out)}
    assert "html_block" not in blocks
    html = _html(out)
    assert "<script" not in html and "<img" not in html and "<a " not in html
    # what the text said is still there, shown literally
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[x](http:" in html.replace("\\", "")


def test_text_lines_fit_80_columns() -> None:
    long = " averyveryverylongwordwithoutanyspaces" * 4 + " 汉字" * 60 + " https://" + "x" * 120
    for plan in (make_plan(), make_plan(HOSTILE), make_plan(long)):
        out = plan_text(plan, None, RenderOptions(explain=True))
        assert too_wide(out) == []
        assert all(line == line.rstrip() for line in out.splitlines())
    # A link is never broken, even one wider than a line (issue 25).
    assert "https://" + "x" * 120 in plan_text(make_plan(long), None, RenderOptions())


def _checklist(text: str = "") -> Checklist:
    return Checklist(
        id="digital_basics",
        title="Digital basics" + text,
        purpose="Keep your phone from giving you away." + text,
        sections=(
            ChecklistSection(
                title="Phone" + text, items=("Turn on a screen lock" + text, "Update")
            ),
            ChecklistSection(title="Accounts", items=("Use two-step login",)),
        ),
        sources=("https://example.org/guide" + text,),
    )


def test_checklists_have_tick_boxes_purpose_sections_sources() -> None:
    md = checklist_markdown(_checklist())
    assert md.startswith("# Digital basics\n")
    assert "- [ ] Turn on a screen lock" in md and "## Accounts" in md and "## Sources" in md
    assert "Keep your phone from giving you away." in md
    txt = checklist_text(_checklist())
    assert "[ ] Use two-step login" in txt
    assert "Sources\n-------\n" in txt and "Digital basics\n==============\n" in txt


def test_checklists_are_inert_and_fit() -> None:
    md = checklist_markdown(_checklist(HOSTILE))
    assert not _inline_types(md) & {"link_open", "image", "html_inline"}
    txt = checklist_text(_checklist(HOSTILE))
    for out in (md, txt):
        assert not any(char in out for char in FORBIDDEN)
    assert too_wide(txt) == []


EXAMPLES = sorted((ROOT / "examples").glob("*.y*ml")) if (ROOT / "examples").is_dir() else []


@pytest.mark.skipif(not EXAMPLES, reason="examples/ is missing")
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_real_example_plans_render(example: Path) -> None:
    from reprisal_cli import evaluate, load_answers, load_kb

    kb = load_kb()
    plan = evaluate(load_answers(example), kb, as_of=dt.date(2026, 11, 25))
    for fmt in ("md", "txt"):
        out = render(plan, fmt, kb, RenderOptions(explain=True))
        assert isinstance(out, str) and out == render(plan, fmt, kb, RenderOptions(explain=True))
        assert not any(char in out for char in FORBIDDEN)
    md = plan_markdown(plan, kb, PLAIN)
    assert not _inline_types(md) & {"link_open", "image", "html_inline"}
    txt = plan_text(plan, kb, PLAIN)
    assert too_wide(txt) == []
    for position, step in enumerate(plan.steps, start=1):
        assert f"{position}. " in txt and " ".join(step.title.split())[:20] in " ".join(txt.split())


def test_reason_says_the_answers_in_the_questions_words(kb: KnowledgeBase) -> None:
    plan = make_plan()
    step = replace(
        plan.steps[0],
        why=(
            Why(rule="r", matched={"devices_compromised": None, "reprisals": ["hacking"]}),
            Why(rule="g", matched={"instead_of": "protective_publicity"}),
        ),
    )
    hacking = next(q for q in kb.questions if q.key == "reprisals").choices
    label = next(c.label for c in hacking if c.value == "hacking")
    out = plan_text(replace(plan, steps=(step,)), kb, RenderOptions(explain=True))
    assert f"Why: you answered {label}." in " ".join(out.split())
    assert "instead_of" not in out.replace("\\", "")
    assert "rule r - matched devices compromised: not answered; reprisals: hacking" in out


def test_reason_gives_a_consent_with_its_question(kb: KnowledgeBase) -> None:
    """'Not decided yet' alone does not say what is undecided: a consent answer comes with its
    question, as a yes or no does."""
    plan = make_plan()
    step = replace(
        plan.steps[0],
        why=(
            Why(rule="r", matched={"location": "in_detention", "consent_publicity": "undecided"}),
        ),
    )
    question = next(q for q in kb.questions if q.key == "consent_publicity")
    label = next(c.label for c in question.choices if c.value == "undecided")
    out = plan_text(replace(plan, steps=(step,)), kb, RenderOptions(explain=True))
    out = " ".join(out.split())
    assert f"{' '.join(question.prompt.split())} {label}" in out
    assert f"; {label}." not in out


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar", "ru", "zh"])
@pytest.mark.parametrize("custom,modified", [(True, False), (False, True), (True, True)])
def test_a_checklist_names_a_custom_or_modified_knowledge_base(
    lang: str, custom: bool, modified: bool
) -> None:
    """red35: md and txt say under the title what HTML and PDF say (`labels.kb_words`): the
    knowledge base's version and fingerprint, and "custom" or "modified" in the reader's
    language, before the first line of the checklist; the version is escaped like any KB text."""
    from reprisal_cli.i18n import _, use_lang
    from reprisal_cli.render.labels import kb_words

    kb = SimpleNamespace(
        meta=SimpleNamespace(version="2026.11.25" + HOSTILE),
        fingerprint="sha256:" + "0123456789abcdef" * 4,
        custom=custom,
        modified=modified,
    )
    with use_lang(lang):
        marks = [_(m) for m, on in (("custom", custom), ("modified", modified)) if on]
        words = kb_words("2026.11.25", "sha256:0123456789ab", custom, modified)
    md = checklist_markdown(_checklist(), lang, kb, "2026-12-04")  # type: ignore[arg-type]
    txt = checklist_text(_checklist(), lang, kb, "2026-12-04")  # type: ignore[arg-type]
    assert not _inline_types(md) & {"link_open", "image", "html_inline"}
    for out in (md, txt):
        assert not any(char in out for char in FORBIDDEN)
        head = " ".join(out[: out.index("Keep your phone")].split())
        assert "sha256:0123456789ab" in head and "2026-12-04" in head
        assert all(mark in head for mark in marks), (marks, head)
        assert words.split()[0] in head  # "Knowledge base" in the reader's language
    assert too_wide(txt) == []


def test_a_checklist_without_a_knowledge_base_has_no_kb_line() -> None:
    assert "Knowledge base" not in checklist_markdown(_checklist())
    assert "Knowledge base" not in checklist_text(_checklist())
