"""Sentence statuses: when a quotation is carried from the attributed sentence before it."""

from __future__ import annotations

import pytest

from attribaudit.engine import Engine
from attribaudit.models import Span, Status


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _statuses(engine: Engine, text: str) -> list[tuple[str, Status]]:
    result = engine.audit_text(text)
    return [(text[s.sentence.span.start : s.sentence.span.end], s.status) for s in result.sentences]


def test_quotation_opening_the_next_paragraph_is_carried(engine: Engine) -> None:
    text = (
        "The council voted to raise the levy by a third, Mayor Anna Berg said on Monday.\n\n"
        "“We had no other way to pay for the harbour wall before the winter storms.”\n"
    )
    statuses = _statuses(engine, text)
    assert statuses[0][1] is Status.ATTRIBUTED
    assert statuses[1][1] is Status.CARRIED


def test_short_single_quoted_line_in_the_next_paragraph_is_not_carried(engine: Engine) -> None:
    text = (
        "The council voted to raise the levy by a third, Mayor Anna Berg said on Monday.\n\n"
        "'A tough decision.'\n"
    )
    assert _statuses(engine, text)[1][1] is not Status.CARRIED


def test_sentence_inside_an_open_quotation_is_carried(engine: Engine) -> None:
    # The quotation opened in the attributed sentence is still open when the next one starts.
    text = (
        "Mayor Anna Berg said the levy would “pay for the wall. "
        "And it is so important for every family on the harbour front.\n"
    )
    statuses = _statuses(engine, text)
    assert [s for _, s in statuses] == [Status.ATTRIBUTED, Status.CARRIED]


def test_plain_sentence_after_an_attribution_stays_in_the_writer_voice(engine: Engine) -> None:
    text = (
        "The levy is needed for the harbour wall, Mayor Anna Berg said on Monday. "
        "The council has raised taxes three times since 2019 without consulting residents.\n"
    )
    assert _statuses(engine, text)[1][1] is Status.UNSOURCED


def test_lexicon_signals_find_on_lower_cased_text_what_their_regex_finds(engine: Engine) -> None:
    from attribaudit.classify import _LEXICON_ONLY

    classifier = engine.classifier
    matchers = {m.id: m for m in classifier.signal_matchers if m.lowered is not None}
    assert matchers  # causal and evaluative words
    for rule in engine.rules.by_matcher("signal"):
        if rule.id not in matchers:
            continue
        m = _LEXICON_ONLY.fullmatch(rule.params["regex"].strip())
        assert m is not None
        for entry in sorted(engine.rules.words(m.group(1), lower=False)):
            spread = entry.replace(" ", " \n ")
            for text in (
                f"It was {entry} then.",
                f"{entry.upper()}!",
                f"It was {spread}.",
                f"un{entry}ed",
                f"{entry}s and {entry[:-1]}",
                f"İt was {entry}, ſo K.",
            ):
                found = classifier.signals(text, {}, Span(0, len(text)))
                assert (rule.id in found) == bool(matchers[rule.id].pattern.search(text)), text


def test_every_sentence_of_a_long_quotation_is_carried(engine: Engine) -> None:
    # Five sentences are split apart; from the third on, neither the sentence nor the one
    # before it holds a quotation mark, yet all are inside the quotation Berg introduced.
    text = (
        "Mayor Anna Berg said:\n\n"
        "“Every family on the harbour front pays the levy twice. It is the same every winter. "
        "The wall is older than the port itself. Nobody has repaired it since 1990. "
        "The council must act before the storms come.”\n\n"
        "The council meets again on Thursday to vote on the budget for the port.\n"
    )
    statuses = [s for _, s in _statuses(engine, text)]
    assert statuses == [Status.ATTRIBUTED] + [Status.CARRIED] * 5 + [Status.UNSOURCED]


def test_quotation_with_no_named_speaker_stays_unsourced(engine: Engine) -> None:
    text = (
        "“Every family on the harbour front pays the levy twice. It is the same every winter. "
        "The wall is older than the port itself. Nobody has repaired it since 1990.”\n\n"
        "The council meets again on Thursday to vote on the budget for the port.\n"
    )
    assert {s for _, s in _statuses(engine, text)} == {Status.UNSOURCED}


