"""The example articles in examples/ and their expected JSON reports (golden files).

Regenerate the golden files, after checking that a change in the reports is intended, with:
    ATTRIBAUDIT_UPDATE_GOLDEN=1 python -m pytest tests/test_examples.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from attribaudit.runner import CheckRequest, audit_to_report

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ARTICLES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".md", ".html"))
UPDATE = os.environ.get("ATTRIBAUDIT_UPDATE_GOLDEN") == "1"


def report_for(article: Path) -> dict:
    # Paths relative to the repository, as a user running from its root would give them.
    relative = article.relative_to(EXAMPLES.parent).as_posix()
    cwd = os.getcwd()
    os.chdir(EXAMPLES.parent)
    try:
        report = audit_to_report([relative], CheckRequest(paths=[relative], config=None))
    finally:
        os.chdir(cwd)
    report["tool"].pop("version", None)
    return report


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_example_report_matches_golden(article: Path) -> None:
    golden = EXAMPLES / "expected" / f"{article.name}.json"
    report = report_for(article)
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert golden.exists(), (
        f"no golden file {golden}; run with ATTRIBAUDIT_UPDATE_GOLDEN=1 to create it"
    )
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert report == expected


def test_every_example_has_findings_of_several_kinds() -> None:
    rules = set()
    for article in ARTICLES:
        for entry in report_for(article)["files"]:
            rules.update(f["rule"] for f in entry["findings"])
    assert {
        "unsourced-claim",
        "vague-attribution",
        "tag-only-sourcing",
        "credit-only-sourcing",
    } <= rules
