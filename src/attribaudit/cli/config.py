"""`attribaudit config show`: the settings in force and where each one came from."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from . import app, error_exit

config_app = typer.Typer(
    name="config",
    # Help text is rich markup: a bracket that is not a style tag is escaped.
    help="Inspect the configuration: attribaudit.toml, .attribaudit.toml or "
    "\\[tool.attribaudit] in pyproject.toml.",
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


@config_app.command("show")
def show(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Use this config file instead of searching upward from the working directory.",
            dir_okay=False,
        ),
    ] = None,
    output_format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="table for people, json for tools.")
    ] = ShowFormat.table,
) -> None:
    """Print the resolved configuration, with the file and line (or "default") of each value."""
    import json

    from ..config import load_config
    from ..models import AttribauditError

    try:
        resolved = load_config(config)
    except AttribauditError as exc:
        raise error_exit(exc) from None

    if output_format is ShowFormat.json:
        payload = {
            "path": str(resolved.path) if resolved.path else None,
            "settings": resolved.as_dict(),
            "origins": {key: origin for key, _, origin in resolved.describe()},
        }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    _print_table(resolved.path, resolved.describe())


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "-"
    if isinstance(value, list):
        return ", ".join(_format_value(v) for v in value) if value else "[]"
    if isinstance(value, dict):
        parts = [f"{k}={_format_value(v)}" for k, v in value.items() if v not in (None, {}, [])]
        return "; ".join(parts) if parts else "{}"
    return str(value)


def _print_table(path: Path | None, rows: list[tuple[str, Any, str]]) -> None:
    import os

    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    if path is None:
        console.print("No config file found: built-in defaults.", markup=False)
    else:
        console.print(f"Config file: {path}", markup=False)
    # Origins name the config file on every row; relative to here they stay readable.
    short = os.path.relpath(path) if path is not None else ""
    table = Table("setting", "value", "from")
    table.columns[0].no_wrap = True
    table.columns[1].overflow = "fold"
    table.columns[2].no_wrap = True
    for key, value, origin in rows:
        if path is not None and origin.startswith(str(path)):
            origin = short + origin[len(str(path)) :]
        style = None if origin == "default" else "bold"
        table.add_row(key, _format_value(value), origin, style=style)
    console.print(table)
