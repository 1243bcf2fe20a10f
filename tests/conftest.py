"""Shared fixtures. Tests that read ../shared (seeds, PolNeAR, the SARIF schema) skip with a
message when it is absent, so the core suite passes in a fresh clone on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


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
