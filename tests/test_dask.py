"""The Dask executor end to end on an in-process LocalCluster: the same report as a local run.
Skipped, with the reason, when the `attribaudit[dask]` extra is not installed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

distributed = pytest.importorskip(
    "dask.distributed", reason="needs the dask extra: pip install 'attribaudit[dask]'"
)

from attribaudit.runner import CheckRequest, audit_to_report, run_check  # noqa: E402

ARTICLE = (
    "Council delays harbour vote\n\n"
    "The Calder Bay council postponed its vote on the harbour levy for the third time.\n\n"
    "According to Marta Lindqvist, who chairs the finance committee, "
    "the levy would raise 4.2 million crowns.\n\n"
    "The levy would hit small fishing operators hardest, critics say. [Source: Reuters]\n"
)


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as local:
        yield local


@pytest.fixture()
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "archive"
    folder.mkdir()
    for index in range(20):
        (folder / f"story{index:02}.md").write_text(
            ARTICLE + f"\nStory {index} ran on page {index + 2}.\n", encoding="utf-8"
        )
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00\xd8 not text")
    return folder


def run(fmt: str, **options) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    code = run_check(CheckRequest(paths=["archive"], fmt=fmt, quiet=True, **options), stdout=out)
    return code, out.getvalue()


@pytest.mark.parametrize("fmt", ["json", "jsonl", "terminal"])
def test_dask_report_is_identical_to_the_local_run(cluster, archive: Path, fmt: str) -> None:
    local = run(fmt, jobs=1)
    remote = run(fmt, executor="dask", scheduler=cluster.scheduler_address)
    assert remote == local
    if fmt == "json":
        report = json.loads(remote[1])
        assert len(report["files"]) == 21 and report["corpus"]["files"] == 21


def test_dask_with_cache_and_for_a_baseline(cluster, archive: Path, tmp_path: Path) -> None:
    request = CheckRequest(paths=[], executor="dask", scheduler=cluster.scheduler_address)
    assert audit_to_report(["archive"], request)["files"] == audit_to_report(["archive"])["files"]
    cached = run(
        "json", executor="dask", scheduler=cluster.scheduler_address, cache_dir=tmp_path / "c"
    )
    assert cached == run("json", jobs=1)
    assert len(list((tmp_path / "c").rglob("*.json.z"))) == 20  # the unreadable file is not cached


def test_unreachable_scheduler_is_a_clear_error(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from attribaudit import batch
    from attribaudit.models import AttribauditError

    monkeypatch.setattr(batch, "DASK_CONNECT_TIMEOUT", "0.5s")
    with pytest.raises(AttribauditError, match="cannot reach the Dask scheduler"):
        run("json", executor="dask", scheduler="tcp://127.0.0.1:9")
