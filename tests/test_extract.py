"""Extraction behaviours added for PolNeAR accuracy, on sentences written for these tests."""

from __future__ import annotations

import pytest

from attribaudit.engine import Engine
from attribaudit.models import Kind, Status
from attribaudit.tokens import quote_regions


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _cues(engine: Engine, text: str) -> list[str]:
    """The cue text of each attribution found in `text`, in order."""
    return [a["cue"] for a in _attributions(engine, text)[1]]


def _attributions(engine: Engine, text: str):
    result = engine.audit_text(text)
    doc = result.document
    assert doc is not None
    out = []
    for a in result.attributions:
        out.append(
            {
                "cue": doc.text[a.cue.start : a.cue.end],
                "source": doc.text[a.source.start : a.source.end] if a.source else None,
                "content": [doc.text[c.start : c.end] for c in a.content],
                "kind": a.kind,
            }
        )
    return result, out


def test_quote_regions_continue_across_quoted_paragraphs() -> None:
    text = "“First part. Second part.\n“Third part,” she said.\nPlain line."
    paragraphs = [(0, 25), (26, 49), (50, 61)]
    assert [text[a:b] for a, b in quote_regions(text, paragraphs)] == [
        "“First part. Second part.\n“Third part,”"
    ]


def test_content_takes_in_a_quotation_of_several_sentences(engine: Engine) -> None:
    text = (
        "“The budget is late. The committee has not met. "
        "The members are on holiday. Nobody will vote before May,” Ortega said."
    )
    result, found = _attributions(engine, text)
    said = [a for a in found if a["cue"] == "said"]
    assert said and said[0]["source"] == "Ortega"
    assert said[0]["content"][0].startswith("“The budget is late.")
    assert all(s.status is Status.ATTRIBUTED for s in result.sentences)


def test_cue_inside_an_attributed_quotation_is_not_a_second_attribution(engine: Engine) -> None:
    _, found = _attributions(engine, "“I think the plan will pass,” Ortega said on Monday.")
    assert [a["cue"] for a in found] == ["said"]


def test_belief_inside_reported_speech_is_part_of_it(engine: Engine) -> None:
    _, found = _attributions(engine, "Ortega said he thinks the harbour levy will fail.")
    assert [(a["cue"], a["source"]) for a in found] == [("said", "Ortega")]
    # On its own, or beside speech it is not part of, the belief is an attribution.
    _, found = _attributions(engine, "Ortega thinks the levy will fail, and Ruiz said so too.")
    assert [a["cue"] for a in found] == ["thinks", "said"]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "“We are ready,” said Robert Klein, chairman of the harbour board.",
            "Robert Klein, chairman of the harbour board",
        ),
        ("“We are ready,” said Robert Klein, adding that the board would meet.", "Robert Klein"),
        ("“We are ready,” said Robert Klein, but nobody listened.", "Robert Klein"),
    ],
)
def test_inverted_speaker_takes_in_an_appositive(engine: Engine, text: str, source: str) -> None:
    _, found = _attributions(engine, text)
    assert [a["source"] for a in found if a["cue"] == "said"] == [source]


def test_appositive_naming_a_body_does_not_make_a_person_an_unknown_organisation(
    engine: Engine,
) -> None:
    result = engine.audit_text(
        "“We will strike,” said Hélène Marchetti, the union's general secretary."
    )
    assert [a.rule for a in result.attributions] == ["speech-verb"]
    assert not [f for f in result.findings if f.rule == "unknown-source"]


def test_participle_after_a_speech_cue_goes_on_with_its_speaker(engine: Engine) -> None:
    _, found = _attributions(
        engine, "“We will win,” Ortega said at a rally in Leeds, adding that the levy would fall."
    )
    assert [(a["cue"], a["source"]) for a in found] == [("said", "Ortega"), ("adding", "Ortega")]
    assert found[1]["content"] == ["the levy would fall"]


def test_source_keeps_its_parenthesised_party(engine: Engine) -> None:
    _, found = _attributions(engine, "Sen. Mary Fulton (D-Ore.) said the vote was rushed.")
    assert found[0]["source"] == "Sen. Mary Fulton (D-Ore.)"
    assert found[0]["content"] == ["the vote was rushed"]


def test_source_takes_in_a_long_appositive(engine: Engine) -> None:
    text = (
        "Mary Fulton, a retired teacher who ran the county party for a decade, "
        "said the vote was rushed."
    )
    _, found = _attributions(engine, text)
    assert found[0]["source"].startswith("Mary Fulton, a retired teacher")
    assert found[0]["cue"] == "said"


def test_numbers_can_be_sources(engine: Engine) -> None:
    _, found = _attributions(engine, "In the survey, 47 percent said the economy was improving.")
    assert found[0]["source"] == "47 percent"


def test_doubled_apostrophes_quote_an_inverted_tag(engine: Engine) -> None:
    _, found = _attributions(engine, "''We are not done yet,'' said Mary Fulton, the mayor.")
    assert found[0]["source"].startswith("Mary Fulton")


