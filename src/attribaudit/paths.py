"""Where the shipped data (rule packs, default registry) lives.

In a wheel, hatch force-includes the repository's `rules/` and `registry/` folders as
`attribaudit/_data/`; in a source checkout (editable install, tests) they sit at the repo root.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"attribaudit's {name}/ data folder is missing from this install")


def rules_dir() -> Path:
    return data_dir("rules")


def registry_dir() -> Path:
    return data_dir("registry")
