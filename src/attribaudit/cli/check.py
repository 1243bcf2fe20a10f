"""`attribaudit check PATH...`: the main job."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..models import AttribauditError
from . import app, error_exit


class Format(StrEnum):
    terminal = "terminal"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    github = "github"
    junit = "junit"
    markdown = "markdown"
    line = "line"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class Executor(StrEnum):
    process = "process"
    dask = "dask"


class MinSeverity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


def _split(values: list[str] | None) -> list[str]:
    """Accept both repeated options and comma-separated lists."""
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


@app.command("check")
def check(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (searched recursively), globs, or - for stdin.", show_default=False
        ),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.terminal,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to FILE instead of stdout."),
    ] = None,
    # Help text is rich markup, so the "[default: ...]" written into it (where the value comes
    # from config when not given) is escaped; a bare one is read as a style tag and vanishes.
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding is at or above this severity. \\[default: error]",
        ),
    ] = None,
    min_severity: Annotated[
        MinSeverity | None,
        typer.Option(
            "--min-severity", help="Show findings at or above this severity. \\[default: info]"
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Report only these rule ids (repeat or comma-separate)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Do not report these rule ids (repeat or comma-separate)."),
    ] = None,
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="Extra rule pack: a YAML file or a folder of them."),
    ] = None,
    registry: Annotated[
        list[Path] | None, typer.Option("--registry", help="Extra source registry (YAML).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Use this config file instead of searching for one."),
    ] = None,
    stdin_filename: Annotated[
        str | None,
        typer.Option(
            "--stdin-filename", help="Name (and so format) for text read from stdin, e.g. draft.md."
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Report only findings not recorded in this baseline file."),
    ] = None,
    report_unused_disables: Annotated[
        bool,
        typer.Option(
            "--report-unused-disables", help="Report suppression directives that suppress nothing."
        ),
    ] = False,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include", help="Glob of files to audit in folders (replaces the defaults)."
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Glob of files to skip in folders.")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress output on stderr.")
    ] = False,
    max_file_size: Annotated[
        float | None,
        typer.Option(
            "--max-file-size",
            min=0.001,
            help="Refuse inputs larger than this many MiB (a file error). \\[default: 10]",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Audit in N parallel processes (1: in this process). \\[default: all cores]",
            show_default=False,
        ),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache",
            help="Reuse reports of unchanged files from this folder (keyed by content, "
            "attribaudit version and code, rules, registry and settings).",
        ),
    ] = None,
    executor: Annotated[
        Executor,
        typer.Option(
            "--executor",
            help="Where to audit: local processes, or a Dask cluster (the dask extra).",
        ),
    ] = Executor.process,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="With --executor dask: the scheduler address (tcp://host:8786), or local "
            "for a cluster on this machine.",
        ),
    ] = None,
) -> None:
    """Audit articles for attribution and report unsourced and vaguely sourced claims.

    Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad usage, a
    broken config, rule or registry file, or an input that could not be read.
    """
    from ..runner import CheckRequest, run_check

    request = CheckRequest(
        paths=paths,
        fmt=fmt.value,
        output=output,
        fail_on=fail_on.value if fail_on else None,
        min_severity=min_severity.value if min_severity else None,
        select=_split(select),
        ignore=_split(ignore),
        rules=rules or [],
        registries=registry or [],
        config=config,
        stdin_filename=stdin_filename,
        baseline=baseline,
        report_unused_disables=report_unused_disables or None,
        include=_split(include),
        exclude=_split(exclude),
        quiet=quiet,
        max_bytes=int(max_file_size * 1024 * 1024) if max_file_size else None,
        jobs=jobs,
        cache_dir=cache,
        executor=executor.value,
        scheduler=scheduler,
    )
    try:
        code = run_check(request)
    except AttribauditError as exc:
        raise error_exit(exc) from None
    raise typer.Exit(code)