def test_particles_belong_to_their_verb_only(engine: Engine) -> None:
    _, found = _attributions(engine, "Ortega called for a new vote on the budget.")
    assert found[0]["cue"] == "called for"
    _, found = _attributions(engine, "Ortega said on Friday that the vote was rushed.")
    assert found[0]["cue"] == "said"
    _, found = _attributions(engine, "Ortega called out the council for rushing the vote.")
    assert found[0]["cue"] == "called out"
    _, found = _attributions(engine, "Ortega hinted at a new vote on the budget.")
    assert found[0]["cue"] == "hinted at"


def test_passive_subject_is_not_the_speaker(engine: Engine) -> None:
    _, found = _attributions(engine, "The mayor was told that the vote had been rushed.")
    assert not any(a["source"] == "The mayor" for a in found)


def test_expectation_passive_is_vague(engine: Engine) -> None:
    _, found = _attributions(engine, "The mayor is expected to veto the budget next week.")
    assert found and found[0]["cue"] == "is expected" and found[0]["kind"] is Kind.VAGUE


def test_noun_homograph_is_not_a_cue(engine: Engine) -> None:
    _, found = _attributions(engine, "The cooking show drew a large audience on Sunday night.")
    assert found == []
    _, found = _attributions(engine, "Recent polls show the mayor ahead by nine points.")
    assert found and found[0]["cue"] == "show"


def test_according_to_plan_names_no_source(engine: Engine) -> None:
    _, found = _attributions(engine, "The bridge opened on Tuesday, according to plan.")
    assert found == []


def test_gerund_after_of_is_not_a_cue(engine: Engine) -> None:
    # "planning" is a cognition form, but after "of" it is a noun with no holder.
    text = "The dispute reflects a deeper failure of planning at the council."
    _, found = _attributions(engine, text)
    assert found == []


def test_headline_colon_names_the_speaker(engine: Engine) -> None:
    _, found = _attributions(engine, "Graham: Trump’s Rhetoric Is Destroying the Party’s Chances.")
    assert [(a["cue"], a["source"]) for a in found] == [(":", "Graham")]
    _, found = _attributions(engine, "The Latest: Sanders wins the Minnesota caucuses.")
    assert found == []


def test_subject_at_clause_start_is_the_speaker_past_a_time_phrase(engine: Engine) -> None:
    text = "Mary Fulton on Tuesday dismissed the council's budget as a gimmick."
    _, found = _attributions(engine, text)
    assert [(a["cue"], a["source"]) for a in found] == [("dismissed", "Mary Fulton")]


def test_subject_at_clause_start_speaks_after_a_first_predicate(engine: Engine) -> None:
    text = "The judge rubbed his chin, and then said the hearing was over."
    result, found = _attributions(engine, text)
    assert [(a["cue"], a["source"]) for a in found] == [("then said", "The judge")]
    assert result.sentences[0].status is Status.ATTRIBUTED


def test_clause_subject_fallback_skips_nouns_and_participles(engine: Engine) -> None:
    # "reports" is a noun homograph (no_subject_fallback), "accused by" a participle after a
    # comma: neither makes the clause's subject a speaker.
    _, found = _attributions(engine, "Mary Fulton and her staff read the reports on Monday.")
    assert found == []
    text = "An Ohio professor, accused by the government of fraud, left the country."
    _, found = _attributions(engine, text)
    assert not any(a["source"] == "An Ohio professor" for a in found)


def test_first_person_belief_is_not_an_attribution(engine: Engine) -> None:
    _, found = _attributions(engine, "I think the council should pass the budget this week.")
    assert found == []
    _, found = _attributions(engine, "Ortega thinks the council should pass the budget.")
    assert [(a["cue"], a["source"]) for a in found] == [("thinks", "Ortega")]


def test_appositive_with_a_role_noun_and_a_relative_clause(engine: Engine) -> None:
    _, found = _attributions(
        engine, "Vikram Amar, dean of the state law school, said the court had changed."
    )
    assert found[0]["source"].startswith("Vikram Amar, dean of")
    text = "Parker Eaton, a farmer who voted for Kennedy, said the race was close."
    _, found = _attributions(engine, text)
    assert found[0]["source"].startswith("Parker Eaton, a farmer who voted")
    text = "Chelsea Fulton, 35, the daughter of the former mayor, said on Monday that it was fine."
    _, found = _attributions(engine, text)
    assert found[0]["source"].startswith("Chelsea Fulton, 35, the daughter")


# Texts where a scouted pattern rule must find exactly what its regex alone finds: odd white
# space, case-blind letters the regex matches ("İs", "ſ"), hits next to each other.
_SCOUT_TEXTS = [
    "Concerns   \n are raised about it. Fears İs voiced here, and DOUBTS HAVE BEEN voiced.",
    "Concerns were raised by the minister. Members are voiced members are voiced.",
    "The minister is said to be furious; they’s widely thought to win. He was set  to go.",
    "x concerns is is raised, hopes being voiced_ and ſuggestions were voiced",
]


