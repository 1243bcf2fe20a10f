"""Score the extractor against a gold attribution corpus (DESIGN.md, "Accuracy").

Per role (cue, source, content):
- exact: a predicted span equals a gold one, comparing outer bounds after trimming whitespace,
  punctuation and quote marks; for source and content the two attributions' cues must also
  overlap. Matching is one-to-one (a maximum bipartite matching).
- overlap: characters shared with gold over predicted characters (P) and over gold characters (R),
  each role's spans taken as one set of offsets per document.
Per sentence (the pipeline's own sentences): P/R/F1 of "carries an attribution", and the share of
sentences flagged unsourced that carry no gold attribution.

All figures are micro-averaged: counts are summed over documents, then divided.
"""

from __future__ import annotations

import bisect
import json
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .brat import ROLES, Fragment, GoldDocument, read_corpus
from .models import Attribution, FileResult, Status

if TYPE_CHECKING:
    from .engine import Engine

UNKNOWN_PUBLISHER = "unknown"

# Statuses under which the pipeline claims a sentence is sourced somehow. `unsourced` and
# `exempt` are the two that claim no attribution for it.
_ATTRIBUTED_STATUSES = frozenset(
    {Status.ATTRIBUTED, Status.CARRIED, Status.TAGGED, Status.CREDITED, Status.VAGUE}
)

_QUOTE_MARKS = frozenset("\"'`´‘’‚‛“”„‟‹›«»「」『』")


def predicts_attribution(status: Status) -> bool:
    """Whether a sentence status counts as "this sentence carries an attribution"."""
    return status in _ATTRIBUTED_STATUSES


# ---------------------------------------------------------------------------------------------
# Counts (summable) and the ratios made from them


@dataclass
class RoleCounts:
    exact_matched: int = 0
    exact_predicted: int = 0
    exact_gold: int = 0
    overlap_shared: int = 0
    overlap_predicted: int = 0
    overlap_gold: int = 0

    def add(self, other: RoleCounts) -> None:
        self.exact_matched += other.exact_matched
        self.exact_predicted += other.exact_predicted
        self.exact_gold += other.exact_gold
        self.overlap_shared += other.overlap_shared
        self.overlap_predicted += other.overlap_predicted
        self.overlap_gold += other.overlap_gold

    @property
    def exact(self) -> Scores:
        return Scores.of(self.exact_matched, self.exact_predicted, self.exact_gold)

    @property
    def overlap(self) -> Scores:
        return Scores.of(self.overlap_shared, self.overlap_predicted, self.overlap_gold)


