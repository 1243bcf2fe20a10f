"""Extract attributions: cue, source and content spans, with a kind and the rule that found them.

The matchers are generic; the words they look for come from the rule packs:

- `verb-cue`: a reporting verb ("said", "noted", "believes") found by set look-up of its forms.
  The source is the noun phrase to its left ("Kalachev noted"), or to its right after an
  inversion ("..., said Kalachev"); the content is the clause on the other side.
- `phrase-cue`: "according to X", "citing X": the source follows the phrase.
- `agent-cue`: a passive with its agent, "voiced by X", "first reported by X".
- `hearsay-adverb`: "reportedly", "allegedly": vague, no source.
- `pattern`: a regular expression with named groups (`cue`, `source`, `content`), where
  `{lexicon_name}` expands to an alternation of that lexicon's words.
- `source-tag`, `credit-line`: paragraph tags ("[Source: TASS]") and document credits.

Sources whose head noun is generic ("critics", "officials in Moscow") make an attribution vague.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import compress, count, groupby, takewhile
from operator import attrgetter, itemgetter

from .models import Attribution, Document, Kind, Paragraph, Sentence, Span
from .rules import RuleSet, compile_pattern, compile_scout
from .rules.schema import Rule
from .tokens import (
    CLOSE_QUOTES,
    OPEN_QUOTES,
    QUOTES,
    Grammar,
    Token,
    is_possessive,
    trie_pattern,
)

MAX_SOURCE_TOKENS = 9
# How far left of a cue verb a speaker or document word may stand when a phrase saying which
# ones, who made it or when follows it ("A CNN/ORC poll of South Carolina released on Tuesday
# showed", "People briefed on the move said").
MAX_MODIFIER_TOKENS = 12
# How far after a passive cue its "by" agent may stand ("was declared the winner by ...").
MAX_AGENT_DISTANCE = 8
# The id of an attribution until `Extractor.extract` numbers them all in text order.
UNNUMBERED = ""
# Token fields read by `map` (in C) where a generator expression would run Python code.
_LOW = attrgetter("low")
_IS_CAP = attrgetter("is_cap")
_WORD = re.compile(r"\w+")
# An appositive between a source and its verb ('Kalachev, the head of the NCB, said').
MAX_APPOSITIVE_TOKENS = 30
# Words that may stand between a clause's subject and a verb the subject is found for by
# looking back to the clause start ("X on Tuesday dismissed", "X — who ... — told").
MAX_SUBJECT_GAP = 25
FINAL_PUNCT = frozenset(".!?…")
CONTENT_LEAD = frozenset({"that", ":", ",", "—", "–"})
# Prepositions that can join a source's tail: "officials in Moscow", "sources close to".
EXTENDING_PREPOSITIONS = frozenset(
    {"in", "at", "from", "to", "for", "with", "inside", "within", "across"}
)


@dataclass(slots=True)
class VerbCue:
    rule: Rule
    lemma: str
    inversion: bool  # may the source follow the verb ("said Kalachev")?
    participle: bool  # an -ing form ("saying"): the source is the clause's subject
    passive_form: bool  # a past participle ("said", "told"): after "is"/"was" it is passive
    # Pronoun sources that make the verb part of a quotation, not an attribution ("I think").
    not_sources: frozenset[str]
    # May the source be the subject at the start of the clause, further left than the verb?
    subject_fallback: bool
    # Lower-case subject heads this verb accepts (None: any agent). Evidence verbs report what
    # a document shows: "the poll shows" yes, "the closure shows" is the writer's analysis.
    subjects: frozenset[str] | None = None
    # Words one of which must follow the verb ("plan" only as "plan to/on/for"), or None.
    needs_next: frozenset[str] | None = None
    # A verb of seeming ("the team appeared paralyzed"): its subject is what the writer judges,
    # not who holds the view, so the cue is kept with no source, as vague.
    sourceless: bool = False
    # A passive of the verb ("was declared", "was criticized") gives the words to its "by"
    # agent, else to no one named (vague), never to its subject.
    passive_agent: bool = False


@dataclass(slots=True)
class Hit:
    """A cue found in a sentence, before it becomes an Attribution."""

    rule: Rule
    kind: Kind
    cue: tuple[int, int]  # token indexes, inclusive
    source: tuple[int, int] | None
    content: list[tuple[int, int]]  # token index ranges, inclusive


class Extractor:
    def __init__(self, rules: RuleSet, grammar: Grammar) -> None:
        self.g = grammar
        self.verbs: dict[str, VerbCue] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], Rule]]] = {}
        self.agents: dict[str, Rule] = {}
        # Per agent rule: words after "by" that are no agent ("said by phone").
        self.contact_media: dict[str, frozenset[str]] = {}
        self.hearsay: dict[str, Rule] = {}
        self.patterns: list[tuple[re.Pattern[str], Rule]] = []
        self.tags: list[tuple[re.Pattern[str], Rule]] = []
        self.credits: list[tuple[re.Pattern[str], Rule]] = []
        self.vague_heads = rules.words("vague_source_heads")
        self.evidence_subjects = rules.words("evidence_subjects")
        self.document_modifiers = rules.words("document_modifiers")
        self.speaker_modifiers = rules.words("speaker_modifiers")
        self.vague_quantifiers = rules.words("vague_quantifiers")
        self.control_verbs = rules.words("control_verbs")
        self.non_agents = rules.words("non_agent_heads")
        self.extend_heads = (
            self.vague_heads | rules.words("role_nouns") | rules.words("organisation_heads")
        )
        self.clause_only: frozenset[str] = frozenset()
        # Participles that also give a name ("a group called ...", "a man named ...").
        self.naming_forms: frozenset[str] = frozenset()
        # Per verb rule: control verbs after which its verbs hold no view ("failed to plan").
        self.failed_controls: dict[str, frozenset[str]] = {}
        self.topic_particles: frozenset[str] = frozenset()
        self.appositive_openers = rules.words("appositive_openers")
        self.homographs = rules.words("noun_homographs")
        self.plural_nouns = rules.words("plural_nouns")
        self.interjections = rules.words("interjected_adverbs")
        self.degree_adverbs = rules.words("degree_adverbs")
        self.aside_openers = rules.words("aside_openers")
        self.time_words = rules.words("time_words")
        self.time_openers = rules.words("time_openers")
        # Words that open a noun phrase, found scanning leftwards: "the", "his", "some".
        self.np_openers = grammar.noun_openers | self.vague_quantifiers
        # Fixed phrases after any cue verb, indexed by their first word, longest first.
        self.extensions: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted(rules.words("cue_extensions"), key=lambda p: -len(p.split())):
            words = tuple(phrase.lower().split())
            self.extensions.setdefault(words[0], []).append(words)
        # Particles that belong to one verb only ("call for", "point out"): "lemma particle".
        self.particles: dict[str, set[str]] = {}
        for pair in rules.words("cue_particles"):
            lemma, particle = pair.lower().split()
            self.particles.setdefault(lemma, set()).add(particle)
        participles = rules.words("past_participles")
        for rule in rules.by_matcher("verb-cue"):
            inversion = bool(rule.params.get("inversion", True))
            no_inversion = frozenset(rule.params.get("no_inversion", ()))
            not_sources = frozenset(w.lower() for w in rule.params.get("not_sources", ()))
            fallback = bool(rule.params.get("subject_fallback", False))
            no_fallback = frozenset(rule.params.get("no_subject_fallback", ()))
            # People and groups may find or show things too ("researchers found").
            subjects = (
                rules.words(rule.params["subject_lexicon"])
                | self.vague_heads
                | rules.words("role_nouns")
                if "subject_lexicon" in rule.params
                else None
            )
            self.clause_only |= frozenset(rule.params.get("clause_only", ()))
            self.naming_forms |= frozenset(rule.params.get("naming_forms", ()))
            self.failed_controls[rule.id] = frozenset(rule.params.get("not_after_controls", ()))
            self.topic_particles |= frozenset(rule.params.get("topic_particles", ()))
            needs_next: dict[str, list[str]] = rule.params.get("needs_next", {})
            sourceless = frozenset(rule.params.get("sourceless", ()))
            passive_agent = bool(rule.params.get("passive_agent", False))
            for form, lemma in rules.forms(rule.params["lexicon"]).items():
                passive = form in participles and form != lemma
                followers = needs_next.get(lemma)
                self.verbs.setdefault(
                    form,
                    VerbCue(
                        rule,
                        lemma,
                        # "..., saying he would run": an -ing form is a participle, never an
                        # inverted speaker ("said Kalachev") however the rule is set.
                        inversion and lemma not in no_inversion and not form.endswith("ing"),
                        form.endswith("ing"),
                        passive,
                        not_sources,
                        fallback and lemma not in no_fallback,
                        subjects,
                        frozenset(followers) if followers else None,
                        lemma in sourceless,
                        passive_agent,
                    ),
                )
        for rule in rules.by_matcher("phrase-cue"):
            for phrase in rules.words(rule.params["lexicon"]):
                words = tuple(phrase.split())
                self.phrases.setdefault(words[0], []).append((words, rule))
        for entries in self.phrases.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)
        for rule in rules.by_matcher("agent-cue"):
            for form in rules.words(rule.params["lexicon"]):
                self.agents.setdefault(form, rule)
            if "not_agents_lexicon" in rule.params:
                self.contact_media[rule.id] = rules.words(rule.params["not_agents_lexicon"])
        for rule in rules.by_matcher("hearsay-adverb"):
            for word in rules.words(rule.params["lexicon"]):
                self.hearsay.setdefault(word, rule)
        # A pattern rule may name a `scout`: a case-sensitive regex that matches wherever the
        # rule's regex can start a match, or, with `scout_after_first_word`, right after the
        # first word of a match and the white space after it. The regex then runs only at the
        # scout's hits (a lookahead or a case-blind alternation tried at every word is slow).
        # An anchored pattern (below) runs only on sentences where its scout finds something.
        self.scouts: dict[str, re.Pattern[str]] = {}
        self.scouts_after_word: set[str] = set()
        for rule in rules.by_matcher("pattern"):
            self.patterns.append((compile_pattern(rule, rules), rule))
            scout = compile_scout(rule, rules)
            if scout is not None:
                self.scouts[rule.id] = scout
                if rule.params.get("scout_after_first_word"):
                    self.scouts_after_word.add(rule.id)
        # Patterns anchored at a sentence's start or end run per sentence; the others run once
        # over the whole text. An anchored pattern's scout matches somewhere in every sentence
        # the pattern matches: a sentence where it finds nothing is not searched.
        self.anchored_patterns = [
            (p, r) for p, r in self.patterns if "^" in p.pattern or "$" in p.pattern
        ]
        # Anchored patterns in a row with the same scout (the two colon rules) share its search.
        self.anchored_by_scout: list[
            tuple[re.Pattern[str] | None, list[tuple[re.Pattern[str], Rule]]]
        ] = [
            (scout, [(p, r) for p, r, _scout in group])
            for scout, group in groupby(
                ((p, r, self.scouts.get(r.id)) for p, r in self.anchored_patterns),
                key=itemgetter(2),
            )
        ]
        self.free_patterns = [
            (p, r) for p, r in self.patterns if (p, r) not in self.anchored_patterns
        ]
        # Words that open a clause of its own inside a relative clause ("who notes that ...",
        # "who fear the West will ... if it"): a subject is not sought past them.
        self.relative_stops = (
            grammar.conjunctions
            | grammar.subordinators
            | grammar.clause_starters
            | grammar.restricted_relatives
        )
        # Words a subject found leftwards from a verb never holds: it ends after them.
        self.np_left_end = grammar.np_stop | grammar.auxiliaries | frozenset(self.verbs)
        # Every word a token matcher starts on: a sentence with none of them is skipped unread.
        self.triggers = frozenset(
            set(self.verbs) | set(self.phrases) | set(self.agents) | set(self.hearsay)
        )
        # Common words ("in", "as") that start only phrases of several words ("in the words
        # of") are no reason to tokenize a sentence unless one of their phrases is in its
        # lower-cased text, with nothing but white space between the words (consecutive word
        # tokens are separated by white space or nothing at all).
        others = set(self.verbs) | set(self.agents) | set(self.hearsay)
        self.phrase_only = phrase_only = frozenset(
            word
            for word, entries in self.phrases.items()
            if word not in others and all(len(words) > 1 for words, _rule in entries)
        )
        phrase_words = [words for word in phrase_only for words, _rule in self.phrases[word]]
        self.phrase_scout = (
            re.compile("|".join(r"\s*".join(map(re.escape, words)) for words in phrase_words))
            if phrase_words
            else None
        )
        # The other triggers as whole words (a token of word characters is one `\w+` run):
        # one regex search of a lower-cased sentence, in C, instead of listing its words. A
        # trigger with other characters ("follow-up") was never found among a sentence's
        # `\w+` runs, and is left out here too.
        cue_words = {word for word in self.triggers - phrase_only if _WORD.fullmatch(word)}
        self.cue_word_scout = (
            re.compile(rf"(?<!\w)(?:{trie_pattern(cue_words)})(?!\w)") if cue_words else None
        )
        for rule in rules.by_matcher("source-tag"):
            self.tags.append((compile_pattern(rule, rules, multiline=True), rule))
        for rule in rules.by_matcher("credit-line"):
            self.credits.append((compile_pattern(rule, rules), rule))
        # Rules whose cue, inside what another source of the same sentence says, is part of
        # that report ("Sanders said he thinks ..."): see `_drop_reported_within`.
        self.reported_within = frozenset(
            r.id for r in rules.by_matcher("verb-cue") if r.params.get("drop_inside_content")
        )
        # Rules whose cue inside a quotation is the quoted speaker's own voice ('“I think we
        # will win,” Smith said', '“We told them no,” Smith said'): the attribution is the
        # quotation's, so the cue is dropped, whatever its source (None) or for the listed
        # sources only.
        self.unquoted_only: dict[str, frozenset[str] | None] = {}
        for rule in rules.by_matcher("verb-cue"):
            if rule.params.get("inside_quotations") is False:
                self.unquoted_only[rule.id] = None
            elif "not_sources_in_quotations" in rule.params:
                self.unquoted_only[rule.id] = frozenset(
                    w.lower() for w in rule.params["not_sources_in_quotations"]
                )

        # Rules whose listed sources ("I") are a source only in an interview's answers: "A: I
        # think so" is the interviewee's view, while "I think" in an article's own paragraphs
        # is the writer's voice, the unsourced opinion the audit is there to report.
        self.answers_only: dict[str, frozenset[str]] = {
            rule.id: frozenset(w.lower() for w in rule.params["sources_only_in_answers"])
            for rule in rules.by_matcher("verb-cue")
            if rule.params.get("sources_only_in_answers")
        }
        # A paragraph's interview label: "A:" opens an answer, "Q:" a question.
        self.interview_label: re.Pattern[str] | None = None
        if self.answers_only:
            self.interview_label = re.compile(
                r"\s*(?:(?P<answer>{})|{}):".format(
                    "|".join(map(re.escape, rules.words("answer_labels", lower=False))),
                    "|".join(map(re.escape, rules.words("question_labels", lower=False))),
                )
            )

    # -- document level ---------------------------------------------------------------------
    def extract(
        self,
        doc: Document,
        paragraphs: Sequence[Paragraph],
        sentences: Sequence[Sentence],
        quotations: Sequence[tuple[int, int]],
        tokens: dict[int, list[Token]] | None = None,
    ) -> list[Attribution]:
        """The document's attributions. `quotations` are the document's `quote_regions`
        (classification uses them too); `tokens`, when given, receives the tokens of each
        sentence that was tokenized, by sentence index, for the resolver to reuse."""
        prose = doc.prose
        found: list[Attribution] = []
        # Looked up once: the loop below runs for every sentence of the document.
        cue_word_scout, phrase_scout = self.cue_word_scout, self.phrase_scout
        phrase_only, anchored_by_scout = self.phrase_only, self.anchored_by_scout
        tokenize, sentence_hits = self.g.tokenize_with_lows, self._sentence_hits
        credit_hits, to_attribution = self._credit_hits, self._to_attribution
        by_sentence = self._document_pattern_matches(prose, sentences)
        for sentence in sentences:
            if sentence.headline:
                continue
            start = sentence.span.start
            text = prose[start : sentence.span.end]
            matches = by_sentence.get(sentence.index, [])
            for scout, anchored in anchored_by_scout:
                if scout is None or scout.search(text):
                    for pattern, rule in anchored:
                        matches.extend((rule, m, start) for m in pattern.finditer(text))
            if not matches:
                lowered = text.lower()
                if (cue_word_scout is None or cue_word_scout.search(lowered) is None) and (
                    phrase_scout is None
                    or phrase_scout.search(lowered) is None
                    or phrase_only.isdisjoint(_WORD.findall(lowered))  # "within the words of"
                ):
                    # No cue word and no pattern: most sentences of a long text are cheaper
                    # to skip than to tokenize (credits are whole-line patterns of their own).
                    found.extend(credit_hits(prose, text, sentence))
                    continue
            toks, lows = tokenize(text, start)
            if not toks:
                continue
            if tokens is not None:
                tokens[sentence.index] = toks
            credits = credit_hits(prose, text, sentence)
            if credits:
                # "Attribution: statements reported by TASS and the Interior Ministry": the
                # credit names the sources (matched in the registry one by one); a reporting
                # verb inside it would join them into one unknown source.
                found.extend(credits)
                continue
            hits = sentence_hits(toks, lows)
            if matches:
                hits.extend(self._pattern_hits(sentence, toks, hits, matches))
            for hit in hits:
                found.append(to_attribution(hit, toks, sentence))
        if self.reported_within:
            found = self._drop_reported_within(found)
        if self.answers_only and found:
            found = self._drop_outside_answers(prose, paragraphs, sentences, found)
        if quotations:
            if self.unquoted_only:
                found = self._drop_quoted(prose, quotations, found)
            found = self._fit_to_quotations(prose, quotations, sentences, found)
        found.extend(self._tag_hits(prose, paragraphs, sentences))
        found.sort(key=lambda a: (a.cue.start, a.cue.end))
        for number, attribution in enumerate(found, 1):
            attribution.id = f"a{number}"
        return found

    def _fit_to_quotations(
        self,
        prose: str,
        regions: list[tuple[int, int]],
        sentences: Sequence[Sentence],
        found: list[Attribution],
    ) -> list[Attribution]:
        """Quotations decide two things the sentence alone cannot.

        A cue inside someone else's quotation ("I think" in a quote) is part of what the
        speaker said, not an attribution the writer makes: it is dropped. Content that starts
        or ends in a quotation running past its sentence takes in the whole quotation, which may
        span sentences and paragraphs.
        """
        starts = [r[0] for r in regions]
        inside: list[Attribution] = []
        for attribution in found:
            home = sentences[attribution.sentence].span
            content = []
            for span in attribution.content:
                start, end = span.start, span.end
                k = bisect_right(starts, start) - 1
                if k >= 0 and regions[k][1] > home.end and start < regions[k][1]:
                    end = max(end, regions[k][1])
                k = bisect_right(starts, end - 1) - 1
                if k >= 0 and regions[k][0] < home.start and regions[k][1] >= end - 1:
                    start = min(start, regions[k][0])
                content.append(span if (start, end) == (span.start, span.end) else Span(start, end))
            attribution.content = content
            cue = attribution.cue
            k = bisect_right(starts, cue.start) - 1
            if k >= 0 and regions[k][0] < cue.start and cue.end < regions[k][1]:
                inside.append(attribution)
        if not inside:
            return found
        # Content spans of the attributions outside quotations, to see who quotes whom.
        # (Attributions are told apart by identity: comparing dataclasses field by field is
        # slow, and two equal ones have the same cue, so both are inside or both outside.)
        inside_ids = {id(a) for a in inside}
        outer = sorted(
            (span.start, span.end) for a in found if id(a) not in inside_ids for span in a.content
        )
        outer_starts = [o[0] for o in outer]
        dropped = set()
        for attribution in inside:
            cue = attribution.cue
            k = bisect_right(outer_starts, cue.start) - 1
            while k >= 0:
                if outer[k][1] >= cue.end:
                    dropped.add(id(attribution))
                    break
                k -= 1
                if k >= 0 and cue.start - outer[k][0] > 5000:
                    break
        return [a for a in found if id(a) not in dropped]

    def _drop_quoted(
        self, prose: str, regions: Sequence[tuple[int, int]], found: list[Attribution]
    ) -> list[Attribution]:
        """Drop the cues of `inside_quotations: false` rules that stand inside a quotation,
        and those of `not_sources_in_quotations` rules whose source is one of the listed words."""
        starts = [start for start, _ in regions]

        def dropped(attribution: Attribution) -> bool:
            if attribution.rule not in self.unquoted_only:
                return False
            cue = attribution.cue
            k = bisect_right(starts, cue.start) - 1
            if k < 0 or cue.end > regions[k][1]:
                return False
            sources = self.unquoted_only[attribution.rule]
            if sources is None:
                return True
            source = attribution.source
            return source is not None and prose[source.start : source.end].lower() in sources

        return [a for a in found if not dropped(a)]

    def _drop_outside_answers(
        self,
        prose: str,
        paragraphs: Sequence[Paragraph],
        sentences: Sequence[Sentence],
        found: list[Attribution],
    ) -> list[Attribution]:
        """Drop the cues of `sources_only_in_answers` rules whose source is a listed word,
        unless their paragraph is an interview answer: one opened by an answer label ("A:"),
        or one without a label that follows an answer (an answer of several paragraphs ends
        at the next question label, "Q:")."""

        def source_word(attribution: Attribution) -> str | None:
            source = attribution.source
            return prose[source.start : source.end].lower() if source is not None else None

        answers_only = self.answers_only
        # The rule first: reading the source's text costs more, and few rules are listed.
        suspects = [
            a for a in found if a.rule in answers_only and source_word(a) in answers_only[a.rule]
        ]
        if not suspects or self.interview_label is None:
            return found
        answers: set[int] = set()
        in_answer = False
        for paragraph in paragraphs:
            label = self.interview_label.match(prose, paragraph.span.start, paragraph.span.end)
            if label is not None:
                in_answer = label.group("answer") is not None
            if in_answer:
                answers.add(paragraph.index)
        dropped = {id(a) for a in suspects if sentences[a.sentence].paragraph not in answers}
        return [a for a in found if id(a) not in dropped]

    def _drop_reported_within(self, found: list[Attribution]) -> list[Attribution]:
        """Drop the cues of `drop_inside_content` rules that stand inside the content of another
        attribution of their sentence: in "Sanders said he thinks the plan will fail" the belief
        is part of what Sanders said, and the sentence's source is Sanders. (Two attributions
        that hold each other's cues in their content both stay, neither reporting the other,
        unless the second is a tag after the first: "Local families are worried, some
        residents say".) On PolNeAR train, dropping the tagged cue too: cue F1 +0.0006."""
        # Only the sentences that hold such a cue are grouped.
        holding = {a.sentence for a in found if a.rule in self.reported_within}
        if not holding:
            return found
        by_sentence: dict[int, list[Attribution]] = {}
        for attribution in found:
            if attribution.sentence in holding:
                by_sentence.setdefault(attribution.sentence, []).append(attribution)
        dropped: set[int] = set()
        for attribution in found:
            if attribution.rule not in self.reported_within:
                continue
            for other in by_sentence[attribution.sentence]:
                if (
                    other is not attribution
                    and _holds(other, attribution.cue)
                    and (
                        not _holds(attribution, other.cue)
                        # "Local families are worried, some residents say": a tag after the
                        # cue reports it, though the cue's own content runs into the tag.
                        or other.cue.start > attribution.cue.end
                    )
                ):
                    dropped.add(id(attribution))
                    break
        return [a for a in found if id(a) not in dropped] if dropped else found

    def _to_attribution(self, hit: Hit, toks: list[Token], sentence: Sentence) -> Attribution:
        source = _span(toks, hit.source) if hit.source else None
        kind = hit.kind
        vague_by = None
        if hit.source and kind in (Kind.DIRECT, Kind.ACCORDING_TO):
            vague_by = self.vague_word(toks[hit.source[0] : hit.source[1] + 1])
            if vague_by:
                kind = Kind.VAGUE
        elif kind is Kind.VAGUE:
            vague_by = " ".join(t.text for t in toks[hit.cue[0] : hit.cue[1] + 1])
        return Attribution(
            id=UNNUMBERED,
            kind=kind,
            rule=hit.rule.id,
            cue=_span(toks, hit.cue),
            source=source,
            content=[_span(toks, c) for c in hit.content if c[0] <= c[1]],
            sentence=sentence.index,
            vague_by=vague_by,
        )

    # -- sentence level: token matchers -------------------------------------------------------
    def _sentence_hits(self, toks: list[Token], lows: list[str] | None = None) -> list[Hit]:
        hits: list[Hit] = []
        i = 0
        free = 0  # the first token after the last cue taken
        n = len(toks)
        # Only a trigger word can start a hit: visit those, in order, past any hit's cue.
        if lows is None:
            lows = list(map(_LOW, toks))
        phrases, agents, verbs, hearsay = self.phrases, self.agents, self.verbs, self.hearsay
        for start in compress(count(), map(self.triggers.__contains__, lows)):
            if start < i:
                continue
            i = start
            low = lows[i]
            hit = None
            if low in phrases:
                hit = self._phrase(toks, lows, i)
            if hit is None and low in agents and i + 1 < n and lows[i + 1] == "by":
                hit = self._agent(toks, i)
            if hit is None and low in verbs:
                hit = self._verb(toks, i, hits[-1] if hits else None)
                cue = verbs[low]
                if hit is not None and (cue.sourceless or (cue.passive_agent and low[-2:] == "ed")):
                    hit = self._recast(toks, lows, cue, hit, i)
            if hit is None and low in hearsay:
                rule = hearsay[low]
                hit = Hit(rule, Kind.VAGUE, (i, i), None, [_trim_punct(toks, 0, n - 1)])
            # A cue ends at or after its trigger, past every cue taken so far, but may start
            # further left ("has also said"): it overlaps a taken cue only if it starts before
            # the end of the last one.
            if hit is not None and hit.cue[0] >= free:
                hits.append(hit)
                i = free = hit.cue[1] + 1
        return hits

    def _verb(self, toks: list[Token], i: int, previous: Hit | None = None) -> Hit | None:
        cue = self.verbs[toks[i].low]
        g = self.g
        prev = toks[i - 1].low if i > 0 else ""
        # "the report", "his claims", "a show": the form is a noun here; but "another said".
        if (prev in g.noun_openers or is_possessive(prev)) and not (
            prev in g.standalone_determiners and not self._noun_form(toks[i].low)
        ):
            return None
        if cue.participle and prev in g.np_inner:
            # "a failure of planning": an -ing form after "of" or "for" is a noun.
            return None
        if toks[i].low.endswith("ed") and self._modifies_next(toks, i):
            # "the number of pledged delegates", "leads by 300 pledged delegates".
            return None
        if toks[i].low in self.naming_forms and self._names_a_thing(toks, i):
            return None
        if i > 1 and prev == "to" and toks[i - 2].low in self.failed_controls[cue.rule.id]:
            # "The council failed to plan for the storms": an event the writer reports, not a
            # plan the council holds.
            return None
        followers = cue.needs_next
        if followers is not None and (i + 1 >= len(toks) or toks[i + 1].low not in followers):
            # "plans to run" states an intention; "has planned its services" is an action.
            return None
        if toks[i].low in self.homographs and not self._homograph_is_verb(toks, i):
            # "The television show drew", "the rise in support for": a noun here.
            return None
        if (
            i + 1 < len(toks)
            and toks[i].low in self.evidence_subjects
            and toks[i + 1].low in self.verbs
        ):
            # "council reports show": a document word before another cue verb is its subject.
            return None
        # Cue span: auxiliaries and cue adverbs to the left ("has also said"), a control verb
        # with "to" ("declined to say"), and a fixed extension to the right ("in a statement").
        first = i
        while first > 0 and (
            toks[first - 1].low in g.cue_openers
            # "may not fully understand": an -ly adverb between auxiliaries and the verb.
            or (
                first > 1
                and toks[first - 2].low in g.cue_openers
                and toks[first - 1].low.endswith("ly")
                and not toks[first - 1].is_cap
                and toks[first - 1].low not in self.triggers  # "have reportedly threatened"
            )
        ):
            first -= 1
        if first > 1 and toks[first - 1].low == "to" and toks[first - 2].low in self.control_verbs:
            first -= 2
            if first > 0 and toks[first].low == "on" and toks[first - 1].low in self.control_verbs:
                first -= 1  # "went on to say", "continued on to say"
            while first > 0 and toks[first - 1].low in g.auxiliaries:
                first -= 1
        last = i + self._extension(toks, i + 1, cue.lemma)
        if cue.passive_form and not g.be_forms.isdisjoint(map(_LOW, toks[first:i])):
            # "The minister is said to be furious", "he was told": the subject did not say it.
            return None
        if first > 0 and toks[first - 1].low in g.conjunctions and _goes_on(toks, previous, first):
            # "he favors right-to-work laws and opposes a wage increase": a second predicate
            # of the previous cue's speaker; the first one's content ends at the conjunction.
            assert previous is not None and previous.source is not None
            previous.content[:] = [
                (a, min(b, first - 2)) for a, b in previous.content if a <= first - 2
            ]
            after = self._content_after(toks, last + 1)
            return Hit(
                cue.rule, _kind(cue.rule), (first, last), previous.source, [after] if after else []
            )
        # Source to the left, skipping adverbs in "-ly" that stand between subject and verb
        # (a capitalised one is a name: "Kelly said", "Jolly said").
        j = first - 1
        while j >= 0 and (
            (
                toks[j].low.endswith("ly")
                and not toks[j].is_cap
                and toks[j].low not in g.person_pronouns
            )
            or toks[j].low in self.interjections
            # "Trump most recently said": a degree word before a skipped "-ly" adverb.
            or (toks[j].low in self.degree_adverbs and toks[j + 1].low.endswith("ly"))
        ):
            j -= 1
        subject_end = j
        j = self._skip_time_phrase(toks, j)
        source = self.np_left(toks, j, cue.subjects)
        if source is not None and toks[source[1]].low in g.conjunctions:
            # "She worked there at the time and was trying to ask": a second predicate, whose
            # subject opens the clause (no noun phrase ends in "and").
            return self._clause_subject_hit(toks, cue, first, last, coordinated=True)
        # An evidence verb's relative subject is judged by what it stands for: "a poll that
        # shows" is the poll's finding; in "The council failed again, which shows a deeper
        # failure", "which" is the clause before it, the writer's own inference.
        relative_document = False
        if (
            source is not None
            and cue.subjects is not None
            and source[0] == source[1]
            and (
                toks[source[0]].low in g.relative_pronouns
                or toks[source[0]].low in g.restricted_relatives
            )
        ):
            if not self._relative_names_a_document(toks, source[0], cue.subjects):
                return None
            relative_document = True
        if source is not None and cue.subjects is None:
            # "One official who relayed the exchange said": the phrase before the verb ends a
            # relative clause; the speaker is the person it describes.
            related = self._relative_subject(toks, source[0], subject_end)
            if related is not None:
                source = related
        if source is None or (
            not relative_document and self._not_an_agent(toks, source, cue.subjects)
        ):
            modified = self._modified_subject(toks, j, subject_end, cue.subjects is not None)
            if modified is None and source is not None:
                return None
            source = modified
        content: list[tuple[int, int]] = []
        if source is not None:
            if source[0] == source[1] and toks[source[0]].low in cue.not_sources:
                return None
            a, _b = source
            after = self._content_after(toks, last + 1)
            if (
                # "have added complexity": "add" reports speech only before a clause or quote.
                self._needs_clause(toks, cue, last)
                and after is not None
                and _before_tag(toks, a) is None
            ):
                return None
            before = _before_tag(toks, a)
            quoted_before = before is not None and _ends_in_quote(toks, a)
            if before is not None and (quoted_before or after is None):
                # '“We will win,” he said' or 'We will win, he said.'
                content.append(before)
                resumed = _quote_after(toks, last + 1)
                if resumed:
                    content.append(resumed)
            elif after is not None:
                content.append(after)
            return Hit(cue.rule, _kind(cue.rule), (first, last), source, content)
        # A sentence-initial inversion is a bare verb ("Said Dorothy Poynter, ..."): with a
        # particle it is a participle frame ("Asked about the closure, the minister said"), and
        # after a comma the phrase after a particle is its object ("Mr. Trump, asked about the
        # deaths, said").
        if cue.inversion and (
            (first == 0 and first == last)
            or (
                first > 0
                and i == last
                and (toks[first - 1].text in ',:”’"' or toks[first - 1].text in QUOTES)
            )
        ):
            source = self.np_right(toks, last + 1)
            if source is None and self._describes_a_name(toks, last + 1):
                # "..., said pollster Frank Luntz", "said retired Army Lt. Gen. Mick Bednarek".
                source = self.np_right(toks, last + 1, allow_lower=True)
            if source is not None and not self._not_an_agent(toks, source):
                source = (source[0], self._appositive_end(toks, source[1]))
                content = []
                if first > 0:
                    content.append(_trim_punct(toks, 0, first - 1))
                after = _quote_after(toks, source[1] + 1)
                if after:
                    content.append(after)
                elif first == 0:
                    after = self._content_after(toks, source[1] + 1)
                    if after:
                        content.append(after)
                return Hit(cue.rule, _kind(cue.rule), (first, last), source, content)
        if cue.participle and first > 0 and toks[first - 1].text == ",":
            # "..., saying that X": the speaker is the subject at the start of the clause.
            source = self.np_right(toks, self._subject_start(toks, first - 1))
            after = self._content_after(toks, last + 1)
            if source is not None and source[1] < first - 1:
                source = self._clause_subject(toks, source)
                if toks[source[1] + 1].text == ",":
                    source = (source[0], self._subject_appositive_end(toks, source[1], first))
                return Hit(
                    cue.rule, _kind(cue.rule), (first, last), source, [after] if after else []
                )
            if _goes_on(toks, previous, first):
                # '“...,” Jacobs said at a rally, adding that ...': the speaker goes on.
                assert previous is not None and previous.source is not None
                return Hit(
                    cue.rule,
                    _kind(cue.rule),
                    (first, last),
                    previous.source,
                    [after] if after else [],
                )
        return self._clause_subject_hit(toks, cue, first, last)

    def _relative_names_a_document(
        self, toks: list[Token], k: int, subjects: frozenset[str]
    ) -> bool:
        """Does the relative pronoun at token k stand for a noun phrase an evidence verb
        accepts ("a report, which shows")? A clause before it ("The council failed again,
        which shows") is none."""
        np = self.antecedent(toks, k)
        return np is not None and not self._not_an_agent(toks, np, subjects)

    def antecedent(self, toks: list[Token], k: int) -> tuple[int, int] | None:
        """The noun phrase a relative pronoun at token k (or just past the tokens) stands for:
        the phrase that ends before it, past commas ("Valery Kalachev, who oversees")."""
        j = k - 1
        while j >= 0 and toks[j].text == ",":
            j -= 1
        return self.np_left(toks, j) if j >= 0 else None

    def _modifies_next(self, toks: list[Token], i: int) -> bool:
        """Is the -ed form at token i an adjective of the plural noun after it, after a
        preposition or a number ("of pledged delegates", "300 pledged delegates")?"""
        if i == 0 or i + 1 >= len(toks):
            return False
        prev, after = toks[i - 1], toks[i + 1]
        # The cheapest test first: most -ed cue forms are not followed by a plural.
        return (
            after.low[-1:] == "s"
            and after.is_word
            and not after.is_cap
            and after.low not in self.verbs
            and after.low not in self.g.auxiliaries
            and (
                prev.low in self.g.prepositions
                or prev.low in self.g.np_inner
                or _is_number(prev, self.g)
            )
        )

    def _names_a_thing(self, toks: list[Token], i: int) -> bool:
        """Is the participle at token i a name given ("a company called Cambridge Analytica",
        "a cleric named Fethullah Gulen", "the loophole called “inversion”"), not speech? A
        name or a quotation follows it, and the phrase before it is indefinite or no agent."""
        if i == 0 or i + 1 >= len(toks):
            return False
        after = toks[i + 1]
        if not (after.is_cap or after.text in QUOTES):
            return False
        np = self.np_left(toks, i - 1)
        if np is None or toks[np[0]].low in self.g.pronouns:
            return False
        return toks[np[0]].low in self.g.indefinites or self._not_an_agent(toks, np)

    def _recast(self, toks: list[Token], lows: list[str], cue: VerbCue, hit: Hit, i: int) -> Hit:
        """The verb matcher's hit for the cue form at token i, with its source taken away where
        the subject holds no view: a verb of seeming ("the team appeared paralyzed": the
        writer's judgement) and a passive ("Clinton was declared the winner by news
        organizations": the agent's words, or no one's that the text names)."""
        first, last = hit.cue
        if cue.sourceless and last == i:
            return Hit(hit.rule, Kind.VAGUE, hit.cue, None, hit.content)
        if (
            cue.passive_agent
            and lows[i].endswith("ed")
            and not self.g.be_forms.isdisjoint(lows[first:i])
        ):
            return self._passive_hit(toks, hit)
        return hit

    def _passive_hit(self, toks: list[Token], hit: Hit) -> Hit:
        """A passive cue: its agent after "by" within a few words is the source ("was declared
        the winner by news organizations"); with none, the cue is vague."""
        n = len(toks)
        last = hit.cue[1]
        for m in range(last + 1, min(n - 1, last + 1 + MAX_AGENT_DISTANCE)):
            tok = toks[m]
            if tok.low == "by":
                source = self.np_right(toks, m + 1, allow_lower=True)
                if source is not None and not self._not_an_agent(toks, source):
                    return Hit(hit.rule, hit.kind, hit.cue, source, hit.content)
                break
            if not tok.is_word or tok.low in self.verbs:
                break
        return Hit(hit.rule, Kind.VAGUE, hit.cue, None, hit.content)

    def _noun_form(self, low: str) -> bool:
        """Is this cue form, or the base of its "-s" form, also a common noun ("shows")?"""
        return low in self.homographs or (low.endswith("s") and low[:-1] in self.homographs)

    def _homograph_is_verb(self, toks: list[Token], i: int) -> bool:
        """Is the base form at token i, which is also a common noun ("show", "support", "plan"),
        a verb here? Only after a pronoun, "to", an auxiliary or a plural subject ("they fear",
        "to call", "polls show", "data show"), past adverbs between ("police also fear", "will
        all support", "voters overwhelmingly support"); a plural subject may carry a
        prepositional tail ("Polls in New Hampshire show", "Men under 35 support").
        """
        g = self.g
        k = i - 1
        while k >= 0 and (
            toks[k].low in g.cue_openers or (toks[k].low.endswith("ly") and not toks[k].is_cap)
        ):
            if toks[k].low in g.auxiliaries:
                return True
            k -= 1
        if k < 0:
            return False
        prev = toks[k].low
        if prev in g.pronouns or prev in g.auxiliaries or prev == "to" or self._plural(prev):
            return True
        if toks[i].low.endswith("s") and k == i - 1 and self._can_speak(toks[k]):
            # "The port authority disputes", not "amid ongoing disputes": a verb's "-s" form
            # that is also a plural noun is a verb right after a speaker.
            return True
        np = self._np_left(toks, k)
        if np is None or np[0] < 2 or toks[np[0] - 1].low not in g.prepositions:
            return False
        # The word before the preposition is a plural speaker or document word, not a verb
        # ("sits at 85 percent support"), a plain noun ("the rise in support") or a word of a
        # capitalised headline ("3 Words On Highway Warning Sign").
        head = toks[np[0] - 2].low
        return self._plural(head) and (head in self.extend_heads or head in self.evidence_subjects)

    def _can_speak(self, tok: Token) -> bool:
        """Can the noun `tok` say, believe or show something: a name, or a person, group or
        document word?"""
        return tok.is_cap or tok.low in self.extend_heads or tok.low in self.evidence_subjects

    def _plural(self, low: str) -> bool:
        return low.endswith("s") or low in self.plural_nouns

    def _describes_a_name(self, toks: list[Token], k: int) -> bool:
        """Does a lower-case description start at token k and run into a name within a few
        words ("pollster Frank Luntz", "master of ceremonies Asab Al-Tabchi")?"""
        g = self.g
        if k >= len(toks) or not toks[k].is_word or toks[k].is_cap:
            return False
        low = toks[k].low
        if low in g.np_stop or low in g.prepositions or low in self.verbs or low in g.auxiliaries:
            return False
        for m in range(k + 1, min(k + 4, len(toks))):
            if not toks[m].is_word:
                return False
            if toks[m].is_cap:
                return True
        return False

    def _first_name(self, toks: list[Token], k: int) -> bool:
        """Is the capitalised verb or auxiliary at token k the first name of the name after it
        ("Trump campaign spokeswoman Hope Hicks said", "Will Estrada, the chairman, said")? Not
        in a question ("Will Trump say so?")."""
        tok = toks[k]
        if not tok.is_cap or k + 1 >= len(toks) or not toks[k + 1].is_cap:
            return False
        low = tok.low
        if low not in self.verbs and low not in self.g.auxiliaries:
            return False
        return toks[-1].text != "?"

    def _role_before_name(self, toks: list[Token], k: int) -> bool:
        """Do the lower-case words from token k name a role that runs into a name ("presidential
        candidate Donald Trump", "campaign manager Corey Lewandowski")? At most three of them,
        none a verb, auxiliary, adverb or closed-class word, the last a title or role word,
        then a name."""
        g = self.g
        for m in range(k, min(k + 4, len(toks))):
            tok = toks[m]
            if not tok.is_word:
                return False
            if tok.is_cap:
                role = toks[m - 1].low
                return m > k and (role in g.titles or role in self.extend_heads)
            low = tok.low
            if (
                low in g.np_stop
                or low in g.np_inner
                or low in self.verbs
                or low in g.auxiliaries
                or low.endswith("ly")
            ):
                return False
        return False

    def _appositive_end(self, toks: list[Token], end: int) -> int:
        """The last token of the appositive after an inverted speaker ('..., said Robert Klein,
        chairman of the institute.'), or `end` when there is none.

        The appositive runs to the end of the sentence or to a comma or quotation that starts
        something else: a participle ("..., adding"), a clause link ("but", "although"), a
        pronoun, or the quotation a sentence-initial "Said X, ...," introduces. On PolNeAR train
        the gold source took in the appositive in 415 of the 572 inverted speakers followed by
        a comma; "whose" and "which" clauses mostly stay out.
        """
        n = len(toks)
        if end + 2 >= n or toks[end + 1].text != "," or not self._opens_appositive(toks[end + 2]):
            return end
        last = end
        m = end + 2
        while m < n:
            tok = toks[m]
            if tok.text in QUOTES or tok.text in ":;(":
                break
            if tok.text == "," and (m + 1 >= n or not self._opens_appositive(toks[m + 1])):
                break
            if tok.is_word or tok.text in "-&.’'":
                last = m
            m += 1
        while last > end and not toks[last].is_word:
            last -= 1
        return last if last > end + 1 else end

    def _opens_appositive(self, tok: Token) -> bool:
        g = self.g
        low = tok.low
        return (
            tok.is_word
            and not low.endswith("ing")
            and low not in g.conjunctions
            and low not in g.subordinators
            and low not in g.person_pronouns
            and low not in g.plural_pronouns
            and low != "which"
        )

    def _skip_time_phrase(self, toks: list[Token], j: int) -> int:
        """The index before a time phrase ending at token j ("Fulton on Tuesday dismissed"),
        or j when there is none."""
        if j < 1 or toks[j].low not in self.time_words:
            return j
        k = j - 1
        while k >= 0 and j - k <= 3 and toks[k].low not in self.time_openers:
            k -= 1
        if k < 1 or toks[k].low not in self.time_openers:
            return j
        while k > 0 and toks[k - 1].low in self.time_openers:
            k -= 1
        return k - 1 if toks[k - 1].is_word else j

    def _clause_subject_hit(
        self, toks: list[Token], cue: VerbCue, first: int, last: int, *, coordinated: bool = False
    ) -> Hit | None:
        """No subject right before the verb: the speaker is the subject that opens the clause.

        "X on Tuesday dismissed", "Joyce — who is listed as ... — told", "The judge rubbed his
        chin, and then said", "Husted continued by saying": the words between the subject and
        the verb are a time phrase, an aside or a first predicate of the same subject.
        A `coordinated` verb ("... and was trying to ask") takes the clause's subject whatever
        its rule's subject_fallback says.
        """
        if first == 0 or not (cue.subject_fallback or coordinated):
            return None
        if toks[first].low == cue.lemma and toks[first - 1].low == "to":
            # A bare infinitive ("to say") often belongs to someone other than the subject.
            return None
        g = self.g
        start = _clause_start(toks, first, g)
        if toks[start].text in QUOTES and _ends_in_quote(toks, first):
            # '“It is over,” said six-million people ...': the subject inside the quotation is
            # not the speaker; when the inverted speaker was not found, there is none to take.
            return None
        while start < first and toks[start].text in QUOTES:
            start += 1
        start = self._subject_start(toks, first, start)
        opener = toks[start]
        if (
            opener.low in g.np_stop
            or (
                ("’" in opener.text or "'" in opener.text)
                and not _possessive_name(toks, start, g.determiners)
            )
            or toks[start + 1].text[0] in "’'"
        ):
            # "On ...", "Where ...", "That’s ...": the clause opens with no subject to take.
            return None
        source = self.np_right(toks, start)
        if source is None or source[1] >= first - 1 or first - source[1] > MAX_SUBJECT_GAP:
            return None
        if source[0] == source[1] and opener.low in g.determiners:
            return None
        source = self._clause_subject(toks, source)
        if self._not_an_agent(toks, source, cue.subjects):
            return None
        if source[0] == source[1] and toks[source[0]].low in cue.not_sources:
            return None
        if cue.passive_form and (
            toks[first - 1].text == ","
            or any(toks[k].low in g.be_forms for k in (first - 1, first - 2) if k >= 0)
        ):
            # "X, accused by ...", "was officially declared": a participle, not X speaking.
            return None
        gap = toks[source[1] + 1]
        if gap.text == "(" or gap.low in g.relative_pronouns:
            # An aside between subject and verb belongs to the source, as an appositive does:
            # "Sen. Jack Reed (D-R.I.), said", "Hawkins and others who want to ban it said".
            end = first - 1
            while end > source[1] and toks[end].text in ",—–":
                end -= 1
            source = (source[0], end)
        elif gap.text == ",":
            source = (source[0], self._subject_appositive_end(toks, source[1], first))
        if self._needs_clause(toks, cue, last):
            return None
        after = self._content_after(toks, last + 1)
        return Hit(cue.rule, _kind(cue.rule), (first, last), source, [after] if after else [])

    def _clause_subject(self, toks: list[Token], source: tuple[int, int]) -> tuple[int, int]:
        """The subject in a noun phrase read from the start of a clause, which may run on into
        a predicate whose verb we do not know: it ends before a new noun phrase ("The judge
        rubbed his chin") and after its last person or group word when only lower-case words
        follow that ("His campaign manager went home")."""
        g = self.g
        start, end = source
        for k in range(start + 2, end + 1):
            opens_np = toks[k].low in g.determiners or toks[k].low in g.possessives
            if opens_np and toks[k - 1].low not in g.np_inner:
                end = k - 2
                break
        for m in range(end, start, -1):
            tok = toks[m]
            if tok.low in self.extend_heads:
                return (start, m)
            if tok.is_cap or not tok.is_word or tok.low in g.np_inner:
                break
        return (start, end)

    def _subject_appositive_end(self, toks: list[Token], end: int, first: int) -> int:
        """The last token of an appositive between commas after the clause subject ending at
        token `end` ("Huma Abedin, vice chairwoman for Clinton’s campaign, sent ..., telling"),
        or `end` when there is none before the cue at `first`. A verb we know, or an auxiliary
        outside a relative clause, means the commas hold a clause of their own."""
        g = self.g
        opener = toks[end + 2]
        if (
            not self._opens_appositive(opener)
            or self._opens_aside(opener)
            or (opener.low.endswith(("ly", "ed")) and not opener.is_cap)
        ):
            # "Pence, on the other hand, ...", "Clinton, exasperated, ...": an aside.
            return end
        relative = False
        for m in range(end + 2, min(first, end + 2 + MAX_APPOSITIVE_TOKENS)):
            tok = toks[m]
            if tok.text == ",":
                return m - 1 if m > end + 2 else end
            if tok.text in QUOTES or tok.text in ";:(":
                return end
            low = tok.low
            if low in g.relative_pronouns:
                relative = True
            elif low in self.verbs or (low in g.auxiliaries and not relative):
                return end
        return end

    def _subject_start(self, toks: list[Token], k: int, start: int = 0) -> int:
        """Where the subject of the main clause before token k starts: past a conjunction,
        sentence adverb or interjection with its comma ("But", "Then", "Instead, ...", "Well,
        ...") and past an introductory phrase up to its comma ("Later in the day, she ...")."""
        g = self.g
        if start == 0:
            start = _dateline_end(toks, k)
        while start < k - 1:
            low = toks[start].low
            comma = toks[start + 1].text == ","
            if (
                low in g.conjunctions
                or low in g.clause_starters
                or (comma and low in self.interjections)
            ):
                start += 2 if comma else 1
            elif (
                # "This week, ...", "Last Sunday, ...": a time phrase before its comma.
                start + 2 < k
                and toks[start + 1].low in self.time_words
                and toks[start + 2].text == ","
            ):
                start += 3
            elif (
                low in g.prepositions
                or low in g.subordinators
                # "Walking to the next address, Ebeling ...": a participle's phrase.
                or (low.endswith("ing") and low not in self.extend_heads)
            ):
                closing = next(
                    (m for m in range(start + 1, min(k, start + 12)) if toks[m].text == ","), None
                )
                if closing is None:
                    break
                start = closing + 1
            else:
                break
        return start

    def _extension(self, toks: list[Token], k: int, lemma: str) -> int:
        """How many tokens after the verb belong to the cue ("in a statement", "called for")."""
        if k >= len(toks):
            return 0
        for words in self.extensions.get(toks[k].low, ()):
            if k + len(words) <= len(toks) and all(
                toks[k + m].low == w for m, w in enumerate(words)
            ):
                return len(words)
        if toks[k].low in self.particles.get(lemma, ()):
            return 1
        return 0

    def _phrase(self, toks: list[Token], lows: list[str], i: int) -> Hit | None:
        for words, rule in self.phrases[lows[i]]:
            m = len(words)
            if tuple(lows[i : i + m]) != words:  # also when the sentence ends before
                continue
            source = self.np_right(toks, i + m, allow_lower=True, until_comma=True)
            if source is None:
                continue
            source_toks = toks[source[0] : source[1] + 1]
            if not any(map(_IS_CAP, source_toks)) and (
                rule.params.get("named_source") or not self._could_be_source(source_toks)
            ):
                continue
            if i > 0 and rule.params.get("clause_initial") and toks[i - 1].text not in ",;—(":
                continue
            content: list[tuple[int, int]] = []
            if i > 0:
                content.append(_trim_punct(toks, 0, i - 1))
            after_start = _skip_appositive(toks, source[1] + 1, self.g)
            after = self._content_after(toks, after_start)
            if after:
                content.append(after)
            return Hit(rule, _kind(rule), (i, i + m - 1), source, content)
        return None

    def _could_be_source(self, np: list[Token]) -> bool:
        """A lower-case phrase names a source only with a determiner, a pronoun or a plural,
        person or document head: "according to the report", "according to polls", "according
        to people in attendance", "according to exit polling data", not "according to plan".
        The head is a word before any preposition: "people" in "people close to ...", and in
        "officials familiar with ..." or "results tallied on Monday", where a modifier follows
        it."""
        g = self.g
        first = np[0].low
        if (
            first in g.determiners
            or first in g.possessives
            or first in g.pronouns
            or first in self.vague_quantifiers
            or first[0].isdigit()
        ):
            return True
        return any(
            t.low in self.vague_heads or t.low in self.evidence_subjects or t.low.endswith("s")
            for t in takewhile(lambda t: t.low not in g.prepositions, np)
        )

    def _agent(self, toks: list[Token], i: int) -> Hit | None:
        rule = self.agents[toks[i].low]
        first = i
        while first > 0 and toks[first - 1].low in self.g.cue_openers:
            first -= 1
        source = self.np_right(toks, i + 2, allow_lower=True)
        if source is None:
            return None
        a, b = source
        if toks[a].low in self.g.determiners and a < b:
            a += 1
        media = self.contact_media.get(rule.id, frozenset())
        if toks[a].low in media or (a < b and f"{toks[a].low} {toks[a + 1].low}" in media):
            return None  # "said by phone": how the speaker was reached, not who spoke
        content = []
        if first > 0:
            content.append(_trim_punct(toks, 0, first - 1))
        after = self._content_after(toks, source[1] + 1)
        if after:
            content.append(after)
        # The cue is the passive verb ("was first reported"): "by" opens the agent, and
        # PolNeAR's annotators left it out of the cue 29 times in 33 on train.
        return Hit(rule, _kind(rule), (first, i), source, content)

    def _document_pattern_matches(
        self, prose: str, sentences: Sequence[Sentence]
    ) -> dict[int, list[tuple[Rule, re.Match[str], int]]]:
        """Run the unanchored pattern rules over the whole prose once; file each match under
        the sentence that holds it (a match across a sentence end is no match)."""
        out: dict[int, list[tuple[Rule, re.Match[str], int]]] = {}
        if not self.free_patterns or not sentences:
            return out
        starts = [s.span.start for s in sentences]
        for pattern, rule in self.free_patterns:
            if rule.id in self.scouts_after_word:
                matches = finditer_after_word(pattern, prose, self.scouts[rule.id])
            else:
                matches = scouted_finditer(pattern, prose, self.scouts.get(rule.id))
            for m in matches:
                k = bisect_right(starts, m.start()) - 1
                if k < 0 or m.end() > sentences[k].span.end:
                    continue
                out.setdefault(k, []).append((rule, m, 0))
        return out

    def _pattern_hits(
        self,
        sentence: Sentence,
        toks: list[Token],
        hits: list[Hit],
        matches: list[tuple[Rule, re.Match[str], int]],
    ) -> list[Hit]:
        taken = [(_span(toks, h.cue)) for h in hits]
        out: list[Hit] = []
        for rule, m, base in matches:
            cue = _group_tokens(toks, m, "cue", base)
            if cue is None or any(_span(toks, cue).overlaps(t) for t in taken):
                continue
            source = _group_tokens(toks, m, "source", base)
            content_group = _group_tokens(toks, m, "content", base)
            if content_group is not None:
                content = [content_group]
            else:
                where = rule.params.get("content", "sentence")
                n = len(toks)
                if where == "after":
                    after = self._content_after(toks, _index_after(toks, m.end() + base))
                    content = [after] if after else []
                else:
                    content = [_trim_punct(toks, 0, n - 1)]
            out.append(Hit(rule, _kind(rule), cue, source, content))
            taken.append(_span(toks, cue))
        return out

    # -- paragraph and document level ----------------------------------------------------------
    def _tag_hits(
        self,
        prose: str,
        paragraphs: Sequence[Paragraph],
        sentences: Sequence[Sentence],
    ) -> list[Attribution]:
        out: list[Attribution] = []
        if not self.tags:
            return out
        for pattern, rule in self.tags:
            for m in pattern.finditer(prose):
                # A dateline pattern may start in blanked markup (the "</h1>" before "LYON"):
                # the cue starts at its first printed character.
                cue = _strip_span(prose, Span(m.start(), m.end()))
                para = next((p for p in paragraphs if p.span.overlaps(cue)), None)
                if para is None:
                    continue
                covered = [s.index for s in sentences if s.paragraph == para.index]
                holder = next((s for s in sentences if s.span.overlaps(cue)), None)
                if holder is None:
                    continue
                src = (
                    Span(m.start("source"), m.end("source"))
                    if "source" in pattern.groupindex
                    else None
                )
                if src is not None:
                    src = _strip_span(prose, src)
                content = [
                    sentences[k].span for k in covered if not sentences[k].span.overlaps(cue)
                ]
                out.append(
                    Attribution(
                        id=UNNUMBERED,
                        kind=Kind.SOURCE_TAG,
                        rule=rule.id,
                        cue=cue,
                        source=src,
                        content=content,
                        sentence=holder.index,
                        covers=covered,
                    )
                )
        return out

    def _credit_hits(self, prose: str, text: str, sentence: Sentence) -> list[Attribution]:
        """The sentence as a credit line, if it is one (`text` is its text in `prose`)."""
        out: list[Attribution] = []
        for pattern, rule in self.credits:
            m = pattern.match(text)
            if not m:
                continue
            base = sentence.span.start
            cue = Span(base + m.start("cue"), base + m.end("cue"))
            content = _strip_span(prose, Span(base + m.start("content"), base + m.end("content")))
            out.append(
                Attribution(
                    id=UNNUMBERED,
                    kind=Kind.CREDIT,
                    rule=rule.id,
                    cue=cue,
                    source=None,  # the registry names inside the credit are found when matching
                    content=[content],
                    sentence=sentence.index,
                )
            )
            break
        return out

    # -- noun phrases ------------------------------------------------------------------------
    def np_left(
        self, toks: list[Token], j: int, heads: frozenset[str] | None = None
    ) -> tuple[int, int] | None:
        """The noun phrase ending at token j that can be the subject of a cue, or None.

        A source may carry a prepositional tail ("officials in Moscow", "witnesses to these
        developments", "a spokesman for the ministry"): when the phrase before the preposition
        ends in a person, group or organisation word, or in one of `heads` (the subjects a verb
        accepts: "results from the districts showed"), the two are one source.
        """
        np = self._np_left(toks, j)
        if np is None:
            return None
        a, _ = np
        before = self._head_before_tail(toks, a)
        if before is not None:
            return (before, j)
        if a >= 2 and toks[a - 1].low in EXTENDING_PREPOSITIONS and toks[a - 2].is_word:
            head = self._np_left(toks, a - 2)
            word = toks[a - 2].low
            if head is not None and (
                word in self.extend_heads or (heads is not None and word in heads)
            ):
                return (head[0], j)
        return np

    def _head_before_tail(self, toks: list[Token], a: int) -> int | None:
        """Where the source starts when the phrase at token a is the tail of a speaker or
        document before it: "people close to the campaign", "a source familiar with her
        thinking" (a postmodifier and its preposition after a person word), "a 2009 report by
        the Center", "records compiled by the Center", "Exit polls taken in South Carolina" (who
        made a document, or where); else None."""
        g = self.g
        if a < 3:
            return None
        before = toks[a - 1].low
        if before in EXTENDING_PREPOSITIONS and toks[a - 2].low in g.postmodifiers:
            m = a - 3
            if not (toks[m].low in self.extend_heads or self._plural(toks[m].low)):
                return None
        elif before in self.document_modifiers and before in g.prepositions:
            m = a - 2
            if toks[m].low in self.document_modifiers:
                m -= 1
            if toks[m].low not in self.evidence_subjects:
                return None
        else:
            return None
        np = self._np_left(toks, m)
        return np[0] if np is not None else None

    def _np_left(self, toks: list[Token], j: int) -> tuple[int, int] | None:
        g = self.g
        if j < 0:
            return None
        t = toks[j]
        if t.low in g.pronouns:
            return (j, j)
        if t.low in g.restricted_relatives:
            return (j, j) if j > 0 and self._can_speak(toks[j - 1]) else None
        if t.text == ",":
            k = _aside_start(toks, j)
            if k is None:
                # "Sen. Jack Reed (D-R.I.), said": a stray comma after a parenthesis.
                return self._np_left(toks, j - 1) if j > 0 and toks[j - 1].text == ")" else None
            return self._past_appositive(toks, k, j) or self._past_aside(toks, k, j)
        if t.text == "." and j > 0 and toks[j - 1].is_cap and len(toks[j - 1].text) <= 3:
            # "James B. Comey Jr., the director ..., said": an abbreviation ends the name.
            np = self._np_left(toks, j - 1)
            return (np[0], j) if np is not None else None
        if t.text == ")":
            # "Sen. Bernie Sanders (I-Vt.) said": the parenthesis belongs to the name before it.
            k = j - 1
            while k > 0 and j - k <= 8 and toks[k].text != "(":
                k -= 1
            if k > 0 and toks[k].text == "(":
                np = self._np_left(toks, k - 1)
                return (np[0], j) if np is not None else None
            return None
        np_end = self.np_left_end
        if not t.is_word:
            return None
        if t.low in np_end and not (
            # "The reports show", "his claims suggest": a cue verb's form after a determiner
            # or possessive is a noun, and can end a subject; so is a document word right
            # before the verb ("new fundraising reports show").
            t.low in self.verbs
            and j > 0
            and (
                toks[j - 1].low in g.noun_openers
                or is_possessive(toks[j - 1].low)
                or t.low in self.evidence_subjects
            )
        ):
            return None
        np_inner, np_stop, pronouns = g.np_inner, g.np_stop, g.pronouns
        np_openers = self.np_openers
        k = j
        while k >= 0 and j - k < MAX_SOURCE_TOKENS:
            tok = toks[k]
            low = tok.low
            if not tok.is_word:
                # Joiners inside a name: "Ernst & Young", "U.S.", "a CNN/ORC poll".
                if tok.text in "-&./" and k < j:
                    k -= 1
                    continue
                break
            if k < j and toks[k + 1].text == "." and len(tok.text) == 1 and tok.is_cap:
                # An initial ("James A. Lewis", "I. Charles McCullough"), not the article
                # "a" or the pronoun "I".
                k -= 1
                continue
            if low in np_inner:
                # "head of the NCB", "Ministry of Internal Affairs": keep going if a noun
                # phrase continues on the left.
                if k == 0 or not toks[k - 1].is_word or toks[k - 1].low in np_stop:
                    break
                if (
                    low == "and"
                    and k < j
                    and toks[k + 1].is_cap
                    and not self._can_speak(toks[k - 1])
                    and toks[k - 1].low not in g.pronouns
                ):
                    break  # "... posted a photo and Clinton said": two clauses
                k -= 1
                continue
            if (
                low == "in"
                and 0 < k < j
                and _is_number(toks[k + 1], g)
                and _is_number(toks[k - 1], g)
            ):
                # "Six in 10 voters say": a share, not a place.
                k -= 1
                continue
            if low in np_end and k < j and not self._first_name(toks, k):  # j was tested above
                break
            if low in pronouns and k < j:
                if low in g.relative_pronouns and k > 0 and toks[k - 1].text == ",":
                    # "Kalachev, who oversees the NCB, said": the subject is before the comma.
                    return self.np_left(toks, k - 2)
                if low in g.subject_pronouns and toks[k + 1].low == "and":
                    # "he and Brafman had said": a pronoun joined to the subject is part of it.
                    k -= 1
                    continue
                break
            if low in np_openers:
                if k > 0 and toks[k - 1].low in np_inner and toks[k - 1].low != "and":
                    k -= 1
                    continue
                if k > 1 and toks[k - 1].low == "and":
                    if toks[k - 2].low in g.subject_pronouns:
                        k -= 2  # "She and her husband supported"
                    elif toks[k - 2].is_cap:
                        # "Bush and his rivals for the nomination have said": a name joined to
                        # the phrase, when the name opens the clause.
                        name = self._np_left(toks, k - 2)
                        if (
                            name is not None
                            and _opens_clause(toks, name)
                            and all(
                                t.is_cap or not t.is_word or t.low in np_inner
                                for t in toks[name[0] : name[1] + 1]
                            )
                        ):
                            k = name[0]
                k -= 1
                break
            k -= 1
        a = k + 1
        while a <= j and (toks[a].low in g.np_inner or not toks[a].is_word):
            a += 1
        if a > j:
            return None
        # A lower-case phrase with no determiner is only a source when its head is a person,
        # role or organisation word or a plural ("voters", "officials", "police"): "the economy
        # grew, analysts say" but not "prices rose as markets expected".
        if (
            not any(map(_IS_CAP, toks[a : j + 1]))
            and toks[a].low not in g.determiners
            and toks[a].low not in g.possessives
            and toks[a].low not in g.subject_pronouns  # "she and another reporter said"
            and toks[a].low not in self.vague_quantifiers
            and not toks[a].text[0].isdigit()
            and not (a < j and toks[a + 1].low == "in" and toks[a].low in g.number_words)
            and not (toks[j].low.endswith("s") or toks[j].low in self.extend_heads)
        ):
            return None
        if a > 0 and _is_number(toks[a], g) and toks[a - 1].low in g.approximators:
            return (a - 1, j)  # "About four in 10 voters", "only 49 percent of Republicans"
        return (self._list_start(toks, a, j), j)

    def _list_start(self, toks: list[Token], a: int, j: int) -> int:
        """Where a list of names ending in the phrase a..j starts: "Ben Carson, Ted Cruz and
        Rand Paul have all attacked", "President Obama, Hillary Clinton, and other Democrats
        want". Only names are members, and a list after a preposition is not the subject
        ("In Iowa, Clinton and Sanders said"): else `a`."""
        g = self.g
        m = a
        if m >= 2 and toks[m - 1].low in g.list_joiners and toks[m - 2].text == ",":
            m -= 1  # the comma before "and" in "..., and other Democrats"
        elif not any(t.low in g.list_joiners for t in toks[a : j + 1]):
            return a
        start = a
        while m >= 2 and toks[m - 1].text == "," and j - m < 3 * MAX_SOURCE_TOKENS:
            member = self._np_left(toks, m - 2)
            if member is None or not (toks[member[0]].is_cap and toks[member[1]].is_cap):
                break
            start = m = member[0]
        if start < a and start > 0 and toks[start - 1].low in g.prepositions:
            return a
        return start

    def _modified_subject(
        self, toks: list[Token], j: int, end: int, documents: bool
    ) -> tuple[int, int] | None:
        """The subject of a cue verb when a speaker word before token j is followed by a phrase
        saying which ones, who made it or when ("People briefed on the move said", "A CNN/ORC
        poll of South Carolina released on Tuesday showed", "a poll out this week shows"): the
        speaker with its modifier up to token `end` (past a time phrase after j), or None.
        The speaker word is a document word for an evidence verb (`documents`), else a person,
        group or organisation word.

        The scan gives up at punctuation, an auxiliary or another cue verb, so a clause of its
        own ("the report says voters show") never joins the subject.
        """
        g = self.g
        last = toks[end]
        if not last.is_word or last.low in g.np_stop or last.low in g.np_inner:
            # "... to say", "..., said", "the filings for 2015 and": no subject ends there.
            return None
        heads, modifiers = (
            (self.evidence_subjects, self.document_modifiers)
            if documents
            else (self.extend_heads, self.speaker_modifiers)
        )
        for m in range(j - 1, max(-1, j - MAX_MODIFIER_TOKENS), -1):
            tok = toks[m]
            low = tok.low
            if not tok.is_word:
                if tok.text in "-/" or is_possessive(low):
                    continue
                return None
            if low in heads and toks[m + 1].low in modifiers:
                np = self.np_left(toks, m, heads)
                return (np[0], end) if np is not None else None
            if low in g.auxiliaries or (low in self.verbs and low not in modifiers):
                return None
        return None

    def _relative_subject(self, toks: list[Token], a: int, end: int) -> tuple[int, int] | None:
        """The subject when the phrase at token a closes a relative clause without commas
        ("Democrats in Iowa who watched the debate said", "an aide who had seen the letter
        said", "Voters who backed the levy said"): the person or group word before "who" with
        the clause, up to token `end`; or None. Not when the phrase is a subject pronoun ("the
        man who gained attention when he said") or right after "who" ("a candidate who many
        members say": they are the verb's subject); the scan gives up at punctuation and at a
        word that opens a clause of its own ("who notes that United Technologies said")."""
        g = self.g
        if toks[a].low in g.subject_pronouns or toks[a].low in g.plural_pronouns:
            return None
        if a > 0 and toks[a - 1].low in self.verbs and toks[a].is_cap:
            # "Cruz, who says Trump wants": a name after a cue verb is its clause's subject.
            return None
        for m in range(a - 1, max(0, a - MAX_MODIFIER_TOKENS), -1):
            tok = toks[m]
            low = tok.low
            if not tok.is_word or low in self.relative_stops:
                return None
            if low == "who":
                # "Grijalva, who sent a letter to Mr. Castro criticizing": past the comma.
                k = m - 2 if m > 1 and toks[m - 1].text == "," else m - 1
                np = self.np_left(toks, k) if m + 1 < a else None
                if np is None or self._not_an_agent(toks, np):
                    return None
                return (np[0], end)
        return None

    def _not_an_agent(
        self, toks: list[Token], np: tuple[int, int], allowed: frozenset[str] | None = None
    ) -> bool:
        """Abstract subjects ("this cadence of dialogue suggests") are the writer's own voice;
        so is any lower-case subject outside `allowed` when the verb names what it accepts."""
        head = _head(toks[np[0] : np[1] + 1], self.g)
        if head is None or head.is_cap:
            return False
        if head.low in self.non_agents:
            return True
        return allowed is not None and head.low not in allowed and head.low not in self.g.pronouns

    def _needs_clause(self, toks: list[Token], cue: VerbCue, last: int) -> bool:
        """Does the cue ending at `last` report speech only before a clause or quotation
        (clause_only: "have added complexity"), and have none after it? A particle of its own
        that names a topic (topic_particles) stands for what was said ("talked about the
        economy", "pointed to the polls"); "voted for" takes a side and still needs one.
        """
        if cue.lemma not in self.clause_only or self._clause_follows(toks, last + 1):
            return False
        particle = toks[last].low
        return not (
            particle in self.topic_particles and particle in self.particles.get(cue.lemma, ())
        )

    def _clause_follows(self, toks: list[Token], k: int) -> bool:
        if k >= len(toks):
            return True
        first = toks[k]
        return first.low in ("that", ":", ",") or first.text in QUOTES or first.text in FINAL_PUNCT

    def _past_appositive(self, toks: list[Token], k: int, j: int) -> tuple[int, int] | None:
        """'Kalachev, the head of the NCB, said': the noun phrase before the appositive between
        the commas at k and j, with the appositive (PolNeAR's sources take it in: "Clinton, 35,
        the daughter of ...,")."""
        g = self.g
        verb_seen = False
        for m in range(j - 1, k, -1):
            low = toks[m].low
            if low in g.relative_pronouns or low == "whose":
                # "Parker Eaton, a Republican who voted for JFK, said": a relative clause may
                # hold verbs of its own.
                verb_seen = False
            elif low in self.verbs and low not in self.homographs:
                verb_seen = True
        if verb_seen:
            return None
        inner = toks[k + 1]
        if inner.is_cap and toks[k - 1].is_cap:
            # "Dean Johnson, a salesman from Sumter, South Carolina, says": the comma at k is
            # inside a place's name after a preposition; the appositive opens before it.
            place = self._np_left(toks, k - 1)
            if (
                place is not None
                and place[0] > 0
                and (toks[place[0] - 1].low in g.prepositions or toks[place[0] - 1].low == "of")
            ):
                opening = _aside_start(toks, k)
                wider = self._past_appositive(toks, opening, j) if opening is not None else None
                if wider is not None:
                    return wider
        if not (
            inner.low in g.determiners
            or inner.low in g.relative_pronouns
            or inner.low in g.titles
            or inner.low in g.possessives
            or inner.low in self.appositive_openers
            or inner.low in self.extend_heads
            # "Frank Pavone, national director of Priests for Life, said": a role word opens
            # the appositive after up to three modifiers ("refugee rights program director").
            or any(t.low in self.extend_heads for t in toks[k + 2 : min(k + 5, j)])
            or inner.text[0].isdigit()
            # "Cory James, 22, of Flint, Mich., said": a hometown.
            or (inner.low == "of" and toks[k + 2].is_cap)
            or (inner.is_cap and inner.low not in g.pronouns)
            or (
                # "Vikram Amar, dean of the law school, said": a role noun with its tail.
                inner.is_word
                and inner.low not in g.np_stop
                and inner.low not in self.verbs
                and k + 2 < j
                and toks[k + 2].low in g.np_inner
            )
        ):
            return None
        if k >= 2 and toks[k - 1].text[0].isdigit() and toks[k - 2].text == ",":
            # "Clinton, 35, the daughter of ..., said": the age is a first appositive.
            earlier = self.np_left(toks, k - 3)
            if earlier is not None and toks[earlier[1]].is_cap:
                return (earlier[0], j)
        np = self.np_left(toks, k - 1)
        if np is None:
            # "Sanders, meanwhile, who sits at zero endorsements, said": an aside first.
            np = self._np_left(toks, k)
        elif not toks[np[0]].is_cap and np[0] >= 2 and toks[np[0] - 1].text == ",":
            # "Matthew Prince, chief executive of CloudFlare, a San Francisco company, said":
            # the phrase before this appositive is one itself, and the name comes before both
            # (but not "In Washington, a spokesman for the agency, John Doe, said" or "Late
            # Tuesday, his campaign manager, Jeff Weaver, said").
            outer = self._past_appositive(toks, np[0] - 1, j)
            if (
                outer is not None
                and toks[outer[0]].is_cap
                and (outer[0] == 0 or toks[outer[0] - 1].low not in g.prepositions)
                and not any(t.low in self.time_words for t in toks[outer[0] : np[0]])
            ):
                return outer
        # Only a named subject (or a determiner's or possessive's phrase: "her senior policy
        # adviser, Jake Sullivan, said") takes an appositive; "the economy, which grew, said"
        # is odd.
        if np is None or (
            not any(map(_IS_CAP, toks[np[0] : np[1] + 1]))
            and toks[np[0]].low not in g.determiners
            and toks[np[0]].low not in g.possessives
        ):
            return None
        return (np[0], j)

    def _opens_aside(self, tok: Token) -> bool:
        """Does the word after a comma open an aside that says when or how, not who ("though",
        "of course", "on the other hand", "in her dissent")?"""
        low = tok.low
        return low in self.aside_openers or low in self.interjections or low in self.g.prepositions

    def _past_aside(self, toks: list[Token], k: int, j: int) -> tuple[int, int] | None:
        """'Murphy, though, said', 'Judge Stranch, in her dissent, said': the named subject
        before an aside between the commas at k and j. Unlike an appositive, the aside is not
        part of the source (it says when or how, not who)."""
        opener = toks[k + 1]
        single_adverb = k + 2 == j and opener.low.endswith("ly") and not opener.is_cap
        # "Chris Christie, hoping to surge in New Hampshire, called": a participle's phrase.
        participle = opener.low.endswith("ing") and not opener.is_cap and k + 2 < j
        if not (self._opens_aside(opener) or single_adverb or participle):
            return None
        np = self._np_left(toks, k - 1)
        if np is None or not any(map(_IS_CAP, toks[np[0] : np[1] + 1])):
            return None
        return np

    def np_right(
        self,
        toks: list[Token],
        k: int,
        *,
        allow_lower: bool = False,
        until_comma: bool = False,
    ) -> tuple[int, int] | None:
        """The noun phrase starting at token k ("said Kalachev", "according to the report")."""
        g = self.g
        n = len(toks)
        if k >= n:
            return None
        first = toks[k]
        if first.low in g.person_pronouns or first.low in g.plural_pronouns:
            return (k, k)
        if not first.is_word:
            return None
        # A quantifier or a title opens a phrase as a determiner does: '..., said one party
        # activist', 'said several observers', 'said former Gov. Jim Doyle'.
        counted = first.low in self.vague_quantifiers or first.low in g.titles
        if not (
            first.is_cap
            or first.low in g.determiners
            or first.low in g.possessives
            or counted
            or allow_lower
        ):
            return None
        end = k
        m = k
        while m < n and m - k < MAX_SOURCE_TOKENS + 3:
            tok = toks[m]
            low = tok.low
            if not tok.is_word:
                if tok.text in "-&" and m + 1 < n and toks[m + 1].is_word:
                    m += 1
                    continue
                break
            if low in g.np_inner:
                if m + 1 < n and toks[m + 1].is_word and toks[m + 1].low not in g.np_stop:
                    m += 1
                    continue
                break
            if until_comma:
                if low in g.subordinators or low in g.relative_pronouns or low in g.clause_starters:
                    break
                if (
                    low in self.verbs
                    and m > k
                    # "according to the reports", "according to fundraising reports": a cue
                    # form after a determiner, or a document word, is the phrase's noun.
                    and toks[m - 1].low not in g.noun_openers
                    and low not in self.evidence_subjects
                ):
                    break
                if (
                    low in g.prepositions
                    and low not in ("by", "from", "at", "in")
                    and m > k
                    and toks[m - 1].low not in g.postmodifiers
                ):
                    break
            elif m > k and (low in g.np_stop or low in self.verbs or low in g.auxiliaries):
                break
            elif m > k and not tok.is_cap and not allow_lower and toks[m - 1].is_cap:  # noqa: SIM102
                # "said Kalachev yesterday": a proper name ends at the first lower-case word,
                # unless it describes a name that follows ("Republican presidential candidate
                # Donald Trump").
                if (
                    # "The ...", "His campaign manager", "Bennett’s younger sister".
                    toks[k].low not in g.noun_openers
                    and not is_possessive(toks[k].low)
                    and not counted
                    and not self._role_before_name(toks, m)
                ):
                    break
            end = m
            m += 1
        if end < k:
            return None
        if toks[end].is_cap:
            end = _party_end(toks, end)
        return (k, end)

    def _content_after(self, toks: list[Token], k: int) -> tuple[int, int] | None:
        n = len(toks)
        while k < n and toks[k].low in CONTENT_LEAD:
            k += 1
        # "told reporters that ...", "told CNN: ...": skip a short object before the content.
        for m in range(k, min(k + 5, n)):
            if toks[m].low in ("that", ":"):
                if all(t.is_word for t in toks[k:m]) and m > k:
                    k = m + 1
                break
        if k >= n:
            return None
        span = _trim_punct(toks, k, n - 1)
        return span if span[0] <= span[1] else None

    def vague_word(self, np: Sequence[Token]) -> str | None:
        """The generic word that makes a source vague, or None when it names someone. The head
        is the name part's ("Kalachev" of "Kalachev, the head of the NCB,")."""
        head = _head(_before_comma(np), self.g)
        if head is None:
            return None
        if head.low in self.vague_heads:
            # A name in the phrase makes it specific: "officials of the Interior Ministry" is
            # still anonymous people, but "Kremlin spokesman Dmitry Peskov" and "his top aide,
            # Tad Devine," are not vague.
            if _has_person_name(np, head):
                return None
            return head.text
        first = np[0].low
        counted = first in self.vague_quantifiers or (
            # A number counts people ("two delegates"); a share is a statistic ("58 percent
            # of voters", "six in 10 voters"), its vagueness the missing poll's.
            (first in self.g.number_words or first[0].isdigit())
            and not any(t.low in _SHARE_WORDS for t in np if t.start < head.start)
        )
        if counted and not (head.is_cap or _has_person_name(np, head)):
            # "Several shipping firms", "one party activist", "two delegates", "12 senators":
            # counted, not named ("Two senators, Jane Holt and Ian Pike," are named).
            return " ".join(t.text for t in np if t.start <= head.start)
        return None