@pytest.mark.parametrize("rule_id", ["agentless-passive", "said-to-be"])
def test_scouted_pattern_finds_what_its_regex_finds(engine: Engine, rule_id: str) -> None:
    from attribaudit.extract import finditer_after_word, scouted_finditer

    extractor = engine.extractor
    assert rule_id in extractor.scouts
    pattern = next(p for p, r in extractor.patterns if r.id == rule_id)
    scout = extractor.scouts[rule_id]
    found_any = False
    for text in _SCOUT_TEXTS:
        if rule_id in extractor.scouts_after_word:
            got = finditer_after_word(pattern, text, scout)
        else:
            got = scouted_finditer(pattern, text, scout)
        expected = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in got] == expected, text
        found_any = found_any or bool(expected)
    assert found_any


# Tokens the tokenizer's fast paths (a plain word, a common mark) must leave as the full token
# pattern finds them: titles and initials with their '.', apostrophes, hyphens, digits.
_TOKENIZER_TEXTS = [
    "Mr. Smith met Sen.Jones at 10:30 a.m. in the U.S. on Jan. 5, 2019.",
    "O’Malley’s well-known voters’ views, the ''quote'' and ``another'' (3.5%) — fine.",
    "Dr.\nWho said: “no”; Gov. x A. B. Mr.-x Mr’s. word_9 İstanbul ſome K",
    "Mr.",
    "end with Mr",
]


@pytest.mark.parametrize("text", _TOKENIZER_TEXTS)
def test_tokenizer_fast_paths_find_the_full_patterns_tokens(engine: Engine, text: str) -> None:
    import re

    g = engine.extractor.g
    plain = re.compile(rf"((?=\S)(?:{g._token_re.pattern}))")
    for cut in range(len(text) + 1):
        for part in (text[:cut], text[cut:]):
            pieces = g._token_split_re.split(part)
            assert pieces == plain.split(part)
            # Only white space lies between tokens: the tokenizer's offsets rely on it.
            assert all(not piece.strip() for piece in pieces[::2])


def test_quote_mark_pattern_finds_the_plain_alternations_marks() -> None:
    import re

    from attribaudit.tokens import _QUOTE_MARK

    plain = re.compile(r"''|``|[“”\"«»]")
    text = "a''b'''c``d`e'f“g”h\"i«j»k '` `' ''"
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            got = [m.span() for m in _QUOTE_MARK.finditer(text, start, end)]
            assert got == [m.span() for m in plain.finditer(text, start, end)]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("“The levy is fair,” said one harbour pilot.", "one harbour pilot"),
        ("The levy is fair, said several ferry captains.", "several ferry captains"),
        ("“The levy is fair,” said former Gov. Anna Berg.", "former Gov. Anna Berg"),
        ("“The levy is fair,” said pollster Frank Lind.", "pollster Frank Lind"),
    ],
)
def test_inverted_speaker_opened_by_a_quantifier_title_or_role(
    engine: Engine, text: str, source: str
) -> None:
    _, found = _attributions(engine, text)
    assert [a["source"] for a in found if a["cue"] == "said"] == [source]


def test_subject_inside_a_quotation_is_not_the_speaker(engine: Engine) -> None:
    # The speaker after the verb is not a phrase the matcher can take; "It" is not a source.
    _, found = _attributions(engine, "“It is fair,” said six-million voters who paid it.")
    assert all(a["source"] != "It" for a in found)


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Ortega, meanwhile, said the levy was fair.", "Ortega"),
        ("Ortega, for example, said the levy was fair.", "Ortega"),
        ("Judge Ana Ortega, in her dissent, said the levy was fair.", "Judge Ana Ortega"),
    ],
)
def test_aside_between_commas_is_skipped_not_taken_in(
    engine: Engine, text: str, source: str
) -> None:
    _, found = _attributions(engine, text)
    assert [a["source"] for a in found if a["cue"] == "said"] == [source]


def test_a_name_ending_in_ly_is_not_an_adverb(engine: Engine) -> None:
    _, found = _attributions(engine, "Kelly said the levy was fair.")
    assert [(a["cue"], a["source"]) for a in found] == [("said", "Kelly")]
    # A lower-case adverb between subject and verb is still skipped.
    _, found = _attributions(engine, "Ortega quickly said the levy was fair.")
    assert [a["source"] for a in found] == ["Ortega"]


def test_counted_unnamed_source_is_vague(engine: Engine) -> None:
    _, found = _attributions(engine, "Several shipping firms said the levy was unfair.")
    assert [(a["source"], a["kind"]) for a in found] == [("Several shipping firms", Kind.VAGUE)]


def test_bare_organisation_word_after_the_claim_is_the_speaker(engine: Engine) -> None:
    _, found = _attributions(engine, "A girl was hurt by another bystander, police said.")
    assert [(a["cue"], a["source"]) for a in found] == [("said", "police")]


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        # An -ing form never inverts: the speaker is the clause's subject, not "he".
        (
            "Senator Anna Berg endorsed Ortega last week, saying he had done well.",
            "saying",
            "Senator Anna Berg",
        ),
        # A verb that takes a noun object has no inverted speaker after it.
        (
            "Ortega, a ferry captain, called the levy a disgrace.",
            "called",
            "Ortega, a ferry captain,",
        ),
        # After a particle, the phrase is the object ("asked about the deaths").
        (
            "Mr. Ortega, asked about the levy, said the harbour needed it.",
            "said",
            "Mr. Ortega",
        ),
    ],
)
def test_no_inverted_speaker_where_the_phrase_after_the_verb_is_its_object(
    engine: Engine, text: str, cue: str, source: str
) -> None:
    _, found = _attributions(engine, text)
    assert (cue, source) in [(a["cue"], a["source"]) for a in found]
    assert all(a["source"] not in ("he", "the levy", "the levy a disgrace") for a in found)


