"""SARIF 2.1.0 output, for code-scanning dashboards and SARIF viewers.

One run per invocation. The driver lists every rule that can produce a result (categories
"finding" and "directive"); results point at them by id and index. Files that could not be
read are tool execution notifications, not results: they are not findings about the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..models import RuleInfo

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
# The key under which partialFingerprints carries our stable finding hash; bump the suffix if
# the fingerprint algorithm ever changes, so dashboards do not match old and new hashes.
FINGERPRINT_KEY = "attribaudit/v1"
REPORTED_CATEGORIES = frozenset({"finding", "directive"})

_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_DRIVE_PATH = re.compile(r"^[A-Za-z]:[\\/]")


def render(
    report: dict[str, Any],
    rules: Sequence[RuleInfo],
    *,
    source_root: Path | None = None,
) -> str:
    """Render a version-1 report as a SARIF 2.1.0 log.

    `source_root` is what relative paths are relative to (default: the working directory,
    which is what the user's relative paths meant).
    """
    descriptors, rule_index = _rule_descriptors(rules)
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for file in report.get("files", []):
        path = str(file["path"])
        if file.get("status") == "error":
            notifications.append(_read_error_notification(path, file.get("error") or ""))
            continue
        unit = file.get("location_unit", "line")
        for finding in file.get("findings", []):
            results.append(_result(path, unit, finding, rule_index))

    root = source_root if source_root is not None else Path.cwd()
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "attribaudit",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": descriptors,
            }
        },
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(root)}},
        # Report columns count code points, not SARIF's default UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False)


def _rule_descriptors(
    rules: Sequence[RuleInfo],
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule in rules:
        if rule.category not in REPORTED_CATEGORIES or rule.id in index:
            continue
        descriptor: dict[str, Any] = {
            "id": rule.id,
            "name": _pascal_case(rule.id),
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.description or rule.summary},
            "help": {"text": rule.description or rule.summary},
            "properties": {"category": rule.category},
        }
        if rule.severity is not None:
            descriptor["defaultConfiguration"] = {
                "level": _LEVELS.get(_severity(rule.severity), "warning")
            }
        if rule.pack:
            descriptor["properties"]["pack"] = rule.pack
        index[rule.id] = len(descriptors)
        descriptors.append(descriptor)
    return descriptors, index


def _result(
    path: str, unit: str, finding: dict[str, Any], rule_index: dict[str, int]
) -> dict[str, Any]:
    rule_id = str(finding["rule"])
    result: dict[str, Any] = {"ruleId": rule_id}
    if rule_id in rule_index:  # a rule missing from the list still gets its result
        result["ruleIndex"] = rule_index[rule_id]
    result["level"] = _LEVELS.get(_severity(finding["severity"]), "warning")
    result["message"] = {"text": str(finding.get("message") or rule_id)}
    physical: dict[str, Any] = {"artifactLocation": artifact_location(path)}
    region = _region(finding, unit)
    if region:
        physical["region"] = region
    result["locations"] = [{"physicalLocation": physical}]
    if finding.get("fingerprint"):
        result["partialFingerprints"] = {FINGERPRINT_KEY: str(finding["fingerprint"])}
    properties: dict[str, Any] = {}
    if unit != "line":
        properties["locationUnit"] = unit
    if finding.get("evidence"):
        properties["evidence"] = finding["evidence"]
    if properties:
        result["properties"] = properties
    return result


def _region(finding: dict[str, Any], unit: str) -> dict[str, Any]:
    region: dict[str, Any] = {}
    # Both the report's end_column and SARIF's endColumn point just past the last character.
    for report_key, sarif_key in (
        ("line", "startLine"),
        ("column", "startColumn"),
        ("end_line", "endLine"),
        ("end_column", "endColumn"),
    ):
        value = finding.get(report_key)
        if isinstance(value, int) and value >= 1:
            region[sarif_key] = value
    # Character offsets only mean something where the file itself is the text (not .docx).
    start, end = finding.get("start"), finding.get("end")
    if unit == "line" and isinstance(start, int) and isinstance(end, int) and 0 <= start <= end:
        region["charOffset"] = start
        region["charLength"] = end - start
    return region


def _read_error_notification(path: str, error: str) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": error or "could not read file"},
        "descriptor": {"id": "read-error"},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(path)}}],
    }


def artifact_location(path: str) -> dict[str, str]:
    """A SARIF artifactLocation for a path as the user gave it.

    Absolute paths become file: URIs; relative ones stay relative (forward slashes,
    percent-escaped) against %SRCROOT%, which is what code-scanning services expect.
    """
    if _DRIVE_PATH.match(path) or path.startswith("\\\\"):
        return {"uri": PureWindowsPath(path).as_uri()}
    if path.startswith("/"):
        return {"uri": PurePosixPath(path).as_uri()}
    relative = path.replace("\\", "/")
    while relative.startswith("./"):
        relative = relative[2:]
    # A name that is not UTF-8 (a lone surrogate from os.fsdecode) is escaped as its original
    # bytes, as `as_uri` does for the absolute paths above.
    return {"uri": quote(relative, safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


def _directory_uri(directory: Path) -> str:
    uri = directory.resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _severity(value: object) -> str:
    # Accept a Severity enum as well as its string value.
    return str(getattr(value, "value", value))


def _pascal_case(rule_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", rule_id))
