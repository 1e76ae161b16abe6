"""The HTML renderer: one self-contained, autoescaped, printable file, printed by real Chromium."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from render_fixtures import FORBIDDEN, HOSTILE, make_plan
from reprisal_cli.answers import load_answers
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.loader import KnowledgeBase
from reprisal_cli.render import RenderOptions, render, render_checklist
from reprisal_cli.render.escape import one_line

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
AS_OF = dt.date(2026, 11, 25)
# The only elements a page may hold: no script, image, link, frame, form or embedded object.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "section", "article",
    "h1", "h2", "h3", "p", "ul", "li", "span", "strong", "br",
}  # fmt: skip


class Page(HTMLParser):
    """Every tag, attribute, style sheet and text node of a page."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.styles: list[str] = []
        self.texts: list[str] = []
        self._in_style = False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.texts).append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


def need(tool: str) -> str:
    """The tool's path; skip without it, but under CI a missing tool is a failure."""
    for name in (tool, *(("chromium-browser", "google-chrome") if tool == "chromium" else ())):
        path = shutil.which(name)
        if path is not None:
            return path
    message = f"{tool} is not installed (Debian: see .ci/system-deps)"
    if os.environ.get("CI"):
        pytest.fail(message + " and CI is set")
    pytest.skip(message)


def html(plan: Plan, kb: KnowledgeBase | None = None, **options: object) -> str:
    out = render(plan, "html", kb, RenderOptions(**options))  # type: ignore[arg-type]
    assert isinstance(out, str)
    return out


def assert_self_contained(markup: str) -> Page:
    page = Page(markup)
    assert set(page.tags) <= ALLOWED_TAGS
    for name, value in page.attrs:
        assert not name.startswith("on"), name
        assert name not in ("href", "src", "srcset", "action", "style"), name
        assert "http" not in value.lower() and "//" not in value, (name, value)
    style = "".join(page.styles)
    assert "url(" not in style and "@import" not in style and "://" not in style
    assert "@font-face" not in style
    return page


def assert_holds_plan(markup: str, plan: Plan, *, full: bool = True) -> None:
    """Every step title; every contact (`full`), or each step's best one (the short plan)."""
    text = Page(markup).text
    for step in plan.steps:
        assert one_line(step.title) in text, step.id
        for contact in step.contacts if full else step.contacts[:1]:
            assert one_line(contact.value) in text, contact.id


def example_plan(path: Path, kb: KnowledgeBase) -> Plan:
    return evaluate(load_answers(path), kb, as_of=AS_OF)


def test_plan_page_has_every_part() -> None:
    plan = make_plan()
    markup = html(plan, explain=True)
    page = assert_self_contained(markup)
    assert markup.startswith('<!DOCTYPE html>\n<html lang="en" dir="ltr">')
    assert_holds_plan(markup, plan)
    text = page.text
    for expected in (
        "Action plan: protection from reprisals",
        "Case: case-7",
        "Date: 2026-11-25",
        "Knowledge base 2026.11.25 (sha256:0123456789ab) - custom, modified",
        "This plan is not a security guarantee. UN mechanisms give no physical protection.",
        "Risk level: HIGH",
        "Threats by phone",
        "Works alone",
        "Has a support network",
        "Reassess the risk after 30 days (on 2026-12-25).",
        "1. Get help now if you are in danger (priority 1)",
        "Be aware: Sends information outside.",
        "Check this contact on the official page before use.",
        "If you cannot check it, try: Contact backup - Email - backup@example.org.",
        "Seen in a source dated 2025-10-01, not confirmed since: https://www.ohchr.org/hotline",
        "The body may raise the case with the State.",
        "Held back until you agree to make the case public",
        "Public statement",
        "A similar case in 2019",
        "rule notify_mechanism_sp - matched engagement: special procedures; stage: engaged",
        "sensitive — keep safe",
    ):
        assert expected in text, expected
    # One tick box per step and per checklist of a step.
    boxes = sum(1 + len(step.checklist) for step in plan.steps)
    assert markup.count('class="box"') == boxes
    assert "Why each step is here" not in html(plan)
    assert "machine translations" not in text
    assert (
        "machine translations, checked for meaning but not yet reviewed"
        in Page(html(make_plan(lang_reviewed=False))).text
    )


