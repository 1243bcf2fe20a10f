"""Token sharing between extraction and resolution: a stretch cut from a sentence's tokens must
be what tokenizing that stretch of text gives, or be refused."""

from __future__ import annotations

import pytest

from attribaudit.engine import Engine
from attribaudit.tokens import token_prefix, token_slice

_SENTENCES = [
    "Interior Minister Vladimir Kolokoltsev said on Tuesday that 3.5% of U.S. voters agree.",
    "The report was written by Mr. Smith, Sen. Jones and Dr.Who’s well-known aides at 10:30 a.m.",
    "“We are ready,” said Valery Kalachev, who heads the NCB’s office, to reporters in Moscow.",
    "They met Mr.",
    "Officials – and critics — said ''nothing'' about the ``plan'' (or the voters’ views).",
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.mark.parametrize("text", _SENTENCES)
def test_token_slice_is_the_stretch_tokenized_or_refused(engine: Engine, text: str) -> None:
    tokenize = engine.extractor.g.tokenize
    offset = 7  # sentences sit inside a document
    toks = tokenize(text, offset)
    used = 0
    for i in range(len(toks)):
        for j in range(i, len(toks)):
            start, end = toks[i].start, toks[j].end
            got = token_slice(toks, start, end)
            if got is not None:
                used += 1
                assert got == tokenize(text[start - offset : end - offset], start)
        # Not a token boundary: refused.
        assert token_slice(toks, toks[i].start + 1, toks[-1].end) is None or len(toks[i].text) == 1
        prefix = token_prefix(toks, toks[i].start)
        assert prefix is None or prefix == tokenize(text[: toks[i].start - offset], offset)
    assert used > len(toks)


def test_title_period_at_the_cut_is_refused(engine: Engine) -> None:
    text = "They met Mr. Smith."
    toks = engine.extractor.g.tokenize(text, 0)
    assert [t.text for t in toks][2] == "Mr."
    # Tokenized on its own, "They met Mr." ends in "Mr" and "."; the slice would keep "Mr.".
    assert [t.text for t in engine.extractor.g.tokenize("They met Mr.", 0)][-2:] == ["Mr", "."]
    assert token_slice(toks, 0, toks[2].end) is None
    assert token_prefix(toks, toks[2].end) is None
    assert token_prefix(toks, toks[3].start) == toks[:3]


def test_misaligned_offsets_are_refused(engine: Engine) -> None:
    toks = engine.extractor.g.tokenize("Valery Kalachev said so.", 100)
    assert token_slice(toks, 101, toks[1].end) is None  # inside "Valery"
    assert token_slice(toks, 100, toks[1].end - 1) is None  # inside "Kalachev"
    assert token_slice(toks, 100, toks[1].end) == toks[:2]
    assert token_prefix(toks, 103) is None


def test_resolution_with_shared_tokens_equals_fresh_tokens(engine: Engine) -> None:
    text = (
        "According to Valery Kalachev, the plan failed. He suggested a new one. "
        "Kalachev noted that Mr. Smith, who heads the NCB, agreed. The minister said so."
    )
    shared = engine.audit_text(text)
    # Without the extractor's tokens the resolver tokenizes every source afresh.
    fresh_engine = Engine()
    original = fresh_engine.resolver.resolve

    def resolve_alone(doc, sentences, attributions, tokens=None):  # type: ignore[no-untyped-def]
        return original(doc, sentences, attributions, None)

    fresh_engine.resolver.resolve = resolve_alone  # type: ignore[method-assign]
    fresh = fresh_engine.audit_text(text)
    resolved = [(a.source, a.resolved) for a in shared.attributions]
    assert resolved == [(a.source, a.resolved) for a in fresh.attributions]
    assert any(r is not None and r.text == "Valery Kalachev" for _, r in resolved)


def _resolved_he(text: str):  # type: ignore[no-untyped-def]
    """The audit of `text` and what its "He" source resolved to."""
    from attribaudit.engine import Engine

    result = Engine().audit_text(text)
    doc = result.document
    he = [
        a
        for a in result.attributions
        if a.source and doc.text[a.source.start : a.source.end] == "He"
    ]
    assert he, "no 'He' source found"
    return result, he[0].resolved


def test_pronoun_falls_back_to_the_latest_name_mentioned() -> None:
    result, resolved = _resolved_he(
        "Valery Kalachev spoke on Monday in Lyon. He suggested that the talks would resume."
    )
    assert resolved is not None and resolved.text == "Valery Kalachev"
    assert not any(f.rule == "unresolved-pronoun" for f in result.findings)


def test_a_role_with_no_antecedent_is_the_person_pronouns_refer_to() -> None:
    _, resolved = _resolved_he(
        "The ministry spokesman said the figures were wrong. He added that a review was under way."
    )
    assert resolved is not None and resolved.text == "The ministry spokesman"


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        ("Piet Lind, the port authority's director, said the quay was safe.", "Piet Lind"),
        ("Harbour Watch, a shipping charity, said the quay was safe.", "Harbour Watch"),
        # A common noun before the appositive is not a name to resolve to.
        ("The ministry, which runs the port, said the quay was safe.", None),
    ],
)
def test_a_source_with_an_appositive_resolves_to_the_name_before_it(
    engine: Engine, text: str, resolved: str | None
) -> None:
    result = engine.audit_text(text)
    said = [a for a in result.attributions if a.kind.value == "direct"]
    assert said
    got = said[0].resolved.text if said[0].resolved else None
    assert got == resolved


