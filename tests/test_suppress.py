"""Inline suppression directives: each form, and the findings about the directives themselves."""

from __future__ import annotations

import re

from attribaudit.models import Document, Finding, Severity, Span
from attribaudit.suppress import (
    DIRECTIVE_RULES,
    MALFORMED,
    NO_REASON,
    UNUSED,
    apply_directives,
    parse_directives,
)

UNSOURCED = "unsourced-claim"
VAGUE = "vague-attribution"
UNKNOWN = "unknown-source"
KNOWN = {UNSOURCED, VAGUE, UNKNOWN}

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


def make_doc(text: str, fmt: str = "md") -> Document:
    comments = [Span(m.start(), m.end()) for m in _COMMENT.finditer(text)]
    return Document("article.md", text, text, fmt, comments=comments)


def finding_at(doc: Document, word: str, rule: str = UNSOURCED) -> Finding:
    """A finding of `rule` on the first occurrence of `word`."""
    start = doc.text.index(word)
    return Finding(rule, Severity.ERROR, f"{rule} on {word}", Span(start, start + len(word)))


def run(doc: Document, findings: list[Finding], **options: bool) -> list[Finding]:
    return apply_directives(doc, findings, known_rules=KNOWN, **options)


def words(doc: Document, findings: list[Finding]) -> list[str]:
    return [doc.slice(f.span) for f in findings if not f.rule.startswith("directive-")]


def directive_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule.startswith("directive-")]


# --------------------------------------------------------------------------- parsing


def test_parse_each_form_with_rules_and_reason() -> None:
    doc = make_doc(
        "<!-- attribaudit-disable unsourced-claim, vague-attribution -- opinion column -->\n"
        "<!-- attribaudit-enable -->\n"
        "<!--attribaudit-disable-next-line unknown-source-->\n"
        "Text <!-- attribaudit-disable-line vague-attribution unsourced-claim -- quoted -->\n"
        "<!-- an ordinary comment -->\n"
    )
    directives, problems = parse_directives(doc, KNOWN)
    assert problems == []
    assert [(d.kind, d.rules, d.reason, d.line) for d in directives] == [
        ("disable", (UNSOURCED, VAGUE), "opinion column", 1),
        ("enable", (), None, 2),
        ("disable-next-line", (UNKNOWN,), None, 3),
        ("disable-line", (VAGUE, UNSOURCED), "quoted", 4),
    ]
    assert doc.slice(directives[0].span).startswith("<!-- attribaudit-disable ")


def test_comments_not_starting_with_prefix_are_ignored() -> None:
    doc = make_doc("<!-- note: attribaudit-disable unsourced-claim -->\nThe sky fell.\n")
    found = [finding_at(doc, "sky")]
    assert parse_directives(doc, KNOWN) == ([], [])
    assert run(doc, found) == found


# --------------------------------------------------------------------------- each form


def test_region_disable_and_enable() -> None:
    doc = make_doc(
        "Before one.\n"
        "<!-- attribaudit-disable unsourced-claim -- column -->\n"
        "Inside two.\n"
        "<!-- attribaudit-enable unsourced-claim -->\n"
        "After three.\n"
    )
    found = [finding_at(doc, w) for w in ("one", "two", "three")]
    found.append(finding_at(doc, "Inside", VAGUE))  # another rule: not suppressed
    result = run(doc, found)
    assert words(doc, result) == ["one", "three", "Inside"]
    assert directive_findings(result) == []


def test_region_without_rules_covers_every_rule_and_enable_one_rule() -> None:
    doc = make_doc(
        "<!-- attribaudit-disable -- archive copy -->\n"
        "First claim.\n"
        "<!-- attribaudit-enable vague-attribution -->\n"
        "Second claim.\n"
        "<!-- attribaudit-enable -->\n"
        "Third claim.\n"
    )
    found = [
        finding_at(doc, "First", UNSOURCED),
        finding_at(doc, "First", VAGUE),
        finding_at(doc, "Second", UNSOURCED),  # still off: only vague was enabled
        finding_at(doc, "Second", VAGUE),
        finding_at(doc, "Third", UNSOURCED),
    ]
    result = run(doc, found)
    assert [(doc.slice(f.span), f.rule) for f in result] == [
        ("Second", VAGUE),
        ("Third", UNSOURCED),
    ]


