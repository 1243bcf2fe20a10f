"""Turn statuses and attributions into findings with rule ids, messages and fingerprints.

Severities are not set here: the engine stamps them from the rule's default and the user's
configuration, so a finding can never carry a severity its rule does not have.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from .models import Attribution, Document, Finding, Kind, SentenceResult, Severity, Span, Status
from .rules import RuleSet
from .whitespace import squeezed

_SPACE = re.compile(r"\s+")
_SIGNAL_WORDS = {
    "number-signal": "figures",
    "causal-signal": "a causal claim",
    "evaluative-signal": "evaluative language",
    "actor-signal": "an actor's deeds",
}


def _said(text: str, limit: int = 60) -> str:
    text = squeezed(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class FindingBuilder:
    def __init__(self, rules: RuleSet) -> None:
        self.org_heads = rules.words("organisation_heads")
        self.low_ratings = rules.words("low_reliability_ratings")

    def build(
        self,
        doc: Document,
        sentences: Sequence[SentenceResult],
        attributions: Sequence[Attribution],
        unresolved: Sequence[Attribution],
        signals_of: dict[int, list[str]],
    ) -> list[Finding]:
        # Messages quote the prose as shown: for HTML and Markdown the raw text holds markup.
        shown = doc.shown
        out: list[Finding] = []
        for result in sentences:
            if result.status is not Status.UNSOURCED:
                continue
            span = result.sentence.span
            signals = [
                _SIGNAL_WORDS[s]
                for s in signals_of.get(result.sentence.index, [])
                if s in _SIGNAL_WORDS
            ]
            why = f" ({', '.join(signals)})" if signals else ""
            out.append(
                Finding(
                    "unsourced-claim",
                    Severity.ERROR,
                    f"unsourced claim{why}: no attribution in scope; attribute it or cut it",
                    span,
                    {"sentence": result.sentence.index},
                )
            )
        seen_unknown: set[str] = set()
        seen_low: set[str] = set()
        for a in attributions:
            source_text = shown(a.source.start, a.source.end) if a.source else None
            if a.kind is Kind.VAGUE:
                word = a.vague_by or (source_text or "")
                span = a.source or a.cue
                if a.source is None:
                    cue = _said(shown(a.cue.start, a.cue.end))
                    message = f"vague attribution: “{cue}” does not say who"
                elif _refers_back(a, source_text or ""):
                    assert a.resolved is not None
                    # "they" names no one only through what it stands for: say what that is.
                    message = (
                        f"vague attribution: “{_said(source_text or '')}” refers back to "
                        f"“{_said(a.resolved.text)}”, which names no one"
                    )
                else:
                    message = f"vague attribution: “{_said(source_text or word)}” names no one"
                out.append(
                    Finding(
                        "vague-attribution",
                        Severity.WARNING,
                        message,
                        span,
                        {"attribution": a.id, "vague_by": word},
                    )
                )
            if a.registry is not None:
                rating = _low_rating(a.registry.reliability, self.low_ratings)
                if rating and a.registry.id not in seen_low:
                    seen_low.add(a.registry.id)
                    out.append(
                        Finding(
                            "low-reliability-source",
                            Severity.WARNING,
                            _rated(a.registry.name, rating),
                            a.source or a.cue,
                            {"attribution": a.id, "registry": a.registry.id},
                        )
                    )
            elif a.source is not None and self._organisation_like(a, source_text or ""):
                key = _SPACE.sub(" ", (source_text or "").casefold()).removeprefix("the ")
                if key not in seen_unknown:
                    seen_unknown.add(key)
                    out.append(
                        Finding(
                            "unknown-source",
                            Severity.INFO,
                            f"source “{_said(source_text or '')}” is not in the registry",
                            a.source,
                            {"attribution": a.id},
                        )
                    )
        for a in attributions:
            if a.kind is Kind.SOURCE_TAG:
                leaning = [
                    r
                    for r in sentences
                    if r.attribution == a.id and r.status is Status.TAGGED and r.assertion
                ]
                if leaning:
                    out.append(
                        Finding(
                            "tag-only-sourcing",
                            Severity.INFO,
                            (
                                f"{len(leaning)} claims in this paragraph rest"
                                if len(leaning) != 1
                                else "1 claim in this paragraph rests"
                            )
                            + f" only on the tag “{_said(shown(a.cue.start, a.cue.end))}”",
                            a.cue,
                            {"attribution": a.id, "sentences": [r.sentence.index for r in leaning]},
                        )
                    )
        credit_cues: set[int] = set()
        for a in attributions:
            if a.kind is Kind.CREDIT and a.cue.start not in credit_cues:
                credit_cues.add(a.cue.start)
                out.append(
                    Finding(
                        "credit-only-sourcing",
                        Severity.INFO,
                        f"document-level credit “{_said(shown(a.cue.start, a.cue.end))}”"
                        " ties no claim to its source",
                        a.cue,
                        {"attribution": a.id},
                    )
                )
        for a in unresolved:
            assert a.source is not None
            out.append(
                Finding(
                    "unresolved-pronoun",
                    Severity.INFO,
                    f"pronoun source “{shown(a.source.start, a.source.end)}”"
                    " has no named source before it",
                    a.source,
                    {"attribution": a.id},
                )
            )
        out.sort(key=lambda f: (f.span.start, f.span.end, f.rule))
        # Fingerprints first, over every finding, so one dropped as a second flag of a source
        # does not renumber the occurrences, and so the fingerprints, of the findings kept.
        fingerprint(doc, out)
        return _one_per_source(out, {a.id: a for a in attributions if a.kind is Kind.VAGUE})

    def _organisation_like(self, a: Attribution, source_text: str) -> bool:
        if a.kind in (Kind.SOURCE_TAG, Kind.CREDIT):
            return True
        name = a.resolved.text if a.resolved is not None else source_text
        # The name, not its appositive: "Hélène Marchetti, the union's general secretary" is
        # a person who speaks for a body, not an unknown organisation.
        name = name.split(",", 1)[0]
        words = {w.lower().strip("’'") for w in name.split()}
        return bool(words & self.org_heads) and any(
            w[:1].isupper() for w in name.split()[1:] or name.split()
        )


def _refers_back(a: Attribution, source_text: str) -> bool:
    """Whether a vague attribution's source is a pronoun or short reference whose antecedent,
    not the words themselves, is what is vague ("they" -> "Officials in Moscow")."""
    return (
        a.resolved is not None
        and a.resolved.via != "name"  # a title dropped: the same words, not an antecedent
        and squeezed(a.resolved.text).casefold() != squeezed(source_text).casefold()
    )


def _one_per_source(findings: list[Finding], vague: dict[str, Attribution]) -> list[Finding]:
    """The findings with one vague-attribution finding per vague source of a sentence.

    An editor reads "Witnesses to these developments describe ... that, in their view, reveal
    ..." as one vague source, which was flagged three times: "Witnesses to these developments",
    "Witnesses" (taken again as the speaker of "reveal") and "their". Two vague findings of one
    sentence are of one source when their spans overlap (one inside the other, or the same),
    or when one is a reference whose antecedent is the other's span; of each such group the
    finding with the longest span is kept, and its evidence lists the others' attributions
    under "same_source". A reference in a sentence of its own stays a finding: its sentence
    is vague through it."""
    groups: dict[int, list[tuple[Finding, Attribution]]] = {}
    for f in findings:
        if f.rule == "vague-attribution":
            a = vague.get(str(f.evidence.get("attribution")))
            if a is not None:
                groups.setdefault(a.sentence, []).append((f, a))
    dropped: set[int] = set()
    for group in groups.values():
        for same in _clusters(group):
            # The longest span; of equal ones the first (findings are sorted by position).
            kept = max(same, key=lambda pair: pair[0].span.end - pair[0].span.start)[0]
            kept.evidence["same_source"] = [a.id for f, a in same if f is not kept]
            dropped.update(id(f) for f, _ in same if f is not kept)
    if not dropped:
        return findings
    return [f for f in findings if id(f) not in dropped]


def _clusters(
    group: list[tuple[Finding, Attribution]],
) -> list[list[tuple[Finding, Attribution]]]:
    """The groups of two or more findings of one sentence that are one source, joined
    transitively, each in the order of `group`."""
    clusters: list[list[tuple[Finding, Attribution]]] = []
    for pair in group:
        joined = [c for c in clusters if any(_same_source(pair, other) for other in c)]
        clusters = [c for c in clusters if not any(c is j for j in joined)]
        clusters.append([*(other for c in joined for other in c), pair])
    order = {id(f): i for i, (f, _) in enumerate(group)}
    return [sorted(c, key=lambda pair: order[id(pair[0])]) for c in clusters if len(c) > 1]


def _same_source(one: tuple[Finding, Attribution], other: tuple[Finding, Attribution]) -> bool:
    (f, a), (g, b) = one, other
    return (
        _overlap(f.span, g.span)
        or (a.resolved is not None and _overlap(a.resolved.span, g.span))
        or (b.resolved is not None and _overlap(b.resolved.span, f.span))
    )


def _overlap(x: Span | None, y: Span) -> bool:
    return x is not None and x.start < y.end and y.start < x.end


def _rated(name: str, rating: dict[str, str]) -> str:
    """'“X” is rated “R” for SCOPE by RATER (DATE)': the rater's words, with the scope a rating
    was given for (one outlet may be rated differently for different topics)."""
    scope = f" for {rating['scope']}" if rating.get("scope") else ""
    rater = rating.get("rater", "its rater")
    date = rating.get("date", "undated")
    return (
        f"“{name}” is rated “{rating['rating']}”{scope} by {rater} ({date});"
        " check the claim elsewhere"
    )


def _low_rating(
    reliability: Sequence[dict[str, str]], low: frozenset[str]
) -> dict[str, str] | None:
    for rating in reliability:
        if str(rating.get("rating", "")).lower() in low:
            return rating
    return None


def fingerprint(doc: Document, findings: list[Finding]) -> None:
    """A stable id per finding: rule + the flagged text + its occurrence number, never its line,
    so a baseline or code scanning still knows the finding after text above it moves."""
    seen: dict[tuple[str, str], int] = {}
    for finding in findings:
        flagged = squeezed(doc.text[finding.span.start : finding.span.end]).casefold()
        key = (finding.rule, flagged)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        # surrogatepass: a str from the API may hold a lone surrogate; other text hashes as
        # plain UTF-8, so fingerprints (and baselines) stay as they were.
        digest = hashlib.sha1(
            f"{finding.rule}\0{flagged}\0{occurrence}".encode("utf-8", "surrogatepass"),
            usedforsecurity=False,
        )
        finding.fingerprint = digest.hexdigest()[:20]
