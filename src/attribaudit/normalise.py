"""Drop page chrome ("No time to read?", "Previous Article" and its teaser) by rule.

Chrome lines are blanked in `Document.prose` (same length, so offsets never move); the original
text is untouched and every reported span still points into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Document, Span
from .rules import RuleSet

_KEY_JUNK = re.compile(r"[\s.!?:…|»›>→«‹<←-]+")


def _key(line: str) -> str:
    """Compare chrome lines ignoring case, spacing, arrows and final punctuation."""
    return _KEY_JUNK.sub(" ", line).strip().casefold()


@dataclass(slots=True)
class _ChromeRule:
    id: str
    keys: frozenset[str]
    teaser: bool


class ChromeFilter:
    def __init__(self, rules: RuleSet) -> None:
        self._rules = [
            _ChromeRule(
                rule.id,
                frozenset(_key(w) for w in rules.words(rule.params["lexicon"], lower=False)),
                bool(rule.params.get("teaser", False)),
            )
            for rule in rules.by_matcher("chrome-line")
        ]
        self._longest = max((len(k) for r in self._rules for k in r.keys), default=0) + 8

    def apply(self, doc: Document) -> dict[str, list[Span]]:
        """Blank chrome lines in `doc.prose`; return rule id -> the spans dropped."""
        if not self._rules:
            return {}
        prose = doc.prose
        hits: dict[str, list[Span]] = {}
        drop_next_from: str | None = None
        # The lines between newlines, with their offsets: splitting is several times faster
        # than finding them with a regex (`[^\n]*`), and gives the same runs of text.
        end = -1
        for raw in prose.split("\n"):
            start = end + 1
            end = start + len(raw)
            if not raw.strip():
                continue
            if drop_next_from is not None:
                # The teaser headline after "Next Article": a short line with no final stop.
                if len(raw.strip()) <= 160 and not raw.rstrip().endswith((".", "!", "?", "”", '"')):
                    hits.setdefault(drop_next_from, []).append(Span(start, end))
                drop_next_from = None
                continue
            if end - start > self._longest:
                continue
            key = _key(raw)
            for rule in self._rules:
                if key in rule.keys:
                    hits.setdefault(rule.id, []).append(Span(start, end))
                    if rule.teaser:
                        drop_next_from = rule.id
                    break
        if hits:
            chars = list(prose)
            for spans in hits.values():
                for span in spans:
                    chars[span.start : span.end] = " " * (span.end - span.start)
            doc.prose = "".join(chars)
        return hits