def test_appositive_opened_by_modifiers_of_a_role_word(engine: Engine) -> None:
    text = "Fr. Frank Ortega, national director of Harbour Watch, criticized the levy."
    _, found = _attributions(engine, text)
    assert [a["source"].rstrip(",") for a in found] == [
        "Fr. Frank Ortega, national director of Harbour Watch"
    ]


def test_second_predicate_after_and_keeps_the_speaker(engine: Engine) -> None:
    text = "Union leaders distrust him because he favors the levy and opposes a wage increase."
    _, found = _attributions(engine, text)
    assert [(a["cue"], a["source"], a["content"]) for a in found] == [
        ("favors", "he", ["the levy"]),
        ("opposes", "he", ["a wage increase"]),
    ]


def test_first_person_cue_inside_a_quotation_is_the_quotations_speaker(engine: Engine) -> None:
    # "believe" and "told" inside the quotation are Ortega's words, not attributions of
    # their own; the quotation's speaker is the only source.
    text = "“We told them no, and I believe the levy is dead,” Ortega said."
    _, found = _attributions(engine, text)
    assert [(a["cue"], a["source"]) for a in found] == [("said", "Ortega")]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "The levy will rise again, according to officials familiar with the budget.",
            "officials familiar with the budget",
        ),
        (
            "The levy will rise again, according to people close to the council.",
            "people close to the council",
        ),
    ],
)
def test_according_to_a_source_with_a_modifier_after_its_head(
    engine: Engine, text: str, source: str
) -> None:
    _, found = _attributions(engine, text)
    assert [(a["cue"], a["source"]) for a in found] == [("according to", source)]


def test_degree_word_before_an_adverb_is_not_the_source(engine: Engine) -> None:
    _, found = _attributions(engine, "Ortega most recently said the levy was unfair.")
    assert [(a["source"], a["kind"]) for a in found] == [("Ortega", Kind.DIRECT)]


def test_first_person_belief_in_an_interview_answer_is_the_interviewee(engine: Engine) -> None:
    text = (
        "Q: Will the council pass the levy?\n\n"
        "A: I think the council will pass it this week.\n\n"
        "And I believe the harbour wall comes first.\n\n"
        "Q: Why?\n\n"
        "I think the ferries will leave without it.\n"
    )
    _, found = _attributions(engine, text)
    # The answer and the unlabelled paragraph that continues it; not after the next question.
    assert [(a["cue"], a["source"]) for a in found] == [("think", "I"), ("believe", "I")]


def test_cue_verb_form_after_a_determiner_ends_a_subject(engine: Engine) -> None:
    _, found = _attributions(engine, "The reports show that the levy was paid twice.")
    assert [(a["cue"], a["source"]) for a in found] == [("show", "The reports")]


def test_evidence_subject_keeps_its_prepositional_tail(engine: Engine) -> None:
    _, found = _attributions(engine, "Results from the districts showed that Berg had won.")
    assert [(a["cue"], a["source"]) for a in found] == [("showed", "Results from the districts")]


def test_plural_noun_challenges_is_not_a_cue(engine: Engine) -> None:
    _, found = _attributions(engine, "The divide poses challenges for the mayor this winter.")
    assert found == []
    _, found = _attributions(engine, "Berg challenged the council to publish the accounts.")
    assert [(a["cue"], a["source"]) for a in found] == [("challenged", "Berg")]


def test_topic_particle_stands_for_the_clause(engine: Engine) -> None:
    _, found = _attributions(engine, "Berg talked about the harbour wall for an hour.")
    assert [(a["cue"], a["source"]) for a in found] == [("talked about", "Berg")]
    # "voted for" takes a side; it reports no speech.
    _, found = _attributions(engine, "Berg voted for the levy in 2019.")
    assert found == []


def test_adverb_between_auxiliaries_and_verb_belongs_to_the_cue(engine: Engine) -> None:
    _, found = _attributions(engine, "Berg may not fully understand the council's worries.")
    assert [(a["cue"], a["source"]) for a in found] == [("may not fully understand", "Berg")]
    # A hearsay adverb there is a cue of its own.
    _, found = _attributions(engine, "Several firms have reportedly threatened to leave.")
    assert ("reportedly", None) in [(a["cue"], a["source"]) for a in found]
    assert ("threatened", "Several firms") in [(a["cue"], a["source"]) for a in found]


