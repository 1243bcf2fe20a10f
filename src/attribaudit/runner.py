"""One `check` run: config -> engine -> inputs -> audit -> baseline -> report -> exit code.

Kept out of the CLI module so the Typer layer only translates options, and so the baseline
command and the tests can run a check without a command line.
"""

from __future__ import annotations

import codecs
import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from .models import AttribauditError, Severity

# The garbage collector's young-generation threshold while auditing (see
# `_collector_tuned_for_auditing`).
GC_YOUNG_THRESHOLD = 5000


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
    max_bytes: int | None = None  # None: ingest.DEFAULT_MAX_BYTES (10 MiB)
    jobs: int | None = None  # None: the config's, else os.cpu_count()
    cache_dir: Path | None = None
    executor: str = "process"  # "process" or "dask"
    scheduler: str | None = None  # dask: scheduler address or "local"


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


def build_engine(config: Any, max_bytes: int | None = None) -> Any:
    from .batch import PathSeverity, make_engine
    from .config import check_rule_ids
    from .engine import EngineOptions, UnknownRuleIds

    # A picklable hook (not a closure), so worker processes can rebuild the same engine.
    hook = PathSeverity(config) if config.overrides else None
    try:
        engine = make_engine(EngineOptions(**config.engine_options(), max_bytes=max_bytes), hook)
    except UnknownRuleIds as exc:
        check_rule_ids(config, exc.known)  # names the config file and line, or the option
        raise
    check_rule_ids(config, engine.known_rules)  # per-path overrides name rule ids too
    return engine


def effective_jobs(request: CheckRequest, config: Any, paths: list[str]) -> int:
    """--jobs, else the config's jobs, else every core; never more processes than there are
    chunks of work (a handful of files is audited in-process), and stdin is read in-process."""
    import math
    import os

    from .batch import CHUNK_FILES

    jobs = request.jobs or config.jobs or os.cpu_count() or 1
    if "-" in paths:
        return 1
    return max(1, min(jobs, math.ceil(len(paths) / CHUNK_FILES)))


def input_paths(request: CheckRequest, config: Any) -> Iterator[tuple[str, str | None]]:
    """(path, error) for each input, folders walked, config excludes applied."""
    from .discover import discover

    for item in discover(request.paths, include=config.include, exclude=config.exclude):
        if item.error is None and item.path != "-" and config.is_excluded(item.path):
            continue
        yield item.path, item.error


def split_inputs(request: CheckRequest, config: Any) -> tuple[list[str], list[tuple[str, str]]]:
    """The paths to audit, and the (path, error) pairs of inputs that cannot be."""
    paths: list[str] = []
    errors: list[tuple[str, str]] = []
    for path, error in input_paths(request, config):
        if error is not None:
            errors.append((path, error))
        else:
            paths.append(path)
    return paths, errors


def run_check(request: CheckRequest, stdout: TextIO | None = None) -> int:
    if stdout is None:
        _keep_file_name_bytes(sys.stdout)
    config = load_settings(request)
    engine = build_engine(config, request.max_bytes)
    with _collector_tuned_for_auditing():
        return _audit_and_report(request, stdout or sys.stdout, config, engine)


@contextmanager
def _collector_tuned_for_auditing() -> Iterator[None]:
    """Garbage-collector settings for a batch, inherited by forked workers; restored after.

    What exists when the audit starts (modules, the engine's tables and patterns) lives until
    the run ends. Freezing it takes it out of the collector's full passes, which otherwise walk
    it all (~15 ms each, a few per 1,000 articles per process), and keeps the collector of a
    forked worker from writing to (and so copying) the pages it shares with the parent. The
    audit makes and drops many small containers, nearly all freed by reference counting, so the
    young generation is collected less often too (Python's default, 700, runs it ~900 times
    per 1,000 articles for next to nothing).
    """
    threshold = gc.get_threshold()
    frozen_already = gc.get_freeze_count() > 0  # then the caller manages freezing
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if not frozen_already:
            gc.unfreeze()


