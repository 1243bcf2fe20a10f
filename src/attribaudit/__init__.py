"""attribaudit: audit news articles for attribution.

The public API is `audit_text` and `audit_path`; they are imported lazily so that
`attribaudit --version` does not pay for the whole pipeline.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "audit_path", "audit_text"]


def __getattr__(name: str) -> Any:
    if name in ("audit_text", "audit_path"):
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'attribaudit' has no attribute {name!r}")
