"""One `check` run: config -> engine -> inputs -> audit -> baseline -> report -> exit code.

Kept out of the CLI module so the Typer layer only translates options, and so the baseline
command and the tests can run a check without a command line.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .models import AttribauditError, Severity

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass
class CheckRequest:
    paths: list[str]
    fmt: str = "terminal"
    output: Path | None = None
    fail_on: str | None = None
    min_severity: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules: list[Path] = field(default_factory=list)
    registries: list[Path] = field(default_factory=list)
    config: Path | None = None
    stdin_filename: str | None = None
    baseline: Path | None = None
    report_unused_disables: bool | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    quiet: bool = False
    jobs: int | None = None
    cache_dir: Path | None = None


def load_settings(request: CheckRequest) -> Any:
    """The config file (found or given) merged with the command line."""
    from .config import load_config, merge_cli

    config = load_config(request.config)
    return merge_cli(
        config,
        rules=request.rules or None,
        registries=request.registries or None,
        fail_on=request.fail_on,
        min_severity=request.min_severity,
        select=request.select or None,
        ignore=request.ignore or None,
        include=request.include or None,
        exclude=request.exclude or None,
        report_unused_disables=request.report_unused_disables,
        jobs=request.jobs,
    )


def build_engine(config: Any) -> Any:
    from .batch import make_engine
    from .engine import EngineOptions

    def severity_for(path: str, rule: str, severity: Severity) -> Severity | None:
        return config.for_path(path).rule_severity(rule, severity)

    hook = severity_for if config.overrides else None
    return make_engine(EngineOptions(**config.engine_options()), hook)


def input_paths(request: CheckRequest, config: Any) -> Iterator[tuple[str, str | None]]:
    """(path, error) for each input, folders walked, config excludes applied."""
    from .discover import discover

    for item in discover(request.paths, include=config.include, exclude=config.exclude):
        if item.error is None and item.path != "-" and config.is_excluded(item.path):
            continue
        yield item.path, item.error


def run_check(request: CheckRequest, stdout: TextIO | None = None) -> int:
    from .batch import BatchOptions, audit_inputs
    from .report import build_report, renderer

    stdout = stdout or sys.stdout
    config = load_settings(request)
    engine = build_engine(config)
    infos = engine.rule_infos()
    baseline = None
    if request.baseline is not None:
        from .baseline import load_baseline

        baseline = load_baseline(request.baseline)
    min_rank = SEVERITY_RANK[Severity(config.min_severity).value]
    fail_rank = None if config.fail_on == "never" else SEVERITY_RANK[config.fail_on]
    streaming_terminal = request.fmt == "terminal" and request.output is None and baseline is None
    console = None
    if streaming_terminal:
        from rich.console import Console

        console = Console(file=stdout, highlight=False)

    errors: list[tuple[str, str]] = []
    paths: list[str] = []
    for path, error in input_paths(request, config):
        if error is not None:
            errors.append((path, error))
        else:
            paths.append(path)
    if not paths and not errors:
        raise AttribauditError("no input files")

    entries: list[dict[str, Any]] = []
    worst = -1
    read_failed = bool(errors)
    for path, error in errors:
        entries.append(_error_entry(path, error))

    def visible(entry: dict[str, Any]) -> dict[str, Any]:
        shown = [f for f in entry["findings"] if SEVERITY_RANK[f["severity"]] >= min_rank]
        return {**entry, "findings": shown} if len(shown) != len(entry["findings"]) else entry

    batch = BatchOptions(
        jobs=config.jobs or 1,
        stdin_filename=request.stdin_filename,
        cache_dir=request.cache_dir,
        keep_documents=streaming_terminal,
    )
    jsonl = renderer("jsonl") if request.fmt == "jsonl" else None
    out = open(request.output, "w", encoding="utf-8") if request.output else stdout  # noqa: SIM115
    try:
        if console is not None:
            from .report.terminal import print_file

            for path, error in errors:
                print_file(_error_entry(path, error), None, console)
        for entry, result in audit_inputs(paths, engine, batch):
            if entry["status"] == "error":
                read_failed = True
            if baseline is not None:
                entry = baseline.filter_report({"files": [entry], "summary": {}})["files"][0]
            for f in entry["findings"]:
                worst = max(worst, SEVERITY_RANK[f["severity"]])
            entry = visible(entry)
            if console is not None:
                print_file(entry, result, console)
                entry = _slim(entry)
            elif jsonl is not None:
                out.write(jsonl.render_file(entry) + "\n")
                entry = _slim(entry)
            entries.append(entry)
        report = build_report(entries)
        if console is not None:
            from .report.terminal import print_summary

            print_summary(report, console)
        elif jsonl is not None:
            out.write(jsonl.render_summary(report["summary"]) + "\n")
        else:
            module = renderer(request.fmt)
            text = module.render(report, infos)
            if text:
                out.write(text if text.endswith("\n") else text + "\n")
    finally:
        if out is not stdout:
            out.close()
    if read_failed:
        return 2
    if fail_rank is not None and worst >= fail_rank:
        return 1
    return 0


def _error_entry(path: str, error: str) -> dict[str, Any]:
    from .models import FileResult
    from .report import file_to_dict

    return file_to_dict(FileResult(path=path, document=None, error=error))


def _slim(entry: dict[str, Any]) -> dict[str, Any]:
    """Once a streamed entry is written, keep only what the final summary needs."""
    return {
        "path": entry["path"],
        "status": entry["status"],
        "findings": [{"severity": f["severity"]} for f in entry["findings"]],
        "summary": entry["summary"],
    }


def audit_to_report(paths: list[str], request: CheckRequest | None = None) -> dict[str, Any]:
    """Audit paths and return the whole JSON report (for `baseline create` and tests)."""
    from .batch import BatchOptions, audit_inputs
    from .report import build_report

    request = request or CheckRequest(paths=paths)
    request.paths = paths
    config = load_settings(request)
    engine = build_engine(config)
    entries: list[dict[str, Any]] = []
    good: list[str] = []
    for path, error in input_paths(request, config):
        if error is not None:
            entries.append(_error_entry(path, error))
        else:
            good.append(path)
    batch = BatchOptions(jobs=config.jobs or 1, keep_documents=False)
    entries.extend(entry for entry, _ in audit_inputs(good, engine, batch))
    return build_report(entries)