def _audit_and_report(request: CheckRequest, stdout: TextIO, config: Any, engine: Any) -> int:
    from .batch import ENCODED_MODES, MODE_JSONL, BatchOptions, Encoded, audit_inputs
    from .report import Tally, build_report, renderer
    from .report.corpus import CorpusSummary, corpus_record

    infos = engine.rule_infos()
    baseline = None
    if request.baseline is not None:
        from .baseline import load_baseline

        baseline = load_baseline(request.baseline)
    streaming_terminal = request.fmt == "terminal" and request.output is None and baseline is None
    console = None
    if streaming_terminal:
        from rich.console import Console

        console = Console(file=stdout, highlight=False)

    paths, errors = split_inputs(request, config)
    if not paths and not errors:
        # Missing paths and empty folders arrive as errors, so every input was dropped by an
        # exclude/include glob: say so and succeed (pre-commit on a commit that only touches
        # excluded files must not fail).
        where = f" ({config.path})" if config.path else ""
        print(
            f"attribaudit: every input is excluded by --exclude/--include or the config{where}",
            file=sys.stderr,
        )
        return 0
    if request.executor == "dask" and "-" in paths:
        raise AttribauditError("stdin (-) cannot be audited on a Dask cluster")
    if (
        request.cache_dir is not None
        and request.cache_dir.exists()
        and not request.cache_dir.is_dir()
    ):
        # An unwritable cache folder only costs speed, but a file given as the folder is a
        # mistake the user should hear about: nothing would ever be cached.
        raise AttribauditError("--cache must name a folder, not a file", str(request.cache_dir))

    jsonl = renderer("jsonl") if request.fmt == "jsonl" else None
    json_report = renderer("json") if request.fmt == "json" else None
    # Streamed formats write each entry as it comes and keep only counters; the others render
    # the whole report at the end, so they keep the entries (json keeps each one's text).
    entries: list[dict[str, Any]] = []
    # Per entry, what its settings decided: its fail_on and the failing findings it hides.
    verdicts: list[dict[str, Any]] = []
    entry_texts: list[str] = []
    tally = Tally()
    corpus = CorpusSummary()
    failed = False
    read_failed = False

    batch = BatchOptions(
        jobs=effective_jobs(request, config, paths),
        stdin_filename=request.stdin_filename,
        cache_dir=request.cache_dir,
        keep_documents=streaming_terminal,
        # Workers may encode entries themselves when the parent never edits one.
        encode=(
            request.fmt
            if request.fmt in ENCODED_MODES and baseline is None and not _filters_findings(config)
            else None
        ),
        executor=request.executor,
        scheduler=request.scheduler,
    )
    # On a terminal the streamed report is its own progress display.
    show_progress = not request.quiet and not (streaming_terminal and _isatty(stdout))
    # A file name that is not UTF-8 reaches the report as a lone surrogate (os.fsdecode); the
    # report file gets its original bytes back, as stdout does under a POSIX or C.UTF-8 locale.
    out = _open_output(request.output) if request.output else stdout
    raw_out = _utf8_bytes_of(out) if batch.encode == MODE_JSONL else None
    try:
        if console is not None:
            from .report.terminal import print_file

        def emit(entry: dict[str, Any], result: Any) -> None:
            nonlocal failed, read_failed
            # A worker that encoded the entry sent its corpus record and JSON text with it.
            encoded = result if isinstance(result, Encoded) else None
            corpus.add_record(encoded.corpus if encoded else corpus_record(entry))
            if entry["status"] == "error":
                read_failed = True
            if baseline is not None:
                entry = baseline.filter_report({"files": [entry], "summary": {}})["files"][0]
            # fail_on and min_severity may differ per path ([[overrides]] in the config).
            settings = config.for_path(entry["path"])
            entry, fails, hidden_failing = _apply_settings(entry, settings)
            failed = failed or fails
            tally.add(entry)
            if console is not None:
                print_file(entry, result, console)
            elif encoded is not None and raw_out is not None:
                # Text written before was flushed (below), so the bytes land in order.
                raw_out.write(encoded.data)
                raw_out.write(b"\n")
                raw_out.flush()
            elif jsonl is not None:
                line = encoded.text if encoded else jsonl.render_file(entry)
                out.write(line + "\n")
                out.flush()  # a reader of the stream sees each file as soon as it is done
            elif json_report is not None:
                entry_texts.append(encoded.text if encoded else json_report.render_file(entry))
            else:
                entries.append(entry)
                verdicts.append(
                    {
                        "fail_on": settings.fail_on,
                        "hidden_failing": hidden_failing,
                        "hidden_by": settings.min_severity_by,
                    }
                )

        for path, error in errors:
            emit(_error_entry(path, error), None)
        with _progress(len(paths), enabled=show_progress) as advance:
            for entry, result in audit_inputs(paths, engine, batch):
                emit(entry, result)
                advance()
        corpus_summary = corpus.as_dict()
        if console is not None:
            from .report.terminal import print_summary

            report = build_report([], tally.as_dict())
            if corpus.files > 1:
                report["corpus"] = corpus_summary
            print_summary(report, console)
        elif jsonl is not None:
            out.write(jsonl.render_summary(tally.as_dict(), corpus_summary) + "\n")
        else:
            report = build_report(entries, tally.as_dict(), corpus=corpus_summary)
            if json_report is not None:
                text = json_report.render_with_files(report, entry_texts)
            else:
                module = renderer(request.fmt)
                # Formats with a verdict (junit failures, the Markdown headline) follow --fail-on.
                options: dict[str, Any] = {}
                if _accepts(module.render, "fail_on"):
                    options["fail_on"] = config.fail_on
                if _accepts(module.render, "failed"):
                    # The run's verdict, also where --min-severity hid the failing findings.
                    options["failed"] = failed
                if _accepts(module.render, "verdicts"):
                    # Per file: a per-path fail_on, and failing findings --min-severity hid.
                    options["verdicts"] = verdicts
                text = module.render(report, infos, **options)
            if text:
                out.write(text if text.endswith("\n") else text + "\n")
    finally:
        if out is not stdout:
            out.close()
    if read_failed:
        return 2
    return 1 if failed else 0


