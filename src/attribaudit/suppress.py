"""Inline suppression directives written in comments.

    <!-- attribaudit-disable RULE[,RULE...] -- reason -->      (a region, up to ...)
    <!-- attribaudit-enable [RULE...] -->                       (... this)
    <!-- attribaudit-disable-next-line RULE -- reason -->       (the next non-blank line)
    <!-- attribaudit-disable-line RULE -- reason -->            (the line the comment is on)

No RULE means every rule. A finding is suppressed when its start offset lies in a region or line
that a directive for its rule covers. For regions the last directive before the finding that
names its rule (or names none) decides, so `disable` then `enable A` leaves every rule but A off.

Problems with the directives themselves are findings too (DIRECTIVE_RULES). They can only be
silenced by another directive that names their rule explicitly: a blanket `attribaudit-disable`
must not hide the warning that its own `attribaudit-enable` was misspelt.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .models import Document, Finding, RuleInfo, Severity, Span

PREFIX = "attribaudit-"
DISABLE = "disable"
ENABLE = "enable"
DISABLE_NEXT_LINE = "disable-next-line"
DISABLE_LINE = "disable-line"
DIRECTIVE_KINDS = (DISABLE, ENABLE, DISABLE_NEXT_LINE, DISABLE_LINE)

MALFORMED = "directive-malformed"
NO_REASON = "directive-no-reason"
UNUSED = "directive-unused"

DIRECTIVE_RULES: list[RuleInfo] = [
    RuleInfo(
        id=MALFORMED,
        category="directive",
        summary="A suppression directive that cannot be applied as written.",
        description=(
            "Reported for an `attribaudit-` comment with an unknown directive word, a rule id "
            "that no loaded rule has, an `attribaudit-enable` with no `attribaudit-disable` "
            "in force for its rules, an `attribaudit-disable` never closed by an "
            "`attribaudit-enable` (it then runs to the end of the file), or a comment that is "
            "never closed with `-->`. Fix the directive; a misspelt one suppresses nothing."
        ),
        severity=Severity.WARNING,
        pack="built-in",
    ),
    RuleInfo(
        id=NO_REASON,
        category="directive",
        summary="A suppression directive without a reason.",
        description=(
            "Only when `require_reason` is on. Every `attribaudit-disable`, "
            "`attribaudit-disable-next-line` and `attribaudit-disable-line` must say why after "
            "` -- `, as in `<!-- attribaudit-disable-line unsourced-claim -- figure from our "
            "own survey -->`, so a reviewer can judge the exception."
        ),
        severity=Severity.WARNING,
        pack="built-in",
    ),
    RuleInfo(
        id=UNUSED,
        category="directive",
        summary="A suppression directive that suppressed nothing.",
        description=(
            "Only when `report_unused_disables` is on. The directive covers no finding of the "
            "rules it names, usually because the text was fixed or moved; remove it so it "
            "cannot hide a future problem."
        ),
        severity=Severity.INFO,
        pack="built-in",
    ),
]
DIRECTIVE_RULE_IDS = frozenset(rule.id for rule in DIRECTIVE_RULES)
_DEFAULT_SEVERITY = {rule.id: rule.severity or Severity.WARNING for rule in DIRECTIVE_RULES}

_DIRECTIVE_RE = re.compile(r"attribaudit-(?P<word>[A-Za-z]+(?:-[A-Za-z]+)*)(?P<rest>.*)\Z", re.S)
# The reason follows a free-standing "--"; rule ids never contain one.
_REASON_SEP_RE = re.compile(r"(?:^|\s)--(?:\s|$)")
_RULE_SEP_RE = re.compile(r"[\s,]+")


@dataclass(slots=True)
class Directive:
    """One parsed directive. `rules` empty means every rule."""

    kind: str  # one of DIRECTIVE_KINDS
    rules: tuple[str, ...]
    reason: str | None
    span: Span  # the whole comment
    line: int

    def applies_to(self, rule: str) -> bool:
        return not self.rules or rule in self.rules

    @property
    def label(self) -> str:
        return " ".join((PREFIX + self.kind, ",".join(self.rules))).strip()


# --------------------------------------------------------------------------- parsing


def _comment_body(raw: str) -> tuple[str, bool]:
    """The comment's content without `<!--`/`-->`, and whether it was closed."""
    body, closed = raw, True
    if body.startswith("<!--"):
        body = body[4:]
        closed = body.endswith("-->")
        if closed:
            body = body[:-3]
    return body.strip(), closed


