"""Score the extractor on a gold attribution corpus and write the figures as Markdown.

    python benchmarks/accuracy.py [CORPUS_DIR] [--output FILE] [--limit N]

CORPUS_DIR defaults to PolNeAR's dev split beside the repository (../shared/corpora/polnear/dev).
The table records the command that produced it and how long the run took, so a figure quoted in
a changelog or a pull request can be reproduced.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "polnear" / "dev"

try:
    import attribaudit  # noqa: F401
except ModuleNotFoundError:  # running from a checkout without an install
    sys.path.insert(0, str(REPO / "src"))

from attribaudit.brat import ROLES  # noqa: E402
from attribaudit.evaluate import Counts, EvalResult, evaluate  # noqa: E402
from attribaudit.models import AttribauditError  # noqa: E402


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def markdown(result: EvalResult, command: str) -> str:
    counts = result.counts
    lines = [
        f"# attribaudit accuracy on `{result.corpus}`",
        "",
        f"Command: `{command}`  ",
        f"Articles: {counts.documents} ({result.characters:,} characters"
        + (f", {counts.errors} failed" if counts.errors else "")
        + f"); elapsed: {result.elapsed_seconds:.1f} s",
        "",
        _row(
            [
                "role",
                "exact P",
                "exact R",
                "exact F1",
                "overlap P",
                "overlap R",
                "overlap F1",
                "gold",
            ]
        ),
        _row(["---"] + ["---:"] * 7),
    ]
    for role in ROLES:
        role_counts = counts.roles[role]
        exact, overlap = role_counts.exact, role_counts.overlap
        lines.append(
            _row(
                [role]
                + [_number(v) for v in (exact.precision, exact.recall, exact.f1)]
                + [_number(v) for v in (overlap.precision, overlap.recall, overlap.f1)]
                + [str(role_counts.exact_gold)]
            )
        )
    sentence = counts.sentence
    lines += [
        "",
        _row(["sentence P", "sentence R", "sentence F1", "unsourced P", "flagged unsourced"]),
        _row(["---:"] * 5),
        _row(
            [_number(v) for v in (sentence.precision, sentence.recall, sentence.f1)]
            + [_number(counts.unsourced_precision), str(counts.unsourced_flagged)]
        ),
    ]
    if result.by_publisher:
        lines += [
            "",
            _row(
                [
                    "publisher",
                    "articles",
                    "cue exact F1",
                    "source exact F1",
                    "content overlap F1",
                    "sentence F1",
                    "unsourced P",
                ]
            ),
            _row(["---"] + ["---:"] * 6),
        ]
        for name, pub in sorted(result.by_publisher.items()):
            lines.append(_publisher_row(name, pub))
    return "\n".join(lines) + "\n"


def _publisher_row(name: str, counts: Counts) -> str:
    return _row(
        [name, str(counts.documents)]
        + [
            _number(v)
            for v in (
                counts.roles["cue"].exact.f1,
                counts.roles["source"].exact.f1,
                counts.roles["content"].overlap.f1,
                counts.sentence.f1,
                counts.unsourced_precision,
            )
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "corpus",
        nargs="?",
        type=Path,
        default=DEFAULT_CORPUS,
        help="brat corpus folder (text/ + attributions/)",
    )
    parser.add_argument("--output", "-o", type=Path, help="write the Markdown here, not stdout")
    parser.add_argument("--limit", type=int, help="score only the first N articles, by name")
    arguments = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(arguments)

    command = shlex.join(["python", "benchmarks/accuracy.py", *arguments])
    try:
        result = evaluate(args.corpus, limit=args.limit)
    except AttribauditError as exc:
        print(f"accuracy: error: {exc}", file=sys.stderr)
        return 2
    report = markdown(result, command)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
