"""JUnit XML, the format CI dashboards (Jenkins, GitLab, Azure, test reporters) all read.

`render` makes one test case per file: it fails when the file has findings at or above
`fail_on` (error by default) and errors when the file could not be read. `render_per_finding`
makes one test case per finding instead, for dashboards that list failures one by one.

The runner passes `verdicts`, one per file: the file's own fail_on (an `[[overrides]]` entry may
set one) and how many failing findings min_severity hid from the report. A file whose only
failing findings are hidden still fails its test case, whose message says how many were hidden
and by what, so the XML never shows a passing suite for a run that exits 1.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import Any

from ..models import RuleInfo
from . import fails, file_verdict
from .line import finding_text, one_line, position

SUITE_NAME = "attribaudit"
# Characters XML 1.0 cannot hold even escaped; article text quoted in a message may carry them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def render(
    report: dict[str, Any],
    rules: Sequence[RuleInfo],
    *,
    fail_on: object = "error",
    verdicts: Sequence[dict[str, Any]] | None = None,
) -> str:
    """One `<testcase>` per file. `fail_on` is a severity (name or `Severity`); anything
    else (the CLI's "never") fails no test. `verdicts`, when given, has one entry per file
    (`fail_on`, `hidden_failing`, `hidden_by`) and takes precedence over `fail_on`."""
    cases = [
        _file_case(file, *file_verdict(fail_on, verdicts, index))
        for index, file in enumerate(report.get("files", []))
    ]
    return _document(cases)


def render_per_finding(
    report: dict[str, Any],
    rules: Sequence[RuleInfo],
    *,
    fail_on: object = "error",
    verdicts: Sequence[dict[str, Any]] | None = None,
) -> str:
    """One `<testcase>` per finding; a file without findings is one passing case, a file
    that could not be read one erroring case, and failing findings hidden by min_severity one
    failing case of their file."""
    cases: list[ET.Element] = []
    for index, file in enumerate(report.get("files", [])):
        threshold, hidden, hidden_by = file_verdict(fail_on, verdicts, index)
        path = str(file["path"])
        findings = file.get("findings", [])
        if file.get("status") == "error" or not findings:
            cases.append(_file_case(file, threshold, hidden, hidden_by))
            continue
        for finding in findings:
            case = _case(path, f"{position(finding)} {finding['rule']}")
            text = finding_text(finding)
            if fails(finding, threshold):
                _child(case, "failure", text, message=_message(finding), type=str(finding["rule"]))
            else:
                _child(case, "system-out", text)
            cases.append(case)
        if hidden:
            case = _case(path, "hidden findings")
            note = _hidden_note(hidden, threshold, hidden_by)
            _child(case, "failure", note, message=note, type=SUITE_NAME)
            cases.append(case)
    return _document(cases)


def _file_case(
    file: dict[str, Any], threshold: str, hidden: int = 0, hidden_by: str = ""
) -> ET.Element:
    case = _case(SUITE_NAME, str(file["path"]))
    if file.get("status") == "error":
        error = one_line(file.get("error") or "could not read file")
        _child(case, "error", error, message=error, type="read-error")
        return case
    findings = file.get("findings", [])
    failing = [f for f in findings if fails(f, threshold)]
    others = [f for f in findings if not fails(f, threshold)]
    if failing or hidden:
        count = _count(len(failing) + hidden, threshold)
        lines = [_listing(failing)] if failing else []
        if hidden:
            count += f" ({hidden} hidden by {hidden_by})"
            lines.append(_hidden_note(hidden, threshold, hidden_by))
        _child(case, "failure", "\n".join(lines), message=count, type=SUITE_NAME)
    if others:
        _child(case, "system-out", _listing(others))
    return case


def _hidden_note(hidden: int, threshold: str, hidden_by: str) -> str:
    return (
        f"{_count(hidden, threshold)} hidden by {hidden_by}: hidden findings fail the run too "
        "(lower min_severity to list them)"
    )


def _document(cases: list[ET.Element]) -> str:
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for case in cases if case.find("failure") is not None)),
        "errors": str(sum(1 for case in cases if case.find("error") is not None)),
    }
    root = ET.Element("testsuites", name=SUITE_NAME, **counts)
    suite = ET.SubElement(root, "testsuite", name=SUITE_NAME, skipped="0", **counts)
    suite.extend(cases)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _case(classname: str, name: str) -> ET.Element:
    return ET.Element("testcase", classname=_clean(classname), name=_clean(name))


def _child(parent: ET.Element, tag: str, text: str, **attributes: str) -> None:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attributes.items()})
    element.text = _clean(text)


def _listing(findings: Iterable[dict[str, Any]]) -> str:
    """`line:col severity rule message`, one finding a line."""
    return "\n".join(f"{position(f)} {finding_text(f)}" for f in findings)


def _message(finding: dict[str, Any]) -> str:
    return one_line(str(finding.get("message") or finding["rule"]))


def _count(n: int, threshold: str) -> str:
    if threshold == "error":
        return f"{n} error" + ("" if n == 1 else "s")
    return f"{n} finding" + ("" if n == 1 else "s") + f" at {threshold} or above"


def _clean(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)
