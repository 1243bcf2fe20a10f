"""Markdown: CommonMark (plus GFM tables and strikethrough) read with markdown-it-py.

markdown-it gives each block a `map` of source lines but no character positions, and an
inline token's `content` is the block's raw source with the container syntax (`>`, list
markers, indentation, the heading's `#`) removed. So prose is built the other way round:

1. start from a copy of the text in which *everything* is a block break (`\\n`);
2. for every inline token (a paragraph, heading or table cell), find each of its content lines
   in its source line and copy those characters back: whatever was never found (fences, code
   blocks, front matter, raw HTML blocks, reference definitions, `#`, `>`, list markers, table
   pipes and delimiter rows) stays blanked, and the blank between two blocks is all newlines;
3. inside a block, the gaps between its lines become spaces (a soft wrap is not a paragraph
   break; a hard break is, so it keeps its newlines);
4. scan each block's content for inline markup and blank it: code spans, raw inline HTML and
   comments, autolinks, link destinations and titles (link text stays), whole images (alt text
   is a description of a picture, not article prose), emphasis markers and backslashes of
   escapes; character references become the character plus spaces. The tokens' children tell
   which kinds of markup the block really has, so `[Source: TASS]` stays prose unless it is a
   defined reference link, and a lone `*` stays unless the block has emphasis.

Blockquotes are quote spans (their whole lines); `<!-- -->` comments in HTML blocks and inline
HTML are comment spans. Comments inside code are code, not directives.
"""

from __future__ import annotations

import bisect
import html
import re
from functools import cache
from typing import TYPE_CHECKING

from ..models import Document, Span
from .plain import COMMENT_RE

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# markdown-it's own notion of a line break; lines must be counted the same way as its `map`.
_EOL_RE = re.compile(r"\r\n?|\n")
_FRONT_MATTER_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
# Characters that can start inline markup; a block without any needs no scan.
_MARKUP_CHAR_RE = re.compile(r"[`\\<&!\[\]*_~]")
_INLINE_RE = re.compile(
    r"""
      (?P<code>(?<!`)`+)
    | (?P<escape>\\[!-/:-@\[-`{-~\n])
    | (?P<comment><!--.*?-->)
    | (?P<autolink><[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>
        |<[\w.!\#$%&'*+/=?^`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?
          (?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*>)
    | (?P<tag></?[A-Za-z][A-Za-z0-9\-]*
        (?:\s+[A-Za-z_:][\w.:\-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*/?>)
    | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)
    | (?P<image>!\[)
    | (?P<open>\[)
    | (?P<close>\])
    | (?P<emphasis>\*+|_+|~~)
    """,
    re.VERBOSE | re.DOTALL,
)
# What may follow `]` in an inline link: `(destination "title")`.
_LINK_TAIL_RE = re.compile(
    r"""\(\s*
        (?:<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)
        (?:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?
        \s*\)""",
    re.VERBOSE | re.DOTALL,
)
_REF_TAIL_RE = re.compile(r"\[((?:[^\[\]\\]|\\.){0,999})\]", re.DOTALL)
_EMPHASIS_TOKENS = frozenset({"em_open", "strong_open", "s_open"})

# An operation on a block's content: blank [start, end) or replace it with `replacement`
# (same length); comments are recorded as well as blanked.
_Op = tuple[int, int, str | None, bool]


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


@cache
def _closing_ticks(length: int) -> re.Pattern[str]:
    return re.compile(rf"(?<!`)`{{{length}}}(?!`)")


def read_markdown(text: str, path: str) -> Document:
    starts, ends = _line_table(text)
    front_matter_lines = _front_matter_lines(text, starts, ends)
    source = text
    if front_matter_lines:
        # Same number of lines, so the parser's line numbers stay those of the file.
        source = "\n" * front_matter_lines + text[starts[front_matter_lines] :]
    env: dict[str, object] = {}
    tokens = _parser().parse(source, env)
    references = env.get("references") or {}
    builder = _ProseBuilder(text, starts, ends, references)  # type: ignore[arg-type]

    for token in tokens:
        if not token.map:
            continue
        first, last = token.map[0], token.map[1] - 1
        if token.type == "inline":
            builder.add_block(token, first)
        elif token.type == "html_block":
            region_start = starts[first]
            for match in COMMENT_RE.finditer(text, region_start, ends[min(last, len(ends) - 1)]):
                builder.comments.append(Span(*match.span()))
        elif token.type == "blockquote_open":
            end = ends[min(last, len(ends) - 1)]
            builder.quotes.append(Span(starts[first], end))

    return Document(
        path=path,
        text=text,
        prose="".join(builder.out),
        format="md",
        quotes=builder.quotes,
        comments=sorted(builder.comments, key=lambda span: span.start),
    )