def test_paper_sizes_and_print_stylesheet() -> None:
    plan = make_plan()
    assert "size: A4;" in html(plan)
    letter = html(plan, paper="letter")
    assert "size: letter;" in letter
    assert "@media print" in letter
    assert 'counter(page) " of " counter(pages)' in letter
    assert "break-" in letter


def test_redact_drops_case_id_and_footer() -> None:
    plan = make_plan(case_id="secret-case-42")
    assert "secret-case-42" in html(plan)
    redacted = html(plan, redact=True)
    assert "secret-case-42" not in redacted
    assert "keep safe" not in redacted


def test_right_to_left_language() -> None:
    plan = replace(make_plan(), lang="ar")
    assert html(plan).startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">')
    hostile_lang = replace(make_plan(), lang='en" onload="x')
    assert_self_contained(html(hostile_lang))


def test_hostile_text_is_inert() -> None:
    plan = make_plan(HOSTILE)
    markup = html(plan, explain=True)
    page = assert_self_contained(markup)
    for char in FORBIDDEN:
        assert char not in markup
    assert "<script" not in markup and "<img" not in markup and "<a " not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    # Shown as the characters that were typed.
    assert "<img src=x onerror=alert(1)> [x](http://evil.example)" in page.text
    assert markup == html(plan, explain=True)


def test_hostile_knowledge_base_text_in_page_header() -> None:
    plan = make_plan()
    bad = replace(
        plan, kb=replace(plan.kb, version='1"; } body { x: url(http://e) } </style><script>')
    )
    markup = html(bad)
    assert_self_contained(markup)
    assert "<script>" not in markup


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_plan_as_html(path: Path, kb: KnowledgeBase) -> None:
    plan = example_plan(path, kb)
    markup = html(plan, kb)
    assert_self_contained(markup)
    assert_holds_plan(markup, plan, full=False)
    assert markup == html(plan, kb)
    assert_holds_plan(html(plan, kb, full=True), plan)


def test_every_checklist_as_html(kb: KnowledgeBase) -> None:
    assert kb.checklists
    for checklist in kb.checklists.values():
        markup = render_checklist(checklist, "html", kb, RenderOptions(as_of="2026-11-25"))
        assert isinstance(markup, str)
        text = assert_self_contained(markup).text
        assert one_line(checklist.title) in text
        items = [one_line(i) for s in checklist.sections for i in s.items]
        for entry in items:
            assert entry in text
        assert markup.count('class="box"') == len(items)
        assert "Date: 2026-11-25" in text


@pytest.mark.slow
def test_chromium_prints_the_plan(tmp_path: Path, kb: KnowledgeBase) -> None:
    chromium = need("chromium")
    plan = example_plan(ROOT / "examples" / "immediate_danger_hacked.yaml", kb)
    source = tmp_path / "plan.html"
    source.write_text(html(plan, kb, paper="letter"), encoding="utf-8")
    out = tmp_path / "out.pdf"
    shot = tmp_path / "shot.png"
    base = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    for extra in (
        ["--no-pdf-header-footer", f"--print-to-pdf={out}"],
        ["--window-size=900,1400", f"--screenshot={shot}"],
    ):
        subprocess.run(
            [*base, *extra, source.as_uri()], check=True, timeout=120, capture_output=True
        )
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    text = re.sub(r"\s+", "", "\n".join(p.extract_text() for p in reader.pages))
    # The PDF's text layer keeps the font's ligatures ("ff" as U+FB00): a fingerprint or a word
    # with "ff" would not be found as typed. NFKC turns them back into letters.
    text = unicodedata.normalize("NFKC", text)
    for step in plan.steps:
        assert re.sub(r"\s+", "", one_line(step.title)) in text, step.id
    assert f"page1of{len(reader.pages)}" in text
    assert "sensitive—keepsafe" in text
    assert "2026-11-25" in text and plan.kb.fingerprint.split(":")[1][:12] in text
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000
