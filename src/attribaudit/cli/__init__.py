"""The Typer application. Options in, exit code out; the work happens in the engine.

Each command group lives in its own module (check, rules, registry, eval, baseline, config) and
imports the pipeline lazily, so `attribaudit --version` stays fast.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .. import __version__
from ..models import AttribauditError

app = typer.Typer(
    name="attribaudit",
    help="Audit news articles for attribution: who says so, and which claims stand unsourced.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"attribaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Audit news articles for attribution."""


def _register() -> None:
    # Imported here so each module can `from . import app` style helpers without a cycle.
    for optional in ("check", "rules", "registry", "eval", "baseline", "config"):
        try:
            __import__(f"{__name__}.{optional}")
        except ModuleNotFoundError as exc:  # a command group not written yet
            if exc.name != f"{__name__}.{optional}":
                raise


def error_exit(exc: AttribauditError) -> typer.Exit:
    """Print a user error on stderr and return the exit (code 2) to raise."""
    typer.echo(f"attribaudit: error: {exc}", err=True)
    return typer.Exit(2)


def main() -> None:
    _register()
    try:
        app()
    except AttribauditError as exc:
        typer.echo(f"attribaudit: error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("attribaudit: interrupted", err=True)
        sys.exit(130)
