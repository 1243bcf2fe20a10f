"""`--format jsonl`: one JSON object per file, written as soon as the file is audited, then a
final `{"summary": ..., "corpus": ...}` line. Memory stays flat however many files there are."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..models import RuleInfo

# Entries are plain trees (no cycles), so the encoder need not track the containers it is in.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def render_file(entry: dict[str, Any]) -> str:
    return _ENCODER.encode(entry)


def render_summary(summary: dict[str, Any], corpus: dict[str, Any] | None = None) -> str:
    """The last line: the summary, and the corpus summary when there is one."""
    tail: dict[str, Any] = {"summary": summary}
    if corpus is not None:
        tail["corpus"] = corpus
    return _ENCODER.encode(tail)


def render(report: dict[str, Any], rules: Sequence[RuleInfo]) -> str:
    lines = [render_file(entry) for entry in report["files"]]
    lines.append(render_summary(report.get("summary", {}), report.get("corpus")))
    return "\n".join(lines)
