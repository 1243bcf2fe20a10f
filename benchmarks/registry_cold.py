"""Time registry matching in a fresh process, as each `--jobs` worker meets it.

    python benchmarks/registry_cold.py [FOLDER] [--passes 2]

Builds the default engine, audits every .txt file under FOLDER (default: PolNeAR's train split
beside the repository, 840 articles) in this process with the collector set as `check` sets it,
and reports the time spent inside the registry's public matching methods (`match`,
`find_mentions`, `lookup`; outermost calls only, perf_counter) beside the whole engine's CPU
time. The first pass is the cold cost: every source name is seen for the first time and the
registry's look-up structures are built on first use. Later passes show the warm cost, with the
per-process name cache full.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO.parent / "shared" / "corpora" / "polnear" / "train"

try:
    import attribaudit  # noqa: F401
except ModuleNotFoundError:  # running from a checkout without an install
    sys.path.insert(0, str(REPO / "src"))

from attribaudit.engine import Engine  # noqa: E402
from attribaudit.registry import Registry  # noqa: E402
from attribaudit.runner import GC_YOUNG_THRESHOLD  # noqa: E402

TIMED_METHODS = ("match", "find_mentions", "lookup")


class RegistryClock:
    """Adds up the time spent in the registry's timed methods, not counting nested calls."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._depth = 0

    def wrap(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def timed(registry: Registry, *args: Any, **kwargs: Any) -> Any:
            if self._depth:
                return method(registry, *args, **kwargs)
            self._depth += 1
            started = time.perf_counter()
            try:
                return method(registry, *args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1
                self._depth -= 1

        return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--passes", type=int, default=2)
    args = parser.parse_args()

    clock = RegistryClock()
    for name in TIMED_METHODS:
        setattr(Registry, name, clock.wrap(getattr(Registry, name)))
    engine = Engine()
    texts = [(str(path), path.read_text()) for path in sorted(args.folder.rglob("*.txt"))]
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    for number in range(1, args.passes + 1):
        clock.seconds, clock.calls = 0.0, 0
        cpu = time.process_time()
        for path, text in texts:
            engine.audit_text(text, path=path)
        cpu = time.process_time() - cpu
        label = "cold" if number == 1 else "warm"
        print(
            f"pass {number} ({label}): registry {clock.seconds:.3f} s in {clock.calls} calls; "
            f"engine {cpu:.2f} s CPU for {len(texts)} files"
        )


if __name__ == "__main__":
    main()
