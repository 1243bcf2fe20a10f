"""Batch options through the real CLI: --jobs, --format jsonl streaming, the corpus summary,
--cache, folder discovery filters, the progress bar, and --executor dask without the extra."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from attribaudit.runner import CheckRequest, run_check


@pytest.fixture()
def archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, news_articles: tuple[str, ...]
) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "archive"
    # The first two articles alternate: the 9 stories in part0 cite Reuters, those in part1 not.
    for index in range(18):
        sub = folder / f"part{index % 2}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"story{index:02}.txt").write_text(
            news_articles[index % 2] + f"\nStory {index} was filed late.\n", encoding="utf-8"
        )
    return folder


def check(app, *args: str) -> Result:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["check", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def jsonl(result: Result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_jobs_do_not_change_the_report(app, archive: Path) -> None:
    one = check(app, "archive", "-f", "json", "--jobs", "1")
    two = check(app, "archive", "-f", "json", "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    report = json.loads(one.stdout)
    paths = [f["path"] for f in report["files"]]
    assert len(paths) == 18 and paths == sorted(paths)
    assert report["corpus"]["files"] == 18


def test_a_folder_url_is_audited_like_the_folder(app, archive: Path) -> None:
    # README: `attribaudit check s3://newsroom-archive/2023/ --executor dask ...`. A folder
    # URL was one read error ("is a directory"), so no archive in a store could be audited.
    pytest.importorskip("fsspec")
    local = json.loads(check(app, "archive", "-f", "json", "--jobs", "1").stdout)
    url = archive.resolve().as_uri() + "/"
    remote = json.loads(check(app, url, "-f", "json", "--jobs", "2").stdout)
    assert remote["summary"] == local["summary"]
    assert [f["path"] for f in remote["files"]] == [
        url + Path(f["path"]).relative_to("archive").as_posix() for f in local["files"]
    ]
    for mine, theirs in zip(remote["files"], local["files"], strict=True):
        assert {**mine, "path": ""} == {**theirs, "path": ""}


def test_jsonl_is_one_object_per_file_then_the_summary_and_corpus(app, archive: Path) -> None:
    lines = jsonl(check(app, "archive", "-f", "jsonl", "-j", "2"))
    assert len(lines) == 19
    assert all("path" in line and "findings" in line for line in lines[:-1])
    tail = lines[-1]
    assert set(tail) == {"summary", "corpus"}
    assert tail["summary"]["files"] == 18
    assert tail["summary"]["errors"] == sum(
        1 for line in lines[:-1] for f in line["findings"] if f["severity"] == "error"
    )
    corpus = tail["corpus"]
    assert corpus["audited"] == 18 and corpus["failed"] == 0
    assert corpus["sources"][0]["name"] == "Reuters" and corpus["sources"][0]["files"] == 9
    assert corpus["unsourced_files"] and corpus["unsourced_files"][0]["share"] > 0


def test_jsonl_encoded_by_workers_equals_the_single_process_stream(app, archive: Path) -> None:
    # With --jobs 2 the workers write the lines and send the parent only what it counts.
    one = check(app, "archive", "-f", "jsonl", "-j", "1")
    two = check(app, "archive", "-f", "jsonl", "-j", "2")
    assert one.stdout == two.stdout
    # When min_severity hides findings the parent edits entries, so it encodes them itself.
    hidden = jsonl(check(app, "archive", "-f", "jsonl", "-j", "2", "--min-severity", "error"))
    assert all(f["severity"] == "error" for line in hidden[:-1] for f in line["findings"])
    assert all("sentences" in line and line["sentences"] for line in hidden[:-1])


def test_json_encoded_by_workers_equals_the_single_process_report(app, archive: Path) -> None:
    # With --jobs 2 the workers encode each file's entry; the parent puts the report together.
    one = check(app, "archive", "-f", "json", "-j", "1")
    two = check(app, "archive", "-f", "json", "-j", "2")
    assert one.stdout == two.stdout
    assert len(json.loads(two.stdout)["files"]) == 18
    # Parent-encoded entries (min_severity edits them) give the same text as json.dumps.
    hidden = check(app, "archive", "-f", "json", "-j", "2", "--min-severity", "error")
    report = json.loads(hidden.stdout)
    assert hidden.stdout == json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    assert all(f["severity"] == "error" for entry in report["files"] for f in entry["findings"])


def test_terminal_report_ends_with_the_corpus_summary(app, archive: Path) -> None:
    result = check(app, "archive", "-j", "2")
    out = result.stdout
    assert "Corpus" in out and "most cited sources" in out and "Reuters" in out
    assert "highest share of unsourced claims" in out
    # Context from the documents is still shown when workers audited them.
    assert "The strike cost the operator" in out
    assert out.index("Corpus") > out.index("story17.txt")


def test_single_file_terminal_report_has_no_corpus_section(app, archive: Path) -> None:
    result = check(app, "archive/part0/story00.txt")
    assert "Corpus" not in result.stdout


def test_cache_gives_the_same_report(app, archive: Path, tmp_path: Path) -> None:
    first = check(app, "archive", "-f", "json", "--cache", "cache", "-j", "2")
    assert len(list((tmp_path / "cache").rglob("*.json.z"))) == 18
    second = check(app, "archive", "-f", "json", "--cache", "cache", "-j", "2")
    assert first.stdout == second.stdout
    third = check(app, "archive", "--cache", "cache", "-j", "1")
    assert "The strike cost the operator" in third.stdout  # context for cache hits too


def test_cache_naming_a_file_is_an_error(app, archive: Path, tmp_path: Path) -> None:
    (tmp_path / "cache.txt").write_text("not a folder\n", encoding="utf-8")
    result = check(app, "archive", "--cache", "cache.txt")
    assert result.exit_code == 2
    assert "cache.txt" in result.stderr and "must name a folder" in result.stderr


def test_include_exclude_and_ignore_files_through_the_cli(app, archive: Path) -> None:
    (archive / "notes.md").write_text("Nobody knows.\n", encoding="utf-8")
    (archive / ".attribauditignore").write_text("part1/story01.txt\n", encoding="utf-8")
    if hasattr(os, "symlink"):
        with contextlib.suppress(OSError):
            (archive / "part0" / "loop").symlink_to(archive, target_is_directory=True)
    paths = [line["path"] for line in jsonl(check(app, "archive", "-f", "jsonl"))[:-1]]
    assert "archive/notes.md" in paths and "archive/part1/story01.txt" not in paths
    assert len(paths) == len(set(paths)) == 18  # 18 + notes.md - the ignored one; no loop
    only_md = jsonl(check(app, "archive", "-f", "jsonl", "--include", "*.md"))[:-1]
    assert [line["path"] for line in only_md] == ["archive/notes.md"]
    no_part0 = jsonl(check(app, "archive", "-f", "jsonl", "--exclude", "part0/"))[:-1]
    assert no_part0 and all("part0" not in line["path"] for line in no_part0)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("tty", "quiet", "shown"), [(True, False, True), (True, True, False), (False, False, False)]
)
def test_progress_bar_only_on_a_terminal_unless_quiet(
    archive: Path, monkeypatch: pytest.MonkeyPatch, tty: bool, quiet: bool, shown: bool
) -> None:
    stderr = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    out = io.StringIO()
    run_check(CheckRequest(paths=["archive"], fmt="jsonl", quiet=quiet, jobs=1), stdout=out)
    assert ("auditing" in stderr.getvalue()) is shown
    assert "auditing" not in out.getvalue()


def test_dask_executor_without_the_extra_names_it(
    app, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    result = check(app, "archive", "--executor", "dask", "--scheduler", "local")
    assert result.exit_code == 2
    assert "attribaudit[dask]" in result.stderr


def test_jobs_must_be_positive(app, archive: Path) -> None:
    result = check(app, "archive", "--jobs", "0")
    assert result.exit_code == 2


def test_a_check_restores_the_garbage_collector_settings(archive: Path) -> None:
    # run_check tunes the collector for the audit (freeze, a higher young threshold); a caller
    # that runs checks in-process gets its settings back.
    before = gc.get_threshold(), gc.get_freeze_count()
    for jobs in (1, 2):
        out = io.StringIO()
        run_check(CheckRequest(paths=["archive"], fmt="jsonl", quiet=True, jobs=jobs), out)
        assert out.getvalue().count("\n") == 19  # 18 files and the summary
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
