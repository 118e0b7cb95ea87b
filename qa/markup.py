"""Article text in Markdown surfaces (the chat, search details, report.md) and terminals as inert text.

Answers quote articles, and articles are untrusted: `![x](http://…)` must not become an auto-loading image
(a tracking pixel), `[click](http://…)` or a bare URL must not become a live link, `<b>` must not become
markup. Every character Markdown or HTML could act on is written as an HTML entity, and URL and e-mail
shapes are broken so that no autolinker sees them; the reader sees the same characters.
"""

from __future__ import annotations

import html
import re

_ACTIVE = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-!|~>:@."}
_ACTIVE_RE = re.compile("[" + re.escape("".join(_ACTIVE)) + "]")


_ESCAPE_RE = re.compile(r"[\\`*\[\]<>|$]|(?<!\w)_|_(?!\w)")
_LINK_SHAPES = re.compile(r"(?<=[A-Za-z]):(?=//)|(?<=www)\.|(?<=\w)(?=@\w)|(?<=\w)\.(?=[a-z]{2,})", re.I)
_MARKER = re.compile(r"(\[\d+\])(?![(\[:])")


def markdown_text(text: str, markers: bool = False) -> str:
    """`text` for clients that may or may not render Markdown (the HTTP API's message content): Markdown's active
    characters (and `$`, which some clients render as math) are backslash-escaped and URL, domain and e-mail shapes
    are broken by an invisible U+200B, so a renderer shows it as written and makes no link or image of it, while a
    plain-text client shows the text with at most a backslash before a bracket, asterisk or dollar sign. With
    `markers`, citation markers ("[2]" not followed by "(", "[" or ":") stay as they are."""
    if markers:
        return "".join(part if _MARKER.fullmatch(part) else markdown_text(part) for part in _MARKER.split(text))
    escaped = _ESCAPE_RE.sub(lambda m: "\\" + m.group(0), text)
    return _LINK_SHAPES.sub(lambda m: "\u200b" + m.group(0), escaped)


_OWN_MARKS = re.compile(r"(?:\[\d{1,3}\])+")
_RAISED = str.maketrans("0123456789[]", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def raised_marks(text: str) -> str:
    """An article's own reference marks written raised, so that a quote in plain text does not show them like the
    answer's [n]: "… 6.6% [2][5]." → "… 6.6% ⁽²⁾⁽⁵⁾." (the UI sets them apart with markup instead)."""
    return _OWN_MARKS.sub(lambda m: m.group(0).translate(_RAISED), text)


def inert(text: str) -> str:
    """`text` for a Markdown renderer: shown as written, never a link, image, HTML tag or formatting."""
    return _ACTIVE_RE.sub(lambda m: _ACTIVE[m.group(0)], html.escape(text, quote=False))


# C0 and C1 controls (ESC starts colours, OSC 8 links, title changes, screen clears; CR overwrites a line), DEL,
# and the bidirectional overrides and isolates that reorder what a reader sees. Newlines and tabs stay.
_TERMINAL_ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """`text` for a terminal: control characters removed, so article text and file names print as text and can
    neither colour, link, retitle or clear the terminal nor overwrite what was printed before."""
    return _TERMINAL_ACTIVE.sub("", text)


def terminal_json(text: str) -> str:
    """JSON (json.dumps with ensure_ascii=False) for a terminal: the controls it leaves raw inside strings (C1,
    bidirectional) written as \\u escapes; the same JSON when parsed."""
    return _TERMINAL_ACTIVE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
