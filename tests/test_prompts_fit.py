"""`questionnaire.prompts._fit`: a choice too wide for the terminal is shortened in its middle,
never cut at the edge with no mark (2026-12-04: the review menu's "Change: Each year, the UN
Secretary-General publishes a report on reprisals. C" lost the question itself)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reprisal_cli.questionnaire.prompts import _fit
from reprisal_cli.render.labels import width

WORDS = st.lists(
    st.text(alphabet=st.sampled_from("abcé报复行为ابت"), min_size=1, max_size=30), max_size=30
)
# A word as wide as the line is cut between characters, spaces kept.
LONG = st.lists(st.text(alphabet=st.sampled_from("абв "), min_size=30, max_size=90), max_size=3)


@given(st.one_of(WORDS, LONG), st.integers(min_value=8, max_value=200))
def test_never_wider_than_the_line_and_whole_when_it_fits(words: list[str], columns: int) -> None:
    text = " ".join(words)
    fitted = _fit(text, columns)
    assert width(fitted) <= columns
    one_spaced = " ".join(text.split())  # as a choice is shown: runs of spaces made one
    if width(one_spaced) <= columns:
        assert fitted == one_spaced
    else:
        assert "…" in fitted
        assert "  " not in fitted  # never a double space around the cut (red40: "можно  … ")


def test_a_long_question_keeps_its_start_and_its_end() -> None:
    question = (
        "Change: Each year, the UN Secretary-General publishes a report on reprisals. Can the "
        "case be in it?"
    )
    fitted = _fit(question, 60)
    assert fitted.startswith("Change: Each year,") and fitted.endswith("Can the case be in it?")
    assert " … " in fitted
    chinese = "每年联合国秘书长都会发表一份关于报复行为的报告该案件可以列入其中吗"
    assert _fit(chinese, 30).startswith("每年") and _fit(chinese, 30).endswith("其中吗")
