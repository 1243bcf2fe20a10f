"""Reports: the version-1 JSON contract (DESIGN.md) and the renderers built on it.

Every format renders from the same plain-dict report, so a field added to the contract reaches
all of them, and the machine formats never depend on the pipeline's internal types.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .. import __version__
from ..models import FileResult, Severity, Span, Status

CONTRACT_VERSION = 1
SOURCED = (Status.ATTRIBUTED, Status.CARRIED, Status.TAGGED, Status.CREDITED)
_SPACE = re.compile(r"\s+")

# name -> (module, description). Modules expose render(report, rules) -> str.
FORMATS: dict[str, tuple[str, str]] = {
    "terminal": ("terminal", "rich report for people (the default)"),
    "json": ("json", "the version-1 JSON contract, one object"),
    "jsonl": ("jsonl", "one JSON object per file, streamed as each file is audited"),
    "sarif": ("sarif", "SARIF 2.1.0 for code scanning"),
    "github": ("github", "GitHub workflow annotations"),
    "junit": ("junit", "JUnit XML, one test case per file"),
    "markdown": ("markdown", "a summary for a pull-request comment"),
    "line": ("line", "path:line:col: severity rule message, one per line"),
}


def renderer(name: str) -> Any:
    import importlib

    module, _ = FORMATS[name]
    return importlib.import_module(f"{__name__}.{module}")


def _span_dict(result: FileResult, span: Span) -> dict[str, Any]:
    doc = result.document
    assert doc is not None
    if doc.format == "txt":
        text = doc.text[span.start : span.end]
    else:
        # Markup inside the span is blanked in prose; show the words, not the tags.
        text = _SPACE.sub(" ", doc.prose[span.start : span.end]).strip()
    return {"start": span.start, "end": span.end, "text": text}


def file_to_dict(result: FileResult) -> dict[str, Any]:
    """One entry of the report's `files` list."""
    if result.document is None:
        return {
            "path": result.path,
            "status": "error",
            "error": result.error,
            "attributions": [],
            "sentences": [],
            "findings": [],
            "summary": {
                "sentences": 0,
                "assertions": 0,
                "unsourced": 0,
                "vague": 0,
                "sourced_ratio": 0.0,
            },
        }
    doc = result.document
    lines = doc.lines
    attributions = []
    for a in result.attributions:
        attributions.append(
            {
                "id": a.id,
                "kind": a.kind.value,
                "rule": a.rule,
                "cue": _span_dict(result, a.cue),
                "source": _span_dict(result, a.source) if a.source is not None else None,
                "content": [_span_dict(result, c) for c in a.content],
                "resolved": {"text": a.resolved.text, "via": a.resolved.via}
                if a.resolved
                else None,
                "registry": (
                    {
                        "id": a.registry.id,
                        "name": a.registry.name,
                        "type": a.registry.type,
                        "score": round(float(a.registry.score), 1),
                        "alias": a.registry.alias,
                        "ambiguous_with": list(a.registry.ambiguous_with),
                        "reliability": list(a.registry.reliability),
                    }
                    if a.registry
                    else None
                ),
                "sentence": a.sentence,
            }
        )
    sentences = [
        {
            "start": r.sentence.span.start,
            "end": r.sentence.span.end,
            "status": r.status.value,
            "assertion": r.assertion,
            "attribution": r.attribution,
            "paragraph": r.sentence.paragraph,
        }
        for r in result.sentences
    ]
    findings = []
    for f in result.findings:
        line, column = lines.position(f.span.start)
        end_line, end_column = lines.position(f.span.end)
        findings.append(
            {
                "rule": f.rule,
                "severity": f.severity.value,
                "message": f.message,
                "start": f.span.start,
                "end": f.span.end,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "fingerprint": f.fingerprint,
                "evidence": f.evidence,
            }
        )
    assertions = sum(1 for r in result.sentences if r.assertion)
    unsourced = sum(1 for r in result.sentences if r.status is Status.UNSOURCED)
    vague = sum(1 for r in result.sentences if r.status is Status.VAGUE)
    sourced = sum(1 for r in result.sentences if r.assertion and r.status in SOURCED)
    return {
        "path": result.path,
        "status": "ok",
        "error": None,
        "format": doc.format,
        "location_unit": doc.location_unit,
        "attributions": attributions,
        "sentences": sentences,
        "findings": findings,
        "summary": {
            "sentences": len(result.sentences),
            "assertions": assertions,
            "unsourced": unsourced,
            "vague": vague,
            "sourced_ratio": round(sourced / assertions, 4) if assertions else 0.0,
        },
    }


_PLURAL = {
    Severity.ERROR.value: "errors",
    Severity.WARNING.value: "warnings",
    Severity.INFO.value: "infos",
}


class Tally:
    """The top-level summary counted one entry at a time, so a streamed report need not keep
    its entries to summarise them."""

    def __init__(self) -> None:
        self.counts = {"files": 0, "failed": 0, "errors": 0, "warnings": 0, "infos": 0}

    def add(self, entry: dict[str, Any]) -> None:
        counts = self.counts
        counts["files"] += 1
        if entry.get("status") == "error":
            counts["failed"] += 1
        for finding in entry.get("findings", ()):
            counts[_PLURAL[finding["severity"]]] += 1
        if "baselined" in entry:
            counts["baselined"] = counts.get("baselined", 0) + entry["baselined"]

    def as_dict(self) -> dict[str, int]:
        return dict(self.counts)


def summarise(files: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Top-level counts: files, files that failed to read, and findings by severity."""
    tally = Tally()
    for entry in files:
        tally.add(entry)
    return tally.as_dict()


def build_report(
    files: list[dict[str, Any]], summary: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """The whole version-1 report object (`summary` when it was counted as files streamed)."""
    report: dict[str, Any] = {
        "version": CONTRACT_VERSION,
        "tool": {"name": "attribaudit", "version": __version__},
        "files": files,
        "summary": summary if summary is not None else summarise(files),
    }
    report.update(extra)
    return report
