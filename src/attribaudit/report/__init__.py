"""Reports: the version-1 JSON contract (DESIGN.md) and the renderers built on it.

Every format renders from the same plain-dict report, so a field added to the contract reaches
all of them, and the machine formats never depend on the pipeline's internal types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .. import __version__
from ..models import Document, FileResult, Kind, RegistryMatch, Severity, Span, Status

CONTRACT_VERSION = 1
SOURCED = (Status.ATTRIBUTED, Status.CARRIED, Status.TAGGED, Status.CREDITED)

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


# The JSON text of each enum member a report entry holds. `.value` on an Enum member runs a
# Python-level descriptor; a dict look-up does not, and an entry reads some 70 of them per
# article. (Kind.VAGUE and Status.VAGUE are equal strings, so they share a key: both "vague".)
_TEXT: dict[str, str] = {
    member: member.value for enum in (Kind, Severity, Status) for member in enum
}


def _span_dicts(doc: Document) -> Callable[[Span], dict[str, Any]]:
    """The function that turns a span of `doc` into its report object; which one depends on the
    format, so the choice is made once per document rather than once per span."""
    if doc.format == "txt":
        text = doc.text

        def span_dict(span: Span) -> dict[str, Any]:
            return {"start": span.start, "end": span.end, "text": text[span.start : span.end]}

    else:
        words, outer = doc.words, doc.outer

        def span_dict(span: Span) -> dict[str, Any]:
            # Markup inside the span is blanked in prose; show the words, not the tags. The
            # offsets never cut a reference or a tag of the file ("(AFP) &mdash;" ends after
            # the ";", not at the "&" where prose holds the dash).
            start, end = outer(span.start, span.end)
            return {"start": start, "end": end, "text": words(start, end)}

    return span_dict


def _registry_dict(match: RegistryMatch) -> dict[str, Any]:
    return {
        "id": match.id,
        "name": match.name,
        "type": match.type,
        "score": round(float(match.score), 1),
        "alias": match.alias,
        "ambiguous_with": list(match.ambiguous_with),
        "reliability": list(match.reliability),
    }


def _error_dict(result: FileResult) -> dict[str, Any]:
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


def file_to_dict(result: FileResult) -> dict[str, Any]:
    """One entry of the report's `files` list.

    Every audited file goes through here (and then through the JSON encoder), so the loops
    below avoid per-item overhead: enum text by look-up, the span maker chosen once.
    """
    doc = result.document
    if doc is None:
        return _error_dict(result)
    span_dict = _span_dicts(doc)
    text = _TEXT
    attributions = [
        {
            "id": a.id,
            "kind": text[a.kind],
            "rule": a.rule,
            "cue": span_dict(a.cue),
            "source": span_dict(a.source) if a.source is not None else None,
            "content": [span_dict(c) for c in a.content],
            "resolved": {"text": a.resolved.text, "via": a.resolved.via} if a.resolved else None,
            "registry": _registry_dict(a.registry) if a.registry else None,
            "sentence": a.sentence,
        }
        for a in result.attributions
    ]
    outer = None if doc.format == "txt" else doc.outer
    sentences = []
    assertions = unsourced = vague = sourced = 0
    for r in result.sentences:
        status = r.status
        span = r.sentence.span
        start, end = (span.start, span.end) if outer is None else outer(span.start, span.end)
        sentences.append(
            {
                "start": start,
                "end": end,
                "status": text[status],
                "assertion": r.assertion,
                "attribution": r.attribution,
                "paragraph": r.sentence.paragraph,
            }
        )
        if status is Status.UNSOURCED:
            unsourced += 1
        elif status is Status.VAGUE:
            vague += 1
        # The summary counts claims: a sentence that makes one by its words (`assertion`), and
        # a vague sentence whatever its length ("The decision is reportedly final." passes a
        # claim on, and is flagged for it). So sourced + unsourced + vague = assertions.
        if r.assertion or status is Status.VAGUE:
            assertions += 1
            if status in SOURCED:
                sourced += 1
    position = doc.lines.position
    findings = []
    for f in result.findings:
        start, end = (
            (f.span.start, f.span.end) if outer is None else outer(f.span.start, f.span.end)
        )
        line, column = position(start)
        end_line, end_column = position(end)
        findings.append(
            {
                "rule": f.rule,
                "severity": text[f.severity],
                "message": f.message,
                "start": start,
                "end": end,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "fingerprint": f.fingerprint,
                "evidence": f.evidence,
            }
        )
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


def tally_view(entry: dict[str, Any]) -> dict[str, Any]:
    """The parts of a report entry that `Tally` and the exit code read: a worker that has
    already encoded an entry sends the parent only this (and the entry's corpus record), so
    the parent does not unpickle sentences and spans it would never look at."""
    return {
        "path": entry["path"],
        "status": entry["status"],
        "error": entry.get("error"),
        "findings": [{"severity": f["severity"]} for f in entry.get("findings", ())],
    }


def percent(ratio: float) -> str:
    """A ratio of the report ("sourced_ratio", "sourced_share", "share") as a whole percentage,
    rounded half up as editors do: "63%" for 0.625, where format's ".0%" rounds half to even
    ("62%"). The ratio is taken at the decimal value the JSON prints, so 0.285 is "29%", not the
    "28%" its binary value 0.28499... would give, and a report never disagrees with its JSON."""
    hundredths = Decimal(repr(float(ratio))) * 100
    return f"{hundredths.quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


# Per-file verdicts. The runner knows what the findings of a report entry cannot say: the
# file's own fail_on (an [[overrides]] entry may set one) and how many failing findings
# min_severity hid. It passes one dict per file (`fail_on`, `hidden_failing`, `hidden_by`) to
# the formats whose render() takes `verdicts`; these judge each file the same way from them.
_SEVERITY_NAMES = frozenset(severity.value for severity in Severity)


def file_verdict(
    fail_on: object, verdicts: Sequence[dict[str, Any]] | None, index: int
) -> tuple[str, int, str]:
    """(threshold, failing findings hidden, what hid them) for the file at `index`; without
    verdicts, the run's `fail_on` and nothing hidden."""
    if verdicts is None or index >= len(verdicts):
        return severity_name(fail_on), 0, ""
    verdict = verdicts[index]
    threshold = severity_name(verdict.get("fail_on", fail_on))
    return threshold, int(verdict.get("hidden_failing", 0)), str(verdict.get("hidden_by", ""))


def fails(finding: dict[str, Any], threshold: str) -> bool:
    """Whether `finding` fails the run at `threshold` (a severity name; "never" fails none)."""
    if threshold not in _SEVERITY_NAMES:
        return False
    return Severity(severity_name(finding["severity"])) >= Severity(threshold)


def severity_name(severity: object) -> str:
    """A severity's name, from a `Severity` as well as from its string value."""
    return str(getattr(severity, "value", severity))


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