def test_disable_next_line_skips_blank_and_comment_lines() -> None:
    doc = make_doc(
        "<!-- attribaudit-disable-next-line unsourced-claim -- from our survey -->\n"
        "\n"
        "<!-- attribaudit-disable-next-line vague-attribution -->\n"
        "Target line here.\n"
        "Next line there.\n"
    )
    found = [
        finding_at(doc, "Target", UNSOURCED),
        finding_at(doc, "here", VAGUE),
        finding_at(doc, "Next", UNSOURCED),
    ]
    assert words(doc, run(doc, found)) == ["Next"]


def test_disable_line_covers_only_its_own_line() -> None:
    doc = make_doc(
        "Claim one. <!-- attribaudit-disable-line unsourced-claim -- quoted later -->\nClaim two.\n"
    )
    found = [finding_at(doc, "one"), finding_at(doc, "two")]
    assert words(doc, run(doc, found)) == ["two"]


def test_finding_start_offset_decides() -> None:
    # A finding that starts before a region and runs into it is not suppressed.
    doc = make_doc(
        "Long claim <!-- attribaudit-disable unsourced-claim --> rest <!-- attribaudit-enable -->"
    )
    start = doc.text.index("Long")
    spanning = Finding(UNSOURCED, Severity.ERROR, "m", Span(start, doc.text.index("rest") + 4))
    inside = finding_at(doc, "rest")
    assert run(doc, [spanning, inside]) == [spanning]


# --------------------------------------------------------------------------- malformed


def test_unknown_directive_word_is_malformed_and_suppresses_nothing() -> None:
    doc = make_doc("<!-- attribaudit-disabel unsourced-claim -->\nClaim.\n")
    found = [finding_at(doc, "Claim")]
    result = run(doc, found)
    assert words(doc, result) == ["Claim"]
    [problem] = directive_findings(result)
    assert problem.rule == MALFORMED
    assert problem.severity is Severity.WARNING
    assert "attribaudit-disabel" in problem.message
    assert "did you mean 'attribaudit-disable'" in problem.message
    assert problem.span == doc.comments[0]


def test_unknown_rule_id_is_malformed_and_does_not_become_all_rules() -> None:
    doc = make_doc("<!-- attribaudit-disable-next-line unsourced-claims -->\nClaim here.\n")
    found = [finding_at(doc, "Claim"), finding_at(doc, "here", VAGUE)]
    result = run(doc, found)
    assert words(doc, result) == ["Claim", "here"]
    [problem] = directive_findings(result)
    assert problem.rule == MALFORMED
    assert (
        "unsourced-claims" in problem.message
        and "did you mean 'unsourced-claim'" in problem.message
    )


def test_unknown_rule_id_keeps_the_known_ones() -> None:
    doc = make_doc("<!-- attribaudit-disable-next-line made-up, vague-attribution -->\nClaim.\n")
    result = run(doc, [finding_at(doc, "Claim", VAGUE)])
    assert words(doc, result) == []
    assert [f.rule for f in result] == [MALFORMED]


def test_enable_without_disable_is_malformed() -> None:
    doc = make_doc(
        "Claim.\n<!-- attribaudit-enable -->\n"
        "<!-- attribaudit-disable vague-attribution -->\nx\n"
        "<!-- attribaudit-enable unsourced-claim -->\n"
        "<!-- attribaudit-enable vague-attribution -->\n"
    )
    problems = directive_findings(run(doc, []))
    assert [p.rule for p in problems] == [MALFORMED, MALFORMED]
    assert doc.lines.position(problems[0].span.start)[0] == 2
    assert "without a matching" in problems[0].message
    assert doc.lines.position(problems[1].span.start)[0] == 5
    assert "unsourced-claim" in problems[1].message


def test_unterminated_region_is_malformed_but_still_applies() -> None:
    doc = make_doc("<!-- attribaudit-disable unsourced-claim -- legacy -->\nClaim to the end.\n")
    result = run(doc, [finding_at(doc, "Claim")])
    assert words(doc, result) == []
    [problem] = directive_findings(result)
    assert problem.rule == MALFORMED
    assert "no matching attribaudit-enable" in problem.message