def _line_table(text: str) -> tuple[list[int], list[int]]:
    """Start offset and end offset (before the line break) of every line."""
    starts = [0]
    ends = []
    for match in _EOL_RE.finditer(text):
        ends.append(match.start())
        starts.append(match.end())
    ends.append(len(text))
    return starts, ends


def _front_matter_lines(text: str, starts: list[int], ends: list[int]) -> int:
    """Lines taken by YAML (`---`) or TOML (`+++`) front matter at the very top, or 0."""
    closers = _FRONT_MATTER_FENCES.get(text[:3])
    if closers is None or text[starts[0] : ends[0]].rstrip() != text[:3]:
        return 0
    for line in range(1, len(starts)):
        if text[starts[line] : ends[line]].rstrip() in closers:
            return line + 1
    return 0


class _ProseBuilder:
    """The prose being built, as a list of characters, plus the spans found on the way."""

    def __init__(
        self, text: str, starts: list[int], ends: list[int], references: dict[str, object]
    ) -> None:
        self.text = text
        # markdown-it reads U+0000 as U+FFFD (CommonMark): a block's lines are looked for in a
        # copy that does the same (same length, so offsets hold), and copied from the file.
        self.searched = text.replace("\0", "\ufffd") if "\0" in text else text
        self.starts = starts
        self.ends = ends
        self.references = references
        self.out = ["\n"] * len(text)
        self.quotes: list[Span] = []
        self.comments: list[Span] = []
        # End of the last content located; table cells share a line and are found in order.
        self._cursor = 0

    def add_block(self, token: Token, first_line: int) -> None:
        content = token.content
        lines = content.split("\n")
        segments = self._locate(lines, first_line)
        if not segments:
            return
        text, out = self.text, self.out
        kinds = {child.type for child in token.children or ()}
        hard_breaks = _hard_break_lines(lines) if "hardbreak" in kinds else set()
        # A hard break (`<br>`) ends a block: from the break markup (trailing spaces or the
        # backslash) to the next line's content, all newlines; applied after the inline scan,
        # which blanks the backslash.
        break_gaps: list[tuple[int, int]] = []
        previous: tuple[int, int, int] | None = None  # (line index, source start, length)
        for line_index, _content_start, src_start, length in segments:
            if previous is not None:
                previous_index, previous_start, previous_length = previous
                gap_start = previous_start + previous_length
                if (line_index - 1) in hard_breaks:
                    marker = len(lines[previous_index]) - len(lines[previous_index].rstrip(" \\"))
                    break_gaps.append((gap_start - min(marker, previous_length), src_start))
                out[gap_start:src_start] = " " * (src_start - gap_start)
            out[src_start : src_start + length] = text[src_start : src_start + length]
            previous = (line_index, src_start, length)

        if _MARKUP_CHAR_RE.search(content) is not None:
            self._blank_inline(content, kinds, segments)
        for start, end in break_gaps:
            out[start:end] = "\n" * (end - start)

    def _blank_inline(
        self,
        content: str,
        kinds: set[str],
        segments: list[tuple[int, int, int, int]],
    ) -> None:
        out = self.out
        content_starts = [segment[1] for segment in segments]

        def to_source(offset: int) -> int | None:
            at = bisect.bisect_right(content_starts, offset) - 1
            if at < 0:
                return None
            _line, content_start, src_start, length = segments[at]
            if offset - content_start > length:
                return None
            return src_start + (offset - content_start)

        for start, end, replacement, is_comment in _inline_markup(content, kinds, self.references):
            src_start, src_last = to_source(start), to_source(end - 1)
            if src_start is None or src_last is None:
                continue
            src_end = src_last + 1
            if replacement is not None:
                out[src_start:src_end] = replacement
            else:
                out[src_start:src_end] = " " * (src_end - src_start)
            if is_comment:
                self.comments.append(Span(src_start, src_end))

    def _locate(self, lines: list[str], first_line: int) -> list[tuple[int, int, int, int]]:
        """(line index, offset in content, offset in source, length) for each line found."""
        text, starts, ends = self.searched, self.starts, self.ends
        segments = []
        content_offset = 0
        for index, line in enumerate(lines):
            number = first_line + index
            if number >= len(starts):
                break
            low, high = max(starts[number], self._cursor), ends[number]
            if line:
                shift = 0
                position = text.find(line, low, high)
                if position < 0:
                    # The parser may have expanded a tab in the indentation it stripped.
                    stripped = line.lstrip()
                    shift = len(line) - len(stripped)
                    position = text.find(stripped, low, high) if stripped else -1
                if position >= 0:
                    length = len(line) - shift
                    segments.append((index, content_offset + shift, position, length))
                    self._cursor = position + length
            content_offset += len(line) + 1
        return segments


