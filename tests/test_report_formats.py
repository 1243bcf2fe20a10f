"""The report formats: SARIF, GitHub annotations, JUnit, Markdown, line, and the terminal's
plain text (as --output writes it)."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from attribaudit import __version__
from attribaudit.models import RuleInfo, Severity
from attribaudit.report import github, junit, line, markdown, sarif, terminal
from attribaudit.report import json as json_format

SHARED = Path(__file__).resolve().parents[2] / "shared"
SARIF_SCHEMA = SHARED / "data" / "sarif-schema-2.1.0.json"

ARTICLE = "articles/interpol, kalachev.md"
BROKEN = "articles/broken.docx"
# A message carrying every character GitHub's command syntax needs escaped.
TRICKY_MESSAGE = "vague source: “critics say”, 40% of\nthe claim"

RULES = [
    RuleInfo(
        id="unsourced-claim",
        category="finding",
        summary="An assertion in the author's voice with no source.",
        description="A sentence that makes a claim but has no attribution in scope.",
        severity=Severity.ERROR,
        pack="core",
    ),
    RuleInfo(
        id="vague-attribution",
        category="finding",
        summary="The source is anonymous or generic.",
        description="Sources such as 'critics say' or 'officials argue' name nobody.",
        severity=Severity.WARNING,
        pack="core",
    ),
    RuleInfo(
        id="said-verbs",
        category="extract",
        summary="Cue verbs of reported speech.",
        description="Finds 'X said' and 'said X'.",
    ),
    RuleInfo(
        id="unknown-source",
        category="finding",
        summary="The named source is not in the registry.",
        description="A named source that matches no registry entry.",
        severity=Severity.INFO,
        pack="core",
    ),
    RuleInfo(
        id="unused-disable",
        category="directive",
        summary="A disable comment that suppressed nothing.",
        description="An attribaudit-disable directive with no finding to suppress.",
        severity=Severity.WARNING,
        pack="directives",
    ),
]


def _finding(rule: str, severity: str, message: str, pos: tuple[int, ...], fp: str) -> dict:
    start, end, line_no, column, end_line, end_column = pos
    return {
        "rule": rule,
        "severity": severity,
        "message": message,
        "start": start,
        "end": end,
        "line": line_no,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "fingerprint": fp,
        "evidence": {"attribution": "a2"} if rule != "unsourced-claim" else {},
    }


def make_report() -> dict[str, Any]:
    findings = [
        _finding(
            "unsourced-claim",
            "error",
            "Unsourced claim: the sentence asserts a fact | with no source.",
            (120, 188, 3, 1, 3, 69),
            "f0e1d2c3b4a59687",
        ),
        _finding(
            "vague-attribution",
            "warning",
            TRICKY_MESSAGE,
            (300, 420, 5, 12, 6, 8),
            "0123456789abcdef",
        ),
        _finding(
            "unknown-source",
            "info",
            "Source 'NCB' is not in the registry.",
            (500, 503, 7, 4, 7, 7),
            "fedcba9876543210",
        ),
    ]
    return {
        "version": 1,
        "tool": {"name": "attribaudit", "version": __version__},
        "files": [
            {
                "path": ARTICLE,
                "status": "ok",
                "error": None,
                "format": "md",
                "location_unit": "line",
                "attributions": [],
                "sentences": [],
                "findings": findings,
                "summary": {
                    "sentences": 12,
                    "assertions": 10,
                    "unsourced": 1,
                    "vague": 1,
                    "sourced_ratio": 0.8,
                },
            },
            {
                "path": BROKEN,
                "status": "error",
                "error": "not a .docx file: File is not a zip file",
                "format": "docx",
                "location_unit": "paragraph",
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
            },
        ],
        "summary": {"files": 2, "errors": 1, "warnings": 1, "infos": 1},
        "corpus": {"ignored": "unknown keys must not matter"},
    }


def make_empty_report() -> dict[str, Any]:
    report = make_report()
    clean = report["files"][0]
    clean["findings"] = []
    clean["summary"] = {
        "sentences": 4,
        "assertions": 3,
        "unsourced": 0,
        "vague": 0,
        "sourced_ratio": 1.0,
    }
    report["files"] = [clean]
    report["summary"] = {"files": 1, "errors": 0, "warnings": 0, "infos": 0}
    return report


@pytest.fixture
def report() -> dict[str, Any]:
    return make_report()


# --- SARIF ---------------------------------------------------------------------------------


def _sarif_validator():
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA} (../shared is absent)")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    # Use the draft the schema itself declares in "$schema".
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _errors(validator, log: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


@pytest.mark.shared
def test_sarif_validates_against_official_schema(report):
    validator = _sarif_validator()
    log = json.loads(sarif.render(report, RULES))
    assert _errors(validator, log) == []
    # The validator must be able to fail: a level outside the enum is rejected.
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert _errors(validator, log)


@pytest.mark.shared
def test_sarif_empty_report_validates():
    validator = _sarif_validator()
    log = json.loads(sarif.render(make_empty_report(), RULES))
    assert _errors(validator, log) == []
    run = log["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["toolExecutionNotifications"] == []
    assert len(run["tool"]["driver"]["rules"]) == 4


def test_sarif_driver_lists_finding_and_directive_rules(report):
    driver = json.loads(sarif.render(report, RULES))["runs"][0]["tool"]["driver"]
    assert driver["name"] == "attribaudit"
    assert driver["version"] == __version__
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == ["unsourced-claim", "vague-attribution", "unknown-source", "unused-disable"]
    first = driver["rules"][0]
    assert first["name"] == "UnsourcedClaim"
    assert first["shortDescription"]["text"] == RULES[0].summary
    assert first["fullDescription"]["text"] == RULES[0].description
    assert first["help"]["text"] == RULES[0].description
    levels = [rule["defaultConfiguration"]["level"] for rule in driver["rules"]]
    assert levels == ["error", "warning", "note", "warning"]


def test_sarif_results_map_levels_regions_and_fingerprints(report):
    run = json.loads(sarif.render(report, RULES))["runs"][0]
    results = run["results"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["ruleId"] for r in results] == [
        "unsourced-claim",
        "vague-attribution",
        "unknown-source",
    ]
    assert [r["level"] for r in results] == ["error", "warning", "note"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]

    vague = results[1]
    assert vague["message"]["text"] == TRICKY_MESSAGE
    assert vague["partialFingerprints"] == {"attribaudit/v1": "0123456789abcdef"}
    location = vague["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "articles/interpol%2C%20kalachev.md",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {
        "startLine": 5,
        "startColumn": 12,
        "endLine": 6,
        "endColumn": 8,
        "charOffset": 300,
        "charLength": 120,
    }
    assert vague["properties"]["evidence"] == {"attribution": "a2"}
    assert run["columnKind"] == "unicodeCodePoints"
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base.startswith("file://") and base.endswith("/")


def test_sarif_read_error_is_a_notification(report):
    invocation = json.loads(sarif.render(report, RULES))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"] == "not a .docx file: File is not a zip file"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "articles/broken.docx",
        "uriBaseId": "%SRCROOT%",
    }


def test_sarif_docx_regions_have_no_char_offsets(report):
    docx = copy.deepcopy(report["files"][0])
    docx.update(path="drafts/memo.docx", format="docx", location_unit="paragraph")
    report["files"] = [docx]
    result = json.loads(sarif.render(report, RULES))["runs"][0]["results"][0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 69}
    assert result["properties"] == {"locationUnit": "paragraph"}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("./news/a b.txt", {"uri": "news/a%20b.txt", "uriBaseId": "%SRCROOT%"}),
        ("news\\day#1.txt", {"uri": "news/day%231.txt", "uriBaseId": "%SRCROOT%"}),
        ("/srv/news/a.txt", {"uri": "file:///srv/news/a.txt"}),
        ("C:\\news\\a.txt", {"uri": "file:///C:/news/a.txt"}),
        # A name that is not UTF-8, as os.fsdecode gives it: its original byte, escaped.
        ("news/caf\udce9.txt", {"uri": "news/caf%E9.txt", "uriBaseId": "%SRCROOT%"}),
    ],
)
def test_sarif_artifact_locations(path, expected):
    assert sarif.artifact_location(path) == expected


def test_sarif_finding_of_unlisted_rule_has_no_rule_index(report):
    report["files"][0]["findings"][0]["rule"] = "from-user-pack"
    result = json.loads(sarif.render(report, RULES))["runs"][0]["results"][0]
    assert result["ruleId"] == "from-user-pack"
    assert "ruleIndex" not in result


# --- GitHub --------------------------------------------------------------------------------


def test_github_commands_exact(report):
    path = "articles/interpol%2C kalachev.md"
    assert github.render(report, RULES).split("\n") == [
        f"::error file={path},line=3,col=1,endLine=3,endColumn=69,title=unsourced-claim"
        "::Unsourced claim: the sentence asserts a fact | with no source.",
        # Multi-line span: GitHub ignores columns unless start and end lines agree.
        f"::warning file={path},line=5,endLine=6,title=vague-attribution"
        "::vague source: “critics say”, 40%25 of%0Athe claim",
        f"::notice file={path},line=7,col=4,endLine=7,endColumn=7,title=unknown-source"
        "::Source 'NCB' is not in the registry.",
        "::error file=articles/broken.docx::not a .docx file: File is not a zip file",
    ]


def test_github_escapes_property_values():
    assert github.escape_property("a:b,c%d\r\ne") == "a%3Ab%2Cc%25d%0D%0Ae"
    assert github.escape_data("a:b,c%d\r\ne") == "a:b,c%25d%0D%0Ae"


def test_github_empty_report_prints_nothing():
    assert github.render(make_empty_report(), RULES) == ""


# --- JUnit ---------------------------------------------------------------------------------


def _parse(xml: str) -> ET.Element:
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(xml)


def test_junit_per_file(report):
    root = _parse(junit.render(report, RULES))
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "attribaudit"
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == (
            "2",
            "1",
            "1",
        )
    article, broken = suite.findall("testcase")
    assert (article.get("classname"), article.get("name")) == ("attribaudit", ARTICLE)
    failure = article.find("failure")
    assert failure.get("message") == "1 error"
    assert failure.text == (
        "3:1 error unsourced-claim Unsourced claim: the sentence asserts a fact | with no source."
    )
    assert article.find("system-out").text.split("\n") == [
        "5:12 warning vague-attribution vague source: “critics say”, 40% of the claim",
        "7:4 info unknown-source Source 'NCB' is not in the registry.",
    ]
    assert broken.get("name") == BROKEN
    assert broken.find("error").get("message") == "not a .docx file: File is not a zip file"
    assert broken.find("failure") is None


def test_junit_fail_on_warning_counts_warnings(report):
    article = _parse(junit.render(report, RULES, fail_on=Severity.WARNING)).find(".//testcase")
    assert article.find("failure").get("message") == "2 findings at warning or above"
    assert len(article.find("failure").text.split("\n")) == 2


def test_junit_per_finding(report):
    root = _parse(junit.render_per_finding(report, RULES))
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "1", "1")
    cases = suite.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        (ARTICLE, "3:1 unsourced-claim"),
        (ARTICLE, "5:12 vague-attribution"),
        (ARTICLE, "7:4 unknown-source"),
        ("attribaudit", BROKEN),
    ]
    assert cases[0].find("failure").get("type") == "unsourced-claim"
    assert cases[1].find("failure") is None
    assert "critics say" in cases[1].find("system-out").text
    assert cases[3].find("error") is not None


@pytest.mark.parametrize("renderer", [junit.render, junit.render_per_finding])
def test_junit_a_file_whose_failing_findings_are_hidden_fails(report, renderer):
    # The runner's verdicts: the article's warning failed the run (fail_on warning) but
    # --min-severity error hid it; the broken file has nothing hidden.
    verdicts = [
        {"fail_on": "warning", "hidden_failing": 1, "hidden_by": "--min-severity error"},
        {"fail_on": "warning", "hidden_failing": 0, "hidden_by": ""},
    ]
    report["files"][0]["findings"] = []
    root = _parse(renderer(report, RULES, verdicts=verdicts))
    assert (root.get("failures"), root.get("errors")) == ("1", "1")
    failure = root.find(".//failure")
    assert "1 finding at warning or above" in failure.get("message")
    assert "hidden by --min-severity error" in failure.get("message")


def test_junit_strips_characters_xml_cannot_hold(report):
    report["files"][0]["findings"][0]["message"] = "form\x0cfeed and \x00 nul"
    failure = _parse(junit.render(report, RULES)).find(".//failure")
    assert "\x0c" not in failure.text and "\x00" not in failure.text
    assert "form\ufffdfeed" in failure.text


@pytest.mark.parametrize("renderer", [junit.render, junit.render_per_finding])
def test_junit_empty_report(renderer):
    suite = _parse(renderer(make_empty_report(), RULES)).find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "0")
    [case] = suite.findall("testcase")
    assert case.get("name") == ARTICLE
    assert list(case) == []


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_verdict_table_and_worst_findings(report):
    text = markdown.render(report, RULES)
    lines = text.split("\n")
    assert lines[0] == "## attribaudit report"
    assert lines[2] == (
        "❌ **Failed**: 1 error, 1 warning, 1 info in 2 files (1 could not be read)."
    )
    assert (
        "| `articles/interpol, kalachev.md` | ❌ fail | 12 | 1 | 1 | 80% | "
        "1 error, 1 warning, 1 info |"
    ) in lines
    assert "| `articles/broken.docx` | read error | – | – | – | – | – |" in lines
    worst = lines[lines.index("### Worst findings") + 2 :]
    assert worst[0] == (
        "- `articles/interpol, kalachev.md:3` **error** `unsourced-claim`: "
        "Unsourced claim: the sentence asserts a fact \\| with no source."
    )
    assert worst[1].startswith("- `articles/interpol, kalachev.md:5` **warning**")
    # Infos are not among the worst findings.
    assert "unknown-source" not in "\n".join(worst[:3])
    assert "- `articles/broken.docx`: not a .docx file: File is not a zip file" in lines


def test_markdown_file_status_uses_the_runners_verdicts(report):
    # The same per-file verdicts JUnit gets: the article's only failing finding was hidden.
    verdicts = [
        {"fail_on": "warning", "hidden_failing": 2, "hidden_by": "--min-severity info"},
        {"fail_on": "warning", "hidden_failing": 0, "hidden_by": ""},
    ]
    report["files"][0]["findings"] = [report["files"][0]["findings"][2]]  # the info only
    text = markdown.render(report, RULES, fail_on="warning", failed=True, verdicts=verdicts)
    assert "| `articles/interpol, kalachev.md` | ❌ fail (2 hidden) |" in text
    # Without verdicts, the status still follows fail_on: an info fails under fail_on info.
    text = markdown.render(report, RULES, fail_on="info")
    assert "| `articles/interpol, kalachev.md` | ❌ fail |" in text
    text = markdown.render(report, RULES, fail_on="error")
    assert "| `articles/interpol, kalachev.md` | ✅ pass |" in text


def test_markdown_headline_and_rows_agree_when_nothing_fails(report):
    # Under fail_on never an error is no failure: its row is "⚠️ warn", and the headline said
    # "✅ **Passed**" above it (it looked at warnings only).
    report["files"] = report["files"][:1]
    report["files"][0]["findings"] = [report["files"][0]["findings"][0]]  # the error
    text = markdown.render(report, RULES, fail_on="never")
    assert "| `articles/interpol, kalachev.md` | ⚠️ warn |" in text
    assert (
        text.split("\n")[2] == "⚠️ **Passed with errors**: 1 error, 0 warnings, 0 infos in 1 file."
    )
    # A per-path fail_on never does the same under a run's fail_on error.
    verdicts = [{"fail_on": "never", "hidden_failing": 0, "hidden_by": ""}]
    text = markdown.render(report, RULES, fail_on="error", failed=False, verdicts=verdicts)
    assert "| `articles/interpol, kalachev.md` | ⚠️ warn |" in text
    assert text.split("\n")[2].startswith("⚠️ **Passed with errors**:")


def test_markdown_escapes_pipes_in_table_cells(report):
    report["files"][0]["path"] = "news/left|right.md"
    row = next(r for r in markdown.render(report, RULES).split("\n") if "left" in r)
    assert row.startswith("| `news/left\\|right.md` |")
    # An unescaped pipe would add a column: the row still has exactly 7 cells.
    cells = row.replace("\\|", "").split("|")[1:-1]
    assert len(cells) == 7


def test_markdown_worst_findings_limit_and_order(report):
    errors = [
        dict(report["files"][0]["findings"][0], line=100 + i, message=f"claim {i}")
        for i in range(25)
    ]
    report["files"][0]["findings"] = [report["files"][0]["findings"][1], *errors]
    text = markdown.render(report, RULES)
    worst = [ln for ln in text.split("\n") if ln.startswith("- `articles/interpol")]
    assert len(worst) == 20
    assert all("**error**" in ln for ln in worst)  # errors before the earlier warning
    assert "…and 6 more findings at warning or error severity." in text


def test_markdown_empty_report():
    text = markdown.render(make_empty_report(), RULES)
    assert "✅ **Passed**: 0 errors, 0 warnings, 0 infos in 1 file." in text
    assert "| `articles/interpol, kalachev.md` | ✅ pass | 4 | 0 | 0 | 100% | none |" in text
    assert "Worst findings" not in text
    assert "could not be read" not in text


# --- percentages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [(0.625, "63%"), (0.125, "13%"), (0.285, "29%"), (0.8, "80%"), (1.0, "100%")],
)
def test_markdown_rounds_percentages_half_up(report, ratio, shown):
    # Format's ".0%" rounds half to even: 0.625 was "62%", 0.125 "12%"; and 0.285, whose
    # binary value is 0.28499..., was "28%". The JSON keeps its number; the report rounds it
    # as an editor would.
    report["files"][0]["summary"]["sourced_ratio"] = ratio
    row = next(r for r in markdown.render(report, RULES).split("\n") if r.startswith("| `art"))
    assert row.split(" | ")[5] == shown


def test_terminal_rounds_percentages_half_up(report):
    report["files"] = report["files"][:1]
    report["files"][0]["summary"].update(assertions=8, sourced_ratio=0.625)
    report["corpus"] = {
        "files": 2, "audited": 2, "failed": 0, "sentences": 20, "assertions": 16,
        "sourced": 14, "unsourced": 1, "vague": 1, "sourced_share": 0.875,
        "sources": [], "unregistered": [], "unregistered_distinct": 0,
        "unsourced_files": [{"path": "a.md", "assertions": 8, "unsourced": 1, "share": 0.125}],
        "min_assertions": 3,
    }  # fmt: skip
    text = terminal.render(report, RULES)
    assert "12 sentences, 8 claims: 1 unsourced, 1 vague, 63% sourced" in text
    assert "16 claims: 88% sourced" in text
    assert " ".join(next(ln for ln in text.splitlines() if "a.md" in ln).split()) == (
        "a.md 1 8 13%"
    )


# --- line ----------------------------------------------------------------------------------


def test_line_format_exact(report):
    assert line.render(report, RULES).split("\n") == [
        f"{ARTICLE}:3:1: error unsourced-claim "
        "Unsourced claim: the sentence asserts a fact | with no source.",
        f"{ARTICLE}:5:12: warning vague-attribution vague source: “critics say”, 40% of the claim",
        f"{ARTICLE}:7:4: info unknown-source Source 'NCB' is not in the registry.",
        f"{BROKEN}: error read-error not a .docx file: File is not a zip file",
    ]


def test_line_empty_report():
    assert line.render(make_empty_report(), RULES) == ""


def test_json_report_put_together_from_entry_texts_is_the_whole_report(report):
    entries = report["files"]
    assert entries, "the fixture report has files"
    texts = [json_format.render_file(entry) for entry in entries]
    assembled = json_format.render_with_files({**report, "files": []}, texts)
    assert assembled == json_format.render(report, [])
    empty = {**report, "files": []}
    assert json_format.render_with_files(empty, []) == json_format.render(empty, [])
    with pytest.raises(ValueError):
        json_format.render_with_files(report, texts)
