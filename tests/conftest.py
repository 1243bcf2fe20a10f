"""Shared fixtures. Tests that read ../shared (seeds, PolNeAR, the SARIF schema) skip with a
message when it is absent, so the core suite passes in a fresh clone on its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point attribaudit's user cache (parsed rule and registry files) at a folder of this
    session, inherited by the CLI subprocesses too, so tests neither read nor fill ~/.cache."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        patch.delenv("ATTRIBAUDIT_NO_DATA_CACHE", raising=False)
        yield folder


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"needs the shared data folder beside the repository ({SHARED}), which is absent")
    return SHARED


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def app():  # type: ignore[no-untyped-def]
    """The Typer application with every command group registered (they register on import)."""
    from attribaudit.cli import _register, app

    _register()
    return app