def _hard_break_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines that end in a hard break (two spaces or a backslash)."""
    return {
        index
        for index, line in enumerate(lines[:-1])
        if line.endswith("  ") or (line.endswith("\\") and not line.endswith("\\\\"))
    }


def _inline_markup(content: str, kinds: set[str], references: dict[str, object]) -> list[_Op]:
    """Where the inline markup of one block is, in content offsets, in scan order.

    Later operations win over earlier ones where they overlap (an image blanks its alt text
    after the scan went through it).
    """
    has_code = "code_inline" in kinds
    has_html = "html_inline" in kinds
    has_links = "link_open" in kinds or "image" in kinds
    has_emphasis = not _EMPHASIS_TOKENS.isdisjoint(kinds)
    ops: list[_Op] = []
    # Open brackets: (offset of "[" or "![", is it an image).
    brackets: list[tuple[int, bool]] = []
    position = 0
    length = len(content)
    while True:
        match = _INLINE_RE.search(content, position)
        if match is None:
            break
        kind = match.lastgroup
        start, end = match.span()
        position = end
        if kind == "code":
            if not has_code:
                continue
            closing = _closing_ticks(end - start).search(content, end)
            if closing is not None:
                ops.append((start, closing.end(), None, False))
                position = closing.end()
        elif kind == "escape":
            ops.append((start, start + 1, None, False))
        elif kind == "comment":
            if has_html:
                ops.append((start, end, None, True))
            else:
                position = start + 1
        elif kind in ("autolink", "tag"):
            if not (has_html or (kind == "autolink" and has_links)):
                position = start + 1
                continue
            ops.append((start, end, None, False))
        elif kind == "entity":
            decoded = html.unescape(match.group())
            if decoded != match.group():
                decoded = decoded.replace("\n", " ")
                ops.append((start, end, decoded + " " * (end - start - len(decoded)), False))
        elif kind in ("image", "open"):
            if has_links:
                brackets.append((start, kind == "image"))
            if kind == "image" and not has_links:
                position = start + 1  # the "[" after "!" may still open a link
        elif kind == "close":
            if not brackets:
                continue
            opener, is_image = brackets.pop()
            label_start = opener + (2 if is_image else 1)
            tail_end = _link_tail(content, label_start, start, end, references)
            if tail_end is None:
                continue
            if is_image:
                ops.append((opener, tail_end, None, False))
            else:
                ops.append((opener, opener + 1, None, False))
                ops.append((start, tail_end, None, False))
                # Links cannot contain links: earlier "[" are plain text now (CommonMark).
                brackets = [bracket for bracket in brackets if bracket[1]]
            position = tail_end
        elif kind == "emphasis":
            if not has_emphasis:
                continue
            before = content[start - 1] if start > 0 else " "
            after = content[end] if end < length else " "
            if before.isspace() and after.isspace():
                continue
            if match.group()[0] == "_" and before.isalnum() and after.isalnum():
                continue  # snake_case is not emphasis
            ops.append((start, end, None, False))
    return ops


def _link_tail(
    content: str, label_start: int, close: int, after: int, references: dict[str, object]
) -> int | None:
    """If `[...]` closing at `close` is a link or image, where its syntax ends; else None."""
    inline = _LINK_TAIL_RE.match(content, after)
    if inline is not None:
        return inline.end()
    full = _REF_TAIL_RE.match(content, after)
    if full is not None:
        label = full.group(1) or content[label_start:close]
        if _normalize_label(label) in references:
            return full.end()
    if _normalize_label(content[label_start:close]) in references:
        return after  # a shortcut reference: `[label]` alone
    return None


def _normalize_label(label: str) -> str:
    # The same normalisation markdown-it applied to the labels it stored.
    from markdown_it.common.utils import normalizeReference

    return normalizeReference(label)