# -- helpers ---------------------------------------------------------------------------------


_DASHES = frozenset({"—", "–", "-", "--", "―"})
# Marks a dateline may hold before its dash ("CONCORD, N.H. —", "Washington (AFP) -").
_DATELINE_MARKS = frozenset({",", ".", "(", ")"})


def _dateline_end(toks: Sequence[Token], k: int) -> int:
    """Where a sentence starts past a dateline before token k ("WASHINGTON — ", "CONCORD,
    N.H. — ", "Washington (AFP) - "): the token after its dash, or 0 when there is none. A
    dateline is capitalised words, abbreviations, commas and a parenthesis before a dash within
    the first eight tokens, one word of it in capitals, and no second dash (an aside) after."""
    for m in range(min(k, 8)):
        tok = toks[m]
        if tok.text in _DASHES:
            shouting = any(t.is_word and len(t.text) > 1 and t.text.isupper() for t in toks[:m])
            # "NATO — the alliance — met": a second dash closes an aside, not a dateline.
            aside = any(t.text in _DASHES for t in toks[m + 1 : k])
            return m + 1 if m > 0 and shouting and not aside else 0
        if tok.is_word and not tok.is_cap:
            return 0
        if not tok.is_word and tok.text not in _DATELINE_MARKS:
            return 0
    return 0


