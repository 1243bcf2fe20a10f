"""The Typer application. Options in, exit code out; the work happens in the engine.

Each command group lives in its own module (check, rules, registry, eval, baseline, config) and
imports the pipeline lazily, so `attribaudit --version` stays fast.
"""

from __future__ import annotations

import gc
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


# Command groups, one module each, named as the command.
COMMANDS = ("check", "rules", "registry", "eval", "baseline", "config")


def _register(only: str | None = None) -> None:
    """Import the command modules (importing one registers its commands on `app`): all of them,
    or only the one named `only` when it is one. Imported here so each module can `from .
    import app` without a cycle."""
    for optional in (only,) if only in COMMANDS else COMMANDS:
        try:
            __import__(f"{__name__}.{optional}")
        except ModuleNotFoundError as exc:  # a command group not written yet
            if exc.name != f"{__name__}.{optional}":
                raise


def error_exit(exc: AttribauditError) -> typer.Exit:
    """Print a user error on stderr and return the exit (code 2) to raise."""
    typer.echo(f"attribaudit: error: {exc}", err=True)
    return typer.Exit(2)


def _invoked_command(args: list[str]) -> str | None:
    """The command a command line runs: its first word that is not an option (the root takes
    no option with a value)."""
    return next((arg for arg in args if not arg.startswith("-")), None)


def main() -> None:
    # A run builds only the command it runs: defining the other groups' commands and their
    # options costs ~10 ms of start-up. An unknown word registers them all, so the error can
    # list and suggest them; so does no command (the help lists them).
    _register(_invoked_command(sys.argv[1:]))
    try:
        app()
    except AttribauditError as exc:
        typer.echo(f"attribaudit: error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("attribaudit: interrupted", err=True)
        sys.exit(130)
    finally:
        # The process exits next. On the way out the interpreter runs full garbage collections
        # over every object still alive (the engine, pydantic's and typer's tables): ~40 ms, a
        # tenth of a small check. Frozen objects are left out of those passes; nothing else
        # changes (atexit handlers run and files are flushed and closed as usual).
        gc.freeze()
