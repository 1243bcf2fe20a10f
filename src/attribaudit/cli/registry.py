"""`attribaudit registry list / lookup / validate`: inspect the source registry."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..models import AttribauditError
from . import app, error_exit

if TYPE_CHECKING:
    from ..models import RegistryMatch
    from ..registry import Registry, RegistryEntry

registry_app = typer.Typer(
    name="registry",
    help="Inspect the source registry: list its entries, see how a name resolves, check a file.",
    no_args_is_help=True,
)
app.add_typer(
    registry_app,
    name="registry",
    help="Inspect the source registry: list its entries, see how a name resolves, check a file.",
)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class EntryType(StrEnum):
    # The registry's entry types (attribaudit.registry.ENTRY_TYPES), spelt out here so that
    # `--help` does not import pydantic and rapidfuzz.
    AGENCY = "agency"
    OUTLET = "outlet"
    GOVERNMENT = "government"
    INTERNATIONAL = "international"
    NGO = "ngo"
    COMPANY = "company"
    PERSON = "person"
    OTHER = "other"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table for people, json for tools.")
]
RegistryFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--registry",
        help="Extra registry file (same schema as the shipped ones); repeatable. Its entries "
        "are added, or replace a shipped entry with the same id.",
        dir_okay=False,
    ),
]
NoDefault = Annotated[
    bool, typer.Option("--no-default", help="Leave out the shipped registry; use only --registry.")
]


def _load(registry: list[Path] | None, no_default: bool) -> Registry:
    from ..registry import load_registry

    try:
        return load_registry(list(registry or []), include_default=not no_default)
    except AttribauditError as exc:
        raise error_exit(exc) from None


@registry_app.command("list")
def list_entries(
    entry_type: Annotated[
        EntryType | None, typer.Option("--type", "-t", help="Only entries of this type.")
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    registry: RegistryFiles = None,
    no_default: NoDefault = False,
) -> None:
    """List the registry's entries with their aliases, acronyms and third-party ratings."""
    entries = _load(registry, no_default).entries
    if entry_type is not None:
        entries = [entry for entry in entries if entry.type == entry_type.value]
    if fmt is OutputFormat.JSON:
        _echo_json([entry.model_dump(mode="json") for entry in entries])
        return
    _print_entries(entries)


@registry_app.command("lookup")
def lookup(
    name: Annotated[str, typer.Argument(help="A source as written in an article.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Candidates to show.")] = 5,
    fmt: FormatOption = OutputFormat.TABLE,
    registry: RegistryFiles = None,
    no_default: NoDefault = False,
) -> None:
    """Show how a source name resolves against the registry.

    Prints the entry NAME matches (score, the alias that hit, ambiguity) and the nearest other
    candidates, with each entry's ratings and who gave them.
    """
    from ..registry import FUZZY_CUTOFF

    loaded = _load(registry, no_default)
    match = loaded.match(name)
    candidates = loaded.lookup(name, limit=limit)
    if fmt is OutputFormat.JSON:
        _echo_json(
            {
                "query": name,
                "match": _match_dict(match) if match else None,
                "candidates": [_match_dict(c) for c in candidates],
                "cutoff": FUZZY_CUTOFF,
            }
        )
        return
    _print_lookup(name, match, candidates, FUZZY_CUTOFF)


@registry_app.command("validate")
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="Registry files to check.", show_default=False)
    ],
) -> None:
    """Check registry files against the schema and the shipped registry.

    Prints each valid file's entry count. For an invalid file, prints file:line: message on
    stderr and exits 2. A name, alias, acronym or domain that a shipped entry (or an earlier
    entry of the file) also claims is a warning on stderr, file:line: look-ups that hit it
    become ambiguous. Warnings do not change the exit code.
    """
    from ..registry import registry_clashes, validate_registry_file

    failed = False
    for path in files:
        try:
            count = validate_registry_file(path)
            clashes = registry_clashes(path)
        except AttribauditError as exc:
            typer.echo(f"attribaudit: error: {exc}", err=True)
            failed = True
            continue
        for clash in clashes:
            typer.echo(f"attribaudit: warning: {clash}", err=True)
        line = f"{path}: {count} entr{'y' if count == 1 else 'ies'}"
        if clashes:
            line += f" ({len(clashes)} warning{'' if len(clashes) == 1 else 's'})"
        typer.echo(line)
    if failed:
        raise typer.Exit(2)


# --------------------------------------------------------------------------- output


def _echo_json(payload: Any) -> None:
    import json

    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def _match_dict(match: RegistryMatch) -> dict[str, Any]:
    from dataclasses import asdict

    return {**asdict(match), "ambiguous": bool(match.ambiguous_with)}


def _ratings_text(ratings: list[dict[str, str]]) -> str:
    from ..registry import format_rating

    return "\n".join(format_rating(rating) for rating in ratings) or "–"


def _print_entries(entries: list[RegistryEntry]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(entries)} registry entries", title_justify="left")
    table.add_column("id", no_wrap=True)
    for column in ("name", "type", "country", "aliases / acronyms", "ratings"):
        table.add_column(column)
    for entry in entries:
        table.add_row(
            entry.id,
            entry.name,
            entry.type,
            entry.country or "–",
            ", ".join([*entry.aliases, *entry.acronyms]) or "–",
            _ratings_text(entry.ratings()),
        )
    Console().print(table)


def _print_lookup(
    name: str, match: RegistryMatch | None, candidates: list[RegistryMatch], cutoff: float
) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    if match is None:
        console.print(f"No registry entry matches [bold]{escape(name)}[/].")
    elif match.ambiguous_with:
        console.print(
            f"[bold]{escape(name)}[/] is [yellow]ambiguous[/]: {escape(match.id)} or "
            f"{escape(', '.join(match.ambiguous_with))} (score {match.score:g}); "
            "not resolved without more context."
        )
    else:
        console.print(
            f"[bold]{escape(name)}[/] resolves to [green]{escape(match.id)}[/] "
            f"({escape(match.name)}), score {match.score:g}, via {escape(repr(match.alias))}."
        )
    if not candidates:
        return
    table = Table(title="Candidates", title_justify="left")
    table.add_column("id", no_wrap=True)
    for column in ("name", "type", "score", "alias hit", "ratings"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for candidate in candidates:
        score = f"{candidate.score:g}" + ("" if candidate.score >= cutoff else " (below cutoff)")
        table.add_row(
            candidate.id,
            candidate.name,
            candidate.type,
            score,
            candidate.alias,
            _ratings_text(candidate.reliability),
        )
    console.print(table)
