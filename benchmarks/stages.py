"""Where a one-job audit spends its time, stage by stage, against the 3 MB/s budget.

    python benchmarks/stages.py [FOLDER] [--repeat 3]

Runs the real command line once in a fresh process, as the throughput benchmark's one-job row
does (`attribaudit check FOLDER --quiet --format jsonl --output /dev/null --jobs 1`), with a
clock around each pipeline stage (outermost calls only, perf_counter), and prints a Markdown
table: seconds per stage over the whole folder, the start-up before the first file, and what is
left (discovery, reporting, writing). The last rows compare the run with the time the folder may
take at 3 MB/s: the whole run, and the whole run without extraction, the largest stage. FOLDER
defaults to PolNeAR's train split beside the repository (840 articles); of --repeat runs, the
fastest whole run is shown.

The clocks cost about 1 µs a call (a few thousand calls per stage), well under the figures'
run-to-run spread.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
DEFAULT_FOLDER = REPO.parent / "shared" / "corpora" / "polnear" / "train"
TARGET_MB_PER_S = 3.0

try:
    import attribaudit  # noqa: F401
except ModuleNotFoundError:  # running from a checkout without an install
    sys.path.insert(0, str(SRC))

from attribaudit.discover import discover  # noqa: E402

# (label, module, attribute): the functions each stage's clock wraps. Module-level functions
# are wrapped where the engine looks them up (its own namespace), methods on their class.
STAGES = [
    ("reading and decoding", "attribaudit.engine", "read_document"),
    ("page chrome", "attribaudit.normalise", "ChromeFilter.apply"),
    ("segmentation", "attribaudit.engine", "segment"),
    ("quotation regions", "attribaudit.engine", "quote_regions"),
    ("extraction", "attribaudit.extract", "Extractor.extract"),
    ("resolution", "attribaudit.resolve", "Resolver.resolve"),
    ("registry matching", "attribaudit.engine", "Engine._match"),
    ("classification", "attribaudit.classify", "Classifier.classify"),
    ("findings", "attribaudit.findings", "FindingBuilder.build"),
    ("suppression directives", "attribaudit.engine", "apply_directives"),
    ("report entry (file_to_dict)", "attribaudit.batch", "file_to_dict"),
    ("JSON line (encoding)", "attribaudit.report.jsonl", "render_file"),
]

# Run in the child process: wrap the stages, run the command line, print the clocks as JSON.
CHILD = """
import importlib, json, sys, time
t0 = time.time()
stages = json.loads(sys.argv[1])
folder = sys.argv[2]
spent = {label: 0.0 for label, _, _ in stages}
first = []
depth = {}
def clock(label, function):
    def timed(*args, **kwargs):
        if not first:
            first.append(time.time())
        if depth.get(label):  # a nested call is already on this stage's clock
            return function(*args, **kwargs)
        depth[label] = 1
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start
            depth[label] = 0
    return timed
for label, module, attribute in stages:
    owner = importlib.import_module(module)
    *path, name = attribute.split(".")
    for part in path:
        owner = getattr(owner, part)
    setattr(owner, name, clock(label, getattr(owner, name)))
from attribaudit.cli import main
sys.argv = ["attribaudit", "check", folder, "--quiet", "--format", "jsonl",
            "--output", "/dev/null", "--jobs", "1"]
try:
    main()
except SystemExit:
    pass
end = time.time()
print(json.dumps({"spawned_to_start": t0, "first_file": first[0], "end": end, "spent": spent}))
"""


def run(folder: Path) -> tuple[dict, float]:
    spawned = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(STAGES), str(folder)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    return json.loads(out.stdout.strip().splitlines()[-1]), spawned


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat", type=int, default=3, help="runs (the fastest is shown)")
    args = parser.parse_args(argv)
    if not args.folder.exists():
        parser.error(f"{args.folder} does not exist")
    files = [Path(i.path) for i in discover([str(args.folder)]) if i.error is None]
    megabytes = sum(f.stat().st_size for f in files) / 1e6
    clocks, spawned = min(
        (run(args.folder) for _ in range(max(1, args.repeat))),
        key=lambda timed: timed[0]["end"] - timed[1],
    )
    total = clocks["end"] - spawned
    startup = clocks["first_file"] - spawned
    spent = clocks["spent"]
    other = total - startup - sum(spent.values())
    budget = megabytes / TARGET_MB_PER_S
    rows = [("start-up (interpreter, imports, config, engine, discovery)", startup)]
    rows += list(spent.items())
    rows.append(("everything else (CLI loop, tallies, corpus summary, writing)", other))
    print(f"Folder: {args.folder} ({len(files)} files, {megabytes:.2f} MB of text)\n")
    print("| stage | seconds | share |")
    print("|---|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.3f} | {seconds / total:.0%} |")
    print(f"| **whole run** | **{total:.3f}** ({megabytes / total:.2f} MB/s) | 100% |")
    without = total - spent["extraction"]
    print(
        f"| budget at {TARGET_MB_PER_S:g} MB/s | {budget:.3f} | whole run {total / budget:.2f}x "
        f"the budget; without extraction {without:.3f} s, {without / budget:.2f}x |"
    )
    print(f"\nCommand: python benchmarks/stages.py {args.folder} --repeat {args.repeat}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
