"""Making untrusted text inert before it is shown.

Any text in a plan may be hostile: the case id is typed by someone, and a custom knowledge base
(`--kb`, `--kb-add`) can say anything. Before it reaches a terminal, a Markdown viewer or a file,
terminal escape sequences, control characters and bidi overrides are removed (they can rewrite the
screen, hide text or reorder it), and in Markdown every character that could start a link, an
image, HTML, emphasis or a block is escaped.
"""

from __future__ import annotations

import re

__all__ = [
    "clean",
    "code_span",
    "fragment",
    "md_escape",
    "md_fragment",
    "md_inline",
    "md_line",
    "one_line",
    "paragraphs",
]

# ESC-introduced sequences, removed whole (payload included) so no fragment is left to act:
# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC (ESC P|X|^|_ ... ST), and the
# two-character forms (ESC + intermediates + final).
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?            # CSI
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC, ended by BEL or ST
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?       # DCS, SOS, PM, APC
    | \x1b[ -/]*[0-~]?                  # any other escape
    | \x9b[0-?]*[ -/]*[@-~]?            # 8-bit CSI
    | \x9d[^\x07\x1b\x9c]*(?:\x07|\x9c)?  # 8-bit OSC
    """,
    re.VERBOSE,
)
# C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069) that can make text read in another order than it runs.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")

# Markdown: characters escaped wherever they appear. Together they stop links and images ([ ]),
# inline HTML, autolinks and entities (< > &), emphasis and strikethrough (* _ ~), code (`),
# tables (|) and the escape character itself.
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>&|~])")
# Characters that start a block at the beginning of a line: headings, quotes, lists, setext and
# thematic breaks, ordered lists ("1." / "1)").
_MD_LINE_START = re.compile(r"^([#>+\-=])|^(\d+)([.)])", re.MULTILINE)
# GFM turns bare URLs, www. names and e-mail addresses into links: break their triggers.
_MD_AUTOLINK = re.compile(r"(?i)(://)|(\bwww)\.|(@)")


def clean(text: str) -> str:
    """`text` without terminal escapes, control characters (tab and newline are kept), NUL or bidi
    overrides. Line ends become `\\n`."""
    text = _LINE_ENDS.sub("\n", text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    """`clean(text)` on a single line: every run of white space becomes one space."""
    return _SPACES.sub(" ", clean(text)).strip()


def fragment(text: str) -> str:
    """`clean(text)` for joining into a line: white space runs become one space, ends kept."""
    return _SPACES.sub(" ", clean(text))


def paragraphs(text: str) -> list[str]:
    """`clean(text)` split at blank lines, each paragraph on one line."""
    cleaned = clean(text).replace("\t", " ")
    parts = _BLANK_LINES.split(cleaned.strip())
    return [p for p in (one_line(part) for part in parts) if p]


def md_inline(text: str) -> str:
    """Untrusted text as inert Markdown on one line (titles, names, list items)."""
    return _md_block_start(md_fragment(one_line(text)))


def md_fragment(text: str) -> str:
    """Untrusted text as inert Markdown inside a line: white space runs become one space, but
    the ends are kept so fragments can be joined."""
    out = _MD_ANYWHERE.sub(r"\\\1", fragment(text))
    return _MD_AUTOLINK.sub(_break_autolink, out)


def md_escape(text: str) -> str:
    """Untrusted text as inert Markdown paragraphs, separated by blank lines."""
    return "\n\n".join(md_inline(p) for p in paragraphs(text))


def md_line(line: str) -> str:
    """A line assembled from `md_fragment`s and code spans, made safe at its start."""
    return _md_block_start(line)


def _md_block_start(line: str) -> str:
    def lead(match: re.Match[str]) -> str:
        if match.group(1):
            return "\\" + match.group(1)
        return match.group(2) + "\\" + match.group(3)

    return _MD_LINE_START.sub(lead, line)


def _break_autolink(match: re.Match[str]) -> str:
    if match.group(1):
        return r"\://"
    if match.group(2):
        return match.group(2) + r"\."
    return r"\@"


def code_span(text: str) -> str:
    """Untrusted text as a Markdown code span: shown literally, never a link or HTML."""
    value = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    if longest or value.startswith(" ") or value.endswith(" "):
        return f"{fence} {value} {fence}"
    return f"{fence}{value}{fence}"
