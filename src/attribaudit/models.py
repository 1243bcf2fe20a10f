"""Core types shared by every stage. No I/O here.

Internal types are slotted dataclasses rather than pydantic models: an archive audit creates
millions of them and validation buys nothing for values the pipeline made itself. pydantic is
used where untrusted data comes in (rule packs, registries, config).
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """Finding severities, ordered: info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Kind(StrEnum):
    """Kinds of attribution (DESIGN.md, pipeline step 4)."""

    DIRECT = "direct"
    ACCORDING_TO = "according-to"
    SOURCE_TAG = "source-tag"
    CREDIT = "credit"
    VAGUE = "vague"


class Status(StrEnum):
    """One status per sentence (DESIGN.md, pipeline step 7)."""

    ATTRIBUTED = "attributed"
    CARRIED = "carried"
    TAGGED = "tagged"
    CREDITED = "credited"
    VAGUE = "vague"
    UNSOURCED = "unsourced"
    EXEMPT = "exempt"


class AttribauditError(Exception):
    """A problem the user must fix: bad usage, an unreadable input, a broken rule or registry.

    Carries the file (and line, for data files) so every message can name them. The CLI turns it
    into exit code 2; in a batch, an input error becomes that file's `status: error`.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{where}{self.message}"


@dataclass(slots=True, frozen=True)
class Span:
    """A half-open range of code-point offsets into the document's original text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


