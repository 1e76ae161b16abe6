"""Making untrusted text inert before it is shown.

Any text in a plan may be hostile: the case id is typed by someone, and a custom knowledge base
(`--kb`, `--kb-add`) can say anything. Before it reaches a terminal, a Markdown viewer or a file,
`reprisal_cli.untrusted.clean` removes terminal escape sequences, control characters, bidi
controls, zero-width and tag characters (they can rewrite the screen, hide text or reorder it);
here, in Markdown, every character that could start a link, an image, HTML, emphasis or a block is
escaped as well.
"""

from __future__ import annotations

import re

from reprisal_cli.untrusted import clean, fragment, one_line

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
