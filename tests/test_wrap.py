"""The one wrapping of the terminal, `--plain` and text views (`render.labels.wrap`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reprisal_cli.render.labels import _NO_LINE_END, _NO_LINE_START, width, wrap

# Chinese text with its punctuation, and now and then a Latin word between spaces.
_HAN = st.sampled_from(list("联合国人权报复案件同意记录计划核实风险"))
_PUNCT = st.sampled_from(list("。，、；：！？）（「」"))
# A run starts and ends with a character (text has no space before a full stop nor after an
# opening bracket).
_CJK = st.tuples(_HAN, st.lists(st.one_of(_HAN, _HAN, _HAN, _PUNCT), max_size=120), _HAN).map(
    lambda run: run[0] + "".join(run[1]) + run[2]
)
_TEXT = st.lists(st.one_of(_CJK, st.sampled_from(["OHCHR", "+41 22 917 9000", "UN"])), min_size=1,
                 max_size=4).map(" ".join)  # fmt: skip


@given(_TEXT, st.integers(20, 80))
def test_chinese_lines_never_start_with_closing_punctuation(text: str, columns: int) -> None:
    """A line of Chinese never starts with 。，）… nor ends with （「 (the rules Chinese and
    Japanese typesetting follow, 2026-12-04: a plan's line began with 。), no line is wider than
    the terminal, and no character is lost or added but the spaces between words."""
    lines = wrap(text, columns)
    for number, line in enumerate(lines):
        assert width(line) <= columns, line
        if number > 0 and len(line) > 1:
            assert line[0] not in _NO_LINE_START or len(lines[number - 1]) <= 1, lines
        if number < len(lines) - 1 and len(line) > 1:
            assert line[-1] not in _NO_LINE_END, lines
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_a_full_stop_goes_to_the_next_line_with_the_character_before_it() -> None:
    text = "联" * 10 + "。" + "国" * 5  # ten characters fill 20 columns: 。 would start line 2
    assert wrap(text, 20) == ["联" * 9, "联。" + "国" * 5]


# French words, and the punctuation French sets off with a space before it (or after «), as
# French text has it: after a word, never two in a row.
_WORDS = st.sampled_from(["lointaine", "il", "est", "l'ONU", "consentement", "no", "a\u00a0b"])
_FRENCH = st.lists(
    st.one_of(
        _WORDS,
        st.tuples(_WORDS, st.sampled_from([" :", " ;", " ?", " !"])).map("".join),
        st.tuples(_WORDS, st.sampled_from([" »", " »,", " »)."])).map(lambda w: "« " + "".join(w)),
        st.just("24\u00a0h/24"),
    ),
    min_size=1,
    max_size=40,
).map(" ".join)


@given(_FRENCH, st.integers(20, 60))
def test_french_punctuation_never_starts_a_line_and_a_no_break_space_never_breaks(
    text: str, columns: int
) -> None:
    """French sets « : », « ; », « ? », « ! » and the guillemets off with a space: a line of a
    French plan began with the colon alone (": il est donc facile...", 2026-12-04), or split
    "24 h/24". A line never starts with that punctuation nor ends with an opening guillemet,
    a no-break space never ends a line, and nothing is lost."""
    lines = wrap(text, columns)
    for number, line in enumerate(lines):
        first = line.split(" ")[0]
        if number > 0:
            assert first[:1] not in (":", ";", "?", "!", "»"), lines
        assert not line.endswith("«") or number == len(lines) - 1, lines
        assert not line.endswith("\u00a0"), lines
    assert "24\u00a0h/24" not in text or "24\u00a0h/24" in "\n".join(lines)
    assert " ".join(lines).split(" ") == text.split(" ")


def test_a_no_break_space_survives_the_terminals_cleaning() -> None:
    """The terminal cleans each fragment (`untrusted.fragment`), which made every no-break
    space an ordinary one: the French plan's "24 h/24" broke after "24" (2026-12-04)."""
    from reprisal_cli.untrusted import fragment, one_line

    assert fragment("une ligne 24\u00a0h/24 \n pour") == "une ligne 24\u00a0h/24 pour"
    assert one_line(" « oui\u202f» ") == "« oui\u202f»"


def test_chinese_text_glued_to_a_link_is_wrapped_and_the_link_kept_whole() -> None:
    """Chinese writes no space before a URL: the whole run was one "word" holding a link, never
    cut, and a plan's line was 123 columns wide (red team red30). The text around the link is
    wrapped; the link, with the brackets and the full stop written against it, stays whole."""
    link = "https://www.ohchr.org/en/reprisals/how-share-information-about-cases"
    text = "如需了解详情，请访问" * 3 + f"（{link}）。" + "然后" * 40
    lines = wrap(text, 60)
    assert f"（{link}）。" in lines
    assert all(width(line) <= 60 for line in lines if link not in line), lines
    assert "".join(lines) == text


def test_a_link_is_kept_whole_unless_asked_to_fold_it_after_a_slash() -> None:
    link = "https://omct.org/en/what-we-do/material-support/emergency-support-for-defenders-at-risk"
    assert wrap(f"Web: {link}", 40) == ["Web:", link]
    folded = wrap(f"Web: {link}", 40, fold_links=True)
    assert all(len(line) <= 40 for line in folded)
    assert "".join(folded).replace("Web: ", "", 1) == link
    assert folded[1].endswith("/")  # cut after a "/" where one is in reach
