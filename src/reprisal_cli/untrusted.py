"""Making untrusted text inert before anyone sees it: the one place that decides which characters
may reach a terminal, a file or a JSON reader.

Text from an answers file, a plan, a custom knowledge base, a file name or an argument may be
hostile. Terminal escape sequences (CSI, OSC titles, hyperlinks and clipboard writes, 8-bit forms)
can rewrite the screen; control characters can hide text; bidi controls can show a line in
another order than it runs (a phone number read backwards); zero-width and tag characters hide
text or tell two look-alike strings apart. `clean` removes them all, and every message, listing
and output is built from cleaned text (`render.escape` adds the Markdown layer on top).
`json_escape` keeps the same characters in JSON, but written as `\\uXXXX` escapes, so a reader
that prints a field does not get them raw.

A base module: `errors` uses it for every message, so it imports nothing of the tool.
"""

from __future__ import annotations

import re

__all__ = ["clean", "fragment", "json_escape", "json_escape_bytes", "one_line"]

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
# Invisible characters that change how text reads, without control characters (so JSON, which
# escapes C0 itself, can use the same list):
# - bidi marks (U+200E LRM, U+200F RLM, U+061C ALM), embeddings and overrides (U+202A-U+202E),
#   isolates (U+2066-U+2069): they reorder what is around them;
# - zero-width characters (U+200B-U+200D), the word joiner and invisible operators
#   (U+2060-U+2064), the deprecated format controls (U+206A-U+206F), the byte-order mark (U+FEFF)
#   and the tag characters (U+E0000-U+E007F): invisible, they hide text or make look-alikes.
_INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\U000e0000-\U000e007f"
# C0 controls but tab and newline, DEL, C1 controls, and the invisible characters above.
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
# A lone surrogate (from a JSON "\\ud800" or an undecodable byte in a file name) cannot be
# written as UTF-8: it would stop the output half-way.
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# White space, but not a no-break space (U+00A0, U+2007, U+202F: "24 h/24", « oui »), which a
# line must not break at, and which stays one.
SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")
# What JSON keeps raw and `json_escape` writes as escapes: DEL, C1, line and paragraph
# separators, the invisible characters, lone surrogates.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\u2028\u2029{_INVISIBLE}\ud800-\udfff]")
# Bytes below DEL: dropping them leaves the multi-byte characters, still valid UTF-8, in which
# alone `_JSON_UNSAFE` can match. A plan is mostly ASCII: searching what is left is some ten
# times faster than searching the whole (a batch writes thousands of plans).
_ASCII = bytes(range(0x7F))


def clean(text: str) -> str:
    """`text` without terminal escapes, control characters (tab and newline are kept), bidi
    controls, zero-width or tag characters; a lone surrogate becomes U+FFFD. Line ends become
    `\\n`."""
    text = _LINE_ENDS.sub("\n", text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def one_line(text: str) -> str:
    """`clean(text)` on a single line: every run of white space becomes one space."""
    return SPACES.sub(" ", clean(text)).strip()


def fragment(text: str) -> str:
    """`clean(text)` for joining into a line: white space runs become one space, ends kept."""
    return SPACES.sub(" ", clean(text))


def json_escape(document: str) -> str:
    """A JSON document (as `json.dumps(..., ensure_ascii=False)` writes it) with the characters
    `clean` removes written as `\\uXXXX` escapes: the data read back is the same, but a reader
    that prints a field gets no raw control. JSON puts them only inside strings, where an escape
    is valid."""
    if not _unsafe_in(document.encode("utf-8", "surrogatepass")):
        return document
    return _JSON_UNSAFE.sub(_json_char, document)


def json_escape_bytes(document: bytes) -> bytes:
    """`json_escape` of UTF-8 bytes (orjson's output)."""
    if not _unsafe_in(document):
        return document
    return json_escape(document.decode("utf-8")).encode("utf-8")


def _unsafe_in(data: bytes) -> bool:
    rest = data.translate(None, _ASCII).decode("utf-8", "surrogatepass")
    return _JSON_UNSAFE.search(rest) is not None


def _json_char(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code > 0xFFFF:  # a surrogate pair, as JSON writes characters beyond U+FFFF
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"
