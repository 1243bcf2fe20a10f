"""One line per finding, in the `path:line:col:` form editors and grep-style tools jump to."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..models import RuleInfo

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def render(report: dict[str, Any], rules: Sequence[RuleInfo]) -> str:
    """`{path}:{line}:{col}: {severity} {rule} {message}` per finding, in report order.

    A file that could not be read gives `{path}: error read-error {message}`.
    """
    lines: list[str] = []
    for file in report.get("files", []):
        path = str(file["path"])
        if file.get("status") == "error":
            lines.append(f"{path}: error read-error {one_line(file.get('error') or '')}")
            continue
        for finding in file.get("findings", []):
            lines.append(f"{path}:{position(finding)}: {finding_text(finding)}")
    return "\n".join(lines)


def position(finding: dict[str, Any]) -> str:
    """`line:col` (or just `line`) of a finding's start."""
    line, column = finding.get("line"), finding.get("column")
    if column is None:
        return str(line)
    return f"{line}:{column}"


def finding_text(finding: dict[str, Any]) -> str:
    """`{severity} {rule} {message}`, kept on one line."""
    severity = getattr(finding["severity"], "value", finding["severity"])
    return f"{severity} {finding['rule']} {one_line(str(finding.get('message') or ''))}"


def one_line(text: str) -> str:
    """Fold line breaks (and the blanks around them) into one space, so a message stays one
    record in line-oriented output."""
    return _LINE_BREAKS.sub(" ", text).strip()