def _open_output(path: Path) -> TextIO:
    """The --output file, opened for the report; a path that cannot be written (a folder, a
    missing folder on the way, a name too long) is a usage error naming it."""
    try:
        return open(path, "w", encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        raise AttribauditError(
            f"cannot write the report: {exc.strerror or exc}", str(path)
        ) from None


def _keep_file_name_bytes(stream: TextIO) -> None:
    """Let a strict UTF-8 stdout write a file name that is not UTF-8 (a lone surrogate from
    os.fsdecode) as its original bytes, as Python's own stdout does under a C, POSIX or
    C.UTF-8 locale; under other UTF-8 locales it would refuse the name with a traceback."""
    try:
        if codecs.lookup(stream.encoding).name == "utf-8" and stream.errors == "strict":
            stream.reconfigure(errors="surrogateescape")  # type: ignore[attr-defined]
    except (AttributeError, LookupError, TypeError, ValueError, OSError):
        pass


def _utf8_bytes_of(out: TextIO) -> BinaryIO | None:
    """The byte stream under `out` when writing a worker's UTF-8 line there is the same as
    writing its text to `out` (a UTF-8 text stream, newlines untranslated); else None."""
    from .batch import LINE_ENCODING, LINE_ERRORS

    buffer = getattr(out, "buffer", None)
    if buffer is None or os.linesep != "\n":
        return None
    try:
        encoding = codecs.lookup(out.encoding).name
    except (LookupError, TypeError):
        return None
    # Only a file name that is not UTF-8 puts a lone surrogate in a line: a surrogateescape
    # stream writes its original byte, as the worker encoded it; a strict one would refuse it.
    same = encoding == codecs.lookup(LINE_ENCODING).name and out.errors in ("strict", LINE_ERRORS)
    return buffer if same else None


def _apply_settings(entry: dict[str, Any], settings: Any) -> tuple[dict[str, Any], bool, int]:
    """The entry less the findings that `settings` (min_severity) hide, whether one of its
    findings fails the run (fail_on), and how many failing findings were hidden. All depend on
    a finding's severity only, so each severity present is judged once: an article has some 16
    findings and at most 3 severities, and this runs for every file in the parent process, the
    serial part of a parallel run."""
    findings = entry["findings"]
    present = [Severity(value) for value in {f["severity"] for f in findings}]
    failing = {severity.value for severity in present if settings.fails(severity)}
    hidden = {severity.value for severity in present if not settings.shows(severity)}
    hidden_failing = 0
    if hidden:
        entry = {**entry, "findings": [f for f in findings if f["severity"] not in hidden]}
        if failing & hidden:
            hidden_failing = sum(1 for f in findings if f["severity"] in failing & hidden)
    return entry, bool(failing), hidden_failing


def _filters_findings(config: Any) -> bool:
    """Whether min_severity may hide findings of some file (then the parent edits entries)."""
    levels = [config.min_severity] + [o.min_severity for o in config.overrides if o.min_severity]
    return any(Severity(level) is not Severity.INFO for level in levels)


def _accepts(function: Any, name: str) -> bool:
    import inspect

    return name in inspect.signature(function).parameters


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@contextmanager
def _progress(total: int, *, enabled: bool) -> Iterator[Callable[[], None]]:
    """A rich progress bar on stderr when stderr is a terminal; otherwise nothing."""
    if not enabled or total < 2 or not _isatty(sys.stderr):
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("auditing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    task = bar.add_task("audit", total=total)
    with bar:
        yield lambda: bar.advance(task)


def _error_entry(path: str, error: str) -> dict[str, Any]:
    from .models import FileResult
    from .report import file_to_dict

    return file_to_dict(FileResult(path=path, document=None, error=error))


def audit_to_report(paths: list[str], request: CheckRequest | None = None) -> dict[str, Any]:
    """Audit paths and return the whole JSON report (for `baseline create` and tests)."""
    from .batch import BatchOptions, audit_inputs
    from .report import build_report

    request = request or CheckRequest(paths=paths)
    request.paths = paths
    config = load_settings(request)
    engine = build_engine(config, request.max_bytes)
    good, errors = split_inputs(request, config)
    entries = [_error_entry(path, error) for path, error in errors]
    batch = BatchOptions(
        jobs=effective_jobs(request, config, good),
        keep_documents=False,
        cache_dir=request.cache_dir,
        executor=request.executor,
        scheduler=request.scheduler,
    )
    entries.extend(entry for entry, _ in audit_inputs(good, engine, batch))
    return build_report(entries)