@pytest.mark.parametrize("opener", ["But", "Although", "When", "After"])
def test_a_word_capitalised_by_the_sentence_start_is_not_part_of_a_name(
    engine: Engine, opener: str
) -> None:
    text = (
        f"Megan Hester runs the harbour trust. {opener} Hester spoke at the quay, the levy "
        "stood. Hester said the levy was unfair."
    )
    result = engine.audit_text(text)
    said = [a for a in result.attributions if text[a.cue.start : a.cue.end] == "said"]
    assert said and said[0].resolved is not None
    assert said[0].resolved.text == "Megan Hester"


def test_a_name_before_a_role_word_says_where_the_person_is_from(engine: Engine) -> None:
    text = (
        "Mayor Piet Lind said the quay was safe. The Harbour City businessman added that the "
        "levy was fair."
    )
    result = engine.audit_text(text)
    added = [a for a in result.attributions if text[a.cue.start : a.cue.end] == "added"]
    assert added and added[0].resolved is not None
    assert added[0].resolved.text == "Piet Lind"


def test_a_place_is_not_the_person_a_pronoun_falls_back_to() -> None:
    _, resolved = _resolved_he(
        "Piet Lind met the council on Monday. The families moved to upstate New York. "
        "He said the levy was unfair."
    )
    assert resolved is not None and resolved.text == "Piet Lind"


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        # A middle initial's period does not cut the name.
        ("Treasury Secretary Jacob J. Lew said the levy was fair.", "Jacob J. Lew"),
        # A title's own "of State" is not part of the name.
        ("Secretary of State John F. Kerry said the talks would go on.", "John F. Kerry"),
        ("Chief Justice Anna Holt said the court would rule.", "Anna Holt"),
    ],
)
def test_a_titled_name_resolves_to_the_whole_name(engine: Engine, text: str, resolved: str) -> None:
    said = engine.audit_text(text).attributions
    assert said and said[0].resolved is not None
    assert said[0].resolved.text == resolved


def test_a_day_is_not_what_a_relative_pronoun_refers_to(engine: Engine) -> None:
    text = "The firm reported a loss on Wednesday, which surprised analysts, who said it was bad."
    result = engine.audit_text(text)
    assert all(a.resolved is None or a.resolved.text != "Wednesday" for a in result.attributions)


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        ("Rep. Anna Berg (D-Va.) said the levy was unfair.", "Anna Berg"),
        ("“The levy is unfair,” said Sen. Piet Lind (R-S.C.).", "Piet Lind"),
        ("House Speaker Anna Berg said the levy was unfair.", "Anna Berg"),
    ],
)
def test_a_party_in_parentheses_is_not_the_name(engine: Engine, text: str, resolved: str) -> None:
    said = engine.audit_text(text).attributions
    assert said and said[0].resolved is not None
    assert said[0].resolved.text == resolved


