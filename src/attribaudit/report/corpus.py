"""The corpus summary: what a whole batch says about an archive's sourcing.

Accumulated one report entry at a time in constant memory (counters bounded by the registry's
size, a bounded counter for names outside it, a bounded heap for the worst files), so it costs
the same for ten files or a million. The result is the report's top-level "corpus" object:

    {"files": 840, "audited": 839, "failed": 1,
     "sentences": 31000, "assertions": 29000, "sourced": 12000, "unsourced": 15000, "vague": 800,
     "sourced_share": 0.41,
     "sources": [{"id", "name", "type", "citations", "files", "aliases": [...]}],     most cited
     "unregistered": [{"source", "citations", "files"}],          most cited, not in the registry
     "unregistered_distinct": 5321, "unregistered_approximate": false,
     "unsourced_files": [{"path", "assertions", "unsourced", "share"}],    highest unsourced share
     "min_assertions": 3}

The terminal report prints it (`terminal.print_corpus`); this module does not import rich, so
the machine formats, which only count, do not pay for loading it.
"""

from __future__ import annotations

import heapq
from collections import Counter
from typing import Any, NamedTuple

from ..whitespace import squeezed

SOURCED_STATUSES = frozenset({"attributed", "carried", "tagged", "credited"})
# Attributions whose source names someone (a vague one, "critics", is reported on its own).
NAMED_KINDS = frozenset({"direct", "according-to", "source-tag", "credit"})
# An unresolved pronoun is not a source name worth listing.
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"})

TOP_SOURCES = 10
TOP_FILES = 10
# A file needs this many assertions to be ranked by its unsourced share: otherwise one-line
# captions and briefs (one claim, 100% unsourced) would fill the list.
MIN_ASSERTIONS = 3
# Distinct unregistered names kept exactly; past this, the rarest are pruned (counts of the
# frequent ones stay exact in practice, and the output says the tail is approximate).
NAME_CAPACITY = 20_000


class FileCorpus(NamedTuple):
    """What one report entry adds to the corpus summary (made by `corpus_record`).

    Tuples of strings and counts, cheap to pickle: a worker process that encodes the entry
    itself sends the parent this instead of the entry's sentences and attributions."""

    path: str
    failed: bool
    sentences: int = 0
    assertions: int = 0
    sourced: int = 0  # assertions with a sourced status
    unsourced: int = 0
    vague: int = 0
    # (id, name, type, alias) of each attribution matched to the registry, in order.
    registered: tuple[tuple[str, str, str, str], ...] = ()
    # (casefolded key, name as written) of each other attribution that names a source.
    unregistered: tuple[tuple[str, str], ...] = ()


def corpus_record(entry: dict[str, Any]) -> FileCorpus:
    """The part of a report entry that `CorpusSummary` counts."""
    if entry.get("status") == "error":
        return FileCorpus(entry.get("path", ""), failed=True)
    sentences = assertions = sourced = unsourced = vague = 0
    for sentence in entry.get("sentences", ()):
        sentences += 1
        status = sentence.get("status")
        # Claims as the file summary counts them: a vague sentence is one whatever its length.
        if sentence.get("assertion") or status == "vague":
            assertions += 1
            if status in SOURCED_STATUSES:
                sourced += 1
        if status == "unsourced":
            unsourced += 1
        elif status == "vague":
            vague += 1
    registered = []
    unregistered = []
    for a in entry.get("attributions", ()):
        reg = a.get("registry")
        if reg:
            registered.append((reg["id"], reg["name"], reg["type"], reg["alias"]))
            continue
        if a.get("kind") not in NAMED_KINDS or a.get("source") is None:
            continue
        name = a["resolved"]["text"] if a.get("resolved") else a["source"]["text"]
        name = squeezed(name)
        key = name.casefold()
        if key and key not in _PRONOUNS:
            unregistered.append((key, name))
    return FileCorpus(
        entry["path"],
        False,
        sentences,
        assertions,
        sourced,
        unsourced,
        vague,
        tuple(registered),
        tuple(unregistered),
    )


