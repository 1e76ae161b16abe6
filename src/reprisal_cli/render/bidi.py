"""Left-to-right runs kept in order inside right-to-left text.

In an Arabic sentence the Unicode bidi algorithm reads the digits of "2026-01-10" as three Arabic
numbers separated by neutral hyphens and prints them "10-01-2026"; a phone number "+353 1 210 0489"
comes out as "0489 210 1 353+". Each run that reads left to right (a date, a number with
separators, a phone number, an e-mail address, a URL, Latin words) is wrapped in a left-to-right
isolate, U+2066 LRI ... U+2069 PDI, so it is laid out on its own, in its own order, and placed as
one block in the sentence.

The marks are added by the renderers (PDF, HTML, terminal) only, after the text was cleaned:
`escape.clean` strips every bidi control from the input, since hostile text could use them to
reorder a line. `isolate_ltr_runs` is the one function that finds the runs; `bdi_html` gives the
same runs as HTML elements.

A terminal that does not do bidi itself (most: xterm, Windows Terminal, tmux's own screen) prints
Arabic letter by letter, unjoined and left to right. For those, `visual_line` joins the letters
(arabic-reshaper) and orders one line for display (python-bidi, the Unicode bidi algorithm), after
isolating the left-to-right runs. `terminal_does_visual` decides when: `REPRISAL_CLI_BIDI=off`
turns it off (a terminal that does bidi itself, or to copy the text in logical order), `on`
forces it, and by default it is on for a terminal not known to do bidi itself (VTE, Konsole and
mlterm are).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping

__all__ = [
    "BIDI_ENV",
    "LRI",
    "PDI",
    "bdi_html",
    "has_rtl",
    "isolate_ltr_runs",
    "ltr_runs",
    "terminal_does_visual",
    "visual_line",
]

LRI = "\u2066"
PDI = "\u2069"
BIDI_ENV = "REPRISAL_CLI_BIDI"
# Terminals that lay out right-to-left text themselves, known by a variable they set: VTE (GNOME
# Terminal, Tilix...) since 0.58, Konsole, mlterm. Reordering for them would reverse it twice.
_BIDI_TERMINALS = ("VTE_VERSION", "KONSOLE_VERSION", "MLTERM")
_MARKS = str.maketrans("", "", "\u2066\u2067\u2068\u2069")
_MIRROR = str.maketrans("()[]{}<>\u00ab\u00bb", ")(][}{><\u00bb\u00ab")
# Hebrew, Arabic, Syriac, Thaana, NKo... and the Arabic presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# A run starts with a Latin letter or a digit (or a "+" before a digit) and ends with one, a "/" of
# a URL, a "+" ("LGBTIQ+") or a closing bracket; in between, the separators of dates, numbers,
# addresses and phrases.
# Brackets stay in a run only when they pair up inside it ("+353 (0)1 21 00 489", "cases (older)").
_LETTER = "A-Za-z0-9\u00c0-\u024f"
_END = _LETTER + "/+"
_LTR_RUN = re.compile(
    rf"(?:\+(?=[0-9])|[{_LETTER}])"
    rf"(?:[{_LETTER}.,:;/@_%+\-#?=&~'\u2019()\[\] ]*[{_END})\]])?"
)
_OPEN, _CLOSE = "([", ")]"


def _balanced(run: str) -> str:
    """The longest start of `run` whose brackets pair up and that ends as a run may end."""
    depth, end = 0, 0
    for index, char in enumerate(run):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth < 0:
                break
        if depth == 0 and (char in _CLOSE or re.match(f"[{_END}]", char)):
            end = index + 1
    return run[:end]


def has_rtl(text: str) -> bool:
    """Whether `text` holds a right-to-left letter (Arabic, Hebrew...)."""
    return _RTL.search(text) is not None


def ltr_runs(text: str) -> list[str]:
    """The left-to-right runs of `text` that `isolate_ltr_runs` would wrap (none when `text` has
    no right-to-left letter)."""
    if not has_rtl(text):
        return []
    return [piece for piece, ltr in _split(text) if ltr]


def _split(text: str) -> list[tuple[str, bool]]:
    """`text` cut into pieces, each with whether it is a left-to-right run."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    while match := _LTR_RUN.search(text, pos):
        run = _balanced(match.group(0))
        pieces += [(text[pos : match.start()], False), (run, True)]
        pos = match.start() + len(run)
    pieces.append((text[pos:], False))
    return [(piece, ltr) for piece, ltr in pieces if piece]


def bdi_html(text: str) -> str:
    """`text` escaped for HTML, each left-to-right run in a `<bdi dir="ltr">` element if `text`
    has right-to-left letters."""
    if not has_rtl(text):
        return html.escape(text)
    return "".join(
        f'<bdi dir="ltr">{html.escape(piece)}</bdi>' if ltr else html.escape(piece)
        for piece, ltr in _split(text)
    )


def isolate_ltr_runs(
    text: str, start: str = LRI, end: str = PDI, *, keep: str = "", always: bool = False
) -> str:
    """`text` with each left-to-right run between `start` and `end`, if `text` has right-to-left
    letters or `always` (for a line laid out right to left whatever it holds). `keep` is a token
    left as it is (fpdf2's page-count alias)."""
    if not (always or has_rtl(text)):
        return text
    if keep and keep in text:
        parts = text.split(keep)
        return keep.join(isolate_ltr_runs(part, start, end, always=True) for part in parts)
    return "".join(f"{start}{piece}{end}" if ltr else piece for piece, ltr in _split(text))


def terminal_does_visual(is_terminal: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Whether right-to-left text is to be shaped and put in visual order before it is printed:
    `REPRISAL_CLI_BIDI` is `on` or `off`, else yes on a terminal not known to do bidi itself."""
    env = os.environ if environ is None else environ
    choice = env.get(BIDI_ENV, "").strip().lower()
    if choice in {"off", "0", "no", "false"}:
        return False
    if choice in {"on", "1", "yes", "true"}:
        return True
    return is_terminal and not any(env.get(name) for name in _BIDI_TERMINALS)


def visual_line(text: str) -> str:
    """One line of right-to-left text as a terminal without bidi must print it: Arabic letters
    joined (presentation forms), characters in display order, left-to-right runs kept in their
    own order. Text without right-to-left letters is returned as it is. Wrap first: the order
    is only right within one line."""
    if not has_rtl(text):
        return text
    # lazy: arabic_reshaper and python-bidi only for right-to-left text (bench/startup)
    import arabic_reshaper
    from bidi import get_display

    # python-bidi orders the characters but does not mirror them (rule L4): a bracket laid out
    # right to left must show its mirror glyph, so those outside the left-to-right runs are
    # swapped here, before the reordering.
    logical = "".join(
        f"{LRI}{piece}{PDI}" if ltr else piece.translate(_MIRROR) for piece, ltr in _split(text)
    )
    shaped = arabic_reshaper.reshape(logical)
    return str(get_display(shaped, base_dir="R")).translate(_MARKS)