def _suggest(word: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _fingerprint(rule: str, text: str) -> str:
    # Independent of line numbers, like the engine's: moving the comment keeps its identity.
    key = f"{rule}\0{' '.join(text.split())}".encode("utf-8", "surrogatepass")  # as findings'
    digest = hashlib.blake2b(key, digest_size=8)
    return digest.hexdigest()


def _finding(
    doc: Document, rule: str, message: str, span: Span, directive: Directive | None = None
) -> Finding:
    evidence: dict[str, object] = {"line": doc.lines.position(span.start)[0]}
    if directive is not None:
        evidence.update(directive=PREFIX + directive.kind, rules=list(directive.rules))
        evidence["reason"] = directive.reason
    return Finding(
        rule=rule,
        severity=_DEFAULT_SEVERITY[rule],
        message=message,
        span=span,
        evidence=evidence,
        fingerprint=_fingerprint(rule, doc.slice(span)),
    )


def _parse_one(
    doc: Document, span: Span, known: frozenset[str] | None
) -> tuple[Directive | None, list[Finding]]:
    body, closed = _comment_body(doc.slice(span))
    if not body.startswith(PREFIX):
        return None, []
    if not closed:
        message = "unterminated comment: the directive is never closed with -->"
        return None, [_finding(doc, MALFORMED, message, span)]
    match = _DIRECTIVE_RE.match(body)
    word = match.group("word") if match else ""
    rest = match.group("rest") if match else ""
    if match is None or word not in DIRECTIVE_KINDS or (rest and not rest[0].isspace()):
        written = body.split(None, 1)[0]
        message = (
            f"unknown directive '{written}'"
            f"{_suggest(written, [PREFIX + k for k in DIRECTIVE_KINDS])}; use attribaudit-disable,"
            " attribaudit-enable, attribaudit-disable-next-line or attribaudit-disable-line"
        )
        return None, [_finding(doc, MALFORMED, message, span)]

    separator = _REASON_SEP_RE.search(rest)
    rules_text = rest[: separator.start()] if separator else rest
    reason = rest[separator.end() :].strip() if separator else ""
    rules = tuple(dict.fromkeys(r for r in _RULE_SEP_RE.split(rules_text) if r))
    directive = Directive(word, rules, reason or None, span, doc.lines.position(span.start)[0])

    findings = []
    if known is not None:
        unknown = [r for r in rules if r not in known]
        for rule in unknown:
            message = f"unknown rule id '{rule}' in {PREFIX}{word}{_suggest(rule, known)}"
            findings.append(_finding(doc, MALFORMED, message, span, directive))
        if unknown:
            directive.rules = tuple(r for r in rules if r in known)
            if not directive.rules:
                # Dropping every id would turn it into "all rules": apply nothing instead.
                return None, findings
    return directive, findings


def parse_directives(
    doc: Document, known_rules: Iterable[str] | None = None
) -> tuple[list[Directive], list[Finding]]:
    """The directives in `doc.comments`, in document order, and findings for malformed ones.

    With `known_rules`, unknown rule ids are reported and left out of the directive (a directive
    left with none is dropped). Without it, rule ids are not checked.
    """
    known = None if known_rules is None else frozenset(known_rules) | DIRECTIVE_RULE_IDS
    directives: list[Directive] = []
    findings: list[Finding] = []
    for span in sorted(doc.comments, key=lambda s: s.start):
        directive, problems = _parse_one(doc, span, known)
        findings.extend(problems)
        if directive is not None:
            directives.append(directive)
    return directives, findings


# --------------------------------------------------------------------------- scopes


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end == -1 else end


class _CommentIndex:
    """Answers "is this line blank once comments are taken out?"."""

    def __init__(self, text: str, comments: Sequence[Span]) -> None:
        self._text = text
        self._spans = sorted(comments, key=lambda s: s.start)
        self._starts = [s.start for s in self._spans]

    def blank(self, start: int, end: int) -> bool:
        text = self._text
        if not text[start:end].strip():
            return True
        cursor = start
        # Comments starting before the line may still reach into it; step back one.
        index = max(bisect.bisect_left(self._starts, start) - 1, 0)
        for span in self._spans[index:]:
            if span.start >= end:
                break
            if span.end <= cursor:
                continue
            if text[cursor : max(span.start, cursor)].strip():
                return False
            cursor = max(cursor, span.end)
        return not text[cursor:end].strip()


def _line_scope(doc: Document, directive: Directive, comments: _CommentIndex) -> Span | None:
    text = doc.text
    first, _ = _line_bounds(text, directive.span.start)
    _, last = _line_bounds(text, max(directive.span.end - 1, directive.span.start))
    if directive.kind == DISABLE_LINE:
        return Span(first, last)
    position = last
    while position < len(text):
        start, end = _line_bounds(text, position + 1)
        if not comments.blank(start, end):
            return Span(start, end)
        position = end
    return None


@dataclass(slots=True)
class _Event:
    offset: int
    directive: int  # index into the directive list
    disables: bool


class _Scopes:
    """Which directive, if any, suppresses a finding of `rule` at `offset`."""

    def __init__(self, doc: Document, directives: Sequence[Directive]) -> None:
        self.directives = directives
        comments = _CommentIndex(doc.text, doc.comments)
        self.lines: list[tuple[int, Span]] = []
        self.events: list[_Event] = []
        for index, directive in enumerate(directives):
            if directive.kind in (DISABLE_LINE, DISABLE_NEXT_LINE):
                scope = _line_scope(doc, directive, comments)
                if scope is not None:
                    self.lines.append((index, scope))
            elif directive.kind == DISABLE:
                self.events.append(_Event(directive.span.end, index, True))
            else:
                self.events.append(_Event(directive.span.start, index, False))
        self.events.sort(key=lambda e: e.offset)
        self._by_rule: dict[str, tuple[list[int], list[_Event]]] = {}

    def _events_for(self, rule: str) -> tuple[list[int], list[_Event]]:
        cached = self._by_rule.get(rule)
        if cached is None:
            events = [e for e in self.events if self.directives[e.directive].applies_to(rule)]
            cached = ([e.offset for e in events], events)
            self._by_rule[rule] = cached
        return cached

    def suppressors(self, rule: str, offset: int, *, explicit_only: bool = False) -> list[int]:
        """Indexes of the directives that suppress `rule` at `offset`."""
        found = []
        for index, scope in self.lines:
            directive = self.directives[index]
            if scope.contains(offset) and self._names(directive, rule, explicit_only):
                found.append(index)
        offsets, events = self._events_for(rule)
        position = bisect.bisect_right(offsets, offset) - 1
        if position >= 0 and events[position].disables:
            index = events[position].directive
            if self._names(self.directives[index], rule, explicit_only):
                found.append(index)
        return found

    @staticmethod
    def _names(directive: Directive, rule: str, explicit_only: bool) -> bool:
        return rule in directive.rules if explicit_only else directive.applies_to(rule)


def _region_problems(doc: Document, directives: Sequence[Directive]) -> list[Finding]:
    """Enables with nothing to enable, and disables still in force at the end of the file."""
    findings = []
    everything: int | None = None  # the directive disabling every rule, if one is in force
    per_rule: dict[str, int | None] = {}  # rule -> disabling directive, or None when enabled
    for index, directive in enumerate(directives):
        if directive.kind == DISABLE:
            if directive.rules:
                per_rule.update(dict.fromkeys(directive.rules, index))
            else:
                everything, per_rule = index, {}
        elif directive.kind == ENABLE:
            if directive.rules:
                for rule in directive.rules:
                    if per_rule.get(rule, everything) is None:
                        message = f"{PREFIX}enable {rule}: that rule is not disabled here"
                        findings.append(
                            _finding(doc, MALFORMED, message, directive.span, directive)
                        )
                    per_rule[rule] = None
            else:
                if everything is None and all(v is None for v in per_rule.values()):
                    message = f"{PREFIX}enable without a matching {PREFIX}disable"
                    findings.append(_finding(doc, MALFORMED, message, directive.span, directive))
                everything, per_rule = None, {}
    still_open = {everything, *per_rule.values()} - {None}
    for index in sorted(i for i in still_open if i is not None):
        directive = directives[index]
        message = (
            f"{directive.label} has no matching {PREFIX}enable; "
            "it is in force to the end of the file"
        )
        findings.append(_finding(doc, MALFORMED, message, directive.span, directive))
    return findings


# --------------------------------------------------------------------------- applying


def apply_directives(
    doc: Document,
    findings: list[Finding],
    *,
    known_rules: set[str],
    require_reason: bool = False,
    report_unused: bool = False,
) -> list[Finding]:
    """The findings no directive suppresses, in their order, then the directive findings
    (`directive-malformed`, and `directive-no-reason` / `directive-unused` when asked for)."""
    if not doc.comments:
        return list(findings)
    directives, problems = parse_directives(doc, known_rules)
    if not directives and not problems:
        return list(findings)

    scopes = _Scopes(doc, directives)
    used: set[int] = set()
    survivors = []
    for finding in findings:
        suppressors = scopes.suppressors(finding.rule, finding.span.start)
        if suppressors:
            used.update(suppressors)
        else:
            survivors.append(finding)

    # (finding, index of the directive it concerns, or None for an unparsable comment)
    concerning: list[tuple[Finding, int | None]] = [
        (problem, _index_at(problem, directives))
        for problem in (*problems, *_region_problems(doc, directives))
    ]
    for index, directive in enumerate(directives):
        if directive.kind == ENABLE:
            continue
        if require_reason and directive.reason is None:
            message = f"{directive.label} has no reason; add ' -- why' after the rule ids"
            concerning.append((_finding(doc, NO_REASON, message, directive.span, directive), index))
        if report_unused and index not in used:
            message = f"{directive.label} suppressed nothing; remove it"
            concerning.append((_finding(doc, UNUSED, message, directive.span, directive), index))

    for finding, index in sorted(concerning, key=lambda pair: pair[0].span.start):
        suppressors = scopes.suppressors(finding.rule, finding.span.start, explicit_only=True)
        if not [i for i in suppressors if i != index]:
            survivors.append(finding)
    return survivors


def _index_at(finding: Finding, directives: Sequence[Directive]) -> int | None:
    for index, directive in enumerate(directives):
        if directive.span == finding.span:
            return index
    return None
