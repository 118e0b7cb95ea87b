"""Article text in Markdown surfaces (the chat, search details, report.md) as inert text.

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


def inert(text: str) -> str:
    """`text` for a Markdown renderer: shown as written, never a link, image, HTML tag or formatting."""
    return _ACTIVE_RE.sub(lambda m: _ACTIVE[m.group(0)], html.escape(text, quote=False))