def test_document_subject_keeps_a_phrase_saying_who_made_it_or_when(engine: Engine) -> None:
    _, found = _attributions(
        engine, "A Harbour Gazette poll of river towns released on Tuesday showed Berg ahead."
    )
    assert [(a["cue"], a["source"]) for a in found] == [
        ("showed", "A Harbour Gazette poll of river towns released on Tuesday")
    ]
    _, found = _attributions(engine, "A council survey out this week shows the levy is unpopular.")
    assert [a["source"] for a in found] == ["A council survey out this week"]
    # A clause of its own between the document and the verb is not part of the subject.
    _, found = _attributions(engine, "The closure of the mine shows how badly it went.")
    assert found == []


def test_slash_joins_the_names_in_a_subject(engine: Engine) -> None:
    _, found = _attributions(engine, "A Gazette/Courier poll found Berg ahead by four points.")
    assert [(a["cue"], a["source"]) for a in found] == [("found", "A Gazette/Courier poll")]


def test_noun_homograph_is_a_verb_after_an_adverb_or_a_plural_subject_with_a_tail(
    engine: Engine,
) -> None:
    _, found = _attributions(engine, "Harbour voters overwhelmingly support the new levy.")
    assert [(a["cue"], a["source"]) for a in found] == [("support", "Harbour voters")]
    _, found = _attributions(engine, "Polls in the river towns show Berg ahead by four points.")
    assert [(a["cue"], a["source"]) for a in found] == [("show", "Polls in the river towns")]
    _, found = _attributions(engine, "Data show that the levy was paid twice.")
    assert [(a["cue"], a["source"]) for a in found] == [("show", "Data")]
    # After a preposition with a singular noun before it, the word is still a noun.
    _, found = _attributions(engine, "The rise in support for the levy surprised the council.")
    assert found == []
    _, found = _attributions(engine, "The mayor sits at 40 percent support among river voters.")
    assert found == []


def test_relative_that_is_a_source_only_after_a_speaker_word(engine: Engine) -> None:
    _, found = _attributions(
        engine, "The council released a video that accuses Berg of hiding the accounts."
    )
    assert [(a["cue"], a["source"]) for a in found] == [("accuses", "that")]
    _, found = _attributions(engine, "It was the issue that seemed to baffle the judge most.")
    assert found == []


def test_people_with_a_participle_saying_which_ones_are_the_source(engine: Engine) -> None:
    _, found = _attributions(engine, "People briefed on the move said the levy would stay.")
    assert [(a["cue"], a["source"]) for a in found] == [("said", "People briefed on the move")]


@pytest.mark.parametrize(
    ("text", "source", "kind"),
    [
        # A possessive's phrase takes a named appositive, which also makes it specific.
        (
            "Berg will stay in the race, his top aide, Tad Devine, told the Gazette.",
            "his top aide, Tad Devine,",
            Kind.DIRECT,
        ),
        # An aside before the relative clause.
        (
            "Berg, meanwhile, who has no endorsements, said that fact speaks volumes.",
            "Berg, meanwhile, who has no endorsements,",
            Kind.DIRECT,
        ),
        # A stray comma after a parenthesis.
        (
            "Sen. Anna Berg (D-Maine), said the levy would pass.",
            "Sen. Anna Berg (D-Maine)",
            Kind.DIRECT,
        ),
        # An abbreviation at the end of the name before the appositive.
        (
            "“It works,” James B. Ortega Jr., the head of the harbour board, said on Monday.",
            "James B. Ortega Jr., the head of the harbour board,",
            Kind.DIRECT,
        ),
        # "overall" between subject and verb.
        (
            "But 58 percent of harbour voters overall said they were unfazed.",
            "58 percent of harbour voters",
            Kind.DIRECT,
        ),
    ],
)
def test_subject_found_past_commas_parentheses_and_abbreviations(
    engine: Engine, text: str, source: str, kind: Kind
) -> None:
    _, found = _attributions(engine, text)
    assert [(a["source"], a["kind"]) for a in found if a["cue"] in ("said", "told")] == [
        (source, kind)
    ]


def test_infinitive_after_a_subject_control_word_keeps_the_subject(engine: Engine) -> None:
    _, found = _attributions(engine, "The mayor was prompted to say, “So far, so good.”")
    assert [(a["cue"], a["source"]) for a in found] == [("was prompted to say", "The mayor")]


def test_contracted_verb_after_a_pronoun_is_an_auxiliary_not_a_possessive(
    engine: Engine,
) -> None:
    tokens = [
        t.text for t in engine.extractor.g.tokenize("He’s sure they've said it’s O’Malley’s.", 0)
    ]
    assert tokens == ["He", "’s", "sure", "they", "'ve", "said", "it", "’s", "O’Malley’s", "."]
    result, found = _attributions(
        engine, "Kalachev spoke on Monday. He’s predicting a deal by May."
    )
    assert ("’s predicting", "He") in [(a["cue"], a["source"]) for a in found]
    doc = result.document
    assert doc is not None
    predicting = [
        a for a in result.attributions if doc.text[a.cue.start : a.cue.end] == "’s predicting"
    ]
    assert predicting[0].resolved is not None and predicting[0].resolved.text == "Kalachev"


