"""Audit many inputs and yield their reports in input order.

This is the seam between the CLI and the engine for batches: the CLI hands over the inputs it
discovered and gets back (report entry, FileResult) pairs in the same order, however the work
was spread:

- `jobs == 1`: in this process, one file at a time.
- `jobs > 1`: a pool of processes; files go out in small chunks, at most a few chunks per worker
  are in flight, and results come back in input order as soon as the head of the queue is done,
  so memory stays flat however long the list.
- `executor == "dask"`: the same chunks on a Dask cluster (the `attribaudit[dask]` extra).

Workers build their Engine once from a picklable `EngineRecipe` and send back only the report
entry (plus, for the terminal report, the prose it quotes as context), never the pipeline's
internal objects. An optional content-hash cache (`--cache DIR`) skips files already audited
with the same attribaudit version, rules, registry and settings.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import threading
import uuid
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .engine import Engine, EngineOptions, EngineRecipe
from .models import AttribauditError, Document, FileResult, Severity
from .report import file_to_dict, tally_view
from .report.corpus import FileCorpus, corpus_record

SeverityHook = Callable[[str, str, Severity], "Severity | None"]

# Files per task sent to a worker: big enough that pickling and queueing are noise next to the
# audit, small enough that the order-restoring queue stays short and the progress bar moves.
# (16 news articles take ~60 ms; with 8 the parent, which shares the cores with the workers,
# spent ~40 ms more CPU per 1,000 articles handling twice as many results.)
CHUNK_FILES = 16
# Near the end of the list, a chunk holds no more than 1/(this * workers) of what is left, and no
# fewer than TAIL_CHUNK_FILES files (so the last few chunks are not all overhead).
TAIL_SHARES_PER_WORKER = 2
TAIL_CHUNK_FILES = 4
# Chunks in flight per worker: enough to keep every worker busy while the head is consumed.
CHUNKS_IN_FLIGHT_PER_WORKER = 4

# What a worker returns for one file.
MODE_ENTRY = "entry"  # the report entry only
MODE_CONTEXT = "context"  # entry + the document prose (the terminal report quotes sentences)
# jsonl or json, when the parent writes entries unchanged: the worker encodes the entry itself
# (the report module's `render_file`) and sends back only what the summary counters read (see
# `Encoded`), so the parent's serial work, which shares the cores with the workers, stays small.
MODE_JSONL = "jsonl"
MODE_JSON = "json"
ENCODED_MODES = (MODE_JSONL, MODE_JSON)


@dataclass
class BatchOptions:
    jobs: int = 1
    stdin_filename: str | None = None
    cache_dir: Path | None = None
    keep_documents: bool = True  # the terminal report shows context from the documents
    # MODE_JSONL or MODE_JSON when that report is written unchanged: workers encode the entries.
    encode: str | None = None
    executor: str = "process"  # "process" (local processes) or "dask"
    scheduler: str | None = None  # dask: a scheduler address, or "local" for a LocalCluster
    chunk_files: int = CHUNK_FILES


# -- per-path severities from the config, picklable ------------------------------------------


@dataclass
class PathSeverity:
    """The config's per-path severity overrides as an Engine `severity_for` hook.

    A class rather than a closure so that it pickles: each worker gets its own copy of the
    config and resolves overrides for the files it audits.
    """

    config: Any  # config.Config (not imported here: config does not import the engine)

    def __call__(self, path: str, rule: str, severity: Severity) -> Severity | None:
        return self.config.for_path(path).rule_severity(rule, severity)

    def cache_key(self) -> str:
        """What in the config changes results, as stable text (for the report cache)."""
        overrides = [
            [o.paths, {rule: getattr(s, "value", s) for rule, s in sorted(o.severity.items())}]
            for o in self.config.overrides
        ]
        return json.dumps([str(self.config.root), overrides], sort_keys=True)


def make_engine(options: EngineOptions, severity_for: SeverityHook | None) -> Engine:
    engine = Engine(options)
    engine.severity_for = severity_for
    return engine


# -- the report cache ------------------------------------------------------------------------


class ReportCache:
    """One small compressed JSON file per audited input, named by a hash of everything that
    decides its report: attribaudit's version and code (`code_digest`), the rules and registry
    (`Engine.fingerprint()`), the engine settings, the path as shown in the report, and the
    file's bytes."""

    def __init__(self, directory: Path, salt: str) -> None:
        self.directory = Path(directory)
        self.salt = salt

    @classmethod
    def for_engine(cls, directory: Path, engine: Engine) -> ReportCache:
        hook = engine.severity_for
        hook_key = hook.cache_key() if isinstance(hook, PathSeverity) else repr(hook)
        options = engine.options
        settings = json.dumps(
            {
                "severity": {
                    r: getattr(s, "value", s) for r, s in sorted(options.severity.items())
                },
                "select": sorted(options.select),
                "ignore": sorted(options.ignore),
                "require_reason": options.require_reason,
                "report_unused_disables": options.report_unused_disables,
                "max_bytes": options.max_bytes,
            },
            sort_keys=True,
        )
        salt = "\0".join([__version__, code_digest(), engine.fingerprint(), settings, hook_key])
        return cls(directory, salt)

    def key(self, path: str, data: bytes) -> str:
        digest = hashlib.sha256()
        digest.update(self.salt.encode())
        digest.update(b"\0" + path.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key[2:]}.json.z"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            raw = self._file(key).read_bytes()
            entry = json.loads(zlib.decompress(raw))
        except (OSError, ValueError, zlib.error):
            return None  # absent, or damaged: audit again
        return entry if isinstance(entry, dict) else None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        target = self._file(key)
        data = zlib.compress(json.dumps(entry, ensure_ascii=False).encode(), 1)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so a reader (another worker, a later run) never sees half a file.
            temporary = target.with_name(f"{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
            temporary.write_bytes(data)
            os.replace(temporary, target)
        except OSError:
            pass  # a cache that cannot be written only costs speed


PACKAGE_DIR = Path(__file__).resolve().parent


@functools.cache
def code_digest(package: Path = PACKAGE_DIR) -> str:
    """A hash of attribaudit's own code (every module's path and bytes), for the cache key.

    A development build keeps its version string while its code changes, and a report made by
    older code must not be reused. Hashing the ~50 modules (~0.5 MB) costs a few milliseconds,
    once per process; without sources to read (a frozen app) only the version guards the cache.
    """
    digest = hashlib.sha256()
    try:
        modules = sorted(package.rglob("*.py"))
        for module in modules:
            digest.update(module.relative_to(package).as_posix().encode("utf-8", "surrogatepass"))
            digest.update(b"\0" + module.read_bytes() + b"\0")
    except OSError:
        return ""
    return digest.hexdigest() if modules else ""


def cacheable(path: str) -> bool:
    """Local files only: stdin has no stable content to re-read, URLs are fetched once."""
    return path != "-" and "://" not in path


# -- one file, wherever it runs --------------------------------------------------------------


# How a worker encodes jsonl lines: UTF-8, with any lone surrogate (a file name that was not
# UTF-8) kept as its original byte, so `Encoded.line` gives back the exact text.
LINE_ENCODING = "utf-8"
LINE_ERRORS = "surrogateescape"


@dataclass(frozen=True, slots=True)
class Encoded:
    """ENCODED_MODES: what a worker made of a report entry that the parent never sees whole.

    The text travels as UTF-8 bytes: a UTF-8 output takes a jsonl line as it is, so the parent,
    whose work is the serial part of a parallel run, neither decodes it from the pipe nor
    encodes it again to write it (~30 ms per 10 MB of report)."""

    data: bytes  # the entry rendered by its format's `render_file` (LINE_ENCODING, LINE_ERRORS)
    corpus: FileCorpus  # what the entry adds to the corpus summary

    @property
    def text(self) -> str:
        return self.data.decode(LINE_ENCODING, LINE_ERRORS)


# What `audit_inputs` yields beside each entry (see there).
Extra = FileResult | Encoded | None


@dataclass(slots=True)
class WorkItem:
    """What a worker sends back for one input: small and picklable."""

    entry: dict[str, Any]  # in ENCODED_MODES only its `tally_view`
    prose: str | None = None  # MODE_CONTEXT only
    fmt: str = "txt"
    encoded: Encoded | None = None  # ENCODED_MODES only


def audit_one(
    engine: Engine,
    path: str,
    *,
    stdin_filename: str | None,
    cache: ReportCache | None,
    mode: str,
) -> tuple[dict[str, Any], FileResult | None]:
    """Audit one input: (report entry, FileResult when the caller needs documents)."""
    key = None
    if cache is not None and cacheable(path):
        try:
            data = Path(path).read_bytes()
        except OSError:
            data = None  # let the engine report the read error as usual
        if data is not None:
            key = cache.key(path, data)
            entry = cache.get(key)
            if entry is not None:
                result = _context_only(engine, path, entry) if mode == MODE_CONTEXT else None
                return entry, result
    try:
        result = engine.audit_file(path, stdin_filename=stdin_filename)
    except AttribauditError as exc:
        result = FileResult(path=path, document=None, error=exc.message)
    except Exception as exc:
        result = FileResult(
            path=path, document=None, error=f"internal error: {type(exc).__name__}: {exc}"
        )
    entry = file_to_dict(result)
    if key is not None and cache is not None and entry["status"] == "ok":
        cache.put(key, entry)
    return entry, (result if mode == MODE_CONTEXT else None)


def _context_only(engine: Engine, path: str, entry: dict[str, Any]) -> FileResult | None:
    """For a cache hit shown in the terminal: the document's prose again, cheaply (read and
    drop page chrome, no analysis)."""
    if entry["status"] != "ok" or not entry["findings"]:
        return None
    try:
        from .ingest import read_document

        doc = read_document(path)
    except AttribauditError:
        return None
    engine.chrome.apply(doc)
    return FileResult(path=entry["path"], document=doc)


def _slim_result(result: FileResult | None) -> tuple[str | None, str]:
    """The part of a FileResult the terminal report needs (the prose it quotes)."""
    if result is None or result.document is None:
        return None, "txt"
    return result.document.prose, result.document.format


def _rebuild_result(item: WorkItem) -> FileResult | None:
    if item.prose is None:
        return None
    doc = Document(path=item.entry["path"], text=item.prose, prose=item.prose, format=item.fmt)
    return FileResult(path=item.entry["path"], document=doc)


# -- worker side -----------------------------------------------------------------------------

# Engines built in this process, by recipe token: a worker builds each engine once, however
# many chunks it is sent (Dask workers may run several tasks in threads, hence the lock).
_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _engine_for(token: str, recipe: EngineRecipe) -> Engine:
    engine = _ENGINES.get(token)
    if engine is None:
        with _ENGINES_LOCK:
            engine = _ENGINES.get(token)
            if engine is None:
                engine = recipe.build()
                _ENGINES[token] = engine
    return engine


@dataclass(frozen=True)
class ChunkTask:
    """A picklable job description shared by every chunk of one run."""

    token: str
    recipe: EngineRecipe
    stdin_filename: str | None
    cache_dir: str | None
    cache_salt: str | None
    mode: str


def run_chunk(task: ChunkTask, paths: Sequence[str]) -> list[WorkItem]:
    """Audit a chunk of inputs in a worker (a pool process or a Dask worker)."""
    engine = _engine_for(task.token, task.recipe)
    cache = (
        ReportCache(Path(task.cache_dir), task.cache_salt)
        if task.cache_dir is not None and task.cache_salt is not None
        else None
    )
    out = []
    for path in paths:
        entry, result = audit_one(
            engine, path, stdin_filename=task.stdin_filename, cache=cache, mode=task.mode
        )
        if task.mode in ENCODED_MODES:
            out.append(_encoded(entry, task.mode))
            continue
        prose, fmt = _slim_result(result)
        out.append(WorkItem(entry, prose, fmt))
    return out


def _encoded(entry: dict[str, Any], fmt: str) -> WorkItem:
    from .report import renderer

    data = renderer(fmt).render_file(entry).encode(LINE_ENCODING, LINE_ERRORS)
    encoded = Encoded(data, corpus_record(entry))
    return WorkItem(tally_view(entry), encoded=encoded)


# -- the driver ------------------------------------------------------------------------------


def audit_inputs(
    paths: Iterable[str],
    engine: Engine,
    batch: BatchOptions,
) -> Iterator[tuple[dict, Extra]]:
    """(report entry, extra) per input, in input order. `extra` is the FileResult in context
    mode (the terminal report quotes the document); with `batch.encode`, when a worker encoded
    the entry, its `Encoded` text and corpus record (the entry is then only its `tally_view`);
    else None."""
    cache = ReportCache.for_engine(batch.cache_dir, engine) if batch.cache_dir else None
    mode = MODE_CONTEXT if batch.keep_documents else batch.encode or MODE_ENTRY
    if batch.executor == "dask":
        yield from _audit_dask(paths, engine, batch, cache, mode)
        return
    if batch.executor != "process":
        raise AttribauditError(f"unknown executor {batch.executor!r} (expected process or dask)")
    if batch.jobs <= 1:
        for path in paths:
            yield audit_one(
                engine, path, stdin_filename=batch.stdin_filename, cache=cache, mode=mode
            )
        return
    yield from _audit_pool(paths, engine, batch, cache, mode)


def _task(engine: Engine, batch: BatchOptions, cache: ReportCache | None, mode: str) -> ChunkTask:
    return ChunkTask(
        token=uuid.uuid4().hex,
        recipe=engine.recipe(),
        stdin_filename=batch.stdin_filename,
        cache_dir=str(cache.directory) if cache else None,
        cache_salt=cache.salt if cache else None,
        mode=mode,
    )


def chunked(items: Iterable[str], size: int, workers: int = 1) -> Iterator[list[str]]:
    """Chunks of `size` items. When the items are a list, the last chunks shrink (to
    `TAIL_CHUNK_FILES`) so that `workers` workers run out of work at about the same time: with
    whole chunks to the end, one worker may still audit a full chunk while the others idle."""
    if isinstance(items, Sequence):
        start = 0
        while start < len(items):
            share = math.ceil((len(items) - start) / (TAIL_SHARES_PER_WORKER * workers))
            end = start + min(size, max(TAIL_CHUNK_FILES, share))
            yield list(items[start:end])
            start = end
        return
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _in_order(
    chunks: Iterable[list[str]], submit: Callable[[list[str]], Any], window: int
) -> Iterator[tuple[dict, Extra]]:
    """Submit chunks keeping at most `window` in flight; yield their items in input order."""
    pending: deque[Any] = deque()

    def drain_head() -> Iterator[tuple[dict, Extra]]:
        for item in pending.popleft().result():
            yield item.entry, (item.encoded if item.encoded is not None else _rebuild_result(item))

    for chunk in chunks:
        pending.append(submit(chunk))
        while len(pending) >= window:
            yield from drain_head()
    while pending:
        yield from drain_head()


class _Ready:
    """A chunk answered without a worker (every file in it was in the cache)."""

    def __init__(self, items: list[WorkItem]) -> None:
        self.items = items

    def result(self) -> list[WorkItem]:
        return self.items


def _from_cache(
    chunk: list[str], engine: Engine, cache: ReportCache | None, mode: str
) -> _Ready | None:
    """The chunk's results when all of it is cached (a re-run over an unchanged archive need
    not wake a worker), else None. Only a cheap read and hash per file."""
    if cache is None:
        return None
    items = []
    for path in chunk:
        if not cacheable(path):
            return None
        try:
            entry = cache.get(cache.key(path, Path(path).read_bytes()))
        except OSError:
            return None
        if entry is None:
            return None
        result = _context_only(engine, path, entry) if mode == MODE_CONTEXT else None
        prose, fmt = _slim_result(result)
        items.append(WorkItem(entry, prose, fmt))
    return _Ready(items)


def _audit_pool(
    paths: Iterable[str],
    engine: Engine,
    batch: BatchOptions,
    cache: ReportCache | None,
    mode: str,
) -> Iterator[tuple[dict, Extra]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    task = _task(engine, batch, cache, mode)
    # fork where available: workers start in milliseconds with the modules already imported,
    # and with this engine under the task's token, so they need not build their own.
    # The recipe travels with each chunk (a few hundred bytes) so spawn works the same way.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    _ENGINES[task.token] = engine
    try:
        with ProcessPoolExecutor(max_workers=batch.jobs, mp_context=context) as pool:
            try:
                yield from _in_order(
                    chunked(paths, batch.chunk_files, batch.jobs),
                    lambda chunk: (
                        _from_cache(chunk, engine, cache, mode)
                        or pool.submit(run_chunk, task, chunk)
                    ),
                    batch.jobs * CHUNKS_IN_FLIGHT_PER_WORKER,
                )
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    finally:
        _ENGINES.pop(task.token, None)


# -- Dask --------------------------------------------------------------------------------------

DASK_CONNECT_TIMEOUT = "10s"  # how long to wait for an existing scheduler to answer
DASK_MISSING = (
    "--executor dask needs the dask extra: pip install 'attribaudit[dask]' "
    "(dask[distributed] and fsspec)"
)


@dataclass
class _DaskSession:
    client: Any
    cluster: Any = None
    workers: int = 1

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _dask_session(scheduler: str | None, jobs: int) -> _DaskSession:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise AttribauditError(DASK_MISSING) from None
    if not scheduler:
        raise AttribauditError("--executor dask needs --scheduler ADDRESS (or local)")
    if scheduler == "local":
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
        return _DaskSession(client, cluster, max(1, jobs))
    try:
        client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise AttribauditError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    workers = max(1, sum(client.nthreads().values()))
    return _DaskSession(client, None, workers)


def _audit_dask(
    paths: Iterable[str],
    engine: Engine,
    batch: BatchOptions,
    cache: ReportCache | None,
    mode: str,
) -> Iterator[tuple[dict, Extra]]:
    session = _dask_session(batch.scheduler, batch.jobs)
    try:
        task = session.client.scatter(_task(engine, batch, cache, mode), broadcast=True)
        yield from _in_order(
            chunked(paths, batch.chunk_files, session.workers),
            lambda chunk: (
                _from_cache(chunk, engine, cache, mode)
                or session.client.submit(run_chunk, task, chunk, pure=False)
            ),
            session.workers * CHUNKS_IN_FLIGHT_PER_WORKER,
        )
    finally:
        session.close()
