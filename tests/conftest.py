"""Shared fixtures. Tests that read ../shared (seeds, PolNeAR, the SARIF schema) skip with a
message when it is absent, so the core suite passes in a fresh clone on its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# Three short articles for the batch and corpus tests. The first has a named source that no
# registry knows (Marta Lindqvist), a pronoun that refers to her, a vague source ("critics
# say") and a paragraph tagged [Source: Reuters]; the second unsourced claims beside one
# the union said; the third a claim that Reuters reported. So Reuters is cited in the first
# and the third, not the second.
NEWS_ARTICLES = (
    "Council delays harbour vote\n\n"
    "The Calder Bay council postponed its vote on the harbour levy for the third time.\n\n"
    "According to Marta Lindqvist, who chairs the finance committee, the levy would raise "
    "4.2 million crowns. She added that an independent review was needed.\n\n"
    "The levy would hit small fishing operators hardest, critics say.\n\n"
    "The harbour handled 1.3 million tonnes of cargo last year. [Source: Reuters]\n",
    "Rail strike ends\n\n"
    "Drivers returned to work on Monday after a four-day stoppage, the union said.\n\n"
    "The strike cost the operator about 12 million crowns.\n\n"
    "Passenger numbers will recover within a month.\n",
    "Museum reopens\n\n"
    "The city museum reopened its east wing after two years of repairs, Reuters reported.\n\n"
    "Visitors queued for hours.\n",
)


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
        pytest.skip(
            f"needs the shared data folder beside the repository ({SHARED}), which is absent"
        )
    return SHARED


@pytest.fixture(scope="session")
def news_articles() -> tuple[str, ...]:
    """`NEWS_ARTICLES`, the texts batch tests write into an archive of files."""
    return NEWS_ARTICLES


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def app():  # type: ignore[no-untyped-def]
    """The Typer application with every command group registered (they register on import)."""
    from attribaudit.cli import _register, app

    _register()
    return app
