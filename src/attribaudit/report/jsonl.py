"""`--format jsonl`: one JSON object per file, written as soon as the file is audited, then a
final `{"summary": ...}` line. Memory stays flat however many files there are."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..models import RuleInfo


def render_file(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def render_summary(summary: dict[str, Any]) -> str:
    return json.dumps({"summary": summary}, ensure_ascii=False, separators=(",", ":"))


def render(report: dict[str, Any], rules: Sequence[RuleInfo]) -> str:
    lines = [render_file(entry) for entry in report["files"]]
    tail = {k: v for k, v in report.items() if k not in ("files", "version", "tool")}
    lines.append(
        render_summary(tail.get("summary", {}))
        if "corpus" not in tail
        else json.dumps(
            {"summary": tail["summary"], "corpus": tail["corpus"]},
            ensure_ascii=False,
            separators=(",", ":"),
        )
    )
    return "\n".join(lines)
