"""HTML: the article body as prose, every offset pointing into the original markup.

Why the standard library's `html.parser.HTMLParser`: it reports `getpos()` (line, column) at
the start of *every* event it emits (text, start and end tags, character references, comments,
declarations), and it emits them in document order with nothing between them. So event `i`
covers exactly `[start_i, start_{i+1})` of the source, and a text event's raw characters are
the first `len(data)` of its range. That partition of the source is exact by construction,
whatever the markup looks like. BeautifulSoup (html.parser builder) records `sourceline` /
`sourcepos` only for start tags, not for text, end tags or references, and lxml gives line
numbers for elements only; both would need the offsets recovered by searching, which breaks on
repeated text. `convert_charrefs=False` keeps references as separate events so each one can be
decoded in place (`&amp;` -> `&` plus four spaces).

What counts as prose:
- everything inside `script`, `style`, `nav`, `header`, `footer`, `aside`, `form`, `noscript`,
  `template`, `svg`, `iframe`, `button` (and `head`, `title`, `pre`, `code`, `select`,
  `textarea`, `object`, `canvas`, `video`, `audio`, none of which hold article prose) is dropped;
- when the page has an `<article>`, only article text is prose; with several top-level
  articles (a story plus "related" teasers), the one with the most text wins; else `<main>`,
  else the whole body;
- block tags (`p`, `div`, `li`, `h1`..`h6`, `br`, `td`, ...) become newlines, so the segmenter
  sees paragraph breaks; inline tags become spaces; newlines inside text become spaces, as a
  browser renders them (a soft wrap is not a paragraph break).
- `<blockquote>` and `<q>` contents are quote spans; every `<!-- -->` comment on the page is a
  comment span (directives may sit anywhere, also outside the article).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

from ..models import AttribauditError, Document, Span
from .plain import breaks, spaces

# fmt: off
DROPPED_ELEMENTS = frozenset(
    {
        "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template",
        "svg", "iframe", "button", "head", "title", "pre", "code", "select", "textarea",
        "object", "canvas", "video", "audio",
    }
)
BLOCK_ELEMENTS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "legend",
        "li", "main", "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table",
        "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
    }
)
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)
# fmt: on
QUOTE_ELEMENTS = frozenset({"blockquote", "q"})
# Elements a browser keeps inside <head>; any other start tag means the body has begun, which
# matters because pages routinely omit </head>.
_HEAD_CONTENT = frozenset(
    {"title", "meta", "link", "style", "script", "base", "noscript", "template"}
)

# Event kinds.
_DATA, _REF, _BLOCK_TAG, _INLINE_TAG, _COMMENT, _OTHER = range(6)

# (inside a dropped element, id of the outermost open <article> or -1, inside <main>)
_Scope = tuple[bool, int, bool]
_SOFT_BREAKS = str.maketrans("\r\n", "  ")
_LINE_RE = re.compile(r"\n")


class _EventRecorder(HTMLParser):
    """Records (offset, kind, data length, scope) for every parser event, in document order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0, *(m.end() for m in _LINE_RE.finditer(text))]
        self.events: list[tuple[int, int, int, _Scope]] = []
        # Quote spans with the scope they were opened in: (inner start, inner end, scope).
        self.quotes: list[tuple[int, int, _Scope]] = []
        self._stack: list[tuple[str, int]] = []  # (tag, offset where its content starts)
        self._open_counts: dict[str, int] = {}
        self._dropped = 0
        self._article_depth = 0
        self._article_id = -1
        self._articles_seen = 0
        self._main = 0
        self._scope: _Scope = (False, -1, False)

    # -- positions -------------------------------------------------------------------------

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _record(self, kind: int, length: int = 0) -> int:
        offset = self._offset()
        self.events.append((offset, kind, length, self._scope))
        return offset

    # -- events ------------------------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        self._record(_DATA, len(data))

    def handle_entityref(self, name: str) -> None:
        self._record(_REF)

    def handle_charref(self, name: str) -> None:
        self._record(_REF)

    def handle_comment(self, data: str) -> None:
        self._record(_COMMENT)

    def handle_decl(self, decl: str) -> None:
        self._record(_OTHER)

    def handle_pi(self, data: str) -> None:
        self._record(_OTHER)

    def unknown_decl(self, data: str) -> None:
        self._record(_OTHER)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._open_counts.get("head") and tag not in _HEAD_CONTENT:
            self._close_through("head", self._offset())
        start = self._record(_BLOCK_TAG if tag in BLOCK_ELEMENTS else _INLINE_TAG)
        if tag not in VOID_ELEMENTS:
            self._open(tag, start + len(self.get_starttag_text() or ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # `<br/>`, `<img/>`: nothing is opened, so nothing can stay open by mistake.
        self._record(_BLOCK_TAG if tag in BLOCK_ELEMENTS else _INLINE_TAG)

    def handle_endtag(self, tag: str) -> None:
        start = self._record(_BLOCK_TAG if tag in BLOCK_ELEMENTS else _INLINE_TAG)
        if self._open_counts.get(tag):
            self._close_through(tag, start)

    # -- the open-element stack --------------------------------------------------------------

    def _open(self, tag: str, content_start: int) -> None:
        self._stack.append((tag, content_start))
        self._open_counts[tag] = self._open_counts.get(tag, 0) + 1
        if tag in DROPPED_ELEMENTS:
            self._dropped += 1
        elif tag == "article":
            if self._article_depth == 0:
                self._article_id = self._articles_seen
                self._articles_seen += 1
            self._article_depth += 1
        elif tag == "main":
            self._main += 1
        self._update_scope()

    def _close_through(self, tag: str, end: int) -> None:
        """Close `tag` and every element opened after it (a browser's implied end tags)."""
        while self._stack:
            open_tag, content_start = self._stack.pop()
            self._open_counts[open_tag] -= 1
            if open_tag in DROPPED_ELEMENTS:
                self._dropped -= 1
            elif open_tag == "article":
                self._article_depth -= 1
                if self._article_depth == 0:
                    self._article_id = -1
            elif open_tag == "main":
                self._main -= 1
            self._update_scope()
            if open_tag in QUOTE_ELEMENTS:
                self.quotes.append((content_start, end, self._scope))
            if open_tag == tag:
                return

    def _update_scope(self) -> None:
        article = self._article_id if self._article_depth else -1
        self._scope = (self._dropped > 0, article, self._main > 0)

    def finish(self, end: int) -> None:
        """Close whatever the page left open, at the end of the text."""
        if self._stack:
            self._close_through(self._stack[0][0], end)


# The standard library's parser asserts on "<![" that opens no CDATA section (IE conditional
# comments, garbage); the parser reads a copy with that "<" blanked, which keeps every offset.
_BAD_DECLARATION = re.compile(r"<!\[(?!CDATA\[)")


def read_html(text: str, path: str) -> Document:
    recorder = _EventRecorder(text)
    try:
        recorder.feed(_BAD_DECLARATION.sub(" ![", text))
        recorder.close()
    except AssertionError as exc:  # html.parser signals malformed markup this way
        raise AttribauditError(f"cannot parse this HTML: {exc}", path) from None
    recorder.finish(len(text))
    events = recorder.events
    in_scope = _scope_filter(text, events)

    pieces: list[str] = []
    comments: list[Span] = []
    if events and events[0][0] > 0:  # the parser always starts at 0; be safe anyway
        pieces.append(spaces(events[0][0]))
    total = len(text)
    for index, (start, kind, length, scope) in enumerate(events):
        end = events[index + 1][0] if index + 1 < len(events) else total
        size = end - start
        if size <= 0:
            continue
        if kind == _DATA:
            if in_scope(scope):
                keep = min(length, size)
                pieces.append(text[start : start + keep].translate(_SOFT_BREAKS))
                if size > keep:  # source the parser skipped silently, such as `</>`
                    pieces.append(spaces(size - keep))
            else:
                pieces.append(spaces(size))
        elif kind == _REF:
            decoded = html.unescape(text[start:end]).translate(_SOFT_BREAKS)
            if in_scope(scope) and len(decoded) <= size:
                pieces.append(decoded + spaces(size - len(decoded)))
            else:
                pieces.append(spaces(size))
        elif kind == _BLOCK_TAG:
            pieces.append(breaks(size))
        else:
            if kind == _COMMENT and text.startswith("<!--", start):
                comments.append(Span(start, end))
            pieces.append(spaces(size))

    prose = "".join(pieces)
    quotes = [Span(s, e) for s, e, scope in recorder.quotes if e > s and in_scope(scope)]
    quotes.sort(key=lambda span: (span.start, span.end))
    return Document(
        path=path, text=text, prose=prose, format="html", quotes=quotes, comments=comments
    )


def _scope_filter(
    text: str, events: list[tuple[int, int, int, _Scope]]
) -> Callable[[_Scope], bool]:
    """Pick the part of the page that is the article: an <article>, else <main>, else all."""
    article_chars: dict[int, int] = {}
    main_chars = 0
    for start, kind, length, (dropped, article, main) in events:
        if kind != _DATA or dropped:
            continue
        chars = len(text[start : start + length].strip())
        if not chars:
            continue
        if article >= 0:
            article_chars[article] = article_chars.get(article, 0) + chars
        if main:
            main_chars += chars

    if article_chars:
        best = max(article_chars, key=lambda a: (article_chars[a], -a))
        return lambda scope: not scope[0] and scope[1] == best
    if main_chars:
        return lambda scope: not scope[0] and scope[2]
    return lambda scope: not scope[0]