class LineIndex:
    """Offset -> (line, column), both 1-based, by bisecting line starts computed once."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    @property
    def line_count(self) -> int:
        return len(self._starts)


# A character reference as the HTML and Markdown readers decode them in place.
_CHARACTER_REFERENCE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)


@dataclass(slots=True)
class Document:
    """One input, read and ready for analysis.

    `text` is the file's text exactly as decoded; every reported offset points into it.
    `prose` has the same length as `text`: the reader (and the chrome normaliser) blank out
    everything that is not article prose (markup, code, front matter, page chrome) with spaces,
    and put newlines where a block ends, so offsets never need mapping back. Formats without a
    text original (.docx) build `text` themselves, one paragraph a line, and report that.
    """

    path: str
    text: str
    prose: str
    format: str
    # Spans that the format marks as quotations (<blockquote>, <q>, Markdown "> ").
    quotes: list[Span] = field(default_factory=list)
    # Spans of text that may hold suppression directives (HTML/Markdown comments).
    comments: list[Span] = field(default_factory=list)
    # For formats whose locations are not line/column of a text file (docx: paragraph numbers).
    location_unit: str = "line"
    _lines: LineIndex | None = None

    def __post_init__(self) -> None:
        if len(self.prose) != len(self.text):
            raise ValueError("prose must be as long as text")

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def shown(self, start: int, end: int) -> str:
        """The prose between two offsets as a reader sees it on the page.

        A reader decodes a character reference in place and pads it to its length with spaces
        (`union&rsquo;s` -> `union’      s`), so prose keeps every offset; shown here, that
        padding is dropped ("union’s", not "union’ s"). Other white space is left as it is.
        """
        prose = self.prose[start:end]
        if self.format == "txt" or "&" not in self.text[start:end]:
            return prose
        pieces = []
        kept = 0
        for ref in _CHARACTER_REFERENCE.finditer(self.text, start, end):
            decoded = html.unescape(ref.group())
            at = ref.start() - start
            cut = at + len(decoded)
            padding = prose[cut : ref.end() - start]
            if prose[at:cut] == decoded and padding and not padding.strip(" "):
                pieces.append(prose[kept:cut])
                kept = ref.end() - start
        pieces.append(prose[kept:])
        return "".join(pieces)

    def outer(self, start: int, end: int) -> tuple[int, int]:
        """`start` and `end` moved off the inside of a character reference or a tag.

        The stages read prose, where a reference is its character plus padding, so a span can
        end just after that character, inside `&mdash;`, or (in principle) start in its
        padding. Mapped back to the file, a span must never cut a reference or a tag: an end
        inside a reference moves past it (the span shows its character), a start moves to it
        when the span holds the character, else past it; an edge inside a tag, all blank in
        prose, moves out of the tag on the span's own side, so what the span shows is kept.
        """
        if self.format == "txt" or start >= end:
            return start, end
        prose = self.prose
        if prose[start] in " \n":  # tags are blank in prose: only a blank edge can be in one
            start = self._out_of_tag(start, before=False)
        reference = self._reference_around(start)
        if reference is not None:
            ref_start, ref_end, decoded_end = reference
            start = ref_start if start < decoded_end else ref_end
        if prose[end - 1] in " \n":
            end = self._out_of_tag(end, before=True)
        reference = self._reference_around(end)
        if reference is not None:  # the span holds the character (or some of its padding)
            end = reference[1]
        return start, max(start, end)

    def _reference_around(self, offset: int) -> tuple[int, int, int] | None:
        """(start, end, end of the decoded character) of the reference that `offset` falls
        strictly inside, if the reader decoded it in place; else None."""
        text = self.text
        amp = text.rfind("&", max(0, offset - 40), offset)
        if amp < 0:
            return None
        ref = _CHARACTER_REFERENCE.match(text, amp)
        if ref is None or ref.end() <= offset:
            return None
        decoded = html.unescape(ref.group())
        cut = amp + len(decoded)
        padding = self.prose[cut : ref.end()]
        if self.prose[amp:cut] != decoded or not padding or padding.strip(" "):
            return None
        return amp, ref.end(), cut

    def _out_of_tag(self, offset: int, *, before: bool) -> int:
        """`offset` moved to the start of the tag it falls inside (`before`) or past its end."""
        text = self.text
        opening = text.rfind("<", 0, offset)
        if opening < 0 or text.rfind(">", opening, offset) != -1:
            return offset
        closing = text.find(">", offset)
        if closing < 0 or self.prose[opening : closing + 1].strip():
            return offset  # a "<" the page shows, or no tag at all
        return opening if before else closing + 1

    def words(self, start: int, end: int) -> str:
        """`shown`, with each run of white space one space and none at the ends: the text of
        a span as reports quote it."""
        return " ".join(self.shown(start, end).split())


@dataclass(slots=True)
class Paragraph:
    span: Span
    index: int


@dataclass(slots=True)
class Sentence:
    span: Span
    paragraph: int
    index: int
    # True for a line that stands alone without final punctuation (a title or subhead).
    headline: bool = False


@dataclass(slots=True)
class RegistryMatch:
    id: str
    name: str
    type: str
    score: float
    alias: str  # the registry name, alias or acronym that hit
    reliability: list[dict[str, str]] = field(default_factory=list)
    ambiguous_with: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Resolution:
    text: str
    via: (
        str  # "coreference" | "surname" | "role" | "name" (a title dropped: "Spokeswoman X" -> "X")
    )
    span: Span | None = None


@dataclass(slots=True)
class Attribution:
    id: str
    kind: Kind
    rule: str
    cue: Span
    source: Span | None
    content: list[Span]
    sentence: int  # index of the sentence holding the cue
    resolved: Resolution | None = None
    registry: RegistryMatch | None = None
    # Sentence indexes this attribution sources beyond its own (tags: the paragraph; credits:
    # nothing, they are document-level; carried speech: following sentences).
    covers: list[int] = field(default_factory=list)
    # Source words that make the attribution vague ("critics", "reportedly"), when kind is vague.
    vague_by: str | None = None


@dataclass(slots=True)
class SentenceResult:
    sentence: Sentence
    status: Status
    assertion: bool
    attribution: str | None = None


@dataclass(slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    span: Span
    # What the finding is about: an attribution id, a registry entry, a directive...
    evidence: dict[str, object] = field(default_factory=dict)
    fingerprint: str = ""


@dataclass(slots=True)
class FileResult:
    """Everything the pipeline learned about one input, or why it could not be read."""

    path: str
    document: Document | None
    error: str | None = None
    sentences: list[SentenceResult] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # rule id -> spans it hit; used by `rules test` and the inline rule examples.
    hits: dict[str, list[Span]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(slots=True, frozen=True)
class RuleInfo:
    """What reporters and `rules list` need to know about one rule."""

    id: str
    category: str  # "finding" | "extract" | "chrome" | "signal" | "directive"
    summary: str  # one line
    description: str  # full text, rendered from the rule file
    severity: Severity | None = None  # default severity, for rules that report findings
    pack: str = ""  # the rule file it came from
