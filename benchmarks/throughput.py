"""Measure attribaudit's batch speed and memory, and print the figures as Markdown.

    python benchmarks/throughput.py [FOLDER] [--jobs 1,2] [--repeat 3] [--synthetic 10000]
                                    [--no-proselint] [--output FILE]

FOLDER defaults to PolNeAR's train split beside the repository (../shared/corpora/polnear/train,
840 articles). Every figure comes from running the real command line in a subprocess, end to end
(start-up, discovery, reading, the whole pipeline, JSON output), and each row gives the command
that reproduces it:

- MB/s of article text for each --jobs value (wall clock, best of --repeat), per core, and per
  CPU-second of the whole process tree (which does not move when other work shares the
  machine), articles/s, and the speed-up of the largest --jobs over --jobs 1;
- peak memory of the whole process tree (parent and workers, sampled with psutil), and the
  largest single process (getrusage RUSAGE_CHILDREN);
- proselint on the same files, side by side, when it is installed (a benchmark dependency:
  `pip install proselint`), for the "10x faster" comparison;
- `attribaudit --version` start-up time (best of 5);
- the package's bytecode is compiled first, as an install does (see `compile_bytecode`);
- a synthetic folder of --synthetic articles (generated from templates in a temporary folder)
  audited with --format jsonl, with peak memory at a tenth of the size beside it, to show
  memory does not grow with the number of files.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO.parent / "shared" / "corpora" / "polnear" / "train"
SRC = REPO / "src"

try:
    import attribaudit  # noqa: F401
except ModuleNotFoundError:  # running from a checkout without an install
    sys.path.insert(0, str(SRC))

from attribaudit.discover import discover  # noqa: E402

TARGETS = {
    "mb_per_core": 3.0,  # MB/s of text, one job
    "speedup": 1.7,  # --jobs 2 over --jobs 1
    "vs_proselint": 10.0,
    "startup": 0.3,  # seconds
    "peak_mb": 300.0,  # jsonl, 10,000 articles
}


@dataclass
class Run:
    wall: float
    cpu: float  # user + system of the process tree
    peak_tree_mb: float  # sum of RSS over the tree, sampled
    peak_single_mb: float  # the largest single process
    code: int


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH", "")]))
    return env


def _tree_rss(process: object) -> int:
    import psutil

    assert isinstance(process, psutil.Process)
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(command: list[str], cwd: Path | None = None) -> Run:
    """Run a command to the end; wall time, CPU of its process tree, peak memory."""
    try:
        import psutil
    except ImportError:
        psutil = None  # type: ignore[assignment]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = 0
    if psutil is not None:
        watched = psutil.Process(child.pid)
        while child.poll() is None:
            peak = max(peak, _tree_rss(watched))
            time.sleep(0.02)
    code = child.wait()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss (KiB on Linux) is the largest descendant ever waited for, not this run alone;
    # it is only reported as a cross-check of the sampled tree peak.
    return Run(wall, cpu, peak / 1e6, after.ru_maxrss / 1024, code)


def best_of(command: list[str], repeat: int) -> Run:
    runs = [measure(command) for _ in range(repeat)]
    best = min(runs, key=lambda r: r.wall)
    best.peak_tree_mb = max(r.peak_tree_mb for r in runs)
    return best


def inputs(folder: Path) -> list[Path]:
    return [Path(i.path) for i in discover([str(folder)]) if i.error is None]


def attribaudit_command(folder: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "attribaudit",
        "check",
        str(folder),
        "--quiet",
        "--format",
        "jsonl",
        "--output",
        os.devnull,
        *extra,
    ]


def shown(command: list[str]) -> str:
    text = shlex.join(command).replace(sys.executable, "python")
    return f"`PYTHONPATH=src {text}`" if "attribaudit" in text else f"`{text}`"


# -- synthetic archive ----------------------------------------------------------------------

_NAMES = [
    "Marta Lindqvist",
    "Jonas Berg",
    "Aino Korhonen",
    "Piotr Nowak",
    "Ines Duarte",
    "Samuel Okafor",
    "Lena Hartmann",
    "Tomas Varga",
    "Yusuf Demir",
    "Clara Moreau",
]
_PLACES = ["Calder Bay", "Northmoor", "Easthaven", "Lindford", "Port Ardent", "Kestrel Falls"]
_BODIES = ["council", "port authority", "transport ministry", "water board", "school district"]
_OUTLETS = ["Reuters", "Associated Press", "AFP", "Bloomberg", "the BBC"]
_SENTENCES = [
    "The {body} in {place} postponed its decision on the {topic} for the {nth} time.",
    "According to {name}, who chairs the {body}'s finance committee, the plan would cost {n} million crowns.",
    "\u201cWe cannot wait another year,\u201d {name} said on {day}.",
    "The {topic} would hit small businesses hardest, critics say.",
    "Officials in {place} argued that the figures were out of date.",
    "{place} handled {n} thousand tonnes of cargo last year. [Source: {outlet}]",
    "Residents have complained about the {topic} since {year}.",
    "The decision reflects a deeper failure of planning at the {body}.",
    "{name} told {outlet} that a review would be published in {month}.",
    "Turnout at the last public meeting was the lowest in {n} years.",
    "The opposition has promised to scrap the {topic} if it wins the election.",
    "It is believed that the {body} will vote again before {month}.",
]
_TOPICS = ["harbour levy", "bus contract", "flood barrier", "school merger", "parking scheme"]


def synthetic_article(rng: random.Random, index: int) -> str:
    def fill(template: str) -> str:
        return template.format(
            body=rng.choice(_BODIES),
            place=rng.choice(_PLACES),
            topic=rng.choice(_TOPICS),
            name=rng.choice(_NAMES),
            outlet=rng.choice(_OUTLETS),
            n=rng.randint(2, 90),
            nth=rng.choice(["second", "third", "fourth"]),
            day=rng.choice(["Monday", "Friday"]),
            year=rng.randint(1990, 2020),
            month=rng.choice(["March", "June", "October"]),
        )

    paragraphs = [f"{fill('The {body} of {place} and the {topic}')} (story {index})"]
    while sum(len(p) for p in paragraphs) < 4500:  # about PolNeAR's mean article length
        paragraphs.append(" ".join(fill(rng.choice(_SENTENCES)) for _ in range(rng.randint(1, 3))))
    return "\n\n".join(paragraphs) + "\n"


def make_archive(folder: Path, count: int) -> int:
    rng = random.Random(5)
    size = 0
    for index in range(count):
        sub = folder / f"{index // 1000:03}"
        sub.mkdir(parents=True, exist_ok=True)
        text = synthetic_article(rng, index)
        (sub / f"article{index:05}.txt").write_text(text, encoding="utf-8")
        size += len(text.encode())
    return size


# -- the report -------------------------------------------------------------------------------


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**not met**")


def compile_bytecode() -> None:
    """Write the package's bytecode, as `pip install` does, before timing anything.

    Some environments set PYTHONDONTWRITEBYTECODE, so a source checkout run with PYTHONPATH=src
    would compile every module again in every process (about 55 ms each, parent and workers),
    which no installed copy does. Python still reads bytecode that exists under that setting.
    """
    import compileall

    compileall.compile_dir(SRC / "attribaudit", quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values to time")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept)")
    parser.add_argument("--synthetic", type=int, default=10_000, help="0 to skip")
    parser.add_argument("--no-proselint", action="store_true")
    parser.add_argument("--output", type=Path, help="also write the Markdown here")
    args = parser.parse_args(argv)
    if not args.folder.exists():
        parser.error(f"{args.folder} does not exist")

    compile_bytecode()
    files = inputs(args.folder)
    megabytes = sum(f.stat().st_size for f in files) / 1e6
    rows: list[tuple[str, str, str, str]] = []  # figure, value, target, command
    lines = [
        f"Folder: {args.folder} ({len(files)} files, {megabytes:.2f} MB of text); "
        f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}.",
        "",
    ]
    print(lines[0], file=sys.stderr)

    runs: dict[int, Run] = {}
    for jobs in [int(j) for j in args.jobs.split(",")]:
        command = attribaudit_command(args.folder, "--jobs", str(jobs))
        run = runs[jobs] = best_of(command, args.repeat)
        rate = megabytes / run.wall
        per_core = rate / jobs
        target = f"≥ {TARGETS['mb_per_core']} MB/s" if jobs == 1 else ""
        ok = per_core >= TARGETS["mb_per_core"] if jobs == 1 else None
        rows.append(
            (
                f"--jobs {jobs}: MB/s of text (per core)",
                f"{rate:.2f} ({per_core:.2f}); {len(files) / run.wall:.0f} articles/s; "
                f"{run.wall:.2f} s wall, {megabytes / run.cpu:.2f} MB per CPU-second",
                f"{target} {verdict(ok)}" if target else "",
                shown(command),
            )
        )
        print(rows[-1], file=sys.stderr)
    if 1 in runs and len(runs) > 1:
        most = max(runs)
        speedup = runs[1].wall / runs[most].wall
        ok = speedup >= TARGETS["speedup"] if most == 2 else None
        rows.append(
            (
                f"--jobs {most} speed-up over --jobs 1",
                f"{speedup:.2f}×",
                f"≥ {TARGETS['speedup']}× {verdict(ok)}" if most == 2 else "",
                "the two rows above",
            )
        )

    if not args.no_proselint and shutil.which("proselint"):
        # proselint takes files; give it the same ones (in batches that fit a command line).
        command = ["proselint", "check", *[str(f) for f in files]]
        run = measure(command)
        fastest = min(runs.values(), key=lambda r: r.wall)
        ratio = run.wall / fastest.wall
        one = run.wall / runs[1].wall if 1 in runs else None
        rows.append(
            (
                "proselint on the same files",
                f"{run.wall:.2f} s "
                f"({megabytes / run.wall:.2f} MB/s); attribaudit is {ratio:.1f}× faster"
                + (f" ({one:.1f}× with --jobs 1)" if one else ""),
                f"≥ {TARGETS['vs_proselint']}× {verdict(ratio >= TARGETS['vs_proselint'])}",
                f"`proselint check {args.folder}/**/*.txt`",
            )
        )
        print(rows[-1], file=sys.stderr)
    else:
        rows.append(
            ("proselint on the same files", "not installed (pip install proselint)", "", "")
        )

    version = [sys.executable, "-m", "attribaudit", "--version"]
    startup = min(measure(version).wall for _ in range(5))
    rows.append(
        (
            "`attribaudit --version` start-up",
            f"{startup:.3f} s (best of 5)",
            f"< {TARGETS['startup']} s {verdict(startup < TARGETS['startup'])}",
            shown(version),
        )
    )

    if args.synthetic:
        with tempfile.TemporaryDirectory(prefix="attribaudit-bench-") as tmp:
            small, large = Path(tmp) / "small", Path(tmp) / "large"
            make_archive(small, max(1, args.synthetic // 10))
            size = make_archive(large, args.synthetic)
            small_run = measure(attribaudit_command(small))
            command = attribaudit_command(large)
            large_run = measure(command)
            rows.append(
                (
                    f"synthetic archive, --format jsonl: peak memory, {args.synthetic // 10:,} "
                    f"→ {args.synthetic:,} articles",
                    f"{small_run.peak_tree_mb:.0f} MB → {large_run.peak_tree_mb:.0f} MB "
                    f"(process tree; largest process {large_run.peak_single_mb:.0f} MB); "
                    f"{size / 1e6 / large_run.wall:.2f} MB/s, {large_run.wall:.1f} s",
                    f"< {TARGETS['peak_mb']:.0f} MB "
                    f"{verdict(large_run.peak_tree_mb < TARGETS['peak_mb'])}",
                    shown(command).replace(str(large), "SYNTHETIC_FOLDER")
                    + f" (folder made by `make_archive` in {Path(__file__).name})",
                )
            )
            print(rows[-1], file=sys.stderr)

    lines += ["| figure | value | target | command |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    reproduce = shlex.join(["python", "benchmarks/throughput.py", *(argv or sys.argv[1:])])
    lines += ["", f"All figures: `{reproduce}`."]
    text = "\n".join(lines)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
