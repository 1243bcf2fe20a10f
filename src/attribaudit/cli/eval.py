"""`attribaudit eval`: score the extractor against a brat-standoff attribution corpus."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..models import AttribauditError
from . import app, error_exit

if TYPE_CHECKING:
    from rich.table import Table

    from ..evaluate import Counts, EvalResult


class EvalFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command("eval")
def eval_command(
    gold_dir: Annotated[
        Path,
        typer.Argument(
            help="Corpus folder with text/NAME.txt and attributions/NAME_<annotator>.ann "
            "(the PolNeAR layout).",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        EvalFormat, typer.Option("--format", "-f", help="Output format.")
    ] = EvalFormat.TABLE,
    by_publisher: Annotated[
        bool,
        typer.Option(
            "--by-publisher/--no-by-publisher",
            help="Also score each publisher (name prefix, or metadata.tsv) separately.",
        ),
    ] = True,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Score only the first N articles, by name."),
    ] = None,
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="Extra rule pack (file or folder); repeatable."),
    ] = None,
    registry: Annotated[
        list[Path] | None,
        typer.Option("--registry", help="Extra source registry file; repeatable."),
    ] = None,
) -> None:
    """Score attribution extraction against hand-annotated articles (brat standoff).

    Exact and overlap P/R/F1 per role, sentence-level F1 and the precision of unsourced flags.
    """
    from ..brat import check_layout

    try:
        # Checked before the engine loads so that a wrong folder fails fast.
        check_layout(gold_dir)
        from ..engine import Engine, EngineOptions
        from ..evaluate import evaluate

        engine = Engine(
            EngineOptions(rule_paths=list(rules or []), registry_paths=list(registry or []))
        )
        result = evaluate(gold_dir, engine, limit=limit, publishers=by_publisher)
    except AttribauditError as exc:
        raise error_exit(exc) from None

    if fmt is EvalFormat.JSON:
        typer.echo(result.to_json())
        return
    _print_tables(result, by_publisher)


def _print_tables(result: EvalResult, by_publisher: bool) -> None:
    from rich.console import Console

    console = Console()
    counts = result.counts
    console.print(
        f"[bold]{result.corpus}[/]: {counts.documents} articles, "
        f"{result.characters:,} characters in {result.elapsed_seconds:.1f} s"
        + (f", [red]{counts.errors} could not be processed[/]" if counts.errors else "")
    )
    console.print(_roles_table(counts))
    console.print(_sentences_table(counts))
    if by_publisher and result.by_publisher:
        console.print(_publishers_table(result.by_publisher))


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _roles_table(counts: Counts) -> Table:
    from rich.table import Table

    from ..brat import ROLES

    table = Table(title="Spans", title_justify="left")
    table.add_column("role")
    for header in ("exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1"):
        table.add_column(header, justify="right")
    table.add_column("gold", justify="right")
    for role in ROLES:
        role_counts = counts.roles[role]
        exact, overlap = role_counts.exact, role_counts.overlap
        table.add_row(
            role,
            *map(_number, (exact.precision, exact.recall, exact.f1)),
            *map(_number, (overlap.precision, overlap.recall, overlap.f1)),
            str(role_counts.exact_gold),
        )
    return table


def _sentences_table(counts: Counts) -> Table:
    from rich.table import Table

    table = Table(title="Sentences", title_justify="left")
    for header in ("attributed P", "attributed R", "attributed F1", "unsourced P", "flagged"):
        table.add_column(header, justify="right")
    sentence = counts.sentence
    table.add_row(
        *map(_number, (sentence.precision, sentence.recall, sentence.f1)),
        _number(counts.unsourced_precision),
        str(counts.unsourced_flagged),
    )
    return table


def _publishers_table(by_publisher: dict[str, Counts]) -> Table:
    from rich.table import Table

    table = Table(title="By publisher (F1 unless marked P)", title_justify="left")
    # The names are what the table is read by: they keep their width on an 80-column terminal,
    # and the headers of the figures wrap instead ("breitba…" was all a reader got).
    longest = max((len(name) for name in by_publisher), default=9)
    table.add_column("publisher", no_wrap=True, min_width=max(9, longest))
    for header in (
        "articles",
        "cue\nexact",
        "source\nexact",
        "content\noverlap",
        "sentence",
        "unsourced\nP",
    ):
        table.add_column(header, justify="right")
    for name, counts in sorted(by_publisher.items()):
        table.add_row(
            name,
            str(counts.documents),
            _number(counts.roles["cue"].exact.f1),
            _number(counts.roles["source"].exact.f1),
            _number(counts.roles["content"].overlap.f1),
            _number(counts.sentence.f1),
            _number(counts.unsourced_precision),
        )
    return table
