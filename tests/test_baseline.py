"""Baselines: record findings, then let only new ones through."""

from __future__ import annotations

import copy
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from attribaudit.baseline import Baseline, create_baseline, load_baseline, write_baseline
from attribaudit.models import AttribauditError


def finding(rule: str, severity: str, fingerprint: str, line: int = 1) -> dict[str, Any]:
    return {
        "rule": rule,
        "severity": severity,
        "message": f"{rule} here",
        "start": line * 10,
        "end": line * 10 + 5,
        "line": line,
        "column": 1,
        "end_line": line,
        "end_column": 6,
        "fingerprint": fingerprint,
        "evidence": {},
    }


def report(files: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    entries = [
        {
            "path": path,
            "status": "ok",
            "error": None,
            "findings": found,
            "summary": {"sentences": 3},
        }
        for path, found in files.items()
    ]
    counts = {"errors": 0, "warnings": 0, "infos": 0}
    for found in files.values():
        for f in found:
            counts[{"error": "errors", "warning": "warnings", "info": "infos"}[f["severity"]]] += 1
    return {
        "version": 1,
        "tool": {"name": "attribaudit", "version": "0"},
        "files": entries,
        "summary": {"files": len(entries), **counts},
    }


TODAY = report(
    {
        "news/a.md": [
            finding("unsourced-claim", "error", "aaa", line=3),
            finding("vague-attribution", "warning", "bbb", line=5),
        ],
        "news/b.md": [finding("unknown-source", "info", "ccc")],
    }
)


def test_create_baseline_counts_repeats() -> None:
    twice = report(
        {
            "./news/a.md": [
                finding("unsourced-claim", "error", "aaa", 1),
                finding("unsourced-claim", "error", "aaa", 9),
            ]
        }
    )
    assert create_baseline(twice) == {
        "version": 1,
        "tool": "attribaudit",
        "findings": [
            {"path": "news/a.md", "rule": "unsourced-claim", "fingerprint": "aaa", "count": 2}
        ],
    }


def test_create_then_filter_drops_old_findings_and_keeps_new_ones(tmp_path: Path) -> None:
    path = tmp_path / "ci" / "attribaudit-baseline.json"
    assert write_baseline(TODAY, path) == 3
    baseline = load_baseline(path)
    assert len(baseline) == 3

    tomorrow = copy.deepcopy(TODAY)
    a_md = tomorrow["files"][0]
    # Text was inserted above: the old findings moved down, same fingerprints.
    for f in a_md["findings"]:
        f["line"] += 4
    a_md["findings"].append(finding("unsourced-claim", "error", "new1", line=20))
    tomorrow["summary"]["errors"] += 1

    filtered = baseline.filter_report(tomorrow)
    kept = [(f["rule"], f["fingerprint"]) for f in filtered["files"][0]["findings"]]
    assert kept == [("unsourced-claim", "new1")]
    assert filtered["files"][0]["baselined"] == 2
    assert filtered["files"][1]["findings"] == []
    assert filtered["files"][1]["baselined"] == 1
    assert filtered["summary"] == {
        "files": 2,
        "errors": 1,
        "warnings": 0,
        "infos": 0,
        "baselined": 3,
    }
    # per-file statistics are not findings and stay as they were
    assert filtered["files"][0]["summary"] == {"sentences": 3}
    # the input report is not modified
    assert len(tomorrow["files"][0]["findings"]) == 3


def test_filter_is_a_multiset() -> None:
    baseline = Baseline([("news/a.md", "unsourced-claim", "aaa")])
    now = report(
        {
            "news/a.md": [
                finding("unsourced-claim", "error", "aaa", 1),
                finding("unsourced-claim", "error", "aaa", 2),
            ]
        }
    )
    filtered = baseline.filter_report(now)
    assert len(filtered["files"][0]["findings"]) == 1
    assert filtered["files"][0]["baselined"] == 1
    assert filtered["summary"]["errors"] == 1


def test_same_fingerprint_in_another_file_or_rule_is_new() -> None:
    baseline = Baseline([("news/a.md", "unsourced-claim", "aaa")])
    now = report(
        {
            "news/other.md": [finding("unsourced-claim", "error", "aaa")],
            "news/a.md": [finding("vague-attribution", "warning", "aaa")],
        }
    )
    filtered = baseline.filter_report(now)
    assert [len(f["findings"]) for f in filtered["files"]] == [1, 1]
    assert filtered["summary"]["baselined"] == 0


def test_paths_are_normalised(tmp_path: Path) -> None:
    windows = report({"news\\a.md": [finding("unsourced-claim", "error", "aaa")]})
    path = tmp_path / "baseline.json"
    write_baseline(windows, path)
    assert json.loads(path.read_text())["findings"][0]["path"] == "news/a.md"
    filtered = load_baseline(path).filter_report(
        report({"./news/a.md": [finding("unsourced-claim", "error", "aaa")]})
    )
    assert filtered["files"][0]["findings"] == []
    assert filtered["files"][0]["path"] == "./news/a.md"  # reported as given


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"version": 1,\n "tool": "attribaudit",\n "findings": [,]}', "not valid JSON"),
        ('{"version": 2, "tool": "attribaudit", "findings": []}', "unsupported baseline version 2"),
        ('{"version": 1, "tool": "other", "findings": []}', "not an attribaudit baseline"),
        ('{"version": 1, "tool": "attribaudit", "findings": {}}', "'findings' must be a list"),
        ('{"version": 1, "tool": "attribaudit", "findings": [{"path": "a"}]}', "findings[0]"),
        ("[]", "expected a JSON object"),
    ],
)
def test_load_baseline_errors_name_the_file(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AttribauditError) as caught:
        load_baseline(path)
    assert caught.value.path == str(path)
    assert expected in caught.value.message


def test_bad_json_error_has_line(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text('{"version": 1,\n "tool": "attribaudit",\n "findings": [,]}', encoding="utf-8")
    with pytest.raises(AttribauditError) as caught:
        load_baseline(path)
    assert caught.value.line == 3


def test_missing_baseline_file(tmp_path: Path) -> None:
    with pytest.raises(AttribauditError, match="not found"):
        load_baseline(tmp_path / "none.json")


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_baseline_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    # The file is written beside its target and renamed; mkstemp's private 0600 must not
    # carry over to a file the team commits and a CI runner of another user reads.
    mask = os.umask(0o022)
    try:
        path = tmp_path / ".attribaudit-baseline.json"
        write_baseline({"files": []}, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        existing = tmp_path / "kept.json"
        existing.write_text("{}", encoding="utf-8")
        existing.chmod(0o664)
        write_baseline({"files": []}, existing)  # an existing file keeps its mode
        assert stat.S_IMODE(existing.stat().st_mode) == 0o664
    finally:
        os.umask(mask)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 100_000, "nested too deeply"),
        ('{"version": 1' + "0" * 5000 + "}", "Exceeds the limit"),
    ],
    ids=["nested-100000-deep", "a-5001-digit-number"],
)
def test_json_the_decoder_gives_up_on_is_an_error_naming_the_baseline(
    tmp_path: Path, text: str, reason: str
) -> None:
    # json.loads raised RecursionError and ValueError (int digits limit): tracebacks.
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AttribauditError) as caught:
        load_baseline(path)
    assert caught.value.path == str(path)
    assert caught.value.message.startswith("baseline is not valid JSON: ")
    assert reason in caught.value.message


def test_a_baseline_saved_with_a_byte_order_mark_reads(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    assert write_baseline(TODAY, path) == 3
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # as some Windows editors save it
    assert len(load_baseline(path)) == 3
