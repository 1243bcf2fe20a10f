"""Where the shipped data (rule packs, default registry) lives, and where a user's cache goes.

In a wheel, hatch force-includes the repository's `rules/` and `registry/` folders as
`attribaudit/_data/`; in a source checkout (editable install, tests) they sit at the repo root.
"""

from __future__ import annotations

import os
import sys
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


# Set to anything but "" or "0" to keep attribaudit from reading or writing its user cache.
NO_CACHE_ENV = "ATTRIBAUDIT_NO_DATA_CACHE"


def user_cache_dir() -> Path | None:
    """Where attribaudit may keep derived data between runs, or None when told not to.

    $XDG_CACHE_HOME/attribaudit (else ~/.cache/attribaudit; %LOCALAPPDATA% on Windows). Only
    speed depends on it: callers must work the same when it is None, missing or unwritable.
    """
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or (
        os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else None
    )
    if base and os.path.isabs(base):  # the XDG spec says to ignore a relative path
        return Path(base) / "attribaudit"
    try:
        return Path.home() / ".cache" / "attribaudit"
    except RuntimeError:  # no home directory to be found
        return None
