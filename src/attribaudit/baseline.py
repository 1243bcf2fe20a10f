"""Baselines: record today's findings so that CI fails only on new ones.

A baseline is JSON:

    {"version": 1, "tool": "attribaudit", "findings": [
        {"path": "news/a.md", "rule": "unsourced-claim", "fingerprint": "9c1e...", "count": 2}]}

Findings are matched on (path, rule, fingerprint), never on line numbers, so editing the text
above a known finding does not make it new. Matching is a multiset: a baseline that recorded a
finding twice absorbs two occurrences, and a third is new.
"""

from __future__ import annotations

import copy
import json
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .models import AttribauditError

BASELINE_VERSION = 1
TOOL = "attribaudit"

Key = tuple[str, str, str]  # (path, rule, fingerprint)

# Top-level summary keys that count findings by severity (JSON report contract, version 1).
_SUMMARY_KEYS = {"error": "errors", "warning": "warnings", "info": "infos"}


def normalize_path(path: str) -> str:
    """`\\` to `/` and no leading `./`, so a baseline made on Windows works on Linux."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def _keys(report: dict[str, Any]) -> Iterator[Key]:
    for file in report.get("files", []):
        path = normalize_path(str(file.get("path", "")))
        for finding in file.get("findings") or []:
            yield path, str(finding["rule"]), str(finding.get("fingerprint", ""))


def create_baseline(report: dict[str, Any]) -> dict[str, Any]:
    """The baseline of a version-1 JSON report, entries sorted so diffs stay readable."""
    counts = Counter(_keys(report))
    return {
        "version": BASELINE_VERSION,
        "tool": TOOL,
        "findings": [
            {"path": path, "rule": rule, "fingerprint": fingerprint, "count": count}
            for (path, rule, fingerprint), count in sorted(counts.items())
        ],
    }


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_baseline(report: dict[str, Any], path: Path) -> int:
    """Write the baseline of `report` to `path`; returns how many findings it records."""
    baseline = create_baseline(report)
    text = json.dumps(baseline, indent=2, ensure_ascii=False) + "\n"
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename, so an interrupted run never leaves half a file.
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            # mkstemp makes the file private (0600); give it the mode a plain write would: the
            # one it had, else what the umask leaves of 0666 (the team commits it, CI reads it).
            os.chmod(temporary, _mode_for(path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise AttribauditError(f"cannot write baseline: {exc.strerror}", str(path)) from None
    return sum(entry["count"] for entry in baseline["findings"])


class Baseline:
    """A loaded baseline: how many times each (path, rule, fingerprint) is already known."""

    def __init__(self, counts: Counter[Key] | Iterable[Key] = ()) -> None:
        self.counts: Counter[Key] = Counter(counts)

    def __len__(self) -> int:
        return sum(self.counts.values())

    def filter_report(self, report: dict[str, Any]) -> dict[str, Any]:
        """A copy of `report` without the findings the baseline knows.

        Each file dict gains "baselined" (findings dropped from it); the top-level summary's
        errors / warnings / infos are recounted from the findings that remain, and it gains
        "baselined" (the total dropped). The input report is left untouched.
        """
        remaining = Counter(self.counts)
        result = copy.deepcopy(report)
        severities: Counter[str] = Counter()
        total = 0
        for file in result.get("files", []):
            path = normalize_path(str(file.get("path", "")))
            kept = []
            for finding in file.get("findings") or []:
                key = (path, str(finding["rule"]), str(finding.get("fingerprint", "")))
                if remaining[key] > 0:
                    remaining[key] -= 1
                else:
                    kept.append(finding)
                    severities[str(finding.get("severity", ""))] += 1
            dropped = len(file.get("findings") or []) - len(kept)
            if "findings" in file:
                file["findings"] = kept
            file["baselined"] = dropped
            total += dropped
        summary = result.setdefault("summary", {})
        for severity, key in _SUMMARY_KEYS.items():
            summary[key] = severities[severity]
        summary["baselined"] = total
        return result


def _entry_error(path: Path, index: int, problem: str) -> AttribauditError:
    return AttribauditError(f"invalid baseline: findings[{index}]: {problem}", str(path))


def _parse_entry(path: Path, index: int, entry: Any) -> tuple[Key, int]:
    if not isinstance(entry, dict):
        raise _entry_error(path, index, "expected an object")
    values = []
    for field in ("path", "rule", "fingerprint"):
        value = entry.get(field)
        if not isinstance(value, str):
            raise _entry_error(path, index, f"'{field}' must be a string")
        values.append(value)
    count = entry.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise _entry_error(path, index, "'count' must be a whole number of at least 1")
    file_path, rule, fingerprint = values
    return (normalize_path(file_path), rule, fingerprint), count


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; anything unreadable is an AttribauditError naming the file."""
    path = Path(path)
    try:
        # "utf-8-sig": a baseline saved by an editor that writes a byte-order mark still reads.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AttribauditError(
            "baseline file not found (create it with `attribaudit baseline create`)", str(path)
        ) from None
    except UnicodeDecodeError as exc:
        raise AttribauditError(f"baseline is not UTF-8 text ({exc.reason})", str(path)) from None
    except OSError as exc:
        raise AttribauditError(f"cannot read baseline: {exc.strerror}", str(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AttribauditError(
            f"baseline is not valid JSON: {exc.msg}", str(path), exc.lineno
        ) from None
    except RecursionError:
        raise AttribauditError(
            "baseline is not valid JSON: nested too deeply to read", str(path)
        ) from None
    except ValueError as exc:  # a number longer than Python converts (4,300 digits)
        raise AttribauditError(f"baseline is not valid JSON: {exc}", str(path)) from None
    if not isinstance(data, dict):
        raise AttribauditError("invalid baseline: expected a JSON object", str(path))
    if data.get("version") != BASELINE_VERSION:
        raise AttribauditError(
            f"unsupported baseline version {data.get('version')!r} (this attribaudit reads "
            f"version {BASELINE_VERSION}); recreate it with `attribaudit baseline create`",
            str(path),
        )
    if data.get("tool") != TOOL:
        raise AttribauditError(
            f"not an attribaudit baseline (tool is {data.get('tool')!r})", str(path)
        )
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise AttribauditError("invalid baseline: 'findings' must be a list", str(path))
    counts: Counter[Key] = Counter()
    for index, entry in enumerate(entries):
        key, count = _parse_entry(path, index, entry)
        counts[key] += count
    return Baseline(counts)
