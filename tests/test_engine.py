"""The pipeline end to end on articles written for these tests (no ../shared needed)."""

from __future__ import annotations

import pytest

from attribaudit.engine import Engine, EngineOptions
from attribaudit.models import AttribauditError, Kind, Severity, Status
from attribaudit.report import build_report, file_to_dict
from attribaudit.report.corpus import corpus_record

ARTICLE = (
    "Council delays harbour vote\n\n"
    "The Calder Bay council postponed its vote on the harbour levy for the third time.\n\n"
    "According to Marta Lindqvist, who chairs the finance committee, "
    "the levy would raise 4.2 million crowns. "
    "She added that an independent review was needed.\n\n"
    "The levy would hit small fishing operators hardest, critics say.\n\n"
    "The harbour handled 1.3 million tonnes of cargo last year. [Source: Reuters]\n"
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.fixture(scope="module")
def result(engine: Engine):
    return engine.audit_text(ARTICLE, path="harbour.txt")


def status(result, opening: str) -> Status:
    text = result.document.text
    for r in result.sentences:
        if text[r.sentence.span.start : r.sentence.span.end].startswith(opening):
            return r.status
    raise AssertionError(opening)


def test_statuses_follow_the_sourcing(result) -> None:
    assert status(result, "Council delays harbour vote") is Status.EXEMPT
    assert status(result, "The Calder Bay council postponed") is Status.UNSOURCED
    assert status(result, "According to Marta Lindqvist") is Status.ATTRIBUTED
    assert status(result, "She added") is Status.ATTRIBUTED
    assert status(result, "The levy would hit") is Status.VAGUE
    assert status(result, "The harbour handled") is Status.TAGGED


def test_pronoun_resolves_and_registry_matches(result) -> None:
    she = next(
        a
        for a in result.attributions
        if result.document.text[a.source.start : a.source.end] == "She"
    )
    assert she.resolved.text == "Marta Lindqvist" and she.resolved.via == "coreference"
    tag = next(a for a in result.attributions if a.kind is Kind.SOURCE_TAG)
    assert tag.registry is not None and tag.registry.name == "Reuters" and tag.registry.score == 100


def test_findings_have_default_severities(result) -> None:
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["unsourced-claim"].severity is Severity.ERROR
    assert by_rule["vague-attribution"].severity is Severity.WARNING
    assert by_rule["tag-only-sourcing"].severity is Severity.INFO


def test_json_contract_offsets_point_into_the_text(result) -> None:
    entry = file_to_dict(result)
    assert entry["status"] == "ok" and entry["error"] is None
    for a in entry["attributions"]:
        for span in [a["cue"], a["source"], *a["content"]]:
            if span is not None:
                assert ARTICLE[span["start"] : span["end"]] == span["text"]
    for f in entry["findings"]:
        line, column = f["line"], f["column"]
        assert ARTICLE.splitlines()[line - 1][column - 1 :].startswith(
            ARTICLE[f["start"] : f["end"]].split("\n")[0]
        )
        assert set(f) >= {
            "rule",
            "severity",
            "message",
            "start",
            "end",
            "end_line",
            "end_column",
            "fingerprint",
        }
    summary = entry["summary"]
    assert summary["unsourced"] == 1 and summary["vague"] == 1
    assert 0 < summary["sourced_ratio"] < 1
    report = build_report([entry])
    assert report["version"] == 1 and report["tool"]["name"] == "attribaudit"
    assert report["summary"]["errors"] == 1 and report["summary"]["files"] == 1


# One claim long enough to be one by its words, and three short sentences that pass claims
# on behind a vague source: each gets a vague-attribution finding.
SHORT_VAGUE = (
    "Harbour levy\n\nThe levy will pass in the spring, critics say.\n\nCritics say so.\n\n"
    "Officials said it.\n\nThe mayor was reportedly angry.\n"
)


def test_summary_counts_every_vague_sentence_among_the_claims(engine: Engine) -> None:
    # The summary read "1 claim: 0 unsourced, 4 vague": the short vague sentences counted as
    # vague but not as claims. A sentence the report flags for its vague source is a claim.
    entry = file_to_dict(engine.audit_text(SHORT_VAGUE))
    summary = entry["summary"]
    statuses = [s["status"] for s in entry["sentences"]]
    assert statuses.count("vague") == 4 == summary["vague"]
    assert summary["assertions"] == 4
    assert summary["unsourced"] + summary["vague"] <= summary["assertions"]
    assert summary["sourced_ratio"] == 0.0
    record = corpus_record(entry)
    assert (record.assertions, record.vague, record.sourced) == (4, 4, 0)


def test_summary_partitions_the_claims(result) -> None:
    # sourced + unsourced + vague = claims, and sourced_ratio is sourced / claims.
    summary = file_to_dict(result)["summary"]
    sourced = round(summary["sourced_ratio"] * summary["assertions"])
    assert sourced + summary["unsourced"] + summary["vague"] == summary["assertions"]


def test_fingerprints_survive_moving_text(engine: Engine) -> None:
    before = engine.audit_text(ARTICLE)
    after = engine.audit_text("A new first paragraph that says nothing of note.\n\n" + ARTICLE)
    fingerprints = {f.fingerprint for f in before.findings if f.rule == "unsourced-claim"}
    assert fingerprints <= {f.fingerprint for f in after.findings}


ONE_VAGUE_SOURCE = (
    "Interpol dispute\n\n"
    "Witnesses to these developments describe long-standing frictions and point to instances "
    "that, in their view, reveal a broader pattern of selective engagement.\n\n"
    "Officials in Moscow argue that crucial information is being withheld. They contend that "
    "the Federation is pushed to the sidelines.\n\n"
    "Witnesses said the meeting ended early.\n"
)


def test_one_vague_source_of_a_sentence_is_one_finding(engine: Engine) -> None:
    # The first sentence gave three warnings for one vague source: "Witnesses" (taken again as
    # the speaker of "reveal") and "Witnesses to these developments" at the same line:column,
    # and "their", which refers back to it.
    result = engine.audit_text(ONE_VAGUE_SOURCE, path="interpol.txt")
    text = result.document.text
    vague = [f for f in result.findings if f.rule == "vague-attribution"]
    flagged = [text[f.span.start : f.span.end] for f in vague]
    assert flagged == [
        "Witnesses to these developments",
        "Officials in Moscow",
        "They",
        "Witnesses",
    ]
    by_id = {a.id: a for a in result.attributions}
    merged = [
        text[by_id[i].source.start : by_id[i].source.end] for i in vague[0].evidence["same_source"]
    ]
    assert sorted(merged) == ["Witnesses", "their"]
    assert "same_source" not in vague[1].evidence
    # A pronoun in a sentence of its own stays a finding, and says what it stands for.
    assert vague[2].message == (
        "vague attribution: “They” refers back to “Officials in Moscow”, which names no one"
    )
    # Baselines match on fingerprints: those of the findings kept are what they were, the last
    # "Witnesses" (the second of the file's) included.
    assert [f.fingerprint for f in vague] == [
        "869d806d42602d3d22e1",
        "ad19e5fa60de5488ae81",
        "0f46d33cff0dc4cdbc39",
        "13d4fac55871d78a1be3",
    ]


def test_severity_override_and_off(engine: Engine) -> None:
    custom = Engine(
        EngineOptions(severity={"unsourced-claim": Severity.WARNING, "vague-attribution": None})
    )
    rules = {(f.rule, f.severity) for f in custom.audit_text(ARTICLE).findings}
    assert ("unsourced-claim", Severity.WARNING) in rules
    assert not any(rule == "vague-attribution" for rule, _ in rules)


def test_select_and_ignore(engine: Engine) -> None:
    only = Engine(EngineOptions(select=["vague-attribution"]))
    assert {f.rule for f in only.audit_text(ARTICLE).findings} == {"vague-attribution"}
    without = Engine(EngineOptions(ignore=["unsourced-claim"]))
    assert "unsourced-claim" not in {f.rule for f in without.audit_text(ARTICLE).findings}


def test_unknown_rule_id_is_an_error() -> None:
    with pytest.raises(AttribauditError, match="unknown rule id"):
        Engine(EngineOptions(select=["no-such-rule"]))


def test_unreadable_input_becomes_a_file_error(engine: Engine, tmp_path) -> None:
    result = engine.audit_file(str(tmp_path / "missing.txt"))
    assert result.error and result.document is None
    entry = file_to_dict(result)
    assert entry["status"] == "error" and entry["findings"] == []


def test_chrome_lines_are_blanked_but_offsets_kept(engine: Engine) -> None:
    text = (
        "Headline here\n\nNo time to read?\nGet a summary\n\n"
        "The council met on Monday to vote on the levy.\n\n"
        "Previous Article\n\nA teaser for another story\n"
    )
    result = engine.audit_text(text)
    sentences = [text[r.sentence.span.start : r.sentence.span.end] for r in result.sentences]
    assert "No time to read?" not in sentences and "A teaser for another story" not in sentences
    assert "The council met on Monday to vote on the levy." in sentences
    assert result.hits["chrome-teaser"]


def test_low_reliability_message_keeps_the_raters_scope(engine: Engine) -> None:
    result = engine.audit_text("Anadolu Agency reported that the talks had collapsed on Monday.")
    low = [f for f in result.findings if f.rule == "low-reliability-source"]
    assert low, "a source rated generally unreliable for some topics is reported"
    message = low[0].message
    assert "generally unreliable" in message and "for controversial topics" in message
    assert "Wikipedia RSP (2021-03-17)" in message


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_a_lone_surrogate_in_text_given_to_the_api_is_audited(fmt: str) -> None:
    # A str can hold a lone surrogate (text decoded with surrogateescape, JSON "\ud800"); the
    # finding and directive fingerprints encoded it as strict UTF-8: UnicodeEncodeError.
    engine = Engine(EngineOptions(report_unused_disables=True))
    text = (
        "The council failed everyone \ud800 for a decade.\n\n"
        "<!-- attribaudit-disable-line MOSCOW \ud800 -->\n"
    )
    result = engine.audit_text(text, f"draft.{fmt}", fmt)
    assert {f.rule for f in result.findings} >= {"unsourced-claim", "directive-malformed"}
    assert all(len(f.fingerprint) > 8 for f in result.findings)
    plain = engine.audit_text(text.replace("\ud800", "x"), f"draft.{fmt}", fmt)
    assert len(result.findings) == len(plain.findings)
