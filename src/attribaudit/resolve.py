"""Resolve pronoun, surname and role sources to the named source they refer to.

"He suggested" after "According to Valery Kalachev" resolves to Valery Kalachev by
coreference; "Kalachev noted" by surname; "The head of the NCB" by role. The rules are simple
and local, the way an editor reads: the nearest earlier compatible source wins, people for
"he"/"she" and roles, groups and organisations for "they"/"it".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .extract import Extractor
from .models import Attribution, Document, Kind, Resolution, Sentence, Span
from .rules import RuleSet
from .tokens import Grammar, Token, is_possessive, possessive_base, token_prefix, token_slice

# Two to four capitalised words: a full name ("Valery Kalachev", "John F. Kennedy").
# The first capital is not preceded by a word character, which is the word boundary `\b[A-Z]`
# would test, but tested after it: a pattern that opens with a character class lets the regex
# engine skip ahead to the next capital instead of trying the pattern at every position.
_FULL_NAME = re.compile(
    r"[A-Z](?<!\w[A-Z])[a-zà-ÿ’'\-]+(?:\s+(?:[A-Z]\.\s+)?(?:(?:de|van|von|al|bin|da|del|la|le)\s+)?[A-Z][a-zà-ÿ’'\-]+){1,5}\b"
)


DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# First and second person: inside a quotation they are its speaker, whom the text names elsewhere.
SPEAKER_PRONOUNS = frozenset({"i", "we", "you", "me", "us", "my", "our", "your"})
# Pronoun sources that are not reported when no antecedent is found.
UNRESOLVABLE = SPEAKER_PRONOUNS | {"it", "its"}
# Words that make a title another one: a vice president is not "the president".
_DEPUTIES = frozenset({"vice", "deputy", "assistant", "acting", "former", "ex"})
# The gender a third-person pronoun asks of the person it refers back to.
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}


@dataclass(slots=True)
class Entity:
    """Who a source is, once titles and pronouns are looked through."""

    text: str
    person: bool
    vague: bool
    span: Span | None
    # The roles its mentions gave it ("Sen. Ted Cruz": senator), for "the senator" to find.
    roles: frozenset[str] = frozenset()
    # "f" or "m" when a title, a role word or the first name says so, else None.
    gender: str | None = None


class Resolver:
    def __init__(self, rules: RuleSet, grammar: Grammar, extractor: Extractor) -> None:
        self.g = grammar
        self.extractor = extractor
        self.roles = rules.words("role_nouns")
        self.org_heads = rules.words("organisation_heads")
        self.titles = rules.words("person_titles")
        # Words a full name is indexed without, with what stands before them.
        self.name_prefixes = self.titles | self.roles
        # A name after one of these is a place ("in upstate New York"), not a person.
        self.place_words = rules.words("place_words")
        self.place_names = rules.words("place_names")
        self.thing_heads = rules.words("thing_heads")
        # What the name index leaves out, whole or by its last word.
        self.not_names = self.place_names | self.thing_heads
        # Title or role word -> the role it names ("sen." -> "senator"), for role matching.
        party_of = rules.forms("party_forms")
        self.role_of = rules.forms("role_forms") | party_of
        self.parties = frozenset(party_of.values())
        self.role_words = self.roles | self.titles | frozenset(self.role_of)
        # Titles and role words, and first names, that tell a woman from a man ("he", "she").
        self.gender_words = dict.fromkeys(rules.words("female_words"), "f")
        self.gender_words.update(dict.fromkeys(rules.words("male_words"), "m"))
        self.first_name_gender = dict.fromkeys(rules.words("female_first_names"), "f")
        self.first_name_gender.update(dict.fromkeys(rules.words("male_first_names"), "m"))
        # Capitalised at a sentence's start, these open no name ("Although Trump", "For
        # Trump"): the name index drops them from a name's front.
        self.name_openers = (
            grammar.prepositions
            | grammar.conjunctions
            | grammar.subordinators
            | grammar.clause_starters
            | grammar.determiners
            | grammar.possessives
            | grammar.pronouns
        )
        self.pronoun_sources = (
            grammar.person_pronouns | grammar.plural_pronouns | grammar.possessives
        )

    def resolve(
        self,
        doc: Document,
        sentences: Sequence[Sentence],
        attributions: list[Attribution],
        tokens: dict[int, list[Token]] | None = None,
    ) -> list[Attribution]:
        """Fill `resolved` on each attribution; return those whose pronoun found no antecedent.

        `tokens` holds sentence tokens by sentence index (from `Extractor.extract`); a source
        inside one is read from them instead of being tokenized again."""
        sentence_tokens = tokens or {}
        prose = doc.prose
        names, titled = self._name_index(prose)
        history: list[Entity] = []
        roles_seen: dict[str, frozenset[str]] = {}
        unresolved: list[Attribution] = []
        for attribution in attributions:
            if attribution.source is None or attribution.kind in (Kind.SOURCE_TAG, Kind.CREDIT):
                continue
            span = attribution.source
            shared = sentence_tokens.get(attribution.sentence)
            toks = token_slice(shared, span.start, span.end) if shared else None
            if toks is None:
                toks = self.g.tokenize(prose[span.start : span.end], span.start)
            # "Clinton, 35, the daughter of ...,": the name is before the appositive, and
            # before a parenthesis ("Rep. Bobby Scott (D-Va.)", "Ben Jacobs (@Bencjacobs)").
            comma = next((k for k, t in enumerate(toks) if t.text in ",(" and k > 0), None)
            appositive = toks[comma + 1 :] if comma is not None else []
            if comma is not None:
                toks = toks[:comma]
            if not toks:
                continue
            entity, via = self._entity(
                toks, attribution, sentences, prose, names, history, sentence_tokens, titled
            )
            named = self._named_in_appositive(toks, appositive) if appositive else None
            if named is not None:
                # "The state's campaign chairman, Phil Lovas, said": the role is the name's.
                entity, via = named, "name"
            if entity is not None:
                # A person keeps the roles every mention gave them ("Sen. Ted Cruz", then
                # "Cruz"), so that "the senator" later finds them.
                roles = self._roles(toks)
                if appositive:
                    roles |= self._roles(appositive)
                seen = roles_seen.get(entity.text)
                if roles or seen:
                    known = roles | seen if seen else roles
                    if known != entity.roles:
                        entity = replace(entity, roles=known)
                    roles_seen[entity.text] = known
            if (
                via is None
                and comma is not None
                and entity is not None
                and not entity.vague
                and self._name(toks) is not None
                and toks[0].low not in self.g.determiners
            ):
                # "Piet Haverkamp, the authority's operations director": the source is the name
                # before its appositive, so reports and the corpus summary count one source.
                via = "name"
            if entity is None:
                # "it" may be the situation, not a source; a quotation's speaker is not in the text.
                if toks[0].low in self.pronoun_sources and toks[0].low not in UNRESOLVABLE:
                    unresolved.append(attribution)
                continue
            if via is not None:
                attribution.resolved = Resolution(entity.text, via, entity.span)
                if entity.vague and attribution.kind is not Kind.VAGUE:
                    attribution.kind = Kind.VAGUE
                    attribution.vague_by = entity.text
            history.append(entity)
        return unresolved

    # -- one source ---------------------------------------------------------------------------
    def _entity(
        self,
        toks: list[Token],
        attribution: Attribution,
        sentences: Sequence[Sentence],
        prose: str,
        names: dict[str, list[tuple[int, str]]],
        history: list[Entity],
        sentence_tokens: dict[int, list[Token]],
        titled_names: dict[str, list[tuple[int, str]]],
    ) -> tuple[Entity | None, str | None]:
        g = self.g
        first = toks[0].low
        if len(toks) == 1 and (first in g.person_pronouns or first in g.possessives):
            if first in SPEAKER_PRONOUNS:
                return None, None  # the speaker of a quotation; nothing to resolve in the text
            if first == "its":
                return self._nearest(history, person=False), "coreference"
            if first == "their":
                return self._nearest(history, person=False, plural=True), "coreference"
            gender = PRONOUN_GENDER.get(first)
            speaker = self._nearest(history, person=True, gender=gender)
            if speaker is None:
                # No person has spoken yet: the latest full name in the text ("Kalachev spoke
                # on Monday. He said ...").
                speaker = self._latest_person(names, toks[0].start, gender)
            return speaker, "coreference"
        if len(toks) == 1 and first in g.plural_pronouns:
            return self._nearest(history, person=False, plural=first != "it"), "coreference"
        if len(toks) == 1 and (first in g.relative_pronouns or first in g.restricted_relatives):
            return (
                self._relative_antecedent(attribution, sentences, prose, sentence_tokens),
                "coreference",
            )
        vague = attribution.kind is Kind.VAGUE
        words = [t for t in toks if t.is_word]
        # An organisation word before a person's title is the title's ("House Speaker Paul
        # Ryan", "Interior Ministry spokesman"): only the words after the last title count.
        titled = [k for k, t in enumerate(words) if t.low in self.titles]
        lows = {t.low for t in words[titled[-1] + 1 :]} if titled else {t.low for t in words}
        is_org = bool(lows & self.org_heads)
        # A role phrase with no name in it: "the head of the NCB", "the minister".
        # Its head may follow an organisation word: "the ministry spokesman" is a person; a
        # name before its role word says where the person is from ("the New York businessman").
        if (
            first in g.determiners
            and (
                words[-1].low in self.roles
                or (not is_org and any(t.low in self.roles for t in words))
            )
            and (not _capitalised_run(toks[1:], 2) or self._name_before_role(toks, words))
        ):
            # Only a definite role refers back ("the minister"); "a board spokesman" is someone
            # new, whom later pronouns may refer to.
            antecedent = (
                self._nearest_in_role(history, self._roles(toks), titled_names, toks[0].start)
                if first in DEFINITE
                else None
            )
            if antecedent is not None:
                return antecedent, "role"
            # No one named before it: the role itself is the person later pronouns refer to
            # ("the mega donor didn't disclose ... he did say").
            text = _text(prose, toks)
            return Entity(text, True, vague, _tokspan(toks), gender=self._gender(toks)), None
        name = None if vague else self._name(toks)
        if name is not None and name[1][-1] is not words[-1] and words[-1].low not in self.roles:
            # "the Russian position": the capitalised word modifies a common noun; no name.
            name = None
        if name is None:
            return Entity(_text(prose, toks), False, vague, _tokspan(toks)), None
        name_text, name_toks = name
        # A place or a thing ("the Patriot Act") is nobody.
        nobody = name_text.lower() in self.place_names or name_toks[-1].low in self.thing_heads
        person = (
            not is_org
            and not nobody
            and (len(name_toks) >= 2 or any(t.low in self.titles for t in toks))
        )
        if len(name_toks) == 1 and not is_org and not nobody:
            # A bare surname: the latest full name ending in it ("PENCE:" in a transcript
            # too).
            full = _latest(names, name_toks[0].low, toks[0].start)
            if full is not None:
                span = Span(full[0], full[0] + len(full[1]))
                gender = self._gender(toks, full[1])
                return Entity(full[1], True, False, span, gender=gender), "surname"
            # An acronym with no full name ending in it ("FBI", "NAACP") is no person.
            person = not (len(name_text) > 1 and name_text.isupper())
        entity = Entity(
            name_text,
            person,
            vague,
            Span(name_toks[0].start, name_toks[-1].end),
            gender=self._gender(toks, name_text) if person else None,
        )
        # A person's name without the title ("Spokeswoman Haley Morris" -> "Haley Morris").
        via = "name" if person and name_text != _text(prose, toks) else None
        return entity, via

    def _name_before_role(self, toks: list[Token], words: list[Token]) -> bool:
        """Do the capitalised words of the phrase all stand before its last word, a role
        ("A New York judge", "the Texas senator"), rather than after it ("the spokesman
        Dmitry Peskov")?"""
        name = self._name(toks)
        return name is not None and name[1][-1] is not words[-1] and words[-1].low in self.roles

    def _name(self, toks: list[Token]) -> tuple[str, list[Token]] | None:
        """The proper name inside a source phrase, titles and determiners stripped."""
        run: list[Token] = []
        best: list[Token] = []
        for k, tok in enumerate(toks):
            if not run and k >= 2 and toks[k - 1].low == "of" and toks[k - 2].low in self.titles:
                continue  # "Secretary of State John F. Kerry": "State" is the title's
            if (
                (
                    tok.is_word
                    and tok.is_cap
                    and tok.low not in self.titles
                    and tok.low not in self.g.determiners
                )
                or (run and tok.low in self.g.np_inner and not tok.is_cap)
                # The period of a middle initial ("Jacob J. Lew").
                or (run and tok.text == "." and len(run[-1].text) == 1 and run[-1].is_cap)
            ):
                run.append(tok)
            else:
                if run:
                    best = run
                run = []
        if run:
            best = run
        while best and not best[-1].is_cap:
            best.pop()
        if not best or (len(best) == 1 and best[0].low in self.extractor.time_words):
            # "a loss on Wednesday, which": a day or a month alone names no one.
            return None
        text = "".join(
            t.text if k == 0 or t.text == "." else " " + t.text for k, t in enumerate(best)
        )
        base = possessive_base(best[-1].low)
        if base is not None:
            text = text[: len(text) - (len(best[-1].text) - len(base))]
        return text, best

    def _roles(self, toks: Sequence[Token]) -> frozenset[str]:
        """The roles a source phrase names, normalised ("Sen." and "senator": senator)."""
        role_of, role_words = self.role_of, self.role_words
        return frozenset(role_of.get(t.low, t.low) for t in toks if t.low in role_words)

    def _nearest_in_role(
        self,
        history: list[Entity],
        roles: frozenset[str],
        titled: dict[str, list[tuple[int, str]]],
        before: int,
    ) -> Entity | None:
        """The person "the senator" refers back to: of the recent people given any of the same
        roles, the one given the most ("the Democratic nominee": a Democrat and a nominee),
        the nearest of those; else the latest name the text gave that title ("President Barack
        Obama" for "the president", though he was no source yet); else the nearest person. A
        party in the role rules out people given another party."""
        best, most = None, 0
        parties = roles & self.parties
        for entity in reversed(history[-12:]) if roles else ():
            if not entity.person or (parties and not (entity.roles & self.parties) <= parties):
                continue  # "the Democratic candidate" is not the Republican one
            shared = len(entity.roles & roles)
            if shared > most:
                best, most = entity, shared
        if best is not None:
            return best
        latest = max(
            (
                mention
                for role in roles - self.parties
                for mention in titled.get(role, ())
                if mention[0] < before
            ),
            default=None,
        )
        if latest is not None:
            offset, name = latest
            return Entity(name, True, False, Span(offset, offset + len(name)), roles=roles)
        if parties:
            # Only people of no other party: the nearest such.
            for entity in reversed(history[-12:]):
                if entity.person and (entity.roles & self.parties) <= parties:
                    return entity
            return None
        return self._nearest(history, person=True)

    def _named_in_appositive(self, toks: list[Token], appositive: Sequence[Token]) -> Entity | None:
        """The person a role phrase names in its appositive ("the state's campaign chairman,
        Phil Lovas,"), or None: a full name of two words or more opening the appositive."""
        first = toks[0].low
        if not (first in self.g.determiners or first in self.g.possessives or is_possessive(first)):
            return None
        if not any(t.low in self.roles for t in toks):
            return None
        name = self._name(list(appositive))
        words = [t for t in appositive if t.is_word and t.low not in self.titles]
        if name is None or len(name[1]) < 2 or not words or name[1][0] is not words[0]:
            return None
        span = Span(name[1][0].start, name[1][-1].end)
        return Entity(
            name[0], True, False, span, gender=self._gender([*toks, *appositive], name[0])
        )

    def _gender(self, toks: Sequence[Token], name: str = "") -> str | None:
        """A person's gender as the text gives it: a title or role word ("Ms.", "spokesman"),
        else the first name of `name`; None when neither says."""
        for tok in toks:
            found = self.gender_words.get(tok.low)
            if found is not None:
                return found
        first = name.split(" ", 1)[0].lower() if " " in name else ""
        return self.first_name_gender.get(first)

    def _name_index(
        self, prose: str
    ) -> tuple[dict[str, list[tuple[int, str]]], dict[str, list[tuple[int, str]]]]:
        """The document's full names: last word (lower-case) -> [(offset, full name)] for
        person-like names, and role -> [(offset, name)] for names a title opened ("President
        Barack Obama" under president, a surname being enough there), for "the president".

        Titles and what stands before them are cut off: "Russian Interior Minister Vladimir
        Kolokoltsev" is indexed as "Vladimir Kolokoltsev"; so are `name_openers`, words
        capitalised only because a sentence starts with them ("Although Trump" is not a full
        name). A name after one of `place_words` is a place ("in upstate New York") and is
        left out, as is one `not_names` holds, whole or by its last word ("United States",
        "Patriot Act")."""
        index: dict[str, list[tuple[int, str]]] = {}
        titled: dict[str, list[tuple[int, str]]] = {}
        org_heads, titles, openers = self.org_heads, self.name_prefixes, self.name_openers
        place_words, not_names, role_of = self.place_words, self.not_names, self.role_of
        for m in _FULL_NAME.finditer(prose):
            start = m.start()
            if start > 1 and prose[start - 1] == " ":
                # The word before, found with string methods: this runs for every capitalised
                # run.
                space = prose.rfind(" ", max(0, start - 14), start - 1)
                if prose[space + 1 : start - 1].lower() in place_words:
                    continue
            found = m.group()
            words = found.split()
            lows = found.lower().split()
            if not org_heads.isdisjoint(lows):
                continue
            cut = 0
            for i, low in enumerate(lows):
                # (_FULL_NAME's words hold no period: "Sen." matches as "Sen".)
                if low in titles or (i == cut and low in openers):
                    cut = i + 1
            words = words[cut:]
            if not words:
                continue
            offset = start + found.index(words[0])
            last = lows[-1]
            base = possessive_base(last)
            name = " ".join(words)
            if base is not None:
                name = name[:-2]
            # "President Obama", not "Vice President Joseph Biden".
            for k in range(cut):
                role = role_of.get(lows[k])
                if role is not None and (k == 0 or lows[k - 1] not in _DEPUTIES):
                    titled.setdefault(role, []).append((offset, name))
            if len(words) >= 2 and name.lower() not in not_names and last not in not_names:
                index.setdefault(base or last, []).append((offset, name))
        return index, titled

    def _latest_person(
        self, names: dict[str, list[tuple[int, str]]], before: int, gender: str | None
    ) -> Entity | None:
        """The full name (two words or more) mentioned last before an offset whose first name
        does not say another gender, if any."""
        best: tuple[int, str] | None = None
        for mentions in names.values():
            for offset, full in mentions:
                if offset >= before:
                    break
                if len(full.split()) < 2 or (best is not None and offset <= best[0]):
                    continue
                found = self._gender((), full)
                if gender is None or found is None or found == gender:
                    best = (offset, full)
        if best is None:
            return None
        span = Span(best[0], best[0] + len(best[1]))
        return Entity(best[1], True, False, span, gender=self._gender((), best[1]))

    def _nearest(
        self,
        history: list[Entity],
        *,
        person: bool,
        plural: bool = False,
        gender: str | None = None,
    ) -> Entity | None:
        for entity in reversed(history[-12:]):
            if entity.person == person:
                if gender is not None and entity.gender not in (None, gender):
                    # "she" does not refer back to Mr. Trump. (Preferring the people the text
                    # marks as women over the unmarked ones was measured and dropped: it passed
                    # over men whose first name is in neither list, "Jeh Johnson".)
                    continue
                return entity
            if not person and plural and entity.vague:
                return entity
        return None

    def _relative_antecedent(
        self,
        attribution: Attribution,
        sentences: Sequence[Sentence],
        prose: str,
        sentence_tokens: dict[int, list[Token]],
    ) -> Entity | None:
        """'Valery Kalachev, who oversees ...': the noun phrase before ', who'."""
        sentence = sentences[attribution.sentence]
        assert attribution.source is not None
        shared = sentence_tokens.get(attribution.sentence)
        toks = token_prefix(shared, attribution.source.start) if shared else None
        if toks is None:
            toks = self.g.tokenize(
                prose[sentence.span.start : attribution.source.start], sentence.span.start
            )
        np = self.extractor.antecedent(toks, len(toks))
        if np is None:
            return None
        np_toks = toks[np[0] : np[1] + 1]
        if len(np_toks) == 1 and np_toks[0].low in self.extractor.time_words:
            return None  # "a loss on Wednesday, which": no one
        name = self._name(np_toks)
        text = name[0] if name else " ".join(t.text for t in np_toks)
        person = name is not None and len(name[1]) >= 2
        return Entity(text, person, False, _tokspan(np_toks))


def _latest(
    names: dict[str, list[tuple[int, str]]], surname: str, before: int
) -> tuple[int, str] | None:
    surname = possessive_base(surname) or surname
    best = None
    for offset, full in names.get(surname, ()):
        if offset >= before:
            break
        if len(full.split()) >= 2:
            best = (offset, full)
    return best


def _capitalised_run(toks: Sequence[Token], length: int) -> bool:
    run = 0
    for tok in toks:
        run = run + 1 if tok.is_word and tok.is_cap else 0
        if run >= length:
            return True
    return False


def _tokspan(toks: Sequence[Token]) -> Span:
    return Span(toks[0].start, toks[-1].end)


def _text(prose: str, toks: Sequence[Token]) -> str:
    return prose[toks[0].start : toks[-1].end]
