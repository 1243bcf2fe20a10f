"""`attribaudit baseline create FILE PATH...`: record today's findings, so that CI fails only on
new ones."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..models import AttribauditError
from . import app, error_exit

baseline_app = typer.Typer(
    help="Record today's findings so `check --baseline` reports only new ones.",
    no_args_is_help=True,
)
app.add_typer(baseline_app, name="baseline")


@baseline_app.command("create")
def create(
    file: Annotated[
        Path, typer.Argument(help="Baseline file to write (JSON).", show_default=False)
    ],
    paths: Annotated[
        list[str], typer.Argument(help="Files and folders to audit.", show_default=False)
    ],
    config: Annotated[Path | None, typer.Option("--config", help="Use this config file.")] = None,
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rule pack.")] = None,
    registry: Annotated[
        list[Path] | None, typer.Option("--registry", help="Extra source registry.")
    ] = None,
) -> None:
    """Audit PATHS and write every finding's fingerprint to FILE."""
    from ..baseline import write_baseline
    from ..runner import CheckRequest, audit_to_report

    try:
        request = CheckRequest(
            paths=paths, config=config, rules=rules or [], registries=registry or []
        )
        report = audit_to_report(paths, request)
        count = write_baseline(report, file)
    except AttribauditError as exc:
        raise error_exit(exc) from None
    failed = report["summary"].get("failed", 0)
    files = report["summary"]["files"]
    plural = "s" if count != 1 else ""
    typer.echo(f"recorded {count} finding{plural} from {files} file(s) in {file}")
    if failed:
        typer.echo(
            f"attribaudit: warning: {failed} file(s) could not be read and are not in the baseline",
            err=True,
        )
        raise typer.Exit(2)