def _resolved_of(engine: Engine, text: str, source: str) -> str | None:
    result = engine.audit_text(text)
    for a in result.attributions:
        if a.source is not None and text[a.source.start : a.source.end].startswith(source):
            return a.resolved.text if a.resolved else None
    raise AssertionError(f"no source {source!r}")


def test_a_role_refers_back_to_the_person_given_that_role(engine: Engine) -> None:
    text = (
        "Sen. Anna Berg said the levy was unfair. Mayor Piet Lind said it was fair. "
        "The senator added that she would vote against it."
    )
    # Not the nearest person (the mayor), but the one given the role.
    assert _resolved_of(engine, text, "The senator") == "Anna Berg"


def test_a_role_with_a_party_does_not_refer_back_to_another_partys_person(
    engine: Engine,
) -> None:
    text = (
        "Democratic candidate Anna Berg said the levy was unfair. Republican candidate Piet "
        "Lind said it was fair. The Democratic candidate added that she would repeal it."
    )
    assert _resolved_of(engine, text, "The Democratic candidate") == "Anna Berg"


def test_a_role_named_in_its_appositive_is_that_person(engine: Engine) -> None:
    text = "The harbour trust's chairman, Piet Lind, said the levy was fair."
    assert _resolved_of(engine, text, "The harbour trust") == "Piet Lind"


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        # A first name says who "she" can be.
        (
            "Anna Berg said the levy was unfair. Peter Lind said it was fair. She said more.",
            "Anna Berg",
        ),
        # So does a title, whatever the first name.
        (
            "Ms. Lind said the levy was unfair. Mr. Berg said it was fair. She said more.",
            "Lind",
        ),
        # A first name in neither list stays possible for either pronoun.
        ("Jeh Okafor said the levy was unfair. He said more.", "Jeh Okafor"),
    ],
)
def test_a_pronoun_does_not_refer_back_to_a_person_of_the_other_gender(
    engine: Engine, text: str, resolved: str
) -> None:
    result = engine.audit_text(text)
    last = result.attributions[-1]
    assert last.resolved is not None and last.resolved.text == resolved


def test_a_role_finds_the_name_the_text_gave_that_title(engine: Engine) -> None:
    # "President Lind" spoke as no source before; "the president" is still her, and not the
    # vice president or the nearest source.
    text = (
        "President Lind and Vice President Anna Berg met on Monday. Mayor Piet Holm said the "
        "levy was fair. The president said it would pass."
    )
    assert _resolved_of(engine, text, "The president") == "Lind"


def test_a_country_or_state_is_not_the_person_a_pronoun_refers_back_to(engine: Engine) -> None:
    text = (
        "Anna Berg said the levy was unfair. The United States said it would not intervene. "
        "She said the vote would go ahead."
    )
    result = engine.audit_text(text)
    assert result.attributions[-1].resolved is not None
    assert result.attributions[-1].resolved.text == "Anna Berg"


@pytest.mark.parametrize(
    "other",
    [
        "The Patriot Act said nothing of ferries.",  # a thing
        "The FBI said it would look into the levy.",  # an acronym no full name ends in
    ],
)
def test_a_thing_or_an_acronym_is_not_the_person_a_pronoun_refers_back_to(
    engine: Engine, other: str
) -> None:
    text = f"Anna Berg said the levy was unfair. {other} She said the vote would go ahead."
    result = engine.audit_text(text)
    assert result.attributions[-1].resolved is not None
    assert result.attributions[-1].resolved.text == "Anna Berg"


def test_a_surname_in_capitals_still_finds_its_full_name(engine: Engine) -> None:
    text = "Mike Pence spoke on Monday. PENCE: The levy is unfair to the islands."
    assert _resolved_of(engine, text, "PENCE") == "Mike Pence"