def test_document_word_that_is_also_a_cue_form_ends_a_source(engine: Engine) -> None:
    _, found = _attributions(engine, "The levy raised $4 million in May, new council reports show.")
    assert [(a["cue"], a["source"]) for a in found] == [("show", "new council reports")]
    _, found = _attributions(engine, "That is according to the reports filed on Monday.")
    assert [(a["cue"], a["source"]) for a in found] == [("according to", "the reports filed")]


def test_second_predicate_after_and_takes_the_clause_subject(engine: Engine) -> None:
    _, found = _attributions(
        engine, "She worked for the Gazette at the time and was trying to ask Berg a question."
    )
    assert [(a["cue"], a["source"]) for a in found] == [("was trying to ask", "She")]


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        # An initial is part of the name, not the article "a" or the pronoun "I".
        (
            "Harbour master Ana B. Ortega said the quay was closed.",
            "said",
            "Harbour master Ana B. Ortega",
        ),
        (
            "I. Valery Kalachev, the bureau chief, said the files were sent.",
            "said",
            "I. Valery Kalachev, the bureau chief,",
        ),
        # An appositive with an appositive of its own: the name comes before both.
        (
            "Lena Fisk, director of Portwatch, a shipping charity, said the levy was fair.",
            "said",
            "Lena Fisk, director of Portwatch, a shipping charity,",
        ),
        # ... but a place or a date before the commas is not the speaker.
        (
            "In Kestrel Bay, a spokesman for the port, Tom Reyes, said the quay was closed.",
            "said",
            "a spokesman for the port, Tom Reyes,",
        ),
        # A place written "town, region" inside the appositive.
        (
            "Dora Lind, a ferry pilot from Marsh End, Norland, says the fees are too high.",
            "says",
            "Dora Lind, a ferry pilot from Marsh End, Norland,",
        ),
        # Subjects joined by "and": a list of names, a pronoun, a name before a phrase.
        (
            "Ana Ortega, Tom Reyes and Lena Fisk have all attacked the levy.",
            "have all attacked",
            "Ana Ortega, Tom Reyes and Lena Fisk",
        ),
        (
            "Mayor Ortega, Lena Fisk, and other councillors want a new quay.",
            "want",
            "Mayor Ortega, Lena Fisk, and other councillors",
        ),
        ("She and her deputy said the levy would pass.", "said", "She and her deputy"),
        (
            "Ortega and his rivals for the council seat have said the levy is fair.",
            "have said",
            "Ortega and his rivals for the council seat",
        ),
        # A share of a group ("six in 10"), with the word that qualifies the number.
        (
            "About six in 10 harbour workers say the levy is fair.",
            "say",
            "About six in 10 harbour workers",
        ),
        # A role before a name, also when a verb's subject opens the clause.
        (
            "Harbour council candidate Lena Fisk quickly took to the radio, saying the levy "
            "was fair.",
            "saying",
            "Harbour council candidate Lena Fisk",
        ),
        # A capitalised verb or modal that is a first name.
        (
            "Port spokeswoman Hope Reyes said the quay was closed.",
            "said",
            "Port spokeswoman Hope Reyes",
        ),
        # "and" before a name joins two clauses after a word that cannot speak.
        ("The mayor posted a photo and Ortega said it was taken in May.", "said", "Ortega"),
        # A speaker's postmodifier and a document's maker belong to the source.
        ("People close to the mayor say she will run again.", "say", "People close to the mayor"),
        (
            "A 2019 report by the Kestrel Institute found that fees rose.",
            "found",
            "A 2019 report by the Kestrel Institute",
        ),
        # The appositive after a clause subject that a participle takes.
        (
            "Lena Fisk, the council's treasurer, left the meeting early, saying the levy was fair.",
            "saying",
            "Lena Fisk, the council's treasurer",
        ),
        # A participle's subject comes after the clause's conjunction, adverb or opening phrase.
        (
            "But Ortega left early, saying the levy was unfair.",
            "saying",
            "Ortega",
        ),
        (
            "Later in the day, Ortega called the levy a gimmick, saying it would fail.",
            "saying",
            "Ortega",
        ),
        # An aside there is not part of the source.
        (
            "Ortega, on the other hand, left the meeting early, saying the levy was fair.",
            "saying",
            "Ortega",
        ),
        # A possessive opens the clause subject a second predicate falls back on.
        (
            "His campaign manager went home and said the race was over.",
            "said",
            "His campaign manager",
        ),
        (
            "Fisk’s campaign manager went to school with them, and told stories of the quay.",
            "told",
            "Fisk’s campaign manager",
        ),
        # Two roles of one person joined by "and".
        (
            "The former first lady and U.S. envoy said the levy was fair.",
            "said",
            "The former first lady and U.S. envoy",
        ),
        # An opening participle phrase is not the subject of a second predicate.
        (
            "Walking to the next address, Ortega reminisced about the quay and said the levy "
            "was fair.",
            "said",
            "Ortega",
        ),
        # A participle's clause subject ends before the predicate, whose verb we do not know.
        ("The ministry closed the port, saying a storm was coming.", "saying", "The ministry"),
        (
            "His campaign manager went home early, saying the race was over.",
            "saying",
            "His campaign manager",
        ),
        # "now" and "cannot" between the subject and the verb are part of the cue.
        ("Ortega may now feel that the levy is fair.", "may now feel", "Ortega"),
        ("The mayor cannot see any future for the levy.", "cannot see", "The mayor"),
        # An appositive whose role word comes after three modifiers.
        (
            "“The levy is fair,” Lena Fisk, harbour tariff reform director at the Kestrel "
            "Institute, said.",
            "said",
            "Lena Fisk, harbour tariff reform director at the Kestrel Institute,",
        ),
        # A participle's phrase between commas is an aside, not part of the source.
        (
            "Mayor Ortega, hoping to win the port vote, called the levy a gimmick.",
            "called",
            "Mayor Ortega",
        ),
    ],
)
def test_source_phrases_take_in_names_lists_shares_and_appositives(
    engine: Engine, text: str, cue: str, source: str
) -> None:
    _, found = _attributions(engine, text)
    assert (cue, source) in [(a["cue"], a["source"]) for a in found]


