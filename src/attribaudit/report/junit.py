"""JUnit XML, the format CI dashboards (Jenkins, GitLab, Azure, test reporters) all read.

`render` makes one test case per file: it fails when the file has findings at or above
`fail_on` (error by default) and errors when the file could not be read. `render_per_finding`
makes one test case per finding instead, for dashboards that list failures one by one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import Any

from ..models import RuleInfo
from .line import finding_text, one_line, position

SUITE_NAME = "attribaudit"
_RANK = {"info": 0, "warning": 1, "error": 2}
# Characters XML 1.0 cannot hold even escaped; article text quoted in a message may carry them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def render(report: dict[str, Any], rules: Sequence[RuleInfo], *, fail_on: object = "error") -> str:
    """One `<testcase>` per file. `fail_on` is a severity (name or `Severity`); anything
    else (the CLI's "never") fails no test."""
    threshold = _name(fail_on)
    cases = [_file_case(file, threshold) for file in report.get("files", [])]
    return _document(cases)


def render_per_finding(
    report: dict[str, Any], rules: Sequence[RuleInfo], *, fail_on: object = "error"
) -> str:
    """One `<testcase>` per finding; a file without findings is one passing case, and a file
    that could not be read one erroring case."""
    threshold = _name(fail_on)
    cases: list[ET.Element] = []
    for file in report.get("files", []):
        path = str(file["path"])
        findings = file.get("findings", [])
        if file.get("status") == "error" or not findings:
            cases.append(_file_case(file, threshold))
            continue
        for finding in findings:
            case = _case(path, f"{position(finding)} {finding['rule']}")
            text = finding_text(finding)
            if _fails(finding, threshold):
                _child(case, "failure", text, message=_message(finding), type=str(finding["rule"]))
            else:
                _child(case, "system-out", text)
            cases.append(case)
    return _document(cases)


def _file_case(file: dict[str, Any], threshold: str) -> ET.Element:
    case = _case(SUITE_NAME, str(file["path"]))
    if file.get("status") == "error":
        error = one_line(file.get("error") or "could not read file")
        _child(case, "error", error, message=error, type="read-error")
        return case
    findings = file.get("findings", [])
    failing = [f for f in findings if _fails(f, threshold)]
    others = [f for f in findings if not _fails(f, threshold)]
    if failing:
        count = _count(len(failing), threshold)
        _child(case, "failure", _listing(failing), message=count, type=SUITE_NAME)
    if others:
        _child(case, "system-out", _listing(others))
    return case


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


def _fails(finding: dict[str, Any], threshold: str) -> bool:
    return _RANK.get(_name(finding["severity"]), 0) >= _RANK.get(threshold, len(_RANK))


def _count(n: int, threshold: str) -> str:
    if threshold == "error":
        return f"{n} error" + ("" if n == 1 else "s")
    return f"{n} finding" + ("" if n == 1 else "s") + f" at {threshold} or above"


def _name(severity: object) -> str:
    # Accept a Severity enum as well as its string value.
    return str(getattr(severity, "value", severity))


def _clean(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)
