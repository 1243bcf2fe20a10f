"""Batch auditing: the same report in the same order whatever the parallelism, bounded work in
flight, the content-hash cache, picklable engines, and the incremental summaries."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from attribaudit import batch as batch_module
from attribaudit.batch import (
    BatchOptions,
    Encoded,
    PathSeverity,
    ReportCache,
    _in_order,
    audit_inputs,
    chunked,
)
from attribaudit.config import load_config
from attribaudit.engine import Engine, EngineOptions
from attribaudit.models import Severity
from attribaudit.report import Tally, summarise, tally_view
from attribaudit.report.corpus import BoundedCounter, CorpusSummary, corpus_record
from attribaudit.report.jsonl import render_file

EXTRA_CHROME = """pack: local-chrome
description: Extra page furniture for this archive.
lexicons:
  chrome_lines:
    description: Local furniture.
    words: ["Fish prices rose sharply this spring."]
rules: []
"""


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.fixture()
def archive(tmp_path: Path, news_articles: tuple[str, ...]) -> list[str]:
    paths = []
    for index in range(14):
        path = tmp_path / f"article{index:02}.txt"
        text = news_articles[index % len(news_articles)]
        path.write_text(text + f"\nFile number {index} closes here.\n")
        paths.append(str(path))
    return paths


def entries(paths: list[str], engine: Engine, **options) -> list[dict]:
    options.setdefault("keep_documents", False)
    return [entry for entry, _ in audit_inputs(paths, engine, BatchOptions(**options))]


def test_parallel_report_is_identical_and_in_order(archive: list[str], engine: Engine) -> None:
    sequential = entries(archive, engine, jobs=1)
    # Chunks of 2 across 3 processes: chunks finish out of order, results must not.
    parallel = entries(archive, engine, jobs=3, chunk_files=2)
    assert [e["path"] for e in sequential] == archive
    assert parallel == sequential
    assert any(e["findings"] for e in sequential)


def test_parallel_terminal_mode_carries_the_prose_for_context(
    archive: list[str], engine: Engine
) -> None:
    pairs = list(audit_inputs(archive[:4], engine, BatchOptions(jobs=2, chunk_files=1)))
    for entry, result in pairs:
        assert result is not None and result.document is not None
        text = Path(entry["path"]).read_text()
        finding = entry["findings"][0]
        assert (
            result.document.prose[finding["start"] : finding["end"]]
            == text[finding["start"] : finding["end"]]
        )


def test_parallel_jsonl_mode_sends_lines_and_corpus_records(
    archive: list[str], engine: Engine
) -> None:
    sequential = entries(archive, engine, jobs=1)
    options = BatchOptions(jobs=2, chunk_files=3, keep_documents=False, encode="jsonl")
    pairs = list(audit_inputs(archive, engine, options))
    assert [view for view, _ in pairs] == [tally_view(entry) for entry in sequential]
    for (_, encoded), entry in zip(pairs, sequential, strict=True):
        assert isinstance(encoded, Encoded)
        assert encoded.text == render_file(entry)
        assert encoded.corpus == corpus_record(entry)


def test_in_flight_work_is_bounded() -> None:
    submitted: list[list[str]] = []
    consumed = 0

    class Done:
        def __init__(self, chunk: list[str]) -> None:
            self.chunk = chunk

        def result(self) -> list:
            return [batch_module.WorkItem({"path": p}) for p in self.chunk]

    def submit(chunk: list[str]) -> Done:
        submitted.append(chunk)
        # Never more than `window` chunks submitted ahead of what was consumed.
        assert len(submitted) * 2 - consumed <= 3 * 2
        return Done(chunk)

    names = [f"f{i}" for i in range(20)]
    out = []
    for entry, _ in _in_order(chunked(names, 2), submit, window=3):
        consumed += 1
        out.append(entry["path"])
    assert out == names


def test_an_unexpected_error_fails_only_its_file(
    archive: list[str], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Engine.audit_file

    def flaky(self, path, stdin_filename=None):
        if path.endswith("article01.txt"):
            raise RuntimeError("boom")
        return real(self, path, stdin_filename=stdin_filename)

    monkeypatch.setattr(Engine, "audit_file", flaky)
    got = entries(archive[:3], engine, jobs=1)
    assert [e["status"] for e in got] == ["ok", "error", "ok"]
    assert got[1]["error"] == "internal error: RuntimeError: boom"


def test_engine_pickles_as_its_recipe(tmp_path: Path) -> None:
    (tmp_path / "attribaudit.toml").write_text(
        '[[overrides]]\npaths = ["drafts/**"]\nseverity = {unsourced-claim = "warning"}\n'
    )
    config = load_config(None, cwd=tmp_path)
    engine = Engine(EngineOptions(ignore=["unknown-source"]))
    engine.severity_for = PathSeverity(config)
    copy = pickle.loads(pickle.dumps(engine))
    assert isinstance(copy, Engine) and copy is not engine
    assert copy.fingerprint() == engine.fingerprint()
    assert copy.options.ignore == ["unknown-source"]
    draft = str(tmp_path / "drafts" / "a.txt")
    assert copy.severity_for(draft, "unsourced-claim", Severity.ERROR) is Severity.WARNING
    assert (
        copy.severity_for(str(tmp_path / "a.txt"), "unsourced-claim", Severity.ERROR)
        is Severity.ERROR
    )


def test_cache_reuses_reports_of_unchanged_files(
    archive: list[str],
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    news_articles: tuple[str, ...],
) -> None:
    cache = tmp_path / "cache"
    first = entries(archive, engine, jobs=1, cache_dir=cache)
    assert len(list(cache.rglob("*.json.z"))) == len(archive)

    def must_not_run(self, path, stdin_filename=None):
        raise AssertionError(f"audited {path} again")

    monkeypatch.setattr(Engine, "audit_file", must_not_run)
    assert entries(archive, engine, jobs=1, cache_dir=cache) == first

    def no_worker_needed(task, paths):
        raise AssertionError("a fully cached chunk was sent to a worker")

    monkeypatch.setattr(batch_module, "run_chunk", no_worker_needed)
    assert entries(archive, engine, jobs=2, chunk_files=4, cache_dir=cache) == first

    # A changed file is audited again; the others still come from the cache.
    Path(archive[0]).write_text(news_articles[1])
    again = entries(archive, engine, jobs=1, cache_dir=cache)
    assert "audited" in again[0]["error"] and "article00" in again[0]["error"]
    assert again[1:] == first[1:]


def test_a_rule_change_invalidates_the_cache(tmp_path: Path, engine: Engine) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Council delays harbour vote\n\nThe Calder Bay council postponed its vote.\n\n"
        "Fish prices rose sharply this spring.\n"
    )
    cache = tmp_path / "cache"
    before = entries([str(article)], engine, cache_dir=cache)[0]
    pack = tmp_path / "extra.yaml"
    pack.write_text(EXTRA_CHROME)
    changed = Engine(EngineOptions(rule_paths=[pack]))
    assert changed.fingerprint() != engine.fingerprint()
    after = entries([str(article)], changed, cache_dir=cache)[0]
    # The extra pack blanks the last line as page furniture: one unsourced claim fewer.
    assert len(after["findings"]) == len(before["findings"]) - 1
    assert len(list(cache.rglob("*.json.z"))) == 2


def test_a_code_change_invalidates_the_cache(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A development build keeps its version string while its code changes: the reports its
    # older code cached were reused.
    article = tmp_path / "a.txt"
    article.write_text("Fish prices rose sharply this spring, critics say.\n")
    cache = tmp_path / "cache"
    first = entries([str(article)], engine, cache_dir=cache)
    audited: list[str] = []
    audit_file = Engine.audit_file

    def counted(self, path, stdin_filename=None):  # type: ignore[no-untyped-def]
        audited.append(path)
        return audit_file(self, path, stdin_filename)

    monkeypatch.setattr(Engine, "audit_file", counted)
    assert entries([str(article)], engine, cache_dir=cache) == first
    assert audited == []  # same code: from the cache
    monkeypatch.setattr(batch_module, "code_digest", lambda: "edited code", raising=False)
    assert entries([str(article)], engine, cache_dir=cache) == first
    assert audited == [str(article)]
    assert len(list(cache.rglob("*.json.z"))) == 2


def test_code_digest_covers_every_module(tmp_path: Path, engine: Engine) -> None:
    package = tmp_path / "package"
    (package / "report").mkdir(parents=True)
    (package / "__init__.py").write_text("VERSION = '1'\n")
    (package / "report" / "json.py").write_text("def render(): ...\n")
    before = batch_module.code_digest(package)
    assert before == batch_module.code_digest(package)  # stable
    (package / "report" / "json.py").write_text("def render(): return 1\n")
    batch_module.code_digest.cache_clear()
    assert batch_module.code_digest(package) != before
    assert batch_module.code_digest(tmp_path / "no such package") == ""
    assert batch_module.code_digest() in ReportCache.for_engine(tmp_path, engine).salt


def test_cache_key_covers_version_settings_and_content(engine: Engine, tmp_path: Path) -> None:
    base = ReportCache.for_engine(tmp_path, engine)
    other = ReportCache.for_engine(tmp_path, Engine(EngineOptions(ignore=["unknown-source"])))
    assert base.key("a.txt", b"x") != other.key("a.txt", b"x")
    assert base.key("a.txt", b"x") != base.key("a.txt", b"y")
    assert base.key("a.txt", b"x") != base.key("b.txt", b"x")
    assert base.key("a.txt", b"x") == ReportCache.for_engine(tmp_path, engine).key("a.txt", b"x")
    assert batch_module.__version__ in base.salt


def test_damaged_cache_entry_is_audited_again(
    archive: list[str], engine: Engine, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = entries(archive[:1], engine, cache_dir=cache)
    for entry_file in cache.rglob("*.json.z"):
        entry_file.write_bytes(b"not zlib")
    assert entries(archive[:1], engine, cache_dir=cache) == first


def test_tally_matches_summarise(archive: list[str], engine: Engine) -> None:
    got = entries(archive, engine)
    tally = Tally()
    for entry in got:
        tally.add(entry)
    assert tally.as_dict() == summarise(got)
    assert tally.as_dict()["files"] == len(archive)


def test_corpus_summary_counts_sources_and_ranks_files(archive: list[str], engine: Engine) -> None:
    got = entries(archive, engine)
    corpus = CorpusSummary(top_files=3, min_assertions=2)
    for entry in got:
        corpus.add(entry)
    corpus.add({"path": "missing.txt", "status": "error", "sentences": [], "attributions": []})
    data = corpus.as_dict()
    assert data["files"] == len(archive) + 1 and data["failed"] == 1
    assert data["sentences"] == sum(e["summary"]["sentences"] for e in got)
    assert data["assertions"] == sum(e["summary"]["assertions"] for e in got)
    assert data["unsourced"] == sum(e["summary"]["unsourced"] for e in got)
    assert 0 < data["sourced_share"] < 1
    reuters = next(s for s in data["sources"] if s["name"] == "Reuters")
    # Reuters is cited in articles 0 and 2 of every three.
    assert reuters["files"] == sum(1 for i in range(len(archive)) if i % 3 in (0, 2))
    assert any(u["source"] == "Marta Lindqvist" for u in data["unregistered"])
    worst = data["unsourced_files"]
    assert len(worst) == 3
    shares = [w["share"] for w in worst]
    assert shares == sorted(shares, reverse=True)
    best_possible = max(
        e["summary"]["unsourced"] / e["summary"]["assertions"]
        for e in got
        if e["summary"]["assertions"] >= 2
    )
    assert shares[0] == round(best_possible, 4)
    # Ties keep input order.
    tied = [w["path"] for w in worst if w["share"] == shares[0]]
    assert tied == sorted(tied)


def test_corpus_records_add_up_like_entries(archive: list[str], engine: Engine) -> None:
    got = entries(archive, engine)
    from_entries, from_records = CorpusSummary(), CorpusSummary()
    for entry in got:
        from_entries.add(entry)
        from_records.add_record(pickle.loads(pickle.dumps(corpus_record(entry))))
    assert from_records.as_dict() == from_entries.as_dict()


def test_bounded_counter_keeps_frequent_names() -> None:
    counter = BoundedCounter(capacity=10)
    for round_ in range(50):
        counter.add("frequent", "Frequent", 1)
        counter.add(f"rare{round_}", f"Rare {round_}", 1)
    assert len(counter.counts) <= 11
    assert counter.pruned and counter.distinct_seen == 51
    assert counter.top(1) == [("Frequent", 50, 50)]
