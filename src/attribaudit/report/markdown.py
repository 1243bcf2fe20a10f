"""A Markdown summary to post as a pull-request comment (GitHub-flavoured tables)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..models import RuleInfo
from . import fails, file_verdict, percent
from .line import one_line

WORST_LIMIT = 20
_FAIL = "❌ fail"
_SEVERITIES = ("error", "warning", "info")
# Characters that would start Markdown or HTML inside a message quoted from an article.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def render(
    report: dict[str, Any],
    rules: Sequence[RuleInfo],
    *,
    fail_on: str = "error",
    failed: bool | None = None,
    verdicts: Sequence[dict[str, Any]] | None = None,
) -> str:
    """`failed` is the run's own verdict when the caller knows it: findings hidden by
    --min-severity, or a per-path fail_on, can make it differ from what the shown findings and
    `fail_on` say, and the headline must not say "Passed" over a failing run. `verdicts` are
    the runner's per-file verdicts (see `file_verdict`), which JUnit gets too: a file's row
    fails where its test case does."""
    files = report.get("files", [])
    statuses = [
        _file_status(file.get("findings", []), *file_verdict(fail_on, verdicts, index)[:2])
        for index, file in enumerate(files)
    ]
    if failed is None and verdicts is not None:
        failed = any(status.startswith(_FAIL) for status in statuses)
    counts = dict.fromkeys(_SEVERITIES, 0)
    for file in files:
        for finding in file.get("findings", []):
            severity = _severity(finding)
            counts[severity] = counts.get(severity, 0) + 1
    unread = [file for file in files if file.get("status") == "error"]

    verdict = _verdict(counts, len(files), len(unread), fail_on, failed)
    parts = ["## attribaudit report", "", verdict, ""]
    if files:
        parts += _file_table(files, statuses)
    worst = _worst_findings(files)
    if worst:
        parts += ["", *worst]
    if unread:
        parts += ["", "### Files that could not be read", ""]
        parts += [f"- {_code(str(f['path']))}: {_text(f.get('error') or '')}" for f in unread]
    return "\n".join(parts)


def _verdict(
    counts: dict[str, int],
    n_files: int,
    n_unread: int,
    fail_on: str = "error",
    failed: bool | None = None,
) -> str:
    failing = () if fail_on == "never" else _SEVERITIES[: _SEVERITIES.index(fail_on) + 1]
    shown_fail = any(counts[s] for s in failing)
    if failed is None:
        failed = shown_fail
    # A run that passes shows no failing finding, so its errors and warnings are exactly what
    # the rows mark "⚠️ warn" (an error under --fail-on never or a per-path fail_on never
    # too): the headline names them, so it never reads "Passed" above a "warn" row.
    passed_with = [f"{s}s" for s in ("error", "warning") if counts[s]]
    if n_unread or failed:
        mark = "❌ **Failed**"
    elif passed_with:
        mark = f"⚠️ **Passed with {' and '.join(passed_with)}**"
    else:
        mark = "✅ **Passed**"
    tally = ", ".join(_plural(counts[s], s) for s in _SEVERITIES)
    line = f"{mark}: {tally} in {_plural(n_files, 'file')}"
    if n_unread:
        line += f" ({n_unread} could not be read)"
    if failed and not shown_fail and not n_unread:
        line += "; the run fails on findings hidden by --min-severity or a per-path fail_on"
    return line + "."


def _file_table(files: list[dict[str, Any]], statuses: list[str]) -> list[str]:
    rows = [
        "| File | Status | Sentences | Unsourced | Vague | Sourced | Findings |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for file, status in zip(files, statuses, strict=True):
        path = _code(str(file["path"]), in_table=True)
        if file.get("status") == "error":
            rows.append(f"| {path} | read error | – | – | – | – | – |")
            continue
        summary = file.get("summary") or {}
        findings = file.get("findings", [])
        cells = [
            path,
            status,
            str(summary.get("sentences", 0)),
            str(summary.get("unsourced", 0)),
            str(summary.get("vague", 0)),
            _ratio(summary),
            _finding_counts(findings),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def _file_status(findings: list[dict[str, Any]], threshold: str, hidden: int) -> str:
    """The file's verdict as its JUnit test case has it: it fails on a finding at or above
    its own fail_on (`threshold`), shown or hidden by min_severity (`hidden` of them); one
    that passes with a warning or an error shown is "warn"."""
    if hidden:
        return f"{_FAIL} ({hidden} hidden)"
    if any(fails(f, threshold) for f in findings):
        return _FAIL
    if any(_severity(f) in ("error", "warning") for f in findings):
        return "⚠️ warn"
    return "✅ pass"


def _ratio(summary: dict[str, Any]) -> str:
    # With nothing to source (no assertions), a percentage would only mislead.
    if not summary.get("assertions", summary.get("sentences", 0)):
        return "–"
    return percent(summary.get("sourced_ratio", 0.0))


def _finding_counts(findings: list[dict[str, Any]]) -> str:
    if not findings:
        return "none"
    counts: dict[str, int] = {}
    for finding in findings:
        counts[_severity(finding)] = counts.get(_severity(finding), 0) + 1
    return ", ".join(_plural(counts[s], s) for s in _SEVERITIES if counts.get(s))


def _worst_findings(files: list[dict[str, Any]]) -> list[str]:
    # Report order is path then position; a stable sort keeps it within each severity.
    ranked = [
        (path, finding)
        for file in files
        for path in [str(file["path"])]
        for finding in file.get("findings", [])
        if _severity(finding) in ("error", "warning")
    ]
    if not ranked:
        return []
    ranked.sort(key=lambda item: _severity(item[1]) != "error")
    lines = ["### Worst findings", ""]
    for path, finding in ranked[:WORST_LIMIT]:
        where = _code(f"{path}:{finding.get('line')}")
        message = _text(str(finding.get("message") or ""))
        lines.append(f"- {where} **{_severity(finding)}** `{finding['rule']}`: {message}")
    if len(ranked) > WORST_LIMIT:
        more = len(ranked) - WORST_LIMIT
        lines += ["", f"…and {_plural(more, 'more finding')} at warning or error severity."]
    return lines


def _text(text: str) -> str:
    """Plain text made safe for a Markdown list item or table cell."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))


def _code(text: str, *, in_table: bool = False) -> str:
    """An inline code span. In a GFM table `|` still ends the cell unless escaped, even inside
    code, and the table parser drops the backslash; elsewhere the backslash would show."""
    text = one_line(text)
    if in_table:
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _severity(finding: dict[str, Any]) -> str:
    return str(getattr(finding["severity"], "value", finding["severity"]))
