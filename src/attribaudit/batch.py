"""Audit many inputs and yield their reports in input order.

This is the seam between the CLI and the engine for batches: the CLI hands over the inputs it
discovered and gets back (report entry, FileResult) pairs in the same order, however the work
was spread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .engine import Engine, EngineOptions
from .models import FileResult, Severity
from .report import file_to_dict

SeverityHook = Callable[[str, str, Severity], "Severity | None"]


@dataclass
class BatchOptions:
    jobs: int = 1
    stdin_filename: str | None = None
    cache_dir: Path | None = None
    keep_documents: bool = True  # the terminal report shows context from the documents


def audit_inputs(
    paths: Iterable[str],
    engine: Engine,
    batch: BatchOptions,
) -> Iterator[tuple[dict, FileResult | None]]:
    for path in paths:
        result = engine.audit_file(path, stdin_filename=batch.stdin_filename)
        yield file_to_dict(result), (result if batch.keep_documents else None)


def make_engine(options: EngineOptions, severity_for: SeverityHook | None) -> Engine:
    engine = Engine(options)
    engine.severity_for = severity_for
    return engine