@dataclass
class Counts:
    """Everything needed to compute the metrics; adding two Counts pools their documents."""

    documents: int = 0
    errors: int = 0  # documents the pipeline could not process (scored as predicting nothing)
    roles: dict[str, RoleCounts] = field(default_factory=lambda: {r: RoleCounts() for r in ROLES})
    sentences_true_positive: int = 0
    sentences_false_positive: int = 0
    sentences_false_negative: int = 0
    sentences_true_negative: int = 0
    unsourced_flagged: int = 0
    unsourced_without_gold: int = 0

    def add(self, other: Counts) -> None:
        self.documents += other.documents
        self.errors += other.errors
        for role in ROLES:
            self.roles[role].add(other.roles[role])
        self.sentences_true_positive += other.sentences_true_positive
        self.sentences_false_positive += other.sentences_false_positive
        self.sentences_false_negative += other.sentences_false_negative
        self.sentences_true_negative += other.sentences_true_negative
        self.unsourced_flagged += other.unsourced_flagged
        self.unsourced_without_gold += other.unsourced_without_gold

    @property
    def sentence(self) -> Scores:
        tp = self.sentences_true_positive
        return Scores.of(tp, tp + self.sentences_false_positive, tp + self.sentences_false_negative)

    @property
    def unsourced_precision(self) -> float | None:
        return _ratio(self.unsourced_without_gold, self.unsourced_flagged)

    def to_dict(self) -> dict[str, Any]:
        roles = {}
        for role in ROLES:
            counts = self.roles[role]
            roles[role] = {
                "exact": counts.exact.to_dict()
                | {
                    "matched": counts.exact_matched,
                    "predicted": counts.exact_predicted,
                    "gold": counts.exact_gold,
                },
                "overlap": counts.overlap.to_dict()
                | {
                    "shared_chars": counts.overlap_shared,
                    "predicted_chars": counts.overlap_predicted,
                    "gold_chars": counts.overlap_gold,
                },
            }
        return {
            "documents": self.documents,
            "errors": self.errors,
            "roles": roles,
            "sentence": self.sentence.to_dict()
            | {
                "true_positive": self.sentences_true_positive,
                "false_positive": self.sentences_false_positive,
                "false_negative": self.sentences_false_negative,
                "true_negative": self.sentences_true_negative,
            },
            "unsourced": {
                "precision": self.unsourced_precision,
                "flagged": self.unsourced_flagged,
                "without_gold": self.unsourced_without_gold,
            },
        }


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1; None where the denominator is zero (nothing to measure)."""

    precision: float | None
    recall: float | None
    f1: float | None

    @classmethod
    def of(cls, hits: int, predicted: int, gold: int) -> Scores:
        """`hits` counts on both sides (matches, or shared characters)."""
        precision, recall = _ratio(hits, predicted), _ratio(hits, gold)
        if precision is None and recall is None:
            return cls(None, None, None)
        p, r = precision or 0.0, recall or 0.0
        return cls(precision, recall, 2 * p * r / (p + r) if p + r else 0.0)

    def to_dict(self) -> dict[str, float | None]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class EvalResult:
    corpus: str
    counts: Counts
    by_publisher: dict[str, Counts]
    elapsed_seconds: float
    characters: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "characters": self.characters,
            "overall": self.counts.to_dict(),
            "publishers": {name: c.to_dict() for name, c in sorted(self.by_publisher.items())},
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Running the pipeline over a corpus


def evaluate(
    gold_dir: Path,
    engine: Engine | None = None,
    *,
    limit: int | None = None,
    publishers: bool = True,
) -> EvalResult:
    """Run the engine on every text of the corpus (the first `limit`, by name) and score it."""
    if engine is None:
        from .engine import Engine

        engine = Engine()
    started = time.perf_counter()
    total = Counts()
    by_publisher: dict[str, Counts] = {}
    characters = 0
    for gold in islice(read_corpus(gold_dir), limit):
        counts = score_document(gold, engine.audit_text(gold.text, path=gold.name))
        characters += len(gold.text)
        total.add(counts)
        if publishers:
            by_publisher.setdefault(gold.publisher or UNKNOWN_PUBLISHER, Counts()).add(counts)
    return EvalResult(
        corpus=str(gold_dir),
        counts=total,
        by_publisher=by_publisher,
        elapsed_seconds=time.perf_counter() - started,
        characters=characters,
    )


def score_document(gold: GoldDocument, result: FileResult) -> Counts:
    """Compare the pipeline's result for one text with its gold annotations."""
    counts = Counts(documents=1, errors=0 if result.ok else 1)
    predictions = result.attributions if result.ok else []
    for role in ROLES:
        gold_parts = [(a.role(role), a.cue) for a in gold.attributions]
        predicted_parts = [(_predicted_role(p, role), [_pair(p.cue)]) for p in predictions]
        _score_role(counts.roles[role], gold.text, role, gold_parts, predicted_parts)

    gold_chars = _merge(f for a in gold.attributions for r in ROLES for f in a.role(r))
    sentences = result.sentences if result.ok else []
    for sentence_result in sentences:
        span = sentence_result.sentence.span
        has_gold = _intersects(gold_chars, span.start, span.end)
        predicted = predicts_attribution(sentence_result.status)
        if predicted and has_gold:
            counts.sentences_true_positive += 1
        elif predicted:
            counts.sentences_false_positive += 1
        elif has_gold:
            counts.sentences_false_negative += 1
        else:
            counts.sentences_true_negative += 1
        if sentence_result.status is Status.UNSOURCED:
            counts.unsourced_flagged += 1
            counts.unsourced_without_gold += not has_gold
    return counts


def _predicted_role(attribution: Attribution, role: str) -> list[Fragment]:
    if role == "cue":
        return [_pair(attribution.cue)]
    if role == "source":
        return [_pair(attribution.source)] if attribution.source is not None else []
    return [_pair(span) for span in attribution.content]


def _pair(span: Any) -> Fragment:
    return (span.start, span.end)


# ---------------------------------------------------------------------------------------------
# One role in one document