def _party_end(toks: Sequence[Token], end: int) -> int:
    """The closing parenthesis of a short parenthesis right after a name ("said Rep. Bobby
    Scott (D-Va.)", "Ben Jacobs (@Bencjacobs)"), which belongs to the name; else `end`."""
    if end + 1 >= len(toks) or toks[end + 1].text != "(":
        return end
    for m in range(end + 2, min(end + 10, len(toks))):
        if toks[m].text == ")":
            return m
        if toks[m].text == "(":
            break
    return end


# Words that make a number before a source's head a share, not a count ("58 percent of").
_SHARE_WORDS = frozenset({"percent", "per", "%", "in", "of", "out"})


# A pattern that opens with a word boundary and then a group starting with a character class
# or a letter ('\b(?P<cue>[Ii]n\s+...'): without the boundary it starts with a character the
# regex engine can scan for, much faster than trying the whole pattern at every position.
_SCOUTABLE = re.compile(r"\\b(?:\(\?P<\w+>)*(?:\[|\w)")


@cache
def _scout(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The pattern without its leading word boundary, or None when that would not be faster.
    Dropping a constraint can only add matches, so it finds every place the pattern matches."""
    if not _SCOUTABLE.match(pattern.pattern):
        return None
    try:
        return re.compile(pattern.pattern[2:], pattern.flags)
    except re.error:
        return None


def scouted_finditer(
    pattern: re.Pattern[str], text: str, scout: re.Pattern[str] | None = None
) -> list[re.Match[str]]:
    """The matches `pattern.finditer(text)` gives, found faster: the pattern only runs where
    its scout matches. `scout` must match at every place a match of `pattern` starts; without
    one, the pattern's own scout (itself without a leading word boundary) is used if any."""
    if scout is None:
        scout = _scout(pattern)
    if scout is None:
        return list(pattern.finditer(text))
    out = []
    pos = 0
    while (hit := scout.search(text, pos)) is not None:
        start = hit.start()
        m = pattern.match(text, start)
        if m is None:
            pos = start + 1
        elif m.end() == start:
            return list(pattern.finditer(text))  # an empty match: leave the subtleties to re
        else:
            out.append(m)
            pos = m.end()
    return out


def finditer_after_word(
    pattern: re.Pattern[str], text: str, scout: re.Pattern[str]
) -> list[re.Match[str]]:
    """The matches `pattern.finditer(text)` gives, for a pattern whose matches start with a
    whole word (a run of word characters) and white space, and a scout whose hits start on
    that white space (for every match, `scout.finditer` has a hit starting there; a scout that
    consumes only white space and then other characters keeps hits from hiding each other).
    The pattern is tried only at the start of the word before each scout hit."""
    out: list[re.Match[str]] = []
    pos = 0
    tried = -1
    for hit in scout.finditer(text):
        k = hit.start()
        # Back over the white space, then over the word: where a match could start.
        while k > 0 and text[k - 1].isspace():
            k -= 1
        word_end = k
        while k > 0 and (text[k - 1].isalnum() or text[k - 1] == "_"):
            k -= 1
        if k in (word_end, tried) or k < pos:
            continue
        tried = k
        m = pattern.match(text, k)
        if m is not None:
            if m.end() == k:
                return list(pattern.finditer(text))  # an empty match: leave it to re
            out.append(m)
            pos = m.end()
    return out


# Kind by a rule's `kind` string: looked up, as an Enum call per hit is slow. The rule schema
# allows only Kind's values, so every key is present.
_KINDS: dict[str, Kind] = {kind.value: kind for kind in Kind}


# How far a participle may stand from the cue whose speaker it continues ("said in a statement
# on Tuesday, adding"); further away it more likely starts a clause of its own.
MAX_GOES_ON_GAP = 12


def _goes_on(toks: list[Token], previous: Hit | None, first: int) -> bool:
    """Whether the participle at `first` (after a comma) continues the previous cue of its
    sentence: that cue has a source, and only its own words stand between them, with no
    quotation mark, colon or semicolon. On PolNeAR train, the ", adding" after "X said" was a
    gold cue of X's 27 times the extractor missed it."""
    if previous is None or previous.source is None:
        return False
    end = max(previous.cue[1], previous.source[1])
    if end >= first - 1 or first - 1 - end > MAX_GOES_ON_GAP:
        return False
    return not any(t.text in QUOTES or t.text in ":;" for t in toks[end + 1 : first - 1])


def _opens_clause(toks: list[Token], np: tuple[int, int]) -> bool:
    """Does the phrase np start its sentence, or follow a comma or a quotation mark?"""
    return np[0] == 0 or toks[np[0] - 1].text == "," or toks[np[0] - 1].text in QUOTES


def _possessive_name(toks: list[Token], k: int, determiners: frozenset[str]) -> bool:
    """Is token k a name's possessive opening a noun phrase ("Bennett’s younger sister"), not
    a contraction before a determiner ("Here’s a hunch", "What’s this")?"""
    nxt = toks[k + 1] if k + 1 < len(toks) else None
    return (
        toks[k].is_cap
        and is_possessive(toks[k].low)
        and nxt is not None
        and nxt.is_word
        and nxt.low not in determiners
    )


def _is_number(tok: Token, g: Grammar) -> bool:
    return tok.text[0].isdigit() or tok.low in g.number_words


def _holds(attribution: Attribution, span: Span) -> bool:
    """Whether one of the attribution's content spans contains the span."""
    return any(c.start <= span.start and span.end <= c.end for c in attribution.content)


def _kind(rule: Rule) -> Kind:
    return _KINDS[rule.kind or "direct"]


def _span(toks: list[Token], rng: tuple[int, int]) -> Span:
    return Span(toks[rng[0]].start, toks[rng[1]].end)


def _strip_span(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;"):
        end -= 1
    return Span(start, end)


def _trim_punct(toks: list[Token], a: int, b: int) -> tuple[int, int]:
    """Drop leading commas/colons and trailing sentence punctuation (closing quotes stay)."""
    while a <= b and toks[a].text in ",;:—–":
        a += 1
    while b >= a and (toks[b].text in FINAL_PUNCT or toks[b].text in ",;:—–"):
        b -= 1
    return (a, b)


def _aside_start(toks: list[Token], j: int) -> int | None:
    """The comma that opens an aside (appositive or not) closed by the comma at token j: at
    most MAX_APPOSITIVE_TOKENS back, with no quotation mark, semicolon or colon in between, and
    a word before it; None when there is none."""
    k = j - 1
    while k >= 0 and j - k <= MAX_APPOSITIVE_TOKENS and toks[k].text != ",":
        if toks[k].text in QUOTES or toks[k].text in ";:":
            return None
        k -= 1
    if k <= 0 or toks[k].text != "," or k + 1 >= j:
        return None
    return k


def _before_tag(toks: list[Token], a: int) -> tuple[int, int] | None:
    """Content before a trailing speech tag: '“We will win,” he said.' -> the quote."""
    if a < 2:
        return None
    prev = toks[a - 1].text
    if prev in CLOSE_QUOTES or prev == ",":
        span = _trim_punct(toks, 0, a - 1)
        # Keep a closing quote that trails the comma: ',”'.
        return span if span[1] - span[0] >= 1 else None
    return None


def _ends_in_quote(toks: list[Token], a: int) -> bool:
    """Is the text before token a a quotation closed right there (',”' or '”')?"""
    for k in (a - 1, a - 2):
        if k >= 0 and toks[k].text in CLOSE_QUOTES:
            return True
        if k >= 0 and toks[k].text not in ",":
            return False
    return False


def _quote_after(toks: list[Token], k: int) -> tuple[int, int] | None:
    """'“A,” he said, “B.”': the quotation that resumes after the tag."""
    n = len(toks)
    if k + 1 < n and toks[k].text in ",:" and toks[k + 1].text in OPEN_QUOTES:
        span = _trim_punct(toks, k + 1, n - 1)
        return span if span[0] <= span[1] else None
    return None


def _clause_start(toks: list[Token], k: int, g: Grammar) -> int:
    """Index where the main clause before token k starts (after an introductory phrase)."""
    if toks and toks[0].low in g.prepositions | g.subordinators:
        for m in range(min(k, 12)):
            if toks[m].text == ",":
                return m + 1
    return 0


def _skip_appositive(toks: list[Token], k: int, g: Grammar) -> int:
    """After 'According to X', skip ', who oversees Y,' so the content starts at the claim."""
    n = len(toks)
    if k + 1 < n and toks[k].text == "," and toks[k + 1].low in g.relative_pronouns:
        for m in range(k + 2, n):
            if toks[m].text == ",":
                return m + 1
    return k


def _index_after(toks: list[Token], offset: int) -> int:
    for index, tok in enumerate(toks):
        if tok.start >= offset:
            return index
    return len(toks)


def _group_tokens(
    toks: list[Token], m: re.Match[str], group: str, base: int
) -> tuple[int, int] | None:
    if group not in m.re.groupindex or m.start(group) < 0 or m.start(group) == m.end(group):
        return None
    start, end = m.start(group) + base, m.end(group) + base
    inside = [i for i, t in enumerate(toks) if t.start >= start and t.end <= end]
    if not inside:
        return None
    return (inside[0], inside[-1])


def _before_comma(np: Sequence[Token]) -> Sequence[Token]:
    """The name part of a source with an appositive ("Kalachev" of "Kalachev, the head,")."""
    for index, tok in enumerate(np):
        if tok.text == "," and index > 0:
            return np[:index]
    return np


def _head(np: Sequence[Token], g: Grammar) -> Token | None:
    """The head noun: the last word before a preposition or relative clause, or the last word."""
    head = None
    enders = g.head_enders
    for tok in np:
        if tok.is_word:
            if head is not None and tok.low in enders:
                return head
            head = tok
    return head


def _has_person_name(np: Sequence[Token], head: Token) -> bool:
    """Two capitalised words in a row after the head word: a named person."""
    after = [t for t in np if t.start > head.start and t.is_word]
    caps = 0
    for tok in after:
        caps = caps + 1 if tok.is_cap else 0
        if caps >= 2:
            return True
    return False
