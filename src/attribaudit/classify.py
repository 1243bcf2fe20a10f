"""Give every sentence one status and an assertion flag.

Order of precedence, strongest sourcing first: a named attribution in the sentence
(`attributed`), a quotation carried on from the sentence before (`carried`), a vague one
(`vague`), a document credit line itself (`credited`), a paragraph tag (`tagged`). A sentence
with none of these is `unsourced` when it asserts something, else `exempt`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from .models import Attribution, Document, Kind, Sentence, SentenceResult, Span, Status
from .rules import RuleSet, compile_pattern
from .rules.schema import Rule
from .tokens import OPEN_QUOTES, trie_pattern

_WORD = re.compile(r"\w+")
# A full declarative sentence has at least this many words; shorter lines with no signal
# ("Updated Tuesday", "Photo gallery") are not claims.
MIN_ASSERTION_WORDS = 6
# Matches where a text has at least MIN_ASSERTION_WORDS words (stops at the sixth, unlike
# counting them all).
# The word boundary keeps the search linear: without it, a 50,000-character "word" (a pasted
# base64 blob) was tried from each of its characters, 76 s for one sentence.
_FULL_SENTENCE = re.compile(rf"\b\w+(?:\W+\w+){{{MIN_ASSERTION_WORDS - 1}}}")
# A quotation that opens the paragraph after an attributed one is carried from it when it is a
# sentence of its own (shorter quoted lines are pull quotes and subheads).
MIN_CARRIED_QUOTE_WORDS = 4
_DOUBLE_OPEN = frozenset('“"«')
# Statuses whose attribution a following sentence can carry on.
_SOURCED = (Status.ATTRIBUTED, Status.CARRIED)


# Characters other than A-Z and a-z that a case-blind regex takes for ASCII letters
# (checked over all of Unicode): where a text has one, lower-casing it is not the same test.
# Elsewhere lower-casing keeps every character one character, keeps what is a word character
# or white space, and turns exactly the characters a case-blind letter matches into that letter
# (also checked over all of Unicode).
_CASE_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")
# A rule that is one lexicon of plain words matched case-blind ('\b(?:{causal_words})\b').
_LEXICON_ONLY = re.compile(r"\\b\(\?:\{([a-z_]+)\}\)\\b")
_PLAIN_WORDS = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")


@dataclass(slots=True)
class _Matcher:
    id: str
    pattern: re.Pattern[str]
    # For a lexicon-only rule, the same words as one case-sensitive regex for the lower-cased
    # text, factored by common prefixes: it finds a match where `pattern` does, several times
    # faster than a case-blind alternation.
    lowered: re.Pattern[str] | None = None


def _lowered_pattern(rule: Rule, rules: RuleSet) -> re.Pattern[str] | None:
    m = _LEXICON_ONLY.fullmatch(rule.params.get("regex", "").strip())
    if m is None or not rule.params.get("ignore_case") or not rules.has_lexicon(m.group(1)):
        return None
    entries = rules.words(m.group(1), lower=False)
    if not entries or not all(_PLAIN_WORDS.fullmatch(entry) for entry in entries):
        return None
    # As in `compile_pattern`, a space in an entry is any white space.
    words = trie_pattern({entry.lower() for entry in entries}, _plain_word_unit)
    return re.compile(rf"\b(?:{words})\b")


def _plain_word_unit(char: str) -> str:
    return r"\s+" if char == " " else char


class Classifier:
    def __init__(self, rules: RuleSet) -> None:
        self.exemptions = [
            _Matcher(r.id, compile_pattern(r, rules)) for r in rules.by_matcher("exemption")
        ]
        self.signal_matchers = [
            _Matcher(r.id, compile_pattern(r, rules), _lowered_pattern(r, rules))
            for r in rules.by_matcher("signal")
        ]

    def assertion(
        self, text: str, hits: dict[str, list[Span]], span: Span, *, all_signals: bool = True
    ) -> tuple[bool, list[str] | None]:
        """Whether the sentence makes a claim, and the signals that say so.

        A full sentence is an assertion whatever its signals, so with `all_signals` off they
        are left for later (None): the caller runs `signals` only where the report shows them.
        """
        for matcher in self.exemptions:
            if matcher.pattern.search(text):
                hits.setdefault(matcher.id, []).append(span)
                return False, []
        if not all_signals and _FULL_SENTENCE.search(text):
            return True, None
        signals = self.signals(text, hits, span)
        if signals:
            return True, signals
        return _FULL_SENTENCE.search(text) is not None, signals

    def signals(self, text: str, hits: dict[str, list[Span]], span: Span) -> list[str]:
        signals = []
        lowered = None if _CASE_FOLDS.search(text) else text.lower()
        for matcher in self.signal_matchers:
            if matcher.lowered is not None and lowered is not None:
                found = matcher.lowered.search(lowered)
            else:
                found = matcher.pattern.search(text)
            if found:
                hits.setdefault(matcher.id, []).append(span)
                signals.append(matcher.id)
        return signals

    def classify(
        self,
        doc: Document,
        sentences: Sequence[Sentence],
        attributions: Sequence[Attribution],
        hits: dict[str, list[Span]],
        *,
        all_signals: bool = True,
        quotations: Sequence[tuple[int, int]] = (),
    ) -> tuple[list[SentenceResult], dict[int, list[str]]]:
        """Statuses of the sentences, and the signals of those where they were looked for.

        Signals only change the report for short sentences (they make them assertions) and for
        unsourced ones (the message names them); with `all_signals` off the other sentences
        skip them, and `hits` holds signal rules only where they were looked for.
        `quotations` (the document's quote regions) carry a quotation's speaker to every
        sentence of it.
        """
        own: dict[int, list[Attribution]] = {}
        tags: dict[int, Attribution] = {}
        starts = [s.span.start for s in sentences]
        for attribution in attributions:
            if attribution.kind is Kind.SOURCE_TAG:
                for index in attribution.covers:
                    tags.setdefault(index, attribution)
                own.setdefault(attribution.sentence, []).append(attribution)
                continue
            own.setdefault(attribution.sentence, []).append(attribution)
            # Content that runs into later sentences (a quotation after "He said:") sources them.
            for span in attribution.content:
                for index in _sentences_in(sentences, starts, span, attribution.sentence):
                    own.setdefault(index, []).append(attribution)
        prose = doc.prose
        results: list[SentenceResult] = []
        signals_of: dict[int, list[str]] = {}
        previous: SentenceResult | None = None
        # The paragraph that an attributed sentence ending in a colon introduces ("He added:").
        introduced = -1
        # The first quotation that starts at or after the sentence: sentences come in text
        # order, so it only moves forward (what a bisect per sentence would find).
        next_quote = 0
        for sentence in sentences:
            span = sentence.span
            text = prose[span.start : span.end]
            if sentence.headline:
                result = SentenceResult(sentence, Status.EXEMPT, False)
            else:
                assertion, signals = self.assertion(text, hits, span, all_signals=all_signals)
                while next_quote < len(quotations) and quotations[next_quote][0] < span.start:
                    next_quote += 1
                # Does a quotation start inside the sentence?
                quoted = next_quote < len(quotations) and quotations[next_quote][0] < span.end
                result = self._status(
                    sentence,
                    text,
                    assertion,
                    own,
                    tags,
                    previous,
                    prose,
                    quoted,
                    sentence.paragraph == introduced,
                )
                if result.status in _SOURCED and text.rstrip().endswith(":"):
                    introduced = sentence.paragraph + 1
                if signals is None and result.status is Status.UNSOURCED:
                    signals = self.signals(text, hits, span)
                if signals is not None:
                    signals_of[sentence.index] = signals
            results.append(result)
            previous = result
        if quotations:
            _carry_through_quotations(results, quotations)
        return results, signals_of

    def _status(
        self,
        sentence: Sentence,
        text: str,
        assertion: bool,
        own: dict[int, list[Attribution]],
        tags: dict[int, Attribution],
        previous: SentenceResult | None,
        prose: str,
        quoted: bool,
        introduced: bool,
    ) -> SentenceResult:
        mine = own.get(sentence.index)
        vague = None
        # Most sentences have no attribution of their own: they skip the searches through it.
        if mine:
            # The first attribution of each kind, in one pass (a sentence has one or two).
            credit = named = tag_here = None
            for a in mine:
                kind = a.kind
                if kind is Kind.DIRECT or kind is Kind.ACCORDING_TO:
                    if named is None:
                        named = a
                elif kind is Kind.VAGUE:
                    if vague is None:
                        vague = a
                elif a.sentence == sentence.index:
                    if kind is Kind.CREDIT and credit is None:
                        credit = a
                    elif kind is Kind.SOURCE_TAG and tag_here is None:
                        tag_here = a
            # A credit line is a credit whatever cue words it holds ("Attribution: ... by").
            if credit is not None:
                return SentenceResult(sentence, Status.CREDITED, False, credit.id)
            if named is not None:
                return SentenceResult(sentence, Status.ATTRIBUTED, assertion, named.id)
            if tag_here is not None and _is_only_tag(text):
                return SentenceResult(sentence, Status.TAGGED, False, tag_here.id)
        if _carries(previous, sentence, text, prose, quoted, introduced):
            # A quotation that goes on after an attributed sentence belongs to the same speaker.
            assert previous is not None
            return SentenceResult(sentence, Status.CARRIED, assertion, previous.attribution)
        if vague is not None:
            return SentenceResult(sentence, Status.VAGUE, assertion, vague.id)
        if _quotes_on_from_vague(previous, sentence, text, quoted):
            # "Critics say the plan is dead. One called it “a fantasy.”": as vague as before.
            assert previous is not None
            return SentenceResult(sentence, Status.VAGUE, assertion, previous.attribution)
        tag = tags.get(sentence.index)
        if tag is not None:
            return SentenceResult(sentence, Status.TAGGED, assertion, tag.id)
        if assertion:
            return SentenceResult(sentence, Status.UNSOURCED, True)
        return SentenceResult(sentence, Status.EXEMPT, False)


def _carries(
    previous: SentenceResult | None,
    sentence: Sentence,
    text: str,
    prose: str,
    quoted: bool,
    introduced: bool,
) -> bool:
    """Does the sentence go on with the quotation of the attributed sentence before it?

    Measured on PolNeAR train (840 articles), sentences not attributed on their own:
    - same paragraph, opening with a quotation mark: carried since round 1; holding a quotation
      that starts later in the sentence (`quoted`: 'Without it, the port would be “under
      water.”'): 85 of 102 (0.83);
    - first sentence of the next paragraph, opening with a double quotation mark and at least
      four words ('Cruz continued:' / '“You look at the questions: ...'): 87 of 96 (0.91)
      carry a gold attribution (single-quoted lines are pull quotes and subheads:
      'Totally pro-Israel.');
    - same paragraph, right after a carried or attributed sentence that leaves a quotation
      open ('“A. B.”' split into two sentences): 62 of 65 (0.95);
    - the paragraph after an attributed or carried sentence that ends in a colon
      (`introduced`: 'The governor added:' / 'It's typical of her. She never stops.'): its
      first sentence 22 of 28 (0.79) where it was not attributed on its own, the others 15 of 15.
      (The paragraph after that one: 0.62, not carried.)
    Sentences that merely follow an attributed one in the same paragraph without a quotation
    carry a gold attribution only 0.45 of the time (pronoun-led: 0.52), so they are not carried.
    """
    if previous is None or previous.attribution is None or previous.status not in _SOURCED:
        return False
    before = previous.sentence
    if introduced:
        return True
    if before.paragraph == sentence.paragraph:
        if _quotes(text, quoted):
            return True
        previous_text = prose[before.span.start : before.span.end]
        return _quote_left_open(previous_text)
    return (
        before.paragraph + 1 == sentence.paragraph
        and (text[:1] in _DOUBLE_OPEN or text[:2] == "''")
        and len(_WORD.findall(text)) >= MIN_CARRIED_QUOTE_WORDS
    )


def _quotes_on_from_vague(
    previous: SentenceResult | None, sentence: Sentence, text: str, quoted: bool
) -> bool:
    """Does a quotation in the sentence go on from a vaguely sourced sentence before it, in
    the same paragraph? On PolNeAR train 17 of 17 such unsourced sentences carried a gold
    attribution."""
    return (
        previous is not None
        and previous.status is Status.VAGUE
        and previous.attribution is not None
        and previous.sentence.paragraph == sentence.paragraph
        and _quotes(text, quoted)
    )


def _quotes(text: str, quoted: bool) -> bool:
    """Does the sentence quote someone: a quotation starts in it (`quoted`) or it opens with a
    quotation mark (also the reopening mark of a quotation continued from the paragraph before)?"""
    return quoted or text[:1] in OPEN_QUOTES or text[:2] in OPEN_QUOTES


def _carry_through_quotations(
    results: list[SentenceResult], quotations: Sequence[tuple[int, int]]
) -> None:
    """An unsourced or exempt sentence (a question, a short line) that is mostly one quotation
    is carried by an attributed sentence of the same quotation ('“A. B. C,” she said.' split
    apart, a quote of several paragraphs whose speaker is named in its last one): a quotation
    has one speaker. On PolNeAR train, 151 such sentences were unsourced and 150 of them
    carried a gold attribution; carrying the exempt ones too gained 0.001 sentence F1."""
    sourced = [r for r in results if r.status in _SOURCED and r.attribution]
    if not sourced:
        return
    # Sentences are in text order: the sourced ones a quotation overlaps are one run of them.
    sourced_starts = [r.sentence.span.start for r in sourced]
    for position, result in enumerate(results):
        if result.status is not Status.UNSOURCED and result.status is not Status.EXEMPT:
            continue
        if result.sentence.headline:
            continue
        span = result.sentence.span
        region = _mostly_inside(span, quotations)
        if region is None:
            continue
        start, end = region
        first = max(0, bisect_left(sourced_starts, start) - 1)
        last = bisect_left(sourced_starts, end)
        # The nearest sourced sentence of the same quotation, the earlier one on a tie.
        speaker = min(
            (r for r in sourced[first:last] if start < r.sentence.span.end),
            key=lambda r: abs(r.sentence.index - result.sentence.index),
            default=None,
        )
        if speaker is not None:
            results[position] = SentenceResult(
                result.sentence, Status.CARRIED, result.assertion, speaker.attribution
            )


def _mostly_inside(span: Span, quotations: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The quotation that holds more than half of the span's characters, if any."""
    k = bisect_right(quotations, (span.end,)) - 1
    while k >= 0 and quotations[k][1] > span.start:
        start, end = quotations[k]
        if 2 * (min(end, span.end) - max(start, span.start)) > span.end - span.start:
            return quotations[k]
        k -= 1
    return None


def _quote_left_open(text: str) -> bool:
    """Does the text open a double quotation it does not close?"""
    if text.count("“") > text.count("”"):
        return True
    return text.count('"') % 2 == 1 and text.lstrip()[:1] == '"'


def _sentences_in(
    sentences: Sequence[Sentence], starts: list[int], span: Span, home: int
) -> list[int]:
    """Sentences other than `home` that the span covers for most of their length.

    Content reaches forward ("He said:" and the quotation after it) and back (a quotation of
    several sentences closed by '..., he said.').
    """
    out = []
    index = max(0, bisect_right(starts, span.start) - 1)
    while index < len(sentences):
        s = sentences[index].span
        if s.start >= span.end:
            break
        if index != home:
            covered = min(s.end, span.end) - max(s.start, span.start)
            if covered * 2 >= (s.end - s.start):
                out.append(index)
        index += 1
    return out


def _is_only_tag(text: str) -> bool:
    return len(_WORD.findall(text)) <= 8 and text.lstrip()[:1] in "[("
