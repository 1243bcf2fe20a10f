"""Paragraph and sentence segmentation: boundaries, headlines, quotes, modes and exact offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attribaudit import segment as segment_module
from attribaudit.engine import Engine, EngineOptions
from attribaudit.models import AttribauditError, Paragraph, Sentence, Span, Status
from attribaudit.segment import detect_paragraph_mode, load_abbreviations, segment

SHARED = Path(__file__).parents[2] / "shared"
ABBREVIATIONS = load_abbreviations()


def run(text: str, mode: str = "auto") -> tuple[list[Paragraph], list[Sentence]]:
    return segment(text, abbreviations=ABBREVIATIONS, paragraph_mode=mode)


def sentences(text: str, mode: str = "auto") -> list[str]:
    return [text[s.span.start : s.span.end] for s in run(text, mode)[1]]


def headlines(text: str, mode: str = "auto") -> list[str]:
    return [text[s.span.start : s.span.end] for s in run(text, mode)[1] if s.headline]


def check_invariants(text: str, paragraphs: list[Paragraph], found: list[Sentence]) -> None:
    previous_end = -1
    for index, paragraph in enumerate(paragraphs):
        assert paragraph.index == index
        assert previous_end <= paragraph.span.start < paragraph.span.end <= len(text)
        chunk = text[paragraph.span.start : paragraph.span.end]
        assert chunk == chunk.strip()
        previous_end = paragraph.span.end
    previous_end = -1
    for index, sentence in enumerate(found):
        assert sentence.index == index
        assert previous_end <= sentence.span.start < sentence.span.end
        paragraph = paragraphs[sentence.paragraph].span
        assert paragraph.start <= sentence.span.start and sentence.span.end <= paragraph.end
        chunk = text[sentence.span.start : sentence.span.end]
        assert chunk == chunk.strip(), repr(chunk)
        previous_end = sentence.span.end


# --------------------------------------------------------------------------- lexicon file


def test_lexicon_is_read_from_the_rule_pack() -> None:
    assert {"Mr", "Mrs", "Dr", "Sen", "Gov", "Jan", "Sept", "Inc", "Jr", "vs", "etc", "No"} <= (
        ABBREVIATIONS
    )
    assert "The" in segment_module.load_sentence_starters()
    assert "said" in segment_module.load_speech_tag_verbs()
    # Written without the final period; case-sensitive ("no" is a word, "No" the abbreviation).
    assert not any(word.endswith(".") for word in ABBREVIATIONS)
    assert "no" not in ABBREVIATIONS


def test_unquoted_boolean_word_is_an_error_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "segmentation.yaml").write_text(
        "pack: segmentation\nlexicons:\n  abbreviations:\n    description: x\n"
        "    words:\n      - Mr\n      - No\nrules: []\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(segment_module, "rules_dir", lambda: tmp_path)
    segment_module._lexicon.cache_clear()
    try:
        with pytest.raises(AttribauditError) as caught:
            load_abbreviations()
        assert caught.value.line == 7
        assert caught.value.path is not None and caught.value.path.endswith("segmentation.yaml")
        assert "booleans" in caught.value.message
    finally:
        segment_module._lexicon.cache_clear()


def test_unknown_paragraph_mode_is_a_user_error() -> None:
    with pytest.raises(AttribauditError, match="paragraph mode"):
        run("Some text.", "paragraphs")


# --------------------------------------------------------------------------- sentence ends


def test_plain_sentence_ends() -> None:
    text = "The vote failed. Critics cheered! Was it fair? 2016 was long. “Yes,” she said."
    assert sentences(text) == [
        "The vote failed.",
        "Critics cheered!",
        "Was it fair?",
        "2016 was long.",
        "“Yes,” she said.",
    ]


def test_no_split_before_lowercase() -> None:
    assert sentences("Jeb! was better than before. Yahoo! fans e.g. here.") == [
        "Jeb! was better than before.",
        "Yahoo! fans e.g. here.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Smith met Mrs. Jones and Dr. Oz at the hearing.",
        "Sen. Ted Cruz and Rep. Will Hurd spoke with Gov. Abbott.",
        "Gen. Votel and Sgt. Major Lee visited St. Louis.",
        "The deal closed on Jan. 5 and Sept. 30 at Acme Inc. headquarters.",
        "Apple Corp. Ltd. and Co. Jr. staff attended, Smith vs. Jones etc. included.",
        "Sen. Marco Rubio (R-Fla.) Voted against it.",
    ],
)
def test_abbreviations_do_not_end_sentences(text: str) -> None:
    assert sentences(text) == [text]


def test_initials_do_not_end_sentences() -> None:
    text = "John F. Kennedy met J.K. Rowling and George H.W. Bush. Then they left."
    assert sentences(text) == [
        "John F. Kennedy met J.K. Rowling and George H.W. Bush.",
        "Then they left.",
    ]


def test_us_mid_sentence_and_at_sentence_end() -> None:
    assert sentences("The U.S. Senate and the U.N. Security Council met at 5 p.m. Monday.") == [
        "The U.S. Senate and the U.N. Security Council met at 5 p.m. Monday."
    ]
    assert sentences("Troops returned to the U.S. The war was over. It was in D.C. He left.") == [
        "Troops returned to the U.S.",
        "The war was over.",
        "It was in D.C.",
        "He left.",
    ]


def test_sentence_starter_also_ends_after_an_abbreviation() -> None:
    assert sentences("He joined Acme Inc. But he quit in Jan. It was cold.") == [
        "He joined Acme Inc.",
        "But he quit in Jan.",
        "It was cold.",
    ]


def test_numbers() -> None:
    text = "Growth was 3.5 percent. No. 4 is next on the list. The vote was 52 to 48. It passed."
    assert sentences(text) == [
        "Growth was 3.5 percent.",
        "No. 4 is next on the list.",
        "The vote was 52 to 48.",
        "It passed.",
    ]


def test_ellipsis() -> None:
    assert sentences("He said … and then … nothing. I was thinking... Then it rained.") == [
        "He said … and then … nothing.",
        "I was thinking...",
        "Then it rained.",
    ]
    # An omission mark (space before it) is not a sentence end, whatever follows.
    assert sentences("“It is ... Trump who decides,” she said.") == [
        "“It is ... Trump who decides,” she said."
    ]


def test_quote_inside_sentence_followed_by_lowercase_bracket() -> None:
    text = "It was the cries of “Bitch!” (for Clinton) that stung. He left."
    assert sentences(text) == ["It was the cries of “Bitch!” (for Clinton) that stung.", "He left."]


def test_opening_bracket_starts_a_sentence_and_line_with_inner_end_is_no_headline() -> None:
    text = "The situation invites analysis. [Source: TASS]"
    _, found = run(text)
    assert [text[s.span.start : s.span.end] for s in found] == [
        "The situation invites analysis.",
        "[Source: TASS]",
    ]
    assert not any(s.headline for s in found)


# --------------------------------------------------------------------------- quotations


def test_quote_with_speech_tag_is_one_sentence() -> None:
    text = "“We will win. We always do,” he said. Then he left."
    assert sentences(text) == ["“We will win. We always do,” he said.", "Then he left."]


def test_straight_and_nyt_double_quotes() -> None:
    assert sentences('"We will win. We always do," he said. Then he left.')[0] == (
        '"We will win. We always do," he said.'
    )
    assert sentences("''Some staffer screwed up. Let's move on,'' said Curt Smith. Fine.") == [
        "''Some staffer screwed up. Let's move on,'' said Curt Smith.",
        "Fine.",
    ]


def test_split_after_closing_quote_ends_at_the_quote() -> None:
    text = "“We will win.” The crowd roared. She added: “Always.” Nobody moved."
    assert sentences(text) == [
        "“We will win.”",
        "The crowd roared.",
        "She added: “Always.”",
        "Nobody moved.",
    ]


def test_short_speech_tag_after_question_stays_with_the_quote() -> None:
    assert sentences("“Are you serious?” Trump asked. Nobody answered.") == [
        "“Are you serious?” Trump asked.",
        "Nobody answered.",
    ]


def test_long_quotation_is_split() -> None:
    text = "“One. Two. Three. Four,” he counted. Done."
    assert sentences(text) == ["“One.", "Two.", "Three.", "Four,” he counted.", "Done."]


def test_quotation_running_past_the_paragraph_is_split() -> None:
    text = "“We will win. We always do.\n\n“And we will again,” he said."
    assert sentences(text) == ["“We will win.", "We always do.", "“And we will again,” he said."]


# --------------------------------------------------------------------------- headlines


def test_headlines_without_final_punctuation() -> None:
    text = (
        "Russia presses Interpol cooperation\n"
        "WASHINGTON —\n"
        "Previous Article\n"
        "Officials said so. They did.\n"
        "Cruz continued:\n"
        "“Stop the count”\n"
    )
    _, found = run(text)
    assert [(text[s.span.start : s.span.end], s.headline) for s in found] == [
        ("Russia presses Interpol cooperation", True),
        ("WASHINGTON —", True),
        ("Previous Article", True),
        ("Officials said so.", False),
        ("They did.", False),
        ("Cruz continued:", False),
        ("“Stop the count”", True),
    ]


def test_headline_is_not_glued_to_the_next_line() -> None:
    assert sentences("Terrorism moves to fore of U.S. campaign\nThe Senate met.") == [
        "Terrorism moves to fore of U.S. campaign",
        "The Senate met.",
    ]


def test_short_standalone_question_is_a_headline_but_long_line_is_prose() -> None:
    assert headlines("No time to read?\nGet a summary\nWhat did the minister say? He said no.") == [
        "No time to read?",
        "Get a summary",
    ]
    long_line = "Donald Trump is keeping up his criticism of his rivals " * 5
    _, found = run(long_line.strip())
    assert [s.headline for s in found] == [False]


def test_bullet_items_are_their_own_sentences_and_not_headlines() -> None:
    text = "The plan has three parts:\n- cut taxes\n- build roads. Then more\n2. fund schools"
    _, found = run(text, "blank")
    assert [text[s.span.start : s.span.end] for s in found] == [
        "The plan has three parts:",
        "cut taxes",
        "build roads.",
        "Then more",
        "fund schools",
    ]
    assert not any(s.headline for s in found)
    assert [s.headline for s in run(text, "line")[1]] == [False] * 5


# --------------------------------------------------------------------------- paragraphs


HARD_WRAPPED = (
    "Kremlin officials said on Monday that the talks would resume\n"
    "next week in Geneva, after a pause of several months that both\n"
    "sides blamed on the other.\n"
    "\n"
    "The ministry did not say who would lead the delegation, and a\n"
    "spokesman declined to comment on reports that the agenda had\n"
    "been narrowed.\n"
)


def test_blank_mode_joins_soft_wrapped_lines() -> None:
    assert detect_paragraph_mode(HARD_WRAPPED) == "blank"
    paragraphs, found = run(HARD_WRAPPED)
    assert len(paragraphs) == 2
    assert len(found) == 2
    first = HARD_WRAPPED[found[0].span.start : found[0].span.end]
    assert first.startswith("Kremlin officials") and first.endswith("on the other.")
    assert "\n" in first  # the line breaks stay in the text; offsets are the original's
    assert not any(s.headline for s in found)


def test_line_mode_on_the_same_text_makes_every_line_a_paragraph() -> None:
    paragraphs, found = run(HARD_WRAPPED, "line")
    assert len(paragraphs) == 6
    assert found[0].headline  # "Kremlin officials said ... would resume" has no final period


def test_auto_uses_lines_for_single_newline_paragraphs() -> None:
    text = "First paragraph, one line. Two sentences.\nSecond paragraph here.\nThird one."
    assert detect_paragraph_mode(text) == "line"
    paragraphs, found = run(text)
    assert len(paragraphs) == 3
    assert [s.paragraph for s in found] == [0, 0, 1, 2]


def test_auto_keeps_a_chrome_block_line_by_line() -> None:
    text = (
        "A long paragraph of article prose that runs on. It has two sentences.\n\n"
        "No time to read?\nGet a summary\nPrevious Article\n\nAnother paragraph of prose."
    )
    assert detect_paragraph_mode(text) == "line"
    assert headlines(text) == ["No time to read?", "Get a summary", "Previous Article"]


def test_blank_mode_paragraphs_and_line_mode_paragraphs() -> None:
    text = "One.\nTwo.\n\nThree."
    assert [(p.span.start, p.span.end) for p in run(text, "blank")[0]] == [(0, 9), (11, 17)]
    assert [(p.span.start, p.span.end) for p in run(text, "line")[0]] == [(0, 4), (5, 9), (11, 17)]


def test_masked_regions_are_whitespace() -> None:
    # What a reader leaves after blanking markup: spaces inside lines, blank lines between.
    text = "                   \n"
    text += "First sentence.          Second sentence.\n            \n   Third    one.   \n"
    _, found = run(text)
    assert sentences(text) == ["First sentence.", "Second sentence.", "Third    one."]
    for s in found:
        assert text[s.span.start : s.span.end] == text[s.span.start : s.span.end].strip()


def test_offsets_are_exact_with_crlf_and_wide_characters() -> None:
    text = "Título “ünïcode” ok\r\nÉlan grew 5%. The end. Rockets 🚀 fly.\r\n"
    paragraphs, found = run(text)
    assert [text[s.span.start : s.span.end] for s in found] == [
        "Título “ünïcode” ok",
        "Élan grew 5%.",
        "The end.",
        "Rockets 🚀 fly.",
    ]
    check_invariants(text, paragraphs, found)


@pytest.mark.parametrize("text", ["", "   ", "\n\n \n", "\t \r\n"])
def test_empty_input_gives_nothing(text: str) -> None:
    assert run(text) == ([], [])


# --------------------------------------------------------------------------- properties

_PIECES = st.sampled_from(
    [
        "word", "Word", "U.S.", "Mr.", "F.", "3.5", "No.", "...", "…", ".", "!", "?", ",", ":",
        "“", "”", '"', "''", "(", ")", "- ", "1. ", "The", "he", " ", "  ", "\n", "\n\n",
        "\r\n", "\t", "\xa0", "—",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join), st.sampled_from(["auto", "blank", "line"]))
def test_sentences_are_ordered_stripped_and_inside_their_paragraphs(text: str, mode: str) -> None:
    paragraphs, found = run(text, mode)
    check_invariants(text, paragraphs, found)
    # No text is lost: what lies between a paragraph's sentences is whitespace or list markers.
    covered = list(text)
    for sentence in found:
        covered[sentence.span.start : sentence.span.end] = " " * len(sentence.span)
    for paragraph in paragraphs:
        left = "".join(covered[paragraph.span.start : paragraph.span.end])
        assert set(left) <= set(" \t\r\n\xa0-–—0123456789.)"), repr(left)
    assert bool(found) == bool(text.strip())


# --------------------------------------------------------------------------- shared data


def _shared(path: str) -> Path:
    target = SHARED / path
    if not target.exists():
        pytest.skip(f"{target} is not available (needs the team's ../shared folder)")
    return target


@pytest.mark.shared
def test_seeds() -> None:
    seeds = sorted(_shared("seeds").glob("*.txt"))
    assert len(seeds) == 2
    results = {}
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        paragraphs, found = run(text)
        check_invariants(text, paragraphs, found)
        results[seed.name] = (text, found)
    chrome_text, chrome = results[seeds[0].name]
    marked = [chrome_text[s.span.start : s.span.end] for s in chrome if s.headline]
    assert marked.count("No time to read?") == 2
    assert marked.count("Get a summary") == 2
    assert "Previous Article" in marked
    assert marked[0] == "Russia presses Interpol cooperation as bans and access questions surface"
    prose_text, prose = results[seeds[1].name]
    starts = [prose_text[s.span.start : s.span.end] for s in prose]
    assert any(s.startswith("According to Valery Kalachev, who oversees") for s in starts)
    assert "He suggested that high-level collaboration" in "\n".join(starts)
    assert any(s.startswith("He suggested that high-level collaboration") for s in starts)
    assert starts.count("[Source: TASS]") == 3
    assert not any(s.headline for s in prose)


@pytest.mark.shared
def test_polnear_texts_are_read_line_by_line_and_segment_cleanly() -> None:
    texts = sorted(_shared("corpora/polnear/train/text").glob("*.txt"))
    assert texts
    for path in texts:
        text = path.read_text(encoding="utf-8")
        assert detect_paragraph_mode(text) == "line", path.name
        paragraphs, found = run(text)
        check_invariants(text, paragraphs, found)


CREDITED_LINES = (
    "“We will not close the clinic.” ― Maria Lopez\n"
    "Budget vote today. pic.twitter.com/x1 — Jane Roe (@janeroe) July 5, 2016\n"
    "Harbour levy — what changes\n"
)


def test_line_ending_in_a_dash_credit_is_prose_not_a_headline() -> None:
    # Only the title is a headline: a credit after a closed quotation or a post ends a line of
    # prose, while a dash inside a title does not.
    assert headlines(CREDITED_LINES) == ["Harbour levy — what changes"]


def test_which_lines_are_not_headlines_comes_from_the_rules_passed() -> None:
    # With no `not-headline` rules, the credited lines are short unpunctuated lines like any title.
    _, found = segment(CREDITED_LINES, abbreviations=ABBREVIATIONS, headline_vetoes=())
    assert [s.headline for s in found] == [True, True, True]
    # Each rule that made a line prose records the line under its id.
    hits: dict[str, list[Span]] = {}
    segment(CREDITED_LINES, abbreviations=ABBREVIATIONS, hits=hits)
    texts = {rule: [CREDITED_LINES[s.start : s.end] for s in spans] for rule, spans in hits.items()}
    assert texts == {
        "dash-credit-line": ["“We will not close the clinic.” ― Maria Lopez"],
        "post-credit-line": [CREDITED_LINES.splitlines()[1]],
    }


def _pack(tmp_path: Path, rules: str) -> Path:
    path = tmp_path / "house.yaml"
    path.write_text(f"pack: house\ndescription: x\nrules:\n{rules}", encoding="utf-8")
    return path


_NOT_HEADLINE_RULE = """\
  - id: {id}
    matcher: not-headline
    summary: s
    description: d
    enabled: {enabled}
    params: {{regex: '{regex}'}}
    examples: [{{text: a, match: true}}, {{text: b, match: false}}]