def test_unclosed_comment_is_malformed() -> None:
    doc = make_doc("Claim.\n<!-- attribaudit-disable unsourced-claim\nMore text.\n")
    result = run(doc, [finding_at(doc, "More")])
    assert words(doc, result) == ["More"]
    assert [f.rule for f in directive_findings(result)] == [MALFORMED]


# --------------------------------------------------------------------------- reason and unused


def test_no_reason_only_when_required() -> None:
    doc = make_doc(
        "<!-- attribaudit-disable-line unsourced-claim --> Claim one.\n"
        "<!-- attribaudit-disable-line unsourced-claim -- a reason --> Claim two.\n"
        "<!-- attribaudit-disable-line unsourced-claim --   --> Claim three.\n"
    )
    found = [finding_at(doc, w) for w in ("one", "two", "three")]
    assert directive_findings(run(doc, found)) == []
    problems = directive_findings(run(doc, found, require_reason=True))
    assert [p.rule for p in problems] == [NO_REASON, NO_REASON]
    assert all(p.severity is Severity.WARNING for p in problems)
    assert [doc.lines.position(p.span.start)[0] for p in problems] == [1, 3]
    # the suppression itself still works
    assert words(doc, run(doc, found, require_reason=True)) == []


def test_unused_only_when_asked() -> None:
    doc = make_doc(
        "<!-- attribaudit-disable-next-line unsourced-claim -- x -->\nClaim used.\n"
        "<!-- attribaudit-disable-next-line vague-attribution -- x -->\nClaim unused.\n"
        "<!-- attribaudit-disable unknown-source -- x -->\nNothing here.\n"
        "<!-- attribaudit-enable -->\n"
    )
    found = [finding_at(doc, "used"), finding_at(doc, "unused")]
    assert directive_findings(run(doc, found)) == []
    problems = directive_findings(run(doc, found, report_unused=True))
    assert [p.rule for p in problems] == [UNUSED, UNUSED]
    assert all(p.severity is Severity.INFO for p in problems)
    assert [doc.lines.position(p.span.start)[0] for p in problems] == [3, 5]
    assert words(doc, run(doc, found, report_unused=True)) == ["unused"]


def test_directive_finding_is_not_suppressed_by_its_own_directive() -> None:
    # This directive names directive-unused, yet it must not hide the report that it is unused.
    doc = make_doc("<!-- attribaudit-disable-line directive-unused -- x --> Clean text.\n")
    problems = directive_findings(run(doc, [], report_unused=True))
    assert [p.rule for p in problems] == [UNUSED]


def test_directive_findings_can_be_suppressed_by_another_directive_naming_them() -> None:
    doc = make_doc(
        "<!-- attribaudit-disable directive-no-reason -- legacy markup below -->\n"
        "<!-- attribaudit-disable-next-line unsourced-claim -->\nClaim.\n"
        "<!-- attribaudit-enable directive-no-reason -->\n"
    )
    result = run(doc, [finding_at(doc, "Claim")], require_reason=True)
    assert result == []


def test_blanket_disable_does_not_hide_directive_problems() -> None:
    doc = make_doc("<!-- attribaudit-disable -- x -->\n<!-- attribaudit-enabel -->\n")
    rules = [f.rule for f in run(doc, [])]
    # the typo, and the region it leaves open
    assert rules == [MALFORMED, MALFORMED]


def test_no_comments_returns_findings_unchanged() -> None:
    doc = Document("a.txt", "Claim.", "Claim.", "txt")
    found = [finding_at(doc, "Claim")]
    assert run(doc, found, require_reason=True, report_unused=True) == found


def test_directive_rules_are_described() -> None:
    by_id = {rule.id: rule for rule in DIRECTIVE_RULES}
    assert set(by_id) == {MALFORMED, NO_REASON, UNUSED}
    assert by_id[MALFORMED].severity is Severity.WARNING
    assert by_id[NO_REASON].severity is Severity.WARNING
    assert by_id[UNUSED].severity is Severity.INFO
    assert all(r.category == "directive" and r.summary and r.description for r in DIRECTIVE_RULES)