def test_a_capitalised_modal_opens_no_name_in_a_question(engine: Engine) -> None:
    _, found = _attributions(engine, "Will Ortega say that the levy is fair?")
    assert all(a["source"] != "Will Ortega" for a in found)


def test_a_tag_after_a_belief_reports_it(engine: Engine) -> None:
    # The belief's content runs on into the tag, but the tag is who says so.
    _, found = _attributions(engine, "Local families are worried, some residents say.")
    assert [(a["cue"], a["source"], a["kind"]) for a in found] == [
        ("say", "some residents", Kind.VAGUE)
    ]


def test_generic_market_voices_are_vague(engine: Engine) -> None:
    _, found = _attributions(engine, "Brokers expect rates to fall only if a deal is signed.")
    assert [(a["source"], a["kind"]) for a in found] == [("Brokers", Kind.VAGUE)]


def test_talks_do_not_speak(engine: Engine) -> None:
    _, found = _attributions(engine, "Observers say the talks could conclude within weeks.")
    assert [a["source"] for a in found] == ["Observers"]


def test_disputing_is_taking_a_position(engine: Engine) -> None:
    _, found = _attributions(engine, "The port authority disputes those numbers.")
    assert [(a["cue"], a["source"]) for a in found] == [("disputes", "The port authority")]
    # The noun stays a noun.
    _, found = _attributions(engine, "The disputes over the levy went on for months.")
    assert found == []
    _, found = _attributions(engine, "The claims came amid ongoing disputes over the data.")
    assert found == []


def test_a_poll_is_the_source_of_its_findings(engine: Engine) -> None:
    # The finding's own verb ("opposed") is part of what the poll reports, not a second source.
    result, found = _attributions(
        engine, "In a Harbour Gazette poll released Monday, 58 percent of islanders opposed it."
    )
    assert [(a["cue"], a["source"]) for a in found] == [
        ("In", "a Harbour Gazette poll released Monday")
    ]
    assert result.sentences[0].status is Status.ATTRIBUTED
    _, found = _attributions(engine, "The mayor led by nine points in a poll by the institute.")
    assert [a["source"] for a in found] == ["a poll"]
    # A standing "in the polls" is not a poll's finding.
    _, found = _attributions(engine, "The mayor has trailed in the polls since March.")
    assert found == []


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        ("Yet another said, “The islands will pay for the mainland.”", "said", "another"),
        ("The delegates differed, but each recognized the risk.", "recognized", "each"),
    ],
)
def test_a_determiner_standing_alone_is_a_vague_speaker(
    engine: Engine, text: str, cue: str, source: str
) -> None:
    _, found = _attributions(engine, text)
    assert [(a["cue"], a["source"], a["kind"]) for a in found] == [(cue, source, Kind.VAGUE)]


