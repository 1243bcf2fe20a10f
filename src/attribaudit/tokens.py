"""Word tokens with offsets, and the small grammar the matchers share.

There is no tagger: a few closed-class lexicons (determiners, pronouns, prepositions, auxiliaries)
from `rules/grammar.yaml` plus capitalisation are enough to find the noun phrase that says who
is speaking, and they run at several megabytes a second.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from itertools import accumulate, repeat
from operator import itemgetter
from typing import NamedTuple

from .rules import RuleSet

# Curly and straight quotes, as used in news copy.
# NYT copy writes double quotes as two apostrophes (''); the tokenizer keeps them one token.
OPEN_QUOTES = frozenset('“‘"«') | {"''", "``"}
CLOSE_QUOTES = frozenset('”’"»') | {"''"}
QUOTES = OPEN_QUOTES | CLOSE_QUOTES
PUNCT_BOUNDARY = frozenset(",;:()[]—–…!?.") | QUOTES


class Token(NamedTuple):
    """A word or mark with its document offsets.

    A tuple, so that the tokenizer builds a sentence's tokens without running Python code per
    token (a news article has thousands of them)."""

    start: int  # document offset
    end: int
    text: str
    low: str

    # Read from the text when asked rather than stored: the matchers ask for them less often
    # than the tokenizer makes tokens (about 300,000 reads for 475,000 tokens on PolNeAR
    # train), and two fewer fields per token cost less than the reads.
    @property
    def is_word(self) -> bool:
        """Starts with a letter or a digit."""
        return self.text[0].isalnum()

    @property
    def is_cap(self) -> bool:
        """Starts upper-case."""
        return self.text[0].isupper()


_new_token = tuple.__new__
_first = itemgetter(0)
_second = itemgetter(1)


_POSSESSIVE_ENDINGS = ("’s", "'s", "s’", "s'")


def is_possessive(low: str) -> bool:
    """Whether `possessive_base` finds a base (without building it)."""
    return len(low) > 2 and low.endswith(_POSSESSIVE_ENDINGS)


def possessive_base(low: str) -> str | None:
    """'o’malley’s' -> "o’malley"; None when the word is not a possessive."""
    if low.endswith(("’s", "'s")) and len(low) > 2:
        return low[:-2]
    if low.endswith(("s’", "s'")) and len(low) > 2:
        return low[:-1]
    return None


# The tokenizer's fast paths (see Grammar.__init__).
_PLAIN_LETTERS = re.compile(r"[A-Za-z]+")
_FAST_WORD = r"[A-Za-z]\w*(?![\w.’'\-])"
_FAST_MARK = r'[,.;:()“”"—]'


class Grammar:
    """Closed-class word sets and the tokenizer, built once per rule set."""

    def __init__(self, rules: RuleSet) -> None:
        w = rules.words
        self.determiners = w("determiners")
        self.standalone_determiners = w("standalone_determiners")
        self.indefinites = w("indefinites")
        self.possessives = w("possessive_pronouns")
        self.person_pronouns = w("person_pronouns")
        self.plural_pronouns = w("plural_pronouns")
        self.subject_pronouns = w("subject_pronouns")
        self.relative_pronouns = w("relative_pronouns")
        self.restricted_relatives = w("restricted_relatives")
        self.prepositions = w("prepositions")
        self.conjunctions = w("conjunctions")
        self.number_words = w("number_words")
        self.approximators = w("approximators")
        self.list_joiners = w("list_joiners")
        self.subordinators = w("subordinators")
        self.auxiliaries = w("auxiliaries")
        self.be_forms = w("be_forms")
        self.cue_adverbs = w("cue_adverbs")
        self.np_inner = w("noun_phrase_inner")  # "of", "for", "and" inside a name
        self.titles = w("titles")
        self.clause_starters = w("clause_starters")
        self.postmodifiers = w("postmodifiers")  # "officials familiar with", "people close to"
        self.pronouns = self.person_pronouns | self.plural_pronouns | self.relative_pronouns
        # Words that end a noun phrase scan: a phrase never runs across them.
        self.np_stop = (
            self.prepositions | self.conjunctions | self.subordinators | self.clause_starters
        ) - self.np_inner
        # Unions the matchers test a word against, built once (one set look-up instead of two).
        # Words before which a cue form is a noun: "the report", "his claims".
        self.noun_openers = self.determiners | self.possessives
        # Words after which the head of a noun phrase is over: "officials in Moscow",
        # "people familiar with the talks".
        self.head_enders = self.prepositions | self.relative_pronouns | self.postmodifiers
        # Words a cue takes in on its left: "has also said", "was reportedly seen by".
        self.cue_openers = self.auxiliaries | self.cue_adverbs
        abbreviations = sorted(rules.words("abbreviations", lower=False), key=len, reverse=True)
        titles = _title_pattern([a for a in abbreviations if a[:1].isupper()])
        # "he’s", "they’ve", "I’m": the pronoun and the contracted verb are two tokens, so the
        # pronoun is a subject and "’s" an auxiliary ("he’s predicting"), not a possessive.
        pronouns = sorted(map(re.escape, w("contracting_pronouns")), key=len, reverse=True)
        contracting = "|".join(pronouns)
        contraction = r"[’'](?:s|re|ve|ll|d|m)(?!\w)"
        token = (
            r"(?:[A-Za-z]\.){2,}"  # U.S., a.m.
            + (rf"|(?:{titles})\.(?=\s)" if titles else "")  # Mr., Sen., Jan.
            + r"|\d+(?:[.,:]\d+)*%?"  # 3.5, 1,000, 10:30, 45%
            + (rf"|(?i:{contracting})(?={contraction})|{contraction}" if contracting else "")
            + r"|\w+(?:[’'\-]\w+)*[’']?"  # O’Malley’s, well-known, voters’
            + r"|''|``"  # doubled apostrophes as a quotation mark
            + r"|[^\w\s]"  # one mark
        )
        self._token_re = re.compile(token)
        # Every character that is not white space starts a token, so splitting the text at
        # its tokens (kept, as the pattern captures them) leaves only white space between
        # them: `split` returns white space and tokens in turn, in one call with no Python
        # code per token, and the token offsets are the running sum of the pieces' lengths.
        # The lookahead in front spares every alternative at white space (one test there instead
        # of one per alternative: split tries every position between tokens). The fast paths take
        # the common tokens, a word and a mark, without trying the alternatives above: a word
        # that starts with a letter and is followed by nothing that could extend it (a word
        # character, an apostrophe or hyphen, or the '.' of "U.S." or "Mr.") is what `token`
        # finds there, as long as every title is plain letters; so is one of these marks.
        fast = ""
        if all(_PLAIN_LETTERS.fullmatch(title) for title in abbreviations if title[:1].isupper()):
            fast = _FAST_WORD + "|"
        fast += _FAST_MARK + "|"
        self._token_split_re = re.compile(rf"(?=\S)({fast}{token})")

    def tokenize(self, text: str, offset: int) -> list[Token]:
        return self.tokenize_with_lows(text, offset)[0]

    def tokenize_with_lows(self, text: str, offset: int) -> tuple[list[Token], list[str]]:
        """The tokens, and their lower-cased texts as a list of their own (the matchers scan
        it for trigger words without reading each token's field)."""
        pieces = self._token_split_re.split(text)
        if len(pieces) == 1:
            return [], []
        # pieces: white space, token, white space, token, ..., white space.
        bounds = list(accumulate(map(len, pieces), initial=offset))
        words = pieces[1::2]
        lows = list(map(str.lower, words))
        toks = list(
            map(
                _new_token,
                repeat(Token),
                zip(
                    bounds[1::2],
                    bounds[2::2],
                    words,
                    lows,
                    strict=False,  # bounds[1::2] ends with the end of the text: one extra
                ),
            )
        )
        return toks, lows


def token_slice(toks: list[Token], start: int, end: int) -> list[Token] | None:
    """The tokens of `toks` (one text's tokens, in order) that cover exactly `start`..`end`,
    or None when `start` is not where a token starts or `end` not where one ends.

    Where both are token boundaries, these are the tokens `tokenize` finds in that stretch of
    the text: no token pattern looks behind, and cutting the text short changes a token only
    when its pattern looks ahead past the cut, which only a title's '.' does ("Mr." keeps its
    period only before white space). A stretch whose last token ends in '.' after something
    else is therefore refused, and the caller tokenizes it afresh.
    """
    i = bisect_left(toks, start, key=_first)
    if i == len(toks) or toks[i].start != start:
        return None
    j = bisect_left(toks, end, lo=i, key=_second)
    if j == len(toks) or toks[j].end != end:
        return None
    last = toks[j].text
    if len(last) > 1 and last[-1] == ".":
        return None
    return toks[i : j + 1]


def token_prefix(toks: list[Token], end: int) -> list[Token] | None:
    """The tokens of `toks` (one text's tokens, from its start) before offset `end`, when
    `end` is where a token starts or the text ends (see `token_slice` for when None; white
    space between the last token and `end` keeps a title's '.' as it is)."""
    k = bisect_left(toks, end, key=_first)
    if k < len(toks) and toks[k].start != end:
        return None
    if k == len(toks) and (not toks or toks[-1].end != end):
        return None
    if k and toks[k - 1].end == end:
        last = toks[k - 1].text
        if len(last) > 1 and last[-1] == ".":
            return None
    return toks[:k]


def _title_pattern(titles: list[str]) -> str:
    """An alternation of the titles (longest first), for a regex that wants a '.' after them.

    Without a '.' inside any title, at most one title can be followed by a '.' at a given place,
    so the order of the alternatives does not matter, and the titles are factored by common
    prefixes (see `trie_pattern`).
    """
    if any("." in title for title in titles):
        return "|".join(re.escape(title) for title in titles)
    return trie_pattern(titles)


def trie_pattern(words: Iterable[str], unit: Callable[[str], str] = re.escape) -> str:
    """An alternation of the words factored by common prefixes ("S(?:en|gt|t)"): the regex
    follows one branch per character instead of trying every word in turn. A word that is a
    prefix of another is an optional tail, tried longest first, so where the pattern must be
    followed by something (a '.', a word boundary) backtracking still finds the shorter word.
    `unit` gives the regex for one character."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [unit(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


# Double quotation marks: curly, straight, and the doubled apostrophes/backticks of NYT copy.
# Written to open with one character class, the second character of '' and `` checked after
# it: the regex engine then skips ahead to the next such character instead of trying each
# alternative at every position (about three times faster on news copy; the same matches).
_QUOTE_MARK = re.compile(r"[“”\"«»'`](?:(?<=[“”\"«»])|(?<=')'|(?<=`)`)")
_OPENING_MARKS = frozenset({"“", "``", "«"})
_CLOSING_MARKS = frozenset({"”", "»"})


def quote_regions(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotations as (start, end) offsets, from the opening mark to after the closing one.

    A quotation left open at the end of its paragraph goes on when the next paragraph opens
    with a quotation mark (the news convention for a quote of several paragraphs); otherwise it
    ends with its paragraph. Straight quotes and '' toggle. The closing end of a region that
    ran to a paragraph end without its mark is the paragraph end.
    """
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    previous_end = 0
    for start, end in paragraphs:
        if open_at is not None:
            first = text[start : start + 2]
            if not (first[:1] in '“"«' or first == "''" or first == "``"):
                regions.append((open_at, previous_end))
                open_at = None
        for m in _QUOTE_MARK.finditer(text, start, end):
            mark, position = m.group(), m.start()
            if open_at is None:
                if mark not in _CLOSING_MARKS:
                    open_at = position
            elif position == start and open_at < start:
                continue  # the reopening mark of a continued paragraph
            elif mark in _OPENING_MARKS:
                open_at = position  # the earlier quote was never closed: start over here
            else:
                regions.append((open_at, m.end()))
                open_at = None
        previous_end = end
    if open_at is not None:
        regions.append((open_at, previous_end))
    return regions
