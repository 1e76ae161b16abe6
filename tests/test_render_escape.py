"""render.escape: hostile text comes out inert, ordinary text comes out readable."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from render_fixtures import FORBIDDEN, HOSTILE
from reprisal_cli.render.escape import clean, code_span, md_escape, md_inline, one_line

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
ACTIVE = {"link_open", "image", "html_inline", "html_block", "code_inline", "code_block", "fence"}
ACTIVE |= {"heading_open", "em_open", "strong_open", "s_open", "blockquote_open", "hr"}
ACTIVE |= {"bullet_list_open", "ordered_list_open", "table_open"}


def _tokens(markdown: str) -> set[str]:
    found: set[str] = set()
    for token in MD.parse(markdown):
        found.add(token.type)
        for child in token.children or ():
            found.add(child.type)
    return found


def test_clean_strips_escapes_controls_and_bidi() -> None:
    out = clean(HOSTILE)
    for char in FORBIDDEN:
        assert char not in out
    assert "pwned" not in out  # an OSC title is removed with its payload
    assert "RED" in out and "click" in out  # text around the sequences stays


def test_clean_keeps_newline_and_tab_and_normalises_line_ends() -> None:
    assert clean("a\r\nb\rc\td\u2028e") == "a\nb\nc\td\ne"


def test_one_line_joins_white_space() -> None:
    assert one_line("  a\n\n b\t c \x00 ") == "a b c"


def test_plain_words_stay_readable_in_markdown() -> None:
    assert md_inline("Call a 24-hour line, e.g. a hotline (free).") == (
        "Call a 24-hour line, e.g. a hotline (free)."
    )


def test_hostile_markdown_is_inert() -> None:
    out = md_escape(HOSTILE + "\n\n# heading\n> quote\n- item\n1. item\n    code\n---\n| a | b |")
    assert _tokens(out) <= {"paragraph_open", "paragraph_close", "inline", "text", "softbreak"}


def test_autolink_triggers_are_broken() -> None:
    out = md_inline("see http://evil.example and www.evil.example or me@evil.example")
    assert "http://" not in out and "www." not in out and "me@" not in out


def test_code_span_is_literal_whatever_it_holds() -> None:
    for value in ("a`b", "``", " x ", "[x](http://e)", "<b>"):
        tokens = MD.parse(code_span(value))[1].children or []
        assert [t.type for t in tokens] == ["code_inline"]
        assert tokens[0].content == one_line(value)


@given(st.text())
def test_clean_never_lets_a_control_through(text: str) -> None:
    out = clean(text)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)


@given(st.text(alphabet=st.sampled_from(list("[]()!<>`*_#-+=.:/@&|~\\ \nawh1"))))
def test_markdown_escaping_never_makes_syntax(text: str) -> None:
    out = md_escape(text)
    assert _tokens(out) <= {"paragraph_open", "paragraph_close", "inline", "text", "softbreak"}
    # Inline form: what the reader sees is what was written (white space aside).
    rendered = MD.renderInline(md_inline(text))
    expected = one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert rendered == expected