def test_quotation_inside_the_next_sentence_of_the_paragraph_is_carried(engine: Engine) -> None:
    # The quotation does not open the sentence: the speaker named just before still owns it.
    text = (
        "Mayor Anna Berg said the levy was needed for the harbour wall. "
        "Without it, she warned the council, the port would be “under water within ten years.”\n\n"
        "Without it, the port would be “under water within ten years,” the engineers wrote.\n"
    )
    statuses = [s for _, s in _statuses(engine, text)]
    assert statuses[:2] == [Status.ATTRIBUTED, Status.ATTRIBUTED]
    text = (
        "Mayor Anna Berg said the levy was needed for the harbour wall. "
        "Without it, the port would be “under water within ten years.”\n"
    )
    assert [s for _, s in _statuses(engine, text)] == [Status.ATTRIBUTED, Status.CARRIED]
    # In a new paragraph the quotation is not carried: it may be anyone's words.
    text = (
        "Mayor Anna Berg said the levy was needed for the harbour wall.\n\n"
        "Without it, the port would be “under water within ten years.”\n"
    )
    assert [s for _, s in _statuses(engine, text)] == [Status.ATTRIBUTED, Status.UNSOURCED]


def test_quotation_after_a_vague_source_stays_vague(engine: Engine) -> None:
    text = (
        "Critics say the levy will drive the ferry companies away from the harbour. "
        "To them it is “a tax on the only business the town still has.”\n"
    )
    statuses = [s for _, s in _statuses(engine, text)]
    assert statuses[0] is Status.VAGUE
    assert statuses[1] is Status.VAGUE


def test_question_inside_a_quotation_is_carried(engine: Engine) -> None:
    # The question is not a claim (exempt on its own) but it is the speaker's words all the same.
    text = (
        "Mayor Anna Berg said:\n\n"
        "“Every family on the harbour front pays the levy twice. It is the same every winter. "
        "So who pays for the wall? Nobody has repaired it since 1990.”\n"
    )
    statuses = [s for _, s in _statuses(engine, text)]
    assert statuses == [Status.ATTRIBUTED] + [Status.CARRIED] * 4
    assert _statuses(engine, "So who pays for the wall?\n")[0][1] is Status.EXEMPT


def test_paragraph_introduced_by_a_colon_is_carried_but_not_the_one_after(engine: Engine) -> None:
    text = (
        "The council voted to raise the levy by a third on Monday.\n\n"
        "Mayor Anna Berg added:\n\n"
        "The harbour wall will not survive another winter. The storms get worse every year.\n\n"
        "The levy will be paid by every household in the port from April.\n"
    )
    statuses = [status for _, status in _statuses(engine, text)]
    assert statuses[1] is Status.ATTRIBUTED
    assert statuses[2:4] == [Status.CARRIED, Status.CARRIED]
    assert statuses[4] is Status.UNSOURCED


def test_a_no_comment_note_is_no_claim_but_a_claim_after_it_is(engine: Engine) -> None:
    text = (
        "The levy rose by a third in March. The port authority did not respond to a request "
        "for comment. The ministry did not respond to the flooding for three days."
    )
    statuses = [status for _, status in _statuses(engine, text)]
    assert statuses == [Status.UNSOURCED, Status.EXEMPT, Status.UNSOURCED]


def test_a_live_blogs_time_stamp_is_no_claim(engine: Engine) -> None:
    text = (
        "11:50 a.m.\n\nThe ferry left the harbour late with forty passengers.\n\n"
        "1:13 p.m.\n\nThe levy rose by a third.\n"
    )
    statuses = [status for _, status in _statuses(engine, text)]
    assert statuses == [Status.EXEMPT, Status.UNSOURCED, Status.EXEMPT, Status.UNSOURCED]


@pytest.mark.parametrize(
    "line",
    [
        "Follow Anna Berg on Twitter @annaberg.",
        "(Reporting by Anna Berg in Lyon; Writing by Piet Lind; Editing by Marta Holm.)",
        "Contributing: Piet Lind and Marta Holm, Harbour Gazette.",
        "Correction: An earlier version of this story misstated the date of the vote.",
        "Contact the reporter at anna@example.com.",
    ],
)
def test_page_furniture_and_editors_notes_are_no_claims(engine: Engine, line: str) -> None:
    text = f"The levy rose by a third in March after the vote.\n\n{line}\n"
    statuses = [status for _, status in _statuses(engine, text)]
    assert statuses == [Status.UNSOURCED, Status.EXEMPT]