"""


def test_a_user_pack_changes_the_headline_decision(tmp_path: Path) -> None:
    text = "“We will not close the clinic.” ― Maria Lopez\nHarbour levy to raise 4.2 million (AP)\n"

    def exempt(engine: Engine) -> list[bool]:
        return [r.status is Status.EXEMPT for r in engine.audit_text(text).sentences]

    assert exempt(Engine()) == [False, True]
    # Turning the shipped rule off (same id) makes the credited line a headline again ...
    off = _NOT_HEADLINE_RULE.format(id="dash-credit-line", enabled="false", regex="x")
    assert exempt(Engine(EngineOptions(rule_paths=[_pack(tmp_path, off)]))) == [True, True]
    # ... and a new rule makes a line ending in a wire credit prose, not a headline.
    wire = _NOT_HEADLINE_RULE.format(id="wire-credit-line", enabled="true", regex=r"\(AP\)$")
    assert exempt(Engine(EngineOptions(rule_paths=[_pack(tmp_path, wire)]))) == [False, False]


def test_a_broken_not_headline_regex_names_the_file_and_line(tmp_path: Path) -> None:
    broken = _NOT_HEADLINE_RULE.format(id="wire-credit-line", enabled="true", regex="(AP$")
    pack = _pack(tmp_path, broken)
    with pytest.raises(AttribauditError) as caught:
        Engine(EngineOptions(rule_paths=[pack]))
    assert caught.value.path == str(pack)
    assert caught.value.line == 4
    assert "wire-credit-line" in caught.value.message and "regex" in caught.value.message