class BoundedCounter:
    """Counts keys in bounded memory: when more than `capacity` distinct keys are held, the
    rarer half is dropped (lossy counting). Frequent keys, the ones worth reporting, survive."""

    def __init__(self, capacity: int = NAME_CAPACITY) -> None:
        self.capacity = capacity
        self.counts: Counter[str] = Counter()
        self.files: Counter[str] = Counter()
        self.shown: dict[str, str] = {}
        self.pruned = False
        self.distinct_seen = 0

    def add(self, key: str, shown: str, citations: int) -> None:
        # A new key is set, not added to: `+=` on a missing key runs Counter.__missing__, a
        # Python call, and most names of an archive are seen once.
        counts = self.counts
        if key in counts:
            counts[key] += citations
            self.files[key] += 1
            return
        self.distinct_seen += 1
        self.shown[key] = shown
        counts[key] = citations
        self.files[key] = 1
        if len(counts) > self.capacity:
            self._prune()

    def _prune(self) -> None:
        floor = sorted(self.counts.values())[len(self.counts) // 2]
        for key in [k for k, n in self.counts.items() if n <= floor]:
            del self.counts[key], self.files[key], self.shown[key]
        self.pruned = True

    def top(self, n: int) -> list[tuple[str, int, int]]:
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
        return [(self.shown[k], c, self.files[k]) for k, c in ranked]


class CorpusSummary:
    """Feed it every report entry (`add`), or its `corpus_record` (`add_record`), in order;
    `as_dict()` gives the "corpus" object."""

    def __init__(
        self,
        top_sources: int = TOP_SOURCES,
        top_files: int = TOP_FILES,
        min_assertions: int = MIN_ASSERTIONS,
    ) -> None:
        self.top_sources = top_sources
        self.top_files = top_files
        self.min_assertions = min_assertions
        self.files = self.failed = 0
        self.sentences = self.assertions = self.sourced = self.unsourced = self.vague = 0
        self.registered: dict[str, dict[str, Any]] = {}  # bounded by the registry
        self.unregistered = BoundedCounter()
        # Min-heap of the worst files seen so far: (share, unsourced, -order, path, assertions).
        self._worst: list[tuple[float, int, int, str, int]] = []

    def add(self, entry: dict[str, Any]) -> None:
        self.add_record(corpus_record(entry))

    def add_record(self, record: FileCorpus) -> None:
        order = self.files
        self.files += 1
        if record.failed:
            self.failed += 1
            return
        self.sentences += record.sentences
        self.assertions += record.assertions
        self.sourced += record.sourced
        self.unsourced += record.unsourced
        self.vague += record.vague
        self._add_sources(record)
        assertions, unsourced = record.assertions, record.unsourced
        if assertions >= self.min_assertions:
            item = (round(unsourced / assertions, 4), unsourced, -order, record.path, assertions)
            if len(self._worst) < self.top_files:
                heapq.heappush(self._worst, item)
            elif item > self._worst[0]:
                heapq.heapreplace(self._worst, item)

    def _add_sources(self, record: FileCorpus) -> None:
        # Each file's citations are counted by Counter(iterable), which counts in C, rather than
        # by `+=` per citation, which runs Counter.__missing__ (Python) for each new name.
        for source_id, name, type_, alias in record.registered:
            known = self.registered.get(source_id)
            if known is None:
                known = self.registered[source_id] = {
                    "id": source_id,
                    "name": name,
                    "type": type_,
                    "citations": 0,
                    "files": 0,
                    "aliases": Counter(),
                }
            known["aliases"][alias] += 1
        for source_id, count in Counter(source[0] for source in record.registered).items():
            self.registered[source_id]["citations"] += count
            self.registered[source_id]["files"] += 1
        shown: dict[str, str] = {}
        for key, name in record.unregistered:
            shown.setdefault(key, name)
        for key, count in Counter(key for key, _ in record.unregistered).items():
            self.unregistered.add(key, shown[key], count)

    def as_dict(self) -> dict[str, Any]:
        sources = sorted(self.registered.values(), key=lambda s: (-s["citations"], s["id"]))
        worst = sorted(self._worst, key=lambda w: (-w[0], -w[1], -w[2]))
        return {
            "files": self.files,
            "audited": self.files - self.failed,
            "failed": self.failed,
            "sentences": self.sentences,
            "assertions": self.assertions,
            "sourced": self.sourced,
            "unsourced": self.unsourced,
            "vague": self.vague,
            "sourced_share": round(self.sourced / self.assertions, 4) if self.assertions else 0.0,
            "sources": [
                {
                    **{k: v for k, v in s.items() if k != "aliases"},
                    "aliases": [alias for alias, _ in s["aliases"].most_common(3)],
                }
                for s in sources[: self.top_sources]
            ],
            "sources_distinct": len(self.registered),
            "unregistered": [
                {"source": name, "citations": citations, "files": files}
                for name, citations, files in self.unregistered.top(self.top_sources)
            ],
            "unregistered_distinct": self.unregistered.distinct_seen,
            "unregistered_approximate": self.unregistered.pruned,
            "unsourced_files": [
                {"path": path, "assertions": assertions, "unsourced": unsourced, "share": share}
                for share, unsourced, _, path, assertions in worst
            ],
            "min_assertions": self.min_assertions,
        }
