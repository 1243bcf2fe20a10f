"""Plain text, and the blanking helpers every reader shares.

A reader never moves a prose character: it builds `prose` as a same-length copy of `text` in
which markup is overwritten. Two kinds of filler are used (see `models.Document`):

- `spaces(n)` for markup inside a block (a tag, a link destination, an emphasis marker);
- `breaks(n)` where a block ends (a paragraph, heading, list item, table cell), so the
  segmenter sees a blank line there. Two newlines are enough; every blanked character of a
  block boundary becomes one, which keeps the rule simple and always gives the most room.
"""

from __future__ import annotations

import re

from ..models import Document, Span

# `<!-- ... -->`, the carrier of suppression directives in every text format.
COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_NOT_NEWLINE_RE = re.compile(r"[^\n]+")


def spaces(n: int) -> str:
    return " " * n


def breaks(n: int) -> str:
    return "\n" * n


def blank_keep_lines(s: str) -> str:
    """Spaces for every character but `\\n`, so the text keeps its line structure."""
    return _NOT_NEWLINE_RE.sub(lambda m: " " * len(m.group()), s)


def read_plain(text: str, path: str) -> Document:
    """Plain text is all prose, except `<!-- -->` comments (directives live there)."""
    if "<!--" not in text:
        return Document(path=path, text=text, prose=text, format="txt")
    comments: list[Span] = []
    pieces: list[str] = []
    last = 0
    for match in COMMENT_RE.finditer(text):
        start, end = match.span()
        comments.append(Span(start, end))
        pieces.append(text[last:start])
        pieces.append(blank_keep_lines(match.group()))
        last = end
    pieces.append(text[last:])
    return Document(path=path, text=text, prose="".join(pieces), format="txt", comments=comments)