def test_a_cue_form_that_is_a_noun_after_another_is_not_a_cue(engine: Engine) -> None:
    assert _attributions(engine, "The network aired another show on Sunday.")[1] == []
    assert _attributions(engine, "Another notes her summer job.")[1] == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Two delegates said the levy was unfair.", Kind.VAGUE),
        ("12 senators said the levy was unfair.", Kind.VAGUE),
        # Named in an appositive: not vague, with a number or a quantifier.
        ("Two senators, Jane Holt and Ian Pike, said the levy was unfair.", Kind.DIRECT),
        ("One delegate, Maria Lopez, said the levy was unfair.", Kind.DIRECT),
        # A share is a statistic, not a count of people.
        ("Six in 10 voters say the levy is unfair.", Kind.DIRECT),
    ],
)
def test_a_number_of_unnamed_people_is_vague(engine: Engine, text: str, kind: Kind) -> None:
    _, found = _attributions(engine, text)
    assert [a["kind"] for a in found] == [kind]


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        (
            "One official who relayed the exchange said the mayor quieted the room.",
            "said",
            "One official who relayed the exchange",
        ),
        ("Voters who backed the levy said it was fair.", "said", "Voters who backed the levy"),
        # Not past a pronoun subject or an object relative.
        ("The man who won the seat when he said so left.", "said", "he"),
        ("She is a candidate who many delegates say is ready.", "say", "many delegates"),
    ],
)
def test_a_relative_clause_before_the_verb_belongs_to_its_speaker(
    engine: Engine, text: str, cue: str, source: str
) -> None:
    _, found = _attributions(engine, text)
    assert (cue, source) in [(a["cue"], a["source"]) for a in found]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("“The levy is unfair,” said Rep. Anna Berg (D-Va.).", "Rep. Anna Berg (D-Va.)"),
        ("According to Sen. Piet Lind (R-Ohio), the levy failed.", "Sen. Piet Lind (R-Ohio)"),
    ],
)
def test_a_source_after_its_cue_keeps_its_parenthesised_party(
    engine: Engine, text: str, source: str
) -> None:
    _, found = _attributions(engine, text)
    assert [a["source"] for a in found] == [source]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("LYON — Mayor Anna Berg spoke on Monday, saying the levy was unfair.", "Mayor Anna Berg"),
        ("Lyon (AFP) - Mayor Anna Berg spoke, saying the levy was unfair.", "Mayor Anna Berg"),
        ("CONCORD, N.H. — Piet Lind spoke on Monday, saying the levy was fair.", "Piet Lind"),
        # An aside between dashes is no dateline.
        ("NATO — the alliance — met on Monday, saying it would act.", "NATO"),
    ],
)
def test_a_dateline_is_not_the_subject_a_participle_takes(
    engine: Engine, text: str, source: str
) -> None:
    _, found = _attributions(engine, text)
    assert ("saying", source) in [(a["cue"], a["source"]) for a in found]


@pytest.mark.parametrize(
    "text",
    [
        "The mayor said by phone that the levy was fair.",
        "The mayor said by telephone this week that the levy was fair.",
        "The mayor said by video link that the levy was fair.",
    ],
)
def test_how_a_speaker_was_reached_is_not_an_agent(engine: Engine, text: str) -> None:
    _, found = _attributions(engine, text)
    assert [(a["cue"], a["source"]) for a in found] == [("said", "The mayor")]


def test_a_hometown_after_an_age_stays_in_the_speakers_appositive(engine: Engine) -> None:
    result, found = _attributions(
        engine, "Cory Lind, 22, of Flint, Mich., said the levy was unfair."
    )
    assert [a["source"] for a in found] == ["Cory Lind, 22, of Flint, Mich.,"]
    assert result.attributions[0].resolved is not None
    assert result.attributions[0].resolved.text == "Cory Lind"


@pytest.mark.parametrize(
    "text",
    ["The port authority appeared to accept the figures.", "The council seems divided."],
)
def test_a_verb_of_seeming_is_the_writers_judgement_with_no_source(
    engine: Engine, text: str
) -> None:
    result, found = _attributions(engine, text)
    assert [(a["source"], a["kind"]) for a in found] == [(None, Kind.VAGUE)]
    assert result.sentences[0].status is Status.VAGUE


@pytest.mark.parametrize(
    ("text", "source", "kind"),
    [
        (
            "Anna Berg was declared the winner by the election board.",
            "the election board",
            Kind.DIRECT,
        ),
        ("The mayor was lambasted over the levy.", None, Kind.VAGUE),
    ],
)
def test_a_passive_gives_the_words_to_its_agent_or_to_no_one(
    engine: Engine, text: str, source: str | None, kind: Kind
) -> None:
    _, found = _attributions(engine, text)
    assert [(a["source"], a["kind"]) for a in found] == [(source, kind)]


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        ("A company called Harbour Data ran the survey.", []),
        ("A ferry captain named Piet Lind was fined.", []),
        # Speech: a person or a name before "called".
        ("The senator called Lind a liar.", ["called"]),
        ("Berg called the plan a disaster.", ["called"]),
    ],
)
def test_a_participle_that_gives_a_name_is_not_speech(
    engine: Engine, text: str, cues: list[str]
) -> None:
    assert _cues(engine, text) == cues


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        ("Berg leads by 300 pledged delegates.", []),
        ("She won the largest number of pledged delegates.", []),
        ("Berg pledged to fight on.", ["pledged"]),
    ],
)
def test_an_ed_form_before_the_plural_it_modifies_is_an_adjective(
    engine: Engine, text: str, cues: list[str]
) -> None:
    assert _cues(engine, text) == cues


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        # An event the writer reports, not a plan the council holds.
        ("The council failed to plan for the storms, which cost 4 million crowns.", []),
        ("The council plans to raise the levy.", ["plans"]),
        # "which" stands for the clause before it: the writer's own inference.
        ("The council failed again, which shows a deeper failure of planning.", []),
        # ... or for a document, whose finding it is.
        ("The council released a report, which shows that the levy failed.", ["shows"]),
        ("The council released a poll that shows the levy is unpopular.", ["shows"]),
    ],
)
def test_what_the_writer_reports_is_not_a_view_or_a_finding(
    engine: Engine, text: str, cues: list[str]
) -> None:
    assert _cues(engine, text) == cues
