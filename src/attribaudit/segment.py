"""Paragraphs and sentences, with offsets into the document's prose.

`segment()` works on `Document.prose`: the original text with everything that is not prose
blanked out by spaces and newlines, so its offsets are the original's and blanked regions are
plain whitespace. No span ever starts or ends with whitespace.

Paragraphs
    "line": every non-blank line is a paragraph (one paragraph a line, the usual shape of
    scraped news and of PolNeAR, whose blank lines carry no meaning). "blank": blocks separated
    by blank lines; the line breaks inside a block are soft wraps and count as spaces, except
    that a bullet line ("- ", "* ", "•", "1. ", "2) ") always starts a new sentence. "auto" takes
    "blank" only when the text is hard-wrapped: at least three lines that are not the last of
    their block, more than half of them `WRAPPED_MIN_CHARS` to `WRAPPED_MAX_CHARS` long and
    ending without sentence punctuation, and at least half of all lines inside multi-line
    blocks. Anything else (a chrome block "No time to read? / Get a summary / Previous
    Article", a "title; subtitle" pair) is read line by line.

Headlines
    A one-line paragraph (not a bullet) that is a single sentence of at most
    `HEADLINE_MAX_CHARS` and does not end in . ! ? … or : (closing quotes and brackets after them
    allowed) is a sentence with `headline=True`: titles, subheads, datelines, "Previous Article".
    A longer line is prose that lost its final period; a line with sentence ends inside
    ("Officials met. [Source: TASS]") is prose too, and so is a line that a `not-headline` rule
    of the segmentation pack finds: one that ends in a credit after a dash ('“We will win.” ―
    Maria Lopez'), which extraction reads as an attribution. A one-line, one-sentence paragraph
    of at most `KICKER_MAX_WORDS` words that ends in ? or ! and does not open with a quotation
    mark is a headline too: kickers and subheads such as "No time to read?" or "Down-ballot
    blues?".

Sentence ends
    A run of . ! ? … (optionally followed by closing quotes and brackets) ends a sentence when
    whitespace and then an uppercase letter, a digit, an opening quote or bracket not followed
    by a lowercase letter, or a dash-led list item follow. A period does not end one after an
    abbreviation from the `abbreviations` lexicon (case-sensitive, also the part after a hyphen,
    as in "R-Fla."), a dotted acronym (U.S., D.C., a.m., Ph.D.) or a single capital initial
    (John F. Kennedy), unless the next word is in the `sentence_starters` lexicon ("... in the
    U.S. The next day ..."). An ellipsis with a space before it marks an omission, not an end.

Quotations (the choice the brief asked for)
    A quotation closed within its paragraph and holding at most `MAX_QUOTED_SENTENCES`
    sentences is never split inside: `“We will win. We always do,” he said.` is ONE sentence,
    so the speech tag stays with everything it attributes. A quotation that runs past the end
    of its paragraph (the multi-paragraph quote convention) or holds more sentences is split at
    its sentence ends like other text. A quotation that ends with sentence punctuation and is
    followed by a short speech tag (`“Are you serious?” Trump asked.`, a verb from the
    `speech_tag_verbs` lexicon within the next four words) also stays one sentence. Quotation
    marks are “ ”, straight double quotes and the doubled apostrophe '' of NYT copy; single
    quotes are not tracked because ’ is mostly an apostrophe.

Speed: compiled regexes find the lines and the candidate ends; Python only looks at each
candidate (about one per 100 characters) and each double quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import pairwise

from .models import AttribauditError, Paragraph, Sentence, Span
from .paths import rules_dir
from .rules import RuleSet, compile_pattern
from .yamlio import LineDict, load_yaml

PARAGRAPH_MODES = ("auto", "blank", "line")

# A quotation of up to this many sentences, closed in its paragraph, is one sentence.
MAX_QUOTED_SENTENCES = 3
# Longer lines without final punctuation are prose that lost its period, not titles.
HEADLINE_MAX_CHARS = 200
# Short standalone questions and exclamations ("No time to read?") are headlines too.
KICKER_MAX_WORDS = 8
# A hard-wrapped line is between these lengths: "Get a summary" is a short line, not a wrap,
# and a line of several hundred characters is a paragraph ending in a byline, not a wrap.
WRAPPED_MIN_CHARS = 30
WRAPPED_MAX_CHARS = 150
# How far back a period's token is read; abbreviations are far shorter.
_TOKEN_WINDOW = 40
# Larger than any offset: (position, _FAR) sorts after every span that starts at position.
_FAR = 1 << 62

_FINAL_PUNCT = frozenset(".!?…:")
_CLOSERS = "”’\"')]"
_OPENERS = "“‘\"'(["
_OPENER_SET = frozenset(_OPENERS)
_LIST_DASHES = frozenset("-–—•*")
_LEXICON_FILE = "segmentation.yaml"
# Rules of this matcher say which short unpunctuated lines are prose, not headlines.
NOT_HEADLINE_MATCHER = "not-headline"

# One non-blank line, without its leading and trailing whitespace.
_LINE = re.compile(r"\S(?:[^\n\r]*\S)?")
# A candidate sentence end: terminal punctuation, closing quotes/brackets (group 1), then
# whitespace (group 2, whose start is the sentence's end). Written with a single character
# class first, not `[.!?…]+`, so that the regex engine can skip ahead to it: twice as fast.
# The look-behind after it starts a candidate only at the first mark of a run: tried from every
# mark of a run with no space after it, 100,000 dots took minutes.
_CANDIDATE = re.compile(r"[.!?…](?<![.!?…][.!?…])[.!?…]*([”’\"')\]]*)(\s+)")
# A list marker at the start of a line, and the spaces after it.
_BULLET = re.compile(r"(?:[-*•‣◦▪●■–—]|\d{1,3}[.)])[^\S\n\r]+(?=\S)")
_BULLET_FIRST = frozenset("-*•‣◦▪●■–—0123456789")
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
# The first word of the next sentence, after any opening quotes or brackets.
_NEXT_WORD = re.compile(r"[“‘\"'(\[]*([^\W\d_]+)")
# Double quotation marks; NYT copy writes them as two apostrophes (''). The pattern with the
# alternative scans three times slower, so it is used only on texts that hold a ''.
_DOUBLE_QUOTE = re.compile(r"[“”\"]")
_DOUBLE_QUOTE_OR_TWO_APOSTROPHES = re.compile(r"[“”\"]|''")
_LINE_BREAK = re.compile(r"\r\n?|\n")


# --------------------------------------------------------------------------- lexicons


@cache
def _lexicon(name: str) -> frozenset[str]:
    """One `words` lexicon of the shipped segmentation pack, validated enough to name the line."""
    path = rules_dir() / _LEXICON_FILE
    data = load_yaml(path)
    lexicons = data.get("lexicons") if isinstance(data, dict) else None
    entry = lexicons.get(name) if isinstance(lexicons, dict) else None
    if not isinstance(entry, dict):
        where = getattr(lexicons, "line", None) or getattr(data, "line", None)
        raise AttribauditError(f"lexicon {name!r} is missing", str(path), where)
    line = entry.line if isinstance(entry, LineDict) else None
    words = entry.get("words")
    if not isinstance(words, list):
        raise AttribauditError(f"lexicon {name!r}: 'words' must be a list", str(path), line)
    item_lines = getattr(words, "item_lines", [])
    for position, word in enumerate(words):
        if not isinstance(word, str) or not word:
            hint = " (quote words such as 'No' and 'On' that YAML reads as booleans)"
            raise AttribauditError(
                f"lexicon {name!r}: word {position + 1} is {word!r}, not a word"
                + (hint if isinstance(word, bool) else ""),
                str(path),
                item_lines[position] if position < len(item_lines) else line,
            )
    return frozenset(words)


def load_abbreviations() -> frozenset[str]:
    """Abbreviations whose period does not end a sentence (case-sensitive, no final period)."""
    return _lexicon("abbreviations")


def load_sentence_starters() -> frozenset[str]:
    """Words that start a sentence even right after an abbreviation or acronym."""
    return _lexicon("sentence_starters")


def load_speech_tag_verbs() -> frozenset[str]:
    """Verbs of a short speech tag after a closing quotation mark ("Trump asked.")."""
    return _lexicon("speech_tag_verbs")


# --------------------------------------------------------------------------- not-headline rules

# A `not-headline` rule's id (the key of the hits its examples are checked against) and regex.
HeadlineVeto = tuple[str, re.Pattern[str]]


def compile_headline_vetoes(rules: RuleSet) -> tuple[HeadlineVeto, ...]:
    """The enabled `not-headline` rules of a rule set, their regexes compiled.

    A one-line paragraph without final punctuation that one of these regexes finds (searched
    within the line, so `$` is the line's end) is prose, not a headline: a quotation credited
    after a dash ends its line without a period. Without this, the line would be exempt as a
    headline before extraction could find the credit.
    """
    return tuple(
        (rule.id, compile_pattern(rule, rules)) for rule in rules.by_matcher(NOT_HEADLINE_MATCHER)
    )


@cache
def load_headline_vetoes() -> tuple[HeadlineVeto, ...]:
    """The `not-headline` rules of the shipped segmentation pack alone."""
    rules = RuleSet()
    rules.add_pack(rules_dir() / _LEXICON_FILE)
    return compile_headline_vetoes(rules)


@lru_cache(maxsize=8)
def _speech_tag_pattern(verbs: frozenset[str]) -> re.Pattern[str]:
    # Up to four words (an optional title such as "Sen." first) and then the verb.
    alternatives = "|".join(sorted((re.escape(v) for v in verbs), key=len, reverse=True))
    return re.compile(
        rf"(?:[A-Z][a-z]{{1,4}}\.\s+)?(?:[\w’'()\-]+\s+){{1,4}}?(?:{alternatives or '(?!)'})\b"
    )


# --------------------------------------------------------------------------- paragraphs


def _ends_with_final_punct(prose: str, start: int, end: int) -> bool:
    """Whether prose[start:end] ends in . ! ? … or :, allowing closing quotes and brackets."""
    last = end - 1
    while last > start and prose[last] in _CLOSERS:
        last -= 1
    return prose[last] in _FINAL_PUNCT


def _lines(prose: str) -> list[tuple[int, int]]:
    return [m.span() for m in _LINE.finditer(prose)]


def _blocks(prose: str, lines: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Group lines into blank-line-separated blocks."""
    if not lines:
        return []
    blocks = [[lines[0]]]
    for (_, previous_end), line in pairwise(lines):
        # Every gap holds at least one line break; two or more mean a blank line between.
        gap = prose[previous_end : line[0]]
        breaks = len(_LINE_BREAK.findall(gap)) if "\r" in gap else gap.count("\n")
        if breaks >= 2:
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return blocks


def _looks_hard_wrapped(prose: str, lines: list[tuple[int, int]], blocks: list) -> bool:
    inner = wrapped = lines_in_multiline_blocks = 0
    for block in blocks:
        if len(block) < 2:
            continue
        lines_in_multiline_blocks += len(block)
        for start, end in block[:-1]:
            inner += 1
            if WRAPPED_MIN_CHARS <= end - start <= WRAPPED_MAX_CHARS and not _ends_with_final_punct(
                prose, start, end
            ):
                wrapped += 1
    return inner >= 3 and 2 * wrapped > inner and 2 * lines_in_multiline_blocks >= len(lines)


def detect_paragraph_mode(prose: str) -> str:
    """Which paragraph mode "auto" picks for this text: "blank" (hard-wrapped) or "line"."""
    lines = _lines(prose)
    return "blank" if _looks_hard_wrapped(prose, lines, _blocks(prose, lines)) else "line"


# --------------------------------------------------------------------------- sentences


class _Splitter:
    """Sentence splitting inside one paragraph at a time; holds what every paragraph needs."""

    __slots__ = (
        "abbreviations",
        "headline_vetoes",
        "hits",
        "prose",
        "quote_marks",
        "speech_tag",
        "starters",
    )

    def __init__(
        self,
        prose: str,
        abbreviations: frozenset[str],
        starters: frozenset[str],
        speech_tag: re.Pattern[str],
        headline_vetoes: Sequence[HeadlineVeto],
        hits: dict[str, list[Span]] | None,
    ) -> None:
        self.prose = prose
        self.abbreviations = abbreviations
        self.starters = starters
        self.speech_tag = speech_tag
        self.headline_vetoes = headline_vetoes
        self.hits = hits
        self.quote_marks = _DOUBLE_QUOTE_OR_TWO_APOSTROPHES if "''" in prose else _DOUBLE_QUOTE

    def split(
        self,
        start: int,
        end: int,
        lines: list[tuple[int, int]],
        candidates_found: list[re.Match[str]],
    ) -> list[tuple[int, int, bool]]:
        """Sentences of the paragraph prose[start:end] as (start, end, headline).

        `candidates_found` are the `_CANDIDATE` matches whose punctuation and whitespace lie
        inside the paragraph.
        """
        prose = self.prose
        single_line = len(lines) == 1
        first_bullet = (
            _BULLET.match(prose, start, lines[0][1]) if prose[start] in _BULLET_FIRST else None
        )
        if single_line and first_bullet is None and not candidates_found:
            # The common short paragraph: one line, no candidate end, one sentence.
            return [(start, end, self.is_headline(start, end))]
        # Bullet lines: a forced cut before each, and the marker is left out of the sentence.
        cuts: list[tuple[int, int]] = []
        markers: list[tuple[int, int]] = []
        if first_bullet is not None:
            cuts.append((start, first_bullet.end()))
            markers.append((start, first_bullet.end()))
        if not single_line:
            previous_end = lines[0][1]
            for line_start, line_end in lines[1:]:
                if prose[line_start] in _BULLET_FIRST:
                    bullet = _BULLET.match(prose, line_start, line_end)
                    if bullet is not None:
                        cuts.append((previous_end, bullet.end()))
                        markers.append((line_start, bullet.end()))
                previous_end = line_end

        ends_sentence = self._ends_sentence
        candidates = [
            (m.start(2), m.end(), m.start())
            for m in candidates_found
            if ends_sentence(m, start, end)
        ]
        if markers and candidates:
            # A numbered marker's own period ("2. ") is not a sentence end.
            candidates = [c for c in candidates if not _inside_any(c[2], markers)]
        if candidates and self.quote_marks.search(prose, start, end):
            candidates = self._drop_inside_short_quotes(candidates, start, end)

        if markers:
            cuts.extend((cut_end, next_start) for cut_end, next_start, _ in candidates)
            cuts.sort()
        else:
            cuts = [(cut_end, next_start) for cut_end, next_start, _ in candidates]

        sentences: list[tuple[int, int, bool]] = []
        sentence_start = start
        for cut_end, next_start in cuts:
            if cut_end > sentence_start:
                sentences.append((sentence_start, cut_end, False))
            if next_start > sentence_start:
                sentence_start = next_start
        if end > sentence_start:
            sentences.append((sentence_start, end, False))

        if (
            single_line
            and first_bullet is None
            and len(sentences) == 1
            and self.is_headline(start, end)
        ):
            return [(start, end, True)]
        return sentences

    def is_headline(self, start: int, end: int) -> bool:
        """Whether a one-line, one-sentence paragraph is a title, subhead, dateline or kicker."""
        prose = self.prose
        if end - start > HEADLINE_MAX_CHARS:
            return False
        if not _ends_with_final_punct(prose, start, end):
            for rule_id, pattern in self.headline_vetoes:
                if pattern.search(prose, start, end) is not None:
                    if self.hits is not None:
                        self.hits.setdefault(rule_id, []).append(Span(start, end))
                    return False
            return True
        return (
            prose[end - 1] in "?!"
            and prose[start] not in _OPENER_SET
            and len(prose[start:end].split()) <= KICKER_MAX_WORDS
        )

    def _ends_sentence(self, match: re.Match[str], para_start: int, para_end: int) -> bool:
        """Whether this candidate (punctuation, closers, whitespace) really ends a sentence."""
        prose = self.prose
        next_start = match.end()
        first = prose[next_start]
        if first.isupper() or first.isdigit():
            pass
        elif first in _OPENER_SET:
            after = next_start + 1
            while after < para_end and prose[after] in _OPENER_SET:
                after += 1
            # “Bitch!” (for Hillary Clinton): a bracket or quote that goes on in lowercase.
            if after < para_end and prose[after].islower():
                return False
        elif not (
            first in _LIST_DASHES and next_start + 1 < para_end and prose[next_start + 1].isspace()
        ):
            return False

        punct_start = match.start()
        punct_end = match.start(1)
        if punct_end - punct_start == 1 and prose[punct_start] == ".":
            if self._period_is_not_an_end(punct_start, para_start) and not self._starts_sentence(
                next_start, para_end
            ):
                return False
        elif prose[punct_start] in ".…" and (
            punct_start == para_start or prose[punct_start - 1].isspace()
        ):
            return False  # " ... " marks an omission inside a sentence

        closers_end = match.start(2)
        if closers_end != punct_end:
            closers = prose[punct_end:closers_end]
            if ('"' in closers or "”" in closers or "''" in closers) and self.speech_tag.match(
                prose, next_start, para_end
            ):
                return False
        return True

    def _period_is_not_an_end(self, period: int, para_start: int) -> bool:
        """Whether the word before this period is an abbreviation, acronym or initial."""
        prose = self.prose
        window_start = max(para_start, period - _TOKEN_WINDOW)
        space = prose.rfind(" ", window_start, period)
        token = prose[space + 1 if space >= 0 else window_start : period]
        if not token.isprintable():  # another kind of whitespace (newline, no-break space)
            if not token or token[-1].isspace():
                return False
            token = token.split()[-1]
        token = token.lstrip(_OPENERS).rstrip(_CLOSERS)
        if not token:
            return False
        abbreviations = self.abbreviations
        if token in abbreviations:
            return True
        if len(token) == 1:
            return token.isupper()  # an initial: John F. Kennedy
        if "." in token and _DOTTED_ACRONYM.fullmatch(token):
            return True
        if "-" in token:  # party tags and compounds: "R-Fla.", "D-N.Y."
            tail = token.rsplit("-", 1)[1]
            return tail in abbreviations or _DOTTED_ACRONYM.fullmatch(tail) is not None
        return False

    def _starts_sentence(self, position: int, para_end: int) -> bool:
        word = _NEXT_WORD.match(self.prose, position, para_end)
        return word is not None and word.group(1) in self.starters

    def _drop_inside_short_quotes(
        self, candidates: list[tuple[int, int, int]], start: int, end: int
    ) -> list[tuple[int, int, int]]:
        """Leave out the ends inside a quotation of at most MAX_QUOTED_SENTENCES sentences."""
        # Candidates are sorted and disjoint, so both their starts and their ends are sorted and
        # the ones inside a quotation are a slice found by bisection (no quadratic scan on a
        # long paragraph full of quotes).
        punct_starts = [punct_start for _, _, punct_start in candidates]
        cut_ends = [cut_end for cut_end, _, _ in candidates]
        keep = [True] * len(candidates)
        dropped = False
        for open_at, close_at in _closed_quotations(self.prose, start, end, self.quote_marks):
            first = bisect_right(punct_starts, open_at)
            last = bisect_right(cut_ends, close_at)
            if 0 < last - first < MAX_QUOTED_SENTENCES:
                keep[first:last] = [False] * (last - first)
                dropped = True
        if not dropped:
            return candidates
        return [c for c, kept in zip(candidates, keep, strict=True) if kept]


def _inside_any(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether position falls in one of these sorted, non-overlapping spans."""
    index = bisect_right(spans, (position, _FAR)) - 1
    return index >= 0 and position < spans[index][1]


def _closed_quotations(
    prose: str, start: int, end: int, quote_marks: re.Pattern[str]
) -> list[tuple[int, int]]:
    """(opening, closing) offsets of the double quotations opened and closed in prose[start:end].

    A quotation still open at the end is left out: it runs into the next paragraph.
    """
    pairs: list[tuple[int, int]] = []
    open_at = -1
    for match in quote_marks.finditer(prose, start, end):
        at = match.start()
        mark = prose[at]
        opens_here = at == start or prose[at - 1].isspace() or prose[at - 1] in "([{—–-/"
        if mark == "“":
            open_at = at  # an earlier unclosed “ was a typo; start over here
        elif mark == "”":
            if open_at >= 0:
                pairs.append((open_at, at))
                open_at = -1
            elif opens_here and at + 1 < end and prose[at + 1].isalnum():
                open_at = at  # ”Mr. Trump ...: a closing glyph typed as an opening one
        elif open_at >= 0:
            pairs.append((open_at, at))
            open_at = -1
        elif opens_here:
            open_at = at
    return pairs


# --------------------------------------------------------------------------- entry point


def segment(
    prose: str,
    *,
    abbreviations: frozenset[str],
    paragraph_mode: str = "auto",
    sentence_starters: frozenset[str] | None = None,
    speech_tag_verbs: frozenset[str] | None = None,
    headline_vetoes: Sequence[HeadlineVeto] | None = None,
    hits: dict[str, list[Span]] | None = None,
) -> tuple[list[Paragraph], list[Sentence]]:
    """Paragraphs and sentences of `prose`, in order, with offsets into it.

    `sentence_starters`, `speech_tag_verbs` and `headline_vetoes` (see
    `compile_headline_vetoes`) default to the shipped segmentation pack; pass merged ones when
    rule packs extend them. When `hits` is given, each line a headline veto made prose is
    recorded there under the veto's rule id.
    """
    if paragraph_mode not in PARAGRAPH_MODES:
        choices = ", ".join(PARAGRAPH_MODES)
        raise AttribauditError(f"paragraph mode must be one of {choices}, not {paragraph_mode!r}")
    if sentence_starters is None:
        sentence_starters = load_sentence_starters()
    if speech_tag_verbs is None:
        speech_tag_verbs = load_speech_tag_verbs()
    if headline_vetoes is None:
        headline_vetoes = load_headline_vetoes()
    lines = _lines(prose)
    if paragraph_mode == "line":
        blocks = [[line] for line in lines]
    else:
        blocks = _blocks(prose, lines)
        if paragraph_mode == "auto" and not _looks_hard_wrapped(prose, lines, blocks):
            blocks = [[line] for line in lines]

    splitter = _Splitter(
        prose,
        abbreviations,
        sentence_starters,
        _speech_tag_pattern(frozenset(speech_tag_verbs)),
        headline_vetoes,
        hits,
    )
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    # One scan of the whole text for candidate ends (a finditer per paragraph costs more than
    # the scan on short paragraphs). Every candidate's punctuation lies in exactly one
    # paragraph; one whose whitespace runs past the paragraph's end is not a split.
    pending = _CANDIDATE.finditer(prose)
    upcoming = next(pending, None)
    for index, block in enumerate(blocks):
        start, end = block[0][0], block[-1][1]
        paragraphs.append(Paragraph(Span(start, end), index))
        inside: list[re.Match[str]] = []
        while upcoming is not None and upcoming.start() < end:
            if upcoming.end() < end:
                inside.append(upcoming)
            upcoming = next(pending, None)
        for s_start, s_end, headline in splitter.split(start, end, block, inside):
            sentences.append(Sentence(Span(s_start, s_end), index, len(sentences), headline))
    return paragraphs, sentences
