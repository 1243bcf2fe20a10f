"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

Only the commands go to stdout; GitHub reads them from the step's log.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..models import RuleInfo

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render(report: dict[str, Any], rules: Sequence[RuleInfo]) -> str:
    """One `::error|warning|notice file=...,line=...::message` command per finding."""
    commands: list[str] = []
    for file in report.get("files", []):
        path = str(file["path"])
        if file.get("status") == "error":
            commands.append(_command("error", {"file": path}, file.get("error") or ""))
            continue
        for finding in file.get("findings", []):
            severity = str(getattr(finding["severity"], "value", finding["severity"]))
            commands.append(
                _command(
                    _COMMANDS.get(severity, "warning"),
                    {"file": path, **_position(finding), "title": str(finding["rule"])},
                    str(finding.get("message") or ""),
                )
            )
    return "\n".join(commands)


def _position(finding: dict[str, Any]) -> dict[str, str]:
    line, end_line = finding.get("line"), finding.get("end_line")
    if line is None:
        return {}
    props = {"line": str(line)}
    # GitHub only honours columns when the annotation starts and ends on the same line.
    single_line = end_line is None or end_line == line
    if single_line and finding.get("column") is not None:
        props["col"] = str(finding["column"])
    if end_line is not None:
        props["endLine"] = str(end_line)
    if single_line and finding.get("end_column") is not None:
        props["endColumn"] = str(finding["end_column"])
    return props


def _command(name: str, properties: dict[str, str], message: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Escape a command's message the way the Actions runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, plus the `:` and `,` that delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