# (role fragments, cue fragments) of one attribution
_Part = tuple[list[Fragment], list[Fragment]]


def _score_role(
    counts: RoleCounts,
    text: str,
    role: str,
    gold_parts: Sequence[_Part],
    predicted_parts: Sequence[_Part],
) -> None:
    gold_items = [(trimmed_bounds(text, frags), cue) for frags, cue in gold_parts if frags]
    predicted_items = [
        (trimmed_bounds(text, frags), cue) for frags, cue in predicted_parts if frags
    ]
    need_cue_overlap = role != "cue"
    gold_by_bounds: dict[Fragment, list[int]] = {}
    for index, (bounds, _) in enumerate(gold_items):
        gold_by_bounds.setdefault(bounds, []).append(index)
    candidates = [
        [
            g
            for g in gold_by_bounds.get(bounds, ())
            if not need_cue_overlap or _any_overlap(cue, gold_items[g][1])
        ]
        for bounds, cue in predicted_items
    ]
    counts.exact_matched += _maximum_matching(candidates)
    counts.exact_predicted += len(predicted_items)
    counts.exact_gold += len(gold_items)

    gold_chars = _merge(f for frags, _ in gold_parts for f in frags)
    predicted_chars = _merge(f for frags, _ in predicted_parts for f in frags)
    counts.overlap_shared += _shared_length(gold_chars, predicted_chars)
    counts.overlap_predicted += _length(predicted_chars)
    counts.overlap_gold += _length(gold_chars)


def _is_trimmable(char: str) -> bool:
    return char.isspace() or char in _QUOTE_MARKS or unicodedata.category(char)[0] == "P"


def trimmed_bounds(text: str, fragments: Sequence[Fragment]) -> Fragment:
    """Outer bounds of the fragments, with whitespace, punctuation and quotes cut from both ends.

    A span made only of such characters (the cue ":" is common in PolNeAR) keeps its bounds, so
    it can still be compared.
    """
    start = min(s for s, _ in fragments)
    end = max(e for _, e in fragments)
    trimmed_start, trimmed_end = start, end
    while trimmed_start < trimmed_end and _is_trimmable(text[trimmed_start]):
        trimmed_start += 1
    while trimmed_end > trimmed_start and _is_trimmable(text[trimmed_end - 1]):
        trimmed_end -= 1
    if trimmed_start == trimmed_end:
        return (start, end)
    return (trimmed_start, trimmed_end)


def _any_overlap(first: Sequence[Fragment], second: Sequence[Fragment]) -> bool:
    return any(a < d and c < b for a, b in first for c, d in second)


def _maximum_matching(candidates: list[list[int]]) -> int:
    """Size of a maximum one-to-one matching; candidates[p] lists the golds p may match.

    Kuhn's augmenting paths: candidate lists are tiny (golds sharing one span), so this is fast
    and, unlike greedy matching, never loses a pair to an unlucky order.
    """
    owner: dict[int, int] = {}  # gold index -> predicted index

    def augment(predicted: int, seen: set[int]) -> bool:
        for gold in candidates[predicted]:
            if gold in seen:
                continue
            seen.add(gold)
            if gold not in owner or augment(owner[gold], seen):
                owner[gold] = predicted
                return True
        return False

    return sum(augment(p, set()) for p in range(len(candidates)) if candidates[p])


# ---------------------------------------------------------------------------------------------
# Character sets as sorted, disjoint half-open intervals (no per-character sets)


def _merge(fragments: Iterable[Fragment]) -> list[Fragment]:
    merged: list[Fragment] = []
    for start, end in sorted(f for f in fragments if f[1] > f[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _length(intervals: Sequence[Fragment]) -> int:
    return sum(end - start for start, end in intervals)


def _shared_length(first: Sequence[Fragment], second: Sequence[Fragment]) -> int:
    shared, i, j = 0, 0, 0
    while i < len(first) and j < len(second):
        (a, b), (c, d) = first[i], second[j]
        shared += max(0, min(b, d) - max(a, c))
        if b <= d:
            i += 1
        else:
            j += 1
    return shared


def _intersects(intervals: Sequence[Fragment], start: int, end: int) -> bool:
    # The first interval ending after `start` is the only one that can reach into [start, end).
    index = bisect.bisect_right(intervals, start, key=lambda interval: interval[1])
    return index < len(intervals) and intervals[index][0] < end
